"""Latency: seconds the pipeline took per case, in all and per stage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..cases import EvalCase
from ..execute import CaseOutput
from .base import Score, Scorer, mean, percentile, scored


class Latency(Scorer):
    name = "latency"
    title = "Latency per case (seconds)"
    unit = "seconds"
    higher_is_better = False
    pass_mark = None

    def score(self, case: EvalCase, out: CaseOutput) -> Score:
        total = out.timings.get("total", 0.0)
        stages = ", ".join(f"{k} {v:.2f}" for k, v in out.timings.items() if k != "total")
        return Score(
            value=round(total, 4),
            explanation=f"{total:.2f} s ({stages})",
            details={"stages": {k: v for k, v in out.timings.items() if k != "total"}},
        )

    def summarize(self, scores: Sequence[Score | None]) -> dict[str, Any]:
        values = sorted(s.value or 0.0 for s in scored(scores))
        if not values:
            return {"value": None, "n": 0}
        stages: dict[str, list[float]] = {}
        for s in scored(scores):
            for stage, seconds in s.details["stages"].items():
                stages.setdefault(stage, []).append(seconds)
        return {
            "value": mean(values),
            "n": len(values),
            "p50": round(percentile(values, 50), 4),
            "p95": round(percentile(values, 95), 4),
            "max": values[-1],
            "total": round(sum(values), 3),
            "stages_mean": {k: mean(v) for k, v in stages.items()},
        }


SCORER = Latency()
