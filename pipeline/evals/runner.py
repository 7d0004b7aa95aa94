"""Run a suite: every case through the pipeline, scored, one JSON line per case, resumable.

A run folder ``evals/runs/<timestamp>-<suite>-<engine>/`` holds:

- ``run.json``: the settings (suite, cases fingerprint, engine, prompt, k, date, judge);
- ``results.jsonl``: one line per finished case (output and scores), appended and synced as
  each case ends, so an interrupted run loses at most the case in progress;
- ``summary.json``, ``report.md``, ``report.html``: written when every case is done.

A run resumes (explicitly, or automatically when an unfinished run with the same settings
exists): finished cases are kept, a half-written last line is dropped, cases that failed with
an error are run again, and no case is recorded twice.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from ..errors import InputError
from ..fileio import write_atomic
from ..paths import PROJECT_ROOT
from ..pipeline import DEFAULT_K
from .cases import EvalCase, Expected, cases_fingerprint
from .execute import CaseOutput, run_case
from .scorers import Score, Scorer, default_scorers

RUNS_DIR = PROJECT_ROOT / "evals" / "runs"
RUN_FILE = "run.json"
RESULTS_FILE = "results.jsonl"
SUMMARY_FILE = "summary.json"


class RunConfig(BaseModel):
    """What a run was asked to do; a run resumes only with the same settings."""

    suite: str
    """Suite name, or the cases file's name for --cases."""
    cases_file: str
    fingerprint: str
    engine: str = "offline"
    model: str | None = None
    prompt: str | None = None
    k: int = DEFAULT_K
    date: dt.date
    judge: str | None = None
    started: str = ""

    def same_work(self, other: RunConfig) -> bool:
        keys = ("fingerprint", "engine", "model", "prompt", "k", "date", "judge")
        return all(getattr(self, key) == getattr(other, key) for key in keys)


class CaseResult(BaseModel):
    """One line of results.jsonl."""

    id: str
    source: str
    expected: Expected
    metadata: dict[str, Any] = Field(default_factory=dict)
    has_case: bool
    output: CaseOutput
    scores: dict[str, Score]

    @property
    def failed(self) -> bool:
        return self.output.error is not None


# --------------------------------------------------------------------------- run folders


