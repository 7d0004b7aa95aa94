"""Continuation of a reduced or ended service while the review is pending: which rule of the
plan type fits the notice's change (``PlanSpec.continuation``), the last day to ask, how near it
is, and the letter's paragraph. Plan types with no such rule say nothing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from ..letter_format import fmt_date
from ..models import CaseFacts, DenialAnalysis, ServiceChange
from ._specs import ContinuationRule, plan_spec

WARNING_DAYS = 7
"""A window to ask for continuation this close (or closed) is warned about loudly."""

State = Literal["open", "near", "passed", "unknown"]


@dataclass(frozen=True)
class Continuation:
    """The rule that fits, its last day and where today stands against it."""

    rule: ContinuationRule
    change: ServiceChange
    deadline: dt.date | None
    """The last day to ask (None when the notice's dates do not give it)."""
    state: State

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
    rule = plan_spec(analysis.plan_type).for_letter(letter_text).continuation
    if rule is None or (rule.ends_only and not change.ends):
        return None
    where = "\n".join(filter(None, (letter_text, case.service.description, analysis.level_of_care)))
    if rule.services and not any(re.search(p, where, re.IGNORECASE) for p in rule.services):
        return None
    deadline = _deadline(rule, change, analysis.letter_date)
    state: State = "unknown"
    if deadline is not None:
        left = (deadline - today).days
        state = "passed" if left < 0 else "near" if left <= WARNING_DAYS else "open"
    return Continuation(rule=rule, change=change, deadline=deadline, state=state)
