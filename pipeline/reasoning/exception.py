"""A drug the plan restricts (step therapy, off the formulary, or a quantity above its limit):
which restriction the notice applies, and each recognised exception ground answered from the
case's facts (tried and failed or not tolerated, with dose and duration; contraindicated;
expected to be ineffective; stable on the requested drug; for a quantity limit, the documented
frequency that needs the quantity asked for). A ground the record does not support is never
asserted: it is listed as unsupported, and when none is supported the letter carries a gap.

The plan type's exception rule (45 CFR 156.122(c), 42 CFR 423.578) is in the plan-type specs
(``pipeline/appeal``); the words and the state statutes are data
(``specs/exception/drug_exception.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

import yaml
from pydantic import Field

from ..items import limit_words, limited_item, product, quantity_words
from ..letter_format import PLACEHOLDER, fmt_date, one_date_style
from ..models import (
    CaseFacts,
    DenialAnalysis,
    DenialCategory,
    Gap,
    PlanType,
    RequirementKind,
    Strict,
)
from ..text.sentences import split_sentences
from . import quantity as qty
from .classes import book
from .facts import Trial, case_facts
from .law import DrugExceptionRule, DrugRestriction, plan_law
from .request import phased_quantity, product_name, quantity_lines
from .specs import HERE, CategorySpec, says, spec_for
from .verdicts import CriterionVerdict
from .wording import as_sentences

Restriction = DrugRestriction


GroundKey = Literal["tried", "contraindicated", "ineffective", "stable", "frequency"]

_DRUG_LISTS: tuple[Restriction, ...] = ("step_therapy", "non_formulary")
"""The restrictions a ground answers unless its spec says otherwise."""


class GroundLabel(Strict):
    """A ground's label for the facts that say it in these words."""

    label: str = Field(min_length=5)
    words: list[str] = Field(min_length=1)


class GroundSpec(Strict):
    key: GroundKey
    label: str = Field(min_length=5)
    words: list[str] = Field(default_factory=list)
    """Patterns by which the case states the ground (none for 'tried': the trials say it)."""
    applies: list[Restriction] = Field(default_factory=lambda: list(_DRUG_LISTS))
    """The restrictions the ground answers."""
    findings: bool = False
    """The case's objective findings may state it too (a diary's counts), not only its words."""
    step_words: list[str] = Field(default_factory=list)
    """Patterns that state the ground only in a sentence naming a drug (or class) the notice
    requires first ('ibrutinib should be avoided': 'avoided' alone says nothing of the step)."""
    switch_words: list[str] = Field(default_factory=list)
    """Patterns that state the ground in any sentence (the harm of changing a regimen)."""
    reaction_words: list[str] = Field(default_factory=list)
    """Those of ``step_words`` that tell of a reaction that happened ('drug-induced lupus'): of
    a drug already tried, such a sentence is the trial's outcome (the 'tried' ground), not a
    contraindication, unless it also looks ahead ('not appropriate', 'advised against')."""
    labels: list[GroundLabel] = Field(default_factory=list)
    """Stronger labels, each only for the facts that say it in its words ('Contraindicated'
    only for a fact that says contraindicated or names an allergy); a fact none fits takes
    ``label``, the plainest ('Not suitable for this patient'): never a stronger word than the
    fact."""

    def labelled(self, facts: list[tuple[str, str]]) -> list[tuple[str, list[tuple[str, str]]]]:
        """(label, facts) for the (path, sentence) facts of this ground, in order of the
        labels: each fact under the first label whose words it says, else under ``label``."""
        out: dict[str, list[tuple[str, str]]] = {}
        for path, sentence in facts:
            label = next((g.label for g in self.labels if says(g.words, sentence)), self.label)
            out.setdefault(label, []).append((path, sentence))
        order = [g.label for g in self.labels] + [self.label]
        return sorted(out.items(), key=lambda kv: order.index(kv[0]))


class QuantitySpec(Strict):
    """How a notice states the plan's quantity limit and the case the quantity asked for."""

    limit: list[str] = Field(min_length=1)
    """Patterns whose first group is the plan's limit ('9 tablets per 30 days')."""
    requested: list[str] = Field(min_length=1)
    """Patterns whose first group is the quantity asked for, with its period."""


