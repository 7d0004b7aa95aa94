"""The whole appeal, not one letter: plan-type specs, deadlines and the next level of review.

Public names are re-exported from the private modules.
"""

from ._contact import AppealContact, appeal_contact
from ._dates import add_business_days, add_months, federal_holidays, is_business_day, roll_forward
from ._schedule import (
    AppealSchedule,
    Deadline,
    Events,
    LevelPlan,
    due_date,
    named_body,
    next_level,
    next_level_due,
    render_text,
    schedule,
)
from ._specs import Authority, Clocks, Level, PlanSpec, Program, Window, all_specs, plan_spec

__all__ = [
    "AppealContact",
    "AppealSchedule",
    "Authority",
    "Clocks",
    "Deadline",
    "Events",
    "Level",
    "LevelPlan",
    "PlanSpec",
    "Program",
    "Window",
    "add_business_days",
    "add_months",
    "all_specs",
    "appeal_contact",
    "due_date",
    "federal_holidays",
    "is_business_day",
    "named_body",
    "next_level",
    "next_level_due",
    "plan_spec",
    "render_text",
    "roll_forward",
    "schedule",
]
