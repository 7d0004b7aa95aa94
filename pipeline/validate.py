"""Deterministic checks that a drafted letter is complete, consistent and grounded in its inputs.

``validate(draft)`` reads ``draft.markdown`` (the text is what is judged, so a letter edited by hand
is checked the same way as a generated one) against the context the draft carries: the denial
analysis, the case facts, the passages retrieved for it, the denial letter's text and the run date.

The letter is parsed once, through ``letter_format``'s names and patterns only, into a
:class:`Document`; each check is a small function ``check_x(ctx) -> list[ValidationFinding]``
registered in :data:`CHECKS`. Findings carry a stable dotted code, a one-line message that names
what is wrong without quoting the letter, and, where one applies, a span into the Markdown with a
short excerpt (the offending token, never a sentence).

Nothing here logs: findings are returned, and their excerpts stay in the report.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

from . import letter_format as lf
from .codes import (
    CPT_RE,
    HCPCS_RE,
    ICD10_RE,
    icd10_exists,
    icd10_is_billable,
    is_cpt,
    is_hcpcs,
    normalize_icd10,
    npi_is_valid,
)
from .injection import echo_spans, instruction_spans
from .models import Draft, Passage, Severity, ValidationFinding, ValidationReport
from .prefilter import Prefiltered, fold

__all__ = [
    "CHECKS",
    "SECTION_CHECKS",
    "Context",
    "Document",
    "criterion_errors",
    "extract_tokens",
    "parse_document",
    "validate",
    "validate_markdown",
]

Span = tuple[int, int]

ERROR = Severity.error
WARNING = Severity.warning

# --------------------------------------------------------------------------- patterns

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_URL_RE = re.compile(r"https?://[^\s)>\]]+")
_DATE_ISO_RE = re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?![0-9])")
_DATE_MDY_RE = re.compile(
    rf"\b({_MONTH})\.?[ \t]+([0-9]{{1,2}})(?:st|nd|rd|th)?,?[ \t]+([0-9]{{4}})(?![0-9])", re.I
)
_DATE_DMY_RE = re.compile(
    rf"(?<![0-9])([0-9]{{1,2}})[ \t]+({_MONTH})\.?,?[ \t]+([0-9]{{4}})(?![0-9])", re.I
)
_DATE_US_RE = re.compile(r"(?<![0-9/])([0-9]{1,2})/([0-9]{1,2})/([0-9]{4}|[0-9]{2})(?![0-9/])")
_MONTH_YEAR_RE = re.compile(rf"\b({_MONTH})\.?,?[ \t]+([0-9]{{4}})(?![0-9])", re.I)
_MONTH_YEAR_NUM_RE = re.compile(r"(?<![0-9/])([0-9]{1,2})/([0-9]{4})(?![0-9/])")
_PHONE_RE = re.compile(
    r"(?<![0-9])(?:\+?1[ .-]?)?(?:\([0-9]{3}\)[ ]?|[0-9]{3}[ .-])[0-9]{3}[ .-][0-9]{4}(?![0-9])"
)
# Anything carrying a digit: numbers ("1,200", "2.5"), codes ("F33.2", "90867"), ids ("CLM-2026-7").
_TOKEN_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Za-z0-9]+[-./]){0,4}[A-Za-z]*[0-9][A-Za-z0-9]*(?:[-./,][A-Za-z0-9]+)*"
)
_PURE_NUMBER_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
_NUMBER_RUN_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_DIGITS_RE = re.compile(r"[0-9]+")
_YEAR_RE = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")
# Terms of art that carry digits but are no facts of the case.
_TERMS_OF_ART = frozenset({"ICD-10", "ICD-10-CM", "ICD-10-PCS", "ICD10", "ICD10CM"})

# Structural numbers the grounding check ignores.
_LIST_NUMBER_RE = re.compile(r"^[ \t]*([0-9]+)[.)][ \t]", re.M)
_REF_ID_RE = re.compile(r"\(ref:[^)\n]*\)")
_NUMBERED_LINE_RE = re.compile(r"^[ \t]*([0-9]+)\.[ \t]+(.*?)[ \t]*$", re.M)

_TABLE_LINE_RE = re.compile(r"^[ \t]*\|.*$", re.M)
_PIPE_RE = re.compile(r"(?<!\\)\|")
_SEPARATOR_CELL_RE = re.compile(r":?-+:?")
_LABEL_LINE_RE = re.compile(
    r"^[ \t]*(?:[-*+][ \t]+)?(?:\*\*)?(?P<label>[^:*\n|]{1,40}?)(?:\*\*)?[ \t]*:(?:\*\*)?"
    r"[ \t]*(?P<value>.*?)[ \t]*$",
    re.M,
)
_SUBHEADING_RE = re.compile(r"^#{1,3}[ \t]", re.M)

_PLACEHOLDER_RES: tuple[Prefiltered, ...] = (
    Prefiltered(lf.PLACEHOLDER_RE),
    Prefiltered.compile(r"\[[ \t]*(?:\.{2,}|…)[ \t]*\]"),
    Prefiltered.compile(r"\{\{.*?\}\}", re.S),
    Prefiltered.compile(r"\b(?:TODO|TBD|XXX+)\b"),
    Prefiltered.compile(r"lorem ipsum", re.I),
    Prefiltered.compile(r"<[ \t]*insert", re.I),
)

_DOSE_RE = re.compile(
    r"[0-9]+(?:[.,][0-9]+)?[ \t]*(?:(?:-|–|to)[ \t]*[0-9]+(?:\.[0-9]+)?[ \t]*)?"
    r"(?:mg/kg|mg/m2|mg/m²|mcg/kg|mg|mcg|µg|μg|ug|ng|g|kg|mL|ml|L|units?|IU|U|mEq|mmol|%"
    r"|puffs?|tablets?|tabs?|capsules?|caps?|drops?|sprays?|patch(?:es)?|inhalations?|vials?"
    r"|injections?|applications?|sachets?|lozenges?|suppositor(?:y|ies)|pens?|actuations?"
    r"|c?Gy|mCi|MBq)"
    r"(?![A-Za-z])",
    re.I,
)
_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a[ \t]+few|few)"
)
_FREQUENCY_RE = re.compile(
    r"\b(?:daily|nightly|weekly|biweekly|fortnightly|monthly|hourly|yearly|annually|once|twice"
    r"|thrice|every|each|per[ \t]+(?:day|week|month|dose|cycle)|a[ \t]+(?:day|week|month)"
    r"|[0-9]+[ \t]*(?:x|times)\b|q\.?[ \t]?[0-9]*[ \t]?(?:h|hr|hrs|d|wk|am|pm|hs|od)\b"
    r"|qd|qod|bid|b\.i\.d|tid|t\.i\.d|qid|q\.i\.d|qhs|qam|qpm|prn|as[ \t]+needed|at[ \t]+bedtime"
    r"|bedtime|mornings?|evenings?|continuous(?:ly)?|single[ \t]+dose|one[- ]time|stat"
    r"|with[ \t]+meals|alternate[ \t]+days|cycles?|apart)\b"
    r"|/[ \t]*(?:day|d|wk|week|month|mo|h|hr)\b"
    # A course given as a count of administrations: "two injections", "in 5 fractions".
    rf"|\b(?:[0-9]+|{_NUMBER_WORD}|single)[ \t]+(?:injections?|doses?|infusions?|fractions?"
    r"|administrations?|applications?|treatments?)\b",
    re.I,
)
_DURATION_RE = re.compile(
    rf"(?:[0-9]+(?:\.[0-9]+)?|{_NUMBER_WORD})[ \t-]*(?:(?:-|–|to)[ \t]*[0-9]+[ \t]*)?"
    r"(?:days?|d|weeks?|wks?|wk|w|months?|mos?|mo|years?|yrs?|yr|y|hours?|hrs?|sessions?"
    r"|visits?|cycles?|courses?|treatments?)\b",
    re.I,
)
_OPEN_RANGE_RE = re.compile(r"\b(?:since|from|ongoing|present|current(?:ly)?|to date)\b", re.I)

_P2P_OFFER_RE = re.compile(
    r"\b(?:peer[- ]to[- ]peer|available|welcome|offer|discuss|call|contact|reach|speak)\b", re.I
)
_EMOTIONAL_RE = Prefiltered.compile(
    r"\b(?:outrageous(?:ly)?|unacceptable|shameful(?:ly)?|shame|disgusting|disgraceful|greedy"
    r"|greed|heartless|appalling|ridiculous|absurd|how[ \t]+dare)\b"
    # Clinical usage is no emotion: "unacceptable toxicity", "unacceptable risk".
    r"(?![ \t]+(?:toxicit|risk|side|adverse|harm))",
    re.I,
)
_SHOUTING_RE = re.compile(r"\b[A-Z]{4,}\b(?:[ \t,]+\b[A-Z]{4,}\b){2,}")
_EXCLAMATION_RE = re.compile(r"!(?!\[)")
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_CODE_LABEL_RE = re.compile(
    r"\b(?:CPT|HCPCS)\b®?(?:[ \t:#]|\bLevel[ \t]+II\b|\bcodes?\b)*\b([A-Za-z]?[0-9][A-Za-z0-9.]*)"
)

_QUOTE_PAIRS = (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-"))
_MARKUP_RE = re.compile(r"[*_`]|^[ \t]*>[ \t]?", re.M)
_WS_RE = re.compile(r"\s+")

CONSEQUENCES_MIN_WORDS = 15
MAX_BODY_WORDS = 1500
MAX_EXCLAMATIONS = 2
_EXCERPT_MAX = 60


# --------------------------------------------------------------------------- small helpers


@lru_cache(maxsize=1024)
def _norm_text(text: str) -> str:
    """Case-, whitespace-, quote- and emphasis-normalized text for containment tests (cached:
    the same criteria, names and letter are normalized by several checks and validations)."""
    for old, new in _QUOTE_PAIRS:  # str.replace beats a translate table here
        if old in text:
            text = text.replace(old, new)
    return _WS_RE.sub(" ", _MARKUP_RE.sub("", text)).strip().casefold()


def _norm_ws(text: str) -> str:
    return _WS_RE.sub(" ", text).strip()


def _norm_id(text: str) -> str:
    """Identifier compare form: upper case, no spaces."""
    return re.sub(r"\s+", "", text).upper()


def _norm_number(text: str) -> str:
    """'1,200' -> '1200', '2.50' -> '2.5', '007' -> '7' (string arithmetic: no int() limits)."""
    text = text.replace(",", "")
    whole, _, frac = text.partition(".")
    whole = whole.lstrip("0") or "0"
    frac = frac.rstrip("0")
    return f"{whole}.{frac}" if frac else whole


def _excerpt(text: str) -> str:
    text = _norm_ws(text)
    return text if len(text) <= _EXCERPT_MAX else text[: _EXCERPT_MAX - 1] + "…"


def _blank(text: str, spans: Iterable[Span]) -> str:
    """``text`` with each span blanked to spaces (newlines kept), so offsets are unchanged."""
    out: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        start = max(start, pos)
        if end <= start:
            continue
        out.append(text[pos:start])
        piece = text[start:end]
        out.append(re.sub(r"[^\n]", " ", piece) if "\n" in piece else " " * len(piece))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _finding(
    code: str,
    message: str,
    severity: Severity = ERROR,
    span: Span | None = None,
    excerpt: str | None = None,
) -> ValidationFinding:
    return ValidationFinding(
        code=code,
        severity=severity,
        message=message,
        span=span,
        excerpt=_excerpt(excerpt) if excerpt else None,
    )


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_number(name: str) -> int:
    return _MONTHS[name[:3].casefold()]


def _two_digit_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 50 else 1900
    return year


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class Token:
    """A fact-bearing token of a text: a date, month, phone number, URL, number or identifier."""

    kind: str
    """'date', 'month', 'phone', 'url', 'number' or 'ident'."""
    key: object
    """Compare form: a date, (year, month), digits, normalized number or upper-case id."""
    start: int
    end: int
    text: str
    parts: tuple[str, ...] = ()
    """For identifiers: the normalized numbers inside it."""


_Found = tuple[int, int, str, object, str, tuple[str, ...]]
"""A token as the scanner finds it: (start, end, kind, key, text, parts)."""


def _date_key(match: re.Match[str], kind: str) -> object:
    """The key of a match of one of the date patterns (``kind``: iso, mdy, dmy, us)."""
    g = match.groups()
    if kind == "iso":
        key = _date_or_none(int(g[0]), int(g[1]), int(g[2]))
    elif kind == "mdy":
        key = _date_or_none(int(g[2]), _month_number(g[0]), int(g[1]))
    elif kind == "dmy":
        key = _date_or_none(int(g[2]), _month_number(g[1]), int(g[0]))
    else:  # us
        key = _date_or_none(_two_digit_year(g[2]), int(g[0]), int(g[1]))
    # An impossible date (February 30) keeps its text as key: it can match no input.
    return key if key else ("invalid", match.group())


def _month_key(match: re.Match[str]) -> object:
    month = int(match.group(1))
    return (int(match.group(2)), month) if 1 <= month <= 12 else match.group()


_COMPOSITES: tuple[tuple[str, re.Pattern[str], Callable[[re.Match[str]], object]], ...] = (
    ("url", _URL_RE, lambda m: m.group().rstrip(".,;:")),
    ("date", _DATE_ISO_RE, lambda m: _date_key(m, "iso")),
    ("date", _DATE_MDY_RE, lambda m: _date_key(m, "mdy")),
    ("date", _DATE_DMY_RE, lambda m: _date_key(m, "dmy")),
    ("date", _DATE_US_RE, lambda m: _date_key(m, "us")),
    ("month", _MONTH_YEAR_RE, lambda m: (int(m.group(2)), _month_number(m.group(1)))),
    ("month", _MONTH_YEAR_NUM_RE, _month_key),
    ("phone", _PHONE_RE, lambda m: "".join(_DIGITS_RE.findall(m.group()))[-10:]),
)
"""The tokens of more than one word or of punctuation, read (and blanked) before the rest, in
this order."""


# From the first digit of a word to the word's end.
_DIGIT_TAIL_RE = re.compile(r"[0-9]\S*")
# Read on the reversed text from just before a word's first digit: the rest of the word back to
# its start, and the word before it on its line.
_WORD_BACK_RE = re.compile(r"\S*(?:[ \t]+\S+)?")


def _fact_windows(text: str) -> list[Span]:
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
        start, end = n - _WORD_BACK_RE.match(reverse, n - m.start()).end(), m.end()
        if windows and not text[windows[-1][1] : start].strip(" \t"):
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _scan_tokens(text: str, offset_of: Callable[[int], int]) -> list[Token]:
    """Tokens of ``text`` (composite forms first), spans mapped through ``offset_of``."""
    found: list[_Found] = []
    work = text
    for kind, regex, key in _COMPOSITES:
        spans = []
        for m in regex.finditer(work):
            found.append((*m.span(), kind, key(m), m.group(), ()))
            spans.append(m.span())
        if spans:
            work = _blank(work, spans)
    for m in _TOKEN_RE.finditer(work):
        word = m.group()
        if _PURE_NUMBER_RE.fullmatch(word):
            found.append((*m.span(), "number", _norm_number(word), word, ()))
        else:
            parts = tuple(_norm_number(p) for p in _NUMBER_RUN_RE.findall(word))
            found.append((*m.span(), "ident", word.upper(), word, parts))
    found.sort(key=lambda f: f[0])
    return [Token(k, key, offset_of(a), offset_of(b - 1) + 1, t, p) for a, b, k, key, t, p in found]


def extract_tokens(text: str) -> list[Token]:
    """Every fact-bearing token of ``text``: URLs, dates, months, phones, numbers, identifiers.

    Read paragraph by paragraph (no token pattern crosses a line end), each paragraph's tokens
    cached: the drafting loop validates the letter after every round, and most paragraphs of
    the letter and of its inputs have not changed.
    """
    return [
        t if not offset else replace(t, start=t.start + offset, end=t.end + offset)
        for offset, tokens in _tokens_by_paragraph(text)
        for t in tokens
    ]


def _tokens_by_paragraph(text: str) -> Iterator[tuple[int, tuple[Token, ...]]]:
    """(offset, tokens with spans relative to it) of each paragraph of ``text`` with tokens; a
    reader shifts the spans it reports, not every token."""
    offset = 0
    for part in text.split("\n\n"):
        tokens = _paragraph_tokens(part) if part else ()
        if tokens:
            yield offset, tokens
        offset += len(part) + 2


def _keys(text: str) -> Iterator[Token]:
    """The tokens of ``text`` for readers of kinds and keys (spans relative to paragraphs)."""
    return (t for _, tokens in _tokens_by_paragraph(text) for t in tokens)


@lru_cache(maxsize=4096)
def _paragraph_tokens(text: str) -> tuple[Token, ...]:
    return tuple(_window_tokens(text))


def _window_tokens(text: str) -> list[Token]:
    """The tokens of one paragraph, uncached (see :func:`extract_tokens`).

    Only the windows around digits are scanned (joined by newlines, which no pattern crosses);
    spans are mapped back to offsets in ``text``.
    """
    windows = _fact_windows(text)
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

    return _scan_tokens("\n".join(pieces), offset_of)


# --------------------------------------------------------------------------- document model


@dataclass(frozen=True)
class Field:
    """A value in the letter with its span in the Markdown."""

    value: str
    span: Span


@dataclass(frozen=True)
class Section:
    """A level-2 section: ``## name`` and its body up to the next level-2 heading."""

    name: str
    start: int
    body_start: int
    end: int
    body: str