class StateStatute(Strict):
    """A state's step-therapy (or formulary) exception statute."""

    state: str
    citation: str = Field(min_length=5)
    cited_as: list[str] = Field(min_length=1)
    """Patterns by which a notice cites it."""
    covers: list[Restriction] = Field(min_length=1)
    verified: bool = False
    """Checked against a stored source; an unverified one is cited only when the notice does."""
    source: str | None = None
    """Where it was checked (a verified one names it)."""
    signals: list[str] = Field(default_factory=list)
    """Patterns by which a notice shows the plan is regulated under it (its regulator, its law)."""
    postal: str | None = Field(default=None, min_length=2, max_length=2)
    """The state's postal code: a plan whose letterhead address is in the state is under it."""
    carrier: list[str] = Field(default_factory=list)
    """Patterns the notice must hold (the kind of carrier it governs: 'HMO'); empty: any."""
    not_carrier: list[str] = Field(default_factory=list)
    """Patterns the notice must not hold (an insurers' statute is not an HMO's)."""
    grounds: list[GroundKey] = Field(default_factory=list)
    """The exception grounds it lists, as the project's ground keys."""
    grants: str | None = Field(default=None, min_length=20)
    """The grounds it lists, in the project's words (the letter states them)."""
    standard_hours: int | None = Field(default=None, gt=0)
    expedited_hours: int | None = Field(default=None, gt=0)
    rule: str = Field(min_length=20)


class Regulated(Strict):
    """When a notice's plan is regulated by a state (so a state statute may apply)."""

    excluded_plan_types: list[PlanType] = Field(default_factory=list)
    self_funded: list[str] = Field(min_length=1)
    insured: list[str] = Field(min_length=1)
    part_d: list[str] = Field(min_length=1)


class ExceptionSpec(Strict):
    version: int = Field(ge=1)
    restrictions: dict[Restriction, list[str]]
    names: dict[Restriction, str]
    """The exception each restriction asks for, as the letter names it."""
    quantity: QuantitySpec
    excepted: str = Field(min_length=20)
    """The line of a step criterion answered by a harm the record states ({patient},
    {exception}, {accepts})."""
    accepts: list[str] = Field(min_length=1)
    """Patterns of a criterion that takes a contraindication or intolerance for the trial."""
    accepts_sentence: str = Field(min_length=20)
    step_criterion: list[str] = Field(min_length=1)
    """Patterns of a criterion that asks for a trial of a drug first, whatever its typed
    requirements."""
    grounds: list[GroundSpec] = Field(min_length=1)
    regulated: Regulated
    states: list[StateStatute] = Field(default_factory=list)


@cache
def exception_spec() -> ExceptionSpec:
    """The spec (``specs/exception/drug_exception.yaml``), read once."""
    path = HERE / "exception" / "drug_exception.yaml"
    return ExceptionSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


_UNCHECKED_RE = re.compile(r"^[ \t]*\[ \][^\n]*$", re.MULTILINE)
"""A notice's unchecked box ('[ ] Step therapy'): a ground the notice did not apply."""


def restriction(
    analysis: DenialAnalysis, letter_text: str, requested: str | None = None
) -> Restriction | None:
    """The restriction the notice applies: off the formulary when it says so; a quantity limit
    when it words one and no step; else step therapy when it is the denial's ground, the
    notice words one, or (``requested``: the drug asked for) a criterion asks for a trial of
    another drug or class first ('trial and failure of metformin, OR a contraindication'), in
    whatever words or layout; None for other denials. An unchecked box is not read."""
    spec = exception_spec()
    text = _UNCHECKED_RE.sub("", letter_text)
    if says(spec.restrictions["non_formulary"], text):
        return "non_formulary"
    step = says(spec.restrictions["step_therapy"], text)
    if not step and says(spec.restrictions["quantity_limit"], text):
        return "quantity_limit"
    if step or (
        DenialCategory.step_therapy in analysis.denial_categories and _names_a_step(analysis)
    ):
        return "step_therapy"
    if requested and step_criteria(analysis, requested):
        return "step_therapy"
    return None


def step_criteria(analysis: DenialAnalysis, requested: str | None) -> frozenset[int]:
    """Indexes of the criteria that ask for a trial of a drug or (non-generic) class other than
    the one requested, before it: the steps of a drug request, whatever the notice calls them."""
    out = set()
    words = exception_spec().step_criterion
    for index, criterion in enumerate(analysis.criteria):
        typed = any(r.kind in _STEP_KINDS for r in criterion.requirements)
        if not typed and not says(words, criterion.text):
            continue
        drugs = set(book().ingredients_in(criterion.text)) - {requested or ""}
        if drugs or _drug_groups(criterion.text):
            out.add(index)
    return frozenset(out)


