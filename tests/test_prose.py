"""The letter's sentences as a physician signs them: requirements in words (never a label made from
a fragment of the notice), one comparison sentence per requirement with the patient's value and
date, each qualifier and each fact said once, table cells that are whole phrases, and the
enclosure named with what it documents; and the defect checker that counts the rest."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from evals.prose.defects import count, repeated_qualifiers, truncated_cells
from pipeline import letter_format as lf
from pipeline.casefile import load_case
from pipeline.engine import ArgumentRequest
from pipeline.engines.offline import OfflineEngine
from pipeline.evidence import FACTS_LEAD
from pipeline.ingest import ingest
from pipeline.models import (
    CaseFacts,
    Criterion,
    CriterionVerdict,
    Finding,
    Requirement,
    RequirementKind,
    comparison_sentence,
)
from pipeline.pipeline import Pipeline
from pipeline.reasoning.argument import argue
from pipeline.reasoning.wording import requirement_words, subject_words, unshout

ROOT = Path(__file__).resolve().parent.parent
SYNTHETIC = ROOT / "evals" / "prose" / "cases"


def R(kind: str, subject: str, cmp: str | None = None, value: float | None = None, **kw):
    return Requirement(
        kind=RequirementKind(kind), subject=subject, comparator=cmp, value=value, span=subject, **kw
    )


# --------------------------------------------------------------------------- wording


@pytest.mark.parametrize(
    ("req", "words"),
    [
        (R("duration", "nonoperative management", ">=", 3, unit="months"),
         "at least 3 months of nonoperative management"),
        (R("trial_count", "antidepressant medication trials", ">=", 4, unit="trials"),
         "at least 4 antidepressant medication trials"),
        (R("trial_count", "intra-articular injection", ">=", 1, unit="injections"),
         "at least 1 intra-articular injection"),
        (R("threshold", "DAS28-CRP", ">", 3.2, window="within the past 90 days"),
         "DAS28-CRP above 3.2 within the past 90 days"),
        (R("time_window", "disease activity must", "<=", 90, unit="days"),
         "disease activity within 90 days"),
        (R("test_done", "validated instrument"), "a validated instrument"),
        (R("test_done", "weight-bearing radiographs"), "weight-bearing radiographs"),
        (R("threshold", "HEMOGLOBIN A1C", ">=", 7, unit="%"), "hemoglobin A1C of at least 7%"),
        (R("duration", "duration", ">=", 6, unit="months"), "a duration of at least 6 months"),
    ],
)  # fmt: skip
def test_a_requirement_is_stated_in_a_physicians_words(req: Requirement, words: str) -> None:
    assert requirement_words(req) == words


def test_a_subject_cut_before_its_verb_or_shouted_is_put_right() -> None:
    assert subject_words("disease activity must") == "disease activity"
    assert subject_words("PREFERRED FORMULARY GLP-1 RECEPTOR AGONIST") == (
        "preferred formulary GLP-1 receptor agonist"
    )
    assert subject_words("Negative screening for latent tuberculosis").startswith("negative")
    assert subject_words("Crohn's Disease Activity Index") == "Crohn's Disease Activity Index"
    assert unshout("A HEMOGLOBIN A1C OF 7.0% OR GREATER") == "A hemoglobin A1C of 7.0% or greater"


def test_a_comparison_is_one_sentence_with_the_result_in_words() -> None:
    met = comparison_sentence("at least 1 trial of methotrexate", "1 failed", "met", "trials")
    assert met == (
        "The plan requires at least 1 trial of methotrexate; the record shows 1 failed trial, "
        "which meets it."
    )
    unknown = comparison_sentence("an SES-CD of at least 6", "no SES-CD recorded", "unknown")
    assert unknown == (
        "The plan requires an SES-CD of at least 6; the record does not show it "
        "(no SES-CD recorded)."
    )
    assert "Required:" not in met and "documented:" not in met


# --------------------------------------------------------------------------- sections


def _tb_case() -> tuple[CriterionVerdict, CaseFacts]:
    """A TB-screening criterion read as three requirements sharing one window, and its time
    window: the shape that gave 'test, within the last 12 months, ..., within the last 12
    months'."""
    from pipeline.reasoning.verdicts import evaluate

    window = "within the last 12 months"
    criterion = Criterion(
        text="A negative tuberculosis screening test (interferon-gamma release assay or "
        "tuberculin skin test) must be documented within the last 12 months.",
        requirements=[
            R("test_done", "negative tuberculosis screening", window=window),
            R("test_done", "test", window=window),
            R("test_done", "interferon-gamma release assay or tuberculin skin test", window=window),
            R("time_window", "interferon-gamma release assay or tuberculin skin test", "<=", 12,
              unit="months"),
        ],
        payer_status="not_documented",
    )  # fmt: skip
    case = CaseFacts(
        objective_findings=[
            Finding(kind="lab", name="QuantiFERON-TB Gold Plus", value="Negative",
                    date=dt.date(2026, 10, 28)),
        ]
    )  # fmt: skip
    from pipeline.models import DenialAnalysis

    analysis = DenialAnalysis(criteria=[criterion], letter_date=dt.date(2026, 11, 18))
    return evaluate(analysis, case)[0], case


