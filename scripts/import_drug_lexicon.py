#!/usr/bin/env python3
"""Import the drug-name lexicon the validator reads (``pipeline/validate/data/drug_names.json``).

Reads the FDA files in ``../shared/data/fda`` (relative to the repo root; U.S. Government works,
public domain): ``fda_pharm_classes.jsonl`` (ingredient names from the FDA NDC Directory) and
``fda_label_indications.jsonl`` (ingredients with their UNII and product names from FDA
structured product labels). Each name keeps its provenance: the source file, the record (line
number, and UNII where the file has one) and the source's date.

A name is kept when a letter could use it as a drug's name: the first word of an ingredient
(``methylprednisolone`` of "methylprednisolone acetate"), or a one-word product name, at least
five letters, not a salt or form word ("sodium", "acetate") and not an everyday English word a
letter might use otherwise ("alcohol", "amethyst", "complete": :data:`NOT_DRUG_NAMES`).

Usage::

    python scripts/import_drug_lexicon.py [--data DIR] [--output PATH]
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "fda"
DEFAULT_OUTPUT = REPO_ROOT / "pipeline" / "validate" / "data" / "drug_names.json"

SOURCES = {
    "fda_pharm_classes.jsonl": {
        "title": "FDA NDC Directory product.txt (PHARM_CLASSES), single-ingredient products",
        "date": "2019-04-29",
        "license": "Public domain (U.S. Government work, 17 U.S.C. 105)",
    },
    "fda_label_indications.jsonl": {
        "title": "FDA structured product labels: ingredient, UNII, product names",
        "date": "2026-01-08",
        "license": "Public domain (U.S. Government work, 17 U.S.C. 105)",
    },
}
SALT_AND_FORM_WORDS = frozenset(
    [
        "sodium",
        "potassium",
        "calcium",
        "magnesium",
        "hydrochloride",
        "acetate",
        "sulfate",
        "phosphate",
        "citrate",
        "maleate",
        "tartrate",
        "fumarate",
        "succinate",
        "mesylate",
        "besylate",
        "bromide",
        "chloride",
        "nitrate",
        "lactate",
        "gluconate",
        "hydrobromide",
        "anhydrous",
        "monohydrate",
        "dihydrate",
        "trihydrate",
        "hyclate",
        "disodium",
        "dipotassium",
        "human",
        "recombinant",
        "extended",
        "release",
        "injection",
        "topical",
    ]
)
NOT_DRUG_NAMES = frozenset(
    [
        "alcohol",
        "amethyst",
        "aqua",
        "water",
        "oxygen",
        "nitrogen",
        "sugar",
        "dextrose",
        "glucose",
        "saline",
        "iodine",
        "charcoal",
        "caffeine",
        "menthol",
        "camphor",
        "glycerin",
        "lanolin",
        "petrolatum",
        "talc",
        "cotton",
        "urea",
        "complete",
        "focus",
        "advance",
        "balance",
        "relief",
        "restore",
        "control",
        "comfort",
        "active",
        "natural",
        "simple",
        "clear",
        "daily",
        "nature",
        "pure",
        "ultra",
        "basic",
        "plus",
        "prime",
        "select",
        "total",
        "vital",
    ]
)
NAME_RE = re.compile(r"[a-z][a-z-]{3,}[a-z]")


def _keep(word: str) -> bool:
    return (
        bool(NAME_RE.fullmatch(word))
        and word not in SALT_AND_FORM_WORDS
        and word not in NOT_DRUG_NAMES
    )


def build(data: Path) -> dict:
    names: dict[str, dict] = {}

    def add(word: str, source: str, record: str) -> None:
        word = word.lower().strip(".,;()")
        if _keep(word) and word not in names:
            names[word] = {"source": source, "record": record}

    classes = data / "fda_pharm_classes.jsonl"
    for line_no, line in enumerate(classes.read_text(encoding="utf-8").splitlines(), 1):
        row = json.loads(line)
        add(row["ingredient"].split()[0], classes.name, f"line {line_no}")
    labels = data / "fda_label_indications.jsonl"
    for line_no, line in enumerate(labels.read_text(encoding="utf-8").splitlines(), 1):
        row = json.loads(line)
        record = f"line {line_no}, UNII {row.get('unii') or 'none'}"
        add(row["ingredient"].split()[0], labels.name, record)
        for product in row.get("product_names", []):
            if " " not in product.strip():
                add(product, labels.name, record)
    return {
        "about": "Drug names for the validator's drug check; built by "
        "scripts/import_drug_lexicon.py from the FDA files named in sources.",
        "sources": SOURCES,
        "names": dict(sorted(names.items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    lexicon = build(args.data)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(lexicon, indent=0, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {len(lexicon['names'])} drug names to {args.output}")


if __name__ == "__main__":
    main()