def _drug_groups(text: str) -> frozenset[str]:
    """The drug classes a text names (FDA classes or ingredients; not a catch-all, not a
    non-drug treatment such as physical therapy)."""
    return frozenset(
        g.name for g in book().groups_in(text) if not g.generic and (g.epc or g.ingredients)
    )


_STEP_KINDS = frozenset({RequirementKind.trial_count, RequirementKind.class_count})


def _names_a_step(analysis: DenialAnalysis) -> bool:
    """The analysis names a step to take first: a preferred alternative, or a criterion that
    counts trials or classes; a notice without criteria leaves the category to say so. A list
    of criteria with none (a prescriber, an age, a dose, a test) names no step: its category
    alone does not make the denial a step therapy ('the preferred product will be dispensed'
    is no step)."""
    if analysis.preferred_alternatives or not analysis.criteria:
        return True
    return any(r.kind in _STEP_KINDS for c in analysis.criteria for r in c.requirements)


def _first_group(patterns: list[str], texts: list[str]) -> str | None:
    for text in texts:
        for pattern in patterns:
            if m := re.search(pattern, text, re.IGNORECASE):
                return " ".join(m.group(1).split())
    return None


def state_regulated(analysis: DenialAnalysis, letter_text: str) -> bool:
    """The notice's plan is regulated by a state: not Medicare, Part D, Medicaid or a public
    employer's plan, not self-funded, and insured (an HMO, a fully insured or individual
    policy, a state regulator named for its review)."""
    rules = exception_spec().regulated
    if analysis.plan_type in rules.excluded_plan_types or says(rules.part_d, letter_text):
        return False
    if says(rules.self_funded, letter_text):
        return False
    return analysis.plan_type == PlanType.aca_individual or says(rules.insured, letter_text)


_HEAD_LINES = 15
"""The letterhead: the lines of the notice the plan's own address is in."""


def in_state(signals: list[str], postal: str | None, letter_text: str) -> bool:
    """The notice places its plan in a state: it says one of the state's ``signals`` (its
    regulator, its law, where the policy was issued), or its letterhead's address is in the
    state (``postal``, the state's postal code, before a ZIP code)."""
    if says(signals, letter_text):
        return True
    head = "\n".join(letter_text.splitlines()[:_HEAD_LINES])
    return bool(postal) and re.search(rf",?\s{postal}\s+\d{{5}}\b", head) is not None


def statute(
    letter_text: str, kind: Restriction, analysis: DenialAnalysis | None = None
) -> StateStatute | None:
    """The state statute that fits: one the notice itself cites (its exact words then ground
    the citation), else a verified one of the state that regulates the notice's plan, for the
    kind of carrier it governs (none for a self-funded, Medicare, Part D or Medicaid plan)."""
    laws = [law for law in exception_spec().states if kind in law.covers]
    for law in laws:
        if says(law.cited_as, letter_text):
            return law
    if analysis is None or not state_regulated(analysis, letter_text):
        return None
    for law in laws:
        if not law.verified or not in_state(law.signals, law.postal, letter_text):
            continue
        if law.carrier and not says(law.carrier, letter_text):
            continue
        if law.not_carrier and says(law.not_carrier, letter_text):
            continue
        return law
    return None


@dataclass(frozen=True)
class Ground:
    """A recognised exception ground and the case's facts that support it."""

    key: str
    label: str
    facts: tuple[str, ...]
    paths: tuple[str, ...]


@dataclass(frozen=True)
class DrugException:
    """The exception a drug denial asks for: the restriction, the grounds the record supports
    and the ones it does not (never asserted)."""

    restriction: Restriction
    drug: str
    grounds: tuple[Ground, ...]
    unsupported: tuple[str, ...]
    statute: StateStatute | None
    quantity: str | None = None
    """For a quantity limit: the quantity and period asked for, as the case states it."""
    limit: str | None = None
    """For a quantity limit: the plan's limit, as the notice states it."""
    quantity_limited: bool = False
    """The notice words a quantity limit (alone, or beside a step it wants tried first)."""
    counted: qty.QuantityAnswer | None = None
    """The prescribed regimen counted against the limit, period by period (None when the
    notice states no countable limit or the case no countable regimen)."""
    statute_named: bool = False
    """The notice itself cites the statute (else it applies by the plan's state)."""
    appeals: tuple[str, ...] = ()
    """The appeals of a denied exception the notice offers (Part D: 'redetermination')."""
    regimen: str = ""
    """For a quantity limit: the regimen as the case's service details write it (said as
    written when it cannot be counted; never a gap)."""


