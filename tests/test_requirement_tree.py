"""A criterion's requirements as the notice nests them (pipeline.requirement_tree): synthetic
criteria in the nesting shapes notices use, and the tree extraction hands to the verdicts."""

from __future__ import annotations

import pytest

from pipeline.models import Criterion, PayerStatus, RequirementKind, RequirementNode
from pipeline.payer_findings import split_finding
from pipeline.pipeline import Pipeline
from pipeline.requirement_tree import requirement_tree
from pipeline.requirements import parse_requirements


def _tree(
    text: str, status: PayerStatus = "not_stated", reason: str | None = None
) -> RequirementNode:
    requirements, logic = parse_requirements(text)
    criterion = Criterion(
        text=text,
        requirements=requirements,
        logic=logic,
        payer_status=status,
        payer_reason=reason,
    )
    return requirement_tree(criterion)


def test_routes_of_a_route_list_nest_an_all_of_list_with_an_either_or_item() -> None:
    tree = _tree(
        "The member meets ONE of the following: A. Inadequate response to the preferred agent, "
        "defined as ALL of: 1. at least four (4) infusions of the preferred agent within the past "
        "8 months; AND 2. persistent synovitis at least 6 weeks after the last infusion; AND 3. "
        "EITHER a fall in the swollen joint count of less than 20% from baseline, OR a rise in "
        "CRP of 5 mg/L or more; OR B. Documented anaphylaxis to the preferred agent; OR C. The "
        "member has received the requested agent within the past 365 days."
    )
    assert tree.shape() == "any(A:all(1,2,3:any(.,.)),B,C)"
    route_a = tree.find("A")
    assert route_a is not None and route_a.logic == "all"
    either = route_a.children[2]
    assert [leaf.text for leaf in either.children] == [
        "a fall in the swollen joint count of less than 20% from baseline",
        "a rise in CRP of 5 mg/L or more",
    ]
    first = route_a.children[0].requirements
    assert (RequirementKind.trial_count, 4.0) in [(r.kind, r.value) for r in first]
    assert (RequirementKind.time_window, 8.0, "months") in [
        (r.kind, r.value, r.unit) for r in first
    ]
    assert [(r.kind, r.value, r.unit) for r in either.children[0].requirements] == [
        (RequirementKind.threshold, 20.0, "%")
    ]


def test_roman_members_under_an_all_of_lead_in_keep_a_nested_any_one_of() -> None:
    tree = _tree(
        "Documented functional impairment, shown by ALL of the following: (i) a six-minute walk "
        "distance of at least 150 meters; (ii) ANY ONE of: a. oxygen saturation below 88% at "
        "rest; or b. a hospital admission for hypoxemia within the past 12 months; and (iii) "
        "completion of a supervised rehabilitation program."
    )
    assert tree.shape() == "all(i,ii:any(a,b),iii)"
    assert tree.logic == "all"
    walk = tree.find("i")
    assert walk is not None
    assert [(r.kind, r.comparator, r.value) for r in walk.requirements] == [
        (RequirementKind.threshold, ">=", 150.0)
    ]


def test_two_measurements_joined_by_and_are_two_leaves_and_a_range_is_one() -> None:
    tree = _tree(
        "Hyperinflation on plethysmography: TLC >= 100% predicted AND RV >= 175% predicted"
    )
    assert tree.shape() == "all(.,.)"
    assert [[(r.comparator, r.value) for r in leaf.requirements] for leaf in tree.leaves()] == [
        [(">=", 100.0)],
        [(">=", 175.0)],
    ]
    ranged = _tree("FEV1 between 15% and 45% of predicted after a bronchodilator")
    assert ranged.shape() == "."
    # the far end of a range names no subject: one leaf, both bounds typed on it
    bounded = _tree("Post-bronchodilator FEV1 at least 15% and no more than 45% of predicted")
    assert bounded.shape() == "."
    assert [(r.comparator, r.value) for r in bounded.requirements] == [(">=", 15.0), ("<=", 45.0)]
    aged = _tree("Member is 12 years of age or older and weighs at least 40 kg")
    assert aged.shape() == "all(.,.)"


