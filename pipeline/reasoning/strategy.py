"""The strategy results a draft rests on, computed once per draft: the denial ground's answer
(``grounds.answer``: a network gap, a site of care, inpatient vs observation, transport) and the
drug restriction's exception (``exception.drug_exception``). The pipeline computes them beside the
verdicts and puts them on the ``ArgumentRequest``; the writers, the letter's sections, the gaps
and the validator read these, so all of them state the same result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..models import CaseFacts, DenialAnalysis
from .exception import DrugException, drug_exception
from .grounds import GroundAnswer, answer


@dataclass(frozen=True)
class Strategy:
    """What the letter argues beside the criteria, computed from the notice and the case."""

    ground: GroundAnswer | None
    """The ground's argument (None: the notice's ground is an ordinary list of criteria)."""
    exception: DrugException | None
    """The drug exception asked for (None: no drug restriction)."""


def strategy(
    analysis: DenialAnalysis, case: CaseFacts, letter_text: str, today: dt.date
) -> Strategy:
    """The strategy results for this notice and case (``today``: the letter's date)."""
    return Strategy(
        ground=answer(analysis, case, letter_text, today),
        exception=drug_exception(analysis, case, letter_text),
    )
