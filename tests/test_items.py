"""The items a notice decides one by one (pipeline.items), one test per layout: an item table
with parts per ground, parts headed per item, claim lines in '|' and space-aligned tables; the
request built from them and the validator's checks of it."""

from __future__ import annotations

import datetime as dt

from pipeline.criteria_rules import read_criteria
from pipeline.extract import find_requested
from pipeline.items import read_items, requested_of_items
from pipeline.models import (
    DenialAnalysis,
    DenialItem,
    ItemDecision,
    ItemGround,
    RequestedService,
)
from pipeline.validate.checks.reasoning import _item_findings

TABLE = """\
Your doctor asked us to cover two items. Each was decided on its own.

  Item  Ref          Service requested                                    Decision
  ----  -----------  ---------------------------------------------------  --------
  A     PA-1-DME     Nebulizer, E0570 x 1, purchase                        DENIED
  B     PA-1-RX      Dupilumab 300 mg/2 mL pen, 4 pens per 28 days        DENIED
                     (plan limit: 2 per 28 days), 6 fills                 (limit
                                                                          applies)

===========================================================================
PART 1 - NOT A COVERED BENEFIT  (Item A: nebulizer E0570)
===========================================================================
Your Certificate of Coverage excludes equipment bought for use at school.

===========================================================================
PART 2 - QUANTITY LIMIT  (Item B: dupilumab)
===========================================================================
A quantity above the limit is approved when ALL of the following are met:

  D.1  The dose is the labeled loading dose.
       Finding: MET.

  D.2  The member is 12 years of age or older.
       Finding: NOT MET. The date of birth on file is 2016.

YOUR APPEAL RIGHTS
You may appeal within 180 days.
"""


def test_item_table_ties_each_part_and_its_criteria_to_its_item() -> None:
    criteria = read_criteria(TABLE)
    items = read_items(TABLE, ["E0570"], criteria)
    assert [i.label for i in items] == ["A", "B"]
    nebulizer, pens = items
    assert nebulizer.codes == ["E0570"]
    assert nebulizer.grounds == [ItemGround.benefit_exclusion]
    assert nebulizer.criteria == []
    assert pens.decision is ItemDecision.limit
    assert (pens.quantity, pens.unit, pens.per, pens.fills, pens.limit) == (
        4,
        "pens",
        "28 days",
        6,
        2,
    )
    assert pens.grounds == [ItemGround.quantity_limit]
    assert [criteria[i].label for i in pens.criteria] == ["D.1", "D.2"]


HEADED = """\
Service 1 of 3: Knee injection
   Codes: CPT 20610 x 1
   Decision: APPROVED through 03/31/2027.

Service 2 of 3: Hyaluronan injection series
   Codes: HCPCS J7321 x 3
   Decision: DENIED - the policy's criteria are not met.

Service 3 of 3: Knee brace, custom
   Code: HCPCS L1843 x 1
   Decision: DENIED - not a covered benefit. The plan excludes braces for sport.

If you disagree, you may appeal within 180 days.
"""


def test_parts_headed_per_item_keep_the_approved_one_out_of_the_request() -> None:
    items = read_items(HEADED, ["20610", "J7321", "L1843"])
    assert [(i.label, i.decision) for i in items] == [
        ("1", ItemDecision.approved),
        ("2", ItemDecision.denied),
        ("3", ItemDecision.denied),
    ]
    assert items[2].grounds == [ItemGround.benefit_exclusion]
    asked = requested_of_items(find_requested(HEADED), items)
    assert [s.code for s in asked] == ["J7321", "L1843"]


CLAIM = """\
| Ln | Date of service | Procedure | Units | Charged | Paid  | Adj.   | Status |
|----|-----------------|-----------|-------|---------|-------|--------|--------|
| 1  | 02/03/2026      | J1745     | 40    | 900.00  | 0.00  | CO-50  | Denied |
| 2  | 02/03/2026      | 99214     | 1     | 150.00  | 80.00 | PR-3   | Paid   |
| 3  | 03/03/2026      | J1745     | 40    | 900.00  | 0.00  | CO-50  | Denied |
"""


def test_claim_lines_request_every_denied_line_and_no_paid_one() -> None:
    items = read_items(CLAIM, ["J1745", "99214"])
    assert [(i.label, i.decision, i.service_date) for i in items] == [
        ("1", ItemDecision.denied, dt.date(2026, 2, 3)),
        ("2", ItemDecision.approved, dt.date(2026, 2, 3)),
        ("3", ItemDecision.denied, dt.date(2026, 3, 3)),
    ]
    assert items[0].remarks == ["CO-50"] and items[0].billed == "900.00"
    asked = requested_of_items([RequestedService(code="J1745", system="hcpcs", units=40)], items)
    assert [(s.code, s.units) for s in asked] == [("J1745", 40), ("J1745", 40)]


SPACED = """\
 Line  Svc date    Code   Mod  Units   Billed     Allowed   Plan paid  Code
 ----  ----------  -----  ---  -----  ---------  --------  ---------  ------
  01   05/04/2026  64615       1         700.00      0.00       0.00  CO-197
  02   05/04/2026  J0585   JW  0           0.00      0.00       0.00
  03   06/01/2026  95886       1         240.00    150.00     120.00  PR-2
  04   08/03/2026  64615       1         700.00      0.00       0.00  CO-197
"""


def test_space_aligned_claim_lines_read_by_column() -> None:
    items = read_items(SPACED, ["64615", "J0585", "95886"])
    assert [(i.label, i.codes, i.decision) for i in items] == [
        ("01", ["64615"], ItemDecision.denied),
        ("02", ["J0585"], ItemDecision.approved),  # billed at zero: nothing to appeal
        ("03", ["95886"], ItemDecision.approved),
        ("04", ["64615"], ItemDecision.denied),
    ]
    assert items[0].grounds == [ItemGround.administrative]


