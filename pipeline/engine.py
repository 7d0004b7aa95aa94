"""Kept for imports written before ``pipeline.engines``: the same names, re-exported."""

from __future__ import annotations

from .engines import (
    AnalysisRequest,
    AnalysisResponse,
    ArgumentRequest,
    ArgumentResponse,
    Engine,
    OfflineEngine,
    get_engine,
)

__all__ = [
    "AnalysisRequest",
    "AnalysisResponse",
    "ArgumentRequest",
    "ArgumentResponse",
    "Engine",
    "OfflineEngine",
    "get_engine",
]
