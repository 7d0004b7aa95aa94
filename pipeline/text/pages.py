"""Page furniture of a printed, faxed or scanned letter: the running footer and header a page
break leaves in the text ('NORTHWOODS HEALTH PLAN   Ref NWA-...   Page 2 of 3' between rules,
with the member's name under it), read as not there."""

from __future__ import annotations

import re

_PAGE_MARK_RE = re.compile(
    r"\bpage\s+\d{1,3}\s*(?:of|/)\s*\d{1,3}\b|\bP(?:AGE|\.)\s*\d{1,3}/\d{1,3}\b|"
    r"^\s*-\s*\d{1,3}\s*-\s*$",
    re.IGNORECASE,
)
"""A page number: 'Page 2 of 3', 'PAGE 02/05', 'P. 02/04', '- 2 -'."""
_RULE_RE = re.compile(r"^\s*(?:[_\-=*~]\s?){10,}\s*$")
"""A line that is only a rule ('_____', '-----', '=====')."""
_OPEN_END_RE = re.compile(r"[^.:;!?)\]]\s*$")
"""A line that stops before its sentence ends: a page break cut it."""
_CONTINUED_RE = re.compile(r"\(?\bcontinued\b\)?\s*$", re.IGNORECASE)
"""A running header that says the letter goes on ('ACME HEALTH - CONTINUED', '(continued)')."""
_HEADER_LINE_CHARS = 100
"""The longest line a running header or footer takes."""


def _rule(line: str) -> bool:
    return bool(_RULE_RE.match(line))


def _short(line: str) -> bool:
    return bool(line.strip()) and len(line.strip()) <= _HEADER_LINE_CHARS and not _rule(line)


def _cluster(lines: list[str], mark: int) -> tuple[int, int]:
    """The lines of the page break around the page number on line ``mark``: the rules that
    close it above and below, and a running header line or two between a rule and the number
    ('NORTHWOODS ... Page 2 of 3' then 'MARGUERITE A HALVORSEN  NWA58310274' then a rule)."""
    first = last = mark
    if first > 0 and _rule(lines[first - 1]):
        first -= 1
    elif first > 1 and _short(lines[first - 1]) and _rule(lines[first - 2]):
        first -= 2
    for reach in (1, 2, 3):  # down to the rule that closes it, over a header line or two
        if last + reach >= len(lines) or not lines[last + reach].strip():
            break
        if _rule(lines[last + reach]):
            last += reach
            break
        if not _short(lines[last + reach]):
            break
    if last + 1 < len(lines) and _short(lines[last + 1]) and _CONTINUED_RE.search(lines[last + 1]):
        last += 1  # the next page's running header: 'BLUE HERON HEALTH COMPANY - CONTINUED'
    return first, last


def _content(lines: list[str], index: int, step: int) -> int | None:
    """The nearest non-blank line from ``index`` on, in the direction ``step``."""
    while 0 <= index < len(lines):
        if lines[index].strip():
            return index
        index += step
    return None


def fold_page_breaks(text: str) -> str:
    """``text`` with each page break's furniture (a page number with the rules and the running
    header line around it) blanked to spaces, offsets kept. Between two paragraphs it leaves a
    blank line; when it cuts a sentence (', in a', the footer and header, then 'hospital with
    ...'), the two halves are one paragraph again: every newline from the line before it to the
    line after it, but the last, turns to a space."""
    lines = text.split("\n")
    marks = [i for i, line in enumerate(lines) if _short(line) and _PAGE_MARK_RE.search(line)]
    if not marks:
        return text
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    chars = list(text)
    blanked: set[int] = set()
    for mark in marks:
        first, last = _cluster(lines, mark)
        blanked.update(range(first, last + 1))
        for j in range(starts[first], starts[last] + len(lines[last])):
            if chars[j] != "\n":
                chars[j] = " "
    for first, last in _spans(sorted(blanked)):
        before, after = _content(lines, first - 1, -1), _content(lines, last + 1, 1)
        if before is None or after is None or before in blanked or after in blanked:
            continue
        if _OPEN_END_RE.search(lines[before]) and lines[after].strip()[:1].islower():
            for i in range(before, after - 1):
                chars[starts[i + 1] - 1] = " "
    return "".join(chars)


def _spans(indexes: list[int]) -> list[tuple[int, int]]:
    """Runs of consecutive line indexes, as (first, last)."""
    runs: list[tuple[int, int]] = []
    for i in indexes:
        if runs and i == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs
