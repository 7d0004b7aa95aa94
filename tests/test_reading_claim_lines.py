"""Post-service claims: only the lines the plan denied are requested, each with the claim's own
units; lines the plan paid (a paid amount with only the patient's share or a write-down on
them, or a 'Paid' status) are not part of the appeal (issue 17)."""

from __future__ import annotations

import datetime as dt

from pipeline.claim_lines import denial_on, paid_line, pipe_cells
from pipeline.extract import find_requested


def lines(text: str) -> list[tuple[str, int | None, list[str]]]:
    return [(s.code, s.units, s.modifiers) for s in find_requested(text)]


_SPACED = (
    "Line  Code    Mod  Description             Units   Billed     Allowed    Paid      Remark\n"
    "1     99213   25   Office visit            1       $165.00    $98.40     $78.72    PR-2\n"
    "2     20610   RT   Arthrocentesis, knee    1       $240.00    $0.00      $0.00     CO-50\n"
    "3     J3301        Triamcinolone 10 mg     4       $36.00     $0.00      $0.00     CO-50\n"
)


def test_a_line_paid_with_coinsurance_is_not_requested() -> None:
    assert lines(_SPACED) == [("20610", 1, ["RT"]), ("J3301", 4, [])]


def test_modifier_25_of_a_paid_visit_is_never_its_units() -> None:
    text = _SPACED.replace("PR-2", "CO-50").replace("$78.72 ", "$0.00  ")
    assert lines(text)[0] == ("99213", 1, ["25"])


def test_a_pipe_table_reads_units_modifiers_and_the_status_column() -> None:
    text = (
        "| Line | Code  | Modifiers | Item              | Units | Paid    | Status |\n"
        "|------|-------|-----------|-------------------|-------|---------|--------|\n"
        "| 1    | E0470 | RR KX     | Bilevel device    | 1     | $212.00 | Paid   |\n"
        "| 2    | A7034 | NU        | Nasal interface   | 1     | $0.00   | Denied |\n"
        "| 3    | A7032 | NU        | Nasal cushion     | 2     | $0.00   | Denied |\n"
    )
    assert lines(text) == [("A7034", 1, ["NU"]), ("A7032", 2, ["NU"])]


def test_units_billed_not_units_allowed() -> None:
    text = (
        "Date        Code   Mod  Units billed  Units allowed  Billed    Paid     Adjustment\n"
        "06/02/2026  97530  GP   4             0              $220.00   $0.00    CO-151\n"
    )
    assert lines(text) == [("97530", 4, ["GP"])]


def test_a_partly_paid_line_with_a_denial_code_stays_requested() -> None:
    text = (
        "Date        Code   Mod  Units  Billed    Allowed   Paid     Adjustment\n"
        "06/02/2026  97530  GP   4      $220.00   $55.00    $44.00   CO-151 PR-2\n"
    )
    assert lines(text) == [("97530", 4, ["GP"])]


def test_a_code_paid_on_one_line_and_denied_on_another_stays_requested() -> None:
    text = (
        "Date        Code   Mod  Units  Billed    Paid     Remark\n"
        "06/02/2026  L1833  RT   1      $480.00   $372.10  PR-2\n"
        "06/02/2026  L1833  LT   1      $480.00   $0.00    CO-50\n"
    )
    assert [c for c, _, _ in lines(text)] == ["L1833"]


def test_denial_and_adjustment_codes() -> None:
    assert denial_on("CO-50 N130") and denial_on("PI 197") and denial_on("PR-204")
    assert not denial_on("PR-2") and not denial_on("CO-45 PR-1") and not denial_on("CO45")
    assert paid_line({"paid": "$10.00"}, "PR-3") and not paid_line({"paid": "$0.00"}, "")
    assert not paid_line({"paid": "$10.00"}, "CO-50") and not paid_line({}, "PR-2")


