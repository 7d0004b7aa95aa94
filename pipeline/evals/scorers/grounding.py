"""Grounding violations per letter: numbers the letter states that no input supports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...validate import FindingCode
from ..cases import EvalCase
from ..execute import CaseOutput
from .base import Score, Scorer, mean, scored, skip

CODE = FindingCode.GROUNDING_UNSUPPORTED_NUMBER


class Grounding(Scorer):
    name = "grounding_violations"
    title = "Grounding violations per letter"
    unit = "count"
    higher_is_better = False
    pass_mark = 0.0

    def score(self, case: EvalCase, out: CaseOutput) -> Score:
        if out.validation is None:
            return skip("no validated letter")
        found = [f for f in out.validation.findings if f.code == CODE]
        excerpts = [f.excerpt for f in found if f.excerpt]
        explanation = f"{len(found)} unsupported number(s)" + (
            f": {', '.join(excerpts[:5])}" if excerpts else ""
        )
        return Score(value=float(len(found)), explanation=explanation)

    def summarize(self, scores: Sequence[Score | None]) -> dict[str, Any]:
        values = [s.value or 0.0 for s in scored(scores)]
        return {
            "value": mean(values),
            "n": len(values),
            "total": int(sum(values)),
            "letters_with_violations": sum(1 for v in values if v),
        }


SCORER = Grounding()
