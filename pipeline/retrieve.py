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

import contextlib
import hashlib
import json
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import embedding
from .corpus import corpus_hash, load_corpus, normalize_condition, normalize_service
from .errors import EngineError
from .models import CaseFacts, DenialAnalysis, Passage, PlanType, RetrievedPassage
from .paths import corpus_dir, index_dir

logger = logging.getLogger(__name__)

COLLECTION = "lmn-corpus"
SCHEMA = 1
"""Bump when the document text or metadata layout changes: forces a rebuild."""
ADD_BATCH = 64
"""Passages embedded and added to Chroma per batch."""
STALE_TMP_SECONDS = 3600

SERVICE_BOOST = 0.20
CONDITION_BOOST = 0.10
PRIMARY_CATEGORY_BOOST = 0.06
CATEGORY_BOOST = 0.04
VERIFIED_BOOST = 0.02
PLAN_BOOST = 0.05
"""Regulations: specific to the known plan type, or general when the plan type is unknown."""
MAX_REGULATIONS = 3
REGULATION_POOL = 60
"""Nearest regulations considered per query before the plan-type filter."""
MAX_MATCHED = 200
"""Code-matched passages added to the candidates beyond the nearest ones."""
CRITERION_HITS = 3
"""A criterion is recorded on at most this many of the returned passages (its best ones)."""
MIN_CRITERION_SIMILARITY = 0.15
SPECIFIC_KINDS = frozenset({"guideline", "coverage_policy"})
"""Kinds dropped when they match neither service nor condition (given enough that do)."""
FALLBACK_QUERY = "medical necessity of the requested treatment"


@dataclass
class Index:
    """An open corpus index: the Chroma client and collection and the passages by id."""

    path: Path
    client: Any
    collection: Any
    passages: dict[str, Passage]
    corpus_hash: str

    def close(self) -> None:
        """Release the Chroma client (files, connections)."""
        with contextlib.suppress(Exception):
            self.client.close()


@dataclass
class _Query:
    """The queries for one analysis, and the codes used for boosts."""

    texts: list[str]
    """texts[0] is the overall query; texts[1 + i] is criterion i's."""
    services: set[str]
    conditions: list[str]
    categories: list[str]
    plan_type: PlanType


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
_cache_lock = threading.Lock()


def get_index(index_dir: Path | None = None, *, corpus_root: Path | None = None) -> Index:
    """The process-wide index for (index dir, corpus root), reopened if the corpus changed."""
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


def _index_root(path: Path | None) -> Path:
    """The index directory to use (argument, else $LMN_INDEX_DIR, else user data dir)."""
    return Path(path) if path is not None else index_dir()


def _passages_hash(passages: list[Passage]) -> str:
    """Content hash of explicit passages."""
    digest = hashlib.sha256()
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
    root.mkdir(parents=True, exist_ok=True)
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
    """Write the Chroma collection, passages.json and manifest.json into ``path``."""
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
        for start in range(0, len(passages), ADD_BATCH):
            _add_batch(collection, passages[start : start + ADD_BATCH])
    finally:
        client.close()
    dump = [p.model_dump(mode="json") for p in passages]
    (path / "passages.json").write_text(json.dumps(dump), encoding="utf-8")
    manifest = _manifest(source_hash, len(passages))
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _add_batch(collection: Any, batch: list[Passage]) -> None:
    """Embed one batch of passages and add it to the collection."""
    documents = [document_text(p) for p in batch]
    vectors = embedding.embed(documents)
    collection.add(
        ids=[p.id for p in batch],
        documents=documents,
        embeddings=vectors,
        metadatas=[passage_metadata(p) for p in batch],
    )


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
) -> list[RetrievedPassage]:
    """The top ``k`` guideline/policy/argument passages, then up to 3 regulations.

    Ranks are 1-based over the whole list; ``criteria`` holds the indices of the
    analysis's criteria each passage was retrieved for.
    """
    index = index if index is not None else get_index()
    query = _build_query(analysis, case)
    vectors = embedding.embed(query.texts)
    main = _rank_main(index, query, vectors, k)
    regulations = _rank_regulations(index, query, vectors)
    n_criteria = len(analysis.criteria)
    tags = {**_tag_criteria(main, n_criteria), **_tag_criteria(regulations, n_criteria)}
    return [
        RetrievedPassage(
            passage=c.passage, score=round(c.score, 6), rank=i, criteria=tags[c.passage.id]
        )
        for i, c in enumerate(main + regulations, start=1)
    ]


def search(query: str, k: int = 5, index: Index | None = None) -> list[RetrievedPassage]:
    """Free-text search over the whole corpus, by similarity only."""
    index = index if index is not None else get_index()
    vectors = embedding.embed([query.strip() or FALLBACK_QUERY])
    candidates = _vector_candidates(index, vectors, n=k)
    for c in candidates.values():
        c.score = c.similarity
    ranked = _sorted(candidates.values())[:k]
    return [
        RetrievedPassage(passage=c.passage, score=round(c.score, 6), rank=i)
        for i, c in enumerate(ranked, start=1)
    ]


