"""The appeal route and the Request by decision kind (session 37, devset18b shapes): an Original
Medicare prior-authorization non-affirmation is resubmitted, never appealed (no deadline, no
QIC, the planned date affirmed, no past date paid); a Part D coverage determination on the
standard Part D form goes to the Part D redetermination; a plan the California DMHC licenses
states its Independent Medical Review whatever its federal type; a missing-information window
is never the appeal's deadline and its fax never the appeals fax; an alternative the notice
names is never requested; a regimen written in the case is said as written, never a gap. Each
notice here is invented, in wording and layout unlike the dev cases'."""

from __future__ import annotations

import datetime as dt

from pipeline.draft import compose
from pipeline.engines import OfflineEngine
from pipeline.extract import (
    extract,
    extract_facts,
    find_appeal_clock,
    find_appeal_route,
    find_requested,
)
from pipeline.ingest import ingest_text
from pipeline.models import PlanType
from pipeline.reasoning import quantity as qty
from pipeline.reasoning import rights
from pipeline.reasoning.exception import exception_gaps
from pipeline.reasoning.request import case_period
from tests.test_request_shapes14 import _case, _request

# --------------------------------------------------------------- Medicare prior authorization

NON_AFFIRMED = (
    "Palmetto GBA - Jurisdiction M - Medicare Part A Medical Review\n"
    "Prior Authorization Program for Hospital Outpatient Department Services\n\n"
    "Date of decision: 03/02/2027\n"
    "Unique Tracking Number (UTN): M0302771155SC\n"
    "Anticipated date of service: 04/06/2027\n"
    "Service: 15823-50 Blepharoplasty, upper eyelid, with excessive skin weighting lid, x 1\n\n"
    "Decision: NON-AFFIRMED. The visual field study with the lids taped was not submitted.\n\n"
    "A non-affirmation is not an initial determination and cannot be appealed. The hospital may\n"
    "resubmit the request with the missing records under the same UTN as many times as needed;\n"
    "fax resubmissions to the Prior Authorization Unit at 1-855-555-0107. A resubmitted request\n"
    "is decided within 10 business days. Claims for services furnished without a provisional\n"
    "affirmation will be denied; a redetermination of such a claim may be requested within 120\n"
    "days of the remittance advice.\n"
)


def test_a_medicare_prior_auth_non_affirmation_is_resubmitted_not_appealed() -> None:
    analysis = extract_facts(NON_AFFIRMED)
    assert analysis.plan_type == PlanType.medicare
    spec = rights.resubmission(analysis, NON_AFFIRMED)
    assert spec is not None and not spec.appealable
    # the remittance advice a later claim would bring is no claim of this notice
    assert rights.timing(analysis, NON_AFFIRMED) == "pre_service"
    assert rights.filing_deadline(analysis, NON_AFFIRMED) is None
    case = _case("15823", "Upper eyelid blepharoplasty", "15823-50 x 1, planned 2027-04-06")
    said = " ".join(rights.legal_basis(analysis, NON_AFFIRMED, case, dt.date(2027, 3, 5)))
    assert "resubmitted" in said and "10 business days" in said
    assert "Qualified Independent Contractor" not in said and "120 days" not in said
    assert rights.resubmission_fax(NON_AFFIRMED) == "1-855-555-0107"


def test_the_resubmission_letter_asks_affirmation_for_the_planned_date_only() -> None:
    case = _case(
        "15823",
        "Upper eyelid blepharoplasty, both eyes",
        "15823-50 x 1, planned 2027-04-06",
        claim_reference="M0302771155SC",
    )
    md = compose(NON_AFFIRMED, extract(ingest_text(NON_AFFIRMED)), case, [], OfflineEngine(),
                 today=dt.date(2027, 3, 5), allow_gaps=True).markdown  # fmt: skip
    head = md.split("\nRe:", 1)[0]
    assert "Fax: 1-855-555-0107" in head and "Appeals Department" not in head
    assert "Re: Resubmission of the prior authorization request" in md
    request = _request(md)
    assert "provisional affirmation" in request and "M0302771155SC" in request
    assert "April 6, 2027" in request
    for wrong in ("reprocess", "pay for", "filed within", "timely filed", "good cause"):
        assert wrong not in request
    assert "Qualified Independent Contractor" not in md


# --------------------------------------------------------------- Part D on the standard form

PART_D = (
    "Bluestem Senior Advantage (HMO) - H7702-011\n"
    "NOTICE OF DENIAL OF MEDICARE PRESCRIPTION DRUG COVERAGE\n"
    "Date: 01/11/2027\n"
    "Drug: apremilast 30 mg tablet, twice daily, 60 tablets per 30 days\n\n"
    "We denied your request because the step therapy requirement was not met.\n\n"
    "You may ask us for a redetermination within 65 days. Mail: Bluestem Part D Appeals, PO\n"
    "Box 11402, Tulsa, OK 74182; fax 1-877-555-0148.\n"
)


def test_a_part_d_notice_on_the_standard_form_gets_the_part_d_redetermination() -> None:
    analysis = extract_facts(PART_D)
    assert analysis.plan_type == PlanType.medicare_advantage
    assert rights.spec_for(analysis, PART_D).key == "part_d"
    case = _case("", "Apremilast 30 mg tablet", "twice daily")
    said = " ".join(rights.legal_basis(analysis, PART_D, case, dt.date(2027, 1, 14)))
    assert "redetermination" in said and "423." in said
    assert "422.590" not in said and "without a request" not in said


# --------------------------------------------------------------- a DMHC plan of unknown type

