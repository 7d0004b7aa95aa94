"""Layouts of the reading brief of session 35, as small synthetic letters written for these
tests: criteria numbered inside a running paragraph ('(a) ..., which is met; (b) ...'), a
concurrent review by dimension with a finding per numbered criterion, the date the reviewed
records stop, a clinical window that is no filing clock, and which decision a notice is."""

from __future__ import annotations

import datetime as dt

from pipeline.criteria_rules import read_criteria
from pipeline.extract import extract_facts, find_appeal_clock, find_appeal_level
from pipeline.models import AppealLevel
from pipeline.payer_findings import records_through

_UPHELD = """NOTICE OF SECOND-LEVEL APPEAL DECISION - DENIAL UPHELD

What the first decision said:

   "The request is not medically necessary. Coverage requires imaging and a trial of
    therapy. You may ask for a second-level review within 60 days of this letter."

Basis for this decision

Policy ORT-12 requires each of the following: (a) pain limiting walking for at least
3 months, which is met from the clinic notes; (b) a supervised exercise program of at least
8 weeks, which is also met; (c) a standing radiograph showing joint space loss, which is not
met because only a supine study was sent; (d) a hemoglobin A1c below 8%, which is not
documented since no result was enclosed; and (e) for members under 18, a growth plate study,
which does not apply to this adult member.

This is the Plan's final internal decision. You may ask for an external review within
4 months after you receive this letter.
"""


def test_criteria_lettered_inside_a_rationale_paragraph_are_read_with_their_findings() -> None:
    criteria = read_criteria(_UPHELD)
    assert [(c.label, c.payer_status) for c in criteria] == [
        ("(a)", "met"),
        ("(b)", "met"),
        ("(c)", "not_met"),
        ("(d)", "not_documented"),
        ("(e)", "not_applicable"),
    ]
    assert criteria[2].text == "a standing radiograph showing joint space loss"
    assert criteria[2].payer_reason == "only a supine study was sent"
    # the quoted first decision is no second set of criteria
    assert not any("imaging" in c.text for c in criteria)


def test_a_final_internal_decision_is_read_and_a_quoted_first_decision_does_not_count() -> None:
    assert find_appeal_level(_UPHELD) is AppealLevel.final_internal
    # the same words only quoted: the notice is a first decision
    quoted = 'Our earlier letter said: "This is our final decision on the request for the brace."'
    assert find_appeal_level(quoted) is AppealLevel.initial
    # 'after you have exhausted' is a condition, not a statement
    assert (
        find_appeal_level("You may sue after you have exhausted the Plan's appeal procedures.")
        is AppealLevel.initial
    )


def test_an_appeal_decision_offering_a_second_internal_level_is_an_appeal() -> None:
    text = (
        "We reviewed your first-level appeal. We are not changing our decision.\n\n"
        "If you disagree, you may ask for a second-level appeal within 60 days of this letter. "
        "After it you may ask for an external review."
    )
    assert find_appeal_level(text) is AppealLevel.appeal
    # an upheld appeal that offers only an external review is the last internal decision
    upheld = (
        "Your appeal was reviewed and the denial is upheld. You may ask for an external review."
    )
    assert find_appeal_level(upheld) is AppealLevel.final_internal


def test_inline_numbered_items_take_the_verdict_sentences_that_name_them() -> None:
    letter = (
        "Why: Medical Policy DME-9 covers the device only if 1) the ejection fraction is 35% or "
        "less on a study after the event, 2) the member is within 40 days of the event, and "
        "3) the member agrees to wear it 20 hours a day. Item 1) is met: the echocardiogram of "
        "10/14/2026 shows 30%. Items 2) and\n3) are not documented: the event date is not in "
        "the records.\n"
    )
    criteria = read_criteria(letter)
    assert [(c.label, c.payer_status) for c in criteria] == [
        ("1", "met"),
        ("2", "not_documented"),
        ("3", "not_documented"),
    ]
    assert criteria[0].payer_reason is not None and "30%" in criteria[0].payer_reason


_DIMENSIONS = """WHY WE DENIED THE CONTINUED STAY

A continued stay is covered when every dimension below is met. The reviewer's finding for each
criterion is shown next to it, based on the records received on 03/02/2027 (nursing notes
02/20-02/26, therapy flowsheets through 02/27).

DIMENSION I - SEVERITY OF ILLNESS
  I-1  Stable without vasopressors for at least 48 hours ..................... MET
  I-2  Needs intravenous medication managed daily by a physician ............ NOT MET
       [Reviewer note: intravenous antibiotics ended 02/22.]

DIMENSION II - PROGNOSIS
  II-1 A documented plan with an expected discharge within 30 days .......... NOT MET
  II-2 If dialysis dependent: a nephrology consultation ..................... N/A
"""


