"""Offline-engine benchmark: prints figures, asserts nothing.

- warm: every example drafted in-process (index open, model loaded), median, p95 and max ms per
  letter, with the CPU time of the drafts (all threads) and what the embedding model took of it
  (tokens embedded and the model runs' CPU time per draft: the part no Python change removes);
  the first round alone is printed too: each case's first draft in the process (the warm-up
  drafts ``examples/incomplete``, which is not among the cases), so nothing one draft of a
  case left behind can make a later draft of it look faster;
- validate: median ms to validate one finished letter (its inputs read afresh, as `lmn validate`
  does), and with the run's inputs already read (``validate.Inputs``: what each round of a
  checked engine's re-draft loop pays);
- cold: wall time of a fresh `lmn draft` process (index already built), median of 3;
- memory: peak RSS of this process and of the cold child process.
Targets (issue 2/3): warm median < 500 ms, cold < 5 s, peak RSS < 600 MB, validate < 50 ms;
issue 17: warm median < 150 ms. The load average is printed first and last, and the warm drafts'
CPU time beside their wall time: on shared cores the wall time moves with the load.
Each warm draft starts with none of the process's remembered vectors (``embedding.remembered``:
a case drafted again in one process embeds only the texts it had not), so every draft is timed as
a new case's; ``--remember`` keeps them (the figures of a case drafted again, e.g. after an edit).
``--warm`` prints the warm figures only; ``--rounds N`` drafts each example N times (default 3);
``--cases DIR ...`` drafts the cases under those folders instead of the examples (each
``<slug>/letter.txt`` with its ``case.yaml``, e.g. a development set the code was not tuned on;
drafted with gaps allowed, dated ``--date``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import embedding  # noqa: E402
from pipeline.casefile import load_case  # noqa: E402
from pipeline.evals.scorers.base import percentile  # noqa: E402
from pipeline.ingest import ingest  # noqa: E402
from pipeline.retrieve import open_index  # noqa: E402
from pipeline.run import draft_letter  # noqa: E402
from pipeline.validate import Inputs, validate  # noqa: E402

TODAY = dt.date(2026, 11, 23)


def cases_under(folders: list[Path]) -> list[Path]:
    """Case folders (a ``letter.txt`` beside a ``case.yaml``) under ``folders``, sorted."""
    found = {p.parent for f in folders for p in f.glob("**/case.yaml")}
    return sorted(d for d in found if (d / "letter.txt").is_file())


def examples() -> list[Path]:
    """Example folders that are complete (the 'incomplete' one is for the gaps path)."""
    return sorted(
        p.parent for p in ROOT.glob("examples/*/case.yaml") if p.parent.name != "incomplete"
    )


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def native_cpu() -> float:
    """CPU seconds of this process's threads that are not Python's (onnxruntime's own intra-op
    threads: a run's work on them is not the calling thread's ``thread_time``)."""
    python = {t.native_id for t in threading.enumerate()}
    total = 0
    for task in Path("/proc/self/task").glob("*"):
        if int(task.name) in python:
            continue
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the thread ended
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


class ModelUse:
    """Tokens embedded and the embedding runs' CPU time, counted by wrapping
    ``embedding._encode`` while the warm drafts run: the calling threads' time in each run,
    plus what onnxruntime's own threads spent meanwhile (``native_cpu``, Linux only)."""

    def __init__(self) -> None:
        self.tokens = 0
        self.padded = 0
        self.runs = 0
        self.cpu = 0.0
        self.lock = threading.Lock()
        self.encode = embedding._encode
        self.native = 0.0

    def __enter__(self) -> ModelUse:
        self.native = native_cpu() if Path("/proc/self/task").is_dir() else 0.0

        def counted(model: Any, texts: list[str], *tokens: Any) -> np.ndarray:
            start = time.thread_time()
            rows = self.encode(model, texts, *tokens)
            spent = time.thread_time() - start
            encodings = tokens[0] if tokens else model.tokenizer.encode_batch(texts)
            lengths = [sum(e.attention_mask) for e in encodings]
            with self.lock:
                self.tokens += sum(lengths)
                self.padded += len(lengths) * max(lengths)
                self.runs += 1
                self.cpu += spent
            return rows

        embedding._encode = counted  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        embedding._encode = self.encode  # type: ignore[assignment]

    def totals(self) -> tuple[int, int, int, float]:
        """(tokens, tokens with padding, runs, CPU seconds) so far."""
        native = native_cpu() - self.native if Path("/proc/self/task").is_dir() else 0.0
        with self.lock:
            return self.tokens, self.padded, self.runs, self.cpu + native


