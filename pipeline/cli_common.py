"""What the `lmn` commands share: engine options, the text/json format, messages, dates, and the
output writer (stdout, or a file written atomically without clobbering inputs).

Imported by ``pipeline/cli.py``, ``pipeline/cli_appeal.py``, ``pipeline/evals/cli.py`` and
``pipeline/llm/commands.py``;
kept light (typer only) because every `lmn` invocation imports it.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .errors import InputError

if TYPE_CHECKING:
    from .models import DenialLetter

DEFAULT_HOST = "127.0.0.1"
"""Where `lmn serve` binds by default (this machine only); ``pipeline.web.serve`` uses it."""
DEFAULT_PORT = 8000

EngineOpt = Annotated[
    str | None, typer.Option("--engine", help="offline (default) or openai; or LMN_ENGINE.")
]
ModelOpt = Annotated[str | None, typer.Option("--model", help="Model for openai; or LMN_MODEL.")]
BaseUrlOpt = Annotated[
    str | None, typer.Option("--base-url", help="OpenAI-compatible /v1 URL; or LMN_BASE_URL.")
]


class TextOrJson(StrEnum):
    text = "text"
    json = "json"


FormatOpt = Annotated[TextOrJson, typer.Option("--format", "-f")]


def say(message: str) -> None:
    """A message for the user on stderr (stdout is for results)."""
    typer.echo(message, err=True)


def parse_date(value: str | None) -> dt.date | None:
    """A ``--date`` value (YYYY-MM-DD); None when not given; InputError when malformed."""
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--date {value!r}: use the form YYYY-MM-DD") from None
    today = dt.date.today()
    if not FIRST_LETTER_DATE <= day <= today + dt.timedelta(days=366):
        raise InputError(
            f"--date {value}: not a plausible letter date; give a date between "
            f"{FIRST_LETTER_DATE.year} and next year"
        )
    return day


FIRST_LETTER_DATE = dt.date(1990, 1, 1)
"""The earliest --date accepted (a letter dated year 1 or 9999 is a typo)."""


def emit(
    data: str | bytes,
    out: Path | None = None,
    *,
    force: bool = False,
    inputs: tuple[str, ...] = (),
) -> None:
    """Print to stdout, or write ``out`` atomically without clobbering inputs or existing files
    (or dangling symlinks): without --force the file is linked into place, which fails if
    anything got there first. Any OS failure is a one-line InputError."""
    from .fileio import write_atomic

    if out is None:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    target = out.expanduser()
    resolved = target.resolve()
    if any(i != "-" and Path(i).resolve() == resolved for i in inputs):
        raise InputError(f"{out}: is one of the inputs; choose another output path")
    check_output(out, force=force)
    try:
        write_atomic(target, data, replace=force)
    except FileExistsError:
        raise InputError(_EXISTS.format(out=out)) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(f"{out}: cannot be written ({reason}): choose another path") from None


_EXISTS = "{out}: already exists; choose another path or pass --force to replace it"


def check_output(out: Path, *, force: bool) -> None:
    """Refuse an output path that cannot be a new file, before any work is done."""
    target = out.expanduser()
    if target.is_dir():
        raise InputError(f"{out}: is a folder; give a file name for the output")
    if os.path.lexists(target) and not force:
        raise InputError(_EXISTS.format(out=out))
    if os.path.lexists(target) and not (target.is_file() or target.is_symlink()):
        raise InputError(f"{out}: is not a regular file; choose another path")
    if not target.parent.is_dir():
        raise InputError(f"{out}: folder {target.parent} does not exist")


def say_letter_warnings(denial: DenialLetter) -> None:
    """What the reader should check in the letter's text (e.g. pages OCR read poorly)."""
    for warning in denial.warnings:
        say(f"lmn: warning: {warning}")
