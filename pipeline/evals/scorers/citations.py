"""Citation precision: in-text citations that resolve to a passage retrieved for the letter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...validate import parse_document
from ..cases import EvalCase
from ..execute import CaseOutput
from .base import Score, Scorer, ratio, scored, skip


class Citations(Scorer):
    name = "citation_precision"
    title = "Citation precision (citations resolving to retrieved passages)"

    def score(self, case: EvalCase, out: CaseOutput) -> Score:
        if out.markdown is None:
            return skip("no letter was drafted")
        doc = parse_document(out.markdown)
        retrieved = {h.id for h in out.passages}
        targets = {e.number: e.passage_id for e in doc.references}
        cited = [n for c in doc.citations for n in c.numbers]
        if not cited:
            return skip("the letter cites nothing")
        bad = sorted({n for n in cited if targets.get(n) not in retrieved})
        good = sum(1 for n in cited if targets.get(n) in retrieved)
        explanation = f"{good} of {len(cited)} citations resolve to retrieved passages" + (
            f"; unresolved: {', '.join(f'[{n}]' for n in bad)}" if bad else ""
        )
        return Score(
            value=ratio(good, len(cited)),
            explanation=explanation,
            details={"citations": len(cited), "resolved": good},
        )

    def summarize(self, scores: Sequence[Score | None]) -> dict[str, Any]:
        applied = scored(scores)
        good = sum(s.details["resolved"] for s in applied)
        total = sum(s.details["citations"] for s in applied)
        return {"value": ratio(good, total), "n": len(applied), "citations": total}


SCORER = Citations()
