"""Labelled cases for the denial grounds that are not 'criteria met' (issue 17, grounds round):
out-of-network / network adequacy, site of care, inpatient vs observation under Medicare
Advantage, and ground-vs-air / emergency transport. Each is a short synthetic denial and case
file with its keys written by hand from the letter before the code was run: the ground the
notice turns on (or none), the words the letter and its request must and must not hold (the
facts that answer the ground, the rule that fits the plan type, the codes the notice denied and
not the ones it approved, the period the case needs) and the gaps a missing fact must raise.
The held-out cases were written with the tuned ones and not looked at while tuning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

D = dt.date


@dataclass
class GroundCase:
    name: str
    split: str
    today: dt.date
    letter: str
    case: dict
    ground: str | None
    """The ground key the notice turns on (None: an ordinary criteria denial)."""
    letter_has: list[str] = field(default_factory=list)
    letter_lacks: list[str] = field(default_factory=list)
    request_has: list[str] = field(default_factory=list)
    request_lacks: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    """Case fields a gap must name (the fact that answers the ground is missing)."""
    no_gaps: list[str] = field(default_factory=list)
    """Case fields no gap may name."""


def _case(name: str, description: str, code: str | None = None, details: str = "",
          **extra: object) -> dict:  # fmt: skip
    base: dict = {
        "patient": {"name": name, "date_of_birth": extra.pop("dob", D(1961, 5, 2))},
        "physician": {
            "name": extra.pop("doctor", "Ana Ruiz"),
            "credentials": "MD",
            "phone": "(555) 555-0100",
            "npi": "1234567893",
            "specialty": extra.pop("specialty", None),
        },
        "service": {
            "code": code,
            "additional_codes": extra.pop("more", []),
            "description": description,
            "details": details or None,
        },
        "diagnoses": extra.pop("dx", []),
        "clinical_summary": extra.pop("summary", None),
    }
    base.update(extra)
    return base


GROUND_CASES: list[GroundCase] = [
    # ------------------------------------------------------------------ tuned
    GroundCase(
        "oon-medicaid-child", "tune", D(2026, 12, 6),
        "Allegheny Ridge Health Plan - Medicaid managed care organization\n"
        "NOTICE OF ADVERSE BENEFIT DETERMINATION\nDate of notice: November 18, 2026\n"
        "Member ID: ARH-55821904\nRequesting provider: Dr. Hollis Grant (non-participating)\n"
        "Authorization number: PA-2026-118870\n\n"
        "Services reviewed:\n"
        "  99205  New patient consultation, neurosurgery            APPROVED\n"
        "  61533  Subdural electrode implantation                    DENIED\n"
        "  61537  Temporal lobectomy                                 DENIED\n"
        "Requested authorization period: 10/01/2026 - 11/30/2026\n\n"
        "Reason for denial: The requested surgery is medically necessary. However, the "
        "requesting surgeon is not part of our network, and our network includes participating "
        "neurosurgeons who can provide this service. Out-of-network services are covered only "
        "when the service is not available from a participating provider. Continuity of care "
        "criteria are not met: the member has no established treatment relationship with the "
        "requesting provider.\nYou may appeal within 60 days. You may ask for a State Fair "
        "Hearing after the plan's appeal decision.\n",
        _case("Calla Brennan", "Staged epilepsy surgery (electrodes, then temporal lobectomy)",
              "61533", "Inpatient; to be done within 90 days of approval", more=["61537"],
              dob=D(2014, 3, 9), doctor="Hollis Grant", specialty="Pediatric Neurosurgery",
              dx=[{"code": "G40.219", "description": "Intractable focal epilepsy"}],
              summary="12-year-old with drug-resistant temporal lobe epilepsy and 8 to 12 "
                      "seizures a month despite three antiseizure medications. The two "
                      "in-network neurosurgeons in the state treat adults and do not perform "
                      "pediatric invasive monitoring or epilepsy resection. The nearest "
                      "in-network pediatric epilepsy surgery program is 290 miles away with a "
                      "7-month wait. Our center performs about 40 pediatric epilepsy resections "
                      "a year."),
        ground="network",
        letter_has=["do not perform pediatric invasive monitoring", "290 miles",
                    "42 CFR 438.206(b)(4)", "1396d(r)(5)"],
        letter_lacks=["The record meets", "record shows otherwise"],
        request_has=["CPT 61533", "CPT 61537", "in-network", "90 days"],
        request_lacks=["99205", "October 1, 2026", "November 30, 2026"],
        no_gaps=["clinical_summary"],
    ),
    GroundCase(
        "oon-marketplace-no-facts", "tune", D(2026, 9, 20),
        "Lakeview Health Marketplace individual plan (Affordable Care Act)\nDate: September 10, "
        "2026\nMember ID: LVH-20931\nRequest: CPT 63655 spinal cord stimulator paddle "
        "placement by Dr. Ana Ruiz (out-of-network)\nDenied: the requested provider is out of "
        "network. In-network providers are available for this service. Please choose a "
        "participating provider or request a network gap exception.\nYou may request an "
        "internal appeal and external review.\n",
        _case("Tomas Reyes", "Spinal cord stimulator paddle placement", "63655",
              summary="Failed back surgery syndrome after two fusions; a percutaneous trial gave "
                      "60% relief."),
        ground="network",
        letter_has=["45 CFR 156.230"],
        letter_lacks=["438.206", "422.112", "1396d(r)"],
        request_has=["CPT 63655", "in-network"],
        gaps=["clinical_summary"],
    ),
    GroundCase(
        "site-of-care-erisa", "tune", D(2026, 11, 2),
        "Cobalt Benefits, claims administrator for the Harlow Manufacturing employee health plan "
        "(ERISA)\nDate: October 28, 2026\nMember ID: CB-7781\nRequest: infliximab (J1745) "
        "infusion at Riverside Hospital outpatient infusion department\nSite of care review: "
        "the drug is approved. Administration in a hospital outpatient setting is not medically "
        "necessary; the member can safely receive infusions at home or at an ambulatory "
        "infusion center. Home infusion is approved.\n",
        _case("Maya Lind", "Infliximab infusion", "J1745",
              "Hospital outpatient infusion department; every 8 weeks for 12 months",
              summary="Crohn disease on infliximab. At her fourth infusion she had anaphylaxis "
                      "with hypotension requiring epinephrine, and she now needs premedication "
                      "and a slowed rate with continuous monitoring by staff able to manage a "
                      "severe reaction."),
        ground="site_of_care",
        letter_has=["anaphylaxis", "monitoring"],
        letter_lacks=["The record meets"],
        request_has=["J1745", "hospital outpatient"],
        no_gaps=["clinical_summary"],
    ),
    GroundCase(
        "inpatient-ma-claim", "tune", D(2026, 11, 20),
        "Silverline Medicare Advantage (HMO)\nExplanation of payment - claim denied at the "
        "inpatient level\nDate: November 12, 2026\nClaim number: SL-3390021\nDates of service: "
        "10/03/2026 - 10/06/2026\nThe inpatient admission did not meet inpatient criteria; the "
        "services are payable at the observation level only.\n",
        _case("Edith Marr", "Inpatient admission for acute decompensated heart failure",
              dx=[{"code": "I50.23", "description": "Acute on chronic systolic heart failure"}],
              summary="At admission on October 3 she had hypoxemia on 4 L oxygen, BNP 2,400 and "
                      "creatinine rising; I expected at least two midnights of IV diuresis and "
                      "telemetry. She was discharged on October 6."),
        ground="inpatient_level",
        letter_has=["412.3", "422.101(b)(2)", "two midnights"],
        request_has=["reprocess claim SL-3390021", "inpatient"],
        request_lacks=["and approve"],
        no_gaps=["clinical_summary"],
    ),
    GroundCase(
        "air-transport-ma", "tune", D(2026, 10, 15),
        "Harbor Crest Medicare Advantage plan\nClaim denial\nDate: October 2, 2026\nClaim "
        "number: HC-88120\nDate of service: 08/14/2026\nA0431 Rotary wing air ambulance "
        "transport; A0436 rotary wing mileage x 62\nDenied: ground ambulance transport would "
        "have been sufficient; air transport was not medically necessary.\n",
        _case("Glen Ortiz", "Rotary-wing air ambulance transport", "A0431", more=["A0436"],
              summary="He had left-sided weakness and aphasia with last known well 40 minutes "
                      "earlier; a large-vessel occlusion was suspected. The nearest "
                      "thrombectomy center was 62 miles away; ground transport would have taken "
                      "about 95 minutes on a mountain road, against 25 minutes by air."),
        ground="transport",
        letter_has=["95 minutes", "25 minutes", "at the time"],
        request_has=["reprocess claim HC-88120", "A0431", "A0436"],
        request_lacks=["and approve"],
        no_gaps=["clinical_summary"],
    ),
    GroundCase(
        "plain-mn-with-network-boilerplate", "tune", D(2026, 6, 10),
        "Pinecrest Health, claims administrator for an ERISA employee benefit plan\nDate: June "
        "1, 2026\nTotal knee arthroplasty (CPT 27447) is denied as not medically necessary: "
        "criterion 2, at least 3 months of physical therapy, is not met.\nIf you see an "
        "out-of-network provider, your costs may be higher.\n",
        _case("Ray Fuller", "Total knee arthroplasty", "27447",
              summary="Severe osteoarthritis with bone-on-bone narrowing."),
        ground=None,
        letter_lacks=["438.206", "156.230", "network cannot"],
    ),
    # ------------------------------------------------------------------ held out
    GroundCase(
        "oon-ma-wait", "heldout", D(2026, 12, 6),
        "Evergreen Medicare Advantage (PPO)\nNotice of Denial of Medical Coverage\nDate: "
        "November 25, 2026\nMember ID: EVG-104-22\nWe denied coverage of CPT 33418 "
        "transcatheter mitral valve repair by Dr. Ana Ruiz at Northshore Heart Institute, a "
        "non-contracted provider. Medical necessity is not in question. A contracted provider "
        "in our network can perform this procedure. Authorization period requested: 11/01/2026 "
        "- 11/30/2026. The pre-operative cardiology consultation (CPT 99204) was approved.\n",
        _case("Lorna Pike", "Transcatheter edge-to-edge mitral valve repair", "33418",
              "Within 60 days of approval",
              summary="Severe primary mitral regurgitation at prohibitive surgical risk. The "
                      "only in-network structural heart team has not performed this procedure "
                      "in the past year and its first opening is in 5 months; our team performs "
                      "over 80 a year."),
        ground="network",
        letter_has=["422.112", "5 months", "80 a year"],
        letter_lacks=["438.206", "156.230", "1396d(r)", "The record meets"],
        request_has=["CPT 33418", "in-network", "60 days"],
        request_lacks=["99204", "November 1, 2026", "November 30, 2026"],
        no_gaps=["clinical_summary"],
    ),
    GroundCase(
        "oon-erisa-sca", "heldout", D(2026, 8, 1),
        "Keystone Benefit Services, claims administrator for the Dale Foods employee health "
        "plan, governed by ERISA\nDate: July 22, 2026\nMember ID: KBS-4410\nRequest for a "
        "single case agreement for CPT 61867 deep brain stimulation lead placement by Dr. Ana "
        "Ruiz (non-participating) is denied. Network providers are available for this service.\n"
        "You may appeal within 180 days.\n",
        _case("Victor Hale", "Deep brain stimulation lead placement", "61867",
              summary="Parkinson disease with disabling motor fluctuations. No in-network "
                      "neurosurgeon performs deep brain stimulation; the plan's listed "
                      "providers perform spine surgery only."),
        ground="network",
        letter_has=["No in-network neurosurgeon performs deep brain stimulation",
                    "2560.503-1"],
        letter_lacks=["438.206", "156.230", "422.112"],
        request_has=["CPT 61867", "in-network"],
        no_gaps=["clinical_summary"],
    ),
    GroundCase(
        "site-of-care-ma-no-facts", "heldout", D(2026, 5, 20),
        "Bluewater Medicare Advantage (HMO)\nDate: May 12, 2026\nMember ID: BW-99012\nOcrelizumab "
        "(J2350) infusion at the hospital outpatient department is denied at this site of care. "
        "The drug remains approved at a non-hospital infusion site or home infusion.\n",
        _case("Irene Sato", "Ocrelizumab infusion", "J2350",
              "Hospital outpatient department; every 6 months",
              summary="Relapsing multiple sclerosis."),
        ground="site_of_care",
        request_has=["J2350", "hospital outpatient"],
        gaps=["clinical_summary"],
    ),
    GroundCase(
        "observation-ma-preservice", "heldout", D(2026, 4, 9),
        "Crestview Medicare Advantage plan\nConcurrent review\nDate: April 8, 2026\nMember ID: "
        "CV-1180\nThe request for inpatient admission is denied; the member's care can be "
        "provided in observation status.\n",
        _case("Paul Greer", "Inpatient admission for community-acquired pneumonia",
              dx=[{"code": "J18.9", "description": "Pneumonia, unspecified organism"}],
              summary="He is 84 with a respiratory rate of 30, oxygen saturation 86% on room "
                      "air and new confusion; I expect he will need IV antibiotics and oxygen "
                      "across at least two midnights."),
        ground="inpatient_level",
        letter_has=["412.3", "422.101(b)(2)", "two midnights"],
        request_has=["inpatient"],
        request_lacks=["reprocess"],
        no_gaps=["clinical_summary"],
    ),
    GroundCase(
        "air-transport-medicaid-no-facts", "heldout", D(2026, 3, 2),
        "Sunrise Medicaid managed care plan\nClaim denial\nDate: February 20, 2026\nClaim "
        "number: SM-7712\nDate of service: 01/30/2026\nA0430 fixed wing air ambulance: denied. "
        "Ground ambulance transport would have been appropriate for this member's condition.\n",
        _case("Rosa Delgado", "Fixed-wing air ambulance transport", "A0430",
              summary="Transferred for a higher level of care."),
        ground="transport",
        request_has=["reprocess claim SM-7712", "A0430"],
        gaps=["clinical_summary"],
    ),
    GroundCase(
        "plain-level-of-care-residential", "heldout", D(2026, 7, 7),
        "Orchard Health, claims administrator for an ERISA plan\nDate: July 1, 2026\n"
        "Residential treatment (revenue code 1001) is denied: the member can be safely treated "
        "at a lower level of care (intensive outpatient).\n",
        _case("Nell Carter", "Residential eating disorder treatment", "1001",
              summary="Anorexia nervosa with BMI 14.8."),
        ground=None,
        letter_lacks=["412.3", "two midnights", "network"],
    ),
    # ------------------------------------------------------------------ access standard
    # (written before the change: the nearest in-network provider beyond the plan's or
    # state's distance or time standard; the letter states the comparison and needs no
    # 'why none can' gap)
    GroundCase(
        "oon-standard-insured-tune", "tune", D(2026, 12, 6),
        "Prairie Bluff Health Insurance Company - fully insured group plan\nDate of notice: "
        "November 30, 2026\nMember ID: PBH-88120\nRequest: CPT 95810 polysomnography at "
        "Summit Sleep Center (non-participating)\nDenied: the provider is out of network. Our "
        "network adequacy standard for sleep medicine is 60 miles or 60 minutes. Participating "
        "sleep laboratories are available. You may request an internal appeal.\n",
        _case("Owen Tate", "Attended polysomnography", "95810",
              summary="Suspected narcolepsy with cataplexy. The nearest in-network sleep "
                      "laboratory is 142 miles away, about 2 hours 40 minutes by car. Summit "
                      "Sleep Center is 12 miles from his home."),
        ground="network",
        letter_has=["142 miles", "60 miles", "82 miles beyond"],
        letter_lacks=["[MISSING: which in-network"],
        request_has=["in-network"],
        no_gaps=["clinical_summary"],
    ),
    GroundCase(
        "oon-standard-aca-heldout", "heldout", D(2026, 12, 6),
        "Coastal Plains Health - Individual Marketplace plan (Affordable Care Act)\nDate: "
        "November 20, 2026\nMember ID: CPH-40017\nRequest: CPT 92557 comprehensive hearing "
        "evaluation by a non-contracted pediatric audiologist\nDenied: out-of-network services "
        "are not covered. Under our time and distance standard, members should be able to reach "
        "an in-network pediatric audiologist within 45 miles. We recognize the closest "
        "contracted pediatric audiologist is outside that distance; however, an exception must "
        "be requested.\n",
        _case("Lila Ortiz", "Comprehensive pediatric hearing evaluation", "92557",
              dob=D(2024, 2, 1),
              summary="Two-year-old with failed newborn hearing screen on rescreen and speech "
                      "delay. The closest in-network pediatric audiologist is 97 miles away."),
        ground="network",
        letter_has=["97 miles", "45 miles", "52 miles beyond"],
        letter_lacks=["[MISSING: which in-network"],
        no_gaps=["clinical_summary"],
    ),
    # ------------------------------------------------------------------ visit cap
    GroundCase(
        "visit-cap-erisa-tune", "tune", D(2026, 12, 6),
        "Ridgeline Benefits, claims administrator for the Norfield Steel employee health plan "
        "(ERISA)\nDate: November 28, 2026\nMember ID: RB-55102\nService: outpatient "
        "occupational therapy (97165, 97530)\nDenied: the member has reached the benefit "
        "maximum of 30 visits per plan year (visits used: 30 of 30). Continued therapy requires "
        "documentation of measurable progress toward the goals of the plan of care.\n",
        _case("Rosa Vance", "Outpatient occupational therapy after flexor tendon repair", "97530",
              "12 visits, 2 per week, December 2026 - January 2027",
              summary="Zone II flexor tendon repair of the right index finger on 08/04/2026. "
                      "Total active motion improved from 95 to 185 degrees (goal 230). Grip "
                      "strength rose from 8 to 21 kg (goal 30 kg). The progress note of "
                      "11/20/2026 was not available to the reviewer."),
        ground="visit_cap",
        letter_has=["I do not dispute that", "from 95 to 185 degrees (goal 230)",
                    "The latest progress report"],
        request_has=["continued visits beyond those already used"],
        no_gaps=["clinical_summary"],
    ),
    GroundCase(
        "visit-cap-aca-heldout", "heldout", D(2026, 12, 6),
        "Pine Hollow Health - Individual Marketplace plan (Affordable Care Act)\nDate: November "
        "30, 2026\nMember ID: PHH-70031\nRequest: physical therapy 97110 x 16 visits\nThe "
        "authorized visits for this condition have been used (20 of 20). Additional visits are "
        "covered only when measurable functional progress is documented.\n",
        _case("Noah Pratt", "Outpatient physical therapy after ACL reconstruction", "97110",
              "16 visits, 2 per week",
              summary="ACL reconstruction on 07/10/2026. Quadriceps limb symmetry went from 52% "
                      "to 78% (return-to-sport goal 90%). Single-leg hop distance improved from "
                      "40% to 71% of the other side."),
        ground="visit_cap",
        letter_has=["I do not dispute that", "52% to 78%"],
        request_has=["continued visits"],
        no_gaps=["clinical_summary"],
    ),
    # ------------------------------------------------------------------ cosmetic label
    GroundCase(
        "cosmetic-eob-malformation-tune", "tune", D(2026, 12, 6),
        "Harborline Benefit Services, claims administrator for the Tenley Foods employee health "
        "plan (ERISA)\nEXPLANATION OF BENEFITS - THIS IS NOT A BILL\nStatement date: "
        "11/12/2026\nClaim number: 77-20931-B\n10/02/2026  17106 Destruction of cutaneous "
        "vascular proliferative lesions  billed $1,150.00  paid $0.00  CO-204\nRemark: services "
        "considered cosmetic are excluded under your plan.\n",
        _case("June Abbott", "Pulsed dye laser treatment of a capillary malformation of the lip",
              "17106",
              summary="Congenital capillary malformation (port-wine stain) of the right upper lip "
                      "and cheek. Over the past year the lip has begun to thicken, with early "
                      "nodularity, and she has had two episodes of bleeding after minor trauma. "
                      "Without treatment these lesions are likely to progress to hypertrophy. "
                      "Brain MRI in 2024 was normal."),
        ground="functional",
        letter_has=["Congenital capillary malformation", "begun to thicken"],
        letter_lacks=["record shows otherwise", "meets the standard set out"],
        no_gaps=["clinical_summary"],
    ),
    GroundCase(
        "cosmetic-blepharoplasty-heldout", "heldout", D(2026, 12, 6),
        "Redwood Crest Health - Individual Marketplace plan (Affordable Care Act)\nDate: "
        "November 18, 2026\nMember ID: RCH-33018\nRequest: CPT 15823 upper eyelid "
        "blepharoplasty, both eyes\nDenied: the procedure is considered cosmetic and is not a "
        "covered benefit.\n",
        _case("Omar Lindgren", "Upper eyelid blepharoplasty, bilateral", "15823",
              summary="Dermatochalasis with the upper lid skin resting on the lashes. Automated "
                      "visual fields show the superior field limited to 18 degrees, improving to "
                      "40 degrees with the lids taped. He has difficulty reading and driving."),
        ground="functional",
        letter_has=["18 degrees", "difficulty reading"],
        letter_lacks=["record shows otherwise"],
        no_gaps=["clinical_summary"],
    ),
]  # fmt: skip
