"""Labelled families for the false 'met' verdicts and wrong anchors blind judges found in the
letters of stop 35 (issue 17), each a shape, never one drug or one test:

(a) met from a record that says the thing is not done: a status word ('not yet possible',
    'awaiting', 'will be', 'not received') makes the fact a gap, never a met requirement;
(b) the wrong KIND of percentage: a time-below-range share, a target-coverage share or a sensor
    wear share answering a threshold on another measure (a C-peptide % of the lower limit, an
    organ-dose reduction, an oxygen saturation); a percentage answers a threshold only when its
    measure is the one the threshold names;
(c) wrong anchors and counts: a per-day frequency ('at least 3 injections per day') answered by
    a count of courses; a duration 'before the request' counted to the letter's date instead of
    the notice's; an event window ('self-injury requiring medical treatment within the past 3
    months') met by the date of a plan that merely names the behaviour; a completed education
    programme counted as a failed trial.

The requirements are typed as the rules type the criterion's words (``parse_requirements``).
Keys name the facts that answer each criterion (for or against); an empty key means no fact of
the case answers it. ``expect`` gives a status only where the record settles it.

Both slices were written on 2026-12-07 (session 36) before any code for these shapes was
changed; the held-out families were not looked at while the code was changed.
"""

from __future__ import annotations

import datetime as dt

from evals.reasoning.cases import F, Family, T
from evals.reasoning.shape_families import P, person

D = dt.date


