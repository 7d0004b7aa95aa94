"""Run one eval case through the real pipeline stages and keep what the scorers need.

The stages are the product's own (ingest, extract, retrieve, compose, validate), called in the
order ``pipeline.run.draft_letter`` calls them, with two differences an evaluation needs:
a draft that fails validation is kept (so its citations and findings can be scored), and a
case without case facts stops after retrieval (nothing can be drafted without facts; the
letter text then describes the service to the retriever).
"""

from __future__ import annotations

import datetime as dt
import os
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel, Field

from ..engine import Engine
from ..errors import LmnError
from ..models import DenialAnalysis, Gap, RunInfo, ValidationReport
from ..retrieve import Index
from .cases import EvalCase


class Hit(BaseModel):
    """A retrieved passage as the scorers see it (no passage text)."""

    id: str
    rank: int
    score: float
    kind: str
    short_body: str
    reference: str


class Usage(BaseModel):
    """Model use while running one case (all zero for the offline engine)."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0


class CaseOutput(BaseModel):
    """What the pipeline produced for one case."""

    analysis: DenialAnalysis | None = None
    passages: list[Hit] = Field(default_factory=list)
    markdown: str | None = None
    """The drafted letter; None when nothing was drafted (no case facts, or an error)."""
    gaps: list[Gap] = Field(default_factory=list)
    validation: ValidationReport | None = None
    run: RunInfo | None = None
    timings: dict[str, float] = Field(default_factory=dict)
    """Seconds per stage (extract, retrieve, draft, validate) and in all (total)."""
    usage: Usage = Field(default_factory=Usage)
    error: str | None = None
    """'stage: what failed' when a stage raised; the stages after it did not run."""


def usage_snapshot(engine: Engine) -> Usage | None:
    """The engine's running counters: the LLM engine's ``engine.client.stats`` (CallStats);
    None for an engine that keeps none (offline)."""
    stats = getattr(getattr(engine, "client", None), "stats", None)
    if stats is None:
        return None
    return Usage(calls=stats.calls, input_tokens=stats.tokens_in, output_tokens=stats.tokens_out)


def usage_between(before: Usage | None, after: Usage | None) -> Usage:
    """The usage of one case: the difference of two snapshots."""
    if before is None or after is None:
        return Usage()
    return Usage(
        calls=after.calls - before.calls,
        input_tokens=after.input_tokens - before.input_tokens,
        output_tokens=after.output_tokens - before.output_tokens,
    )


class _Stages:
    """Times each stage and turns the first failure into ``CaseOutput.error``."""

    def __init__(self, out: CaseOutput) -> None:
        self.out = out

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        except LmnError as exc:
            self.out.error = f"{name}: {type(exc).__name__}: {exc}"
            raise _Stop from None
        except Exception as exc:
            if os.environ.get("LMN_DEBUG"):
                raise
            self.out.error = f"{name}: {describe(exc)}"
            raise _Stop from None
        finally:
            self.out.timings[name] = round(time.perf_counter() - start, 4)


class _Stop(Exception):
    """A stage failed; its error is recorded."""


def describe(exc: BaseException) -> str:
    """Exception type and where it was raised; never its message, which may quote the input."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}{where} (rerun with LMN_DEBUG=1 for details)"


def run_case(case: EvalCase, engine: Engine, index: Index, *, k: int, today: dt.date) -> CaseOutput:
    """The pipeline's output for one case; a failing stage is recorded, never raised."""
    from ..draft import compose
    from ..extract import extract
    from ..ingest import ingest_text
    from ..retrieve import retrieve
    from ..validate import validate

    out = CaseOutput()
    stages = _Stages(out)
    before = usage_snapshot(engine)
    start = time.perf_counter()
    try:
        with stages.stage("ingest"):
            letter = ingest_text(case.denial_letter, source=f"<case {case.id}>")
        with stages.stage("extract"):
            out.analysis = extract(letter, engine)
        with stages.stage("retrieve"):
            hits = retrieve(out.analysis, case.case, k=k, index=index, letter_text=letter.text)
            out.passages = [_hit(h) for h in hits]
        if case.case is not None:
            with stages.stage("draft"):
                draft = compose(
                    letter.text,
                    out.analysis,
                    case.case,
                    hits,
                    engine,
                    today=today,
                    allow_gaps=True,
                )
                out.markdown, out.gaps, out.run = draft.markdown, draft.gaps, draft.run
            with stages.stage("validate"):
                out.validation = validate(draft)
    except _Stop:
        pass
    out.timings["total"] = round(time.perf_counter() - start, 4)
    out.usage = usage_between(before, usage_snapshot(engine))
    return out


def _hit(retrieved: Any) -> Hit:
    p = retrieved.passage
    return Hit(
        id=p.id,
        rank=retrieved.rank,
        score=retrieved.score,
        kind=p.kind,
        short_body=p.short_body,
        reference=p.reference(),
    )
