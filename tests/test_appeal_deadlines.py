"""Plan-type specs and the appeal's deadlines, date by date."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.appeal import (
    Events,
    PlanSpec,
    add_business_days,
    add_months,
    all_specs,
    federal_holidays,
    named_body,
    plan_spec,
    schedule,
)
from pipeline.models import DenialAnalysis, PlanType

D = dt.date


def test_every_plan_type_has_a_complete_spec() -> None:
    specs = all_specs()
    assert set(specs) == set(PlanType)
    assert len({s.priority for s in specs.values()}) == len(specs)
    for plan, spec in specs.items():
        assert isinstance(spec, PlanSpec) and spec.plan_type == plan
        internal = spec.internal_appeal
        assert internal.key == "internal_appeal", plan
        assert internal.filing is not None, f"{plan}: no internal appeal window"
        assert internal.decision is not None and internal.decision.standard, plan
        assert spec.next_levels and all(lv.key != "internal_appeal" for lv in spec.next_levels)
        first_next = spec.next_levels[0]
        assert first_next.automatic or first_next.filing, f"{plan}: next level has no window"
        assert spec.records_law and spec.regulations and spec.who_may_appeal.citation
        for citation in spec.cites():
            assert any(law in citation for law in ("U.S.C.", "CFR", "Code")), (plan, citation)
        assert spec.retrieval.procedure and spec.legal_basis
        assert bool(spec.signals) == (plan != PlanType.unknown), plan
        for program in spec.programs:
            applied = spec.for_letter(program.when[0], ["J9999"] if program.codes else None)
            assert applied.key == program.key and applied.programs == []


@pytest.mark.parametrize(
    ("day", "months", "month_end", "expected"),
    [
        (D(2026, 10, 31), 4, "clip", D(2027, 2, 28)),
        (D(2026, 10, 31), 4, "next_day", D(2027, 3, 1)),
        (D(2027, 10, 31), 4, "clip", D(2028, 2, 29)),
        (D(2027, 10, 31), 4, "next_day", D(2028, 3, 1)),
        (D(2027, 10, 29), 4, "next_day", D(2028, 2, 29)),
        (D(2026, 8, 31), 6, "clip", D(2027, 2, 28)),
        (D(2026, 12, 31), 2, "next_day", D(2027, 3, 1)),
        (D(2026, 11, 30), 3, "clip", D(2027, 2, 28)),
        (D(2026, 1, 15), 12, "clip", D(2027, 1, 15)),
    ],
)
def test_months_at_month_ends_and_leap_days(day, months, month_end, expected) -> None:
    assert add_months(day, months, month_end) == expected


def test_federal_holidays_with_observed_days() -> None:
    h2026 = federal_holidays(2026)
    assert D(2026, 7, 3) in h2026 and D(2026, 7, 4) not in h2026  # 4 July is a Saturday
    assert D(2026, 11, 26) in h2026 and D(2026, 1, 19) in h2026  # Thanksgiving, MLK
    assert len(h2026) == 11
    h2027 = federal_holidays(2027)
    assert D(2027, 12, 24) in h2027  # Christmas on a Saturday
    assert D(2027, 12, 31) in h2027  # New Year's Day 2028 is a Saturday
    assert D(2027, 2, 15) in h2027 and D(2027, 6, 18) in h2027  # Washington, Juneteenth
    # Thanksgiving week: Wednesday + 3 business days skips Thursday's holiday.
    assert add_business_days(D(2026, 11, 25), 3) == D(2026, 12, 1)


def analysis(plan: PlanType, letter_date: dt.date, **kw) -> DenialAnalysis:
    return DenialAnalysis(plan_type=plan, letter_date=letter_date, **kw)


# plan type, letter text (selects a program), notice date, events, deadline key, expected date
TABLE = [
    # ERISA: 180 days from the notice; external review 4 months from the final denial, with
    # the first-day-of-the-fifth-month rule and the next-business-day rule.
    (PlanType.erisa, "", D(2026, 10, 21), {}, "internal_appeal.filing", D(2027, 4, 19)),
    (PlanType.erisa, "", D(2026, 3, 1), {}, "internal_appeal.filing", D(2026, 8, 28)),
    (PlanType.erisa, "", D(2026, 6, 1), {"final_notice": D(2026, 10, 31)},
     "external_review.filing", D(2027, 3, 1)),
    (PlanType.erisa, "", D(2026, 6, 1), {"final_notice": D(2026, 10, 6)},
     "external_review.filing", D(2027, 2, 8)),  # 6 February 2027 is a Saturday
    (PlanType.erisa, "", D(2026, 6, 1), {"final_notice": D(2026, 10, 15)},
     "external_review.filing", D(2027, 2, 16)),  # 15 February 2027 is Washington's Birthday
    (PlanType.erisa, "", D(2026, 6, 1), {"filed": {"internal_appeal": D(2026, 12, 30)}},
     "internal_appeal.decision.expedited", D(2027, 1, 2)),
    (PlanType.erisa, "", D(2026, 6, 1), {"filed": {"internal_appeal": D(2026, 12, 30)}},
     "internal_appeal.decision.post_service", D(2027, 2, 28)),
    (PlanType.erisa, "", D(2026, 6, 1), {"filed": {"external_review": D(2027, 1, 20)}},
     "external_review.decision.standard", D(2027, 3, 6)),
    # ACA individual: leap years, a Saturday Christmas observed on Friday.
    (PlanType.aca_individual, "", D(2027, 8, 31), {}, "internal_appeal.filing", D(2028, 2, 27)),
    (PlanType.aca_individual, "", D(2026, 1, 1), {"final_notice": D(2027, 10, 31)},
     "external_review.filing", D(2028, 3, 1)),
    (PlanType.aca_individual, "", D(2026, 1, 1), {"final_notice": D(2027, 10, 29)},
     "external_review.filing", D(2028, 2, 29)),  # a leap day, a Tuesday
    (PlanType.aca_individual, "", D(2026, 1, 1), {"final_notice": D(2027, 8, 24)},
     "external_review.filing", D(2027, 12, 27)),  # Friday 24 December 2027 is a holiday
    (PlanType.aca_individual, "Department of Managed Health Care", D(2026, 1, 1),
     {"final_notice": D(2026, 8, 31)}, "state_review.filing", D(2027, 2, 28)),
    # Medicare Advantage: 65 calendar days (no business-day rule: New Year's Day stays),
    # the IRE is automatic, an ALJ hearing 60 days after presumed receipt (+5 days).
    (PlanType.medicare_advantage, "", D(2026, 10, 28), {}, "internal_appeal.filing",
     D(2027, 1, 1)),
    (PlanType.medicare_advantage, "", D(2026, 10, 9), {}, "internal_appeal.filing",
     D(2026, 12, 13)),
    (PlanType.medicare_advantage, "", D(2026, 10, 9), {"filed": {"ire_review": D(2027, 2, 1)}},
     "ire_review.decision.standard", D(2027, 3, 3)),
    (PlanType.medicare_advantage, "", D(2026, 10, 9), {"decided": {"ire_review": D(2027, 2, 24)}},
     "alj_hearing.filing", D(2027, 4, 30)),
    # Original Medicare: 120 days from presumed receipt (notice + 5), QIC 180 days the same way.
    (PlanType.medicare, "", D(2026, 1, 30), {}, "internal_appeal.filing", D(2026, 6, 4)),
    (PlanType.medicare, "", D(2028, 1, 30), {}, "internal_appeal.filing", D(2028, 6, 3)),
    (PlanType.medicare, "", D(2026, 1, 30), {"final_notice": D(2026, 8, 31)},
     "qic_reconsideration.filing", D(2027, 3, 4)),
    # Medicaid managed care: 60 days to appeal, 10 to keep benefits, 120 to a fair hearing.
    (PlanType.medicaid, "", D(2026, 11, 5), {}, "internal_appeal.filing", D(2027, 1, 4)),
    (PlanType.medicaid, "", D(2026, 11, 5), {}, "internal_appeal.continuation", D(2026, 11, 15)),
    (PlanType.medicaid, "", D(2026, 11, 5), {"final_notice": D(2027, 1, 20)},
     "fair_hearing.filing", D(2027, 5, 20)),
    (PlanType.medicaid, "", D(2026, 11, 5), {"final_notice": D(2028, 1, 1)},
     "fair_hearing.filing", D(2028, 4, 30)),
    (PlanType.medicaid, "", D(2026, 11, 5), {"final_notice": D(2027, 1, 20)},
     "fair_hearing.continuation", D(2027, 1, 30)),
    (PlanType.medicaid, "", D(2026, 11, 5), {"filed": {"fair_hearing": D(2026, 11, 25)}},
     "fair_hearing.decision.expedited", D(2026, 12, 1)),  # 3 working days over Thanksgiving
    # FEHB: 6 months to ask the carrier (clipped at month end), 90 days to ask OPM.
    (PlanType.government_or_church, "FEHB plan", D(2026, 8, 31), {}, "internal_appeal.filing",
     D(2027, 2, 28)),
    (PlanType.government_or_church, "FEHB plan", D(2027, 8, 31), {}, "internal_appeal.filing",
     D(2028, 2, 29)),
    (PlanType.government_or_church, "FEHB plan", D(2027, 8, 31),
     {"final_notice": D(2026, 12, 1)}, "opm_review.filing", D(2027, 3, 1)),
    # A state employees' plan: the PHS Act's external review.
    (PlanType.government_or_church, "", D(2026, 10, 7), {"final_notice": D(2026, 12, 31)},
     "external_review.filing", D(2027, 5, 3)),  # 1 May 2027 is a Saturday
    # Unknown plan type: the shortest windows any plan type has.
    (PlanType.unknown, "", D(2026, 12, 5), {}, "internal_appeal.filing", D(2027, 2, 3)),
]  # fmt: skip


@pytest.mark.parametrize(("plan", "text", "notice", "events", "key", "expected"), TABLE)
def test_deadline_table(plan, text, notice, events, key, expected) -> None:
    sched = schedule(analysis(plan, notice), text, Events(**events))
    deadline = sched.deadline(key)
    assert deadline is not None, f"{key} missing from {[d.key for d in sched.dated()]}"
    assert deadline.due == expected, f"{plan} {key}: {deadline.due} != {expected}"
    assert deadline.citation and deadline.rule


def test_unknown_start_leaves_the_date_open() -> None:
    sched = schedule(analysis(PlanType.erisa, D(2026, 10, 21)))
    review = sched.deadline("external_review.filing")
    assert review is not None and review.due is None and "not yet known" in review.counted_from
    assert review.window == "4 months"
    assert sched.next_level.key == "external_review"


def test_the_letters_earlier_deadline_wins_and_a_later_one_does_not() -> None:
    earlier = schedule(
        analysis(PlanType.erisa, D(2026, 10, 21), appeal_deadline=D(2027, 1, 19))
    ).deadline("internal_appeal.filing")
    assert earlier and earlier.due == D(2027, 1, 19) and earlier.source == "letter"
    assert "2027-04-19" in earlier.counted_from
    later = schedule(
        analysis(PlanType.erisa, D(2026, 10, 21), appeal_deadline=D(2027, 4, 24))
    ).deadline("internal_appeal.filing")
    assert later and later.due == D(2027, 4, 19) and later.source == "law"


def test_church_plan_deadline_comes_from_the_letter_only() -> None:
    church = analysis(PlanType.government_or_church, D(2026, 9, 30))
    assert schedule(church, "a church plan").deadline("internal_appeal.filing") is None
    stated = church.model_copy(update={"appeal_deadline": D(2027, 3, 29)})
    filing = schedule(stated, "a church plan").deadline("internal_appeal.filing")
    assert filing and filing.due == D(2027, 3, 29) and filing.source == "letter"


@pytest.mark.parametrize(
    ("text", "level", "body"),
    [
        (
            "You may request external review through the Colorado Division of Insurance within "
            "4 months.",
            "external_review",
            "Colorado Division of Insurance",
        ),
        (
            "ask for a State Fair Hearing with the Illinois Department of Healthcare and Family "
            "Services within 120 days",
            "fair_hearing",
            "Illinois Department of Healthcare and Family Services",
        ),
        (
            "AN INDEPENDENT REVIEW THROUGH THE TEXAS DEPARTMENT OF INSURANCE.",
            "external_review",
            "TEXAS DEPARTMENT OF INSURANCE",
        ),
        ("You may request external review.", "external_review", None),
        ("Write to the Colorado Division of Insurance.", "fair_hearing", None),
    ],
)
def test_named_body(text, level, body) -> None:
    assert named_body(text, level) == body


def test_programs_are_chosen_by_the_letter() -> None:
    gov = plan_spec(PlanType.government_or_church)
    assert gov.for_letter("Federal Employees Health Benefits (FEHB) Program").key == "fehb"
    assert gov.for_letter("State of New Hampshire employees").key == "default"
    aca = plan_spec(PlanType.aca_individual).for_letter("the Department of Managed Health Care")
    assert aca.next_levels[0].key == "state_review"
    assert aca.next_levels[0].filing and aca.next_levels[0].filing.amount == 6
