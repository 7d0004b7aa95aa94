"""The letter (Markdown) parser: sections, criteria, references, citations and tables, with
spans, read through ``letter_format``'s names and patterns only."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .. import letter_format as lf
from ..text.normalize import Span
from ..text.tables import Cell, pipe_rows

_NUMBERED_LINE_RE = re.compile(r"^[ \t]*([0-9]+)\.[ \t]+(.*?)[ \t]*$", re.M)

_LABEL_LINE_RE = re.compile(
    r"^[ \t]*(?:[-*+][ \t]+)?(?:\*\*)?(?P<label>[^:*\n|]{1,40}?)(?:\*\*)?[ \t]*:(?:\*\*)?"
    r"[ \t]*(?P<value>.*?)[ \t]*$",
    re.M,
)
_SUBHEADING_RE = re.compile(r"^#{1,3}[ \t]", re.M)


Field = Cell
"""A value in the letter with its span in the Markdown (a table cell or a labelled value)."""


@dataclass(frozen=True)
class Section:
    """A level-2 section: ``## name`` and its body up to the next level-2 heading."""

    name: str
    start: int
    body_start: int
    end: int
    body: str


@dataclass(frozen=True)
class CriterionSection:
    """A ``### Criterion n`` block: the heading line and its body up to the next heading."""

    number: int
    start: int
    end: int
    heading: str
    body: str


@dataclass(frozen=True)
class ReferenceEntry:
    """A numbered line of the References list; ``passage_id`` is None when it has no (ref: id)."""

    number: int
    text: str
    passage_id: str | None
    span: Span


@dataclass(frozen=True)
class Citation:
    """An in-text citation ``[1]`` or ``[1, 3]`` outside the References list."""

    numbers: tuple[int, ...]
    span: Span


@dataclass(frozen=True)
class TreatmentRow:
    """A row of the prior-treatment table, cells keyed by lower-cased column name."""

    cells: dict[str, Field]
    span: Span

    def cell(self, column: str) -> Field | None:
        return self.cells.get(column.casefold())


@dataclass
class Document:
    """The letter, parsed once through letter_format's names and patterns."""

    markdown: str
    sections: dict[str, Section]
    criteria: dict[int, CriterionSection]
    references: list[ReferenceEntry]
    citations: list[Citation]
    prior_header: tuple[str, ...] | None
    prior_rows: list[TreatmentRow]
    identification: dict[str, Field]
    signature: dict[str, Field]

    def section(self, name: str) -> Section | None:
        return self.sections.get(name)

    def in_section(self, name: str, pos: int) -> bool:
        sec = self.sections.get(name)
        return bool(sec and sec.start <= pos < sec.end)


def parse_sections(markdown: str) -> dict[str, Section]:
    """Level-2 sections with offsets: the headings and bodies of ``lf.split_sections``."""
    sections: dict[str, Section] = {}
    for m, end in lf.section_bounds(markdown):
        raw = markdown[m.end() : end]
        body = raw.strip("\n")
        body_start = m.end() + (len(raw) - len(raw.lstrip("\n")))
        name = lf.section_name(m.group(1))
        sections.setdefault(name, Section(name, m.start(), body_start, end, body))
    return sections


def parse_criteria(
    markdown: str, names: Sequence[str] | None = None
) -> dict[int, CriterionSection]:
    """``### Criterion n`` blocks by number (first wins), each up to the next heading; a block
    named by the payer's label ('### Criterion 3.2.3') has the number of that name among
    ``names`` (``letter_format.criterion_names``)."""
    blocks: dict[int, CriterionSection] = {}
    for m in lf.CRITERION_HEADING_RE.finditer(markdown):
        nxt = _SUBHEADING_RE.search(markdown, m.end())
        end = nxt.start() if nxt else len(markdown)
        number = lf.criterion_number(m.group(1), names)
        blocks.setdefault(
            number, CriterionSection(number, m.start(), end, m.group(), markdown[m.end() : end])
        )
    return blocks


def parse_references(markdown: str, section: Section | None) -> list[ReferenceEntry]:
    """Numbered lines of the References section; lines off ``REFERENCE_LINE`` get no id."""
    if section is None:
        return []
    entries: list[ReferenceEntry] = []
    for m in _NUMBERED_LINE_RE.finditer(markdown, section.body_start, section.end):
        line = m.group()
        ref = lf.REFERENCE_LINE_RE.fullmatch(line.strip())
        number = int(m.group(1)) if len(m.group(1)) < 6 else -1
        if ref:
            entries.append(ReferenceEntry(number, ref.group(2), ref.group(3), m.span()))
        else:
            entries.append(ReferenceEntry(number, m.group(2), None, m.span()))
    return entries


def parse_citations(markdown: str, references: Section | None) -> list[Citation]:
    """In-text citations outside the References section."""
    out = []
    for m in lf.CITATION_RE.finditer(markdown):
        if references and references.start <= m.start() < references.end:
            continue
        numbers = tuple(int(n) for n in re.split(r"\s*,\s*", m.group(1)) if len(n) < 6)
        out.append(Citation(numbers, m.span()))
    return out


def _label(text: str) -> str:
    return text.strip().strip("*").strip().rstrip(":").strip().casefold()


def parse_identification(markdown: str, section: Section | None) -> dict[str, Field]:
    """The identification table as label (lower case) -> value."""
    if section is None:
        return {}
    table: dict[str, Field] = {}
    for row in pipe_rows(markdown, section.body_start, section.end):
        if len(row) >= 2:
            table.setdefault(_label(row[0].value), row[1])
    return table


def parse_signature(markdown: str, section: Section | None) -> dict[str, Field]:
    """The signature block's ``Label: value`` lines as label (lower case) -> value."""
    if section is None:
        return {}
    fields: dict[str, Field] = {}
    for m in _LABEL_LINE_RE.finditer(markdown, section.body_start, section.end):
        fields.setdefault(_label(m.group("label")), Field(m.group("value"), m.span("value")))
    return fields


def parse_prior_treatments(
    markdown: str, section: Section | None
) -> tuple[tuple[str, ...] | None, list[TreatmentRow]]:
    """The prior-treatment table: its header (lower case) and rows keyed by column name."""
    if section is None:
        return None, []
    rows = pipe_rows(markdown, section.body_start, section.end)
    wanted = {c.casefold() for c in lf.PRIOR_TREATMENT_COLUMNS}
    for i, row in enumerate(rows):
        header = tuple(_label(c.value) for c in row)
        if wanted & set(header):
            out = []
            for body in rows[i + 1 :]:
                cells = {name: cell for name, cell in zip(header, body, strict=False) if name}
                span = (body[0].span[0], body[-1].span[1]) if body else (0, 0)
                out.append(TreatmentRow(cells, span))
            return header, out
    return None, []


def parse_document(markdown: str, names: Sequence[str] | None = None) -> Document:
    """Parse a letter into the parts the checks read (``names``: the criteria's names in the
    letter, :func:`letter_format.criterion_names`; None: numbers)."""
    sections = parse_sections(markdown)
    refs = sections.get(lf.REFERENCES)
    header, rows = parse_prior_treatments(markdown, sections.get(lf.PRIOR_TREATMENT))
    return Document(
        markdown=markdown,
        sections=sections,
        criteria=parse_criteria(markdown, names),
        references=parse_references(markdown, refs),
        citations=parse_citations(markdown, refs),
        prior_header=header,
        prior_rows=rows,
        identification=parse_identification(markdown, sections.get(lf.IDENTIFICATION)),
        signature=parse_signature(markdown, sections.get(lf.SIGNATURE)),
    )
