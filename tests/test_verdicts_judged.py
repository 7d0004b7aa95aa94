"""False 'met' verdicts and wrong anchors of the blind letters of stop 35, one shape each (issue
17): a record saying the thing is not yet done; a percentage of another measure; a count per day
answered by a count of courses; a duration 'before the request' counted to the letter's date; an
event's window dated by a plan that names the event."""

from __future__ import annotations

import datetime as dt

from tests.reasoning_fixtures import finding_row as _finding
from tests.reasoning_fixtures import verdict_of

D = dt.date

NOTICE = D(2026, 9, 11)
LETTER = D(2026, 11, 20)


def _criterion(text: str, case: dict, service_dates: list[dt.date] | None = None):
    return verdict_of(
        text, case, letter_date=NOTICE, as_of=LETTER, service_dates=service_dates or []
    )


def _statuses(verdict) -> list[str]:
    return [rv.status for rv in verdict.requirements]


# ---------------------------------------------------- (a) a status word: not done, never met


def test_a_record_saying_the_assessment_is_not_yet_possible_never_meets_it():
    text = "A composite (cumulative) dose assessment incorporating the prior treatment plan"
    case = {
        "objective_findings": [
            _finding(
                "other",
                "Composite (cumulative) dose assessment with the 2021 plan",
                "Not yet possible: 2021 plan and dose files requested on 2026-10-09 and not "
                "received",
                "2026-11-02",
            )
        ]
    }
    verdict = _criterion(text, case)
    assert "met" not in _statuses(verdict)
    assert any(rv.pending for rv in verdict.requirements)


def test_a_done_assessment_still_meets_it():
    text = "A composite (cumulative) dose assessment incorporating the prior treatment plan"
    case = {
        "objective_findings": [
            _finding(
                "other",
                "Composite (cumulative) dose assessment with the 2021 plan",
                "Completed: cumulative spinal cord dose 62 Gy with photons, 48 Gy with protons",
                "2026-11-02",
            )
        ]
    }
    assert "met" in _statuses(_criterion(text, case))


# -------------------------------------------- (b) a percentage answers only its own measure

_CGM = _finding(
    "other",
    "CGM 60-day summary report",
    "Sensor wear 93%; mean glucose 205 mg/dL; time in range 70-180 mg/dL 43%; below 54 mg/dL 2.1%",
    "2026-08-31",
)


def test_a_time_below_range_share_is_no_c_peptide_percentage():
    text = (
        "Fasting C-peptide at or below 110% of the lower limit of normal of the laboratory's method"
    )
    case = {"objective_findings": [_CGM, _finding("lab", "Hemoglobin A1c", "8.6%", "2026-08-18")]}
    verdict = _criterion(text, case)
    assert "met" not in _statuses(verdict)
    assert not any(rv.evidence for rv in verdict.requirements)


def test_the_share_written_after_its_own_name_still_answers():
    verdict = _criterion("Sensor wear of at least 70%", {"objective_findings": [_CGM]})
    assert verdict.status == "met"
    assert "93" in verdict.requirements[0].found


def test_a_target_coverage_share_is_no_organ_dose_reduction():
    text = (
        "The proton plan reduces the mean or maximum dose to at least one named critical "
        "structure by 10% or more (relative)"
    )
    plan = _finding(
        "imaging",
        "Comparative plan: photon VMAT vs proton IMPT",
        "CTV V95%: VMAT 98.2%, IMPT 99.0%. Spinal cord Dmax: VMAT 22.0 Gy, IMPT 4.1 Gy(RBE)",
        "2026-10-30",
    )
    verdict = _criterion(text, {"objective_findings": [plan]})
    assert not any("99" in rv.found and rv.status == "met" for rv in verdict.requirements)


# ------------------------------------------ (c) a count per day is no count of courses


def _insulin(start: str, frequency: str, end: str | None = None) -> dict:
    return {
        "name": "Basal-bolus multiple daily injections (glargine plus lispro)",
        "kind": "medication",
        "frequency": frequency,
        "start": start,
        "end": end,
        "duration": None if end else "ongoing",
        "outcome": "Persistent hyperglycemia",
    }