@dataclass(frozen=True)
class CriterionSection:
    """A ``### Criterion n`` block: the heading line and its body up to the next heading."""

    number: int
    start: int
    end: int
    heading: str
    body: str


@dataclass(frozen=True)
class ReferenceEntry:
    """A numbered line of the References list; ``passage_id`` is None when it has no (ref: id)."""

    number: int
    text: str
    passage_id: str | None
    span: Span


@dataclass(frozen=True)
class Citation:
    """An in-text citation ``[1]`` or ``[1, 3]`` outside the References list."""

    numbers: tuple[int, ...]
    span: Span


@dataclass(frozen=True)
class TreatmentRow:
    """A row of the prior-treatment table, cells keyed by lower-cased column name."""

    cells: dict[str, Field]
    span: Span

    def cell(self, column: str) -> Field | None:
        return self.cells.get(column.casefold())


@dataclass
class Document:
    """The letter, parsed once through letter_format's names and patterns."""

    markdown: str
    sections: dict[str, Section]
    criteria: dict[int, CriterionSection]
    references: list[ReferenceEntry]
    citations: list[Citation]
    prior_header: tuple[str, ...] | None
    prior_rows: list[TreatmentRow]
    identification: dict[str, Field]
    signature: dict[str, Field]

    def section(self, name: str) -> Section | None:
        return self.sections.get(name)

    def in_section(self, name: str, pos: int) -> bool:
        sec = self.sections.get(name)
        return bool(sec and sec.start <= pos < sec.end)


