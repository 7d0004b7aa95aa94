"""`lmn eval run` and `lmn eval compare`: the typer sub-app registered in pipeline/cli.py."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ..cli_common import BaseUrlOpt, EngineOpt, FormatOpt, ModelOpt, TextOrJson, parse_date, say
from ..errors import InputError

eval_app = typer.Typer(
    no_args_is_help=True, help="Run evaluation suites and compare runs (see evals/README.md)."
)


HEADLINES = (
    ("primary_category_accuracy", "primary-category accuracy"),
    ("extraction_recall", "extraction recall"),
    ("criteria_recall", "criteria recall"),
    ("retrieval_recall_at_k", "retrieval recall@k"),
    ("citation_precision", "citation precision"),
    ("grounding_violations", "grounding violations"),
    ("validator_pass_rate", "validator pass rate"),
    ("gap_recall", "gap recall"),
    ("judge_score", "judge score"),
    ("latency_seconds", "latency, mean s"),
    ("tokens", "model tokens (in + out)"),
)


@eval_app.command("run")
def run_cmd(
    suite: Annotated[
        str | None, typer.Option("--suite", "-s", help="Suite name in evals/suites/.")
    ] = None,
    cases: Annotated[
        Path | None, typer.Option("--cases", help="A JSONL file of cases (evals/README.md).")
    ] = None,
    engine: EngineOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    prompt: Annotated[
        str | None,
        typer.Option(
            "--prompt", help="Pin prompt versions: ID@vN[,ID@vN], e.g. draft_sections@v2."
        ),
    ] = None,
    judge: Annotated[
        str | None, typer.Option("--judge", help="Grade letters with this LLM (off by default).")
    ] = None,
    k: Annotated[
        int | None, typer.Option("-k", min=1, max=20, help="Passages (default 6).")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Letter date, YYYY-MM-DD (default today).")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Only the first N cases.")
    ] = None,
    resume: Annotated[
        Path | None, typer.Option("--resume", help="Finish this interrupted run folder.")
    ] = None,
    new: Annotated[
        bool, typer.Option("--new", help="Start a new run even if an unfinished one matches.")
    ] = False,
    runs_dir: Annotated[
        Path | None, typer.Option("--runs-dir", help="Where run folders go (evals/runs).")
    ] = None,
    fmt: FormatOpt = TextOrJson.text,
    progress: Annotated[
        bool | None, typer.Option("--progress/--no-progress", help="Progress bar on stderr.")
    ] = None,
) -> None:
    """Run a suite through the pipeline, score every case and write a run folder."""
    from .runner import RUNS_DIR, find_unfinished, load_config, make_engine, new_run_dir, run

    root = runs_dir or RUNS_DIR
    if resume is not None:
        run_dir = resume
        config = load_config(run_dir)
        _check_same(config, engine=engine, model=model, prompt=prompt, k=k, judge=judge, date=date)
        selected = _load(None, Path(config.cases_file), limit=None)
        selected = _matching(selected, config.fingerprint, run_dir)
        chosen = make_engine(
            config.engine, model=config.model, base_url=base_url, prompt=config.prompt
        )
    else:
        if (suite is None) == (cases is None):
            raise InputError("give exactly one of --suite NAME or --cases FILE")
        selected = _load(suite, cases, limit)
        chosen = make_engine(engine, model=model, base_url=base_url, prompt=prompt)
        config = _config(suite, cases, selected, chosen, prompt, k, date, judge)
        found = None if new else find_unfinished(config, root)
        if found is not None:
            run_dir, config = found, load_config(found)
            say(f"lmn: resuming the unfinished run {found} (pass --new to start afresh)")
        else:
            run_dir = new_run_dir(config, root)
    from .scorers import default_scorers

    scorer = _judge(config)

    summary = run(
        selected,
        config,
        run_dir=run_dir,
        engine=chosen,
        scorers=default_scorers(k=config.k, judge=scorer),
        progress=progress,
    )
    if fmt is TextOrJson.json:
        sys.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
        return
    _print_summary(summary, run_dir)


def _load(suite: str | None, cases: Path | None, limit: int | None) -> list[Any]:
    from .cases import load_cases, suite_path

    path = suite_path(suite) if suite is not None else cases
    assert path is not None
    loaded = load_cases(path)
    return loaded[:limit] if limit else loaded


def _matching(cases: list[Any], fingerprint: str, run_dir: Path) -> list[Any]:
    """The prefix of ``cases`` the run was started on (a --limit run), else an error."""
    from .cases import cases_fingerprint

    for n in range(len(cases), 0, -1):
        if cases_fingerprint(cases[:n]) == fingerprint:
            return cases[:n]
    raise InputError(f"{run_dir}: its cases file changed since the run started; start a new run")


def _config(
    suite: str | None,
    cases: Path | None,
    selected: list[Any],
    engine: Any,
    prompt: str | None,
    k: int | None,
    date: str | None,
    judge: str | None,
) -> Any:
    from ..pipeline import DEFAULT_K
    from .cases import cases_fingerprint, suite_path
    from .runner import RunConfig

    path = suite_path(suite) if suite is not None else cases
    assert path is not None
    return RunConfig(
        suite=suite or path.stem,
        cases_file=str(path.resolve()),
        fingerprint=cases_fingerprint(selected),
        engine=engine.name,
        model=engine.model,
        prompt=prompt,
        k=k or DEFAULT_K,
        date=parse_date(date) or dt.date.today(),
        judge=judge,
        started=dt.datetime.now().isoformat(timespec="seconds"),
    )


def _check_same(config: Any, **given: Any) -> None:
    """--resume keeps the run's settings: an option that contradicts them is an error."""
    if given.get("date") is not None:
        given["date"] = parse_date(given["date"])
    for key, value in given.items():
        if value is not None and value != getattr(config, key):
            raise InputError(
                f"--{key} {value}: the run was started with {getattr(config, key)}; "
                "drop the option to resume it, or start a new run"
            )


