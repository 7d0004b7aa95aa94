"""Acronyms and the words they stand for, read one way for every caller: a finding's 'CST' and
'Central subfield thickness', a record's 'CRST worksheet' and 'Clinical Rating Scale for
Tremor', an item's 'CTA' and 'CT angiography of the neck'."""

from __future__ import annotations

import re

_WORD_RE = re.compile(r"[A-Za-z]+")
_WRITTEN_WORD_RE = re.compile(r"[^\s-]+")
"""A word as written, with its digits and inner marks: what spaces and hyphens separate ('Type
2 diabetes mellitus': 'Type', '2', ...; "Crohn's disease": "Crohn's", 'disease')."""
_ACRONYM_RE = re.compile(r"\b[A-Z]{3,}\b")
SMALL_WORDS = frozenset({"of", "for", "and", "the", "in", "to", "on", "with", "a", "an"})
"""Words an acronym often leaves out ('Clinical Rating Scale for Tremor': 'CRST')."""


def initials(
    text: str, *, skip_small: bool = False, whole_acronyms: bool = False, keep_digits: bool = False
) -> str:
    """The first letters of a text's words, upper-cased ('Central subfield thickness': 'CST');
    with ``skip_small``, the small words left out (:data:`SMALL_WORDS`); with
    ``whole_acronyms``, a word written in capitals kept whole ('CT angiography of the neck':
    'CTAOTN', so 'CTA' is found in it); with ``keep_digits``, the words as written
    (:data:`_WRITTEN_WORD_RE`), a number among them ('Type 2 diabetes mellitus': 'T2DM', where
    the letters alone give 'TDM')."""
    words = (_WRITTEN_WORD_RE if keep_digits else _WORD_RE).findall(text)
    if skip_small:
        words = [w for w in words if w.lower() not in SMALL_WORDS]
    return "".join(w if whole_acronyms and w.isupper() else w[0] for w in words).upper()


def spells(acronym: str, text: str, *, skip_small: bool = False) -> bool:
    """Whether consecutive words of the text begin with the acronym's letters, in order ('CST'
    in 'Central subfield thickness 412 um'); ``skip_small`` as for :func:`initials`."""
    return bool(acronym) and acronym.upper() in initials(text, skip_small=skip_small)


def acronyms(text: str) -> list[str]:
    """The words of three or more capitals a text writes ('CRST examination worksheet':
    ['CRST'])."""
    return _ACRONYM_RE.findall(text)
