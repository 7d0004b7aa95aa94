"""The labelled denials of ``letter_families`` read end to end: per sub-item and per criterion,
whether the verdict is the one a physician gives and the evidence the one that answers it; whether
the payer's findings leak into a quoted requirement; and the letter's required wording.

Usage: python -m evals.reasoning.measure_letters   (a table; --json; --verbose for each miss)
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Callable

from evals.reasoning.letter_families import LETTER_FAMILIES, Expect, LetterFamily
from evals.slices import print_slices
from pipeline.draft import compose
from pipeline.engines import OfflineEngine
from pipeline.extract import extract
from pipeline.ingest import ingest_text
from pipeline.models import CaseFacts, CriterionVerdict, RequirementVerdict

RECORDS = ("prior_treatments[", "objective_findings[", "clinical_summary[", "documents[")
_MARKER_RE = re.compile(r"(?:^|\s)(?:\(?(?:[a-h]|i{1,3}|iv|v)[.)])\s", re.IGNORECASE)


def _records(paths: list[str]) -> set[str]:
    return {p for p in paths if p.startswith(RECORDS)}


def _part_range(text: str, part: str) -> tuple[int, int] | None:
    """Where the sub-item holding ``part`` sits in the criterion's text: from its words to the
    next sub-item's marker (or the end)."""
    at = text.lower().find(part.lower())
    if at < 0:
        return None
    before = [m.end() for m in _MARKER_RE.finditer(text, 0, at + 1)]
    nxt = _MARKER_RE.search(text, at + len(part))
    return before[-1] if before else at, nxt.start() if nxt else len(text)


def _belongs(rv: RequirementVerdict, text: str, span: tuple[int, int]) -> bool:
    at = text.lower().find(rv.requirement.span.lower())
    return (at >= 0 and span[0] <= at < span[1]) or (
        at >= 0 and at < span[0] and at + len(rv.requirement.span) >= span[1]
        and len(rv.requirement.span) < 2 * (span[1] - span[0])
    )  # fmt: skip


def _status(rvs: list[RequirementVerdict]) -> str:
    if not rvs:
        return "none"
    if all(getattr(rv, "payer_met", False) for rv in rvs):
        return "payer_met"
    statuses = [rv.status for rv in rvs]
    if all(s == "met" for s in statuses):
        return "met"
    return "not_met" if "not_met" in statuses else "unknown"


def _whole(verdict: CriterionVerdict) -> tuple[str, set[str]]:
    status = "payer_met" if verdict.payer_met else verdict.status
    return status, _records(verdict.evidence)


def _judge(verdicts: list[CriterionVerdict], e: Expect, f: LetterFamily) -> tuple[str, set[str]]:
    """The status and evidence the letter gives the expectation's criterion or sub-item. The
    reader may keep a notice's lettered items in their criterion or list each as a criterion of
    its own (the payer's labels): a sub-item is found by its words in either; a criterion whose
    items were listed apart is the all-of of those items' criteria."""
    if e.part is not None:
        for verdict in verdicts:
            text = verdict.criterion.text
            span = _part_range(text, e.part)
            if span is None:
                continue
            if span == (0, len(text)) or _MARKER_RE.search(text) is None:
                return _whole(verdict)  # the item is a criterion of its own
            rvs = [rv for rv in verdict.requirements if _belongs(rv, text, span)]
            return _status(rvs), _records([p for rv in rvs for p in rv.evidence])
        return "none", set()
    words = e.words or ""
    named = [v for v in verdicts if words and words.lower() in v.criterion.text.lower()]
    if named:
        return _whole(named[0])
    items = [x for x in f.expect if x.criterion == e.criterion and x.part is not None]
    found = [_judge(verdicts, x, f) for x in items]
    if not found or any(s == "none" for s, _ in found):
        return ("none", set()) if words else _whole(verdicts[e.criterion - 1])
    statuses = ["met" if s == "payer_met" else s for s, _ in found]
    status = (
        "met"
        if all(s == "met" for s in statuses)
        else ("not_met" if "not_met" in statuses else "unknown")
    )
    return status, {p for _, got in found for p in got}


