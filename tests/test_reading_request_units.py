"""The request's codes with their units when the units stand apart from the code, and codes the
notice approved left out of the request (issue 15, round 10)."""

from __future__ import annotations

import datetime as dt

from pipeline.extract import find_requested


def units(text: str) -> list[tuple[str, int | None]]:
    return [(s.code, s.units) for s in find_requested(text)]


def test_units_in_a_separate_list_under_the_codes() -> None:
    letter = (
        "Services on this request: 77770, 77316, 77290\n"
        "Quantities requested:\n"
        "  - 77770 (remote afterloading brachytherapy): 4 fractions\n"
        "  - 77316 (brachytherapy isodose plan, simple): 4\n"
        "  - 77290 (simulation, complex): 1\n"
    )
    assert units(letter) == [("77770", 4), ("77316", 4), ("77290", 1)]


def test_a_count_wrapped_onto_the_next_line_is_the_codes() -> None:
    letter = (
        "Service: CPT 97750 Physical performance test with written report, 12\n"
        "visits, 03/02/2026 to 05/29/2026\n"
    )
    assert units(letter) == [("97750", 12)]


def test_a_units_label_line_under_the_code_is_its_count() -> None:
    letter = (
        "Service: CPT 27447 Arthroplasty, knee, condyle and plateau; medial and lateral\n"
        "compartments\n"
        "  Units: 1\n"
        "Diagnosis: M17.11 Unilateral primary osteoarthritis, right knee\n"
    )
    assert units(letter) == [("27447", 1)]


def test_codes_the_notice_approved_are_not_requested() -> None:
    letter = (
        "Requested: CPT 77385 x 25, CPT 77300 x 4\n"
        "CPT 77263 (treatment planning) was authorized on 11/02/2026 and is not part of this\n"
        "decision. The initial visit (CPT 99205) was approved and paid.\n"
        "We have denied CPT 77385 and 77300.\n"
    )
    assert units(letter) == [("77385", 25), ("77300", 4)]


def test_an_item_marked_approved_in_the_services_list_is_not_requested() -> None:
    letter = (
        "Services reviewed:\n"
        "- CPT 77263 Radiation therapy planning, complex: approved\n"
        "- CPT 77373 Stereotactic body radiation therapy delivery: 5 fractions\n"
    )
    assert units(letter) == [("77373", 5)]


def test_a_code_approved_in_one_setting_and_denied_in_another_stays_requested() -> None:
    letter = (
        "What we approved. We approved the drug (HCPCS J1459) every 4 weeks at home. The approval"
        " includes the home infusion per diem (S9338).\n\n"
        "What we did not approve. We did not approve administration at a hospital outpatient"
        " department, including codes 96365 and 96366 and the hospital claim for J1459.\n"
    )
    assert [s.code for s in find_requested(letter)] == ["J1459", "96365", "96366"]


def test_a_service_table_under_a_title_line_reads_its_units_and_modifier_columns() -> None:
    letter = (
        "SERVICE DETAIL\n"
        "Line  Date        Code   Mod  Description                     Units   Billed     Remark\n"
        "----  ----------  -----  ---  ------------------------------  -----  ---------  ------\n"
        "1     07/11/2026  A0430  RH   FIXED WING AIR TRANSPORT, 1-WAY    1   31,200.00  CO50\n"
        "2     07/11/2026  A0435  RH   FIXED WING AIR MILEAGE           212   19,080.00  CO50\n"
    )
    assert [(s.code, s.units, s.modifiers) for s in find_requested(letter)] == [
        ("A0430", 1, ["RH"]),
        ("A0435", 212, ["RH"]),
    ]


