"""Labelled families for the false 'met' verdicts blind judges found in the letters of stop 34
(issue 17), each a shape, never one drug or one test:

(a) met from the wrong KIND of fact: a documented hypersensitivity met by a negative genetic risk
    screen; a negative screening test met by an indeterminate or an expired result (a screening
    requirement is met only by a negative result inside its validity window); a translation limit
    compared with a disc-height value in the same report (a measure answers only a requirement of
    its kind); a named clinical score (CHA2DS2-VASc, CHADS2) never computed from the components the
    case records;
(c) a daily dose asked for ('at least 600 mg/day') answered from strength x tablets x frequency;
(d) an event's date taken from a treatment's stop date instead of the clause naming the event.

The requirements are typed as the rules type the criterion's words (``parse_requirements``).
Keys name the facts that answer each criterion (for or against); ``expect`` gives a status only
where the record settles it.

Both slices were written on 2026-12-07 (session 35) before any code for these shapes was changed;
the held-out families were not looked at while the code was changed.
"""

from __future__ import annotations

import datetime as dt

from evals.reasoning.cases import F, Family, T
from evals.reasoning.shape_families import P

D = dt.date


def _patient(born: dt.date, specialty: str, **more: object) -> dict:
    return {"patient": {"date_of_birth": born}, "physician": {"specialty": specialty}, **more}


def _dx(*codes: tuple[str, str]) -> list[dict]:
    return [{"code": c, "description": d} for c, d in codes]


