"""Layouts the reading missed whole: a table drawn with box-drawing characters, a finding cell
that tells its status only in its sentences, items led by status marks, and a questionnaire
whose answers are the payer's findings."""

from __future__ import annotations

from pipeline.criteria_rules import read_criteria
from pipeline.text.clean import normalize_text

BOX_GRID = """\
We reviewed the request under Surgical Policy SP-9. Each requirement and what we found:

┌────────────────────────────────┬────────────────────────────────┐
│ Policy requirement             │ What we found                  │
├────────────────────────────────┼────────────────────────────────┤
│ Knee pain limiting walking for │ Met. The note of 09/01/2026    │
│ at least 3 months              │ describes it.                  │
├────────────────────────────────┼────────────────────────────────┤
│ Weight-bearing x-rays showing  │ Shown on the left side only,   │
│ joint space narrowing on both  │ so this requirement is not met │
│ sides                          │ for the right knee.            │
└────────────────────────────────┴────────────────────────────────┘
"""


def test_box_drawing_characters_fold_to_an_ascii_grid() -> None:
    assert normalize_text("┌──┬─┐\n│a │b│\n╞══╪═╡\n└──┴─┘") == "+--+-+\n|a |b|\n+==+=+\n+--+-+"


def test_a_box_drawn_table_is_read_row_by_row_with_statuses_told_in_the_cell() -> None:
    criteria = read_criteria(normalize_text(BOX_GRID))
    assert [c.text for c in criteria] == [
        "Knee pain limiting walking for at least 3 months",
        "Weight-bearing x-rays showing joint space narrowing on both sides",
    ]
    # the second finding opens with no status word: its sentence says 'not met'
    assert [c.payer_status for c in criteria] == ["met", "not_met"]


MARKED = """\
Medical Policy UR-8, Tibial Nerve Stimulation. Key:
✔ = met   ✘ = not met   ? = not received

  ✔  Overactive bladder symptoms for at least 6 months
  ✘  Failure of at least 2 bladder medications, each for at least 4 weeks
  ?  A 3-day voiding diary recorded before treatment
"""


def test_items_led_by_status_marks_take_their_status_from_the_mark() -> None:
    criteria = read_criteria(MARKED)
    assert [(c.text, c.payer_status) for c in criteria] == [
        ("Overactive bladder symptoms for at least 6 months", "met"),
        ("Failure of at least 2 bladder medications, each for at least 4 weeks", "not_met"),
        ("A 3-day voiding diary recorded before treatment", "not_documented"),
    ]


QUESTIONNAIRE = """\
The request was reviewed with the plan's shoulder surgery questionnaire. The questions and
the answers the records support are:

Q1. Has the member had shoulder pain for at least 3 months?
    Answer: Yes.
Q2. Has the member completed at least 6 weeks of physical therapy?
    Answer: No. The therapy notes cover 2 weeks.
Q3. Was an MRI done within the past 6 months?
    Answer: Not provided.
"""


def test_a_questionnaire_reads_each_question_with_its_answer_as_the_finding() -> None:
    criteria = read_criteria(QUESTIONNAIRE)
    assert [c.text for c in criteria] == [
        "Has the member had shoulder pain for at least 3 months?",
        "Has the member completed at least 6 weeks of physical therapy?",
        "Was an MRI done within the past 6 months?",
    ]
    assert [c.payer_status for c in criteria] == ["met", "not_met", "not_documented"]
    assert criteria[1].payer_reason == "The therapy notes cover 2 weeks"
