"""Parties and routes: the reviewer, the peer-to-peer number and window, the appeal portal and
the notice's own appeal clock, read as typed fields."""

from __future__ import annotations

import datetime as dt

from pipeline.extract import extract_facts, find_appeal_clock, find_peer_to_peer_line

NOTICE = """Acme Health Plan
September 29, 2026

This determination was made by Winifred S. Achebe, MD, Vascular Surgery. Your physician may
call 1-603-555-0114 within 7 days of this letter to discuss it.

You may appeal within 180 days after you receive this notice: Acme Health Plan, Appeals, PO Box
1190, Concord, NH 03302, fax 1-603-555-0115, or use the provider portal at
www.acme.example/appeals.
"""


def test_the_reviewer_who_made_the_determination_and_the_call_to_discuss_it() -> None:
    read = extract_facts(NOTICE)
    assert read.reviewer == "Winifred S. Achebe, MD"
    assert read.peer_to_peer_offered
    assert read.peer_to_peer_phone == "1-603-555-0114"
    assert read.peer_to_peer_window == "within 7 days of this letter"
    assert read.appeal_fax == "1-603-555-0115"


def test_the_appeal_portal_and_the_notice_own_clock() -> None:
    read = extract_facts(NOTICE)
    assert read.appeal_portal == "provider portal at www.acme.example/appeals"
    assert read.appeal_window == "within 180 days after you receive this notice"
    assert read.appeal_deadline == dt.date(2027, 3, 28)
    stated = "Your appeal must be received by December 3, 2026. Call 1-800-555-0100 with questions."
    assert find_appeal_clock(stated, dt.date(2026, 11, 1)) == (
        dt.date(2026, 12, 3),
        "received by December 3, 2026",
    )


def test_a_doctor_to_doctor_offer_takes_its_number_and_window_from_its_own_sentences() -> None:
    text = (
        "* Ask for a doctor-to-doctor talk. Dr. Reyes may call 1-888-555-0152 (Monday to\n"
        "  Friday, 8 a.m. to 5 p.m. Central) within 10 business days of this notice to discuss\n"
        "  this decision with the reviewer.\n"
    )
    assert find_peer_to_peer_line(text) == (
        "1-888-555-0152",
        "within 10 business days of this notice",
    )
    # a member-services line to discuss benefits is no peer-to-peer
    assert find_peer_to_peer_line("Call Member Services at 1-800-555-0100 to discuss your "
                                  "benefits.") == (None, None)  # fmt: skip
