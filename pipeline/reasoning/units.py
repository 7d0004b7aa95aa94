"""A quantity's unit as a case writes it, read once into the form the checks compare: the same
unit's other spellings ('mg/dl', 'mm Hg', 'kg/m²') and the unit a laboratory test is reported in
when the case writes its value as a number alone ('Serum uric acid: 7.9'). The spellings and the
tests' units are data (``data/units.yaml``)."""

from __future__ import annotations

import re
from functools import cache

import yaml
from pydantic import Field

from ..models import Finding, Strict
from ..text.dates import iso_dates
from ..text.numbers import NUMBER, number_value
from .classes import DATA


class Spelling(Strict):
    unit: str
    written: list[str] = Field(min_length=1)


class Reported(Strict):
    unit: str
    tests: list[str] = Field(min_length=1)


class Conversion(Strict):
    unit: str
    written: str
    factor: float = Field(gt=0)


class UnitBook(Strict):
    version: int = Field(ge=1)
    spellings: list[Spelling]
    reported_in: list[Reported]
    conversions: list[Conversion]


@cache
def unit_book() -> UnitBook:
    """``data/units.yaml``, loaded once."""
    return UnitBook.model_validate(
        yaml.safe_load((DATA / "units.yaml").read_text(encoding="utf-8"))
    )


@cache
def _spellings() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(rf"(?<=\d)(\s*)(?:{'|'.join(s.written)})(?![\w/²^])", re.IGNORECASE), s.unit)
        for s in unit_book().spellings
    )


def canonical_units(text: str) -> str:
    """The text with each unit after a number in the one spelling of ``data/units.yaml``
    ('132 mg/dl' -> '132 mg/dL', '31.4 kg/m²' -> '31.4 kg/m2')."""
    for pattern, unit in _spellings():
        text = pattern.sub(rf"\g<1>{unit}", text)
    return text


def canonical_words(text: str) -> str:
    """What a fact's words read as for choosing by meaning: its dates in one form (ISO) and its
    units in one spelling, so that an equivalent wording of the same fact reads the same."""
    return canonical_units(iso_dates(text))


_BARE_RE = re.compile(rf"^\s*(?:[<>≤≥]=?\s*)?({NUMBER})\s*$")


@cache
def _reported() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (re.compile("|".join(r.tests), re.IGNORECASE), r.unit) for r in unit_book().reported_in
    )


def reported_value(finding: Finding) -> tuple[float, str] | None:
    """A lab finding whose value is a number alone, in the unit its test is reported in
    ('Serum uric acid', '7.9' -> (7.9, 'mg/dL')); None for any other finding."""
    bare = _BARE_RE.match(finding.value) if finding.kind == "lab" else None
    if bare is None:
        return None
    unit = next((u for pattern, u in _reported() if pattern.search(finding.name)), None)
    return (number_value(bare[1]), unit) if unit else None


def written_in(unit: str) -> str:
    """A regex of the ways a quantity compared in ``unit`` is written: the unit itself and the
    units ``data/units.yaml`` converts to it ('kg': 'kg|lbs?|pounds?|g')."""
    others = [c.written for c in unit_book().conversions if c.unit == unit]
    return "|".join([re.escape(unit), *others])


def converted(value: float, written: str, unit: str) -> float | None:
    """``value`` written in ``written`` as a quantity in ``unit`` (52.5, 'lb', 'kg' -> 23.81);
    None when ``data/units.yaml`` converts no such unit to it."""
    if written.lower() == unit.lower():
        return value
    for c in unit_book().conversions:
        if c.unit == unit and re.fullmatch(c.written, written, re.IGNORECASE):
            return value * c.factor
    return None


@cache
def _weight_re() -> re.Pattern[str]:
    # a body weight: never a BMI's kg/m2 nor a dose's mg/kg
    return re.compile(rf"(?<![\w./])({NUMBER})\s*({written_in('kg')})(?![\w/²^])", re.IGNORECASE)


def weight_kg(text: str) -> tuple[float, str] | None:
    """The first body weight a text states, in kg, with its words as written ('weight 52.5 lb'
    -> (23.81, '52.5 lb')); None when it states none."""
    for m in _weight_re().finditer(text):
        kg = converted(number_value(m[1]), m[2], "kg")
        if kg is not None and m[2].lower() != "g":  # a gram figure is no body weight
            return kg, m[0].strip()
    return None
