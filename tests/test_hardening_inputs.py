"""Issue 14, defects 6, 8, 9, 10 and 11: normalized case text, ASCII-only codes, plausible
dates, no-clobber output, one-line errors, and contexts that are never taken on trust."""

from __future__ import annotations

import errno
import json
import os
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pipeline import fileio
from pipeline.casefile import parse_case
from pipeline.cli import main
from pipeline.codes import CPT_RE, NPI_RE, npi_is_valid
from pipeline.errors import InputError
from pipeline.evidence import MAX_ARGUMENT_CHARS, write_argument
from pipeline.extract import extract
from pipeline.ingest import ingest, ingest_text, normalize_text
from pipeline.models import CaseFacts, Draft
from pipeline.seal import is_sealed
from pipeline.validate import FindingCode, validate, validate_markdown
from pipeline.web import create_app
from pipeline.web.export import to_pdf

from .conftest import LOCAL, ROOT

TKA = ROOT / "examples" / "tka-aca"
DATE = "2026-12-05"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def one_line(err: str) -> bool:
    return err.count("\n") == 1 and "Traceback" not in err and "internal error" not in err


@pytest.fixture(scope="module")
def tka_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tka") / "draft.json"
    rc = main(
        [
            "draft",
            str(TKA / "letter.txt"),
            "-c",
            str(TKA / "case.yaml"),
            "-f",
            "json",
            "-o",
            str(out),
            "--date",
            DATE,
        ]
    )
    assert rc == 0
    return out


# --------------------------------------------------------------------------- defect 8


def test_case_text_is_normalized_once_at_the_boundary() -> None:
    case = CaseFacts.model_validate(
        {
            "patient": {"name": "Har\u202eold\x00 Lind\u200bqvist"},
            "physician": {"npi": "\uff11\uff12\uff16\uff13\uff16\uff17\uff10\uff19\uff18\uff10"},
            "clinical_summary": "NRS \u0668/10",
        }
    )
    assert case.patient.name == "Harold Lindqvist"
    assert case.physician.npi == "1263670980"
    assert case.clinical_summary == "NRS 8/10"


def test_letter_text_folds_digits_of_every_script() -> None:
    assert normalize_text("CPT \u0662\u0667\u0664\u0664\u0667") == "CPT 27447"


@pytest.mark.parametrize(
    "text", ["\u0661\u0662\u0666\u0663\u0666\u0667\u0660\u0669\u0668\u0660", "１２６３６７０９８０"]
)
def test_codes_and_npis_accept_ascii_digits_only(text: str) -> None:
    assert not npi_is_valid(text)
    assert not NPI_RE.search(text)
    assert not CPT_RE.search(text[:5])


def test_an_npi_in_other_digits_in_a_letter_is_not_valid(tka_json: Path) -> None:
    draft = Draft.model_validate_json(tka_json.read_bytes())
    arabic = "".join(chr(0x0660 + int(d)) for d in "1263670980")
    report = validate_markdown(draft.markdown.replace("1263670980", arabic), draft)
    assert {f.code for f in report.errors} & {FindingCode.NPI_MISSING, FindingCode.NPI_INVALID}


# --------------------------------------------------------------------------- defect 9


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("patient: {date_of_birth: 2099-01-01}", "date of birth is in the future"),
        ("patient: {date_of_birth: 0001-01-01}", "plausible date"),
        (
            "prior_treatments: [{name: x, start: 2026-05-01, end: 2026-01-01}]",
            "ends before it starts",
        ),
        ("objective_findings: [{name: x, value: '1', date: 9999-12-31}]", "plausible date"),
    ],
)
def test_implausible_case_dates_are_one_line_errors(text: str, needle: str) -> None:
    with pytest.raises(InputError, match=needle) as err:
        parse_case(text)
    assert "\n" not in str(err.value)


def test_a_letter_dated_9999_does_not_crash(tmp_path: Path, capsys) -> None:
    text = (TKA / "letter.txt").read_text().replace("November 4, 2026", "December 31, 9999")
    letter = ingest_text(text)
    assert extract(letter).letter_date is None
    path = tmp_path / "letter.txt"
    path.write_text(text)
    rc, _, err = run(capsys, "extract", str(path))
    assert rc == 0, err


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01"])
def test_an_implausible_date_option_is_one_line(capsys, date: str) -> None:
    rc, _, err = run(
        capsys, "draft", str(TKA / "letter.txt"), "-c", str(TKA / "case.yaml"), "--date", date
    )
    assert rc == 2 and one_line(err) and "plausible" in err


# --------------------------------------------------------------------------- defect 10


def test_a_dangling_symlink_is_not_replaced_without_force(tmp_path: Path, capsys) -> None:
    link = tmp_path / "out.md"
    link.symlink_to(tmp_path / "nowhere" / "target.md")
    rc, _, err = run(
        capsys,
        "draft",
        str(TKA / "letter.txt"),
        "-c",
        str(TKA / "case.yaml"),
        "-o",
        str(link),
        "--date",
        DATE,
    )
    assert rc == 2 and "already exists" in err and one_line(err)
    assert link.is_symlink() and os.readlink(link) == str(tmp_path / "nowhere" / "target.md")


