"""The scorers, one small module each. Each returns a Score(value, explanation) per case."""

from __future__ import annotations

from ...pipeline import DEFAULT_K
from . import (
    category,
    citations,
    criteria,
    extraction,
    gaps,
    grounding,
    latency,
    length,
    usage,
    validator,
)
from .base import Score, Scorer
from .retrieval import Retrieval


def default_scorers(*, k: int = DEFAULT_K, judge: Scorer | None = None) -> list[Scorer]:
    """Every scorer in report order; the judge only when one is given."""
    found = [
        category.SCORER,
        extraction.SCORER,
        criteria.SCORER,
        Retrieval(k),
        citations.SCORER,
        grounding.SCORER,
        validator.SCORER,
        gaps.SCORER,
        length.SCORER,
        latency.SCORER,
        usage.SCORER,
    ]
    return [*found, judge] if judge is not None else found


__all__ = ["Score", "Scorer", "default_scorers"]
