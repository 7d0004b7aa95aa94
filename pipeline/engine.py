"""The model seam: one interface that the offline engine, an LLM client and test fakes implement.

An engine does the two jobs that need reading or writing prose:
- ``analyze``: given the letter and the facts the deterministic extractor found (codes, ids, dates),
  return the full analysis, adding denial categories and the cited criteria;
- ``argue``: given the analysis, the case and the retrieved passages, write one argument per
  cited criterion.
Everything else (deterministic extraction, provenance checks, the letter's fixed sections,
validation) is engine-independent and runs the same whatever engine is chosen.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol, runtime_checkable

from pydantic import BaseModel

from .models import CaseFacts, CriterionArgument, DenialAnalysis, DenialLetter, RetrievedPassage


class ArgumentRequest(BaseModel):
    """What an engine gets to write the criterion arguments."""

    analysis: DenialAnalysis
    case: CaseFacts
    passages: list[RetrievedPassage]
    letter_text: str = ""
    """The denial letter (the validator of a model's sections reads it)."""
    today: dt.date | None = None
    """The letter's date (None: today)."""


@runtime_checkable
class Engine(Protocol):
    """What every engine implements."""

    name: str
    model: str | None

    def analyze(self, letter: DenialLetter, found: DenialAnalysis) -> DenialAnalysis:
        """Complete ``found`` (deterministic facts) with categories and criteria."""
        ...

    def argue(self, request: ArgumentRequest) -> list[CriterionArgument]:
        """One argument per criterion in ``request.analysis.criteria``."""
        ...


class OfflineEngine:
    """The embedded default: deterministic rules, no network, no model."""

    name = "offline"
    model: str | None = None

    def analyze(self, letter: DenialLetter, found: DenialAnalysis) -> DenialAnalysis:
        from .criteria_rules import find_categories, find_criteria

        return found.model_copy(
            update={
                "denial_categories": find_categories(letter.text),
                "criteria": find_criteria(letter.text),
            }
        )

    def argue(self, request: ArgumentRequest) -> list[CriterionArgument]:
        from .evidence import argue_offline

        return argue_offline(request)


def get_engine(
    name: str | None = None, *, model: str | None = None, base_url: str | None = None
) -> Engine:
    """The engine by name, else as LMN_ENGINE or the config file says; 'offline' by default.

    'openai' is any OpenAI-compatible endpoint (``pipeline.llm``); ``model`` and ``base_url``
    override its environment and config file.
    """
    from .errors import InputError
    from .llm.config import engine_name

    chosen = engine_name(name)
    if chosen == "openai":
        from .llm import OpenAIEngine

        return OpenAIEngine.configured(model=model, base_url=base_url)
    if model or base_url:
        raise InputError("--model and --base-url need --engine openai (or LMN_ENGINE=openai)")
    return OfflineEngine()


def run_details(engine: Engine) -> dict[str, object]:
    """RunInfo fields an engine recorded for its last draft (prompts sent, fallback sections);
    empty for engines that record none."""
    details = getattr(engine, "run_details", None)
    return details() if callable(details) else {}
