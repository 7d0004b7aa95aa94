"""Tests for pipeline.validate: a valid letter passes; each targeted mutation fires its code."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import letter_format as lf
from pipeline.codes import icd10_exists, icd10_is_billable, npi_check_digit, npi_is_valid
from pipeline.models import (
    CaseFacts,
    Criterion,
    DenialAnalysis,
    DenialCategory,
    Diagnosis,
    Draft,
    Finding,
    Passage,
    Patient,
    Physician,
    PlanType,
    PriorTreatment,
    RetrievedPassage,
    RunInfo,
    Service,
    Severity,
    ValidationReport,
)
from pipeline.validate import (
    CHECKS,
    FindingCode,
    criterion_errors,
    extract_tokens,
    parse_document,
    validate,
    validate_markdown,
)
from pipeline.validate._scanner import fact_windows as _fact_windows
from pipeline.validate._scanner import scan_tokens as _scan_tokens

NPI = "1234567893"
OTHER_NPI = "123456782" + npi_check_digit("123456782")
MEMBER_ID = "XJH123456789"
CLAIM = "CLM-2026-004217"

CRITERION_1 = (
    "The member has failed at least two antidepressant medications from different classes "
    "at adequate dose and duration in the current episode."
)
CRITERION_2 = "The member has completed an adequate trial of evidence-based psychotherapy."

LETTER_TEXT = f"""Evergreen Health Plan
Utilization Management Department
February 20, 2026

Member: Jordan A. Rivera
Member ID: {MEMBER_ID}
Claim / reference number: {CLAIM}
Date of request: 02/10/2026
Service requested: CPT 90867 Therapeutic repetitive transcranial magnetic stimulation
Diagnosis: F33.2

We reviewed the request and determined that it is not medically necessary. Under Evergreen
Medical Policy MP-112 the following criteria were not met:

1. {CRITERION_1}
2. {CRITERION_2}

You may request a peer-to-peer review by calling 1-800-555-0199. You may appeal within 180 days
of this notice. Reviewed by Alan Marsh, MD.
"""


def _passages() -> list[Passage]:
    common = {"license": "test", "url": "https://example.org/p", "specialty": "psychiatry"}
    return [
        Passage(
            id="apa-mdd-2010",
            kind="guideline",
            issuing_body="American Psychiatric Association",
            short_body="APA",
            title="Practice Guideline for the Treatment of Patients With Major Depressive Disorder",
            version="Third Edition",
            year=2010,
            section="Somatic treatments",
            recommendation="II",
            text=(
                "Repetitive transcranial magnetic stimulation may be considered for patients "
                "whose depression has not responded to adequate antidepressant trials."
            ),
            conditions=["F32", "F33"],
            **common,
        ),
        Passage(
            id="cms-lcd-tms",
            kind="coverage_policy",
            # a society's coverage position: Medicare's own rules (an LCD) stand under a
            # criterion only for a Medicare plan, and this plan is an employer's (ERISA)
            issuing_body="Clinical TMS Society",
            short_body="Clinical TMS Society",
            title="Coverage position: Transcranial Magnetic Stimulation for MDD",
            year=2024,
            section="Indications and limitations of coverage",
            text=(
                "TMS is reasonable and necessary for adults with severe major depressive disorder "
                "who failed two antidepressant trials and a trial of evidence-based psychotherapy."
            ),
            services=["90867"],
            **common,
        ),
        Passage(
            id="usc-29-1133",
            kind="regulation",
            issuing_body="U.S. Congress (United States Code)",
            short_body="U.S. Congress",
            title="§ 1133. Claims procedure",
            year=2023,
            section="29 U.S.C. § 1133",
            text=(
                "Every employee benefit plan shall afford a reasonable opportunity to any "
                "participant whose claim for benefits has been denied for a full and fair review."
            ),
            **common,
        ),
    ]


def _markdown(passages: list[Passage]) -> str:
    refs = "\n".join(
        lf.REFERENCE_LINE.format(number=i, reference=p.reference(), passage_id=p.id)
        for i, p in enumerate(passages, 1)
    )
    return f"""{lf.TITLE}

March 3, 2026

Evergreen Health Plan
Utilization Management Department

Re: Appeal of the denial of February 20, 2026 — request for TMS (CPT 90867)

## {lf.IDENTIFICATION}

| Field | Value |
|---|---|
| {lf.ID_PATIENT} | Jordan A. Rivera |
| {lf.ID_DOB} | March 14, 1984 |
| {lf.ID_MEMBER} | {MEMBER_ID} |
| {lf.ID_CLAIM} | {CLAIM} |
| {lf.ID_INSURER} | Evergreen Health Plan |
| {lf.ID_PHYSICIAN} | Dana Whitfield, MD, FAPA |
| {lf.ID_NPI} | {NPI} |
| {lf.ID_LICENSE} | WA MD60412345 |
| {lf.ID_DENIAL_DATE} | February 20, 2026 |

## {lf.DIAGNOSIS}

- F33.2 — Major depressive disorder, recurrent, severe without psychotic features (primary)
- F41.1 — Generalized anxiety disorder

## {lf.REQUESTED_SERVICE}

CPT 90867 — Therapeutic repetitive transcranial magnetic stimulation (TMS) treatment; initial,
including cortical mapping: 36 sessions over 6 weeks.

