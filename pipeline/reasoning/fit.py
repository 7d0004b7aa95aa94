"""Whether a clinical passage is about what a criterion asks: the drafter places only such a
passage under a criterion, and the validator asks for a citation only where one exists."""

from __future__ import annotations

from ..evidence import CLINICAL_KINDS, tokens
from ..models import CaseFacts, Criterion, RetrievedPassage

GENERIC = tokens(
    "failure failed fail trial therapy treatment response inadequate intolerance intolerant "
    "contraindication contraindicated dose duration documented validated instrument consecutive "
    "active ongoing improvement"
)
"""Words nearly every criterion uses: sharing them says nothing about what a passage is about."""


def fits(rp: RetrievedPassage, index: int, criterion: Criterion, case: CaseFacts) -> bool:
    """A guideline or coverage policy retrieved for criterion ``index`` that the physician
    supplied, or that shares a content word with the criterion beyond the condition and the
    service (which every criterion of the letter shares) and beyond the words every criterion
    uses."""
    if rp.passage.kind not in CLINICAL_KINDS or index not in rp.criteria:
        return False
    if rp.passage.supplied_by_physician:  # the physician chose it for this patient
        return True
    about = [case.service.description or "", *(d.description or "" for d in case.diagnoses)]
    topic = tokens(criterion.text) - tokens(" ".join(about)) - GENERIC
    return bool(topic & tokens(f"{rp.passage.text} {rp.passage.section}"))