def test_requirements_on_one_fact_share_one_sentence_with_the_window_said_once() -> None:
    from pipeline.reasoning.argument import comparison_lines

    verdict, case = _tb_case()
    lines = comparison_lines(verdict, case=case)
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.count("within the last 12 months") + line.count("within 12 months") == 1, line
    assert "QuantiFERON-TB Gold Plus negative on October 28, 2026" in line
    assert "21 days before" in line and line.endswith("which meets it.")
    assert not repeated_qualifiers(line)


def test_a_short_finding_stated_in_its_comparison_is_not_listed_again() -> None:
    from pipeline.models import DenialAnalysis

    verdict, case = _tb_case()
    analysis = DenialAnalysis(criteria=[verdict.criterion], letter_date=dt.date(2026, 11, 18))
    (argument,) = argue(ArgumentRequest(analysis=analysis, case=case, passages=[]))
    assert argument.argument.count("QuantiFERON-TB Gold Plus") == 1
    assert FACTS_LEAD not in argument.argument


# --------------------------------------------------------------------------- whole letters


@pytest.fixture(scope="module")
def crohns():
    """The held-out synthetic ustekinumab denial (written before the prose changes)."""
    folder = SYNTHETIC / "ustekinumab-crohns-hmo"
    letter = ingest(folder / "letter.txt")
    case = load_case(folder / "case.yaml")
    outcome = Pipeline(OfflineEngine(), k=6).draft(
        letter, case, today=dt.date(2026, 12, 6), allow_gaps=True
    )
    return outcome, yaml.safe_load((folder / "case.yaml").read_text())


def test_the_held_out_letter_has_no_label_soup_or_cut_cells(crohns) -> None:
    draft, case = crohns
    md = draft.markdown
    assert "disease activity must:" not in md and "(disease activity must)" not in md
    # the index the criterion names is compared with its threshold, the window folded into it
    assert re.search(
        r"requires Crohn's Disease Activity Index of at least 220 within (?:the last )?90 days; "
        r"the record shows CDAI 348 on",
        md,
    ), md
    assert "Required:" not in md and ", above" not in md
    assert not truncated_cells(md)
    figures = count(md, case)
    assert figures["label_soup"] == figures["modal_label"] == figures["date_only_figure"] == 0
    # the comparison is a paragraph of sentences, not a list under a label
    assert figures["template_seam"] == 0 and "Against what the plan requires:" not in md


