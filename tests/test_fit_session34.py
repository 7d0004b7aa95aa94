"""Citations that fit (session 34): a service named by its description finds its passages, a
code billed beside many treatments makes no passage about the request, and a passage stated
under a criterion says what it recommends on that criterion."""

from __future__ import annotations

import datetime as dt

from pipeline import retrieve as R
from pipeline.models import (
    CaseFacts,
    Criterion,
    DenialAnalysis,
    Diagnosis,
    Patient,
    PlanType,
    PriorTreatment,
    Service,
)
from pipeline.reasoning.facts import case_facts
from pipeline.reasoning.fit import guideline_line, position, position_on, topic_words
from pipeline.relevance import Scope, off_topic
from pipeline.service_kinds import ancillary
from tests.test_relevance import passage

TODAY = dt.date(2026, 11, 21)


def case_of(dx: list[str], code: str, description: str) -> CaseFacts:
    return CaseFacts(
        patient=Patient(date_of_birth=dt.date(1943, 5, 2)),
        diagnoses=[Diagnosis(code=d) for d in dx],
        service=Service(code=code, description=description),
    )


def scope_of(
    dx: list[str],
    code: str,
    description: str,
    plan: PlanType,
    letter_codes: tuple[str, ...] = (),
) -> Scope:
    analysis = DenialAnalysis(plan_type=plan, cpt_codes=list(letter_codes))
    return Scope.of(analysis, case_of(dx, code, description), TODAY)


# ------------------------------------------------------------------ treatment words, no code


def test_a_service_named_by_its_description_is_offered_its_rules_without_a_shared_code() -> None:
    """A skilled nursing facility admission (revenue code 0120, which no passage lists) under
    Medicare Advantage: the SNF level-of-care rules are about the requested service by name,
    so retrieval must find them, not only the passages a code or condition leads to."""
    scope = scope_of(
        ["A41.51", "N10"],
        "0120",
        "Skilled nursing facility admission, SNF level of care",
        PlanType.medicare_advantage,
    )
    pool = R._fitting_main(R.get_index(), scope)
    assert "cfr-42-409-31-snf-level-of-care-requirement" in pool
    assert "cms-mbpm-ch8-30-snf-skilled-level-of-care" in pool
    # the same rules are not offered for another service sharing the diagnoses
    other = scope_of(["A41.51", "N10"], "J1335", "Ertapenem 1 g IV", PlanType.medicare_advantage)
    assert "cfr-42-409-31-snf-level-of-care-requirement" not in R._fitting_main(
        R.get_index(), other
    )


def test_medicare_level_of_care_rules_are_not_offered_to_a_commercial_plan() -> None:
    scope = scope_of(["A41.51"], "0120", "Skilled nursing facility admission", PlanType.erisa)
    rule = next(
        p for p in R.get_index().passages.values() if p.id == "cfr-42-409-35-practical-matter"
    )
    assert off_topic(rule, scope) == "it applies to medicare, medicare_advantage plans, not erisa"


# ------------------------------------------------------------------ ancillary codes


SBRT_TRIAL = passage(
    "sbrt",
    purpose=["therapy"],
    treatments=["stereotactic body radiation", "sbrt"],
    services=["77373", "77301"],
    conditions=["C79"],
)


def test_a_planning_code_billed_beside_the_request_makes_no_passage_about_it() -> None:
    """Whole-brain IMRT (77386) billed with IMRT planning (77301): an SBRT trial that lists the
    same planning code is about another treatment."""
    scope = scope_of(
        ["C79.31"], "77386", "IMRT delivery for whole-brain radiotherapy", PlanType.erisa,
        letter_codes=("77301",),
    )  # fmt: skip
    assert ancillary("77301") and not ancillary("77386")
    assert off_topic(SBRT_TRIAL, scope) == (
        "it is about stereotactic body radiation, which is not the requested service"
    )
    # the delivery code itself still makes a passage about the request
    imrt = SBRT_TRIAL.model_copy(update={"services": ["77386"], "treatments": ["imrt"]})
    assert off_topic(imrt, scope) is None


def test_a_request_for_the_planning_alone_is_matched_by_it() -> None:
    scope = scope_of(["C79.31"], "77301", "Radiation treatment planning", PlanType.erisa)
    assert off_topic(SBRT_TRIAL, scope) is None


# ------------------------------------------------------------------ the sentence stated


AUGMENT = passage(
    "apa",
    conditions=["F33"],
    text=(
        "The guideline recommends an antidepressant medication as an initial treatment for "
        "moderate to severe depression. The panel weighed harms against benefits for each "
        "antipsychotic. When response is inadequate, options include augmenting with lithium "
        "or a second-generation antipsychotic."
    ),
)
CASE = case_of(["F33.2"], "S0013", "Esketamine nasal spray")


def criterion(text: str) -> Criterion:
    return Criterion(text=text)


def test_under_a_criterion_the_passage_states_its_position_on_what_the_criterion_asks() -> None:
    topic = topic_words(criterion("A 6-week trial of an adjunctive antipsychotic or lithium"), CASE)
    said = position_on(AUGMENT, topic)
    assert said is not None and said.startswith("When response is inadequate, options include")
    assert "options include augmenting" in guideline_line(AUGMENT, None, topic)
    # with no criterion, and under one its first position already answers, the first position
    assert position_on(AUGMENT) == position(AUGMENT)
    initial = topic_words(criterion("An initial antidepressant medication was tried"), CASE)
    assert position_on(AUGMENT, initial) == position(AUGMENT)


def test_a_sentence_that_weighs_harms_or_leans_on_the_one_before_is_never_stated_instead() -> None:
    leaning = AUGMENT.model_copy(
        update={
            "text": (
                "The guideline recommends an antidepressant medication as an initial treatment. "
                "It also suggests augmenting with lithium or an antipsychotic for some patients."
            )
        }
    )
    topic = topic_words(criterion("A trial of adjunctive lithium or an antipsychotic"), CASE)
    assert position_on(leaning, topic) == position(leaning)
    weighed = AUGMENT.model_copy(
        update={
            "text": (
                "The guideline recommends an antidepressant medication as an initial treatment. "
                "The panel weighed lithium and antipsychotic harms against few benefits."
            )
        }
    )
    assert position_on(weighed, topic) == position(weighed)


# ------------------------------------------------------------------ a treatment's line


def test_a_treatment_line_keeps_its_duration_beside_a_start_date_given_alone() -> None:
    from pipeline.reasoning.argument import fact_line

    therapy = PriorTreatment(
        name="Inpatient physical therapy",
        kind="therapy",
        frequency="daily, 30-45 minutes",
        start=dt.date(2026, 11, 18),
        duration="3 sessions",
        outcome="Improving",
    )
    case = CASE.model_copy(update={"prior_treatments": [therapy]})
    trial = case_facts(case).trials[0]
    line = fact_line(case, "prior_treatments[0]", trial)
    assert line is not None
    assert "3 sessions, from November 18, 2026" in line
