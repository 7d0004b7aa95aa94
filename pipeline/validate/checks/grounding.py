"""Every number, date, dose and code of the letter occurs in the inputs."""

from __future__ import annotations

from ...models import ValidationFinding
from .._context import Context
from .._findings import FindingCode, finding
from .._registry import Scope, check
from .._scanner import tokens_by_paragraph

_TOKEN_KIND_NAMES = {
    "date": "date",
    "month": "month",
    "phone": "phone number",
    "url": "URL",
    "number": "number",
    "ident": "code or number",
}


@check(
    Scope.section,
    codes=[FindingCode.GROUNDING_UNSUPPORTED_NUMBER],
    advice={
        FindingCode.GROUNDING_UNSUPPORTED_NUMBER: (
            "it states {excerpt}, which is in none of the facts: write numbers and dates exactly "
            "as the facts write them, and no others"
        ),
    },
)
def check_grounding(ctx: Context) -> list[ValidationFinding]:
    """Every number, date, dose and code of the letter occurs in the inputs."""
    out = []
    index = ctx.grounding
    seen: set[tuple[str, object]] = set()
    for offset, tokens in tokens_by_paragraph(ctx.masked_body):
        for tok in tokens:
            if (tok.kind, tok.key) in seen or index.supports(tok):
                continue
            seen.add((tok.kind, tok.key))
            out.append(
                finding(
                    FindingCode.GROUNDING_UNSUPPORTED_NUMBER,
                    f"A {_TOKEN_KIND_NAMES[tok.kind]} in the letter occurs in none of the inputs.",
                    span=(tok.start + offset, tok.end + offset),
                    excerpt=tok.text,
                )
            )
    return out
