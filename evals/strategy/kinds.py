"""Labelled cases for six kinds of strategy defect the blind reading found (issue 17, strategy
round 28), each a short synthetic denial and case file drafted through the whole pipeline
(retrieval included), with keys written by hand from the notice before the code was run:

1. ``exception``: a plan's own exception inside an exclusion ('does not apply to reconstructive
   surgery to correct a congenital anomaly') is argued as the ground when the facts fit it;
2. ``claim``: a post-service claim (an EOB) gets the post-service clock and the request to
   reprocess and pay its lines; a prior-approval notice is never read as a claim;
3. ``units``: every code, unit, modifier and period of the notice in the request, visits as the
   notice counts them;
4. ``ncd``: under Medicare Advantage, a plan criterion beyond the NCD that fully sets the
   coverage criteria is named as such (42 CFR 422.101(b)(6));
5. ``deadline``: a deadline within 7 days or past is said, with good cause or the expedited
   route, and the urgency states the clinical risk of delay from the facts;
6. ``concession``: a criterion the physician cannot meet is conceded plainly and the exception
   asked with the reason the record gives, never disputed.

A key is a substring, or a regular expression after 're:'. The held-out cases were written
first, before the tuned ones and before any change they measure, and are not read while tuning.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from evals.strategy.grounds import _case

D = dt.date
TODAY = D(2026, 12, 6)


@dataclass
class KindCase:
    name: str
    kind: str
    split: str
    letter: str
    case: dict
    letter_has: list[str] = field(default_factory=list)
    letter_lacks: list[str] = field(default_factory=list)
    request_has: list[str] = field(default_factory=list)
    request_lacks: list[str] = field(default_factory=list)
    section_has: dict[int, list[str]] = field(default_factory=dict)
    """Words the criterion's own section (### Criterion N) must hold."""
    section_lacks: dict[int, list[str]] = field(default_factory=dict)
    today: dt.date = TODAY


def holds(text: str, key: str) -> bool:
    """The key is in the text: a substring, or a regular expression after 're:'."""
    if key.startswith("re:"):
        return re.search(key[3:], text, re.IGNORECASE) is not None
    return key in text


def _physician(name: str, specialty: str) -> dict:
    return {"doctor": name, "specialty": specialty}


