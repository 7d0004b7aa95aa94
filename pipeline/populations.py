"""Whom a passage is written for: infants, children, adolescents, adults, pregnancy.

A guideline for one population is no reference for a patient outside it (the Joint Committee
on Infant Hearing's statement for an adult's cochlear implant). A passage states its
population as data (``population``, ``min_age``, ``max_age``) or in its own words: the title,
section or issuing body naming it ('... in Children and Adolescents', 'Joint Committee on
Infant Hearing'), and for a label's indication the statement itself ('pediatric patients 6 to
17 years of age'). :func:`derive` fills the fields from those words when the data does not
set them; :func:`population_reason` says why a patient is outside. The words and ages are
data (``populations.yaml``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .fileio import load_yaml
from .models import Passage, Population

SPEC = Path(__file__).with_name("populations.yaml")


class PopulationSpec(BaseModel):
    """One population: its ages, the diagnoses that place a patient in it, its words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_age: int | None = None
    max_age: int | None = None
    conditions: tuple[str, ...] = ()
    """ICD-10-CM prefixes a patient in it has (pregnancy); empty: decided by age alone."""
    words: tuple[str, ...]
    in_statements: bool = True
    """Read in an indication's statement too ('in pediatric patients'); False for words an
    indication uses of something else ('prevention of pregnancy', 'the elderly')."""

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(r"\b(?:" + "|".join(self.words) + r")\b", re.IGNORECASE)


class PopulationTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    populations: dict[Population, PopulationSpec]
    age_range: str

    @functools.cached_property
    def age_pattern(self) -> re.Pattern[str]:
        return re.compile(self.age_range, re.IGNORECASE)


@functools.cache
def table() -> PopulationTable:
    """The populations spec, read once."""
    return PopulationTable.model_validate(load_yaml(SPEC.read_text(encoding="utf-8")))


def named(text: str) -> list[Population]:
    """The populations ``text`` names, in the spec's order."""
    return [p for p, spec in table().populations.items() if spec.pattern.search(text)]


def derive(passage: Passage) -> Passage:
    """The passage with ``population`` and ``max_age`` filled from its own words when its
    data leaves them unset (``population: [all]`` in the data keeps it for everyone)."""
    update: dict[str, object] = {}
    if not passage.population:
        heads = f"{passage.title} {passage.section} {passage.issuing_body}"
        found = named(heads)
        if passage.indication:
            found += [p for p in named(passage.text) if p not in found and _in_statements(p)]
        if found:
            update["population"] = found
    oldest = _oldest(passage.text) if passage.indication else None
    if passage.max_age is None and oldest is not None:
        update["max_age"] = oldest
    return passage.model_copy(update=update) if update else passage


def _in_statements(population: Population) -> bool:
    return table().populations[population].in_statements


def _oldest(statement: str) -> int | None:
    """The top of the age range an indication states ('6 to 17 years': 17, '6 to 23 months':
    1), when it states exactly one."""
    ranges = table().age_pattern.findall(statement)
    if len(ranges) != 1:
        return None
    _, top, unit = ranges[0]
    return int(top) if unit.lower() == "years" else int(top) // 12


def population_reason(passage: Passage, age: int | None, diagnoses: Iterable[str]) -> str | None:
    """Why the patient (``age`` in years, None when unknown; dotless ICD-10-CM
    ``diagnoses``) is outside every population of the passage, or None. A passage's own
    ``min_age``/``max_age`` bound each of its populations; unknown is no reason."""
    if Population.all in passage.population:
        return None
    dx = list(diagnoses)
    specs = [table().populations[p] for p in passage.population]
    low, high = passage.min_age, passage.max_age
    outside = age is not None and (
        (low is not None and age < low) or (high is not None and age > high)
    )
    if not outside and (not specs or any(_inside(s, low, high, age, dx) for s in specs)):
        return None
    return f"its population is {_who(passage, specs, low, high)}; {_patient(age, dx)}"


def _inside(
    spec: PopulationSpec, low: int | None, high: int | None, age: int | None, dx: list[str]
) -> bool:
    """The patient is in the population (unknown age or diagnoses: not shown outside)."""
    low = spec.min_age if low is None else low
    high = spec.max_age if high is None else high
    if age is not None and ((low is not None and age < low) or (high is not None and age > high)):
        return False
    return not spec.conditions or not dx or any(d.startswith(spec.conditions) for d in dx)


def _who(passage: Passage, specs: list[PopulationSpec], low: int | None, high: int | None) -> str:
    words = " and ".join(p.value.replace("_", " ") for p in passage.population) or "patients"
    if len(specs) == 1 and not specs[0].conditions:
        low = specs[0].min_age if low is None else low
        high = specs[0].max_age if high is None else high
    if low is not None and high is not None:
        return f"{words} aged {low} to {high}"
    if low is not None:
        return f"{words} {low} and older"
    if high is not None:
        return f"{words} up to age {high}"
    return words


def _patient(age: int | None, dx: list[str]) -> str:
    return f"the patient is {age}" if age is not None else "no diagnosis of the patient's is"