def _trial_text(t: Trial) -> str:
    """'Dulaglutide (Trulicity) 4.5 mg once weekly, March 16, 2026 – October 19, 2026 (7
    months): inadequate response at maximum dose': the case's own dose, dates, duration and
    outcome (nothing computed, so every number is the case's)."""
    treatment = t.treatment
    head = " ".join(p for p in (treatment.name, treatment.dose, treatment.frequency) if p)
    when = ""
    if t.start and t.end:
        when = f"{fmt_date(t.start)} – {fmt_date(t.end)}"
    elif t.start and treatment.ongoing:
        when = f"since {fmt_date(t.start)} (ongoing)"
    length = treatment.duration or ""
    if when and length:
        when = f"{when} ({length})"
    outcome = one_date_style(treatment.outcome or "").rstrip(".")
    text = ", ".join(p for p in (head, when or length) if p)
    return f"{text}: {outcome}" if outcome else text


_CO_THERAPY_RE = re.compile(
    r"\b(?:with|plus|along with|together with|added to|in combination with|alongside|"
    r"combined with|co-?therapy|continued|continuing)\b",
    re.IGNORECASE,
)
"""Where a description turns from the drug requested to one given with it ('Esketamine nasal
spray (Spravato) ..., with oral venlafaxine XR continued')."""


def _requested_ingredient(case: CaseFacts, analysis: DenialAnalysis) -> str | None:
    """The requested drug's ingredient, as the description (else a requested line) names it
    before any drug given with it: a co-therapy named after 'with' is not the drug asked for."""
    for text in (case.service.description, *(r.description for r in analysis.requested)):
        head = _CO_THERAPY_RE.split(text or "", maxsplit=1)[0]
        if head and (found := book().ingredient_in(head)):
            return found
    return None


def _statements(case: CaseFacts, findings: bool = False) -> list[tuple[str, str]]:
    """(path, sentence) of the case's own words: the summary, then each treatment's outcome
    (with ``findings``, then each objective finding as 'name: value')."""
    out = [(f"clinical_summary[{i}]", s) for i, s in
           enumerate(split_sentences(case.clinical_summary or ""))]  # fmt: skip
    out += [
        (f"prior_treatments[{i}]", t.outcome)
        for i, t in enumerate(case.prior_treatments)
        if t.outcome
    ]
    # an enclosed record may state the ground itself ('Cardiology letter advising against
    # triptans (coronary artery disease)')
    out += [(f"documents[{i}]", d.title) for i, d in enumerate(case.documents)]
    if findings:
        out += [
            (f"objective_findings[{i}]", f"{f.name}: {f.value}")
            for i, f in enumerate(case.objective_findings)
            if f.name and f.value
        ]
    return out


def _steps(trials: list[Trial], analysis: DenialAnalysis) -> list[Trial]:
    """The trials of the steps the notice requires: a drug or class its preferred alternatives
    name (they are the steps), else its criteria ('metformin', 'a GLP-1 receptor agonist')."""
    said = " ".join(analysis.preferred_alternatives or [c.text for c in analysis.criteria])
    folded = said.lower()
    groups = {g.name for g in book().groups_in(said) if not g.generic}
    return [t for t in trials if (t.ingredient and t.ingredient in folded) or t.groups & groups]


def _required(
    analysis: DenialAnalysis, letter_text: str, requested: str | None
) -> tuple[frozenset[str], frozenset[str]]:
    """The drugs and (non-generic) classes the notice names, the requested drug left out: the
    steps it requires first ('a trial of ibrutinib, the preferred BTK inhibitor')."""
    said = " ".join([letter_text, *analysis.preferred_alternatives,
                     *(c.text for c in analysis.criteria)])  # fmt: skip
    drugs = frozenset(book().ingredients_in(said)) - {requested or ""}
    return drugs, frozenset(g.name for g in book().groups_in(said) if not g.generic)


def _names_step(sentence: str, steps: tuple[frozenset[str], frozenset[str]]) -> bool:
    """Whether a sentence names a drug or class of :func:`_required`."""
    drugs, groups = steps
    if drugs & set(book().ingredients_in(sentence)):
        return True
    return any(g.name in groups for g in book().groups_in(sentence) if not g.generic)


