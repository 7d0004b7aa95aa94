"""lmn: turn a health-insurance denial letter into a point-by-point Letter of Medical Necessity.

Stages (one module each): ingest -> extract -> retrieve -> draft -> validate; `Pipeline`
(`pipeline.pipeline`) runs them all. Public names are re-exported here lazily, so
`import pipeline` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

_EXPORTS = {
    "ingest": "ingest",
    "ingest_text": "ingest",
    "extract": "extract",
    "extract_facts": "extract",
    "load_case": "casefile",
    "parse_case": "casefile",
    "load_corpus": "corpus",
    "check_corpus": "corpus",
    "build_index": "retrieve",
    "open_index": "retrieve",
    "retrieve": "retrieve",
    "compose": "draft",
    "find_gaps": "gaps",
    "validate": "validate",
    "draft_letter": "run",
    "Pipeline": "pipeline",
    "StageEvent": "pipeline",
    "Engine": "engines",
    "OfflineEngine": "engines",
    "get_engine": "engines",
    "LmnError": "errors",
    "InputError": "errors",
    "GapsError": "errors",
    "DraftRejected": "errors",
    "EngineError": "errors",
    "CaseFacts": "models",
    "Criterion": "models",
    "DenialAnalysis": "models",
    "DenialCategory": "models",
    "DenialLetter": "models",
    "Draft": "models",
    "Gap": "models",
    "Passage": "models",
    "PlanType": "models",
    "RetrievedPassage": "models",
    "ValidationReport": "models",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .casefile import load_case, parse_case
    from .corpus import check_corpus, load_corpus
    from .draft import compose
    from .engines import Engine, OfflineEngine, get_engine
    from .errors import DraftRejected, EngineError, GapsError, InputError, LmnError
    from .extract import extract, extract_facts
    from .gaps import find_gaps
    from .ingest import ingest, ingest_text
    from .models import (
        CaseFacts,
        Criterion,
        DenialAnalysis,
        DenialCategory,
        DenialLetter,
        Draft,
        Gap,
        Passage,
        PlanType,
        RetrievedPassage,
        ValidationReport,
    )
    from .pipeline import Pipeline, StageEvent
    from .retrieve import build_index, open_index, retrieve
    from .run import draft_letter
    from .validate import validate
