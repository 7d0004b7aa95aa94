"""Wrong verdicts of the stop-33 blind letters (issue 17), one shape each: (a) a one-of route
met by a fact of another kind (a FRAX probability for a decline in BMD) or one the record
negates ('no active suicidal ideation, intent or plan'); (b) a window anchored to the notice's
date instead of the first dose, a reading taken after the request, and 'no myocardial
infarction within 12 months' argued without the event's own date; (d) a duration measured over
every course of the case instead of the course the clause names."""

from __future__ import annotations

import datetime as dt

from pipeline.models import CriterionVerdict
from pipeline.requirements import parse_requirements
from tests.reasoning_fixtures import finding_row as _finding
from tests.reasoning_fixtures import verdict_of

D = dt.date


def _claim(text: str, case: dict) -> CriterionVerdict:
    """A post-service claim: doses given on 2026-06-10 and 2026-07-08 (the case says so),
    denied 2026-09-10."""
    given = {"details": "Doses given in the office on 2026-06-10 and 2026-07-08."}
    return verdict_of(
        text,
        {"service": given, **case},
        letter_date=D(2026, 9, 10),
        as_of=D(2026, 11, 20),
        service_dates=[D(2026, 6, 10), D(2026, 7, 8)],
    )


VITAMIN_D = (
    "Serum 25-hydroxyvitamin D of 20 ng/mL or higher, measured within 60 days before the first "
    "dose."
)


def test_a_window_before_the_first_dose_counts_back_from_the_first_date_of_service() -> None:
    # (a date of service the case does not say the care was given on, such as the date the
    # request was received, is no first dose: see the next test)
    # 119 days before the first dose (June 10), though 211 days before the notice: outside
    case = {
        "objective_findings": [_finding("lab", "25-hydroxyvitamin D", "31 ng/mL", "2026-02-11")]
    }
    window = _claim(VITAMIN_D, case).requirements[1]
    assert window.status == "not_met"
    assert "the first date of service, June 10, 2026" in window.found


def test_a_request_date_the_case_does_not_write_is_no_first_dose() -> None:
    case = {
        "objective_findings": [_finding("lab", "25-hydroxyvitamin D", "31 ng/mL", "2026-08-01")]
    }
    verdict = verdict_of(
        VITAMIN_D, case, letter_date=D(2026, 9, 10), as_of=D(2026, 9, 12),
        service_dates=[D(2026, 8, 20)],  # the request's receipt: no dose was given
    )  # fmt: skip
    assert "first date of service" not in verdict.requirements[1].found


def test_a_result_drawn_after_the_first_dose_does_not_answer_a_window_before_it() -> None:
    case = {
        "objective_findings": [
            _finding("lab", "25-hydroxyvitamin D", "31 ng/mL", "2026-02-11"),
            _finding("lab", "25-hydroxyvitamin D", "36 ng/mL", "2026-07-20"),  # after the dose
        ]
    }
    verdict = _claim(VITAMIN_D, case)
    assert verdict.status == "not_met"
    assert all("objective_findings[1]" not in rv.evidence for rv in verdict.requirements)


def test_no_event_within_a_window_is_answered_by_the_events_own_date() -> None:
    # the note reporting the infarction is dated inside the window; the infarction is not
    note = _finding(
        "other",
        "Cardiology note",
        "Non-ST-elevation myocardial infarction on 2024-11-30, stented; no angina since",
        "2026-04-02",
    )
    verdict = _claim(
        "No myocardial infarction within the 12 months before the first dose.",
        {"objective_findings": [note]},
    )
    assert verdict.status == "met"
    window = verdict.requirements[1]
    assert "November 30, 2024" in window.found and "outside the 12-month window" in window.found
    assert window.required.startswith("no myocardial infarction within 12 months")


def test_an_event_inside_the_window_fails_it() -> None:
    note = _finding("other", "Neurology note", "Ischemic stroke on 2026-01-15", "2026-02-01")
    verdict = _claim(
        "No stroke within the 12 months before the first dose.", {"objective_findings": [note]}
    )
    assert verdict.status == "not_met"


FRACTURE_RISK = (
    "High risk of fracture, demonstrated by ONE of: (a) a decline in BMD of at least 5% at the "
    "lumbar spine; OR (b) a FRAX 10-year probability of major osteoporotic fracture of 20% or more."
)
FRAX = _finding(
    "rating_scale", "FRAX (US, with femoral neck BMD)",
    "10-year major osteoporotic fracture 17%; hip fracture 2.9%", "2026-03-02",
)  # fmt: skip


def test_a_probability_is_no_decline_in_bmd() -> None:
    verdict = _claim(FRACTURE_RISK, {"objective_findings": [FRAX]})
    decline = verdict.requirements[0]
    assert decline.status == "unknown" and not decline.evidence and not decline.confirm
    assert verdict.status != "met"


