"""Denial-category specs: what each denial ground turns on and how the letter answers it.

One versioned YAML file per :class:`~pipeline.models.DenialCategory` member, loaded into
:class:`CategorySpec`. The argument writer reads the strategy, the opening and the exception
sentence; the offline engine's denial answer reads the claim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import Field

from ...models import DenialCategory, Strict
from ...prefilter import Prefiltered, fold

HERE = Path(__file__).resolve().parent

_Spec = TypeVar("_Spec", bound=Strict)


def load_spec(model: type[_Spec], *parts: str) -> _Spec:
    """A spec file under ``specs/`` (``parts`` of its path) read into its model."""
    return model.model_validate(yaml.safe_load(HERE.joinpath(*parts).read_text(encoding="utf-8")))


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


class Phrase(Strict):
    """A way a denial letter states a ground, and how much it says for that ground."""

    pattern: str = Field(min_length=3)
    """Regex, case-insensitive, matched from a word boundary."""
    weight: float = Field(gt=0)


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
    exception_grounds: list[str] = Field(default_factory=list)
    """Exception grounds (``exception/drug_exception.yaml`` keys) the sentence asserts: it is
    written only when a case fact supports one of them, else ``exception_unsupported``."""
    exception_unsupported: str | None = Field(default=None, min_length=20)
    """The sentence without the ground, followed by a gap's placeholder."""
    exception_by_ground: dict[str, str] = Field(default_factory=dict)
    """The sentence for a conceded criterion per ground (keys of ``exception_grounds``): when
    the case supports only some grounds, the first of them in ``exception_grounds`` order that
    has a sentence here is stated, never a ground the case does not support ('ineffective or
    harmful' for a patient whose record states only the harm of switching a regimen)."""
    rule_words: list[str] = Field(default_factory=list)
    """Patterns (regex, case-insensitive) by which a criterion states this ground's rule
    ('benefit maximum', 'visits per plan year')."""
    applied_words: list[str] = Field(default_factory=list)
    """Patterns by which the payer's reason says the rule was reached ('30 of 30 visits have
    been used'): the letter then concedes it and asks for the exception."""
    exception_words: list[str] = Field(default_factory=list)
    """Patterns by which the rule wants a written exception request from the physician (the
    letter then says it is that request)."""
    part: str | None = Field(default=None, min_length=20)
    """The sentence that answers this ground when the notice states it as one part of several
    (``reasoning/parts.py``); {what}: the service or claim line the part is about."""
    part_words: str | None = None
    """Words that find the case facts the part's section sets out after its sentence (none:
    the part's own words find them)."""
    precedence: int = Field(ge=1)
    """Which ground leads when two score the same (the more specific first: lower leads)."""
    phrases: list[Phrase] = Field(min_length=1)
    """How a denial letter states this ground (extraction scores each category by them)."""

    def states_rule(self, text: str) -> bool:
        return _any(self.rule_words, text)

    def applied(self, text: str) -> bool:
        return _any(self.applied_words, text)

    def asks_exception(self, text: str) -> bool:
        return _any(self.exception_words, text)


def _any(patterns: list[str], text: str) -> bool:
    return bool(patterns) and _compiled("|".join(patterns)).search(text, fold(text)) is not None


@cache
def _compiled(pattern: str) -> Prefiltered:
    return Prefiltered.compile(pattern, re.IGNORECASE)


@cache
def pattern(text: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """A spec's pattern, compiled on its first use and kept for the process (a spec's patterns
    are a fixed set; ``re``'s own cache of 512 is shared with every pattern a draft builds)."""
    return re.compile(text, flags)


@cache
def _any_of(patterns: tuple[str, ...]) -> Prefiltered:
    return Prefiltered.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def says(patterns: Sequence[str], text: str) -> bool:
    """Whether ``text`` says any of a spec's word patterns (case-insensitive; none: False).
    The text is scanned only when it holds the words a pattern cannot match without
    (``pipeline.prefilter``): a notice is asked for dozens of patterns a draft, most absent."""
    return bool(patterns) and _any_of(tuple(patterns)).search(text, fold(text)) is not None


class RequestTiming(Strict):
    """How a notice says it denied a request made before the service (its dates are request
    dates, not dates of service: the letter asks for approval, not payment)."""

    version: int = Field(ge=1)
    pre_service: list[str] = Field(min_length=1)
    """Patterns (regex, case-insensitive) of a pre-service notice."""
    post_service: list[str] = Field(default_factory=list)
    """Patterns of the denial of a claim for a service already given (an EOB, reason codes)."""
    labelled_post_service: list[str] = Field(default_factory=list)
    """Patterns of a notice that names itself the denial of a post-service claim."""
    claim_document: list[str] = Field(default_factory=list)
    """Patterns of a claim document (an explanation of benefits, a remittance): with every date
    of service before the notice it is a post-service claim, whatever request its narrative
    mentions (a prior authorization number, a recertification request received)."""

    given_in_case: list[str] = Field(default_factory=list)
    """Patterns of a case's service details that say a dated service was given ('performed
    11/04/2026', 'delivered 10/28/2026')."""

    not_yet_given: list[str] = Field(default_factory=list)
    """Patterns that make a clause future or conditional ('to be performed ... if approved'):
    such a clause never says the service was given."""

    lapsed_period: list[str] = Field(default_factory=list)
    """Patterns of a case's words that mark a date range as lapsed or replaced ('original
    requested window ... lapsed'): the request asks for the range given in its place."""

    side_window: list[str] = Field(default_factory=list)
    """Patterns of a sentence giving a window beside the appeal's (missing information that
    reopens the request without an appeal, a resubmission): its date is never the appeal's
    deadline, its fax never the appeals fax."""

    not_appeal: list[str] = Field(default_factory=list)
    """Patterns of a sentence saying the step it follows is not the appeal ('This is not an
    appeal'): that step's window is a side window."""

    def says_not_appeal(self, sentence: str) -> bool:
        """Whether the sentence says the step beside it is not the appeal (:attr:`not_appeal`)."""
        return _any(self.not_appeal, sentence)

    def is_side_window(self, sentence: str) -> bool:
        """Whether the sentence gives a window beside the appeal's (:attr:`side_window`)."""
        return _any(self.side_window, sentence)

    def says_given(self, clause: str) -> bool:
        """Whether a clause of the case's service details says the service was given (and not
        that it is still to be given: :attr:`not_yet_given`)."""
        return _any(self.given_in_case, clause) and not _any(self.not_yet_given, clause)

    def is_lapsed(self, clause: str) -> bool:
        """Whether a date range's own clause marks it as lapsed or replaced."""
        return _any(self.lapsed_period, clause)

    def is_pre_service(self, text: str) -> bool:
        return _any(self.pre_service, text)

    def is_labelled_post_service(self, text: str) -> bool:
        return _any(self.labelled_post_service, text)

    def is_claim_document(self, text: str) -> bool:
        return _any(self.claim_document, text)

    def is_post_service(self, text: str) -> bool:
        """A claim already given, by the notice's words (a pre-service notice never is)."""
        return not self.is_pre_service(text) and _any(self.post_service, text)


@cache
def request_timing() -> RequestTiming:
    """The notice-timing spec (``timing/request_timing.yaml``)."""
    path = HERE / "timing" / "request_timing.yaml"
    return RequestTiming.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


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
