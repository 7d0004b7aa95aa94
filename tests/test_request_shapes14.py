"""The Request and the appeal's rights, on the shapes blind judges found wrong: the whole course
a case orders (not its loading phase) with every code it orders per visit; a Medicare Advantage
Part B drug's own clocks and no Part D exception for it; a claim for care given reprocessed
line by line; a late appeal's good-cause facts and the representative's designation; the
expedited track's window never the appeal's deadline; a window's first day never a planned
date; a dose limit per kilogram however the notice writes it."""

from __future__ import annotations

import datetime as dt

from pipeline.draft import compose
from pipeline.engines import OfflineEngine
from pipeline.extract import extract, find_appeal_clock
from pipeline.ingest import ingest_text
from pipeline.models import CaseFacts, DenialAnalysis, PlanType
from pipeline.reasoning import rights
from pipeline.reasoning.law import exception_rule
from pipeline.reasoning.request import (
    claim_lines,
    course,
    per_kg,
    quantity,
    request_strings,
    requested_codes,
)
from pipeline.validate import validate
from tests.reasoning_fixtures import TMS, load

_, BASE, _ = load("tms-erisa", TMS)
TODAY = dt.date(2026, 11, 9)


def _case(code: str, description: str, details: str, **kw: object) -> CaseFacts:
    data = BASE.model_dump()
    data["service"].update({"code": code, "description": description, "details": details})
    return CaseFacts.model_validate({**data, **kw})


def _request(md: str) -> str:
    return md.split("## Request\n", 1)[1].split("\n## ", 1)[0]


# --------------------------------------------------------------------------- the course ordered

EYE = _case(
    "J2777",
    "Injection, faricimab-svoa, 0.1 mg (Vabysmo), intravitreal, right eye",
    "Faricimab 6 mg (60 units J2777) per injection, right eye, every 4 weeks for 4 doses then "
    "treat-and-extend every 8 to 16 weeks; up to 9 injections from 2026-11-16 to 2027-11-15; "
    "CPT 67028-RT x1 per injection; OCT 92134 x1 per injection visit",
)
TIERED = (
    "Date of determination: November 4, 2026\n"
    "PART B STEP THERAPY - COVERAGE DETERMINATION\n"
    "Item requested:\n"
    "   J2777  Injection, faricimab-svoa, 0.1 mg (Vabysmo)  - 60 units (6 mg) per\n"
    "          injection, RIGHT eye, up to 9 injections, 11/16/2026 - 11/15/2027\n"
    "   67028-RT  Intravitreal injection of a pharmacologic agent - 1 per injection\n\n"
    "DETERMINATION:  DENIED - Part B step therapy requirements not met\n"
    "  Preferred (step 1):      bevacizumab, repackaged for intravitreal use\n"
    "                           (J9035 / C9257)\n"
    "  Non-preferred (step 2):  aflibercept (J0178), aflibercept 8 mg (J0177),\n"
    "                           ranibizumab (J2778), brolucizumab (J0179)\n\n"
    "The plan can approve bevacizumab (J9035/C9257) for the right eye without further review.\n\n"
    "- Standard reconsideration of a Part B drug request: decision within 7 calendar days of\n"
    "  receipt.\n"
    "- Expedited (fast) reconsideration: decision within 72 hours.\n"
)


def test_the_request_is_the_whole_course_with_every_code_ordered_per_visit() -> None:
    analysis = extract(ingest_text(TIERED))
    codes = requested_codes(analysis, EYE, TIERED)
    named = [c for c, _, _ in codes]
    # the imaging the details order per injection visit is requested; no tier code is
    assert named == ["J2777", "67028", "92134"]
    found = course(analysis, EYE, TIERED, codes)
    assert found is not None
    # up to 9 injections (the course), never the 4 loading doses; a changing interval is no
    # single 'every 4 weeks'
    assert (found.count, found.up_to, found.interval) == (9, True, "")
    assert dict(found.totals) == {"HCPCS J2777": 540, "CPT 67028": 9, "CPT 92134": 9}


def test_one_stated_count_is_still_the_course() -> None:
    case = _case("J2777", "faricimab", "60 units J2777 per injection every 4 weeks, 6 injections")
    analysis = extract(ingest_text(TIERED))
    found = course(analysis, case, TIERED, requested_codes(analysis, case, TIERED))
    assert found is not None and (found.count, found.interval) == (6, "every 4 weeks")


