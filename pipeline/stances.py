"""Whether a passage's position is for or against the care it is about (``Passage.stance``).

A guideline that recommends against an injection for an indication is no support for that
injection; a passage recommending one drug and advising against another (``not_for``) is no
support for the other. :func:`derive` reads the stance from the source's grade when the data
does not state it; :func:`unstated_against` finds a passage whose stated position advises
against care without saying so in its data. The grades and words are data (``stances.yaml``).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .fileio import load_yaml
from .models import Passage, Stance

SPEC = Path(__file__).with_name("stances.yaml")


class StanceSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    against_grades: tuple[str, ...]
    against_words: tuple[str, ...]
    read_from_text: tuple[str, ...]
    against_coverage: tuple[str, ...]
    read_as: dict[str, Stance] = {}

    @functools.cached_property
    def grade_pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{g})" for g in self.against_grades), re.IGNORECASE)

    @functools.cached_property
    def words_pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{w})" for w in self.against_words), re.IGNORECASE)

    @functools.cached_property
    def coverage_pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{w})" for w in self.against_coverage), re.IGNORECASE)

    def read(self, passage: Passage) -> bool:
        """An imported passage's first sentence takes a position against care: for a coverage
        rule, it does not cover the care; for a guideline or label, it recommends against it."""
        words = self.coverage_pattern if passage.kind == "coverage_policy" else self.words_pattern
        return passage.file in self.read_from_text and bool(
            words.search(_first_sentence(passage.text))
        )


@functools.cache
def spec() -> StanceSpec:
    """The stances spec, read once."""
    return StanceSpec.model_validate(load_yaml(SPEC.read_text(encoding="utf-8")))


def derive(passage: Passage) -> Passage:
    """The passage with its stance read when the data states none: ``against`` for a grade
    that recommends against the care (Grade D, Usually Not Appropriate), and for a passage of
    an imported file (``read_from_text``) whose first sentence takes a position against care
    (a USPSTF statement that does not recommend screening, an NCD's non-covered uses)."""
    if passage.stance is not None:
        return passage
    table = spec()
    if passage.id in table.read_as:  # an imported passage the words misread
        return passage.model_copy(update={"stance": table.read_as[passage.id]})
    if table.grade_pattern.search((passage.recommendation or "").strip()) or table.read(passage):
        return passage.model_copy(update={"stance": Stance.against})
    return passage


_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]])\.\s+(?=[A-Z(])")


def _first_sentence(text: str) -> str:
    return _SENTENCE_END.split(" ".join(text.split()), maxsplit=1)[0]


def against(passage: Passage) -> bool:
    """The passage's position is against the care it is about."""
    return passage.stance is Stance.against


def unstated_against(passage: Passage, stated: str | None) -> bool:
    """The passage's ``stated`` position advises against care, and its data says neither its
    stance nor what it advises against (``not_for``)."""
    if passage.stance is not None or passage.not_for or not stated:
        return False
    return bool(spec().words_pattern.search(stated))