def test_one_rule_says_whether_a_line_was_paid() -> None:
    """``claim_lines.paid_line`` is the one rule (the item reader's own copy is gone): a payer's
    paid column by any payer's name, an allowed line whose rest is the patient's share (the
    deductible with nothing paid, coinsurance with no paid column) are paid; what the patient
    paid, an allowed line with an amount not covered, or one allowed with no sign of how the
    rest was settled are not."""
    assert paid_line({"allowed": "112.40", "tricare paid": "84.30"}, "PR-2")
    assert paid_line({"allowed": "160.00", "paid": "0.00"}, "01 99214 160.00 PR-1 160.00 0.00")
    assert paid_line({"plan allowed": "$71.20", "your share": "$14.24"}, "E0190 NU PR-2")
    assert paid_line({"allowed": "$188.40", "not covered": "$0.00"}, "")
    assert not paid_line({"member paid": "$20.00"}, "")
    assert not paid_line({"allowed": "$188.40", "not covered": "$50.00"}, "")
    assert not paid_line({"allowed": "$530.00"}, "0450 Emergency room 99284 x1 $530.00")
    assert not paid_line({"allowed": "160.00", "paid": "0.00"}, "PR-1 CO-50")


def test_a_deductible_line_is_neither_an_item_nor_a_code_asked() -> None:
    """The reader of items and the reader of codes ask the same rule: a line applied to the
    deductible (PR-1, paid 0.00) is approved as an item and its code is not requested."""
    from pipeline.items import read_items

    text = (
        "LN  DOS       CODE   UNITS  BILLED    ALLOWED   GRP-CARC  ADJ AMT   PAID\n"
        "01  11/10/26  99214  1        210.00    160.00  PR-1        160.00      0.00\n"
        "02  11/10/26  72148  1      1,250.00      0.00  CO-50     1,250.00      0.00\n"
    )
    items = read_items(text, ["99214", "72148"])
    assert [(i.codes, i.decision.value) for i in items] == [
        (["99214"], "approved"),
        (["72148"], "denied"),
    ]
    assert [c for c, _, _ in lines(text)] == ["72148"]


def test_pipe_cells_outside_a_table_are_empty() -> None:
    assert pipe_cells("Code 97110 x 4", 5) == {}
    table = "| Code | Units |\n|---|---|\n| 97110 | 4 |\n"
    assert pipe_cells(table, table.index("97110")) == {"code": "97110", "units": "4"}


def test_a_count_before_a_parenthesized_code_is_that_codes_not_the_code_before() -> None:
    text = (
        "We denied the urgent care visit (CPT 99214) and 18 units of ground mileage (HCPCS "
        "A0425), and the BLS transport (HCPCS A0428); they were not medically necessary."
    )
    assert [(c, u) for c, u, _ in lines(text)] == [("99214", None), ("A0425", 18), ("A0428", None)]


def test_a_rate_said_of_another_code_is_not_this_codes() -> None:
    from pipeline.reasoning.request import quantity

    details = ["97151 x 16 units (reassessment) and 97153 at 20 hours weekly"]
    assert quantity("97151", 16, details) == ""
    text = ["97151 behavior identification assessment and 97153 30 units per week"]
    assert quantity("97151", None, text) == ""
    assert quantity("97153", None, text) == "30 units per week"


def _case(code: str, additional: list[str], details: str):
    from pipeline.models import CaseFacts

    return CaseFacts.model_validate(
        {"service": {"code": code, "additional_codes": additional, "details": details}}
    )


def test_the_cases_codes_the_notice_never_names_are_requested_with_their_units() -> None:
    from pipeline.extract import extract_facts
    from pipeline.reasoning.request import requested_codes

    notice = "Services requested: laminectomy (CPT 63047) x1. The request is denied."
    details = (
        "63047 x1; 63048 x2 (each additional level); 00630 anesthesia, time units. "
        "The MRI 72148 was already paid on 09/02/2026. Assistant surgeon 63047-80 x1 and "
        "surgeon 63047 x1."
    )
    case = _case("63047", ["63048", "00630", "72148"], details)
    assert requested_codes(extract_facts(notice), case) == [
        ("63047", 1, []),
        ("63048", 2, []),
        ("00630", None, []),
        ("63047", 1, ["80"]),
    ]


