"""The Request and the appeal's rights, on the shapes blind judges found wrong (stop 32): a
partial approval of an increase is no reduction, and the appeal asks for the denied part as one
typed quantity (rate, period, total) that the validator reads the same way; a window the case
says has lapsed is never requested; an expedited review only when the case states urgency; a
drug's whole course with its loading fill counted, the quantity limit read however the notice
wraps it; a Medicare Advantage reconsideration never rests on Original Medicare's appeals
statute."""

from __future__ import annotations

import datetime as dt
import re

from pipeline.appeal import all_specs
from pipeline.claim_lines import Partial
from pipeline.draft import compose
from pipeline.engines import OfflineEngine
from pipeline.extract import extract
from pipeline.ingest import ingest_text
from pipeline.models import PlanType
from pipeline.reasoning import quantity as qty
from pipeline.reasoning.change import read_change
from pipeline.reasoning.pending import pending_paragraph
from pipeline.reasoning.request import (
    case_period,
    drug_request,
    lapsed_range,
    partial_lines,
    partial_phrase,
    quantity,
    request_strings,
    requested_codes,
)
from pipeline.reasoning.rights import hearing_body
from pipeline.validate import validate
from tests.test_request_shapes14 import _case, _request

TODAY = dt.date(2026, 12, 1)


# --------------------------------------------------------------------- a partial approval

INCREASE = (
    "Date of notice: November 20, 2026\n"
    "Medicaid managed care plan. NOTICE OF ADVERSE BENEFIT DETERMINATION - PARTIAL APPROVAL\n"
    "Request type: Concurrent review - continued services with increase in hours\n"
    "Authorization period requested: 12/07/2026 through 04/25/2027 (20 weeks)\n\n"
    "+------+-------+------------------------------+-------------+-------------+-------------+\n"
    "| Line | Code  | Service (unit = 15 minutes)  | Requested   | Approved    | Denied      |\n"
    "+------+-------+------------------------------+-------------+-------------+-------------+\n"
    "|  1   | 97153 | Adaptive behavior treatment  | 2,000 units | 1,600 units |   400 units |\n"
    "|      |       | by protocol, technician      | (25 h/week) | (20 h/week) |  (5 h/week) |\n"
    "+------+-------+------------------------------+-------------+-------------+-------------+\n"
    "|  2   | 97156 | Family guidance, BCBA        |   160 units |   160 units |     0 units |\n"
    "+------+-------+------------------------------+-------------+-------------+-------------+\n\n"
    "The increase from 20 to 25 hours per week of direct treatment (line 1) was denied as not\n"
    "medically necessary.\n\n"
    "Continuation of services: This decision does not reduce or stop services the member is\n"
    "receiving now. Continuation of benefits during an appeal does not apply to the hours\n"
    "that were requested as an increase.\n"
)
INCREASE_CASE = _case(
    "97153",
    "Adaptive behavior treatment by protocol, each 15 minutes (increase to 25 hours per week)",
    "For 2026-12-07 through 2027-04-25 (20 weeks): 97153 2,000 units (25 h/week; 1,600 "
    "approved, 400 denied); 97156 160 units (approved).",
)


def test_a_partial_approval_of_an_increase_is_no_reduction() -> None:
    assert read_change(INCREASE) is None
    # the reading takes it for the increase it is, and reads no reduction beside it
    analysis = extract(ingest_text(INCREASE))
    assert analysis.increase is not None and analysis.service_change is None
    # a notice that does reduce what was authorized still reads as one
    cut = (
        "We are reducing the authorized hours of home health aide services (G0156) from 30 "
        "hours per week to 15 hours per week, effective December 1, 2026."
    )
    change = read_change(cut)
    assert change is not None and (change.before, change.after) == (30, 15)
    # a rider's 'continuation of benefits does not apply' does not undo the reduction stated
    rider = cut + " Continuation of benefits during an appeal does not apply to this notice."
    change = read_change(rider)
    assert change is not None and (change.before, change.after) == (30, 15)


