"""Strategy kinds the blind reading found (issue 17, strategy round 28): a plan's own exception
inside its exclusion argued as the ground; a post-service claim's clock and request; every unit
and period of the notice in the request; a Medicare Advantage plan's criterion beyond the NCD;
a deadline near or past; a criterion the physician cannot meet conceded with its reason. Each
test fails without the change it guards."""

from __future__ import annotations

import datetime as dt

from pipeline.draft import compose
from pipeline.engines import OfflineEngine
from pipeline.extract import extract, extract_facts
from pipeline.ingest import ingest_text
from pipeline.letter_format import CRITERIA, IDENTIFICATION, REQUEST, split_sections
from pipeline.models import CaseFacts

TODAY = dt.date(2026, 12, 6)


def _case(code: str, description: str, summary: str, **extra: object) -> CaseFacts:
    return CaseFacts.model_validate(
        {
            "patient": {"name": "Eli Moss", "date_of_birth": dt.date(1990, 4, 1)},
            "physician": {"name": "Ana Ruiz", "credentials": "MD", "npi": "1234567893"},
            "service": {"code": code, "description": description},
            "clinical_summary": summary,
            **extra,
        }
    )


def _draft(notice: str, case: CaseFacts, today: dt.date = TODAY) -> dict[str, str]:
    analysis = extract_facts(notice)
    draft = compose(notice, analysis, case, [], OfflineEngine(), today=today, allow_gaps=True)
    return split_sections(draft.markdown)


COSMETIC_NOTICE = (
    "Lakeside Benefit Services, for the Arbor Tools Health Plan (self-funded, ERISA)\n"
    "NOTICE OF ADVERSE BENEFIT DETERMINATION - PRE-SERVICE\nDate of notice: November 16, 2026\n"
    "Member ID: LBS-1102\nService requested: 15820 Blepharoplasty, lower eyelid\n\n"
    "The plan excludes cosmetic surgery. This exclusion does not apply to reconstructive "
    "surgery to correct a deformity caused by an accidental injury. Blepharoplasty is "
    "considered cosmetic.\nYou may appeal within 180 days of receiving this notice.\n"
)


def test_the_plans_own_exception_is_argued_when_the_facts_fit_it() -> None:
    case = _case(
        "15820", "Lower eyelid reconstruction",
        "Lower lid retraction and ectropion since a dog bite injury to the face in May 2025. "
        "Exposure keratopathy on slit lamp exam.",
    )  # fmt: skip
    sections = _draft(COSMETIC_NOTICE, case)
    argued = sections[CRITERIA]
    assert "“reconstructive surgery to correct a deformity caused by an accidental injury”" in (
        argued
    )
    assert "dog bite injury" in argued.split("does not apply to", 1)[1].split("\n")[0]
    assert "own exception" in sections[IDENTIFICATION] and "own exception" in sections[REQUEST]


def test_without_a_fact_that_fits_it_the_exception_is_not_claimed() -> None:
    case = _case(
        "15820", "Lower eyelid blepharoplasty",
        "Lower lid bags with dermatochalasis; she is bothered by a tired look.",
    )  # fmt: skip
    sections = _draft(COSMETIC_NOTICE, case)
    assert "own exception" not in sections[CRITERIA] + sections[IDENTIFICATION]


MA_NOTICE = (
    "Evergreen Senior Advantage (Medicare Advantage HMO)\nNOTICE OF DENIAL OF MEDICAL COVERAGE\n"
    "Date: November 17, 2026\nMember ID: ESA-1102\n"
    "Service requested: 69930 Cochlear device implantation, right ear\n\n"
    "We denied this request. Our Cochlear Implant Medical Policy CI-07 requires:\n"
    "1. Bilateral moderate-to-profound sensorineural hearing loss with limited benefit from "
    "amplification. Met.\n"
    "2. A 6-month trial of appropriately fitted bilateral hearing aids with documented use. "
    "Not met.\n\nYou have 65 days from the date of this notice to ask for a reconsideration.\n"
)
NCD_TEXT = (
    "Cochlear implantation may be covered for treatment of bilateral pre- or post-linguistic, "
    "sensorineural, moderate-to-profound hearing loss in individuals who demonstrate limited "
    "benefit from amplification. Patients must meet all of the following criteria: diagnosis "
    "of bilateral moderate-to-profound sensorineural hearing impairment with limited benefit "
    "from appropriate hearing aids; no contraindications to surgery."
)


