"""Codes and numbers with a check digit or a code set: NPI, ICD-10-CM, CPT/HCPCS."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ... import letter_format as lf
from ...codes import (
    CPT_RE,
    HCPCS_RE,
    ICD10_RE,
    icd10_exists,
    icd10_is_billable,
    is_cpt,
    is_hcpcs,
    normalize_icd10,
    npi_is_valid,
)
from ...models import ValidationFinding
from ...text.normalize import norm_id
from .._context import Context
from .._findings import FindingCode, finding
from .._registry import Scope, check

_CODE_LABEL_RE = re.compile(
    r"\b(?:CPT|HCPCS)\b®?(?:[ \t:#]|\bLevel[ \t]+II\b|\bcodes?\b)*\b([A-Za-z]?[0-9][A-Za-z0-9.]*)"
)


@check(
    Scope.letter, codes=[FindingCode.NPI_MISSING, FindingCode.NPI_INVALID, FindingCode.NPI_MISMATCH]
)
def check_npi(ctx: Context) -> list[ValidationFinding]:
    """The NPI in the identification table and in the signature: present, valid, the case's."""
    expected = (ctx.draft.case.physician.npi or "").strip()
    places = (
        ("the identification table", ctx.doc.identification.get(lf.ID_NPI.casefold())),
        ("the signature block", ctx.doc.signature.get(lf.SIG_NPI.casefold())),
    )
    out = []
    for where, found in places:
        value = re.sub(r"[\s-]", "", found.value) if found else ""
        if not value or lf.PLACEHOLDER_RE.search(found.value if found else ""):
            out.append(finding(FindingCode.NPI_MISSING, f"No physician NPI in {where}."))
        elif not npi_is_valid(value):
            out.append(
                finding(
                    FindingCode.NPI_INVALID,
                    f"The NPI in {where} is not 10 digits with a valid check digit.",
                    span=found.span if found else None,
                    excerpt=found.value if found else None,
                )
            )
        elif expected and value != expected:
            out.append(
                finding(
                    FindingCode.NPI_MISMATCH,
                    f"The NPI in {where} differs from the case file's physician NPI.",
                    span=found.span if found else None,
                    excerpt=found.value if found else None,
                )
            )
    return out


def _icd10_candidates(ctx: Context) -> Iterator[tuple[str, re.Match[str], bool]]:
    """(normalized code, match, in Diagnosis section) for every ICD-10-looking token.

    Outside the Diagnosis section a dotless three-character token counts only when it is a real
    category, so that "A1C" or "B12" are not taken for codes; reference ids are masked.
    """
    described = _in_descriptions(ctx)
    for m in ICD10_RE.finditer(ctx.masked_body):
        raw = m.group(1)
        in_dx = ctx.doc.in_section(lf.DIAGNOSIS, m.start())
        if ctx.doc.in_section(lf.REFERENCES, m.start()) or normalize_icd10(raw) in described:
            continue
        if not in_dx and "." not in raw and not icd10_exists(raw):
            continue
        yield normalize_icd10(raw), m, in_dx


def _in_descriptions(ctx: Context) -> set[str]:
    """Code-like tokens the physician wrote inside a diagnosis description ('(T12)' for a
    vertebra) that are no ICD-10-CM code at all: description text the letter repeats, never a
    code it asserts. A real code named in a description is still checked (review37 F1)."""
    diagnoses = ctx.draft.case.diagnoses
    codes = {normalize_icd10(d.code) for d in diagnoses}
    written = _code_tokens(*(d.description or "" for d in diagnoses))
    return {c for c in written - codes if not icd10_exists(c)}


def _code_tokens(*texts: str) -> set[str]:
    """The ICD-10-looking tokens of ``texts``, normalized."""
    return {normalize_icd10(m.group(1)) for text in texts for m in ICD10_RE.finditer(text)}


def _category_of(code: str, allowed: set[str]) -> bool:
    """``code`` is the category (or a subcategory) of one of the ``allowed`` codes: 'D50'
    of the case's 'D50.0'. Outside the Diagnosis section that names the patient's diagnosis
    less precisely, no other one; a code more precise than the case's is still a mismatch."""
    bare = code.replace(".", "")
    return any(a.replace(".", "").startswith(bare) for a in allowed)


