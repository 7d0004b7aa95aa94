"""Pipe tables ('| a | b |') in Markdown or plain text, with the span of every cell."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from .normalize import Span

_TABLE_LINE_RE = re.compile(r"^[ \t]*\|.*$", re.M)
_PIPE_RE = re.compile(r"(?<!\\)\|")
_SEPARATOR_CELL_RE = re.compile(r":?-+:?")


@dataclass(frozen=True)
class Cell:
    """A table cell's text (stripped) with its span in the source text."""

    value: str
    span: Span


def pipe_rows(text: str, start: int = 0, end: int | None = None) -> list[list[Cell]]:
    """Rows of the '|' tables between ``start`` and ``end`` (lines starting with a bar; the
    outer bars are dropped, separator rows '|---|:--:|' skipped)."""
    rows: list[list[Cell]] = []
    for m in _TABLE_LINE_RE.finditer(text, start, len(text) if end is None else end):
        line, offset = m.group(), m.start()
        pipes = [p.start() for p in _PIPE_RE.finditer(line)]
        bounds = [*pipes, len(line)] if line[pipes[-1] + 1 :].strip() else pipes
        cells: list[Cell] = []
        for a, b in itertools.pairwise(bounds):
            raw = line[a + 1 : b]
            value = raw.strip()
            lead = len(raw) - len(raw.lstrip())
            cells.append(Cell(value, (offset + a + 1 + lead, offset + a + 1 + lead + len(value))))
        if cells and all(_SEPARATOR_CELL_RE.fullmatch(c.value) for c in cells):
            continue
        rows.append(cells)
    return rows
