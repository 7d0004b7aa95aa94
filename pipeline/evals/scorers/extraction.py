"""Extraction per field: precision and recall of codes, ids, plan type and deadline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...models import DenialAnalysis, PlanType
from ..cases import EvalCase
from ..execute import CaseOutput
from .base import Score, Scorer, ratio, scored, skip

LIST_FIELDS = ("cpt_codes", "hcpcs_codes", "icd10_codes")
SCALAR_FIELDS = ("plan_type", "member_id", "claim_number", "appeal_deadline")
FIELDS = LIST_FIELDS + SCALAR_FIELDS
_NO_CLAIM = {PlanType.unknown.value}
"""A predicted 'unknown' plan type claims nothing: it can be right, but never a false positive."""


def _norm(field: str, value: Any) -> str:
    text = str(getattr(value, "value", value)).strip()
    if field == "icd10_codes":
        return text.upper().replace(".", "")
    if field in ("member_id", "claim_number"):
        return " ".join(text.split()).casefold()
    return text.upper() if field.endswith("_codes") else text


def _predicted(analysis: DenialAnalysis, field: str) -> set[str]:
    value = getattr(analysis, field)
    if field in LIST_FIELDS:
        return {_norm(field, v) for v in value}
    return set() if value is None else {_norm(field, value)}


def _expected(case: EvalCase, field: str) -> set[str] | None:
    value = getattr(case.expected, field)
    if value is None:
        return None
    if field in LIST_FIELDS:
        return {_norm(field, v) for v in value}
    return {_norm(field, value)}


class Extraction(Scorer):
    name = "extraction"
    title = "Extraction recall (codes, ids, plan type, deadline)"

    def score(self, case: EvalCase, out: CaseOutput) -> Score:
        if out.analysis is None:
            return skip("no analysis (the case failed before extraction finished)")
        counts: dict[str, dict[str, int]] = {}
        misses: list[str] = []
        for field in FIELDS:
            expected = _expected(case, field)
            if expected is None:
                continue
            predicted = _predicted(out.analysis, field)
            extra = predicted - expected - _NO_CLAIM
            counts[field] = {
                "tp": len(expected & predicted),
                "fp": len(extra),
                "fn": len(expected - predicted),
            }
            if expected - predicted:
                misses.append(f"{field} missed {sorted(expected - predicted)}")
            if extra:
                misses.append(f"{field} extra {sorted(extra)}")
        if not counts:
            return skip("the case states no extraction labels")
        tp = sum(c["tp"] for c in counts.values())
        fn = sum(c["fn"] for c in counts.values())
        explanation = "; ".join(misses) or f"all {tp} expected values extracted, nothing extra"
        # A case whose labels are all empty lists has nothing to recall: precision still counts.
        value = ratio(tp, tp + fn)
        return Score(
            value=1.0 if value is None else value,
            explanation=explanation,
            details={"fields": counts},
        )

    def summarize(self, scores: Sequence[Score | None]) -> dict[str, Any]:
        totals: dict[str, dict[str, int]] = {}
        for s in scored(scores):
            for field, c in s.details["fields"].items():
                t = totals.setdefault(field, {"tp": 0, "fp": 0, "fn": 0})
                for key in t:
                    t[key] += c[key]
        recall = {f: ratio(t["tp"], t["tp"] + t["fn"]) for f, t in totals.items()}
        precision = {f: ratio(t["tp"], t["tp"] + t["fp"]) for f, t in totals.items()}
        tp = sum(t["tp"] for t in totals.values())
        fn = sum(t["fn"] for t in totals.values())
        fp = sum(t["fp"] for t in totals.values())
        return {
            "value": ratio(tp, tp + fn),
            "n": len(scored(scores)),
            "precision": ratio(tp, tp + fp),
            "field_recall": recall,
            "field_precision": precision,
            "field_counts": totals,
        }


SCORER = Extraction()
