"""Run one eval case through the product's ``Pipeline`` and keep what the scorers need.

The run is the one ``lmn draft`` makes, with two differences an evaluation needs: a draft that
fails validation is kept (so its citations and findings can be scored: ``reject=False``, gaps
allowed), and a case without case facts stops after retrieval (nothing can be drafted without
facts; the letter text then describes the service to the retriever). The pipeline's stage events
give the timings and what the stages produced before one failed.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import traceback
from typing import Any

from pydantic import BaseModel, Field

from ..engines.base import Engine, Usage
from ..errors import LmnError
from ..models import DenialAnalysis, Draft, Gap, RunInfo, ValidationReport
from ..pipeline import Pipeline, StageEvent
from ..retrieve import Index
from .cases import EvalCase

__all__ = ["CaseOutput", "Hit", "Usage", "describe", "run_case"]


class Hit(BaseModel):
    """A retrieved passage as the scorers see it (no passage text)."""

    id: str
    rank: int
    score: float
    kind: str
    short_body: str
    reference: str


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


class _Recorder:
    """Keeps what each finished stage produced, its seconds, and the stage that is running."""

    def __init__(self, out: CaseOutput) -> None:
        self.out = out
        self.current: str | None = None

    def __call__(self, event: StageEvent) -> None:
        self.out.usage = event.usage
        if not event.done:
            self.current = event.stage
            return
        self.current = None
        self.out.timings[event.stage] = round(event.seconds, 4)
        result = event.result
        if isinstance(result, DenialAnalysis):
            self.out.analysis = result
        elif event.stage == "retrieve" and isinstance(result, list):
            self.out.passages = [_hit(h) for h in result]
        elif isinstance(result, Draft):
            out = self.out
            out.markdown, out.gaps, out.run = result.markdown, result.gaps, result.run
        elif isinstance(result, ValidationReport):
            self.out.validation = result

    def failed(self, exc: Exception) -> None:
        """Record a failing stage: ``stage: what failed`` (never the message of a bug)."""
        what = f"{type(exc).__name__}: {exc}" if isinstance(exc, LmnError) else describe(exc)
        self.out.error = f"{self.current or 'pipeline'}: {what}"


def describe(exc: BaseException) -> str:
    """Exception type and where it was raised; never its message, which may quote the input."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}{where} (rerun with LMN_DEBUG=1 for details)"


def run_case(case: EvalCase, engine: Engine, index: Index, *, k: int, today: dt.date) -> CaseOutput:
    """The pipeline's output for one case; a failing stage is recorded, never raised."""
    out = CaseOutput()
    recorder = _Recorder(out)
    pipeline = Pipeline(engine, index=index, k=k, on_event=recorder)
    start = time.perf_counter()
    try:
        source = f"<case {case.id}>"
        pipeline.run(
            case.denial_letter, case.case, today=today, allow_gaps=True, reject=False, source=source
        )
    except Exception as exc:
        if os.environ.get("LMN_DEBUG") and not isinstance(exc, LmnError):
            raise
        recorder.failed(exc)
    out.timings["total"] = round(time.perf_counter() - start, 4)
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