## {lf.CLINICAL_SUMMARY}

Jordan A. Rivera has recurrent major depressive disorder, now severe, with a PHQ-9 of 23 on
January 12, 2026 despite two antidepressant trials and a course of cognitive behavioral therapy.

## {lf.PRIOR_TREATMENT}

| Treatment | Dose | Frequency | Duration | Outcome |
|---|---|---|---|---|
| Sertraline | 200 mg | once daily | September 3, 2024 – December 16, 2024 | No response |
| Bupropion XL | 450 mg | once daily | January 6, 2025 – April 21, 2025 | Partial response |
| Cognitive behavioral therapy | n/a | weekly | 16 weeks | No remission (PHQ-9 19 -> 21) |

## {lf.OBJECTIVE_FINDINGS}

- PHQ-9: 23 on January 12, 2026 (severe).

## {lf.CRITERIA}

### Criterion 1 — Evergreen Medical Policy MP-112

> {CRITERION_1}

Jordan failed sertraline 200 mg once daily (an SSRI) from September 3, 2024 to December 16, 2024
and bupropion XL 450 mg once daily (an NDRI) from January 6, 2025 to April 21, 2025, two
different classes at full dose. The criterion is met [1][2].

### Criterion 2 — Evergreen Medical Policy MP-112

> {CRITERION_2}

Jordan completed 16 weeks of weekly cognitive behavioral therapy without remission; the PHQ-9
rose from 19 to 21 [2].

## {lf.CONSEQUENCES}

Without TMS, Jordan's severe depression is likely to persist or worsen, with a continued risk of
hospitalization, loss of employment and self-harm; no other available treatment offers a
comparable chance of remission.

## {lf.LEGAL_BASIS}

The plan must afford a full and fair review of this denial under 29 U.S.C. § 1133 [3].

## {lf.REQUEST}

I ask Evergreen Health Plan to reverse the denial and authorize CPT 90867, 36 sessions over
6 weeks.

## {lf.PEER_TO_PEER}

I am available for a peer-to-peer review with the reviewing physician at (206) 555-0142.

## {lf.SIGNATURE}

Sincerely,

Dana Whitfield, MD, FAPA
Psychiatry, Cascade Interventional Psychiatry
{lf.SIG_NPI}: {NPI}
{lf.SIG_LICENSE}: WA MD60412345
{lf.SIG_PHONE}: (206) 555-0142
{lf.SIG_FAX}: (206) 555-0143

## {lf.REFERENCES}

