"""Run the web page with uvicorn, bound to 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import asyncio
import gc
import ipaddress
import socket
import sys

import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..cli_common import DEFAULT_HOST, DEFAULT_PORT
from ..errors import InputError
from .app import EngineChoice, create_app, warm_up
from .middleware import QuietErrors


def bind(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> socket.socket:
    """A listening socket; a port in use or a bad host is a one-line InputError."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        reason = "is in use" if exc.errno in (48, 98) else f"cannot be used ({exc.strerror})"
        raise InputError(f"{host}:{port} {reason}: choose another --port or --host") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


HEADER_SECONDS = 10.0
"""Longest time a connection may take to send a request's line and headers (also between
requests on a kept-alive connection); a slower one is closed. uvicorn has no such limit, so
200 connections sending a header byte at a time were held for minutes."""
KEEP_ALIVE_SECONDS = 5
MAX_CONNECTIONS = 256
"""Connections served at once; more get 503 (a local page needs a handful)."""


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's headers."""

    header_seconds = HEADER_SECONDS
    _header_timer: asyncio.TimerHandle | None = None

    # As uvicorn's own H11Protocol does, this narrows asyncio's BaseTransport to a Transport.
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def handle_events(self) -> None:
        before = self.cycle
        super().handle_events()
        if self.cycle is not before:  # a request's headers are complete
            self._disarm()

    def on_response_complete(self) -> None:
        self._arm()  # before super(): it may start a pipelined request at once
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if (self.cycle is None or self.cycle.response_complete) and not (
            self.transport.is_closing()
        ):
            self.transport.close()


def make_server(app: FastAPI) -> uvicorn.Server:
    """A uvicorn server for ``app`` that logs warnings only and no access lines (a request
    line may carry a file name), with header and body deadlines (see TimedH11Protocol and
    middleware.BodyLimit) and a cap on connections."""
    config = uvicorn.Config(
        QuietErrors(app),
        log_level="warning",
        access_log=False,
        lifespan="off",
        http=TimedH11Protocol,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        limit_concurrency=MAX_CONNECTIONS,
    )
    return uvicorn.Server(config)


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    engine: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
) -> None:
    """Check the engine settings, bind, open the index, and serve until interrupted."""
    app = create_app(EngineChoice(engine, model, base_url), allowed_hosts=frozenset({host}))
    sock = bind(host, port)
    say = sys.stderr.write
    if not is_loopback(host):
        say(
            f"lmn: warning: serving on {host}, reachable from other machines; the page has "
            "no login, so only do this on a network you trust\n"
        )
    say("lmn: opening the guideline index (the first run builds it, about a minute)\n")
    warm_up(app)
    # What the server holds for its lifetime (the index, the model, the modules: ~140,000
    # objects) is moved out of the cyclic collector's reach: a full collection walked them all,
    # 80 ms of CPU on 2 shared cores, about once every 20 drafts (a draft's own garbage is
    # still collected).
    gc.freeze()
    shown = f"[{host}]" if ":" in host else host
    engine_name = app.state.engine_name
    say(f"lmn: serving http://{shown}:{port}/ with the {engine_name} engine; Ctrl+C stops it\n")
    try:
        make_server(app).run(sockets=[sock])
    finally:
        sock.close()
