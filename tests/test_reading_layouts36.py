"""Layouts of the reading brief of session 36, as small synthetic letters written for these
tests: a reviewer worksheet of numbered questions and answers, a roman section's numbered
criteria on a remittance, criteria in an attachment after the signature that the body names
by number only, a decimal outline with section titles, a checklist for a later request, a
renewal decided on the policy's renewal criteria, and TRICARE's route after reconsideration."""

from __future__ import annotations

import datetime as dt

from pipeline.criteria_rules import read_criteria
from pipeline.extract import find_appeal_route
from pipeline.models import CaseFacts, DenialAnalysis, PlanType
from pipeline.reasoning import rights

_NOTICE = dt.date(2026, 11, 20)

_WORKSHEET = """UTILIZATION REVIEW WORKSHEET - HOME INFUSION PUMP
A "No" or "Not documented" answer to a required question results in a denial.

Q1. Is the member at least 18 years of age?
A1. Yes. Age 44.

Q2. Has a trial of at least ONE of the following failed over the past 6 months?
      (a) an oral agent at full dose;
      (b) a subcutaneous injection at full dose.
A2. No. Only 2 months of the oral agent are recorded.

Q3. Was a home safety assessment done within 30 days of the request?
A3. Not documented. No assessment was received.

Q4. If a second pump is requested, is a backup needed?
A4. Not applicable. One pump requested.

Questions 2 and 3 are required and are not met.
"""


def test_a_worksheets_questions_are_criteria_answered_by_number() -> None:
    criteria = read_criteria(_WORKSHEET)
    assert [(c.label, c.payer_status) for c in criteria] == [
        ("Q1", "met"),
        ("Q2", "not_met"),
        ("Q3", "not_documented"),
        ("Q4", "not_applicable"),
    ]
    # a question's own options stay in it, never criteria of their own
    assert "(b) a subcutaneous injection at full dose" in criteria[1].text
    assert criteria[1].payer_reason == "Only 2 months of the oral agent are recorded"
    assert all(not c.text.startswith("A") for c in criteria)


def test_a_worksheets_finding_lines_answer_its_dashed_questions() -> None:
    text = (
        "Question 1 - Is a COPD diagnosis documented?\nFinding: Yes. GOLD 4.\n\n"
        "Question 2 - Was a blood gas done within 30 days?\nFinding: No. The only gas is from"
        " 06/2026.\n"
    )
    criteria = read_criteria(text)
    assert [(c.label, c.payer_status) for c in criteria] == [("Q1", "met"), ("Q2", "not_met")]
    assert criteria[1].payer_reason == "The only gas is from 06/2026"


def test_a_lettered_outline_without_questions_is_no_worksheet() -> None:
    outline = (
        "Coverage requires ALL of the following:\n"
        "A1. The member is at least 18 years of age.\n"
        "A2. A trial of an oral agent failed. Not met: no trial is documented.\n"
    )
    criteria = read_criteria(outline)
    assert [(c.label, c.payer_status) for c in criteria] == [("A1", "not_met"), ("A2", "not_met")]


_REMIT = """PROVIDER REMITTANCE ADVICE
LN  DOS       CODE   UNITS  BILLED   ALLOWED  GRP-CARC  RARC  PAID
01  10/06/26  J1569  20     4,000.00    0.00  CO-50     N29   0.00
CLAIM ADJUSTMENT REASON CODES (CARC)
  CO-50   Non-covered: not deemed a medical necessity by the payer.

MEDICAL REVIEW RATIONALE
Section III. Continued therapy is medically necessary when ALL of the following are met:
  III.1  The member's IgG trough is documented within the past 6 months.
         Finding: Not met. No IgG level was submitted.
  III.2  The infection rate has fallen since therapy began.
         Finding: Met.
"""


def test_a_roman_sections_numbered_criteria_on_a_remittance_are_read() -> None:
    criteria = read_criteria(_REMIT)
    assert [(c.label, c.payer_status) for c in criteria] == [
        ("III.1", "not_met"),
        ("III.2", "met"),
    ]
    assert criteria[0].payer_reason == "No IgG level was submitted"


_ATTACHMENT = """We have DENIED the request. Criteria 2 and 3 of the policy were not met. The policy
text is in Attachment B.

Your right to appeal
  - Expedited appeal: we will decide within 72 hours.
  - Standard reconsideration: decision within 30 calendar days.

Sincerely,
Medical Director

ATTACHMENT B - Policy MP-77 coverage criteria
The service is medically necessary when ALL of criteria 1 through 3 are met:

1. The member has a confirmed diagnosis of the condition by biopsy.

2. At least 6 months have passed since the last course of treatment.

3. A comparison plan shows a dose reduction of 10% or more to a named organ.
"""


