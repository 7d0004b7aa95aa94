"""Drug requests (issue 17, pharmacy): a pharmacy-benefit drug is requested by name, strength,
regimen, quantity and period with no CPT/HCPCS placeholder (a medical-benefit drug without its
HCPCS code is a gap naming service.code); a quantity limit is answered with the units the
regimen needs per the limit's period, phase by phase, never with a duration; a state's
step-therapy statute is cited only where the plan is regulated by that state; Part D asks
under 42 CFR 423.578 with its clocks and the supporting statement."""

from __future__ import annotations

import datetime as dt

from pipeline.gaps import find_gaps
from pipeline.models import (
    CaseFacts,
    Criterion,
    DenialAnalysis,
    PlanType,
    RequirementKind,
)
from pipeline.reasoning.exception import (
    drug_exception,
    exception_gaps,
    exception_paragraph,
    exception_strings,
)
from pipeline.reasoning.law import exception_rule
from pipeline.reasoning.quantity import answer, parse_limit, parse_regimen
from pipeline.reasoning.request import drug_gaps, drug_request
from pipeline.reasoning.verdicts import evaluate
from pipeline.requirements import parse_requirements

PEN = "Cosentyx (secukinumab) 150 mg/mL Sensoready pen"
LOADING = "300 mg (2 pens) at weeks 0, 1, 2, 3 and 4, then 300 mg every 4 weeks; 12 months"
QL = "Cosentyx 150 mg/mL pens are limited to 2 pens per 28 days."


def _case(details: str = LOADING, code: str | None = "Cosentyx", summary: str = "") -> CaseFacts:
    return CaseFacts.model_validate(
        {
            "patient": {"name": "Ada Lind"},
            "physician": {"name": "Ines Roa", "credentials": "MD"},
            "service": {"code": code, "description": PEN, "details": details},
            "clinical_summary": summary or "Plaque psoriasis, PASI 16.",
            "prior_treatments": [
                {"name": "Adalimumab-adaz", "kind": "medication", "dose": "40 mg",
                 "frequency": "every other week", "start": dt.date(2024, 1, 8),
                 "end": dt.date(2024, 7, 15), "outcome": "Discontinued for lack of efficacy"},
            ],
        }
    )  # fmt: skip


def _notice(plan: str, tail: str = "") -> str:
    return (
        "PHARMACY PRIOR AUTHORIZATION\n"
        f"Plan: {plan}\n"
        f"Drug requested: {PEN}\n"
        "Step therapy: the member must try and fail a preferred adalimumab product first.\n"
        f"Quantity limit. {QL}\n" + tail
    )


# --------------------------------------------------------------------------- arithmetic


def test_a_loading_phase_is_counted_per_the_limits_period_apart_from_maintenance() -> None:
    limit = parse_limit(QL)
    assert limit is not None and limit.text == "2 pens per 28 days"
    counted = answer(limit, [LOADING], PEN)
    assert counted is not None
    loading, maintenance = counted.rows
    # weeks 0, 1, 2 and 3 fall in days 1-28: 4 doses x 2 pens (300 mg / 150 mg a pen)
    assert (loading.units, loading.first_day, loading.last_day, loading.above) == (8, 1, 28, True)
    assert (maintenance.units, maintenance.last_day, maintenance.above) == (2, None, False)
    assert (
        "8 pens in days 1–28 (loading: 4 doses of 2 pens, at weeks 0, 1, 2 and 3), above "
        "the limit by 6 pens" in counted.sentence()
    )
    assert "maintenance: 2 pens every 4 weeks), within the limit" in counted.sentence()
    assert "loading period only: 8 pens for days 1–28" in counted.ask()


def test_a_single_dose_loading_then_every_two_weeks() -> None:
    limit = parse_limit("The quantity exceeds the plan's quantity limit of 2 pens per 28 days.")
    counted = answer(limit, ["600 mg once as a loading dose, then 300 mg every 2 weeks"],
                     "Dupixent (dupilumab) 300 mg/2 mL prefilled pen")  # fmt: skip
    assert counted is not None
    assert [(r.units, r.above) for r in counted.rows] == [(3, True), (2, False)]


def test_a_regimen_without_phases_and_as_needed_doses_left_out() -> None:
    limit = parse_limit("Nurtec ODT has a quantity limit of 8 tablets per 30 days.")
    counted = answer(limit, ["75 mg every other day, plus 1 tablet as needed; 12 months"],
                     "Nurtec ODT (rimegepant) 75 mg tablet")  # fmt: skip
    assert counted is not None and [(r.units, r.above) for r in counted.rows] == [(15, True)]
    assert counted.ask() == "The exception is for 15 tablets per 30 days."


