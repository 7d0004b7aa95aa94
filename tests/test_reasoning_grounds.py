"""Denial grounds whose argument is not "each criterion met" (issue 17, grounds round): the
notice's words select the ground (network adequacy, site of care, inpatient vs observation,
transport); the letter states what the notice concedes and does not argue it, argues the ground
from the case's own sentences under the rule that fits the plan type, asks for what was denied
(not what was approved) for the period the case needs, and names the missing fact as a gap."""

from __future__ import annotations

import datetime as dt

from pipeline.draft import code_label, compose
from pipeline.engines import OfflineEngine
from pipeline.engines.base import ArgumentRequest
from pipeline.extract import extract_facts, find_requested
from pipeline.grounds import read_ground
from pipeline.letter_format import CRITERIA, IDENTIFICATION, REQUEST, split_sections
from pipeline.models import (
    CaseFacts,
    Concession,
    Criterion,
    DenialAnalysis,
    DenialCategory,
    DenialGround,
    GroundKind,
    PlanType,
)
from pipeline.reasoning.argument import argue
from pipeline.reasoning.grounds import answer, owns, section, select, substitute
from pipeline.reasoning.request import administrations, case_period
from pipeline.reasoning.verdicts import evaluate

TODAY = dt.date(2026, 12, 6)

NETWORK_NOTICE = (
    "Hollow Creek Health - Medicaid managed care plan\nDate: November 20, 2026\n"
    "Member ID: HC-1102\nServices reviewed:\n"
    "  99204  Office consultation, pediatric urology        APPROVED\n"
    "  54304  Hypospadias repair, first stage                DENIED\n"
    "Requested authorization period: 10/01/2026 - 11/15/2026\n"
    "The requested surgery is medically necessary. The requesting surgeon is non-participating, "
    "and participating urologists are available to provide this service.\n"
)


def _case(
    summary: str | None,
    *,
    born: dt.date = dt.date(2019, 4, 1),
    details: str | None = None,
    description: str = "Hypospadias repair, first stage",
    code: str = "54304",
) -> CaseFacts:
    return CaseFacts.model_validate(
        {
            "patient": {"name": "Eli Moss", "date_of_birth": born},
            "physician": {"name": "Ana Ruiz", "credentials": "MD", "npi": "1234567893"},
            "service": {"code": code, "description": description, "details": details},
            "clinical_summary": summary,
        }
    )


NO_SURGEON = (
    "Proximal hypospadias with chordee. The in-network urologists in the region treat adults and "
    "do not perform pediatric hypospadias repair. The nearest in-network pediatric urologist is "
    "240 miles away."
)


def _draft(notice: str, case: CaseFacts, today: dt.date = TODAY):
    analysis = extract_facts(notice)
    return compose(notice, analysis, case, [], OfflineEngine(), today=today, allow_gaps=True)


def _with_read_ground(notice: str) -> DenialAnalysis:
    """The rules' facts with the notice's ground, as extraction reads them."""
    return extract_facts(notice).model_copy(update={"ground": read_ground(notice)})


def _read(text: str, ground: DenialGround | None = None) -> tuple[str, tuple[str, ...]] | None:
    found = select(DenialAnalysis(ground=ground), text)
    return (found.spec.key, found.concedes) if found else None


def test_the_notices_words_select_the_ground_and_what_it_concedes():
    assert _read(NETWORK_NOTICE) == ("network", ("medical_necessity",))
    # network words in boilerplate are no ground; a denial saying 'not medically necessary'
    # concedes nothing
    assert _read("Knee replacement is not medically necessary. If you see an out-of-network "
                 "provider, your costs may be higher.") is None  # fmt: skip
    site = _read(
        "Site of care review: the drug is approved. Infusion in the hospital outpatient "
        "department is not medically necessary; home infusion is available."
    )
    assert site == ("site_of_care", ("drug_approved",))
    assert _read("Inpatient admission denied; the care can be provided in observation "
                 "status.") == ("inpatient_level", ())  # fmt: skip
    # the transport ground is the reading's (DenialAnalysis.ground), as every extraction reads it
    air = "A0431 air ambulance: ground ambulance transport would have been sufficient."
    assert _read(air, read_ground(air)) == ("transport", ())
    assert _read("[ ] Out of network; non-participating provider\n[X] Not medically "
                 "necessary") is None  # an unchecked box is not read  # fmt: skip


