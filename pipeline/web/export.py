"""A letter's Markdown as DOCX (python-docx) or PDF (fpdf2), under the practice's letterhead.

The Markdown is parsed once (markdown-it-py, CommonMark with tables, raw HTML off) into a few
block kinds — headings, paragraphs, list items, tables — that both writers render. Nothing is
written to disk: each writer returns the document's bytes.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Inches, Pt
from docx.text.paragraph import Paragraph
from fpdf import FPDF, XPos, YPos
from markdown_it import MarkdownIt
from markdown_it.token import Token
from pydantic import BaseModel, ConfigDict, Field

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MEDIA_TYPE = "application/pdf"

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


# --------------------------------------------------------------------------- DOCX


def to_docx(markdown: str, letterhead: Letterhead | None = None) -> bytes:
    """The letter as a Word document (US Letter, 1-inch margins)."""
    doc = Document()
    for section in doc.sections:
        section.page_width, section.page_height = Inches(8.5), Inches(11)
        section.left_margin = section.right_margin = Inches(1)
        section.top_margin = section.bottom_margin = Inches(1)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Calibri", Pt(11)

    for i, line in enumerate((letterhead or Letterhead()).lines()):
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.space_after = Pt(0 if i < 2 else 12)
        run = para.add_run(xml_text(line))
        run.bold = i == 0
        run.font.size = Pt(15 if i == 0 else 9.5)

    for block in parse_blocks(markdown):
        if block.kind == "heading":
            _docx_runs(doc.add_heading(level=min(block.level, 4)), block.runs)
        elif block.kind == "paragraph":
            _docx_runs(doc.add_paragraph(), block.runs)
        elif block.kind == "bullet":
            style = "List Bullet" if block.level < 2 else "List Bullet 2"
            _docx_runs(doc.add_paragraph(style=style), block.runs)
        elif block.kind == "numbered":
            para = doc.add_paragraph()
            para.paragraph_format.left_indent = Inches(0.3)
            para.paragraph_format.first_line_indent = Inches(-0.3)
            _docx_runs(para, (Run(f"{block.number}.\t"), *block.runs))
        elif block.kind == "table" and block.rows:
            _docx_table(doc, block)
        elif block.kind == "rule":
            doc.add_paragraph("—" * 20).alignment = WD_ALIGN_PARAGRAPH.CENTER
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _docx_runs(paragraph: Paragraph, runs: Runs) -> None:
    """Add styled runs; a newline in a run becomes a line break."""
    for run in runs:
        for i, piece in enumerate(run.text.split("\n")):
            if i:
                paragraph.add_run().add_break()
            if piece := xml_text(piece):
                added = paragraph.add_run(piece)
                added.bold, added.italic = run.bold or None, run.italic or None


# What XML 1.0 (so python-docx) refuses: control characters, lone surrogates, U+FFFE/U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters a Word document cannot hold."""
    return _NOT_XML.sub("", text)


def _docx_table(doc: DocxDocument, block: Block) -> None:
    columns = max(len(row) for row in block.rows)
    table = doc.add_table(rows=len(block.rows), cols=columns)
    table.style = "Table Grid"
    for r, row in enumerate(block.rows):
        for c, cell_runs in enumerate(row):
            para = table.cell(r, c).paragraphs[0]
            bold = block.header and r == 0
            _docx_runs(para, tuple(Run(x.text, x.bold or bold, x.italic) for x in cell_runs))
            for run in para.runs:
                run.font.size = Pt(9.5)
    doc.add_paragraph()


# --------------------------------------------------------------------------- PDF

_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu
    Path("/usr/share/fonts/dejavu-sans-fonts"),  # Fedora
    Path("/usr/share/fonts/TTF"),  # Arch
    Path("/Library/Fonts"),
)
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}

# Characters outside Latin-1 that letters commonly hold, for the built-in PDF font.
_LATIN1_FALLBACK = str.maketrans(
    {
        "—": "-", "–": "-", "‑": "-", "−": "-", "‘": "'", "’": "'", "“": '"', "”": '"',
        "…": "...", "•": "-", "→": "->", "←": "<-", "≥": ">=", "≤": "<=", "≠": "!=",
        "™": "(TM)", "€": "EUR", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    }
)  # fmt: skip


def find_unicode_font(dirs: Sequence[Path] = _FONT_DIRS) -> dict[str, Path] | None:
    """DejaVu Sans (regular, and bold/oblique when present) from a system font folder."""
    for folder in dirs:
        regular = folder / _FONT_FILES[""]
        if regular.is_file():
            found = {style: folder / name for style, name in _FONT_FILES.items()}
            return {style: path for style, path in found.items() if path.is_file()}
    return None


def latin1(text: str) -> str:
    """Text the PDF core fonts can show: common symbols spelled out, accents kept when
    Latin-1 has them, else dropped ('ễ' -> 'e'), anything else as '?'."""
    out = []
    for ch in text.translate(_LATIN1_FALLBACK):
        if ord(ch) < 256:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if ord(c) < 256)
        out.append(base or "?")
    return "".join(out)


_PDF_SIZES = {1: 16.0, 2: 13.0, 3: 11.5}
_BODY_SIZE = 10.5
_TABLE_SIZE = 8.5
_LINE = 5.2
"""Line height in mm for body text."""
_CELL_PADDING = 1.2
_NO_WRAP_CHARS = 10
_NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


