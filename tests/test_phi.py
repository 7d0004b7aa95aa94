"""No patient data in logs, the run log, error messages or exceptions.

The whole pipeline runs with logging at DEBUG and the run log on (text logging off, the default):
the offline engine through the CLI, the OpenAI-compatible engine against the fault-injection
server with faults and schema failures (replies carrying the member id), and a set of errors
(case-file typos carrying the patient's name, a bad NPI, a missing file, an unreachable server).
Then every log record (message and arguments), everything the CLI printed besides the letter it
wrote to a file, every cell of the run log and every exception's text is searched for the
patient's name, member id, date of birth (several forms), claim number, address and each
sentence of the letter and of the case's clinical narrative. Examples: examples/tms-erisa.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import socket
import sqlite3
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from pipeline import runlog
from pipeline.casefile import load_case
from pipeline.cli import main
from pipeline.criteria_rules import find_criteria
from pipeline.errors import LmnError
from pipeline.llm.client import StructuredClient
from pipeline.llm.config import LLMSettings
from pipeline.prompts import load_prompt
from tests.fault_server import MODEL, Fault, FaultServer, ok
from tests.test_llm_faults import FAST

from .conftest import LOCAL, ROOT, runlog_texts

EXAMPLE = ROOT / "examples" / "tms-erisa"
LETTER = EXAMPLE / "letter.txt"
CASE = EXAMPLE / "case.yaml"
DATE = "2026-11-23"

NAME = "Marisol T. Okafor"
MEMBER_ID = "CMH774019226"
CLAIM = "UM-2026-1019-44821"
IDENTIFIERS = {
    "patient name": NAME,
    "first name": "Marisol",
    "last name": "Okafor",
    "member id": MEMBER_ID,
    "claim number": CLAIM,
    "group number": "NWL-004417",
    "address": "2217 NE 65th Street",
    "date of birth (ISO)": "1979-06-22",
    "date of birth (US)": "06/22/1979",
    "date of birth (US, short)": "6/22/1979",
    "date of birth (long)": "June 22, 1979",
    "date of birth (day first)": "22 June 1979",
    "date of birth (digits)": "19790622",
}
MIN_SENTENCE = 40


def _normal(text: str) -> str:
    """Whitespace collapsed and JSON escapes undone, casefolded: a sentence matches however a
    log wrapped or escaped it."""
    text = text.replace("\\n", " ").replace('\\"', '"').replace("\\u2019", "’")
    return re.sub(r"\s+", " ", text).strip().casefold()


def _sentences(text: str) -> list[str]:
    """Sentences and lines of ``text`` of at least MIN_SENTENCE characters."""
    pieces = re.split(r"(?<=[.!?])\s+", re.sub(r"\s+", " ", text))
    pieces += text.splitlines()
    return sorted({_normal(p) for p in pieces if len(p.strip()) >= MIN_SENTENCE})


def secrets() -> dict[str, str]:
    """What must never show up: identifiers, letter sentences, the case's narrative."""
    case = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    assert case["patient"]["name"] == NAME and case["patient"]["member_id"] == MEMBER_ID
    found = {label: _normal(value) for label, value in IDENTIFIERS.items()}
    for i, sentence in enumerate(_sentences(LETTER.read_text(encoding="utf-8"))):
        found[f"letter sentence {i}"] = sentence
    narrative = f"{case['clinical_summary']} {case['consequences_of_denial']}"
    for i, sentence in enumerate(_sentences(narrative)):
        found[f"case sentence {i}"] = sentence
    return found


SECRETS = secrets()


def leaks(text: str) -> list[str]:
    """The secrets ``text`` contains, by label."""
    haystack = _normal(text)
    return [label for label, value in SECRETS.items() if value in haystack]


