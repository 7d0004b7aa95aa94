"""Kept for imports written before ``pipeline.engines.openai``: re-exported names."""

from __future__ import annotations

from ..engines.openai.sections import SectionPrompt, case_fact_lines
from ..sections import advice

__all__ = ["SectionPrompt", "advice", "case_fact_lines"]
