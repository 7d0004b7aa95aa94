"""Running a suite end to end on the offline engine: files, summary, resume, errors, compare."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.engine import OfflineEngine
from pipeline.evals.cases import cases_fingerprint, load_cases, suite_path
from pipeline.evals.runner import (
    RESULTS_FILE,
    SUMMARY_FILE,
    RunConfig,
    load_results,
    new_run_dir,
    run,
)

PICK = ("syn-cpap-medicaid", "syn-timely-filing-letter-only", "syn-incomplete")
REQUIRED_KEYS = {
    "primary_category_accuracy", "field_recall", "criteria_recall", "citation_precision",
    "grounding_violations", "validator_pass_rate", "cases", "errors",
}  # fmt: skip


@pytest.fixture
def cases_file(tmp_path: Path) -> Path:
    lines = suite_path("synthetic").read_text(encoding="utf-8").splitlines()
    picked = [line for line in lines if json.loads(line)["id"] in PICK]
    path = tmp_path / "few.jsonl"
    path.write_text("\n".join(picked) + "\n", encoding="utf-8")
    return path


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    rc = main(["eval", *args])
    out, err = capsys.readouterr()
    return rc, out, err


def run_json(capsys, cases_file: Path, runs: Path, *extra: str) -> dict:
    rc, out, err = cli(
        capsys, "run", "--cases", str(cases_file), "--runs-dir", str(runs),
        "--date", "2026-11-23", "--format", "json", "--no-progress", *extra,
    )  # fmt: skip
    assert rc == 0, err
    return json.loads(out)


def only_run(runs: Path) -> Path:
    (path,) = [p for p in runs.iterdir() if p.is_dir()]
    return path


def test_a_run_writes_results_summary_and_self_contained_reports(
    capsys, cases_file: Path, tmp_path: Path
) -> None:
    runs = tmp_path / "runs"
    summary = run_json(capsys, cases_file, runs)
    assert summary.keys() >= REQUIRED_KEYS
    assert summary["cases"] == 3 and summary["errors"] == 0
    assert set(summary["field_recall"]) >= {"icd10_codes", "member_id", "claim_number"}
    assert summary["citation_precision"] == 1.0 and summary["grounding_violations"] == 0
    assert summary["scorers"]["gap_recall"]["n"] == 1  # only the incomplete case states gaps
    folder = only_run(runs)
    results = [json.loads(x) for x in (folder / RESULTS_FILE).read_text().splitlines()]
    assert sorted(r["id"] for r in results) == sorted(PICK)
    letter_only = next(r for r in results if r["id"] == "syn-timely-filing-letter-only")
    assert letter_only["output"]["markdown"] is None
    assert letter_only["scores"]["citation_precision"]["value"] is None  # skipped, no draft
    assert json.loads((folder / SUMMARY_FILE).read_text()) == summary
    html = (folder / "report.html").read_text()
    assert html.count("<svg") >= 2 and "Failures" in html
    assert not re.search(r"<script|<link|\bsrc=|\bhref=|url\(|@import", html)
    assert set(re.findall(r"https?://[^\s\"']+", html)) <= {"http://www.w3.org/2000/svg"}
    md = (folder / "report.md").read_text()
    assert "## Scores per scorer" in md and "| Primary denial category accuracy |" in md


class Interrupting(OfflineEngine):
    """The offline engine, stopped by Ctrl-C while analysing the n-th letter."""

    def __init__(self, at: int) -> None:
        self.calls, self.at = 0, at

    def analyze(self, request):
        self.calls += 1
        if self.calls == self.at:
            raise KeyboardInterrupt
        return super().analyze(request)


class Failing(OfflineEngine):
    """The offline engine with a bug on letters that mention a word."""

    def __init__(self, word: str) -> None:
        self.word = word

    def analyze(self, request):
        if self.word in request.letter.text:
            raise RuntimeError("secret letter text must not be recorded")
        return super().analyze(request)


def config_for(path: Path) -> RunConfig:
    cases = load_cases(path)
    return RunConfig(
        suite="few", cases_file=str(path), fingerprint=cases_fingerprint(cases),
        date=dt.date(2026, 11, 23),
    )  # fmt: skip


def test_an_interrupted_run_resumes_without_losing_or_repeating_cases(
    capsys, cases_file: Path, tmp_path: Path
) -> None:
    runs = tmp_path / "runs"
    config = config_for(cases_file)
    folder = new_run_dir(config, runs)
    with pytest.raises(KeyboardInterrupt):
        run(load_cases(cases_file), config, run_dir=folder, engine=Interrupting(2), progress=False)
    assert "resume it with: lmn eval run --resume" in capsys.readouterr().err
    assert len(load_results(folder)) == 1 and not (folder / SUMMARY_FILE).exists()
    with open(folder / RESULTS_FILE, "a", encoding="utf-8") as fh:
        fh.write('{"id": "syn-incomplete", "source": "synth')  # torn by the interruption
    rc, _, err = cli(
        capsys, "run", "--cases", str(cases_file), "--runs-dir", str(runs),
        "--date", "2026-11-23", "--no-progress",
    )  # fmt: skip
    assert rc == 0 and "resuming the unfinished run" in err
    assert only_run(runs) == folder
    ids = [json.loads(x)["id"] for x in (folder / RESULTS_FILE).read_text().splitlines()]
    assert sorted(ids) == sorted(PICK)
    assert json.loads((folder / SUMMARY_FILE).read_text())["cases"] == 3


def test_a_failing_case_is_recorded_without_its_text_and_rerun_on_resume(
    capsys, cases_file: Path, tmp_path: Path
) -> None:
    config = config_for(cases_file)
    folder = new_run_dir(config, tmp_path / "runs")
    summary = run(
        load_cases(cases_file), config, run_dir=folder, engine=Failing("CO-29"), progress=False
    )
    assert summary["errors"] == 1 and summary["error_cases"] == ["syn-timely-filing-letter-only"]
    failed = next(r for r in load_results(folder) if r.failed)
    assert failed.output.error.startswith("extract: RuntimeError at ")
    assert "secret" not in (folder / RESULTS_FILE).read_text()
    assert "| syn-timely-filing-letter-only | error |" in (folder / "report.md").read_text()
    rc, out, _ = cli(capsys, "run", "--resume", str(folder), "--format", "json", "--no-progress")
    assert rc == 0 and json.loads(out)["errors"] == 0
    assert len((folder / RESULTS_FILE).read_text().splitlines()) == 3


def test_compare_shows_deltas_and_changed_cases(capsys, cases_file: Path, tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    run_json(capsys, cases_file, runs)
    a = only_run(runs)
    b = runs / "b"
    shutil.copytree(a, b)
    # Make B worse on one case's category, as a regressed prompt would.
    lines = (b / RESULTS_FILE).read_text().splitlines()
    rows = [json.loads(x) for x in lines]
    target = next(r for r in rows if r["id"] == "syn-cpap-medicaid")
    target["scores"]["primary_category"]["value"] = 0.0
    (b / RESULTS_FILE).write_text("".join(json.dumps(r) + "\n" for r in rows))
    summary = json.loads((b / SUMMARY_FILE).read_text())
    before = summary["scorers"]["primary_category"]["value"]
    summary["scorers"]["primary_category"]["value"] = round(before - 1 / 3, 4)
    (b / SUMMARY_FILE).write_text(json.dumps(summary))
    rc, out, _ = cli(capsys, "compare", str(a), str(b), "--format", "json")
    assert rc == 0
    result = json.loads(out)
    row = next(s for s in result["scorers"] if s["scorer"] == "primary_category")
    assert row["change"] == "worse" and row["delta"] == round(-1 / 3, 4)
    assert result["changed_cases"] == [
        {"case": "syn-cpap-medicaid", "scorer": "primary_category", "a": 1.0, "b": 0.0,
         "change": "worse", "why": target["scores"]["primary_category"]["explanation"]}
    ]  # fmt: skip
    rc, text, _ = cli(capsys, "compare", str(a), str(b))
    assert "primary_category" in text and "-0.333" in text and "cases that changed: 1" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("run",), "give exactly one of --suite NAME or --cases FILE"),
        (("run", "--suite", "nope"), "no such suite"),
        (("run", "--suite", "synthetic", "--prompt", "draft_sections@v1"), "offline engine"),
        (("run", "--suite", "synthetic", "--date", "tomorrow"), "YYYY-MM-DD"),
        (("compare", "nowhere-a", "nowhere-b"), "no such run folder"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(capsys, tmp_path: Path, args, message) -> None:
    rc, _, err = cli(capsys, *args, *(("--runs-dir", str(tmp_path)) if args[0] == "run" else ()))
    assert rc == 2 and message in err and len(err.strip().splitlines()) == 1


def test_resume_refuses_contradicting_options_and_compare_refuses_unfinished_runs(
    capsys, cases_file: Path, tmp_path: Path
) -> None:
    folder = new_run_dir(config_for(cases_file), tmp_path / "runs")
    rc, _, err = cli(capsys, "run", "--resume", str(folder), "-k", "3")
    assert rc == 2 and "the run was started with 6" in err
    rc, _, err = cli(capsys, "compare", str(folder), str(folder))
    assert rc == 2 and "unfinished" in err