class Records(logging.Handler):
    """Keeps every log record."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class Watch:
    """Everything the pipeline said during a test, to search for patient data."""

    def __init__(self, handler: Records, runlog_path: Path) -> None:
        self.handler = handler
        self.runlog_path = runlog_path
        self.texts: list[tuple[str, str]] = []

    def add(self, where: str, text: str) -> None:
        self.texts.append((where, text))

    def cli(self, *argv: str, report: bool = False) -> tuple[int, str, str]:
        """``lmn ARGV`` in-process; its stderr is searched, and its stdout unless it is the
        report the user asked for (``report``: `lmn validate` quotes the draft's findings)."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = main(list(argv))
        if not report:
            self.add(f"stdout of lmn {argv[0]}", out.getvalue())
        self.add(f"stderr of lmn {argv[0]}", err.getvalue())
        return rc, out.getvalue(), err.getvalue()

    def exception(self, exc: BaseException) -> None:
        """An exception's message and the traceback it would print (chained ones included)."""
        self.add(f"{type(exc).__name__} message", str(exc))
        self.add(f"{type(exc).__name__} traceback", "".join(traceback.format_exception(exc)))

    def log_texts(self) -> Iterator[tuple[str, str]]:
        formatter = logging.Formatter()
        for record in self.handler.records:
            where = f"log record {record.name}:{record.levelname}"
            yield where, record.getMessage()
            yield where, f"{record.msg!r} {record.args!r}"
            if record.exc_info:
                yield where, formatter.formatException(record.exc_info)

    def found(self) -> list[str]:
        """Each leak as 'where: what'."""
        out = []
        for where, text in [*self.texts, *self.log_texts(), *runlog_texts(self.runlog_path)]:
            out += [f"{where}: {label}" for label in leaks(text)]
        return sorted(set(out))

    def assert_clean(self) -> None:
        found = self.found()
        assert not found, "patient data in:\n" + "\n".join(found)

    def runlog_rows(self) -> int:
        with contextlib.closing(sqlite3.connect(self.runlog_path)) as db:
            return db.execute("SELECT count(*) FROM calls").fetchone()[0]


@pytest.fixture
def watch(log_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Watch]:
    """DEBUG logging captured from every logger, the run log on (without text)."""
    monkeypatch.setenv("LMN_LOG_LEVEL", "DEBUG")
    for name in ("LMN_ENGINE", "LMN_BASE_URL", "LMN_MODEL", "LMN_STRUCTURED_OUTPUT", "LMN_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    handler = Records()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        logging.getLogger("pipeline.llm.client").debug("probe")
        assert [r.getMessage() for r in handler.records] == ["probe"], "DEBUG is captured"
        handler.records.clear()
        yield Watch(handler, log_path)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def extraction_reply() -> dict:
    """A model's reading of the letter: its ids and criteria (valid, so the draft goes on)."""
    criteria = find_criteria(LETTER.read_text(encoding="utf-8"))
    return {
        "member_id": MEMBER_ID,
        "claim_number": CLAIM,
        "reviewer": "Lorraine K. Baptiste, MD",
        "denial_categories": ["not_medically_necessary"],
        "criteria": [{"text": c.text, "source": c.source} for c in criteria],
    }


PHI_REPLY = {
    "sections": [{"criterion": 1, "argument": f"{NAME}, member {MEMBER_ID}, born 06/22/1979."}],
    MEMBER_ID: NAME,
}
"""A reply that fails the schema (one section of four, an unknown key) and is full of PHI."""


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------- the scanner


def test_the_scanner_finds_patient_data_where_it_is() -> None:
    letter = LETTER.read_text(encoding="utf-8")
    assert {"patient name", "member id", "date of birth (US)"} <= set(leaks(letter))
    assert sum(label.startswith("letter sentence") for label in leaks(letter)) >= 30
    wrapped = '["Dear Ms. Okafor:\\n\\nCascade Mutual Health Plan (\\"Cascade Mutual\\") reviewed'
    assert "last name" in leaks(wrapped)
    assert leaks("member CMH881203457, claim UM-2025-0412-10077, born 03/14/1962") == []
    assert leaks("lmn: letter passed validation (1 warning(s))") == []


# --------------------------------------------------------------------------- the pipeline


def test_offline_drafts_log_no_patient_data(watch: Watch, tmp_path: Path) -> None:
    out = tmp_path / "letter.md"
    rc, stdout, err = watch.cli("draft", str(LETTER), "--case", str(CASE), "-o", str(out))
    assert rc == 0, err
    assert stdout == "" and "passed validation" in err
    assert NAME in out.read_text(encoding="utf-8")  # the letter itself names the patient
    as_json = tmp_path / "letter.json"
    args = ("--case", str(CASE), "-f", "json", "-o", str(as_json), "--date", DATE)
    assert watch.cli("draft", str(LETTER), *args)[0] == 0
    assert watch.cli("validate", str(as_json), report=True)[0] == 0
    args = ("--letter", str(LETTER), "--case", str(CASE))
    rc, _, err = watch.cli("validate", str(out), *args, report=True)
    assert rc == 0, err
    watch.assert_clean()


def test_model_engine_with_faults_logs_no_patient_data(
    watch: Watch, server: FaultServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.push(
        Fault("server_error"),
        Fault("malformed"),
        ok(extraction_reply()),
        Fault("rate_limit", retry_after="0.05"),
        Fault("schema_invalid", PHI_REPLY),
    )
    server.fallback = Fault("schema_invalid", PHI_REPLY)  # every later draft reply fails too
    config = tmp_path / "config.toml"
    config.write_text("timeout = 2\nmax_attempts = 3\nmax_reasks = 1\nmax_redrafts = 1\n")
    monkeypatch.setenv("LMN_CONFIG", str(config))
    out = tmp_path / "letter.md"
    rc, stdout, err = watch.cli(
        "draft",
        str(LETTER),
        "--case",
        str(CASE),
        "--engine",
        "openai",
        "--base-url",
        server.base_url,
        "-o",
        str(out),
        "--date",
        DATE,
    )
    assert rc == 0, err
    assert "template drafter wrote" in err and stdout == ""
    assert NAME in out.read_text(encoding="utf-8")
    assert any(NAME in str(body) for body in server.requests)  # the model did get the letter
    levels = {r.levelno for r in watch.handler.records}
    assert logging.WARNING in levels and logging.DEBUG in levels
    assert watch.runlog_rows() >= 5
    watch.assert_clean()


def test_errors_carry_no_patient_data(
    watch: Watch, server: FaultServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("timeout = 2\nmax_attempts = 1\n")
    monkeypatch.setenv("LMN_CONFIG", str(config))
    case = yaml.safe_load(CASE.read_text(encoding="utf-8"))

    def case_file(name: str, edit) -> Path:
        data = yaml.safe_load(yaml.safe_dump(case))
        edit(data)
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path

    broken = [
        case_file("typo.yaml", lambda d: d.update(patinet_name=NAME)),
        case_file("nested.yaml", lambda d: d["patient"].update(nmae=NAME)),
        case_file("type.yaml", lambda d: d["patient"].update(date_of_birth=NAME)),
        case_file("key.yaml", lambda d: d["patient"].update({NAME: MEMBER_ID})),
        case_file("list.yaml", lambda d: d.update(diagnoses=[{"code": MEMBER_ID, NAME: 1}])),
    ]
    unterminated = tmp_path / "syntax.yaml"
    unterminated.write_text(
        CASE.read_text(encoding="utf-8").replace(f'"{NAME}"', f'"{NAME}\n  x: [', 1)
    )
    broken.append(unterminated)
    for path in broken:
        rc, _, err = watch.cli("draft", str(LETTER), "--case", str(path), "-o", str(tmp_path / "x"))
        assert rc == 2 and err.startswith(f"lmn: error: case file {path}"), err
        with pytest.raises(LmnError) as caught:
            load_case(path)
        watch.exception(caught.value)

    bad_npi = case_file("npi.yaml", lambda d: d["physician"].update(npi="1478359438"))
    rc, _, err = watch.cli("draft", str(LETTER), "--case", str(bad_npi), "-o", str(tmp_path / "x"))
    assert rc == 3 and "physician.npi" in err

    missing = tmp_path / "no-such-folder" / "letter.txt"
    rc, _, err = watch.cli("draft", str(missing), "--case", str(CASE), "-o", str(tmp_path / "x"))
    assert rc == 2 and "not found" in err

    dead = f"http://127.0.0.1:{closed_port()}/v1"
    args = ("--case", str(CASE), "--engine", "openai", "--base-url", dead, "--model", "m")
    rc, _, err = watch.cli("draft", str(LETTER), *args, "-o", str(tmp_path / "x"))
    assert rc == 5 and "cannot reach" in err

    server.fallback = Fault("schema_invalid", {**extraction_reply(), MEMBER_ID: NAME})
    args = ("--case", str(CASE), "--engine", "openai", "--base-url", server.base_url)
    rc, _, err = watch.cli("draft", str(LETTER), *args, "-o", str(tmp_path / "x"))
    assert rc == 5 and "gave no valid answer" in err
    settings = LLMSettings(base_url=server.base_url, model=MODEL, api_key="sk-test", retry=FAST)
    prompt = load_prompt("extract_denial").render(letter=LETTER.read_text(encoding="utf-8"))
    with pytest.raises(LmnError) as caught:
        StructuredClient(settings).call(prompt)
    watch.exception(caught.value)

    assert not (tmp_path / "x").exists()
    watch.assert_clean()


def test_web_api_errors_and_logs_carry_no_patient_data(watch: Watch) -> None:
    from fastapi.testclient import TestClient

    from pipeline.web import create_app

    case = json.loads(json.dumps(yaml.safe_load(CASE.read_text(encoding="utf-8")), default=str))
    letter = LETTER.read_text(encoding="utf-8")
    bodies = [
        {"letter": letter, "case": {**case, "patinet_name": NAME}},
        {"letter": letter, "case": {**case, "patient": {**case["patient"], NAME: MEMBER_ID}}},
        {"letter": letter, "case": {**case, "patient": {**case["patient"], "date_of_birth": NAME}}},
        {"letter": letter, "case": case, NAME: MEMBER_ID},
    ]
    with TestClient(create_app(), raise_server_exceptions=False, base_url=LOCAL) as client:
        for body in bodies:
            response = client.post("/api/draft", json=body)
            assert response.status_code == 422, response.text
            watch.add("web error", response.text)
        response = client.post("/api/draft", json={"letter": letter, "case": case, "date": DATE})
        assert response.status_code == 200 and response.json()["review"]["ok"]
    watch.assert_clean()


def test_a_debug_run_of_the_real_command_prints_no_patient_data(
    server: FaultServer, tmp_path: Path
) -> None:
    """`lmn` in a process of its own with LMN_LOG_LEVEL=DEBUG: what its stderr shows, including
    the HTTP libraries' own debug logging."""
    server.push(Fault("server_error"), ok(extraction_reply()), Fault("schema_invalid", PHI_REPLY))
    server.fallback = Fault("schema_invalid", PHI_REPLY)
    config = tmp_path / "config.toml"
    config.write_text("timeout = 5\nmax_attempts = 2\nmax_reasks = 0\nmax_redrafts = 0\n")
    env = {
        **os.environ,
        "LMN_LOG_LEVEL": "DEBUG",
        "LMN_CONFIG": str(config),
        runlog.RUNLOG_ENV: str(tmp_path / "runlog.sqlite3"),
    }
    env.pop(runlog.RUNLOG_TEXT_ENV, None)
    out = tmp_path / "letter.md"
    command = [sys.executable, "-m", "pipeline.cli", "draft", str(LETTER), "--case", str(CASE)]
    command += ["--engine", "openai", "--base-url", server.base_url, "-o", str(out)]
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "DEBUG" in done.stderr and done.stdout == ""
    assert NAME in out.read_text(encoding="utf-8")
    assert leaks(done.stderr) == [], done.stderr[-3000:]