def test_doses_a_day_are_counted_exactly() -> None:
    limit = parse_limit("Plan limit: 30 tablets per 30 days.")
    counted = answer(limit, ["one tablet three times daily"], "Ondansetron 8 mg tablets")
    assert counted is not None and [r.units for r in counted.rows] == [90]  # not 91


def test_the_limit_is_not_the_quantity_asked_for_on_the_drug_line() -> None:
    notice = (
        "Drug: rizatriptan, 16 tablets per 30 days\n"
        "Rizatriptan is limited to 8 tablets per 30 days."
    )
    limit = parse_limit(notice)
    assert limit is not None and limit.count == 8


def test_an_uncountable_regimen_is_none() -> None:
    assert parse_regimen(["Use as directed; 12 months"], PEN) is None
    # 100 mg is no whole number of 150 mg pens
    assert parse_regimen(["100 mg every 4 weeks"], PEN) is None


# --------------------------------------------------------------------------- the requirement


def test_a_quantity_per_period_is_a_quantity_requirement_never_a_duration() -> None:
    requirements, _ = parse_requirements(
        "Quantity limit of 1 autoinjector per 28 days (28-day supply)."
    )
    assert [(r.kind, r.value, r.unit) for r in requirements] == [
        (RequirementKind.quantity, 1.0, "autoinjector per 28 days")
    ]
    text = f"Quantity limit. {QL}"
    requirements, _ = parse_requirements(text)
    analysis = DenialAnalysis(criteria=[Criterion(text=text, requirements=requirements)])
    verdict = evaluate(analysis, _case())[0].requirements[0]
    assert verdict.status == "not_met" and "(duration)" not in verdict.comparison
    assert (verdict.required, verdict.found.split(";")[0]) == (
        "at most 2 pens per 28 days",
        "8 pens in days 1–28 (loading)",
    )
    unknown = evaluate(analysis, _case("Use as directed"))[0].requirements[0]
    assert unknown.status == "unknown" and unknown.field == "service.details"


# --------------------------------------------------------------------------- the request


def test_a_pharmacy_drug_is_requested_by_regimen_and_quantity_without_a_code_gap() -> None:
    notice = _notice("Hudson Mutual PPO (fully insured)")
    case = _case()
    assert not any(g.field == "service.code" for g in find_gaps(DenialAnalysis(), case))
    text = drug_request(DenialAnalysis(), case, notice)
    assert text.startswith(f"{PEN}, 300 mg (2 pens) at weeks 0, 1, 2, 3 and 4, then 300 mg")
    assert "quantity 8 pens for days 1–28, then 2 pens per 28 days" in text
    assert "for 12 months" in text and "; 12 months" not in text.split("(")[0]
    assert drug_gaps(DenialAnalysis(), case, notice) == []


def test_a_word_in_the_code_field_of_a_service_that_is_no_drug_is_still_a_gap() -> None:
    case = CaseFacts.model_validate(
        {"service": {"code": "MRI", "description": "MRI lumbar spine without contrast"}}
    )
    assert "service.code" in [g.field for g in find_gaps(DenialAnalysis(), case)]


def test_a_medical_benefit_drug_without_its_hcpcs_code_is_a_gap_naming_service_code() -> None:
    notice = "Medical benefit. Place of service: hospital outpatient infusion center.\n"
    case = CaseFacts.model_validate(
        {"service": {"description": "Entyvio (vedolizumab) 300 mg intravenous infusion",
                     "details": "300 mg IV at weeks 0, 2 and 6, then every 8 weeks"}}
    )  # fmt: skip
    gaps = drug_gaps(DenialAnalysis(), case, notice)
    assert [g.field for g in gaps] == ["service.code"] and "HCPCS" in gaps[0].placeholder
    assert drug_request(DenialAnalysis(), case, notice) == ""


def test_an_uncountable_regimen_under_a_quantity_limit_is_a_gap_naming_service_details() -> None:
    found = drug_exception(DenialAnalysis(), _case("Use as directed"), _notice("Plan PPO"))
    assert found is not None and found.quantity_limited and found.counted is None
    assert "service.details" in [g.field for g in exception_gaps(found)]


# --------------------------------------------------------------------------- state law


