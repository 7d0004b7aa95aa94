"""Evidence precision and recall per criterion, the share of numeric requirements the letter
argues (met, conceded, granted by the payer: never one against the patient) whose comparison
it states, and whether a letter contradicting a verdict ever passes, on the
labelled reasoning set (evals/reasoning/cases.py), tuned and held-out slices apart.

Usage: python -m evals.reasoning.measure   (prints a table; --json for machine-readable)
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections import defaultdict

from evals.reasoning.anchor_families import ANCHOR_FAMILIES
from evals.reasoning.bearing_families import BEARING_FAMILIES, BEARING_TUNED
from evals.reasoning.cases import LabelledCase, cases
from evals.reasoning.compare_families import COMPARE_FAMILIES
from evals.reasoning.computed_families import COMPUTED_FAMILIES
from evals.reasoning.explain_families import EXPLAIN_FAMILIES
from evals.reasoning.fit_families import FIT_FAMILIES
from evals.reasoning.judged_families import JUDGED_FAMILIES
from evals.reasoning.kind_families import KIND_FAMILIES
from evals.reasoning.route_families import ROUTE_FAMILIES
from evals.reasoning.shape_families import SHAPE_FAMILIES
from pipeline.draft import compose
from pipeline.engines import ArgumentRequest, OfflineEngine
from pipeline.evidence import argue_by_words
from pipeline.reasoning import evaluate
from pipeline.reasoning.argument import argue, argued, limit_reached
from pipeline.reasoning.verdicts import RequirementVerdict, shown
from pipeline.reasoning.wording import within_words
from pipeline.validate import validate_markdown

RECORDS = (
    "prior_treatments[", "objective_findings[", "clinical_summary[", "documents[", "diagnoses[",
    "patient.", "physician.",
)  # fmt: skip


def _records(paths: list[str]) -> set[str]:
    return {p for p in paths if p.startswith(RECORDS)}


def _contradiction_caught(lc: LabelledCase) -> bool | None:
    """Flip the first stated comparison's verdict; True when the validator rejects the letter."""
    draft = compose(
        "", lc.analysis, lc.case, [], OfflineEngine(), today=dt.date(2026, 12, 5), allow_gaps=True
    )
    md = draft.markdown
    for old, new in (
        (", which meets it.", ", which does not meet it."),
        (", which does not meet it.", ", which meets it."),
        # the same, where the sentence names its enclosures: '..., which meets it (Enclosure 2).'
        (", which meets it (Enclosure", ", which does not meet it (Enclosure"),
        (", which does not meet it (Enclosure", ", which meets it (Enclosure"),
        ("; the record does not show it", "; the record shows it, which meets it"),
        # a comparison naming the facts listed above it: '..., listed above, dated ..., meets it.'
        (", meets it.", ", does not meet it."),
        (": met.", ": not met."),
    ):
        at = md.find(old, md.find("### Criterion 1"))
        if at > 0:
            flipped = md[:at] + new + md[at + len(old) :]
            codes = {f.code for f in validate_markdown(flipped, draft).findings}
            return "argument.verdict_mismatch" in codes
    return None


def stated(rv: RequirementVerdict, argument: str) -> bool:
    """Whether the argument states the requirement against the patient's value: its own
    comparison sentence, or a sentence naming the requirement in words with a figure of the
    value (a date named with its record; a time window folded into what it governs, with its
    'N days before'); for one still pending, the letter saying what its fact says of it (it
    has no value to compare)."""
    if rv.comparison in argument:
        return True
    if rv.pending:
        return rv.found in argument
    figures = re.findall(r"\d+(?:\.\d+)?", rv.found.split(" (")[0])
    for line in argument.splitlines():
        window = rv.requirement.kind.value == "time_window"
        words = rv.required in line or (
            window and (within_words(rv.requirement) in line or rv.requirement.span in line)
        )
        if words and figures and all(f in line for f in figures[:2]):
            return True
    return False


