"""Strategy a template cannot infer (issue 17, strategy round): an ongoing treatment's length
counted to the letter's date, reductions and terminations of a service already authorized with
continuation pending appeal, step-therapy and formulary exceptions, and a drug requested without
a code. Cases here are written for these tests."""

from __future__ import annotations

import datetime as dt
import re

from pipeline.letter_format import criterion_names
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


# --------------------------------------------------------------------------- reductions

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from pipeline.models import PlanType, ServiceChange  # noqa: E402
from pipeline.reasoning.change import arithmetic, read_change, restore_request  # noqa: E402
from pipeline.reasoning.law import continuation  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "strategy"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Your home health aide visits are reduced from 5 visits per week to 3 visits per "
            "week effective 12/01/2026.",
            {"before": 5, "after": 3, "unit": "visits", "per": "week",
             "effective": D(2026, 12, 1), "ends": False},
        ),
        (
            "PDN hours were reduced from 56 to 40 hours/week as of 11/01/2026 for the "
            "authorization period 11/01/2026 through 04/30/2027.",
            {"before": 56, "after": 40, "unit": "hours", "per": "week",
             "effective": D(2026, 11, 1), "through": D(2027, 4, 30)},
        ),
        (
            "You are currently authorized for 12 shifts per month. Beginning January 4, 2027 we "
            "approved 8 shifts per month. The hours are lowered because needs changed.",
            {"before": 12, "after": 8, "unit": "shifts", "per": "month",
             "effective": D(2027, 1, 4)},
        ),
        (
            "We completed a concurrent review of your continued stay. Coverage of your skilled "
            "nursing facility stay will end on November 14, 2026.",
            {"ends": True, "effective": D(2026, 11, 14), "before": None},
        ),
        (  # the amounts sit in a before/after table the sentence does not carry
            "Authorization period 10/01/2026 - 03/31/2027. Change takes effect: 01/05/2027. "
            "After our review we have decided to lower the home health services you were "
            "previously approved for. See the table below for the new amounts.",
            {"ends": False, "before": None, "after": None, "effective": D(2027, 1, 5)},
        ),
    ],
)  # fmt: skip
def test_a_reduction_or_termination_is_read_with_its_amounts_and_dates(text, expected) -> None:
    change = read_change(text)
    assert change is not None
    for key, value in expected.items():
        assert getattr(change, key) == value, key


@pytest.mark.parametrize(
    "text",
    [
        "You were previously approved for 20 visits. We approved 6 additional visits. The "
        "annual limit was reduced in 2025.",
        "Reduction mammoplasty (CPT 19318) is cosmetic and is not covered.",
        "Your coverage will end on December 31, 2026 if premiums are not paid.",
        "The request for 36 sessions of TMS from 11/01/2026 to 12/15/2026 is denied.",
        "You were previously approved for a brace. Weight loss may reduce pain and lower the "
        "need for services, effective 01/01/2027.",
    ],
)
def test_what_is_not_a_cut_to_an_authorized_service_is_not_read_as_one(text) -> None:
    assert read_change(text) is None


def test_the_request_restores_the_cut_from_the_effective_date_with_the_arithmetic() -> None:
    change = ServiceChange(before=56, after=40, unit="hours", per="week",
                           effective=D(2026, 11, 1), through=D(2027, 4, 30))  # fmt: skip
    assert arithmetic(change) == "56 authorized until now − 40 approved = 16 hours per week"
    text = restore_request(change, "private duty nursing (HCPCS T1000)", "M. Q.")
    assert "restore the 16 hours per week the notice cut" in text
    assert "back to the 56 hours per week authorized until now" in text
    assert "from November 1, 2026 through April 30, 2027, the end of the authorization" in text
    ended = ServiceChange(ends=True, effective=D(2026, 11, 14))
    text = restore_request(ended, "skilled nursing facility care", "M. Q.")
    assert text == (
        "I ask that you reverse the decision to end skilled nursing facility care for M. Q. on "
        "November 14, 2026 and continue it."
    )


def _analysis(plan: PlanType, change: ServiceChange, notice: dt.date) -> DenialAnalysis:
    return DenialAnalysis(plan_type=plan, letter_date=notice, service_change=change)


CUT = ServiceChange(before=56, after=40, unit="hours", per="week", effective=D(2026, 11, 1))
ENDS = ServiceChange(ends=True, effective=D(2026, 11, 14))
SNF = CaseFacts.model_validate({"service": {"description": "Skilled nursing facility stay"}})
PT = CaseFacts.model_validate({"service": {"description": "Outpatient physical therapy"}})


def test_medicaid_continuation_is_asked_within_10_days_or_by_the_effective_date() -> None:
    notice = D(2026, 10, 20)
    found = continuation(_analysis(PlanType.medicaid, CUT, notice), "", PT, D(2026, 10, 22))
    assert found is not None and found.rule.citation == "42 CFR 438.420"
    assert found.deadline == D(2026, 11, 1)  # the effective date is later than notice + 10
    assert found.state == "open" and found.warning() is None
    late = ServiceChange(before=56, after=40, unit="hours", effective=D(2026, 10, 25))
    found = continuation(_analysis(PlanType.medicaid, late, notice), "", PT, D(2026, 10, 29))
    assert found is not None and found.deadline == D(2026, 10, 30)  # notice + 10 is later
    assert found.state == "near" and "closes on 2026-10-30" in (found.warning() or "")
    found = continuation(_analysis(PlanType.medicaid, late, notice), "", PT, D(2026, 11, 3))
    assert found is not None and found.state == "passed"
    assert "CLOSED on 2026-10-30" in (found.warning() or "")
    paragraph = found.paragraph("private duty nursing")
    assert "continue at the 56 hours authorized until now" in paragraph
    assert "closed on October 30, 2026" in paragraph


def test_erisa_concurrent_care_asks_for_a_decision_before_the_cut() -> None:
    found = continuation(_analysis(PlanType.erisa, CUT, D(2026, 10, 20)), "", PT, D(2026, 10, 21))
    assert found is not None and found.rule.citation == "29 CFR 2560.503-1(f)(2)(ii)"
    assert found.deadline == D(2026, 11, 1)
    assert "until you decide this appeal" in found.paragraph("home nursing")


def test_medicare_fast_track_covers_the_end_of_listed_services_only() -> None:
    notice = D(2026, 11, 10)
    for plan, cited in ((PlanType.medicare_advantage, "422.626"), (PlanType.medicare, "405.1202")):
        found = continuation(_analysis(plan, ENDS, notice), "", SNF, D(2026, 11, 11))
        assert found is not None and found.rule.route == "qio"
        assert found.deadline == D(2026, 11, 13)  # noon of the day before the services end
        assert found.state == "near" and "fast-track QIO review" in (found.warning() or "")
        assert cited in found.paragraph("skilled nursing facility care")
        # a reduction, or the end of a service the rule does not cover: nothing to say
        assert continuation(_analysis(plan, CUT, notice), "", SNF, D(2026, 11, 11)) is None
        assert continuation(_analysis(plan, ENDS, notice), "", PT, D(2026, 11, 11)) is None


@pytest.mark.parametrize("plan", [PlanType.aca_individual, PlanType.government_or_church,
                                  PlanType.unknown])  # fmt: skip
def test_plan_types_with_no_continuation_rule_say_nothing(plan) -> None:
    assert continuation(_analysis(plan, CUT, D(2026, 10, 20)), "", PT, D(2026, 10, 21)) is None


