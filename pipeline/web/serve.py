"""Run the web page with uvicorn, bound to 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import ipaddress
import socket
import sys

import uvicorn
from fastapi import FastAPI

from ..cli_common import DEFAULT_HOST, DEFAULT_PORT
from ..errors import InputError
from .app import EngineChoice, create_app, warm_up


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


def make_server(app: FastAPI) -> uvicorn.Server:
    """A uvicorn server for ``app`` that logs warnings only and no access lines (a request
    line may carry a file name)."""
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
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
    app = create_app(EngineChoice(engine, model, base_url))
    sock = bind(host, port)
    say = sys.stderr.write
    if not is_loopback(host):
        say(
            f"lmn: warning: serving on {host}, reachable from other machines; the page has "
            "no login, so only do this on a network you trust\n"
        )
    say("lmn: opening the guideline index (the first run builds it, about a minute)\n")
    warm_up(app)
    shown = f"[{host}]" if ":" in host else host
    engine_name = app.state.engine_name
    say(f"lmn: serving http://{shown}:{port}/ with the {engine_name} engine; Ctrl+C stops it\n")
    try:
        make_server(app).run(sockets=[sock])
    finally:
        sock.close()
