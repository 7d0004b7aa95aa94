"""Verdicts read as the signing physician reads them (issue 17, last round's blind kinds): the
payer's finding never quoted as part of the requirement, a range read as two bounds of one
measure, a time window with units compared with the fact's date (and the request's date when
the window counts from it), a course asked to be completed or successful counted as such, and an
event (removal, failure) met only by a fact stating the event, never by one naming the device."""

from __future__ import annotations

import datetime as dt

from pipeline.payer_findings import split_finding
from pipeline.requirements import parse_requirements
from tests.reasoning_fixtures import verdict_of

D = dt.date


def _criterion(text: str, case: dict, service_dates: list[dt.date] | None = None, **kw: object):
    return verdict_of(
        text,
        case,
        letter_date=D(2026, 11, 16),
        as_of=D(2026, 11, 20),
        service_dates=service_dates,
        **kw,
    )


# ----------------------------------------------------------------- the payer's finding, apart


def test_a_finding_label_ends_the_requirement_quote():
    finding = split_finding(
        "Completion of a pulmonary rehabilitation program within the past 6 months. "
        "Reviewer: not documented."
    )
    assert finding.criterion.endswith("within the past 6 months.")
    assert "Reviewer" not in finding.criterion
    assert finding.status == "not_documented"


def test_a_labelled_narrative_is_the_reason_and_its_status():
    finding = split_finding(
        "Drug-induced sleep endoscopy in the past 12 months is required. Reviewer comment: the "
        "DISE report submitted was not current."
    )
    assert finding.criterion == "Drug-induced sleep endoscopy in the past 12 months is required."
    assert finding.reason and "not current" in finding.reason


def test_a_label_inside_quotes_is_the_criterion_s_own_words():
    text = "A physician statement headed “Reviewer: not applicable” is required"
    assert split_finding(text).criterion.startswith(text[:40])


# ------------------------------------------------------------------------------ a range


def test_a_range_is_two_bounds_of_one_measure():
    requirements, _ = parse_requirements("FEV1 between 15% and 45% of predicted")
    bounds = [(r.subject, r.comparator, r.value) for r in requirements]
    assert bounds == [("FEV1", ">=", 15.0), ("FEV1", "<=", 45.0)]


def test_a_value_above_the_range_does_not_meet_it():
    case = {"objective_findings": [{"kind": "lab", "name": "FEV1", "value": "52% predicted",
                                    "date": "2026-10-01"}]}  # fmt: skip
    verdict = _criterion("FEV1 between 15% and 45% of predicted", case)
    assert [rv.status for rv in verdict.requirements] == ["met", "not_met"]
    assert verdict.status == "not_met"


# ------------------------------------------------------------------------ time windows


DLCO = "DLCO of at least 20% of predicted, measured within 90 days of the request"
DLCO_CASE = {"objective_findings": [{"kind": "lab", "name": "DLCO", "value": "31% predicted",
                                     "date": "2026-07-10"}]}  # fmt: skip


def test_a_window_of_the_request_is_counted_to_the_request_s_date():
    verdict = _criterion(DLCO, DLCO_CASE, service_dates=[D(2026, 11, 9)])
    window = next(rv for rv in verdict.requirements if rv.requirement.kind == "time_window")
    assert window.status == "not_met"
    assert "122 days before the request's date, November 9, 2026" in window.found
    assert "outside the 90-day window" in window.found
    assert window.required.endswith("of the request")
    assert window.field and "within 90 days" in window.field
    assert verdict.status == "not_met"


def test_a_recent_result_meets_the_window():
    case = {"objective_findings": [{**DLCO_CASE["objective_findings"][0], "date": "2026-10-20"}]}
    verdict = _criterion(DLCO, case, service_dates=[D(2026, 11, 9)])
    assert verdict.status == "met"


# --------------------------------------------------------------- completed, not failed


def test_completion_of_a_program_counts_the_completed_course():
    case = {
        "prior_treatments": [
            {"name": "Pulmonary rehabilitation (outpatient)", "kind": "therapy",
             "start": "2026-06-05", "end": "2026-08-28", "outcome": "Completed"},
        ],
        "clinical_summary": "He completed pulmonary rehabilitation in August 2026.",
    }  # fmt: skip
    verdict = _criterion(
        "Completion of a pulmonary rehabilitation program within the past 6 months", case
    )
    assert verdict.status == "met"
    assert all(rv.evidence == ["prior_treatments[0]"] for rv in verdict.requirements)
    assert "1 completed" in verdict.requirements[0].found


# ------------------------------------------------------------------- the event itself


REMOVAL = "Removal of any previously implanted endobronchial valve or coil in the target lobe"


def test_a_fact_naming_the_device_does_not_state_its_removal():
    case = {
        "clinical_summary": "A Zephyr endobronchial valve was placed in the right upper lobe "
        "in 2023 and is still in place.",
        "objective_findings": [{"kind": "imaging", "name": "CT chest", "value":
                                "endobronchial valve in the right upper lobe",
                                "date": "2026-10-02"}],
    }  # fmt: skip
    verdict = _criterion(REMOVAL, case, payer_status="not_documented")
    assert verdict.status != "met"
    assert verdict.evidence == []


def test_a_fact_stating_the_removal_meets_it():
    case = {
        "clinical_summary": "The endobronchial valve placed in 2023 was removed in March 2024; "
        "no valve or coil remains in the target lobe.",
    }
    verdict = _criterion(REMOVAL, case, payer_status="not_documented")
    assert verdict.status == "met"


