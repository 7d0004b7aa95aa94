"""The appeal commands: `lmn request`, `lmn escalate` and `lmn cases` (front-end code over the
appeal package, beside ``pipeline/cli.py``, which registers them). The denial is read through
:class:`pipeline.pipeline.Pipeline` like every other command's; errors are raised as
:mod:`pipeline.errors` exceptions, which the CLI turns into one-line messages and exit codes."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, get_args

import typer

from .cli_common import (
    BaseUrlOpt,
    EngineOpt,
    ModelOpt,
    emit,
    parse_date,
    say,
    say_letter_warnings,
)
from .errors import DraftRejected
from .models import CaseFacts, DenialAnalysis, DenialLetter, Draft, ValidationReport

if TYPE_CHECKING:
    from .appeal._cases import Case, Track

LetterArg = Annotated[
    str, typer.Argument(help="Denial letter: .txt, .md, .pdf with text, or - for stdin.")
]
CaseOpt = Annotated[Path, typer.Option("--case", "-c", help="Case file (YAML or JSON).")]
OutOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
FmtOpt = Annotated[
    str | None,
    typer.Option(
        "--format", "-f", help="md, json, docx, pdf, fax (default: by the -o file's suffix)."
    ),
]
DateOpt = Annotated[
    str | None, typer.Option("--date", help="The document's date, YYYY-MM-DD (default: today).")
]


class Reading(NamedTuple):
    """The options of every command that reads a denial: the document's date and the engine."""

    date: str | None
    engine: str | None
    model: str | None
    base_url: str | None

    def today(self) -> dt.date:
        """The document's date (--date, else today)."""
        return parse_date(self.date) or dt.date.today()


_READING_OPTIONS = (DateOpt, EngineOpt, ModelOpt, BaseUrlOpt)


def reads_denial(command: Callable[..., None]) -> Callable[..., None]:
    """Give a command the options of :class:`Reading` (--date, --engine, --model, --base-url)
    in place of its last parameter, ``reading``, so each command declares them once."""
    own = list(inspect.signature(command, eval_str=True).parameters.values())
    if own[-1].name != "reading":
        raise TypeError(f"{command.__name__}: the last parameter must be `reading: Reading`")
    options = [
        inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None, annotation=a)
        for name, a in zip(Reading._fields, _READING_OPTIONS, strict=True)
    ]
    signature = inspect.Signature([*own[:-1], *options], return_annotation=None)

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        given = signature.bind(*args, **kwargs)
        given.apply_defaults()
        values = given.arguments
        reading = Reading(*(values.pop(name) for name in Reading._fields))
        command(**values, reading=reading)

    run.__signature__ = signature  # type: ignore[attr-defined]
    return run


def read_letter(letter: str, reading: Reading) -> tuple[DenialLetter, DenialAnalysis]:
    """The denial and what it says (read by the Pipeline, as `lmn extract` reads it)."""
    from .engines import get_engine
    from .ingest import ingest
    from .pipeline import Pipeline

    denial = ingest(letter)
    say_letter_warnings(denial)
    chosen = get_engine(reading.engine, model=reading.model, base_url=reading.base_url)
    return denial, Pipeline(chosen).run(denial, None, until="extract").analysis


def read_denial(letter: str, case: Path, reading: Reading) -> tuple[str, DenialAnalysis, CaseFacts]:
    """The denial's text, what it says, and the case file."""
    from .casefile import load_case

    facts = load_case(case)  # a bad case file fails before the letter is read
    denial, analysis = read_letter(letter, reading)
    return denial.text, analysis, facts


def report_or_raise(report: ValidationReport, what: str) -> None:
    """Say each finding on stderr; raise DraftRejected when there is an error."""
    for f in report.findings:
        say(f"{f.severity.value:7} {f.code:28} {f.message}")
    if not report.ok:
        raise DraftRejected(f"the {what} failed validation; see the findings above", report)


@reads_denial
def request_command(
    letter: LetterArg,
    case: CaseOpt,
    out: OutOpt = None,
    fmt: FmtOpt = None,
    force: ForceOpt = False,
    *,
    reading: Reading,
) -> None:
    """Write the letter that asks the payer for the claim file, the criteria relied on and the
    reviewers' credentials, citing the law of the plan type (validated; exit 4 if it fails).
    `--format fax` writes a PDF with a cover sheet to the payer's appeal fax."""
    from .appeal._documents import document_draft, validate_document
    from .appeal._request import request_letter

    text, analysis, facts = read_denial(letter, case, reading)
    today = reading.today()
    markdown, appeal_facts = request_letter(analysis, facts, text, today)
    report = validate_document(markdown, appeal_facts, analysis, facts, text, today)
    report_or_raise(report, "request letter")
    draft = document_draft(markdown, analysis, facts, text, today, report)
    data = {"markdown": markdown, "facts": appeal_facts.model_dump(mode="json")}
    _export(markdown, draft, data, out, fmt, force, (letter, str(case)))