def _a_tried_drugs_reaction(sentence: str, ground: GroundSpec, tried: set[str]) -> bool:
    """A sentence telling only of a reaction to drugs the 'tried' ground already lists ('was
    stopped for a drug-induced lupus reaction'): their outcome, not a contraindication; one that
    also looks ahead ('I do not consider its long-acting forms appropriate') still is one."""
    named = set(book().ingredients_in(sentence))
    if not named or not named <= tried:
        return False
    ahead = [w for w in ground.step_words if w not in ground.reaction_words]
    return not says(ahead, sentence)


def drug_exception(
    analysis: DenialAnalysis, case: CaseFacts, letter_text: str
) -> DrugException | None:
    """The exception a step-therapy or non-formulary drug denial asks for, with each ground
    answered from the case; None for other denials."""
    requested = _requested_ingredient(case, analysis)
    kind = restriction(analysis, letter_text, requested)
    if kind is None:
        return None
    spec = exception_spec()
    trials = case_facts(case).trials
    steps = _required(analysis, letter_text, requested)
    grounds: list[Ground] = []
    unsupported: list[str] = []
    tried_names: set[str] = set()  # the 'tried' ground's drugs (it comes first in the spec)
    for ground in spec.grounds:
        if kind not in ground.applies:
            continue
        statements = _statements(case, ground.findings)
        if ground.key == "tried":
            tried = [
                t
                for t in trials
                if (t.failed or t.intolerant)
                and t.treatment.kind == "medication"
                and not (requested and t.ingredient == requested)
            ]
            tried = _steps(tried, analysis) or tried
            tried_names = {t.ingredient for t in tried if t.ingredient}
            facts = tuple(_trial_text(t) for t in tried)
            paths = tuple(t.path for t in tried)
        elif ground.key == "stable":
            on_it = [
                t
                for t in trials
                if requested and t.ingredient == requested and t.treatment.ongoing
                and not t.failed and not t.intolerant
            ]  # fmt: skip
            said = [
                (p, s)
                for p, s in statements
                if (says(ground.words, s) and requested and requested in s.lower())
                or says(ground.switch_words, s)
            ]
            facts = tuple(
                [_trial_text(t) for t in on_it]
                + [one_date_style(s.strip()).rstrip(".") for _, s in said]
            )
            paths = tuple([t.path for t in on_it] + [p for p, _ in said])
        else:
            # the sentences that state the ground in its own words ('contraindicated'); only
            # when none does, those that tell of a harm of a required step ('advises that
            # ibrutinib be avoided'): a reaction or an interaction told elsewhere in the case is
            # not pasted in beside the stated ground
            said = [(p, s) for p, s in statements if says(ground.words, s)] or [
                (p, s)
                for p, s in statements
                if says(ground.step_words, s)
                and _names_step(s, steps)
                and not _a_tried_drugs_reaction(s, ground, tried_names)
            ]
            for label, group in ground.labelled(said):  # never a stronger word than the fact
                facts = tuple(one_date_style(s.strip()).rstrip(".") for _, s in group)
                grounds.append(Ground(ground.key, label, facts, tuple(p for p, _ in group)))
            if not said:
                unsupported.append(ground.label)
            continue
        if facts:
            grounds.append(Ground(ground.key, ground.label, facts, paths))
        else:
            unsupported.append(ground.label)
    drug = requested or product_name(case, letter_text) or "the requested drug"
    quantity = limit = None
    counted = None
    unchecked = _UNCHECKED_RE.sub("", letter_text)
    limited = kind == "quantity_limit" or says(spec.restrictions["quantity_limit"], unchecked)
    limited = limited or qty.parse_limit(unchecked) is not None
    if limited:
        # the case's words first, then the notice's own 'Quantity requested' line
        asked = [case.service.description or "", case.service.details or ""]
        quantity = phased_quantity(asked) or _first_group(
            spec.quantity.requested, [*asked, *quantity_lines(letter_text)]
        )
        plan_limit = qty.parse_limit(letter_text)
        limit = plan_limit.text if plan_limit else _first_group(spec.quantity.limit, [letter_text])
        texts = qty.regimen_texts(case.service.details, case.service.description,
                                  qty.directions(letter_text))  # fmt: skip
        counted = qty.answer(plan_limit, texts, case.service.description or "")
    if (item := limited_item(analysis.items)) is not None:
        # a notice of several items: the limit is the limited item's, in its own unit (never
        # the case's first service, nor another item's quantity)
        drug, quantity, limit, counted = (
            product(item),
            quantity_words(item),
            limit_words(item),
            None,
        )
        limited = True
    law = statute(letter_text, kind, analysis)
    offered = tuple(
        dict.fromkeys(
            r.appeal.name
            for r in plan_law(analysis.plan_type).drug_exceptions
            if r.appeal is not None and r.appeal.offered(letter_text)
        )
    )
    return DrugException(
        kind, drug, tuple(grounds), tuple(unsupported), law, quantity, limit, limited, counted,
        law is not None and says(law.cited_as, letter_text), offered,
        qty.regimen_said(case.service.details) if limited else "",
    )  # fmt: skip


