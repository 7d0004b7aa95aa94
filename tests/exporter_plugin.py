"""A third-party exporter module, as an entry point in the ``lmn.exporters`` group names it."""

from __future__ import annotations

from pipeline.exporters import Export, exporter


@exporter("plugin-upper", suffixes=(".upper",), media_type="text/plain")
def upper(export: Export) -> bytes:
    """The letter in capitals."""
    return export.markdown.upper().encode()
