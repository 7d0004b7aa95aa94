"""pipeline.lexical: tokenizer, stemmer and BM25 scoring."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pipeline.lexical import BM25, stem, tokenize


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("therapies", "therapy"),
        ("scans", "scan"),
        ("diseases", "disease"),
        ("status", "status"),
        ("glass", "glass"),
        ("bus", "bus"),
        ("cgm", "cgm"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_tokenize_keeps_codes_and_compounds() -> None:
    tokens = tokenize("The GLP-1 agonists and E11.9 with CPT 90867; PET/CT of the scans.")
    assert "glp-1" in tokens and "glp" in tokens
    assert "e11.9" in tokens and "e11" in tokens
    assert "90867" in tokens
    assert "pet" in tokens and "ct" in tokens
    assert "agonist" in tokens and "scan" in tokens
    assert "the" not in tokens and "and" not in tokens and "of" not in tokens


DOCS = [
    ("knee", "Total knee arthroplasty for severe knee osteoarthritis after physical therapy."),
    ("tms", "Transcranial magnetic stimulation for major depressive disorder."),
    ("cgm", "Continuous glucose monitor for insulin-treated diabetes; CGM with insulin pumps."),
    ("pt", "Physical therapy and exercise for low back pain."),
]


def ranking(bm25: BM25, query: str) -> list[str]:
    """The ids of the documents with a positive score, best first."""
    row = bm25.scores(query)
    return [bm25.ids[i] for i in np.argsort(-row, kind="stable") if row[i] > 0]


def test_rare_matching_term_ranks_first() -> None:
    bm25 = BM25.build(DOCS)
    assert bm25.ids == [doc for doc, _ in DOCS]
    assert ranking(bm25, "knee osteoarthritis") == ["knee"]
    # "physical therapy" occurs in two documents; the shorter one with the same tf wins.
    assert ranking(bm25, "physical therapy") == ["pt", "knee"]
    assert ranking(bm25, "insulin")[0] == "cgm"


def test_scores_match_the_okapi_formula() -> None:
    bm25 = BM25.build(DOCS)
    scores = bm25.scores("magnetic")
    n, df = 4, 1
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    lengths = [len(tokenize(text)) for _, text in DOCS]
    average = sum(lengths) / n
    norm = 1.2 * (1 - 0.75 + 0.75 * lengths[1] / average)
    assert scores[1] == pytest.approx(idf * 2.2 / (1 + norm), rel=1e-5)
    assert scores[0] == scores[2] == scores[3] == 0


def test_normalized_rows_and_empty_queries() -> None:
    bm25 = BM25.build(DOCS)
    rows = bm25.normalized(["knee therapy", "", "zzz unknown"])
    assert rows.shape == (3, 4)
    assert rows[0].max() == pytest.approx(1.0) and rows[0].min() >= 0
    assert not rows[1].any() and not rows[2].any()
    assert not bm25.scores("").any()


def test_repeated_query_terms_count_once_and_identical_documents_tie() -> None:
    bm25 = BM25.build([("b", "identical text body"), ("a", "identical text body")])
    assert np.array_equal(bm25.scores("identical identical"), bm25.scores("identical"))
    scores = bm25.scores("identical")
    assert scores[0] == scores[1] > 0  # the tie is retrieve's to break (pipeline.retrieve._top)


def test_empty_index() -> None:
    bm25 = BM25.build([])
    assert bm25.ids == []
    assert bm25.scores("anything").shape == (0,)
    assert bm25.normalized(["anything"]).shape == (1, 0)
