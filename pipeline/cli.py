"""The `lmn` command line. Exceptions become one-line messages and exit codes here, and only here.

Exit codes: 0 ok; 1 internal error; 2 bad input or usage; 3 facts missing (gaps);
4 the draft failed validation; 5 engine, model or index failure; 130 interrupted.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .cli_appeal import cases_app, escalate_command, request_command
from .cli_common import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    BaseUrlOpt,
    EngineOpt,
    FormatOpt,
    ModelOpt,
    TextOrJson,
    check_output,
    emit,
    parse_date,
    say,
    say_letter_warnings,
)
from .errors import DraftRejected, GapsError, InputError, LmnError
from .evals.cli import eval_app
from .fixes import describe
from .llm.commands import log_command

if TYPE_CHECKING:
    from .models import DenialAnalysis, Draft

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Turn a health-insurance denial letter into a point-by-point Letter of Medical Necessity.",
)
corpus_app = typer.Typer(no_args_is_help=True, help="Build and check the guideline corpus index.")
app.add_typer(corpus_app, name="corpus")
case_app = typer.Typer(no_args_is_help=True, help="Start and check case files.")
app.add_typer(case_app, name="case")
app.add_typer(eval_app, name="eval")
app.command("log")(log_command)
app.command("request")(request_command)
app.command("escalate")(escalate_command)
app.add_typer(cases_app, name="cases")

LetterArg = Annotated[
    str,
    typer.Argument(
        help="Denial letter: .txt, .md, .pdf (typed or scanned), a scan or photo (.png, .jpg, "
        ".tif; read by OCR), or - for stdin."
    ),
]
CaseOpt = Annotated[Path, typer.Option("--case", "-c", help="Case file (YAML or JSON).")]
KOpt = Annotated[int, typer.Option("-k", min=1, max=20, help="Guideline passages to retrieve.")]
DateOpt = Annotated[
    str | None, typer.Option("--date", help="Letter date, YYYY-MM-DD (default today).")
]


@app.command()
def extract(
    letter: LetterArg,
    fmt: FormatOpt = TextOrJson.text,
    engine: EngineOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
) -> None:
    """Read a denial letter and print what it says: codes, ids, dates, categories, criteria."""
    from .appeal import render_text, schedule
    from .engines import get_engine
    from .ingest import ingest
    from .items import item_lines
    from .pipeline import Pipeline
    from .requirements import criterion_lines, service_label

    denial = ingest(letter)
    say_letter_warnings(denial)
    chosen = get_engine(engine, model=model, base_url=base_url)
    analysis = Pipeline(chosen).run(denial, None, until="extract").analysis
    appeal = schedule(analysis, denial.text)
    if fmt is TextOrJson.json:
        shown = {**analysis.model_dump(mode="json"), "appeal": appeal.model_dump(mode="json")}
        emit(json.dumps(shown, indent=2))
        return
    lines = []
    for key, value in analysis.model_dump(mode="json").items():
        if key == "criteria":
            lines.append(f"criteria: {len(value)}")
            for i, criterion in enumerate(analysis.criteria, 1):
                lines += criterion_lines(i, criterion)
        elif key == "requested":
            lines.append(f"requested: {', '.join(service_label(s) for s in analysis.requested)}")
        elif key == "items":
            if analysis.items:
                lines += item_lines(analysis.items, analysis.criteria)
        elif key == "ground" and value:  # the notice's prose ground, one field a line
            conceded = " (necessity conceded)" if value.pop("necessity_conceded") else ""
            lines.append(f"ground: {value.pop('kind')}{conceded}")
            lines += [f"  {name}: {text}" for name, text in value.items() if text]
        else:
            text = ", ".join(map(str, value)) if isinstance(value, list) else value
            lines.append(f"{key}: {'' if text is None else text}")
    emit("\n".join([*lines, *render_text(appeal)]))


@app.command()
def draft(
    letter: LetterArg,
    case: CaseOpt,
    out: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="md, json, docx, pdf (default: by the -o file's suffix, else md).",
        ),
    ] = None,
    allow_gaps: Annotated[
        bool,
        typer.Option(
            "--allow-gaps",
            help="Write the letter although gaps remain (listed, not ready to sign).",
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing output file.")
    ] = False,
    k: KOpt = 6,
    date: DateOpt = None,
    engine: EngineOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
) -> None:
    """Draft a Letter of Medical Necessity that answers each criterion the denial cites."""
    from .casefile import load_case
    from .engines import get_engine
    from .exporters import Export, exporter_for, get_exporter
    from .ingest import ingest
    from .pipeline import Pipeline

    today = parse_date(date)
    chosen = get_engine(engine, model=model, base_url=base_url)
    writer = get_exporter(fmt) if fmt else exporter_for(out or "")
    if writer.binary and out is None:
        raise InputError(
            f"{writer.name} is a binary format: write it to a file, e.g. -o letter{writer.suffix}"
        )
    review = None
    if out is not None:
        check_output(out, force=force)
        review = review_path(out)
        check_output(review, force=force)
    denial = ingest(letter)
    say_letter_warnings(denial)
    _say_index_build()
    result = Pipeline(chosen, k=k).draft(
        denial, load_case(case), allow_gaps=allow_gaps, today=today
    )
    data = writer.render(Export(markdown=result.markdown, draft=result))
    emit(data, out, force=force, inputs=(letter, str(case)))
    reviewed = review_text(result)
    if review is not None and reviewed is not None:  # only a letter not ready to sign has one
        emit(reviewed, review, force=force, inputs=(letter, str(case)))
    elif review is not None and force and review.is_file():
        review.unlink()  # an earlier draft's review would say a ready letter is not
    report = result.validation
    if result.gaps:
        where = f" (listed in {review})" if review is not None and reviewed else ""
        say(
            f"lmn: NOT READY TO SIGN: {len(result.gaps)} gap(s) to close{where}; the letter "
            "states only what the record holds. Add each to the case file and draft again:"
        )
        for gap in result.gaps:
            say(f"  - {gap.field}: {gap.message}")
    elif report is not None:
        say(f"lmn: letter passed validation ({len(report.findings)} warning(s))")
        for finding in report.findings:
            say(f"lmn: {describe(finding)}")
    if result.run.fallback_sections:
        numbers = ", ".join(map(str, result.run.fallback_sections))
        say(f"lmn: the template drafter wrote criterion section(s) {numbers} (model's failed)")
    _warn_deadline(result.analysis, result.run.created, result.letter_text)
    _warn_continuation(result, result.run.created)


class BatchIncomplete(LmnError):
    """Some items of a batch did not pass (exit 3 when only facts are missing, else 4)."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _default_jobs() -> int:
    """One worker per core this process may use."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


@app.command()
def batch(
    source: Annotated[
        Path | None,
        typer.Argument(
            help="A folder (NAME.txt with NAME.case.yaml, or one subfolder per letter with "
            "letter.txt and case.yaml) or a manifest: .csv with a header row, or .jsonl; keys "
            "letter, case and optionally id, date, k (paths relative to the manifest)."
        ),
    ] = None,
    out: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="Folder for the results (new, or an earlier batch's: resumed)."
        ),
    ] = Path("lmn-batch"),
    remittance: Annotated[
        Path | None,
        typer.Option(
            "--835",
            help="An X12 835 remittance: list its denied claim lines, queue those an LMN answers "
            "(a case file started for each claim) and list the rest with the reason.",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, max=64, help="Letters drafted at once (default: one per core)."
        ),
    ] = None,
    rate: Annotated[
        float | None,
        typer.Option(
            "--rate", min=0.1, help="Model calls per minute across all workers (model engines)."
        ),
    ] = None,
    k: KOpt = 6,
    date: DateOpt = None,
    engine: EngineOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
) -> None:
    """Draft many letters: one folder per letter in OUT, a summary (summary.csv, summary.html:
    status, facts to fill, deadlines soonest first). Run it again on OUT to resume. Exit 0 when
    every letter passed, 3 when some are drafts with facts to fill, 4 when any failed."""
    from .batch import BatchSettings, finished_results, load_items, run_batch, write_summary

    today = parse_date(date)
    if remittance is not None:
        if source is not None:
            raise InputError("give either a folder or manifest, or --835 FILE, not both")
        from .batch import intake_835

        intake = intake_835(remittance, out)
        for line in intake.lines:
            where = f"appeal ({line.category})" if line.route == "appeal" else "not an LMN case"
            codes = " ".join(line.carcs + line.rarcs)
            emit(
                f"{line.claim.payer_claim or line.claim.claim_id}\t{line.line.code or '(claim)'}"
                f"\t{codes}\t{where}: {line.reason}"
            )
        say(
            f"lmn: {intake.denied} denied claim line(s) in {remittance}: {len(intake.queue)} "
            f"claim(s) queued for an LMN appeal, {len(intake.not_lmn)} line(s) not an LMN case"
        )
        say(f"lmn: case files started in {out / 'queue'}; summary: {out / 'summary.html'}")
        return
    if source is None:
        raise InputError("give a folder of letters, a .csv/.jsonl manifest, or --835 FILE")
    items = load_items(source)
    settings = BatchSettings(
        out=out, engine=engine, model=model, base_url=base_url, k=k, date=today, rate=rate
    )
    workers = min(jobs or _default_jobs(), len(items))
    _say_index_build()
    progress = _BatchProgress(len(items))
    try:
        run = run_batch(items, settings, jobs=workers, source=str(source), on_result=progress)
    except KeyboardInterrupt:
        progress.close()
        done = finished_results(out, items)
        write_summary(out, done, today or dt.date.today())
        say(
            f"lmn: interrupted with {len(done)} of {len(items)} letter(s) finished (summary in "
            f"{out}); run the same command again to draft the rest"
        )
        raise
    finally:
        progress.close()
    csv_path, html_path = write_summary(out, run.results, today or dt.date.today())
    passed, gaps = run.count("passed"), run.count("gaps")
    failed = run.count("failed") + run.count("rejected")
    rate_text = f", {run.seconds:.1f} s" if run.seconds else ""
    say(
        f"lmn: {len(items)} letter(s): {passed} passed, {gaps} with facts to fill, {failed} "
        f"failed ({run.reused} finished earlier{rate_text}); summary: {html_path}, {csv_path}"
    )
    if passed < len(items):
        raise BatchIncomplete(
            f"{len(items) - passed} of {len(items)} letter(s) did not pass; see {html_path}",
            4 if failed else 3,
        )


class _BatchProgress:
    """A progress bar with counts and the current rate (a line per tenth off a terminal)."""

    def __init__(self, total: int) -> None:
        from tqdm import tqdm

        self.total = total
        self.bar = tqdm(total=total, desc="lmn batch", unit="letter", disable=None, leave=False)
        self.every = max(1, total // 10)
        self.done = 0

    def __call__(self, result: object, run: object) -> None:
        from .batch import BatchRun

        assert isinstance(run, BatchRun)
        self.done += 1
        counts = {s: run.count(s) for s in ("passed", "gaps", "failed", "rejected")}
        if not self.bar.disable:
            self.bar.set_postfix(counts, refresh=False)
            self.bar.update(1)
        elif self.done % self.every == 0 or self.done == self.total - run.reused:
            drafted = max(1, self.done)
            per_second = drafted / run.seconds if run.seconds else 0.0
            shown = ", ".join(f"{k} {v}" for k, v in counts.items())
            say(f"lmn: batch {len(run.results)}/{self.total} ({shown}; {per_second:.2f} letter/s)")

    def close(self) -> None:
        self.bar.close()


def review_path(out: Path) -> Path:
    """The review file written next to a letter: 'letter.md' -> 'letter.md.review.txt' (the
    letter's whole name: a .docx and a .pdf of one letter each have their own)."""
    return out.with_name(f"{out.name}.review.txt")


def review_text(draft: Draft) -> str | None:
    """What the physician must do before signing a letter that is not ready (None when it is):
    the status, each gap with the case field that closes it (the letter itself states only
    what the record holds), the criteria the record does not yet show met, and each validation
    finding."""
    report = draft.validation
    open_ = [
        v.index + 1
        for v in draft.verdicts or []
        if v.requirements
        and v.status != "met"
        and not (v.payer_met or v.conceded or v.alternative or v.accepted or v.not_applicable)
    ]
    if not draft.gaps and not open_ and report is not None and report.ok:
        return None
    lines = ["Status: NOT READY TO SIGN."]
    if draft.gaps:
        lines += ["", "Gaps (add each to the case file, then draft again):"]
        lines += [f"- {gap.field}: {gap.message}" for gap in draft.gaps]
    if open_:
        listed = ", ".join(map(str, open_))
        lines += [
            "",
            f"Criteria the record does not yet show met: {listed}. The letter states no verdict "
            "on them; add the facts that answer them to the case file, or concede them "
            "(conceded: [{criterion: N}]) so the letter asks for an exception.",
        ]
    if report is not None and report.findings:
        lines += ["", "Validation:"]
        lines += [f"- {describe(finding)}" for finding in report.findings]
    return "\n".join(lines) + "\n"


def _warn_continuation(draft: Draft, today: dt.date) -> None:
    """Say loudly when the window to ask that a reduced or ended service continue pending the
    appeal is near or closed."""
    from .reasoning.law import continuation

    found = continuation(draft.analysis, draft.letter_text, draft.case, today)
    warning = found.warning() if found else None
    if warning:
        say(f"lmn: WARNING: {warning}.")


def _warn_deadline(analysis: DenialAnalysis, today: dt.date, letter_text: str = "") -> None:
    """Say loudly when the appeal deadline has passed or is within 7 days (the plan type's
    filing window counts when the notice states no deadline)."""
    from .draft import appeal_deadline, deadline_state

    state = deadline_state(analysis, today, letter_text)
    deadline = appeal_deadline(analysis, letter_text)
    if state is None and deadline is not None:
        _note_deadline_soon(deadline, today)
    if state is None or deadline is None:
        return
    if state == "passed":
        say(
            f"lmn: WARNING: the appeal deadline ({deadline.isoformat()}) has PASSED; the letter "
            "asks the plan to accept it for good cause. File it now, and ask the plan or the "
            "regulator about late filing."
        )
    else:
        days = (deadline - today).days
        say(
            f"lmn: WARNING: the appeal deadline ({deadline.isoformat()}) is in {days} day(s); "
            "file the appeal now (the expedited route is in the notice when the case is urgent)."
        )


DEADLINE_SOON_DAYS = 30
"""A deadline this close is noted (filing takes forms and signatures, and the letter's clock
may run past it): the last business day before it when it falls on a weekend or holiday."""


def _note_deadline_soon(deadline: dt.date, today: dt.date) -> None:
    """Note a deadline within 30 days, and the business day to file by when it falls on a
    Saturday, Sunday or federal holiday (not every rule moves such a deadline forward)."""
    from .appeal import is_business_day

    days = (deadline - today).days
    if days > DEADLINE_SOON_DAYS:
        return
    last = deadline
    while not is_business_day(last):
        last -= dt.timedelta(days=1)
    when = ""
    if last != deadline:
        when = (
            f"; it falls on a weekend or federal holiday, so file by {last.isoformat()}, the "
            "last business day before it"
        )
    say(
        f"lmn: WARNING: the appeal deadline ({deadline.isoformat()}) is in {days} days{when}; "
        "file soon (forms such as a representative appointment must be signed first)."
    )


@case_app.command("init")
def case_init(
    letter: LetterArg,
    out: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing output file.")
    ] = False,
    engine: EngineOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
) -> None:
    """Start a case file from the denial: what the letter says filled in, the rest marked TODO,
    and what each criterion needs documented written as comments."""
    from .caseinit import init_case
    from .engines import get_engine
    from .ingest import ingest
    from .pipeline import Pipeline

    if out is not None and out.expanduser().exists() and not force:
        raise InputError(
            f"{out}: already exists; choose another path or pass --force to replace it"
        )
    denial = ingest(letter)
    say_letter_warnings(denial)
    chosen = get_engine(engine, model=model, base_url=base_url)
    analysis = Pipeline(chosen).run(denial, None, until="extract").analysis
    emit(init_case(denial, analysis), out, force=force, inputs=(letter,))
    if out is not None:
        todo = len(analysis.criteria)
        say(f"lmn: wrote {out}: fill the fields marked TODO ({todo} criteria to document), then")
        say(f"     lmn draft {letter} --case {out}")


