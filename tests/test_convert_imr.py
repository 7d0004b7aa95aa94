"""The IMR converter: verdict and reasoning removed, labels derived from dataset fields.

Every Findings text here is synthetic (written for the test); real IMR text stays out
of tests/.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.convert_imr import (
    DEFAULT_INPUT,
    case_summary,
    categories_for,
    convert,
    convert_record,
    extract_authorities,
    main,
)

SYNTHETIC_FINDINGS = (
    "Findings:  The physician reviewer found that Nature of Statutory Criteria/Case Summary: "
    "A patient has requested authorization and coverage for a widget scan of the elbow. "
    "The patient has elbow pain after a fall. "
    "According to the American College of Radiology (ACR) Appropriateness Criteria and the "
    "North American Spine Society, a widget scan is usually appropriate. The NCCN agrees. "
    "In this case, the patient meets the criteria. Therefore, the requested scan is medically "
    "necessary. Final Result: The reviewer determined that the requested scan is medically "
    "necessary. Therefore, the Health Plan's denial should be overturned."
    "Credentials/Qualifications: Reviewer 1 is board-certified in radiology."
)


def _record(**overrides: str) -> dict:
    record = {
        "ReferenceID": "XX00-00001",
        "ReportYear": "2025",
        "DiagnosisCategory": "Orthopedic",
        "DiagnosisSubCategory": "Elbow",
        "TreatmentCategory": "Diag Imag & Screen",
        "TreatmentSubCategory": "MRI",
        "Type": "Medical Necessity",
        "Determination": "Overturned Decision of Health Plan",
        "AgeRange": "41 to 50",
        "PatientGender": "Female",
        "Findings": SYNTHETIC_FINDINGS,
    }
    record.update(overrides)
    return record


def test_summary_keeps_request_and_patient_facts_drops_reasoning() -> None:
    summary = case_summary(SYNTHETIC_FINDINGS)
    assert summary == (
        "A patient has requested authorization and coverage for a widget scan of the elbow. "
        "The patient has elbow pain after a fall."
    )


def test_summary_drops_verdict_when_findings_open_with_request() -> None:
    text = (
        "Findings:  The physician reviewer found that a patient has requested reimbursement "
        "for Acme Inc. gadget testing. Standard care is observation. Findings: Three of the "
        "three reviewers found that the test is not likely to be more beneficial.Final Result: "
        "The reviewers determined the denial should be upheld."
    )
    assert case_summary(text) == (
        "A patient has requested reimbursement for Acme Inc. gadget testing."
    )


def test_summary_is_empty_without_a_request_sentence() -> None:
    assert case_summary("Findings: Studies show benefit. Final Result: overturned.") == ""


def test_authorities_from_names_and_acronyms() -> None:
    assert extract_authorities(SYNTHETIC_FINDINGS) == ["ACR", "NASS", "NCCN"]
    text = (
        "The American Heart Association, the American College of Cardiology and the "
        "Heart Rhythm Society agree; the U.S. Food and Drug Administration approved it."
    )
    assert extract_authorities(text) == ["ACC", "AHA", "FDA", "HRS"]
    assert extract_authorities("Medical literature supports the request.") == []
    # Ambiguous acronyms alone do not count; lowercase words never match acronyms.
    assert extract_authorities("The APA style; an aha moment; nice results.") == []


def test_bare_acronyms_count_except_the_ambiguous_ones() -> None:
    from evals.convert_imr import _AMBIGUOUS, AUTHORITY_NAMES

    assert _AMBIGUOUS.issubset(AUTHORITY_NAMES)  # a misspelt exception would count silently
    assert {"APA", "ACS", "AAD", "CMS", "Hayes"} <= _AMBIGUOUS
    for short, names in AUTHORITY_NAMES.items():
        found = extract_authorities(f"Per the {short} recommendation, the request is covered.")
        counts = short not in _AMBIGUOUS or short in names  # "UpToDate" is its own full name
        assert found == ([short] if counts else []), short


@pytest.mark.parametrize(
    ("imr_type", "expected"),
    [
        ("Medical Necessity", ["not_medically_necessary"]),
        ("Experimental/Investigational", ["experimental_investigational"]),
        ("Urgent Care", ["not_medically_necessary"]),
        ("Something else", []),
    ],
)
def test_categories_mapping(imr_type: str, expected: list[str]) -> None:
    assert categories_for(imr_type) == expected


def test_convert_record_shape_and_no_leak() -> None:
    case = convert_record(_record())
    assert case["id"] == "imr-XX00-00001"
    assert case["source"] == "imr" and case["case"] is None
    assert case["expected"]["denial_categories"] == ["not_medically_necessary"]
    assert case["expected"]["authorities"] == ["ACR", "NASS", "NCCN"]
    assert case["metadata"]["Determination"] == "Overturned Decision of Health Plan"
    letter = case["denial_letter"]
    assert "widget scan of the elbow" in letter and "Diagnosis: Elbow" in letter
    for marker in (
        "overturn",
        "upheld",
        "Final Result",
        "Credentials",
        "Reviewer 1",
        "scan is medically necessary",
        "Appropriateness Criteria",
    ):
        assert marker.lower() not in letter.lower()


def test_cli_rejects_missing_input_and_same_output(tmp_path: Path, capsys) -> None:
    assert main(["--input", str(tmp_path / "nope.jsonl")]) == 1
    assert "input not found" in capsys.readouterr().err
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(_record()) + "\n")
    assert main(["--input", str(src), "--output", str(src)]) == 1
    assert json.loads(src.read_text())["ReferenceID"] == "XX00-00001"  # not overwritten


def test_cli_reports_bad_json_line(tmp_path: Path, capsys) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(_record()) + "\n{not json\n")
    assert main(["--input", str(src), "--output", str(tmp_path / "out.jsonl")]) == 1
    assert "in.jsonl:2: invalid JSON" in capsys.readouterr().err


@pytest.mark.skipif(not DEFAULT_INPUT.is_file(), reason="IMR sample not present")
def test_real_sample_converts_without_leaks(tmp_path: Path) -> None:
    out = tmp_path / "imr.jsonl"
    cases = convert(DEFAULT_INPUT, out)
    assert len(cases) == 35
    assert len(out.read_text().splitlines()) == 35
    for case in cases:
        letter = case["denial_letter"].lower()
        # Neither the verdict nor the label the category scorer checks (the IMR Type).
        for marker in (
            "overturn", "upheld", "final result", "credentials", "reviewer 1",
            "investigational", "on the ground that",
        ):
            assert marker not in letter, case["id"]
        assert "requested" in letter, case["id"]
        assert case["expected"]["denial_categories"], case["id"]
    assert sum(1 for c in cases if c["expected"]["authorities"]) >= 10


def test_statutes_kept_apart_from_authorities() -> None:
    text = (
        "The California reconstructive surgery statute requires coverage. The American "
        "Academy of Pediatrics agrees."
    )
    case = convert_record(_record(Findings=text))
    assert case["expected"]["authorities"] == ["AAP"]
    assert case["expected"]["statutes"] == ["Cal. H&S Code 1367.63"]
