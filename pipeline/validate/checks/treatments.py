"""Where the letter states a prior treatment (a row of the prior-treatment table, or its line
under a criterion, which the table then leaves out): a medication's dose and frequency, and
every treatment's duration."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ... import letter_format as lf
from ...models import PriorTreatment, ValidationFinding
from ...text.normalize import Span, norm_text
from ...text.numbers import number_words_pattern
from .._context import Context
from .._document import TreatmentRow
from .._findings import FindingCode, finding
from .._registry import Scope, check
from .._scanner import YEAR_RE, token_keys

_DOSE_RE = re.compile(
    r"[0-9]+(?:[.,][0-9]+)?[ \t]*(?:(?:-|–|to)[ \t]*[0-9]+(?:\.[0-9]+)?[ \t]*)?"
    r"(?:mg/kg|mg/m2|mg/m²|mcg/kg|mg|mcg|µg|μg|ug|ng|g|kg|mL|ml|L|units?|IU|U|mEq|mmol|%"
    r"|puffs?|tablets?|tabs?|capsules?|caps?|drops?|sprays?|patch(?:es)?|inhalations?|vials?"
    r"|injections?|applications?|sachets?|lozenges?|suppositor(?:y|ies)|pens?|actuations?"
    r"|c?Gy|mCi|MBq)"
    r"(?![A-Za-z])",
    re.I,
)
# Amounts that are no mass or count and are still a dose: topical amounts and insulin scales.
_AMOUNT_RE = re.compile(
    r"\bthin[ \t-]+(?:layer|film|coat(?:ing)?)\b|\bpea[ \t-]+sized?\b|\bfingertip[ \t-]+units?\b"
    r"|\b(?:small|liberal|generous)[ \t]+amount\b|\bsliding[ \t-]+scale\b|\bweight[ \t-]+based\b",
    re.I,
)
_NUMBER_WORD = rf"(?:{number_words_pattern()}|several|a[ \t]+few|few)"
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


def has_dose(text: str) -> bool:
    """True when ``text`` states an amount: a number with a unit or form ('200 mg', '2 puffs',
    '1 application') or a non-mass amount ('thin layer', 'per sliding scale')."""
    return bool(_DOSE_RE.search(text) or _AMOUNT_RE.search(text))


def has_frequency(text: str) -> bool:
    """True when ``text`` states how often ('twice daily', 'every 2 weeks', 'as needed')."""
    return bool(_FREQUENCY_RE.search(text))


def has_duration_text(text: str) -> bool:
    """True when ``text`` states how long ('12 weeks', 'several months') or a date range."""
    return bool(_DURATION_RE.search(text) or _has_date_range(text))


def _treatment_kinds(ctx: Context) -> list[tuple[str, str]]:
    """(normalized name, kind) of the case's prior treatments, longest name first."""
    kinds = [(norm_text(t.name), t.kind) for t in ctx.draft.case.prior_treatments]
    return sorted(kinds, key=lambda nk: -len(nk[0]))


def _is_medication_row(row: TreatmentRow, kinds: list[tuple[str, str]]) -> bool:
    """The case lists the row's treatment as a medication; or the case does not name the row
    and the row gives a dose or blanks it. A device's, therapy's, procedure's or other
    measure's stated 'dose' (a CPAP pressure in cm H2O, '2 sessions', a fluid goal) is not held
    to a drug's units: the case said the row is not a drug."""
    name = row.cell("Treatment")
    dose = row.cell("Dose")
    cell = norm_text(name.value) if name else ""
    for treatment, kind in kinds:
        if treatment and cell.startswith(treatment):
            if kind == "medication":
                return True
            if kind in _NOT_DRUGS and dose and dose.value.strip():
                return False  # a blanked cell is still a finding (a hand edit dropped it)
            break
    return dose is None or dose.value.strip().casefold() != lf.NOT_APPLICABLE


_NOT_DRUGS = frozenset({"device", "therapy", "procedure", "other"})


_BULLET_RE = re.compile(r"^[ \t]*[-*][ \t]+(\S[^\n]*)$", re.M)
_PAREN_RE = re.compile(r"\s*\([^)]*\)")
_BACK_REFERENCE = "(stated above)"
"""How a criterion names a treatment an earlier criterion stated (reasoning.argument)."""


@dataclass(frozen=True)
class _Statement:
    """A prior treatment's line under a criterion ('- Naproxen 500 mg twice daily (NSAID),
    <start> – <end>: <outcome>'): the text after its name up to the outcome, and its span."""

    criterion: int
    treatment: PriorTreatment
    head: str
    span: Span


def _criterion_statements(ctx: Context) -> list[_Statement]:
    """Each bullet under a criterion that opens with a prior treatment's name (as the case
    writes it, or without its parenthesis, as the drafter states it)."""
    names = sorted(
        (
            (name.casefold(), t)
            for t in ctx.draft.case.prior_treatments
            for name in {t.name.strip(), _PAREN_RE.sub("", t.name).strip()}
            if name
        ),
        key=lambda nt: -len(nt[0]),
    )
    out = []
    for number, block in ctx.doc.criteria.items():
        offset = block.start + len(block.heading)
        for m in _BULLET_RE.finditer(block.body):
            text = m.group(1)
            folded = text.casefold()
            for name, treatment in names:
                if folded.startswith(name) and not folded[len(name) : len(name) + 1].isalnum():
                    head = text[len(name) :].split(": ", 1)[0]
                    if head.strip().rstrip(".").endswith(_BACK_REFERENCE):
                        break  # a later criterion pointing back at the line that states it
                    span = (offset + m.start(1), offset + m.end(1))
                    out.append(_Statement(number, treatment, head, span))
                    break
    return out