def _say_index_build() -> None:
    """Say so before the first run builds the guideline index (it takes a minute or two)."""
    from .retrieve import needs_build

    if needs_build():
        say(
            "lmn: building the guideline index (first run only: a minute, or a few on a busy "
            "small machine; later runs reuse it)"
        )


@corpus_app.command("build")
def corpus_build(
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if up to date.")] = False,
    push: Annotated[
        bool,
        typer.Option(
            "--push", help="Write it to the shared Chroma server (--url, LMN_CHROMA_URL, config)."
        ),
    ] = False,
    url: Annotated[
        str | None, typer.Option("--url", help="The Chroma server, e.g. http://10.0.0.5:8000.")
    ] = None,
) -> None:
    """Build (or refresh) the vector index of corpus/, here or on the shared Chroma server."""
    from .corpus_server import URL_ENV, server_url, shown
    from .retrieve import build_index, push_index

    if push or url:
        target = url or server_url()
        if target is None:
            raise InputError(f"--push needs the server: pass --url or set {URL_ENV}")
        count = push_index(target, force=force)
        say(f"lmn: the corpus server {shown(target)} holds {count} passages")
        return
    index = build_index(force=force)
    say(f"lmn: index ready with {len(index.passages)} passages")


@corpus_app.command("check")
def corpus_check(
    positions: Annotated[
        bool,
        typer.Option(
            "--positions", help="List the clinical passages that state no position on care."
        ),
    ] = False,
) -> None:
    """Check the corpus files: metadata, ids, sources, condition subtypes, the stance of a
    passage whose position advises against care; count the clinical passages that state no
    position (never cited under a criterion)."""
    from .corpus import check_corpus, load_corpus
    from .reasoning.fit import stance_unstated, unstated

    problems = check_corpus()
    if not problems:  # a passage whose stated position is against care says so in its data
        problems = [
            f"{p.file}: passage {p.id!r}: its position advises against care: state "
            "stance (against, or for when it recommends the care it is about) or not_for "
            "(the care it advises against)"
            for p in stance_unstated(load_corpus())
        ]
    for p in problems:
        say(f"  - {p}")
    if problems:
        raise InputError(f"corpus has {len(problems)} problem(s)")
    silent = unstated(load_corpus())
    if positions:
        for passage in silent:
            say(f"  - {passage.file}: {passage.id}: no sentence states a position on care")
    hint = "" if positions else " (--positions lists them)"
    say(
        f"lmn: corpus OK; {len(silent)} clinical passages state no position on care and are "
        f"never cited under a criterion{hint}"
    )


