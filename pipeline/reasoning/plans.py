"""Plan-type specs: the appeal law of each plan type as versioned data.

One YAML file per :class:`~pipeline.models.PlanType` in ``plan_types/`` says which law governs
the appeal, who may appeal, the internal appeal's filing window, the payer's decision clocks,
the levels of review after it and their windows, the law that entitles the claimant to the
claim file and the criteria, and which regulations apply, each with its citation and the rule
in the project's own words (CFR text is not shipped; U.S. Code citations name the section).

A spec may hold *programs*: variants selected by phrases of the denial letter (an FEHB plan
among the government plans, California's IMR among the state-regulated individual plans),
each replacing the parts it names.

The specs live beside the appeal tools (``pipeline/appeal/plan_types/``); the model and loader
live here, below the validator, because the validator grounds what a letter states of a plan
type's law in them (``pipeline.reasoning.rights``), and the appeal tools import the validator.
``pipeline.appeal`` re-exports every public name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field

from ..models import PlanType, Strict

SPEC_DIR = Path(__file__).resolve().parent.parent / "appeal" / "plan_types"

Event = Literal["notice", "final_notice", "filed", "level_notice"]
"""What a window counts from: the denial notice, the final internal denial, the day this level
was filed (its decision clocks), the notice of the level before (later levels)."""
Unit = Literal["hours", "days", "business_days", "months"]


class Authority(Strict):
    """A provision with the rule it makes, in our own words."""

    citation: str = Field(min_length=3)
    """As a lawyer cites it: '29 CFR 2560.503-1(h)(3)(i)', '42 U.S.C. 300gg-19(b)'."""
    rule: str = Field(min_length=10)
    """What it requires, in the project's own words."""


class Window(Authority):
    """A period the law sets, from an event."""

    amount: int = Field(gt=0)
    unit: Unit
    start: Event
    receipt_days: int = Field(default=0, ge=0)
    """Days after a notice's date on which the law presumes it received (Medicare: 5); 0 counts
    from the notice's date (receipt is later, so the deadline computed is never too late)."""
    month_end: Literal["clip", "next_day"] = "clip"
    """For months: a start day with no twin in the target month goes to the month's last day
    (clip) or to the first day of the next month (next_day)."""
    roll_forward: bool = False
    """A last day on a Saturday, Sunday or federal holiday moves to the next business day."""

    def describe(self) -> str:
        """'4 months', '72 hours', '10 business days'."""
        unit = self.unit.replace("_", " ")
        return f"{self.amount} {unit[:-1] if self.amount == 1 else unit}"


class Clocks(Strict):
    """How long the reviewer has to decide, from the day the request is received."""

    standard: Window
    """A request for a service not yet received (pre-service)."""
    expedited: Window | None = None
    """An urgent request (None: the level has no expedited track)."""
    post_service: Window | None = None
    """A claim for a service already received, where the law sets another clock."""
    two_levels: list[str] = Field(default_factory=list)
    """Patterns (regex, case-insensitive) of a notice stating that the plan has two levels of
    appeal, each decided on the clocks below."""
    per_level: Window | None = None
    """A pre-service appeal's clock for each of two levels."""
    per_level_post_service: Window | None = None
    """A post-service appeal's clock for each of two levels."""

    def has_two_levels(self, text: str) -> bool:
        return any(re.search(p, text, re.IGNORECASE) for p in self.two_levels)


class Level(Strict):
    """One level of review."""

    key: Literal[
        "internal_appeal",
        "external_review",
        "ire_review",
        "alj_hearing",
        "qic_reconsideration",
        "fair_hearing",
        "opm_review",
        "state_review",
        "court",
    ]
    name: str = Field(min_length=3)
    """As the user knows it: 'Reconsideration', 'External review', 'State fair hearing'."""
    reviewer: str = Field(min_length=3)
    """Who decides: 'an independent review organization (IRO)'."""
    automatic: bool = False
    """The payer sends the case on itself; nobody files (Medicare Advantage IRE)."""
    file_with: Literal["plan", "reviewer"] = "reviewer"
    """Where the request goes: to the plan's appeals address (the federal external review of a
    self-funded plan, which the plan assigns to an IRO) or to the reviewing body itself."""
    filing: Window | None = None
    """The window to ask for this level (None when automatic or set by no law)."""
    decision: Clocks | None = None
    continuation: Window | None = None
    """The window to ask that benefits continue pending the decision (Medicaid)."""
    authority: Authority
    """The provision that creates the level."""