def parse_sections(markdown: str) -> dict[str, Section]:
    """Level-2 sections with offsets: the headings and bodies of ``lf.split_sections``."""
    sections: dict[str, Section] = {}
    for m, end in lf.section_bounds(markdown):
        raw = markdown[m.end() : end]
        body = raw.strip("\n")
        body_start = m.end() + (len(raw) - len(raw.lstrip("\n")))
        sections.setdefault(m.group(1), Section(m.group(1), m.start(), body_start, end, body))
    return sections


def parse_criteria(markdown: str) -> dict[int, CriterionSection]:
    """``### Criterion n`` blocks by number (first wins), each up to the next heading."""
    blocks: dict[int, CriterionSection] = {}
    for m in lf.CRITERION_HEADING_RE.finditer(markdown):
        nxt = _SUBHEADING_RE.search(markdown, m.end())
        end = nxt.start() if nxt else len(markdown)
        number = int(m.group(1)) if len(m.group(1)) < 6 else -1
        blocks.setdefault(
            number, CriterionSection(number, m.start(), end, m.group(), markdown[m.end() : end])
        )
    return blocks


def parse_references(markdown: str, section: Section | None) -> list[ReferenceEntry]:
    """Numbered lines of the References section; lines off ``REFERENCE_LINE`` get no id."""
    if section is None:
        return []
    entries: list[ReferenceEntry] = []
    for m in _NUMBERED_LINE_RE.finditer(markdown, section.body_start, section.end):
        line = m.group()
        ref = lf.REFERENCE_LINE_RE.fullmatch(line.strip())
        number = int(m.group(1)) if len(m.group(1)) < 6 else -1
        if ref:
            entries.append(ReferenceEntry(number, ref.group(2), ref.group(3), m.span()))
        else:
            entries.append(ReferenceEntry(number, m.group(2), None, m.span()))
    return entries


