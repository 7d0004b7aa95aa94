"""The letter's Markdown as blocks, and the practice's letterhead, for the document exporters.

The Markdown is parsed once (markdown-it-py, CommonMark with tables, raw HTML off) into a few
block kinds — headings, paragraphs, list items, tables — that the DOCX and PDF writers render.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token
from pydantic import BaseModel, ConfigDict, Field

# --------------------------------------------------------------------------- letterhead


class Letterhead(BaseModel):
    """The practice's details printed at the top of the letter (all optional)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    practice_name: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=60)
    fax: str | None = Field(default=None, max_length=60)

    def lines(self) -> list[str]:
        """Name, address, then 'Phone … · Fax …' (empty parts left out)."""
        contact = " · ".join(
            f"{label} {value}"
            for label, value in (("Phone", self.phone), ("Fax", self.fax))
            if value
        )
        return [line for line in (self.practice_name, self.address, contact) if line]


# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Run:
    """Text with one style; a '\\n' in the text is a line break."""

    text: str
    bold: bool = False
    italic: bool = False


Runs = tuple[Run, ...]
BlockKind = Literal["heading", "paragraph", "bullet", "numbered", "table", "rule"]


@dataclass(frozen=True)
class Block:
    """One block of the letter."""

    kind: BlockKind
    runs: Runs = ()
    level: int = 0
    """Heading level (1-6), or list depth (1 = top level)."""
    number: str = ""
    """The item number of a numbered list item, as written."""
    rows: tuple[tuple[Runs, ...], ...] = ()
    """Table rows of cells (a table's empty header row is dropped)."""
    header: bool = False
    """Whether the table's first row is a header row."""


def plain(runs: Runs) -> str:
    """The runs' text without styling."""
    return "".join(r.text for r in runs)


_PARSER = MarkdownIt("commonmark", {"html": False}).enable("table")


def parse_blocks(markdown: str) -> list[Block]:
    """The letter's blocks, in order."""
    return list(_Walker(_PARSER.parse(markdown)).blocks())


@dataclass
class _Walker:
    """Turns markdown-it's flat token stream into blocks."""

    tokens: list[Token]
    lists: list[str] = field(default_factory=list)
    """Open lists, innermost last: 'bullet' or 'numbered'."""
    item_number: str = ""

    def blocks(self) -> Iterator[Block]:
        tokens = iter(self.tokens)
        for token in tokens:
            kind = token.type
            if kind == "heading_open":
                yield Block("heading", _runs(next(tokens)), level=int(token.tag[1:]))
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self.lists.append("bullet" if kind == "bullet_list_open" else "numbered")
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "list_item_open":
                self.item_number = token.info
            elif kind == "inline":
                yield self._text_block(token)
            elif kind in ("code_block", "fence"):
                yield Block("paragraph", (Run(token.content.rstrip("\n")),))
            elif kind == "table_open":
                yield _table(tokens)
            elif kind == "hr":
                yield Block("rule")

    def _text_block(self, inline: Token) -> Block:
        runs = _runs(inline)
        if not self.lists:
            return Block("paragraph", runs)
        number, self.item_number = self.item_number, ""  # only an item's first paragraph
        if self.lists[-1] == "bullet":
            return Block("bullet", runs, level=len(self.lists))
        if not number:  # a later paragraph of a numbered item
            return Block("paragraph", runs, level=len(self.lists))
        return Block("numbered", runs, level=len(self.lists), number=number)


def _table(tokens: Iterator[Token]) -> Block:
    rows: list[tuple[Runs, ...]] = []
    cells: list[Runs] = []
    header = False
    for token in tokens:
        if token.type == "table_close":
            break
        if token.type == "thead_open":
            header = True
        elif token.type == "inline":
            cells.append(_runs(token))
        elif token.type == "tr_close":
            rows.append(tuple(cells))
            cells = []
    if header and rows and not any(plain(c).strip() for c in rows[0]):
        rows, header = rows[1:], False
    return Block("table", rows=tuple(rows), header=header)


def _runs(inline: Token) -> Runs:
    """Styled runs of an inline token; adjacent runs of one style are merged."""
    out: list[Run] = []
    bold = italic = False
    for child in inline.children or []:
        kind = child.type
        if kind in ("strong_open", "strong_close"):
            bold = kind == "strong_open"
        elif kind in ("em_open", "em_close"):
            italic = kind == "em_open"
        else:
            text = {"softbreak": " ", "hardbreak": "\n"}.get(kind, child.content)
            if not text:
                continue
            if out and (out[-1].bold, out[-1].italic) == (bold, italic):
                out[-1] = Run(out[-1].text + text, bold, italic)
            else:
                out.append(Run(text, bold, italic))
    return tuple(out)
