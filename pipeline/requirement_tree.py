"""A criterion's requirements as the notice nests them (``Criterion.tree``).

The notice's lists are read into a tree: a list after a lead-in's colon ('ALL of the following:
1. ... AND 2. ...', 'ONE of the following: A. ...; OR B. ...', '(i) ... (ii) ...') is an inner
node whose logic its lead-in or its connectors give, each item a child read the same way (a list
inside an item is its own node). An item with no list is a leaf, unless it states an
'EITHER ... OR ...' or ', or <lead>' choice (an 'any' node of its sides, as
``requirements.branch_spans`` cuts them) or joins two measurements with 'and' ('TLC >= 100% AND
RV >= 175%': an 'all' node of two leaves). Each typed requirement of the criterion is pointed at
from the deepest node whose words hold its span; the payer's finding is the root's, and a route
the finding names ('MET (B)') is marked met.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Criterion, PayerStatus, Requirement, RequirementKind, RequirementNode
from .requirements import ONE_OF_HEAD_RE, branch_spans, needed, paren_depths, parse_requirements

_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")
_ORDERS: tuple[tuple[str, ...], ...] = (
    tuple("ABCDEFGHJK"),
    tuple("abcdefghjk"),
    _ROMAN,
    tuple(r.upper() for r in _ROMAN),
    tuple(str(n) for n in range(1, 16)),
)
"""Marker sequences a list runs through; letters and roman numerals keep their case, so a
lettered list inside a lettered list of the other case stays its own."""

_MARKER_RE = re.compile(
    r"(?:^|(?<=[:;.,])|(?<=\band)|(?<=\bor)|(?<=\bAND)|(?<=\bOR))\s*"
    r"(?:\((?P<p>[A-Ka-k]|[ivxIVX]{1,4}|\d{1,2})\)|(?P<d>[A-Ka-k]|[ivxIVX]{1,4}|\d{1,2})[.)]|"
    # a numbered criterion's own lettered parts ('3.a. at least 3 injections ...; AND 3.b. ...')
    r"\d{1,2}\.(?P<e>[a-k])[.)]?)"
    r"\s+(?=\S)"
)
_JOINED_BY_OR_RE = re.compile(r"[;,]?\s*\bor\s*$", re.IGNORECASE)
_CONNECTOR_RE = re.compile(r"(?:[;,]?\s*\b(?:and|or)\b)?[\s;,.:]*$", re.IGNORECASE)
_EITHER_RE = re.compile(r"\beither\b:?\s*", re.IGNORECASE)
_EITHER_OR_RE = re.compile(r"[,;]?\s+or\s+", re.IGNORECASE)
_AND_RE = re.compile(r"(?:[,;]\s*|\s+)and\s+", re.IGNORECASE)
_RANGE_END_RE = re.compile(r"(?:\bbetween\b[^,;]{0,40}|\d)\s*$", re.IGNORECASE)
_BOUND_RE = re.compile(
    r"(?:no|not)\s+(?:more|less|greater|fewer|higher|lower)\s+than\b|(?:at\s+(?:most|least)|up\s+to|"
    r"under|below|above|over|less\s+than|more\s+than|greater\s+than|fewer\s+than)\b",
    re.IGNORECASE,
)
"""A side that opens with its bound and names no subject ('... at least 15% and no more than 45%
of predicted'): the other end of a range, read with the side before it."""
_INLINE_MARK_RE = re.compile(r"\((?P<label>[a-h]|[ivx]{1,4}|\d{1,2})\)\s+")
"""An inline mark opening a side ('EITHER (a) Chartis assessment, OR (b) ...')."""
_ROUTE_RE = re.compile(r"\s*\((?:\d{1,2}\.)?(?P<route>[A-Za-z0-9]{1,3})\)")
"""The route a met finding's reason names first ('(B) Center-involved DME': 'B'; '(4.b) The CGM
report ...': 'b'), as ``payer_findings`` keeps it."""


@dataclass(frozen=True)
class _Flat:
    """A criterion's words on one line, with how many brackets are open at each character
    (``requirements.paren_depths``): read once for the tree, every node reads them."""

    text: str
    depths: list[int]

    @classmethod
    def of(cls, text: str) -> _Flat:
        return cls(text, paren_depths(text))


@dataclass(frozen=True)
class _List:
    head_end: int
    """Where the lead-in ends (the first marker's start)."""
    items: list[tuple[str, int, int]]
    """Each item's bare label and span (its marker left out)."""


def _lists(line: _Flat, start: int, end: int) -> _List | None:
    """The outermost marked list of ``line.text[start:end]`` after a lead-in's colon: of every
    marker sequence with two or more items, the one that starts first."""
    flat = line.text
    markers = [
        m
        for m in _MARKER_RE.finditer(flat, start, end)
        if m.start() >= start and line.depths[m.start()] == 0
    ]
    best: list[re.Match[str]] = []
    for order in _ORDERS:
        run: list[re.Match[str]] = []
        for m in markers:
            label = m["p"] or m["d"] or m["e"]
            if len(run) < len(order) and label == order[len(run)]:
                run.append(m)
        if len(run) < 2 or not flat[start : run[0].start()].rstrip().endswith(":"):
            continue
        if not best or run[0].start() < best[0].start():
            best = run
    if not best:
        return None
    ends = [m.start() for m in best[1:]] + [end]
    items = [(m["p"] or m["d"] or m["e"], m.end(), e) for m, e in zip(best, ends, strict=True)]
    return _List(best[0].start(), items)


def _words(flat: str, start: int, end: int) -> str:
    """A span's words without the connector that joins it to the next item."""
    text = flat[start:end].strip()
    text = _CONNECTOR_RE.sub("", text) if _CONNECTOR_RE.search(text) else text
    return text.strip(" ,;") or flat[start:end].strip() or "-"


def _typed(text: str) -> list[Requirement]:
    """The typed requirements of a node's own words (a lead-in's colon and 'ALL of' left out)."""
    return parse_requirements(text)[0]


def _measured(text: str) -> bool:
    """The words state a measurement against a number ('RV >= 175%', 'at least 40 kg')."""
    return any(r.value is not None and r.comparator for r in _typed(text))


def _typed_kind(text: str) -> bool:
    """The words state a requirement of a typed kind (not only words kept whole)."""
    return any(r.kind is not RequirementKind.other for r in _typed(text))


def _conjuncts(line: _Flat, start: int, end: int) -> list[tuple[int, int]]:
    """The sides of an 'and' between two measurements ('FEV1 15-45% and RV >= 175%', 'is 12
    years or older and weighs at least 40 kg'; none for a range, 'between 15 and 45%'), else of
    a ', and' between two typed requirements ('an HbA1c within 6 months, and documentation that
    ...')."""
    flat, depths = line.text, line.depths
    cuts = [
        m
        for m in _AND_RE.finditer(flat, start, end)
        if not depths[m.start()]
        and not _RANGE_END_RE.search(flat[start : m.start()])
        and not _BOUND_RE.match(flat, m.end())
    ]
    for chosen, holds in ((cuts, _measured), ([m for m in cuts if "," in m.group()], _typed_kind)):
        points = [start, *[p for m in chosen for p in (m.start(), m.end())], end]
        sides = [(points[i], points[i + 1]) for i in range(0, len(points), 2)]
        if len(sides) >= 2 and all(holds(flat[s:e]) for s, e in sides):
            return sides
    return []


def _either(line: _Flat, start: int, end: int) -> list[tuple[int, int]]:
    """The sides of 'EITHER A OR B' (the first 'or' outside parentheses after an 'either'
    outside them; the words before 'either' stay in the node's text)."""
    flat, depths = line.text, line.depths
    lead = next((m for m in _EITHER_RE.finditer(flat, start, end) if not depths[m.start()]), None)
    if not lead:
        return []
    cut = next(
        (m for m in _EITHER_OR_RE.finditer(flat, lead.end(), end) if not depths[m.start()]), None
    )
    return [(lead.end(), cut.start()), (cut.end(), end)] if cut else []


def _node(line: _Flat, start: int, end: int, label: str | None) -> RequirementNode:
    """The node of ``line.text[start:end]``: a list, a choice, a conjunction of measurements, a
    leaf."""
    flat = line.text
    found = _lists(line, start, end)
    if found is not None:
        head = flat[start : found.head_end]
        joined = any(_JOINED_BY_OR_RE.search(flat[s:e]) for _, s, e in found.items[:-1])
        one_of = bool(ONE_OF_HEAD_RE.search(head)) or joined
        children = [_node(line, s, e, item) for item, s, e in found.items]
        lead = _words(flat, start, found.head_end)
        return RequirementNode(
            logic="any" if one_of else "all",
            at_least=(needed(head) or 1) if one_of else 1,
            label=label,
            text=lead,
            requirements=_typed(lead),
            children=children,
        )
    text = _words(flat, start, end)
    span_end = start + len(flat[start:end]) - len(flat[start:end].lstrip()) + len(text)
    sides = _either(line, start, span_end)
    logic: str = "any"
    if not sides:
        common, alternatives = branch_spans(flat[start:span_end])
        if len(alternatives) >= 2 and len(common) <= 1:  # not a parenthesis's list
            sides = [(start + s, start + e) for s, e in alternatives]
    if not sides:
        sides, logic = _conjuncts(line, start, span_end), "all"
    if len(sides) < 2:
        return RequirementNode(label=label, text=text, requirements=_typed(text))
    return RequirementNode(
        logic="any" if logic == "any" else "all",
        label=label,
        text=text,
        children=[_leaf(_words(flat, s, e)) for s, e in sides],
    )


def _leaf(words: str) -> RequirementNode:
    """A side of a choice or a conjunction, its inline mark ('(a) ...') as its label."""
    mark = _INLINE_MARK_RE.match(words)
    if mark and len(words) > mark.end():
        return RequirementNode(
            label=mark["label"], text=words[mark.end() :], requirements=_typed(words[mark.end() :])
        )
    return RequirementNode(text=words, requirements=_typed(words))


def _route(reason: str | None) -> str | None:
    """The route a met finding names ('(B) Center-involved DME, right eye' -> 'B')."""
    match = _ROUTE_RE.match(reason or "")
    return match["route"] if match else None


def _with_findings(
    root: RequirementNode, status: PayerStatus, reason: str | None
) -> RequirementNode:
    route = _route(reason) if status == "met" else None
    children = [
        c.model_copy(update={"finding": "met"}) if route is not None and c.label == route else c
        for c in root.children
    ]
    return root.model_copy(update={"finding": status, "children": children})


def requirement_tree(criterion: Criterion) -> RequirementNode:
    """The criterion's requirement tree, its typed requirements placed at their nodes and the
    payer's finding on the root (and on the route the finding names)."""
    line = _Flat.of(" ".join(criterion.text.split()))
    return _with_findings(
        _node(line, 0, len(line.text), None), criterion.payer_status, criterion.payer_reason
    )
