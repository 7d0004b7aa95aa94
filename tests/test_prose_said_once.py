"""Each ask and each order detail said once: a third open criterion asks in short, and an order
sentence that only reprints the codes, counts and dates the Request asks for is left out."""

from __future__ import annotations

import datetime as dt

from pipeline.draft import _not_reprinted
from pipeline.engines import ArgumentRequest
from pipeline.models import DenialAnalysis
from pipeline.reasoning.argument import argue
from pipeline.reasoning.strategy import open_asks
from tests.test_prose_shapes import _CASE, _open

_ASKED = (
    "I ask you to reverse your denial and approve CPT 90837 × 28 and CPT 90853 × 28 from "
    "November 16, 2026 to May 30, 2027."
)


def test_open_criteria_ask_in_full_once_then_in_short_never_the_same_line_twice() -> None:
    texts = [
        "The member lives in the service area",
        "The member is enrolled in the plan",
        "The member has a primary care provider of record",
    ]
    verdicts = [_open(i, t) for i, t in enumerate(texts)]
    request = ArgumentRequest(
        analysis=DenialAnalysis(criteria=[v.criterion for v in verdicts]),
        case=_CASE,
        passages=[],
        verdicts=verdicts,
        today=dt.date(2026, 12, 1),
    )
    arguments = [a.argument for a in argue(request)]
    first, _pending, again, short = open_asks()
    assert arguments[0].endswith(first)
    assert arguments[1].endswith(again)
    assert arguments[2].endswith(short) and again not in arguments[2]


def test_an_order_sentence_that_reprints_the_request_goes_one_with_its_own_facts_stays() -> None:
    order = (
        "As ordered: CPT 90837 x 28 and CPT 90853 x 28, November 16, 2026 to May 30, 2027. "
        "The plan approved 8 of each for November 16, 2026 to January 10, 2027."
    )
    assert _not_reprinted(order, _ASKED) == (
        "The plan approved 8 of each for November 16, 2026 to January 10, 2027."
    )
    # a frequency of its own ('one of each per week') is not a reprint
    weekly = "As ordered: CPT 90837 x 28 and CPT 90853 x 28, one of each per week."
    assert _not_reprinted(weekly, _ASKED) == weekly
    # words the Request does not say (where and how it is given) stay
    site = "As ordered: CPT 90837 x 28 in the hospital outpatient department under anesthesia."
    assert _not_reprinted(site, _ASKED) == site
    assert _not_reprinted("As ordered: CPT 90837 x 28.", _ASKED) == ""
