"""ASGI middleware: same-origin requests only, the request size and time limits, and the
headers every response carries."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_REQUEST_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
"""An uploaded letter file (/api/letter) may be a faxed or scanned PDF or TIFF of several pages;
ingest holds text to 2 MB and reads a scan in a child under page, time and memory caps."""
MAX_DRAIN_BYTES = 256 * 1024 * 1024
"""A refused body up to this size is read (and dropped) to its end before the 413 is sent, so
that a client that reads the answer only after sending (most do) gets it, not a reset."""
DRAIN_SECONDS = 15.0
"""...within this time; a slower sender is cut off."""
BODY_SECONDS = 60.0
"""Longest time a request body may take to arrive (a slow sender holds a connection)."""
TOO_SLOW = "the request body arrived too slowly; send it again"
TOO_LARGE = (
    "the request is larger than 2 MB: send only the denial letter (or its text) and the case facts"
)
UPLOAD_TOO_LARGE = (
    f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MB: upload only the denial letter's "
    "pages (scanned at 300 dpi in black and white)"
)

SECURITY_HEADERS: dict[str, str] = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Content-Security-Policy": (
        "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes (``uploads``: a larger one for the letter
    upload's path): by Content-Length before reading, and by counting as the body streams in
    (chunked uploads, lying headers); and bodies that take longer than ``seconds`` to arrive
    (408)."""

    def __init__(
        self,
        app: ASGIApp,
        limit: int = MAX_REQUEST_BYTES,
        seconds: float | None = None,
        uploads: int = MAX_UPLOAD_BYTES,
    ) -> None:
        self.app = app
        self.limit = limit
        self.seconds = seconds
        self.uploads = uploads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope.get("path") in UPLOAD_PATHS
        limit, too_large = (self.uploads, UPLOAD_TOO_LARGE) if upload else (self.limit, TOO_LARGE)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _drain(receive, declared)
            await _refuse(send, too_large)
            return
        seen = 0
        deadline = asyncio.get_running_loop().time() + (self.seconds or BODY_SECONDS)
        done = False

        async def counted() -> Message:
            nonlocal seen, done
            if done:  # the body is read: what is left is waiting for a disconnect
                return await receive()
            try:
                left = deadline - asyncio.get_running_loop().time()
                message = await asyncio.wait_for(receive(), timeout=max(left, 0.001))
            except TimeoutError:
                raise HTTPException(status_code=408, detail=TOO_SLOW) from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                done = not message.get("more_body")
                if seen > limit:
                    if message.get("more_body"):
                        await _drain(receive, 0)
                    # FastAPI re-raises HTTPException from body reading; it becomes a 413.
                    raise HTTPException(status_code=413, detail=too_large)
            return message

        await self.app(scope, counted, send)


async def _drain(receive: Receive, declared: int) -> None:
    """Read and drop the rest of a refused body (up to :data:`MAX_DRAIN_BYTES` within
    :data:`DRAIN_SECONDS`), so that the client, still sending, reads the 413 instead of a reset
    connection."""
    if declared > MAX_DRAIN_BYTES:
        return

    async def drop() -> None:
        dropped = 0
        while dropped <= MAX_DRAIN_BYTES:
            message = await receive()
            if message["type"] != "http.request":
                return
            dropped += len(message.get("body", b""))
            if not message.get("more_body"):
                return

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(drop(), timeout=DRAIN_SECONDS)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        *_header_pairs(),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _header_pairs() -> list[tuple[bytes, bytes]]:
    return [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]


class SecurityHeaders:
    """Add :data:`SECURITY_HEADERS` (no caching, CSP, no sniffing, no framing, no referrer)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in _header_pairs() if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


# --------------------------------------------------------------------------- same origin

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
"""Host names always accepted besides IP literals."""
UPLOAD_TYPES = frozenset({"application/octet-stream", "application/pdf"})
"""Content types /api/letter accepts (what the page's upload sends)."""
UPLOAD_PATHS = frozenset({"/api/letter"})
SAFE_METHODS = frozenset({"GET", "HEAD"})
FOREIGN_PAGE = (
    "the request came from another web site; only the lmn page on this machine may use "
    "the server: open it at the address `lmn serve` printed"
)
WRONG_HOST = (
    "the request names a host that is not this server: open the page at the address "
    "`lmn serve` printed (http://127.0.0.1:PORT/)"
)


def _host_name(host: str) -> str:
    """'127.0.0.1:8000' -> '127.0.0.1'; '[::1]:8000' -> '::1'; lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def host_allowed(host: str, extra: frozenset[str] = frozenset()) -> bool:
    """An IP literal, a loopback name or a name the server was started with. Any other name
    may be an attacker's domain rebound to 127.0.0.1 (DNS rebinding), so it is refused."""
    name = _host_name(host)
    if name in LOOPBACK_NAMES or name in extra:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class SameOrigin:
    """Accept only what the server's own page sends.

    - Every request: the Host header must be an IP literal, ``localhost`` or a name the
      server was started with (defeats DNS rebinding).
    - Every request other than GET/HEAD: an ``Origin`` header, when sent, must be this
      server's own; ``Sec-Fetch-Site``, when sent, must be ``same-origin`` or ``none``; and the
      body must be ``application/json`` (an upload: ``application/octet-stream`` or
      ``application/pdf``). A cross-site page can send none of these types without a CORS
      preflight, which the server never grants, so a hostile page cannot drive it.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.allowed_hosts = frozenset(_host_name(h) for h in allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        problem = self.problem(scope, headers)
        if problem is not None:
            status, message = problem
            await _send_error(send, status, message)
            return
        await self.app(scope, receive, send)

    def problem(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        host = headers.get("host", "")
        if not host or not host_allowed(host, self.allowed_hosts):
            return 403, WRONG_HOST
        if scope["method"] in SAFE_METHODS:
            return None
        origin = headers.get("origin")
        if origin is not None:
            parsed = urlsplit(origin)
            if parsed.scheme not in ("http", "https") or parsed.netloc.lower() != host.lower():
                return 403, FOREIGN_PAGE
        if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            return 403, FOREIGN_PAGE
        media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        wanted = UPLOAD_TYPES if scope["path"] in UPLOAD_PATHS else frozenset({"application/json"})
        if media not in wanted:
            return 415, (
                f"send the body as {' or '.join(sorted(wanted))} "
                "(the lmn page does; other web pages cannot)"
            )
        return None


async def _send_error(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *_header_pairs(),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class QuietErrors:
    """The outermost wrapper: an exception that escapes the app (Starlette re-raises the ones
    its 500 handler answered) is logged by its type only. The server's own logger would print
    the traceback, whose frames and message may quote the letter or the case (PHI)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            log.error("internal error on %s: %s", scope.get("path", "?"), type(exc).__name__)
            if scope["type"] == "http" and not started:
                await _send_error(send, 500, f"internal error ({type(exc).__name__})")