def test_the_extracted_kind_selects_the_ground_its_words_refine_it():
    prose = "Care by a provider outside the plan is not covered; see Section 4."
    assert _read(prose) is None  # the words alone do not reach the threshold
    network = DenialGround(kind=GroundKind.network_adequacy, statement=prose,
                           necessity_conceded=True)  # fmt: skip
    assert _read(prose, network) == ("network", ("medical_necessity",))
    # a level-of-care reading is inpatient vs observation only when the notice says so
    snf = DenialGround(kind=GroundKind.level_of_care, statement="A skilled nursing facility "
                       "can meet the member's needs.")  # fmt: skip
    assert _read("A skilled nursing facility can meet the member's needs.", snf) is None
    said = "Inpatient admission denied; observation status is appropriate."
    assert _read(said, snf.model_copy(update={"statement": said})) == ("inpatient_level", ())
    # a kind no ground answers does not let another kind's words select one
    excluded = DenialGround(kind=GroundKind.benefit_exclusion, statement="excluded")
    assert _read(NETWORK_NOTICE, excluded) is None


def test_network_denial_argues_that_no_in_network_provider_can_and_concedes_necessity():
    draft = _draft(NETWORK_NOTICE, _case(NO_SURGEON, details="within 60 days of approval"))
    sections = split_sections(draft.markdown)
    argued = sections[CRITERIA]
    assert "accepts that hypospadias repair, first stage is medically necessary" in argued
    assert "do not perform pediatric hypospadias repair" in argued
    assert "240 miles away" in argued
    assert "42 CFR 438.206(b)(4)" in argued
    assert "1396d(r)(5)" in argued  # a Medicaid child: EPSDT
    request = sections[REQUEST]
    assert "CPT 54304" in request and "99204" not in request  # the approved consult is not asked
    assert "in-network level of cost sharing" in request
    assert "within 60 days of your approval" in request  # the notice's period has passed
    assert "October 1, 2026" not in request and "November 15, 2026" not in request
    assert "clinical_summary" not in {g.field for g in draft.gaps}
    assert "citations" not in {g.field for g in draft.gaps}  # no clinical argument is made


def test_the_opening_says_what_the_appeal_turns_on_and_claims_only_what_the_record_shows():
    shown = split_sections(_draft(NETWORK_NOTICE, _case(NO_SURGEON)).markdown)
    assert "my records show that none can" in shown[IDENTIFICATION]
    lacking = split_sections(_draft(NETWORK_NOTICE, _case("Hypospadias.")).markdown)
    assert "turns on whether a provider in your network" in lacking[IDENTIFICATION]
    assert "none can" not in lacking[IDENTIFICATION]


def test_the_rule_fits_the_plan_type_and_the_patients_age():
    notice = NETWORK_NOTICE.replace("Medicaid managed care plan", "Marketplace individual plan "
                                    "(Affordable Care Act)")  # fmt: skip
    argued = split_sections(_draft(notice, _case(NO_SURGEON)).markdown)[CRITERIA]
    assert "45 CFR 156.230" in argued and "438.206" not in argued and "1396d" not in argued
    adult = split_sections(_draft(NETWORK_NOTICE, _case(NO_SURGEON, born=dt.date(1980, 1, 1)))
                           .markdown)[CRITERIA]  # fmt: skip
    assert "438.206(b)(4)" in adult and "1396d(r)(5)" not in adult  # EPSDT is for under 21


def test_without_the_fact_the_ground_needs_the_letter_has_a_gap_not_an_assertion():
    draft = _draft(NETWORK_NOTICE, _case("Proximal hypospadias with chordee."))
    gaps = {g.field: g for g in draft.gaps}
    assert "clinical_summary" in gaps and "in-network" in gaps["clinical_summary"].message
    argued = split_sections(draft.markdown)[CRITERIA]
    # the gap is the physician's (listed with its field), not a placeholder in the argument,
    # and the ground's claim is not asserted without its fact
    assert "[MISSING" not in argued
    assert "none can" not in argued and "No provider in your network" not in argued
    # the written summary stays: the gap is for the ground's fact, not the summary
    assert "Proximal hypospadias with chordee." in draft.markdown
    # and a passed period with no period in the case is a gap too, not the old dates
    assert "service.details" in gaps
    assert "November 15, 2026" not in split_sections(draft.markdown)[REQUEST]


