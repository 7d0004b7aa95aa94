"""A shared corpus on a Chroma server: a billing team curates one corpus, every desk reads it.

``LMN_CHROMA_URL`` (or ``chroma_url`` in config.toml) names the server, e.g.
``http://10.0.0.5:8000``; ``LMN_CHROMA_TOKEN``, when set, is sent as the ``x-chroma-token``
header (never read from a file). Retrieval then opens the collection there with chromadb's
HttpClient instead of the local store; ``lmn corpus build --push`` writes it. Each record
carries its passage (the citation metadata) so a desk needs no copy of corpus/. Only the corpus
crosses the wire: queries are embedded and scored on the desk, no letter or case text is sent.

This module is the connection (URL, client, the collection swap, reading passages back);
``pipeline.retrieve`` builds the records and the Index from it.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from .errors import EngineError, InputError
from .models import Passage

URL_ENV = "LMN_CHROMA_URL"
TOKEN_ENV = "LMN_CHROMA_TOKEN"
PASSAGE_KEY = "lmn_passage"
"""Record metadata key holding the passage as JSON."""
ORDER_KEY = "lmn_order"
"""Record metadata key holding the passage's place in the corpus."""


def server_url() -> str | None:
    """The Chroma server to use: ``$LMN_CHROMA_URL``, else config.toml's ``chroma_url``."""
    value = os.environ.get(URL_ENV, "").strip()
    if value:
        return value
    from .llm.config import read_config

    return read_config().chroma_url


def connect(url: str) -> Any:
    """A chromadb HttpClient for ``url``; EngineError naming the fix when it does not answer."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{URL_ENV} {url!r} is not an http(s) URL: use e.g. http://127.0.0.1:8000")
    import chromadb
    from chromadb.config import Settings

    token = os.environ.get(TOKEN_ENV)
    try:
        client = chromadb.HttpClient(
            host=parts.hostname,
            port=parts.port or (443 if parts.scheme == "https" else 8000),
            ssl=parts.scheme == "https",
            headers={"x-chroma-token": token} if token else None,
            settings=Settings(anonymized_telemetry=False),
        )
        client.heartbeat()
    except Exception as exc:
        raise EngineError(
            f"the corpus server {shown(url)} does not answer ({type(exc).__name__}): start it "
            f"(chroma run --host ... --port ...) or unset {URL_ENV} to use the local index"
        ) from None
    return client


def shown(url: str) -> str:
    """Scheme, host and port only (no credentials or path): safe to print."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"


def open_collection(client: Any, name: str, url: str) -> Any:
    from . import embedding

    try:
        return client.get_collection(name, embedding_function=embedding.chroma_embedding_function())
    except Exception as exc:
        if "does not exist" in str(exc) or type(exc).__name__ == "NotFoundError":
            raise EngineError(
                f"the corpus server {shown(url)} has no lmn corpus: push one with "
                "`lmn corpus build --push`"
            ) from None
        raise EngineError(
            f"the corpus server {shown(url)} failed ({type(exc).__name__}); try again"
        ) from None


def read_passages(collection: Any) -> dict[str, Passage]:
    """The passages the records carry, in corpus order."""
    got = collection.get(include=["metadatas"])
    rows = []
    for pid, meta in zip(got["ids"], got["metadatas"], strict=True):
        if not meta or PASSAGE_KEY not in meta:
            raise EngineError(
                f"record {pid} on the corpus server has no passage: push the corpus again "
                "with `lmn corpus build --push`"
            )
        rows.append((int(meta.get(ORDER_KEY, 0)), Passage.model_validate_json(meta[PASSAGE_KEY])))
    rows.sort(key=lambda row: row[0])
    return {p.id: p for _, p in rows}


def record_metadata(passage: Passage, order: int, base: dict[str, Any]) -> dict[str, Any]:
    """A record's metadata: the retriever's fields, the passage itself and its place."""
    return {**base, PASSAGE_KEY: passage.model_dump_json(), ORDER_KEY: order}


def replace_collection(
    client: Any,
    name: str,
    metadata: dict[str, Any],
    batches: Iterable[tuple[list[str], list[str], Any, list[dict[str, Any]]]],
) -> None:
    """Fill a new collection with ``batches`` of (ids, documents, vectors, metadatas), then
    put it in place of ``name``: readers see the old corpus or the new one, never half."""
    from . import embedding

    temporary = f"{name}-new-{uuid.uuid4().hex[:8]}"
    collection = client.create_collection(
        temporary,
        embedding_function=embedding.chroma_embedding_function(),
        configuration={"hnsw": {"space": "cosine"}},
        metadata=metadata,
    )
    try:
        for ids, documents, vectors, metadatas in batches:
            collection.add(ids=ids, documents=documents, embeddings=vectors, metadatas=metadatas)
    except BaseException:
        with contextlib.suppress(Exception):
            client.delete_collection(temporary)
        raise
    with contextlib.suppress(Exception):
        client.delete_collection(name)
    collection.modify(name=name)


def current_hash(client: Any, name: str) -> str | None:
    """The corpus hash of the collection on the server (None when there is none)."""
    try:
        collection = client.get_collection(name)
    except Exception:
        return None
    return (collection.metadata or {}).get("corpus_hash")
