"""Model calls, tokens and estimated cost per case (all zero on the offline engine)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..cases import EvalCase
from ..execute import CaseOutput
from .base import Score, Scorer


class ModelUsage(Scorer):
    name = "model_usage"
    title = "Estimated model cost, whole run (USD)"
    unit = "usd"
    higher_is_better = False
    pass_mark = None

    def score(self, case: EvalCase, out: CaseOutput) -> Score:
        u = out.usage
        cost = "unpriced" if u.cost_usd is None else f"${u.cost_usd:.4f}"
        return Score(
            value=u.cost_usd,
            explanation=f"{u.calls} call(s), {u.input_tokens} in / {u.output_tokens} out tokens, "
            f"{cost}",
            details=u.model_dump(),
        )

    def summarize(self, scores: Sequence[Score | None]) -> dict[str, Any]:
        present = [s for s in scores if s is not None]
        costs = [s.details["cost_usd"] for s in present]
        priced = [c for c in costs if c is not None]
        return {
            "value": round(sum(priced), 6) if priced else (None if costs else 0.0),
            "n": len(present),
            "calls": sum(s.details["calls"] for s in present),
            "input_tokens": sum(s.details["input_tokens"] for s in present),
            "output_tokens": sum(s.details["output_tokens"] for s in present),
            "unpriced_cases": len(costs) - len(priced),
        }


SCORER = ModelUsage()
