"""Run the coverage-guided fuzzer (atheris, libFuzzer) on one target and keep what it grew.

    .venv/bin/pip install -e '.[fuzz]'
    .venv/bin/python fuzz/run.py TARGET --seconds 300     # TARGET: ingest extract casefile
                                                         #         validate web, or all
    .venv/bin/python fuzz/run.py --refresh-template       # after the Draft model changed

The fuzzer starts from tests/fuzz_corpus/TARGET/ plus seeds made from examples/ (letters, case
files, a text PDF, encrypted, truncated and garbled PDFs). When it stops, the corpus and what it
grew are merged (libFuzzer -merge=1: the smallest set with the same coverage) back into
tests/fuzz_corpus/TARGET/, which tests/test_fuzz_replay.py replays without atheris. A crash
stops the run; its input is written to --crashes and named in the output.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "tests" / "fuzz_corpus"
NAMES = ("ingest", "extract", "casefile", "validate", "web")
MAX_LEN = 4096
"""Longest input the fuzzer makes (huge inputs are the property tests' job)."""
MAX_FILES = 400
MAX_KIB = 384
"""Corpus budget per target (the corpus is committed)."""
REGRESSION_PREFIX = "regress-"


def _worker(target: str, program: str, libfuzzer_args: list[str]) -> None:
    """Inside the fuzzing process: instrument the pipeline, then hand over to libFuzzer
    (``program``, the wrapper script, is what libFuzzer re-runs for -merge)."""
    import atheris

    # yaml: the constructor is Python even over libyaml; pypdf: the PDF parser ingest uses.
    with atheris.instrument_imports(include=["pipeline", "yaml", "pypdf"]):
        import pypdf  # noqa: F401
        import yaml  # noqa: F401

        import pipeline.casefile
        import pipeline.cli
        import pipeline.extract
        import pipeline.ingest
        import pipeline.validate
        import pipeline.web.app
        import pipeline.web.export
        import pipeline.web.review  # noqa: F401
    from fuzz.targets import run_target

    def test_one(data: bytes) -> None:
        run_target(target, data)

    atheris.Setup([program, *libfuzzer_args], test_one)
    atheris.Fuzz()


def _wrapper(folder: Path, target: str) -> Path:
    """An executable that libFuzzer can re-run (merge runs the target in a child process)."""
    script = folder / f"fuzz-{target}"
    script.write_text(
        f'#!/bin/sh\nexec "{sys.executable}" "{Path(__file__).resolve()}" '
        f'--worker {target} "{script}" "$@"\n'
    )
    script.chmod(0o755)
    return script


def _dictionary(folder: Path, target: str) -> Path:
    """A libFuzzer dictionary: the case file's keys, JSON/YAML and PDF syntax."""
    from pipeline.models import CaseFacts

    words = {"[", "]", "{", "}", ": ", "- ", "&a ", "*a", "!!", "---", "...", "null", "~"}
    words |= {"%PDF-1.4", "obj", "endobj", "stream", "endstream", "xref", "trailer", "/Encrypt"}
    words |= {"/Filter /FlateDecode", "/Type /Page", "BT", "ET", "Tj", "%%EOF", "\\ud800"}
    words |= {'"letter": ', '"text": ', '"markdown": ', '"filename": ', '"draft": '}
    words |= {"2026-02-30", "1e999", "NaN", "0x1F", "\\u0000", "[1]", "## Criterion 1"}

    def fields(model: type) -> None:
        for name, info in model.model_fields.items():
            words.add(f"{name}: ")
            words.add(f'"{name}": ')
            for arg in getattr(info.annotation, "__args__", (info.annotation,)):
                inner = getattr(arg, "__args__", (arg,))
                for kind in inner:
                    if isinstance(kind, type) and hasattr(kind, "model_fields"):
                        fields(kind)

    fields(CaseFacts)
    path = folder / f"{target}.dict"
    path.write_text("".join(f"{json.dumps(w)}\n" for w in sorted(words)))
    return path


def _stat(log: str, name: str) -> int:
    found = re.findall(rf"stat::{name}:\s*(\d+)", log)
    return int(found[-1]) if found else 0


def _libfuzzer(wrapper: Path, target: str, tmp: Path, max_len: int) -> list[str]:
    """The command line shared by fuzzing and merging."""
    return [
        str(wrapper),
        f"-max_len={max_len}",
        "-rss_limit_mb=4096",
        "-timeout=30",
        f"-dict={_dictionary(tmp, target)}",
    ]


def _merge(command: list[str], corpus: Path, inputs: list[Path], max_kib: int) -> None:
    """Replace ``corpus`` by the smallest set of ``inputs`` with their coverage (libFuzzer
    -merge=1), then keep the smallest files up to ``max_kib`` KiB and MAX_FILES files.
    Inputs named regress-* (crashes found and fixed) always stay."""
    merged = corpus.parent / f".{corpus.name}.merging"
    shutil.rmtree(merged, ignore_errors=True)
    merged.mkdir()
    try:
        subprocess.run(
            [*command, "-merge=1", str(merged), *map(str, inputs)],
            capture_output=True,
            check=False,
            env={**os.environ, "TMPDIR": str(inputs[0].parent)},
        )
        pinned = {p.read_bytes() for p in corpus.glob(f"{REGRESSION_PREFIX}*")}
        candidates = sorted(merged.iterdir(), key=lambda p: (p.stat().st_size, p.name))
        kept, total = [], sum(len(p) for p in pinned)
        for path in candidates:
            size = path.stat().st_size
            if len(kept) >= MAX_FILES or total + size > max_kib * 1024:
                break
            if path.read_bytes() not in pinned:
                kept.append(path)
                total += size
        if not kept:
            return
        for old in corpus.iterdir():
            if not old.name.startswith(REGRESSION_PREFIX):
                old.unlink()
        for path in kept:
            shutil.copy2(path, corpus / path.name)
    finally:
        shutil.rmtree(merged, ignore_errors=True)


def fuzz(
    target: str,
    seconds: int,
    crashes: Path,
    max_len: int = MAX_LEN,
    max_kib: int = MAX_KIB,
    merge_only: bool = False,
) -> bool:
    """Fuzz ``target`` for ``seconds`` and merge the corpus; True when no crash was found.
    With ``merge_only``, only re-merge (and trim) the committed corpus."""
    from fuzz.seeds import write_seeds

    corpus = CORPUS / target
    corpus.mkdir(parents=True, exist_ok=True)
    crashes.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"lmn-fuzz-{target}-") as tmp:
        tmp_path = Path(tmp)
        work, seeds = tmp_path / "work", tmp_path / "seeds"
        shutil.copytree(corpus, work)
        n_seeds = write_seeds(target, seeds)
        command = _libfuzzer(_wrapper(tmp_path, target), target, tmp_path, max_len)
        started = time.monotonic()
        log, returncode = "", 0
        if not merge_only:
            run = subprocess.run(
                [
                    *command,
                    f"-max_total_time={seconds}",
                    "-print_final_stats=1",
                    f"-artifact_prefix={crashes}/",
                    str(work),
                    str(seeds),
                ],
                capture_output=True,
                text=True,
                errors="replace",
                env={**os.environ, "TMPDIR": tmp},  # libFuzzer exits without atexit cleanup
            )
            log, returncode = run.stderr, run.returncode
            (crashes / f"{target}.log").write_text(log)
        elapsed = time.monotonic() - started
        _merge(command, corpus, [work, seeds], max_kib)
    execs = _stat(log, "number_of_executed_units")
    crash_files = re.findall(r"Test unit written to (\S+)", log)
    size = sum(p.stat().st_size for p in corpus.iterdir())
    print(
        f"{target}: {elapsed:.0f} s, {execs} inputs tried, {n_seeds} seeds, "
        f"{len(list(corpus.iterdir()))} corpus files kept ({size / 1024:.0f} KiB), "
        f"{len(crash_files)} crash(es)"
    )
    for path in crash_files:
        print(f"  crash input: {path}")
    if crash_files or returncode != 0:
        tail = "\n".join(log.splitlines()[-40:])
        print(f"  libFuzzer exit {returncode}; last lines of the log:\n{tail}")
    return not crash_files and returncode == 0


