"""Strategy kinds the blind reading found (issue 17, strategy round 28): a plan's own exception
inside its exclusion argued as the ground; a post-service claim's clock and request; every unit
and period of the notice in the request; a Medicare Advantage plan's criterion beyond the NCD;
a deadline near or past; a criterion the physician cannot meet conceded with its reason. Each
test fails without the change it guards."""

from __future__ import annotations

import datetime as dt

from pipeline.draft import compose
from pipeline.engines import OfflineEngine
from pipeline.extract import extract_facts
from pipeline.letter_format import CRITERIA, IDENTIFICATION, REQUEST, split_sections
from pipeline.models import CaseFacts

TODAY = dt.date(2026, 12, 6)


def _case(code: str, description: str, summary: str, **extra: object) -> CaseFacts:
    return CaseFacts.model_validate(
        {
            "patient": {"name": "Eli Moss", "date_of_birth": dt.date(1990, 4, 1)},
            "physician": {"name": "Ana Ruiz", "credentials": "MD", "npi": "1234567893"},
            "service": {"code": code, "description": description},
            "clinical_summary": summary,
            **extra,
        }
    )


def _draft(notice: str, case: CaseFacts, today: dt.date = TODAY) -> dict[str, str]:
    analysis = extract_facts(notice)
    draft = compose(notice, analysis, case, [], OfflineEngine(), today=today, allow_gaps=True)
    return split_sections(draft.markdown)


COSMETIC_NOTICE = (
    "Lakeside Benefit Services, for the Arbor Tools Health Plan (self-funded, ERISA)\n"
    "NOTICE OF ADVERSE BENEFIT DETERMINATION - PRE-SERVICE\nDate of notice: November 16, 2026\n"
    "Member ID: LBS-1102\nService requested: 15820 Blepharoplasty, lower eyelid\n\n"
    "The plan excludes cosmetic surgery. This exclusion does not apply to reconstructive "
    "surgery to correct a deformity caused by an accidental injury. Blepharoplasty is "
    "considered cosmetic.\nYou may appeal within 180 days of receiving this notice.\n"
)


def test_the_plans_own_exception_is_argued_when_the_facts_fit_it() -> None:
    case = _case(
        "15820", "Lower eyelid reconstruction",
        "Lower lid retraction and ectropion since a dog bite injury to the face in May 2025. "
        "Exposure keratopathy on slit lamp exam.",
    )  # fmt: skip
    sections = _draft(COSMETIC_NOTICE, case)
    argued = sections[CRITERIA]
    assert "“reconstructive surgery to correct a deformity caused by an accidental injury”" in (
        argued
    )
    assert "dog bite injury" in argued.split("does not apply to", 1)[1].split("\n")[0]
    assert "own exception" in sections[IDENTIFICATION] and "own exception" in sections[REQUEST]


def test_without_a_fact_that_fits_it_the_exception_is_not_claimed() -> None:
    case = _case(
        "15820", "Lower eyelid blepharoplasty",
        "Lower lid bags with dermatochalasis; she is bothered by a tired look.",
    )  # fmt: skip
    sections = _draft(COSMETIC_NOTICE, case)
    assert "own exception" not in sections[CRITERIA] + sections[IDENTIFICATION]
