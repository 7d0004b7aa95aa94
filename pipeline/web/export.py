"""Kept for imports written before ``pipeline.exporters``: the document writers, re-exported."""

from __future__ import annotations

from ..exporters import Letterhead, parse_blocks, plain
from ..exporters._pdf import PDF_MEDIA_TYPE, find_unicode_font, latin1, to_pdf
from ..exporters._word import DOCX_MEDIA_TYPE, to_docx, xml_text

__all__ = [
    "DOCX_MEDIA_TYPE",
    "PDF_MEDIA_TYPE",
    "Letterhead",
    "find_unicode_font",
    "latin1",
    "parse_blocks",
    "plain",
    "to_docx",
    "to_pdf",
    "xml_text",
]
