"""The prose: a substantive Consequences section, a clinical tone, about three pages at most."""

from __future__ import annotations

import re

from ... import letter_format as lf
from ...models import ValidationFinding
from ...prefilter import Prefiltered
from ...text.normalize import norm_ws
from .._context import Context
from .._findings import WARNING, FindingCode, finding
from .._registry import Scope, check

_EMOTIONAL_RE = Prefiltered.compile(
    r"\b(?:outrageous(?:ly)?|unacceptable|shameful(?:ly)?|shame|disgusting|disgraceful|greedy"
    r"|greed|heartless|appalling|ridiculous|absurd|how[ \t]+dare)\b"
    # Clinical usage is no emotion: "unacceptable toxicity", "unacceptable risk".
    r"(?![ \t]+(?:toxicit|risk|side|adverse|harm))",
    re.I,
)
_SHOUTING_RE = re.compile(r"\b[A-Z]{4,}\b(?:[ \t,]+\b[A-Z]{4,}\b){2,}")
_EXCLAMATION_RE = re.compile(r"!(?!\[)")
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")

CONSEQUENCES_MIN_WORDS = 10
"""A listing of the harms ("Continued risk of variceal bleeding, worsening ascites, ...
and death.", 12 words) says enough; "Ongoing eczema and sleep loss." does not."""
MAX_BODY_WORDS = 1500
MAX_EXCLAMATIONS = 2


def is_substantive(text: str) -> bool:
    """True when ``text`` (placeholders aside) has CONSEQUENCES_MIN_WORDS words or more."""
    return len(_WORD_RE.findall(lf.PLACEHOLDER_RE.sub(" ", text))) >= CONSEQUENCES_MIN_WORDS


@check(Scope.letter, codes=[FindingCode.CONSEQUENCES_MISSING])
def check_consequences(ctx: Context) -> list[ValidationFinding]:
    """The Consequences of denial section says something substantive."""
    sec = ctx.doc.section(lf.CONSEQUENCES)
    if sec is None:
        return []  # structure.missing_section reports it
    if not is_substantive(sec.body):
        return [
            finding(
                FindingCode.CONSEQUENCES_MISSING,
                "The Consequences of denial section is empty or too short to be substantive.",
                span=(sec.start, sec.end),
            )
        ]
    return []


@check(Scope.letter, codes=[FindingCode.TONE_EMOTIONAL])
def check_tone(ctx: Context) -> list[ValidationFinding]:
    """Warn on emotional words, shouting in capitals and exclamation marks."""
    md, out = ctx.markdown, []
    seen: set[str] = set()
    for m in _EMOTIONAL_RE.finditer(md, ctx.folded):
        word = norm_ws(m.group()).casefold()
        if word not in seen:
            seen.add(word)
            out.append(
                finding(
                    FindingCode.TONE_EMOTIONAL,
                    "Emotional wording weakens an appeal; keep the tone clinical.",
                    WARNING,
                    span=m.span(),
                    excerpt=m.group(),
                )
            )
    # Capitals quoted from the denial letter are the payer's, not the letter's own shouting.
    shouts = _SHOUTING_RE.finditer(md)
    shout = next((m for m in shouts if norm_ws(m.group()) not in ctx.letter_ws), None)
    if shout:
        out.append(
            finding(
                FindingCode.TONE_EMOTIONAL,
                "A run of words in capitals reads as shouting.",
                WARNING,
                span=shout.span(),
            )
        )
    bangs = list(_EXCLAMATION_RE.finditer(md))
    if len(bangs) > MAX_EXCLAMATIONS or "!!" in md:
        out.append(
            finding(
                FindingCode.TONE_EMOTIONAL,
                "Exclamation marks read as emotional; remove them.",
                WARNING,
                span=bangs[0].span() if bangs else None,
            )
        )
    return out


@check(Scope.letter, codes=[FindingCode.LENGTH_OVER_THREE_PAGES])
def check_length(ctx: Context) -> list[ValidationFinding]:
    """Warn when the body (without references) runs past about three pages."""
    refs = ctx.doc.section(lf.REFERENCES)
    body = ctx.markdown[: refs.start] + ctx.markdown[refs.end :] if refs else ctx.markdown
    words = len(body.split())
    if words > MAX_BODY_WORDS:
        return [
            finding(
                FindingCode.LENGTH_OVER_THREE_PAGES,
                f"The letter runs to about {words} words; reviewers read about three pages "
                f"(~{MAX_BODY_WORDS} words).",
                WARNING,
            )
        ]
    return []
