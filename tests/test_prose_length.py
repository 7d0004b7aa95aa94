"""Each fact stated in full once, and headings that fit the letter's route: a treatment the
criteria set out is not a row of the Prior treatment table again, nor described again in the
exception request; a resubmission (no appeal lies) is not headed 'Legal basis for this appeal'."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from pipeline import letter_format as lf
from pipeline.casefile import load_case
from pipeline.draft import _said_once, states_treatment
from pipeline.engines.offline import OfflineEngine
from pipeline.ingest import ingest
from pipeline.models import Draft
from pipeline.pipeline import Pipeline
from pipeline.validate import FindingCode

ROOT = Path(__file__).resolve().parent.parent


def _draft(folder: Path) -> Draft:
    return Pipeline(OfflineEngine(), k=6).draft(
        ingest(folder / "letter.txt"),
        load_case(folder / "case.yaml"),
        today=dt.date(2026, 12, 8),
        allow_gaps=True,
    )


_TABLE = "\n".join(
    [
        "| " + " | ".join(lf.PRIOR_TREATMENT_COLUMNS) + " |",
        "|---|---|---|---|---|",
        "| Prednisone burst | 40 mg | daily for 5 days | February 9, 2026 – February 13, 2026 | "
        "Exacerbation 1 |",
        "| Methotrexate | 20 mg | once weekly | March 2, 2026 – September 1, 2026 | No response |",
    ]
)


def test_a_treatment_the_criteria_state_in_full_is_not_a_table_row_again() -> None:
    argued = (
        "- Methotrexate 20 mg once weekly, March 2, 2026 – September 1, 2026: no response.\n"
        "- Prednisone burst 40 mg daily, October 5, 2026 – October 11, 2026: Exacerbation 3."
    )
    bodies = dict(_said_once([(lf.PRIOR_TREATMENT, _TABLE), (lf.CRITERIA, argued)]))
    table = bodies[lf.PRIOR_TREATMENT]
    assert "Methotrexate" not in table  # stated under the criterion with its dates
    assert "February 9, 2026" in table  # another course of the same drug and dose stays
    course = "Prednisone burst 40 mg, February 9, 2026 – February 13, 2026: exacerbation 1."
    every = f"{argued}\n- {course}"
    assert lf.PRIOR_TREATMENT not in dict(_said_once([(lf.PRIOR_TREATMENT, _TABLE),
                                                       (lf.CRITERIA, every)]))  # fmt: skip


def test_a_row_whose_dose_or_outcome_the_criteria_do_not_say_stays() -> None:
    """A line naming the drug and its start date only (a comparison sentence, a bare evidence
    bullet) does not state the row: its dose and outcome (a stop for hepatotoxicity) stay."""
    table = _TABLE.replace("No response |", "Stopped: ALT 4x ULN (hepatotoxicity) |")
    argued = (
        "The plan requires 3 months of methotrexate; the record shows methotrexate since "
        "March 2, 2026, which meets it.\n- Methotrexate, March 2, 2026 (Enclosure 3)."
    )
    kept = dict(_said_once([(lf.PRIOR_TREATMENT, table), (lf.CRITERIA, argued)]))
    assert "| Methotrexate | 20 mg |" in kept[lf.PRIOR_TREATMENT]
    assert "hepatotoxicity" in kept[lf.PRIOR_TREATMENT]


def test_a_summary_sentence_the_plans_quote_holds_stays_in_the_summary() -> None:
    """Only our own words under the criteria say a sentence again: the plan's quoted
    requirement does not, so the summary's sentence stays."""
    summary = (
        "Ms. Lee is a 52-year-old teacher with lumbar radiculopathy. "
        "Physical therapy for 6 weeks failed. Her pain is 8/10."
    )
    argued = (
        "The plan requires: “Documentation that physical therapy for 6 weeks failed.”\n"
        "[MISSING: physical therapy dates]"
    )
    kept = dict(_said_once([(lf.CLINICAL_SUMMARY, summary), (lf.CRITERIA, argued)]))
    assert "Physical therapy for 6 weeks failed." in kept[lf.CLINICAL_SUMMARY]
    ours = dict(_said_once([(lf.CLINICAL_SUMMARY, summary),
                            (lf.CRITERIA, "Physical therapy for 6 weeks failed.")]))  # fmt: skip
    assert "Physical therapy" not in ours[lf.CLINICAL_SUMMARY]


def test_states_treatment_needs_name_and_date_on_one_line_outside_the_plans_quote() -> None:
    assert states_treatment("- Topiramate 100 mg, April 6, 2026 – June 15", "Topiramate (Topamax)",
                            ["April 6, 2026"])  # fmt: skip
    assert not states_treatment("Topiramate was tried.\nApril 6, 2026", "Topiramate",
                                ["April 6, 2026"])  # fmt: skip
    assert not states_treatment("“Topiramate since April 6, 2026”", "Topiramate", ["April 6, 2026"])
    assert not states_treatment("Topiramate 100 mg", "Topiramate", ["n/a"])


def test_a_step_drug_set_out_under_the_denial_is_stated_once_in_the_letter() -> None:
    """A step-therapy denial with no criteria: the answer lists each drug tried with its dose,
    dates and outcome; neither the Prior treatment table nor the exception request says it
    again (the request names the drugs)."""
    folder = ROOT / "evals" / "pharmacy" / "cases" / "dupilumab-ca-hmo"
    markdown = _draft(folder).markdown
    body = markdown.split(f"\n{lf.heading(lf.SIGNATURE)}")[0]
    for t in load_case(folder / "case.yaml").prior_treatments:
        assert t.start is not None
        said = [ln for ln in body.splitlines() if t.name in ln and lf.fmt_date(t.start) in ln]
        assert len(said) == 1, (t.name, said)
        assert re.search(rf"Tried and failed[^\n]*{re.escape(t.name)}", body)
    assert lf.PRIOR_TREATMENT not in lf.split_sections(markdown)


