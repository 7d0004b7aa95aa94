"""Where in a course of treatment a request stands, and which passages answer it.

A guideline on starting a drug is no support for a request to intensify its dose, nor one on
intensifying it for a request to start it. A request's step is read from the words of its
service (``therapy_steps.yaml``: the most specific step first); a passage states the steps its
recommendation is about as data (``steps``). :func:`step_reason` says why a passage's steps do
not answer the request's; unknown on either side is no reason.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .fileio import load_yaml
from .models import Passage, TherapyStep

SPEC = Path(__file__).with_name("therapy_steps.yaml")

STEP_WORDS: dict[TherapyStep, str] = {
    TherapyStep.initiation: "starting the treatment",
    TherapyStep.dose_intensification: "intensifying its dose",
    TherapyStep.switch: "switching to another agent",
    TherapyStep.continuation: "continuing the treatment",
}


class StepSpec(BaseModel):
    """One step: the words that place a request at it and the passage steps that answer it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    words: tuple[str, ...] = Field(min_length=1)
    answered_by: tuple[TherapyStep, ...] = Field(min_length=1)

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{w})" for w in self.words), re.IGNORECASE)


class StepTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    steps: dict[TherapyStep, StepSpec]
    conditional: tuple[str, ...] = ()
    """Words of a clause that only foresees a step ('increase the dose to weekly if response is
    inadequate at week 12'): its step words place the request at no step."""

    @functools.cached_property
    def conditional_re(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{w})" for w in self.conditional) or r"(?!x)x", re.I)


@functools.cache
def table() -> StepTable:
    """The steps spec, read once."""
    return StepTable.model_validate(load_yaml(SPEC.read_text(encoding="utf-8")))


def request_step(text: str) -> TherapyStep | None:
    """The step the request's words place it at (the spec's first step whose words ``text``
    holds, outside a clause that only foresees a later step), or None."""
    spec_table = table()
    asserted = " ; ".join(
        clause
        for clause in re.split(r"[;,.()]", text)
        if not spec_table.conditional_re.search(clause)
    )
    for step, spec in spec_table.steps.items():
        if spec.pattern.search(asserted):
            return step
    return None


def step_reason(passage: Passage, step: TherapyStep | None) -> str | None:
    """Why the passage's steps do not answer a request at ``step``, or None (a passage stating
    no step, or a request of unknown step)."""
    if step is None or not passage.steps:
        return None
    if set(passage.steps) & set(table().steps[step].answered_by):
        return None
    about = " or ".join(STEP_WORDS[s] for s in passage.steps)
    return f"it is about {about}, and the request is for {STEP_WORDS[step]}"
