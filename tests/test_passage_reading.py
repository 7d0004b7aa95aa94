"""What is read once (the speed lane, session 36): a corpus passage's positions and content
words are read on first use and kept by the words read (``reasoning.fit.reading``), and a
scope's requested codes that tell a treatment apart are read when the scope is
(``relevance.Scope.telling``), instead of again for every criterion, check and passage."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline import relevance
from pipeline.evidence import tokens
from pipeline.models import Passage
from pipeline.reasoning import fit
from pipeline.service_kinds import ancillary
from tests.test_relevance import passage, scope

TEXT = (
    "An MRI request should therefore document the red flags. "
    "We recommend lumbar fusion for instability. The policy covers one level."
)


def test_a_passage_is_read_once_whatever_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    fit._read.cache_clear()  # another test may have read these words already
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


def test_a_passage_read_is_equal_to_its_unread_copy() -> None:
    """The reading is no part of the passage (review36 F9): reading a passage does not
    change what it compares equal to."""
    p = passage(text=TEXT, section="Lumbar fusion")
    copy = p.model_copy(deep=True)
    assert p == copy
    assert fit.position(p) == "We recommend lumbar fusion for instability."
    assert p == copy
    assert p.model_dump() == copy.model_dump()
    assert fit.reading(copy) is fit.reading(p)  # the copy's words are not read again


def _shared_as_before(p: Passage, s: relevance.Scope) -> frozenset[str]:
    """The definition ``shared_codes`` had before the scope read its telling codes."""
    shared = s.services.intersection(p.services)
    if not shared or all(ancillary(c) for c in s.services):
        return shared
    return frozenset(c for c in shared if not ancillary(c))


@pytest.mark.parametrize(
    "codes",
    [
        (),
        ("77301",),  # IMRT planning alone: ancillary, so it tells the passage apart
        ("77301", "77385"),  # planning beside the delivery: only the delivery tells
        ("77385", "G6001", "77014"),
        ("22633",),
    ],
)
def test_the_codes_shared_with_a_passage_are_as_before(codes: tuple[str, ...]) -> None:
    passages = [
        passage(services=["77301", "77385"]),
        passage(services=["77301"]),
        passage(services=["G6001", "77014"]),
        passage(services=["22633", "22634"]),
        passage(services=[]),
    ]
    s = dataclasses.replace(scope(dx=["M43.16"]), services=frozenset(codes))
    for p in passages:
        assert relevance.shared_codes(p, s) == _shared_as_before(p, s)
    telling = {c for c in codes if not ancillary(c)} or set(codes)
    assert s.telling == telling
