"""Find the facts a letter needs that the inputs do not give.

A gap names the case-file path that would fill it (``Gap.field``), says in one sentence what to
add (``Gap.message``) and carries the bracketed placeholder a DRAFT shows in its place
(``Gap.placeholder``). Messages name paths, never patient data, so they are safe to print.

Some facts may come from either the case file or the denial analysis (member id, claim
reference, insurer, service code); :func:`resolve` picks one so that the gap finder and the
drafter agree on which value the letter uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from . import letter_format as lf
from .casecheck import case_problems, service_code
from .codes import npi_is_valid
from .letter_format import CHECK_PLACEHOLDER, PLACEHOLDER
from .models import (
    CaseFacts,
    CriterionArgument,
    DenialAnalysis,
    Gap,
    PriorTreatment,
    RequirementKind,
)

if TYPE_CHECKING:
    from .reasoning.verdicts import CriterionVerdict

CRITERION_PREVIEW_CHARS = 60
"""How much of a criterion's text a gap message quotes."""


class Resolved(NamedTuple):
    """Facts that the case file gives or, failing that, the denial analysis."""

    member_id: str | None
    claim_reference: str | None
    insurer: str | None
    service_code: str | None


def resolve(analysis: DenialAnalysis, case: CaseFacts) -> Resolved:
    """The value the letter uses for each fact the case or the analysis may give (case first)."""
    letter_codes = [*analysis.cpt_codes, *analysis.hcpcs_codes]
    return Resolved(
        member_id=case.patient.member_id or analysis.member_id,
        claim_reference=case.claim_reference or analysis.claim_number,
        insurer=case.insurer or analysis.insurer,
        service_code=service_code(case) or (letter_codes[0] if letter_codes else None),
    )


def placeholder(what: str) -> str:
    """The bracketed text a DRAFT shows for a missing fact."""
    return PLACEHOLDER.format(what=what)


def _gap(field: str, what: str, message: str) -> Gap:
    return Gap(field=field, message=message, placeholder=placeholder(what))


def _missing(field: str, what: str, subject: str, *, or_letter: bool = False) -> Gap:
    """A gap for a fact that is simply absent."""
    where = "the case file or the denial letter" if or_letter else "the case file"
    return _gap(field, what, f"{subject} is missing from {where}: add {field} to the case file.")


# (path, placeholder text, subject of the message) for the facts only the case file gives.
_CASE_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("patient.name", "patient name", "The patient's name"),
    ("patient.date_of_birth", "patient date of birth", "The patient's date of birth"),
    ("physician.name", "physician name", "The physician's name"),
    ("physician.credentials", "physician credentials", "The physician's credentials"),
    ("physician.license", "physician state licence", "The physician's state licence"),
    ("physician.phone", "physician phone", "The physician's phone number (for peer-to-peer)"),
    ("physician.address", "practice address", "The practice address"),
    ("service.description", "service description", "The requested service's description"),
    ("clinical_summary", "clinical summary", "The clinical summary"),
    ("consequences_of_denial", "consequences of denial", "The consequences of denial"),
)

# (path, placeholder text, subject, Resolved attribute) for facts the letter may also give.
_SHARED_FIELDS: tuple[tuple[str, str, str, str], ...] = (
    ("patient.member_id", "member ID", "The member ID", "member_id"),
    ("claim_reference", "claim reference number", "The claim reference number", "claim_reference"),
    ("insurer", "health plan", "The health plan's name", "insurer"),
    ("service.code", "service code", "The requested service's CPT or HCPCS code", "service_code"),
)


def _value_at(case: CaseFacts, path: str) -> object:
    """The value at a dotted path of the case file ('physician.npi')."""
    value: object = case
    for part in path.split("."):
        value = getattr(value, part)
    return value


def _case_gaps(case: CaseFacts) -> Iterator[Gap]:
    for path, what, subject in _CASE_FIELDS:
        if not _value_at(case, path):
            yield _missing(path, what, subject)


def _shared_gaps(analysis: DenialAnalysis, case: CaseFacts) -> Iterator[Gap]:
    resolved = resolve(analysis, case)
    for path, what, subject, attribute in _SHARED_FIELDS:
        if attribute == "service_code" and _is_uncoded_drug(analysis, case):
            continue
        if not getattr(resolved, attribute):
            yield _missing(path, what, subject, or_letter=True)


def _is_uncoded_drug(analysis: DenialAnalysis, case: CaseFacts) -> bool:
    """A pharmacy-benefit drug has no CPT/HCPCS code: neither the letter nor the case gives one,
    and the case describes the service. Then the description alone identifies it."""
    return bool(
        case.service.description
        and not service_code(case)
        and not analysis.cpt_codes
        and not analysis.hcpcs_codes
    )


def npi_gap(npi: str | None) -> Gap | None:
    """The gap for a missing or invalid NPI, or None when it is present and valid."""
    field = "physician.npi"
    if not npi:
        return _missing(field, "physician NPI", "The physician's NPI")
    if npi_is_valid(npi):
        return None
    # the case gives a number: the marker shows it and says what is wrong with it, so the
    # physician confirms or corrects it (it is not missing)
    if not (npi.isdigit() and len(npi) == 10):
        message = f"The physician's NPI is not ten digits: correct {field} in the case file."
        what = f"NPI {npi} is not ten digits; correct {field}"
    else:
        message = (
            f"The physician's NPI has a wrong check digit (a typo?): correct {field} "
            "in the case file."
        )
        what = f"NPI {npi} fails the NPI check digit; confirm {field}"
    return Gap(field=field, message=message, placeholder=CHECK_PLACEHOLDER.format(what=what))


