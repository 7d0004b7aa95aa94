"""State benefit mandates (pipeline.reasoning.mandates, specs/mandate/state_mandates.yaml): a
state's law is stated only for a plan that state regulates (insured, of that state, the kind of
carrier the statute governs) and a request for the mandated benefit; never for a self-funded
ERISA plan, FEHB, Medicare, Part D or Medicaid, and never another state's law."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.models import CaseFacts, DenialAnalysis, PlanType
from pipeline.reasoning import rights
from pipeline.reasoning.mandates import mandate_spec, mandates_for

TODAY = dt.date(2026, 12, 6)
CA_HMO = (
    "BAYVIEW HEALTH PLAN\nA licensed health care service plan\n10 Main St, Oakland, CA 94612\n"
    "Your Evidence of Coverage excludes treatment of infertility.\n"
)
CA_INSURER = (
    "Coastline Life and Health Insurance Company\n5 Ocean Ave, San Diego, CA 92101\n"
    "Insured group policy. Sperm banking is not covered.\n"
)
WA_INSURED = (
    "PUGET HEALTH INSURANCE COMPANY\n1 Pike St, Seattle, WA 98101\nLarge group PPO, fully "
    "insured.\nThe surgery is excluded as cosmetic.\n"
)
WA_SELF_FUNDED = (
    "Northwest Benefits Administration, third-party administrator\n1 Pike St, Seattle, WA "
    "98101\nYour employer's plan is self-funded. The surgery is excluded as cosmetic.\n"
)


def analysis(plan: PlanType = PlanType.erisa) -> DenialAnalysis:
    return DenialAnalysis(plan_type=plan, letter_date=dt.date(2026, 11, 20))


def fertility_case(summary: str = "Cyclophosphamide chemotherapy starts 12/28/2026.") -> CaseFacts:
    return CaseFacts.model_validate(
        {
            "patient": {"name": "Ana Lee", "date_of_birth": "1994-01-02"},
            "service": {"code": "89337", "description": "Oocyte cryopreservation"},
            "diagnoses": [{"code": "C50.412", "description": "Breast cancer"}],
            "clinical_summary": summary,
        }
    )


def gender_case() -> CaseFacts:
    return CaseFacts.model_validate(
        {
            "patient": {"name": "Rey Lee", "date_of_birth": "1999-01-02"},
            "service": {"code": "19303", "description": "Chest masculinization surgery"},
            "diagnoses": [{"code": "F64.0", "description": "Gender dysphoria"}],
        }
    )


def cited(text: str, case: CaseFacts, plan: PlanType = PlanType.erisa) -> list[str]:
    return [m.citation for m in mandates_for(analysis(plan), text, case)]


def test_a_california_hmo_owes_fertility_preservation_under_the_health_and_safety_code() -> None:
    assert cited(CA_HMO, fertility_case()) == ["Cal. Health & Safety Code § 1374.551"]
    said = "\n".join(rights.legal_basis(analysis(), CA_HMO, fertility_case(), TODAY))
    assert "§ 1374.551" in said and "iatrogenic infertility" in said
    assert "10119.61" not in said  # the insurers' statute is not an HMO's


def test_a_california_insurer_owes_it_under_the_insurance_code() -> None:
    assert cited(CA_INSURER, fertility_case()) == ["Cal. Insurance Code § 10119.61"]


def test_fertility_preservation_needs_a_treatment_that_may_cause_infertility() -> None:
    assert cited(CA_HMO, fertility_case(summary="Elective egg freezing at 38.")) == []


def test_washington_gender_affirming_law_binds_an_insured_plan_only() -> None:
    said = "\n".join(rights.legal_basis(analysis(), WA_INSURED, gender_case(), TODAY))
    assert "RCW 48.43.0128(3)(a)" in said and "WAC 284-43-5151" in said
    assert "cannot be applied" in said  # the notice applies an exclusion: said so
    assert cited(WA_SELF_FUNDED, gender_case()) == []  # ERISA preempts it for a self-funded plan
    assert "48.43" not in "\n".join(
        rights.legal_basis(analysis(), WA_SELF_FUNDED, gender_case(), TODAY)
    )


@pytest.mark.parametrize(
    "plan",
    [PlanType.medicare_advantage, PlanType.medicaid, PlanType.government_or_church],
)
def test_no_state_mandate_binds_a_federal_program_or_medicaid(plan: PlanType) -> None:
    assert cited(CA_HMO, fertility_case(), plan) == []
    assert cited(WA_INSURED, gender_case(), plan) == []


def test_another_states_law_is_never_cited() -> None:
    assert cited(WA_INSURED, fertility_case()) == []  # no Washington fertility mandate in data
    assert cited(CA_HMO.replace("CA 94612", "NV 89501"), fertility_case()) == []


def test_only_verified_mandates_are_stated(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = mandate_spec()
    unverified = [m.model_copy(update={"verified": False}) for m in spec.mandates]
    monkeypatch.setattr(
        "pipeline.reasoning.mandates.mandate_spec",
        lambda: spec.model_copy(update={"mandates": unverified}),
    )
    assert cited(CA_HMO, fertility_case()) == []


def test_every_mandate_names_its_exact_section_and_a_source() -> None:
    for mandate in mandate_spec().mandates:
        assert "§" in mandate.citation or mandate.citation.startswith(("RCW", "Or. Admin. R."))
        assert any(ch.isdigit() for ch in mandate.citation)
        assert mandate.citation.split(";")[0].split("(")[0].strip() in mandate.sentence
        if mandate.verified:
            assert mandate.source, mandate.citation


def test_the_validator_may_ground_the_mandate_sentence() -> None:
    strings = rights.rights_strings(analysis(), CA_HMO, fertility_case())
    assert "Cal. Health & Safety Code § 1374.551" in strings
