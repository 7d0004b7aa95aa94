"""Labelled families for the comparisons blind judges of stop 36 found never stated or stated
from the wrong fact (issue 17), each a shape, never one drug or one test:

(a) a comparison the letter must compute before it can state it: a ratio of a lab to the
    patient's own baseline (two dated values of one measure); a dose per kilogram per day (the
    requested daily dose over the recorded weight); a count of dated events inside a window
    before the admission; a lab value against a 'below N' threshold;
(b) a comparison answered from the wrong fact: a dose 'at the time of the request' answered by
    a course started after the denial; a recency window ('within 30 days of the request') met by
    labs older than the window (the failure is stated, never hidden); a monitoring test still
    only scheduled called met; an age band treated as a pending result; a two-part criterion
    with one part on record (the part present is credited).

The requirements are typed as the rules type the criterion's words (``parse_requirements``).
Keys name the facts that answer each criterion (for or against); an empty key means no fact of
the case answers it. ``expect`` gives a status only where the record settles it.

Both slices were written on 2026-12-07 (session 37) before any code for these shapes was
changed; the held-out families use other measures, units, thresholds, drugs and wording, and
were not looked at while the code was changed.
"""

from __future__ import annotations

import datetime as dt

from evals.reasoning.cases import F, Family, T
from evals.reasoning.shape_families import P, person

D = dt.date


def _with_service(extra: dict, description: str) -> dict:
    """Case fields with the requested service's description (the requested dose) added."""
    return {**extra, "service": {"description": description}}


