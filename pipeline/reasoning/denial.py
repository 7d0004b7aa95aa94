"""The answer to the denial itself, for a denial that cites no criterion: the primary category's
claim restated (from its spec) and answered with the case facts that share its words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..evidence import STRUCTURED_KINDS, case_facts, write_argument
from ..models import CriterionArgument
from .pending import is_pending
from .specs import specs

if TYPE_CHECKING:  # the engine contract, read as a type only: the offline engine imports this
    from ..engines.base import ArgumentRequest

GENERIC_CLAIM = (
    "the requested service should not be approved",
    "severity score failed trials treatment response imaging findings",
)
"""(claim, words) when the denial gives no category (the categories' own claims live in the
denial-category specs, pipeline/reasoning/specs)."""


def argue_denial(request: ArgumentRequest) -> CriterionArgument:
    """The answer to the primary denial category, for a denial that cites no criterion."""
    categories = request.analysis.denial_categories
    spec = specs().get(categories[0]) if categories else None
    claim, words = (spec.claim, spec.match) if spec else GENERIC_CLAIM
    intro = f"The denial states that {claim}."
    # the records answer it: the summary, the consequences and the service's details have
    # sections of their own and are not said again here, and a result not yet back is no
    # record (the Request asks around it); the free text only when no record answers
    facts = case_facts(request.case)
    records = [
        f
        for f in facts
        if f.kind in STRUCTURED_KINDS and not (f.kind == "finding" and is_pending(f.sentence))
    ]
    argument = write_argument(0, intro, words, request, None, all_facts=records)
    if argument.evidence:
        return argument
    return write_argument(0, intro, words, request, None, all_facts=facts)
