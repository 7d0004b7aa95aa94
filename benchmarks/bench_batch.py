"""Volume benchmark for `lmn batch`: prints figures, asserts nothing.

1. offline: N denials (default 1,000; the bundled examples and the synthetic eval cases, cycled
   through a CSV manifest) through `lmn batch -j JOBS` on the offline engine: wall time,
   letters per second, outcome counts, peak memory (the whole process tree, sampled, and the
   largest single process); then the same command again (resume: nothing to redo);
2. the loops it replaces: the first LOOP items drafted one after another in one process with
   Pipeline (warm), and CLI_LOOP items as a shell loop of `lmn draft` (a process per letter);
3. model: MODEL_N denials through `lmn batch --engine openai -j MODEL_JOBS --rate RATE` against
   the project's fault-injection server (tests/fault_server.py) answering as a capable model
   would, with a share of requests faulting (429, 500, hangs, broken JSON...): wall time,
   letters per second, outcome counts, requests and faults seen, requests per minute.

    python benchmarks/bench_batch.py                 # everything (about 15-25 min on 2 cores)
    python benchmarks/bench_batch.py --n 200 --skip-model
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LMN = (
    [str(Path(sys.executable).with_name("lmn"))]
    if Path(sys.executable).with_name("lmn").exists()
    else [sys.executable, "-m", "pipeline.cli"]
)
DATE = "2026-11-23"


def sources() -> list[Path]:
    """Folders with letter.txt and case.yaml: the complete examples and the synthetic cases."""
    found = [p.parent for p in ROOT.glob("examples/*/case.yaml") if p.parent.name != "incomplete"]
    found += [p.parent for p in ROOT.glob("evals/synthetic/cases/*/case.yaml")]
    return sorted(p for p in found if (p / "letter.txt").is_file())


def write_manifest(path: Path, n: int) -> list[Path]:
    folders = sources()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "letter", "case"])
        for i in range(n):
            folder = folders[i % len(folders)]
            writer.writerow([f"{i:04d}-{folder.name}", folder / "letter.txt", folder / "case.yaml"])
    return folders


class TreeMemory:
    """Peak resident memory of a process and its children, sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.peak_total = 0
        self.peak_single = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        import psutil

        while not self.stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
                sizes = []
                for proc in procs:
                    try:
                        sizes.append(proc.memory_info().rss)
                    except psutil.Error:
                        continue
                self.peak_total = max(self.peak_total, sum(sizes))
                self.peak_single = max(self.peak_single, max(sizes, default=0))
            except psutil.Error:
                pass
            self.stop.wait(0.2)

    def done(self) -> tuple[float, float]:
        self.stop.set()
        self.thread.join()
        return self.peak_total / 2**20, self.peak_single / 2**20


def children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def self_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_batch(args: list[str], env: dict[str, str]) -> tuple[int, float, float, float, float]:
    """`lmn batch ARGS`: exit code, seconds, peak MB of the tree and of one process, CPU
    seconds of the tree."""
    cpu = children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*LMN, "batch", *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    memory = TreeMemory(proc.pid)
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    total, single = memory.done()
    if proc.returncode not in (0, 3, 4):
        print(err.decode(errors="replace")[-2000:])
    return proc.returncode, seconds, total, single, children_cpu() - cpu


def statuses(out: Path) -> Counter[str]:
    rows = csv.DictReader((out / "summary.csv").read_text(encoding="utf-8").splitlines())
    return Counter(r["status"] for r in rows)


