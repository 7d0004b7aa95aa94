"""Figures for the strategies on the labelled set (evals/strategy/cases.py), tuned and held-out
slices apart: the change to an authorized service read field by field, the continuation rule
(right rule, or rightly none; the window's state), the drug-exception rule, the exception
grounds (precision and recall: a ground asserted without support is a false positive), and the
request's required and forbidden words; for the grounds that are not 'criteria met'
(evals/strategy/grounds.py): the ground read from the notice, and the letter's, the request's
and the gaps' required and forbidden words.

Usage: python -m evals.strategy.measure   (prints a table; --json for machine-readable;
--detail lists the tuned ground cases' misses)
"""

from __future__ import annotations

import sys
from collections import defaultdict

from evals.slices import print_slices
from evals.strategy.cases import CASES, StrategyCase
from evals.strategy.concessions import cases as concession_cases
from evals.strategy.concessions import score as score_concession
from evals.strategy.grounds import GROUND_CASES, GroundCase
from evals.strategy.step_harm import STEP_HARM_CASES, StepHarmCase
from evals.strategy.whole_request import WHOLE_CASES, WholeCase
from pipeline.draft import compose
from pipeline.engines import OfflineEngine
from pipeline.extract import extract, extract_facts
from pipeline.ingest import ingest_text
from pipeline.letter_format import REQUEST, split_sections
from pipeline.models import CaseFacts
from pipeline.reasoning.exception import drug_exception
from pipeline.reasoning.grounds import select
from pipeline.reasoning.law import continuation, exception_rule


def _count_grounds(out: dict[str, float], asserted: set[str], expected: set[str]) -> None:
    """Exception grounds asserted against the key: a ground asserted without support is a
    false positive."""
    out["grounds_tp"] += len(asserted & expected)
    out["grounds_fp"] += len(asserted - expected)
    out["grounds_fn"] += len(expected - asserted)


def score(sc: StrategyCase) -> dict[str, float]:
    analysis = extract_facts(sc.letter)
    case = CaseFacts.model_validate(sc.case)
    out: dict[str, float] = defaultdict(float)
    change = analysis.service_change
    if sc.change is None:
        out["change_fields"] += 1
        out["change_right"] += change is None
    else:
        for key, value in sc.change.items():
            out["change_fields"] += 1
            out["change_right"] += change is not None and getattr(change, key) == value
    kept = continuation(analysis, sc.letter, case, sc.today)
    out["continuation"] += 1
    got = kept.rule.citation if kept else None
    out["continuation_right"] += got == sc.continuation and (
        sc.continuation_state is None or (kept is not None and kept.state == sc.continuation_state)
    )
    found = drug_exception(analysis, case, sc.letter)
    out["exception"] += 1
    if found is None:
        out["exception_right"] += sc.exception is None
    else:
        rule = exception_rule(analysis.plan_type, sc.letter, found.restriction)
        out["exception_right"] += (rule.citation if rule else "plan") == sc.exception
        _count_grounds(out, {g.key for g in found.grounds}, sc.grounds)
    draft = compose(sc.letter, analysis, case, [], OfflineEngine(), today=sc.today,
                    allow_gaps=True)  # fmt: skip
    request = split_sections(draft.markdown).get(REQUEST, "")
    for words in sc.request_has:
        out["request_words"] += 1
        out["request_right"] += words in request
    for words in sc.request_lacks:
        out["request_words"] += 1
        out["request_right"] += words not in request
    return out


