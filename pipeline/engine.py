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

from typing import Protocol, runtime_checkable

from pydantic import BaseModel

from .models import CaseFacts, CriterionArgument, DenialAnalysis, DenialLetter, RetrievedPassage


class ArgumentRequest(BaseModel):
    """What an engine gets to write the criterion arguments."""

    analysis: DenialAnalysis
    case: CaseFacts
    passages: list[RetrievedPassage]


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


def get_engine(name: str = "offline") -> Engine:
    """The engine configured by name. Only 'offline' exists until the LLM engine lands."""
    from .errors import InputError

    if name == "offline":
        return OfflineEngine()
    raise InputError(f"unknown engine {name!r}: use --engine offline")
