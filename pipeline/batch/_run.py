"""Draft a batch of letters: a bounded pool of worker processes, each with one Pipeline.

Every item gets a folder ``OUT/items/ID/`` holding its letter (``letter.md``), the draft as
JSON (``draft.json``), the facts to fill (``gaps.txt``), the validator's findings when it was
rejected (``findings.txt``) and, written last and atomically, ``result.json``: the item's row
of the summary with the fingerprint of its inputs. A rerun over the same folder (after an
interruption, or with more letters) reads those and drafts only the items that are new,
changed, or failed for a reason that may pass (the model endpoint, an internal error).
``OUT/state.json`` (written atomically) says what the batch is and how far it got.

On the offline engine the workers are processes (drafting is CPU work; each holds its own
Pipeline and index). With a model engine they are threads of one process (the work is waiting
on the endpoint: one index in memory, not one per worker); their number is the concurrency
limit against the endpoint (each drafts one letter at a time) and ``rate`` caps model calls per
minute across all of them (a shared clock: each call takes the next free slot).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, ValidationError

from ..errors import InputError, LmnError
from ..fileio import write_atomic
from ._items import BatchItem

if TYPE_CHECKING:
    from multiprocessing.sharedctypes import Synchronized

    from ..engines.base import (
        AnalysisRequest,
        AnalysisResponse,
        ArgumentRequest,
        ArgumentResponse,
        Engine,
    )
    from ..pipeline import Pipeline, StageEvent

log = logging.getLogger(__name__)

Status = Literal["passed", "gaps", "rejected", "failed"]
STATE_FILE = "state.json"
RESULT_FILE = "result.json"
ITEMS_DIR = "items"
STATE_EVERY_S = 1.0
"""The state file is rewritten at most this often while items finish (and at the end)."""


class GapRow(BaseModel):
    """A fact to fill before the letter can be final."""

    field: str
    message: str


class ItemResult(BaseModel):
    """One item's row of the summary (also its ``result.json``)."""

    id: str
    status: Status
    fingerprint: str = ""
    letter: str | None = None
    case: str | None = None
    message: str = ""
    """One line: what went wrong, or how the draft passed."""
    gaps: list[GapRow] = Field(default_factory=list)
    findings: list[str] = Field(default_factory=list)
    """The validator's errors, when the draft was rejected."""
    deadline: dt.date | None = None
    """The appeal deadline the denial gives (or works out to)."""
    insurer: str | None = None
    claim_number: str | None = None
    seconds: float = 0.0
    retry: bool = False
    """Draft it again on the next run (the endpoint or the program failed, not the inputs)."""
    outputs: list[str] = Field(default_factory=list)
    """The files in the item's folder."""

    @property
    def ok(self) -> bool:
        return self.status == "passed"


@dataclass(frozen=True)
class BatchSettings:
    """What every worker needs to draft (picklable: sent to each worker process)."""

    out: Path
    engine: str | None = None
    model: str | None = None
    base_url: str | None = None
    k: int = 6
    date: dt.date | None = None
    rate: float | None = None
    """Model calls per minute across all workers (None: no limit)."""

    def fingerprint_key(self, engine_name: str, model: str | None) -> str:
        """What, besides an item's own inputs, changes its letter."""
        return json.dumps([engine_name, model, self.k, self.date and self.date.isoformat()])


@dataclass
class BatchRun:
    """What a batch did: one result per item, in the items' order."""

    results: list[ItemResult]
    reused: int
    """Items finished by an earlier run and not drafted again."""
    seconds: float

    def count(self, status: Status) -> int:
        return sum(r.status == status for r in self.results)


ProgressHook = Callable[[ItemResult, "BatchRun"], None]


# --------------------------------------------------------------------------- the batch


