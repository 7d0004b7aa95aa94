"""Layouts that read weakly before (issue 15): a verdict on a criterion by its name, a status
closing an item's line above its 'o' sub-bullets, and a dental-medical crossover's payer,
sponsor and the code another plan decides."""

from __future__ import annotations

from pipeline.criteria_rules import read_criteria
from pipeline.extract import find_insurer, find_plan_sponsor, find_requested

EOB = """\
Claim note: Oakmont covers immune globulin infused at home only when the member has a
serum IgG level below 400 mg/dL before treatment, has had at least 2 serious bacterial
infections in the past 12 months, and the infusions follow a plan of care signed by an
immunologist. The pre-treatment IgG level on the claim records is 520 mg/dL. The infection
history requirement is met. No plan of care was received with the claim.
"""


def test_a_verdict_naming_the_criterion_sets_its_status() -> None:
    criteria = read_criteria(EOB)
    assert [c.payer_status for c in criteria] == ["not_met", "met", "not_documented"]
    assert criteria[1].text.startswith("has had at least 2 serious bacterial infections")


SUB_BULLETS = """\
Drug Policy MBD-140 lists these requirements; our review of each is shown after it.

- Moderate to severe plaque psoriasis, shown by either: (Met)
    o body surface area involvement of 10% or more, or
    o involvement of the face, hands, feet or genital area
- A negative tuberculosis test within the past 12 months (Not documented)
"""


def test_a_status_above_the_sub_bullets_keeps_them_in_the_criterion() -> None:
    criteria = read_criteria(SUB_BULLETS)
    first = criteria[0]
    assert "body surface area involvement of 10% or more" in first.text
    assert "genital area" in first.text
    assert "(Met)" not in first.text
    assert first.payer_status == "met"
    assert criteria[1].payer_status == "not_documented"


CROSSOVER = """\
Pinecrest Health Insurance
Medical Review for Oral and Maxillofacial Services

Member: Oscar T. Lindqvist   Member ID: PHI-20448710
Group: Northfield Teachers Union Health Trust

You asked us to approve:

  CPT 21196 Reconstruction of mandibular rami, sagittal split
  D7940 Osteoplasty - for orthognathic deformities (billed to the dental plan; not reviewed
  here)
"""


def test_crossover_reads_the_payer_the_trust_and_only_the_codes_it_decides() -> None:
    assert find_insurer(CROSSOVER) == "Pinecrest Health Insurance"
    assert find_plan_sponsor(CROSSOVER) == "Northfield Teachers Union Health Trust"
    assert [s.code for s in find_requested(CROSSOVER)] == ["21196"]


def test_a_benefit_manager_for_a_plan_is_still_read_as_that_plan() -> None:
    letter = "Radiology Benefit Management for Lakeshore Family Health Plan\n\nDear member,\n"
    assert find_insurer(letter) == "Lakeshore Family Health Plan"


AMBULANCE = """\
Service date   Description                               Code     Mod   Units   Billed
06/22/2026     BLS non-emergency ambulance transport     A0428    RH    1       $685.00

Why we did not pay: The plan pays for a non-emergency ambulance ride only if the member is
bed-confined (unable to get up from bed without help) and a physician certification
statement, signed no more than 60 days before the transport, is on file. The clinic note says
the member walked into the clinic, so the bed-confinement requirement was not met. We did not
receive a physician certification statement.
"""


def test_a_second_clause_with_its_own_subject_is_a_criterion_and_an_aside_stays_in_it() -> None:
    criteria = read_criteria(AMBULANCE)
    assert [(c.text, c.payer_status) for c in criteria] == [
        ("the member is bed-confined (unable to get up from bed without help)", "not_met"),
        (
            "a physician certification statement, signed no more than 60 days before the "
            "transport, is on file",
            "not_documented",
        ),
    ]


def test_an_ambulance_origin_destination_modifier_is_read_from_its_column() -> None:
    [service] = find_requested(AMBULANCE)
    assert (service.code, service.units, service.modifiers) == ("A0428", 1, ["RH"])