def parse_citations(markdown: str, references: Section | None) -> list[Citation]:
    """In-text citations outside the References section."""
    out = []
    for m in lf.CITATION_RE.finditer(markdown):
        if references and references.start <= m.start() < references.end:
            continue
        numbers = tuple(int(n) for n in re.split(r"\s*,\s*", m.group(1)) if len(n) < 6)
        out.append(Citation(numbers, m.span()))
    return out


def parse_table(markdown: str, start: int, end: int) -> list[list[Field]]:
    """Rows of the pipe tables between ``start`` and ``end`` (separator rows dropped)."""
    rows: list[list[Field]] = []
    for m in _TABLE_LINE_RE.finditer(markdown, start, end):
        line, offset = m.group(), m.start()
        pipes = [p.start() for p in _PIPE_RE.finditer(line)]
        bounds = [*pipes, len(line)] if line[pipes[-1] + 1 :].strip() else pipes
        cells: list[Field] = []
        for a, b in itertools.pairwise(bounds):
            raw = line[a + 1 : b]
            value = raw.strip()
            lead = len(raw) - len(raw.lstrip())
            cells.append(Field(value, (offset + a + 1 + lead, offset + a + 1 + lead + len(value))))
        if cells and all(_SEPARATOR_CELL_RE.fullmatch(c.value) for c in cells):
            continue
        rows.append(cells)
    return rows


def _label(text: str) -> str:
    return text.strip().strip("*").strip().rstrip(":").strip().casefold()


def parse_identification(markdown: str, section: Section | None) -> dict[str, Field]:
    """The identification table as label (lower case) -> value."""
    if section is None:
        return {}
    table: dict[str, Field] = {}
    for row in parse_table(markdown, section.body_start, section.end):
        if len(row) >= 2:
            table.setdefault(_label(row[0].value), row[1])
    return table


def parse_signature(markdown: str, section: Section | None) -> dict[str, Field]:
    """The signature block's ``Label: value`` lines as label (lower case) -> value."""
    if section is None:
        return {}
    fields: dict[str, Field] = {}
    for m in _LABEL_LINE_RE.finditer(markdown, section.body_start, section.end):
        fields.setdefault(_label(m.group("label")), Field(m.group("value"), m.span("value")))
    return fields


def parse_prior_treatments(
    markdown: str, section: Section | None
) -> tuple[tuple[str, ...] | None, list[TreatmentRow]]:
    """The prior-treatment table: its header (lower case) and rows keyed by column name."""
    if section is None:
        return None, []
    rows = parse_table(markdown, section.body_start, section.end)
    wanted = {c.casefold() for c in lf.PRIOR_TREATMENT_COLUMNS}
    for i, row in enumerate(rows):
        header = tuple(_label(c.value) for c in row)
        if wanted & set(header):
            out = []
            for body in rows[i + 1 :]:
                cells = {name: cell for name, cell in zip(header, body, strict=False) if name}
                span = (body[0].span[0], body[-1].span[1]) if body else (0, 0)
                out.append(TreatmentRow(cells, span))
            return header, out
    return None, []


def parse_document(markdown: str) -> Document:
    """Parse a letter into the parts the checks read."""
    sections = parse_sections(markdown)
    refs = sections.get(lf.REFERENCES)
    header, rows = parse_prior_treatments(markdown, sections.get(lf.PRIOR_TREATMENT))
    return Document(
        markdown=markdown,
        sections=sections,
        criteria=parse_criteria(markdown),
        references=parse_references(markdown, refs),
        citations=parse_citations(markdown, refs),
        prior_header=header,
        prior_rows=rows,
        identification=parse_identification(markdown, sections.get(lf.IDENTIFICATION)),
        signature=parse_signature(markdown, sections.get(lf.SIGNATURE)),
    )


# --------------------------------------------------------------------------- grounding index


@dataclass
class Grounding:
    """Every fact the inputs hold, in compare form, built once per validation."""

    blob: str = ""
    dates: set[dt.date] = field(default_factory=set)
    months: set[tuple[int, int]] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    idents: set[str] = field(default_factory=set)

    def add_date(self, d: dt.date) -> None:
        self.dates.add(d)
        self.months.add((d.year, d.month))
        self.numbers.add(str(d.year))

    def add_text(self, text: str) -> None:
        for tok in _keys(text):
            if tok.kind == "date":
                if isinstance(tok.key, dt.date):
                    self.add_date(tok.key)
            elif tok.kind == "month":
                self.months.add(tok.key)  # type: ignore[arg-type]
            elif tok.kind == "phone":
                self.phones.add(tok.key)  # type: ignore[arg-type]
            elif tok.kind == "number":
                self.numbers.add(tok.key)  # type: ignore[arg-type]
            elif tok.kind == "ident":
                self.idents.add(tok.key)  # type: ignore[arg-type]
                self.idents.add(re.sub(r"[-./,]", "", tok.key))  # type: ignore[arg-type]
        # Every digit run, also inside dates, phones and codes: "200mg" grounds "200 mg".
        runs = set(_NUMBER_RUN_RE.findall(text)) | set(_DIGITS_RE.findall(text))
        self.numbers.update(_norm_number(run) for run in runs)
        self.phones.update(run[-10:] for run in runs if len(run) >= 10 and "." not in run)

    @classmethod
    def union(cls, parts: Iterable[Grounding]) -> Grounding:
        """A new index holding every fact of ``parts`` (which are left unchanged)."""
        out = cls()
        blobs = []
        for part in parts:
            blobs.append(part.blob)
            out.dates |= part.dates
            out.months |= part.months
            out.phones |= part.phones
            out.numbers |= part.numbers
            out.idents |= part.idents
        out.blob = "\n".join(blobs)
        return out

    def supports(self, tok: Token) -> bool:
        """True when the inputs hold the token's fact."""
        if tok.kind == "url":
            return str(tok.key) in self.blob
        if tok.kind == "date":
            return tok.key in self.dates
        if tok.kind == "month":
            return tok.key in self.months
        if tok.kind == "phone":
            return tok.key in self.phones
        if tok.kind == "number":
            return tok.key in self.numbers
        key = str(tok.key)
        if key in _TERMS_OF_ART or key in self.idents or re.sub(r"[-./,]", "", key) in self.idents:
            return True
        return bool(tok.parts) and all(p in self.numbers for p in tok.parts)


@lru_cache(maxsize=32)
def _text_facts(text: str) -> Grounding:
    """The facts of one input text (newline-joined strings; no token pattern crosses a line).

    Cached by content: the drafting loop validates the same letter, case and passages
    several times. Callers must not change the returned index (``Grounding.union`` copies).
    """
    index = Grounding(blob=text)
    index.add_text(text)
    return index


def _walk(value: object, strings: list[str], dates: list[dt.date]) -> None:
    """Collect the strings and dates of a dumped model, recursively."""
    if isinstance(value, dt.date):
        dates.append(value)
        strings.append(value.isoformat())
    elif isinstance(value, str):
        strings.append(value)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        strings.append(str(value))
    elif isinstance(value, dict):
        for v in value.values():
            _walk(v, strings, dates)
    elif isinstance(value, list | tuple):
        for v in value:
            _walk(v, strings, dates)