def test_injections_per_day_come_from_the_regimen_frequency():
    case = {
        "prior_treatments": [
            {
                "name": "Premixed insulin 70/30",
                "kind": "medication",
                "frequency": "2 injections daily",
                "start": "2019-06-01",
                "end": "2026-03-31",
                "outcome": "Inadequate control",
            },
            _insulin("2026-04-01", "4 to 6 injections daily, doses self-adjusted"),
        ]
    }
    verdict = _criterion("At least 3 injections of insulin per day", case)
    rv = verdict.requirements[0]
    assert rv.status == "met"
    assert "4 to 6 injections daily" in rv.found
    assert rv.required.endswith("a day")


def test_a_regimen_below_the_daily_count_does_not_meet_it():
    case = {"prior_treatments": [_insulin("2026-04-01", "2 injections daily")]}
    rv = _criterion("At least 3 injections of insulin per day", case).requirements[0]
    assert rv.status == "not_met"


def test_no_stated_frequency_is_unknown_never_a_count_of_courses():
    case = {"prior_treatments": [_insulin("2026-04-01", "as directed")]}
    rv = _criterion("At least 3 injections of insulin per day", case).requirements[0]
    assert rv.status == "unknown"


# --------------------------------------- (c) a duration before the request ends at the request


def test_a_duration_before_the_request_is_counted_to_the_request():
    # 2026-04-01 to the notice (2026-09-11) is 5.3 months; to the letter (2026-11-20) 7.6
    case = {"prior_treatments": [_insulin("2026-04-01", "4 injections daily")]}
    text = "Multiple daily injections for at least 6 months before the request"
    rv = _criterion(text, case).requirements[0]
    assert rv.status == "not_met"
    assert "as of the letter date" not in rv.found


def test_the_request_date_the_notice_states_is_the_end():
    case = {"prior_treatments": [_insulin("2026-02-06", "4 injections daily")]}
    text = "Multiple daily injections for at least 6 months before the request"
    rv = _criterion(text, case, service_dates=[D(2026, 9, 2)]).requirements[0]
    assert rv.status == "met"
    assert "September 2, 2026" in rv.found


def test_a_duration_with_no_anchor_still_runs_to_the_letter():
    case = {"prior_treatments": [_insulin("2026-04-01", "4 injections daily")]}
    rv = _criterion("Multiple daily injections for at least 6 months", case).requirements[0]
    assert rv.status == "met"


# ------------------------------------------ (c) an event's window is never a plan's date

TARGET_BEHAVIORS = (
    "Persisting target behaviors. Within the 60 days before the request, at least ONE of: "
    "(a) suicidal behavior, or non-suicidal self-injury that required medical attention; "
    "(b) a psychiatric emergency department visit or inpatient psychiatric admission"
)


def test_a_treatment_plan_naming_the_behavior_does_not_date_it():
    text = TARGET_BEHAVIORS
    case = {
        "objective_findings": [
            _finding(
                "other",
                "Updated DBT treatment plan",
                "Stage 1 targets: no self-injury for 12 consecutive weeks; step-down criteria",
                "2026-09-05",
            )
        ]
    }
    verdict = _criterion(text, case)
    assert not any(rv.status == "met" for rv in verdict.requirements)


def test_a_window_that_asks_for_the_plan_is_dated_by_it():
    text = "An updated treatment plan within the 30 days before the request"
    case = {
        "objective_findings": [
            _finding(
                "other", "Updated DBT treatment plan", "Goals and discharge date", "2026-09-05"
            )
        ]
    }
    assert _criterion(text, case).status == "met"


# ------------------------------- (b) a relative reduction is computed from the paired plans


def test_a_relative_reduction_is_computed_from_the_structures_of_both_plans():
    text = (
        "The proton plan reduces the mean or maximum dose to at least one named critical "
        "structure by 10% or more (relative)"
    )
    plan = _finding(
        "imaging",
        "Comparative plan: photon VMAT vs proton IMPT",
        "CTV V95%: VMAT 98.2%, IMPT 97.0%. Spinal cord Dmax: VMAT 22.0 Gy, IMPT 4.1 Gy(RBE)",
        "2026-10-30",
    )
    rv = next(rv for rv in _criterion(text, {"objective_findings": [plan]}).requirements
              if rv.requirement.unit == "%")  # fmt: skip
    assert rv.status == "met"
    assert "Spinal cord" in rv.found and "81% lower" in rv.found
    assert "CTV" not in rv.found  # a target's coverage is no structure spared