_HARM_GROUNDS = ("contraindicated", "ineffective")
"""The grounds that say why a step does not suit the patient (not a trial of it)."""


def excepted(
    analysis: DenialAnalysis, case: CaseFacts, found: DrugException | None
) -> tuple[tuple[int, tuple[str, ...], str], ...]:
    """(index, paths, line) of each criterion asking for a trial of a drug or class first whose
    step the exception's grounds say does not suit the patient (a harm stated of a drug or
    class the criterion names): the case's statements of that harm, and the criterion's line
    conceding the trial and asking for the exception on the harm instead. Whether the record
    meets the criterion by a trial anyway is the verdict's to say (``strategy.settle``)."""
    if found is None or found.restriction == "quantity_limit":
        return ()
    harms = [g for g in found.grounds if g.key in _HARM_GROUNDS]
    if not harms:
        return ()
    spec = exception_spec()
    requested = _requested_ingredient(case, analysis)
    patient = case.patient.name or "the patient"
    out = []
    for index in sorted(step_criteria(analysis, requested)):
        text = analysis.criteria[index].text
        steps = (frozenset(book().ingredients_in(text)) - {requested or ""}, _drug_groups(text))
        said = [
            (fact, path)
            for g in harms
            for fact, path in zip(g.facts, g.paths, strict=True)
            if _names_step(fact, steps)
        ]
        if not said:
            continue
        accepts = " ".join(spec.accepts_sentence.split()) + " " if says(spec.accepts, text) else ""
        harm = said[0][0].rstrip(".")
        harm = harm[:1].lower() + harm[1:] if harm[1:2].islower() else harm
        line = spec.excepted.format(
            patient=patient, harm=harm, accepts=accepts, exception=spec.names[found.restriction]
        )
        paths = tuple(dict.fromkeys(p for _, p in said))
        out.append((index, paths, " ".join(line.split())))
    return tuple(out)


def gap_field(found: DrugException) -> str:
    """The case field whose gap the exception paragraph carries when no ground is supported."""
    return "clinical_summary" if found.restriction == "quantity_limit" else "prior_treatments"


def regimen_missing(found: DrugException | None) -> bool:
    """A quantity limit applies, and the case neither lays out a countable regimen nor states
    the quantity it asks for: the letter cannot count the regimen against the limit."""
    return bool(
        found
        and found.quantity_limited
        and found.counted is None
        and not found.quantity
        and not found.regimen
    )


def exception_gaps(found: DrugException | None) -> list[Gap]:
    """A gap when the record supports no exception ground (the letter asks for the exception
    and must not assert one); for a quantity limit, when the regimen cannot be counted (a
    regimen counted against the limit is itself the ground)."""
    if found is None:
        return []
    gaps = [qty.regimen_gap()] if regimen_missing(found) else []
    if found.grounds or (found.restriction == "quantity_limit" and found.counted is not None):
        return gaps
    if found.restriction == "quantity_limit":
        if gaps:
            return gaps
        return [
            Gap(
                field=gap_field(found),
                message=(
                    "the denial is a quantity limit and the case does not document how often "
                    "the patient needs a dose: state in clinical_summary (or a diary among "
                    "objective_findings) the attacks, episodes or doses a day, week or month"
                ),
                placeholder=PLACEHOLDER.format(
                    what="how often the patient needs a dose (attacks or doses a month)"
                ),
            )
        ]
    return [
        *gaps,
        Gap(
            field="prior_treatments",
            message=(
                "the denial is a drug restriction and the case supports no exception ground: "
                "add the trials of the required drugs to prior_treatments (dose, dates, "
                "outcome), or state in clinical_summary why they are contraindicated or "
                "expected to be ineffective, or that the patient is stable on the requested drug"
            ),
            placeholder=PLACEHOLDER.format(
                what="the exception ground from the record (the required drugs' trials, or why "
                "they do not suit this patient)"
            ),
        ),
    ]


