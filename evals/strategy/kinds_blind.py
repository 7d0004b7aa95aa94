"""Labelled cases for five kinds of strategy defect a blind judge found in round 29 (issue 17),
drafted through the whole pipeline like :mod:`evals.strategy.kinds` and scored by its
``score``:

1. ``site``: a site-of-care denial (the drug or service approved or not disputed, only the
   hospital outpatient site denied) is argued on the site: the reasons each lower-cost site is
   unsafe, the request names the site; never argued as ending the treatment;
2. ``course``: the request names every code of the notice with its units over the whole
   period (a drug course, not one fill; the infusion administration codes with the drug);
3. ``route``: the reviewer's title as the notice gives it (a pharmacist is not 'the reviewing
   physician'), the notice's own peer-to-peer line, a standalone Part D plan's law (42 CFR
   423), the notice's own clock when it is stricter than the plan type's;
4. ``prose_concession``: a criterion the notice accepts in prose ('the diagnosis is
   established') is named as accepted, not argued;
5. ``banner``: a letter whose only gaps are requirements the record does not answer carries no
   DRAFT banner and no bracketed placeholder.

The held-out cases were written first, before the tuned ones and before any change they
measure, from other topics and layouts, and are not read while tuning.
"""

from __future__ import annotations

import datetime as dt

from evals.strategy.grounds import _case
from evals.strategy.kinds import KindCase

D = dt.date

_DRAFTED = ["DRAFT", "[MISSING", "[CHECK"]
_ACCEPTED = [
    r"re:notice found criteri(?:on|a) 1\b[^.\n]*\bmet\b"
    r"|### Criterion 1\b[^#]*(?:accept|agree|as met|not in dispute)",
    r"re:notice found criteri(?:on|a) (?:1 and )?2\b[^.\n]*\bmet\b"
    r"|### Criterion 2\b[^#]*(?:accept|agree|as met|not in dispute)",
]
"""Criteria 1 and 2 named as accepted: in their sections, or in the letter's one line for the
criteria the notice found met (which then have no section of their own)."""


def _complete(doctor: str, specialty: str) -> dict:
    """A physician whose every field the letter needs is given (no gap of the case's own)."""
    return {
        "doctor": doctor,
        "specialty": specialty,
        "physician": {
            "name": doctor,
            "credentials": "MD",
            "phone": "(555) 555-0100",
            "npi": "1234567893",
            "specialty": specialty,
            "license": "OR MD-40112",
            "address": "410 Alder Street, Suite 200, Portland, OR 97205",
        },
    }