def test_a_plan_sparing_no_structure_by_the_margin_does_not_meet_it():
    text = "The proton plan reduces the maximum dose to one critical structure by 10% or more"
    plan = _finding(
        "imaging", "Comparative plan", "Brainstem Dmax: VMAT 20.0 Gy, IMPT 19.0 Gy", "2026-10-30"
    )
    rv = next(rv for rv in _criterion(text, {"objective_findings": [plan]}).requirements
              if rv.requirement.unit == "%")  # fmt: skip
    assert rv.status == "not_met"


# ------------- (e) words that frame a criterion (a look-back, a horizon, a change) compare nothing

_WEANING = (
    "Documented weaning progress during the 7 days before the review date, shown by EITHER an "
    "increase of at least 4 hours per day in unassisted breathing time, OR a reduction in "
    "pressure support of at least 5 cm H2O"
)


def test_a_look_back_period_is_no_duration_to_reach():
    case = {"clinical_summary": "Since 2026-08-31 he has been on a daily weaning protocol."}
    verdict = _criterion(_WEANING, case)
    durations = [rv for rv in verdict.requirements if rv.requirement.kind.value == "duration"]
    assert durations and all(rv.status != "met" for rv in durations)


def test_an_observation_period_in_a_plan_is_no_increase():
    plan = _finding(
        "other",
        "Attending physician weaning plan",
        "Advance trach collar by 2-4 hours per day; observe 72 hours fully off the ventilator",
        "2026-09-05",
    )
    verdict = _criterion(_WEANING, {"objective_findings": [plan]})
    assert not any("72" in rv.found and rv.status == "met" for rv in verdict.requirements)


def test_an_expected_outcome_horizon_is_no_record_age():
    text = (
        "The attending physician documents a weaning plan and a reasonable expectation that the "
        "member will be liberated from mechanical ventilation within 30 days of the review date"
    )
    plan = _finding("other", "Attending physician weaning plan", "Target 24 hours", "2026-09-05")
    verdict = _criterion(text, {"objective_findings": [plan]})
    windows = [rv for rv in verdict.requirements if rv.requirement.kind.value == "time_window"]
    assert windows and all(rv.status != "met" for rv in windows)


# ------------------------------- (c) a length is the one written after the subject's words


def test_a_count_of_days_comes_from_the_clause_naming_the_behavior():
    text = "(c) non-suicidal self-injury on 4 or more days, documented on diary cards"
    diary = _finding(
        "other",
        "Diary-card summary",
        "Self-injury on 3 days (2026-08-30, 2026-09-01, 2026-09-02); urges to self-injure rated "
        "4-5 of 5 on 17 days",
        "2026-09-05",
    )
    verdict = _criterion(text, {"objective_findings": [diary]})
    durations = [rv for rv in verdict.requirements if rv.requirement.kind.value == "duration"]
    assert durations and durations[0].status == "not_met"
    assert durations[0].found.startswith("3 days")


def test_self_injury_that_needed_care_is_dated_by_the_encounter_that_treated_it():
    text = TARGET_BEHAVIORS
    case = {
        "objective_findings": [
            _finding(
                "other",
                "Diary-card summary",
                "Self-injury on 3 days; no emergency department visits or admissions",
                "2026-09-08",
            ),
            _finding(
                "other",
                "Urgent care visit for self-injury",
                "3 cm forearm laceration from self-injury, closed with adhesive strips",
                "2026-08-01",
            ),
            _finding("other", "Updated treatment plan", "Targets: self-injury", "2026-09-09"),
        ]
    }
    windows = [
        rv
        for rv in _criterion(text, case).requirements
        if rv.requirement.kind.value == "time_window"
    ]
    assert windows and windows[0].status == "met"
    assert windows[0].evidence == ["objective_findings[1]"]  # never the plan, nor 'no ED visits'


def test_a_course_of_unknown_session_count_is_not_the_trial_of_12_sessions_by_its_date():
    text = (
        "EITHER (a) a prior trial of standard outpatient psychotherapy of at least 12 sessions "
        "within the past 3 years with inadequate response"
    )
    course = {
        "name": "Outpatient psychotherapy",
        "kind": "therapy",
        "frequency": "weekly (number of sessions not documented; records requested)",
        "start": "2024-09-01",
        "end": "2025-03-31",
        "outcome": "Self-injury continued",
    }
    verdict = _criterion(text, {"prior_treatments": [course]})
    windows = [rv for rv in verdict.requirements if rv.requirement.kind.value == "time_window"]
    assert windows and windows[0].status == "unknown"
    assert "sessions" in windows[0].found


