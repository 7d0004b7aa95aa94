"""What the page shows beside a draft: the documentation gap map and the letter's annotations."""

from __future__ import annotations

import re

from .. import letter_format as lf
from ..evidence import case_facts
from ..models import CaseFacts, CriterionArgument, DenialAnalysis, Draft, Gap, ValidationReport
from ..validate import parse_document
from .schemas import (
    Annotations,
    CitationMark,
    EvidenceItem,
    GapMap,
    GapRow,
    ReferenceMark,
    Review,
    Span,
)

_INDEXED_RE = re.compile(r"^(\w+)\[(\d+)\]$")
_LIST_LABELS = {"prior_treatments": "Prior treatment", "objective_findings": "Objective finding"}


def path_label(path: str) -> str:
    """'prior_treatments[2]' -> 'Prior treatment 3'; 'clinical_summary' -> 'Clinical summary'."""
    m = _INDEXED_RE.match(path)
    if m and m.group(1) in _LIST_LABELS:
        return f"{_LIST_LABELS[m.group(1)]} {int(m.group(2)) + 1}"
    return path.replace(".", " ").replace("_", " ").capitalize()


def _belongs(gap: Gap, criterion: int, evidence: list[str]) -> bool:
    """A gap is a criterion's when it names the criterion or a fact its argument relies on."""
    return gap.field == f"criteria[{criterion}]" or any(
        gap.field.startswith(f"{path}.") for path in evidence
    )


def gap_map(
    analysis: DenialAnalysis,
    case: CaseFacts,
    arguments: list[CriterionArgument],
    gaps: list[Gap],
) -> GapMap:
    """One row per cited criterion; gaps tied to no criterion are listed apart."""
    sentences: dict[str, list[str]] = {}
    for fact in case_facts(case):
        sentences.setdefault(fact.path, []).append(fact.sentence)
    evidence_of = {a.criterion_index: a.evidence for a in arguments}
    rows: list[GapRow] = []
    placed: set[int] = set()
    for i, criterion in enumerate(analysis.criteria):
        paths = evidence_of.get(i, [])
        missing = [g for g in gaps if _belongs(g, i, paths)]
        placed.update(id(g) for g in missing)
        rows.append(
            GapRow(
                number=i + 1,
                requires=criterion.text,
                source=criterion.source,
                evidence=[
                    EvidenceItem(
                        path=p,
                        label=path_label(p),
                        text=" ".join(sentences[p]) if p in sentences else None,
                    )
                    for p in paths
                ],
                missing=missing,
            )
        )
    return GapMap(rows=rows, other=[g for g in gaps if id(g) not in placed])


def letter_annotations(markdown: str, draft: Draft) -> Annotations:
    """Citations, references (resolved to the draft's passages) and [MISSING] fields."""
    doc = parse_document(markdown)
    passages = {rp.passage.id: rp.passage for rp in draft.passages}
    references = []
    for entry in doc.references:
        passage = passages.get(entry.passage_id or "")
        references.append(
            ReferenceMark(
                start=entry.span[0],
                end=entry.span[1],
                number=entry.number,
                passage_id=passage.id if passage else None,
                reference=passage.reference() if passage else entry.text,
                text=passage.text if passage else None,
            )
        )
    return Annotations(
        citations=[
            CitationMark(start=c.span[0], end=c.span[1], numbers=list(c.numbers))
            for c in doc.citations
        ],
        references=references,
        placeholders=[
            Span(start=m.start(), end=m.end()) for m in lf.PLACEHOLDER_RE.finditer(markdown)
        ],
    )


def review(markdown: str, draft: Draft, report: ValidationReport) -> Review:
    """The verdict on ``markdown`` and its annotations."""
    errors = len(report.errors)
    return Review(
        ok=report.ok,
        errors=errors,
        warnings=len(report.findings) - errors,
        report=report,
        annotations=letter_annotations(markdown, draft),
    )