def _export(
    markdown: str,
    draft: Draft | None,
    data: dict,
    out: Path | None,
    fmt: str | None,
    force: bool,
    inputs: tuple[str, ...],
) -> None:
    """Write the document through the exporters registry (by ``--format``, else by the output's
    suffix, else Markdown); JSON is ``data`` (the document and the facts it was held to)."""
    import json

    from .errors import InputError
    from .exporters import Export, exporter_for, get_exporter

    writer = get_exporter(fmt) if fmt else exporter_for(out or "")
    if writer.binary and out is None:
        raise InputError(f"{writer.name} is a binary format: write it to a file with -o")
    if writer.name == "json":
        body: bytes = json.dumps(data, indent=2, default=str).encode("utf-8")
    else:
        body = writer.render(Export(markdown=markdown, draft=draft))
    emit(body, out, force=force, inputs=inputs)


@reads_denial
def escalate_command(
    letter: LetterArg,
    case: CaseOpt,
    appeal: Annotated[
        Path, typer.Option("--appeal", help="The appeal letter that was sent (.md or .txt).")
    ],
    final_date: Annotated[
        str,
        typer.Option("--final-date", help="Date of the final internal denial, YYYY-MM-DD."),
    ],
    final: Annotated[
        str | None, typer.Option("--final", help="The final denial letter, if you have it.")
    ] = None,
    out: OutOpt = None,
    fmt: FmtOpt = None,
    force: ForceOpt = False,
    *,
    reading: Reading,
) -> None:
    """Write the request for the next level of review (external review, IRE, fair hearing, OPM)
    as a packet: cover letter, the appeal letter, the denial, the final denial and the enclosure
    list (.md, .json, .docx or .pdf by the output's extension)."""
    from .appeal._documents import document_draft, validate_document
    from .appeal._escalate import escalation_packet
    from .errors import InputError
    from .ingest import ingest

    text, analysis, facts = read_denial(letter, case, reading)
    final_day = dt.date.fromisoformat(final_date) if _iso(final_date) else None
    if final_day is None:
        raise InputError(f"--final-date {final_date!r}: use the form YYYY-MM-DD")
    if not appeal.is_file():
        raise InputError(f"--appeal {appeal}: no such file; give the appeal letter you sent")
    appeal_text = ingest(str(appeal)).text
    final_text = ingest(final).text if final else None
    today = reading.today()
    packet, appeal_facts = escalation_packet(
        analysis, facts, text, appeal_text, final_day, today, final_text
    )
    report = validate_document(packet.parts[0].markdown, appeal_facts, analysis, facts, text, today)
    report_or_raise(report, "escalation cover letter")
    inputs = tuple(str(p) for p in (letter, case, appeal, final) if p)
    draft = document_draft(packet.markdown(), analysis, facts, text, today, report)
    data = {**packet.model_dump(mode="json"), "facts": appeal_facts.model_dump(mode="json")}
    _export(packet.markdown(), draft, data, out, fmt, force, inputs)