def test_a_criterion_the_ground_answers_is_not_argued_as_met():
    ground = DenialGround(kind=GroundKind.network_adequacy, statement="not in our network")
    continuity = Criterion(text="Continuity of care criteria are not met: no established "
                           "treatment relationship with the requesting provider.")  # fmt: skip
    analysis = DenialAnalysis(plan_type=PlanType.medicaid, criteria=[continuity], ground=ground)
    assert owns(analysis, continuity.text)
    assert not owns(analysis, "At least 3 months of physical therapy")
    assert not owns(DenialAnalysis(), continuity.text)  # no network ground: argued as usual
    by_category = DenialAnalysis(denial_categories=[DenialCategory.out_of_network])
    assert owns(by_category, continuity.text)
    verdict = evaluate(analysis, _case(NO_SURGEON))[0]
    assert verdict.conceded and verdict.status != "met"


def test_site_of_care_asks_for_the_site_and_rests_on_the_patients_reactions():
    notice = (
        "Cobalt Benefits, claims administrator for an ERISA plan\nDate: October 28, 2026\n"
        "Request: vedolizumab (J3380) infusion at the hospital outpatient department.\nSite of "
        "care review: the drug is approved; administration in a hospital outpatient setting is "
        "not medically necessary. Home infusion is approved.\n"
    )
    case = _case(
        "Ulcerative colitis. She had an infusion reaction with bronchospasm on her "
        "second dose and needs monitoring by staff able to manage it.",
        description="Vedolizumab infusion",
        code="J3380",
        details="Hospital outpatient infusion center; every 8 weeks",
    )
    sections = split_sections(_draft(notice, case, dt.date(2026, 11, 2)).markdown)
    assert "bronchospasm" in sections[CRITERIA]
    assert "does not dispute the treatment itself" in sections[CRITERIA]
    assert "given at the hospital outpatient infusion center," in sections[REQUEST]


def test_inpatient_under_medicare_advantage_states_the_two_midnight_rule_and_the_stay():
    notice = (
        "Silverline Medicare Advantage (HMO)\nExplanation of payment\nDate: November 12, 2026\n"
        "Claim number: SL-77\nDates of service: 10/03/2026 - 10/06/2026\nThe inpatient "
        "admission did not meet inpatient criteria; payable at the observation level only.\n"
    )
    case = _case("I expected at least two midnights of IV diuresis.",
                 description="Inpatient admission for heart failure", code="")  # fmt: skip
    case = case.model_copy(update={"service": case.service.model_copy(update={"code": None})})
    sections = split_sections(_draft(notice, case, dt.date(2026, 11, 20)).markdown)
    assert "42 CFR 412.3(d)(1)" in sections[CRITERIA] and "422.101(b)(2)" in sections[CRITERIA]
    assert "3 midnights" in sections[CRITERIA]
    assert "reprocess claim SL-77" in sections[REQUEST]
    assert "at the inpatient level (not observation)" in sections[REQUEST]
    erisa = notice.replace("Silverline Medicare Advantage (HMO)", "Pine Benefits, claims "
                           "administrator for an ERISA employee benefit plan")  # fmt: skip
    argued = split_sections(_draft(erisa, case, dt.date(2026, 11, 20)).markdown)[CRITERIA]
    assert "412.3" not in argued  # the two-midnight rule is Medicare's


def test_an_unverified_rule_is_stated_only_when_the_notice_cites_it():
    notice = (
        "Harbor Medicare Advantage plan\nClaim denial\nDate: October 2, 2026\nClaim number: "
        "HC-1\nDate of service: 08/14/2026\nA0431 rotary wing air ambulance: denied. Ground "
        "ambulance transport would have been sufficient.\n"
    )
    analysis = _with_read_ground(notice)
    case = _case("Suspected stroke with aphasia; ground transport would have taken 95 minutes.")
    found = answer(analysis, case, notice, TODAY)
    assert found is not None and found.missing is None and not found.rules
    cited = notice.replace("sufficient.", "sufficient under 42 CFR 410.40.")
    found = answer(_with_read_ground(cited), case, cited, TODAY)
    assert found is not None and [r.citation for r in found.rules] == ["42 CFR 410.40"]
    text = section(found, "Eli Moss", "air ambulance transport", None)
    assert "at the time the transport was ordered" in text and "95 minutes" in text


