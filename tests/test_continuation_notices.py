"""Continuation of benefits pending appeal (42 CFR 438.420) on notices that cut a service
already authorized, worded as Medicaid plans word them, with the amounts in the sentence or only
in a before/after table; the date arithmetic is the later of 10 days from the notice and the
date the change takes effect. Synthetic notices written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.models import CaseFacts, DenialAnalysis, PlanType
from pipeline.reasoning.change import read_change
from pipeline.reasoning.law import continuation

D = dt.date

TABLE_ONLY = """NOTICE OF ACTION
Date of notice: January 4, 2027
The Plan reviewed the personal care services previously authorized for you for 12/01/2026 through
05/31/2027. We are lowering the amount of personal care aide hours we will pay for. This
change will take effect on JANUARY 20, 2027.

| Service | Code | Authorized | Approved from 01/20/27 |
|---|---|---|---|
| Personal care aide | T1019 | 120 units/week | 72 units/week |

You may ask for a State Fair Hearing after the Plan's appeal. Medicaid managed care plan.
"""

SENTENCE = """Date: 03/02/2027
Your private duty nursing hours are reduced from 60 to 42 hours per week effective 03/05/2027
for the authorization period 02/01/2027 through 07/31/2027. Medicaid managed care plan.
"""


def _analysis(text: str, notice: dt.date) -> DenialAnalysis:
    return DenialAnalysis(
        plan_type=PlanType.medicaid, letter_date=notice, service_change=read_change(text)
    )


def _case() -> CaseFacts:
    return CaseFacts.model_validate(
        {"patient": {"name": "Rory Dunn"}, "service": {"description": "Personal care aide"}}
    )


@pytest.mark.parametrize(
    ("text", "notice", "today", "deadline", "state"),
    [
        # effective date later than 10 days from the notice: the effective date governs
        (TABLE_ONLY, D(2027, 1, 4), D(2027, 1, 6), D(2027, 1, 20), "open"),
        (TABLE_ONLY, D(2027, 1, 4), D(2027, 1, 16), D(2027, 1, 20), "near"),
        (TABLE_ONLY, D(2027, 1, 4), D(2027, 1, 21), D(2027, 1, 20), "passed"),
        # effective date 3 days after the notice: 10 days from the notice governs
        (SENTENCE, D(2027, 3, 2), D(2027, 3, 6), D(2027, 3, 12), "near"),
    ],
)
def test_continuation_window_is_the_later_of_ten_days_and_the_effective_date(
    text: str, notice: dt.date, today: dt.date, deadline: dt.date, state: str
) -> None:
    found = continuation(_analysis(text, notice), text, _case(), today)
    assert found is not None, "a cut to an authorized Medicaid service has a continuation right"
    assert found.deadline == deadline and found.state == state
    said = found.paragraph("personal care aide services")
    assert "42 CFR 438.420" in said and "state fair hearing" in said
    if state == "passed":
        assert "closed on" in said and found.warning() and "CLOSED" in (found.warning() or "")
    if state == "near":
        assert "before that window closes" in said and found.warning()


def test_a_notice_reducing_the_number_of_hours_with_its_amounts_in_a_table_is_a_reduction() -> None:
    change = read_change(TABLE_ONLY)
    assert change is not None and not change.ends
    assert change.effective == D(2027, 1, 20) and change.through == D(2027, 5, 31)


def test_the_continuation_request_shows_its_date_arithmetic() -> None:
    found = continuation(_analysis(TABLE_ONLY, D(2027, 1, 4)), TABLE_ONLY, _case(), D(2027, 1, 6))
    assert found is not None
    said = found.paragraph("personal care aide services")
    assert (
        "Counting 10 days from the notice of January 4, 2027 gives January 14, 2027; the change "
        "takes effect January 20, 2027; the later of the two, January 20, 2027, is the last day "
        "to ask."
    ) in said
