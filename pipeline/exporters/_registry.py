"""Exporters by name and file suffix: a registry filled by the ``@exporter`` decorator.

Adding an export format is one module with one decorated function::

    @exporter("docx", suffixes=(".docx",), media_type=DOCX_MEDIA_TYPE, binary=True)
    def export_docx(export: Export) -> bytes: ...

A built-in module is listed in ``BUILTIN_MODULES``; a third-party package declares an entry point
in the ``lmn.exporters`` group naming its module. ``lmn draft -o letter.docx`` (or ``--format
docx``) and the web app's ``/api/export/<name>`` both read this registry. Modules load on first
need, so writing Markdown never imports the DOCX or PDF libraries.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import PurePath

from pydantic import BaseModel, Field

from ..errors import InputError
from ..models import Draft
from ._blocks import Letterhead

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "lmn.exporters"
BUILTIN_MODULES = (
    "pipeline.exporters._text",
    "pipeline.exporters._word",
    "pipeline.exporters._pdf",
    "pipeline.appeal._fax",
)


class Export(BaseModel):
    """What an exporter gets: the letter, and the draft it came from when there is one."""

    markdown: str
    """The letter's Markdown as it stands (it may have been edited after drafting)."""
    draft: Draft | None = None
    """The draft with its analysis, case and passages (the CLI always has it; the web page
    sends it when it has one)."""
    letterhead: Letterhead = Field(default_factory=Letterhead)

    def need_draft(self, what: str) -> Draft:
        """The draft, or an InputError saying the export needs it."""
        if self.draft is None:
            raise InputError(f"{what} needs the draft, not only the letter's text")
        return self.draft


Render = Callable[[Export], bytes]


@dataclass(frozen=True)
class Exporter:
    """One export format."""

    name: str
    """As on the command line (``--format``) and in the web API's path."""
    suffixes: tuple[str, ...]
    """File suffixes that choose it (``-o letter.docx``), lower case with the dot."""
    media_type: str
    binary: bool
    """True for formats that cannot be printed to a terminal."""
    render: Render
    description: str

    @property
    def suffix(self) -> str:
        """The suffix a file of this format gets."""
        return self.suffixes[0]


_EXPORTERS: dict[str, Exporter] = {}
_loaded: set[str] = set()


def exporter(
    name: str, *, suffixes: tuple[str, ...], media_type: str, binary: bool = False
) -> Callable[[Render], Render]:
    """Register the decorated function as the exporter ``name`` (the last one wins)."""

    def decorate(render: Render) -> Render:
        doc = (render.__doc__ or name).strip().splitlines()[0]
        _EXPORTERS[name] = Exporter(
            name, tuple(s.lower() for s in suffixes), media_type, binary, render, doc
        )
        return render

    return decorate


def _modules() -> list[str]:
    plugins = [p.value for p in entry_points(group=ENTRY_POINT_GROUP)]
    return [*BUILTIN_MODULES, *plugins]


def _load(module: str) -> None:
    if module in _loaded:
        return
    _loaded.add(module)
    try:
        importlib.import_module(module)
    except ImportError as exc:
        if module in BUILTIN_MODULES:
            raise
        log.warning("exporters: could not load %s (%s)", module, exc)


def _find(match: Callable[[Exporter], bool]) -> Exporter | None:
    """The first exporter that matches, loading modules until one does."""
    for module in [None, *_modules()]:
        if module is not None:
            _load(module)
        found = next((e for e in _EXPORTERS.values() if match(e)), None)
        if found is not None:
            return found
    return None


def exporters() -> list[Exporter]:
    """Every exporter: built-in ones first, in ``BUILTIN_MODULES`` order, then plugins'."""
    modules = _modules()
    for module in modules:
        _load(module)
    rank = {module: i for i, module in enumerate(modules)}
    return sorted(_EXPORTERS.values(), key=lambda e: rank.get(e.render.__module__, len(rank)))


def get_exporter(name: str) -> Exporter:
    """The exporter ``name``; InputError naming the choices when there is none."""
    key = name.strip().lower()
    found = _find(lambda e: e.name == key)
    if found is None:
        names = ", ".join(e.name for e in exporters())
        raise InputError(f"unknown format {name!r}: use one of {names}")
    return found


def exporter_for(path: str | PurePath, default: str = "md") -> Exporter:
    """The exporter a file name asks for by its suffix, else ``default``'s."""
    suffix = PurePath(path).suffix.lower()
    found = _find(lambda e: suffix in e.suffixes) if suffix else None
    return found or get_exporter(default)
