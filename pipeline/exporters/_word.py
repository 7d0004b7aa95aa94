"""The letter as a Word document (python-docx), under the practice's letterhead."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Inches, Pt
from docx.text.paragraph import Paragraph

from ._blocks import Block, Letterhead, Run, Runs, parse_blocks
from ._registry import Export, exporter

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@exporter("docx", suffixes=(".docx",), media_type=DOCX_MEDIA_TYPE, binary=True)
def export_docx(export: Export) -> bytes:
    """A Word document under the practice's letterhead."""
    return to_docx(export.markdown, export.letterhead)


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