def _iso(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


cases_app = typer.Typer(
    no_args_is_help=True,
    help="Track appeals and their deadlines in a local database (the user data folder, or "
    "$LMN_CASES_DB); no letter text is kept unless asked.",
)
CaseId = Annotated[int, typer.Argument(help="The case id (`lmn cases list`).")]
TrackOpt = Annotated[
    str | None,
    typer.Option("--track", help="Decision clock: standard, expedited or post_service."),
]


def _day(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    if not _iso(value):
        from .errors import InputError

        raise InputError(f"{option} {value!r}: use the form YYYY-MM-DD")
    return dt.date.fromisoformat(value)


def _track(value: str | None) -> Track | None:
    from .appeal._cases import Track
    from .errors import InputError

    allowed: tuple[Track, ...] = get_args(Track)
    for track in allowed:
        if value == track:
            return track
    if value is not None:
        raise InputError(f"--track {value!r}: use one of {', '.join(allowed)}")
    return None


def _case_lines(case: Case, today: dt.date) -> list[str]:
    from .appeal._schedule import render_text

    lines = [
        f"case {case.id}: {case.label}",
        f"status: {case.status} (decision clock: {case.track})",
        f"plan type: {case.analysis.plan_type}; claim {case.analysis.claim_number or '-'}",
    ]
    for key, day in (("final denial", case.events.final_notice),):
        if day:
            lines.append(f"{key}: {day.isoformat()}")
    lines += [f"filed {k}: {d.isoformat()}" for k, d in case.events.filed.items()]
    lines.append("open deadlines:")
    for d in case.open_deadlines():
        assert d.due is not None
        left = (d.due - today).days
        when = f"in {left} days" if left >= 0 else f"{-left} days ago"
        lines.append(f"  {d.due.isoformat()} ({when}): {d.what} [{d.citation}]")
    return [*lines, *render_text(case.plan())]


@cases_app.command("add")
@reads_denial
def cases_add(
    letter: LetterArg,
    label: Annotated[str | None, typer.Option("--label", help="Your name for the case.")] = None,
    keep_text: Annotated[
        bool, typer.Option("--keep-text", help="Also store the denial's text.")
    ] = False,
    track: TrackOpt = None,
    *,
    reading: Reading,
) -> None:
    """Track a denial: its deadlines are computed from the plan-type spec."""
    from .appeal._cases import add_case

    denial, analysis = read_letter(letter, reading)
    today = reading.today()
    case = add_case(
        analysis,
        denial.text,
        denial.sha256,
        label=label,
        keep_text=keep_text,
        track=_track(track) or "standard",
        today=today,
    )
    from .appeal._cases import next_deadline

    nxt = next_deadline(case, today)
    tail = f"; next: {nxt.what} by {nxt.due}" if nxt else ""
    typer.echo(f"case {case.id} added: {case.label}{tail}")


@cases_app.command("list")
def cases_list(fmt: Annotated[str, typer.Option("--format", "-f")] = "text") -> None:
    """Every tracked case with its status and next deadline."""
    import json

    from .appeal._cases import list_cases, next_deadline

    today = dt.date.today()
    cases = list_cases()
    if fmt == "json":
        rows = []
        for c in cases:
            nxt = next_deadline(c, today)
            rows.append(
                {
                    "id": c.id,
                    "label": c.label,
                    "status": c.status,
                    "plan_type": c.analysis.plan_type,
                    "next": nxt.model_dump(mode="json") if nxt else None,
                }
            )
        typer.echo(json.dumps(rows, indent=2))
        return
    if not cases:
        typer.echo("no cases; add one with `lmn cases add LETTER`")
    for c in cases:
        nxt = next_deadline(c, today)
        due = f"{nxt.due} {nxt.what}" if nxt else "no open deadline"
        typer.echo(f"{c.id:4}  {c.status:13} {due:60}  {c.label}")


@cases_app.command("show")
def cases_show(
    case_id: CaseId,
    with_text: Annotated[
        bool, typer.Option("--with-text", help="Also print the stored letter text.")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", "-f")] = "text",
) -> None:
    """A case's status, events and every deadline with its citation."""
    from .appeal._cases import get_case

    case = get_case(case_id)
    if fmt == "json":
        exclude = None if with_text else {"letter_text"}
        shown = case.model_dump(mode="json", exclude=exclude)
        shown["deadlines"] = [d.model_dump(mode="json") for d in case.open_deadlines()]
        import json

        typer.echo(json.dumps(shown, indent=2))
        return
    lines = _case_lines(case, dt.date.today())
    if with_text:
        lines += ["", "letter:", case.letter_text or "(the letter's text was not kept)"]
    typer.echo("\n".join(lines))


@cases_app.command("update")
def cases_update(
    case_id: CaseId,
    status: Annotated[str | None, typer.Option("--status", help="Set the status.")] = None,
    request_sent: Annotated[str | None, typer.Option("--request-sent")] = None,
    appeal_sent: Annotated[str | None, typer.Option("--appeal-sent")] = None,
    final_denial: Annotated[str | None, typer.Option("--final-denial")] = None,
    escalated: Annotated[str | None, typer.Option("--escalated")] = None,
    track: TrackOpt = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
) -> None:
    """Record what happened (dates as YYYY-MM-DD); the deadlines follow."""
    from .appeal._cases import STATUSES, update_case
    from .errors import InputError

    if status is not None and status not in STATUSES:
        raise InputError(f"--status {status!r}: use one of {', '.join(STATUSES)}")
    case = update_case(
        case_id,
        status=status,
        request_sent=_day("--request-sent", request_sent),
        appeal_sent=_day("--appeal-sent", appeal_sent),
        final_denial=_day("--final-denial", final_denial),
        escalated=_day("--escalated", escalated),
        track=_track(track),
        note=note,
    )
    typer.echo(f"case {case.id}: {case.status}")


@cases_app.command("calendar")
def cases_calendar(
    out: Annotated[Path, typer.Option("--output", "-o", help="The .ics file to write.")],
    force: ForceOpt = False,
) -> None:
    """Write every open deadline, with reminders 7 days and 1 day before, as an .ics file."""
    from .appeal._calendar import calendar
    from .appeal._cases import list_cases
    from .errors import InputError

    target = out.expanduser()
    if target.exists() and not force:
        raise InputError(f"{out}: already exists; choose another path or pass --force")
    if not target.parent.is_dir():
        raise InputError(f"{out}: folder {target.parent} does not exist")
    cases = list_cases()
    tmp = target.with_name(f".{target.name}.part")
    tmp.write_bytes(calendar(cases))
    tmp.replace(target)
    typer.echo(f"{out}: deadlines of {len(cases)} case(s)")
