"""What the model must return: bounded pydantic schemas (every string and list has a maximum).

These are the prompts' output models (``output.model`` in ``prompts/*.yaml``). They are narrower
than the pipeline's own models on purpose: the model fills only what it is asked for, and the
engine turns the answer into a ``DenialAnalysis`` or ``CriterionArgument`` objects after checks.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

from ..models import DenialCategory

MAX_CRITERIA = 10
MAX_SECTION_CHARS = 700

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10)]
PassageId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
FactId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class _Reply(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ExtractedCriterion(_Reply):
    """One criterion the denial says was not met, copied word for word from the letter."""

    text: str = Field(
        min_length=3, max_length=600, description="The criterion exactly as the letter words it."
    )
    source: str | None = Field(
        default=None,
        max_length=200,
        description="The guideline or policy it comes from, as named in the letter.",
    )


class ExtractedDenial(_Reply):
    """The model's reading of a denial letter."""

    insurer: str | None = Field(default=None, max_length=200, description="Payer or plan name.")
    member_id: str | None = Field(default=None, max_length=60)
    claim_number: str | None = Field(
        default=None, max_length=60, description="Claim, case, authorization or reference number."
    )
    reviewer: str | None = Field(
        default=None, max_length=200, description="Reviewing clinician with credentials."
    )
    cpt_codes: list[Code] = Field(default_factory=list, max_length=10)
    hcpcs_codes: list[Code] = Field(default_factory=list, max_length=10)
    icd10_codes: list[Code] = Field(default_factory=list, max_length=10)
    denial_categories: list[DenialCategory] = Field(
        default_factory=list, max_length=4, description="Why the claim was denied, primary first."
    )
    criteria: list[ExtractedCriterion] = Field(
        default_factory=list,
        max_length=MAX_CRITERIA,
        description="Each criterion the letter says was not met, in the letter's order.",
    )


class DraftSection(_Reply):
    """The argument answering one criterion."""

    criterion: int = Field(ge=1, le=MAX_CRITERIA, description="The criterion's number.")
    argument: str = Field(
        min_length=20,
        max_length=MAX_SECTION_CHARS,
        description="Why the criterion is met, from the listed facts; cites as [[cite:ID]].",
    )
    passage_ids: list[PassageId] = Field(
        default_factory=list, max_length=3, description="Ids of the passages cited."
    )
    evidence: list[FactId] = Field(
        default_factory=list, max_length=8, description="Ids of the case facts used."
    )


class ModelDraft(_Reply):
    """A section per criterion."""

    sections: list[DraftSection] = Field(min_length=1, max_length=MAX_CRITERIA)


@lru_cache(maxsize=32)
def draft_schema(criteria: int, sections: int) -> type[ModelDraft]:
    """``ModelDraft`` narrowed to this letter: exactly ``sections`` sections (a grammar-constrained
    server then cannot write more or fewer). Criterion numbers are bounded by ``criteria`` in the
    description only: servers' grammars do not enforce integer maxima, and a misnumbered section
    is placed by its position (``SectionChecker.arguments``) rather than sent back."""
    section = create_model(
        "DraftSection",
        __base__=DraftSection,
        criterion=(int, Field(ge=1, description=f"The criterion's number, 1 to {criteria}.")),
    )
    return create_model(
        "ModelDraft",
        __base__=ModelDraft,
        # A class made at run time is no type to mypy; pydantic reads it as one.
        sections=(list[section], Field(min_length=sections, max_length=sections)),  # type: ignore[valid-type]
    )
