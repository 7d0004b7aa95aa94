"""Load on the web API: N concurrent draft requests on loopback, offline engine.

Starts `lmn serve` on a free 127.0.0.1 port in a subprocess (so the client does not share the
server's interpreter), sends one warm-up draft, then ``--requests`` drafts of an example with
``--concurrency`` in flight at once, each bounded by ``--timeout``. Prints p50, p95, max, wall
time, throughput, errors and the server's memory (resident after the warm-up draft, and its peak
over the run, from /proc) so that "memory bounded" has a figure; exits 1 on any error.

    .venv/bin/python benchmarks/bench_web.py [--requests 50] [--concurrency 50]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.evals.scorers.base import percentile  # noqa: E402

START_TIMEOUT_S = 300.0  # the first run builds the guideline index


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "pipeline.cli", "serve", "--port", str(port)]
    env = {**os.environ, "LMN_ENGINE": "offline"}
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"bench_web: the server exited: {server.stderr.read().strip()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("bench_web: the server did not start in time")


def draft_once(client: httpx.Client, body: dict) -> tuple[float, str | None]:
    """Seconds for one draft, and an error (None when it passed validation)."""
    start = time.perf_counter()
    try:
        response = client.post("/api/draft", json=body)
    except httpx.HTTPError as exc:
        return time.perf_counter() - start, type(exc).__name__
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        return elapsed, f"HTTP {response.status_code}: {response.text[:120]}"
    if not response.json()["review"]["ok"]:
        return elapsed, "the draft failed validation"
    return elapsed, None


def rss_mb(pid: int, field: str = "VmHWM") -> float | None:
    """The process's peak (VmHWM) or current (VmRSS) resident memory from /proc, in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per request")
    parser.add_argument("--example", default="examples/tms-erisa")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    example = ROOT / args.example
    body = {
        "letter": (example / "letter.txt").read_text(encoding="utf-8"),
        "case": yaml.safe_load((example / "case.yaml").read_text(encoding="utf-8")),
        "date": "2026-11-23",
    }
    body["case"] = json.loads(json.dumps(body["case"], default=str))  # dates as ISO strings
    port = free_port()
    server = start_server(port)
    try:
        limits = httpx.Limits(max_connections=args.concurrency)
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=args.timeout, limits=limits) as client:
            warm, warm_error = draft_once(client, body)
            if warm_error:
                raise SystemExit(f"bench_web: warm-up draft failed: {warm_error}")
            warm_rss = rss_mb(server.pid, "VmRSS")
            start = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                results = list(pool.map(lambda _: draft_once(client, body), range(args.requests)))
            wall = time.perf_counter() - start
        peak = rss_mb(server.pid)
        after_rss = rss_mb(server.pid, "VmRSS")
    finally:
        server.terminate()
        server.wait(timeout=30)

    times = [t for t, _ in results]
    errors = [e for _, e in results if e]
    figures = {
        "requests": args.requests,
        "concurrency": args.concurrency,
        "cpus": os.cpu_count(),
        "warm_single_s": round(warm, 3),
        "p50_s": round(percentile(times, 50), 3),
        "p95_s": round(percentile(times, 95), 3),
        "max_s": round(max(times), 3),
        "wall_s": round(wall, 3),
        "drafts_per_s": round(args.requests / wall, 2),
        "server_rss_after_warmup_mb": warm_rss,
        "server_peak_rss_mb": peak,
        "server_rss_after_load_mb": after_rss,
        "errors": len(errors),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(
            f"web drafts: {args.requests} requests, {args.concurrency} concurrent, "
            f"offline engine, {figures['cpus']} CPU(s)"
        )
        print(f"  one warm draft   {figures['warm_single_s']:.3f} s")
        print(f"  p50              {figures['p50_s']:.3f} s")
        print(f"  p95              {figures['p95_s']:.3f} s")
        print(f"  max              {figures['max_s']:.3f} s")
        print(f"  wall             {figures['wall_s']:.3f} s ({figures['drafts_per_s']} drafts/s)")
        print(
            f"  server RSS       {warm_rss} MB after warm-up, peak {peak} MB, {after_rss} MB after"
        )
        print(f"  errors           {len(errors)}")
    for error in sorted(set(errors)):
        print(f"  error: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
