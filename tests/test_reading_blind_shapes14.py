"""The reading shapes of the session-32 blind letters (devset14b), on synthetic letters of each
shape: a scanned notice whose page break cuts a criterion, criteria stated in prose citing
policy sections, a pipe table ruled after every wrapped row, a labelled one-of item with its
finding, a notice of several grounds with an exclusion, and an increase partly approved."""

from __future__ import annotations

from pipeline.extract import extract
from pipeline.ingest import ingest_text
from pipeline.models import DenialAnalysis, GroundKind
from pipeline.reasoning.change import read_change, read_increase
from pipeline.text.clean import repair_ocr_digits
from pipeline.text.pages import fold_page_breaks


def _read(text: str) -> DenialAnalysis:
    return extract(ingest_text(text))


def _table(analysis: DenialAnalysis) -> list[tuple[str | None, str]]:
    return [(c.label, c.payer_status) for c in analysis.criteria]


SCANNED = """\
 ACME SENIOR PLAN                                         Member Services l-800-555-0100
 ______________________________________________________________________________

 Date: October 2, 2026

 Why did we deny your request?
 We reviewed your request using NCD 99.9. These rules require ALL of the items below.
 Our findings:

   l. Hearing loss of 70 dB or more in both ears.
        Finding: Met. Audiogram received.

   2. A trial of fitted hearing aids for at least 3 months, verified by real-ear measure-
 ment.
        Finding: Not met. No fitting dates were received.

   3. Imaging of the inner ear shows a cochlea suited to the device, with CT or MRI done
      within 9O days before surgery, and no lesion of the auditory nerve in a
 ______________________________________________________________________________
 ACME SENIOR PLAN        Ref ACME-1        Page 2 of 2
 JANE Q PUBLIC   ACME123
 ______________________________________________________________________________
      central pathway.
        Finding: Not met. No imaging report was received.

   4. No active middle ear infection.
        Finding: Met.

 You have the right to appeal our decision.
"""


def test_a_scanned_notice_is_read_whole_across_its_page_break() -> None:
    analysis = _read(SCANNED)
    assert _table(analysis) == [("1", "met"), ("2", "not_met"), ("3", "not_met"), ("4", "met")]
    third = analysis.criteria[2]
    assert "central pathway" in third.text and "Page" not in third.text
    assert any(r.value == 90 for r in third.requirements)  # 9O read as 90


def test_page_furniture_is_blanked_and_a_cut_sentence_joined() -> None:
    folded = fold_page_breaks(SCANNED)
    assert len(folded) == len(SCANNED)
    assert "Page 2 of 2" not in folded and "JANE Q PUBLIC" not in folded
    assert "a cochlea" in folded and "in a" + " " * 10 in folded  # the cut line goes on


def test_ocr_digits_and_a_first_marker_are_repaired() -> None:
    assert repair_ocr_digits("within 9O days, NCD 2O.34") == "within 90 days, NCD 20.34"
    assert repair_ocr_digits("O2 saturation; H2O") == "O2 saturation; H2O"
    assert repair_ocr_digits("  l. First\n  2. Second") == "  1. First\n  2. Second"
    assert repair_ocr_digits("  k. One\n  l. Two") == "  k. One\n  l. Two"


SECTIONS = """\
Dear Mr. Doe:

We reviewed the request for the test and are denying it. Section 2.1 of the Plan's Summary
Plan Description covers testing only when it is medically necessary. The reviewer applied
Medical Policy LAB-9.

The reviewer accepted part of the request. Section 4.1 of LAB-9 requires an evaluation by a
medical geneticist, and the consultation of May 2, 2026 meets this requirement. Under Section
4.2, the member must have had pre-test counseling; the note of June 1, 2026 shows it, which
meets it.

The request did not meet the following parts of the policy. Section 4.3 requires a normal
chromosomal microarray performed before the request. No microarray result was received.

Finally, Section 4.5 requires documentation of how the result will change management. The
records did not explain how the result would change care.

You have the right to appeal this decision.
"""


def test_prose_citing_sections_reads_each_section_as_a_criterion() -> None:
    analysis = _read(SECTIONS)
    assert _table(analysis) == [
        ("4.1", "met"),
        ("4.2", "met"),
        ("4.3", "not_documented"),
        ("4.5", "not_met"),
    ]
    assert not any("Summary Plan Description" in c.text for c in analysis.criteria)
    assert (
        analysis.criteria[0].payer_reason
        == "the consultation of May 2, 2026 meets this requirement."
    )


RULED_PIPE = """\
NOTICE OF ADVERSE DETERMINATION

The request was reviewed under Policy RX-1. All criteria below must be met.

| Criterion (RX-1, Section 2)                 | Reviewer finding                          |
|---------------------------------------------|-------------------------------------------|
| 2.1 Member is 18 years of age or older.     | MET. Member is 40.                        |
|---------------------------------------------|-------------------------------------------|
| 2.2 Moderate-to-severe disease, shown by    | NOT MET. Only one measure was sent, and   |
| ONE of: (a) a score of 16 or more; (b) 10%  | it is below the threshold.                |
| or more of the body; or (c) involvement of  |                                           |
| the hands with functional impairment.       |                                           |
|---------------------------------------------|-------------------------------------------|
| 2.3 Members under 18: weight-based dose.    | NOT APPLICABLE.                           |
|---------------------------------------------|-------------------------------------------|

You may appeal within 180 days.
"""


