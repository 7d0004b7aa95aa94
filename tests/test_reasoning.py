"""Computed verdicts per requirement, the argument per criterion, and the category specs, checked
against the worked examples in /work/shared/docs/target-letters (tms-erisa, tka-aca)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pipeline import letter_format as lf
from pipeline.draft import compose, deadline_state
from pipeline.engines import ArgumentRequest, OfflineEngine
from pipeline.evidence import FACTS_LEAD
from pipeline.gaps import requirement_gaps
from pipeline.models import (
    CaseDocument,
    Concession,
    Criterion,
    DenialAnalysis,
    DenialCategory,
    RequestedService,
)
from pipeline.reasoning import book, case_facts, evaluate
from pipeline.reasoning.argument import argue
from pipeline.reasoning.request import requested_codes
from pipeline.reasoning.specs import Strategy, specs
from tests.reasoning_fixtures import TKA, TMS, R, load


@pytest.fixture(scope="module")
def tms():
    return load("tms-erisa", TMS)


@pytest.fixture(scope="module")
def tka():
    return load("tka-aca", TKA)


def by_kind(verdict, kind, branch=0):
    return [
        rv
        for rv in verdict.requirements
        if rv.requirement.kind == kind and rv.requirement.branch == branch
    ]


# --------------------------------------------------------------------------- classes


def test_fda_classes_and_supplement_rows():
    classes = book()
    assert classes.classes_of("sertraline") == ("Serotonin Reuptake Inhibitor",)
    assert classes.ingredient_in("Bupropion XL") == "bupropion"
    # the parenthetical names the base drug; the augmenting agent is the one named first
    assert classes.ingredient_in("Lithium carbonate (augmentation of duloxetine)") == (
        "lithium carbonate"
    )
    assert classes.classes_of("adalimumab") == ("Tumor Necrosis Factor Blocker",)
    assert classes.classes_of("mirtazapine")
    assert all(row.source for row in classes.supplement)
    thiopurine = classes.group("thiopurine")
    assert classes.covers(thiopurine, "azathioprine", "Azathioprine", "medication")
    assert not classes.covers(thiopurine, "methotrexate", "Methotrexate", "medication")
    assert classes.provenance.source.startswith("FDA National Drug Code Directory")


def test_trials_are_typed_from_the_case(tms):
    _, case, _ = tms
    trials = case_facts(case).trials
    sertraline, aripiprazole, cbt = trials[0], trials[4], trials[7]
    assert sertraline.days == 98 and sertraline.days_at_dose == 56
    assert sertraline.class_label == "SSRI" and sertraline.failed
    assert aripiprazole.augmentation and aripiprazole.intolerant
    assert "antidepressant" not in aripiprazole.groups
    assert cbt.sessions == 18 and "psychotherapy" in cbt.groups
    assert case_facts(case).episode_start == dt.date(2024, 9, 1)


# --------------------------------------------------------------------------- verdicts: tms


def test_tms_treatment_resistance(tms):
    analysis, case, _ = tms
    c1 = evaluate(analysis, case)[0]
    assert c1.status == "met"
    (count,) = by_kind(c1, "trial_count")
    assert count.status == "met" and count.value == 5
    # augmentation agents and CBT are not antidepressant trials
    assert count.evidence == [f"prior_treatments[{i}]" for i in (0, 1, 2, 3, 5)]
    (classes,) = by_kind(c1, "class_count")
    assert classes.value == 3
    (weeks,) = by_kind(c1, "duration")
    assert weeks.value == pytest.approx(8.0)  # shortest time at the final dose, in weeks
    assert "shortest 8 weeks" in weeks.found
    assert c1.evidence == count.evidence


def test_tms_augmentation_uses_weeks_at_dose(tms):
    analysis, case, _ = tms
    c2 = evaluate(analysis, case)[1]
    assert c2.status == "met"
    assert c2.evidence == ["prior_treatments[4]", "prior_treatments[6]"]
    (weeks,) = by_kind(c2, "duration")
    assert "Aripiprazole 7 weeks" in weeks.found  # 7 weeks at 10 mg, not the 9-week total


def test_tms_concurrent_psychotherapy_overlap(tms):
    analysis, case, _ = tms
    c3 = evaluate(analysis, case)[2]
    (overlap,) = by_kind(c3, "concurrency")
    assert overlap.status == "met"
    assert "Venlafaxine XR 98 days" in overlap.found and "Duloxetine 28 days" in overlap.found
    # sertraline, escitalopram, bupropion ended before CBT; lithium began after it
    assert set(c3.evidence) == {"prior_treatments[3]", "prior_treatments[5]", "prior_treatments[7]"}


def test_tms_substance_use_by_assessment_not_by_words(tms):
    analysis, case, _ = tms
    c4 = evaluate(analysis, case)[3]
    assert c4.status == "met"
    assert c4.evidence == ["objective_findings[3]", "objective_findings[4]"]


# --------------------------------------------------------------------------- verdicts: tka


def test_tka_verdicts(tka):
    analysis, case, _ = tka
    c1, c2, c3, c4, c5 = evaluate(analysis, case)
    (months,) = by_kind(c1, "duration")
    assert "255 days" in months.found and months.status == "met"  # PT + HEP, continuous
    # medications and the injection answer criteria 2 and 3, not "nonoperative management"
    assert set(c1.evidence) == {"prior_treatments[0]", "prior_treatments[1]", "prior_treatments[6]"}
    assert c2.evidence == [f"prior_treatments[{i}]" for i in (2, 3, 4)]
    (injections,) = by_kind(c3, "trial_count")
    assert injections.value == 2
    (grade,) = by_kind(c4, "threshold")
    assert grade.value == 4 and grade.status == "met"
    (age,) = by_kind(c4, "time_window")
    assert age.value == 84  # August 12 to the November 4 denial
    assert c5.evidence == ["objective_findings[1]", "objective_findings[2]"]
    assert all(v.status == "met" for v in (c1, c2, c3, c4, c5))


def test_threshold_not_met_and_unknown_become_gaps(tka):
    analysis, case, _ = tka
    stricter = analysis.model_copy(deep=True)
    stricter.criteria[3].requirements[2] = R("threshold", "Kellgren-Lawrence grade", ">=", 5)
    stricter.criteria[2].requirements[0] = R(
        "trial_count", "intra-articular injection", ">=", 3, "injections"
    )
    verdicts = evaluate(stricter, case)
    assert verdicts[3].status == "not_met" and verdicts[2].status == "not_met"
    gaps = requirement_gaps(verdicts)
    assert [g.field for g in gaps] == ["criteria[2].requirements[0]", "criteria[3].requirements[2]"]
    assert "objective_findings" in gaps[1].message and "conceded" in gaps[1].message
    # a conceded requirement is no gap
    conceded = case.model_copy(update={"conceded": [Concession(criterion=4, requirement=3)]})
    gaps = requirement_gaps(evaluate(stricter, conceded))
    assert [g.field for g in gaps] == ["criteria[2].requirements[0]"]


def test_window_excludes_trials_before_the_episode(tms):
    analysis, case, _ = tms
    early = case.model_copy(deep=True)
    for t in early.prior_treatments[:2]:
        t.start, t.end = dt.date(2023, 1, 2), dt.date(2023, 4, 3)
    (count,) = by_kind(evaluate(analysis, early)[0], "trial_count")
    assert count.value == 3 and count.status == "not_met"


def test_every_numeric_requirement_has_a_stated_comparison(tms, tka):
    for analysis, case, _ in (tms, tka):
        for verdict in evaluate(analysis, case):
            for rv in verdict.requirements:
                if rv.numeric:
                    assert rv.required.split(" (")[0] in rv.comparison
                    assert any(ch.isdigit() for ch in rv.found), rv.found


# --------------------------------------------------------------------------- arguments


def _request(analysis, case, passages=()):
    return ArgumentRequest(analysis=analysis, case=case, passages=list(passages))


def test_argument_states_comparisons_and_only_bearing_facts(tms):
    analysis, case, _ = tms
    arguments = argue(_request(analysis, case))
    first = arguments[0].argument
    assert "the record shows 5 failed trials" in first and "3 classes" in first
    assert "Aripiprazole" not in first and "Cognitive behavioral" not in first
    assert "The record shows otherwise" not in first
    # the alternative branch (intolerance) is not stated once the first one is met
    assert "not tolerated" not in first
    assert "Sertraline" not in arguments[2].argument


def test_payer_met_criterion_is_not_argued(tms):
    analysis, case, _ = tms
    met = analysis.model_copy(deep=True)
    met.criteria[3] = met.criteria[3].model_copy(update={"payer_status": "met"})
    argument = argue(_request(met, case))[3].argument
    assert "records this criterion as met" in argument
    assert "Required:" not in argument and "AUDIT-C" not in argument


def test_conceded_criterion_asks_for_the_exception(tms):
    analysis, case, _ = tms
    capped = analysis.model_copy(update={"denial_categories": [DenialCategory.frequency_limit]})
    # the augmentation trials left out: criterion 2 is open, and the concession stands
    kept = [t for t in case.prior_treatments if not re.match(r"(?i)aripiprazole|lithium", t.name)]
    open_case = case.model_copy(
        update={"conceded": [Concession(criterion=2)], "prior_treatments": kept}
    )
    argument = argue(_request(capped, open_case))[1].argument
    exception = specs()[DenialCategory.frequency_limit].exception.split(".")[0]
    assert exception in " ".join(argument.split())
    assert "shows otherwise" not in argument
    # conceded while the record meets it: stated as met, no exception asked
    met_case = case.model_copy(update={"conceded": [Concession(criterion=2)]})
    argument = argue(_request(capped, met_case))[1].argument
    assert exception not in " ".join(argument.split()) and "which meets it" in argument


# --------------------------------------------------------------------------- specs


def test_every_denial_category_has_a_complete_spec():
    table = specs()
    assert set(table) == set(DenialCategory)
    for category, spec in table.items():
        assert spec.category == category and spec.version >= 1
        assert spec.claim and spec.argue and spec.opening and spec.exception and spec.evidence
    assert table[DenialCategory.frequency_limit].strategy == Strategy.exception
    assert table[DenialCategory.insufficient_documentation].strategy == Strategy.documentation
    assert table[DenialCategory.step_therapy].strategy == Strategy.step_therapy


def test_how_a_denial_states_each_ground_is_read_from_its_spec():
    """Extraction scores a letter's denial categories by the phrases each spec lists (no
    phrase table in the reading code); ties go to the lower precedence; a phrase added to a
    spec is recognised."""
    from pipeline import criteria_rules
    from pipeline.reasoning.specs import Phrase

    table = specs()
    assert all(spec.phrases for spec in table.values())
    assert len({spec.precedence for spec in table.values()}) == len(table)
    order = [c for c, _ in sorted(table.items(), key=lambda cs: cs[1].precedence)]
    assert list(criteria_rules._category_res()) == order
    text = "Your request is denied. Step therapy applies: you must first try a preferred drug."
    assert criteria_rules.find_categories(text)[0] == DenialCategory.step_therapy
    odd = "Your request is denied: the sprocket rule applies to this service."
    assert DenialCategory.cosmetic not in criteria_rules.find_categories(odd)
    spec = table[DenialCategory.cosmetic]
    patched = spec.model_copy(
        update={"phrases": [*spec.phrases, Phrase(pattern="sprocket rule", weight=4)]}
    )
    try:
        table[DenialCategory.cosmetic] = patched
        criteria_rules._category_res.cache_clear()
        assert DenialCategory.cosmetic in criteria_rules.find_categories(odd)
    finally:
        table[DenialCategory.cosmetic] = spec
        criteria_rules._category_res.cache_clear()


# --------------------------------------------------------------------------- the letter


def test_requested_codes_from_analysis_then_case(tms):
    analysis, case, _ = tms
    assert requested_codes(analysis.model_copy(update={"requested": []}), case) == [
        ("90867", 1, []),
        ("90868", 35, []),
    ]
    read = analysis.model_copy(
        update={"requested": [RequestedService(code="27447", units=1, modifiers=["RT"])]}
    )
    assert requested_codes(read, case) == [("27447", 1, ["RT"])]


def test_letter_has_table_every_code_enclosures(tms):
    analysis, case, text = tms
    case = case.model_copy(
        update={
            "documents": [
                CaseDocument(
                    title="Progress notes, antidepressant trials",
                    date=dt.date(2024, 10, 7),
                    end=dt.date(2026, 3, 2),
                ),
                CaseDocument(title="Evaluation and rating scales", date=dt.date(2026, 10, 8)),
                # a title that dates itself is not dated again
                CaseDocument(title="PHQ-9 log (2025-08 to 2026-09)", date=dt.date(2026, 9, 30)),
            ]
        }
    )
    draft = compose(
        text, analysis, case, [], OfflineEngine(), today=dt.date(2026, 10, 25), allow_gaps=True
    )
    sections = lf.split_sections(draft.markdown)
    ident = sections[lf.IDENTIFICATION]
    # no overview table restating the criteria: the opening names the key figures, and each
    # criterion's section compares them and names its enclosed records
    assert "| Plan requirement |" not in ident
    assert "5 failed antidepressant medication trials from 3 classes" in ident
    criteria = sections[lf.CRITERIA]
    assert "Enclosure 2" in criteria and "Enclosure 3" in criteria
    request = sections[lf.REQUEST]
    assert "CPT 90867 × 1" in request and "CPT 90868 × 35" in request
    assert "F33.2" in request
    enclosures = sections[lf.ENCLOSURES].splitlines()
    assert enclosures[0].startswith("1. Denial notice of October 21, 2026")
    assert enclosures[2] == "3. Evaluation and rating scales, October 8, 2026 — criterion 4."
    assert enclosures[3] == "4. PHQ-9 log (August 2025 to September 2026)."


def test_deadline_passed_or_near():
    analysis = DenialAnalysis(appeal_deadline=dt.date(2026, 12, 1))
    assert deadline_state(analysis, dt.date(2026, 12, 5)) == "passed"
    assert deadline_state(analysis, dt.date(2026, 11, 26)) == "near"
    assert deadline_state(analysis, dt.date(2026, 11, 1)) is None
    assert deadline_state(DenialAnalysis(), dt.date(2026, 11, 1)) is None


def test_late_letter_carries_good_cause(tms):
    analysis, case, text = tms
    late = analysis.model_copy(
        update={"appeal_deadline": dt.date(2026, 11, 30), "expedited_available": True}
    )
    draft = compose(
        text, late, case, [], OfflineEngine(), today=dt.date(2026, 12, 5), allow_gaps=True
    )
    request = lf.split_sections(draft.markdown)[lf.REQUEST]
    assert "has passed" in request and "good cause" in request
    # the plan offers an expedited route, but the case states no urgency: it is not asked for
    assert "expedited" not in request
    urgent = case.model_copy(update={"urgency": "expedited"})
    draft = compose(
        text, late, urgent, [], OfflineEngine(), today=dt.date(2026, 12, 5), allow_gaps=True
    )
    assert "expedited" in lf.split_sections(draft.markdown)[lf.REQUEST]


def test_no_requirements_keeps_meaning_based_evidence():
    criterion = Criterion(text="Failure of at least two antidepressant trials.")
    case = load("tms-erisa", TMS)[1]
    verdict = evaluate(DenialAnalysis(criteria=[criterion]), case)[0]
    assert verdict.status == "unknown"
    assert verdict.evidence == [f"prior_treatments[{i}]" for i in (0, 1, 2, 3, 5)]


# --------------------------------------------------------------------------- validator checks


@pytest.fixture(scope="module")
def tms_draft(tms):
    analysis, case, text = tms
    return compose(
        text, analysis, case, [], OfflineEngine(), today=dt.date(2026, 10, 25), allow_gaps=True
    )


def _codes(draft, markdown):
    from pipeline.validate import validate_markdown

    return {f.code for f in validate_markdown(markdown, draft).findings}


def _section(markdown: str, number: int) -> tuple[int, int]:
    start = markdown.index(f"### Criterion {number}")
    nxt = markdown.find("\n### ", start + 1)
    end = markdown.find("\n## ", start + 1)
    return start, min(x for x in (nxt, end) if x > 0)


def _edit_section(markdown: str, number: int, old: str, new: str) -> str:
    start, end = _section(markdown, number)
    body = markdown[start:end]
    if old == FACTS_LEAD:  # the lead names its enclosures: 'From my records (Enclosure 2):'
        lead = re.search(r"From my records(?: \([^)\n]*\))?:", body)
        assert lead, old
        old, new = lead.group(0), new.replace(FACTS_LEAD, lead.group(0))
    assert old in body, old
    return markdown[:start] + body.replace(old, new, 1) + markdown[end:]


REASONING_CODES = {
    "argument.verdict_mismatch",
    "argument.conceded_disputed",
    "argument.unrelated_evidence",
    "request.missing_code",
}

CONTRADICTIONS = {
    "says not met": lambda md: _edit_section(
        md, 1, FACTS_LEAD, f"This criterion is not met. {FACTS_LEAD}"
    ),
    "flips a comparison": lambda md: _edit_section(
        md, 2, ", which meets it.", ", which does not meet it."
    ),
    "inflates the count": lambda md: _edit_section(
        md, 1, FACTS_LEAD, "The record shows 7 antidepressant trials:"
    ),
}


def test_generated_letter_passes_the_reasoning_checks(tms_draft):
    assert not _codes(tms_draft, tms_draft.markdown) & REASONING_CODES


@pytest.mark.parametrize("name", list(CONTRADICTIONS))
def test_a_letter_contradicting_a_verdict_never_passes(tms_draft, name):
    markdown = CONTRADICTIONS[name](tms_draft.markdown)
    assert "argument.verdict_mismatch" in _codes(tms_draft, markdown)


def test_the_reviewers_quoted_words_are_not_the_letters_verdict(tms_draft):
    # 'Your reviewer noted: “... Does not meet 175%.”' under a met criterion quotes the payer;
    # the same words unquoted are still the letter's own (and caught)
    note = "Your reviewer noted: “RV 168% predicted. Does not meet the criterion.”"
    quoted = _edit_section(tms_draft.markdown, 1, FACTS_LEAD, f"{note} {FACTS_LEAD}")
    assert "argument.verdict_mismatch" not in _codes(tms_draft, quoted)
    said = _edit_section(
        tms_draft.markdown, 1, FACTS_LEAD, f"It does not meet the criterion. {FACTS_LEAD}"
    )
    assert "argument.verdict_mismatch" in _codes(tms_draft, said)


def test_claiming_an_unmet_criterion_met_is_caught(tka):
    analysis, case, text = tka
    stricter = analysis.model_copy(deep=True)
    stricter.criteria[3].requirements[2] = R("threshold", "Kellgren-Lawrence grade", ">=", 5)
    draft = compose(
        text, stricter, case, [], OfflineEngine(), today=dt.date(2026, 11, 10), allow_gaps=True
    )
    assert "argument.verdict_mismatch" not in _codes(draft, draft.markdown)
    claimed = _edit_section(draft.markdown, 4, FACTS_LEAD, f"This criterion is met. {FACTS_LEAD}")
    assert "argument.verdict_mismatch" in _codes(draft, claimed)


def test_unrelated_treatment_under_a_criterion_is_caught(tms_draft):
    markdown = _edit_section(
        tms_draft.markdown, 3, FACTS_LEAD, f"{FACTS_LEAD} (Sertraline was also tried)"
    )
    assert "argument.unrelated_evidence" in _codes(tms_draft, markdown)


def test_disputing_a_conceded_criterion_is_caught(tms):
    analysis, case, text = tms
    # the augmentation trials left out, criterion 2 is open: the concession stands (one the
    # record meets is no concession)
    kept = [t for t in case.prior_treatments if not re.match(r"(?i)aripiprazole|lithium", t.name)]
    case = case.model_copy(update={"conceded": [Concession(criterion=2)], "prior_treatments": kept})
    draft = compose(
        text, analysis, case, [], OfflineEngine(), today=dt.date(2026, 10, 25), allow_gaps=True
    )
    assert draft.verdicts is not None and draft.verdicts[1].conceded
    assert "argument.conceded_disputed" not in _codes(draft, draft.markdown)
    disputed = _edit_section(
        draft.markdown, 2, "The plan requires ", "The record shows otherwise: The plan requires "
    )
    assert "argument.conceded_disputed" in _codes(draft, disputed)


def test_request_omitting_a_code_or_its_units_is_caught(tms_draft):
    md = tms_draft.markdown
    start = md.index("## Request\n")
    request = md[start : md.index("\n## ", start + 1)]
    assert "request.missing_code" not in _codes(tms_draft, md)
    no_code = md.replace(request, request.replace(" and CPT 90868 × 35", ""))
    assert "request.missing_code" in _codes(tms_draft, no_code)
    no_units = md.replace(request, request.replace("90868 × 35", "90868"))
    assert "request.missing_code" in _codes(tms_draft, no_units)


def test_model_prompt_carries_the_computed_verdicts(tms):
    from pipeline.engines.openai.sections import SectionPrompt
    from pipeline.reasoning.prompting import HEADER, verdict_lines

    analysis, case, _ = tms
    lines = verdict_lines(analysis, case)
    assert lines.startswith(HEADER)
    assert "- criterion 1: met; facts: prior_treatments[0], prior_treatments[1]" in lines
    assert "documented: 5 failed" in lines
    inputs = SectionPrompt(_request(analysis, case)).prompt_inputs()
    assert HEADER in inputs["criteria"]
    bare = analysis.model_copy(
        update={"criteria": [c.model_copy(update={"requirements": []}) for c in analysis.criteria]}
    )
    assert verdict_lines(bare, case) == ""
    assert HEADER not in SectionPrompt(_request(bare, case)).prompt_inputs()["criteria"]


def test_labelled_set_evidence_and_comparisons():
    from evals.reasoning.measure import measure

    figures = measure()
    for split in ("tune", "heldout"):
        f = figures[split]
        assert f["precision"] >= 0.9 and f["recall"] >= 0.9, (split, f)
        assert f["comparison_stated"] == 1.0
        assert f["contradicting_letters"] > 0 and f["contradicting_letters_passed"] == 0
        assert f["contradiction_probes_skipped"] == 0, (split, f)


def test_cli_warns_loudly_when_the_deadline_is_near_or_past(capsys):
    from pipeline.cli import _warn_deadline

    _warn_deadline(DenialAnalysis(appeal_deadline=dt.date(2026, 12, 1)), dt.date(2026, 12, 5))
    assert "deadline (2026-12-01) has PASSED" in capsys.readouterr().err
    _warn_deadline(DenialAnalysis(appeal_deadline=dt.date(2026, 12, 8)), dt.date(2026, 12, 5))
    assert "is in 3 day(s)" in capsys.readouterr().err
    _warn_deadline(DenialAnalysis(appeal_deadline=dt.date(2027, 1, 8)), dt.date(2026, 12, 5))
    assert capsys.readouterr().err == ""


def test_a_guidelines_own_words_under_a_criterion_are_not_unrelated_evidence(tms_draft):
    # A guideline paragraph may name other treatments ("... speech-language pathology ..."):
    # they are the guideline's words, not case facts put under the criterion.
    markdown = _edit_section(
        tms_draft.markdown,
        3,
        FACTS_LEAD,
        f"Guideline (X 2020): trials of Sertraline are one option [1].\n\n{FACTS_LEAD}",
    )
    assert "argument.unrelated_evidence" not in _codes(tms_draft, markdown)


def test_the_address_names_the_plan_administrator_once(tms):
    # the case names the administrator with the plan it serves; the notice's appeal address
    # opens with the administrator's name: the letter says the name once, with the plan
    analysis, case, text = tms
    case = case.model_copy(update={"insurer": "Cascade Mutual Health Plan (for the Acme Plan)"})
    draft = compose(
        text, analysis, case, [], OfflineEngine(), today=dt.date(2026, 10, 25), allow_gaps=True
    )
    head = draft.markdown.split("\n\nRe: ", 1)[0]
    assert "Cascade Mutual Health Plan (for the Acme Plan)  \nAppeals Unit  \nPO Box" in head
    assert head.count("Cascade Mutual Health Plan") == 1


def test_evidence_placement_reads_the_facts_the_verdicts_tie_to_the_criterion():
    """A criterion's evidence that shares no word with it passes when it names a fact its
    computed verdict rests on, by the name before its parenthesis as the letter names it (the
    sleep test under the AHI criterion shares 'sleep test' with the visit criterion only); the
    visit criterion's own fact moved under it is caught."""
    from pipeline.casefile import load_case
    from pipeline.extract import extract
    from pipeline.ingest import ingest
    from tests.reasoning_fixtures import EXAMPLES

    letter = ingest(EXAMPLES / "cpap-medicaid" / "letter.txt")
    analysis, case = (
        extract(letter, OfflineEngine()),
        load_case(EXAMPLES / "cpap-medicaid" / "case.yaml"),
    )
    draft = compose(
        letter.text,
        analysis,
        case,
        [],
        OfflineEngine(),
        today=dt.date(2026, 11, 20),
        allow_gaps=True,
    )
    md = draft.markdown
    start = md.index("### Criterion B")  # the notice's second criterion, by its label
    end = md.index("\n### ", start + 1)
    heading = md[start : md.index("\n", start)]

    def body(line: str) -> str:
        return md[:start] + f"{heading}\n\n{line}\n" + md[end:]

    own = "Home sleep apnea test is documented in the enclosed clinic note of October 4, 2026."
    assert "criteria.evidence_misplaced" not in _codes(draft, body(own))
    moved = "Face-to-face sleep evaluation before the sleep test is documented in the clinic note."
    assert "criteria.evidence_misplaced" in _codes(draft, body(moved))
