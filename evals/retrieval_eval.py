"""Retrieval eval on real IMR decisions: does the top 5 hold the body the reviewers relied on?

For every case of ``evals/suites/imr.jsonl`` whose ``expected.authorities`` is non-empty
(the Findings named a guideline body), the case's summary (verdict and reasoning already
removed by ``convert_imr.py``) goes through the real pipeline: ``ingest_text`` ->
``extract`` -> ``retrieve(analysis, letter_text=summary)``, once per ranking mode.

A retrieved passage is a **hit** when both hold:

* **body**: one of the case's expected authorities is among the passage's ``short_body``
  parts (``"ACC/AHA"`` counts for ACC and for AHA); and
* **service**: the passage's title, section or keywords contain one of the terms listed
  for the case's ``TreatmentSubCategory`` in :data:`SERVICE_TERMS` (for the catch-all
  sub-categories "Other" and "Surgery", the terms of the ``TreatmentCategory``), and, when
  :data:`DIAGNOSIS_TERMS` lists the case's ``DiagnosisSubCategory``, one of those too —
  so an NCCN lung-cancer passage is no hit for a gastric-cancer regimen.

recall@5 is the share of cases with a hit among the first 5 passages; MRR is the mean of
1 / rank of the first hit within the first ``MRR_DEPTH`` (0 when none).

Run: ``python evals/retrieval_eval.py [--suite PATH] [--k 5] [--cases]``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SUITE = ROOT / "evals/suites/imr.jsonl"
MODES = ("vector", "lexical", "hybrid")
MRR_DEPTH = 10

SERVICE_TERMS: dict[str, tuple[str, ...]] = {
    # TreatmentSubCategory -> terms one of which the passage metadata must contain
    "Bariatric Surgery": (
        "bariatric",
        "metabolic surgery",
        "sleeve",
        "gastric bypass",
        "endoscopic",
    ),
    "Biologics": ("biologic", "omalizumab", "monoclonal antibody"),
    "Cancer Rx": (
        "systemic therapy",
        "chemotherapy",
        "regimen",
        "immunotherapy",
        "targeted therapy",
        "line",
        "inhibitor",
    ),
    "CT Scan": ("ct", "computed tomography", "calcium scor"),
    "Diabetic Medication": ("glucose-lowering", "glp-1", "tirzepatide", "pharmacologic"),
    "Genetic/Genomic Test": (
        "genetic",
        "genomic",
        "gene expression",
        "ctdna",
        "circulating tumor dna",
        "molecular",
        "biomarker",
    ),
    "Glucagon-Like Peptide-1 (GLP)": ("glp-1", "semaglutide", "tirzepatide"),
    "Glucose Monitor": ("cgm", "continuous glucose monitor"),
    "Hormones": ("growth hormone", "somatropin", "hormone"),
    "Incontinence Supplies": ("incontinence",),
    "Liposuction": ("liposuction", "lipectomy"),
    "MRI": ("mri", "magnetic resonance"),
    "Organ Transplant": ("transplant",),
    "Orthotics": ("orthotic", "orthoses", "orthosis"),
    "PET Scan": ("pet",),
    "Radiation Therapy": ("radiation", "radiotherapy", "brachytherapy"),
    "Radiofreq Ablat": ("radiofrequency ablation", "ablation"),
    "SCP Consult Refer": ("consult", "referral", "specialist"),
    "Special Bed": ("bed", "durable medical equipment"),
    "Wearable Cardio Defib": ("wearable cardioverter", "defibrillator"),
    "Weight Control": (
        "weight management",
        "obesity pharmacotherapy",
        "anti-obesity",
        "semaglutide",
        "tirzepatide",
    ),
}
CATEGORY_TERMS: dict[str, tuple[str, ...]] = {
    # TreatmentCategory -> terms, used when the sub-category is a catch-all
    "DME": ("durable medical equipment", "dme", "device", "equipment", "orthotic", "lift"),
    "Cancer Care": ("surgery", "surgical", "resection", "transplant"),
    "Gen Surg Proc": ("surgery", "surgical"),
    "Pharmacy": ("drug", "medication", "pharmacotherapy"),
}
CATCH_ALL = frozenset({"Other", "Surgery"})
DIAGNOSIS_TERMS: dict[str, tuple[str, ...]] = {
    # DiagnosisSubCategory -> terms one of which the passage metadata must also contain
    "Breast": ("breast",),
    "Gastric/Stomach": ("gastric", "stomach", "esophagogastric"),
    "Lung": ("lung", "nsclc"),
    "Neuroendocrine": ("neuroendocrine", "carcinoid"),
    "Skin": ("melanoma", "skin"),
    "Thyroid Problems": ("thyroid",),
    "Tumor": ("tumor", "brain", "meningioma", "glioma"),
}


@dataclass
class CaseResult:
    """One case under one mode: the ranked passages and the ranks (1-based) of hits."""

    case_id: str
    mode: str
    hit_ranks: list[int]
    """Ranks of passages from an expected body about the service (the main metric)."""
    service_ranks: list[int] = field(default_factory=list)
    """Ranks of passages about the service, from any body (the secondary metric)."""
    top: list[str] = field(default_factory=list)

    def first_hit(self) -> int | None:
        return min(self.hit_ranks) if self.hit_ranks else None


@dataclass
class ModeScore:
    """Aggregate for one mode."""

    mode: str
    cases: int
    recall: float
    mrr: float
    service_cases: int
    service_recall: float
    seconds: float


def _terms_in(terms: Iterable[str], text: str) -> bool:
    """True when a term occurs in ``text`` starting at a word boundary."""
    return any(re.search(rf"(?<![a-z0-9]){re.escape(t)}", text) for t in terms)


def service_terms(metadata: dict) -> tuple[str, ...]:
    """The service terms for a case (sub-category, or category for a catch-all)."""
    sub = metadata.get("TreatmentSubCategory") or ""
    if sub in CATCH_ALL or sub not in SERVICE_TERMS:
        return CATEGORY_TERMS.get(metadata.get("TreatmentCategory") or "", ())
    return SERVICE_TERMS[sub]


def is_hit(passage: object, expected_bodies: Sequence[str], metadata: dict) -> bool:
    """The passage is from an expected body and about the case's service (module docstring)."""
    from pipeline.evals.scorers.retrieval import bodies

    if not bodies(passage.short_body).intersection(b.upper() for b in expected_bodies):
        return False
    return about_service(passage, metadata)