def test_a_concession_is_said_of_the_service_not_a_policys_condition():
    policy = (
        "Your plan covers infusion drugs when they are medically necessary. A hospital "
        "outpatient setting is medically necessary only when one of the following is met. "
        "Infusion at the hospital outpatient department is not medically necessary; home "
        "infusion is available at an alternate site of care."
    )
    assert _read(policy) == ("site_of_care", ())
    agreed = policy + " We agree that the infusion is medically necessary for your condition."
    assert _read(agreed) == ("site_of_care", ("medical_necessity",))
    assert _read(policy + " The medication itself is approved.") == (
        "site_of_care",
        ("drug_approved",),
    )


def test_codes_offered_in_place_of_the_service_or_already_approved_are_not_requested():
    notice = (
        "Harbor Benefit Services, claims administrator for an ERISA plan\nExplanation of "
        "benefits\nClaim number: 77-1\nDate: October 14, 2026\nDate of service: 08/03/2026\n"
        "A0431 rotary wing air ambulance  denied\nA0436 rotary wing mileage x 64  denied\n"
        "Ground ambulance transport would have been appropriate. Benefits may be considered at "
        "the ground advanced life support level (A0427, A0425).\n"
    )
    air = _case("Suspected stroke.", description="Rotary-wing air ambulance", code="A0431")
    request = split_sections(_draft(notice, air, dt.date(2026, 11, 1)).markdown)[REQUEST]
    assert "A0431" in request and "A0436" in request
    assert "A0427" not in request and "A0425" not in request
    ground = _case("Fall at home.", description="Ground ambulance, ALS emergency", code="A0427")
    assert not substitute("A0427", ground)  # the case's own service is requested
    paid = _case(
        None, details="The consultation (99204, auth PA-1) has already been approved and paid."
    )
    assert substitute("99204", paid) and not substitute("54304", paid)


def test_the_period_the_case_needs_is_a_stated_range_not_any_two_dates():
    assert case_period("Surgery 01/08/2027; endoscopy done 10/06/2026.") == ""
    assert (
        case_period("Period requested: 12/15/2026 (next dose) through 06/14/2027")
        == "from December 15, 2026 to June 14, 2027"
    )
    assert case_period("to be done within 90 days of approval") == (
        "within 90 days of your approval"
    )
    assert case_period("every 8 weeks for 12 months") == "for 12 months from your approval"


def test_a_row_the_plan_approved_is_not_requested():
    codes = [r.code for r in find_requested(NETWORK_NOTICE)]
    assert codes == ["54304"]
    both = NETWORK_NOTICE.replace("APPROVED", "DENIED")
    assert [r.code for r in find_requested(both)] == ["99204", "54304"]


def test_the_networks_own_rule_is_the_question_argued_not_a_criterion_conceded():
    ground = DenialGround(kind=GroundKind.network_adequacy, statement="not in our network")
    rule = Criterion(
        text="There is no Tier 1 Network provider with the appropriate training and expertise "
        "to perform the service within 60 miles or 30 days."
    )
    analysis = DenialAnalysis(plan_type=PlanType.erisa, criteria=[rule], ground=ground)
    owner = owns(analysis, rule.text)
    assert owner is not None and not owner.concedes and "answered above" in owner.sentence
    assert not evaluate(analysis, _case(NO_SURGEON))[0].conceded


def test_the_range_the_case_asks_for_now_wins_over_the_notices_period():
    notice = NETWORK_NOTICE.replace("10/01/2026 - 11/15/2026", "12/01/2026 - 05/31/2027")
    case = _case(NO_SURGEON, details="Period requested: 12/15/2026 through 06/14/2027")
    request = split_sections(_draft(notice, case).markdown)[REQUEST]
    assert "from December 15, 2026 to June 14, 2027" in request
    # the notice's period is named only as the one the case's range replaces
    replaced = "(in place of the period your notice names, December 1, 2026 to May 31, 2027)"
    assert replaced in request and "May 31, 2027" not in request.replace(replaced, "")


