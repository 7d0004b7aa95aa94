"""Denial-category specs: what each denial ground turns on and how the letter answers it.

One versioned YAML file per :class:`~pipeline.models.DenialCategory` member, loaded into
:class:`CategorySpec`. The argument writer reads the strategy, the opening and the exception
sentence; the offline engine's denial answer reads the claim.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from functools import cache
from pathlib import Path

import yaml
from pydantic import Field

from ...models import DenialCategory, Strict

HERE = Path(__file__).resolve().parent


class Strategy(StrEnum):
    """How the letter answers a denial ground."""

    criteria = "criteria"
    """Criterion by criterion, each requirement against the record."""
    step_therapy = "step_therapy"
    """Each trial with dose, duration, outcome; why each preferred alternative is inappropriate."""
    experimental = "experimental"
    """FDA status, compendia, guideline grade, trials."""
    exception = "exception"
    """Concede the cap and ask for an exception with progress against goals."""
    level_of_care = "level_of_care"
    """Each dimension of the level-of-care criteria."""
    documentation = "documentation"
    """The enclosed records, named."""
    functional = "functional"
    """Functional impairment with objective measures."""
    plan_terms = "plan_terms"
    network = "network"
    reprocess = "reprocess"
    """Correct the defect; for a claim, reprocess and pay."""


class CategorySpec(Strict):
    """How the letter answers one denial category."""

    category: DenialCategory
    version: int = Field(ge=1)
    claim: str = Field(min_length=10)
    """What the denial says, as the letter restates it ('the requested service is ...')."""
    match: str = Field(min_length=5)
    """Words that find the case facts answering the ground when the denial cites no criterion."""
    strategy: Strategy
    argue: str = Field(min_length=20)
    """What the argument must state for this ground."""
    evidence: list[str] = Field(min_length=1)
    """The kinds of fact the argument rests on."""
    opening: str = Field(min_length=10)
    """The position the opening summary takes."""
    exception: str = Field(min_length=20)
    """The sentence for a conceded criterion: the exception asked for instead."""


@cache
def specs() -> dict[DenialCategory, CategorySpec]:
    """Every category's spec (read once)."""
    out: dict[DenialCategory, CategorySpec] = {}
    for path in sorted(HERE.glob("*.yaml")):
        spec = CategorySpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        out[spec.category] = spec
    return out


def spec_for(categories: Iterable[str]) -> CategorySpec:
    """The spec of the primary category (not medically necessary when none is given)."""
    table = specs()
    for category in categories:
        if category in table:
            return table[DenialCategory(category)]
    return table[DenialCategory.not_medically_necessary]
