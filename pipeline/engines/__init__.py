"""Engines: the two prose jobs (read the letter, argue each criterion) behind one contract.

- ``base``: the ``Engine`` Protocol and the request/response contracts;
- ``registry``: engines by name (``@register`` and the ``lmn.engines`` entry-point group);
- ``offline``: the deterministic default; ``openai``: any OpenAI-compatible endpoint.

The stages are wired together by ``pipeline.pipeline.Pipeline``, never by an engine.
"""

from __future__ import annotations

from .base import (
    AnalysisRequest,
    AnalysisResponse,
    ArgumentRequest,
    ArgumentResponse,
    Engine,
    Usage,
)
from .offline import OfflineEngine
from .registry import (
    ENTRY_POINT_GROUP,
    engine_factory,
    engine_name,
    engine_names,
    get_engine,
    register,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "AnalysisRequest",
    "AnalysisResponse",
    "ArgumentRequest",
    "ArgumentResponse",
    "Engine",
    "OfflineEngine",
    "Usage",
    "engine_factory",
    "engine_name",
    "engine_names",
    "get_engine",
    "register",
]