def test_a_notice_of_one_item_has_no_items() -> None:
    assert read_items("We denied CPT 27447 x 1 because the criteria are not met.", ["27447"]) == []


def test_criteria_labelled_letter_dot_number_with_a_wrapped_lead_in() -> None:
    text = (
        "Reviewed under policy RX-9. All of\nE.1 through E.3 must be met:\n\n"
        "  E.1  Member is 18 years of age or older.\n       Finding: MET.\n\n"
        "  E.2  Two prior cluster periods are documented.\n       Finding: NOT MET.\n\n"
        "  E.3  Prescribed by a neurologist.\n       Finding: MET.\n"
    )
    assert [(c.label, c.payer_status) for c in read_criteria(text)] == [
        ("E.1", "met"),
        ("E.2", "not_met"),
        ("E.3", "met"),
    ]


def test_a_code_the_approval_covers_is_not_requested() -> None:
    text = (
        "The request was for CPT 77301 x 1 and CPT 77386 x 10. We approved conformal therapy. "
        "The approval covers planning, with treatment delivery under CPT 77412 for 10 units. "
        "We have not approved CPT 77301 or CPT 77386."
    )
    assert [s.code for s in find_requested(text)] == ["77301", "77386"]


def _analysis(*items: DenialItem) -> DenialAnalysis:
    return DenialAnalysis(items=list(items))


def test_validator_rejects_a_request_omitting_a_denied_item_and_flags_an_approved_code() -> None:
    analysis = _analysis(
        DenialItem(label="1", codes=["20610"], decision=ItemDecision.approved),
        DenialItem(label="2", codes=["J7321"]),
        DenialItem(label="3", description="Knee brace"),
    )
    found = _item_findings(analysis, "I ask that you approve CPT 20610 × 1 and HCPCS J7321 × 3.")
    assert [(f.code, f.severity.value, f.excerpt) for f in found] == [
        ("request.missing_code", "error", "Item 3"),
        ("request.approved_code", "warning", "20610"),
    ]
    said = (
        "I ask that you approve HCPCS J7321 × 3 and Item 3 (Knee brace). Item 1 (CPT 20610) was "
        "approved and is not part of this appeal."
    )
    assert _item_findings(analysis, said) == []


NOTICE = (
    "Date of notice: November 2, 2026\n"
    "Plan: Harbor Crest PPO (employer group health plan)\n\n" + TABLE
)


def test_a_letter_for_several_items_requests_and_argues_each_under_its_own_heading() -> None:
    from pipeline.draft import compose
    from pipeline.engines import OfflineEngine
    from pipeline.extract import extract
    from pipeline.ingest import ingest_text
    from tests.test_request_shapes14 import _case, _request

    case = _case(
        "E0570",
        "Nebulizer with compressor",
        "(A) nebulizer E0570 x 1; (B) dupilumab 300 mg pen, 4 pens per 28 days, 6 fills",
        prior_treatments=[
            {
                "name": "Nebulizer treatments in clinic",
                "kind": "other",
                "start": "2026-09-01",
                "end": "2026-10-01",
                "outcome": "Wheeze resolved after each treatment",
            }
        ],
    )
    analysis = extract(ingest_text(NOTICE))
    draft = compose(
        NOTICE, analysis, case, [], OfflineEngine(), today=dt.date(2026, 11, 10), allow_gaps=True
    )
    request = _request(draft.markdown)
    assert "- Item A (HCPCS E0570 × 1; Nebulizer, E0570 x 1, purchase)" in request
    # the limited item's own quantity against the plan's limit, in its own unit
    assert (
        "a quantity-limit exception for 4 pens per 28 days, 6 fills, above the plan's limit of 2 "
        "pens per 28 days" in request
    )
    assert "Dupilumab 300 mg/2 mL pen under your plan's exception process" in request
    body = draft.markdown.split("## Response to each criterion cited in the denial", 1)[1]
    a, b = body.index("### Item A — Nebulizer"), body.index("### Item B — Dupilumab")
    assert a < b < body.index("### Criterion D.2")
    assert "- Nebulizer treatments in clinic: Wheeze resolved after each treatment" in body


def test_a_proc_mod_column_and_from_thru_dates_are_read() -> None:
    text = (
        "Ln  From-Thru              Proc/Mod     Units   Charge      Paid       Deny code\n"
        "1   08/05/2026-08/05/2026  96413        1       510.00      0.00       CO-50\n"
        "2   08/05/2026-08/05/2026  J1100        10      30.00       9.92       PR-2\n"
        "3   08/19/2026-08/19/2026  96413        1       510.00      0.00       CO-50\n"
    )
    items = read_items(text, ["96413", "J1100"])
    assert [(i.codes, i.decision, i.service_date) for i in items] == [
        (["96413"], ItemDecision.denied, dt.date(2026, 8, 5)),
        (["J1100"], ItemDecision.approved, dt.date(2026, 8, 5)),
        (["96413"], ItemDecision.denied, dt.date(2026, 8, 19)),
    ]


def test_every_item_suite_key_loads() -> None:
    from pathlib import Path

    import yaml

    keys = sorted((Path(__file__).resolve().parents[1] / "evals" / "items").glob("*/key.yaml"))
    assert len(keys) >= 8
    for path in keys:
        key = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(key["held_out"], bool) and key["items"], path.parent.name
        assert key["held_out"] == path.parent.name.startswith("ho-"), path.parent.name


