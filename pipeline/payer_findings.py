"""What the payer said of each criterion: its status, and its narrative about the records.

A criterion item in a denial often carries the payer's finding ("-- Not met: the records list
two trials", "Finding: not documented.", "(Met.)", "; met, per the records") and narrative about
what was submitted ("The information submitted shows a trial of mesalamine but ..."). These
functions cut an item into the criterion's own words, the status, and that narrative, so the
criterion stays verbatim and the narrative is kept apart as ``Criterion.payer_reason``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from .models import PayerStatus
from .text.dates import DATE_RE, MONTH_NAME, parse_date
from .text.sentences import split_sentences

_STATUS_WORDS = (
    r"(?P<s>not\s+met|unmet|partially\s+met|not\s+documented|not\s+provided|not\s+submitted|"
    r"not\s+received|"
    r"not\s+demonstrated|not\s+satisfied|not\s+applicable|"
    r"does\s+not\s+apply(?=\s*(?:[.(;:,\-–—]|$))|met|satisfied)"
)
_END = r"(?![\w-])"
_STATUS_MARKER_RES = [
    # "Finding: met.", "Status: Not met.", "Result - not documented"
    re.compile(
        r"(?:^|(?<=[\s.;:,)]))(?:(?:>{1,3}|»|=>|->|→)\s*)?"  # '>> FINDING: Not met.'
        rf"(?:status|finding|result|determination|outcome|review)\s*[:\-–—]\s*"
        rf"{_STATUS_WORDS}{_END}",
        re.IGNORECASE,
    ),
    # a questionnaire's "Answer: Yes.", "Response: No. Physical therapy notes cover 3 weeks"
    re.compile(
        r"(?:^|(?<=[\s.;:,)?]))(?:answer|response)\s*[:\-–—]\s*(?P<s>yes|no|not\s+provided|"
        rf"not\s+documented|not\s+submitted|not\s+received){_END}",
        re.IGNORECASE,
    ),
    # "(Met.)", "(Not met: the records contain no ...)", "[Not met: no trial documented]"
    re.compile(rf"[(\[]\s*{_STATUS_WORDS}{_END}\s*[.:;,)\]\-–—]?", re.IGNORECASE),
    # "-- met", "--> Not met", ": Not met", " - NOT MET", "; not documented", ">> Criterion not
    # met", "» Not met: ..." (a finding line led by an arrow is never the criterion's words)
    re.compile(
        rf"\s*(?:-{{1,2}}>?|>{{1,3}}|»|=>|→|–|—|:|;)\s*"
        rf"(?:criteri(?:on|a)\s+(?:(?:is|was|were)\s+)?)?{_STATUS_WORDS}{_END}",
        re.IGNORECASE,
    ),
    # "... treatment. NOT MET - the member ...", "... the hip. Met.", "... discharge. MET
    # (planned direct transfer)." (a note in brackets after the finding)
    re.compile(rf"(?<=[.!?])\s+{_STATUS_WORDS}(?=\s*(?:[.:\-–—,;]|\([^()]*\)|$))", re.I),
    # "This criterion was met.", "so this criterion is met", "which is met in your case"
    re.compile(
        r"(?:[.;,]\s*|\s+)(?:so\s+|and\s+)?(?:(?:this|that|which)(?:\s+(?:criterion|requirement|"
        r"standard|element))?|the\s+(?:criterion|requirement|standard|element))"
        r"(?:(?:\s+[\w-]+){0,3}?\s+(?:was|is|has\s+been|were|are)(?:\s+also)?\s+|"
        # 'which the reviewer found met'
        r"\s+(?:the\s+reviewer|our\s+reviewer|we)\s+found\s+)"
        rf"{_STATUS_WORDS}{_END}",
        re.IGNORECASE,
    ),
    # ', which does not apply to this 13-year-old member'
    re.compile(r",\s*(?:which|this|that)\s+(?P<s>does\s+not\s+apply)\b", re.IGNORECASE),
    # '... chronic home mechanical ventilation ........ N/A' (a dotted leader to the finding)
    re.compile(r"\s*\.{3,}\s*(?P<s>n/a)(?![\w/])", re.IGNORECASE),
]
_STATUS_ONLY_RE = re.compile(
    r"^\s*[(\[]?\s*(?:not met|unmet|not documented|not provided|not submitted|not received|met|"
    r"satisfied|yes|no|partially(?:\s+met)?|[✓✔☑✗✘])\s*[)\].]?\s*$",
    re.IGNORECASE,
)

# Narrative about the records, after a criterion's own words.
_NARRATIVE_RE = re.compile(
    r"^(?:however,?\s+|but\s+|also,?\s+)?(?:"
    r"(?:the|your|our|his|her|their)\s+(?:[\w'’-]+\s+){0,3}?(?:records?|information|documentation|"
    r"notes?|chart|report|films?|history|diary|request|scores?|claims?(?:\s+history)?|submission)\b|"
    r"(?:the\s+)?(?:records?|information|documentation|notes|chart)\s+(?:submitted|received|"
    r"provided|reviewed|show|shows|list|do|does|did|include)\b|"
    r"based\s+on\s+(?:the\s+)?(?:records?|information|documentation|notes)\s+(?:we\s+)?"
    r"(?:submitted|received|provided|reviewed)\b|"
    r"(?:we|the reviewer|our reviewer|(?:our|the) (?:clinical )?review)\s+(?:did not|could not|"
    r"do not|have not|found|received|"
    r"saw|see)\b|"
    r"no\s+(?:[\w-]+\s+){0,5}?(?:was|were|is|has been|have been)\s+(?:\w+\s+)?(?:submitted|"
    r"received|included|provided|documented|reported|found|done|sent|given)\b|"
    r"no\s+(?:[\w-]+\s+){0,5}?(?:was|were|is|are)\s+(?:in|among)\s+the\s+(?:records?|notes|chart|"
    r"file|claims)\b|"
    r"only\s+\w+|preferred alternatives?\b|neither\b|none of\b|"
    r"(?:the|your|his|her|their)\s+(?!(?:[\w'’-]+\s+){0,3}?(?:table|below|above|letter|notice|"
    r"policy|guideline|following|plan)\b)(?:[\w'’-]+\s+){0,3}?(?:shows?|showed|demonstrates?|lists?|"
    r"describes?|indicates?|is\s+dated|was\s+normal|were\s+normal)\b|"
    r"(?:you|the\s+(?:member|patient|beneficiary|enrollee))\s+(?:were|was|had|has)\s+(?:diagnosed|"
    r"treated|seen|prescribed|given|started)\b|"
    r"(?:this|that|it)\s+(?:was|is|has)\s+(?:not\b|met\b)|"
    r"(?:this|that|it)\s+(?:does|did)\s+not\s+apply\b|"
    # "the member's BMI of 37.2 ... meets the first criterion"
    r"(?:[^.;]|\.(?=\d)){0,160}?\b(?:meets?|does\s+not\s+meet|satisf(?:y|ies))\s+(?:the|this|that)\s+"
    r"(?:[\w-]+\s+)?(?:criterion|requirement)\b|"
    r"[\w-]+(?:\s+[\w-]+){0,4}\s+(?:was|were)\s+not\s+(?:reported|provided|submitted|received|"
    r"included|documented|tried|done|found)\b"
    r")",
    re.IGNORECASE,
)
_NOT_DOCUMENTED_CUE_RE = re.compile(
    r"\b(?:not\s+(?:documented|reported|provided|submitted|received|included|addressed|sent)|"
    r"did\s+not\s+(?:receive|get|include)|(?:was|were)\s+not\s+(?:in|among)\s+the\s+records|"
    r"^no\s+(?:[\w-]+\s+){0,5}?(?:was|were)\s+(?:in|among)\s+the\s+records|"
    r"no\s+(?:[\w-]+\s+){0,7}?(?:was|were|has been)\s+(?:submitted|received|included|provided|"
    r"documented|reported|sent)|do(?:es)?\s+not\s+(?:address|include|say|state|explain|"
    r"mention|describe)|missing|could\s+not\s+decide|"
    r"(?:is|was)\s+no\s+(?:documentation|record)\s+(?:that|of)|"
    # 'none of (1) to (3) is documented', 'none of these was submitted'
    r"none\s+of\s+[^.;]{1,40}?\s+(?:is|are|was|were|has\s+been|have\s+been)\s+"
    r"(?:documented|submitted|provided|received|shown))\b",
    re.IGNORECASE,
)
_MET_CUE_RE = re.compile(
    r"\((?:criterion\s+)?met\)|"
    r"\b(?:records?|documentation|notes?|chart)\s+(?:confirms?|supports?)\b|"
    r"\bso\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?\s+(?:is|was|has been)\s+(?:shown|demonstrated)\b|"
    r"\b(?:(?:is|was|are|were|has been)\s+(?:met|documented|confirmed|received)|"
    r"meets?\s+(?:this|the|that)\b(?:\s+\w+){0,2}\s+"
    r"(?:requirement|criterion)|(?:requirement|criterion)\s+(?:is|was)\s+met)\b",
    re.IGNORECASE,
)
_NEGATED_MET_RE = re.compile(
    # the negation and the verdict in one clause: 'There is no cardiogenic shock, so that
    # condition is met' is met
    r"\b(?:not|never|none|neither|no)\b(?:(?!,\s*(?:so|and\s+so|which|therefore|thus)\b)[^.;])"
    r"{0,60}\b(?:met|meets?|documented|confirm(?:ed|s)?|"
    r"support(?:ed|s)?|received)\b",
    re.IGNORECASE,
)


def status_of(word: str) -> PayerStatus:
    """The payer status a finding word stands for ('Not met' -> not_met, 'N/A' ->
    not_applicable ...)."""
    word = " ".join(word.lower().replace("’", "'").split()).strip("()[]. ")
    if word in {"met", "meets", "satisfied", "yes", "✓", "✔", "☑"}:
        return "met"
    if word in {"not documented", "not provided", "not submitted", "not received"}:
        return "not_documented"
    if word in {"not applicable", "n/a", "na", "does not apply", "doesn't apply"}:
        return "not_applicable"
    return "not_met"


def status_from_narrative(text: str) -> PayerStatus | None:
    """The status a narrative sentence implies, if it implies one."""
    missing = _NOT_DOCUMENTED_CUE_RE.search(text)
    if _MET_CUE_RE.search(text) and not _NEGATED_MET_RE.search(text) and not missing:
        return "met"
    # 'The nutrition assessment is documented, but no psychological evaluation was submitted':
    # a part the records lack leaves the criterion not documented
    return "not_documented" if missing else None


_RECORD_SHOWS_RE = re.compile(
    r"\b(?:records?|documentation|notes?|chart|report|download|log|diary)\s+(?:clearly\s+)?"
    r"(?:documents?|shows?|demonstrates?|confirms?|supports?|reflects?)\b",
    re.IGNORECASE,
)
_CLAUSE_CUT_RE = re.compile(
    r"(?<=[.;!?])\s+|;\s*|,?\s+\b(?:but|however|whereas|although|though)\b,?\s*"
    r"|\s+\band\s+(?=(?:no|not|there)\b)",
    re.IGNORECASE,
)


def conceded_clauses(reason: str | None) -> list[str]:
    """The clauses of a payer's narrative that grant a part of the criterion ('a 4-month CPAP
    trial is documented; no download was provided' grants the first): a met cue or the records
    said to show it, never negated in the clause and naming nothing the records lack."""
    out = []
    for clause in _CLAUSE_CUT_RE.split(reason or ""):
        clause = clause.strip(" .;,")
        if not clause or _NEGATED_MET_RE.search(clause) or _NOT_DOCUMENTED_CUE_RE.search(clause):
            continue
        if _MET_CUE_RE.search(clause) or _RECORD_SHOWS_RE.search(clause):
            out.append(clause)
    return out


def is_narrative(sentence: str) -> bool:
    """True when a sentence is the payer's account of the records, not a requirement."""
    return bool(_NARRATIVE_RE.match(sentence.strip(" -–—:;,")))


