"""Labelled families for four wrong-verdict shapes of the blind letters of stop 33 (issue 17):

(a) a one-of route met by a fact of another kind (a leave of absence for 'suicidal ideation with
    intent', a FRAX probability for 'a decline in BMD of 5%', one risk score for another), or by
    a fact the record negates ('no active ideation, intent or plan');
(b) a window anchored to the wrong date: the notice's date for 'within 90 days before the first
    dose', a reading taken after the anchor for 'the most recent visit before the request', a
    'no myocardial infarction within the 12 months before the first dose' argued without the
    event's own date (the note that reports it is dated later);
(d) a duration from the wrong dates: each course's own start and end, never another course's or
    the request's date.

The requirements are typed as the rules type the criterion's words (``parse_requirements``).
Keys name the facts that answer each criterion (for or against; a result dated after the anchor
answers no window before it; of a one-of criterion a route meets, the facts of the routes that
meet it, as the route families key them: an alternative not relied on is not argued);
``expect`` gives a status only where the record settles it.

Both slices were written on 2026-12-07 before any code for these shapes was changed; the held-out
families were not looked at while the code was changed, except that one held-out verdict listing
(laao-anchors) was printed once after the event-date code was written (nothing was changed from
it). After the code, the keys of the four one-of criteria a route meets were narrowed to the
meeting routes' facts (the route families' convention; they had also named the facts against
the routes not relied on); the figures before the code are given both ways in the commit.
On 2026-12-08 (evidence lane) laao-anchors and infusion-anchors moved to the tuned slice to read
their misses, and two new held-out families of the same shapes (portal-anchors-held,
cidp-anchors-held) were written before they were read.
"""

from __future__ import annotations

import datetime as dt

from evals.reasoning.cases import F, Family, T
from evals.reasoning.shape_families import P, person

D = dt.date


