"""Strategy kinds a blind judge found (issue 17, round 29): DRAFT banners our own gaps put on
letters with nothing to fill; the reviewer's title and the notice's own routes and clocks; the
request's whole course; a site-of-care denial argued on the site. Each test fails without the
change it guards."""

from __future__ import annotations

import datetime as dt

from pipeline import letter_format as lf
from pipeline.draft import compose
from pipeline.engines import OfflineEngine
from pipeline.extract import extract, extract_facts
from pipeline.ingest import ingest_text
from pipeline.models import CaseFacts, DenialAnalysis

TODAY = dt.date(2026, 12, 6)

PHYSICIAN = {
    "name": "Ana Ruiz",
    "credentials": "MD",
    "npi": "1234567893",
    "phone": "(555) 555-0100",
    "license": "OR MD-40112",
    "address": "410 Alder Street, Portland, OR 97205",
}


def _case(code: str | None, description: str, summary: str, **extra: object) -> CaseFacts:
    return CaseFacts.model_validate(
        {
            "patient": {"name": "Eli Moss", "date_of_birth": dt.date(1990, 4, 1)},
            "physician": PHYSICIAN,
            "service": {"code": code, "description": description},
            "diagnoses": [{"code": "G43.709", "description": "Chronic migraine without aura"}],
            "clinical_summary": summary,
            "consequences_of_denial": (
                "Without prevention he loses about eight workdays a month, and his rising use "
                "of acute medication risks medication-overuse headache."
            ),
            **extra,
        }
    )


def _analysis(notice: str) -> DenialAnalysis:
    """The notice read as the pipeline reads it (the rules completed by the offline engine)."""
    return extract(ingest_text(notice, source="test"), OfflineEngine())


def _markdown(notice: str, case: CaseFacts) -> tuple[str, list[str]]:
    analysis = _analysis(notice)
    draft = compose(notice, analysis, case, [], OfflineEngine(), today=TODAY, allow_gaps=True)
    return draft.markdown, [g.field for g in draft.gaps]


UNMET_NOTICE = (
    "Riverbend Health Plan - Medicaid Managed Care\n"
    "NOTICE OF ADVERSE BENEFIT DETERMINATION\nDate: 11/24/2026\n"
    "Member ID: RHP-448120937\nAuthorization: PA-26-339120\n"
    "Requested: J0585 onabotulinumtoxinA, 155 units every 12 weeks x 4\n\n"
    "Policy criteria:\n"
    "1. Chronic migraine: 15 or more headache days a month for at least 3 months. Met.\n"
    "2. Failure of at least two preventive medications from different classes, each for at "
    "least 8 weeks. Not met.\n\n"
    "You may appeal within 60 days of the date of this notice.\n"
)


def test_a_letter_whose_only_gaps_it_does_not_show_carries_no_draft_banner() -> None:
    case = _case(
        "J0585", "OnabotulinumtoxinA injections",
        "Chronic migraine, 20 headache days a month for two years. Topiramate was stopped "
        "after 3 weeks for cognitive slowing.",
        prior_treatments=[{
            "name": "Topiramate", "kind": "medication", "dose": "50 mg",
            "frequency": "twice daily", "start": dt.date(2026, 6, 1),
            "end": dt.date(2026, 6, 22), "outcome": "stopped for cognitive slowing",
        }],
    )  # fmt: skip
    markdown, gaps = _markdown(UNMET_NOTICE, case)
    assert gaps  # the unmet requirement still reaches the physician, in the gap list
    assert not lf.PLACEHOLDER_RE.search(markdown)
    assert lf.DRAFT_BANNER not in markdown


def test_a_letter_with_a_field_to_fill_keeps_its_draft_banner() -> None:
    case = _case("J0585", "OnabotulinumtoxinA injections", "Chronic migraine.")
    case = case.model_copy(update={"consequences_of_denial": None})
    markdown, _ = _markdown(UNMET_NOTICE, case)
    assert lf.PLACEHOLDER_RE.search(markdown)
    assert markdown.startswith(lf.DRAFT_BANNER)


def _drug_named(notice: str, details: str) -> str:
    from pipeline.reasoning.request import drug_request

    case = _case(None, "Rifaximin 550 mg tablets", "Hepatic encephalopathy.")
    case = case.model_copy(update={"service": case.service.model_copy(update={"details": details})})
    return drug_request(extract_facts(notice), case, notice)


DRUG_NOTICE = (
    "Blue Meridian Health Plan - PPO\nPHARMACY PRIOR AUTHORIZATION DENIAL\nDate: 11/28/2026\n"
    "Member ID: BMH-21109384\nDrug requested: rifaximin 550 mg tablet\n"
    "{quantity}\n\nDenied: the plan requires a trial of lactulose.\n"
    "You may appeal within 180 days of receiving this notice.\n"
)