def is_status_only(text: str) -> bool:
    """True when a table cell or line is only a finding ('Met', 'Not met', '✓')."""
    return bool(_STATUS_ONLY_RE.match(text))


@dataclass(frozen=True)
class Finding:
    """An item cut into the criterion's words, the payer's status and the narrative."""

    criterion: str
    status: PayerStatus | None
    reason: str | None


def _outside_quotes(text: str, position: int) -> bool:
    return (
        text[:position].count('"') + text[:position].count("“") + text[:position].count("”")
    ) % 2 == 0


_FINDING_LABEL_RE = re.compile(
    r"(?:(?<=[.;)])\s+|\s+[-–—]+\s+)(?P<label>(?:(?:the\s+)?(?:(?:physician|clinical|nurse|"
    r"medical)\s+)?(?:reviewer|medical\s+director)(?:['’]s)?(?:\s+(?:comments?|notes?|"
    r"findings?|rationale|determination|review))?|comments?|notes?|rationale|reviewer\s+"
    r"determination|what\s+(?:we|the\s+(?:plan|reviewer))\s+found|(?:our|plan)\s+findings?|"
    r"(?:review\s+)?status|findings?|determination))"
    r"\s*[:\-–—]\s*(?P<rest>\S.*)$",
    re.IGNORECASE,
)
"""A label that opens the payer's finding after the criterion's words ('... required.
Reviewer: not documented', 'Reviewer comment: DISE report not current', 'Reviewer note: no
integrity test received'): everything from the label on is the finding, never the criterion."""


