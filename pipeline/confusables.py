"""Look-alike characters folded to the Latin letters and digits they imitate.

The table comes from the Unicode consortium's confusables data as shipped by the
``confusable-homoglyphs`` package (a maintained copy of TR39's confusables.txt): every single
character listed as confusable with an ASCII letter or digit maps to it, letters first (a
Cyrillic 'З' reads as 'Z'... or '3'; a letter wins). ``pipeline.injection`` keeps its own small
map for its patterns; names, identities and codes are compared through :func:`skeleton`.
"""

from __future__ import annotations

import json
import string
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    data = json.loads(
        resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    )
    table: dict[int, str] = {}
    for target in string.ascii_letters + string.digits:
        for glyph in data.get(target, ()):
            char = glyph["c"]
            if len(char) == 1 and not char.isascii():
                table.setdefault(ord(char), target)
    return table


def skeleton(text: str) -> str:
    """``text`` with every look-alike of an ASCII letter or digit replaced by it (same length:
    each character maps to one)."""
    return text if text.isascii() else text.translate(_table())


def has_lookalikes(text: str) -> bool:
    """True when ``text`` holds a character that imitates an ASCII letter or digit."""
    return not text.isascii() and any(ord(ch) in _table() for ch in text)
