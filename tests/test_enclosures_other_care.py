"""The enclosures of a case's documents list are the records that bear on the appeal: a record
of other care (a screening, a disability rating, another field's clinic) that no criterion
rests on and whose title shares no topic with the appeal is not enclosed."""

from __future__ import annotations

import datetime as dt

from pipeline.models import CaseFacts
from pipeline.reasoning.enclosures import enclosures
from pipeline.reasoning.summary import topics

D = dt.date


def _case(titles: list[str]) -> CaseFacts:
    return CaseFacts.model_validate(
        {
            "patient": {"name": "Ana Lee", "date_of_birth": "1960-01-02"},
            "physician": {"name": "Ines Roth", "specialty": "Radiation Oncology"},
            "diagnoses": [{"code": "C61", "description": "Malignant neoplasm of prostate"}],
            "service": {"code": "77385", "description": "IMRT for prostate cancer"},
            "documents": [{"title": t, "date": D(2026, 10, 2)} for t in titles],
        }
    )


def test_records_of_other_care_are_not_enclosed() -> None:
    titles = [
        "Radiation oncology consultation",
        "Prostate MRI report",
        "Screening colonoscopy report",
        "VA disability rating decision (tinnitus 10%, PTSD 50%)",
        "Dental bitewing radiographs",
        "Pelvic radiographs",
    ]
    case = _case(titles)
    about = topics(
        ["IMRT for prostate cancer is covered when 3D conformal radiographs ...", "Radiation "
         "Oncology", "Malignant neoplasm of prostate"]
    )  # fmt: skip
    listed = [e.title.split(",")[0] for e in enclosures(case, [], about=about)]
    kept = ["Radiation oncology consultation", "Prostate MRI report", "Pelvic radiographs"]
    assert listed == kept
    # without the appeal's topics every document is enclosed, as before
    assert len(enclosures(case, [])) == len(titles)


def test_a_record_of_the_appeals_own_field_is_enclosed() -> None:
    # review38 F16: a specialty's name is no 'other care': an audiology evaluation is a cochlear
    # implant's candidacy record, a dermatology note a psoriatic arthritis biologic's, a
    # cognitive screen an anti-amyloid antibody's
    for service, diagnosis, titles in (
        ("Cochlear implant", "Bilateral sensorineural hearing loss",
         ["Audiology evaluation", "Audiology report"]),
        ("Secukinumab for psoriatic arthritis", "Psoriatic arthritis",
         ["Dermatology consultation", "Dermatology note (BSA 12%)"]),
        ("Lecanemab infusion", "Mild cognitive impairment due to Alzheimer disease",
         ["Cognitive screening (MoCA 21/30)", "Annual wellness visit with cognitive assessment"]),
    ):  # fmt: skip
        case = _case(titles)
        about = topics([service, diagnosis])
        assert [e.title.split(",")[0] for e in enclosures(case, [], about=about)] == titles
