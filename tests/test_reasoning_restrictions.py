"""What the request asks for follows what the denial turned on (issue 17, strategy round): a
quantity limit asks for a quantity-limit exception (the quantity against the limit, the
documented frequency), under Part D's 42 CFR 423.578(b) and never the ACA formulary rule; a
claim for a service already given asks to reprocess and pay it; the step-therapy exception
sentence asserts its ground only when a case fact states it."""

from __future__ import annotations

import datetime as dt

from pipeline.models import CaseFacts, DenialAnalysis, DenialCategory, PlanType, RequestedService
from pipeline.reasoning.exception import (
    conceded_exception,
    drug_exception,
    exception_gaps,
    exception_paragraph,
    restriction,
)
from pipeline.reasoning.law import exception_rule
from pipeline.reasoning.request import claim_dates
from pipeline.reasoning.specs import request_timing, spec_for

QL_NOTICE = (
    "PHARMACY COVERAGE DECISION\n"
    "Drug: rizatriptan 10 mg orally disintegrating tablets, 16 tablets per 30 days\n"
    "[X] Exceeds the plan's quantity limit\n"
    "[ ] Step therapy required\n"
    "Rizatriptan is limited to 8 tablets per 30 days. The request is denied.\n"
)


def _case(summary: str | None, description: str = "Rizatriptan 10 mg ODT, 16 tablets per 30 "
          "days") -> CaseFacts:  # fmt: skip
    return CaseFacts.model_validate(
        {
            "patient": {"name": "Ines Cardoso"},
            "physician": {"name": "Ana Ruiz", "credentials": "MD"},
            "service": {"description": description},
            "clinical_summary": summary,
            "prior_treatments": [
                {"name": "Amitriptyline", "kind": "medication", "dose": "25 mg",
                 "start": dt.date(2026, 1, 4), "end": dt.date(2026, 4, 2),
                 "outcome": "Stopped for sedation"},
            ],
        }
    )  # fmt: skip


FREQUENT = "She has 12 migraine attacks a month by diary; each needs a dose."


def test_quantity_limit_asks_for_the_quantity_against_the_limit():
    analysis = DenialAnalysis()
    found = drug_exception(analysis, _case(FREQUENT), QL_NOTICE)
    assert found is not None and found.restriction == "quantity_limit"
    assert found.quantity == "16 tablets per 30 days" and found.limit == "8 tablets per 30 days"
    assert [g.key for g in found.grounds] == ["frequency"]  # not a trial: no step was asked
    text = exception_paragraph(found, None, None)
    assert "quantity-limit exception" in text and "step-therapy" not in text
    assert "16 tablets per 30 days, above the plan's limit of 8 tablets per 30 days" in text
    assert "12 migraine attacks a month" in text


def test_unchecked_step_therapy_box_is_not_the_ground():
    assert restriction(DenialAnalysis(), QL_NOTICE) == "quantity_limit"
    checked = QL_NOTICE.replace("[ ] Step therapy", "[X] Step therapy")
    assert restriction(DenialAnalysis(), checked) == "step_therapy"


def test_quantity_limit_without_frequency_is_a_gap_not_a_ground():
    found = drug_exception(DenialAnalysis(), _case("Migraine with aura."), QL_NOTICE)
    assert found is not None and found.grounds == ()
    gaps = exception_gaps(found)
    assert [g.field for g in gaps] == ["clinical_summary"]
    assert gaps[0].placeholder in exception_paragraph(found, None, gaps[0])


def test_quantity_limit_law_part_d_yes_aca_no():
    part_d = QL_NOTICE + "Medicare Part D coverage determination.\n"
    rule = exception_rule(PlanType.medicare_advantage, part_d, "quantity_limit")
    assert rule is not None and rule.citation == "42 CFR 423.578(b)"
    assert exception_rule(PlanType.aca_individual, QL_NOTICE, "quantity_limit") is None
    assert exception_rule(PlanType.aca_individual, QL_NOTICE, "non_formulary") is not None


EOB = (
    "EXPLANATION OF BENEFITS - THIS IS NOT A BILL\nStatement date: 11/02/2026\n"
    "Claim number: 55-201\n"
    "10/03/2026  E0465 Home ventilator rental x 1   $2,100.00  $0.00  $0.00   50\n"
    "11/30/2026  E0465 Home ventilator rental x 1   $2,100.00  $0.00  $0.00   50\n"
)


def test_claim_notice_is_post_service_and_a_prior_authorization_is_not():
    timing = request_timing()
    assert timing.is_post_service(EOB)
    assert not timing.is_post_service("Prior authorization request denied. " + EOB)
    assert not timing.is_post_service("Your request for an MRI is denied.")


def test_claim_dates_are_the_billed_rows_before_the_notice():
    analysis = DenialAnalysis(
        letter_date=dt.date(2026, 11, 2),
        requested=[RequestedService(code="E0465", system="hcpcs", units=1)],
    )
    assert claim_dates(analysis, EOB) == [dt.date(2026, 10, 3)]
    stated = analysis.model_copy(update={"service_dates": [dt.date(2026, 9, 9)]})
    assert claim_dates(stated, EOB) == [dt.date(2026, 9, 9)]


def test_step_exception_sentence_only_with_a_supporting_fact():
    spec = spec_for([DenialCategory.step_therapy.value])
    text, gap = conceded_exception(spec, _case("Migraine with aura."))
    assert "expected to be ineffective" not in text and gap is not None
    assert gap.field == "clinical_summary" and gap.placeholder in text
    text, gap = conceded_exception(spec, _case("Triptans are contraindicated after her stroke."))
    # the ground the record states (a contraindication), never also 'ineffective'
    assert text == " ".join(spec.exception_by_ground["contraindicated"].split()) and gap is None


def test_letter_request_carries_the_quantity_gap_and_the_claim_wording():
    from pipeline.draft import compose
    from pipeline.engines import OfflineEngine
    from pipeline.extract import extract_facts
    from pipeline.letter_format import REQUEST, split_sections

    case = _case("Migraine with aura.")
    draft = compose(QL_NOTICE, extract_facts(QL_NOTICE), case, [], OfflineEngine(),
                    today=dt.date(2026, 11, 10), allow_gaps=True)  # fmt: skip
    request = split_sections(draft.markdown)[REQUEST]
    assert "quantity-limit exception" in request
    # the dose frequency the case lacks is the physician's gap, not a placeholder in the ask
    assert "[MISSING" not in request
    assert any(g.field == "clinical_summary" for g in draft.gaps)

    claim = CaseFacts.model_validate(
        {"patient": {"name": "Ines Cardoso"}, "physician": {"name": "Ana Ruiz"},
         "service": {"description": "Home ventilator", "code": "E0465"}}
    )  # fmt: skip
    draft = compose(EOB, extract_facts(EOB), claim, [], OfflineEngine(),
                    today=dt.date(2026, 11, 10), allow_gaps=True)  # fmt: skip
    request = split_sections(draft.markdown)[REQUEST]
    assert "reprocess claim 55-201 and pay for" in request and "and approve" not in request
    assert "October 3, 2026" in request and "November 30, 2026" not in request
