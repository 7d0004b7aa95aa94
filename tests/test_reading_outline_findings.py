"""Layouts whose findings stand apart from the criterion's own words: an outline section whose
one-of members and '>> Finding:' line stay inside it, an outline line that only says how the
other sections combine, a criterion heading with no body over a paragraph that is its finding,
and the reading around them (numbered one-of members, the drugs a counted trial lists, an
exclusion the rule quotes)."""

from __future__ import annotations

from pipeline.criteria_rules import read_criteria
from pipeline.models import RequirementKind
from pipeline.payer_findings import finding_block, split_finding
from pipeline.requirements import parse_requirements

OUTLINE = """\
Your request was reviewed under Policy RX-9, Growth Hormone in Adults. Its criteria and
our findings follow.

A.  Coverage requires ALL of sections B through D.

B.  Adult growth hormone deficiency confirmed by at least ONE of the following:
      1. a peak growth hormone below 3 ng/mL on an insulin tolerance test;
      2. deficiency of three or more other pituitary hormones;
      3. a structural hypothalamic-pituitary lesion.
    >> Finding: Not documented. No stimulation test report was received.

C.  IGF-1 below the age-adjusted normal range.
    >> Finding: Met.

D.  Other causes of fatigue have been ruled out.
    >> Finding: Not met. Thyroid studies are abnormal.

The request is denied.
"""


def test_an_outline_section_keeps_its_one_of_members_and_its_arrow_finding() -> None:
    criteria = read_criteria(OUTLINE)
    assert [c.label for c in criteria] == ["B", "C", "D"]
    first = criteria[0]
    assert first.logic == "any" and "insulin tolerance test" in first.text
    assert [c.payer_status for c in criteria] == ["not_documented", "met", "not_met"]
    assert not any(c.text.endswith(">>") for c in criteria)


def test_a_line_saying_how_the_sections_combine_is_no_criterion() -> None:
    assert not any("sections B through D" in c.text for c in read_criteria(OUTLINE))
    listed = OUTLINE.replace("ALL of sections B through D", "B, C and D")
    assert [c.label for c in read_criteria(listed)] == ["B", "C", "D"]


def test_an_arrow_before_a_finding_label_is_not_criterion_words() -> None:
    finding = split_finding("IGF-1 below the normal range. >> FINDING: Not met. Value 212.")
    assert finding.criterion == "IGF-1 below the normal range."
    assert finding.status == "not_met"


HEADINGS = """\
We reviewed the request under Medical Policy 12. Each criterion is followed by our finding.

CRITERION 1: Age 18 years or older

   Reviewer's finding
   Met.

CRITERION 2: Failure of at least 3 months of supervised exercise therapy

   Reviewer's finding
   Not met. The records show 5 weeks of exercise therapy.

The request is not approved.
"""


def test_a_finding_paragraph_under_a_bodiless_heading_is_that_criterion_s() -> None:
    criteria = read_criteria(HEADINGS)
    assert [c.text for c in criteria] == [
        "Age 18 years or older",
        "Failure of at least 3 months of supervised exercise therapy",
    ]
    assert [c.payer_status for c in criteria] == ["met", "not_met"]
    assert criteria[1].payer_reason == "The records show 5 weeks of exercise therapy"


def test_a_finding_block_needs_its_label_alone_on_the_first_line() -> None:
    assert finding_block("Finding:\nNot documented.") is not None
    assert finding_block("Finding: not documented.") is None
    assert finding_block("The findings were reviewed\nby our director.") is None


def test_numbered_members_after_a_one_of_lead_in_are_branches() -> None:
    requirements, logic = parse_requirements(
        "Deficiency shown by at least one of: 1. a low peak on a stimulation test; "
        "2. three other pituitary hormone deficits; 3. a pituitary lesion"
    )
    assert logic == "any"
    assert len({r.branch for r in requirements}) == 3


def test_a_counted_trial_takes_the_drugs_its_parentheses_list() -> None:
    requirements, _ = parse_requirements(
        "inadequate response to at least one conventional immunosuppressant (azathioprine, "
        "methotrexate or mycophenolate mofetil), each given for at least 3 months"
    )
    trial = next(r for r in requirements if r.kind is RequirementKind.trial_count)
    assert trial.classes == ["azathioprine", "methotrexate", "mycophenolate mofetil"]


EXCLUSION = """Dear Dr. Moss:

Your plan booklet states that we do not cover "services or supplies that are experimental or
investigational," and our Policy RX-5 requires that the member have tried a preferred drug.
The records do not show a trial of a preferred drug.
"""


def test_an_exclusion_the_rule_quotes_is_no_criterion() -> None:
    texts = [c.text for c in read_criteria(EXCLUSION)]
    assert not any("experimental" in t for t in texts)


ARROW_FINDINGS = """\
We reviewed the request against Policy MED-9. The criteria and our findings are below.

1. Diagnosis of ulcerative colitis confirmed by colonoscopy.
   >> Criterion met
2. A Mayo score of 6 or more.
   >> Not met: the records give a score of 4.
3. A negative tuberculosis test within 6 months.
   >> Not documented
"""


def test_a_finding_line_led_by_an_arrow_is_the_finding_not_criterion_words() -> None:
    criteria = read_criteria(ARROW_FINDINGS)
    assert [c.text for c in criteria] == [
        "Diagnosis of ulcerative colitis confirmed by colonoscopy",
        "A Mayo score of 6 or more",
        "A negative tuberculosis test within 6 months",
    ]
    assert [c.payer_status for c in criteria] == ["met", "not_met", "not_documented"]


def test_a_trailing_finding_naming_its_subject_keeps_its_polarity() -> None:
    cases = {
        "A PHQ-9 total score of 20 or more: total score not documented": "not_documented",
        "Failure of 4 antidepressant trials - trial not met": "not_met",
        "Evaluation by a board-certified psychiatrist: not established": "not_met",
        "No active psychosis or seizure disorder: insufficient information": "not_met",
    }
    for item, status in cases.items():
        finding = split_finding(item)
        assert finding.status == status, item
        assert finding.criterion == item.split(":")[0].split(" - ")[0], item


SERVICE_LINE = """\
Dear Dr. Hale:

We reviewed the request, and the criteria below were not met:

1. Requested: CPT 27447 Total knee arthroplasty, right (1 unit)
2. Radiographic evidence of severe osteoarthritis (Kellgren-Lawrence grade 3 or 4).
3. Failure of at least 12 weeks of non-surgical treatment.
"""


def test_a_labelled_line_of_the_requested_codes_is_no_criterion() -> None:
    criteria = read_criteria(SERVICE_LINE)
    assert [c.label for c in criteria] == ["2", "3"]
    bulleted = SERVICE_LINE.replace("1. Requested: CPT", "- Service: CPT")
    assert not any("27447" in c.text for c in read_criteria(bulleted))


def test_a_bracketed_reviewer_note_is_the_finding_not_criterion_words() -> None:
    finding = split_finding(
        "Trial of at least 12 weeks of methotrexate [Not met: no trial documented]"
    )
    assert finding.criterion == "Trial of at least 12 weeks of methotrexate"
    assert finding.status == "not_met"
    assert finding.reason == "no trial documented"
    met = split_finding("Diagnosis of moderate to severe plaque psoriasis [Met]")
    assert (met.criterion, met.status) == (
        "Diagnosis of moderate to severe plaque psoriasis",
        "met",
    )
