"""A qualitative test result's polarity, read once per finding: negative ('Negative',
'Non-reactive', 'Not detected'), positive or indeterminate. The words are data
(``data/results.yaml``)."""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

import yaml
from pydantic import Field

from ..models import Strict
from .classes import DATA

Polarity = Literal["negative", "positive", "indeterminate"]


class ResultWords(Strict):
    version: int = Field(ge=1)
    negative: list[str] = Field(min_length=1)
    positive: list[str] = Field(min_length=1)
    indeterminate: list[str] = Field(min_length=1)


@cache
def _patterns() -> tuple[tuple[Polarity, re.Pattern[str]], ...]:
    words = ResultWords.model_validate(
        yaml.safe_load((DATA / "results.yaml").read_text(encoding="utf-8"))
    )
    # a negative or indeterminate wording holds a positive word ('not detected', 'non-reactive'):
    # they are tried first at each place
    return (
        ("negative", re.compile("|".join(words.negative), re.IGNORECASE)),
        ("indeterminate", re.compile("|".join(words.indeterminate), re.IGNORECASE)),
        ("positive", re.compile("|".join(words.positive), re.IGNORECASE)),
    )


def result_polarity(value: str) -> Polarity | None:
    """The polarity of a result as its value leads with it ('All non-reactive' -> 'negative',
    'Inconclusive; repeat' -> 'indeterminate'): the earliest result word decides; None when the
    value states none."""
    found = [(m.start(), -len(m[0]), p) for p, rx in _patterns() if (m := rx.search(value))]
    return min(found)[2] if found else None
