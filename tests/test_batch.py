"""`lmn batch`: items from folders and manifests, the worker pool, resume, the summary."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
import threading
from pathlib import Path

import pytest

from pipeline.batch import (
    BatchSettings,
    RateLimited,
    SharedClock,
    load_items,
    run_batch,
    summary_html,
    write_summary,
)
from pipeline.batch._run import ItemResult
from pipeline.cli import main
from pipeline.errors import InputError
from tests.conftest import ROOT

TODAY = dt.date(2026, 12, 5)
TMS = ROOT / "examples" / "tms-erisa"
CPAP = ROOT / "examples" / "cpap-medicaid"
INCOMPLETE = ROOT / "examples" / "incomplete"


def _copy(example: Path, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(example / "letter.txt", folder / f"{name}.txt")
    shutil.copy(example / "case.yaml", folder / f"{name}.case.yaml")


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --------------------------------------------------------------------------- items


def test_a_folder_gives_flat_pairs_subfolders_and_a_row_for_a_letter_without_case(tmp_path):
    _copy(TMS, tmp_path, "tms")
    (tmp_path / "orphan.txt").write_text("Denied.", encoding="utf-8")
    sub = tmp_path / "cpap"
    sub.mkdir()
    shutil.copy(CPAP / "letter.txt", sub / "letter.txt")
    shutil.copy(CPAP / "case.yaml", sub / "case.yaml")
    (tmp_path / "notes").mkdir()  # no letter inside: not an item
    items = {i.id: i for i in load_items(tmp_path)}
    assert set(items) == {"tms", "orphan", "cpap"}
    assert items["tms"].case == tmp_path / "tms.case.yaml" and items["tms"].problem is None
    assert items["cpap"].letter == sub / "letter.txt"
    assert "add orphan.case.yaml" in (items["orphan"].problem or "")


def test_a_manifest_row_that_is_wrong_is_an_item_with_its_problem(tmp_path):
    manifest = tmp_path / "queue.csv"
    manifest.write_text(
        "letter,case,date\n"
        f"{TMS}/letter.txt,{TMS}/case.yaml,2026-12-01\n"
        f"{CPAP}/letter.txt,{CPAP}/case.yaml,\n"
        f"missing.txt,{CPAP}/case.yaml,\n"
        f"{CPAP}/letter.txt,{CPAP}/case.yaml,not-a-date\n"
        f"{CPAP}/letter.txt,{CPAP}/case.yaml,\n",
        encoding="utf-8",
    )
    items = load_items(manifest)
    ids = [i.id for i in items]
    assert ids == ["tms-erisa", "cpap-medicaid", "missing", "line-5", "cpap-medicaid-2"]
    assert items[0].date == dt.date(2026, 12, 1) and items[0].problem is None
    assert "missing.txt not found" in (items[2].problem or "")
    assert "line 5: date" in (items[3].problem or "")


def test_a_jsonl_manifest_reads_relative_paths_and_reports_unknown_keys(tmp_path):
    _copy(TMS, tmp_path / "in", "a")
    manifest = tmp_path / "queue.jsonl"
    rows = [
        {"id": "first", "letter": "in/a.txt", "case": "in/a.case.yaml", "k": 4},
        {"letter": "in/a.txt", "case": "in/a.case.yaml", "urgent": True},
    ]
    manifest.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n", encoding="utf-8")
    items = load_items(manifest)
    assert items[0].id == "first" and items[0].k == 4 and items[0].letter == tmp_path / "in/a.txt"
    assert "urgent: unknown field" in (items[1].problem or "")
    assert "not a JSON object" in (items[2].problem or "")


@pytest.mark.parametrize("name", ["empty", "nothing.csv", "table.xlsx"])
def test_a_source_that_is_not_a_batch_is_refused(tmp_path, name):
    path = tmp_path / name
    if name == "empty":
        path.mkdir()
    elif name == "table.xlsx":
        path.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError):
        load_items(path)


# --------------------------------------------------------------------------- running


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    _copy(TMS, folder, "tms")
    _copy(CPAP, folder, "cpap")
    _copy(INCOMPLETE, folder, "incomplete")
    (folder / "orphan.txt").write_text("Denied.", encoding="utf-8")
    (folder / "broken.txt").write_text((TMS / "letter.txt").read_text(), encoding="utf-8")
    (folder / "broken.case.yaml").write_text("patient: [unclosed", encoding="utf-8")
    return folder


def test_a_batch_drafts_every_item_and_a_bad_item_is_a_row(inputs, tmp_path):
    before = _digest(inputs)
    out = tmp_path / "out"
    run = run_batch(load_items(inputs), BatchSettings(out=out, date=TODAY))
    by_id = {r.id: r for r in run.results}
    assert {i: r.status for i, r in by_id.items()} == {
        "broken": "failed",
        "cpap": "passed",
        "incomplete": "gaps",
        "orphan": "failed",
        "tms": "passed",
    }
    assert "broken.case.yaml" in by_id["broken"].message
    tms = out / "items" / "tms"
    assert (tms / "letter.md").read_text().startswith("#") or "Medical Necessity" in (
        tms / "letter.md"
    ).read_text()
    assert json.loads((tms / "draft.json").read_text())["analysis"]["claim_number"]
    assert (tms / "gaps.txt").read_text() == "none\n"
    gaps = (out / "items" / "incomplete" / "gaps.txt").read_text().splitlines()
    assert len(gaps) == len(by_id["incomplete"].gaps) > 0
    assert by_id["tms"].deadline is not None and by_id["tms"].claim_number
    assert _digest(inputs) == before  # nothing given is touched
    state = json.loads((out / "state.json").read_text())
    assert state["complete"] and state["finished"] == 5 and state["counts"]["failed"] == 2


def test_the_summary_lists_deadlines_soonest_first_with_the_gaps(inputs, tmp_path):
    out = tmp_path / "out"
    run = run_batch(load_items(inputs), BatchSettings(out=out, date=TODAY))
    csv_path, html_path = write_summary(out, run.results, TODAY)
    rows = list(csv.DictReader(csv_path.read_text().splitlines()))
    deadlines = [r["deadline"] for r in rows if r["deadline"]]
    assert deadlines == sorted(deadlines) and len(deadlines) == 3
    assert [r["deadline"] for r in rows[len(deadlines) :]] == ["", ""]  # no deadline: last
    incomplete = next(r for r in rows if r["id"] == "incomplete")
    assert incomplete["gaps_to_fill"] and int(incomplete["gaps"]) > 0
    page = html_path.read_text()
    assert "<script" not in page and "http" not in page  # self-contained
    assert page.index(">cpap<") < page.index(">tms<")  # cpap's deadline is sooner
    assert "physician.npi" in page and 'href="items/tms/letter.md"' in page


def test_summary_escapes_what_the_inputs_say():
    result = ItemResult(id="x", status="failed", message="<img src=x onerror=alert(1)>")
    page = summary_html([result], TODAY)
    assert "<img" not in page and "&lt;img" in page


def test_a_rerun_drafts_only_new_changed_and_retryable_items(inputs, tmp_path):
    out = tmp_path / "out"
    settings = BatchSettings(out=out, date=TODAY)
    first = run_batch(load_items(inputs), settings)
    assert first.reused == 0
    again = run_batch(load_items(inputs), settings)
    assert again.reused == 5 and [r.status for r in again.results] == [
        r.status for r in first.results
    ]
    # a changed case file and a result marked for retry are drafted again
    (inputs / "broken.case.yaml").write_text((TMS / "case.yaml").read_text(), encoding="utf-8")
    result_file = out / "items" / "cpap" / "result.json"
    marked = json.loads(result_file.read_text()) | {"retry": True}
    result_file.write_text(json.dumps(marked))
    third = run_batch(load_items(inputs), settings)
    assert third.reused == 3
    assert {r.id: r.status for r in third.results}["broken"] == "passed"


def test_an_interrupted_batch_resumes_without_redoing_finished_items(inputs, tmp_path):
    out = tmp_path / "out"
    settings = BatchSettings(out=out, date=TODAY)
    seen: list[str] = []

    def stop_after_two(result, run) -> None:
        seen.append(result.id)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(load_items(inputs), settings, on_result=stop_after_two)
    state = json.loads((out / "state.json").read_text())
    assert state["finished"] == 2 and not state["complete"]
    rest = run_batch(load_items(inputs), settings)
    assert rest.reused == 2 and len(rest.results) == 5


def test_an_output_folder_that_holds_other_files_or_the_inputs_is_refused(inputs, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "mine.txt").write_text("keep me")
    with pytest.raises(InputError, match="not a batch folder"):
        run_batch(load_items(inputs), BatchSettings(out=other))
    with pytest.raises(InputError, match="inside the input folder"):
        run_batch(load_items(inputs), BatchSettings(out=inputs / "out"), source=str(inputs))
    out = tmp_path / "out"
    run_batch(load_items(inputs)[:1], BatchSettings(out=out))
    _copy(TMS, out / "extra", "tms")
    with pytest.raises(InputError, match="inside the output folder"):
        run_batch(load_items(out / "extra"), BatchSettings(out=out))
    assert (other / "mine.txt").read_text() == "keep me"


def test_the_command_runs_a_pool_and_its_exit_status_says_whether_all_passed(tmp_path, capsys):
    good = tmp_path / "good"
    _copy(TMS, good, "tms")
    _copy(CPAP, good, "cpap")
    out = tmp_path / "out"
    assert main(["batch", str(good), "-o", str(out), "-j", "2", "--date", "2026-12-05"]) == 0
    err = capsys.readouterr().err
    assert "2 letter(s): 2 passed" in err and (out / "summary.html").is_file()
    _copy(INCOMPLETE, good, "incomplete")
    assert main(["batch", str(good), "-o", str(out), "-j", "2", "--date", "2026-12-05"]) == 3
    assert "2 finished earlier" in capsys.readouterr().err
    (good / "x.txt").write_text("Denied.")
    assert main(["batch", str(good), "-o", str(out), "-j", "1", "--date", "2026-12-05"]) == 4


# --------------------------------------------------------------------------- the rate limit


def test_the_shared_clock_spaces_calls_across_callers():
    from multiprocessing import get_context

    slot = get_context("spawn").Value("d", 0.0)
    clock = SharedClock(slot, 0.05)
    waits: list[float] = []
    threads = [threading.Thread(target=lambda: waits.append(clock.wait())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(round(w / 0.05) for w in waits) == [0, 1, 2, 3]


def test_a_rate_limited_engine_waits_before_each_call_and_answers_as_the_engine():
    from pipeline.engines.offline import OfflineEngine
    from pipeline.pipeline import Pipeline

    class Counting(SharedClock):
        calls = 0

        def wait(self) -> float:
            Counting.calls += 1
            return 0.0

    from multiprocessing import get_context

    engine = RateLimited(OfflineEngine(), Counting(get_context("spawn").Value("d", 0.0), 1.0))
    assert engine.name == "offline" and not engine.checked
    from pipeline.casefile import load_case
    from pipeline.ingest import ingest

    draft = Pipeline(engine).draft(
        ingest(TMS / "letter.txt"), load_case(TMS / "case.yaml"), today=TODAY
    )
    assert draft.validation is not None and draft.validation.ok
    assert Counting.calls == 2  # analyze, argue


# --------------------------------------------------------------------------- a model engine


def test_a_model_batch_drafts_through_the_endpoint_with_threads_under_a_rate(
    server, tmp_path, monkeypatch
):
    from pipeline.batch import _run
    from tests.test_fault_run import CONFIG, RandomFaults

    config = tmp_path / "config.toml"
    config.write_text("".join(f"{k} = {v}\n" for k, v in CONFIG.items()), encoding="utf-8")
    monkeypatch.setenv("LMN_CONFIG", str(config))
    server.responder = RandomFaults(seed=1)  # rate 0: every answer is a capable model's
    made: list[str] = []
    real_init = _run._init_worker

    def init(*args):  # record where each worker lives
        made.append(threading.current_thread().name)
        real_init(*args)

    monkeypatch.setattr(_run, "_init_worker", init)
    folder = tmp_path / "in"
    _copy(TMS, folder, "tms")
    _copy(CPAP, folder, "cpap")
    settings = BatchSettings(
        out=tmp_path / "out", engine="openai", base_url=server.base_url, date=TODAY, rate=6000
    )
    run = run_batch(load_items(folder), settings, jobs=2)
    assert {r.status for r in run.results} <= {"passed", "gaps"} and len(run.results) == 2
    assert len(server.requests) >= 4  # an extraction and the sections, per letter
    assert made and all(name.startswith("ThreadPoolExecutor") for name in made)
    for r in run.results:
        assert (tmp_path / "out" / "items" / r.id / "letter.md").is_file()


def test_ctrl_c_writes_the_summary_of_what_finished_and_exits_130(tmp_path, capsys, monkeypatch):
    from pipeline import cli

    good = tmp_path / "good"
    _copy(TMS, good, "tms")
    _copy(CPAP, good, "cpap")
    out = tmp_path / "out"

    def interrupt(self, result, run) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli._BatchProgress, "__call__", interrupt)
    assert main(["batch", str(good), "-o", str(out), "-j", "1", "--date", "2026-12-05"]) == 130
    assert "1 of 2 letter(s) finished" in capsys.readouterr().err
    rows = list(csv.DictReader((out / "summary.csv").read_text().splitlines()))
    assert len(rows) == 1
    monkeypatch.undo()
    assert main(["batch", str(good), "-o", str(out), "-j", "1", "--date", "2026-12-05"]) == 0
    assert "1 finished earlier" in capsys.readouterr().err


def test_an_earlier_batch_folder_is_not_mixed_with_another_source(tmp_path, capsys):
    first, second = tmp_path / "first", tmp_path / "second"
    _copy(TMS, first, "tms")
    _copy(CPAP, second, "cpap")
    out = tmp_path / "out"
    assert main(["batch", str(first), "-o", str(out), "-j", "1", "--date", "2026-12-05"]) == 0
    capsys.readouterr()
    assert main(["batch", str(second), "-o", str(out), "-j", "1"]) == 2
    err = capsys.readouterr().err
    assert "holds the batch of" in err and str(first.resolve()) in err
    assert not (out / "items" / "cpap").exists()
