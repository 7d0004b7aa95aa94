"""Comparisons blind judges of stop 36 found never stated or stated from the wrong fact (issue
17), one shape each: a ratio to the patient's own baseline; a dose per kilogram per day; a count
of dated events inside a window; a lab value named inside a panel; the dose at the time of the
request (never a course begun after the denial); a recency window over named tests, the late
one stated and a missing one named while the one on record is credited."""

from __future__ import annotations

import datetime as dt

from tests.reasoning_fixtures import finding_row as _finding
from tests.reasoning_fixtures import verdict_of

D = dt.date

NOTICE = D(2026, 10, 5)
LETTER = D(2026, 11, 30)


def _criterion(text: str, case: dict, service_dates: list[dt.date] | None = None):
    return verdict_of(
        text, case, letter_date=NOTICE, as_of=LETTER, service_dates=service_dates or []
    )


def _one_finding(text: str, kind: str, name: str, value: str, date: str):
    """The one requirement of criterion ``text`` judged on a case of one finding."""
    (rv,) = _criterion(
        text, {"objective_findings": [_finding(kind, name, value, date)]}
    ).requirements
    return rv


def _course(name: str, start: str, end: str | None, **kw: str) -> dict:
    return {"name": name, "kind": "procedure", "start": start, "end": end, **kw}


# ------------------------------------------------------- (a) a ratio to the patient's baseline

_BASELINE = _finding("lab", "Serum creatinine, baseline", "0.8 mg/dL", "2026-03-02")
_AKI = "Acute kidney injury (serum creatinine at least 1.5 times baseline)"


def _aki(admission: str):
    """The AKI criterion's requirement on the baseline and a creatinine on admission."""
    on_admission = _finding("lab", "Serum creatinine on admission", admission, "2026-09-28")
    (rv,) = _criterion(_AKI, {"objective_findings": [_BASELINE, on_admission]}).requirements
    return rv


def test_a_ratio_to_baseline_is_computed_from_two_dated_values():
    rv = _aki("1.4 mg/dL")
    assert rv.status == "met"
    assert "1.4 ÷ 0.8 = 1.75 times baseline" in rv.found
    assert set(rv.evidence) == {"objective_findings[0]", "objective_findings[1]"}


def test_a_ratio_below_the_bar_does_not_meet_it():
    rv = _aki("1.0 mg/dL")
    assert rv.status == "not_met"
    assert "1.25 times baseline" in rv.found


def test_one_reading_is_no_ratio():
    (rv,) = _criterion(_AKI, {"objective_findings": [_BASELINE]}).requirements
    assert rv.status == "unknown"


# ------------------------------------------------------------- (a) a dose per kilogram per day


def _dosed(description: str, weight: str) -> dict:
    return {
        "service": {"description": description},
        "objective_findings": [_finding("vital", "Body weight", weight, "2026-09-20")],
    }


def test_the_requested_daily_dose_is_divided_by_the_weight():
    text = "The requested dose may not exceed 12 mg/kg/day"
    case = _dosed("Lacosamide 50 mg tablets, 150 mg by mouth twice daily", "25 kg")
    (rv,) = _criterion(text, case).requirements
    assert rv.status == "met"
    assert rv.found.endswith("= 12 mg/kg/day")
    assert "÷ 25 kg" in rv.found


def test_a_daily_total_over_the_ceiling_does_not_meet_it():
    text = "The requested dose may not exceed 12 mg/kg/day"
    case = _dosed("Lacosamide oral solution, 400 mg/day in two doses", "25 kg")
    (rv,) = _criterion(text, case).requirements
    assert rv.status == "not_met"
    assert "400 mg/day ÷ 25 kg" in rv.found and "16 mg/kg/day" in rv.found


def test_no_weight_on_record_names_the_weight_as_the_gap():
    text = "The requested dose may not exceed 12 mg/kg/day"
    case = {"service": {"description": "Lacosamide 150 mg by mouth twice daily"}}
    (rv,) = _criterion(text, case).requirements
    assert rv.status == "unknown"
    assert "weight" in (rv.field or "")


# ---------------------------------------------------- (a) dated events counted inside a window

_WINDOW = "Two or more urgent care visits for dehydration within the 10 days before admission"
_ADMITTED = "Admitted on 2026-09-28 after a week of vomiting."


def _visit(date: str) -> dict:
    return _finding("other", "Urgent care visit for dehydration", "IV fluids given", date)


def test_events_inside_the_window_are_counted_and_dated():
    case = {
        "clinical_summary": _ADMITTED,
        "objective_findings": [_visit("2026-09-20"), _visit("2026-09-24"), _visit("2026-07-01")],
    }
    verdict = _criterion(_WINDOW, case, [D(2026, 9, 28)])
    counted = next(rv for rv in verdict.requirements if rv.requirement.kind.value == "threshold")
    assert counted.status == "met"
    assert counted.found.startswith("2 within the 10 days before admission")
    assert "objective_findings[2]" not in counted.evidence  # outside the window


