"""The relevance contract (pipeline/relevance.py), one rule per test."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pipeline.models import (
    Applicability,
    CaseFacts,
    DenialAnalysis,
    Diagnosis,
    Passage,
    Patient,
    PlanType,
    RetrievedPassage,
    Service,
)
from pipeline.relevance import Scope, citable, fits, fitting, off_topic

TODAY = dt.date(2026, 12, 5)


def passage(pid: str = "p", kind: str = "guideline", **fields: Any) -> Passage:
    base: dict[str, Any] = dict(
        id=pid, kind=kind, issuing_body="Body", short_body="B", title="T", year=2020,
        section="S", text="text", specialty="x", url="https://example.org", license="l",
    )
    return Passage(**{**base, **fields})


def scope(
    dx: list[str] = (),  # type: ignore[assignment]
    code: str | None = None,
    plan: PlanType = PlanType.erisa,
    born: dt.date | None = None,
    categories: list[str] = (),  # type: ignore[assignment]
    service: str | None = None,
    letter_codes: list[str] = (),  # type: ignore[assignment]
) -> Scope:
    analysis = DenialAnalysis(
        plan_type=plan, denial_categories=list(categories), cpt_codes=list(letter_codes)
    )
    case = CaseFacts(
        patient=Patient(date_of_birth=born),
        diagnoses=[Diagnosis(code=d) for d in dx],
        service=Service(code=code, description=service),
    )
    return Scope.of(analysis, case, TODAY)


# --------------------------------------------------------------------------- clinical


def test_condition_must_match_a_diagnosis_by_prefix() -> None:
    crohns = passage(conditions=["K50"], services=["J0135"])
    assert fits(crohns, scope(["K50.10"], "J0135"))
    assert fits(passage(conditions=["K5010"]), scope(["K50"], "J0135"))  # either way round
    reason = off_topic(crohns, scope(["K51.90"], "J0135"))
    assert reason == "it is about K50, none of the patient's diagnoses"


def test_shared_service_code_does_not_make_another_disease_fit() -> None:
    """Ulcerative colitis answered with a Crohn's guideline for the same drug: off topic."""
    crohns = passage(conditions=["K50"], services=["J0135"])
    assert not fits(crohns, scope(["K51.90"], "J0135"))


def test_passage_without_conditions_fits_by_requested_service() -> None:
    mri = passage(services=["72148"])
    assert fits(mri, scope(["M54.5"], "72148"))
    assert fits(mri, scope(["M54.5"], None, letter_codes=["72148"]))  # code from the letter
    assert off_topic(mri, scope(["M54.5"], "27447")) == "it covers 72148, none of them requested"


def test_clinical_passage_naming_nothing_is_not_shown_to_fit() -> None:
    assert not fits(passage(), scope(["M17.11"], "27447"))
    assert not fits(passage(kind="coverage_policy"), scope(["M17.11"], "27447"))


def test_unknown_diagnoses_compare_services_and_nothing_known_compares_nothing() -> None:
    crohns = passage(conditions=["K50"], services=["J0135"])
    assert fits(crohns, scope([], "J0135"))
    assert not fits(crohns, scope([], "27447"))
    assert not fits(passage(conditions=["K50"]), scope([], "27447"))
    assert fits(passage(conditions=["K50"]), scope([], None))


# --------------------------------------------------------------------------- regulations


def law(**fields: Any) -> Passage:
    return passage(kind="regulation", **fields)


def test_parity_law_needs_a_mental_health_or_substance_use_diagnosis() -> None:
    parity = law(applies_if=[Applicability.behavioral_health])
    assert fits(parity, scope(["F33.2"], "90867"))
    assert fits(parity, scope(["F10.20"], "H0018"))
    reason = off_topic(parity, scope(["M75.121"], "97110"))
    assert reason is not None and "parity" in reason


def test_epsdt_needs_a_patient_under_21_on_medicaid() -> None:
    epsdt = law(plan_types=[PlanType.medicaid], applies_if=[Applicability.under_21])
    child = dt.date(2010, 1, 1)
    assert fits(epsdt, scope(["G80.9"], "E1161", PlanType.medicaid, born=child))
    assert not fits(epsdt, scope(["I63.9"], "97110", PlanType.medicaid, born=dt.date(1968, 3, 1)))
    assert not fits(epsdt, scope(["G80.9"], "E1161", PlanType.erisa, born=child))
    assert not fits(epsdt, scope(["G80.9"], "E1161", PlanType.medicaid, born=None))
    # the day before and on the 21st birthday
    assert fits(epsdt, scope(["G80.9"], "E1161", PlanType.medicaid, born=dt.date(2005, 12, 6)))
    assert not fits(epsdt, scope(["G80.9"], "E1161", PlanType.medicaid, born=dt.date(2005, 12, 5)))


def test_no_surprises_needs_emergency_or_out_of_network_care() -> None:
    nsa = law(applies_if=[Applicability.emergency_or_out_of_network])
    assert fits(nsa, scope(["R07.9"], "99285"))
    assert fits(nsa, scope(["N40.1"], "55866", categories=["out_of_network"]))
    assert fits(nsa, scope(["S72.001A"], "27236", service="Emergency hip fixation"))
    reason = off_topic(nsa, scope(["M17.11"], "27447", categories=["not_medically_necessary"]))
    assert reason is not None and "No Surprises" in reason


def test_erisa_rules_only_for_erisa_plans() -> None:
    erisa = law(plan_types=[PlanType.erisa])
    assert fits(erisa, scope(["M17.11"], "27447", PlanType.erisa))
    for plan in (PlanType.aca_individual, PlanType.medicaid, PlanType.unknown):
        assert not fits(erisa, scope(["M17.11"], "27447", plan))


def test_medicare_advantage_rules_only_for_ma() -> None:
    ma = law(plan_types=[PlanType.medicare_advantage])
    assert fits(ma, scope(["M17.11"], "27447", PlanType.medicare_advantage))
    reason = off_topic(ma, scope(["M17.11"], "27447", PlanType.medicare))
    assert reason == "it applies to medicare_advantage plans, not medicare"


def test_general_law_fits_every_plan() -> None:
    for plan in PlanType:
        assert fits(law(), scope(["M17.11"], "27447", plan))


# --------------------------------------------------------------------------- arguments


def test_argument_notes_fit_but_are_never_citable() -> None:
    note = passage(kind="argument")
    assert fits(note, scope(["M17.11"], "27447"))
    assert not citable(note)
    assert citable(passage(conditions=["M17"])) and citable(law())


def test_fitting_keeps_order_and_drops_what_does_not_fit() -> None:
    rps = [
        RetrievedPassage(passage=passage("a", conditions=["K51"]), score=1.0, rank=1),
        RetrievedPassage(passage=passage("b", conditions=["K50"]), score=0.9, rank=2),
        RetrievedPassage(passage=law(id="c"), score=0.5, rank=3),
    ]
    assert [rp.passage.id for rp in fitting(rps, scope(["K51.90"], "J0135"))] == ["a", "c"]


def test_age_is_taken_on_the_letters_date_unless_a_date_is_given() -> None:
    case = CaseFacts(patient=Patient(date_of_birth=dt.date(2005, 6, 1)))
    analysis = DenialAnalysis(letter_date=dt.date(2026, 1, 1))
    assert Scope.of(analysis, case).age == 20
    assert Scope.of(analysis, case, dt.date(2026, 6, 1)).age == 21
    assert Scope.of(analysis, CaseFacts()).age is None
