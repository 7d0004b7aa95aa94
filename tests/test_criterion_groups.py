"""Groups of alternatives: a group is met when enough of its members are (the notice's groups
of criteria, and a criterion's own 'at least one of: ...; ...; or ...' list); the unmet
alternatives are neither argued nor asked for, and the met member says it satisfies the group."""

from __future__ import annotations

from evals.reasoning.group_families import GROUP_FAMILIES
from evals.reasoning.measure_groups import run
from pipeline.models import Criterion, CriterionGroup, CriterionVerdict
from pipeline.reasoning.strategy import alternative_sentence, settle_groups


def _verdicts(statuses: list[str]) -> list[CriterionVerdict]:
    return [
        CriterionVerdict(index=i, criterion=Criterion(text=f"Criterion text {i}"), status=s)
        for i, s in enumerate(statuses)
    ]  # type: ignore[arg-type]


def test_a_group_met_by_enough_members_relies_on_them_only() -> None:
    group = CriterionGroup(members=[1, 2, 3, 4], at_least=2, text="AT LEAST TWO of B1-B4")
    settled = settle_groups(_verdicts(["met", "unknown", "met", "not_met", "met"]), (group,))
    assert [v.alternative for v in settled] == [False, True, False, True, False]
    assert settled[0].group is None and all(v.group == group for v in settled[1:])
    # the unmet member's line names what is met; the met member's says it satisfies the group
    line = alternative_sentence(settled, "Ms. A", settled[1])
    assert "needs only two of criteria 2, 3, 4 and 5" in line and "criteria 3 and 5" in line
    met_line = alternative_sentence(settled, "Ms. A", settled[2])
    assert "with criterion 5, this criterion satisfies that requirement" in met_line
    assert alternative_sentence(settled, "Ms. A", settled[0]) == ""


def test_a_group_short_of_its_count_argues_every_member() -> None:
    group = CriterionGroup(members=[0, 1, 2], at_least=2)
    settled = settle_groups(_verdicts(["met", "unknown", "not_met"]), (group,))
    assert not any(v.alternative or v.group for v in settled)


def test_the_tuned_group_letters_argue_only_the_met_alternatives() -> None:
    """A criterion's own 'at least one of: ...; or ...' list met by one item, and a notice's
    group of criteria met by one member: no 'not shown', no gap for the others, the group's
    wording present, no garbled comparison."""
    for family in (f for f in GROUP_FAMILIES if f.split == "tune"):
        counts = run(family)["counts"]
        assert counts.get("wrong", 0) == 0, family.name  # type: ignore[attr-defined]
        for key in ("adverse", "gaps_unneeded", "must_not_hit", "garbled"):
            assert counts[key] == 0, (family.name, key)  # type: ignore[index]
        assert counts["must_met"] == counts["must"], family.name  # type: ignore[index]
