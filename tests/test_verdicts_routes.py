"""Wrong verdicts of the stop-31 blind letters (issue 17), one shape each: (a) a one-of route
met by an unrelated sentence, or argued beside the route the notice found met; (b) an
intolerance the record denies, and an inadequate-response route computed from dated
injections, intervals and a % change from baseline; (c) a conjunct compared on one part;
(d) derived values (velocity from two heights, a walk distance in metres, abstinence counted to
the planned procedure); (e) a window answered by an unrelated dated fact; (f) a test not of the
modality the criterion lists; (g) a test a course's measures report."""

from __future__ import annotations

import datetime as dt

from pipeline.models import CaseFacts, Criterion, CriterionGroup, CriterionVerdict
from pipeline.reasoning.facts import case_facts
from pipeline.reasoning.strategy import settle_groups
from tests.reasoning_fixtures import finding_row as _finding
from tests.reasoning_fixtures import verdict_of

D = dt.date


def _criterion(text: str, case: dict, **kw: object) -> CriterionVerdict:
    return verdict_of(text, case, letter_date=D(2026, 11, 4), as_of=D(2026, 11, 9), **kw)


def _shot(name: str, dates: tuple[str, str], outcome: str) -> dict:
    return {
        "name": name,
        "kind": "medication",
        "dose": "1.25 mg",
        "frequency": f"injections on {dates[0]} and {dates[1]}",
        "start": dates[0],
        "end": dates[1],
        "outcome": outcome,
    }


RETINA = {
    "diagnoses": [
        {"code": "E11.3311", "description": "Type 2 diabetes with NPDR, macular edema, right eye"}
    ],
    "clinical_summary": "Macular edema of the right eye; a retinal vein was sclerosed in his leg.",
    "prior_treatments": [
        _shot(
            "Bevacizumab (injections 1 and 2)", ("2026-05-12", "2026-06-16"), "Persistent fluid"
        ),
        _shot(
            "Bevacizumab (injections 3 and 4)",
            ("2026-07-21", "2026-08-25"),
            "Inadequate response; no intraocular inflammation or other adverse event",
        ),
    ],
    "objective_findings": [
        _finding("imaging", "OCT, baseline", "Central subfield thickness 480 um", "2026-05-12"),
        _finding("imaging", "OCT", "Central subfield thickness 447 um; fluid", "2026-09-29"),
    ],
}  # fmt: skip
RETINA_CASE = CaseFacts.model_validate(RETINA)


# ------------------------------------------------------------------------ (a) one-of routes


def test_a_diagnosis_route_is_met_by_the_coded_diagnosis_only():
    verdict = _criterion(
        "The member has a diagnosis of ONE of the following: A. neovascular (wet) age-related "
        "macular degeneration; OR B. center-involved diabetic macular edema; OR C. macular "
        "edema following retinal vein occlusion.",
        RETINA,
    )
    assert verdict.status == "met"
    assert verdict.evidence == ["diagnoses[0]"]  # never the summary sharing 'macular edema'
    by_route = {rv.requirement.branch: rv for rv in verdict.requirements}
    assert by_route[1].status == "met"
    # the vein-occlusion route shares two words with the diagnosis: not met, and not to confirm
    assert by_route[2].status == "unknown" and not by_route[2].confirm
    assert by_route[2].evidence == []


def test_the_route_the_notice_found_met_is_the_one_kept():
    verdicts = [
        CriterionVerdict(index=0, criterion=Criterion(text="wet AMD"), status="unknown"),
        CriterionVerdict(index=1, criterion=Criterion(text="DME"), status="met", payer_met=True),
        CriterionVerdict(index=2, criterion=Criterion(text="RVO edema"), status="met"),
    ]  # type: ignore[arg-type]
    settled = settle_groups(verdicts, (CriterionGroup(members=[0, 1, 2]),))
    assert [v.alternative for v in settled] == [True, False, True]
    # without the notice's finding, every route the record meets is relied on
    verdicts[1] = verdicts[1].model_copy(update={"payer_met": False})
    settled = settle_groups(verdicts, (CriterionGroup(members=[0, 1, 2]),))
    assert [v.alternative for v in settled] == [True, False, False]