KIND_CASES: list[KindCase] = [
    # ================================================================== held out (written first)
    KindCase(
        "pectus-congenital-aca", "exception", "heldout",
        "Cascade Summit Health - Individual & Family Plan (Affordable Care Act marketplace)\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION (PRE-SERVICE)\n"
        "Date: November 20, 2026\n"
        "Member: Owen T. Varga     Member ID: CSH-44120987\n"
        "Reference number: PA-26-330418\n"
        "Requested: 21742 Reconstructive repair of pectus excavatum, minimally invasive (Nuss)\n"
        "Diagnosis: Q67.6 Pectus excavatum\n\n"
        "Your request was denied. Your Evidence of Coverage, Section 7.4, excludes cosmetic "
        "surgery, meaning surgery performed mainly to improve appearance. This exclusion does "
        "not apply to reconstructive surgery to correct a congenital anomaly that causes a "
        "functional impairment. The records we received describe the appearance of the chest "
        "wall; they do not show that the surgery is needed for a reason other than appearance.\n\n"
        "You may appeal within 180 days of receiving this notice. We decide pre-service appeals "
        "within 30 days. After our final decision you may ask for an external review under the "
        "Affordable Care Act.\n",
        _case(
            "Owen T. Varga", "Minimally invasive repair of pectus excavatum (Nuss procedure)",
            "21742", details="21742 x1, inpatient, planned 02/16/2027",
            dob=D(2007, 3, 14),
            dx=[{"code": "Q67.6", "description": "Pectus excavatum"}],
            summary=(
                "19-year-old with pectus excavatum present since infancy, progressive through "
                "adolescence, with exertional dyspnea and chest pain on exertion. CT chest Haller "
                "index 4.2. Echocardiogram shows right ventricular compression. Cardiopulmonary "
                "exercise test: peak VO2 68% of predicted, limited by cardiac output."
            ),
            objective_findings=[
                {"kind": "imaging", "name": "CT chest Haller index", "value": "4.2",
                 "date": D(2026, 9, 30)},
                {"kind": "other", "name": "Cardiopulmonary exercise test, peak VO2",
                 "value": "68% of predicted", "date": D(2026, 10, 7),
                 "interpretation": "Reduced exercise capacity"},
            ],
            **_physician("Priya Natarajan", "Thoracic Surgery"),
        ),
        letter_has=["congenital anomaly", "re:congenital anomaly[^\\n]{0,300}(?:functional|VO2)"
                    "|(?:functional|VO2)[^\\n]{0,300}congenital anomaly"],
        letter_lacks=["I do not dispute"],
        request_has=["21742"],
    ),
    KindCase(
        "cpap-titration-eob-erisa", "claim", "heldout",
        "Redwood Plains Benefit Services\n"
        "Claims administrator for the Tillman Freight Employee Benefit Plan (self-funded, "
        "ERISA)\n"
        "EXPLANATION OF BENEFITS - THIS IS NOT A BILL\n"
        "Statement date: 10/14/2026\n"
        "Patient: Marcus L. Avery        Member ID: RPB-20488137\n"
        "Claim number: 2026-0821-55903   Provider: Lakeshore Sleep Center\n\n"
        "Date of service  Code   Description                                  Billed     "
        "Allowed  Paid   Remark\n"
        "08/21/2026       95811  Polysomnography with CPAP titration, attended $3,150.00  "
        "$0.00    $0.00  N1\n"
        "08/21/2026       94660  CPAP initiation and management               $210.00    "
        "$0.00    $0.00  N1\n\n"
        "Remark N1: Not medically necessary. Under policy SLP-112, attended in-laboratory "
        "titration is covered only when home titration with auto-titrating PAP has failed or "
        "is contraindicated. The records do not show a trial of auto-titrating PAP.\n\n"
        "Your appeal rights: You may appeal this claim decision within 180 days of receiving "
        "this statement. Write to Redwood Plains Benefit Services, Appeals, PO Box 5521, "
        "Sacramento, CA 95812. You have the right to bring a civil action under section 502(a) "
        "of ERISA following an adverse benefit determination on appeal.\n",
        _case(
            "Marcus L. Avery", "Attended polysomnography with CPAP titration", "95811",
            more=["94660"], details="95811 and 94660 on 08/21/2026 at Lakeshore Sleep Center",
            dob=D(1968, 1, 22), claim_reference="2026-0821-55903",
            dx=[{"code": "G47.33", "description": "Obstructive sleep apnea"},
                {"code": "J44.9", "description": "Chronic obstructive pulmonary disease"}],
            summary=(
                "58-year-old man with severe obstructive sleep apnea (AHI 52) and COPD with "
                "nocturnal hypoxemia, SpO2 nadir 78% on the diagnostic study. Home titration "
                "with auto-titrating PAP is not appropriate with significant chronic lung "
                "disease and nocturnal hypoxemia, so an attended titration was ordered."
            ),
            **_physician("Renata Holm", "Sleep Medicine"),
        ),
        letter_has=["60 days"],
        letter_lacks=["72 hours"],
        request_has=["reprocess", "pay", "95811", "94660", "August 21, 2026"],
        request_lacks=["approve"],
    ),
    KindCase(
        "home-nursing-prior-approval-medicaid", "claim", "heldout",
        "Bayfront Community Health Plan - Medicaid Managed Care\n"
        "PRIOR APPROVAL DETERMINATION - NOTICE OF ADVERSE BENEFIT DETERMINATION\n"
        "Date: 11/19/2026\n"
        "Member: Lucia F. Marrero      Member ID: BCH-77310452\n"
        "Prior approval number: PA-1125-66017\n"
        "Provider: Harbor Home Health Services\n"
        "Service requested: G0299 Direct skilled nursing services of a registered nurse in the "
        "home health setting, each 15 minutes x 36\n"
        "Dates of service requested: 11/09/2026 - 02/06/2027\n\n"
        "We denied the request for G0299 because the records do not show that the member is "
        "homebound or that skilled nursing, rather than family teaching, is needed. Claims for "
        "these services will not be paid.\n\n"
        "You may ask for an appeal within 60 days of the date of this notice. We will decide a "
        "standard appeal within 30 days. You may ask for a State Fair Hearing after the "
        "appeal.\n",
        _case(
            "Lucia F. Marrero", "Home health skilled nursing visits (RN)", "G0299",
            details="G0299 x 36, 11/09/2026 - 02/06/2027",
            dob=D(1949, 7, 2), claim_reference="PA-1125-66017",
            dx=[{"code": "L89.154", "description": "Pressure ulcer of sacral region, stage 4"}],
            summary=(
                "77-year-old woman after hospitalization for a stage 4 sacral pressure ulcer "
                "needing negative pressure wound therapy changes three times a week. She "
                "cannot leave home without two-person assistance and a wheelchair van."
            ),
            **_physician("Dorothy Achebe", "Internal Medicine"),
        ),
        letter_has=["30 days"],
        request_has=["approve", "G0299"],
        request_lacks=["reprocess", "pay for"],
    ),
    KindCase(
        "ot-visits-erisa", "units", "heldout",
        "Northgate Benefit Administrators, for the Carrow Mills Employee Health Plan "
        "(self-funded, ERISA)\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION - PRE-SERVICE\n"
        "Date of notice: November 24, 2026\n"
        "Member: Elena S. Fairchild     Member ID: NBA-30917265\n"
        "Authorization number: AUTH-26-448120\n\n"
        "Services reviewed:\n"
        "  97165-GO  Occupational therapy evaluation, low complexity   x 1    APPROVED\n"
        "  97530-GO  Therapeutic activities, each 15 minutes           x 16 (2 visits/week "
        "for 8 weeks)   DENIED\n"
        "  97535-GO  Self-care/home management training, each 15 min  x 16 (2 visits/week "
        "for 8 weeks)   DENIED\n"
        "Requested period: 11/30/2026 - 01/24/2027\n\n"
        "Reason: Outpatient occupational therapy is covered when the member has a functional "
        "deficit expected to improve significantly in a reasonable time. The records do not "
        "show measurable functional goals.\n\n"
        "You may appeal within 180 days of receiving this notice. We decide pre-service appeals "
        "within 30 days.\n",
        _case(
            "Elena S. Fairchild", "Outpatient occupational therapy after distal radius fracture",
            "97530", more=["97535"],
            details=("OT twice weekly for 8 weeks (16 visits), 11/30/2026 - 01/24/2027: 97530 "
                     "two units and 97535 one unit per visit"),
            dob=D(1958, 4, 9),
            dx=[{"code": "S52.571D", "description": "Other intraarticular fracture of lower end "
                 "of right radius, subsequent encounter"}],
            summary=(
                "68-year-old right-handed woman 10 weeks after open reduction and internal "
                "fixation of a right distal radius fracture. Grip strength 9 kg right against "
                "24 kg left; QuickDASH 61. Goals: grip 18 kg and QuickDASH below 30 in 8 "
                "weeks, to return to dressing and cooking independently."
            ),
            **_physician("Tobias Lindqvist", "Orthopaedic Surgery"),
        ),
        request_has=["97530-GO × 16", "97535-GO × 16", "January 24, 2027"],
        request_lacks=["97165", "× 32"],
    ),
    KindCase(
        "gastric-bypass-ncd-ma", "ncd", "heldout",
        "Sierra Vista Medicare Advantage (HMO)\n"
        "NOTICE OF DENIAL OF MEDICAL COVERAGE\n"
        "Date: November 23, 2026\n"
        "Member: Harold J. Quintero     Member ID: SVM-88214530\n"
        "Service requested: 43644 Laparoscopic gastric bypass (Roux-en-Y)\n\n"
        "We denied this request. Our Bariatric Surgery Clinical Policy MP-214 requires all of "
        "the following:\n"
        "1. Body mass index of 35 or more with at least one obesity-related comorbidity. Met.\n"
        "2. Completion of a 6-month physician-supervised weight loss program within the last "
        "12 months. Not met: the records show a 3-month program.\n"
        "3. A psychological evaluation clearing the member for surgery. Met.\n\n"
        "You have 65 days from the date of this notice to ask for a reconsideration. We will "
        "decide a standard reconsideration within 30 days.\n",
        _case(
            "Harold J. Quintero", "Laparoscopic Roux-en-Y gastric bypass", "43644",
            details="43644 x1, inpatient, planned 02/02/2027",
            dob=D(1957, 8, 30),
            dx=[{"code": "E66.01", "description": "Morbid (severe) obesity due to excess "
                 "calories"},
                {"code": "E11.65", "description": "Type 2 diabetes mellitus with "
                 "hyperglycemia"}],
            summary=(
                "69-year-old man with BMI 43.1, type 2 diabetes (A1c 9.2%) and obstructive sleep "
                "apnea. He completed a 3-month physician-supervised weight loss program in 2026 "
                "and a commercial program in 2024, losing and regaining weight each time. "
                "Psychological evaluation cleared him for surgery."
            ),
            prior_treatments=[
                {"name": "Physician-supervised weight loss program", "kind": "other",
                 "start": D(2026, 5, 4), "end": D(2026, 8, 3),
                 "outcome": "Lost 3 kg, regained by October 2026"},
            ],
            **_physician("Luis Ferreira", "Bariatric Surgery"),
        ),
        letter_has=["re:NCD 100\\.1[^\\n]{0,600}422\\.101\\(b\\)\\(6\\)"
                    "|422\\.101\\(b\\)\\(6\\)[^\\n]{0,600}NCD 100\\.1"],
        section_has={2: ["re:NCD|National Coverage Determination"]},
        section_lacks={2: ["I do not dispute"]},
    ),
    KindCase(
        "oxygen-deadline-near-medicaid", "deadline", "heldout",
        "Lakeview Family Health Plan - Medicaid Managed Care\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION\n"
        "Date: October 12, 2026\n"
        "Member: Gloria P. Sandoval      Member ID: LFH-60218843\n"
        "Reference: PA-26-1012-338\n"
        "Service: E1390 Oxygen concentrator; E0431 portable gaseous oxygen system\n\n"
        "We denied home oxygen because the records do not show qualifying oxygen saturation "
        "testing performed within 30 days of the request.\n\n"
        "Your appeal must be received by December 10, 2026. If waiting 30 days could seriously "
        "harm your health, ask for a fast (expedited) appeal.\n",
        _case(
            "Gloria P. Sandoval", "Home oxygen concentrator and portable oxygen", "E1390",
            more=["E0431"], dob=D(1955, 11, 3), urgency="expedited",
            urgency_reason="Resting hypoxemia without home oxygen.",
            dx=[{"code": "J44.1", "description": "Chronic obstructive pulmonary disease with "
                 "(acute) exacerbation"}],
            summary=(
                "71-year-old woman with severe COPD discharged 11/28/2026 after an exacerbation. "
                "Resting room-air SpO2 86% on 11/27/2026 (arterial PaO2 52 mm Hg)."
            ),
            consequences_of_denial=(
                "Without home oxygen she remains hypoxemic at rest, with a high risk of "
                "readmission and of right heart failure."
            ),
            **_physician("Hana Kowalski", "Pulmonology"),
        ),
        request_has=["December 10, 2026", "re:readmission|right heart|hypoxem"],
    ),
    KindCase(
        "lumbar-rfa-deadline-passed-erisa", "deadline", "heldout",
        "Meridian Trust Benefit Services, for the Halvorsen Tool Employee Plan (self-funded, "
        "governed by ERISA)\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION - PRE-SERVICE\n"
        "Date of notice: May 26, 2026\n"
        "Member: Victor A. Lindahl      Member ID: MTB-41180276\n"
        "Reference number: UM-26-0526-7781\n"
        "Service requested: 64635 Destruction by neurolytic agent, paravertebral facet joint "
        "nerve, lumbar, single level\n\n"
        "The request is denied: the records show one diagnostic medial branch block, and our "
        "policy requires two with at least 80% relief each.\n\n"
        "You may appeal within 180 days after you receive this notice. You may ask for an "
        "expedited appeal if a delay could seriously jeopardize your health.\n",
        _case(
            "Victor A. Lindahl", "Lumbar radiofrequency ablation of medial branch nerves, L4-L5",
            "64635", dob=D(1966, 2, 17),
            dx=[{"code": "M47.816", "description": "Spondylosis without myelopathy or "
                 "radiculopathy, lumbar region"}],
            summary=(
                "60-year-old man with lumbar facet pain. Two medial branch blocks on 03/04/2026 "
                "and 04/01/2026 each gave 90% relief for 6 hours. He stopped working in "
                "September 2026 because of the pain."
            ),
            consequences_of_denial=(
                "Continued disabling axial back pain that keeps him off work and on daily "
                "opioids."
            ),
            **_physician("Marit Solberg", "Pain Medicine"),
        ),
        request_has=["good cause", "re:passed|closed"],
    ),
    KindCase(
        "tka-nsaid-contraindicated-erisa", "concession", "heldout",
        "Granite Peak Benefit Administrators, for the Osterberg Dairy Health Plan "
        "(self-funded, ERISA)\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION - PRE-SERVICE\n"
        "Date of notice: November 25, 2026\n"
        "Member: Walter K. Brandvold     Member ID: GPB-50318862\n"
        "Reference number: PS-26-91127\n"
        "Service requested: 27447 Total knee arthroplasty, left\n\n"
        "Policy ORT-27, Total Knee Arthroplasty, requires all of the following:\n"
        "1. Radiographic Kellgren-Lawrence grade 3 or 4 osteoarthritis of the knee. Met.\n"
        "2. At least 12 weeks of nonsteroidal anti-inflammatory drugs at prescription doses. "
        "Not met.\n"
        "3. At least 6 weeks of physical therapy. Not met: no therapy notes were received.\n\n"
        "You may appeal within 180 days of receiving this notice. We decide pre-service appeals "
        "within 30 days.\n",
        _case(
            "Walter K. Brandvold", "Total knee arthroplasty, left", "27447",
            details="27447 x1, inpatient, planned 02/09/2027", dob=D(1952, 6, 5),
            dx=[{"code": "M17.12", "description": "Unilateral primary osteoarthritis, left "
                 "knee"},
                {"code": "N18.4", "description": "Chronic kidney disease, stage 4"}],
            summary=(
                "74-year-old man with Kellgren-Lawrence grade 4 osteoarthritis of the left knee "
                "and stage 4 chronic kidney disease (eGFR 24 mL/min/1.73 m2), in which "
                "nonsteroidal anti-inflammatory drugs are contraindicated. KOOS JR 38."
            ),
            prior_treatments=[
                {"name": "Physical therapy", "kind": "therapy", "start": D(2026, 6, 1),
                 "end": D(2026, 8, 10), "duration": "10 weeks, 18 visits",
                 "outcome": "No lasting improvement; KOOS JR 36 to 38"},
                {"name": "Acetaminophen", "kind": "medication", "dose": "1000 mg",
                 "frequency": "three times daily", "start": D(2025, 10, 1),
                 "outcome": "Partial relief"},
            ],
            conceded=[{"criterion": 2}],
            **_physician("Ingrid Haugen", "Orthopaedic Surgery"),
        ),
        section_has={2: ["I do not dispute", "re:eGFR|kidney", "exception"]},
        section_lacks={2: ["[MISSING", "record shows otherwise"]},
    ),
]
KIND_CASES += [
    # ================================================================== tuned
    KindCase(
        "septorhinoplasty-trauma-erisa", "exception", "tune",
        "Bellwether Benefit Services, claims administrator for the Ardent Logistics Health Plan "
        "(self-funded, ERISA)\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION - PRE-SERVICE\n"
        "Date of notice: November 16, 2026\n"
        "Member: Jonah P. Whitaker     Member ID: BBS-11820574\n"
        "Reference number: UR-26-1116-0442\n"
        "Service requested: 30420 Rhinoplasty, primary; including major septal repair\n\n"
        "The plan excludes cosmetic surgery (Plan Document, Exclusion 14). Reconstructive surgery "
        "for a congenital anomaly or to restore function impaired by an accidental injury is "
        "covered. The request describes a nasal deformity; rhinoplasty is considered cosmetic.\n\n"
        "You may appeal within 180 days of receiving this notice. We decide pre-service appeals "
        "within 30 days.\n",
        _case(
            "Jonah P. Whitaker", "Septorhinoplasty", "30420",
            details="30420 x1, outpatient, planned 01/19/2027", dob=D(1990, 9, 12),
            dx=[{"code": "J34.2", "description": "Deviated nasal septum"},
                {"code": "S02.2XXS", "description": "Fracture of nasal bones, sequela"}],
            summary=(
                "36-year-old man whose nose was fractured in a cycling accident in March 2025. "
                "Since then he has bilateral nasal obstruction, worse on the left, with a "
                "NOSE score of 75 and mouth breathing at night. Exam shows a deviated septum "
                "and a collapsed left internal nasal valve. Nasal steroid spray for 3 months "
                "did not help."
            ),
            objective_findings=[
                {"kind": "rating_scale", "name": "NOSE score", "value": "75",
                 "date": D(2026, 10, 20), "interpretation": "Severe nasal obstruction"},
            ],
            **_physician("Camille Osei", "Otolaryngology"),
        ),
        letter_has=["accidental injury", "re:accidental injury[^\\n]{0,300}(?:cycling|fractur)"
                    "|(?:cycling|fractur)[^\\n]{0,300}accidental injury"],
        letter_lacks=["I do not dispute"],
    ),
    KindCase(
        "knee-mri-eob-aca", "claim", "tune",
        "Pinecrest Health Insurance Company - Individual Marketplace Plan (Affordable Care Act)\n"
        "EXPLANATION OF BENEFITS\n"
        "Date: 10/30/2026\n"
        "Member: Sofia R. Castellano     Member ID: PHI-71204458\n"
        "Claim: 26-4417-2209\n\n"
        "Service date  Procedure  Description                       Billed     Plan paid  CARC\n"
        "09/18/2026    73721      MRI knee without contrast, right  $1,480.00  $0.00      50\n\n"
        "CARC 50: Not deemed a medical necessity by the payer. An MRI of the knee is covered "
        "after 6 weeks of conservative treatment; the records show 3 weeks.\n\n"
        "You may file an internal appeal within 180 days of receiving this notice. You may then "
        "request external review.\n",
        _case(
            "Sofia R. Castellano", "MRI right knee without contrast", "73721",
            details="73721 on 09/18/2026", dob=D(1979, 2, 3), claim_reference="26-4417-2209",
            dx=[{"code": "S83.241A", "description": "Other tear of medial meniscus, right knee"}],
            summary=(
                "47-year-old woman with a twisting injury 08/28/2026, locking and a positive "
                "McMurray test; mechanical locking is a red flag for a displaced meniscal tear."
            ),
            **_physician("Adrian Vogt", "Orthopaedic Surgery"),
        ),
        letter_has=["60 days"],
        letter_lacks=["72 hours"],
        request_has=["reprocess", "pay", "73721", "September 18, 2026"],
        request_lacks=["approve"],
    ),
    KindCase(
        "speech-therapy-visits-aca", "units", "tune",
        "Brightwater Health Plan - Individual Marketplace (Affordable Care Act)\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION - PRE-SERVICE\n"
        "Date of notice: November 19, 2026\n"
        "Member: Mateo J. Alvarez     Member ID: BWH-22018463\n"
        "Reference number: PA-26-77190\n\n"
        "Services requested:\n"
        "  92507-GN x 24 (2 visits/week for 12 weeks)\n"
        "Requested period: 12/01/2026 - 02/22/2027\n\n"
        "Reason: Speech therapy is covered when there is a reasonable expectation of "
        "measurable improvement. The records do not show standardized test scores.\n\n"
        "You may appeal within 180 days of receiving this notice.\n",
        _case(
            "Mateo J. Alvarez", "Outpatient speech-language therapy", "92507",
            details="Speech therapy 2 visits/week for 12 weeks, 12/01/2026 - 02/22/2027",
            dob=D(2021, 5, 16),
            dx=[{"code": "F80.2", "description": "Mixed receptive-expressive language "
                 "disorder"}],
            summary=(
                "5-year-old with mixed receptive-expressive language disorder; CELF Preschool-3 "
                "core language standard score 68 (below the 2nd percentile)."
            ),
            **_physician("Nadia Brooks", "Developmental Pediatrics"),
        ),
        request_has=["92507-GN × 24", "February 22, 2027"],
        request_lacks=["× 48"],
    ),
    KindCase(
        "nerve-block-levels-erisa", "units", "tune",
        "Cobalt Benefit Partners, for the Sandhill Mining Health Plan (self-funded, ERISA)\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION - PRE-SERVICE\n"
        "Date of notice: November 20, 2026\n"
        "Member: Daniel R. Okafor     Member ID: CBP-55102877\n"
        "Reference number: PS-26-55410\n\n"
        "Procedures requested:\n"
        "  64493-RT  Injection, paravertebral facet joint, lumbar, single level (L4-L5)  x1\n"
        "  64494-RT  Second level (L5-S1)                                             x1\n\n"
        "Reason: Diagnostic facet blocks are covered after 3 months of conservative treatment. "
        "The records show 6 weeks.\n\n"
        "You may appeal within 180 days of receiving this notice.\n",
        _case(
            "Daniel R. Okafor", "Diagnostic lumbar facet joint injections, right L4-L5 and L5-S1",
            "64493", more=["64494"], dob=D(1971, 12, 1),
            dx=[{"code": "M47.816", "description": "Spondylosis without myelopathy or "
                 "radiculopathy, lumbar region"}],
            summary="55-year-old man with right axial low back pain since April 2026.",
            **_physician("Grace Lindholm", "Pain Medicine"),
        ),
        request_has=["64493-RT", "64494-RT"],
    ),
    KindCase(
        "cochlear-implant-ncd-ma", "ncd", "tune",
        "Evergreen Senior Advantage (Medicare Advantage HMO)\n"
        "NOTICE OF DENIAL OF MEDICAL COVERAGE\n"
        "Date: November 17, 2026\n"
        "Member: Beatrice L. Hollander     Member ID: ESA-40917735\n"
        "Service requested: 69930 Cochlear device implantation, right ear\n\n"
        "We denied this request. Our Cochlear Implant Medical Policy CI-07 requires:\n"
        "1. Bilateral moderate-to-profound sensorineural hearing loss with limited benefit "
        "from amplification. Met.\n"
        "2. A 6-month trial of appropriately fitted bilateral hearing aids with documented "
        "use. Not met.\n\n"
        "You have 65 days from the date of this notice to ask for a reconsideration.\n",
        _case(
            "Beatrice L. Hollander", "Cochlear implant, right ear", "69930",
            details="69930 x1, outpatient, planned 01/26/2027", dob=D(1951, 3, 8),
            dx=[{"code": "H90.3", "description": "Sensorineural hearing loss, bilateral"}],
            summary=(
                "75-year-old woman with bilateral severe-to-profound sensorineural hearing "
                "loss. Best-aided AzBio sentence score 28% right ear, 34% bilateral, with "
                "bilateral hearing aids fitted in August 2026 (3 months of documented use)."
            ),
            **_physician("Oren Castillo", "Otolaryngology"),
        ),
        letter_has=["re:NCD 50\\.3[^\\n]{0,600}422\\.101\\(b\\)\\(6\\)"
                    "|422\\.101\\(b\\)\\(6\\)[^\\n]{0,600}NCD 50\\.3"],
        section_has={2: ["re:NCD|National Coverage Determination"]},
        section_lacks={2: ["I do not dispute"]},
    ),
    KindCase(
        "infusion-deadline-near-erisa", "deadline", "tune",
        "Harborline Benefit Administrators, for the Keel Marine Health Plan (self-funded, "
        "ERISA)\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION - PRE-SERVICE\n"
        "Date of notice: June 10, 2026\n"
        "Member: Ruth A. Delacroix     Member ID: HBA-77120945\n"
        "Reference number: UM-26-0610-118\n"
        "Service requested: J1745 Injection, infliximab, 10 mg x 50, every 8 weeks\n\n"
        "Infliximab is covered after a trial of a thiopurine for at least 12 weeks; the records "
        "show 6 weeks.\n\n"
        "You may appeal within 180 days after you receive this notice. If a delay could "
        "seriously jeopardize your health, you may ask for an expedited appeal.\n",
        _case(
            "Ruth A. Delacroix", "Infliximab infusion", "J1745",
            details="J1745 x 50 (500 mg) every 8 weeks", dob=D(1988, 7, 19),
            dx=[{"code": "K50.812", "description": "Crohn's disease of both small and large "
                 "intestine with intestinal obstruction"}],
            summary=(
                "38-year-old woman with stricturing Crohn's disease; azathioprine stopped after "
                "6 weeks for pancreatitis. CRP 48 mg/L, 8 liquid stools a day."
            ),
            consequences_of_denial=(
                "Without treatment she faces further small-bowel obstruction and a likely bowel "
                "resection, with the nutritional decline and time off work that each admission "
                "brings."
            ),
            **_physician("Samira Haddad", "Gastroenterology"),
        ),
        request_has=["re:passed|closed|December", "re:obstruction|resection"],
    ),
    KindCase(
        "sleeve-diet-contraindicated-aca", "concession", "tune",
        "Prairie Crest Health - Individual Marketplace (Affordable Care Act)\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION - PRE-SERVICE\n"
        "Date of notice: November 18, 2026\n"
        "Member: Janelle T. Morrow     Member ID: PCH-61830477\n"
        "Reference number: PRE-26-77103\n"
        "Service requested: 43775 Laparoscopic sleeve gastrectomy\n\n"
        "Policy BAR-02 requires:\n"
        "1. Body mass index of 40 or more. Met.\n"
        "2. A very-low-calorie diet for 8 weeks before surgery. Not met.\n\n"
        "You may appeal within 180 days of receiving this notice.\n",
        _case(
            "Janelle T. Morrow", "Laparoscopic sleeve gastrectomy", "43775",
            details="43775 x1, inpatient, planned 02/22/2027", dob=D(1985, 1, 27),
            dx=[{"code": "E66.01", "description": "Morbid (severe) obesity due to excess "
                 "calories"}],
            summary=(
                "41-year-old woman with BMI 46 and type 1 diabetes on insulin; a very-low-"
                "calorie diet is unsafe for her because of the risk of ketoacidosis and "
                "severe hypoglycemia."
            ),
            conceded=[{"criterion": 2}],
            **_physician("Aaron Pike", "Bariatric Surgery"),
        ),
        section_has={2: ["I do not dispute", "re:ketoacidosis|hypoglycemia", "exception"]},
        section_lacks={2: ["[MISSING", "record shows otherwise"]},
    ),
]


