"""Primary denial category: accuracy per case and a confusion matrix over the run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..cases import EvalCase
from ..execute import CaseOutput
from .base import Score, Scorer, ratio, scored, skip

NONE = "(none)"
"""The predicted label when the pipeline found no category."""


class Category(Scorer):
    name = "primary_category"
    title = "Primary denial category accuracy"

    def score(self, case: EvalCase, out: CaseOutput) -> Score:
        expected = case.expected.denial_categories
        if not expected:
            return skip("the case states no denial category")
        if out.analysis is None:
            return skip("no analysis (the case failed before extraction finished)")
        found = [c.value for c in out.analysis.denial_categories]
        primary, predicted = expected[0].value, found[0] if found else NONE
        listed = [c.value for c in expected]
        recalled = [c for c in listed if c in found]
        ok = primary == predicted
        verdict = "correct" if ok else f"expected {primary}, got {predicted}"
        return Score(
            value=1.0 if ok else 0.0,
            explanation=f"{verdict}; found {found or 'none'}",
            details={
                "expected": primary,
                "predicted": predicted,
                "expected_all": listed,
                "found_all": found,
                "recalled": len(recalled),
            },
        )

    def summarize(self, scores: Sequence[Score | None]) -> dict[str, Any]:
        applied = scored(scores)
        matrix: dict[str, dict[str, int]] = {}
        for s in applied:
            row = matrix.setdefault(s.details["expected"], {})
            row[s.details["predicted"]] = row.get(s.details["predicted"], 0) + 1
        correct = sum(s.value or 0 for s in applied)
        listed = sum(len(s.details["expected_all"]) for s in applied)
        return {
            "value": ratio(correct, len(applied)),
            "n": len(applied),
            "confusion_matrix": matrix,
            "all_category_recall": ratio(sum(s.details["recalled"] for s in applied), listed),
        }


SCORER = Category()
