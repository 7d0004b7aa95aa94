"""Labelled denials read end to end (notice text -> criteria -> verdicts -> letter), for the
defect kinds a blind reading of last round's letters found in the criteria sections:

1. lettered sub-criteria ('2. ALL of the following: a. ... b. ... c. ...', '(i)/(ii)') judged as
   one whole: each sub-item needs its own verdict and evidence, and the parent follows the
   'all'/'one of' structure;
2. a part the payer conceded as met (in its finding's own words) shown as 'not shown' or argued:
   it is stated as met per the plan's own finding;
3. the payer's finding leaking into the quoted requirement ('... required. Reviewer: not
   documented');
4. a fact meeting a requirement because it names the same device or body part, without stating
   the event or measure the requirement turns on (explantation 'met' by a line naming the
   implant);
5. a time window with units ('within 90 days of the request', 'in the past 6 months') not
   compared with the fact's date.

The held-out families were written on 2026-12-06 before any code was changed for these kinds,
from the kinds' descriptions only, and were not looked at while changing it. Each expectation
names a criterion (1-based, as the notice numbers it) and, for a sub-item, words of its own text
(``part``); the status a physician reading the case gives it (``payer_met`` for a part the payer
conceded) and the case paths that answer it (an empty set: no fact answers it, any evidence is
wrong). ``must``/``must_not`` are regular expressions over the drafted letter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

D = dt.date


@dataclass
class Expect:
    criterion: int
    status: str
    evidence: set[str]
    part: str | None = None
    """Words of the sub-item's own text; None for the criterion as a whole."""
    words: str | None = None
    """Words of the criterion's own text that find it however the reader numbers the list
    (None: its items' criteria, or the notice's number)."""


@dataclass
class LetterFamily:
    name: str
    split: str
    denial: str
    case: dict
    expect: list[Expect]
    leaks: list[str] = field(default_factory=list)
    """Words of the payer's findings that must not appear in any quoted requirement."""
    must: list[str] = field(default_factory=list)
    must_not: list[str] = field(default_factory=list)
    today: dt.date = dt.date(2026, 11, 20)


def notice(payer: str, date: str, member: str, code: str, dx: str, body: str) -> str:
    """A short denial notice around its criteria block."""
    return f"""{payer}
Utilization Management
PO Box 5500, Columbus, OH 43215
Phone: 1-800-555-0170

Date of notice: {date}

Member ID: {member}
Reference Number: UM-{member[-5:]}
Plan: {payer} PPO (employer group, fully insured)

We reviewed the request for:
  {code}
  Diagnosis: {dx}

{body}

Peer-to-peer: Your doctor may call 1-800-555-0171 within 5 business days.

YOUR APPEAL RIGHTS
You may appeal within 180 days of this notice. Send your appeal to {payer}, Appeals Unit,
PO Box 5510, Columbus, OH 43215.
"""


def physician(name: str, specialty: str) -> dict:
    return {
        "name": name,
        "credentials": "MD",
        "specialty": specialty,
        "npi": "1234567893",
        "license": "OH 35.123456",
        "practice_name": "Lakeshore Specialty Clinic",
        "address": "100 Main St, Columbus, OH 43215",
        "phone": "(614) 555-0101",
    }


CONSEQUENCES = (
    "Without the service the patient's symptoms and function will keep worsening, with more "
    "missed work, emergency visits and loss of independence at home."
)


