"""The items a notice decides one by one: the rows of its item table, the parts it heads per item
('Service 2 of 3', 'REQUEST #4'), the lines of a claim. Each becomes a
:class:`~pipeline.models.DenialItem` with its codes, quantity, decision and grounds, and the
criteria read under its ground are tied to it (the part that names it: 'GROUND 2 (Item B: ...)',
'Reason for lines 02 and 03'). How notices lay items out is data (``items.yaml``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .claim_lines import denial_on, paid_line, partial_line
from .codes import CPT_RE, HCPCS_RE, is_cpt, is_hcpcs
from .fileio import load_yaml
from .models import Criterion, DenialItem, ItemDecision, ItemGround, RequestedService
from .text import literal
from .text.dates import find_dates
from .text.sentences import split_sentences

RULES_FILE = Path(__file__).with_name("items.yaml")


class ItemRules(BaseModel):
    """items.yaml, as data."""

    model_config = ConfigDict(extra="forbid")
    headings: list[str]
    item_columns: list[str]
    code_columns: list[str]
    line_columns: list[str]
    date_columns: list[str]
    units_columns: list[str]
    billed_columns: list[str]
    remark_columns: list[str]
    allowed_note: str
    allowed_words: str
    references: list[str]
    ends: list[str]
    decisions: dict[ItemDecision, list[str]]
    grounds: dict[ItemGround, list[str]]
    quantities: list[str]
    fills: str
    limits: list[str]
    approved_quantity: list[str]
    periods: list[str]
    findings: list[str]
    span_dates: list[str]
    span_days: list[str]
    span_levels: list[str]
    span_decisions: list[str]
    revenue_list: str
    prose_marker: str
    offered: list[str]
    requests: list[str]
    experimental_evidence: dict[str, list[str]]


def _any(patterns: Iterable[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """One pattern matching any of ``patterns`` (a column's header names, a ground's words)."""
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


@dataclass(frozen=True)
class _Rules:
    headings: tuple[re.Pattern[str], ...]
    item_column: re.Pattern[str]
    code_column: re.Pattern[str]
    line_column: re.Pattern[str]
    date_column: re.Pattern[str]
    units_column: re.Pattern[str]
    billed_column: re.Pattern[str]
    remark_column: re.Pattern[str]
    allowed_note: re.Pattern[str]
    allowed_words: re.Pattern[str]
    reference: re.Pattern[str]
    end: re.Pattern[str]
    decisions: tuple[tuple[ItemDecision, re.Pattern[str]], ...]
    grounds: tuple[tuple[ItemGround, re.Pattern[str]], ...]
    quantities: tuple[re.Pattern[str], ...]
    fills: re.Pattern[str]
    limits: tuple[re.Pattern[str], ...]
    approved: tuple[re.Pattern[str], ...]
    periods: tuple[re.Pattern[str], ...]
    finding: re.Pattern[str]
    span_dates: re.Pattern[str]
    span_days: re.Pattern[str]
    span_level: re.Pattern[str]
    span_decision: re.Pattern[str]
    revenue_list: re.Pattern[str]
    prose_marker: re.Pattern[str]
    offered: re.Pattern[str]
    requests: re.Pattern[str]
    evidence: tuple[tuple[str, re.Pattern[str]], ...]


@cache
def _rules() -> _Rules:
    rules = ItemRules.model_validate(load_yaml(RULES_FILE.read_text(encoding="utf-8")))
    flags = re.IGNORECASE | re.MULTILINE

    def each(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, flags) for p in patterns)

    return _Rules(
        headings=each(rules.headings),
        item_column=_any(rules.item_columns),
        code_column=_any(rules.code_columns),
        line_column=_any(rules.line_columns),
        date_column=_any(rules.date_columns),
        units_column=_any(rules.units_columns),
        billed_column=_any(rules.billed_columns),
        remark_column=_any(rules.remark_columns),
        allowed_note=re.compile(rules.allowed_note, re.IGNORECASE),
        allowed_words=re.compile(rules.allowed_words, re.IGNORECASE),
        reference=_any(rules.references),
        # the all-capitals heading is matched as written (case-sensitive), the others not
        end=re.compile(
            "|".join([f"(?:{rules.ends[0]})", *(f"(?i:{p})" for p in rules.ends[1:])]),
            re.MULTILINE,
        ),
        decisions=tuple((d, _any(p)) for d, p in rules.decisions.items()),
        grounds=tuple((g, _any(p)) for g, p in rules.grounds.items()),
        quantities=each(rules.quantities),
        fills=re.compile(rules.fills, flags),
        limits=each(rules.limits),
        approved=each(rules.approved_quantity),
        periods=each(rules.periods),
        finding=_any(rules.findings),
        span_dates=_any(rules.span_dates),
        span_days=_any(rules.span_days),
        span_level=_any(rules.span_levels),
        span_decision=_any(rules.span_decisions),
        revenue_list=re.compile(rules.revenue_list, re.IGNORECASE),
        prose_marker=re.compile(rules.prose_marker, re.IGNORECASE),
        offered=_any(rules.offered),
        requests=_any(rules.requests),
        evidence=tuple((k, _any(p)) for k, p in rules.experimental_evidence.items()),
    )


# --------------------------------------------------------------------------- cells

_CELL_CODE_RE = re.compile(
    r"^(?:(?i:rev(?:enue)?(?:[ \t]+code)?\.?)[ \t]*(?P<revenue>0\d{3})"
    r"|(?P<code>\d{5}|\d{4}[FTU]|[A-HJ-NP-V]\d{4})(?:-(?P<mod>[0-9A-Z]{2}))?)(?:\s|$)"
)
"""A code cell: a CPT or HCPCS code (its modifier aside), or a revenue code named as one ('Rev
0120')."""
_NDC_RE = re.compile(r"(?<![\d-])\d{4,5}-\d{3,4}-\d{1,2}(?![\d-])")
_RULE_LINE_RE = re.compile(r"^[ \t]*[-=+|_ \t]{5,}$")
_COUNT_RE = re.compile(
    r"^(?P<n>\d{1,3}(?:,\d{3})+|\d{1,5})(?:\s+(?P<unit>units?|sessions?|visits?|hours?))?$",
    re.IGNORECASE,
)
_TOTAL_RE = re.compile(
    r"(?:=|\()[ \t]*(?P<n>\d{1,3}(?:,\d{3})+|\d{1,5})(?:[ \t]+units?)?[ \t]*\)?$"
)
"""A count cell's stated total: '10 per month x 12 months (120)', '... = 1,800 units'."""
_TIMES_OVER_RE = re.compile(
    r"^(?P<n>\d{1,4})[ \t]+(?:[a-z]+[ \t]+)?per[ \t]+(?:day|week|month|visit|dose)[ \t]*[x×][ \t]*"
    r"(?P<m>\d{1,3})\b",
    re.IGNORECASE,
)
"""A count cell's rate over a number of periods ('10 per month x 12'): their product."""
_RANGE_RE = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}(?:[ \t]*[-–][ \t]*(?:\d{1,2}/\d{1,2}/\d{2,4})?)?")
_AMOUNT_RE = re.compile(r"^\$?\s*\d{1,3}(?:,\d{3})*(?:\.\d{2})?$")
_REMARK_RE = re.compile(r"\b(?:(?:CO|OA|PI|PR|CR)-?\s?[A-Z]?\d{1,3}|[MN]A?\d{1,3})\b")


@dataclass(frozen=True)
class _Segment:
    start: int
    end: int
    text: str


