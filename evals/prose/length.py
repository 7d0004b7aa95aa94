"""Letter length over every denial+case folder of the repository, tuned and held-out apart.

    python -m evals.prose.length [--out DIR] [--keys FILE] [--json]

Each folder holding ``letter.txt`` and ``case.yaml`` (the bundled examples, the eval sets, the
test fixtures) is drafted offline on a fixed date with gaps allowed, as
``lmn draft letter.txt --case case.yaml --date 2026-12-08 --allow-gaps`` does, and measured:
its words (the whole letter, and the body without References, which is what the validator's
``length.over_three_pages`` warning counts) and whether that warning fired.

``HELDOUT`` names four folders chosen before the length changes and never read while tuning
them: their figures are reported apart, and ``--out`` never writes their letters.

``--keys FILE`` writes, per letter, what no length cut may lose (the criteria argued, every
code, modifier and unit, the enclosures, the deadline sentence, the route and the
peer-to-peer offer) as JSON, so two runs can be diffed (``--diff OLD NEW`` prints what a
letter lost).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import statistics
import sys
from pathlib import Path
from typing import Any

from pipeline import letter_format as lf
from pipeline.casefile import load_case
from pipeline.ingest import ingest
from pipeline.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 8)
ROOTS = ("examples", "evals", "tests/fixtures")
HELDOUT = frozenset(
    {
        "examples/cpap-medicaid",
        "evals/synthetic/cases/irf-level-of-care-ma",
        "evals/variants/cases/pegloticase-gout-erisa",
        "evals/route/cases/ho-partd-pdp-rifaximin",
    }
)
"""Chosen before the length changes (a Medicaid DME, a Medicare Advantage level of care, an
ERISA infusion, a Part D drug): measured, never read while tuning."""
LENGTH_CODE = "length.over_three_pages"

_CODE_RE = re.compile(
    r"\b(?:[A-Z]\d{4}|\d{4}[0-9TFU]|[A-TV-Z]\d{2}(?:\.[0-9A-Z]{1,4})?)\b"
    r"|\bmodifier\s+[A-Z0-9]{2}\b|\b\d+\s+(?:units?|visits?|sessions?|tablets?|doses?)\b",
)
"""A CPT/HCPCS/ICD-10 code, a modifier, a count of units or visits: what a cut may not lose."""
_CRITERION_RE = re.compile(r"^### (.+?)(?:\s+—.*)?$", re.M)
_NUMBERED_RE = re.compile(r"^\d+\. ", re.M)


def folders() -> list[Path]:
    """Every folder under ROOTS holding a denial and a case, sorted."""
    out = set()
    for root in ROOTS:
        for letter in (ROOT / root).rglob("letter.txt"):
            if (letter.parent / "case.yaml").exists():
                out.add(letter.parent)
    return sorted(out)


def _name(folder: Path) -> str:
    return folder.relative_to(ROOT).as_posix()


def body(markdown: str) -> str:
    """The letter without its References list (what the length warning counts)."""
    for m, end in lf.section_bounds(markdown):
        if m.group(1) == lf.REFERENCES:
            return markdown[: m.start()] + markdown[end:]
    return markdown


def keys(markdown: str) -> dict[str, Any]:
    """What a shorter letter must still hold (see the module docstring)."""
    sections = lf.split_sections(markdown)
    enclosures = sections.get(lf.ENCLOSURES, "")
    text = body(markdown)
    return {
        "criteria": sorted(set(_CRITERION_RE.findall(sections.get(lf.CRITERIA, "")))),
        "codes": sorted(set(_CODE_RE.findall(text))),
        "enclosures": len(_NUMBERED_RE.findall(enclosures)),
        "deadline": bool(re.search(r"\b(?:within|by|no later than)\b[^.]*\b\d{4}\b", text)),
        "peer_to_peer": "peer-to-peer" in text.lower(),
        "missing": sorted(set(re.findall(r"\[MISSING: [^\]]*\]", text))),
    }


def measure(out: Path | None = None) -> dict[str, dict[str, Any]]:
    pipe = Pipeline()
    rows: dict[str, dict[str, Any]] = {}
    for folder in folders():
        name = _name(folder)
        outcome = pipe.run(
            ingest(folder / "letter.txt"),
            load_case(folder / "case.yaml"),
            today=TODAY,
            allow_gaps=True,
            reject=False,
        )
        draft = outcome.draft
        if draft is None:
            continue
        md = draft.markdown
        codes = [f.code for f in (draft.validation.findings if draft.validation else [])]
        heldout = name in HELDOUT
        if out and not heldout:
            path = out / (name.replace("/", "__") + ".md")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(md)
        rows[name] = {
            "slice": "heldout" if heldout else "tuned",
            "words": len(md.split()),
            "body_words": len(body(md).split()),
            "over_three_pages": LENGTH_CODE in codes,
            "keys": keys(md),
        }
    return rows


def summary(rows: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out = {}
    for slice_ in ("tuned", "heldout"):
        group = [r for r in rows.values() if r["slice"] == slice_]
        if group:
            out[slice_] = {
                "letters": len(group),
                "median_words": statistics.median(r["words"] for r in group),
                "median_body_words": statistics.median(r["body_words"] for r in group),
                "max_words": max(r["words"] for r in group),
                "over_three_pages": sum(r["over_three_pages"] for r in group),
            }
    return out


def lost(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[str]:
    """What each letter of ``old`` held that its ``new`` draft lost."""
    out = []
    for name, row in old.items():
        after = new.get(name)
        if after is None:
            out.append(f"{name}: not drafted")
            continue
        a, b = row["keys"], after["keys"]
        for field in ("criteria", "codes"):
            gone = set(a[field]) - set(b[field])
            if gone:
                out.append(f"{name}: {field} lost {sorted(gone)}")
        for field in ("deadline", "peer_to_peer"):
            if a[field] and not b[field]:
                out.append(f"{name}: {field} lost")
        if b["enclosures"] < a["enclosures"]:
            out.append(f"{name}: enclosures {a['enclosures']} -> {b['enclosures']}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.prose.length")
    parser.add_argument("--out", type=Path, help="write the tuned letters' Markdown here")
    parser.add_argument("--keys", type=Path, help="write the per-letter figures here (JSON)")
    parser.add_argument("--diff", nargs=2, type=Path, metavar=("OLD", "NEW"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.diff:
        old, new = (json.loads(p.read_text()) for p in args.diff)
        gone = lost(old, new)
        print("\n".join(gone) or "nothing lost")
        print(json.dumps({"old": summary(old), "new": summary(new)}, indent=1))
        return 1 if gone else 0
    rows = measure(args.out)
    if args.keys:
        args.keys.write_text(json.dumps(rows, indent=1, sort_keys=True))
    if args.json:
        print(json.dumps(rows, indent=1, sort_keys=True))
    for name, row in rows.items():
        if row["slice"] == "tuned":
            flag = " over" if row["over_three_pages"] else ""
            print(f"{row['words']:5d} {row['body_words']:5d}{flag}  {name}")
    print(json.dumps(summary(rows), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