def test_criteria_the_notice_found_met_share_one_sentence() -> None:
    assert lf.met_by_notice_sentence([2]) == (
        "Your notice found criterion 2 met; I do not argue it further."
    )
    both = lf.met_by_notice_sentence([1, 3, 4])
    assert both == "Your notice found criteria 1, 3 and 4 met; I do not argue them further."
    assert lf.met_by_notice(f"Intro. {both}") == {1, 3, 4}
    assert lf.met_by_notice("Your notice found criterion 12 not met.") == set()


def test_the_opening_states_each_figure_and_leaves_its_standard_to_the_table(crohns) -> None:
    draft, _ = crohns
    sections = lf.split_sections(draft.markdown)
    opening = sections[lf.IDENTIFICATION].split("\n\n")[0]
    assert re.search(r"\. (?:He|She|Tomasz R\. Wierzbicki) meets", opening)
    assert "QuantiFERON-TB Gold Plus negative on October 28, 2026;" in opening
    assert "within 12 months required" not in opening  # said once, by the table and section
    assert not re.search(r": [A-Z][a-z]+ \d{1,2} \(", opening)  # never 'subject: <date> (...)'


def test_records_the_reviewer_lacked_are_named_with_what_they_document(crohns) -> None:
    draft, _ = crohns
    md = draft.markdown
    assert "The records your reviewer did not have are enclosed" not in md
    assert re.search(
        r"Hepatitis B surface antigen and core antibody (?:is|are) documented in the enclosed "
        r"clinic note[^.]*\(Enclosure \d\), which your reviewer did not have\.",
        md,
    ), md


def test_the_services_details_read_as_a_sentence(crohns) -> None:
    draft, _ = crohns
    service = lf.split_sections(draft.markdown)[lf.REQUESTED_SERVICE]
    assert "Details:" not in service
    assert "As ordered: 390 mg IV induction once" in service


def test_a_trial_stated_under_a_criterion_is_named_not_repeated_in_the_exception() -> None:
    folder = ROOT / "examples" / "adalimumab-state-employee"
    outcome = Pipeline(OfflineEngine(), k=6).draft(
        ingest(folder / "letter.txt"), load_case(folder / "case.yaml"),
        today=dt.date(2026, 10, 20), allow_gaps=True,
    )  # fmt: skip
    request = lf.split_sections(outcome.markdown)[lf.REQUEST]
    assert "each with its dose, dates and outcome under the criteria above" in request
    assert "20 mg subcutaneous from June 2, 2025" not in request


# --------------------------------------------------------------------------- the checker


def test_the_checker_counts_each_kind() -> None:
    md = "\n".join(
        [
            "“Failure of pharmacologic therapy with oral or topical NSAIDs for 3 months”",
            "",
            "| Plan requirement | Where documented | Met |",
            "|---|---|---|",
            "| Failure of pharmacologic therapy with oral or topical | Criterion 1 | Yes |",
            "",
            "The record meets all criteria: disease activity must: November 10 (at most 90 days "
            "required).",
            "- Required: test, within the last 12 months, assay, within the last 12 months; "
            "documented: QuantiFERON, above: met.",
            "The records your reviewer did not have are enclosed (Enclosure 3).",
            "Details: 40 mg every 14 days",
            "NPI: [MISSING: physician NPI]",
        ]
    )
    got = count(md, {"physician": {"npi": "1234567893"}})
    assert got["truncated_cell"] == 1
    assert got["modal_label"] == 1
    assert got["date_only_figure"] == 1
    assert got["label_soup"] >= 1
    assert got["repeated_qualifier"] == 1
    assert got["generic_enclosure"] == 1
    assert got["raw_details"] == 1
    assert got["missing_with_field"] == 1