class _LetterPdf(FPDF):
    """FPDF with the letter's fonts, letterhead and blocks."""

    def __init__(self, fonts: dict[str, Path] | None) -> None:
        super().__init__(format="letter", unit="mm")
        self.set_margins(25.4, 25.4, 25.4)
        self.set_auto_page_break(True, margin=22)
        self.alias_nb_pages()
        self.styles_available = {""}
        if fonts:
            for style, path in fonts.items():
                self.add_font("Body", style, str(path))
            self.styles_available = set(fonts)
            self.body_family = "Body"
        else:
            self.body_family = "helvetica"
            self.styles_available = {"", "B", "I"}
        self.unicode_font = bool(fonts)
        self.add_page()

    def text_of(self, text: str) -> str:
        return text if self.unicode_font else latin1(text)

    def use_font(self, size: float, bold: bool = False, italic: bool = False) -> None:
        style = ("B" if bold else "") + ("I" if italic else "")
        if style not in self.styles_available:
            style = "B" if bold and "B" in self.styles_available else ""
        self.set_font(self.body_family, style, size)

    def footer(self) -> None:
        self.set_y(-15)
        self.use_font(8)
        self.set_text_color(110)
        self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0)

    def letterhead(self, lines: list[str]) -> None:
        if not lines:
            return
        for i, line in enumerate(lines):
            self.use_font(15 if i == 0 else 9.5, bold=i == 0)
            self.multi_cell(0, 7 if i == 0 else 4.6, self.text_of(line), align="C", **_NEXT_LINE)
        self.ln(2)
        self.set_draw_color(120)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_draw_color(0)
        self.ln(6)

    def write_runs(self, runs: Runs, size: float = _BODY_SIZE) -> None:
        for run in runs:
            self.use_font(size, run.bold, run.italic)
            self.write(_LINE, self.text_of(run.text))

    def block(self, block: Block) -> None:
        if block.kind == "heading":
            self.ln(2 if block.level > 1 else 0)
            size = _PDF_SIZES.get(block.level, _BODY_SIZE)
            self.use_font(size, bold=True)
            self.multi_cell(0, size * 0.5, self.text_of(plain(block.runs)), **_NEXT_LINE)
            self.ln(1.5)
        elif block.kind == "paragraph":
            self.write_runs(block.runs)
            self.ln(_LINE + 2)
        elif block.kind in ("bullet", "numbered"):
            self.list_item(block)
        elif block.kind == "table" and block.rows:
            self.table_block(block)
        elif block.kind == "rule":
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(3)

    def column_widths(self, rows: Sequence[Sequence[Runs]], columns: int) -> tuple[float, ...]:
        """Widths in mm: each column's longest word (or short cell) fits; the rest of the line
        is shared in proportion to the columns' average text width."""
        self.use_font(_TABLE_SIZE, bold=True)
        floor, share = [], []
        for c in range(columns):
            texts = [self.text_of(plain(row[c])) for row in rows if c < len(row)]
            # Short cells ("200 mg", "n/a") are not wrapped; longer ones wrap between words.
            words = [t if len(t) <= _NO_WRAP_CHARS else w for t in texts for w in t.split()]
            words = words or [" "]
            floor.append(max(self.get_string_width(w) for w in words) + 2 * _CELL_PADDING + 1)
            share.append(sum(map(self.get_string_width, texts)) / max(len(texts), 1) + 1)
        spare = max(self.epw - sum(floor), 0.0)
        return tuple(f + spare * s / sum(share) for f, s in zip(floor, share, strict=True))

    def list_item(self, block: Block) -> None:
        margin = self.l_margin
        indent = 6.0 * block.level
        marker = f"{block.number}." if block.kind == "numbered" else self.text_of("•")
        self.use_font(_BODY_SIZE)
        self.set_x(margin + indent - 5)
        self.cell(5, _LINE, marker)
        self.set_left_margin(margin + indent + (2 if block.kind == "numbered" else 0))
        self.set_x(self.l_margin)
        self.write_runs(block.runs)
        self.set_left_margin(margin)
        self.ln(_LINE + 1)

    def table_block(self, block: Block) -> None:
        columns = max(len(row) for row in block.rows)
        widths = self.column_widths(block.rows, columns)
        self.use_font(_TABLE_SIZE)
        with self.table(
            col_widths=widths,
            first_row_as_headings=block.header,
            line_height=4.2,
            text_align="LEFT",
            padding=_CELL_PADDING,
        ) as table:
            for row in block.rows:
                cells = table.row()
                for c in range(columns):
                    cells.cell(self.text_of(plain(row[c])) if c < len(row) else "")
        self.ln(3)


def to_pdf(
    markdown: str,
    letterhead: Letterhead | None = None,
    *,
    fonts: dict[str, Path] | Literal["auto"] | None = "auto",
) -> bytes:
    """The letter as a PDF (US Letter, 1-inch margins, page numbers in the footer).

    ``fonts`` maps style ('', 'B', 'I') to a TrueType file; 'auto' looks for DejaVu Sans and
    None uses the built-in Helvetica, which shows Latin-1 only (see :func:`latin1`).
    """
    pdf = _LetterPdf(fonts=find_unicode_font() if fonts == "auto" else fonts)
    pdf.letterhead((letterhead or Letterhead()).lines())
    for block in parse_blocks(markdown):
        pdf.block(block)
    return bytes(pdf.output())