DMHC = (
    "Coastline Community Health Plan\nDate: 02/01/2027\n"
    "Your request for 27447 total knee arthroplasty was denied as not medically necessary.\n\n"
    "You may file a grievance with us within 180 days: Coastline Member Grievances, PO Box\n"
    "3390, Fresno, CA 93776, fax (559) 555-0140.\n\n"
    "The California Department of Managed Health Care is responsible for regulating health\n"
    "care service plans. If your grievance is not resolved, you may apply for an Independent\n"
    "Medical Review.\n"
)


def test_a_dmhc_licensed_plan_of_unknown_type_states_the_imr_right() -> None:
    analysis = extract_facts(DMHC)
    assert analysis.plan_type == PlanType.unknown
    case = _case("27447", "Total knee arthroplasty", "27447 x 1")
    said = " ".join(rights.legal_basis(analysis, DMHC, case, dt.date(2027, 2, 3)))
    assert "Independent Medical Review" in said and "Cal. Health & Safety Code 1374.30" in said


# --------------------------------------------------------------- a missing-information window

WINDOWS = (
    "Harborline Health Insurance Co. | Utilization Review fax 1-800-555-0161\n"
    "Date of this letter: 10/05/2026\n\n"
    "RECORDS NEEDED\n"
    "We will reopen this request without a formal appeal if the records below reach us by\n"
    "10/19/2026, by fax to 1-800-555-0161. After that date the request is closed.\n\n"
    "HOW TO APPEAL\n"
    "You may appeal within 180 days of the date of this letter. Write to Harborline Appeals,\n"
    "PO Box 7720, Hartford, CT 06102, or fax 1-800-555-0169.\n"
)


def test_a_missing_information_window_is_neither_the_deadline_nor_the_appeals_fax() -> None:
    deadline, _ = find_appeal_clock(WINDOWS, dt.date(2026, 10, 5))
    assert deadline == dt.date(2026, 10, 5) + dt.timedelta(days=180)
    address, fax = find_appeal_route(WINDOWS)
    assert fax == "1-800-555-0169"
    assert address is not None and address.startswith("Harborline Appeals")


def test_an_address_after_a_lead_in_colon_is_read_without_the_lead() -> None:
    text = (
        "How to appeal. Send your appeal within 6 months of the date of this notice: Ridgeway\n"
        "Health Fund, Attn: Appeals Committee, PO Box 5512, Akron, OH 44309.\n"
    )
    address, _ = find_appeal_route(text)
    assert address == "Ridgeway Health Fund, Attn: Appeals Committee, PO Box 5512, Akron, OH 44309"


# --------------------------------------------------------------- an alternative the notice names


def test_an_alternative_the_notice_names_is_never_requested() -> None:
    text = (
        "Requested: 0581T Cryoablation of breast fibroadenoma x1\n"
        "Denied: experimental. Covered options include surgical excision (CPT 19120), which is\n"
        "available from network providers in your area.\n"
    )
    codes = [r.code for r in find_requested(text)]
    assert "0581T" in codes and "19120" not in codes


# --------------------------------------------------------------- a regimen the case writes


def test_a_limit_of_kits_of_one_vial_counts_kits_in_the_notices_words() -> None:
    limit = qty.parse_limit("QUANTITY LIMIT: 1 SINGLE-VIAL KIT PER 28 DAYS applies.")
    assert limit is not None and limit.unit == "kit"
    assert limit.text == "1 single-vial kit per 28 days"
    assert qty.parse_limit("limited to 2 pens per 28 days").text == "2 pens per 28 days"


def test_a_regimen_written_in_the_case_is_said_never_a_gap() -> None:
    notice = (
        "Date: 02/10/2027\nPharmacy prior authorization - quantity limit exception DENIED.\n"
        "Drug: Ilumya kit. Plan quantity limit: 1 single-dose kit per 84 days.\n"
    )
    details = (
        "Loading 100 mg SC once at week 0 and once at week 4 (one 100 mg/mL kit each), then "
        "100 mg SC every 12 weeks (one kit per dose); authorization period 2027-02-15 to "
        "2028-02-14."
    )
    case = _case("", "Tildrakizumab-asmn (Ilumya) 100 mg/mL prefilled syringe", details)
    from pipeline.reasoning.exception import drug_exception

    analysis = extract_facts(notice)
    found = drug_exception(analysis, case, notice)
    assert found is not None and found.regimen
    assert not [g for g in exception_gaps(found) if g.field == "service.details"]


def test_the_case_period_is_the_range_that_holds_the_others() -> None:
    details = (
        "first dose 2027-01-04; refills 2027-01-25 through 2027-06-14; authorization period "
        "2027-01-04 to 2027-06-30"
    )
    assert case_period(details) == "from January 4, 2027 to June 30, 2027"


def test_a_drug_regimen_no_phase_reading_counts_is_requested_as_ordered() -> None:
    from pipeline.reasoning.request import drug_request

    notice = (
        "Pinecrest Health - Pharmacy prior authorization\nDate: 01/05/2027\n"
        "Prior authorization DENIED for Winrevair (sotatercept-csrk) kit. Criterion 1 not met:\n"
        "no right heart catheterization report. You may appeal within 180 days.\n"
    )
    details = (
        "Starting dose 0.3 mg/kg SC once on 2027-01-15 (one 45 mg kit), then 0.7 mg/kg SC every "
        "21 days (one 90 mg kit per dose); authorization period 2027-01-15 to 2027-07-14."
    )
    case = _case("", "Sotatercept-csrk (Winrevair) injection (pharmacy benefit)", details)
    asked = drug_request(extract_facts(notice), case, notice)
    for dose in ("0.3 mg/kg", "45 mg kit", "0.7 mg/kg", "every 21 days", "90 mg kit"):
        assert dose in asked
    assert "January 15, 2027" in asked  # in the letter's date style
