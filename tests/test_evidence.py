"""argue_by_words (the former offline writer, kept as the evals baseline): which case facts answer
which criterion by shared words, and how the argument cites."""

from __future__ import annotations

import re

import pytest

from pipeline.engine import ArgumentRequest
from pipeline.evidence import (
    argue_by_words,
    choose_passages,
    criterion_quote,
    required_count,
    split_sentences,
    tokens,
)
from pipeline.models import CaseFacts, Criterion, DenialAnalysis
from pipeline.reasoning.denial import argue_denial
from tests.test_draft import analysis_for, complete_case, passage, retrieved, sample_passages

BACK_CASE = CaseFacts.model_validate(
    {
        "diagnoses": [{"code": "M51.16", "description": "Lumbar disc disorder with radiculopathy"}],
        "clinical_summary": "Radicular pain down the left leg for eight months. "
        "Pain limits walking and prevents work.",
        "prior_treatments": [
            {
                "name": "Physical therapy",
                "kind": "therapy",
                "frequency": "twice weekly",
                "start": "2024-01-08",
                "end": "2024-03-01",
                "outcome": "no improvement",
            },
            {
                "name": "Naproxen",
                "kind": "medication",
                "dose": "500 mg",
                "frequency": "twice daily",
                "duration": "10 weeks",
                "outcome": "partial relief",
            },
            {
                "name": "Lumbar epidural steroid injection",
                "kind": "procedure",
                "start": "2024-03-15",
                "end": "2024-03-15",
                "outcome": "relief for two weeks",
            },
        ],
        "objective_findings": [
            {
                "kind": "imaging",
                "name": "Lumbar MRI",
                "value": "L5-S1 disc extrusion compressing the left S1 nerve root",
                "date": "2024-02-10",
            },
            {"kind": "exam", "name": "Straight leg raise", "value": "positive on the left"},
            {"kind": "vital", "name": "BMI", "value": "27.4"},
        ],
    }
)


def argue(case: CaseFacts, *criteria: str, passages: list | None = None) -> list:
    analysis = DenialAnalysis(criteria=[Criterion(text=c) for c in criteria])
    request = ArgumentRequest(analysis=analysis, case=case, passages=passages or [])
    return argue_by_words(request)


def test_antidepressant_trials_criterion_selects_the_medication_trials() -> None:
    (argument,) = argue(complete_case(), "Failure of at least four antidepressant trials.")
    treatments = [e for e in argument.evidence if e.startswith("prior_treatments")]
    assert treatments == [f"prior_treatments[{i}]" for i in range(4)]  # not the CBT at [4]
    for name in ("Sertraline 200 mg once daily", "Bupropion XL", "Venlafaxine XR", "Duloxetine"):
        assert name in argument.argument
    assert "from January 10, 2023 to April 15, 2023" in argument.argument


def test_imaging_criterion_selects_imaging() -> None:
    (argument,) = argue(
        BACK_CASE, "Advanced imaging (MRI or CT) demonstrating nerve root compression."
    )
    assert argument.evidence == ["objective_findings[0]"]
    assert "Lumbar MRI (February 10, 2024): L5-S1 disc extrusion" in argument.argument


def test_conservative_care_criterion_selects_physical_therapy() -> None:
    (argument,) = argue(
        BACK_CASE, "Failure of at least 6 weeks of conservative care including physical therapy."
    )
    assert "prior_treatments[0]" in argument.evidence
    assert not any(e.startswith("objective_findings") for e in argument.evidence)


def test_bmi_criterion_selects_the_vital_sign() -> None:
    (argument,) = argue(BACK_CASE, "BMI documented within the past year.")
    assert argument.evidence == ["objective_findings[2]"]


def test_rating_scale_criterion_selects_the_scores() -> None:
    (argument,) = argue(complete_case(), "Severity documented on a standardized rating scale.")
    findings = [e for e in argument.evidence if e.startswith("objective_findings")]
    assert findings == ["objective_findings[0]", "objective_findings[1]"]


def test_a_management_change_criterion_is_answered_by_what_the_result_would_change() -> None:
    from pipeline.evidence import case_facts, is_psychiatric, select_facts

    case = CaseFacts.model_validate(
        {
            "clinical_summary": "Global developmental delay since infancy. Microarray was "
            "normal. A diagnosis would direct cardiac and renal surveillance and could spare "
            "her a sedated brain MRI.",
            "consequences_of_denial": "Continued diagnostic uncertainty and more testing.",
        }
    )
    criterion = "Documentation of how the results are expected to change medical management."
    facts = select_facts(criterion, case_facts(case), is_psychiatric(case))
    assert [f.sentence for f in facts] == [
        "A diagnosis would direct cardiac and renal surveillance and could spare her a sedated "
        "brain MRI."
    ]


def test_visit_frequency_criterion_selects_the_service_details() -> None:
    (argument,) = argue(complete_case(), "The number of visits requested exceeds the plan limit.")
    assert argument.evidence == ["service.details"]
    assert "36 sessions over 6 weeks" in argument.argument


def test_criterion_nothing_answers_has_no_evidence() -> None:
    (argument,) = argue(BACK_CASE, "Absence of seizure disorder.")
    assert argument.evidence == []
    assert argument.passage_ids == []
    assert argument.argument == criterion_quote(Criterion(text="Absence of seizure disorder."))


