"""Letters a physician would sign (issue 17, second round): where passages are placed, the
peer-to-peer window, class membership from clinical class names, functional criteria, the
enclosures, the request and the length. Cases here are written for these tests, in clinical areas
other than the bundled examples."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline import letter_format as lf
from pipeline.draft import compose, p2p_closes
from pipeline.engines import OfflineEngine
from pipeline.models import DenialAnalysis, Passage, RetrievedPassage
from tests.reasoning_fixtures import TMS, load


@pytest.fixture(scope="module")
def tms():
    return load("tms-erisa", TMS)


def _passage(pid: str, kind: str, **changes: object) -> Passage:
    data: dict[str, object] = {
        "id": pid,
        "kind": kind,
        "issuing_body": "U.S. Department of Labor",
        "short_body": "DOL",
        "title": "Claims procedure",
        "year": 2000,
        "section": "29 CFR 2560.503-1(h)",
        "text": "A full and fair review takes into account all information submitted.",
        "url": "https://example.org/reg",
        "license": "public domain",
        "specialty": "general",
        "verified": True,
    }
    data.update(changes)
    return Passage.model_validate(data)


def _draft(analysis, case, text, passages=(), today=dt.date(2026, 10, 25)):
    return compose(
        text, analysis, case, list(passages), OfflineEngine(), today=today, allow_gaps=True
    )


# --------------------------------------------------------------------------- passages


def test_law_is_never_placed_under_a_clinical_criterion(tms):
    analysis, case, text = tms
    regulation = _passage("erisa-full-fair", "regulation", plan_types=["erisa"])
    retrieved = RetrievedPassage(passage=regulation, score=1.0, rank=1, criteria=[0, 1, 2, 3])
    markdown = _draft(analysis, case, text, [retrieved]).markdown
    sections = lf.split_sections(markdown)
    assert "Guideline (" not in sections[lf.CRITERIA]
    assert "2560.503-1" not in sections[lf.CRITERIA]
    assert "2560.503-1(h)" in sections[lf.LEGAL_BASIS]


def test_a_guideline_is_stated_once_and_only_under_criteria_it_was_retrieved_for(tms):
    analysis, case, text = tms
    canmat = _passage(
        "canmat-rtms", "guideline", short_body="CANMAT", year=2016, title="Neurostimulation",
        section="Section 4", recommendation="First-line",
        text="High-frequency rTMS is a first-line treatment after failure of one antidepressant.",
    )  # fmt: skip
    other = _passage(
        "imaging-guideline", "guideline", short_body="ACR", year=2020, title="Imaging",
        section="Low back pain", text="Imaging is not indicated for acute low back pain.",
    )  # fmt: skip
    markdown = _draft(
        analysis,
        case,
        text,
        [
            RetrievedPassage(passage=canmat, score=1.0, rank=1, criteria=[0, 1, 2, 3]),
            RetrievedPassage(passage=other, score=0.9, rank=2, criteria=[]),
        ],
    ).markdown
    criteria = lf.split_sections(markdown)[lf.CRITERIA]
    assert criteria.count("Guideline (CANMAT 2016, First-line)") == 1
    assert "stricter than this guideline" in criteria
    assert "ACR" not in criteria  # retrieved for no criterion: not placed under one


# --------------------------------------------------------------------------- peer to peer


@pytest.mark.parametrize(
    ("window", "closes"),
    [
        ("within 14 calendar days of the date of this letter", dt.date(2026, 11, 4)),
        # 10/21/2026 is a Wednesday: five business days end on Wednesday 10/28
        ("within 5 business days of this notice", dt.date(2026, 10, 28)),
        ("within 3 working days", dt.date(2026, 10, 26)),
        ("at any time before the appeal is decided", None),
    ],
)
def test_p2p_window_is_counted_from_the_notice(window, closes):
    analysis = DenialAnalysis(letter_date=dt.date(2026, 10, 21), peer_to_peer_window=window)
    assert p2p_closes(analysis) == closes


def test_a_passed_p2p_window_is_stated_as_passed(tms):
    analysis, case, text = tms
    late = analysis.model_copy(
        update={"peer_to_peer_window": "within 5 business days of this notice"}
    )
    open_now = lf.split_sections(_draft(late, case, text, today=dt.date(2026, 10, 26)).markdown)
    assert "through October 28, 2026" in open_now[lf.PEER_TO_PEER]
    assert "closed" not in open_now[lf.PEER_TO_PEER]
    passed = lf.split_sections(_draft(late, case, text, today=dt.date(2026, 11, 20)).markdown)
    p2p = passed[lf.PEER_TO_PEER]
    assert "closed on October 28, 2026" in p2p
    assert "I ask for one nonetheless" in p2p
    assert "(206) 555-0143" in p2p  # the physician's own line
    assert "I am requesting one through that line" not in p2p