def test_a_code_listed_once_with_a_modifier_is_no_second_line() -> None:
    from pipeline.extract import extract_facts
    from pipeline.reasoning.request import requested_codes

    notice = "Services requested: cochlear implantation (CPT 69930-RT). Denied."
    case = _case("69930", [], "69930-RT x1 (outpatient hospital); bill 69930-LT if needed")
    assert requested_codes(extract_facts(notice), case) == [("69930", 1, ["RT"])]


def test_x_sessions_counts_administrations_not_the_codes_units() -> None:
    text = (
        "Services denied:\n"
        "    97813  Acupuncture with electrical stimulation, per 15 minutes - 2 units per visit\n"
        "           x 12 visits (24 units)\n"
    )
    [service] = find_requested(text)
    assert (service.units, service.per, service.administrations) == (2, "visit", 12)


def test_the_plans_recommended_level_of_care_is_not_requested() -> None:
    text = (
        "Level of care:  Residential treatment (revenue code 1001, HCPCS H0018, per diem)\n"
        "Decision:       DENIED. Recommended level of care: partial hospitalization (revenue\n"
        "                code 0912 / H0035), available for authorization upon request.\n"
    )
    assert [c for c, _, _ in lines(text)] == ["1001", "H0018"]


def test_a_code_the_notice_says_was_covered_and_paid_is_not_requested() -> None:
    text = (
        "We denied the lumbar fusion (CPT 22630). Your office visit on 10/02/2026 (CPT 99203) "
        "was covered and has been processed for payment."
    )
    assert [c for c, _, _ in lines(text)] == ["22630"]


def test_rows_a_status_column_leaves_unchanged_are_not_requested() -> None:
    text = (
        "| Service            | Code  | Authorized     | Approved from 01/05/27 | Status    |\n"
        "|--------------------|-------|----------------|------------------------|-----------|\n"
        "| Personal care aide | T1019 | 112 units/week | 64 units/week          | REDUCED   |\n"
        "| Nursing visit      | T1030 | 4 units/month  | 4 units/month          | No change |\n"
    )
    assert [c for c, _, _ in lines(text)] == ["T1019"]


def test_each_row_of_a_claim_is_its_own_line_and_a_part_denied_line_asks_for_its_rest() -> None:
    text = (
        "Ln  Dates            Code   Mod  Units  Billed    Allowed  Plan paid  Remark\n"
        "1   03/01 - 03/31    A4253  KX   6      $300.00   $160.00  $128.00    CO-151\n"
        "2   04/01 - 04/30    A4253  KX   6      $300.00   $0.00    $0.00      CO-50\n"
        "Line 1 allowed 4 of 6 units; 2 units denied.\n"
    )
    assert lines(text) == [("A4253", 2, ["KX"]), ("A4253", 6, ["KX"])]
    column = (
        "Code   Mod  Units billed  Units allowed  Paid     Remark\n"
        "97110  GP   4             1              $30.00   CO-151\n"
    )
    assert lines(column) == [("97110", 3, ["GP"])]


def test_modifiers_the_details_give_a_code_the_notice_lists_without_one() -> None:
    from pipeline.extract import extract_facts
    from pipeline.reasoning.request import requested_codes

    notice = "Codes requested: 64568 x1, 61885 x1, J1745 x 50 units. The request is denied."
    details = (
        "Stage 2: 61885-58 x1 (generator, staged). J1745 x 50 units, JZ modifier (no waste). "
        "64568 x1, bilateral reported as two arrays, not with modifier 50."
    )
    case = _case("64568", ["61885", "J1745"], details)
    assert requested_codes(extract_facts(notice), case) == [
        ("64568", 1, []),
        ("61885", 1, ["58"]),
        ("J1745", 50, ["JZ"]),
    ]


def test_a_duration_in_days_is_no_count_of_the_request() -> None:
    from pipeline.reasoning.request import administrations

    assert administrations("93312 x1; anticoagulation for 45 days after the closure") == ""
    assert administrations("33340 x1, then 45 days of warfarin") == ""
    assert administrations("inpatient rehabilitation, 14 days") == "14 days"


