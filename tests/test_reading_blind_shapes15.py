"""The reading shapes of the session-33 blind letters (devset15b), on synthetic letters of each
shape: the appeal's own clock among a peer reconsideration's, a continuation's and the next
level's windows; the decision clock apart from the filing window; a scanned fax's numbers; a
finding with a note in parentheses; the expedited track's own phone and fax; roman sections
with bracketed notes, a table between them and a finding per sub-item; a period section."""

from __future__ import annotations

import datetime as dt

from pipeline.extract import extract, find_appeal_clock, find_appeal_route, find_expedited_route
from pipeline.ingest import ingest_text
from pipeline.models import DenialAnalysis
from pipeline.payer_findings import met_route, part_findings, split_finding
from pipeline.reasoning.rights import expedited_route, notice_clock
from pipeline.requirements import parse_requirements
from pipeline.text.clean import repair_ocr_digits

NOTICE_DAY = dt.date(2026, 12, 1)


def _read(text: str) -> DenialAnalysis:
    return extract(ingest_text(text))


def _table(analysis: DenialAnalysis) -> list[tuple[str | None, str]]:
    return [(c.label, c.payer_status) for c in analysis.criteria]


# ----------------------------------------------------------------------------- (a) clocks

RECONSIDERATION_FIRST = """\
Because our reviewer did not talk with your surgeon, your surgeon may ask for a
reconsideration by calling 1-800-555-0101 within 3 business days of the date of this notice.
A reconsideration is optional and is not required before an appeal.

You or your surgeon may file an appeal of this decision within 180 days of receiving this
notice. A standard appeal will be decided within 30 calendar days of receipt.

If we uphold the denial, you may ask for an external review within 4 months after you
receive the final adverse determination on your internal appeal.
"""


def test_a_reconsideration_window_before_the_appeal_is_not_the_appeal_deadline() -> None:
    deadline, words = find_appeal_clock(RECONSIDERATION_FIRST, NOTICE_DAY)
    assert deadline == NOTICE_DAY + dt.timedelta(days=180)
    assert words == "within 180 days of receiving this notice"


def test_the_filing_window_is_not_the_decision_clock() -> None:
    clock = notice_clock(RECONSIDERATION_FIRST, "pre_service")
    assert clock is not None and (clock.amount, clock.unit) == (30, "days")


HEADED_ITEMS = """\
Internal appeal. You, your doctor or someone you name may ask us to look at any of these
decisions again. You must file within 120 days after you receive this notice.

External review. You must ask within 4 months after you receive our final internal adverse
benefit determination.
"""


def test_a_window_two_sentences_under_its_heading_is_the_appeal_deadline() -> None:
    deadline, words = find_appeal_clock(HEADED_ITEMS, NOTICE_DAY)
    assert deadline == NOTICE_DAY + dt.timedelta(days=120)
    assert words == "within 120 days after you receive this notice"


def test_a_window_counted_from_the_final_internal_decision_is_never_the_deadline() -> None:
    external_only = HEADED_ITEMS.split("\n\n")[1]
    assert find_appeal_clock(external_only, NOTICE_DAY) == (None, None)


CONTINUATION = """\
If you disagree, you can ask for an appeal. If you are getting this service now, you can keep
getting it during the appeal if you ask within 10 days of the date of this letter. Your appeal
must reach us within sixty (60) days of the date of this letter.
"""
KEEP_IT = """\
  - Keep getting services: if we reduce a service you already get, you may keep it during the
    appeal if you ask within 10 days of the date of this notice.
  - Appeal: you have 60 days from the date of this notice to ask for an appeal.
"""


def test_the_window_to_keep_a_service_is_not_the_appeal_deadline() -> None:
    for text in (CONTINUATION, KEEP_IT):
        deadline, _ = find_appeal_clock(text, NOTICE_DAY)
        assert deadline == NOTICE_DAY + dt.timedelta(days=60)


# ----------------------------------------------------------------------- (b)(d) a scanned fax


def test_a_scan_numbers_with_several_letters_for_digits_are_repaired() -> None:
    assert repair_ocr_digits("Date: ll/2l/2026, code Ol2O, TTY 7ll") == (
        "Date: 11/21/2026, code 0120, TTY 711"
    )
    assert repair_ocr_digits("A4l.5l sepsis; ref IRF-26-ll29-0ll8") == (
        "A41.51 sepsis; ref IRF-26-1129-0118"
    )


def test_words_and_chemistry_stay_as_written() -> None:
    text = "O2 saturation 88%, CO2 of 24, 4.5 ml, a 5lb bag, all 3 halls"
    assert repair_ocr_digits(text) == text


