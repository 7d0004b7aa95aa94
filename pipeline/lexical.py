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
    """term -> (document positions, the term's BM25 weight in each): idf * tf * (K1 + 1) /
    (tf + K1 * (1 - B + B * length / average length)), computed once when the index is built
    (a query's score is then a sum of its terms' weights)."""

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
        norm = K1 * (1.0 - B + B * length / average)
        postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, (positions, frequencies) in raw.items():
            where = np.asarray(positions, dtype=np.int32)
            freq = np.asarray(frequencies, dtype=np.float32)
            # BM25+ style floor: idf is never negative, so a very common term cannot hurt.
            idf = math.log(1.0 + (n - len(where) + 0.5) / (len(where) + 0.5))
            postings[term] = (where, idf * freq * (K1 + 1.0) / (freq + norm[where]))
        return cls(ids, postings)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for ``query`` (float32, index order)."""
        total = np.zeros(len(self.ids), dtype=np.float32)
        for term in dict.fromkeys(tokenize(query)):
            posting = self.postings.get(term)
            if posting is not None:
                docs, weight = posting
                total[docs] += weight
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
