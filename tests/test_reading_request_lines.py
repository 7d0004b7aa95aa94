"""The request's lines as the notice states them (issue 17, reading): rentals counted in
months, and a facility claim's revenue lines. Letters here are written for these tests."""

from __future__ import annotations

from pipeline.extract import find_requested
from pipeline.reasoning.request import quantity

RENTAL = """\
Item requested
  HCPCS: E0465-RR  Home ventilator, any type, used with invasive interface
  Quantity: 4 monthly rental units
  Rental period: 01/01/2027 through 04/30/2027
"""


def test_monthly_rental_units_are_one_unit_a_month_for_that_many_months() -> None:
    (line,) = find_requested(RENTAL)
    assert (line.code, line.units, line.modifiers) == ("E0465", 1, ["RR"])
    assert (line.per, line.administrations) == ("month", 4)
    # the request states it so, from the notice's line or from the reading's count
    wrapped = "E0465-RR  Home ventilator\n      Quantity: 4 monthly rental units"
    assert quantity("E0465", 4, [wrapped]) == "1 unit per month for 4 months"
    assert quantity("E0465", 1, ["E0465-RR  Home ventilator"], "month", 4) == (
        "1 unit per month for 4 months"
    )
    # a count of units that is no rental keeps its own reading
    assert quantity("A4239", 1, ["A4239 1 unit per month for 12 months"]) == (
        "1 unit per month for 12 months"
    )
    assert quantity("E0465", 1, ["E0465-RR  Home ventilator"], "infusion", 4) == ""


CLAIMS = """\
Claim 1: Professional claim
Date of service  Code   Description                  Units  Billed    Paid   Remark
10/29/2026       17107  Destruction of lesions       1      $900.00   $0.00  CO-50

Claim 2: Facility claim
Date of service  Revenue code        Description         Units  Billed     Paid   Remark
10/29/2026       Rev 0360 / 17107    Operating room      1      $2,100.00  $0.00  CO-50
10/29/2026       Rev 0370            Anesthesia          1      $480.00    $0.00  CO-50
10/29/2026       Rev 0710            Recovery room       1      $350.00    $0.00  CO-50
"""


def test_a_facility_claims_lines_keep_their_revenue_codes() -> None:
    """The facility claim's line for the procedure is a line of its own under its revenue code
    (not the surgeon's line twice, not the revenue code as another service), and its revenue
    lines alone are lines of it."""
    lines = [(s.code, s.units, s.revenue) for s in find_requested(CLAIMS)]
    assert lines == [("17107", 1, None), ("17107", 1, "0360"), ("0370", 1, None), ("0710", 1, None)]
    # the same in columns: 'Line  DOS  Code' over '4  10/29/26  0360 / 17107', '5 ... 0370'
    columns = (
        "Line DOS        Code          Units  Billed     Allowed   Paid\n"
        "1    10/29/26   17107         1      900.00     0.00      0.00\n"
        "4    10/29/26   0360 / 17107  1      2,100.00   0.00      0.00\n"
        "5    10/29/26   0370          1      480.00     0.00      0.00\n"
    )
    assert [(s.code, s.revenue) for s in find_requested(columns)] == [
        ("17107", None),
        ("17107", "0360"),
        ("0370", None),
    ]


def test_the_request_names_the_facility_line_under_its_revenue_code() -> None:
    from pipeline.draft import _code_phrase
    from pipeline.models import RequestedService

    facility = RequestedService(code="17107", units=1, revenue="0360")
    assert _code_phrase("17107", 1, [], [], facility) == "Revenue code 0360 / CPT 17107 × 1"
    assert _code_phrase("17107", 1, [], [], None) == "CPT 17107 × 1"


def test_a_code_list_after_a_blank_line_under_its_lead_in_is_requested() -> None:
    text = (
        "We have denied the following service your doctor requested:\n\n"
        "  33249  Insertion of permanent implantable defibrillator system, with\n"
        "         transvenous lead(s) - 1 unit\n"
        "\nMail: PO Box 2210, Manchester, NH 03105\n"
    )
    assert [(s.code, s.units) for s in find_requested(text)] == [("33249", 1)]
    # a bare number under a lead-in that does not end in a colon is no code
    assert find_requested("Our office is open daily.\n\n  33249 North Road\n") == []
