"""Tables whose cells wrap onto continuation rows are read as one logical row (issue 15, round
10): pipe tables whose wrapped lines leave the status cell empty or go on with the sentence
above, and tab tables whose wrapped lines trail tabs or skip a middle cell."""

from __future__ import annotations

from pipeline.criteria_rules import read_criteria
from pipeline.text.clean import normalize_text
from pipeline.text.tables import logical_rows

# every criterion cell wraps; the status cell is empty on each continuation line, which still
# carries words in the comment column
PIPE_STATUS_EMPTY = """\
Our review under Imaging Policy IM-40:

| Criterion | Met? | Reviewer comment |
|---|---|---|
| Headache that is new, or that has changed in | Yes | Onset in August |
| pattern, in a patient over 50 years of age | | is described |
| A neurological examination that shows a focal | No | Examination recorded |
| deficit, or papilledema on fundoscopy | | as normal |
| Failure of 8 weeks of treatment with a preventive | Not documented | No medication |
| medication | | list was sent |

The imaging is not medically necessary.
"""


def test_pipe_rows_with_an_empty_status_cell_continue_the_row_above() -> None:
    criteria = read_criteria(PIPE_STATUS_EMPTY)
    assert [(c.text, c.payer_status, c.payer_reason) for c in criteria] == [
        (
            "Headache that is new, or that has changed in pattern, in a patient over 50 years"
            " of age",
            "met",
            "Onset in August is described",
        ),
        (
            "A neurological examination that shows a focal deficit, or papilledema on fundoscopy",
            "not_met",
            "Examination recorded as normal",
        ),
        (
            "Failure of 8 weeks of treatment with a preventive medication",
            "not_documented",
            "No medication list was sent",
        ),
    ]


# a table with no status column: the wrapped line opens in lower case after a cell left open
PIPE_SENTENCE = """\
The plan requires each of the following, and the request does not show them:

| Requirement | Reviewer comment |
|---|---|
| Sleep study showing an apnea-hypopnea index of 15 or more | Study of 2025 shows 9 |
| events per hour | |
| Trial of positive airway pressure for at least | No download of device use |
| 3 months | was received |
"""


def test_pipe_row_opening_in_lower_case_continues_the_sentence_above() -> None:
    texts = [c.text for c in read_criteria(PIPE_SENTENCE)]
    assert texts == [
        "Sleep study showing an apnea-hypopnea index of 15 or more events per hour",
        "Trial of positive airway pressure for at least 3 months",
    ]


def test_logical_rows_keep_a_new_item_and_a_closed_sentence_apart() -> None:
    rows = [
        ["Criterion", "Status"],
        ["Age 18 or older.", "Met"],
        ["prior surgery documented", "Met"],  # the cell above ended its sentence
        ["a. BMI of 40 or more", "Not met"],  # a lower-case list marker opens an item
        ["or 35 with a comorbidity", ""],  # empty status: continues
    ]
    assert logical_rows(rows, [1]) == [
        ["Criterion", "Status"],
        ["Age 18 or older.", "Met"],
        ["prior surgery documented", "Met"],
        ["a. BMI of 40 or more or 35 with a comorbidity", "Not met"],
    ]


# a tab table: the first cell wraps onto lines whose only tabs trail the words, and a wrapped
# comment skips the status cell with two tabs
TAB_WRAPPED = (
    "Criterion\tStatus\tReviewer note\n"
    "Chronic rhinosinusitis confirmed by CT of the\tMet\tCT of 09/2026\n"
    "sinuses after medical treatment\t\t\n"
    "Nasal steroid spray for at least 8 weeks\tNot met\tFluticasone for\n"
    "\t\t3 weeks only\n"
    "Saline irrigation for at least\tNot met\tNo irrigation is\n"
    "8 weeks\t\tdescribed\n"
)


def test_tab_table_wrapped_rows_stay_in_their_columns() -> None:
    text = "We reviewed the request against Policy ENT-3:\n\n" + TAB_WRAPPED
    criteria = read_criteria(normalize_text(text))
    assert [(c.text, c.payer_status, c.payer_reason) for c in criteria] == [
        (
            "Chronic rhinosinusitis confirmed by CT of the sinuses after medical treatment",
            "met",
            "CT of 09/2026",
        ),
        ("Nasal steroid spray for at least 8 weeks", "not_met", "Fluticasone for 3 weeks only"),
        ("Saline irrigation for at least 8 weeks", "not_met", "No irrigation is described"),
    ]


def test_a_double_tab_in_a_full_row_still_aligns_one_column() -> None:
    lines = normalize_text("Criterion\t\tStatus\nAge 18 or older\tMet\n").split("\n")
    assert lines[0].index("Status") == lines[1].index("Met")


def test_a_status_on_the_last_line_of_a_wrapped_cell_belongs_to_the_whole_cell() -> None:
    rows = [
        ["Criterion", "Met?", "Comment"],
        ["Recurrence within or next to a", "", ""],
        ["previously treated area", "No", "New site"],
        ["eGFR of 30 or greater", "Yes", "eGFR 58"],  # own status: a new row, lower case or not
    ]
    assert logical_rows(rows, [1]) == [
        ["Criterion", "Met?", "Comment"],
        ["Recurrence within or next to a previously treated area", "No", "New site"],
        ["eGFR of 30 or greater", "Yes", "eGFR 58"],
    ]


def test_a_numbered_criterion_cell_is_read_without_its_number() -> None:
    letter = (
        "Our review of Pharmacy Policy RX-8:\n\n"
        "| Criterion | Met? | Notes |\n|---|---|---|\n"
        "| 1. Diagnosis of chronic migraine in a | Yes | 16 headache days |\n"
        "|    patient 18 years or older | | a month |\n"
        "|---|---|---|\n"
        "| 2. Failure of 2 preventive drugs | No | One trial only |\n"
    )
    assert [(c.text, c.payer_status) for c in read_criteria(letter)] == [
        ("Diagnosis of chronic migraine in a patient 18 years or older", "met"),
        ("Failure of 2 preventive drugs", "not_met"),
    ]