def score_ground(gc: GroundCase) -> dict[str, float]:
    """The ground read from the notice, and the letter's, the request's and the gaps' words
    (the notice read as the pipeline reads it: rules and the offline engine, so the extracted
    prose ground and categories are in the analysis)."""
    analysis = extract(ingest_text(gc.letter, source="eval"), OfflineEngine())
    case = CaseFacts.model_validate(gc.case)
    out: dict[str, float] = defaultdict(float)
    read = select(analysis, gc.letter)
    out["ground"] += 1
    out["ground_right"] += (read.spec.key if read else None) == gc.ground
    draft = compose(gc.letter, analysis, case, [], OfflineEngine(), today=gc.today,
                    allow_gaps=True)  # fmt: skip
    fields = {g.field for g in draft.gaps}
    checks = [
        *_word_checks(draft.markdown, fields, gc),
        *((f"gap names {f}", f in fields) for f in gc.gaps),
    ]
    out["ground_words"] += len(checks)
    out["ground_words_right"] += sum(ok for _, ok in checks)
    if "--detail" in sys.argv and gc.split == "tune":  # never the held-out slice's misses
        for what, ok in checks:
            if not ok:
                print(f"  {gc.name}: {what}", file=sys.stderr)
    return out


def _word_checks(
    markdown: str, fields: set[str], case: GroundCase | StepHarmCase | WholeCase
) -> list[tuple[str, bool]]:
    """The letter's, the request's and the gaps' required and forbidden words of a case."""
    request = split_sections(markdown).get(REQUEST, "")
    return [
        *((f"letter has {w!r}", w in markdown) for w in case.letter_has),
        *((f"letter lacks {w!r}", w not in markdown) for w in case.letter_lacks),
        *((f"request has {w!r}", w in request) for w in case.request_has),
        *((f"request lacks {w!r}", w not in request) for w in case.request_lacks),
        *((f"no gap names {f}", f not in fields) for f in case.no_gaps),
    ]


def score_whole(wc: WholeCase) -> dict[str, float]:
    """The whole request and the review's parties (evals/strategy/whole_request.py): the
    letter's, the request's and the gaps' words, the notice read as the pipeline reads it."""
    analysis = extract(ingest_text(wc.letter, source="eval"), OfflineEngine())
    case = CaseFacts.model_validate(wc.case)
    draft = compose(wc.letter, analysis, case, [], OfflineEngine(), today=wc.today,
                    allow_gaps=True)  # fmt: skip
    checks = _word_checks(draft.markdown, {g.field for g in draft.gaps}, wc)
    if "--detail" in sys.argv and wc.split == "tune":  # never the held-out slice's misses
        for what, ok in checks:
            if not ok:
                print(f"  {wc.name}: {what}", file=sys.stderr)
    return {
        "whole_words": len(checks),
        "whole_words_right": sum(ok for _, ok in checks),
        "whole_cases_right": float(all(ok for _, ok in checks)),
    }


def score_step_harm(hc: StepHarmCase) -> dict[str, float]:
    """A step criterion answered by a harm the record states: the exception's grounds, and the
    letter's, the request's and the gaps' words (the notice read as the pipeline reads it)."""
    analysis = extract(ingest_text(hc.letter, source="eval"), OfflineEngine())
    case = CaseFacts.model_validate(hc.case)
    out: dict[str, float] = defaultdict(float)
    found = drug_exception(analysis, case, hc.letter)
    asserted = {g.key for g in found.grounds} if found else set()
    _count_grounds(out, asserted, hc.grounds)
    draft = compose(hc.letter, analysis, case, [], OfflineEngine(), today=hc.today,
                    allow_gaps=True)  # fmt: skip
    checks = [
        ("exception asked", found is not None),
        *_word_checks(draft.markdown, {g.field for g in draft.gaps}, hc),
    ]
    out["harm_words"] += len(checks)
    out["harm_words_right"] += sum(ok for _, ok in checks)
    out["harm_cases_right"] += all(ok for _, ok in checks) and asserted == hc.grounds
    if "--detail" in sys.argv and hc.split == "tune":  # never the held-out slice's misses
        for what, ok in checks:
            if not ok:
                print(f"  {hc.name}: {what}", file=sys.stderr)
    return out