def _section(md: str) -> str:
    start = md.find("## Response to each criterion")
    end = md.find("\n## ", start + 5)
    return md[start:end] if start >= 0 else ""


def score(
    verdicts: list[CriterionVerdict], expect: list[Expect], f: LetterFamily, c: dict[str, int]
) -> list[str]:
    """Each expectation judged against the verdicts, counted into ``c`` (right/wrong, evidence
    tp/fp/fn); the misses, described."""
    misses = []
    for e in expect:
        if e.criterion > len(verdicts) and e.part is None and not e.words:
            c["wrong"] += 1
            c["fn"] += len(e.evidence)
            misses.append(f"criterion {e.criterion}: not read")
            continue
        status, got = _judge(verdicts, e, f)
        right = status in e.status.split("|")
        c["right" if right else "wrong"] += 1
        c["tp"] += len(got & e.evidence)
        c["fp"] += len(got - e.evidence)
        c["fn"] += len(e.evidence - got)
        if not right or got != e.evidence:
            where = f"criterion {e.criterion}" + (f" ({e.part})" if e.part else "")
            misses.append(f"{where}: {status} {sorted(got)}; want {e.status} {sorted(e.evidence)}")
    return misses


def tally(
    families: list, run_one: Callable[..., dict[str, object]], verbose: bool
) -> dict[str, dict[str, float]]:
    """Each family run and its counts summed by split (``families``: one per family)."""
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for f in families:
        result = run_one(f)
        for k, v in result["counts"].items():  # type: ignore[attr-defined]
            totals[f.split][k] += v
        totals[f.split]["families"] += 1
        if verbose:
            for miss in result["misses"]:  # type: ignore[attr-defined]
                print(f"  {f.split:7} {f.name}: {miss}")
    return totals


def run(f: LetterFamily) -> dict[str, object]:
    analysis = extract(ingest_text(f.denial))
    case = CaseFacts.model_validate(f.case)
    draft = compose(f.denial, analysis, case, [], OfflineEngine(), today=f.today, allow_gaps=True)
    verdicts = draft.verdicts
    out: dict[str, object] = {"misses": []}
    c: dict[str, int] = defaultdict(int)
    out["misses"] = score(verdicts, f.expect, f, c)
    quotes = re.findall(r"The plan requires: “([^”]*)”", draft.markdown)
    quotes += [v.criterion.text for v in verdicts]
    c["leaks"] = sum(1 for q in quotes for w in f.leaks if w in q)
    section = _section(draft.markdown)
    c["must"] = len(f.must)
    c["must_met"] = sum(bool(re.search(p, section)) for p in f.must)
    c["must_not_hit"] = sum(bool(re.search(p, section)) for p in f.must_not)
    out["counts"] = dict(c)
    return out


def measure(verbose: bool = False) -> dict[str, dict[str, float]]:
    totals = tally(LETTER_FAMILIES, run, verbose)
    out = {}
    for split, c in totals.items():
        out[split] = {
            "families": c["families"],
            "verdicts_right": c["right"],
            "verdicts": c["right"] + c["wrong"],
            "precision": c["tp"] / max(1, c["tp"] + c["fp"]),
            "recall": c["tp"] / max(1, c["tp"] + c["fn"]),
            "leaks": c["leaks"],
            "must_met": c["must_met"],
            "must": c["must"],
            "must_not_hit": c["must_not_hit"],
        }
    return out


def main() -> None:
    print_slices(
        measure(verbose="--verbose" in sys.argv),
        lambda split, f: (
            f"{split:8} letters {f['families']:.0f}  verdicts right {f['verdicts_right']:.0f} of "
            f"{f['verdicts']:.0f}  evidence precision {f['precision']:.2f} recall "
            f"{f['recall']:.2f}  finding leaked into a quote {f['leaks']:.0f}  wording "
            f"{f['must_met']:.0f} of {f['must']:.0f}"
        ),
    )


if __name__ == "__main__":
    main()
