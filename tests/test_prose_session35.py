"""Prose defects a blind judge found (session 35): a criterion that does not apply to this request
argued with facts, and one quantity stated two ways."""

from __future__ import annotations

import datetime as dt

from pipeline.letter_format import PAYER_NOT_APPLICABLE
from pipeline.models import CaseFacts, DenialAnalysis
from pipeline.reasoning.request import drug_request
from tests.reasoning_fixtures import verdict_of

D = dt.date

_NEW_DRUG = {
    "clinical_summary": "69-year-old woman with plaque psoriasis; drug X was chosen after "
    "secondary failure of secukinumab.",
    "service": {"description": "Bimekizumab-bkzx (Bimzelx) 320 mg/2 mL autoinjector"},
    "prior_treatments": [
        {"name": "Secukinumab", "kind": "medication", "outcome": "Secondary loss of response"},
        {"name": "Narrowband UVB phototherapy", "kind": "procedure", "outcome": "PASI 15 to 11"},
    ],
}


def _criterion(text: str, case: dict):
    return verdict_of(text, case, letter_date=D(2026, 9, 4), as_of=D(2026, 11, 13))


# ----------------------------------------------------------------- not for this request


def test_a_reauthorization_criterion_does_not_apply_to_an_initial_request() -> None:
    initial = {**_NEW_DRUG, "service": {**_NEW_DRUG["service"], "details": "Initial request."}}
    verdict = _criterion(
        "Re-authorization only: PASI 75 response, or BSA reduced by 75% or more from "
        "baseline, after 16 weeks of therapy.",
        initial,
    )
    assert "initial request" in verdict.not_applicable
    assert verdict.evidence == [] and verdict.status != "met"


def test_a_drug_the_case_does_not_name_as_taken_is_no_new_start() -> None:
    """review35 F1: a renewal written in other words, a biosimilar switch and a replacement
    device keep their continuation or repeat criterion (absence of a name is no evidence)."""
    renewal = {
        "service": {"description": "Dupilumab (Dupixent) 300 mg/2 mL pen"},
        "clinical_summary": "She has been on Dupixent for 16 weeks; her EASI fell by 60%.",
    }
    assert (
        _criterion("Continuation requests: a 50% reduction in EASI.", renewal).not_applicable == ""
    )
    switch = {
        "service": {"description": "Infliximab-dyyb (Inflectra) 100 mg vial"},
        "clinical_summary": "On Remicade maintenance every 8 weeks since 2024.",
    }
    assert _criterion("Continuation: response documented.", switch).not_applicable == ""
    device = {
        "service": {"description": "Replacement cochlear implant sound processor (Nucleus 8)"},
        "prior_treatments": [{"name": "Cochlear implantation, right", "kind": "procedure"}],
    }
    assert _criterion("Repeat procedures: device failure documented.", device).not_applicable == ""


def test_a_service_without_a_name_leaves_the_request_undecided() -> None:
    therapy = {"service": {"description": "Outpatient physical therapy visits"}}
    assert _criterion("Continuation requests: documented progress.", therapy).not_applicable == ""


def test_a_repeat_procedure_criterion_does_not_apply_to_a_first_device() -> None:
    case = {
        "service": {
            "description": "Left atrial appendage closure (WATCHMAN FLX Pro)",
            "details": "Initial request; first device.",
        },
    }
    verdict = _criterion(
        "Requests for a second device or repeat closure after incomplete closure (leak "
        "larger than 5 mm)",
        case,
    )
    assert "repeat procedures" in verdict.not_applicable
    assert "initial request" in verdict.not_applicable
    # a criterion that requires a repeat, not one for repeat requests, still applies
    assert _criterion("No repeat closure within 12 months.", case).not_applicable == ""