def _ncd(text: str = NCD_TEXT):
    from pipeline.models import Passage, RetrievedPassage

    rule = Passage(
        id="cms-ncd-50-3-p1", kind="coverage_policy",
        issuing_body="Centers for Medicare & Medicaid Services (CMS)", short_body="CMS",
        title="National Coverage Determination (NCD) 50.3: Cochlear Implantation",
        year=2022, section="B. Nationally Covered Indications", text=text,
        specialty="medicare_coverage", url="https://www.cms.gov/", license="Public domain",
        conditions=["H90"], services=["69930"], treatments=["cochlear implantation"],
    )  # fmt: skip
    return [RetrievedPassage(passage=rule, score=0.9, rank=1, criteria=[0, 1])]


def _ma_draft(notice: str, passages: list) -> dict[str, str]:
    case = _case(
        "69930", "Cochlear implantation, right ear",
        "Bilateral severe-to-profound sensorineural hearing loss; best-aided AzBio 28%. "
        "Bilateral hearing aids fitted in August 2026 (3 months of documented use).",
        diagnoses=[{"code": "H90.3", "description": "Sensorineural hearing loss, bilateral"}],
    )  # fmt: skip
    analysis = extract(ingest_text(notice, source="test"), OfflineEngine())
    draft = compose(notice, analysis, case, passages, OfflineEngine(), today=TODAY,
                    allow_gaps=True)  # fmt: skip
    return split_sections(draft.markdown)


def _criterion(sections: dict[str, str], n: int) -> str:
    import re

    parts = re.split(r"^### ", sections[CRITERIA], flags=re.MULTILINE)
    return next((p for p in parts if re.match(rf"Criterion {n}\b", p)), "")


def test_under_medicare_advantage_a_criterion_beyond_the_ncd_is_named_as_such() -> None:
    own = _criterion(_ma_draft(MA_NOTICE, _ncd()), 2)
    assert "NCD 50.3" in own and "does not require at least 6 months" in own
    assert "422.101(b)(6)" in own


def test_a_criterion_the_ncd_itself_states_is_not_called_beyond_it() -> None:
    stated = NCD_TEXT + " A trial of hearing aids for at least 6 months is required."
    assert "422.101(b)(6)" not in _criterion(_ma_draft(MA_NOTICE, _ncd(stated)), 2)
    employer = MA_NOTICE.replace("Evergreen Senior Advantage (Medicare Advantage HMO)",
                                 "Evergreen Benefit Plan (self-funded, ERISA)")  # fmt: skip
    assert "does not require" not in _criterion(_ma_draft(employer, _ncd()), 2)


LATE_NOTICE = (
    "Meridian Trust Benefit Services, for the Halvorsen Tool Employee Plan (self-funded, "
    "governed by ERISA)\nNOTICE OF ADVERSE BENEFIT DETERMINATION - PRE-SERVICE\n"
    "Date of notice: May 4, 2026\nMember ID: MTB-1102\n"
    "Service requested: 64635 Destruction by neurolytic agent, facet joint nerve, lumbar\n\n"
    "The request is denied: the records show one diagnostic medial branch block, and our "
    "policy requires two. You may ask for an expedited appeal if a delay could seriously "
    "jeopardize your health.\n"
)
HARM = (
    "Continued disabling axial back pain that keeps him off work and on daily opioids, with "
    "the risks of opioid dependence that brings."
)


