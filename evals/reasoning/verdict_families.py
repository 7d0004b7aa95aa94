"""Labelled denials for the wrong-verdict shapes a blind reading found (verdicts lane, round 12):

1. a lab's name holding a digit read as its value ('HIV-1 RNA 18,400 copies/mL' read as 1,
   'IL-6', 'FEV1 48%', 'CKD-EPI 2021 eGFR 48'): the value compared is the result's;
2. a test scheduled, ordered or pending counted as done: it is ``pending`` (not met; the letter
   asks for approval on its result or says when it is sent, never claims it);
3. a trial counted that fails the requirement's qualifier (prescription strength, maximally
   tolerated or therapeutic dose, at least N weeks, in the past 12 months): ``not_met``;
4. a member that does not apply to this patient (the other sex, 'for continuation requests
   only' on an initial request, 'if female of reproductive potential'): ``not_applicable``;
5. a duration whose dates cross a year end, or whose dates and written length disagree: the
   dates decide.

The two held-out families were written first, before any code was changed for these shapes, and
their output was not looked at while changing it. Statuses: met, not_met, unknown, pending,
not_applicable, payer_met. ``VALUES``: per family, the patient's value each numeric requirement
whose subject holds the words must compare (the result's, never a digit of the test's name).
"""

from __future__ import annotations

from evals.reasoning.letter_families import CONSEQUENCES, Expect, LetterFamily, notice, physician