BLIND_KIND_CASES: list[KindCase] = [
    # ================================================================== held out (written first)
    KindCase(
        "infliximab-site-hopd-commercial",
        "site",
        "heldout",
        "Granite Peak Health Insurance Company - Group PPO (fully insured)\n"
        "UTILIZATION MANAGEMENT DETERMINATION\n"
        "Notice date: 11/23/2026\n"
        "Member: Harriet V. Lindqvist   Member ID: GPH-55172093   Group: 00418\n"
        "Case number: UM-2611-40722\n"
        "Ordering provider: Tomas Arkwright, MD (Gastroenterology)\n\n"
        "Drug: J1745 Injection, infliximab, 10 mg, 50 units every 8 weeks\n"
        "   Determination: APPROVED 12/01/2026 - 05/31/2027\n"
        "Place of service requested: 22 Hospital outpatient department, revenue code 0510\n"
        "   Determination: NOT APPROVED\n\n"
        "Reason: Under our Specialty Drug Site of Care Policy RX-SOC-07, infusion in a hospital "
        "outpatient department is medically necessary only when the member (a) had a severe or "
        "life-threatening reaction to the drug, (b) is medically unstable, or (c) needs "
        "monitoring not available at a home or ambulatory infusion site. None of these was "
        "documented. Infliximab remains approved at a lower-cost alternate site: home infusion "
        "(POS 12) or the in-network ambulatory infusion suite, Summit Infusion Partners.\n\n"
        "You or your provider may appeal within 180 days of receiving this notice. Appeals: "
        "Granite Peak Health, Appeals Unit, PO Box 88120, Boise, ID 83707; fax 1-877-555-0143. "
        "We decide pre-service appeals within 30 days.\n",
        _case(
            "Harriet V. Lindqvist",
            "Infliximab infusion at the hospital outpatient infusion center",
            "J1745",
            more=["96365", "96366"],
            details="J1745 x 50 units every 8 weeks; 96365 x1 and 96366 x1 per infusion; "
            "hospital outpatient infusion center (POS 22)",
            dob=D(1979, 2, 11),
            dx=[
                {
                    "code": "K51.011",
                    "description": "Ulcerative (chronic) pancolitis with rectal bleeding",
                }
            ],
            summary=(
                "47-year-old woman with ulcerative colitis on infliximab since 2024. At her "
                "infusion on 08/14/2026 she had an acute infusion reaction with hypotension to "
                "78/40, wheezing and throat tightness, treated with epinephrine, "
                "diphenhydramine and hydrocortisone by the hospital rapid response team. Since "
                "then she is premedicated and infused at a slowed rate with a physician on the "
                "unit. Home infusion has no physician or resuscitation support for a "
                "recurrence."
            ),
            **{"doctor": "Tomas Arkwright", "specialty": "Gastroenterology"},
        ),
        letter_has=[
            "re:reaction[^\\n]{0,400}(?:home|ambulatory|Summit)"
            "|(?:home|ambulatory|Summit)[^\\n]{0,400}reaction",
            "re:epinephrine|hypotension",
        ],
        letter_lacks=["continuation of", "concurrent care", "pending the outcome"],
        request_has=["re:hospital outpatient|POS 22", "J1745"],
    ),
    KindCase(
        "ocrelizumab-course-admin-codes-aca",
        "course",
        "heldout",
        "Lakeshore Mutual Health Plan - Individual Marketplace Plan (ACA)\n"
        "NOTICE OF DENIAL OF PRIOR AUTHORIZATION\n"
        "Date: November 30, 2026\n"
        "Member name: Petra K. Oyelaran      ID: LMH-81230566\n"
        "Authorization reference: PA-26-4417093\n\n"
        "The following lines were reviewed:\n"
        "Line  Code    Description                                      Units  From        To          Decision\n"  # noqa: E501
        "1     J2350   Injection, ocrelizumab, 1 mg                     1200   12/14/2026  12/13/2027  Denied\n"  # noqa: E501
        "2     96365   IV infusion, initial, up to 1 hour               4      12/14/2026  12/13/2027  Denied\n"  # noqa: E501
        "3     96366   IV infusion, each additional hour                12     12/14/2026  12/13/2027  Denied\n\n"  # noqa: E501
        "Reason: Ocrelizumab is covered for relapsing multiple sclerosis when the member has "
        "had an inadequate response to two disease-modifying therapies. We did not receive "
        "records of a second disease-modifying therapy.\n\n"
        "You have 180 days from the date you receive this notice to file an internal appeal. "
        "We decide within 30 days. You may then request external review.\n",
        _case(
            "Petra K. Oyelaran",
            "Ocrelizumab infusion",
            "J2350",
            details="600 mg IV every 6 months",
            dob=D(1990, 9, 3),
            dx=[{"code": "G35", "description": "Multiple sclerosis"}],
            summary=(
                "36-year-old woman with relapsing multiple sclerosis with two relapses in 2026 "
                "and three new enhancing lesions on MRI on 10/02/2026 despite glatiramer "
                "acetate (2021-2024) and then dimethyl fumarate (2024-2026)."
            ),
            prior_treatments=[
                {
                    "name": "Glatiramer acetate",
                    "kind": "medication",
                    "dose": "40 mg",
                    "frequency": "three times weekly",
                    "start": D(2021, 3, 1),
                    "end": D(2024, 2, 1),
                    "outcome": "two relapses",
                },
                {
                    "name": "Dimethyl fumarate",
                    "kind": "medication",
                    "dose": "240 mg",
                    "frequency": "twice daily",
                    "start": D(2024, 2, 15),
                    "end": D(2026, 10, 10),
                    "outcome": "relapse and three new enhancing lesions",
                },
            ],
            **{"doctor": "Ines Calloway", "specialty": "Neurology"},
        ),
        request_has=[
            "J2350",
            "1200",
            "96365",
            "96366",
            "re:\\b4\\b",
            "re:\\b12\\b",
            "re:December 13, 2027|12/13/2027",
        ],
    ),
    KindCase(
        "apixaban-course-partd-pdp",
        "route",
        "heldout",
        "Evergreen RxChoice (PDP) - a Medicare Prescription Drug Plan\n"
        "NOTICE OF DENIAL OF MEDICARE PRESCRIPTION DRUG COVERAGE\n"
        "Date: December 1, 2026\n"
        "Enrollee: Walter G. Ambrose    Member ID: ERX-33019847\n"
        "Drug: tafamidis 61 mg capsules, 30 capsules per 30 days\n\n"
        "We denied coverage of this drug because the prescriber did not document "
        "transthyretin amyloid cardiomyopathy confirmed by scintigraphy or biopsy. This "
        "decision was made by Dana Whitcombe, PharmD, clinical pharmacist.\n\n"
        "If you disagree, you can ask for a redetermination (appeal). You must ask within 65 "
        "days of the date of this notice. Your prescriber may call our pharmacy review line at "
        "1-888-555-0177 within 14 days of this notice to discuss this decision with the "
        "reviewer.\n",
        _case(
            "Walter G. Ambrose",
            "Tafamidis 61 mg capsules",
            None,
            details="61 mg once daily, 30 capsules per 30 days",
            dob=D(1950, 6, 21),
            dx=[
                {
                    "code": "E85.82",
                    "description": "Wild-type transthyretin-related (ATTR) amyloidosis",
                },
                {"code": "I43", "description": "Cardiomyopathy in diseases classified elsewhere"},
            ],
            summary=(
                "76-year-old man with heart failure; technetium pyrophosphate scintigraphy on "
                "10/20/2026 showed grade 3 myocardial uptake, and serum and urine studies "
                "showed no monoclonal protein, which confirms ATTR cardiomyopathy."
            ),
            **{"doctor": "Lionel Okafor", "specialty": "Cardiology"},
        ),
        letter_has=["re:423\\.5[6-9]|423\\.590", "1-888-555-0177", "Dana Whitcombe"],
        letter_lacks=["422.5", "reviewing physician", "Medicare Advantage"],
    ),
    KindCase(
        "glp1-prose-accepted-medicaid",
        "prose_concession",
        "heldout",
        "Sunbelt Family Health - Medicaid managed care\n"
        "NOTICE OF ACTION\n"
        "Date of notice: 11/25/2026\n"
        "Member: Rosalind A. Pruitt     Medicaid ID: 905512240\n"
        "Prior authorization request: PA-7730218\n"
        "Requested: semaglutide 2 mg/0.75 mL pen, 3 mL per 28 days\n\n"
        "Criteria reviewed (Pharmacy Policy MED-GLP-3):\n"
        "1. Diagnosis of type 2 diabetes mellitus.\n"
        "2. Hemoglobin A1c of 7.5% or higher within the last 90 days.\n"
        "3. Trial of metformin at a dose of at least 1,500 mg daily for 90 days, or a "
        "contraindication to metformin.\n\n"
        "Reviewer's findings: The member's diagnosis of type 2 diabetes mellitus is established "
        "in the records. The submitted hemoglobin A1c of 8.9% dated 10/02/2026 is within the "
        "required period. The records show metformin 500 mg daily only, which is below the "
        "required dose, and no contraindication is documented. The request is denied.\n\n"
        "You may file an appeal within 60 days of the date of this notice. We will decide "
        "within 30 days. You can ask for a State Fair Hearing after the appeal.\n",
        _case(
            "Rosalind A. Pruitt",
            "Semaglutide subcutaneous injection",
            None,
            details="2 mg weekly, 3 mL per 28 days",
            dob=D(1969, 4, 4),
            dx=[
                {"code": "E11.65", "description": "Type 2 diabetes mellitus with hyperglycemia"},
                {"code": "N18.4", "description": "Chronic kidney disease, stage 4"},
            ],
            summary=(
                "57-year-old woman with type 2 diabetes and stage 4 chronic kidney disease, "
                "eGFR 24 mL/min/1.73 m2 on 10/02/2026, at which metformin is contraindicated; "
                "it was reduced to 500 mg daily in 2025 and stopped in 10/2026. Hemoglobin A1c "
                "8.9% on 10/02/2026."
            ),
            objective_findings=[
                {
                    "kind": "lab",
                    "name": "eGFR",
                    "value": "24 mL/min/1.73 m2",
                    "date": D(2026, 10, 2),
                },
                {"kind": "lab", "name": "Hemoglobin A1c", "value": "8.9%", "date": D(2026, 10, 2)},
            ],
            **{"doctor": "Mireille Dandridge", "specialty": "Endocrinology"},
        ),
        letter_has=["re:eGFR|kidney", *_ACCEPTED],
        section_lacks={
            1: ["record shows otherwise", "not shown", "[MISSING"],
            2: ["record shows otherwise", "not shown", "[MISSING"],
        },
    ),
    KindCase(
        "cgm-unanswered-no-banner-erisa",
        "banner",
        "heldout",
        "Harborline Benefits Administration for the Kestrel Logistics Health Plan (self-funded, "
        "ERISA)\n"
        "ADVERSE BENEFIT DETERMINATION\n"
        "Date: 11/27/2026\n"
        "Participant: Jonah R. Velasquez   Member ID: HBA-61047723\n"
        "Reference: UM-88124\n"
        "Service: E2103 Non-adjunctive continuous glucose monitor receiver; A4239 supplies, "
        "1 unit per month x 12\n\n"
        "Medical Policy DME-31 criteria:\n"
        "A. Diabetes treated with insulin. Met.\n"
        "B. Documented problematic hypoglycemia (level 2 or 3 events) despite multiple "
        "adjustments of medication. Not met.\n"
        "C. Seen in person by the treating practitioner within 6 months before the order. "
        "Not documented.\n\n"
        "You may appeal within 180 days of receipt of this notice. We decide pre-service appeals "
        "within 30 days. You may bring a civil action under ERISA section 502(a) after the "
        "appeal.\n",
        _case(
            "Jonah R. Velasquez",
            "Continuous glucose monitor and supplies",
            "E2103",
            more=["A4239"],
            details="E2103 x1; A4239 1 unit per month x 12",
            dob=D(1958, 12, 30),
            dx=[
                {
                    "code": "E11.649",
                    "description": "Type 2 diabetes mellitus with hypoglycemia without coma",
                }
            ],
            summary=(
                "67-year-old man with type 2 diabetes on basal-bolus insulin since 2019. "
                "Fingerstick logs show three glucose readings below 54 mg/dL in October 2026 "
                "after two insulin dose reductions; one episode on 10/18/2026 needed help from "
                "his wife. Seen in clinic on 11/03/2026."
            ),
            consequences_of_denial=(
                "Without the monitor his nocturnal hypoglycemia goes undetected; a level 3 "
                "event while driving or alone at night risks seizure, injury or death."
            ),
            **_complete("Beatrix Holloway", "Endocrinology"),
        ),
        letter_lacks=_DRAFTED,
        request_has=["E2103", "A4239"],
    ),
]

