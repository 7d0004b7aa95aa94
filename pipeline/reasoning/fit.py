"""Whether a clinical passage is about what a criterion asks: the drafter places only such a
passage under a criterion, and the validator asks for a citation only where one exists."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..evidence import CLINICAL_KINDS, split_sentences, tokens
from ..models import CaseFacts, Criterion, Passage, PlanType, RetrievedPassage

GENERIC = tokens(
    "failure failed fail trial therapy treatment response inadequate intolerance intolerant "
    "contraindication contraindicated dose duration documented validated instrument consecutive "
    "active ongoing improvement"
)
"""Words nearly every criterion uses: sharing them says nothing about what a passage is about."""


_RECOMMENDS_RE = re.compile(
    r"\brecommend|\bsuggest|\bfirst-line|\bindicated\b|\breasonable and necessary\b|\bcovered\b"
    r"|\bshould\b|\bin favor\b|\bsupports?\b|\bconsider|\brates?\b|\bqualif|\bappropriate\b"
    r"|\bconclude|\bestablished\b|\bcounts?\b|\brelieves?\b|\beffective\b|\badvis"
    r"|\bagainst\b",
    re.IGNORECASE,
)
_STANDING_RE = re.compile(
    r"\bapproved\b|\bclear(?:ed|ance)\b|\bauthori[sz](?:ed|ation)\b|\bcovers?\b"
    r"|\bcalls? for\b|\bbeneficial\b|\blimits?\b|\blists? (?:its )?(?:indications|criteria)\b"
    r"|\bamong the options\b|\bincorporates\b|\bsets\b|\brequires?\b|\bmust\b"
    r"|\bas (?:the|a) (?:treatment|standard)\b|\bselects?\b",
    re.IGNORECASE,
)
"""A position worded as the care's standing, read when no sentence recommends: a label's
approval ('is FDA-approved for'), a device's clearance or authorization, a policy that
covers, requires or limits care, a guideline that calls for, lists, sets or selects it."""
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
    r"|\buses (?:the )?GRADE\b|\brecommendations? means?\b"
    r"|\bexpress(?:es)? (?:the )?(?:strength|certainty|quality)\b",
    re.IGNORECASE,
)
"""How a guideline grades its recommendations ('The ADA Standards of Care grade each
recommendation A, B, C, or E'): a method, no position on the patient's care."""


def _stated(passage: Passage) -> list[str]:
    """The passage's sentences that state a position on care (recommending ones first, then
    those stating the care's standing), advice on writing a request and descriptions of how
    recommendations are graded left out."""
    sentences = [
        x
        for x in split_sentences(" ".join(passage.text.split()))
        if not _ABOUT_LETTERS_RE.search(x) and not _ABOUT_GRADING_RE.search(x)
    ]
    recommending = [x for x in sentences if _RECOMMENDS_RE.search(x)]
    standing = [x for x in sentences if x not in recommending and _STANDING_RE.search(x)]
    return [x.lstrip("-• ") for x in recommending + standing]


def bearing(
    passages: Iterable[RetrievedPassage], words: str | re.Pattern[str]
) -> list[tuple[Passage, str]]:
    """The clinical passages whose position bears on an argument that is not a payer
    criterion (a network without a high-volume center, a site of care's monitoring), each
    with its first position sentence naming one of ``words`` (a regex, case-insensitive),
    the physician's sources first, then by rank. ``passages`` are retrieved ones, so they fit
    the case; none is dropped for want of a criterion to stand under."""
    pattern = re.compile(words, re.IGNORECASE) if isinstance(words, str) else words
    found = []
    pool = [rp for rp in passages if rp.passage.kind in CLINICAL_KINDS]
    for rp in sorted(pool, key=lambda rp: (not rp.passage.supplied_by_physician, rp.rank)):
        said = next((x for x in _stated(rp.passage) if pattern.search(x)), None)
        if said is not None:
            found.append((rp.passage, said))
    return found


def position(passage: Passage) -> str | None:
    """What the passage recommends, in the project's words: its first sentence that takes a
    position (recommends, rates, is indicated ...) on care rather than advising how to write
    a request, else its first sentence stating the care's standing (an FDA approval or
    clearance, a policy that covers or requires it); None when it has none (a definition
    alone states no position)."""
    stated = _stated(passage)
    return stated[0] if stated else None


def unstated(passages: Iterable[Passage]) -> list[Passage]:
    """The clinical passages that state no position the drafter accepts (:func:`position`):
    never cited under a criterion. ``lmn corpus check --positions`` lists them, so that a
    position worded otherwise is caught by the rule, not by rewording passages."""
    return [p for p in passages if p.kind in CLINICAL_KINDS and position(p) is None]


def fits(rp: RetrievedPassage, index: int, criterion: Criterion, case: CaseFacts) -> bool:
    """A guideline or coverage policy retrieved for criterion ``index`` that the physician
    supplied, or that shares a content word with the criterion beyond the condition and the
    service (which every criterion of the letter shares) and beyond the words every criterion
    uses, and that states a position on care (:func:`position`): a passage that only defines a
    term or advises how to write a request gives the criterion nothing to cite."""
    if rp.passage.kind not in CLINICAL_KINDS or index not in rp.criteria:
        return False
    if position(rp.passage) is None and not rp.passage.supplied_by_physician:
        return False
    if rp.passage.supplied_by_physician:  # the physician chose it for this patient
        return True
    about = [case.service.description or "", *(d.description or "" for d in case.diagnoses)]
    topic = tokens(criterion.text) - tokens(" ".join(about)) - GENERIC
    return bool(topic & tokens(f"{rp.passage.text} {rp.passage.section}"))


def ground_guideline(
    passages: Iterable[RetrievedPassage], words: Iterable[str], cited: Iterable[str] = ()
) -> tuple[Passage, str] | None:
    """The guideline a ground's argument cites (:func:`bearing` on the ground's ``guideline``
    patterns): the first retrieved clinical passage, not ``cited`` under a criterion, whose
    position names one of them; None when the ground names none or none bears on it (a
    guideline about the disease alone, 'IVIG is recommended for CIDP', says nothing of where
    or by whom it is given)."""
    patterns = [w for w in words if w]
    if not patterns:
        return None
    taken = set(cited)
    pattern = re.compile("|".join(f"(?:{w})" for w in patterns), re.IGNORECASE)
    return next((b for b in bearing(passages, pattern) if b[0].id not in taken), None)


MEDICARE_PLANS = frozenset({PlanType.medicare, PlanType.medicare_advantage})
_MEDICARE_BODY_RE = re.compile(r"\bCenters for Medicare\b|\bCMS\b")


def source_label(passage: Passage, plan_type: PlanType | None = None) -> str:
    """How the letter introduces a passage it states: 'Guideline (AAN 2018, ...)', or for
    Medicare's own coverage rule (an NCD or LCD) what it is to this plan: binding on Medicare
    and Medicare Advantage, a benchmark only for any other plan (an FEHB or employer plan is
    not bound by a national coverage determination)."""
    where = passage.in_text()
    medicare = passage.kind == "coverage_policy" and _MEDICARE_BODY_RE.search(
        f"{passage.issuing_body} {passage.short_body}"
    )
    if not medicare or plan_type is None or plan_type is PlanType.unknown:
        return f"Guideline ({where})"
    if plan_type in MEDICARE_PLANS:
        return f"Medicare coverage rule, which binds this plan ({where})"
    benchmark = "Medicare coverage rule, cited as a benchmark only; it does not bind this plan"
    return f"{benchmark} ({where})"
