"""Figures for drug requests on a labelled set of denials (evals/pharmacy/cases/<slug>/: the
denial letter.txt, case.yaml and keys.yaml, each written before the code it measures): how the
letter requests a drug (no CPT/HCPCS placeholder for a pharmacy-benefit drug; a HCPCS gap for a
medical-benefit drug without one; quantity and period in the request), answers a quantity limit
(the regimen's quantity per the limit's period, phase by phase, never a treatment duration),
cites the state step-therapy statute only where the plan is regulated by that state, and asks a
Part D plan under 42 CFR 423.578 with its clocks and the supporting statement.

Each key becomes one check; a case's score is the checks it passes. Tuned and held-out slices
are reported apart.

Usage: python -m evals.pharmacy.measure [--show]   (--show prints each failed check)
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import yaml

from pipeline.engines import OfflineEngine
from pipeline.ingest import ingest_text
from pipeline.letter_format import REQUEST, split_sections
from pipeline.models import CaseFacts
from pipeline.pipeline import Pipeline

CASES = Path(__file__).parent / "cases"
TODAY = dt.date(2026, 12, 6)
STATUTES = r"4903\(c-1\)|4903\(3-a\)|1367\.206|10123\.201|1369\.0546"
"""Every state step-therapy statute the specs hold: none may be cited where none applies."""


def checks(keys: dict[str, object], letter: str) -> list[tuple[str, bool]]:
    """(name, passed) for each thing the keys ask of the drafted letter."""
    request = split_sections(letter).get(REQUEST, "")
    out: list[tuple[str, bool]] = []
    if keys.get("benefit") == "pharmacy":
        out.append(("no CPT/HCPCS placeholder", "[MISSING: CPT" not in letter))
        named = bool(re.search(r"\bper \d+ days\b", request)) or "regimen" in request
        out.append(("request names quantity per period (or its gap)", named))
    if keys.get("code_gap"):
        out.append(
            (
                "HCPCS gap for a medical-benefit drug",
                bool(re.search(r"\[MISSING:[^\]]*HCPCS", letter)),
            )
        )
        out.append(("no days' supply asked of a medical drug", "days' supply" not in letter))
    statute = keys.get("statute")
    if statute:
        out.append(
            (
                f"cites {statute}",
                re.escape(str(statute)) in re.escape(letter) or str(statute) in letter,
            )
        )
    else:
        out.append(("cites no state statute", not re.search(STATUTES, letter)))
    if keys.get("part_d"):
        # a notice that offers a redetermination is answered by one (42 CFR 423.590: 7 days,
        # 72 hours expedited); a first exception request by the 72/24-hour clocks
        clocks = (
            ("423.590", "within 7 days", "72 hours")
            if keys.get("redetermination")
            else ("72 hours", "24 hours")
        )
        for words in ("423.578", *clocks, "supporting statement"):
            out.append((f"Part D: {words}", words in letter))
    for units in keys.get("ql_units") or []:  # type: ignore[attr-defined]
        out.append((f"quantity arithmetic states {units}", str(units) in letter))
    for phase in keys.get("exceeds") or []:  # type: ignore[attr-defined]
        said = re.search(rf"{phase}[^.\n]*\b(?:above|exceeds?)\b", letter, re.I)
        out.append((f"{phase} phase above the limit", bool(said)))
    for phase in keys.get("within") or []:  # type: ignore[attr-defined]
        said = re.search(rf"{phase}[^.\n]*\bwithin\b", letter, re.I)
        out.append((f"{phase} phase within the limit", bool(said)))
    if keys.get("regimen_gap"):
        out.append(("regimen gap", bool(re.search(r"\[MISSING:[^\]]*regimen", letter))))
    out.append(
        ("no quantity compared with a duration", not re.search(r"\d+ days \(duration\)", letter))
    )
    return out


def draft(folder: Path) -> str:
    """The letter as `lmn draft --allow-gaps` writes it (extract, retrieve, draft, validate)."""
    letter = ingest_text((folder / "letter.txt").read_text(encoding="utf-8"), str(folder))
    case = CaseFacts.model_validate(yaml.safe_load((folder / "case.yaml").read_text()))
    return Pipeline(OfflineEngine()).draft(letter, case, today=TODAY, allow_gaps=True).markdown


def main(argv: list[str]) -> int:
    totals: dict[str, list[int]] = {}
    for folder in sorted(p for p in CASES.iterdir() if p.is_dir()):
        keys = yaml.safe_load((folder / "keys.yaml").read_text())
        results = checks(keys, draft(folder))
        split = str(keys.get("split", "tune"))
        passed = sum(ok for _, ok in results)
        t = totals.setdefault(split, [0, 0])
        t[0] += passed
        t[1] += len(results)
        print(f"{split:8} {folder.name:28} {passed}/{len(results)}")
        if "--show" in argv:
            for name, ok in results:
                if not ok:
                    print(f"           failed: {name}")
    for split, (passed, total) in sorted(totals.items()):
        print(f"{split}: {passed}/{total} checks ({passed / max(1, total):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
