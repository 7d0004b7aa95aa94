"""The OpenAI-compatible engine: the same two methods as the offline engine, done by a model.

``analyze`` asks the model for the denial's ids, codes, categories and criteria
(``prompts/extract_denial.yaml``); ``extract`` then drops whatever does not occur in the letter and
lets the rules' ids and codes win. When none of the model's criteria occur in the letter, the
offline rules' criteria are used instead (``criteria_source == "rules"``, set by ``extract``).

``argue`` asks for a section per criterion (``prompts/draft_sections.yaml``); a revision request
(``ArgumentRequest.feedback``, filled by the pipeline from its section checks) continues the same
conversation with the rejected criteria and their findings (``prompts/redraft_sections.yaml``)
and asks only for those. The engine keeps no state between calls: each answer carries its prompts,
its usage and the model's reply as written (``transcript``), which a revision sends back.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import replace

from ...llm.client import CallStats, ModelOutputError, StructuredClient
from ...llm.config import LLMSettings, resolve_settings
from ...llm.schemas import DraftSection, ExtractedDenial, ModelDraft, draft_schema
from ...models import Criterion
from ...prompts import RenderedPrompt, load_prompt
from ..base import AnalysisRequest, AnalysisResponse, ArgumentRequest, ArgumentResponse, Usage
from .sections import SectionPrompt

log = logging.getLogger(__name__)


class OpenAIEngine:
    """Extraction and drafting through any OpenAI-compatible chat endpoint."""

    name = "openai"

    checked = True

    def __init__(self, settings: LLMSettings, client: StructuredClient | None = None) -> None:
        self.settings = settings
        self.client = client or StructuredClient(settings)

    @classmethod
    def configured(cls, model: str | None = None, base_url: str | None = None) -> OpenAIEngine:
        """The engine as options, environment and config file set it up."""
        return cls(resolve_settings(model=model, base_url=base_url))

    @property
    def model(self) -> str | None:
        """The model's name (asked of the server when it was not configured)."""
        return self.client.model

    @property
    def max_redrafts(self) -> int:
        """How often rejected sections go back to the model (``max_redrafts`` setting)."""
        return self.settings.max_redrafts

    # ---------------------------------------------------------------- analyze

    def analyze(self, request: AnalysisRequest) -> AnalysisResponse:
        """The model's reading of the letter on top of the rules' facts. ``extract`` checks it
        against the letter; the rules' criteria stand in when none of the model's would pass."""
        from ...criteria_rules import complete_criteria, read_rules

        calls = _Calls(self.client, request.run_id)
        letter, found = request.letter, request.found
        # the rules' reading, from extraction's one reading of the letter (passed down with the
        # request); read here only for a request made without it
        rules = request.rules or read_rules(letter)
        reply = calls.ask(load_prompt("extract_denial").render(letter=letter.text))
        assert isinstance(reply, ExtractedDenial)
        candidate = found.model_copy(
            update={
                "insurer": reply.insurer,
                "member_id": reply.member_id,
                "claim_number": reply.claim_number,
                "reviewer": reply.reviewer,
                "cpt_codes": reply.cpt_codes,
                "hcpcs_codes": reply.hcpcs_codes,
                "icd10_codes": reply.icd10_codes,
                "denial_categories": list(dict.fromkeys(reply.denial_categories))
                or rules.categories,
                "criteria": [
                    Criterion(text=c.text, source=c.source or None)
                    for c in reply.criteria
                    if _looks_like_a_criterion(c.text)
                ],
            }
        )
        # the recorded prompt stays as it is: status, reason and requirements of the model's
        # criteria come from the rules (requirements: from each criterion's wording)
        criteria = complete_criteria(candidate.criteria, rules.criteria)
        candidate = candidate.model_copy(update={"criteria": criteria})
        # extract() checks every id, code and criterion against the letter, and puts the rules'
        # criteria in when none of the model's occur in it (criteria_source "rules")
        return AnalysisResponse(
            analysis=candidate, prompts=calls.prompts, criteria_source="model", usage=calls.usage
        )

    # ---------------------------------------------------------------- argue

    def argue(self, request: ArgumentRequest) -> ArgumentResponse:
        """A section per criterion (per criterion in ``request.feedback`` for a revision); a
        reply that never matched the schema is an answer with no arguments."""
        count = len(request.analysis.criteria)
        if not count:
            return ArgumentResponse()
        calls = _Calls(self.client, request.run_id)
        sections = SectionPrompt(request)
        first = load_prompt("draft_sections").render(**sections.prompt_inputs())
        first = replace(first, schema=draft_schema(count, count))
        previous = request.previous.transcript if request.previous else None
        if request.feedback and previous is not None:
            calls.prompts.setdefault(first.id, first.label)
            rejected = sections.describe(request.feedback)
            turn = load_prompt("redraft_sections").render(rejected=rejected)
            turn = replace(turn, schema=draft_schema(count, len(request.feedback)))
            reply = calls.draft(first.continued(previous, turn))
            only: set[int] | None = set(request.feedback)
        else:
            reply = calls.draft(first)
            only = None
        if reply is None:
            return ArgumentResponse(prompts=calls.prompts, usage=calls.usage)
        written = sections.arguments(reply.sections, only=only)
        return ArgumentResponse(
            arguments=[written[i] for i in sorted(written)],
            prompts=calls.prompts,
            usage=calls.usage,
            transcript=_sections_json(reply.sections),
        )


class _Calls:
    """The model calls of one engine call: their prompts, run id and usage."""

    def __init__(self, client: StructuredClient, run_id: str | None) -> None:
        self.client = client
        self.run_id = run_id or uuid.uuid4().hex  # the run log groups one draft's calls by it
        self.prompts: dict[str, str] = {}
        self.stats = CallStats()

    @property
    def usage(self) -> Usage:
        stats = self.stats
        return Usage(
            calls=stats.calls, input_tokens=stats.tokens_in, output_tokens=stats.tokens_out
        )

    def ask(self, prompt: RenderedPrompt) -> object:
        self.prompts.setdefault(prompt.id, prompt.label)
        return self.client.call(prompt, run_id=self.run_id, stats=self.stats)

    def draft(self, prompt: RenderedPrompt) -> ModelDraft | None:
        """A draft reply, or None when the model gave no valid one (its sections fall back)."""
        try:
            reply = self.ask(prompt)
        except ModelOutputError as exc:
            log.warning("llm: %s gave no usable draft; falling back (%s)", prompt.id, exc)
            return None
        assert isinstance(reply, ModelDraft)  # draft_schema() models subclass it
        return reply


MIN_CRITERION_WORDS = 4
"""A criterion is a requirement, not a word: shorter 'criteria' ('Denied') are dropped."""


def _looks_like_a_criterion(text: str) -> bool:
    if len(text.split()) >= MIN_CRITERION_WORDS:
        return True
    log.warning("llm: dropped a criterion of fewer than %d words", MIN_CRITERION_WORDS)
    return False


def _sections_json(sections: list[DraftSection]) -> str:
    """The model's previous reply, as it wrote it."""
    return json.dumps({"sections": [s.model_dump() for s in sections]}, ensure_ascii=False)