def test_a_count_of_list_keeps_its_count_and_a_lettered_list_of_one_route_its_labels() -> None:
    tree = _tree(
        "Failure of at least two of the following classes, each for 6 weeks: a. a beta blocker; "
        "b. an antiepileptic; c. a tricyclic antidepressant"
    )
    assert (tree.shape(), tree.logic, tree.at_least) == ("any(a,b,c)", "any", 2)
    assert [(r.kind, r.value, r.unit) for r in tree.requirements] == [
        (RequirementKind.duration, 6.0, "weeks")
    ]


def test_the_route_a_met_finding_names_is_the_met_node() -> None:
    finding = split_finding(
        "Established heart disease, defined as ONE of the following: A. prior infarction; B. "
        "prior stroke; OR C. peripheral arterial disease. >> MET (A) - infarction 03/2024"
    )
    assert (finding.status, finding.reason) == ("met", "(A) infarction 03/2024")
    tree = _tree(finding.criterion, "met", finding.reason)
    assert tree.shape() == "any(A=met,B,C)"
    assert tree.finding == "met"
    unmet = _tree(finding.criterion, "not_met", "(A) infarction 03/2024")
    assert unmet.shape() == "any(A,B,C)"  # a route is named met only by a met finding


def test_extraction_gives_each_criterion_its_tree() -> None:
    letter = (
        "Policy RX-77 requires ALL of:\n"
        "  1. Age 45 years or older.\n"
        "       >> MET\n"
        "  2. Established heart disease, defined as ONE of the following:\n"
        "       A. prior myocardial infarction;\n"
        "       B. prior ischemic stroke; OR\n"
        "       C. peripheral arterial disease with an ankle-brachial index below 0.85.\n"
        "       >> MET (B) - stroke 05/2025\n"
        "  3. BMI of 27 kg/m2 or greater, measured within the past 60 days.\n"
        "       >> NOT MET - the most recent weight is from June.\n"
    )
    criteria = Pipeline().run(letter, None, until="extract").analysis.criteria
    assert [c.tree.shape() if c.tree else None for c in criteria] == [".", "any(A,B=met,C)", "."]
    assert [c.tree.finding if c.tree else None for c in criteria] == ["met", "met", "not_met"]
    assert criteria[1].payer_reason == "(B) stroke 05/2025"
    assert criteria[1].tree is not None
    assert criteria[1].tree.outline()[2] == "  B. prior ischemic stroke [met]"


def test_an_either_after_the_lead_in_words_splits_its_marked_sides() -> None:
    tree = _tree(
        "Little or no collateral ventilation into the target lobe, shown by EITHER (a) a "
        "catheter-based assessment, OR (b) fissure completeness of 80% or more on CT analysis"
    )
    assert tree.shape() == "any(a,b)"
    assert tree.children[0].text == "a catheter-based assessment"
    assert [(r.value, r.unit) for r in tree.children[1].requirements] == [(80.0, "%")]


def test_extraction_reads_each_criterions_tree_once_and_the_rules_tree_is_that_tree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The offline engine's criteria leave their trees to extraction's provenance check: each
    kept criterion's tree is read once a letter, and it is the tree the rules read alone."""
    from pipeline import criteria_rules, extract
    from pipeline.ingest import ingest
    from tests.conftest import EXAMPLES

    letter = ingest(
        str(next(p for p in EXAMPLES if p.name == "cgm-medicare-advantage") / "letter.txt")
    )
    read: list[str] = []

    def counted(criterion: Criterion) -> RequirementNode:
        read.append(criterion.text)
        return requirement_tree(criterion)

    monkeypatch.setattr(criteria_rules, "requirement_tree", counted)
    monkeypatch.setattr(extract, "requirement_tree", counted)
    criteria = extract.extract(letter).criteria
    assert criteria and all(c.tree is not None for c in criteria)
    assert sorted(read) == sorted(c.text for c in criteria)  # once each (twice before)
    alone = {c.text: c.tree for c in criteria_rules.read_criteria(letter)}
    assert {c.text: c.tree for c in criteria} == alone
