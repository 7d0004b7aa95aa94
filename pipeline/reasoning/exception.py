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

from ..letter_format import PLACEHOLDER, fmt_date, one_date_style
from ..models import CaseFacts, DenialAnalysis, DenialCategory, Gap, Strict
from ..text.sentences import split_sentences
from .classes import book
from .facts import Trial, case_facts
from .law import DrugExceptionRule, DrugRestriction
from .specs import HERE, CategorySpec, spec_for
from .verdicts import CriterionVerdict

Restriction = DrugRestriction


_DRUG_LISTS: tuple[Restriction, ...] = ("step_therapy", "non_formulary")
"""The restrictions a ground answers unless its spec says otherwise."""


class GroundSpec(Strict):
    key: Literal["tried", "contraindicated", "ineffective", "stable", "frequency"]
    label: str = Field(min_length=5)
    words: list[str] = Field(default_factory=list)
    """Patterns by which the case states the ground (none for 'tried': the trials say it)."""
    applies: list[Restriction] = Field(default_factory=lambda: list(_DRUG_LISTS))
    """The restrictions the ground answers."""
    findings: bool = False
    """The case's objective findings may state it too (a diary's counts), not only its words."""


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
    rule: str = Field(min_length=20)


class ExceptionSpec(Strict):
    version: int = Field(ge=1)
    restrictions: dict[Restriction, list[str]]
    names: dict[Restriction, str]
    """The exception each restriction asks for, as the letter names it."""
    quantity: QuantitySpec
    grounds: list[GroundSpec] = Field(min_length=1)
    states: list[StateStatute] = Field(default_factory=list)


@cache
def exception_spec() -> ExceptionSpec:
    """The spec (``specs/exception/drug_exception.yaml``), read once."""
    path = HERE / "exception" / "drug_exception.yaml"
    return ExceptionSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@cache
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(patterns), re.IGNORECASE)


def _says(patterns: list[str], text: str) -> bool:
    return bool(patterns) and _compiled(tuple(patterns)).search(text) is not None


_UNCHECKED_RE = re.compile(r"^[ \t]*\[ \][^\n]*$", re.MULTILINE)
"""A notice's unchecked box ('[ ] Step therapy'): a ground the notice did not apply."""


def restriction(analysis: DenialAnalysis, letter_text: str) -> Restriction | None:
    """The restriction the notice applies: off the formulary when it says so; a quantity limit
    when it words one and no step; else step therapy when it is the denial's ground or the
    notice words one; None for other denials. An unchecked box is not read."""
    spec = exception_spec()
    text = _UNCHECKED_RE.sub("", letter_text)
    if _says(spec.restrictions["non_formulary"], text):
        return "non_formulary"
    step = _says(spec.restrictions["step_therapy"], text)
    if not step and _says(spec.restrictions["quantity_limit"], text):
        return "quantity_limit"
    if step or DenialCategory.step_therapy in analysis.denial_categories:
        return "step_therapy"
    return None


def _first_group(patterns: list[str], texts: list[str]) -> str | None:
    for text in texts:
        for pattern in patterns:
            if m := re.search(pattern, text, re.IGNORECASE):
                return " ".join(m.group(1).split())
    return None


def statute(letter_text: str, kind: Restriction) -> StateStatute | None:
    """The state statute that fits: a verified one the notice's state law names, or any the
    notice itself cites (its exact words then ground the citation)."""
    for law in exception_spec().states:
        if kind in law.covers and _says(law.cited_as, letter_text):
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


def _requested_ingredient(case: CaseFacts, analysis: DenialAnalysis) -> str | None:
    for text in (case.service.description, *(r.description for r in analysis.requested)):
        if text and (found := book().ingredient_in(text)):
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


