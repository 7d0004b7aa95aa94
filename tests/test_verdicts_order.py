"""Verdicts that do not depend on the order of near-equal facts (issue 17): a threshold over
several counted events compares every event's result (one short of the bar is not met, with its
arithmetic), and a time window is read from the fact nearest in meaning among those that state
the requirement, then the latest of equals (a later visit for something else does not answer it).
Each case is run on every permutation of its facts."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from pipeline.models import CaseFacts, Criterion, DenialAnalysis, Requirement
from pipeline.reasoning import evaluate

D = dt.date


def _rv(text: str, req: dict, case: dict):
    analysis = DenialAnalysis(
        criteria=[Criterion(text=text, requirements=[Requirement(**req)])],
        letter_date=D(2026, 11, 20),
    )
    verdict = evaluate(analysis, CaseFacts.model_validate(case), as_of=D(2026, 12, 1))[0]
    return verdict.requirements[0]


# ------------------------------------------------------------------ every counted event

BLOCKS = "Two separate diagnostic blocks, each with at least 80% relief"
RELIEF = {"kind": "threshold", "subject": "relief", "comparator": ">=", "value": 80,
          "unit": "%", "span": "at least 80% relief"}  # fmt: skip


def _block(n: int, relief: str, date: str | None) -> dict:
    found = {"kind": "other", "name": f"Relief after diagnostic block {n}", "value": relief}
    return found | ({"date": date} if date else {})


@pytest.mark.parametrize("dated", [True, False])
def test_one_block_short_of_the_bar_is_not_met_in_any_order(dated):
    blocks = [_block(1, "90%", "2026-09-10" if dated else None),
              _block(2, "70%", "2026-10-01" if dated else None)]  # fmt: skip
    for facts in itertools.permutations(blocks):
        rv = _rv(BLOCKS, RELIEF, {"objective_findings": list(facts)})
        assert rv.status == "not_met", facts
        # the arithmetic is the short block's
        assert "block 2 70%" in rv.found
        at = rv.found.index("block 2 70%")
        assert rv.found.index("10 percentage points short of the 80% required") > at
        assert "block 1 90%" in rv.found
        assert sorted(rv.evidence) == ["objective_findings[0]", "objective_findings[1]"]


def test_both_blocks_at_the_bar_are_met_in_any_order():
    blocks = [_block(1, "90%", "2026-09-10"), _block(2, "85%", "2026-10-01")]
    for facts in itertools.permutations(blocks):
        rv = _rv(BLOCKS, RELIEF, {"objective_findings": list(facts)})
        assert rv.status == "met", facts
        assert "block 1 90%" in rv.found and "block 2 85%" in rv.found


@pytest.mark.parametrize("first,second", [("90", "70"), ("70", "90")])
def test_blocks_told_in_the_summary_are_each_compared(first, second):
    sentences = [f"The first diagnostic genicular nerve block on 2026-09-10 gave {first}% relief.",
                 f"The second diagnostic block on 2026-10-01 gave {second}% relief."]  # fmt: skip
    for told in itertools.permutations(sentences):
        rv = _rv(BLOCKS, RELIEF, {"clinical_summary": " ".join(told)})
        assert rv.status == "not_met", told
        assert "70%" in rv.found and "90%" in rv.found
        assert "10 percentage points short of the 80% required" in rv.found
        assert len(rv.evidence) == 2


def test_a_single_result_asked_once_is_still_the_nearest_fact():
    """Without a count of events the requirement is one result (no other percentage is
    compared with it)."""
    text = "At least 80% pain relief after a diagnostic block"
    req = {**RELIEF, "subject": "pain relief", "span": "At least 80% pain relief"}
    case = {"clinical_summary": "The diagnostic block on 2026-10-01 gave 85% pain relief. "
                                "Her HbA1c was 9.5% on 2026-09-01."}  # fmt: skip
    rv = _rv(text, req, case)
    assert rv.status == "met"
    assert rv.evidence == ["clinical_summary[0]"]


# ------------------------------------------------------------------ a window, by meaning

VISIT = "A visit to evaluate diabetes control within the last 6 months"


def _window(subject: str) -> dict:
    return {"kind": "time_window", "subject": subject, "comparator": "<=", "value": 6,
            "unit": "months", "span": "within the last 6 months"}  # fmt: skip


@pytest.mark.parametrize("subject", ["visit to evaluate diabetes control", "time window"])
def test_a_later_unrelated_visit_does_not_answer_the_window(subject):
    req = _window(subject)
    sentences = [
        "On 2026-04-02 she was seen in clinic to evaluate her diabetes control.",
        "On 2026-11-03 she completed insulin pump device training.",
        "On 2026-11-05 she had a diabetes visit for insulin pump device training.",
    ]
    for told in itertools.permutations(sentences):
        rv = _rv(VISIT, req, {"clinical_summary": " ".join(told)})
        assert rv.status == "not_met", told
        assert "April 2, 2026" in rv.found
        assert rv.evidence == [f"clinical_summary[{told.index(sentences[0])}]"]


def test_of_equal_facts_the_latest_answers_the_window():
    req = _window("visit to evaluate diabetes control")
    sentences = [
        "On 2026-04-02 she was seen in clinic to evaluate her diabetes control.",
        "On 2026-10-02 she was seen in clinic to evaluate her diabetes control.",
    ]
    for told in itertools.permutations(sentences):
        rv = _rv(VISIT, req, {"clinical_summary": " ".join(told)})
        assert rv.status == "met", told
        assert "October 2, 2026" in rv.found
