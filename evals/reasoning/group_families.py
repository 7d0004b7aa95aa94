"""Labelled denials for the blind judges' verdict kinds of this round:

1. groups of alternatives judged as if every member were required ('AT LEAST TWO of B1-B4',
   'any one of criteria 2-4', 'documented by at least one of: ...; ...; or ...', 'at least two of
   the following: a. ... b. ... c. ...'): the group is met when enough members are; the unmet
   alternatives are not argued, never 'not shown', never a gap;
2. a fact the case states (the event or measure a requirement names) marked not shown;
3. a comparison of unrelated quantities, or a quote fragment standing in for a value.

The held-out families were written on 2026-12-06 (20:55 UTC) from the kinds' descriptions only,
before the tuned ones and on other topics and layouts, and were not looked at while changing the
code. A family's ``groups`` stand for the reading's groups of criteria (members 0-based, count
needed, the notice's words) and are used only when the reading gives none. ``adverse_ok`` is how
many adverse statements ('not shown', 'does not meet it', a 'No'/'Not shown' cell) the letter may
rightly make; ``unneeded`` the criteria (1-based) that must get no gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evals.reasoning.letter_families import CONSEQUENCES, Expect, notice, physician


@dataclass
class GroupFamily:
    name: str
    split: str
    denial: str
    case: dict
    expect: list[Expect]
    groups: list[tuple[list[int], int, str]] = field(default_factory=list)
    adverse_ok: int = 0
    unneeded: list[int] = field(default_factory=list)
    must: list[str] = field(default_factory=list)
    must_not: list[str] = field(default_factory=list)


def _patient(name: str, born: str, member: str) -> dict:
    return {"name": name, "date_of_birth": born, "member_id": member}


GROUP_FAMILIES: list[GroupFamily] = [
    # ------------------------------------------------------------------ held-out (written first)
    GroupFamily(
        "gastric-stim-two-of",
        "heldout",
        notice(
            "Prairie Summit Health",
            "November 9, 2026",
            "PSH-40218-77310",
            "CPT 43647 - Implantation of gastric neurostimulator electrodes",
            "ICD-10-CM K31.84 - Gastroparesis",
            """Policy GI-0412, Gastric Electrical Stimulation, was applied.

A. Gastroparesis confirmed by gastric emptying scintigraphy with retention of more than 60% at
   2 hours. (Met)

B. Severity: AT LEAST TWO of B1-B4 must be documented.
   B1. Nausea or vomiting on at least 7 days per week.
   B2. Weight loss of at least 5% of body weight over 3 months.
   B3. At least 2 hospital admissions for gastroparesis in the past 12 months.
   B4. Failure of at least 2 antiemetic medications.

Section B was not documented; the request is denied.""",
        ),
        {
            "patient": _patient("Loretta J. Amsel", "1979-05-02", "PSH-40218-77310"),
            "physician": physician("Howard T. Quillen", "Gastroenterology"),
            "diagnoses": [{"code": "K31.84", "description": "Gastroparesis"}],
            "service": {"code": "43647", "description": "Gastric electrical stimulator"},
            "clinical_summary": (
                "47-year-old woman with diabetic gastroparesis. She was admitted once this year "
                "for dehydration. She lost 6.1 kg over the last 3 months."
            ),
            "prior_treatments": [
                {
                    "name": "Metoclopramide",
                    "kind": "medication",
                    "dose": "10 mg",
                    "start": "2025-01-10",
                    "end": "2025-06-01",
                    "outcome": "No benefit; tremor",
                },
                {
                    "name": "Ondansetron",
                    "kind": "medication",
                    "dose": "8 mg",
                    "start": "2025-06-05",
                    "end": "2025-11-01",
                    "outcome": "Failed",
                },
                {
                    "name": "Prochlorperazine",
                    "kind": "medication",
                    "dose": "10 mg",
                    "start": "2025-11-05",
                    "end": "2026-05-01",
                    "outcome": "Failed",
                },
            ],
            "objective_findings": [
                {
                    "kind": "imaging",
                    "name": "Gastric emptying scintigraphy",
                    "value": "72% retention at 2 hours",
                    "date": "2026-08-14",
                },
                {
                    "kind": "vital",
                    "name": "Weight loss over 3 months",
                    "value": "8% (76.2 kg to 70.1 kg)",
                    "date": "2026-10-30",
                },
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [
            Expect(3, "met", {"objective_findings[1]"}, words="Weight loss of at least 5%"),
            Expect(
                5,
                "met",
                {"prior_treatments[0]", "prior_treatments[1]", "prior_treatments[2]"},
                words="antiemetic",
            ),
        ],
        groups=[([1, 2, 3, 4], 2, "AT LEAST TWO of B1-B4")],
        unneeded=[2, 4],
        must=[r"needs only two of"],
    ),
    GroupFamily(
        "psoriasis-one-of-semicolons",
        "heldout",
        notice(
            "Great Lakes Benefit Plan",
            "November 2, 2026",
            "GLB-66120-20931",
            "HCPCS J3357 - Ustekinumab",
            "ICD-10-CM L40.0 - Psoriasis vulgaris",
            """The request was reviewed against Pharmacy Policy RX-221 (Biologics for Plaque
Psoriasis). Approval requires all of the following:

1. Moderate-to-severe plaque psoriasis documented by at least one of: body surface area (BSA)
   involvement of 10% or more; Psoriasis Area and Severity Index (PASI) of 12 or more; or
   Dermatology Life Quality Index (DLQI) of 10 or more. Not documented.

2. Prescribed by a dermatologist. Met.

Denied: criterion 1 not met.""",
        ),
        {
            "patient": _patient("Victor N. Oduya", "1986-09-21", "GLB-66120-20931"),
            "physician": physician("Irene M. Castellano", "Dermatology"),
            "diagnoses": [{"code": "L40.0", "description": "Psoriasis vulgaris"}],
            "service": {"code": "J3357", "description": "Ustekinumab"},
            "clinical_summary": "40-year-old man with plaque psoriasis since 2015.",
            "objective_findings": [
                {"kind": "rating_scale", "name": "PASI", "value": "18.4", "date": "2026-10-20"},
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [Expect(1, "met", {"objective_findings[0]"})],
        must=[r"PASI"],
        must_not=[r"(?i)body surface area[^.]*(?:does not show|not shown)"],
    ),
    GroupFamily(
        "osteoporosis-two-of-lettered",
        "heldout",
        notice(
            "Cascade Valley Health",
            "October 28, 2026",
            "CVH-11842-55017",
            "HCPCS J3111 - Romosozumab",
            "ICD-10-CM M81.0 - Age-related osteoporosis",
            """Criteria (Policy PH-88, Anabolic Agents for Osteoporosis):

1. Very high fracture risk, shown by at least two of the following:
   a. a T-score of -2.5 or lower at the spine or hip;
   b. a fragility fracture within the past 12 months;
   c. a FRAX 10-year major osteoporotic fracture risk of 20% or more.

Reviewer: criterion 1 not met.""",
        ),
        {
            "patient": _patient("Margit E. Sorensen", "1951-02-11", "CVH-11842-55017"),
            "physician": physician("Paul D. Nwachukwu", "Endocrinology"),
            "diagnoses": [{"code": "M81.0", "description": "Age-related osteoporosis"}],
            "service": {"code": "J3111", "description": "Romosozumab"},
            "clinical_summary": "75-year-old woman with osteoporosis; no fracture to date.",
            "objective_findings": [
                {
                    "kind": "imaging",
                    "name": "DXA T-score, lumbar spine",
                    "value": "-3.1",
                    "date": "2026-09-03",
                },
                {
                    "kind": "other",
                    "name": "FRAX 10-year major osteoporotic fracture risk",
                    "value": "24%",
                    "date": "2026-09-03",
                },
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [Expect(1, "met", {"objective_findings[0]", "objective_findings[1]"})],
        must_not=[r"(?i)fragility fracture[^.]*(?:does not show|not shown)"],
    ),
    GroupFamily(
        "oxygen-any-one-of-criteria",
        "heldout",
        notice(
            "Heartland Senior Advantage",
            "November 16, 2026",
            "HSA-30411-88120",
            "HCPCS E1390 - Oxygen concentrator",
            "ICD-10-CM J44.9 - Chronic obstructive pulmonary disease",
            """Home oxygen is covered when criterion 1 is met and any one of criteria 2, 3 or 4 is
met.

1. A chronic lung disease expected to improve with oxygen, with the treating physician's
   evaluation in the past 30 days. Met.