Timing = Literal["pre_service", "post_service"]
"""A request for a service not yet given, or a claim for one already given."""


class Provision(Authority):
    """A rule of the plan type's law that bears on some appeals only, and the letter's sentence
    stating it when its conditions hold (a child's EPSDT entitlement under Medicaid, the
    Medicare Advantage limits on a plan's own coverage criteria)."""

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    sentence: str = Field(min_length=40)
    """What the letter says, in the physician's voice and our own words, citing the rule."""
    notice: list[str] = Field(default_factory=list)
    """Patterns (regex, case-insensitive) one of which the notice must hold; empty: any."""
    service: list[str] = Field(default_factory=list)
    """Patterns one of which the case's service, details or diagnoses must hold; empty: any."""
    under_age: int | None = Field(default=None, gt=0)
    """Applies only to a patient younger than this on the notice's date (EPSDT: 21)."""
    timing: list[Timing] = Field(default_factory=list)
    """The request timings it applies to; empty: both."""
    urgency: list[Literal["standard", "expedited"]] = Field(default_factory=list)
    """The case urgencies it applies to; empty: both."""
    verified: bool = True
    """False: the citation or rule is not checked against the text of the law; never stated."""
    documented: list[str] = Field(default_factory=list)
    """Patterns (regex, case-insensitive) of the case's enclosed records that the sentence
    relies on (the patient's written consent); when none is enclosed, ``otherwise`` is said."""
    otherwise: str | None = Field(default=None, min_length=40)
    """The letter's sentence when the case encloses no record ``documented`` names: it never
    says a record is enclosed that is not."""

    def said(self, documents: list[str]) -> str:
        """The sentence for a case enclosing these records (their titles)."""
        text = self.sentence
        if self.documented and self.otherwise is not None:
            found = any(re.search(p, d, re.IGNORECASE) for p in self.documented for d in documents)
            text = self.sentence if found else self.otherwise
        return " ".join(text.split())


Statistic = Literal["ca_imr"]
"""An aggregate statistic of independent review decisions the project holds with its exact
source: ``ca_imr``, California's Independent Medical Review determinations
(``corpus/_precedent/``)."""
Condition = Literal["california", "state_regulated", "medi_cal"]
"""What the notice must show before a precedent rule applies: its plan is in California (the
state, its regulator or its law named), is regulated by a state (insured, not self-funded:
``reasoning.exception.state_regulated``), is a Medi-Cal plan."""


class PrecedentRule(Strict):
    """An aggregate review statistic a letter may cite as precedent under this plan: only the
    review that decides the plan's own external appeals (California's IMR for a plan it
    reaches), never another state's or another program's figures."""

    statistic: Statistic
    needs: list[Condition] = Field(default_factory=list)
    """Every fact the notice must show (empty: the program itself is one the review reaches)."""


