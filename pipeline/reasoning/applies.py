"""Whether a criterion is for this patient at all: a criterion whose head names a population
('If female of reproductive potential:', 'Continuation requests only:') that the case places the
patient outside of does not apply. Undecided (the case does not say) is never 'does not apply'.
The words are data (``data/applies.yaml``)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from ..models import CaseFacts

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


@cache
def _spec() -> _Applies:
    return _Applies.model_validate(yaml.safe_load(_FILE.read_text(encoding="utf-8")))


@cache
def _re(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(words), re.IGNORECASE)


def _sex(case: CaseFacts) -> str | None:
    """'female' or 'male' when the summary says only the one."""
    spec = _spec()
    text = case.clinical_summary or ""
    female = bool(_re(tuple(spec.female)).search(text))
    male = bool(_re(tuple(spec.male)).search(text))
    return "female" if female and not male else "male" if male and not female else None


def _request(case: CaseFacts) -> str | None:
    """'initial' or 'continuation' when the service's words say only the one."""
    spec = _spec()
    text = f"{case.service.description or ''} {case.service.details or ''}"
    initial = bool(_re(tuple(spec.initial)).search(text))
    going = bool(_re(tuple(spec.continuation)).search(text))
    return "initial" if initial and not going else "continuation" if going and not initial else None


def head(text: str) -> str:
    """The words that say who a criterion is for: before its first colon, or its first words."""
    colon = text.find(":")
    return text[:colon] if 0 <= colon <= _HEAD_CHARS else text[:_HEAD_CHARS]


def not_for(text: str, case: CaseFacts) -> str:
    """Why the criterion does not apply to this patient, in one clause; '' when it applies or
    the case does not say."""
    words = head(text)
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