def test_a_claim_spans_the_date_ranges_of_the_lines_it_denies() -> None:
    from pipeline.extract import extract_facts

    text = (
        "Statement date: 06/02/2026\n"
        "Ln  Dates of service    Code   Mod  Units  Billed    Plan paid  Remark\n"
        "1   03/01/26 - 03/31/26  E0465  RR   1      $900.00   $700.00    PR-2\n"
        "2   04/01/26 - 04/30/26  E0465  RR   1      $900.00   $0.00      CO-50\n"
        "3   05/01/26 - 05/31/26  A7047       2      $80.00    $0.00      CO-50\n"
    )
    analysis = extract_facts(text)
    assert [(r.code, r.start, r.end) for r in analysis.requested] == [
        ("E0465", dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
        ("A7047", dt.date(2026, 5, 1), dt.date(2026, 5, 31)),
    ]
    assert (analysis.service_start, analysis.service_end) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 5, 31),
    )


def test_the_cases_own_benefit_wins_over_a_notice_naming_another_for_other_services() -> None:
    from pipeline.models import CaseFacts
    from pipeline.reasoning.request import drug_benefit

    notice = (
        "Your request for mecasermin under the pharmacy benefit is denied. The bone age x-ray "
        "and lab tests are medical benefit services and are not addressed in this notice."
    )
    case = CaseFacts.model_validate(
        {
            "service": {
                "description": "Mecasermin 10 mg/mL, 0.08 mg/kg twice daily, pharmacy benefit",
                "details": "Quantity 4 vials per 30 days; 30-day supply; 12 months",
            }
        }
    )
    assert drug_benefit(extract_facts_of(notice), case, notice) == "pharmacy"


def extract_facts_of(text: str):
    from pipeline.extract import extract_facts

    return extract_facts(text)


def test_a_reduction_whose_amounts_sit_in_a_status_table_restores_the_lines_amount() -> None:
    from pipeline.draft import compose
    from pipeline.engines import OfflineEngine
    from pipeline.extract import extract_facts
    from pipeline.letter_format import REQUEST, split_sections
    from pipeline.models import CaseFacts, ServiceChange

    notice = (
        "Lakeshore Medicaid Health Plan\nNotice of Adverse Benefit Determination\n"
        "Date: 11/20/2026\nMember: Ada Pruitt   Member ID: LMH-5501\n"
        "The services authorized for you for 10/01/2026 through 03/31/2027 are being reduced. "
        "This change takes effect on 12/08/2026.\n\n"
        "| Service    | Code  | Authorized     | Approved from 12/08 | Status    |\n"
        "|------------|-------|----------------|---------------------|-----------|\n"
        "| Aide       | T1019 | 112 units/week | 64 units/week       | REDUCED   |\n"
        "| Nursing    | T1030 | 4 units/month  | 4 units/month       | No change |\n\n"
        "The plan of care does not show a need for more than 64 units per week.\n"
        "You may appeal within 60 days. This plan is a Medicaid managed care plan.\n"
    )
    case = CaseFacts.model_validate(
        {
            "patient": {"name": "Ada Pruitt", "member_id": "LMH-5501"},
            "diagnoses": [{"code": "I69.354"}],
            "service": {"code": "T1019", "description": "Personal care aide services"},
        }
    )
    analysis = extract_facts(notice)
    # a change read without its amounts (the cells' wording defeats the change reader): the
    # notice's own line for the code still gives the amount to restore
    change = ServiceChange(effective=dt.date(2026, 12, 8), through=dt.date(2027, 3, 31))
    analysis = analysis.model_copy(update={"service_change": change})
    md = compose(
        notice, analysis, case, [], OfflineEngine(), today=dt.date(2026, 11, 25), allow_gaps=True
    ).markdown
    request = split_sections(md)[REQUEST]
    assert "T1019 112 units per week" in request and "T1030" not in request


def test_units_per_administration_state_how_often_it_recurs() -> None:
    from pipeline.reasoning.request import quantity

    details = ["J1459 (per 500 mg) 140 units per infusion, every 28 days; 96365 x1"]
    assert quantity("J1459", 140, details) == "140 units per infusion, every 28 days"
    assert quantity("96365", 1, details) == ""
    other = ["J1459 140 units per infusion; 96365 x1 every 2 weeks"]
    assert quantity("J1459", 140, other) == "140 units per infusion"
