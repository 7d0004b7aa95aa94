"""Case-file values the letter cannot use, found before drafting.

The drafter copies the case file's doses, frequencies, durations and codes into the letter, and
the validator then judges the letter. A value the validator would reject is therefore a problem
of the case file, and is reported here, as a gap naming the field and what to write, before
anything is drafted: with the validator's own predicates, so that the two cannot disagree.
Messages name paths, never patient data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .codes import icd10_exists, icd10_is_billable, is_cpt, is_hcpcs, is_revenue, normalize_icd10
from .evidence import treatment_period
from .letter_format import PLACEHOLDER
from .models import CaseFacts, Gap
from .validate.checks.prose import CONSEQUENCES_MIN_WORDS, is_substantive
from .validate.checks.treatments import has_dose, has_duration_text, has_frequency

DOSE_EXAMPLES = '"200 mg", "2 puffs", "1 drop", "1 application", "thin layer", "per sliding scale"'


def _gap(field: str, what: str, message: str) -> Gap:
    return Gap(field=field, message=message, placeholder=PLACEHOLDER.format(what=what))


def _treatment_problems(case: CaseFacts) -> Iterator[Gap]:
    for i, t in enumerate(case.prior_treatments):
        path = f"prior_treatments[{i}]"
        if t.kind == "medication" and t.dose and not has_dose(t.dose):
            yield _gap(
                f"{path}.dose",
                f"dose of {t.name} with a unit",
                f"Prior treatment {i + 1} (a medication) has a dose without an amount: write "
                f"{path}.dose with its unit or form, e.g. {DOSE_EXAMPLES}.",
            )
        if (
            t.kind == "medication"
            and t.frequency
            and not has_frequency(f"{t.dose or ''} {t.frequency}")
        ):
            yield _gap(
                f"{path}.frequency",
                f"frequency of {t.name}",
                f"Prior treatment {i + 1} (a medication) has a frequency that says not how "
                f'often: write {path}.frequency, e.g. "once daily", "every 2 weeks", "as needed".',
            )
        # The letter's Duration cell: the duration, then the dates (as the drafter writes it).
        cell = f"{t.duration} ({treatment_period(t, joiner=' – ', lead='')})"
        if t.duration and not (t.start and t.end) and not has_duration_text(cell):
            yield _gap(
                f"{path}.duration",
                f"duration of {t.name}",
                f"Prior treatment {i + 1} has a duration that says not how long: write "
                f'{path}.duration, e.g. "12 weeks", or give {path}.start and {path}.end.',
            )


def _code_problems(case: CaseFacts) -> Iterator[Gap]:
    for i, dx in enumerate(case.diagnoses):
        path = f"diagnoses[{i}].code"
        code = normalize_icd10(dx.code)
        if not icd10_exists(code):
            yield _gap(
                path,
                "ICD-10-CM code",
                f"Diagnosis {i + 1}'s code is not an ICD-10-CM code: write {path} as in the "
                'code book, e.g. "F33.2".',
            )
        elif not icd10_is_billable(code):
            yield _gap(
                path,
                "billable ICD-10-CM code",
                f"Diagnosis {i + 1}'s code is a category, not a billable code: write {path} "
                'with all its characters, e.g. "F33.2" rather than "F33".',
            )
    code = (case.service.code or "").strip()
    if (
        code
        and not (is_cpt(code) or is_hcpcs(code) or is_revenue(code))
        and not names_product(case)
    ):
        yield _gap(
            "service.code",
            "CPT, HCPCS or revenue code",
            "The service code is neither CPT, HCPCS nor a revenue code: write service.code as a "
            'CPT code (5 digits, e.g. "27447"), a HCPCS code (a letter and 4 digits, e.g. '
            '"J0135") or a UB-04 revenue code (4 digits, e.g. "0128"), or leave it out for a '
            "pharmacy-benefit drug.",
        )


def service_code(case: CaseFacts) -> str | None:
    """The case's service code when it is one (CPT, HCPCS or revenue); None when the field is
    empty or names the product instead ('Cosentyx': a pharmacy drug has no such code)."""
    code = (case.service.code or "").strip()
    if not code or (
        names_product(case) and not (is_cpt(code) or is_hcpcs(code) or is_revenue(code))
    ):
        return None
    return code


def names_product(case: CaseFacts) -> bool:
    """The service code field holds the product's name, not a code: its words are the start of
    the service's description ('Cosentyx' for 'Cosentyx (secukinumab) 150 mg/mL pen')."""
    code = (case.service.code or "").strip().casefold()
    described = (case.service.description or "").casefold()
    named = bool(code) and not any(ch.isdigit() for ch in code) and code in described
    return named and _STRENGTH_RE.search(described) is not None  # a drug, not 'MRI'


_STRENGTH_RE = re.compile(r"\b\d+(?:\.\d+)?\s*(?:mg|mcg|g|units?|iu|ml)\b", re.IGNORECASE)
"""A drug's strength in its description ('150 mg/mL'): the product a code field may name."""


def _prose_problems(case: CaseFacts) -> Iterator[Gap]:
    text = case.consequences_of_denial
    if text and not is_substantive(text):
        yield _gap(
            "consequences_of_denial",
            "consequences of denial",
            f"The consequences of denial are too short for the letter's section: write "
            f"consequences_of_denial in {CONSEQUENCES_MIN_WORDS} words or more (what happens to "
            "the patient's health, function and work without the service).",
        )


def case_problems(case: CaseFacts) -> list[Gap]:
    """Each case-file value the letter could not use as written, as a gap that names its field."""
    return [*_treatment_problems(case), *_code_problems(case), *_prose_problems(case)]
