"""The run log: one SQLite row per model call, in the user data folder.

Each row says which prompt (id, version, sha256 of what was sent), which model, how many tokens
went in and out, how long the call took and how it ended (``ok``, ``schema_error``, ``http_429``,
``timeout`` ...). No letter text, case field or model reply is stored unless the user turns that on
with ``LMN_RUNLOG_TEXT=1``. ``LMN_RUNLOG`` moves the database (a path) or turns the log off
(``off``). A log that cannot be written never stops a draft: a warning says so once.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import threading
from contextlib import closing
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from .errors import InputError

RUNLOG_ENV = "LMN_RUNLOG"
RUNLOG_TEXT_ENV = "LMN_RUNLOG_TEXT"
OFF_VALUES = frozenset({"off", "0", "no", "false", "none"})

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    run_id TEXT NOT NULL,
    prompt_id TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    prompt_sha256 TEXT NOT NULL,
    model TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    method TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    reask INTEGER NOT NULL,
    tokens_in INTEGER,
    tokens_out INTEGER,
    latency_ms INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    error TEXT,
    request_text TEXT,
    response_text TEXT
);
CREATE INDEX IF NOT EXISTS calls_at ON calls (at);
"""


@dataclass(frozen=True)
class CallRecord:
    """One model call as the run log keeps it."""

    run_id: str
    """Groups the calls of one draft."""
    prompt_id: str
    prompt_version: str
    prompt_sha256: str
    model: str
    endpoint: str
    """Scheme, host and port of the server (never a key or a query string)."""
    method: str
    """Structured-output mode: json_schema, function_calling or json_mode."""
    attempt: int
    """1 for the first HTTP attempt of a request, 2 for its first retry ..."""
    reask: int
    """0 for the first request, n for the n-th schema re-ask."""
    tokens_in: int | None
    tokens_out: int | None
    latency_ms: int
    outcome: str
    error: str | None = None
    """What failed, without content: an exception class and HTTP status or a schema summary."""
    request_text: str | None = None
    """The messages sent: only with LMN_RUNLOG_TEXT=1."""
    response_text: str | None = None
    """The model's reply: only with LMN_RUNLOG_TEXT=1."""
    at: str = ""
    """UTC time of the call, ISO 8601 (set when recorded)."""


def runlog_path() -> Path | None:
    """Where the log is: ``$LMN_RUNLOG``, or None when it is turned off, else the user data dir."""
    override = os.environ.get(RUNLOG_ENV)
    if override is not None and override.strip().lower() in OFF_VALUES:
        return None
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_data_path("lmn") / "runlog.sqlite3"


def text_logging_enabled() -> bool:
    """True when the user asked for prompts and replies to be stored (LMN_RUNLOG_TEXT=1)."""
    return os.environ.get(RUNLOG_TEXT_ENV, "").strip().lower() in {"1", "yes", "true", "on"}


MAX_OPEN_LOGS = 4
"""Writer connections kept open per thread (one log is the rule; tests use many)."""

_COLUMNS = tuple(f.name for f in fields(CallRecord))
_TEXT_COLUMNS = ("request_text", "response_text")

_writers = threading.local()


def _writer(path: Path) -> sqlite3.Connection:
    """This thread's open connection to the log at ``path`` (opening one costs ~2 ms a call)."""
    open_logs: dict[Path, sqlite3.Connection] = _writers.__dict__.setdefault("logs", {})
    db = open_logs.get(path)
    if db is not None:
        if path.exists():
            return db
        open_logs.pop(path).close()  # the file was moved or deleted: start a new one
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=5)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(_SCHEMA)
        db.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.Error:
        db.close()
        raise
    open_logs[path] = db
    if len(open_logs) > MAX_OPEN_LOGS:  # close the oldest
        open_logs.pop(next(iter(open_logs))).close()
    return db


_warned: set[str] = set()


def record(call: CallRecord, path: Path | None = None) -> None:
    """Append ``call`` to the log (text fields dropped unless text logging is on). Never raises."""
    target = path or runlog_path()
    if target is None:
        return
    row = asdict(call) | {"at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")}
    if not text_logging_enabled():
        row |= dict.fromkeys(_TEXT_COLUMNS)
    try:
        db = _writer(target)
        with db:
            db.execute(
                f"INSERT INTO calls ({', '.join(_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_COLUMNS))})",
                [row[c] for c in _COLUMNS],
            )
    except (OSError, sqlite3.Error) as exc:
        if str(target) not in _warned:
            _warned.add(str(target))
            log.warning("run log %s not written (%s); set LMN_RUNLOG", target, type(exc).__name__)


def recent(limit: int = 20, path: Path | None = None) -> list[CallRecord]:
    """The last ``limit`` calls, newest first (empty when there is no log yet)."""
    target = path or runlog_path()
    if target is None or not target.exists():
        return []
    try:
        with closing(sqlite3.connect(target, timeout=5)) as db:
            rows = db.execute(
                f"SELECT {', '.join(_COLUMNS)} FROM calls ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
    except sqlite3.Error as exc:
        raise InputError(
            f"{target}: not a readable run log ({type(exc).__name__}); move it away or set "
            f"{RUNLOG_ENV}"
        ) from None
    return [CallRecord(**dict(zip(_COLUMNS, row, strict=True))) for row in rows]
