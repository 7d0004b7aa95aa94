"""Criteria under the payer's own labels of any shape (session 37), as small synthetic letters
written for these tests: letters with numbers in a block after a heading with the unmet ones
named by label in the rationale, bracketed labels with a findings section, 'Criterion 2a:'
labels with verdict sentences, roman sections with letters, parenthesised labels of a renewal
whose initial criteria the notice says were not reviewed, and a group finding ('Finding for
Part A: NOT APPLICABLE'). Each shape also has a letter in which nothing is labelled: no label
is read from codes, dates or measures."""

from __future__ import annotations

from pipeline.criteria_rules import read_criteria
from pipeline.labelled_criteria import read_labelled
from pipeline.models import Criterion
from pipeline.prose_fallback import prose_points

_ALNUM_BLOCK = """Outcome: NOT APPROVED

Coverage rules applied
  K1  Resting oxygen saturation of 88% or lower on room air.
  K2  Testing within 30 days before the order.
  P1  The member has stopped smoking for at least 3 months.
  P2  A signed home safety plan.

Rationale
Satisfied: K1 (SpO2 86% on 10/02/2026); P2.
Not satisfied:
  K2  The only oximetry in the records is from 07/14/2026.
  P1  No smoking history was received.

Because K2 and P1 are not satisfied, the request is denied.
"""


def _by_label(criteria: list[Criterion]) -> dict[str | None, Criterion]:
    return {c.label: c for c in criteria}


def test_letter_number_labels_are_criteria_with_their_findings_by_label() -> None:
    criteria = _by_label(read_criteria(_ALNUM_BLOCK))
    assert list(criteria) == ["K1", "K2", "P1", "P2"]
    assert criteria["K1"].payer_status == "met"
    assert criteria["P2"].payer_status == "met"
    assert criteria["K2"].payer_status == "not_met"
    assert "07/14/2026" in (criteria["K2"].payer_reason or "")
    assert criteria["P1"].payer_status == "not_documented"
    assert criteria["K1"].text.startswith("Resting oxygen saturation")


_BRACKETED = """We applied medical policy RX-77.

MEDICAL POLICY ITEMS
[VT-1] Documented vertigo spells for at least 6 months.
[VT-2] Failure of vestibular rehabilitation for at least 8 weeks.
[VT-3] For members under 21, an audiology evaluation.

REVIEW FINDINGS
[VT-1] Met.
[VT-2] Not met. Therapy notes cover 3 weeks only.
[VT-3] Not applicable. The member is 52.
"""


def test_bracketed_labels_read_their_findings_section() -> None:
    criteria = _by_label(read_criteria(_BRACKETED))
    assert list(criteria) == ["VT-1", "VT-2", "VT-3"]
    assert [c.payer_status for c in criteria.values()] == ["met", "not_met", "not_applicable"]
    assert "3 weeks" in (criteria["VT-2"].payer_reason or "")


_WORD_LABELS = """Coverage requires each of the following:

Criterion 1:  Biopsy-proven disease.
Criterion 3a: Two prior lines of therapy.
Criterion 3b: No brain metastases on imaging within 60 days.

Criteria 1 and 3a are met. Criterion 3b could not be assessed: no brain imaging was received.
"""


def test_criterion_word_labels_read_verdict_sentences_by_label() -> None:
    items = read_labelled(_WORD_LABELS)
    assert [(i.label, i.status) for i in items] == [
        ("1", "met"),
        ("3a", "met"),
        ("3b", "not_documented"),
    ]


_RENEWAL = """Initial approval - all of:
  (A) Diagnosis confirmed by a specialist.
  (B) Failure of two oral agents.

Continuation - all of:
  (1) Response shown by a score within the last 3 months.
  (2) No serious infection since the last approval.

This is a continuation request, so (A) and (B) were not reviewed. The last score is from
02/2026, so (1) is not met. The records show no infection, which meets (2).
"""


def test_criteria_the_notice_says_do_not_apply_are_not_in_dispute() -> None:
    items = read_labelled(_RENEWAL)
    statuses = {i.label: i.status for i in items}
    assert statuses == {
        "(A)": "not_applicable",
        "(B)": "not_applicable",
        "(1)": "not_met",
        "(2)": "met",
    }


_GROUP_FINDING = """PART A - INITIAL. All of the following:
  A-1  Age 18 or older.
  A-2  Baseline liver tests.
  Finding for Part A: NOT APPLICABLE - renewal request.

PART B - RENEWAL. All of the following:
  B-1  Liver tests within 90 days.
       Finding: NOT MET. Last tests are 140 days old.
  B-2  No interruption of therapy.
       Finding: MET.
"""


