"""Gap recall: for cases with missing facts, the case-file fields the pipeline reports missing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..cases import EvalCase
from ..execute import CaseOutput
from .base import Score, Scorer, ratio, scored, skip


class Gaps(Scorer):
    name = "gap_recall"
    title = "Gap recall (missing facts reported)"

    def score(self, case: EvalCase, out: CaseOutput) -> Score:
        expected = case.expected.gaps
        if expected is None:
            return skip("the case states no expected gaps")
        if out.markdown is None:
            return skip("no letter was drafted")
        reported = {g.field for g in out.gaps}
        missed = [f for f in expected if f not in reported]
        extra = sorted(reported - set(expected))
        parts = [f"{len(expected) - len(missed)} of {len(expected)} expected gaps reported"]
        if missed:
            parts.append(f"missed {missed}")
        if extra:
            parts.append(f"also reported {extra}")
        value = ratio(len(expected) - len(missed), len(expected))
        return Score(
            # No gap expected: right when none is reported.
            value=value if value is not None else (0.0 if extra else 1.0),
            explanation="; ".join(parts),
            details={
                "expected": len(expected),
                "found": len(expected) - len(missed),
                "extra": len(extra),
            },
        )

    def summarize(self, scores: Sequence[Score | None]) -> dict[str, Any]:
        applied = scored(scores)
        found = sum(s.details["found"] for s in applied)
        expected = sum(s.details["expected"] for s in applied)
        return {
            "value": ratio(found, expected),
            "n": len(applied),
            "extra": sum(s.details["extra"] for s in applied),
        }


SCORER = Gaps()
