"""The preferred alternatives a denial names, each with the case's reason it is not the answer:
tried already (with its dates and outcome), or a contraindication or intolerance the case states;
otherwise a gap naming the field that would give the reason."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..letter_format import fmt_date, one_date_style
from ..models import CaseFacts, DenialAnalysis
from .classes import book
from .facts import case_facts

_REASON_RE = re.compile(
    r"contraindicat|not tolerated|intoleran|allerg|cannot take|unsafe|adverse|risk of|"
    # a reason the record gives for not using it ('was not tried because of hypertension')
    r"\bnot (?:tried|used|started|prescribed|given|offered) (?:because|due to|given|for)\b|"
    r"\b(?:advised|recommended) against\b|\bavoid(?:ed)? (?:because|due to|given)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Alternative:
    """A preferred alternative and why it is not the answer (None: the case gives no reason)."""

    name: str
    reason: str | None
    paths: tuple[str, ...] = ()


def lower_class(name: str) -> str:
    """An FDA class as a sentence writes it ('beta-Adrenergic Blocker' -> 'beta-adrenergic
    blocker')."""
    return name.lower()


def _named(analysis: DenialAnalysis) -> list[str]:
    """The ingredients of the preferred alternatives extraction read from the notice, in its
    order ('FASENRA (benralizumab)' -> 'benralizumab'); a name the drug book does not know is
    left out."""
    out: list[str] = []
    for name in analysis.preferred_alternatives:
        inside = " ".join(re.findall(r"\(([^)]*)\)", name))
        ingredient = book().ingredient_in(name) or book().ingredient_in(inside)
        if ingredient and ingredient not in out:
            out.append(ingredient)
    return out


def _sentences(case: CaseFacts) -> list[str]:
    texts = [case.clinical_summary or "", case.consequences_of_denial or ""]
    texts += [t.outcome or "" for t in case.prior_treatments]
    return [s for t in texts for s in re.split(r"(?<=[.;])\s+", t) if s]


def alternatives(analysis: DenialAnalysis, case: CaseFacts) -> list[Alternative]:
    """Each preferred alternative the notice names (``analysis.preferred_alternatives``), with
    the case's reason."""
    named = _named(analysis)
    if not named:  # most notices name none: the case's facts are not typed for nothing
        return []
    facts = case_facts(case)
    out = []
    for ingredient in named:
        tried = [t for t in facts.trials if t.ingredient and t.ingredient.startswith(ingredient)]
        # a drug of the alternative's own class tried instead answers it the same way (the
        # notice's 'propranolol' for a beta blocker, when metoprolol was taken)
        classes = {c.lower() for c in book().classes_of(ingredient)}
        same = [
            t
            for t in facts.trials
            if classes and t.ingredient and t.treatment.kind == "medication"
            and {c.lower() for c in book().classes_of(t.ingredient)} & classes
        ]  # fmt: skip
        lead = "tried already"
        if not tried and same:
            tried = same
            lead = f"tried already in its class ({lower_class(book().classes_of(ingredient)[0])})"
        if tried:
            parts = []
            for t in tried:
                when = f"{fmt_date(t.start)} – {fmt_date(t.end)}" if t.start and t.end else ""
                when = when or (f"from {fmt_date(t.start)}" if t.start else "")
                outcome = one_date_style(t.treatment.outcome or "").rstrip(".")
                parts.append(", ".join(p for p in (f"{t.name} {t.treatment.dose or ''}".strip(),
                                                     when, outcome) if p))  # fmt: skip
            tried_text = f"{lead}: " + "; ".join(parts)
            out.append(Alternative(ingredient, tried_text, tuple(t.path for t in tried)))
            continue
        stated = [s for s in _sentences(case) if ingredient in s.lower() and _REASON_RE.search(s)]
        reason = f"not suitable: {stated[0].strip().rstrip('.;,')}" if stated else None
        out.append(Alternative(ingredient, reason))
    return out