@app.command()
def retrieve(
    letter: LetterArg,
    case: Annotated[Path | None, typer.Option("--case", "-c", help="Case file (optional).")] = None,
    k: Annotated[
        int | None,
        typer.Option("-k", min=1, max=20, help="Guideline passages (default: the drafter's, 6)."),
    ] = None,
    fmt: FormatOpt = TextOrJson.text,
) -> None:
    """Print the passages the drafter would get for a letter, ranked."""
    from .casefile import load_case
    from .ingest import ingest
    from .pipeline import DEFAULT_K, Pipeline

    facts = load_case(case) if case else None
    hits = Pipeline(k=k or DEFAULT_K).run(ingest(letter), facts, until="retrieve").passages
    if fmt is TextOrJson.json:
        emit(json.dumps([h.model_dump(mode="json") for h in hits], indent=2))
        return
    for h in hits:
        p = h.passage
        emit(
            f"{h.rank:>2}. {h.score:.3f}  {p.id}  [{p.short_body}] {p.title} "
            f"({p.version or p.year})"
        )


@app.command("validate")
def validate_cmd(
    draft_path: Annotated[
        Path, typer.Argument(metavar="DRAFT", help="Draft: .json from `lmn draft -f json`, or .md")
    ],
    case: Annotated[
        Path | None, typer.Option("--case", "-c", help="Case file (for a .md draft).")
    ] = None,
    letter: Annotated[
        str | None, typer.Option("--letter", "-l", help="Denial letter (for a .md draft).")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="The letter's date, YYYY-MM-DD (for a .md draft).")
    ] = None,
    fmt: FormatOpt = TextOrJson.text,
) -> None:
    """Validate a draft; exit 0 when it passes, 4 when it is rejected."""
    from .fixes import explain
    from .validate import validate

    loaded = _load_draft(draft_path, case, letter, parse_date(date))
    # Validated again even when a JSON draft carries a report: its text may have been edited.
    report = explain(validate(loaded), loaded)
    if fmt is TextOrJson.json:
        emit(report.model_dump_json(indent=2))
    else:
        for f in report.findings:
            emit(describe(f))
        emit(
            f"{'PASS' if report.ok else 'REJECT'}: {len(report.errors)} error(s), "
            f"{len(report.findings) - len(report.errors)} warning(s)"
        )
    if not report.ok:
        raise DraftRejected("the draft was rejected", report)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to bind.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = DEFAULT_PORT,
    engine: EngineOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
) -> None:
    """Serve the web page for advocates on http://HOST:PORT/ (this machine only by default)."""
    from .web.serve import serve as run_server

    _say_index_build()
    run_server(host, port, engine=engine, model=model, base_url=base_url)


