"""The lines of a claim as an EOB or remittance lays them out: which lines the plan paid (not
part of the appeal) and which it denied, read from the row's cells by their headers.

Which claim adjustment reason codes (CARC) are the patient's share or a contract write-down
rather than a denial is data, the same table the batch intake routes an 835 with
(``batch/adjustment_codes.yaml``, route ``adjustment``); its one loader lives here, where both
the reading and the batch front end may import it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

from .fileio import load_yaml
from .text.tables import pipe_rows

CODES_FILE = Path(__file__).with_name("batch") / "adjustment_codes.yaml"
Route = Literal["appeal", "not_lmn", "adjustment"]
AppealCategory = Literal[
    "medical_necessity", "experimental", "prior_authorization", "level_of_care", "frequency"
]


class CarcSpec(BaseModel):
    """One claim adjustment reason code: where it goes and lmn's words for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    route: Route
    text: str
    category: AppealCategory | None = None
    """What the appeal answers (route appeal)."""
    reason: str | None = None
    """For not_lmn: what answers it instead."""
    appeal_with: tuple[str, ...] = ()
    """Remark codes that make this code an LMN case."""


class RarcSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str


class AdjustmentCodes(BaseModel):
    """adjustment_codes.yaml: the one loader of the table (the 835 intake imports it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    carc: dict[str, CarcSpec]
    rarc: dict[str, RarcSpec]


@cache
def adjustment_codes() -> AdjustmentCodes:
    return AdjustmentCodes.model_validate(load_yaml(CODES_FILE.read_text(encoding="utf-8")))


@cache
def adjustment_only() -> frozenset[str]:
    """The CARCs that are no denial: the patient's deductible, coinsurance or copayment, a
    contract write-down, sequestration (route ``adjustment``)."""
    codes = adjustment_codes().carc
    return frozenset(code for code, spec in codes.items() if spec.route == "adjustment")


_GROUP_CODE_RE = re.compile(r"(?<![A-Za-z0-9])(CO|OA|PI|PR|CR)[ -]?([A-Z]?\d{1,3})(?![\w])")
"""A CARC with its group: 'CO-50', 'CO50', 'PR 2', 'OA-B5'."""
_DENIED_WORD_RE = re.compile(
    r"\b(?:denied|denial|not covered|non-?covered|not payable|not paid|rejected|disallowed)\b",
    re.IGNORECASE,
)
_PAID_WORD_RE = re.compile(r"^(?:paid|approved|allowed|processed|covered)\b", re.IGNORECASE)
_PAID_COLUMN_RE = re.compile(
    r"(?:(?!(?:member|patient|you|your|benef\w*|subscriber|not|previously)\b)[\w.&/-]+ ){0,2}"
    r"paid(?: amount| amt\.?| by plan)?|plan pays?|payment(?: amount)?",
    re.IGNORECASE,
)
"""A column of the amount the plan paid for a line, by whatever payer names it: 'Paid', 'Plan
paid', 'TRICARE paid', 'Ins. paid', 'Plan pays', 'Payment'; never what the patient paid or owes
('Member paid', 'You paid') or what was not paid."""
_STATUS_COLUMN_RE = re.compile(r"(?:line |claim )?(?:status|determination|decision)", re.I)
_AMOUNT_RE = re.compile(r"^\$?\s*(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d{2}))?$")


def denial_on(row: str) -> bool:
    """True when a claim line's text carries a denial: an adjustment reason code that is not
    the patient's share or a write-down ('CO-50', 'PI-197', 'PR-204'), or 'denied'."""
    if _DENIED_WORD_RE.search(row):
        return True
    return any(m.group(2) not in adjustment_only() for m in _GROUP_CODE_RE.finditer(row))


def denial_codes(remarks: list[str]) -> list[str]:
    """Of a claim line's adjustment and remark codes, those that say why it was not paid: the
    group-coded CARCs that are no patient share or write-down ('CO-198', not 'CO-45' or
    'PR-2'), and the remark codes ('N54')."""
    out = []
    for code in remarks:
        m = _GROUP_CODE_RE.fullmatch(code.strip())
        if m is None or m.group(2) not in adjustment_only():
            out.append(code)
    return out


def _amount(cell: str | None) -> Decimal | None:
    m = _AMOUNT_RE.match((cell or "").strip())
    if not m:
        return None
    try:
        return Decimal(f"{m.group(1).replace(',', '')}.{m.group(2) or '00'}")
    except InvalidOperation:  # pragma: no cover - the pattern admits digits only
        return None


_DENIED_COLUMN_RE = re.compile(
    r"(?:amount\s+)?(?:denied|not\s+covered|non-?covered|disallowed)(?:\s+amount)?(?:\s+\(\$\))?",
    re.IGNORECASE,
)
"""A column of the amount a line was denied: 'Denied', 'Not covered', 'Amount denied'."""
_ALLOWED_COLUMN_RE = re.compile(
    r"(?:plan\s+)?(?:allowed|approved)(?:\s+amount)?(?:\s+\(\$\))?", re.IGNORECASE
)
"""A column of the amount the plan allowed for a line: 'Allowed', 'Allowed amount'."""


