#!/usr/bin/env python3
"""Draft every case of the examples and the synthetic eval with ``lmn draft`` and keep the
letters, or compare them with letters kept before: a change meant to alter no letter (a speed
change, a refactoring) is checked with one run before it and one after.

Each case folder (a ``letter.txt`` or ``letter.md`` beside a ``case.yaml``) under
``examples/`` and ``evals/synthetic/`` is drafted by a fresh ``lmn draft --date DATE
--allow-gaps`` process; its Markdown goes to ``OUT/<folder path with / as __>.md`` and its
exit code to ``OUT/<...>.rc``. ``--compare BEFORE`` then lists the cases whose letter or exit
code differs from BEFORE's, with a unified diff of each, and exits 1 if any does.

Usage::

    python scripts/letters_snapshot.py OUT [--compare BEFORE] [--date 2026-12-08]
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("examples", "evals/synthetic")


def cases() -> list[Path]:
    """Case folders under FOLDERS, sorted."""
    found = []
    for folder in FOLDERS:
        for case in (ROOT / folder).glob("**/case.yaml"):
            letters = [case.parent / n for n in ("letter.txt", "letter.md")]
            found += [case.parent] if any(p.is_file() for p in letters) else []
    return sorted(found)


def draft(case: Path, out: Path, date: str) -> None:
    """Draft ``case`` into ``out`` (the letter's Markdown and the exit code)."""
    letter = next(p for p in (case / "letter.txt", case / "letter.md") if p.is_file())
    name = "__".join(case.relative_to(ROOT).parts)
    target = out / f"{name}.md"
    lmn = Path(sys.executable).with_name("lmn")
    command = [str(lmn), "draft", str(letter), "--case", str(case / "case.yaml")]
    run = subprocess.run(
        [*command, "-o", str(target), "--date", date, "--allow-gaps", "--force"],
        capture_output=True,
        cwd=ROOT,
    )
    (out / f"{name}.rc").write_text(f"{run.returncode}\n", encoding="utf-8")


def compare(before: Path, after: Path) -> int:
    """Print the cases whose files differ between the two snapshots; their number."""
    names = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
    differ = 0
    for name in names:
        old, new = before / name, after / name
        a = old.read_text(encoding="utf-8").splitlines(keepends=True) if old.is_file() else []
        b = new.read_text(encoding="utf-8").splitlines(keepends=True) if new.is_file() else []
        if a != b or old.is_file() != new.is_file():
            differ += 1
            print(f"DIFFERS: {name}")
            sys.stdout.writelines(difflib.unified_diff(a, b, str(old), str(new)))
    print(f"{differ} of {len(names)} files differ")
    return differ


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="folder for this run's letters")
    ap.add_argument("--compare", type=Path, help="an earlier run's folder to compare with")
    ap.add_argument("--date", default="2026-12-08", help="letter date (default 2026-12-08)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for case in cases():
        draft(case, args.out, args.date)
    print(f"{len(cases())} cases drafted into {args.out}")
    return 1 if args.compare and compare(args.compare, args.out) else 0


if __name__ == "__main__":
    sys.exit(main())
