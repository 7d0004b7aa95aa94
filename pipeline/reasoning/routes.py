"""The routes a plan's own definition gives out of its denial ground, and the one the patient fits.

A notice may quote the definition it applied: 'a service is experimental or investigational
unless (a) it has final FDA approval for the condition, or (b) a category 1 or 2A NCCN
recommendation supports it'. The letter argues the route the physician's cited sources meet (the
compendium route, with the grade the source states), in the definition's own words, rather than
the ground in general. How a notice states a definition and which sources meet which route is
data (``specs/route/definition_routes.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import yaml
from pydantic import Field

from ..models import CaseCitation, CaseFacts, Strict
from ..text.sentences import split_sentences
from .specs import HERE, says


class RouteKind(Strict):
    key: str
    route: list[str] = Field(min_length=1)
    """How a route of the definition names this kind of source."""
    evidence: list[str] = Field(min_length=1)
    """How a cited source of this kind names itself."""


class RouteSpec(Strict):
    version: int = Field(ge=1)
    ground: list[str] = Field(min_length=1)
    connective: list[str] = Field(min_length=1)
    grade: str
    kinds: list[RouteKind] = Field(min_length=1)


@cache
def route_spec() -> RouteSpec:
    """``specs/route/definition_routes.yaml``, loaded once."""
    path = HERE / "route" / "definition_routes.yaml"
    return RouteSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Route:
    """A route of the definition the patient fits, and the cited source that meets it."""

    definition: str
    """The notice's sentence stating the definition, as it words it."""
    route: str
    """The route as the notice words it."""
    source: CaseCitation
    grades: tuple[str, ...] = ()
    """The grades the route names and the one the source states ('1', '2A'; '2A'), if any."""
    graded: str = ""

    def paragraph(self) -> str:
        s = self.source
        said = (s.quote or s.recommendation).strip().rstrip(".")
        text = (
            f"Your notice quotes the definition it applied: “{self.definition.rstrip('.')}.” "
            f"This request meets its route “{self.route}”: {s.issuing_body}, {s.title} "
            f"({s.year}), states: “{said}.”"
        )
        if self.graded:
            named = " or ".join(self.grades)
            text += f" That is grade {self.graded}; the route takes {named}."
        return text


_MARKER_RE = re.compile(r"\s*(?:\(\s*(?:[a-h]|[1-9]|i{1,3}v?|iv)\s*\)|\b(?:[a-h]|[1-9])\))\s*")
_OR_RE = re.compile(r"\s*(?:;\s*or\b|;|,\s*or\b|\bor\b(?=\s*\())\s*", re.IGNORECASE)


def _routes(clause: str) -> list[str]:
    """The routes of a definition's clause, split at their markers ('(a)', '(1)') or, without
    markers, at '; or'."""
    clause = clause.strip().rstrip(".")
    if len(_MARKER_RE.findall(clause)) >= 2:
        head, *parts = _MARKER_RE.split(clause)
        lead = head.strip(" ,:;")  # 'unless it (a) has ..., or (b) is ...': 'it' leads each
        if lead and len(lead.split()) <= 3:
            parts = [f"{lead} {p.strip()}" for p in parts]
    else:
        parts = re.split(r"\s*;\s*or\s+|\s*;\s*", clause)
    out = []
    for part in parts:
        part = re.sub(r"(?:[,;]?\s*(?:or|and)\s*)$", "", part.strip(" ,;")).strip(" ,;")
        if len(part.split()) >= 3:
            out.append(part)
    return out if len(out) >= 2 else []


def _grades(text: str) -> list[str]:
    """The grades a text names, in its order ('category 1 or 2A': ['1', '2A'])."""
    found: list[str] = []
    for m in re.finditer(route_spec().grade, text, re.IGNORECASE):
        words = m.group(0).split(None, 1)[1] if " " in m.group(0) else ""
        for g in re.findall(r"\b(?:[0-9]|I{1,3}V?|IV)[A-C]?[ab]?\b", words, re.IGNORECASE):
            if g.upper() not in {f.upper() for f in found}:
                found.append(g)  # as the text writes it ('IIa')
    return found


def _source_text(c: CaseCitation) -> str:
    return " ".join(p for p in (c.issuing_body, c.title, c.recommendation, c.quote or "") if p)


def _meets(route: str, kind: RouteKind, c: CaseCitation) -> str | None:
    """'' when the source is of the route's kind and the route names no grade; the grade the
    source states when it is one the route names; None when the source does not meet it."""
    if not says(kind.evidence, _source_text(c)):
        return None
    wanted = _grades(route)
    if not wanted:
        return ""
    upper = {g.upper() for g in wanted}
    stated = [g for g in _grades(f"{c.recommendation} {c.quote or ''}") if g.upper() in upper]
    return stated[0] if stated else None


def fitting_route(letter_text: str, case: CaseFacts) -> Route | None:
    """The first route of the notice's own definition of its ground that a source the physician
    cites for this patient meets; None when the notice quotes no such definition, or no cited
    source meets a route (nothing is argued that the case does not show)."""
    if not case.citations:
        return None
    spec = route_spec()
    for sentence in split_sentences(letter_text, flatten=True):
        if not says(spec.ground, sentence):
            continue
        m = next(
            (m for p in spec.connective if (m := re.search(p, sentence, re.IGNORECASE))), None
        )
        if m is None:
            continue
        definition = " ".join(sentence.split())
        for route in _routes(sentence[m.end() :]):
            kind = next((k for k in spec.kinds if says(k.route, route)), None)
            if kind is None:
                continue
            for source in case.citations:
                graded = _meets(route, kind, source)
                if graded is not None:
                    grades = tuple(_grades(route)) if graded else ()
                    return Route(definition, route, source, grades, graded)
    return None
