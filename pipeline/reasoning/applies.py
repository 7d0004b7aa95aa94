"""Whether a criterion is for this patient at all: a criterion whose head names a population
('If female of reproductive potential:', 'Continuation requests only:') that the case places the
patient outside of does not apply, nor one written for an age band the patient is outside of
('For members age 12-17:' for a 67-year-old). Undecided (the case does not say) is never 'does
not apply'. The words are data (``data/applies.yaml``)."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from ..letter_format import PAYER_NOT_APPLICABLE
from ..models import CaseFacts
from ..text.dates import years_between

_FILE = Path(__file__).with_name("data") / "applies.yaml"
_HEAD_CHARS = 90
"""A criterion's head: the words before its first colon when it comes this early, else as many."""


class _Rule(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    lead: str
    population: str
    for_: Literal["female", "male", "continuation"] = Field(alias="for")


class _Applies(BaseModel):
    rules: list[_Rule]
    female: list[str]
    male: list[str]
    initial: list[str]
    continuation: list[str]
    age_bands: list[str] = []
    open_ages: list[str] = []
    notice: list[str] = []


@cache
def _spec() -> _Applies:
    return _Applies.model_validate(yaml.safe_load(_FILE.read_text(encoding="utf-8")))


@cache
def _re(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(words), re.IGNORECASE)


def _sex(case: CaseFacts) -> str | None:
    """'female' or 'male' when the summary says only the one."""
    return sex_in(case.clinical_summary or "")


def sex_in(text: str) -> str | None:
    """'female' or 'male' when the text (a case's summary) says only the one."""
    spec = _spec()
    female = bool(_re(tuple(spec.female)).search(text))
    male = bool(_re(tuple(spec.male)).search(text))
    return "female" if female and not male else "male" if male and not female else None


def _request(case: CaseFacts) -> str | None:
    """'initial' or 'continuation' when the service's words say only the one; None when they
    say neither (a drug the case does not name as taken is no evidence of a new start: a
    renewal, a biosimilar switch or a replacement device may be written in other words)."""
    spec = _spec()
    text = f"{case.service.description or ''} {case.service.details or ''}"
    initial = bool(_re(tuple(spec.initial)).search(text))
    going = bool(_re(tuple(spec.continuation)).search(text))
    return "initial" if initial and not going else "continuation" if going and not initial else None


_AGE_SAID_RE = re.compile(r"\b(\d{1,3})[- ]years?[- ]old\b", re.IGNORECASE)


def _age(case: CaseFacts, on: dt.date | None) -> int | None:
    """The patient's age in whole years: from the date of birth on ``on``, else the one the
    summary states ('a 67-year-old man'); None when the case says neither."""
    born = case.patient.date_of_birth
    if born is not None and on is not None and born < on:
        return years_between(born, on)
    said = _AGE_SAID_RE.search(case.clinical_summary or "")
    return int(said.group(1)) if said else None


def _age_bands(text: str) -> list[tuple[int, int]]:
    """The age bands the criterion is written for, (first year, last year)."""
    bands = []
    for pattern in _spec().age_bands:
        for m in re.finditer(pattern, text, re.IGNORECASE):
            low, high = int(m.group(1)), int(m.group(2))
            if low < high and (low, high) not in bands:
                bands.append((low, high))
    return bands


_POPULATION_RE = re.compile(
    r"\bonly\b|\bfor (?:members|patients|enrollees|beneficiaries|children|adolescents|adults)\b",
    re.IGNORECASE,
)
"""Words making an age band who the criterion is for ('Members aged 12-17 only'), not what it
requires of the patient ('Age 18 through 60 years at the time of the stroke')."""


def _outside_ages(text: str, case: CaseFacts, on: dt.date | None) -> str:
    """Why a criterion for an age band does not apply ('it is for patients aged 12-17, and my
    patient is 67'): a band in its head ('For members age 12-17:') or one it restricts to
    ('Members aged 12-17 only'); '' when it names none, names an open age too, the band is what
    it requires (that requirement's check says met or not), or the age is unknown."""
    said = head(text) if 0 <= text.find(":") <= _HEAD_CHARS else text
    if said is text and not _POPULATION_RE.search(text):
        return ""
    bands = _age_bands(said)
    if not bands or _re(tuple(_spec().open_ages)).search(said):
        return ""
    age = _age(case, on)
    if age is None or any(low <= age <= high for low, high in bands):
        return ""
    named = " or ".join(f"{low}-{high}" for low, high in bands)
    return f"it is for patients aged {named}, and my patient is {age}"


def head(text: str) -> str:
    """The words that say who a criterion is for: before its first colon, or its first words."""
    colon = text.find(":")
    return text[:colon] if 0 <= colon <= _HEAD_CHARS else text[:_HEAD_CHARS]


def not_for(text: str, case: CaseFacts, on: dt.date | None = None) -> str:
    """Why the criterion does not apply to this patient, in one clause; '' when it applies or
    the case does not say. ``on``: the date an age is counted on (the notice's)."""
    if ages := _outside_ages(text, case, on):
        return ages
    words = head(text)
    if _re(tuple(_spec().notice)).search(words):  # the notice's own 'does not apply to you'
        return PAYER_NOT_APPLICABLE
    for rule in _spec().rules:
        if not _re((rule.lead,)).search(words):
            continue
        if rule.for_ in ("female", "male"):
            sex = _sex(case)
            if sex is not None and sex != rule.for_:
                return f"it is for {rule.population}, and my patient is {sex}"
        elif _request(case) == "initial":
            return f"it is for {rule.population}, and this is an initial request"
    return ""