def drug_exception(
    analysis: DenialAnalysis, case: CaseFacts, letter_text: str
) -> DrugException | None:
    """The exception a step-therapy or non-formulary drug denial asks for, with each ground
    answered from the case; None for other denials."""
    kind = restriction(analysis, letter_text)
    if kind is None:
        return None
    spec = exception_spec()
    requested = _requested_ingredient(case, analysis)
    trials = case_facts(case).trials
    grounds: list[Ground] = []
    unsupported: list[str] = []
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
                if _says(ground.words, s) and requested and requested in s.lower()
            ]
            facts = tuple([_trial_text(t) for t in on_it] + [s.strip() for _, s in said])
            paths = tuple([t.path for t in on_it] + [p for p, _ in said])
        else:
            said = [(p, s) for p, s in statements if _says(ground.words, s)]
            facts = tuple(one_date_style(s.strip()).rstrip(".") for _, s in said)
            paths = tuple(p for p, _ in said)
        if facts:
            grounds.append(Ground(ground.key, ground.label, facts, paths))
        else:
            unsupported.append(ground.label)
    drug = requested or case.service.description or "the requested drug"
    quantity = limit = None
    if kind == "quantity_limit":
        asked = [case.service.description or "", case.service.details or ""]
        quantity = _first_group(spec.quantity.requested, asked)
        limit = _first_group(spec.quantity.limit, [letter_text])
    return DrugException(
        kind, drug, tuple(grounds), tuple(unsupported), statute(letter_text, kind), quantity, limit
    )


def gap_field(found: DrugException) -> str:
    """The case field whose gap the exception paragraph carries when no ground is supported."""
    return "clinical_summary" if found.restriction == "quantity_limit" else "prior_treatments"


def exception_gaps(found: DrugException | None) -> list[Gap]:
    """A gap when the record supports no exception ground (the letter asks for the exception
    and must not assert one)."""
    if found is None or found.grounds:
        return []
    if found.restriction == "quantity_limit":
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
        )
    ]


def exception_paragraph(
    found: DrugException, rule: DrugExceptionRule | None, gap: Gap | None
) -> str:
    """The request for the exception: under the plan type's rule with its clocks, else a state
    statute the notice cites, else the plan's own process; then each ground the record supports
    (a gap's placeholder when it supports none)."""
    what = exception_spec().names[found.restriction]
    law = found.statute
    if rule is not None:
        text = f"I ask for a {rule.name} for {found.drug} under {rule.citation}"
        if law is not None:
            text += f" and {law.citation}, which your notice names"
        if rule.standard_hours:
            text += f"; please decide it within {rule.standard_hours} hours of receiving it"
            if rule.expedited_hours:
                text += f" ({rule.expedited_hours} hours if it is expedited)"
        text += "."
        if rule.supporting_statement:
            text += " This letter is my supporting statement for it."
    elif law is not None:
        text = f"I ask for a {what} for {found.drug} under {law.citation}, which your notice names."
    else:
        text = f"I ask for a {what} for {found.drug} under your plan's exception process."
    if found.restriction == "quantity_limit":
        text += " " + _quantity_sentence(found)
    if not found.grounds:
        return f"{text} {gap.placeholder}" if gap else text
    lines = [f"- {g.label}: {'; '.join(g.facts)}." for g in found.grounds]
    return f"{text} The grounds the record supports:\n\n" + "\n".join(lines)


def _quantity_sentence(found: DrugException) -> str:
    """'I ask for 18 tablets per 30 days, above the plan's limit of 9 tablets per 30 days.':
    the quantity and period asked for against the limit, each as its source states it (a
    placeholder when the case states no quantity)."""
    asked = found.quantity or PLACEHOLDER.format(what="the quantity and period requested")
    limit = f" of {found.limit}" if found.limit else ""
    return f"The quantity asked for is {asked}, above the plan's limit{limit}."


def supported(key: str, case: CaseFacts) -> tuple[str, ...]:
    """The case's own sentences that state a word-borne ground ('contraindicated',
    'ineffective'): () when none does, and then the ground is not asserted."""
    spec = next((g for g in exception_spec().grounds if g.key == key), None)
    if spec is None or not spec.words:
        return ()
    return tuple(s for _, s in _statements(case, spec.findings) if _says(spec.words, s))


def conceded_exception(spec: CategorySpec, case: CaseFacts) -> tuple[str, Gap | None]:
    """The sentence for a conceded criterion: the category's exception sentence when it rests on
    no ground, or when a case fact supports one of the grounds it asserts; otherwise its
    sentence without the ground, and a gap naming the field that would state one."""
    if not spec.exception_grounds or any(supported(k, case) for k in spec.exception_grounds):
        return spec.exception, None
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
    if not any(v.conceded for v in verdicts):
        return []
    spec = spec_for([c.value for c in analysis.denial_categories])
    gap = conceded_exception(spec, case)[1]
    return [gap] if gap else []
