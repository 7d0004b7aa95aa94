"""Drug and therapy classes: the FDA established pharmacologic classes, a small sourced supplement,
and the groups a payer's wording names ("antidepressant", "NSAIDs", "physical therapy").

Data: ``data/fda_epc.jsonl`` (derived from the FDA NDC Directory by scripts/derive_drug_classes.py,
each row with its source line), ``data/classes.yaml`` (provenance, supplement rows with their
sources, abbreviations, groups) and ``data/class_synonyms.yaml`` (the class names clinicians use,
'aminosalicylate', 'thiopurine', 'beta blocker', mapped to FDA classes or ingredients). Loaded once
into pydantic models.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache, cached_property
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

DATA = Path(__file__).resolve().parent / "data"


_WORD_RE = re.compile(r"\w+")


def _names_re(names: list[str]) -> re.Pattern[str]:
    """A pattern finding any of ``names`` (tried in order) as whole words, any case."""
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SupplementRow(_Spec):
    """An ingredient's class from a source other than the FDA table; ``source`` cites it."""

    ingredient: str
    epc: list[str]
    source: str = Field(min_length=10)


class Group(_Spec):
    """What a payer's wording covers: FDA classes, ingredients, or non-drug treatment names."""

    name: str
    words: list[str]
    """Regexes that find the group in a criterion's wording."""
    epc: list[str] = Field(default_factory=list)
    ingredients: list[str] = Field(default_factory=list)
    names: list[str] = Field(default_factory=list)
    """Regexes that find a non-drug treatment by its name."""
    kinds: list[str] = Field(default_factory=list)
    """Treatment kinds a name match needs (empty: any)."""
    generic: bool = False
    """True for a catch-all ('nonoperative'): it takes only what no specific group claims."""
    source: str

    @cached_property
    def word_re(self) -> re.Pattern[str]:
        return re.compile("|".join(self.words), re.IGNORECASE)

    @cached_property
    def name_re(self) -> re.Pattern[str] | None:
        return re.compile("|".join(self.names), re.IGNORECASE) if self.names else None


class Alias(_Spec):
    """Names a case writes for one ingredient (abbreviations, proprietary names)."""

    ingredient: str
    names: list[str]
    source: str = Field(min_length=10)


class Provenance(_Spec):
    file: str
    source: str
    derived_by: str
    imported: dt.date


