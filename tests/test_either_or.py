"""Either/or criteria: the one-of branches are kept as such in the Requirement contract, and the
computed verdict is met when any branch is met (pipeline.requirements, pipeline.reasoning)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.models import CaseFacts, Criterion, DenialAnalysis
from pipeline.models import RequirementKind as K
from pipeline.reasoning import evaluate
from pipeline.requirements import parse_requirements

BMI = (
    "BMI >= 40 kg/m2, OR BMI >= 35 kg/m2 with at least one obesity-related comorbidity "
    "(type 2 diabetes, hypertension or obstructive sleep apnea)"
)


def branches(text: str) -> tuple[str, list[tuple[int, str, float | None]]]:
    reqs, logic = parse_requirements(text)
    return logic, [(r.branch, r.subject, r.value) for r in reqs]


@pytest.mark.parametrize(
    "text",
    [
        BMI,
        "Documented severe obesity, defined as: o BMI >= 40 kg/m2, or o BMI >= 35 kg/m2 with at "
        "least one obesity-related comorbidity (type 2 diabetes, hypertension or obstructive "
        "sleep apnea)",
        "the member has a BMI of 40 or greater, or a BMI of 35 or greater with a comorbidity",
    ],
)
def test_measured_alternatives_are_branches(text: str) -> None:
    logic, found = branches(text)
    assert logic == "any"
    assert (0, "BMI", 40.0) in found and (1, "BMI", 35.0) in found
    assert not any(subject.startswith("o ") for _, subject, _ in found)  # no sub-bullet marker


def test_one_of_the_following_splits_without_a_lead_word() -> None:
    logic, found = branches(
        "One of the following: failed back surgery syndrome with radicular pain, or complex "
        "regional pain syndrome confirmed by a pain specialist"
    )
    assert logic == "any"
    assert {b for b, _, _ in found} == {0, 1}
    assert (1, "pain specialist", None) in found


def test_two_measurements_of_different_things_stay_all_of() -> None:
    logic, found = branches(
        "an AHI of at least 15 events per hour, or an AHI of at least 5 events per hour "
        "with symptoms"
    )
    assert logic == "any"
    logic, found = branches("pain rated 6 or higher, and at least 3 months of physical therapy")
    assert logic == "all" and {b for b, _, _ in found} == {0}


def test_a_counted_trial_without_a_unit_is_a_trial_count() -> None:
    reqs, _ = parse_requirements(
        "Failure of at least 1 immunomodulator (azathioprine, 6-mercaptopurine or methotrexate) "
        "for at least 12 weeks"
    )
    (trials,) = [r for r in reqs if r.kind is K.trial_count]
    assert (trials.subject, trials.value, trials.unit) == ("immunomodulator", 1.0, "trials")
    (weeks,) = [r for r in reqs if r.kind is K.duration]
    assert (weeks.value, weeks.unit) == (12.0, "weeks")
    reqs, _ = parse_requirements("Failure of or intolerance to at least 1 TNF blocker")
    assert [(r.kind, r.subject) for r in reqs] == [(K.trial_count, "TNF blocker")]


def test_age_and_a_hyphenated_duration() -> None:
    (age,) = parse_requirements("Age 6 years or older")[0]
    assert (age.kind, age.subject, age.value, age.unit) == (K.threshold, "age", 6.0, "years")
    reqs, _ = parse_requirements("the member has completed a 4-week trial of conservative therapy")
    assert (K.duration, 4.0, "weeks") in [(r.kind, r.value, r.unit) for r in reqs]


def _verdict(bmi: str, diagnoses: list[dict[str, str]]) -> str:
    reqs, logic = parse_requirements(BMI)
    analysis = DenialAnalysis(
        criteria=[Criterion(text=BMI, requirements=reqs, logic=logic)],
        letter_date=dt.date(2026, 7, 22),
    )
    case = CaseFacts.model_validate(
        {
            "diagnoses": diagnoses,
            "objective_findings": [{"name": "BMI", "value": f"{bmi} kg/m2", "date": "2026-07-01"}],
        }
    )
    (verdict,) = evaluate(analysis, case)
    return verdict.status


OSA = {"code": "G47.33", "description": "Obstructive sleep apnea"}
OBESITY = {"code": "E66.01", "description": "Morbid (severe) obesity due to excess calories"}


def test_the_verdict_is_met_when_any_branch_is_met() -> None:
    assert _verdict("37.2", [OBESITY, OSA]) == "met"  # second branch: 35+ with sleep apnea
    assert _verdict("42.0", [OBESITY]) == "met"  # first branch alone
    assert _verdict("31.0", [OBESITY, OSA]) == "not_met"  # no branch
    # 37.2 without a listed comorbidity: the second branch cannot be shown, so not met overall
    assert _verdict("37.2", [OBESITY]) == "unknown"
