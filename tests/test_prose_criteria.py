"""Criteria written as prose: conditions stated one by one ('First, ... Second, ...'), items a
sentence numbers in its own running text ('(1) ... (2) ... and (3) ...'), and a further 'the
member must ... and either ... or ...' sentence after them."""

from __future__ import annotations

from pipeline.criteria_rules import read_criteria

ORDINAL = """Acme Advantage Plan
Notice of Denial of Medical Coverage
October 21, 2026

Why we denied it: Medicare's National Coverage Determination 240.4 governs this request. An
initial 12-week period of CPAP is covered in adult patients when all of the following are met.
First, the patient has had a face-to-face clinical evaluation by the treating physician prior
to the sleep test. Second, the patient has an apnea-hypopnea index of 15 or more events per
hour on a polysomnogram. Finally, the patient has received instruction from the supplier in
the proper use and care of the equipment.

What we found: The first condition is met. The second condition is not met: the test shows an
AHI of 9 events per hour. The third condition is not documented.
"""

INLINE = """Acme Health Insurance
September 29, 2026

Acme Health Insurance reviewed the request and has denied it. Under our Medical Policy VEN-03,
ablation is medically necessary when 1) the vein diameter is 4.5 mm or greater on duplex
ultrasound, 2) reflux of 500 milliseconds or longer is shown at the treated segment, and 3) the
member has had at least 3 months of compression stockings without relief. In addition, the
member must have symptoms that interfere with daily activities and either ulceration or pain
that persists despite the compression.

Item 1) is met. Item 2) is met. Item 3) is not met: the stockings were worn for 6 weeks.
"""


def test_conditions_stated_one_by_one_are_each_a_criterion_with_its_finding() -> None:
    read = read_criteria(ORDINAL)
    assert [c.text[:40] for c in read] == [
        "the patient has had a face-to-face clini",
        "the patient has an apnea-hypopnea index ",
        "the patient has received instruction fro",
    ]
    assert [c.payer_status for c in read] == ["met", "not_met", "not_documented"]
    assert any(r.value == 15 for r in read[1].requirements)


def test_items_numbered_in_a_running_sentence_and_the_must_sentence_after_them() -> None:
    read = read_criteria(INLINE)
    assert [c.label for c in read] == ["1", "2", "3", None]
    assert read[0].text == "the vein diameter is 4.5 mm or greater on duplex ultrasound"
    assert read[3].text.startswith("the member must have symptoms that interfere")
    assert [c.payer_status for c in read[:3]] == ["met", "met", "not_met"]


def test_ordinal_words_without_an_announced_rule_are_no_criteria() -> None:
    story = (
        "Acme Health Plan\nMay 2, 2026\n\nFirst, we received your request on April 2. Second, "
        "we asked your doctor for records. Finally, we made our decision.\n"
    )
    assert read_criteria(story) == []
