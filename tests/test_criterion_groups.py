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


def test_a_group_of_one_met_by_two_members_says_so_once() -> None:
    group = CriterionGroup(members=[0, 1], at_least=1, text="one of A or B")
    settled = settle_groups(_verdicts(["met", "met", "met"]), (group,))
    first = alternative_sentence(settled, "Ms. A", settled[0])
    assert "this criterion alone satisfies that requirement" in first
    # the second member met adds nothing the first one's line did not say
    assert alternative_sentence(settled, "Ms. A", settled[1]) == ""


def test_a_group_short_of_its_count_argues_every_member() -> None:
    group = CriterionGroup(members=[0, 1, 2], at_least=2)
    settled = settle_groups(_verdicts(["met", "unknown", "not_met"]), (group,))
    assert not any(v.alternative or v.group for v in settled)


def test_the_tuned_group_letters_argue_only_the_met_alternatives() -> None:
    """A criterion's own 'at least one of: ...; or ...' list met by one item, and a notice's
    group of criteria met by one member: no 'not shown', no gap for the others, the group's
    wording present, no garbled comparison."""
    groups = ("asthma-biologic-one-of", "bariatric-comorbidity-criteria")
    for family in (f for f in GROUP_FAMILIES if f.name in groups):
        counts = run(family)["counts"]
        assert counts.get("wrong", 0) == 0, family.name  # type: ignore[attr-defined]
        for key in ("adverse", "gaps_unneeded", "must_not_hit", "garbled"):
            assert counts[key] == 0, (family.name, key)  # type: ignore[index]
        assert counts["must_met"] == counts["must"], family.name  # type: ignore[index]


def _read(family: str) -> tuple:
    import datetime as dt

    from pipeline.draft import compose
    from pipeline.engines import OfflineEngine
    from pipeline.extract import extract
    from pipeline.ingest import ingest_text
    from pipeline.models import CaseFacts

    f = next(f for f in GROUP_FAMILIES if f.name == family)
    analysis = extract(ingest_text(f.denial))
    case = CaseFacts.model_validate(f.case)
    draft = compose(f.denial, analysis, case, [], OfflineEngine(), today=dt.date(2026, 11, 20),
                    allow_gaps=True)  # fmt: skip
    return draft.verdicts, draft.markdown


def test_a_count_the_records_state_by_their_own_noun_is_counted() -> None:
    """'At least 2 sets of radiographs': the two dated radiographs of the case are the count,
    never 'no radiograph recorded'; the garbled subject is never stated as a comparison."""
    verdicts, markdown = _read("bone-growth-garble")
    counted = next(rv for rv in verdicts[0].requirements if rv.requirement.value == 2)
    assert counted.status == "met" and counted.value == 2
    assert counted.evidence == ["objective_findings[0]", "objective_findings[1]"]
    assert "The plan requires sets of radiographs obtained" not in markdown


def test_a_no_requirement_is_not_failed_by_a_fact_that_does_not_state_the_thing() -> None:
    """'no active infection': a venous Doppler naming neither is no finding against the patient
    ('does not meet it'), and 'no deep vein thrombosis' in a finding states the absence."""
    from pipeline.models import Requirement, RequirementKind
    from pipeline.reasoning.verdicts import _negates

    verdicts, markdown = _read("knee-absence-infection")
    assert "does not meet it" not in markdown
    assert all(rv.status != "not_met" for rv in verdicts[0].requirements)
    assert _negates("deep-vein obstruction", "deep veins patent with no deep venous obstruction")
    assert not _negates("deep-vein obstruction", "deep venous obstruction of the femoral vein")
    assert Requirement(kind=RequirementKind.absence, subject="x", span="x").kind.value == "absence"


