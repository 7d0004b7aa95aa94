"""No placeholder is left in the letter."""

from __future__ import annotations

import re

from ... import letter_format as lf
from ...models import ValidationFinding
from ...prefilter import Prefiltered
from .._context import Context
from .._findings import ERROR, WARNING, FindingCode, finding
from .._registry import Scope, check

_PLACEHOLDER_RES: tuple[Prefiltered, ...] = (
    Prefiltered(lf.PLACEHOLDER_RE),
    Prefiltered.compile(r"\[[ \t]*(?:\.{2,}|…)[ \t]*\]"),
    Prefiltered.compile(r"\{\{.*?\}\}", re.S),
    Prefiltered.compile(r"\b(?:TODO|TBD|XXX+)\b"),
    Prefiltered.compile(r"lorem ipsum", re.I),
    Prefiltered.compile(r"<[ \t]*insert", re.I),
)


@check(
    Scope.section,
    codes=[FindingCode.PLACEHOLDER_LEFT],
    advice={
        FindingCode.PLACEHOLDER_LEFT: (
            "it leaves a placeholder {excerpt}: state the fact, or leave it out"
        ),
    },
)
def check_placeholders(ctx: Context) -> list[ValidationFinding]:
    """No placeholder is left; in a letter marked DRAFT they are warnings."""
    severity = WARNING if ctx.is_marked_draft else ERROR
    out = []
    for pattern in _PLACEHOLDER_RES:
        for m in pattern.finditer(ctx.markdown, ctx.folded):
            out.append(
                finding(
                    FindingCode.PLACEHOLDER_LEFT,
                    "A placeholder is left in the letter.",
                    severity,
                    span=m.span(),
                    excerpt=m.group(),
                )
            )
    return out