BLIND_KIND_CASES += [
    # ================================================================== tuned
    KindCase(
        "pegloticase-site-erisa",
        "site",
        "tune",
        "Cedar Vale Benefit Services, claims administrator for the Marlow Packaging Co. Health "
        "Plan (self-funded, ERISA)\n"
        "PRE-SERVICE DETERMINATION\n"
        "Notice date: 11/20/2026\n"
        "Participant: Gideon M. Tate    ID: CVB-40918827\n"
        "Reference: SOC-26-11873\n\n"
        "| Item | Requested | Decision |\n"
        "| J2507 pegloticase 1 mg | 8 units every 2 weeks x 13 doses | Approved |\n"
        "| Administration at Riverside Hospital outpatient infusion (POS 22) | 13 visits | "
        "Not approved |\n\n"
        "Pegloticase is approved. Administration in an outpatient hospital setting is not "
        "medically necessary for this member. Per guideline SOC-4, pegloticase can be safely "
        "administered in a non-hospital setting such as an in-network ambulatory infusion "
        "center or the member's home. You may use ClearPath Infusion, an in-network "
        "ambulatory infusion center.\n\n"
        "You may appeal within 180 days of receipt of this notice. We decide pre-service "
        "appeals within 30 days.\n",
        _case(
            "Gideon M. Tate",
            "Pegloticase infusion at the hospital outpatient infusion department",
            "J2507",
            more=["96365", "96366"],
            details="J2507 8 units every 2 weeks x 13 doses; hospital outpatient infusion "
            "department (POS 22)",
            dob=D(1961, 8, 30),
            dx=[
                {
                    "code": "M1A.0711",
                    "description": "Idiopathic chronic gout, right ankle and foot, with tophus",
                },
                {"code": "I50.22", "description": "Chronic systolic heart failure"},
            ],
            summary=(
                "65-year-old man with tophaceous gout refractory to allopurinol and febuxostat, "
                "and heart failure with ejection fraction 30%. Pegloticase infusions need "
                "telemetry and a slowed rate because fluid shifts and infusion reactions can "
                "decompensate his heart failure; he had an infusion reaction with hypotension "
                "on 09/02/2026 that needed the hospital's rapid response team."
            ),
            **_complete("Naomi Fairbanks", "Rheumatology"),
        ),
        letter_lacks=["continuation of", "pending the outcome", "ACR 2020"],
        letter_has=["re:ejection fraction|heart failure"],
        request_has=["re:hospital outpatient|POS 22"],
    ),
    KindCase(
        "rifaximin-course-commercial",
        "course",
        "tune",
        "Blue Meridian Health Plan - PPO (fully insured)\n"
        "PHARMACY PRIOR AUTHORIZATION DENIAL\n"
        "Date: 11/28/2026\n"
        "Member: Opal J. Whitaker   ID: BMH-21109384\n"
        "PA number: RX-58830127\n\n"
        "Drug requested: rifaximin 550 mg tablet\n"
        "Quantity requested: 84 tablets per 28 days; 252 tablets for 84 days (2 refills)\n"
        "Diagnosis: K76.82 Hepatic encephalopathy\n\n"
        "Denied: the plan requires a trial of lactulose at a therapeutic dose. The records do "
        "not show lactulose use.\n\n"
        "You may appeal within 180 days of receiving this notice. We decide within 30 days.\n",
        _case(
            "Opal J. Whitaker",
            "Rifaximin 550 mg tablets",
            None,
            details="550 mg twice daily",
            dob=D(1957, 10, 14),
            dx=[
                {"code": "K76.82", "description": "Hepatic encephalopathy"},
                {"code": "K70.31", "description": "Alcoholic cirrhosis of liver with ascites"},
            ],
            summary=(
                "69-year-old woman with cirrhosis and two admissions for overt hepatic "
                "encephalopathy in 2026 despite lactulose 30 mL three times daily since "
                "03/2026."
            ),
            prior_treatments=[
                {
                    "name": "Lactulose",
                    "kind": "medication",
                    "dose": "30 mL",
                    "frequency": "three times daily",
                    "start": D(2026, 3, 2),
                    "outcome": "recurrent overt hepatic encephalopathy, admitted 07/2026 and "
                    "10/2026",
                },
            ],
            **_complete("Reuben Castellanos", "Hepatology"),
        ),
        request_has=["252", "re:84 days|12 weeks"],
    ),
    KindCase(
        "tms-nurse-reviewer-state-clock",
        "route",
        "tune",
        "Keystone Valley Health Insurance - Group HMO (fully insured, Pennsylvania)\n"
        "ADVERSE BENEFIT DETERMINATION\n"
        "Date: 11/30/2026\n"
        "Member: Lydia P. Sorensen    Member ID: KVH-70031955\n"
        "Reference number: UR-2611-9931\n"
        "Service: 90867 and 90868 x 35, transcranial magnetic stimulation\n\n"
        "Criteria not met: failure of four antidepressant trials from at least two classes.\n"
        "Reviewed by: Carla Mendes, RN, Utilization Review Nurse\n"
        "To discuss this decision, your provider may call 1-866-555-0190 within 7 business "
        "days of this notice.\n\n"
        "You may file a grievance within 180 days of receiving this notice. We will decide "
        "your grievance within 15 days of receiving it. You may then request external "
        "review.\n",
        _case(
            "Lydia P. Sorensen",
            "Transcranial magnetic stimulation",
            "90867",
            more=["90868"],
            details="90867 x1, 90868 x35",
            dob=D(1983, 5, 5),
            dx=[
                {
                    "code": "F33.2",
                    "description": "Major depressive disorder, recurrent, "
                    "severe without psychotic features",
                }
            ],
            summary=(
                "43-year-old woman with recurrent severe depression, PHQ-9 23, after sertraline "
                "200 mg for 10 weeks, escitalopram 20 mg for 8 weeks, bupropion 300 mg for 9 "
                "weeks and venlafaxine 225 mg for 8 weeks without remission."
            ),
            **_complete("Anders Whitfield", "Psychiatry"),
        ),
        letter_has=["re:15 days", "1-866-555-0190", "Carla Mendes"],
        letter_lacks=["reviewing physician"],
    ),
    KindCase(
        "cpap-prose-accepted-aca",
        "prose_concession",
        "tune",
        "Harbor Crest Health - Silver Individual Plan (ACA marketplace)\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION\n"
        "Date of notice: November 26, 2026\n"
        "Member: Silas D. Okonkwo   Member ID: HCH-66120938\n"
        "Reference: PA-26-90127\n"
        "Service: E0601 Continuous positive airway pressure device, rental x 13 months\n\n"
        "Coverage criteria (Medical Policy DME-SLP-2):\n"
        "1. A sleep study showing an apnea-hypopnea index of 15 or more, or of 5 to 14 with "
        "symptoms.\n"
        "2. A face-to-face evaluation by the treating practitioner before the study.\n"
        "3. Education of the member on the use of the device.\n\n"
        "Our review: We agree the sleep study of 10/04/2026 shows an AHI of 31. The "
        "face-to-face evaluation of 09/12/2026 is in the records and satisfies the policy. "
        "The records do not show that the member received education on the use of the "
        "device, so the request is denied.\n\n"
        "You may appeal within 180 days of receiving this notice. We decide within 30 days.\n",
        _case(
            "Silas D. Okonkwo",
            "CPAP device",
            "E0601",
            details="E0601 rental x 13 months",
            dob=D(1972, 2, 2),
            dx=[{"code": "G47.33", "description": "Obstructive sleep apnea"}],
            summary=(
                "54-year-old man with obstructive sleep apnea, AHI 31 on the sleep study of "
                "10/04/2026. Our respiratory therapist gave him mask fitting and education on "
                "CPAP use on 10/20/2026, documented in the clinic note of that date."
            ),
            **_complete("Helena Vasquez", "Sleep Medicine"),
        ),
        section_lacks={
            1: ["record shows otherwise", "not shown", "[MISSING"],
            2: ["record shows otherwise", "not shown", "[MISSING"],
        },
        letter_has=[*_ACCEPTED],
    ),
    KindCase(
        "botox-unanswered-no-banner-medicaid",
        "banner",
        "tune",
        "Riverbend Health Plan - Medicaid Managed Care\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION\n"
        "Date: 11/24/2026\n"
        "Member: Tamsin E. Holt   Medicaid ID: 448120937\n"
        "Authorization: PA-26-339120\n"
        "Requested: J0585 onabotulinumtoxinA, 155 units every 12 weeks x 4; 64615 x 4\n\n"
        "Policy criteria:\n"
        "1. Chronic migraine: 15 or more headache days a month for at least 3 months. Met.\n"
        "2. Failure of at least two preventive medications from different classes, each for "
        "at least 8 weeks. Not met.\n\n"
        "You may appeal within 60 days of the date of this notice. We decide within 30 days. "
        "You may ask for a State Fair Hearing after the appeal.\n",
        _case(
            "Tamsin E. Holt",
            "OnabotulinumtoxinA injections for chronic migraine",
            "J0585",
            more=["64615"],
            details="J0585 155 units every 12 weeks x 4; 64615 x 4",
            dob=D(1991, 11, 9),
            dx=[
                {
                    "code": "G43.709",
                    "description": "Chronic migraine without aura, not "
                    "intractable, without status migrainosus",
                }
            ],
            summary=(
                "35-year-old woman with chronic migraine, 20 headache days a month for two "
                "years. Topiramate was stopped after 3 weeks for cognitive slowing."
            ),
            prior_treatments=[
                {
                    "name": "Topiramate",
                    "kind": "medication",
                    "dose": "50 mg",
                    "frequency": "twice daily",
                    "start": D(2026, 6, 1),
                    "end": D(2026, 6, 22),
                    "outcome": "stopped for cognitive slowing",
                },
            ],
            consequences_of_denial=(
                "Without prevention she loses about 8 workdays a month and her acute "
                "medication use risks medication-overuse headache."
            ),
            **_complete("Priscilla Monroe", "Neurology"),
        ),
        letter_lacks=_DRAFTED,
        request_has=["J0585", "64615"],
    ),
]
