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


def test_a_facility_claims_revenue_lines_go_with_the_procedure() -> None:
    # the procedure once (the professional and the facility claim bill the same one), and no
    # revenue line as a service of its own
    assert [(s.code, s.units) for s in find_requested(CLAIMS)] == [("17107", 1)]
    columns = CLAIMS.replace("Rev 0360 / 17107", "0360  17107     ").replace("Rev 0", "0")
    assert [(s.code, s.units) for s in find_requested(columns)] == [("17107", 1)]
    # an inpatient claim billed by DRG keeps its revenue lines
    inpatient = CLAIMS.replace("17107  Destruction of lesions ", "DRG 291 Heart failure       ")
    inpatient = inpatient.replace("Rev 0360 / 17107", "Rev 0120        ")
    assert "0120" in [s.code for s in find_requested(inpatient)]
    # a request (no claim line) that names a revenue code beside its HCPCS keeps both
    request = "Requested: intensive outpatient program, revenue code 0905 with HCPCS S9480, 15 days"
    assert {s.code for s in find_requested(request)} == {"0905", "S9480"}