def test_the_checker_counts_met_blocks_seams_repeated_enclosures_and_unnamed_markers() -> None:
    met = "Your notice records this criterion as met; I do not argue it further."
    md = "\n".join(
        [
            "I ask that you review the enclosed Wound Clinic physician and nursing notes "
            "(Enclosure 2).",
            "NPI: [MISSING: valid physician NPI]",
            "Dose: [MISSING: dose of naproxen]",
            "",
            "### Criterion 1",
            "",
            met,
            "",
            "### Criterion 2",
            "",
            met,
            "",
            "### Criterion 3",
            "",
            "Against what the plan requires:",
            "",
            "- The plan requires X; the record shows Y, which meets it.",
            "",
            "It is shown in the enclosed Wound Clinic physician and nursing notes (Enclosure 2).",
            "Fax: [MISSING: fax (physician.fax)]",
            "",
            "## Enclosures",
            "",
            "1. Denial notice.",
            "2. Wound Clinic physician and nursing notes, October 27, 2026 – December 1, 2026.",
        ]
    )
    got = count(md)
    assert got["met_block"] == 2
    assert got["template_seam"] == 1
    assert got["repeated_enclosure"] == 1
    assert got["unnamed_marker"] == 2  # the NPI said 'missing' and the dose naming no field
    # one met block alone, a sentence leading into a list, a title said once: none counted
    single = md.split("### Criterion 2")[0].replace("(Enclosure 2).", "(Enclosure 2)", 1)
    single += "\nThe record shows:\n\n- Naproxen 500 mg, March 2026: no relief.\n"
    assert count(single)["met_block"] == 0
    assert count(single)["template_seam"] == 0
    assert count("Fax: [CHECK: NPI 1234567890 fails the NPI check digit; confirm physician.npi]")[
        "unnamed_marker"
    ] == 0


# --------------------------------------------------------------------------- devset-kind rules


def test_a_count_names_what_the_subject_counts_and_drops_the_list_number() -> None:
    agents = R("trial_count", "formulary oral preventive agents", ">=", 2, unit="medications")
    assert requirement_words(agents) == "at least 2 formulary oral preventive agents"
    assert subject_words("3. For preventive use") == "for preventive use"


def test_a_frequency_the_dose_states_is_no_gap() -> None:
    from pipeline.gaps import find_gaps
    from pipeline.models import DenialAnalysis, PriorTreatment

    case = CaseFacts(
        prior_treatments=[
            PriorTreatment(name="Topiramate", kind="medication", dose="50 mg twice daily",
                           duration="12 weeks"),
            PriorTreatment(name="Propranolol", kind="medication", dose="80 mg",
                           duration="10 weeks"),
        ]
    )  # fmt: skip
    fields = {g.field for g in find_gaps(DenialAnalysis(), case)}
    assert "prior_treatments[0].frequency" not in fields
    assert "prior_treatments[1].frequency" in fields


def test_alternatives_without_a_reason_share_one_placeholder() -> None:
    from pipeline.draft import _preferred
    from pipeline.models import Gap
    from pipeline.reasoning.alternatives import Alternative

    class _Stub:
        def __init__(self) -> None:
            self.alternatives = [
                Alternative("propranolol", None), Alternative("divalproex", None),
                Alternative("leflunomide", "not suitable: it is hepatotoxic"),
            ]  # fmt: skip
            self.gaps = {
                "prior_treatments": Gap(
                    field="prior_treatments", message="m",
                    placeholder="[MISSING: why they do not fit]",
                )
            }  # fmt: skip

        def stated(self) -> set[str]:
            return set()

    text = _preferred(_Stub())  # type: ignore[arg-type]
    assert text.count("[MISSING:") == 1
    # (the marker names the case field that fills it: the Gap contract adds it)
    marker = "[MISSING: why they do not fit (prior_treatments)]"
    assert f"- Propranolol and divalproex: {marker}." in text
    assert "- Leflunomide is not suitable: it is hepatotoxic." in text


def test_the_services_details_are_not_restated_as_a_criterions_record(crohns) -> None:
    draft, _ = crohns
    criteria = lf.split_sections(draft.markdown)[lf.CRITERIA]
    assert "390 mg IV induction once" not in criteria