def _pdn_draft(today: dt.date, passages: tuple = ()):
    from pipeline.casefile import load_case
    from pipeline.draft import compose
    from pipeline.engines import OfflineEngine
    from pipeline.extract import extract_facts

    text = (FIXTURES / "pdn-medicaid-letter.txt").read_text()
    case = load_case(FIXTURES / "pdn-medicaid-case.yaml")
    analysis = extract_facts(text)
    return compose(
        text, analysis, case, list(passages), OfflineEngine(), today=today, allow_gaps=True
    )


def test_the_opening_names_the_cut_and_a_retrieved_provision_is_cited_with_the_rule() -> None:
    from pipeline.letter_format import REQUEST, split_sections
    from pipeline.models import Passage, RetrievedPassage

    rule = Passage.model_validate(
        {"id": "medicaid-continuation", "kind": "regulation", "issuing_body": "CMS",
         "short_body": "CMS", "title": "Medicaid managed care appeals", "year": 2016,
         "section": "42 CFR 438.420: continuation of benefits", "url": "https://example.org/r",
         "text": "Benefits continue during the appeal when asked for in time.",
         "license": "public domain", "specialty": "general", "plan_types": ["medicaid"],
         "verified": True}
    )  # fmt: skip
    draft = _pdn_draft(D(2026, 10, 28), (RetrievedPassage(passage=rule, score=1.0, rank=1),))
    assert (
        "ask you to reverse the reduction of HCPCS T1000 from 56 to 40 hours per week in your "
        "October 20, 2026 notice." in draft.markdown
    )
    request = split_sections(draft.markdown)[REQUEST]
    assert "whichever is later (November 1, 2026) [1]. This request is made before" in request


def test_a_reduction_letter_restores_the_cut_and_asks_for_continued_benefits() -> None:
    from pipeline.letter_format import REQUEST, split_sections

    draft = _pdn_draft(D(2026, 10, 28))
    assert draft.analysis.service_change is not None
    request = split_sections(draft.markdown)[REQUEST]
    assert "restore the 16 hours per week the notice cut" in request
    assert "from November 1, 2026 through April 30, 2027" in request
    assert "for dates of service" not in request  # not the whole period as if new
    assert "42 CFR 438.420" in request
    assert "before that window closes on November 1, 2026" in request
    late = split_sections(_pdn_draft(D(2026, 11, 20)).markdown)[REQUEST]
    assert "The window to ask for this closed on November 1, 2026" in late


def test_the_cli_warns_loudly_when_the_continuation_window_is_near(capsys, tmp_path) -> None:
    from pipeline.cli import _warn_continuation

    _warn_continuation(_pdn_draft(D(2026, 10, 28)), D(2026, 10, 28))
    assert "WARNING: the window to ask for continued benefits" in capsys.readouterr().err
    _warn_continuation(_pdn_draft(D(2026, 10, 20)), D(2026, 10, 20))
    assert "WARNING" not in capsys.readouterr().err


def test_the_page_names_a_near_or_closed_continuation_window() -> None:
    from pipeline.models import ValidationReport
    from pipeline.web.review import status

    draft = _pdn_draft(D(2026, 10, 28))
    near = status(draft.markdown, draft, ValidationReport(), D(2026, 10, 28)).issues
    issue = next(i for i in near if i.code.startswith("continuation."))
    assert issue.code == "continuation.near" and issue.kind == "weakens"
    assert "42 CFR 438.420" in issue.what and "2026-11-01" in issue.what
    closed = status(draft.markdown, draft, ValidationReport(), D(2026, 11, 5)).issues
    assert any(i.code == "continuation.passed" and i.kind == "blocks" for i in closed)
    early = status(draft.markdown, draft, ValidationReport(), D(2026, 10, 20)).issues
    assert not any(i.code.startswith("continuation.") for i in early)


# --------------------------------------------------------------------------- drug exceptions

from pipeline.models import DenialCategory  # noqa: E402
from pipeline.reasoning.exception import (  # noqa: E402
    drug_exception,
    exception_gaps,
    exception_paragraph,
    exception_spec,
    restriction,
)
from pipeline.reasoning.law import exception_rule  # noqa: E402

NON_FORMULARY = "Eletriptan is not on your plan's formulary. The request is denied."
STEP = "Step therapy applies: the member must first try two preferred triptans."


def _migraine_case(*treatments: dict, summary: str = "") -> CaseFacts:
    return CaseFacts.model_validate(
        {
            "service": {"description": "Eletriptan (Relpax) 40 mg tablets, 12 per 30 days"},
            "prior_treatments": list(treatments),
            "clinical_summary": summary,
        }
    )


def test_the_restriction_is_read_from_the_notice() -> None:
    assert restriction(DenialAnalysis(), NON_FORMULARY) == "non_formulary"
    assert restriction(DenialAnalysis(), STEP) == "step_therapy"
    step = DenialAnalysis(denial_categories=[DenialCategory.step_therapy])
    assert restriction(step, "Denied.") == "step_therapy"
    assert restriction(DenialAnalysis(), "Reduction mammoplasty is cosmetic.") is None


def test_the_exception_rule_fits_the_plan_type_and_the_restriction() -> None:
    aca = exception_rule(PlanType.aca_individual, NON_FORMULARY, "non_formulary")
    assert aca is not None and aca.citation == "45 CFR 156.122(c)"
    assert (aca.standard_hours, aca.expedited_hours) == (72, 24)
    # 156.122(c) is for drugs off the formulary, not for a step on a covered drug
    assert exception_rule(PlanType.aca_individual, STEP, "step_therapy") is None
    part_d = "Medicare Part D coverage determination: " + STEP
    for plan in (PlanType.medicare_advantage, PlanType.medicare):
        rule = exception_rule(plan, part_d, "step_therapy")
        assert rule is not None and rule.citation == "42 CFR 423.578"
        assert rule.supporting_statement
        assert exception_rule(plan, STEP, "step_therapy") is None  # a Part B drug: no Part D
    for plan in (PlanType.erisa, PlanType.medicaid, PlanType.unknown):
        assert exception_rule(plan, NON_FORMULARY, "non_formulary") is None


def test_each_ground_is_answered_from_the_record_and_none_is_asserted_without_it() -> None:
    sumatriptan = {"name": "Sumatriptan", "kind": "medication", "dose": "100 mg",
                   "start": D(2026, 1, 5), "end": D(2026, 4, 1), "duration": "12 weeks",
                   "outcome": "Inadequate response in 3 of 4 attacks"}  # fmt: skip
    case = _migraine_case(
        sumatriptan,
        summary="Dihydroergotamine is contraindicated with her CYP3A4 inhibitor. She is well.",
    )
    found = drug_exception(DenialAnalysis(), case, NON_FORMULARY)
    assert found is not None and found.drug == "eletriptan"
    keys = {g.key: g for g in found.grounds}
    assert set(keys) == {"tried", "contraindicated"}
    assert keys["tried"].facts == (
        "Sumatriptan 100 mg, January 5, 2026 – April 1, 2026 (12 weeks): Inadequate response "
        "in 3 of 4 attacks",
    )
    assert keys["contraindicated"].paths == ("clinical_summary[0]",)
    assert "Expected to be ineffective" in found.unsupported
    assert "Stable on the requested drug" in found.unsupported
    rule = exception_rule(PlanType.aca_individual, NON_FORMULARY, "non_formulary")
    text = exception_paragraph(found, rule, None)
    assert text.startswith("I ask for a formulary exception for eletriptan under 45 CFR")
    assert "within 72 hours of receiving it (24 hours if it is expedited)" in text
    assert "- Contraindicated: Dihydroergotamine is contraindicated" in text
    assert "Stable" not in text and "ineffective" not in text
    assert exception_gaps(found) == []


