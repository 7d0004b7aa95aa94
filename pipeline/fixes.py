"""What to fix for each validator finding: the case field (or letter section) and what to write.

The validator says what is wrong with a letter; an advocate needs to know where to change it. A
finding is located here, without re-validating anything:

- the case-file field: the entry of ``fixes.yaml`` for its code names the field; a ``{i}`` in it is
  the index of the case entry the finding is about (the treatment named in the table row the
  finding points at, the diagnosis whose code it quotes). When the table of fixes names no field,
  a case field whose text holds the finding's excerpt is named (the excerpt came from there);
- the letter section: the level-2 heading of the section its span falls in.

:func:`explain` returns the report with ``field``, ``section`` and ``fix`` filled in, and
:func:`describe` writes one finding as one line. Both name paths and headings, never patient data.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from . import letter_format as lf
from .codes import normalize_icd10
from .fileio import load_yaml
from .models import CaseFacts, Draft, ValidationFinding, ValidationReport

FIXES_FILE = Path(__file__).with_name("fixes.yaml")


class Fix(BaseModel):
    """One entry of fixes.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str | None = None
    """Case-file path that fixes it; '{i}' stands for the index of the entry concerned."""
    write: str
    """What to write there, addressed to the advocate."""


@cache
def fixes() -> dict[str, Fix]:
    """Finding code -> Fix, from fixes.yaml."""
    data = load_yaml(FIXES_FILE.read_text(encoding="utf-8"))
    return {code: Fix.model_validate(entry) for code, entry in data.items()}


GENERIC_FIX = (
    "Edit the marked text in the letter, or correct the case-file fact it came from and draft "
    "again."
)


def fix_for(code: str) -> Fix:
    """The fix for a code: fixes.yaml's, else the advice its check declares for models."""
    fix = fixes().get(code)
    if fix is None:
        from .validate import advice_for

        advice = advice_for(code)
        if advice:
            first = advice.replace("{excerpt}", "the marked text").split(";")[-1].strip()
            fix = Fix(write=first[:1].upper() + first[1:].rstrip(".") + ".")
        else:  # a check added since fixes.yaml was written: say where to look
            fix = Fix(write=GENERIC_FIX)
    return fix


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _strings(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) of every text value of a dumped case file, in file order."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")
    elif isinstance(value, str) and value:
        yield path, value


def field_holding(case: CaseFacts, excerpt: str) -> str | None:
    """The first case field whose text contains ``excerpt`` (case- and space-insensitive)."""
    wanted = _norm(excerpt)
    if not wanted:
        return None
    for path, text in _strings(case.model_dump(mode="json")):
        if wanted in _norm(text):
            return path
    return None


def section_at(markdown: str, pos: int) -> str | None:
    """The level-2 heading of the section that holds offset ``pos``."""
    for m, end in lf.section_bounds(markdown):
        if m.start() <= pos < end:
            return lf.section_name(m.group(1))
    return None


def _row_treatment(markdown: str, pos: int, case: CaseFacts) -> int | None:
    """Index of the case's prior treatment named in the table row at ``pos``."""
    start = markdown.rfind("\n", 0, pos) + 1
    end = markdown.find("\n", pos)
    cells = [c.strip() for c in markdown[start : end if end >= 0 else None].strip("|").split("|")]
    if not cells or not cells[0]:
        return None
    cell = _norm(cells[0].replace("*", ""))
    best: tuple[int, int] | None = None  # (length of name, index): the longest name that fits
    for i, treatment in enumerate(case.prior_treatments):
        name = _norm(treatment.name)
        if name and cell.startswith(name) and (best is None or len(name) > best[0]):
            best = (len(name), i)
    return best[1] if best else None


def _diagnosis_index(case: CaseFacts, excerpt: str | None) -> int | None:
    if not excerpt:
        return None
    code = normalize_icd10(excerpt)
    for i, dx in enumerate(case.diagnoses):
        if normalize_icd10(dx.code) == code:
            return i
    return None


def _entry_index(finding: ValidationFinding, draft: Draft) -> int | None:
    """The list index ``{i}`` of a finding's field stands for, when it can be told."""
    area = finding.code.split(".", 1)[0]
    if area in ("dose", "duration") and finding.span:
        return _row_treatment(draft.markdown, finding.span[0], draft.case)
    if area == "icd10":
        return _diagnosis_index(draft.case, finding.excerpt)
    return None


def locate(finding: ValidationFinding, draft: Draft) -> tuple[str | None, str | None]:
    """(case-file field, letter section) that a finding is about; either may be unknown."""
    section = section_at(draft.markdown, finding.span[0]) if finding.span else None
    field = fix_for(finding.code).field
    if field and "{i}" in field:
        index = _entry_index(finding, draft)
        field = field.split("[{i}]")[0] if index is None else field.replace("{i}", str(index))
    if finding.excerpt and (field is None or "[" not in field):
        holder = field_holding(draft.case, finding.excerpt)
        if holder and (field is None or holder.startswith(field)):
            field = holder
    return field, section


def explain(report: ValidationReport, draft: Draft) -> ValidationReport:
    """The report with each finding's field, section and fix filled in."""
    findings = []
    for f in report.findings:
        field, section = locate(f, draft)
        fix = fix_for(f.code)
        update = {"field": field, "section": section, "fix": fix.write}
        findings.append(f.model_copy(update=update))
    return report.model_copy(update={"findings": findings})


def describe(finding: ValidationFinding) -> str:
    """One line: where to fix it, what is wrong, what to write."""
    where = []
    if finding.field:
        where.append(f"case file {finding.field}")
    if finding.section:
        where.append(f"letter section '{finding.section}'")
    head = f"{finding.severity.value} {finding.code}"
    if where:
        head += f" ({', '.join(where)})"
    text = f"{head}: {finding.message}"
    return f"{text} {finding.fix}" if finding.fix else text