def test_a_concurrent_review_by_dimension_reads_each_numbered_criterion() -> None:
    criteria = read_criteria(_DIMENSIONS)
    assert [(c.label, c.payer_status) for c in criteria] == [
        ("I-1", "met"),
        ("I-2", "not_met"),
        ("II-1", "not_met"),
        ("II-2", "not_applicable"),
    ]
    assert criteria[1].payer_reason == "intravenous antibiotics ended 02/22"
    assert criteria[0].text == "Stable without vasopressors for at least 48 hours"


def test_a_status_before_a_reviewer_note_stands() -> None:
    letter = (
        "Criteria (the reviewer's finding is shown next to each):\n\n"
        "  1. Tracheostomy in place ........ MET\n"
        "     [Reviewer note: trach placed 10/02 per operative note.]\n"
        "  2. Ventilation 6 hours a day .... NOT MET\n"
    )
    criteria = read_criteria(letter)
    assert [(c.text, c.payer_status) for c in criteria] == [
        ("Tracheostomy in place", "met"),
        ("Ventilation 6 hours a day", "not_met"),
    ]


def test_the_reviewed_records_stop_on_their_latest_date() -> None:
    notice = dt.date(2027, 3, 2)
    records = ["nursing notes 02/20-02/26", "therapy flowsheets through 02/27"]
    assert records_through(records, notice) == dt.date(2027, 2, 27)
    # a date with no year after the notice is of the year before
    assert records_through(["progress notes 12/28-12/30"], dt.date(2027, 1, 5)) == dt.date(
        2026, 12, 30
    )
    assert records_through(["the echocardiogram report"], notice) is None
    facts = extract_facts("March 2, 2027\n\n" + _DIMENSIONS)
    assert facts.records_through == dt.date(2027, 2, 27)


def test_a_window_counted_back_from_an_event_is_no_filing_clock() -> None:
    text = (
        "REVIEWER'S RATIONALE FOR THE RECONSIDERATION\n\n"
        "The policy requires a trough level drawn within 3 days before a scheduled dose.\n\n"
        "If you still disagree, you may ask OPM to review our decision. You must write to OPM "
        "within 90 days after the date of this letter.\n"
    )
    deadline, words = find_appeal_clock(text, dt.date(2026, 8, 25))
    assert deadline == dt.date(2026, 11, 23)
    assert words == "within 90 days after the date of this letter"


def test_inline_items_joined_by_or_are_alternatives() -> None:
    letter = (
        "Policy SLP-6 limits the study to one a year. A second study is covered only when: "
        "(a) it is the overnight study before a latency test; OR (b) the earlier study was "
        "non-diagnostic and symptoms persist. Neither exception was shown.\n"
    )
    criteria = read_criteria(letter)
    assert [(c.label, c.alternative) for c in criteria] == [("(a)", True), ("(b)", True)]
    # joined by 'and', they are all required
    required = letter.replace("; OR (b)", "; and (b)")
    assert [c.alternative for c in read_criteria(required)] == [False, False]


def test_a_dimension_label_names_its_criterion_in_the_letter() -> None:
    from pipeline.letter_format import CRITERION_HEADING_RE, criterion_names
    from pipeline.models import Criterion

    criteria = [Criterion(text="Stable for 48 hours", label=label) for label in ("I-1", "II-2")]
    assert criterion_names(criteria) == ["I-1", "II-2"]
    heading = CRITERION_HEADING_RE.search("### Criterion II-2 — Coverage Criteria IC-7")
    assert heading is not None and heading.group(1) == "II-2"


def test_a_grid_cell_closing_with_its_own_finding_sentence_gives_the_status() -> None:
    letter = (
        "The request was reviewed against these requirements:\n\n"
        "+------------------------------------+--------------------------------------+\n"
        "| Requirement (DRM-3)                | Information received                 |\n"
        "+------------------------------------+--------------------------------------+\n"
        "| 1. Age 18 or older                 | Age 52. REQUIREMENT SATISFIED.       |\n"
        "+------------------------------------+--------------------------------------+\n"
        "| 2. A trial of methotrexate for at  | Problem list says 'MTX failed'; no   |\n"
        "|    least 12 weeks                  | dates were given. NOT SATISFIED.     |\n"
        "+------------------------------------+--------------------------------------+\n"
        "| 3. Re-authorization only: PASI 75  | Initial request. NOT APPLICABLE.     |\n"
        "+------------------------------------+--------------------------------------+\n"
    )
    criteria = read_criteria(letter)
    assert [(c.label, c.payer_status, c.payer_reason) for c in criteria] == [
        ("1", "met", "Age 52."),
        ("2", "not_met", "Problem list says 'MTX failed'; no dates were given."),
        ("3", "not_applicable", "Initial request."),
    ]