def test_stable_on_the_requested_drug_is_a_ground_only_when_the_record_says_so() -> None:
    going = {"name": "Eletriptan", "kind": "medication", "dose": "40 mg", "start": D(2026, 2, 1),
             "outcome": "Ongoing; migraine days 12 -> 3 per month"}  # fmt: skip
    found = drug_exception(DenialAnalysis(), _migraine_case(going), NON_FORMULARY)
    assert found is not None and [g.key for g in found.grounds] == ["stable"]
    failed = {**going, "outcome": "Stopped: no benefit", "end": D(2026, 3, 1)}
    found = drug_exception(DenialAnalysis(), _migraine_case(failed), NON_FORMULARY)
    assert found is not None and not found.grounds  # the requested drug's failure is no ground


def test_no_supported_ground_is_a_gap_not_an_assertion() -> None:
    found = drug_exception(DenialAnalysis(), _migraine_case(), STEP)
    assert found is not None and found.grounds == ()
    gaps = exception_gaps(found)
    assert len(gaps) == 1 and gaps[0].field == "prior_treatments"
    text = exception_paragraph(found, None, gaps[0])
    assert text.startswith("I ask for a step-therapy exception for eletriptan under your plan's")
    assert text.endswith(gaps[0].placeholder) and "grounds the record supports" not in text


def test_a_state_statute_is_cited_only_when_the_notice_names_it_unless_verified() -> None:
    texas = next(s for s in exception_spec().states if s.state == "Texas")
    # checked against stored copies of the statute's text (its source says which); a notice
    # that names no regulated plan in Texas still gets no citation of it (below)
    assert texas.verified is True and texas.source
    named = (
        STEP + " A step therapy exception may be requested under Texas Insurance Code 1369.0546."
    )
    found = drug_exception(DenialAnalysis(), _migraine_case(), named)
    assert found is not None and found.statute is texas
    assert "under Tex. Ins. Code § 1369.0546, which your notice names" in exception_paragraph(
        found, None, None
    )
    found = drug_exception(DenialAnalysis(), _migraine_case(), STEP + " Austin, Texas.")
    assert found is not None and found.statute is None


# --------------------------------------------------------------------------- a drug, no code

from pipeline.reasoning.request import drug_gaps, drug_request  # noqa: E402


def _drug_case(description: str, details: str = "Pharmacy benefit") -> CaseFacts:
    return CaseFacts.model_validate(
        {"service": {"code": "Pharmacy benefit (no HCPCS)", "description": description,
                     "details": details}}
    )  # fmt: skip


def test_a_drug_without_a_code_is_requested_with_ndc_quantity_supply_and_period() -> None:
    notice = (
        "PHARMACY PRIOR AUTHORIZATION\n"
        "Drug requested: RISANKIZUMAB-RZAA (SKYRIZI) 180 MG/1.2 ML ON-BODY INJECTOR, "
        "NDC 0074-1070-01, QTY 1 KIT PER 56 DAYS\nYour request is denied.\n"
    )
    case = _drug_case(
        "Risankizumab-rzaa (Skyrizi) 180 mg/1.2 mL on-body injector, every 8 weeks",
        "Pharmacy benefit; maintenance for 12 months",
    )
    text = drug_request(DenialAnalysis(), case, notice)
    assert text == (
        "Risankizumab-rzaa (Skyrizi) 180 mg/1.2 mL on-body injector (NDC 0074-1070-01; "
        "quantity 1 kit per 56 days; a 56-day supply; for 12 months)"
    )
    assert drug_gaps(DenialAnalysis(), case, notice) == []


def test_a_drug_request_invents_no_quantity_and_names_no_revenue_code() -> None:
    case = _drug_case("Apixaban (Eliquis) 5 mg tablets")
    text = drug_request(DenialAnalysis(), case, "Drug: Apixaban 5 mg. Denied: not covered.")
    assert text == "Apixaban (Eliquis) 5 mg tablets"  # nothing the inputs do not state
    gaps = drug_gaps(DenialAnalysis(), case, "Drug: Apixaban 5 mg. Denied: not covered.")
    assert [g.field for g in gaps] == ["service.details"]
    coded = CaseFacts.model_validate({"service": {"code": "J0135", "description": "Adalimumab"}})
    assert drug_request(DenialAnalysis(), coded, "") == ""  # a coded service is not this
    therapy = _drug_case("Home physical therapy visits")
    assert drug_request(DenialAnalysis(), therapy, "") == ""  # no strength: not a drug


def test_the_bundled_code_less_drug_letter_requests_quantity_and_supply() -> None:
    from pipeline.casefile import load_case
    from pipeline.draft import compose
    from pipeline.engines import OfflineEngine
    from pipeline.extract import extract_facts
    from pipeline.letter_format import REQUEST, split_sections

    from .conftest import ROOT

    ex = ROOT / "examples" / "semaglutide-aca"
    text = (ex / "letter.txt").read_text()
    draft = compose(text, extract_facts(text), load_case(ex / "case.yaml"), [], OfflineEngine(),
                    today=D(2026, 11, 20), allow_gaps=True)  # fmt: skip
    request = split_sections(draft.markdown)[REQUEST]
    assert "approve Semaglutide (Ozempic) 2 mg/dose pen-injector (quantity 3 mL per 28 days; " in (
        request
    )
    assert "a 28-day supply)" in request
    assert "I ask for a step-therapy exception for semaglutide under Tex. Ins. Code" in request
    assert "- Tried and failed or not tolerated: Metformin extended-release 2000 mg" in request


def test_strategy_labelled_set_figures() -> None:
    from evals.strategy.measure import measure

    figures = measure()
    assert set(figures) == {"tune", "heldout"}
    for split, f in figures.items():
        for key in ("change_fields", "continuation_rule", "exception_rule", "request_words"):
            assert f[key] >= 0.85, (split, key, f[key])
        assert f["grounds_precision"] == 1.0, split  # a ground is never asserted unsupported


def test_the_tried_ground_lists_the_steps_the_notice_names() -> None:
    from pipeline.casefile import load_case
    from pipeline.extract import extract_facts

    from .conftest import ROOT

    ex = ROOT / "examples" / "semaglutide-aca"
    text = (ex / "letter.txt").read_text()
    found = drug_exception(extract_facts(text), load_case(ex / "case.yaml"), text)
    assert found is not None
    tried = next(g for g in found.grounds if g.key == "tried")
    # metformin and dulaglutide are the preferred alternatives; sitagliptin is not a step
    assert [f.split()[0] for f in tried.facts] == ["Metformin", "Dulaglutide"]


def test_strategy_letters_raise_no_validator_error_of_their_own() -> None:
    """The reduction, continuation and exception paragraphs ground every number and claim, and
    the request keeps each code with its units (the synthetic cases lack an NPI and the
    consequences of denial: those findings are the case's)."""
    from evals.strategy.cases import CASES
    from pipeline.draft import compose
    from pipeline.engines import OfflineEngine
    from pipeline.extract import extract_facts
    from pipeline.validate import validate_markdown

    the_case_s = {"placeholder.left", "npi.missing", "consequences.missing"}
    for sc in (c for c in CASES if c.name in ("home-health-erisa", "step-medicaid-nothing")):
        analysis = extract_facts(sc.letter)
        draft = compose(sc.letter, analysis, CaseFacts.model_validate(sc.case), [],
                        OfflineEngine(), today=sc.today, allow_gaps=True)  # fmt: skip
        report = validate_markdown(draft.markdown, draft)
        errors = [f.code for f in report.errors if f.code not in the_case_s]
        assert errors == [], (sc.name, errors)