def test_criteria_after_the_signature_keep_numbers_and_the_body_says_which_are_in_dispute() -> None:
    criteria = read_criteria(_ATTACHMENT)
    assert [(c.label, c.payer_status) for c in criteria] == [
        ("1", "not_stated"),
        ("2", "not_met"),
        ("3", "not_met"),
    ]
    # an appeal's decision clock is never criterion 1
    assert not any("decision within" in c.text for c in criteria)


_DECIMAL = """Requirements 1.2 and 2.1 were not satisfied. The service is covered when every
requirement below is met.

1.0 Patient selection
  1.1 The patient is 18 years of age or older.
  1.2 The body mass index is below 35 kg/m2 within 3 months of the request.
2.0 Prior treatment
  2.1 A device trial of at least 30 days failed.
  2.2 An airway examination shows no complete collapse.
"""


def test_a_decimal_outlines_section_titles_are_no_criteria_and_verdicts_name_by_number() -> None:
    criteria = read_criteria(_DECIMAL)
    assert [(c.label, c.payer_status) for c in criteria] == [
        ("1.1", "not_stated"),
        ("1.2", "not_met"),
        ("2.1", "not_met"),
        ("2.2", "not_stated"),
    ]


_CHECKLIST = """We approved 8 of the 16 sessions requested. The rest are denied because the
continued-stay criteria are not met:

1. The member attends at least 75% of sessions. Finding: met.
2. The plan was updated within 14 days. Finding: not met. The plan is dated 09/01/2026.

To ask for sessions after 01/10/2027, the provider must send a new request at least 10 days
before the approved period ends. The request must include:

  a. an attendance log for the approved period;
  b. an updated treatment plan with measurable goals; and
  c. a repeat standardized measure.
"""


def test_a_checklist_for_a_later_request_is_no_criterion() -> None:
    criteria = read_criteria(_CHECKLIST)
    assert [(c.label, c.payer_status) for c in criteria] == [("1", "met"), ("2", "not_met")]


_RENEWAL = """Request: RENEWAL of dupilumab 300 mg every 2 weeks.

INITIAL AUTHORIZATION (6 months) - all of the following:
  A. Diagnosis of moderate to severe atopic dermatitis by a dermatologist;
  B. Failure of a topical corticosteroid for at least 4 weeks.

RENEWAL (12 months) - all of the following:
  C. A reduction of at least 50% in the EASI score from baseline;
  D. Prescribed by a dermatologist or allergist.

This is a renewal request. Renewal criterion C is not met: no follow-up EASI score was sent.
"""


def test_a_renewal_is_read_against_the_renewal_criteria_only() -> None:
    criteria = read_criteria(_RENEWAL)
    assert [c.label for c in criteria] == ["C", "D"]
    # an initial request keeps the initial criteria
    initial = _RENEWAL.replace("RENEWAL of", "initial request for").replace(
        "This is a renewal request.", ""
    )
    assert [c.label for c in read_criteria(initial)][:2] == ["A", "B"]


def test_tricare_medical_necessity_goes_from_reconsideration_to_a_hearing_not_a_formal_review() -> (
    None
):
    text = (
        "PRIOR AUTHORIZATION DENIAL - MEDICAL NECESSITY\nTRICARE Prime. You may request a "
        "reconsideration within 90 days.\n"
    )
    analysis = DenialAnalysis(
        plan_type=PlanType.government_or_church, insurer="TRICARE East", letter_date=_NOTICE
    )
    case = CaseFacts.model_validate({"patient": {"name": "Ana Lee"}})
    said = "\n".join(rights.legal_basis(analysis, text, case, _NOTICE + dt.timedelta(days=5)))
    assert "formal review" not in said
    assert "independent hearing by the Defense Health Agency" in said and "$300" in said


_EXHIBIT = """Decision: NOT APPROVED. Requirements B and C were not met.

How to appeal:
  - Standard appeal: a decision within 30 days of receipt.
Fax appeals to 1-505-555-0123 or mail them to the plan.

Sincerely,
Medical Director

EXHIBIT 1 - POLICY SUR-040 REQUIREMENTS
Surgery is covered when all of requirements A through C are met:

A. Age 18 years or older.
B. A supervised weight program of at least 6 months.
C. A psychological evaluation within the past 12 months.
"""


def test_requirements_printed_after_the_signature_are_read_and_the_fax_to_appeal_is_found() -> None:
    criteria = read_criteria(_EXHIBIT)
    assert [(c.label, c.payer_status) for c in criteria] == [
        ("A", "not_stated"),
        ("B", "not_met"),
        ("C", "not_met"),
    ]
    assert find_appeal_route(_EXHIBIT)[1] == "1-505-555-0123"