def score(kc: KindCase) -> list[tuple[str, bool]]:
    """Each key of the case, with whether the drafted letter meets it."""
    from pipeline.ingest import ingest_text
    from pipeline.letter_format import CRITERIA, REQUEST, criterion_names, split_sections
    from pipeline.models import CaseFacts
    from pipeline.pipeline import Pipeline

    outcome = Pipeline().run(
        ingest_text(kc.letter, source="eval"), CaseFacts.model_validate(kc.case),
        today=kc.today, allow_gaps=True, reject=False,
    )  # fmt: skip
    assert outcome.draft is not None
    md = outcome.draft.markdown
    sections = split_sections(md)
    request = sections.get(REQUEST, "")
    parts = re.split(r"^### ", sections.get(CRITERIA, ""), flags=re.MULTILINE)

    names = criterion_names(outcome.draft.analysis.criteria)

    def own(n: int) -> str:  # the section of criterion n, named by the payer's label if any
        name = re.escape(names[n - 1] if n <= len(names) else str(n))
        return next((p for p in parts if re.match(rf"Criterion {name}(?![\w.])", p)), "")

    return [
        *((f"letter has {k!r}", holds(md, k)) for k in kc.letter_has),
        *((f"letter lacks {k!r}", not holds(md, k)) for k in kc.letter_lacks),
        *((f"request has {k!r}", holds(request, k)) for k in kc.request_has),
        *((f"request lacks {k!r}", not holds(request, k)) for k in kc.request_lacks),
        *((f"criterion {n} has {k!r}", holds(own(n), k))
          for n, keys in kc.section_has.items() for k in keys),
        *((f"criterion {n} lacks {k!r}", not holds(own(n), k))
          for n, keys in kc.section_lacks.items() for k in keys),
    ]  # fmt: skip


