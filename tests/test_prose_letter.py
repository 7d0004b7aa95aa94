"""The letter around the argument: each criterion the physician argues names the enclosed records
that document it by number, and the checker that counts the template's stand-ins ('For your
review', a dangling 'as above', an empty heading), the argued criteria that name no enclosure,
and (with a case's labels) the facts placed under a criterion they do not answer."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from evals.prose.defects import count, fact_placement, offtopic_facts, review_seams
from pipeline import letter_format as lf
from pipeline.casefile import load_case
from pipeline.engines.offline import OfflineEngine
from pipeline.ingest import ingest
from pipeline.models import CaseFacts, Finding
from pipeline.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
TUNED = ROOT / "evals" / "prose" / "cases"


def _draft(name: str) -> str:
    folder = TUNED / name
    outcome = Pipeline(OfflineEngine(), k=6).draft(
        ingest(folder / "letter.txt"),
        load_case(folder / "case.yaml"),
        today=dt.date(2026, 12, 7),
        allow_gaps=True,
    )
    return outcome.markdown


@pytest.fixture(scope="module")
def cervical() -> str:
    return _draft("cervical-esi-medicaid")


def _criterion_sections(markdown: str) -> dict[str, str]:
    parts = re.split(r"^### Criterion \(?([^\s)]+)\)?.*$", markdown, flags=re.M)
    return {parts[i]: parts[i + 1].split("\n## ")[0] for i in range(1, len(parts) - 1, 2)}


def test_each_argued_criterion_names_its_enclosures_by_number(cervical: str) -> None:
    """Each argued criterion's section names the enclosed records that document it, by their
    numbers in the Enclosures list: the reviewer goes from the argument to the record."""
    listed = set(re.findall(r"^(\d+)\. ", lf.split_sections(cervical)[lf.ENCLOSURES], re.M))
    sections = _criterion_sections(cervical)
    named = {name: lf.ENCLOSURE_REF_RE.findall(text) for name, text in sections.items()}
    assert all(named.values()), named
    for spans in named.values():
        assert set(re.findall(r"\d+", " ".join(spans))) <= listed
    # where the facts are led in, the numbers go with the lead; else after the comparison
    assert re.search(r"^From my records \(Enclosures? \d", cervical, re.M)
    assert re.search(r"which meets it \(Enclosure \d\)\.$", cervical, re.M)
    assert count(cervical)["unnumbered_criterion"] == 0


def test_the_opening_says_where_an_open_criterions_answer_is(cervical: str) -> None:
    """A criterion the record is not yet shown to meet: the opening names its enclosed record
    by number, never the template's 'For your review', and no summary table restates every
    criterion ahead of the sections that answer them."""
    opening = lf.split_sections(cervical)[lf.IDENTIFICATION]
    assert "For your review" not in cervical
    assert "| Plan requirement |" not in cervical
    assert "For criterion (1), I ask that you review the enclosed clinic note (Enclosure 4)" in (
        opening
    )
    assert count(cervical)["review_seam"] == 0


def test_enclosure_references_with_and_are_structural_numbers() -> None:
    spans = [m.group(1) for m in lf.ENCLOSURE_REF_RE.finditer("(Enclosures 2 and 3), Enclosure 4")]
    assert spans == ["2 and 3", "4"]


def test_the_checker_counts_review_seams_and_unnumbered_criteria() -> None:
    md = "\n".join(
        [
            "| Plan requirement | Where documented | Met |",
            "|---|---|---|",
            "| Pain for 4 weeks | Criterion 1; Enclosure 2 | For your review |",
            "| MRI | Criterion 2; Enclosure 3 | Yes |",
            "",
            "## Objective findings",
            "",
            "## Response to each criterion cited in the denial",
            "",
            "### Criterion 1",
            "",
            "From my records:",
            "",
            "- Pain 8/10, as above.",
            "",
            "### Criterion 2",
            "",
            "From my records (Enclosure 3):",
            "",
            "- MRI of October 2, 2026: C6 root compression.",
        ]
    )
    got = count(md)
    assert got["review_seam"] == 3  # the cell, 'as above' and the empty Objective findings
    assert got["unnumbered_criterion"] == 1  # criterion 1 only
    # near misses: 'above the limit', a heading whose subsections follow
    assert review_seams("## A\n\n### B\n\nPain above the limit of 6.\n") == []


def test_the_checker_scores_facts_under_each_criterion_against_labels() -> None:
    labels = {
        "criteria": {"1": ["Pain rating"], "2": ["MRI"]},
        "facts": ["Pain rating", "MRI", "Lipid panel"],
    }
    md = "\n".join(
        [
            "## Objective findings",
            "",
            "- Lipid panel (July 14, 2026): LDL 94 mg/dL",
            "",
            "### Criterion 1",
            "",
            "The plan requires: “pain, shown on MRI or by a pain rating”.",
            "",
            "From my records:",
            "",
            "- Pain rating 8/10.",
            "- MRI of October 2, 2026.",
            "",
            "### Criterion 2",
            "",
            "The record shows MRI of October 2, 2026, which meets it.",
            "",
            "Guideline (X 2020): MRI and a pain rating guide care [1].",
        ]
    )
    # the quote and the guideline are not the letter placing a fact
    assert fact_placement(md, labels) == (3, 2)
    assert offtopic_facts(md, labels) == ["Lipid panel"]


HBOT_NOTICE = (
    "Saguaro Senior Health Plan (Medicare Advantage HMO)\nNOTICE OF DENIAL OF MEDICAL COVERAGE\n"
    "Date: September 25, 2026\nMember ID: SSH-1102\nServices requested:\n"
    "    CPT   99183   Physician attendance and supervision of hyperbaric oxygen therapy, per "
    "session ........ 30 units\n"
    "  Dates of service requested:   10/01/2026 through 11/30/2026\n\n"
    "We denied this request: a 30-day course of standard wound care is not documented. You "
    "have 65 days from the date of this notice to ask for a reconsideration.\n"
)


def test_the_opening_carries_no_placeholder_the_request_holds() -> None:
    """The notice's period has passed and the case states none: the Request holds the
    placeholder (and the review file the gap); the opening, read first, asks without it. With
    nothing cited the letter has no References section saying so."""
    from pipeline.draft import compose
    from pipeline.extract import extract_facts

    case = CaseFacts.model_validate(
        {
            "patient": {"name": "Eli Moss", "date_of_birth": dt.date(1950, 4, 1)},
            "physician": {"name": "Ana Ruiz", "credentials": "MD", "npi": "1234567893"},
            "service": {
                "code": "99183",
                "description": "Hyperbaric oxygen therapy",
                "details": "CPT 99183 x 30 sessions",
            },
            "clinical_summary": "Wagner grade 3 ulcer.",
        }
    )
    draft = compose(
        HBOT_NOTICE,
        extract_facts(HBOT_NOTICE),
        case,
        [],
        OfflineEngine(),
        today=dt.date(2026, 12, 6),
        allow_gaps=True,
    )
    sections = lf.split_sections(draft.markdown)
    assert lf.PLACEHOLDER_RE.search(sections[lf.REQUEST]), sections[lf.REQUEST]
    opening = sections[lf.IDENTIFICATION].split("\n\n")[0]
    assert "I ask you to reverse" in opening and not lf.PLACEHOLDER_RE.search(opening), opening
    # nothing cited: no References section announcing so
    assert lf.REFERENCES not in sections and "No passage is cited" not in draft.markdown


def _sentences_said_twice(markdown: str) -> list[str]:
    """The sentences of eight words or more (tables, quotes and references aside) that a letter
    says more than once."""
    body = markdown.split(f"\n{lf.heading(lf.REFERENCES)}")[0]
    lines = [ln for ln in body.splitlines() if not ln.startswith(("|", "#", "The plan requires:"))]
    said = [
        s.strip().rstrip(".").lower()
        for ln in lines
        for s in re.split(r"(?<=[.;:])\s+", re.sub(r"\[\d+(?:, \d+)*\]", "", ln))
        if len(s.split()) >= 8
    ]
    return sorted({s for s in said if said.count(s) > 1})


def test_the_request_points_to_the_consequences_it_would_say_again() -> None:
    # an urgent appeal's Request gave the risk of waiting by repeating the consequences
    # sentence whole; it now points to the section that states it
    folder = ROOT / "examples" / "residential-psych-erisa"
    markdown = (
        Pipeline(OfflineEngine(), k=6)
        .draft(
            ingest(folder / "letter.txt"),
            load_case(folder / "case.yaml"),
            today=dt.date(2026, 12, 7),
            allow_gaps=True,
        )
        .markdown
    )
    sections = lf.split_sections(markdown)
    assert "remains at the risks set out under Consequences of denial" in sections[lf.REQUEST]
    assert "fourth suicide attempt" in sections[lf.CONSEQUENCES]
    assert "fourth suicide attempt" not in sections[lf.REQUEST]
    assert _sentences_said_twice(markdown) == []


def _tka_with_findings(findings: list[Finding]) -> CaseFacts:
    """The TKA example's case with these findings in place of its own and no documents listed
    (its enclosures are then the findings' records)."""
    case = load_case(ROOT / "examples" / "tka-aca" / "case.yaml")
    return case.model_copy(update={"objective_findings": findings, "documents": []})


def test_a_test_not_done_or_not_back_is_never_an_enclosed_record() -> None:
    from pipeline.reasoning.enclosures import enclosures

    day = dt.date(2026, 11, 2)
    findings = [
        Finding(kind="lab", name="Arterial blood gas", value="Not performed", date=day),
        Finding(kind="imaging", name="MRI knee", value="Ordered; no result yet", date=day),
        Finding(kind="other", name="Cardiology consult", value="Appointment pending", date=day),
        Finding(kind="other", name="Gait assessment", value="Antalgic gait with cane", date=day),
    ]
    case = _tka_with_findings(findings)
    shown = [f"objective_findings[{i}]" for i in range(len(findings))]
    titles = [e.title for e in enclosures(case, [], shown=shown)]
    assert not any("Arterial blood gas" in t for t in titles)  # not performed: no record at all
    # a result not yet back follows, with what the case says of it, not under a date as if it
    # were a dated report
    assert "Imaging report: MRI knee, to follow (ordered; no result yet)" in titles
    # a consultation still to come is not part of the day's clinic note: it follows
    assert "Record: Cardiology consult, to follow (appointment pending)" in titles
    assert "Clinic note of November 2, 2026: Gait assessment" in titles


def test_an_opening_figure_is_an_amount_of_time_or_care_never_a_number_and_any_word() -> None:
    from pipeline.draft import _AMOUNT_RE

    assert _AMOUNT_RE.match("8.4 months continuous, February 9, 2026 to October 22, 2026")
    assert _AMOUNT_RE.match("all 5, shortest 8 weeks (Sertraline 8, ...)")
    assert _AMOUNT_RE.match("1 completed program of pulmonary rehabilitation") is None
    assert _AMOUNT_RE.match("38 failed injections") is None


@pytest.mark.parametrize(
    ("value", "pending"),
    [
        ("Outside hepatology consultation outstanding", True),
        ("Referral sent October 1, 2026; not yet seen", True),
        ("Outside records requested November 2, 2026", True),
        ("Seen October 2, 2026: recommends surgery", False),
        ("Outstanding response to therapy", False),
        ("Prior authorization outstanding", False),
    ],
)
def test_a_consultation_still_to_come_is_pending_not_an_enclosed_record(
    value: str, pending: bool
) -> None:
    from pipeline.reasoning.enclosures import enclosures

    day = dt.date(2026, 11, 2)
    case = _tka_with_findings(
        [Finding(kind="other", name="Hepatology consult", value=value, date=day)]
    )
    (title,) = [e.title for e in enclosures(case, [], shown=["objective_findings[0]"])]
    assert (", to follow (" in title) is pending
    assert "Hepatology consult (November 2, 2026)" not in title  # never dated as a report


def test_a_finding_the_criteria_state_in_full_is_not_listed_again_under_objective_findings() -> (
    None
):
    from pipeline.draft import _said_once

    bodies = [
        (
            lf.OBJECTIVE_FINDINGS,
            "- CT chest (May 1, 2026): nodule 9 mm\n- HbA1c (May 2, 2026): 6.1%",
        ),
        (lf.CRITERIA, "From my records:\n\n- CT chest (May 1, 2026): nodule 9 mm."),
    ]
    kept = dict(_said_once(bodies))
    assert kept[lf.OBJECTIVE_FINDINGS] == "- HbA1c (May 2, 2026): 6.1%"
    # a summary sentence a criterion lists is said there only; the first introduces the patient
    summary = "Ana is 50. She takes no steroid. She works."
    argued = "From my records:\n\n- Ana is 50.\n- She takes no steroid."
    kept = dict(_said_once([(lf.CLINICAL_SUMMARY, summary), (lf.CRITERIA, argued)]))
    assert kept[lf.CLINICAL_SUMMARY] == "Ana is 50. She works."
    # a list left with nothing in it goes, heading and all
    only = [(lf.OBJECTIVE_FINDINGS, "- CT chest (May 1, 2026): nodule 9 mm"), bodies[1]]
    assert [name for name, _ in _said_once(only)] == [lf.CRITERIA]


def test_one_days_clinic_note_is_one_enclosure_whichever_criteria_its_findings_answer() -> None:
    from pipeline.models import Criterion, CriterionVerdict
    from pipeline.reasoning.enclosures import enclosures

    day = dt.date(2026, 10, 6)
    case = _tka_with_findings(
        [
            Finding(kind="exam", name="Body surface area", value="18%", date=day),
            Finding(kind="rating_scale", name="EASI", value="22.4", date=day),
        ]
    )
    verdicts = [
        CriterionVerdict(index=i, criterion=Criterion(text=f"criterion {i}"), status="met",
                         evidence=[f"objective_findings[{i}]"])
        for i in range(2)
    ]  # fmt: skip
    (note,) = enclosures(case, verdicts, shown=[])
    assert note.title == "Clinic note of October 6, 2026: Body surface area, EASI"
    assert note.criteria == {0, 1}


def test_with_no_criterion_the_denial_is_answered_with_records_said_once() -> None:
    from pipeline.engines.base import ArgumentRequest
    from pipeline.extract import extract_facts
    from pipeline.reasoning.denial import argue_denial

    notice = "We reviewed the request for a CT chest. It is not medically necessary.\n"
    case = load_case(ROOT / "examples" / "tka-aca" / "case.yaml")
    findings = [
        Finding(kind="imaging", name="CT chest", value="Nodule 9 mm, grown 3 mm in a year",
                date=dt.date(2026, 5, 1)),
        Finding(kind="imaging", name="PET imaging", value="Result pending",
                date=dt.date(2026, 11, 1)),
    ]  # fmt: skip
    case = case.model_copy(
        update={
            "objective_findings": findings,
            "prior_treatments": [],
            "clinical_summary": "Her imaging findings and severity score show failed trials of "
            "treatment with no treatment response.",
            "consequences_of_denial": "Without a treatment response her imaging findings and "
            "severity score worsen after failed trials.",
        }
    )
    request = ArgumentRequest(analysis=extract_facts(notice), case=case, passages=[])
    argument = argue_denial(request)
    assert argument.evidence == ["objective_findings[0]"]  # the record, not the pending one
    assert "worsen" not in argument.argument  # the consequences have their own section
    assert "no treatment response" not in argument.argument  # so has the summary


def test_a_result_not_yet_back_is_not_listed_under_a_date_as_a_dated_study() -> None:
    from pipeline.reasoning.argument import fact_line

    case = load_case(ROOT / "examples" / "tka-aca" / "case.yaml")
    findings = [
        Finding(kind="imaging", name="MRI internal auditory canals",
                value="Ordered; scheduled 2026-11-19; not yet done", date=dt.date(2026, 11, 4)),
        Finding(kind="imaging", name="CT temporal bones", value="Normal cochlear anatomy",
                date=dt.date(2026, 8, 5)),
    ]  # fmt: skip
    case = case.model_copy(update={"objective_findings": findings})
    assert fact_line(case, "objective_findings[0]") == (
        "MRI internal auditory canals: Ordered; scheduled 2026-11-19; not yet done."
    )
    assert fact_line(case, "objective_findings[1]") == (
        "CT temporal bones (August 5, 2026): Normal cochlear anatomy."
    )


def test_a_criterions_source_is_named_without_a_stray_closing_parenthesis() -> None:
    from pipeline.draft import _balanced

    assert _balanced("NCD 160.7)") == "NCD 160.7"
    named = "Medical Policy GT-17 (rev. May 2026)"
    assert _balanced(named) == named
    assert _balanced(")") == ""
