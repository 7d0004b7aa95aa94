"""The layout suite's keys and its scoring (pipeline.evals.layouts)."""

from __future__ import annotations

import re

import pytest

from pipeline.criteria_rules import readable_text
from pipeline.evals.layouts import (
    LayoutCase,
    evaluate,
    load_cases,
    match_criteria,
    render,
    score,
    word_f1,
)
from pipeline.models import Criterion, DenialAnalysis, RequestedService, Requirement
from pipeline.models import RequirementKind as K
from pipeline.text.clean import normalize_text, repair_ocr_digits

CASES = load_cases()
BY_SLUG = {case.slug: case for case in CASES}


def squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def test_suite_size_and_held_out_slice() -> None:
    assert len(CASES) >= 30
    held = [c for c in CASES if c.key.held_out]
    assert 0.3 <= len(held) / len(CASES) <= 0.45
    assert all(c.slug.startswith("ho-") == c.key.held_out for c in CASES)
    layouts = {c.key.layout for c in CASES}
    assert len(layouts) >= 15


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.slug)
def test_keys_quote_their_letter(case: LayoutCase) -> None:
    letter = squash(readable_text(repair_ocr_digits(normalize_text(case.letter))))  # as ingest
    for criterion in case.key.criteria:
        words = set(re.findall(r"[\w%-]+", criterion.text.casefold()))
        assert words <= set(re.findall(r"[\w%-]+", letter)), criterion.text
        if criterion.reason:
            assert squash(criterion.reason) in letter, criterion.reason
        for lack in criterion.lacks:  # what the payer said was missing, in its own words
            assert squash(lack) in squash(criterion.reason or ""), lack
    repaired = repair_ocr_digits(normalize_text(case.letter))  # a scan's 'Ol28' is 0128
    for service in case.key.requested:
        assert service.code in repaired
    if case.key.insurer:
        assert squash(case.key.insurer) in letter


def test_word_f1_and_one_to_one_matching() -> None:
    assert word_f1("a b c d", "a b c d") == 1.0
    assert word_f1("a b c d", "x y") == 0.0
    assert word_f1("a b c d", "a b") == pytest.approx(2 * 1 * 0.5 / 1.5)
    # the longer predicted text (criterion + narrative) falls under the bar
    assert match_criteria(["a b c d"], ["a b c d e f g h i j"]) == {}
    assert match_criteria(["a b c", "a b c d"], ["a b c d"]) == {1: 0}


def test_score_counts_each_figure() -> None:
    case = BY_SLUG["numbered-tms-employer"]
    key = case.key
    first, second = key.criteria[0], key.criteria[1]
    analysis = DenialAnalysis(
        insurer="Bayfront Mutual Insurance Company",
        plan_sponsor=None,
        criteria=[
            Criterion(text=first.text, payer_status="met"),
            Criterion(
                text=second.text,
                payer_status="not_documented",
                requirements=[
                    Requirement(
                        kind=K.trial_count,
                        subject="antidepressants",
                        comparator=">=",
                        value=3,
                        unit="medications",
                        span="at least 3",
                    ),
                    Requirement(
                        kind=K.duration,
                        subject="each",
                        comparator=">=",
                        value=8,
                        unit="weeks",
                        span="at least 6 weeks",
                    ),
                ],
            ),
            Criterion(text="Something the key does not have at all"),
        ],
        requested=[RequestedService(code="90867", units=1), RequestedService(code="90868")],
    )
    tally = score(case, analysis)
    figures = tally.figures()
    assert figures["criteria_recall"] == round(2 / 4, 3)
    assert figures["criteria_precision"] == round(2 / 3, 3)
    # fields: c1 'other' 0/1 (none predicted); c2 trial 3/3, class 0/3, dose 0/1, duration 2/3
    # (its value is wrong); c3 missed 0/6; c4 missed 0/5 (a threshold without unit: 2 fields)
    assert (tally.fields_hit, tally.fields_total) == (0 + 3 + 0 + 0 + 2, 1 + 10 + 6 + 5)
    assert figures["payer_status"] == 0.25  # only the first; the second is wrong, two missed
    assert (tally.codes_matched, tally.codes_expected, tally.codes_predicted) == (1, 2, 2)
    assert (tally.parties_hit, tally.parties_total) == (1, 2)  # the sponsor was missed
    assert any("sponsor" in miss for miss in tally.misses)


