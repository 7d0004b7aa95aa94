"""The labelled denials of ``verdict_families`` drafted end to end: per criterion, whether the
verdict is the one a physician gives (met, not met, pending, not applicable), and the share of
numeric requirements the letter argues whose comparison it states.

Usage: python -m evals.reasoning.measure_verdicts   (a table; --json; --verbose for each miss)
"""

from __future__ import annotations

import sys
from collections import defaultdict

from evals.reasoning.measure import stated
from evals.reasoning.measure_letters import _section, tally
from evals.reasoning.verdict_families import VALUES, VERDICT_FAMILIES
from evals.slices import print_slices
from pipeline.draft import compose
from pipeline.engines import OfflineEngine
from pipeline.extract import extract
from pipeline.ingest import ingest_text
from pipeline.models import CaseFacts, CriterionVerdict
from pipeline.reasoning.argument import argued
from pipeline.reasoning.verdicts import shown


def status_of(verdict: CriterionVerdict) -> str:
    """The criterion's status as labelled: a criterion whose every requirement does not apply
    to the patient is 'not_applicable'; one open only on a pending test is 'pending'."""
    if verdict.payer_met:
        return "payer_met"
    if verdict.not_applicable:
        return "not_applicable"
    rvs = verdict.requirements
    waiting = [rv for rv in rvs if rv.pending]
    rest = [rv for rv in rvs if rv not in waiting]
    if waiting and all(rv.status == "met" for rv in rest):
        return "pending"
    return verdict.status


def run(f) -> dict[str, object]:  # type: ignore[no-untyped-def]
    analysis = extract(ingest_text(f.denial))
    case = CaseFacts.model_validate(f.case)
    draft = compose(f.denial, analysis, case, [], OfflineEngine(), today=f.today, allow_gaps=True)
    section = _section(draft.markdown)
    c: dict[str, int] = defaultdict(int)
    misses = []
    for e in f.expect:
        found = [
            v for v in draft.verdicts if e.words and e.words.lower() in v.criterion.text.lower()
        ]
        got = status_of(found[0]) if found else "none"
        right = got in e.status.split("|")
        c["right" if right else "wrong"] += 1
        if not right:
            misses.append(f"{e.words!r}: {got}; want {e.status}")
    for verdict in draft.verdicts:
        for rv in verdict.requirements:
            subject = f"{rv.requirement.subject} "
            for words, value in VALUES.get(f.name, []):
                if rv.numeric and words in subject and rv.value is not None:
                    c["values"] += 1
                    c["values_right"] += abs(rv.value - value) < 1e-6
                    if abs(rv.value - value) >= 1e-6:
                        misses.append(f"{subject.strip()!r}: value {rv.value:g}; want {value:g}")
        for rv in [] if verdict.not_applicable else shown(verdict):
            if rv.numeric and (argued(rv) or rv.pending):
                c["numeric"] += 1
                c["stated"] += stated(rv, section)
    return {"counts": dict(c), "misses": misses}


def measure(verbose: bool = False) -> dict[str, dict[str, float]]:
    # held-out misses are not looked at while tuning: only the tuned families' are printed
    totals = tally([f for f in VERDICT_FAMILIES if f.split != "heldout"], run, verbose)
    totals |= tally([f for f in VERDICT_FAMILIES if f.split == "heldout"], run, False)
    return {
        split: {
            "families": c["families"],
            "right": c["right"],
            "verdicts": c["right"] + c["wrong"],
            "numeric": c["numeric"],
            "values": c["values"],
            "values_right": c["values_right"],
            "stated": c["stated"],
        }
        for split, c in totals.items()
    }


def main() -> None:
    print_slices(
        measure(verbose="--verbose" in sys.argv),
        lambda split, f: (
            f"{split:8} letters {f['families']:.0f}  verdicts right {f['right']:.0f} of "
            f"{f['verdicts']:.0f}  numeric comparisons stated {f['stated']:.0f} of "
            f"{f['numeric']:.0f}  values right {f['values_right']:.0f} of {f['values']:.0f}"
        ),
    )


if __name__ == "__main__":
    main()