class Program(Strict):
    """A variant of a plan type, chosen by phrases of the denial letter."""

    key: str
    title: str
    when: list[str] = Field(min_length=1)
    """Phrases (case-insensitive) any of which in the letter selects the program."""
    unless: list[str] = Field(default_factory=list)
    """Phrases (case-insensitive) any of which in the letter rules the program out, whatever
    :attr:`when` matched ('self-funded' for an insured group plan; the notice's conditional
    'if your plan is fully insured' names no plan)."""
    codes: list[str] = Field(default_factory=list)
    """Patterns (regex, full match) of the request's codes, one of which it must hold besides
    the phrases (a Part B drug's program: a HCPCS drug code; a notice form that names Part B
    drugs among other items is no drug request); empty: the phrases alone select it."""
    appeal_law: list[Authority] | None = None
    who_may_appeal: Authority | None = None
    internal_appeal: Level | None = None
    next_levels: list[Level] | None = None
    records_law: list[Authority] | None = None
    regulations: list[Authority] | None = None
    legal_basis: str | None = Field(default=None, min_length=40)
    """The letter's legal-basis paragraph for the program, when the base one does not fit."""
    records_ask: str | None = Field(default=None, min_length=20)
    expedited_ask: str | None = Field(default=None, min_length=40)
    provisions: list[Provision] | None = None
    late_filing: str | None = Field(default=None, min_length=40)
    precedent: list[PrecedentRule] | None = None
    appealable: bool | None = None
    ask: str | None = Field(default=None, min_length=10)
    reference: str | None = Field(default=None, min_length=2)
    drop: list[Literal["records_ask", "expedited_ask"]] = Field(default_factory=list)
    """Requests of the base spec the program does not have (its law gives no such right, or
    another law's citation would be wrong for it): not inherited."""


class Signal(Strict):
    """A phrase that points to a plan type in a denial letter."""

    pattern: str
    """A regular expression; one written in capitals only (an acronym) matches case-sensitively,
    any other ignores case."""
    weight: float
    """What it adds to the plan type's score (negative: points away from it)."""


class RetrievalQueries(Strict):
    """What retrieval asks the corpus for the letter's legal-basis section."""

    procedure: str
    """The review the appeal is owed."""
    deadlines: str
    """The deadlines of that review."""