def _load_draft(path: Path, case: Path | None, letter: str | None, date: dt.date | None) -> Draft:
    """The draft to validate. A JSON draft's context is used only when its seal holds (this
    machine made it, unchanged); otherwise, like a Markdown draft, the context is rebuilt from
    --letter and --case (as the pipeline gives it), or the draft is refused."""
    from pydantic import ValidationError

    from .models import Draft
    from .seal import is_sealed

    if not path.is_file():
        raise InputError(f"{path}: not found")
    if path.suffix.lower() == ".json":
        try:
            draft = Draft.model_validate_json(path.read_bytes())
        except ValidationError:
            raise InputError(f"{path}: not a draft written by `lmn draft --format json`") from None
        if is_sealed(draft) and case is None and letter is None:
            return draft
        if case is None or letter is None:
            raise InputError(
                f"{path}: its context (letter text, case, analysis) is not the one `lmn draft` "
                "wrote here: pass --letter and --case to validate it against the inputs"
            )
        markdown = draft.markdown
        date = date or draft.run.created
    else:
        if case is None or letter is None:
            raise InputError(f"{path}: a Markdown draft needs --case and --letter to be validated")
        try:
            markdown = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise InputError(f"{path}: cannot be read as UTF-8 text") from None
    return _context_from_inputs(markdown, letter, case, date)


