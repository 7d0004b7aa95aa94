"""The length eval: its body count leaves References out, and its diff names what a shorter
letter lost (a criterion, a code, an enclosure, the deadline, the peer-to-peer offer)."""

from __future__ import annotations

from evals.prose.length import HELDOUT, ROOT, body, folders, keys, lost

_LETTER = """# Letter of Medical Necessity

## Response to each criterion cited in the denial

### Criterion 1 — met

The plan requires 3 months; the record shows 8 months (Enclosure 2), which meets it.

### Criterion 2

CPT 27447 with modifier RT, 12 visits.

## Request

This appeal is filed within the time your notice allows (by May 3, 2027). I ask for a
peer-to-peer review.

## Enclosures

1. Denial notice.
2. Clinic note.

## References

1. A guideline with many words that the length warning does not count. (ref: g-1)
"""


def test_body_leaves_the_references_out_and_keeps_the_rest() -> None:
    text = body(_LETTER)
    assert "guideline with many words" not in text
    assert "## Enclosures" in text and "2. Clinic note." in text


def test_keys_hold_criteria_codes_enclosures_deadline_and_peer_to_peer() -> None:
    got = keys(_LETTER)
    assert got["criteria"] == ["Criterion 1", "Criterion 2"]
    assert {"27447", "modifier RT", "12 visits"} <= set(got["codes"])
    assert got["enclosures"] == 2 and got["deadline"] and got["peer_to_peer"]


def test_lost_names_each_thing_a_shorter_letter_dropped() -> None:
    before = {"x": {"keys": keys(_LETTER)}}
    cut = _LETTER.replace("### Criterion 2\n", "").replace(" with modifier RT", "")
    cut = cut.replace("2. Clinic note.\n", "").replace("peer-to-peer review", "call")
    gone = lost(before, {"x": {"keys": keys(cut)}})
    assert any("Criterion 2" in g for g in gone)
    assert any("modifier RT" in g for g in gone)
    assert "x: enclosures 2 -> 1" in gone and "x: peer_to_peer lost" in gone
    assert lost(before, before) == []


def test_heldout_folders_exist_and_are_measured() -> None:
    names = {f.relative_to(ROOT).as_posix() for f in folders()}
    assert names >= HELDOUT