def test_a_group_finding_applies_to_every_item_of_its_group_only() -> None:
    statuses = {i.label: i.status for i in read_labelled(_GROUP_FINDING)}
    assert statuses == {
        "A-1": "not_applicable",
        "A-2": "not_applicable",
        "B-1": "not_met",
        "B-2": "met",
    }


_SECTIONS = """Criteria II.A and III.A are met; the request is denied for the reasons given
for II.B.

II.A  Ejection fraction of 35% or less.
II.B  At least 90 days of optimal medical therapy.
III.A NYHA class II or III symptoms.

II.B: the records show 40 days of therapy.
"""


def test_roman_section_labels_with_a_verdict_before_the_list() -> None:
    statuses = {i.label: i.status for i in read_labelled(_SECTIONS)}
    assert statuses == {"II.A": "met", "II.B": "not_met", "III.A": "met"}


_NOT_LABELS = """Diagnosis:
  M47.816 Spondylosis without myelopathy, lumbar region
  G30.1 Alzheimer's disease with late onset
Code: J0174 x 60 units, 4.5 mg per dose
  C61 Malignant neoplasm of prostate
"""


def test_codes_and_measures_are_no_labels() -> None:
    assert read_labelled(_NOT_LABELS) == []


_BOXES = """A refill above the limit is approved only when ALL of the requirements below are met.

  [ ] Not met  [X] Met      1. Diagnosis of chronic migraine.

  [X] Not met  [ ] Met      2. A headache diary covering the past 60 days
                               is submitted.

  [ ] Not met  [ ] Met      3. Cluster headache only: oxygen therapy tried
  [X] Does not apply           first.

  [X] Not met  [ ] Met      4. The quantity does not exceed a 30-day supply.

Reviewer comments:
  #2 - No diary was sent.
  #4 - The claim was for 12 injections.
"""


def test_boxes_ticked_before_numbers_keep_the_payers_numbers() -> None:
    criteria = read_criteria(_BOXES)
    assert [c.label for c in criteria] == ["1", "2", "3", "4"]
    assert [c.payer_status for c in criteria] == ["met", "not_met", "not_applicable", "not_met"]
    assert criteria[1].text.startswith("A headache diary")
    assert "No diary was sent" in (criteria[1].payer_reason or "")


_QUANTITY_HEADED = """Criteria (all required):
  1. Diagnosis confirmed by biopsy.
       MET.
  2. Two prior therapies.
       NOT MET. Only one therapy is documented.

DOSE LIMIT (DL-ONC-22): 2 vials per 28 days. More may be approved only when a weight
recorded within 30 days before the request supports a higher dose.
       NOT MET. No current weight was submitted.
"""


def test_a_headed_ground_after_numbered_criteria_is_named_by_its_id_not_a_number() -> None:
    labels = [c.label for c in read_criteria(_QUANTITY_HEADED)]
    assert labels[:2] == ["1", "2"]
    assert "3" not in labels
    assert all(label in {"1", "2", "DL-ONC-22"} for label in labels)


_PROSE_ONLY = """Dear Dr. Lindqvist:

After review, we cannot approve the sleep study at this time.

Before an in-lab study is approved, the plan looks for evidence that a home sleep apnea test
was tried and was not adequate. We did not receive the results of a home sleep apnea test.
We also did not receive a sleep questionnaire, which is needed to document daytime symptoms.

You may appeal within 180 days by calling 1-800-555-0199. We do not discriminate on the basis
of race, color, national origin, age, disability, or sex. We keep your information private.
"""


def test_a_notice_in_prose_only_is_read_point_by_point_with_its_findings() -> None:
    criteria = read_criteria(_PROSE_ONLY)
    assert [(c.label, c.payer_status) for c in criteria] == [
        (None, "not_documented"),
        (None, "not_documented"),
    ]
    assert criteria[0].text.startswith("evidence that a home sleep apnea test was tried")
    assert "home sleep apnea test" in (criteria[0].payer_reason or "")
    assert criteria[1].text.startswith("a sleep questionnaire")
    said = " ".join(c.text for c in criteria)
    assert not any(w in said for w in ("appeal", "discriminat", "private", "1-800"))


_PROSE_RIGHTS_ONLY = """We denied the request because the service is not a covered benefit.

You may appeal within 60 days. Call 1-800-555-0100 or fax 1-800-555-0101. We protect your
privacy. We do not discriminate.
"""


def test_the_prose_reading_reads_no_point_from_rights_or_contacts() -> None:
    assert read_criteria(_PROSE_RIGHTS_ONLY) == []


_RIGHTS_LIST = """We cover sleep apnea surgery when:
- the AHI is 15 or more on a sleep study;
- CPAP was tried for at least 3 months and failed.
The records show an AHI of 9, so the first condition is not met.

YOUR RIGHTS
(1) You may ask for an appeal within 60 days of this notice.
(2) You may ask for copies of all documents we used, free of charge.
(3) You may ask for a fast appeal if waiting could harm your health.
"""