def test_a_deadline_past_by_the_plan_types_window_is_said_with_the_risk_of_waiting(
    capsys,
) -> None:
    from pipeline.cli import _warn_deadline

    case = _case("64635", "Lumbar radiofrequency ablation", "Facet pain.",
                 consequences_of_denial=HARM)  # fmt: skip
    request = _draft(LATE_NOTICE, case)[REQUEST]
    # the notice states no window: ERISA's 180 days from the notice ended October 31, 2026
    late = request.split("\n\n")[-1]
    assert late.startswith("The deadline of October 31, 2026 has passed") and "good cause" in late
    # the consequences sentence has no shorter clause: its section states it, the Request
    # points to it rather than saying it twice
    assert "Eli Moss remains at the risks set out under Consequences of denial." in late
    assert "continued disabling axial back pain" not in late
    # no urgency facts in the case: a late appeal asks for good cause, never for an expedited
    # review it has no basis for (e08f7f0: expedited only when the case states urgency)
    assert "expedited" not in late
    _warn_deadline(extract_facts(LATE_NOTICE), TODAY, LATE_NOTICE)
    assert "2026-10-31) has PASSED" in capsys.readouterr().err


def test_an_urgent_appeal_states_the_clinical_risk_of_waiting_and_a_routine_one_does_not() -> None:
    notice = LATE_NOTICE.replace("May 4, 2026", "November 30, 2026")
    urgent = _case("64635", "Lumbar radiofrequency ablation", "Facet pain.",
                   consequences_of_denial=HARM, urgency="expedited")  # fmt: skip
    assert "remains at the risks set out under" in _draft(notice, urgent)[REQUEST]
    routine = urgent.model_copy(update={"urgency": "standard"})
    assert "remains at" not in _draft(notice, routine)[REQUEST]


def test_a_peer_to_peer_window_after_office_hours_is_not_the_appeal_deadline() -> None:
    from pipeline.extract import find_appeal_deadline
    from pipeline.text.sentences import split_sentences

    said = "Call 8:30 a.m.-5 p.m. ET, within 5 business days. You may file a grievance."
    assert len(split_sentences(said)) == 2
    notice = (
        "PRESCRIBER OPTIONS\n- Peer-to-peer: call 1-866-555-0132, Monday-Friday 8:30 a.m.-5 "
        "p.m. ET, within 5 business days of this decision; quote the PA number.\n- The member "
        "may file a grievance.\n\nYou must file your grievance within 60 days from the date you "
        "receive this notice.\n"
    )
    assert find_appeal_deadline(notice, dt.date(2026, 11, 18)) == dt.date(2027, 1, 17)


def test_a_window_from_receipt_starts_on_the_day_the_notice_presumes_it_received() -> None:
    from pipeline.extract import find_appeal_deadline, find_expedited

    notice = (
        "The Plan must RECEIVE your written appeal within 180 days of the date you receive this "
        "EOB. If the Plan cannot establish the date you received this EOB, it will presume that "
        "you received it 5 days after the statement date shown on page 1.\n"
    )
    assert find_appeal_deadline(notice, dt.date(2026, 6, 10)) == dt.date(2026, 12, 12)
    assert not find_expedited("Up to 3 days (72 hours of recording) are covered.")
    assert find_expedited("An urgent appeal is decided within 72 hours.")


CLAIM_NOTICE = (
    "Great Miami Benefit Administrators, for the Tri-County Employee Health Plan (self-funded, "
    "ERISA)\nEXPLANATION OF BENEFITS - THIS IS NOT A BILL\nStatement date: 06/10/2026\n"
    "Member ID: GMB-1102    Claim number: 2026-0517-883104\n\n"
    "05/07/2026  95716  EEG monitoring, each 12 hours   $1,900.00  $0.00  Not medically "
    "necessary\n\nYou may appeal within 180 days of the date of this statement. If a delay "
    "could seriously jeopardize your health, you may ask for an expedited appeal.\n"
)


