"""Issue 15, second round: what the payer said each criterion lacked, verdict sentences that
give statuses by label, one-of lists in prose, missing-record table rows, per-administration
units and periods, space-aligned service tables, claims administrators and appeal faxes."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.criteria_rules import read_criteria
from pipeline.extract import find_appeal_route, find_insurer, find_plan_sponsor, find_requested
from pipeline.payer_findings import lacks_in


@pytest.mark.parametrize(
    ("reason", "lacks"),
    [
        (
            "The information submitted shows a trial of mesalamine but no trial of azathioprine "
            "or of a corticosteroid course, and the length of the mesalamine trial is not stated.",
            [
                "trial of azathioprine",
                "a corticosteroid course",
                "the length of the mesalamine trial",
            ],
        ),
        (
            "Preferred alternatives are A and B; no claims for either were found.",
            ["claims for either"],
        ),
        ("We did not receive a sleep study report.", ["a sleep study report"]),
        ("No kidney function result in the records", ["kidney function result"]),
        (
            "We did not find a heart attack, a heart procedure, or a diagnosis of angina.",
            ["a heart attack", "a heart procedure", "a diagnosis of angina"],
        ),
        (
            "The notes describe no chewing, speech or sleep problem.",
            ["chewing, speech or sleep problem"],
        ),
        ("The records show 8 weeks of prednisone.", []),
        (None, []),
    ],
)
def test_what_the_payer_said_the_records_lacked(reason: str | None, lacks: list[str]) -> None:
    assert lacks_in(reason) == lacks


VERDICT = """Coverage requires all of the following:

(a) A diagnosis of episodic migraine with at least 4 migraine days per month. The records
document 8 migraine days per month. This requirement is met.

(b) Inadequate response to at least two preventive medications from different classes.
The information submitted shows a trial of topiramate; no second preventive medication is
documented.

(c) Prescribed by or in consultation with a neurologist.

