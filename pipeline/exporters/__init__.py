"""Export formats for a letter: Markdown, JSON, DOCX, PDF, and any a plugin adds.

- ``_registry``: ``@exporter`` (one decorated function per format), ``get_exporter``,
  ``exporter_for`` (by file suffix), the ``Export`` input contract;
- ``_text``: Markdown and JSON; ``_word``: DOCX; ``_pdf``: PDF;
- ``_blocks``: the Markdown parsed into blocks, and the letterhead, shared by DOCX and PDF.

The CLI (``lmn draft -o letter.pdf`` or ``--format pdf``) and the web app (``/api/export/pdf``)
both export through this registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._blocks import Block, Letterhead, Run, parse_blocks, plain
from ._registry import (
    ENTRY_POINT_GROUP,
    Export,
    Exporter,
    exporter,
    exporter_for,
    exporters,
    get_exporter,
)

if TYPE_CHECKING:
    from ._pdf import PDF_MEDIA_TYPE, find_unicode_font, latin1, to_pdf
    from ._word import DOCX_MEDIA_TYPE, to_docx, xml_text

__all__ = [
    "DOCX_MEDIA_TYPE",
    "ENTRY_POINT_GROUP",
    "PDF_MEDIA_TYPE",
    "Block",
    "Export",
    "Exporter",
    "Letterhead",
    "Run",
    "exporter",
    "exporter_for",
    "exporters",
    "find_unicode_font",
    "get_exporter",
    "latin1",
    "parse_blocks",
    "plain",
    "to_docx",
    "to_pdf",
    "xml_text",
]

_LAZY = {
    "PDF_MEDIA_TYPE": "_pdf",
    "find_unicode_font": "_pdf",
    "latin1": "_pdf",
    "to_pdf": "_pdf",
    "DOCX_MEDIA_TYPE": "_word",
    "to_docx": "_word",
    "xml_text": "_word",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)
