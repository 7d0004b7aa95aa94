"""The check registry: ``@check`` registers a check with its scope, the codes it emits and what
to tell a model about each; the runner and the drafting loop read checks from here only."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from ..models import ValidationFinding
from ._context import Context
from ._findings import FindingCode, finding

CheckFunc = Callable[[Context], list[ValidationFinding]]
"""A check: reads the context, returns its findings (an empty list when the letter passes)."""


class Scope(StrEnum):
    """Where a check's errors can fall, which decides when it runs."""

    letter = "letter"
    """Only the final validation runs it (it reads the identification table, the signature, the
    treatment table or other sections, or it only warns)."""
    section = "section"
    """Its errors can fall inside a ``### Criterion n`` section, so the drafting loop also runs it
    on each round's sections (:func:`pipeline.validate.criterion_errors`)."""
    appeal = "appeal"
    """It reads an appeal document (request letter, escalation packet, fax cover sheet) against
    ``Context.appeal``; on a letter of medical necessity it finds nothing."""


@dataclass(frozen=True)
class CheckSpec:
    """One registered check."""

    func: CheckFunc
    scope: Scope
    codes: tuple[FindingCode, ...]
    """Every code the check can emit."""
    advice: Mapping[FindingCode, str] = field(default_factory=dict)
    """What the drafting loop tells a model about an error with this code inside its section
    (``{excerpt}`` is replaced by the finding's excerpt, quoted)."""

    @property
    def name(self) -> str:
        return self.func.__name__


_REGISTRY: dict[str, CheckSpec] = {}
"""Checks by ``module.qualname``, in registration (= report) order."""


def check(
    scope: Scope,
    *,
    codes: Iterable[FindingCode],
    advice: Mapping[FindingCode, str] | None = None,
) -> Callable[[CheckFunc], CheckFunc]:
    """Register the decorated ``check_<name>(ctx) -> list[ValidationFinding]`` function.

    ``codes`` are the finding codes it emits; ``advice`` (optional) maps some of them to what a
    model is told when its section has that error. The function is returned unchanged.
    """
    declared = tuple(dict.fromkeys(codes))
    extra = dict(advice or {})

    def register(func: CheckFunc) -> CheckFunc:
        where = f"{func.__module__}.{func.__qualname__}"
        if not func.__name__.startswith("check_"):
            raise ValueError(f"validator check {where}: name it check_<what>")
        if not declared or not all(isinstance(c, FindingCode) for c in declared):
            raise ValueError(f"validator check {where}: declare its codes as FindingCode members")
        if not set(extra) <= set(declared):
            raise ValueError(f"validator check {where}: advice for a code it does not declare")
        _REGISTRY[where] = CheckSpec(func, Scope(scope), declared, MappingProxyType(extra))
        return func

    return register


def registered(scope: Scope | None = None) -> tuple[CheckSpec, ...]:
    """The registered checks in report order (only those of ``scope``, when given)."""
    return tuple(s for s in _REGISTRY.values() if scope is None or s.scope == scope)


def advice_for(code: str) -> str | None:
    """The advice a check declared for ``code`` (None when none did)."""
    for spec in _REGISTRY.values():
        if code in spec.advice:
            return spec.advice[FindingCode(code)]
    return None


def run(ctx: Context, specs: Iterable[CheckSpec]) -> list[ValidationFinding]:
    """The findings of ``specs``. A check that fails on malformed input is reported as a
    ``validator.internal_error`` finding (an error: the letter could not be fully checked)."""
    findings: list[ValidationFinding] = []
    for spec in specs:
        try:
            findings.extend(spec.func(ctx))
        except Exception as exc:  # one broken check must not hide the others
            findings.append(
                finding(
                    FindingCode.VALIDATOR_INTERNAL_ERROR,
                    f"{spec.name} failed ({type(exc).__name__}); the letter was not fully checked.",
                )
            )
    return findings
