"""A labelled set for the strategies a template cannot infer (issue 17, strategy round): each case
is a short synthetic denial and case file with the keys written by hand from the letter: the
change to an authorized service (amounts, dates), the continuation rule that fits (or none), the
drug-exception rule and the grounds the record supports (or none), the words the request must
and must not hold. The held-out cases (split = "heldout") were written with the tuned ones,
before any was run, and were not looked at while tuning.

Run ``python -m evals.strategy.measure`` for the figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

D = dt.date


@dataclass
class StrategyCase:
    name: str
    split: str
    today: dt.date
    letter: str
    case: dict
    change: dict | None = None
    """The fields of DenialAnalysis.service_change that must be read (None: no change)."""
    continuation: str | None = None
    """The citation of the continuation rule that fits (None: the letter says nothing)."""
    continuation_state: str | None = None
    exception: str | None = None
    """The drug-exception rule's citation, 'plan' for the plan's own process, None: no drug
    restriction."""
    grounds: set[str] = field(default_factory=set)
    """The exception grounds the record supports."""
    request_has: list[str] = field(default_factory=list)
    request_lacks: list[str] = field(default_factory=list)


def _case(name: str, description: str, details: str = "", **extra: object) -> dict:
    base: dict = {
        "patient": {"name": name},
        "physician": {"name": "Ana Ruiz", "credentials": "MD", "phone": "(555) 555-0100"},
        "service": {
            "code": extra.pop("code", None),
            "description": description,
            "details": details or None,
        },
        "clinical_summary": extra.pop("summary", None),
        "prior_treatments": extra.pop("treatments", []),
    }
    base.update(extra)
    return base


def _med(name: str, dose: str, start: dt.date, end: dt.date | None, outcome: str,
         **kw: object) -> dict:  # fmt: skip
    return {"name": name, "kind": "medication", "dose": dose, "start": start, "end": end,
            "outcome": outcome, **kw}  # fmt: skip


CASES: list[StrategyCase] = [
    # ------------------------------------------------------------------ tuned
    StrategyCase(
        "pdn-medicaid", "tune", D(2026, 10, 28),
        "Bluebonnet Community Health Plan - Texas Medicaid managed care (STAR Kids)\n"
        "Date of notice: October 20, 2026\nMember ID: BCH770451289\n"
        "We reviewed the request to continue private duty nursing, HCPCS T1000, for the "
        "authorization period November 1, 2026 through April 30, 2027. Your private duty nursing "
        "hours are reduced. You are currently authorized for 56 hours per week. Starting "
        "November 1, 2026, we approved 40 hours per week. You may ask for a state fair hearing.\n",
        _case("Mateo Quintanilla", "Private duty nursing", code="T1000"),
        change={"before": 56, "after": 40, "unit": "hours", "per": "week",
                "effective": D(2026, 11, 1), "through": D(2027, 4, 30), "ends": False},
        continuation="42 CFR 438.420", continuation_state="near",
        request_has=["restore the 16 hours per week", "from November 1, 2026 through April 30, "
                     "2027", "42 CFR 438.420", "before that window closes on November 1, 2026"],
        request_lacks=["for dates of service"],
    ),
    StrategyCase(
        "home-health-erisa", "tune", D(2026, 9, 2),
        "Granite Benefits Administrators, claims administrator for the Hollis Tool Co. Employee "
        "Health Plan, an employee welfare benefit plan governed by ERISA.\nDate: August 28, 2026\n"
        "Concurrent review of home health skilled nursing visits (G0299). Your visits are "
        "reduced from 5 visits per week to 2 visits per week effective September 8, 2026. "
        "You may appeal within 180 days under ERISA section 503.\n",
        _case("Ruth Okafor", "Home health skilled nursing visits", code="G0299"),
        change={"before": 5, "after": 2, "unit": "visits", "per": "week",
                "effective": D(2026, 9, 8), "ends": False},
        continuation="29 CFR 2560.503-1(f)(2)(ii)", continuation_state="near",
        request_has=["restore the 3 visits per week", "from September 8, 2026",
                     "until you decide this appeal"],
    ),
    StrategyCase(
        "snf-end-ma", "tune", D(2026, 11, 11),
        "Summit Medicare Advantage (HMO)\nNotice of Medicare Non-Coverage\nDate: November 10, "
        "2026\nThe effective date coverage of your current skilled nursing services will end: "
        "November 14, 2026. Your Medicare Advantage plan has determined that Medicare probably "
        "will not pay for your current skilled nursing facility services after that date.\n",
        _case("Harold Benn", "Skilled nursing facility stay"),
        change={"ends": True, "effective": D(2026, 11, 14)},
        continuation="42 CFR 422.624; 42 CFR 422.626", continuation_state="near",
        request_has=["reverse the decision to end", "on November 14, 2026", "fast-track appeal",
                     "Quality Improvement Organization"],
    ),
    StrategyCase(
        "pdn-aca", "tune", D(2026, 10, 5),
        "Lakeshore Health - Individual Marketplace plan (Affordable Care Act)\nDate: September "
        "30, 2026\nPrivate duty nursing (S9123) hours were reduced from 40 to 24 hours per week "
        "as of October 15, 2026 for the period October 15, 2026 - January 14, 2027. You may "
        "request an internal appeal and an external review.\n",
        _case("Lily Tran", "Private duty nursing", code="S9123"),
        change={"before": 40, "after": 24, "unit": "hours", "per": "week",
                "effective": D(2026, 10, 15), "through": D(2027, 1, 14)},
        continuation=None,
        request_has=["restore the 16 hours per week", "through January 14, 2027"],
        request_lacks=["438.420", "2560.503-1(f)", "continue at the"],
    ),
    StrategyCase(
        "non-formulary-aca", "tune", D(2026, 11, 20),
        "Cedar Valley Health - Marketplace individual plan (Affordable Care Act)\nPharmacy "
        "prior authorization\nDate: November 16, 2026\nDrug requested: Dexlansoprazole (Dexilant) "
        "60 mg capsules, quantity 30 per 30 days\nDexlansoprazole is not on your plan's "
        "formulary. Formulary alternatives: omeprazole, pantoprazole.\n",
        _case("Omar Haddad", "Dexlansoprazole (Dexilant) 60 mg capsules", "Pharmacy benefit",
              treatments=[
                  _med("Omeprazole", "40 mg", D(2025, 1, 6), D(2025, 4, 7),
                       "Inadequate response; nightly reflux persisted", frequency="twice daily"),
                  _med("Pantoprazole", "40 mg", D(2025, 5, 1), D(2025, 7, 30),
                       "Not tolerated: diarrhea", frequency="twice daily"),
              ]),
        exception="45 CFR 156.122(c)", grounds={"tried"},
        request_has=["formulary exception for dexlansoprazole under 45 CFR 156.122(c)",
                     "within 72 hours", "Omeprazole 40 mg twice daily", "quantity 30"],
        request_lacks=["Contraindicated", "Stable on"],
    ),
    StrategyCase(
        "step-part-d", "tune", D(2026, 8, 3),
        "Riverbend Medicare Advantage Prescription Drug plan (Part D)\nCoverage determination: "
        "denied\nDate: July 30, 2026\nDrug: Apixaban 5 mg tablets, 60 tablets per 30 days\nStep "
        "therapy applies: you must first try warfarin.\n",
        _case("June Park", "Apixaban (Eliquis) 5 mg tablets, twice daily", "Pharmacy benefit",
              summary="Warfarin is contraindicated because of her labile INR and a prior "
                      "intracranial bleed on warfarin."),
        exception="42 CFR 423.578", grounds={"contraindicated"},
        request_has=["coverage determination exception for apixaban under 42 CFR 423.578",
                     "supporting statement", "Warfarin is contraindicated"],
        request_lacks=["Tried and failed"],
    ),
    StrategyCase(
        "step-medicaid-nothing", "tune", D(2026, 6, 1),
        "Keystone Family Health Plan - Medicaid HealthChoices\nDate: May 25, 2026\nDrug: "
        "Dupixent (dupilumab) 300 mg/2 mL pen, one pen every 14 days\nStep therapy applies: the "
        "member must first try a topical calcineurin inhibitor.\n",
        _case("Leo Abernathy", "Dupilumab (Dupixent) 300 mg/2 mL pen", "Pharmacy benefit"),
        exception="plan", grounds=set(),
        request_has=["step-therapy exception for dupilumab under your plan's exception process",
                     "[MISSING: the exception ground"],
        request_lacks=["Contraindicated:", "Tried and failed"],
    ),
    StrategyCase(
        "ongoing-diet-erisa", "tune", D(2026, 11, 30),
        "Pinecrest Health, claims administrator for an ERISA employee benefit plan\nDate: "
        "October 1, 2026\nBariatric surgery (CPT 43775) is denied: participation in a "
        "physician-supervised weight-management program for at least 24 weeks is not shown.\n",
        _case("Ines Mora", "Laparoscopic sleeve gastrectomy", code="43775",
              treatments=[{"name": "Physician-supervised weight-management program",
                           "kind": "therapy", "start": D(2026, 3, 2),
                           "outcome": "Ongoing; 4% weight loss"}]),
        request_has=[], request_lacks=["continue at the"],
    ),
    StrategyCase(
        "quantity-part-d", "tune", D(2026, 9, 8),
        "Harborview Medicare Advantage Prescription Drug plan (Part D)\nCoverage determination: "
        "denied\nDate: September 2, 2026\nDrug: Ondansetron 8 mg tablets, 90 tablets per 30 "
        "days\nThe request exceeds the plan's quantity limit. Plan limit: 30 tablets per 30 "
        "days.\n",
        _case("Ruth Okafor", "Ondansetron 8 mg tablets, 90 tablets per 30 days",
              "Pharmacy benefit; one tablet three times daily",
              summary="She receives weekly chemotherapy and has nausea on 20 to 25 days a "
                      "month, needing a dose 3 times a day."),
        exception="42 CFR 423.578(b)", grounds={"frequency"},
        request_has=["coverage determination exception for ondansetron under 42 CFR 423.578(b)",
                     "the prescribed regimen needs 90 tablets in each 30 days",
                     "above the limit by 60 tablets",
                     "3 times a day"],
        request_lacks=["step-therapy", "Tried and failed"],
    ),
    StrategyCase(
        "eob-claim-erisa", "tune", D(2026, 11, 12),
        "Lakeshore Benefit Services, claims administrator for the Orton Mills employee plan "
        "(ERISA)\nEXPLANATION OF BENEFITS - THIS IS NOT A BILL\nStatement date: 11/05/2026\n"
        "Claim number: 88-41027-C\n"
        "Date of service  Code                                Billed     Plan paid  Reason\n"
        "08/19/2026       E0486 Oral appliance for apnea      $2,400.00  $0.00      50\n"
        "Reason code 50: not medically necessary.\n",
        _case("Paul Dunmore", "Custom mandibular advancement device", code="E0486"),
        request_has=["reprocess claim 88-41027-C and pay for", "August 19, 2026"],
        request_lacks=["and approve"],
    ),
    # ------------------------------------------------------------------ held out
    StrategyCase(
        "attendant-hours-medicaid", "heldout", D(2026, 12, 3),
        "Prairie Sky Health - Medicaid managed care plan\nNotice of Adverse Benefit "
        "Determination\nDate: November 30, 2026\nPersonal care services (T1019): your hours are "
        "decreased from 30 hours per week to 18 hours per week effective December 15, 2026. You "
        "may request a state fair hearing after the plan appeal.\n",
        _case("Walter Nye", "Personal care services", code="T1019"),
        change={"before": 30, "after": 18, "unit": "hours", "per": "week",
                "effective": D(2026, 12, 15)},
        continuation="42 CFR 438.420", continuation_state="open",
        request_has=["restore the 12 hours per week", "from December 15, 2026",
                     "42 CFR 438.420"],
    ),
    StrategyCase(
        "home-health-end-medicare", "heldout", D(2026, 10, 9),
        "Notice of Medicare Non-Coverage\nMedicare (Original Medicare) home health services\n"
        "Date: October 8, 2026\nThe effective date coverage of your current home health services "
        "will end: October 12, 2026.\n",
        _case("Dolores Quint", "Home health skilled nursing and physical therapy"),
        change={"ends": True, "effective": D(2026, 10, 12)},
        continuation="42 CFR 405.1202", continuation_state="near",
        request_has=["reverse the decision to end", "405.1202", "fast-track review"],
    ),
    StrategyCase(
        "irf-stay-erisa", "heldout", D(2026, 7, 14),
        "Northgate Health Plan, claims administrator for the Vance Logistics employee health "
        "benefit plan (ERISA)\nDate: July 13, 2026\nConcurrent review: continued stay in the "
        "inpatient rehabilitation facility is not authorized after July 16, 2026.\n",
        _case("Peter Lund", "Inpatient rehabilitation facility stay"),
        change={"ends": True, "effective": D(2026, 7, 16)},
        continuation="29 CFR 2560.503-1(f)(2)(ii)", continuation_state="near",
        request_has=["reverse the decision to end", "until you decide this appeal"],
    ),
    StrategyCase(
        "stable-non-formulary-aca", "heldout", D(2026, 3, 9),
        "Bayside Health Marketplace individual plan (Affordable Care Act)\nDate: March 5, 2026\n"
        "Drug requested: Lamotrigine extended-release 300 mg tablets, 30 tablets per 30 days\n"
        "This drug is not on our formulary; the formulary alternative is lamotrigine "
        "immediate-release.\n",
        _case("Nora Fitch", "Lamotrigine extended-release 300 mg tablets", "Pharmacy benefit",
              treatments=[_med("Lamotrigine extended-release", "300 mg", D(2024, 2, 1), None,
                               "Ongoing; seizure-free for 18 months", frequency="once daily")],
              summary="She is stable on lamotrigine extended-release after breakthrough "
                      "seizures on the immediate-release form."),
        exception="45 CFR 156.122(c)", grounds={"stable"},
        request_has=["formulary exception for lamotrigine under 45 CFR 156.122(c)",
                     "Stable on the requested drug", "quantity 30 tablets per 30 days"],
        request_lacks=["Contraindicated:"],
    ),
    StrategyCase(
        "part-d-non-formulary", "heldout", D(2026, 5, 4),
        "Harbor Medicare Advantage plan with Part D prescription drug coverage\nCoverage "
        "determination\nDate: May 1, 2026\nDrug: Tiotropium 2.5 mcg inhaler. This drug is not on "
        "the plan's formulary.\n",
        _case("Sam Ortiz", "Tiotropium (Spiriva Respimat) 2.5 mcg/actuation inhaler",
              "Pharmacy benefit; 1 inhaler per 30 days",
              summary="Ipratropium is expected to be ineffective: it failed to control his "
                      "symptoms in 2024."),
        exception="42 CFR 423.578", grounds={"ineffective"},
        request_has=["under 42 CFR 423.578", "Expected to be ineffective",
                     "supporting statement"],
    ),
    StrategyCase(
        "government-reduction", "heldout", D(2026, 4, 2),
        "County of Alder self-insured employee health plan (a governmental plan)\nDate: March "
        "30, 2026\nOutpatient speech therapy (92507) visits are reduced from 3 visits per week "
        "to 1 visit per week effective April 13, 2026.\n",
        _case("Mia Cole", "Outpatient speech therapy", code="92507"),
        change={"before": 3, "after": 1, "unit": "visits", "per": "week",
                "effective": D(2026, 4, 13)},
        continuation=None,
        request_has=["restore the 2 visits per week", "from April 13, 2026"],
        request_lacks=["438.420", "2560.503-1(f)", "Quality Improvement"],
    ),
    StrategyCase(
        "ndc-drug-erisa", "heldout", D(2026, 2, 10),
        "Crestline Health, claims administrator for an ERISA employee benefit plan\nPharmacy "
        "prior authorization\nDate: February 6, 2026\nMedication requested: Ustekinumab 90 mg/mL "
        "prefilled syringe\nDenied: not medically necessary.\n",
        _case("Eli Grant", "Ustekinumab (Stelara) 90 mg/mL prefilled syringe",
              "Pharmacy benefit; NDC 57894-0061-03; quantity 1 syringe per 56 days; for 12 "
              "months"),
        request_has=["NDC 57894-0061-03", "quantity 1 syringe per 56 days", "a 56-day supply",
                     "for 12 months"],
        request_lacks=["revenue"],
    ),
    StrategyCase(
        "quantity-erisa-no-frequency", "heldout", D(2026, 4, 20),
        "Alder Health, claims administrator for an ERISA employee benefit plan\nPharmacy "
        "prior authorization\nDate: April 14, 2026\nMedication: Sumatriptan 6 mg/0.5 mL "
        "autoinjector, 8 injections per 30 days\nDenied: the quantity requested is above the "
        "quantity limit. Sumatriptan injection is limited to 4 injections per 30 days.\n",
        _case("Nora Feld", "Sumatriptan 6 mg/0.5 mL autoinjector, 8 injections per 30 days",
              "Pharmacy benefit", summary="Cluster headache, episodic."),
        exception="plan", grounds=set(),
        request_has=["quantity-limit exception for sumatriptan under your plan's exception",
                     "8 injections per 30 days, above the plan's limit of 4 injections per 30 "
                     "days", "[MISSING: how often the patient needs a dose"],
        request_lacks=["step-therapy", "45 CFR 156.122"],
    ),
    StrategyCase(
        "quantity-aca-frequency", "heldout", D(2026, 7, 2),
        "Sunmesa Health - Marketplace individual plan (Affordable Care Act)\nPharmacy "
        "coverage decision\nDate: June 29, 2026\nDrug: Albuterol HFA 90 mcg inhaler, 3 inhalers "
        "per 30 days\nQuantity exceeds plan limit of 1 inhaler per 30 days.\n",
        _case("Theo Baptiste", "Albuterol HFA 90 mcg inhaler, 3 inhalers per 30 days",
              "Pharmacy benefit",
              summary="Severe persistent asthma; he needs rescue doses 4 times a day during "
                      "flares despite controller therapy."),
        exception="plan", grounds={"frequency"},
        request_has=["quantity-limit exception for albuterol under your plan's exception "
                     "process", "4 times a day"],
        request_lacks=["45 CFR 156.122", "step-therapy"],
    ),
    StrategyCase(
        "remittance-claim-medicaid", "heldout", D(2026, 10, 20),
        "Bayou Family Health - Medicaid managed care plan\nREMITTANCE ADVICE / CLAIM DENIAL\n"
        "Date: October 14, 2026\nClaim number: MC-5530198\n"
        "09/02/2026  E0784 Insulin pump, ambulatory x 1   billed $6,200.00  paid $0.00  CARC 50\n"
        "The claim was denied as not medically necessary.\n",
        _case("Ada Ruiz", "Insulin pump", code="E0784"),
        request_has=["reprocess claim MC-5530198 and pay for", "September 2, 2026"],
        request_lacks=["and approve"],
    ),
]  # fmt: skip
