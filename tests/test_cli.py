"""End to end through the `lmn` entry point, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from pipeline import letter_format as lf
from pipeline.cli import main

from .conftest import EXAMPLES, ROOT

DATE = ["--date", "2026-11-23"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def test_there_are_at_least_eight_examples() -> None:
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_drafts_without_gaps_and_passes(example: Path, capsys, tmp_path) -> None:
    out = tmp_path / "draft.json"
    rc, _, err = run(
        capsys,
        "draft",
        str(example / "letter.txt"),
        "--case",
        str(example / "case.yaml"),
        "-f",
        "json",
        "-o",
        str(out),
        *DATE,
    )
    assert rc == 0, err
    draft = json.loads(out.read_text())
    assert draft["gaps"] == []
    assert [f for f in draft["validation"]["findings"] if f["severity"] == "error"] == []
    # one section per criterion, named by the payer's labels when the notice gives them
    assert len(lf.CRITERION_HEADING_RE.findall(draft["markdown"])) == len(
        draft["analysis"]["criteria"]
    )
    assert draft["analysis"]["criteria"], "every example cites at least one criterion"
    # The JSON the drafter wrote validates again, with the same verdict.
    rc, out_text, _ = run(capsys, "validate", str(out))
    assert rc == 0 and "PASS" in out_text


def test_markdown_edited_by_hand_is_validated_again(capsys, tmp_path) -> None:
    ex = EXAMPLES[0]
    md = tmp_path / "letter.md"
    args = (str(ex / "letter.txt"), "--case", str(ex / "case.yaml"))
    assert run(capsys, "draft", *args, "-o", str(md), *DATE)[0] == 0
    assert run(capsys, "validate", str(md), "--letter", args[0], "--case", args[2])[0] == 0
    case = yaml.safe_load((ex / "case.yaml").read_text())
    text = md.read_text()
    npi = case["physician"]["npi"]
    md.write_text(text.replace(npi, npi[:-1] + str((int(npi[-1]) + 1) % 10)))
    rc, out, _ = run(capsys, "validate", str(md), "--letter", args[0], "--case", args[2])
    assert rc == 4 and "npi." in out


def test_missing_npi_exits_3_naming_the_npi(capsys, tmp_path) -> None:
    ex = EXAMPLES[0]
    case = yaml.safe_load((ex / "case.yaml").read_text())
    del case["physician"]["npi"]
    case_file = tmp_path / "case.yaml"
    case_file.write_text(yaml.safe_dump(case))
    out = tmp_path / "out.md"
    rc, stdout, err = run(
        capsys, "draft", str(ex / "letter.txt"), "--case", str(case_file), "-o", str(out)
    )
    assert rc == 3
    assert "physician.npi" in err
    assert not out.exists() and stdout == ""


def test_allow_gaps_writes_a_marked_draft(capsys, tmp_path) -> None:
    inc = ROOT / "examples" / "incomplete"
    out = tmp_path / "draft.md"
    rc, _, err = run(
        capsys,
        "draft",
        str(inc / "letter.txt"),
        "--case",
        str(inc / "case.yaml"),
        "--allow-gaps",
        "-o",
        str(out),
        *DATE,
    )
    assert rc == 0, err
    text = out.read_text()
    assert text.startswith("**DRAFT")
    assert "[MISSING:" in text and "physician.npi" in err


def test_output_is_never_overwritten_without_force(capsys, tmp_path) -> None:
    ex = EXAMPLES[0]
    out = tmp_path / "mine.md"
    out.write_text("my own notes")
    args = ["draft", str(ex / "letter.txt"), "--case", str(ex / "case.yaml"), "-o", str(out), *DATE]
    rc, _, err = run(capsys, *args)
    assert rc == 2 and "--force" in err and out.read_text() == "my own notes"
    assert run(capsys, *args, "--force")[0] == 0
    assert out.read_text().startswith("# Letter of Medical Necessity")
    # Even with --force, an input is never the output.
    letter_copy = tmp_path / "letter.txt"
    letter_copy.write_text((ex / "letter.txt").read_text())
    rc, _, err = run(
        capsys,
        "draft",
        str(letter_copy),
        "--case",
        str(ex / "case.yaml"),
        "-o",
        str(letter_copy),
        "--force",
    )
    assert rc == 2 and letter_copy.read_text() == (ex / "letter.txt").read_text()


def test_retrieve_lists_what_the_drafter_gets(capsys, tmp_path) -> None:
    ex = EXAMPLES[0]
    letter, case = str(ex / "letter.txt"), str(ex / "case.yaml")
    out = tmp_path / "draft.json"
    assert run(capsys, "draft", letter, "--case", case, "-f", "json", "-o", str(out), *DATE)[0] == 0
    drafted = [(p["rank"], p["passage"]["id"]) for p in json.loads(out.read_text())["passages"]]
    rc, listed, err = run(capsys, "retrieve", letter, "--case", case, "-f", "json")
    assert rc == 0, err
    assert [(p["rank"], p["passage"]["id"]) for p in json.loads(listed)] == drafted
    rc, text, _ = run(capsys, "retrieve", letter, "-k", "2")
    assert rc == 0 and text.startswith(" 1. ")


def test_extract_json_has_the_documented_keys(capsys) -> None:
    rc, out, _ = run(capsys, "extract", str(EXAMPLES[0] / "letter.txt"), "--format", "json")
    assert rc == 0
    assert set(json.loads(out)) == {
        "insurer",
        "plan_type",
        "member_id",
        "program_member_id",
        "claim_number",
        "letter_date",
        "service_dates",
        "cpt_codes",
        "hcpcs_codes",
        "icd10_codes",
        "denial_categories",
        "criteria",
        "groups",
        "appeal_deadline",
        "expedited_available",
        "peer_to_peer_offered",
        "reviewer",
        "requested",
        "plan_sponsor",
        "policy",
        "policy_section",
        "peer_to_peer_phone",
        "peer_to_peer_window",
        "appeal_address",
        "appeal_fax",
        "appeal_portal",
        "appeal_window",
        "expedited_route",
        "expedited_fax",
        "service_start",
        "service_end",
        "level_of_care",
        "preferred_alternatives",
        "records_reviewed",
        "records_through",
        "appeal_level",
        "next_level_due",
        "service_change",
        "increase",
        "ground",
        "items",
        "warnings",
        "appeal",
    }


BAD = ROOT / "tests" / "fixtures" / "bad_inputs"


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("no_text_layer.pdf", "text layer"),
        ("bad_encoding.txt", "encoding"),
        ("does-not-exist.txt", "not found"),
    ],
)
def test_bad_letters_get_one_line_and_exit_2(capsys, name: str, needle: str) -> None:
    rc, out, err = run(capsys, "extract", str(BAD / name))
    assert rc == 2
    assert out == ""
    assert err.count("\n") == 1 and needle in err.lower(), err


def test_oversized_letter_is_refused(capsys, tmp_path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("a" * (2 * 1024 * 1024 + 1))
    rc, _, err = run(capsys, "extract", str(big))
    assert rc == 2 and err.count("\n") == 1 and "2 MB" in err


@pytest.mark.parametrize(
    ("content", "needle"),
    [("patient: {nme: x}", "patient.nme"), ("a: [", "not valid YAML"), ("- 1", "mapping")],
)
def test_bad_case_files_get_one_line(capsys, tmp_path, content: str, needle: str) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(content)
    rc, _, err = run(capsys, "draft", str(EXAMPLES[0] / "letter.txt"), "--case", str(case))
    assert rc == 2 and err.count("\n") == 1 and needle in err


def test_usage_errors_are_one_line(capsys) -> None:
    rc, _, err = run(capsys, "draft", "x.txt", "--case", "y.yaml", "--format", "pdf")
    assert rc == 2 and err.count("\n") == 1


@pytest.mark.parametrize(
    "args",
    [
        ("log", "--format", "xml"),
        ("eval", "compare", "a", "b", "--format", "xml"),
        ("retrieve", "x.txt", "--format", "xml"),
        ("eval", "run", "--suite", "synthetic", "--date", "2026-13-01"),
    ],
)
def test_shared_options_are_checked_alike_in_every_command(capsys, args) -> None:
    rc, out, err = run(capsys, *args)
    assert rc == 2 and out == "" and err.count("\n") == 1
    assert ("'text', 'json'" in err) if "xml" in args else ("use the form YYYY-MM-DD" in err)


def test_extract_shows_a_prose_ground_one_field_a_line(capsys, tmp_path) -> None:
    letter = tmp_path / "notice.txt"
    letter.write_text(
        "Oakhaven Health Plan\nDate: 11/02/2026\n\nWe agree that the surgery (CPT 27447) is"
        " medically necessary. Your plan covers care from an out-of-network surgeon only when"
        " no network surgeon can do it within 45 miles, so the request is denied. You can have"
        " the surgery with an in-network orthopedic surgeon.\n",
        encoding="utf-8",
    )
    rc, out, _ = run(capsys, "extract", str(letter))
    assert rc == 0
    assert "ground: network_adequacy (necessity conceded)\n" in out
    assert "  alternative: an in-network orthopedic surgeon\n" in out


def test_allow_gaps_writes_a_review_file_next_to_the_letter(capsys, tmp_path) -> None:
    inc = ROOT / "examples" / "incomplete"
    out = tmp_path / "letter.md"
    rc, _, err = run(
        capsys, "draft", str(inc / "letter.txt"), "--case", str(inc / "case.yaml"),
        "--allow-gaps", "-o", str(out), *DATE,
    )  # fmt: skip
    assert rc == 0, err
    review = (tmp_path / "letter.md.review.txt").read_text()
    assert review.startswith("Status: NOT READY TO SIGN.")
    assert "- physician.npi: " in review
    assert "NOT READY TO SIGN" in err and "letter.md.review.txt" in err