def measure() -> dict[str, dict[str, float]]:
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for sc in CASES:
        t = totals[sc.split]
        t["cases"] += 1
        for key, value in score(sc).items():
            t[key] += value
    for gc in GROUND_CASES:
        t = totals[gc.split]
        t["ground_cases"] += 1
        for key, value in score_ground(gc).items():
            t[key] += value
    for hc in STEP_HARM_CASES:
        t = totals[hc.split]
        t["harm_cases"] += 1
        for key, value in score_step_harm(hc).items():
            t[f"harm_{key}" if key.startswith("grounds") else key] += value
    for wc in WHOLE_CASES:
        t = totals[wc.split]
        t["whole_cases"] += 1
        for key, value in score_whole(wc).items():
            t[key] += value
    for cc in concession_cases():
        t = totals[cc.split]
        t["concession_cases"] += 1
        for key, value in score_concession(cc).items():
            t[f"concession_{key}"] += value
    figures = {}
    for split, t in totals.items():
        tp, fp, fn = t["grounds_tp"], t["grounds_fp"], t["grounds_fn"]
        figures[split] = {
            "cases": t["cases"],
            "change_fields": t["change_right"] / max(1, t["change_fields"]),
            "continuation_rule": t["continuation_right"] / max(1, t["continuation"]),
            "exception_rule": t["exception_right"] / max(1, t["exception"]),
            "grounds_precision": tp / max(1, tp + fp),
            "grounds_recall": tp / max(1, tp + fn),
            "request_words": t["request_right"] / max(1, t["request_words"]),
            "ground_cases": t["ground_cases"],
            "ground_read": t["ground_right"] / max(1, t["ground"]),
            "ground_letter": t["ground_words_right"] / max(1, t["ground_words"]),
            "harm_cases": t["harm_cases"],
            "harm_cases_right": t["harm_cases_right"] / max(1, t["harm_cases"]),
            "harm_grounds_recall": t["harm_grounds_tp"]
            / max(1, t["harm_grounds_tp"] + t["harm_grounds_fn"]),
            "harm_grounds_precision": t["harm_grounds_tp"]
            / max(1, t["harm_grounds_tp"] + t["harm_grounds_fp"]),
            "harm_words": t["harm_words_right"] / max(1, t["harm_words"]),
            "concession_cases": t["concession_cases"],
            "concession_right": t["concession_right"] / max(1, t["concession_criteria"]),
            "exceptions_wrongly_asked": t["concession_wrong_asks"],
            "exceptions_missed": t["concession_missed_asks"],
            "openings_against": t["concession_against"],
            "whole_cases": t["whole_cases"],
            "whole_cases_right": t["whole_cases_right"] / max(1, t["whole_cases"]),
            "whole_words": t["whole_words_right"] / max(1, t["whole_words"]),
        }
    return figures


def main() -> None:
    print_slices(
        measure(),
        lambda split, f: (
            f"{split:8} cases {f['cases']:.0f}  change fields {f['change_fields']:.2f}  "
            f"continuation rule {f['continuation_rule']:.2f}  exception rule "
            f"{f['exception_rule']:.2f}  grounds P {f['grounds_precision']:.2f} "
            f"R {f['grounds_recall']:.2f}  request words {f['request_words']:.2f}\n"
            f"{'':8} ground cases {f['ground_cases']:.0f}  ground read {f['ground_read']:.2f}  "
            f"ground letter/request/gaps words {f['ground_letter']:.2f}\n"
            f"{'':8} step-harm cases {f['harm_cases']:.0f}  all right "
            f"{f['harm_cases_right']:.2f}  grounds P {f['harm_grounds_precision']:.2f} "
            f"R {f['harm_grounds_recall']:.2f}  letter/request/gaps words {f['harm_words']:.2f}\n"
            f"{'':8} concession cases {f['concession_cases']:.0f}  criteria right "
            f"{f['concession_right']:.2f}  exceptions wrongly asked "
            f"{f['exceptions_wrongly_asked']:.0f}  missed {f['exceptions_missed']:.0f}  "
            f"openings against the physician {f['openings_against']:.0f}\n"
            f"{'':8} whole-request cases {f['whole_cases']:.0f}  all right "
            f"{f['whole_cases_right']:.2f}  letter/request/gaps words {f['whole_words']:.2f}"
        ),
    )


if __name__ == "__main__":
    main()
