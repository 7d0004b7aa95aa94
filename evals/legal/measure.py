"""Figures for the letter around the argument on the labelled notices (evals/legal/cases.py),
tuned and held-out slices apart: the share of required words the legal paragraphs hold (legal
basis, timeline, continuation pending appeal, precedent), the share of forbidden words they
avoid, the cases fully right, and the count of citations of law that does not govern the plan.

Usage: python -m evals.legal.measure   (prints a table; --detail lists each miss)
"""

from __future__ import annotations

import sys

from evals.legal.cases import CASES, LegalCase
from pipeline.extract import extract_facts
from pipeline.models import CaseFacts
from pipeline.reasoning import rights
from pipeline.reasoning.law import continuation


def paragraphs(lc: LegalCase) -> str:
    """The legal paragraphs the letter would hold for this notice and case."""
    analysis = extract_facts(lc.letter)
    case = CaseFacts.model_validate(lc.case)
    parts = rights.legal_basis(analysis, lc.letter, case, lc.today)
    parts.append(rights.timeline(analysis, lc.letter, case, lc.today))
    parts.append(rights.precedent_paragraph(analysis, lc.letter, case))
    kept = continuation(analysis, lc.letter, case, lc.today)
    if kept is not None:
        parts.append(kept.paragraph(case.service.description or "the service"))
    return "\n".join(p for p in parts if p)


def score(lc: LegalCase) -> dict[str, object]:
    text = paragraphs(lc)
    missing = [w for w in lc.must if w not in text]
    present = [w for w in lc.must_not if w in text]
    return {
        "must": len(lc.must),
        "must_ok": len(lc.must) - len(missing),
        "must_not": len(lc.must_not),
        "must_not_ok": len(lc.must_not) - len(present),
        "wrong_law": sum(1 for w in lc.wrong_law if w in text),
        "right": not missing and not present,
        "missing": missing,
        "present": present,
    }


def main(argv: list[str]) -> int:
    detail = "--detail" in argv
    print(f"{'slice':8} {'cases':>5} {'right':>6} {'must':>7} {'must_not':>9} {'wrong law':>9}")
    for name in ("tuned", "heldout"):
        rows = [(lc, score(lc)) for lc in CASES if lc.slice == name]
        must = sum(int(s["must_ok"]) for _, s in rows) / max(
            1, sum(int(s["must"]) for _, s in rows)
        )
        nots = sum(int(s["must_not_ok"]) for _, s in rows) / max(
            1, sum(int(s["must_not"]) for _, s in rows)
        )
        right = sum(bool(s["right"]) for _, s in rows)
        wrong = sum(int(s["wrong_law"]) for _, s in rows)
        print(f"{name:8} {len(rows):5} {right:6} {must:7.2f} {nots:9.2f} {wrong:9}")
        if detail:
            for lc, s in rows:
                if not s["right"]:
                    print(f"  {lc.id}: missing {s['missing']} present {s['present']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
