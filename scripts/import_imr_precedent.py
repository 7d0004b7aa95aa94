#!/usr/bin/env python3
"""Derive the IMR precedent table: decisions and overturn rates per treatment (sub)category.

Reads the California DMHC Independent Medical Review metadata file (2001-2016, 19,228
decisions; CHHS Open Data portal) and writes ``corpus/_precedent/ca_imr_2001_2016.json``: per
(treatment category, treatment subcategory) the number of decisions, how many overturned the
plan's denial, and the first and last report year, with the source's provenance. Only these
counts are shipped, not the raw file. ``pipeline.precedent`` reads the table.

Usage::

    python scripts/import_imr_precedent.py [INPUT_CSV] [--output PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

from corpus_import import CORPUS, data_dir

DEFAULT_INPUT = data_dir() / "imr" / "ca_dmhc_imr_2001_2016_metadata_only.csv"
DEFAULT_OUTPUT = CORPUS / "_precedent" / "ca_imr_2001_2016.json"
OVERTURNED = "Overturned Decision of Health Plan"


def build(rows: list[dict[str, str]]) -> dict:
    table: dict[tuple[str, str], dict] = defaultdict(
        lambda: {"decisions": 0, "overturned": 0, "years": set()}
    )
    for row in rows:
        key = (row["Treatment Category"].strip(), row["Treatment Sub Category"].strip())
        entry = table[key]
        entry["decisions"] += 1
        entry["overturned"] += row["Determination"].strip() == OVERTURNED
        entry["years"].add(int(row["Report Year"]))
    return {
        "source": {
            "publisher": "California Department of Managed Health Care (DMHC)",
            "dataset": "Independent Medical Review (IMR) Determinations, Trend",
            "portal": "California Health and Human Services Open Data Portal",
            "url": "https://data.chhs.ca.gov/dataset/independent-medical-review-imr-determinations-trend",
            "file": "shared/data/imr/ca_dmhc_imr_2001_2016_metadata_only.csv",
            "records": len(rows),
            "years": [
                min(int(r["Report Year"]) for r in rows),
                max(int(r["Report Year"]) for r in rows),
            ],
        },
        "rows": [
            {
                "treatment_category": cat,
                "treatment_subcategory": sub,
                "decisions": e["decisions"],
                "overturned": e["overturned"],
                "first_year": min(e["years"]),
                "last_year": max(e["years"]),
            }
            for (cat, sub), e in sorted(table.items())
        ],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", nargs="?", default=str(DEFAULT_INPUT), help="IMR metadata CSV")
    ap.add_argument("--output", default=str(DEFAULT_OUTPUT), help="output JSON path")
    args = ap.parse_args(argv)
    with open(args.input, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(build(rows), indent=1) + "\n", encoding="utf-8")
    print(f"{len(rows)} decisions -> {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