def _count(c: dict[str, float], lc: LabelledCase) -> None:
    """Add one labelled case's figures to the counts ``c``."""
    verdicts = evaluate(lc.analysis, lc.case)
    request = ArgumentRequest(analysis=lc.analysis, case=lc.case, passages=[])
    words = argue_by_words(request)
    arguments = {a.criterion_index: a.argument for a in argue(request)}
    for verdict, key, baseline in zip(verdicts, lc.keys, words, strict=True):
        got = _records(verdict.evidence)
        c["tp"] += len(got & key)
        c["fp"] += len(got - key)
        c["fn"] += len(key - got)
        old = _records(baseline.evidence)
        c["old_tp"] += len(old & key)
        c["old_fp"] += len(old - key)
        c["old_fn"] += len(key - old)
        for rv in verdict.requirements:
            # met on record lines none of which answers the criterion: a false 'met'
            lines = _records(rv.evidence)
            if rv.status == "met" and not rv.conceded and lines:
                c["met"] += 1
                c["false_met"] += not (lines & key)
        # a requirement the record does not meet or show is the physician's gap, not a
        # sentence of the letter (argument.argued): the share counts those the letter argues
        exception = (verdict.conceded and not verdict.accepted) or limit_reached(verdict.criterion)
        for rv in [] if verdict.not_applicable else shown(verdict):  # nothing argued under it
            if rv.numeric and argued(rv, exception):
                c["numeric"] += 1
                c["stated"] += stated(rv, arguments[verdict.index])
    for verdict, want in zip(verdicts, lc.expect or [], strict=False):
        if want is None:
            continue
        c["labelled"] += 1
        if want == "not_applicable" or verdict.not_applicable:
            c["right"] += bool(verdict.not_applicable) and want == "not_applicable"
            continue
        silent = [rv for rv in verdict.requirements if rv.status == "unknown"]
        to_confirm = bool(silent) and all(getattr(rv, "confirm", False) for rv in silent)
        if verdict.status == "unknown" and not to_confirm:
            c["not_shown"] += 1  # the case states the answer; the letter says 'not shown'
        elif verdict.status == "unknown":
            c["confirm"] += 1
        else:
            c["right"] += verdict.status == want
    c["cases"] += 1
    caught = _contradiction_caught(lc)
    if caught is not None:
        c["contradictions"] += 1
        c["passed"] += not caught
    elif any(rv.status == "met" and rv.numeric for v in verdicts for rv in shown(v)):
        # the letter argues a met comparison the probe found no wording of: a skipped probe,
        # which would hide a validator that no longer reads that wording
        c["probe_skipped"] += 1


def measure() -> dict[str, dict[str, float]]:
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    slices = (
        {f.name: "explain" for f in EXPLAIN_FAMILIES}
        | {f.name: "fit" for f in FIT_FAMILIES}
        | {f.name: "shapes" for f in SHAPE_FAMILIES}
        | {f.name: "routes" for f in ROUTE_FAMILIES}
        | {f.name: "compare" for f in COMPARE_FAMILIES}
        | {f.name: "anchors" for f in ANCHOR_FAMILIES}
        | {f.name: "kinds" for f in KIND_FAMILIES}
        | {f.name: "judged" for f in JUDGED_FAMILIES}
        | {f.name: "computed" for f in COMPUTED_FAMILIES}
        | {f.name: "bearing" for f in BEARING_FAMILIES + BEARING_TUNED}
    )
    for lc in cases():
        family = re.split(r"[+~]", lc.id)[0]
        kept = (lc.split, f"{lc.split}-{slices[family]}") if family in slices else (lc.split,)
        for key in kept:
            _count(counts[key], lc)
    out = {}
    for split, c in counts.items():
        out[split] = {
            "cases": c["cases"],
            "precision": c["tp"] / max(1, c["tp"] + c["fp"]),
            "recall": c["tp"] / max(1, c["tp"] + c["fn"]),
            "baseline_precision": c["old_tp"] / max(1, c["old_tp"] + c["old_fp"]),
            "baseline_recall": c["old_tp"] / max(1, c["old_tp"] + c["old_fn"]),
            "numeric_requirements": c["numeric"],
            "comparison_stated": c["stated"] / max(1, c["numeric"]),
            "contradicting_letters": c["contradictions"],
            "contradicting_letters_passed": c["passed"],
            "contradiction_probes_skipped": c["probe_skipped"],
            "labelled_criteria": c["labelled"],
            "labelled_not_shown": c["not_shown"],
            "labelled_to_confirm": c["confirm"],
            "labelled_right": c["right"],
            "met_requirements": c["met"],
            "false_met": c["false_met"],
        }
    return out


def main() -> None:
    figures = measure()
    if "--json" in sys.argv:
        print(json.dumps(figures, indent=2))
        return
    for split in (
        "tune", "heldout", "tune-explain", "heldout-explain", "tune-fit", "heldout-fit",
        "tune-shapes", "heldout-shapes", "tune-routes", "heldout-routes", "tune-compare",
        "heldout-compare", "tune-anchors", "heldout-anchors", "tune-kinds", "heldout-kinds",
        "tune-judged", "heldout-judged", "tune-computed", "heldout-computed", "tune-bearing",
        "heldout-bearing",
    ):  # fmt: skip
        f = figures.get(split, {})
        print(
            f"{split:8} cases {f['cases']:.0f}  evidence precision {f['precision']:.2f} "
            f"recall {f['recall']:.2f} (word-matching baseline {f['baseline_precision']:.2f} / "
            f"{f['baseline_recall']:.2f})  comparisons stated {f['comparison_stated']:.2f} of "
            f"{f['numeric_requirements']:.0f} numeric  contradicting letters passed "
            f"{f['contradicting_letters_passed']:.0f} of {f['contradicting_letters']:.0f} "
            f"(probes skipped {f['contradiction_probes_skipped']:.0f})"
        )
        print(
            f"{'':8} status-labelled criteria {f['labelled_criteria']:.0f}: right "
            f"{f['labelled_right']:.0f}, to confirm {f['labelled_to_confirm']:.0f}, "
            f"'not shown' although the case states it {f['labelled_not_shown']:.0f}; "
            f"met on unrelated lines {f['false_met']:.0f} of {f['met_requirements']:.0f} met"
        )


if __name__ == "__main__":
    main()
