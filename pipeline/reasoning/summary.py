"""The clinical summary as the letter states it: the sentences that bear on the request.

A physician's case summary is often a page of history: the diagnosis and its severity, the
treatments and their outcomes (each stated again under the criterion it answers), and things
that bear on nothing the payer asked (a remote appendectomy, vaccinations, a pet). A reviewer
reads the letter's summary to learn who the patient is and why the service is needed; this
module keeps the opening sentences and the sentences that share a topic with the payer's
criteria or the requested service, in their own order, within a word budget. It selects; it
never rewrites, so every kept sentence is the physician's own words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..text.sentences import split_sentences
from ..text.tokens import STOPWORDS, stem

SUMMARY_WORDS = 90
"""Word budget for the letter's clinical summary (the whole summary when it is shorter): the
criteria state the facts in full, the summary only who the patient is and why now."""
OPENING_SENTENCES = 2
"""Sentences always kept from the start: who the patient is and what the condition is."""

_WORD_RE = re.compile(r"[a-z][a-z0-9-]{3,}")
_COMMON = frozenset(
    {
        "patient",
        "treatment",
        "therapy",
        "months",
        "weeks",
        "years",
        "days",
        "daily",
        "since",
        "documented",
        "record",
        "records",
        "history",
        "current",
        "request",
        "requested",
        "care",
        "helps",
    }
)


_ASIDE_RE = re.compile(
    r"\b(?:also (?:has|had|have|takes|is|was)|other (?:medical )?history|past (?:medical )?history|"
    r"comorbid\w*|incidental(?:ly)?|unrelated|additionally)\b",
    re.IGNORECASE,
)
"""A sentence that tells of something else ('She also has hypothyroidism ...', 'Other history:
...'): said in the summary only when it bears on the request, however short the summary."""


_IMPACT_RE = re.compile(
    r"\b(?:(?:he|she|they|patient|child)\s+(?:can ?not|could not|(?:is|was|are|were) unable to|"
    r"can no longer|could no longer|no longer|has stopped|had to stop|stopped)\b|"
    r"missed (?:\d+ )?(?:work|school|days?|shifts?|classes)|lost (?:his|her|their) (?:job|work)|"
    r"reassigned|off work|short-term disability|housebound|bed-?bound|wheelchair|"
    r"(?:activities|tasks) of daily living|independently|withdraw\w*)",
    re.IGNORECASE,
)
"""A sentence of what the condition costs the patient (work, daily activities, independence):
why the service is needed now, which the reviewer reads the summary for (a hospital stay is
kept, or not, by what it shares with the criteria)."""
IMPACT_WEIGHT = 3
"""How many topic words such a sentence counts for when the summary is cut to its budget."""


def _topics(text: str) -> set[str]:
    return {
        stem(w)
        for w in _WORD_RE.findall(text.casefold())
        if w not in STOPWORDS and w not in _COMMON
    }


def condensed(summary: str, wanted: frozenset[str], budget: int = SUMMARY_WORDS) -> str:
    """``summary`` cut to the sentences that bear on ``wanted`` (the :func:`topics` of the
    criteria, the service and the diagnoses, read once by the caller), in the original order,
    within ``budget`` words; the opening sentences are always kept. A summary within the budget
    is returned whole."""
    sentences = split_sentences(summary)
    asides = {
        i for i, s in enumerate(sentences) if i and _ASIDE_RE.search(s) and not _topics(s) & wanted
    }
    if asides:  # 'She also has hypothyroidism ... and helps care for her grandson.'
        summary = " ".join(s for i, s in enumerate(sentences) if i not in asides)
        sentences = [s for i, s in enumerate(sentences) if i not in asides]
    if len(summary.split()) <= budget:
        return summary
    impact = {i for i, s in enumerate(sentences) if _IMPACT_RE.search(s)}
    ranked = sorted(
        range(len(sentences)),
        key=lambda i: (
            i >= OPENING_SENTENCES,
            -(len(_topics(sentences[i]) & wanted) + IMPACT_WEIGHT * (i in impact)),
            i,
        ),
    )
    keep: set[int] = set()
    words = 0
    for i in ranked:
        n = len(sentences[i].split())
        bears = i in impact or _topics(sentences[i]) & wanted
        if i >= OPENING_SENTENCES and (not bears or words + n > budget):
            continue
        keep.add(i)
        words += n
    return " ".join(sentences[i] for i in sorted(keep))


def topics(about: Iterable[str]) -> frozenset[str]:
    """The topic words of the texts a request is about (the criteria, the service, the
    diagnoses, the consequences of denial), read once for every fact asked about
    (:func:`bears_on`)."""
    return frozenset(_topics(" ".join(about)))


def bears_on(text: str, about: frozenset[str]) -> bool:
    """True when ``text`` shares a topic word with ``about`` (:func:`topics` of the criteria,
    the service, the diagnoses, the consequences of denial)."""
    return not _topics(text).isdisjoint(about)
