"""The OpenAI-compatible engine: the same two methods as the offline engine, done by a model.

``analyze`` asks the model for the denial's ids, codes, categories and criteria
(``prompts/extract_denial.yaml``); ``extract`` then drops whatever does not occur in the letter and
lets the rules' ids and codes win. When none of the model's criteria occur in the letter, the
offline rules' criteria are used instead (``RunInfo.criteria_source == "rules"``).

``argue`` asks for a section per criterion (``prompts/draft_sections.yaml``), checks each section
(its facts are the case's, its citations retrieved passages) and runs the validator on the letter
the sections make. Sections with errors go back to the model with the findings
(``prompts/redraft_sections.yaml``), at most ``max_redrafts`` times; a section that still fails
is written by the template drafter (``evidence.argue_offline``) and listed in
``RunInfo.fallback_sections``. The letter the validator finally sees is the same whatever mix of
model and template sections it holds.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from dataclasses import dataclass, field, replace

from ..engine import ArgumentRequest
from ..models import Criterion, CriterionArgument, DenialAnalysis, DenialLetter
from ..prompts import RenderedPrompt, load_prompt
from .client import ModelOutputError, StructuredClient
from .config import LLMSettings, resolve_settings
from .schemas import DraftSection, ExtractedDenial, ModelDraft, draft_schema
from .sections import SectionChecker

log = logging.getLogger(__name__)


@dataclass
class RunDetails:
    """What the last draft's model calls did, for ``RunInfo``."""

    prompts: dict[str, str] = field(default_factory=dict)
    fallback_sections: list[int] = field(default_factory=list)
    criteria_source: str | None = None


class OpenAIEngine:
    """Extraction and drafting through any OpenAI-compatible chat endpoint."""

    name = "openai"

    def __init__(self, settings: LLMSettings, client: StructuredClient | None = None) -> None:
        self.settings = settings
        self.client = client or StructuredClient(settings)
        self.details = RunDetails()

    @classmethod
    def configured(cls, model: str | None = None, base_url: str | None = None) -> OpenAIEngine:
        """The engine as options, environment and config file set it up."""
        return cls(resolve_settings(model=model, base_url=base_url))

    @property
    def model(self) -> str | None:
        """The model's name (asked of the server when it was not configured)."""
        return self.client.model

    def run_details(self) -> dict[str, object]:
        """RunInfo fields for the last draft: prompts sent, fallback sections, criteria source."""
        return {
            "prompts": dict(self.details.prompts),
            "fallback_sections": list(self.details.fallback_sections),
            "criteria_source": self.details.criteria_source,
        }

    # ---------------------------------------------------------------- analyze

    def analyze(self, letter: DenialLetter, found: DenialAnalysis) -> DenialAnalysis:
        """The model's reading of the letter on top of the rules' facts. ``extract`` checks it
        against the letter; the rules' criteria stand in when none of the model's would pass."""
        from ..criteria_rules import find_categories, find_criteria
        from ..extract import criteria_in_letter

        self.details = RunDetails()
        self.client.run_id = uuid.uuid4().hex  # the run log groups one draft's calls by it
        prompt = load_prompt("extract_denial").render(letter=letter.text)
        reply = self._ask(prompt)
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
                or find_categories(letter.text),
                "criteria": [
                    Criterion(text=c.text, source=c.source or None)
                    for c in reply.criteria
                    if _looks_like_a_criterion(c.text)
                ],
            }
        )
        self.details.criteria_source = "model"
        if not criteria_in_letter(candidate.criteria, letter.text):
            rules = find_criteria(letter.text)
            if rules:
                log.warning(
                    "llm: none of the model's criteria occur in the letter; "
                    "using the %d criteria the rules found",
                    len(rules),
                )
                self.details.criteria_source = "rules"
                candidate = candidate.model_copy(update={"criteria": rules})
        return candidate  # extract() checks every id, code and criterion against the letter

    # ---------------------------------------------------------------- argue

    def argue(self, request: ArgumentRequest) -> list[CriterionArgument]:
        """A section per criterion: the model's where they pass, the template drafter's else."""
        from ..evidence import argue_offline

        criteria = request.analysis.criteria
        if not criteria:
            return []
        checker = SectionChecker(request, request.letter_text, request.today or dt.date.today())
        count = len(criteria)
        first = load_prompt("draft_sections").render(**checker.prompt_inputs())
        first = replace(first, schema=draft_schema(count, count))
        reply = self._ask_or_none(first)
        written = checker.arguments(reply.sections if reply else [])
        problems = checker.problems(written)
        for _ in range(self.settings.max_redrafts):
            if not problems or reply is None:
                break
            turn = load_prompt("redraft_sections").render(rejected=checker.describe(problems))
            turn = replace(turn, schema=draft_schema(count, len(problems)))
            reply = self._ask_or_none(first.continued(_sections_json(reply.sections), turn))
            if reply is not None:
                written |= checker.arguments(reply.sections, only=set(problems))
                problems = checker.problems(written)
        failed = {i for i in range(len(criteria)) if i not in written or i in problems}
        self.details.fallback_sections = sorted(i + 1 for i in failed)
        if not failed:
            return [written[i] for i in range(len(criteria))]
        log.warning(
            "llm: the template drafter wrote %d of %d criterion sections",
            len(failed),
            len(criteria),
        )
        offline = argue_offline(request)
        return [offline[i] if i in failed else written[i] for i in range(len(criteria))]

    # ---------------------------------------------------------------- calls

    def _ask(self, prompt: RenderedPrompt) -> object:
        self.details.prompts.setdefault(prompt.id, prompt.label)
        return self.client.call(prompt)

    def _ask_or_none(self, prompt: RenderedPrompt) -> ModelDraft | None:
        """A draft reply, or None when the model gave no valid one (its sections fall back)."""
        try:
            reply = self._ask(prompt)
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