# ------------------------------------------------ (b) intolerance denied; the route computed


def test_no_adverse_event_in_a_list_never_reads_as_intolerance():
    facts = case_facts(RETINA_CASE, as_of=D(2026, 11, 9))
    assert [t.intolerant for t in facts.trials] == [False, False]
    verdict = _criterion(
        "Documented intolerance to bevacizumab or a contraindication to it.", RETINA
    )
    assert verdict.status != "met"
    assert verdict.evidence == []  # the tolerated courses are no evidence of intolerance


def test_injections_are_counted_and_spaced_from_their_listed_dates():
    facts = case_facts(RETINA_CASE, as_of=D(2026, 11, 9))
    assert [t.count for t in facts.trials] == [2, 2]  # never '16 2 injections' from a date
    verdict = _criterion(
        "Inadequate response to bevacizumab, defined as ALL of: 1. at least three (3) "
        "intravitreal bevacizumab injections within the past 6 months, given at intervals of no "
        "more than 6 weeks; AND 2. EITHER a reduction in central subfield thickness of less "
        "than 10% from the pre-treatment baseline OCT, OR a loss of 5 or more letters.",
        RETINA,
    )
    assert verdict.status == "met"
    found = {rv.requirement.kind.value + rv.requirement.unit: rv for rv in verdict.requirements
             if rv.requirement.unit}  # fmt: skip
    assert found["trial_countinjections"].value == 4
    spacing = found["durationweeks"]
    assert spacing.status == "met" and "longest gap 5 weeks" in spacing.found
    change = found["threshold%"]
    assert change.status == "met" and "6.9%" in change.found
    assert set(change.evidence) == {"objective_findings[0]", "objective_findings[1]"}


def test_an_interval_longer_than_allowed_is_not_met():
    case = {
        "prior_treatments": [
            _shot("Bevacizumab injections", ("2026-05-01", "2026-07-20"), "Persistent fluid")
        ]
    }
    verdict = _criterion(
        "At least two bevacizumab injections given at intervals of no more than 6 weeks.", case
    )
    spacing = next(rv for rv in verdict.requirements if rv.requirement.unit == "weeks")
    assert spacing.status == "not_met" and "11.4 weeks" in spacing.found


# ----------------------------------------------------------------------- (c) every conjunct


def test_each_conjunct_is_compared_on_its_own_measure():
    case = {
        "objective_findings": [
            _finding(
                "lab",
                "Lung volumes by body plethysmography",
                "TLC 6.61 L (132% predicted); RV 4.21 L (predicted 2.31 L); RV/TLC 64%",
                "2026-09-08",
            )
        ]
    }
    verdict = _criterion(
        "Hyperinflation: total lung capacity (TLC) at least 100% predicted AND residual volume "
        "(RV) at least 175% predicted",
        case,
    )
    tlc, rv = verdict.requirements
    assert rv.requirement.subject == "residual volume"  # not 'predicted AND residual volume'
    assert rv.status == "met" and rv.value == 182  # 4.21 / 2.31, never TLC's 132%
    assert "predicted 2.31 L" in rv.found and "182% predicted" in rv.found
    assert tlc.status == "met" and tlc.value == 132


# ----------------------------------------------------------------------- (d) derived values


