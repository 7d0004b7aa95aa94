"""The letter's shape as a physician writes it: each fact under the criterion it answers (a record
a criterion names by its kind, never a treatment for another condition in a table up front), no
criterion left as a bare quote (what is asked instead), one line for the one-of routes not
relied on, and the patient named in full once."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from pipeline import letter_format as lf
from pipeline.draft import (
    _first_person,
    _named_once,
    _request_topics,
    _treats_another_condition,
)
from pipeline.engines import ArgumentRequest
from pipeline.models import (
    CaseFacts,
    Criterion,
    CriterionVerdict,
    DenialAnalysis,
    PriorTreatment,
    Requirement,
    RequirementKind,
    RequirementVerdict,
)
from pipeline.reasoning.argument import argue, records_named
from pipeline.reasoning.strategy import open_asks

_CASE = CaseFacts.model_validate(
    {
        "patient": {"name": "Anthony J. Castellano"},
        "diagnoses": [
            {"code": "C78.01", "description": "Secondary malignant neoplasm of right lung"},
            {"code": "J44.9", "description": "Chronic obstructive pulmonary disease, unspecified"},
            {"code": "E11.9", "description": "Type 2 diabetes mellitus without complications"},
        ],
        "service": {"code": "77373", "description": "Stereotactic body radiation therapy"},
        "clinical_summary": "He had two lung metastases. He is fit for treatment.",
        "objective_findings": [
            {"name": "Thoracic surgery consultation (A. Surgeon, MD)", "value": "High risk",
             "date": dt.date(2026, 3, 30)},
            {"name": "Radiation oncology consultation", "value": "ECOG 1",
             "date": dt.date(2026, 4, 6)},
            {"name": "Medical oncology written consultation (B. Oncologist, MD)",
             "value": "Not in our records; requested on November 20, 2026; not yet received",
             "date": dt.date(2026, 11, 20)},
        ],
    }
)  # fmt: skip


def test_a_criterion_names_the_record_of_its_kind_by_every_word_of_its_name() -> None:
    surgery = "Resection carries higher risk, as documented by a thoracic surgery evaluation"
    oncology = "A medical oncology evaluation documents the systemic therapy plan"
    assert records_named(surgery, _CASE) == ["objective_findings[0]"]
    # 'medical' tells the medical from the radiation oncology consultation
    assert records_named(oncology, _CASE) == ["objective_findings[2]"]
    assert records_named("Each lesion measures 5 cm or less", _CASE) == []


def _open(index: int, text: str) -> CriterionVerdict:
    requirement = Requirement(kind=RequirementKind.test_done, subject="evaluation", span=text)
    unknown = RequirementVerdict(
        requirement=requirement, status="unknown", required="an evaluation", found="none"
    )
    return CriterionVerdict(
        index=index, criterion=Criterion(text=text), status="unknown", requirements=[unknown]
    )


def test_a_criterion_with_nothing_compared_states_what_is_asked_never_a_bare_quote() -> None:
    texts = [
        "Resection carries higher risk, as documented by a thoracic surgery evaluation",
        "A medical oncology evaluation documents the systemic therapy plan",
        "The member lives in the service area",
        "A radiation oncology evaluation documents the treatment plan",
    ]
    verdicts = [_open(i, t) for i, t in enumerate(texts)]
    analysis = DenialAnalysis(criteria=[v.criterion for v in verdicts])
    request = ArgumentRequest(
        analysis=analysis, case=_CASE, passages=[], verdicts=verdicts, today=dt.date(2026, 12, 1)
    )
    arguments = [a.argument for a in argue(request)]
    first, pending, again, _short = open_asks()
    # the record the criterion names answers it: no request to decide on the records beside it
    assert arguments[0].rstrip(".").endswith("Thoracic surgery consultation (A. Surgeon, MD) "
                                             "(March 30, 2026): High risk")  # fmt: skip
    assert not any(ask in arguments[0] for ask in (first, pending, again))
    # a record still to come: sent when it arrives, approval on condition of it
    assert "Medical oncology written consultation" in arguments[1]
    assert arguments[1].endswith(pending)
    # nothing named: never a bare quote, the ask said in full once
    assert arguments[2].endswith(first)
    assert sum(first in a for a in arguments) == 1
    # the records a later section lists answer it: no ask there either
    assert "Radiation oncology consultation" in arguments[3]
    assert not any(ask in arguments[3] for ask in (first, pending, again))


def test_a_treatment_for_another_of_the_patients_conditions_is_left_out_of_the_table() -> None:
    letter = SimpleNamespace(
        letter_text="Criterion (e): surgical evaluation. Criterion (b): 1 to 3 lesions.",
        case=_CASE,
        analysis=DenialAnalysis(criteria=[Criterion(text="1 to 3 metastatic lesions")]),
    )

    def treats(name: str, outcome: str) -> bool:
        treatment = PriorTreatment(name=name, outcome=outcome)
        request = _request_topics(letter)  # type: ignore[arg-type]
        return _treats_another_condition(letter, treatment, request)  # type: ignore[arg-type]

    assert treats("Metformin", "Diabetes controlled")
    assert treats("Tiotropium/olodaterol", "COPD stable")  # the diagnosis's initials
    # the appealed condition's own treatment, and one that names no other condition, stay
    assert not treats("Laparoscopic sigmoid colectomy", "R0 resection; 2 lesions")
    assert not treats("Atorvastatin", "LDL at goal")


def test_the_patient_is_named_in_full_once_then_by_title() -> None:
    patient = SimpleNamespace(name="Anthony J. Castellano Jr.", date_of_birth=dt.date(1965, 1, 27))
    case = SimpleNamespace(patient=patient, clinical_summary="61-year-old contractor.")
    letter = SimpleNamespace(case=case, pronoun="he", gaps={}, today=dt.date(2026, 11, 24))
    text = "\n".join(
        [
            "Re: Appeal of denial — Anthony J. Castellano Jr., Member ID 1",
            "I am Anthony J. Castellano Jr.'s physician. Anthony J. Castellano Jr. has cancer.",
            "| Patient | Anthony J. Castellano Jr. |",
            "I ask that you approve it for Anthony J. Castellano Jr..",
        ]
    )
    named = _named_once(letter, text)  # type: ignore[arg-type]
    lines = named.split("\n")
    assert lines[0] == "Re: Appeal of denial — Anthony J. Castellano Jr., Member ID 1"
    assert lines[1] == "I am Anthony J. Castellano Jr.'s physician. Mr. Castellano has cancer."
    assert lines[2] == "| Patient | Anthony J. Castellano Jr. |"
    assert lines[3] == "I ask that you approve it for Mr. Castellano."
    # no title is guessed when the physician's text gives no pronoun
    unknown = SimpleNamespace(case=case, pronoun=None, gaps={}, today=letter.today)
    assert _named_once(unknown, text) == text  # type: ignore[arg-type]
    # nor is a child 'Mr.'
    child = SimpleNamespace(name=patient.name, date_of_birth=dt.date(2016, 3, 1))
    young = SimpleNamespace(case=SimpleNamespace(patient=child), pronoun="he", gaps={},
                            today=letter.today)  # fmt: skip
    assert _named_once(young, text) == text  # type: ignore[arg-type]


def test_the_one_of_routes_not_relied_on_share_one_line_the_validator_reads() -> None:
    names = ["I.A", "I.B", "I.C"]
    sentence = lf.not_relied_sentence(
        ["I.A", "I.C"], "your policy needs only one of criteria I.A, I.B and I.C", "Mr. X",
        "criterion I.B",
    )  # fmt: skip
    assert sentence == (
        "I do not rely on criteria I.A and I.C: your policy needs only one of criteria I.A, I.B "
        "and I.C, and Mr. X meets criterion I.B."
    )
    assert lf.met_by_notice(sentence, names, lf.NOT_RELIED_RE) == {1, 3}
    # the line under one criterion ('this criterion') names none
    assert (
        lf.met_by_notice("I do not rely on this criterion: ...", names, lf.NOT_RELIED_RE) == set()
    )


def test_the_signing_physician_designated_by_the_patient_is_me() -> None:
    said = "Mr. Castellano designated Dr. Vasquez-Thornbury as his authorized representative."
    assert _first_person(said, "Simone R. Vasquez-Thornbury") == (
        "Mr. Castellano designated me as his authorized representative."
    )
