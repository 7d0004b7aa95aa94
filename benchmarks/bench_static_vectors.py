"""Would static token vectors do for choosing facts by meaning? Prints figures, asserts nothing.

The verdicts choose a requirement's facts by meaning (``pipeline.reasoning.meaning``), about two
thirds of a warm draft's model tokens. This distils a static table from the project's own int8
MiniLM model by the model2vec method (each vocabulary token run once through the model between
[SEP] and [CLS], the three positions averaged; PCA to 256 dimensions; Zipf SIF weights; a text is
the mean of its tokens' rows), no download and no torch, and compares it with the model on the
labelled reasoning set (tuned and held-out slices) with the meaning floors as they are and
raised for the static space's higher cosines.

Measured at this stop (2026-12-06): the table costs 25-40 s of CPU to distil (with the PCA)
and makes those vectors nearly free, but held-out evidence recall fell (1.00 -> 0.94-0.96 at
every floor tried; tuned 0.94 -> 0.92-0.94), and on the examples' and devset7's drafts it
chose other facts than the model in about half the requirements asked. Not adopted.

Usage: python benchmarks/bench_static_vectors.py [--dims 256] [--sif 1e-4]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evals.reasoning import measure  # noqa: E402
from pipeline import embedding  # noqa: E402
from pipeline.reasoning import meaning, verdicts  # noqa: E402

BATCH = 512


def distil(cache: Path) -> np.ndarray:
    """(vocabulary, 384) output vectors of every token, run once (kept in ``cache``)."""
    if cache.is_file():
        return np.load(cache)
    model = embedding._get_model()
    cls, sep = model.tokenizer.token_to_id("[CLS]"), model.tokenizer.token_to_id("[SEP]")
    rows = []
    for start in range(0, model.tokenizer.get_vocab_size(), BATCH):
        ids = np.arange(start, min(start + BATCH, model.tokenizer.get_vocab_size()))
        seq = np.stack([np.full_like(ids, sep), ids, np.full_like(ids, cls)], axis=1)
        feeds = {"input_ids": seq, "attention_mask": np.ones_like(seq)}
        if "token_type_ids" in model.input_names:
            feeds["token_type_ids"] = np.zeros_like(seq)
        rows.append(model.session.run(None, feeds)[0].mean(axis=1))
    table = np.concatenate(rows).astype(np.float32)
    np.save(cache, table)
    return table


def static_table(raw: np.ndarray, dims: int, sif: float) -> np.ndarray:
    """PCA to ``dims`` and Zipf SIF weights (rank = vocabulary position)."""
    centred = raw - raw.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    inverse = 1.0 / np.arange(2, len(raw) + 2)
    weights = sif / (sif + inverse / inverse.sum())
    return (centred @ vt[:dims].T * weights[:, None]).astype(np.float32)


def static_embedder(table: np.ndarray) -> Callable[[list[str]], np.ndarray]:
    """A text's vector: the mean of its tokens' rows (no [CLS]/[SEP]), unit norm."""
    tokenizer = embedding._get_model().tokenizer

    def embed(texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
        for row, enc in enumerate(tokenizer.encode_batch(texts, add_special_tokens=False)):
            ids = [i for i, m in zip(enc.ids, enc.attention_mask, strict=True) if m]
            if ids:
                v = table[ids].mean(axis=0)
                out[row] = v / max(float(np.linalg.norm(v)), 1e-12)
        return out

    return embed


def reasoning(floor: float, confirm: float) -> str:
    """The reasoning eval's evidence lines at these floors."""
    defaults = list(meaning.Meaning.nearest.__defaults__ or ())
    defaults[-1] = floor
    meaning.Meaning.nearest.__defaults__ = tuple(defaults)
    verdicts.CONFIRM_FLOOR = confirm
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        sys.argv = ["measure"]
        measure.main()
    return "\n".join(
        "    " + line.split("(word")[0] for line in buf.getvalue().splitlines() if "cases" in line
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--sif", type=float, default=1e-4)
    args = parser.parse_args()
    cache = Path(tempfile.gettempdir()) / f"lmn-token-outputs-{embedding.MODEL_ID}.npy"
    start = time.process_time()
    table = static_table(distil(cache), args.dims, args.sif)
    print(f"table {table.shape} ready in {time.process_time() - start:.1f} s CPU ({cache})")
    floor, confirm = meaning.FLOOR, verdicts.CONFIRM_FLOOR
    print(f"model, floors {floor}/{confirm}:\n{reasoning(floor, confirm)}")
    meaning.vectors = static_embedder(table)  # type: ignore[assignment]
    for raise_by in (0.0, 0.05, 0.10):
        f, c = floor + raise_by, confirm + raise_by
        print(f"static, floors {f:.2f}/{c:.2f}:\n{reasoning(f, c)}")


if __name__ == "__main__":
    main()
