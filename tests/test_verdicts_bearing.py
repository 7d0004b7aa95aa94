"""Which facts bear on a criterion (issue 17, evidence lane): the facts of a route that fails
are not shown under a one-of criterion another route meets; a result of another measure is
not shown under a threshold the record has no value of."""

from __future__ import annotations

import datetime as dt

from tests.reasoning_fixtures import finding_row as _finding
from tests.reasoning_fixtures import verdict_of

D = dt.date


def _verdict(text: str, case: dict):
    return verdict_of(text, case, letter_date=D(2026, 10, 1), as_of=D(2026, 10, 5))


def _course(name: str, start: str, end: str) -> dict:
    return {"name": name, "kind": "medication", "start": start, "end": end,
            "outcome": "Inadequate response"}  # fmt: skip


def _diary() -> dict:
    """A diary review that answers route B (no overuse), not route A."""
    return _finding(
        "other",
        "Headache diary review",
        "Analgesics on 6 days a month; no medication overuse headache",
        "2026-09-01",
    )


ROUTES = (
    "Refractory disease, ONE of the following: A. inadequate response to at least 2 triptans, "
    "each for at least 4 weeks; OR B. current medication overuse headache with daily "
    "analgesic use."
)


def test_the_facts_of_a_route_that_fails_are_not_shown_when_another_route_meets_it():
    case = {
        "prior_treatments": [
            _course("Sumatriptan", "2026-01-05", "2026-03-01"),
            _course("Rizatriptan", "2026-03-10", "2026-05-20"),
        ],
        "objective_findings": [
            _diary(),
        ],
    }
    verdict = _verdict(ROUTES, case)
    assert verdict.status == "met"
    assert verdict.evidence == ["prior_treatments[0]", "prior_treatments[1]"]


def test_the_facts_of_a_failing_route_stay_when_no_route_meets_it():
    case = {
        "prior_treatments": [_course("Sumatriptan", "2026-01-05", "2026-03-01")],
        "objective_findings": [
            _diary(),
        ],
    }
    verdict = _verdict(ROUTES, case)
    assert verdict.status != "met"
    assert "objective_findings[0]" in verdict.evidence


def test_a_result_of_another_measure_is_not_shown_under_a_threshold_left_unknown():
    for text, other in (
        (
            "Fasting C-peptide at or below 110% of the lower limit of normal of the "
            "laboratory's method",
            _finding("lab", "Hemoglobin A1c", "9.1%", "2026-09-01"),
        ),
        (
            "Serum IgG below 400 mg/dL measured on two occasions",
            _finding("lab", "Serum albumin", "3.1 g/dL", "2026-09-01"),
        ),
    ):
        verdict = _verdict(text, {"objective_findings": [other]})
        assert verdict.status == "unknown"
        assert verdict.evidence == [], text


def test_the_measure_asked_for_is_still_shown():
    verdict = _verdict(
        "Serum IgG below 400 mg/dL",
        {"objective_findings": [_finding("lab", "Serum IgG", "310 mg/dL", "2026-09-01")]},
    )
    assert verdict.status == "met"
    assert verdict.evidence == ["objective_findings[0]"]