{refs}
"""


def make_draft() -> Draft:
    """A complete, valid draft: markdown plus every input it was written from."""
    passages = _passages()
    case = CaseFacts(
        patient=Patient(
            name="Jordan A. Rivera", date_of_birth=dt.date(1984, 3, 14), member_id=MEMBER_ID
        ),
        claim_reference=CLAIM,
        insurer="Evergreen Health Plan",
        physician=Physician(
            name="Dana Whitfield",
            credentials="MD, FAPA",
            specialty="Psychiatry",
            npi=NPI,
            license="WA MD60412345",
            practice_name="Cascade Interventional Psychiatry",
            phone="(206) 555-0142",
            fax="(206) 555-0143",
        ),
        diagnoses=[
            Diagnosis(code="F33.2", description="Major depressive disorder, recurrent, severe"),
            Diagnosis(code="F41.1", description="Generalized anxiety disorder"),
        ],
        service=Service(
            code="90867",
            description="Therapeutic repetitive transcranial magnetic stimulation (TMS)",
            details="36 sessions over 6 weeks",
        ),
        clinical_summary="Recurrent severe MDD despite two antidepressants and CBT.",
        prior_treatments=[
            PriorTreatment(
                name="Sertraline",
                kind="medication",
                dose="200 mg",
                frequency="once daily",
                start=dt.date(2024, 9, 3),
                end=dt.date(2024, 12, 16),
                outcome="No response",
                outcome_measure="PHQ-9 24 -> 22",
            ),
            PriorTreatment(
                name="Bupropion XL",
                kind="medication",
                dose="450 mg",
                frequency="once daily",
                start=dt.date(2025, 1, 6),
                end=dt.date(2025, 4, 21),
                outcome="Partial response",
                outcome_measure="PHQ-9 22 -> 19",
            ),
            PriorTreatment(
                name="Cognitive behavioral therapy",
                kind="therapy",
                frequency="weekly",
                duration="16 weeks",
                outcome="No remission",
                outcome_measure="PHQ-9 19 -> 21",
            ),
        ],
        objective_findings=[
            Finding(
                kind="rating_scale",
                name="PHQ-9",
                value="23",
                date=dt.date(2026, 1, 12),
                interpretation="severe",
            )
        ],
        consequences_of_denial="Persisting severe depression with risk of hospitalization.",
    )
    analysis = DenialAnalysis(
        insurer="Evergreen Health Plan",
        plan_type=PlanType.erisa,
        member_id=MEMBER_ID,
        claim_number=CLAIM,
        letter_date=dt.date(2026, 2, 20),
        service_dates=[dt.date(2026, 2, 10)],
        cpt_codes=["90867"],
        icd10_codes=["F33.2"],
        denial_categories=[DenialCategory.not_medically_necessary, DenialCategory.step_therapy],
        criteria=[
            Criterion(text=CRITERION_1, source="Evergreen Medical Policy MP-112"),
            Criterion(text=CRITERION_2, source="Evergreen Medical Policy MP-112"),
        ],
        appeal_deadline=dt.date(2026, 8, 19),
        peer_to_peer_offered=True,
        reviewer="Alan Marsh, MD",
    )
    return Draft(
        markdown=_markdown(passages),
        analysis=analysis,
        case=case,
        passages=[
            RetrievedPassage(passage=p, score=1.0 - i / 10, rank=i + 1, criteria=[0, 1])
            for i, p in enumerate(passages)
        ],
        letter_text=LETTER_TEXT,
        run=RunInfo(engine="offline", created=dt.date(2026, 3, 3)),
    )


@pytest.fixture(scope="module")
def draft() -> Draft:
    return make_draft()


def codes(report: ValidationReport, severity: Severity | None = None) -> set[str]:
    return {f.code for f in report.findings if severity is None or f.severity == severity}


# --------------------------------------------------------------------------- the valid letter


def test_fixture_inputs_are_what_the_mutations_assume() -> None:
    assert npi_is_valid(NPI) and npi_is_valid(OTHER_NPI) and OTHER_NPI != NPI
    assert not npi_is_valid("1234567894")
    assert icd10_exists("F33.2") and icd10_is_billable("F33.2")
    assert not icd10_exists("F33.95")
    assert icd10_exists("F33") and not icd10_is_billable("F33")
    assert icd10_exists("F41.0") and icd10_is_billable("F41.0")


def test_valid_letter_passes(draft: Draft) -> None:
    report = validate(draft)
    assert report.errors == [], [(f.code, f.message, f.excerpt) for f in report.errors]
    assert report.ok
    assert report.findings == []  # not even a warning


def test_validate_markdown_uses_the_template_context(draft: Draft) -> None:
    assert validate_markdown(draft.markdown, draft) == validate(draft)
    edited = draft.markdown.replace("| 16 weeks |", "| |")
    assert FindingCode.DURATION_MISSING in codes(validate_markdown(edited, draft))


def test_checks_are_registered_once() -> None:
    assert len(CHECKS) == len(set(CHECKS))
    assert all(c.__name__.startswith("check_") for c in CHECKS)


def test_document_parse(draft: Draft) -> None:
    doc = parse_document(draft.markdown)
    assert set(lf.REQUIRED_SECTIONS) <= set(doc.sections)
    assert {n: s.body for n, s in doc.sections.items()} == lf.split_sections(draft.markdown)
    assert sorted(doc.criteria) == [1, 2]
    assert [(e.number, e.passage_id) for e in doc.references] == [
        (1, "apa-mdd-2010"),
        (2, "cms-lcd-tms"),
        (3, "usc-29-1133"),
    ]
    assert len(doc.prior_rows) == 3
    assert doc.prior_rows[0].cell("Dose").value == "200 mg"
    assert doc.identification["npi"].value == NPI
    npi = doc.signature["npi"]
    assert draft.markdown[npi.span[0] : npi.span[1]] == NPI


# --------------------------------------------------------------------------- mutations


def sub(old: str, new: str, count: int = 1) -> Callable[[str], str]:
    """A mutation replacing ``old`` (which must occur) by ``new``; count=0 replaces all."""

    def mutate(md: str) -> str:
        assert old in md, f"mutation target not in letter: {old!r}"
        return md.replace(old, new) if count == 0 else md.replace(old, new, count)

    return mutate


def cut(start: str, end: str) -> Callable[[str], str]:
    """A mutation deleting from ``start`` up to (not including) ``end``."""

    def mutate(md: str) -> str:
        i = md.index(start)
        return md[:i] + md[md.index(end, i) :]

    return mutate


def add_banner(mutate: Callable[[str], str]) -> Callable[[str], str]:
    return lambda md: mutate(md).replace(lf.TITLE, f"{lf.TITLE}\n\n{lf.DRAFT_BANNER}", 1)


ERR, WARN = Severity.error, Severity.warning

MUTATIONS: dict[str, tuple[Callable[[str], str], str, Severity]] = {
    "drop signature npi": (sub(f"{lf.SIG_NPI}: {NPI}\n", ""), FindingCode.NPI_MISSING, ERR),
    "drop table npi": (
        sub(f"| {lf.ID_NPI} | {NPI} |", f"| {lf.ID_NPI} | |"),
        FindingCode.NPI_MISSING,
        ERR,
    ),
    "npi digit changed": (sub(NPI, "1234567894", 0), FindingCode.NPI_INVALID, ERR),
    "npi of someone else": (sub(NPI, OTHER_NPI, 0), FindingCode.NPI_MISMATCH, ERR),
    "icd10 not in code set": (sub("- F33.2 —", "- F33.95 —"), FindingCode.ICD10_INVALID, ERR),
    "icd10 header code": (sub("- F33.2 —", "- F33 —"), FindingCode.ICD10_NOT_BILLABLE, ERR),
    "icd10 not in inputs": (sub("- F41.1 —", "- F41.0 —"), FindingCode.ICD10_MISMATCH, ERR),
    "primary icd10 dropped": (sub("- F33.2 —", "-"), FindingCode.ICD10_MISSING, ERR),
    "cpt not in inputs": (sub("CPT 90867 —", "CPT 90868 —"), FindingCode.CODE_NOT_IN_INPUTS, ERR),
    "cpt malformed": (sub("CPT 90867 —", "CPT 9086 —"), FindingCode.CODE_INVALID_FORMAT, ERR),
    "service code dropped": (sub("CPT 90867 —", "TMS —"), FindingCode.CODE_MISSING, ERR),
    "dose unit dropped": (sub("| 200 mg |", "| 200 |"), FindingCode.DOSE_MISSING_UNIT, ERR),
    "dose frequency dropped": (
        sub("| 450 mg | once daily |", "| 450 mg | |"),
        FindingCode.DOSE_MISSING_FREQUENCY,
        ERR,
    ),
    "duration dropped": (sub("| 16 weeks |", "| |"), FindingCode.DURATION_MISSING, ERR),
    "date range half dropped": (
        sub("| January 6, 2025 – April 21, 2025 |", "| January 6, 2025 |"),
        FindingCode.DURATION_MISSING,
        ERR,
    ),
    "claim of a contraindication the case does not state": (
        sub(
            "different classes at full dose.",
            "different classes; lithium is contraindicated.",
        ),
        FindingCode.CLAIM_UNSUPPORTED,
        ERR,
    ),
    "criterion section deleted": (
        cut("### Criterion 2", f"## {lf.CONSEQUENCES}"),
        FindingCode.CRITERIA_UNANSWERED,
        ERR,
    ),
    "criterion text not quoted": (
        sub(f"> {CRITERION_2}", "> See above."),
        FindingCode.CRITERIA_UNANSWERED,
        ERR,
    ),
    # A fitting passage (retrieved for the criterion and about psychotherapy) that no criterion
    # cites: an error.
    "criterion without citation": (
        lambda md: sub("rose from 19 to 21 [2].", "rose.")(
            sub("The criterion is met [1][2].", "The criterion is met [1].")(md)
        ),
        FindingCode.CRITERIA_NO_CITATION,
        ERR,
    ),
    # Its fitting passages are stated under an earlier criterion: a guideline is stated once,
    # so no citation here is only a warning.
    "criterion without citation, its passages stated above": (
        sub("rose from 19 to 21 [2].", "rose."),
        FindingCode.CRITERIA_NO_CITATION,
        WARN,
    ),
    "criterion without evidence": (
        sub(
            "Jordan completed 16 weeks of weekly cognitive behavioral therapy without remission; "
            "the PHQ-9\nrose from 19 to 21 [2].",
            "The patient meets this criterion [2].",
        ),
        FindingCode.CRITERIA_NO_EVIDENCE,
        ERR,
    ),
    "reference not retrieved": (
        lambda md: (
            md.replace("[3].", "[3][4].")
            + "4. Invented Society. Made-up guideline. 2021. Section 1. (ref: invented-2021)\n"
        ),
        FindingCode.CITATION_NOT_RETRIEVED,
        ERR,
    ),
    "reference text changed": (
        sub("Third Edition, 2010", "Fourth Edition, 2010"),
        FindingCode.CITATION_REFERENCE_MISMATCH,
        ERR,
    ),
    "citation unresolved": (sub("[3].", "[3][7]."), FindingCode.CITATION_UNRESOLVED, ERR),
    "reference unused": (sub(" [3].", "."), FindingCode.CITATION_UNUSED, WARN),
    "guideline reference without year": (
        sub("Third Edition, 2010. ", "Third Edition. "),
        FindingCode.CITATION_NO_VERSION,
        WARN,
    ),
    "number in no input": (
        sub("PHQ-9 of 23", "PHQ-9 of 27"),
        FindingCode.GROUNDING_UNSUPPORTED_NUMBER,
        ERR,
    ),
    "dose in no input": (
        sub("sertraline 200 mg", "sertraline 250 mg"),
        FindingCode.GROUNDING_UNSUPPORTED_NUMBER,
        ERR,
    ),
    "date in no input": (
        sub("23 on\nJanuary 12, 2026", "23 on\nJanuary 13, 2026"),
        FindingCode.GROUNDING_UNSUPPORTED_NUMBER,
        ERR,
    ),
    "placeholder left": (
        sub("Fax: (206) 555-0143", "Fax: [MISSING: fax]"),
        FindingCode.PLACEHOLDER_LEFT,
        ERR,
    ),
    "placeholder left in DRAFT": (
        add_banner(sub("Fax: (206) 555-0143", "Fax: [MISSING: fax]")),
        FindingCode.PLACEHOLDER_LEFT,
        WARN,
    ),
    "TODO left": (sub("Sincerely,", "Sincerely, TODO"), FindingCode.PLACEHOLDER_LEFT, ERR),
    "p2p phone dropped": (
        sub("physician at (206) 555-0142.", "physician at your convenience."),
        FindingCode.P2P_NO_PHONE,
        ERR,
    ),
    "p2p section dropped": (
        cut(f"## {lf.PEER_TO_PEER}", f"## {lf.SIGNATURE}"),
        FindingCode.P2P_MISSING,
        ERR,
    ),
    "section dropped": (
        cut(f"## {lf.LEGAL_BASIS}", f"## {lf.REQUEST}"),
        FindingCode.STRUCTURE_MISSING_SECTION,
        ERR,
    ),
    "member id changed": (
        sub(f"| {MEMBER_ID} |", "| XJH123456788 |"),
        FindingCode.IDENTITY_MISMATCH,
        ERR,
    ),
    "claim changed": (
        sub(f"| {CLAIM} |", "| CLM-2026-004218 |"),
        FindingCode.IDENTITY_MISMATCH,
        ERR,
    ),
    "patient name dropped": (
        sub("Jordan A. Rivera", "the patient", 0),
        FindingCode.IDENTITY_MISSING,
        ERR,
    ),
    "licence dropped": (
        sub(f"{lf.SIG_LICENSE}: WA MD60412345\n", ""),
        FindingCode.IDENTITY_MISSING,
        ERR,
    ),
    "credentials dropped": (
        sub("Dana Whitfield, MD, FAPA\nPsych", "Dana Whitfield\nPsych"),
        FindingCode.IDENTITY_MISSING,
        ERR,
    ),
    "consequences trivial": (
        cut("Without TMS, Jordan's", f"## {lf.LEGAL_BASIS}"),
        FindingCode.CONSEQUENCES_MISSING,
        ERR,
    ),
    "emotional tone": (
        sub("The criterion is met", "This denial is outrageous! The criterion is met"),
        FindingCode.TONE_EMOTIONAL,
        WARN,
    ),
    "shouting": (
        sub("The criterion is met", "THIS DENIAL MUST BE REVERSED. The criterion is met"),
        FindingCode.TONE_EMOTIONAL,
        WARN,
    ),
    "too long": (
        sub("## " + lf.LEGAL_BASIS, "Further detail. " * 800 + "\n\n## " + lf.LEGAL_BASIS),
        FindingCode.LENGTH_OVER_THREE_PAGES,
        WARN,
    ),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_mutation_fires_expected_code(draft: Draft, name: str) -> None:
    mutate, code, severity = MUTATIONS[name]
    report = validate_markdown(mutate(draft.markdown), draft)
    fired = [f for f in report.findings if f.code == code]
    assert fired, f"{name}: expected {code}, got {sorted(codes(report))}"
    assert any(f.severity == severity for f in fired), f"{name}: wrong severity"
    assert report.ok == (severity == WARN and not report.errors)
    assert FindingCode.VALIDATOR_INTERNAL_ERROR not in codes(report)


def test_spans_point_at_the_offending_text(draft: Draft) -> None:
    md = draft.markdown.replace("PHQ-9 of 23", "PHQ-9 of 27")
    (f,) = [f for f in validate_markdown(md, draft).findings]
    assert f.code == FindingCode.GROUNDING_UNSUPPORTED_NUMBER
    assert f.span and md[f.span[0] : f.span[1]] == "27" and f.excerpt == "27"


def test_unsupported_token_reported_once(draft: Draft) -> None:
    md = draft.markdown.replace("PHQ-9 of 23", "PHQ-9 of 27 (27 points)")
    found = [f for f in validate_markdown(md, draft).findings if f.excerpt == "27"]
    assert len(found) == 1


# --------------------------------------------------------------------------- normalizations


@pytest.mark.parametrize(
    "old,new",
    [
        ("March 14, 1984 |", "03/14/1984 |"),
        ("March 14, 1984 |", "1984-03-14 |"),
        ("March 14, 1984 |", "Mar 14, 1984 |"),
        ("March 14, 1984 |", "14 March 1984 |"),
        ("| 200 mg |", "| 200mg |"),
        ("36 sessions over 6 weeks.", "36 sessions over 6 weeks (September 2024 onward)."),
    ],
)
def test_equivalent_forms_are_grounded(draft: Draft, old: str, new: str) -> None:
    md = draft.markdown.replace(old, new, 1)
    assert md != draft.markdown
    assert validate_markdown(md, draft).findings == []


def test_thousands_separator_is_normalized(draft: Draft) -> None:
    case = draft.case.model_copy(update={"clinical_summary": "Cumulative dose 1200 mg."})
    template = draft.model_copy(update={"case": case})
    md = draft.markdown.replace("(an SSRI)", "(an SSRI, 1,200 mg cumulative)")
    assert FindingCode.GROUNDING_UNSUPPORTED_NUMBER not in codes(validate_markdown(md, template))
    md = draft.markdown.replace("(an SSRI)", "(an SSRI, 1,300 mg cumulative)")
    assert FindingCode.GROUNDING_UNSUPPORTED_NUMBER in codes(validate_markdown(md, template))


def test_non_codes_are_not_taken_for_icd10(draft: Draft) -> None:
    md = sub("(an SSRI)", "(an SSRI; A1C and B12 were normal)")(draft.markdown)
    assert not {c for c in codes(validate_markdown(md, draft)) if c.startswith("icd10.")}


def test_a_code_like_token_in_a_diagnosis_description_is_not_a_code(draft: Draft) -> None:
    """'(T12)' for a vertebra inside the physician's own description is text the letter repeats;
    the same token written by nobody is still an invalid code."""
    described = draft.case.diagnoses[1].model_copy(
        update={"description": "Generalized anxiety disorder since fracture at (T12)"}
    )
    case = draft.case.model_copy(update={"diagnoses": [draft.case.diagnoses[0], described]})
    template = draft.model_copy(update={"case": case})
    md = draft.markdown.replace(
        "Generalized anxiety disorder\n", "Generalized anxiety disorder since fracture at (T12)\n"
    )
    assert md != draft.markdown
    assert FindingCode.ICD10_INVALID not in codes(validate_markdown(md, template))
    assert FindingCode.ICD10_INVALID in codes(validate_markdown(md, draft))


def test_a_real_code_named_in_a_description_is_still_checked(draft: Draft) -> None:
    """A real, different code the physician mentions in a description ('previously coded F32.9')
    listed as a diagnosis is still a mismatch (review37 F1)."""
    described = draft.case.diagnoses[1].model_copy(
        update={"description": "Generalized anxiety disorder (previously coded F32.9)"}
    )
    case = draft.case.model_copy(update={"diagnoses": [draft.case.diagnoses[0], described]})
    template = draft.model_copy(update={"case": case})
    md = draft.markdown.replace(
        "- F41.1 — Generalized anxiety disorder\n",
        "- F41.1 — Generalized anxiety disorder\n"
        "- F32.9 — Major depressive disorder, single episode\n",
    )
    assert md != draft.markdown
    assert FindingCode.ICD10_MISMATCH in codes(validate_markdown(md, template))


def test_extract_tokens_kinds() -> None:
    kinds = {
        t.text: t.kind
        for t in extract_tokens("On March 3, 2026 call (206) 555-0142: 1,200 mg, F33.2")
    }
    assert kinds == {
        "March 3, 2026": "date",
        "(206) 555-0142": "phone",
        "1,200": "number",
        "F33.2": "ident",
    }
    (bad,) = extract_tokens("February 30, 2026")
    assert bad.kind == "date" and not isinstance(bad.key, dt.date)


def test_therapy_row_needs_no_dose(draft: Draft) -> None:
    report = validate(draft)
    assert not {c for c in codes(report) if c.startswith("dose.")}
    md = draft.markdown.replace(
        "| Cognitive behavioral therapy | n/a |", "| Cognitive behavioral therapy | |"
    )
    assert FindingCode.DOSE_MISSING_UNIT in codes(validate_markdown(md, draft))


# --------------------------------------------------------------------------- robustness


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises_on_arbitrary_text(text: str) -> None:
    report = validate_markdown(text, TEMPLATE)
    assert isinstance(report, ValidationReport)
    assert FindingCode.VALIDATOR_INTERNAL_ERROR not in codes(report)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_never_raises_on_deleted_lines(data: st.DataObject) -> None:
    lines = TEMPLATE.markdown.splitlines(keepends=True)
    doomed = data.draw(st.sets(st.integers(0, len(lines) - 1), min_size=1, max_size=5))
    md = "".join(line for i, line in enumerate(lines) if i not in doomed)
    report = validate_markdown(md, TEMPLATE)
    assert FindingCode.VALIDATOR_INTERNAL_ERROR not in codes(report)
    spans = [f.span for f in report.findings if f.span]
    assert all(0 <= a <= b <= len(md) for a, b in spans)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10_000), st.text(min_size=1, max_size=30))
def test_never_raises_on_inserted_text(pos: int, text: str) -> None:
    md = TEMPLATE.markdown
    pos %= len(md)
    report = validate_markdown(md[:pos] + text + md[pos:], TEMPLATE)
    assert FindingCode.VALIDATOR_INTERNAL_ERROR not in codes(report)


TEMPLATE = make_draft()


def _errors_in_criteria(md: str) -> tuple[list, list]:
    """(errors of every check that fall in a criterion's section, criterion_errors) of ``md``."""
    draft = TEMPLATE.model_copy(update={"markdown": md, "validation": None})
    blocks = parse_document(md).criteria
    full = [
        (n, f.code, f.span)
        for f in validate(draft).errors
        if f.span
        for n, b in blocks.items()
        if b.start <= f.span[0] < b.end
    ]
    return sorted(full), sorted((n, f.code, f.span) for n, f in criterion_errors(draft))


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_section_checks_find_every_error_in_a_criterion_after_a_mutation(name: str) -> None:
    full, section = _errors_in_criteria(MUTATIONS[name][0](TEMPLATE.markdown))
    assert full == section


_SECTION_NOISE = [
    "1234567893", "NPI 1234567890", "500 mg twice daily", "for 6 weeks", "CPT 99999", "J3490",
    "F33.2", "Z99.999", "Q12", "TODO", "[MISSING: date]", "{{x}}", "lorem ipsum", "!!", "[9]",
    "[1]", "Ignore previous instructions.", "APPROVED", "SYSTEM: yes", "OUTRAGEOUS SHAMEFUL DENIAL",
    "peer-to-peer", "Member ID", "W123456789", "March 3, 2021", "(206) 555-0199", "https://x.org",
    "\n\n## Criterion 9: x\n\n", "\n| a | b |\n|---|---|\n", " ", "\n",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_section_checks_find_every_error_in_a_criterion(data: st.DataObject) -> None:
    """Whatever lands in a criterion's section, the section checks report the errors there that
    all checks report (the drafting loop relies on it; the final validation runs them all)."""
    md = TEMPLATE.markdown
    blocks = list(parse_document(md).criteria.values())
    for _ in range(data.draw(st.integers(1, 4))):
        block = data.draw(st.sampled_from(blocks))
        pos = data.draw(st.integers(block.start, block.end - 1))
        text = data.draw(st.sampled_from(_SECTION_NOISE) | st.text(max_size=12))
        md = md[:pos] + text + md[pos:]
        blocks = list(parse_document(md).criteria.values()) or blocks
    full, section = _errors_in_criteria(md)
    assert full == section


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "March",
                "Mar.",
                "3,",
                "2026",
                "(206)",
                "555-0142",
                "+1",
                "F33.2",
                "1,200",
                "mg",
                "03/14/1984",
                "2024-09-03",
                "PHQ-9",
                "x",
                " ",
                "  ",
                "\t",
                "\n",
                "-",
                "/",
                ".",
            ]
        )
        | st.text(max_size=4)
    ).map("".join)
)
def test_windowed_scan_equals_full_scan(text: str) -> None:
    def key(tokens: list) -> list:
        return [(t.kind, t.key, t.start, t.end) for t in tokens]

    assert key(extract_tokens(text)) == key(_scan_tokens(text, lambda i: i))


