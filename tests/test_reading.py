"""Reading the denial as the payer wrote it: payer status and narrative per criterion, every
requested code with units and modifiers, the insurer apart from the plan sponsor."""

from __future__ import annotations

from pipeline.criteria_rules import find_criteria, read_criteria
from pipeline.extract import find_insurer, find_plan_sponsor, find_requested
from pipeline.payer_findings import split_finding


def read(letter: str) -> list[tuple[str, str, str | None]]:
    return [(c.text, c.payer_status, c.payer_reason) for c in read_criteria(letter)]


def requested(text: str) -> list[tuple[str, int | None, list[str]]]:
    return [(s.code, s.units, s.modifiers) for s in find_requested(text)]


# --------------------------------------------------------------------------- findings


def test_split_finding_cuts_status_and_narrative() -> None:
    cut = split_finding(
        "Failure of at least 3 antidepressants, each for 6 weeks. Not met: the records list "
        "two trials."
    )
    assert (cut.criterion, cut.status, cut.reason) == (
        "Failure of at least 3 antidepressants, each for 6 weeks.",
        "not_met",
        "the records list two trials",
    )
    assert split_finding("Diagnosis confirmed -- met").status == "met"
    assert split_finding("A sleep study with AHI of 15. (Met.)").criterion == (
        "A sleep study with AHI of 15."
    )
    labelled = split_finding("Pre-test counseling. Finding: not documented. We got no note.")
    assert (labelled.status, labelled.reason) == ("not_documented", "We got no note")
    told = split_finding(
        "Trial of mesalamine and azathioprine for 12 weeks each. The information submitted "
        "shows a trial of mesalamine but no trial of azathioprine."
    )
    assert told.criterion == "Trial of mesalamine and azathioprine for 12 weeks each."
    assert told.reason and told.reason.startswith("The information submitted shows")
    # a criterion's own second sentence is not narrative
    policy = split_finding("ECOG status of 0 or 1. Use with ECOG 2 is investigational.")
    assert policy.status is None and policy.reason is None


LIST_LETTER = """\
Reason for denial
The policy requires all of the following:

  1. A confirmed diagnosis of major depressive disorder. This criterion was met.
  2. Failure of at least 3 antidepressants from 2 classes, each for 6 weeks. Not met: the
     records list sertraline only.
  3. A PHQ-9 score of 15 or greater within the past 30 days. Not documented.
  - Prescribed by a psychiatrist
The information submitted shows no psychiatrist's note.
"""


def test_list_items_carry_status_and_narrative() -> None:
    got = read(LIST_LETTER)
    assert got[0] == ("A confirmed diagnosis of major depressive disorder", "met", None)
    assert got[1] == (
        "Failure of at least 3 antidepressants from 2 classes, each for 6 weeks",
        "not_met",
        "the records list sertraline only",
    )
    assert got[2][1] == "not_documented"
    # met criteria are read, but find_criteria keeps its meaning: the ones not met
    assert find_criteria(LIST_LETTER)[0].text.startswith("Failure of at least 3")


def test_narrative_under_an_indented_list_ends_it_and_goes_to_its_criterion() -> None:
    letter = (
        "Coverage requires:\n"
        "  - Body surface area of at least 10%\n"
        "  - Prescribed by a dermatologist\n"
        "Body surface area was not reported.\n"
    )
    got = read(letter)
    assert [text for text, _, _ in got] == [
        "Body surface area of at least 10%",
        "Prescribed by a dermatologist",
    ]
    assert got[0][1:] == ("not_documented", "Body surface area was not reported.")


def test_table_rows_with_status_comment_and_wrapped_cells() -> None:
    letter = (
        "The policy was applied as follows.\n\n"
        "Criterion                              | Result         | Comment\n"
        "---------------------------------------|----------------|----------------\n"
        "T-score of -2.5 or lower               | Met            | T-score -2.8\n"
        "Trial of an oral bisphosphonate for at | Not met        | 4 months only\n"
        "  least 12 months                      |                |\n"
        "Creatinine clearance of 30 mL/min      | Not documented |\n"
    )
    assert read(letter) == [
        ("T-score of -2.5 or lower", "met", "T-score -2.8"),
        ("Trial of an oral bisphosphonate for at least 12 months", "not_met", "4 months only"),
        ("Creatinine clearance of 30 mL/min", "not_documented", None),
    ]


