"""Derive the drug-class table the reasoning package reads from the FDA pharmacologic classes.

Source: /work/shared/data/fda/fda_pharm_classes.jsonl (FDA NDC Directory product.txt, column
PHARM_CLASSES, snapshot of about 2019-04-29; U.S. Government work, public domain). Each output
row keeps the ingredient, its established pharmacologic classes (EPC) and the source line number
as its record id. Usage: python scripts/derive_drug_classes.py [SOURCE] [OUT]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SOURCE = Path("/work/shared/data/fda/fda_pharm_classes.jsonl")
OUT = Path(__file__).resolve().parent.parent / "pipeline" / "reasoning" / "data" / "fda_epc.jsonl"


def derive(source: Path, out: Path) -> int:
    rows = []
    with source.open(encoding="utf-8") as f:
        for line_no, line in enumerate(f, start=1):
            record = json.loads(line)
            if record["epc"]:
                rows.append(
                    {"ingredient": record["ingredient"], "epc": record["epc"], "line": line_no}
                )
    out.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return len(rows)


if __name__ == "__main__":
    args = sys.argv[1:]
    n = derive(Path(args[0]) if args else SOURCE, Path(args[1]) if len(args) > 1 else OUT)
    print(f"{n} ingredients with an established pharmacologic class")