# --------------------------------------------------------------------------- Part B drug clocks


def test_a_medicare_advantage_part_b_drug_has_its_own_clocks_and_no_part_d_exception() -> None:
    analysis = DenialAnalysis(
        plan_type=PlanType.medicare_advantage,
        letter_date=dt.date(2026, 11, 4),
        hcpcs_codes=["J2777"],
    )
    said = "\n".join(rights.legal_basis(analysis, TIERED, EYE, TODAY))
    assert "within 7 days of its receipt (42 CFR 422.590(c))" in said
    assert "30 days" not in said and "423." not in said
    # the standard notice form names Part B drugs among what it may deny: a knee replacement
    # denied on it keeps the 30 days of a service
    form = "We denied the medical services/items/Part B drugs listed below.\n"
    knee = DenialAnalysis(
        plan_type=PlanType.medicare_advantage, letter_date=dt.date(2026, 11, 4),
        cpt_codes=["27447"],
    )  # fmt: skip
    said = "\n".join(rights.legal_basis(knee, form, EYE, TODAY))
    assert "within 30 days of its receipt (42 CFR 422.590(a))" in said
    assert exception_rule(PlanType.medicare_advantage, TIERED, "step_therapy") is None
    # a Part D notice keeps its exception and its redetermination clocks
    part_d = "Medicare Part D plan coverage determination. Step therapy applies.\n"
    rule = exception_rule(PlanType.medicare_advantage, part_d, "step_therapy")
    assert rule is not None and rule.citation == "42 CFR 423.578"


def test_the_notices_clock_is_read_from_a_list_item_and_never_the_expedited_one() -> None:
    clock = rights.notice_clock(TIERED, "pre_service")
    assert clock is not None and (clock.amount, clock.unit) == (7, "days")
    fast_only = "- Expedited (fast) reconsideration: decision within 72 hours.\n"
    assert rights.notice_clock(fast_only, "pre_service") is None


# --------------------------------------------------------------------------- dates


def test_the_expedited_filing_window_is_not_the_appeal_deadline() -> None:
    text = (
        "RECONSIDERATION RIGHTS\n"
        "  - EXPEDITED reconsideration (pre-procedure denials): you may ask for an expedited\n"
        "    reconsideration. The request must be RECEIVED within 3 calendar days of the date\n"
        "    of this notice (by November 15, 2026). A decision will be made within 3 days.\n"
        "  - STANDARD reconsideration: Your written request must be postmarked or received\n"
        "    within 90 calendar days of the date of this notice.\n"
    )
    day, words = find_appeal_clock(text, dt.date(2026, 11, 12))
    assert day == dt.date(2027, 2, 10) and words is not None and "90 calendar days" in words
    # with no standard window, the expedited one is still the only one stated
    alone = text.split("  - STANDARD")[0]
    assert find_appeal_clock(alone, dt.date(2026, 11, 12))[0] == dt.date(2026, 11, 15)


def test_a_windows_first_day_is_no_planned_date() -> None:
    for details in (
        "CPT 93580 x1; requested window 2026-12-01 to 2027-02-28",
        "up to 9 injections from 2026-11-16 to 2027-11-15",
        "12 months (2026-12-15 to 2027-12-14) with pen needles",
    ):
        assert rights.scheduled(_case("93580", "PFO closure", details), TODAY) is None
    planned = _case("31647", "valves", "planned 2026-12-15, window 2026-12-01 to 2027-02-28")
    found = rights.scheduled(planned, TODAY)
    assert found is not None and found.day == dt.date(2026, 12, 15)


# --------------------------------------------------------------------------- a claim for care given

