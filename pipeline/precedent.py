"""Precedent from public data: how often independent reviewers overturned denials like this one.

The table (``corpus/_precedent/ca_imr_2001_2016.json``, derived by
``scripts/import_imr_precedent.py`` from the California DMHC Independent Medical Review
determinations, 2001-2016) counts decisions and overturned denials per treatment category and
subcategory. :func:`find` looks a treatment up by its IMR name; :func:`for_text` finds the
subcategory a service description names; :meth:`Precedent.sentence` states the figure with its
source and years, for a letter.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from .paths import corpus_dir

TABLE = "_precedent/ca_imr_2001_2016.json"
CATCH_ALL = frozenset({"", "other"})
"""Subcategory names that say nothing about the treatment."""
MIN_DECISIONS = 20
"""Fewer decisions than this make no figure worth stating."""


@dataclass(frozen=True)
class Precedent:
    """IMR decisions on one treatment (sub)category."""

    treatment: str
    """'Residential Treatment Center - Admission (Mental Health Treatment)'."""
    decisions: int
    overturned: int
    first_year: int
    last_year: int
    source: str
    whole_category: bool = False
    """The figure is of a whole treatment category (no subcategory names the treatment)."""

    @property
    def rate(self) -> float:
        return self.overturned / self.decisions

    def sentence(self) -> str:
        """The figure with its source, e.g. for a letter's argument; a whole category's is
        said to be the category's, not the treatment's."""
        what = (
            f"in the treatment category that includes this request ({self.treatment})"
            if self.whole_category
            else f"of {self.treatment}"
        )
        return (
            f"In California's Independent Medical Review, independent physician reviewers "
            f"overturned {round(100 * self.rate)}% of {self.decisions:,} health-plan denials "
            f"{what} decided from {self.first_year} to {self.last_year} ({self.source})."
        )


@functools.cache
def _table(root: Path) -> tuple[list[dict], str]:
    data = json.loads((root / TABLE).read_text(encoding="utf-8"))
    src = data["source"]
    source = f"{src['publisher']}, {src['dataset']}, {src['portal']}"
    return data["rows"], source


def find(
    subcategory: str, category: str | None = None, root: Path | None = None
) -> Precedent | None:
    """The precedent for an IMR treatment subcategory (within ``category`` when given), or for
    a whole category when ``subcategory`` names one; None when unknown or too rare."""
    rows, source = _table(root or corpus_dir())
    want = subcategory.strip().lower()
    hits = [
        r
        for r in rows
        if r["treatment_subcategory"].lower() == want
        and (category is None or r["treatment_category"].lower() == category.strip().lower())
    ]
    whole = not (hits and want not in CATCH_ALL)
    if not whole:
        name = f"{hits[0]['treatment_subcategory']} ({hits[0]['treatment_category']})"
    else:
        hits = [r for r in rows if r["treatment_category"].lower() == want]
        name = hits[0]["treatment_category"] if hits else ""
    decisions = sum(r["decisions"] for r in hits)
    if decisions < MIN_DECISIONS:
        return None
    return Precedent(
        treatment=name,
        decisions=decisions,
        overturned=sum(r["overturned"] for r in hits),
        first_year=min(r["first_year"] for r in hits),
        last_year=max(r["last_year"] for r in hits),
        source=source,
        whole_category=whole,
    )


def for_text(text: str, root: Path | None = None) -> Precedent | None:
    """The precedent of the longest IMR subcategory name the text contains (a case's service
    description and details), or None."""
    rows, _ = _table(root or corpus_dir())
    folded = " ".join(text.lower().split())
    names = sorted(
        {
            r["treatment_subcategory"]
            for r in rows
            if r["treatment_subcategory"].lower() not in CATCH_ALL
        },
        key=len,
        reverse=True,
    )
    for name in names:
        if len(name) >= 4 and f" {name.lower()} " in f" {folded} ":
            return find(name, root=root)
    return None
