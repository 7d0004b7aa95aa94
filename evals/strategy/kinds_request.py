"""Labelled cases for five kinds of defect in the letter around the argument that blind judges
found in offline letters on new denials (each makes a physician refuse to sign), drafted through
the whole pipeline like :mod:`evals.strategy.kinds` and scored by its ``score``:

1. ``quantity``: every requested code carries its units and period as the notice or the case
   states them ('16 tablets per 30 days', '280 units every 28 days', '1 pen per 28 days'), never
   '16 per day' or a bare 'x 28'; a total the letter computes follows the regimen's structure
   (courses x infusion days, per-course units x courses);
2. ``window``: the appeal deadline is the appeal filing window only; a peer-to-peer, informal
   reconsideration or keep-your-benefits window of the notice is never taken for it (no 'filed
   late', no good cause asked when the appeal is timely);
3. ``timing``: a service the case says was already given (dates of service past, 'completed',
   'delivered') is asked for as coverage and payment of the services given, with the
   post-service clock, never a pre-service request with pre-service or expedited clocks;
4. ``enclosures``: the enclosures are the records that bear on a criterion, the diagnosis under
   appeal or the service; records about other conditions are not listed or mentioned;
5. ``source``: a criterion is labelled with the policy the notice applied, not another policy
   the notice names (an alternative drug's policy).

The held-out cases were written first, before the tuned ones and before any change they
measure (request lane, session of 2026-12-08), in specialties, plan types and layouts unlike
each other's, and are not read while tuning (``--detail`` lists the tuned slice's misses only).

    python -m evals.strategy.kinds_request [--detail]
"""

from __future__ import annotations

import datetime as dt

from evals.strategy.grounds import _case
from evals.strategy.kinds import KindCase

D = dt.date

_LATE = ["good cause", "treat it as timely", "re:\\bfiled? (?:late|after the deadline)",
         "re:deadline (?:has )?passed"]  # fmt: skip
"""What a letter says only when it thinks the appeal is late."""


