"""Retrieve corpus passages for a denial: a persistent Chroma index plus metadata reranking.

Index layout (``index_dir``)::

    CURRENT                 name of the active build directory (replaced atomically)
    build-<hash12>-<id>/    a Chroma persistent directory + manifest.json + passages.json
    .tmp-<id>/              a build in progress (renamed to build-... when complete)
    .lock                   serializes builds between processes (POSIX only)

A build writes a complete new directory, then swaps ``CURRENT``; a crash mid-build leaves
the previous index in use. ``open_index`` rebuilds when the corpus hash, the embedding model
or the index schema changed, or when there is no index yet.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import hashlib
import json
import logging
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np

from . import corpus_server, embedding, positions, relevance
from .appeal import all_specs
from .corpus import corpus_hash, load_corpus
from .errors import EngineError, InputError
from .lexical import BM25
from .models import CaseFacts, DenialAnalysis, GroundKind, Passage, PlanType, RetrievedPassage
from .paths import corpus_dir, index_dir
from .reasoning.fit import MEDICARE_PLANS, medicare_rule
from .reasoning.grounds import UNREAD, Choice, chosen
from .reasoning.grounds import question as ground_question

logger = logging.getLogger(__name__)

COLLECTION = "lmn-corpus"
SCHEMA = 2
"""Bump when the document text or metadata layout changes: forces a rebuild."""
ADD_BATCH = 64
"""Passages embedded per batch (a build's progress bar counts them)."""
STALE_TMP_SECONDS = 3600

SERVICE_BOOST = 0.20
CONDITION_BOOST = 0.10
PRIMARY_CATEGORY_BOOST = 0.06
CATEGORY_BOOST = 0.04
VERIFIED_BOOST = 0.02
MAX_BENCHMARK_PARTS = 1
"""Parts of Medicare's own coverage rules offered under a plan they do not bind (benchmarks)."""
PLAN_BOOST = 0.05
"""Regulations: specific to the known plan type, or general when the plan type is unknown."""
MAX_REGULATIONS = 3
REGULATION_POOL = 60
"""Most relevant regulations considered per query, among those that apply to the plan type."""
CRITERION_HITS = 3
"""A criterion is recorded on at most this many of the returned passages (its best ones)."""
MIN_CRITERION_SIMILARITY = 0.15
"""Vector mode: a passage's cosine to the case's query below this counts for no criterion."""
MIN_CRITERION_BM25 = 0.15
"""Hybrid and lexical modes: a passage's normalized BM25 for a criterion's words (a share of
the corpus's best score for them) below this counts for no criterion. The value is the one
first tuned for cosine; it is kept because the example and dev-set letters were drafted with
it, not because it was tuned for BM25."""
FALLBACK_QUERY = "medical necessity of the requested treatment"
PHYSICIAN_SCORE = 10.0
"""The physician's own sources (case file ``citations``) come before every corpus passage."""


class Mode(StrEnum):
    """Which relevance signal ranks passages (metadata boosts apply in every mode)."""

    hybrid = "hybrid"
    vector = "vector"
    lexical = "lexical"


DEFAULT_MODE = Mode.hybrid
"""Measured best on the IMR retrieval eval (evals/retrieval_eval.py)."""
HYBRID_LEXICAL_WEIGHT = 0.5
"""Hybrid relevance = (1 - w) * cosine + w * BM25 / best BM25 for the query."""
MAX_LETTER_CONTEXT = 600
"""Characters of the letter's request sentences added to the (BM25) query."""
MAX_VECTOR_LETTER_CONTEXT = 300
"""Characters of them in the embedded overall query (embedding cost grows with length)."""
_WORD = re.compile(r"[a-z0-9]+")
"""A word of a treatment name or a service's description, as the relevance contract reads
whole words (``relevance._whole_words``)."""
_LETTER_PIECE = re.compile(r"\n|(?<=[.!?])\s+")
_REQUEST_WORDS = re.compile(
    r"\b(?:request(?:ed|s)?|service|procedure|treatment|therapy|medication|drug|device|"
    r"equipment|diagnos[ie]s|coverage for|authorization for|denied|denial|not medically "
    r"necessary|experimental|investigational)\b",
    re.IGNORECASE,
)
_RIGHTS_WORDS = re.compile(
    r"\b(?:appeal|call|phone|fax|tty|mail|address|days|deadline|rights?|external review|"
    r"peer-to-peer|hours)\b",
    re.IGNORECASE,
)


@dataclass
class Index:
    """An open corpus index: the Chroma client and collection and the passages by id."""

    path: Path
    client: Any
    collection: Any
    passages: dict[str, Passage]
    corpus_hash: str
    _fixed_rows: dict[tuple[str, ...], np.ndarray] = field(
        default_factory=dict, init=False, repr=False
    )
    """BM25 rows of constant query texts (:meth:`fixed_lexical`)."""
    _fixed_vectors: dict[str, np.ndarray] = field(default_factory=dict, init=False, repr=False)
    """Unit vectors of constant query texts (:meth:`fixed_vectors`)."""

    # Built on first use and kept: functools.cached_property (on Python 3.11 it also holds
    # a lock while building, so concurrent first requests build each one once).

    @functools.cached_property
    def order(self) -> dict[str, int]:
        """Passage id -> its row in ``vectors`` and column in ``lexical`` (corpus order)."""
        return {pid: i for i, pid in enumerate(self.passages)}

    @functools.cached_property
    def lexical(self) -> BM25:
        """The BM25 index over the passages, in ``order`` (~10 ms per 300 passages)."""
        return BM25.build((p.id, lexical_text(p)) for p in self.passages.values())

    @functools.cached_property
    def vectors(self) -> np.ndarray:
        """The stored passage vectors, one row per passage in ``order`` (read from Chroma)."""
        got = self.collection.get(include=["embeddings"])
        matrix = np.zeros((len(self.order), embedding.DIMENSION), dtype=np.float32)
        for pid, vector in zip(got["ids"], got["embeddings"], strict=True):
            if pid in self.order:
                matrix[self.order[pid]] = vector
        return matrix

    @functools.cached_property
    def code_map(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """(service code -> passage ids, ICD-10 prefix -> passage ids)."""
        services: dict[str, list[str]] = {}
        conditions: dict[str, list[str]] = {}
        for pid, passage in self.passages.items():
            for code in passage.services:
                services.setdefault(code, []).append(pid)
            for prefix in relevance.reach(passage):
                conditions.setdefault(prefix, []).append(pid)
        return services, conditions

    @functools.cached_property
    def condition_prefixes(self) -> list[str]:
        """The ICD-10 prefixes of ``code_map``, sorted (those extending a diagnosis are one run
        of them)."""
        return sorted(self.code_map[1])

    def condition_ids(self, diagnoses: Iterable[str]) -> set[str]:
        """Ids of the passages one of whose prefixes (``relevance.reach``) is a prefix of one of
        ``diagnoses`` or extends it (``relevance.condition_fits``): each diagnosis's own
        prefixes looked up, and the run of sorted prefixes starting with it, instead of every
        prefix of the corpus tried against every diagnosis (~1,070 prefixes: ~1 ms a query)."""
        conditions, keys = self.code_map[1], self.condition_prefixes
        found: set[str] = set()
        for diagnosis in diagnoses:
            for end in range(len(diagnosis) + 1):
                found.update(conditions.get(diagnosis[:end], ()))
            at = bisect.bisect_left(keys, diagnosis)
            while at < len(keys) and keys[at].startswith(diagnosis):
                found.update(conditions[keys[at]])
                at += 1
        return found

    @functools.cached_property
    def treatment_words(self) -> tuple[dict[str, list[str]], frozenset[str]]:
        """(first word of a treatment name -> ids of the clinical passages about a service
        that name it, ids of the non-regulation passages that are not such a passage).

        A word is a run of a-z and 0-9, as ``relevance.treatment_requested`` reads a name
        in the service's description; a name that does not start with one is found under
        every word (its passage is among the second set)."""
        words: dict[str, list[str]] = {}
        others = []
        for pid, passage in self.passages.items():
            if passage.kind == "regulation":
                continue
            firsts = [_WORD.match(name.lower()) for name in passage.treatments if name.strip()]
            if (
                passage.kind not in relevance.CLINICAL_KINDS
                or not relevance.about_a_service(passage)
                or not all(firsts)
            ):
                others.append(pid)
                continue
            for first in dict.fromkeys(m.group() for m in firsts if m):
                words.setdefault(first, []).append(pid)
        return words, frozenset(others)

    @functools.cached_property
    def arguments(self) -> frozenset[str]:
        """Ids of the argument notes (they fit every case; they are never cited)."""
        return frozenset(pid for pid, p in self.passages.items() if p.kind == "argument")

    @functools.cached_property
    def _pools(self) -> dict[bool, Pool]:
        by_kind: dict[bool, list[str]] = {False: [], True: []}
        for pid, passage in self.passages.items():
            by_kind[passage.kind == "regulation"].append(pid)
        return {regulations: self.subset(ids) for regulations, ids in by_kind.items()}

    def pool(self, regulations: bool) -> Pool:
        """The regulation (or all other) passages."""
        return self._pools[regulations]

    def fixed_lexical(self, texts: tuple[str, ...]) -> np.ndarray:
        """``lexical.normalized`` of constant query texts (the per-plan appeal queries),
        scored over the corpus once per index (read-only)."""
        rows = self._fixed_rows.get(texts)
        if rows is None:
            rows = self.lexical.normalized(list(texts))
            rows.setflags(write=False)
            self._fixed_rows[texts] = rows
        return rows

    def fixed_vectors(self, texts: tuple[str, ...]) -> np.ndarray:
        """Unit vectors of constant query texts (the per-plan appeal queries), each embedded
        once per index (:meth:`prepare` embeds every plan type's; read-only)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._fixed_vectors]
        if missing:
            for text, row in zip(missing, embedding.embed(missing), strict=True):
                row.setflags(write=False)
                self._fixed_vectors[text] = row
        rows = np.stack([self._fixed_vectors[t] for t in texts])
        rows.setflags(write=False)
        return rows

    def subset(self, ids: list[str]) -> Pool:
        """These passages as a Pool (their columns in ``order`` looked up now)."""
        return Pool(self, ids, np.asarray([self.order[i] for i in ids], dtype=np.int64))

    def prepare(self) -> Index:
        """Build now what retrieve() reads in every mode (BM25, the stored vectors, the
        pools, the code map, every plan type's appeal queries embedded and scored), so that
        concurrent first queries do not each build them."""
        _ = self.lexical, self.condition_prefixes, self.treatment_words  # built on first access
        for regulations in (False, True):
            _ = self.pool(regulations).vectors  # reads self.vectors
        appeal = tuple(dict.fromkeys(t for texts in APPEAL_QUERIES.values() for t in texts))
        self.fixed_vectors(appeal)  # one call: a text's vector is the same in any batch
        for text in appeal:
            self.fixed_lexical((text,))  # as _rank_regulations asks for them
        return self

    def close(self) -> None:
        """Release the Chroma client (files, connections)."""
        with contextlib.suppress(Exception):
            self.client.close()


@dataclass(eq=False)
class Pool:
    """Passages searched together: their ids, their columns in ``Index.order`` and, read on
    first use, their stored vectors as one contiguous matrix (copied once per pool, not on
    every search)."""

    index: Index = field(repr=False)
    ids: list[str]
    columns: np.ndarray

    @functools.cached_property
    def vectors(self) -> np.ndarray:
        """(len(ids), DIMENSION) rows of ``index.vectors``."""
        return self.index.vectors[self.columns]


@dataclass
class _Query:
    """The queries for one analysis, and the codes used for boosts."""

    texts: list[str]
    """texts[0] is the overall query; texts[1 + i] is criterion i's (BM25 uses these)."""
    vector_texts: list[str]
    """What the embedding model reads for each query: the case's compact query (no criteria
    text, a shorter letter excerpt) for every one of them (``_build_query``)."""
    scope: relevance.Scope
    """What the case is about: the codes for boosts and the relevance contract."""
    categories: list[str]
    question: GroundKind | None = None
    """The question the notice's ground disputes (``site_of_care``), None for whether the
    care is indicated (:func:`answers`)."""


@dataclass
class _Candidate:
    """A passage with its best similarity and per-criterion similarities."""

    passage: Passage
    similarity: float = -1.0
    by_criterion: dict[int, float] = field(default_factory=dict)
    boost: float = 0.0
    score: float = 0.0


# --------------------------------------------------------------------------- index


def document_text(passage: Passage) -> str:
    """The text embedded for a passage: title, section, recommendation, keywords, text."""
    parts = [passage.title, passage.section]
    if passage.recommendation:
        parts.append(f"Recommendation: {passage.recommendation}")
    if passage.keywords:
        parts.append("Keywords: " + ", ".join(passage.keywords))
    parts.append(passage.text)
    return ". ".join(p.strip().rstrip(".") for p in parts if p.strip())


def lexical_text(passage: Passage) -> str:
    """The text BM25 indexes: the embedded text plus the issuing body, keywords repeated."""
    extra = [passage.issuing_body, passage.short_body, *passage.keywords]
    return f"{document_text(passage)}. {'. '.join(extra)}"


def _bar(values: Sequence[str]) -> str:
    """A list as a scalar metadata string: ['A', 'B'] -> '|A|B|' ([] -> '')."""
    return "|" + "|".join(str(v) for v in values) + "|" if values else ""


def passage_metadata(passage: Passage) -> dict[str, Any]:
    """Chroma metadata for a passage (scalars only)."""
    return {
        "id": passage.id,
        "kind": passage.kind,
        "specialty": passage.specialty,
        "year": passage.year,
        "verified": passage.verified,
        "file": passage.file,
        "services": _bar(passage.services),
        "conditions": _bar(passage.conditions),
        "categories": _bar([c.value for c in passage.categories]),
        "plan_types": _bar([p.value for p in passage.plan_types]),
    }


def build_index(
    passages: list[Passage] | None = None,
    index_dir: Path | None = None,
    *,
    force: bool = False,
    corpus_root: Path | None = None,
) -> Index:
    """Build (or, unless ``force``, reuse an up-to-date) index and open it.

    ``passages`` defaults to ``load_corpus(corpus_root)``; explicit passages are hashed
    by content, so a later ``open_index`` on the corpus rebuilds from the corpus.
    """
    root = _index_root(index_dir)
    source_hash = corpus_hash(corpus_root) if passages is None else _passages_hash(passages)
    with _build_lock(root):
        current = None if force else _current_build(root)
        if current is not None and _manifest_matches(current, source_hash):
            with contextlib.suppress(EngineError):  # unusable: fall through and rebuild
                return _open_build(current, source_hash)
        if passages is None:
            passages = load_corpus(corpus_root)
        path = _build(root, passages, source_hash)
    return _open_build(path, source_hash)


def needs_build(index_dir: Path | None = None, *, corpus_root: Path | None = None) -> bool:
    """True when opening the index will build it first (first run, or the corpus changed)."""
    if corpus_server.server_url() is not None:
        return False  # the shared corpus on the server is built by `lmn corpus build --push`
    current = _current_build(_index_root(index_dir))
    return current is None or not _manifest_matches(current, corpus_hash(corpus_root))


def open_index(index_dir: Path | None = None, *, corpus_root: Path | None = None) -> Index:
    """Open the index for the corpus, building it first if missing or out of date."""
    root = _index_root(index_dir)
    source_hash = corpus_hash(corpus_root)
    current = _current_build(root)
    if current is None or not _manifest_matches(current, source_hash):
        return build_index(None, root, corpus_root=corpus_root)
    embedding_loader = _preload_model()
    try:
        index = _open_build(current, source_hash)
    except EngineError:
        logger.warning("corpus index at %s is unusable; rebuilding it", current)
        return build_index(None, root, force=True, corpus_root=corpus_root)
    finally:
        embedding_loader.join()
    return index


_cache: dict[tuple[str, str], Index] = {}
"""Open indexes by (index dir, corpus root), or ("chroma", server URL)."""
_cache_lock = threading.Lock()


def get_index(index_dir: Path | None = None, *, corpus_root: Path | None = None) -> Index:
    """The process-wide index for (index dir, corpus root), reopened if the corpus changed;
    the shared corpus on the Chroma server when one is configured (``LMN_CHROMA_URL``)."""
    url = corpus_server.server_url()
    if url is not None:
        return server_index(url)
    root = _index_root(index_dir)
    corpus = Path(corpus_root) if corpus_root is not None else corpus_dir()
    key = (str(root), str(corpus))
    with _cache_lock:
        index = _cache.get(key)
        if index is not None and index.corpus_hash == corpus_hash(corpus):
            return index
        fresh = open_index(root, corpus_root=corpus)
        if index is not None and index is not fresh:
            index.close()
        _cache[key] = fresh
        return fresh


def server_index(url: str) -> Index:
    """The corpus on the Chroma server at ``url`` (opened once per process): its records carry
    the passages; scoring stays on this machine."""
    key = ("chroma", url)
    with _cache_lock:
        index = _cache.get(key)
        if index is None:
            client = corpus_server.connect(url)
            collection = corpus_server.open_collection(client, COLLECTION, url)
            index = Index(
                path=Path(corpus_server.shown(url)),
                client=client,
                collection=collection,
                passages=corpus_server.read_passages(collection),
                corpus_hash=str((collection.metadata or {}).get("corpus_hash", "")),
            )
            _cache[key] = index
        return index


def push_index(url: str, *, force: bool = False, corpus_root: Path | None = None) -> int:
    """Write the corpus to the Chroma server at ``url``, in place of the one there (unless it
    is the same corpus and not ``force``); the number of passages on the server."""
    source_hash = corpus_hash(corpus_root)
    client = corpus_server.connect(url)
    if force or corpus_server.current_hash(client, COLLECTION) != source_hash:
        passages = load_corpus(corpus_root)
        cache = embedding.VectorCache.load(corpus_dir() / embedding.CACHE_FILE)

        def batches() -> Iterator[tuple[list[str], list[str], Any, list[dict[str, Any]]]]:
            for start in range(0, len(passages), ADD_BATCH):
                batch = passages[start : start + ADD_BATCH]
                documents = [document_text(p) for p in batch]
                metadatas = [
                    corpus_server.record_metadata(p, start + i, passage_metadata(p))
                    for i, p in enumerate(batch)
                ]
                yield [p.id for p in batch], documents, cache.embed(documents), metadatas

        metadata = {"corpus_hash": source_hash, "model": embedding.MODEL_ID, "schema": SCHEMA}
        corpus_server.replace_collection(client, COLLECTION, metadata, batches())
    with _cache_lock:
        stale = _cache.pop(("chroma", url), None)
    if stale is not None:
        stale.close()
    return int(client.get_collection(COLLECTION).count())


def _index_root(path: Path | None) -> Path:
    """The index directory to use (argument, else $LMN_INDEX_DIR, else user data dir)."""
    return Path(path) if path is not None else index_dir()


def _passages_hash(passages: list[Passage]) -> str:
    """Content hash of explicit passages (and of how they are read, ``positions``)."""
    digest = hashlib.sha256(positions.FINGERPRINT.encode())
    for p in passages:
        digest.update(p.model_dump_json().encode())
    return "passages:" + digest.hexdigest()


def _preload_model() -> threading.Thread:
    """Start loading the embedding model in the background (overlaps with opening Chroma)."""

    def load() -> None:
        with contextlib.suppress(Exception):  # the first embed() reports errors properly
            embedding.load_model()

    thread = threading.Thread(target=load, name="lmn-embedding-load", daemon=True)
    thread.start()
    return thread


@contextlib.contextmanager
def _build_lock(root: Path) -> Iterator[None]:
    """An exclusive inter-process lock on the index directory (no-op without fcntl)."""
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # LMN_INDEX_DIR names a file, or a folder that cannot be made
        reason = "is a file" if root.is_file() else (exc.strerror or type(exc).__name__)
        raise InputError(
            f"the index folder {root} cannot be used ({reason}): set LMN_INDEX_DIR to a folder "
            "you can write (it is created when missing)"
        ) from None
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(root / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _current_build(root: Path) -> Path | None:
    """The active build directory named by CURRENT, if it exists."""
    try:
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    path = root / name
    return path if name and path.is_dir() else None


def _manifest(source_hash: str, count: int) -> dict[str, Any]:
    """What a build was made from."""
    return {
        "schema": SCHEMA,
        "model": embedding.MODEL_ID,
        "corpus_hash": source_hash,
        "count": count,
    }


def _manifest_matches(path: Path, source_hash: str) -> bool:
    """True when the build at ``path`` was made from this corpus, model and schema."""
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    expected = _manifest(source_hash, manifest.get("count", -1))
    return manifest == expected and (path / "passages.json").is_file()


def _build(root: Path, passages: list[Passage], source_hash: str) -> Path:
    """Build a complete index in a temp dir, rename it into place and point CURRENT at it."""
    _remove_stale(root)
    tmp = root / f".tmp-{uuid.uuid4().hex[:12]}"
    logger.info("building the corpus index: %d passages into %s", len(passages), root)
    try:
        _write_build(tmp, passages, source_hash)
        final = root / f"build-{source_hash.split(':')[-1][:12]}-{uuid.uuid4().hex[:8]}"
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _point_current(root, final.name)
    _remove_old_builds(root, keep=final.name)
    return final


def _write_build(path: Path, passages: list[Passage], source_hash: str) -> None:
    """Write the Chroma collection, passages.json and manifest.json into ``path``; each
    passage is stored with its reading (the loader's, else read now: explicit passages)."""
    passages = [positions.with_reading(p) for p in passages]
    client = _client(path)
    try:
        collection = client.create_collection(
            COLLECTION,
            embedding_function=embedding.chroma_embedding_function(),
            configuration={"hnsw": {"space": "cosine"}},
            metadata={
                "corpus_hash": source_hash,
                "model": embedding.MODEL_ID,
                "schema": SCHEMA,
            },
        )
        from tqdm import tqdm  # a progress bar on a terminal only (disable=None)

        cache = embedding.VectorCache.load(corpus_dir() / embedding.CACHE_FILE)
        documents = [document_text(p) for p in passages]
        starts = range(0, len(passages), ADD_BATCH)
        bar = tqdm(starts, desc="lmn: embedding passages", unit="batch", disable=None, leave=False)
        vectors = [cache.embed(documents[start : start + ADD_BATCH]) for start in bar]
        if cache.misses:
            logger.info("embedded %d passages the shipped vectors lack", cache.misses)
        # Chroma's largest batches: each add is a transaction (measured on 2 shared cores,
        # 2,070 passages: 33 adds of 64 took 2.5 CPU-s, 2 adds of 1,024 1.7)
        step = int(client.get_max_batch_size())
        matrix = np.concatenate(vectors) if vectors else np.zeros((0, embedding.DIMENSION))
        for start in range(0, len(passages), step):
            batch = passages[start : start + step]
            collection.add(
                ids=[p.id for p in batch],
                documents=documents[start : start + step],
                embeddings=matrix[start : start + step],
                metadatas=[passage_metadata(p) for p in batch],
            )
    finally:
        client.close()
    dump = [p.model_dump(mode="json") for p in passages]
    (path / "passages.json").write_text(json.dumps(dump), encoding="utf-8")
    manifest = _manifest(source_hash, len(passages))
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _point_current(root: Path, name: str) -> None:
    """Atomically replace CURRENT with ``name``."""
    tmp = root / f".CURRENT-{uuid.uuid4().hex[:8]}"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(name)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, root / "CURRENT")


def _remove_old_builds(root: Path, keep: str) -> None:
    """Delete build directories other than ``keep`` (best effort)."""
    for path in root.glob("build-*"):
        if path.name != keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def _remove_stale(root: Path) -> None:
    """Delete leftovers of crashed builds older than an hour (best effort)."""
    now = time.time()
    for path in root.glob(".tmp-*"):
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > STALE_TMP_SECONDS:
                shutil.rmtree(path, ignore_errors=True)


def _client(path: Path) -> Any:
    """A Chroma persistent client with telemetry off."""
    import chromadb
    from chromadb.config import Settings

    return chromadb.PersistentClient(
        path=str(path), settings=Settings(anonymized_telemetry=False, allow_reset=False)
    )


def _open_build(path: Path, source_hash: str) -> Index:
    """Open a complete build directory; EngineError if it is unusable."""
    client = None
    try:
        raw = json.loads((path / "passages.json").read_text(encoding="utf-8"))
        passages = {p.id: p for p in (Passage.model_validate(item) for item in raw)}
        client = _client(path)
        collection = client.get_collection(
            COLLECTION, embedding_function=embedding.chroma_embedding_function()
        )
        if (collection.metadata or {}).get("corpus_hash") != source_hash:
            raise ValueError("collection metadata does not match the manifest")
    except EngineError:
        raise
    except Exception as exc:
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()
        raise EngineError(
            f"Could not open the corpus index at {path} ({type(exc).__name__}); "
            "delete that directory to rebuild it"
        ) from exc
    return Index(
        path=path,
        client=client,
        collection=collection,
        passages=passages,
        corpus_hash=source_hash,
    )


# --------------------------------------------------------------------------- retrieve


def retrieve(
    analysis: DenialAnalysis,
    case: CaseFacts | None = None,
    *,
    k: int = 6,
    index: Index | None = None,
    mode: Mode | str = DEFAULT_MODE,
    letter_text: str | None = None,
    embedder: Callable[[list[str]], np.ndarray] | None = None,
    ground: Choice = UNREAD,
) -> list[RetrievedPassage]:
    """The physician's own sources (the case's ``citations``, first and for every
    criterion), the top ``k`` guideline/policy/argument passages, then up to 3 regulations.

    ``mode`` picks the relevance signal: ``hybrid`` (vector and BM25, the default),
    ``vector`` or ``lexical``; metadata boosts apply in every mode. ``letter_text`` (the
    denial letter) is used only when there is no ``case``: its request, service and
    diagnosis sentences are then added to the query, the only description of the service
    when the letter has no codes. With a case, the case's service and diagnoses describe
    the request and the letter is ignored, so every caller may pass it and gets what the
    drafter (``pipeline.run.draft_letter``) gets. ``embedder`` embeds the queries (the run's
    ``embedding.RunVectors``, shared with the verdicts; the model's ``embed`` when None).
    ``ground`` is the notice's ground as the caller chose it (``reasoning.grounds.select``;
    chosen here from the letter when not given): its question picks the passages that answer
    it. Ranks are 1-based over the whole list; ``criteria`` holds the indices of the
    analysis's criteria each passage was retrieved for.
    """
    index = index if index is not None else get_index()
    mode = _mode(mode)
    query = _build_query(analysis, case, letter_text, ground)
    with _blas_single_thread():
        scorer = _Scorer.create(
            index, query.texts, mode, vector_texts=query.vector_texts, embedder=embedder
        )
        main = _rank_main(index, query, scorer, k)
        regulations = _rank_regulations(index, query, scorer)
    n_criteria = len(analysis.criteria)
    # the per-criterion relevance is cosine in vector mode, else BM25 (``_Scorer.score``)
    floor = MIN_CRITERION_SIMILARITY if mode is Mode.vector else MIN_CRITERION_BM25
    tags = {
        **_tag_criteria(main, n_criteria, floor),
        **_tag_criteria(regulations, n_criteria, floor),
    }
    own = relevance.physician_passages(case, query.scope)
    # a guideline the physician cites is cited once, as the physician gave it
    main = [c for c in main if not any(relevance.same_source(c.passage, o) for o in own)]
    every = list(range(n_criteria))
    return [
        RetrievedPassage(passage=p, score=PHYSICIAN_SCORE, rank=i, criteria=every)
        for i, p in enumerate(own, start=1)
    ] + [
        RetrievedPassage(
            passage=c.passage, score=round(c.score, 6), rank=i, criteria=tags[c.passage.id]
        )
        for i, c in enumerate(main + regulations, start=len(own) + 1)
    ]


def search(
    query: str, k: int = 5, index: Index | None = None, *, mode: Mode | str = DEFAULT_MODE
) -> list[RetrievedPassage]:
    """Free-text search over the whole corpus, by relevance only (no metadata boosts)."""
    index = index if index is not None else get_index()
    with _blas_single_thread():
        scorer = _Scorer.create(index, [query.strip() or FALLBACK_QUERY], _mode(mode))
        candidates = scorer.gather(k, index.subset(list(index.passages)))
    for c in candidates.values():
        c.score = c.similarity
    ranked = _sorted(candidates.values())[:k]
    return [
        RetrievedPassage(passage=c.passage, score=round(c.score, 6), rank=i)
        for i, c in enumerate(ranked, start=1)
    ]


@functools.cache
def _blas_controller() -> Any:
    """threadpoolctl's view of the loaded BLAS libraries (found once per process)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _blas_single_thread() -> contextlib.AbstractContextManager[Any]:
    """Limit numpy's BLAS to one thread while retrieving.

    The products here are small (queries x at most 10,000 x 384); a multi-threaded BLAS
    busy-waits after each one and takes the cores onnxruntime needs for the next query
    embedding. Measured on 2 cores, 10,000 passages: hybrid retrieve() median 53 -> 28 ms.
    """
    return _blas_controller().limit(limits=1, user_api="blas")


def _mode(mode: Mode | str) -> Mode:
    """``mode`` as a Mode; ValueError naming the valid ones."""
    try:
        return Mode(mode)
    except ValueError:
        valid = ", ".join(m.value for m in Mode)
        raise ValueError(f"unknown retrieval mode {mode!r} (use one of: {valid})") from None


def request_context(letter_text: str | None) -> str:
    """The letter's sentences naming the request, service, diagnosis or denial reason.

    Appeal-rights boilerplate (deadlines, addresses, phone numbers) is skipped; at most
    ``MAX_LETTER_CONTEXT`` characters are kept, in letter order.
    """
    if not letter_text:
        return ""
    kept: list[str] = []
    size = 0
    for piece in _LETTER_PIECE.split(letter_text):
        piece = " ".join(piece.replace("|", " ").split())
        if len(piece) < 12 or not _REQUEST_WORDS.search(piece) or _RIGHTS_WORDS.search(piece):
            continue
        kept.append(piece)
        size += len(piece) + 1
        if size >= MAX_LETTER_CONTEXT:
            break
    return " ".join(kept)[:MAX_LETTER_CONTEXT]


def _build_query(
    analysis: DenialAnalysis,
    case: CaseFacts | None,
    letter_text: str | None = None,
    ground: Choice = UNREAD,
) -> _Query:
    """Query texts, boost codes and the case's scope from the analysis, case facts and letter
    (whose request sentences join the queries only when there is no case), and the question
    of the notice's ground (``ground``, chosen from the letter when not given)."""
    letter = request_context(letter_text) if case is None else ""
    scope = relevance.Scope.of(analysis, case, letter_request=letter, letter_text=letter_text or "")
    service_words = ""
    diagnosis_words: list[str] = []
    if case is not None:
        service_words = case.service.description or ""
        diagnosis_words = [d.description for d in case.diagnoses if d.description]
    codes = sorted(scope.services)
    categories = [c.value for c in analysis.denial_categories]
    context = " ".join([service_words, *diagnosis_words]).strip()
    grounds = " ".join(c.replace("_", " ") for c in categories)
    criteria = [f"{c.text} {context}".strip() for c in analysis.criteria]
    overall = _words(
        [" ".join(codes), context, letter, " ".join(scope.diagnoses), grounds]
        + [c.text for c in analysis.criteria]
    )
    # The embedded query leaves the codes to BM25, the boosts and the relevance contract: to
    # the model a code is a run of word pieces with no meaning ('A4239 E2103 ... E11.65' is
    # ~18 of a query's ~89 tokens on the examples and dev sets); without them the IMR eval's
    # ranks are the same, and so are the example and dev-set letters but for one cited part
    # of an NCD (of the two retrieved, the one on its conditions for coverage).
    compact = _words([context, letter[:MAX_VECTOR_LETTER_CONTEXT], grounds])
    texts = [overall or FALLBACK_QUERY, *criteria]
    # One vector, the case's, serves every query: the passages compared with a criterion
    # already fit the case (the relevance contract picks the pool, 11 to 23 passages on the
    # examples and dev sets), and within it the criterion's own words rank by BM25 (hybrid).
    # A vector of each criterion's words changed none of the 22 example and dev-set letters
    # but one cited passage, nor the IMR eval's ranks, and was a third of a draft's model
    # tokens (examples: 692 -> 563 tokens, 7.9 -> 6.7 runs a draft).
    vector_texts = [compact or FALLBACK_QUERY] * len(texts)
    asked = ground_question(chosen(ground, analysis, letter_text or ""))
    return _Query(texts, vector_texts, scope, categories, asked)


def _words(parts: list[str]) -> str:
    """The parts joined with single spaces."""
    return " ".join(" ".join(parts).split())


@dataclass
class _Scorer:
    """Relevance of passages to a list of query texts under one mode.

    Query 0 is the overall query, query ``1 + i`` criterion ``i``'s. Vector similarity is
    cosine (unit vectors); lexical relevance is BM25 divided by the query's best BM25 score
    over the corpus (so in [0, 1]); hybrid is their weighted sum. Every query reads the
    case's one vector (``_Query.vector_texts``), so what sets one criterion's passages apart
    from another's is its words: a passage's relevance to a criterion is lexical whenever
    the mode reads words (``score``).
    """

    index: Index
    mode: Mode
    embedded: Future[np.ndarray] | np.ndarray | None
    """The distinct query vectors, or their embedding under way (see ``distinct``)."""
    lexical: np.ndarray | None
    """(queries, passages) normalized BM25, columns in ``index.order``."""
    rows: list[int] = field(default_factory=list)
    """Query i's row in ``embedded`` (each distinct vector text is embedded once)."""

    @property
    def distinct(self) -> np.ndarray | None:
        """(distinct vector texts, DIMENSION) unit vectors; waits for the embedding when it
        is under way."""
        if isinstance(self.embedded, Future):
            self.embedded = self.embedded.result()
        return self.embedded

    @property
    def vectors(self) -> np.ndarray | None:
        """(queries, DIMENSION) unit vectors, a row per query."""
        distinct = self.distinct
        return None if distinct is None else distinct[self.rows]

    @classmethod
    def create(
        cls,
        index: Index,
        texts: list[str],
        mode: Mode,
        *,
        vector_texts: list[str] | None = None,
        cached: bool = False,
        embedder: Callable[[list[str]], np.ndarray] | None = None,
    ) -> _Scorer:
        """Embed and/or BM25-score the queries as the mode needs.

        ``vector_texts`` (same length as ``texts``) replaces ``texts`` for the embedding
        model, each distinct text embedded once; ``cached``: constant texts, whose vectors and
        BM25 rows the index keeps (:meth:`Index.fixed_vectors`). New texts are embedded on
        another thread (onnxruntime releases the GIL), so BM25 and the caller's choice of
        the passages that fit run meanwhile; the first read of ``vectors`` waits for them.
        ``embedder`` embeds them (the run's shared vectors; when None, the process's vectors
        of the texts embedded before, ``embedding.remembered``, embedding the others).
        """
        vectors: Future[np.ndarray] | np.ndarray | None = None
        queries = list(vector_texts if vector_texts is not None else texts)
        distinct = list(dict.fromkeys(queries))
        if mode is not Mode.lexical:
            vectors = (
                index.fixed_vectors(tuple(distinct)) if cached else _embed_async(distinct, embedder)
            )
        lexical = None
        if mode is not Mode.vector:
            lexical = (
                index.fixed_lexical(tuple(texts)) if cached else index.lexical.normalized(texts)
            )
        return cls(index, mode, vectors, lexical, [distinct.index(q) for q in queries])

    def gather(self, n: int, pool: Pool) -> dict[str, _Candidate]:
        """The ``n`` most relevant passages per query among ``pool``, scored.

        The search is exact, in memory: a matrix product of the query vectors with the
        pool's stored vectors (~2 ms at 10,000 passages) and/or the pool's BM25 columns.
        """
        n = min(n, len(pool.ids))
        if n <= 0:
            return {}
        found: list[str] = []
        if self.distinct is not None:
            for row in self.distinct @ pool.vectors.T:
                found += [pool.ids[i] for i in _top(row, n)]
        if self.lexical is not None:
            for row in self.lexical[:, pool.columns]:
                found += [pool.ids[i] for i in _top(row, n) if row[i] > 0]
        return self.score(list(dict.fromkeys(found)))

    def score(self, ids: list[str]) -> dict[str, _Candidate]:
        """Candidates for these passage ids with their best relevance under the mode and their
        relevance to each criterion: the BM25 of its words (in vector mode, the case's vector).
        The case's vector is the same for every criterion; added in, it ranked the same
        passages first for all of them (TMS: the psychotherapy guideline lost the
        psychotherapy criterion to the rTMS ones)."""
        if not ids:
            return {}
        relevance = self._relevance(ids)
        words = self._lexical_rows(ids) if self.lexical is not None else relevance
        candidates = {}
        for pid, row, own in zip(ids, relevance, words, strict=True):
            cand = _Candidate(self.index.passages[pid], similarity=float(row.max()))
            cand.by_criterion = {i: float(v) for i, v in enumerate(own[1:])}
            candidates[pid] = cand
        return candidates

    def _relevance(self, ids: list[str]) -> np.ndarray:
        """(len(ids), queries) relevance under the mode."""
        if self.mode is Mode.lexical:
            return self._lexical_rows(ids)
        vector = self._cosines(ids)
        if self.mode is Mode.vector:
            return vector
        return (1.0 - HYBRID_LEXICAL_WEIGHT) * vector + HYBRID_LEXICAL_WEIGHT * (
            self._lexical_rows(ids)
        )

    def _lexical_rows(self, ids: list[str]) -> np.ndarray:
        assert self.lexical is not None
        columns = [self.index.order[pid] for pid in ids]
        return self.lexical[:, columns].T.astype(np.float64)

    def _cosines(self, ids: list[str]) -> np.ndarray:
        """Exact cosine similarity of each id's stored vector to each query vector."""
        assert self.distinct is not None
        columns = [self.index.order[pid] for pid in ids]
        return (self.index.vectors[columns] @ self.distinct.T)[:, self.rows].astype(np.float64)


def _top(row: np.ndarray, n: int) -> np.ndarray:
    """Positions of the ``n`` largest values, best first (ties by position)."""
    part = np.argpartition(-row, n - 1)[:n] if n < row.size else np.arange(row.size)
    return part[np.lexsort((part, -row[part]))]


@functools.cache
def _embedder() -> ThreadPoolExecutor:
    """The threads query embeddings run on (one per concurrent retrieve, up to 4)."""
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="lmn-query-embed")


if hasattr(os, "register_at_fork"):  # a forked child has none of the parent's threads
    os.register_at_fork(after_in_child=_embedder.cache_clear)


def _embed_async(
    texts: list[str], embedder: Callable[[list[str]], np.ndarray] | None = None
) -> Future[np.ndarray]:
    """The vectors of ``texts``, embedded on another thread (by ``embedder`` when given).

    Measured on 2 shared cores, 1,988 passages: the query embeddings were about two thirds of
    a hybrid retrieve()'s time and the choice of fitting passages and BM25 most of the rest;
    overlapped, a query costs about the longer of the two instead of their sum.
    """
    return _embedder().submit(embedder or embedding.remembered, texts)


def _boost(passage: Passage, query: _Query) -> float:
    """Metadata boosts: service, diagnosis prefix, denial category, verified."""
    boost = 0.0
    if _matches_service(passage, query) and not _benchmark_only(passage, query.scope.plan_type):
        boost += SERVICE_BOOST
    if _matches_condition(passage, query):
        boost += CONDITION_BOOST
    categories = {c.value for c in passage.categories}
    if query.categories and query.categories[0] in categories:
        boost += PRIMARY_CATEGORY_BOOST
    elif categories.intersection(query.categories):
        boost += CATEGORY_BOOST
    if passage.verified:
        boost += VERIFIED_BOOST
    return boost


def _benchmark_only(passage: Passage, plan_type: PlanType) -> bool:
    """Medicare's own coverage rule (an NCD, an LCD) under a plan it does not bind: a benchmark
    only, so its service codes do not lift it above the guidelines on the same service."""
    return plan_type not in MEDICARE_PLANS and medicare_rule(passage)


def _matches_service(passage: Passage, query: _Query) -> bool:
    """An exact service-code match."""
    return bool(query.scope.services.intersection(passage.services))


def _matches_condition(passage: Passage, query: _Query) -> bool:
    """A diagnosis of the query matches one of the passage's ICD-10 prefixes (those of a fact
    about a whole chapter's patients included: ``relevance.reach``)."""
    return relevance.condition_fits(relevance.reach(passage), query.scope.diagnoses)


def _rank_main(index: Index, query: _Query, scorer: _Scorer, k: int) -> list[_Candidate]:
    """Top ``k`` non-regulation candidates that fit the case, after boosts.

    Only passages that fit the case (``pipeline.relevance``) are searched: when too few do,
    fewer than ``k`` come back, never an off-topic one.
    """
    if k <= 0:
        return []
    fitting = _fitting_main(index, query.scope, query.question)
    candidates = scorer.gather(max(4 * k, 24), index.subset(fitting))
    for c in candidates.values():
        c.boost = _boost(c.passage, query)
        c.score = c.similarity + c.boost
    ranked = _sorted(candidates.values())[:k]
    # Medicare's rule under a plan it does not bind is a benchmark: one part of it is enough
    # (its other parts are left out, not replaced by passages ranked below the k best)
    benchmarks = [c for c in ranked if _benchmark_only(c.passage, query.scope.plan_type)]
    extra = {id(c) for c in benchmarks[MAX_BENCHMARK_PARTS:]}
    return [c for c in ranked if id(c) not in extra]


def answers(passage: Passage, question: GroundKind | None) -> bool:
    """The passage may be offered for a notice disputing ``question``: under a notice
    disputing where a drug is safely given (``site_of_care``), only the clinical passages
    answering that question (their ``questions`` tag), since an efficacy guideline fits the
    condition but not the dispute; under any other notice, only the clinical passages about
    whether the care is indicated (no ``questions``). Regulations and argument notes are not
    held to it."""
    if passage.kind not in relevance.CLINICAL_KINDS:
        return True
    return question in passage.questions if question is not None else not passage.questions


def _fitting_main(
    index: Index, scope: relevance.Scope, question: GroundKind | None = None
) -> list[str]:
    """Ids of the non-regulation passages that fit the case and may answer its ``question``
    (:func:`answers`), in corpus order.

    A clinical passage fits only through one of the case's codes or a treatment name the
    service's description holds, so the code map and the treatment words give every
    candidate; each is then judged by the contract itself.
    """
    main = index.pool(regulations=False).ids
    # a clinical passage about a service fits when the service's description names one of its
    # treatments (``relevance.treatment_requested``), whatever codes it lists (a skilled
    # nursing facility's coverage rule lists none), so it starts with one of its words
    words, others = index.treatment_words
    found = {pid for word in _WORD.findall(scope.service_text) for pid in words.get(word, ())}
    if not scope.diagnoses and not scope.services:
        found.update(others)  # no code: only the passages about a service are told apart
    else:
        services = index.code_map[0]
        found.update(pid for code in scope.services for pid in services.get(code, ()))
        found.update(index.condition_ids(scope.diagnoses))
        found.update(index.arguments)
    pool: Iterable[str] = (pid for pid in main if pid in found)
    return [
        pid
        for pid in pool
        if index.passages[pid].superseded_by is None  # the field has newer guidance
        and answers(index.passages[pid], question)
        and relevance.fits(index.passages[pid], scope)
    ]


APPEAL_QUERIES: dict[PlanType, tuple[str, str]] = {
    plan: (spec.retrieval.procedure, spec.retrieval.deadlines) for plan, spec in all_specs().items()
}
"""Per plan type, what the legal-basis section needs: the appeal procedure and its deadlines
(``pipeline/appeal/plan_types/<plan>.yaml``, ``retrieval``)."""


def _rank_regulations(index: Index, query: _Query, scorer: _Scorer) -> list[_Candidate]:
    """Up to 3 regulations that apply to the plan type: the best for the plan's appeal
    procedure, the best for its deadlines, then the best for the case's own queries."""
    spec = all_specs()[query.scope.plan_type]
    eligible = index.subset(
        sorted(
            pid
            for pid in index.pool(regulations=True).ids
            if relevance.fits(index.passages[pid], query.scope)
            and spec.is_basis(index.passages[pid].section)  # never another program's appeal law
        )
    )
    if not eligible.ids:
        return []
    chosen: list[_Candidate] = []
    for text in APPEAL_QUERIES[query.scope.plan_type]:
        appeal = _Scorer.create(index, [text], scorer.mode, cached=True)
        chosen += _sorted(_regulation_candidates(index, query, appeal, eligible))[:1]
    chosen += _sorted(_regulation_candidates(index, query, scorer, eligible))
    first: dict[str, _Candidate] = {}
    for c in chosen:
        first.setdefault(c.passage.id, c)
    return list(first.values())[:MAX_REGULATIONS]


def _regulation_candidates(
    index: Index, query: _Query, scorer: _Scorer, eligible: Pool
) -> list[_Candidate]:
    """Eligible regulations most relevant to the scorer's queries, with plan and metadata boosts."""
    candidates = scorer.gather(REGULATION_POOL, eligible)
    ranked = []
    for c in candidates.values():
        c.boost = _plan_boost(c.passage, query.scope.plan_type) + _boost(c.passage, query)
        c.score = c.similarity + c.boost
        ranked.append(c)
    return ranked


def _plan_boost(passage: Passage, plan_type: PlanType) -> float:
    """Boost for a regulation that fits the plan type: one naming it, or a general one when
    the plan type is unknown (the contract has already dropped those naming other plans)."""
    if plan_type == PlanType.unknown:
        return PLAN_BOOST if not passage.plan_types else 0.0
    return PLAN_BOOST if plan_type in passage.plan_types else 0.0


def _sorted(candidates: Any) -> list[_Candidate]:
    """Best score first; ties (to 6 decimals) broken by id."""
    return sorted(candidates, key=lambda c: (-round(c.score, 6), c.passage.id))


def _tag_criteria(group: list[_Candidate], n_criteria: int, floor: float) -> dict[str, list[int]]:
    """Passage id -> criteria for which it is among the group's best ``CRITERION_HITS``.

    A passage's score for criterion i is the BM25 of criterion i's words (normalized; the
    case's vector in vector mode, see ``_Scorer.score``) plus its metadata boost; relevances
    under ``floor`` (``MIN_CRITERION_BM25``, or ``MIN_CRITERION_SIMILARITY`` for cosine)
    never count.
    """
    tags: dict[str, list[int]] = {c.passage.id: [] for c in group}
    for i in range(n_criteria):
        scored = sorted(
            (-round(c.by_criterion[i] + c.boost, 6), c.passage.id)
            for c in group
            if c.by_criterion.get(i, -1.0) >= floor
        )
        for _, pid in scored[:CRITERION_HITS]:
            tags[pid].append(i)
    return tags
