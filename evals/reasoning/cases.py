"""A labelled set for the reasoning package: synthetic cases whose keys say, for each criterion,
which case facts answer it (by path). Written before tuning; the held-out families were fixed when
the keys were written and were not looked at while tuning (split = "heldout").

Each family is one denial (criteria with typed requirements) and one case; variants add distractor
records, reorder the records (paths move with them; keys are remapped), or push one requirement
below its threshold. Run ``python evals/reasoning/measure.py`` for the figures.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from pipeline.models import CaseFacts, Criterion, DenialAnalysis, Requirement

D = dt.date


def R(kind: str, subject: str, cmp: str | None = None, value: float | None = None,
      unit: str | None = None, **kw: object) -> dict:  # fmt: skip
    return {"kind": kind, "subject": subject, "comparator": cmp, "value": value, "unit": unit,
            "span": kw.pop("span", subject), **kw}  # fmt: skip


def T(name: str, kind: str, start: dt.date | None, end: dt.date | None, **kw: object) -> dict:
    return {"name": name, "kind": kind, "start": start, "end": end, **kw}


def F(kind: str, name: str, value: str, date: dt.date | None = None, **kw: object) -> dict:
    return {"kind": kind, "name": name, "value": value, "date": date, **kw}


@dataclass
class Family:
    name: str
    split: str
    letter_date: dt.date
    criteria: list[tuple[str, str, list[dict]]]
    """(text, logic, requirements)."""
    treatments: list[dict]
    findings: list[dict]
    keys: list[set[str]]
    """Per criterion: the paths that answer it."""
    summary: str = ""
    distractors: list[dict] = field(default_factory=list)
    """Treatments added by the distractor variant (answer no criterion)."""
    extra: dict = field(default_factory=dict)
    """Further case fields (patient, physician, diagnoses, documents)."""
    expect: list[str | None] | None = None
    """Per criterion, its status as a physician reading the case gives it, when labelled (None:
    not labelled; 'not_applicable': for a population the patient is not in)."""
    payer: list[str] | None = None
    """Per criterion, what the notice said of it ('not_met' ...), when it said something."""
    service_dates: list[dt.date] = field(default_factory=list)
    """The dates of the service the notice names (a planned procedure's date)."""


FAMILIES: list[Family] = [
    Family(
        "ra-adalimumab",
        "tune",
        D(2026, 9, 1),
        [
            (
                "Inadequate response to methotrexate at a dose of at least 15 mg per week for at "
                "least 12 consecutive weeks",
                "all",
                [
                    R("dose_adequacy", "methotrexate", ">=", 15, "mg/week"),
                    R("duration", "methotrexate", ">=", 12, "weeks"),
                ],
            ),
            (
                "Inadequate response to at least one additional conventional synthetic DMARD "
                "(leflunomide, sulfasalazine, or hydroxychloroquine) for at least 12 weeks",
                "all",
                [
                    R("trial_count", "conventional synthetic DMARD", ">=", 1, "trials"),
                    R("duration", "conventional synthetic DMARD", ">=", 12, "weeks"),
                ],
            ),
            (
                "Moderate to high disease activity documented by a validated measure within the "
                "past "
                "90 days (DAS28-CRP greater than 3.2)",
                "all",
                [R("threshold", "DAS28-CRP", ">", 3.2, "points")],
            ),
            (
                "Negative screening for latent tuberculosis (interferon-gamma release assay) "
                "within "
                "12 months before initiation",
                "all",
                [R("absence", "latent tuberculosis (interferon-gamma release assay)")],
            ),
        ],
        [
            T(
                "Methotrexate",
                "medication",
                D(2025, 9, 1),
                D(2026, 1, 5),
                dose="20 mg",
                frequency="once weekly",
                outcome="Inadequate response",
            ),
            T(
                "Hydroxychloroquine",
                "medication",
                D(2026, 1, 12),
                D(2026, 5, 4),
                dose="400 mg",
                frequency="once daily",
                outcome="Inadequate response",
            ),
            T(
                "Prednisone taper",
                "medication",
                D(2025, 8, 1),
                D(2025, 8, 21),
                dose="10 mg",
                frequency="once daily",
                outcome="Transient relief",
            ),
        ],
        [
            F("rating_scale", "DAS28-CRP", "5.1", D(2026, 8, 20)),
            F("lab", "QuantiFERON-TB Gold", "Negative", D(2026, 7, 30)),
            F("lab", "HbA1c", "5.6%", D(2026, 7, 30)),
        ],
        [
            {"prior_treatments[0]"},
            {"prior_treatments[1]"},
            {"objective_findings[0]"},
            {"objective_findings[1]"},
        ],
        distractors=[
            T(
                "Physical therapy for hand function",
                "therapy",
                D(2026, 2, 1),
                D(2026, 3, 1),
                outcome="Some improvement",
            )
        ],
    ),
    Family(
        "lumbar-fusion",
        "tune",
        D(2026, 6, 10),
        [
            (
                "Member has completed at least 3 consecutive months of physician-directed "
                "conservative treatment, including physical therapy and anti-inflammatory "
                "medication",
                "all",
                [R("duration", "conservative treatment", ">=", 3, "months")],
            ),
            (
                "At least one epidural steroid injection has been performed, with documentation of "
                "the response",
                "all",
                [R("trial_count", "epidural steroid injection", ">=", 1, "injections")],
            ),
            (
                "Spondylolisthesis with instability, demonstrated by at least 3 mm of "
                "translation on "
                "flexion-extension radiographs",
                "all",
                [R("threshold", "translation", ">=", 3, "mm")],
            ),
            (
                "For members with a history of tobacco or nicotine use: abstinence confirmed by a "
                "negative cotinine test within 30 days of the request",
                "all",
                [R("absence", "nicotine (cotinine test)")],
            ),
        ],
        [
            T(
                "Physical therapy (core stabilization)",
                "therapy",
                D(2025, 10, 1),
                D(2025, 12, 20),
                outcome="No durable improvement",
            ),
            T(
                "Meloxicam",
                "medication",
                D(2025, 10, 1),
                D(2026, 2, 15),
                dose="15 mg",
                frequency="once daily",
                outcome="Inadequate relief",
            ),
            T(
                "Lumbar epidural steroid injection, L4-L5",
                "procedure",
                D(2026, 1, 10),
                D(2026, 1, 10),
                dose="80 mg",
                outcome="Relief for 2 weeks only",
            ),
            T(
                "Sertraline",
                "medication",
                D(2025, 5, 1),
                None,
                dose="50 mg",
                frequency="once daily",
                outcome="Stable mood",
            ),
        ],
        [
            F(
                "imaging",
                "Flexion-extension radiographs, lumbar spine",
                "Grade 1 spondylolisthesis L4-L5 with 6 mm translation",
                D(2026, 5, 2),
            ),
            F("lab", "Urine cotinine", "Negative", D(2026, 5, 28)),
            F("rating_scale", "Oswestry Disability Index", "52%", D(2026, 5, 2)),
        ],
        [
            {"prior_treatments[0]", "prior_treatments[1]"},
            {"prior_treatments[2]"},
            {"objective_findings[0]"},
            {"objective_findings[1]"},
        ],
        distractors=[
            T(
                "Omeprazole",
                "medication",
                D(2025, 10, 1),
                D(2026, 2, 15),
                dose="20 mg",
                frequency="once daily",
                outcome="Dyspepsia controlled",
            )
        ],
    ),
    Family(
        "cpap",
        "tune",
        D(2026, 4, 2),
        [
            (
                "The apnea-hypopnea index (AHI) is greater than or equal to 15 events per hour "
                "on a "
                "sleep test",
                "all",
                [R("threshold", "AHI", ">=", 15, "events/hour")],
            ),
            (
                "Body mass index documented at the face-to-face evaluation",
                "all",
                [R("test_done", "body mass index")],
            ),
        ],
        [
            T(
                "Positional therapy",
                "device",
                D(2025, 11, 1),
                D(2026, 1, 31),
                outcome="No improvement",
            )
        ],
        [
            F("other", "Home sleep apnea test", "AHI 24 events per hour", D(2026, 2, 14)),
            F("vital", "BMI", "33.1 kg/m2", D(2026, 1, 20)),
            F("rating_scale", "Epworth Sleepiness Scale", "14", D(2026, 1, 20)),
        ],
        [{"objective_findings[0]"}, {"objective_findings[1]"}],
    ),
    Family(
        "tka-variant",
        "tune",
        D(2026, 11, 4),
        [
            (
                "Failure of pharmacologic therapy with oral or topical NSAIDs or acetaminophen for "
                "at least 3 months",
                "all",
                [R("duration", "NSAIDs or acetaminophen", ">=", 3, "months")],
            ),
            (
                "Failure of at least one intra-articular injection (corticosteroid or hyaluronic "
                "acid)",
                "all",
                [R("trial_count", "intra-articular injection", ">=", 1, "injections")],
            ),
            (
                "Weight-bearing radiographs within the past 12 months showing Kellgren-Lawrence "
                "grade 3 or 4",
                "all",
                [R("threshold", "Kellgren-Lawrence grade", ">=", 3, "grade")],
            ),
        ],
        [
            T(
                "Ibuprofen",
                "medication",
                D(2026, 1, 5),
                D(2026, 6, 1),
                dose="600 mg",
                frequency="three times daily",
                outcome="Inadequate relief",
            ),
            T(
                "Physical therapy",
                "therapy",
                D(2026, 2, 1),
                D(2026, 4, 1),
                outcome="No durable improvement",
            ),
            T(
                "Hylan G-F 20 intra-articular injection",
                "procedure",
                D(2026, 7, 1),
                D(2026, 7, 1),
                outcome="No relief",
            ),
        ],
        [
            F(
                "imaging",
                "Standing radiographs, left knee",
                "Kellgren-Lawrence grade 3, medial joint space narrowing",
                D(2026, 9, 1),
            ),
            F("vital", "BMI", "29 kg/m2", D(2026, 9, 1)),
        ],
        [{"prior_treatments[0]"}, {"prior_treatments[2]"}, {"objective_findings[0]"}],
    ),
    Family(
        "tms-tune",
        "tune",
        D(2026, 3, 1),
        [
            (
                "Failure of 2 or more antidepressant trials from 2 different classes, each for 6 "
                "weeks or more",
                "all",
                [
                    R("trial_count", "antidepressant trials", ">=", 2, "trials"),
                    R("class_count", "pharmacologic classes", ">=", 2, "classes"),
                    R("duration", "each trial", ">=", 6, "weeks", each=True),
                ],
            ),
            (
                "Failure of psychotherapy delivered concurrently with antidepressant "
                "pharmacotherapy",
                "all",
                [
                    R("trial_count", "psychotherapy", ">=", 1, "trials"),
                    R("concurrency", "antidepressant pharmacotherapy"),
                ],
            ),
        ],
        [
            T(
                "Fluoxetine",
                "medication",
                D(2025, 1, 6),
                D(2025, 3, 31),
                dose="40 mg",
                frequency="once daily",
                outcome="Inadequate response",
            ),
            T(
                "Duloxetine",
                "medication",
                D(2025, 4, 7),
                D(2025, 7, 28),
                dose="60 mg",
                frequency="once daily",
                outcome="Inadequate response",
            ),
            T(
                "Interpersonal psychotherapy",
                "therapy",
                D(2025, 5, 5),
                D(2025, 8, 25),
                outcome="No remission",
            ),
            T(
                "Zolpidem",
                "medication",
                D(2025, 2, 1),
                D(2025, 3, 1),
                dose="5 mg",
                frequency="at bedtime",
                outcome="Improved sleep",
            ),
        ],
        [F("rating_scale", "PHQ-9", "21", D(2026, 2, 1))],
        [
            {"prior_treatments[0]", "prior_treatments[1]"},
            {"prior_treatments[1]", "prior_treatments[2]"},
        ],
    ),
    # ---- held out: written with the keys, never looked at while tuning
    Family(
        "semaglutide",
        "heldout",
        D(2026, 8, 15),
        [
            (
                "Trial of metformin at a dose of at least 1,500 mg per day for at least 90 days",
                "all",
                [
                    R("dose_adequacy", "metformin", ">=", 1500, "mg/day"),
                    R("duration", "metformin", ">=", 90, "days"),
                ],
            ),
            (
                "Trial and failure of a GLP-1 receptor agonist, dulaglutide, for at least 90 days",
                "all",
                [R("duration", "GLP-1 receptor agonist dulaglutide", ">=", 90, "days")],
            ),
            (
                "A hemoglobin A1c of 7.0% or greater, drawn within the past 90 days",
                "all",
                [R("threshold", "hemoglobin A1c", ">=", 7.0, "%")],
            ),
        ],
        [
            T(
                "Metformin ER",
                "medication",
                D(2025, 6, 1),
                D(2026, 6, 1),
                dose="1000 mg",
                frequency="twice daily",
                outcome="Inadequate glycemic control",
            ),
            T(
                "Dulaglutide",
                "medication",
                D(2026, 1, 10),
                D(2026, 6, 1),
                dose="1.5 mg",
                frequency="once weekly",
                outcome="Inadequate response",
            ),
            T(
                "Atorvastatin",
                "medication",
                D(2024, 1, 1),
                None,
                dose="20 mg",
                frequency="once daily",
                outcome="LDL at goal",
            ),
        ],
        [
            F("lab", "Hemoglobin A1c", "8.4%", D(2026, 7, 20)),
            F("vital", "BMI", "36.2 kg/m2", D(2026, 7, 20)),
        ],
        [{"prior_treatments[0]"}, {"prior_treatments[1]"}, {"objective_findings[0]"}],
    ),
    Family(
        "migraine",
        "heldout",
        D(2026, 5, 5),
        [
            (
                "Chronic migraine with headache on 15 or more days per month, documented by a "
                "headache diary",
                "all",
                [R("threshold", "headache days", ">=", 15, "days/month")],
            ),
            (
                "Inadequate response to at least two preventive medications from different classes",
                "all",
                [
                    R("trial_count", "preventive medications", ">=", 2, "trials"),
                    R("class_count", "classes", ">=", 2, "classes"),
                ],
            ),
        ],
        [
            T(
                "Topiramate",
                "medication",
                D(2025, 3, 1),
                D(2025, 6, 1),
                dose="100 mg",
                frequency="once daily",
                outcome="Inadequate response; cognitive slowing",
            ),
            T(
                "Propranolol",
                "medication",
                D(2025, 6, 15),
                D(2025, 10, 1),
                dose="80 mg",
                frequency="twice daily",
                outcome="Inadequate response",
            ),
            T(
                "Sumatriptan",
                "medication",
                D(2024, 1, 1),
                None,
                dose="50 mg",
                frequency="as needed",
                outcome="Aborts some attacks",
            ),
        ],
        [F("other", "Headache diary (3 months)", "18 headache days per month", D(2026, 4, 1))],
        [{"objective_findings[0]"}, {"prior_treatments[0]", "prior_treatments[1]"}],
    ),
    Family(
        "depression-heldout",
        "heldout",
        D(2026, 10, 1),
        [
            (
                "Failure of 3 or more antidepressant medication trials from at least 2 classes, "
                "each at an adequate dose for 6 weeks or more",
                "all",
                [
                    R("trial_count", "antidepressant medication trials", ">=", 3, "trials"),
                    R("class_count", "pharmacologic classes", ">=", 2, "classes"),
                    R("duration", "adequate dose", ">=", 6, "weeks", each=True),
                ],
            ),
            (
                "Failure of augmentation with a second-generation antipsychotic, lithium, or "
                "thyroid "
                "hormone for 6 weeks or more",
                "all",
                [
                    R("trial_count", "augmentation", ">=", 1, "trials"),
                    R("duration", "augmentation", ">=", 6, "weeks"),
                ],
            ),
            (
                "No active substance use disorder within the past 6 months, documented by a "
                "validated screening instrument",
                "all",
                [R("absence", "active substance use disorder")],
            ),
        ],
        [
            T(
                "Paroxetine",
                "medication",
                D(2025, 1, 6),
                D(2025, 3, 31),
                dose="40 mg",
                frequency="once daily",
                outcome="Inadequate response",
            ),
            T(
                "Mirtazapine",
                "medication",
                D(2025, 4, 7),
                D(2025, 6, 30),
                dose="45 mg",
                frequency="at bedtime",
                outcome="Inadequate response",
            ),
            T(
                "Nortriptyline",
                "medication",
                D(2025, 7, 7),
                D(2025, 9, 29),
                dose="100 mg",
                frequency="at bedtime",
                outcome="Inadequate response",
            ),
            T(
                "Quetiapine (augmentation of nortriptyline)",
                "medication",
                D(2025, 8, 4),
                D(2025, 9, 29),
                dose="150 mg",
                frequency="at bedtime",
                outcome="No meaningful response",
            ),
            T(
                "Cognitive behavioral therapy",
                "therapy",
                D(2025, 2, 1),
                D(2025, 5, 1),
                outcome="No remission",
            ),
        ],
        [
            F(
                "rating_scale",
                "AUDIT",
                "2",
                D(2026, 9, 20),
                interpretation="Negative screen; no substance use disorder",
            ),
            F("rating_scale", "MADRS", "34", D(2026, 9, 20)),
        ],
        [
            {"prior_treatments[0]", "prior_treatments[1]", "prior_treatments[2]"},
            {"prior_treatments[3]"},
            {"objective_findings[0]"},
        ],
    ),
]

# Second round (issue 17): class names clinicians use, listed in parentheses, and trial-by-trial
# durations ('each for at least N weeks'); written with their keys before the code was run on them.
FAMILIES += [
    Family(
        "migraine-cgrp",
        "tune",
        D(2026, 10, 2),
        [
            (
                "Failure of at least two preventive medications from different classes (a beta "
                "blocker, an anticonvulsant, or a tricyclic antidepressant), each for at least 8 "
                "weeks",
                "all",
                [
                    R("trial_count", "preventive medications", ">=", 2, "medications"),
                    R("duration", "preventive medications", ">=", 8, "weeks", each=True),
                ],
            ),
            (
                "At least 4 migraine days per month documented in a headache diary",
                "all",
                [R("threshold", "migraine days", ">=", 4, "days")],
            ),
        ],
        [
            T(
                "Propranolol LA",
                "medication",
                D(2025, 1, 6),
                D(2025, 4, 7),
                dose="120 mg",
                frequency="once daily",
                outcome="Inadequate response",
            ),
            T(
                "Topiramate",
                "medication",
                D(2025, 4, 14),
                D(2025, 5, 26),
                dose="100 mg",
                frequency="twice daily",
                outcome="Stopped for paresthesia and word-finding difficulty (intolerance)",
            ),
            T(
                "Amitriptyline",
                "medication",
                D(2025, 6, 2),
                D(2025, 9, 1),
                dose="50 mg",
                frequency="at bedtime",
                outcome="Inadequate response",
            ),
            T(
                "Sumatriptan",
                "medication",
                D(2024, 6, 1),
                None,
                dose="100 mg",
                frequency="as needed",
                outcome="Partial relief of attacks",
            ),
        ],
        [
            F(
                "rating_scale",
                "Headache diary, migraine days",
                "14 migraine days per month",
                D(2026, 9, 15),
            ),
            F("rating_scale", "MIDAS", "48", D(2026, 9, 15), interpretation="Severe disability"),
        ],
        [
            {"prior_treatments[0]", "prior_treatments[1]", "prior_treatments[2]"},
            {"objective_findings[0]"},
        ],
    ),
    Family(
        "psoriasis-biologic",
        "heldout",
        D(2026, 11, 3),
        [
            (
                "Inadequate response to a topical therapy (a topical corticosteroid or a vitamin "
                "D analog) for at least 4 weeks",
                "all",
                [
                    R("trial_count", "topical therapy", ">=", 1, "trials"),
                    R("duration", "topical therapy", ">=", 4, "weeks"),
                ],
            ),
            (
                "Inadequate response to at least one conventional systemic agent (methotrexate, "
                "cyclosporine, or acitretin), each for at least 12 weeks",
                "all",
                [
                    R("trial_count", "conventional systemic agent", ">=", 1, "trials"),
                    R("duration", "conventional systemic agent", ">=", 12, "weeks", each=True),
                ],
            ),
            (
                "Body surface area involvement of at least 10 percent",
                "all",
                [R("threshold", "body surface area", ">=", 10, "%")],
            ),
        ],
        [
            T(
                "Clobetasol propionate 0.05% ointment",
                "medication",
                D(2025, 2, 3),
                D(2025, 4, 14),
                dose="thin layer",
                frequency="twice daily",
                outcome="Partial response; plaques persisted",
            ),
            T(
                "Calcipotriene 0.005% cream",
                "medication",
                D(2025, 4, 14),
                D(2025, 6, 9),
                dose="thin layer",
                frequency="twice daily",
                outcome="Inadequate response",
            ),
            T(
                "Methotrexate",
                "medication",
                D(2025, 6, 16),
                D(2025, 12, 15),
                dose="20 mg",
                frequency="once weekly",
                outcome="Inadequate response (PASI 18 to 15)",
            ),
            T(
                "Acitretin",
                "medication",
                D(2026, 1, 5),
                D(2026, 2, 16),
                dose="25 mg",
                frequency="once daily",
                outcome="Stopped for cheilitis and hair loss",
            ),
            T(
                "Cetirizine",
                "medication",
                D(2025, 1, 1),
                None,
                dose="10 mg",
                frequency="once daily",
                outcome="For itch; no effect on plaques",
            ),
        ],
        [
            F(
                "exam",
                "Body surface area",
                "22%",
                D(2026, 10, 20),
                interpretation="Severe plaque psoriasis",
            ),
            F("rating_scale", "PASI", "19.4", D(2026, 10, 20)),
        ],
        [
            {"prior_treatments[0]", "prior_treatments[1]"},
            {"prior_treatments[2]", "prior_treatments[3]"},
            {"objective_findings[0]"},
        ],
    ),
]

# ---- meaning: the fact that answers shares few words with the requirement (issue 17). Tuned
# families first, then held-out ones written with their keys at the same time.
MEANING_FAMILIES: list[Family] = [
    Family(
        "cgm-severe-low",
        "tune",
        D(2026, 10, 2),
        [
            (
                "A history of a severe hypoglycemic event (level 3) requiring third-party "
                "assistance",
                "all",
                [
                    R(
                        "other",
                        "severe hypoglycemic event (level 3) requiring third-party assistance",
                    )
                ],
            ),
            (
                "The beneficiary is insulin-treated",
                "all",
                [R("other", "insulin-treated", span="The beneficiary is insulin-treated")],
            ),
        ],
        [
            T(
                "Fingerstick blood glucose meter",
                "device",
                D(2024, 1, 10),
                None,
                frequency="four times daily",
                outcome="Misses overnight lows",
            ),
            T(
                "Insulin degludec",
                "medication",
                D(2025, 3, 1),
                None,
                dose="24 units",
                frequency="once daily",
                outcome="Ongoing",
            ),
            T(
                "Metformin",
                "medication",
                D(2019, 5, 1),
                None,
                dose="1000 mg",
                frequency="twice daily",
                outcome="Ongoing",
            ),
        ],
        [
            F(
                "other",
                "Emergency call",
                "Found unresponsive at home by her son; paramedics gave IV dextrose",
                D(2026, 7, 19),
            ),
            F("lab", "HbA1c", "8.8%", D(2026, 9, 1)),
        ],
        [{"objective_findings[0]"}, {"prior_treatments[1]"}],
    ),
    Family(
        "bariatric-clearance",
        "tune",
        D(2026, 9, 20),
        [
            (
                "Completion of a preoperative psychological evaluation with clearance for "
                "bariatric surgery",
                "all",
                [R("test_done", "psychological evaluation")],
            ),
            (
                "Participation in a medically supervised weight-loss program for at least 6 "
                "consecutive months",
                "all",
                [R("duration", "medically supervised weight-loss program", ">=", 6, "months")],
            ),
            (
                "Body mass index of 40 kg/m2 or greater",
                "all",
                [R("threshold", "BMI", ">=", 40, "kg/m2")],
            ),
        ],
        [
            T(
                "Lisinopril",
                "medication",
                D(2022, 1, 1),
                None,
                dose="20 mg",
                frequency="once daily",
                outcome="Blood pressure controlled",
            ),
        ],
        [
            F("vital", "BMI", "43.2 kg/m2", D(2026, 9, 1)),
            F("lab", "Lipid panel", "LDL 131 mg/dL", D(2026, 9, 1)),
        ],
        [{"clinical_summary[1]"}, {"clinical_summary[2]"}, {"objective_findings[0]"}],
        summary=(
            "Ms. R has class III obesity with hypertension and sleep apnea. "
            "The behavioral health team saw her on 2026-08-12 and found no barrier to the "
            "operation. "
            "She completed a 6-month dietitian-led diet program under her primary care "
            "physician, losing 4 kg."
        ),
    ),
    Family(
        "home-oxygen",
        "tune",
        D(2026, 8, 5),
        [
            (
                "Arterial oxygen saturation at or below 88 percent at rest on room air",
                "all",
                [R("threshold", "oxygen saturation", "<=", 88, "%")],
            ),
            (
                "Alternative treatment measures have been tried or considered and deemed "
                "clinically ineffective",
                "all",
                [R("other", "alternative treatment measures tried or considered")],
            ),
        ],
        [
            T(
                "Tiotropium/olodaterol inhaler",
                "medication",
                D(2025, 6, 1),
                None,
                dose="2 puffs",
                frequency="once daily",
                outcome="Dyspnea persists",
            ),
            T(
                "Pulmonary rehabilitation",
                "therapy",
                D(2026, 1, 5),
                D(2026, 3, 27),
                outcome="Completed; still desaturates with minimal exertion",
            ),
        ],
        [
            F("other", "Pulse oximetry", "SpO2 86% breathing ambient air, seated", D(2026, 7, 20)),
            F("other", "Spirometry", "FEV1 38% of predicted", D(2026, 7, 20)),
            F("lab", "Hemoglobin", "13.9 g/dL", D(2026, 7, 20)),
        ],
        [{"objective_findings[0]"}, {"prior_treatments[0]", "prior_treatments[1]"}],
    ),
    Family(
        "knee-mechanical",
        "tune",
        D(2026, 5, 14),
        [
            (
                "Mechanical symptoms such as locking or catching of the knee",
                "all",
                [R("other", "mechanical symptoms such as locking or catching")],
            ),
            (
                "A face-to-face examination within 60 days before the request",
                "all",
                [
                    R(
                        "time_window",
                        "time window",
                        "<=",
                        60,
                        "days",
                        span="A face-to-face examination within 60 days before the request",
                    )
                ],
            ),
        ],
        [
            T(
                "Naproxen",
                "medication",
                D(2026, 1, 2),
                D(2026, 3, 1),
                dose="500 mg",
                frequency="twice daily",
                outcome="Inadequate relief",
            ),
        ],
        [
            F(
                "exam",
                "Right knee",
                "Joint gets stuck mid-flexion several times a week and has to be worked loose",
                D(2026, 4, 30),
            ),
            F("imaging", "Right knee MRI", "Medial meniscus bucket-handle tear", D(2026, 4, 2)),
            F("vital", "Blood pressure", "128/82 mmHg", D(2025, 11, 2)),
        ],
        [{"objective_findings[0]"}, {"objective_findings[0]"}],
    ),
    # held out
    Family(
        "power-wheelchair",
        "heldout",
        D(2026, 6, 22),
        [
            (
                "The beneficiary cannot safely use a cane or walker to move about the home",
                "all",
                [R("other", "cannot safely use a cane or walker")],
            ),
            (
                "An in-person mobility examination by the treating practitioner within 45 days "
                "before the order",
                "all",
                [
                    R(
                        "time_window",
                        "time window",
                        "<=",
                        45,
                        "days",
                        span="An in-person mobility examination by the treating practitioner "
                        "within 45 days before the order",
                    )
                ],
            ),
        ],
        [
            T(
                "Donepezil",
                "medication",
                D(2024, 2, 1),
                None,
                dose="10 mg",
                frequency="once daily",
                outcome="Stable memory",
            ),
            T(
                "Home physical therapy",
                "therapy",
                D(2026, 2, 1),
                D(2026, 3, 31),
                outcome="No gain in transfers",
            ),
        ],
        [
            F(
                "exam",
                "Gait trial",
                "Fell twice in 10 feet with a rolling frame; needs two people to stand",
                D(2026, 6, 2),
            ),
            F("lab", "TSH", "2.1 mIU/L", D(2026, 1, 12)),
        ],
        [{"objective_findings[0]"}, {"objective_findings[0]"}],
    ),
    Family(
        "pressure-injury",
        "heldout",
        D(2026, 10, 9),
        [
            (
                "Presence of a stage 3 or stage 4 pressure ulcer on the trunk or pelvis",
                "all",
                [R("other", "stage 3 or stage 4 pressure ulcer on the trunk or pelvis")],
            ),
            (
                "A comprehensive ulcer treatment program has been in place for the past month",
                "all",
                [R("duration", "comprehensive ulcer treatment program", ">=", 1, "months")],
            ),
        ],
        [
            T(
                "Wound care: offloading, turning every 2 hours, moisture control",
                "therapy",
                D(2026, 8, 20),
                D(2026, 10, 1),
                outcome="Wound unchanged in size",
            ),
            T(
                "Atorvastatin",
                "medication",
                D(2023, 1, 1),
                None,
                dose="40 mg",
                frequency="once daily",
                outcome="Ongoing",
            ),
        ],
        [
            F(
                "exam",
                "Sacral wound",
                "Full-thickness skin loss with visible fat, 4 x 3 cm",
                D(2026, 10, 1),
            ),
            F("lab", "Albumin", "3.1 g/dL", D(2026, 10, 1)),
        ],
        [{"objective_findings[0]"}, {"prior_treatments[0]"}],
    ),
    Family(
        "readiness-letter",
        "heldout",
        D(2026, 11, 1),
        [
            (
                "A letter of readiness from a qualified mental health professional",
                "all",
                [R("document", "letter of readiness from a qualified mental health professional")],
            ),
            (
                "Twelve continuous months of hormone therapy",
                "all",
                [R("duration", "hormone therapy", ">=", 12, "months")],
            ),
        ],
        [
            T(
                "Estradiol",
                "medication",
                D(2025, 6, 1),
                None,
                dose="4 mg",
                frequency="once daily",
                outcome="Ongoing, well tolerated",
            ),
            T(
                "Sertraline",
                "medication",
                D(2024, 1, 1),
                None,
                dose="50 mg",
                frequency="once daily",
                outcome="Stable mood",
            ),
        ],
        [F("lab", "Estradiol level", "180 pg/mL", D(2026, 9, 2))],
        [{"clinical_summary[1]"}, {"prior_treatments[0]"}],
        summary=(
            "She has lived in her affirmed gender for six years. "
            "Her therapist, a licensed clinical social worker, wrote on 2026-09-03 that she is "
            "prepared for the procedure and understands its risks."
        ),
    ),
]
FAMILIES += MEANING_FAMILIES


@dataclass
class LabelledCase:
    id: str
    split: str
    analysis: DenialAnalysis
    case: CaseFacts
    keys: list[set[str]]
    expect: list[str | None] | None = None


def _build(family: Family, treatments: list[dict], findings: list[dict],
           keys: list[set[str]], suffix: str) -> LabelledCase:  # fmt: skip
    payer = family.payer or ["not_stated"] * len(family.criteria)
    criteria = [
        Criterion(
            text=text,
            logic=logic,
            requirements=[Requirement(**r) for r in reqs],
            payer_status=status,  # type: ignore[arg-type]
        )
        for (text, logic, reqs), status in zip(family.criteria, payer, strict=True)
    ]
    case = CaseFacts.model_validate(
        {
            "prior_treatments": treatments,
            "objective_findings": findings,
            "clinical_summary": family.summary or None,
            **family.extra,
        }
    )
    analysis = DenialAnalysis(
        criteria=criteria, letter_date=family.letter_date, service_dates=family.service_dates
    )
    return LabelledCase(f"{family.name}{suffix}", family.split, analysis, case, keys, family.expect)


def _remap(keys: list[set[str]], order: list[int], prefix: str) -> list[set[str]]:
    """Keys after the records under ``prefix`` were reordered (order[new] = old)."""
    new_of = {old: new for new, old in enumerate(order)}
    out = []
    for key in keys:
        moved = set()
        for path in key:
            if path.startswith(prefix):
                old = int(path[len(prefix) + 1 : -1])
                moved.add(f"{prefix}[{new_of[old]}]")
            else:
                moved.add(path)
        out.append(moved)
    return out


def cases(seed: int = 17) -> list[LabelledCase]:
    """Every family as written, with distractors added, and with its records shuffled."""
    from evals.reasoning.anchor_families import ANCHOR_FAMILIES
    from evals.reasoning.bearing_families import BEARING_FAMILIES, BEARING_TUNED
    from evals.reasoning.compare_families import COMPARE_FAMILIES
    from evals.reasoning.computed_families import COMPUTED_FAMILIES
    from evals.reasoning.explain_families import EXPLAIN_FAMILIES
    from evals.reasoning.fit_families import FIT_FAMILIES
    from evals.reasoning.judged_families import JUDGED_FAMILIES
    from evals.reasoning.kind_families import KIND_FAMILIES
    from evals.reasoning.prose_families import PROSE_FAMILIES
    from evals.reasoning.route_families import ROUTE_FAMILIES
    from evals.reasoning.shape_families import SHAPE_FAMILIES

    rng = random.Random(seed)
    out = []
    families = FAMILIES + PROSE_FAMILIES + EXPLAIN_FAMILIES + FIT_FAMILIES + SHAPE_FAMILIES
    families += COMPARE_FAMILIES
    families += JUDGED_FAMILIES + COMPUTED_FAMILIES
    families += ROUTE_FAMILIES + ANCHOR_FAMILIES + KIND_FAMILIES + BEARING_FAMILIES
    for f in families + BEARING_TUNED:
        out.append(_build(f, f.treatments, f.findings, f.keys, ""))
        if f.distractors:
            out.append(_build(f, f.treatments + f.distractors, f.findings, f.keys, "+distractor"))
        order = list(range(len(f.treatments)))
        rng.shuffle(order)
        shuffled = [f.treatments[i] for i in order]
        keys = _remap(f.keys, order, "prior_treatments")
        forder = list(range(len(f.findings)))
        rng.shuffle(forder)
        keys = _remap(keys, forder, "objective_findings")
        out.append(_build(f, shuffled, [f.findings[i] for i in forder], keys, "~shuffled"))
    return out
