"""State benefit mandates as data (``specs/mandate/state_mandates.yaml``): what a state's law
requires a plan it regulates to cover (fertility preservation before a treatment that may cause
infertility, gender-affirming treatment), with the citation, the rule in the project's words and
the letter's sentence.

A mandate binds only a plan its state regulates: an insured plan (HMO, health care service
plan, insured group or individual policy) of that state; never a self-funded ERISA plan, FEHB,
TRICARE, Medicare, Medicare Advantage, Part D or Medicaid (:func:`exception.state_regulated`).
The plan's state is read from the regulator or law the notice names, or from the postal
address of its letterhead.

:func:`mandates_for` is the accessor the strategies and the letter read: the verified mandates
that bind this notice's plan for this case's service, each a :class:`StateMandate`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from pydantic import Field

from ..models import CaseFacts, DenialAnalysis, Strict
from .exception import state_regulated
from .specs import load_spec, says

Benefit = Literal["fertility_preservation", "gender_affirming_care"]
Carrier = Literal["health_care_service_plan", "insurer"]
"""The kinds of state-regulated carrier a statute governs: an HMO or health care service plan,
an insurer of a group or individual policy."""


class BenefitWords(Strict):
    """How a case's request shows a benefit's mandate bears on it."""

    title: str = Field(min_length=5)
    service: list[str] = Field(min_length=1)
    """Patterns of the request (service, details, diagnoses, summary); one must match."""
    cause: list[str] = Field(default_factory=list)
    """Patterns of what makes the benefit due (a treatment that may cause infertility); one
    must match when any are given."""


class Clause(Strict):
    """A further sentence, said when the notice holds one of its patterns."""

    notice: list[str] = Field(min_length=1)
    sentence: str = Field(min_length=40)


class StateMandate(Strict):
    """One state's statute (or rule) for one benefit."""

    state: str = Field(min_length=4)
    postal: str = Field(min_length=2, max_length=2)
    benefit: Benefit
    citation: str = Field(min_length=5)
    """As a lawyer cites it, with the exact section."""
    binds: list[Carrier] = Field(min_length=1)
    signals: list[str] = Field(default_factory=list)
    """Patterns by which a notice shows the plan is regulated in the state (its regulator)."""
    carrier: list[str] = Field(default_factory=list)
    """Patterns the notice must hold (the kind of carrier it governs); empty: any."""
    not_carrier: list[str] = Field(default_factory=list)
    """Patterns the notice must not hold (an insurers' statute is not an HMO's)."""
    verified: bool = False
    """Checked against a stored copy of its text; an unverified one is never stated."""
    source: str | None = None
    requires: str = Field(min_length=40)
    """What it requires, in the project's own words."""
    sentence: str = Field(min_length=40)
    """The letter's sentence, in the physician's voice, citing it."""
    also: list[Clause] = Field(default_factory=list)

    def paragraph(self, letter_text: str) -> str:
        """The letter's sentence and the clauses whose words the notice holds."""
        parts = [self.sentence, *(c.sentence for c in self.also if says(c.notice, letter_text))]
        return " ".join(" ".join(p.split()) for p in parts)


class MandateSpec(Strict):
    version: int = Field(ge=1)
    benefits: dict[Benefit, BenefitWords]
    mandates: list[StateMandate] = Field(min_length=1)


@cache
def mandate_spec() -> MandateSpec:
    """The spec, read once."""
    return load_spec(MandateSpec, "mandate", "state_mandates.yaml")


_HEAD_LINES = 15
"""The letterhead: the lines of the notice its sender's address is in."""
_POSTAL_RE = re.compile(r",?\s([A-Z]{2})\s+\d{5}(?:-\d{4})?\b")


def letterhead_states(letter_text: str) -> set[str]:
    """The postal codes of the addresses in the notice's letterhead ('Seattle, WA 98101')."""
    head = "\n".join(letter_text.splitlines()[:_HEAD_LINES])
    return {m.group(1) for m in _POSTAL_RE.finditer(head)}


def _request_text(case: CaseFacts) -> str:
    parts = [case.service.description, case.service.details, case.clinical_summary]
    parts += [f"{d.code} {d.description or ''}" for d in case.diagnoses]
    parts += case.service.codes
    return "\n".join(p for p in parts if p)


def _bears(words: BenefitWords, case: CaseFacts) -> bool:
    text = _request_text(case)
    return says(words.service, text) and (not words.cause or says(words.cause, text))


def _in_state(mandate: StateMandate, letter_text: str) -> bool:
    if mandate.signals and says(mandate.signals, letter_text):
        return True
    return mandate.postal in letterhead_states(letter_text)


def mandates_for(analysis: DenialAnalysis, letter_text: str, case: CaseFacts) -> list[StateMandate]:
    """The verified state mandates that bind this notice's plan for this case's request: the
    plan is state-regulated (insured, not self-funded, not a federal program or Medicaid), of
    the mandate's state and kind of carrier, and the request is for the mandate's benefit."""
    if not state_regulated(analysis, letter_text):
        return []
    spec = mandate_spec()
    out: list[StateMandate] = []
    for mandate in spec.mandates:
        if not mandate.verified or not _bears(spec.benefits[mandate.benefit], case):
            continue
        if not _in_state(mandate, letter_text):
            continue
        if mandate.carrier and not says(mandate.carrier, letter_text):
            continue
        if mandate.not_carrier and says(mandate.not_carrier, letter_text):
            continue
        out.append(mandate)
    return out


def mandate_strings(analysis: DenialAnalysis, letter_text: str, case: CaseFacts) -> list[str]:
    """What the letter may state of the mandates that bind (for the validator's grounding)."""
    out: list[str] = []
    for mandate in mandates_for(analysis, letter_text, case):
        out += [mandate.citation, mandate.paragraph(letter_text)]
    return out