def test_a_decline_in_bmd_is_computed_from_two_dated_results_of_one_unit() -> None:
    dxa = [
        _finding("imaging", "DXA lumbar spine", "BMD 0.842 g/cm2; T-score -2.7", "2026-03-02"),
        _finding("imaging", "DXA lumbar spine (baseline)", "BMD 0.900 g/cm2", "2024-02-20"),
    ]
    verdict = _claim(FRACTURE_RISK, {"objective_findings": [*dxa, FRAX]})
    decline = verdict.requirements[0]
    assert decline.status == "met" and "a decline of 6.4%" in decline.found
    assert "objective_findings[2]" not in decline.evidence


def test_an_estimates_horizon_and_the_plans_approval_period_are_no_durations() -> None:
    kinds = [r.kind.value for r in parse_requirements(FRACTURE_RISK)[0]]
    assert "duration" not in kinds
    mdsi = (
        "Current active suicidal ideation with intent, in which case approval is limited to 4 weeks"
    )
    assert "duration" not in [r.kind.value for r in parse_requirements(mdsi)[0]]


def test_a_route_the_record_denies_in_its_own_words_is_not_met() -> None:
    cssrs = _finding(
        "rating_scale", "Columbia Suicide Severity Rating Scale (screen)",
        "Passive wish to be dead; no active suicidal ideation, intent or plan", "2026-10-20",
    )  # fmt: skip
    text = "Current active suicidal ideation with intent or plan."
    verdict = verdict_of(
        text, {"objective_findings": [cssrs]}, letter_date=D(2026, 11, 10), as_of=D(2026, 11, 12)
    )
    assert verdict.status == "not_met"
    assert verdict.requirements[0].evidence == ["objective_findings[0]"]


def test_the_most_recent_reading_before_the_request_is_the_one_compared() -> None:
    readings = [
        _finding("vital", "Blood pressure (seated)", "136/86 mmHg", "2026-10-20"),
        _finding("vital", "Blood pressure (seated)", "152/96 mmHg", "2026-11-12"),  # after
    ]
    verdict = verdict_of(
        "Blood pressure at or below 140/90 mmHg at the most recent visit before the request.",
        {"objective_findings": readings},
        letter_date=D(2026, 11, 10),
        as_of=D(2026, 11, 20),
    )
    assert verdict.status == "met"
    assert verdict.requirements[0].evidence == ["objective_findings[0]"]


def test_a_duration_is_of_the_course_its_clause_names_not_every_course_run_together() -> None:
    case = {
        "prior_treatments": [
            {"name": "Professionally fitted support bra", "kind": "device",
             "start": "2025-11-03", "outcome": "No lasting relief"},
            {"name": "Ibuprofen", "kind": "medication", "dose": "600 mg",
             "frequency": "three times daily", "start": "2026-03-10", "end": "2026-09-15",
             "outcome": "Partial relief"},
            {"name": "Physical therapy", "kind": "therapy", "start": "2026-06-01",
             "end": "2026-06-29", "outcome": "Minimal improvement"},
        ]
    }  # fmt: skip
    verdict = verdict_of(
        "Conservative management including ALL of: (a) a professionally fitted support bra; "
        "(b) analgesics; (c) physical therapy or a supervised exercise program of at least 6 "
        "weeks.",
        case,
        letter_date=D(2026, 9, 25),
        as_of=D(2026, 9, 30),
    )
    course = verdict.requirements[-1]  # 4 weeks of therapy; the ibuprofen's dates are not it
    assert course.status == "not_met" and course.evidence == ["prior_treatments[2]"]


def test_a_requirement_that_asks_for_an_absence_is_never_denied_by_a_negative_finding() -> None:
    mri = _finding("imaging", "MRI abdomen", "No hydronephrosis; no urinary outflow obstruction",
                   "2026-08-19")  # fmt: skip
    verdict = verdict_of(
        "The member has none of the following: uncorrected urinary outflow obstruction; "
        "inability to sense or respond to thirst.",
        {"objective_findings": [mri]},
        letter_date=D(2026, 10, 2),
        as_of=D(2026, 10, 5),
    )
    assert verdict.status != "not_met"
    said = {"clinical_summary": "No exome or genome sequencing has been done before."}
    verdict = verdict_of(
        "Nothing in the records shows that exome or genome sequencing has been performed before.",
        said,
        letter_date=D(2026, 10, 2),
        as_of=D(2026, 10, 5),
    )
    assert verdict.status != "not_met"


def test_a_listed_drugs_duration_is_never_a_findings_span_of_something_else() -> None:
    verapamil = {"name": "Verapamil immediate-release, 2025 cluster period", "kind": "medication",
                 "dose": "240 mg", "frequency": "once daily"}  # fmt: skip
    diary = _finding(
        "other", "Headache diary, current cluster period", "Attacks daily for 22 days", "2026-11-09"
    )
    verdict = verdict_of(
        "Inadequate response to verapamil for at least 14 days.",
        {"prior_treatments": [verapamil], "objective_findings": [diary]},
        letter_date=D(2026, 11, 12),
        as_of=D(2026, 11, 16),
    )
    days = next(rv for rv in verdict.requirements if rv.requirement.kind.value == "duration")
    assert "objective_findings[0]" not in days.evidence and days.status != "met"