CRITERIA_TABLE = """\
Coverage criteria for E0601 (all must be met):

   No.  Criterion (MP-DME-112)                                          Finding
   1    AHI or RDI of 15 or more events per hour, with a minimum of       Not met
        30 events, on a Type I, II, III, or IV sleep test
   2    AHI or RDI of 5 to 14 events per hour, with a minimum of 10       Not met
        events, and documented daytime sleepiness or hypertension
   3    Face-to-face evaluation by the treating practitioner before      Not met
        the sleep test

YOUR APPEAL RIGHTS
"""


def test_a_criteria_table_numbered_in_a_no_column_is_no_item_table() -> None:
    # rows that give only a criterion's finding, no code of the notice and no quantity, are
    # criteria; they once became three 'denied' items and the draft was refused
    assert read_items(CRITERIA_TABLE, ["E0601"], read_criteria(CRITERIA_TABLE)) == []
    unread = CRITERIA_TABLE.replace("Finding", "Notes  ").replace("Not met", "see PA  ")
    assert read_items(unread, ["E0601"]) == []  # an unread decision is not a denial


LONG_LINE_CELLS = """\
| Line                                       | Date       | Code  | Units | Paid | Adj.  | Status |
|--------------------------------------------|------------|-------|-------|------|-------|--------|
| 1 (ICN 26-1187-330415-01, corrected claim) | 03/04/2026 | 96365 | 1     | 0.00 | CO-50 | Denied |
| 2 (ICN 26-1187-330415-02, corrected claim) | 03/04/2026 | J1459 | 70    | 0.00 | CO-50 | Denied |
"""


def test_a_line_cell_over_40_characters_gives_its_leading_token_as_label() -> None:
    # the cell once went whole into DenialItem.label (max 40) and crashed extract (rc 1)
    items = read_items(LONG_LINE_CELLS, ["96365", "J1459"])
    assert [(i.label, i.codes) for i in items] == [("1", ["96365"]), ("2", ["J1459"])]


HEADED_PARTS = """\
Your doctor asked us to cover three items. We reviewed each item separately.

Item A: Home oxygen: E0424 stationary system rental x 1/month, 3 months
   Decision: DENIED

Item B: Galcanezumab 100 mg/mL prefilled syringe, 3 syringes per 30 days, 3 fills
   Decision: PARTIALLY APPROVED. We approved 30 days (1 fill); the other 2 fills are denied.

Item C: Sumatriptan 6 mg/0.5 mL autoinjector, 18 autoinjectors per 30 days, 3 fills
   Decision: PARTIALLY APPROVED. We approved 6 autoinjectors per 30 days.

WHAT COULD CHANGE THESE DECISIONS

Item B: dates of prior cluster periods and remissions; verapamil dose, dates and outcome;
a brain imaging report. Item C: documentation of current preventive therapy.
"""


def test_an_approved_count_is_a_part_only_in_the_items_own_unit_and_below_its_quantity() -> None:
    # '30 days' once became 30 syringes approved of 3: the Request asked for '-27 syringes'
    by_label: dict[str | None, DenialItem] = {}
    for item in read_items(HEADED_PARTS, ["E0424"]):
        by_label.setdefault(item.label, item)  # the first item of a label
    assert by_label["B"].decision is ItemDecision.partial
    assert by_label["B"].approved is None
    assert by_label["C"].approved == 6
    more = HEADED_PARTS.replace("approved 6 autoinjectors", "approved 20 autoinjectors")
    assert next(i for i in read_items(more, ["E0424"]) if i.label == "C").approved is None


def test_a_label_headed_again_later_refers_to_its_item() -> None:
    # a closing 'Item B: ...' list once became a fourth item ('each of the 4 items')
    items = read_items(HEADED_PARTS, ["E0424"])
    assert [i.label for i in items] == ["A", "B", "C"]
    assert items[1].description is not None and "Galcanezumab" in items[1].description


def test_a_days_supply_is_no_quantity_limit() -> None:
    """'A supply of up to 28 days' counts time, not the item's unit: the plan's limit is the
    count the notice states ('up to 2 pens per 28 days'), never 28 (review34 F14: a letter
    asked for 18 autoinjectors 'above the plan's limit of 30')."""
    old = "(plan limit: 2 per 28 days), 6 fills      "
    new = "up to 28 days; up to 2 pens per 28 days   "
    assert len(old) == len(new) and old in TABLE
    limited = TABLE.replace(old, new)
    pens = read_items(limited, ["E0570"], read_criteria(limited))[1]
    assert (pens.quantity, pens.unit, pens.limit) == (4, "pens", 2)


def _suite(name: str) -> DenialAnalysis:
    from pathlib import Path

    from pipeline.extract import extract
    from pipeline.ingest import ingest_text

    folder = Path(__file__).resolve().parents[1] / "evals" / "items" / name
    return extract(ingest_text((folder / "letter.txt").read_text(encoding="utf-8"), name))


def test_a_second_service_denied_in_running_prose_is_its_own_item_on_its_own_ground() -> None:
    for name, first, second in (
        ("ho-prose-second-ground-knee", "29881", "0232T"),
        ("ho-prose-two-services-sinus", "31267", "J7401"),
    ):
        items = _suite(name).items
        assert [i.codes for i in items] == [[first], [second]], name
        assert ItemGround.not_medically_necessary in items[0].grounds, name
        assert ItemGround.experimental not in items[0].grounds, name
        assert items[1].grounds[0] is ItemGround.experimental, name
        assert all(i.decision is ItemDecision.denied for i in items), name


def test_one_service_denied_in_prose_on_one_ground_has_no_items() -> None:
    text = (
        "Dear Ms. Doe,\n\nThe request for lumbar fusion (CPT 22612) is denied as not medically "
        "necessary.\n\nCPT 22612 requires six months of conservative care, which is not "
        "documented.\n\nYou may appeal within 180 days.\n"
    )
    assert read_items(text, ["22612"], (), ["22612"]) == []