JUDGED_FAMILIES: list[Family] = [
    # ----------------------------------------------------------------------------- tuned
    Family(  # (a) a status word; (b) a coverage share is no organ-dose reduction
        "reirradiation-status",
        "tune",
        D(2026, 11, 6),
        [
            P(
                "A composite (cumulative) dose assessment incorporating the prior treatment plan "
                "shows that the cumulative spinal cord dose would exceed tolerance with photons"
            ),
            P(
                "The proton plan reduces the mean or maximum dose to at least one named critical "
                "structure by 10% or more (relative) without compromising target coverage"
            ),
        ],
        [
            T(
                "External beam radiation therapy, 70 Gy in 35 fractions",
                "procedure",
                D(2021, 3, 1),
                D(2021, 4, 19),
                outcome="Complete response; recurrence in 2026",
            ),
        ],
        [
            F(
                "imaging",
                "Comparative plan: photon VMAT vs proton IMPT on the same planning CT",
                "CTV V95%: VMAT 98.2%, IMPT 99.0%. Spinal cord Dmax: VMAT 22.0 Gy, IMPT 4.1 "
                "Gy(RBE). Larynx Dmean: VMAT 28.0 Gy, IMPT 12.0 Gy(RBE)",
                D(2026, 10, 30),
            ),
            F(
                "other",
                "Composite (cumulative) dose assessment with the 2021 plan",
                "Not yet possible: 2021 plan and dose files requested on 2026-10-09 and not "
                "received",
                D(2026, 11, 2),
            ),
        ],
        [{"objective_findings[1]"}, {"objective_findings[0]"}],
        extra=person(D(1957, 5, 2), "Radiation Oncology"),
        expect=["not_met", None],
    ),
    Family(  # (b) a CGM share is no C-peptide; (c) a per-day count, a duration before the request
        "pump-kinds",
        "tune",
        D(2026, 9, 11),
        [
            P(
                "Fasting C-peptide at or below 110% of the lower limit of normal of the "
                "laboratory's method"
            ),
            P("At least 3 injections of insulin per day"),
            P("Multiple daily injections for at least 6 months before the request"),
            P(
                "The member has completed a comprehensive diabetes self-management education "
                "program, including carbohydrate counting"
            ),
        ],
        [
            T(
                "Premixed insulin 70/30",
                "medication",
                D(2019, 6, 1),
                D(2026, 3, 31),
                dose="28 units before breakfast and 18 units before supper",
                frequency="2 injections daily",
                outcome="Inadequate control",
            ),
            T(
                "Basal-bolus multiple daily injections (glargine plus lispro)",
                "medication",
                D(2026, 4, 1),
                None,
                dose="Glargine 24 units; lispro by carbohydrate ratio",
                frequency="4 to 6 injections daily, doses self-adjusted",
                duration="ongoing",
                outcome="Persistent hyperglycemia and nocturnal hypoglycemia",
            ),
            T(
                "Diabetes self-management education (DSMES) with carbohydrate counting",
                "therapy",
                D(2026, 4, 14),
                D(2026, 6, 2),
                frequency="4 sessions of 2 hours",
                outcome="Program completed; completion certificate signed 2026-06-02",
            ),
        ],
        [
            F(
                "other",
                "CGM 60-day summary report",
                "Sensor wear 93%; mean glucose 205 mg/dL; time in range 70-180 mg/dL 43%; "
                "below 54 mg/dL 2.1%",
                D(2026, 8, 31),
            ),
            F("lab", "Hemoglobin A1c", "8.6%", D(2026, 8, 18)),
        ],
        [set(), {"prior_treatments[1]"}, {"prior_treatments[1]"}, {"prior_treatments[2]"}],
        summary="She has had type 1 diabetes since age 12.",
        extra=person(D(1996, 2, 9), "Endocrinology"),
        expect=[None, "met", "not_met", "met"],
    ),
    Family(  # (c) an event window met by the event, never by a plan that names the behaviour
        "dbt-events",
        "tune",
        D(2026, 10, 20),
        [
            P("Self-injurious behavior that required medical treatment within the past 3 months"),
            P(
                "Failure of a less intensive level of care: at least 12 sessions of outpatient "
                "psychotherapy without adequate response"
            ),
        ],
        [
            T(
                "Outpatient cognitive behavioral therapy",
                "therapy",
                D(2025, 9, 1),
                D(2026, 2, 15),
                outcome="Self-harm continued",
            ),
        ],
        [
            F(
                "other",
                "DBT individual treatment plan (targets: self-injurious behavior, suicidal urges)",
                "Plan signed by patient and therapist",
                D(2026, 10, 1),
            ),
            F(
                "other",
                "Emergency department visit",
                "Self-inflicted forearm laceration, 6 sutures placed",
                D(2026, 8, 22),
            ),
        ],
        [{"objective_findings[1]"}, {"prior_treatments[0]"}],
        extra=person(D(2004, 1, 30), "Psychiatry"),
        expect=["met", None],
    ),
    # -------------------------------------------------------------------------- held out
    Family(
        "lung-status-held",
        "heldout",
        D(2026, 10, 12),
        [
            P("Resting oxygen saturation of 88% or less on room air"),
            P("A cardiopulmonary exercise test documenting exercise limitation"),
        ],
        [],
        [
            F(
                "other",
                "Overnight oximetry",
                "Mean SpO2 92%; time below 88% 31%; 14 desaturation events per hour",
                D(2026, 9, 2),
            ),
            F("vital", "Resting pulse oximetry on room air", "SpO2 86%", D(2026, 9, 20)),
            F(
                "other",
                "Cardiopulmonary exercise test",
                "Will be performed after pulmonary rehabilitation intake; not yet scheduled",
                D(2026, 10, 1),
            ),
        ],
        [{"objective_findings[1]"}, {"objective_findings[2]"}],
        extra=person(D(1951, 11, 14), "Pulmonology"),
        expect=["met", "not_met"],
    ),
    Family(
        "asthma-rate-held",
        "heldout",
        D(2026, 10, 5),
        [
            P("Use of a short-acting rescue inhaler at least 3 times per week"),
            P("Inhaled corticosteroid for at least 3 months before the request"),
        ],
        [
            T(
                "Montelukast",
                "medication",
                D(2024, 1, 10),
                D(2024, 6, 1),
                dose="10 mg",
                frequency="once daily",
                outcome="No benefit",
            ),
            T(
                "Albuterol inhaler",
                "medication",
                D(2023, 5, 1),
                None,
                dose="2 puffs",
                frequency="4 to 5 times a week",
                outcome="Ongoing rescue use",
            ),
            T(
                "Fluticasone inhaler",
                "medication",
                D(2026, 7, 20),
                None,
                dose="250 mcg",
                frequency="twice daily",
                outcome="Partial control",
            ),
        ],
        [F("lab", "Blood eosinophils", "420 cells/uL", D(2026, 9, 1))],
        [{"prior_treatments[1]"}, {"prior_treatments[2]"}],
        extra=person(D(1988, 3, 3), "Allergy and Immunology"),
        expect=["met", "not_met"],
    ),
    Family(
        "crisis-events-held",
        "heldout",
        D(2026, 11, 9),
        [
            P("A suicide attempt requiring emergency medical care within the past 6 months"),
            P("At least 8 sessions of outpatient therapy without adequate response"),
        ],
        [
            T(
                "Outpatient psychotherapy",
                "therapy",
                D(2025, 11, 1),
                D(2026, 4, 30),
                outcome="Symptoms persisted",
            ),
        ],
        [
            F(
                "other",
                "Safety plan (suicide attempt prevention)",
                "Reviewed and signed",
                D(2026, 10, 28),
            ),
            F(
                "other",
                "Emergency department visit",
                "Intentional acetaminophen overdose treated with N-acetylcysteine; admitted "
                "overnight",
                D(2026, 7, 3),
            ),
        ],
        [{"objective_findings[1]"}, {"prior_treatments[0]"}],
        extra=person(D(1999, 6, 6), "Psychiatry"),
        expect=["met", None],
    ),
]