def test_new_york_statute_by_carrier_and_only_for_a_state_regulated_plan() -> None:
    hmo = _notice("Empire Lakes Gold HMO", "External appeal: New York State Department of "
                  "Financial Services.\n")  # fmt: skip
    found = drug_exception(DenialAnalysis(), _case(), hmo)
    assert found is not None and found.statute is not None
    assert found.statute.citation == "N.Y. Public Health Law § 4903(3-a)"
    insurer = hmo.replace("Empire Lakes Gold HMO", "Hudson Mutual PPO (fully insured)")
    found = drug_exception(DenialAnalysis(), _case(), insurer)
    assert found is not None and found.statute is not None
    assert found.statute.citation == "N.Y. Insurance Law § 4903(c-1)"
    text = exception_paragraph(found, None, None)
    assert "under N.Y. Insurance Law § 4903(c-1), which requires the plan to grant one" in text
    assert "72 hours" in text and "The grounds the record meets under it" in text
    found = drug_exception(DenialAnalysis(), _case(), insurer)
    assert "N.Y. Insurance Law § 4903(c-1)" in exception_strings(found)
    for plan in ("Hudson self-funded employer plan (ERISA)", "Medicare Part D plan"):
        found = drug_exception(
            DenialAnalysis(), _case(), hmo.replace("Empire Lakes Gold HMO", plan)
        )
        assert found is not None and found.statute is None, plan
    medicaid = DenialAnalysis(plan_type=PlanType.medicaid)
    found = drug_exception(medicaid, _case(), hmo)
    assert found is not None and found.statute is None


def test_an_unverified_statute_is_cited_only_when_the_notice_names_it() -> None:
    insured = _notice("Sierra PPO (insured group policy)", "Independent Medical Review: "
                      "California Department of Insurance.\n")  # fmt: skip
    found = drug_exception(DenialAnalysis(), _case(), insured)
    assert found is not None and found.statute is None
    named = insured + "A step therapy exception may be requested under Insurance Code 10123.201.\n"
    found = drug_exception(DenialAnalysis(), _case(), named)
    assert found is not None and found.statute is not None and found.statute_named


# --------------------------------------------------------------------------- both restrictions


def test_step_therapy_and_quantity_limit_each_get_their_exception() -> None:
    found = drug_exception(DenialAnalysis(), _case(), _notice("Plan PPO"))
    assert found is not None and found.restriction == "step_therapy" and found.quantity_limited
    text = exception_paragraph(found, None, None)
    assert text.startswith("I ask for a step-therapy exception")
    assert "I also ask for a quantity-limit exception" in text
    assert "loading period only: 8 pens for days 1–28" in text
    within = _case("300 mg (2 pens) every 4 weeks")
    found = drug_exception(DenialAnalysis(), within, _notice("Plan PPO"))
    assert found is not None
    text = exception_paragraph(found, None, None)
    assert "No quantity-limit exception is needed." in text
    assert "I also ask for a quantity-limit exception" not in text


def _gepant(details: str, summary: str) -> CaseFacts:
    return CaseFacts.model_validate(
        {"service": {"description": "Nurtec ODT (rimegepant) 75 mg tablet", "details": details},
         "clinical_summary": summary}
    )  # fmt: skip


def test_part_d_quantity_limit_under_423_578_with_clocks_and_supporting_statement() -> None:
    notice = ("Medicare Part D coverage determination. Nurtec ODT has a quantity limit of 8 "
              "tablets per 30 days on our formulary.\n")  # fmt: skip
    case = _gepant("75 mg every other day", "Chronic migraine, 16 migraine days a month.")
    analysis = DenialAnalysis(plan_type=PlanType.medicare_advantage)
    found = drug_exception(analysis, case, notice)
    assert found is not None and found.restriction == "quantity_limit"
    rule = exception_rule(analysis.plan_type, notice, found.restriction)
    text = exception_paragraph(found, rule, None)
    assert "under 42 CFR 423.578(b); please decide it within 72 hours" in text
    assert "(24 hours if it is expedited)" in text and "supporting statement" in text
    assert "15 tablets in each 30 days" in text and "above the limit by 7 tablets" in text
    assert found.statute is None


# --------------------------------------------------------------------------- second round


def test_a_phase_that_states_its_length_ends_there() -> None:
    limit = parse_limit("Eliquis 5 mg tablets have a quantity limit of 60 tablets per 30 days.")
    regimen = "10 mg (2 tablets) twice daily for 7 days, then 5 mg (1 tablet) twice daily; 6 months"
    counted = answer(limit, [regimen], "Eliquis (apixaban) 5 mg tablet")
    assert counted is not None
    # 7 days x 2 doses x 2 tablets + 23 days x 2 doses x 1 tablet = 74 in days 1-30
    assert [(r.units, r.above) for r in counted.rows] == [(74, True), (60, False)]
    assert "14 doses of 2 tablets, twice daily on days 1–7" in counted.sentence()
    case = CaseFacts.model_validate(
        {"service": {"description": "Eliquis (apixaban) 5 mg tablet", "details": regimen}}
    )
    text = drug_request(DenialAnalysis(), case, "Part D. limited to 60 tablets per 30 days.")
    assert "for 6 months" in text and "for 7 days)" not in text