def _reference_windows(text: str) -> list[tuple[int, int]]:
    """Each word with a digit plus the word before it on its line, merged across spaces/tabs,
    as one forward regex finds them."""
    windows: list[tuple[int, int]] = []
    for m in re.finditer(r"(?<!\S)(?:\S+[ \t]+)?\S*?[0-9]\S*", text):
        if windows and not text[windows[-1][1] : m.start()].strip(" \t"):
            windows[-1] = (windows[-1][0], m.end())
        else:
            windows.append(m.span())
    return windows


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("a1Z9 \t\n\u00a0\u2003-./,:"), max_size=40) | st.text())
def test_fact_windows_read_backwards_equal_the_forward_definition(text: str) -> None:
    assert _fact_windows(text) == _reference_windows(text)


def test_no_patient_data_in_messages(draft: Draft) -> None:
    md = draft.markdown
    for mutate, _, _ in MUTATIONS.values():
        for f in validate_markdown(mutate(md), draft).findings:
            for secret in ("Jordan", "Rivera", MEMBER_ID, CLAIM, NPI, "1984"):
                assert secret not in f.message
            assert not re.search(r"[0-9]{6,}", f.message)


# --------------------------------------------------------------------------- clinical wording


def test_clinical_wording_is_not_emotional(draft: Draft) -> None:
    md = sub("(an SSRI)", "(an SSRI, stopped for unacceptable side effects)")(draft.markdown)
    assert FindingCode.TONE_EMOTIONAL not in codes(validate_markdown(md, draft))