def test_growth_velocity_is_computed_from_two_heights_six_months_apart():
    case = {
        "objective_findings": [
            _finding("vital", "Height", "119.9 cm", "2025-04-15"),
            _finding("vital", "Height", "122.0 cm", "2025-10-14"),
            _finding("vital", "Height and weight", "Height 123.7 cm; weight 21.6 kg", "2026-04-21"),
            _finding("vital", "Height and weight", "Height 125.8 cm; weight 23.8 kg", "2026-10-20"),
        ]
    }
    verdict = _criterion("Growth velocity of less than 4 cm/year over at least 6 months.", case)
    rate, months = verdict.requirements
    # April 21 is one day short of six calendar months before October 20: October 14 is used
    assert rate.status == "met" and rate.value == 3.7
    assert "3.8 cm over 12.2 months, 3.7 cm/year" in rate.found
    assert set(rate.evidence) == {"objective_findings[1]", "objective_findings[3]"}
    assert months.status == "met"


def test_a_walk_distance_in_metres_is_read_against_both_ends():
    case = {
        "clinical_summary": "She is breathless walking less than 100 meters on level ground.",
        "objective_findings": [
            _finding("exam", "Six-minute walk test after rehab", "286 m on room air", "2026-09-29")
        ],
    }  # fmt: skip
    verdict = _criterion(
        "Six-minute walk distance of at least 100 m and no more than 500 m after rehabilitation",
        case,
    )
    low, high = verdict.requirements[:2]
    assert low.requirement.unit == high.requirement.unit == "meters"
    assert low.status == high.status == "met"
    assert low.value == 286 and low.evidence == ["objective_findings[0]"]  # not the summary's 100


def test_abstinence_is_counted_from_the_last_stop_to_the_planned_procedure():
    case = {
        "service": {"details": "CPT 31647; planned 2026-12-15, window 2026-12-01 to 2027-02-28"},
        "clinical_summary": "She stopped smoking cigarettes on 2026-06-22.",
        "prior_treatments": [
            {
                "name": "Nicotine patch",
                "kind": "medication",
                "start": "2026-06-22",
                "end": "2026-07-31",
                "outcome": "No nicotine products since 2026-07-31",
                "outcome_measure": "Urine cotinine negative on 2026-09-08 and 2026-10-19",
            }
        ],
    }
    verdict = _criterion(
        "Abstinence from all tobacco and nicotine products for at least 4 months prior to the "
        "planned procedure, confirmed by a negative cotinine test",
        case,
    )
    by_kind = {rv.requirement.kind.value: rv for rv in verdict.requirements}
    length = by_kind["duration"]
    assert length.status == "met"
    assert "since July 31, 2026: 4.5 months to the planned date, December 15, 2026" in length.found
    test = by_kind["test_done"]  # the course's measures report it, not the summary's sentence
    assert test.status == "met" and test.evidence == ["prior_treatments[0]"]
    assert "cotinine negative" in test.found


# ------------------------------------------------------- (e) a window needs its own record


def test_a_window_for_the_requested_drug_is_not_dated_by_a_pending_lab():
    case = {
        "objective_findings": [
            _finding(
                "lab",
                "Hemoglobin A1c (repeat)",
                "Drawn on 2026-11-02; result not yet received by our office",
                "2026-11-02",
            )
        ]
    }
    verdict = _criterion(
        "The member has received the requested non-preferred agent within the past 365 days",
        case,
    )
    assert verdict.status != "met" and verdict.evidence == []


# ------------------------------------------------------------------------------ (f) modality


def test_vessel_imaging_is_answered_only_by_the_listed_modalities():
    case = {
        "objective_findings": [
            _finding("imaging", "MRI brain, diffusion-weighted", "Acute infarct", "2026-08-20"),
            _finding("imaging", "Venous duplex ultrasound, both legs", "No DVT", "2026-08-22"),
        ]
    }  # fmt: skip
    text = (
        "Vessel imaging of the intracranial and extracranial arteries (CTA or MRA) without stenosis"
    )
    verdict = _criterion(text, case)
    assert verdict.status != "met" and verdict.evidence == []
    case["objective_findings"].append(
        _finding("imaging", "CT angiography head and neck", "No stenosis", "2026-08-21")
    )
    verdict = _criterion(text, case)
    assert verdict.status == "met" and verdict.evidence == ["objective_findings[2]"]
