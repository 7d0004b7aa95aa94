"""Each plan type's letter cites the law that governs it: a state or local government plan
under 45 CFR 147.136(b)(2) (no ERISA), TRICARE under 32 CFR 199.10, FEHB under 5 CFR 890.105
(neither under the Public Health Service Act); an urgent appeal under 45 CFR 147.136 names the
expedited external review that may run at the same time. Synthetic notices."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.models import CaseFacts, DenialAnalysis, Diagnosis, PlanType
from pipeline.reasoning import rights
from pipeline.relevance import Scope

TODAY = dt.date(2026, 12, 6)
GOV = PlanType.government_or_church
PRE = "We denied the prior authorization request.\n"


def _basis(plan: PlanType, text: str, urgency: str = "standard") -> tuple[str, str]:
    a = DenialAnalysis(plan_type=plan, letter_date=dt.date(2026, 11, 20))
    c = CaseFacts.model_validate(
        {"patient": {"name": "Ana Lee"}, "urgency": urgency, "urgency_reason": "It is urgent."}
    )
    own = rights.spec_for(a, text).legal_basis  # the plan type's paragraph, then the rest
    said = "\n".join([own, *rights.legal_basis(a, text, c, TODAY)])
    return said, rights.timeline(a, text, c, TODAY)


def test_a_state_employee_plan_is_no_erisa_plan_and_gets_the_phs_act_rules() -> None:
    said, ask = _basis(GOV, "State Employees Health Plan. " + PRE, "expedited")
    assert "non-federal governmental group health plan" in said
    assert "45 CFR 147.136(b)(2)(i)" in said and "72 hours" in ask  # the clock: once, asked
    assert "72 hours" not in said
    assert "ERISA" not in said + ask and "2560.503-1" not in said + ask
    assert "(45 CFR 147.136(c)(2)(iii), (d)(3)(i)(A))" in said  # concurrent external review
    assert "defer (45 CFR 147.136(b)(2)(ii)(B))" in ask
    notice = PRE + "You may ask for an expedited external review at the same time as your appeal."
    said, ask = _basis(GOV, "County employee plan. " + notice, "expedited")
    assert (said + ask).count("at the same time") == 1  # said once, as law


@pytest.mark.parametrize(
    ("notice", "cites", "never"),
    [
        ("TRICARE Prime. " + PRE, "32 CFR 199.10", ("147.136", "300gg-19", "2560.503-1")),
        ("FEHB Service Benefit Plan. " + PRE, "5 CFR 890.105", ("147.136", "300gg-19")),
    ],
)
def test_federal_programs_cite_their_own_appeal_rules_only(
    notice: str, cites: str, never: tuple[str, ...]
) -> None:
    for urgency in ("standard", "expedited"):
        said, ask = _basis(GOV, notice, urgency)
        assert cites in said
        assert not any(n in said + ask for n in never), (urgency, said, ask)


def test_a_tricare_plan_gets_no_aca_or_erisa_passages() -> None:
    analysis = DenialAnalysis(plan_type=GOV, insurer="TRICARE East Region (Humana Military)")
    scope = Scope.of(analysis, CaseFacts(diagnoses=[Diagnosis(code="E23.0")]), TODAY)
    assert scope.program == "tricare"


def test_an_insured_california_employer_plan_goes_to_the_dmhc_not_the_federal_iro() -> None:
    notice = (
        PRE + "Your employer's plan is a health care service plan regulated by the California "
        "Department of Managed Health Care. You may be eligible for Independent Medical Review."
    )
    said, _ = _basis(PlanType.erisa, notice)
    assert "Independent Medical Review" in said and "2590.715-2719" not in said
    assert "2560.503-1" in said  # ERISA still governs the claims procedure
    self_funded, _ = _basis(PlanType.erisa, PRE + "This self-funded plan is governed by ERISA.")
    assert "2590.715-2719" in self_funded and "Independent Medical Review" not in self_funded


def test_cli_notes_a_deadline_within_30_days_and_the_business_day_before_a_weekend(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from pipeline.cli import _warn_deadline

    # Saturday January 2, 2027, the day after New Year's Day: file by Thursday December 31
    _warn_deadline(DenialAnalysis(appeal_deadline=dt.date(2027, 1, 2)), TODAY)
    err = capsys.readouterr().err
    assert "(2027-01-02) is in 27 days" in err and "file by 2026-12-31" in err
    _warn_deadline(DenialAnalysis(appeal_deadline=dt.date(2026, 12, 30)), TODAY)  # a Wednesday
    err = capsys.readouterr().err
    assert "is in 24 days" in err and "file by" not in err
    _warn_deadline(DenialAnalysis(appeal_deadline=dt.date(2027, 2, 6)), TODAY)  # 62 days
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "notice",
    [
        "Evergreen Rx, a Medicare Part D prescription drug plan (PDP). Coverage determination of "
        "11/18/2026: your request for Emgality is denied; step therapy applies.",
        "Evergreen Rx (Medicare Part D). Coverage determination: Emgality denied.",
    ],
)
def test_a_standalone_part_d_notice_gets_the_part_d_redetermination(notice: str) -> None:
    from pipeline.extract import extract_facts

    a = extract_facts(notice)
    assert a.plan_type == PlanType.medicare_advantage  # its spec holds the Part D program
    said, _ = _basis(a.plan_type, notice)
    assert "42 CFR 423.590" in said and "422.590" not in said


def test_a_notice_with_two_levels_of_appeal_gets_each_levels_clock() -> None:
    eob = "Explanation of Benefits. The claim was denied. You may file a Level 1 appeal; "
    two = eob + "if it is upheld, you may file a second level appeal within 60 days."
    said, _ = _basis(PlanType.erisa, two)
    assert (
        "two levels of appeal as your notice states, each level must be decided within 30 days"
        in said
    )
    assert "(29 CFR 2560.503-1(i)(2)(iii)(A))" in said and "60 days of its receipt" not in said
    pre, _ = _basis(PlanType.erisa, PRE + "A second level appeal is available.")
    assert "within 15 days of its receipt (29 CFR 2560.503-1(i)(2)(ii))" in pre
    one, _ = _basis(PlanType.erisa, eob)
    assert "60 days of its receipt" in one


def test_a_separate_chip_plan_gets_chip_law_not_epsdt_or_the_medicaid_fair_hearing() -> None:
    # A Texas CHIP notice for a 15-year-old: the CHIP managed care rule (42 CFR 457.1260) and the
    # State's review (457.1120); EPSDT, the Medicaid fair hearing and Medicaid continuation are
    # not the child's. The same notice under a Medicaid name keeps EPSDT.
    case = CaseFacts.model_validate(
        {"patient": {"name": "Mateo Diaz", "date_of_birth": "2011-03-02"}, "urgency": "standard"}
    )
    analysis = DenialAnalysis(plan_type=PlanType.medicaid, letter_date=dt.date(2026, 11, 20))
    chip = "Texas Children's Health Insurance Program (CHIP)\nCHIP Member ID: 52981. " + PRE
    own = rights.spec_for(analysis, chip).legal_basis
    said = "\n".join([own, *rights.legal_basis(analysis, chip, case, TODAY)])
    said += rights.timeline(analysis, chip, case, TODAY)
    assert "42 CFR 457.1260" in said
    assert not any(n in said for n in ("1396d(r)", "EPSDT", "fair hearing", "438.420"))
    medicaid = "STAR Medicaid managed care plan. " + PRE
    said = "\n".join(rights.legal_basis(analysis, medicaid, case, TODAY))
    assert "EPSDT" in said and "457.1260" not in said
