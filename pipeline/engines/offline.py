"""The embedded default engine: deterministic rules, no network, no model.

It reads the letter's prose with ``criteria_rules`` and writes each argument with the template
drafter (``reasoning.argument.argue``); the pipeline does not re-check its sections (it is the
fallback every other engine's failing sections get).
"""

from __future__ import annotations

from ..errors import InputError
from .base import AnalysisRequest, AnalysisResponse, ArgumentRequest, ArgumentResponse
from .registry import register


class OfflineEngine:
    """Deterministic rules and the template drafter."""

    name = "offline"
    model: str | None = None
    max_redrafts = 0
    checked = False

    def analyze(self, request: AnalysisRequest) -> AnalysisResponse:
        from ..criteria_rules import read_rules

        # the rules' reading, from extraction's one reading of the letter (passed down with the
        # request); read here only for a request made without it
        rules = request.rules or read_rules(request.letter)
        analysis = request.found.model_copy(
            update={"denial_categories": rules.categories, "criteria": rules.criteria}
        )
        return AnalysisResponse(analysis=analysis)

    def argue(self, request: ArgumentRequest) -> ArgumentResponse:
        from ..reasoning.argument import argue

        return ArgumentResponse(arguments=argue(request))


@register("offline")
def offline_engine(model: str | None = None, base_url: str | None = None) -> OfflineEngine:
    """The offline engine (it takes no model or endpoint)."""
    if model or base_url:
        raise InputError("--model and --base-url need --engine openai (or LMN_ENGINE=openai)")
    return OfflineEngine()
