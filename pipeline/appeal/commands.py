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
    _emit(markdown, out, force=force, inputs=(letter, str(case)))