def test_a_claim_for_care_given_near_its_deadline_asks_no_expedited_review_and_no_risk() -> None:
    case = _case("95716", "Video-EEG monitoring", "Drug-resistant epilepsy.",
                 consequences_of_denial=HARM, urgency="expedited")  # fmt: skip
    request = _draft(CLAIM_NOTICE, case, dt.date(2026, 12, 3))[REQUEST]
    assert "close to the notice's appeal deadline of December 7, 2026" in request
    assert "expedited" not in request and "remains at" not in request


HBOT_NOTICE = (
    "Saguaro Senior Health Plan (Medicare Advantage HMO)\nNOTICE OF DENIAL OF MEDICAL COVERAGE\n"
    "Date: September 25, 2026\nMember ID: SSH-1102\nServices requested:\n"
    "    CPT   99183   Physician attendance and supervision of hyperbaric oxygen therapy, per "
    "session ........ 30 units\n"
    "    HCPCS G0277   Hyperbaric oxygen under pressure, full body chamber, per 30 minute "
    "interval ........ 120 units\n"
    "  Dates of service requested:   10/01/2026 through 12/31/2026\n\n"
    "We denied this request: a 30-day course of standard wound care is not documented. You "
    "have 65 days from the date of this notice to ask for a reconsideration.\n"
)


def _hbot_case(summary: str) -> CaseFacts:
    return _case(
        "99183", "Hyperbaric oxygen therapy", summary,
        service={"code": "99183", "additional_codes": ["G0277"],
                 "description": "Hyperbaric oxygen therapy",
                 "details": "CPT 99183 x 30 sessions with HCPCS G0277 x 120 units (4 thirty-"
                            "minute intervals per session), 5 sessions per week for 6 weeks"},
    )  # fmt: skip


def test_units_are_the_notices_totals_and_a_period_too_short_for_the_course_is_replaced() -> None:
    request = _draft(HBOT_NOTICE, _hbot_case("Wagner grade 3 ulcer."))[REQUEST]
    first = request.split("\n\n")[0]
    assert "HCPCS G0277 × 120" in first and "per session" not in first
    # 6 weeks from December 6 run past December 31: the course from the approval, said why
    assert "for 6 weeks from your approval (the period your notice names, October 1, 2026 to " \
        "December 31, 2026, can no longer hold it)" in first


def test_a_late_appeal_gives_the_cases_reason_the_plans_good_cause_rule_and_a_new_request() -> (
    None
):
    summary = (
        "Wagner grade 3 ulcer. She was in hospital with a hip fracture until 11/25/2026, which "
        "is why this appeal was not sent within 65 days of the notice."
    )
    late = _draft(HBOT_NOTICE, _hbot_case(summary))[REQUEST].split("\n\n")[-1]
    assert late.startswith("The notice's appeal deadline of November 29, 2026 has passed")
    assert "The reason it is late: she was in hospital with a hip fracture until November 25" in (
        late
    )
    assert "good cause for the late filing is shown (42 CFR 422.582(c))" in late
    assert "treat this letter as a new request" in late



def test_the_risk_of_waiting_is_pointed_to_where_the_consequences_state_it() -> None:
    notice = LATE_NOTICE.replace("May 4, 2026", "November 30, 2026")
    harm = (
        "He survived an overdose on 10/31/2026 and keeps using fentanyl at this dose daily; "
        "without treatment another overdose may be fatal."
    )
    urgent = _case("64635", "Lumbar radiofrequency ablation", "Facet pain.",
                   consequences_of_denial=harm, urgency="expedited")  # fmt: skip
    sections = _draft(notice, urgent)
    assert "remains at the risks set out under Consequences of denial" in sections[REQUEST]
    assert "overdose" not in sections[REQUEST]
    assert "overdose on October 31, 2026" in sections["Consequences of denial"]