def test_codes_the_plan_might_pay_instead_or_did_not_review_are_not_requested() -> None:
    letter = (
        "Claim lines: A0431 x 1, A0436 x 40.\n"
        "The plan may consider benefits at the ground level if the provider submits a corrected"
        " claim (A0427/A0425).\n"
        "Details:\n"
        "  - 92603 (programming, first) and 92604 (programming, later) were listed on the\n"
        "    request. These services do not require prior authorization and were not reviewed.\n"
    )
    assert units(letter) == [("A0431", 1), ("A0436", 40)]


def test_a_title_or_initial_does_not_end_the_sentence_that_approves_a_code() -> None:
    letter = (
        "We reviewed the request for surgery (CPT 47562). The plan previously approved a visit"
        " with Dr. Ana B. Lowe (CPT 99204) in May. The surgery is denied.\n"
    )
    assert [s.code for s in find_requested(letter)] == ["47562"]


def test_an_institutional_claims_revenue_rows_and_not_the_reprocessed_lines() -> None:
    letter = (
        "CLAIM DETAIL - AS BILLED (Inpatient, MS-DRG 194 Simple Pneumonia with CC)\n\n"
        "Rev Code  Description                  HCPCS/Units    Billed      Status\n"
        "0120      Room & board                 2 days         $ 6,100.00  Denied\n"
        "0450      Emergency room               99284 x1       $ 2,900.00  Denied\n"
        "0636      Drugs, detailed coding       J0696 x4       $   210.00  Denied\n\n"
        "CLAIM DETAIL - AS REPROCESSED (Outpatient observation)\n\n"
        "Rev Code  Description                  HCPCS/Units    Allowed\n"
        "0450      Emergency room               99284 x1       $ 530.00\n"
        "0762      Observation room             G0378 x 40 hrs (packaged)\n"
    )
    assert [(s.system, s.code, s.units) for s in find_requested(letter)] == [
        ("drg", "194", None),
        ("revenue", "0120", 2),
        ("revenue", "0450", None),
        ("cpt", "99284", 1),
        ("revenue", "0636", None),
        ("hcpcs", "J0696", 4),
    ]


def test_the_requested_period_is_the_dates_joined_as_a_range() -> None:
    from pipeline.extract import find_service_period

    letter = (
        "We reviewed the request received on November 2, 2026 for infusions at the hospital"
        " from December 7, 2026 through June 6, 2027.\n"
    )
    assert find_service_period(letter) == (dt.date(2026, 12, 7), dt.date(2027, 6, 6))


def test_a_code_approved_for_another_period_takes_the_requested_period() -> None:
    letter = (
        "Request: infusions from 12/07/2026 to 06/06/2027.\n"
        "We approved the drug (HCPCS J1459) for 11/20/2026 through 05/19/2027 at home. We did"
        " not approve the hospital claim for J1459 or CPT 96365.\n"
    )
    assert [(s.code, s.start, s.end) for s in find_requested(letter)] == [
        ("J1459", dt.date(2026, 12, 7), dt.date(2027, 6, 6)),
        ("96365", dt.date(2026, 12, 7), dt.date(2027, 6, 6)),
    ]


def test_a_code_listed_under_a_label_is_not_taken_for_one_approved_below_it() -> None:
    letter = (
        "Codes on this request: 97110, 97530\n"
        "Units requested:\n"
        "  97110 (therapeutic exercise) - 10 units\n"
        "  97530 (therapeutic activities) - 6\n"
        "The re-evaluation, CPT 97164, was approved on 11/02/2026.\n"
    )
    assert units(letter) == [("97110", 10), ("97530", 6)]


def test_codes_named_only_in_the_policys_rule_are_not_requested() -> None:
    letter = (
        "Services requested: septoplasty (CPT 30520); turbinate reduction (CPT 30140-50)\n\n"
        "Turbinate reduction (CPT 30140, 30801, 30802) is medically necessary only when"
        " hypertrophy persists after 4 weeks of nasal steroids.\n"
    )
    assert [(s.code, s.modifiers) for s in find_requested(letter)] == [
        ("30520", []),
        ("30140", ["50"]),
    ]
