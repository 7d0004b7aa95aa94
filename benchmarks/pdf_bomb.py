"""A PDF bomb (issue 14, defect 2): tiny file, pages sharing one multi-MB content stream.

    .venv/bin/python benchmarks/pdf_bomb.py [--pages 10] [--mb 4]

Builds the file, reads it through ``ingest`` (the child process with its caps) and prints the
file size, the wall time, the outcome, and the peak memory of the children (RUSAGE_CHILDREN).
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import threading
import time
from pathlib import Path

import psutil

from tests.hostile import pdf_bomb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--mb", type=float, default=4.0)
    args = parser.parse_args()
    from pipeline.errors import InputError
    from pipeline.ingest import ingest

    data = pdf_bomb(args.pages, args.mb)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bomb.pdf"
        path.write_bytes(data)
        peak = [0]
        done = threading.Event()

        def watch() -> None:  # the reader is a forkserver's child: sample every process below
            me = psutil.Process()
            while not done.wait(0.02):
                for proc in me.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        peak[0] = max(peak[0], proc.memory_info().rss)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        start = time.perf_counter()
        try:
            letter = ingest(path)
            outcome = f"read {letter.pages} pages, {len(letter.text)} characters"
        except InputError as exc:
            outcome = f"refused: {exc}"
        elapsed = time.perf_counter() - start
        done.set()
        watcher.join()
    peak_mb = peak[0] / 2**20
    print(f"file: {len(data) / 1024:.1f} KB, {args.pages} pages sharing {args.mb} MB of content")
    print(f"time: {elapsed:.2f} s; peak RSS of the reading processes: {peak_mb:.0f} MB")
    print(f"outcome: {outcome}")


if __name__ == "__main__":
    main()