class PlanSpec(Strict):
    """Everything the appeal tools know about one plan type."""

    plan_type: PlanType
    version: str = Field(pattern=r"^\d{4}\.\d+$")
    """'2026.1': the year of the law it states and a revision number."""
    title: str
    appeal_law: list[Authority] = Field(min_length=1)
    """The law that governs the appeal."""
    who_may_appeal: Authority
    internal_appeal: Level
    """The first level (internal appeal, reconsideration, redetermination)."""
    next_levels: list[Level] = Field(min_length=1)
    """The levels after the internal appeal, in order."""
    records_law: list[Authority] = Field(min_length=1)
    """What entitles the claimant to the claim file, criteria and reviewer's credentials."""
    regulations: list[Authority] = Field(min_length=1)
    """Every provision that applies to appeals under this plan type."""
    programs: list[Program] = Field(default_factory=list)
    priority: int = Field(ge=1)
    """Which plan type wins a tie of signal scores (the lower number)."""
    signals: list[Signal] = Field(default_factory=list)
    """How extraction recognizes the plan type (none for unknown)."""
    retrieval: RetrievalQueries
    legal_basis: str = Field(min_length=40)
    """The appeal letter's legal-basis paragraph for this plan type, in our own words: the
    review the appeal is owed and who must decide it, with the citations."""
    records_ask: str | None = Field(default=None, min_length=20)
    """The letter's request for the claim file and the criteria, free of charge, citing the
    records law (None: the letter asks for none)."""
    expedited_ask: str | None = Field(default=None, min_length=40)
    """The letter's request for an expedited decision, in the words of the law's standard and
    with its citations, for a case the physician marks expedited (None: no expedited track)."""
    provisions: list[Provision] = Field(default_factory=list)
    """Rules that bear on some appeals only, each with its conditions and sentence."""
    late_filing: str | None = Field(default=None, min_length=40)
    """The sentence on extending a passed filing window for good cause, with the rule's
    citation (None: the law states no such extension)."""
    beyond_rule: str | None = Field(default=None, min_length=40)
    """The sentence under a criterion that asks for more than the Medicare coverage rule
    governing the service (an NCD or LCD), for a plan the law holds to that rule's criteria:
    {rule} (its number and title, cited) and {required} (the criterion's requirement in
    words). None: the plan may apply criteria of its own."""
    binding_rule: str | None = Field(default=None, min_length=40)
    """Why a Medicare coverage rule's figure governs where the notice applies a stricter one
    (the rule binding the plan, cited). None: the rule does not bind the plan's criteria."""
    precedent: list[PrecedentRule] = Field(default_factory=list)
    """The aggregate review statistics the letter may cite as precedent, each with the facts
    the notice must show (empty: none; a federal plan, Medicare, a self-funded plan or a plan
    of another state gets no other state's figures)."""
    not_basis: list[str] = Field(default_factory=list)
    """Sections of law the corpus files under this plan type that are no basis for its appeal
    ('42 U.S.C. 1395ff': Original Medicare's appeals, not a Medicare Advantage plan's
    reconsideration): the letter cites no passage of them."""
    appealable: bool = True
    """False for a decision that has no appeal (an Original Medicare prior authorization
    non-affirmation): the letter is a resubmission of the request, states no appeal deadline,
    clock or level, and asks :attr:`ask` for the care still to come."""
    ask: str | None = Field(default=None, min_length=10)
    """What the Request asks in place of reversing the denial ('provisionally affirm the prior
    authorization request'); None: reverse the denial."""
    reference: str = "Claim"
    """What the notice calls its reference number ('UTN' for a Medicare prior authorization)."""
    key: str = "default"
    """The program this spec describes after :meth:`for_letter` ('default' for the base)."""

    def is_basis(self, section: str) -> bool:
        """Whether a passage's ``section`` ('42 U.S.C. § 1395ff(b), Appeal rights') may be
        cited for this plan type's appeal (none of :attr:`not_basis` begins it)."""
        said = " ".join(section.replace("§", " ").split()).casefold()
        return not any(said.startswith(" ".join(n.split()).casefold()) for n in self.not_basis)

    def for_letter(self, text: str, codes: Sequence[str] | None = None) -> PlanSpec:
        """The spec with the first program whose phrases the letter holds applied; a program
        that also names codes only when one of the request's ``codes`` fits (never when they
        are not given)."""
        folded = text.casefold()
        for program in self.programs:
            if not any(p.casefold() in folded for p in program.when):
                continue
            if any(p.casefold() in folded for p in program.unless):
                continue
            if program.codes and not any(
                re.fullmatch(p, c, re.IGNORECASE) for p in program.codes for c in codes or ()
            ):
                continue
            return self._apply(program)
        return self

    def for_program(self, key: str) -> PlanSpec:
        """The spec with the program ``key`` applied ('default': the spec itself)."""
        program = next((p for p in self.programs if p.key == key), None)
        return self._apply(program) if program else self

    def _apply(self, program: Program) -> PlanSpec:
        parts = program.model_dump(
            exclude={"when", "unless", "codes", "key", "title", "drop"}, exclude_none=True
        )
        update: dict[str, object] = {k: getattr(program, k) for k in parts}
        update.update({k: None for k in program.drop})
        return self.model_copy(
            update={**update, "key": program.key, "title": program.title, "programs": []}
        )

    def cites(self) -> list[str]:
        """Every citation the spec makes, programs included."""
        found: list[str] = []

        def walk(value: object) -> None:
            if isinstance(value, Authority):
                found.append(value.citation)
            if isinstance(value, Strict):
                for name in type(value).model_fields:
                    walk(getattr(value, name))
            elif isinstance(value, list):
                for item in value:
                    walk(item)

        walk(self)
        return list(dict.fromkeys(found))


@cache
def plan_spec(plan_type: PlanType | str) -> PlanSpec:
    """The spec of ``plan_type``, loaded from ``plan_types/<plan_type>.yaml`` once."""
    plan = PlanType(plan_type)
    path = SPEC_DIR / f"{plan.value}.yaml"
    spec = PlanSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    if spec.plan_type != plan:
        raise ValueError(f"{path}: plan_type is {spec.plan_type}, expected {plan}")
    return spec


def all_specs() -> dict[PlanType, PlanSpec]:
    """Every plan type's spec."""
    return {plan: plan_spec(plan) for plan in PlanType}