def test_under_medicare_a_plans_own_inpatient_screen_is_answered_by_the_two_midnight_rule():
    screen = Criterion(
        text="You needed services that could only be provided as an inpatient, such as "
        "intensive care, and your vital signs were stable after 24 hours."
    )
    observation = DenialGround(
        kind=GroundKind.level_of_care, statement="paid at the observation level of care"
    )
    ma = DenialAnalysis(
        plan_type=PlanType.medicare_advantage, criteria=[screen], ground=observation
    )
    owner = owns(ma, screen.text)
    assert owner is not None and "412.3" in owner.sentence and not owner.concedes
    assert not evaluate(ma, _case("I expected two midnights."))[0].conceded  # disputed
    erisa = ma.model_copy(update={"plan_type": PlanType.erisa})
    assert owns(erisa, screen.text) is None  # a commercial plan's own criteria are argued


def test_a_site_concession_says_more_than_medical_necessity_and_replaces_it():
    notice = (
        "Site of care review. The medication itself is approved. Infusion at the hospital "
        "outpatient department is not medically necessary; home infusion is approved.\n"
    )
    read = DenialGround(
        kind=GroundKind.site_of_care, statement="not medically necessary", necessity_conceded=True
    )
    analysis = DenialAnalysis(ground=read)
    assert set(select(analysis, notice).concedes) == {"drug_approved", "medical_necessity"}
    found = answer(analysis, _case("Anaphylaxis at her third infusion."), notice, TODAY)
    assert found is not None and [c.key for c in found.concessions] == ["drug_approved"]
    conceded = Criterion(text="The member is starting or restarting therapy.")
    request = ArgumentRequest(
        analysis=analysis.model_copy(update={"criteria": [conceded]}),
        case=_case("Anaphylaxis.").model_copy(update={"conceded": [Concession(criterion=1)]}),
        passages=[],
        letter_text=notice,
    )
    text = argue(request)[0].argument
    assert "I do not claim this criterion" in text and "dimension" not in text


def test_a_stay_is_named_by_its_drg_and_a_range_of_days_is_no_count():
    assert code_label("292") == "MS-DRG" and code_label("0120") == "Revenue code"
    assert administrations("Inpatient admission, expected length of stay 7-10 days") == ""
    assert administrations("6 infusions over 12 weeks") == "6 infusions"


def test_a_dose_the_case_itself_writes_beside_a_drug_is_grounded():
    from pipeline.validate import validate
    from tests.test_validate import make_draft

    draft = make_draft()
    said = "An earlier trial of sertraline 450 mg was stopped."  # 450 mg is bupropion's dose
    marked = draft.markdown.replace(
        "Jordan A. Rivera has recurrent major depressive disorder",
        f"{said} Jordan A. Rivera has recurrent major depressive disorder",
    )
    assert marked != draft.markdown
    wrong = draft.model_copy(update={"markdown": marked})
    assert "grounding.dose_not_the_drugs" in {f.code for f in validate(wrong).errors}
    summary = f"{draft.case.clinical_summary} {said}"
    case = draft.case.model_copy(update={"clinical_summary": summary})
    own = wrong.model_copy(update={"case": case})
    assert "grounding.dose_not_the_drugs" not in {f.code for f in validate(own).errors}


def test_a_criterion_the_ground_answers_needs_no_evidence_of_its_own_in_its_section():
    from pipeline.validate import validate

    screen = Criterion(
        text="You needed services that could only be provided as an inpatient, such as "
        "intensive care."
    )
    notice = (
        "Silverline Medicare Advantage (HMO)\nDate: November 12, 2026\nThe inpatient admission "
        "is paid at the observation level of care.\n"
    )
    ground = DenialGround(kind=GroundKind.level_of_care, statement="observation level of care")
    analysis = extract_facts(notice).model_copy(update={"criteria": [screen], "ground": ground})
    case = _case("I expected at least two midnights of IV diuresis.")
    draft = compose(notice, analysis, case, [], OfflineEngine(), today=TODAY, allow_gaps=True)
    assert "not the Medicare standard" in split_sections(draft.markdown)[CRITERIA]
    found = {f.code for f in validate(draft).findings}
    assert "criteria.no_evidence" not in found and "criteria.no_citation" not in found


