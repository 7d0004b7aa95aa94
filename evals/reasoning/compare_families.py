"""Labelled families for the comparison shapes blind letters got wrong (issue 17, session 33):
a drug's dose threshold answered by another drug's trial and the classes of a class-count
criterion miscounted; units that are not comparable (a body-surface percentage against a drug
strength, a Roman-numeral class read as a number, a non-compressible ABI); a pending or merely
ordered test, or a fact dated after the window's anchor, counted as met; a daily morphine
milligram equivalent never computed from the opioid rows; a lab-recency window met by anything
but a dated result of that test; and a psychological evaluation met by an alcohol screen.

The requirements are typed as the rules type the criterion's words (``parse_requirements``), as
a letter's are. Keys name the facts that answer each criterion (every trial of a listed drug or
class, qualifying or not, bears on a class criterion); an empty key means no fact of the case
answers it. ``expect`` gives a status only where the record settles it.

Both slices were written on 2026-12-07 before any code for these shapes was changed; the
held-out families were not looked at while changing it.
"""

from __future__ import annotations

import datetime as dt

from evals.reasoning.cases import F, Family, T
from evals.reasoning.shape_families import P, person

D = dt.date


COMPARE_FAMILIES: list[Family] = [
    # ----------------------------------------------------------------------------- tuned
    Family(
        "neuropathy-classes",
        "tune",
        D(2026, 11, 10),
        [
            P(
                "Trials of at least two of the following drug classes, each at an adequate dose "
                "for at least 8 weeks: (1) a gabapentinoid (gabapentin at least 1,800 mg per day "
                "or pregabalin at least 300 mg per day); (2) a serotonin-norepinephrine reuptake "
                "inhibitor (duloxetine at least 60 mg per day); (3) a tricyclic antidepressant "
                "(amitriptyline at least 25 mg per day)"
            ),
            P("Daily opioid dose of no more than 90 morphine milligram equivalents (MME)"),
            P(
                "Psychological evaluation by a licensed psychologist within the 12 months before "
                "the request"
            ),
            P("Hemoglobin A1c of 8.0% or less within the 90 days before the request"),
        ],
        [
            T(
                "Gabapentin",
                "medication",
                D(2025, 1, 6),
                D(2025, 6, 30),
                dose="600 mg",
                frequency="twice daily",
                outcome="Inadequate relief",
            ),
            T(
                "Pregabalin",
                "medication",
                D(2025, 7, 7),
                D(2025, 10, 6),
                dose="150 mg",
                frequency="twice daily",
                outcome="Inadequate relief",
            ),
            T(
                "Duloxetine",
                "medication",
                D(2025, 10, 13),
                D(2026, 1, 12),
                dose="60 mg",
                frequency="once daily",
                outcome="Inadequate relief",
            ),
            T(
                "Oxycodone",
                "medication",
                D(2026, 2, 1),
                None,
                dose="10 mg",
                frequency="twice daily",
                outcome="Partial relief",
            ),
            T(
                "Tramadol",
                "medication",
                D(2026, 3, 1),
                None,
                dose="50 mg",
                frequency="three times daily",
                outcome="Partial relief",
            ),
        ],
        [
            F("rating_scale", "AUDIT-C", "1", D(2026, 10, 20)),
            F(
                "other",
                "Psychological evaluation for neuromodulation (licensed psychologist)",
                "Interview completed; final written report not yet issued",
                D(2026, 10, 28),
            ),
            F("lab", "Hemoglobin A1c", "7.4%", D(2026, 9, 1)),
            F("lab", "Hemoglobin A1c", "8.6%", D(2026, 11, 20)),
        ],
        [
            {"prior_treatments[0]", "prior_treatments[1]", "prior_treatments[2]"},
            {"prior_treatments[3]", "prior_treatments[4]"},
            {"objective_findings[1]"},
            {"objective_findings[2]"},
        ],
        extra=person(D(1956, 2, 1), "Pain Medicine"),
        expect=["met", "met", None, "met"],
    ),
    Family(
        "derm-units",
        "tune",
        D(2026, 11, 10),
        [
            P("Body surface area involvement of 10% or more"),
            P("NYHA class III or greater heart failure"),
            P("Ankle-brachial index of 0.9 or less"),
            P("Liver function tests within 30 days before the request"),
        ],
        [
            T(
                "Tacrolimus 0.1% ointment",
                "medication",
                D(2026, 5, 1),
                D(2026, 8, 1),
                dose="0.1%",
                frequency="twice daily",
                outcome="Inadequate response",
            ),
            T(
                "Methotrexate",
                "medication",
                D(2026, 8, 5),
                None,
                dose="15 mg",
                frequency="once weekly",
                outcome="Partial response",
            ),
        ],
        [
            F("exam", "Body surface area affected", "6%", D(2026, 10, 1)),
            F("exam", "NYHA functional class", "Class II", D(2026, 10, 1)),
            F("vital", "Ankle-brachial index", "1.42 (non-compressible vessels)", D(2026, 10, 1)),
            F("lab", "Hepatic function panel", "Normal", D(2026, 8, 1)),
        ],
        [
            {"objective_findings[0]"},
            {"objective_findings[1]"},
            {"objective_findings[2]"},
            {"objective_findings[3]"},
        ],
        extra=person(D(1960, 6, 1), "Dermatology"),
        expect=["not_met", "not_met", None, "not_met"],
    ),
    # -------------------------------------------------------------------------- held out
    Family(
        "depression-doses",
        "heldout",
        D(2026, 10, 20),
        [
            P(
                "Failure of at least two antidepressant classes at adequate doses: an SSRI "
                "(sertraline at least 150 mg per day or escitalopram at least 20 mg per day); an "
                "SNRI (venlafaxine at least 225 mg per day); or bupropion at least 300 mg per day"
            ),
            P("Daily opioid dose of 50 MME or less"),
            P("Negative urine cotinine test within 30 days before the procedure"),
        ],
        [
            T(
                "Sertraline",
                "medication",
                D(2025, 3, 1),
                D(2025, 7, 1),
                dose="100 mg",
                frequency="once daily",
                outcome="Inadequate response",
            ),
            T(
                "Escitalopram",
                "medication",
                D(2025, 7, 10),
                D(2025, 12, 1),
                dose="20 mg",
                frequency="once daily",
                outcome="Inadequate response",
            ),
            T(
                "Bupropion XL",
                "medication",
                D(2026, 1, 5),
                D(2026, 6, 1),
                dose="300 mg",
                frequency="once daily",
                outcome="Inadequate response",
            ),
            T(
                "Morphine ER",
                "medication",
                D(2026, 2, 1),
                None,
                dose="30 mg",
                frequency="twice daily",
                outcome="Partial relief",
            ),
        ],
        [
            F("lab", "Urine cotinine", "Ordered; result pending", D(2026, 10, 15)),
            F("rating_scale", "PHQ-9", "19", D(2026, 10, 1)),
        ],
        [
            {"prior_treatments[0]", "prior_treatments[1]", "prior_treatments[2]"},
            {"prior_treatments[3]"},
            {"objective_findings[0]"},
        ],
        extra=person(D(1970, 9, 9), "Psychiatry"),
        expect=["met", "not_met", None],
    ),
    Family(
        "copd-ordinals",
        "heldout",
        D(2026, 10, 20),
        [
            P("GOLD 3 or greater airflow limitation"),
            P("Kellgren-Lawrence grade 3 or higher osteoarthritis of the knee"),
            P("Liver function tests within 30 days before the request"),
            P("Evaluation by a psychiatrist"),
        ],
        [
            T(
                "Tiotropium",
                "medication",
                D(2025, 1, 1),
                None,
                dose="18 mcg",
                frequency="once daily",
                outcome="Persistent dyspnea",
            ),
            T(
                "Atorvastatin",
                "medication",
                D(2024, 1, 1),
                None,
                dose="40 mg",
                frequency="once daily",
                outcome="Tolerated",
            ),
        ],
        [
            F("other", "Spirometry", "GOLD 2 (FEV1 62% predicted)", D(2026, 9, 1)),
            F("imaging", "Knee radiograph", "Kellgren-Lawrence grade II", D(2026, 8, 1)),
            F("lab", "Hepatic function panel", "ALT 22 U/L, AST 25 U/L", D(2026, 10, 5)),
            F("rating_scale", "AUDIT-C", "2", D(2026, 10, 1)),
        ],
        [
            {"objective_findings[0]"},
            {"objective_findings[1]"},
            {"objective_findings[2]"},
            set(),
        ],
        extra=person(D(1955, 1, 20), "Pulmonology"),
        expect=["not_met", "not_met", "met", None],
    ),
]