def run_batch(
    items: list[BatchItem],
    settings: BatchSettings,
    *,
    jobs: int = 1,
    source: str = "",
    on_result: ProgressHook | None = None,
) -> BatchRun:
    """Draft every item not already finished in ``settings.out``; return every item's result.

    ``jobs`` worker processes draft concurrently (1: in this process). Raises InputError when
    the output folder cannot be used; a failing item is a result, never an exception.
    KeyboardInterrupt stops the batch after the state of the finished items is written.
    """
    out = settings.out
    prepare_output(out, items, source=Path(source) if source else None)
    from ..engines import get_engine

    engine = get_engine(settings.engine, model=settings.model, base_url=settings.base_url)
    key = settings.fingerprint_key(engine.name, engine.model)
    threads = engine.model is not None  # a model engine waits on its endpoint
    prints = {item.id: item.fingerprint(key) for item in items}
    done = _finished(out, prints)
    todo = [item for item in items if item.id not in done]
    shown_source = str(Path(source).resolve()) if source else ""
    state = _State(out, shown_source, settings, engine.name, engine.model, len(items))
    start = time.perf_counter()
    run = BatchRun(results=[], reused=len(done), seconds=0.0)
    results: dict[str, ItemResult] = dict(done)
    state.write(results, force=True)

    def finished(result: ItemResult) -> None:
        results[result.id] = result
        run.results = [results[i.id] for i in items if i.id in results]
        run.seconds = time.perf_counter() - start
        state.write(results)
        if on_result is not None:
            on_result(result, run)

    try:
        for result in _draft_all(todo, prints, settings, jobs, threads=threads):
            finished(result)
    finally:
        run.results = [results[i.id] for i in items if i.id in results]
        run.seconds = time.perf_counter() - start
        state.write(results, force=True, complete=len(results) == len(items))
    return run