def exception_paragraph(
    found: DrugException,
    rule: DrugExceptionRule | None,
    gap: Gap | None,
    quantity_rule: DrugExceptionRule | None = None,
    regimen: Gap | None = None,
) -> str:
    """The request for the exception: under the plan type's rule with its clocks, else a state
    statute (the notice's, or the one that regulates the plan, with the grounds it lists and
    its clocks), else the plan's own process; then each ground the record supports (a gap's
    placeholder when it supports none). A quantity limit beside a step asks for its own
    exception after it (``quantity_rule``: the plan type's rule for it)."""
    if found.restriction == "quantity_limit" and found.counted and not found.counted.above:
        # the regimen is within the limit: nothing to except
        return f"{found.counted.sentence()} No quantity-limit exception is needed."
    text = _ask(found, found.restriction, rule)
    if found.restriction == "quantity_limit":
        text += " " + _quantity_sentence(found, regimen)
    if not found.grounds and not (found.restriction == "quantity_limit" and found.counted):
        # on a line of its own: a sentence is not lost with the gap it precedes
        text = f"{text}\n{gap.placeholder}" if gap else text
    elif found.grounds:
        lines = [f"- {g.label}: {as_sentences(g.facts)}" for g in found.grounds]
        meets = "meets under it" if found.statute and found.statute.grants else "supports"
        text += f" The grounds the record {meets}:\n\n" + "\n".join(lines)
    if found.quantity_limited and found.restriction != "quantity_limit":
        if found.counted is not None and not found.counted.above:
            text += "\n\n" + found.counted.sentence() + " No quantity-limit exception is needed."
        elif rule is not None and quantity_rule is not None and quantity_rule.name == rule.name:
            # one exception request covers both (Part D: 42 CFR 423.578(b))
            text += "\n\nThe exception also covers your quantity limit. "
            text += _quantity_sentence(found, regimen)
        else:
            text += "\n\n" + _ask(found, "quantity_limit", quantity_rule, lead="I also ask for")
            text += " " + _quantity_sentence(found, regimen)
    return text


def _ask(
    found: DrugException,
    kind: Restriction,
    rule: DrugExceptionRule | None,
    lead: str = "I ask for",
) -> str:
    """'I ask for a step-therapy exception for X under <the rule>' with its clocks."""
    what = exception_spec().names[kind]
    law = found.statute if kind == found.restriction else None
    named = found.statute_named
    if rule is not None and rule.appeal is not None and rule.appeal.name in found.appeals:
        appeal = rule.appeal
        text = (
            f"{lead} a {appeal.name} of your decision on {found.drug} under {appeal.citation}, "
            f"and the {rule.name} it asked for under {rule.citation}; please decide it within "
            f"{appeal.standard_days} days of receiving it ({appeal.expedited_hours} hours if it "
            "is expedited)."
        )
        if rule.supporting_statement:
            text += " This letter is my supporting statement for the exception."
        return text
    if rule is not None:
        text = f"{lead} a {rule.name} for {found.drug} under {rule.citation}"
        if law is not None:
            text += f" and {law.citation}" + (", which your notice names" if named else "")
        if rule.standard_hours:
            text += f"; please decide it within {rule.standard_hours} hours of receiving it"
            if rule.expedited_hours:
                text += f" ({rule.expedited_hours} hours if it is expedited)"
        text += "."
        if rule.supporting_statement:
            text += " This letter is my supporting statement for it."
        return text
    if law is not None and named:
        return f"{lead} a {what} for {found.drug} under {law.citation}, which your notice names."
    if law is not None:
        text = f"{lead} a {what} for {found.drug} under {law.citation}"
        if law.grants:
            text += f", which requires the plan to grant one on the grounds it lists: {law.grants}"
        if law.standard_hours:
            text += f"; please decide it within {law.standard_hours} hours of receiving it"
            if law.expedited_hours:
                text += f" ({law.expedited_hours} hours in exigent circumstances)"
        return text + "."
    return f"{lead} a {what} for {found.drug} under your plan's exception process."


