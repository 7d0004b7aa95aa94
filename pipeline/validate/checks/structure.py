"""The letter has every required section."""

from __future__ import annotations

from ... import letter_format as lf
from ...models import ValidationFinding
from .._context import Context
from .._findings import FindingCode, finding
from .._registry import Scope, check


@check(Scope.letter, codes=[FindingCode.STRUCTURE_MISSING_SECTION])
def check_structure(ctx: Context) -> list[ValidationFinding]:
    """Every required section is present as ``## <name>``."""
    return [
        finding(
            FindingCode.STRUCTURE_MISSING_SECTION,
            f"The letter has no '{lf.heading(name)}' section.",
        )
        for name in lf.REQUIRED_SECTIONS
        if name not in ctx.doc.sections
    ]
