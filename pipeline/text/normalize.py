"""Normal forms for comparing texts: whitespace, case, quotes and emphasis, identifiers."""

from __future__ import annotations

import re
from collections.abc import Iterable

Span = tuple[int, int]
"""A character range ``[start, end)`` of a text."""

_QUOTE_PAIRS = (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-"))
_MARKUP_RE = re.compile(r"[*_`]|^[ \t]*>[ \t]?", re.M)
_WS_RE = re.compile(r"\s+")


def norm_text(text: str) -> str:
    """Case-, whitespace-, quote- and emphasis-normalized text for containment tests."""
    for old, new in _QUOTE_PAIRS:  # str.replace beats a translate table here
        if old in text:
            text = text.replace(old, new)
    return _WS_RE.sub(" ", _MARKUP_RE.sub("", text)).strip().casefold()


def norm_ws(text: str) -> str:
    """Whitespace runs collapsed to one space, ends stripped."""
    return _WS_RE.sub(" ", text).strip()


def norm_id(text: str) -> str:
    """Identifier compare form: upper case, no spaces."""
    return _WS_RE.sub("", text).upper()


def blank(text: str, spans: Iterable[Span]) -> str:
    """``text`` with each span blanked to spaces (newlines kept), so offsets are unchanged."""
    out: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        start = max(start, pos)
        if end <= start:
            continue
        out.append(text[pos:start])
        piece = text[start:end]
        out.append(re.sub(r"[^\n]", " ", piece) if "\n" in piece else " " * len(piece))
        pos = end
    out.append(text[pos:])
    return "".join(out)
