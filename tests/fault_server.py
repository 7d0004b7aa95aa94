"""A fault-injection server for the LLM client: OpenAI's chat-completions API on 127.0.0.1.

It answers each POST /v1/chat/completions with the next fault of its script: a valid reply, 429
with Retry-After, 500, a hang past the client's timeout, a reply whose JSON is malformed, one
whose JSON does not match the schema, or an HTTP body that is not JSON at all. Replies go in a
tool call when the request offers tools, else in the message content (json_schema / json_mode).
Every request body is kept for the test to inspect. Once the script is used up, a ``responder``
(when set) picks each answer from the request. Standard library only; a random free port.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODEL = "fault-model"


@dataclass(frozen=True)
class Fault:
    """One scripted answer."""

    kind: str
    """ok | rate_limit | server_error | http_error | hang | malformed | schema_invalid | not_json"""
    payload: dict[str, Any] | None = None
    """The JSON object an 'ok' (or 'schema_invalid') reply carries."""
    retry_after: str | None = None
    """Retry-After header of a 'rate_limit' reply."""
    hang_s: float = 5.0
    status: int = 500
    """HTTP status of an 'http_error' reply."""


def ok(payload: dict[str, Any]) -> Fault:
    return Fault("ok", payload)


@dataclass
class FaultServer:
    """Start with :meth:`start`; stop with :meth:`stop` (a pytest fixture does both)."""

    script: list[Fault] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    fallback: Fault = field(default_factory=lambda: Fault("server_error"))
    """Answer when the script is used up."""
    responder: Callable[[dict[str, Any]], Fault] | None = None
    """Chooses the answer from the request body once the script is used up (before fallback)."""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def push(self, *faults: Fault) -> None:
        with self._lock:
            self.script.extend(faults)

    def next_fault(self, body: dict[str, Any]) -> Fault:
        with self._lock:
            self.requests.append(body)
            if self.script:
                return self.script.pop(0)
            if self.responder is not None:
                return self.responder(body)
            return self.fallback

    def start(self) -> FaultServer:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        server.daemon_threads = True
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def wait(self, seconds: float) -> None:
        """Sleep ``seconds`` unless the server is stopping."""
        self._stopping.wait(seconds)


def completion(request: dict[str, Any], text: str) -> dict[str, Any]:
    """A chat completion carrying ``text`` the way the request asked for structured output."""
    message: dict[str, Any] = {"role": "assistant", "content": text}
    finish = "stop"
    tools = request.get("tools") or []
    if tools:
        name = tools[0]["function"]["name"]
        call = {"id": "call_1", "type": "function", "function": {"name": name, "arguments": text}}
        message = {"role": "assistant", "content": None, "tool_calls": [call]}
        finish = "tool_calls"
    return {
        "id": "chatcmpl-fault",
        "object": "chat.completion",
        "created": 0,
        "model": MODEL,
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
    }


def _handler_for(owner: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _json(self, status: int, data: object, headers: dict[str, str] | None = None) -> None:
            self._send(status, json.dumps(data).encode(), headers)

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/models"):
                self._json(200, {"object": "list", "data": [{"id": MODEL, "object": "model"}]})
            else:
                self._json(404, {"error": {"message": "not found"}})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            fault = owner.next_fault(body)
            if fault.kind == "hang":
                owner.wait(fault.hang_s)
                fault = Fault("ok", fault.payload)
            if fault.kind == "rate_limit":
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                self._json(429, {"error": {"message": "rate limited", "type": "rate"}}, headers)
            elif fault.kind in ("server_error", "http_error"):
                self._json(fault.status, {"error": {"message": "failed", "type": "server"}})
            elif fault.kind == "not_json":
                self._send(200, b"<html>upstream proxy error</html>")
            elif fault.kind == "malformed":
                self._json(200, completion(body, '{"sections": [{"criterion": 1, "argument": '))
            elif fault.kind in ("ok", "schema_invalid"):
                payload = fault.payload if fault.payload is not None else {"unexpected": True}
                self._json(200, completion(body, json.dumps(payload)))
            else:
                raise ValueError(f"unknown fault {fault.kind!r}")

    return Handler