# --------------------------------------------------------------------------- computed once


def test_the_ground_and_the_drug_exception_are_computed_once_per_draft(monkeypatch) -> None:
    """The pipeline computes the denial ground's answer and the drug exception once, beside the
    verdicts, and puts them on the ArgumentRequest: the writers, the letter's sections, the gaps
    and the validator read that one result (they were computed two or three times a draft)."""
    from pipeline.casefile import load_case
    from pipeline.engines import OfflineEngine
    from pipeline.ingest import ingest_text
    from pipeline.pipeline import Pipeline
    from pipeline.reasoning import exception, grounds
    from tests.test_reasoning_grounds import NETWORK_NOTICE, NO_SURGEON
    from tests.test_reasoning_grounds import _case as ground_case

    from .conftest import ROOT

    calls = {"exception": 0, "ground": 0}
    reads, ages = exception.restriction, grounds._age

    def restriction(*args, **kwargs):  # runs once per drug_exception computation
        calls["exception"] += 1
        return reads(*args, **kwargs)

    def age(*args, **kwargs):  # runs once per ground answer computed past its selection
        calls["ground"] += 1
        return ages(*args, **kwargs)

    monkeypatch.setattr(exception, "restriction", restriction)
    monkeypatch.setattr(grounds, "_age", age)
    pipeline = Pipeline(OfflineEngine(), k=0)
    ex = ROOT / "examples" / "semaglutide-aca"
    letter = ingest_text((ex / "letter.txt").read_text(), source="test")
    outcome = pipeline.run(letter, load_case(ex / "case.yaml"), today=D(2026, 11, 20),
                           allow_gaps=True)  # fmt: skip
    assert outcome.draft is not None and "step-therapy exception" in outcome.draft.markdown
    assert calls["exception"] == 1, calls
    calls.update(exception=0, ground=0)
    notice = ingest_text(NETWORK_NOTICE, source="test")
    outcome = pipeline.run(notice, ground_case(NO_SURGEON), today=D(2026, 12, 6), allow_gaps=True)
    assert outcome.draft is not None and "240 miles" in outcome.draft.markdown
    assert calls == {"exception": 1, "ground": 1}, calls


# --------------------------------------------------------------------------- concessions


def _concession_case(name: str, conceded: bool = True):
    from evals.strategy.concessions import cases

    cc = next(c for c in cases() if c.name == name)
    if not conceded:
        cc.case = {k: v for k, v in cc.case.items() if k != "conceded"}
    return cc


def _drafted(cc):
    from pipeline.draft import compose
    from pipeline.engines import OfflineEngine
    from pipeline.extract import extract
    from pipeline.ingest import ingest_text

    analysis = extract(ingest_text(cc.letter, source="test"), OfflineEngine())
    return compose(cc.letter, analysis, CaseFacts.model_validate(cc.case), [], OfflineEngine(),
                   today=D(2026, 12, 6), allow_gaps=True)  # fmt: skip


def test_no_exception_is_asked_for_a_criterion_the_plan_called_met_or_the_record_meets() -> None:
    """A case that concedes every criterion (a physician conceding too broadly) gets an
    exception asked only where the criterion is open: never where the plan's findings say MET
    (sub-bullets, a Met? column) and never where the record meets it ('the documentation
    supports', blocks of 90% and 85% against 80%): those are stated as met."""
    from evals.strategy.concessions import asked

    for name, never in (
        ("scs-ma-subbullets", (1, 4)),  # '- MET' sub-bullets
        ("rfa-erisa-table", (1, 2, 3, 4)),  # 'Met?' column Yes; 2 met by the record
        ("sleeve-aca-prose", (1, 3)),  # 'The documentation supports criterion 1'; BMI 41.2
    ):
        draft = _drafted(_concession_case(name))
        for n in never:
            assert not asked(draft.markdown, n, criterion_names(draft.analysis.criteria)), (name, n)
            assert not draft.verdicts[n - 1].conceded, (name, n)
    # an open criterion keeps the physician's concession and its exception
    draft = _drafted(_concession_case("scs-ma-subbullets"))
    assert (
        asked(draft.markdown, 3, criterion_names(draft.analysis.criteria))
        and draft.verdicts[2].conceded
    )


def test_the_opening_asks_for_the_review_of_the_open_criteria_and_never_counts_against() -> None:
    """With criteria still open the opening names the met ones, asks the reviewer to review the
    enclosed records and the record set out for the others, and never counts or calls them not
    met."""
    from evals.strategy.concessions import _AGAINST_RE
    from pipeline.letter_format import IDENTIFICATION, split_sections

    for name in ("pump-medicaid-labels", "scs-ma-subbullets", "sleeve-aca-prose"):
        draft = _drafted(_concession_case(name, conceded=False))
        opening = split_sections(draft.markdown)[IDENTIFICATION].split("\n\n")[0]
        assert not _AGAINST_RE.search(opening), opening
        if any(v.status != "met" and not v.payer_met for v in draft.verdicts):
            assert "I ask that you review" in opening, opening


def test_an_alternative_not_needed_is_not_conceded_argued_or_asked_an_exception_for() -> None:
    """Criteria introduced as alternatives ('at least one of the following', 'one or more of
    the following'): once one is met, a conceded or unshown one gets one line (not relied on,
    and which ones are met), no exception, no gap; the opening names the met ones and says one
    suffices. The same list introduced with 'all of the following' keeps the concession."""
    from evals.strategy.concessions import asked
    from pipeline.letter_format import IDENTIFICATION, split_sections
    from pipeline.reasoning.prompting import verdict_lines

    cc = _concession_case("infusion-site-aca-oneof")
    for lead in ("at least one of the following applies", "one or more of the following apply"):
        cc.letter = re.sub(r"at least one of the following applies|one or more of the "
                           r"following apply", lead, cc.letter)  # fmt: skip
        draft = _drafted(cc)
        assert draft.verdicts is not None
        first = draft.verdicts[0]
        assert (
            first.alternative
            and not first.conceded
            and not asked(draft.markdown, 1, criterion_names(draft.analysis.criteria))
        )
        # one line in the criteria section, not a section of its own
        name = criterion_names(draft.analysis.criteria)[0]
        assert re.search(
            rf"I do not rely on criteri(?:on|a) (?:[^:]* )?{re.escape(name)}\b[^:]*: your policy "
            "needs only one of its listed criteria, and",
            " ".join(draft.markdown.split()),
        )
        assert f"### Criterion {name}" not in draft.markdown
        assert "meets criterion 2." in draft.markdown
        assert not any(g.field.startswith("criteria[0]") for g in draft.gaps)
        opening = split_sections(draft.markdown)[IDENTIFICATION].split("\n\n")[0]
        assert "meets criterion 2" in opening and "your policy needs only" not in opening
    conjunctive = cc.letter.replace(lead, "all of the following apply")
    cc.letter = conjunctive
    draft = _drafted(cc)
    assert draft.verdicts is not None and not any(v.alternative for v in draft.verdicts)
    assert draft.verdicts[0].conceded and asked(
        draft.markdown, 1, criterion_names(draft.analysis.criteria)
    )
    # a model engine is told the same
    from pipeline.engines import OfflineEngine
    from pipeline.extract import extract
    from pipeline.ingest import ingest_text

    oneof = _concession_case("infusion-site-aca-oneof")
    analysis = extract(ingest_text(oneof.letter, source="test"), OfflineEngine())
    from pipeline.reasoning.strategy import strategy

    case = CaseFacts.model_validate(oneof.case)
    lines = verdict_lines(analysis, case, strategy(analysis, case, oneof.letter, D(2026, 12, 6)))
    assert "criterion 1: not relied on" in lines


