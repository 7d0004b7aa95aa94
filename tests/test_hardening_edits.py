"""Issue 14, defect 5: hand edits of a passing letter that must not validate.

``tests/hand_edits.py`` holds the edits (at least 48). Each is applied to the tka-aca letter
as the offline pipeline drafts it; the test names the few that still validate, so that a check
that stops catching one, or an edit that stops applying, fails here."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pipeline import letter_format as lf
from pipeline.casefile import load_case
from pipeline.ingest import ingest
from pipeline.models import Draft
from pipeline.pipeline import Pipeline
from pipeline.run import draft_letter
from pipeline.validate import validate_markdown

from .conftest import EXAMPLES, ROOT
from .hand_edits import EDITS, generic_edits

TKA = ROOT / "examples" / "tka-aca"
STILL_PASS: frozenset[str] = frozenset()
"""Edits the validator does not catch yet (at most 5), by name."""


@pytest.fixture(scope="module")
def draft() -> Draft:
    return draft_letter(
        ingest(TKA / "letter.txt"), load_case(TKA / "case.yaml"), today=dt.date(2026, 12, 5)
    )


def test_there_are_at_least_48_edits_with_distinct_names() -> None:
    assert len(EDITS) >= 48
    assert len({e.name for e in EDITS}) == len(EDITS)


def test_the_unedited_letter_passes(draft: Draft) -> None:
    assert validate_markdown(draft.markdown, draft).ok


@pytest.mark.parametrize("edit", EDITS, ids=lambda e: e.name)
def test_a_hand_edit_is_caught(draft: Draft, edit) -> None:
    edited = edit.apply(draft.markdown)
    assert edited != draft.markdown, f"the edit {edit.name!r} no longer applies to the letter"
    report = validate_markdown(edited, draft)
    if edit.name in STILL_PASS:
        assert report.ok, f"{edit.name!r} is caught now: remove it from STILL_PASS"
    else:
        assert not report.ok, f"the hand edit {edit.name!r} still validates"


def test_at_most_five_edits_still_validate() -> None:
    assert len(STILL_PASS) <= 5 and {e.name for e in EDITS} >= STILL_PASS


HELD_OUT_MISSES = {("brca-fehb", "side changed")}
"""Held-out edits that still validate: brca-fehb's inputs name both breasts, so a side changed
from right to left is still a side the inputs give."""


def test_held_out_edits_of_the_other_examples_are_caught() -> None:
    """The same kinds of edit, built from each other example's own facts (not tuned on), on
    each example whose unedited letter passes."""
    applied, missed = 0, set()
    for example in EXAMPLES:
        if example.name == "tka-aca":
            continue
        draft = Pipeline().run(
            ingest(example / "letter.txt"),
            load_case(example / "case.yaml"),
            today=dt.date(2026, 11, 23),
            allow_gaps=True,
            reject=False,
        ).draft
        assert draft is not None
        if not validate_markdown(draft.markdown, draft).ok:
            continue  # nothing to measure: the letter fails before any edit
        for edit in generic_edits(draft):
            edited = edit.apply(draft.markdown)
            if edited == draft.markdown:
                continue
            applied += 1
            if validate_markdown(edited, draft).ok:
                missed.add((example.name, edit.name))
    assert applied >= 60
    assert missed <= HELD_OUT_MISSES, missed


@pytest.mark.parametrize(
    ("added", "caught"),
    [
        ("Her opioid use disorder has been in sustained remission since 2018.", False),
        ("An affirmative decision by December 8 lets the admission go ahead.", False),
        ("I ask that you uphold your prior authorization denial.", True),
        ("I understand the decision should be affirmed.", True),
    ],
)
def test_request_is_read_as_giving_up_only_when_it_says_so_of_the_denial(
    draft: Draft, added: str, caught: bool
) -> None:
    """'sustain', 'affirm' and 'uphold' give the appeal up only when said of the denial or
    decision; a case sentence with 'sustained remission' in the request asks for nothing."""
    edited = re.sub(r"(## Request\n\n)", rf"\g<1>{added} ", draft.markdown, count=1)
    assert edited != draft.markdown
    codes = {f.code for f in validate_markdown(edited, draft).findings}
    assert ("request.not_reversal" in codes) is caught


def test_a_requirement_cell_in_the_plans_words_is_no_claim_but_a_claim_there_is(
    draft: Draft,
) -> None:
    """A summary table a physician adds by hand: its first cell giving the plan's requirement
    in its own words, shortened ('contraindicated or not tolerated') claims nothing of the
    patient. A cell that is not the plan's words ('Patient could not tolerate physical
    therapy') is checked as any sentence."""
    plan = (
        "| Failure of pharmacologic therapy with NSAIDs or acetaminophen for at least 3 months, "
        "unless contraindicated or not tolerated |"
    )
    # a case that states no drug reaction: the plan's 'unless ...' is the plan's, not a claim
    case = draft.case.model_copy(update={"prior_treatments": []})
    bare = draft.model_copy(update={"case": case})

    def claims_in(cell: str) -> int:
        table = (
            f"| Plan requirement | Where documented | Met |\n|---|---|---|\n{cell} Criterion 1 | "
            "Yes |\n\n"
        )
        heading = lf.heading(lf.DIAGNOSIS)
        edited = draft.markdown.replace(heading, table + heading, 1)
        at = edited.index(cell)
        found = validate_markdown(edited, bare).findings
        spans = [f.span for f in found if f.code == "claim.unsupported" and f.span is not None]
        return sum(at <= span[0] < at + len(cell) for span in spans)

    assert claims_in(plan) == 0
    assert claims_in("| Physical therapy was contraindicated and not tolerated by the patient |")


def test_a_class_named_inside_a_case_drugs_name_is_no_new_drug(draft: Draft) -> None:
    # 'interferon alpha' is the class the drafter writes after the case's 'Peginterferon
    # alfa-2a': 'interferon' is part of a name the case gives. A drug the inputs never name
    # ('ibrutinib') is still caught.
    case = draft.case.model_copy(
        update={"clinical_summary": f"{draft.case.clinical_summary} Peginterferon in 2011."}
    )
    named = draft.model_copy(update={"case": case})

    def flagged(added: str) -> set[str]:
        edited = re.sub(r"(## Clinical summary\n\n)", rf"\g<1>{added} ", draft.markdown, count=1)
        found = validate_markdown(edited, named).findings
        return {f.excerpt for f in found if f.code == "grounding.drug_not_in_inputs"}

    assert flagged("He took peginterferon (interferon alpha) in 2011.") == set()
    assert flagged("He took ibrutinib in 2011.") == {"ibrutinib"}
