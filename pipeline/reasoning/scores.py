"""Named clinical scores computed from their components ('a CHA2DS2-VASc score of 3 or more'
when the record states no result of it): each component's points come from the published
table (``data/scores.yaml``, with its source), counted from the case's coded diagnoses, the
patient's age and sex. A component the record does not code scores nothing: the computed score is
the least the record supports, shown with its components, and compared with the threshold."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field

from ..models import Strict
from ..text.dates import years_between

_FILE = Path(__file__).with_name("data") / "scores.yaml"


class _Component(Strict):
    name: str
    points: int = Field(ge=1)
    codes: list[str] = Field(default_factory=list)
    age_min: int | None = None
    age_max: int | None = None
    sex: Literal["female", "male"] | None = None


class _Score(Strict):
    name: str
    names: list[str] = Field(min_length=1)
    source: str = Field(min_length=20)
    components: list[_Component] = Field(min_length=2)


class _Table(Strict):
    version: int = Field(ge=1)
    scores: list[_Score]


@cache
def _table() -> _Table:
    return _Table.model_validate(yaml.safe_load(_FILE.read_text(encoding="utf-8")))


@cache
def _names_re(score: str) -> re.Pattern[str]:
    named = next(s for s in _table().scores if s.name == score)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(named.names)})(?![\w])", re.IGNORECASE)


@dataclass(frozen=True)
class Computed:
    score: str
    value: int
    shown: str
    """The components counted with their points, the ones absent, and the table's source."""
    evidence: list[str]


def score_named(subject: str) -> str | None:
    """The score a requirement's subject names ('CHA2DS2-VASc'), else None."""
    return next((s.name for s in _table().scores if _names_re(s.name).search(subject)), None)


def compute(
    score: str,
    coded: tuple[tuple[str, str, str], ...],
    born: dt.date | None,
    on: dt.date,
    sex: str | None,
) -> Computed:
    """The score from the record: ``coded`` is (path, code, description) of each diagnosis,
    ``born`` the date of birth (age on ``on``), ``sex`` 'female'/'male' or None (unknown)."""
    spec = next(s for s in _table().scores if s.name == score)
    age = years_between(born, on) if born is not None else None
    counted: list[str] = []
    absent: list[str] = []
    evidence: list[str] = []
    total = 0
    for c in spec.components:
        why = ""
        if c.codes:
            hits = [(p, code) for p, code, _ in coded if code.upper().startswith(tuple(c.codes))]
            if hits:
                why = f"{c.name} {', '.join(code for _, code in hits)}"
                evidence += [p for p, _ in hits]
            else:
                absent.append(c.name)
        elif c.age_min is not None:
            if age is not None and age >= c.age_min and (c.age_max is None or age <= c.age_max):
                why = f"age {age}"
                evidence.append("patient.date_of_birth")
        elif c.sex is not None:
            if sex == c.sex:
                why = c.name
            elif sex is None:
                absent.append("sex (not stated)")
        if why:
            total += c.points
            counted.append(f"{why}: {c.points}")
    if age is not None and not any(x.startswith("age ") for x in counted):
        counted.append(f"age {age}: 0")
    elif age is None:
        absent.append("age (no date of birth)")
    zero = f"; not coded: {', '.join(absent)}: 0" if absent else ""
    shown = (
        f"{spec.name} {total} computed from the record ({'; '.join(counted)}{zero}; points as "
        f"published, {_cite(spec.source)})"
    )
    return Computed(spec.name, total, shown, list(dict.fromkeys(evidence)))


def _cite(source: str) -> str:
    """A source as a letter cites it: first author, journal and year ('Lip GYH et al., Chest
    2010')."""
    first = source.split(",")[0].strip()
    m = re.search(r"\.\s*([A-Z][A-Za-z. ]{1,40}?)\.\s*((?:19|20)\d{2})\b", source)
    return f"{first} et al., {m[1]} {m[2]}" if m else source[:60]