def test_status_lines_wrapped_over_two_lines() -> None:
    letter = (
        "We applied Policy PN-12.\n\n"
        "Radicular pain for at least 4 weeks: Met\n"
        "Failure of at least 4 weeks of conservative care, including a home\n"
        "exercise program: Not met\n"
        "Imaging within the past 12 months showing compression:\n"
        "Not documented\n"
    )
    assert [(t, s) for t, s, _ in read(letter)] == [
        ("Radicular pain for at least 4 weeks", "met"),
        (
            "Failure of at least 4 weeks of conservative care, including a home exercise program",
            "not_met",
        ),
        ("Imaging within the past 12 months showing compression", "not_documented"),
    ]


def test_prose_requirement_is_cut_into_conjuncts_with_their_findings() -> None:
    letter = (
        "We reviewed the request. The policy covers the test when the member has a personal "
        "history of colon cancer before age 50, which is met in your case, and when tumor "
        "testing shows deficient mismatch repair, and when genetic counseling was given. The "
        "pathology report shows proficient mismatch repair. We did not receive a counseling "
        "note.\n"
    )
    assert [(t, s) for t, s, _ in read(letter)] == [
        ("the member has a personal history of colon cancer before age 50", "met"),
        ("tumor testing shows deficient mismatch repair", "not_met"),
        ("genetic counseling was given", "not_documented"),
    ]


# --------------------------------------------------------------------------- requested


def test_requested_codes_with_units_and_modifiers() -> None:
    assert requested(
        "Services requested:\n"
        "  CPT 15823-50  Blepharoplasty, upper eyelid (bilateral)\n"
        "  CPT 67904-RT  Repair of blepharoptosis, right eye\n"
    ) == [("15823", None, ["50"]), ("67904", None, ["RT"])]
    assert requested(
        "Requested: CPT 90867 x 1 unit; CPT 90868 x 35 units (transcranial magnetic stimulation)"
    ) == [("90867", 1, []), ("90868", 35, [])]
    assert requested("Drug: HCPCS J0585 (injection, 1 unit), 155 units every 12 weeks") == [
        ("J0585", 155, [])
    ]


def test_requested_codes_from_a_claim_table() -> None:
    eob = (
        "Line  Description            Code        Mod   Units  Billed\n"
        "1     Therapeutic exercise   97110       GP    4      $240.00\n"
        "2     Room and board         Rev 0120          3      $900.00\n"
        "3     Admission              DRG 291           1      $38,412.00\n"
    )
    assert requested(eob) == [("97110", 4, ["GP"]), ("0120", 3, []), ("291", 1, [])]
    assert [s.system for s in find_requested(eob)] == ["cpt", "revenue", "drg"]


def test_codes_approved_instead_are_not_requested() -> None:
    text = (
        "Service requested: intensive outpatient program, HCPCS S9480, 15 days.\n\n"
        "A lower level of care, outpatient therapy (CPT 90837), is approved instead.\n"
    )
    assert requested(text) == [("S9480", 15, [])]


def test_codes_the_decision_says_it_does_not_address_are_not_requested() -> None:
    """A later stage the notice sets aside ('does not address permanent implantation (for
    example CPT 63685), which requires a separate request') is not part of the request."""
    text = (
        "Service requested: spinal cord stimulator trial, CPT 63650 x 2, CPT 95972 x 1.\n\n"
        "This decision does not address permanent implantation (for example CPT 63685 and "
        "related codes), which requires a separate request after a successful trial.\n"
    )
    assert requested(text) == [("63650", 2, []), ("95972", 1, [])]
    assert requested("Requested: CPT 63685 x 1 (permanent implant).\n") == [("63685", 1, [])]


def test_an_alternative_the_plan_would_approve_is_not_requested() -> None:
    """The notice's offer of another service ('would be approved if requested') names codes
    the provider did not ask for; the requested service's codes stay."""
    text = (
        "Service requested: proton beam treatment delivery, CPT 77525 x 30.\n\n"
        "Photon IMRT with image guidance (CPT 77301, CPT 77385 x 30) would be approved\n"
        "if requested.\n"
    )
    assert requested(text) == [("77525", 30, [])]
    assert requested("Requested: CPT 77385 x 30 (photon IMRT).\n") == [("77385", 30, [])]


# --------------------------------------------------------------------------- payer and sponsor


