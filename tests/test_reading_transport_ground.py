"""Transport as a ground the reading types (DenialAnalysis.ground, issue 17): a notice finding
that another means of transport would have done is read once, here, with what it offers
instead; the strategy selects its argument from the typed ground, not from its own words."""

from __future__ import annotations

from pipeline.grounds import read_ground
from pipeline.models import Criterion, DenialAnalysis, GroundKind
from pipeline.reasoning.grounds import select

AIR = (
    "Claim 55-210: A0430 fixed wing air ambulance and A0435 mileage were denied. The records show "
    "the member was stable for the trip, and ground ambulance transport would have been "
    "appropriate. Payment may be considered at the ground basic life support level if a "
    "corrected claim is sent."
)
PRIVATE = (
    "We reviewed the ambulance run sheet for the 02/11/2026 trip. The member walked to the "
    "vehicle and was alert, so transport by private vehicle would not have endangered her health."
)


def test_an_air_ambulance_notice_reads_as_transport_with_the_plans_alternative() -> None:
    ground = read_ground(AIR)
    assert ground is not None and ground.kind is GroundKind.transport
    assert "ground ambulance transport would have been appropriate" in ground.statement
    assert ground.alternative == "ground basic life support level"
    assert not ground.necessity_conceded


def test_a_private_vehicle_finding_reads_as_transport() -> None:
    ground = read_ground(PRIVATE)
    assert ground is not None and ground.kind is GroundKind.transport
    assert ground.alternative == "private vehicle"


def test_transport_is_read_beside_the_criteria_the_notice_lists() -> None:
    listed = [Criterion(text="the member is bed-confined and cannot sit in a chair")]
    ground = read_ground(PRIVATE, listed)
    assert ground is not None and ground.kind is GroundKind.transport


def test_a_policy_rule_naming_ground_transport_is_no_finding() -> None:
    rule = (
        "Air ambulance is covered only when ground ambulance transport could not safely reach "
        "the nearest appropriate hospital. Air transport was not shown to be needed; the "
        "records do not document the distance."
    )
    assert read_ground("Knee MRI denied: not medically necessary.") is None
    assert read_ground(rule) is None


def test_the_strategy_takes_transport_from_the_typed_ground_only() -> None:
    assert select(DenialAnalysis(), AIR) is None  # no word scoring of its own
    found = select(DenialAnalysis(ground=read_ground(AIR)), AIR)
    assert found is not None and found.spec.key == "transport"
