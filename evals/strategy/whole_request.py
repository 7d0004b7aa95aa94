"""Labelled cases for the whole request (strategy round 2): every code the notice denied with its
units, modifiers, period and totals as the notice or the case states them (a table of claim
lines, a bilateral pair with side modifiers, a drug's quantity per days' supply, an infusion
with its administration codes), never a combined code the notice did not write; a claim asks
to be reprocessed and paid; a pending result is asked around (approval now on condition of the
result, or an expedited reconsideration when it arrives), never stated; a non-physician
reviewer is named as such; a state's external review law is cited only for coverage that law
reaches (insured in that state, never a self-funded ERISA plan).

Keys were written by hand from each notice and case before the code was run on them; the
held-out cases were written with the tuned ones and not looked at while tuning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

D = dt.date


@dataclass
class WholeCase:
    name: str
    split: str
    today: dt.date
    letter: str
    case: dict
    letter_has: list[str] = field(default_factory=list)
    letter_lacks: list[str] = field(default_factory=list)
    request_has: list[str] = field(default_factory=list)
    request_lacks: list[str] = field(default_factory=list)
    no_gaps: list[str] = field(default_factory=list)
    """Case fields no gap may name."""


def _case(name: str, description: str, code: str | None, details: str, summary: str,
          **extra: object) -> dict:  # fmt: skip
    return {
        "patient": {"name": name, "date_of_birth": extra.pop("dob", D(1968, 2, 11)),
                    "member_id": extra.pop("member_id", None)},
        "physician": {"name": extra.pop("doctor", "Ana Ruiz"), "credentials": "MD",
                      "phone": "(555) 555-0100", "npi": "1234567893",
                      "specialty": extra.pop("specialty", None)},
        "service": {"code": code, "additional_codes": extra.pop("more", []),
                    "description": description, "details": details},
        "diagnoses": extra.pop("dx", []),
        "clinical_summary": summary,
        "prior_treatments": extra.pop("treatments", []),
        "objective_findings": extra.pop("findings", []),
        "citations": extra.pop("citations", []),
    }  # fmt: skip


WHOLE_CASES: list[WholeCase] = [
    # ------------------------------------------------------------------ tuned
    WholeCase(
        "triptan-quantity-tx-insured", "tune", D(2026, 12, 1),
        "LONE STAR MUTUAL HEALTH INSURANCE COMPANY\n"
        "Fully insured group health coverage issued in Texas\n\n"
        "NOTICE OF ADVERSE DETERMINATION - PHARMACY PRIOR AUTHORIZATION\n"
        "Date: November 20, 2026\nMember: Dolores Ybarra    Member ID: LSM-4410295\n"
        "Reference: RX-77120443\nPrescriber: Nadia Okafor, MD (Neurology)\n\n"
        "Medication: Rizatriptan benzoate 10 mg orally disintegrating tablet\n"
        "Quantity requested: 18 tablets per 30 days\n"
        "Plan quantity limit: 9 tablets per 30 days\n\n"
        "Decision: The quantity above the plan limit is not approved. The plan limit of 9 "
        "tablets per 30 days remains available. Quantities above the limit are approved only "
        "when the member is also using a preventive migraine medication and the prescriber "
        "documents the number of migraine days per month.\n\n"
        "Reviewed by: Colin Marsh, PharmD, Clinical Pharmacist\n\n"
        "Your prescriber may call 1-800-555-0190 within 5 business days to discuss this "
        "decision with a reviewer. You may appeal within 180 days. If the appeal is denied "
        "you may ask for review by an independent review organization through the Texas "
        "Department of Insurance.\n",
        _case("Dolores Ybarra", "Rizatriptan benzoate 10 mg orally disintegrating tablet", None,
              "1 tablet at migraine onset, may repeat once after 2 hours; 18 tablets per 30 "
              "days for 12 months",
              "Chronic migraine without aura, 16 headache days a month, 9 of them migraine "
              "days requiring acute treatment with 2 doses each; topiramate 100 mg daily as "
              "preventive since March 2026.",
              member_id="LSM-4410295", doctor="Nadia Okafor", specialty="Neurology",
              dx=[{"code": "G43.709", "description": "Chronic migraine without aura"}]),
        letter_has=["not a physician", "Texas Insurance Code"],
        letter_lacks=["Article 49", "1374.30"],
        request_has=["18 tablets per 30 days", "12 months"],
        request_lacks=["quantity 9 tablets"],
    ),
    WholeCase(
        "bilateral-ablation-ny-self-funded", "tune", D(2026, 11, 30),
        "Empire Valley Benefit Services, third-party administrator\n"
        "for the Hudson Precision Tool Co. Employee Health Plan (a self-funded plan governed "
        "by ERISA)\n\nDate: November 12, 2026\nPatient: Walter Kraus  ID: HPT-0093312\n"
        "Authorization request: UM-26-554190\nProvider: Ana Ruiz, MD, Vascular Surgery, "
        "Albany, New York\n\n"
        "Procedure(s) reviewed                              Decision\n"
        "36475-RT  Endovenous radiofrequency ablation, first vein, right   DENIED\n"
        "36476-LT  Endovenous radiofrequency ablation, subsequent vein, left DENIED\n"
        "93970     Duplex scan of extremity veins, bilateral                APPROVED\n\n"
        "Reason: Per clinical policy VEN-04, ablation of the great saphenous vein requires "
        "reflux of at least 500 milliseconds on duplex ultrasound and a 3-month trial of "
        "prescription compression stockings. The records do not show the compression trial.\n"
        "Reviewer: Joan Pak, RN, Utilization Review Nurse\n\n"
        "You may appeal within 180 days. After the plan's final decision you may request an "
        "external review and you have the right to bring a civil action under section 502(a) "
        "of ERISA.\n",
        _case("Walter Kraus", "Endovenous radiofrequency ablation, great saphenous veins",
              "36475", "36475-RT x1 and 36476-LT x1, outpatient, same session",
              "Symptomatic bilateral great saphenous reflux (right 2.1 seconds, left 1.4 "
              "seconds on duplex of 09/30/2026) with ankle edema and skin changes.",
              member_id="HPT-0093312", specialty="Vascular Surgery", more=["36476"],
              dx=[{"code": "I83.893", "description": "Varicose veins of bilateral lower "
                                                     "extremities with other complications"}],
              treatments=[{"name": "Prescription compression stockings 20-30 mmHg",
                           "kind": "other", "start": D(2026, 6, 1), "end": D(2026, 9, 15),
                           "outcome": "No relief of aching or swelling"}]),
        letter_has=["a nurse"],
        letter_lacks=["Article 49", "Insurance Law", "36475-50"],
        request_has=["36475-RT", "36476-LT"],
        request_lacks=["93970", "36475-50"],
    ),
    WholeCase(
        "infliximab-lines-ny-individual", "tune", D(2026, 12, 2),
        "Hudson Crest Health Plan, Inc.\nIndividual coverage purchased through NY State of "
        "Health; regulated by the New York State Department of Financial Services\n\n"
        "Notice of Adverse Determination    Date: November 24, 2026\n"
        "Member: Priya Venkataraman   Member ID: HCH-2231907\nCase: PA-5539021\n\n"
        "Line | Code  | Description                                   | Units | Decision\n"
        "1    | J1745 | Injection, infliximab, excludes biosimilar, 10 mg | 50    | Denied\n"
        "2    | 96413 | Chemotherapy administration, IV infusion, up to 1 hour | 1 | Denied\n"
        "3    | 96415 | Each additional hour                          | 1     | Denied\n"
        "Dates requested: 12/01/2026 - 11/30/2027 (every 8 weeks)\n\n"
        "Reason: The plan's policy requires a trial of a preferred infliximab biosimilar "
        "(Inflectra or Renflexis) before the reference product. No trial of a biosimilar is "
        "documented.\nPhysician reviewer: Harold Feit, MD, Internal Medicine\n\n"
        "You may file an appeal within 180 days. You may also request an external appeal "
        "from the New York State Department of Financial Services.\n",
        _case("Priya Venkataraman", "Infliximab infusion (reference product)", "J1745",
              "J1745 x 50 units (500 mg, 5 mg/kg) per infusion every 8 weeks with 96413 x1 and "
              "96415 x1 per infusion, for 12 months",
              "Crohn disease of the ileum and colon in remission on infliximab since 2023; "
              "a switch to Inflectra in January 2026 was followed by an infusion reaction "
              "(urticaria and wheeze) and loss of response with calprotectin 640 ug/g.",
              member_id="HCH-2231907", specialty="Gastroenterology", more=["96413", "96415"],
              dx=[{"code": "K50.819", "description": "Crohn's disease of both small and "
                                                     "large intestine"}],
              treatments=[{"name": "Infliximab-dyyb (Inflectra)", "kind": "medication",
                           "start": D(2026, 1, 12), "end": D(2026, 3, 9),
                           "outcome": "Infusion reaction (urticaria, wheeze); loss of response"}]),
        letter_has=["Article 49"],
        letter_lacks=["1374.30", "Texas"],
        request_has=["J1745", "96413", "96415", "50 units", "every 8 weeks"],
    ),
    WholeCase(
        "pembro-experimental-pending", "tune", D(2026, 12, 3),
        "Keystone Regional Health (fully insured commercial HMO, Pennsylvania)\n"
        "Date: November 25, 2026   Member ID: KRH-7781005   Ref: ONC-26-1180\n"
        "Requested: pembrolizumab (Keytruda) J9271 200 units every 3 weeks\n\n"
        "DETERMINATION: Not covered. Experimental/investigational.\n"
        "Our Medical Policy MP-1.01 defines a service as experimental or investigational "
        "unless it (a) has final approval from the FDA for the condition being treated, or (b) "
        "is supported for the condition by a category 1 or 2A recommendation of the National "
        "Comprehensive Cancer Network (NCCN) Compendium. Pembrolizumab is not FDA approved "
        "for this tumor type.\n"
        "Reviewing physician: Lauren Shaw, MD, Medical Oncology\n"
        "You may appeal within 180 days.\n",
        _case("Martin Oduya", "Pembrolizumab (Keytruda) infusion", "J9271",
              "J9271 x 200 units (200 mg) every 3 weeks for 12 months",
              "Metastatic cholangiocarcinoma after gemcitabine-cisplatin; tumor mutational "
              "burden-high (14 mut/Mb) on FoundationOne CDx of 10/02/2026. Mismatch repair "
              "immunohistochemistry on the liver biopsy was sent on 11/18/2026 and is pending.",
              specialty="Medical Oncology",
              dx=[{"code": "C22.1", "description": "Intrahepatic bile duct carcinoma"}],
              findings=[{"kind": "lab", "name": "Tumor mutational burden (FoundationOne CDx)",
                         "value": "14 mut/Mb (TMB-high)", "date": D(2026, 10, 2)},
                        {"kind": "lab", "name": "Mismatch repair immunohistochemistry",
                         "value": "pending", "date": D(2026, 11, 18)}],
              citations=[{"issuing_body": "National Comprehensive Cancer Network",
                          "title": "NCCN Guidelines: Biliary Tract Cancers", "year": "2026",
                          "recommendation": "Pembrolizumab is a category 2A subsequent-line "
                                            "option for TMB-H tumors (10 mut/Mb or more)."}]),
        letter_has=["2A", "NCCN"],
        letter_lacks=["MMR deficient", "dMMR", "MSI-H"],
        request_has=["J9271", "200 units", "every 3 weeks", "pending"],
    ),
    WholeCase(
        "step-distance-not-contraindication", "tune", D(2026, 12, 3),
        "Summit Ridge Health Plan (fully insured HMO)\nDate: November 21, 2026\n"
        "Member ID: SRH-118842   Reference: RX-STEP-55120\n"
        "Drug requested: ustekinumab (Stelara) 90 mg subcutaneous every 8 weeks\n\n"
        "Decision: DENIED - step therapy. The plan requires a trial of infliximab before "
        "ustekinumab for Crohn's disease. Preferred alternatives: infliximab, adalimumab.\n"
        "A step therapy exception may be requested if the preferred drug is contraindicated, "
        "was tried and failed, or is not in the member's best interest.\n\n"
        "Pharmacist reviewer: Dana Whitcombe, PharmD\n"
        "Physician reviewer: Omar Haddad, MD, Gastroenterology\n\n"
        "You may appeal within 180 days.\n",
        _case("Caleb Sorensen", "Ustekinumab (Stelara) 90 mg subcutaneous every 8 weeks", None,
              "90 mg subcutaneously every 8 weeks; quantity 1 syringe per 56 days; for 12 months",
              "Ileocolonic Crohn disease. Infliximab is not suitable for him: he lives in "
              "Creston, 68 miles from the nearest infusion suite, and cannot take a day off "
              "work every 8 weeks for infusions. Adalimumab 40 mg every 2 weeks from 01/2025 to "
              "08/2026 lost response (calprotectin 910 ug/g).",
              specialty="Gastroenterology",
              dx=[{"code": "K50.819", "description": "Crohn's disease of both small and large "
                                                     "intestine"}],
              treatments=[{"name": "Adalimumab", "kind": "medication", "dose": "40 mg every 2 "
                           "weeks", "start": D(2025, 1, 6), "end": D(2026, 8, 3),
                           "outcome": "Secondary loss of response"}]),
        letter_has=["Omar Haddad, MD"],
        letter_lacks=["Contraindicated:", "not a physician", "a pharmacist"],
        request_has=["Not suitable for this patient", "68 miles"],
    ),
    WholeCase(
        "ptns-claim-lines-ahead", "tune", D(2026, 12, 7),
        "Cascade Employers Health Plan (fully insured group policy issued in Illinois)\n"
        "EXPLANATION OF BENEFITS     Statement date: 11/10/2026\n"
        "Member: Lena Brooks   Member ID: CEH-220931   Claim number: 2026-88120-4\n\n"
        "Service date   Code    Description                                   Units  Paid\n"
        "08/04/2026     64566   Posterior tibial neurostimulation, percut.     1     $0.00\n"
        "08/11/2026     64566   Posterior tibial neurostimulation, percut.     1     $0.00\n"
        "08/18/2026     64566   Posterior tibial neurostimulation, percut.     1     $0.00\n"
        "08/25/2026     64566   Posterior tibial neurostimulation, percut.     1     $0.00\n\n"
        "Remark: Denied. The plan's policy UM-URO-12 limits PTNS to 12 sessions per lifetime.\n"
        "Reviewed by: Carla Mendes, RN\n\nYou may appeal within 180 days of this statement.\n",
        _case("Lena Brooks", "Percutaneous tibial nerve stimulation, maintenance", "64566",
              "64566 x1 monthly maintenance session; continue 1 session per month for 12 months",
              "Overactive bladder refractory to two anticholinergics and mirabegron; monthly "
              "PTNS keeps voids at 8 a day, and when sessions lapsed for 2 months voids rose to "
              "13 a day.",
              dob=D(1959, 3, 2), specialty="Urogynecology",
              dx=[{"code": "N32.81", "description": "Overactive bladder"}]),
        letter_has=["a nurse", "215 ILCS 180"],
        request_has=["reprocess", "64566 × 1 on each date of service", "August 25, 2026",
                     "1 unit per month for 12 months"],
        request_lacks=["1 unit per month, CPT", "(1 session)"],
    ),
    # ------------------------------------------------------------------ held out
    WholeCase(
        "knee-claim-reprocess-tx-self-funded", "heldout", D(2026, 12, 4),
        "EXPLANATION OF BENEFITS\nGulf Coast Refinery Employees' Health Plan (self-insured "
        "employer plan; ERISA). Claims administered by Bayou Benefits, Houston, Texas\n"
        "Statement date: 11/16/2026   Claim #: 2026-3310-88412   Member ID: GCR-5520013\n\n"
        "Date of service  Code      Units  Billed     Allowed  Paid  Remark\n"
        "10/21/2026       29881-RT  1      $6,420.00  $0.00    $0.00 N-50\n"
        "10/21/2026       20610-RT  1      $310.00    $0.00    $0.00 N-50\n"
        "10/21/2026       99213-25  1      $180.00    $112.00  $89.60\n\n"
        "N-50: Not medically necessary. Arthroscopic meniscectomy requires mechanical "
        "symptoms and 6 weeks of failed conservative care.\n"
        "Reviewer: Ellen Dahl, RN\n"
        "You may appeal within 180 days. You may have the right to external review and to "
        "sue under ERISA section 502(a).\n",
        _case("Rafael Ortiz", "Right knee arthroscopic partial medial meniscectomy", "29881",
              "29881-RT x1 and 20610-RT x1 performed 10/21/2026",
              "Locking and catching of the right knee since a twisting injury in July 2026; "
              "MRI shows a displaced bucket-handle tear of the medial meniscus; 7 weeks of "
              "physical therapy without relief.",
              member_id="GCR-5520013", specialty="Orthopaedic Surgery", more=["20610"],
              dx=[{"code": "S83.211A", "description": "Bucket-handle tear of medial meniscus, "
                                                      "right knee"}]),
        letter_has=["a nurse"],
        letter_lacks=["Texas Insurance Code", "4202", "Article 49"],
        request_has=["29881-RT", "20610-RT", "reprocess"],
        request_lacks=["99213"],
    ),
    WholeCase(
        "botox-ca-dmhc-pending", "heldout", D(2026, 12, 5),
        "Pacific Meridian Health Plan, a health care service plan licensed by the California "
        "Department of Managed Health Care\nDate of notice: November 27, 2026\n"
        "Enrollee: Grace Holloway   Enrollee ID: PMH-66012377   Auth #: 26-PA-908811\n\n"
        "We reviewed a request for: onabotulinumtoxinA (Botox) J0585 x 155 units every 12 "
        "weeks, with injection code 64615 x 1 each treatment, 4 treatments.\n"
        "Decision: denied. Criteria require at least 15 headache days per month for 3 months "
        "and failure of two preventive drug classes. The number of headache days was not "
        "documented.\nReviewed by: Samuel Ortega, PharmD\n"
        "You may file a grievance within 180 days and may then apply for Independent Medical "
        "Review with the Department of Managed Health Care.\n",
        _case("Grace Holloway", "OnabotulinumtoxinA (Botox) injections for chronic migraine",
              "J0585", "J0585 x 155 units and 64615 x1 every 12 weeks, 4 treatments",
              "Chronic migraine with 22 headache days a month for the past 6 months by diary; "
              "failed topiramate (paresthesias) and propranolol (bradycardia). A brain MRI to "
              "exclude a secondary cause was done on 11/30/2026 and the report is pending.",
              member_id="PMH-66012377", specialty="Neurology", more=["64615"],
              dx=[{"code": "G43.709", "description": "Chronic migraine without aura, not "
                                                     "intractable"}],
              findings=[{"kind": "imaging", "name": "MRI brain", "value": "report pending",
                         "date": D(2026, 11, 30)}]),
        letter_has=["not a physician", "Independent Medical Review"],
        letter_lacks=["MRI brain was normal", "Article 49"],
        request_has=["J0585", "155 units", "64615", "every 12 weeks", "pending"],
    ),
    WholeCase(
        "ranibizumab-claim-two-codes-heldout", "heldout", D(2026, 12, 2),
        "Harbor Point Health Insurance Company\nInsured PPO policy issued in Ohio\n"
        "CLAIM DENIAL NOTICE   Date: November 18, 2026   Claim: HP-26-771203\n"
        "Member ID: HPH-5521  Patient: Irene Castellano\n\n"
        "DOS        | Code     | Units | Status\n"
        "09/02/2026 | J2778-RT | 5     | Denied\n"
        "09/02/2026 | 67028-RT | 1     | Denied\n"
        "09/30/2026 | J2778-RT | 5     | Denied\n"
        "09/30/2026 | 67028-RT | 1     | Denied\n\n"
        "Reason: monthly ranibizumab beyond 6 injections per year is not medically necessary "
        "without documented persistent fluid on OCT.\n"
        "Utilization review nurse: Janet Coles, RN\nMedical Director: Paul Ivers, DO\n\n"
        "You may appeal within 180 days. External review is available through the Ohio "
        "Department of Insurance.\n",
        _case("Irene Castellano", "Ranibizumab intravitreal injection, right eye", "J2778",
              "J2778-RT x5 units and 67028-RT x1 on each date; continue every 4 weeks for 6 "
              "months",
              "Neovascular AMD right eye with persistent subretinal fluid on OCT at every "
              "visit; central subfield thickness 412 um on 09/30/2026.",
              dob=D(1944, 7, 19), specialty="Ophthalmology (Retina)", more=["67028"],
              dx=[{"code": "H35.3211", "description": "Exudative AMD, right eye, with active "
                                                      "choroidal neovascularization"}]),
        letter_has=["Paul Ivers, DO", "Ohio Rev. Code ch. 3922"],
        letter_lacks=["not a physician"],
        request_has=["J2778-RT", "67028-RT", "reprocess", "September 2, 2026",
                     "September 30, 2026"],
        request_lacks=["J2778-RT × 5, HCPCS J2778-RT × 5"],
    ),
]
