"""Full-corpus retrieval benchmark: prints figures, asserts nothing.

- build: a fresh index of the real corpus (every passage, as a fresh clone builds it: the
  shipped vectors, ``corpus/_embeddings``, spare the embedding of passages that have them),
  timed into a temporary directory; and what a passage lacking a shipped vector adds to it
  (``--missing`` passages embedded as the build embeds them, one run each).
- query: ``retrieve()`` latency per mode (p50/p95) over the labelled relevance cases
  (``evals/relevance/cases.yaml``), ``--rounds`` times each, after one warm-up query; and the
  part of it spent embedding the query texts. Target: p50 under 20 ms.

The machine's load average is printed first and last: on shared cores the figures move with it.

Run: ``python benchmarks/bench_corpus.py [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from evals.relevance_eval import DEFAULT_CASES, build  # noqa: E402
from pipeline import embedding  # noqa: E402
from pipeline import retrieve as R  # noqa: E402
from pipeline.corpus import load_corpus  # noqa: E402


def percentiles(ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"p50 {statistics.median(ms):6.1f} ms, p95 {p95:6.1f} ms (n={len(ms)})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--missing", type=int, default=30, help="passages without a shipped vector")
    args = ap.parse_args(argv)
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    corpus = load_corpus()
    by_kind: dict[str, int] = {}
    for p in corpus:
        source = p.file.split("/")[0] + ":" + p.specialty
        by_kind[source] = by_kind.get(source, 0) + 1
    print(f"corpus: {len(corpus)} passages")
    for source, n in sorted(by_kind.items(), key=lambda kv: -kv[1]):
        print(f"  {n:5d}  {source}")
    embedding.load_model()
    cases = [build(c) for c in yaml.safe_load(DEFAULT_CASES.read_text())["cases"]]
    with tempfile.TemporaryDirectory(prefix="lmn-bench-corpus-") as tmp:
        start = time.perf_counter()
        index = R.build_index(index_dir=Path(tmp))
        print(f"fresh index build (shipped vectors): {time.perf_counter() - start:.1f} s")
        texts = [R.document_text(p) for p in corpus[-args.missing :]] if args.missing else []
        start = time.perf_counter()
        embedding.embed(texts)
        if texts:
            took = time.perf_counter() - start
            print(
                f"{len(texts)} passages without shipped vectors would add {took:.1f} s "
                f"({1000 * took / len(texts):.0f} ms each)"
            )
        try:
            index.prepare()
            R.retrieve(*cases[0], index=index)
            for mode in R.Mode:
                ms = []
                for _ in range(args.rounds):
                    for analysis, case in cases:
                        t = time.perf_counter()
                        R.retrieve(analysis, case, index=index, mode=mode)
                        ms.append(1000 * (time.perf_counter() - t))
                print(f"retrieve() {mode.value:8s} {percentiles(ms)}")
            ms = []
            for analysis, case in cases:
                texts = list(dict.fromkeys(R._build_query(analysis, case).vector_texts))
                t = time.perf_counter()
                embedding.embed(texts)
                ms.append(1000 * (time.perf_counter() - t))
            print(f"of which query embedding {percentiles(ms)}")
        finally:
            index.close()
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