EOB = (
    "EXPLANATION OF BENEFITS                                     THIS IS NOT A BILL\n"
    "Original processing date: 05/19/2026\n"
    "Claim number:      26139-884120-00                   Network status: IN NETWORK\n"
    "Ln  Dates of service        Code   Description            Units   Billed   Allowed  Plan paid"
    "  Remark\n"
    "01  04/06/2026              99205  Office visit, new pt       1   420.00    248.16     198.53"
    "  P01\n"
    "02  04/13/2026              77263  Tx planning, complex       1   612.00      0.00       0.00"
    "  X50\n"
    "09  04/20/2026-04/29/2026   77373  SBRT delivery, per fx      5 27500.00      0.00       0.00"
    "  X50\n"
    "P01  Paid according to your plan's benefits.\n"
    "X50  Not covered: the service is not medically necessary.\n"
    "REASON FOR DETERMINATION (lines 02-09)\n"
    "Not covered: the service is not medically necessary.\n"
    "Appeals must be filed within 180 days of the ORIGINAL processing date shown above.\n"
    "For this claim the appeal period ended on 11/15/2026. We may consider a late appeal if you "
    "show good cause.\n"
)
SBRT = _case(
    "77373",
    "Stereotactic body radiation therapy, per fraction",
    "completed course (retrospective claim, lines 02-09): 77263 x1, 77373 x5; 50 Gy in 5 fractions",
    claim_reference="26139-884120-00",
    objective_findings=[
        {
            "kind": "other",
            "name": "Claim and notice history",
            "value": "Original Explanation of Benefits dated 2026-05-19 was mailed to the "
            "patient's former address; he first received the determination as the reissued "
            "copy, received 2026-11-19; he designated Dr. Reyes as his authorized "
            "representative in writing on 2026-11-20",
            "date": "2026-11-20",
        }
    ],
)


def test_a_claims_lines_keep_their_date_ranges_and_amounts_without_commas() -> None:
    lines = claim_lines(EOB, ["77263", "77373"])
    assert lines["77263"].billed == "612.00" and lines["77263"].last is None
    ranged = lines["77373"]
    assert (ranged.day, ranged.last, ranged.billed) == (
        dt.date(2026, 4, 20), dt.date(2026, 4, 29), "27500.00",
    )  # fmt: skip


def test_a_claim_for_care_given_is_reprocessed_line_by_line_with_the_late_facts() -> None:
    analysis = extract(ingest_text(EOB))
    assert rights.timing(analysis, EOB) == "post_service"  # its lines' dates, before the notice
    md = compose(EOB, analysis, SBRT, [], OfflineEngine(), today=dt.date(2026, 11, 24),
                 allow_gaps=True).markdown  # fmt: skip
    request = _request(md)
    assert "reprocess claim" in request and "pay, at the in-network rate, for line 02" in request
    assert "dates of service April 20, 2026 to April 29, 2026; billed $27500.00" in request
    assert "approve" not in request.split("\n\n")[0] and "expedited" not in request
    # the good-cause facts the case gives, and the designation, mentioned and enclosed
    assert "mailed to the patient's former address" in request
    assert "designated Dr. Reyes as his authorized representative" in request
    assert "I enclose that designation" in request
    enclosed = md.split("## Enclosures\n", 1)[1].split("\n## ", 1)[0]
    assert "Designation of authorized representative (November 20, 2026)." in enclosed


def test_no_designation_is_said_when_the_case_records_none() -> None:
    assert rights.representative(BASE, "Ana Lee") is None
    refused = _case("1", "x", "", clinical_summary="He has not designated a representative.")
    assert rights.representative(refused, "Ana Lee") is None


# --------------------------------------------------------------------------- a dose per kilogram


def test_a_limit_per_kilogram_in_words_is_compared_on_the_latest_weight() -> None:
    notice = (
        "Genotropin 12 mg cartridges are limited to 1 cartridge per 28 days. More may\n"
        "be approved only if the prescribed dose is no more than 0.24 mg per kg per\n"
        "week, using a weight measured within the last 90 days.\n"
    )
    case = _case(
        "",
        "Genotropin (somatropin) 12 mg cartridge",
        "0.8 mg daily = 5.6 mg per week; 2 cartridges per 28 days",
        objective_findings=[
            {"kind": "vital", "name": "Weight", "value": "weight 21.6 kg", "date": "2026-04-21"},
            {"kind": "vital", "name": "Weight", "value": "weight 23.8 kg", "date": "2026-10-20"},
        ],
    )
    found = per_kg(notice, case)
    assert found is not None and (found.limit, found.per, found.weight) == (0.24, "week", 23.8)
    assert "0.235 mg/kg/week, within your limit of 0.24 mg/kg/week" in found.sentence()