def test_the_regimen_is_named_by_its_dose_and_schedule_not_the_details_around_it() -> None:
    details = (
        "Rimegepant 75 mg ODT, 1 tablet every other day (FDA-labeled preventive regimen), "
        "quantity 16 tablets per 30 days (two 8-tablet packs), 30-day supply, refills for 12 months"
    )
    phases = parse_regimen([details], "Nurtec ODT (rimegepant) 75 mg tablet")
    assert phases is not None and [p.text for p in phases] == ["75 mg (1 tablet) every other day"]


def test_a_request_not_named_as_a_drug_takes_the_notices_drug_line() -> None:
    from pipeline.reasoning.request import product_name

    case = CaseFacts.model_validate(
        {"service": {"description": "Part D exception (step therapy and quantity limit) for "
                     "rimegepant (Nurtec ODT) 75 mg for preventive treatment of migraine"}}
    )  # fmt: skip
    notice = "Drug: Nurtec ODT (rimegepant) 75 mg orally disintegrating tablet\nDenied.\n"
    assert (
        product_name(case, notice) == "Nurtec ODT (rimegepant) 75 mg orally disintegrating tablet"
    )


def test_a_criterion_asking_that_the_covered_amount_be_ineffective_is_met_by_the_count() -> None:
    text = (
        "6. Quantity limit exception: requested amount is medically necessary and the covered "
        "amount has been ineffective or is likely to be ineffective"
    )
    requirements, _ = parse_requirements(text)
    criterion = Criterion(
        text=text, requirements=requirements,
        payer_reason="The plan covers up to 8 tablets per 30 days.",
    )  # fmt: skip
    case = CaseFacts.model_validate(
        {"service": {"description": "Nurtec ODT (rimegepant) 75 mg tablet",
                     "details": "75 mg every other day"}}
    )  # fmt: skip
    verdicts = evaluate(DenialAnalysis(criteria=[criterion]), case)[0].requirements
    assert verdicts and all(v.status == "met" for v in verdicts)
    assert "15 tablets per 30 days" in verdicts[0].found
    within = case.model_copy(
        update={"service": case.service.model_copy(update={"details": "75 mg every 4 days"})}
    )
    assert evaluate(DenialAnalysis(criteria=[criterion]), within)[0].requirements[0].status == (
        "not_met"
    )


def test_part_d_notice_offering_a_redetermination_is_answered_by_one_covering_both_rules() -> None:
    notice = (
        "NOTICE OF DENIAL OF MEDICARE PRESCRIPTION DRUG COVERAGE. Part D.\n"
        "Drug: Nurtec ODT (rimegepant) 75 mg tablet\n"
        "Nurtec ODT has step therapy and a quantity limit of 8 tablets per 30 days. You must try "
        "and fail two preventive drugs first. You may ask for a redetermination.\n"
    )
    case = _gepant("75 mg every other day; quantity 16 tablets per 30 days",
                   "Triptans are contraindicated after her coronary stent.")  # fmt: skip
    analysis = DenialAnalysis(plan_type=PlanType.medicare_advantage)
    found = drug_exception(analysis, case, notice)
    assert found is not None and found.appeals == ("redetermination",)
    rule = exception_rule(analysis.plan_type, notice, found.restriction)
    per_quantity = exception_rule(analysis.plan_type, notice, "quantity_limit")
    text = exception_paragraph(found, rule, None, per_quantity)
    assert "I ask for a redetermination of your decision on" in text
    assert "under 42 CFR 423.590" in text and "within 7 days" in text and "(72 hours" in text
    assert "24 hours" not in text and "supporting statement for the exception" in text
    assert "The exception also covers your quantity limit." in text
    assert "I also ask" not in text
    assert "for the 16 tablets per 30 days requested; the regimen's doses alone need 15" in text


