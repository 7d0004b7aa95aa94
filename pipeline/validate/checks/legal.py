"""The appeal law the letter invokes fits the plan type (an ACA plan is not appealed under
ERISA, Medicare Part C or a Medicaid fair hearing). The regimes and their markers are data:
``legal_regimes.yaml`` beside this package's data."""

from __future__ import annotations

import re
from functools import cache, cached_property
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from ...models import PlanType, ValidationFinding
from .._context import Context
from .._findings import FindingCode, finding
from .._registry import Scope, check

SPEC_PATH = Path(__file__).resolve().parent.parent / "data" / "legal_regimes.yaml"


class Regime(BaseModel):
    """A body of appeal law: how a letter names it, and the plan types it governs."""

    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    markers: list[str]
    plan_types: list[PlanType]

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The markers as one pattern (compiled once: the regimes are loaded once)."""
        return re.compile("|".join(f"(?:{m})" for m in self.markers), re.IGNORECASE)


@cache
def regimes() -> tuple[Regime, ...]:
    data = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return tuple(Regime.model_validate(r) for r in data["regimes"])


@check(Scope.letter, codes=[FindingCode.LEGAL_WRONG_REGIME])
def check_legal_regime(ctx: Context) -> list[ValidationFinding]:
    """No appeal law of another plan type is invoked (unless the denial names it)."""
    plan = ctx.draft.analysis.plan_type
    if plan == PlanType.unknown:
        return []
    out = []
    denial = ctx.draft.letter_text
    for regime in regimes():
        if plan in regime.plan_types:
            continue
        pattern = regime.pattern
        if pattern.search(denial):
            continue
        if m := pattern.search(ctx.masked_body):
            out.append(
                finding(
                    FindingCode.LEGAL_WRONG_REGIME,
                    f"The letter invokes {regime.name}, which does not govern a "
                    f"{plan.value.replace('_', ' ')} plan.",
                    span=m.span(),
                    excerpt=m.group(),
                )
            )
    return out