def test_one_event_inside_the_window_is_no_count_of_two_and_asks_for_the_records():
    case = {
        "clinical_summary": _ADMITTED,
        "objective_findings": [_visit("2026-09-24"), _visit("2026-07-01")],
    }
    verdict = _criterion(_WINDOW, case, [D(2026, 9, 28)])
    counted = next(rv for rv in verdict.requirements if rv.requirement.kind.value == "threshold")
    assert counted.status == "unknown"  # a record may be missing: never 'met', never 'not met'
    assert counted.found.startswith("1 within the 10 days before admission")
    assert "dated" in (counted.field or "")


def test_a_score_is_no_count_of_events():
    text = "Severity score of 4 or higher within 90 days before the request"
    case = {"objective_findings": [_finding("rating_scale", "Severity score", "6", "2026-09-01")]}
    verdict = _criterion(text, case)
    score = next(rv for rv in verdict.requirements if rv.requirement.kind.value == "threshold")
    assert score.status == "met" and "within" not in score.found


# ------------------------------------------------- (a) a lab value named inside a panel's value


def test_a_value_named_in_a_panel_answers_the_lab_threshold():
    text = "Serum potassium below 3.0 mEq/L"
    rv = _one_finding(
        text, "lab", "Chemistry panel", "Na 134 mEq/L; potassium 2.7 mEq/L", "2026-09-28"
    )
    assert rv.status == "met"
    assert "2.7 mEq/L" in rv.found


# ------------------------------------------ (b) the dose at the request, not after the denial


def test_a_course_begun_after_the_denial_is_not_the_dose_at_the_request():
    text = "Methylprednisolone dose of 4 mg per day or less at the time of the request"
    case = {
        "prior_treatments": [
            _course(
                "Methylprednisolone taper",
                "2026-05-01",
                "2026-10-20",
                dose="2 mg",
                frequency="once daily",
            ),
            _course(
                "Methylprednisolone for flare",
                "2026-10-25",
                None,
                dose="16 mg",
                frequency="once daily",
            ),
        ]
    }
    (rv,) = _criterion(text, case).requirements
    assert rv.status == "met"
    assert rv.evidence == ["prior_treatments[0]"]


# ------------------------------------- (b) a recency window over named tests, stated and named


def test_labs_outside_the_window_are_stated_as_outside_it():
    text = "Lipase and CBC drawn within 21 days of the request"
    rv = _one_finding(text, "lab", "CBC", "WBC 6.1", "2026-08-01")
    assert rv.status == "not_met"
    assert "outside the 21-day window" in rv.found
    assert "no Lipase recorded" in rv.found


def test_a_test_on_record_is_credited_and_only_the_missing_one_named():
    text = "BNP and echocardiogram within the past 60 days"
    case = {"objective_findings": [_finding("lab", "BNP", "140 pg/mL", "2026-09-15")]}
    verdict = _criterion(text, case)
    rv = next(rv for rv in verdict.requirements if rv.requirement.kind.value == "time_window")
    assert rv.status == "unknown" and rv.confirm
    assert rv.evidence == ["objective_findings[0]"]
    assert "within the window" in rv.found and "no echocardiogram recorded" in rv.found
    assert "echocardiogram" in (rv.field or "")


def test_a_summary_sentence_never_dates_a_laboratory_window_a_lab_finding_answers():
    text = "Laboratory monitoring within the 90 days before the request"
    case = {
        "clinical_summary": "The request was sent on 2026-10-01 without the laboratory results.",
        "objective_findings": [_finding("lab", "CBC and hepatic panel", "ALT 30", "2026-09-10")],
    }
    (rv,) = _criterion(text, case).requirements
    assert rv.evidence == ["objective_findings[0]"]


def test_of_several_readings_on_one_day_the_one_that_bears_on_a_below_is_the_lowest():
    text = "Serum magnesium below 1.2 mg/dL"
    rv = _one_finding(
        text,
        "lab",
        "Serum magnesium",
        "1.3 mg/dL at 08:00 and 1.1 mg/dL at 14:00 on 09/28; 1.6 mg/dL on 09/29",
        "2026-09-28",
    )
    assert rv.status == "met"
    assert "1.1 mg/dL" in rv.found


def test_a_reference_range_is_no_reading():
    text = "Serum magnesium below 1.2 mg/dL"
    rv = _one_finding(
        text, "lab", "Serum magnesium", "1.4 mg/dL (reference 1.7-2.2 mg/dL)", "2026-09-28"
    )
    assert rv.status == "not_met"


def test_a_baseline_written_beside_the_reading_gives_the_ratio():
    rv = _one_finding(
        _AKI,
        "lab",
        "Serum creatinine",
        "1.1 mg/dL on admission (baseline 0.7 mg/dL on 2026-04-02)",
        "2026-09-28",
    )
    assert rv.status == "met"
    assert "1.1 ÷ 0.7 = 1.57 times baseline" in rv.found


# ---------------------------------------------- (a) a multiple of the upper limit of normal

_CK_LIPASE = "CK and lipase less than 5 times the upper limit of normal"