def test_an_urgent_fehb_reconsideration_is_asked_as_an_urgent_care_claim() -> None:
    notice = (
        "ACS Benefit Association - Federal Employees Health Benefits (FEHB) Program plan\n"
        "Date: December 2, 2026\nMember ID: ACS-1102\nService: 77525 Proton treatment delivery\n"
        "We denied this request as experimental. You may ask us to reconsider within 6 months. "
        "If we affirm, you may ask the Office of Personnel Management to review it.\n"
    )
    case = _case("77525", "Proton treatment delivery", "Sinonasal carcinoma after resection.",
                 urgency="expedited")  # fmt: skip
    request = _draft(notice, case)[REQUEST]
    assert "reconsider this as an urgent care claim" in request
    assert "(5 CFR 890.105)" in request and "2560.503-1" not in request
    routine = case.model_copy(update={"urgency": "standard"})
    assert "urgent care claim" not in _draft(notice, routine)[REQUEST]


SLEEVE_NOTICE = (
    "Prairie Crest Health - Individual Marketplace (Affordable Care Act)\n"
    "NOTICE OF ADVERSE BENEFIT DETERMINATION - PRE-SERVICE\nDate of notice: November 18, 2026\n"
    "Member ID: PCH-1102\nService requested: 43775 Laparoscopic sleeve gastrectomy\n\n"
    "Policy BAR-02 requires:\n1. Body mass index of 40 or more. Met.\n"
    "2. A very-low-calorie diet for 8 weeks before surgery. Not met.\n\n"
    "You may appeal within 180 days of receiving this notice.\n"
)


def test_a_conceded_criterion_states_the_cases_own_reason_it_cannot_be_met() -> None:
    summary = (
        "BMI 46 with type 1 diabetes on insulin. A very-low-calorie diet is unsafe for her "
        "because of the risk of ketoacidosis."
    )
    case = _case("43775", "Laparoscopic sleeve gastrectomy", summary,
                 conceded=[{"criterion": 2}])  # fmt: skip
    analysis = extract(ingest_text(SLEEVE_NOTICE, source="test"), OfflineEngine())
    draft = compose(SLEEVE_NOTICE, analysis, case, [], OfflineEngine(), today=TODAY,
                    allow_gaps=True)  # fmt: skip
    own = _criterion(split_sections(draft.markdown), 2)
    assert "I do not dispute" in own
    assert "The reason: a very-low-calorie diet is unsafe for her because of the risk of " \
        "ketoacidosis." in own
    given = _case("43775", "Laparoscopic sleeve gastrectomy", summary,
                  conceded=[{"criterion": 2, "reason": "She cannot follow a liquid diet."}])
    draft = compose(SLEEVE_NOTICE, analysis, given, [], OfflineEngine(), today=TODAY,
                    allow_gaps=True)  # fmt: skip
    assert "The reason: she cannot follow a liquid diet." in _criterion(
        split_sections(draft.markdown), 2
    )


def test_a_criterion_the_notice_takes_from_the_ncd_itself_is_never_called_beyond_it() -> None:
    notice = MA_NOTICE.replace(
        "Our Cochlear Implant Medical Policy CI-07 requires:",
        "Under National Coverage Determination (NCD) 50.3, coverage requires:",
    )
    assert "422.101(b)(6)), so" not in _criterion(_ma_draft(notice, _ncd()), 2)


def test_the_request_points_to_the_consequences_and_does_not_copy_them() -> None:
    # the Consequences section states the sentence whole; the late paragraph points to it
    # (a clause of it copied word for word reads as a template's repetition)
    harm = (
        "The wound has not healed after four months of complete standard care and still probes "
        "to bone; without adjunctive therapy she faces recurrent osteomyelitis and amputation."
    )
    case = _case("64635", "Lumbar radiofrequency ablation", "Facet pain.",
                 consequences_of_denial=harm)  # fmt: skip
    sections = _draft(LATE_NOTICE, case)
    late = sections[REQUEST].split("\n\n")[-1]
    assert "remains at the risks set out under Consequences of denial" in late
    assert "wound" not in late and "amputation" not in late
    assert "amputation" in sections["Consequences of denial"]