PROSE_WITH_ALTERNATIVE = """\
Dear Mr. Roe,

We reviewed a request for two procedures and are approving neither.

The request for lumbar disc replacement at L4-L5 (CPT 22857) is denied as not medically
necessary: criterion 2, six months of supervised exercise, is not met.

A covered option: lumbar interbody fusion (CPT 22630, with 22632 for another level) is
covered under Policy SP-12 and may be requested; it is excluded only when done for pain
alone. Physical therapy (CPT 97110) is an
alternative as well.

The request for disc replacement at a second level (CPT 0164T) is also denied, on a separate
basis: replacement at more than one level is investigational.

If you disagree with this decision, you may appeal within 180 days.
"""


def test_a_covered_alternative_the_notice_offers_is_no_item() -> None:
    # the notice names the fusion and therapy it would cover instead: nobody asked for them, so
    # neither is an item the letter argues or requests (review35 F2)
    asked = [s.code for s in find_requested(PROSE_WITH_ALTERNATIVE)]
    # the request's reading names what was asked; the fusion the notice says 'may be requested'
    # is an alternative it offers, never requested (session 37)
    assert {"22857", "0164T"} <= set(asked) and "22630" not in asked
    items = read_items(PROSE_WITH_ALTERNATIVE, asked, (), asked)
    assert [i.codes for i in items] == [["22857"], ["0164T"]]
    assert items[0].grounds[0] is not ItemGround.experimental
    assert items[1].grounds == [ItemGround.experimental]


def test_the_other_requested_code_takes_its_grounds_from_the_words_that_name_it() -> None:
    # a code no paragraph of its own decides is an item only when a sentence denies it, and
    # its grounds are that paragraph's, not the rest of the notice's
    text = PROSE_WITH_ALTERNATIVE.replace(
        "If you disagree",
        "Anesthesia for the procedure (CPT 00670) is not approved.\n\nIf you disagree",
    )
    asked = [s.code for s in find_requested(text)]
    items = read_items(text, asked, (), asked)
    assert [i.codes for i in items] == [["00670"], ["22857"], ["0164T"]]
    assert items[0].grounds == []  # not the fusion paragraph's exclusion


def test_a_days_table_gives_each_span_its_dates_days_and_decision() -> None:
    analysis = _suite("ho-days-table-psych")
    spans = [(i.start, i.end, i.quantity, i.decision) for i in analysis.items]
    assert spans == [
        (dt.date(2027, 5, 1), dt.date(2027, 5, 5), 5, ItemDecision.approved),
        (dt.date(2027, 5, 6), dt.date(2027, 5, 7), 2, ItemDecision.approved),
        (dt.date(2027, 5, 8), dt.date(2027, 5, 12), 5, ItemDecision.denied),
    ]
    assert all(i.span for i in analysis.items)
    # the stay's codes ask for the denied days only, every revenue code the notice names
    asked = {s.code: (s.start, s.end, s.units) for s in analysis.requested}
    assert asked == {
        "0124": (dt.date(2027, 5, 8), dt.date(2027, 5, 12), None),
        "0914": (dt.date(2027, 5, 8), dt.date(2027, 5, 12), None),
    }


def test_a_days_table_asks_for_the_denied_span_with_every_revenue_code_listed() -> None:
    # a decision cell wrapped onto a second line ('DENIED - not medically necessary' / 'at this
    # level of care') keeps its row and its ground
    wrapped = _suite("ltach-vent-weaning-medicare-advantage").items
    assert [(i.quantity, i.decision.value) for i in wrapped] == [
        (14, "approved"), (3, "approved"), (11, "denied")
    ]  # fmt: skip
    assert wrapped[2].grounds == [ItemGround.not_medically_necessary]
    analysis = _suite("ho-days-table-rehab")
    assert [i.quantity for i in analysis.items] == [11, 3, 11]
    assert {s.code for s in analysis.requested} >= {"0128", "0420", "0430"}
    denied = [i for i in analysis.items if i.open]
    assert [(i.start, i.end) for i in denied] == [(dt.date(2027, 1, 22), dt.date(2027, 2, 1))]


def test_a_requested_dates_cell_is_the_lines_period_not_a_date_of_service() -> None:
    items = _suite("ho-partial-lines-dates-sacral").items
    assert [(i.label, i.start, i.end, i.service_date) for i in items][3] == (
        "4",
        dt.date(2027, 4, 1),
        dt.date(2027, 12, 31),
        None,
    )
    assert [i.decision.value for i in items] == [
        "approved", "denied", "denied", "denied", "approved"
    ]  # fmt: skip
    assert all(ItemGround.not_medically_necessary in i.grounds for i in items if i.open)


def test_a_revenue_code_cell_written_rev_nnnn_is_a_line() -> None:
    from pipeline.items import revenue_codes

    text = (
        "Line | Code     | Service                 | Units | Requested dates       | Decision\n"
        "1    | 27447    | Total knee arthroplasty | 1     | 03/01/2027-05/31/2027 | DENIED\n"
        "2    | Rev 0120 | Inpatient room, line 1  | 2     | 03/01/2027-05/31/2027 | DENIED\n"
    )
    items = read_items(text, ["27447"])
    assert [i.codes for i in items] == [["27447"], ["0120"]]
    assert revenue_codes("revenue codes 0120 (room and board) and 0410 (respiratory)") == [
        "0120", "0410"
    ]  # fmt: skip


def _suite_letter(name: str, case: object, today: dt.date) -> str:
    from pathlib import Path

    text = (
        Path(__file__).resolve().parents[1] / "evals" / "items" / name / "letter.txt"
    ).read_text(encoding="utf-8")
    return _letter_of(text, case, today)