def _segments(line: str) -> list[_Segment]:
    """A table line's cells with their columns: between bars in a '|' line, else words one
    space apart in a space-aligned one."""
    line = line.expandtabs(8)
    if "|" in line:
        found: list[_Segment] = []
        at = 0
        for piece in line.split("|"):
            stripped = piece.strip()
            if stripped:
                lead = len(piece) - len(piece.lstrip())
                found.append(_Segment(at + lead, at + lead + len(stripped), stripped))
            at += len(piece) + 1
        return found
    return [_Segment(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", line)]


@dataclass
class _Header:
    names: list[str]
    spans: list[tuple[int, int]]
    pieces: int = 0
    """A '|' header's count of pieces between bars (0 for a space-aligned one)."""
    slots: tuple[int, ...] = ()
    """A '|' header's piece index of each named column."""

    def place(self, segment: _Segment) -> int:
        """The column a cell stands under: the header it overlaps most, else the nearest."""
        overlaps = [min(e, segment.end) - max(s, segment.start) for s, e in self.spans]
        best = max(range(len(overlaps)), key=lambda i: overlaps[i])
        if overlaps[best] > 0:
            return best
        return min(range(len(self.spans)), key=lambda i: abs(self.spans[i][0] - segment.start))

    def cells(self, line: str) -> list[str]:
        pieces = line.split("|")
        if self.pieces and len(pieces) == self.pieces:
            # a '|' row with as many cells as its header: by place (a grid table written one
            # line a row keeps no column under its header)
            kept = [p.strip() for p in pieces]
            return [kept[i] for i in self.slots]
        out = [""] * len(self.names)
        for segment in _segments(line):
            for part in self.split(segment):
                i = self.place(part)
                out[i] = f"{out[i]} {part.text}".strip()
        return out

    def split(self, segment: _Segment) -> list[_Segment]:
        """A cell run into the next one by a single space ('08/12/2026 64615' under 'DOS' and
        'PROC'): its words apart when each word stands under a column of its own and under no
        other, else the segment whole ('(allowed 19)' under 'UNITS' and 'BILLED' is one
        cell)."""
        words = [
            _Segment(segment.start + w.start(), segment.start + w.end(), w.group())
            for w in re.finditer(r"\S+", segment.text)
        ]
        if len(words) < 2:
            return [segment]
        under = [
            [i for i, (s, e) in enumerate(self.spans) if min(e, w.end) > max(s, w.start)]
            for w in words
        ]
        if any(len(u) != 1 for u in under) or len({u[0] for u in under}) != len(words):
            return [segment]
        return words

    def find(self, pattern: re.Pattern[str], *, last: bool = False, skip: int = -1) -> int:
        hits = [i for i, n in enumerate(self.names) if i != skip and pattern.fullmatch(n)]
        if not hits:
            return -1
        return hits[-1] if last else hits[0]


def _header(line: str) -> _Header | None:
    segments = _segments(line)
    if len(segments) < 3:
        return None
    header = _Header([s.text.lower() for s in segments], [(s.start, s.end) for s in segments])
    if "|" in line:
        pieces = line.split("|")
        slots = tuple(i for i, p in enumerate(pieces) if p.strip())
        if len(slots) == len(segments):
            header.pieces, header.slots = len(pieces), slots
    return header


def _merge_header(header: _Header, line: str) -> None:
    """A header's second line ('| | paid | owes |' under 'TRICARE | Benef.'): its words join the
    names of the columns they stand under."""
    for segment in _segments(line):
        i = header.place(segment)
        header.names[i] = f"{header.names[i]} {segment.text.lower()}".strip()


# --------------------------------------------------------------------------- line tables


def _count(cell: str) -> int | None:
    found = _COUNT_RE.match(cell.strip())
    return int(found["n"].replace(",", "")) if found else None


def _units_of(cell: str) -> int | None:
    """A count cell with its wrapped lines ('10 per month x 12' / 'months (120)', '28 sessions'
    / '11/16/2026 -' / '05/30/2027'): the total it states, else its rate times its periods,
    else its count (its dates aside), else its count per administration ('60 units per
    visit'); None when it is none of these."""
    flat = " ".join(_RANGE_RE.sub(" ", cell).split()).strip(" -")
    if total := _TOTAL_RE.search(flat):
        return int(total["n"].replace(",", ""))
    if over := _TIMES_OVER_RE.match(flat):
        return int(over["n"]) * int(over["m"])
    if each := _EACH_RE.match(flat):
        return int(each["n"])
    return _count(_NOTE_RE.sub("", flat))


_EACH_RE = re.compile(
    r"^(?P<n>\d{1,5})(?:[ \t]+units?)?[ \t]+(?:per|each|/)[ \t]*(?:visit|session|dose|injection|"
    r"infusion|treatment|administration)$",
    re.IGNORECASE,
)
"""A count per administration ('1 per visit', '60 units per visit'): the units of one."""
_LEADER_RE = re.compile(r"[ \t]+\.{2,}[ \t]*(?P<q>[^\n]*?)[ \t]*$", re.MULTILINE)
"""A dotted leader and the quantity it leads to ('.......... 300 units per month x 6 months =
1,800 units')."""


def leader_units(item: str) -> int | None:
    """The units a code's own item states after a dotted leader, the first such quantity
    (:func:`_units_of`: a stated total, a rate times its periods, a count, a count per
    administration); None when the item has no leader or its quantity is none of these."""
    found = _LEADER_RE.search(item)
    return _units_of(found["q"]) if found else None


def _decision_of(words: str) -> ItemDecision | None:
    for decision, pattern in _rules().decisions:
        if pattern.search(words):
            return decision
    return None


def _grounds_of(words: str) -> list[ItemGround]:
    """The grounds ``words`` state, in the order the notice states them; criteria read under a
    quantity limit are its exception's (the limit is the ground)."""
    words = " ".join(words.split())  # a ground's words wrapped over two lines are one phrase
    found: list[tuple[int, ItemGround]] = []
    for ground, pattern in _rules().grounds:
        if m := pattern.search(words):
            found.append((m.start(), ground))
    grounds = [g for _, g in sorted(found, key=lambda f: f[0])]
    if ItemGround.quantity_limit in grounds and ItemGround.criteria in grounds:
        grounds.remove(ItemGround.criteria)
    return grounds


@dataclass
class _Read:
    """An item as read, with where its words stand in the notice."""

    item: DenialItem
    spans: list[tuple[int, int]]
    heads: list[str]
    cells: list[str] = field(default_factory=list)
    """A table row's cells, each with its wrapped lines' words ('10 per month x 12' over
    'months (120)')."""
    """The words that head its parts or state its decision ('GROUND 2 - PRIOR AUTHORIZATION
    CRITERIA NOT MET', 'DENIED - not a covered benefit', a line's remark codes): its grounds are
    read there first, before the rest of its parts' words."""


def _offsets(lines: Sequence[str]) -> list[int]:
    at, out = 0, []
    for line in lines:
        out.append(at)
        at += len(line) + 1
    return out


def _line_items(text: str) -> list[_Read]:
    """The rows of every table with a code column and a line, date, units or billed column: one
    item per row with a code in its code column (a claim's lines, a request's lines)."""
    code_column = _rules().code_column
    lines = text.split("\n")
    offsets = _offsets(lines)
    found: list[_Read] = []
    i = 0
    while i < len(lines):
        header = _header(lines[i])
        code_at = header.find(code_column) if header else -1
        if header is not None and code_at >= 0:
            rows, i = _table_rows(header, code_at, lines, i + 1, offsets)
            found += rows
        else:
            i += 1
    return found


def _table_rows(
    header: _Header, code_at: int, lines: list[str], first: int, offsets: list[int]
) -> tuple[list[_Read], int]:
    """The table's rows from line ``first``, and the index of the line after them."""
    rules = _rules()
    others = [
        header.find(p)
        for p in (rules.line_column, rules.date_column, rules.units_column, rules.billed_column)
    ]
    if not any(i >= 0 for i in others):
        return [], first
    line_at, date_at, units_at, billed_at = others
    remark_at = [
        i for i, n in enumerate(header.names) if i != code_at and rules.remark_column.fullmatch(n)
    ]
    rows: list[_Read] = []
    blank = 0
    k = first
    while k < len(lines):
        line = lines[k]
        if not line.strip():
            blank += 1
            if blank > 1 or rows:
                break
            k += 1
            continue
        if _RULE_LINE_RE.match(line):
            k += 1
            continue
        cells = header.cells(line)
        code = _CELL_CODE_RE.match(cells[code_at] + " ")
        if code is None:
            if not rows and not any(_CELL_CODE_RE.match(c + " ") for c in cells):
                _merge_header(header, line)  # the header's second line
                k += 1
                continue
            if rows and any(c for c in cells) and _segments(line)[0].start > 0:
                # a wrapped line of the row above (its description goes on, a reduction's
                # adjustment code and allowed units stand under its own), or the totals
                rows[-1] = _wrapped(header, rows[-1], cells, (units_at, remark_at), line)
                k += 1
                continue
            break
        columns = (line_at, date_at, units_at, billed_at)
        rows.append(_row_item(header, cells, line, code, columns, remark_at, offsets[k]))
        k += 1
    return [_counted(header, r, units_at) for r in rows], max(k, first)


def _wrapped(
    header: _Header, read: _Read, cells: list[str], at: tuple[int, list[int]], line: str
) -> _Read:
    """The row with its wrapped line's words added: its description's (a line under it that
    continues its description cell, 'anterior approach, including discectomy,'), at most 300
    characters; the adjustment codes under its remark columns ('CO-198' of a reduction); the
    units allowed noted under its units ('(allowed 19)'), which make a line the plan paid and
    reduced with a denial code approved in part."""
    units_at, remark_at = at
    item = read.item
    update: dict[str, object] = {}
    more = " ".join(
        c for n, c in zip(header.names, cells, strict=False) if c and _is_description(n)
    )
    said = item.description
    if more and said is not None and len(said) < 300:
        update["description"] = f"{said} {more}"[:300]
    remarks = [r for i in remark_at for r in _REMARK_RE.findall(cells[i])]
    if remarks and item.service_date is not None:
        update["remarks"] = list(dict.fromkeys([*item.remarks, *remarks]))
        if item.decision is ItemDecision.approved and denial_on(line):
            update["decision"] = ItemDecision.denied  # a reduction's code under a paid line
    if units_at >= 0 and (note := _rules().allowed_note.match(cells[units_at].strip())):
        update["approved"] = int(note["n"])
    joined = [f"{a} {b}".strip() for a, b in zip(read.cells, cells, strict=False)]
    if not update:
        return _Read(item, read.spans, read.heads, joined)
    item = _settled(item.model_copy(update=update))
    return _Read(item, read.spans, [*read.heads, " ".join(item.remarks)], joined)


def _settled(item: DenialItem) -> DenialItem:
    """A claim line whose units the plan allowed in part (0 < allowed < billed) and that it did
    not pay in full: approved in part, the rest denied; ``approved`` dropped when it is no
    part of the units."""
    if item.approved is None or item.quantity is None:
        return item
    if item.decision is not ItemDecision.approved and 0 < item.approved < item.quantity:
        return item.model_copy(update={"decision": ItemDecision.partial})
    if item.decision is ItemDecision.partial:
        return item
    return item.model_copy(update={"approved": None})


def _is_description(name: str) -> bool:
    rules = _rules()
    return bool(_DESCRIPTION_COLUMN_RE.search(name)) and not (
        rules.code_column.fullmatch(name) or rules.date_column.fullmatch(name)
    )


_NOTE_RE = re.compile(r"\s*\([^()]*\)\s*$")


def _amount(cell: str) -> float | None:
    cell = cell.strip().lstrip("$").strip()
    return float(cell.replace(",", "")) if _AMOUNT_RE.match(cell) and cell else None


def _nothing_billed(cells: list[str], billed_at: int) -> bool:
    """A line billed at zero (a wastage or informational line): nothing to appeal."""
    return billed_at >= 0 and _amount(cells[billed_at]) == 0


_DESCRIPTION_COLUMN_RE = re.compile(r"desc|service|item|procedure name|drug|product", re.I)


def _row_item(
    header: _Header,
    cells: list[str],
    line: str,
    code: re.Match[str],
    at: tuple[int, int, int, int],
    remark_at: list[int],
    offset: int,
) -> _Read:
    line_at, date_at, units_at, billed_at = at
    named = dict(zip(header.names, cells, strict=False))
    status = next(
        (v for n, v in named.items() if re.search(r"status|decision|determination", n)), ""
    )
    approved_cell = next(
        (
            v
            for n, v in named.items()
            if re.search(r"\b(?:approved|allowed|authori[sz]ed)\b", n)
            and re.search(r"\b(?:qty|units?|quantity)\b", n)
        ),
        "",
    )
    units = _count(_NOTE_RE.sub("", cells[units_at])) if units_at >= 0 else None
    said = _COUNT_RE.match(_NOTE_RE.sub("", cells[units_at]).strip()) if units_at >= 0 else None
    unit = (said["unit"] or "units").lower() if said else "units"
    unit = unit if unit.endswith("s") else f"{unit}s"
    approved = _count(approved_cell)
    noted = _NOTE_RE.search(cells[units_at]) if units_at >= 0 else None
    if (
        approved is None
        and noted
        and (allowed := _rules().allowed_note.match(noted.group().strip()))
    ):
        approved = int(allowed["n"])  # '25 (allowed 19)'

    decision = _decision_of(status) if status else None
    # a count cell's note aside ('2,080 units (20 h/week)')
    part = partial_line({n: _NOTE_RE.sub("", v) for n, v in named.items()})
    if decision is None and part is not None:  # 'Approved 1,600 units | Denied 400 units'
        decision = (
            ItemDecision.approved
            if not part.denied
            else ItemDecision.partial
            if part.approved
            else ItemDecision.denied
        )
        approved = part.approved
    if decision is None:
        decision = (
            ItemDecision.approved
            if paid_line(named, line) or (not denial_on(line) and _nothing_billed(cells, at[3]))
            else ItemDecision.denied
        )
    if (
        approved is not None
        and units is not None
        and decision is not ItemDecision.approved
        and 0 < approved < units
    ):
        decision = ItemDecision.partial
    dates = [(d, 0) for d in _dates(cells[date_at])] if date_at >= 0 else []
    remarks = [r for i in remark_at for r in _REMARK_RE.findall(cells[i])]
    billed = cells[billed_at] if billed_at >= 0 and _AMOUNT_RE.match(cells[billed_at]) else None
    # a request's line dated from-to, billed nothing, remarked nothing: the dates it asks for,
    # not a claim's date of service
    ranged = len(dates) >= 2 and billed_at < 0 and not remark_at and dates[-1][0] > dates[0][0]
    mods = [code["mod"]] if code["mod"] else []
    mods += [
        m
        for n, v in named.items()
        if re.fullmatch(r"mod(?:ifiers?|s)?\.?", n)
        for m in re.split(r"[\s,/-]+", v)
        if re.fullmatch(r"[0-9A-Z]{2}", m) and m not in mods
    ]
    period = " ".join(cells[date_at].split())[:80] if ranged else None
    words = " ".join(c for n, c in named.items() if _is_description(n))
    item = DenialItem(
        label=_label(cells[line_at]) if line_at >= 0 else None,
        description=" ".join(words.split())[:300] or None,
        codes=[code["code"] or code["revenue"]],
        line=True,
        quantity=units,
        unit=unit if units is not None else None,
        approved=_part(approved, units) if decision is ItemDecision.partial else None,
        period=period,
        start=dates[0][0] if ranged else None,
        end=dates[-1][0] if ranged else None,
        service_date=dates[0][0] if dates and not ranged else None,
        billed=billed,
        remarks=remarks,
        modifiers=mods,
        decision=decision,
    )
    return _Read(item, [(offset, offset + len(line))], [" ".join(remarks), status], list(cells))


def _counted(header: _Header, read: _Read, units_at: int) -> _Read:
    """A row once its wrapped lines are read: its quantity from its whole units cell when its
    first line gave none ('10 per month x 12' / 'months (120)': 120); for a row approved in
    part, the dates of its denied part, from its not-approved cell ('20 sessions' /
    '01/11/2027 -' / '05/30/2027')."""
    item = read.item
    update: dict[str, object] = {}
    whole = _units_of(read.cells[units_at]) if units_at >= 0 and read.cells else None
    if item.quantity is None and whole is not None:
        update.update(quantity=whole, unit="units")
    denied_at = header.find(_NOT_APPROVED_NAME_RE)
    if item.decision is ItemDecision.partial and denied_at >= 0 and read.cells:
        dates = _dates(read.cells[denied_at])
        if len(dates) >= 2 and dates[0] < dates[-1]:
            start, end = dates[0], dates[-1]
            update.update(start=start, end=end, period=f"{start:%m/%d/%Y} - {end:%m/%d/%Y}")
    if not update:
        return read
    return _Read(item.model_copy(update=update), read.spans, read.heads, read.cells)


_NOT_APPROVED_NAME_RE = re.compile(
    r"(?:units?\s+)?(?:denied|not\s+approved|not\s+authori[sz]ed|not\s+certified)(?:\s+units?)?",
    re.IGNORECASE,
)
"""The header of a partial approval's column of what it did not approve."""


_DENIED_DATES_RE = re.compile(
    r"\b(?:units?|visits?|sessions?|days?|services?)[ \t]+(?:that[ \t]+(?:were|are)[ \t]+)?"
    r"(?:denied|not[ \t]+approved|not[ \t]+authori[sz]ed)[ \t]+(?:were|are|is|was)[ \t]+"
    r"(?:for|from)[ \t]+(?P<dates>[^.;]{6,60})",
    re.IGNORECASE,
)
"""The notice's words on the dates of what it did not approve ('The units denied were for
12/01/2026 through 01/15/2027')."""


def _denied_dates_in_words(text: str, reads: list[_Read]) -> None:
    """The dates of the denied part of a request's lines approved in part, when the notice
    states them once in words for all of them and no line gives its own: each such line's
    start and end."""
    partial = [r for r in reads if r.item.decision is ItemDecision.partial and r.item.line]
    if not partial or any(r.item.service_date for r in reads):
        return
    found = [m for m in _DENIED_DATES_RE.finditer(" ".join(text.split()))]
    if len(found) != 1:
        return
    dates = _dates(found[0]["dates"])
    if len(dates) < 2 or dates[0] >= dates[-1]:
        return
    start, end = dates[0], dates[-1]
    for read in partial:
        if read.item.start is None or read.item.start < start <= (read.item.end or start):
            period = f"{start:%m/%d/%Y} - {end:%m/%d/%Y}"
            read.item = read.item.model_copy(update={"start": start, "end": end, "period": period})


def _allowed_in_words(text: str, reads: list[_Read]) -> None:
    """The units the notice's words say a claim line was allowed ('Line 2: 45 units billed;
    35 units allowed', 'Line 2 was reduced to 155 units'): such a line the plan did not pay in
    full is approved in part."""
    for m in _rules().allowed_words.finditer(text):
        n = int(m["n"] or m["to"] or m["of"])
        for read in reads:
            item = read.item
            if item.service_date is None or _key(item.label) != _key(m["label"]):
                continue
            if item.approved is None and item.decision is not ItemDecision.approved:
                read.item = _settled(item.model_copy(update={"approved": n}))


def _label(cell: str) -> str | None:
    """A line cell's label: its leading token ('1' of '1 (ICN 26-1187-330415-01, corrected
    claim)'), at most 40 characters."""
    found = re.match(r"[^\s(,;]{1,40}", cell.strip())
    return found.group() if found else None


# --------------------------------------------------------------------------- headed items

_REFERENCE_COLUMN_RE = re.compile(r"^(?:ref|reference|auth|authori[sz]ation|case)\b", re.I)
_LABEL_ROW_RE = re.compile(r"^[ \t]{0,6}(?P<label>[A-H]|\d{1,2})[ \t]{2,}\S")


def _table_items(text: str, codes: set[str]) -> list[_Read]:
    """The rows of an item table ('Item  Reference  Service requested  Decision', rows 'A  ...'
    wrapped over lines): one item per label."""
    rules = _rules()
    lines = text.split("\n")
    offsets = _offsets(lines)
    for i, line in enumerate(lines):
        header = _header(line)
        if header is None or not rules.item_column.fullmatch(header.names[0]):
            continue
        found: list[_Read] = []
        rows: list[tuple[str, list[str], int, int]] = []
        for k in range(i + 1, len(lines)):
            row = lines[k]
            if not row.strip():
                if rows:
                    break
                continue
            if _RULE_LINE_RE.match(row):
                continue
            if m := _LABEL_ROW_RE.match(row):
                rows.append((m["label"], [row], offsets[k], offsets[k] + len(row)))
            elif rows:
                rows[-1][1].append(row)
                label, kept, start, _ = rows[-1]
                rows[-1] = (label, kept, start, offsets[k] + len(row))
            else:
                break
        decision_at = header.find(re.compile(r"decision|status|determination|outcome|finding"))
        for label, kept, start, end in rows:
            columns = [" ".join(c) for c in zip(*(header.cells(r) for r in kept), strict=True)]
            words = " ".join(
                c
                for j, c in enumerate(columns)
                if j not in (0, decision_at)
                and c
                and not _REFERENCE_COLUMN_RE.search(header.names[j])
            )
            said = columns[decision_at] if decision_at >= 0 else words
            if item := _table_item(label, words, said, codes):
                found.append(_Read(item, [(start, end)], [said]))
        if len(found) >= 2:
            return found
    return []


def _table_item(label: str, words: str, said: str, codes: set[str]) -> DenialItem | None:
    """A table row as an item, or None for a row that is no item: one that states no decision
    (an unread decision is not a denial) or only a criterion's finding ('Not met': the row is a
    criterion), or that carries neither a code of the notice nor a quantity."""
    said = " ".join(said.split())
    if _rules().finding.fullmatch(said) or _decision_of(said) is None:
        return None
    item = _item(label, words, said, codes)
    return item if item.codes or item.quantity is not None else None


def _heading_items(text: str, codes: set[str]) -> list[_Read]:
    """The parts a notice heads per item ('Service 2 of 3: ...', 'REQUEST #1 - ...'), each to the
    next heading or the notice's next part."""
    rules = _rules()
    heads = sorted(
        (m for pattern in rules.headings for m in pattern.finditer(text)), key=lambda m: m.start()
    )
    found: list[_Read] = []
    first: dict[str, _Read] = {}
    for n, head in enumerate(heads):
        stop = heads[n + 1].start() if n + 1 < len(heads) else len(text)
        end = rules.end.search(text, head.end() + 1, stop)
        stop = end.start() if end else stop
        if (seen := first.get(_key(head["label"]))) is not None:
            # a label headed again ('Item B: dates of prior ...' in a closing list) refers to
            # the item it first headed: its part is that item's, no new item
            seen.spans.append((head.start(), stop))
            continue
        body = text[head.end() : stop]
        decided = re.search(
            r"^[ \t]*(?:decision|outcome|determination|status)[ \t]*:[ \t]*(?P<d>[^\n]*)",
            body,
            re.IGNORECASE | re.MULTILINE,
        )
        said = decided["d"] if decided else body
        words = head["rest"] + "\n" + body
        item = _item(head["label"], words, said, codes, description=head["rest"])
        first[_key(head["label"])] = _Read(item, [(head.start(), stop)], [head.group(), said])
        found.append(first[_key(head["label"])])
    return found if len(found) >= 2 else []


def _part(approved: int | None, quantity: int | None) -> int | None:
    """The count approved of a partly approved item when it is a part of its quantity
    (0 < approved < quantity), else None: nothing is subtracted from the quantity."""
    if approved is None or not quantity or not 0 < approved < quantity:
        return None
    return approved


def _one(unit: str) -> str:
    """'syringes' -> 'syringe', 'patches' -> 'patch': a unit's singular, to compare two."""
    unit = unit.lower()
    return unit[:-2] if unit.endswith(("ches", "shes", "xes", "sses")) else unit.removesuffix("s")


def _first(patterns: Iterable[re.Pattern[str]], words: str) -> re.Match[str] | None:
    hits = [m for p in patterns if (m := p.search(words))]
    return min(hits, key=lambda m: m.start()) if hits else None


def _item(
    label: str, words: str, said: str, codes: set[str], description: str | None = None
) -> DenialItem:
    """An item from its own words: codes, quantity, fills, the plan's limit, the period and the
    decision ``said`` states (its decision cell or line)."""
    rules = _rules()
    flat = " ".join(words.split())
    own = [
        m.group(1)
        for pattern in (CPT_RE, HCPCS_RE)
        for m in pattern.finditer(flat)
        if m.group(1) in codes
    ]
    own = sorted(set(own), key=flat.index) + _NDC_RE.findall(flat)
    decision = _decision_of(" ".join(said.split())) or ItemDecision.denied
    quantity = _first(rules.quantities, flat)
    fills = rules.fills.search(flat)
    limit = _first(rules.limits, flat)
    period = _first(rules.periods, flat)
    approved = _first(rules.approved, flat) if decision is ItemDecision.partial else None
    unit = (quantity.groupdict().get("unit") or None) if quantity else None
    if approved and not (unit and _one(approved["unit"]) == _one(unit)):
        approved = None  # a count in another unit ('30 days' of syringes) is no part of it
    text = description if description is not None else flat
    item = DenialItem(
        label=label,
        description=" ".join(text.split())[:300] or None,
        codes=own,
        quantity=int(quantity["n"]) if quantity else None,
        unit=unit,
        per=(" ".join(quantity["per"].split()) if quantity and quantity["per"] else None),
        fills=int(fills["n"]) if fills else None,
        limit=int(limit["n"]) if limit else None,
        approved=_part(int(approved["n"]) if approved else None, quantity and int(quantity["n"])),
        period=" ".join(period.group().split())[:80] if period else None,
        decision=decision,
    )
    return _split_decision(item, words)


_PART_LINE_RE = re.compile(
    r"^[ \t]*(?P<part>requested|approved|authori[sz]ed|not[ \t]+approved|not[ \t]+authori[sz]ed|"
    r"denied)[ \t]*:[ \t]*(?P<n>\d{1,5})[ \t]+(?P<unit>[a-z]+)(?P<rest>[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
"""A line of an item's part that states a count of one decision ('Requested: 24 visits, 2 per
week, ...', 'Approved: 12 visits, from ...', 'Not approved: 12 visits, from 02/01/2027
through 03/28/2027')."""


def _split_decision(item: DenialItem, words: str) -> DenialItem:
    """An item whose part states the count it approved and the count it did not, each on a line
    of its own, in one unit: approved in part, the count asked (the requested line's, else the
    two together) and the dates of the part not approved; the item as read otherwise."""
    said: dict[str, re.Match[str]] = {}
    for m in _PART_LINE_RE.finditer(words):
        part = " ".join(m["part"].lower().split()).replace("authorised", "authorized")
        key = "asked" if part == "requested" else "no" if part.startswith(("not", "den")) else "yes"
        said.setdefault(key, m)
    yes, no = said.get("yes"), said.get("no")
    if yes is None or no is None or _one(yes["unit"]) != _one(no["unit"]):
        return item
    approved, denied = int(yes["n"]), int(no["n"])
    if not (approved and denied):
        return item
    asked = said.get("asked")
    total = int(asked["n"]) if asked and _one(asked["unit"]) == _one(no["unit"]) else None
    total = total if total == approved + denied else approved + denied
    update: dict[str, object] = {
        "decision": ItemDecision.partial,
        "quantity": total,
        "unit": no["unit"].lower(),
        "approved": approved,
    }
    dates = _dates(no["rest"])
    if len(dates) >= 2 and dates[0] < dates[-1]:
        start, end = dates[0], dates[-1]
        update.update(start=start, end=end, period=f"{start:%m/%d/%Y} - {end:%m/%d/%Y}")
    return item.model_copy(update=update)


# --------------------------------------------------------------------------- days tables


def _day_items(text: str) -> list[_Read]:
    """The rows of a days table ('Dates | Days | Level of care | Decision', the dates in one
    range column or in from and through columns): one item a row, its days from its start to its
    end at its level of care, approved or denied; a line under a row with no date of its own
    continues the row's cells ('DENIED - not medically necessary' / 'at this level of care')."""
    rules = _rules()
    lines = text.split("\n")
    offsets = _offsets(lines)
    for i, line in enumerate(lines):
        header = _header(line)
        if header is None:
            continue
        dated = [k for k, n in enumerate(header.names) if rules.span_dates.fullmatch(n)]
        days_at = header.find(rules.span_days)
        decision_at = header.find(rules.span_decision, last=True)
        if not dated or days_at < 0 or decision_at < 0:
            continue
        level_at = header.find(rules.span_level)
        rows: list[tuple[list[str], int, int]] = []
        for k in range(i + 1, len(lines)):
            row = lines[k]
            if not row.strip() or _RULE_LINE_RE.match(row):
                if rows:
                    break
                continue
            cells = header.cells(row)
            if any(_dates(cells[d]) for d in dated):
                rows.append((cells, offsets[k], offsets[k] + len(row)))
            elif rows and _segments(row)[0].start > 0:
                kept, start, _ = rows[-1]
                joined = [f"{a} {b}".strip() for a, b in zip(kept, cells, strict=True)]
                rows[-1] = (joined, start, offsets[k] + len(row))
            else:
                break
        found = [
            read
            for cells, start, end in rows
            if (read := _day_item(cells, dated, days_at, level_at, decision_at, (start, end)))
        ]
        if len(found) >= 2:
            return found
    return []


def _day_item(
    cells: list[str],
    dated: list[int],
    days_at: int,
    level_at: int,
    decision_at: int,
    span: tuple[int, int],
) -> _Read | None:
    said = " ".join(cells[decision_at].split())
    decision = _decision_of(said)
    dates = [d for k in dated for d in _dates(cells[k])]
    if decision is None or not dates:
        return None
    start, end = dates[0], dates[-1] if len(dates) > 1 else dates[0]
    if end < start:
        return None
    days = _count(cells[days_at])
    period = " - ".join(" ".join(cells[k].split()) for k in dated if cells[k].strip())
    level = " ".join(cells[level_at].split()) if level_at >= 0 else ""
    item = DenialItem(
        description=level[:300] or None,
        quantity=days,
        unit="days" if days is not None else None,
        period=period[:80],
        start=start,
        end=end,
        span=True,
        decision=decision,
    )
    return _Read(item, [span], [said])


def revenue_codes(text: str) -> list[str]:
    """The revenue codes a notice names in words or a list ('revenue codes 0120 (room and
    board) and 0410 (respiratory services)', 'Rev 0124 ... and Rev 0914'), in its order."""
    flat = " ".join(text.split())
    out: list[str] = []
    for m in _rules().revenue_list.finditer(flat):
        out += re.findall(r"\b0\d{3}\b", re.sub(r"\([^()]*\)", " ", m.group()))
    return list(dict.fromkeys(out))


# --------------------------------------------------------------------------- running prose


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """The spans of the text's paragraphs (runs of lines between blank lines)."""
    return [(m.start(), m.end()) for m in re.finditer(r"\S[^\n]*(?:\n[ \t]*\S[^\n]*)*", text)]


def _prose_items(text: str, asked: Sequence[str]) -> list[_Read]:
    """The services a notice in running prose decides each in its own paragraph ('The request
    for the implant (HCPCS J7401) is also denied ... investigational'): a paragraph that names
    requested codes and denies them is an item with that paragraph's ground; the request's
    other codes that stand in a sentence the notice denies are one item more, its ground that
    of the paragraphs naming them. A code the notice offers in their stead ('Covered
    alternative: ... (CPT 22551) ... may be requested') is never an item. Only when a
    paragraph says it decides a further service ('also', 'separate basis') or the items'
    grounds differ: a notice of one service on one ground has no items."""
    rules = _rules()
    # the notice's words up to its appeal rights or signature (a heading of its reasons, 'WHY WE
    # DENIED ...', is no end)
    stops = (
        m.start() for m in rules.end.finditer(text, len(text) // 3) if _CLOSING_RE.search(m.group())
    )
    body_end = next(stops, len(text))
    paragraphs = [(a, b, " ".join(text[a:b].split())) for a, b in _paragraphs(text[:body_end])]
    offered = {c for _, _, words in paragraphs for c in _offered(words)}
    found: list[_Read] = []
    marked = False
    taken: set[str] = set(offered)
    for start, end, words in paragraphs:
        own = [c for c in dict.fromkeys(_codes_in(words)) if c in asked and c not in taken]
        if not own or _decision_of(words) is not ItemDecision.denied:
            continue
        grounds = _grounds_of(words)
        if not grounds:
            continue
        marked = marked or bool(rules.prose_marker.search(words))
        taken.update(own)
        item = DenialItem(
            description=_named(words, own[0]), codes=own, decision=ItemDecision.denied
        )
        found.append(_Read(item, [(start, end)], [words]))
    spans = [s for r in found for s in r.spans]
    rest = [
        c
        for c in asked
        if c not in taken and (is_cpt(c) or is_hcpcs(c)) and _claimed(text[:body_end], c, spans)
    ]
    if found and rest:
        # its words: from the line that first names it to the next item's paragraph
        first = min(_outside(text, c, spans) for c in rest)
        begin = text.rfind("\n", 0, first) + 1
        stop = min((a for a, _ in spans if a > first), default=body_end)
        line = text[begin : text.find("\n", first)]
        item = DenialItem(
            description=_named(line, rest[0]), codes=rest, decision=ItemDecision.denied
        )
        found.insert(0, _Read(item, [], [" ".join(text[begin:stop].split())]))
    if len(found) < 2:
        return []
    firsts = {tuple(_grounds_of(r.heads[0])[:1]) for r in found}
    if not marked and len(firsts) < 2:
        return []
    return found


def _offered(words: str) -> set[str]:
    """The codes ``words`` offer in the requested service's stead ('Covered alternative:
    anterior cervical discectomy and fusion (CPT 22551) ... may be requested'): those named in
    a sentence that offers and does not deny, and in no other sentence."""
    offers: set[str] = set()
    others: set[str] = set()
    for sentence in split_sentences(words):
        codes = set(_codes_in(sentence))
        offers_it = _rules().offered.search(sentence) and (
            _decision_of(sentence) is not ItemDecision.denied
        )
        (offers if offers_it else others).update(codes)
    return offers - others


def _outside(text: str, code: str, spans: list[tuple[int, int]]) -> int:
    """Where ``text`` first names ``code`` outside the items' ``spans`` (its length if nowhere)."""
    for m in re.finditer(rf"(?<![\w.]){re.escape(code)}(?![\w.])", text):
        if not any(a <= m.start() < b for a, b in spans):
            return m.start()
    return len(text)


def _claimed(text: str, code: str, spans: list[tuple[int, int]]) -> bool:
    """True when ``text`` (outside the items' ``spans``) asks for ``code`` ('Service requested:
    ... (CPT 29881)') or denies it in a sentence that names it."""
    outside = "\n\n".join(text[a:b] for a, b in _between(spans, len(text)))
    lines = (line for line in outside.split("\n") if code in _codes_in(line))
    if any(_rules().requests.search(line) for line in lines):
        return True
    return any(
        _decision_of(sentence) is ItemDecision.denied
        for sentence in split_sentences(outside, flatten=True)
        if code in _codes_in(sentence)
    )


_CLOSING_RE = re.compile(
    r"appeal|right|disagree|sincerely|reviewer|director|decision was made|grievance", re.I
)
"""An end line that closes a notice's reasons: its appeal rights, its signature."""


def _between(spans: list[tuple[int, int]], end: int) -> list[tuple[int, int]]:
    """The stretches of text from 0 to ``end`` outside ``spans`` (sorted, disjoint)."""
    out, at = [], 0
    for a, b in sorted(spans):
        out.append((at, a))
        at = b
    out.append((at, end))
    return [(a, b) for a, b in out if b > a]


def _codes_in(words: str) -> list[str]:
    return [m.group(1) for pattern in (CPT_RE, HCPCS_RE) for m in pattern.finditer(words)]


def _named(words: str, code: str) -> str | None:
    """The words naming the service a code stands for: those before its parenthesis ('the
    steroid-releasing sinus implant (mometasone furoate implant, HCPCS J7401)'), after a
    'request for' or a label's colon, at most 120 characters."""
    flat = " ".join(words.split())
    at = flat.find(code)
    if at < 0:
        return None
    before = flat[:at]
    paren = before.rfind("(")
    if paren >= 0:
        before = before[:paren]
    cuts = [m.end() for m in _NAMED_AFTER_RE.finditer(before)]
    name = before[cuts[-1] :] if cuts else before
    name = re.sub(r",?\s*(?:CPT|HCPCS)?\s*$", "", name).strip(" ,;")
    return name[-120:] or None


_NAMED_AFTER_RE = re.compile(
    r"(?:^|[.:;]\s+|\brequests?\s+for\s+|\basked\s+(?:us\s+)?(?:to\s+(?:cover|approve)\s+|for\s+))",
    re.IGNORECASE,
)
"""Where the words naming a service begin: after a sentence's or a label's end, after 'request
for', 'asked us to cover'."""


_YEAR_ONCE_RE = re.compile(
    r"\b(?P<first>(?:[A-Za-z]{3,9}\.?\s+\d{1,2}|\d{1,2}/\d{1,2}))(?P<dash>\s*[-–]\s*|\s+(?:to|through)\s+)"
    r"(?=(?:[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+|\d{1,2}/\d{1,2}/)(?P<year>\d{4})\b)",
    re.IGNORECASE,
)
"""A range whose year is written once, after its last date ('Nov 16 - Nov 26, 2026',
'11/16 - 11/26/2026'): its first date, the dash, the year it borrows."""


def _dates(cell: str) -> list[dt.date]:
    """The dates of a cell, a range written without spaces ('10/20/2026-01/31/2027') as two; a
    range's first date without a year takes its last date's ('Nov 16 - Nov 26, 2026'), the year
    before when it would fall after it ('Dec 28 - Jan 3, 2027')."""
    cell = re.sub(r"(?<=\d)[-–](?=\d{1,2}/)", " - ", cell)
    borrowed = _YEAR_ONCE_RE.search(cell)
    if borrowed is None:
        return [d for d, _ in find_dates(cell)]
    first, year = borrowed["first"], int(borrowed["year"])
    year_of = "/{}" if "/" in first else ", {}"
    dates = []
    for y in (year, year - 1):
        dated = f"{cell[: borrowed.start()]}{first}{year_of.format(y)} - {cell[borrowed.end() :]}"
        dates = [d for d, _ in find_dates(dated)]
        if len(dates) < 2 or dates[0] <= dates[1]:
            break
    return dates


# --------------------------------------------------------------------------- references


def _labels(said: str) -> set[str]:
    """'02 and 03' -> {'2', '3'}; '2 THROUGH 7' -> {'2', ..., '7'}; 'B' -> {'B'}."""
    tokens = re.findall(r"[A-H]\b|\d{1,3}|through|to|-", said, re.IGNORECASE)
    out: set[str] = set()
    previous: str | None = None
    ranged = False
    for token in tokens:
        if token.lower() in ("through", "to", "-"):
            ranged = previous is not None
            continue
        if ranged and previous is not None and previous.isdigit() and token.isdigit():
            out |= {str(n) for n in range(int(previous), int(token) + 1)}
        else:
            out.add(_key(token))
        previous, ranged = token, False
    return out


def _key(label: str | None) -> str:
    label = (label or "").strip()
    return str(int(label)) if label.isdigit() else label.upper()


def _references(text: str, items: list[_Read]) -> None:
    """Add to each item the parts that name it at their head ('GROUND 2 - ... (Item B: ...)',
    'Reason for lines 02 and 03:'): from that line to the next such line, the next item's part
    or the notice's next part."""
    rules = _rules()
    lines = text.split("\n")
    offsets = _offsets(lines)
    heads: list[tuple[int, int, set[str]]] = []
    for k, line in enumerate(lines):
        above = lines[k - 1] if k else ""
        if above.strip() and not _RULE_LINE_RE.match(above):
            continue  # a reference inside a paragraph is no part's head
        if m := rules.reference.search(line[:120]):
            heads.append((offsets[k], offsets[k] + len(line), _labels(m["labels"])))
    starts = sorted([h[0] for h in heads] + [s for r in items for s, _ in r.spans])
    for start, line_end, labels in heads:
        stop = next((s for s in starts if s > start), len(text))
        end = _next_end(text, line_end, stop)
        for read in items:
            if _key(read.item.label) in labels:
                read.spans.append((start, end))
                read.heads.append(text[start:line_end])


def _next_end(text: str, at: int, stop: int) -> int:
    """Where a part ends: the first end line after ``at`` that is not a rule line directly under
    its head, else ``stop``."""
    for m in _rules().end.finditer(text, at + 1, stop):
        if _RULE_LINE_RE.match(m.group()) and not text[at : m.start()].strip():
            continue
        return m.start()
    return stop


# --------------------------------------------------------------------------- entry point


def read_items(
    text: str,
    codes: Iterable[str],
    criteria: Sequence[Criterion] = (),
    asked: Iterable[str] = (),
) -> list[DenialItem]:
    """The items a notice decides one by one, in its order (approved ones too), each with the
    grounds its parts state and the indexes of the ``criteria`` read in them; [] for a notice
    of one item. ``codes``: the notice's codes read in a code context (an item's own words name
    no others); ``asked``: the codes its request covers (a service in running prose is one)."""
    known = set(codes)
    reads = _line_items(text)
    _allowed_in_words(text, reads)
    _denied_dates_in_words(text, reads)
    if len(reads) < 2:
        reads = (
            _table_items(text, known)
            or _heading_items(text, known)
            or _day_items(text)
            or _prose_items(text, list(asked))
        )
    if len(reads) < 2:
        return []
    _references(text, reads)
    places = [_place(text, c) for c in criteria]
    items: list[DenialItem] = []
    for read in reads:
        item = read.item
        own = [
            i
            for i, at in enumerate(places)
            if at is not None and any(s <= at < e for s, e in read.spans)
        ]
        grounds: list[ItemGround] = []
        if item.open:
            # the grounds its parts' heads and decision state, else those of all its words
            words = " ".join(text[s:e] for s, e in read.spans)
            grounds = _grounds_of(" ".join(read.heads)) or _grounds_of(words)
            if not grounds and item.span:  # a days table's row: the words under the table
                after = max(e for _, e in read.spans)
                grounds = _grounds_of(text[after : _next_end(text, after, len(text))])
            if own and not {ItemGround.criteria, ItemGround.quantity_limit} & set(grounds):
                grounds.append(ItemGround.criteria)  # criteria read in its part
        items.append(item.model_copy(update={"grounds": grounds, "criteria": own}))
    return items


def _place(text: str, criterion: Criterion) -> int | None:
    words = criterion.text.split()[:6]
    found = literal.words(text, words) if words else None
    return found[0] if found else None


def quantity_words(item: DenialItem) -> str:
    """'18 autoinjectors per 30 days, 3 fills', '210 units', '1 per month' ('' when the notice
    gives no quantity): the item's quantity in its own unit."""
    parts: list[str] = []
    if item.quantity is not None:
        unit = f" {item.unit}" if item.unit else ""
        per = f" per {item.per}" if item.per else ""
        parts.append(f"{item.quantity}{unit}{per}")
    if item.fills is not None:
        parts.append(f"{item.fills} fill{'s' if item.fills != 1 else ''}")
    return ", ".join(parts)


def item_lines(items: Sequence[DenialItem], criteria: Sequence[Criterion]) -> list[str]:
    """``lmn extract``'s lines for the items: one a item, its criteria under it by label."""
    lines = [f"items: {len(items)}"]
    for n, item in enumerate(items, 1):
        grounds = f" ({', '.join(g.value for g in item.grounds)})" if item.grounds else ""
        facts = [
            ", ".join(item.codes),
            quantity_words(item),
            f"limit {item.limit}" if item.limit is not None else "",
            f"approved {item.approved}" if item.approved is not None else "",
            item.period or "",
            item.service_date.isoformat() if item.service_date else "",
            " ".join(item.remarks),
        ]
        said = "; ".join(f for f in facts if f)
        lines.append(f"  {item.label or n}. {item.decision.value}{grounds}: {said}")
        if item.description:
            lines.append(f"     {item.description}")
        if item.criteria:
            labels = [criteria[i].label or str(i + 1) for i in item.criteria if i < len(criteria)]
            lines.append(f"     criteria: {', '.join(labels)}")
    return lines


def requested_of_items(
    requested: Sequence[RequestedService],
    items: Sequence[DenialItem],
    revenue: Sequence[str] = (),
) -> list[RequestedService]:
    """The request's codes once the notice's items are read: a code only items the notice
    approved carry is dropped (it is no part of the appeal), and an open item's code the request
    lacks is added with the item's units (a claim's line) in the items' order. For a days
    table, every revenue code the notice names (``revenue``) covers the days it denied."""
    open_codes = {c for item in items if item.open for c in item.codes}
    approved = {c for item in items if not item.open for c in item.codes} - open_codes
    if any(item.span for item in items):  # a days table: the stay's codes for the days denied
        return _days_requested(requested, items, revenue)
    if any(item.service_date for item in items):  # a claim: each line it denied
        return _claim_requested(requested, items)
    kept = [_line_asked(s, items) for s in requested if s.code not in approved]
    have = {s.code for s in kept}
    for item in items:
        if not item.open:
            continue
        for code in item.codes:
            if code in have or not (is_cpt(code) or is_hcpcs(code)):
                continue
            have.add(code)
            units = item.quantity if item.unit == "units" and len(item.codes) == 1 else None
            kept.append(
                RequestedService(code=code, system="cpt" if is_cpt(code) else "hcpcs", units=units)
            )
    return kept


def _line_asked(service: RequestedService, items: Sequence[DenialItem]) -> RequestedService:
    """A requested code as the one open row of a request's line table that bears it asks it:
    the units the row denied (those asked less those approved for a row approved in part;
    all its units, read over its wrapped lines, else), and the dates of the denied part when
    the row gives them; the reading's own otherwise."""
    rows = [
        i
        for i in items
        if i.open
        and i.codes == [service.code]
        and (i.line or (i.decision is ItemDecision.partial and i.approved is not None))
    ]
    if len(rows) != 1 or rows[0].quantity is None or rows[0].service_date is not None:
        return service
    row = rows[0]
    units = row.quantity
    if row.decision is ItemDecision.partial and row.approved is not None and units is not None:
        units -= row.approved
    update: dict[str, object] = {"units": units}
    if row.decision is ItemDecision.partial and row.start and row.end:
        update.update(start=row.start, end=row.end)
    return service.model_copy(update=update)


def denied_days(items: Sequence[DenialItem]) -> tuple[int | None, dt.date, dt.date] | None:
    """The days a days table denies (their count, None when a row gives none; the first and
    last denied day), None when it denies none."""
    spans = [i for i in items if i.span and i.open and i.start and i.end]
    if not spans:
        return None
    counts = [i.quantity for i in spans]
    total = None if None in counts else sum(n for n in counts if n is not None)
    return total, min(i.start for i in spans if i.start), max(i.end for i in spans if i.end)


def denied_spans(items: Sequence[DenialItem]) -> list[tuple[int | None, dt.date, dt.date]]:
    """Each run of days a days table denies, in date order (its count, None when a row gives
    none; its first and last day): rows that follow each other make one run, a row it approved
    between two denied ones ends a run."""
    rows = sorted(
        (i for i in items if i.span and i.start and i.end), key=lambda i: (i.start, i.end)
    )
    runs: list[tuple[int | None, dt.date, dt.date]] = []
    follows = False
    for row in rows:
        assert row.start and row.end
        if not row.open:
            follows = False
            continue
        if follows and runs and row.start <= runs[-1][2] + dt.timedelta(days=1):
            count, start, end = runs[-1]
            total = None if count is None or row.quantity is None else count + row.quantity
            runs[-1] = (total, start, max(end, row.end))
        else:
            runs.append((row.quantity, row.start, row.end))
        follows = True
    return runs


def _days_requested(
    requested: Sequence[RequestedService], items: Sequence[DenialItem], revenue: Sequence[str]
) -> list[RequestedService]:
    """A days table's request: the stay's codes (the request's, and each revenue code the notice
    names) for the days it denied, from the first denied day to the last; the days it approved
    are no part of it."""
    denied = denied_days(items)
    if denied is None:
        return list(requested)
    _, start, end = denied
    have = {s.code for s in requested}
    stay = [*requested]
    stay += [RequestedService(code=c, system="revenue") for c in revenue if c not in have]
    # the stay's codes for the denied days (the Request counts the days in words)
    return [
        s.model_copy(update={"start": start, "end": end, "units": None})
        if s.system == "revenue"
        else s
        for s in stay
    ]


def _claim_requested(
    requested: Sequence[RequestedService], items: Sequence[DenialItem]
) -> list[RequestedService]:
    """A claim's request, the reading's own lines kept (their modifiers, revenue codes, a paid
    line the notice denies in prose): a code the claim denies on more lines than the reading
    has (one drug on three dates of service) gets a line for each, and a code the reading
    missed on a line the claim denies with an adjustment code ('96372 ... CO-50') is added.
    A code any line of which the claim reduced (approved in part) is asked line by line, each
    line for the units it denied, never the units billed or those of an authorization the
    notice quotes."""
    out = list(requested)
    denied = [i for i in items if i.open and len(i.codes) == 1 and i.remarks]
    if any(i.decision is ItemDecision.partial for i in denied):
        # a claim it reduced is asked line by line (the Request lists the lines): a code only
        # its paid lines bill is no part of it (review36 F10: '99214 ... PR-1 ... 0.00')
        lined = {c for i in items if i.service_date for c in i.codes}
        asked = {c for i in items if i.open for c in i.codes}
        out = [s for s in out if s.code not in lined or s.code in asked]
    for code in dict.fromkeys(i.codes[0] for i in denied):
        lines = [i for i in denied if i.codes[0] == code]
        read = [s for s in out if s.code == code]
        if not read:
            if not (is_cpt(code) or is_hcpcs(code)):
                continue
            system: Literal["cpt", "hcpcs"] = "cpt" if is_cpt(code) else "hcpcs"
            read = [RequestedService(code=code, system=system, units=lines[0].quantity)]
            out.append(read[0])
        if any(i.decision is ItemDecision.partial for i in lines):
            # each line for the units it denied (a reduced line's billed less allowed), also
            # when the reading left the line out as paid
            at = out.index(read[0])
            out = [s for s in out if s.code != code]
            out[at:at] = [_denied_line(read[0], i) for i in lines]
            continue
        if len({(s.units, tuple(s.modifiers)) for s in read}) != 1:
            continue  # the reading tells its lines apart (modifiers, units): they stand
        at = out.index(read[-1]) + 1
        out[at:at] = [read[-1]] * (len(lines) - len(read))
    return out


def _denied_line(read: RequestedService, line: DenialItem) -> RequestedService:
    """The request for one claim line: the units it denied (those billed less those allowed
    for a line approved in part), its own modifiers, no period of its own (its date of service
    is the line's)."""
    units = line.quantity
    if line.decision is ItemDecision.partial and units is not None and line.approved:
        units -= line.approved
    return read.model_copy(
        update={
            "units": units,
            "modifiers": line.modifiers or read.modifiers,
            "start": None,
            "end": None,
        }
    )


def headed(items: Sequence[DenialItem]) -> bool:
    """True when the notice decides two or more items on their own that are no claim's lines
    (an item table, parts headed per item): the request names each item."""
    if any(i.span for i in items):
        return False  # a days table's spans are the days of one stay
    return sum(item.open for item in items) >= 2 and not any(i.line for i in items)


def grouped(items: Sequence[DenialItem]) -> bool:
    """True when the letter answers each open item under a heading of its own: a notice of
    several items named in words (:func:`headed`), or one that denies two or more services of a
    request on grounds of their own ('not medically necessary' for one, 'experimental' for the
    other), in lines or in prose. A claim's lines and a days table's spans are never grouped."""
    if any(i.span or i.service_date for i in items):
        return False
    if headed(items):
        return True
    # an item denied only because another was rides with it: no ground of its own
    own = [i for i in items if i.open and ItemGround.dependent not in i.grounds]
    firsts = {i.grounds[0] for i in own if i.grounds}
    return len(own) >= 2 and len(firsts) >= 2


def dependents(items: Sequence[DenialItem]) -> tuple[list[DenialItem], list[DenialItem]]:
    """The open items a notice denies only because it denied another, and the open items it
    denies on a ground of their own (what they depend on); ([], []) when none depends."""
    riding = [i for i in items if i.open and ItemGround.dependent in i.grounds]
    if not riding:
        return [], []
    return riding, [i for i in items if i.open and ItemGround.dependent not in i.grounds]


def experimental_evidence(text: str) -> str | None:
    """The kind of evidence a source is for a service called experimental ('trials', 'fda',
    'guidelines', tried in that order over its name and words), None when it is none."""
    for kind, pattern in _rules().evidence:
        if pattern.search(text):
            return kind
    return None


def limited_item(items: Sequence[DenialItem]) -> DenialItem | None:
    """Of a notice of several items, the one held to a quantity limit (None when none is, or
    the notice decides one item)."""
    if not headed(items):
        return None
    return next(
        (
            item
            for item in items
            if item.open
            and (item.decision is ItemDecision.limit or ItemGround.quantity_limit in item.grounds)
        ),
        None,
    )


def product(item: DenialItem) -> str:
    """The item's name: its description up to the first comma ('Sumatriptan 6 mg/0.5 mL
    autoinjector')."""
    return (item.description or "").split(",")[0].strip() or f"item {item.label}"


def limit_words(item: DenialItem) -> str:
    """'6 autoinjectors per 30 days': the plan's limit in the item's own unit and period."""
    if item.limit is None:
        return ""
    unit = f" {item.unit}" if item.unit else ""
    per = f" per {item.per}" if item.per else ""
    return f"{item.limit}{unit}{per}"
