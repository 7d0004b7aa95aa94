"""The one place the stages are wired: ingest -> extract -> retrieve -> draft -> validate.

The CLI, the web app and the evals all run a letter through :class:`Pipeline`; no other module
calls the stages in order. A caller follows the run through ``on_event``: each stage reports when
it starts and when it is done (with its seconds, its result and the model use so far), which is
how the evals time stages and keep what a failing run produced.

The draft stage asks the engine for the criterion arguments, then, for an engine whose sections
are checked (``Engine.checked``), runs the re-draft loop: the sections with problems
(``pipeline.sections``) go back to the engine with the findings, at most ``max_redrafts`` times;
a section that still fails is written by the template drafter (the offline engine) and listed in
``RunInfo.fallback_sections``. The letter the validator finally sees is the same whatever mix of
engine and template sections it holds.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import time
import uuid
from collections.abc import Callable, Collection
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field

from .draft import assemble
from .embedding import RunVectors
from .engines.base import AnalysisResponse, ArgumentRequest, ArgumentResponse, Engine, Usage
from .engines.offline import OfflineEngine
from .errors import DraftRejected, InputError
from .extract import extract_response
from .fixes import explain
from .identity import mismatch_message
from .ingest import ingest_text
from .models import (
    CaseFacts,
    CriterionArgument,
    CriterionVerdict,
    DenialAnalysis,
    DenialLetter,
    Draft,
    RetrievedPassage,
    RunInfo,
)
from .reasoning.argument import place
from .reasoning.grounds import UNREAD, Choice, select
from .reasoning.strategy import settle, strategy
from .reasoning.verdicts import evaluate
from .retrieve import Index, retrieve
from .seal import seal
from .sections import section_problems
from .validate import Inputs, validate

log = logging.getLogger(__name__)

DEFAULT_K = 6
"""Passages retrieved per letter."""

T = TypeVar("T")

Stage = Literal["ingest", "extract", "retrieve", "draft", "validate"]


@dataclass(frozen=True)
class StageEvent:
    """A stage started (``done`` False) or finished (``done`` True, with its result)."""

    stage: Stage
    done: bool
    seconds: float = 0.0
    """How long the stage took (finished events)."""
    result: object = None
    """What the stage produced (finished events): DenialLetter, DenialAnalysis, the passages,
    the Draft, the ValidationReport."""
    usage: Usage = field(default_factory=Usage)
    """Model use of this run so far."""


EventHandler = Callable[[StageEvent], None]


class Outcome(BaseModel):
    """Everything one run produced."""

    analysis: DenialAnalysis
    passages: list[RetrievedPassage] = Field(default_factory=list)
    arguments: list[CriterionArgument] = Field(default_factory=list)
    """The arguments the letter states, in criterion order."""
    draft: Draft | None = None
    """The validated draft; None when there was no case to draft from."""
    usage: Usage = Field(default_factory=Usage)
    extraction: AnalysisResponse | None = None
    """The engine's answer to the extract stage (its prompts and who found the criteria)."""
    run_id: str = ""
    """The id the run log groups this run's model calls by."""


class Arguments(BaseModel):
    """The draft stage's arguments, with how they were made."""

    arguments: list[CriterionArgument] = Field(default_factory=list)
    prompts: dict[str, str] = Field(default_factory=dict)
    fallback_sections: list[int] = Field(default_factory=list)
    """Criterion numbers (from 1) the template drafter wrote."""
    usage: Usage = Field(default_factory=Usage)