def test_a_criterion_the_notice_says_does_not_apply_is_marked_so() -> None:
    verdict = _criterion(
        "Requirement that does NOT apply to you: Section 3.7 Requests for a second device",
        {"service": {"description": "Percutaneous closure"}},
    )
    assert verdict.not_applicable == PAYER_NOT_APPLICABLE
    # 'does not apply if ...' is a condition, not the notice's finding
    step = _criterion(
        "Step therapy does not apply if the member has a contraindication: trial of two drugs.",
        {"service": {"description": "Percutaneous closure"}},
    )
    assert step.not_applicable == ""


# ----------------------------------------------------------------- one quantity, stated once


def test_a_quantity_that_changes_by_phase_is_stated_as_the_case_states_it() -> None:
    case = CaseFacts.model_validate(
        {
            "service": {
                "description": "Bimekizumab-bkzx (Bimzelx) 320 mg/2 mL single-dose autoinjector",
                "details": "320 mg subcutaneously at weeks 0, 4, 8, 12 and 16, then every 8 "
                "weeks. Quantity: 1 autoinjector per 28 days for the first 5 doses, then 1 "
                "autoinjector per 56 days; 12 months. Monotherapy.",
            }
        }
    )
    notice = "Quantity requested: 1 autoinjector (2 mL) every 28 days x 5 fills\n"
    text = drug_request(DenialAnalysis(), case, notice)
    assert (
        "(quantity 1 autoinjector per 28 days for the first 5 doses, then 1 autoinjector per "
        "56 days; for 12 months)"
    ) in text
    assert "supply" not in text  # the first phase's period is no days' supply of the whole


# ----------------------------------------------------------------- one date style


def test_a_range_of_dates_without_a_year_is_written_in_the_letters_style() -> None:
    from pipeline.letter_format import one_date_style

    assert one_date_style("approved 11/13-11/15 (3 days)") == (
        "approved November 13 to November 15 (3 days)"
    )
    assert one_date_style("flowsheets 11/01-11/13/2026") == (
        "flowsheets November 1 to November 13, 2026"
    )
    assert one_date_style("reports 11/09 and 11/12/2026") == (
        "reports November 9 and November 12, 2026"
    )
    # scores, fractions and a pair that does not run forward in time are no dates
    for text in ("pain from 08/10 to 03/10", "strength 4/5 and 5/5", "11/08: 6 passes"):
        assert one_date_style(text) == text
    assert one_date_style("denied 11/16/2026-11/26/2026") == (
        "denied November 16, 2026 to November 26, 2026"
    )


# ----------------------------------------------------------------- each fact once


def test_a_legal_basis_sentence_restating_the_order_is_left_out() -> None:
    from pipeline.draft import _not_restated

    law = "I request reconsideration of this determination by a physician (42 CFR 422.578)."
    body = (
        f"{law}\n\nThe plan's own decisions bear on this request: lines 3 and 4 (CPT 75572 "
        "cardiac CT and CPT 93306 echo) were approved and are not part of this appeal."
    )
    before = (
        "As ordered: lines 3 and 4 (CPT 75572 cardiac CT and CPT 93306 echo) were approved "
        "and are not part of this appeal."
    )
    assert _not_restated(body, before) == law
    assert _not_restated(body, "As ordered: line 1 only.") == body


# ----------------------------------------------------------------- no gap inside the request


def test_a_gap_of_the_request_stands_on_its_own_line_after_it() -> None:
    from pipeline.draft import _gaps_apart

    text, missing = _gaps_apart(
        "I ask that you reverse the denial and approve HCPCS J0585 155 units per dose for Ms. "
        "B, diagnosis G43.709, [MISSING: the period requested (service.details)]. This appeal "
        "is filed in time."
    )
    assert "[MISSING" not in text
    assert text.endswith("diagnosis G43.709. This appeal is filed in time.")
    assert (
        missing
        == "Still to state in this request: [MISSING: the period requested (service.details)]."
    )
    assert _gaps_apart("I ask that you approve it.") == ("I ask that you approve it.", "")


