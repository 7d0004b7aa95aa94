"""The LLM client against a fault-injection server: retries, re-asks, give-up messages, run log."""

from __future__ import annotations

import json
import socket
import sqlite3
import time

import pytest

from pipeline import runlog
from pipeline.llm.client import ModelOutputError, ModelUnavailable, StructuredClient
from pipeline.llm.config import LLMSettings, RetryPolicy
from pipeline.llm.schemas import ExtractedDenial
from pipeline.prompts import load_prompt
from tests.conftest import runlog_texts
from tests.fault_server import MODEL, Fault, FaultServer, ok

FAST = RetryPolicy(
    timeout_s=0.5,
    max_attempts=3,
    max_total_s=10.0,
    backoff_initial_s=0.01,
    backoff_max_s=0.05,
    jitter_s=0.01,
    max_retry_after_s=2.0,
    max_reasks=2,
)
GOOD = {"insurer": "Cascade Mutual", "criteria": [{"text": "Four antidepressant trials"}]}
MARKER = "Zebulon Quimby-Marker"
"""A patient name that must never reach the run log unless text logging is on."""


pytestmark = pytest.mark.usefixtures("log_path")


def make_client(server: FaultServer, method: str = "function_calling", **retry) -> StructuredClient:
    settings = LLMSettings(
        base_url=server.base_url,
        model=MODEL,
        api_key="sk-test",
        structured_output=method,  # type: ignore[arg-type]
        retry=FAST,
    )
    return StructuredClient(settings.with_retry(**retry) if retry else settings)


def prompt():
    return load_prompt("extract_denial").render(letter=f"Dear {MARKER}, your request is denied.")


def outcomes() -> list[str]:
    """Outcomes of the logged calls, oldest first."""
    return [c.outcome for c in reversed(runlog.recent(100))]


def one_line(message: str) -> bool:
    return "\n" not in message and len(message) < 400


# --------------------------------------------------------------------------- transport retries


def test_429_waits_for_retry_after_then_succeeds(server):
    server.push(Fault("rate_limit", retry_after="0.4"), ok(GOOD))
    started = time.monotonic()
    result = make_client(server).call(prompt())
    assert isinstance(result, ExtractedDenial) and result.insurer == "Cascade Mutual"
    assert time.monotonic() - started >= 0.4  # the backoff alone would wait ~0.02 s
    assert len(server.requests) == 2
    assert outcomes() == ["http_429", "ok"]


def test_500s_and_a_non_json_body_are_retried_with_backoff(server):
    server.push(Fault("server_error"), Fault("not_json"), ok(GOOD))
    assert make_client(server).call(prompt()).insurer == "Cascade Mutual"
    assert outcomes() == ["http_500", "bad_response", "ok"]


def test_a_hang_past_the_timeout_is_retried(server):
    server.push(Fault("hang", hang_s=3.0), ok(GOOD))
    started = time.monotonic()
    assert make_client(server).call(prompt()).insurer == "Cascade Mutual"
    assert 0.5 <= time.monotonic() - started < 2.5
    assert outcomes() == ["timeout", "ok"]


def test_gives_up_after_max_attempts_with_a_one_line_message(server):
    with pytest.raises(ModelUnavailable) as caught:
        make_client(server).call(prompt())  # the server answers 500 once the script is used up
    message = str(caught.value)
    assert one_line(message)
    assert "HTTP 500" in message and "3 attempts" in message and "server's log" in message
    assert len(server.requests) == 3
    assert caught.value.exit_code == 5


def test_gives_up_when_retry_after_exceeds_the_policy(server):
    server.push(Fault("rate_limit", retry_after="30"), ok(GOOD))
    started = time.monotonic()
    with pytest.raises(ModelUnavailable, match="429"):
        make_client(server).call(prompt())
    assert len(server.requests) == 1 and time.monotonic() - started < 2


def test_total_time_budget_caps_attempts(server):
    server.fallback = Fault("hang", hang_s=5.0)
    client = make_client(server, timeout_s=0.3, max_attempts=10, max_total_s=1.0)
    started = time.monotonic()
    with pytest.raises(ModelUnavailable, match=r"did not answer within 0\.3 s"):
        client.call(prompt())
    assert len(server.requests) < 10
    assert time.monotonic() - started < 2.5


def test_client_errors_are_not_retried_and_say_what_to_set(server):
    server.push(Fault("http_error", status=401), Fault("http_error", status=404))
    client = make_client(server)
    with pytest.raises(ModelUnavailable, match="OPENAI_API_KEY"):
        client.call(prompt())
    with pytest.raises(ModelUnavailable, match="LMN_MODEL"):
        client.call(prompt())
    assert len(server.requests) == 2


def test_unreachable_server_names_what_to_set():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = LLMSettings(
        base_url=f"http://127.0.0.1:{port}/v1", model=MODEL, retry=FAST, api_key="sk-test"
    )
    with pytest.raises(ModelUnavailable) as caught:
        StructuredClient(settings).call(prompt())
    message = str(caught.value)
    assert one_line(message)
    assert f"127.0.0.1:{port}" in message and "LMN_BASE_URL" in message
    assert outcomes() == ["connection_error"] * 3


# --------------------------------------------------------------------------- schema re-asks