# --------------------------------------------------------------------------- context


@dataclass
class Context:
    """What every check reads: the draft, its parsed letter, and lazily built indexes."""

    draft: Draft
    doc: Document

    @property
    def markdown(self) -> str:
        return self.doc.markdown

    @cached_property
    def folded(self) -> str:
        """The Markdown's compare form for prefiltered patterns (``pipeline.prefilter``)."""
        return fold(self.markdown)

    @cached_property
    def is_marked_draft(self) -> bool:
        return lf.DRAFT_BANNER in self.markdown

    @cached_property
    def retrieved(self) -> dict[str, Passage]:
        return {rp.passage.id: rp.passage for rp in self.draft.passages}

    @cached_property
    def cited_passages(self) -> list[Passage]:
        """Retrieved passages the References list names."""
        ids = {e.passage_id for e in self.doc.references}
        return [p for pid, p in self.retrieved.items() if pid in ids]

    @cached_property
    def cited_numbers(self) -> set[int]:
        return {n for c in self.doc.citations for n in c.numbers}

    @cached_property
    def case_values(self) -> tuple[list[str], list[dt.date]]:
        """The case file's strings and dates (one walk of its dump, read by several checks)."""
        strings: list[str] = []
        dates: list[dt.date] = []
        _walk(self.draft.case.model_dump(), strings, dates)
        return strings, dates

    @cached_property
    def grounding(self) -> Grounding:
        """Facts of the denial letter, case, analysis, cited passages and the run date."""
        d = self.draft
        case_strings, case_dates = self.case_values
        strings: list[str] = [d.letter_text, *case_strings]
        dates: list[dt.date] = [d.run.created, *case_dates]
        _walk(d.analysis.model_dump(), strings, dates)
        parts = [_text_facts("\n".join(strings))]
        for p in self.cited_passages:
            parts.append(_text_facts("\n".join([p.text, p.reference(), p.url, p.title, p.section])))
        index = Grounding.union(parts)
        for day in dates:
            index.add_date(day)
        return index

    @cached_property
    def masked_body(self) -> str:
        """The Markdown with structural numbers blanked: criterion numbers, citations, list and
        reference numbering, the References entries, (ref: ids) and [MISSING: ...] placeholders."""
        md = self.markdown
        spans: list[Span] = [m.span(1) for m in lf.CRITERION_HEADING_RE.finditer(md)]
        spans += [c.span for c in self.doc.citations]
        spans += [e.span for e in self.doc.references]
        spans += [m.span(1) for m in _LIST_NUMBER_RE.finditer(md)]
        spans += [m.span() for m in _REF_ID_RE.finditer(md)]
        spans += [m.span() for m in lf.PLACEHOLDER_RE.finditer(md)]
        return _blank(md, spans)

    @cached_property
    def icd10_allowed(self) -> set[str]:
        codes = [dx.code for dx in self.draft.case.diagnoses] + self.draft.analysis.icd10_codes
        return {normalize_icd10(c) for c in codes}

    @cached_property
    def service_codes_allowed(self) -> set[str]:
        """Codes the denial names, the case's service code and codes its service text names."""
        a, service = self.draft.analysis, self.draft.case.service
        codes = [*a.cpt_codes, *a.hcpcs_codes]
        if service.code:
            codes.append(service.code)
        for text in (service.description or "", service.details or ""):
            codes += [m.group(1) for regex in (CPT_RE, HCPCS_RE) for m in regex.finditer(text)]
        return {_norm_id(c) for c in codes}


Check = Callable[[Context], list[ValidationFinding]]


# --------------------------------------------------------------------------- checks: structure


def check_structure(ctx: Context) -> list[ValidationFinding]:
    """Every required section is present as ``## <name>``."""
    return [
        _finding("structure.missing_section", f"The letter has no '{lf.heading(name)}' section.")
        for name in lf.REQUIRED_SECTIONS
        if name not in ctx.doc.sections
    ]


# --------------------------------------------------------------------------- checks: NPI


def check_npi(ctx: Context) -> list[ValidationFinding]:
    """The NPI in the identification table and in the signature: present, valid, the case's."""
    expected = (ctx.draft.case.physician.npi or "").strip()
    places = (
        ("the identification table", ctx.doc.identification.get(lf.ID_NPI.casefold())),
        ("the signature block", ctx.doc.signature.get(lf.SIG_NPI.casefold())),
    )
    out = []
    for where, found in places:
        value = re.sub(r"[\s-]", "", found.value) if found else ""
        if not value or lf.PLACEHOLDER_RE.search(found.value if found else ""):
            out.append(_finding("npi.missing", f"No physician NPI in {where}."))
        elif not npi_is_valid(value):
            out.append(
                _finding(
                    "npi.invalid",
                    f"The NPI in {where} is not 10 digits with a valid check digit.",
                    span=found.span if found else None,
                    excerpt=found.value if found else None,
                )
            )
        elif expected and value != expected:
            out.append(
                _finding(
                    "npi.mismatch",
                    f"The NPI in {where} differs from the case file's physician NPI.",
                    span=found.span if found else None,
                    excerpt=found.value if found else None,
                )
            )
    return out


# --------------------------------------------------------------------------- checks: ICD-10


def _icd10_candidates(ctx: Context) -> Iterator[tuple[str, re.Match[str], bool]]:
    """(normalized code, match, in Diagnosis section) for every ICD-10-looking token.

    Outside the Diagnosis section a dotless three-character token counts only when it is a real
    category, so that "A1C" or "B12" are not taken for codes; reference ids are masked.
    """
    for m in ICD10_RE.finditer(ctx.masked_body):
        raw = m.group(1)
        in_dx = ctx.doc.in_section(lf.DIAGNOSIS, m.start())
        if ctx.doc.in_section(lf.REFERENCES, m.start()):
            continue
        if not in_dx and "." not in raw and not icd10_exists(raw):
            continue
        yield normalize_icd10(raw), m, in_dx


def check_icd10(ctx: Context) -> list[ValidationFinding]:
    """ICD-10-CM codes exist, are billable in the Diagnosis section, and come from the inputs."""
    out: list[ValidationFinding] = []
    seen: set[tuple[str, str]] = set()

    def add(code: str, key: str, message: str, m: re.Match[str]) -> None:
        if (code, key) not in seen:
            seen.add((code, key))
            out.append(_finding(code, message, span=m.span(1), excerpt=m.group(1)))

    dx_codes: set[str] = set()
    for code, m, in_dx in _icd10_candidates(ctx):
        if in_dx:
            dx_codes.add(code)
        if not icd10_exists(code):
            add("icd10.invalid", code, "An ICD-10-CM code in the letter is not in the code set.", m)
            continue
        if in_dx and not icd10_is_billable(code):
            add(
                "icd10.not_billable",
                code,
                "A diagnosis code is a category header, not a billable ICD-10-CM code.",
                m,
            )
        if code not in ctx.icd10_allowed:
            add(
                "icd10.mismatch",
                code,
                "An ICD-10-CM code in the letter is neither in the case file nor the denial.",
                m,
            )
    diagnoses = ctx.draft.case.diagnoses
    primary = normalize_icd10(diagnoses[0].code) if diagnoses else None
    if primary and lf.DIAGNOSIS in ctx.doc.sections and primary not in dx_codes:
        out.append(
            _finding(
                "icd10.missing",
                "The case's primary diagnosis code is not in the Diagnosis section.",
            )
        )
    return out


