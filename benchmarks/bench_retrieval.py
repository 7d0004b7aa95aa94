"""Retrieval benchmark: prints figures, asserts nothing.

- index: build a Chroma index of 1,000 passages (the real corpus padded with generated
  passages whose text is recombined from corpus sentences), embedding every passage
  with the real model. Target: under 60 s on 2 cores.
- fresh-clone build: the index of the real corpus built as a fresh clone's first ``lmn draft``
  (or ``lmn corpus build``) builds it: the corpus read, the shipped passage vectors
  (``corpus/_embeddings``) taken, only passages missing from them embedded, Chroma written.
- search: the vector search alone, exact in memory (numpy, as ``retrieve()`` does) against
  Chroma's HNSW index of the same collection: CPU a search and HNSW's share of the exact best.
- query: median and p95 latency of ``retrieve()`` per mode at each collection size: the
  real corpus alone (the issue's "full corpus" figure; target p50 under 20 ms) and 10,000
  passages (target median under 50 ms). To save time the 10,000-passage collection is
  built once with the real corpus embedded by the model and the padding passages stored
  with precomputed random unit vectors (their text is generated as above, so BM25 sees
  realistic documents); queries are the example letters and IMR case summaries, with
  their analyses extracted before timing. ``--collection-size`` takes the sizes to query
  (0: the real corpus alone; default both). The real passages' vectors come from the
  shipped cache (``corpus/_embeddings``), as ``lmn corpus build`` takes them; only passages
  missing from it are embedded.

The last lines sum up the hybrid retrieve() p50/p95 at each size and the fresh-clone build.

Run: ``python benchmarks/bench_retrieval.py [--index-size 1000] [--collection-size 0 10000]
[--no-fresh-build]``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from pipeline import embedding  # noqa: E402
from pipeline import retrieve as R  # noqa: E402
from pipeline.casefile import load_case  # noqa: E402
from pipeline.corpus import load_corpus  # noqa: E402
from pipeline.evals.scorers.base import percentile  # noqa: E402
from pipeline.extract import extract  # noqa: E402
from pipeline.ingest import ingest, ingest_text  # noqa: E402
from pipeline.models import Passage  # noqa: E402
from pipeline.paths import corpus_dir  # noqa: E402

SEED = 20261123
QUERY_ROUNDS = 3


def padded(passages: list[Passage], size: int, rng: random.Random) -> list[Passage]:
    """The corpus plus generated passages (mixed corpus sentences) up to ``size``."""
    guidelines = [p for p in passages if p.kind != "regulation"]
    sentences = [s.strip() + "." for p in passages for s in p.text.split(". ") if len(s) > 30]
    out = list(passages)
    for i in range(size - len(passages)):
        model = rng.choice(guidelines)
        text = " ".join(rng.sample(sentences, 4))
        out.append(
            model.model_copy(
                update={
                    "id": f"bench-pad-{i:05d}",
                    "section": f"Generated section {i}",
                    "text": text,
                    "keywords": rng.sample(model.keywords, min(2, len(model.keywords))),
                }
            )
        )
    return out


def bench_index(passages: list[Passage]) -> None:
    """Time a full build of an index of these passages (model already loaded)."""
    with tempfile.TemporaryDirectory(prefix="lmn-bench-index-") as tmp:
        load = os.getloadavg()[0]
        start, cpu = time.perf_counter(), time.process_time()
        index = R.build_index(passages, Path(tmp), force=True)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        index.close()
    print(
        f"index build: {len(passages)} passages in {elapsed:.1f} s wall "
        f"({len(passages) / elapsed:.1f} passages/s; target < 60 s); "
        f"{cpu:.1f} CPU-s, i.e. about {cpu / embedding.THREADS:.1f} s on "
        f"{embedding.THREADS} otherwise idle cores (load average at start {load:.2f})"
    )


def bench_fresh_build() -> str:
    """Time the build of the real corpus's index as a fresh clone makes it (``build_index``
    into an empty folder: corpus read, shipped vectors, Chroma written); its summary line."""
    cache = embedding.VectorCache.load(corpus_dir() / embedding.CACHE_FILE)
    missing = sum(
        embedding.text_key(R.document_text(p)) not in cache.vectors for p in load_corpus()
    )
    with tempfile.TemporaryDirectory(prefix="lmn-bench-fresh-") as tmp:
        load = os.getloadavg()[0]
        start, cpu = time.perf_counter(), time.process_time()
        index = R.build_index(None, Path(tmp))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        count = len(index.passages)
        index.close()
    line = (
        f"fresh-clone index build: {count} passages in {elapsed:.1f} s wall, {cpu:.1f} CPU-s "
        f"({missing} passages not in the shipped vectors, embedded; load average at start "
        f"{load:.2f})"
    )
    print(line)
    return line


def synthetic_index(passages: list[Passage], real: int, rng: random.Random, tmp: Path) -> R.Index:
    """An open Index of ``passages``: the first ``real`` embedded, the rest random unit vectors."""
    client = R._client(tmp)
    collection = client.create_collection(
        R.COLLECTION,
        embedding_function=embedding.chroma_embedding_function(),
        configuration={"hnsw": {"space": "cosine"}},
    )
    np_rng = np.random.default_rng(rng.randrange(2**32))
    start = time.perf_counter()
    cache = embedding.VectorCache.load(corpus_dir() / embedding.CACHE_FILE)
    vectors = cache.embed([R.document_text(p) for p in passages[:real]])
    embedded = time.perf_counter() - start
    noise = np_rng.standard_normal((len(passages) - real, embedding.DIMENSION)).astype(np.float32)
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    vectors = np.concatenate([vectors, noise])
    start = time.perf_counter()
    for lo in range(0, len(passages), 1000):
        batch = passages[lo : lo + 1000]
        collection.add(
            ids=[p.id for p in batch],
            documents=[R.document_text(p) for p in batch],
            embeddings=vectors[lo : lo + 1000],
            metadatas=[R.passage_metadata(p) for p in batch],
        )
    added = time.perf_counter() - start
    print(
        f"query collection: {len(passages)} passages ({real} real, {cache.misses} of them "
        f"embedded, in {embedded:.1f} s; "
        f"{len(passages) - real} random unit vectors); Chroma add {added:.1f} s"
    )
    return R.Index(tmp, client, collection, {p.id: p for p in passages}, "bench")


def queries() -> list[tuple[object, object, str]]:
    """(analysis, case facts or None, letter text) for the examples and IMR summaries."""
    out = []
    for case_file in sorted(ROOT.glob("examples/*/case.yaml")):
        if case_file.parent.name == "incomplete":
            continue
        letter = ingest(str(case_file.parent / "letter.txt"))
        out.append((extract(letter), load_case(case_file), letter.text))
    suite = ROOT / "evals/suites/imr.jsonl"
    if suite.is_file():
        import json

        for line in suite.read_text(encoding="utf-8").splitlines()[:20]:
            letter = ingest_text(json.loads(line)["denial_letter"])
            out.append((extract(letter), None, letter.text))
    return out


def bench_queries(index: R.Index) -> dict[R.Mode, tuple[float, float, float]]:
    """Median and p95 retrieve() latency per mode, printed and returned (ms: median, p95, median
    CPU)."""
    inputs = queries()
    start = time.perf_counter()
    _ = index.lexical  # built on first access
    print(f"BM25 index over {len(index.passages)} passages: {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    _ = index.vectors
    print(f"stored vectors read into memory: {time.perf_counter() - start:.2f} s")
    figures = {}
    for mode in R.Mode:
        R.retrieve(*inputs[0][:2], k=6, index=index, mode=mode, letter_text=inputs[0][2])
        times, cpus = [], []
        for _ in range(QUERY_ROUNDS):
            for analysis, case, text in inputs:
                # each query as a new one: the vectors an earlier query of the same words left
                # in the process (``embedding.remembered``) would skip the model
                embedding.remembered.clear()
                t, c = time.perf_counter(), time.process_time()
                R.retrieve(analysis, case, k=6, index=index, mode=mode, letter_text=text)
                times.append(time.perf_counter() - t)
                cpus.append(time.process_time() - c)
        print(
            f"query {mode.value:<7}: median {statistics.median(times) * 1000:.1f} ms, "
            f"p95 {percentile(times, 95) * 1000:.1f} ms over {len(times)} queries "
            "(target median < 50 ms); "
            f"median CPU {statistics.median(cpus) * 1000:.1f} ms, "
            f"p95 CPU {percentile(cpus, 95) * 1000:.1f} ms"
        )
        figures[mode] = (
            statistics.median(times) * 1000,
            percentile(times, 95) * 1000,
            statistics.median(cpus) * 1000,
        )
    return figures


def bench_search(index: R.Index, n: int = 24) -> None:
    """The vector search alone, exact in memory (what ``retrieve()`` does: the case's vector
    against the pool's stored vectors as one matrix product, then the ``n`` best, BLAS on one
    thread) against Chroma's HNSW index of the same collection, on the bench queries' case
    vectors (embedded before timing): median and p95 CPU a search, and the share of the exact
    ``n`` best that HNSW finds."""
    texts = list(
        dict.fromkeys(
            R._build_query(analysis, case, text).vector_texts[0]  # type: ignore[arg-type]
            for analysis, case, text in queries()
        )
    )
    vectors = embedding.embed(texts)
    pools = {
        "numpy, every passage": index.subset(list(index.passages)),
        "numpy, non-regulation": index.pool(regulations=False),
    }
    timings: dict[str, list[float]] = {name: [] for name in [*pools, "chroma HNSW"]}
    found = 0
    for _ in range(QUERY_ROUNDS):
        for row in vectors:
            exact: set[str] = set()
            with R._blas_single_thread():  # as retrieve() searches
                for name, pool in pools.items():
                    c = time.process_time()
                    top = R._top(pool.vectors @ row, n)
                    timings[name].append(time.process_time() - c)
                    exact = exact or {pool.ids[i] for i in top}
            c = time.process_time()
            got = index.collection.query(query_embeddings=[row.tolist()], n_results=n, include=[])
            timings["chroma HNSW"].append(time.process_time() - c)
            found += len(exact & set(got["ids"][0]))
    for name, spent in timings.items():
        print(
            f"vector search, {name} ({len(index.passages)} passages, top {n}): median CPU "
            f"{statistics.median(spent) * 1000:.2f} ms, p95 {percentile(spent, 95) * 1000:.2f} ms"
        )
    print(f"  HNSW found {found / (len(vectors) * n * QUERY_ROUNDS):.1%} of the exact top {n}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-size", type=int, default=1000, help="0 skips the build")
    parser.add_argument(
        "--collection-size",
        type=int,
        nargs="+",
        default=[0, 10000],
        help="passages in each queried collection (0: the real corpus alone)",
    )
    parser.add_argument(
        "--no-fresh-build", action="store_true", help="skip the fresh-clone index build"
    )
    args = parser.parse_args(argv)
    rng = random.Random(SEED)
    corpus = load_corpus()
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    start = time.perf_counter()
    embedding.load_model()
    print(f"model load: {time.perf_counter() - start:.2f} s; corpus: {len(corpus)} passages")
    summary = [bench_fresh_build()] if not args.no_fresh_build else []
    if args.index_size > 0:
        bench_index(padded(corpus, args.index_size, rng))
    for wanted in args.collection_size:
        size = max(wanted, len(corpus))
        with tempfile.TemporaryDirectory(prefix="lmn-bench-query-") as tmp:
            index = synthetic_index(padded(corpus, size, rng), len(corpus), rng, Path(tmp))
            try:
                bench_search(index)
                median, p95, cpu = bench_queries(index)[R.Mode.hybrid]
            finally:
                index.close()
        what = "the real corpus" if size == len(corpus) else "padded"
        summary.append(
            f"hybrid retrieve() at {size:,} passages ({what}): p50 {median:.1f} ms, "
            f"p95 {p95:.1f} ms wall, median CPU {cpu:.1f} ms"
        )
    print("summary:")
    for line in summary:
        print(f"  {line}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
