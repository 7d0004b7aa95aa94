"""The appeal's schedule: each level of review with its filing window and decision clocks,
computed from the plan-type spec and the dates known so far.

A deadline whose starting event has not happened yet (the final denial, the day an appeal is
filed) is listed with its window and no date; :class:`Events` fills them in as the case moves
(``lmn cases update``, ``lmn escalate --final-denial``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, Field

from ..models import AppealLevel, DenialAnalysis, PlanType
from ._contact import address_after
from ._dates import add_business_days, add_months, roll_forward
from ._specs import Level, PlanSpec, Window, plan_spec


class Events(BaseModel):
    """The dates a schedule counts from; each unknown until it happens."""

    notice: dt.date | None = None
    """The date of the denial notice."""
    final_notice: dt.date | None = None
    """The date of the final internal denial (the decision on the internal appeal)."""
    filed: dict[str, dt.date] = Field(default_factory=dict)
    """Level key -> the day the request for that level was filed."""
    decided: dict[str, dt.date] = Field(default_factory=dict)
    """Level key -> the date of that level's decision notice."""


class Deadline(BaseModel):
    """One deadline of the appeal."""

    key: str
    """'<level>.filing', '<level>.decision.standard', '<level>.decision.expedited',
    '<level>.decision.post_service', '<level>.continuation'."""
    what: str
    """What must happen by then, e.g. 'Ask for external review'."""
    due: dt.date | None
    """The last day (None while the event it counts from is unknown)."""
    hours: int | None = None
    """For clocks set in hours: the hours from the starting event (due is the calendar day)."""
    window: str
    """'4 months', '72 hours'."""
    counted_from: str
    """What the window counts from, with its date when known."""
    citation: str
    rule: str
    source: Literal["law", "letter"] = "law"
    """Where ``due`` comes from: the law's window, or a deadline the letter states (when it is
    earlier than the law's)."""


class LevelPlan(BaseModel):
    """One level of review with its deadlines."""

    key: str
    name: str
    reviewer: str
    automatic: bool = False
    body: str | None = None
    """The body the letter names for this level ('Colorado Division of Insurance')."""
    address: str | None = None
    """Where the letter says to send the request for this level, when it gives an address."""
    file_with: Literal["plan", "reviewer"] = "reviewer"
    """Where the request goes: the plan's appeals address, or the reviewing body."""
    citation: str
    rule: str
    deadlines: list[Deadline] = Field(default_factory=list)


class AppealSchedule(BaseModel):
    """The levels of review of one denial, first the internal appeal."""

    plan_type: PlanType
    spec_version: str
    program: str
    """The spec's program ('default', 'fehb', 'ca_dmhc_imr' ...)."""
    title: str
    levels: list[LevelPlan]

    @property
    def internal(self) -> LevelPlan:
        return self.levels[0]

    @property
    def next_level(self) -> LevelPlan:
        """The level after the internal appeal."""
        return self.levels[1]

    def deadline(self, key: str) -> Deadline | None:
        """The deadline with ``key``, e.g. 'internal_appeal.filing'."""
        return next((d for lv in self.levels for d in lv.deadlines if d.key == key), None)

    def dated(self) -> list[Deadline]:
        """Every deadline with a date, in date order."""
        return sorted(
            (d for lv in self.levels for d in lv.deadlines if d.due), key=lambda d: d.due or 0
        )


_EVENT_NAMES = {
    "notice": "the denial notice",
    "final_notice": "the final internal denial",
    "filed": "the day the request is received",
    "level_notice": "the notice of the level before",
}


def due_date(window: Window, start: dt.date) -> dt.date:
    """The last day of ``window`` counted from ``start``, by the window's counting rules."""
    day = start + dt.timedelta(days=window.receipt_days)
    if window.unit == "days":
        day += dt.timedelta(days=window.amount)
    elif window.unit == "business_days":
        day = add_business_days(day, window.amount)
    elif window.unit == "months":
        day = add_months(day, window.amount, window.month_end)
    else:  # hours: the calendar day on which they run out
        day += dt.timedelta(hours=window.amount).days * dt.timedelta(days=1)
    return roll_forward(day) if window.roll_forward else day


