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


WHERE = (
    "Dear Dr. Larsen:\n\n"
    "Our Spine Policy SP-14 allows decompression only where imaging confirms moderate or\n"
    "severe stenosis at the level to be treated, where the member's symptoms limit walking or\n"
    "daily activities, and where at least 12 weeks of conservative treatment, including physical\n"
    "therapy and either an epidural steroid injection or a trial of a neuropathic pain\n"
    "medication, has failed; the MRI of 06/02/2026 shows moderate stenosis and the notes describe\n"
    "walking limited to one block, so the first two requirements are met, but the physical\n"
    "therapy record covers 5 weeks and no epidural injection or neuropathic medication trial was\n"
    "documented.\n"
)


def test_a_where_where_paragraph_and_the_first_two_requirements_met() -> None:
    criteria = read_criteria(WHERE)
    assert [c.text.split()[:3] for c in criteria] == [
        ["imaging", "confirms", "moderate"],
        ["the", "member's", "symptoms"],
        ["at", "least", "12"],
    ]
    assert [c.payer_status for c in criteria][:2] == ["met", "met"]
    # the verdict clause is not the third criterion's narrative, and 'no ... was documented'
    # is not a met cue
    third = criteria[2]
    assert third.payer_status != "met"
    assert third.payer_reason and "first two" not in third.payer_reason
    # 'including X and either A or B' is not a one-of criterion
    assert third.logic == "all"


def test_the_notes_do_not_say_is_not_documented() -> None:
    from pipeline.payer_findings import status_from_narrative

    assert status_from_narrative("The notes do not say why arthroplasty is not an option.") == (
        "not_documented"
    )
    assert status_from_narrative("We could not decide this requirement.") == "not_documented"


ALIGNED = """\
Copper Canyon has denied this request under Drug Policy SP-412 (Vedolizumab):

Requirement                                          Status
----------------------------------------------       ------------------------------
Moderately to severely active ulcerative colitis     Met
with a Mayo score of 6 or higher
Failure of at least 1 immunomodulator or             Not met - no immunomodulator
corticosteroid course within the past 6 months       or steroid course was found in
                                                     the claims
Prescribed by a gastroenterologist                   Met

No IgE level was in the records we received.
"""


def test_a_space_aligned_status_table_with_wrapped_rows() -> None:
    criteria = read_criteria(ALIGNED)
    assert [(c.text, c.payer_status) for c in criteria] == [
        (
            "Moderately to severely active ulcerative colitis with a Mayo score of 6 or higher",
            "met",
        ),
        (
            "Failure of at least 1 immunomodulator or corticosteroid course within the past 6 "
            "months",
            "not_met",
        ),
        ("Prescribed by a gastroenterologist", "met"),
    ]
    assert criteria[1].payer_reason == (
        "no immunomodulator or steroid course was found in the claims"
    )
    (trials,) = [r for r in criteria[1].requirements if r.kind == "trial_count"]
    assert (trials.value, trials.unit, trials.window) == (1.0, "trials", "within the past 6 months")
