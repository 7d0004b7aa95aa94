"""The engine contract: what an engine is asked, what it answers, and the Protocol it implements.

An engine does the two jobs that need reading or writing prose:

- ``analyze``: given the letter, the facts the deterministic extractor found (codes, ids,
  dates) and the rules' own reading of its categories and criteria (``rules``, from the one
  reading of the letter), return the full analysis, adding denial categories and the cited
  criteria;
- ``argue``: given the analysis, the case and the retrieved passages, write one argument per
  cited criterion (or, for a revision, per criterion the findings name).

An engine is stateless per call: each answer carries what it produced together with its run
details (prompts sent, who found the criteria) and its usage (model calls and tokens). Everything
else (deterministic extraction, provenance checks, the letter's fixed sections, validation, the
re-draft loop and the fallback to the template drafter) is the pipeline's (``pipeline.pipeline``)
and runs the same whatever engine is chosen. No engine imports the drafter or the validator.

The requests and responses are pydantic models with defaults for every optional field: a later
stage adds a field (e.g. computed verdicts per criterion) without touching any engine that does
not read it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from ..models import (
    CaseFacts,
    CriterionArgument,
    CriterionVerdict,
    DenialAnalysis,
    DenialLetter,
    Placement,
    RetrievedPassage,
    RulesReading,
)


class Usage(BaseModel):
    """Model use: calls and tokens as the server reported them (all zero without a model)."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            calls=self.calls + other.calls,
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
        )


# --------------------------------------------------------------------------- analyze


class AnalysisRequest(BaseModel):
    """What an engine gets to read the letter."""

    letter: DenialLetter
    found: DenialAnalysis
    """The facts the deterministic rules found (the engine completes them)."""
    rules: RulesReading | None = None
    """The rules' categories and criteria, read by extraction from its one reading of the
    letter: the offline engine's answer, and what completes a model's criteria (None: an engine
    that needs them reads the letter itself)."""
    run_id: str | None = None
    """Groups one draft's model calls in the run log (None: the engine picks one)."""


class AnalysisResponse(BaseModel):
    """An engine's reading of the letter, with its run details and usage."""

    analysis: DenialAnalysis
    prompts: dict[str, str] = Field(default_factory=dict)
    """Prompt id -> version@hash of what was sent."""
    criteria_source: Literal["model", "rules"] | None = None
    """Who found the criteria (model engines only)."""
    usage: Usage = Field(default_factory=Usage)


# --------------------------------------------------------------------------- argue


if TYPE_CHECKING:  # a type for mypy only: the engine contract imports only the models
    from ..reasoning.strategy import Strategy
else:
    Strategy = Any
    """``reasoning.strategy.Strategy``: held as the pipeline computed it (pydantic does not
    re-validate it; the engine contract may not import the strategies)."""


class ArgumentRequest(BaseModel):
    """What an engine gets to write the criterion arguments."""

    analysis: DenialAnalysis
    case: CaseFacts
    passages: list[RetrievedPassage]
    letter_text: str = ""
    """The denial letter."""
    today: dt.date | None = None
    """The letter's date (None: today)."""
    run_id: str | None = None
    """Groups one draft's model calls in the run log (None: the engine picks one)."""
    verdicts: list[CriterionVerdict] | None = None
    """The criteria's verdicts, computed once by the pipeline from the analysis and the case
    (``reasoning.evaluate``; None: a writer that needs them computes them)."""
    strategy: Strategy | None = None
    """The denial ground's answer and the drug exception, computed once by the pipeline beside
    the verdicts (``reasoning.strategy``; None: a writer that needs them computes them)."""
    placement: Placement | None = None
    """Where the template drafter states each passage, computed once by the pipeline from the
    passages and the verdicts (``reasoning.argument.place``; None: the template drafter works it
    out): the offline engine's sections and a model's that fall back to it are written on it."""
    feedback: dict[int, list[str]] = Field(default_factory=dict)
    """A revision: criterion index -> what is wrong with its previous section. Empty for the
    first draft; when set, only these criteria are to be written again."""
    previous: ArgumentResponse | None = None
    """A revision: the answer the feedback is about."""

    def revision(
        self, feedback: dict[int, list[str]], previous: ArgumentResponse
    ) -> ArgumentRequest:
        """The same request, asking again for the sections ``feedback`` names."""
        return self.model_copy(update={"feedback": feedback, "previous": previous})


class ArgumentResponse(BaseModel):
    """An engine's arguments, with its run details and usage."""

    arguments: list[CriterionArgument] = Field(default_factory=list)
    """By ``criterion_index``; a criterion the engine wrote nothing for is absent."""
    prompts: dict[str, str] = Field(default_factory=dict)
    """Prompt id -> version@hash of what was sent."""
    usage: Usage = Field(default_factory=Usage)
    transcript: str | None = None
    """The engine's own record of its answer (a model's reply as written), sent back with a
    revision request; None when there was no usable answer."""


ArgumentRequest.model_rebuild()


# --------------------------------------------------------------------------- the protocol


@runtime_checkable
class Engine(Protocol):
    """What every engine implements (see the module docstring)."""

    name: str
    """As on the command line (``--engine``) and in the registry."""

    @property
    def model(self) -> str | None:
        """The model the engine asks (None: no model)."""

    @property
    def max_redrafts(self) -> int:
        """How often the pipeline may send findings about its sections back (0: never)."""

    checked: bool
    """True when the pipeline checks each section it writes and falls back to the template
    drafter for those that fail; False for the template drafter itself."""

    def analyze(self, request: AnalysisRequest) -> AnalysisResponse:
        """Complete ``request.found`` (deterministic facts) with categories and criteria."""
        ...

    def argue(self, request: ArgumentRequest) -> ArgumentResponse:
        """One argument per criterion in ``request.analysis.criteria`` (or in
        ``request.feedback`` for a revision)."""
        ...
