"""What the law of each plan type lets a letter ask for beyond the appeal itself, as data
(``specs/law/<plan_type>.yaml``; a plan type without a file has none): continuation of a reduced
or ended service while the review is pending (:func:`continuation`), and the exception process
for a restricted drug (:func:`exception_rule`).

It lives beside the strategies (not in ``pipeline.appeal``) because the validator grounds the
letter's statements of it (:func:`law_strings`), and the validator may read the reasoning
package but not the appeal tools, which read the validator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Literal

import yaml
from pydantic import Field

from ..letter_format import fmt_date
from ..models import CaseFacts, DenialAnalysis, PlanType, ServiceChange, Strict
from ..text.sentences import split_sentences
from .grounds import ground_strings
from .specs import HERE, load_spec, pattern, says

WARNING_DAYS = 7
"""A window to ask for continuation this close (or closed) is warned about loudly."""

DrugRestriction = Literal["step_therapy", "non_formulary", "quantity_limit"]
"""What a drug denial turns on: a step the plan wants tried first, a drug off the formulary, or
a quantity above the plan's limit."""


class Rule(Strict):
    citation: str = Field(min_length=3)
    """As a lawyer cites it; several joined by '; '."""
    rule: str = Field(min_length=10)
    """What it requires, in the project's own words."""


class ContinuationRule(Rule):
    """When the plan reduces or ends a service already authorized: that the service continue
    while the review is pending."""

    route: Literal["plan", "qio"] = "plan"
    """Who decides it: the plan, with the appeal, or the Quality Improvement Organization
    (Medicare's fast-track review of the end of provider services)."""
    ends_only: bool = False
    """The rule covers the end of a service only, not a reduction (Medicare fast-track)."""
    services: list[str] = Field(default_factory=list)
    """Patterns (regex, case-insensitive) of the services the rule covers; empty: any."""
    days_from_notice: int | None = Field(default=None, gt=0)
    """Asked for within this many days of the notice's date (Medicaid: 10)."""
    by_effective_date: bool = False
    """Timely up to the day the change takes effect (the later of it and the days from the
    notice, when both are given)."""
    days_before_effective: int = Field(default=0, ge=0)
    """With ``by_effective_date``: this many days before it (Medicare fast-track: noon of the
    day before)."""
    window: str = Field(min_length=10)
    """The window in words, as the letter states it."""
    ask: str = Field(min_length=40)
    """The letter's paragraph; {service}, {amount}, {effective}, {deadline}, {window} are
    filled in."""


class DrugExceptionRule(Rule):
    """The law's exception process for a drug the plan restricts, and its decision clocks."""

    name: str = Field(min_length=5)
    """As the letter asks for it: 'formulary exception'."""
    covers: list[DrugRestriction] = Field(min_length=1)
    when: list[str] = Field(default_factory=list)
    """Patterns (regex, case-insensitive) the notice must hold for the rule to apply (Part D:
    'Part D'); empty: any notice of the plan type."""
    unless: list[str] = Field(default_factory=list)
    """Patterns (regex, case-insensitive) of a notice the rule is not for, whatever ``when``
    finds (a Part B drug's step therapy: the Part D exception does not apply to it)."""
    standard_hours: int | None = Field(default=None, gt=0)
    expedited_hours: int | None = Field(default=None, gt=0)
    supporting_statement: bool = False
    """The rule asks for the prescriber's supporting statement (the letter says it is one)."""
    appeal: ExceptionAppeal | None = None
    """The appeal of a denied exception (Part D: the redetermination), asked for instead when
    the notice already denied the exception and offers it."""


class ExceptionAppeal(Strict):
    """The appeal of an exception the plan denied, with its own clocks."""

    name: str = Field(min_length=5)
    citation: str = Field(min_length=3)
    when: list[str] = Field(min_length=1)
    """Patterns (regex, case-insensitive) of a notice that offers it."""
    standard_days: int = Field(gt=0)
    expedited_hours: int = Field(gt=0)

    def offered(self, letter_text: str) -> bool:
        return says(self.when, letter_text)


class NetworkRule(Rule):
    """The law that sets the plan type's network access (time and distance) standards, and
    the letter's comparison of the patient's distance against the standard the notice states."""

    sentence: str = Field(min_length=40)
    """The letter's sentence; {standard}, {distance} and {over} are filled in."""
    law_only: str = Field(min_length=40)
    """The sentence when the argument already compares the distance (the network ground's
    access fact): the law that sets the standard only, no figures."""


class PlanLaw(Strict):
    plan_type: PlanType
    version: int = Field(ge=1)
    continuation: ContinuationRule | None = None
    drug_exceptions: list[DrugExceptionRule] = Field(default_factory=list)
    network: NetworkRule | None = None


@cache
def plan_law(plan: PlanType) -> PlanLaw:
    """The plan type's law for the strategies (empty when it has no file)."""
    path = HERE / "law" / f"{PlanType(plan).value}.yaml"
    if not path.exists():
        return PlanLaw(plan_type=plan, version=1)
    law = PlanLaw.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    if law.plan_type != plan:
        raise ValueError(f"{path}: plan_type is {law.plan_type}, expected {plan}")
    return law


