"""Kept for imports written before ``pipeline.engines.openai``: re-exported names."""

from __future__ import annotations

from ..engines.openai.sections import SectionPrompt, case_fact_lines

__all__ = ["SectionPrompt", "case_fact_lines"]