def test_reviewer_and_peer_to_peer_told_in_prose() -> None:
    from pipeline.extract import find_peer_to_peer, find_peer_to_peer_line, find_reviewer

    letter = (
        "The reviewing physician was Adaeze Okonkwo-Lind, MD, Orthopaedic Surgery. Your surgeon "
        "may discuss this decision with her by calling 1-877-555-0113 within 14 days of this "
        "letter.\n"
    )
    assert find_reviewer(letter) == "Adaeze Okonkwo-Lind, MD"
    assert find_peer_to_peer(letter)
    assert find_peer_to_peer_line(letter) == ("1-877-555-0113", "within 14 days of this letter")
    assert find_reviewer("Policy HI-12. Reviewer: Cassius Brandt, MD.\n") == "Cassius Brandt, MD"
    # therapy credentials are credentials; with a physician named after 'and', the physician
    # decides (7017be4)
    assert find_reviewer("Reviewer: Celestine Broussard, PT, DPT\n") == (
        "Celestine Broussard, PT, DPT"
    )
    assert find_reviewer("Reviewer: Celestine Broussard, PT, DPT, and Jo Fontenot, MD\n") == (
        "Jo Fontenot, MD"
    )


BYPASS = """\
Medical Policy SUR-210 requires that all of the following be documented:

  •  Age 18 years or older
  •  Body mass index meeting one of these:
       o  BMI >= 40 kg/m2, or
       o  BMI >= 35 kg/m2 with at least one obesity-related comorbidity
  •  Participation in a weight management program for at least 6 consecutive months
  •  A psychological evaluation by a licensed mental health professional

Our review found that the age and body mass index requirements are met. The weight
management records cover 3 months only, so that requirement is not met. We did not
receive the psychological evaluation.
"""


def test_named_verdict_on_several_criteria_and_our_review_as_narrative() -> None:
    criteria = read_criteria(BYPASS)
    assert [c.payer_status for c in criteria] == ["met", "met", "not_met", "not_documented"]


HEARING = """\
Why we did not pay: Juniper Valley covers binaural hearing aids once every 36 months when an
audiogram shows a hearing loss of at least 40 dB in each ear, and when the member has been
evaluated by an otolaryngologist within the past 6 months to rule out a medical cause. The
audiogram dated 04/02/2026 shows losses of 45 dB and 50 dB, which meets the first requirement.
We did not receive a record of the otolaryngology evaluation.
"""


def test_narrative_reaches_its_criterion_by_word_roots() -> None:
    criteria = read_criteria(HEARING)
    assert [c.payer_status for c in criteria] == ["met", "not_documented"]
    assert criteria[1].payer_reason == (
        "We did not receive a record of the otolaryngology evaluation."
    )
    assert "specialist" in [r.kind for r in criteria[1].requirements]


def test_one_code_on_two_lines_with_other_modifiers_is_two_services() -> None:
    eob = (
        "Line  Service date  Code    Mod  Units  Charged\n"
        "1     03/02/2026    L3020   RT   1      $410.00\n"
        "2     03/02/2026    L3020   LT   1      $410.00\n"
    )
    assert [(s.code, s.units, s.modifiers) for s in find_requested(eob)] == [
        ("L3020", 1, ["RT"]),
        ("L3020", 1, ["LT"]),
    ]
    # a later mention that adds a modifier to the same service still merges
    merged = find_requested("Request: CPT 69930 cochlear implant, 1 unit (69930-RT).\n")
    assert [(s.code, s.modifiers) for s in merged] == [("69930", ["RT"])]


DME_TAIL = """\
Pine River covers a power wheelchair only when all of these are documented:
  * the member has a mobility limitation that prevents daily activities in the home;
  * a face-to-face mobility examination was done within 6 months before the order.
Negative pressure wound therapy (E2402) is covered for a stage 3 or 4 pressure ulcer after at
least 30 days of standard wound care.
The mobility examination note you sent is dated 07/2025. The wound records show 10 days of
standard care only.
"""