class NetworkWords(Strict):
    """How a notice states its access standard and a case the distance to the nearest
    in-network provider (``specs/law/network.yaml``)."""

    version: int = Field(ge=1)
    standard_words: list[str] = Field(min_length=1)
    standard: list[str] = Field(min_length=1)
    """Patterns with the named groups miles and (optionally) minutes."""
    nearest_words: list[str] = Field(min_length=1)
    in_network_words: list[str] = Field(min_length=1)
    distance: list[str] = Field(min_length=1)


@cache
def network_words() -> NetworkWords:
    return load_spec(NetworkWords, "law", "network.yaml")


@dataclass(frozen=True)
class Reach:
    """A distance in miles, with the travel time when stated."""

    miles: float
    minutes: int | None = None

    def said(self, joiner: str) -> str:
        """'30 miles or 45 minutes' (joiner 'or'), '58.4 miles (about 70 minutes)'."""
        miles = f"{self.miles:g} miles"
        if self.minutes is None:
            return miles
        if joiner == "or":
            return f"{miles} or {self.minutes} minutes"
        return f"{miles} (about {self.minutes} minutes)"


def _reach(patterns: list[str], text: str) -> Reach | None:
    for written in patterns:
        if m := pattern(written).search(text):
            minutes = m.groupdict().get("minutes")
            return Reach(float(m.group("miles")), int(minutes) if minutes else None)
    return None


@dataclass(frozen=True)
class NetworkGap:
    """The notice's access standard, the patient's distance to the nearest in-network
    provider, and the law's sentence comparing them (only when the distance is beyond it)."""

    rule: NetworkRule
    standard: Reach
    distance: Reach
    over: str
    """How far beyond the standard: in miles, else in minutes ('28.4 miles')."""

    def sentence(self) -> str:
        return " ".join(
            self.rule.sentence.format(
                standard=self.standard.said("or"),
                distance=self.distance.said("about"),
                over=self.over,
            ).split()
        )

    def strings(self) -> list[str]:
        """Its figures and citation, for the validator's grounding."""
        return [
            self.rule.citation,
            self.sentence(),
            " ".join(self.rule.law_only.split()),
            self.over,
        ]


def network_gap(analysis: DenialAnalysis, letter_text: str, case: CaseFacts) -> NetworkGap | None:
    """The comparison when the plan type's law sets network standards, the notice states its
    standard, the case the distance to the nearest in-network provider, and that distance is
    beyond the standard (in miles, or in minutes when both give them); else None."""
    rule = plan_law(analysis.plan_type).network
    if rule is None:
        return None
    words = network_words()
    standard = next(
        (
            found
            for sentence in split_sentences(letter_text, flatten=True)
            if says(words.standard_words, sentence)
            and (found := _reach(words.standard, sentence)) is not None
        ),
        None,
    )
    if standard is None:
        return None
    texts = [f"{f.name}: {f.value}" for f in case.objective_findings]
    for text in (case.clinical_summary, case.consequences_of_denial):
        texts += split_sentences(text or "", flatten=True)
    distance = next(
        (
            found
            for text in texts
            if says(words.nearest_words, text)
            and says(words.in_network_words, text)
            and (found := _reach(words.distance, text)) is not None
        ),
        None,
    )
    if distance is None:
        return None
    if distance.miles > standard.miles:
        return NetworkGap(rule, standard, distance, f"{distance.miles - standard.miles:g} miles")
    if distance.minutes and standard.minutes and distance.minutes > standard.minutes:
        return NetworkGap(
            rule, standard, distance, f"{distance.minutes - standard.minutes} minutes"
        )
    return None


def exception_rule(
    plan: PlanType, letter_text: str, restriction: DrugRestriction
) -> DrugExceptionRule | None:
    """The first exception rule of the plan type that covers the restriction and whose words the
    notice holds; None when the law gives none (the letter asks under the plan's process)."""
    for rule in plan_law(plan).drug_exceptions:
        if restriction not in rule.covers:
            continue
        if rule.when and not says(rule.when, letter_text):
            continue
        if says(rule.unless, letter_text):
            continue
        return rule
    return None


State = Literal["open", "near", "passed", "unknown"]