def test_each_measure_is_divided_by_its_own_upper_limit_of_normal():
    value = "CK 300 U/L, lipase 200 U/L (CK ULN 170, lipase ULN 60)"
    rv = _one_finding(_CK_LIPASE, "lab", "Chemistry", value, "2026-09-28")
    assert rv.status == "met"
    assert "CK 300 ÷ upper limit of normal 170 = 1.76 times" in rv.found
    assert "lipase 200 ÷ upper limit of normal 60 = 3.33 times" in rv.found


def test_a_measure_over_its_multiple_does_not_meet_it():
    value = "CK 300 U/L, lipase 400 U/L (CK ULN 170, lipase ULN 60)"
    rv = _one_finding(_CK_LIPASE, "lab", "Chemistry", value, "2026-09-28")
    assert rv.status == "not_met"


def test_a_measure_whose_limit_is_not_on_record_is_named_as_missing():
    value = "CK 300 U/L (CK ULN 170); lipase 200 U/L"
    text = "If CK and lipase are less than 5 times the upper limit of normal"
    rv = _one_finding(text, "lab", "Chemistry", value, "2026-09-28")
    assert rv.status == "unknown"
    assert rv.requirement.subject == "CK and lipase"
    assert "no lipase with its upper limit of normal recorded" in rv.found
    assert "upper limit of normal" in (rv.field or "")


def test_an_abbreviation_in_parentheses_is_no_measure_name():
    value = "Alkaline phosphatase 410 U/L (upper limit of normal 120)"
    text = "Alkaline phosphatase (ALP) at least 1.5 times the upper limit of normal (ULN)"
    rv = _one_finding(text, "lab", "Liver panel", value, "2026-09-28")
    assert rv.status == "met"
    assert rv.requirement.subject == "Alkaline phosphatase"
    assert "410 ÷ upper limit of normal 120 = 3.42 times" in rv.found


def test_a_tapered_course_is_read_at_the_step_in_effect_on_the_request():
    text = "Current prednisone dose below 5 mg/day"
    dose = "20 mg/day at start, 10 mg from 2026-06-01, 3 mg from 2026-09-01"
    case = {
        "prior_treatments": [
            {"name": "Prednisone taper", "kind": "medication", "start": "2026-03-01",
             "end": "2026-11-20", "dose": dose, "frequency": "once daily"},
        ]
    }  # fmt: skip
    (rv,) = _criterion(text, case).requirements
    assert rv.status == "met"
    assert "3 mg/day from September 1, 2026" in rv.found


def test_a_multiple_of_the_limit_read_outside_the_window_is_never_met():
    value = "ALT 30 U/L (upper limit of normal 40)"
    case = {"objective_findings": [_finding("lab", "Hepatic panel", value, "2026-07-01")]}
    text = (
        "Hepatic panel within the past 30 days, with ALT less than 3 times the upper limit of "
        "normal"
    )
    verdict = _criterion(text, case)
    ratio = next(rv for rv in verdict.requirements if "upper limit" in (rv.requirement.unit or ""))
    assert ratio.status == "unknown"
    assert "before the window that opens" in ratio.found


# ------------------------- (g) what a named record documents; the length of an effect (review37 F5)

_OPERATIVE_REPORT = (
    "The operative report of the earlier spinal cord stimulator trial documents the lead "
    "position and the fluoroscopic imaging used."
)
_CT = _finding("imaging", "CT thoracic spine", "No canal stenosis", "2026-06-02")


def test_a_requirement_on_what_a_named_record_documents_is_no_other_imaging():
    case = {
        "objective_findings": [
            _CT,
            _finding(
                "other",
                "Outside records of the stimulator trial",
                "Clinic letter only; the operative report was requested on 2026-08-03 and has "
                "not been received",
                "2026-09-01",
            ),
        ]
    }
    rvs = _criterion(_OPERATIVE_REPORT, case).requirements
    assert rvs and all(rv.status != "met" for rv in rvs)
    assert all("objective_findings[0]" not in rv.evidence for rv in rvs)


def test_the_named_record_on_file_answers_what_it_documents():
    case = {
        "objective_findings": [
            _CT,
            _finding(
                "other",
                "Operative report, stimulator trial",
                "Leads at T8-T9, fluoroscopy",
                "2026-03-10",
            ),
        ]
    }
    rvs = _criterion(_OPERATIVE_REPORT, case).requirements
    assert rvs and all(rv.status == "met" for rv in rvs)
    assert all(rv.evidence == ["objective_findings[1]"] for rv in rvs)


def test_a_length_of_relief_is_never_counted_from_the_conditions_onset():
    text = (
        "The previous genicular nerve ablation gave a positive response of at least 50% sustained "
        "relief of knee pain, compared with the baseline score, for at least 6 months."
    )
    case = {
        "clinical_summary": "Osteoarthritis of the right knee with pain since 2019. Ablation on "
        "2026-02-11 helped.",
    }
    durations = [
        rv for rv in _criterion(text, case).requirements if rv.requirement.kind == "duration"
    ]
    assert durations
    assert all(rv.status != "met" and "months to" not in rv.found for rv in durations)
