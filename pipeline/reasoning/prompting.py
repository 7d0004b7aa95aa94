"""The computed verdicts as a model engine's prompt states them (it writes prose around them and
may not change them; the validator's ``argument.verdict_mismatch`` rejects a section that does)."""

from __future__ import annotations

from ..models import CaseFacts, DenialAnalysis, RequirementVerdict
from .strategy import Strategy, settle
from .verdicts import evaluate, shown
from .wording import requirement_words

HEADER = (
    "Computed verdicts (from the record, in code; state them as given and do not change any "
    "verdict or number; use only the facts listed for a criterion):"
)


def verdict_lines(analysis: DenialAnalysis, case: CaseFacts, plan: Strategy | None = None) -> str:
    """One block per criterion with typed requirements: its verdict, each comparison and the ids
    of the facts that bear on it; '' when no criterion has typed requirements (the prompt is then
    exactly the one the recorded cassettes hold). ``plan``: the draft's strategy results (a
    criterion the plan found met, one not relied on among alternatives, said so)."""
    verdicts = [v for v in settle(evaluate(analysis, case), plan) if v.requirements]
    if not verdicts:
        return ""
    lines = [HEADER]
    for v in verdicts:
        n = v.index + 1
        if v.payer_met:
            lines.append(f"- criterion {n}: met per the insurer's notice: do not argue it.")
            continue
        if v.alternative:
            lines.append(
                f"- criterion {n}: not relied on (one of the alternative criteria suffices and "
                "another is met): say in one line that it does not apply; ask no exception."
            )
            continue
        if v.accepted:
            lines.append(
                f"- criterion {n}: accepted by the physician; the request is written to meet it: "
                "say so in one line; ask no exception."
            )
            continue
        if v.conceded:
            lines.append(
                f"{n}. conceded by the physician: do not dispute it; ask for an exception."
            )
            continue
        status = {"met": "met", "not_met": "not met", "unknown": "not shown"}[v.status]
        lines.append(f"- criterion {n}: {status}; facts: {', '.join(v.evidence) or 'none'}")
        lines += [f"   - {verdict_data(rv)}" for rv in shown(v)]
    return "\n".join(lines)


_CMP = {">=": "at least", ">": "more than", "<=": "at most", "<": "less than", "==": "exactly"}


def verdict_data(rv: RequirementVerdict) -> str:
    """A requirement's verdict as data for the model ('Required: at least 3 months
    (nonoperative management); documented: 8.4 months ...: met.'): the fields, labelled, from
    which it writes its own sentences (the letter's sentences are ``rv.comparison``)."""
    req = rv.requirement
    if rv.required != requirement_words(req):
        words = rv.required  # a rate the verdict words itself ('at least 3 hours a day')
    elif req.kind.value == "concurrency":
        words = f"concurrent with {req.subject}"
    elif req.kind.value == "absence" and not req.subject.lower().startswith("no "):
        words = f"no {req.subject}"
    elif req.value is None or req.comparator is None:
        words = req.subject
    elif (req.unit or "") == "grade":
        words = f"{req.subject} {_CMP[req.comparator]} {req.value:g}"
    else:
        unit = req.unit or ""
        unit = unit[:-1] if req.value == 1 and unit.endswith("s") else unit
        each = " each" if req.each else ""
        words = f"{_CMP[req.comparator]} {req.value:g}{' ' + unit if unit else ''}{each} "
        words += f"({req.subject})"
    if req.window and req.window not in req.subject:
        words += f", {req.window}"
    if rv.confirm and rv.status == "unknown":  # a sentence plausibly answers it: to confirm
        return f"Required: {words}; the record states: {rv.found}."
    status = {"met": "met", "not_met": "not met", "unknown": "not shown"}[rv.status]
    return f"Required: {words}; documented: {rv.found}: {status}."
