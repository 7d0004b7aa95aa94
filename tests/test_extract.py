"""Deterministic extraction, field by field, and provenance enforcement over an engine."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from pipeline.engines import AnalysisRequest, AnalysisResponse, ArgumentRequest, ArgumentResponse
from pipeline.extract import (
    DATE_RE,
    add_months,
    enforce_provenance,
    extract,
    extract_facts,
    find_appeal_deadline,
    find_claim_number,
    find_cpt_codes,
    find_hcpcs_codes,
    find_icd10_codes,
    find_insurer,
    find_letter_date,
    find_member_id,
    find_peer_to_peer,
    find_plan_type,
    find_reviewer,
    find_service_dates,
    parse_date,
)
from pipeline.ingest import ingest_text
from pipeline.models import (
    AppealLevel,
    Criterion,
    DenialAnalysis,
    DenialCategory,
    PlanType,
)

from .test_criteria_rules import (
    ALL_CAPS,
    IDN_PROSE,
    IDN_TABLE,
    MAC_DASHES,
    NOABD,
    NUMBERED,
    PROSE,
)

D = dt.date

# --------------------------------------------------------------------------- whole letters


def test_numbered_letter_facts() -> None:
    facts = extract_facts(NUMBERED)
    assert facts.model_dump(exclude={"criteria", "denial_categories", "groups"}) == {
        "insurer": "Acme Health Plan",
        "plan_type": PlanType.erisa,
        "member_id": "XJH123456789",
        "program_member_id": None,
        "claim_number": "CLM-2026-00417",
        "letter_date": D(2026, 3, 3),
        "service_dates": [D(2026, 3, 2), D(2026, 3, 30)],
        "cpt_codes": ["90867", "90868"],
        "hcpcs_codes": [],
        "icd10_codes": ["F33.2"],
        "appeal_deadline": D(2026, 8, 30),
        "expedited_available": True,
        "peer_to_peer_offered": True,
        "reviewer": "Dr. Alan Reyes, MD",
        "requested": [
            {
                "code": code,
                "system": "cpt",
                "units": None,
                "modifiers": [],
                "description": None,
                "per": None,
                "administrations": None,
                # no period of its own: the request's period ('Requested dates of service')
                "start": D(2026, 3, 2),
                "end": D(2026, 3, 30),
                "revenue": None,
            }
            for code in ("90867", "90868")
        ],
        "plan_sponsor": None,
        "policy": "InterQual® 2025 Procedures: Transcranial Magnetic Stimulation",
        "policy_section": None,
        "peer_to_peer_phone": "1-800-555-0100",
        "peer_to_peer_window": None,
        "appeal_address": None,
        "appeal_fax": None,
        "appeal_portal": None,
        "appeal_window": "within 180 days of the date of this notice",
        "expedited_route": None,
        "expedited_fax": None,
        "service_start": D(2026, 3, 2),
        "service_end": D(2026, 3, 30),
        "level_of_care": None,
        "preferred_alternatives": [],
        "records_reviewed": [],
        "records_through": None,
        "appeal_level": AppealLevel.initial,
        "next_level_due": None,
        "service_change": None,
        "increase": None,
        "ground": None,
        "items": [],
        "warnings": [],
    }


def test_medicaid_notice_facts() -> None:
    facts = extract_facts(NOABD)
    assert (facts.plan_type, facts.member_id, facts.claim_number) == (
        PlanType.medicaid,
        "98765432A",
        "UM-55821",
    )
    assert facts.letter_date == D(2026, 4, 10)
    assert facts.service_dates == [D(2026, 4, 1)]
    assert (facts.cpt_codes, facts.icd10_codes) == (["22612"], ["M43.16"])
    assert facts.appeal_deadline == D(2026, 6, 9)  # 60 days from the date on the notice
    assert facts.insurer == "Sunrise Community Health Plan"


def test_prose_letter_facts() -> None:
    facts = extract_facts(PROSE)
    assert facts.plan_type == PlanType.aca_individual
    assert facts.letter_date == D(2026, 2, 5)  # "5 February 2026"
    assert (facts.member_id, facts.claim_number) == ("BPX-7712093", "PA-2026-118833")
    assert facts.hcpcs_codes == ["J3490"] and facts.cpt_codes == []
    assert facts.appeal_deadline == D(2026, 8, 4)  # "appeal within 180 days"
    assert facts.expedited_available and not facts.peer_to_peer_offered


def test_medicare_advantage_table_facts() -> None:
    facts = extract_facts(IDN_TABLE)
    assert facts.plan_type == PlanType.medicare_advantage
    assert facts.insurer == "Evergreen Medicare Advantage HMO"
    assert facts.member_id == "H55501234"
    assert facts.claim_number is None
    assert facts.hcpcs_codes == ["E2103"]
    assert facts.appeal_deadline == D(2026, 8, 19)  # 2026-06-15 + 65 days
    assert facts.reviewer == "Susan Park, MD"


def test_all_caps_letter_facts() -> None:
    facts = extract_facts(ALL_CAPS)
    assert facts.plan_type == PlanType.erisa
    assert facts.letter_date == D(2026, 1, 12)
    assert (facts.member_id, facts.claim_number) == ("GLX0048812", "2026-AUTH-99812")
    assert facts.service_dates == [D(2026, 1, 5)]
    assert facts.appeal_deadline == D(2026, 7, 11)  # "of receipt": still from the letter date
    assert facts.reviewer == "MARK JONES, MD"
    assert facts.peer_to_peer_offered is False  # the window has passed


def test_medicare_idn_prose_facts() -> None:
    facts = extract_facts(IDN_PROSE)
    assert facts.plan_type == PlanType.medicare_advantage
    assert facts.letter_date == D(2026, 3, 9)  # "Mar 9, 2026"
    assert facts.appeal_deadline == D(2026, 5, 13)
    assert (facts.cpt_codes, facts.icd10_codes) == (["27447"], ["M17.11"])


def test_original_medicare_facts() -> None:
    facts = extract_facts(MAC_DASHES)
    assert facts.plan_type == PlanType.medicare
    assert facts.member_id == "1AB2-CD3-EF45"
    assert facts.claim_number == "22026182001234"
    assert facts.service_dates == [D(2026, 5, 2)]
    assert facts.cpt_codes == ["0394T"]
    assert facts.insurer is None


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "written",
    ["March 3, 2026", "Mar 3, 2026", "Mar. 3 2026", "3 March 2026", "03/03/2026", "3/3/26",
     "2026-03-03", "March 3rd, 2026"],
)  # fmt: skip
def test_date_formats(written: str) -> None:
    match = DATE_RE.search(f"Date: {written}.")
    assert match is not None and parse_date(match) == D(2026, 3, 3)


def test_impossible_dates_are_ignored() -> None:
    assert find_letter_date("Date: 02/30/2026\nDate of notice: 02/27/2026") == D(2026, 2, 27)


def test_letter_date_skips_birth_and_service_dates() -> None:
    text = "Acme Health\nDate of birth: 01/02/1970\nDate of service: 02/02/2026\nFebruary 9, 2026\n"
    assert find_letter_date(text) == D(2026, 2, 9)


def test_service_date_range() -> None:
    assert find_service_dates("Dates of service: 03/02/2026 - 03/30/2026\n") == [
        D(2026, 3, 2),
        D(2026, 3, 30),
    ]


def test_add_months_clips_to_month_end() -> None:
    assert add_months(D(2026, 10, 31), 4) == D(2027, 2, 28)


# --------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("You must file your appeal by April 30, 2026.", D(2026, 4, 30)),
        ("Your appeal must be received no later than 05/15/2026.", D(2026, 5, 15)),
        ("You may appeal within sixty (60) days of the date of this notice.", D(2026, 5, 2)),
        ("You may request an appeal within 4 months of the date of this notice.", D(2026, 7, 3)),
        ("You have 180 days from receipt of this letter to appeal.", D(2026, 8, 30)),
        ("Appeals must be filed within 30 business days.", D(2026, 4, 14)),
    ],
)
def test_deadline(sentence: str, expected: dt.date) -> None:
    assert find_appeal_deadline(sentence, D(2026, 3, 3)) == expected


def test_peer_to_peer_window_is_not_the_appeal_deadline() -> None:
    text = (
        "Your doctor may request a peer-to-peer review within 7 business days of this notice. "
        "You may appeal this decision within 180 days of the date of this letter."
    )
    assert find_appeal_deadline(text, D(2026, 3, 3)) == D(2026, 8, 30)


def test_plan_response_times_are_not_deadlines() -> None:
    text = "We will decide your appeal within 30 days of receiving it. Call us with questions."
    assert find_appeal_deadline(text, D(2026, 3, 3)) is None


def test_internal_appeal_deadline_wins_over_external_review() -> None:
    text = (
        "You may ask for an external review within 4 months after the final decision. "
        "You may file an appeal within 180 days of the date of this letter."
    )
    assert find_appeal_deadline(text, D(2026, 3, 3)) == D(2026, 8, 30)


def test_window_without_letter_date_gives_nothing() -> None:
    assert find_appeal_deadline("Appeal within 60 days of this notice.", None) is None


# --------------------------------------------------------------------------- ids & names


def test_claim_number_label_priority() -> None:
    text = "Reference #: REF-0001\nCase Number: CS-44129\nClaim #: 88120045\n"
    assert find_claim_number(text) == "88120045"
    assert find_claim_number("Ref: UM2026-5512\nSee reference 42 CFR 438.\n") == "UM2026-5512"


def test_claim_number_ignores_dates_and_words() -> None:
    assert find_claim_number("Request received: 03/01/2026\nCase: pending review\n") is None


def test_member_id_variants() -> None:
    assert find_member_id("Subscriber ID #: W123456789\n") == "W123456789"
    assert find_member_id("Member: Jane Doe\nID: ABC12345\n") == "ABC12345"
    assert find_member_id("Member ID (Medicaid):  0094417752\n") == "0094417752"
    assert find_member_id("Member: Jane Doe\n") is None


def test_insurer_from_phrase() -> None:
    text = "Dear Member,\nThank you for being a member of Blue Ridge Health Plan. We reviewed it."
    assert find_insurer(text) == "Blue Ridge Health Plan"


def test_reviewer_from_signature_block() -> None:
    text = "Sincerely,\n\nPriya Natarajan, MD, FACP\nMedical Director\n"
    assert find_reviewer(text) == "Priya Natarajan, MD, FACP"


def test_a_physician_named_beside_a_pharmacist_or_nurse_reviewer_is_the_reviewer() -> None:
    both = (
        "Pharmacist reviewer: Dana Whitcombe, PharmD\n"
        "Physician reviewer: Omar Haddad, MD, Rheumatology\n"
    )
    assert find_reviewer(both) == "Omar Haddad, MD"
    signed = "Reviewed by: Carla Mendes, RN\n\nSincerely,\nLeon Park, DO\nMedical Director\n"
    assert find_reviewer(signed) == "Leon Park, DO"
    # a pharmacist alone is the reviewer the notice names (the letter says so)
    assert find_reviewer("Reviewed by: Dana Whitcombe, PharmD\n") == "Dana Whitcombe, PharmD"


def test_a_heading_above_a_reviewer_line_is_no_reviewer_named_do() -> None:
    # 'WHAT YOU CAN DO' reads as a name with the credential DO; a heading is in capitals
    text = "Physician Reviewer, Keystone Rx\n\nWHAT YOU CAN DO\n\nTalk with the reviewer.\n"
    assert find_reviewer(text) is None
    assert find_reviewer("Leon Park, DO\nMedical Director\n") == "Leon Park, DO"
    # the physician named within the line above the role line decides, not the pharmacist
    notice = (
        "Reviewed by:   Corinne A. Haverford, PharmD, Clinical Pharmacist\n\n"
        "Determination: Malcolm J. Estabrook, MD, Board Certified in\n"
        "               Dermatology, Physician Reviewer, Keystone Rx Solutions\n\n"
        "WHAT YOU CAN DO\n\nTalk with the reviewer.\n"
    )
    assert find_reviewer(notice) == "Malcolm J. Estabrook, MD"


def test_a_program_label_naming_the_plan_is_no_level_of_care() -> None:
    from pipeline.extract import find_level_of_care

    assert find_level_of_care("Program: Cascade Employers Health Plan PPO\n") is None
    assert find_level_of_care("Program: Adult residential treatment\n") == (
        "Adult residential treatment"
    )
    assert find_level_of_care("Level of care: Acute inpatient\n") == "Acute inpatient"


def test_reviewer_needs_credentials() -> None:
    assert find_reviewer("Reviewer: the utilization management team\n") is None


@pytest.mark.parametrize(
    ("sentence", "offered"),
    [
        ("Your doctor may request a peer-to-peer review by calling 555-0100.", True),
        ("You may speak with the reviewer about this decision.", True),
        ("A peer to peer discussion is no longer available for this case.", False),
        ("The peer-to-peer window has passed.", False),
    ],
)
def test_peer_to_peer(sentence: str, offered: bool) -> None:
    assert find_peer_to_peer(sentence) is offered


# --------------------------------------------------------------------------- codes


def test_zip_codes_dollar_amounts_and_ids_are_not_cpt() -> None:
    text = (
        "Mail appeals to PO Box 30555, Salt Lake City, UT 84130-0555 or Springfield, IL 62704.\n"
        "Member services: 1-800-555-0100. Amount billed: $12,345.00; allowed $90837.00.\n"
        "Claim #: 90837\nProcedure code: 90834 (psychotherapy, 45 minutes)\n"
    )
    assert find_cpt_codes(text) == ["90834"]


def test_cpt_in_table_with_code_header() -> None:
    text = "| Service | Code | Units |\n|---|---|---|\n| Psychotherapy | 90837 | 12 |\n"
    assert find_cpt_codes(text) == ["90837"]


def test_plain_five_digit_numbers_are_not_cpt() -> None:
    assert find_cpt_codes("We received 12345 pages and 67890 faxes on time.") == []


def test_icd10_must_exist_and_dotless_needs_context() -> None:
    text = "Diagnosis: F332 and Z99.99 and F41.1; also vitamin B12, room C12 and M5416 later."
    assert find_icd10_codes(text) == ["F33.2", "F41.1"]


def test_icd10_versus_hcpcs_shape() -> None:
    text = "HCPCS code: J2357 (omalizumab)\nDiagnosis code (ICD-10): J4550\n"
    assert find_hcpcs_codes(text) == ["J2357"]
    assert find_icd10_codes(text) == ["J45.50"]


# --------------------------------------------------------------------------- plan type


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("Your employer group plan is self-funded; the plan administrator decides.",
         PlanType.erisa),
        ("You bought this individual plan through Covered California.", PlanType.aca_individual),
        ("Your Medi-Cal plan. You may ask for a State Fair Hearing.", PlanType.medicaid),
        ("This is a church plan and is not subject to ERISA Title I.",
         PlanType.government_or_church),
        # the negation wrapped at the margin still says the plan is no ERISA plan
        ("State of Iowa - Self-Funded Employee Benefit Plan\nThis Plan is a governmental plan. "
         "It is not subject\nto the Employee Retirement Income Security Act (ERISA).",
         PlanType.government_or_church),
        ("Federal Employees Health Benefits (FEHB) Program: ask OPM to review.",
         PlanType.government_or_church),
        ("TRICARE East Region denial.", PlanType.government_or_church),
        ("Medicare Summary Notice: you may ask for a redetermination.", PlanType.medicare),
        ("Questions? Call us.", PlanType.unknown),
    ],
)  # fmt: skip
def test_plan_types(text: str, plan: PlanType) -> None:
    assert find_plan_type(text) == plan


def test_medicare_in_passing_does_not_make_a_medicare_letter() -> None:
    text = (
        "Your employer's group health plan is governed by ERISA. We applied criteria similar to "
        "Medicare coverage policy. You may bring a civil action under section 502(a)."
    )
    assert find_plan_type(text) == PlanType.erisa


def test_ire_without_medicare_means_little() -> None:
    assert find_plan_type("An Independent Review Entity (IRE) may review.") == PlanType.unknown


# --------------------------------------------------------------------------- extract & provenance


class FakeEngine:
    """Returns an invented member id and criterion alongside real ones."""

    name = "fake"
    model: str | None = None

    def __init__(self, update: dict) -> None:
        self.update = update

    def analyze(self, request: AnalysisRequest) -> AnalysisResponse:
        return AnalysisResponse(analysis=request.found.model_copy(update=self.update))

    def argue(self, request: ArgumentRequest) -> ArgumentResponse:
        return ArgumentResponse()


REAL = Criterion(text="Imaging showing instability or spondylolisthesis", source="MCG 28th Edition")
INVENTED = Criterion(text="Failure of three epidural steroid injections", source="MCG")


def test_extract_with_default_engine() -> None:
    analysis = extract(ingest_text(NOABD))
    assert analysis.denial_categories[0] == DenialCategory.conservative_treatment_not_exhausted
    assert len(analysis.criteria) == 3 and analysis.member_id == "98765432A"


def test_provenance_drops_invented_values(caplog: pytest.LogCaptureFixture) -> None:
    letter = ingest_text(IDN_PROSE.replace("Member number: 1EG4TE5MK73\n", ""))
    engine = FakeEngine(
        {
            "member_id": "ZZ99887766",
            "criteria": [INVENTED, REAL.model_copy(update={"text": "you have tried at least 3"})],
            "cpt_codes": ["27447", "99999"],
            "icd10_codes": ["M17.11", "E11.9"],
        }
    )
    with caplog.at_level(logging.WARNING, logger="pipeline.extract"):
        analysis = extract(letter, engine)
    assert analysis.member_id is None
    assert [c.text for c in analysis.criteria] == ["you have tried at least 3"]
    assert analysis.criteria[0].source is None  # "MCG 28th Edition" is not in this letter
    assert analysis.cpt_codes == ["27447"] and analysis.icd10_codes == ["M17.11"]
    logged = caplog.text
    assert "member_id" in logged and "ZZ99887766" not in logged and "epidural" not in logged


def test_deterministic_values_win_on_conflict() -> None:
    letter = ingest_text(NOABD)
    engine = FakeEngine({"member_id": "UM-55821", "claim_number": "98765432A", "cpt_codes": []})
    analysis = extract(letter, engine)
    assert (analysis.member_id, analysis.claim_number) == ("98765432A", "UM-55821")
    assert analysis.cpt_codes == ["22612"]


def test_provenance_whitespace_case_and_icd_variants() -> None:
    text = "Diagnosis: m4316.\nThe records must SHOW six months\n   of conservative treatment."
    analysis = DenialAnalysis(
        icd10_codes=["M43.16"],
        criteria=[
            Criterion(text="show six months of Conservative Treatment"),
            Criterion(text="show six  months of conservative treatment"),
        ],
    )
    checked = enforce_provenance(analysis, text)
    assert checked.icd10_codes == ["M43.16"]
    assert [c.text for c in checked.criteria] == ["show six months of Conservative Treatment"]


def test_icd10_must_occur_as_a_whole_code() -> None:
    checked = enforce_provenance(DenialAnalysis(icd10_codes=["M43.1"]), "Diagnosis M43.16")
    assert checked.icd10_codes == []


def test_unlabelled_hcpcs_codes_are_found_but_not_ids_or_icd10() -> None:
    text = (
        "Requested: E0601 continuous positive airway pressure device, and A7030 full face mask.\n"
        "Member: A1234 is not a code here. Suite B2040, Portland.\n"
        "Diagnosis G4733 was reviewed."
    )
    assert find_hcpcs_codes(text) == ["E0601", "A7030"]


def test_unlabelled_hcpcs_shapes_that_are_sums_or_distant_ids_are_not_codes() -> None:
    """The id and amount guards of labelled codes hold for unlabelled ones too."""
    assert find_hcpcs_codes("Billing code J1234.50 on file.") == []
    assert find_hcpcs_codes("Member:" + " " * 20 + "A1234") == []
    assert find_hcpcs_codes("Requested E0601 device.") == ["E0601"]


def test_the_appeal_deadline_is_never_another_window_of_the_notice() -> None:
    """A keep-your-services row of a dates table, a services-to-continue sentence and a step the
    notice says is not an appeal give windows beside the appeal's: the deadline is the appeal
    filing window's (an appeal filed after those windows is not late)."""
    from pipeline.extract import find_appeal_clock

    notice = D(2026, 11, 12)
    table = (
        "IMPORTANT DATES\n| What | Deadline |\n"
        "| Keep your services while you appeal | within 10 days, or before November 23, 2026 |\n"
        "| Ask for a plan appeal | within 60 days of the notice date |\n"
    )
    assert find_appeal_clock(table, notice)[0] == D(2027, 1, 11)
    keep = (
        "If you want your services to continue while we decide your appeal, ask within 10 days "
        "of this notice.\n\nYou must ask for an appeal within 60 days of this notice.\n"
    )
    assert find_appeal_clock(keep, notice)[0] == D(2027, 1, 11)
    resend = (
        "Your doctor can send the records within 7 days of this notice and our reviewer will "
        "reconsider the request. This is not an appeal.\n\n"
        "If you disagree, you have 65 days from the date of this notice to ask for a "
        "reconsideration.\n"
    )
    assert find_appeal_clock(resend, notice)[0] == D(2027, 1, 16)


