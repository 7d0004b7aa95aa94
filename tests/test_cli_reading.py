"""The shared denial-reading options of the appeal commands (pipeline.cli_appeal.reads_denial)."""

import datetime as dt
import inspect

import pytest

from pipeline.cli_appeal import Reading, reads_denial


def test_reads_denial_replaces_reading_with_the_four_options_and_passes_them_as_one() -> None:
    seen: list[tuple[str, Reading]] = []

    @reads_denial
    def command(letter: str, force: bool = False, *, reading: Reading) -> None:
        seen.append((letter, reading))

    names = list(inspect.signature(command).parameters)
    assert names == ["letter", "force", "date", "engine", "model", "base_url"]
    command("denial.txt", date="2026-03-01", model="m")
    assert seen == [("denial.txt", Reading("2026-03-01", None, "m", None))]
    assert seen[0][1].today() == dt.date(2026, 3, 1)


def test_reads_denial_refuses_a_command_without_reading() -> None:
    def command(letter: str) -> None: ...

    with pytest.raises(TypeError, match="reading"):
        reads_denial(command)