def test_a_drug_course_is_requested_whole_as_the_notice_states_it() -> None:
    notice = DRUG_NOTICE.format(
        quantity="Quantity requested: 84 tablets per 28 days; 252 tablets for 84 days (2 refills)"
    )
    named = _drug_named(notice, "550 mg twice daily")
    assert "quantity 84 tablets per 28 days" in named
    assert "252 tablets over 84 days" in named and "2 refills" in named


def test_a_drug_course_is_counted_from_the_fill_and_the_period() -> None:
    notice = DRUG_NOTICE.format(quantity="Quantity: 28 tablets per 28 days\nDuration: 24 weeks")
    assert "168 tablets over 24 weeks" in _drug_named(notice, "550 mg once daily")


def test_the_plans_own_quantity_limit_is_not_the_request() -> None:
    notice = DRUG_NOTICE.format(quantity="Quantity limit: 30 tablets per 30 days")
    named = _drug_named(notice, "550 mg twice daily; quantity 60 tablets per 30 days")
    assert "quantity 60 tablets" in named and "30 tablets" not in named


ROUTE_NOTICE = (
    "Keystone Valley Health Insurance - Group HMO\nADVERSE BENEFIT DETERMINATION\n"
    "Date: 11/30/2026\nMember ID: KVH-70031955\nReference number: UR-2611-9931\n"
    "Service: 90867 transcranial magnetic stimulation\n\n"
    "Criteria not met: failure of four antidepressant trials.\n"
    "{reviewer}\n"
    "To discuss this decision, your provider may call 1-866-555-0190 within 7 business days "
    "of this notice.\n\n"
    "You may file a grievance within 180 days of receiving this notice. We will decide your "
    "grievance within 15 days of receiving it.\n"
)


def _p2p(reviewer: str) -> str:
    case = _case("90867", "Transcranial magnetic stimulation", "Recurrent severe depression.")
    case = case.model_copy(
        update={"physician": case.physician.model_copy(update={"specialty": "Psychiatry"})}
    )
    markdown, _ = _markdown(ROUTE_NOTICE.format(reviewer=reviewer), case)
    return lf.split_sections(markdown)[lf.PEER_TO_PEER]


def test_a_reviewer_who_is_not_a_physician_is_called_by_their_title() -> None:
    p2p = _p2p("Reviewed by: Carla Mendes, RN, Utilization Review Nurse")
    assert "1-866-555-0190" in p2p  # the prescriber's line the notice gives
    assert "reviewing physician" not in p2p
    assert "Carla Mendes, RN, a nurse, not a physician" in p2p
    assert "a physician reviewer in psychiatry" in p2p
    pharmacist = _p2p("This decision was made by Dana Whitcombe, PharmD, clinical pharmacist.")
    assert "Dana Whitcombe, PharmD, a pharmacist" in pharmacist


def test_a_physician_reviewer_stays_the_reviewing_physician() -> None:
    assert "The reviewing physician, Alan Reed, MD," in _p2p("Reviewed by: Alan Reed, MD")


def test_the_notices_own_shorter_clock_is_stated() -> None:
    from pipeline.reasoning.rights import notice_clock

    clock = notice_clock(ROUTE_NOTICE, "pre_service")
    assert clock is not None and clock.describe() == "15 days" and clock.noun == "grievance"
    case = _case("90867", "Transcranial magnetic stimulation", "Recurrent severe depression.")
    markdown, _ = _markdown(ROUTE_NOTICE.format(reviewer=""), case)
    legal = lf.split_sections(markdown)[lf.LEGAL_BASIS]
    assert "decide this grievance within 15 days of receiving it" in legal
    erisa = ROUTE_NOTICE.replace("Group HMO", "Employee Health Plan (self-funded, ERISA)")
    legal = lf.split_sections(_markdown(erisa.format(reviewer=""), case)[0])[lf.LEGAL_BASIS]
    assert "within 15 days of its receipt, as your notice states" in legal
    assert "at most 30 days" in legal


def test_a_filing_window_or_an_expedited_clock_is_not_the_notices_decision_clock() -> None:
    from pipeline.reasoning.rights import notice_clock

    text = (
        "You may file an appeal within 60 days. If your health is at risk, we will decide an "
        "expedited appeal within 72 hours. An independent reviewer will decide within 45 days."
    )
    assert notice_clock(text, "pre_service") is None


