"""Criteria recall: each expected key phrase should occur in some extracted criterion."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..cases import EvalCase
from ..execute import CaseOutput
from .base import Score, Scorer, normalize_text, ratio, scored, skip


class Criteria(Scorer):
    name = "criteria_recall"
    title = "Criteria recall (expected key phrases found in extracted criteria)"

    def score(self, case: EvalCase, out: CaseOutput) -> Score:
        phrases = case.expected.criteria
        if not phrases:
            return skip("the case states no criteria")
        if out.analysis is None:
            return skip("no analysis (the case failed before extraction finished)")
        extracted = [normalize_text(c.text) for c in out.analysis.criteria]
        missed = [p for p in phrases if not any(normalize_text(p) in c for c in extracted)]
        found = len(phrases) - len(missed)
        explanation = f"{found} of {len(phrases)} phrases found in {len(extracted)} criteria" + (
            f"; missed: {'; '.join(missed)}" if missed else ""
        )
        return Score(
            value=ratio(found, len(phrases)),
            explanation=explanation,
            details={
                "expected": len(phrases),
                "found": found,
                "extracted": len(extracted),
                "missed": missed,
            },
        )

    def summarize(self, scores: Sequence[Score | None]) -> dict[str, Any]:
        applied = scored(scores)
        found = sum(s.details["found"] for s in applied)
        expected = sum(s.details["expected"] for s in applied)
        return {"value": ratio(found, expected), "n": len(applied), "phrases": expected}


SCORER = Criteria()
