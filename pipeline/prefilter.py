"""Literal prefilters for regular expressions: skip a scan when the text lacks a word the pattern
cannot match without.

Python's regex engine is slow at case-insensitive patterns and at patterns that start with an
alternation or a word boundary (it cannot jump to a literal prefix): each costs about 15 ns per
character of text, whether or not it matches. Most of the letter-reading patterns (plan-type
signals, denial-category phrases, instruction-like phrases, emotional wording) match nowhere in a
given letter. A substring test for the words a pattern needs runs at memory speed, so testing
those first and scanning only when they are present gives the same results several times faster.

The required words are derived from the pattern's parse tree (``re._parser``): runs of ASCII
literal characters, where a sequence needs every one of its runs and an alternation needs one of
its branches' runs. Words are compared casefolded against :func:`fold` of the text, which makes
the test a superset of what the regex engine's case-insensitive matching accepts. When nothing
can be derived the pattern is always scanned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

try:  # the regex engine's own parser (private, stable since Python 3.11)
    from re import _constants as sre_c  # type: ignore[attr-defined]  # private; no stubs
    from re import _parser as sre_parse  # type: ignore[attr-defined]  # private; no stubs
except ImportError:  # pragma: no cover - another Python: no prefilter, same results
    sre_c = sre_parse = None

Group = frozenset[str]
"""Words of which one must occur."""

MAX_GROUPS = 3
"""Groups kept per pattern (the most selective): each costs one substring test per word."""

_REPEATS = (
    {sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, getattr(sre_c, "POSSESSIVE_REPEAT", None)}
    if sre_c
    else set()
)


def fold(text: str) -> str:
    """The compare form the required words are tested against: casefolded, with the two
    characters a case-insensitive regex equates with 'i' but casefolding does not (dotless 'ı'
    stays itself, dotted 'İ' becomes 'i' plus a combining dot) made a plain 'i'. Every other
    character such a regex equates with an ASCII letter casefolds to that letter."""
    folded = text.casefold()
    if text.isascii():
        return folded
    return folded.replace("ı", "i").replace("i\u0307", "i")


def required_groups(pattern: str | re.Pattern[str], flags: int = 0) -> tuple[Group, ...]:
    """Groups of casefolded words such that any text the pattern matches in holds, after
    :func:`fold`, at least one word of every group. Empty when nothing can be derived."""
    if isinstance(pattern, re.Pattern):
        flags = pattern.flags
        pattern = pattern.pattern
    if sre_parse is None:  # pragma: no cover
        return ()
    try:
        parsed = sre_parse.parse(pattern, flags & ~re.UNICODE)
    except Exception:  # a parser from another Python release: no prefilter, same results
        return ()
    groups = _sequence(list(parsed))
    ranked = sorted(groups, key=lambda g: (-min(map(len, g)), len(g)))
    return tuple(ranked[:MAX_GROUPS])


def _sequence(items: list[tuple[Any, Any]]) -> list[Group]:
    """The groups a sequence needs: each of its literal runs and each mandatory part's groups
    (``items``: sre_parse's (opcode, argument) pairs, untyped)."""
    groups: list[Group] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            groups.append(frozenset({"".join(run).casefold()}))
            run.clear()

    for op, av in items:
        if op is sre_c.LITERAL and av < 128:
            run.append(chr(av))
            continue
        if op is sre_c.AT:  # a zero-width anchor (\b, ^): the literals around it are adjacent
            continue
        flush()
        if op is sre_c.BRANCH:
            branch = _branch(av[1])
            if branch:
                groups.append(branch)
        elif op is sre_c.SUBPATTERN:
            groups += _sequence(list(av[-1]))
        elif op in _REPEATS and av[0] >= 1:
            groups += _sequence(list(av[2]))
        elif op is getattr(sre_c, "ATOMIC_GROUP", None):
            groups += _sequence(list(av))
    flush()
    return groups


def _branch(alternatives: list[Any]) -> Group | None:
    """One group for an alternation: the best group of each branch, joined (None when a branch
    needs no word)."""
    words: set[str] = set()
    for alternative in alternatives:
        groups = _sequence(list(alternative))
        if not groups:
            return None
        words |= max(groups, key=lambda g: (min(map(len, g)), -len(g)))
    return frozenset(words)


@dataclass(frozen=True)
class Prefiltered:
    """A compiled pattern with its required words; ``search``/``finditer`` take the text and
    its :func:`fold` (computed once per text by the caller and shared by many patterns)."""

    regex: re.Pattern[str]
    groups: tuple[Group, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "groups", required_groups(self.regex))

    @classmethod
    def compile(cls, pattern: str, flags: int = 0) -> Prefiltered:
        return cls(re.compile(pattern, flags))

    def may_match(self, folded: str) -> bool:
        """False only when the pattern cannot match the text ``folded`` was made from."""
        for group in self.groups:  # plain loops: twice as fast as all(any(...)) here
            for word in group:
                if word in folded:
                    break
            else:
                return False
        return True

    def search(self, text: str, folded: str) -> re.Match[str] | None:
        return self.regex.search(text) if self.may_match(folded) else None

    def finditer(self, text: str, folded: str) -> Iterator[re.Match[str]]:
        return self.regex.finditer(text) if self.may_match(folded) else iter(())
