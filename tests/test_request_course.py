"""The Request counts what it asks for: a drug code's units from its dose and the code's HCPCS
descriptor, a dose repeated at an interval counted over the administrations (as stated, else
over the period asked: every 4 weeks for 12 months is 13 doses), and a gap naming
service.details when a repeated dose has neither a count nor a period."""

from __future__ import annotations

import datetime as dt

from pipeline.draft import compose
from pipeline.engines import OfflineEngine
from pipeline.extract import extract, find_hcpcs_codes
from pipeline.ingest import ingest_text
from pipeline.models import CaseFacts
from pipeline.reasoning.request import course, course_gap, request_strings, requested_codes
from pipeline.validate import validate
from tests.reasoning_fixtures import TMS, load

_, BASE, _ = load("tms-erisa", TMS)


def _case(code: str, description: str, details: str) -> CaseFacts:
    service = BASE.service.model_copy(
        update={"code": code, "codes": [code], "description": description, "details": details}
    )
    return BASE.model_copy(update={"service": service})


def _notice(body: str) -> str:
    return (
        f"{BASE.insurer}\nDate of notice: October 1, 2026\nMember ID: {BASE.patient.member_id}\n\n"
        f"{body}\n\nThis request is denied: it is not medically necessary.\n"
    )


def _read(body: str, case: CaseFacts):
    text = _notice(body)
    analysis = extract(ingest_text(text))
    return analysis, text, requested_codes(analysis, case, text)


IRON = _case(
    "J1439",
    "Injection, ferric carboxymaltose, 1 mg",
    "Ferric carboxymaltose 750 mg IV, two doses 7 days apart",
)


def test_a_drug_codes_units_are_its_dose_over_the_descriptors_amount():
    # 'x 1' counts one administration; the code bills 1 mg a unit, so 750 mg is 750 units
    _, _, codes = _read("Service requested: HCPCS J1439 x 1 (ferric carboxymaltose)", IRON)
    assert codes == [("J1439", 750, [])]


def test_a_descriptor_on_the_notices_line_counts_too():
    case = _case("J0135", "adalimumab", "Adalimumab 40 mg every 14 days for 6 months")
    body = "Drug requested: adalimumab (HCPCS J0135, injection, adalimumab, 20 mg)"
    assert _read(body, case)[2] == [("J0135", 2, [])]


def test_stated_units_above_one_are_kept_and_an_unknown_dose_changes_nothing():
    # the notice's own count of several units is kept
    _, _, codes = _read("Service requested: HCPCS J1439 x 2", IRON)
    assert codes == [("J1439", 2, [])]
    # no dose in the details: the notice's units as read
    no_dose = _case("J1439", "Injection, ferric carboxymaltose, 1 mg", "IV iron, two doses")
    assert _read("Service requested: HCPCS J1439 x 1", no_dose)[2] == [("J1439", 1, [])]


IG = _case(
    "J1569",
    "Injection, immune globulin (Gammagard liquid), 500 mg",
    "Gammagard 30 g IV (60 units J1569) every 3 weeks with 96365 x1 and 96366 x2 per infusion, "
    "6 infusions",
)
IG_BODY = (
    "Services requested:\n"
    "  J1569  Injection, immune globulin, 500 mg - 60 units per infusion\n"
    "  96365  Intravenous infusion, initial, up to 1 hour - 1 unit per infusion\n"
    "  96366  Each additional hour - 2 units per infusion\n"
)


def test_a_course_counts_each_codes_units_over_its_stated_administrations():
    analysis, text, codes = _read(IG_BODY, IG)
    found = course(analysis, IG, text, codes)
    assert found is not None
    assert found.sentence() == (
        "That is 6 infusions, every 3 weeks: 360 units of HCPCS J1569, 6 units of CPT 96365 and "
        "12 units of CPT 96366 in all."
    )
    # the computed numbers ground the letter's statement of them
    assert {"360 units", "12 units", "6"} <= set(request_strings(analysis, IG, text))


def test_a_maintenance_course_is_counted_over_the_period_asked():
    case = _case(
        "J1745",
        "Injection, infliximab, excludes biosimilar, 10 mg",
        "Infliximab 500 mg IV every 8 weeks for 12 months (maintenance)",
    )
    analysis, text, codes = _read("Drug requested: HCPCS J1745 (infliximab, 10 mg)", case)
    assert codes == [("J1745", 50, [])]
    found = course(analysis, case, text, codes)
    assert found is not None
    assert found.sentence() == (
        "Every 8 weeks for 12 months is 6 doses: 300 units of HCPCS J1745 in all."
    )
    assert course_gap(analysis, case, text) is None


