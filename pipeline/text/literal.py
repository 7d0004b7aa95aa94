"""A literal string found in a text as a regex would find it, without compiling a regex for it.

The validator and the drafter look for the case's own words (a treatment's name, the
physician's name, a requirement's subject) in a letter. A pattern built from those words is
compiled afresh for every draft: Python keeps 512 compiled patterns, a warm draft compiled
about 50 (each 0.1 to 4 ms: an alternation of a case's 30 names took 3.8 ms), and those pushed
the static patterns out of the cache, to be compiled again (632 compiles in 12 warm drafts,
19 ms a draft). A substring search gives the same matches at memory speed.

``finditer(text, needle, ignore_case=..., whole=...)`` gives the spans
``re.finditer(re.escape(needle), text)`` would, with ``re.IGNORECASE`` when ``ignore_case`` and
inside ``(?<!\\w)`` ... ``(?!\\w)`` when ``whole``. Case is compared by ``str.lower``, which
equals the regex engine's case-insensitive match for an ASCII needle except on three
characters ('İ', 'ı', 'ſ' equal 'i', 'i', 's' to the engine): a text holding one, or a needle
not ASCII, is searched by the regex itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from .normalize import Span

_ENGINE_ONLY = ("İ", "ı", "ſ")
"""Characters the regex engine's case-insensitive match equals with an ASCII letter that
``str.lower`` does not (checked over every code point)."""


def is_word(ch: str) -> bool:
    """Whether ``ch`` is a regex ``\\w`` character (str patterns: alphanumeric or '_')."""
    return ch.isalnum() or ch == "_"


def finditer(
    text: str, needle: str, *, ignore_case: bool = False, whole: bool = False
) -> Iterator[Span]:
    """Spans of ``needle`` in ``text``, left to right and not overlapping (see the module)."""
    if not needle:
        raise ValueError("an empty needle")
    hay, key = text, needle
    if ignore_case:
        if not needle.isascii() or any(ch in text for ch in _ENGINE_ONLY):
            flags = re.IGNORECASE
            pattern = re.escape(needle)
            if whole:
                pattern = rf"(?<!\w){pattern}(?!\w)"
            yield from (m.span() for m in re.finditer(pattern, text, flags))
            return
        hay, key = text.lower(), needle.lower()
    size = len(key)
    at = hay.find(key)
    while at >= 0:
        end = at + size
        if whole and ((at and is_word(text[at - 1])) or (end < len(text) and is_word(text[end]))):
            at = hay.find(key, at + 1)
            continue
        yield at, end
        at = hay.find(key, end)


def search(
    text: str, needle: str, *, ignore_case: bool = False, whole: bool = False
) -> Span | None:
    """The first span :func:`finditer` gives, or None."""
    return next(finditer(text, needle, ignore_case=ignore_case, whole=whole), None)


def _boundary(text: str, at: int) -> bool:
    """Whether a regex ``\\b`` holds at ``at``: a word character on one side only."""
    before = at > 0 and is_word(text[at - 1])
    after = at < len(text) and is_word(text[at])
    return before != after


def bounded(
    text: str, needle: str, *, ignore_case: bool = False, end: bool = True
) -> Span | None:
    """The first span of ``needle`` with a word boundary before it (and after it, unless not
    ``end``): what ``re.search(rf"\\b{re.escape(needle)}\\b", text)`` finds, with
    ``re.IGNORECASE`` when ``ignore_case`` (case compared as :func:`finditer` does)."""
    if not needle:
        raise ValueError("an empty needle")
    hay, key = text, needle
    if ignore_case:
        if not needle.isascii() or any(ch in text for ch in _ENGINE_ONLY):
            pattern = rf"\b{re.escape(needle)}" + (r"\b" if end else "")
            m = re.search(pattern, text, re.IGNORECASE)
            return m.span() if m else None
        hay, key = text.lower(), needle.lower()
    at = hay.find(key)
    while at >= 0:
        stop = at + len(key)
        if _boundary(text, at) and (not end or _boundary(text, stop)):
            return at, stop
        at = hay.find(key, at + 1)
    return None


def words(text: str, said: Sequence[str], start: int = 0) -> Span | None:
    """The first span at or after ``start`` where the words ``said`` (each without whitespace)
    stand in order, any run of whitespace between them: what
    ``re.compile(r"\\s+".join(map(re.escape, said))).search(text, start)`` finds (a word's
    whitespace run is consumed whole, as the greedy ``\\s+`` does before a non-space)."""
    if not said:
        raise ValueError("no words")
    first, rest = said[0], said[1:]
    at = text.find(first, start)
    while at >= 0:
        end = at + len(first)
        for word in rest:
            gap = end
            while gap < len(text) and text[gap].isspace():
                gap += 1
            if gap == end or not text.startswith(word, gap):
                break
            end = gap + len(word)
        else:
            return at, end
        at = text.find(first, at + 1)
    return None


def any_in(text: str, needles: Iterable[str], *, whole: bool = False) -> bool:
    """Whether any of ``needles`` occurs in ``text`` (case as written; see :func:`finditer`)."""
    return any(search(text, n, whole=whole) is not None for n in needles if n)


def blanked(text: str, needle: str, *, ignore_case: bool = False) -> str:
    """``text`` with each occurrence of ``needle`` turned to as many spaces (offsets kept)."""
    spans = list(finditer(text, needle, ignore_case=ignore_case))
    if not spans:
        return text
    out, pos = [], 0
    for start, end in spans:
        out += [text[pos:start], " " * (end - start)]
        pos = end
    out.append(text[pos:])
    return "".join(out)