def _guideline(pid: str, text: str, **fields: object):
    from pipeline.models import Passage, RetrievedPassage

    passage = Passage.model_validate(
        {
            "id": pid,
            "kind": "guideline",
            "issuing_body": "Society",
            "short_body": "SOC",
            "title": "Guideline",
            "year": 2022,
            "section": "Surgery",
            "text": text,
            "specialty": "urology",
            "url": "https://example.org",
            "license": "own words",
            **fields,
        }
    )
    return RetrievedPassage(passage=passage, score=1.0, rank=1, criteria=[])


def test_a_ground_letter_cites_the_guideline_that_bears_on_the_ground_and_no_other():
    """A network-gap letter makes no clinical argument, yet the guideline that says who should
    do the operation (an experienced pediatric center) bears on whether the network can: it is
    cited in the ground's argument. A guideline about the disease alone is not."""
    disease = _guideline(
        "disease", "Repair is recommended between 6 and 18 months of age.", conditions=["Q54"]
    )
    center = _guideline(
        "center",
        "Proximal hypospadias repair should be done by experienced pediatric urologists at "
        "specialized centers, where complication rates are lower.",
        conditions=["Q54"],
    )
    case = _case(NO_SURGEON)
    analysis = extract_facts(NETWORK_NOTICE)
    draft = compose(
        NETWORK_NOTICE, analysis, case, [disease, center], OfflineEngine(),
        today=TODAY, allow_gaps=True,
    )  # fmt: skip
    argued = split_sections(draft.markdown)[CRITERIA]
    assert "Guideline (SOC 2022" in argued and "experienced pediatric urologists" in argued
    assert "between 6 and 18 months" not in argued
    alone = compose(
        NETWORK_NOTICE, analysis, case, [disease], OfflineEngine(), today=TODAY, allow_gaps=True
    )
    assert "Guideline (" not in split_sections(alone.markdown)[CRITERIA]


def test_a_site_of_care_letter_cites_the_label_warning_about_where_the_drug_is_given():
    from pipeline.reasoning.fit import ground_guideline
    from pipeline.reasoning.grounds import grounds_spec

    site = next(g for g in grounds_spec().grounds if g.key == "site_of_care")
    label = _guideline(
        "label",
        "Immune globulin is indicated for CIDP. In patients at risk of renal failure or "
        "thrombosis, give it at the minimum infusion rate practicable.",
    )
    indication = _guideline("indication", "IVIG is recommended for CIDP (Level A).")
    found = ground_guideline([indication, label], site.guideline)
    assert found is not None and found[0].id == "label" and "minimum infusion rate" in found[1]
    assert ground_guideline([indication], site.guideline) is None
    assert ground_guideline([label], site.guideline, cited=["label"]) is None  # stated above


def test_a_provider_beyond_the_networks_own_access_standard_is_the_network_gap():
    """The notice states its access standard ('30 miles or 45 minutes') and the record the
    nearest in-network provider's distance (58 miles): the letter states the comparison, the
    miles beyond it, and needs no 'why none can' gap; a notice answering 'the standard
    measures the network as a whole' is met with its sentence. The nearest provider within the
    standard, or no standard stated, shows nothing and the gap stays."""
    notice = NETWORK_NOTICE + (
        "Our access standard for pediatric urology is 30 miles or 45 minutes. The nearest "
        "participating urologist is farther than this standard; however, the standard measures "
        "the network as a whole.\n"
    )
    far = _case(
        "Proximal hypospadias. The nearest in-network pediatric urologist is 58 miles away."
    )
    draft = _draft(notice, far)
    argued = " ".join(split_sections(draft.markdown)[CRITERIA].split())
    assert ("The nearest in-network provider is 58 miles away; the access standard your notice "
            "states is 30 miles or 45 minutes, so it is 28 miles beyond it.") in argued  # fmt: skip
    assert "measures the network as a whole. The question is whether" in argued
    assert "clinical_summary" not in {g.field for g in draft.gaps}
    near = _case(
        "Proximal hypospadias. The nearest in-network pediatric urologist is 22 miles away."
    )
    assert "clinical_summary" in {g.field for g in _draft(notice, near).gaps}
    assert "clinical_summary" in {g.field for g in _draft(NETWORK_NOTICE, far).gaps}


