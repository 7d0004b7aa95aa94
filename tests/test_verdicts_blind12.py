"""Wrong verdicts a blind reading found (verdicts lane): a test's name holding a digit read as its
value, a scheduled or pending test counted as done, a trial counted that fails the requirement's
qualifier, a member that does not apply to the patient, durations from dates."""

from __future__ import annotations

import datetime as dt

from pipeline.reasoning.meaning import numbers_in
from pipeline.requirements import parse_requirements
from tests.reasoning_fixtures import verdict_of

D = dt.date


def _criterion(text: str, case: dict):
    return verdict_of(text, case, letter_date=D(2026, 11, 16), as_of=D(2026, 11, 20))


# ----------------------------------------------------------------- a name's digits are the name's


def test_a_lab_named_with_a_digit_is_read_with_its_unit():
    (req,), _ = parse_requirements("Plasma HIV-1 RNA above 1,000 copies/mL despite therapy")
    assert (req.comparator, req.value, req.unit) == (">", 1000.0, "copies/mL")
    assert "HIV-1 RNA" in req.subject
    (walk,), _ = parse_requirements("Improvement in 6-minute walk distance of 30 meters or more")
    assert (walk.value, walk.unit) == (30.0, "meters")
    assert "6-minute walk" in walk.subject


def test_a_bound_after_of_predicted_is_its_comparator():
    (req,), _ = parse_requirements("FEV1 of 50% of predicted or less after bronchodilator")
    assert (req.comparator, req.value) == ("<=", 50.0)


def test_units_of_counts_per_volume_are_read_in_facts():
    assert numbers_in("HIV-1 RNA 18,400 copies/mL; CD4 212 cells/mm3; eos 410 cells/µL") == (
        (18400.0, "copies/ml"),
        (212.0, "cells/mm3"),
        (410.0, "cells/ul"),
    )


def test_each_test_of_a_shared_finding_is_compared_with_its_own_value():
    verdict = _criterion(
        "Low complement (C3 below 90 mg/dL or C4 below 10 mg/dL).",
        {
            "objective_findings": [
                {
                    "kind": "lab",
                    "name": "Complement panel",
                    "value": "C3 58 mg/dL; C4 6 mg/dL",
                    "date": "2026-10-20",
                }
            ]
        },
    )
    values = {rv.requirement.subject: rv.value for rv in verdict.requirements}
    assert values == {"C3": 58.0, "C4": 6.0}


# ----------------------------------------------------------------- a member not for this patient


def test_a_criterion_for_another_population_does_not_apply():
    case = {
        "clinical_summary": "63-year-old man with type 2 diabetes.",
        "service": {"details": "Initial request, 4 pens per 28 days"},
    }
    female = _criterion("If female of reproductive potential: counselling on contraception.", case)
    assert female.not_applicable and "male" in female.not_applicable
    assert female.status != "met" and not female.evidence
    renewal = _criterion("Renewal requests: documented improvement in HbA1c of 1% or more.", case)
    assert "initial request" in renewal.not_applicable


def test_a_population_the_case_does_not_settle_still_applies():
    case = {"clinical_summary": "Patient with type 2 diabetes.", "service": {"details": "pens"}}
    female = _criterion("If female of reproductive potential: counselling.", case)
    assert female.not_applicable == ""
    assert _criterion("Renewal requests: improvement in HbA1c.", case).not_applicable == ""
