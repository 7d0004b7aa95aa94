"""Count-of groups: 'AT LEAST TWO of B1-B5', 'at least two of the following:' over a list, and a
count inside one criterion's own wording."""

from __future__ import annotations

from pipeline.criteria_rules import read_criteria, read_groups
from pipeline.extract import extract
from pipeline.ingest import ingest_text
from pipeline.requirements import needed, parse_requirements

SECTIONS = """Acme Children's Health Plan
November 20, 2026
Under this policy, repair is reconstructive only when Sections A and B are ALL met.

  KEY:  [X] met   [-] not met   [?] not documented in the records we received

  SECTION A - Severity of the deformity
    [X] A1. Haller index of 3.25 or greater on CT or MRI done within the past 12 months.

  SECTION B - Physiologic impairment: AT LEAST TWO of B1-B3
    [?] B1. Cardiac compression shown on echocardiogram, CT or cardiac MRI.
    [-] B2. Restrictive pulmonary function: forced vital capacity below 80% of predicted.
    [?] B3. Mitral valve prolapse or arrhythmia attributed to cardiac compression.
            -> 0 of 3 documented. Section B NOT MET.

You may appeal within 60 days from the date of this notice.
"""

FOLLOWING = """Acme Health Alliance
October 12, 2026
We reviewed the request under DME Policy DME-17. The member must meet criteria 1 and 2 below.

1. Completion of a comprehensive diabetes education program. -- Met.
2. At least three insulin injections per day for at least 6 months. -- Met.

In addition, the member must have at least two of the following:

a. HbA1c greater than 7.0% -- Met
b. History of recurring hypoglycemia -- Not documented
c. Dawn phenomenon with fasting blood glucose often above 200 mg/dL -- Not met
"""


def test_a_count_over_a_label_range_groups_the_labelled_criteria() -> None:
    criteria = read_criteria(SECTIONS)
    assert [c.label for c in criteria] == ["A1", "B1", "B2", "B3"]
    groups = read_groups(SECTIONS, criteria)
    assert [(members, count) for members, count, _ in groups] == [([1, 2, 3], 2)]
    assert groups[0][2] == "SECTION B - Physiologic impairment: AT LEAST TWO of B1-B3"


def test_a_count_over_the_following_list_groups_that_list_only() -> None:
    criteria = read_criteria(FOLLOWING)
    assert [c.label for c in criteria] == ["1", "2", "a", "b", "c"]
    groups = read_groups(FOLLOWING, criteria)
    assert [(members, count) for members, count, _ in groups] == [([2, 3, 4], 2)]


def test_extraction_carries_the_groups() -> None:
    analysis = extract(ingest_text(SECTIONS))
    assert [(g.members, g.at_least) for g in analysis.groups] == [([1, 2, 3], 2)]


def test_a_count_inside_one_criterion_is_its_own_and_each_item_a_branch() -> None:
    text = (
        "Inadequate response to AT LEAST TWO of the following preventive classes, each for at "
        "least 8 weeks: (a) a beta-blocker; (b) an antiepileptic; (c) a tricyclic antidepressant"
    )
    assert needed(text) == 2
    requirements, logic = parse_requirements(text)
    assert logic == "any"
    assert {r.branch for r in requirements} == {0, 1, 2}
    # an item with nothing typed is kept whole in its branch, not replaced by the lead-in's
    assert any(r.branch == 1 and "antiepileptic" in r.span for r in requirements)
    letter = (
        "Acme Health Plan\nNovember 24, 2026\nCoverage requires II.a and II.b.\n\n"
        "II.a. Diagnosis of chronic migraine.\n      Reviewer finding: MET.\n\n"
        f"II.b. {text}.\n      Reviewer finding: NOT MET.\n"
    )
    criteria = read_criteria(letter)
    assert [(c.label, c.at_least, c.logic) for c in criteria][-1] == ("II.b", 2, "any")
    assert read_groups(letter, criteria) == []
    assert needed("at least 3 months of therapy") is None
