"""A scan's digits are repaired only in a scan's text, never in an id or an ICD-10 O code
(review 34, F9: 'Member ID: O12884307' became '012884307' and the case was refused)."""

from __future__ import annotations

import pytest

from pipeline.cli import main
from pipeline.ingest import ingest_text
from pipeline.text.clean import looks_scanned, repair_ocr_digits, repair_scanned_text

from .conftest import ROOT

OID = ROOT / "tests" / "fixtures" / "reading_mend" / "oid"


@pytest.mark.parametrize(
    "text",
    [
        "Member ID: O98765432",
        "Policy: MP-O12",
        "Ref: O0123",
        "Diagnosis: O24.414",
        "Diagnoses: O10.02, O99.89",
    ],
)
def test_a_typed_letter_keeps_its_letters(text: str) -> None:
    assert not looks_scanned(text)
    assert repair_scanned_text(text) == text
    assert ingest_text(text).text == text


def test_a_scan_keeps_an_id_and_an_o_code_but_repairs_its_numbers() -> None:
    text = "Date: ll/2l/2026  Member ID: O12884307  Dx O24.414  Phone l-844-555-Ol39"
    assert looks_scanned(text)
    assert repair_ocr_digits(text) == (
        "Date: 11/21/2026  Member ID: O12884307  Dx O24.414  Phone 1-844-555-0139"
    )
    assert repair_ocr_digits("Member ID: OHP-7l402958") == "Member ID: OHP-71402958"


def test_a_member_id_starting_with_o_drafts(capsys, tmp_path) -> None:
    out = tmp_path / "draft.md"
    rc = main(
        [
            "draft",
            str(OID / "letter.txt"),
            "--case",
            str(OID / "case.yaml"),
            "--date",
            "2026-11-20",
            "--allow-gaps",
            "-o",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert rc == 0, err
    assert "does not match the denial letter" not in err
