"""The few exceptions the pipeline raises. Each message tells the user what to do.

The CLI turns them into one-line messages and exit codes; nothing else catches them.
"""

from __future__ import annotations


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

    def __init__(self, message: str, report) -> None:
        super().__init__(message)
        self.report = report


class EngineError(LmnError):
    """The configured engine (model endpoint, embedding model, index) failed."""

    exit_code = 5
