"""A test whose result is not yet back is never the record a criterion asks for, though its
value states when it will be done or read: 'to be drawn ... 28 days before surgery; no result
yet' and 'readings at 48 and 96 hours; no results yet' hold times, not results (the stop-32
blind letters marked such tests as meeting a 30-day window with a negative day count)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.models import CriterionVerdict
from tests.reasoning_fixtures import verdict_of

D = dt.date


def _criterion(text: str, value: str, name: str, date: str) -> CriterionVerdict:
    case = {"objective_findings": [{"kind": "lab", "name": name, "value": value, "date": date}]}
    return verdict_of(text, case, letter_date=D(2026, 11, 5), as_of=D(2026, 11, 20))


WAITING = [
    (
        "A negative serum or urine cotinine test obtained within the 30 days before surgery",
        "Serum cotinine",
        "Ordered; to be drawn December 15, 2026, 28 days before the scheduled surgery; no "
        "result yet.",
        "2026-11-17",
    ),
    (
        "Results of patch testing must be submitted",
        "Comprehensive patch testing",
        "Ordered October 6, 2026; application scheduled for December 1, 2026 with readings at "
        "48 and 96 hours; no results yet.",
        "2026-12-01",
    ),
]


@pytest.mark.parametrize(("text", "name", "value", "date"), WAITING)
def test_a_test_not_yet_back_is_pending_whatever_times_it_states(
    text: str, name: str, value: str, date: str
) -> None:
    verdict = _criterion(text, value, name, date)
    assert verdict.status != "met"
    assert any(r.pending for r in verdict.requirements)


def test_a_result_beside_a_pending_repeat_is_still_a_result() -> None:
    """A value in a result's own unit keeps the test done: only times give way to 'pending'."""
    verdict = _criterion(
        "A hemoglobin A1c of 7.0% or greater within the past 90 days",
        "8.4%; repeat pending",
        "Hemoglobin A1c",
        "2026-10-01",
    )
    assert verdict.status == "met"
