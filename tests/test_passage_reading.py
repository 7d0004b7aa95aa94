"""What is read once: a passage's reading (its position sentences and content words) is data on
the passage (``Passage.reading``), read when the corpus is loaded (and so stored with the index
build) or a physician's source is made, and passed down: the drafter reads it, never the text
again (``reasoning.fit.reading``; no cache keyed by the words). And a scope's requested codes
that tell a treatment apart are read when the scope is (``relevance.Scope.telling``), instead of
again for every criterion, check and passage."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import pytest

from pipeline import corpus as corpus_module
from pipeline import positions, relevance
from pipeline import retrieve as R
from pipeline.corpus import corpus_hash, load_corpus
from pipeline.errors import InputError
from pipeline.evidence import tokens
from pipeline.models import CaseCitation, Passage, PassageReading
from pipeline.reasoning import fit
from pipeline.service_kinds import ancillary
from tests.test_corpus_loader import SOURCE, write
from tests.test_corpus_loader import passage as entry
from tests.test_relevance import passage, scope
from tests.test_retrieve import TKA_CASE, write_corpus

TEXT = (
    "An MRI request should therefore document the red flags. "
    "We recommend lumbar fusion for instability. The policy covers one level."
)


def _corpus(root: Path) -> Path:
    """A one-passage corpus under ``root``."""
    write(root, "guidelines/spine.yaml", SOURCE, [entry("spine-a", text=TEXT)])
    return root


def test_the_loader_reads_each_passage_once(monkeypatch: pytest.MonkeyPatch) -> None:
    read = []
    split = positions.split_sentences
    monkeypatch.setattr(positions, "split_sentences", lambda text: read.append(text) or split(text))
    (p,) = load_corpus(_corpus(Path(tempfile.mkdtemp(prefix="lmn-reading-"))))
    assert len(read) == 1 and p.reading is not None
    assert fit.position(p) == "We recommend lumbar fusion for instability."
    assert fit.recommends(p)
    assert fit.position_on(p, frozenset({"instability"})) == fit.position(p)
    assert p.reading.stated == (
        "We recommend lumbar fusion for instability.",
        "The policy covers one level.",
    )
    # the words a criterion's topic is counted in: the text's and the section's
    assert p.reading.words == tokens(f"{TEXT} {p.section}")
    assert fit.reading(p) is p.reading  # passed down, not read again
    assert len(read) == 1


def test_the_drafter_states_the_reading_the_passage_carries() -> None:
    """A reading that differs from the text shows which one fit reads: the carried one."""
    p = passage(text=TEXT, section="Lumbar fusion")
    carried = p.model_copy(
        update={"reading": PassageReading(stated=("Carried position.",), words=frozenset())}
    )
    assert fit.position(carried) == "Carried position."
    assert fit.position(p) == "We recommend lumbar fusion for instability."


def test_a_passage_made_elsewhere_is_read_where_asked_and_not_changed() -> None:
    """A hand-made passage (no reading) is read where asked; reading it changes nothing of it,
    so it stays equal to its unread copy (review36 F9), and a copy with other words is read
    afresh."""
    p = passage(text=TEXT, section="Lumbar fusion")
    copy = p.model_copy(deep=True)
    assert fit.position(p) == "We recommend lumbar fusion for instability."
    assert p == copy and p.reading is None
    assert fit.reading(p) == positions.read(p)
    other = p.model_copy(update={"text": "Definitions. Cervical disc arthroplasty is covered."})
    assert fit.position(other) == "Cervical disc arthroplasty is covered."
    moved = p.model_copy(update={"section": "Spinal stenosis"})
    assert tokens("Spinal stenosis") <= fit.reading(moved).words


def test_a_corpus_file_cannot_set_a_reading(tmp_path: Path) -> None:
    forged = {"stated": ["We recommend anything."], "words": ["anything"]}
    write(tmp_path, "guidelines/spine.yaml", SOURCE, [entry("spine-a", text=TEXT, reading=forged)])
    with pytest.raises(InputError, match="reading: unknown field"):
        load_corpus(tmp_path)  # the loader reads it, never a corpus file


def test_the_reading_survives_json_in_a_stable_order(tmp_path: Path) -> None:
    (p,) = load_corpus(_corpus(tmp_path))
    dumped = p.model_dump_json()
    assert Passage.model_validate_json(dumped) == p
    assert dumped == Passage.model_validate_json(dumped).model_dump_json()  # words sorted


def test_the_index_build_stores_the_readings(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    index = R.build_index(index_dir=tmp_path / "index", corpus_root=corpus)
    try:
        assert index.passages
        assert all(p.reading == positions.read(p) for p in index.passages.values())
    finally:
        index.close()
    bare = [p.model_copy(update={"reading": None}) for p in load_corpus(corpus)][:3]
    explicit = R.build_index(bare, tmp_path / "explicit")  # explicit passages: read at build
    try:
        assert len(explicit.passages) == 3
        assert all(p.reading == positions.read(p) for p in explicit.passages.values())
    finally:
        explicit.close()


def test_a_physician_source_is_read_where_it_is_made() -> None:
    citation = CaseCitation(issuing_body="AAOS", title="Knee OA", year="2021", recommendation=TEXT)
    case = TKA_CASE.model_copy(update={"citations": [citation]})
    (own,) = relevance.physician_passages(case, scope(dx=["M17.11"]))
    assert own.reading is not None and own.reading == positions.read(own)


def test_a_change_to_the_reader_changes_the_corpus_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The readings are stored with the build: a reader changed since rebuilds it."""
    root = _corpus(tmp_path)
    first = corpus_hash(root)
    monkeypatch.setattr(corpus_module, "READER", "another reader")
    assert corpus_hash(root) != first


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