# ------------------------------------------------------------------ lettered sub-items

PFT = (
    "Pulmonary function testing documenting ALL of the following: a. FEV1 between 15% and 45% "
    "of predicted; b. Residual volume of at least 175% of predicted; c. DLCO of at least 20% of "
    "predicted, measured within 90 days of the request"
)
PFT_CASE = {
    "objective_findings": [
        {"kind": "lab", "name": "FEV1", "value": "24% predicted", "date": "2026-07-10"},
        {"kind": "lab", "name": "Residual volume", "value": "210% predicted", "date": "2026-07-10"},
        {"kind": "lab", "name": "DLCO", "value": "31% predicted", "date": "2026-07-10"},
    ]
}


def test_each_lettered_sub_item_gets_its_own_verdict_and_evidence():
    verdict = _criterion(PFT, PFT_CASE, service_dates=[D(2026, 11, 9)])
    by_item = {}
    for rv in verdict.requirements:
        by_item.setdefault(rv.required[:3], []).append(rv)
    assert sorted(by_item) == ["(a)", "(b)", "(c)"]
    assert all(rv.status == "met" for rv in by_item["(a)"] + by_item["(b)"])
    assert {p for rv in by_item["(b)"] for p in rv.evidence} == {"objective_findings[1]"}
    assert [rv.status for rv in by_item["(c)"]] == ["met", "not_met"]  # the value, its date
    assert verdict.status == "not_met"  # ALL of the following: one item short fails it
    # the lead-in only names the items: no requirement of its own
    assert not any("function testing" in rv.required.lower() for rv in verdict.requirements)


def test_a_sub_item_with_nothing_typed_is_judged_whole_by_meaning():
    text = (
        "A successful trial of spinal cord stimulation, demonstrated by: (i) at least 50% "
        "reduction in pain during the trial; and (ii) improvement in function or reduction in "
        "analgesic use"
    )
    case = {"prior_treatments": [{"name": "Spinal cord stimulator trial", "kind": "procedure",
                                  "start": "2026-10-06", "end": "2026-10-13",
                                  "outcome": "Walking 5 to 30 minutes a day; oxycodone stopped; "
                                             "function improved"}]}  # fmt: skip
    verdict = _criterion(text, case)
    second = verdict.requirements[-1]
    assert second.required == "(ii) improvement in function or reduction in analgesic use"
    assert second.status == "met" and second.evidence == ["prior_treatments[0]"]


def test_one_of_the_lettered_items_is_enough():
    text = (
        "Body mass index, with ONE of the following: a. BMI of 40 or more; or b. BMI of 35 or "
        "more with at least one obesity-related comorbidity"
    )
    requirements, logic = parse_requirements(text)
    assert logic == "any"
    assert {r.branch for r in requirements} == {0, 1}


# ------------------------------------------------------------ a part the payer granted


CPAP = (
    "CPAP failure or intolerance, documented by: (i) a CPAP trial of at least 3 months; and "
    "(ii) use of less than 4 hours per night on a download"
)


def test_a_part_the_payer_s_finding_grants_is_met_per_the_plan_and_not_argued():
    case = {"objective_findings": [{"kind": "other", "name": "CPAP download (90 days)",
                                    "value": "Average use 1.9 hours per night",
                                    "date": "2025-06-30"}]}  # fmt: skip
    verdict = _criterion(
        CPAP, case, payer_status="not_documented",
        payer_reason="a 4-month CPAP trial is documented; no download was provided",
    )  # fmt: skip
    first, second = verdict.requirements
    assert first.payer_met and first.status == "met" and first.evidence == []
    assert "your reviewer found this part met" in first.comparison
    assert "a 4-month CPAP trial is documented" in first.comparison
    assert not second.payer_met  # the payer disputes it: our evidence answers it
    assert second.status == "met" and second.evidence == ["objective_findings[0]"]
    assert "1.9 hours" in second.found
    assert verdict.status == "met"


def test_hours_of_use_a_night_are_no_travel_time():
    requirements, _ = parse_requirements("use of less than 4 hours per night on a download")
    assert [(r.kind, r.subject, r.unit) for r in requirements] == [("threshold", "use", "hours")]


def test_a_resection_states_the_removal_asked_for():
    """'Removal' is the event: a planned resection states it (a synonym, not the device)."""
    text = "Planned removal of breast tissue at or above the Schnur Sliding Scale minimum"
    case = {"clinical_summary": "Planned resection is 720 g right and 680 g left, above the "
                                "Schnur Sliding Scale minimum of 527 g per breast."}  # fmt: skip
    verdict = _criterion(text, case, payer_status="not_met")
    assert verdict.status == "met"


def test_a_window_of_the_procedure_is_counted_to_the_planned_date():
    """Imaging 80 days old today is 105 days old on the planned date: it fails a 90-day
    window of the procedure, and the letter names the gap (new imaging), never 'met'."""
    text = "MRI of the lumbar spine within 90 days of the procedure"
    case = {
        "service": {"description": "Lumbar fusion", "details": "Planned 2026-12-21"},
        "objective_findings": [{"kind": "imaging", "name": "MRI lumbar spine",
                                "value": "Grade 2 spondylolisthesis L4-L5",
                                "date": "2026-09-07"}],
    }  # fmt: skip
    verdict = _criterion(text, case)
    window = next(rv for rv in verdict.requirements if rv.requirement.kind == "time_window")
    assert window.status == "not_met"
    assert "the planned date, December 21, 2026" in window.found
    assert window.field and "within 90 days" in window.field
