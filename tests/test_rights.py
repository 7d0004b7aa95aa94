"""The letter around the argument (pipeline.reasoning.rights): the appeal rights that fit the plan
type and this appeal's timing, the urgency and deadlines the case and the notice give, and the
independent-review statistic of the fitting treatment category (or none)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.models import CaseFacts, DenialAnalysis, DenialCategory, PlanType
from pipeline.reasoning import rights
from pipeline.reasoning.plans import all_specs, plan_spec

TODAY = dt.date(2026, 12, 6)
PRE = "PRIOR AUTHORIZATION DENIAL\nWe denied your request for prior authorization.\n"
EOB = "EXPLANATION OF BENEFITS\nThis is not a bill. The claim was denied.\n"


def analysis(plan: PlanType, **kw: object) -> DenialAnalysis:
    return DenialAnalysis(plan_type=plan, letter_date=dt.date(2026, 11, 20), **kw)


def case(**kw: object) -> CaseFacts:
    data: dict[str, object] = {"patient": {"name": "Ana Lee", "date_of_birth": "1970-01-02"}}
    data.update(kw)
    return CaseFacts.model_validate(data)


def basis(a: DenialAnalysis, text: str, c: CaseFacts) -> str:
    return "\n".join(rights.legal_basis(a, text, c, TODAY))


# --------------------------------------------------------------------------- clocks


def test_erisa_clock_follows_the_timing_and_urgency_of_this_appeal() -> None:
    a = analysis(PlanType.erisa)
    pre = basis(a, PRE, case())
    assert "30 days" in pre and "2560.503-1(i)(2)(ii)" in pre and "60 days" not in pre
    post = basis(a, EOB, case())
    assert "claim for care already given" in post and "2560.503-1(i)(2)(iii)" in post
    urgent_case = case(urgency="expedited", urgency_reason="Pain is worsening.")
    urgent = rights.timeline(a, PRE, urgent_case, TODAY)
    assert "72 hours" in urgent and "2560.503-1(i)(2)(i))" in urgent
    # the Request's expedited ask states the urgent clock: the legal basis does not again
    said = basis(a, PRE, urgent_case)
    assert "72 hours" not in said and "30 days" not in said


def test_part_d_notice_gets_the_redetermination_clocks_not_the_ma_ones() -> None:
    text = PRE + "Offered by a Medicare-approved Part D sponsor. Part D plan formulary.\n"
    a = analysis(PlanType.medicare_advantage)
    said = basis(a, text, case())
    assert "redetermination must be decided within 7 days" in said
    assert "42 CFR 423.590(a)" in said and "422.590" not in said
    assert "Part D Independent Review Entity" in said and "without a request" not in said
    assert "422.101" not in said  # MA's own-criteria rule is not a Part D rule
    urgent = rights.timeline(a, text, case(urgency="expedited"), TODAY)
    assert "423.584" in urgent and "72 hours" in urgent


def test_a_part_d_exception_says_it_lasts_the_plan_year_and_asks_about_the_next() -> None:
    text = PRE + "Medicare Part D plan. Your formulary exception request is denied.\n"
    said = basis(analysis(PlanType.medicare_advantage), text, case())
    assert "42 CFR 423.578(c)(4)" in said and "next plan year" in said
    ma = basis(analysis(PlanType.medicare_advantage), PRE + "Medicare Advantage plan.\n", case())
    assert "423.578" not in ma  # a Medicare Advantage medical request has no plan-year rule
    claim = basis(analysis(PlanType.medicare_advantage), EOB + "Medicare Part D plan.\n", case())
    assert "423.578(c)(4)" not in claim  # a payment request approves no refills


def test_medicare_advantage_forwards_to_the_ire_and_limits_internal_criteria() -> None:
    a = analysis(PlanType.medicare_advantage)
    said = basis(a, PRE, case())
    assert "30 days" in said and "422.590(a)" in said
    assert "forward the case to the Independent Review Entity" in said
    assert "422.101(b)(6)" in said and "422.101(b)(2)" in said
    assert "two-midnight" not in said  # no observation in this notice
    stay = case(service={"description": "Inpatient hospital admission for heart failure"})
    paid = basis(a, EOB + "Processed at the outpatient observation level instead.", stay)
    assert "two-midnight" in paid and "412.3(d)(1)" in paid
    assert "60 days" in paid and "422.590(b)" in paid


def test_medicaid_child_gets_epsdt_and_an_adult_does_not() -> None:
    a = analysis(PlanType.medicaid)
    child = case(patient={"name": "Mo Ray", "date_of_birth": "2019-05-09"})
    said = basis(a, PRE, child)
    assert "1396d(r)(5)" in said and "438.210(a)(5)" in said
    assert "a state fair hearing before" in said and "438.408(f)(2)" in said
    assert "438.406(b)(5)" in said
    adult = basis(a, PRE, case())
    assert "EPSDT" not in adult and "1396d(r)(5)" not in adult
    turns_21 = case(patient={"name": "Mo Ray", "date_of_birth": "2005-11-19"})
    assert "EPSDT" not in basis(a, PRE, turns_21)  # 21 on the notice's date


def test_an_unverified_provision_is_never_stated(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = plan_spec(PlanType.medicaid)
    hidden = [p.model_copy(update={"verified": False}) for p in spec.provisions]
    monkeypatch.setattr(
        rights, "spec_for", lambda a, t: spec.model_copy(update={"provisions": hidden})
    )
    child = case(patient={"name": "Mo Ray", "date_of_birth": "2019-05-09"})
    assert "EPSDT" not in basis(analysis(PlanType.medicaid), PRE, child)


def test_the_state_agency_the_notice_names_for_external_review_is_named() -> None:
    text = PRE + (
        "External review. If we uphold our decision you may ask for an independent external "
        "review through the Vermont Department of Financial Regulation. Call the Vermont "
        "Department of Health with questions."
    )
    said = basis(analysis(PlanType.aca_individual), text, case())
    assert "external review through the Vermont Department of Financial Regulation" in said
    federal = basis(analysis(PlanType.erisa), PRE, case())
    assert "independent review organization" in federal and "2590.715-2719" in federal
    assert rights.external_agency("Call the Texas Department of Insurance for help.") is None
    washington = (
        "External review. You may ask for review by an Independent Review Organization. "
        "Information on the IRO process is available from the Washington State Office of the "
        "Insurance Commissioner."
    )
    assert rights.external_agency(washington) == (
        "Washington State Office of the Insurance Commissioner"
    )
    ny = "Ask for an external appeal through the New York State Department of Financial Services."
    assert rights.external_agency(ny) == "New York State Department of Financial Services"


def test_the_state_external_review_law_is_cited_for_insured_coverage_of_that_state_only() -> None:
    ny_insured = PRE + (
        "Hudson Crest Health Plan, regulated by the New York State Department of Financial "
        "Services. You may ask for an external appeal through the New York State Department "
        "of Financial Services."
    )
    said = basis(analysis(PlanType.aca_individual), ny_insured, case())
    assert "(New York Insurance Law Article 49, § 4910)" in said
    # an insured employer plan: the federal sentence, then the state's law that governs it
    tx_group = PRE + "Lone Star Mutual, a fully insured group policy issued in Texas."
    said = basis(analysis(PlanType.erisa), tx_group, case())
    assert "2590.715-2719" in said and "under Texas Insurance Code chapter 4202" in said
    # no federal plan type read: the state's route only, named by its law
    said = basis(analysis(PlanType.unknown), tx_group, case())
    assert "external review by independent reviewers under Texas Insurance Code" in said
    # never for a self-funded plan, whatever state its administrator is in
    self_funded = PRE + (
        "A self-funded plan governed by ERISA, administered in Albany, New York. You may ask "
        "for external review; the New York State Department of Financial Services can help."
    )
    said = basis(analysis(PlanType.erisa), self_funded, case())
    assert "Article 49" not in said and "Insurance Law" not in said
    # nor for Medicaid, nor when the notice places the plan in no state, nor in two
    assert rights.state_review(analysis(PlanType.medicaid), ny_insured) is None
    assert rights.state_review(analysis(PlanType.erisa), PRE + "A fully insured plan.") is None
    both = tx_group + " Claims office: New York State Department of Financial Services."
    assert rights.state_review(analysis(PlanType.erisa), both) is None
    # the validator may ground what the letter states
    strings = rights.rights_strings(analysis(PlanType.erisa), tx_group, case())
    assert "Texas Insurance Code chapter 4202" in strings


# --------------------------------------------------------------------------- urgency


def test_the_scheduled_date_of_the_case_asks_for_a_decision_before_it() -> None:
    c = case(
        urgency_reason="Surgery is scheduled 01/20/2027, six weeks after the last chemo dose.",
        urgency="expedited",
    )
    found = rights.scheduled(c, TODAY)
    assert found == rights.Scheduled(dt.date(2027, 1, 20), "procedure")
    said = rights.timeline(analysis(PlanType.erisa), PRE, c, TODAY)
    assert "could seriously jeopardize the patient's life or health" in said
    assert "(m)(1)(ii)" in said and "scheduled for January 20, 2027" in said
    standard = case(service={"details": "Next infusion is due 01/28/2027 at the clinic."})
    said = rights.timeline(analysis(PlanType.aca_individual), PRE, standard, TODAY)
    assert "next dose is scheduled for January 28, 2027" in said
    assert "up to 30 days" in said and "without taking an extension" in said
    assert "jeopardize" not in said  # a standard case asks for no expedited review


def test_the_date_the_case_says_is_due_outranks_a_window_or_a_period_start() -> None:
    # 'due 01/27/2027 (window 01/20/2027 - 02/03/2027)' beside a period listed from 01/20/2027:
    # the dose is due on the 27th, not on the day its window or the period opens.
    c = case(
        service={
            "details": "every 28 days x 6 doses, 01/20/2027 through 06/06/2027. First "
            "maintenance dose is due 01/27/2027 (label allows +/- 7 days, window "
            "01/20/2027 - 02/03/2027)."
        }
    )
    assert rights.scheduled(c, TODAY) == rights.Scheduled(dt.date(2027, 1, 27), "next dose")


def test_no_urgency_is_invented() -> None:
    past = case(service={"details": "Surgery was scheduled 11/02/2026 and postponed."})
    assert rights.scheduled(past, TODAY) is None
    assert rights.scheduled(case(service={"details": "36 sessions over 6 weeks"}), TODAY) is None
    said = rights.timeline(analysis(PlanType.erisa), PRE, case(), TODAY)
    assert "jeopardize" not in said and "scheduled" not in said
    # a claim already paid for is never expedited
    claim = rights.timeline(analysis(PlanType.erisa), EOB, case(urgency="expedited"), TODAY)
    assert "jeopardize" not in claim


def test_the_notice_deadline_is_stated_when_not_near() -> None:
    a = analysis(PlanType.erisa, appeal_deadline=dt.date(2027, 5, 1))
    assert "by May 1, 2027" in rights.timeline(a, PRE, case(), TODAY)
    near = analysis(PlanType.erisa, appeal_deadline=dt.date(2026, 12, 9))
    assert "2026" not in rights.timeline(near, PRE, case(), TODAY)  # the drafter warns instead


# --------------------------------------------------------------------------- precedent


@pytest.mark.parametrize(
    ("service", "diagnoses", "denials", "expected"),
    [
        ({"code": "30520", "description": "Septoplasty"}, ["J34.2"], [], "Septoplasty"),
        ({"code": "J1561", "description": "Immune globulin"}, ["G61.81"], [], "IVIG Therapy"),
        ({"description": "Rimegepant 75 mg tablets"}, ["G43.009"], [], "Treatment for Migraine"),
        (
            {"code": "J0585", "description": "OnabotulinumtoxinA"},
            ["G43.709"],
            [],
            "Botox Injection",
        ),
        (
            {"code": "A0431", "description": "Rotor-wing air ambulance"},
            ["I63.512"],
            [],
            "Ambulance/Transport",
        ),
        (
            {"code": "48150", "description": "Whipple surgery"},
            ["C25.0"],
            ["out_of_network"],
            "Out-of-Network/Academic Center Referral",
        ),
        (
            {"code": "0120", "description": "Inpatient hospital admission"},
            ["I50.33"],
            ["level_of_care"],
            "Admission",
        ),
        (
            {"code": "27447", "description": "Total knee arthroplasty surgery"},
            ["M17.11"],
            [],
            None,
        ),  # 22%
        ({"code": "69930", "description": "Cochlear implant surgery"}, ["H90.3"], [], None),
        # no subcategory names it: the whole category that contains it (38%)
        (
            {"code": "48150", "description": "Whipple surgery"},
            ["C25.0"],
            ["not_medically_necessary"],
            "Cancer Treatment",
        ),
        ({"code": "22612", "description": "Lumbar fusion"}, ["M43.16"], [], None),  # 7%: no support
        # its subcategory (11%) decides: never its category's better figure
        ({"code": "77522", "description": "Proton treatment delivery"}, ["C61"], [], None),
        (
            {"code": "81415", "description": "Exome sequencing"},
            ["F88"],
            [],
            "Diagnostic Imaging, Screening and Testing",
        ),
        # a cancer patient's genetic test is a test, not cancer treatment
        (
            {"code": "81162", "description": "BRCA1, BRCA2 gene analysis"},
            ["C50.912"],
            [],
            "Diagnostic Imaging, Screening and Testing",
        ),
        (
            {"code": "95805", "description": "Multiple sleep latency test"},
            ["G47.411"],
            [],
            "Sleep Study",
        ),
        ({"code": "77373", "description": "SBRT delivery"}, ["C78.01"], [], "Radiation Oncology"),
        ({"code": "J0135", "description": "Adalimumab"}, ["M05.79"], [], "Arthritis Medications"),
        # hidradenitis: not arthritis, a prescription drug still
        (
            {"code": "J0135", "description": "Adalimumab"},
            ["L73.2"],
            [],
            "Pharmacy/Prescription Drugs",
        ),
        # an orthopedic device: no category said for a kind of care (orthopedic 21%)
        ({"code": "L1843", "description": "Knee orthosis"}, ["M17.11"], [], None),
    ],
)
def test_precedent_names_the_fitting_category_or_none(
    service: dict[str, str], diagnoses: list[str], denials: list[str], expected: str | None
) -> None:
    c = case(service=service, diagnoses=[{"code": d} for d in diagnoses])
    a = analysis(PlanType.erisa, denial_categories=[DenialCategory(d) for d in denials])
    found = rights.precedent_for(a, c)
    assert (found.treatment.split(" (")[0] if found else None) == expected


def test_a_whole_category_figure_is_said_to_be_the_categorys() -> None:
    c = case(
        service={"description": "Seladelpar 10 mg capsule daily"}, diagnoses=[{"code": "K74.3"}]
    )
    found = rights.precedent_for(analysis(PlanType.aca_individual), c)
    assert found is not None and found.whole_category and found.rate >= rights.MIN_RATE
    said = found.sentence()
    assert (
        "in the treatment category that includes this request (Pharmacy/Prescription Drugs)" in said
    )
    assert "2001 to 2016" in said and "Department of Managed Health Care" in said
    paragraph = rights.precedent_paragraph(analysis(PlanType.aca_individual), PRE + "DMHC", c)
    assert paragraph.count("overturned") == 1  # stated once


def test_precedent_is_stated_only_where_californias_review_governs() -> None:
    c = case(service={"code": "30520", "description": "Septoplasty"})
    a = analysis(PlanType.aca_individual)
    home = rights.precedent_paragraph(a, PRE + "Department of Managed Health Care", c)
    assert home.startswith("In California's Independent Medical Review")
    assert "overturned 56% of 27" in home and "2001 to 2015" in home
    assert home.count("overturned") == 1 and "another state" not in home
    assert "56%" in " ".join(rights.rights_strings(a, PRE + "DMHC", c))
    # a plan of another state: another state's figures are no precedent, and none is stated
    other = PRE + "Colorado Division of Insurance"
    assert rights.precedent_paragraph(a, other, c) == ""
    assert "56%" not in " ".join(rights.rights_strings(a, other, c))


@pytest.mark.parametrize(
    ("plan", "notice", "said"),
    [
        (PlanType.medicaid, "Ohio Medicaid managed care plan. State fair hearing.", False),
        (PlanType.medicaid, "Medi-Cal managed care plan, Los Angeles, California.", True),
        (PlanType.erisa, "Self-funded plan of Acme Corp., San Jose, California.", False),
        (PlanType.erisa, "Self-funded plan of Acme Corp., Dayton, Ohio.", False),
        (PlanType.erisa, "A fully insured HMO plan, Oakland, California.", True),
        (PlanType.erisa, "Insured group plan. Department of Managed Health Care.", True),
        # FEHB: OPM's review governs; no federal figure is held, so none is stated
        (
            PlanType.government_or_church,
            "Federal Employees Health Benefits Program plan, Sacramento, California. OPM review.",
            False,
        ),
        (PlanType.government_or_church, "County employee health plan, Fresno, California.", False),
        # Medicare's precedent is its coverage rule, named as binding elsewhere in the letter
        (PlanType.medicare_advantage, "Medicare Advantage HMO, Fresno, California.", False),
        (PlanType.medicare_advantage, "Medicare Advantage HMO, Tulsa, Oklahoma.", False),
        (PlanType.medicare, "Medicare Part B claim, San Diego, California.", False),
        (PlanType.aca_individual, "Covered California individual plan.", True),
        (PlanType.aca_individual, "California Department of Insurance regulated policy.", True),
        (PlanType.aca_individual, "Marketplace plan, Austin, Texas.", False),
        (PlanType.unknown, "Health plan, Oakland, California.", False),
    ],
)
def test_california_imr_figure_is_stated_per_plan_type_by_its_spec(
    plan: PlanType, notice: str, said: bool
) -> None:
    c = case(service={"code": "30520", "description": "Septoplasty"})
    paragraph = rights.precedent_paragraph(analysis(plan), PRE + notice, c)
    assert ("Independent Medical Review" in paragraph) is said
    assert rights.california_plan(analysis(plan), PRE + notice) is said
    assert "another state" not in paragraph


def test_every_plan_types_precedent_rule_is_data() -> None:
    specs = all_specs()
    # only the plan types California's IMR can reach hold a rule, each with the facts it needs
    held = {p for p, s in specs.items() if s.precedent}
    assert held == {PlanType.erisa, PlanType.aca_individual, PlanType.medicaid}
    assert [r.needs for r in specs[PlanType.medicaid].precedent] == [["medi_cal"]]
    assert specs[PlanType.erisa].for_program("ca_dmhc_imr").precedent[0].needs == []
    fehb = specs[PlanType.government_or_church].for_program("fehb")
    assert fehb.key == "fehb" and fehb.precedent == []


def test_no_figure_under_the_floor_for_any_plan() -> None:
    # lumbar fusion: 7% overturned, no support whatever the plan
    c = case(
        service={"code": "22612", "description": "Lumbar fusion"}, diagnoses=[{"code": "M43.16"}]
    )
    for notice in ("Marketplace plan, Austin, Texas.", "Covered California individual plan."):
        assert rights.precedent_paragraph(analysis(PlanType.aca_individual), PRE + notice, c) == ""


def test_a_notice_denying_a_request_is_pre_service_though_its_dates_are_past() -> None:
    # the date the request was received precedes the notice: it is no date of service
    a = analysis(PlanType.medicaid, service_dates=[dt.date(2026, 11, 6)])
    notice = "NOTICE OF ADVERSE BENEFIT DETERMINATION\nServices requested:\n81415 Exome x1\n"
    assert rights.timing(a, notice) == "pre_service"
    assert rights.timing(a, "We have denied the request for trio exome sequencing.") == (
        "pre_service"
    )
    assert rights.timing(a, "NOTICE\n81415 Exome x1\n") == "post_service"


def test_prior_approvals_are_the_cases_own_sentences_and_only_those() -> None:
    c = case(
        service={
            "details": (
                "Infusions of 2 g/kg monthly. The same drug was previously authorized under "
                "approval RX-55-12345 for home use. The 03/02/2026 consult has already been "
                "approved and paid."
            )
        },
        clinical_summary=(
            "The drug is FDA-approved for this use. The admission was never approved or denied. "
            "Treatment will start once approved. Programming needs no prior authorization."
        ),
    )
    found = rights.prior_approvals(c)
    assert found == [
        "The same drug was previously authorized under approval RX-55-12345 for home use.",
        "The March 2, 2026 consult has already been approved and paid.",
    ]
    said = rights.precedent_paragraph(analysis(PlanType.erisa), PRE, c)
    assert said.startswith("The plan's own decisions bear on this request: the same drug")
    assert rights.prior_approvals(case(clinical_summary="Walks 2 blocks.")) == []


def test_urgent_appeal_names_the_concurrent_external_review_only_when_the_notice_does() -> None:
    urgent = case(urgency="expedited")
    notice = (
        PRE
        + "In urgent situations you may ask for an expedited external review at the\n"
        + "same time as your internal appeal."
    )
    said = rights.timeline(analysis(PlanType.erisa), notice, urgent, TODAY)
    assert "expedited external review at the same time" in said and "(b)(4)" in said
    assert "same time" not in rights.timeline(analysis(PlanType.erisa), PRE, urgent, TODAY)
    assert "same time" not in rights.timeline(analysis(PlanType.erisa), notice, case(), TODAY)


def test_ma_physician_may_file_a_pre_service_reconsideration_not_a_payment_one() -> None:
    a = analysis(PlanType.medicare_advantage)
    assert "without being appointed" in basis(a, PRE, case())
    assert "without being appointed" not in basis(a, EOB, case())
    assert "standard pre-service" not in basis(a, PRE, case(urgency="expedited"))


def test_a_date_sooner_than_the_standard_clock_is_said_so() -> None:
    soon = case(service={"details": "Surgery is scheduled for 12/09/2026."})
    said = rights.timeline(analysis(PlanType.aca_individual), PRE, soon, TODAY)
    assert "sooner than the 30 days a standard decision may take" in said
    assert "extension" not in said


def test_a_level_named_by_its_reviewer_is_not_named_twice() -> None:
    text = PRE + "Federal Employees Health Benefits Program brochure."
    said = basis(analysis(PlanType.government_or_church), text, case())
    assert said.count("Office of Personnel Management") == 1


def test_unknown_plan_type_states_only_the_route_its_notice_names() -> None:
    a = analysis(PlanType.unknown)
    assert basis(a, PRE, case()) == ""
    notice = (
        PRE
        + "Ask for an external appeal through the New York State Department of Financial Services."
    )
    said = basis(a, notice, case())
    assert said.startswith(
        "If you uphold the denial, the patient may ask for external review through the New York"
    )
    assert "CFR" not in said and "U.S.C." not in said


def test_a_governmental_plan_clock_cites_no_erisa_rule() -> None:
    # a non-federal governmental plan is not an ERISA plan: the validator rejects ERISA law in
    # its letter unless the notice names it; its clocks come through 45 CFR 147.136(b)(2)(i)
    said = basis(analysis(PlanType.government_or_church), PRE, case())
    assert "30 days of its receipt (45 CFR 147.136(b)(2)(i))" in said
    assert "2560.503-1" not in said


@pytest.mark.parametrize(
    ("text", "urgency", "clock"),
    [
        (EOB + "Health Insurance Marketplace plan.", "standard", "60 days"),
        (PRE + "Health Insurance Marketplace plan.", "standard", "30 days"),
        (PRE + "Health Insurance Marketplace plan.", "expedited", "72 hours"),
    ],
)
def test_an_individual_plan_clock_is_the_one_of_its_timing_under_45_cfr_147_136(
    text: str, urgency: str, clock: str
) -> None:
    # 45 CFR 147.136(b)(3)(i) applies the federal claims rule's clocks to an individual issuer
    # (one level of appeal: 30 days pre-service, 60 days post-service, 72 hours urgent); the
    # letter cites that paragraph, never 29 CFR 2560.503-1 itself (no ERISA plan)
    said = basis(analysis(PlanType.aca_individual), text, case(urgency=urgency))
    ask = rights.timeline(analysis(PlanType.aca_individual), text, case(urgency=urgency), TODAY)
    # the clock is said once: the urgent one in the Request's expedited ask, else the basis
    where, other = (ask, said) if urgency == "expedited" else (said, ask)
    assert f"within {clock} of its receipt (45 CFR 147.136(b)(3)(i))" in where
    assert f"within {clock}" not in other
    assert "2560.503-1" not in said
    records = "(45 CFR 147.136(b)(3)(i), (b)(3)(ii)(C))"
    assert records in said
    if urgency == "expedited":
        assert "attending provider's determination" in ask and "(b)(3)(ii)(B)" in ask


def test_a_claim_document_for_past_dates_is_post_service_whatever_request_it_mentions() -> None:
    # an EOB whose narrative mentions the recertification request it received, or the prior
    # authorization of an earlier period, still denies a claim for care already given: the
    # letter owes it the post-service clock (60 days under 45 CFR 147.136(b)(3)(i))
    past = analysis(PlanType.aca_individual, service_dates=[dt.date(2026, 10, 9)])
    eob = EOB + "CARC CO-50. The recertification request received 10/14/2026 lacked measurements.\n"
    assert rights.timing(past, eob) == "post_service"
    assert "within 60 days of its receipt" in basis(past, eob, case())
    labelled = "Notice of Adverse Benefit Determination (Post-Service Claim)\nPrior authorization"
    assert rights.timing(analysis(PlanType.aca_individual), labelled) == "post_service"
    # a prior-authorization denial stays pre-service, and so does an EOB for a future date
    assert rights.timing(past, PRE + "Request received 10/14/2026.") == "pre_service"
    future = analysis(PlanType.aca_individual, service_dates=[dt.date(2027, 1, 9)])
    assert rights.timing(future, eob) == "pre_service"


def test_a_date_of_the_care_the_service_details_list_is_a_planned_date() -> None:
    details = (
        "Authorization requested through 06/30/2027. Stage 1 (inpatient, 01/14/2027, 1-day "
        "admission); stage 2 outpatient 01/28/2027."
    )
    c = case(service={"description": "Deep brain stimulation", "details": details})
    due = rights.scheduled(c, TODAY)
    assert due is not None and due.day == dt.date(2027, 1, 14) and due.said == "planned"
    said = rights.timeline(analysis(PlanType.erisa), PRE, c, TODAY)
    assert "is planned for January 14, 2027" in said and "before January 14, 2027" in said
    # the end of a range alone is no date of the care
    ends = case(service={"description": "Home oxygen", "details": "Rental through 06/30/2027."})
    assert rights.scheduled(ends, TODAY) is None


def test_with_no_deadline_in_the_notice_the_plan_types_window_gives_it() -> None:
    fehb = PRE + "Federal Employees Health Benefits plan."
    said = rights.timeline(analysis(PlanType.government_or_church), fehb, case(), TODAY)
    # 6 months from the November 20, 2026 notice (5 CFR 890.105)
    assert "within the 6 months from the notice that 5 CFR 890.105 allows (by May 20, 2027)" in said
    assert "2027-05-20" in rights.rights_strings(
        analysis(PlanType.government_or_church), fehb, case()
    )
    noticed = analysis(PlanType.erisa, appeal_deadline=dt.date(2027, 5, 19))
    assert "the time your notice allows (by May 19, 2027)" in rights.timeline(
        noticed, PRE, case(), TODAY
    )


def test_a_claim_for_past_dates_that_also_names_a_session_to_come_gets_both_clocks() -> None:
    text = EOB + "Dates of service 10/06/2026 and 10/20/2026. Session 3 on 12/15/2026 is pending.\n"
    a = DenialAnalysis(
        plan_type=PlanType.erisa,
        letter_date=dt.date(2026, 11, 20),
        service_dates=[dt.date(2026, 10, 6), dt.date(2026, 10, 20), dt.date(2026, 12, 15)],
    )
    assert rights.timing(a, text) == "post_service"
    said = basis(a, text, case())
    assert "As a claim for care already given" in said and "60 days of its receipt" in said
    assert "care not yet given that this letter also asks you to approve" in said
    assert "within 30 days of receipt (29 CFR 2560.503-1(i)(2)(ii))" in said
    only_past = basis(a.model_copy(update={"service_dates": a.service_dates[:2]}), EOB, case())
    assert "care not yet given" not in only_past


@pytest.mark.parametrize(
    ("plan", "citation"),
    [(PlanType.medicare_advantage, "42 CFR 422.584(c)(2)(ii)"), (PlanType.medicaid, "438.410(a)")],
)
def test_a_notice_that_would_not_expedite_is_answered_under_the_plan_types_rule(
    plan: PlanType, citation: str
) -> None:
    text = PRE + (
        "You asked for a fast decision. We processed your request as a standard request "
        "because the device was already dispensed.\n"
    )
    urgent = case(urgency="expedited", urgency_reason="Stopping the device now risks harm.")
    assert citation in basis(analysis(plan), text, urgent)
    assert citation not in basis(analysis(plan), PRE, urgent)  # the notice said no such thing
    assert citation not in basis(analysis(plan), text, case())  # the physician asks no speed


def test_a_medicaid_provider_appeal_says_the_consent_is_enclosed_only_when_it_is() -> None:
    a = analysis(PlanType.medicaid)
    none = basis(a, PRE, case())
    assert "42 CFR 438.402(c)(1)(ii)" in none and "not yet enclosed" in none
    other = basis(a, PRE, case(documents=[{"title": "Pre-test counseling and consent note"}]))
    assert "not yet enclosed" in other  # a test's consent is no consent to appeal
    signed = basis(a, PRE, case(documents=[{"title": "Patient consent to file appeal"}]))
    assert "written consent, which is enclosed" in signed and "not yet enclosed" not in signed
    # the title an office writes ('Written consent of <patient> for provider to appeal ...')
    titled = case(documents=[{"title": "Written consent of Ann B. Lee for provider to appeal"}])
    assert "written consent, which is enclosed" in basis(a, PRE, titled)


def test_an_fehb_letter_puts_the_evidence_in_for_opm_and_tricare_does_not_say_so() -> None:
    fehb = PRE + "Federal Employees Health Benefits (FEHB) brochure, Section 8.\n"
    assert "5 CFR 890.107" in basis(analysis(PlanType.government_or_church), fehb, case())
    tricare = PRE + "TRICARE Prime. You may request reconsideration.\n"
    assert "890.107" not in basis(analysis(PlanType.government_or_church), tricare, case())


@pytest.mark.parametrize(
    ("plan", "citation"),
    [
        (PlanType.erisa, "29 U.S.C. 1185a(a)(8)"),
        (PlanType.government_or_church, "42 U.S.C. 300gg-26(a)(8)"),
        (PlanType.aca_individual, "42 U.S.C. 300gg-26(a)(8)"),
    ],
)
def test_a_mental_health_benefit_asks_for_the_parity_criteria_and_analysis(
    plan: PlanType, citation: str
) -> None:
    php = case(service={"code": "H0035", "description": "Eating disorder partial hospitalization"})
    assert citation in basis(analysis(plan), PRE, php)
    knee = case(service={"code": "27447", "description": "Total knee arthroplasty"})
    assert "comparative analysis" not in basis(analysis(plan), PRE, knee)


def test_an_erisa_notice_naming_an_authorized_representative_gets_the_designation_rule() -> None:
    text = PRE + "You may appoint an authorized representative to appeal for you.\n"
    said = basis(analysis(PlanType.erisa), text, case())
    assert "29 CFR 2560.503-1(b)(4)" in said and "not yet enclosed" in said
    assert "(b)(4)" not in basis(analysis(PlanType.erisa), PRE, case())


def test_a_medicare_advantage_payment_request_names_who_files_it() -> None:
    said = basis(analysis(PlanType.medicare_advantage), EOB + "Medicare Advantage plan.\n", case())
    assert "appoints in writing, for example on form CMS-1696 (42 CFR 422.578)" in said
    assert "without being appointed" not in said  # the physician's filing is pre-service only
    pre = basis(analysis(PlanType.medicare_advantage), PRE + "Medicare Advantage plan.\n", case())
    assert "CMS-1696" not in pre


def test_a_late_appeal_states_the_stay_that_fell_within_the_filing_window() -> None:
    a = analysis(PlanType.erisa, appeal_deadline=dt.date(2026, 11, 30))
    in_summary = case(clinical_summary="COPD. He was hospitalized at Mercy General from "
                      "10/02/2026 to 10/19/2026 and then at Pine Ridge skilled nursing facility "
                      "until 12/01/2026. He is now home.")  # fmt: skip
    said = rights.late_filing(a, PRE, in_summary)
    assert said.startswith(
        "During the filing window (November 20, 2026 to November 30, 2026): He was hospitalized "
        "at Mercy General from October 2, 2026 to October 19, 2026"
    )
    in_title = case(documents=[{"title": "Skilled nursing facility discharge summary",
                                "date": "2026-10-19", "end": "2026-12-01"}])  # fmt: skip
    said = rights.late_filing(a, PRE, in_title)
    shown = "the enclosed record shows: Skilled nursing facility discharge summary (October 19, "
    assert shown in said
    # a stay outside the window is no reason; nothing is said of it
    before = case(clinical_summary="He was hospitalized from 03/02/2026 to 03/09/2026.")
    assert "During the filing window" not in rights.late_filing(a, PRE, before)
    # the case's own sentence on why it is late still leads
    own = case(clinical_summary="The appeal was not filed in time because the notice went to "
               "an old address. He was admitted 11/21/2026.")  # fmt: skip
    assert rights.late_filing(a, PRE, own).startswith("The reason it is late: the appeal was")


def test_a_request_denied_before_the_service_and_given_since_is_post_service() -> None:
    # the notice denied a prior authorization; the case says the care was given after it
    # ('performed 11/24/2026', 'delivered ...'): the appeal asks for its payment, on the
    # post-service clock (60 days under 45 CFR 147.136(b)(3)(i)), never the pre-service one
    a = analysis(PlanType.aca_individual)
    given = case(service={"code": "72148", "details": "72148 x1, performed 11/24/2026 (completed)"})
    assert rights.timing(a, PRE) == "pre_service"  # the notice alone
    assert rights.timing(a, PRE, given, TODAY) == "post_service"
    assert "within 60 days of its receipt" in basis(a, PRE, given)
    assert "within 30 days" not in basis(a, PRE, given)
    # a date planned, a date before the notice (history: an induction before a maintenance
    # request) or a date after the letter's is no care given since the denial
    for details in (
        "72148 x1, planned 01/12/2027",
        "maintenance every 8 weeks after the induction given 09/08/2026",
        f"to be performed {(TODAY + dt.timedelta(days=3)).strftime('%m/%d/%Y')}",
    ):
        other = case(service={"code": "72148", "details": details})
        assert rights.timing(a, PRE, other, TODAY) == "pre_service", details


def test_care_still_to_be_given_within_the_window_is_no_care_given() -> None:
    # review38 F13: future or conditional wording with a date between the notice and the letter
    # ('to be performed on ... if approved') is a planned service, so the appeal stays pre-service
    a = analysis(PlanType.aca_individual)
    day = (TODAY - dt.timedelta(days=3)).strftime("%m/%d/%Y")
    for details in (
        f"MRI to be performed on {day} if approved",
        f"Radiation: 28 fractions, to be delivered daily starting {day}",
        f"Surgery scheduled; will be performed {day} pending authorization",
        f"Infliximab 5 mg/kg given every 8 weeks starting {day} once approved",
    ):
        planned = case(service={"code": "72148", "details": details})
        assert rights.timing(a, PRE, planned, TODAY) == "pre_service", details
    done = case(service={"code": "72148", "details": f"72148 x1, performed {day}"})
    assert rights.timing(a, PRE, done, TODAY) == "post_service"
