"""The letter as Markdown, and the whole draft as JSON (what ``lmn validate`` reads back)."""

from __future__ import annotations

from ._registry import Export, exporter


@exporter("md", suffixes=(".md", ".markdown", ".txt"), media_type="text/markdown; charset=utf-8")
def export_markdown(export: Export) -> bytes:
    """The letter's Markdown."""
    return export.markdown.encode("utf-8")


@exporter("json", suffixes=(".json",), media_type="application/json")
def export_json(export: Export) -> bytes:
    """The draft with its analysis, case, passages and validation (``lmn validate`` reads it)."""
    draft = export.need_draft("JSON export").model_copy(update={"markdown": export.markdown})
    return draft.model_dump_json(indent=2).encode("utf-8")