def test_every_four_weeks_for_twelve_months_is_thirteen_doses():
    case = _case("J2350", "Injection, ocrelizumab, 1 mg", "Drug 300 mg every 4 weeks for 12 months")
    analysis, text, codes = _read("Drug requested: HCPCS J2350 (ocrelizumab, 1 mg)", case)
    found = course(analysis, case, text, codes)
    assert found is not None and found.count == 13 and found.totals == (("HCPCS J2350", 3900),)


def test_a_repeated_dose_with_no_count_or_period_is_a_gap_on_service_details():
    case = _case("J2350", "Injection, ocrelizumab, 1 mg", "Drug 300 mg every 4 weeks")
    analysis, text, codes = _read("Drug requested: HCPCS J2350 (ocrelizumab, 1 mg)", case)
    assert course(analysis, case, text, codes) is None
    gap = course_gap(analysis, case, text)
    assert gap is not None and gap.field == "service.details"
    md = compose(
        text, analysis, case, [], OfflineEngine(), today=dt.date(2026, 10, 5), allow_gaps=True
    ).markdown
    request = md.split("## Request\n", 1)[1].split("\n## ", 1)[0]
    assert gap.placeholder in request


def test_the_course_sentence_is_in_the_request_and_grounded():
    analysis, text, _ = _read(IG_BODY, IG)
    draft = compose(
        text, analysis, IG, [], OfflineEngine(), today=dt.date(2026, 10, 5), allow_gaps=True
    )
    request = draft.markdown.split("## Request\n", 1)[1].split("\n## ", 1)[0]
    assert "CPT 96366 2 units per infusion" in request
    assert "360 units of HCPCS J1569" in request
    report = validate(draft)
    assert not [f for f in report.findings if f.code.startswith("grounding")], report.findings


def test_a_house_number_is_no_code():
    text = "Meridian Benefit Services\nN2750 Commerce Court, Appleton, WI 54915\nJ1459 x 80"
    assert find_hcpcs_codes(text) == ["J1459"]


EOB = (
    "Claim number: 2026-100-0001\n"
    "Ln  Date(s)      Service                          Units   Billed    Paid   Remark\n"
    "01  07/02/2026   64483 Injection, transforaminal     1    1,200.00  0.00   PR-119\n"
    "02  07/02/2026   77003 Fluoroscopic guidance         1      300.00  0.00   CO-197\n\n"
    "Line 01 (64483): the policy limits epidural injections (62321, 62323, 64479, 64483) to\n"
    "four per 12 months. Note: authorization AUTH-1 issued for 64483 confirms the service was\n"
    "authorized; authorization does not guarantee payment.\n"
    "Line 02 (77003): no precertification was on file.\n"
)


def test_a_claims_request_is_its_unpaid_lines_not_the_codes_its_prose_names():
    from pipeline.extract import find_requested

    # the authorized line the plan did not pay is appealed; the policy's list is no line
    assert [s.code for s in find_requested(EOB)] == ["64483", "77003"]


def test_each_claim_line_is_asked_with_its_date_and_amount_billed():
    from pipeline.reasoning.request import ClaimLine, claim_lines

    lines = claim_lines(EOB, ["64483", "77003"])
    assert lines == {
        "64483": ClaimLine("64483", "01", dt.date(2026, 7, 2), "1,200.00"),
        "77003": ClaimLine("77003", "02", dt.date(2026, 7, 2), "300.00"),
    }
    # without a column of amounts billed, no amount is named
    assert claim_lines(EOB.replace("Billed", "Amount"), ["64483"])["64483"].billed == ""


TIERS = (
    "Item requested: J2777 Injection, faricimab-svoa, 0.1 mg - 60 units per injection, right\n"
    "                eye, up to 9 injections, 11/16/2026 - 11/15/2027\n"
    "Item requested: 67028-RT Intravitreal injection - 1 per injection\n\n"
    "DETERMINATION: DENIED - step therapy requirements not met.\n\n"
    "Anti-VEGF drug tiers under Policy RX-OPH-3:\n"
    "  Preferred (step 1): bevacizumab, repackaged (J9035 / C9257)\n"
    "  Non-preferred (step 2): aflibercept (J0178), aflibercept 8 mg (J0177), ranibizumab\n"
    "     (J2778), ranibizumab biosimilars (Q5124, Q5128), faricimab (J2777) after step 1\n"
)
FARICIMAB = _case(
    "J2777",
    "Injection, faricimab-svoa, 0.1 mg",
    "Faricimab 6 mg (60 units J2777) intravitreal, right eye, every 4 weeks x4 then every 8 "
    "weeks, up to 9 injections",
)