Because requirements (b) and (c) were not met, the request is not approved.
"""


def test_lettered_criteria_take_their_status_from_the_item_and_the_verdict_sentence() -> None:
    criteria = read_criteria(VERDICT)
    # (b): a finding (one trial) and what is missing; (c): named only by the verdict sentence
    assert [c.payer_status for c in criteria] == ["met", "not_met", "not_met"]
    assert criteria[1].payer_lacks == ["second preventive medication"]


def test_a_ranked_verdict_sets_met_and_a_criterion_s_own_words_are_not_a_verdict() -> None:
    letter = (
        "Medicare covers care in an IRF only when the patient requires the active and ongoing "
        "intervention of multiple therapy disciplines; and requires supervision by a "
        "rehabilitation physician, with face-to-face visits at least 3 days per week. The "
        "member requires physical therapy, so the first requirement is met. We did not receive "
        "a rehabilitation physician's evaluation.\n"
    )
    criteria = read_criteria(letter)
    assert [c.payer_status for c in criteria] == ["met", "not_documented"]
    assert criteria[1].payer_lacks == ["a rehabilitation physician's evaluation"]


def test_prose_with_a_second_predicate_and_a_one_of_list_gives_three_criteria() -> None:
    letter = (
        "The plan covers the drug when the member has moderately to severely active disease "
        "and has had an inadequate response to a conventional therapy (a corticosteroid or "
        "azathioprine) for at least 8 weeks, and one of the following: a trial of a preferred "
        "biologic, or a contraindication to TNF blockers. The information submitted shows no "
        "trial of azathioprine or of a corticosteroid course. Preferred "
        "alternatives on your formulary are X and Y; no claims for either were found.\n"
    )
    criteria = read_criteria(letter)
    assert [c.text for c in criteria] == [
        "the member has moderately to severely active disease",
        "has had an inadequate response to a conventional therapy (a corticosteroid or "
        "azathioprine) for at least 8 weeks",
        "one of the following: a trial of a preferred biologic, or a contraindication to TNF "
        "blockers",
    ]
    assert criteria[2].logic == "any"
    assert criteria[2].payer_lacks == ["claims for either"]
    assert "trial of azathioprine" in criteria[1].payer_lacks


def test_a_no_row_whose_note_says_the_record_was_missing_is_not_documented() -> None:
    letter = (
        "The guideline's requirements and our findings are below.\n\n"
        "| Requirement | Met? | Reviewer note |\n|---|---|---|\n"
        "| Heart rate of 65 beats per minute or less | No | Office heart rate was 92; no plan "
        "was sent |\n"
        "| eGFR of 30 or greater within 90 days | No | No kidney function result in the records |\n"
    )
    assert [c.payer_status for c in read_criteria(letter)] == ["not_met", "not_documented"]


def test_units_per_administration_administrations_and_period() -> None:
    letter = (
        "Service requested:\n"
        "  J3380 (vedolizumab, 1 mg) x 300 units per infusion, administered by IV infusion "
        "(96365)\n"
        "  6 infusions requested for 11/16/2026 - 11/15/2027\n"
        "Diagnosis: K51.011\n"
    )
    j3380, infusion = find_requested(letter)
    assert (j3380.code, j3380.units, j3380.per, j3380.administrations) == (
        "J3380",
        300,
        "infusion",
        6,
    )
    assert (j3380.start, j3380.end) == (dt.date(2026, 11, 16), dt.date(2027, 11, 15))
    assert (infusion.code, infusion.units, infusion.per) == ("96365", None, None)


def test_a_space_aligned_service_table_gives_units_and_modifiers_by_column() -> None:
    letter = (
        "Line  Date of service  Code   Units  Mod  Billed\n"
        "1     08/12/2026       97110  4      GP   $240.00\n"
        "2     08/12/2026       97140  2      GP   $130.00\n"
    )
    assert [(s.code, s.units, s.modifiers) for s in find_requested(letter)] == [
        ("97110", 4, ["GP"]),
        ("97140", 2, ["GP"]),
    ]


def test_revenue_code_days_take_the_request_period() -> None:
    letter = "Revenue code 0128, 14 days requested for 11/02/2026 - 11/15/2026\n"
    (service,) = find_requested(letter)
    assert (service.system, service.code, service.units) == ("revenue", "0128", 14)
    assert (service.start, service.end) == (dt.date(2026, 11, 2), dt.date(2026, 11, 15))


def test_claims_administrator_and_plan_sponsor_are_told_apart() -> None:
    letter = (
        "Great Lakes Benefit Health Plan\nMedical Management\n\n"
        "Plan: Acme Tool & Die Co. Employee Medical Plan (self-funded; Great Lakes Benefit Health\n"
        "Plan is the claims administrator)\n"
    )
    assert find_insurer(letter) == "Great Lakes Benefit Health Plan"
    assert find_plan_sponsor(letter) == "Acme Tool & Die Co. Employee Medical Plan"
    headed = (
        "Keystone Employees Health Program\nAdministered by Allegheny Health Services\n\n"
        "Dear Dr. A,\n"
    )
    assert find_insurer(headed) == "Allegheny Health Services"
    assert find_plan_sponsor(headed) == "Keystone Employees Health Program"
    assert find_insurer("Summit Crest Medicare Advantage (HMO D-SNP)\nDear member,\n") == (
        "Summit Crest Medicare Advantage"
    )


def test_the_appeal_fax_after_fax_it_to() -> None:
    letter = (
        "You may appeal within 180 days. Send the appeal to Plan Appeals, PO Box 7150, Grand "
        "Rapids, MI 49501, or fax it to 1-616-555-0180.\n"
    )
    assert find_appeal_route(letter) == (
        "Plan Appeals, PO Box 7150, Grand Rapids, MI 49501",
        "1-616-555-0180",
    )


def test_inline_numbered_criteria_in_one_paragraph_with_verdict_sentences() -> None:
    letter = (
        "Our policy covers embryo transfer only when (1) the member has a diagnosis of "
        "infertility as defined by the policy, (2) the member has completed a uterine cavity "
        "evaluation within the past 12 months, and (3) no more than 2 embryos are transferred "
        "per cycle. Criterion (1) is met. The hysteroscopy report you sent is dated 03/2025. "
        "Because criteria (2) and (3) are not met, we are unable to approve the request.\n"
    )
    criteria = read_criteria(letter)
    assert [c.text for c in criteria] == [
        "the member has a diagnosis of infertility as defined by the policy",
        "the member has completed a uterine cavity evaluation within the past 12 months",
        "no more than 2 embryos are transferred per cycle",
    ]
    assert [c.payer_status for c in criteria] == ["met", "not_met", "not_met"]


def test_a_one_of_list_in_prose_is_one_either_or_criterion_whatever_leads_it() -> None:
    letter = (
        "The guideline supports admission when one of the following is present: a rising "
        "troponin; new ischemic changes on the ECG; or hemodynamic instability. Your records "
        "show a normal troponin on three draws.\n"
    )
    (criterion,) = read_criteria(letter)
    assert criterion.text == (
        "one of the following is present: a rising troponin; new ischemic changes on the ECG; "
        "or hemodynamic instability"
    )
    assert criterion.payer_status == "not_met"
    assert criterion.payer_reason == "Your records show a normal troponin on three draws."


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("an aortic valve area of 1.0 cm2 or less", ("threshold", "<=", 1.0, "cm2")),
        ("a mean gradient of 40 mmHg or greater", ("threshold", ">=", 40.0, "mmHg")),
        ("T-score of -2.5 or lower at the spine", ("threshold", "<=", -2.5, None)),
        ("Creatinine clearance of 30 mL/min or greater", ("threshold", ">=", 30.0, "mL/min")),
        ("Heart rate of 65 beats per minute or less", ("threshold", "<=", 65.0, "beats/min")),
        ("(b) age 65 years or older", ("threshold", ">=", 65.0, "years")),
        ("CPAP was tried and proven ineffective", ("trial_count", ">=", 1.0, "trials")),
        ("No stress imaging in the past 12 months", ("absence", None, None, None)),
    ],
)
def test_measured_thresholds_trials_and_absences(text: str, read: tuple) -> None:
    from pipeline.requirements import parse_requirements

    kind, comparator, value, unit = read
    requirements, _ = parse_requirements(text)
    first = requirements[0]
    assert (first.kind.value, first.comparator, first.value) == (kind, comparator, value)
    if unit is not None:
        assert first.unit == unit


@pytest.mark.parametrize(
    "paragraph",
    [
        "To appeal, write within 180 days to Evergreen Health, Appeals, 1800 Ninth Ave, "
        "Seattle, WA 98101, or fax 1-866-555-0145.",
        "Fax your appeal to (602) 555-0119 or mail it to Evergreen Health, Appeals, "
        "1800 Ninth Ave, Seattle, WA 98101.",
        "APPEAL WITHIN 180 DAYS. MAIL: Evergreen Health, Appeals, 1800 Ninth Ave, Seattle, "
        "WA 98101.",
    ],
)
def test_the_appeal_address_starts_at_the_addressee(paragraph: str) -> None:
    address, _ = find_appeal_route(paragraph)
    assert address is not None and address.casefold() == (
        "evergreen health, appeals, 1800 ninth ave, seattle, wa 98101"
    )


def test_an_addressee_with_inc_is_read_whole() -> None:
    text = (
        "Send your appeal to Bluewater Health Plan, Inc., Appeals, PO Box 990, Portland, ME 04104."
    )
    assert find_appeal_route(text)[0] == (
        "Bluewater Health Plan, Inc., Appeals, PO Box 990, Portland, ME 04104"
    )


def test_an_engines_lacks_are_kept_only_when_the_letter_holds_them() -> None:
    from pipeline.extract import enforce_provenance
    from pipeline.models import Criterion, DenialAnalysis

    letter = (
        "Coverage requires a trial of azathioprine for at least 8 weeks. The information "
        "submitted shows no trial of azathioprine.\n"
    )
    criterion = Criterion(
        text="a trial of azathioprine for at least 8 weeks",
        payer_reason="The information submitted shows no trial of azathioprine.",
        payer_lacks=["trial of azathioprine", "a signed attestation from the member"],
    )
    (kept,) = enforce_provenance(DenialAnalysis(criteria=[criterion]), letter).criteria
    assert kept.payer_lacks == ["trial of azathioprine"]
    bare = criterion.model_copy(update={"payer_lacks": []})
    (read,) = enforce_provenance(DenialAnalysis(criteria=[bare]), letter).criteria
    assert read.payer_lacks == ["trial of azathioprine"]  # read from the payer's narrative


def test_lmn_extract_lines_show_lacks_and_service_details() -> None:
    from pipeline.models import Criterion, RequestedService
    from pipeline.requirements import criterion_lines, service_label

    service = RequestedService(
        code="J3380",
        system="hcpcs",
        units=300,
        per="infusion",
        administrations=6,
        start=dt.date(2026, 11, 16),
        end=dt.date(2027, 11, 15),
    )
    assert (
        service_label(service) == "J3380 x300 per infusion, 6 infusions, 2026-11-16 to 2027-11-15"
    )
    lines = criterion_lines(1, Criterion(text="a trial of X", payer_lacks=["trial of X"]))
    assert "     records lacked: trial of X" in lines


def test_a_modifier_given_at_a_later_mention_of_the_code_is_kept() -> None:
    letter = "Procedure: CPT 15823 Blepharoplasty, upper eyelid; both eyes (15823-50)\n"
    (service,) = find_requested(letter)
    assert (service.code, service.modifiers) == ("15823", ["50"])


def test_a_count_in_parentheses_is_units_but_a_dose_is_not() -> None:
    letter = (
        "Items requested: HCPCS E2103 (1 receiver) and A4239 (sensors, 1 unit per month).\n"
        "Drug: HCPCS J3380 (1 mg), 300 units at weeks 0, 2 and 6\n"
    )
    units = {s.code: s.units for s in find_requested(letter)}
    assert units == {"E2103": 1, "A4239": 1, "J3380": 300}


def test_the_payer_s_ordinal_verdict_after_a_finding() -> None:
    letter = (
        "Riverstone considers the surgery medically necessary under Medical Policy SUR-301, "
        "Section 4.2, only if the member has a body mass index of 40 or greater, has taken part "
        "in a supervised weight program for at least 6 months, and has had a psychological "
        "evaluation within the past 12 months. The records document a BMI of 41.2, which meets "
        "the first requirement. The weight program notes cover 4 months. We did not receive a "
        "psychological evaluation.\n"
    )
    criteria = read_criteria(letter)
    assert [c.payer_status for c in criteria] == ["met", "not_met", "not_documented"]
    assert criteria[2].payer_lacks == ["a psychological evaluation"]


def test_a_wrapped_reference_to_labels_is_not_a_list_item() -> None:
    letter = (
        "The plan covers the therapy only when (1) the member has diabetes, (2) the wound is "
        "Wagner grade III or higher, and (3) standard wound care for at least 30 days has "
        "failed. Criterion (1) is met. The notes cover 21 days of care. Because criteria\n"
        "(2) and (3) are not met, the request is denied.\n"
    )
    criteria = read_criteria(letter)
    assert [c.text for c in criteria] == [
        "the member has diabetes",
        "the wound is Wagner grade III or higher",
        "standard wound care for at least 30 days has failed",
    ]
    assert [c.payer_status for c in criteria] == ["met", "not_met", "not_met"]


def test_dme_modifiers_from_a_modifier_column() -> None:
    letter = (
        "Svc date    Procedure  Modifiers   Qty  Charged\n"
        "03/02/2026  K0856      NU KX       1    $6,850.00\n"
        "03/02/2026  E2402      RR          1    $420.00\n"
    )
    assert [(s.code, s.units, s.modifiers) for s in find_requested(letter)] == [
        ("K0856", 1, ["NU", "KX"]),
        ("E2402", 1, ["RR"]),
    ]


def test_a_finding_sentence_that_names_a_criterion_s_words_is_its_narrative() -> None:
    letter = (
        "The plan covers the therapy only when (1) the member has diabetes, (2) the wound is "
        "classified as Wagner grade III or higher, and (3) standard wound therapy of at least "
        "30 days has failed. The wound is described in the notes as a Wagner grade II ulcer. The "
        "member's records cover 21 days of wound therapy without a vascular study.\n"
    )
    criteria = read_criteria(letter)
    assert criteria[1].payer_reason == (
        "The wound is described in the notes as a Wagner grade II ulcer."
    )
    assert criteria[2].payer_lacks == ["a vascular study"]


def test_the_reviewer_named_on_the_line_of_the_role() -> None:
    from pipeline.extract import find_reviewer

    assert find_reviewer("Sincerely,\nWendell Grant, MD, Associate Medical Director\n") == (
        "Wendell Grant, MD"
    )
    assert find_reviewer("Assistant Medical Director\n") is None


def test_clauses_of_one_sentence_given_to_one_criterion_show_the_cut() -> None:
    from pipeline.criteria_rules import _joined

    assert _joined(
        ["The CT shows a stable mass and no new lesion", "Routine PET is not supported."]
    ) == ("The CT shows a stable mass and no new lesion … Routine PET is not supported.")
    assert lacks_in(_joined(["The CT shows no new lesion", "Routine PET is not supported."])) == [
        "new lesion"
    ]