PROSE_NOTICE = (
    "Harbor Crest Health - Silver Individual Plan (ACA marketplace)\n"
    "NOTICE OF ADVERSE BENEFIT DETERMINATION\nDate of notice: November 26, 2026\n"
    "Member ID: HCH-66120938\nService: E0601 Continuous positive airway pressure device\n\n"
    "Coverage criteria (Medical Policy DME-SLP-2):\n"
    "1. A sleep study showing an apnea-hypopnea index of 15 or more.\n"
    "2. A face-to-face evaluation by the treating practitioner before the study.\n"
    "3. Education of the member on the use of the device.\n\n"
    "Our review: We agree the sleep study of 10/04/2026 shows an AHI of 31. The face-to-face "
    "evaluation of 09/12/2026 is in the records and satisfies the policy. The records do not "
    "show that the member received education on the use of the device, so the request is "
    "denied.\n\nYou may appeal within 180 days of receiving this notice.\n"
)


def test_criteria_the_notice_accepts_in_prose_are_met_per_the_notice_not_argued() -> None:
    case = _case(
        "E0601", "CPAP device",
        "Obstructive sleep apnea, AHI 31. Mask fitting and education on CPAP use given by our "
        "respiratory therapist on 10/20/2026.",
    )  # fmt: skip
    markdown, _ = _markdown(PROSE_NOTICE, case)
    argued = lf.split_sections(markdown)[lf.CRITERIA]
    assert "Your notice found criteria 1 and 2 met" in argued
    assert "### Criterion 1" not in argued and "### Criterion 2" not in argued
    assert "### Criterion 3" in argued


def test_a_negated_partial_or_labelled_finding_accepts_nothing() -> None:
    from pipeline.reasoning.strategy import met_in_prose

    accepted = _analysis(PROSE_NOTICE)
    assert set(met_in_prose(accepted, PROSE_NOTICE)) <= {0, 1}
    for said in (
        "The records do not show a sleep study with an apnea-hypopnea index of 15 or more.",
        "The sleep study shows an apnea-hypopnea index of 12 only, below the policy's 15.",
        "A sleep study is required and must show an apnea-hypopnea index of 15 or more.",
    ):
        notice = PROSE_NOTICE.replace(
            "We agree the sleep study of 10/04/2026 shows an AHI of 31.", said
        )
        assert 0 not in met_in_prose(_analysis(notice), notice), said
    labelled = PROSE_NOTICE.replace("of 15 or more.\n", "of 15 or more. Not met.\n", 1)
    assert 0 not in met_in_prose(_analysis(labelled), labelled)


def test_a_partial_denials_request_names_the_denied_units_not_the_approved_ones() -> None:
    from pipeline.reasoning.request import denied_units, quantity

    notice = (
        "DECISION\n  Infusions 1 and 2 (11/20/2026 and 12/04/2026): hospital outpatient APPROVED\n"
        "    (J2507 16 units; 96365 x 2; 96366 x 2).\n"
        "  Infusions 3 through 13 (12/18/2026 through 05/07/2027): hospital outpatient\n"
        "    NOT APPROVED (J2507 88 units; 96365 x 11; 96366 x 11).\n"
    )
    assert denied_units(notice) == {"J2507": 88, "96365": 11, "96366": 11}
    both = "J2507 16 units are approved and J2507 88 units are not approved."
    assert denied_units(both) == {}  # a sentence stating both says neither
    # 88 units are the total of eleven infusions of 8 units each, not 88 per infusion
    said = quantity("J2507", 88, ["J2507 8 units per infusion (88 units), every 2 weeks"])
    assert said.startswith("88 units in all (8 units per infusion")


def test_the_site_requested_is_named_as_the_case_names_it() -> None:
    from types import SimpleNamespace

    from pipeline.reasoning.grounds import grounds_spec, site_of

    case = _case(
        "J2507", "Pegloticase infusion", "Gout.",
        service={
            "code": "J2507", "description": "Pegloticase infusion",
            "details": "infusions 3-13 at St. Brendan's Regional Medical Center Infusion Center "
            "(POS 22), every 2 weeks",
        },
    )  # fmt: skip
    spec = next(g for g in grounds_spec().grounds if g.key == "site_of_care")
    assert (
        site_of(SimpleNamespace(spec=spec), case)
        == "St. Brendan's Regional Medical Center Infusion Center (POS 22)"
    )


