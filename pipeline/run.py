"""Kept for imports written before ``pipeline.pipeline``: ``draft_letter`` and ``DEFAULT_K``."""

from __future__ import annotations

import datetime as dt

from .engines.base import Engine
from .models import CaseFacts, DenialLetter, Draft
from .pipeline import DEFAULT_K, Pipeline
from .retrieve import Index

__all__ = ["DEFAULT_K", "draft_letter"]


def draft_letter(
    letter: DenialLetter,
    case: CaseFacts,
    *,
    engine: Engine | None = None,
    index: Index | None = None,
    k: int = DEFAULT_K,
    allow_gaps: bool = False,
    today: dt.date | None = None,
) -> Draft:
    """``Pipeline(engine, index=index, k=k).draft(letter, case, ...)``."""
    return Pipeline(engine, index=index, k=k).draft(
        letter, case, today=today, allow_gaps=allow_gaps
    )