def report(
    what: str,
    wall: list[float],
    cpu: list[float],
    tokens: int,
    padded: int,
    runs: int,
    model: float,
) -> None:
    """Median, p95 and max of these drafts' wall and CPU time, and the model's share."""
    n = len(cpu)
    print(
        f"{what}: median {ms(statistics.median(wall))}, p95 {ms(percentile(wall, 95))}, "
        f"max {ms(max(wall))} over {n} drafts (load {os.getloadavg()[0]:.2f})"
    )
    print(
        f"  CPU (all threads): median {ms(statistics.median(cpu))}, "
        f"p95 {ms(percentile(cpu, 95))}; of it the embedding model: {tokens / n:.0f} tokens "
        f"({padded / n:.0f} with the padding of shared runs) in {runs / n:.1f} runs, "
        f"{ms(model / n)} a draft"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--warm", action="store_true", help="the warm drafts only")
    parser.add_argument("--rounds", type=int, default=3, help="drafts of each example")
    parser.add_argument(
        "--remember", action="store_true", help="keep the vectors of earlier drafts' texts"
    )
    parser.add_argument("--cases", type=Path, nargs="+", help="draft the cases under these")
    parser.add_argument("--date", type=dt.date.fromisoformat, default=TODAY, help="letter date")
    args = parser.parse_args()
    dirs = cases_under(args.cases) if args.cases else examples()
    if not dirs:
        parser.error("no case folder (letter.txt with case.yaml) under --cases")
    today, gaps = args.date, bool(args.cases)
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    t0 = time.perf_counter()
    index = open_index()
    print(f"index open: {ms(time.perf_counter() - t0)} ({len(index.passages)} passages)")
    inputs = [(ingest(str(d / "letter.txt")), load_case(d / "case.yaml")) for d in dirs]
    # load the embedding model once with a case that is not measured (so that the first round
    # is each case's first draft); then, as `lmn serve` does after its warm-up, what lives as
    # long as the process is kept out of the cyclic collector's full collections
    warm_up = ROOT / "examples/incomplete"
    draft_letter(
        ingest(str(warm_up / "letter.txt")),
        load_case(warm_up / "case.yaml"),
        index=index,
        today=today,
        allow_gaps=True,
    )
    index.prepare()
    gc.freeze()

    per_letter, cpu, drafts, first = [], [], [], None
    with ModelUse() as model:
        for _ in range(args.rounds):
            for letter, case in inputs:
                if not args.remember:
                    embedding.remembered.clear()
                t, c = time.perf_counter(), time.process_time()
                drafts.append(draft_letter(letter, case, index=index, today=today, allow_gaps=gaps))
                per_letter.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
            first = first or model.totals()
    assert first is not None
    report("first draft of each case", per_letter[: len(dirs)], cpu[: len(dirs)], *first)
    report(f"warm draft, {args.rounds} rounds", per_letter, cpu, *model.totals())
    if args.warm:
        return

    timings: list[float] = []
    again: list[float] = []
    for d in drafts[: len(dirs)]:
        read = Inputs.of(d)
        for _ in range(20):
            t = time.perf_counter()
            validate(d)
            timings.append(time.perf_counter() - t)
            t = time.perf_counter()
            validate(d, read)
            again.append(time.perf_counter() - t)
    print(f"validate: median {ms(statistics.median(timings))}, p95 {ms(percentile(timings, 95))}")
    print(
        f"validate with the run's inputs: median {ms(statistics.median(again))}, "
        f"p95 {ms(percentile(again, 95))}"
    )
    print(
        f"peak RSS (in-process): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )

    lmn = Path(sys.executable).with_name("lmn")
    cold = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(3):
            out = Path(tmp) / f"letter{i}.md"
            t = time.perf_counter()
            subprocess.run(
                [
                    str(lmn),
                    "draft",
                    str(dirs[0] / "letter.txt"),
                    "--case",
                    str(dirs[0] / "case.yaml"),
                    "-o",
                    str(out),
                    *(["--allow-gaps"] if gaps else []),
                ],
                check=True,
                capture_output=True,
            )
            cold.append(time.perf_counter() - t)
    print(
        f"cold `lmn draft`: median {statistics.median(cold):.2f} s (runs: "
        + ", ".join(f"{c:.2f}" for c in cold)
        + ")"
    )
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS (cold child): {child_rss:.0f} MB")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