def _judge(config: Any) -> Any:
    """The judge scorer when the run asks for one; it never sees the engine, model or prompt."""
    if config.judge is None:
        return None
    from .judge import Judge
    from .scorers.judge import JudgeScore

    hidden = [config.engine, config.model or "", *(config.prompt or "").split(",")]
    return JudgeScore(Judge(config.judge), hidden=hidden)


def _print_summary(summary: dict[str, Any], run_dir: Path) -> None:
    lines = [
        f"{summary['suite']}: {summary['cases']} case(s), {summary['errors']} error(s), "
        f"engine {summary['engine']}, {summary['wall_seconds']:.1f} s"
    ]
    for key, label in HEADLINES:
        value = summary.get(key)
        if value is not None:
            lines.append(
                f"  {label:<28} {value:.3f}"
                if isinstance(value, float)
                else f"  {label:<28} {value}"
            )
    lines.append(f"report: {run_dir / 'report.html'}")
    sys.stdout.write("\n".join(lines) + "\n")


@eval_app.command("compare")
def compare_cmd(
    run_a: Annotated[str, typer.Argument(metavar="RUN_A", help="Run folder or run id (before).")],
    run_b: Annotated[str, typer.Argument(metavar="RUN_B", help="Run folder or run id (after).")],
    fmt: FormatOpt = TextOrJson.text,
) -> None:
    """Show the delta of every scorer (B minus A) and the cases whose scores changed."""
    from .compare import compare, render_text, resolve_run

    result = compare(resolve_run(run_a), resolve_run(run_b))
    text = json.dumps(result, indent=2) if fmt is TextOrJson.json else render_text(result)
    sys.stdout.write(text + "\n")


@eval_app.command("layouts")
def layouts_cmd(
    fmt: FormatOpt = TextOrJson.text,
    misses: Annotated[
        bool, typer.Option("--misses", help="Also list each miss (criterion, status, code).")
    ] = False,
    root: Annotated[
        Path | None, typer.Option("--dir", help="Layout suite folder (default evals/layouts).")
    ] = None,
) -> None:
    """Score offline extraction on the layout suite: per layout, tuned and held-out."""
    from ..pipeline import Pipeline
    from .layouts import LAYOUTS_DIR, evaluate, load_cases, render

    pipeline = Pipeline()  # the offline engine; ingest and extract as every front end runs them
    report = evaluate(
        load_cases(root or LAYOUTS_DIR),
        lambda text: pipeline.run(text, None, until="extract").analysis,
    )
    if fmt is TextOrJson.json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
    else:
        typer.echo(render(report, misses=misses))
