"""The appeal commands: `lmn request`, `lmn escalate` and `lmn cases`. Registered on the main
app by ``pipeline/cli.py``; errors are raised as :mod:`pipeline.errors` exceptions, which the
CLI turns into one-line messages and exit codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ..cli_common import BaseUrlOpt, EngineOpt, ModelOpt, parse_date, say
from ..errors import DraftRejected
from ..models import CaseFacts, DenialAnalysis, ValidationReport

LetterArg = Annotated[
    str, typer.Argument(help="Denial letter: .txt, .md, .pdf with text, or - for stdin.")
]
CaseOpt = Annotated[Path, typer.Option("--case", "-c", help="Case file (YAML or JSON).")]
OutOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
DateOpt = Annotated[
    str | None, typer.Option("--date", help="The document's date, YYYY-MM-DD (default: today).")
]


def read_denial(
    letter: str, case: Path, engine: str | None, model: str | None, base_url: str | None
) -> tuple[str, DenialAnalysis, CaseFacts]:
    """The denial's text, what it says, and the case file."""
    from ..casefile import load_case
    from ..engine import get_engine
    from ..extract import extract
    from ..ingest import ingest

    denial = ingest(letter)
    facts = load_case(case)
    analysis = extract(denial, get_engine(engine, model=model, base_url=base_url))
    return denial.text, analysis, facts


def report_or_raise(report: ValidationReport, what: str) -> None:
    """Say each finding on stderr; raise DraftRejected when there is an error."""
    for f in report.findings:
        say(f"{f.severity.value:7} {f.code:28} {f.message}")
    if not report.ok:
        raise DraftRejected(f"the {what} failed validation; see the findings above", report)


def request_command(
    letter: LetterArg,
    case: CaseOpt,
    out: OutOpt = None,
    force: ForceOpt = False,
    date: DateOpt = None,
    fax_cover: Annotated[
        Path | None,
        typer.Option("--fax-cover", help="Also write a fax cover sheet to the payer's appeal fax."),
    ] = None,
    engine: EngineOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
) -> None:
    """Write the letter that asks the payer for the claim file, the criteria relied on and the
    reviewers' credentials, citing the law of the plan type (validated; exit 4 if it fails)."""
    from ..cli import _emit
    from ._documents import validate_document
    from ._request import request_letter

    text, analysis, facts = read_denial(letter, case, engine, model, base_url)
    today = parse_date(date) or dt.date.today()
    markdown, appeal_facts = request_letter(analysis, facts, text, today)
    report_or_raise(
        validate_document(markdown, appeal_facts, analysis, facts, text, today), "request letter"
    )
    if fax_cover is not None:
        from ._escalate import fax_cover as cover_sheet

        pages = 2 + markdown.count("\n") // 50
        sheet, sheet_facts = cover_sheet(
            analysis, facts, text, pages, today, "Request for the claim file and the criteria"
        )
        report_or_raise(
            validate_document(sheet, sheet_facts, analysis, facts, text, today), "fax cover sheet"
        )
        _export(sheet, {"markdown": sheet}, fax_cover, force, (letter, str(case)))
    _emit(markdown, out, force=force, inputs=(letter, str(case)))


def _export(markdown: str, data: dict, out: Path | None, force: bool, inputs: tuple[str, ...]):
    """Write ``markdown`` to stdout or ``out`` as Markdown, JSON (``data``), DOCX or PDF, by the
    output's extension."""
    import json

    from ..cli import _emit
    from ..errors import InputError

    suffix = out.suffix.lower() if out else ".md"
    if suffix in (".md", ".txt", ""):
        _emit(markdown, out, force=force, inputs=inputs)
    elif suffix == ".json":
        _emit(json.dumps(data, indent=2, default=str), out, force=force, inputs=inputs)
    elif suffix in (".docx", ".pdf"):
        from ..web.export import to_docx, to_pdf

        assert out is not None
        if out.exists() and not force:
            raise InputError(f"{out}: already exists; choose another path or pass --force")
        if not out.expanduser().parent.is_dir():
            raise InputError(f"{out}: folder {out.parent} does not exist")
        body = to_docx(markdown) if suffix == ".docx" else to_pdf(markdown)
        tmp = out.expanduser().with_name(f".{out.name}.part")
        tmp.write_bytes(body)
        tmp.replace(out.expanduser())
    else:
        raise InputError(f"{out}: write .md, .json, .docx or .pdf")


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
    force: ForceOpt = False,
    date: DateOpt = None,
    engine: EngineOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
) -> None:
    """Write the request for the next level of review (external review, IRE, fair hearing, OPM)
    as a packet: cover letter, the appeal letter, the denial, the final denial and the enclosure
    list (.md, .json, .docx or .pdf by the output's extension)."""
    from ..errors import InputError
    from ..ingest import ingest
    from ._documents import validate_document
    from ._escalate import escalation_packet

    text, analysis, facts = read_denial(letter, case, engine, model, base_url)
    final_day = dt.date.fromisoformat(final_date) if _iso(final_date) else None
    if final_day is None:
        raise InputError(f"--final-date {final_date!r}: use the form YYYY-MM-DD")
    if not appeal.is_file():
        raise InputError(f"--appeal {appeal}: no such file; give the appeal letter you sent")
    appeal_text = ingest(str(appeal)).text
    final_text = ingest(final).text if final else None
    today = parse_date(date) or dt.date.today()
    packet, appeal_facts = escalation_packet(
        analysis, facts, text, appeal_text, final_day, today, final_text
    )
    report = validate_document(packet.parts[0].markdown, appeal_facts, analysis, facts, text, today)
    report_or_raise(report, "escalation cover letter")
    inputs = tuple(str(p) for p in (letter, case, appeal, final) if p)
    _export(packet.markdown(), packet.model_dump(mode="json"), out, force, inputs)


def _iso(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True
