"""The lines of a claim as an EOB or remittance lays them out: which lines the plan paid (not
part of the appeal) and which it denied, read from the row's cells by their headers.

Which claim adjustment reason codes (CARC) are the patient's share or a contract write-down
rather than a denial is data, the same table the batch intake routes an 835 with
(``batch/adjustment_codes.yaml``, route ``adjustment``); this module reads that table as a
file, so the stages need not import the batch front end."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from .text.tables import pipe_rows

CODES_FILE = Path(__file__).with_name("batch") / "adjustment_codes.yaml"


class _Carc(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    route: str


class _Codes(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    carc: dict[str, _Carc]


@cache
def adjustment_only() -> frozenset[str]:
    """The CARCs that are no denial: the patient's deductible, coinsurance or copayment, a
    contract write-down, sequestration (route ``adjustment``)."""
    codes = _Codes.model_validate(yaml.safe_load(CODES_FILE.read_text(encoding="utf-8")))
    return frozenset(code for code, spec in codes.carc.items() if spec.route == "adjustment")


_GROUP_CODE_RE = re.compile(r"(?<![A-Za-z0-9])(CO|OA|PI|PR|CR)[ -]?([A-Z]?\d{1,3})(?![\w])")
"""A CARC with its group: 'CO-50', 'CO50', 'PR 2', 'OA-B5'."""
_DENIED_WORD_RE = re.compile(
    r"\b(?:denied|denial|not covered|non-?covered|not payable|not paid|rejected|disallowed)\b",
    re.IGNORECASE,
)
_PAID_WORD_RE = re.compile(r"^(?:paid|approved|allowed|processed|covered)\b", re.IGNORECASE)
_PAID_COLUMN_RE = re.compile(
    r"(?:plan |amount |insurance |we |ins\.? )?paid(?: amount| amt\.?| by plan)?|plan pays?|"
    r"payment(?: amount)?",
    re.IGNORECASE,
)
_STATUS_COLUMN_RE = re.compile(r"(?:line |claim )?(?:status|determination|decision)", re.I)
_AMOUNT_RE = re.compile(r"^\$?\s*(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d{2}))?$")


def denial_on(row: str) -> bool:
    """True when a claim line's text carries a denial: an adjustment reason code that is not
    the patient's share or a write-down ('CO-50', 'PI-197', 'PR-204'), or 'denied'."""
    if _DENIED_WORD_RE.search(row):
        return True
    return any(m.group(2) not in adjustment_only() for m in _GROUP_CODE_RE.finditer(row))


def _amount(cell: str | None) -> Decimal | None:
    m = _AMOUNT_RE.match((cell or "").strip())
    if not m:
        return None
    try:
        return Decimal(f"{m.group(1).replace(',', '')}.{m.group(2) or '00'}")
    except InvalidOperation:  # pragma: no cover - the pattern admits digits only
        return None


def paid_line(cells: Mapping[str, str], row: str) -> bool:
    """True when the claim line the cells (by lower-cased header) and ``row`` (its text) hold
    was paid: its status cell says paid or approved, or its paid amount is above zero and the
    line carries no denial (see :func:`denial_on`). A line with neither is not called paid."""
    for name, value in cells.items():
        if _STATUS_COLUMN_RE.fullmatch(name):
            if _DENIED_WORD_RE.search(value):
                return False
            if _PAID_WORD_RE.match(value.strip()):
                return not denial_on(row)
    if denial_on(row):
        return False
    paid = next((v for n, v in cells.items() if _PAID_COLUMN_RE.fullmatch(n)), None)
    amount = _amount(paid)
    return amount is not None and amount > 0


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
        if not text[above : top - 1].lstrip().startswith("|"):
            break
        top = above
    rows = pipe_rows(text, top, line_end)
    if len(rows) < 2 or len(rows[0]) != len(rows[-1]):
        return {}
    return {h.value.lower(): c.value for h, c in zip(rows[0], rows[-1], strict=True)}
