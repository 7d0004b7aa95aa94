"""Appeal tracking in SQLite and the iCalendar file, round-tripped through icalendar's parser."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
from pathlib import Path

import pytest
from icalendar import Calendar

from pipeline.appeal._calendar import REMINDERS, calendar
from pipeline.appeal._cases import add_case, get_case, list_cases, next_deadline, update_case
from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.extract import extract_facts

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 12, 5)


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "data" / "cases.sqlite3"
    monkeypatch.setenv("LMN_CASES_DB", str(path))
    return path


def letter(name: str) -> str:
    return (ROOT / "examples" / name / "letter.txt").read_text()


def test_cases_store_no_letter_text_unless_asked_and_the_file_is_private(db: Path) -> None:
    text = letter("tms-erisa")
    plain = add_case(extract_facts(text), text, "abc", today=TODAY)
    kept = add_case(extract_facts(text), text, "abc", keep_text=True, label="TMS", today=TODAY)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert get_case(plain.id).letter_text is None and get_case(kept.id).letter_text == text
    rows = sqlite3.connect(db).execute("SELECT letter_text FROM cases ORDER BY id").fetchall()
    assert rows[0][0] is None and rows[1][0] == text
    assert [c.label for c in list_cases()] == [
        "CASCADE MUTUAL HEALTH PLAN UM-2026-1019-44821",
        "TMS",
    ]
    with pytest.raises(InputError, match="no such case"):
        get_case(99)


def test_status_and_deadlines_follow_the_events(db: Path) -> None:
    text = letter("tka-aca")
    case = add_case(extract_facts(text), text, None, today=TODAY)
    first = next_deadline(case, TODAY)
    assert case.status == "open" and first and first.due == dt.date(2027, 5, 3)
    case = update_case(case.id, appeal_sent=dt.date(2026, 12, 10))
    assert case.status == "appeal_sent"
    nxt = next_deadline(case, TODAY)
    assert nxt and nxt.key == "internal_appeal.decision.standard" and nxt.due == dt.date(2027, 1, 9)
    case = update_case(case.id, track="expedited")
    nxt = next_deadline(case, TODAY)
    assert nxt and nxt.due == dt.date(2026, 12, 13)
    case = update_case(case.id, final_denial=dt.date(2027, 1, 8))
    assert case.status == "decided"
    nxt = next_deadline(case, TODAY)
    assert nxt and nxt.key == "external_review.filing" and nxt.due == dt.date(2027, 5, 10)
    case = update_case(case.id, escalated=dt.date(2027, 1, 20), note="sent by fax")
    assert case.status == "escalated" and case.note == "sent by fax"
    assert [d.key for d in case.open_deadlines()] == ["external_review.decision.expedited"]


def test_calendar_round_trips_through_the_icalendar_parser(db: Path) -> None:
    for name in ("tka-aca", "cpap-medicaid", "brca-fehb"):
        text = letter(name)
        add_case(extract_facts(text), text, None, today=TODAY, label=name)
    update_case(2, appeal_sent=dt.date(2026, 12, 1))
    cases = list_cases()
    now = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)
    ics = calendar(cases, now=now)
    parsed = Calendar.from_ical(ics)
    events = list(parsed.walk("VEVENT"))
    expected = [(c.label, d) for c in cases for d in c.open_deadlines()]
    assert len(events) == len(expected) > 3
    for event, (label, deadline) in zip(events, expected, strict=True):
        assert event.decoded("dtstart") == deadline.due
        assert event.decoded("dtend") == deadline.due + dt.timedelta(days=1)
        assert str(event.get("summary")) == f"{label}: {deadline.what}"
        assert deadline.citation in str(event.get("description"))
        alarms = list(event.walk("VALARM"))
        assert [a.decoded("trigger") for a in alarms] == [-r for r in REMINDERS]
    uids = [str(e.get("uid")) for e in events]
    assert len(set(uids)) == len(uids)
    assert Calendar.from_ical(parsed.to_ical()).to_ical() == parsed.to_ical()
    # The Medicaid case: benefits continuation (10 days) and the plan's 30-day clock.
    medicaid = {str(e.get("summary")): e.decoded("dtstart") for e in events if "cpap" in str(e)}
    assert medicaid["cpap-medicaid: Plan appeal decided (standard)"] == dt.date(2026, 12, 31)


def test_lmn_cases_commands(db: Path, tmp_path, capsys) -> None:
    ex = str(ROOT / "examples" / "cgm-medicare-advantage" / "letter.txt")
    assert main(["cases", "add", ex, "--label", "CGM", "--date", "2026-12-05"]) == 0
    assert "next: File the reconsideration by 2027-01-01" in capsys.readouterr().out
    assert main(["cases", "update", "1", "--appeal-sent", "2026-12-08"]) == 0
    assert main(["cases", "list"]) == 0
    assert "appeal_sent" in capsys.readouterr().out
    assert main(["cases", "show", "1"]) == 0
    shown = capsys.readouterr().out
    assert "2027-01-07" in shown and "Dear Ms." not in shown  # 30-day clock; no letter text
    ics = tmp_path / "appeals.ics"
    assert main(["cases", "calendar", "-o", str(ics)]) == 0
    assert Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert main(["cases", "calendar", "-o", str(ics)]) == 2  # no clobbering
    assert main(["cases", "update", "1", "--status", "won"]) == 2
    assert main(["cases", "update", "1", "--appeal-sent", "12/08/2026"]) == 2
    assert main(["cases", "show", "7"]) == 2


def test_web_lists_cases_and_analyze_shows_the_appeal_schedule(db: Path) -> None:
    from fastapi.testclient import TestClient

    from pipeline.web import create_app

    local = "http://127.0.0.1:8000"  # the server answers its own host name only
    with TestClient(create_app(), raise_server_exceptions=False, base_url=local) as client:
        assert client.get("/api/cases").json() == [] and not db.exists()  # never creates it
        text = letter("cpap-medicaid")
        add_case(extract_facts(text), text, None, label="<b>CPAP</b>", today=TODAY)
        rows = client.get("/api/cases").json()
        assert [(r["id"], r["label"], r["status"], r["plan_type"]) for r in rows] == [
            (1, "<b>CPAP</b>", "open", "medicaid")
        ]
        assert rows[0]["next_due"] is not None and "member_id" not in rows[0]
        page = client.get("/cases")
        assert page.status_code == 200 and "&lt;b&gt;CPAP&lt;/b&gt;" in page.text
        assert "<b>CPAP</b>" not in page.text and "<script" not in page.text
        analyzed = client.post("/api/analyze", json={"letter": text}).json()
        appeal = analyzed["appeal"]
        assert appeal["plan_type"] == "medicaid" and appeal["levels"][1]["key"] == "fair_hearing"
        filing = appeal["levels"][0]["deadlines"][0]
        assert filing["due"] == "2027-01-04" and filing["citation"] == "42 CFR 438.402(c)(2)(ii)"