def new_run_dir(config: RunConfig, runs_dir: Path) -> Path:
    """A fresh run folder named by time, suite and engine (never an existing one)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    slug = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in config.suite)
    base = runs_dir / f"{stamp}-{slug}-{config.engine}"
    path, n = base, 1
    while path.exists():
        n += 1
        path = base.with_name(f"{base.name}-{n}")
    path.mkdir(parents=True)
    write_json(path / RUN_FILE, config.model_dump(mode="json"))
    return path


def load_config(run_dir: Path) -> RunConfig:
    """The settings of an existing run folder; InputError if it is not one."""
    file = run_dir / RUN_FILE
    if not file.is_file():
        raise InputError(f"{run_dir}: not a run folder (no {RUN_FILE})")
    try:
        return RunConfig.model_validate_json(file.read_bytes())
    except ValidationError:
        raise InputError(f"{file}: unreadable run settings") from None


def find_unfinished(config: RunConfig, runs_dir: Path) -> Path | None:
    """The newest run folder with the same settings that has no summary yet."""
    if not runs_dir.is_dir():
        return None
    candidates = sorted(
        (p for p in runs_dir.iterdir() if (p / RUN_FILE).is_file()), key=lambda p: p.name
    )
    for path in reversed(candidates):
        if (path / SUMMARY_FILE).exists():
            continue
        try:
            if load_config(path).same_work(config):
                return path
        except InputError:
            continue
    return None


def load_results(run_dir: Path, keep_errors: bool = True) -> list[CaseResult]:
    """The results recorded so far (last line per case wins; a torn last line is dropped)."""
    file = run_dir / RESULTS_FILE
    if not file.is_file():
        return []
    by_id: dict[str, CaseResult] = {}
    for line in file.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            result = CaseResult.model_validate_json(line)
        except ValidationError:
            continue  # the line being written when the run stopped
        by_id[result.id] = result
    return [r for r in by_id.values() if keep_errors or not r.failed]


def write_json(path: Path, data: Any) -> None:
    """Write atomically: a reader never sees half a file."""
    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _rewrite_results(run_dir: Path, results: Iterable[CaseResult]) -> None:
    write_atomic(run_dir / RESULTS_FILE, "".join(r.model_dump_json() + "\n" for r in results))


def _append(run_dir: Path, result: CaseResult) -> None:
    with open(run_dir / RESULTS_FILE, "a", encoding="utf-8") as fh:
        fh.write(result.model_dump_json() + "\n")
        fh.flush()
        os.fsync(fh.fileno())


# --------------------------------------------------------------------------- engine


def make_engine(
    name: str | None,
    *,
    model: str | None = None,
    base_url: str | None = None,
    prompt: str | None = None,
) -> Any:
    """The engine as ``lmn draft`` would make it; ``prompt`` pins the prompt versions it uses."""
    from ..engines import get_engine

    engine = get_engine(name, model=model, base_url=base_url)
    if prompt is not None:
        if engine.name == "offline":
            raise InputError(f"--prompt {prompt}: the offline engine sends no prompts")
        check_prompts(prompt)
    return engine


def check_prompts(spec: str) -> None:
    """``ID@vN[,ID@vN...]``: each prompt file in use (prompts/, or $LMN_PROMPTS_DIR to try a
    variant) must be that version, so a run records exactly what it tested."""
    from ..prompts import load_prompt

    for item in (part.strip() for part in spec.split(",")):
        prompt_id, _, version = item.partition("@")
        version = version.removeprefix("v")
        if not prompt_id or not version:
            raise InputError(f"--prompt {item!r}: use ID@vN, e.g. draft_sections@v2")
        found = load_prompt(prompt_id).version
        if found != version:
            raise InputError(
                f"--prompt {item}: the prompt file {prompt_id}.yaml in use is version {found}; "
                "point LMN_PROMPTS_DIR at the folder that holds the version to test"
            )


# --------------------------------------------------------------------------- running


def score_case(case: EvalCase, out: CaseOutput, scorers: list[Scorer]) -> dict[str, Score]:
    return {s.name: s.score(case, out) for s in scorers}


def run(
    cases: list[EvalCase],
    config: RunConfig,
    *,
    run_dir: Path,
    scorers: list[Scorer] | None = None,
    engine: Any | None = None,
    index: Any | None = None,
    progress: bool | None = None,
) -> dict[str, Any]:
    """Run (or finish) the cases not yet recorded in ``run_dir``; return the summary.

    ``progress`` None shows a bar on stderr when it is a terminal.
    """
    from tqdm import tqdm

    from ..retrieve import get_index

    if cases_fingerprint(cases) != config.fingerprint:
        raise InputError(f"{run_dir}: the cases changed since this run started; start a new run")
    scorers = scorers if scorers is not None else default_scorers(k=config.k)
    kept = load_results(run_dir, keep_errors=False)
    _rewrite_results(run_dir, kept)
    done = {r.id for r in kept}
    todo = [c for c in cases if c.id not in done]
    started = time.perf_counter()
    if engine is None:
        engine = make_engine(config.engine, model=config.model, prompt=config.prompt)
    index_start = time.perf_counter()
    index = index if index is not None else (get_index() if todo else None)
    index_seconds = time.perf_counter() - index_start
    bar = tqdm(
        total=len(cases),
        initial=len(done),
        desc=config.suite,
        unit="case",
        file=sys.stderr,
        disable=(not progress) if progress is not None else None,
        dynamic_ncols=True,
    )
    errors = 0
    try:
        for case in todo:
            assert index is not None  # opened above whenever there is a case to run
            out = run_case(case, engine, index, k=config.k, today=config.date)
            errors += out.error is not None
            _append(run_dir, _result(case, out, scorers))
            bar.update(1)
            bar.set_postfix(errors=errors)
    except KeyboardInterrupt:
        bar.close()
        print(f"lmn: run stopped; resume it with: lmn eval run --resume {run_dir}", file=sys.stderr)
        raise
    bar.close()
    results = load_results(run_dir)
    summary = summarize(results, scorers, config, run_dir)
    summary["wall_seconds"] = round(time.perf_counter() - started, 3)
    summary["index_seconds"] = round(index_seconds, 3)
    write_json(run_dir / SUMMARY_FILE, summary)
    from .report import write_reports

    write_reports(run_dir, summary, results)
    return summary


def _result(case: EvalCase, out: CaseOutput, scorers: list[Scorer]) -> CaseResult:
    return CaseResult(
        id=case.id,
        source=case.source,
        expected=case.expected,
        metadata=case.metadata,
        has_case=case.case is not None,
        output=out,
        scores=score_case(case, out, scorers),
    )


# --------------------------------------------------------------------------- summary


def summarize(
    results: list[CaseResult], scorers: list[Scorer], config: RunConfig, run_dir: Path
) -> dict[str, Any]:
    """summary.json: headline figures first, then every scorer's own summary."""
    per: dict[str, dict[str, Any]] = {}
    for s in scorers:
        figures = s.summarize([r.scores.get(s.name) for r in results])
        per[s.name] = {
            "title": s.title,
            "unit": s.unit,
            "higher_is_better": s.higher_is_better,
            "pass_mark": s.pass_mark,
            **figures,
        }

    def fig(name: str, key: str = "value", default: Any = None) -> Any:
        return per.get(name, {}).get(key, default)

    failed = [r.id for r in results if r.failed]
    summary: dict[str, Any] = {
        "run_id": run_dir.name,
        "suite": config.suite,
        "cases_file": config.cases_file,
        "engine": config.engine,
        "model": config.model,
        "prompt": config.prompt,
        "prompts_used": sorted(
            {f"{k}@{v}" for r in results if r.output.run for k, v in r.output.run.prompts.items()}
        ),
        "judge": config.judge,
        "k": config.k,
        "date": config.date.isoformat(),
        "started": config.started,
        "finished": dt.datetime.now().isoformat(timespec="seconds"),
        "cases": len(results),
        "errors": len(failed),
        "error_cases": failed,
        "primary_category_accuracy": fig("primary_category"),
        "confusion_matrix": fig("primary_category", "confusion_matrix", {}),
        "extraction_recall": fig("extraction"),
        "extraction_precision": fig("extraction", "precision"),
        "field_recall": fig("extraction", "field_recall", {}),
        "field_precision": fig("extraction", "field_precision", {}),
        "criteria_recall": fig("criteria_recall"),
        "retrieval_recall_at_k": fig("retrieval_recall"),
        "citation_precision": fig("citation_precision"),
        "grounding_violations": fig("grounding_violations", "total", 0),
        "grounding_violations_per_letter": fig("grounding_violations"),
        "validator_pass_rate": fig("validator_pass"),
        "findings_by_code": fig("validator_pass", "findings_by_code", {}),
        "gap_recall": fig("gap_recall"),
        "letter_length_words": fig("letter_length"),
        "latency_seconds": fig("latency"),
        "latency_p95_seconds": fig("latency", "p95"),
        "model_calls": fig("model_usage", "calls", 0),
        "tokens": fig("model_usage", "value", 0),
        "scorers": per,
    }
    if "judge" in per:
        summary["judge_score"] = fig("judge")
    return summary
