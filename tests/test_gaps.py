"""find_gaps / criterion_gaps: what the letter needs and the inputs lack."""

from __future__ import annotations

import pytest

from pipeline.gaps import criterion_gaps, find_gaps, resolve
from pipeline.letter_format import PLACEHOLDER_RE
from pipeline.models import CaseFacts, CriterionArgument, DenialAnalysis, PriorTreatment
from tests.test_draft import analysis_for, complete_case


def fields(analysis: DenialAnalysis, case: CaseFacts) -> list[str]:
    return [g.field for g in find_gaps(analysis, case)]


def with_physician(**changes: object) -> CaseFacts:
    physician = complete_case().physician.model_copy(update=changes)
    return complete_case(physician=physician.model_dump())


def test_complete_case_has_no_gaps() -> None:
    assert find_gaps(analysis_for(), complete_case()) == []


def test_empty_case_and_analysis_lack_every_required_fact() -> None:
    assert set(fields(DenialAnalysis(), CaseFacts())) == {
        "patient.name",
        "patient.date_of_birth",
        "patient.member_id",
        "claim_reference",
        "insurer",
        "physician.name",
        "physician.credentials",
        "physician.npi",
        "physician.license",
        "physician.phone",
        "physician.address",
        "diagnoses",
        "service.code",
        "service.description",
        "clinical_summary",
        "consequences_of_denial",
    }


def test_missing_npi() -> None:
    (gap,) = find_gaps(analysis_for(), with_physician(npi=None))
    assert gap.field == "physician.npi"
    assert (
        gap.message
        == "The physician's NPI is missing from the case file: add physician.npi to the case file."
    )
    assert PLACEHOLDER_RE.fullmatch(gap.placeholder)


@pytest.mark.parametrize(("npi", "words"), [("1234567890", "check digit"), ("12345", "ten digits")])
def test_invalid_npi(npi: str, words: str) -> None:
    (gap,) = find_gaps(analysis_for(), with_physician(npi=npi))
    assert gap.field == "physician.npi"
    assert words in gap.message


def test_letter_facts_fill_case_gaps() -> None:
    patient = complete_case().patient.model_copy(update={"member_id": None})
    service = complete_case().service.model_copy(update={"code": None})
    case = complete_case(
        patient=patient.model_dump(),
        claim_reference=None,
        insurer=None,
        service=service.model_dump(),
    )
    assert find_gaps(analysis_for(), case) == []
    assert resolve(analysis_for(), case) == (
        "EHP123456789",
        "CLM-2024-000123",
        "Evergreen Health Plan",
        "90867",
    )
    assert set(fields(DenialAnalysis(), case)) == {
        "patient.member_id",
        "claim_reference",
        "insurer",
    }


def test_service_code_is_needed_unless_an_uncoded_drug() -> None:
    """A pharmacy-benefit drug has no CPT/HCPCS: its description suffices. Any other service
    without a code (or without a description) is a gap."""
    uncoded = complete_case().service.model_copy(update={"code": None})
    case = complete_case(service=uncoded.model_dump())
    assert "service.code" not in fields(DenialAnalysis(), case)
    bare = uncoded.model_copy(update={"description": None})
    assert {"service.code", "service.description"} <= set(
        fields(DenialAnalysis(), complete_case(service=bare.model_dump()))
    )


def test_case_values_take_precedence_over_the_letter() -> None:
    analysis = analysis_for(member_id="OTHER", cpt_codes=[], hcpcs_codes=["E0486"])
    resolved = resolve(analysis, complete_case())
    assert resolved.member_id == "EHP123456789"
    assert resolved.service_code == "90867"
    service = complete_case().service.model_copy(update={"code": None})
    assert resolve(analysis, complete_case(service=service.model_dump())).service_code == "E0486"


def test_medication_needs_dose_frequency_and_duration() -> None:
    treatments = [
        PriorTreatment(name="Sertraline", kind="medication"),
        PriorTreatment(name="Physical therapy", kind="therapy", start="2024-01-01"),
        PriorTreatment(name="CBT", kind="therapy", duration="12 sessions"),
    ]
    gaps = find_gaps(analysis_for(), complete_case(prior_treatments=treatments))
    assert [g.field for g in gaps] == [
        "prior_treatments[0].dose",
        "prior_treatments[0].frequency",
        "prior_treatments[0].duration",
        "prior_treatments[1].duration",
    ]
    # the marker names the case field that fills it (it stands in the treatment's own row,
    # so it does not name the treatment again)
    assert gaps[0].placeholder == "[MISSING: dose (prior_treatments[0].dose)]"
    assert gaps[2].placeholder == "[MISSING: end date or duration (prior_treatments[0].duration)]"
    assert "Sertraline" not in gaps[0].message  # messages name paths, not patient data


def test_criterion_gaps_for_missing_or_empty_evidence() -> None:
    analysis = analysis_for()
    arguments = [
        CriterionArgument(criterion_index=0, argument="x", evidence=["prior_treatments[0]"]),
        CriterionArgument(criterion_index=1, argument="x", evidence=[]),
    ]
    gaps = criterion_gaps(analysis, arguments)
    assert [g.field for g in gaps] == ["criteria[1]", "criteria[2]"]
    assert gaps[0].message.startswith('No fact in the case file answers criterion 2 ("Severe depr')
    assert gaps[0].message.endswith("add the prior treatments or findings that meet it.")
    assert "…" in gaps[0].message  # long criterion text is cut at sixty characters
    assert '"An adequate trial of evidence-based psychotherapy."' in gaps[1].message


def test_an_npi_failing_its_check_digit_is_shown_to_confirm_not_as_missing() -> None:
    from pipeline import letter_format as lf
    from pipeline.gaps import npi_gap

    bad = npi_gap("1093817465")  # ten digits, wrong check digit
    assert bad is not None and bad.field == "physician.npi"
    assert bad.placeholder == (
        "[CHECK: NPI 1093817465 fails the NPI check digit; confirm physician.npi]"
    )
    short = npi_gap("12345")
    assert short is not None and short.placeholder.startswith("[CHECK: NPI 12345 is not ten")
    missing = npi_gap(None)
    assert missing is not None
    assert missing.placeholder == "[MISSING: physician NPI (physician.npi)]"
    # a DRAFT's markers of both kinds are found as placeholders left in the letter
    assert lf.PLACEHOLDER_RE.fullmatch(bad.placeholder)
    assert lf.PLACEHOLDER_RE.fullmatch(missing.placeholder)


def test_a_marker_names_the_case_field_that_fills_it() -> None:
    from pipeline.models import Gap

    gap = Gap(field="patient.date_of_birth", message="m", placeholder="[MISSING: date of birth]")
    assert gap.placeholder == "[MISSING: date of birth (patient.date_of_birth)]"
    # a field already named, or a path outside the case file, is left as written
    named = Gap(field="service.details", message="m", placeholder="[MISSING: service.details]")
    assert named.placeholder == "[MISSING: service.details]"
    letter = Gap(field="letter.deadline", message="m", placeholder="[MISSING: the deadline]")
    assert letter.placeholder == "[MISSING: the deadline]"
