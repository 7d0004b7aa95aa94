"""200 slow-header connections against `lmn serve` (issue 14, defect 12), loopback only.

    .venv/bin/python benchmarks/slow_connections.py [--connections 200] [--seconds 30]

Serves the app as `lmn serve` does (uvicorn, the same protocol class and limits) on a free
127.0.0.1 port in this process, opens N connections that send a request line and then one
header byte every 2 s (a slowloris), and prints, every few seconds, how many the server still
holds and how long a normal /api/health request takes meanwhile. Stops by itself.
"""

from __future__ import annotations

import argparse
import socket
import threading
import time

import httpx

from pipeline.web.app import create_app
from pipeline.web.serve import HEADER_SECONDS, bind, make_server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = make_server(create_app())
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    conns: list[socket.socket] = []
    for _ in range(args.connections):
        c = socket.create_connection(("127.0.0.1", port))
        c.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        c.setblocking(False)
        conns.append(c)
    start = time.monotonic()
    open_ = set(range(len(conns)))
    print(f"{len(conns)} slow-header connections; header deadline {HEADER_SECONDS:.0f} s")
    last_drip = 0.0
    all_closed_at = None
    while time.monotonic() - start < args.seconds:
        now = time.monotonic() - start
        for i in list(open_):
            try:
                if conns[i].recv(1) == b"":
                    open_.discard(i)
            except BlockingIOError:
                pass
            except OSError:
                open_.discard(i)
        if now - last_drip >= 2:
            last_drip = now
            for i in list(open_):
                try:
                    conns[i].send(b"a")
                except OSError:
                    open_.discard(i)
            t0 = time.perf_counter()
            ok = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=10).status_code
            ms = (time.perf_counter() - t0) * 1000
            print(
                f"t={now:5.1f} s  held: {len(open_):3d}  /api/health {ok} in {ms:.0f} ms"
            )
        if not open_ and all_closed_at is None:
            all_closed_at = now
        time.sleep(0.1)
    for c in conns:
        c.close()
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
    closed = f"{all_closed_at:.1f} s" if all_closed_at is not None else "not within the run"
    print(f"all {len(conns)} closed by the server after {closed}")


if __name__ == "__main__":
    main()
