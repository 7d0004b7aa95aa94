"""citation.off_topic: the validator holds every cited passage to the relevance contract."""

from __future__ import annotations

from typing import Any

from pipeline.models import Applicability, Diagnosis, Draft, PlanType
from pipeline.validate import FindingCode, criterion_errors, validate
from tests.test_validate import make_draft

OFF_TOPIC = FindingCode.CITATION_OFF_TOPIC


def with_passage(draft: Draft, pid: str, **changes: Any) -> Draft:
    """The draft with one retrieved passage's metadata changed (its reference line unchanged)."""
    passages = [
        rp.model_copy(update={"passage": rp.passage.model_copy(update=changes)})
        if rp.passage.id == pid
        else rp
        for rp in draft.passages
    ]
    return draft.model_copy(update={"passages": passages, "validation": None})


def off_topic(draft: Draft) -> list[str]:
    return [f.excerpt or "" for f in validate(draft).findings if f.code == OFF_TOPIC]


def test_the_fitting_letter_has_no_off_topic_citation() -> None:
    draft = make_draft()
    assert off_topic(draft) == [] and validate(draft).ok


def test_a_guideline_for_another_disease_is_rejected() -> None:
    draft = with_passage(make_draft(), "apa-mdd-2010", conditions=["K50"], services=["90867"])
    report = validate(draft)
    assert not report.ok and off_topic(draft) and set(off_topic(draft)) == {"apa-mdd-2010"}
    message = next(f.message for f in report.findings if f.code == OFF_TOPIC)
    assert "K50" in message and "F33" not in message  # names the passage's, not the patient's


def test_a_policy_without_conditions_must_cover_a_requested_code() -> None:
    draft = with_passage(make_draft(), "cms-lcd-tms", services=["97110"])
    assert set(off_topic(draft)) == {"cms-lcd-tms"}


def test_an_argument_note_is_never_a_reference() -> None:
    draft = with_passage(make_draft(), "apa-mdd-2010", kind="argument")
    assert set(off_topic(draft)) == {"apa-mdd-2010"}


def test_a_law_for_another_plan_type_is_rejected() -> None:
    draft = with_passage(make_draft(), "usc-29-1133", plan_types=[PlanType.medicare_advantage])
    assert set(off_topic(draft)) == {"usc-29-1133"}


def test_parity_law_needs_a_behavioral_health_diagnosis() -> None:
    parity = with_passage(make_draft(), "usc-29-1133", applies_if=[Applicability.behavioral_health])
    assert off_topic(parity) == []
    knee = parity.model_copy(
        update={
            "case": parity.case.model_copy(update={"diagnoses": [Diagnosis(code="M17.11")]}),
            "analysis": parity.analysis.model_copy(update={"icd10_codes": ["M17.11"]}),
        }
    )
    assert "usc-29-1133" in off_topic(knee)


def test_errors_inside_a_criterion_reach_the_drafting_loop() -> None:
    draft = with_passage(make_draft(), "apa-mdd-2010", conditions=["K50"])
    assert any(f.code == OFF_TOPIC for _, f in criterion_errors(draft))


def test_a_comorbiditys_guideline_is_rejected() -> None:
    """The TMS letter's patient also has generalized anxiety (F41.1): an anxiety guideline is
    no support for TMS for depression, though F41.1 is one of the patient's diagnoses."""
    draft = with_passage(make_draft(), "apa-mdd-2010", conditions=["F41"])
    report = validate(draft)
    assert not report.ok and set(off_topic(draft)) == {"apa-mdd-2010"}
    message = next(f.message for f in report.findings if f.code == OFF_TOPIC)
    assert "comorbidity" in message and "F332" in message


def test_a_clearance_for_another_treatment_of_the_disease_is_rejected() -> None:
    draft = with_passage(
        make_draft(),
        "cms-lcd-tms",
        services=["S0013"],
        conditions=["F33"],
        treatments=["esketamine"],
    )
    assert set(off_topic(draft)) == {"cms-lcd-tms"}


def test_medicare_only_coverage_rule_is_rejected_for_an_erisa_plan() -> None:
    draft = with_passage(
        make_draft(), "cms-lcd-tms", plan_types=[PlanType.medicare, PlanType.medicare_advantage]
    )
    assert set(off_topic(draft)) == {"cms-lcd-tms"}