# --------------------------------------------------------------------------- hours a week


ABA_NOTICE = (
    "Date of notice: November 2, 2026\n"
    "SERVICES REVIEWED\n"
    "  97153  Adaptive behavior treatment by protocol, per 15 minutes    DENIED\n"
    "  97155  Adaptive behavior treatment with protocol modification     DENIED\n\n"
    "This request is denied: it is not medically necessary.\n"
)


def test_every_code_the_details_order_by_the_week_is_requested_with_its_total() -> None:
    details = (
        "97153 at 30 hours weekly (120 units per week) for 26 weeks; 97155 3 hours per week "
        "(12 units/week) x 26 weeks; 97156 family guidance 2 hours per month (8 units per "
        "month) for 6 months"
    )
    case = _case("97153", "Applied behavior analysis", details)
    analysis = extract(ingest_text(ABA_NOTICE))
    codes = requested_codes(analysis, case, ABA_NOTICE)
    assert [c for c, _, _ in codes] == ["97153", "97155", "97156"]  # 97156: the details' order
    assert (
        quantity("97153", None, [details]) == "120 units per week for 26 weeks (3,120 units in all)"
    )
    assert quantity("97155", None, [details]) == "12 units per week for 26 weeks (312 units in all)"
    assert quantity("97156", None, [details]) == "8 units per month for 6 months (48 units in all)"
    # a span that holds no whole number of the rate's periods gets no total
    assert "in all" not in quantity("97156", None, ["97156 8 units per month for 26 weeks"])
    strings = request_strings(analysis, case, ABA_NOTICE)
    assert {"3,120 units", "312 units", "48 units"} <= set(strings)
    md = compose(ABA_NOTICE, analysis, case, [], OfflineEngine(), today=TODAY,
                 allow_gaps=True)  # fmt: skip
    request = _request(md.markdown)
    assert "CPT 97156 8 units per month for 6 months (48 units in all)" in request
    assert not [f for f in validate(md).findings if f.code.startswith(("request", "grounding"))]


CUT = (
    "Date of notice: November 2, 2026\n"
    "NOTICE OF REDUCTION OF SERVICES\n"
    "Services: 97153 Adaptive behavior treatment by protocol; 97155 protocol modification; "
    "97156 family guidance\n"
    "We are reducing the authorized hours of adaptive behavior treatment (97153) from 30 hours "
    "per week to 15 hours per week, effective December 1, 2026 through May 31, 2027.\n"
    "The reduction is because the services are not medically necessary at the requested "
    "intensity.\n"
)


def test_a_cut_to_one_code_still_requests_every_code_with_its_units() -> None:
    details = (
        "97153 x 120 units per week (30 hours per week), 97155 x 12 units per week (3 hours "
        "per week) and 97156 x 8 units per month, for 26 weeks"
    )
    case = _case("97153", "Applied behavior analysis", details)
    analysis = extract(ingest_text(CUT))
    assert analysis.service_change is not None
    draft = compose(CUT, analysis, case, [], OfflineEngine(), today=TODAY, allow_gaps=True)
    request = _request(draft.markdown)
    assert "reverse the reduction" in request and "(CPT 97153 120 units per week" in request
    assert "It also covers CPT 97155 12 units per week" in request and "CPT 97156" in request
    assert not [f for f in validate(draft).findings if f.code.startswith("request")]


def test_hours_a_week_are_a_time_not_units_and_every_code_ordered_in_hours_is_requested() -> None:
    details = "97153 x 25 hours/week, 97155 x 4 hours/week, 97156 x 2 hours/month, for 6 months"
    case = _case("97153", "Applied behavior analysis", details)
    analysis = extract(ingest_text(ABA_NOTICE))
    codes = requested_codes(analysis, case, ABA_NOTICE)
    # 'x 25 hours/week' is no count of 25 units; 97156 is ordered in hours, so requested
    assert codes == [("97153", None, []), ("97155", None, []), ("97156", None, [])]
    assert quantity("97153", None, [details]) == "25 hours per week"
    assert quantity("97156", None, [details]) == "2 hours per month for 6 months"
    assert {"25 hours", "2 hours"} <= set(request_strings(analysis, case, ABA_NOTICE))