def about_service(passage: object, metadata: dict) -> bool:
    """The passage's title, section or keywords name the case's service (and diagnosis)."""
    text = " ".join([passage.title, passage.section, *passage.keywords]).lower()
    if not _terms_in(service_terms(metadata), text):
        return False
    diagnosis = DIAGNOSIS_TERMS.get(metadata.get("DiagnosisSubCategory") or "")
    return diagnosis is None or _terms_in(diagnosis, text)


def load_suite(path: Path = DEFAULT_SUITE) -> list[dict]:
    """Cases of a JSON-lines suite."""
    with Path(path).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def eligible(cases: Iterable[dict]) -> list[dict]:
    """Cases whose Findings named at least one guideline body."""
    return [c for c in cases if c.get("expected", {}).get("authorities")]


def run_case(case: dict, mode: str, index: object, k: int) -> CaseResult:
    """Retrieve for one case as the pipeline does, and find the hits."""
    from pipeline.extract import extract
    from pipeline.ingest import ingest_text
    from pipeline.retrieve import retrieve

    letter = ingest_text(case["denial_letter"], source=case["id"])
    analysis = extract(letter)
    hits = retrieve(analysis, None, k=k, index=index, mode=mode, letter_text=letter.text)
    main = [h for h in hits if h.passage.kind != "regulation"][:k]
    bodies = case["expected"].get("authorities") or []
    meta = case["metadata"]
    ranks = [h.rank for h in main if is_hit(h.passage, bodies, meta)]
    service = [h.rank for h in main if about_service(h.passage, meta)]
    return CaseResult(case["id"], mode, ranks, service, [h.passage.id for h in main])