# ----------------- (d) each named drug answered with its dose and weeks against the criterion's

_REFRACTORY = (
    "Medically refractory tremor. Inadequate response to, OR intolerance of, adequate trials of "
    "BOTH propranolol (at least 120 mg/day) AND primidone (at least 250 mg/day), each continued "
    "for at least 4 weeks at or above that dose. Trials of second-line agents (e.g., "
    "topiramate, gabapentin) do not substitute for either first-line agent"
)


def _titrated(name: str, dose: str, start: str, end: str, duration: str) -> dict:
    return {
        "name": name,
        "kind": "medication",
        "dose": dose,
        "frequency": "daily",
        "start": start,
        "end": end,
        "duration": duration,
        "outcome": "Inadequate response; stopped for intolerance",
    }


def test_each_named_drug_is_compared_with_its_own_dose_and_weeks_at_dose():
    case = {
        "clinical_summary": "He takes aspirin 81 mg daily, which can be held for 7 days.",
        "prior_treatments": [
            _titrated(
                "Propranolol",
                "40 mg twice daily (80 mg/day) from 2023-04-10; long-acting 160 mg once daily "
                "from 2023-06-05",
                "2023-04-10",
                "2024-02-19",
                "37 weeks at 160 mg/day (2023-06-05 to 2024-02-19)",
            ),
            _titrated(
                "Primidone",
                "125 mg twice daily (250 mg/day) from 2024-05-06; 125 mg three times daily "
                "(375 mg/day) from 2024-09-23",
                "2024-03-04",
                "2024-11-18",
                "250 mg/day from 2024-05-06 to 2024-09-22 (20 weeks), then 375 mg/day",
            ),
        ],
    }
    verdict = _criterion(_REFRACTORY, case)
    doses = [rv for rv in verdict.requirements if rv.requirement.kind.value == "dose_adequacy"]
    assert [rv.status for rv in doses] == ["met", "met"]
    assert "Propranolol" in doses[0].found and "160" in doses[0].found  # the dose reached
    assert "Primidone" in doses[1].found
    weeks = [rv for rv in verdict.requirements if rv.requirement.kind.value == "duration"]
    assert weeks and weeks[0].status == "met"
    assert "Primidone 20" in weeks[0].found  # weeks at the dose, not the whole course
    assert "aspirin" not in weeks[0].found


# ------------------- (review36 F11) a window between measurements: two dated findings' span


_APART = (
    "Progression documented by an increase of 1.00 D or more in steepest keratometry (Kmax), "
    "comparing measurements taken no more than 24 months apart"
)
_LENS_FREE = {
    "name": "Lens-free interval before tomography (RGP discontinued)",
    "start": "2026-06-01",
    "end": "2026-06-16",
    "duration": "15 days before the 2026-06-16 tomography",
}


def _apart_verdicts(findings: list[dict]):
    case = {"prior_treatments": [_LENS_FREE], "objective_findings": findings}
    verdict = _criterion(_APART, case)
    return [rv for rv in verdict.requirements if "24" in rv.required or "apart" in rv.found]


def test_a_window_between_measurements_is_the_span_between_two_dated_findings():
    findings = [
        _finding("imaging", "Tomography OS (outside)", "Kmax 54.9 D", "2025-12-02"),
        _finding("imaging", "Tomography OS", "Kmax 55.7 D; RGP out 15 days", "2026-06-16"),
        _finding("imaging", "Tomography OS", "Kmax 56.8 D", "2026-10-06"),
    ]
    (rv,) = _apart_verdicts(findings)
    assert rv.status == "met"
    assert "December 2, 2025" in rv.found and "October 6, 2026" in rv.found
    assert "10.1 months apart" in rv.found
    assert "0.5" not in rv.found  # never the lens-free course's length


def test_a_window_between_measurements_with_one_dated_finding_compares_nothing():
    findings = [_finding("imaging", "Tomography OS", "Kmax 56.8 D; RGP out 16 days", "2026-10-06")]
    (rv,) = _apart_verdicts(findings)
    assert rv.status == "unknown"
    assert "month" not in rv.found  # no course length stands in for the span
