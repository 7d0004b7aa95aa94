"""The letter as a PDF (fpdf2), under the practice's letterhead."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from fpdf import FPDF, XPos, YPos
from fpdf.enums import WrapMode

from ._blocks import Block, Letterhead, Runs, parse_blocks, plain
from ._registry import Export, exporter

PDF_MEDIA_TYPE = "application/pdf"


@exporter("pdf", suffixes=(".pdf",), media_type=PDF_MEDIA_TYPE, binary=True)
def export_pdf(export: Export) -> bytes:
    """A PDF under the practice's letterhead."""
    return to_pdf(export.markdown, export.letterhead)


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


class _LetterPdf(FPDF):
    """FPDF with the letter's fonts, letterhead and blocks."""

    char_wrap = False
    """Whether the table being written has a word wider than a column (broken by character)."""

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
            self.multi_cell(
                0,
                7 if i == 0 else 4.6,
                self.text_of(line),
                align="C",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
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
            self.multi_cell(
                0, size * 0.5, self.text_of(plain(block.runs)), new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
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
        cap = self.epw / max(columns, 1)  # a 100-character word must not squeeze the others
        self.char_wrap = False
        for c in range(columns):
            texts = [self.text_of(plain(row[c])) for row in rows if c < len(row)]
            # Short cells ("200 mg", "n/a") are not wrapped; longer ones wrap between words.
            words = [t if len(t) <= _NO_WRAP_CHARS else w for t in texts for w in t.split()]
            words = words or [" "]
            widest = max(self.get_string_width(w) for w in words) + 2 * _CELL_PADDING + 1
            self.char_wrap |= widest > cap  # such a word is broken between characters
            floor.append(min(widest, cap))
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
            wrapmode=WrapMode.CHAR if self.char_wrap else WrapMode.WORD,
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
