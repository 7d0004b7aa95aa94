"""Validator pass rate and findings by code, over letters drafted without gaps.

A letter with gaps is a DRAFT with visible [MISSING] fields: it fails validation by design
and is scored by the gaps scorer instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..cases import EvalCase
from ..execute import CaseOutput
from .base import Score, Scorer, ratio, scored, skip


class Validator(Scorer):
    name = "validator_pass"
    title = "Validator pass rate (complete letters)"

    def score(self, case: EvalCase, out: CaseOutput) -> Score:
        if out.validation is None:
            return skip("no validated letter")
        if out.gaps:
            return skip(f"the letter has {len(out.gaps)} gap(s): scored by the gaps scorer")
        report = out.validation
        codes = Counter(f.code for f in report.findings)
        errors = sorted({f.code for f in report.errors})
        explanation = "passed" if report.ok else f"rejected: {', '.join(errors)}"
        warnings = len(report.findings) - len(report.errors)
        if warnings:
            explanation += f" ({warnings} warning(s))"
        return Score(
            value=1.0 if report.ok else 0.0,
            explanation=explanation,
            details={"findings": dict(codes), "errors": errors},
        )

    def summarize(self, scores: Sequence[Score | None]) -> dict[str, Any]:
        applied = scored(scores)
        by_code: Counter[str] = Counter()
        for s in applied:
            by_code.update(s.details["findings"])
        return {
            "value": ratio(sum(s.value or 0 for s in applied), len(applied)),
            "n": len(applied),
            "findings_by_code": dict(sorted(by_code.items())),
        }


SCORER = Validator()
