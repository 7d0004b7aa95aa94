"""What is read once (the speed lane, session 36): a corpus passage's positions and content
words are read on first use and carried with the passage (``reasoning.fit.reading``), instead
of again for every criterion and check that asks."""

from __future__ import annotations

import pytest

from pipeline.evidence import tokens
from pipeline.reasoning import fit
from tests.test_relevance import passage

TEXT = (
    "An MRI request should therefore document the red flags. "
    "We recommend lumbar fusion for instability. The policy covers one level."
)


def test_a_passage_is_read_once_whatever_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    read = []
    split = fit.split_sentences
    monkeypatch.setattr(fit, "split_sentences", lambda text: read.append(text) or split(text))
    p = passage(text=TEXT, section="Lumbar fusion")
    assert fit.position(p) == "We recommend lumbar fusion for instability."
    assert fit.recommends(p)
    assert fit.position_on(p, frozenset({"instability"})) == fit.position(p)
    assert len(read) == 1
    # the words a criterion's topic is counted in: the text's and the section's
    assert fit.reading(p).words == tokens(f"{TEXT} Lumbar fusion")
    assert fit.reading(p) is fit.reading(p)


def test_a_copy_with_other_words_is_read_afresh() -> None:
    p = passage(text=TEXT, section="Lumbar fusion")
    assert fit.position(p) == "We recommend lumbar fusion for instability."
    other = p.model_copy(update={"text": "Definitions. Cervical disc arthroplasty is covered."})
    assert fit.position(other) == "Cervical disc arthroplasty is covered."
    assert fit.reading(other).words == tokens(f"{other.text} Lumbar fusion")
    assert fit.position(p) == "We recommend lumbar fusion for instability."  # the original kept
    moved = p.model_copy(update={"section": "Spinal stenosis"})
    assert tokens("Spinal stenosis") <= fit.reading(moved).words
