"""A criterion stated at the margin after a lettered list ('In addition, the surgeon must ...'),
and an item's 'This does not apply to you' read as the payer's narrative, not criterion text."""

from __future__ import annotations

from pipeline.criteria_rules import read_criteria

NOTICE = """Why did we deny your request?
Medicare covers home oxygen only when one of the following is true:
  a) Resting oxygen saturation of 88 percent or below on room air. We found a resting
     saturation of 91 percent, so this is not met.
  b) Saturation of 88 percent or below during exercise with improvement on oxygen. This does
     not apply to you.
In addition, the ordering physician must see you in person within 30 days before the order.
We did not receive notes of a visit after 08/2026.

Decision made by: Alma Reyes, MD, Medical Director
"""


def test_a_criterion_added_after_the_list_is_read_with_its_own_narrative() -> None:
    criteria = read_criteria(NOTICE)
    assert [c.text for c in criteria] == [
        "Resting oxygen saturation of 88 percent or below on room air",
        "Saturation of 88 percent or below during exercise with improvement on oxygen",
        "the ordering physician must see you in person within 30 days before the order",
    ]
    added = criteria[2]
    assert added.payer_status == "not_documented"
    assert added.payer_reason == "We did not receive notes of a visit after 08/2026."
    assert any(r.kind == "time_window" and r.value == 30 for r in added.requirements)
    # the first item keeps its own narrative; the second's 'does not apply' is narrative
    assert criteria[0].payer_reason and "91 percent" in criteria[0].payer_reason
    assert criteria[1].payer_reason == "This does not apply to you."
    assert criteria[1].payer_status == "not_met"


def test_a_sentence_after_the_list_that_requires_nothing_stays_narrative() -> None:
    notice = NOTICE.replace(
        "In addition, the ordering physician must see you in person within 30 days before the "
        "order.\n",
        "Also, we reviewed the records your physician sent on 09/02/2026.\n",
    )
    criteria = read_criteria(notice)
    assert len(criteria) == 2
    assert not any("reviewed the records" in c.text for c in criteria)
