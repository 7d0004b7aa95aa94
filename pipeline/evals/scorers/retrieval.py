"""Retrieval recall@k: the share of expected authorities among the first k passages' bodies."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ...pipeline import DEFAULT_K
from ..cases import EvalCase
from ..execute import CaseOutput
from .base import Score, Scorer, ratio, scored, skip


def bodies(short_body: str) -> set[str]:
    """The issuing bodies of a passage: 'ACC/AHA/HRS' counts for each of the three."""
    return {b.upper() for b in re.split(r"\s*(?:/|,|&|\band\b)\s*", short_body) if b}


class Retrieval(Scorer):
    name = "retrieval_recall"
    title = "Retrieval recall@k of expected authorities"

    def __init__(self, k: int = DEFAULT_K) -> None:
        self.k = k

    def score(self, case: EvalCase, out: CaseOutput) -> Score:
        expected = [a.upper() for a in case.expected.authorities or []]
        if not expected:
            return skip("the case names no authorities")
        if out.analysis is None:
            return skip("nothing retrieved (the case failed before retrieval)")
        top = sorted(out.passages, key=lambda h: h.rank)[: self.k]
        seen = set().union(*(bodies(h.short_body) for h in top)) if top else set()
        found = [a for a in expected if a in seen]
        missed = [a for a in expected if a not in seen]
        explanation = f"{len(found)} of {len(expected)} authorities in the top {self.k}" + (
            f"; missed {missed} (top bodies: {sorted(seen) or 'none'})" if missed else ""
        )
        return Score(
            value=ratio(len(found), len(expected)),
            explanation=explanation,
            details={"expected": len(expected), "found": len(found), "missed": missed},
        )

    def summarize(self, scores: Sequence[Score | None]) -> dict[str, Any]:
        applied = scored(scores)
        found = sum(s.details["found"] for s in applied)
        expected = sum(s.details["expected"] for s in applied)
        return {"value": ratio(found, expected), "n": len(applied), "k": self.k}