def _start(window: Window, level: str, previous: str | None, events: Events) -> dt.date | None:
    if window.start == "notice":
        return events.notice
    if window.start == "final_notice":
        return events.final_notice
    if window.start == "filed":
        return events.filed.get(level)
    return events.decided.get(previous) if previous else None


def _deadline(
    key: str, what: str, window: Window, level: str, previous: str | None, events: Events
) -> Deadline:
    start = _start(window, level, previous, events)
    counted = _EVENT_NAMES[window.start]
    if window.receipt_days:
        counted = f"receipt of {counted} (presumed {window.receipt_days} days after its date)"
    return Deadline(
        key=key,
        what=what,
        due=due_date(window, start) if start else None,
        hours=window.amount if window.unit == "hours" else None,
        window=window.describe(),
        counted_from=f"{counted}, {start.isoformat()}" if start else f"{counted} (not yet known)",
        citation=window.citation,
        rule=window.rule,
    )


_ASK = {
    "internal_appeal": "File the {name}",
    "court": "Bring the {name}",
}


def _level_plan(level: Level, previous: str | None, events: Events, body: str | None) -> LevelPlan:
    plan = LevelPlan(
        key=level.key,
        name=level.name,
        reviewer=level.reviewer,
        automatic=level.automatic,
        file_with=level.file_with,
        body=body,
        citation=level.authority.citation,
        rule=level.authority.rule,
    )
    name = level.name[0].lower() + level.name[1:]
    if level.filing:
        what = _ASK.get(level.key, "Ask for {name}").format(name=name)
        plan.deadlines.append(
            _deadline(f"{level.key}.filing", what, level.filing, level.key, previous, events)
        )
    if level.continuation:
        plan.deadlines.append(
            _deadline(
                f"{level.key}.continuation",
                "Ask that benefits continue pending the decision",
                level.continuation,
                level.key,
                previous,
                events,
            )
        )
    if level.decision:
        for track in ("expedited", "standard", "post_service"):
            window = getattr(level.decision, track)
            if window:
                what = f"{level.name} decided ({track.replace('_', '-')})"
                plan.deadlines.append(
                    _deadline(
                        f"{level.key}.decision.{track}", what, window, level.key, previous, events
                    )
                )
    return plan


# "... external review through the Colorado Division of Insurance within 4 months ..."
_NAME = r"[A-Z][\w&'-]*"
_BODY_RE = re.compile(
    rf"\b(?i:through|with|to) (?i:the) ((?:{_NAME}\s){{0,6}}?"
    r"(?i:Department|Division|Bureau|Office|Commissioner)\b"
    rf"(?:\s(?i:of|for|and|&)\s{_NAME}(?:\s{_NAME}){{0,5}})*)",
)
_LEVEL_WORDS = {
    "external_review": ("external review", "independent review", "external independent review"),
    "state_review": ("independent medical review", "external review"),
    "fair_hearing": ("fair hearing",),
    "opm_review": ("opm", "office of personnel management"),
}


def level_address(text: str, level_key: str) -> str | None:
    """The address a letter gives for a level: the first postal address shortly after the
    first sentence that names the level."""
    words = _LEVEL_WORDS.get(level_key)
    if not words:
        return None
    folded = text.lower()
    # the first mention followed closely by an address (a heading may name the level first)
    hits = sorted(m.start() for w in words for m in re.finditer(re.escape(w), folded))
    return next((found for i in hits if (found := address_after(text, i))), None)


def named_body(text: str, level_key: str) -> str | None:
    """The body a letter names for a level: '... fair hearing with the Michigan Office of
    Administrative Hearings and Rules ...' -> 'Michigan Office of Administrative Hearings and
    Rules'. None when the letter names none."""
    words = _LEVEL_WORDS.get(level_key)
    if not words:
        return None
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if any(w in sentence.lower() for w in words) and (m := _BODY_RE.search(sentence)):
            return re.sub(r"\s+", " ", m.group(1)).strip()
    return None