def test_a_first_parenthesised_marker_read_as_l_is_one() -> None:
    text = "  (l) First condition.\n      MET.\n  (2) Second condition."
    assert repair_ocr_digits(text).startswith("  (1) First condition.")


def test_a_finding_with_a_note_in_parentheses_is_its_status() -> None:
    finding = split_finding(
        "You are admitted within 30 days after your hospital discharge. MET (planned transfer)."
    )
    assert finding.status == "met"
    assert finding.criterion == "You are admitted within 30 days after your hospital discharge."
    assert finding.reason == "planned transfer"


SCANNED_FAX = """\
DEC-0l-2026 09:12   FROM:HILLTOP PLAN UM   l-855-555-Ol69     P.00l/002

  Hilltop Senior Plan
  Date: l2/0l/2026                                   Member number: HSP-44l90277

We have DENIED your request for admission to an inpatient rehabilitation facility, revenue
code Ol28, l2 days, l2/02/2026 through l2/l3/2026.

We reviewed each requirement:

  (l) You need active therapy in at least two disciplines.
      MET (PT and OT ordered).

  (2) You can take part in intensive therapy, 3 hours a day at least 5 days a week.
      NOT MET. The notes of ll/30/2026 say you tolerated 45 minutes a day.

You have 65 days from the date of this notice to ask for an appeal.

If you want a fast appeal (decision within 72 hours):
Fast appeal:     Phone l-855-555-Ol62 (24 hours)     Fax l-855-555-Ol63
Standard appeal: Hilltop Senior Plan, Appeals, PO Box 77l0, Roanoke, VA 240l9-77l0
                 Fax l-855-555-Ol64
"""


def test_a_scanned_fax_reads_its_date_labels_findings_and_routes() -> None:
    analysis = _read(SCANNED_FAX)
    assert analysis.letter_date == dt.date(2026, 12, 1)
    assert analysis.appeal_deadline == dt.date(2027, 2, 4)
    assert _table(analysis) == [("(1)", "met"), ("(2)", "not_met")]
    assert (analysis.service_start, analysis.service_end) == (
        dt.date(2026, 12, 2),
        dt.date(2026, 12, 13),
    )
    assert analysis.appeal_fax == "1-855-555-0164"
    assert (analysis.expedited_route, analysis.expedited_fax) == (
        "1-855-555-0162",
        "1-855-555-0163",
    )


# ------------------------------------------------------------------------ (c) the fast route

FAST_BLOCK = """\
Level 1 appeal
Send your request within 60 days after you get this letter.
Fax: 1-800-555-0148

Fast (expedited) appeal
If waiting 30 days could seriously harm your health, ask for a fast appeal.
Call 1-800-555-0146 or fax 1-800-555-0147, 24 hours a day.
"""


def test_the_fast_track_phone_and_fax_stand_apart_from_the_standard_fax() -> None:
    assert find_expedited_route(FAST_BLOCK) == ("1-800-555-0146", "1-800-555-0147")
    assert find_appeal_route(FAST_BLOCK)[1] == "1-800-555-0148"


def test_the_word_standard_inside_the_fast_sentence_is_no_label() -> None:
    text = (
        "Expedited appeal: if your doctor certifies that the standard timeframe could seriously "
        "harm you, you may request an expedited appeal by calling (603) 555-0110."
    )
    assert find_expedited_route(text) == ("(603) 555-0110", None)


def test_the_letter_names_the_fast_route_it_read() -> None:
    analysis = DenialAnalysis(expedited_route="1-800-555-0146", expedited_fax="1-800-555-0147")
    assert expedited_route(analysis) == "phone 1-800-555-0146 and fax 1-800-555-0147"
    assert expedited_route(DenialAnalysis()) == ""


# -------------------------------------------------------- (d)(e) roman sections with notes

ROMAN = """\
We compared the request with Drug Policy RX-9. All sections (I through V) must be met.

The results of the review are below. Reviewer notes appear in [brackets] after each section.

I.   Diagnosis. Active disease with a severity score of 4 or more.
     [Reviewer: MET. Score 5 on 10/20/2026.]

II.  Prior therapy. ONE of the following:
     A. Inadequate response to at least 3 g of intravenous methylprednisolone; OR
     B. A documented intolerance of intravenous glucocorticoids.
     [Reviewer: MET via II.B. Steroid psychosis documented.]

     Table 1 - Cumulative steroid doses (excerpt)
       methylprednisolone 4.5 g; prednisone equivalent 5.6 g

III. Safety. ALL of the following:
     A. A negative pregnancy test for a member who can become pregnant;
     B. Hemoglobin A1c below 8% within the 90 days before the first infusion;
     C. No active inflammatory bowel disease.
     [Reviewer: III.A N/A (age 63). III.B NOT MET: HbA1c 8.4% on 09/02/2026. III.C MET.]

IV.  Prescriber. Prescribed by an ophthalmologist or endocrinologist.
     [Reviewer: MET.]

V.   Quantity and authorization period. Initial approval: up to 8 infusions over 24 weeks.
     [Reviewer: NOT MET. The request for 10 infusions exceeds V.]
"""