def test_the_denied_part_is_requested_as_one_typed_quantity() -> None:
    analysis = extract(ingest_text(INCREASE))
    # '2,000 units' is two thousand units, never 000 or 2; the denied column is the request
    assert partial_lines(INCREASE) == {"97153": Partial(1600, 400), "97156": Partial(160, 0)}
    # the line approved in full is no part of the appeal
    assert requested_codes(analysis, INCREASE_CASE, INCREASE) == [("97153", 400, [])]
    said = partial_phrase(Partial(1600, 400), [INCREASE])
    assert said == (
        "400 units (5 hours or 20 units per week for 20 weeks: the denied part of the 2,000 "
        "units requested at 25 hours or 100 units per week; 1,600 units approved)"
    )
    assert {"20 units", "100 units", "2,000 units"} <= set(
        request_strings(analysis, INCREASE_CASE, INCREASE)
    )
    draft = compose(INCREASE, analysis, INCREASE_CASE, [], OfflineEngine(), today=TODAY,
                    allow_gaps=True)  # fmt: skip
    request = _request(draft.markdown)
    lead = "I ask that you reverse the partial denial and approve CPT 97153"
    assert request.strip().startswith(f"{lead} {said}")
    assert "CPT 97156 was approved as requested and is not part of this appeal." in request
    # no continuation of benefits: nothing authorized was reduced
    assert "438.420" not in draft.markdown and "restore" not in request
    found = [f for f in validate(draft).findings if f.code.startswith(("request", "grounding"))]
    assert not found, found


# --------------------------------------------------------------------- a lapsed window


def test_a_window_the_case_says_has_lapsed_is_never_requested() -> None:
    details = (
        "CPT 63650 x2 units; ambulatory surgery center; original requested window 2026-09-15 "
        "to 2026-12-31 lapsed during hospitalization, new requested window 2026-12-07 to "
        "2027-02-26"
    )
    assert case_period(details) == "from December 7, 2026 to February 26, 2027"
    assert lapsed_range(details)
    # one range, said plainly, is the period asked for
    plain = "CPT 63650 x2 units; requested window 2026-12-07 to 2027-02-26"
    assert case_period(plain) == "from December 7, 2026 to February 26, 2027"
    assert not lapsed_range(plain)
    notice = (
        "Date: October 27, 2026\nPrior authorization request denied.\n"
        "Service requested: CPT 63650 x2\n  Requested dates of service: 09/15/2026 - 12/31/2026\n"
    )
    case = _case("63650", "Spinal cord stimulator trial", details)
    md = compose(notice, extract(ingest_text(notice)), case, [], OfflineEngine(),
                 today=dt.date(2026, 11, 10), allow_gaps=True).markdown  # fmt: skip
    request = _request(md).split("\n\n")[0]
    assert (
        "from December 7, 2026 to February 26, 2027 (in place of the period your notice names, "
        "September 15, 2026 to December 31, 2026, which has lapsed)" in request
    )


# --------------------------------------------------------------------- expedited only when urgent


def test_a_pending_result_is_no_ground_for_an_expedited_review() -> None:
    pending = [{"kind": "imaging", "name": "MRI brain", "value": "pending", "date": "2026-11-20"}]
    standard = _case("81415", "Trio exome", "", objective_findings=pending)
    said = pending_paragraph(standard)
    assert "as soon as it is reported." in said and "expedited" not in said
    urgent = _case("81415", "Trio exome", "", objective_findings=pending, urgency="expedited",
                   urgency_reason="Seizures are escalating.")  # fmt: skip
    assert "with a request for an expedited reconsideration" in pending_paragraph(urgent)