def test_the_checker_does_not_count_a_sentence_leading_into_a_list() -> None:
    md = (
        "The record shows that none can:\n\n- no surgeon within 60 miles\n\n"
        "It needs 15 tablets, above the limit by 7 tablets."
    )
    got = count(md)
    assert got["modal_label"] == 0 and got["label_soup"] == 0


# --------------------------------------------------------------------------- cut spans, labels


@pytest.mark.parametrize(
    ("subject", "words"),
    [
        # a span cut mid-clause ends on no word a phrase cannot end on; a clause is 'that ...'
        ("The member has had a serious adverse reaction to an infusion that",
         "that the member has had a serious adverse reaction to an infusion"),
        # a span running into the notice's next list item is its first sentence
        ("A home or ambulatory infusion option is not available. o No in-network",
         "that a home or ambulatory infusion option is not available"),
        ("willingness to take part in", "a willingness to take part"),
        # a noun with a relative clause stays a noun phrase
        ("hours that do not duplicate assistance from an unpaid caregiver",
         "hours that do not duplicate assistance from an unpaid caregiver"),
        ("Hepatitis B screening", "Hepatitis B screening"),
        ("antidepressants from different", "antidepressants"),
    ],
)  # fmt: skip
def test_a_requirement_cut_mid_clause_reads_as_a_phrase(subject: str, words: str) -> None:
    assert requirement_words(R("statement", subject)) == words


def test_the_records_source_is_said_in_words_not_as_a_label() -> None:
    from pipeline.models import comparison_sentence, found_words

    said = comparison_sentence("a plan of care", "clinical summary: “She lives alone”", "met")
    assert said == (
        "The plan requires a plan of care; the record shows “She lives alone” (my clinical "
        "summary), which meets it."
    )
    assert found_words("enclosed record: Dietitian evaluation form, September 22, 2026") == (
        "the enclosed Dietitian evaluation form of September 22, 2026"
    )
    assert found_words("The plan of care was updated November 18, 2026.") == (
        "that the plan of care was updated November 18, 2026"
    )
    assert found_words("KOOS JR 38 on October 22, 2026") == "KOOS JR 38 on October 22, 2026"
    assert not count(said)["source_label"]


def _scales_enclosed(finding: str, value: str, titles: list[str]) -> list[Any]:
    """The enclosures of a case with one rating-scale finding of November 2, 2026 and
    documents of that day, for a criterion met by that finding."""
    from pipeline.models import CaseFacts, CriterionVerdict
    from pipeline.reasoning.enclosures import enclosures

    day = "2026-11-02"
    case = CaseFacts.model_validate(
        {
            "patient": {"name": "A B"},
            "physician": {"name": "C D"},
            "service": {"code": "S0013"},
            "objective_findings": [
                {"kind": "rating_scale", "name": finding, "value": value, "date": day}
            ],
            "documents": [{"title": t, "date": day} for t in titles],
        }
    )
    verdict = CriterionVerdict(
        index=0, criterion=Criterion(text="A validated scale"), status="met",
        evidence=["objective_findings[0]"],
    )  # fmt: skip
    return list(enclosures(case, [verdict]))


def test_a_score_sheet_documents_no_other_score_of_its_day() -> None:
    """An enclosed 'PHQ-9 score sheet' is not presented as holding the MADRS of the same day,
    nor any PHQ-9 value the case never states; a note of that day still documents it."""
    titles = ["PHQ-9 score sheet", "Psychiatry progress note", "MADRS rating scale"]
    sheet, note, madrs = _scales_enclosed("MADRS", "34", titles)
    assert not sheet.criteria and not sheet.paths
    assert note.criteria == {0} and madrs.criteria == {0}