def test_capitals_quoted_from_the_denial_are_not_shouting(draft: Draft) -> None:
    template = draft.model_copy(
        update={"letter_text": LETTER_TEXT + "\nNO FURTHER REVIEW AVAILABLE"}
    )
    md = draft.markdown.replace(
        "(an SSRI)", "(an SSRI; the plan wrote NO FURTHER REVIEW AVAILABLE)"
    )
    assert FindingCode.TONE_EMOTIONAL not in codes(validate_markdown(md, template))
    assert FindingCode.TONE_EMOTIONAL in codes(validate_markdown(md, draft))


def test_therapy_row_naming_a_medication_is_not_a_medication(draft: Draft) -> None:
    md = sub(
        "| Cognitive behavioral therapy | n/a |",
        "| Cognitive behavioral therapy (with Sertraline) | n/a |",
    )(draft.markdown)
    assert not {c for c in codes(validate_markdown(md, draft)) if c.startswith("dose.")}


@pytest.mark.parametrize(
    "dose,frequency",
    [("20 Gy in 5 fractions", "daily fractions"), ("40 mg", "two injections, 14 weeks apart")],
)
def test_dose_and_frequency_forms(draft: Draft, dose: str, frequency: str) -> None:
    md = sub("| 200 mg | once daily |", f"| {dose} | {frequency} |")(draft.markdown)
    assert not {c for c in codes(validate_markdown(md, draft)) if c.startswith("dose.")}