def paid_line(cells: Mapping[str, str], row: str) -> bool:
    """True when the claim line the cells (by lower-cased header) and ``row`` (its text) hold
    was paid, so it is no part of the appeal: its status cell says paid or approved; else,
    when the line carries no denial (see :func:`denial_on`), the plan paid an amount above zero
    for it, or allowed one and left the rest to the patient's share only ('Allowed 160.00 |
    PR-1 | Paid 0.00': the deductible), or allowed one with nothing denied or not covered
    ('Allowed $188.40 | Not covered $0.00', 'Plan allowed $71.20 | Your share $14.24 |
    PR-2'). A line with none of these is not called paid."""
    for name, value in cells.items():
        if _STATUS_COLUMN_RE.fullmatch(name):
            if _DENIED_WORD_RE.search(value):
                return False
            if _PAID_WORD_RE.match(value.strip()):
                return not denial_on(row)
    if denial_on(row):
        return False
    paid = _amount(next((v for n, v in cells.items() if _PAID_COLUMN_RE.fullmatch(n)), None))
    if paid is not None and paid > 0:
        return True
    allowed = _amount(next((v for n, v in cells.items() if _ALLOWED_COLUMN_RE.fullmatch(n)), None))
    if allowed is None or allowed <= 0:
        return False
    denied = _amount(next((v for n, v in cells.items() if _DENIED_COLUMN_RE.fullmatch(n)), None))
    if denied is not None:
        return denied == 0
    # allowed, paid nothing or no paid column: paid when what is left is the patient's share
    return paid is not None or _patient_share(row)


def _patient_share(row: str) -> bool:
    """The line's adjustments are the patient's share (a PR group code: deductible,
    coinsurance, copayment), so the plan processed it."""
    return any(m.group(1) == "PR" for m in _GROUP_CODE_RE.finditer(row))


_ADVERSE_RE = re.compile(
    r"\b(?:denied|denial|reduced|reduction|terminated|termination|not approved|not authori[sz]ed|"
    r"not covered|non-?covered|partial(?:ly)?|modified|adverse|not paid|not payable)\b",
    re.IGNORECASE,
)


def status_of(cells: Mapping[str, str]) -> str | None:
    """What a row's status cell says: 'adverse' (denied, reduced, terminated, not approved,
    partially approved), 'other' (paid, approved, no change, authorization ended), or None
    when the row has no status cell."""
    for name, value in cells.items():
        if _STATUS_COLUMN_RE.fullmatch(name) and value.strip():
            return "adverse" if _ADVERSE_RE.search(value) else "other"
    return None


def read_count(said: str) -> int:
    """'3,120' -> 3120: a count as a notice writes it, thousands separated or not."""
    return int(said.replace(",", ""))


_COUNT_CELL_RE = re.compile(
    r"(?P<n>\d{1,3}(?:,\d{3})+|\d{1,5})(?:\s+(?:units?|sessions?|visits?|days?|hours?))?",
    re.IGNORECASE,
)
"""A quantity table's count cell: '12', '1,040 units', '8 sessions' (never an amount:
'$1,040.00')."""
_NOT_APPROVED_COLUMN_RE = re.compile(
    r"(?:units?\s+)?(?:denied|not\s+approved|not\s+authori[sz]ed|not\s+covered)(?:\s+units?)?",
    re.IGNORECASE,
)
_APPROVED_UNITS_COLUMN_RE = re.compile(
    r"(?:units?\s+)?(?:approved|authori[sz]ed|allowed)(?:\s+units?)?", re.IGNORECASE
)


def _count_cell(cells: Mapping[str, str], column: re.Pattern[str]) -> int | None:
    """The count in the first cell whose header ``column`` matches (None when it holds none)."""
    value = next((v for n, v in cells.items() if column.fullmatch(n)), "")
    found = _COUNT_CELL_RE.fullmatch(value.strip())
    return read_count(found["n"]) if found else None


class Partial(NamedTuple):
    """A line of a partial approval: the units approved and the units denied."""

    approved: int
    denied: int


def partial_line(cells: Mapping[str, str]) -> Partial | None:
    """The approved and denied units of a quantity table's line ('G0424 | Requested 36 |
    Approved 24 | Denied 12'; '97153 | 3,120 units | 2,080 units | 1,040 units'; '97151 | 32
    units | 32 units | 0 units': approved in full); None unless both cells are counts."""
    denied = _count_cell(cells, _NOT_APPROVED_COLUMN_RE)
    approved = _count_cell(cells, _APPROVED_UNITS_COLUMN_RE)
    if denied is None or approved is None:
        return None
    return Partial(approved, denied)


_GRID_RULE_RE = re.compile(r"[ \t]*\+[-=+]{3,}\+[ \t]*")
"""A grid table's rule line: '+------+-------+---+'."""


def pipe_cells(text: str, position: int) -> dict[str, str]:
    """The cells of the '|' table row holding ``position``, by lower-cased header (the table's
    first row), or {} outside such a table or on its header."""
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line_end = len(text) if line_end < 0 else line_end
    if not text[line_start:line_end].lstrip().startswith("|"):
        return {}
    top = line_start
    while top > 0:
        above = text.rfind("\n", 0, top - 1) + 1
        line = text[above : top - 1]
        # a grid table's rule ('+------+-------+') separates its rows: the table goes on
        if not (line.lstrip().startswith("|") or _GRID_RULE_RE.fullmatch(line)):
            break
        top = above
    rows = pipe_rows(text, top, line_end)
    if len(rows) < 2 or len(rows[0]) != len(rows[-1]):
        return {}
    return {h.value.lower(): c.value for h, c in zip(rows[0], rows[-1], strict=True)}
