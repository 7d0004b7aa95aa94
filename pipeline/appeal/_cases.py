"""Appeal tracking: a local SQLite database of cases in the user data folder.

One row per denial: its analysis (what the letter says: ids, dates, codes, criteria), the spec
program and the bodies the letter names, the dates that have happened (request sent, appeal sent,
final denial, escalation filed) and a status. Deadlines are not stored: they are computed from
the plan-type spec each time, so a corrected spec corrects every case. The letter's text is kept
only when asked (``keep_text``). The file is created with mode 0600.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ..errors import InputError
from ..models import DenialAnalysis
from ._schedule import AppealSchedule, Deadline, Events, named_body, schedule
from ._specs import plan_spec

DB_ENV = "LMN_CASES_DB"
Track = Literal["standard", "expedited", "post_service"]
Status = Literal["open", "request_sent", "appeal_sent", "decision_due", "decided", "escalated"]
STATUSES: tuple[Status, ...] = (
    "open",
    "request_sent",
    "appeal_sent",
    "decision_due",
    "decided",
    "escalated",
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cases (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    created TEXT NOT NULL,
    status TEXT NOT NULL,
    analysis TEXT NOT NULL,
    program TEXT NOT NULL,
    bodies TEXT NOT NULL,
    events TEXT NOT NULL,
    track TEXT NOT NULL DEFAULT 'standard',
    note TEXT,
    letter_sha256 TEXT,
    letter_text TEXT
)
"""


