"""Checks of the criterion sections an engine wrote, as the pipeline's re-draft loop needs them.

A section has a problem when its criterion got no section, when it names no fact of the record,
or when the validator's section checks (``validate.criterion_errors``) find an error inside it
once the letter is rendered (as ``draft.assemble`` renders it, with the case's gaps, on the
letter's date; a section without evidence is already a problem, so the gaps ``assemble`` adds for
such sections are not added here: ``draft.case_gaps`` only). Each problem is worded for the
engine: the re-draft request carries it (``ArgumentRequest.feedback``).
"""

from __future__ import annotations

from .draft import case_gaps, letter_draft
from .engines.base import ArgumentRequest
from .models import CriterionArgument, RunInfo, ValidationFinding
from .validate import Inputs, advice_for, criterion_errors

Problems = dict[int, list[str]]
"""Criterion index -> what is wrong with its section, as told to the engine."""


def section_problems(
    request: ArgumentRequest,
    written: dict[int, CriterionArgument],
    engine: str,
    inputs: Inputs | None = None,
) -> Problems:
    """What is wrong with each criterion's section (criteria without a section included).
    ``inputs``: the request's context as the validator reads it, kept by the caller for every
    round (else read again)."""
    found: Problems = {}
    for index in range(len(request.analysis.criteria)):
        argument = written.get(index)
        if argument is None:
            found[index] = ["no section was returned for this criterion"]
        elif not argument.evidence:
            found[index] = ["it names no fact of the record: use the listed facts, by id"]
    for index, message in _validator_errors(request, written, engine, inputs):
        if index in written:
            found.setdefault(index, []).append(message)
    return found


def _validator_errors(
    request: ArgumentRequest,
    written: dict[int, CriterionArgument],
    engine: str,
    inputs: Inputs | None,
) -> list[tuple[int, str]]:
    """Validator errors inside criterion sections, as (criterion index, message)."""
    if not written:
        return []
    assert request.today is not None  # the pipeline always dates its requests
    gaps = case_gaps(request.analysis, request.case, request.verdicts)
    run = RunInfo(engine=engine, created=request.today)
    draft = letter_draft(request, list(written.values()), gaps, run)
    errors = criterion_errors(draft, inputs)
    return [(number - 1, advice(finding)) for number, finding in errors]


def advice(finding: ValidationFinding) -> str:
    """What to tell the engine about a validator error in its section: the advice its check
    declared for the code (``pipeline.validate``'s registry), else the code and message."""
    excerpt = f"'{finding.excerpt}'" if finding.excerpt else "a value"
    template = advice_for(finding.code)
    return template.format(excerpt=excerpt) if template else f"{finding.code}: {finding.message}"