def _build_query(analysis: DenialAnalysis, case: CaseFacts | None) -> _Query:
    """Query texts and boost codes from the analysis and case facts."""
    codes = [*analysis.cpt_codes, *analysis.hcpcs_codes]
    diagnoses = list(analysis.icd10_codes)
    service_words = ""
    diagnosis_words: list[str] = []
    if case is not None:
        if case.service.code:
            codes.append(case.service.code)
        service_words = case.service.description or ""
        diagnoses += [d.code for d in case.diagnoses]
        diagnosis_words = [d.description for d in case.diagnoses if d.description]
    codes = list(dict.fromkeys(normalize_service(c) for c in codes if c.strip()))
    diagnoses = list(dict.fromkeys(normalize_condition(d) for d in diagnoses if d.strip()))
    categories = [c.value for c in analysis.denial_categories]
    context = " ".join([service_words, *diagnosis_words]).strip()
    overall = " ".join(
        [
            " ".join(codes),
            context,
            " ".join(diagnoses),
            " ".join(c.replace("_", " ") for c in categories),
            " ".join(c.text for c in analysis.criteria),
        ]
    ).split()
    texts = [" ".join(overall) or FALLBACK_QUERY]
    texts += [f"{c.text} {context}".strip() for c in analysis.criteria]
    return _Query(texts, set(codes), diagnoses, categories, analysis.plan_type)


def _vector_candidates(
    index: Index,
    vectors: Any,
    *,
    n: int,
    where: dict[str, Any] | None = None,
    pool: int | None = None,
    into: dict[str, _Candidate] | None = None,
) -> dict[str, _Candidate]:
    """Run one Chroma query per vector; record each hit's best and per-criterion similarity.

    Vector 0 is the overall query, vector ``1 + i`` criterion ``i``'s. ``pool`` is how many
    passages ``where`` admits (caps ``n``); hits are merged ``into`` an existing dict.
    """
    candidates = into if into is not None else {}
    n = min(n, pool if pool is not None else len(index.passages))
    if n <= 0:
        return candidates
    result = index.collection.query(
        query_embeddings=vectors, n_results=n, where=where, include=["distances"]
    )
    for q, (ids, distances) in enumerate(zip(result["ids"], result["distances"], strict=True)):
        for pid, distance in zip(ids, distances, strict=True):
            passage = index.passages.get(pid)
            if passage is not None:
                _record(candidates.setdefault(pid, _Candidate(passage)), q, 1.0 - distance)
    return candidates


def _record(cand: _Candidate, query_index: int, similarity: float) -> None:
    """Keep the best overall similarity and the similarity for the query's criterion."""
    similarity = float(similarity)
    cand.similarity = max(cand.similarity, similarity)
    if query_index > 0:
        cand.by_criterion[query_index - 1] = similarity


def _id_filter(ids: list[str]) -> dict[str, Any]:
    """A Chroma where clause admitting exactly these passage ids."""
    return {"id": {"$in": ids}} if len(ids) > 1 else {"id": ids[0]}


def _boost(passage: Passage, query: _Query) -> float:
    """Metadata boosts: service, diagnosis prefix, denial category, verified."""
    boost = 0.0
    if _matches_service(passage, query):
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


def _matches_service(passage: Passage, query: _Query) -> bool:
    """An exact service-code match."""
    return bool(query.services.intersection(passage.services))


def _matches_condition(passage: Passage, query: _Query) -> bool:
    """A diagnosis starts with one of the passage's ICD-10 prefixes (or the reverse)."""
    return any(
        dx.startswith(prefix) or prefix.startswith(dx)
        for dx in query.conditions
        for prefix in passage.conditions
    )


def _rank_main(index: Index, query: _Query, vectors: Any, k: int) -> list[_Candidate]:
    """Top ``k`` non-regulation candidates after boosts and the relevance filter.

    Candidates are the nearest passages plus every passage matching the service or a
    diagnosis (so a code match is never lost to a crowded vector neighbourhood).
    """
    if k <= 0:
        return []
    pool = [p for p in index.passages.values() if p.kind != "regulation"]
    candidates = _vector_candidates(
        index, vectors, n=max(4 * k, 24), where={"kind": {"$ne": "regulation"}}, pool=len(pool)
    )
    matched = sorted(
        p.id
        for p in pool
        if p.id not in candidates and (_matches_service(p, query) or _matches_condition(p, query))
    )[:MAX_MATCHED]
    if matched:
        _vector_candidates(
            index, vectors, n=len(matched), where=_id_filter(matched), into=candidates
        )
    for c in candidates.values():
        c.boost = _boost(c.passage, query)
        c.score = c.similarity + c.boost
    kept = _drop_unmatched(list(candidates.values()), query, k)
    return _sorted(kept)[:k]


