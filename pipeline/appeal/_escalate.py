"""`lmn escalate`: the request for the next level of review (external review, the IRE, a state
fair hearing, OPM review, a state IMR) as a packet: a cover letter, the appeal letter, the
denial, the final denial and the enclosure list. Also the fax cover sheet for a document faxed
to the payer's appeal fax."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

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
    signer,
    split_citations,
)
from ._schedule import AppealSchedule, Events, schedule
from ._specs import plan_spec

_URGENT = "the standard time frame could seriously jeopardize the patient's life or health"


class PacketPart(BaseModel):
    """One document of the packet."""

    title: str
    markdown: str


class Packet(BaseModel):
    """The escalation packet: its parts in order (the cover letter first)."""

    level: str
    """The level requested, e.g. 'External review'."""
    due: dt.date | None
    """The last day to file it (None when the level is automatic)."""
    parts: list[PacketPart]

    def markdown(self) -> str:
        """Every part, each from a new page (a thematic break between them)."""
        return "\n\n---\n\n".join(p.markdown.rstrip() for p in self.parts) + "\n"


def _as_markdown(text: str) -> str:
    """A plain-text letter shown as Markdown: its lines kept, nothing read as markup."""
    lines = [
        line.replace("\\", "\\\\").replace("*", "\\*").replace("#", "\\#")
        for line in text.splitlines()
    ]
    lines = [line.replace("|", "\\|").replace("_", "\\_") for line in lines]
    return "  \n".join(line.strip() or "&nbsp;" for line in lines)


def escalation_packet(
    analysis: DenialAnalysis,
    case: CaseFacts,
    letter_text: str,
    appeal_letter: str,
    final_denial: dt.date,
    today: dt.date,
    final_text: str | None = None,
) -> tuple[Packet, AppealFacts]:
    """The packet requesting the level after the internal appeal, and the facts its cover
    letter is held to. ``final_text``: the final denial's text when the user has it (else the
    packet lists it as an enclosure to attach)."""
    plan: AppealSchedule = schedule(analysis, letter_text, Events(final_notice=final_denial))
    spec = plan_spec(analysis.plan_type).for_letter(letter_text)
    level = plan.next_level
    ids = identifiers(analysis, case)
    patient = ids["patient name"]
    filing = plan.deadline(f"{level.key}.filing")
    denial_date = fmt_date(analysis.letter_date) if analysis.letter_date else "its date"
    final_date = fmt_date(final_denial)
    # The plan forwards an automatic level; else the body or address the letter names; else the
    # plan when the law has the request filed with it (it assigns the IRO); else the reviewer.
    named = ", ".join(v for v in (level.body, level.address) if v)
    to = named or level.reviewer
    if level.automatic or (level.file_with == "plan" and not named):
        address = appeal_contact(letter_text, analysis).address or "appeals department"
        to = addressed(ids["plan"], address)
    service = (
        ", ".join(analysis.cpt_codes + analysis.hcpcs_codes)
        or case.service.code
        or case.service.description
        or MISSING.format(field="service.code")
    )
    words = level.name.split()
    lower = len(words) > 1 and words[1][:1].islower()
    name = level.name[0].lower() + level.name[1:] if lower else level.name
    signed, signature = signer(case)
    cover = [
        f"# Request for {name}",
        "",
        fmt_date(today),
        "",
        f"**To:** {to[0].upper()}{to[1:]}  ",
        f"**From:** {signed}, on behalf of {patient}",
        "",
        *id_table(
            ids,
            spec.title,
            ("Service", service),
            ("Denial", denial_date),
            ("Final internal denial", final_date),
        ),
        "",
    ]
    if level.automatic:
        cover += [
            f"{ids['plan']} upheld on {final_date} its denial of {denial_date}. No request is "
            f"needed for this level: {level.rule.rstrip('.')} ({level.citation}). I ask that "
            f"the case file sent to {level.reviewer} include the enclosed documents, and that "
            "a copy of the forwarding notice be sent to me.",
        ]
    else:
        cover.append(
            f"I request {name} of the denial by {ids['plan']} of {service} for {patient}. The "
            f"plan denied the request on {denial_date} and upheld its denial on "
            f"{final_date}. {level.rule.rstrip('.')} ({level.citation})."
        )
        if filing and filing.due:
            cover += [
                "",
                f"This request is filed within the time allowed: {name} may be requested until "
                f"{fmt_date(filing.due)} ({filing.window} from the final internal denial of "
                f"{final_date}; {filing.citation}).",
            ]
    standard = plan.deadline(f"{level.key}.decision.standard")
    expedited = plan.deadline(f"{level.key}.decision.expedited")
    if case.urgency == "expedited" and expedited:
        cover += [
            "",
            f"I ask for expedited review: {case.urgency_reason or _URGENT}. An expedited review "
            f"is decided within {expedited.window} ({expedited.citation}).",
        ]
    elif standard:
        cover += ["", f"{standard.rule.rstrip('.')} ({standard.citation})."]
    enclosures = [
        f"The appeal letter sent to {ids['plan']}",
        f"The denial dated {denial_date}",
        f"The final denial dated {final_date}",
    ]
    cover += [
        "",
        "## Enclosures",
        "",
        *[f"{i}. {item}" for i, item in enumerate(enclosures, 1)],
        "",
        "Sincerely,",
        "",
        *signature,
    ]
    parts = [
        PacketPart(title="Cover letter", markdown="\n".join(cover)),
        PacketPart(title="Enclosure 1: the appeal letter", markdown=appeal_letter),
        PacketPart(
            title=f"Enclosure 2: the denial dated {denial_date}",
            markdown=f"## Enclosure 2: the denial dated {denial_date}\n\n"
            + _as_markdown(letter_text),
        ),
        PacketPart(
            title=f"Enclosure 3: the final denial dated {final_date}",
            markdown=f"## Enclosure 3: the final denial dated {final_date}\n\n"
            + (
                _as_markdown(final_text)
                if final_text
                else "[Attach the final denial letter dated " + final_date + ".]"
            ),
        ),
    ]
    law = [c for c in split_citations(level.citation)]
    if filing:
        law += split_citations(filing.citation)
    facts = AppealFacts(
        kind="escalation",
        plan_type=analysis.plan_type,
        identifiers={k: v for k, v in ids.items() if not v.startswith("[MISSING")},
        law=law,
        foreign_law=foreign_law(spec),
        deadlines={level.name: filing.due} if filing and filing.due else {},
        dates=case_dates(analysis, case, letter_text, today, final_denial),
        enclosures=[e.lower() for e in enclosures],
    )
    packet = Packet(level=level.name, due=filing.due if filing else None, parts=parts)
    return packet, facts


def fax_cover(
    analysis: DenialAnalysis,
    case: CaseFacts,
    letter_text: str,
    pages: int,
    today: dt.date,
    regarding: str,
) -> tuple[str, AppealFacts]:
    """The fax cover sheet for ``regarding`` (e.g. 'Request for the claim file') sent to the
    payer's appeal fax read from the denial."""
    contact = appeal_contact(letter_text, analysis)
    ids = identifiers(analysis, case)
    doc = case.physician
    lines = [
        "# Fax",
        "",
        "| | |",
        "|---|---|",
        f"| Date | {fmt_date(today)} |",
        f"| To | {ids['plan']}, appeals |",
        f"| Fax | {contact.fax or MISSING.format(field='letter.appeal_fax')} |",
        f"| From | {doc.name or MISSING.format(field='physician.name')}"
        + (f", {doc.practice_name}" if doc.practice_name else "")
        + " |",
        f"| Phone | {doc.phone or MISSING.format(field='physician.phone')} |",
        f"| Fax back | {doc.fax or MISSING.format(field='physician.fax')} |",
        f"| Pages | {pages} (this page included) |",
        f"| Re | {regarding} |",
        f"| Patient | {ids['patient name']} |",
        f"| Member ID | {ids['member ID']} |",
        f"| Claim or reference number | {ids['claim or reference number']} |",
        "",
        "This fax contains protected health information. If you received it in error, notify "
        "the sender at the number above and destroy it.",
    ]
    facts = AppealFacts(
        kind="fax_cover",
        plan_type=analysis.plan_type,
        identifiers={k: v for k, v in ids.items() if not v.startswith("[MISSING")}
        | ({"appeal fax": contact.fax} if contact.fax else {}),
        dates=[today],
    )
    return "\n".join(lines) + "\n", facts