ANCHOR_FAMILIES: list[Family] = [
    # ----------------------------------------------------------------------------- tuned
    Family(  # (a) route kinds, (b) first-dose anchor and event date: a post-service bone claim
        "bone-anchors",
        "tune",
        D(2026, 9, 10),
        [
            P(
                "High risk of fracture, demonstrated by ONE of: (a) a decline in BMD of at least "
                "5% at the lumbar spine after at least 12 months of bisphosphonate therapy; OR "
                "(b) a T-score of -3.0 or lower; OR (c) a FRAX 10-year probability of major "
                "osteoporotic fracture of 20% or more."
            ),
            P("No myocardial infarction within the 12 months before the first dose."),
            P(
                "Serum 25-hydroxyvitamin D of 20 ng/mL or higher, measured within 60 days "
                "before the first dose."
            ),
        ],
        [
            T(
                "Risedronate",
                "medication",
                D(2023, 9, 1),
                D(2026, 3, 15),
                dose="35 mg",
                frequency="once weekly",
                outcome="Inadequate response: lumbar spine BMD fell on therapy",
            ),
            T(
                "Atorvastatin",
                "medication",
                D(2024, 12, 5),
                None,
                dose="80 mg",
                frequency="once daily",
                outcome="Continued",
            ),
        ],
        [
            F("imaging", "DXA lumbar spine", "BMD 0.842 g/cm2; T-score -2.7", D(2026, 3, 2)),
            F(
                "imaging",
                "DXA lumbar spine (baseline, same densitometer)",
                "BMD 0.900 g/cm2; T-score -2.3",
                D(2024, 2, 20),
            ),
            F(
                "rating_scale",
                "FRAX (US, with femoral neck BMD)",
                "10-year major osteoporotic fracture 17%; hip fracture 2.9%",
                D(2026, 3, 2),
            ),
            F(
                "other",
                "Cardiology note",
                "Non-ST-elevation myocardial infarction on 2024-11-30, stented; no angina since",
                D(2026, 4, 2),
            ),
            F("lab", "25-hydroxyvitamin D", "31 ng/mL", D(2026, 2, 11)),
            F("lab", "25-hydroxyvitamin D", "36 ng/mL", D(2026, 7, 20)),
            F("lab", "Hemoglobin A1c", "5.9 %", D(2026, 5, 28)),
        ],
        [
            {"prior_treatments[0]", "objective_findings[0]", "objective_findings[1]"},
            {"objective_findings[3]"},
            {"objective_findings[4]"},
        ],
        extra=person(D(1958, 6, 2), "Endocrinology"),
        expect=["met", "met", "not_met"],
        service_dates=[D(2026, 6, 10), D(2026, 7, 8)],
    ),
    Family(  # (a) a route the record negates, (b) a reading after the anchor, (d) per course
        "tms-anchors",
        "tune",
        D(2026, 11, 10),
        [
            P(
                "Treatment resistance, ONE of the following: A. inadequate response to at least "
                "2 antidepressants from different classes, each for at least 6 weeks; OR B. "
                "current active suicidal ideation with intent or plan."
            ),
            P(
                "Blood pressure at or below 140/90 mmHg at the most recent visit before the "
                "request."
            ),
            P("Psychotherapy for at least 8 weeks during the current episode."),
        ],
        [
            T(
                "Sertraline",
                "medication",
                D(2026, 1, 5),
                D(2026, 3, 16),
                dose="200 mg",
                frequency="once daily",
                outcome="Inadequate response",
            ),
            T(
                "Bupropion XL",
                "medication",
                D(2026, 3, 23),
                D(2026, 5, 18),
                dose="450 mg",
                frequency="once daily",
                outcome="Inadequate response",
            ),
            T(
                "Cognitive behavioral therapy",
                "therapy",
                D(2026, 6, 1),
                D(2026, 7, 13),
                frequency="weekly",
                outcome="No remission",
            ),
        ],
        [
            F(
                "rating_scale",
                "Columbia Suicide Severity Rating Scale (screen)",
                "Passive wish to be dead; no active suicidal ideation, intent or plan",
                D(2026, 10, 20),
            ),
            F("vital", "Blood pressure (seated)", "136/86 mmHg", D(2026, 10, 20)),
            F("vital", "Blood pressure (seated)", "152/96 mmHg", D(2026, 11, 12)),
            F("rating_scale", "PHQ-9", "21", D(2026, 10, 20)),
        ],
        [
            {"prior_treatments[0]", "prior_treatments[1]"},
            {"objective_findings[1]"},
            {"prior_treatments[2]"},
        ],
        summary=(
            "She has been on medical leave from work since 2026-08-01. "
            "She lives with her husband, who drives her to appointments."
        ),
        extra=person(D(1979, 2, 14), "Psychiatry"),
        expect=["met", "met", "not_met"],
    ),
    # ----------------------------------------------------------------------------- held out
    Family(  # (a) one risk score for another, (b) planned-procedure anchor and event date
        "laao-anchors",
        "tune",
        D(2026, 11, 20),
        [
            P(
                "Elevated risk, demonstrated by ONE of: (a) a CHA2DS2-VASc score of 3 or more; "
                "OR (b) a major bleed while on anticoagulation; OR (c) a HAS-BLED score of 3 or "
                "more."
            ),
            P("No stroke within the 6 months before the procedure."),
            P("Hemoglobin of 10 g/dL or higher, measured within the 30 days before the procedure."),
        ],
        [
            T(
                "Apixaban",
                "medication",
                D(2025, 6, 1),
                D(2026, 5, 10),
                dose="5 mg",
                frequency="twice daily",
                outcome="Stopped after a gastrointestinal bleed",
            ),
        ],
        [
            F("rating_scale", "CHA2DS2-VASc", "4", D(2026, 10, 1)),
            F("rating_scale", "HAS-BLED", "2", D(2026, 10, 1)),
            F(
                "other",
                "Gastroenterology discharge summary",
                "Major gastrointestinal bleed on apixaban on 2026-05-10; transfused 2 units",
                D(2026, 5, 14),
            ),
            F(
                "other",
                "Neurology note",
                "Left MCA ischemic stroke on 2026-03-02; modified Rankin scale 1",
                D(2026, 9, 10),
            ),
            F("lab", "Hemoglobin", "12.1 g/dL", D(2026, 11, 25)),
            F("lab", "Hemoglobin", "8.9 g/dL", D(2026, 5, 11)),
            F("vital", "Heart rate", "72 beats per minute", D(2026, 10, 1)),
        ],
        [
            {"prior_treatments[0]", "objective_findings[0]", "objective_findings[2]"},
            {"objective_findings[3]"},
            {"objective_findings[4]"},
        ],
        extra=person(D(1949, 8, 30), "Cardiology"),
        expect=["met", "met", "met"],
        service_dates=[D(2026, 12, 15)],
    ),
    Family(  # (a) a negated route, (b) first-infusion anchor after the fact, (d) per course
        "infusion-anchors",
        "tune",
        D(2026, 11, 15),
        [
            P(
                "Disease progression demonstrated by ONE of: A. new lesions on bone scan; OR B. "
                "radiographic progression of measurable disease on CT."
            ),
            P(
                "Serum creatinine of 1.5 mg/dL or lower, measured within the 14 days before the "
                "first infusion."
            ),
            P("Androgen deprivation therapy for at least 6 months."),
        ],
        [
            T(
                "Leuprolide",
                "medication",
                D(2025, 11, 3),
                D(2026, 2, 2),
                dose="22.5 mg",
                frequency="every 3 months",
                outcome="Switched for injection-site reactions",
            ),
            T(
                "Degarelix",
                "medication",
                D(2026, 2, 2),
                D(2026, 9, 21),
                dose="80 mg",
                frequency="monthly",
                outcome="Progression",
            ),
        ],
        [
            F("imaging", "Bone scan", "No new osseous lesions", D(2026, 9, 8)),
            F(
                "imaging",
                "CT chest, abdomen and pelvis",
                "Retroperitoneal nodes enlarged from 14 mm to 23 mm; progression",
                D(2026, 9, 8),
            ),
            F("lab", "Serum creatinine", "1.1 mg/dL", D(2026, 9, 30)),
            F("lab", "Serum creatinine", "1.8 mg/dL", D(2026, 10, 27)),
            F("rating_scale", "ECOG performance status", "1", D(2026, 9, 30)),
        ],
        [
            {"objective_findings[1]"},
            {"objective_findings[2]"},
            {"prior_treatments[0]", "prior_treatments[1]"},
        ],
        summary="He has been on leave from work for 14 weeks.",
        extra=person(D(1955, 1, 19), "Medical Oncology"),
        expect=["met", "met", "met"],
        service_dates=[D(2026, 10, 6), D(2026, 10, 27)],
    ),
    # ------------------------------------------------- held out (written 2026-12-08)
    Family(  # (a) a route the record negates, another route met; (b) procedure anchor; (d)
        "portal-anchors-held",
        "heldout",
        D(2026, 11, 25),
        [
            P(
                "Portal hypertension, demonstrated by ONE of: (a) a hepatic venous pressure "
                "gradient of 10 mmHg or more; OR (b) varices on upper endoscopy; OR (c) a liver "
                "stiffness of 25 kPa or more on transient elastography."
            ),
            P(
                "Platelet count of 50,000/uL or higher, measured within the 14 days before the "
                "procedure."
            ),
            P("No variceal bleeding within the 6 months before the procedure."),
            P("A nonselective beta-blocker for at least 3 months."),
        ],
        [
            T(
                "Propranolol",
                "medication",
                D(2026, 4, 1),
                D(2026, 5, 20),
                dose="20 mg",
                frequency="twice daily",
                outcome="Switched for fatigue",
            ),
            T(
                "Carvedilol",
                "medication",
                D(2026, 6, 1),
                D(2026, 11, 20),
                dose="6.25 mg",
                frequency="twice daily",
                outcome="Continued until the procedure",
            ),
        ],
        [
            F("other", "Upper endoscopy", "No esophageal or gastric varices", D(2026, 8, 12)),
            F(
                "imaging",
                "Transient elastography",
                "Liver stiffness 31 kPa; controlled attenuation parameter 320 dB/m",
                D(2026, 8, 12),
            ),
            F("lab", "Platelet count", "41,000/uL", D(2026, 11, 2)),
            F("lab", "Platelet count", "62,000/uL", D(2026, 12, 1)),
            F("lab", "Platelet count", "70,000/uL", D(2026, 12, 14)),
            F(
                "other",
                "Gastroenterology discharge summary",
                "Variceal bleed on 2026-03-05, treated with band ligation",
                D(2026, 3, 10),
            ),
        ],
        [
            {"objective_findings[1]"},
            {"objective_findings[3]"},
            {"objective_findings[5]"},
            {"prior_treatments[0]", "prior_treatments[1]"},
        ],
        extra=person(D(1962, 9, 9), "Hepatology"),
        expect=["met", "met", "met", "met"],
        service_dates=[D(2026, 12, 10)],
    ),
    Family(  # (a) a route the record negates; (b) first-infusion anchor; (d) per course
        "cidp-anchors-held",
        "heldout",
        D(2026, 11, 10),
        [
            P(
                "Diagnosis confirmed by ONE of: A. nerve conduction studies meeting EFNS/PNS "
                "electrodiagnostic criteria; OR B. cerebrospinal fluid protein above 45 mg/dL."
            ),
            P("Serum IgA level measured within 60 days before the first infusion."),
            P("Corticosteroids for at least 12 weeks."),
        ],
        [
            T(
                "Prednisone",
                "medication",
                D(2026, 3, 2),
                D(2026, 4, 6),
                dose="60 mg",
                frequency="once daily",
                outcome="Stopped for hyperglycemia",
            ),
            T(
                "Methylprednisolone pulses",
                "medication",
                D(2026, 5, 4),
                D(2026, 8, 17),
                dose="1 g",
                frequency="once weekly",
                outcome="Inadequate response",
            ),
        ],
        [
            F(
                "other",
                "Nerve conduction studies",
                "Meets EFNS/PNS electrodiagnostic criteria for definite CIDP",
                D(2026, 2, 20),
            ),
            F(
                "other",
                "Lumbar puncture",
                "Declined by the patient; no CSF obtained",
                D(2026, 2, 27),
            ),
            F("lab", "Serum IgA", "180 mg/dL", D(2026, 10, 5)),
            F("lab", "Serum IgA", "175 mg/dL", D(2026, 11, 25)),
            F("rating_scale", "INCAT disability score", "5", D(2026, 10, 5)),
        ],
        [
            {"objective_findings[0]"},
            {"objective_findings[2]"},
            {"prior_treatments[0]", "prior_treatments[1]"},
        ],
        extra=person(D(1958, 4, 17), "Neurology"),
        expect=["met", "met", "met"],
        service_dates=[D(2026, 11, 20)],
    ),
]