def test_the_checker_counts_cut_requirements_source_labels_and_empty_titles() -> None:
    md = "\n".join(
        [
            "- The plan requires the member has had a reaction to an infusion that; X, listed "
            "above, meets it.",
            "- The plan requires A home option is not available. o No in-network; the record "
            "shows clinical summary: “He lives alone”, which meets it.",
            "- The plan requires a plan of care; the record shows The plan was updated., which "
            "meets it.",
            "PHQ-9 is documented in the enclosed PHQ-9 score sheet (Enclosure 2).",
        ]
    )
    case = {
        "objective_findings": [{"name": "MADRS", "value": "34"}],
        "documents": [{"title": "PHQ-9 score sheet"}],
    }
    got = count(md, case)
    assert got["cut_requirement"] == 2
    assert got["source_label"] == 3
    assert got["empty_title_value"] == 1
    case["objective_findings"].append({"name": "PHQ-9", "value": "21"})
    assert count(md, case)["empty_title_value"] == 0


def test_a_generic_scales_record_still_documents_the_scales_of_its_day() -> None:
    (scales,) = _scales_enclosed("PHQ-9", "22", ["Evaluation and rating scales"])
    assert scales.criteria == {0}


def test_a_requirement_resting_on_a_measurement_shares_its_sentence() -> None:
    """'a validated scale' and 'MADRS of at least 28' rest on one finding (MADRS 34): the value
    is stated once, in one sentence naming both requirements and the window once."""
    from pipeline.models import DenialAnalysis
    from pipeline.reasoning.argument import comparison_lines
    from pipeline.reasoning.verdicts import evaluate

    window = "within the last 30 days"
    criterion = Criterion(
        text="Current depression severity documented by a validated scale within the last 30 "
        "days (MADRS of 28 or greater).",
        requirements=[
            R("test_done", "validated scale", window=window),
            R("threshold", "MADRS", ">=", 28, window=window),
        ],
    )
    case = CaseFacts(
        objective_findings=[
            Finding(kind="rating_scale", name="MADRS", value="34", date=dt.date(2026, 11, 2))
        ]
    )
    analysis = DenialAnalysis(criteria=[criterion], letter_date=dt.date(2026, 11, 12))
    verdict = evaluate(analysis, case)[0]
    lines = comparison_lines(verdict, case=case)
    assert len(lines) == 1, lines
    assert lines[0].startswith(
        "The plan requires a validated scale and MADRS of at least 28 within the last 30 days; "
        "the record shows MADRS 34 on November 2, 2026"
    ), lines
    assert lines[0].count("within the last 30 days") == 1


def test_a_cell_ending_where_the_notices_sub_item_begins_is_whole() -> None:
    md = "\n".join(
        [
            "The plan requires: “Diagnosis and prescriber a. Moderately active disease”.",
            "",
            "| Plan requirement | Where documented | Met |",
            "|---|---|---|",
            "| Diagnosis and prescriber | Criterion 1 | Yes |",
            "| Diagnosis and prescriber a | Criterion 1 | Yes |",
        ]
    )
    assert truncated_cells(md) == ["Diagnosis and prescriber a"]


def test_a_treatment_given_on_one_day_is_dated_once() -> None:
    from pipeline.evidence import treatment_period
    from pipeline.models import PriorTreatment

    day = dt.date(2026, 9, 22)
    block = PriorTreatment(name="Diagnostic nerve block", kind="procedure", start=day, end=day)
    assert treatment_period(block, joiner=" – ", lead="") == "September 22, 2026"
    assert treatment_period(block) == "on September 22, 2026"
    course = block.model_copy(update={"end": dt.date(2026, 10, 27)})
    assert treatment_period(course, joiner=" – ", lead="") == (
        "September 22, 2026 – October 27, 2026"
    )


def test_a_rule_cited_by_paragraph_twice_is_no_repeated_qualifier() -> None:
    cites = (
        "This plan owes a full and fair review (29 CFR 2560.503-1(h)) that weighs everything "
        "(29 CFR 2560.503-1(h)(2)(iv)) and is decided by a fiduciary (29 CFR 2560.503-1(h)(3))."
    )
    assert repeated_qualifiers(cites) == []
    said_twice = "Within the last 12 months, a test within the last 12 months was done."
    assert repeated_qualifiers(said_twice)


