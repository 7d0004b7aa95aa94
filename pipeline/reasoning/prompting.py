"""The computed verdicts as a model engine's prompt states them (it writes prose around them and
may not change them; the validator's ``argument.verdict_mismatch`` rejects a section that does)."""

from __future__ import annotations

from ..models import CaseFacts, DenialAnalysis
from .verdicts import evaluate, shown

HEADER = (
    "Computed verdicts (from the record, in code; state them as given and do not change any "
    "verdict or number; use only the facts listed for a criterion):"
)


def verdict_lines(analysis: DenialAnalysis, case: CaseFacts) -> str:
    """One block per criterion with typed requirements: its verdict, each comparison and the ids
    of the facts that bear on it; '' when no criterion has typed requirements (the prompt is then
    exactly the one the recorded cassettes hold)."""
    verdicts = [v for v in evaluate(analysis, case) if v.requirements]
    if not verdicts:
        return ""
    lines = [HEADER]
    for v in verdicts:
        n = v.index + 1
        if v.payer_met:
            lines.append(f"- criterion {n}: met per the insurer's notice: do not argue it.")
            continue
        if v.conceded:
            lines.append(
                f"{n}. conceded by the physician: do not dispute it; ask for an exception."
            )
            continue
        status = {"met": "met", "not_met": "not met", "unknown": "not shown"}[v.status]
        lines.append(f"- criterion {n}: {status}; facts: {', '.join(v.evidence) or 'none'}")
        lines += [f"   - {rv.comparison}" for rv in shown(v)]
    return "\n".join(lines)