def _letter_of(text: str, case: object, today: dt.date) -> str:
    from pipeline.draft import compose
    from pipeline.engines import OfflineEngine
    from pipeline.extract import extract
    from pipeline.ingest import ingest_text

    analysis = extract(ingest_text(text, "notice"))
    return compose(text, analysis, case, [], OfflineEngine(), today=today, allow_gaps=True).markdown


def test_a_second_service_called_experimental_gets_its_own_section_and_request_line() -> None:
    from tests.test_request_shapes14 import _case, _request

    case = _case(
        "29881",
        "Arthroscopic partial medial meniscectomy, right knee, with platelet-rich plasma "
        "injection (CPT 0232T)",
        "CPT 29881 x 1 and CPT 0232T x 1, ambulatory surgery center, planned 03/22/2027; the "
        "PRP kit is FDA 510(k) cleared for preparing platelet-rich plasma",
    )
    md = _suite_letter("ho-prose-second-ground-knee", case, dt.date(2027, 3, 8))
    body = md.split("## Response to each criterion cited in the denial", 1)[1].split("\n## ", 1)[0]
    assert "### CPT 29881 — Arthroscopic partial medial meniscectomy\n" in body
    second = body.split("### CPT 0232T", 1)[1]
    assert "denies this item as experimental or investigational" in second
    # the case's own words on the FDA status answer the ground when no source states it
    assert "- FDA status (as requested): " in second and "510(k) cleared" in second
    request = _request(md)
    assert "- CPT 29881 (CPT 29881 × 1; Arthroscopic partial medial meniscectomy" in request
    assert "- CPT 0232T (CPT 0232T; a platelet-rich plasma injection" in request
    assert "- FDA status (as requested): the PRP kit is FDA 510(k) cleared" in md


def test_a_days_table_requests_only_the_denied_days_with_every_revenue_code() -> None:
    from tests.test_request_shapes14 import _case, _request

    case = _case(
        "0124",
        "Acute inpatient psychiatric continued stay",
        "Continued stay 05/06/2027-05/12/2027 (7 days), Rev 0124 and Rev 0914",
    )
    md = _suite_letter("ho-days-table-psych", case, dt.date(2027, 5, 7))
    request = _request(md)
    assert (
        "reverse the denial of the 5 days from May 8, 2027 through May 12, 2027 at the Acute "
        "inpatient psychiatric level of care (revenue codes 0124 and 0914)" in request
    )
    assert (
        "The days your notice approved (May 1, 2027 through May 5, 2027 and May 6, 2027 through "
        "May 7, 2027) are not part of this appeal." in request
    )
    assert "May 6, 2027 to May 12, 2027" not in request


def test_a_partial_approval_asks_for_every_denied_lines_dates_and_no_approved_line() -> None:
    from tests.test_request_shapes14 import _case, _request

    case = _case(
        "64581",
        "Sacral neuromodulation, permanent implant",
        "CPT 64581 x 1, CPT 64590 x 1 and CPT 95972 x 3 after the test stimulation; programming "
        "for 30 days after each change",
    )
    request = _request(_suite_letter("ho-partial-lines-dates-sacral", case, dt.date(2027, 2, 5)))
    assert "from April 1, 2027 to December 31, 2027" in request
    assert "for 30 days from your approval" not in request
    assert "Lines 1 (CPT 64561) and 5 (CPT 51784) were approved and are not part of this" in request
    assert "64561 ×" not in request and "51784 ×" not in request


DEPENDENT = """\
Line  Code   Service                               Units  Dates requested         Decision
1     29827  Arthroscopic rotator cuff repair      1      04/05/2027-06/30/2027   DENIED
2     01630  Anesthesia for shoulder arthroscopy   1      04/05/2027-06/30/2027   DENIED
3     64415  Interscalene nerve block              1      04/05/2027-06/30/2027   DENIED
4     73221  MRI shoulder without contrast         1      03/01/2027-05/31/2027   APPROVED

Line 1 is not medically necessary: the policy requires 3 months of physical therapy.

Lines 2 and 3 are only needed with line 1. Because line 1 is denied, they are also denied.
"""


def test_lines_denied_only_because_another_was_ride_with_it() -> None:
    from pipeline.items import dependents, grouped

    items = read_items(DEPENDENT, ["29827", "01630", "64415", "73221"])
    assert [i.grounds for i in items][:3] == [
        [ItemGround.not_medically_necessary],
        [ItemGround.dependent],
        [ItemGround.dependent],
    ]
    riding, own = dependents(items)
    assert [i.label for i in riding] == ["2", "3"] and [i.label for i in own] == ["1"]
    assert not grouped(items)  # they ride with line 1: no heading of their own


def test_the_letter_asks_for_the_riding_lines_with_the_line_they_ride_on() -> None:
    from pipeline.draft import compose
    from pipeline.engines import OfflineEngine
    from pipeline.extract import extract
    from pipeline.ingest import ingest_text
    from tests.test_request_shapes14 import _case

    text = "Date: 03/10/2027\n\n" + DEPENDENT
    case = _case("29827", "Arthroscopic rotator cuff repair", "CPT 29827 x 1, 01630 x 1, 64415 x 1")
    md = compose(
        text, extract(ingest_text(text)), case, [], OfflineEngine(), today=dt.date(2027, 3, 12),
        allow_gaps=True,
    ).markdown  # fmt: skip
    assert (
        "Your notice denies line 2 (CPT 01630) and line 3 (CPT 64415) only because it denied "
        "line 1 (CPT 29827); they are part of the same care" in md
    )


