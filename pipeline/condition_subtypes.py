"""Condition subtypes that ICD-10-CM tells apart and guidelines treat apart (heart failure
with reduced or preserved ejection fraction, type 1 or type 2 diabetes, Crohn's disease or
ulcerative colitis): a passage about one subtype must map to its prefixes only, or it fits a
patient with another (an HFrEF drug passage mapped to I50 fits an HFpEF patient, I50.33).

The families are data (``condition_subtypes.yaml``); :func:`subtype_problems` names a
passage whose own words name some subtypes of a family while its conditions reach one it
does not name, for ``lmn corpus check`` (the fix is the passage's ``conditions``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .fileio import load_yaml
from .models import Passage

SPEC = Path(__file__).with_name("condition_subtypes.yaml")


class Subtype(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    prefixes: tuple[str, ...]
    """ICD-10-CM prefixes of the subtype, as written (dots allowed)."""
    words: tuple[str, ...]
    """Patterns that name the subtype in a passage's text."""

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(r"\b(?:" + "|".join(self.words) + r")(?!\w)", re.IGNORECASE)

    @property
    def codes(self) -> tuple[str, ...]:
        """The prefixes dotless, upper case (as passages and diagnoses are compared)."""
        return tuple(p.replace(".", "").upper() for p in self.prefixes)


class Family(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    whole: tuple[str, ...] = ()
    """Patterns saying a passage is about the whole family, whatever subtype it also names."""
    subtypes: tuple[Subtype, ...]

    @functools.cached_property
    def whole_pattern(self) -> re.Pattern[str] | None:
        if not self.whole:
            return None
        return re.compile(r"\b(?:" + "|".join(self.whole) + r")\b", re.IGNORECASE)


class SubtypeTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    families: tuple[Family, ...]


@functools.cache
def table() -> SubtypeTable:
    """The subtype families, read once."""
    return SubtypeTable.model_validate(load_yaml(SPEC.read_text(encoding="utf-8")))


def subtype_problems(passage: Passage) -> list[str]:
    """One line per family where the passage names some subtypes and its conditions reach
    another: which condition, which subtype, and the prefixes to map it to instead."""
    text = f"{passage.title} {passage.text}"  # a label's section names the code it was filed by
    problems = []
    for family in table().families:
        named = [s for s in family.subtypes if s.pattern.search(text)]
        if not named or len(named) == len(family.subtypes):
            continue
        if family.whole_pattern is not None and family.whole_pattern.search(text):
            continue
        allowed = {code for s in named for code in s.codes}
        for other in family.subtypes:
            if other in named:
                continue
            reached = [
                c
                for c in passage.conditions
                if any(code.startswith(c) for code in other.codes if code not in allowed)
            ]
            if reached:
                names = " and ".join(s.name for s in named)
                to = ", ".join(p for s in named for p in s.prefixes)
                problems.append(
                    f"conditions: {', '.join(reached)} reaches {other.name}, but the passage "
                    f"names only {names}: map it to {to}"
                )
    return problems


def _specific(family: Family) -> list[tuple[Subtype, tuple[str, ...]]]:
    """Each subtype with its codes no other subtype of the family shares (I50.2 for reduced
    ejection fraction; I50.4, combined, belongs to both)."""
    out = []
    for s in family.subtypes:
        others = {c for o in family.subtypes if o is not s for c in o.codes}
        out.append((s, tuple(c for c in s.codes if c not in others)))
    return out


def _subtypes_of(codes: Iterable[str], family: Family) -> list[Subtype]:
    """The subtypes whose own codes one of ``codes`` (dotless) falls under."""
    listed = list(codes)
    return [s for s, own in _specific(family) if any(c.startswith(own) for c in listed if own)]


def subtype_reason(passage: Passage, diagnoses: Iterable[str]) -> str | None:
    """Why a passage mapped to one subtype does not fit a patient with another of its family
    (an HFrEF passage, I50.2, and an HFpEF patient, I50.33), or None. A passage mapped to
    every subtype, a patient with no subtype or with the passage's own is no reason, and
    neither is a diagnosis outside the family (I11.0 beside I50.33 is still HFpEF)."""
    dx = list(diagnoses)
    for family in table().families:
        mapped = _subtypes_of(passage.conditions, family)
        if not mapped or len(mapped) == len(family.subtypes):
            continue
        has = _subtypes_of(dx, family)
        if has and not set(map(id, has)) & set(map(id, mapped)):
            about = " and ".join(s.name for s in mapped)
            patient = " and ".join(s.name for s in has)
            return f"it is about {about}; the patient has {patient}"
    return None
