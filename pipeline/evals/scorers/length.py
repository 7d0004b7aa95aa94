"""Letter length in words (a reviewer reads two pages; the validator warns past three)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..cases import EvalCase
from ..execute import CaseOutput
from .base import Score, Scorer, mean, scored, skip


class Length(Scorer):
    name = "letter_length"
    title = "Letter length (words)"
    unit = "words"
    higher_is_better = False
    pass_mark = None

    def score(self, case: EvalCase, out: CaseOutput) -> Score:
        if out.markdown is None:
            return skip("no letter was drafted")
        words = len(re.findall(r"\w[\w'./-]*", out.markdown))
        return Score(value=float(words), explanation=f"{words} words, {len(out.markdown)} chars")

    def summarize(self, scores: Sequence[Score | None]) -> dict[str, Any]:
        values = [s.value or 0.0 for s in scored(scores)]
        return {"value": mean(values), "n": len(values), "max": max(values, default=None)}


SCORER = Length()
