"""Network access (pipeline.reasoning.law.network_gap, specs/law/network.yaml): when the notice
states a time or distance standard and the case the distance to the nearest in-network provider,
the letter compares them under the law of the plan type that sets such standards (Medicaid
managed care: 42 CFR 438.68 and 438.206(b)(4); Medicare Advantage: 42 CFR 422.116), and says
nothing of network law for a plan type whose law sets none (a self-funded ERISA plan)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.models import CaseFacts, DenialAnalysis, PlanType
from pipeline.reasoning import rights
from pipeline.reasoning.law import network_gap

TODAY = dt.date(2026, 12, 6)
NOTICE = (
    "Out-of-network request denied. Our access standard for this specialty is 40 miles or "
    "60 minutes. Please use a participating provider.\n"
)


def analysis(plan: PlanType) -> DenialAnalysis:
    return DenialAnalysis(plan_type=plan, letter_date=dt.date(2026, 11, 20))


def case(summary: str) -> CaseFacts:
    return CaseFacts.model_validate(
        {
            "patient": {"name": "Ana Lee", "date_of_birth": "1990-01-02"},
            "service": {"code": "99204", "description": "Out-of-network specialist visits"},
            "clinical_summary": summary,
        }
    )


FAR = case("The nearest in-network specialist is 96.5 miles away, about 110 minutes by car.")


def test_medicaid_distance_beyond_the_notice_standard_is_compared() -> None:
    gap = network_gap(analysis(PlanType.medicaid), NOTICE, FAR)
    assert gap is not None
    said = gap.sentence()
    assert "40 miles or 60 minutes" in said and "96.5 miles (about 110 minutes)" in said
    assert "56.5 miles beyond it" in said and "42 CFR 438.68" in said
    assert "438.206(b)(4)" in said
    basis = "\n".join(rights.legal_basis(analysis(PlanType.medicaid), NOTICE, FAR, TODAY))
    assert said in basis
    assert "56.5 miles" in rights.rights_strings(analysis(PlanType.medicaid), NOTICE, FAR)


def test_the_finding_of_the_case_gives_the_distance() -> None:
    found = CaseFacts.model_validate(
        {
            "patient": {"name": "Ana Lee"},
            "objective_findings": [
                {
                    "kind": "other",
                    "name": "Distance to nearest participating clinic",
                    "value": "38 miles, about 75 minutes each way",
                }
            ],
        }
    )
    gap = network_gap(analysis(PlanType.medicaid), NOTICE, found)
    assert gap is not None and gap.over == "15 minutes"  # within the miles, beyond the time


def test_within_the_standard_nothing_is_argued() -> None:
    near = case("The nearest in-network specialist is 12 miles away.")
    assert network_gap(analysis(PlanType.medicaid), NOTICE, near) is None


def test_medicare_advantage_cites_its_own_network_rule() -> None:
    gap = network_gap(analysis(PlanType.medicare_advantage), NOTICE, FAR)
    assert gap is not None and "42 CFR 422.116" in gap.sentence()
    assert "438." not in gap.sentence()


def test_no_network_law_for_a_plan_type_whose_law_sets_none() -> None:
    assert network_gap(analysis(PlanType.erisa), NOTICE, FAR) is None
    basis = "\n".join(rights.legal_basis(analysis(PlanType.erisa), NOTICE, FAR, TODAY))
    assert "miles" not in basis


def test_a_notice_without_a_standard_gets_no_comparison() -> None:
    plain = "Out-of-network request denied. Please use a participating provider.\n"
    assert network_gap(analysis(PlanType.medicaid), plain, FAR) is None


def test_when_the_argument_compares_the_distance_the_legal_basis_names_the_law_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rights, "access_strings", lambda a, c, t: ["56.5 miles beyond"])
    basis = "\n".join(rights.legal_basis(analysis(PlanType.medicaid), NOTICE, FAR, TODAY))
    assert "42 CFR 438.68" in basis and "96.5" not in basis  # said once, in the argument