def _diagnosis_gaps(case: CaseFacts) -> Iterator[Gap]:
    if not case.diagnoses:
        yield _gap(
            "diagnoses",
            "diagnosis with ICD-10-CM code",
            "No diagnosis is given: add diagnoses (ICD-10-CM code and description) "
            "to the case file.",
        )


def has_duration(treatment: PriorTreatment) -> bool:
    """True when the treatment's duration is known (as text, as start and end dates, or as a
    start date of a treatment still going on)."""
    return bool(treatment.duration or (treatment.start and treatment.end) or treatment.ongoing)


_FREQUENCY_RE = re.compile(
    r"\b(?:daily|nightly|weekly|monthly|hourly|once|twice|three times|every|each|per day|a day|"
    r"/day|/week|bid|tid|qid|qd|qhs|qam|qpm|q\d+h|prn|as needed)\b",
    re.IGNORECASE,
)
"""Words of a dose that say how often ('50 mg twice daily', '10 mg every other day')."""


def _treatment_gaps(index: int, treatment: PriorTreatment) -> Iterator[Gap]:
    path = f"prior_treatments[{index}]"
    label = f"Prior treatment {index + 1}"
    if treatment.kind == "medication":
        for attribute in ("dose", "frequency"):
            if attribute == "frequency" and _FREQUENCY_RE.search(treatment.dose or ""):
                continue  # '50 mg twice daily': the dose states how often
            if not getattr(treatment, attribute):
                # the marker stands in the treatment's own row: it names the field, not the
                # treatment again
                yield _gap(
                    f"{path}.{attribute}",
                    attribute,
                    f"{label} (a medication) has no {attribute}: add {path}.{attribute} "
                    "to the case file.",
                )
    if not has_duration(treatment):
        yield _gap(
            f"{path}.duration",
            "end date or duration",
            f"{label} has neither a duration nor start and end dates: add {path}.duration "
            f"(or {path}.start and {path}.end) to the case file.",
        )


def find_gaps(analysis: DenialAnalysis, case: CaseFacts) -> list[Gap]:
    """Every fact the letter needs that neither the case file nor the denial analysis gives."""
    gaps = [*_shared_gaps(analysis, case), *_case_gaps(case), *_diagnosis_gaps(case)]
    npi = npi_gap(case.physician.npi)
    if npi:
        gaps.append(npi)
    for index, treatment in enumerate(case.prior_treatments):
        gaps.extend(_treatment_gaps(index, treatment))
    return gaps + case_problems(case)


def criterion_gap(analysis: DenialAnalysis, index: int) -> Gap:
    """The gap for a criterion that no fact of the case answers."""
    text = analysis.criteria[index].text
    preview = text if len(text) <= CRITERION_PREVIEW_CHARS else text[:CRITERION_PREVIEW_CHARS] + "…"
    return _gap(
        f"criteria[{index}]",
        "evidence that meets this criterion (prior_treatments or objective_findings)",
        f'No fact in the case file answers criterion {index + 1} ("{preview}"): '
        "add the prior treatments or findings that meet it.",
    )


def criterion_gaps(analysis: DenialAnalysis, arguments: list[CriterionArgument]) -> list[Gap]:
    """A gap for each criterion whose argument is absent or relies on no case fact."""
    answered = {a.criterion_index for a in arguments if a.evidence}
    return [criterion_gap(analysis, i) for i in range(len(analysis.criteria)) if i not in answered]


def requirement_gaps(verdicts: list[CriterionVerdict]) -> list[Gap]:
    """A gap for each checkable requirement the record does not meet or does not show, in a
    criterion that is not met as a whole (not called met by the payer, not conceded).

    The message names the case field that would answer it, and how to concede it instead.
    """
    from .reasoning.verdicts import CHECKABLE, shown

    # a duration or dose across several named classes is computed from one course at a time
    # (a shortfall there is shown in the letter's comparison, not a gap that stops drafting)
    BLOCKING = CHECKABLE - {RequirementKind.duration, RequirementKind.dose_adequacy}

    ordered = sorted(verdicts, key=lambda v: v.index)
    whole = [v.index for v in ordered] == list(range(len(ordered)))
    names = lf.criterion_names([v.criterion for v in ordered]) if whole else []
    gaps: list[Gap] = []
    for verdict in verdicts:
        # a shortfall stops drafting when the criterion is computed not met as a whole (with
        # 'any' logic, an alternative the record may still meet leaves it open)
        if verdict.status != "not_met" or verdict.payer_met or verdict.conceded:
            continue
        if verdict.alternative:  # not relied on: another of the alternatives is met
            continue
        for number, rv in enumerate(verdict.requirements, start=1):
            # an "unknown" one (no structured fact the code can check) is argued from the facts
            # that share its words; a criterion no fact answers is a gap of its own
            if rv.status != "not_met" or rv.conceded or rv.requirement.kind not in BLOCKING:
                continue
            if rv.field is None:  # computed from a fact no case field changes (an age)
                continue
            if rv not in shown(verdict):
                continue
            n = verdict.index + 1
            # the letter names it by the payer's label when every criterion has one
            name = names[verdict.index] if verdict.index < len(names) else str(n)
            state = "is not met" if rv.status == "not_met" else "is not shown"
            gaps.append(
                _gap(
                    f"criteria[{verdict.index}].requirements[{number - 1}]",
                    f"evidence for criterion {name}: {rv.required}"
                    + (f" ({rv.field})" if rv.field else ""),
                    f"Criterion {n}{'' if name == str(n) else f' ({name})'}, requirement "
                    f"{number} ({rv.required}) {state} by the case "
                    f"file: add {rv.field or 'the facts that answer it'} to the case file, or "
                    f"concede it (conceded: [{{criterion: {n}, requirement: {number}}}]).",
                )
            )
    return gaps