def test_codes_the_denial_lists_without_units_take_the_units_the_details_give() -> None:
    from pipeline.models import RequestedService
    from pipeline.reasoning.request import quantity, requested_codes

    details = (
        "J1561 (Gamunex-C, per 500 mg) 160 units (80 g = 1 g/kg at 80.5 kg) per infusion, every "
        "21 days; 96365 x1 and 96366 x4 per infusion day"
    )
    case = CaseFacts.model_validate({"service": {"code": "J1561", "details": details}})
    analysis = DenialAnalysis(
        requested=[RequestedService(code=c, system=s) for c, s in
                   (("J1561", "hcpcs"), ("96365", "cpt"), ("96366", "cpt"))]
    )  # fmt: skip
    assert requested_codes(analysis, case) == [("J1561", 160, []), ("96365", 1, []),
                                               ("96366", 4, [])]  # fmt: skip
    assert quantity("J1561", 160, [details]) == "160 units per infusion, every 21 days"


def test_a_statutes_grounds_stated_as_the_law_are_no_claim_about_the_patient() -> None:
    """The California case has no contraindication: the statute's 'contraindicated' ground,
    stated as what the law grants on, does not fail the claims check."""
    from pathlib import Path

    import yaml

    from pipeline.engines import OfflineEngine
    from pipeline.ingest import ingest_text
    from pipeline.pipeline import Pipeline

    folder = Path(__file__).parent.parent / "evals/pharmacy/cases/dupilumab-ca-hmo"
    data = yaml.safe_load((folder / "case.yaml").read_text())
    data["citations"] = [
        {
            "issuing_body": "FDA",
            "title": "Dupixent prescribing information",
            "year": "2024",
            "recommendation": "Dosing for atopic dermatitis.",
        }
    ]
    letter = ingest_text((folder / "letter.txt").read_text(), "notice")
    draft = Pipeline(OfflineEngine()).draft(
        letter, CaseFacts.model_validate(data), today=dt.date(2026, 12, 6)
    )
    assert "Cal. Health & Safety Code § 1367.206(b)" in draft.markdown
    assert "the required drug is contraindicated" in draft.markdown
    assert draft.validation is not None and draft.validation.ok


def test_a_dose_in_milligrams_is_not_the_units_strength_written_before_it() -> None:
    """'80 mg capsules, 160 mg twice daily': the dose is 160 mg, two 80 mg capsules, so 120
    capsules in 30 days (the strength written first is not the dose)."""
    texts = ["Drugname 80 mg capsules, 160 mg by mouth twice daily, continuous therapy"]
    phases = parse_regimen(texts, "Drugname 80 mg capsules")
    assert phases is not None and phases[0].units == 2
    counted = answer(parse_limit("Quantity limit: 120 capsules per 30 days"), texts,
                     "Drugname 80 mg capsules")  # fmt: skip
    assert counted is not None and "120 capsules" in counted.sentence()


def test_the_period_requested_is_read_from_a_clause_that_says_requested() -> None:
    """'...; 12 months requested; pharmacy benefit' names the period the request covers, as
    '; 12 months' does: the request says 'for 12 months', not only the days' supply."""
    details = "Quantity 2 pens per 28 days; 12 months requested; pharmacy benefit"
    text = drug_request(DenialAnalysis(), _case(details), _notice("Hudson Mutual PPO"))
    assert "for 12 months" in text, text


FILM = "Buprenorphine and naloxone sublingual film 8 mg/2 mg"


def test_a_daily_dose_in_divided_doses_of_films_is_counted_dose_by_dose() -> None:
    # films are a dispensed unit; 'the 24 mg daily dose ... in three divided doses' is one
    # 8 mg film three times a day: 90 films per 30 days against a limit of 60
    limit = parse_limit("Plan quantity limit: 60 films per 30 days (2 films per day)")
    texts = ["The 24 mg daily dose is given in three divided doses."]
    found = answer(limit, texts, FILM)
    assert found is not None
    assert "needs 90 films in each 30 days (regimen: 1 film three times daily)" in found.sentence()
    assert "above the limit by 30 films" in found.sentence()
    # a dose the divisor does not split into whole units is not counted
    assert parse_regimen(["The 20 mg daily dose is given in three divided doses."], FILM) is None


def test_a_regimen_written_as_a_sentence_is_requested_as_counted() -> None:
    from pipeline.reasoning.quantity import regimen_words

    phases = parse_regimen(["The 24 mg daily dose is given in three divided doses."], FILM)
    assert phases is not None
    assert regimen_words(phases, "film") == "1 film three times daily"
    pens = parse_regimen(["300 mg (2 pens) every 4 weeks"], PEN)
    assert pens is not None and regimen_words(pens, "pen") == "300 mg (2 pens) every 4 weeks"
