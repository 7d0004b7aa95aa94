"""What every scorer shares: the Score it returns per case and the summary over cases."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from ..cases import EvalCase
from ..execute import CaseOutput


class Score(BaseModel):
    """One scorer's verdict on one case. ``value`` None means the scorer did not apply."""

    value: float | None
    explanation: str
    details: dict[str, Any] = Field(default_factory=dict)

    @property
    def skipped(self) -> bool:
        return self.value is None


def skip(reason: str) -> Score:
    """The case does not state what this scorer needs (or produced nothing to score)."""
    return Score(value=None, explanation=f"skipped: {reason}")


def scored(scores: Sequence[Score | None]) -> list[Score]:
    """The scores that apply (not skipped, not missing)."""
    return [s for s in scores if s is not None and s.value is not None]


def mean(values: Sequence[float]) -> float | None:
    return round(statistics.fmean(values), 4) if values else None


def ratio(hits: float, total: float) -> float | None:
    return round(hits / total, 4) if total else None


def percentile(values: Sequence[float], q: int) -> float:
    """The ``q``-th percentile (1-99) of ``values`` (at least one), interpolated between
    closest ranks: ``statistics.quantiles(values, n=100, method="inclusive")[q - 1]``.

    The one definition of p50/p95 for the eval scorers and the benchmarks.
    """
    if not values:
        raise ValueError("percentile of no values")
    if len(values) == 1:
        return float(values[0])
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


class Scorer:
    """A scorer: ``score`` judges one case; ``summarize`` aggregates its scores.

    ``summarize`` returns a dict whose ``value`` is the headline figure (what charts and
    ``lmn eval compare`` show) and ``n`` the number of cases it covers.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    unit: ClassVar[str] = "ratio"
    """ratio (0-1), count, words, seconds or tokens: how the headline figure reads."""
    higher_is_better: ClassVar[bool] = True
    pass_mark: ClassVar[float | None] = 1.0
    """A case fails this scorer when its value is worse than this (None: never fails)."""

    def score(self, case: EvalCase, out: CaseOutput) -> Score:
        raise NotImplementedError

    def summarize(self, scores: Sequence[Score | None]) -> dict[str, Any]:
        """By default: the mean of the values that apply."""
        values = [s.value for s in scored(scores) if s.value is not None]
        return {"value": mean(values), "n": len(values)}

    def fails(self, score: Score | None) -> bool:
        """True when ``score`` applies and is worse than the pass mark."""
        return failing(score, self.pass_mark, self.higher_is_better)


def failing(score: Score | None, pass_mark: float | None, higher_is_better: bool) -> bool:
    if score is None or score.value is None or pass_mark is None:
        return False
    return score.value < pass_mark if higher_is_better else score.value > pass_mark


def normalize_text(text: str) -> str:
    """Case-, quote-, dash- and punctuation-insensitive form for phrase matching."""
    text = text.casefold().translate(_PUNCT)
    return " ".join("".join(ch if ch.isalnum() or ch in "%<>=" else " " for ch in text).split())


_PUNCT = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "≥": ">="})