def test_a_second_service_under_a_reasons_heading_of_its_own_is_read() -> None:
    text = (
        "Dear Ms. Roe,\n\nWe reviewed the request for a lumbar fusion (CPT 22612) and a bone "
        "stimulator (E0748).\n\nWHY WE DENIED THE FUSION\n\nThe fusion (CPT 22612) is denied as "
        "not medically necessary: the policy requires 6 months of therapy.\n\nWHY WE DENIED THE "
        "STIMULATOR\n\nThe bone growth stimulator (HCPCS E0748) is also denied; the plan considers "
        "it investigational.\n\nYOUR APPEAL RIGHTS\n\nYou may appeal within 180 days.\n"
    )
    items = read_items(text, ["22612", "E0748"], (), ["22612", "E0748"])
    assert [(i.codes, i.grounds[0]) for i in items] == [
        (["22612"], ItemGround.not_medically_necessary),
        (["E0748"], ItemGround.experimental),
    ]


def _psych_days(table: str) -> str:
    """The psychiatric continued-stay notice with its days table replaced by ``table``."""
    from pathlib import Path

    text = (
        Path(__file__).resolve().parents[1]
        / "evals"
        / "items"
        / "ho-days-table-psych"
        / "letter.txt"
    ).read_text(encoding="utf-8")
    start = text.index("| From")
    end = text.index("\n\n", start)
    return text[:start] + table.strip("\n") + text[end:]


_YEAR_ONCE = """
Dates                    Days   Level of care                  Decision
May 1 - May 5, 2027        5    Acute inpatient psychiatric    Authorized
May 6 - May 7, 2027        2    Acute inpatient psychiatric    Authorized
May 8 - May 12, 2027       5    Acute inpatient psychiatric    Not authorized
"""

_DENIED_TWICE = """
Dates                       Days   Level of care                  Decision
05/01/2027 - 05/05/2027       5    Acute inpatient psychiatric    Authorized
05/06/2027 - 05/07/2027       2    Acute inpatient psychiatric    Not authorized
05/08/2027 - 05/09/2027       2    Partial hospitalization        Authorized
05/10/2027 - 05/12/2027       3    Acute inpatient psychiatric    Not authorized
"""


def _psych_case() -> object:
    from tests.test_request_shapes14 import _case

    return _case(
        "0124",
        "Acute inpatient psychiatric continued stay",
        "Continued stay 05/06/2027-05/12/2027 (7 days), Rev 0124 and Rev 0914",
    )


def test_a_range_that_writes_its_year_once_dates_its_first_day_in_that_year() -> None:
    """'May 8 - May 12, 2027': the first date borrows the range's year (review35 F9: the row
    was read as May 12 through May 12, and the Request asked for 5 days on one date)."""
    from pipeline.extract import extract
    from pipeline.ingest import ingest_text

    items = extract(ingest_text(_psych_days(_YEAR_ONCE), "notice")).items
    assert [(i.start, i.end, i.decision.value) for i in items] == [
        (dt.date(2027, 5, 1), dt.date(2027, 5, 5), "approved"),
        (dt.date(2027, 5, 6), dt.date(2027, 5, 7), "approved"),
        (dt.date(2027, 5, 8), dt.date(2027, 5, 12), "denied"),
    ]
    request = _request_of(_letter_of(_psych_days(_YEAR_ONCE), _psych_case(), dt.date(2027, 5, 7)))
    assert "the 5 days from May 8, 2027 through May 12, 2027" in request
    # a year across a new year: the first date is the year before ('Dec 28 - Jan 3, 2028')
    from pipeline.items import _dates

    assert _dates("Dec 28 - Jan 3, 2028") == [dt.date(2027, 12, 28), dt.date(2028, 1, 3)]


def test_denied_days_on_both_sides_of_approved_ones_are_asked_for_run_by_run() -> None:
    """An approved row between two denied rows: the Request names each denied run, never one
    range from the first denied day to the last that holds the approved days (review35 F9)."""
    request = _request_of(
        _letter_of(_psych_days(_DENIED_TWICE), _psych_case(), dt.date(2027, 5, 7))
    )
    assert (
        "reverse the denial of the 2 days from May 6 to 7, 2027 and the 3 days from May 10 to "
        "12, 2027 at the Acute inpatient psychiatric level of care" in request
    )
    assert "May 6, 2027 through May 12, 2027" not in request
    assert "May 8, 2027 through May 9, 2027) are not part of this appeal" in request


def test_the_spans_of_one_stay_are_not_items_the_opening_counts() -> None:
    """Two denied spans of one stay are the days of that stay, not '2 items: LTCH and LTCH'
    (review35 F9): the opening asks for the days."""
    from pipeline.extract import extract
    from pipeline.ingest import ingest_text
    from pipeline.items import headed

    items = extract(ingest_text(_psych_days(_DENIED_TWICE), "notice")).items
    assert sum(i.open for i in items) == 2
    assert not headed(items)
    md = _letter_of(_psych_days(_DENIED_TWICE), _psych_case(), dt.date(2027, 5, 7))
    assert "items your notice denied" not in md
    assert "denial of the 2 days from May 6 to 7, 2027 and the 3 days from May 10 to 12" in md


def _request_of(md: str) -> str:
    return md.split("## Request\n", 1)[1].split("\n## ", 1)[0]


# --------------------------------------------------------------------------- session 36

REDUCED_REMIT = """\
LN  DOS       CODE   MOD  UNITS  BILLED    ALLOWED   GRP-CARC  ADJ AMT   RARC  PAID
--  --------  -----  ---  -----  --------  --------  --------  --------  ----  --------
01  03/02/26  99214  25   1        180.00    110.00  CO-45        70.00          88.00
02  03/02/26  J1569       60     9,300.00  6,200.00  CO-45     1,000.00  N54   4,960.00
                          (allowed 40)               CO-198    2,100.00
03  03/09/26  J1569       60     9,300.00      0.00  CO-50     9,300.00  N29       0.00
04  03/09/26  96365       1        310.00      0.00  CO-50       310.00  N29       0.00
"""


