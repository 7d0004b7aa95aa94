"""Strategy a template cannot infer (issue 17, strategy round): an ongoing treatment's length
counted to the letter's date, reductions and terminations of a service already authorized with
continuation pending appeal, step-therapy and formulary exceptions, and a drug requested without
a code. Cases here are written for these tests."""

from __future__ import annotations

import datetime as dt

from pipeline.models import CaseFacts, Criterion, DenialAnalysis
from pipeline.reasoning import evaluate
from tests.reasoning_fixtures import R

D = dt.date


def _case(treatments: list[dict], **extra: object) -> CaseFacts:
    return CaseFacts.model_validate({"prior_treatments": treatments, **extra})


# --------------------------------------------------------------------------- ongoing durations

WEIGHT = "Participation in a physician-supervised weight-management program for at least 24 weeks"


def _weight(treatment: dict, as_of: dt.date) -> object:
    criterion = Criterion(
        text=WEIGHT,
        requirements=[
            R("duration", "physician-supervised weight-management program", ">=", 24, "weeks")
        ],
    )
    analysis = DenialAnalysis(criteria=[criterion], letter_date=D(2026, 10, 1))
    return evaluate(analysis, _case([treatment]), as_of=as_of)[0].requirements[0]


def test_an_ongoing_course_counts_from_its_start_to_the_letter_date() -> None:
    program = {"name": "Physician-supervised weight-management program", "kind": "therapy",
               "start": D(2026, 3, 2), "outcome": "Ongoing; 4% weight loss"}  # fmt: skip
    verdict = _weight(program, as_of=D(2026, 11, 30))
    assert verdict.status == "met"
    assert "ongoing since March 2, 2026, 39 weeks as of the letter date" in verdict.found
    assert verdict.evidence == ["prior_treatments[0]"]
    # the same course on an earlier letter date falls short, by the same count
    early = _weight(program, as_of=D(2026, 6, 1))
    assert early.status == "not_met" and "13 weeks as of the letter date" in early.found


def test_an_ongoing_drug_trial_is_counted_to_the_letter_date_not_the_denial_date() -> None:
    criterion = Criterion(
        text="A trial of metformin for at least 90 days",
        requirements=[R("duration", "metformin", ">=", 90, "days")],
    )
    analysis = DenialAnalysis(criteria=[criterion], letter_date=D(2026, 5, 1))
    metformin = {"name": "Metformin", "kind": "medication", "dose": "1000 mg",
                 "start": D(2026, 2, 1), "outcome": "Ongoing, HbA1c still 8.4%"}  # fmt: skip
    verdict = evaluate(analysis, _case([metformin]), as_of=D(2026, 6, 1))[0].requirements[0]
    assert verdict.status == "met"  # 120 days to the letter date (89 to the denial's)
    assert "Metformin ongoing since February 1, 2026, 120 days as of the letter date" in (
        verdict.found
    )


def test_a_start_without_an_end_or_an_ongoing_word_is_still_a_gap() -> None:
    program = {"name": "Physician-supervised weight-management program", "kind": "therapy",
               "start": D(2026, 3, 2), "outcome": "Lost 3 kg"}  # fmt: skip
    verdict = _weight(program, as_of=D(2026, 11, 30))
    assert verdict.status != "met"
    assert "as of the letter date" not in verdict.found