def test_a_comparison_whose_requirement_is_no_phrase_is_not_written() -> None:
    from pipeline.reasoning.argument import reads_as_requirement

    assert reads_as_requirement(
        "The plan requires at least 4 antidepressant trials; the record shows 5 failed trials, "
        "which meets it."
    )
    assert reads_as_requirement(
        "The plan requires a maintenance dose; Dulaglutide, listed above, meets it."
    )
    assert reads_as_requirement("From my records:")  # no comparison: kept
    for cut in (
        "The plan requires a comparative dosimetric plan prepared by the treating center shows; "
        "Comparative dosimetric plan, listed above, meets it.",
        "The plan requires is the service medically necessary?; the record does not show it.",
        "The plan requires we did not decide this; the record does not show it.",
        "The plan requires the patient's condition requires immediate and rapid transport that "
        "could not; the record does not show it.",
        "The plan requires that fewer than three of the patient's habitual events were recorded "
        "during; Video-EEG monitoring, first 72 hours, listed above, meets it.",
    ):
        assert not reads_as_requirement(cut), cut


def test_case_sentences_under_a_label_read_as_sentences_not_semicolon_fragments() -> None:
    from pipeline.reasoning.wording import as_sentences

    said = as_sentences(
        ("On May 2 she had rigors during the infusion.", "since then she is premedicated;")
    )
    assert said == "On May 2 she had rigors during the infusion. Since then she is premedicated."
    assert ";" not in said


def test_a_comparison_is_written_only_for_what_the_letter_argues() -> None:
    # met, conceded and under the exception: stated; not met, not shown, or only guessed from a
    # record ('the record states: Transthoracic echocardiogram' under mitral valve prolapse,
    # which the echo rules out): the physician's gap, no sentence of the letter
    from pipeline.models import Criterion, Requirement
    from pipeline.reasoning import CriterionVerdict, RequirementVerdict
    from pipeline.reasoning.argument import comparison_lines

    ahi = Requirement(kind="threshold", subject="AHI", comparator=">=", value=15, span="AHI")
    met = RequirementVerdict(
        requirement=ahi, status="met", required="an AHI of at least 15 events/hour",
        found="AHI 22 events/hour",
    )  # fmt: skip
    low = met.model_copy(update={"status": "not_met", "found": "AHI 12 events/hour"})
    unseen = met.model_copy(update={"status": "unknown", "found": "not shown"})
    guessed = met.model_copy(
        update={"status": "unknown", "confirm": True, "found": "enclosed record: Echo report"}
    )
    criterion = Criterion(text="AHI of at least 15 events/hour.")
    for rv, said in ((met, True), (low, False), (unseen, False), (guessed, False)):
        verdict = CriterionVerdict(
            index=0, criterion=criterion, status=rv.status, requirements=[rv]
        )
        assert bool(comparison_lines(verdict)) is said, rv.status
        conceded = verdict.model_copy(
            update={"conceded": True, "requirements": [rv.model_copy(update={"conceded": True})]}
        )
        assert "I do not dispute" in " ".join(comparison_lines(conceded))


def test_the_facts_answering_a_denial_are_listed_in_the_physicians_voice() -> None:
    # never 'The record shows otherwise. Specifically: <finding dump>'
    from pipeline.evidence import FACTS_LEAD, _format_facts, _lead

    lead, _ = _lead("Severe symptoms despite treatment.", [])
    assert lead == FACTS_LEAD
    said = _format_facts(["PHQ-9 22 on March 3, 2026."], lead, "")
    assert said == f"{FACTS_LEAD}\n\n- PHQ-9 22 on March 3, 2026."
    assert "otherwise" not in said and "Specifically" not in said