def test_a_policy_named_for_an_alternative_is_never_the_criteria_source() -> None:
    """The notice applied one policy and names others for the alternatives it prefers (the
    tuned request-lane case): the criteria are labelled with the applied policy, and the
    analysis's policy is it too."""
    from evals.strategy.kinds_request import REQUEST_KIND_CASES
    from pipeline.criteria_rules import read_criteria
    from pipeline.extract import find_policy

    notice = next(k.letter for k in REQUEST_KIND_CASES if k.name.startswith("apremilast"))
    applied = "Pharmacy Policy PP-612 Apremilast (Otezla)"
    assert {c.source for c in read_criteria(notice)} == {applied}
    assert find_policy("Covered alternatives (see Policy RX-9 Other). " + notice)[0] == applied


def test_a_policy_the_criteria_point_to_with_see_is_their_source() -> None:
    # review38 F19: 'see' introduces the criteria's own policy, not another drug's
    from pipeline.criteria_rules import read_criteria

    notice = (
        "Biologic requests are handled under Pharmacy Policy PP-700 Biologic Immunomodulators.\n"
        "Criteria not met (see Medical Policy MP-212 Plaque Psoriasis Biologics):\n"
        "1. Body surface area of at least 10% involved.\n"
        "2. Trial of phototherapy for at least 12 weeks.\n"
    )
    sources = {c.source for c in read_criteria(notice)}
    assert sources == {"Medical Policy MP-212 Plaque Psoriasis Biologics"}
