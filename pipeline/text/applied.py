"""Paragraphs of a notice that name a rule only to say it was not applied.

A notice may quote an exclusion and then say it played no part ('Cosmetic treatment is not
covered under Section 6.2. This request was not reviewed under that section.'). Such a
paragraph's words are no ground of the denial: the category scores and the ground's words skip
it.
"""

from __future__ import annotations

import re

NOT_APPLIED_RE = re.compile(
    r"\b(?:(?:was|were|is|has|have) not (?:been )?(?:reviewed|evaluated|decided|considered) "
    r"under|(?:does|did|do) not apply to (?:this|your|the) (?:request|claim|service|case)|"
    r"(?:was|were) not (?:applied|used) (?:to|in|for) (?:this|your|the) (?:request|claim|review)|"
    r"(?:is|was) not the (?:basis|reason) (?:for|of) (?:this|the|our) "
    r"(?:decision|denial|determination))\b",
    re.IGNORECASE,
)
_PARAGRAPH_RE = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+")


def not_applied(paragraph: str) -> bool:
    """True when the paragraph says the rule it names was not applied to this request."""
    return NOT_APPLIED_RE.search(paragraph) is not None


def without_unapplied(text: str) -> str:
    """The text with each paragraph that says its rule was not applied blanked (offsets kept)."""
    return _PARAGRAPH_RE.sub(
        lambda m: " " * len(m.group(0)) if not_applied(m.group(0)) else m.group(0), text
    )
