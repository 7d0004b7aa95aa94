"""Words for matching and ranking: English stop words and a light plural stemmer (BM25), and the
content words a criterion, a passage and a case's facts are compared by (:func:`content_words`)."""

from __future__ import annotations

import re

_STOPWORD_TEXT = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers him his how i if in into
    is it its itself just may me more most must my no nor not of off on once only or
    other our out over own per same she should so some such than that the their them
    then there these they this those through to too under until up upon very was we were
    what when where which while who whom why will with within without would you your
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
"""Common English words; domain words are left to IDF (or to a caller's own additions)."""


def stem(token: str) -> str:
    """A light plural stemmer (Harman's S-stemmer): 'therapies' -> 'therapy', 'scans' -> 'scan'."""
    if len(token) <= 3 or not token.isalpha():
        return token
    if token.endswith("ies") and not token.endswith(("eies", "aies")):
        return token[:-3] + "y"
    if token.endswith("es") and not token.endswith(("aes", "ees", "oes")):
        return token[:-1]
    if token.endswith("s") and not token.endswith(("us", "ss")):
        return token[:-1]
    return token


_CONTENT_STOP_TEXT = """
    a an and any are as at be been before being by can did do does for from had has have having
    he her his i if in into is it its least may more most must no not of on or other our over
    per she should such than that the their them then there these they this those through to
    under up was were which while who will with within without would you your
    patient patients member members individual documentation documented document evidence record
    records criterion criteria requirement requirements required require requires meet meets met
    medical medically necessary necessity clinical condition conditions history prior previous
    previously current currently guideline guidelines policy plan service services request
    requested indicated including include includes following least one two three four five six
    seven eight nine ten also been case appropriate adequate adequately all each
    day days week weeks month months year years daily once twice times start
"""
_CONTENT_STOP_WORDS = frozenset(_CONTENT_STOP_TEXT.split())
"""English stop words and the words every criterion and record uses."""

_WORD_RE = re.compile(r"[a-z][a-z0-9\-]*")
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "s", "ly")


def _light_stem(word: str) -> str:
    """A light stem: strip one common suffix, keeping at least four characters."""
    if not word.endswith(_SUFFIXES):  # most words: one test instead of one per suffix
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> frozenset[str]:
    """Content-word stems of a text: lower-cased, stop words (of English and of every
    criterion and record: 'patient', 'documented', 'guideline') and bare numbers removed,
    lightly stemmed (one common suffix)."""
    words = _WORD_RE.findall(text.lower())
    return frozenset(_light_stem(w) for w in words if len(w) > 2 and w not in _CONTENT_STOP_WORDS)