def test_a_resubmission_is_not_headed_as_an_appeal_and_its_section_is_still_found() -> None:
    draft = _draft(ROOT / "evals" / "route" / "cases" / "ho-opd-pa-neurostim-letter")
    markdown = draft.markdown
    assert lf.heading(lf.RESUBMISSION_BASIS) in markdown
    assert lf.heading(lf.LEGAL_BASIS) not in markdown
    assert "resubmi" in lf.split_sections(markdown)[lf.LEGAL_BASIS]
    codes = {f.code for f in draft.validation.findings} if draft.validation else set()
    assert FindingCode.STRUCTURE_MISSING_SECTION not in codes


def test_a_request_to_the_next_level_is_headed_as_a_request() -> None:
    """A letter answering the plan's final internal decision asks the next level to review it:
    its legal basis is headed as a request, and read as the legal-basis section."""
    draft = _draft(ROOT / "evals" / "variants" / "cases" / "infliximab-peds-crohns-fehb-upheld")
    assert lf.heading(lf.REVIEW_BASIS) in draft.markdown
    assert lf.heading(lf.LEGAL_BASIS) not in draft.markdown
    assert lf.LEGAL_BASIS in lf.split_sections(draft.markdown)


@pytest.mark.parametrize(
    ("case", "codes"),
    [
        ("pt-visits-aca", "approve CPT 97110, CPT 97140 and CPT 97530 for aftercare"),
        ("lumbar-fusion-medicaid", "approve CPT 22612, CPT 63047 and CPT 22840 for spondyl"),
    ],
)
def test_the_opening_asks_for_every_denied_code(case: str, codes: str) -> None:
    """Several codes denied: the opening names each (their units are the Request's), not the
    primary code alone, which would ask the plan to approve part of what it denied."""
    markdown = _draft(ROOT / "examples" / case).markdown
    opening = lf.split_sections(markdown)[lf.IDENTIFICATION].split("\n\n")[0]
    assert codes in opening
    assert "×" not in opening


def test_the_opening_names_the_service_and_the_request_states_it_whole() -> None:
    """The opening asks for the service by name (with its code); its units, count, regimen and
    period are stated once, in the Request, which the validator holds to every code."""
    tms = _draft(ROOT / "examples" / "tms-erisa").markdown
    opening = lf.split_sections(tms)[lf.IDENTIFICATION].split("\n\n")[0]
    request = lf.split_sections(tms)[lf.REQUEST]
    assert "approve CPT 90867 and CPT 90868 for major depressive disorder" in opening
    assert "CPT 90867 × 1 and CPT 90868 × 35 (36 sessions)" in request
    assert "× 35" not in opening and "36 sessions" not in opening
    drug = _draft(ROOT / "evals" / "pharmacy" / "cases" / "dupilumab-ca-hmo").markdown
    opening = lf.split_sections(drug)[lf.IDENTIFICATION].split("\n\n")[0]
    assert "approve Dupixent (dupilumab) for other atopic dermatitis" in opening
    assert "every 2 weeks" not in opening  # the regimen is the Request's
    assert "every 2 weeks" in lf.split_sections(drug)[lf.REQUEST]


def test_a_summary_sentence_the_criteria_state_whole_is_not_said_again() -> None:
    summary = (
        "Mr. Baptiste is a 38-year-old miner with a grade IV liver laceration. Our hospital has "
        "no trauma surgeon on site. The level I trauma center is 142 road miles away."
    )
    argued = (
        "- Transfer: Our hospital has no trauma surgeon on site.\n"
        "The plan requires ground transport to be unsafe; the record shows the level I trauma "
        "center is 142 road miles away, which meets it."
    )
    bodies = dict(_said_once([(lf.CLINICAL_SUMMARY, summary), (lf.CRITERIA, argued)]))
    kept = bodies[lf.CLINICAL_SUMMARY]
    assert "no trauma surgeon" not in kept and "142 road miles" not in kept
    assert kept.startswith("Mr. Baptiste is a 38-year-old miner")  # the introduction stays
    # a sentence the criteria state only in part stays
    partly = dict(_said_once([(lf.CLINICAL_SUMMARY, summary), (lf.CRITERIA, "142 road miles")]))
    assert "142 road miles away" in partly[lf.CLINICAL_SUMMARY]


def test_the_exception_names_a_trial_the_criteria_state_and_describes_only_the_others() -> None:
    """Of the drugs tried, the one the criteria set out with its dose and dates is named in the
    exception request; one they do not state keeps its dose, dates and outcome there."""
    folder = ROOT / "evals" / "prose" / "cases" / "ustekinumab-crohns-hmo"
    sections = lf.split_sections(_draft(folder).markdown)
    tried = next(ln for ln in sections[lf.REQUEST].splitlines() if ln.startswith("- Tried"))
    for t in load_case(folder / "case.yaml").prior_treatments:
        if t.start is None or t.name not in tried:
            continue
        day = lf.fmt_date(t.start)
        argued = states_treatment(sections[lf.CRITERIA], t.name, [day])
        assert (day in tried) is not argued, (t.name, tried)
        if argued:
            assert f"{t.name}, with its dose, dates and outcome under the criteria above" in tried
