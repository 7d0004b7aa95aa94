"""A notice that denies on several grounds, one part each ('GROUND 2 - NON-PREFERRED PRODUCT',
'Line 02 (95805): ...'): the letter answers each part in a section of its own, with its
category's strategy, rather than answering the first ground and leaving the others standing.
How a notice lays its parts out is data (``specs/ground/parts.yaml``); what each category's
section says is its spec's ``part`` sentence (``specs/<category>.yaml``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pydantic import Field

from ..models import CaseFacts, Criterion, DenialCategory, Strict
from ..text.sentences import split_sentences
from .specs import load_spec, pattern, says, specs

_MIN_SCORE = 3.0
"""A part's category needs phrases worth this much in its own text (one strong phrase)."""


class PartsSpec(Strict):
    """specs/ground/parts.yaml: how a notice lays out its grounds, one part each."""

    version: int = Field(ge=1)
    headings: list[str] = Field(min_length=1)
    ground_headings: list[str] = Field(default_factory=list)
    """More headings of a part the reading knows (:func:`notice_parts` with ``grounds``)."""
    ends: list[str] = Field(min_length=1)
    accepts: list[str] = Field(min_length=1)
    shared_words: int = Field(ge=1)


@cache
def parts_spec() -> PartsSpec:
    return load_spec(PartsSpec, "ground", "parts.yaml")


@dataclass(frozen=True)
class NoticePart:
    """One ground of a notice that states several."""

    label: str
    """As the notice names it: 'GROUND 2', 'Line 02 (95805)'."""
    title: str
    """The heading's words for the ground ('NON-PREFERRED PRODUCT'; '' when it has none)."""
    text: str
    """The part's own text, its heading's words aside."""
    categories: tuple[DenialCategory, ...]
    """The denial categories its own text states, the strongest first."""

    def heading(self) -> str:
        """'Ground 2 — Non-preferred product', 'Line 02 (95805)'."""
        label = " ".join(self.label.split())
        label = label[:1].upper() + label[1:].lower() if label.isupper() else label
        title = " ".join(self.title.split()).strip(" -")
        if not title:
            return label
        return f"{label} — {title[:1].upper()}{title[1:].lower() if title.isupper() else title[1:]}"


def _categories(text: str) -> tuple[DenialCategory, ...]:
    scores: dict[DenialCategory, float] = {}
    for category, spec in specs().items():
        score = sum(p.weight for p in spec.phrases if pattern(p.pattern).search(text))
        if score >= _MIN_SCORE:
            scores[category] = score
    ranked = sorted(scores, key=lambda c: (-scores[c], specs()[c].precedence))
    return tuple(ranked)


def notice_parts(letter_text: str, *, grounds: bool = False) -> tuple[NoticePart, ...]:
    """The notice's grounds, each with its own text and categories, when it states two or more
    under headings of their own; () otherwise (one ground: the letter answers it as a whole).
    ``grounds``: the reading's parts, by the spec's ``ground_headings`` too (a heading under a
    rule line, 'PART A - ...'), to read each ground of the notice."""
    spec = parts_spec()
    found: dict[int, re.Match[str]] = {}
    for p in [*spec.headings, *(spec.ground_headings if grounds else [])]:
        for m in re.finditer(p, letter_text, re.MULTILINE):
            found.setdefault(m.start(), m)
    heads = [found[k] for k in sorted(found)]
    if len(heads) < 2:
        return ()
    out = []
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(letter_text)
        body = letter_text[m.end() : end]
        for stop in spec.ends:
            if (s := re.search(stop, body, re.MULTILINE)) is not None and s.start() > 0:
                body = body[: s.start()]
        groups = m.groupdict()
        text = f"{groups.get('rest') or ''}{body}".strip()
        title = groups.get("title") or ""
        out.append(NoticePart(m.group("label"), title, text, _categories(f"{title}\n{text}")))
    return tuple(out)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z-]{3,}", text.lower())}


def accepted(part: NoticePart, case: CaseFacts) -> str:
    """The sentence of the case's service details that accepts what the part asks for instead
    ('Plan-preferred generic tolvaptan is acceptable in place of brand Jynarque'), sharing
    words with the part; '' when none does."""
    spec = parts_spec()
    own = _words(f"{part.title} {part.text}")
    for sentence in split_sentences(case.service.details or ""):
        if says(spec.accepts, sentence) and len(_words(sentence) & own) >= spec.shared_words:
            return " ".join(sentence.split())
    return ""


def holds(part: NoticePart, criterion: Criterion) -> bool:
    """Whether the criterion is stated within the part."""
    head = " ".join(criterion.text.split())[:60]
    return bool(head) and head in " ".join(part.text.split())
