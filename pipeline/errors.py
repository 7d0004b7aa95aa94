"""The few exceptions the pipeline raises. Each message tells the user what to do.

The CLI turns them into one-line messages and exit codes; nothing else catches them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import ValidationReport


class LmnError(Exception):
    """Base class: a problem the user can fix. ``exit_code`` is used by the CLI only."""

    exit_code = 1


class InputError(LmnError):
    """The letter, case file or an option is unusable (missing, empty, binary, too large...)."""

    exit_code = 2


class GapsError(LmnError):
    """The inputs lack facts the letter needs; carries the gaps."""

    exit_code = 3

    def __init__(self, message: str, gaps: list) -> None:
        super().__init__(message)
        self.gaps = gaps


class DraftRejected(LmnError):
    """A draft failed validation; carries the report."""

    exit_code = 4

    def __init__(self, message: str, report: ValidationReport) -> None:
        super().__init__(message)
        self.report = report


class EngineError(LmnError):
    """The configured engine (model endpoint, embedding model, index) failed."""

    exit_code = 5


_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,59}")


def shown_loc(loc: tuple | list, error_type: str) -> tuple:
    """A validation error's location as a message may show it. An unknown key ('extra_forbidden')
    is the input's own text: a field-name-like key (lower-case letters, digits and '_', such as
    the typo 'nmae') is kept; anything else (a capitalized name, a member id, a date typed as a
    key) becomes '<unknown key>'. A patient's name typed as a key in lower case would still be
    shown."""
    loc = tuple(loc)
    if error_type != "extra_forbidden" or not loc or isinstance(loc[-1], int):
        return loc
    key = str(loc[-1])
    return loc if _FIELD_NAME.fullmatch(key) else (*loc[:-1], "<unknown key>")


def first_error(errors: Sequence[Any], *, drop: tuple[str, ...] = (), root: str = "<root>") -> str:
    """'patient.diagnoses[0].code: Field required (and 2 more)': pydantic's first error, its
    location as :func:`shown_loc` shows it (parts in ``drop`` left out, ``root`` when none is
    left), 'unknown field' for an unexpected key."""
    first = errors[0]
    kind = first.get("type", "")
    where = ""
    for part in shown_loc(first.get("loc", ()), kind):
        if part in drop:
            continue
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    msg = "unknown field" if kind == "extra_forbidden" else first.get("msg", "")
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where or root}: {msg}{more}"