def refresh_template() -> None:
    """Rewrite fuzz/template_draft.json: the offline draft of examples/tms-erisa."""
    import datetime as dt

    from fuzz.targets import TEMPLATE_PATH
    from pipeline.casefile import load_case
    from pipeline.ingest import ingest
    from pipeline.run import draft_letter

    example = ROOT / "examples" / "tms-erisa"
    draft = draft_letter(
        ingest(example / "letter.txt"),
        load_case(example / "case.yaml"),
        today=dt.date(2026, 11, 23),
    )
    TEMPLATE_PATH.write_text(draft.model_dump_json(indent=1) + "\n", encoding="utf-8")
    print(f"wrote {TEMPLATE_PATH}")


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        _worker(argv[1], argv[2], argv[3:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", choices=[*NAMES, "all"])
    parser.add_argument("--seconds", type=int, default=60, help="Fuzzing time per target.")
    parser.add_argument("--max-len", type=int, default=MAX_LEN, help="Longest input made.")
    parser.add_argument(
        "--crashes",
        type=Path,
        default=Path(tempfile.gettempdir()) / "lmn-fuzz-crashes",
        help="Where crashing inputs and the fuzzer's log go.",
    )
    parser.add_argument("--max-kib", type=int, default=MAX_KIB, help="Corpus size budget.")
    parser.add_argument(
        "--merge-only", action="store_true", help="Only re-merge and trim the corpus."
    )
    parser.add_argument("--refresh-template", action="store_true")
    args = parser.parse_args(argv)
    if args.refresh_template:
        refresh_template()
        return 0
    if args.target is None:
        parser.error("give a target or --refresh-template")
    targets = NAMES if args.target == "all" else (args.target,)
    ok = [
        fuzz(t, args.seconds, args.crashes / t, args.max_len, args.max_kib, args.merge_only)
        for t in targets
    ]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