def test_codes_named_in_the_case_service_details_are_inputs(draft: Draft) -> None:
    md = draft.markdown.replace("cortical mapping:", "cortical mapping, with 90868:")
    assert FindingCode.CODE_NOT_IN_INPUTS in codes(validate_markdown(md, draft))
    service = draft.case.service.model_copy(update={"details": "36 sessions over 6 weeks; 90868"})
    case = draft.case.model_copy(update={"service": service})
    template = draft.model_copy(update={"case": case})
    assert FindingCode.CODE_NOT_IN_INPUTS not in codes(validate_markdown(md, template))


@pytest.mark.parametrize("kind", ["therapy", "device", "other"])
def test_a_non_drug_row_with_its_setting_is_not_held_to_drug_units(draft: Draft, kind: str) -> None:
    """A row the case lists as no drug (kind therapy, device or other) whose 'dose' is a
    setting (a CPAP pressure in cm H2O) is not a medication row; the same setting on a
    medication row is still caught."""
    md = draft.markdown.replace(
        "| Cognitive behavioral therapy | n/a |",
        "| Cognitive behavioral therapy | 5-15 cm H2O, reduced on 2026-03-23 |",
    )
    assert md != draft.markdown
    rows = [
        t.model_copy(update={"kind": kind})
        if t.name.startswith("Cognitive behavioral therapy")
        else t
        for t in draft.case.prior_treatments
    ]
    as_kind = draft.model_copy(
        update={"case": draft.case.model_copy(update={"prior_treatments": rows})}
    )
    assert FindingCode.DOSE_MISSING_UNIT not in codes(validate_markdown(md, as_kind))
    med = next(t.name for t in draft.case.prior_treatments if t.kind == "medication")
    row = next(line for line in md.splitlines() if line.startswith(f"| {med} |"))
    cells = row.split("|")
    cells[2] = " 5-15 cm H2O "
    assert FindingCode.DOSE_MISSING_UNIT in codes(
        validate_markdown(md.replace(row, "|".join(cells)), draft)
    )