def _labelled_finding(text: str) -> Finding | None:
    """The item cut at a finding label, when it has one: the criterion before it; the status
    its first words state ('Not met.') or its narrative implies; the rest as the reason."""
    label = _FINDING_LABEL_RE.search(text)
    if label is None or label.start() < 3 or not _outside_quotes(text, label.start()):
        return None
    criterion = text[: label.start()].strip()
    rest = label["rest"].strip()
    if opening := _VERDICT_OPENING_RE.match(rest):  # 'Not met.', 'Does not apply.', 'N/A'
        return Finding(criterion, status_of(opening["s"]), finding_reason(rest[opening.end() :]))
    return Finding(criterion, status_from_narrative(rest), finding_reason(rest))


_NOTE_LABEL = (
    r"(?:(?:the\s+)?(?:(?:physician|clinical|nurse|medical|pharmacist|peer)\s+)?"
    r"(?:reviewer|review|medical\s+director)(?:['’]s)?(?:\s+(?:comments?|notes?|findings?|"
    r"rationale|determination|assessment|decision))?|comments?|notes?|findings?|determination|"
    r"rationale|assessment|decision|status|result)"
)
_BRACKET_NOTE_RE = re.compile(
    rf"\s*\[\s*(?:(?P<label>{_NOTE_LABEL})\s*[:\-–—]\s*)?(?P<body>[^\[\]]+?)\s*\][\s.;,]*$",
    re.IGNORECASE,
)
_VERDICT_OPENING_RE = re.compile(
    r"^(?:(?:this\s+|the\s+)?(?:criteri(?:on|a)|requirement|standard|guideline|element)\s+)?"
    r"(?:(?:is|was|were|has\s+been|have\s+been)\s+)?"
    r"(?P<s>not\s+met|unmet|partially\s+met|not\s+documented|not\s+provided|not\s+submitted|"
    r"not\s+received|not\s+demonstrated|not\s+satisfied|not\s+applicable|does\s+not\s+apply|"
    r"doesn['’]t\s+apply|n/a|na(?=\s*(?:[.:;,\-–—]|$))|meets|met|satisfied|"
    r"(?:does\s+not|doesn['’]t|did\s+not|not)\s+meet|fails?)(?![\w/-])[\s.:;,\-–—]*",
    re.IGNORECASE,
)
"""A reviewer's note that opens with its verdict: 'Met -', 'Criterion not met.', 'Does not
meet;', 'N/A', 'Not applicable'."""