def test_a_concession_whose_reason_is_the_plans_finding_of_met_is_met_per_the_notice() -> None:
    """'conceded: criterion 1, reason: Plan found diagnosis and duration met' is the plan's
    finding, not the physician's concession: the criterion is met per the notice and no
    exception is asked for it; a concession with a reason of the physician's own stands, and
    'the plan found it not met' is no finding of met."""
    from pipeline.models import CriterionVerdict
    from pipeline.reasoning.strategy import found_met, settle, strategy

    case = CaseFacts.model_validate(
        {
            "conceded": [
                {"criterion": 1, "reason": "Plan found diagnosis and duration met."},
                {"criterion": 2, "reason": "No psychological evaluation exists yet."},
            ]
        }
    )
    criteria = [Criterion(text="Diagnosis for 4 years"), Criterion(text="Psychological evaluation")]
    analysis = DenialAnalysis(criteria=criteria)
    verdicts = [
        CriterionVerdict(index=i, criterion=c, status="unknown", conceded=True)
        for i, c in enumerate(criteria)
    ]
    settled = settle(verdicts, strategy(analysis, case, "", D(2026, 12, 6)))
    assert settled[0].payer_met and not settled[0].conceded
    assert settled[1].conceded and not settled[1].payer_met
    not_met = CaseFacts.model_validate(
        {
            "conceded": [
                {"criterion": 2, "reason": "The plan found criterion 2 not met."},
                {"criterion": 3, "reason": "Met per the notice."},
            ]
        }
    )
    assert found_met(not_met) == frozenset({2})


def test_a_harm_the_record_or_an_enclosed_letter_states_is_the_contraindication_ground() -> None:
    """A step drug the record advises against ('Cardiology advised against triptans'), or one
    an enclosed record's title says is unsafe, is the contraindication ground, not a gap; a
    record that only names the drug is no ground."""
    said = _migraine_case(summary="Her cardiologist advised against triptans after her stent.")
    found = drug_exception(DenialAnalysis(), said, STEP)
    assert found is not None and [g.key for g in found.grounds] == ["contraindicated"]
    assert exception_gaps(found) == []
    title = "Cardiology letter: triptans should not be used (coronary stent 2025)"
    enclosed = CaseFacts.model_validate(
        {**_migraine_case().model_dump(), "documents": [{"title": title}]}
    )
    found = drug_exception(DenialAnalysis(), enclosed, STEP)
    assert found is not None and [g.key for g in found.grounds] == ["contraindicated"]
    assert found.grounds[0].paths == ("documents[0]",)
    plain = CaseFacts.model_validate(
        {**_migraine_case().model_dump(), "documents": [{"title": "Cardiology note"}]}
    )
    found = drug_exception(DenialAnalysis(), plain, STEP)
    assert found is not None and found.grounds == ()


def test_a_harm_stated_of_the_step_drug_the_notice_requires_is_the_contraindication() -> None:
    """'Cardiology advises that ibrutinib be avoided', 'a known adverse effect of ibrutinib':
    a harm the record states of a drug the notice requires first, in a sentence that names it,
    is the contraindication ground (not a [MISSING] gap); the same words about no required drug
    ('to avoid admission') or about the requested drug are no ground."""
    formulary = (
        "Zanubrutinib is not on your plan's formulary. Formulary alternative: ibrutinib "
        "(Imbruvica). The request is denied."
    )

    def found(summary: str) -> list[str]:
        case = CaseFacts.model_validate(
            {
                "service": {"description": "Zanubrutinib (Brukinsa) 80 mg capsules"},
                "clinical_summary": summary,
            }
        )
        result = drug_exception(DenialAnalysis(), case, formulary)
        assert result is not None and result.restriction == "non_formulary"
        return [g.key for g in result.grounds]

    for said in (
        "He has recurrent atrial fibrillation, a known adverse effect of ibrutinib.",
        "His cardiologist advises in writing that ibrutinib be avoided.",
        "Cardiology recommended avoidance of ibrutinib given paroxysmal atrial fibrillation.",
        "Ibrutinib is not advisable given his atrial fibrillation.",
    ):
        assert found(said) == ["contraindicated"], said
    for said in (
        "Treatment aims to avoid another admission.",
        "Zanubrutinib was chosen to avoid interruptions.",
        "He takes apixaban for atrial fibrillation.",
    ):
        assert found(said) == [], said


def test_a_rule_the_physician_accepts_is_met_by_the_request_not_an_exception() -> None:
    """'conceded: criterion 6, reason: Physician accepts the dose limit and revises the request'
    asks no exception: the opening, the table and the section say the request is written to
    meet it; a concession without such a reason still asks for the exception."""
    from evals.strategy.concessions import asked
    from pipeline.letter_format import IDENTIFICATION, split_sections

    cc = _concession_case("pump-medicaid-labels", conceded=False)
    cc.case["conceded"] = [
        {"criterion": 4, "reason": "Physician accepts the requirement and revises the order."},
        {"criterion": 5},
    ]
    draft = _drafted(cc)
    assert draft.verdicts is not None
    education = draft.verdicts[3]
    assert education.accepted and not asked(
        draft.markdown, 4, criterion_names(draft.analysis.criteria)
    )
    opening = split_sections(draft.markdown)[IDENTIFICATION].split("\n\n")[0]
    name = criterion_names(draft.analysis.criteria)[3]  # the notice's own label ('D')
    assert f"I accept criterion {name}, and the request is written to meet it." in opening
    assert "I accept this requirement, and the request below is written to meet it" in (
        " ".join(draft.markdown.split())
    )
    assert (
        asked(draft.markdown, 5, criterion_names(draft.analysis.criteria))
        and not draft.verdicts[4].accepted
    )


def test_a_cut_stated_as_the_number_of_hours_with_its_amounts_in_a_table_row() -> None:
    """'the Plan is REDUCING the number of personal care hours it will pay for', the amounts in
    a before/after table row marked reduced: a reduction with those amounts, from the effective
    date; the row of a service with no change is not read as one."""
    from pipeline.reasoning.change import read_change

    notice = (
        "NOTICE OF ACTION\nDate of notice: October 3, 2026\nThe services authorized for you for "
        "09/01/2026 through 02/28/2027 are changing. The Plan is REDUCING the number of "
        "personal care hours it will pay for. This change takes effect on October 20, 2026.\n\n"
        "| Service | Code | Authorized | Approved from 10/20/26 | Status |\n"
        "|---|---|---|---|---|\n"
        "| Nursing visit | T1030 | 4 visits/month | 4 visits/month | No change |\n"
        "| Personal care | T1019 | 120 units/week (30 hrs) | 72 units/week (18 hrs) | Reduced |\n"
    )
    change = read_change(notice)
    assert change is not None and not change.ends
    assert (change.before, change.after, change.unit, change.per) == (120, 72, "units", "week")
    assert change.effective == D(2026, 10, 20)
    unchanged = notice.replace("The Plan is REDUCING the number of personal care hours it will "
                               "pay for. ", "")  # fmt: skip
    assert read_change(unchanged) is None