class Pipeline:
    """A letter and a case in, a validated draft out, with one engine and one index."""

    def __init__(
        self,
        engine: Engine | None = None,
        *,
        index: Index | None = None,
        k: int = DEFAULT_K,
        on_event: EventHandler | None = None,
        fallback: Engine | None = None,
    ) -> None:
        self.engine = engine or OfflineEngine()
        self.index = index
        self.k = k
        self.on_event = on_event
        self.fallback = fallback or OfflineEngine()
        """Writes the sections the engine's re-drafts never got right."""

    # ---------------------------------------------------------------- the whole run

    def run(
        self,
        letter: DenialLetter | str,
        case: CaseFacts | None,
        *,
        today: dt.date | None = None,
        allow_gaps: bool = False,
        reject: bool = True,
        until: Literal["extract", "retrieve", "validate"] = "validate",
        source: str = "<text>",
    ) -> Outcome:
        """Every stage, in order (up to ``until``). ``letter`` is an ingested letter or its text
        (named ``source`` in messages).

        With no ``case`` the run stops after retrieval (nothing can be drafted without facts;
        the letter then describes the service to the retriever). Raises GapsError when facts are
        missing (unless ``allow_gaps``), and, with ``reject``, DraftRejected when a complete
        draft fails validation: nothing reaches the user as final without passing. A draft with
        gaps is marked DRAFT and returned with its report, whatever the report says.
        """
        run = _Run(self.on_event)
        if isinstance(letter, str):
            text = letter
            letter = run.stage("ingest", lambda: ingest_text(text, source=source))
        read = letter

        def extract() -> AnalysisResponse:
            answer = extract_response(read, self.engine, run.run_id)
            run.usage += answer.usage
            return answer

        answer = run.stage("extract", extract, report=lambda a: a.analysis)
        analysis = answer.analysis
        if until == "extract":
            return run.outcome(answer)
        # The verdicts read only the analysis and the case: they are computed on another
        # thread while the passages are retrieved, both mostly waiting on the embedding model
        # (which releases the GIL), so the two stages' model runs share the cores.
        # Both embed a criterion's words when its requirement is a bare subject: the run's
        # vectors embed each text once, whichever stage asks first.
        shared = RunVectors()
        # The notice's ground is chosen once: the retrieval reads its question, the
        # strategies argue it and the validator grounds its figures.
        ground = select(analysis, read.text)
        verdicts = (
            _beside().submit(
                evaluate, analysis, case, as_of=today or dt.date.today(), embedder=shared
            )
            if case is not None and until == "validate"
            else None
        )
        passages = run.stage(
            "retrieve",
            lambda: retrieve(
                analysis,
                case,
                k=self.k,
                index=self.index,
                letter_text=read.text,
                embedder=shared,
                ground=ground,
            ),
        )
        if case is None or until == "retrieve":
            return run.outcome(answer, passages=passages)
        return self._finish(
            run, letter, answer, passages, case, today, allow_gaps, reject, verdicts, ground
        )

    def finish(
        self,
        letter: DenialLetter,
        analysis: AnalysisResponse,
        passages: list[RetrievedPassage],
        case: CaseFacts,
        *,
        today: dt.date | None = None,
        allow_gaps: bool = False,
        reject: bool = True,
        run_id: str | None = None,
    ) -> Outcome:
        """The draft and validate stages of :meth:`run` on an analysis and passages at hand
        (e.g. a recorded run replayed); ``run_id`` continues the run that extracted them."""
        run = _Run(self.on_event, run_id)
        return self._finish(run, letter, analysis, passages, case, today, allow_gaps, reject)

    def _finish(
        self,
        run: _Run,
        letter: DenialLetter,
        answer: AnalysisResponse,
        passages: list[RetrievedPassage],
        case: CaseFacts,
        today: dt.date | None,
        allow_gaps: bool,
        reject: bool,
        computing: Future[list[CriterionVerdict]] | None = None,
        ground: Choice = UNREAD,
    ) -> Outcome:
        """Draft and validate; ``computing``: the verdicts under way (else computed here);
        ``ground``: the notice's ground as the run chose it (else chosen here)."""
        analysis = answer.analysis
        # The context as the validator reads it, read once for every validation of this run;
        # its identity check comes first: the case may be another patient's or claim's.
        inputs = Inputs(analysis, case, passages, letter.text)
        if found := inputs.mismatches:
            raise InputError(mismatch_message(found))
        inputs.read_ahead()  # what validation reads of the inputs, while the verdicts compute
        # The strategies' results: the writers, the letter and the validator read these. They
        # need no verdict, so they are worked out while the verdicts' model runs go on.
        plan = strategy(analysis, case, letter.text, today or dt.date.today(), ground)
        # The criteria's verdicts, computed once: the writers, the gaps, the letter and the
        # validator all read these (the draft carries them, sealed with its context).
        verdicts: list[CriterionVerdict] = (
            computing.result()
            if computing is not None
            else evaluate(analysis, case, as_of=today or dt.date.today())
        )
        verdicts = settle(verdicts, plan)  # found met, alternatives not relied on
        # Where the template drafter states each passage, worked out once: its sections (the
        # offline engine's, a model's that fall back to it) are written on it, the draft
        # carries it and the validator checks the letter's citations against it.
        placement = place(passages, verdicts, case, analysis.plan_type)
        inputs.given_verdicts = verdicts
        inputs.given_strategy = plan
        inputs.given_placement = placement
        request = ArgumentRequest(
            analysis=analysis,
            case=case,
            passages=passages,
            letter_text=letter.text,
            today=today or dt.date.today(),
            run_id=run.run_id,
            verdicts=verdicts,
            strategy=plan,
            placement=placement,
        )

        def draft() -> tuple[Draft, Arguments]:
            written = self.arguments(request, inputs)
            run.usage += written.usage
            info = RunInfo(
                engine=self.engine.name,
                model=self.engine.model,
                created=request.today or dt.date.today(),
                prompts=answer.prompts | written.prompts,
                fallback_sections=written.fallback_sections,
                criteria_source=answer.criteria_source,
            )
            return assemble(request, written.arguments, info, allow_gaps=allow_gaps), written

        composed, written = run.stage("draft", draft, report=lambda r: r[0])
        report = run.stage("validate", lambda: explain(validate(composed, inputs), composed))
        checked = seal(composed.model_copy(update={"validation": report}))
        if reject and not report.ok and not checked.gaps:
            message = (
                f"the draft failed validation with {len(report.errors)} error(s), nothing was "
                "written; fix each field named below and draft again"
            )
            raise DraftRejected(message, report)
        return run.outcome(answer, passages=passages, arguments=written.arguments, draft=checked)

    def draft(
        self,
        letter: DenialLetter,
        case: CaseFacts,
        *,
        today: dt.date | None = None,
        allow_gaps: bool = False,
    ) -> Draft:
        """The validated draft of :meth:`run` (rejected drafts raise DraftRejected)."""
        draft = self.run(letter, case, today=today, allow_gaps=allow_gaps).draft
        assert draft is not None  # a case was given
        return draft

    def revalidate(
        self, markdown: str, letter: DenialLetter, case: CaseFacts, *, today: dt.date
    ) -> Draft:
        """A letter written elsewhere (e.g. edited by hand), validated in the context this
        pipeline gives its own drafts: the letter's analysis and the passages retrieved."""
        context = self.run(letter, case, until="retrieve")
        draft = Draft(
            markdown=markdown,
            analysis=context.analysis,
            case=case,
            passages=context.passages,
            letter_text=letter.text,
            run=RunInfo(engine=self.engine.name, model=self.engine.model, created=today),
        )
        run = _Run(self.on_event)
        report = run.stage("validate", lambda: explain(validate(draft), draft))
        return draft.model_copy(update={"validation": report})

    # ---------------------------------------------------------------- the draft stage

    def arguments(self, request: ArgumentRequest, inputs: Inputs | None = None) -> Arguments:
        """The engine's arguments; for a checked engine, re-drafted and, per section, replaced
        by the template drafter's where they still fail (``inputs``: the request's context as
        the validator reads it, kept for every round)."""
        inputs = inputs or Inputs(
            request.analysis,
            request.case,
            request.passages,
            request.letter_text,
            request.verdicts,
            given_placement=request.placement,
        )
        engine = self.engine
        answer = engine.argue(request)
        usage, prompts = answer.usage, dict(answer.prompts)
        count = len(request.analysis.criteria)
        if not engine.checked:
            return Arguments(arguments=answer.arguments, prompts=prompts, usage=usage)
        written = _by_index(answer, range(count))
        problems = section_problems(request, written, engine.name, inputs)
        for _ in range(engine.max_redrafts):
            if not problems or answer.transcript is None:
                break
            answer = engine.argue(request.revision(problems, answer))
            usage += answer.usage
            prompts |= answer.prompts
            if answer.transcript is not None:
                written |= _by_index(answer, problems)
                problems = section_problems(request, written, engine.name, inputs)
        failed = {i for i in range(count) if i not in written or i in problems}
        arguments = [written[i] for i in range(count) if i not in failed]
        if failed:
            log.warning(
                "pipeline: the template drafter wrote %d of %d sections", len(failed), count
            )
            template = self.fallback.argue(request).arguments
            arguments = sorted(
                arguments + [a for a in template if a.criterion_index in failed],
                key=lambda a: a.criterion_index,
            )
        return Arguments(
            arguments=arguments,
            prompts=prompts,
            fallback_sections=sorted(i + 1 for i in failed),
            usage=usage,
        )