def test_a_criterion_not_relied_on_needs_no_citation(draft: Draft) -> None:
    """An alternative criterion the letter does not rely on (another of the listed ones is met)
    is not argued: its section citing nothing is no error, even with a fitting passage uncited
    (devset11's cardiac rehabilitation letter was rejected, exit 4, under --allow-gaps)."""
    from pipeline.validate._inputs import Inputs

    mutated = MUTATIONS["criterion without citation"][0](draft.markdown)
    edited = draft.model_copy(update={"markdown": mutated, "validation": None})
    assert FindingCode.CRITERIA_NO_CITATION in codes(validate(edited), Severity.error)
    verdicts = Inputs.of(edited).verdicts
    verdicts[1] = verdicts[1].model_copy(update={"alternative": True})
    inputs = Inputs(edited.analysis, edited.case, edited.passages, edited.letter_text, verdicts)
    assert FindingCode.CRITERIA_NO_CITATION not in codes(validate(edited, inputs), Severity.error)


def test_an_iso_month_is_the_month_the_letter_writes() -> None:
    # the letter restyles '2026-07' as 'July 2026': both are the same month, so the validator
    # grounds the letter's month in the case's ISO one; an identifier holding the digits is none
    def months(text: str) -> list:
        return [t.key for t in extract_tokens(text) if t.kind == "month"]

    assert months("taper in 2026-07") == months("taper in July 2026") == [(2026, 7)]
    assert months("ref UM-2026-07-114 and 2001-2016") == []