def test_concurrent_no_clobber_writes_leave_exactly_one_winner(tmp_path: Path) -> None:
    target = tmp_path / "letter.md"
    results: list[str] = []
    barrier = threading.Barrier(19)

    def write(i: int) -> None:
        barrier.wait()
        try:
            fileio.write_atomic(target, f"writer {i}\n", replace=False)
            results.append(f"ok {i}")
        except FileExistsError:
            results.append("exists")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(19)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [r for r in results if r.startswith("ok")]
    assert len(winners) == 1 and results.count("exists") == 18
    assert target.read_text() == f"writer {winners[0].split()[1]}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["letter.md"]  # no temporary left


# --------------------------------------------------------------------------- defect 11


@pytest.mark.parametrize("where", ["/", "/proc", "/proc/self/status", "/proc/new-file.md"])
def test_unwritable_outputs_are_one_line(capsys, where: str) -> None:
    args = ["draft", str(TKA / "letter.txt"), "-c", str(TKA / "case.yaml"), "--date", DATE]
    rc, _, err = run(capsys, *args, "-o", where, "--force")
    assert rc == 2 and one_line(err), err


def test_a_full_disk_is_one_line(tmp_path: Path, capsys, monkeypatch) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(fileio.os, "fsync", full)
    out = tmp_path / "letter.md"
    args = ["draft", str(TKA / "letter.txt"), "-c", str(TKA / "case.yaml"), "--date", DATE]
    rc, _, err = run(capsys, *args, "-o", str(out))
    assert rc == 2 and one_line(err) and "No space left" in err
    assert list(tmp_path.iterdir()) == []


def test_an_index_dir_that_is_a_file_is_one_line(tmp_path: Path, capsys, monkeypatch) -> None:
    afile = tmp_path / "index"
    afile.write_text("not a folder")
    monkeypatch.setenv("LMN_INDEX_DIR", str(afile))
    rc, _, err = run(capsys, "retrieve", str(TKA / "letter.txt"))
    assert rc == 2 and one_line(err) and "LMN_INDEX_DIR" in err


def test_a_clipped_argument_stays_within_its_limit() -> None:
    from pipeline.engine import ArgumentRequest

    letter = ingest(TKA / "letter.txt")
    case = CaseFacts()
    request = ArgumentRequest(analysis=extract(letter), case=case, passages=[])
    argument = write_argument(0, "word " * 2000, "nothing matches", request, None)
    assert len(argument.argument) <= MAX_ARGUMENT_CHARS


def test_a_table_cell_with_a_100_character_word_exports() -> None:
    markdown = "# Letter\n\n| Treatment | Dose |\n|---|---|\n| " + "x" * 100 + " | 5 mg |\n"
    assert to_pdf(markdown, fonts=None).startswith(b"%PDF")
    with TestClient(create_app(), base_url=LOCAL) as client:
        response = client.post("/api/export/pdf", json={"markdown": markdown})
    assert response.status_code == 200


# --------------------------------------------------------------------------- defect 6


def test_an_edited_json_context_is_refused(tka_json: Path, tmp_path: Path, capsys) -> None:
    draft = json.loads(tka_json.read_text())
    assert run(capsys, "validate", str(tka_json))[0] == 0
    # a figure the letter states under a criterion (the 6-minute walk of the physical-therapy
    # course; the BMI it used is no longer stated since the letter keeps what bears on the
    # criteria)
    edited_md = draft["markdown"].replace("290 m", "490 m")
    assert edited_md != draft["markdown"], "the letter no longer states the 6-minute walk"
    draft["markdown"] = edited_md
    draft["letter_text"] += "\n6-minute walk 490 m\n"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(draft))
    rc, _, err = run(capsys, "validate", str(edited))
    assert rc == 2 and "--letter and --case" in err and one_line(err)
    rc, out, _ = run(
        capsys,
        "validate",
        str(edited),
        "--letter",
        str(TKA / "letter.txt"),
        "--case",
        str(TKA / "case.yaml"),
    )
    assert rc == 4 and "grounding.unsupported_number" in out


def test_api_validate_refuses_a_context_the_client_changed(tka_json: Path) -> None:
    draft = json.loads(tka_json.read_text())
    with TestClient(create_app(), base_url=LOCAL) as client:
        ok = client.post("/api/validate", json={"markdown": draft["markdown"], "draft": draft})
        assert ok.status_code == 200 and ok.json()["ok"]
        draft["letter_text"] += "\nBMI 41.8\n"
        bad = client.post("/api/validate", json={"markdown": draft["markdown"], "draft": draft})
    assert bad.status_code == 400 and "draft the letter again" in bad.json()["error"]


def test_the_letters_own_date_grounds_only_itself(tka_json: Path) -> None:
    draft = Draft.model_validate_json(tka_json.read_bytes())
    assert is_sealed(draft) and validate(draft).ok
    own = "December 5, 2026"
    assert draft.markdown.count(own) == 1  # the date line
    edited = draft.markdown.replace(
        "## Consequences of denial\n\n",
        f"## Consequences of denial\n\nOn {own} he fell at work and fractured his wrist. ",
    )
    report = validate_markdown(edited, draft)
    assert any(
        f.code == FindingCode.GROUNDING_UNSUPPORTED_NUMBER and f.excerpt == own
        for f in report.errors
    ), report.errors
