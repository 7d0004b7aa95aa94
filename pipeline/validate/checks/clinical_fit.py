"""Facts where they belong: each criterion's section argues with evidence about that criterion
(not another's, moved there by hand), and a side of the body (left, right) is the side the
inputs give."""

from __future__ import annotations

import re

from ...models import ValidationFinding
from ...reasoning.argument import record_at, shortfall
from ...reasoning.strategy import open_asks
from ...text.tokens import stem
from .._context import Context
from .._findings import FindingCode, finding
from .._registry import Scope, check

_QUOTE_RE = re.compile(r"[“\"][^”\"]*[”\"]")
_CITED_LINE_RE = re.compile(r"^.*\[\d+(?:,\s*\d+)*\].*$", re.M)
"""A line that cites a passage: what a guideline says, not the case's evidence."""
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z-]{2,}")
_GENERIC = frozenset(
    stem(w)
    for w in [
        "failure",
        "failed",
        "documented",
        "documentation",
        "least",
        "months",
        "month",
        "weeks",
        "week",
        "days",
        "record",
        "shows",
        "otherwise",
        "patient",
        "including",
        "include",
        "treatment",
        "treatments",
        "trial",
        "trials",
        "criterion",
        "criteria",
        "denial",
        "states",
        "following",
        "specifically",
        "meets",
        "standard",
        "set",
        "guideline",
        "therapy",
        "unless",
        "with",
        "from",
        "that",
        "this",
        "their",
        "have",
        "been",
        "were",
        "also",
        "more",
        "than",
        "after",
        "before",
        "within",
        "prior",
        "required",
        "requirement",
        "other",
        "each",
        "such",
        # the comparison's own template ('The plan requires ...; the record shows ..., which
        # meets it'), never what a fact is about
        "the",
        "which",
        "plan",
        "requires",
    ]
)
_SIDE_RE = re.compile(r"\b(left|right|bilateral)\s+([a-z]{3,})", re.IGNORECASE)


def _content_stems(text: str) -> set[str]:
    return {s for w in _WORD_RE.findall(text.lower()) if (s := stem(w)) not in _GENERIC}


@check(Scope.letter, codes=[FindingCode.CRITERIA_EVIDENCE_MISPLACED])
def check_evidence_fits_criterion(ctx: Context) -> list[ValidationFinding]:
    """A criterion's evidence shares words with that criterion (or with what the reviewer said
    it lacks: the records answering 'no CT of the chest, abdomen and pelvis within 60 days' are
    the survival criterion's), not only with another: the evidence of one criterion moved under
    another's heading is caught."""
    criteria = ctx.draft.analysis.criteria
    texts = {i + 1: _content_stems(c.text) for i, c in enumerate(criteria)}
    disputed = {i + 1: _content_stems(shortfall(c, criteria)) for i, c in enumerate(criteria)}
    # one not argued (an alternative not relied on, one accepted or not applicable) has no
    # evidence, only the line saying why
    unargued = {
        v.index + 1 for v in ctx.verdicts if v.alternative or v.accepted or v.not_applicable
    }
    computed = _computed_names(ctx)
    out = []
    for number, block in ctx.doc.criteria.items():
        own = texts.get(number)
        if (
            not own
            or number in unargued
            or criteria[number - 1].payer_status in ("met", "not_applicable")
        ):
            continue
        evidence = _CITED_LINE_RE.sub(" ", _QUOTE_RE.sub(" ", block.body))
        for ask in open_asks():  # what the physician asks is no evidence of any criterion
            evidence = evidence.replace(ask, " ")
        words = _content_stems(evidence)
        if (
            not words
            or words & (own | disputed[number])
            or _names_its_facts(evidence, computed.get(number, []))
        ):
            continue
        best = (
            max((len(words & t), n) for n, t in texts.items() if n != number)
            if len(texts) > 1
            else (0, 0)
        )
        if best[0] >= 2:
            out.append(
                finding(
                    FindingCode.CRITERIA_EVIDENCE_MISPLACED,
                    f"The evidence under criterion {number} is about criterion {best[1]}, not "
                    "this one.",
                    span=(block.start, block.end),
                )
            )
    return out


def _computed_names(ctx: Context) -> dict[int, list[str]]:
    """Criterion number -> the names of the treatments and findings its computed verdict rests
    on: a fact the verdicts tie to a criterion is its evidence, whatever words it shares with
    the criterion ('Home sleep apnea test' under 'AHI ... 5 to 14 events per hour'), named by
    the name before its parenthesis, as the letter's lines name it."""
    out: dict[int, list[str]] = {}
    for v in ctx.verdicts:
        for path in v.evidence:
            record = record_at(ctx.draft.case, path)
            name = record.name.split(" (")[0].strip() if record is not None else ""
            if len(name) >= 3:
                out.setdefault(v.index + 1, []).append(name.casefold())
    return out


def _names_its_facts(evidence: str, names: list[str]) -> bool:
    lowered = evidence.casefold()
    return any(name in lowered for name in names)


@check(Scope.section, codes=[FindingCode.LATERALITY_MISMATCH])
def check_laterality(ctx: Context) -> list[ValidationFinding]:
    """'left knee' where the inputs only say 'right knee' (a side changed by hand)."""
    blob = ctx.grounding.blob.lower()
    given: dict[str, set[str]] = {}
    for m in _SIDE_RE.finditer(blob):
        given.setdefault(m.group(2), set()).add(m.group(1))
    out = []
    for m in _SIDE_RE.finditer(ctx.masked_body):
        side, part = m.group(1).lower(), m.group(2).lower()
        sides = given.get(part)
        if sides and side not in sides:
            out.append(
                finding(
                    FindingCode.LATERALITY_MISMATCH,
                    f"The letter says {side} {part}; the inputs say {' or '.join(sorted(sides))}.",
                    span=m.span(),
                    excerpt=m.group(),
                )
            )
    return out
