"""A notice that denies on several grounds, one part each, is answered part by part: each
part's own section, with what the case accepts of it or its category's answer, and the
criteria it holds answered below; a ground whose words stand in no part (a remark code's
gloss) is no part's."""

from __future__ import annotations

from pipeline.models import DenialCategory
from pipeline.reasoning.parts import accepted, notice_parts
from tests.reasoning_fixtures import TMS, load

_, BASE, _ = load("tms-erisa", TMS)

THREE = """ACME HEALTH PLAN
We reviewed the request on three grounds.

GROUND 1 - CLINICAL CRITERIA NOT MET

  1. The member is 18 years of age or older. [Met.]
  2. Disease activity is documented by a validated measure. [Not met.]

GROUND 2 - NON-PREFERRED PRODUCT

Brand Examplex is non-preferred. The preferred product is generic examplimab, which
requires the same review as
Ground 1. No intolerance to the preferred generic was documented.

GROUND 3 - QUANTITY LIMIT

The plan's quantity limit is 2 pens per 28 days. The request for 6 pens per 28 days exceeds
the quantity limit.

YOUR RIGHT TO APPEAL
You may appeal within 180 days.
"""


def test_each_ground_is_a_part_with_its_own_text_and_category():
    parts = notice_parts(THREE)
    assert [p.heading() for p in parts] == [
        "Ground 1 — Clinical criteria not met",
        "Ground 2 — Non-preferred product",
        "Ground 3 — Quantity limit",
    ]
    # a cross-reference inside a paragraph ('as\nGround 1.') opens no part
    assert "No intolerance" in parts[1].text
    assert DenialCategory.step_therapy in parts[1].categories
    assert parts[2].categories[0] == DenialCategory.frequency_limit
    # the last part ends where the notice's next heading begins
    assert "appeal" not in parts[2].text.lower()


def test_a_notice_of_one_ground_has_no_parts():
    assert notice_parts("We denied the request.\n\nREASON 1 - NOT MEDICALLY NECESSARY\n") == ()


def test_claim_lines_are_parts():
    text = (
        "WHY WE DENIED THIS CLAIM\n\n"
        "Line 01 (95810): the policy limits sleep studies to one per 12 months.\n\n"
        "Line 02 (95805): No precertification was on file for the MSLT.\n"
    )
    parts = notice_parts(text)
    assert [p.heading() for p in parts] == ["Line 01 (95810)", "Line 02 (95805)"]
    assert DenialCategory.administrative in parts[1].categories


def test_what_the_case_accepts_of_a_part_is_its_own_sentence():
    accepts = "Generic examplimab is acceptable in place of brand Examplex."
    details = f"{accepts} Dispense 2 pens per 28 days."
    service = BASE.service.model_copy(update={"details": details})
    case = BASE.model_copy(update={"service": service})
    parts = notice_parts(THREE)
    assert accepted(parts[1], case) == accepts
    assert accepted(parts[2], case) == ""  # shares no words with the quantity part