def test_insurer_without_product_suffix_and_sponsor_apart() -> None:
    letter = (
        "BAYFRONT MUTUAL INSURANCE COMPANY | Commercial PPO\n"
        "Administrator for: Larkspur Foods, Inc. Employee Health Plan\n\nDear Ms. Doe:\n"
    )
    assert find_insurer(letter) == "BAYFRONT MUTUAL INSURANCE COMPANY"
    assert find_plan_sponsor(letter) == "Larkspur Foods, Inc. Employee Health Plan"


def test_insurer_behind_a_benefit_manager_or_a_product() -> None:
    assert (
        find_insurer(
            "VANTAGE IMAGING MANAGEMENT\nRadiology Benefit Management for Crestline Health Plan\n"
        )
        == "Crestline Health Plan"
    )
    assert (
        find_insurer(
            "Notice\n\nHeartland Senior Advantage (HMO), offered by Heartland Senior Health Plan, "
            "Inc.\n"
        )
        == "Heartland Senior Health Plan, Inc."
    )
    eob = (
        "Lakeside Health Insurance Company\n"
        "Patient: A. B.     Group: Ellison Tool Group Health Plan\n"
    )
    assert find_insurer(eob) == "Lakeside Health Insurance Company"
    assert find_plan_sponsor(eob) == "Ellison Tool Group Health Plan"
    assert find_plan_sponsor("Group number: NWL-004417\nRx Group: PSHRX01\n") is None


# --------------------------------------------------------------------------- routes and period


def test_routes_period_and_policy_of_the_tms_example() -> None:
    from pathlib import Path

    from pipeline.extract import extract_facts
    from pipeline.ingest import normalize_text

    letter = Path(__file__).resolve().parents[1] / "examples" / "tms-erisa" / "letter.txt"
    facts = extract_facts(normalize_text(letter.read_text(encoding="utf-8")))
    assert facts.policy == "InterQual(R) 2025 Procedures: Transcranial Magnetic Stimulation (TMS)"
    assert (facts.peer_to_peer_phone, facts.peer_to_peer_window) == (
        "(800) 555-0112",
        "within 14 calendar days of the date of this letter",
    )
    assert facts.appeal_address and facts.appeal_address.endswith(
        "PO Box 34790, Bellevue, WA 98009-4790"
    )
    assert facts.appeal_fax == "(800) 555-0113"  # not the UM fax of the letterhead
    assert facts.expedited_route == "(800) 555-0112"
    assert (str(facts.service_start), str(facts.service_end)) == ("2026-10-26", "2026-12-31")
    assert facts.plan_sponsor == "Northwind Logistics, Inc. Employee Health Benefit Plan"
    assert [(s.code, s.units) for s in facts.requested] == [("90867", 1), ("90868", 35)]


def test_level_of_care_label_or_requested_level_not_the_alternative() -> None:
    from pipeline.extract import find_level_of_care

    assert find_level_of_care("Level of care: Inpatient withdrawal management (rev 0116)\n") == (
        "Inpatient withdrawal management"
    )
    text = (
        "We denied the request for residential treatment. Partial hospitalization is approved "
        "instead."
    )
    assert find_level_of_care(text) == "residential treatment"


def test_an_engines_criteria_are_completed_by_the_rules() -> None:
    from pipeline.criteria_rules import complete_criteria, read_rules
    from pipeline.models import Criterion

    got = complete_criteria(
        [
            Criterion(text="A confirmed diagnosis of major depressive disorder"),
            Criterion(text="Failure of at least 3 antidepressants from 2 classes"),
            Criterion(text="Something the rules did not read -- met"),
        ],
        read_rules(LIST_LETTER).criteria,
    )
    assert [c.payer_status for c in got] == ["met", "not_met", "met"]
    assert got[0].requirements  # same wording: the rules' requirements
    assert got[1].payer_reason == "the records list sertraline only"
    assert got[1].requirements == []  # other wording: read from it by enforce_provenance


def test_a_codes_own_quantity_wins_over_the_next_lines_days() -> None:
    text = (
        "  Service(s) requested:\n"
        "    CPT 43775   Laparoscopy, gastric restrictive procedure;\n"
        "                longitudinal gastrectomy   Qty 1\n"
        "    Inpatient admission, 2 days requested (01/19/2027 - 01/21/2027)\n"
    )
    assert requested(text) == [("43775", 1, [])]
