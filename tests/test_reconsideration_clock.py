"""A notice that names its first-level appeal only 'reconsideration' gets that window as its
deadline, never a grievance's (review 34, F11)."""

from __future__ import annotations

import datetime as dt

from pipeline.extract import find_appeal_clock

NOTICE_DAY = dt.date(2026, 11, 2)

MA_NOTICE = """November 2, 2026

IMPORTANT: This notice explains your right to request a reconsideration of our decision.

How to ask for a reconsideration. You must ask for a reconsideration within 65 calendar days of \
the date of this notice. Write to us at PO Box 100, Austin, TX 78701.

Other rights. If you have a concern about the quality of care, you may file a grievance within \
60 days of the event.
"""

PEER_NOTICE = """November 2, 2026

Your doctor may ask for a reconsideration by calling us within 2 business days of this notice.

You may appeal this decision. You must file your appeal within 60 days of the date of this notice.
"""


def test_a_reconsideration_the_notice_calls_its_appeal_is_the_deadline() -> None:
    assert find_appeal_clock(MA_NOTICE, NOTICE_DAY) == (
        dt.date(2027, 1, 6),
        "within 65 calendar days of the date of this notice",
    )


def test_a_complaint_grievance_window_is_never_the_appeal_deadline() -> None:
    text = "About the quality of care, you may file a grievance within 60 days of the event.\n"
    assert find_appeal_clock(text, NOTICE_DAY) == (None, None)


def test_a_grievance_against_this_decision_keeps_its_window() -> None:
    text = (
        "If you do not agree with this decision, you may file a grievance with us. You must "
        "file your grievance within 60 days from the date on this notice.\n"
    )
    assert find_appeal_clock(text, NOTICE_DAY)[0] == dt.date(2027, 1, 1)


def test_a_peer_reconsideration_beside_a_named_appeal_is_a_side_window() -> None:
    assert find_appeal_clock(PEER_NOTICE, NOTICE_DAY)[0] == dt.date(2027, 1, 1)
