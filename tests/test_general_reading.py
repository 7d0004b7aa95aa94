"""The general reading of criteria (pipeline/general_reading.py): requirements wherever they sit,
findings by position, label, ordinal, name or topic; one-of leads kept as alternatives;
boilerplate never a criterion. Notices here are written for these tests (tuned), in topics and
wordings apart from the layout suite's held-out letters."""

from __future__ import annotations

from pipeline import general_reading
from pipeline.criteria_rules import read_criteria, reading


def _points(text: str) -> list[general_reading.Point]:
    found = general_reading.read(reading(text).plain)
    general_reading.attach(found)
    return found.points


ORDINAL_BLOCK = """\
Dear Dr. Quill,

Your request for a spinal cord stimulator trial is denied. Under Policy NEU-40 the trial is
medically necessary for a member with chronic radicular pain of at least 6 months. The member
must have completed a psychological evaluation within the last 12 months. Finally, the member
must have stopped all opioid dose escalation for 30 days before the trial.

Our review

The first requirement is met; the notes describe leg pain since 2024.

As for the psychological evaluation requirement, we did not receive an evaluation report.

The third requirement is not met: the pharmacy record shows a dose increase on 11/02/2026.

You may appeal within 180 days. Call 1-555-555-0100 or fax 1-555-555-0101.
"""


def test_requirement_sentences_take_findings_by_ordinal_and_by_name() -> None:
    points = _points(ORDINAL_BLOCK)
    assert [p.text for p in points] == [
        "a member with chronic radicular pain of at least 6 months.",
        "The member must have completed a psychological evaluation within the last 12 months.",
        "the member must have stopped all opioid dose escalation for 30 days before the trial.",
    ]
    assert [p.status for p in points] == ["met", "not_documented", "not_met"]


INLINE_MARKS = """\
Message from Orchard Benefit Review, 12/01/2026:
The request for the infusion was denied. The member must be 12 years of age or older [MET].
The member must have tried a preferred agent for at least 8 weeks [NOT MET - no claim on
file]. The prescriber must send the most recent lipid panel [NOT RECEIVED].

Appeal rights: you may appeal within 60 days by fax to 1-555-555-0102.
"""


def test_inline_bracket_marks_give_each_sentence_its_finding() -> None:
    points = _points(INLINE_MARKS)
    assert [p.status for p in points] == ["met", "not_met", "not_documented"]
    assert points[1].text == "The member must have tried a preferred agent for at least 8 weeks"
    assert points[1].reason == "no claim on file"


LEGEND_CODES = """\
Review notes (Y = criterion met, X = not met, U = not documented):
 Y   Age 50 or older
 X   Hemoglobin below 10 g/dL on two draws 4 weeks apart -- one draw on file
 U   Iron studies within 60 days
"""


def test_a_legend_defines_the_codes_that_open_each_line() -> None:
    points = _points(LEGEND_CODES)
    assert [(p.text, p.status) for p in points] == [
        ("Age 50 or older", "met"),
        ("Hemoglobin below 10 g/dL on two draws 4 weeks apart", "not_met"),
        ("Iron studies within 60 days", "not_documented"),
    ]


RESULT_ROW = """\
Summary
   Item          A        B        C
   Outcome       Met      Not met  Met

The policy criteria:
   Item A   Diagnosis confirmed by a sleep study within 2 years
   Item B   A trial of positional therapy for at least 30 days
   Item C   Body mass index below 40
"""


def test_a_result_row_under_labels_gives_the_findings_by_label() -> None:
    points = _points(RESULT_ROW)
    assert [(p.label, p.status) for p in points] == [("A", "met"), ("B", "not_met"), ("C", "met")]


ONE_OF_TREE = """\
The requirements, as the reviewer marked them:

   All of the following:
      A diagnosis of lipedema confirmed by a vascular specialist                 (met)
      At least one of the following for 3 months without relief:
         compression garments                                       (not documented)
         manual lymphatic drainage                                  (not documented)
      No weight change of more than 10% in the last year                          (met)
"""


def test_a_one_of_item_keeps_its_sub_items_as_alternatives() -> None:
    points = _points(ONE_OF_TREE)
    assert len(points) == 3
    middle = points[1]
    assert middle.logic == "any"
    assert middle.text.startswith("At least one of the following for 3 months without relief:")
    assert middle.text.endswith("manual lymphatic drainage")
    assert middle.status == "not_documented"
    # the merged words occur in the letter once the marks are read as findings
    assert " ".join(middle.text.split()) in " ".join(general_reading.unmarked(ONE_OF_TREE).split())


def test_rights_contacts_and_taglines_are_never_criteria() -> None:
    texts = " ".join(p.text for p in _points(ORDINAL_BLOCK + INLINE_MARKS))
    assert "appeal" not in texts.casefold()
    assert "fax" not in texts.casefold()


def test_a_notice_no_layout_reader_reads_is_read_by_the_general_reading() -> None:
    criteria = read_criteria(ORDINAL_BLOCK)
    assert [c.payer_status for c in criteria] == ["met", "not_documented", "not_met"]
    assert criteria[1].text.startswith("The member must have completed a psychological")