def test_a_remittance_line_paid_in_part_asks_only_its_denied_units() -> None:
    # judge (romiplostim): asked the authorized units over the whole authorization period
    # instead of the units each line denied
    items = read_items(REDUCED_REMIT, ["99214", "J1569", "96365"])
    assert [(i.label, i.decision, i.quantity, i.approved) for i in items] == [
        ("01", ItemDecision.approved, 1, None),
        ("02", ItemDecision.partial, 60, 40),  # the '(allowed 40)' and CO-198 under it
        ("03", ItemDecision.denied, 60, None),
        ("04", ItemDecision.denied, 1, None),
    ]
    assert items[1].remarks == ["CO-45", "N54", "CO-198"]
    authorized = RequestedService(code="J1569", system="hcpcs", units=40, modifiers=["JZ"])
    asked = requested_of_items([authorized], items)
    assert [(s.code, s.units, s.start) for s in asked] == [
        ("J1569", 20, None),
        ("J1569", 60, None),
        ("96365", 1, None),
    ]


def test_a_line_the_notice_says_was_allowed_fewer_units_is_approved_in_part() -> None:
    text = (
        "| Ln | Date       | Proc  | Units | Charge   | Paid     | CARC   |\n"
        "|----|------------|-------|-------|----------|----------|--------|\n"
        "| 1  | 05/05/2026 | J0585 | 200   | 1,500.00 | 900.00   | CO-151 |\n"
        "| 2  | 05/05/2026 | 64615 | 1     | 480.00   | 240.00   | PR-2   |\n"
        "\nLine 1 was reduced to 155 units, the labeled dose.\n"
    )
    items = read_items(text, ["J0585", "64615"])
    assert (items[0].decision, items[0].approved) == (ItemDecision.partial, 155)
    assert items[1].decision is ItemDecision.approved


REDUCED_SESSIONS = """\
We approved part of the request.

  CPT    Service                     Requested          APPROVED           NOT APPROVED
  -----  --------------------------  -----------------  -----------------  -----------------
  97110  Therapeutic exercise,       24 visits          10 visits          14 visits
         2 per week                  02/01/2027 -       02/01/2027 -       03/10/2027 -
                                     05/31/2027         03/09/2027         05/31/2027
  92507  Speech treatment            12 visits          12 visits          0 visits
                                     02/01/2027 -       02/01/2027 -
                                     05/31/2027         05/31/2027
"""


def test_a_reduced_approval_asks_only_the_denied_count_for_the_denied_dates() -> None:
    # judge (DBT): asked the whole 28 sessions from the original start date when only the 20
    # after the approved weeks were in dispute
    items = read_items(REDUCED_SESSIONS, ["97110", "92507"])
    first = items[0]
    assert (first.decision, first.quantity, first.approved, first.unit) == (
        ItemDecision.partial,
        24,
        10,
        "visits",
    )
    assert (first.start, first.end) == (dt.date(2027, 3, 10), dt.date(2027, 5, 31))
    assert items[1].decision is ItemDecision.approved
    asked = requested_of_items(find_requested(REDUCED_SESSIONS), items)
    assert [(s.code, s.units, s.start, s.end) for s in asked] == [
        ("97110", 14, dt.date(2027, 3, 10), dt.date(2027, 5, 31))
    ]


SUPPLY_ROWS = """\
   HCPCS   Modifier   Description                                Units requested
   E0784   NU         External ambulatory infusion pump          1 (purchase)
                      (model X2 with closed-loop control)
   A4224              Supplies for maintenance of insulin        15 per month x 6
                      infusion catheter, per week                months (90)
   A4232              Syringe with needle for external           4 per month x 6

"""


def test_a_units_cell_wrapped_over_two_lines_gives_its_stated_total_or_product() -> None:
    # judge (insulin pump): asked 12 units of each supply code instead of 120
    items = read_items(SUPPLY_ROWS, ["E0784", "A4224", "A4232"])
    assert [(i.codes, i.quantity) for i in items] == [
        (["E0784"], 1),
        (["A4224"], 90),
        (["A4232"], 24),
    ]
    asked = requested_of_items(find_requested(SUPPLY_ROWS), items)
    assert [(s.code, s.units) for s in asked] == [("E0784", 1), ("A4224", 90), ("A4232", 24)]


def test_a_code_a_sentence_only_supposes_approved_stays_in_the_request() -> None:
    # judge (cross-linking): the second drug code and its 2 units were dropped because the
    # reviewer wrote it would be limited 'even if the procedure were approved'
    text = (
        "Services requested:\n"
        "    67028-RT  Intravitreal injection ................ 1 unit\n"
        "    J2778     Ranibizumab, 0.1 mg ..................... 5 units\n\n"
        "DETERMINATION: DENIED.\n\n"
        "The reviewer would limit J2778 to 3 units even if the injection were approved.\n"
    )
    assert [(s.code, s.units) for s in find_requested(text)] == [("67028", 1), ("J2778", 5)]


def test_the_request_names_each_claim_line_with_its_date_units_and_denial_codes() -> None:
    from pipeline.draft import _claim_line_phrase

    items = read_items(REDUCED_REMIT, ["99214", "J1569", "96365"])
    assert _claim_line_phrase(items[1], ["JZ"]) == (
        "Line 02 (March 2, 2026): HCPCS J1569-JZ × 20, the units not paid (60 billed, 40 "
        "allowed; N54, CO-198)"
    )
    assert _claim_line_phrase(items[2], []) == (
        "Line 03 (March 9, 2026): HCPCS J1569 × 60 (billed $9,300.00; CO-50, N29)"
    )


