"""Typed requirements for the bundled tms-erisa and tka-aca denials, written by hand from the
worked examples in /work/shared/docs/target-letters (until the requirement parser fills them)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.casefile import load_case
from pipeline.engines import OfflineEngine
from pipeline.extract import extract
from pipeline.ingest import ingest
from pipeline.models import CaseFacts, Criterion, CriterionVerdict, DenialAnalysis, Requirement
from pipeline.reasoning import evaluate
from pipeline.requirements import parse_requirements

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def R(
    kind: str,
    subject: str,
    cmp: str | None = None,
    value: float | None = None,
    unit: str | None = None,
    **kw: object,
) -> Requirement:
    return Requirement(
        kind=kind,
        subject=subject,
        comparator=cmp,
        value=value,
        unit=unit,
        span=kw.pop("span", subject),
        **kw,
    )  # type: ignore[arg-type]


TMS: list[tuple[str, list[Requirement]]] = [
    (
        "any",
        [
            R(
                "trial_count",
                "antidepressant medication trials",
                ">=",
                4,
                "trials",
                window="during the current depressive episode",
                span="failure of 4 or more antidepressant medication trials",
            ),
            R(
                "class_count",
                "pharmacologic classes",
                ">=",
                2,
                "classes",
                window="during the current depressive episode",
            ),
            R(
                "duration",
                "adequate dose",
                ">=",
                6,
                "weeks",
                each=True,
                window="during the current depressive episode",
            ),
            R(
                "trial_count",
                "intolerance to antidepressant medications",
                ">=",
                4,
                "medications",
                branch=1,
                span="intolerance to 4 or more antidepressant medications",
            ),
        ],
    ),
    (
        "any",
        [
            R(
                "trial_count",
                "augmentation with a second-generation antipsychotic, lithium, or thyroid hormone",
                ">=",
                1,
                "trials",
                span="Failure of augmentation",
            ),
            R("duration", "augmentation at a therapeutic dose", ">=", 6, "weeks"),
            R("statement", "documented intolerance or contraindication to augmentation", branch=1),
        ],
    ),
    (
        "all",
        [
            R(
                "trial_count",
                "evidence-based psychotherapy",
                ">=",
                1,
                "trials",
                span="Failure of an evidence-based psychotherapy",
            ),
            R("duration", "psychotherapy of adequate frequency and duration"),
            R(
                "concurrency",
                "antidepressant pharmacotherapy",
                span="delivered concurrently with antidepressant pharmacotherapy",
            ),
        ],
    ),
    (
        "all",
        [
            R(
                "absence",
                "active substance use disorder (excluding nicotine)",
                window="within the past 6 months",
            ),
        ],
    ),
]

TKA: list[tuple[str, list[Requirement]]] = [
    (
        "all",
        [
            R("duration", "nonoperative management", ">=", 3, "months"),
            R(
                "trial_count",
                "supervised physical therapy or a documented structured home exercise program",
                ">=",
                1,
                "trials",
                span="including supervised physical therapy or a documented structured home "
                "exercise program",
            ),
        ],
    ),
    (
        "any",
        [
            R(
                "duration",
                "pharmacologic therapy with oral or topical NSAIDs or acetaminophen",
                ">=",
                3,
                "months",
            ),
            R("statement", "contraindicated or not tolerated", branch=1),
        ],
    ),
    (
        "all",
        [
            R(
                "trial_count",
                "intra-articular injection (corticosteroid or hyaluronic acid)",
                ">=",
                1,
                "injections",
            ),
        ],
    ),
    (
        "all",
        [
            R("test_done", "weight-bearing radiographs"),
            R("time_window", "radiographs", "<=", 12, "months", window="within the past 12 months"),
            R("threshold", "Kellgren-Lawrence grade", ">=", 3, "grade"),
        ],
    ),
    (
        "all",
        [
            R(
                "test_done",
                "functional limitation documented using a validated instrument",
                span="documented using a validated instrument",
            ),
        ],
    ),
]


def load(
    name: str, spec: list[tuple[str, list[Requirement]]]
) -> tuple[DenialAnalysis, CaseFacts, str]:
    """The example's analysis (offline extraction) with the hand-built requirements."""
    letter = ingest(EXAMPLES / name / "letter.txt")
    analysis = extract(letter, OfflineEngine())
    criteria = [
        Criterion.model_validate(
            {**c.model_dump(), "logic": logic, "requirements": [r.model_dump() for r in reqs]}
        )
        for c, (logic, reqs) in zip(analysis.criteria, spec, strict=True)
    ]
    case = load_case(EXAMPLES / name / "case.yaml")
    return analysis.model_copy(update={"criteria": criteria}), case, letter.text


def finding_row(kind: str, name: str, value: str, date: str) -> dict[str, str]:
    """One case ``objective_findings`` entry, as a case file writes it."""
    return {"kind": kind, "name": name, "value": value, "date": date}


def verdict_of(
    text: str,
    case: dict,
    *,
    letter_date: dt.date,
    as_of: dt.date,
    service_dates: list[dt.date] | None = None,
    **criterion: object,
) -> CriterionVerdict:
    """The computed verdict of one criterion read from ``text`` (rules' requirements) for a
    case given as a dict, in a notice dated ``letter_date`` read on ``as_of``."""
    requirements, logic = parse_requirements(text)
    analysis = DenialAnalysis(
        criteria=[Criterion(text=text, requirements=requirements, logic=logic, **criterion)],
        letter_date=letter_date,
        service_dates=service_dates or [],
    )
    return evaluate(analysis, CaseFacts.model_validate(case), as_of=as_of)[0]