def _drop_unmatched(candidates: list[_Candidate], query: _Query, k: int) -> list[_Candidate]:
    """Drop code-specific guidelines/policies for other services and conditions.

    Only when at least ``max(1, k // 2)`` candidates match the service or a diagnosis;
    passages without any codes (general ones) and arguments are always kept.
    """

    def matched(p: Passage) -> bool:
        return _matches_service(p, query) or _matches_condition(p, query)

    if sum(matched(c.passage) for c in candidates) < max(1, k // 2):
        return candidates
    return [
        c
        for c in candidates
        if c.passage.kind not in SPECIFIC_KINDS
        or matched(c.passage)
        or not (c.passage.services or c.passage.conditions)
    ]


APPEAL_QUERIES: dict[PlanType, tuple[str, str]] = {
    # plan type: (the review the appeal is owed, the deadlines of that review)
    PlanType.erisa: (
        "ERISA claims procedure: full and fair review of a denied group health claim, free "
        "copies of the claim file and the criteria relied on",
        "ERISA group health plan appeal decision deadlines: urgent, pre-service, post-service",
    ),
    PlanType.aca_individual: (
        "Affordable Care Act internal appeal and independent external review of an adverse "
        "benefit determination",
        "deadlines for internal appeal decisions and for requesting external review",
    ),
    PlanType.medicare_advantage: (
        "Medicare Advantage reconsideration of an adverse organization determination by a "
        "physician, forwarding to the independent review entity",
        "Medicare Advantage reconsideration filing window and decision deadlines, expedited",
    ),
    PlanType.medicare: (
        "Original Medicare appeal: redetermination and reconsideration by a qualified "
        "independent contractor",
        "Medicare appeal filing windows and decision deadlines",
    ),
    PlanType.medicaid: (
        "Medicaid managed care appeal and the state fair hearing",
        "Medicaid managed care appeal resolution time frames, standard and expedited",
    ),
    PlanType.government_or_church: (
        "appeal of a denied health benefit claim: full and fair review, external review",
        "deadlines for deciding a health benefit appeal",
    ),
    PlanType.unknown: (
        "appeal of a denied health insurance claim: internal appeal, external review, the "
        "right to the criteria relied on",
        "deadlines for deciding a health insurance appeal",
    ),
}
"""Per plan type, what the legal-basis section needs: the appeal procedure and its deadlines."""


def _rank_regulations(index: Index, query: _Query, vectors: Any) -> list[_Candidate]:
    """Up to 3 regulations that apply to the plan type: the best for the plan's appeal
    procedure, the best for its deadlines, then the best for the case's own queries."""
    eligible = sorted(
        p.id
        for p in index.passages.values()
        if p.kind == "regulation" and _plan_boost(p, query.plan_type) is not None
    )
    if not eligible:
        return []
    chosen: list[_Candidate] = []
    for text in APPEAL_QUERIES[query.plan_type]:
        vector = embedding.embed([text])
        chosen += _sorted(_regulation_candidates(index, query, vector, eligible))[:1]
    chosen += _sorted(_regulation_candidates(index, query, vectors, eligible))
    unique = {c.passage.id: c for c in reversed(chosen)}  # first occurrence wins
    return [unique[pid] for pid in dict.fromkeys(c.passage.id for c in chosen)][:MAX_REGULATIONS]


def _regulation_candidates(
    index: Index, query: _Query, vectors: Any, eligible: list[str]
) -> list[_Candidate]:
    """Eligible regulations near ``vectors``, scored with the plan and metadata boosts."""
    # Few enough: filter by id. Otherwise take the nearest regulations, keep eligible ones.
    small = len(eligible) <= REGULATION_POOL
    where = _id_filter(eligible) if small else {"kind": "regulation"}
    candidates = _vector_candidates(index, vectors, n=REGULATION_POOL, where=where)
    ranked = []
    for c in candidates.values():
        plan_boost = _plan_boost(c.passage, query.plan_type)
        if plan_boost is not None:
            c.boost = plan_boost + _boost(c.passage, query)
            c.score = c.similarity + c.boost
            ranked.append(c)
    return ranked


def _plan_boost(passage: Passage, plan_type: PlanType) -> float | None:
    """Boost for a regulation under this plan type; None when it does not apply."""
    if plan_type == PlanType.unknown:
        return PLAN_BOOST if not passage.plan_types else 0.0
    if not passage.plan_types:
        return 0.0
    return PLAN_BOOST if plan_type in passage.plan_types else None


def _sorted(candidates: Any) -> list[_Candidate]:
    """Best score first; ties (to 6 decimals) broken by id."""
    return sorted(candidates, key=lambda c: (-round(c.score, 6), c.passage.id))


def _tag_criteria(group: list[_Candidate], n_criteria: int) -> dict[str, list[int]]:
    """Passage id -> criteria for which it is among the group's best ``CRITERION_HITS``.

    A passage's score for criterion i is its similarity to criterion i's query plus its
    metadata boost; similarities under ``MIN_CRITERION_SIMILARITY`` never count.
    """
    tags: dict[str, list[int]] = {c.passage.id: [] for c in group}
    for i in range(n_criteria):
        scored = sorted(
            (-round(c.by_criterion[i] + c.boost, 6), c.passage.id)
            for c in group
            if c.by_criterion.get(i, -1.0) >= MIN_CRITERION_SIMILARITY
        )
        for _, pid in scored[:CRITERION_HITS]:
            tags[pid].append(i)
    return tags