def report(cases: list[KindCase], detail: bool = False) -> None:
    """Per kind and slice: keys met / keys, cases fully right; ``detail`` lists the tuned
    slice's misses (never the held-out slice's)."""
    import sys
    from collections import defaultdict

    rows: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for kc in cases:
        checks = score(kc)
        row = rows[(kc.split, kc.kind)]
        row[0] += sum(ok for _, ok in checks)
        row[1] += len(checks)
        row[2] += all(ok for _, ok in checks)
        row[3] += 1
        if detail and kc.split == "tune":
            for what, ok in checks:
                if not ok:
                    print(f"  {kc.name}: {what}", file=sys.stderr)
    print(f"{'slice':8} {'kind':16} {'keys':>9} {'cases right':>12}")
    for split in ("tune", "heldout"):
        met = total = cases_right = n = 0
        for (s, kind), (m, t, r, c) in sorted(rows.items()):
            if s != split:
                continue
            print(f"{split:8} {kind:16} {m:4}/{t:<4} {r:6}/{c}")
            met, total, cases_right, n = met + m, total + t, cases_right + r, n + c
        share = met / max(1, total)
        print(f"{split:8} {'all':16} {met:4}/{total:<4} {cases_right:6}/{n}  ({share:.2f})")


def main(argv: list[str]) -> int:
    """Per kind and slice: keys met / keys, cases fully right; --detail lists the tuned
    slice's misses (never the held-out slice's)."""
    from evals.strategy.kinds_blind import BLIND_KIND_CASES

    report([*KIND_CASES, *BLIND_KIND_CASES], "--detail" in argv)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