VERDICT_FAMILIES: list[LetterFamily] = [
    # ------------------------------------------------------------------ held-out (written first)
    LetterFamily(
        "hiv-salvage",
        "heldout",
        notice(
            "Prairie State Health Plan",
            "November 16, 2026",
            "PSH-30917-66402",
            "HCPCS J1961 - Injection, lenacapavir, 1 mg",
            "ICD-10-CM B20 - Human immunodeficiency virus [HIV] disease",
            """Clinical Policy RX-118 (Capsid inhibitors). Approval requires ALL of the following:

  1. Viral load: HIV-1 RNA of 200 copies/mL or more on the current regimen. (Not met)

  2. Genotypic or phenotypic resistance testing documenting resistance to at least two
     antiretroviral classes. Reviewer: no resistance report was received.

  3. For members who are female of reproductive potential: a negative pregnancy test within
     30 days of the request. (Not documented)

  4. Adherence to the current antiretroviral regimen for at least 6 months. (Not met)

The request does not meet criteria 1 through 4.""",
        ),
        {
            "patient": {
                "name": "Tobias E. Marchetti",
                "date_of_birth": "1969-04-30",
                "member_id": "PSH-30917-66402",
            },
            "insurer": "Prairie State Health Plan",
            "physician": physician("Ingrid S. Vaughan", "Infectious Disease"),
            "diagnoses": [{"code": "B20", "description": "HIV disease"}],
            "service": {
                "code": "J1961",
                "description": "Lenacapavir subcutaneous injection every 6 months",
                "details": "927 mg every 26 weeks after oral loading",
            },
            "clinical_summary": (
                "57-year-old man with HIV since 1998 and multiclass resistance. He has taken "
                "his current regimen without missed doses since the middle of last year; his "
                "viral load has stayed detectable."
            ),
            "prior_treatments": [
                {
                    "name": "Dolutegravir plus darunavir/cobicistat",
                    "kind": "medication",
                    "dose": "50 mg twice daily; 800/150 mg daily",
                    "start": "2025-12-15",
                    "end": "2026-11-10",
                    "duration": "over a year",
                    "outcome": "Adherent by pharmacy refill and pill counts; viral load remains "
                    "detectable",
                },
            ],
            "objective_findings": [
                {
                    "kind": "lab",
                    "name": "HIV-1 RNA PCR (quantitative)",
                    "value": "18,400 copies/mL",
                    "date": "2026-10-28",
                },
                {
                    "kind": "lab",
                    "name": "CD4 absolute count",
                    "value": "212 cells/mm3",
                    "date": "2026-10-28",
                },
                {
                    "kind": "lab",
                    "name": "HIV-1 genotypic resistance assay (integrase and protease)",
                    "value": "Specimen sent to reference laboratory 11/12/2026; report pending",
                    "date": "2026-11-12",
                },
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [
            Expect(1, "met", {"objective_findings[0]"}, words="HIV-1 RNA of 200"),
            Expect(2, "pending", {"objective_findings[2]"}, words="resistance testing"),
            Expect(3, "not_applicable", set(), words="female of reproductive"),
            Expect(4, "met", {"prior_treatments[0]"}, words="Adherence"),
        ],
    ),
    LetterFamily(
        "asthma-biologic",
        "heldout",
        notice(
            "Keystone Allied Health",
            "November 9, 2026",
            "KAH-58120-04471",
            "HCPCS J2182 - Injection, mepolizumab, 1 mg",
            "ICD-10-CM J45.50 - Severe persistent asthma, uncomplicated",
            """Reviewed against Pharmacy Policy 5.12 (Anti-IL-5 therapy), initial authorization.

  A. Pre-bronchodilator FEV1 below 80% of predicted within the past 12 months
     -- Reviewer: not met
  B. Blood eosinophils of 150 cells/uL or higher -- Reviewer: met
  C. At least 3 months of a high-dose inhaled corticosteroid combined with a long-acting
     beta agonist -- Reviewer: not met
  D. Continuation requests only: a documented reduction in exacerbations since starting
     therapy -- Reviewer: not documented

Determination: not medically necessary.""",
        ),
        {
            "patient": {
                "name": "Priya N. Haldane",
                "date_of_birth": "1990-02-11",
                "member_id": "KAH-58120-04471",
            },
            "insurer": "Keystone Allied Health",
            "physician": physician("Colm D. Arbuthnot", "Pulmonology"),
            "diagnoses": [{"code": "J45.50", "description": "Severe persistent asthma"}],
            "service": {
                "code": "J2182",
                "description": "Mepolizumab 100 mg subcutaneously every 4 weeks",
                "details": "Initial request, 13 doses over 12 months",
            },
            "clinical_summary": (
                "36-year-old woman with eosinophilic asthma and three oral steroid bursts this "
                "year. She uses fluticasone/salmeterol 250/50 twice daily."
            ),
            "prior_treatments": [
                {
                    "name": "Fluticasone propionate/salmeterol 250/50 mcg",
                    "kind": "medication",
                    "dose": "250/50 mcg",
                    "frequency": "one inhalation twice daily",
                    "start": "2026-03-02",
                    "end": "2026-10-30",
                    "outcome": "Three exacerbations needing prednisone despite adherence",
                },
            ],
            "objective_findings": [
                {
                    "kind": "lab",
                    "name": "Spirometry FEV1 (pre-bronchodilator)",
                    "value": "FEV1 1.92 L, 61% of predicted",
                    "date": "2026-09-15",
                },
                {
                    "kind": "lab",
                    "name": "Absolute eosinophil count",
                    "value": "410 cells/uL",
                    "date": "2026-09-15",
                },
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [
            Expect(1, "met", {"objective_findings[0]"}, words="FEV1 below 80%"),
            Expect(3, "not_met", {"prior_treatments[0]"}, words="high-dose inhaled"),
            Expect(4, "not_applicable", set(), words="Continuation requests only"),
        ],
    ),
    # ------------------------------------------------------------------ tuned
    LetterFamily(
        "lupus-nephritis",
        "tune",
        notice(
            "Harborview Community Health",
            "November 13, 2026",
            "HCH-22650-81730",
            "HCPCS J0490 - Injection, belimumab, 10 mg",
            "ICD-10-CM M32.14 - Glomerular disease in systemic lupus erythematosus",
            """Medical policy MP-311, Belimumab for lupus nephritis. All of the following are
required:

  1. Low complement (C3 below 90 mg/dL or C4 below 10 mg/dL). Reviewer: not met.

  2. eGFR of at least 30 mL/min/1.73m2. Reviewer: not met.

  3. Kidney biopsy showing ISN/RPS class III, IV or V lupus nephritis. Reviewer: not met.

  4. Hydroxychloroquine at a therapeutic dose for at least 12 weeks, unless contraindicated.
     Reviewer: not met.

The request is denied.""",
        ),
        {
            "patient": {
                "name": "Renata O. Fairbanks",
                "date_of_birth": "1994-07-19",
                "member_id": "HCH-22650-81730",
            },
            "insurer": "Harborview Community Health",
            "physician": physician("Samuel K. Adeyemi", "Rheumatology"),
            "diagnoses": [{"code": "M32.14", "description": "Lupus nephritis"}],
            "service": {
                "code": "J0490",
                "description": "Belimumab 10 mg/kg intravenously",
                "details": "Every 2 weeks for 3 doses, then every 4 weeks",
            },
            "clinical_summary": (
                "32-year-old woman with SLE since 2019 and new proteinuria. The kidney "
                "biopsy is booked."
            ),
            "prior_treatments": [
                {
                    "name": "Hydroxychloroquine",
                    "kind": "medication",
                    "dose": "200 mg",
                    "frequency": "once daily",
                    "start": "2026-08-24",
                    "end": "2026-10-19",
                    "outcome": "Stopped for a rash; proteinuria unchanged",
                },
            ],
            "objective_findings": [
                {
                    "kind": "lab",
                    "name": "Complement C3/C4",
                    "value": "C3 58 mg/dL; C4 6 mg/dL",
                    "date": "2026-10-20",
                },
                {
                    "kind": "lab",
                    "name": "CKD-EPI 2021 eGFR",
                    "value": "48 mL/min/1.73m2",
                    "date": "2026-10-20",
                },
                {
                    "kind": "other",
                    "name": "Percutaneous kidney biopsy",
                    "value": "Scheduled for December 3, 2026 with interventional radiology",
                },
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [
            Expect(1, "met", {"objective_findings[0]"}, words="Low complement"),
            Expect(2, "met", {"objective_findings[1]"}, words="eGFR of at least"),
            Expect(3, "pending", {"objective_findings[2]"}, words="Kidney biopsy"),
            Expect(4, "not_met", {"prior_treatments[0]"}, words="Hydroxychloroquine"),
        ],
    ),
    LetterFamily(
        "psoriasis-biologic",
        "tune",
        notice(
            "Granite Peak Insurance",
            "November 4, 2026",
            "GPI-71844-20935",
            "HCPCS J3357 - Injection, ustekinumab, 1 mg",
            "ICD-10-CM L40.0 - Psoriasis vulgaris",
            """Coverage criteria for IL-12/23 inhibitors (policy DERM-07):
- Criterion 1: Body surface area involvement of 10% or more, or PASI of 12 or more. Status: Met.
- Criterion 2: A trial of a prescription-strength topical corticosteroid for at least 4
  weeks. Status: Not met.
- Criterion 3: Phototherapy (NB-UVB or PUVA) within the past 12 months, unless
  contraindicated. Status: Not met.
- Criterion 4: Negative tuberculosis screening (IGRA or PPD) within 12 months. Status: Met.
The request is not approved.""",
        ),
        {
            "patient": {
                "name": "Declan M. Osterhout",
                "date_of_birth": "1978-12-03",
                "member_id": "GPI-71844-20935",
            },
            "insurer": "Granite Peak Insurance",
            "physician": physician("Lena V. Castellanos", "Dermatology"),
            "diagnoses": [{"code": "L40.0", "description": "Plaque psoriasis"}],
            "service": {
                "code": "J3357",
                "description": "Ustekinumab 45 mg subcutaneously",
                "details": "Weeks 0 and 4, then every 12 weeks",
            },
            "clinical_summary": (
                "47-year-old man with plaque psoriasis on 14% of his body surface, PASI 16."
            ),
            "prior_treatments": [
                {
                    "name": "Hydrocortisone 1% cream (over the counter)",
                    "kind": "medication",
                    "frequency": "twice daily",
                    "start": "2026-05-04",
                    "end": "2026-07-06",
                    "outcome": "No improvement",
                },
                {
                    "name": "Clobetasol propionate 0.05% ointment",
                    "kind": "medication",
                    "frequency": "twice daily",
                    "start": "2026-09-07",
                    "end": "2026-09-21",
                    "outcome": "Stopped after 2 weeks for skin atrophy",
                },
                {
                    "name": "Narrowband UVB phototherapy",
                    "kind": "procedure",
                    "frequency": "three times weekly",
                    "start": "2023-02-06",
                    "end": "2023-05-29",
                    "outcome": "Partial response",
                },
            ],
            "objective_findings": [
                {
                    "kind": "exam",
                    "name": "Psoriasis Area and Severity Index",
                    "value": "PASI 16; BSA 14%",
                    "date": "2026-10-12",
                },
                {
                    "kind": "lab",
                    "name": "QuantiFERON-TB Gold Plus",
                    "value": "Negative",
                    "date": "2026-10-12",
                },
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [
            Expect(
                2,
                "not_met",
                {"prior_treatments[0]", "prior_treatments[1]"},
                words="prescription-strength",
            ),
            Expect(3, "not_met", {"prior_treatments[2]"}, words="Phototherapy"),
        ],
    ),
    LetterFamily(
        "diabetes-glp1",
        "tune",
        notice(
            "Tidewater Health Partners",
            "November 11, 2026",
            "THP-40562-99013",
            "Tirzepatide 5 mg/0.5 mL pen (pharmacy benefit)",
            "ICD-10-CM E11.65 - Type 2 diabetes mellitus with hyperglycemia",
            """Step therapy review (Policy PH-220). The member must meet each of the following:

(a) HbA1c of 7.5% or higher on current therapy -- NOT MET
(b) Metformin at the maximally tolerated dose for at least 3 months -- NOT MET
(c) If female of reproductive potential: counselling on contraception -- NOT DOCUMENTED

Outcome: denied.""",
        ),
        {
            "patient": {
                "name": "Horace B. Lindqvist",
                "date_of_birth": "1963-05-08",
                "member_id": "THP-40562-99013",
            },
            "insurer": "Tidewater Health Partners",
            "physician": physician("Abena R. Mensah", "Endocrinology"),
            "diagnoses": [{"code": "E11.65", "description": "Type 2 diabetes with hyperglycemia"}],
            "service": {
                "code": "NDC 00002-1506-80",
                "description": "Tirzepatide 5 mg weekly",
                "details": "4 pens per 28 days",
            },
            "clinical_summary": "63-year-old man with type 2 diabetes since 2015.",
            "prior_treatments": [
                {
                    "name": "Metformin ER",
                    "kind": "medication",
                    "dose": "2000 mg",
                    "frequency": "once daily",
                    "start": "2025-11-10",
                    "end": "2026-01-20",
                    "duration": "3 months",
                    "outcome": "Stopped for diarrhea at 2000 mg; 1500 mg not tolerated either",
                },
            ],
            "objective_findings": [
                {
                    "kind": "lab",
                    "name": "Hemoglobin A1c",
                    "value": "HbA1c 8.2%",
                    "date": "2026-10-02",
                },
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [
            Expect(1, "met", {"objective_findings[0]"}, words="HbA1c of 7.5%"),
            Expect(2, "not_met", {"prior_treatments[0]"}, words="Metformin at the maximally"),
            Expect(3, "not_applicable", set(), words="female of reproductive"),
        ],
    ),
    LetterFamily(
        "copd-rehab",
        "tune",
        notice(
            "Mesa Verde Health Plan",
            "November 6, 2026",
            "MVH-18273-55096",
            "HCPCS G0424 - Pulmonary rehabilitation, per session",
            "ICD-10-CM J44.1 - COPD with acute exacerbation",
            """Policy MV-PULM-4 criteria (the reviewer's findings follow each):
1) FEV1 of 50% of predicted or less after bronchodilator. Not met.
2) Post-bronchodilator FEV1/FVC ratio below 0.70. Met.
3) Cardiopulmonary exercise testing completed before the first session. Not met.
4) Renewal requests: documented improvement in 6-minute walk distance of 30 meters or
   more. Not met.
Decision: denied as not medically necessary.""",
        ),
        {
            "patient": {
                "name": "Walter J. Pemberton",
                "date_of_birth": "1955-01-27",
                "member_id": "MVH-18273-55096",
            },
            "insurer": "Mesa Verde Health Plan",
            "physician": physician("Noor H. Rashidi", "Pulmonology"),
            "diagnoses": [{"code": "J44.1", "description": "COPD with exacerbation"}],
            "service": {
                "code": "G0424",
                "description": "Outpatient pulmonary rehabilitation",
                "details": "First course: 36 sessions, 2 per week",
            },
            "clinical_summary": (
                "71-year-old man with COPD, two admissions this year. His exercise test has "
                "been ordered and is awaiting a slot."
            ),
            "objective_findings": [
                {
                    "kind": "lab",
                    "name": "Spirometry (post-bronchodilator)",
                    "value": "FEV1 48% predicted; FEV1/FVC 0.58",
                    "date": "2026-09-30",
                },
                {
                    "kind": "other",
                    "name": "Cardiopulmonary exercise test",
                    "value": "Ordered 10/28/2026; awaiting scheduling",
                },
                {
                    "kind": "exam",
                    "name": "6-minute walk test",
                    "value": "260 meters",
                    "date": "2026-09-30",
                },
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [
            Expect(1, "met", {"objective_findings[0]"}, words="FEV1 of 50%"),
            Expect(2, "met|payer_met", {"objective_findings[0]"}, words="FEV1/FVC ratio"),
            Expect(3, "pending", {"objective_findings[1]"}, words="Cardiopulmonary exercise"),
            Expect(4, "not_applicable", set(), words="Renewal requests"),
        ],
    ),
]

VALUES: dict[str, list[tuple[str, float]]] = {
    "hiv-salvage": [("RNA", 18400.0)],
    "asthma-biologic": [("FEV1", 61.0), ("osinophil", 410.0)],
    "lupus-nephritis": [("C3", 58.0), ("C4", 6.0), ("eGFR", 48.0)],
    "psoriasis-biologic": [("PASI", 16.0), ("surface", 14.0)],
    "diabetes-glp1": [("HbA1c", 8.2)],
    "copd-rehab": [("FEV1 ", 48.0), ("FEV1/FVC", 0.58), ("walk", 260.0)],
}
"""Per family: words of a numeric requirement's subject and the value it must compare."""
