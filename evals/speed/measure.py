"""Warm-draft work on small denials in shapes the examples lack: how often the notice's ground
is chosen in one draft, how many regex patterns a warm draft compiles, and its CPU time.

The process first drafts every example twice (index, model, the static patterns compiled).
Each case under ``cases/`` is then drafted offline once (counted as ``new``), once more to
settle ``re``'s cache (it drops its oldest pattern when its 512 are full, so the second draft
recompiles what the first pushed out), then ``--rounds`` times, counted:

- ``selects``: calls of ``reasoning.grounds.select`` per draft (read from a profile of the
  drafts, so a caller holding the function under another name is counted too); the ground is
  chosen once and passed down, so the budget is 1;
- ``compiles``: patterns the regex engine compiles per warm draft (``re._compiler.compile``,
  which ``re`` calls only when its 512-pattern cache misses): a pattern built from the case's
  words, or a static one pushed out of the cache by those, is compiled again every draft;
- ``new``: patterns compiled by the case's first draft, after the process drafted every
  example twice (a server's draft of a case it has not seen: the patterns built from the
  case's words, and the static ones of paths no example took, compiled on first use);
- CPU ms per draft (all threads; the embedding model's runs included), median, outside the
  profile; it moves with the machine's load, which is printed beside it.

The budget is in ``labels.yaml`` with each case's slice (tuned: read while changing the code;
held_out: measured only for the report). Usage:
``python -m evals.speed.measure [--slice tuned|held_out|all] [--rounds N]``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import re
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from pipeline.casefile import load_case
from pipeline.ingest import ingest
from pipeline.models import CaseFacts, DenialLetter
from pipeline.pipeline import Pipeline
from pipeline.reasoning import grounds
from pipeline.retrieve import open_index

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2026, 12, 7)


@contextmanager
def counted_compiles() -> Iterator[list[int]]:
    """Counts the patterns the regex engine compiles inside the block (its cache's misses)."""
    compiler: Any = re._compiler  # type: ignore[attr-defined]  # private; no stubs
    real: Callable[..., Any] = compiler.compile
    count = [0]

    def compile_counted(pattern: Any, flags: int = 0) -> Any:
        count[0] += 1
        return real(pattern, flags)

    compiler.compile = compile_counted
    try:
        yield count
    finally:
        compiler.compile = real


def calls_of(profile: cProfile.Profile, function: Callable[..., Any]) -> int:
    """How many times the profile saw ``function`` called."""
    code = function.__code__
    stats: dict[tuple[str, int, str], tuple[Any, ...]] = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    key = (code.co_filename, code.co_firstlineno, code.co_name)
    return int(stats[key][1]) if key in stats else 0


def measure(
    pipe: Pipeline, letter: DenialLetter, case: CaseFacts, rounds: int
) -> dict[str, float]:
    """One case's selects and compiles per warm draft and its median CPU ms."""

    def draft() -> None:
        pipe.run(letter, case, today=TODAY, allow_gaps=True, reject=False)

    with counted_compiles() as new:
        draft()  # a case the process has not seen: its own words are new to it
    draft()  # the patterns the first draft pushed out of ``re``'s first-in-first-out cache
    profile = cProfile.Profile()
    with counted_compiles() as compiles:
        profile.enable()
        for _ in range(rounds):
            draft()
        profile.disable()
    cpu = []
    for _ in range(rounds):
        start = time.process_time()
        draft()
        cpu.append(time.process_time() - start)
    return {
        "selects": calls_of(profile, grounds.select) / rounds,
        "compiles": compiles[0] / rounds,
        "new_compiles": float(new[0]),
        "cpu_ms": statistics.median(cpu) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--slice", choices=["tuned", "held_out", "all"], default="tuned")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    labels = yaml.safe_load((HERE / "labels.yaml").read_text(encoding="utf-8"))
    budget: dict[str, float] = labels["budget"]
    names = [n for n, c in labels["cases"].items() if args.slice in ("all", c["slice"])]
    pipe = Pipeline(None, index=open_index())
    examples = sorted(p.parent for p in (HERE.parents[1] / "examples").glob("*/case.yaml"))
    warm = [(ingest(str(d / "letter.txt")), load_case(d / "case.yaml")) for d in examples]
    for _ in range(2):  # a warm process: every static pattern the examples use, compiled
        for letter, case in warm:
            pipe.run(letter, case, today=TODAY, allow_gaps=True, reject=False)
    print(f"load average {os.getloadavg()[0]:.2f}")
    over = 0
    rows = []
    for name in names:
        folder = HERE / "cases" / name
        letter, case = ingest(str(folder / "letter.txt")), load_case(folder / "case.yaml")
        row = measure(pipe, letter, case, args.rounds)
        rows.append(row)
        bad = [k for k, limit in budget.items() if row[k] > limit]
        over += bool(bad)
        print(
            f"{labels['cases'][name]['slice']:8} {name:24} selects {row['selects']:.1f}  "
            f"compiles {row['compiles']:.1f} (new case {row['new_compiles']:.0f})  "
            f"cpu {row['cpu_ms']:.0f} ms"
            + (f"  OVER: {', '.join(bad)}" if bad else "")
        )
    print(
        f"{len(names) - over}/{len(names)} within budget; mean selects "
        f"{statistics.mean(r['selects'] for r in rows):.2f}, compiles "
        f"{statistics.mean(r['compiles'] for r in rows):.2f} (new case "
        f"{statistics.mean(r['new_compiles'] for r in rows):.1f}), median cpu "
        f"{statistics.median(r['cpu_ms'] for r in rows):.0f} ms (load {os.getloadavg()[0]:.2f})"
    )


if __name__ == "__main__":
    main()