def _bracketed_finding(text: str) -> Finding | None:
    """The item cut at a reviewer's note in square brackets that closes it ('... older.
    [Reviewer: Met.]', '[Reviewer note: does not meet; a UTI was treated ...]', '[Finding: not
    documented]'): the criterion before it; the status the note opens with, else the one its
    narrative implies; the rest as the reason. A bracket that neither carries a reviewer's
    label nor opens with a verdict is the criterion's own words ('[see section 4]')."""
    note = _BRACKET_NOTE_RE.search(text)
    if note is None or note.start() < 3 or not _outside_quotes(text, note.start()):
        return None
    body = note["body"].strip()
    opening = _VERDICT_OPENING_RE.match(body)
    if opening is None and not note["label"]:
        return None
    criterion = text[: note.start()].strip()
    if opening is not None:
        return Finding(criterion, status_of(opening["s"]), finding_reason(body[opening.end() :]))
    # '... period ........ MET [Reviewer note: ventilator 24 hours on 11/10 ...]': the status
    # the item gave before its note stands; the note is its reason
    if note["label"] and (own := split_finding(criterion)).status is not None:
        return Finding(own.criterion, own.status, finding_reason(body))
    return Finding(criterion, status_from_narrative(body), finding_reason(body))


_NOTE_LINE_RE = re.compile(
    rf"^(?:(?:>{{1,3}}|»|=>|->|→)\s*)?(?:(?P<label>{_NOTE_LABEL})\s*[:\-–—]\s*|(?<=[>»→])\s*)"
    r"(?P<body>\S.*)$",
    re.IGNORECASE,
)


def note_finding(text: str) -> Finding | None:
    """The payer's finding when ``text`` is only a reviewer's note: in square brackets ('[Reviewer:
    Not met. The MRI report ...]'), or a line led by a finding's label or an arrow ('FINDING:
    MET (B). ...', '>> NOT MET - ...'), as under a criterion's sub-items; else None. Its
    criterion is empty."""
    text = " ".join(text.split())
    if text.startswith("["):
        return _bracketed_finding("... " + text)
    line = _NOTE_LINE_RE.match(text)
    if line is None or (opening := _VERDICT_OPENING_RE.match(line["body"])) is None:
        return None
    rest = re.sub(r"^\((?:route\s+)?[A-Za-z0-9]{1,3}\)", "", line["body"][opening.end() :])
    return Finding("", status_of(opening["s"]), finding_reason(rest))


_ROUTE_RE = re.compile(
    r"^\s*(?:met|satisfied)\s*(?:\((?:route\s+)?(?P<route>[A-Za-z0-9]{1,3})\)|"
    r"(?:via|through|under)\s+(?:route\s+)?(?:[IVX]{1,4}\.)?(?P<via>[A-Za-z0-9]{1,3})\b)",
    re.I,
)


def met_route(text: str) -> str | None:
    """The route a met finding names ('FINDING: MET (B). ...' -> 'B'), if it names one."""
    flat = " ".join(text.split())
    line = _NOTE_LINE_RE.match(flat)
    body = line["body"] if line else None
    if body is None and (bracket := _BRACKET_NOTE_RE.search(flat)) is not None:
        body = bracket["body"]  # '[Reviewer: MET via III.B. ...]'
    route = _ROUTE_RE.match(body) if body else None
    return (route["route"] or route["via"]) if route else None


