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


CHECKBOXES = """\
Prior authorization criteria (PA-77)                                  Met?
  1. Diagnosis of plaque psoriasis covering at least 10% of body     [X] Yes  [ ] No
     surface area
  2. A trial of methotrexate for at least 12 weeks within the past   [ ] Yes  [X] No
     12 months
"""


def test_a_ticked_yes_or_no_beside_an_item_is_its_status_and_not_its_words() -> None:
    criteria = read_criteria(CHECKBOXES)
    assert [(c.text, c.payer_status) for c in criteria] == [
        ("Diagnosis of plaque psoriasis covering at least 10% of body surface area", "met"),
        ("A trial of methotrexate for at least 12 weeks within the past 12 months", "not_met"),
    ]


PROSE_RULE = """\
Dear Dr. Alder:

Our policy considers a trial of occipital nerve stimulation medically necessary for a member
with chronic migraine that has lasted at least 12 months, when the headaches have not
responded to at least 3 preventive medications, and either the member has had onabotulinumtoxinA
for at least 2 cycles or onabotulinumtoxinA is contraindicated.

The policy further requires that a psychological evaluation within the past 12 months find no
untreated psychiatric disorder.

The records show migraine since 2019. We did not receive a psychological evaluation.
"""


def test_a_rule_in_prose_paragraphs_is_read_when_the_account_is_in_the_next_paragraph() -> None:
    criteria = read_criteria(PROSE_RULE)
    assert [c.text for c in criteria] == [
        "chronic migraine that has lasted at least 12 months",
        "the headaches have not responded to at least 3 preventive medications",
        "either the member has had onabotulinumtoxinA for at least 2 cycles or "
        "onabotulinumtoxinA is contraindicated",
        "a psychological evaluation within the past 12 months find no untreated psychiatric "
        "disorder",
    ]
    assert criteria[1].logic == "all" and criteria[2].logic == "any"
    assert criteria[3].payer_status == "not_documented"


ROMAN_FINDINGS = """\
The guideline requires all of the following:

  I.   Pain limiting daily activities for at least 6 months.
  II.  Failure of at least 12 weeks of physical therapy.
  III. No active infection.

Review findings:
  I.   Met.
  II.  Not met. Therapy was attended for 4 weeks.
  III. Met.
"""

CONNECTORS = """\
Clinical criteria CC-9 (anti-IL-5 therapy):

  1.  Age 18 years or older
        AND
  2.  At least 2 exacerbations requiring oral steroids in the past 12 months
        OR
      At least 1 exacerbation requiring hospitalization in the past 12 months

DETERMINATION DETAIL
  #1 - Met (age 51).
  #2 - Not met. One steroid course is documented.
"""


def test_findings_keyed_by_roman_numeral_or_by_number_after_a_hash() -> None:
    assert [c.payer_status for c in read_criteria(ROMAN_FINDINGS)] == ["met", "not_met", "met"]
    connected = read_criteria(CONNECTORS)
    assert [c.payer_status for c in connected] == ["met", "not_met"]


def test_and_or_lines_between_items_are_connectors_not_words_of_the_criterion() -> None:
    first, second = read_criteria(CONNECTORS)
    assert first.text == "Age 18 years or older"
    assert second.logic == "any"  # an 'OR' line between the item's alternatives


NUMBERED_TABLE = """\
Your request was reviewed against criteria RX-12. All of criteria 1 through 3 must be met.

     No. Criterion                                                     Finding
     --- ------------------------------------------------------------- ---------------
      1  Diagnosis of chronic migraine.                                MET
      2  At least 2 preventive medications were tried for at least 8   NOT
         weeks each, or the prescriber explains why they cannot be     DOCUMENTED
         used.
      3  The prescriber is a neurologist.                              MET

Explanation: The request form states "nothing else works." No pharmacy claims were found.
"""


def test_a_numbered_column_table_reads_each_wrapped_criterion_whole() -> None:
    criteria = read_criteria(NUMBERED_TABLE)
    assert [(c.text, c.payer_status) for c in criteria] == [
        ("Diagnosis of chronic migraine", "met"),
        (
            "At least 2 preventive medications were tried for at least 8 weeks each, or the "
            "prescriber explains why they cannot be used",
            "not_documented",
        ),
        ("The prescriber is a neurologist", "met"),
    ]
    # 'or the prescriber explains ...': a clause of its own, an alternative
    assert criteria[1].logic == "any"


LEGEND = """\
Repair is reconstructive only when Sections A and B are ALL met.

  KEY:  [X] met   [-] not met   [?] not documented in the records we received

  SECTION A - Severity
    [X] A1. Haller index of 3.25 or greater on CT within the past 12 months.
            (CT 08/19/2026: Haller index 4.6)

  SECTION B - Impairment
    [-] B1. Forced vital capacity below 80% of predicted.
    [?] B2. Cardiac compression shown on echocardiogram.
"""


def test_bracketed_marks_a_legend_defines_are_the_payer_findings() -> None:
    criteria = read_criteria(LEGEND)
    assert [(c.text, c.payer_status) for c in criteria] == [
        ("Haller index of 3.25 or greater on CT within the past 12 months", "met"),
        ("Forced vital capacity below 80% of predicted", "not_met"),
        ("Cardiac compression shown on echocardiogram", "not_documented"),
    ]
    assert criteria[0].payer_reason == "CT 08/19/2026: Haller index 4.6"


FORM_BOXES = """\
We denied your request. Reason (checked boxes apply):
  [ ] The drug is not on our list of covered drugs
  [X] Prior authorization: the criteria below were not met
"""


def test_checkboxes_no_legend_defines_are_not_criteria() -> None:
    assert read_criteria(FORM_BOXES) == []


QUOTED_NCD = """\
The part of the NCD that applies to your request reads:

  | B. Covered Indications
  |   7. Chronic refractory osteomyelitis in patients who meet the following
  |      three criteria:
  |        a. Patient has osteomyelitis confirmed by imaging or bone biopsy that
  |           is due to a chronic infection;
  |        b. Patient has had at least 6 weeks of culture-directed antibiotics; and
  |        c. Patient has had surgical debridement of the infected bone.

WHAT WE FOUND

  NCD B.7.a  (osteomyelitis confirmed) ........................ MET
      The MRI of 08/02/2026 shows osteomyelitis of the calcaneus.
  NCD B.7.b  (at least 6 weeks of culture-directed
              antibiotics) ........................................ NOT MET
      Antibiotics are documented for 3 weeks.
  NCD B.7.c  (surgical debridement) ...................... NOT DOCUMENTED
"""


def test_a_quoted_passage_with_leading_bars_is_read_as_its_list_with_named_findings() -> None:
    criteria = read_criteria(QUOTED_NCD)
    assert [(c.text, c.payer_status) for c in criteria] == [
        (
            "Patient has osteomyelitis confirmed by imaging or bone biopsy that is due to a "
            "chronic infection",
            "met",
        ),
        ("Patient has had at least 6 weeks of culture-directed antibiotics", "not_met"),
        ("Patient has had surgical debridement of the infected bone", "not_documented"),
    ]
    assert criteria[1].payer_reason == "Antibiotics are documented for 3 weeks."