@pytest.mark.parametrize("bad", [Fault("malformed"), Fault("schema_invalid", {"criteria": "x"})])
def test_unusable_reply_is_sent_back_with_the_error(server, bad):
    server.push(bad, ok(GOOD))
    assert make_client(server).call(prompt()).insurer == "Cascade Mutual"
    first, second = server.requests
    assert second["messages"][: len(first["messages"])] == first["messages"]
    reask = second["messages"][len(first["messages"]) :]
    assert [m["role"] for m in reask] == ["assistant", "user"]
    expected = "not valid JSON" if bad.kind == "malformed" else "criteria"
    assert expected in reask[1]["content"]
    rows = list(reversed(runlog.recent(10)))
    assert [(r.outcome, r.reask) for r in rows] == [("schema_error", 0), ("ok", 1)]


def test_reasks_are_capped_and_the_message_says_what_to_do(server):
    server.fallback = Fault("schema_invalid", {"criteria": "x"})
    with pytest.raises(ModelOutputError) as caught:
        make_client(server).call(prompt())
    message = str(caught.value)
    assert one_line(message)
    assert "extract_denial" in message and "3 tries" in message
    assert "LMN_STRUCTURED_OUTPUT" in message and "--engine offline" in message
    assert len(server.requests) == 3  # the first request and max_reasks=2 re-asks


def test_transport_retries_and_reasks_are_counted_separately(server):
    server.push(Fault("server_error"), Fault("malformed"), Fault("server_error"), ok(GOOD))
    assert make_client(server).call(prompt()).insurer == "Cascade Mutual"
    rows = list(reversed(runlog.recent(10)))
    assert [(r.attempt, r.reask, r.outcome) for r in rows] == [
        (1, 0, "http_500"),
        (2, 0, "schema_error"),
        (1, 1, "http_500"),
        (2, 1, "ok"),
    ]


# --------------------------------------------------------------------------- requests


@pytest.mark.parametrize("method", ["function_calling", "json_schema", "json_mode"])
def test_each_structured_output_mode(server, method):
    server.push(ok(GOOD))
    assert make_client(server, method).call(prompt()).insurer == "Cascade Mutual"
    sent = server.requests[0]
    assert sent["max_completion_tokens"] == load_prompt("extract_denial").max_tokens
    if method == "function_calling":
        assert sent["tools"][0]["function"]["name"] == "ExtractedDenial"
    elif method == "json_schema":
        assert sent["response_format"]["type"] == "json_schema"
    else:
        assert sent["response_format"] == {"type": "json_object"}
        assert '"criteria"' in sent["messages"][0]["content"]  # the schema travels in the prompt


def test_run_log_keeps_no_text_unless_asked(server, log_path, monkeypatch):
    server.push(ok(GOOD), ok(GOOD))
    client = make_client(server)
    client.call(prompt())
    stored = list(runlog_texts(log_path))  # through SQL: new rows sit in the WAL file
    calls = [cells for table, cells in stored if table == "run log table calls"]
    assert len(calls) == 1 and "extract_denial" in calls[0]
    assert not any(MARKER in cells for _, cells in stored)
    (row,) = runlog.recent(1)
    assert row.request_text is None and row.response_text is None and row.error is None
    sent = prompt()
    assert (row.prompt_id, row.prompt_version, row.prompt_sha256) == (
        "extract_denial",
        sent.version,
        sent.sha256,
    )
    assert (row.model, row.tokens_in, row.tokens_out, row.outcome) == (MODEL, 11, 7, "ok")
    monkeypatch.setenv(runlog.RUNLOG_TEXT_ENV, "1")
    client.call(prompt())
    with sqlite3.connect(log_path) as db:
        (text,) = db.execute("SELECT request_text FROM calls ORDER BY id DESC LIMIT 1").fetchone()
    assert MARKER in json.loads(text)[1][1]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after": "2"}, 2.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_forms(headers, expected):
    from types import SimpleNamespace

    from pipeline.llm.client import retry_after_seconds

    exc = SimpleNamespace(response=SimpleNamespace(headers=headers))
    assert retry_after_seconds(exc) == expected  # type: ignore[arg-type]


def test_retry_after_as_an_http_date():
    import email.utils
    from types import SimpleNamespace

    from pipeline.llm.client import retry_after_seconds

    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    exc = SimpleNamespace(response=SimpleNamespace(headers={"retry-after": when}))
    assert 25 <= retry_after_seconds(exc) <= 31  # type: ignore[arg-type, operator]


def test_a_reply_the_openai_client_rejects_is_re_asked_not_reported_unavailable(
    server, monkeypatch
):
    """openai's APIResponseValidationError carries the HTTP status (200): it is a schema failure,
    re-asked like one, not a server that 'kept failing'."""
    import httpx
    import openai

    from pipeline.llm import client as client_module

    real_invoke = client_module._invoke
    calls = []

    def invoke(model, parser, messages):
        calls.append(len(messages))
        if len(calls) == 1:
            response = httpx.Response(200, request=httpx.Request("POST", server.base_url))
            raise openai.APIResponseValidationError(response=response, body=None)
        return real_invoke(model, parser, messages)

    monkeypatch.setattr(client_module, "_invoke", invoke)
    server.push(ok(GOOD))
    assert make_client(server).call(prompt()).insurer == "Cascade Mutual"
    assert len(calls) == 2 and calls[1] > calls[0]  # the second call carries the re-ask
    assert [r.outcome for r in reversed(runlog.recent(10))] == ["schema_error", "ok"]