2. Arterial PaO2 of 55 mm Hg or less at rest. Not documented.
3. Oxygen saturation of 88% or less at rest. Not documented.
4. Oxygen saturation of 88% or less during exercise, improved by oxygen. Not documented.""",
        ),
        {
            "patient": _patient("Eugene R. Pallister", "1949-07-30", "HSA-30411-88120"),
            "physician": physician("Naomi S. Trevino", "Pulmonology"),
            "diagnoses": [
                {"code": "J44.9", "description": "Chronic obstructive pulmonary disease"}
            ],
            "service": {"code": "E1390", "description": "Oxygen concentrator"},
            "clinical_summary": "77-year-old man with severe COPD, seen in clinic on 2026-11-02.",
            "objective_findings": [
                {
                    "kind": "vital",
                    "name": "Oxygen saturation at rest (room air)",
                    "value": "86%",
                    "date": "2026-11-02",
                },
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [Expect(3, "met", {"objective_findings[0]"})],
        groups=[([1, 2, 3], 1, "any one of criteria 2, 3 or 4")],
        unneeded=[2, 4],
        must=[r"needs only one of"],
    ),
    GroupFamily(
        "venous-ablation-absence",
        "heldout",
        notice(
            "Tri-County Health Plan",
            "November 14, 2026",
            "TCH-70112-34410",
            "CPT 36475 - Endovenous radiofrequency ablation, first vein",
            "ICD-10-CM I83.811 - Varicose veins of right lower extremity with pain",
            """Medical Policy VAS-19 (Treatment of Varicose Veins) requires all of the following:

1. Duplex ultrasound within the past 6 months showing reflux of more than 0.5 seconds in the
   great saphenous vein and no deep venous obstruction. Not met.
2. Persistent symptoms after at least 3 months of compression stockings. Met.""",
        ),
        {
            "patient": _patient("Harriet L. Boyce", "1968-01-19", "TCH-70112-34410"),
            "physician": physician("Samuel J. Okafor", "Vascular Surgery"),
            "diagnoses": [{"code": "I83.811", "description": "Varicose veins, right leg, pain"}],
            "service": {"code": "36475", "description": "Radiofrequency ablation, right GSV"},
            "clinical_summary": "58-year-old woman with painful right leg varicose veins.",
            "objective_findings": [
                {
                    "kind": "imaging",
                    "name": "Venous duplex, right leg",
                    "value": "Great saphenous vein reflux 1.1 seconds; deep veins patent with no "
                    "deep venous obstruction",
                    "date": "2026-10-02",
                },
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [Expect(1, "met", {"objective_findings[0]"})],
        must_not=[r"does not meet it"],
    ),
    GroupFamily(
        "migraine-frequency-garble",
        "heldout",
        notice(
            "Keystone Medicare Rx",
            "November 19, 2026",
            "KMR-22091-10457",
            "NDC 72618-3000 - Rimegepant 75 mg ODT, 16 tablets per 30 days",
            "ICD-10-CM G43.909 - Migraine, unspecified",
            """Coverage criteria for preventive use:

1. Episodic migraine averaging at least 4 migraine days per month over the past 3 months.
   Not documented.
2. The member is not using a CGRP monoclonal antibody at the same time. Not documented.""",
        ),
        {
            "patient": _patient("Rosa M. Delacroix", "1982-02-14", "KMR-22091-10457"),
            "physician": physician("Anil V. Deshpande", "Neurology"),
            "diagnoses": [{"code": "G43.909", "description": "Migraine"}],
            "service": {"code": "72618-3000", "description": "Rimegepant 75 mg"},
            "clinical_summary": (
                "44-year-old woman with episodic migraine. Her headache diary shows 8 migraine "
                "days per month over the past 3 months. She stopped erenumab in March 2026."
            ),
            "consequences_of_denial": CONSEQUENCES,
        },
        [],
        must_not=[r"does not meet it", r"The plan requires (?:over|episodic migraine averaging)"],
    ),
    # ------------------------------------------------------------------ tuned
    GroupFamily(
        "asthma-biologic-one-of",
        "tune",
        notice(
            "Blue Harbor Health",
            "November 4, 2026",
            "BHH-55102-11873",
            "HCPCS J2182 - Mepolizumab",
            "ICD-10-CM J45.50 - Severe persistent asthma",
            """Policy RX-310 (Anti-IL-5 therapy) requires:

1. Eosinophilic phenotype documented by at least one of: blood eosinophils of 150 cells/uL or
   more; or fractional exhaled nitric oxide (FeNO) of 25 ppb or more. Not documented.