COMPUTED_FAMILIES: list[Family] = [
    # ----------------------------------------------------------------------------- tuned
    Family(  # (a) a lab below a threshold; a ratio to baseline; infusions counted in a window
        "dehydration-admit",
        "tune",
        D(2026, 11, 20),
        [
            P("Serum sodium below 130 mEq/L"),
            P("Acute kidney injury (serum creatinine 1.5 times baseline or more)"),
            P(
                "Failure of outpatient IV hydration on 2 or more occasions within the 7 days "
                "before admission"
            ),
        ],
        [
            T(
                "Outpatient IV hydration, 1 L normal saline (infusion center)",
                "procedure",
                D(2026, 10, 29),
                D(2026, 10, 29),
                outcome="Vomiting recurred within 12 hours",
            ),
            T(
                "Outpatient IV hydration, 1 L lactated Ringer's (infusion center)",
                "procedure",
                D(2026, 11, 1),
                D(2026, 11, 1),
                outcome="Unable to keep oral fluids down the next day",
            ),
        ],
        [
            F(
                "lab",
                "Basic metabolic panel",
                "Sodium 126 mEq/L; bicarbonate 18 mEq/L; glucose 84 mg/dL",
                D(2026, 11, 3),
            ),
            F("lab", "Serum creatinine (baseline, primary care)", "0.7 mg/dL", D(2026, 4, 10)),
            F("lab", "Serum creatinine on admission", "1.2 mg/dL", D(2026, 11, 3)),
        ],
        [
            {"objective_findings[0]"},
            {"objective_findings[1]", "objective_findings[2]"},
            {"prior_treatments[0]", "prior_treatments[1]"},
        ],
        distractors=[
            T(
                "Outpatient IV hydration, 1 L normal saline (infusion center)",
                "procedure",
                D(2026, 9, 2),
                D(2026, 9, 2),
                outcome="Symptoms settled for two weeks",
            )
        ],
        summary="She was admitted on 2026-11-03 after three days of persistent vomiting.",
        extra=person(D(1994, 8, 19), "Obstetrics and Gynecology"),
        expect=["met", "met", "met"],
        service_dates=[D(2026, 11, 3)],
    ),
    Family(  # (b) the dose at the request, not after the denial; labs outside the window; pending
        "steroid-renewal",
        "tune",
        D(2026, 10, 5),
        [
            P("Prednisone dose of 5 mg per day or less at the time of the request"),
            P("CBC and liver enzymes checked within 30 days of the request"),
            P("Fasting lipid panel obtained after the start of therapy"),
        ],
        [
            T(
                "Prednisone taper",
                "medication",
                D(2026, 4, 6),
                D(2026, 11, 15),
                dose="4 mg",
                frequency="once daily",
                outcome="Tapered to 4 mg/day without relapse",
            ),
            T(
                "Prednisone for relapse after the denial",
                "medication",
                D(2026, 11, 16),
                None,
                dose="12.5 mg",
                frequency="once daily",
                outcome="Relapse 8 weeks after the last dose of the requested drug",
            ),
        ],
        [
            F(
                "lab",
                "CBC and hepatic panel",
                "ANC 1,900/mm3; platelets 201,000/mm3; ALT 29 U/L",
                D(2026, 7, 23),
            ),
            F(
                "lab",
                "Fasting lipid panel",
                "Ordered; not yet drawn, scheduled for 2026-12-02",
                D(2026, 11, 20),
            ),
        ],
        [{"prior_treatments[0]"}, {"objective_findings[0]"}, {"objective_findings[1]"}],
        extra=person(D(1953, 6, 9), "Rheumatology"),
        expect=["met", "not_met", "not_met"],
    ),
    Family(  # (a) mg/kg/day from the requested dose and the weight; (b) an age band; a part shown
        "weight-dose-peds",
        "tune",
        D(2026, 11, 1),
        [
            P("The requested dose does not exceed 9 mg/kg/day"),
            P("Patient is under 18 years of age"),
            P("NT-proBNP and six-minute walk distance measured within the past 90 days"),
        ],
        [
            T(
                "Levetiracetam",
                "medication",
                D(2025, 2, 1),
                D(2025, 9, 1),
                dose="500 mg",
                frequency="twice daily",
                outcome="Behavioural side effects",
            ),
        ],
        [
            F("vital", "Body weight", "30 kg", D(2026, 10, 20)),
            F("lab", "NT-proBNP", "310 pg/mL", D(2026, 10, 20)),
        ],
        [{"objective_findings[0]"}, {"patient.date_of_birth"}, {"objective_findings[1]"}],
        extra=_with_service(
            person(D(2015, 3, 14), "Pediatric Neurology"),
            "Topiramate 25 mg tablets, 100 mg by mouth twice daily (200 mg/day)",
        ),
        expect=[None, "met", None],
    ),
    # -------------------------------------------------------------------------- held out
    Family(
        "sepsis-admit-held",
        "heldout",
        D(2026, 8, 14),
        [
            P("Lactate greater than 2 mmol/L"),
            P("Rise in serum creatinine to at least 2 times the patient's known baseline"),
            P(
                "Two or more emergency department visits for the same infection within the 10 "
                "days before admission"
            ),
        ],
        [],
        [
            F("lab", "Venous lactate", "3.4 mmol/L", D(2026, 8, 2)),
            F("lab", "Creatinine, baseline (annual physical)", "0.9 mg/dL", D(2026, 1, 15)),
            F("lab", "Creatinine on arrival", "2.1 mg/dL", D(2026, 8, 2)),
            F(
                "other",
                "Emergency department visit",
                "Flank pain and fever; discharged on oral cephalexin",
                D(2026, 7, 25),
            ),
            F(
                "other",
                "Emergency department visit",
                "Persistent fever on oral antibiotic; urine culture resistant to cephalexin",
                D(2026, 7, 29),
            ),
            F(
                "other",
                "Emergency department visit",
                "Ankle sprain",
                D(2026, 5, 1),
            ),
        ],
        [
            {"objective_findings[0]"},
            {"objective_findings[1]", "objective_findings[2]"},
            {"objective_findings[3]", "objective_findings[4]"},
        ],
        summary="He was admitted from the emergency department on 2026-08-02 with urosepsis.",
        extra=person(D(1961, 12, 2), "Internal Medicine"),
        expect=["met", "met", "met"],
        service_dates=[D(2026, 8, 2)],
    ),
    Family(
        "anticoag-weight-held",
        "heldout",
        D(2026, 9, 30),
        [
            P("Prescribed dose may not exceed 1.5 mg per kilogram per day"),
            P("Hydrocortisone dose no higher than 20 mg daily when the request was submitted"),
            P("Potassium and magnesium drawn within the 14 days preceding the request"),
        ],
        [
            T(
                "Hydrocortisone replacement",
                "medication",
                D(2025, 3, 1),
                None,
                dose="15 mg",
                frequency="daily in divided doses",
                outcome="Ongoing",
            ),
            T(
                "Hydrocortisone stress dosing",
                "medication",
                D(2026, 10, 12),
                D(2026, 10, 15),
                dose="40 mg",
                frequency="daily",
                outcome="Febrile illness after the denial",
            ),
        ],
        [
            F("vital", "Weight", "80 kg", D(2026, 9, 10)),
            F("lab", "Potassium and magnesium", "K 4.1 mmol/L; Mg 0.8 mmol/L", D(2026, 8, 11)),
        ],
        [{"objective_findings[0]"}, {"prior_treatments[0]"}, {"objective_findings[1]"}],
        extra=_with_service(
            person(D(1970, 5, 5), "Endocrinology"),
            "Enoxaparin 100 mg/1 mL prefilled syringe, 100 mg subcutaneously once daily",
        ),
        expect=[None, "met", "not_met"],
    ),
    Family(
        "growth-held",
        "heldout",
        D(2026, 7, 7),
        [
            P("Member younger than 21 years"),
            P("Echocardiogram and BNP within the past 6 months"),
            P("Bone age radiograph showing open epiphyses"),
        ],
        [],
        [
            F("lab", "BNP", "88 pg/mL", D(2026, 5, 30)),
            F(
                "imaging",
                "Bone age radiograph",
                "Scheduled for 2026-07-20; not yet performed",
                D(2026, 7, 1),
            ),
        ],
        [{"patient.date_of_birth"}, {"objective_findings[0]"}, {"objective_findings[1]"}],
        extra=person(D(2009, 1, 22), "Pediatric Endocrinology"),
        expect=["met", None, "not_met"],
    ),
]