LETTER_FAMILIES: list[LetterFamily] = [
    # ------------------------------------------------------------------ held-out (written first)
    LetterFamily(
        "scs-permanent",
        "heldout",
        notice(
            "Buckeye Mutual Health",
            "November 12, 2026",
            "BMH-77120-31904",
            "CPT 63685 - Insertion or replacement of spinal neurostimulator pulse generator",
            "ICD-10-CM G89.4 - Chronic pain syndrome",
            """Our reviewer applied Buckeye Mutual Medical Policy 7.01.25, Spinal Cord Stimulation.
Permanent implantation is covered when all of the following are met:

  1. Chronic neuropathic pain of the trunk or limbs for at least 6 months. (Met)

  2. A psychological evaluation in the past 12 months finding no untreated psychiatric
     contraindication. Reviewer: not documented.

  3. A successful trial of spinal cord stimulation, demonstrated by:
     (i) at least 50% reduction in pain during the trial; and
     (ii) improvement in function or reduction in analgesic use.
     Reviewer: The trial notes document 60% pain relief. Functional improvement was not
     documented.

The request is denied because criteria 2 and 3 are not met.""",
        ),
        {
            "patient": {
                "name": "Dana K. Whitfield",
                "date_of_birth": "1972-03-14",
                "member_id": "BMH-77120-31904",
            },
            "insurer": "Buckeye Mutual Health",
            "physician": physician("Rafael O. Stenberg", "Pain Medicine"),
            "diagnoses": [{"code": "G89.4", "description": "Chronic pain syndrome"}],
            "service": {
                "code": "63685",
                "description": "Permanent spinal cord stimulator",
                "details": "Outpatient, planned 2026-12-10",
            },
            "clinical_summary": (
                "54-year-old woman with neuropathic pain of the left leg since a 2021 "
                "laminectomy. During the 7-day trial in October 2026 her pain fell from 8/10 "
                "to 3/10, she walked 30 minutes a day instead of 5, and she stopped "
                "oxycodone entirely."
            ),
            "prior_treatments": [
                {
                    "name": "Gabapentin",
                    "kind": "medication",
                    "dose": "900 mg",
                    "frequency": "three times daily",
                    "start": "2022-01-10",
                    "end": "2023-03-01",
                    "outcome": "Inadequate relief",
                },
                {
                    "name": "Spinal cord stimulator trial (7 days)",
                    "kind": "procedure",
                    "start": "2026-10-06",
                    "end": "2026-10-13",
                    "outcome": "Pain 8/10 to 3/10 (62% reduction); walking 5 to 30 minutes a day; "
                    "oxycodone stopped",
                },
            ],
            "objective_findings": [
                {
                    "kind": "other",
                    "name": "Psychological evaluation (Dr. Amara Osei, PhD)",
                    "value": "No psychiatric contraindication to implantation; cleared",
                    "date": "2026-06-02",
                },
                {
                    "kind": "rating_scale",
                    "name": "Oswestry Disability Index",
                    "value": "52% before trial, 30% at end of trial",
                    "date": "2026-10-13",
                },
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [
            Expect(2, "met", {"objective_findings[0]"}, words="psychological evaluation in"),
            Expect(3, "payer_met", set(), part="50% reduction in pain"),
            Expect(
                3,
                "met",
                {"prior_treatments[1]", "objective_findings[1]"},
                part="improvement in function",
            ),
            Expect(3, "met", {"prior_treatments[1]", "objective_findings[1]"}),
        ],
        leaks=["Reviewer", "not documented"],
    ),
    LetterFamily(
        "ci-explant",
        "heldout",
        notice(
            "Buckeye Mutual Health",
            "November 5, 2026",
            "BMH-40218-55761",
            "CPT 69930 - Cochlear device implantation; CPT 69949 - removal of existing device",
            "ICD-10-CM H90.3 - Sensorineural hearing loss, bilateral",
            """Criteria reviewed (Medical Policy 7.01.05, Cochlear Implant Revision):

  1. Explantation of the existing device is necessary because of a device failure confirmed
     by integrity testing by the manufacturer. Reviewer note: no integrity test received.

  2. Audiologic testing in the past 6 months showing aided word recognition of 50% or less
     in the ear to be implanted. (Not met)

Decision: denied.""",
        ),
        {
            "patient": {
                "name": "Oren P. Lindgren",
                "date_of_birth": "1961-08-22",
                "member_id": "BMH-40218-55761",
            },
            "insurer": "Buckeye Mutual Health",
            "physician": physician("Hana T. Morioka", "Otolaryngology"),
            "diagnoses": [
                {"code": "H90.3", "description": "Sensorineural hearing loss, bilateral"}
            ],
            "service": {
                "code": "69930",
                "description": "Cochlear implant revision, right ear",
                "details": "Outpatient, planned 2026-12-03",
            },
            "clinical_summary": (
                "65-year-old man with a right cochlear implant placed in 2017. Over the past "
                "year his speech understanding with the implant has declined and he hears "
                "intermittent static. The right cochlear implant is in place and the "
                "magnet is seated on exam."
            ),
            "prior_treatments": [],
            "objective_findings": [
                {
                    "kind": "other",
                    "name": "Aided word recognition (CNC), right ear",
                    "value": "28%",
                    "date": "2026-03-18",
                },
                {
                    "kind": "imaging",
                    "name": "Skull x-ray",
                    "value": "Cochlear implant electrode array in expected position",
                    "date": "2026-09-30",
                },
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [
            Expect(1, "unknown|not_met", set(), words="Explantation"),
            Expect(2, "not_met", {"objective_findings[0]"}, words="Audiologic testing"),
        ],
        leaks=["Reviewer note", "no integrity test received"],
        must=[r"within (?:the past )?6 months|in the past 6 months"],
    ),
    LetterFamily(
        "bariatric-window",
        "heldout",
        notice(
            "Buckeye Mutual Health",
            "November 10, 2026",
            "BMH-61033-20488",
            "CPT 43775 - Laparoscopic sleeve gastrectomy",
            "ICD-10-CM E66.01 - Morbid obesity due to excess calories",
            """Medical Policy 7.01.47, Bariatric Surgery. The following were reviewed:

  1. Body mass index, with ONE of the following:
     a. BMI of 40 or more; or
     b. BMI of 35 or more with at least one obesity-related comorbidity.
     (Met)

  2. A nutrition evaluation by a registered dietitian within 90 days before surgery is
     required. Reviewer: the nutrition evaluation submitted is outdated.

  3. Documentation of ALL of the following:
     a. participation in a physician-supervised weight management program for at least 6
        months; and
     b. a psychological evaluation clearing the member for surgery.
     Reviewer: the weight management program is documented; no psychological evaluation was
     received.

Criteria 2 and 3 are not met.""",
        ),
        {
            "patient": {
                "name": "Marisol F. Quintero",
                "date_of_birth": "1985-11-02",
                "member_id": "BMH-61033-20488",
            },
            "insurer": "Buckeye Mutual Health",
            "physician": physician("Gideon R. Achebe", "Bariatric Surgery"),
            "diagnoses": [
                {"code": "E66.01", "description": "Morbid obesity due to excess calories"},
                {"code": "E11.9", "description": "Type 2 diabetes mellitus"},
            ],
            "service": {
                "code": "43775",
                "description": "Laparoscopic sleeve gastrectomy",
                "details": "Inpatient, planned 2026-12-15",
            },
            "clinical_summary": (
                "41-year-old woman with a BMI of 43 and type 2 diabetes. She lost 6 kg in a "
                "physician-supervised weight management program from January to August 2026."
            ),
            "prior_treatments": [
                {
                    "name": "Physician-supervised weight management program",
                    "kind": "therapy",
                    "start": "2026-01-15",
                    "end": "2026-08-20",
                    "frequency": "monthly visits",
                    "outcome": "6 kg lost; BMI 45 to 43",
                },
            ],
            "objective_findings": [
                {
                    "kind": "other",
                    "name": "Registered dietitian nutrition evaluation",
                    "value": "Completed; diet plan for surgery",
                    "date": "2026-05-04",
                },
                {"kind": "vital", "name": "BMI", "value": "43.1 kg/m2", "date": "2026-10-20"},
                {"kind": "lab", "name": "HbA1c", "value": "7.4%", "date": "2026-10-20"},
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [
            Expect(2, "not_met", {"objective_findings[0]"}, words="nutrition evaluation"),
            Expect(3, "payer_met", set(), part="weight management program"),
            Expect(3, "unknown", set(), part="psychological evaluation"),
            Expect(3, "unknown", set()),
        ],
        leaks=["Reviewer", "outdated", "no psychological evaluation"],
        must=[r"within 90 days"],
    ),
    # ------------------------------------------------------------------------------ tuned
    LetterFamily(
        "lvr-valves",
        "tune",
        notice(
            "Cascade Summit Health Plan",
            "November 16, 2026",
            "CSH-55120-88412",
            "CPT 31647 - Bronchoscopy with insertion of bronchial valve(s), initial lobe",
            "ICD-10-CM J43.9 - Emphysema, unspecified",
            """Our physician reviewer applied Medical Policy MP-412, Bronchoscopic Lung Volume
Reduction. The following criteria were reviewed:

  1. Diagnosis of severe emphysema with hyperinflation. (Met)

  2. Pulmonary function testing documenting ALL of the following:
     a. FEV1 between 15% and 45% of predicted;
     b. Residual volume of at least 175% of predicted;
     c. DLCO of at least 20% of predicted, measured within 90 days of the request.
     Reviewer: Not met. The most recent pulmonary function study was not within the required
     window.

  3. Completion of a pulmonary rehabilitation program within the past 6 months. Reviewer: not
     documented.

  4. Removal of any previously implanted endobronchial valve or coil in the target lobe is
     required before a new valve is placed. Reviewer: not documented

The request does not meet criteria 2, 3 and 4.""",
        ),
        {
            "patient": {
                "name": "Walter J. Pruitt",
                "date_of_birth": "1956-04-11",
                "member_id": "CSH-55120-88412",
            },
            "insurer": "Cascade Summit Health Plan",
            "physician": physician("Elena M. Vasquez", "Interventional Pulmonology"),
            "diagnoses": [{"code": "J43.9", "description": "Emphysema, unspecified"}],
            "service": {
                "code": "31647",
                "description": "Endobronchial valves, right upper lobe",
                "details": "Outpatient bronchoscopy, planned 2026-12-14",
            },
            "clinical_summary": (
                "70-year-old man with upper-lobe predominant emphysema, mMRC grade 3 despite "
                "maximal inhaled therapy. He completed a 12-week pulmonary rehabilitation "
                "program ending August 28, 2026. A Zephyr valve was placed in the right upper "
                "lobe in 2023 and is still in place."
            ),
            "prior_treatments": [
                {
                    "name": "Pulmonary rehabilitation (outpatient)",
                    "kind": "therapy",
                    "frequency": "3 sessions per week",
                    "start": "2026-06-05",
                    "end": "2026-08-28",
                    "outcome": "Completed; 6-minute walk 240 m to 275 m",
                },
                {
                    "name": "Tiotropium/olodaterol inhaler",
                    "kind": "medication",
                    "dose": "2.5/2.5 mcg",
                    "frequency": "two puffs once daily",
                    "start": "2024-05-01",
                    "outcome": "Ongoing; dyspnea persists",
                },
            ],
            "objective_findings": [
                {"kind": "lab", "name": "FEV1", "value": "24% predicted", "date": "2026-07-10"},
                {
                    "kind": "lab",
                    "name": "Residual volume",
                    "value": "210% predicted",
                    "date": "2026-07-10",
                },
                {"kind": "lab", "name": "DLCO", "value": "31% predicted", "date": "2026-07-10"},
                {
                    "kind": "imaging",
                    "name": "CT chest",
                    "value": "Upper-lobe emphysema; endobronchial valve in the right upper lobe",
                    "date": "2026-10-02",
                },
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [
            Expect(2, "met", {"objective_findings[0]"}, part="FEV1 between"),
            Expect(2, "met", {"objective_findings[1]"}, part="Residual volume"),
            Expect(2, "not_met", {"objective_findings[2]"}, part="DLCO"),
            Expect(
                2,
                "not_met",
                {"objective_findings[0]", "objective_findings[1]", "objective_findings[2]"},
            ),
            Expect(3, "met", {"prior_treatments[0]"}, words="pulmonary rehabilitation"),
            Expect(4, "unknown|not_met", set(), words="Removal of any"),
        ],
        leaks=["Reviewer", "not documented", "Not met."],
        must=[r"within 90 days"],
    ),
    LetterFamily(
        "hgns-osa",
        "tune",
        notice(
            "Cascade Summit Health Plan",
            "November 2, 2026",
            "CSH-30981-44120",
            "CPT 64582 - Hypoglossal nerve neurostimulator array implantation",
            "ICD-10-CM G47.33 - Obstructive sleep apnea",
            """Clinical criteria (Medical Policy MP-233, Hypoglossal Nerve Stimulation):

  1. BMI less than 35 kg/m2. (Met)

  2. CPAP failure or intolerance, documented by:
     (i) a CPAP trial of at least 3 months; and
     (ii) use of less than 4 hours per night on a download.
     Reviewer: a 4-month CPAP trial is documented; no download was provided.

  3. Drug-induced sleep endoscopy in the past 12 months showing no complete concentric
     collapse at the velum is required. Reviewer comment: DISE report not current.

Criteria 2 and 3 are not met; the request is denied.""",
        ),
        {
            "patient": {
                "name": "Curtis L. Dorsey",
                "date_of_birth": "1968-05-30",
                "member_id": "CSH-30981-44120",
            },
            "insurer": "Cascade Summit Health Plan",
            "physician": physician("Priya N. Raman", "Sleep Medicine"),
            "diagnoses": [{"code": "G47.33", "description": "Obstructive sleep apnea"}],
            "service": {
                "code": "64582",
                "description": "Hypoglossal nerve stimulator",
                "details": "Outpatient, planned 2026-12-01",
            },
            "clinical_summary": (
                "58-year-old man with severe obstructive sleep apnea (AHI 38) who could not "
                "tolerate CPAP despite mask refits over four months in 2025."
            ),
            "prior_treatments": [
                {
                    "name": "CPAP (auto-titrating)",
                    "kind": "device",
                    "start": "2025-03-01",
                    "end": "2025-07-05",
                    "outcome": "Intolerant: claustrophobia and aerophagia",
                },
            ],
            "objective_findings": [
                {
                    "kind": "other",
                    "name": "CPAP download (90 days)",
                    "value": "Average use 1.9 hours per night",
                    "date": "2025-06-30",
                },
                {
                    "kind": "other",
                    "name": "Drug-induced sleep endoscopy",
                    "value": "Anteroposterior velum collapse; no complete concentric collapse",
                    "date": "2025-09-15",
                },
                {"kind": "vital", "name": "BMI", "value": "31.2 kg/m2", "date": "2026-10-01"},
            ],
            "consequences_of_denial": CONSEQUENCES,
        },
        [
            Expect(2, "payer_met", set(), part="CPAP trial of at least 3 months"),
            Expect(2, "met", {"objective_findings[0]"}, part="less than 4 hours"),
            Expect(3, "not_met", {"objective_findings[1]"}, words="sleep endoscopy"),
        ],
        leaks=["Reviewer", "not current"],
        must=[r"12 months"],
    ),
]
