"""Wrong verdicts blind letters showed (issue 17), one shape each: a scale's cut-off answered by
another scale's score (and a grid row's threshold misread), a time window met by an unrelated
dated finding, a specialist's evaluation met by a lab value, an over-the-counter course counted
as the prescription-strength one asked for, and an age band argued for a patient outside it."""

from __future__ import annotations

import datetime as dt

from pipeline.criteria_rules import read_criteria
from pipeline.text.tables import joined
from tests.reasoning_fixtures import verdict_of

D = dt.date


def _criterion(text: str, case: dict):
    return verdict_of(text, case, letter_date=D(2026, 11, 20), as_of=D(2026, 11, 25))


def _finding(kind: str, name: str, value: str, date: str = "2026-10-02") -> dict:
    return {"kind": kind, "name": name, "value": value, "date": date}


SLEEP = {
    "objective_findings": [
        _finding("rating_scale", "STOP-BANG", "6"),
        _finding("lab", "Hemoglobin", "14.1 g/dL", "2026-10-10"),
    ]
}


# ----------------------------------------------------------- (a) a scale's own score, a grid's row


def test_a_scale_cut_off_is_not_answered_by_another_scale():
    verdict = _criterion("Epworth Sleepiness Scale score of 14.5 or greater", SLEEP)
    assert verdict.status == "unknown"
    assert verdict.evidence == []  # the STOP-BANG shares 'scale' and 'score' only


def test_a_misread_scale_subject_is_never_met_by_another_scales_value():
    # the words a wrapped decimal left behind ('score of 14. 5 or greater') name no STOP-BANG
    verdict = _criterion("Epworth Sleepiness Scale score of 14. 5 or greater", SLEEP)
    assert verdict.status != "met"
    assert "objective_findings[0]" not in verdict.evidence


def test_a_scale_named_with_its_abbreviation_is_read_as_that_scale():
    case = {
        "objective_findings": [
            _finding("rating_scale", "PHQ-9", "18"),
            _finding("rating_scale", "EASI", "24"),
        ]
    }
    verdict = _criterion("Eczema Area and Severity Index (EASI) score of 16 or greater", case)
    assert verdict.status == "met"
    assert verdict.evidence == ["objective_findings[1]"]


def _grid(rows: list[list[tuple[str, ...]]], head: tuple[str, ...], widths: tuple[int, ...]) -> str:
    """A '+---+' grid table, each row a list of its lines (a wrapped cell over several)."""
    rule = "+" + "+".join("-" * w for w in widths) + "+"

    def line(cells: tuple[str, ...]) -> str:
        return (
            "|" + "|".join(" " + c.ljust(w - 1) for c, w in zip(cells, widths, strict=True)) + "|"
        )

    body = [rule, line(head), rule.replace("-", "=")]
    for row in rows:
        body += [*map(line, row), rule]
    return "WHY WE DENIED THIS REQUEST\n\nThe criteria and our findings:\n\n" + "\n".join(body)


def test_a_decimal_wrapped_in_a_grid_cell_is_read_whole():
    assert joined(["score of 14.", "5 or greater"]) == "score of 14.5 or greater"
    assert joined(["flexion-", "extension"]) == "flexion-extension"
    assert joined(["at least 3", "months"]) == "at least 3 months"
    text = _grid(
        [[("1", "Epworth Sleepiness Scale score of 14.", "Not met"), ("", "5 or greater", "")]],
        ("#", "Criterion", "Finding"),
        (5, 44, 14),
    )
    (criterion,) = read_criteria(text)
    assert criterion.text == "Epworth Sleepiness Scale score of 14.5 or greater"
    assert [(r.subject, r.value) for r in criterion.requirements] == [
        ("Epworth Sleepiness Scale", 14.5)
    ]


def test_a_threshold_column_is_read_with_its_criterion():
    text = _grid(
        [
            [("Epworth Sleepiness Scale score", "14.5 or greater", "Not met")],
            [("AHI", "15 or more", "Met")],
        ],
        ("Criterion", "Threshold", "Status"),
        (32, 20, 12),
    )
    read = [(c.text, [r.value for r in c.requirements]) for c in read_criteria(text)]
    assert read == [
        ("Epworth Sleepiness Scale score 14.5 or greater", [14.5]),
        ("AHI 15 or more", [15.0]),
    ]


# ------------------------------------------------------------------- (b) a window's own event


