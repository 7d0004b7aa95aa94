"""Labelled families for requirements a verdict must fit to the record exactly: a distance or a
travel time against a network standard, a percentage against its floor, the interval since a
last dose or procedure against a minimum spacing, a named scale against its cut-off (another
scale is no answer), a team whose every named member must be shown (the signer's own specialty
is one member, never the team), and a qualifier ('recurrent', 'refractory', 'progressive') the
record must state itself (a finding about another lesion or episode is no evidence for this one).

The held-out families were written with the tuned ones on 2026-12-06, before the verdict code was
changed for these kinds, and were not looked at while changing it. The status families at the
end (a criterion naming a condition or status the notice found not met, the lead's blind kind)
were written after the head-term rule, from the kind's description, and not tuned on. Keys name
the facts that answer each criterion; an empty key means no fact of the case answers it (any
evidence is wrong).
"""

from __future__ import annotations

import datetime as dt

from evals.reasoning.cases import F, Family, R, T

D = dt.date

FIT_FAMILIES: list[Family] = [
    # ----------------------------------------------------------------------------- tuned
    Family(
        "mfm-distance",
        "tune",
        D(2026, 11, 10),
        [
            (
                "No in-network maternal-fetal medicine specialist is available within 30 miles "
                "of the member's home",
                "all",
                [
                    R(
                        "threshold",
                        "distance to the nearest in-network provider",
                        ">",
                        30,
                        "miles",
                        span="within 30 miles",
                    )
                ],
            ),
        ],
        [],
        [
            F("other", "Distance to nearest in-network MFM practice", "58 miles (70 minutes)"),
            F("vital", "Blood pressure", "118/74 mmHg", D(2026, 10, 30)),
        ],
        [{"objective_findings[0]"}],
        expect=["met"],
    ),
    Family(
        "rfa-relief",
        "tune",
        D(2026, 11, 2),
        [
            (
                "At least 80% pain relief after each of two diagnostic genicular nerve blocks",
                "all",
                [R("threshold", "pain relief", ">=", 80, "%", span="At least 80%")],
            ),
        ],
        [
            T(
                "Meloxicam",
                "medication",
                D(2025, 3, 1),
                D(2026, 6, 1),
                dose="15 mg",
                frequency="once daily",
                outcome="Partial relief",
            )
        ],
        [
            F("other", "Pain relief after first genicular nerve block", "70%", D(2026, 9, 10)),
            F("other", "Pain relief after second genicular nerve block", "75%", D(2026, 10, 1)),
            F("rating_scale", "Pain NRS", "7/10", D(2026, 10, 20)),
        ],
        [{"objective_findings[0]", "objective_findings[1]"}],
        expect=["not_met"],
    ),
    Family(
        "botox-interval",
        "tune",
        D(2026, 11, 20),
        [
            (
                "Injections are given no more often than every 12 weeks",
                "all",
                [
                    R(
                        "duration",
                        "interval since the last injection",
                        ">=",
                        12,
                        "weeks",
                        span="no more often than every 12 weeks",
                    )
                ],
            ),
        ],
        [
            T(
                "OnabotulinumtoxinA 200 units (cervical muscles)",
                "procedure",
                D(2026, 8, 10),
                D(2026, 8, 10),
                outcome="Head tremor and pain improved for 10 weeks",
            ),
            T(
                "Baclofen",
                "medication",
                D(2025, 5, 1),
                D(2025, 9, 1),
                dose="10 mg",
                frequency="three times daily",
                outcome="Sedation",
            ),
        ],
        [],
        [{"prior_treatments[0]"}],
        extra={
            "service": {
                "description": "OnabotulinumtoxinA injection for cervical dystonia",
                "details": "Next injection scheduled 11/16/2026",
            }
        },
        expect=["met"],
    ),
    Family(
        "dystonia-score",
        "tune",
        D(2026, 11, 20),
        [
            (
                "A TWSTRS severity score of at least 15 documented before treatment",
                "all",
                [R("threshold", "TWSTRS severity", ">=", 15, None, span="at least 15")],
            ),
        ],
        [],
        [
            F("rating_scale", "PHQ-9", "16", D(2026, 10, 1)),
            F("rating_scale", "TWSTRS severity subscale", "22", D(2026, 10, 1)),
        ],
        [{"objective_findings[1]"}],
        expect=["met"],
    ),
    Family(
        "two-surgeons",
        "tune",
        D(2026, 11, 20),
        [
            (
                "Evaluation by two cardiac surgeons",
                "all",
                [
                    R(
                        "specialist",
                        "two cardiac surgeons",
                        span="Evaluation by two cardiac surgeons",
                    )
                ],
            ),
        ],
        [],
        [],
        [{"physician.specialty", "clinical_summary[1]"}],
        summary=(
            "I evaluated her on 2026-10-02; her STS predicted mortality is 8.2%. "
            "A second cardiac surgeon, Dr. Ana Ruiz, evaluated her on 2026-10-09 and judged her "
            "at high risk for open surgery."
        ),
        extra={"physician": {"name": "Paul Ito", "specialty": "Cardiac Surgery"}},
        expect=["met"],
    ),
    Family(
        "bcc-recurrent",
        "tune",
        D(2026, 11, 20),
        [
            (
                "Recurrent basal cell carcinoma of the face",
                "all",
                [R("other", "recurrent basal cell carcinoma of the face")],
            ),
        ],
        [
            T(
                "Excision of right cheek basal cell carcinoma",
                "procedure",
                D(2023, 4, 1),
                D(2023, 4, 1),
                outcome="Clear margins",
            )
        ],
        [
            F(
                "lab",
                "Shave biopsy, left nasal ala (specimen B)",
                "Nodular basal cell carcinoma, previously untreated",
                D(2026, 10, 2),
            ),
        ],
        [set()],
    ),
    # ----------------------------------------------------------------------------- held out
    Family(
        "neurosurgery-travel-time",
        "heldout",
        D(2026, 11, 12),
        [
            (
                "The member's travel time to the nearest in-network provider exceeds 60 minutes",
                "all",
                [R("threshold", "travel time", ">", 60, "minutes", span="exceeds 60 minutes")],
            ),
        ],
        [],
        [F("lab", "Hemoglobin", "12.9 g/dL", D(2026, 10, 1))],
        [{"clinical_summary[0]"}],
        summary=(
            "The closest in-network pediatric neurosurgeon practices in Fresno, a 95-minute drive "
            "from the family's home. "
            "He has had two shunt revisions."
        ),
        expect=["met"],
    ),
    Family(
        "sleep-center-distance",
        "heldout",
        D(2026, 11, 12),
        [
            (
                "The nearest participating sleep center is more than 50 miles from the member",
                "all",
                [R("threshold", "distance", ">", 50, "miles", span="more than 50 miles")],
            ),
        ],
        [],
        [
            F("other", "Distance to nearest participating sleep center", "22 miles"),
            F("rating_scale", "Epworth Sleepiness Scale", "15", D(2026, 9, 1)),
        ],
        [{"objective_findings[0]"}],
        expect=["not_met"],
    ),
    Family(
        "esi-relief",
        "heldout",
        D(2026, 11, 12),
        [
            (
                "Documented improvement of at least 50% in pain after the prior injection",
                "all",
                [R("threshold", "improvement in pain", ">=", 50, "%", span="at least 50%")],
            ),
        ],
        [],
        [
            F("rating_scale", "Oswestry Disability Index", "40%", D(2026, 10, 1)),
            F(
                "other",
                "Pain relief after L4-5 epidural steroid injection",
                "60% for 4 months",
                D(2026, 3, 2),
            ),
        ],
        [{"objective_findings[1]"}],
        expect=["met"],
    ),
    Family(
        "ha-interval",
        "heldout",
        D(2026, 11, 20),
        [
            (
                "Repeat injections no sooner than 6 months after the prior series",
                "all",
                [
                    R(
                        "duration",
                        "interval since the prior series",
                        ">=",
                        6,
                        "months",
                        span="no sooner than 6 months after the prior series",
                    )
                ],
            ),
        ],
        [
            T(
                "Hyaluronic acid injection series, right knee (3 injections)",
                "procedure",
                D(2026, 6, 17),
                D(2026, 7, 1),
                outcome="Relief for 3 months",
            ),
        ],
        [],
        [{"prior_treatments[0]"}],
        extra={"service": {"details": "Repeat series requested to start 11/20/2026"}},
        expect=["not_met"],
    ),
    Family(
        "moca-score",
        "heldout",
        D(2026, 11, 20),
        [
            (
                "A Montreal Cognitive Assessment score below 26",
                "all",
                [R("threshold", "Montreal Cognitive Assessment", "<", 26, None, span="below 26")],
            ),
        ],
        [],
        [
            F("rating_scale", "MMSE", "27", D(2026, 9, 1)),
            F("rating_scale", "MoCA", "21", D(2026, 10, 3)),
        ],
        [{"objective_findings[1]"}],
        expect=["met"],
    ),
    Family(
        "heart-team",
        "heldout",
        D(2026, 11, 20),
        [
            (
                "Evaluation by a heart team including an interventional cardiologist and a "
                "cardiac surgeon",
                "all",
                [
                    R(
                        "specialist",
                        "heart team",
                        span="Evaluation by a heart team including an interventional "
                        "cardiologist and a cardiac surgeon",
                    )
                ],
            ),
        ],
        [],
        [],
        [{"physician.specialty", "clinical_summary[0]"}],
        summary=(
            "Dr. Lee of cardiothoracic surgery evaluated her on 2026-10-02 and judged her at high "
            "surgical risk. "
            "She lives with her daughter."
        ),
        extra={"physician": {"name": "Mina Park", "specialty": "Interventional Cardiology"}},
        expect=["met"],
    ),
    Family(
        "hernia-recurrent",
        "heldout",
        D(2026, 11, 20),
        [
            (
                "Recurrent incisional hernia after a prior repair",
                "all",
                [R("other", "recurrent incisional hernia")],
            ),
        ],
        [
            T(
                "Open umbilical hernia repair",
                "procedure",
                D(2019, 5, 2),
                D(2019, 5, 2),
                outcome="No recurrence",
            ),
        ],
        [
            F(
                "imaging",
                "CT abdomen",
                "6 cm midline incisional hernia below a 2024 laparotomy scar; first presentation",
                D(2026, 10, 2),
            ),
        ],
        [set()],
    ),
    # ------------------------------------------------ held out: a status the notice found not met
    Family(
        "wcd-status",
        "heldout",
        D(2026, 11, 20),
        [
            (
                "A documented familial or inherited condition with a high risk of "
                "life-threatening ventricular tachyarrhythmia",
                "all",
                [
                    R(
                        "other",
                        "familial or inherited condition with a high risk of "
                        "life-threatening ventricular tachyarrhythmia",
                    )
                ],
            ),
            (
                "The member is listed for heart transplantation",
                "all",
                [R("other", "listed for heart transplantation")],
            ),
            (
                "A previously implanted defibrillator now requires explantation",
                "all",
                [R("other", "previously implanted defibrillator now requires explantation")],
            ),
        ],
        [],
        [
            F("imaging", "Echocardiogram", "LVEF 25%", D(2026, 9, 29)),
            F(
                "other",
                "Inpatient telemetry",
                "Three runs of nonsustained ventricular tachycardia",
                D(2026, 9, 29),
            ),
            F("other", "Wear-time report", "22.8 hours a day over 45 days", D(2026, 11, 17)),
        ],
        [set(), set(), set()],
        summary=(
            "Coronary angiogram showed no obstructive disease. "
            "He has worn the wearable cardioverter-defibrillator consistently since discharge."
        ),
        payer=["not_met", "not_met", "not_met"],
    ),
    Family(
        "transplant-listed",
        "heldout",
        D(2026, 11, 20),
        [
            (
                "The member is listed for heart transplantation or awaiting an LVAD",
                "all",
                [R("other", "listed for heart transplantation or awaiting an LVAD")],
            ),
        ],
        [],
        [F("other", "Telemetry", "Nonsustained ventricular tachycardia", D(2026, 10, 1))],
        [{"clinical_summary[0]"}],
        summary=(
            "She was placed on the UNOS heart transplant waiting list on 2026-09-01. "
            "Her mother helps with her medications."
        ),
        payer=["not_met"],
        expect=["met"],
    ),
]
