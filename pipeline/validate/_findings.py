"""Finding codes (one enum for every code the validator emits) and the finding constructor."""

from __future__ import annotations

from enum import StrEnum

from ..models import Severity, ValidationFinding
from ..text.normalize import Span, norm_ws

ERROR = Severity.error
WARNING = Severity.warning

_EXCERPT_MAX = 60


class FindingCode(StrEnum):
    """Every stable code a validator finding carries (``ValidationFinding.code`` holds the value).

    A member is ``<area>.<what>``. A new check adds its codes here and declares them in its
    ``@check(codes=...)``; ``tests/test_validate_registry.py`` holds every member to being
    emitted by a registered check (``VALIDATOR_INTERNAL_ERROR`` by the runner).
    """

    APPEAL_CLOCK_MISSING = "appeal.clock_missing"
    APPEAL_DEADLINE_MISMATCH = "appeal.deadline_mismatch"
    APPEAL_DEADLINE_MISSING = "appeal.deadline_missing"
    APPEAL_ENCLOSURE_MISSING = "appeal.enclosure_missing"
    APPEAL_IDENTIFIER_MISSING = "appeal.identifier_missing"
    APPEAL_LAW_FOREIGN = "appeal.law_foreign"
    APPEAL_LAW_MISSING = "appeal.law_missing"
    ARGUMENT_CONCEDED_DISPUTED = "argument.conceded_disputed"
    ARGUMENT_UNRELATED_EVIDENCE = "argument.unrelated_evidence"
    ARGUMENT_VERDICT_MISMATCH = "argument.verdict_mismatch"
    CITATION_NO_VERSION = "citation.no_version"
    CLAIM_UNSUPPORTED = "claim.unsupported"
    CREDENTIAL_UNSUPPORTED = "credential.unsupported"
    CRITERIA_EVIDENCE_MISPLACED = "criteria.evidence_misplaced"
    GROUNDING_DOSE_NOT_IN_INPUTS = "grounding.dose_not_in_inputs"
    GROUNDING_DOSE_NOT_THE_DRUGS = "grounding.dose_not_the_drugs"
    GROUNDING_DRUG_NOT_IN_INPUTS = "grounding.drug_not_in_inputs"
    GROUNDING_NUMBER_IN_WORDS = "grounding.number_in_words"
    IDENTITY_CASE_MISMATCH = "identity.case_mismatch"
    IDENTITY_ID_MENTION = "identity.id_mention"
    IDENTITY_LOOKALIKE = "identity.lookalike"
    IDENTITY_UNKNOWN_NAME = "identity.unknown_name"
    LATERALITY_MISMATCH = "laterality.mismatch"
    LEGAL_WRONG_REGIME = "legal.wrong_regime"
    PHONE_NOT_PHYSICIANS = "phone.not_physicians"
    REQUEST_NOT_REVERSAL = "request.not_reversal"
    CITATION_NOT_RETRIEVED = "citation.not_retrieved"
    CITATION_OFF_TOPIC = "citation.off_topic"
    CITATION_REFERENCE_MISMATCH = "citation.reference_mismatch"
    CITATION_UNRESOLVED = "citation.unresolved"
    CITATION_UNUSED = "citation.unused"
    CODE_INVALID_FORMAT = "code.invalid_format"
    CODE_MISSING = "code.missing"
    CODE_NOT_IN_INPUTS = "code.not_in_inputs"
    CONSEQUENCES_MISSING = "consequences.missing"
    CRITERIA_NO_CITATION = "criteria.no_citation"
    CRITERIA_NO_EVIDENCE = "criteria.no_evidence"
    CRITERIA_UNANSWERED = "criteria.unanswered"
    DOSE_MISSING_FREQUENCY = "dose.missing_frequency"
    DOSE_MISSING_UNIT = "dose.missing_unit"
    DURATION_MISSING = "duration.missing"
    GROUNDING_UNSUPPORTED_NUMBER = "grounding.unsupported_number"
    ICD10_INVALID = "icd10.invalid"
    ICD10_MISMATCH = "icd10.mismatch"
    ICD10_MISSING = "icd10.missing"
    ICD10_NOT_BILLABLE = "icd10.not_billable"
    IDENTITY_MISMATCH = "identity.mismatch"
    IDENTITY_MISSING = "identity.missing"
    INJECTION_ECHO = "injection.echo"
    LENGTH_OVER_THREE_PAGES = "length.over_three_pages"
    NPI_INVALID = "npi.invalid"
    NPI_MISMATCH = "npi.mismatch"
    NPI_MISSING = "npi.missing"
    P2P_MISSING = "p2p.missing"
    P2P_NO_PHONE = "p2p.no_phone"
    PLACEHOLDER_LEFT = "placeholder.left"
    REQUEST_MISSING_CODE = "request.missing_code"
    REQUEST_APPROVED_CODE = "request.approved_code"
    STRUCTURE_MISSING_SECTION = "structure.missing_section"
    TONE_EMOTIONAL = "tone.emotional"
    VALIDATOR_INTERNAL_ERROR = "validator.internal_error"


def _excerpt(text: str) -> str:
    """A short excerpt of ``text`` (whitespace-normalized, at most 60 characters)."""
    text = norm_ws(text)
    return text if len(text) <= _EXCERPT_MAX else text[: _EXCERPT_MAX - 1] + "…"


def finding(
    code: FindingCode,
    message: str,
    severity: Severity = ERROR,
    span: Span | None = None,
    excerpt: str | None = None,
) -> ValidationFinding:
    """A finding; ``message`` names what is wrong without quoting the letter, ``excerpt`` is the
    offending token (never a sentence) and is shortened here."""
    return ValidationFinding(
        code=code,
        severity=severity,
        message=message,
        span=span,
        excerpt=_excerpt(excerpt) if excerpt else None,
    )