def test_a_letter_answering_a_final_fehb_decision_goes_to_opm_by_its_deadline() -> None:
    from pathlib import Path

    from pipeline.casefile import load_case
    from pipeline.engines import get_engine
    from pipeline.ingest import ingest_text
    from pipeline.pipeline import Pipeline

    notice = (
        "HIGHLAND FEDERAL EMPLOYEE HEALTH PLAN\nA Federal Employees Health Benefits (FEHB) plan\n\n"
        "March 2, 2027\n\nRE: RECONSIDERATION DECISION - DENIAL UPHELD\n\n"
        "Member ID: HFE-55102\n\nWe reviewed your request for reconsideration. We are upholding "
        "our decision. Policy MP-7 requires (a) an MRI within 90 days, which is met; and (b) "
        "12 weeks of therapy, which is not met because no notes were sent.\n\n"
        "THIS IS OUR FINAL DECISION. You may ask OPM to review it. You must write to OPM within "
        "90 days after the date of this letter. Mail to: United States Office of Personnel "
        "Management, Healthcare and Insurance, 1900 E Street NW, Washington, DC 20415-3620.\n"
    )
    example = sorted(Path("examples").glob("*/case.yaml"))[0]
    case = load_case(example)
    case = case.model_copy(update={"insurer": "Highland Federal Employee Health Plan"})
    # the notice is about the example's patient (the identity check holds)
    notice = notice.replace("Member ID: HFE-55102", f"Member ID: {case.patient.member_id}")
    notice = notice.replace("RE: ", f"Patient: {case.patient.name}\nRE: ")
    out = Pipeline(get_engine("offline")).run(
        ingest_text(notice), case, today=dt.date(2027, 3, 20), allow_gaps=True, reject=False
    )
    letter = out.draft.markdown
    head = letter.split("## ", 1)[0]
    assert "Office of Personnel Management" in head and "1900 E Street NW" in head
    assert "Re: Request for review by the Office of Personnel Management (OPM)" in head
    assert "which is due by May 31, 2027" in letter
    assert "must reconsider its decision" not in letter


def test_dimensions_written_as_requirement_and_finding_fields_are_criteria() -> None:
    letter = (
        "WHY WE DENIED THE DAYS\n\n"
        "The reviewer applied guideline IRF-2. Each domain and the finding for it follow.\n\n"
        "Domain A - Physician oversight\n"
        "   Requirement: rehabilitation physician visits at least 3 days a week.\n"
        "   Finding: Met. Visits documented 5 days a week.\n\n"
        "Domain B - Intensity of therapy\n"
        "   Requirement: at least 3 hours of therapy a day, 5 days a week.\n"
        "   Finding: Not met. Therapy notes show 2 hours a day.\n"
    )
    criteria = read_criteria(letter)
    assert [(c.label, c.payer_status, c.payer_reason) for c in criteria] == [
        ("A", "met", "Visits documented 5 days a week"),
        ("B", "not_met", "Therapy notes show 2 hours a day"),
    ]
    assert criteria[1].text.startswith("at least 3 hours of therapy a day")


def test_a_first_decision_naming_its_later_reconsideration_decision_is_no_appeal_decision() -> None:
    # an FEHB first denial tells how to ask for reconsideration and, after it, OPM review
    # 'within 90 days after the date of our reconsideration decision: <address>': the notice
    # is a first decision (answered by the carrier's reconsideration), not a final one
    text = (
        "Reconsideration. If you disagree with this decision, you may ask the Plan to "
        "reconsider it within 6 months from the date of this notice.\n"
        "OPM review. If we uphold this decision, you may ask the U.S. Office of Personnel "
        "Management (OPM) to review it within 90 days after the date of our reconsideration "
        "decision: United States Office of Personnel Management, Washington, DC 20415."
    )
    assert find_appeal_level(text) is AppealLevel.initial
    heading = "RECONSIDERATION DECISION: Denial upheld. You may ask the Office of Personnel "
    heading += "Management to review it."
    assert find_appeal_level(heading) is AppealLevel.final_internal