def test_a_visit_cap_reached_is_conceded_and_continued_visits_asked_on_progress():
    """'The approved number of visits for this episode of care has been reached': the letter
    concedes the cap, states the progress against each goal (a finding's interpretation holds
    its goal) and the latest progress report the reviewer lacked, and asks for continued
    visits; without progress in the record, a gap asks for it. A notice that says no cap was
    reached is no such ground."""
    notice = (
        "Coastal Health Plan\nDate: November 25, 2026\nService: speech therapy 92507\nThe "
        "approved number of visits for this episode of care has been reached (visits used: 24 "
        "of 24). Continued therapy requires documentation of measurable progress toward the "
        "goals in the plan of care.\n"
    )
    case = CaseFacts.model_validate(
        {
            "patient": {"name": "Eli Moss", "date_of_birth": dt.date(2022, 7, 9)},
            "physician": {"name": "Ana Ruiz", "credentials": "MD", "npi": "1234567893"},
            "service": {"code": "92507", "description": "Speech therapy", "details": "48 visits"},
            "clinical_summary": "Childhood apraxia of speech. The 11/20/2026 progress report, "
            "which was not available to the reviewer, shows word accuracy of 68%.",
            "objective_findings": [
                {
                    "kind": "other",
                    "name": "Word accuracy",
                    "value": "68%",
                    "interpretation": "35% on 08/26/2026; goal 80%",
                }
            ],
        }
    )
    draft = _draft(notice, case)
    text = " ".join(draft.markdown.split())
    assert "Why continued visits are needed after the authorized visits were used" in text
    assert "I do not dispute that; I ask you to authorize continued visits" in text
    assert "Word accuracy: 68% (35% on August 26, 2026; goal 80%)" in text
    assert "The latest progress report: The November 20, 2026 progress report" in text
    assert "continued visits beyond those already used" in split_sections(draft.markdown)[REQUEST]
    assert "clinical_summary" not in {g.field for g in draft.gaps}
    bare = case.model_copy(update={"objective_findings": [], "clinical_summary": "Apraxia."})
    assert "clinical_summary" in {g.field for g in _draft(notice, bare).gaps}
    assert _read("Speech therapy is denied as not medically necessary.") is None


def test_a_cosmetic_label_is_answered_by_the_condition_the_record_states():
    """A claim denied as cosmetic, with no criteria: the letter argues the congenital anomaly,
    its progression and the functional harm from the record's own sentences (never 'The record
    shows otherwise' over a finding that only shares words); an implant placed for cosmetic
    reasons is conceded as such and its complication argued; the treatment's own 'not for
    cosmetic purposes' is no concession; without such facts, a gap."""
    notice = (
        "Harborline Benefit Services, claims administrator (ERISA)\nEXPLANATION OF BENEFITS\n"
        "Claim number: 77-20931-B\n10/02/2026  17106  billed $1,150.00  paid $0.00\nRemark: "
        "services considered cosmetic are excluded under your plan.\n"
    )
    case = _case(
        "Congenital capillary malformation of the upper lip. The lip has begun to thicken. Brain "
        "MRI in 2024 was normal.",
        description="Pulsed dye laser treatment of a capillary malformation",
        code="17106",
    )
    draft = _draft(notice, case)
    argued = " ".join(split_sections(draft.markdown)[CRITERIA].split())
    assert "Why this treatment is not cosmetic" in argued
    assert "A congenital anomaly, injury or disease: Congenital capillary malformation" in argued
    assert "Progression without treatment: The lip has begun to thicken" in argued
    assert "record shows otherwise" not in argued and "Brain MRI" not in argued
    assert "clinical_summary" not in {g.field for g in draft.gaps}
    implant = notice + "The implants were placed in 2014 for cosmetic breast augmentation.\n"
    pain = _case("Baker class IV capsular contracture with pain 7/10.", code="19371")
    argued = " ".join(split_sections(_draft(implant, pain).markdown)[CRITERIA].split())
    assert "I do not dispute that the original procedure was cosmetic" in argued
    assert "A complication of an earlier procedure: Baker class IV" in argued
    own = notice + "The procedure is not being performed for cosmetic purposes.\n"
    argued = split_sections(_draft(own, case).markdown)[CRITERIA]
    assert "original procedure was cosmetic" not in argued
    assert "clinical_summary" in {g.field for g in _draft(notice, _case("Lip lesion.")).gaps}
