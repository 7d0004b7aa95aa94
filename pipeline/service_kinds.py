"""What kind of care a requested service is (drug, procedure, device, imaging, test, level of
care, therapy), from its codes and, when no code tells, its description.

The table is data (``service_kinds.yaml``: code ranges by CPT section and HCPCS letter, and one
pattern per kind for a description), loaded once into pydantic. ``pipeline.relevance`` compares
the request's kinds with a passage's ``purpose``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from .fileio import load_yaml
from .models import ServiceKind

SPEC = Path(__file__).with_name("service_kinds.yaml")


class CodeRange(BaseModel):
    """Codes ``first`` to ``last`` (inclusive, same shape) are of ``kinds``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    first: str
    last: str
    kinds: tuple[ServiceKind, ...]

    @field_validator("last")
    @classmethod
    def _same_shape(cls, last: str, info: object) -> str:
        first = getattr(info, "data", {}).get("first", "")
        if _shape(first) != _shape(last) or last < first:
            raise ValueError(f"range {first}-{last}: ends of another shape or reversed")
        return last

    def holds(self, code: str) -> bool:
        return _shape(code) == _shape(self.first) and self.first <= code <= self.last

    @property
    def width(self) -> int:
        """How many codes the range spans (by its digits): the narrowest holding a code wins."""
        return int(re.sub(r"\D", "", self.last) or 0) - int(re.sub(r"\D", "", self.first) or 0)


class KindTable(BaseModel):
    """The whole table: code ranges, one description pattern per kind (in precedence order),
    and the pattern that ends a description's head."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    codes: tuple[CodeRange, ...]
    words: dict[ServiceKind, str]
    head: str
    generic: frozenset[str] = frozenset()
    """Treatment names that name a kind of care, not one service ('surgery', 'mri')."""
    salts: frozenset[str] = frozenset()
    """Words after a drug's name naming its salt, ester or hydrate ('hydrochloride')."""
    ancillary: tuple[CodeRange, ...] = ()
    """Codes billed beside many treatments (radiation planning, physics, image guidance): a
    passage listing one is not about the request by it alone."""

    @functools.cached_property
    def compiled(self) -> tuple[tuple[ServiceKind, re.Pattern[str]], ...]:
        return tuple((k, re.compile(_one_line(p), re.IGNORECASE)) for k, p in self.words.items())

    @functools.cached_property
    def by_shape(self) -> dict[str, tuple[CodeRange, ...]]:
        """The ranges by the shape of their codes (``CodeRange.holds`` compares shapes first):
        a code is compared with the ranges of its shape only, not the shape of every range
        worked out again for each code (~1 ms a code, 10 to 25 codes a draft)."""
        shapes: dict[str, list[CodeRange]] = {}
        for r in self.codes:
            shapes.setdefault(_shape(r.first), []).append(r)
        return {shape: tuple(ranges) for shape, ranges in shapes.items()}

    @functools.cached_property
    def head_re(self) -> re.Pattern[str]:
        return re.compile(_one_line(self.head), re.IGNORECASE)


def _one_line(pattern: str) -> str:
    """A folded YAML pattern without the spaces its line breaks left."""
    return re.sub(r"\|\s+", "|", pattern.strip())


def _shape(code: str) -> str:
    """'L' for each letter, 'D' for each digit: codes compare only with codes of one shape."""
    return "".join("L" if c.isalpha() else "D" for c in code)


@functools.cache
def table() -> KindTable:
    """The kind table, loaded once."""
    return KindTable.model_validate(load_yaml(SPEC.read_text(encoding="utf-8")))


def code_kinds(code: str) -> tuple[ServiceKind, ...]:
    """The kinds of one code (its narrowest range), () when no range holds it."""
    code = code.strip().upper()
    holding = [r for r in table().by_shape.get(_shape(code), ()) if r.first <= code <= r.last]
    return min(holding, key=lambda r: r.width).kinds if holding else ()


def text_kind(description: str) -> ServiceKind | None:
    """The kind a service description names first (in the table's precedence), read in its
    head (before 'for', 'after' ...) and then, failing that, in the whole; None if none."""
    spec = table()
    for text in (spec.head_re.split(description, maxsplit=1)[0], description):
        for kind, pattern in spec.compiled:
            if pattern.search(text):
                return kind
    return None


def generic_name(name: str) -> bool:
    """The treatment name names a kind of care rather than one service ('surgery', 'MRI',
    'screening'): the table's ``generic`` list."""
    return " ".join(name.lower().split()) in table().generic


def family_name(name: str, drug: str) -> bool:
    """``name`` names the family of ``drug`` rather than the drug: it is the start of the
    drug's name and the rest is not a salt, ester or hydrate ('insulin' of 'insulin lispro',
    'interferon' of 'interferon beta-1a'; not 'amantadine' of 'amantadine hydrochloride')."""
    name, drug = " ".join(name.lower().split()), " ".join(drug.lower().split())
    if not drug.startswith(f"{name} "):
        return False
    return not set(drug[len(name) :].split()) <= table().salts


def ancillary(code: str) -> bool:
    """The code is billed beside many treatments (the table's ``ancillary`` ranges: radiation
    treatment planning, dosimetry, devices, image guidance), so sharing it says nothing of
    which treatment a passage is about."""
    code = code.strip().upper()
    return any(r.holds(code) for r in table().ancillary)


def request_kinds(codes: Iterable[str], descriptions: Iterable[str]) -> frozenset[ServiceKind]:
    """The kinds of a request: its codes' kinds, else the first description that names one."""
    by_code = {k for c in codes if c.strip() for k in code_kinds(c)}
    if by_code:
        return frozenset(by_code)
    for description in descriptions:
        kind = text_kind(description) if description.strip() else None
        if kind is not None:
            return frozenset({kind})
    return frozenset()