_PART_LABEL_RE = re.compile(
    r"(?:^|(?<=[.;]\s))(?:[IVX]{1,4}\.|\d{1,2}\.)?(?P<label>[A-Z]|\d{1,2})(?:\s*:\s*|\s+)(?=\S)"
)
"""Where a note on several sub-items gives each its finding: 'VI.A MET (...). VI.B NOT MET:
...', 'II.A: ... II.B: not applicable; ...' (a sub-item's label, with its parent's before it)."""


def part_findings(note: str) -> dict[str, Finding]:
    """The finding a note on several sub-items gives each, by the sub-item's own label ('A', 'B'):
    the status its part opens with ('VI.B NOT MET: the problem list ...' -> 'B': not met), and
    its narrative; a part stating no verdict ('II.A: sertraline ... qualifies as one trial')
    has its narrative only (status None)."""
    flat = " ".join(note.split())
    starts = list(_PART_LABEL_RE.finditer(flat))
    found: dict[str, Finding] = {}
    for k, match in enumerate(starts):
        end = starts[k + 1].start() if k + 1 < len(starts) else len(flat)
        part = flat[match.end() : end]
        if match["label"] in found:
            continue
        opening = _VERDICT_OPENING_RE.match(part)
        if opening is None:
            found[match["label"]] = Finding("", None, finding_reason(part))
        else:
            found[match["label"]] = Finding(
                "", status_of(opening["s"]), finding_reason(part[opening.end() :])
            )
    return found


def split_finding(text: str) -> Finding:
    """The item ``text`` (whitespace collapsed) cut at the payer's status marker, or at the
    first narrative sentence after the criterion's own first sentence."""
    text = " ".join(text.split())
    if (bracketed := _bracketed_finding(text)) is not None:
        return bracketed
    if (labelled := _labelled_finding(text)) is not None:
        return labelled
    leading = re.match(
        rf"^(?:criteri(?:on|a)\s+)?{_STATUS_WORDS}(?:\s+criteri(?:on|a))?\s*[:\-–—]\s*(?P<rest>\S.*)$",
        text,
        re.IGNORECASE,
    )
    if leading:
        return Finding(leading["rest"], status_of(leading["s"]), None)
    best: re.Match[str] | None = None
    for regex in _STATUS_MARKER_RES:
        for match in regex.finditer(text):
            if match.start() < 3 or not _outside_quotes(text, match.start()):
                continue
            if best is None or match.start() < best.start():
                best = match
            break
    if best is not None:
        criterion = text[: best.start()].strip()
        reason = finding_reason(text[best.end() :])
        narrative = _narrative_tail(criterion)
        if narrative is not None:
            criterion, told = narrative
            reason = " ".join(r for r in (told, reason) if r) or None
        return Finding(criterion, status_of(best["s"]), reason)
    if trailing := _TRAILING_FINDING_RE.match(text):
        # 'A PHQ-9 total score of 20 or more: total score not documented'
        return Finding(trailing["c"], status_of(trailing["s"]), trailing["f"].rstrip(" ."))
    narrative = _narrative_tail(text)
    if narrative is not None:
        criterion, reason = narrative
        return Finding(criterion, status_from_narrative(reason), reason)
    return Finding(text, None, None)


_TRAILING_FINDING_RE = re.compile(
    r"^(?P<c>.{10,}?)\s*(?:[:;]|\s[-–—]+)\s*"
    r"(?P<f>(?:[\w'’/-]+\s+){0,4}?(?P<s>not\s+(?:met|documented|established|demonstrated|provided|"
    r"submitted|received|satisfied|shown)|insufficient|unmet)(?:\s+[\w'’/-]+){0,3}\s*\.?)$",
    re.IGNORECASE,
)
"""A short finding after the criterion's words that names what it is about before its status
('...: total score not documented', '... - trial not met', '...: insufficient information'):
the status is the finding's, never met by default ('not established' and 'insufficient' are
not met)."""


_FINDING_HEAD_RE = re.compile(
    r"^[ \t]*(?:(?:the\s+)?(?:(?:physician|clinical|medical|nurse)\s+)?(?:reviewer['’]?s?|review|"
    r"our|plan['’]s)\s+)?(?:findings?|determination|outcome|result|assessment|comments?)"
    r"[ \t]*:?[ \t]*\n(?P<body>[ \t]*\S[\s\S]*)$",
    re.IGNORECASE,
)
_LEADING_STATUS_RE = re.compile(
    rf"^{_STATUS_WORDS}{_END}\s*[.:;,\-–—]?\s*(?P<rest>.*)$", re.IGNORECASE
)


def finding_block(text: str) -> Finding | None:
    """The payer's finding when a paragraph is only that: a label alone on its first line
    ('Reviewer's finding', 'Finding:', 'Determination') over the finding ('Not met. The notes
    state ...'), as under a criterion heading with no body of its own; else None. The
    finding's first words give the status, else its narrative does."""
    block = _FINDING_HEAD_RE.match(text)
    if block is None:
        return None
    body = " ".join(block["body"].split())
    if leading := _LEADING_STATUS_RE.match(body):
        return Finding("", status_of(leading["s"]), finding_reason(leading["rest"]))
    return Finding("", status_from_narrative(body), body)