def _context_from_inputs(markdown: str, letter: str, case: Path, date: dt.date | None) -> Draft:
    """A draft of ``markdown`` whose context is rebuilt from the letter and case files."""
    from .casefile import load_case
    from .ingest import ingest
    from .pipeline import Pipeline

    denial = ingest(letter)
    facts = load_case(case)
    today = date or _date_in(markdown) or dt.date.today()
    return Pipeline().revalidate(markdown, denial, facts, today=today)


def _date_in(markdown: str) -> dt.date | None:
    """The letter's own date: the first line after the title that parses as one."""
    from .letter_format import DATE_FORMAT

    for line in markdown.splitlines()[:8]:
        try:
            return dt.datetime.strptime(line.strip(), DATE_FORMAT.replace("%-d", "%d")).date()
        except ValueError:
            continue
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `lmn` script."""
    logging.basicConfig(
        level=os.environ.get("LMN_LOG_LEVEL", "WARNING").upper(),
        format="lmn: %(levelname)s %(name)s: %(message)s",
    )
    command = typer.main.get_command(app)
    try:
        rc = command.main(args=argv, prog_name="lmn", standalone_mode=False)
    except GapsError as exc:
        say(f"lmn: {exc}")
        for gap in exc.gaps:
            say(f"  - {gap.field}: {gap.message}")
        return exc.exit_code
    except DraftRejected as exc:
        say(f"lmn: error: {exc}")
        for finding in exc.report.findings:
            say(f"lmn: {describe(finding)}")
        return exc.exit_code
    except LmnError as exc:
        say(f"lmn: error: {exc}")
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        say("lmn: interrupted")
        return 130
    except typer.TyperException as exc:  # usage errors from the vendored click
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        if type(exc).__name__ == "NoArgsIsHelpError":
            say(message)
        else:
            say(f"lmn: error: {message} (see lmn --help)")
        return getattr(exc, "exit_code", 2)
    except Exception as exc:
        if os.environ.get("LMN_DEBUG"):
            raise
        say(
            f"lmn: internal error ({type(exc).__name__}); "
            "rerun with LMN_DEBUG=1 for details and report it"
        )
        return 1
    return rc if isinstance(rc, int) else 0


if __name__ == "__main__":
    sys.exit(main())
