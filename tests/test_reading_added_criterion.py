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


PARAGRAPH_AFTER = """\
Under Clinical Policy URO-14 the injection is medically necessary when:

1. Symptoms have been present for at least 6 months;
2. The member has tried at least 2 oral medications, each for at least 4 weeks;
3. Post-void residual urine volume is below 200 mL.

In addition, the member must be willing and able to perform self-catheterization if
retention occurs. Criteria 1 and 3 are met. The pharmacy records show only oxybutynin for 2
oral medications trial. The records do not address whether the member can perform
self-catheterization.

Reviewing physician: Max Oduro, MD.
"""


def test_a_criterion_added_in_the_paragraph_after_the_list_gets_the_sentence_about_it() -> None:
    criteria = read_criteria(PARAGRAPH_AFTER)
    assert [c.text for c in criteria][-1] == (
        "the member must be willing and able to perform self-catheterization if retention occurs"
    )
    assert [c.payer_status for c in criteria] == ["met", "not_met", "met", "not_documented"]
    # the verdict on 1 and 3 and the sentence on the drugs are not the added criterion's reason
    assert criteria[3].payer_reason == (
        "The records do not address whether the member can perform self-catheterization."
    )
    volume = [(r.value, r.unit) for r in criteria[2].requirements if r.kind == "threshold"]
    assert volume == [(200.0, "mL")]