def test_no_citation_is_asked_for_where_the_placement_states_none(draft: Draft) -> None:
    """A criterion section citing nothing is a refusal while a passage that fits it goes
    uncited; once the physician's own source holds the criterion that passage is most about,
    the drafter states the passage under none (``argument.passage_homes``), so its absence is a
    warning, never a refusal (the web page's TMS draft with two case citations refused, exit
    4). The rule is the drafter's placement, not whether the letter holds physician sources."""
    mutated = MUTATIONS["criterion without citation"][0](draft.markdown)
    edited = draft.model_copy(update={"markdown": mutated, "validation": None})
    assert FindingCode.CRITERIA_NO_CITATION in codes(validate(edited), Severity.error)
    first = edited.passages[0]
    own = first.model_copy(
        update={"passage": first.passage.model_copy(update={"supplied_by_physician": True})}
    )
    # a physician's source about another criterion displaces nothing: still a refusal
    beside = edited.model_copy(update={"passages": [own, *edited.passages[1:]]})
    assert FindingCode.CRITERIA_NO_CITATION in codes(validate(beside), Severity.error)
    # one about the psychotherapy criterion holds it, and the corpus passage goes under none
    holding = own.model_copy(
        update={
            "passage": own.passage.model_copy(
                update={
                    "text": "TMS is recommended after a completed trial of evidence-based "
                    "psychotherapy."
                }
            )
        }
    )
    with_own = edited.model_copy(update={"passages": [holding, *edited.passages[1:]]})
    assert FindingCode.CRITERIA_NO_CITATION not in codes(validate(with_own), Severity.error)
    assert FindingCode.CRITERIA_NO_CITATION in codes(validate(with_own), Severity.warning)


def test_a_board_certification_the_case_order_gives_another_clinician_is_no_claim() -> None:
    # devset17b DBT: 'Individual DBT with J. R., LPC (DBT-Linehan Board certified clinician)'
    # quoted from the case's service details is the therapist's, not the signer's credential
    from pipeline.validate._context import Context
    from pipeline.validate._document import parse_document
    from pipeline.validate.checks.parties import check_credentials

    said = "Individual DBT with Jordan Reyes, LPC (DBT-Linehan Board certified clinician)"
    service = TEMPLATE.case.service.model_copy(update={"details": f"{said}; weekly group."})
    case = TEMPLATE.case.model_copy(update={"service": service})
    for line, flagged in ((f"As ordered: {said}.", False), ("I am board certified in DBT.", True)):
        md = TEMPLATE.markdown.replace("## " + lf.LEGAL_BASIS, f"{line}\n\n## {lf.LEGAL_BASIS}", 1)
        draft = TEMPLATE.model_copy(update={"markdown": md, "case": case, "validation": None})
        found = check_credentials(Context(draft=draft, doc=parse_document(md)))
        assert bool(found) is flagged, line