# --------------------------------------------------------------------------- checks: CPT/HCPCS


def check_service_codes(ctx: Context) -> list[ValidationFinding]:
    """CPT/HCPCS codes of the Requested service section are well-formed and from the inputs."""
    sec = ctx.doc.section(lf.REQUESTED_SERVICE)
    if sec is None:
        return []
    md, out = ctx.markdown, []
    for m in _CODE_LABEL_RE.finditer(md, sec.body_start, sec.end):
        token = m.group(1).rstrip(".")
        if not (is_cpt(token) or is_hcpcs(token)):
            out.append(
                _finding(
                    "code.invalid_format",
                    "A code labelled CPT/HCPCS is neither a CPT (5 digits or 4 + F/T/U) "
                    "nor a HCPCS Level II (letter + 4 digits) code.",
                    span=m.span(1),
                    excerpt=token,
                )
            )
    found: set[str] = set()
    seen: set[str] = set()
    for regex in (CPT_RE, HCPCS_RE):
        for m in regex.finditer(md, sec.body_start, sec.end):
            if m.start() > 0 and md[m.start() - 1] == "$":
                continue
            code = _norm_id(m.group(1))
            found.add(code)
            if code not in ctx.service_codes_allowed and code not in seen:
                seen.add(code)
                out.append(
                    _finding(
                        "code.not_in_inputs",
                        "A service code is named neither by the denial nor by the case file.",
                        span=m.span(1),
                        excerpt=m.group(1),
                    )
                )
    service = ctx.draft.case.service.code
    if service and _norm_id(service) not in found and _norm_id(service) not in _norm_id(sec.body):
        out.append(
            _finding("code.missing", "The case's service code is not in the Requested service.")
        )
    return out


# --------------------------------------------------------------------------- checks: table


def _treatment_kinds(ctx: Context) -> list[tuple[str, str]]:
    """(normalized name, kind) of the case's prior treatments, longest name first."""
    kinds = [(_norm_text(t.name), t.kind) for t in ctx.draft.case.prior_treatments]
    return sorted(kinds, key=lambda nk: -len(nk[0]))


def _is_medication_row(row: TreatmentRow, kinds: list[tuple[str, str]]) -> bool:
    """The case lists the row's treatment as a medication, or the row gives a dose."""
    name = row.cell("Treatment")
    dose = row.cell("Dose")
    cell = _norm_text(name.value) if name else ""
    for treatment, kind in kinds:
        if treatment and cell.startswith(treatment):
            if kind == "medication":
                return True
            break
    return dose is None or dose.value.strip().casefold() != lf.NOT_APPLICABLE


def check_doses(ctx: Context) -> list[ValidationFinding]:
    """Each medication row gives an amount with a unit and a frequency."""
    meds = _treatment_kinds(ctx)
    out = []
    for i, row in enumerate(ctx.doc.prior_rows, 1):
        if not _is_medication_row(row, meds):
            continue
        dose = row.cell("Dose")
        freq = row.cell("Frequency")
        if not (dose and _DOSE_RE.search(dose.value)):
            out.append(
                _finding(
                    "dose.missing_unit",
                    f"Prior-treatment row {i} (a medication) has no amount with a unit.",
                    span=dose.span if dose else row.span,
                )
            )
        freq_text = " ".join(
            c.value for c in (dose, freq) if c and c.value.casefold() != lf.NOT_APPLICABLE
        )
        if not _FREQUENCY_RE.search(freq_text):
            out.append(
                _finding(
                    "dose.missing_frequency",
                    f"Prior-treatment row {i} (a medication) has no frequency.",
                    span=freq.span if freq else row.span,
                )
            )
    return out


def _has_date_range(text: str) -> bool:
    """Two dates (or months, or years), or one with 'since' / 'ongoing' / 'present'."""
    marks = 0
    for tok in _keys(text):
        if tok.kind in ("date", "month") or (
            tok.kind == "number" and _YEAR_RE.fullmatch(str(tok.key))
        ):
            marks += 1
    return marks >= 2 or (marks == 1 and bool(_OPEN_RANGE_RE.search(text)))


def check_durations(ctx: Context) -> list[ValidationFinding]:
    """Each prior-treatment row gives a duration or a date range."""
    out = []
    for i, row in enumerate(ctx.doc.prior_rows, 1):
        cell = row.cell("Duration")
        text = cell.value if cell else ""
        if not (_DURATION_RE.search(text) or _has_date_range(text)):
            out.append(
                _finding(
                    "duration.missing",
                    f"Prior-treatment row {i} has no duration or date range.",
                    span=cell.span if cell else row.span,
                )
            )
    return out


# --------------------------------------------------------------------------- checks: peer-to-peer


def check_peer_to_peer(ctx: Context) -> list[ValidationFinding]:
    """A Peer-to-peer section offers a review and gives a phone number."""
    sec = ctx.doc.section(lf.PEER_TO_PEER)
    if sec is None or not _P2P_OFFER_RE.search(sec.body):
        return [_finding("p2p.missing", "The letter does not offer a peer-to-peer review.")]
    if not _PHONE_RE.search(sec.body):
        return [
            _finding(
                "p2p.no_phone",
                "The peer-to-peer offer gives no phone number.",
                span=(sec.start, sec.end),
            )
        ]
    return []


# --------------------------------------------------------------------------- checks: criteria


@dataclass(frozen=True)
class _CaseEvidence:
    names: re.Pattern[str] | None
    """One pattern for every treatment/finding name and value (normalized text)."""
    numbers: frozenset[str]
    dates: frozenset[dt.date]


def _case_evidence(ctx: Context) -> _CaseEvidence:
    """Concrete clinical facts of the case: treatment/finding names, values, numbers, dates."""
    case = ctx.draft.case
    names: list[str] = []
    texts: list[str] = [
        case.clinical_summary or "",
        case.service.details or "",
        case.consequences_of_denial or "",
        case.urgency_reason or "",
    ]
    dates: set[dt.date] = set()
    for t in case.prior_treatments:
        names.append(t.name)
        texts += [t.dose or "", t.frequency or "", t.duration or "", t.outcome_measure or ""]
        dates.update(d for d in (t.start, t.end) if d)
    for f in case.objective_findings:
        names += [f.name, f.value]
        texts.append(f.value)
        if f.date:
            dates.add(f.date)
    numbers = {
        _norm_number(run) for text in texts for run in _NUMBER_RUN_RE.findall(text) if len(run) >= 2
    }
    clean = sorted(
        {n for n in (_norm_text(n) for n in names) if len(n) >= 3}, key=len, reverse=True
    )
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, clean))})(?!\w)") if clean else None
    return _CaseEvidence(pattern, frozenset(numbers), frozenset(dates))