_CODES_ONLY = """PROVIDER REMITTANCE ADVICE
LN  DOS       CODE   UNITS  BILLED    ALLOWED  ADJ CODES   ADJ AMT   REMARK  PAID
01  11/03/26  95810  1      1,850.00  0.00     CO-50       1,850.00  N29     0.00
02  10/21/26  99204  1        310.00  201.50   CO-45 PR-2    108.50          161.20

CODE DESCRIPTIONS
  CO-45   Charge exceeds the contracted amount.
  CO-50   These are non-covered services because this is not deemed a medical necessity
          by the payer.
  PR-2    Coinsurance amount.
  N29     Missing documentation/orders/notes/summary/report/chart.
"""


def test_a_remittances_code_legend_is_no_criterion() -> None:
    # the legend's wrapped lines ('by the payer.') were read as a criterion of their own
    assert read_criteria(_CODES_ONLY) == []


_SHORT_QUESTION = """Q1. Has the member had 6 weeks of physical therapy?
A1. No documentation of physical therapy or a home exercise program was received.
Q2. Is the member being considered for surgery?
A2. Y
Q3. PT
A3. No. Only 4 weeks.
"""


def test_a_worksheet_answer_word_stands_alone_and_a_short_question_is_skipped() -> None:
    # review36 F2/F6: 'No documentation ...' is no 'No.' answer (its words stay whole, never
    # inverted); 'Y' is yes; 'Q3. PT' is too short to be a criterion and crashed every draft
    criteria = read_criteria(_SHORT_QUESTION)
    assert [(c.label, c.payer_status) for c in criteria] == [
        ("Q1", "not_documented"),
        ("Q2", "met"),
    ]
    assert criteria[0].payer_reason is not None
    assert criteria[0].payer_reason.startswith("No documentation of physical therapy")


def test_a_list_after_a_verdict_and_an_appeal_is_this_decisions_criteria() -> None:
    # review36 F1: 'send an appeal or a new request that includes:' after what was not
    # documented lists this decision's criteria
    text = """We reviewed the request for a lumbar MRI against guideline SP-6. We received only the
order form.

The guideline criteria below were not documented. To have the exam approved, send an appeal
or a new request that includes:
 - SP-6.1(a) Six weeks of provider-directed conservative care within the past 6 months.
 - SP-6.1(b) Objective neurological findings on examination within the past 30 days.
"""
    assert len(read_criteria(text)) == 2


def test_a_criterion_that_mentions_a_review_decision_is_kept() -> None:
    # review36 F3: only an item led by the review it times is an appeal clock
    text = """Coverage requires ALL of the following:
1. Imaging shows a lesion at the treated level.
2. Surgery is planned after spine specialist review, with a treatment decision within 30 days.
"""
    assert [c.label for c in read_criteria(text)] == ["1", "2"]


_NESTED = """The plan covers an insulin pump when ALL of the following are met:

  1. Diagnosis confirmed by ONE of the following:
       1.a. Laboratory evidence: a fasting C-peptide at or below 110% of normal; OR
       1.b. A positive beta-cell autoantibody test.
     --> NOT MET. No C-peptide or antibody result was submitted.

  2. The member has used multiple daily injections:
       2.a. at least 3 injections of insulin per day; AND
       2.b. with frequent self-adjustment of doses; AND
       2.c. for at least 6 months before the request.
     --> NOT MET (2.c). 2.a and 2.b are met; the earliest note is dated 06/16/2026.

  3. Glucose monitoring by ONE of:
       3.a. self-testing at least 4 times per day; OR
       3.b. a continuous glucose monitor worn at least 70% of the time.
     --> MET (3.b). CGM wear of 93%.
"""


def test_a_nested_outlines_numbered_parts_are_the_criterions_branches() -> None:
    criteria = read_criteria(_NESTED)
    assert [c.tree.shape() for c in criteria if c.tree] == [
        "any(a,b)",
        "all(a,b,c)",
        "any(a,b=met)",
    ]
    # the part a finding names stays at the head of its reason
    assert criteria[1].payer_reason is not None
    assert criteria[1].payer_reason.startswith("(2.c) 2.a and 2.b are met")


_QUARTERS = """We reviewed the request for 12 more physical therapy visits.
Visit history reviewed:
Q1 2026 - 12 visits billed
Result: paid in full
Q2 2026 - 10 visits billed
Result: paid in full
Q3 2026 - 8 visits billed
Result: denied, visit limit reached
"""


def test_a_quarter_by_quarter_history_is_no_worksheet() -> None:
    # review36 F12: 'Q1 2026 ... / Result: ...' asks nothing; only a question is a criterion
    assert not [c for c in read_criteria(_QUARTERS) if c.label and c.label.startswith("Q")]
    asked = _QUARTERS.replace("Q1 2026 - 12 visits billed", "Q1. Were 12 visits billed?")
    asked = asked.replace("Q2 2026 - 10 visits billed", "Q2. Were 10 visits billed?")
    assert [c.label for c in read_criteria(asked)][:2] == ["Q1", "Q2"]