def test_codes_of_the_notices_step_or_tier_list_are_never_requested():
    analysis, _, codes = _read(TIERS, FARICIMAB)
    # the reading lists every code; the request is the items requested
    assert {"J9035", "J0178", "Q5128"} <= {r.code for r in analysis.requested}
    assert [c for c, _, _ in codes] == ["J2777", "67028"]



def test_codes_the_plan_offers_in_place_of_the_request_are_never_requested():
    """The offer names the step-1 codes outside the tier list; they are still not requested,
    and an offer of the requested code itself leaves it requested."""
    offer = TIERS + (
        "\nWHAT THE PLAN WOULD APPROVE\nThe plan can approve bevacizumab (J9035/C9257) for the "
        "right eye\nwithout further review.\n"
    )
    _, _, codes = _read(offer, FARICIMAB)
    assert [c for c, _, _ in codes] == ["J2777", "67028"]
    same = offer.replace("bevacizumab (J9035/C9257)", "faricimab (J2777) every 8 weeks")
    assert [c for c, _, _ in _read(same, FARICIMAB)[2]] == ["J2777", "67028"]

def test_a_course_whose_interval_changes_is_counted_without_one():
    analysis, text, codes = _read(TIERS, FARICIMAB)
    found = course(analysis, FARICIMAB, text, codes)
    assert found is not None
    # the administration code's '1 per injection' is read as its units and counted too
    assert found.sentence() == (
        "That is up to 9 injections: up to 540 units of HCPCS J2777 and up to 9 units of CPT "
        "67028 in all."
    )


GH = (
    "Drug requested: somatropin 5 mg cartridge\n\n"
    "REASON 1 - QUANTITY LIMIT\n"
    "Somatropin is limited to 1 cartridge per 28 days; more only if the dose is no more than\n"
    "0.24 mg/kg/week using a weight within the last 90 days.\n\n"
    "REASON 2 - PRIOR AUTHORIZATION CRITERIA NOT MET\n"
    "The growth velocity was not documented.\n"
)


def _gh(weight_day: dt.date) -> CaseFacts:
    from pipeline.models import Finding

    case = _case("", "Somatropin 5 mg cartridge", "Somatropin 0.8 mg SC daily")
    weight = Finding(name="Weight", value="24.3 kg", date=weight_day)
    return case.model_copy(update={"objective_findings": [weight]})


def test_a_dose_per_kilogram_is_counted_on_the_latest_weight_against_the_limit():
    from pipeline.reasoning.request import per_kg, weight_gap

    case = _gh(dt.date(2026, 11, 2))
    found = per_kg(GH, case)
    assert found is not None
    assert found.sentence() == (
        "At the weight of 24.3 kg (Weight, November 2, 2026), the dose is 5.6 mg a week, "
        "0.23 mg/kg/week, within your limit of 0.24 mg/kg/week."
    )
    assert weight_gap(GH, case, dt.date(2026, 12, 1)) is None
    # a weight older than the notice's 90 days is the case's gap
    stale = weight_gap(GH, _gh(dt.date(2026, 6, 1)), dt.date(2026, 12, 1))
    assert stale is not None and stale.field == "objective_findings"


def test_a_claims_line_table_is_a_claim_document_whatever_its_narrative_says():
    from pipeline.models import DenialAnalysis
    from pipeline.reasoning.rights import timing

    notice = (
        "Claim 2026-77 - services on 08/04/2026\n"
        "Date        Code   Units  Billed    Allowed  Paid\n"
        "08/04/2026  64483  1      1,200.00  0.00     0.00\n"
        "No prior authorization was obtained for this service.\n"
    )
    analysis = DenialAnalysis(letter_date=dt.date(2026, 9, 1), service_dates=[dt.date(2026, 8, 4)])
    assert timing(analysis, notice) == "post_service"
    # without the line table, the words of a prior authorization make it a request
    assert timing(analysis, notice.replace("Billed    Allowed", "Units2    Status")) == (
        "pre_service"
    )


