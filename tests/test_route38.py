"""Letters the offline engine refused to write although nothing in the user's files was wrong
(stop 38): a notice whose only 'denial is upheld' is a condition ('may be your financial
responsibility if the denial is upheld') was read as a final internal decision; the external
review date the letter counts from a final decision's window ('within 4 months') was refused as
a date in none of the inputs; 'Centers for Medicare & Medicaid Services' in a Medicare
coverage rule was read as invoking Medicaid's fair hearing."""

from __future__ import annotations

import datetime as dt

from pipeline.appeal import next_level_due
from pipeline.draft import compose
from pipeline.engines import OfflineEngine
from pipeline.extract import extract_facts, find_appeal_level
from pipeline.letter_format import fmt_date
from pipeline.models import AppealLevel, CaseFacts, PlanType
from pipeline.validate import validate

TODAY = dt.date(2026, 12, 8)

FIRST_DECISION = (
    "Northgate Benefits Administration, for the Orrin Tool Works Employee Benefit Plan\n"
    "Notice date: November 30, 2026\nMember ID: OTW-5521\n"
    "Service reviewed: 97110 therapeutic exercise, 12 visits. Decision: not approved.\n"
    "You have 180 days from receipt of this notice to appeal under ERISA section 503. Visits "
    "after 11/30/2026 may be your financial responsibility if the denial is upheld. If your "
    "appeal is denied you may ask for an external review within 4 months of the final decision.\n"
)

FINAL_DECISION = (
    "Northgate Benefits Administration, for the Orrin Tool Works Employee Benefit Plan (ERISA)\n"
    "Notice date: November 30, 2026\nMember ID: OTW-5521\n"
    "Re: appeal of the denial of 97110 therapeutic exercise, 12 visits.\n"
    "We have reviewed your appeal. The denial is upheld. This is the plan's final internal "
    "decision. You may request an external review by an independent review organization within "
    "4 months of the date of this notice.\n"
)


def _case() -> CaseFacts:
    return CaseFacts.model_validate(
        {
            "patient": {"name": "Pia Lund", "date_of_birth": dt.date(1970, 2, 3)},
            "physician": {"name": "Omar Tate", "credentials": "MD", "npi": "1234567893"},
            "diagnoses": [{"code": "M75.121", "description": "Complete rotator cuff tear, right"}],
            "service": {
                "code": "97110",
                "description": "Therapeutic exercise",
                "details": "12 visits",
            },
            "clinical_summary": "Rotator cuff repair on 2026-09-02; shoulder flexion 95 degrees.",
        }
    )


def test_a_conditional_upheld_is_no_appeal_decision() -> None:
    assert find_appeal_level(FIRST_DECISION) is AppealLevel.initial
    for condition in ("if this denial is upheld", "in the event the original denial is upheld"):
        reworded = FIRST_DECISION.replace("if the denial is upheld", condition)
        assert find_appeal_level(reworded) is AppealLevel.initial, condition
    assert find_appeal_level(FINAL_DECISION) is AppealLevel.final_internal


def test_the_next_levels_date_is_read_with_the_notice_and_the_letter_may_state_it() -> None:
    analysis = extract_facts(FINAL_DECISION)
    assert analysis.plan_type is PlanType.erisa
    due = analysis.next_level_due
    assert due == next_level_due(analysis, FINAL_DECISION) == dt.date(2027, 3, 30)
    draft = compose(FINAL_DECISION, analysis, _case(), [], OfflineEngine(), today=TODAY,
                    allow_gaps=True)  # fmt: skip
    assert fmt_date(due) in draft.markdown
    report = validate(draft)
    assert not [f for f in report.findings if f.code == "grounding.unsupported_number"]
    # a first decision has no next level's date to state
    assert extract_facts(FIRST_DECISION).next_level_due is None


def test_the_agency_named_in_a_medicare_rule_is_not_medicaid_law() -> None:
    from pipeline.validate.checks.legal import regimes

    medicaid = next(r for r in regimes() if r.id == "medicaid")
    assert not medicaid.pattern.search(
        "The Centers for Medicare & Medicaid Services (CMS) covers the device under NCD 20.34."
    )
    assert medicaid.pattern.search("I ask for a Medicaid fair hearing.")
    assert medicaid.pattern.search("Medicaid covers this service for the member.")
    assert medicaid.pattern.search("These are covered Medicaid services for the member.")


def test_the_clause_around_a_match_ends_at_its_marks() -> None:
    from pipeline.text.sentences import clause_bounds

    text = "Infliximab every 8 weeks. Prior therapy: 3 courses of prednisone; none since."
    start = text.index("3 courses")
    left, right = clause_bounds(text, start, start + 9)
    assert text[left:right].strip() == "Prior therapy: 3 courses of prednisone"
    left, _ = clause_bounds(text, start, start + 9, (".", ";", ":"))
    assert text[left:start].strip() == ""
