"""A code the letter writes outside the Diagnosis section that is the category of the case's
own code ('D50' beside the case's 'D50.0', as a label's heading names its indication) is the
patient's diagnosis said less precisely, not another one: no icd10.mismatch. A code more
precise than, or beside, the case's still is one, and the Diagnosis section stays exact."""

from __future__ import annotations

from pipeline.validate import FindingCode, validate_markdown
from tests.test_validate import codes, make_draft

SUMMARY = "Jordan A. Rivera has recurrent major depressive disorder"


def _with(sentence: str) -> set[str]:
    draft = make_draft()
    md = draft.markdown.replace(SUMMARY, f"{sentence} {SUMMARY}", 1)
    assert md != draft.markdown
    return codes(validate_markdown(md, draft))


def test_the_category_of_the_case_code_is_no_mismatch() -> None:
    assert FindingCode.ICD10_MISMATCH not in _with("Recurrent depression (F33) is on the label.")


def test_a_sibling_code_is_still_a_mismatch() -> None:
    assert FindingCode.ICD10_MISMATCH in _with("Recurrent depression (F33.1) is on the label.")
    assert FindingCode.ICD10_MISMATCH in _with("Depression in remission (F33.40) is on the label.")


def test_a_category_of_another_diagnosis_is_still_a_mismatch() -> None:
    assert FindingCode.ICD10_MISMATCH in _with("Bipolar disorder (F31) is on the label.")


def test_the_diagnosis_section_stays_exact() -> None:
    draft = make_draft()
    md = draft.markdown.replace("- F33.2 —", "- F33 —", 1)
    assert FindingCode.ICD10_MISMATCH in codes(validate_markdown(md, draft))
