"""Model calls and tokens per case (all zero on the offline engine).

The counts are the engine's own (the ``Usage`` of each engine answer, summed by the pipeline); no
price is known, so the headline figure is tokens (input plus output), not money.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..cases import EvalCase
from ..execute import CaseOutput
from .base import Score, Scorer


class ModelUsage(Scorer):
    name = "model_usage"
    title = "Model tokens (in + out), whole run"
    unit = "tokens"
    higher_is_better = False
    pass_mark = None

    def score(self, case: EvalCase, out: CaseOutput) -> Score:
        u = out.usage
        return Score(
            value=float(u.input_tokens + u.output_tokens),
            explanation=f"{u.calls} call(s), {u.input_tokens} in / {u.output_tokens} out tokens",
            details=u.model_dump(),
        )

    def summarize(self, scores: Sequence[Score | None]) -> dict[str, Any]:
        present = [s for s in scores if s is not None]
        totals = {
            key: sum(s.details.get(key, 0) for s in present)
            for key in ("calls", "input_tokens", "output_tokens")
        }
        return {
            "value": totals["input_tokens"] + totals["output_tokens"],
            "n": len(present),
            **totals,
        }


SCORER = ModelUsage()
