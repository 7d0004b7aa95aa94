"""Comparisons blind letters got wrong (issue 17, session 33), one shape each: a drug's dose
threshold met by another drug and a class list miscounted; a Roman-numeral class read as a
number; a pending report or a fact dated after the anchor counted within a window; a daily MME
never computed; a lab-recency window; a psychological evaluation met by an alcohol screen."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.reasoning.doses import class_list, daily_mg, mme_limit
from pipeline.reasoning.facts import case_facts
from tests.reasoning_fixtures import verdict_of

D = dt.date

CLASSES = (
    "Documented trials of at least TWO of the following first-line drug classes, each at an "
    "adequate dose for at least 8 weeks, or stopped sooner because of documented intolerance: "
    "(1) a gabapentinoid (gabapentin at least 1,800 mg per day or pregabalin at least 300 mg per "
    "day); (2) a serotonin-norepinephrine reuptake inhibitor (duloxetine at least 60 mg per day "
    "or venlafaxine at least 150 mg per day); (3) a tricyclic antidepressant (amitriptyline or "
    "nortriptyline at least 25 mg per day)."
)


def _criterion(text: str, case: dict):
    return verdict_of(text, case, letter_date=D(2026, 11, 20), as_of=D(2026, 11, 25))


def _course(name: str, dose: str, freq: str, start: str, end: str | None, outcome: str) -> dict:
    return {
        "name": name, "kind": "medication", "dose": dose, "frequency": freq, "start": start,
        "end": end, "outcome": outcome,
    }  # fmt: skip


def _finding(kind: str, name: str, value: str, date: str = "2026-10-02") -> dict:
    return {"kind": kind, "name": name, "value": value, "date": date}


GABAPENTIN = _course(
    "Gabapentin", "600 mg twice daily (1,200 mg/day)", "twice daily", "2025-01-06", "2025-06-30",
    "Inadequate relief",
)  # fmt: skip
PREGABALIN = _course(
    "Pregabalin", "150 mg twice daily (300 mg/day)", "twice daily", "2025-07-07", "2025-09-29",
    "Inadequate relief",
)  # fmt: skip
DULOXETINE = _course(
    "Duloxetine", "60 mg", "once daily", "2025-10-13", "2025-11-17",
    "Stopped for intolerance: nausea and hyponatremia",
)  # fmt: skip
TACROLIMUS = _course(
    "Tacrolimus 0.1% ointment to face", "thin layer", "twice daily", "2026-03-01", "2026-06-01",
    "Inadequate response",
)  # fmt: skip


# ----------------------------------------------------- (a) each drug's dose against its own course


def test_a_daily_dose_is_read_from_the_stated_daily_total():
    facts = case_facts_of([GABAPENTIN])
    assert daily_mg(facts.trials[0]) == 1200  # not the 600 of one dose


def case_facts_of(courses: list[dict]):
    from pipeline.models import CaseFacts

    return case_facts(
        CaseFacts.model_validate({"prior_treatments": courses}), as_of=D(2026, 11, 25)
    )


def test_a_class_list_reads_each_drugs_own_dose_and_class():
    listed = class_list(CLASSES)
    assert listed is not None and listed.need == 2 and listed.days == 56 and listed.sooner
    doses = {d.ingredient: (d.mg_per_day, d.group) for d in listed.doses}
    assert doses["gabapentin"] == (1800, "gabapentinoid")  # '1,800', not 1 and 800
    assert doses["pregabalin"] == (300, "gabapentinoid")
    assert doses["nortriptyline"] == (25, "tricyclic antidepressant")


def test_a_dose_threshold_is_compared_only_with_a_course_of_that_drug():
    verdict = _criterion(CLASSES, {"prior_treatments": [GABAPENTIN, PREGABALIN, DULOXETINE]})
    (count,) = verdict.requirements  # one count of classes, not a dose per drug met by another
    assert count.requirement.kind == "class_count" and count.status == "met"
    assert count.value == 2
    # the qualifying pregabalin course is listed; gabapentin below its own dose is not counted
    assert "Pregabalin" in count.found and "300 mg/day, at least the 300 mg/day" in count.found
    assert "Duloxetine" in count.found and "stopped for intolerance" in count.found
    assert "not counted: Gabapentin" in count.found and "below the 1,800 mg/day" in count.found
    assert "amitriptyline" not in count.found.lower()  # no TCA course: nothing claimed for it
    assert set(verdict.evidence) == {f"prior_treatments[{i}]" for i in range(3)}


def test_one_class_at_dose_does_not_meet_a_count_of_two():
    verdict = _criterion(CLASSES, {"prior_treatments": [GABAPENTIN, PREGABALIN]})
    assert verdict.status == "not_met"
    assert verdict.requirements[0].value == 1


def test_a_single_drug_dose_requirement_ignores_other_drugs():
    verdict = _criterion("Duloxetine at least 60 mg per day", {"prior_treatments": [GABAPENTIN]})
    assert verdict.status != "met"
    assert "prior_treatments[0]" not in verdict.requirements[0].evidence


# --------------------------------------------------------- (b) classes compared as ordinals


def test_a_roman_numeral_class_is_compared_as_an_ordinal():
    case = {"objective_findings": [_finding("exam", "NYHA functional class", "Class II")]}
    verdict = _criterion("NYHA class III or greater heart failure", case)
    assert verdict.status == "not_met"
    (rv,) = verdict.requirements
    assert rv.value == 2 and "does not meet" in rv.found


def test_an_arabic_stage_is_compared_with_a_roman_finding_and_the_reverse():
    case = {
        "objective_findings": [_finding("imaging", "Knee radiograph", "Kellgren-Lawrence grade IV")]
    }
    assert _criterion("Kellgren-Lawrence grade 3 or higher", case).status == "met"
    case = {"objective_findings": [_finding("other", "Spirometry", "GOLD 2 (FEV1 62% predicted)")]}
    assert _criterion("GOLD 3 or greater airflow limitation", case).status == "not_met"


def test_a_body_surface_area_is_not_a_drug_strength():
    case = {
        "prior_treatments": [
            _course(
                "Tacrolimus 0.1% ointment",
                "0.1%",
                "twice daily",
                "2026-05-01",
                "2026-08-01",
                "Inadequate response",
            ),
        ],
        "objective_findings": [_finding("exam", "Body surface area affected", "18%")],
    }
    verdict = _criterion("Body surface area involvement of 10% or more", case)
    assert verdict.status == "met"
    assert verdict.evidence == ["objective_findings[0]"]


# ---------------------------------------------------------- (c) pending, and after the anchor


def test_a_report_not_yet_issued_is_pending_though_the_interview_is_completed():
    report = _finding(
        "other",
        "Psychological evaluation for neuromodulation (licensed psychologist)",
        "Clinical interview completed 2026-11-05; final written report not yet issued",
        "2026-11-05",
    )
    verdict = _criterion(
        "Psychological evaluation by a licensed psychologist within the 12 months before the "
        "request",
        {"objective_findings": [report]},
    )
    assert verdict.status != "met"
    assert all(rv.pending for rv in verdict.requirements)


def test_a_result_dated_after_the_anchor_is_not_within_the_window_before_it():
    case = {
        "objective_findings": [
            _finding("lab", "Hemoglobin A1c", "7.4%", "2026-09-01"),
            _finding("lab", "Hemoglobin A1c", "8.6%", "2026-12-01"),
        ]
    }
    verdict = _criterion(
        "Hemoglobin A1c of 8.0% or less within the 90 days before the request", case
    )
    assert verdict.status == "met"
    assert verdict.evidence == ["objective_findings[0]"]  # the value within the window
    for rv in verdict.requirements:
        assert "-" not in rv.found.split(" days before")[0][-4:]  # no negative day count


def test_only_a_later_result_leaves_the_window_unmet_without_a_negative_count():
    case = {
        "objective_findings": [_finding("lab", "Hepatic function panel", "Normal", "2026-12-01")]
    }
    verdict = _criterion("Liver function tests within 30 days before the request", case)
    assert verdict.status == "not_met"
    assert "after" in verdict.requirements[0].found
    assert "-" not in verdict.requirements[0].found


def test_a_repeat_awaiting_its_result_after_the_anchor_is_pending_not_late():
    case = {
        "objective_findings": [
            _finding("lab", "Hemoglobin A1c", "8.4%", "2026-03-12"),
            _finding(
                "lab", "Hemoglobin A1c (repeat)", "Drawn; result not yet received", "2026-12-01"
            ),
        ]
    }
    verdict = _criterion(
        "A hemoglobin A1c result dated within the 6 months before the request", case
    )
    (window,) = [rv for rv in verdict.requirements if rv.requirement.kind == "time_window"]
    assert window.pending and window.status == "not_met"
    assert window.evidence == ["objective_findings[1]"]


def test_an_ordered_test_is_no_result():
    case = {"objective_findings": [_finding("lab", "Urine cotinine", "Ordered; result pending")]}
    verdict = _criterion("Negative urine cotinine test within 30 days before the procedure", case)
    assert verdict.status != "met"
    assert all(rv.pending for rv in verdict.requirements)


# ----------------------------------------------------------------- (e) derived values


def test_daily_mme_is_computed_from_the_opioid_rows():
    case = {
        "prior_treatments": [
            _course("Oxycodone", "10 mg", "twice daily", "2026-02-01", None, "Partial relief"),
            _course("Tramadol", "50 mg", "three times daily", "2026-03-01", None, "Partial"),
            _course("Morphine", "15 mg", "twice daily", "2025-01-01", "2025-06-01", "Stopped"),
        ]
    }
    verdict = _criterion(
        "Daily opioid dose of no more than 90 morphine milligram equivalents (MME)", case
    )
    (rv,) = verdict.requirements
    assert rv.status == "met" and rv.value == 60  # 20 x 1.5 + 150 x 0.2; past morphine not counted
    assert "x 1.5 = 30 MME/day" in rv.found and "x 0.2 = 30 MME/day" in rv.found
    assert set(rv.evidence) == {"prior_treatments[0]", "prior_treatments[1]"}
    over = _criterion("Daily opioid dose of 50 MME or less", case)
    assert over.status == "not_met"


def test_an_mme_limit_reads_its_direction():
    assert mme_limit("no more than 90 morphine milligram equivalents (MME)") == ("<=", 90)
    assert mme_limit("50 MME or less") == ("<=", 50)
    assert mme_limit("MME documented") is None


def test_a_lab_recency_window_is_not_met_by_a_medication_course():
    case = {
        "prior_treatments": [
            _course("Methotrexate", "15 mg", "once weekly", "2026-08-05", None, "Partial"),
        ],
        "objective_findings": [_finding("lab", "Hepatic function panel", "Normal", "2026-08-01")],
    }
    verdict = _criterion("Liver function tests within 30 days before the request", case)
    assert verdict.status == "not_met"
    assert verdict.evidence == ["objective_findings[0]"]


# ------------------------------------------------------------- (f) evidence of that kind


def test_a_psychological_evaluation_is_not_met_by_an_alcohol_screen():
    case = {"objective_findings": [_finding("rating_scale", "AUDIT-C", "1")]}
    for text in (
        "Psychological evaluation by a licensed psychologist or psychiatrist",
        "Careful screening and evaluation by a multidisciplinary team",
    ):
        verdict = _criterion(text, case)
        assert verdict.status != "met", text
        assert not any(
            rv.status == "met" and rv.requirement.kind in ("specialist",)
            for rv in verdict.requirements
        ), text


# --------------------------------------------- (b, d) strengths, invalid readings, current values


def test_a_drug_strength_is_compared_with_that_drugs_course_never_a_body_surface_area():
    case = {
        "prior_treatments": [TACROLIMUS],
        "objective_findings": [_finding("exam", "Body surface area involved", "18%")],
    }
    verdict = _criterion("tacrolimus 0.03% or pimecrolimus 1% cream", case)
    by_subject = {rv.requirement.subject: rv for rv in verdict.requirements}
    assert by_subject["tacrolimus"].status == "met"
    assert by_subject["tacrolimus"].evidence == ["prior_treatments[0]"]
    assert by_subject["pimecrolimus"].status == "unknown"  # no pimecrolimus course
    assert "objective_findings[0]" not in verdict.evidence  # 18% BSA is no strength
    alone = _criterion("0.1% ointment", case)
    assert alone.status != "met" and "objective_findings[0]" not in alone.evidence


def test_a_non_compressible_abi_does_not_meet_an_abi_threshold():
    case = {"objective_findings": [_finding("vital", "Ankle-brachial index", "1.42")]}
    verdict = _criterion("Ankle-brachial index of 0.9 or less", case)
    (rv,) = verdict.requirements
    assert rv.status == "not_met" and "non-compressible" in rv.found
    assert rv.evidence == ["objective_findings[0]"]
    # a criterion asking whether the ABI is above 1.3 (the toe-pressure route) reads it as it is
    above = _criterion("When the ABI is greater than 1.3, a toe-brachial index", case)
    assert above.requirements[0].status == "met"


def test_the_current_bmi_is_computed_from_the_latest_weight_and_height():
    case = {
        "objective_findings": [
            _finding(
                "vital", "Weight and height", "Weight 104.8 kg, height 167.9 cm", "2026-10-14"
            ),
            _finding(
                "other",
                "Weight history in primary care record",
                "111.0 kg on 2024-03-11 (BMI 39.4); 109.9 kg on 2026-02-04 (BMI 39.0)",
                "2026-02-04",
            ),
        ]
    }
    verdict = _criterion("Body mass index (BMI) of 35 kg/m2 or greater", case)
    (rv,) = verdict.requirements
    assert rv.status == "met" and rv.value == 37.2  # 104.8 / 1.679^2, not 39.4 of 2024
    assert "October 14, 2026" in rv.found and "104.8 kg" in rv.found
    assert rv.evidence == ["objective_findings[0]"]


def test_dated_readings_in_one_finding_keep_their_own_dates():
    case = {
        "objective_findings": [
            _finding(
                "other",
                "Weight history in primary care record",
                "111.0 kg on 2024-03-11 (BMI 39.4); 109.9 kg on 2026-02-04 (BMI 39.0)",
                "2026-02-04",
            ),
        ]
    }
    (rv,) = _criterion("BMI of 35 kg/m2 or greater", case).requirements
    assert rv.value == 39.0 and "February 4, 2026" in rv.found  # the latest reading, its date


def test_a_score_response_is_computed_from_the_two_dated_scores():
    case = {
        "objective_findings": [
            _finding("rating_scale", "EASI", "32", "2026-03-01"),
            _finding("rating_scale", "EASI", "6", "2026-10-01"),
        ]
    }
    for text, status in (
        ("EASI-75 response (at least 75% improvement in EASI from baseline)", "met"),
        ("EASI-90 response", "not_met"),
    ):
        verdict = _criterion(text, case)
        assert verdict.status == status, text
        (rv,) = verdict.requirements
        assert "81.2%" in rv.found and len(rv.evidence) == 2, text


def test_a_strength_written_without_its_drug_is_the_drug_before_it_in_its_list():
    case = {
        "prior_treatments": [
            TACROLIMUS,
            _course(
                "Triamcinolone 0.1% ointment",
                "thin layer",
                "twice daily",
                "2026-01-01",
                "2026-02-20",
                "Inadequate response",
            ),
        ],
    }
    verdict = _criterion(
        "a topical calcineurin inhibitor (tacrolimus 0.03% or 0.1% ointment, or pimecrolimus 1% "
        "cream)",
        case,
    )
    ointment = next(rv for rv in verdict.requirements if rv.requirement.subject == "ointment")
    assert ointment.status == "met" and ointment.evidence == ["prior_treatments[0]"]


# ------------------------------------------------ review mends (session 33): no invented figure


def test_a_weight_change_is_no_weight_for_a_computed_bmi():
    case = {
        "objective_findings": [
            _finding("vital", "BMI", "41.2", "2026-09-01"),
            _finding(
                "other", "Pre-operative diet", "Weight loss of 12 kg over 6 months; height 165 cm",
                "2026-10-14",
            ),
        ]
    }  # fmt: skip
    (rv,) = _criterion("BMI of 40 kg/m2 or greater", case).requirements
    # 12 kg / 1.65^2 = 4.4 would be 'the current BMI' and turn the criterion not met
    assert rv.status == "met" and rv.value == 41.2


def test_a_computed_bmi_outside_the_plausible_range_is_not_a_reading():
    case = {
        "objective_findings": [
            _finding("vital", "BMI", "41.2", "2026-09-01"),
            _finding("vital", "Weight and height", "Weight 9 kg, height 170 cm", "2026-10-14"),
        ]
    }
    (rv,) = _criterion("BMI of 40 kg/m2 or greater", case).requirements
    assert rv.status == "met" and rv.value == 41.2  # 3.1 is no BMI


def test_a_daily_dose_follows_the_frequency_the_regimen_spec_reads():
    def mg(dose: str, freq: str) -> float | None:
        course = _course("Oxycodone", dose, freq, "2026-01-05", "2026-03-01", "Partial relief")
        return daily_mg(case_facts_of([course]).trials[0])

    assert mg("10 mg", "every 4 hours") == 60
    assert mg("10 mg", "every 6 hours") == 40
    assert mg("10 mg", "three times a week") == pytest.approx(30 / 7)
    assert mg("10 mg", "twice weekly") == pytest.approx(20 / 7)
    assert mg("10 mg", "once weekly") == pytest.approx(10 / 7)
    assert mg("10 mg", "once daily") == 10
    assert mg("10 mg", "as needed for pain") is None  # no daily dose
    assert mg("10 mg", "with each flare") is None  # a schedule the spec does not read


def test_a_dose_without_a_figure_before_mg_is_no_dose():
    course = _course("Tramadol", "1 tablet, mg not recorded", "twice daily", "2026-01-05",
                     "2026-03-01", "Partial relief")  # fmt: skip
    assert daily_mg(case_facts_of([course]).trials[0]) is None  # was a ValueError on ','
    verdict = _criterion("A daily dose of no more than 90 MME", {"prior_treatments": [course]})
    assert verdict.status != "met"
