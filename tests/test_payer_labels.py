"""The payer's own criterion labels: read as printed, and the letter names criteria by them."""

from __future__ import annotations

from pipeline import letter_format as lf
from pipeline.criteria_rules import read_criteria
from pipeline.models import Criterion
from pipeline.validate import parse_document, validate
from tests.test_draft import (
    analysis_for,
    sample_draft,
)

DECIMAL = """Acme Health Plan
December 1, 2026
We reviewed the request against Medical Policy GU-118. Our findings for each policy item:

  3.2.1  Stress urinary incontinence confirmed by a cough stress test.
         Finding: Met.
  3.2.2  Post-void residual urine volume of less than 150 mL.
         Finding: Met.
  3.2.3  Completion of at least 3 months of supervised pelvic floor muscle training.
         Finding: Not met. The notes show 6 weeks.
  4.1    The member does not plan a future pregnancy.
         Finding: Not documented.
"""

ROMAN = """Acme Health Plan
January 4, 2027
We cannot approve the procedure above. The items below are listed with their guideline numbers.

I.A   Age 22 years or older.
      Finding: Met.
I.C   Apnea-hypopnea index of 15 to 65 events per hour on a polysomnogram.
      Finding: Met. AHI 38.
III.C Drug-induced sleep endoscopy shows no complete concentric collapse at the soft palate.
      Finding: Not documented.
"""

CHECKBOXES = """Acme Children's Health Plan
November 20, 2026
Under this policy, repair is reconstructive only when Sections A and B are ALL met.

  KEY:  [X] met   [-] not met   [?] not documented in the records we received

  SECTION A - Severity of the deformity
    [X] A1. Haller index of 3.25 or greater on CT or MRI done within the past 12 months.

  SECTION B - Physiologic impairment
    [?] B1. Cardiac compression or displacement shown on echocardiogram, CT or cardiac
            MRI, with a cardiology or radiology report describing it.
    [-] B2. Restrictive pulmonary function: forced vital capacity below 80% of predicted.
"""


def _read(text: str) -> list[tuple[str | None, str, str]]:
    return [(c.label, c.text, c.payer_status) for c in read_criteria(text)]


def test_decimal_outline_labels_are_read_as_printed_and_kept_out_of_the_wording() -> None:
    read = _read(DECIMAL)
    assert [label for label, _, _ in read] == ["3.2.1", "3.2.2", "3.2.3", "4.1"]
    assert read[2][1].startswith("Completion of at least 3 months")
    assert [status for _, _, status in read] == ["met", "met", "not_met", "not_documented"]
    duration = read_criteria(DECIMAL)[2].requirements
    assert any(r.value == 3 and r.unit == "months" for r in duration)


def test_roman_outline_labels_make_a_list_of_criteria() -> None:
    read = _read(ROMAN)
    assert [label for label, _, _ in read] == ["I.A", "I.C", "III.C"]
    assert read[0][1] == "Age 22 years or older"
    assert read[2][2] == "not_documented"


def test_checkbox_items_keep_their_section_labels() -> None:
    read = _read(CHECKBOXES)
    assert [label for label, _, _ in read] == ["A1", "B1", "B2"]
    assert read[1][1].startswith("Cardiac compression")
    assert [status for _, _, status in read] == ["met", "not_documented", "not_met"]


def test_a_measure_opening_a_line_is_no_label() -> None:
    text = DECIMAL.replace(
        "  4.1    The member does not plan a future pregnancy.",
        "  4.1    The vein diameter is\n  4.5 mm or greater on duplex ultrasound.",
    )
    last = read_criteria(text)[-1]
    assert last.label == "4.1"
    assert "4.5 mm or greater" in last.text


def test_names_are_the_payer_labels_wherever_the_notice_gives_its_own() -> None:
    labelled = [Criterion(text="abc", label=x) for x in ("4.1", "4.2", "(iv)")]
    assert lf.criterion_names(labelled) == ["4.1", "4.2", "(iv)"]
    # a criterion the notice labels not keeps its number; the labelled ones keep the payer's
    partly = [Criterion(text="abc", label="II.3"), Criterion(text="abc", label="II.4")]
    partly.append(Criterion(text="abc"))
    assert lf.criterion_names(partly) == ["II.3", "II.4", "3"]
    twice = [Criterion(text="abc", label="a"), Criterion(text="abc", label="a")]
    assert lf.criterion_names(twice) == ["1", "2"]
    # a number that is another criterion's label would name two criteria: numbers throughout
    clash = [Criterion(text="abc", label="2"), Criterion(text="abc")]
    assert lf.criterion_names(clash) == ["1", "2"]
    assert lf.named_list(["4.1", "4.3", "4.5"]) == "criteria 4.1, 4.3 and 4.5"
    sentence = lf.met_by_notice_sentence(["A1", "C1"])
    assert lf.met_by_notice(sentence, ["A1", "B1", "C1"]) == {1, 3}


def test_letter_names_each_criterion_by_the_payer_label() -> None:
    analysis = analysis_for()
    labels = ["4.1", "4.2", "4.3"]
    analysis = analysis.model_copy(
        update={
            "criteria": [
                c.model_copy(update={"label": label})
                for c, label in zip(analysis.criteria, labels, strict=True)
            ]
        }
    )
    draft = sample_draft(analysis)
    assert lf.CRITERION_HEADING_RE.findall(draft.markdown) == labels
    assert "### Criterion 1" not in draft.markdown
    doc = parse_document(draft.markdown, labels)
    assert sorted(doc.criteria) == [1, 2, 3]
    numbered = sample_draft()
    # the validator finds each labelled section as it finds the numbered ones
    assert sorted(f.code for f in validate(draft).findings) == sorted(
        f.code for f in validate(numbered).findings
    )