def test_findings_in_a_quoted_earlier_decision_yield_to_the_new_ones() -> None:
    text = """\
Our earlier letter stated:

    "Coverage requires:
     (a) a trial of at least two oral agents for 12 weeks;
     (b) a specialist consultation within 6 months.
     Criteria (a) and (b) are not met."

With the new records, criterion (a) is now met. Criterion (b) remains unmet: no consultation
note was sent.
"""
    points = _points(text)
    assert [(p.label, p.status) for p in points] == [("(a)", "met"), ("(b)", "not_met")]


UNMARKED_CONDITIONS = """\
Why we decided this

Our policy DME-19 says a standing frame is medically necessary only
if
  the member cannot stand without support for at least 2 minutes;
  a physical therapist has documented a trial of the frame at home;
  and the member has no hip contracture greater than 20 degrees.

The physical therapy note of 10/02/2026 shows the member cannot stand unsupported, so the first
condition is met. We found no home trial in the records, so we cannot say the second condition
is met. The third condition is not met: the examination records a 30 degree hip contracture.
"""


def test_findings_by_ordinal_are_read_from_the_clause_that_names_them() -> None:
    criteria = read_criteria(UNMARKED_CONDITIONS)
    assert [c.text for c in criteria] == [
        "the member cannot stand without support for at least 2 minutes",
        "a physical therapist has documented a trial of the frame at home",
        "the member has no hip contracture greater than 20 degrees",
    ]
    assert [c.payer_status for c in criteria] == ["met", "not_documented", "not_met"]


def test_a_table_under_a_notice_title_with_assistance_in_it_is_read() -> None:
    text = """\
NOTICE OF DENIAL OF MEDICAL ASSISTANCE SERVICES

The item is denied. The first column shows what our reviewer found.

| Result         | Requirement                                              |
|----------------|----------------------------------------------------------|
| Met            | R-1 A written order from the treating physician          |
| Not documented | R-2 A home assessment showing the item fits the home     |

YOUR RIGHTS
You may ask for a fair hearing within 120 days.
"""
    points = _points(text)
    assert [(p.label, p.status) for p in points] == [("R-1", "met"), ("R-2", "not_documented")]


def test_alternatives_under_a_one_of_row_form_a_group() -> None:
    from pipeline.criteria_rules import read_groups

    text = """\
The item is denied. Part A must be met in full and one item of Part B.

| Result   | Requirement                                         |
|----------|-----------------------------------------------------|
|          | Part A - ALL of the following:                      |
| Met      | A-1 A written order from the treating physician     |
|          | Part B - ONE of the following:                      |
| Not met  | B-1 The member weighs more than 300 pounds          |
| Not met  | B-2 The member needs traction equipment in bed      |
"""
    criteria = read_criteria(text)
    assert [c.label for c in criteria] == ["A-1", "B-1", "B-2"]
    assert [c.alternative for c in criteria] == [False, True, True]
    assert [(members, count) for members, count, _ in read_groups(text, criteria)] == [([1, 2], 1)]


MEMBER_ADDRESSED = """\
Dear member,

We reviewed your request for semaglutide. You must have a diagnosis of obesity
with a body mass index of 30 or more. You have to have followed a supervised diet
plan for at least 6 months. If you take another GLP-1 drug, you must stop it
before starting this one.

What we found

The first requirement is met; your chart lists a BMI of 34.

The second requirement is not met because we did not receive the diet program records.

The third requirement is not met; your pharmacy claims show liraglutide filled last month.

You have the right to appeal. You have 60 days to ask. You may appeal by
calling 1-555-555-0100. You must file your appeal in writing.
"""


def test_requirements_addressed_to_the_member_are_read_and_rights_are_not() -> None:
    """'You have to have ...' and 'If you take ..., you must ...' are requirements; only rights
    phrases ('You have the right', 'You must file your appeal') make a sentence boilerplate."""
    points = _points(MEMBER_ADDRESSED)
    assert [(p.text, p.status) for p in points] == [
        ("You must have a diagnosis of obesity with a body mass index of 30 or more.", "met"),
        (
            "You have to have followed a supervised diet plan for at least 6 months.",
            "not_documented",
        ),
        (
            "If you take another GLP-1 drug, you must stop it before starting this one.",
            "not_met",
        ),
    ]


FINDING_CLAUSES = """\
Dear Ms. Okafor,

We denied the request for a home hospital bed. The guideline requires that the member need
positioning of the body in ways not feasible with an ordinary bed; the chart notes say you
turn in bed without help. The guideline also requires that the member need the head of the
bed raised more than 30 degrees, and we did not receive a note that states this.

Reviewed by
Tobias R. Lindqvist-Amari, DO, Family Medicine.

Ingrid Solberg-Vance, MD, Medical Director.
"""


def test_a_finding_clause_is_cut_off_its_requirement_and_a_reviewer_is_never_a_finding() -> None:
    points = _points(FINDING_CLAUSES)
    assert [(p.text, p.status, p.reason) for p in points] == [
        (
            "the member need positioning of the body in ways not feasible with an ordinary bed",
            "not_met",
            "the chart notes say you turn in bed without help.",
        ),
        (
            "the member need the head of the bed raised more than 30 degrees",
            "not_documented",
            "we did not receive a note that states this.",
        ),
    ]
