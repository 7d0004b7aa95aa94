"""Appeal documents (request letter, escalation packet, fax cover sheet) hold what they must:
the identifiers, law that fits the plan type (and none of another plan type's), the computed
deadlines and no other deadline, the required statements and the enclosures. The facts they are
held to come with the document (``Context.appeal``, built by ``pipeline.appeal``); on a letter of
medical necessity these checks find nothing."""

from __future__ import annotations

from ... import letter_format as lf
from ...models import ValidationFinding
from ...text.normalize import norm_ws
from .._context import Context
from .._findings import FindingCode, finding
from .._registry import Scope, check
from .._scanner import extract_tokens


def _has(text: str, value: str) -> bool:
    return norm_ws(value).casefold() in text


@check(
    Scope.appeal,
    codes=[
        FindingCode.APPEAL_IDENTIFIER_MISSING,
        FindingCode.APPEAL_CLOCK_MISSING,
        FindingCode.APPEAL_ENCLOSURE_MISSING,
    ],
)
def check_appeal_elements(ctx: Context) -> list[ValidationFinding]:
    """Every identifier, required statement and enclosure is in the document."""
    facts = ctx.appeal
    if facts is None:
        return []
    text = norm_ws(ctx.markdown).casefold()
    found = [
        finding(FindingCode.APPEAL_IDENTIFIER_MISSING, f"The document does not state the {label}.")
        for label, value in facts.identifiers.items()
        if not _has(text, value)
    ]
    if "[missing:" in text:
        found.append(
            finding(
                FindingCode.APPEAL_IDENTIFIER_MISSING,
                "The document still has [MISSING: ...] fields; fill them in the case file.",
            )
        )
    found += [
        finding(FindingCode.APPEAL_CLOCK_MISSING, f"The document does not say that {label}.")
        for label, phrase in facts.phrases.items()
        if not _has(text, phrase)
    ]
    found += [
        finding(FindingCode.APPEAL_ENCLOSURE_MISSING, f"The enclosure list does not name {item}.")
        for item in facts.enclosures
        if not _has(text, item)
    ]
    return found


@check(Scope.appeal, codes=[FindingCode.APPEAL_LAW_MISSING, FindingCode.APPEAL_LAW_FOREIGN])
def check_appeal_law(ctx: Context) -> list[ValidationFinding]:
    """The document cites law that fits the plan type and none that belongs to another."""
    facts = ctx.appeal
    if facts is None:
        return []
    text = norm_ws(ctx.markdown)
    found = []
    if facts.law and not any(c in text for c in facts.law):
        found.append(
            finding(
                FindingCode.APPEAL_LAW_MISSING,
                f"The document cites none of the law for a {facts.plan_type} plan.",
            )
        )
    for citation in facts.foreign_law:
        if (at := text.find(citation)) >= 0:
            found.append(
                finding(
                    FindingCode.APPEAL_LAW_FOREIGN,
                    f"The document cites law of another plan type than {facts.plan_type}.",
                    excerpt=text[at : at + len(citation)],
                )
            )
    return found


@check(
    Scope.appeal,
    codes=[FindingCode.APPEAL_DEADLINE_MISSING, FindingCode.APPEAL_DEADLINE_MISMATCH],
)
def check_appeal_deadlines(ctx: Context) -> list[ValidationFinding]:
    """Each computed deadline is stated, and every date stated is a computed deadline or a date
    of the case (the notice, the final denial, the document's own date)."""
    facts = ctx.appeal
    if facts is None:
        return []
    tokens = [t for t in extract_tokens(ctx.markdown) if t.kind == "date"]
    stated = {t.key for t in tokens}
    found = [
        finding(
            FindingCode.APPEAL_DEADLINE_MISSING,
            f"The document does not state the {label} deadline ({lf.fmt_date(day)}).",
        )
        for label, day in facts.deadlines.items()
        if day not in stated
    ]
    allowed = set(facts.deadlines.values()) | set(facts.dates)
    found += [
        finding(
            FindingCode.APPEAL_DEADLINE_MISMATCH,
            "The document states a date that is neither a computed deadline nor a case date.",
            span=(t.start, t.end),
            excerpt=t.text,
        )
        for t in tokens
        if t.key not in allowed
    ]
    return found
