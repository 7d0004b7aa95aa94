"""LLM judge score: the blinded 15-criterion rubric of :mod:`pipeline.evals.judge` (optional)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...errors import EngineError
from ..cases import EvalCase
from ..execute import CaseOutput
from ..judge import RUBRIC, Judge
from .base import Score, Scorer, mean, scored, skip


class JudgeScore(Scorer):
    name = "judge"
    title = "LLM judge (weighted rubric, 0-1)"
    pass_mark = None

    def __init__(self, judge: Judge, hidden: list[str]) -> None:
        self.judge = judge
        self.hidden = hidden
        """Names the judge must not see: engine, model, prompt versions."""

    def score(self, case: EvalCase, out: CaseOutput) -> Score:
        if out.markdown is None:
            return skip("no letter was drafted")
        try:
            result = self.judge.grade(case.denial_letter, out.markdown, self.hidden)
        except (ValueError, EngineError) as exc:
            return skip(f"judge gave no usable answer ({exc})")
        weakest = sorted(result.items.items(), key=lambda kv: kv[1].score)[:3]
        return Score(
            value=result.value,
            explanation="weakest: "
            + "; ".join(f"{k} {v.score}/4 ({v.reason})" for k, v in weakest),
            details={
                "items": {k: v.score for k, v in result.items.items()},
                "input_tokens": result.input_tokens,
                "output_tokens": result.output_tokens,
            },
        )

    def summarize(self, scores: Sequence[Score | None]) -> dict[str, Any]:
        applied = scored(scores)
        return {
            "value": mean([s.value or 0.0 for s in applied]),
            "n": len(applied),
            "items_mean": {
                i.key: mean([s.details["items"][i.key] for s in applied]) for i in RUBRIC
            },
        }
