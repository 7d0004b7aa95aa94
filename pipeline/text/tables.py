"""Tables in Markdown or plain text: pipe tables ('| a | b |') with the span of every cell,
space-aligned and tab tables read by column position, and the logical rows of a table whose
cells wrap onto continuation rows."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
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


# ----------------------------------------------------------------- space-aligned and tab tables

_SEGMENT_RE = re.compile(r"\S+(?: \S+)*")
"""A run of words separated by single spaces: the text of one cell on one line."""
_ALIGNED_RULE_RE = re.compile(r"^[ \t]*[-=]{3,}(?:[ \t]+[-=]{3,})*[ \t]*$")
"""A rule under a space-aligned table's header: one run of dashes (or '=') per column, or one
across the table."""
_TOLERANCE = 2
"""How far left of its column a cell may start (a ragged right-aligned number, a typo)."""


@dataclass(frozen=True)
class ColumnTable:
    """A table whose columns are read by position: space-aligned, cells continuing on the lines
    below in the same column span (a tab-separated table is one once its tabs are expanded:
    ``text.clean``).

    ``lines`` are the body's lines cut into one cell per column, ``None`` for a blank line or a
    rule between rows; ``first`` and ``end`` index the header line and the line after the table
    among the text's lines."""

    header: tuple[str, ...]
    lines: tuple[tuple[str, ...] | None, ...]
    first: int
    end: int


def _segments(line: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SEGMENT_RE.finditer(line.expandtabs(8))]


def _cut(line: str, starts: list[int]) -> tuple[str, ...] | None:
    """The line's text per column, or None when it does not fit the columns (prose that runs
    across a column boundary in one stretch of single-spaced words)."""
    line = line.expandtabs(8)
    cells = [""] * len(starts)
    for a, b in _segments(line):
        column = max(i for i, s in enumerate(starts) if s <= a + _TOLERANCE or i == 0)
        following = starts[column + 1] if column + 1 < len(starts) else None
        if column == 0 and following is not None and b > following + _TOLERANCE:
            return None
        cells[column] = f"{cells[column]} {line[a:b]}".strip()
    return tuple(cells)


def column_table(
    text: str, is_header: Callable[[Sequence[str]], bool], within: int | None = None
) -> ColumnTable | None:
    """The first column-aligned table in ``text``: a header line (``is_header`` of its cells
    says it heads a table: 'Criterion      Reviewer finding') or a line above a rule of dashes
    with one run per column, then body lines cut at the columns' positions. A blank line may
    separate rows; the table ends at two blank lines, at a line after a blank one with text in
    one column only, or at a line that runs across the first column's edge (prose). ``within``:
    look for the header in that many first lines only."""
    lines = text.split("\n")
    for index in range(len(lines) if within is None else min(within, len(lines))):
        if (table := _aligned_table(lines, index, is_header)) is not None:
            return table
    return None


def _aligned_table(
    lines: list[str], index: int, is_header: Callable[[Sequence[str]], bool]
) -> ColumnTable | None:
    line = lines[index].expandtabs(8)
    segments = _segments(line)
    if len(segments) < 2 or "|" in line or _ALIGNED_RULE_RE.match(line):
        return None
    rule = index + 1 < len(lines) and _ALIGNED_RULE_RE.match(lines[index + 1])
    runs = [m.start() for m in re.finditer(r"[-=]{3,}", lines[index + 1])] if rule else []
    if len(runs) >= 2:
        starts = runs
    elif is_header([line[a:b] for a, b in segments]):
        starts = [a for a, _ in segments]
    else:
        return None
    starts[0] = min(starts[0], segments[0][0])
    header_cells = _cut(line, starts) or (_sliced(line, starts) if len(runs) >= 2 else None)
    if header_cells is None or (len(runs) < 2 and not is_header(header_cells)):
        return None
    body: list[tuple[str, ...] | None] = []
    end = index + (2 if rule else 1)
    while end < len(lines):
        if not lines[end].strip() or _ALIGNED_RULE_RE.match(lines[end]):
            if body and body[-1] is None:
                break
            body.append(None)
            end += 1
            continue
        cells = _cut(lines[end], starts)
        after_blank = bool(body) and body[-1] is None
        if cells is None or (after_blank and sum(bool(c) for c in cells) < 2):
            break
        body.append(cells)
        end += 1
    while body and body[-1] is None:
        body.pop()
        end -= 1
    while end > index and not lines[end - 1].strip():
        end -= 1
    if not any(body):
        return None
    return ColumnTable(header_cells, tuple(body), index, end)


def _sliced(line: str, starts: list[int]) -> tuple[str, ...] | None:
    """A header line cut at the rule's column starts ('No. Criterion' over '--- ---------'),
    when each start falls between words; else None."""
    line = line.expandtabs(8)
    if any(0 < s < len(line) and line[s - 1] != " " for s in starts[1:]):
        return None
    bounds = [*starts[1:], len(line)]
    return tuple(line[a:b].strip() for a, b in zip([0, *starts[1:]], bounds, strict=True))


