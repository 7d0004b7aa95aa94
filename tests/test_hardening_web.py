"""Issue 14, defects 1, 11 (server side) and 12: only the server's own page may drive it;
slow or huge requests are cut off with an answer; no traceback reaches the server's log."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from pipeline.web import create_app
from pipeline.web import middleware as mw
from pipeline.web.serve import TimedH11Protocol, bind, make_server

from .conftest import LOCAL

LETTER = "Dear member, your MRI (CPT 72148) was denied as not medically necessary."


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(), raise_server_exceptions=False, base_url=LOCAL) as c:
        yield c


# --------------------------------------------------------------------------- same origin


def test_a_cross_site_text_plain_post_without_preflight_is_refused(client: TestClient) -> None:
    """What a hostile page can send with no CORS preflight: a text/plain POST."""
    response = client.post(
        "/api/letter",
        content=LETTER.encode(),
        headers={
            "Content-Type": "text/plain",
            "Origin": "http://evil.example",
            "Sec-Fetch-Site": "cross-site",
        },
    )
    assert response.status_code == 403, response.text
    assert "another web site" in response.json()["error"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "text/plain"},
        {"Content-Type": "application/x-www-form-urlencoded"},
        {"Content-Type": "multipart/form-data; boundary=x"},
    ],
)
def test_simple_request_content_types_are_refused_even_without_an_origin(
    client: TestClient, headers: dict[str, str]
) -> None:
    for path in ("/api/letter", "/api/analyze", "/api/case"):
        response = client.post(path, content=b'{"letter": "x"}', headers=headers)
        assert response.status_code == 415, (path, response.text)


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:9999"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
def test_json_from_another_origin_is_refused(client: TestClient, headers: dict) -> None:
    response = client.post("/api/analyze", json={"letter": LETTER}, headers=headers)
    assert response.status_code == 403, response.text


def test_dns_rebinding_host_names_are_refused(client: TestClient) -> None:
    for path in ("/", "/api/health"):
        response = client.get(path, headers={"Host": "attacker.example:8000"})
        assert response.status_code == 403, response.text
        assert response.headers["content-type"] == "application/json"
    response = client.post(
        "/api/analyze", json={"letter": LETTER}, headers={"Host": "rebind.attacker.example"}
    )
    assert response.status_code == 403


def test_the_pages_own_requests_pass(client: TestClient) -> None:
    same = {"Origin": LOCAL, "Sec-Fetch-Site": "same-origin"}
    assert client.post("/api/analyze", json={"letter": LETTER}, headers=same).status_code == 200
    upload = {**same, "Content-Type": "application/octet-stream"}
    assert client.post("/api/letter", content=LETTER.encode(), headers=upload).status_code == 200
    for host in ("localhost:8000", "[::1]:8000", "127.0.0.1"):
        assert client.get("/api/health", headers={"Host": host}).status_code == 200


def test_host_names_the_server_was_started_with_are_accepted() -> None:
    assert mw.host_allowed("lmn.lan:8000", frozenset({"lmn.lan"}))
    assert not mw.host_allowed("lmn.lan:8000")
    assert mw.host_allowed("192.168.1.5:8000")


# --------------------------------------------------------------------------- a real server


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, int]]:
    """The app under uvicorn (as `lmn serve` runs it) with short deadlines."""
    monkeypatch.setattr(TimedH11Protocol, "header_seconds", 1.0)
    monkeypatch.setattr(mw, "BODY_SECONDS", 1.0)
    app = create_app()
    sock = bind("127.0.0.1", 0)
    srv = make_server(app)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    yield "127.0.0.1", sock.getsockname()[1]
    srv.should_exit = True
    thread.join(timeout=10)
    sock.close()


def _closed(conn: socket.socket) -> bool:
    try:
        return conn.recv(1024) == b""
    except (ConnectionResetError, BlockingIOError):
        return isinstance(conn, socket.socket)
    except TimeoutError:
        return False


def test_slow_header_connections_are_closed_at_the_deadline(server: tuple[str, int]) -> None:
    host, port = server
    conns = []
    for _ in range(200):
        conn = socket.create_connection((host, port))
        conn.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        conns.append(conn)
    start = time.monotonic()
    for conn in conns:
        conn.settimeout(max(0.1, 10 - (time.monotonic() - start)))
    closed = sum(_closed(c) for c in conns)
    elapsed = time.monotonic() - start
    for conn in conns:
        conn.close()
    assert closed == 200 and elapsed < 8, (closed, elapsed)
    # and the server still answers
    assert httpx.get(f"http://{host}:{port}/api/health").status_code == 200


def test_a_slow_body_gets_408(server: tuple[str, int]) -> None:
    host, port = server
    with socket.create_connection((host, port)) as conn:
        conn.sendall(
            b"POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"letter": '
        )
        conn.settimeout(10)
        answer = conn.recv(4096)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:80]


def test_a_body_over_16_mb_gets_413_not_a_reset(server: tuple[str, int]) -> None:
    host, port = server
    response = httpx.post(
        f"http://{host}:{port}/api/analyze",
        content=b"x" * (17 * 1024 * 1024),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 413
    assert "2 MB" in response.json()["error"]


def test_an_escaping_exception_is_logged_by_type_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "Harold Lindqvist PSH-90331"

    async def broken(scope, receive, send):
        raise ValueError(secret)

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    import asyncio

    with caplog.at_level(logging.DEBUG):
        asyncio.run(mw.QuietErrors(broken)({"type": "http", "path": "/x"}, None, send))
    assert sent[0]["status"] == 500
    assert secret not in caplog.text and "Traceback" not in caplog.text
    assert "ValueError" in caplog.text