def schedule(
    analysis: DenialAnalysis,
    text: str = "",
    events: Events | None = None,
    spec: PlanSpec | None = None,
    *,
    program: str | None = None,
    bodies: dict[str, str] | None = None,
) -> AppealSchedule:
    """The appeal's levels and deadlines for a denial. ``text`` (the letter) selects the spec's
    program and names the bodies; without it (a tracked case) ``program`` and ``bodies`` say
    them. ``events`` defaults to the notice's date only."""
    events = events or Events()
    if events.notice is None:
        events = events.model_copy(update={"notice": analysis.letter_date})
    base = spec or plan_spec(analysis.plan_type)
    spec = base.for_program(program) if program else base.for_letter(text)
    levels = [spec.internal_appeal, *spec.next_levels]
    plans = []
    for i, level in enumerate(levels):
        previous = levels[i - 1].key if i else None
        body = (bodies or {}).get(level.key) if program else named_body(text, level.key)
        plans.append(_level_plan(level, previous, events, body))
        if i and text:
            plans[-1].address = level_address(text, level.key)
    _letter_deadline(plans[0], analysis.appeal_deadline)
    return AppealSchedule(
        plan_type=spec.plan_type,
        spec_version=spec.version,
        program=spec.key,
        title=spec.title,
        levels=plans,
    )


def next_level(analysis: DenialAnalysis, text: str) -> LevelPlan | None:
    """The review that answers a notice that is the plan's final internal decision
    (``DenialAnalysis.appeal_level``), with its filing deadline counted from the notice: None
    for any other notice, or when the next level is automatic (the plan forwards the case).
    The drafter states this level's due date and the validator grounds the date it states."""
    if analysis.appeal_level is not AppealLevel.final_internal or analysis.letter_date is None:
        return None
    if analysis.plan_type == PlanType.unknown:  # no law is stated as this plan's
        return None
    plan = schedule(analysis, text, Events(final_notice=analysis.letter_date))
    level = plan.next_level if len(plan.levels) > 1 else None
    return None if level is None or level.automatic else level


def next_level_due(analysis: DenialAnalysis, text: str) -> dt.date | None:
    """The filing due date of :func:`next_level` (None when there is none or it has none)."""
    level = next_level(analysis, text)
    if level is None:
        return None
    return next((d.due for d in level.deadlines if d.key.endswith(".filing")), None)


def _letter_deadline(internal: LevelPlan, stated: dt.date | None) -> None:
    """The letter's own deadline wins when it is earlier than the law's (or the law sets none)."""
    if stated is None:
        return
    filing = next((d for d in internal.deadlines if d.key.endswith(".filing")), None)
    if filing is None:
        internal.deadlines.insert(
            0,
            Deadline(
                key="internal_appeal.filing",
                what=f"File the {internal.name.lower()}",
                due=stated,
                window="as the letter states",
                counted_from="the letter",
                citation=internal.citation,
                rule="The plan's own procedure sets the deadline; the letter states it.",
                source="letter",
            ),
        )
    elif filing.due is None or stated < filing.due:
        law = f"; the law allows until {filing.due.isoformat()}" if filing.due else ""
        filing.due, filing.source = stated, "letter"
        filing.counted_from = f"the deadline the letter states{law}"


def render_text(plan: AppealSchedule) -> list[str]:
    """The schedule as indented lines for `lmn extract`."""
    lines = [f"appeal: {plan.title} (plan-type spec {plan.spec_version}, {plan.program})"]
    for level in plan.levels:
        how = "automatic, the plan forwards the case" if level.automatic else level.reviewer
        body = f"; {level.body}" if level.body else ""
        lines.append(f"  {level.name} [{level.citation}]: {how}{body}")
        for d in level.deadlines:
            when = d.due.isoformat() if d.due else "date not yet known"
            lines.append(f"    {d.what}: {when} ({d.window} from {d.counted_from}) [{d.citation}]")
    return lines
