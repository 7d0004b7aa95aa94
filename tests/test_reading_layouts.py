"""Reading layouts the layout suite found weak (issue 15): each test is a small synthetic letter
piece in that layout and what a careful reader takes from it."""

from __future__ import annotations

from pipeline.criteria_rules import read_criteria
from pipeline.extract import find_insurer, find_requested


def services(text: str) -> list[tuple[str, int | None, list[str]]]:
    return [(s.code, s.units, s.modifiers) for s in find_requested(text)]


def test_a_benefit_manager_that_lists_these_conditions() -> None:
    letter = (
        "Guideline CD-4 (Coronary CT Angiography) lists these conditions under which the\n"
        "study is appropriate; one of them must apply:\n\n"
        "  a. New chest pain in a patient with an intermediate pretest probability\n"
        "  b. An equivocal stress test within the past 6 months\n\n"
        "Rationale: none of the listed conditions applies.\n"
    )
    texts = [c.text for c in read_criteria(letter)]
    assert texts == [
        "New chest pain in a patient with an intermediate pretest probability",
        "An equivocal stress test within the past 6 months",
    ]


def test_the_plan_a_reviewer_writes_for_is_the_insurer() -> None:
    head = "KEYSTONE IMAGING BENEFITS, LLC\nAdvanced imaging review for Alder Creek Health Plan\n"
    assert find_insurer(head + "\nDear member:\n") == "Alder Creek Health Plan"
    pbm = "NORTHSTAR RX BENEFIT SERVICES\nPharmacy Coverage Determination\nFor members of "
    assert find_insurer(pbm + "Cobalt Ridge Health Plan\n\nDate: 09/14/2026\n") == (
        "Cobalt Ridge Health Plan"
    )


def test_a_code_the_request_is_compared_with_is_not_requested() -> None:
    letter = (
        "Svc date     Code    Modifiers   Units   Billed\n"
        "10/02/2026   E0652   NU KX       1       $4,850.00\n\n"
        "We cover E0652 when the physician documents that a device without calibrated\n"
        "pressure (E0651) cannot meet the member's needs. We did not receive an explanation\n"
        "of why E0651 is not enough.\n"
    )
    assert services(letter) == [("E0652", 1, ["NU", "KX"])]


def test_a_side_in_parentheses_and_a_count_of_studies() -> None:
    assert services("Requested service: ablation, CPT 64624, right knee (RT), 1 unit\n") == [
        ("64624", 1, ["RT"])
    ]
    assert services("Requested: MRI, right knee (CPT 73721-RT), 1 study\n") == [
        ("73721", 1, ["RT"])
    ]
