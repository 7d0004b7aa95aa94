"""The two notebooks run top to bottom on the offline engine (as CI runs them)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

from pipeline.cli import main

from .conftest import ROOT


def execute(name: str, tmp_path: Path, monkeypatch) -> list[str]:
    """Run a notebook in a fresh kernel; the text of every code cell's output."""
    monkeypatch.setenv("LMN_ENGINE", "offline")
    notebook = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()  # fmt: skip
    return [
        "".join(o.get("text", "") for o in cell.get("outputs", []))
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]


def test_explore_run_notebook_loads_a_run_and_lists_failures(tmp_path, monkeypatch) -> None:
    runs = tmp_path / "runs"
    args = ["eval", "run", "--suite", "synthetic", "--limit", "5", "--runs-dir", str(runs),
            "--date", "2026-11-23", "--no-progress", "--format", "json"]  # fmt: skip
    assert main(args) == 0
    (run_dir,) = runs.iterdir()
    monkeypatch.setenv("LMN_EVAL_RUN", str(run_dir))
    outputs = execute("explore_run.ipynb", tmp_path, monkeypatch)
    assert outputs[0] == f"run {run_dir.name}: 5 cases, 0 errors, engine offline\n"
    assert "primary_category_accuracy:" in outputs[1]
    assert "right" in outputs[2]
    assert outputs[3].startswith("{")  # failures counted by scorer
    assert "retrieved:" in outputs[4] and "primary_category" in outputs[4]


def test_prompt_tuning_notebook_renders_runs_and_validates(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("LMN_PROMPTS_DIR", raising=False)
    outputs = execute("prompt_tuning.ipynb", tmp_path, monkeypatch)
    assert "engine offline" in outputs[0]
    assert outputs[1].startswith("draft_sections v") and "--- system" in outputs[1]
    assert "validator: PASS" in outputs[2] and "error: None" in outputs[2]
    assert "citation_precision" in outputs[3]
