"""Code formats shared by extraction and validation: NPI, CPT, HCPCS Level II, ICD-10-CM.

ICD-10-CM existence and billability come from the CMS code list that the ``simple-icd-10-cm``
package ships (April 2026 release); we read its plain code list directly, which takes ~50 ms,
instead of importing the package, which parses the full XML tabular (~2.5 s) at import.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path

# CPT: five digits (Category I), or four digits followed by F (II), T (III) or U (PLA).
CPT_RE = re.compile(r"(?<![\w.-])(\d{5}|\d{4}[FTU])(?![\w-])", re.ASCII)
# HCPCS Level II: a letter A-V (not I, O) and four digits.
HCPCS_RE = re.compile(r"(?<![\w.-])([A-HJ-NP-V]\d{4})(?![\w-])", re.ASCII)
# ICD-10-CM: letter, digit, alnum, then optionally a dot and 1-4 alnum characters, not inside a
# word. The pattern starts with its letter class so that the regex engine skips to candidate
# letters (a leading look-behind makes it try every position, ~2.5x slower); the look-behind
# after the letter checks the character before it.
ICD10_RE = re.compile(r"([A-TV-Z](?<![\w.-].)\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)(?![\w-])", re.ASCII)
NPI_RE = re.compile(r"(?<!\d)(\d{10})(?!\d)", re.ASCII)
# UB-04 revenue code: four digits in the ranges NUBC assigns: 0001-0999 (written with the leading
# zero, e.g. '0128' inpatient rehabilitation), 1000-1009 (behavioral health residential, e.g.
# '1001'), 2100-2109 (alternative therapy) and 3100-3109 (adult day care). A four-digit number
# outside them (a CPT code missing a digit, '2744') is not one.
REVENUE_RE = re.compile(r"(?<![\w.-])(0\d{3}|100\d|210\d|310\d)(?![\w-])", re.ASCII)
# All four are ASCII-only (re.ASCII): a fullwidth or Arabic-Indic digit or a Cyrillic letter is
# no part of a code, so a code written with one is not read as valid.


def npi_is_valid(npi: str) -> bool:
    """True for a 10-digit NPI whose check digit is right (Luhn over '80840' + first 9 digits)."""
    if not re.fullmatch(r"[0-9]{10}", npi or ""):
        return False
    digits = [int(c) for c in "80840" + npi[:9]]
    total = 0
    # Double every second digit from the right of the 14-digit payload.
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10 == int(npi[9])


def npi_check_digit(first9: str) -> str:
    """The check digit that completes a 9-digit NPI stem (for making synthetic test NPIs)."""
    for d in "0123456789":
        if npi_is_valid(first9 + d):
            return d
    raise ValueError(first9)


def normalize_icd10(code: str) -> str:
    """Dotted upper-case form: 'f332' -> 'F33.2'."""
    c = code.strip().upper().replace(".", "")
    return c if len(c) <= 3 else f"{c[:3]}.{c[3:]}"


@cache
def _icd10_list() -> tuple[str, ...]:
    """The CMS list shipped by simple-icd-10-cm, in its tabular order: chapter numbers, blocks
    ('M15-M19'), then every code of the block (dotless); a block made of one category is
    listed twice ('B10' as the block, then as the category)."""
    # find_spec locates the package without importing it (its import parses the XML).
    spec = find_spec("simple_icd_10_cm")
    assert spec is not None and spec.origin is not None, "simple-icd-10-cm is not installed"
    path = Path(spec.origin).parent / "data" / "code-list-April-2026.txt"
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line)


@cache
def _icd10_blocks() -> dict[str, str]:
    """Category (three characters) -> the block it is in ('M17' -> 'M15-M19')."""
    listed = _icd10_list()
    blocks: dict[str, str] = {}
    block = ""
    for i, code in enumerate(listed):
        if code.isdigit():  # a chapter
            block = ""
        elif "-" in code or (i + 1 < len(listed) and listed[i + 1] == code):
            block = code  # a block, or a one-category block before its category
        elif block:
            blocks.setdefault(code[:3], block)
    return blocks


def icd10_block(code: str) -> str:
    """The ICD-10-CM block of a code ('M1711' or 'M17.11' -> 'M15-M19'), as simple-icd-10-cm's
    ``get_ancestors(code)[-2]`` gives it, without importing that package (its import parses
    the whole XML tabular: ~2.5 s of every process); the first three characters when the code
    set does not know the code (or it is a block or a chapter)."""
    dotless = code[:3] + code[4:] if len(code) > 4 and code[3] == "." else code
    if dotless in _icd10_table()[0]:
        return _icd10_blocks().get(code[:3], code[:3])
    return code[:3]


@cache
def _icd10_table() -> tuple[frozenset[str], frozenset[str]]:
    """(all codes, billable codes), dotless, from the CMS list shipped by simple-icd-10-cm."""
    codes = [c for c in _icd10_list() if "-" not in c and not c.isdigit()]
    all_codes = frozenset(codes)
    # A code is billable when no other code extends it (a leaf of the hierarchy).
    prefixes = {c[:n] for c in all_codes for n in range(3, len(c))}
    return all_codes, frozenset(c for c in all_codes if c not in prefixes)


def icd10_exists(code: str) -> bool:
    """True when the code is in the ICD-10-CM code set (any level)."""
    return normalize_icd10(code).replace(".", "") in _icd10_table()[0]


def icd10_is_billable(code: str) -> bool:
    """True when the code is a billable (most specific) ICD-10-CM code."""
    return normalize_icd10(code).replace(".", "") in _icd10_table()[1]


def is_cpt(code: str) -> bool:
    return bool(re.fullmatch(r"[0-9]{5}|[0-9]{4}[FTU]", code))


def is_hcpcs(code: str) -> bool:
    return bool(re.fullmatch(r"[A-HJ-NP-V][0-9]{4}", code))


UNLISTED_CODES = frozenset(
    {
        # HCPCS Level II "not otherwise classified" drugs, devices and supplies
        "J3490", "J3590", "J7599", "J7699", "J7799", "J7999", "J8499", "J8597", "J8999",
        "J9999", "C9399", "A9999", "E1399", "L3999", "L8699", "A4649", "K0108", "S9999",
        # CPT unlisted procedures most often billed
        "64999", "20999", "22899", "22999", "27299", "27599", "27899", "29999", "43999",
        "47999", "49999", "58999", "67299", "69399", "69799", "76499", "76999",
        "96999", "97799", "99199",
    }
)  # fmt: skip
"""Codes that name no particular service (an unclassified drug, an unlisted procedure): a
passage or a request sharing one shares no treatment."""


def is_unlisted(code: str) -> bool:
    """True for a 'not otherwise classified' HCPCS code or an unlisted CPT procedure code."""
    return code.strip().upper() in UNLISTED_CODES


def is_revenue(code: str) -> bool:
    """True for a UB-04 revenue code: four digits, e.g. '0128' (a facility's service line)."""
    return bool(REVENUE_RE.fullmatch(code.strip()))
