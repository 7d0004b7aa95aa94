"""What a passage states, read once: its sentences taking a position on care and its content
words (:class:`PassageReading`).

The corpus loader reads every passage when it loads the corpus (the index build stores the
readings with the passages), and the retriever reads a physician's source where it is made; the
drafter and the validator then read ``Passage.reading`` (``reasoning.fit``), never the text
again. What a reading holds depends on the rules here and on the text helpers they use, so the
corpus's hash folds in :data:`FINGERPRINT`: a change to them rebuilds the index.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .models import Passage, PassageReading
from .text import sentences as _sentences
from .text import tokens as _tokens
from .text.sentences import split_sentences
from .text.tokens import content_words

_RECOMMENDS_RE = re.compile(
    r"\brecommend|\bsuggest|\bfirst-line|\bindicated\b|\breasonable and necessary\b|\bcovered\b"
    r"|\bshould\b|\bin favor\b|\bsupports?\b|\bconsider(?!ab)|\brates?\b|\bqualif|\bappropriate\b"
    r"|\bconclude|\bestablished\b|\bcounts?\b|\brelieves?\b|\beffective\b|\badvis"
    r"|\bagainst\b",
    re.IGNORECASE,
)
_STANDING_RE = re.compile(
    r"\bapproved\b|\bclear(?:ed|ance)\b|\bauthori[sz](?:ed|ation)\b|\bcovers?\b"
    r"|\bcalls? for\b|\bbeneficial\b|\blimits?\b|\blists? (?:its )?(?:indications|criteria)\b"
    r"|\bamong the options\b|\boptions? (?:include|are)\b|\bincorporates\b|\bsets\b"
    r"|\brequires?\b|\bmust\b"
    r"|\bas (?:the|a) (?:treatment|standard)\b|\bselects?\b",
    re.IGNORECASE,
)
"""A position worded as the care's standing, read when no sentence recommends: a label's
approval ('is FDA-approved for'), a device's clearance or authorization, a policy that
covers, requires or limits care, a guideline that calls for, lists, sets or selects it or
names it among the options ('options include augmenting with lithium')."""
_ABOUT_LETTERS_RE = re.compile(
    r"\b(?:a|an|the|this|each|every)\s+(?:letter|request|appeal|payer criterion|payer)\b"
    r"|\b(?:letters?|requests?|appeals?|citations?)\b(?: \w+){0,6} should\b",
    re.IGNORECASE,
)
"""Advice on writing a request ('An MRI request should therefore document ...', 'A letter should
name the criterion'): no guideline's position on the patient's care."""


_ABOUT_GRADING_RE = re.compile(
    r"\b(?:grades?|grading|classif(?:y|ies)|rates?|ranks?)\b(?:\s+\w+){0,3}\s+"
    r"(?:each |every |its |their |the )?recommendations?\b"
    r"|\buses (?:the )?GRADE\b|\brecommendations? means?\b|\b(?:rates?|grades?|scores?) each\b"
    r"|\bexpress(?:es)? (?:the )?(?:strength|certainty|quality)\b",
    re.IGNORECASE,
)
"""How a guideline grades its recommendations ('The ADA Standards of Care grade each
recommendation A, B, C, or E', 'The ACR Appropriateness Criteria rate each imaging procedure
... as Usually Appropriate, May Be Appropriate, or Usually Not Appropriate'): a method, no
position on the patient's care."""


def _fingerprint() -> str:
    """sha256 of the source of this module and of the text helpers a reading uses."""
    digest = hashlib.sha256()
    for module in (__file__, _sentences.__file__, _tokens.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


FINGERPRINT = _fingerprint()
"""What the readings stored with an index build were read by (``corpus.corpus_hash`` folds it
in, so a change to how passages are read rebuilds the index)."""


def stated_positions(text: str) -> tuple[str, ...]:
    """The sentences of a passage's text that state a position on care (recommending ones
    first, then those stating the care's standing), advice on writing a request and
    descriptions of how recommendations are graded left out."""
    sentences = [
        x
        for x in split_sentences(" ".join(text.split()))
        if not _ABOUT_LETTERS_RE.search(x) and not _ABOUT_GRADING_RE.search(x)
    ]
    recommending = [x for x in sentences if _RECOMMENDS_RE.search(x)]
    standing = [x for x in sentences if x not in recommending and _STANDING_RE.search(x)]
    return tuple(x.lstrip("-• ") for x in recommending + standing)


def read(passage: Passage) -> PassageReading:
    """The passage's reading: its position sentences and the content words of its text and
    section."""
    return PassageReading(
        stated=stated_positions(passage.text),
        words=content_words(f"{passage.text} {passage.section}"),
    )


def with_reading(passage: Passage) -> Passage:
    """The passage carrying its reading (read now unless it carries one)."""
    if passage.reading is not None:
        return passage
    return passage.model_copy(update={"reading": read(passage)})