def _cites_evidence(text: str, evidence: _CaseEvidence) -> bool:
    if evidence.names and evidence.names.search(text):
        return True
    for tok in _keys(text):
        if tok.kind == "date" and tok.key in evidence.dates:
            return True
        if tok.kind == "number" and tok.key in evidence.numbers:
            return True
        if tok.kind == "ident" and any(p in evidence.numbers for p in tok.parts):
            return True
    return False


def check_criteria(ctx: Context) -> list[ValidationFinding]:
    """One section per cited criterion: quotes it, cites a reference, points at case evidence."""
    out = []
    evidence = _case_evidence(ctx)
    for n, criterion in enumerate(ctx.draft.analysis.criteria, 1):
        block = ctx.doc.criteria.get(n)
        if block is None:
            out.append(
                _finding(
                    "criteria.unanswered",
                    f"No '{lf.CRITERION_HEADING.format(number=n)}' section answers criterion {n}.",
                )
            )
            continue
        span = (block.start, block.end)
        wanted = _norm_text(criterion.text)
        body = _norm_text(block.body)
        if wanted not in _norm_text(block.heading + " " + block.body):
            out.append(
                _finding(
                    "criteria.unanswered",
                    f"Criterion {n}'s section does not state the criterion's text.",
                    span=span,
                    excerpt=block.heading,
                )
            )
        if not lf.CITATION_RE.search(block.body):
            out.append(
                _finding(
                    "criteria.no_citation",
                    f"Criterion {n}'s section cites no reference.",
                    span=span,
                    excerpt=block.heading,
                )
            )
        if not _cites_evidence(body.replace(wanted, " ", 1), evidence):
            out.append(
                _finding(
                    "criteria.no_evidence",
                    f"Criterion {n}'s section names no treatment, finding, date or value "
                    "from the case file.",
                    span=span,
                    excerpt=block.heading,
                )
            )
    return out


# --------------------------------------------------------------------------- checks: citations


def check_citations(ctx: Context) -> list[ValidationFinding]:
    """Citations resolve; references are retrieved passages, rendered exactly, and used."""
    out = []
    numbers = {e.number for e in ctx.doc.references}
    unresolved: set[int] = set()
    for c in ctx.doc.citations:
        for n in c.numbers:
            if n not in numbers and n not in unresolved:
                unresolved.add(n)
                out.append(
                    _finding(
                        "citation.unresolved",
                        f"Citation [{n}] has no entry in the References list.",
                        span=c.span,
                        excerpt=ctx.markdown[c.span[0] : c.span[1]],
                    )
                )
    for e in ctx.doc.references:
        passage = ctx.retrieved.get(e.passage_id or "")
        if passage is None:
            out.append(
                _finding(
                    "citation.not_retrieved",
                    f"Reference {e.number} is not one of the passages retrieved for this letter.",
                    span=e.span,
                    excerpt=e.passage_id or e.text,
                )
            )
        elif _norm_ws(e.text) != _norm_ws(passage.reference()):
            out.append(
                _finding(
                    "citation.reference_mismatch",
                    f"Reference {e.number} does not match the retrieved passage's citation.",
                    span=e.span,
                    excerpt=e.passage_id,
                )
            )
        if e.number not in ctx.cited_numbers:
            out.append(
                _finding(
                    "citation.unused",
                    f"Reference {e.number} is never cited in the letter.",
                    WARNING,
                    span=e.span,
                )
            )
    return out


def check_citation_versions(ctx: Context) -> list[ValidationFinding]:
    """A cited guideline's reference gives its version or year."""
    out = []
    for e in ctx.doc.references:
        passage = ctx.retrieved.get(e.passage_id or "")
        if passage and passage.kind == "guideline" and not _YEAR_RE.search(e.text):
            out.append(
                _finding(
                    "citation.no_version",
                    f"Reference {e.number} (a guideline) gives neither version nor year.",
                    WARNING,
                    span=e.span,
                    excerpt=e.passage_id,
                )
            )
    return out


# --------------------------------------------------------------------------- checks: grounding


_TOKEN_KIND_NAMES = {
    "date": "date",
    "month": "month",
    "phone": "phone number",
    "url": "URL",
    "number": "number",
    "ident": "code or number",
}


def check_grounding(ctx: Context) -> list[ValidationFinding]:
    """Every number, date, dose and code of the letter occurs in the inputs."""
    out = []
    index = ctx.grounding
    seen: set[tuple[str, object]] = set()
    for offset, tokens in _tokens_by_paragraph(ctx.masked_body):
        for tok in tokens:
            if (tok.kind, tok.key) in seen or index.supports(tok):
                continue
            seen.add((tok.kind, tok.key))
            out.append(
                _finding(
                    "grounding.unsupported_number",
                    f"A {_TOKEN_KIND_NAMES[tok.kind]} in the letter occurs in none of the inputs.",
                    span=(tok.start + offset, tok.end + offset),
                    excerpt=tok.text,
                )
            )
    return out


# --------------------------------------------------------------------------- checks: placeholders


def check_placeholders(ctx: Context) -> list[ValidationFinding]:
    """No placeholder is left; in a letter marked DRAFT they are warnings."""
    severity = WARNING if ctx.is_marked_draft else ERROR
    out = []
    for pattern in _PLACEHOLDER_RES:
        for m in pattern.finditer(ctx.markdown, ctx.folded):
            out.append(
                _finding(
                    "placeholder.left",
                    "A placeholder is left in the letter.",
                    severity,
                    span=m.span(),
                    excerpt=m.group(),
                )
            )
    return out


# --------------------------------------------------------------------------- checks: identity


def _contains(haystack_norm: str, needle: str | None) -> bool:
    return bool(needle) and _norm_text(needle) in haystack_norm


def check_identity(ctx: Context) -> list[ValidationFinding]:
    """Patient, member id, claim and insurer appear; the signature identifies the physician."""
    case, analysis, doc = ctx.draft.case, ctx.draft.analysis, ctx.doc
    letter = _norm_text(ctx.markdown)
    member = case.patient.member_id or analysis.member_id
    claim = case.claim_reference or analysis.claim_number
    out = []
    wanted = (
        ("patient name", case.patient.name),
        ("member id", member),
        ("claim reference", claim),
        ("health plan", case.insurer or analysis.insurer),
    )
    for what, value in wanted:
        if value and not _contains(letter, value):
            out.append(_finding("identity.missing", f"The {what} does not appear in the letter."))
    for label, value, what in (
        (lf.ID_MEMBER, member, "member id"),
        (lf.ID_CLAIM, claim, "claim reference"),
    ):
        cell = doc.identification.get(label.casefold())
        if (
            value
            and cell
            and not lf.PLACEHOLDER_RE.search(cell.value)
            and _norm_id(cell.value.strip("*`")) != _norm_id(value)
        ):
            out.append(
                _finding(
                    "identity.mismatch",
                    f"The {what} in the identification table differs from the inputs.",
                    span=cell.span,
                    excerpt=cell.value,
                )
            )
    out += _check_signature(ctx)
    return out


