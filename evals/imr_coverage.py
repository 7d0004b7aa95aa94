"""Corpus coverage of the California IMR decisions: does a fitting clinical passage exist?

For each decision of the 2001-2016 DMHC IMR metadata (19,228 rows; ``../shared/data/imr``),
the diagnosis (category and sub-category) is mapped to ICD-10-CM prefixes and the treatment to
service words by ``evals/coverage/imr_terms.yaml`` (written from the category names only). A
decision is **covered** when at least one corpus guideline or coverage policy

* fits the case by the relevance contract (``pipeline.relevance.fits``: its conditions match
  one of the prefixes; a passage about one treatment needs that treatment among the service
  words), and
* is about the service: one of the service words occurs in its title, section, keywords,
  treatments or text.

A diagnosis or treatment the table does not map counts as uncovered. Coverage is weighted by
decisions. Two slices: **tuned** (decisions of 2001-2012, the ones looked at while the corpus
and the table were written) and **held-out** (2013-2016, not looked at).

Run: ``python evals/imr_coverage.py [--csv PATH] [--top 15]``.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from pipeline.corpus import load_corpus, normalize_condition  # noqa: E402
from pipeline.models import Passage, PlanType  # noqa: E402
from pipeline.relevance import CLINICAL_KINDS, Scope, condition_fits, fits  # noqa: E402

TERMS = ROOT / "evals/coverage/imr_terms.yaml"
HELD_OUT_FROM = 2013
CATCH_ALL = {"", "Other"}

Key = tuple[str, str, str, str]


def default_csv() -> Path:
    from corpus_import import data_dir

    return data_dir() / "imr" / "ca_dmhc_imr_2001_2016_metadata_only.csv"


def load_terms(path: Path = TERMS) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    dx = {k: [normalize_condition(str(c)) for c in v] for k, v in doc["diagnoses"].items()}
    tx = {k: [str(t).lower() for t in v] for k, v in doc["treatments"].items()}
    return dx, tx


def lookup(table: dict[str, list[str]], category: str, sub: str) -> list[str]:
    """The sub-category's entry, else (for one not listed, 'Other' or blank) the category's."""
    if sub not in CATCH_ALL and f"{category}|{sub}" in table:
        return table[f"{category}|{sub}"]
    if f"{category}|{sub}" in table:
        return table[f"{category}|{sub}"]
    return table.get(f"{category}|*", [])


def _topic(p: Passage) -> str:
    return " ".join([p.title, p.section, *p.keywords, *p.treatments, p.text]).lower()


class Coverage:
    """Decides coverage of one (diagnosis, treatment) pair, with the corpus read once."""

    def __init__(self, passages: Iterable[Passage], terms: tuple[dict, dict]) -> None:
        self.passages = [p for p in passages if p.kind in CLINICAL_KINDS]
        self.topics = {p.id: _topic(p) for p in self.passages}
        self.dx, self.tx = terms
        self._cache: dict[Key, bool] = {}
        self._by_dx: dict[tuple[str, ...], list[Passage]] = {}

    def _candidates(self, prefixes: tuple[str, ...]) -> list[Passage]:
        """Passages whose conditions could fit these prefixes (or that name none)."""
        if prefixes not in self._by_dx:
            self._by_dx[prefixes] = [
                p
                for p in self.passages
                if not p.conditions or condition_fits(p.conditions, prefixes)
            ]
        return self._by_dx[prefixes]

    def covered(self, key: Key) -> bool:
        if key not in self._cache:
            self._cache[key] = self._covered(*key)
        return self._cache[key]

    def _covered(self, dx_cat: str, dx_sub: str, tx_cat: str, tx_sub: str) -> bool:
        prefixes = lookup(self.dx, dx_cat, dx_sub)
        words = lookup(self.tx, tx_cat, tx_sub)
        if not prefixes or not words:
            return False
        scope = Scope(
            diagnoses=tuple(prefixes),
            services=frozenset(),
            plan_type=PlanType.unknown,
            age=None,
            emergency=False,
            out_of_network=False,
            service_text=" ; ".join(words),
        )
        pattern = re.compile("|".join(rf"\b{re.escape(w)}" for w in words))
        return any(
            pattern.search(self.topics[p.id]) and fits(p, scope)
            for p in self._candidates(tuple(prefixes))
        )


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def key_of(row: dict[str, str]) -> Key:
    return (
        row["Diagnosis Category"].strip(),
        row["Diagnosis Sub Category"].strip(),
        row["Treatment Category"].strip(),
        row["Treatment Sub Category"].strip(),
    )


def measure(rows: list[dict[str, str]], coverage: Coverage) -> tuple[float, Counter[Key]]:
    """(share of decisions covered, uncovered decisions per key)."""
    counts = Counter(key_of(r) for r in rows)
    uncovered = Counter({k: n for k, n in counts.items() if not coverage.covered(k)})
    total = sum(counts.values())
    return (1 - sum(uncovered.values()) / total if total else 0.0), uncovered


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=None, help="the IMR 2001-2016 metadata file")
    ap.add_argument("--top", type=int, default=15, help="largest uncovered pairs to list")
    args = ap.parse_args(argv)
    path = args.csv or default_csv()
    if not path.is_file():
        print(f"imr_coverage: {path} not found (set LMN_DATA_DIR or pass --csv)", file=sys.stderr)
        return 2
    rows = read_rows(path)
    coverage = Coverage(load_corpus(), load_terms())
    slices = {
        "tuned (2001-2012)": [r for r in rows if int(r["Report Year"]) < HELD_OUT_FROM],
        "held-out (2013-2016)": [r for r in rows if int(r["Report Year"]) >= HELD_OUT_FROM],
    }
    print("| slice | decisions | covered |\n| --- | ---: | ---: |")
    missed: Counter[Key] = Counter()
    for name, part in slices.items():
        share, uncovered = measure(part, coverage)
        missed.update(uncovered)
        print(f"| {name} | {len(part):,} | {share:.1%} |")
    print(f"\nLargest uncovered (diagnosis | treatment), both slices, top {args.top}:")
    for (dc, ds, tc, ts), n in missed.most_common(args.top):
        print(f"  {n:5d}  {dc} / {ds or '-'}  |  {tc or '-'} / {ts or '-'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
