"""Labelled families for five wrong-verdict shapes blind letters showed (issue 17): a scale's
cut-off answered by another scale's score; a time window met by an unrelated dated finding; a
specialist's evaluation met by a lab value; an over-the-counter or low-strength course counted as
the prescription-strength one the criterion asks for; and an age band the patient is outside of
argued instead of not applying.

The requirements are typed as the rules type the criterion's words (``parse_requirements``), as
a letter's are. Keys name the facts that answer each criterion; an empty key means no fact of the
case answers it (any evidence is wrong). ``expect`` gives a status only where the record settles
it; 'not_applicable' is a criterion for a population the patient is not in.

The held-out families were written with the tuned ones on 2026-12-07, after the code for these
shapes was written against the tuned ones and before it was measured on them, and were not looked
at while changing it.
"""

from __future__ import annotations

import datetime as dt

from evals.reasoning.cases import F, Family, T
from pipeline.requirements import parse_requirements

D = dt.date


def P(text: str) -> tuple[str, str, list[dict]]:
    """A criterion with its requirements as the rules type its words."""
    requirements, logic = parse_requirements(text)
    return text, logic, [r.model_dump(exclude_defaults=True) for r in requirements]


def person(born: dt.date, specialty: str) -> dict:
    """A case's patient (date of birth) and physician (specialty), as case-file fields."""
    return {"patient": {"date_of_birth": born}, "physician": {"specialty": specialty}}


