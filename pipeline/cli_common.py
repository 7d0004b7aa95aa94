"""What the `lmn` commands share: engine options, the text/json format, messages, dates.

Imported by ``pipeline/cli.py``, ``pipeline/evals/cli.py`` and ``pipeline/llm/commands.py``;
kept light (typer only) because every `lmn` invocation imports it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import typer

from .errors import InputError

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