class ClassBook(_Spec):
    """The class data, loaded once (:func:`book`)."""

    version: int
    provenance: Provenance
    supplement: list[SupplementRow]
    abbreviations: dict[str, str]
    groups: list[Group]
    fda: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    """ingredient -> FDA EPCs (from fda_epc.jsonl), then the supplement's rows."""
    aliases: dict[str, str] = Field(default_factory=dict)
    """A name written for a drug, lower case -> its ingredient (drug_aliases.yaml)."""

    def classes_of(self, ingredient: str) -> tuple[str, ...]:
        return self.fda.get(ingredient.lower(), ())

    def label(self, epc: str) -> str:
        """How a letter names the class: 'SSRI', or the FDA name in lower case."""
        return self.abbreviations.get(epc, epc.lower())

    @cached_property
    def _names(self) -> list[str]:
        """Every ingredient and name written for one, longest first (the order a match tries)."""
        return sorted([*self.fda, *self.aliases], key=len, reverse=True)

    @cached_property
    def _ingredient_re(self) -> re.Pattern[str]:
        return _names_re(self._names)

    @cached_property
    def _names_by_word(self) -> dict[str, list[str]]:
        """The names by their first word in lower case (in ``_names``' order); '' holds the
        names that start with no word or are not plain ASCII (always tried)."""
        by_word: dict[str, list[str]] = {}
        for name in self._names:
            first = _WORD_RE.match(name)
            key = first.group(0).lower() if first and name.isascii() else ""
            by_word.setdefault(key, []).append(name)
        return by_word

    def _names_in_re(self, text: str) -> re.Pattern[str]:
        """``_ingredient_re`` cut to the names whose first word the text has: it finds exactly
        what the whole pattern finds (a name matches only where its first word stands whole),
        ~100 times faster on a notice (the whole pattern tries its 2,474 names at every
        character: ~50 ms for a 6,000-character notice, each drug-exception draft)."""
        by_word = self._names_by_word
        words = {w.lower() for w in _WORD_RE.findall(text)} | {""}
        held = (n for w in words & by_word.keys() for n in by_word[w])
        names = sorted(held, key=self._rank.__getitem__)
        return _names_re(names)

    @cached_property
    def _rank(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self._names)}

    def ingredient_in(self, name: str) -> str | None:
        """The drug ingredient a treatment's name starts with ('Bupropion XL' -> 'bupropion');
        a name written for it ('MTX', 'Plaquenil') is its ingredient.

        Parenthetical remarks ('(augmentation of duloxetine)') are left out; the earliest and then
        longest ingredient named wins.
        """
        head = re.sub(r"\([^)]*\)", " ", name)
        match = self._ingredient_re.search(head)
        if match is None:
            return None
        written = match.group(1).lower()
        return self.aliases.get(written, written)

    def ingredients_in(self, text: str) -> list[str]:
        """Every drug ingredient a text names, in order (a name written for one is its
        ingredient)."""
        found = (m.group(1).lower() for m in self._names_in_re(text).finditer(text))
        return list(dict.fromkeys(self.aliases.get(w, w) for w in found))

    def groups_in(self, text: str) -> list[Group]:
        """The groups a criterion's wording names, in the book's order; when it names none of
        them but writes an FDA established pharmacologic class ('a phosphodiesterase-5
        inhibitor'), that class."""
        named = [g for g in self.groups if g.word_re.search(text)]
        if any(not g.generic for g in named):
            return named
        return named + [epc_group(m.group(0)) for m in self._epc_re.finditer(text)]

    @cached_property
    def _epc_names(self) -> dict[str, str]:
        """The FDA classes by their normal form ('phosphodiesterase 5 inhibitor')."""
        return {_epc_key(e): e for epcs in self.fda.values() for e in epcs}

    @cached_property
    def _epc_re(self) -> re.Pattern[str]:
        names = sorted(self._epc_names, key=len, reverse=True)
        body = "|".join(r"[\s-]*".join(map(re.escape, n.split())) + "s?" for n in names)
        return re.compile(rf"\b(?:{body})\b", re.IGNORECASE)

    def epc_of(self, written: str) -> str | None:
        """The FDA class a wording writes ('phosphodiesterase-5 inhibitors' -> 'Phosphodiesterase
        5 Inhibitor'), or None."""
        key = _epc_key(written)
        return self._epc_names.get(key) or self._epc_names.get(key.removesuffix("s"))

    def group(self, name: str) -> Group:
        return next(g for g in self.groups if g.name == name)

    def covers(self, group: Group, ingredient: str | None, name: str, kind: str) -> bool:
        """Whether a treatment belongs to the group (by class, ingredient, or name and kind)."""
        if ingredient:
            if ingredient in group.ingredients:
                return True
            if set(self.classes_of(ingredient)) & set(group.epc):
                return True
        if group.name_re is not None and group.name_re.search(name):
            return not group.kinds or kind in group.kinds
        if group.generic and not ingredient:
            return kind in group.kinds
        return False


def _epc_key(text: str) -> str:
    return " ".join(re.split(r"[\s-]+", text.lower().strip()))


def epc_group(written: str) -> Group:
    """The group of one FDA class as a criterion writes it; its name is the class's, in lower
    case, which is also how a treatment of the class is marked (facts.Trial.groups)."""
    epc = book().epc_of(written) or written
    return _epc_group(epc)


@cache
def _epc_group(epc: str) -> Group:
    return Group(
        name=epc.lower(),
        words=[r"[\s-]*".join(map(re.escape, _epc_key(epc).split())) + "s?"],
        epc=[epc],
        source="FDA established pharmacologic class (fda_epc.jsonl)",
    )


@cache
def book() -> ClassBook:
    """The class book (read once per process)."""
    spec = yaml.safe_load((DATA / "classes.yaml").read_text(encoding="utf-8"))
    fda: dict[str, tuple[str, ...]] = {}
    with (DATA / spec["provenance"]["file"]).open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            fda[row["ingredient"]] = tuple(row["epc"])
    synonyms = yaml.safe_load((DATA / "class_synonyms.yaml").read_text(encoding="utf-8"))
    spec["groups"] = [*spec["groups"], *synonyms["groups"]]
    loaded = ClassBook.model_validate({**spec, "fda": {}})
    for row in loaded.supplement:
        fda[row.ingredient] = tuple(row.epc)
    written = yaml.safe_load((DATA / "drug_aliases.yaml").read_text(encoding="utf-8"))
    aliases = {
        name.lower(): alias.ingredient
        for alias in (Alias.model_validate(row) for row in written["aliases"])
        for name in alias.names
    }
    return loaded.model_copy(update={"fda": fda, "aliases": aliases})