def _check_signature(ctx: Context) -> list[ValidationFinding]:
    physician = ctx.draft.case.physician
    sec = ctx.doc.section(lf.SIGNATURE)
    if sec is None:
        return []
    body = _norm_text(sec.body)
    out = []
    for what, value in (("physician name", physician.name), ("credentials", physician.credentials)):
        if value and not _contains(body, value):
            out.append(_finding("identity.missing", f"The signature block lacks the {what}."))
    licence = ctx.doc.signature.get(lf.SIG_LICENSE.casefold())
    if licence is None or not licence.value.strip():
        out.append(_finding("identity.missing", "The signature block lacks the state licence."))
    return out


# --------------------------------------------------------------------------- checks: injection


def check_injection(ctx: Context) -> list[ValidationFinding]:
    """Nothing the denial letter addressed to a model reaches the letter: no model-directed
    phrase ('ignore previous instructions', a role marker, an APPROVED verdict), no passage of
    the denial's injected parts and no id that only they hold (``pipeline.injection``)."""
    d = ctx.draft
    trusted = [*ctx.case_values[0]]
    trusted += [rp.passage.text for rp in d.passages] + [rp.passage.title for rp in d.passages]
    spans = instruction_spans(ctx.markdown) + echo_spans(d.letter_text, ctx.markdown, trusted)
    return [
        _finding(
            "injection.echo",
            "The letter repeats an instruction addressed to a model, or text from an injected "
            "part of the denial letter; remove it.",
            span=span,
        )
        for span in sorted(set(spans))
    ]


# --------------------------------------------------------------------------- checks: prose


def check_consequences(ctx: Context) -> list[ValidationFinding]:
    """The Consequences of denial section says something substantive."""
    sec = ctx.doc.section(lf.CONSEQUENCES)
    if sec is None:
        return []  # structure.missing_section reports it
    if len(_WORD_RE.findall(lf.PLACEHOLDER_RE.sub(" ", sec.body))) < CONSEQUENCES_MIN_WORDS:
        return [
            _finding(
                "consequences.missing",
                "The Consequences of denial section is empty or too short to be substantive.",
                span=(sec.start, sec.end),
            )
        ]
    return []


@lru_cache(maxsize=16)
def _quoted(letter_text: str) -> str:
    """The denial letter, whitespace-normalized (cached: each validation of a draft asks)."""
    return _norm_ws(letter_text)


def check_tone(ctx: Context) -> list[ValidationFinding]:
    """Warn on emotional words, shouting in capitals and exclamation marks."""
    md, out = ctx.markdown, []
    seen: set[str] = set()
    for m in _EMOTIONAL_RE.finditer(md, ctx.folded):
        word = _norm_ws(m.group()).casefold()
        if word not in seen:
            seen.add(word)
            out.append(
                _finding(
                    "tone.emotional",
                    "Emotional wording weakens an appeal; keep the tone clinical.",
                    WARNING,
                    span=m.span(),
                    excerpt=m.group(),
                )
            )
    # Capitals quoted from the denial letter are the payer's, not the letter's own shouting.
    shouts = _SHOUTING_RE.finditer(md)
    letter = ctx.draft.letter_text
    shout = next((m for m in shouts if _norm_ws(m.group()) not in _quoted(letter)), None)
    if shout:
        out.append(
            _finding(
                "tone.emotional",
                "A run of words in capitals reads as shouting.",
                WARNING,
                span=shout.span(),
            )
        )
    bangs = list(_EXCLAMATION_RE.finditer(md))
    if len(bangs) > MAX_EXCLAMATIONS or "!!" in md:
        out.append(
            _finding(
                "tone.emotional",
                "Exclamation marks read as emotional; remove them.",
                WARNING,
                span=bangs[0].span() if bangs else None,
            )
        )
    return out


def check_length(ctx: Context) -> list[ValidationFinding]:
    """Warn when the body (without references) runs past about three pages."""
    refs = ctx.doc.section(lf.REFERENCES)
    body = ctx.markdown[: refs.start] + ctx.markdown[refs.end :] if refs else ctx.markdown
    words = len(body.split())
    if words > MAX_BODY_WORDS:
        return [
            _finding(
                "length.over_three_pages",
                f"The letter runs to about {words} words; reviewers read about three pages "
                f"(~{MAX_BODY_WORDS} words).",
                WARNING,
            )
        ]
    return []


# --------------------------------------------------------------------------- entry points


CHECKS: tuple[Check, ...] = (
    check_structure,
    check_npi,
    check_icd10,
    check_service_codes,
    check_doses,
    check_durations,
    check_peer_to_peer,
    check_criteria,
    check_citations,
    check_citation_versions,
    check_grounding,
    check_placeholders,
    check_identity,
    check_consequences,
    check_tone,
    check_length,
    check_injection,
)
"""Every check, in report order."""

SECTION_CHECKS: tuple[Check, ...] = (
    check_icd10,
    check_criteria,
    check_citations,
    check_grounding,
    check_placeholders,
    check_injection,
)
"""The checks whose errors can fall inside a criterion's section. The others read the
identification table, the signature, the treatment table or other sections, or only warn
(``tests/test_validate.py`` holds them to that)."""


def _run(ctx: Context, checks: Iterable[Check]) -> list[ValidationFinding]:
    """The findings of ``checks``. A check that fails on malformed input is reported as a
    ``validator.internal_error`` finding (an error: the letter could not be fully checked)."""
    findings: list[ValidationFinding] = []
    for check in checks:
        try:
            findings.extend(check(ctx))
        except Exception as exc:  # one broken check must not hide the others
            findings.append(
                _finding(
                    "validator.internal_error",
                    f"{check.__name__} failed ({type(exc).__name__}); the letter was not fully "
                    "checked.",
                )
            )
    return findings


def validate(draft: Draft) -> ValidationReport:
    """Run every check of :data:`CHECKS` on ``draft.markdown`` and return the findings."""
    ctx = Context(draft=draft, doc=parse_document(draft.markdown))
    return ValidationReport(findings=_run(ctx, CHECKS))


def criterion_errors(draft: Draft) -> list[tuple[int, ValidationFinding]]:
    """(criterion number, error) for each error inside a criterion's section: what a drafting
    loop tells the model after a round. Runs :data:`SECTION_CHECKS` only; the final
    :func:`validate` runs them all."""
    ctx = Context(draft=draft, doc=parse_document(draft.markdown))
    blocks = ctx.doc.criteria.items()
    return [
        (number, finding)
        for finding in _run(ctx, SECTION_CHECKS)
        if finding.severity == ERROR and finding.span is not None
        for number, block in blocks
        if block.start <= finding.span[0] < block.end
    ]


def validate_markdown(markdown: str, template: Draft) -> ValidationReport:
    """Validate a (hand-edited) letter against the context of the draft it came from."""
    return validate(template.model_copy(update={"markdown": markdown, "validation": None}))


def clear_caches() -> None:
    """Forget the facts, tokens and normalized texts cached by content (for benchmarks)."""
    for cached in (_text_facts, _paragraph_tokens, _norm_text, _quoted):
        cached.cache_clear()
