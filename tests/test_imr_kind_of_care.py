"""The IMR coverage eval applies the letters' kind-of-care check, through one definition.

A decision's scope is built by ``Scope.of_service``, which reads the service as ``Scope.of``
reads a letter's case (``relevance._service_fields``): a passage recommending one kind of care
(a knee arthroplasty's NSAID step) covers no decision asking for another (an arthritis drug).
"""

from __future__ import annotations

import datetime as dt

import pytest

from evals.imr_coverage import Coverage, _asked
from pipeline.models import CaseFacts, DenialAnalysis, Diagnosis, PlanType, Service, ServiceKind
from pipeline.relevance import Scope, fits
from pipeline.service_kinds import text_kind
from tests.test_imr_coverage import passage

TERMS = (
    {"Ortho|Osteoarthritis": ["M17"]},
    {"Pharmacy/Prescription Drugs|Arthritis Medications": ["nsaid"]},
)
OA_DRUG = ("Ortho", "Osteoarthritis", "Pharmacy/Prescription Drugs", "Arthritis Medications")


def test_a_decision_is_not_covered_by_a_passage_of_another_kind_of_care() -> None:
    # the eval's scope before this change had no kinds: the surgical passage covered it
    surgical = passage("tka", conditions=["M17"], purpose=["procedure"], text="NSAID trial first.")
    assert not Coverage([surgical], TERMS).covered(OA_DRUG)
    drug = passage("nsaid", conditions=["M17"], purpose=["drug"], text="Oral NSAIDs are advised.")
    assert Coverage([drug], TERMS).covered(OA_DRUG)


def test_the_decisions_scope_is_read_as_a_letters_case_is() -> None:
    scope, _ = _asked(["M17"], ["nsaid"], ("Arthritis Medications", "Pharmacy/Prescription Drugs"))
    assert scope.kinds == {ServiceKind.drug}
    letter = Scope.of(
        DenialAnalysis(plan_type=PlanType.unknown),
        CaseFacts(
            diagnoses=[Diagnosis(code="M17.11")],
            service=Service(description="Pharmacy/Prescription Drugs"),
        ),
        dt.date(2026, 12, 6),
    )
    assert letter.kinds == scope.kinds


def test_of_service_names_the_treatment_in_its_words_and_reads_the_kind_from_its_description() -> (
    None
):
    scope = Scope.of_service(["M54.16"], "epidural ; injection", ["Epidural Injection", "Pain"])
    assert scope.kinds == {ServiceKind.procedure}
    esi = passage("esi", conditions=["M541"], purpose=["procedure"], treatments=["epidural"])
    assert fits(esi, scope)
    assert not fits(esi, Scope.of_service(["M54.16"], "fusion", ["Lumbar fusion"]))


@pytest.mark.parametrize(
    ("description", "kind"),
    [
        ("Lumbar epidural steroid injection", ServiceKind.procedure),
        ("Epidural Injection", ServiceKind.procedure),
        ("Facet joint injection", ServiceKind.procedure),
        ("Lab Work", ServiceKind.test),
        ("OnabotulinumtoxinA (Botox) injection 155 units", ServiceKind.drug),
        ("Adalimumab injection", ServiceKind.drug),
    ],
)
def test_an_injection_procedure_and_lab_work_are_read_as_their_kind(
    description: str, kind: ServiceKind
) -> None:
    assert text_kind(description) is kind
