"""The token scanner: every fact-bearing token of a text (dates, months, phones, URLs, numbers,
identifiers) with its span and compare form."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TypeAlias

from ..text.dates import MONTH_NAME, full_year, make_date, month_number
from ..text.normalize import Span, blank
from ..text.numbers import norm_number

_URL_RE = re.compile(r"https?://[^\s)>\]]+")
_DATE_ISO_RE = re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?![0-9])")
_DATE_MDY_RE = re.compile(
    rf"\b({MONTH_NAME})\.?[ \t]+([0-9]{{1,2}})(?:st|nd|rd|th)?,?[ \t]+([0-9]{{4}})(?![0-9])", re.I
)
_DATE_DMY_RE = re.compile(
    rf"(?<![0-9])([0-9]{{1,2}})[ \t]+({MONTH_NAME})\.?,?[ \t]+([0-9]{{4}})(?![0-9])", re.I
)
_DATE_US_RE = re.compile(r"(?<![0-9/])([0-9]{1,2})/([0-9]{1,2})/([0-9]{4}|[0-9]{2})(?![0-9/])")
_MONTH_YEAR_RE = re.compile(rf"\b({MONTH_NAME})\.?,?[ \t]+([0-9]{{4}})(?![0-9])", re.I)
_MONTH_YEAR_NUM_RE = re.compile(r"(?<![0-9/])([0-9]{1,2})/([0-9]{4})(?![0-9/])")
_MONTH_ISO_RE = re.compile(r"(?<![\w/.-])((?:19|20)[0-9]{2})-(0[1-9]|1[0-2])(?![\w/.-])")
"""An ISO month ('2026-07'), as the letter restyles it ('July 2026'; letter_format)."""
PHONE_RE = re.compile(
    r"(?<![0-9])(?:\+?1[ .-]?)?(?:\([0-9]{3}\)[ ]?|[0-9]{3}[ .-])[0-9]{3}[ .-][0-9]{4}(?![0-9])"
)
# Anything carrying a digit: numbers ("1,200", "2.5"), codes ("F33.2", "90867"), ids ("CLM-2026-7").
_TOKEN_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Za-z0-9]+[-./]){0,4}[A-Za-z]*[0-9][A-Za-z0-9]*(?:[-./,][A-Za-z0-9]+)*"
)
_PURE_NUMBER_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
NUMBER_RUN_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
DIGITS_RE = re.compile(r"[0-9]+")
YEAR_RE = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")
# Terms of art that carry digits but are no facts of the case.
TERMS_OF_ART = frozenset({"ICD-10", "ICD-10-CM", "ICD-10-PCS", "ICD10", "ICD10CM"})


TokenKey: TypeAlias = dt.date | tuple[int, int] | tuple[str, str] | str
"""A token's compare form: a date, (year, month), digits, a normalized number, an upper-case id,
or (for an impossible date or month) a form that matches no input."""


@dataclass(frozen=True)
class Token:
    """A fact-bearing token of a text: a date, month, phone number, URL, number or identifier."""

    kind: str
    """'date', 'month', 'phone', 'url', 'number' or 'ident'."""
    key: TokenKey
    """Compare form: a date, (year, month), digits, normalized number or upper-case id."""
    start: int
    end: int
    text: str
    parts: tuple[str, ...] = ()
    """For identifiers: the normalized numbers inside it."""


_Found = tuple[int, int, str, TokenKey, str, tuple[str, ...]]
"""A token as the scanner finds it: (start, end, kind, key, text, parts)."""


def _date_key(match: re.Match[str], kind: str) -> TokenKey:
    """The key of a match of one of the date patterns (``kind``: iso, mdy, dmy, us)."""
    g = match.groups()
    if kind == "iso":
        key = make_date(int(g[0]), int(g[1]), int(g[2]))
    elif kind == "mdy":
        key = make_date(int(g[2]), month_number(g[0]), int(g[1]))
    elif kind == "dmy":
        key = make_date(int(g[2]), month_number(g[1]), int(g[0]))
    else:  # us
        key = make_date(full_year(g[2]), int(g[0]), int(g[1]))
    # An impossible date (February 30) keeps its text as key: it can match no input.
    return key if key else ("invalid", match.group())


def _month_key(match: re.Match[str]) -> TokenKey:
    month = int(match.group(1))
    return (int(match.group(2)), month) if 1 <= month <= 12 else match.group()


_COMPOSITES: tuple[tuple[str, re.Pattern[str], Callable[[re.Match[str]], TokenKey]], ...] = (
    ("url", _URL_RE, lambda m: m.group().rstrip(".,;:")),
    ("date", _DATE_ISO_RE, lambda m: _date_key(m, "iso")),
    ("date", _DATE_MDY_RE, lambda m: _date_key(m, "mdy")),
    ("date", _DATE_DMY_RE, lambda m: _date_key(m, "dmy")),
    ("date", _DATE_US_RE, lambda m: _date_key(m, "us")),
    ("month", _MONTH_YEAR_RE, lambda m: (int(m.group(2)), month_number(m.group(1)))),
    ("month", _MONTH_YEAR_NUM_RE, _month_key),
    ("month", _MONTH_ISO_RE, lambda m: (int(m.group(1)), int(m.group(2)))),
    ("phone", PHONE_RE, lambda m: "".join(DIGITS_RE.findall(m.group()))[-10:]),
)
"""The tokens of more than one word or of punctuation, read (and blanked) before the rest, in
this order."""


# From the first digit of a word to the word's end.
_DIGIT_TAIL_RE = re.compile(r"[0-9]\S*")
# Read on the reversed text from just before a word's first digit: the rest of the word back to
# its start, and the word before it on its line.
_WORD_BACK_RE = re.compile(r"\S*(?:[ \t]+\S+)?")


def fact_windows(text: str) -> list[Span]:
    """Spans that hold every fact-bearing token: each word with a digit plus the word before it
    on its line, merged when only spaces or tabs separate them.

    Every token pattern either contains no whitespace or (dates, phones) reaches back at most one
    word, across spaces or tabs only, so scanning these windows finds what a full scan finds.
    The scan starts at digits (a pattern that starts with a word boundary or a look-behind
    makes the regex engine try every position: ~3x slower) and reads backwards on the reversed
    text.
    """
    windows: list[Span] = []
    reverse, n = text[::-1], len(text)
    for m in _DIGIT_TAIL_RE.finditer(text):
        back = _WORD_BACK_RE.match(reverse, n - m.start())  # always matches (it may be empty)
        start, end = n - (back.end() if back else n - m.start()), m.end()
        if windows and not text[windows[-1][1] : start].strip(" \t"):
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def scan_tokens(text: str, offset_of: Callable[[int], int]) -> list[Token]:
    """Tokens of ``text`` (composite forms first), spans mapped through ``offset_of``."""
    found: list[_Found] = []
    work = text
    for kind, regex, key in _COMPOSITES:
        spans = []
        for m in regex.finditer(work):
            found.append((*m.span(), kind, key(m), m.group(), ()))
            spans.append(m.span())
        if spans:
            work = blank(work, spans)
    for m in _TOKEN_RE.finditer(work):
        word = m.group()
        if _PURE_NUMBER_RE.fullmatch(word):
            found.append((*m.span(), "number", norm_number(word), word, ()))
        else:
            parts = tuple(norm_number(p) for p in NUMBER_RUN_RE.findall(word))
            found.append((*m.span(), "ident", word.upper(), word, parts))
    found.sort(key=lambda f: f[0])
    return [Token(k, key, offset_of(a), offset_of(b - 1) + 1, t, p) for a, b, k, key, t, p in found]


def extract_tokens(text: str) -> list[Token]:
    """Every fact-bearing token of ``text``: URLs, dates, months, phones, numbers, identifiers.

    Read paragraph by paragraph (no token pattern crosses a line end).
    """
    return [
        t if not offset else replace(t, start=t.start + offset, end=t.end + offset)
        for offset, tokens in tokens_by_paragraph(text)
        for t in tokens
    ]


def tokens_by_paragraph(text: str) -> Iterator[tuple[int, list[Token]]]:
    """(offset, tokens with spans relative to it) of each paragraph of ``text`` with tokens; a
    reader shifts the spans it reports, not every token."""
    offset = 0
    for part in text.split("\n\n"):
        tokens = window_tokens(part) if part else []
        if tokens:
            yield offset, tokens
        offset += len(part) + 2


def token_keys(text: str) -> Iterator[Token]:
    """The tokens of ``text`` for readers of kinds and keys (spans relative to paragraphs)."""
    return (t for _, tokens in tokens_by_paragraph(text) for t in tokens)


def window_tokens(text: str) -> list[Token]:
    """The tokens of one paragraph, uncached (see :func:`extract_tokens`).

    Only the windows around digits are scanned (joined by newlines, which no pattern crosses);
    spans are mapped back to offsets in ``text``.
    """
    windows = fact_windows(text)
    if not windows:
        return []
    starts: list[int] = []  # offset of each window in the joined text
    pieces: list[str] = []
    pos = 0
    for a, b in windows:
        starts.append(pos)
        pieces.append(text[a:b])
        pos += b - a + 1

    def offset_of(i: int) -> int:
        w = bisect.bisect_right(starts, i) - 1
        return windows[w][0] + i - starts[w]

    return scan_tokens("\n".join(pieces), offset_of)


# --------------------------------------------------------------------------- document model
