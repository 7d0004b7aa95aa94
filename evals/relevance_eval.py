"""Relevance eval: are the passages retrieval offers about this patient?

Each case of ``evals/relevance/cases.yaml`` (a plan type, a birth date, diagnoses, a requested
service, denial categories, criteria and, for a prose notice, its ``ground`` kind) goes through
``retrieve()`` on the real corpus. An offered passage (argument notes aside: they are never
cited) is **fitting** when its id matches one of the case's ``fit`` patterns or its plan type's
``law`` patterns (the case's ``law`` key when it names a program, e.g. ``fehb``), and a
**violation** when it matches a ``must_not`` pattern. Reported per slice (tuned, held out):
precision (fitting / offered), violations, and the share of cases offered at least one
fitting clinical passage (for a case whose ``fit`` is empty, because no corpus passage is
about it: offered none, so that the letter shows the citation gap). Latency:
``benchmarks/bench_corpus.py``.

Run: ``python evals/relevance_eval.py [--cases PATH] [--k 6] [--show]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.codes import is_cpt  # noqa: E402
from pipeline.models import (  # noqa: E402
    CaseFacts,
    Criterion,
    DenialAnalysis,
    DenialGround,
    Diagnosis,
    GroundKind,
    Patient,
    RetrievedPassage,
    Service,
)
from pipeline.relevance import CLINICAL_KINDS  # noqa: E402
from pipeline.retrieve import Index, get_index, retrieve  # noqa: E402

DEFAULT_CASES = ROOT / "evals/relevance/cases.yaml"
TODAY = dt.date(2026, 12, 5)


@dataclass
class Result:
    """One case's offered passages, judged."""

    case: str
    slice: str
    offered: list[str]
    fitting: list[str]
    violations: list[str]
    clinical_fit: bool


@dataclass
class Summary:
    slice: str
    cases: int = 0
    offered: int = 0
    fitting: int = 0
    violations: list[str] = field(default_factory=list)
    clinical_cases: int = 0

    @property
    def precision(self) -> float:
        return self.fitting / self.offered if self.offered else 1.0


def matches(pid: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(pid, p) for p in patterns)


def build(case: dict[str, Any]) -> tuple[DenialAnalysis, CaseFacts]:
    """The denial analysis and case file a labelled case describes."""
    service = case.get("service") or {}
    code = service.get("code")
    analysis = DenialAnalysis(
        plan_type=case["plan_type"],
        insurer=case.get("insurer"),
        letter_date=TODAY,
        cpt_codes=[code] if code and is_cpt(code) else [],
        hcpcs_codes=[code] if code and not is_cpt(code) and code[0].isalpha() else [],
        icd10_codes=list(case["diagnoses"]),
        denial_categories=list(case.get("categories") or []),
        criteria=[Criterion(text=t) for t in case.get("criteria") or []],
        ground=_ground(case.get("ground")),
    )
    born = case.get("born")
    facts = CaseFacts(
        patient=Patient(date_of_birth=dt.date.fromisoformat(str(born)) if born else None),
        diagnoses=[Diagnosis(code=d) for d in case["diagnoses"]],
        service=Service(
            code=code, description=service.get("description"), details=service.get("details")
        ),
        insurer=case.get("insurer"),
    )
    return analysis, facts


def _ground(kind: str | None) -> DenialGround | None:
    """The notice's prose ground a case names (``ground: site_of_care``), stated generically."""
    if not kind:
        return None
    return DenialGround(kind=GroundKind(kind), statement=f"Denied on {kind.replace('_', ' ')}.")


def judge(
    case: dict[str, Any], law: dict[str, list[str]], results: list[RetrievedPassage]
) -> tuple[list[str], list[str], list[str], bool]:
    offered = [rp.passage.id for rp in results if rp.passage.kind != "argument"]
    allowed = [*case.get("fit", []), *law.get(case.get("law", case["plan_type"]), [])]
    fitting = [pid for pid in offered if matches(pid, allowed)]
    violations = [pid for pid in offered if matches(pid, case.get("must_not", []))]
    clinical_offered = [rp for rp in results if rp.passage.kind in CLINICAL_KINDS]
    if not case.get("fit"):  # no passage of the corpus fits: the right answer is none (a gap)
        return offered, fitting, violations, not clinical_offered
    clinical = any(matches(rp.passage.id, case["fit"]) for rp in clinical_offered)
    return offered, fitting, violations, clinical


def evaluate(path: Path = DEFAULT_CASES, *, k: int = 6, index: Index | None = None) -> list[Result]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    index = index if index is not None else get_index()
    out = []
    for case in doc["cases"]:
        analysis, facts = build(case)
        results = retrieve(analysis, facts, k=k, index=index)
        offered, fitting, violations, clinical = judge(case, doc["law"], results)
        out.append(Result(case["id"], case["slice"], offered, fitting, violations, clinical))
    return out


def summarize(results: list[Result]) -> list[Summary]:
    by: dict[str, Summary] = {}
    for r in results:
        s = by.setdefault(r.slice, Summary(r.slice))
        s.cases += 1
        s.offered += len(r.offered)
        s.fitting += len(r.fitting)
        s.violations += [f"{r.case}: {v}" for v in r.violations]
        s.clinical_cases += r.clinical_fit
    return [by[name] for name in ("tuned", "held_out") if name in by]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    ap.add_argument("--k", type=int, default=6)
    ap.add_argument("--show", action="store_true", help="list each case's offered passages")
    args = ap.parse_args(argv)
    index = get_index()
    retrieve(*build({"plan_type": "erisa", "diagnoses": ["M17.11"]}), index=index)  # warm up
    results = evaluate(args.cases, k=args.k, index=index)
    if args.show:
        for r in results:
            print(f"{r.slice:8} {r.case}")
            for pid in r.offered:
                mark = "x" if pid in r.violations else ("+" if pid in r.fitting else "-")
                print(f"    {mark} {pid}")
    print(
        "| slice | cases | offered | precision | must-not offered "
        "| with a fitting guideline (or the gap) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for s in summarize(results):
        print(
            f"| {s.slice} | {s.cases} | {s.offered} | {s.precision:.1%} | {len(s.violations)} "
            f"| {s.clinical_cases}/{s.cases} |"
        )
        for v in s.violations:
            print(f"  must not: {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