# ----------------------------------------------------------------- the physician's own sources


def test_a_source_the_physician_cites_is_named_by_body_and_year_without_a_placeholder() -> None:
    from pipeline import relevance

    case = CaseFacts.model_validate(
        {
            "service": {"description": "Bimekizumab"},
            "citations": [
                {
                    "issuing_body": "AAD and NPF",
                    "title": "Joint AAD-NPF guidelines of care for psoriasis with biologics",
                    "year": "2019",
                    "recommendation": "Biologics are a first-line option.",
                }
            ],
        }
    )
    scope = relevance.Scope.of(DenialAnalysis(), case, D(2026, 11, 13))
    (passage,) = relevance.physician_passages(case, scope)
    assert passage.in_text() == "AAD and NPF 2019"
    assert "treating physician." not in passage.reference().split("(Source")[0]
    assert ". ." not in passage.reference()


def test_a_criterion_about_the_request_itself_is_answered_by_the_order() -> None:
    from pipeline.engines.base import ArgumentRequest
    from pipeline.models import Criterion
    from pipeline.reasoning.argument import argue
    from pipeline.requirements import parse_requirements

    text = "Will not be used together with another biologic or targeted systemic drug."
    requirements, logic = parse_requirements(text)
    analysis = DenialAnalysis(
        criteria=[Criterion(text=text, requirements=requirements, logic=logic)],
        letter_date=D(2026, 9, 4),
    )
    case = CaseFacts.model_validate(
        {
            "service": {
                "description": "Bimekizumab-bkzx (Bimzelx) 320 mg/2 mL autoinjector",
                "details": "320 mg every 8 weeks. Monotherapy: secukinumab has been stopped and "
                "will not be combined with bimekizumab or any other biologic or targeted "
                "systemic drug.",
            }
        }
    )
    (argument,) = argue(ArgumentRequest(analysis=analysis, case=case, passages=[]))
    assert "will not be combined with bimekizumab or any other biologic" in argument.argument


def test_the_notices_own_not_applicable_is_the_reason_given() -> None:
    case = {
        "service": {
            "description": "Privigen (immune globulin) 40 g IV every 4 weeks",
            "details": "Initial authorization.",
        },
    }
    verdict = _criterion(
        "Continuation (after 6 months): IgG trough level and reduction in infections.",
        case,
    )
    assert "initial request" in verdict.not_applicable
    said = verdict_of(
        "Continuation (after 6 months): IgG trough level and reduction in infections.",
        case,
        letter_date=D(2026, 9, 4),
        as_of=D(2026, 11, 13),
        payer_status="not_applicable",
    )
    assert said.not_applicable == PAYER_NOT_APPLICABLE


def test_a_record_named_inside_another_is_not_listed_twice() -> None:
    from pipeline.draft import names_once

    assert names_once(["Height", "Height and weight", "Height"]) == ["Height and weight"]
    assert names_once(["KOOS JR", "WOMAC"]) == ["KOOS JR", "WOMAC"]
    assert names_once(["MRI", "MRI brain"]) == ["MRI brain"]


def test_a_sentence_of_the_order_a_criterion_states_is_said_there_only() -> None:
    from pipeline import letter_format as lf
    from pipeline.draft import _said_once

    order = (
        "Monotherapy: secukinumab has been stopped and will not be combined with bimekizumab "
        "or any other biologic."
    )
    bodies = [
        (lf.REQUESTED_SERVICE, f"Bimekizumab 320 mg\n\nAs ordered: 320 mg every 8 weeks. {order}"),
        (lf.CRITERIA, f"### Criterion 7\n\nFrom my records:\n\n- {order}"),
    ]
    said = dict(_said_once(bodies))
    assert said[lf.REQUESTED_SERVICE] == "Bimekizumab 320 mg\n\nAs ordered: 320 mg every 8 weeks."
    assert order in said[lf.CRITERIA]
