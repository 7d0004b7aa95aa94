"""Shipped passage vectors: keyed by the text embedded, complete for the corpus, reused."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pipeline import embedding
from pipeline.corpus import load_corpus
from pipeline.paths import corpus_dir
from pipeline.retrieve import document_text


def test_shipped_vectors_cover_every_corpus_passage() -> None:
    cache = embedding.VectorCache.load(corpus_dir() / embedding.CACHE_FILE)
    missing = [
        p.id for p in load_corpus() if embedding.text_key(document_text(p)) not in cache.vectors
    ]
    assert not missing, f"run python scripts/embed_corpus.py ({len(missing)} missing)"


def test_cached_rows_are_the_model_vectors_and_only_misses_are_embedded(tmp_path: Path) -> None:
    texts = ["Total knee arthroplasty after failed conservative care.", "CPAP for OSA."]
    cache = embedding.VectorCache({})
    first = cache.embed(texts)
    assert cache.misses == 2
    np.testing.assert_allclose(first, embedding.embed(texts), atol=1e-6)
    path = tmp_path / "v.npz"
    cache.save(path, texts[:1])
    again = embedding.VectorCache.load(path)
    assert set(again.vectors) == {embedding.text_key(texts[0])}
    out = again.embed(texts)
    assert again.misses == 1  # only the text the file lacks
    np.testing.assert_allclose(out, first, atol=1e-6)


def test_a_missing_or_foreign_file_is_an_empty_cache(tmp_path: Path) -> None:
    assert embedding.VectorCache.load(tmp_path / "none.npz").vectors == {}
    bad = tmp_path / "bad.npz"
    np.savez(bad, keys=np.array(["a"]), vectors=np.zeros((1, 3)))
    assert embedding.VectorCache.load(bad).vectors == {}