def test_a_numbered_rights_list_never_replaces_the_criteria() -> None:
    texts = [c.text for c in read_criteria(_RIGHTS_LIST)]
    assert not any("appeal" in t or "copies" in t for t in texts)
    assert any(t.startswith("the AHI is 15 or more") for t in texts)


_SCORE_TABLE = """Coverage requires all of the following:
* the member has a diagnosis that impairs daily functioning;
* outpatient therapy of at least 8 weeks has not helped.

Scores at intake:
  BDI-2   31 (severe), 10/02/2026
  HAM-A   22 (moderate), 10/02/2026
  AUDIT   4, 10/02/2026
"""


def test_a_score_table_under_the_criteria_is_no_labelled_list() -> None:
    criteria = read_criteria(_SCORE_TABLE)
    assert all(c.label is None for c in criteria)
    assert not any(c.text.startswith(("31", "22")) for c in criteria)


_RULE_RESTATED = """Coverage requires each of the following:
  K-1  Age 18 or older.
  K-2  A supervised program of at least 6 months.

Met: K-1 (age 44). K-2 requires that the member meets the 6-month program length; the records
show three monthly visits only.
"""


def test_a_restated_rule_after_a_label_is_no_finding_of_met() -> None:
    statuses = {i.label: i.status for i in read_labelled(_RULE_RESTATED)}
    assert statuses == {"K-1": "met", "K-2": "not_met"}


_SHORT_ANSWERS = """Coverage requires all of the following:
- a sleep study with an AHI of 15 or more;
- a failed CPAP trial of 3 months.

Reviewer worksheet, criteria checked:
  Q1  No
  Q2  Yes
  Q3  No
"""


def test_short_answers_under_labels_are_no_criteria_and_do_not_break_the_reading() -> None:
    criteria = read_criteria(_SHORT_ANSWERS)
    assert criteria
    assert all(len(c.text) >= 3 and c.text not in {"No", "Yes"} for c in criteria)


_CONCLUSION_ONLY = """After review, we did not find that the requested surgery is medically
necessary for your condition. Your plan does not include coverage for procedures done mainly
to change appearance.

You may appeal within 180 days.
"""


def test_a_conclusion_or_an_exclusion_is_no_missing_record() -> None:
    assert all(c.payer_status != "not_documented" for c in read_criteria(_CONCLUSION_ONLY))


_STOPPED = """Coverage requires each of the following:
  T-1  A diagnosis confirmed by biopsy.
  T-2  Failure of a first-line drug for 8 weeks.
  T-3  Failure of a second-line drug for 8 weeks.

T-1 is met. T-2 is not met: only 3 weeks are documented. Because T-2 is not met, T-3 was not
reviewed.
"""


def test_a_criterion_the_review_stopped_before_stays_in_dispute() -> None:
    statuses = {i.label: i.status for i in read_labelled(_STOPPED)}
    assert statuses == {"T-1": "met", "T-2": "not_met", "T-3": "not_stated"}


def test_a_rights_list_right_after_the_criteria_is_no_more_criteria() -> None:
    """review37 F0d: a numbered rights list a few lines after a labelled criteria list does not
    join it as criteria (1)-(3); the criteria and their finding are read as before."""
    notice = (
        "Approval requires each of the following:\n\n"
        "  K1  Diagnosis of chronic migraine\n"
        "  K2  Two preventive drugs tried for 8 weeks each\n"
        "  K3  Prescribed by a neurologist\n\n"
        "K2 is not met: the pharmacy history shows one preventive drug.\n\n"
        "WHAT YOU CAN DO\n"
        "(1) You may ask for an appeal within 180 days of this letter.\n"
        "(2) You may request copies of the documents we used, at no cost.\n"
        "(3) Call us at 1-800-555-0100 (TTY 711) with questions.\n"
    )
    items = read_labelled(notice)
    assert [i.label for i in items] == ["K1", "K2", "K3"]
    assert [i.status for i in items if i.label == "K2"] == ["not_met"]


def test_a_bare_medical_necessity_conclusion_is_no_prose_point() -> None:
    """'does not show that this treatment is medically necessary at this time' is the question
    the whole letter answers, not a requirement point; a rule that also asks for something
    more is still read."""
    bare = "The records we have do not show that the requested infusion is medically necessary."
    assert prose_points([bare + " The request is denied."]) == []
    more = (
        "The plan requires that the drug be medically necessary and that two preferred drugs "
        "were tried first."
    )
    assert [p.status for p in prose_points([more])] == ["not_met"]