def _narrative_tail(text: str) -> tuple[str, str] | None:
    """(criterion, narrative) when a sentence after the first one is narrative."""
    sentences = split_sentences(text, flatten=True)
    for i, sentence in enumerate(sentences[1:], 1):
        if is_narrative(sentence):
            return " ".join(sentences[:i]), " ".join(sentences[i:])
    return None


_ROUTE_HEAD_RE = re.compile(
    r"^\s*\((?:route\s+)?(?P<route>[A-Za-z0-9]{1,3}(?:\.[A-Za-z0-9]{1,3}){0,2})\)"
)
"""A finding's route or part at the head of its reason ('MET (B). Center-involved DME': '(B)';
'NOT MET (3.c). 3.a and 3.b are met ...': '(3.c)', the part not met)."""


def finding_reason(rest: str) -> str | None:
    """The finding's narrative after its status word; a route it names first is kept whole
    ('(B) Center-involved DME, right eye'), so the reader knows which route was met."""
    route = _ROUTE_HEAD_RE.match(rest)
    if route is not None:
        told = finding_reason(rest[route.end() :])
        return f"({route['route']}) {told}" if told else None
    rest = re.sub(
        r"^[\s.:;,)\]\-–—]*(?:(?:because|since|as|per|so)\b[\s,]*)?", "", rest, flags=re.IGNORECASE
    )
    rest = rest.strip(" .;:,()[]")
    return rest if len(rest.split()) >= 2 else None


# ------------------------------------------------------------------------ what the records lacked

_LACK_CUE_RE = re.compile(
    r"\b(?:no|without|(?:did|could)\s+not\s+(?:receive|find|see|get)|there\s+(?:is|was|were)\s+"
    r"no)\s+(?=\S)",
    re.IGNORECASE,
)
_LACK_END_RE = re.compile(
    r"\s*[;.:)…](?:\s|$)|\s*[;:)…]|,\s+(?:and|but|so|which|as)\s+(?!(?:of\s+)?(?:an?|the)\s)|"
    r"\s+(?:in|among|from)\s+the\s+(?:records?|notes?|chart|file|documentation|information|"
    r"claims?|request|submission)\b|\s+(?:was|were|is|are|has\s+been|have\s+been)\s+"
    r"(?:\w+\s+)?(?:submitted|received|included|provided|documented|reported|found|sent|"
    r"described|given|noted|seen|tried|done|shown|available)\b|\s+(?:after|before|other\s+than|"
    r"since|because|for\s+(?:this|the)\s+(?:request|review))\b|\s+that\s+(?:was|were)\b",
    re.IGNORECASE,
)
_LACK_SPLIT_RE = re.compile(
    r",\s+(?:or\s+|and\s+)?(?=(?:an?|the)\s)|\s+(?:or|and)\s+(?=(?:of\s+)?(?:an?|the)\s)|"
    r"\s+or\s+of\s+",
    re.IGNORECASE,
)
_UNSTATED_RE = re.compile(
    r"(?:^|[,;]\s+(?:and\s+)?|\bbut\s+)(?P<t>(?:the\s+)?(?!no\b)(?:[\w'’/-]+\s+){0,6}?"
    r"[\w'’/-]+)\s+(?:is|was|were|are)\s+not\s+(?:stated|documented|submitted|included|provided|"
    r"received|reported|given|recorded)\b",
    re.IGNORECASE,
)
_NOT_STATED_RE = re.compile(r"\s+(?:is|was|were|are)\s+not\s+\w+", re.IGNORECASE)
_NOT_A_THING = frozenset(
    {"one", "other", "longer", "more", "further", "such", "evidence", "record", "change", "less"}
)


def lacks_in(reason: str | None) -> list[str]:
    """What the payer's narrative says the records lacked, each verbatim: 'no trial of
    azathioprine or of a corticosteroid course' -> 'trial of azathioprine', 'a corticosteroid
    course'; 'We did not receive a microarray report' -> 'a microarray report'; 'the length of
    the trial is not stated' -> 'the length of the trial'. A list without articles ('no chewing,
    swallowing, speech or sleep problem') stays one phrase."""
    if not reason:
        return []
    text = " ".join(reason.split())
    found: list[tuple[int, str]] = []
    for cue in _LACK_CUE_RE.finditer(text):
        end = _LACK_END_RE.search(text, cue.end())
        obj = text[cue.end() : end.start() if end else len(text)]
        position = cue.end()
        for item in _LACK_SPLIT_RE.split(obj):
            cut = _LACK_END_RE.search(item) or _NOT_STATED_RE.search(item)
            found.append((position, item[: cut.start()] if cut else item))
            position += len(item)
    found += [(m.start("t"), m["t"]) for m in _UNSTATED_RE.finditer(text)]
    kept: list[str] = []
    for _, thing in sorted(found):
        thing = re.sub(r"^of\s+", "", thing.strip(" ,;.")).strip()
        words = thing.lower().split()
        if len(thing) < 3 or not words or words[-1] in _NOT_A_THING or len(words) > 14:
            continue
        if not any(thing in other or other in thing for other in kept):
            kept.append(thing)
    return kept[:8]


