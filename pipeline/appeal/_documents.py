"""What every appeal document shares: the facts it is held to and its validation.

Each document (request letter, escalation cover letter, fax cover sheet) is built with an
:class:`~pipeline.models.AppealFacts` and checked by the validator's ``Scope.appeal`` checks
(``pipeline/validate/checks/appeal.py``) through :func:`validate_document`.
"""

from __future__ import annotations

import datetime as dt
import re

from .. import letter_format as lf
from ..models import (
    AppealFacts,
    CaseFacts,
    DenialAnalysis,
    Draft,
    PlanType,
    RunInfo,
    ValidationReport,
)
from ._specs import Authority, PlanSpec, all_specs

MISSING = "[MISSING: {field}]"


def split_citations(citation: str) -> list[str]:
    """'45 CFR 147.136(b)(2)(i); 29 CFR 2560.503-1(h)(3)(i)' -> both citations."""
    return [c.strip() for c in citation.split(";") if c.strip()]


def _base(citation: str) -> str:
    """The section a citation names: '29 CFR 2560.503-1(h)(3)(i)' -> '29 CFR 2560.503-1'."""
    return re.split(r"[(,]", citation, maxsplit=1)[0].strip()


def _spec_bases(spec: PlanSpec) -> set[str]:
    return {_base(c) for cited in spec.cites() for c in split_citations(cited)}


def foreign_law(spec: PlanSpec) -> list[str]:
    """Sections other plan types cite (their programs included) that ``spec`` never cites;
    none for the unknown plan type, whose letters may cite any."""
    if spec.plan_type == PlanType.unknown:
        return []
    own = _spec_bases(spec)
    others: set[str] = set()
    for plan, other in all_specs().items():
        if plan in (spec.plan_type, PlanType.unknown):
            continue
        for variant in [other, *(other.for_letter(p.when[0]) for p in other.programs)]:
            others |= _spec_bases(variant)
    return sorted(others - own)


def law_lines(authorities: list[Authority]) -> list[str]:
    """'- **29 CFR 2560.503-1(h)(2)(iii)**: the rule' for each."""
    return [f"- **{a.citation}**: {a.rule}" for a in authorities]


def identifiers(analysis: DenialAnalysis, case: CaseFacts) -> dict[str, str]:
    """The identifiers every appeal document states, each from the case file or the letter;
    a missing one is a placeholder naming the case-file field that fills it."""
    values = {
        "patient name": (case.patient.name, "patient.name"),
        "member ID": (case.patient.member_id or analysis.member_id, "patient.member_id"),
        "claim or reference number": (
            analysis.claim_number or case.claim_reference,
            "claim_reference",
        ),
        "plan": (case.insurer or analysis.insurer, "insurer"),
    }
    return {label: value or MISSING.format(field=f) for label, (value, f) in values.items()}


def addressed(name: str, address: str) -> str:
    """'Plan, address', without the plan's name twice when the address starts with it."""
    return address if address.casefold().startswith(name.casefold()) else f"{name}, {address}"


def id_table(ids: dict[str, str], plan_title: str, *rows: tuple[str, str]) -> list[str]:
    """The identification table every appeal document opens with, then ``rows``."""
    return [
        "| | |",
        "|---|---|",
        f"| Patient | {ids['patient name']} |",
        f"| Member ID | {ids['member ID']} |",
        f"| Claim or reference number | {ids['claim or reference number']} |",
        f"| Plan | {ids['plan']} ({plan_title}) |",
        *(f"| {label} | {value} |" for label, value in rows),
    ]


def signer(case: CaseFacts) -> tuple[str, list[str]]:
    """The physician's signed name ('Name, MD') and the signature block's lines."""
    doc = case.physician
    name = doc.name or MISSING.format(field="physician.name")
    signed = f"{name}, {doc.credentials}" if doc.credentials else name
    extra = (doc.specialty, doc.practice_name, doc.address)
    lines = [signed, *(v for v in extra if v)]
    lines += [f"{label} {v}" for label, v in (("Phone", doc.phone), ("Fax", doc.fax)) if v]
    return signed, [f"{line}  " for line in lines]


def case_dates(
    analysis: DenialAnalysis, case: CaseFacts, letter_text: str, *more: dt.date | None
) -> list[dt.date]:
    """The dates a document may state besides its deadlines: every date of the denial letter
    (its date, dates of service, a policy's effective date), of the case file, and ``more``."""
    from ..text.dates import find_dates

    found = [d for d, _ in find_dates(letter_text + "\n" + case.model_dump_json())]
    return list(dict.fromkeys([*found, *(d for d in (analysis.letter_date, *more) if d)]))


def document_draft(
    markdown: str,
    analysis: DenialAnalysis,
    case: CaseFacts,
    letter_text: str,
    today: dt.date,
    validation: ValidationReport | None = None,
) -> Draft:
    """An appeal document with the denial and case it was written from, as the validator and the
    exporters read a document (no passages: appeal documents cite law from the specs)."""
    return Draft(
        markdown=markdown,
        analysis=analysis,
        case=case,
        passages=[],
        letter_text=letter_text,
        run=RunInfo(engine="appeal", created=today),
        validation=validation,
    )


def validate_document(
    markdown: str,
    facts: AppealFacts,
    analysis: DenialAnalysis,
    case: CaseFacts,
    letter_text: str,
    today: dt.date,
) -> ValidationReport:
    """Run the validator's appeal checks on an appeal document."""
    from ..validate import Context, Scope, parse_document, registered, run

    draft = document_draft(markdown, analysis, case, letter_text, today)
    ctx = Context(
        draft=draft,
        doc=parse_document(markdown, lf.criterion_names(analysis.criteria)),
        appeal=facts,
    )
    return ValidationReport(findings=run(ctx, registered(Scope.appeal)))