def test_evaluate_sums_per_layout_and_slice() -> None:
    cases = [BY_SLUG["numbered-tms-employer"], BY_SLUG["ho-numbered-psych-testing"]]
    report = evaluate(cases, lambda text: DenialAnalysis())
    tuned, held = report.by_slice[False], report.by_slice[True]
    assert (tuned.letters, held.letters) == (1, 1)
    assert tuned.figures()["criteria_recall"] == 0.0
    assert tuned.figures()["criteria_precision"] is None  # nothing predicted
    assert set(report.by_layout) == {("numbered", False), ("numbered", True)}
    text = render(report)
    assert "numbered (held-out)" in text and "ALL tuned" in text


def test_service_details_and_payer_lacks_are_scored_where_the_key_gives_them() -> None:
    case = BY_SLUG["selffunded-infusion-vedolizumab"]
    want = case.key.requested[0]
    assert (want.per, want.administrations) == ("infusion", 6)
    got = RequestedService(
        code="J3380", units=300, per="infusion", administrations=5, start=want.start, end=want.end
    )
    lacking = case.key.criteria[1]
    analysis = DenialAnalysis(
        plan_type="erisa",
        appeal_fax="(616) 555-0180",
        requested=[got],
        criteria=[
            Criterion(text=lacking.text, payer_lacks=["no trial of azathioprine", "mesalamine"])
        ],
    )
    tally = score(case, analysis)
    # per, start, end right, administrations wrong; plan type and fax (digits) right
    assert (tally.details_hit, tally.details_total) == (5, 6)
    assert (tally.lacks_hit, tally.lacks_total) == (1, 3 + 2)  # a missed criterion's lacks count
    assert any("administrations 5 != 6" in miss for miss in tally.misses)


def test_logic_and_preferred_alternatives_are_scored() -> None:
    case = BY_SLUG["grid-table-pbm-galcanezumab"]  # preferred: AIMOVIG (...), AJOVY (...)
    key = case.key
    analysis = DenialAnalysis(
        criteria=[
            Criterion(text=c.text, logic="any" if i == 0 else "all")
            for i, c in enumerate(key.criteria)
        ],
        preferred_alternatives=["AIMOVIG (erenumab-aooe)", "NURTEC ODT (rimegepant)"],
    )
    tally = score(case, analysis)
    # logic: every key criterion here is all-of; the first was read as one-of
    assert (tally.logic_hit, tally.logic_total) == (len(key.criteria) - 1, len(key.criteria))
    # one of two expected found, one extra: 1 of 3
    assert (tally.preferred_hit, tally.preferred_total) == (1, 3)
    assert any("preferred alternative missed: AJOVY" in m for m in tally.misses)
    assert any("extra preferred alternative: NURTEC" in m for m in tally.misses)
    # a key without 'preferred' scores none
    plain = score(BY_SLUG["numbered-tms-employer"], DenialAnalysis())
    assert plain.figures()["preferred_alternatives"] is None


def test_policy_records_reviewed_and_comparators_are_scored() -> None:
    case = BY_SLUG["ho-coverage-conditions-ncd-icd"]  # policy NCD 20.4, three records reviewed
    key = case.key
    ef = key.criteria[1]  # '30% or less' (<=), '40 days after' and '90 days after' (>=)
    analysis = DenialAnalysis(
        policy="National Coverage Determination (NCD) 20.4",
        records_reviewed=["the echocardiogram report of 09/12/2026", "a cardiology fax cover"],
        criteria=[
            Criterion(
                text=ef.text,
                requirements=[
                    Requirement(kind=K.threshold, subject="LVEF", comparator=">=", value=30,
                                unit="%", span="30% or less"),
                ],
            )
        ],
    )  # fmt: skip
    tally = score(case, analysis)
    figures = tally.figures()
    assert figures["policy"] == 1.0  # 'National Coverage Determination' names the NCD
    # one of three expected records found, one extra: 1 of 4
    assert (tally.reviewed_hit, tally.reviewed_total) == (1, 4)
    assert any("extra record reviewed: a cardiology fax cover" in m for m in tally.misses)
    # the threshold's kind, value and unit hit; its direction (>= for '30% or less') misses
    assert any("threshold <= 30.0 %" in m for m in tally.misses)
    wrong = score(case, DenialAnalysis(policy="NCD 20.34"))
    assert wrong.figures()["policy"] == 0.0
    plain = score(BY_SLUG["numbered-tms-employer"], DenialAnalysis())
    assert plain.figures()["policy"] is None and plain.figures()["records_reviewed"] is None