def test_a_loading_phases_count_is_not_the_courses():
    from pipeline.reasoning.request import quantity

    said = quantity("J2777", 60, ["J2777 60 units every 4 weeks x 4, then every 8 weeks"])
    assert said == "60 units per dose, every 4 weeks x 4, then every 8 weeks"
    assert "4 doses" not in said


def test_the_request_names_the_inpatient_days_the_case_asks_for():
    case = _case("63047", "Lumbar laminectomy", "63047 x1, inpatient admission 3 days")
    analysis, text, _ = _read("Service requested: CPT 63047 x 1 (lumbar laminectomy)", case)
    md = compose(
        text, analysis, case, [], OfflineEngine(), today=dt.date(2026, 10, 5), allow_gaps=True
    ).markdown
    request = md.split("## Request\n", 1)[1].split("\n## ", 1)[0]
    assert "CPT 63047 × 1 for" in request
    assert "for an inpatient stay of 3 days." in request


def test_a_read_of_the_request_is_kept_for_the_same_inputs_only(monkeypatch):
    """A draft asks for the requested codes about ten times of the same inputs: the read is
    kept by their content, so the same inputs read once, any change reads afresh, and each
    caller gets lists of its own."""
    from pipeline.reasoning import request as rq

    reads: list[str] = []
    real = rq._requested_codes

    def counted(analysis, case, text):
        reads.append(text)
        return real(analysis, case, text)

    monkeypatch.setattr(rq, "_requested_codes", counted)
    body = "Service requested: HCPCS J1439 x 1 (ferric carboxymaltose)"
    analysis, text, first = _read(body, IRON)
    again = requested_codes(analysis, IRON, text)
    assert again == first == [("J1439", 750, [])] and len(reads) == 1
    again[0][2].append("JW")  # a caller's list is its own
    assert requested_codes(analysis, IRON, text) == first and len(reads) == 1
    other = _case("J1439", "Injection, ferric carboxymaltose, 1 mg", "Ferric carboxymaltose 500 mg")
    assert requested_codes(analysis, other, text) == [("J1439", 500, [])] and len(reads) == 2
    assert requested_codes(analysis, IRON, text + "\n") == first and len(reads) == 3


def test_units_in_a_period_are_said_as_stated_never_per_day_or_per_dose() -> None:
    from pipeline.reasoning.request import quantity

    # '28 units per 28 days' is no '28 units per day', nor a bare 'x 28'
    line = "J1569 Injection, immune globulin, 500 mg  28 units per 28 days"
    assert quantity("J1569", 28, [line]) == "28 units per 28 days"
    # a course of several infusion days: its units every 28 days are no one dose's
    details = "500 mg IV daily on 3 consecutive days every 28 days, 4 courses"
    said = quantity("J2930", 12, ["J2930 methylprednisolone  12 units every 28 days", details])
    assert said == "12 units every 28 days"
    # one dose at an interval is still one dose
    assert quantity("J0585", 155, ["J0585 155 units every 12 weeks"]) == (
        "155 units per dose, every 12 weeks"
    )


def test_a_course_of_several_infusion_days_counts_courses_times_days() -> None:
    from pipeline.reasoning.quantity import per_course

    assert per_course("on days 1 and 15 of each course, 2 courses")[0] == 2
    assert per_course("4 infusion days every 28 days")[0] == 4
    assert per_course("over 3 consecutive days every 28 days")[0] == 3
    assert per_course("2 infusions 7 days apart per course")[0] == 2
    assert per_course("every 4 weeks") is None


def test_a_course_count_of_past_therapy_is_not_the_requested_count():
    # review38 F14: 'Prior therapy: 3 courses of oral prednisone' counts no course of the
    # requested drug; the course count is the span over the interval, as with no history
    details = "Infliximab 500 mg IV every 8 weeks for 12 months (maintenance)"
    history = "Prior therapy: 3 courses of oral prednisone and 2 cycles of budesonide."
    with_history = f"{details}. {history}"
    found = []
    for text in (details, with_history):
        case = _case("J1745", "Injection, infliximab, excludes biosimilar, 10 mg", text)
        analysis, notice, codes = _read("Drug requested: HCPCS J1745 (infliximab, 10 mg)", case)
        got = course(analysis, case, notice, codes)
        assert got is not None
        found.append(got.sentence())
    assert found[0] == found[1] == (
        "Every 8 weeks for 12 months is 6 doses: 300 units of HCPCS J1745 in all."
    )