def test_a_step_therapy_category_without_a_step_in_the_criteria_is_no_drug_restriction() -> None:
    """Criteria that name no step (a prescriber, a test, a dose) and a line about which product
    will be dispensed make no step-therapy denial, whatever category the reading gave it; a
    criterion counting trials, a preferred alternative, or a notice without criteria does."""
    notice = ("The preferred product will be dispensed unless medical necessity for a "
              "non-preferred product is established.")  # fmt: skip
    criteria = [
        Criterion(text="Prescribed by a pediatric endocrinologist", requirements=[]),
        Criterion(text="Dose not greater than 0.24 mg/kg/week", requirements=[]),
    ]
    step = DenialAnalysis(denial_categories=[DenialCategory.step_therapy], criteria=criteria)
    assert restriction(step, notice) is None
    trials = Criterion(
        text="Trial of 2 preferred agents", requirements=[R("trial_count", "agents", ">=", 2)]
    )
    with_trials = step.model_copy(update={"criteria": [*criteria, trials]})
    assert restriction(with_trials, notice) == "step_therapy"
    named = step.model_copy(update={"preferred_alternatives": ["Genotropin"]})
    assert restriction(named, notice) == "step_therapy"


def test_a_preferred_alternative_is_answered_by_its_class_tried_or_the_reason_not_tried() -> None:
    """Each preferred alternative gets the reason it would fail: a drug of its own class taken
    instead ('propranolol' answered by metoprolol, both beta-adrenergic blockers), or the
    record's reason it was not tried ('venlafaxine was not tried because of hypertension');
    one the record says nothing of stays a gap."""
    from pipeline.draft import alternative_gaps
    from pipeline.extract import extract_facts
    from pipeline.reasoning.alternatives import alternatives

    notice = extract_facts(
        "Coverage of rimegepant is denied. Preferred alternatives on the formulary include "
        "propranolol, amitriptyline, venlafaxine and divalproex. You may appeal within 60 days."
    )
    metoprolol = {
        "name": "Metoprolol succinate",
        "kind": "medication",
        "dose": "100 mg daily",
        "start": D(2025, 1, 10),
        "outcome": "Migraine days unchanged at 10-12",
    }
    case = _case(
        [metoprolol],
        clinical_summary=(
            "Amitriptyline was not tried because of her cardiac disease; venlafaxine was not "
            "tried because of hypertension."
        ),
    )
    found = {a.name: a for a in alternatives(notice, case)}
    assert found["propranolol"].reason is not None
    assert found["propranolol"].reason.startswith("tried already in its class (beta-adrenergic")
    assert "Metoprolol succinate 100 mg daily" in found["propranolol"].reason
    assert "because of her cardiac disease" in (found["amitriptyline"].reason or "")
    assert "because of hypertension" in (found["venlafaxine"].reason or "")
    assert found["divalproex"].reason is None
    (gap,) = alternative_gaps(notice, case)
    assert "divalproex" in gap.message and "propranolol" not in gap.message


def test_a_denial_resting_on_a_record_error_leads_the_letter() -> None:
    """The case says the reviewer read another lesion's report (or a page attached in error):
    the opening names the error in the case's words before any criterion; a case without one
    says nothing of it."""
    from pipeline.letter_format import IDENTIFICATION, split_sections
    from pipeline.reasoning.strategy import Strategy, record_error_sentence, record_errors

    cc = _concession_case("rfa-erisa-table", conceded=False)
    said = ("The reviewer's note cites the medial branch block report of a different patient "
            "dated 2025-02-11.")  # fmt: skip
    cc.case["consequences_of_denial"] = f"He cannot work. {said}"
    draft = _drafted(cc)
    opening = split_sections(draft.markdown)[IDENTIFICATION].split("\n\n")[0]
    # in plain words: what was wrong, the record's own sentence quoted, and what to do
    assert ("Your decision rests on a record error: the review read the wrong patient. The "
            "record states it: \"The reviewer's note cites the medial branch block report of a "
            "different patient") in opening  # fmt: skip
    assert "I ask that you decide this request on the correct record" in opening
    assert opening.index("record error") < opening.index("meets")
    title = "Pathology report (the page faxed in error was another lesion)"
    summary = "Wrong specimen: the reviewer read the 2024 shoulder biopsy."
    case = CaseFacts.model_validate({"documents": [{"title": title}], "clinical_summary": summary})
    assert [p for p, _ in record_errors(case)] == ["clinical_summary[0]", "documents[0]"]
    read = CaseFacts.model_validate(
        {
            "clinical_summary": "The claim was denied after the reviewer read the pathology of "
            "specimen B, a keratosis of the left forearm, rather than specimen A."
        }
    )
    plan = Strategy(ground=None, exception=None, record_errors=record_errors(read), claim=True)
    said = record_error_sentence(plan)
    assert said.startswith("Your decision rests on a record error: the review read the wrong "
                           "specimen. The record states it: \"The claim was denied")  # fmt: skip
    assert said.endswith("I ask that you reprocess the claim on the correct record, set out in "
                         "this letter.")  # fmt: skip
    plain = _drafted(_concession_case("rfa-erisa-table", conceded=False))
    assert "record error" not in plain.markdown


def test_a_pharmacy_or_oral_drug_in_the_cases_words_needs_no_j_code() -> None:
    """The case's own words for the drug decide its benefit: 'pharmacy benefit', or a tablet or
    capsule, is the pharmacy path (quantity and supply, no J-code gap), whatever the notice says
    of other services ('the MRI is a medical benefit service', 'infusion center'); a drug the
    case says is infused stays on the medical benefit."""
    from pipeline.reasoning.quantity import benefit
    from pipeline.reasoning.request import drug_gaps

    notice = (
        "Somatropin is reviewed under the pharmacy benefit. The pituitary MRI and the "
        "stimulation tests are medical benefit services and are not addressed here."
    )
    case = CaseFacts.model_validate(
        {
            "service": {
                "description": "Somatropin daily subcutaneous injection, pharmacy benefit",
                "details": "0.7 mg SC daily, about 21 mg per 30 days, 12 months",
            }
        }
    )
    assert not any(g.field == "service.code" for g in drug_gaps(DenialAnalysis(), case, notice))
    assert benefit("Given at our infusion center.", "Enzalutamide 40 mg capsules") == "pharmacy"
    assert benefit("Reviewed under the medical benefit.", "160 mg (4 tablets) by mouth") == (
        "pharmacy"
    )
    assert benefit("Vedolizumab 300 mg IV at the infusion center.", "300 mg IV every 8 weeks") == (
        "medical"
    )


def test_a_plans_finding_of_met_the_notice_contradicts_is_argued_not_met_per_the_notice() -> None:
    """'Plan found X met' for a criterion the notice itself reads as not met (the case numbers
    its criteria apart from the reading): neither 'met per your notice' nor an exception; the
    criterion is argued from the record."""
    from evals.strategy.concessions import asked

    cc = _concession_case("scs-ma-subbullets", conceded=False)
    cc.case["conceded"] = [{"criterion": 3, "reason": "Plan found the psychiatric criterion met."}]
    draft = _drafted(cc)
    assert draft.verdicts is not None
    third = draft.verdicts[2]
    assert third.criterion.payer_status == "not_met"
    assert (
        not third.payer_met
        and not third.conceded
        and not asked(draft.markdown, 3, criterion_names(draft.analysis.criteria))
    )


