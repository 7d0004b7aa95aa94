#!/usr/bin/env python3
"""Import FDA label indications into the corpus (coverage policies about one drug each).

Reads ``fda/fda_label_indications.jsonl`` of the shared public data (the "indicated for" text
of FDA structured product labels, per ingredient; U.S. Government work, public domain) and
writes ``corpus/coverage/fda_label_indications.yaml``: one passage (or a few, for a long text)
per ingredient, the label text verbatim, mapped to the ICD-10-CM prefixes its indications name
(``corpus_import.ConditionMatcher``) and to the drug's names (``treatments``: the ingredient, its
first word and the product names), so that a label fits a case only when its drug is the
requested service (``pipeline.relevance``). An ingredient whose text names no mapped
condition could never fit a case and is left out and counted.

Provenance per passage: ``source_id`` (ingredient and UNII), ``upstream_source`` (the file and
its date).

Usage::

    python scripts/import_fda_labels.py [INPUT_JSONL] [--output PATH]
"""

from __future__ import annotations

import re
from typing import Any

from corpus_import import ConditionMatcher, each_record, import_main, slug, split_paragraphs

SOURCE_FILE = "shared/data/fda/fda_label_indications.jsonl"
SOURCE_DATE = "2026-01-08"
"""When the upstream file (MedRecPro labelProductIndication.md) last changed."""
CATEGORIES = ["not_medically_necessary", "experimental_investigational", "step_therapy"]
MAX_PARTS = 3
"""Passages kept per ingredient (the first parts of a long label text)."""
SALT_WORDS = frozenset(
    [
        "acetate",
        "hydrochloride",
        "sodium",
        "potassium",
        "calcium",
        "sulfate",
        "maleate",
        "tartrate",
        "citrate",
        "phosphate",
        "mesylate",
        "besylate",
        "succinate",
        "fumarate",
        "bromide",
        "chloride",
        "hcl",
        "magnesium",
    ]
)


def drug_names(rec: dict[str, Any]) -> list[str]:
    """The names a request may use for the drug, lower case: the ingredient, its first word
    when that is not a salt word, and each product name of at least four letters."""
    ingredient = " ".join(rec["ingredient"].lower().split())
    names = [ingredient]
    first = ingredient.split()[0]
    if first not in SALT_WORDS and len(first) >= 4:
        names.append(first)
    for product in rec.get("product_names") or []:
        name = " ".join(str(product).lower().split())
        if len(name) >= 4 and not re.fullmatch(r"[\d\W]+", name):
            names.append(name)
    return list(dict.fromkeys(names))


def passages_for(rec: dict[str, Any], matcher: ConditionMatcher) -> list[dict[str, Any]]:
    text = (rec.get("indication_text") or "").strip()
    conditions = matcher.conditions(text)
    if not text or not conditions:
        return []
    products = ", ".join((rec.get("product_names") or [])[:4])
    names = drug_names(rec)
    unii = (rec.get("unii") or "x").lower()
    out = []
    for i, part in enumerate(split_paragraphs(text)[:MAX_PARTS], start=1):
        out.append(
            {
                "id": f"fda-label-{slug(rec['ingredient'], 4)}-{unii}-p{i}",
                "source_id": f"FDA label indications: {rec['ingredient']} (UNII {rec.get('unii')})",
                "upstream_source": f"{SOURCE_FILE} ({SOURCE_DATE})",
                "title": f"FDA-approved labeling: {rec['ingredient']} ({products})",
                "section": "Indications and Usage",
                "recommendation": None,
                "text": part,
                "services": [],
                "conditions": conditions,
                "treatments": names,
                "categories": CATEGORIES,
                "keywords": [*names[:4], "FDA-approved indication", "on-label use"],
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    return import_main(argv, each_record(passages_for))


if __name__ == "__main__":
    raise SystemExit(main())
