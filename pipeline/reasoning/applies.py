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
from ..text.sentences import split_sentences

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
    taking: list[str] = []
    name_chars: int = 5
    generic: list[str] = []
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
    """'initial' or 'continuation' when the service's words say only the one; else 'initial'
    when the case shows the patient has never had the service (:func:`_never_had`)."""
    spec = _spec()
    text = f"{case.service.description or ''} {case.service.details or ''}"
    initial = bool(_re(tuple(spec.initial)).search(text))
    going = bool(_re(tuple(spec.continuation)).search(text))
    if initial != going:
        return "initial" if initial else "continuation"
    return "initial" if not going and _never_had(case) else None


_STRENGTH_RE = re.compile(r"\d\s*(?:mg|mcg|µg|g|mL|units?|IU)\b", re.IGNORECASE)
"""A drug's strength ('320 mg', '100 units'): a description stating one names a drug."""

_NAME_HEAD_RE = re.compile(r"^[^,\d;]*")
"""A service description's naming words: before its first strength, comma or semicolon."""


def service_names(case: CaseFacts) -> list[str]:
    """The names the case gives the service, lower case: a drug's first word (after a route,
    ``generic``) and the capitalised words in its parentheses ('Bimekizumab-bkzx (Bimzelx)
    320 mg ...' -> ['bimekizumab', 'bimzelx'], '... closure (WATCHMAN FLX Pro)' ->
    ['watchman']), each at least ``name_chars`` letters; [] when it has none."""
    described = _re(tuple(_spec().generic)).sub("", case.service.description or "")
    head = _NAME_HEAD_RE.match(described)
    said = head.group(0) if head else ""
    # a drug (a strength follows its name) is named by its first word; a brand in parentheses
    # names a drug or a device, in capitals; other words name a kind of service, not this one
    words = said.split()[:1] if _STRENGTH_RE.search(described) else []
    names = [w for text in words for w in re.findall(r"[A-Za-z]+", text.split("-")[0])]
    names += [
        w for text in re.findall(r"\(([^()]*)", said) for w in re.findall(r"\b[A-Z][A-Za-z]+", text)
    ]
    least = _spec().name_chars
    return list(dict.fromkeys(n.lower() for n in names if len(n) >= least))


def _never_had(case: CaseFacts) -> bool:
    """The case shows the service is new to the patient: it has names (:func:`service_names`)
    and no prior treatment or finding names one, nor a sentence of the summary that says the
    patient is on it (a `taking` word)."""
    names = service_names(case)
    if not names:
        return False
    named = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")", re.IGNORECASE)
    had = [t.name for t in case.prior_treatments]
    had += [f"{f.name} {f.value}" for f in case.objective_findings]
    if any(named.search(text) for text in had):
        return False
    taking = _re(tuple(_spec().taking))
    return not any(
        named.search(s) and taking.search(s) for s in split_sentences(case.clinical_summary or "")
    )


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
