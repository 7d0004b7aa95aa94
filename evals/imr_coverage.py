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
and the table were written) and **held-out** (2013-2016, not looked at), and the whole file.

Three figures per slice:

* **clinical passage**: the share of all decisions covered as above (the issue's measure);
* **+ governing rule**: a decision whose treatment the table lists as ``rule_governed`` (an
  emergency-room visit, decided by the prudent-layperson standard whatever the diagnosis) is
  also covered when a regulation about the service fits a California plan by the contract
  (its plan types and ``applies_if`` facts);
* **of classified**: the same share over the decisions that name a diagnosis category and a
  treatment. A decision with a blank (or "Not Applicable") diagnosis category, or blank
  treatment category and sub-category, names nothing a passage could fit: it is counted
  apart as *unclassified* (and as uncovered in the first two figures).

Run: ``python evals/imr_coverage.py [--csv PATH] [--top 15]``.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from pipeline.corpus import load_corpus, normalize_condition  # noqa: E402
from pipeline.errors import InputError  # noqa: E402
from pipeline.models import Passage, ServiceKind  # noqa: E402
from pipeline.relevance import (  # noqa: E402
    CLINICAL_KINDS,
    Scope,
    condition_fits,
    fits,
)

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


def _section(path: Path, name: str) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8")).get(name) or {}


def load_rule_governed(path: Path = TERMS) -> frozenset[str]:
    """The treatments ('Category|Sub-category') whose denials a rule decides."""
    return frozenset(str(k) for k in _section(path, "rule_governed"))


def load_unnamed_members(path: Path = TERMS) -> dict[str, ServiceKind]:
    """Treatment categories whose unnamed member (a sub-category the table does not list)
    any passage of that kind of care for the condition stands for."""
    return {str(k): ServiceKind(v) for k, v in _section(path, "unnamed_members").items()}


NOT_RECORDED = {"", "Not Applicable"}
"""A category the metadata leaves blank or marks not applicable."""


def unclassified(key: Key) -> bool:
    """The decision records no diagnosis category, or neither treatment category nor
    sub-category: nothing a passage could fit."""
    dx_cat, _, tx_cat, tx_sub = key
    return dx_cat in NOT_RECORDED or (tx_cat in NOT_RECORDED and tx_sub in NOT_RECORDED)


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

    def __init__(
        self,
        passages: Iterable[Passage],
        terms: tuple[dict, dict],
        rule_governed: frozenset[str] = frozenset(),
        unnamed_members: dict[str, ServiceKind] | None = None,
    ) -> None:
        every = list(passages)
        # a passage answering another question (where a drug is safely given) is offered only
        # for a notice disputing it, and an IMR decision is about whether the care is needed
        # nor is a superseded passage (never offered: the field has newer guidance)
        self.passages = [
            p
            for p in every
            if p.kind in CLINICAL_KINDS and not p.questions and p.superseded_by is None
        ]
        self.rules = [p for p in every if p.kind == "regulation"]
        self.topics = {p.id: _topic(p) for p in [*self.passages, *self.rules]}
        self.dx, self.tx = terms
        self.rule_governed = rule_governed
        self.unnamed_members = unnamed_members or {}
        self._cache: dict[Key, bool] = {}
        self._rule_cache: dict[Key, bool] = {}
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

    def covered_by_rule(self, key: Key) -> bool:
        """A rule-governed treatment with a regulation about it that fits a California
        plan (the diagnosis is not needed: the rule holds under any)."""
        if key not in self._rule_cache:
            self._rule_cache[key] = self._covered_by_rule(*key)
        return self._rule_cache[key]

    def _covered_by_rule(self, dx_cat: str, dx_sub: str, tx_cat: str, tx_sub: str) -> bool:
        if f"{tx_cat}|{tx_sub}" not in self.rule_governed:
            return False
        scope, pattern = _asked(
            lookup(self.dx, dx_cat, dx_sub), lookup(self.tx, tx_cat, tx_sub), (tx_sub, tx_cat)
        )
        return pattern is not None and any(
            pattern.search(self.topics[p.id])
            and fits(p, dataclasses.replace(scope, california=True))
            for p in self.rules
        )

    def _covered(self, dx_cat: str, dx_sub: str, tx_cat: str, tx_sub: str) -> bool:
        prefixes = lookup(self.dx, dx_cat, dx_sub)
        scope, pattern = _asked(prefixes, lookup(self.tx, tx_cat, tx_sub), (tx_sub, tx_cat))
        if not prefixes or pattern is None:
            return False
        kind = None if f"{tx_cat}|{tx_sub}" in self.tx else self.unnamed_members.get(tx_cat)
        return any(
            (pattern.search(self.topics[p.id]) and fits(p, scope))
            or (kind is not None and _stands_for_unnamed(p, scope, kind))
            for p in self._candidates(tuple(prefixes))
        )


def _stands_for_unnamed(passage: Passage, scope: Scope, kind: ServiceKind) -> bool:
    """A passage about care of ``kind`` (a drug recommendation or label) fits the decision when
    its own treatment is taken as the one requested: the decision does not name it."""
    if kind not in passage.purpose and not (kind is ServiceKind.drug and passage.indication):
        return False
    named = " ; ".join([scope.service_text, *passage.treatments])
    return fits(passage, dataclasses.replace(scope, service_text=named, named_text=named))


def _asked(
    prefixes: list[str], words: list[str], treatment: tuple[str, str] = ("", "")
) -> tuple[Scope, re.Pattern[str] | None]:
    """The scope of a decision and the pattern of its service words (None: no words). The
    scope is built as a letter's is (``Scope.of_service``): its diagnosis prefixes, its
    service words as the text naming the treatment, and its treatment sub-category and
    category (as the metadata names them) as the service's description, from which the
    letters' kind-of-care check reads what kind of care was asked for."""
    text = " ; ".join(words)
    sub, category = treatment
    scope = Scope.of_service(prefixes, text, [sub, category])
    if not words:
        return scope, None
    return scope, re.compile("|".join(rf"\b{re.escape(w)}" for w in words))


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
    """(share of decisions covered by a clinical passage, uncovered decisions per key)."""
    counts = Counter(key_of(r) for r in rows)
    uncovered = Counter({k: n for k, n in counts.items() if not coverage.covered(k)})
    total = sum(counts.values())
    return (1 - sum(uncovered.values()) / total if total else 0.0), uncovered


@dataclasses.dataclass
class Tally:
    """One slice's decisions by how they are covered."""

    decisions: int = 0
    unclassified: int = 0
    clinical: int = 0
    rule: int = 0
    """Covered by a governing rule and by no clinical passage."""
    uncovered: Counter[Key] = dataclasses.field(default_factory=Counter)
    """Classified decisions covered by neither, per key."""

    @property
    def clinical_share(self) -> float:
        return self.clinical / self.decisions if self.decisions else 0.0

    @property
    def with_rules(self) -> float:
        return (self.clinical + self.rule) / self.decisions if self.decisions else 0.0

    @property
    def of_classified(self) -> float:
        named = self.decisions - self.unclassified
        return (self.clinical + self.rule) / named if named else 0.0


def tally(rows: list[dict[str, str]], coverage: Coverage) -> Tally:
    """Count a slice's decisions: unclassified, covered by a clinical passage, by a rule
    only, or (classified) by neither."""
    out = Tally()
    for key, n in Counter(key_of(r) for r in rows).items():
        out.decisions += n
        if unclassified(key):
            out.unclassified += n
        elif coverage.covered(key):
            out.clinical += n
        elif coverage.covered_by_rule(key):
            out.rule += n
        else:
            out.uncovered[key] += n
    return out


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
    try:
        coverage = Coverage(
            load_corpus(), load_terms(), load_rule_governed(), load_unnamed_members()
        )
    except InputError as exc:
        print(f"imr_coverage: {exc}", file=sys.stderr)
        return 2
    slices = {
        "tuned (2001-2012)": [r for r in rows if int(r["Report Year"]) < HELD_OUT_FROM],
        "held-out (2013-2016)": [r for r in rows if int(r["Report Year"]) >= HELD_OUT_FROM],
        "whole file (2001-2016)": rows,  # the figure over every decision
    }
    print(
        "| slice | decisions | unclassified | clinical passage | + governing rule "
        "| of classified |\n| --- | ---: | ---: | ---: | ---: | ---: |"
    )
    missed: Counter[Key] = Counter()
    for name, part in slices.items():
        t = tally(part, coverage)
        if part is not rows:  # the whole file repeats the two slices
            missed.update(t.uncovered)
        print(
            f"| {name} | {t.decisions:,} | {t.unclassified:,} | {t.clinical_share:.1%} "
            f"| {t.with_rules:.1%} | {t.of_classified:.1%} |"
        )
    print(f"\nLargest uncovered classified (diagnosis | treatment), both slices, top {args.top}:")
    for (dc, ds, tc, ts), n in missed.most_common(args.top):
        print(f"  {n:5d}  {dc} / {ds or '-'}  |  {tc or '-'} / {ts or '-'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