def _quantity_sentence(found: DrugException, regimen: Gap | None = None) -> str:
    """The regimen counted against the limit, period by period, and the stretch the exception
    is for ('Counted against your limit of 2 pens per 28 days, the prescribed regimen needs 8
    pens in days 1–28 (loading: ...), above the limit by 6 pens; ...'); when the regimen is not
    countable, the quantity asked for against the limit as each source states it, and the
    regimen's gap when the case states no quantity either."""
    if found.counted is not None:
        return f"{found.counted.sentence()} {found.counted.ask(qty.stated(found.quantity))}"
    if not found.quantity and found.regimen:  # the case's regimen, as ordered
        limit = f"Your limit is {found.limit}; " if found.limit else ""
        return f"{limit}the prescribed regimen, as ordered: {one_date_style(found.regimen)}."
    if not found.quantity and regimen is not None:
        limit = f"Your limit is {found.limit}. " if found.limit else ""
        return f"{limit}The regimen to count against it: {regimen.placeholder}"
    asked = found.quantity or PLACEHOLDER.format(what="the quantity and period requested")
    if not found.limit:  # a limit the notice does not state is not said to be exceeded
        return f"The quantity asked for is {asked}."
    return f"The quantity asked for is {asked}, above the plan's limit of {found.limit}."


def supported(key: str, case: CaseFacts, analysis: DenialAnalysis | None = None) -> tuple[str, ...]:
    """The case's own sentences that state a word-borne ground ('contraindicated',
    'ineffective'): () when none does, and then the ground is not asserted. With ``analysis``,
    as :func:`drug_exception` reads them: a harm stated of a drug the notice requires first
    counts too."""
    spec = next((g for g in exception_spec().grounds if g.key == key), None)
    if spec is None:
        return ()
    # of 'stable', only the harm of switching is a harm ('once stable on it, I plan ...' is not)
    words = spec.switch_words if key == "stable" else spec.words
    if not words:
        return ()
    steps = _required(analysis, "", _requested_ingredient(case, analysis)) if analysis else None
    return tuple(
        s
        for _, s in _statements(case, spec.findings)
        if says(words, s)
        or (steps is not None and says(spec.step_words, s) and _names_step(s, steps))
    )


def conceded_exception(
    spec: CategorySpec, case: CaseFacts, analysis: DenialAnalysis | None = None
) -> tuple[str, Gap | None]:
    """The sentence for a conceded criterion: the category's exception sentence when it rests on
    no ground; when a case fact supports one of its grounds, the sentence of the first ground
    supported (``exception_by_ground``; without one, the category's sentence), so the letter
    asserts no ground the record does not state; otherwise its sentence without the ground,
    and a gap naming the field that would state one."""
    grounds = spec.exception_grounds
    if not grounds:
        return spec.exception, None
    held = [k for k in grounds if supported(k, case, analysis)]
    if held:
        said = next(
            (spec.exception_by_ground[k] for k in held if k in spec.exception_by_ground), None
        )
        return " ".join((said or spec.exception).split()), None
    gap = Gap(
        field="clinical_summary",
        message=(
            "a criterion is conceded and the exception asked for rests on a ground the case "
            "does not state: say in clinical_summary why the required step would be "
            "ineffective or harmful for this patient (a contraindication, the same mechanism "
            "as a drug that failed)"
        ),
        placeholder=PLACEHOLDER.format(
            what="why the required step would be ineffective or harmful for this patient"
        ),
    )
    return f"{spec.exception_unsupported} {gap.placeholder}", gap


def conceded_gaps(
    analysis: DenialAnalysis, case: CaseFacts, verdicts: list[CriterionVerdict]
) -> list[Gap]:
    """The gap of :func:`conceded_exception` when a criterion is conceded and the case states
    none of the grounds its exception sentence asserts (one gap, however many are conceded)."""
    if not any(v.conceded and not v.accepted for v in verdicts):
        return []
    spec = spec_for([c.value for c in analysis.denial_categories])
    gap = conceded_exception(spec, case, analysis)[1]
    return [gap] if gap else []


def exception_strings(found: DrugException | None) -> list[str]:
    """What the exception paragraph may state that the inputs do not: the state statute's
    citation, grounds and clocks, and the regimen's count against the quantity limit (the
    validator grounds the letter's numbers in these as in the inputs); ``found``: the draft's
    :func:`drug_exception`."""
    if found is None:
        return []
    out: list[str] = []
    law = found.statute
    if law is not None:
        out += [law.citation, law.grants or ""]
        out += [f"{h} hours" for h in (law.standard_hours, law.expedited_hours) if h]
    if found.counted is not None:
        out += found.counted.strings()
    if found.limit:
        out.append(found.limit)
    return out
