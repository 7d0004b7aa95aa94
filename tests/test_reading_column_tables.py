"""Space-aligned and tab-separated criteria tables read by column position (issue 15)."""

from __future__ import annotations

from pipeline.criteria_rules import read_criteria
from pipeline.text.clean import normalize_text
from pipeline.text.tables import column_table, joined

# rows parted by blank lines, no rule line, both columns wrapped; a number at a wrap ('at least
# 12' / 'weeks') and the finding's numbers ('4 weeks') on the same lines as the criterion's
FINDING_TABLE = """\
We reviewed the request against Clinical Policy ORTHO-9. The table below shows each
criterion and what our reviewer found.

Criterion                                   Reviewer finding

Pain that limits daily activities for at    Met. Described at
least 6 months despite treatment            three visits.

Failure of at least 12                      Not met - the records show
weeks of nonsurgical treatment              4 weeks of physical therapy
including physical therapy                  and no injection.

Body mass index below 40 kg/m2              Not documented - no weight
                                            was recorded this year.

No active infection in the knee             Satisfied

Because not every criterion was met, the surgery is not medically necessary under this
policy.
"""


def test_two_column_finding_table_reads_each_cell_in_its_column() -> None:
    criteria = read_criteria(FINDING_TABLE)
    assert [(c.text, c.payer_status) for c in criteria] == [
        ("Pain that limits daily activities for at least 6 months despite treatment", "met"),
        (
            "Failure of at least 12 weeks of nonsurgical treatment including physical therapy",
            "not_met",
        ),
        ("Body mass index below 40 kg/m2", "not_documented"),
        ("No active infection in the knee", "met"),
    ]
    assert criteria[1].payer_reason == (
        "the records show 4 weeks of physical therapy and no injection."
    )
    assert criteria[0].payer_reason == "Described at three visits."
    # numbers are read in their own cell: 12 weeks (not '4', '124', '0.4')
    weeks = [(r.value, r.unit) for r in criteria[1].requirements if r.kind == "duration"]
    assert weeks == [(12.0, "weeks")]
    months = [(r.value, r.unit) for r in criteria[0].requirements if r.kind == "duration"]
    assert months == [(6.0, "months")]


# rows not parted, findings wrapping onto lines whose first column is empty or lower case; a
# finding line opening with 'No' is a wrapped finding, not a new row
CONTIGUOUS = """\
Each policy criterion and our finding:

    Coverage criterion                          Reviewer's finding
    Epilepsy that has not responded to at       Not met - only one drug was
    least 2 antiseizure medications             tried.
                                                No dose levels were sent.
    Age 4 years or older                        Met.
    Seizure diary covering at least 12 weeks    Not documented. The diary
                                                was not included.

Since these criteria are not met, the request is denied.
"""


def test_contiguous_rows_start_where_the_finding_opens_with_a_status() -> None:
    criteria = read_criteria(CONTIGUOUS)
    assert [(c.text, c.payer_status) for c in criteria] == [
        ("Epilepsy that has not responded to at least 2 antiseizure medications", "not_met"),
        ("Age 4 years or older", "met"),
        ("Seizure diary covering at least 12 weeks", "not_documented"),
    ]
    assert criteria[0].payer_reason == "only one drug was tried. No dose levels were sent."


# a short status column (Yes / No / Partially / Not documented) whose words overrun it
STATUS_COLUMN = """\
Our review of each criterion:

Criterion                                Met      Reviewer comment
LDL-C of 70 mg/dL or higher after at     No       The last LDL-C was
least 8 weeks of a statin                         62 mg/dL
Statin adherence for at least 90 days    Partially  Claims show a moderate
                                                  dose
Trial of ezetimibe for 4 weeks           Not documented  No claims were
                                                  received
Diagnosis of familial                    Yes      Score of 9
hypercholesterolemia

The request does not meet the policy.
"""


def test_short_status_column_gives_each_rows_status() -> None:
    criteria = read_criteria(STATUS_COLUMN)
    assert [(c.text, c.payer_status, c.payer_reason) for c in criteria] == [
        (
            "LDL-C of 70 mg/dL or higher after at least 8 weeks of a statin",
            "not_met",
            "The last LDL-C was 62 mg/dL",
        ),
        (
            "Statin adherence for at least 90 days",
            "not_met",
            "Claims show a moderate dose",
        ),
        ("Trial of ezetimibe for 4 weeks", "not_documented", "No claims were received"),
        ("Diagnosis of familial hypercholesterolemia", "met", "Score of 9"),
    ]


def test_tab_separated_table_becomes_an_aligned_one_and_is_read_by_column() -> None:
    letter = normalize_text(
        "Reviewer's assessment of each criterion:\n\n"
        "Criterion\tCriterion met\tReviewer comment\n"
        "Age 22 years or older\tYes\tAge 51\n"
        "Body mass index of 32 kg/m2 or less\tNo\tBMI 34.6 at the last visit\n"
        "CPAP intolerance after a trial of at least 3 months\tNot documented\tNo download\n"
    )
    lines = letter.split("\n")
    # every row's second cell starts at the header's second column
    column = lines[2].index("Criterion met")
    assert [line[column:].split("  ")[0] for line in lines[3:]] == ["Yes", "No", "Not documented"]
    criteria = read_criteria(letter)
    assert [(c.text, c.payer_status) for c in criteria] == [
        ("Age 22 years or older", "met"),
        ("Body mass index of 32 kg/m2 or less", "not_met"),
        ("CPAP intolerance after a trial of at least 3 months", "not_documented"),
    ]
    assert criteria[1].payer_reason == "BMI 34.6 at the last visit"


def test_other_tabs_still_expand_to_stops_of_eight() -> None:
    assert normalize_text("Member:\tAda\nDate:  today") == "Member: Ada\nDate:  today"
    assert normalize_text("\tindented line") == "        indented line"


def test_prose_after_a_table_ends_it_and_a_pipe_table_is_not_read_by_position() -> None:
    table = column_table(FINDING_TABLE, lambda cells: "Criterion" in cells[0])
    assert table is not None
    assert table.header == ("Criterion", "Reviewer finding")
    assert FINDING_TABLE.split("\n")[table.end - 1].startswith("No active infection")
    assert "Because" not in " ".join(" ".join(cells) for cells in table.lines if cells)
    piped = "Section | Requirement        | Finding\n1.1     | Age 18 or older    | Met\n"
    assert column_table(piped, lambda cells: True) is None


def test_a_word_wrapped_at_a_hyphen_is_joined() -> None:
    assert joined(["instability on flexion-", "extension films"]) == (
        "instability on flexion-extension films"
    )
    assert joined(["12-lead ECG and", "Echo"]) == "12-lead ECG and Echo"