def evaluate(
    cases: Sequence[dict],
    *,
    modes: Sequence[str] = MODES,
    k: int = 5,
    index: object | None = None,
) -> tuple[list[ModeScore], list[CaseResult]]:
    """Per mode, in one run: recall@k and MRR (first ``max(k, MRR_DEPTH)``) over the cases
    naming a guideline body, and service recall@k over all cases."""
    from pipeline.retrieve import get_index

    index = index if index is not None else get_index()
    depth = max(k, MRR_DEPTH)
    scores: list[ModeScore] = []
    results: list[CaseResult] = []
    for mode in modes:
        start = time.perf_counter()
        mode_results = [run_case(c, mode, index, depth) for c in cases]
        elapsed = time.perf_counter() - start
        named = [
            r for r, c in zip(mode_results, cases, strict=True) if c["expected"].get("authorities")
        ]
        firsts = [r.first_hit() for r in named]
        n = len(named) or 1
        recall = sum(1 for f in firsts if f is not None and f <= k) / n
        mrr = sum(1.0 / f for f in firsts if f is not None) / n
        service = sum(1 for r in mode_results if any(x <= k for x in r.service_ranks))
        scores.append(
            ModeScore(
                mode,
                len(named),
                recall,
                mrr,
                len(mode_results),
                service / (len(mode_results) or 1),
                elapsed,
            )
        )
        results += mode_results
    return scores, results


def format_table(scores: Sequence[ModeScore], k: int = 5) -> str:
    """The per-mode table as Markdown."""
    lines = [
        f"| mode | cases naming a body | recall@{k} | MRR@{max(k, MRR_DEPTH)} "
        f"| all cases | service recall@{k} | seconds |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {s.mode} | {s.cases} | {s.recall:.3f} | {s.mrr:.3f} | {s.service_cases} "
        f"| {s.service_recall:.3f} | {s.seconds:.1f} |"
        for s in scores
    ]
    return "\n".join(lines)


def format_cases(results: Sequence[CaseResult], cases: Sequence[dict]) -> str:
    """Per case and mode: the first hit's rank and the top passage ids."""
    meta = {c["id"]: c for c in cases}
    lines = []
    for r in results:
        case = meta[r.case_id]
        lines.append(
            f"{r.mode:<8} {r.case_id:<16} first_hit={r.first_hit()!s:<5} "
            f"service={min(r.service_ranks, default=None)!s:<5} "
            f"{case['metadata'].get('TreatmentSubCategory')} {case['expected']['authorities']}"
            f"\n         top: {', '.join(r.top[:5])}"
        )
    return "\n".join(lines)


VARIANTS: dict[str, tuple[str, ...]] = {
    "without the Treatment line": ("Treatment:",),
    "summary sentence(s) only": ("Independent Medical Review", "Diagnosis:", "Treatment:"),
}
"""Ablations: the same cases with lines starting with these prefixes removed (harder)."""


def without_lines(cases: Sequence[dict], prefixes: tuple[str, ...]) -> list[dict]:
    """Copies of the cases whose letters lack the lines starting with ``prefixes``."""
    out = []
    for case in cases:
        lines = case["denial_letter"].split("\n")
        kept = "\n".join(line for line in lines if not line.startswith(prefixes))
        out.append({**case, "denial_letter": kept})
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the eval table (and per-case detail with --cases)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", type=Path, default=DEFAULT_SUITE)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--cases", action="store_true", help="print per-case results")
    parser.add_argument(
        "--no-variants", action="store_true", help="skip the harder ablation tables"
    )
    args = parser.parse_args(argv)
    if not args.suite.is_file():
        print(f"error: suite not found: {args.suite} (run evals/convert_imr.py)", file=sys.stderr)
        return 1
    cases = load_suite(args.suite)
    if not eligible(cases):
        print("error: no case names a guideline body", file=sys.stderr)
        return 1
    scores, results = evaluate(cases, k=args.k)
    if args.cases:
        print(format_cases(results, cases))
        print()
    print(format_table(scores, args.k))
    if not args.no_variants:
        for name, prefixes in VARIANTS.items():
            print(f"\nAblation: case text {name}")
            print(format_table(evaluate(without_lines(cases, prefixes), k=args.k)[0], args.k))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