def test_a_coverage_sentence_after_a_list_is_a_criterion_of_its_own() -> None:
    criteria = read_criteria(DME_TAIL)
    assert [c.text for c in criteria][-1] == (
        "a stage 3 or 4 pressure ulcer after at least 30 days of standard wound care"
    )
    assert criteria[-1].payer_reason == "The wound records show 10 days of standard care only."
    assert criteria[1].payer_reason == "The mobility examination note you sent is dated 07/2025."


def test_a_short_subject_before_must_is_an_added_criterion_and_doses_are_units() -> None:
    letter = (
        "Allergy Policy AI-06 requires each of the following:\n\n"
        "1. Symptoms after natural exposure to the allergen.\n"
        "2. Positive skin or blood tests for IgE to the allergens in the extract.\n\n"
        "Additionally, asthma must be under control, with an FEV1 of at least 70% of predicted,\n"
        "before the first injection. Spirometry was not included with the request.\n"
    )
    criteria = read_criteria(letter)
    assert criteria[-1].text == (
        "asthma must be under control, with an FEV1 of at least 70% of predicted, before the "
        "first injection"
    )
    assert criteria[-1].payer_status == "not_documented"
    [service] = find_requested("Service: CPT 95165 Preparation of antigen, 60 doses\n")
    assert (service.code, service.units) == ("95165", 60)


def test_a_product_under_a_plan_label_is_not_the_insurer_named_in_the_letterhead() -> None:
    letter = (
        "ROCKWELL VALLEY HEALTH INSURANCE COMPANY\nUtilization Management\n\n"
        "Member ID: RV-1\nPlan: Valley Choice PPO 1500 (fully insured large group)\n"
        "Group: Ashgrove Printing Co. (Group No. 4471-KS)\n"
    )
    assert find_insurer(letter) == "ROCKWELL VALLEY HEALTH INSURANCE COMPANY"
    assert find_plan_sponsor(letter) == "Ashgrove Printing Co."


def test_a_sponsor_label_ends_where_the_next_label_on_its_line_begins() -> None:
    letter = "Plan: ORCHARD FOODS GROUP HEALTH PLAN (Self-Funded)    Group #: OF-00912\n"
    assert find_plan_sponsor(letter) == "ORCHARD FOODS GROUP HEALTH PLAN"


def test_a_remark_covered_only_when_a_or_when_b_is_one_any_of_criterion() -> None:
    letter = (
        "REMARK CODES\n"
        "CO50   These are non-covered services because this is not deemed a medical necessity.\n"
        "XR2    Ground ambulance transport is covered only when the member's condition makes any\n"
        "       other way of travel unsafe, or when the member must lie flat and cannot sit up.\n"
        "       Based on the records received, the member could sit up and other travel was safe.\n"
        "XR5    The plan may consider benefits at the basic life support level if the provider\n"
        "       submits a corrected claim.\n"
    )
    criteria = read_criteria(letter)
    assert [(c.logic, c.payer_status) for c in criteria] == [("any", "not_met")]
    assert criteria[0].text.endswith("or when the member must lie flat and cannot sit up")
    assert criteria[0].payer_reason == (
        "Based on the records received, the member could sit up and other travel was safe."
    )


def test_an_inline_all_of_list_after_a_coverage_rule_gives_its_items() -> None:
    letter = (
        "Section 5.1 says that the Plan will cover a service from an out-of-network provider"
        " when all of the following are true: no network provider offers the service within"
        " 50 miles; the member has been under the provider's care for at least 90 days; and"
        " the treating physician certifies that a transfer of care would be unsafe.\n"
    )
    assert [c.text for c in read_criteria(letter)] == [
        "no network provider offers the service within 50 miles",
        "the member has been under the provider's care for at least 90 days",
        "the treating physician certifies that a transfer of care would be unsafe",
    ]


def test_a_finding_with_its_own_subject_is_not_part_of_what_was_not_shown() -> None:
    letter = (
        "We denied the inpatient stay.\n\n"
        "The records did not show that you needed care that could only be given in a hospital,"
        " such as telemetry or intravenous drips, and your blood pressure was normal by the"
        " second day.\n"
    )
    assert [c.text for c in read_criteria(letter)] == [
        "you needed care that could only be given in a hospital, such as telemetry or"
        " intravenous drips"
    ]