KIND_FAMILIES: list[Family] = [
    # ----------------------------------------------------------------------------- tuned
    Family(  # (a) a negative risk screen is no reaction; (c) daily dose from the tablets
        "gout-kinds",
        "tune",
        D(2026, 11, 3),
        [
            P("Documented hypersensitivity or contraindication to allopurinol"),
            P("Allopurinol at a dose of at least 600 mg/day for at least 3 months"),
            P("Febuxostat at 80 mg/day for at least 3 months"),
        ],
        [
            T(
                "Allopurinol 300 mg tablets",
                "medication",
                D(2022, 6, 13),
                D(2023, 1, 31),
                dose="300 mg tablet, 2 tablets",
                frequency="once daily",
                outcome="Serum uric acid never below 6.0 mg/dL",
            ),
            T(
                "Allopurinol 700 mg daily",
                "medication",
                D(2023, 2, 1),
                D(2023, 2, 25),
                dose="700 mg",
                frequency="once daily",
                outcome=(
                    "Hypersensitivity reaction: maculopapular rash with eosinophilia on "
                    "2023-02-24; allopurinol stopped and listed as an allergy"
                ),
            ),
            T(
                "Febuxostat 40 mg tablets",
                "medication",
                D(2023, 3, 6),
                D(2026, 10, 1),
                dose="40 mg",
                frequency="twice daily",
                outcome="Serum uric acid never below 6.0 mg/dL",
            ),
        ],
        [
            F("lab", "Serum uric acid", "7.9 mg/dL", D(2026, 10, 6)),
            F("lab", "eGFR", "52 mL/min/1.73 m2", D(2026, 10, 6)),
        ],
        [{"prior_treatments[1]"}, {"prior_treatments[0]"}, {"prior_treatments[2]"}],
        summary=(
            "He has chronic tophaceous gout. HLA-B*58:01 was negative before allopurinol was "
            "started. He coaches youth baseball."
        ),
        extra=_patient(D(1964, 8, 23), "Rheumatology"),
        expect=["met", "met", "met"],
    ),
    Family(  # (a) an indeterminate and an expired screening test meet no negative screening
        "tb-expired",
        "tune",
        D(2026, 10, 1),
        [
            P(
                "Negative tuberculosis screening (interferon-gamma release assay or tuberculin "
                "skin test) within the 12 months before the first dose"
            ),
            P("Negative hepatitis B surface antigen"),
        ],
        [
            T(
                "Adalimumab",
                "medication",
                D(2024, 1, 10),
                D(2026, 6, 1),
                dose="40 mg",
                frequency="every 2 weeks",
                outcome="Secondary loss of response",
            ),
        ],
        [
            F("lab", "QuantiFERON-TB Gold", "Negative", D(2023, 12, 11)),
            F(
                "lab",
                "QuantiFERON-TB Gold Plus",
                "Indeterminate (low mitogen response)",
                D(2026, 9, 15),
            ),
            F("lab", "Hepatitis B surface antigen", "Negative", D(2026, 9, 15)),
        ],
        [{"objective_findings[0]", "objective_findings[1]"}, {"objective_findings[2]"}],
        extra=_patient(D(1971, 3, 2), "Dermatology"),
        expect=["not_met", "met"],
    ),
    Family(  # (a) a named score computed from the components the case records
        "af-score",
        "tune",
        D(2026, 10, 2),
        [P("A CHADS2 score of 2 or more, or a CHA2DS2-VASc score of 3 or more")],
        [
            T(
                "Apixaban",
                "medication",
                D(2024, 3, 1),
                D(2026, 5, 10),
                dose="5 mg",
                frequency="twice daily",
                outcome="Stopped after two transfusion-requiring gastrointestinal bleeds",
            ),
        ],
        [F("imaging", "Transthoracic echocardiogram", "LVEF 40%", D(2026, 4, 2))],
        [{"diagnoses[1]", "diagnoses[2]", "diagnoses[3]"}],
        summary="61-year-old woman with persistent atrial fibrillation since March 2024.",
        extra=_patient(
            D(1965, 6, 18),
            "Cardiac Electrophysiology",
            diagnoses=_dx(
                ("I48.19", "Other persistent atrial fibrillation"),
                ("I50.22", "Chronic systolic (congestive) heart failure"),
                ("I10", "Essential (primary) hypertension"),
                ("E11.9", "Type 2 diabetes mellitus without complications"),
                ("D50.0", "Iron deficiency anemia secondary to blood loss"),
            ),
        ),
        expect=["met"],
    ),
    Family(  # (a) translation is not disc height; (d) the event's date, not the drug's stop date
        "spine-bone-kinds",
        "tune",
        D(2026, 11, 10),
        [
            P(
                "Segmental instability: more than 3.5 mm of translation on flexion-extension "
                "radiographs"
            ),
            P("A fragility fracture within the past 12 months"),
        ],
        [
            T(
                "Alendronate",
                "medication",
                D(2022, 1, 5),
                D(2025, 12, 15),
                dose="70 mg",
                frequency="once weekly",
                outcome="New L1 vertebral fragility fracture on 2025-10-20 while on therapy",
            ),
        ],
        [
            F(
                "imaging",
                "Cervical radiographs with flexion-extension views",
                "C5-C6 disc height 6 mm; 1 mm of translation; 7 degrees of angular motion",
                D(2026, 10, 7),
            ),
            F("imaging", "DXA", "Lumbar spine T-score -2.9", D(2026, 9, 1)),
        ],
        [{"objective_findings[0]"}, {"prior_treatments[0]"}],
        extra=_patient(D(1958, 2, 1), "Orthopedic Surgery"),
        expect=["not_met", "not_met"],
    ),
    # -------------------------------------------------------------------------- held out
    Family(
        "epilepsy-kinds",
        "heldout",
        D(2026, 9, 14),
        [
            P("Documented hypersensitivity reaction to carbamazepine"),
            P("Lamotrigine at a dose of at least 200 mg/day for at least 8 weeks"),
        ],
        [
            T(
                "Carbamazepine",
                "medication",
                D(2025, 2, 1),
                D(2025, 2, 22),
                dose="200 mg",
                frequency="twice daily",
                outcome=(
                    "Stopped after 3 weeks for a drug rash with eosinophilia (hypersensitivity)"
                ),
            ),
            T(
                "Lamotrigine 100 mg tablets",
                "medication",
                D(2025, 4, 1),
                D(2025, 9, 1),
                dose="100 mg",
                frequency="twice daily",
                outcome="Seizures continued, about 3 per month",
            ),
        ],
        [
            F(
                "exam",
                "Seizure diary",
                "3 focal impaired-awareness seizures per month",
                D(2026, 8, 1),
            )
        ],
        [{"prior_treatments[0]"}, {"prior_treatments[1]"}],
        summary="HLA-B*15:02 genotyping was negative. She works as a librarian.",
        extra=_patient(D(1990, 7, 9), "Neurology"),
        expect=["met", "met"],
    ),
    Family(
        "infusion-screen",
        "heldout",
        D(2026, 11, 2),
        [
            P(
                "A negative tuberculin skin test or interferon-gamma release assay within 6 "
                "months before the first infusion"
            ),
            P("DXA T-score of -2.5 or lower"),
        ],
        [],
        [
            F("lab", "T-SPOT.TB", "Indeterminate", D(2026, 8, 20)),
            F("lab", "Tuberculin skin test", "Negative (0 mm induration)", D(2024, 5, 3)),
            F(
                "imaging",
                "DXA scan",
                "Femoral neck bone mineral density 0.62 g/cm2, 68% of young adult mean; "
                "T-score -2.8",
                D(2026, 7, 1),
            ),
        ],
        [{"objective_findings[0]", "objective_findings[1]"}, {"objective_findings[2]"}],
        extra=_patient(D(1955, 1, 20), "Rheumatology"),
        expect=["not_met", "met"],
    ),
    Family(
        "stroke-score-held",
        "heldout",
        D(2026, 8, 3),
        [P("CHA2DS2-VASc score of at least 4")],
        [],
        [F("lab", "Hemoglobin", "9.1 g/dL", D(2026, 7, 1))],
        [{"patient.date_of_birth", "diagnoses[1]", "diagnoses[2]"}],
        summary="76-year-old man with paroxysmal atrial fibrillation and recurrent GI bleeding.",
        extra=_patient(
            D(1950, 2, 11),
            "Cardiology",
            diagnoses=_dx(
                ("I48.0", "Paroxysmal atrial fibrillation"),
                ("I10", "Essential (primary) hypertension"),
                (
                    "Z86.73",
                    "Personal history of TIA and cerebral infarction without residual deficits",
                ),
                ("K92.2", "Gastrointestinal hemorrhage, unspecified"),
            ),
        ),
        expect=["met"],
    ),
    Family(
        "lumbar-hf-kinds",
        "heldout",
        D(2026, 10, 15),
        [
            P("More than 4 mm of translation on flexion-extension radiographs"),
            P("Hospitalization for heart failure within the past 6 months"),
        ],
        [
            T(
                "Furosemide 40 mg",
                "medication",
                D(2025, 6, 1),
                D(2026, 9, 1),
                dose="40 mg",
                frequency="once daily",
                outcome=(
                    "Admitted for decompensated heart failure on 2026-03-02; changed to torsemide"
                ),
            ),
        ],
        [
            F(
                "imaging",
                "Lumbar flexion-extension radiographs",
                "L4-L5 disc height 9 mm; 2 mm translation on flexion",
                D(2026, 9, 20),
            ),
        ],
        [{"objective_findings[0]"}, {"prior_treatments[0]"}],
        extra=_patient(D(1952, 4, 4), "Neurosurgery"),
        expect=["not_met", "not_met"],
    ),
]