def _written_in_inputs(ctx: Context) -> set[str]:
    """Code-like tokens the case file's text or the denial writes, e.g. the 'F18' of a tracer
    name: outside the Diagnosis section the letter may repeat them, as it repeats any fact."""
    return _code_tokens(ctx.draft.case.model_dump_json(), ctx.draft.letter_text)


@check(
    Scope.section,
    codes=[
        FindingCode.ICD10_INVALID,
        FindingCode.ICD10_NOT_BILLABLE,
        FindingCode.ICD10_MISMATCH,
        FindingCode.ICD10_MISSING,
    ],
)
def check_icd10(ctx: Context) -> list[ValidationFinding]:
    """ICD-10-CM codes exist, are billable in the Diagnosis section, and come from the inputs."""
    out: list[ValidationFinding] = []
    seen: set[tuple[str, str]] = set()

    def add(code: FindingCode, key: str, message: str, m: re.Match[str]) -> None:
        if (code, key) not in seen:
            seen.add((code, key))
            out.append(finding(code, message, span=m.span(1), excerpt=m.group(1)))

    dx_codes: set[str] = set()
    for code, m, in_dx in _icd10_candidates(ctx):
        if in_dx:
            dx_codes.add(code)
        if not icd10_exists(code):
            add(
                FindingCode.ICD10_INVALID,
                code,
                "An ICD-10-CM code in the letter is not in the code set.",
                m,
            )
            continue
        if in_dx and not icd10_is_billable(code):
            add(
                FindingCode.ICD10_NOT_BILLABLE,
                code,
                "A diagnosis code is a category header, not a billable ICD-10-CM code.",
                m,
            )
        if (
            code not in ctx.icd10_allowed
            and (in_dx or not _category_of(code, ctx.icd10_allowed))
            and (in_dx or code not in _written_in_inputs(ctx))
        ):
            add(
                FindingCode.ICD10_MISMATCH,
                code,
                "An ICD-10-CM code in the letter is neither in the case file nor the denial.",
                m,
            )
    diagnoses = ctx.draft.case.diagnoses
    primary = normalize_icd10(diagnoses[0].code) if diagnoses else None
    if primary and lf.DIAGNOSIS in ctx.doc.sections and primary not in dx_codes:
        out.append(
            finding(
                FindingCode.ICD10_MISSING,
                "The case's primary diagnosis code is not in the Diagnosis section.",
            )
        )
    return out


@check(
    Scope.letter,
    codes=[
        FindingCode.CODE_INVALID_FORMAT,
        FindingCode.CODE_NOT_IN_INPUTS,
        FindingCode.CODE_MISSING,
    ],
)
def check_service_codes(ctx: Context) -> list[ValidationFinding]:
    """CPT/HCPCS codes of the Requested service section are well-formed and from the inputs."""
    sec = ctx.doc.section(lf.REQUESTED_SERVICE)
    if sec is None:
        return []
    md, out = ctx.markdown, []
    for m in _CODE_LABEL_RE.finditer(md, sec.body_start, sec.end):
        token = m.group(1).rstrip(".")
        if not (is_cpt(token) or is_hcpcs(token)):
            out.append(
                finding(
                    FindingCode.CODE_INVALID_FORMAT,
                    "A code labelled CPT/HCPCS is neither a CPT (5 digits or 4 + F/T/U) "
                    "nor a HCPCS Level II (letter + 4 digits) code.",
                    span=m.span(1),
                    excerpt=token,
                )
            )
    found: set[str] = set()
    seen: set[str] = set()
    for regex in (CPT_RE, HCPCS_RE):
        for m in regex.finditer(md, sec.body_start, sec.end):
            if m.start() > 0 and md[m.start() - 1] == "$":
                continue
            code = norm_id(m.group(1))
            found.add(code)
            if code not in ctx.service_codes_allowed and code not in seen:
                seen.add(code)
                out.append(
                    finding(
                        FindingCode.CODE_NOT_IN_INPUTS,
                        "A service code is named neither by the denial nor by the case file.",
                        span=m.span(1),
                        excerpt=m.group(1),
                    )
                )
    service = ctx.draft.case.service.code
    if service and norm_id(service) not in found and norm_id(service) not in norm_id(sec.body):
        out.append(
            finding(
                FindingCode.CODE_MISSING, "The case's service code is not in the Requested service."
            )
        )
    return out
