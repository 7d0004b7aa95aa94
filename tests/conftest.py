"""Shared fixtures: a per-session index folder and the bundled examples."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

LOCAL = "http://127.0.0.1:8000"
"""Base URL of in-process test clients: the server accepts IP literals and localhost only."""
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(
    p.parent for p in ROOT.glob("examples/*/case.yaml") if p.parent.name != "incomplete"
)

# Never touch the user's own index: tests use a fresh one unless CI points at one.
os.environ.setdefault("LMN_INDEX_DIR", tempfile.mkdtemp(prefix="lmn-test-index-"))


def runlog_texts(path: Path) -> Iterator[tuple[str, str]]:
    """Every row of every table of the run log at ``path``, as ("run log table T", its cells
    joined). Read through SQLite, not the file's bytes: the log is in WAL mode with a writer
    connection kept open, so new rows sit in ``runlog.sqlite3-wal``, not in the file."""
    if not path.exists():
        return
    with contextlib.closing(sqlite3.connect(path)) as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                yield f"run log table {table}", " | ".join(map(str, row))


@pytest.fixture(autouse=True)
def _fresh_vectors() -> None:
    """Each test starts with no remembered vectors (``embedding.remembered``): what a test
    counts or breaks of the model's runs does not depend on which tests ran before it."""
    from pipeline import embedding

    embedding.remembered.clear()


@pytest.fixture
def server() -> Iterator[object]:
    """A fault-injection OpenAI-compatible server on 127.0.0.1 (tests/fault_server.py)."""
    from tests.fault_server import FaultServer

    fault_server = FaultServer().start()
    yield fault_server
    fault_server.stop()


@pytest.fixture
def log_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh run log for the test, with letter-text logging off."""
    from pipeline import runlog

    path = tmp_path / "runlog.sqlite3"
    monkeypatch.setenv(runlog.RUNLOG_ENV, str(path))
    monkeypatch.delenv(runlog.RUNLOG_TEXT_ENV, raising=False)
    return path