def db_path() -> Path:
    """``$LMN_CASES_DB`` if set, else ``cases.sqlite3`` in the user data folder."""
    override = os.environ.get(DB_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_data_path("lmn") / "cases.sqlite3"


class Case(BaseModel):
    """A tracked appeal."""

    id: int
    label: str
    """What the user calls the case (default: the plan and the claim number)."""
    created: dt.date
    status: Status
    analysis: DenialAnalysis
    program: str
    bodies: dict[str, str] = Field(default_factory=dict)
    events: Events
    track: Track = "standard"
    """Which decision clock applies: standard (pre-service), expedited or post-service."""
    note: str | None = None
    letter_sha256: str | None = None
    letter_text: str | None = None
    """The denial's text, only when the user asked to keep it."""

    def plan(self) -> AppealSchedule:
        """The appeal's deadlines as of the case's events."""
        return schedule(self.analysis, events=self.events, program=self.program, bodies=self.bodies)

    def open_deadlines(self) -> list[Deadline]:
        """The dated deadlines that still matter, in date order: a level's filing deadline until
        it is filed, its decision clock (the case's track) until it is decided."""
        kept = []
        for d in self.plan().dated():
            level, _, what = d.key.partition(".")
            if what == "filing" and level in self.events.filed:
                continue
            if what.startswith("decision.") and (
                what != f"decision.{self.track}" or level in self.events.decided
            ):
                continue
            kept.append(d)
        return kept


@contextmanager
def connect(path: Path | None = None) -> Iterator[sqlite3.Connection]:
    """The cases database, created (mode 0600, folder 0700) on first use."""
    path = path or db_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
        os.chmod(path, 0o600)
    except OSError as exc:
        raise InputError(f"{path}: cannot create the cases database ({exc.strerror})") from None
    with closing(sqlite3.connect(path)) as conn:
        conn.row_factory = sqlite3.Row
        conn.execute(_SCHEMA)
        with conn:
            yield conn


def _case(row: sqlite3.Row) -> Case:
    return Case(
        id=row["id"],
        label=row["label"],
        created=dt.date.fromisoformat(row["created"]),
        status=row["status"],
        analysis=DenialAnalysis.model_validate_json(row["analysis"]),
        program=row["program"],
        bodies=json.loads(row["bodies"]),
        events=Events.model_validate_json(row["events"]),
        track=row["track"],
        note=row["note"],
        letter_sha256=row["letter_sha256"],
        letter_text=row["letter_text"],
    )


def add_case(
    analysis: DenialAnalysis,
    text: str,
    sha256: str | None,
    *,
    label: str | None = None,
    keep_text: bool = False,
    track: Track = "standard",
    today: dt.date,
    path: Path | None = None,
) -> Case:
    """Track a denial; returns the new case."""
    spec = plan_spec(analysis.plan_type).for_letter(text)
    keys = [spec.internal_appeal.key, *(lv.key for lv in spec.next_levels)]
    bodies = {k: b for k in keys if (b := named_body(text, k))}
    label = label or " ".join(v for v in (analysis.insurer, analysis.claim_number) if v) or "case"
    events = Events(notice=analysis.letter_date)
    with connect(path) as conn:
        cur = conn.execute(
            "INSERT INTO cases (label, created, status, analysis, program, bodies, events, "
            "track, letter_sha256, letter_text) VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?, ?)",
            (
                label,
                today.isoformat(),
                analysis.model_dump_json(),
                spec.key,
                json.dumps(bodies),
                events.model_dump_json(),
                track,
                sha256,
                text if keep_text else None,
            ),
        )
        case_id = cur.lastrowid
    return get_case(int(case_id or 0), path)


def get_case(case_id: int, path: Path | None = None) -> Case:
    """The case with ``case_id``; InputError when there is none."""
    with connect(path) as conn:
        row = conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
    if row is None:
        raise InputError(f"case {case_id}: no such case; `lmn cases list` shows the ids")
    return _case(row)


def list_cases(path: Path | None = None) -> list[Case]:
    """Every tracked case, oldest first."""
    with connect(path) as conn:
        return [_case(r) for r in conn.execute("SELECT * FROM cases ORDER BY id")]


def update_case(
    case_id: int,
    *,
    status: Status | None = None,
    request_sent: dt.date | None = None,
    appeal_sent: dt.date | None = None,
    final_denial: dt.date | None = None,
    escalated: dt.date | None = None,
    track: Track | None = None,
    note: str | None = None,
    path: Path | None = None,
) -> Case:
    """Record what happened; the status follows the latest step unless ``status`` is given."""
    case = get_case(case_id, path)
    events = case.events.model_copy(deep=True)
    plan = case.plan()
    inferred: Status = case.status
    if request_sent:
        events.filed["records_request"] = request_sent
        inferred = "request_sent"
    if appeal_sent:
        events.filed[plan.internal.key] = appeal_sent
        inferred = "appeal_sent"
    if final_denial:
        events.final_notice = final_denial
        events.decided[plan.internal.key] = final_denial
        inferred = "decided"
    if escalated:
        events.filed[plan.next_level.key] = escalated
        inferred = "escalated"
    with connect(path) as conn:
        conn.execute(
            "UPDATE cases SET status = ?, events = ?, track = ?, note = COALESCE(?, note) "
            "WHERE id = ?",
            (status or inferred, events.model_dump_json(), track or case.track, note, case_id),
        )
    return get_case(case_id, path)


def next_deadline(case: Case, today: dt.date) -> Deadline | None:
    """The nearest open deadline on or after ``today``."""
    return next((d for d in case.open_deadlines() if d.due and d.due >= today), None)


class CaseRow(BaseModel):
    """One tracked appeal as a list shows it: no patient field, no letter text."""

    id: int
    label: str
    status: Status
    plan_type: str
    next_what: str | None = None
    next_due: dt.date | None = None
    days_left: int | None = None


def case_rows(today: dt.date, path: Path | None = None) -> list[CaseRow]:
    """Every tracked case with its next open deadline (none when the database does not exist:
    listing cases never creates it)."""
    if not (path or db_path()).exists():
        return []
    rows = []
    for case in list_cases(path):
        nxt = next_deadline(case, today)
        rows.append(
            CaseRow(
                id=case.id,
                label=case.label,
                status=case.status,
                plan_type=case.analysis.plan_type.value,
                next_what=nxt.what if nxt else None,
                next_due=nxt.due if nxt else None,
                days_left=(nxt.due - today).days if nxt and nxt.due else None,
            )
        )
    return rows


def cases_html(rows: list[CaseRow]) -> str:
    """A minimal HTML page listing ``rows`` (every value escaped; no script)."""
    from html import escape

    body = "".join(
        f"<tr><td>{r.id}</td><td>{escape(r.label)}</td><td>{escape(r.status)}</td>"
        f"<td>{escape(r.plan_type)}</td><td>{r.next_due or ''}</td>"
        f"<td>{escape(r.next_what or 'no open deadline')}</td></tr>"
        for r in rows
    )
    empty = "" if rows else "<p>No cases yet: add one with <code>lmn cases add LETTER</code>.</p>"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Appeals - lmn</title></head><body><h1>Tracked appeals</h1>"
        f"{empty}<table><thead><tr><th>Id</th><th>Case</th><th>Status</th><th>Plan type</th>"
        f"<th>Next deadline</th><th>What</th></tr></thead><tbody>{body}</tbody></table>"
        '<p><a href="/">Back to the letter</a></p></body></html>'
    )