SHAPE_FAMILIES: list[Family] = [
    # ----------------------------------------------------------------------------- tuned
    Family(
        "sleep-shapes",
        "tune",
        D(2026, 11, 20),
        [
            P("Epworth Sleepiness Scale score of 14.5 or greater"),
            P("Home sleep apnea test within the last 6 months showing an AHI of 15 or more"),
            P("For members age 12-17: pediatric sleep specialist review"),
            P("Body mass index of 30 or greater"),
        ],
        [
            T("Positional therapy", "therapy", D(2026, 6, 1), D(2026, 8, 1), outcome="No change"),
        ],
        [
            F("rating_scale", "STOP-BANG", "6", D(2026, 10, 2)),
            F("lab", "Hemoglobin", "14.1 g/dL", D(2026, 10, 10)),
            F("vital", "BMI", "34.2 kg/m2", D(2026, 10, 2)),
            F("imaging", "Chest X-ray", "No acute findings", D(2026, 9, 15)),
        ],
        [set(), set(), set(), {"objective_findings[2]"}],
        summary="He snores loudly, and his wife has witnessed pauses in his breathing at night.",
        extra=person(D(1959, 3, 14), "Sleep Medicine"),
        expect=[None, None, "not_applicable", "met"],
    ),
    Family(
        "derm-strength",
        "tune",
        D(2026, 11, 20),
        [
            P(
                "Inadequate response to a trial of a prescription-strength topical "
                "corticosteroid for at least 4 weeks"
            ),
            P("Evaluation by a dermatologist"),
            P("Eczema Area and Severity Index (EASI) score of 16 or greater"),
        ],
        [
            T(
                "Hydrocortisone 1% cream (over the counter)",
                "medication",
                D(2026, 5, 1),
                D(2026, 7, 1),
                dose="1%",
                frequency="twice daily",
                outcome="No improvement",
            ),
            T(
                "Triamcinolone 0.1% ointment",
                "medication",
                D(2026, 7, 5),
                D(2026, 8, 20),
                dose="0.1%",
                frequency="twice daily",
                outcome="Inadequate response",
            ),
            T(
                "Cetirizine",
                "medication",
                D(2026, 5, 1),
                None,
                dose="10 mg",
                frequency="once daily",
                outcome="No improvement of itch",
            ),
        ],
        [
            F("lab", "Total IgE", "2400 IU/mL", D(2026, 10, 10)),
            F("rating_scale", "EASI", "24", D(2026, 10, 2)),
            F(
                "exam",
                "Dermatology consultation",
                "Severe atopic dermatitis over 40% of body surface",
                D(2026, 9, 1),
            ),
        ],
        [{"prior_treatments[1]"}, {"objective_findings[2]"}, {"objective_findings[1]"}],
        extra=person(D(1985, 5, 2), "Internal Medicine"),
        expect=["met", "met", "met"],
    ),
    Family(
        "crohn-shapes",
        "tune",
        D(2026, 11, 20),
        [
            P("Assessment by a gastroenterologist within the past 6 months"),
            P("GI evaluation confirming moderate to severe disease"),
            P("Ophthalmology exam within the last 12 months"),
        ],
        [
            T(
                "Prednisone",
                "medication",
                D(2026, 6, 1),
                D(2026, 8, 1),
                dose="40 mg",
                frequency="once daily",
                outcome="Steroid dependent",
            ),
        ],
        [
            F("lab", "Fecal calprotectin", "450 ug/g", D(2026, 10, 10)),
            F("lab", "Hepatic function panel", "Normal", D(2026, 10, 10)),
            F(
                "exam",
                "Gastroenterology clinic visit",
                "Active ileal Crohn's disease, Harvey-Bradshaw Index 11",
                D(2026, 9, 15),
            ),
            F("lab", "Hemoglobin", "10.9 g/dL", D(2026, 10, 10)),
        ],
        [{"objective_findings[2]"}, {"objective_findings[2]"}, set()],
        extra=person(D(1985, 5, 2), "Internal Medicine"),
        expect=["met", "met"],
    ),
    # -------------------------------------------------------------------------- held out
    Family(
        "psych-shapes",
        "heldout",
        D(2026, 10, 15),
        [
            P("Hamilton Depression Rating Scale (HAM-D) score of 20 or greater"),
            P("Adolescents aged 13 to 17 years: documented participation in family therapy"),
            P("Psychiatric evaluation within the past 90 days"),
            P("Failure of at least 2 antidepressants"),
        ],
        [
            T(
                "Sertraline",
                "medication",
                D(2025, 10, 1),
                D(2026, 2, 1),
                dose="200 mg",
                frequency="once daily",
                outcome="Inadequate response",
            ),
            T(
                "Venlafaxine XR",
                "medication",
                D(2026, 2, 10),
                D(2026, 8, 1),
                dose="225 mg",
                frequency="once daily",
                outcome="Inadequate response",
            ),
        ],
        [
            F("rating_scale", "MADRS", "32", D(2026, 9, 20)),
            F("rating_scale", "GAD-7", "15", D(2026, 9, 20)),
            F("lab", "TSH", "2.1 mIU/L", D(2026, 9, 1)),
            F(
                "exam",
                "Psychiatry consultation",
                "Major depressive disorder, recurrent, severe",
                D(2026, 9, 20),
            ),
        ],
        [set(), set(), {"objective_findings[3]"}, {"prior_treatments[0]", "prior_treatments[1]"}],
        extra=person(D(1980, 4, 2), "Family Medicine"),
        expect=[None, "not_applicable", "met", "met"],
    ),
    Family(
        "knee-nsaid",
        "heldout",
        D(2026, 11, 2),
        [
            P("Trial of a prescription-strength NSAID for at least 4 weeks"),
            P("Evaluation by an orthopedic surgeon"),
            P("Knee radiograph within the past 12 months"),
        ],
        [
            T(
                "Ibuprofen 200 mg",
                "medication",
                D(2026, 3, 1),
                D(2026, 5, 1),
                dose="200 mg",
                frequency="three times daily",
                outcome="No relief",
            ),
            T(
                "Meloxicam",
                "medication",
                D(2026, 5, 10),
                D(2026, 7, 1),
                dose="15 mg",
                frequency="once daily",
                outcome="Inadequate relief",
            ),
            T(
                "Physical therapy",
                "therapy",
                D(2026, 7, 5),
                D(2026, 9, 1),
                outcome="Minimal improvement",
            ),
        ],
        [
            F("lab", "ESR", "28 mm/hr", D(2026, 10, 1)),
            F("exam", "Knee examination", "Medial joint line tenderness, effusion", D(2026, 10, 1)),
        ],
        [{"prior_treatments[1]"}, set(), set()],
        extra=person(D(1962, 1, 10), "Family Medicine"),
        expect=["met"],
    ),
]
