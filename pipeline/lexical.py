"""Okapi BM25 over corpus passages: lexical ranking beside the vector index.

Hand-written on purpose: the corpus is a few hundred passages (10,000 in the benchmark),
and the part that matters here is tokenization that keeps medical and billing tokens
whole ("GLP-1", "E11.9", "90867", "PET/CT" -> "pet", "ct") plus a light plural stemmer.
A package (bm25s, rank-bm25) would add a dependency (bm25s pulls in scipy) for ~80 lines
of arithmetic, and still need this tokenizer. Scores for one query over every document
are a single numpy accumulation over the query terms' postings (sub-millisecond at 10k).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .text.tokens import STOPWORDS, stem

K1 = 1.2
"""Term-frequency saturation."""
B = 0.75
"""Document-length normalization."""

_TOKEN = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed tokens; a compound ('glp-1', 'e11.9') also yields its parts."""
    tokens: list[str] = []
    for raw in _TOKEN.findall(text.lower()):
        tokens.extend(_terms(raw))
    return tokens


@functools.lru_cache(maxsize=200_000)
def _terms(raw: str) -> tuple[str, ...]:
    """The index terms of one raw token (memoized: corpora repeat their vocabulary)."""
    parts = re.split(r"[-.]", raw)
    if len(parts) > 1:
        return (raw, *(stem(p) for p in parts if len(p) > 1 and p not in STOPWORDS))
    if raw in STOPWORDS or (len(raw) == 1 and not raw.isdigit()):
        return ()
    return (stem(raw),)


@dataclass
class BM25:
    """An inverted index over documents with Okapi BM25 scoring."""

    ids: list[str]
    postings: dict[str, tuple[np.ndarray, np.ndarray]]
    """term -> (document positions, term frequencies)."""
    idf: dict[str, float]
    norm: np.ndarray
    """Per document: K1 * (1 - B + B * length / average length)."""

    @classmethod
    def build(cls, documents: Iterable[tuple[str, str]]) -> BM25:
        """Index ``(id, text)`` pairs."""
        ids: list[str] = []
        lengths: list[int] = []
        raw: dict[str, tuple[list[int], list[int]]] = {}
        for position, (doc_id, text) in enumerate(documents):
            counts = Counter(tokenize(text))
            ids.append(doc_id)
            lengths.append(sum(counts.values()))
            for term, tf in counts.items():
                docs, tfs = raw.setdefault(term, ([], []))
                docs.append(position)
                tfs.append(tf)
        n = len(ids)
        length = np.asarray(lengths, dtype=np.float32)
        average = float(length.mean()) if n and length.mean() > 0 else 1.0
        postings = {
            t: (np.asarray(d, dtype=np.int32), np.asarray(f, dtype=np.float32))
            for t, (d, f) in raw.items()
        }
        # BM25+ style floor: idf is never negative, so a very common term cannot hurt.
        idf = {t: math.log(1.0 + (n - len(d) + 0.5) / (len(d) + 0.5)) for t, (d, _) in raw.items()}
        return cls(ids, postings, idf, K1 * (1.0 - B + B * length / average))

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for ``query`` (float32, index order)."""
        total = np.zeros(len(self.ids), dtype=np.float32)
        for term in dict.fromkeys(tokenize(query)):
            posting = self.postings.get(term)
            if posting is None:
                continue
            docs, tf = posting
            total[docs] += self.idf[term] * tf * (K1 + 1.0) / (tf + self.norm[docs])
        return total

    def normalized(self, queries: Sequence[str]) -> np.ndarray:
        """(len(queries), len(docs)) scores, each row divided by its maximum (rows in [0, 1])."""
        rows = np.zeros((len(queries), len(self.ids)), dtype=np.float32)
        for i, query in enumerate(queries):
            row = self.scores(query)
            top = float(row.max()) if row.size else 0.0
            if top > 0:
                rows[i] = row / top
        return rows