def test_a_pipe_table_ruled_after_every_row_reads_one_criterion_per_row() -> None:
    analysis = _read(RULED_PIPE)
    assert _table(analysis) == [("2.1", "met"), ("2.2", "not_met"), ("2.3", "not_applicable")]
    second = analysis.criteria[1]
    assert second.tree is not None and second.tree.shape() == "any(a,b,c)"
    assert second.text.startswith("Moderate-to-severe disease, shown by ONE of: (a)")


ROMAN = """\
DETERMINATION: DENIED

We reviewed this request under Policy MP-7. Criteria I, II and III must all be met.

  I.   The member has a diagnosis established by ONE of the following:
         A. a nerve conduction study showing demyelination; OR
         B. a spinal fluid protein above the upper limit; OR
         C. a nerve biopsy.
       FINDING: MET (B). Spinal fluid protein 92 mg/dL.

  II.  Other causes have been excluded, including ALL of the following:
         1. serum protein electrophoresis;
         2. hemoglobin A1c; AND
         3. vitamin B12 level.
       FINDING: NOT MET. Only the A1c is documented.

  III. The dose does not exceed 2 g/kg per course.
       FINDING: MET.

You may appeal within 180 days.
"""


def test_a_labelled_item_with_routes_is_one_criterion_with_its_tree() -> None:
    analysis = _read(ROMAN)
    assert _table(analysis) == [("I", "met"), ("II", "not_met"), ("III", "met")]
    first, second = analysis.criteria[0].tree, analysis.criteria[1].tree
    assert first is not None and first.shape() == "any(A,B=met,C)"
    assert second is not None and second.shape() == "all(1,2,3)"


GROUNDS = """\
Dear Ms. Roe:

The request is denied for the three reasons below.

DENIAL REASON 1 - NOT A COVERED USE (BENEFIT EXCLUSION)

The drug is not covered to treat the condition on this request. No covered diagnosis was
given.

DENIAL REASON 2 - CLINICAL CRITERIA NOT MET

Coverage requires ALL of the following:

  1. Prescribed by a specialist.
     Status: MET.

  2. A lab value measured within the 90 days before the request.
     Status: NOT MET. The lab value is older than 90 days.

DENIAL REASON 3 - QUANTITY LIMIT

The drug is limited to 2 pens per 28 days. The request for 3 pens exceeds the limit.

You may ask for a redetermination within 60 days.
"""


def test_every_ground_of_a_notice_of_several_is_read() -> None:
    analysis = _read(GROUNDS)
    assert _table(analysis) == [("1", "met"), ("2", "not_met")]
    assert analysis.ground is not None
    assert analysis.ground.kind is GroundKind.benefit_exclusion
    assert analysis.ground.statement.startswith("The drug is not covered to treat")


INCREASE = """\
NOTICE OF ACTION - REQUEST APPROVED IN PART

You asked us to increase his therapy from 10 hours per week to 16 hours per week. We approved
12 hours per week. We did not approve the other 4 hours per week.

This decision does not reduce the services he receives now. The 10 hours per week he has now
are still approved.

You may appeal within 60 days.
"""


def test_an_increase_partly_approved_is_no_reduction() -> None:
    increase = read_increase(INCREASE)
    assert increase is not None
    assert (increase.current, increase.requested, increase.approved) == (10, 16, 12)
    assert (increase.unit, increase.per, increase.current_kept) == ("hours", "week", True)
    assert increase.denied == 4
    analysis = _read(INCREASE)
    assert analysis.increase == increase and analysis.service_change is None


def test_a_kept_level_is_not_read_as_a_cut() -> None:
    kept = "This decision does not reduce or stop the services he is receiving now."
    assert read_change(f"We reviewed the concurrent request. {kept}") is None


def test_a_reduction_is_still_a_reduction() -> None:
    text = (
        "You are currently authorized for 40 hours per week. We reduced the hours from 40 hours"
        " per week to 30 hours per week, effective November 1, 2026."
    )
    assert read_increase(text) is None
    change = read_change(text)
    assert change is not None and (change.before, change.after) == (40, 30)


JUDGED_ROUTES = """\
For an initial request, ALL of the following must be documented.

  1. Age 18 or older.
     [Reviewer: Met.]

  2. Risk of progression shown by ONE of the following:
       a. A decline in function of at least 5 points within one year. [Reviewer: Not met.]
       b. An imaging class of 3 or higher. [Reviewer: Met.]

  3. Prescribed by a specialist.
     [Reviewer: Met.]
"""


def test_routes_the_payer_judged_one_by_one_stay_criteria_of_their_own() -> None:
    # each route carries its own finding: the payer read them as items, so does the letter
    analysis = _read(JUDGED_ROUTES)
    assert _table(analysis) == [("1", "met"), ("2a", "not_met"), ("2b", "met"), ("3", "met")]


def test_boilerplate_and_criterion_words_name_no_denial_category() -> None:
    from pipeline.criteria_rules import find_categories
    from pipeline.models import DenialCategory

    criterion = (
        "Why did we deny your request?\nThe request was denied as not medically necessary. The"
        " records must show:\n\n  7.5  A weekly schedule showing that the requested hours do"
        " not overlap or\n       duplicate school-based services.\n       Reviewer finding:"
        " NOT MET.\n"
    )
    rights = (
        "\n\nStandard Appeal - We may take up to 14 more days if we need information, such as"
        " medical records from\nout-of-network providers.\n"
    )
    categories = find_categories(criterion + rights)
    assert DenialCategory.administrative not in categories
    assert DenialCategory.out_of_network not in categories
    assert find_categories("This claim is a duplicate of a claim already processed.")[0] is (
        DenialCategory.administrative
    )
    assert find_categories("Your plan does not cover out-of-network providers.")[0] is (
        DenialCategory.out_of_network
    )