def test_a_prior_reaction_or_an_interaction_with_the_step_drug_is_the_contraindication() -> None:
    """A prior adverse reaction to the required drug ('developed rhabdomyolysis on atorvastatin',
    'metformin-associated lactic acidosis') or an interaction with what the patient takes
    ('both potentiate warfarin') stated of the drug the notice requires first is the
    contraindication ground, not a [MISSING] one; the same words of no required drug are none."""
    notice = (
        "Step therapy applies: rosuvastatin is covered after a trial of atorvastatin or "
        "metformin, or warfarin."
    )

    def found(summary: str) -> list[str]:
        case = CaseFacts.model_validate(
            {"service": {"description": "Rosuvastatin 20 mg tablets"}, "clinical_summary": summary}
        )
        result = drug_exception(DenialAnalysis(), case, notice)
        assert result is not None and result.restriction == "step_therapy"
        return [g.key for g in result.grounds]

    for said in (
        "In 2024 he developed rhabdomyolysis with CK 14,200 U/L on atorvastatin 40 mg.",
        "She was admitted with metformin-associated lactic acidosis in 2023.",
        "He takes amiodarone and fluconazole, and both strongly potentiate warfarin.",
        "Warfarin interacts with his rifampin.",
        "His cardiologist advised in writing on 10/31/2026 against atorvastatin.",
    ):
        assert found(said) == ["contraindicated"], said
    for said in (
        "He developed chest pain on exertion in 2024.",
        "She was admitted with pneumonia in 2023.",
        "Ezetimibe interacts with nothing he takes.",
    ):
        assert found(said) == [], said


_TRIAL_ROW = (
    "Trial and failure of metformin for at least 90 days, OR an FDA-labeled contraindication or "
    "intolerance to metformin"
)


def _step_notice() -> tuple[DenialAnalysis, str, CaseFacts]:
    """A drug notice whose criterion asks a trial of metformin first, in a table with no
    'step therapy' words, and a record whose nephrologist advises against metformin."""
    letter = (
        "Individual Marketplace Plan (Affordable Care Act)\nPHARMACY PRIOR AUTHORIZATION\n"
        "Drug requested: Empagliflozin (Jardiance) 10 mg tablets\n\n"
        "| # | Criterion | Finding |\n|---|---|---|\n"
        "| 1 | Diagnosis of type 2 diabetes mellitus | Met |\n"
        f"| 2 | {_TRIAL_ROW} | Not met |\n"
    )
    analysis = DenialAnalysis(
        criteria=[
            Criterion(text="Diagnosis of type 2 diabetes mellitus", payer_status="met"),
            Criterion(
                text=_TRIAL_ROW,
                requirements=[
                    R("trial_count", "metformin", ">=", 1, "trials"),
                    R("duration", "metformin", ">=", 90, "days"),
                ],
                payer_status="not_met",
            ),
        ]
    )
    case = CaseFacts.model_validate(
        {
            "patient": {"name": "Dana Whitfield"},
            "service": {"description": "Empagliflozin (Jardiance) 10 mg tablets once daily"},
            "clinical_summary": "Stage 4 chronic kidney disease, eGFR 26. Her nephrologist "
            "advised in writing on 10/31/2026 against metformin because her eGFR is below 30.",
        }
    )
    return analysis, letter, case


def test_a_criterion_asking_a_trial_of_another_drug_first_is_a_step_whatever_its_words() -> None:
    """A drug notice with no 'step therapy' words whose criterion asks for a trial of another
    drug first is a step-therapy restriction (the exception is asked); the same notice with no
    drug asked for, or a criterion asking a trial of no drug, is not."""
    from pipeline.reasoning.exception import restriction

    analysis, letter, case = _step_notice()
    assert restriction(analysis, letter) is None  # no drug asked for: not a step
    assert restriction(analysis, letter, "empagliflozin") == "step_therapy"
    therapy = DenialAnalysis(
        criteria=[
            Criterion(
                text="Trial and failure of physical therapy for at least 6 weeks",
                requirements=[R("trial_count", "physical therapy", ">=", 1, "trials")],
            )
        ]
    )
    assert restriction(therapy, "Prior authorization denied.", "empagliflozin") is None
    found = drug_exception(analysis, case, letter)
    assert found is not None and [g.key for g in found.grounds] == ["contraindicated"]


def test_a_step_the_record_says_does_not_suit_the_patient_is_conceded_for_the_exception() -> None:
    """'Trial and failure of metformin, OR an FDA-labeled contraindication' with no metformin
    trial and a nephrologist's written advice against it: the trial is not claimed (the
    criterion is conceded, no gap asks for a trial), the section states the harm in the
    record's words and asks for the exception on it; a real trial of metformin leaves the
    criterion met, not conceded."""
    from pipeline.draft import compose
    from pipeline.engines import OfflineEngine
    from pipeline.gaps import requirement_gaps
    from pipeline.reasoning.exception import conceded_gaps
    from pipeline.reasoning.strategy import settle, strategy

    analysis, letter, case = _step_notice()
    plan = strategy(analysis, case, letter, D(2026, 12, 6))
    verdicts = settle(evaluate(analysis, case, as_of=D(2026, 12, 6)), plan)
    step = verdicts[1]
    assert step.conceded and step.status != "met"
    assert step.evidence == ["clinical_summary[1]"]
    assert requirement_gaps(verdicts) == [] and conceded_gaps(analysis, case, verdicts) == []
    draft = compose(letter, analysis, case, [], OfflineEngine(), today=D(2026, 12, 6),
                    allow_gaps=True)  # fmt: skip
    text = " ".join(draft.markdown.split())
    assert "I do not claim the trial this criterion asks for" in text
    assert ("does not suit Ms. Whitfield: her nephrologist advised in writing on October 31, "
            "2026 against metformin") in text  # fmt: skip
    assert "takes a contraindication or intolerance in place of the trial" in text
    assert "I do not dispute criterion 2 and ask for an exception there." in text
    assert "[MISSING: the exception ground" not in text
    metformin = {"name": "Metformin", "kind": "medication", "dose": "1000 mg twice daily",
                 "start": D(2025, 1, 1), "end": D(2025, 9, 1),
                 "outcome": "Inadequate response; HbA1c 8.9%"}  # fmt: skip
    tried = CaseFacts.model_validate({**case.model_dump(), "prior_treatments": [metformin]})
    plan = strategy(analysis, tried, letter, D(2026, 12, 6))
    verdicts = settle(evaluate(analysis, tried, as_of=D(2026, 12, 6)), plan)
    assert verdicts[1].status == "met" and not verdicts[1].conceded


def test_a_conceded_class_step_asks_the_exception_on_the_harm_the_summary_states() -> None:
    """'Trial and failure of, intolerance to, or contraindication to at least two preferred
    long-acting injectable antipsychotic agents (...)', conceded by the case, read with no count
    of trials: the summary's 'I do not consider the risperidone or paliperidone LAIs
    appropriate' is the ground (never '[MISSING: why the required step would be ...]'), the
    section states it, and the harm of switching a regimen the patient just responded to
    ('starting a new medication at discharge ... at risk of relapse') is the stable ground."""
    from pipeline.draft import compose
    from pipeline.engines import OfflineEngine
    from pipeline.reasoning.exception import conceded_gaps

    row = (
        "Trial and failure of, intolerance to, or contraindication to at least two preferred "
        "long-acting injectable antipsychotic agents (aripiprazole monohydrate, paliperidone "
        "palmitate, risperidone microspheres)"
    )
    letter = f"Drug requested: Olanzapine pamoate 405 mg injection\n4. {row} - not met\n"
    analysis = DenialAnalysis(
        criteria=[Criterion(text=row, requirements=[R("threshold", "preferred agents", ">=", 2)])]
    )
    summary = (
        "Oral risperidone gave him severe akathisia in 2023. Because of that akathisia I do not "
        "consider the risperidone or paliperidone LAIs appropriate. He responded to oral "
        "olanzapine during this admission. Starting a new medication at discharge, the "
        "highest-risk period, would put him at risk of relapse."
    )
    case = CaseFacts.model_validate(
        {
            "patient": {"name": "Jordan Reyes"},
            "service": {"description": "Olanzapine pamoate (Zyprexa Relprevv) 405 mg injection"},
            "clinical_summary": summary,
            "conceded": [{"criterion": 1}],
        }
    )
    found = drug_exception(analysis, case, letter)
    assert found is not None and found.restriction == "step_therapy"
    grounds = {g.key: g.facts for g in found.grounds}
    assert "LAIs appropriate" in grounds["contraindicated"][0]
    assert any("risk of relapse" in f for f in grounds["stable"])
    verdicts = evaluate(analysis, case, as_of=D(2026, 12, 6))
    assert verdicts[0].conceded and conceded_gaps(analysis, case, verdicts) == []
    draft = compose(letter, analysis, case, [], OfflineEngine(), today=D(2026, 12, 6),
                    allow_gaps=True)  # fmt: skip
    text = " ".join(draft.markdown.split())
    assert "why the required step would be ineffective or harmful" not in text
    assert "does not suit Mr. Reyes: because of that akathisia I do not consider" in text