def test_a_part_d_prior_authorization_is_no_exception_and_gets_no_refill_rule() -> None:
    from pipeline.models import PlanType
    from pipeline.reasoning.rights import legal_basis

    head = (
        "Evergreen RxChoice (PDP) - a Medicare Prescription Drug Plan\n"
        "NOTICE OF DENIAL OF MEDICARE PRESCRIPTION DRUG COVERAGE\nDate: December 1, 2026\n"
    )
    prior_auth = head + "We denied coverage: the prior authorization criteria are not met.\n"
    exception = head + "Your quantity limit exception request is denied.\n"
    case = _case(None, "Tafamidis 61 mg capsules", "ATTR cardiomyopathy.")

    def said(text: str) -> str:
        analysis = _analysis(text).model_copy(update={"plan_type": PlanType.medicare_advantage})
        return " ".join(legal_basis(analysis, text, case, TODAY))

    assert "423.578(c)(4)" not in said(prior_auth)
    assert "423.578(c)(4)" in said(exception)


def test_the_letter_is_addressed_to_the_appeal_address_and_fax_the_notice_gives() -> None:
    notice = UNMET_NOTICE.replace(
        "You may appeal within 60 days of the date of this notice.\n",
        "You may appeal within 60 days of the date of this notice. Send your appeal to: "
        "Riverbend Health Plan, Appeals and Grievances, PO Box 23150, Lexington, KY 40523; "
        "fax 1-877-555-0133.\n",
    )
    case = _case("J0585", "OnabotulinumtoxinA injections", "Chronic migraine.")
    header = _markdown(notice, case)[0].split("## Identification")[0]
    assert "Riverbend Health Plan, Appeals and Grievances  \nPO Box 23150, Lexington, KY 40523" in (
        header
    )
    assert "Fax: 1-877-555-0133" in header and "Appeals Department" not in header


def test_a_schedule_word_away_from_the_units_makes_no_rate_of_them() -> None:
    from pipeline.reasoning.request import quantity

    course = (
        "12 sessions over 8 weeks: 56 mg at session 1, 84 mg at sessions 2-8 (twice weekly, "
        "weeks 1-4), 84 mg at sessions 9-12 (weekly, weeks 5-8) = 980 units of S0013"
    )
    assert "per week" not in quantity("S0013", 980, [course])
    assert quantity("A4239", 1, ["A4239 1 unit monthly for 12 months"]).startswith(
        "1 unit per month"
    )


def test_a_drug_given_with_the_requested_one_is_not_the_drug_the_exception_is_for() -> None:
    from pipeline.reasoning.exception import _requested_ingredient

    case = _case("S0013", "Bupropion XL tablets, with oral venlafaxine XR continued", "Depression.")
    assert _requested_ingredient(case, _analysis(UNMET_NOTICE)) == "bupropion"
    case = _case("S0013", "Esketamine nasal spray, with oral venlafaxine XR continued", "MDD.")
    assert _requested_ingredient(case, _analysis(UNMET_NOTICE)) != "venlafaxine"


def test_the_cases_units_win_when_the_notice_states_them_and_the_reading_has_others() -> None:
    from pipeline.models import RequestedService
    from pipeline.reasoning.request import requested_codes

    notice = "| 1 | J9274 | Injection, tebentafusp (26 doses) | 1682 | 11/24/2026-05/18/2027 |\n"
    analysis = _analysis(UNMET_NOTICE).model_copy(
        update={"requested": [RequestedService(code="J9274", system="hcpcs", units=26)]}
    )
    case = _case("J9274", "Tebentafusp", "Uveal melanoma.")
    details = case.service.model_copy(update={"details": "26 weekly doses (J9274 1682 units)"})
    case = case.model_copy(update={"service": details})
    assert requested_codes(analysis, case, notice)[0][1] == 1682
    # a number of the case's the notice never states does not replace the reading's
    assert requested_codes(analysis, case, notice.replace("1682", "1600"))[0][1] == 26


def test_a_dose_at_an_interval_is_requested_per_dose_with_the_doses_and_their_total() -> None:
    from pipeline.reasoning.request import quantity

    line = ["J0585 onabotulinumtoxinA, 155 units every 12 weeks x 4; 64615 x 4"]
    # the total only when the inputs state it (the letter's numbers are grounded in them)
    assert quantity("J0585", 155, line) == "155 units per dose, every 12 weeks, 4 doses"
    stated = [line[0].replace("x 4;", "x 4 (620 units);")]
    assert quantity("J0585", 155, stated) == (
        "155 units per dose, every 12 weeks, 4 doses (620 units in all)"
    )
    assert quantity("J0585", 620, line).startswith("620 units in all (155 units per dose")
    assert quantity("J0585", 300, line) == ""  # units the clause does not state: as counted
    assert quantity("J0585", 155, ["J0585 155 units every 12 weeks x 4 weeks"]) == (
        "155 units per dose, every 12 weeks"
    )  # '4 weeks' is no count of doses