def test_a_deadline_near_asks_no_expedited_review_in_a_standard_case() -> None:
    notice = (
        "Date of notice: November 1, 2026\nPrior authorization request denied.\n"
        "Service requested: CPT 81415\nYou must appeal by December 3, 2026. You may ask for an "
        "expedited (fast) appeal if waiting could seriously harm your health.\n"
    )
    analysis = extract(ingest_text(notice))
    standard = _case("81415", "Trio exome sequencing", "")
    md = compose(notice, analysis, standard, [], OfflineEngine(), today=TODAY,
                 allow_gaps=True).markdown  # fmt: skip
    assert "expedited" not in _request(md)
    why = "Infantile spasms that a diagnosis would direct treatment of."
    urgent = _case("81415", "Trio exome sequencing", "", urgency="expedited", urgency_reason=why)
    md = compose(notice, analysis, urgent, [], OfflineEngine(), today=TODAY,
                 allow_gaps=True).markdown  # fmt: skip
    # asked once, with the case's facts that make it urgent
    request = _request(md)
    assert "expedit" in request and "infantile spasms that a diagnosis would direct" in request


# --------------------------------------------------------------------- a drug's whole course

PENS = (
    "Date of notice: November 5, 2026\nPharmacy benefit prior authorization denied.\n"
    "  Drug requested:      EXAMPLEMAB 150 mg/mL prefilled pen\n"
    "                       Sig: inject 300 mg (2 pens) SC on day 1, then\n"
    "                       150 mg (1 pen) SC every 2 weeks\n"
    "                       Qty requested: 3 pens / 28 days (first fill)\n\n"
    "QUANTITY LIMIT\nExamplemab pens are subject to a formulary quantity limit of\n"
    "2 pens (2 mL) per 28 days. The request exceeds this limit.\n"
)


def test_a_sig_wrapped_onto_the_next_line_and_a_limit_with_its_volume_are_read() -> None:
    assert qty.directions(PENS) == [
        "inject 300 mg (2 pens) SC on day 1, then 150 mg (1 pen) SC every 2 weeks"
    ]
    limit = qty.parse_limit(PENS)
    assert limit is not None and (limit.count, limit.unit, limit.days) == (2, "pen", 28)


def test_the_whole_course_is_requested_with_the_loading_fill_counted() -> None:
    case = _case(
        "",
        "Examplemab 150 mg/mL prefilled pen, 300 mg on day 1 then 150 mg every 2 weeks",
        "Pharmacy benefit. Quantity: 3 pens in the first 28 days (two-pen loading dose on day 1 "
        "plus the day-15 dose), then 2 pens per 28 days; initial authorization 16 weeks.",
    )
    analysis = extract(ingest_text(PENS))
    said = drug_request(analysis, case, PENS)
    # every fill: the loading stretch, then the maintenance fills, and the course in all
    # (2 pens on day 1, then one at weeks 2, 4, ..., 14: 9 pens in 16 weeks)
    assert "quantity 3 pens for days 1–28, then 2 pens per 28 days" in said
    assert "for 16 weeks, 9 pens in all" in said
    assert "9 pens in all" in request_strings(analysis, case, PENS)


# --------------------------------------------------------------------- the plan type's law


def test_a_medicare_advantage_appeal_never_rests_on_original_medicares_statute() -> None:
    specs = all_specs()
    ma = specs[PlanType.medicare_advantage]
    assert not ma.is_basis("42 U.S.C. § 1395ff(b), Appeal rights (part 7 of 7)")
    # nor on its list of statutory exclusions (hearing aids among them)
    assert not ma.is_basis("42 U.S.C. § 1395y(a), Items or services specifically excluded")
    assert ma.is_basis("42 U.S.C. § 1395w-22(g), Coverage determinations, reconsiderations")
    assert ma.is_basis("42 CFR 422.590 and 422.592: physician reviewer")
    # Original Medicare's own appeals rest on it
    assert specs[PlanType.medicare].is_basis("42 U.S.C. § 1395ff(b), Appeal rights")