def prepare_output(out: Path, items: list[BatchItem], *, source: Path | None = None) -> None:
    """Make ``out`` (or accept it as an earlier batch's folder); refuse a folder holding
    anything else, one inside the ``source`` folder, and any item whose input lies inside it
    (nothing given is overwritten or read back as an input)."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: is a file; give a folder for the batch's output")
    if out.is_dir() and any(out.iterdir()) and not (out / STATE_FILE).is_file():
        raise InputError(
            f"{out}: is not empty and not a batch folder lmn wrote; choose a new folder "
            "(an earlier batch's folder resumes it)"
        )
    resolved = out.resolve()
    if source is not None and (earlier := _earlier_source(out)) not in (
        None,
        str(source.resolve()),
    ):
        raise InputError(f"{out}: holds the batch of {earlier}; choose another folder for {source}")
    if source is not None and source.is_dir() and resolved.is_relative_to(source.resolve()):
        raise InputError(f"{out}: is inside the input folder {source}; choose a folder outside it")
    for item in items:
        for path in (item.letter, item.case):
            if path is not None and path.resolve().is_relative_to(resolved):
                raise InputError(
                    f"{path}: an input inside the output folder {out}; choose another folder"
                )
    try:
        (out / ITEMS_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"{out}: cannot be created ({exc.strerror}); choose another folder"
        ) from None


def _earlier_source(out: Path) -> str | None:
    """The source an earlier batch in ``out`` was run on (None: none recorded)."""
    try:
        state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state.get("source") or None if isinstance(state, dict) else None


def finished_results(out: Path, items: list[BatchItem]) -> list[ItemResult]:
    """The results written in ``out`` for these items so far (after an interruption)."""
    found = []
    for item in items:
        with contextlib.suppress(OSError, ValidationError):
            path = out / ITEMS_DIR / item.id / RESULT_FILE
            found.append(ItemResult.model_validate_json(path.read_bytes()))
    return found


def _finished(out: Path, prints: dict[str, str]) -> dict[str, ItemResult]:
    """The results of an earlier run that stand: same inputs, nothing to retry."""
    done: dict[str, ItemResult] = {}
    for item_id, fingerprint in prints.items():
        path = out / ITEMS_DIR / item_id / RESULT_FILE
        try:
            result = ItemResult.model_validate_json(path.read_bytes())
        except (OSError, ValidationError):
            continue
        if result.fingerprint == fingerprint and not result.retry and result.id == item_id:
            done[item_id] = result
    return done


def _draft_all(
    todo: list[BatchItem],
    prints: dict[str, str],
    settings: BatchSettings,
    jobs: int,
    *,
    threads: bool = False,
) -> Iterator[ItemResult]:
    """The items' results as they finish: in this process (``jobs`` 1), or in a pool of
    ``jobs`` processes (or, with ``threads``, threads)."""
    if not todo:
        return
    context = get_context("spawn")  # no fork of a process holding threads or an open index
    clock = context.Value("d", 0.0)
    if jobs <= 1:
        _init_worker(settings, clock, in_process=True)
        for item in todo:
            yield draft_item(item, prints[item.id])
        return
    pool: Executor
    if threads:
        pool = ThreadPoolExecutor(
            max_workers=jobs, initializer=_init_worker, initargs=(settings, clock, True)
        )
    else:
        pool = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=_init_worker,
            initargs=(settings, clock),
        )
    pending: dict[Future[ItemResult], BatchItem] = {}
    queue = iter(todo)
    try:
        for item in queue:  # keep at most two items per worker queued
            pending[pool.submit(draft_item, item, prints[item.id])] = item
            if len(pending) >= 2 * jobs:
                break
        while pending:
            ready, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in ready:
                item = pending.pop(future)
                yield _outcome(future, item, prints[item.id], settings.out)
                nxt = next(queue, None)
                if nxt is not None:
                    pending[pool.submit(draft_item, nxt, prints[nxt.id])] = nxt
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _outcome(
    future: Future[ItemResult], item: BatchItem, fingerprint: str, out: Path
) -> ItemResult:
    """The future's result; a worker that died is this item's failure, to retry next run."""
    try:
        return future.result()
    except Exception as exc:  # BrokenProcessPool: the worker died (memory, a signal)
        result = _failed(
            item, fingerprint, f"the worker drafting it stopped ({type(exc).__name__})"
        )
        result = result.model_copy(update={"retry": True})
        _write_result(out / ITEMS_DIR / item.id, result)
        return result


class _State:
    """``state.json``: the batch's settings and how far it got (rewritten atomically)."""

    def __init__(
        self,
        out: Path,
        source: str,
        settings: BatchSettings,
        engine: str,
        model: str | None,
        total: int,
    ) -> None:
        self.path = out / STATE_FILE
        self.head: dict[str, Any] = {
            "lmn_batch": 1,
            "source": source,
            "engine": engine,
            "model": model,
            "k": settings.k,
            "date": settings.date and settings.date.isoformat(),
            "total": total,
            "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        self.last = 0.0

    def write(
        self, results: dict[str, ItemResult], *, force: bool = False, complete: bool = False
    ) -> None:
        now = time.monotonic()
        if not force and now - self.last < STATE_EVERY_S:
            return
        self.last = now
        counts: dict[str, int] = {}
        for r in results.values():
            counts[r.status] = counts.get(r.status, 0) + 1
        state = {
            **self.head,
            "updated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "complete": complete,
            "finished": len(results),
            "counts": counts,
            "items": {i: r.status for i, r in results.items()},
        }
        write_atomic(self.path, json.dumps(state, indent=1))


# --------------------------------------------------------------------------- one worker


@dataclass
class _Worker:
    settings: BatchSettings
    pipeline: Pipeline | None = None
    problem: str | None = None
    """Why the engine could not be made (every item then fails with it)."""


_LOCAL = threading.local()
"""``worker``: this process's (or this thread's) _Worker."""


def _init_worker(
    settings: BatchSettings, clock: Synchronized[float], in_process: bool = False
) -> None:
    """Make this worker's Pipeline (one engine; the index, opened on first use, is shared by
    the threads of a process)."""
    if not in_process:  # the parent handles Ctrl-C; a worker finishes its letter
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        logging.basicConfig(
            level=os.environ.get("LMN_LOG_LEVEL", "WARNING").upper(),
            format="lmn: %(levelname)s %(name)s: %(message)s",
        )
    from ..engines import get_engine
    from ..pipeline import Pipeline

    worker = _Worker(settings)
    try:
        engine = get_engine(settings.engine, model=settings.model, base_url=settings.base_url)
    except LmnError as exc:
        worker.problem = str(exc)
    else:
        if settings.rate:
            engine = RateLimited(engine, SharedClock(clock, 60.0 / settings.rate))
        worker.pipeline = Pipeline(engine, k=settings.k)
    _LOCAL.worker = worker


def draft_item(item: BatchItem, fingerprint: str) -> ItemResult:
    """Draft one item into its folder; every failure is the result's status and message."""
    worker: _Worker | None = getattr(_LOCAL, "worker", None)
    assert worker is not None, "draft_item runs in a worker made by _init_worker"
    folder = worker.settings.out / ITEMS_DIR / item.id
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if item.problem is not None or worker.pipeline is None:
        result = _failed(item, fingerprint, item.problem or worker.problem or "")
    else:
        result = _draft(worker.pipeline, worker.settings, item, fingerprint, folder)
    result = result.model_copy(update={"seconds": round(time.perf_counter() - started, 3)})
    _write_result(folder, result)
    return result


def _draft(
    pipeline: Pipeline, settings: BatchSettings, item: BatchItem, fingerprint: str, folder: Path
) -> ItemResult:
    from ..casefile import load_case
    from ..errors import DraftRejected
    from ..exporters import Export, get_exporter
    from ..fixes import describe
    from ..ingest import ingest
    from ..models import DenialAnalysis

    assert item.letter is not None and item.case is not None
    read: dict[str, DenialAnalysis] = {}

    def on_event(event: StageEvent) -> None:
        if event.stage == "extract" and isinstance(event.result, DenialAnalysis):
            read["analysis"] = event.result

    pipeline.on_event = on_event
    base = _failed(item, fingerprint, "")
    try:
        letter = ingest(item.letter)
        case = load_case(item.case)
        outcome = pipeline.run(
            letter, case, today=item.date or settings.date, allow_gaps=True, source=item.id
        )
    except DraftRejected as exc:
        findings = [describe(f) for f in exc.report.errors]
        _write_text(folder / "findings.txt", "\n".join(findings))
        return _with_analysis(
            base.model_copy(
                update={
                    "status": "rejected",
                    "message": str(exc),
                    "findings": findings,
                    "outputs": ["findings.txt"],
                }
            ),
            read.get("analysis"),
        )
    except LmnError as exc:
        from ..errors import EngineError

        update = {"message": str(exc), "retry": isinstance(exc, EngineError)}
        return _with_analysis(base.model_copy(update=update), read.get("analysis"))
    except Exception as exc:  # one bad item is a row, never a stopped batch
        log.warning(
            "batch: an item failed (%s); its row in the summary names it", type(exc).__name__
        )
        message = f"internal error ({type(exc).__name__}); rerun it alone with LMN_DEBUG=1"
        return base.model_copy(update={"message": message, "retry": True})
    finally:
        pipeline.on_event = None
    draft = outcome.draft
    assert draft is not None  # a case was given
    _write_text(folder / "letter.md", draft.markdown)
    write_atomic(
        folder / "draft.json",
        get_exporter("json").render(Export(markdown=draft.markdown, draft=draft)),
    )
    gaps = [GapRow(field=g.field, message=g.message) for g in draft.gaps]
    _write_text(folder / "gaps.txt", "\n".join(f"{g.field}: {g.message}" for g in gaps) or "none")
    report = draft.validation
    warnings = len(report.findings) if report is not None else 0
    if gaps:
        message = f"DRAFT: {len(gaps)} fact(s) to fill, then draft again"
    else:
        message = f"passed validation ({warnings} warning(s))"
    return _with_analysis(
        base.model_copy(
            update={
                "status": "gaps" if gaps else "passed",
                "message": message,
                "gaps": gaps,
                "outputs": ["letter.md", "draft.json", "gaps.txt"],
            }
        ),
        draft.analysis,
    )


def _failed(item: BatchItem, fingerprint: str, message: str) -> ItemResult:
    return ItemResult(
        id=item.id,
        status="failed",
        fingerprint=fingerprint,
        letter=str(item.letter) if item.letter else None,
        case=str(item.case) if item.case else None,
        message=message,
    )


def _with_analysis(result: ItemResult, analysis: Any) -> ItemResult:
    if analysis is None:
        return result
    return result.model_copy(
        update={
            "deadline": analysis.appeal_deadline,
            "insurer": analysis.insurer,
            "claim_number": analysis.claim_number,
        }
    )


def _write_text(path: Path, text: str) -> None:
    write_atomic(path, text if text.endswith("\n") else text + "\n")


def _write_result(folder: Path, result: ItemResult) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / RESULT_FILE, result.model_dump_json(indent=1))


