"""Whether a trial is of the strength a criterion asks for: a criterion asking for a
prescription-strength course ('a prescription-strength topical corticosteroid') is not met by
one the record shows over the counter or at a strength sold over the counter (hydrocortisone
1%), nor one asking for a potency ('medium potency or higher') by a low-potency product. The
words and strengths are data (``data/strength.yaml``)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel

from ..text.numbers import NUMBER, number_value
from .facts import Trial

_FILE = Path(__file__).with_name("data") / "strength.yaml"


class _Strength(BaseModel):
    value: float
    unit: str


class _Book(BaseModel):
    asks: dict[Literal["prescription", "potency"], list[str]]
    either: list[str]
    otc_words: list[str]
    otc_strengths: dict[str, _Strength]
    low_potency: list[str]


@cache
def _book() -> _Book:
    return _Book.model_validate(yaml.safe_load(_FILE.read_text(encoding="utf-8")))


@cache
def _re(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(words), re.IGNORECASE)


def asked(criterion: str) -> frozenset[str]:
    """What strength the criterion's words ask for: 'prescription', 'potency' (both, one or
    none); none when they allow a course over the counter too."""
    book = _book()
    if _re(tuple(book.either)).search(criterion):
        return frozenset()
    return frozenset(k for k, words in book.asks.items() if _re(tuple(words)).search(criterion))


def _strengths(text: str) -> list[tuple[float, str]]:
    """The strengths a trial's words state: (value, '%' or 'mg')."""
    out = []
    for m in re.finditer(rf"({NUMBER})\s*(%|mg\b)", text, re.IGNORECASE):
        out.append((number_value(m.group(1)), m.group(2).lower()))
    return out


def short_of(asks: frozenset[str], trial: Trial) -> str:
    """Why the trial is not of the strength asked, in a few words ('over the counter',
    'hydrocortisone 1% is an over-the-counter strength', 'low potency'); '' when it is or the
    record does not say."""
    if not asks:
        return ""
    book = _book()
    t = trial.treatment
    words = " ".join(w for w in (t.name, t.dose or "", t.outcome or "") if w)
    if _re(tuple(book.otc_words)).search(words):
        return "taken over the counter"
    if "prescription" in asks and trial.ingredient in book.otc_strengths:
        limit = book.otc_strengths[trial.ingredient]
        said = [v for v, unit in _strengths(f"{t.name} {t.dose or ''}") if unit == limit.unit]
        if said and max(said) <= limit.value:
            amount = f"{max(said):g}{limit.unit if limit.unit == '%' else ' ' + limit.unit}"
            return f"{trial.ingredient} {amount} is an over-the-counter strength"
    if "potency" in asks and _re(tuple(book.low_potency)).search(f"{t.name} {t.dose or ''}"):
        return "a low-potency product"
    return ""
