"""Nothing the denial letter addressed to a model reaches the letter."""

from __future__ import annotations

from ...injection import instruction_spans
from ...models import ValidationFinding
from .._context import Context
from .._findings import FindingCode, finding
from .._registry import Scope, check


@check(Scope.section, codes=[FindingCode.INJECTION_ECHO])
def check_injection(ctx: Context) -> list[ValidationFinding]:
    """Nothing the denial letter addressed to a model reaches the letter: no model-directed
    phrase ('ignore previous instructions', a role marker, an APPROVED verdict), no passage of
    the denial's injected parts and no id that only they hold (``pipeline.injection``)."""
    spans = instruction_spans(ctx.markdown) + ctx.inputs.echo_targets.spans(ctx.markdown)
    return [
        finding(
            FindingCode.INJECTION_ECHO,
            "The letter repeats an instruction addressed to a model, or text from an injected "
            "part of the denial letter; remove it.",
            span=span,
        )
        for span in sorted(set(spans))
    ]
