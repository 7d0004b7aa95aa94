#!/usr/bin/env python3
"""Refresh the corpus's shipped passage vectors (``corpus/_embeddings/<model>.npz``).

Embeds only the passages whose text changed since the file was written and drops vectors of
passages no longer in the corpus, so that a fresh clone builds its index without embedding
the whole corpus. Run it after changing or importing corpus passages; a test fails while the
file misses a passage.

Usage::

    python scripts/embed_corpus.py [CORPUS_DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from pipeline import embedding
from pipeline.corpus import load_corpus
from pipeline.paths import corpus_dir
from pipeline.retrieve import document_text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=None, help="corpus root (default: corpus/)")
    args = ap.parse_args(argv)
    root = Path(args.corpus) if args.corpus else corpus_dir()
    texts = [document_text(p) for p in load_corpus(root)]
    path = root / embedding.CACHE_FILE
    cache = embedding.VectorCache.load(path)
    start = time.perf_counter()
    cache.save(path, texts)
    print(
        f"{len(texts)} passages, {cache.misses} embedded in {time.perf_counter() - start:.1f} s; "
        f"wrote {path}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