def test_a_look_back_window_names_history_not_the_level_of_care_requested() -> None:
    from pipeline.extract import find_level_of_care

    text = (
        "We reviewed the request for continued outpatient therapy. Within the 60 days before "
        "the request, at least one of: a crisis unit stay or inpatient psychiatric admission."
    )
    assert find_level_of_care(text) is None


def test_sessions_that_may_be_used_through_a_date_are_no_visit_cap() -> None:
    import re

    from pipeline.reasoning.grounds import grounds_spec

    spec = next(g for g in grounds_spec().grounds if g.key == "visit_cap")
    said = "The 8 approved sessions of each service may be used through 01/10/2027."
    assert not any(re.search(s.pattern, said, re.I) and s.weight >= 6 for s in spec.selects)
    used = "The 20 approved visits were used by 10/01/2026."
    assert any(re.search(s.pattern, used, re.I) and s.weight >= 6 for s in spec.selects)


def test_a_dotted_leader_leads_to_the_codes_quantity_total_rate_or_count_per_visit() -> None:
    # units per period as the notice states them, never the first number on the code's line
    text = (
        "Items requested (home infusion, 3 months):\n"
        "  B4164  Parenteral solution, 50% dextrose, 500 ml = 1 unit ..... 2 per day x 90 = 180\n"
        "  E0781  Ambulatory infusion pump (rental) ..................... 1 per month x 3 months\n"
        "  99601  Home infusion visit, per diem ......................... 1 per visit\n\n"
        "Decision: DENIED.\n"
    )
    asked = [(s.code, s.units) for s in find_requested(text)]
    assert asked == [("B4164", 180), ("E0781", 3), ("99601", 1)]


BLOCKS = """\
We approved part of the request. The decision for each service:

Service 1: CPT 97530 Therapeutic activities
   Requested: 20 visits, 2 per week, from 01/04/2027 through 03/14/2027
   Approved:  8 visits, from 01/04/2027 through 01/31/2027
   Not approved: 12 visits, from 02/01/2027 through 03/14/2027

Service 2: CPT 97535 Self-care/home management training
   Requested: 10 visits, 1 per week, from 01/04/2027 through 03/14/2027
   Approved:  4 visits, from 01/04/2027 through 01/31/2027
   Not approved: 6 visits, from 02/01/2027 through 03/14/2027

YOUR RIGHT TO APPEAL
You may appeal within 60 days.
"""


def test_a_part_per_service_stating_approved_and_not_approved_counts_is_a_partial() -> None:
    items = read_items(BLOCKS, ["97530", "97535"])
    assert [(i.label, i.decision, i.quantity, i.approved, i.unit) for i in items] == [
        ("1", ItemDecision.partial, 20, 8, "visits"),
        ("2", ItemDecision.partial, 10, 4, "visits"),
    ]
    assert (items[0].start, items[0].end) == (dt.date(2027, 2, 1), dt.date(2027, 3, 14))
    asked = requested_of_items(find_requested(BLOCKS), items)
    assert [(s.code, s.units, s.start) for s in asked] == [
        ("97530", 12, dt.date(2027, 2, 1)),
        ("97535", 6, dt.date(2027, 2, 1)),
    ]


def test_denied_dates_stated_once_in_words_are_each_reduced_lines_dates() -> None:
    text = (
        "| Code  | Description        | Units requested | Units authorized | Units denied | "
        "Dates requested         |\n"
        "|-------|--------------------|-----------------|------------------|--------------|"
        "-------------------------|\n"
        "| 97161 | PT evaluation      | 1               | 1                | 0            | "
        "03/01/2027 - 06/30/2027 |\n"
        "| 97112 | Neuromuscular re-ed| 24              | 12               | 12           | "
        "03/01/2027 - 06/30/2027 |\n\n"
        "The visits not approved are for 05/01/2027 through 06/30/2027.\n"
    )
    items = read_items(text, ["97161", "97112"])
    assert (items[1].decision, items[1].start, items[1].end) == (
        ItemDecision.partial,
        dt.date(2027, 5, 1),
        dt.date(2027, 6, 30),
    )
    assert (items[0].start, items[0].decision) == (dt.date(2027, 3, 1), ItemDecision.approved)


def test_a_reduced_claim_asks_no_code_only_its_paid_lines_bill_and_the_reduced_units() -> None:
    # review36 F10: a line applied to the deductible (PR-1, paid 0.00) was still asked, and a
    # reduced line the reading left out as paid came back with its billed units (rc 4)
    text = (
        "LN  DOS       CODE   MOD  UNITS  BILLED    ALLOWED   GRP-CARC  ADJ AMT   RARC  PAID\n"
        "--  --------  -----  ---  -----  --------  --------  --------  --------  ----  --------\n"
        "01  11/10/26  99214  25   1        210.00    160.00  PR-1        160.00            0.00\n"
        "02  11/10/26  97110       4        480.00    240.00  CO-45        40.00  N362    200.00\n"
        "                          (allowed 2)                CO-198      200.00\n"
        "03  11/10/26  72148       1      1,250.00      0.00  CO-50     1,250.00  N29       0.00\n"
    )
    items = read_items(text, ["99214", "97110", "72148"])
    assert [i.decision for i in items] == [
        ItemDecision.approved,
        ItemDecision.partial,
        ItemDecision.denied,
    ]
    asked = requested_of_items(find_requested(text), items)
    assert sorted((s.code, s.units) for s in asked) == [("72148", 1), ("97110", 2)]