def test_a_window_is_not_met_by_an_unrelated_dated_finding():
    case = {"objective_findings": [_finding("rating_scale", "Epworth Sleepiness Scale", "12")]}
    verdict = _criterion(
        "Home sleep apnea test within the last 6 months showing an AHI of 15 or more", case
    )
    (window,) = [rv for rv in verdict.requirements if rv.requirement.kind == "time_window"]
    assert window.status == "unknown" and window.evidence == []
    assert verdict.status != "met" and verdict.evidence == []


def test_a_window_is_met_by_the_test_it_names():
    case = {
        "objective_findings": [
            _finding("rating_scale", "Epworth Sleepiness Scale", "12"),
            _finding("other", "Home sleep apnea test", "AHI 22 events/hour", "2026-09-01"),
        ]
    }
    verdict = _criterion(
        "Home sleep apnea test within the last 6 months showing an AHI of 15 or more", case
    )
    (window,) = [rv for rv in verdict.requirements if rv.requirement.kind == "time_window"]
    assert window.status == "met" and window.evidence == ["objective_findings[1]"]


# ------------------------------------------------------ (c) a specialist's evaluation, not a lab


LABS = [
    _finding("lab", "Fecal calprotectin", "450 ug/g", "2026-10-10"),
    _finding("lab", "Hepatic function panel", "Normal", "2026-10-10"),
]


def test_a_specialist_evaluation_is_not_met_by_a_lab_value():
    for text in (
        "Assessment by a gastroenterologist within the past 6 months",
        "GI evaluation confirming moderate to severe disease",
        "Ophthalmology exam within the last 12 months",
    ):
        verdict = _criterion(text, {"objective_findings": LABS})
        assert verdict.status != "met", text
        assert not any(rv.status == "met" for rv in verdict.requirements), text
        assert verdict.evidence == [], text


def test_a_specialist_evaluation_is_met_by_the_specialists_visit():
    visit = _finding("exam", "Gastroenterology clinic visit", "Active ileal disease", "2026-09-15")
    case = {"objective_findings": [*LABS, visit]}
    for text in (
        "Assessment by a gastroenterologist within the past 6 months",
        "GI evaluation confirming moderate to severe disease",
    ):
        verdict = _criterion(text, case)
        assert verdict.status == "met", text
        assert verdict.evidence == ["objective_findings[2]"], text


# ------------------------------------------------ (d) the strength of the course the plan asks


def _course(name: str, start: str, end: str, dose: str = "") -> dict:
    return {
        "name": name, "kind": "medication", "dose": dose or None, "start": start, "end": end,
        "outcome": "Inadequate response",
    }  # fmt: skip


PRESCRIPTION = (
    "Inadequate response to a trial of a prescription-strength topical corticosteroid for at "
    "least 4 weeks"
)


def test_an_over_the_counter_course_is_not_the_prescription_strength_trial():
    for name in ("Hydrocortisone 1% cream (over the counter)", "Hydrocortisone 1% cream"):
        verdict = _criterion(
            PRESCRIPTION, {"prior_treatments": [_course(name, "2026-05-01", "2026-07-01")]}
        )
        (count, _) = verdict.requirements
        assert count.status == "not_met" and count.evidence == [], name
        assert "short of the strength asked" in count.found, name


def test_a_prescription_strength_course_beside_an_otc_one_meets_it():
    case = {
        "prior_treatments": [
            _course("Hydrocortisone 1% cream (over the counter)", "2026-05-01", "2026-07-01"),
            _course("Triamcinolone 0.1% ointment", "2026-07-05", "2026-08-20"),
        ]
    }
    verdict = _criterion(PRESCRIPTION, case)
    assert verdict.status == "met"
    assert verdict.evidence == ["prior_treatments[1]"]


def test_a_criterion_asking_no_strength_counts_the_otc_course():
    case = {"prior_treatments": [_course("Hydrocortisone 1% cream", "2026-05-01", "2026-07-01")]}
    verdict = _criterion(
        "Inadequate response to a topical corticosteroid for at least 4 weeks", case
    )
    assert verdict.status == "met"


# ------------------------------------------------------------ (e) an age band the patient is past


OLDER = {"patient": {"date_of_birth": "1959-03-14"}}


def test_an_age_band_the_criterion_is_for_does_not_apply_outside_it():
    for text in (
        "For members age 12-17: pediatric sleep specialist review",
        "Adolescents aged 13 to 17 years: documented participation in family therapy",
        "Members aged 12-17 only",
    ):
        verdict = _criterion(text, OLDER)
        assert "aged" in verdict.not_applicable and "67" in verdict.not_applicable, text
        assert verdict.status != "met" and verdict.evidence == [], text