# ------------------------------------------------------------------------ the records reviewed

RECORDS_FILE = Path(__file__).with_name("records_reviewed.yaml")


class _Lead(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: Literal["colon", "paren", "object"]
    pattern: str


class _RecordsRules(BaseModel):
    """``records_reviewed.yaml``, as data."""

    model_config = ConfigDict(extra="forbid")
    leads: list[_Lead]
    object_end: str
    record_words: str
    generic_words: str


@dataclass(frozen=True)
class _RecordsCompiled:
    leads: tuple[tuple[str, re.Pattern[str]], ...]
    object_end: re.Pattern[str]
    record: re.Pattern[str]
    generic: re.Pattern[str]


@cache
def _records_rules() -> _RecordsCompiled:
    rules = _RecordsRules.model_validate(yaml.safe_load(RECORDS_FILE.read_text(encoding="utf-8")))
    return _RecordsCompiled(
        tuple((lead.body, re.compile(lead.pattern, re.IGNORECASE)) for lead in rules.leads),
        re.compile(rules.object_end, re.IGNORECASE),
        re.compile(rules.record_words, re.IGNORECASE),
        re.compile(rules.generic_words, re.IGNORECASE),
    )


_LIST_LINE_RE = re.compile(r"^[ \t]*(?:[-•·▪◦●○■*–o]|\(?\d{1,2}[.)]|\(?[a-z][.)])[ \t]+(?=\S)")
_ITEM_SPLIT_RE = re.compile(r"\s*;\s*|,\s+(?:and\s+|or\s+)?|\s+and\s+")


def _paragraph_after(text: str, start: int) -> str:
    """From ``start`` to the end of its paragraph (a blank line)."""
    end = re.compile(r"\n[ \t]*\n").search(text, start)
    return text[start : end.start() if end else len(text)]


def _listed_below(text: str, start: int) -> list[str]:
    """The list items on the lines after ``start`` (each with its wrapped lines), up to the
    first line that is neither an item nor indented under one."""
    items: list[str] = []
    indent = None
    for line in text[start:].split("\n")[1:]:
        marker = _LIST_LINE_RE.match(line)
        if marker:
            items.append(line[marker.end() :].strip())
            indent = len(line) - len(line.lstrip())
        elif (
            items
            and line.strip()
            and indent is not None
            and len(line) - len(line.lstrip()) > indent
        ):
            items[-1] += " " + line.strip()
        elif items or line.strip():
            break
    return items


def _paren_body(text: str, open_at: int) -> str:
    depth = 0
    for i in range(open_at, min(len(text), open_at + 1200)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return text[open_at + 1 : i]
    return ""


def _record_items(body: str) -> list[str]:
    """A run of records cut into one record each: at ';', ',' and 'and', where each side names
    a record ('office notes dated 09/08/2026 and 11/03/2026' stays one)."""
    record = _records_rules().record
    items: list[str] = []
    for piece in _ITEM_SPLIT_RE.split(" ".join(body.split())):
        piece = piece.strip(" .,;:")
        if not piece:
            continue
        if items and not record.search(piece):
            # 'October 22, 2026': the year after a month and day is the same date's
            same_date = re.match(r"(?:19|20)\d{2}\b", piece) and re.search(
                rf"\b{MONTH_NAME}\.? \d{{1,2}}$", items[-1], re.IGNORECASE
            )
            joint = ", " if same_date or not re.match(r"\d", piece) else " and "
            items[-1] += joint + piece
        else:
            items.append(piece)
    return [i for i in (_trimmed(i) for i in items) if _names_record(i)]


_DATED_RE = re.compile(r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{4}-\d{2}-\d{2}\b|\b(?:19|20)\d{2}\b")


def _trimmed(item: str) -> str:
    return re.sub(r"^(?:and|or|in|from|plus|also)\s+", "", item.strip(" .,;:"), flags=re.I)


def _names_record(item: str) -> bool:
    """A record of its own ('the echocardiogram report of 09/12/2026'), not records in general
    ('your records', 'the information from your child's doctor') unless it is dated."""
    rules = _records_rules()
    if not 3 <= len(item) <= 300 or not rules.record.search(item):
        return False
    specific = rules.record.sub(" ", rules.generic.sub(" ", item)) != rules.generic.sub(" ", item)
    return specific or bool(_DATED_RE.search(item))


def records_reviewed(text: str) -> list[str]:
    """The records the notice says its reviewer had ('We reviewed: the consultation of
    09/30/2026, the echocardiogram report ...', 'Documents considered:' and a list, 'the records
    sent by your doctor (office note of ... and audiology report of ...)'), each verbatim in
    the notice's order: the letter never says the reviewer lacked one of these."""
    rules = _records_rules()
    found: list[str] = []
    read: list[tuple[int, int]] = []  # spans already read (a later lead reads none of them)
    for body_kind, regex in rules.leads:
        for match in regex.finditer(text):
            if any(a <= match.start() < b or match.start() <= a < match.end() for a, b in read):
                continue
            read.append((match.start(), match.end() + 1))
            if body_kind == "paren":
                items = _record_items(_paren_body(text, match.end() - 1))
            else:
                rest = _paragraph_after(text, match.end())
                first_line = rest.split("\n", 1)[0].strip()
                if body_kind == "colon" and not first_line:
                    listed = map(_trimmed, _listed_below(text, match.end()))
                    items = [i for i in listed if _names_record(i)]
                else:
                    sentences = split_sentences(rest, flatten=True)
                    sentence = sentences[0] if sentences else ""
                    if body_kind == "object" and (end := rules.object_end.search(sentence)):
                        sentence = sentence[: end.start()]
                    items = _record_items(sentence)
            found += [i for i in items if i not in found]
    return found[:20]


_RECORD_DAY_RE = re.compile(
    r"(?<![\d/])(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![\d/])"
)


def records_through(records: Sequence[str], notice: dt.date | None) -> dt.date | None:
    """The last day the reviewed records reach ('physician progress notes 11/05-11/08,
    respiratory therapy flowsheets 11/05-11/10' -> November 10): the latest date they name, a
    date without its year in the notice's year (the year before when that would fall after the
    notice); None without a notice date or a dated record."""
    if notice is None:
        return None
    days = []
    for record in records:
        for m in _RECORD_DAY_RE.finditer(record):
            year = int(m["y"]) if m["y"] else notice.year
            year += 2000 if year < 100 else 0
            try:
                day = dt.date(year, int(m["m"]), int(m["d"]))
            except ValueError:
                continue
            if not m["y"] and day > notice:
                day = day - dt.timedelta(days=365)  # late in the year before the notice
            if day <= notice:
                days.append(day)
    return max(days, default=None)


def opens_records_reviewed(text: str) -> bool:
    """True when a paragraph opens by listing the records the reviewer had ('We reviewed: ...',
    'Documents considered:'): a paragraph between a criteria list and the payer's findings."""
    head = " ".join(text.split())[:200]
    return any(
        (m := regex.search(head)) is not None and m.start() == 0
        for _, regex in _records_rules().leads
    )


_TITLE_WORD_RE = re.compile(r"[a-z][a-z0-9-]{3,}")
_GENERIC_TITLE_WORDS = frozenset(
    [
        "report",
        "reports",
        "note",
        "notes",
        "record",
        "records",
        "summary",
        "summaries",
        "letter",
        "letters",
        "form",
        "forms",
        "document",
        "documents",
        "documentation",
        "clinic",
        "office",
        "visit",
        "visits",
        "dated",
        "result",
        "results",
        "copy",
        "copies",
        "page",
        "pages",
        "from",
        "with",
        "and",
        "the",
        "for",
        "this",
        "that",
        "plan",
        "member",
        "patient",
        "signed",
        "physician",
        "provider",
        "doctor",
        "medical",
        "health",
        "care",
    ]
)
"""Words of a record's title that do not tell one record from another."""


_RECORD_KINDS = frozenset(
    {"note", "notes", "report", "reports", "summary", "letter", "record", "records", "form"}
)
_MONTH_WORDS_RE = re.compile(rf"\b(?:{MONTH_NAME})\b\.?", re.IGNORECASE)


def _dates(text: str) -> set[dt.date]:
    return {d for m in DATE_RE.finditer(text) if (d := parse_date(m)) is not None}


def reviewed_by_payer(title: str, reviewed: list[str]) -> bool:
    """Whether an enclosure's title names a record the notice lists as reviewed: a distinctive
    word of the title ('echocardiogram', 'discharge') in one of the notice's items, or the same
    kind of record ('note', 'report') of the same date ('clinic note of 10/22/2026'). The
    letter then never says the reviewer did not have it."""
    title_words = set(_TITLE_WORD_RE.findall(_MONTH_WORDS_RE.sub(" ", title.lower())))
    words = title_words - _GENERIC_TITLE_WORDS
    kinds, dates = title_words & _RECORD_KINDS, _dates(title)
    for item in reviewed:
        item_words = set(_TITLE_WORD_RE.findall(_MONTH_WORDS_RE.sub(" ", item.lower())))
        if words & item_words:
            return True
        if dates and kinds & item_words and dates & _dates(item):
            return True
    return False
