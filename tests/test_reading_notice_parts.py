"""The notice's own date, payer and deadline when a fax cover page leads it, when it is dated
only at its end, when a letterhead line holds several parts, when a third-party administrator
writes for an employer's plan, and when a bulleted peer-to-peer window stands above the
grievance window."""

from __future__ import annotations

import datetime as dt

from pipeline.extract import extract_facts
from pipeline.text.clean import normalize_text

COVER = """\
======================================================================
                         FACSIMILE TRANSMITTAL
======================================================================
Date sent:   11/04/2026  14:52
To:          Harbor ENT - Attn: Prior Authorization      Fax: 1-207-555-0163
From:        Keystone Review, LLC                         Fax: 1-800-555-0115
CONFIDENTIALITY NOTICE: This facsimile contains protected health information.
======================================================================
                                                             Page 2 of 3
ALDER BROOK HEALTH PLAN
44 Commercial Street, Portland, ME 04101

November 2, 2026

Dear Dr. Lind: we cannot approve the request for sinus surgery.

You may appeal within 60 days of the date of this letter. Fax 1-207-555-0170.
"""


def test_a_fax_cover_page_is_not_the_notice() -> None:
    facts = extract_facts(normalize_text(COVER))
    assert facts.letter_date == dt.date(2026, 11, 2)
    assert facts.appeal_deadline == dt.date(2027, 1, 1)
    assert facts.insurer == "ALDER BROOK HEALTH PLAN"


DATED_AT_END = """\
Magnolia Fen Community Health Plan
NOTICE OF ADVERSE BENEFIT DETERMINATION
Received: 10/30/2026
Period: 12/01/2026 to 05/31/2027

We are denying the request. If you disagree, you can ask for an appeal. Your request must
reach us within sixty (60) days of the date of this letter.

Issued 9 November 2026 by the Medical Director
"""


def test_a_notice_dated_only_in_its_closing_line() -> None:
    facts = extract_facts(normalize_text(DATED_AT_END))
    assert facts.letter_date == dt.date(2026, 11, 9)
    assert facts.appeal_deadline == dt.date(2027, 1, 8)


HEADERS = """\
HARBOR GLEN HEALTH PLANS, INC.  *  Harbor Glen Rx Saver (PDP)  *  Contract S5884-012
Pharmacy Coverage Determinations Unit

Date of notice: 12/01/2026
"""

TPA = """\
LAKE ERIE BENEFIT ADMINISTRATORS, INC.                        EXPLANATION OF BENEFITS
Third-party administrator for the                                 THIS IS NOT A BILL
NORTH SHORE FORGE, INC. EMPLOYEE HEALTH PLAN
Statement date: 06/10/2026
"""


def test_the_payer_of_a_letterhead_in_parts_and_of_a_third_party_administrator() -> None:
    assert extract_facts(normalize_text(HEADERS)).insurer == "HARBOR GLEN HEALTH PLANS, INC"
    facts = extract_facts(normalize_text(TPA))
    assert facts.insurer == "LAKE ERIE BENEFIT ADMINISTRATORS, INC"
    assert facts.plan_sponsor == "NORTH SHORE FORGE, INC. EMPLOYEE HEALTH PLAN"


BULLETS = """\
Date: 11/18/2026

PRESCRIBER OPTIONS
  - Peer-to-peer: call 1-866-555-0132, Monday-Friday 8:30 a.m.-5 p.m. ET, within 5
    business days of this decision; quote the PA number.
  - The member may file a grievance. See the enclosed member notice.

If you disagree, you may file a GRIEVANCE. You must file your grievance within 60 days from
the date you receive this notice.
"""


def test_a_peer_to_peer_window_in_a_bullet_above_is_not_the_grievance_deadline() -> None:
    assert extract_facts(normalize_text(BULLETS)).appeal_deadline == dt.date(2027, 1, 17)


def test_a_group_number_in_parentheses_is_not_part_of_the_sponsor() -> None:
    text = "Date: 06/10/2026\nGroup: Tallgrass Grain Employee Health Benefit Plan (Group 004471)\n"
    assert extract_facts(text).plan_sponsor == "Tallgrass Grain Employee Health Benefit Plan"