@dataclass(frozen=True)
class Continuation:
    """The rule that fits the notice's change, its last day and where today stands against it."""

    rule: ContinuationRule
    change: ServiceChange
    deadline: dt.date | None
    """The last day to ask (None when the notice's dates do not give it)."""
    state: State
    notice: dt.date | None = None
    """The notice's date, which the days to ask count from."""

    def arithmetic(self) -> str:
        """How the last day follows from the notice ('counting 10 days from the notice of
        November 30, 2026 gives December 10, 2026; the change takes effect December 10, 2026;
        the later of the two, December 10, 2026, is the last day to ask.'); '' when the dates
        do not give it."""
        rule, change = self.rule, self.change
        counted = (
            self.notice + dt.timedelta(days=rule.days_from_notice)
            if rule.days_from_notice and self.notice
            else None
        )
        effective = (
            change.effective - dt.timedelta(days=rule.days_before_effective)
            if rule.by_effective_date and change.effective
            else None
        )
        if counted is None or self.notice is None or self.deadline is None:
            return ""
        said = (
            f"counting {rule.days_from_notice} days from the notice of {fmt_date(self.notice)} "
            f"gives {fmt_date(counted)}"
        )
        if effective is None:
            return f"{said}, the last day to ask."
        return (
            f"{said}; the change takes effect {fmt_date(effective)}; the later of the two, "
            f"{fmt_date(self.deadline)}, is the last day to ask."
        )

    def paragraph(self, service: str) -> str:
        """The letter's request for continuation, with the window's state when it is near or
        has passed."""
        change = self.change
        amount = ""
        if change.before is not None and change.unit:
            per = f" per {change.per}" if change.per else ""
            amount = f" at the {change.before:g} {change.unit}{per} authorized until now"
        effective = fmt_date(change.effective) if change.effective else "the date in the notice"
        deadline = fmt_date(self.deadline) if self.deadline else "the date in the notice"
        text = " ".join(
            self.rule.ask.format(
                service=service,
                amount=amount,
                effective=effective,
                deadline=deadline,
                window=self.rule.window,
            ).split()
        )
        if self.state == "passed" and self.deadline:
            text += (
                f" The window to ask for this closed on {deadline}; I ask that you continue "
                "the service nonetheless."
            )
        elif self.state == "near" and self.deadline:
            text += f" This request is made before that window closes on {deadline}."
        if sum_up := self.arithmetic():
            text += f" {sum_up[0].upper()}{sum_up[1:]}"
        return text

    def warning(self) -> str | None:
        """A one-line warning for the CLI and the page when the window is near or past."""
        if self.state not in ("near", "passed") or self.deadline is None:
            return None
        what = "fast-track QIO review" if self.rule.route == "qio" else "continued benefits"
        day = self.deadline.isoformat()
        if self.state == "passed":
            return (
                f"the window to ask for {what} pending appeal ({self.rule.citation}) CLOSED on "
                f"{day}; ask now anyway and say why it is late"
            )
        return (
            f"the window to ask for {what} pending appeal ({self.rule.citation}) closes on "
            f"{day}; send the appeal (or call the plan) before then"
        )


def _deadline(
    rule: ContinuationRule, change: ServiceChange, notice: dt.date | None
) -> dt.date | None:
    days: list[dt.date] = []
    if rule.days_from_notice and notice:
        days.append(notice + dt.timedelta(days=rule.days_from_notice))
    if rule.by_effective_date and change.effective:
        days.append(change.effective - dt.timedelta(days=rule.days_before_effective))
    return max(days) if days else None


def continuation(
    analysis: DenialAnalysis, letter_text: str, case: CaseFacts, today: dt.date
) -> Continuation | None:
    """The continuation the plan type's law allows for the notice's change, or None (no change,
    no rule, or a rule that does not cover this change or service: the notice, the case's
    service and the level of care are searched for the services a rule covers)."""
    change = analysis.service_change
    if change is None:
        return None
    rule = plan_law(analysis.plan_type).continuation
    if rule is None or (rule.ends_only and not change.ends):
        return None
    where = "\n".join(filter(None, (letter_text, case.service.description, analysis.level_of_care)))
    if rule.services and not says(rule.services, where):
        return None
    deadline = _deadline(rule, change, analysis.letter_date)
    state: State = "unknown"
    if deadline is not None:
        left = (deadline - today).days
        state = "passed" if left < 0 else "near" if left <= WARNING_DAYS else "open"
    return Continuation(
        rule=rule, change=change, deadline=deadline, state=state, notice=analysis.letter_date
    )


def law_strings(analysis: DenialAnalysis) -> list[str]:
    """What the strategies may state of the plan type's law and the notice's change: the rules'
    citations and clocks, the amount cut, the last day to ask for continuation (the validator
    grounds the letter's numbers and dates in these as in the inputs)."""
    law = plan_law(analysis.plan_type)
    out: list[str] = []
    change = analysis.service_change
    if law.continuation is not None:
        out += [law.continuation.citation, law.continuation.window]
        if change is not None:
            kept, notice = law.continuation, analysis.letter_date
            deadline = _deadline(kept, change, notice)
            out += [deadline.isoformat()] if deadline else []
            if kept.days_from_notice and notice:  # the arithmetic's day count from the notice
                counted = notice + dt.timedelta(days=kept.days_from_notice)
                out += [counted.isoformat(), f"{kept.days_from_notice} days"]
    for rule in law.drug_exceptions:
        out += [rule.citation, f"{rule.standard_hours} hours", f"{rule.expedited_hours} hours"]
        if rule.appeal is not None:
            appeal = rule.appeal
            out += [appeal.citation, f"{appeal.standard_days} days"]
            out.append(f"{appeal.expedited_hours} hours")
    if change is not None and change.cut is not None:
        out.append(f"{change.cut:g}")
    return out + ground_strings(analysis)
