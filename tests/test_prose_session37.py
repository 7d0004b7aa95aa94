"""Labels and repeats blind judges found (session 37): hospital records enclosed as clinic
notes, a diary or a fill history called a clinic note, a reviewer's name cut at its line-broken
hyphen ('Quist, MD'), and the inpatient ground's facts repeated from the clinical summary and
from the criteria that argue them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.casefile import load_case
from pipeline.extract import find_reviewer
from pipeline.models import CaseFacts, Finding
from pipeline.reasoning.enclosures import enclosures

ROOT = Path(__file__).resolve().parents[1]
DAY = dt.date(2027, 3, 4)


def _case(findings: list[Finding]) -> CaseFacts:
    case = load_case(ROOT / "examples" / "tka-aca" / "case.yaml")
    return case.model_copy(update={"objective_findings": findings, "documents": []})


def _titles(findings: list[Finding]) -> list[str]:
    shown = [f"objective_findings[{i}]" for i in range(len(findings))]
    return [e.title for e in enclosures(_case(findings), [], shown=shown)]


def test_a_day_of_hospital_findings_is_the_hospital_record_not_a_clinic_note() -> None:
    titles = _titles(
        [
            Finding(kind="vital", name="Triage vital signs, emergency room", value="HR 131"),
            Finding(kind="vital", name="Body weight", value="41.2 kg", date=DAY),
            Finding(kind="exam", name="PICU neurologic checks", value="GCS 12", date=DAY),
        ]
    )
    # the weight taken on the day of the intensive care unit's checks is that stay's record
    assert "Hospital record of March 4, 2027: Body weight, PICU neurologic checks" in titles
    assert not any("Clinic note" in t for t in titles)


def test_a_finding_that_is_a_document_is_enclosed_by_its_own_name() -> None:
    titles = _titles(
        [
            Finding(kind="other", name="Headache diary", value="14 days a month", date=DAY),
            Finding(
                kind="other", name="Infusion log, 2027-01-02 to 2027-03-04", value="9", date=DAY
            ),
            Finding(
                kind="other", name="Specialty pharmacy claims history", value="3 fills", date=DAY
            ),
            Finding(kind="other", name="Gait assessment", value="Antalgic gait", date=DAY),
        ]
    )
    assert "Headache diary (March 4, 2027)" in titles
    assert "Specialty pharmacy claims history (March 4, 2027)" in titles
    # a name that gives its own dates is not dated again
    assert "Infusion log, 2027-01-02 to 2027-03-04" in titles
    # an office finding with no document of its own is the day's clinic note, as before
    assert "Clinic note of March 4, 2027: Gait assessment" in titles


def test_a_reviewer_named_across_a_line_broken_hyphen_is_named_in_full() -> None:
    notice = (
        "Determination made by: Lucia P. Ferreira, RN, Care Manager, and Osvaldo K. Lindqvist-\n"
        "Amadi, MD, Board Certified in Neurology, Associate Medical Director.\n\n"
        "You may appeal within 60 days."
    )
    assert find_reviewer(notice) == "Osvaldo K. Lindqvist-Amadi, MD"


def test_the_physician_named_second_on_a_reviewer_label_decides() -> None:
    notice = (
        "Reviewed by: Tomasz R. Wiley, PharmD and\nDr. Amara J. Pelletier, DO, Family Medicine.\n"
    )
    assert find_reviewer(notice) == "Dr. Amara J. Pelletier, DO"
    # one name alone is read as before
    assert find_reviewer("Reviewed by: Tomasz R. Wiley, PharmD\n") == "Tomasz R. Wiley, PharmD"


INPATIENT_NOTICE = """NOTICE OF ACTION
Date: November 20, 2026
We approved observation services and did not approve the inpatient admission, revenue code
0120, November 12 to November 15, 2026. The stay did not meet inpatient admission criteria.
Criterion 1. Serum sodium below 120 mEq/L, or seizures from hyponatremia.
Finding: Not met. Sodium 122 mEq/L on arrival.
"""


def test_the_inpatient_ground_states_only_what_no_other_section_does(tmp_path: Path) -> None:
    from pipeline.draft import compose
    from pipeline.engines import OfflineEngine
    from pipeline.extract import extract
    from pipeline.ingest import ingest

    case = CaseFacts.model_validate(
        {
            "patient": {"name": "Ana Lee", "date_of_birth": "1950-01-02", "member_id": "M123"},
            "physician": {"name": "Jo Park", "credentials": "MD"},
            "diagnoses": [{"code": "E87.1", "description": "Hyponatremia"}],
            "clinical_summary": (
                "76-year-old woman with hyponatremia from thiazide use. She had a seizure "
                "at home and arrived confused with sodium of 116 mEq/L. Her sodium needed "
                "hypertonic saline with checks every 2 hours in the step-down unit."
            ),
            "objective_findings": [
                {"kind": "lab", "name": "Serum sodium", "value": "116 mEq/L at 08:10; "
                 "118 at 14:00", "date": "2026-11-12"},
                {"kind": "other", "name": "Emergency department course", "value": "Seizure "
                 "in triage; admitted at 11:00, expected to need hypertonic saline over 2 "
                 "midnights", "date": "2026-11-12"},
            ],
        }
    )  # fmt: skip
    (tmp_path / "notice.txt").write_text(INPATIENT_NOTICE)
    letter = ingest(tmp_path / "notice.txt")
    analysis = extract(letter, OfflineEngine())
    draft = compose(letter.text, analysis, case, [], OfflineEngine(),
                    today=dt.date(2026, 12, 1), allow_gaps=True)  # fmt: skip
    markdown = draft.markdown
    # every sentence of the summary and the sodium the criterion argues are each said once
    for said in ("had a seizure at home", "hypertonic saline with checks", "Seizure in triage"):
        assert markdown.count(said) == 1, said
    ground = markdown.split("### Why this stay")[1].split("### Criterion")[0]
    assert "116" not in ground  # the sodium is argued under criterion 1, not here too
    # the fact the ground turns on (what was expected at the decision to admit) stays
    assert "Expected stay at the decision to admit" in markdown


def test_a_value_is_sourced_to_the_summary_without_quoting_words_that_never_reach_it() -> None:
    from pipeline.models import found_words

    clipped = "52 mmHg on March 12, 2024 (clinical summary: “47-year-old civil engineer …”)"
    assert found_words(clipped) == "52 mmHg on March 12, 2024 (my clinical summary)"
    holding = "52 mmHg on March 12, 2024 (clinical summary: “mPAP 52 mmHg on catheterization”)"
    assert found_words(holding).endswith("(my clinical summary: “mPAP 52 mmHg on catheterization”)")
    # a record is not named again as the source of its own value
    assert found_words("Serum sodium 116 on May 2, 2026 (Serum sodium)") == (
        "Serum sodium 116 on May 2, 2026"
    )


def test_a_criterion_heading_leads_with_its_verdict(tmp_path: Path) -> None:
    from pipeline.draft import compose
    from pipeline.engines import OfflineEngine
    from pipeline.extract import extract
    from pipeline.ingest import ingest
    from pipeline.letter_format import CRITERION_HEADING_RE

    case = CaseFacts.model_validate(
        {
            "patient": {"name": "Ana Lee", "date_of_birth": "1950-01-02", "member_id": "M123"},
            "physician": {"name": "Jo Park", "credentials": "MD"},
            "diagnoses": [{"code": "E87.1", "description": "Hyponatremia"}],
            "objective_findings": [
                {"kind": "lab", "name": "Serum sodium", "value": "116 mEq/L",
                 "date": "2026-11-12"},
            ],
        }
    )  # fmt: skip
    (tmp_path / "notice.txt").write_text(INPATIENT_NOTICE)
    letter = ingest(tmp_path / "notice.txt")
    draft = compose(letter.text, extract(letter, OfflineEngine()), case, [], OfflineEngine(),
                    today=dt.date(2026, 12, 1), allow_gaps=True)  # fmt: skip
    (heading,) = [line for line in draft.markdown.splitlines() if line.startswith("### Crit")]
    assert heading == "### Criterion 1 — met"
    assert CRITERION_HEADING_RE.findall(draft.markdown) == ["1"]  # still read as criterion 1


def test_a_name_broken_at_its_hyphen_occurs_in_the_notice() -> None:
    from pipeline.extract import _occurs, _squash

    # the name read across the line break is kept by the provenance check, not dropped
    notice = _squash("and Osvaldo K. Lindqvist-\nAmadi, MD, Board Certified")
    assert _occurs("Osvaldo K. Lindqvist-Amadi, MD", notice)