_DECIMAL_CUT_RE = re.compile(r"(?<![\d.])\d+\.$")
"""A piece ending in a number's whole part and its point ('score of 14.'), its decimals wrapped
to the next line ('5 or greater')."""


def joined(pieces: Sequence[str]) -> str:
    """A cell's pieces from the lines it wraps over, read as one text ('flexion-' + 'extension'
    is 'flexion-extension'; '14.' + '5 or greater' is '14.5 or greater')."""
    out = ""
    for piece in (" ".join(p.split()) for p in pieces if p.strip()):
        hyphen = out.endswith("-") and out[-2:-1].isalpha() and piece[:1].islower()
        if hyphen or (_DECIMAL_CUT_RE.search(out) and piece[:1].isdigit()):
            out += piece
        else:
            out = f"{out} {piece}".strip()
    return out


_LIST_OPENING_RE = re.compile(r"^(?:[a-z]|[ivx]{1,4})[.)](?:\s|$)")
"""A cell opening with a lower-case list marker ('a.', 'ii)'): a new item, not a continuation."""
_SENTENCE_END_RE = re.compile(r"[.;:!?]\)?$")
_OPEN_END_RE = re.compile(
    r"(?:[,\-–]|\b(?:a|an|the|of|and|or|with|without|for|to|in|on|by|from|than|at least|at most|"
    r"per|including|within|after|before|over|under))$",
    re.IGNORECASE,
)
"""A cell that stops mid-phrase: the next row's cell goes on with it ('at least' / '3 months')."""


def logical_rows(rows: Sequence[Sequence[str]], keys: Sequence[int] = ()) -> list[list[str]]:
    """The rows a table means, from its physical rows (header first, never joined): a row
    continues the row above when its first cell is empty or its only filled one, when its key
    cells (``keys``: a status column) are empty where the row above filled them (a row with
    its own status is a new row), or, the row above having no status yet, when its
    first cell goes on with a sentence the cell above left open (it opens in lower case, or the
    cell above stops on a comma or a word such as 'of' or 'at least'; never after '.', ';' or
    ':', nor when it opens with a list marker). The joined cells read as one text (:func:`joined`).
    Empty rows are dropped."""
    out: list[list[str]] = []
    for row in rows:
        cells = list(row)
        if not any(cells):
            continue
        if len(out) > 1 and _continues(out[-1], cells, keys):
            width = max(len(out[-1]), len(cells))
            above = out[-1] + [""] * (width - len(out[-1]))
            cells += [""] * (width - len(cells))
            out[-1] = [joined([a, b]) for a, b in zip(above, cells, strict=True)]
        else:
            out.append(cells)
    return out


def _continues(above: Sequence[str], row: Sequence[str], keys: Sequence[int]) -> bool:
    if not row[0] or (len(row) > 1 and not any(row[1:])):
        return True
    if keys:
        here = any(k < len(row) and row[k] for k in keys)
        there = any(k < len(above) and above[k] for k in keys)
        if there:  # the row above has its status: this one continues it only without its own
            return not here
    if _SENTENCE_END_RE.search(above[0]) or _LIST_OPENING_RE.match(row[0]):
        return False
    return row[0][:1].islower() or bool(_OPEN_END_RE.search(above[0]))


# ------------------------------------------------------------------------- grid (+---+) tables

_GRID_BORDER_RE = re.compile(r"^([ \t]*)\+(?:[-=]+\+)+[ \t]*$")
"""A grid table's border: '+------+-------+' (or '+======+' under its header)."""


def flatten_grids(text: str) -> str:
    """The text with each table drawn with '+---+' borders written as a '|' table of one line
    per row: the borders dropped, and the lines of a row whose cells wrap ('| 2 | 20985 |
    Computer-assisted navigation, |' over '|   |       | orthopedic |') joined cell by cell.
    A row ends at a border or where the next line fills its first cell. Cells are cut at the
    border's '+' columns. Any other text is unchanged."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        border = _GRID_BORDER_RE.match(lines[i])
        if border is None:
            out.append(lines[i])
            i += 1
            continue
        cuts = [p for p, ch in enumerate(lines[i]) if ch == "+"]
        rows: list[list[str]] = []
        row: list[list[str]] | None = None
        i += 1
        while i < len(lines):
            line = lines[i]
            if _GRID_BORDER_RE.match(line):
                if row is not None:
                    rows.append([joined(part) for part in row])
                row = None
                i += 1
                continue
            if not line.lstrip().startswith("|"):
                break
            cells = [line[a + 1 : b] for a, b in itertools.pairwise(cuts)]
            if row is not None and cells and cells[0].strip(" |"):
                # a line whose first cell is filled starts a row of its own (a grid that rules
                # off its header only); one with it empty goes on with the row above
                rows.append([joined(part) for part in row])
                row = None
            row = row or [[] for _ in cells]
            for part, cell in zip(row, cells, strict=True):
                part.append(cell.strip(" |"))
            i += 1
        if row is not None:
            rows.append([joined(part) for part in row])
        out += [border.group(1) + "| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(out)