def test_a_consent_the_case_records_is_enclosed_and_said() -> None:
    notice = INCREASE.replace("Medicaid managed care plan.", "Medicaid managed care plan (MCO).")
    analysis = extract(ingest_text(notice))
    assert analysis.plan_type == PlanType.medicaid
    signed = "His mother signed written consent on 2026-11-25 for me to appeal on his behalf."
    case = INCREASE_CASE.model_copy(update={"clinical_summary": signed})
    md = compose(notice, analysis, case, [], OfflineEngine(), today=TODAY,
                 allow_gaps=True).markdown  # fmt: skip
    # the physician names the patient whose consent it is (session 36: no 'the patient')
    assert re.search(r"\bwith (?:his|her|[A-Z][\w.' -]+'s) written consent, which is enclosed", md)
    assert "Written consent to this appeal (November 25, 2026)." in md
    refused = INCREASE_CASE.model_copy(
        update={"clinical_summary": "The family has not signed written consent to appeal."}
    )
    md = compose(notice, analysis, refused, [], OfflineEngine(), today=TODAY,
                 allow_gaps=True).markdown  # fmt: skip
    assert "that consent is not yet enclosed" in md and "Written consent to this" not in md


def test_a_consent_to_file_the_grievance_is_the_enclosed_consent() -> None:
    # a state that calls the plan's appeal a grievance: the enclosed consent is still the one
    spec = all_specs()[PlanType.medicaid]
    consent = next(p for p in spec.provisions if p.key == "medicaid_provider_consent")
    said = consent.said(["Member's written consent for the prescriber to file the grievance"])
    assert "which is enclosed" in said
    assert "not yet enclosed" in consent.said(["Clinic note of November 3, 2026"])


def test_the_fair_hearing_is_before_the_body_the_notice_names() -> None:
    notice = INCREASE + (
        "State Fair Hearing: If you do not agree with our appeal decision, you may ask for a "
        "State Fair Hearing with the Ohio Office of Administrative Hearings within 120 days.\n"
    )
    assert hearing_body(notice) == "Ohio Office of Administrative Hearings"
    assert hearing_body(INCREASE) is None
    analysis = extract(ingest_text(notice))
    md = compose(notice, analysis, INCREASE_CASE, [], OfflineEngine(), today=TODAY,
                 allow_gaps=True).markdown  # fmt: skip
    assert "for a state fair hearing before the Ohio Office of Administrative Hearings." in md


def test_a_schedule_word_of_another_noun_is_no_rate_of_the_units() -> None:
    # a criterion's words about the code: '624 units' is the period's total, not a week's
    criterion = (
        "97155 | Adaptive behavior treatment with  |   624 units |   312 units |",
        "97155) is authorized at up to 15% of the authorized\n weekly hours of 97153.",
    )
    assert quantity("97155", 624, list(criterion)) == ""
    assert quantity("J1234", 4, ["J1234 4 units weekly for 8 weeks"]) == (
        "4 units per week for 8 weeks (32 units in all)"
    )


def test_a_dose_drawn_from_a_multi_dose_unit_is_counted_in_milligrams() -> None:
    limit = qty.Limit(1, "cartridge", 28)
    product = "Examplotropin 12 mg cartridge for the pen"
    found = qty.answer(limit, ["0.8 mg subcutaneously once daily at bedtime"], product)
    assert found is not None and found.sentence() == (
        "Counted against your limit of 1 cartridge per 28 days, the prescribed regimen needs 2 "
        "cartridges in each 28 days (regimen: 0.8 mg once daily, 22.4 mg per 28 days; 15 doses a "
        "12 mg cartridge), above the limit by 1 cartridge."
    )
    assert found.ask() == "The exception is for 2 cartridges per 28 days."
    # a dose as large as the unit is a whole unit a dose (the phases count it), none drawn
    assert qty.drawn(limit, ["12 mg once daily"], product) is None


def test_a_pending_record_named_in_title_case_keeps_its_name() -> None:
    iep = [
        {
            "kind": "other",
            "name": "Individualized Education Program (county schools)",
            "value": "meeting held; finalized document not yet received",
            "date": "2026-10-28",
        }
    ]
    said = pending_paragraph(_case("97153", "ABA", "", objective_findings=iep))
    assert said.startswith("The result of Individualized Education Program (county schools)")
