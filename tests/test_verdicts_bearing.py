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


# ------------------------------------------- distinct drugs; a stop for a reason; awaited tests


def _drug(name: str, start: str, end: str, outcome: str = "Inadequate response") -> dict:
    return {"name": name, "kind": "medication", "start": start, "end": end, "outcome": outcome}


DIFFERENT = "Inadequate response to at least 2 different statins, each for at least 8 weeks"


def test_two_courses_of_one_drug_are_one_drug_of_a_count_of_different_drugs():
    case = {
        "prior_treatments": [
            _drug("Atorvastatin", "2025-01-06", "2025-04-28"),
            _drug("Atorvastatin", "2025-06-02", "2025-09-29"),
        ]
    }
    verdict = _verdict(DIFFERENT, case)
    assert verdict.status == "not_met"
    assert verdict.requirements[0].value == 1


def test_two_drugs_each_long_enough_meet_it():
    case = {
        "prior_treatments": [
            _drug("Atorvastatin", "2025-01-06", "2025-04-28"),
            _drug("Rosuvastatin", "2025-06-02", "2025-09-29"),
        ]
    }
    assert _verdict(DIFFERENT, case).status == "met"


def test_a_course_stopped_after_some_weeks_for_a_symptom_is_an_intolerance_shown_under_it():
    case = {
        "prior_treatments": [
            _drug("Atorvastatin", "2025-01-06", "2025-04-28"),
            _drug("Rosuvastatin", "2025-06-02", "2025-06-16", "Stopped after 2 weeks for myalgia"),
        ]
    }
    verdict = _verdict(DIFFERENT, case)
    assert verdict.status == "not_met"
    assert "prior_treatments[1]" in verdict.evidence


def test_a_measurement_whose_test_is_still_to_come_is_pending_on_that_finding():
    case = {
        "objective_findings": [
            _finding("other", "24-hour ambulatory blood pressure monitoring",
                     "Scheduled for 2026-10-20; not yet performed", "2026-09-25"),
            _finding("lab", "Serum potassium", "3.2 mmol/L", "2026-09-01"),
        ]
    }  # fmt: skip
    verdict = _verdict(
        "Ambulatory blood pressure monitoring showing a mean daytime systolic pressure above "
        "135 mmHg",
        case,
    )
    assert verdict.status == "not_met"
    assert verdict.requirements[0].pending
    assert verdict.evidence == ["objective_findings[0]"]


def test_a_window_is_dated_by_the_finding_titled_by_the_test_alone():
    case = {
        "objective_findings": [
            _finding("lab", "Hemoglobin A1c", "6.1%", "2026-09-20"),
            _finding("lab", "Hemoglobin", "9.4 g/dL", "2026-09-20"),
        ]
    }
    verdict = _verdict("Hemoglobin below 10 g/dL within the past 30 days", case)
    assert verdict.status == "met"
    assert verdict.evidence == ["objective_findings[1]"]


# --------------------------------------------- an item's words; a subject led by an article


def test_an_items_words_leave_out_a_capitalized_connector():
    from pipeline.requirements import sub_items

    text = (
        "Inadequate response, defined as ALL of: 1. at least 3 months of a long-acting "
        "bronchodilator; AND 2. a blood eosinophil count of 300 cells/uL or more."
    )
    parts = sub_items(text)
    assert parts is not None
    assert parts.words(text, 0) == "at least 3 months of a long-acting bronchodilator"


def test_a_subject_led_by_an_article_names_a_thing_the_letter_can_state():
    from pipeline.models import Criterion, Requirement
    from pipeline.reasoning.verdicts import well_formed

    text = "At least 3 months of a high-dose inhaled corticosteroid"
    criterion = Criterion(text=text)
    named = Requirement(kind="duration", subject="a high-dose inhaled corticosteroid", span=text)
    assert well_formed(named, criterion)
    cut = Requirement(kind="duration", subject="a", span=text)
    assert not well_formed(cut, criterion)


def test_a_length_of_a_named_class_asking_no_failure_counts_its_courses():
    case = {
        "prior_treatments": [
            _drug("Leuprolide", "2025-11-03", "2026-02-02", "Switched for injection-site pain"),
            _drug("Degarelix", "2026-02-02", "2026-09-21", "Progression"),
            _drug("Tamsulosin", "2025-01-06", "2026-09-21", "Continued"),
        ]
    }
    verdict = _verdict("Androgen deprivation therapy for at least 6 months.", case)
    assert verdict.status == "met"
    assert "prior_treatments[2]" not in verdict.evidence
    assert "prior_treatments[1]" in verdict.evidence
