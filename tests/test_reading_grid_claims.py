"""Claim tables drawn with '+---+' borders: each line read (code, units, paid or denied), wrapped
cells joined, and only the denied lines requested."""

from __future__ import annotations

from pipeline.extract import extract_facts
from pipeline.text.tables import flatten_grids

EOB = """Acme Benefit Administrators
EXPLANATION OF BENEFITS            Processed: 12/02/2026
Claim: PBA-2611-88402

+-------+--------+------+-------------+-----------+-----------+-----------+------------+
| Ln    | CPT/   | Qty  | DOS         | Charged   | Allowed   | Paid      | Remark     |
|       | HCPCS  |      |             |           |           |           |            |
+=======+========+======+=============+===========+===========+===========+============+
| 01    | 96413  | 1    | 11/10/2026  | $380.00   | $251.00   | $200.80   | PR-2       |
+-------+--------+------+-------------+-----------+-----------+-----------+------------+
| 02    | 96415  | 2    | 11/10/2026  | $190.00   | $0.00     | $0.00     | CO-50      |
+-------+--------+------+-------------+-----------+-----------+-----------+------------+
| 03    | J9312  | 80   | 11/10/2026  | $9,600.00 | $0.00     | $0.00     | CO-50,     |
|       |        |      |             |           |           |           | M25        |
| 04    | J2405  | 1    | 11/10/2026  | $22.00    | $14.10    | $11.28    | PR-2       |
+-------+--------+------+-------------+-----------+-----------+-----------+------------+

Lines 02 and 03 were denied as not medically necessary. Appeal within 180 days.
"""


def test_a_grid_is_one_pipe_line_per_row_with_wrapped_cells_joined() -> None:
    flat = flatten_grids(EOB)
    assert "| Ln | CPT/ HCPCS | Qty | DOS | Charged | Allowed | Paid | Remark |" in flat
    assert "| 03 | J9312 | 80 | 11/10/2026 | $9,600.00 | $0.00 | $0.00 | CO-50, M25 |" in flat
    assert "| 04 | J2405 | 1 |" in flat  # a row not ruled off from the one above
    assert "+---" not in flat
    assert flatten_grids("no table here\n+ not a border") == "no table here\n+ not a border"


def test_only_the_denied_lines_of_a_grid_claim_are_requested() -> None:
    requested = [(s.code, s.units) for s in extract_facts(EOB).requested]
    assert requested == [("96415", 2), ("J9312", 80)]


NOT_COVERED = """Acme Health Cooperative
Explanation of Benefits - This is not a bill
Claim number: LHC-2611-20874

| Line | Code  | Description                 | Units | Billed    | Allowed | Not covered | Remarks |
|------|-------|-----------------------------|-------|-----------|---------|-------------|---------|
| 1    | 99204 | New patient visit           | 1     | $310.00   | $188.40 | $0.00       | PR-1    |
| 2    | 95810 | Polysomnography, attended   | 1     | $2,140.00 | $0.00   | $2,140.00   | CO-50   |
| 3    | 94660 | CPAP initiation             | 1     | $95.00    | $61.75  | $0.00       | PR-1    |

Why line 2 was not covered: an attended study is covered only when a home test is inconclusive.
"""


def test_a_line_allowed_with_nothing_denied_is_paid_without_a_paid_column() -> None:
    requested = [(s.code, s.units) for s in extract_facts(NOT_COVERED).requested]
    assert requested == [("95810", 1)]
