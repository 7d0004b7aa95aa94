"""Layouts of the reading brief of round 14, as small synthetic letters: OCR digits, a pipe
table whose criterion cells open with their numbers, lettered paragraphs whose one-of options
stay inside their criterion, a partial approval's denied units, 'none of ... is documented'."""

from __future__ import annotations

from pipeline.criteria_rules import read_criteria
from pipeline.extract import find_requested
from pipeline.ingest import ingest_text
from pipeline.payer_findings import status_from_narrative


def test_an_l_a_scan_read_for_one_inside_a_number_is_the_digit() -> None:
    text = ingest_text("every l2 weeks, on l5 or more days (l0/2025), fax l-775-555-0l73").text
    assert text == "every 12 weeks, on 15 or more days (10/2025), fax 1-775-555-0173"
    # after a letter it is a letter: a unit, a spinal level, a word
    kept = "2 ml2 doses at L5-S1, the l 2 level"
    assert ingest_text(kept).text == kept


def test_a_pipe_tables_numbered_criterion_cells_keep_their_numbers_as_labels() -> None:
    letter = (
        "Criteria reviewed (Drug Policy DP-40):\n\n"
        "| Criterion | Reviewer finding |\n"
        "|---|---|\n"
        "| 1. Age 6 years or older | Met |\n"
        "| 2. Two exacerbations in the past 12 months | Not met. One is documented. |\n"
        "| (c) Not used with another biologic | Met |\n"
    )
    criteria = read_criteria(letter)
    assert [(c.label, c.text, c.payer_status) for c in criteria] == [
        ("1", "Age 6 years or older", "met"),
        ("2", "Two exacerbations in the past 12 months", "not_met"),
        ("(c)", "Not used with another biologic", "met"),
    ]


def test_a_lettered_criteria_one_of_options_stay_inside_it_without_a_route_finding() -> None:
    letter = (
        "The guideline requires that each of criteria A through B be met.\n\n"
        "A. Nasal obstruction is confirmed on nasal endoscopy, with at least 50% narrowing.\n"
        "Rationale: The endoscopy shows 70% narrowing. This criterion is met.\n\n"
        "B. Symptoms have persisted despite a trial of at least 4 weeks of ONE of the following:\n"
        "   (i) an intranasal corticosteroid spray;\n"
        "   (ii) an oral antihistamine; or\n"
        "   (iii) saline irrigation.\n"
        "Rationale: Fluticasone was started less than 4 weeks ago. This criterion is not met.\n"
    )
    criteria = read_criteria(letter)
    assert [(c.label, c.payer_status, c.logic) for c in criteria] == [
        ("A", "met", "all"),
        ("B", "not_met", "any"),
    ]
    assert criteria[1].text.endswith("(iii) saline irrigation")


def test_a_partly_approved_line_requests_its_denied_units_and_an_approved_line_none() -> None:
    letter = (
        "We approved part of your request.\n\n"
        "  Code    Description                                  Requested  Approved  Denied\n"
        "  G0424   Pulmonary rehabilitation, including exercise     36        24        12\n"
        "          (includes monitoring), 1 hour, per session\n"
        "  94618   Pulmonary stress testing (6-minute walk)          2         2         0\n"
    )
    assert [(s.code, s.units) for s in find_requested(letter)] == [("G0424", 12)]


def test_none_of_the_conditions_documented_is_not_documented() -> None:
    said = "The request was made before the reassessment, so none of (1) to (3) is documented."
    assert status_from_narrative(said) == "not_documented"
    assert status_from_narrative("None of the conditions is met.") is None