# --------------------------------------------------------------------------- the rate limit


class SharedClock:
    """Spaces events ``interval`` seconds apart across processes: each ``wait`` takes the next
    free slot on a shared monotonic clock (CLOCK_MONOTONIC is one clock for the machine)."""

    def __init__(self, slot: Synchronized[float], interval: float) -> None:
        self.slot = slot
        self.interval = interval

    def wait(self) -> float:
        """Sleep until this caller's slot; return the seconds slept."""
        with self.slot.get_lock():
            now = time.monotonic()
            mine = max(now, self.slot.value)
            self.slot.value = mine + self.interval
        delay = mine - now
        if delay > 0:
            time.sleep(delay)
        return delay


class RateLimited:
    """An engine whose calls (analyze, argue) each wait for a slot of a :class:`SharedClock`."""

    def __init__(self, engine: Engine, clock: SharedClock) -> None:
        self.inner = engine
        self.clock = clock
        self.name = engine.name
        self.checked = engine.checked

    @property
    def model(self) -> str | None:
        return self.inner.model

    @property
    def max_redrafts(self) -> int:
        return self.inner.max_redrafts

    def analyze(self, request: AnalysisRequest) -> AnalysisResponse:
        self.clock.wait()
        return self.inner.analyze(request)

    def argue(self, request: ArgumentRequest) -> ArgumentResponse:
        self.clock.wait()
        return self.inner.argue(request)