def offline(work: Path, n: int, jobs: int, loop: int, cli_loop: int, env: dict[str, str]) -> None:
    manifest = work / "offline.csv"
    folders = write_manifest(manifest, n)
    print(f"inputs: {n} denials cycled over {len(folders)} letter/case pairs; {jobs} worker(s)")
    out = work / "offline-out"
    rc, seconds, total, single, cpu = run_batch(
        [str(manifest), "-o", str(out), "-j", str(jobs), "--date", DATE], env
    )
    counts = dict(statuses(out))
    print(
        f"lmn batch, offline, {n} letters: {seconds:.1f} s, {n / seconds:.2f} letters/s "
        f"(exit {rc}; {counts})"
    )
    print(f"  peak memory: {total:.0f} MB for the process tree, {single:.0f} MB the largest one")
    print(f"  CPU: {cpu / n * 1000:.0f} ms per letter (the tree's user+system time)")
    rc, again, _, _, _ = run_batch(
        [str(manifest), "-o", str(out), "-j", str(jobs), "--date", DATE], env
    )
    print(f"  the same command again (resume, nothing to redo): {again:.1f} s (exit {rc})")

    # the loop a batch replaces, in one warm process
    from pipeline.casefile import load_case
    from pipeline.ingest import ingest
    from pipeline.pipeline import Pipeline
    from pipeline.retrieve import get_index

    get_index()  # opened before the timer, as the batch's workers open it once each
    pipeline = Pipeline()
    today = dt.date.fromisoformat(DATE)
    times = []
    start, cpu0 = time.perf_counter(), self_cpu()
    for i in range(loop):
        folder = folders[i % len(folders)]
        t0 = time.perf_counter()
        pipeline.run(
            ingest(folder / "letter.txt"),
            load_case(folder / "case.yaml"),
            today=today,
            allow_gaps=True,
        )
        times.append(time.perf_counter() - t0)
    loop_s = time.perf_counter() - start
    loop_cpu = (self_cpu() - cpu0) / max(1, loop)
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"single-draft loop, one warm process, {loop} letters: {loop / loop_s:.2f} letters/s "
        f"(median {statistics.median(times) * 1000:.0f} ms per letter), peak {rss:.0f} MB, "
        f"CPU {loop_cpu * 1000:.0f} ms per letter"
    )
    start = time.perf_counter()
    for i in range(cli_loop):
        folder = folders[i % len(folders)]
        subprocess.run(
            [
                *LMN,
                "draft",
                str(folder / "letter.txt"),
                "--case",
                str(folder / "case.yaml"),
                "--allow-gaps",
                "--date",
                DATE,
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    per = (time.perf_counter() - start) / max(1, cli_loop)
    print(
        f"shell loop of `lmn draft`, {cli_loop} letters: {1 / per:.2f} letters/s ({per:.2f} s each)"
    )
    print(
        f"  => lmn batch is {n / seconds / (loop / loop_s):.2f}x the warm loop, "
        f"{n / seconds * per:.1f}x the shell loop"
    )


def model(
    work: Path, n: int, jobs: int, rate: float, fault_share: float, env: dict[str, str]
) -> None:
    from tests.fault_server import FaultServer
    from tests.test_fault_run import CONFIG, RandomFaults

    manifest = work / "model.csv"
    write_manifest(manifest, n)
    faults = RandomFaults(seed=20)
    faults.rate = fault_share
    server = FaultServer(responder=faults).start()
    config = work / "config.toml"
    config.write_text("".join(f"{k} = {v}\n" for k, v in CONFIG.items()), encoding="utf-8")
    try:
        out = work / "model-out"
        model_env = {**env, "LMN_CONFIG": str(config)}
        rc, seconds, total, single, _ = run_batch(
            [
                str(manifest),
                "-o",
                str(out),
                "-j",
                str(jobs),
                "--rate",
                str(rate),
                "--date",
                DATE,
                "--engine",
                "openai",
                "--base-url",
                server.base_url,
            ],
            model_env,
        )
    finally:
        server.stop()
    counts = dict(statuses(out))
    requests = len(server.requests)
    print(
        f"lmn batch, model engine (fault server, {fault_share:.0%} of requests fault), "
        f"{n} letters, -j {jobs}, --rate {rate:g}/min: {seconds:.1f} s, "
        f"{n / seconds:.2f} letters/s (exit {rc})"
    )
    print(f"  outcomes: {counts}")
    print(
        f"  requests: {requests} ({requests / seconds * 60:.0f}/min, cap {rate:g}/min on engine "
        f"calls); faults served: {dict(faults.total)}"
    )
    print(f"  peak memory: {total:.0f} MB for the process tree, {single:.0f} MB the largest one")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--loop", type=int, default=100)
    parser.add_argument("--cli-loop", type=int, default=10)
    parser.add_argument("--model-n", type=int, default=100)
    parser.add_argument("--model-jobs", type=int, default=4)
    parser.add_argument("--rate", type=float, default=600.0)
    parser.add_argument("--fault-share", type=float, default=0.2)
    parser.add_argument("--skip-offline", action="store_true")
    parser.add_argument("--skip-model", action="store_true")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.setdefault("LMN_INDEX_DIR", str(ROOT / ".lmn" / "index"))
    os.environ["LMN_INDEX_DIR"] = env["LMN_INDEX_DIR"]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"cores: {len(os.sched_getaffinity(0))}; load average {load}; {dt.date.today()}")
    with tempfile.TemporaryDirectory(prefix="lmn-bench-batch-") as tmp:
        work = Path(tmp)
        if not args.skip_offline:
            offline(work, args.n, args.jobs, args.loop, args.cli_loop, env)
        if not args.skip_model:
            model(work, args.model_n, args.model_jobs, args.rate, args.fault_share, env)


if __name__ == "__main__":
    main()