def test_one_argument_per_criterion_in_order() -> None:
    arguments = argue_by_words(
        ArgumentRequest(analysis=analysis_for(), case=complete_case(), passages=sample_passages())
    )
    assert [a.criterion_index for a in arguments] == [0, 1, 2]
    assert all(a.evidence for a in arguments)


def test_arguments_cite_by_token_the_passage_retrieved_for_the_criterion() -> None:
    arguments = argue_by_words(
        ArgumentRequest(analysis=analysis_for(), case=complete_case(), passages=sample_passages())
    )
    assert arguments[1].passage_ids == ["apa-mdd-scales"]
    assert "[[cite:apa-mdd-scales]]" in arguments[1].argument
    assert not re.search(r"(?<!\[)\[\d+\]", arguments[1].argument)  # no bare numbers


def test_regulations_are_not_cited_for_a_clinical_criterion_when_a_guideline_exists() -> None:
    regulation = retrieved(passage("usc-29-1133", kind="regulation"), 0.99, 1, [0])
    guideline = retrieved(passage("apa-mdd-tms"), 0.2, 2, [])
    assert [p.id for p in choose_passages([regulation, guideline], 0)] == ["apa-mdd-tms"]
    assert [p.id for p in choose_passages([regulation], 0)] == ["usc-29-1133"]


def test_passage_preference_criterion_then_verified_then_score() -> None:
    general = retrieved(passage("general-high"), 0.95, 1, [])
    unverified = retrieved(passage("for-0-unverified", verified=False), 0.9, 2, [0])
    verified = retrieved(passage("for-0-verified"), 0.5, 3, [0])
    chosen = choose_passages([general, unverified, verified], 0)
    assert [p.id for p in chosen] == ["for-0-verified", "for-0-unverified"]
    overall = choose_passages([general, unverified, verified], None)
    assert overall[0].id == "general-high"


def test_argue_is_deterministic() -> None:
    request = ArgumentRequest(
        analysis=analysis_for(), case=complete_case(), passages=sample_passages()
    )
    assert argue_by_words(request) == argue_by_words(request)


def test_argue_denial_answers_the_primary_category() -> None:
    request = ArgumentRequest(
        analysis=DenialAnalysis(denial_categories=["conservative_treatment_not_exhausted"]),
        case=BACK_CASE,
        passages=sample_passages(),
    )
    argument = argue_denial(request)
    assert argument.argument.startswith("The denial states that conservative treatment has not")
    assert "prior_treatments[0]" in argument.evidence


def test_no_digit_is_added_by_the_template() -> None:
    (argument,) = argue(BACK_CASE, "Failure of conservative care including physical therapy.")
    case_digits = set(re.findall(r"\d+", BACK_CASE.model_dump_json() + " January 8, 2024 March 1"))
    assert set(re.findall(r"\d+", argument.argument)) <= case_digits | {"15", "2024"}


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Failure of at least four antidepressant trials", 4),
        ("at least 2 different medications from two classes", 2),
        ("a minimum of three trials of conservative therapy", 3),
        ("Failure of conservative care for 6 weeks", None),
    ],
)
def test_required_count(text: str, count: int | None) -> None:
    assert required_count(text) == count


def test_fewer_trials_than_required_does_not_claim_the_criterion_is_met() -> None:
    (argument,) = argue(
        BACK_CASE,
        "Failure of at least five medication trials.",
        passages=[retrieved(passage("g"), 0.5, 1, [0])],
    )
    assert "This meets" not in argument.argument
    assert "The standard that applies is set out by" in argument.argument


def test_split_sentences_keeps_abbreviations() -> None:
    text = "Ms. Doe was seen by Dr. Lee. She improved. (PHQ-9 fell.) Then e.g. walking."
    assert split_sentences(text) == [
        "Ms. Doe was seen by Dr. Lee.",
        "She improved.",
        "(PHQ-9 fell.)",
        "Then e.g. walking.",
    ]


def test_tokens_drop_stop_words_and_stem() -> None:
    assert tokens("The patient failed trials of medications") == tokens("fail trial medication")
    assert tokens("the of patient documented") == frozenset()


def test_a_frequency_the_dose_already_states_is_said_once() -> None:
    from pipeline.evidence import dose_and_frequency

    said = dose_and_frequency("Gabapentin", "600 mg twice daily (1,200 mg/day)", "twice daily")
    assert said == "Gabapentin 600 mg twice daily (1,200 mg/day)"
    assert dose_and_frequency("Sertraline", "200 mg", "once daily") == (
        "Sertraline 200 mg once daily"
    )
    assert dose_and_frequency("Home exercise", None, "daily") == "Home exercise daily"


def test_a_continuing_phrase_keeps_a_first_word_with_capitals_inside() -> None:
    from pipeline.evidence import continuing

    assert continuing("A skilled nurse visits daily") == "a skilled nurse visits daily"
    assert continuing("Ordered; not yet drawn") == "ordered; not yet drawn"
    assert continuing("NSCLC stage IV") == "NSCLC stage IV"
    # was 'mRI-guided' and 'hbA1c': only a first word without inner capitals is lowered
    assert continuing("MRI-guided biopsy scheduled") == "MRI-guided biopsy scheduled"
    assert continuing("HbA1c to be drawn") == "HbA1c to be drawn"
