"""Engines: the two prose jobs (read the letter, argue each criterion) behind one contract.

- ``base``: the ``Engine`` Protocol and the request/response contracts;
- ``registry``: engines by name (``@register`` and the ``lmn.engines`` entry-point group);
- ``offline``: the deterministic default; ``openai``: any OpenAI-compatible endpoint.

The stages are wired together by ``pipeline.pipeline.Pipeline``, never by an engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .base import (
    AnalysisRequest,
    AnalysisResponse,
    ArgumentRequest,
    ArgumentResponse,
    Engine,
    Usage,
)
from .registry import (
    ENTRY_POINT_GROUP,
    engine_factory,
    engine_name,
    engine_names,
    get_engine,
    register,
)

if TYPE_CHECKING:
    from .offline import OfflineEngine

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


def __getattr__(name: str) -> object:
    # The built-in engines are re-exported lazily, by name like the registry loads them: the
    # package (whose contracts the stages import) does not depend on its implementations.
    if name == "OfflineEngine":
        return importlib.import_module(".offline", __name__).OfflineEngine
    raise AttributeError(name)
