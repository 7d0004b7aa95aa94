"""Build ``evals/suites/synthetic.jsonl`` from the synthetic letters and their hand labels.

Each entry of ``evals/synthetic/labels.yaml`` names a folder holding ``letter.txt`` (or
``letter.md``) and, unless the case is letter-only, ``case.yaml``; the entry's ``expected`` and
``metadata`` are written as they are. The case file is checked with the product's own loader,
so the suite never holds a case the pipeline would reject. Everything is synthetic: no real
patient, member or provider data.

Run: ``python evals/make_synthetic.py [--check]`` (``--check`` exits 1 when the suite file is
out of date instead of writing it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "evals/synthetic/labels.yaml"
OUTPUT = ROOT / "evals/suites/synthetic.jsonl"


def build_case(slug: str, entry: dict[str, Any]) -> dict[str, Any]:
    """One suite line from a labels entry."""
    from pipeline.casefile import load_case
    from pipeline.evals.cases import EvalCase

    folder = ROOT / entry["dir"]
    letters = [p for p in (folder / "letter.txt", folder / "letter.md") if p.is_file()]
    if len(letters) != 1:
        raise SystemExit(f"{folder}: needs exactly one letter.txt or letter.md")
    case_file = folder / "case.yaml"
    case = load_case(case_file).model_dump(mode="json") if case_file.is_file() else None
    record = {
        "id": f"syn-{slug}",
        "source": "synthetic",
        "denial_letter": letters[0].read_text(encoding="utf-8"),
        "case": case,
        "expected": entry["expected"],
        "metadata": {"letter_file": str(letters[0].relative_to(ROOT)), **entry.get("metadata", {})},
    }
    checked = EvalCase.model_validate(record)  # the suite holds only cases the loader accepts
    record["expected"] = checked.expected.model_dump(mode="json", exclude_none=True)
    return record


def render(labels: Path = LABELS) -> str:
    entries = yaml.safe_load(labels.read_text(encoding="utf-8"))
    lines = [json.dumps(build_case(slug, e), ensure_ascii=False) for slug, e in entries.items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the suite is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.is_file() else ""
        if current != text:
            print(f"{OUTPUT}: out of date; run python evals/make_synthetic.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10))} cases to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
