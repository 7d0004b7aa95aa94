"""Labelled cases for a step criterion answered by a harm the record states (issue 17, strategy
round): the notice asks for 'trial and failure of X, OR an FDA-labeled contraindication or
intolerance', the record states why X does not suit the patient (a specialist's written advice
against X because of a stated condition, a prior adverse reaction, a drug interaction) and shows
no trial of X. The letter must not call the criterion met by a trial; it concedes the trial and
asks for the exception on the harm the record states (never a [MISSING] exception ground). The
notices come in several layouts (a pipe table, one with a wrapped cell, prose, a numbered or
lettered list). Keys were written by hand from each letter before the code was run; the
held-out cases were written before the change and not looked at while tuning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

D = dt.date
MISSING_GROUND = "[MISSING: the exception ground"
TODAY = D(2026, 12, 6)


@dataclass
class StepHarmCase:
    name: str
    split: str
    letter: str
    case: dict
    grounds: set[str]
    """The exception grounds the record supports."""
    request_has: list[str] = field(default_factory=list)
    request_lacks: list[str] = field(default_factory=lambda: [MISSING_GROUND])
    letter_has: list[str] = field(default_factory=list)
    letter_lacks: list[str] = field(default_factory=list)
    no_gaps: list[str] = field(default_factory=list)
    """Case fields no gap may name (a trial the record need not show)."""
    today: dt.date = TODAY


def _case(name: str, description: str, details: str, summary: str, **extra: object) -> dict:
    return {
        "patient": {"name": name, "date_of_birth": extra.pop("dob", D(1960, 5, 2)),
                    "member_id": extra.pop("member_id", None)},
        "physician": {"name": "Ana Ruiz", "credentials": "MD", "phone": "(555) 555-0100",
                      "npi": "1234567893", "specialty": extra.pop("specialty", None)},
        "service": {"description": description, "details": details},
        "diagnoses": extra.pop("dx", []),
        "clinical_summary": summary,
        "prior_treatments": extra.pop("treatments", []),
    }  # fmt: skip


_HEAD = "{plan}\n{address}\n\nDate of notice: November 12, 2026\nMember ID: {member}\n\n"

STEP_HARM_CASES: list[StepHarmCase] = [
    # ------------------------------------------------------------------ tuned
    StepHarmCase(
        "pipe-advice-label", "tune",
        _HEAD.format(plan="Buckeye Marketplace Health Plan, Inc. - Individual Marketplace Plan "
                     "(Affordable Care Act)", address="1200 Olentangy Parkway, Columbus, OH "
                     "43215", member="BMH4410298")
        + "Drug requested: Empagliflozin (Jardiance) 10 mg tablets, 30 tablets per 30 days\n\n"
        "| # | Criterion | Reviewer finding |\n|---|-----------|------------------|\n"
        "| 1 | Diagnosis of type 2 diabetes mellitus | Met |\n"
        "| 2 | Trial and failure of metformin for at least 90 days, OR an FDA-labeled "
        "contraindication or intolerance to metformin | Not met - no metformin trial is "
        "documented |\n| 3 | Prescribed at an FDA-approved dose | Met |\n\n"
        "Step therapy applies to this drug.\n",
        _case("Dana Whitfield", "Empagliflozin (Jardiance) 10 mg tablets, once daily",
              "Pharmacy benefit; 30 tablets per 30 days",
              "Type 2 diabetes with stage 4 chronic kidney disease (eGFR 26 mL/min/1.73 m2). Her "
              "nephrologist advised in writing on 10/31/2026 against metformin because her eGFR "
              "is below 30. HbA1c 8.4% on insulin glargine.", member_id="BMH4410298"),
        grounds={"contraindicated"},
        request_has=["step-therapy exception for empagliflozin", "advised in writing"],
        letter_has=["ask for an exception there"],
        no_gaps=["criteria[1].requirements[0]"],
    ),
    StepHarmCase(
        "pipe-wrapped-no-step-words", "tune",
        _HEAD.format(plan="Buckeye Marketplace Health Plan, Inc. - Individual Marketplace Plan "
                     "(Affordable Care Act)", address="1200 Olentangy Parkway, Columbus, OH "
                     "43215", member="BMH4410298")
        + "PHARMACY PRIOR AUTHORIZATION - ADVERSE DETERMINATION\nDrug requested: Empagliflozin "
        "(Jardiance) 10 mg tablets, 30 tablets per 30 days\n\n"
        "| # | Criterion | Reviewer finding |\n|---|-----------|------------------|\n"
        "| 1 | Diagnosis of type 2 diabetes mellitus | Met |\n"
        "| 2 | Trial and failure of metformin for at least 90 days, OR an | Not met |\n"
        "|   | FDA-labeled contraindication or intolerance to metformin |  |\n"
        "| 3 | Prescribed at an FDA-approved dose | Met |\n\nYou may request an exception.\n",
        _case("Dana Whitfield", "Empagliflozin (Jardiance) 10 mg tablets, once daily",
              "Pharmacy benefit; 30 tablets per 30 days",
              "Type 2 diabetes with stage 4 chronic kidney disease (eGFR 26). Her nephrologist "
              "wrote on 10/31/2026 that metformin should be avoided with her eGFR below 30.",
              member_id="BMH4410298"),
        grounds={"contraindicated"},
        request_has=["exception for empagliflozin", "metformin should be avoided"],
        letter_has=["ask for an exception there"],
    ),
    StepHarmCase(
        "prose-prior-reaction", "tune",
        _HEAD.format(plan="Granite State Health Insurance Company - Individual Marketplace Plan "
                     "(Affordable Care Act)", address="40 Elm Street, Concord, NH 03301",
                     member="GSH220981")
        + "Re: Evolocumab (Repatha) 140 mg/mL autoinjector, 2 per 28 days\n\nWe have denied this "
        "request. Our policy PCSK9-07 covers evolocumab only after the member has had a trial "
        "and failure of a high-intensity statin (atorvastatin 40-80 mg or rosuvastatin 20-40 mg) "
        "for at least 12 weeks, or has an FDA-labeled contraindication or documented intolerance "
        "to statins. Step therapy applies.\n",
        _case("Walter Ames", "Evolocumab (Repatha) 140 mg/mL autoinjector every 14 days",
              "Pharmacy benefit; 2 autoinjectors per 28 days",
              "Heterozygous familial hypercholesterolemia, LDL-C 212 mg/dL on ezetimibe. In "
              "March 2024 he developed rhabdomyolysis with CK 14,200 U/L on atorvastatin 40 mg "
              "after five weeks and was hospitalized for four days.", member_id="GSH220981"),
        grounds={"contraindicated"},
        request_has=["developed rhabdomyolysis"],
    ),
    StepHarmCase(
        "numbered-interaction", "tune",
        _HEAD.format(plan="Lone Pine Health Plan - Medicare Advantage Prescription Drug plan "
                     "(Part D)", address="PO Box 7710, Boise, ID 83707", member="LPH9920154")
        + "COVERAGE DETERMINATION - DENIED\nDrug: Edoxaban (Savaysa) 60 mg tablets, 30 tablets "
        "per 30 days\n\nThe plan's step therapy criteria are:\n1. Diagnosis of non-valvular "
        "atrial fibrillation.\n2. Trial and failure of warfarin for at least 3 months, or a "
        "contraindication to warfarin.\n\nCriterion 2 was not met: no warfarin trial is on "
        "file.\n",
        _case("Henry Solis", "Edoxaban (Savaysa) 60 mg tablets once daily",
              "Pharmacy benefit; 30 tablets per 30 days",
              "Persistent atrial fibrillation, CHA2DS2-VASc 4. He takes amiodarone and long-term "
              "fluconazole, and both strongly potentiate warfarin; his infectious disease "
              "physician and I agreed in writing that warfarin would expose him to an "
              "unpredictable INR and bleeding.", member_id="LPH9920154"),
        grounds={"contraindicated"},
        request_has=["potentiate warfarin"],
    ),
    StepHarmCase(
        "numbered-class-advice", "tune",
        _HEAD.format(plan="Tri-River Health - Marketplace individual plan (Affordable Care Act)",
                     address="88 Water Street, Pittsburgh, PA 15222", member="TRH5518820")
        + "Pharmacy prior authorization: Mirabegron (Myrbetriq) 25 mg extended-release tablets\n"
        "Decision: denied.\nCriteria reviewed (policy GU-114):\n  1) Diagnosis of overactive "
        "bladder - met\n  2) Trial and failure of two formulary antimuscarinic agents "
        "(oxybutynin, tolterodine, solifenacin or trospium) for at least 4 weeks each, OR an "
        "FDA-labeled contraindication or intolerance - not met\nStep therapy applies.\n",
        _case("Ruth Kessler", "Mirabegron (Myrbetriq) 25 mg extended-release tablets once daily",
              "Pharmacy benefit; 30 tablets per 30 days",
              "Overactive bladder with 11 voids a day. Her neurologist wrote on 09/14/2026 that "
              "anticholinergic bladder medicines such as oxybutynin and tolterodine should not "
              "be used because of her mild cognitive impairment (MoCA 22/30).",
              member_id="TRH5518820"),
        grounds={"contraindicated"},
        request_has=["should not be used"],
        letter_has=["ask for an exception there"],
        no_gaps=["criteria[1].requirements[0]"],
    ),
    # ------------------------------------------------------------------ held out
    StepHarmCase(
        "numbered-roman-admission", "heldout",
        _HEAD.format(plan="Sagebrush Health - Medicare Advantage Prescription Drug plan (Part D)",
                     address="PO Box 2200, Reno, NV 89501", member="SGH3301877")
        + "COVERAGE DETERMINATION: DENIED\nDrug: Linagliptin (Tradjenta) 5 mg tablets, 30 "
        "tablets per 30 days\nTo approve this drug the plan requires:\n(i) a diagnosis of type "
        "2 diabetes; and\n(ii) trial and failure of metformin for at least 3 months, or a "
        "documented contraindication or intolerance to metformin.\nRequirement (ii) is not met.\n",
        _case("Irene Dale", "Linagliptin (Tradjenta) 5 mg tablets once daily",
              "Pharmacy benefit; 30 tablets per 30 days",
              "Type 2 diabetes, HbA1c 8.1%. In 2023 she was admitted to intensive care with "
              "metformin-associated lactic acidosis during a dehydrating illness, and metformin "
              "has not been restarted.", member_id="SGH3301877"),
        grounds={"contraindicated"},
        request_has=["lactic acidosis"],
    ),
    StepHarmCase(
        "pipe-erisa-cardiac-risk", "heldout",
        _HEAD.format(plan="Harbor Point Benefits, claims administrator for the Lindqvist Marine "
                     "employee health plan (ERISA)", address="19 Dock Street, Portland, ME "
                     "04101", member="HPB6620914")
        + "Medication: Ubrogepant (Ubrelvy) 100 mg tablets, 16 tablets per 30 days\n"
        "| Criterion | Policy requirement | Determination |\n|---|---|---|\n"
        "| 1 | Diagnosis of migraine | Met |\n"
        "| 2 | Trial and failure of two triptans (sumatriptan, rizatriptan or eletriptan), OR a "
        "contraindication to triptans | Not met |\n\nStep therapy criteria were not met.\n",
        _case("Greta Holm", "Ubrogepant (Ubrelvy) 100 mg tablets as needed",
              "Pharmacy benefit; 16 tablets per 30 days",
              "Migraine without aura, 6 attacks a month. After her myocardial infarction in "
              "March 2025 her cardiologist wrote that sumatriptan and the other triptans carry "
              "an unacceptable coronary risk for her.", member_id="HPB6620914"),
        grounds={"contraindicated"},
        request_has=["unacceptable coronary risk"],
    ),
    StepHarmCase(
        "prose-medicaid-allele", "heldout",
        _HEAD.format(plan="Cascade Care Medicaid managed care plan", address="500 Pine Street, "
                     "Seattle, WA 98101", member="CCM7781203")
        + "Your request for lacosamide (Vimpat) 100 mg tablets, 60 tablets per 30 days, is "
        "denied. Lacosamide is covered after the member has tried carbamazepine for at least 8 "
        "weeks, unless carbamazepine is contraindicated. No carbamazepine trial is on file.\n",
        _case("Mai Tran", "Lacosamide (Vimpat) 100 mg tablets twice daily",
              "Pharmacy benefit; 60 tablets per 30 days",
              "Focal epilepsy with 3 seizures a month. She carries HLA-B*15:02; carbamazepine's "
              "label warns of Stevens-Johnson syndrome in carriers of this allele, and her "
              "epileptologist will not prescribe it.", member_id="CCM7781203"),
        grounds={"contraindicated"},
        request_has=["HLA-B*15:02"],
    ),
]  # fmt: skip
