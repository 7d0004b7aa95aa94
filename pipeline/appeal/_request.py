"""`lmn request`: the letter asking the payer for the claim file, the criteria relied on (with
version), the reviewers' credentials and any internal rule, citing the law of the plan type,
addressed to the appeal address or fax the denial gives. It says that the request does not stop
the appeal clock, and states the computed deadline."""

from __future__ import annotations

import datetime as dt

from ..letter_format import fmt_date
from ..models import AppealFacts, CaseFacts, DenialAnalysis
from ._contact import appeal_contact
from ._documents import (
    MISSING,
    addressed,
    case_dates,
    foreign_law,
    id_table,
    identifiers,
    law_lines,
    signer,
    split_citations,
)
from ._schedule import AppealSchedule, schedule
from ._specs import plan_spec

CLOCK_STATEMENT = "does not stop or extend the time to appeal"


def _criteria_items(analysis: DenialAnalysis) -> list[str]:
    sources = list(dict.fromkeys(c.source for c in analysis.criteria if c.source))
    if sources:
        named = "; ".join(sources)
        return [
            f"The full text of each guideline, policy or criterion the denial applied ({named}): "
            "its name, the version or effective date applied, and the sections relied on, with "
            "the evidence the plan relied on in adopting it."
        ]
    return [
        "The full text of each guideline, policy or criterion the denial applied: its name, "
        "the version or effective date applied, and the sections relied on."
    ]


def request_letter(
    analysis: DenialAnalysis,
    case: CaseFacts,
    letter_text: str,
    today: dt.date,
    plan: AppealSchedule | None = None,
) -> tuple[str, AppealFacts]:
    """The request letter (Markdown) and the facts the validator holds it to."""
    plan = plan or schedule(analysis, letter_text)
    spec = plan_spec(analysis.plan_type).for_letter(letter_text)
    ids = identifiers(analysis, case)
    patient = ids["patient name"]
    contact = appeal_contact(letter_text, analysis)
    signed, sender = signer(case)
    to = ids["plan"]
    address = contact.address or MISSING.format(field="letter.appeal_address")
    recipient = addressed(to, address)
    internal = plan.internal
    filing = plan.deadline("internal_appeal.filing")
    denial_date = fmt_date(analysis.letter_date) if analysis.letter_date else "its date"
    reviewer = f" ({analysis.reviewer})" if analysis.reviewer else ""

    lines = [
        "# Request for the claim file and the criteria relied on",
        "",
        fmt_date(today),
        "",
        f"**To:** {recipient}  ",
    ]
    if contact.fax:
        lines.append(f"**By fax:** {contact.fax}  ")
    lines += [
        f"**From:** {signed}, on behalf of {patient}",
        "",
        *id_table(ids, spec.title, ("Date of the denial", denial_date)),
        "",
        "To the appeals department:",
        "",
        f"I am writing on behalf of my patient, {patient}, about your denial "
        f"dated {denial_date} (reference {ids['claim or reference number']}). To prepare the "
        f"{internal.name.lower()}, I request, free of charge, copies of the following:",
        "",
        "1. The complete claim file: every document, record and other information submitted, "
        "considered or generated in making the decision, including the reviewers' notes and "
        "any correspondence with a utilization review or benefit management vendor.",
        *[f"2. {item}" for item in _criteria_items(analysis)],
        f"3. The name, credentials, board certification and specialty of each person who "
        f"reviewed the request{reviewer}, and of any medical expert whose advice was obtained, "
        "whether or not the decision relied on that advice.",
        "4. Any internal rule, guideline, protocol or similar criterion relied on, and the "
        "explanation of the scientific or clinical judgment that applied the plan's terms to "
        "the patient's condition.",
        "",
        "## The law that entitles the patient to these documents",
        "",
        f"Plan type: {spec.title}. The following apply:",
        "",
        *law_lines(spec.records_law),
        "",
        "## The appeal deadline",
        "",
    ]
    if filing and filing.due:
        lines.append(
            f"This request {CLOCK_STATEMENT}. The {internal.name.lower()} must be filed by "
            f"{fmt_date(filing.due)} ({filing.window} from {_from(filing.counted_from)} of "
            f"{denial_date}; "
            f"{filing.citation}). Please send the documents promptly so that they can be "
            "considered before that date; the appeal will be filed on time whether or not "
            "they have arrived."
        )
    else:
        lines.append(
            f"This request {CLOCK_STATEMENT}. The appeal will be filed within the time the "
            "plan's documents allow whether or not these documents have arrived."
        )
    lines += [
        "",
        "Please send the documents to me at the address below"
        + (f" or by fax to {case.physician.fax}." if case.physician.fax else "."),
        "",
        "Sincerely,",
        "",
        *sender,
    ]
    markdown = "\n".join(lines).rstrip() + "\n"
    facts = AppealFacts(
        kind="request",
        plan_type=analysis.plan_type,
        identifiers={k: v for k, v in ids.items() if not v.startswith("[MISSING")},
        law=[c for a in spec.records_law for c in split_citations(a.citation)],
        foreign_law=foreign_law(spec),
        deadlines={"appeal": filing.due} if filing and filing.due else {},
        dates=case_dates(analysis, case, letter_text, today),
        phrases={"the request does not stop the appeal clock": CLOCK_STATEMENT},
    )
    return markdown, facts


def _from(counted_from: str) -> str:
    """'the denial notice, 2026-10-21' -> 'the denial notice' (the date is stated elsewhere)."""
    return counted_from.split(",")[0]