def test_roman_sections_are_read_whole_with_a_finding_each() -> None:
    assert _table(_read(ROMAN)) == [
        ("I", "met"),
        ("II.A", "not_stated"),
        ("II.B", "met"),
        ("III.A", "not_applicable"),
        ("III.B", "not_met"),
        ("III.C", "met"),
        ("IV", "met"),
        ("V", "not_met"),
    ]


def test_a_note_on_several_sub_items_gives_each_its_own_finding() -> None:
    parts = part_findings("VI.A MET (no history). VI.B NOT MET: a urine screen was not sent.")
    assert {k: (f.status, f.reason) for k, f in parts.items()} == {
        "A": ("met", "no history"),
        "B": ("not_met", "a urine screen was not sent"),
    }
    assert met_route("[Reviewer: MET via III.B. Vortioxetine to be continued.]") == "B"


def test_a_period_section_states_no_requirement_of_the_record() -> None:
    requirements, _ = parse_requirements(
        "Quantity and authorization period. A. Initial: up to 8 treatments over 4 weeks."
    )
    assert requirements == []
    assert parse_requirements("At least 8 treatments over 4 weeks.")[0]


PROSE_PARTS = """\
The request was reviewed against Guideline RT-3. Section 2.4 requires that each of its
conditions, lettered (a) through (d), be met.

The reviewer found several parts of Section 2.4 satisfied. Section 2.4(a) requires an ECOG
performance status of 2 or lower; the clinic note records an ECOG of 1. Section 2.4(c)
requires no prior radiation to the region, and none is recorded. Section 6.1, which covers
re-irradiation, does not apply.

The reviewer could not find two of the required conditions. Section 2.4(b) requires a PET/CT
within 30 days before simulation; the only PET/CT is 45 days old. Section 2.4(d) requires a
tumor board review, and none was documented.
"""


def test_running_prose_findings_take_the_polarity_of_their_paragraph() -> None:
    table = dict(_table(_read(PROSE_PARTS)))
    assert (table["2.4(a)"], table["2.4(c)"]) == ("met", "met")
    assert table["2.4(b)"] == "not_met"
    assert table["2.4(d)"] in {"not_met", "not_documented"}


SECTION_FINDINGS = """\
Guideline ORTH-9 covers the procedure as follows. Section 2.1 requires arthritis with loss of
joint space on radiographs. Section 2.2 requires at least 12 weeks of physical therapy.

The reviewer found Section 2.1 met: the radiographs of May 2, 2026 show bone-on-bone arthritis.
Section 2.2 is not met: the records show 4 weeks of physical therapy.
"""


def test_a_sentence_giving_a_cited_section_its_finding_is_that_sections_finding() -> None:
    assert _table(_read(SECTION_FINDINGS)) == [("2.1", "met"), ("2.2", "not_met")]


GRID_NA = """\
We denied the request. It does not meet Medical Policy UR-7.

Criterion                                         Finding    Reviewer notes
------------------------------------------------  ---------  ------------------------------
1. Age 40 or older                                Met        Age 68
2. Prostate cancer excluded by PSA within the     Met        PSA 2.1 ng/mL on 10/14/2026
   past 12 months or by biopsy
3. For a member with prior prostate surgery,      N/A        No prior prostate surgery
   a urology consultation after that surgery
4. Prostate volume of 40 mL or more               Not met    38 mL on ultrasound
"""


def test_an_n_a_finding_opens_its_own_row_in_a_grid() -> None:
    assert _table(_read(GRID_NA)) == [
        ("1", "met"),
        ("2", "met"),
        ("3", "not_applicable"),
        ("4", "not_met"),
    ]


def test_a_sub_item_found_not_met_for_a_record_not_received_is_not_documented() -> None:
    text = ROMAN.replace("III.C MET.]", "III.C NOT MET: no bowel history was received.]")
    assert dict(_table(_read(text)))["III.C"] == "not_documented"