def test_a_sentence_the_code_cannot_make_right_is_left_out() -> None:
    """A subject cut from another word or ending on a function word, and a quote standing in
    for a numeric requirement's value, are never stated as comparisons."""
    from pipeline.models import Requirement, RequirementKind, RequirementVerdict
    from pipeline.reasoning.verdicts import speakable

    criterion = Criterion(text="Investigator's Global Assessment of 3 or more; 4 visits per week")

    def rv(subject: str, **kw: object) -> RequirementVerdict:
        req = Requirement(kind=RequirementKind.threshold, subject=subject, comparator=">=",
                          value=3, span="3 or more")  # fmt: skip
        return RequirementVerdict(requirement=req, status="unknown", required="r", found="f",
                                  **kw)  # type: ignore[arg-type]  # fmt: skip

    assert not speakable(rv("s Global Assessment"), criterion)
    assert not speakable(rv("of"), criterion)
    assert not speakable(rv("visits per week beyond"), criterion)
    assert not speakable(rv("Investigator's Global Assessment", confirm=True), criterion)
    assert speakable(rv("Investigator's Global Assessment"), criterion)
    assert speakable(rv("BMI"), criterion)


def test_signed_and_grouped_numbers_are_read_as_the_case_writes_them() -> None:
    """'-2.38' of a height SDS is below '-2.25 or below' (met, never 2.38); '18,400 copies/mL'
    is 18,400 (never its '400'); a unitless score is read from the finding its name names."""
    import datetime as dt

    from pipeline.models import CaseFacts, DenialAnalysis, Requirement
    from pipeline.reasoning import evaluate
    from pipeline.text.numbers import NUMBER, number_value

    def req(subject: str, comparator: str, value: float, unit: str | None = None) -> Criterion:
        r = Requirement(kind="threshold", subject=subject, comparator=comparator, value=value,
                        unit=unit, span=f"{value}")  # type: ignore[arg-type]  # fmt: skip
        return Criterion(text=f"{subject} of {value}", requirements=[r])

    criteria = [req("Height SDS", "<=", -2.25), req("HIV-1 RNA", ">=", 200, "copies/mL"),
                req("T-score", "<=", -2.5)]  # fmt: skip
    case = CaseFacts.model_validate({"objective_findings": [
        {"kind": "other", "name": "Height SDS", "value": "-2.38", "date": "2026-10-01"},
        {"kind": "lab", "name": "HIV-1 RNA viral load", "value": "18,400 copies/mL",
         "date": "2026-10-01"},
        {"kind": "imaging", "name": "DXA T-score, lumbar spine", "value": "-3.1",
         "date": "2026-10-01"},
    ]})  # fmt: skip
    verdicts = evaluate(DenialAnalysis(criteria=criteria), case, as_of=dt.date(2026, 12, 6))
    got = [(v.requirements[0].status, v.requirements[0].value) for v in verdicts]
    assert got == [("met", -2.38), ("met", 18400.0), ("met", -3.1)]
    import re

    assert [number_value(m) for m in re.findall(NUMBER, "8-10 days, 1,200 mg, −0.5")] == [
        8,
        10,
        1200,
        -0.5,
    ]


def test_a_measure_typed_by_its_unit_is_read_from_the_finding_naming_it() -> None:
    """'reflux of more than 0.5 seconds' typed as subject 'seconds': the duplex's 'reflux 1.1
    seconds' is compared (met), in the criterion's own words, never 'no seconds recorded'."""
    import datetime as dt

    from pipeline.models import CaseFacts, DenialAnalysis, Requirement
    from pipeline.reasoning import evaluate

    r = Requirement(kind="threshold", subject="seconds", comparator=">", value=0.5,
                    span="more than 0.5")  # type: ignore[arg-type]  # fmt: skip
    criterion = Criterion(text="Duplex showing reflux of more than 0.5 seconds in the GSV",
                          requirements=[r])  # fmt: skip
    case = CaseFacts.model_validate({"objective_findings": [
        {"kind": "imaging", "name": "Venous duplex", "value": "GSV reflux 1.1 seconds; deep veins "
         "patent", "date": "2026-10-01"},
        {"kind": "vital", "name": "Capillary refill", "value": "2 seconds", "date": "2026-10-01"},
    ]})  # fmt: skip
    (verdict,) = evaluate(DenialAnalysis(criteria=[criterion]), case, as_of=dt.date(2026, 12, 6))
    rv = verdict.requirements[0]
    assert (rv.status, rv.value, rv.evidence) == ("met", 1.1, ["objective_findings[0]"])
    assert rv.comparison.startswith("The plan requires reflux of more than 0.5 seconds;")
