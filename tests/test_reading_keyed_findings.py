"""Findings listed apart from the criteria, keyed by number, give each criterion its status;
a lead-in stating the rule ('covered when ALL of the following are met') is not a status."""

from __future__ import annotations

from pipeline.criteria_rules import read_criteria

LETTER = """\
Dear Ms. Alvarez:

Continued speech therapy is covered when ALL of the following are met:

  1. Therapy is ordered by a physician under a written plan of care with measurable goals.

  2. The member has shown measurable functional improvement in the last reporting period.

  3. The visits are within the plan-year benefit maximum of 20 visits.

Findings, based on the records received:

  1. MET. A plan of care signed on 10/02/2026 lists goals.

  2. NOT MET. The progress note of 10/30/2026 shows no change in the
     standardized score.

  3. NOT DOCUMENTED. No visit log was sent.

The request is therefore not approved.
"""


def test_keyed_findings_give_each_criterion_its_status_and_reason() -> None:
    criteria = read_criteria(LETTER)
    assert [c.payer_status for c in criteria] == ["met", "not_met", "not_documented"]
    assert criteria[1].payer_reason == (
        "The progress note of 10/30/2026 shows no change in the standardized score."
    )


def test_a_rule_lead_in_is_not_a_met_status() -> None:
    without_findings = LETTER.split("Findings,")[0]
    criteria = read_criteria(without_findings)
    assert len(criteria) == 3
    assert all(c.payer_status == "not_met" for c in criteria)


NAMED = """\
Dear Mr. Osei:

Surgery is covered only when all of the following are documented:

  *  A body mass index of 40 kg/m2 or greater.

  *  A preoperative psychological evaluation by a licensed psychologist.

  *  A nutritional evaluation by a registered dietitian.

HOW YOUR RECORDS COMPARED

  *  Body mass index - MET. BMI 41.5 on 10/01/2026.

  *  Psychological evaluation - NOT MET. No report was received.

  *  Nutritional evaluation - Met. Seen by a dietitian on 09/12/2026.
"""


def test_findings_keyed_by_the_criterions_name_give_status_and_reason() -> None:
    criteria = read_criteria(NAMED)
    assert [c.payer_status for c in criteria] == ["met", "not_met", "met"]
    assert criteria[1].payer_reason == "No report was received."


def test_so_a_thing_is_shown_is_met() -> None:
    from pipeline.payer_findings import status_from_narrative

    assert status_from_narrative("The score improved from 61 to 43, so progress is shown.") == (
        "met"
    )
    assert status_from_narrative("The score did not change, so progress is not shown.") is None