@functools.cache
def _beside() -> ThreadPoolExecutor:
    """The threads verdicts are computed on beside retrieval (one per concurrent run, up to 4)."""
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="lmn-verdicts")


if hasattr(os, "register_at_fork"):  # a forked child has none of the parent's threads
    os.register_at_fork(after_in_child=_beside.cache_clear)


def _by_index(answer: ArgumentResponse, wanted: Collection[int]) -> dict[int, CriterionArgument]:
    """The answer's arguments for the criteria in ``wanted`` (the first per criterion)."""
    out: dict[int, CriterionArgument] = {}
    for argument in answer.arguments:
        if argument.criterion_index in wanted and argument.criterion_index not in out:
            out[argument.criterion_index] = argument
    return out


class _Run:
    """One run's events and model use."""

    def __init__(self, on_event: EventHandler | None, run_id: str | None = None) -> None:
        self.on_event = on_event
        self.usage = Usage()
        self.run_id = run_id or uuid.uuid4().hex  # the run log groups a run's model calls by it

    def outcome(self, extraction: AnalysisResponse, **produced: Any) -> Outcome:
        return Outcome(
            analysis=extraction.analysis,
            usage=self.usage,
            extraction=extraction,
            run_id=self.run_id,
            **produced,
        )

    def stage(
        self, name: Stage, work: Callable[[], T], report: Callable[[T], object] | None = None
    ) -> T:
        """Run ``work`` as stage ``name``, telling the handler when it starts and ends."""
        if self.on_event is None:
            return work()
        self.on_event(StageEvent(name, done=False, usage=self.usage))
        start = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - start
        shown = report(result) if report else result
        self.on_event(StageEvent(name, done=True, seconds=seconds, result=shown, usage=self.usage))
        return result