def test_an_age_band_a_criterion_requires_is_checked_at_both_ends():
    for text in ("Patient age 12-17 years", "Patient is between 18 and 64 years of age"):
        verdict = _criterion(text, OLDER)
        assert verdict.not_applicable == "", text
        (age,) = verdict.requirements
        assert age.status == "not_met" and age.value == 67.0, text
    young = _criterion("Patient age 12-17 years", {"patient": {"date_of_birth": "2012-01-10"}})
    assert young.status == "met"
    assert young.requirements[0].required == "an age of 12 to 17 years"


def test_an_age_band_at_an_event_is_the_age_on_that_event():
    # read as a duration of 60 years by the rules: an age band at the stroke's date
    case = {
        "patient": {"date_of_birth": "1965-01-10"},
        "objective_findings": [
            _finding("imaging", "MRI brain", "Acute ischemic stroke diagnosed", "2009-05-01")
        ],
    }
    verdict = _criterion(
        "Age 18 through 60 years at the time of the qualifying ischemic stroke", case
    )
    (age,) = verdict.requirements
    assert (age.status, age.value) == ("met", 44.0)
    assert age.required == "an age of 18 to 60 years"


def test_an_open_age_is_the_requirements_to_check_not_a_population():
    assert _criterion("Age 18 years or older", OLDER).not_applicable == ""
    both = "For patients 12-17 years of age with severe disease, or adults 18 and older"
    assert _criterion(both, OLDER).not_applicable == ""
    # the case says no age: never 'does not apply'
    assert _criterion("Patient age 12-17 years", {}).not_applicable == ""


# ----------------------------------------- the lead's blind shapes: tolerance, another specialty


def test_a_course_tolerated_without_adverse_events_is_no_intolerance():
    course = _course("Metformin", "2026-01-01", "2026-06-01")
    course["outcome"] = "Tolerated well, no adverse events; HbA1c unchanged"
    verdict = _criterion(
        "Documented intolerance to metformin or a contraindication to it",
        {"prior_treatments": [course]},
    )
    assert verdict.status != "met"
    assert not any(rv.status == "met" for rv in verdict.requirements)


def test_another_oncology_specialty_is_not_the_one_asked():
    radiation = _finding("exam", "Radiation oncology consultation", "Candidate for SBRT")
    case = {"objective_findings": [radiation], "physician": {"specialty": "Pulmonology"}}
    verdict = _criterion("A medical oncology evaluation documents the treatment plan", case)
    assert verdict.status != "met"
    assert not any(rv.status == "met" or rv.confirm for rv in verdict.requirements)
    medical = _finding("exam", "Medical oncology consultation", "Stage III NSCLC")
    verdict = _criterion("Evaluation by an oncologist", {"objective_findings": [medical]})
    assert verdict.status == "met"


# ------------------------------------------------------------ the lead's (6): a range, both ends


def _measured(text: str, name: str, value: str):
    return _criterion(text, {"objective_findings": [_finding("imaging", name, value)]})


def test_a_range_of_two_bounds_is_checked_and_stated_at_both_ends():
    text = "Left ventricular ejection fraction of at least 15% and no more than 45%"
    inside = _measured(text, "Echocardiogram", "LVEF 28%")
    assert inside.status == "met"
    for rv in inside.requirements:  # the upper bound measures the same thing, not '%'
        assert rv.requirement.subject == "Left ventricular ejection fraction"
        assert rv.required == "left ventricular ejection fraction of 15 to 45%"
        assert rv.found.endswith("within 15-45%")
    above = _measured(text, "Echocardiogram", "LVEF 55%")
    assert above.status == "not_met"  # each bound keeps its own end's verdict
    assert [rv.status for rv in above.requirements] == ["met", "not_met"]
    assert "10 percentage points over the 45% required" in above.requirements[1].found


def test_a_range_in_one_span_is_not_met_above_its_top():
    verdict = _criterion(
        "LDL-C of 70 to 189 mg/dL",
        {"objective_findings": [_finding("lab", "LDL-C", "210 mg/dL")]},
    )
    (ldl,) = verdict.requirements
    assert (ldl.status, ldl.required) == ("not_met", "LDL-C of 70 to 189 mg/dL")
    assert "21 mg/dL over the 70-189 mg/dL range" in ldl.found


def test_a_consult_the_record_says_is_missing_is_no_consultation():
    for said in (
        "The neurology consultation note is not in the record.",
        "A neurology consult was requested; the note has not been received.",
    ):
        case = {"clinical_summary": said, "physician": {"specialty": "Family Medicine"}}
        verdict = _criterion("Evaluation by a neurologist", case)
        assert not any(rv.status == "met" for rv in verdict.requirements), said
