"""The last reading of a notice no list, table or outline reader found criteria in: the
requirement points its decision text states, each with its finding.

A notice may give its reasons in running prose only: what the plan looks for ('Before an
implantable monitor is approved, the plan looks for evidence that ...', 'The plan also needs
a trial of ...', 'is covered when ...') and what was missing ('We did not receive results of a
Holter monitor', 'No device trial report was included', 'The request does not show that ...').
Each such point is read as an unnumbered criterion with its finding, so the letter answers the
notice point by point: a requirement sentence takes the finding of the sentences after it on
its topic (missing records: not documented; a concession, 'we agree', 'shows this': met); a
missing-record sentence no requirement sentence leads is a point of its own. Sentences of the
notice's rights, contacts, privacy and nondiscrimination are never points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import PayerStatus
from .text.sentences import split_sentences

_RIGHTS_RE = re.compile(
    r"\b(?:appeal|grievance|hearing|rights?|call|phone|fax|TTY|write\s+to|contact|questions?|"
    r"privacy|private|discriminat\w*|civil\s+rights|language|interpret\w*|copies|free\s+of\s+"
    r"charge|sincerely|thank\s+you|you\s+may|if\s+you|you\s+can|P\.?\s?O\.?\s+Box)\b",
    re.IGNORECASE,
)
"""A sentence of the notice's rights and contacts: never a requirement point."""
_REQUIREMENT_RE = re.compile(
    r"\b(?:(?:the\s+)?(?:plan|policy|guideline|coverage|we)(?:\s+for\s+(?:this|the)\s+[\w-]+)?"
    r"\s+(?:also\s+|further\s+)?"
    r"(?:requires?|needs?|looks?\s+for|expects?)\s+(?:that\s+)?|"
    r"\bis\s+covered\s+(?:only\s+)?(?:when|if)\s+)(?P<c>[^.;]{12,})",
    re.IGNORECASE,
)
"""What the plan states it needs ('the plan looks for evidence that ...', 'is covered when
...')."""
_RECORD = r"(?:results?|records?|documentation|evidence|reports?|notes?)"
_MISSING_RE = re.compile(
    r"\b(?:(?:we|the\s+reviewer)\s+(?:also\s+)?(?:did\s+not\s+receive\s+(?:any\s+)?"
    rf"(?:{_RECORD}\s+of\s+)?|did\s+not\s+(?:find|see)\s+(?:any\s+)?{_RECORD}\s+of\s+|"
    r"(?:was|were)\s+not\s+(?:sent|given)\s+)|"
    # 'The request also does not show that ...': the records' subject, never 'your plan'
    r"\b(?:records?|request|documentation|notes?|submission|file|packet|information)\b"
    r"[^.;]{0,30}?\b(?:does|do|did)\s+not\s+(?:also\s+)?(?:show|document|include)\s+"
    r"(?:that\s+)?)"
    r"(?P<c>[^.;]{6,})|\bno\s+(?P<n>[^.;]{4,80}?)\s+(?:was|were)\s+(?:received|included|"
    r"submitted|provided|sent)\b",
    re.IGNORECASE,
)
"""What the notice says was missing ('We did not receive results of a Holter monitor', 'does
not show that a lower-cost device was considered', 'No device trial report was included')."""
_CONCLUSION_RE = re.compile(
    r"^(?:that\s+)?(?:this|the|your)\s+(?:[\w/-]+\s+){1,2}?(?:is|are|was|were|be)\s+"
    r"medically\s+necessary\b(?![^.;]*\b(?:and|or|because|unless)\b)",
    re.IGNORECASE,
)
"""The notice's bare conclusion ('does not show that this treatment is medically necessary at
this time'): the question the whole letter answers, never a requirement point of its own."""
_MET_RE = re.compile(
    r"\b(?:we\s+agree|(?:shows?|documents?|confirms?)\s+this|(?:is|are|was|were)\s+met|"
    r"(?:is|are)\s+satisfied)\b",
    re.IGNORECASE,
)
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "and",
        "or",
        "for",
        "with",
        "in",
        "on",
        "at",
        "by",
        "that",
        "this",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "we",
        "our",
        "your",
        "plan",
        "policy",
        "before",
        "after",
        "also",
        "any",
    ]
)


@dataclass(frozen=True)
class ProsePoint:
    """One requirement point of a notice's prose, with its finding."""

    text: str
    status: PayerStatus
    reason: str | None


def _words(text: str) -> set[str]:
    """A text's words, each cut to five letters ('monitoring' and 'monitor' one word)."""
    return {w[:5] for w in re.findall(r"[a-z0-9-]{3,}", text.lower()) if w not in _STOP}


def prose_points(paragraphs: list[str]) -> list[ProsePoint]:
    """The requirement points of the decision paragraphs (the notice's rights and contacts left
    out by the caller's zones, and here sentence by sentence), in order."""
    points: list[ProsePoint] = []
    for paragraph in paragraphs:
        sentences = [s for s in split_sentences(paragraph, flatten=True) if s.strip()]
        for k, sentence in enumerate(sentences):
            if _RIGHTS_RE.search(sentence):
                continue
            if (rule := _REQUIREMENT_RE.search(sentence)) is not None:
                text = rule["c"].strip(" ,:")
                if _CONCLUSION_RE.search(text):
                    continue
                status, reason = _finding(text, sentences[k + 1 : k + 3])
                points.append(ProsePoint(text, status, reason))
                continue
            if (missing := _MISSING_RE.search(sentence)) is not None:
                text = (missing["c"] or missing["n"] or "").strip(" ,:")
                if _CONCLUSION_RE.search(text) or (points and _about(text, points[-1].text)):
                    continue  # the finding of the requirement before it
                lead = sentence[: missing.start("c")] if missing["c"] else ""
                # 'does not show that X': X not met; 'did not receive X': not documented
                shown = re.search(r"\bshow\s+that\s*$", lead, re.IGNORECASE)
                points.append(
                    ProsePoint(text, "not_met" if shown else "not_documented", sentence.strip())
                )
    return points


def _about(text: str, rule: str) -> bool:
    """True when a missing-record clause speaks of the requirement's topic (two words shared,
    or one when the clause is short)."""
    shared = _words(text) & _words(rule)
    return len(shared) >= 2 or (len(shared) == 1 and len(_words(text)) <= 3)


def _finding(rule: str, after: list[str]) -> tuple[PayerStatus, str | None]:
    """The finding the sentences after a requirement give it: records missing on its topic ->
    not documented; a concession -> met; else not met (the notice denies on it)."""
    for sentence in after:
        if _REQUIREMENT_RE.search(sentence) or _RIGHTS_RE.search(sentence):
            break
        if (missing := _MISSING_RE.search(sentence)) is not None and _about(
            missing["c"] or missing["n"] or "", rule
        ):
            return "not_documented", sentence.strip()
        if _MET_RE.search(sentence):
            return "met", sentence.strip()
    return "not_met", None