def _without(text: str, *parts: str | None) -> str:
    """``text`` with the first occurrence of each part taken out."""
    for part in parts:
        text = text.replace(part, " ", 1) if part else text
    return text


def _statement_findings(ctx: Context) -> list[ValidationFinding]:
    """A treatment stated under a criterion keeps what the case gives it: the dose with its
    unit, the frequency, and a duration or dates (a hand edit that drops one is caught here, as
    a blanked table cell is by the row checks)."""
    out = []
    for st in _criterion_statements(ctx):
        t = st.treatment
        where = f"Criterion {st.criterion}'s line on a prior treatment"
        # each is looked for in what is left once the others are taken out: a frequency may
        # name doses ('oral 10 mg weekly, then 20 mg'), '2 sessions per week' and 'two
        # injections, 14 weeks apart' read as durations
        # the letter writes the case's dates in its own style (lf.one_date_style)
        frequency = lf.one_date_style(t.frequency) if t.frequency else None
        dose = lf.one_date_style(t.dose) if t.dose else None
        if t.dose and has_dose(t.dose) and not has_dose(_without(st.head, frequency)):
            out.append(
                finding(
                    FindingCode.DOSE_MISSING_UNIT,
                    f"{where} has no amount with a unit.",
                    span=st.span,
                )
            )
        if t.frequency and has_frequency(t.frequency) and not has_frequency(st.head):
            out.append(
                finding(
                    FindingCode.DOSE_MISSING_FREQUENCY, f"{where} has no frequency.", span=st.span
                )
            )
        period = _without(st.head, dose, frequency)
        # a procedure done on one day ('Percutaneous tracheostomy, October 22, 2026') is dated
        # by that day
        one_day = t.start is not None and t.start == t.end and not t.duration
        dated = one_day and any(tok.kind == "date" for tok in token_keys(period))
        if (t.start or t.end or t.duration) and not has_duration_text(period) and not dated:
            out.append(
                finding(
                    FindingCode.DURATION_MISSING, f"{where} has no duration or dates.", span=st.span
                )
            )
    return out


@check(Scope.letter, codes=[FindingCode.DOSE_MISSING_UNIT, FindingCode.DOSE_MISSING_FREQUENCY])
def check_doses(ctx: Context) -> list[ValidationFinding]:
    """Each medication row gives an amount with a unit and a frequency; so does each line under
    a criterion stating a treatment the case gives a dose and frequency."""
    meds = _treatment_kinds(ctx)
    out = [f for f in _statement_findings(ctx) if f.code != FindingCode.DURATION_MISSING]
    for i, row in enumerate(ctx.doc.prior_rows, 1):
        if not _is_medication_row(row, meds):
            continue
        dose = row.cell("Dose")
        freq = row.cell("Frequency")
        if not (dose and has_dose(dose.value)):
            out.append(
                finding(
                    FindingCode.DOSE_MISSING_UNIT,
                    f"Prior-treatment row {i} (a medication) has no amount with a unit.",
                    span=dose.span if dose else row.span,
                )
            )
        freq_text = " ".join(
            c.value for c in (dose, freq) if c and c.value.casefold() != lf.NOT_APPLICABLE
        )
        if not has_frequency(freq_text):
            out.append(
                finding(
                    FindingCode.DOSE_MISSING_FREQUENCY,
                    f"Prior-treatment row {i} (a medication) has no frequency.",
                    span=freq.span if freq else row.span,
                )
            )
    return out


def _has_date_range(text: str) -> bool:
    """Two dates (or months, or years), or one with 'since' / 'ongoing' / 'present'."""
    marks = 0
    for tok in token_keys(text):
        if tok.kind in ("date", "month") or (
            tok.kind == "number" and YEAR_RE.fullmatch(str(tok.key))
        ):
            marks += 1
    return marks >= 2 or (marks == 1 and bool(_OPEN_RANGE_RE.search(text)))


@check(Scope.letter, codes=[FindingCode.DURATION_MISSING])
def check_durations(ctx: Context) -> list[ValidationFinding]:
    """Each prior-treatment row gives a duration or a date range, and so does each line under a
    criterion stating a treatment the case dates."""
    out = [f for f in _statement_findings(ctx) if f.code == FindingCode.DURATION_MISSING]
    for i, row in enumerate(ctx.doc.prior_rows, 1):
        cell = row.cell("Duration")
        text = cell.value if cell else ""
        if not has_duration_text(text):
            out.append(
                finding(
                    FindingCode.DURATION_MISSING,
                    f"Prior-treatment row {i} has no duration or date range.",
                    span=cell.span if cell else row.span,
                )
            )
    return out
