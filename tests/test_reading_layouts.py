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


def test_preferred_alternatives_are_their_own_field_not_criteria() -> None:
    from pipeline.criteria_rules import find_preferred_alternatives
    from pipeline.extract import extract_facts

    table = (
        "We reviewed the request against Criteria PHR-118. Our finding on each criterion:\n\n"
        "+----+---------------------------+----------------------------+\n"
        "| #  | Requirement               | Finding                    |\n"
        "+====+===========================+============================+\n"
        "| 1  | Prescribed by a           | MET. Prescriber is a       |\n"
        "|    | pulmonologist             | pulmonologist.             |\n"
        "+----+---------------------------+----------------------------+\n"
        "| 2  | At least 2 exacerbations  | NOT MET. One exacerbation. |\n"
        "|    | in the past 12 months     |                            |\n"
        "+----+---------------------------+----------------------------+\n\n"
    )
    listed = (
        "The following preferred alternatives do not require prior authorization:\n"
        "  1. FASENRA (benralizumab) 30 mg pen\n"
        "  2. NUCALA (mepolizumab) 100 mg pen\n\n"
    )
    inline = (
        "Preferred alternatives: FASENRA (benralizumab) 30 mg pen, NUCALA (mepolizumab)\n"
        "100 mg pen\n\n"
    )
    for tail in (listed, inline):
        letter = table + tail + "You may appeal within 60 days.\n"
        assert [c.text for c in read_criteria(letter)] == [
            "Prescribed by a pulmonologist",
            "At least 2 exacerbations in the past 12 months",
        ]
        assert find_preferred_alternatives(letter) == [
            "FASENRA (benralizumab)",
            "NUCALA (mepolizumab)",
        ]
        assert extract_facts(letter).preferred_alternatives == [
            "FASENRA (benralizumab)",
            "NUCALA (mepolizumab)",
        ]
    # a 'non-formulary drug' in a lead-in is no list of alternatives
    assert read_criteria(
        "Dupixent is a non-formulary specialty drug. The criteria require:\n"
        "  - Prescribed by a dermatologist\n  - Failure of two topical therapies\n\n"
        "The information submitted shows no trial of a calcineurin inhibitor.\n"
    )


def test_a_finding_paragraph_with_a_label_and_ordinal_verdicts() -> None:
    letter = (
        "Coverage requires all of the following:\n\n"
        " • Documented severe obesity, defined as:\n"
        "    o BMI >= 40 kg/m2, OR\n"
        "    o BMI >= 35 kg/m2 with at least one obesity-related comorbidity\n"
        " • Completion of a preoperative evaluation, including:\n"
        "    o a nutrition assessment by a registered dietitian\n"
        "    o a psychological evaluation\n"
        " • Failure of a supervised diet program of at least 3 months\n\n"
        "Finding: the member's BMI of 37.2 kg/m2 with obstructive sleep apnea meets the first\n"
        "criterion. The nutrition assessment is documented, but no psychological evaluation was\n"
        "submitted. The diet program records show 8 weeks of participation, which does not meet\n"
        "the third criterion.\n"
    )
    first, second, third = read_criteria(letter)
    assert (first.payer_status, first.logic) == ("met", "any")
    assert [r.subject for r in first.requirements if r.kind == "threshold"][:2] == ["BMI", "BMI"]
    assert second.payer_status == "not_documented"  # one part documented, one not submitted
    assert "registered dietitian" in [r.subject for r in second.requirements]
    assert third.payer_status == "not_met"


def test_an_account_that_restates_the_criterion_as_shown_is_met() -> None:
    letter = (
        "Medicare covers deep brain stimulation when all of these conditions are met:\n"
        "  - a diagnosis of Parkinson's disease with a response to levodopa;\n"
        "  - at least 5 years since the diagnosis was made.\n"
        "Your records show a Parkinson's diagnosis in 2023 with a good response to levodopa.\n"
        "The diagnosis was made 3 years ago, so the request falls short.\n"
    )
    first, second = read_criteria(letter)
    assert first.payer_status == "met"
    assert second.payer_status == "not_met"  # a number: the account is a comparison, not a match
    shortfall = letter.replace("with a good response", "without a response")
    assert read_criteria(shortfall)[0].payer_status == "not_met"


def test_a_relative_clause_stays_in_its_criterion_and_a_group_plan_is_the_sponsor() -> None:
    from pipeline.extract import find_plan_sponsor

    letter = (
        "Explanation: the plan covers a pneumatic compression device when the member has "
        "completed a 4-week trial of conservative therapy, including compression garments, "
        "that did not control the swelling, and when the treating physician documents that a "
        "simpler device cannot meet the member's needs. The records show 2 weeks of garments.\n"
    )
    assert [c.text[-33:] for c in read_criteria(letter)] == [
        "that did not control the swelling",
        "device cannot meet the member's needs"[-33:],
    ]
    line = "Claim: 2026-301-558120                Group: Meadowlark Grain Cooperative Health Plan\n"
    assert find_plan_sponsor(line) == "Meadowlark Grain Cooperative Health Plan"
    assert find_plan_sponsor("Member: A. Person          Group: 004417-02\n") is None
