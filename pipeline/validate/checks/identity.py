"""The patient, member id, claim and insurer appear; the signature identifies the physician."""

from __future__ import annotations

from ... import letter_format as lf
from ...models import ValidationFinding
from ...text.normalize import norm_id, norm_text
from .._context import Context
from .._findings import FindingCode, finding
from .._registry import Scope, check


def _contains(haystack_norm: str, needle: str | None) -> bool:
    return needle is not None and needle != "" and norm_text(needle) in haystack_norm


@check(Scope.letter, codes=[FindingCode.IDENTITY_MISSING, FindingCode.IDENTITY_MISMATCH])
def check_identity(ctx: Context) -> list[ValidationFinding]:
    """Patient, member id, claim and insurer appear; the signature identifies the physician."""
    case, analysis, doc = ctx.draft.case, ctx.draft.analysis, ctx.doc
    letter = norm_text(ctx.markdown)
    member = case.patient.member_id or analysis.member_id
    claim = case.claim_reference or analysis.claim_number
    out = []
    wanted = (
        ("patient name", case.patient.name),
        ("member id", member),
        ("claim reference", claim),
        ("health plan", case.insurer or analysis.insurer),
    )
    for what, value in wanted:
        if value and not _contains(letter, value):
            out.append(
                finding(FindingCode.IDENTITY_MISSING, f"The {what} does not appear in the letter.")
            )
    for label, value, what in (
        (lf.ID_MEMBER, member, "member id"),
        (lf.ID_CLAIM, claim, "claim reference"),
    ):
        cell = doc.identification.get(label.casefold())
        if (
            value
            and cell
            and not lf.PLACEHOLDER_RE.search(cell.value)
            and norm_id(cell.value.strip("*`")) != norm_id(value)
        ):
            out.append(
                finding(
                    FindingCode.IDENTITY_MISMATCH,
                    f"The {what} in the identification table differs from the inputs.",
                    span=cell.span,
                    excerpt=cell.value,
                )
            )
    out += _check_signature(ctx)
    return out


def _check_signature(ctx: Context) -> list[ValidationFinding]:
    physician = ctx.draft.case.physician
    sec = ctx.doc.section(lf.SIGNATURE)
    if sec is None:
        return []
    body = norm_text(sec.body)
    out = []
    for what, value in (("physician name", physician.name), ("credentials", physician.credentials)):
        if value and not _contains(body, value):
            out.append(
                finding(FindingCode.IDENTITY_MISSING, f"The signature block lacks the {what}.")
            )
    licence = ctx.doc.signature.get(lf.SIG_LICENSE.casefold())
    if licence is None or not licence.value.strip():
        out.append(
            finding(FindingCode.IDENTITY_MISSING, "The signature block lacks the state licence.")
        )
    return out