def test_a_state_mandate_is_the_first_ground_against_an_exclusion() -> None:
    """An insured Washington plan that excludes a gender-affirming mastectomy as cosmetic, or a
    California HMO that excludes infertility treatment before chemotherapy: the mandate that
    binds the plan leads the opening ('Your denial rests on an exclusion that <state> law does
    not let this plan apply ...'); a self-funded plan, or a denial on medical necessity (no
    exclusion), gets no such ground."""
    from pipeline.reasoning.strategy import mandate_ground, mandate_sentence, strategy
    from tests.test_mandates import (
        CA_HMO,
        WA_INSURED,
        WA_SELF_FUNDED,
        analysis,
        fertility_case,
        gender_case,
    )

    plan = strategy(analysis(), gender_case(), WA_INSURED, D(2026, 12, 6))
    said = mandate_sentence(plan)
    assert said.startswith("Your denial rests on an exclusion that Washington law does not let")
    assert "gender-affirming treatment (RCW 48.43.0128(3)(a)" in said
    plan = strategy(analysis(), fertility_case(), CA_HMO, D(2026, 12, 6))
    assert "California law" in mandate_sentence(plan) and "1374.551" in mandate_sentence(plan)
    assert mandate_ground(analysis(), gender_case(), WA_SELF_FUNDED) is None
    necessity = WA_INSURED.replace(
        "The surgery is excluded as cosmetic.", "Not medically necessary."
    )
    assert mandate_ground(analysis(), gender_case(), necessity) is None


def test_a_conceded_step_asks_the_exception_on_the_harm_of_switching() -> None:
    # The record states that switching now would harm a patient who has just responded: the
    # conceded step's exception rests on it, with no gap; 'once stable on it, I plan ...' alone
    # (no harm of switching) still leaves the gap naming clinical_summary.
    from pipeline.reasoning.exception import conceded_exception
    from pipeline.reasoning.specs import spec_for

    spec = spec_for(["step_therapy"])
    harm = CaseFacts.model_validate(
        {
            "clinical_summary": "He responded to paliperidone palmitate during this admission. "
            "Switching to a different long-acting injectable now would mean starting a new "
            "medication at discharge, the highest-risk period, with a high risk of relapse."
        }
    )
    sentence, gap = conceded_exception(spec, harm)
    # the ground the record states, never 'ineffective or harmful' it does not
    assert gap is None and "would put that response at risk" in sentence
    assert "ineffective" not in sentence and "harmful" not in sentence
    plan_only = CaseFacts.model_validate(
        {
            "clinical_summary": "Once stable on paliperidone palmitate for 4 months, I plan to "
            "move him to the every-3-month formulation."
        }
    )
    sentence, gap = conceded_exception(spec, plan_only)
    assert gap is not None and gap.field == "clinical_summary"


def test_an_allergic_condition_is_no_contraindication_but_an_allergy_to_a_drug_is() -> None:
    # 'seasonal allergic rhinitis' in the history says nothing about the step; 'allergic to
    # methotrexate' and 'Allergies: penicillin' state the ground.
    from pipeline.reasoning.exception import supported

    def said(summary: str) -> tuple[str, ...]:
        return supported("contraindicated", CaseFacts.model_validate({"clinical_summary": summary}))

    assert said("Other history: hypothyroidism and seasonal allergic rhinitis on loratadine.") == ()
    assert said("She is allergic to methotrexate (urticaria and wheeze in 2019).")
    assert said("Allergies: sulfonamides (rash).")


def test_a_contraindication_stated_in_its_own_words_is_the_grounds_only_sentence() -> None:
    # The summary states the contraindication of the required triptan; another sentence tells
    # of an interaction avoided by switching an unrelated drug and names the step: it is no
    # part of the contraindication ground (pasted in beside it, it made the letter claim a
    # contraindication of the switched drug and the validator rejected the letter).
    summary = (
        "Sumatriptan is contraindicated for her because of vasospastic angina. "
        "Her fluoxetine was replaced with bupropion to avoid the sumatriptan interaction."
    )
    found = drug_exception(DenialAnalysis(), _migraine_case(summary=summary), STEP)
    assert found is not None
    (ground,) = [g for g in found.grounds if g.key == "contraindicated"]
    assert ground.facts == ("Sumatriptan is contraindicated for her because of vasospastic angina",)


@pytest.mark.parametrize(
    ("summary", "label"),
    [
        # a practical reason, or a harm the physician expects: no stronger word than that
        ("Rizatriptan is not suitable for her: she lives 68 miles from the pharmacy that "
         "stocks it and cannot make the monthly visits.", "Not suitable for this patient"),
        ("Her cardiologist advised against rizatriptan because of her vasospastic angina.",
         "Not suitable for this patient"),
        # the case's own word, or an allergy, is a contraindication
        ("Rizatriptan is contraindicated with her vasospastic angina.", "Contraindicated"),
        ("Allergy: rizatriptan (hives and lip swelling in 2024).", "Contraindicated"),
        # a reaction the case reports is intolerance, not a contraindication
        ("Rizatriptan was stopped after an adverse reaction (chest tightness) in 2025; it is "
         "not appropriate for her.", "Not tolerated"),
    ],
)  # fmt: skip
def test_a_reason_a_step_does_not_suit_is_labelled_by_what_the_case_says(
    summary: str, label: str
) -> None:
    found = drug_exception(DenialAnalysis(), _migraine_case(summary=summary), STEP + " "
                           "Preferred: rizatriptan, sumatriptan.")  # fmt: skip
    assert found is not None
    harm = [g for g in found.grounds if g.key == "contraindicated"]
    assert [g.label for g in harm] == [label]
    text = exception_paragraph(found, None, None)
    assert f"- {label}: " in text
    if label != "Contraindicated":
        assert "Contraindicated" not in text


def test_mixed_reasons_are_each_labelled_by_their_own_words() -> None:
    summary = (
        "Sumatriptan is contraindicated with her vasospastic angina. Rizatriptan is not "
        "appropriate for her: she lives 68 miles from the only pharmacy stocking it."
    )
    found = drug_exception(DenialAnalysis(), _migraine_case(summary=summary),
                           STEP + " Preferred: rizatriptan, sumatriptan.")  # fmt: skip
    assert found is not None
    harm = {g.label: g.facts for g in found.grounds if g.key == "contraindicated"}
    assert list(harm) == ["Contraindicated", "Not suitable for this patient"]
    said = "Sumatriptan is contraindicated with her vasospastic angina"
    assert harm["Contraindicated"] == (said,)