2. At least 2 asthma exacerbations requiring oral corticosteroids in the past 12 months. Met.""",
        ),
        {
            "patient": _patient("Celia A. Brandt", "1990-04-08", "BHH-55102-11873"),
            "physician": physician("Omar K. Haddad", "Pulmonology"),
            "diagnoses": [{"code": "J45.50", "description": "Severe persistent asthma"}],
            "service": {"code": "J2182", "description": "Mepolizumab"},
            "clinical_summary": "36-year-old woman with severe asthma.",
            "objective_findings": [
                {
                    "kind": "lab",
                    "name": "Blood eosinophils",
                    "value": "420 cells/uL",
                    "date": "2026-10-01",
                },
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [Expect(1, "met", {"objective_findings[0]"})],
        must_not=[r"(?i)nitric oxide[^.]*(?:does not show|not shown)"],
    ),
    GroupFamily(
        "bariatric-comorbidity-criteria",
        "tune",
        notice(
            "Summit Ridge Health",
            "November 10, 2026",
            "SRH-22014-66180",
            "CPT 43775 - Laparoscopic sleeve gastrectomy",
            "ICD-10-CM E66.01 - Morbid obesity due to excess calories",
            """Policy SUR-41 requires criterion 1 and at least one of criteria 2 to 4.

1. Body mass index of 35 or more. Met.
2. Type 2 diabetes with HbA1c of 6.5% or more.
3. Obstructive sleep apnea with AHI of 15 or more.
4. Hypertension requiring at least 2 medications.

No qualifying comorbidity was documented.""",
        ),
        {
            "patient": _patient("Derek P. Wollmann", "1980-12-01", "SRH-22014-66180"),
            "physician": physician("Alicia G. Fenwick", "Bariatric Surgery"),
            "diagnoses": [{"code": "E66.01", "description": "Morbid obesity"}],
            "service": {"code": "43775", "description": "Sleeve gastrectomy"},
            "clinical_summary": "45-year-old man, BMI 38.2, with sleep apnea on CPAP.",
            "objective_findings": [
                {
                    "kind": "other",
                    "name": "Polysomnography AHI",
                    "value": "31 events/hour",
                    "date": "2026-06-12",
                },
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [Expect(3, "met", {"objective_findings[0]"})],
        groups=[([1, 2, 3], 1, "at least one of criteria 2 to 4")],
        unneeded=[2, 4],
        must=[r"needs only one of"],
    ),
    GroupFamily(
        "knee-absence-infection",
        "tune",
        notice(
            "Mesa Verde Health",
            "November 12, 2026",
            "MVH-55021-80934",
            "CPT 27447 - Total knee arthroplasty",
            "ICD-10-CM M17.11 - Primary osteoarthritis, right knee",
            """Policy ORT-7 requires:

1. No active infection and no deep vein thrombosis of the operative leg. Not documented.
2. Failure of at least 3 months of physical therapy. Met.""",
        ),
        {
            "patient": _patient("Walter E. Brandvold", "1957-08-03", "MVH-55021-80934"),
            "physician": physician("Priya R. Castellanos", "Orthopaedic Surgery"),
            "diagnoses": [{"code": "M17.11", "description": "Osteoarthritis, right knee"}],
            "service": {"code": "27447", "description": "Right total knee arthroplasty"},
            "clinical_summary": "69-year-old man with end-stage right knee osteoarthritis.",
            "objective_findings": [
                {
                    "kind": "imaging",
                    "name": "Venous Doppler, right leg",
                    "value": "Veins compressible; no deep vein thrombosis",
                    "date": "2026-10-28",
                },
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [],
        adverse_ok=1,  # no fact speaks of an active infection: rightly not shown
        must_not=[r"does not meet it"],
    ),
    GroupFamily(
        "bone-growth-garble",
        "tune",
        notice(
            "Pine Ridge Health",
            "November 3, 2026",
            "PRH-81102-22871",
            "HCPCS E0747 - Osteogenesis stimulator, electrical, non-invasive",
            "ICD-10-CM S82.201K - Nonunion of fracture of shaft of right tibia",
            """Policy DME-31 requires:

1. At least 2 sets of radiographs obtained at least 90 days apart showing no progression of
   healing. Not documented.""",
        ),
        {
            "patient": _patient("Colin T. Marchetti", "1990-06-25", "PRH-81102-22871"),
            "physician": physician("Evelyn S. Nakamura", "Orthopaedic Surgery"),
            "diagnoses": [{"code": "S82.201K", "description": "Nonunion, right tibial shaft"}],
            "service": {"code": "E0747", "description": "Bone growth stimulator"},
            "clinical_summary": "36-year-old man with a tibial shaft nonunion.",
            "objective_findings": [
                {
                    "kind": "imaging",
                    "name": "Radiographs right tibia",
                    "value": "No bridging callus",
                    "date": "2026-04-14",
                },
                {
                    "kind": "imaging",
                    "name": "Radiographs right tibia",
                    "value": "Unchanged; no progression of healing",
                    "date": "2026-07-20",
                },
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [],
        must_not=[r"The plan requires sets of radiographs obtained"],
    ),
]
