"""Kept for imports written before ``pipeline.engines.openai``: the engine, re-exported."""

from __future__ import annotations

from ..engines.openai.engine import OpenAIEngine

__all__ = ["OpenAIEngine"]
