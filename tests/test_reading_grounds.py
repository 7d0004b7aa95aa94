"""A notice whose ground is not a list of clinical criteria is read as its ground, verbatim
(DenialAnalysis.ground), never as a made-up criterion (issue 15, round 10)."""

from __future__ import annotations

from pipeline.extract import extract
from pipeline.ingest import ingest_text
from pipeline.models import DenialCategory, GroundKind

APPEAL = (
    "\n\nYou have the right to appeal within 180 days. Send your appeal to the plan at PO Box"
    " 10, Springfield, IL 62701, or fax 1-217-555-0110. You may also ask for an external"
    " review, and an out-of-network provider may appeal on your behalf.\n"
)


def read(body: str):
    return extract(ingest_text("Oakhaven Health Plan\nDate: 11/02/2026\n\n" + body + APPEAL))


def test_network_adequacy_with_necessity_conceded() -> None:
    analysis = read(
        "You asked for knee replacement (CPT 27447) by Dr. Ruth Vance, who is not in our"
        " network. We agree that the surgery is medically necessary. Your plan covers care from"
        " an out-of-network surgeon only when no network surgeon can do the surgery within 45"
        " miles. Two network orthopedic surgeons near you can do it within 3 weeks, so the"
        " request is denied. You can have the surgery with an in-network orthopedic surgeon."
    )
    ground = analysis.ground
    assert ground is not None and ground.kind is GroundKind.network_adequacy
    assert ground.necessity_conceded
    assert ground.concession == "We agree that the surgery is medically necessary."
    assert "only when no network surgeon can do the surgery" in ground.statement
    assert ground.alternative == "an in-network orthopedic surgeon"
    assert analysis.criteria == []
    assert analysis.denial_categories[0] is DenialCategory.out_of_network


def test_site_of_care_with_the_drug_approved() -> None:
    analysis = read(
        "The drug (J0129) meets our clinical criteria and is approved. Infusion at the hospital"
        " outpatient department (CPT 96413) is denied: under our Site of Care policy the"
        " infusion is covered in a hospital outpatient setting only for the first dose. The"
        " infusions are covered at an ambulatory infusion center in the network."
    )
    ground = analysis.ground
    assert ground is not None and ground.kind is GroundKind.site_of_care
    assert ground.necessity_conceded
    assert ground.alternative == "at an ambulatory infusion center in the network"
    assert [s.code for s in analysis.requested] == ["96413"]


def test_a_benefit_exclusion_that_leaves_necessity_aside() -> None:
    analysis = read(
        "We are not making a decision about whether the device is medically necessary. Your"
        " plan does not cover hearing aids for adults. The Evidence of Coverage, Section 7,"
        " item 12, excludes hearing aids and their fitting (V5261)."
    )
    ground = analysis.ground
    assert ground is not None and ground.kind is GroundKind.benefit_exclusion
    assert not ground.necessity_conceded and ground.concession is None
    assert ground.provision == "Evidence of Coverage, Section 7, item 12"


def test_an_administrative_ground_is_not_a_criterion() -> None:
    analysis = read(
        "This is not a decision about whether the MRI was medically necessary. Your plan"
        " requires prior authorization for MRI of the spine, and the request was received 9"
        " days after the MRI was done (CPT 72148, date of service 10/01/2026)."
    )
    ground = analysis.ground
    assert ground is not None and ground.kind is GroundKind.administrative
    assert analysis.criteria == []


def test_a_lower_level_of_care_approved_instead() -> None:
    analysis = read(
        "We agree you need rehabilitation after your stroke. We denied admission to an"
        " inpatient rehabilitation facility because your needs can be met at a lower level of"
        " care. We approved care in a skilled nursing facility instead."
    )
    ground = analysis.ground
    assert ground is not None and ground.kind is GroundKind.level_of_care
    assert ground.alternative == "care in a skilled nursing facility"


def test_a_criteria_denial_has_no_ground() -> None:
    analysis = read(
        "We denied the request for CPT 64561 because it does not meet Medical Policy NS-4,"
        " which requires:\n\n1. Urinary urge incontinence for at least 6 months;\n"
        "2. Failure of at least 2 bladder medications.\n\n"
        "The records show one medication only. Ask your doctor about an in-network"
        " urologist if you have questions."
    )
    assert analysis.ground is None
    assert len(analysis.criteria) == 2


def test_a_site_of_service_ground_the_notice_grants_the_need_for() -> None:
    analysis = read(
        "The CT itself is medically necessary, and we do not question the need for it. The CT"
        " at a hospital outpatient department (CPT 74177) is not approved: it is covered there"
        " only when the member needs sedation. The CT can be done at an in-network freestanding"
        " imaging center."
    )
    ground = analysis.ground
    assert ground is not None and ground.kind is GroundKind.site_of_care
    assert ground.necessity_conceded
    assert ground.alternative == "at an in-network freestanding imaging center"


def test_a_network_ground_for_a_participating_specialist_whose_need_is_not_in_question() -> None:
    analysis = read(
        "Your need for it is not in question. Your plan pays for visits with a provider who does"
        " not participate in our network only when no participating provider can see you within"
        " 10 days, so the request (CPT 90837) is denied. You can see a participating therapist."
    )
    ground = analysis.ground
    assert ground is not None and ground.kind is GroundKind.network_adequacy
    assert ground.necessity_conceded
    assert ground.alternative == "a participating therapist"


def test_a_late_admission_notice_is_an_administrative_ground() -> None:
    analysis = read(
        "This is not a medical necessity decision. Your plan requires the hospital to notify us"
        " of an admission within 1 business day, and the notification was received on"
        " 10/20/2026, 9 days after the admission (revenue code 0110)."
    )
    ground = analysis.ground
    assert ground is not None and ground.kind is GroundKind.administrative
    assert analysis.criteria == []


def test_an_exclusion_of_any_item_by_the_plan_is_a_benefit_exclusion() -> None:
    analysis = read(
        "The plan does not cover orthopedic shoes for adults (L3000). The request is denied."
    )
    ground = analysis.ground
    assert ground is not None and ground.kind is GroundKind.benefit_exclusion
    assert ground.statement.startswith("The plan does not cover orthopedic shoes for adults")
