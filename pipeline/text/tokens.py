"""Words for matching and ranking: English stop words and a light plural stemmer."""

from __future__ import annotations

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