REQUEST_KIND_CASES: list[KindCase] = [
    # ================================================================== held out (written first)
    # ---------------------------------------------------------------- quantity
    KindCase(
        "ivig-cidp-courses-medicaid", "quantity", "heldout",
        "Keystone Commonwealth Health - Medicaid Managed Care\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION\n"
        "Date of notice: 11/24/2026\n"
        "Member: Tomasz R. Wielgosz     Member ID: KCH-51093377\n"
        "Authorization #: UM-2611-40917\n"
        "Provider: Riverbend Neurology Infusion Suite\n\n"
        "Line  Code   Description                                   Units requested"
        "                            Decision\n"
        "1     J1569  Injection, immune globulin (Gammagard Liquid), 500 mg  280 units every "
        "28 days                 Denied\n"
        "2     96365  IV infusion, initial, up to 1 hour            1 per infusion day, 4 "
        "infusion days every 28 days  Denied\n"
        "3     96366  IV infusion, each additional hour             3 per infusion day, 4 "
        "infusion days every 28 days  Denied\n"
        "Requested period: 12/01/2026 - 05/17/2027 (6 courses)\n\n"
        "Reason: Maintenance immune globulin for chronic inflammatory demyelinating "
        "polyneuropathy is covered after induction when the records show an objective "
        "response on a validated scale (INCAT disability score or grip strength). The records "
        "sent do not show a response to the induction course.\n\n"
        "You may ask for an appeal within 60 days of the date of this notice. We will decide a "
        "standard appeal within 30 days. You may ask for a State Fair Hearing after the "
        "appeal.\n",
        _case(
            "Tomasz R. Wielgosz", "Maintenance intravenous immune globulin (IVIG) for CIDP",
            "J1569", more=["96365", "96366"],
            details=("Gammagard Liquid 2 g/kg (140 g) per course, given as 35 g a day over 4 "
                     "consecutive days every 28 days, 6 courses: J1569 280 units every 28 days; "
                     "96365 x1 and 96366 x3 per infusion day"),
            dob=D(1971, 9, 3), claim_reference="UM-2611-40917",
            dx=[{"code": "G61.81", "description": "Chronic inflammatory demyelinating "
                 "polyneuritis"}],
            summary=(
                "55-year-old man, 70 kg, with CIDP confirmed by nerve conduction studies. After "
                "the IVIG induction course in September 2026 his INCAT disability score fell "
                "from 5 to 2 and grip strength rose from 18 to 31 kg."
            ),
            objective_findings=[
                {"kind": "rating_scale", "name": "INCAT disability score", "value": "2 (from 5 "
                 "before induction)", "date": D(2026, 10, 29)},
                {"kind": "other", "name": "Grip strength, right hand", "value": "31 kg (from "
                 "18 kg before induction)", "date": D(2026, 10, 29)},
            ],
            doctor="Halina Brzezinska", specialty="Neuromuscular Neurology",
        ),
        request_has=["re:280 units (?:of (?:HCPCS )?J1569 )?(?:every|per|each) 28 days",
                     "96365", "96366",
                     "re:96365[^\\n]{0,200}(?:4 infusion days|\\b24\\b)"],
        request_lacks=["280 units per day", "6,720", "re:\\bx ?280\\b",
                       "re:(?<![\\d,])1,120 units"],
    ),
    KindCase(
        "teriparatide-pen-erisa", "quantity", "heldout",
        "MERIDIAN RX SOLUTIONS\n"
        "Pharmacy benefit manager for the Halvorsen Logistics Group Health Plan (self-funded, "
        "ERISA)\n\n"
        "PRIOR AUTHORIZATION DECISION: DENIED\n"
        "Date: November 25, 2026\n"
        "Member: Ingrid M. Solberg   ID: MRX-88120465   Case: PA-88120465-07\n"
        "Prescriber: Dr. Camille Okafor\n\n"
        "Drug requested ........ teriparatide 620 mcg/2.48 mL pen injector\n"
        "Directions ............ inject 20 mcg subcutaneously once daily\n"
        "Quantity .............. 1 pen per 28 days (days' supply 28)\n"
        "Duration .............. 24 months\n\n"
        "Why we denied it: Teriparatide is covered for postmenopausal osteoporosis after an "
        "oral bisphosphonate was tried for at least 12 months, or was not tolerated, or is "
        "contraindicated. Our records show no bisphosphonate trial.\n\n"
        "Appeals: you may appeal within 180 days after you receive this decision. We decide "
        "pre-service appeals within 30 days; if waiting could seriously jeopardize your health "
        "you may ask for an expedited appeal.\n",
        _case(
            "Ingrid M. Solberg", "Teriparatide (pharmacy benefit)",
            details="Teriparatide 20 mcg subcutaneously once daily, dispensed as one 28-day "
                    "pen: 1 pen per 28 days for 24 months",
            dob=D(1952, 12, 1),
            dx=[{"code": "M81.0", "description": "Age-related osteoporosis without current "
                 "pathological fracture"}],
            summary=(
                "74-year-old woman with lumbar spine T-score -3.4 and two vertebral compression "
                "fractures on imaging. Oral alendronate was stopped after 3 weeks for erosive "
                "esophagitis confirmed on endoscopy."
            ),
            prior_treatments=[
                {"name": "Alendronate", "kind": "medication", "dose": "70 mg",
                 "frequency": "weekly", "start": D(2026, 5, 4), "end": D(2026, 5, 25),
                 "outcome": "Stopped for erosive esophagitis (endoscopy May 29, 2026)"},
            ],
            doctor="Camille Okafor", specialty="Endocrinology",
        ),
        request_has=["re:1 pen (?:per|every|each) 28 days"],
        request_lacks=["re:\\bx ?28\\b", "28 pens", "re:\\b1 (?:pen|unit)s? per day",
                       "re:\\b20 (?:units|pens) per"],
    ),
    # ---------------------------------------------------------------- window
    KindCase(
        "home-pt-keep-benefits-window-medicaid", "window", "heldout",
        "Sunbelt Cares Health Plan (Medicaid managed care)\n"
        "NOTICE OF ACTION - REDUCTION OF SERVICES\n"
        "Notice date: November 16, 2026\n"
        "Member: Alma Y. Quintanilla    Medicaid ID: SBC-20417730\n"
        "Reference: ACT-1116-55021\n\n"
        "We are reducing home physical therapy (97110, therapeutic exercise, each 15 minutes) "
        "from 3 visits a week to 1 visit a week starting November 26, 2026. The records do not "
        "show that skilled therapy three times a week is still needed; a home exercise program "
        "can maintain function.\n\n"
        "KEEP YOUR SERVICES DURING THE APPEAL: If you want your services to continue while we "
        "decide your appeal, you must ask for the appeal within 10 days of the date of this "
        "notice or before November 26, 2026, whichever is later.\n\n"
        "YOUR RIGHT TO APPEAL: You must ask for an appeal within 60 days of the date on this "
        "notice. We will decide within 30 days. After our decision you may ask for a State "
        "Fair Hearing within 120 days.\n",
        _case(
            "Alma Y. Quintanilla", "Home physical therapy, 3 visits a week", "97110",
            details="97110, 3 visits a week for 8 weeks (home)",
            dob=D(1946, 4, 22),
            dx=[{"code": "I63.512", "description": "Cerebral infarction due to unspecified "
                 "occlusion or stenosis of left middle cerebral artery"}],
            summary=(
                "80-year-old woman 9 weeks after a left MCA stroke with right hemiparesis. Berg "
                "Balance Scale rose from 22 to 34 over 6 weeks of home therapy three times a "
                "week; she now walks 60 feet with a quad cane and standby assistance and is "
                "still at high fall risk."
            ),
            doctor="Oscar Villalobos", specialty="Physical Medicine and Rehabilitation",
        ),
        letter_lacks=_LATE,
        letter_has=["re:January 15, 2027|60 days"],
    ),
    KindCase(
        "septoplasty-informal-reconsideration-aca", "window", "heldout",
        "BLUE HERON HEALTH - Individual & Family Plans (ACA marketplace)\n"
        "Utilization Management Department\n\n"
        "November 9, 2026\n\n"
        "RE: Adverse benefit determination, request UM-26-0998172\n"
        "Member: Jonah P. Ellery, ID BHH-61290034\n"
        "Procedure: 30520 Septoplasty; 30140 Submucous resection inferior turbinate, partial or "
        "complete\n\n"
        "Dear Jonah P. Ellery:\n"
        "We cannot approve this request. Septoplasty is covered for nasal obstruction when "
        "symptoms persist after at least 4 weeks of intranasal corticosteroid. The records do "
        "not document a trial of nasal steroid spray.\n\n"
        "Informal reconsideration. Your surgeon may send us new clinical information within "
        "14 calendar days of the date of this letter and our reviewer will reconsider. This is "
        "not an appeal and does not change your appeal rights.\n\n"
        "Appeal. You may file an internal appeal within 180 days of receiving this letter. We "
        "will decide within 30 days. You may then ask for an independent external review.\n",
        _case(
            "Jonah P. Ellery", "Septoplasty with inferior turbinate reduction", "30520",
            more=["30140"], details="30520 x1 and 30140 x1, outpatient, planned 01/19/2027",
            dob=D(1990, 2, 17), claim_reference="UM-26-0998172",
            dx=[{"code": "J34.2", "description": "Deviated nasal septum"},
                {"code": "J34.3", "description": "Hypertrophy of nasal turbinates"}],
            summary=(
                "36-year-old man with fixed left nasal obstruction after a nasal fracture, NOSE "
                "score 80. Fluticasone nasal spray 2 sprays each nostril daily from July 1 to "
                "September 30, 2026 gave no relief."
            ),
            prior_treatments=[
                {"name": "Fluticasone propionate nasal spray", "kind": "medication",
                 "dose": "2 sprays each nostril", "frequency": "daily",
                 "start": D(2026, 7, 1), "end": D(2026, 9, 30), "outcome": "No relief"},
            ],
            doctor="Lena Marchetti", specialty="Otolaryngology",
        ),
        letter_lacks=_LATE,
        letter_has=["re:180 days|May \\d+, 2027"],
    ),
    # ---------------------------------------------------------------- timing
    KindCase(
        "bipap-delivered-ma", "timing", "heldout",
        "Granite Peak Medicare Advantage (HMO-POS)\n"
        "NOTICE OF DENIAL OF MEDICAL COVERAGE\n"
        "Date: October 15, 2026\n"
        "Member: Walter H. Brandt     Member ID: GPM-71409926\n"
        "Request: E0470 Respiratory assist device, bi-level pressure capability, without backup "
        "rate\n\n"
        "We denied this request. Our reviewer found that the records do not show that CPAP was "
        "tried and proven ineffective, as the Medicare local coverage determination for "
        "respiratory assist devices requires for obstructive sleep apnea.\n\n"
        "You have 65 days from the date of this notice to ask for a reconsideration. If your "
        "health requires it, ask for a fast reconsideration; we decide those within 72 hours.\n",
        _case(
            "Walter H. Brandt", "Bi-level PAP device (E0470)", "E0470",
            details="E0470 x1, delivered 10/28/2026 by Alpine Home Medical (rental)",
            dob=D(1950, 6, 30),
            dx=[{"code": "G47.33", "description": "Obstructive sleep apnea"}],
            summary=(
                "76-year-old man with severe OSA (AHI 48). CPAP at 15 cm H2O in the titration "
                "study of September 2, 2026 left residual AHI 31 with central events and "
                "intolerable pressure; bi-level PAP at 18/12 cm H2O reduced AHI to 4. The "
                "device was delivered on October 28, 2026 and he has used it 7.1 hours a night."
            ),
            objective_findings=[
                {"kind": "other", "name": "CPAP titration study, residual AHI on CPAP 15 cm "
                 "H2O", "value": "31 events/hour", "date": D(2026, 9, 2)},
            ],
            doctor="Greta Lindqvist", specialty="Sleep Medicine",
        ),
        letter_has=["60 days"],
        letter_lacks=["72 hours"],
        request_has=["re:\\bpa(?:y|ying|yment)\\b", "October 28, 2026"],
        request_lacks=["expedit"],
    ),
    KindCase(
        "vedolizumab-induction-given-aca", "timing", "heldout",
        "Coastal Commons Health Plan - Silver PPO (ACA individual market)\n"
        "PRIOR AUTHORIZATION - ADVERSE DETERMINATION\n"
        "Notice date: 09/30/2026\n"
        "Member: Priya D. Raman    Member ID: CCH-40671128\n"
        "Authorization request: AR-0930-22871\n"
        "Service: J3380 Injection, vedolizumab, 1 mg - 300 units at weeks 0, 2 and 6 (induction)\n"
        "Diagnosis: K51.011 Ulcerative (chronic) pancolitis with rectal bleeding\n\n"
        "Determination: Denied. Vedolizumab is covered for moderately to severely active "
        "ulcerative colitis after a trial of a TNF blocker. The records do not show a TNF "
        "blocker trial.\n\n"
        "You may appeal within 180 days of receiving this notice. Standard pre-service appeals "
        "are decided within 30 days; urgent appeals within 72 hours.\n",
        _case(
            "Priya D. Raman", "Vedolizumab IV induction (weeks 0, 2 and 6)", "J3380",
            details=("J3380 300 units (300 mg) per infusion, 3 infusions completed on "
                     "10/06/2026, 10/20/2026 and 11/17/2026 (given under the hospital's "
                     "financial assistance pending this appeal)"),
            dob=D(1994, 8, 8), claim_reference="AR-0930-22871",
            dx=[{"code": "K51.011", "description": "Ulcerative (chronic) pancolitis with "
                 "rectal bleeding"}],
            summary=(
                "32-year-old woman with pancolitis, Mayo score 11. Infliximab 5 mg/kg was "
                "stopped after the second dose for a severe infusion reaction with "
                "bronchospasm (TNF blocker trial, intolerance). Vedolizumab induction was given "
                "on October 6, October 20 and November 17, 2026; Mayo score 4 on December 1, "
                "2026."
            ),
            prior_treatments=[
                {"name": "Infliximab", "kind": "medication", "dose": "5 mg/kg",
                 "frequency": "weeks 0 and 2", "start": D(2026, 7, 6), "end": D(2026, 7, 20),
                 "outcome": "Stopped for severe infusion reaction with bronchospasm"},
            ],
            doctor="Victor Osei", specialty="Gastroenterology",
        ),
        letter_has=["60 days"],
        letter_lacks=["72 hours"],
        request_has=["re:\\bpa(?:y|ying|yment)\\b", "October 6, 2026", "November 17, 2026"],
        request_lacks=["expedit"],
    ),
    # ---------------------------------------------------------------- enclosures
    KindCase(
        "tka-disability-rating-tricare", "enclosures", "heldout",
        "TRICARE East Region - Humana Military\n"
        "Prior Authorization Denial\n"
        "Date: November 18, 2026\n"
        "Beneficiary: Curtis L. Ambrose    DoD Benefits Number: 10488215530\n"
        "Authorization number: TE-26-4418109\n"
        "Service: 27447 Total knee arthroplasty, right\n\n"
        "TRICARE covers total knee arthroplasty for osteoarthritis when there is radiographic "
        "evidence of advanced disease (Kellgren-Lawrence grade 3 or 4) and at least 3 months of "
        "failed conservative treatment including physical therapy. The records do not include "
        "a physical therapy record.\n\n"
        "You may request reconsideration within 90 days of the date of this notice.\n",
        _case(
            "Curtis L. Ambrose", "Right total knee arthroplasty", "27447",
            details="27447 x1, inpatient, planned 02/02/2027", dob=D(1964, 10, 12),
            dx=[{"code": "M17.11", "description": "Unilateral primary osteoarthritis, right "
                 "knee"}],
            summary=(
                "62-year-old retired Army veteran with right knee osteoarthritis, "
                "Kellgren-Lawrence grade 4 on standing radiographs, pain 8/10 and walking "
                "limited to one block despite 12 weeks of physical therapy, naproxen and a "
                "steroid injection."
            ),
            documents=[
                {"title": "VA disability rating decision (tinnitus 10%, PTSD 50%)",
                 "date": D(2024, 8, 2)},
                {"title": "Orthopedic clinic notes", "date": D(2026, 5, 4),
                 "end": D(2026, 10, 19)},
                {"title": "Standing knee radiographs report", "date": D(2026, 5, 4)},
                {"title": "Physical therapy discharge summary", "date": D(2026, 8, 30)},
                {"title": "Dental panoramic radiograph", "date": D(2026, 2, 11)},
            ],
            doctor="Renee Whitfield", specialty="Orthopaedic Surgery",
        ),
        letter_has=["Physical therapy discharge summary", "Standing knee radiographs"],
        letter_lacks=["disability rating", "tinnitus", "Dental panoramic"],
    ),
    KindCase(
        "cpap-unrelated-findings-medicaid", "enclosures", "heldout",
        "Northern Pines Health Partners - Medicaid\n"
        "Notice of Adverse Benefit Determination\n"
        "Date: 11/20/2026\n"
        "Member: Rosalind K. Abernethy   Member ID: NPH-33902871\n"
        "Item: E0601 Continuous positive airway pressure device\n\n"
        "We denied this request because the sleep study sent does not report an "
        "apnea-hypopnea index. CPAP is covered for obstructive sleep apnea with an AHI of 15 or "
        "more, or an AHI of 5 to 14 with excessive daytime sleepiness, hypertension or "
        "ischemic heart disease.\n\n"
        "You may ask for an appeal within 60 days of the date of this notice. We decide appeals "
        "within 30 days. You may ask for a State Fair Hearing after the appeal.\n",
        _case(
            "Rosalind K. Abernethy", "CPAP device", "E0601",
            details="E0601 x1, home use", dob=D(1969, 1, 25),
            dx=[{"code": "G47.33", "description": "Obstructive sleep apnea"},
                {"code": "I10", "description": "Essential hypertension"}],
            summary=(
                "57-year-old woman with loud snoring, witnessed apneas and daytime sleepiness "
                "(Epworth 14), on two drugs for hypertension."
            ),
            objective_findings=[
                {"kind": "other", "name": "Home sleep apnea test, AHI", "value": "22 events/"
                 "hour", "date": D(2026, 10, 14)},
                {"kind": "rating_scale", "name": "Epworth Sleepiness Scale", "value": "14",
                 "date": D(2026, 10, 2)},
                {"kind": "imaging", "name": "Screening mammogram", "value": "BI-RADS 1, "
                 "negative", "date": D(2026, 4, 2)},
                {"kind": "lab", "name": "Hepatitis C antibody screen", "value": "Non-reactive",
                 "date": D(2026, 4, 2)},
            ],
            doctor="Marcus Feld", specialty="Pulmonology",
        ),
        letter_has=["re:Home sleep apnea test"],
        letter_lacks=["mammogram", "Hepatitis C"],
    ),
    # ---------------------------------------------------------------- source
    KindCase(
        "ustekinumab-alt-policies-medicaid", "source", "heldout",
        "Riverlands Health Plan - Medicaid Managed Care\n"
        "PHARMACY PRIOR AUTHORIZATION - NOTICE OF ADVERSE BENEFIT DETERMINATION\n"
        "Date: November 19, 2026\n"
        "Member: Elijah T. Boateng    Medicaid ID: RHP-90314472\n"
        "Request: Stelara (ustekinumab) 90 mg subcutaneously every 8 weeks, maintenance\n\n"
        "This decision was made using Clinical Policy CP.PHAR.264 Ustekinumab (Stelara). The "
        "plan's preferred drugs for Crohn's disease are adalimumab products (Clinical Policy "
        "CP.PHAR.296 Adalimumab) and infliximab products (Clinical Policy CP.PHAR.254 "
        "Infliximab).\n\n"
        "Requirements not met:\n"
        "(A) Moderately to severely active Crohn's disease with a documented inadequate "
        "response to a preferred TNF blocker;\n"
        "(B) For maintenance, documentation of a positive response to the intravenous "
        "induction dose.\n\n"
        "You may ask for an appeal within 60 days of the date of this notice. You may ask for "
        "a State Fair Hearing after the appeal.\n",
        _case(
            "Elijah T. Boateng", "Ustekinumab maintenance (pharmacy benefit)",
            details="Stelara 90 mg subcutaneously every 8 weeks",
            dob=D(1999, 3, 15),
            dx=[{"code": "K50.013", "description": "Crohn's disease of small intestine with "
                 "fistula"}],
            summary=(
                "27-year-old man with fistulizing ileal Crohn's disease. Adalimumab 40 mg every "
                "other week from January to July 2026 failed (CDAI 320 at week 24). After IV "
                "ustekinumab induction on September 8, 2026 the CDAI fell to 140 by November 3, "
                "2026."
            ),
            prior_treatments=[
                {"name": "Adalimumab", "kind": "medication", "dose": "40 mg",
                 "frequency": "every other week", "start": D(2026, 1, 12),
                 "end": D(2026, 7, 13), "outcome": "Inadequate response (CDAI 320 at week 24)"},
            ],
            objective_findings=[
                {"kind": "rating_scale", "name": "Crohn's Disease Activity Index (CDAI)",
                 "value": "140", "date": D(2026, 11, 3)},
            ],
            doctor="Adaeze Nwosu", specialty="Gastroenterology",
        ),
        letter_has=["CP.PHAR.264"],
        letter_lacks=["re:### Criterion[^\\n]*(?:CP\\.PHAR\\.296|CP\\.PHAR\\.254)"],
    ),
    KindCase(
        "botox-migraine-cgrp-policy-erisa", "source", "heldout",
        "Pinecrest Benefit Administrators - for the Ardent Tool & Die Employee Medical Plan "
        "(self-funded)\n"
        "Determination date: 11/23/2026\n"
        "Participant: Marisol V. Echeverria    ID: PBA-57730218\n"
        "Review ID: MR-2611-38840\n"
        "Requested: J0585 Injection, onabotulinumtoxinA, 1 unit - 155 units every 12 weeks; "
        "64615 Chemodenervation for chronic migraine\n"
        "Outcome: NOT APPROVED\n\n"
        "Policy applied: Medical Policy MP-8.01.05 Botulinum Toxin Agents.\n"
        "Note: calcitonin gene-related peptide (CGRP) monoclonal antibodies are covered "
        "alternatives for migraine prevention (Pharmacy Policy PH-330 CGRP Antagonists).\n"
        "Criteria for chronic migraine:\n"
        "- at least 15 headache days per month for at least 3 months, of which at least 8 are "
        "migraine days;\n"
        "- inadequate response to at least two oral preventive drugs from different classes, "
        "each taken for at least 8 weeks. Not met: the records name one.\n\n"
        "You may appeal within 180 days of receipt of this determination.\n",
        _case(
            "Marisol V. Echeverria", "OnabotulinumtoxinA for chronic migraine", "J0585",
            more=["64615"], details="J0585 155 units every 12 weeks; 64615 x1 per session",
            dob=D(1983, 11, 4),
            dx=[{"code": "G43.709", "description": "Chronic migraine without aura, not "
                 "intractable, without status migrainosus"}],
            summary=(
                "43-year-old woman with chronic migraine, 20 headache days a month (12 migraine "
                "days) for 2 years by headache diary."
            ),
            prior_treatments=[
                {"name": "Topiramate", "kind": "medication", "dose": "100 mg",
                 "frequency": "daily", "start": D(2025, 1, 6), "end": D(2025, 4, 14),
                 "outcome": "Stopped for cognitive slowing; no reduction in migraine days"},
                {"name": "Propranolol", "kind": "medication", "dose": "80 mg",
                 "frequency": "daily", "start": D(2025, 5, 1), "end": D(2025, 8, 29),
                 "outcome": "Inadequate response (18 headache days a month)"},
            ],
            doctor="Tobias Wendt", specialty="Neurology",
        ),
        letter_has=["MP-8.01.05"],
        letter_lacks=["re:### Criterion[^\\n]*PH-330"],
    ),
    # ================================================================== tuned
    KindCase(
        "rimegepant-ql-insured", "quantity", "tune",
        "Lakeview Pharmacy Benefit Services, on behalf of Orchard Valley Health Plan (fully "
        "insured group plan)\n"
        "COVERAGE DETERMINATION - QUANTITY LIMIT EXCEPTION DENIED\n"
        "Date: November 23, 2026\n"
        "Member: Dana P. Whitcomb    Member ID: OVH-33018842\n"
        "Case number: QLE-26-118804\n"
        "Drug: Nurtec ODT (rimegepant) 75 mg orally disintegrating tablet\n"
        "Quantity requested: 16 tablets per 30 days\n"
        "Plan quantity limit: 8 tablets per 30 days\n\n"
        "Decision: Denied. Quantities above the limit are covered when the member has 4 to 18 "
        "migraine days a month and takes the drug every other day for prevention as labeled. "
        "The records show acute use only.\n\n"
        "You may appeal within 180 days of receiving this notice. We decide appeals within 30 "
        "days.\n",
        _case(
            "Dana P. Whitcomb", "Rimegepant (Nurtec ODT) for prevention and acute treatment",
            details="Rimegepant 75 mg every other day for prevention: 16 tablets per 30 days",
            dob=D(1987, 6, 9),
            dx=[{"code": "G43.009", "description": "Migraine without aura, not intractable"}],
            summary=(
                "39-year-old woman with 10 migraine days a month by diary. Rimegepant is now "
                "prescribed every other day for prevention."
            ),
            doctor="Noor Hadid", specialty="Neurology",
        ),
        request_has=["16 tablets per 30 days"],
        request_lacks=["re:\\b16 (?:tablets )?per day", "re:\\bx ?16\\b"],
    ),
    KindCase(
        "rituximab-courses-erisa", "quantity", "tune",
        "Harbor Crest Benefit Services, for the Lindqvist Marine Employee Health Plan "
        "(self-funded, ERISA)\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION - PRE-SERVICE\n"
        "Date of notice: November 18, 2026\n"
        "Member: Agnes T. Holloway    Member ID: HCB-30917714\n"
        "Reference: PA-1118-20455\n\n"
        "Requested:\n"
        "  J9312  Injection, rituximab, 10 mg     100 units per infusion day; infusion days 1 and "
        "15 of each course; 2 courses (every 6 months)\n"
        "  96413  Chemotherapy administration, IV infusion, up to 1 hour   1 per infusion day\n"
        "  96415  each additional hour                                      4 per infusion day\n"
        "Requested period: 12/07/2026 - 12/06/2027\n\n"
        "Rituximab for rheumatoid arthritis is covered after an inadequate response to a TNF "
        "blocker. The records do not show a TNF blocker trial.\n\n"
        "You may appeal within 180 days after you receive this notice. We decide pre-service "
        "appeals within 30 days.\n",
        _case(
            "Agnes T. Holloway", "Rituximab infusions for rheumatoid arthritis", "J9312",
            more=["96413", "96415"],
            details=("Rituximab 1000 mg IV on days 1 and 15 of each course, 2 courses 6 months "
                     "apart: J9312 100 units per infusion day; 96413 x1 and 96415 x4 per "
                     "infusion day"),
            dob=D(1966, 5, 19),
            dx=[{"code": "M05.79", "description": "Rheumatoid arthritis with rheumatoid factor "
                 "of multiple sites without organ or systems involvement"}],
            summary=(
                "60-year-old woman with seropositive erosive rheumatoid arthritis, DAS28-CRP 5.6. "
                "Etanercept 50 mg weekly from January to June 2026 gave no response."
            ),
            prior_treatments=[
                {"name": "Etanercept", "kind": "medication", "dose": "50 mg",
                 "frequency": "weekly", "start": D(2026, 1, 5), "end": D(2026, 6, 29),
                 "outcome": "Inadequate response (DAS28-CRP 5.6)"},
            ],
            doctor="Mateo Ruiz", specialty="Rheumatology",
        ),
        request_has=["re:100 units (?:of (?:HCPCS )?J9312 )?per infusion day",
                     "re:(?<![\\d,])400 units",
                     "re:96415[^\\n]{0,200}\\b(?:4 per infusion day|16)\\b"],
        request_lacks=["100 units per day", "re:(?<![\\d,])200 units of (?:HCPCS )?J9312 in all",
                       "re:\\bx ?100\\b"],
    ),
    KindCase(
        "semaglutide-pen-insured", "quantity", "tune",
        "Cobalt Health Plan (fully insured HMO)\n"
        "Pharmacy Prior Authorization - Denial\n"
        "Date: November 21, 2026\n"
        "Member: Rafael J. Ortega    Member ID: COB-58120347\n"
        "Drug: Ozempic (semaglutide) 1 mg weekly, dispensed as one 4 mg/3 mL pen per 28 days\n"
        "Quantity: 3 mL per 28 days\n\n"
        "Ozempic is covered for type 2 diabetes after 3 months of metformin at the maximum "
        "tolerated dose. The records do not show metformin.\n\n"
        "You may appeal within 180 days of receiving this notice.\n",
        _case(
            "Rafael J. Ortega", "Semaglutide (Ozempic) for type 2 diabetes",
            details="Ozempic 1 mg subcutaneously once weekly, dispensed as one 4 mg/3 mL pen "
                    "per 28 days",
            dob=D(1970, 3, 3),
            dx=[{"code": "E11.65", "description": "Type 2 diabetes mellitus with "
                 "hyperglycemia"}],
            summary="56-year-old man with type 2 diabetes, HbA1c 9.4%.",
            prior_treatments=[
                {"name": "Metformin", "kind": "medication", "dose": "1000 mg",
                 "frequency": "twice daily", "start": D(2025, 2, 1), "end": D(2026, 8, 1),
                 "outcome": "Inadequate control (HbA1c 9.4%)"},
            ],
            doctor="Leah Cho", specialty="Endocrinology",
        ),
        request_has=["re:(?:1 pen|3 mL) (?:per|every) 28 days"],
        request_lacks=["re:\\bx ?28\\b", "28 pens", "re:\\b(?:1|3|4) (?:pens?|mL|mg) per day"],
    ),
    KindCase(
        "enoxaparin-syringes-medicaid", "quantity", "tune",
        "Bluegrass Family Health - Medicaid Managed Care\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION\n"
        "Date: 11/23/2026\n"
        "Member: Nell A. Pruitt    Medicaid ID: BFH-66013390\n"
        "Drug requested: enoxaparin 80 mg/0.8 mL prefilled syringe, 1 syringe every 12 hours\n"
        "Quantity requested: 60 syringes per 30 days\n"
        "Quantity limit: 30 syringes per 30 days\n\n"
        "Quantities above the limit are covered for treatment of venous thromboembolism when "
        "an oral anticoagulant cannot be used. The records do not say why an oral "
        "anticoagulant cannot be used.\n\n"
        "You may ask for an appeal within 60 days of the date of this notice. You may ask for a "
        "State Fair Hearing after the appeal.\n",
        _case(
            "Nell A. Pruitt", "Enoxaparin for cancer-associated venous thromboembolism",
            details="Enoxaparin 80 mg subcutaneously every 12 hours: 60 syringes per 30 days",
            dob=D(1958, 12, 12),
            dx=[{"code": "I82.412", "description": "Acute embolism and thrombosis of left "
                 "femoral vein"}],
            summary=(
                "68-year-old woman, 80 kg, with a left femoral DVT and gastric cancer on "
                "chemotherapy; oral anticoagulants are avoided with her active gastric tumor "
                "(bleeding risk) and vomiting."
            ),
            doctor="Samuel Adeyemi", specialty="Hematology/Oncology",
        ),
        request_has=["60 syringes per 30 days"],
        request_lacks=["re:\\b60 syringes per day", "re:\\bx ?60\\b"],
    ),
    KindCase(
        "ferric-carboxymaltose-courses-aca", "quantity", "tune",
        "Evergreen State Health - Gold HMO (ACA individual plan)\n"
        "ADVERSE BENEFIT DETERMINATION (pre-service)\n"
        "Notice date: 11/19/2026\n"
        "Member: Opal R. Kingsley   Member ID: ESH-20877351\n"
        "Tracking #: PA-26-71840\n\n"
        "Code    Description                                        Quantity\n"
        "J1439   Injection, ferric carboxymaltose, 1 mg             750 per infusion, 2 infusions "
        "7 days apart per course\n"
        "96365   IV infusion, initial, up to 1 hour                 1 per infusion\n"
        "Courses requested: 2 (12 weeks apart)\n\n"
        "Intravenous iron is covered for iron deficiency anemia after 8 weeks of oral iron that "
        "failed or was not tolerated. The records do not show an oral iron trial.\n\n"
        "You may appeal within 180 days of receiving this notice. We decide pre-service appeals "
        "within 30 days.\n",
        _case(
            "Opal R. Kingsley", "Intravenous ferric carboxymaltose", "J1439", more=["96365"],
            details=("Ferric carboxymaltose 750 mg IV, 2 infusions 7 days apart per course, 2 "
                     "courses 12 weeks apart: J1439 750 units per infusion; 96365 x1 per "
                     "infusion"),
            dob=D(1979, 2, 2),
            dx=[{"code": "D50.0", "description": "Iron deficiency anemia secondary to blood "
                 "loss (chronic)"}],
            summary=(
                "47-year-old woman with menorrhagia, hemoglobin 8.4 g/dL and ferritin 4 ng/mL. "
                "Ferrous sulfate 325 mg daily from June to August 2026 stopped for vomiting."
            ),
            prior_treatments=[
                {"name": "Ferrous sulfate", "kind": "medication", "dose": "325 mg",
                 "frequency": "daily", "start": D(2026, 6, 1), "end": D(2026, 8, 10),
                 "outcome": "Stopped for vomiting"},
            ],
            doctor="Hannah Lindgren", specialty="Hematology",
        ),
        request_has=["re:750 units (?:of (?:HCPCS )?J1439 )?per infusion",
                     "re:(?<![\\d,])3,000 units", "re:(?<![\\d,])4 units of CPT 96365"],
        request_lacks=["750 units per day", "re:(?<![\\d,])1,500 units of (?:HCPCS )?J1439 in all"],
    ),
    KindCase(
        "liraglutide-pens-medicaid", "quantity", "tune",
        "Prairie Rivers Health - Medicaid\n"
        "Pharmacy prior authorization: not approved\n"
        "Date: November 22, 2026\n"
        "Member: Lionel B. Okafor    Member ID: PRH-77012538\n"
        "Medication: Victoza (liraglutide) 18 mg/3 mL pen\n"
        "Sig: inject 1.8 mg subcutaneously once daily\n"
        "Quantity: 3 pens per 30 days\n\n"
        "Liraglutide is covered for type 2 diabetes after 90 days of metformin. The records do "
        "not show metformin.\n\n"
        "You may ask for an appeal within 60 days of the date of this notice. You may ask for a "
        "State Fair Hearing after the appeal.\n",
        _case(
            "Lionel B. Okafor", "Liraglutide (Victoza) for type 2 diabetes",
            details="Victoza 1.8 mg subcutaneously once daily: 3 pens per 30 days",
            dob=D(1981, 10, 10),
            dx=[{"code": "E11.9", "description": "Type 2 diabetes mellitus without "
                 "complications"}],
            summary="45-year-old man with type 2 diabetes; metformin caused lactic acidosis.",
            doctor="Irene Castell", specialty="Endocrinology",
        ),
        request_has=["3 pens per 30 days"],
        request_lacks=["re:\\bx ?30\\b", "re:\\b3 pens per day", "re:\\b30 pens\\b"],
    ),
    KindCase(
        "methylprednisolone-pulses-ma", "quantity", "tune",
        "Lakeshore Senior Advantage (Medicare Advantage PPO)\n"
        "NOTICE OF DENIAL OF MEDICAL COVERAGE\n"
        "Date: November 20, 2026\n"
        "Member: Bernard Q. Lefebvre    Member ID: LSA-60328815\n\n"
        "Item  Code   Service                                  Amount requested\n"
        "a     J2930  Injection, methylprednisolone sodium succinate, up to 125 mg   12 units "
        "every 28 days\n"
        "b     96365  IV infusion, initial, up to 1 hour         1 per infusion day, 3 infusion "
        "days every 28 days\n"
        "Dates requested: 12/01/2026 - 03/22/2027 (4 courses)\n\n"
        "We denied this request. Monthly pulse corticosteroids for autoimmune encephalitis are "
        "covered after first-line immunotherapy; the records do not show IVIG or plasma "
        "exchange.\n\n"
        "You have 65 days from the date of this notice to ask for a reconsideration.\n",
        _case(
            "Bernard Q. Lefebvre", "Monthly IV methylprednisolone pulses", "J2930",
            more=["96365"],
            details=("Methylprednisolone 500 mg IV daily on 3 consecutive days every 28 days, 4 "
                     "courses"),
            dob=D(1953, 4, 4),
            dx=[{"code": "G04.81", "description": "Other encephalitis and encephalomyelitis"}],
            summary="73-year-old man with LGI1 autoimmune encephalitis; IVIG caused renal failure.",
            doctor="Colette Brun", specialty="Neurology",
        ),
        request_has=["re:12 units (?:of (?:HCPCS )?J2930 )?every 28 days",
                     "re:96365[^\\n]{0,160}per infusion day",
                     "re:(?<![\\d,])48 units of HCPCS J2930",
                     "re:(?<![\\d,])12 units of CPT 96365"],
        request_lacks=["12 units per day", "re:96365 × 28\\b"],
    ),
    KindCase(
        "epidural-p2p-window-erisa", "window", "tune",
        "Summit Crest Benefit Administrators, for the Danforth Paper Co. Health Plan "
        "(self-funded, ERISA)\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION - PRE-SERVICE\n"
        "Date of notice: November 20, 2026\n"
        "Member: Gideon A. Marsh    Member ID: SCB-40981127\n"
        "Reference: UM-1120-33018\n"
        "Service: 62323 Lumbar interlaminar epidural steroid injection with imaging guidance\n\n"
        "The records do not show 4 weeks of physical therapy or a home exercise program before "
        "the injection.\n\n"
        "Peer-to-peer: your physician may ask for a peer-to-peer conversation within 5 "
        "business days of the date of this notice by calling 1-800-555-0142.\n"
        "Appeal: you may appeal within 180 days after you receive this notice. We decide "
        "pre-service appeals within 30 days.\n",
        _case(
            "Gideon A. Marsh", "Lumbar epidural steroid injection", "62323",
            details="62323 x1, outpatient, planned 01/12/2027", dob=D(1975, 5, 27),
            dx=[{"code": "M54.16", "description": "Radiculopathy, lumbar region"}],
            summary=(
                "51-year-old man with L5 radiculopathy from an L4-5 disc extrusion on MRI. Six "
                "weeks of physical therapy from August 3 to September 14, 2026 did not relieve "
                "the leg pain (8/10)."
            ),
            prior_treatments=[
                {"name": "Physical therapy", "kind": "therapy",
                 "frequency": "2 visits a week", "start": D(2026, 8, 3),
                 "end": D(2026, 9, 14), "outcome": "No relief of leg pain (8/10)"},
            ],
            doctor="Elise Brandvold", specialty="Pain Medicine",
        ),
        letter_lacks=_LATE,
        letter_has=["re:180 days|May \\d+, 2027"],
    ),
    KindCase(
        "capsule-endoscopy-p2p-before-appeal-insured", "window", "tune",
        "Northwind Mutual Health (fully insured group plan)\n"
        "Utilization Review Determination\n"
        "Date: 11/23/2026\n"
        "Member: Colin V. Ashby    Member ID: NMH-40882716\n"
        "Case: UR-26-11-5530\n"
        "Service: 91110 Gastrointestinal tract imaging, intraluminal (capsule endoscopy)\n\n"
        "Determination: not medically necessary. Capsule endoscopy is covered for obscure "
        "gastrointestinal bleeding after a negative upper endoscopy and colonoscopy. The "
        "records do not include the colonoscopy report.\n\n"
        "Before you file an appeal, your physician may ask for a peer-to-peer review with our "
        "medical director within 5 business days of this determination.\n"
        "You have 180 days from receipt of this letter to file an appeal. Appeals are decided "
        "within 30 days.\n",
        _case(
            "Colin V. Ashby", "Capsule endoscopy", "91110",
            details="91110 x1, outpatient, planned 01/08/2027", dob=D(1956, 9, 9),
            dx=[{"code": "K92.2", "description": "Gastrointestinal hemorrhage, unspecified"}],
            summary=(
                "70-year-old man with iron deficiency anemia and positive stool occult blood; "
                "upper endoscopy on September 3, 2026 and colonoscopy on September 17, 2026 "
                "found no source."
            ),
            doctor="Rita Mahon", specialty="Gastroenterology",
        ),
        letter_lacks=_LATE,
        letter_has=["re:180 days|May \\d+, 2027"],
    ),
    KindCase(
        "pcs-keep-benefits-table-medicaid", "window", "tune",
        "Gulf Harbor Health Plan - Medicaid Managed Care\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION - REDUCTION\n"
        "Notice date: November 12, 2026\n"
        "Member: Delphine O. Mercier    Member ID: GHH-51827730\n\n"
        "Personal care services (T1019, each 15 minutes) are reduced from 120 units a week to 60 "
        "units a week starting November 23, 2026, because the assessment does not show need "
        "for help with bathing.\n\n"
        "IMPORTANT DATES\n"
        "| What | Deadline |\n"
        "| Keep your services while you appeal | within 10 days of the notice date, or before "
        "November 23, 2026 |\n"
        "| Ask for a plan appeal | within 60 days of the notice date |\n"
        "| Ask for a State Fair Hearing | within 120 days of the appeal decision |\n",
        _case(
            "Delphine O. Mercier", "Personal care services", "T1019",
            details="T1019 120 units a week (30 hours)", dob=D(1941, 8, 21),
            dx=[{"code": "G20.A1", "description": "Parkinson's disease without dyskinesia, "
                 "without mention of fluctuations"}],
            summary=(
                "85-year-old woman with Parkinson's disease who needs hands-on help to get in "
                "and out of the tub and fell twice bathing alone in October 2026."
            ),
            doctor="Anton Weiss", specialty="Neurology",
        ),
        letter_lacks=_LATE,
        letter_has=["re:January 11, 2027|60 days"],
    ),
    KindCase(
        "hearing-reconsideration-window-erisa", "window", "tune",
        "Alder Point Benefit Services, for the Wexford Brewing Employee Health Plan "
        "(self-funded)\n"
        "Date of this notice: November 10, 2026\n"
        "Member: Tobias R. Lund    Member ID: APB-33016620\n"
        "Reference: PA-1110-60312\n"
        "Service: 69714 Implantation, osseointegrated implant, skull\n\n"
        "The request is denied: the records do not show a trial of a bone-conduction device on "
        "a headband or softband.\n\n"
        "Reconsideration: If you have information we did not review, you may ask us to "
        "reconsider within 10 business days of this notice.\n"
        "Appeal: You may appeal this decision within 180 days after you receive it.\n",
        _case(
            "Tobias R. Lund", "Bone-anchored hearing implant", "69714",
            details="69714 x1, outpatient, planned 01/20/2027", dob=D(1978, 12, 30),
            dx=[{"code": "H90.11", "description": "Conductive hearing loss, unilateral, right "
                 "ear, with unrestricted hearing on the contralateral side"}],
            summary=(
                "48-year-old man with right conductive hearing loss after cholesteatoma surgery; "
                "a softband bone-conduction trial on October 6, 2026 improved word recognition "
                "from 40% to 88%."
            ),
            doctor="Freya Olsen", specialty="Otolaryngology",
        ),
        letter_lacks=_LATE,
        letter_has=["re:180 days|May \\d+, 2027"],
    ),
    KindCase(
        "genetic-test-resend-window-ma", "window", "tune",
        "Bayview Medicare Advantage Plan (HMO)\n"
        "Notice of Denial of Medical Coverage\n"
        "Date: November 5, 2026\n"
        "Member: Estelle P. Vance    Member ID: BMA-90217736\n"
        "Service: 81162 BRCA1/BRCA2 full sequence and deletion/duplication analysis\n\n"
        "We denied this request because the records do not include the family history the "
        "NCD 90.2 criteria need.\n\n"
        "Missing records: your doctor can send the family history within 7 calendar days of "
        "this notice, and our reviewer will reconsider the request. This is not an appeal "
        "and does not change your appeal rights.\n\n"
        "If you disagree with this decision, you have 65 days from the date of this notice to "
        "ask for a reconsideration.\n",
        _case(
            "Estelle P. Vance", "BRCA1/BRCA2 genetic testing", "81162",
            details="81162 x1", dob=D(1962, 4, 1),
            dx=[{"code": "Z80.3", "description": "Family history of malignant neoplasm of "
                 "breast"}],
            summary=(
                "64-year-old woman whose sister had breast cancer at 41 and whose mother had "
                "ovarian cancer at 58."
            ),
            doctor="Nadia Petrov", specialty="Medical Genetics",
        ),
        letter_lacks=_LATE,
        letter_has=["re:65 days|January 9, 2027"],
    ),
    KindCase(
        "lumbar-mri-done-erisa", "timing", "tune",
        "Tidewater Benefit Services, for the Corliss Shipping Employee Health Plan (self-funded, "
        "ERISA)\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION - PRE-SERVICE\n"
        "Date of notice: October 20, 2026\n"
        "Member: Helena B. Strand    Member ID: TBS-22871046\n"
        "Reference: PA-1020-77164\n"
        "Service: 72148 MRI lumbar spine without contrast\n\n"
        "Lumbar MRI is covered after 6 weeks of conservative care or with a red flag. The "
        "records do not show either.\n\n"
        "You may appeal within 180 days after you receive this notice. We decide pre-service "
        "appeals within 30 days; urgent appeals within 72 hours.\n",
        _case(
            "Helena B. Strand", "MRI lumbar spine without contrast", "72148",
            details="72148 x1, performed 11/04/2026 at Harborview Imaging (completed)",
            dob=D(1968, 2, 14), claim_reference="PA-1020-77164",
            dx=[{"code": "M54.17", "description": "Radiculopathy, lumbosacral region"}],
            summary=(
                "58-year-old woman with progressive left foot drop (ankle dorsiflexion 3/5) "
                "found on October 28, 2026, a red flag. The MRI was done on November 4, 2026 "
                "and showed a large L4-5 disc extrusion compressing the left L5 root."
            ),
            doctor="Paolo Ferri", specialty="Neurosurgery",
        ),
        letter_has=["60 days"],
        letter_lacks=["72 hours"],
        request_has=["re:\\bpa(?:y|ying|yment)\\b", "November 4, 2026"],
        request_lacks=["expedit"],
    ),
    KindCase(
        "wound-vac-delivered-urgent-ma", "timing", "tune",
        "Summit Ridge Medicare Advantage (PPO)\n"
        "NOTICE OF DENIAL OF MEDICAL COVERAGE\n"
        "Date: October 22, 2026\n"
        "Member: Harold V. Quist     Member ID: SRM-40219873\n"
        "Request: E2402 Negative pressure wound therapy electrical pump, stationary or "
        "portable\n\n"
        "We denied this request: the records do not show a 30-day trial of conventional "
        "wound care.\n\n"
        "You have 65 days from the date of this notice to ask for a reconsideration. If your "
        "health requires it, ask for a fast reconsideration; we decide those within 72 hours.\n",
        _case(
            "Harold V. Quist", "Negative pressure wound therapy pump (E2402)", "E2402",
            details="E2402 x1, delivered 10/30/2026 (rental month 1)",
            dob=D(1949, 1, 5), urgency="expedited",
            urgency_reason="Open sternal wound with exposed hardware.",
            dx=[{"code": "T81.31XA", "description": "Disruption of external operation "
                 "(surgical) wound, initial encounter"}],
            summary=(
                "77-year-old man with sternal wound dehiscence after bypass surgery; six weeks "
                "of moist dressings failed before the pump was delivered on October 30, 2026."
            ),
            doctor="Celia Varga", specialty="Cardiothoracic Surgery",
        ),
        letter_has=["60 days"],
        letter_lacks=["72 hours", "I request expedited review"],
        request_has=["re:\\bpa(?:y|ying|yment)\\b", "October 30, 2026"],
        request_lacks=["expedit"],
    ),
    KindCase(
        "prostate-imrt-enclosures-erisa", "enclosures", "tune",
        "Cedar Ridge Health Services, for the Maple Hollow Manufacturing Health Plan "
        "(self-funded, ERISA)\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION - PRE-SERVICE\n"
        "Date of notice: November 17, 2026\n"
        "Member: Desmond R. Achebe    Member ID: CRH-55109832\n"
        "Reference: RT-1117-40912\n"
        "Service: 77385 Intensity modulated radiation treatment delivery, simple\n\n"
        "IMRT for prostate cancer is covered when a three-dimensional conformal plan cannot "
        "meet the rectal and bladder dose constraints. No comparison plan was sent.\n\n"
        "You may appeal within 180 days after you receive this notice.\n",
        _case(
            "Desmond R. Achebe", "IMRT for localized prostate cancer", "77385",
            details="77385 x 28 fractions, starting 01/11/2027", dob=D(1957, 7, 7),
            dx=[{"code": "C61", "description": "Malignant neoplasm of prostate"}],
            summary=(
                "69-year-old man with unfavorable intermediate-risk prostate adenocarcinoma "
                "(Gleason 4+3, PSA 14). The three-dimensional conformal plan gives 38% of the "
                "rectum 70 Gy (constraint under 20%); the IMRT plan gives 12%."
            ),
            documents=[
                {"title": "Radiation oncology consultation", "date": D(2026, 10, 2)},
                {"title": "Prostate MRI report", "date": D(2026, 9, 12)},
                {"title": "Dosimetry comparison, 3D conformal versus IMRT plan",
                 "date": D(2026, 10, 20)},
                {"title": "Screening colonoscopy report", "date": D(2025, 3, 14)},
                {"title": "Dermatology visit note, actinic keratosis", "date": D(2026, 6, 11)},
            ],
            doctor="Ingrid Halvorsen", specialty="Radiation Oncology",
        ),
        letter_has=["Dosimetry comparison", "Prostate MRI report"],
        letter_lacks=["colonoscopy", "actinic"],
    ),
    KindCase(
        "bunionectomy-unrelated-findings-aca", "enclosures", "tune",
        "Cardinal Peak Health - Bronze PPO (Affordable Care Act marketplace)\n"
        "ADVERSE BENEFIT DETERMINATION - PRE-SERVICE\n"
        "Date: November 16, 2026\n"
        "Member: Imogen F. Castellano    Member ID: CPH-71230498\n"
        "Service: 28296 Correction, hallux valgus with first metatarsal osteotomy\n\n"
        "Hallux valgus surgery is covered when the hallux valgus angle is over 20 degrees on "
        "weight-bearing radiographs and pain limits walking despite 3 months of wide shoes and "
        "orthoses. The records do not show a trial of orthoses.\n\n"
        "You may appeal within 180 days of receiving this notice.\n",
        _case(
            "Imogen F. Castellano", "Bunionectomy with first metatarsal osteotomy", "28296",
            details="28296 x1, outpatient, planned 01/14/2027", dob=D(1968, 7, 21),
            dx=[{"code": "M20.11", "description": "Hallux valgus (acquired), right foot"},
                {"code": "E11.9", "description": "Type 2 diabetes mellitus without "
                 "complications"}],
            summary=(
                "58-year-old woman with a painful right bunion that limits walking to 15 "
                "minutes despite wide shoes since 2025 and custom orthoses from June to "
                "October 2026."
            ),
            objective_findings=[
                {"kind": "imaging", "name": "Weight-bearing right foot radiographs, hallux "
                 "valgus angle", "value": "38 degrees", "date": D(2026, 5, 12)},
                {"kind": "exam", "name": "Diabetic retinal screening exam", "value": "No "
                 "retinopathy", "date": D(2026, 3, 2)},
                {"kind": "lab", "name": "Lipid panel, LDL cholesterol", "value": "96 mg/dL",
                 "date": D(2026, 3, 2)},
            ],
            prior_treatments=[
                {"name": "Custom foot orthoses", "kind": "device", "start": D(2026, 6, 1),
                 "end": D(2026, 10, 30), "outcome": "No relief of pain with walking"},
            ],
            doctor="Marcus Bell", specialty="Podiatric Surgery",
        ),
        letter_has=["re:radiographs"],
        letter_lacks=["retinal", "Lipid panel"],
    ),
    KindCase(
        "fusion-other-imaging-erisa", "enclosures", "tune",
        "Ironwood Benefit Administrators, for the Kessler Freight Health Plan (self-funded, "
        "ERISA)\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION - PRE-SERVICE\n"
        "Date: November 19, 2026\n"
        "Member: Roland P. Aguirre    Member ID: IBA-66120943\n"
        "Service: 22630 Posterior lumbar interbody fusion, L4-L5\n\n"
        "Lumbar fusion for spondylolisthesis is covered when flexion-extension radiographs show "
        "more than 3 mm of translation or CT shows a pars defect, after 6 months of "
        "conservative care. The records do not include flexion-extension radiographs.\n\n"
        "You may appeal within 180 days after you receive this notice.\n",
        _case(
            "Roland P. Aguirre", "L4-L5 posterior lumbar interbody fusion", "22630",
            details="22630 x1, inpatient, planned 02/08/2027", dob=D(1969, 3, 30),
            dx=[{"code": "M43.16", "description": "Spondylolisthesis, lumbar region"}],
            summary=(
                "57-year-old man with L4-L5 degenerative spondylolisthesis and neurogenic "
                "claudication after 8 months of physical therapy and two epidural injections."
            ),
            documents=[
                {"title": "Flexion-extension lumbar radiographs report", "date": D(2026, 10, 8)},
                {"title": "Spine clinic notes", "date": D(2026, 3, 2), "end": D(2026, 11, 2)},
                {"title": "Dental bitewing radiographs", "date": D(2026, 1, 20)},
                {"title": "Lung cancer screening low-dose CT", "date": D(2025, 12, 5)},
            ],
            doctor="Helena Sørensen", specialty="Orthopaedic Spine Surgery",
        ),
        letter_has=["Flexion-extension lumbar radiographs", "Spine clinic notes"],
        letter_lacks=["bitewing", "Lung cancer screening"],
    ),
    KindCase(
        "ocrelizumab-other-policy-note-insured", "source", "tune",
        "Harborview Health Insurance (fully insured PPO)\n"
        "MEDICAL DRUG PRIOR AUTHORIZATION - DENIED\n"
        "Date: 11/20/2026\n"
        "Member: Wendell J. Farrow    Member ID: HHI-55102983\n"
        "Requested: J2350 Injection, ocrelizumab, 1 mg - 600 units every 6 months\n\n"
        "Policy applied: Drug Policy DP-77 Ocrelizumab (Ocrevus).\n"
        "Note: oral disease-modifying therapies on the formulary are reviewed under Drug Policy "
        "DP-80 Oral Disease-Modifying Therapies for MS.\n"
        "Requirements:\n"
        "- diagnosis of relapsing multiple sclerosis or primary progressive multiple sclerosis "
        "confirmed by MRI;\n"
        "- hepatitis B screening before the first dose. Not met: no hepatitis B result was "
        "sent.\n\n"
        "You may appeal within 180 days of receiving this notice.\n",
        _case(
            "Wendell J. Farrow", "Ocrelizumab infusions for relapsing MS", "J2350",
            details="J2350 600 units every 6 months", dob=D(1986, 2, 14),
            dx=[{"code": "G35", "description": "Multiple sclerosis"}],
            summary="40-year-old man with relapsing MS, two relapses in 2026.",
            objective_findings=[
                {"kind": "lab", "name": "Hepatitis B surface antigen and core antibody",
                 "value": "Negative", "date": D(2026, 10, 30)},
            ],
            doctor="Priya Raman", specialty="Neurology",
        ),
        letter_has=["DP-77"],
        letter_lacks=["re:### Criterion[^\\n]*DP-80"],
    ),
    KindCase(
        "tezepelumab-alternatives-table-medicaid", "source", "tune",
        "Sunrise Valley Health Plan - Medicaid\n"
        "Notice of Adverse Benefit Determination\n"
        "Date: November 18, 2026\n"
        "Member: Kiara M. Dunleavy    Medicaid ID: SVH-30028817\n"
        "Drug requested: Tezspire (tezepelumab) 210 mg every 4 weeks\n\n"
        "Reviewed against: Clinical Policy CP.PHAR.511 Tezepelumab-ekko (Tezspire)\n\n"
        "| Preferred alternative | Policy |\n"
        "| Fasenra (benralizumab) | CP.PHAR.373 Benralizumab |\n"
        "| Nucala (mepolizumab) | CP.PHAR.200 Mepolizumab |\n\n"
        "Criteria not met:\n"
        "1. Two or more asthma exacerbations needing systemic corticosteroids in the past 12 "
        "months despite high-dose inhaled corticosteroid and a second controller.\n\n"
        "You may ask for an appeal within 60 days of the date of this notice.\n",
        _case(
            "Kiara M. Dunleavy", "Tezepelumab for severe asthma",
            details="Tezspire 210 mg subcutaneously every 4 weeks", dob=D(1992, 9, 9),
            dx=[{"code": "J45.50", "description": "Severe persistent asthma, uncomplicated"}],
            summary=(
                "34-year-old woman with severe asthma on high-dose fluticasone-salmeterol and "
                "tiotropium; prednisone bursts for exacerbations in March, June and September "
                "2026."
            ),
            doctor="Gideon Park", specialty="Pulmonology",
        ),
        letter_has=["CP.PHAR.511"],
        letter_lacks=["re:### Criterion[^\\n]*(?:CP\\.PHAR\\.373|CP\\.PHAR\\.200)"],
    ),
    KindCase(
        "apremilast-step-policies-erisa", "source", "tune",
        "Crestline Pharmacy Services, PBM for the Oakridge Mills Health Plan (self-funded, "
        "ERISA)\n"
        "Coverage decision: DENIED     Date: November 24, 2026\n"
        "Member: Lydia S. Brennan    ID: CPS-84410275\n"
        "Drug: Otezla (apremilast) 30 mg twice daily\n\n"
        "We reviewed your request against Pharmacy Policy PP-612 Apremilast (Otezla). Your plan "
        "prefers methotrexate first (Pharmacy Policy PP-101 Conventional Systemic Agents), and "
        "biologics are reviewed under Pharmacy Policy PP-700 Biologic Immunomodulators.\n\n"
        "What is missing:\n"
        "A. Moderate to severe plaque psoriasis (BSA of 3% or more, or special-site "
        "involvement).\n"
        "B. A 12-week trial of methotrexate or cyclosporine, unless contraindicated. Not met.\n\n"
        "You may appeal within 180 days of receiving this decision.\n",
        _case(
            "Lydia S. Brennan", "Apremilast for plaque psoriasis",
            details="Otezla 30 mg by mouth twice daily", dob=D(1975, 5, 5),
            dx=[{"code": "L40.0", "description": "Psoriasis vulgaris"}],
            summary=(
                "51-year-old woman with scalp and genital psoriasis (special sites), BSA 4%. "
                "Methotrexate is contraindicated by her alcohol-related liver disease "
                "(fibrosis F3 on elastography)."
            ),
            doctor="Amara Okoye", specialty="Dermatology",
        ),
        letter_has=["PP-612"],
        letter_lacks=["re:### Criterion[^\\n]*(?:PP-101|PP-700)"],
    ),
    KindCase(
        "dupilumab-alt-policy-insured", "source", "tune",
        "Brightwater Health Insurance Company (fully insured PPO)\n"
        "PHARMACY PRIOR AUTHORIZATION DENIAL\n"
        "Date: November 24, 2026\n"
        "Member: Sofia L. Marchand    Member ID: BWH-70218834\n"
        "Drug: Dupixent (dupilumab) 300 mg every 2 weeks\n\n"
        "Policy used for this review: Pharmacy Policy RX-245 Dupilumab (Dupixent).\n"
        "Preferred alternative: tralokinumab (Adbry), reviewed under Pharmacy Policy RX-512 "
        "Tralokinumab (Adbry).\n"
        "Criteria:\n"
        "1. Moderate-to-severe atopic dermatitis with body surface area of 10% or more or an "
        "EASI score of 16 or more. Met.\n"
        "2. Inadequate response to a 4-week trial of a medium- or high-potency topical "
        "corticosteroid and a topical calcineurin inhibitor. Not met.\n\n"
        "You may appeal within 180 days of receiving this notice.\n",
        _case(
            "Sofia L. Marchand", "Dupilumab (pharmacy benefit)",
            details="Dupixent 600 mg loading dose, then 300 mg every 2 weeks",
            dob=D(2001, 1, 30),
            dx=[{"code": "L20.89", "description": "Other atopic dermatitis"}],
            summary=(
                "25-year-old woman with atopic dermatitis over 30% of body surface area, EASI "
                "28."
            ),
            prior_treatments=[
                {"name": "Triamcinolone 0.1% ointment", "kind": "medication",
                 "frequency": "twice daily", "start": D(2026, 6, 1), "end": D(2026, 7, 13),
                 "outcome": "Inadequate response (EASI 30)"},
                {"name": "Tacrolimus 0.1% ointment", "kind": "medication",
                 "frequency": "twice daily", "start": D(2026, 7, 14), "end": D(2026, 9, 1),
                 "outcome": "Inadequate response (EASI 28)"},
            ],
            doctor="Julien Moreau", specialty="Dermatology",
        ),
        letter_has=["RX-245"],
        letter_lacks=["re:### Criterion[^\\n]*RX-512"],
    ),
]


def main(argv: list[str]) -> int:
    """Per kind and slice: keys met / keys, cases fully right; --detail lists the tuned
    slice's misses (never the held-out slice's); --case=NAME scores one case."""
    from evals.strategy.kinds import report

    only = next((a.split("=", 1)[1] for a in argv if a.startswith("--case=")), None)
    report([kc for kc in REQUEST_KIND_CASES if only in (None, kc.name)], "--detail" in argv)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
