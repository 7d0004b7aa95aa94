"""Structured facts from a denial letter: deterministic rules first, then the engine.

``extract_facts`` reads ids, dates, codes, plan type, deadline and offers with regexes only.
``extract`` adds the engine's reading of the prose (categories, criteria) and then enforces
provenance: every id, code and criterion must occur in the letter. Logs never carry letter text.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import TypeAdapter, ValidationError

from .appeal import all_specs, next_level_due
from .claim_lines import denial_on, paid_line, partial_line, pipe_cells, read_count, status_of
from .codes import CPT_RE, HCPCS_RE, ICD10_RE, icd10_exists, normalize_icd10
from .criteria_rules import (
    Reading,
    find_preferred_alternatives,
    read_criteria,
    read_groups,
    read_rules,
    reading,
)
from .engines.base import AnalysisRequest, AnalysisResponse, Engine
from .engines.offline import OfflineEngine
from .grounds import read_ground, the_ground_itself
from .injection import injection_warnings, is_instruction
from .items import leader_units, read_items, requested_of_items, revenue_codes
from .models import (
    AppealLevel,
    Criterion,
    CriterionGroup,
    DenialAnalysis,
    DenialCategory,
    DenialLetter,
    GroundKind,
    PlanType,
    RequestedService,
)
from .payer_findings import lacks_in, records_reviewed, records_through
from .prefilter import Prefiltered, fold
from .reasoning.change import read_change, read_increase
from .reasoning.specs import request_timing
from .requirement_tree import requirement_tree
from .requirements import parse_requirements
from .text.dates import DATE_RE, add_months, find_dates, parse_date
from .text.numbers import number_words_pattern, word_number
from .text.sentences import clause_bounds, split_sentences
from .text.tables import flatten_grids

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- dates

# DATE_RE, parse_date, find_dates and add_months are pipeline.text.dates' (imported above).


def _add_business_days(day: dt.date, count: int) -> dt.date:
    while count > 0:
        day += dt.timedelta(days=1)
        count -= day.weekday() < 5
    return day


# --------------------------------------------------------------------------- text helpers


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for each line of ``text``."""
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


# --------------------------------------------------------------------------- labelled ids

_ID_VALUE = r"(?P<v>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?![\w/-])"
_ID_SUFFIX = r"(?:(?:id|no\.?|number|num\.?)(?![a-z])[ \t]*#?|#)"


def _label_re(base: str, bare_ok: bool = True) -> re.Pattern[str]:
    """'<base> [# | No. | Number | ID] [(note)] [:] value'; a bare base needs a ':' first."""
    bare = rf"|(?:{base})[ \t]*[:|]" if bare_ok else ""
    note = r"(?:[ \t]*\([^()\n]{1,25}\))?"
    return re.compile(
        rf"\b(?:(?:{base})[ \t]*{_ID_SUFFIX}{note}[ \t]*[:|]?{bare})[ \t|]*{_ID_VALUE}",
        re.IGNORECASE,
    )


_PLAN_MEMBER_LABEL = _label_re(r"(?:health )?plan member|plan subscriber", bare_ok=False)
_STATE_ID_LABEL = _label_re(r"(?:state )?(?:medicaid|medi-cal|medicare|MBI)", bare_ok=False)
_MEMBER_LABELS = [
    _PLAN_MEMBER_LABEL,
    _label_re(r"member|subscriber|enrollee|beneficiary|recipient|medicaid|medicare|insured"),
    _label_re(r"health plan|plan member|identification|MBI|patient"),
    _label_re(r"ID", bare_ok=True),
]
_CLAIM_LABELS = [
    _label_re(r"claim"),
    _label_re(r"case|appeal|grievance|file"),
    _label_re(
        r"(?:prior |pre-?)?authori[sz]ation|auth|pre-?certification|pre-?cert|"
        r"(?:service |utilization review |UM |coverage )?request|tracking|determination"
    ),
    _label_re(r"reference|ref"),
]


def _has_id_shape(value: str) -> bool:
    """Ids have a digit and at least four characters."""
    return len(value) >= 4 and any(ch.isdigit() for ch in value)


def _first_labelled(text: str, patterns: Iterable[re.Pattern[str]]) -> str | None:
    """The first id-shaped value of the highest-priority label that has one."""
    for pattern in patterns:
        for match in pattern.finditer(text):
            if _has_id_shape(match["v"]) and not DATE_RE.fullmatch(match["v"]):
                return match["v"]
    return None


def find_member_id(text: str) -> str | None:
    """The member / subscriber id the letter labels; the plan's own member id wins over a
    state id beside it ('Medicaid ID: 7012846631   Plan member ID: CHK00418853')."""
    return _first_labelled(text, _MEMBER_LABELS)


def find_program_member_id(text: str) -> str | None:
    """The public program's id (Medicaid, Medi-Cal, Medicare) when the letter also gives the
    plan's member id; None when it is the only member id (then it is ``member_id``)."""
    if _first_labelled(text, [_PLAN_MEMBER_LABEL]) is None:
        return None
    return _first_labelled(text, [_STATE_ID_LABEL])


_LEADER_RE = re.compile(
    r"(?:^[ \t]*|(?<=[ \t]{2}))([A-Za-z](?:[^\n.:]|\.(?!\.)){0,40}?)([ \t]*\.{3,}[ \t]*)(?=\S)",
    re.MULTILINE,
)


def without_leaders(text: str) -> str:
    """``text`` with dotted leaders after a label (at a line's start or after a wide gap) read as
    a colon, keeping every offset: 'Member ID ......... HFS-44019372-00' -> 'Member ID:
    HFS-44019372-00'."""
    return _LEADER_RE.sub(lambda m: m[1] + ":" + " " * (len(m[2]) - 1), text)


def find_claim_number(text: str) -> str | None:
    """The claim, case, authorization or reference number, preferring that order of labels."""
    return _first_labelled(text, _CLAIM_LABELS)


# --------------------------------------------------------------------------- insurer

_NAME_PATTERN = r"[A-Z][\w&'.-]*(?:[ \t]+(?:[A-Z0-9&][\w&'.-]*|of|and|for|the))*"
_INSURER_LABEL_RE = re.compile(
    r"^[ \t]*(?P<label>health[ \t]+plan(?:[ \t]+name)?|plan[ \t]+name|insurer|insurance[ \t]+"
    r"company|issuer|payer|carrier|plan)[ \t]*:[ \t]*(?P<v>[^\n]{2,160}?)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_INSURER_PROSE_RE = re.compile(
    r"\b(?i:member of|enrolled in|on behalf of|coverage (?:with|through|under)|"
    r"thank you for choosing)[ \t]+(?:(?i:the)[ \t]+)?"
    r"(?P<v>[A-Z][\w&'-]*(?:[ \t]+(?:of[ \t]+)?[A-Z][\w&'-]*){0,6})"
)
_PAYER_WORDS_RE = re.compile(
    r"\b(?:health|insurance|healthcare|health ?plan|assurance|mutual|HMO|PPO|PDP|care|"
    r"blue cross|blue shield|BCBS|aetna|cigna|united ?health\w*|humana|kaiser|anthem|elevance|"
    r"centene|molina|wellcare|ambetter|oscar|highmark|regence|premera|carefirst|medica|"
    r"optum|evernorth|carelon|evicore|amerihealth|emblem\w*|oxford|tufts|geisinger|upmc)\b",
    re.IGNORECASE,
)
_NOT_INSURER_LINE_RE = re.compile(
    r"^\s*(?:re\b|dear|to\b|from\b|date|member|patient|claim|subject)|"
    r"notice|denial|determination|appeal|letter|decision|\d{3}|@|www\.|\.com",
    re.IGNORECASE,
)


def _unwrapped(text: str) -> str:
    """``text`` with line breaks inside parentheses joined ('(self-funded; X Health\nPlan is
    the claims administrator)')."""
    return re.sub(r"\(([^()\n]*)\n[ \t]*([^()\n]*\))", r"(\1 \2", text)


_CLAIMS_ADMINISTRATOR_RE = re.compile(
    rf"(?:\b(?P<v>{_NAME_PATTERN})[ \t]+(?:is|acts as)[ \t]+the[ \t]+(?:claims|third[- ]party)"
    r"[ \t]+administrator\b|^[ \t]*(?i:administered|claims administered)[ \t]+by[ \t]+"
    rf"(?P<w>{_NAME_PATTERN}))",
    re.MULTILINE,
)


def find_insurer(text: str) -> str | None:
    """The payer that issued the letter, without product suffixes ('| Commercial PPO'): the
    claims administrator of a self-funded plan ('X is the claims administrator', 'Administered
    by X'), the plan a benefit manager writes for ('Radiology Benefit Management for X'), a
    labelled line (not an employer's plan), a 'member of X' phrase, or a payer-like letterhead
    line."""
    text = _unwrapped(text)
    if match := _CLAIMS_ADMINISTRATOR_RE.search(text):
        return (match["v"] or match["w"]).strip(" .,;")
    head = [line.strip().strip("#*_ ") for _, line in _lines(text) if line.strip()][:12]
    for line in head:
        if (
            (match := _MANAGER_FOR_RE.search(line))
            and not _EMPLOYER_PLAN_RE.search(match["v"])
            and not _SERVICE_LINE_RE.search(match["v"])
        ):
            return _organization(match["v"])
    if match := _OFFERED_BY_RE.search(text):
        return match["v"].rstrip(",;")
    for match in _INSURER_LABEL_RE.finditer(text):
        if not _EMPLOYER_PLAN_RE.search(match["v"]):
            company = _letterhead_organization(head)
            product = match["label"].lower() == "plan" and _PRODUCT_RE.search(match["v"])
            if product and company and _ORGANIZATION_SUFFIX_RE.search(company):
                return company  # 'Plan: Silver 4500 HMO' under 'SUMMIT PEAK HEALTH INSURANCE CO.'
            return _organization(match["v"])
    for match in _INSURER_PROSE_RE.finditer(text):
        if _PAYER_WORDS_RE.search(match["v"]) and not _EMPLOYER_PLAN_RE.search(match["v"]):
            return match["v"].rstrip(".,;")
    return _letterhead_organization(head)


def find_plan_sponsor(text: str) -> str | None:
    """The employer's or group's plan the payer administers, when the letter names it apart
    from the payer: 'Plan sponsor: X', 'Administrator for: X', 'on behalf of the X Employee
    Health Plan', or a 'Group:' / 'Plan:' label whose value is an employer's plan."""
    text = _unwrapped(text)
    head = [line.strip() for _, line in _lines(text) if line.strip()][:6]
    for line, below in pairwise(head):
        if (
            re.match(r"(?i:administered|claims administered)\s+by\b", below)
            and _is_letterhead(line)
            and re.search(r"\b(?:employees?|employer|school district|trust|union)\b", line, re.I)
        ):
            return line  # 'X Employees Health Program' over 'Administered by Y'
    for regex in (_SPONSOR_LABEL_RE, _ADMINISTRATOR_FOR_RE, _INSURER_LABEL_RE):
        for match in regex.finditer(text):
            value = _NEXT_LABEL_RE.split(match["v"], maxsplit=1)[0]
            value = _GROUP_NUMBER_RE.sub("", _SPONSOR_TAIL_RE.sub("", " ".join(value.split())))
            value = value.rstrip(",;: ")
            value = value if _ORGANIZATION_SUFFIX_RE.search(value) else value.rstrip(".")
            named = regex is _SPONSOR_LABEL_RE and (
                not match["label"].lower().startswith("group") or _GROUP_PLAN_RE.search(value)
            )
            if named or _EMPLOYER_PLAN_RE.search(value):
                return value or None
    return None


_PRODUCT_RE = re.compile(
    r"\b(?:PPO|HMO|EPO|POS|HDHP|Commercial|Advantage|Marketplace|Individual|Bronze|Silver|Gold|"
    r"Platinum)\b|\((?:PPO|HMO|EPO|POS)[^)]*\)",
    re.IGNORECASE,
)
_PLAN_PARTS_RE = re.compile(r"\s+\|\s+|\s+[-–—]\s+|,\s+offered by\s+", re.IGNORECASE)


def _organization(value: str) -> str:
    """The payer's own name in 'Name | Commercial PPO', 'Product (HMO) - Name', 'Name (HMO
    D-SNP)' or 'Product, offered by Name': the parts naming a product are dropped when another
    part names a payer."""
    value = value.strip().rstrip(".,;")
    value = re.sub(
        r"\s*\((?:PPO|HMO|EPO|POS|HMO-POS|PFFS|MSA|SNP|D-SNP|C-SNP|I-SNP|PDP)\b[^)]*\)$", "", value
    )
    if re.search(r",\s+offered by\s+", value, re.IGNORECASE):
        return _PLAN_PARTS_RE.split(value)[-1].strip(" ,;")
    parts = [p.strip(" ,;") for p in _PLAN_PARTS_RE.split(value) if p.strip(" ,;")]
    named = [p for p in parts if _PAYER_WORDS_RE.search(p) and not _PRODUCT_RE.search(p)]
    return named[0] if named and len(named) < len(parts) else value


_EMPLOYER_PLAN_RE = re.compile(
    r"\b(?:employees?|employer|group health (?:benefit )?plan|benefit trust|school district|"
    r"welfare (?:benefit )?plan|(?:health |medical )?benefits? plan|medical plan)\b",
    re.IGNORECASE,
)
_NAME = r"[A-Z][\w&'.,-]*(?:[ \t]+(?:[A-Z0-9&][\w&'.,-]*|of|and|for|the))*"
_MANAGER_FOR_RE = re.compile(
    r"^(?:.*\b(?i:management|manager|administered|services|solutions|benefits?|review|"
    r"imaging)\b.*?[ \t]+(?i:for|on behalf of)|[ \t]*(?i:on behalf of|for members of))"
    rf"[ \t]+(?:(?i:the)[ \t]+)?(?P<v>{_NAME})",
)
_SERVICE_LINE_RE = re.compile(
    r"^(?!.*\b(?:health|insurance|plan|mutual|assurance)\b).*\b(?:services|surgery|procedures|"
    r"imaging|drugs|therapy|therapies)$",
    re.IGNORECASE,
)
"""What a review unit reviews, not whom it reviews for ('Medical Review for Oral and
Maxillofacial Services')."""
_OFFERED_BY_RE = re.compile(
    rf"\b(?i:offered by|a product of|underwritten by|insured by)[ \t]+(?P<v>{_NAME})"
)
_SPONSOR_LABEL_RE = re.compile(
    r"(?:^|[ \t]{2,})(?P<label>plan[ \t]+sponsor|employer(?:[ \t]+(?:plan|group))?|"
    r"group(?:[ \t]+(?:name|plan))?)[ \t]*:[ \t]*(?P<v>[^\n]{3,100}?)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_ADMINISTRATOR_FOR_RE = re.compile(
    r"\b(?i:administrators?(?:[ \t]+(?:for|of))?|TPA[ \t]+for|on behalf of)[ \t]*:?"
    # the name after a space or on the next line ('Third-party administrator for the' over
    # 'X EMPLOYEE HEALTH PLAN'), not across a wide gap to a title on the right
    r"(?:[ \t]{1,2}|(?:[ \t]{4,}[^\n]*)?[ \t]*\n[ \t]*)"
    r"(?:(?i:the)(?:[ \t]{1,2}|(?:[ \t]{4,}[^\n]*)?[ \t]*\n[ \t]*))?"
    rf"(?P<v>{_NAME})",
)
_GROUP_PLAN_RE = re.compile(
    r"^(?!.*\d)(?!.*\b(?:PPO|HMO|EPO|POS|HDHP|commercial|individual|small group|large group)\b)"
    r".*\b(?:plan|cooperative|inc|llc|company|co|corp|corporation|district|county|university|"
    r"trust|fund)\b\.?$",
    re.IGNORECASE,
)
"""A 'Group:' value naming an organisation's plan ('Meadowlark Grain Cooperative Health Plan'),
not a group number or a product."""
_NEXT_LABEL_RE = re.compile(r"[ \t]{2,}(?=[A-Z][\w #./-]{0,25}:)")
"""Columns apart: another 'Label:' on the same line ('... PLAN (Self-Funded)    Group #: ...')."""
_GROUP_NUMBER_RE = re.compile(
    r"\s*\((?:group|grp)\.?\s*(?:(?:no\.?|number|#)[^)]*|[A-Z0-9][\w-]*\d[\w-]*)\)", re.I
)
"""'(Group No. 77120-OH)' after an employer's name."""
_SPONSOR_TAIL_RE = re.compile(
    r"\s*\((?:a |an )?(?:self-funded|self-insured|employer)[^)]*\)?$", re.I
)


def _is_letterhead(line: str) -> bool:
    """A short name-like line: capitalized words, no labels, numbers or notice titles."""
    words = [w for w in re.findall(r"[A-Za-z][\w&'.-]*", line) if w.lower() not in _SMALL_WORDS]
    capitalized = sum(w[0].isupper() for w in words)
    return (
        0 < len(line) <= 70
        and line[0].isupper()
        and capitalized >= 0.6 * max(len(words), 1)
        and not _NOT_INSURER_LINE_RE.search(line)
    )


_ORGANIZATION_SUFFIX_RE = re.compile(
    r"\b(?:inc|llc|l\.l\.c|corp|corporation|company|co|ltd|lp|llp|administrators?|cooperative)"
    r"\b\.?\s*$",
    re.IGNORECASE,
)
_DEPARTMENT_RE = re.compile(
    r"\b(?:review|department|dept|unit|division|utilization|management|team|office|appeals|"
    r"services|operations)\.?\s*$",
    re.IGNORECASE,
)


def _letterhead_organization(head: list[str]) -> str | None:
    """The issuing organisation of a letterhead: its first name line that names a payer or a
    company ('ACME BENEFIT ADMINISTRATORS, INC.'); a department under it ('Behavioral Health
    Utilization Review') is not the insurer."""
    for index, whole in enumerate(head):
        # 'HARBORLIGHT HEALTH PLANS, INC.  *  Harborlight Rx Saver (PDP)  *  Contract S5884':
        # the parts of a letterhead line set apart by bullets or bars, the first one first
        line = _LETTERHEAD_PARTS_RE.split(whole)[0].strip()
        if not _is_letterhead(line):
            continue
        company = bool(_ORGANIZATION_SUFFIX_RE.search(line))
        department = index > 0 and not company and bool(_DEPARTMENT_RE.search(line))
        if (company or _PAYER_WORDS_RE.search(line)) and not department:
            return _organization(line)
    return None


_SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "at", "by", "&"})
_LETTERHEAD_PARTS_RE = re.compile(r"[ \t]{2,}[*•|·][ \t]{2,}|[ \t]+[•·][ \t]+|[ \t]{4,}")


# --------------------------------------------------------------------------- dates of the letter

_LETTER_DATE_LABEL_RE = re.compile(
    r"^[ \t]*(?:letter[ \t]+|notice[ \t]+|issue[ \t]+|mail(?:ing)?[ \t]+|decision[ \t]+)?date"
    r"(?:[ \t]+(?:of[ \t]+(?:this[ \t]+)?(?:notice|letter|decision|determination)|"
    r"mailed|issued|sent))?"
    r"[ \t]*[:|][ \t|]*(?P<rest>[^\n]*)",
    re.IGNORECASE | re.MULTILINE,
)
_NAMED_DATE_LABEL_RE = re.compile(
    r"[ \t]*(?:(?:letter|notice|decision)[ \t]+date|date[ \t]+of[ \t]+(?:this[ \t]+)?"
    r"(?:notice|letter|decision|determination))",
    re.IGNORECASE,
)
"""A date label that names what it dates: the notice's own date, never a fax cover's."""
_NOT_LETTER_DATE_RE = re.compile(
    r"birth|dob|service|received|admi|request|discharge|effective|through|from|period|"
    r"\d[ \t]+to[ \t]+\d",
    re.IGNORECASE,
)
_SERVICE_LABEL_RE = re.compile(
    r"(?:dates?\s*(?:\(s\)\s*)?of\s+service|service\s+dates?(?:\s*\(s\))?|\bDOS\b|"
    r"(?:date\s+)?request(?:ed)?\s+(?:was\s+)?received(?:\s+on)?|date\s+received|"
    r"date\s+of\s+(?:the\s+)?request|"
    r"(?:date\s+of\s+)?admission(?:\s+date)?|requested\s+dates?(?:\s+of\s+service)?)"
    r"[ \t]*(?:[:|-][ \t|]*|\s+on\s+)?(?P<rest>[^\n]*)",
    re.IGNORECASE,
)


_FAX_COVER_RE = re.compile(
    r"\b(?:fax|facsimile)[ \t]+(?:transmi\w*|cover(?:[ \t]+(?:sheet|page))?)\b", re.IGNORECASE
)
_SECOND_PAGE_RE = re.compile(
    r"^.*\bpage[ \t]*2[ \t]+of[ \t]+\d+\b.*$", re.IGNORECASE | re.MULTILINE
)
_COVER_RULE_RE = re.compile(r"^[ \t]*[=*_#-]{20,}[ \t]*$", re.MULTILINE)


def notice_start(text: str) -> int:
    """Where the notice begins when a fax cover page leads the letter ('FACSIMILE TRANSMITTAL'
    in its first lines, with its own date, sender and fax numbers): after the line that marks
    page 2, else after the rule that closes the cover's confidentiality notice; 0 without a
    cover."""
    head = [line for _, line in _lines(text) if line.strip()][:5]
    if not any(_FAX_COVER_RE.search(line) for line in head):
        return 0
    if page := _SECOND_PAGE_RE.search(text):
        return page.end()
    confidential = re.search(r"confidential", text, re.IGNORECASE)
    rule = _COVER_RULE_RE.search(text, confidential.end()) if confidential else None
    return rule.end() if rule else 0


def find_letter_date(text: str) -> dt.date | None:
    """The letter's date: a 'Date:' label, else a date line near the top, else a closing line
    that says when it was issued ('Issued 9 November 2026 by ...'). A label that names the
    determination or notice ('Date of determination:', 'Notice date:') wins over a bare 'Date:'
    (a fax cover's, when the cover was not told apart)."""
    labelled = list(_LETTER_DATE_LABEL_RE.finditer(text))
    for match in sorted(labelled, key=lambda m: not _NAMED_DATE_LABEL_RE.match(m.group())):
        if dates := find_dates(match["rest"]):
            return dates[0][0]
    head = [line for _, line in _lines(text) if line.strip()][:15]
    for line in head:
        for day, start in find_dates(line):
            rest = (line[:start] + line[start:].split(" ", 3)[-1]).strip()
            if len(find_dates(line)) > 1 and not _is_bare_date_line(line):
                break  # '(11/17/2026 - 11/16/2027)': a period, not the letter's date
            if _is_bare_date_line(line) or (not _NOT_LETTER_DATE_RE.search(line) and rest):
                return day
    for match in _ISSUED_RE.finditer(text):
        if dates := find_dates(match["rest"][:40]):
            return dates[0][0]
    return None


_ISSUED_RE = re.compile(
    r"(?:^[ \t]*(?:issued|mailed|dated|sent)|\b(?:notice|letter)[ \t]+(?:issued|mailed))"
    r"(?:[ \t]+on)?[ \t:]+(?P<rest>[^\n]*)",
    re.IGNORECASE | re.MULTILINE,
)


def _is_bare_date_line(line: str) -> bool:
    stripped = re.sub(r"^\s*(?:dated?\b[:\s]*)", "", line.strip(), flags=re.IGNORECASE)
    return bool(DATE_RE.fullmatch(stripped.strip(" .,")))


def find_service_dates(text: str) -> list[dt.date]:
    """Dates of service or of the request, in letter order, without duplicates."""
    found: list[dt.date] = []
    for match in _SERVICE_LABEL_RE.finditer(text):
        for day, _ in find_dates(match["rest"]):
            if day not in found:
                found.append(day)
    return found


# --------------------------------------------------------------------------- codes

_CODE_CONTEXT_RE = re.compile(
    r"\b(?:CPT|HCPCS|codes?|procedures?|services?|billing|units?|J-?code)\b", re.IGNORECASE
)
_ICD_CONTEXT_RE = re.compile(
    r"\b(?:ICD(?:-?10)?(?:-CM)?|diagnos\w*|dx|conditions?)\b", re.IGNORECASE
)
_NOT_CODE_BEFORE_RE = re.compile(
    r"(?:\$\s*|#\s*|\b[A-Z]{2}\s+|\b(?:box|suite|ste\.?|id|no\.?|number|contract|plan|zip|"
    r"member|claim|case|ref(?:erence)?|policy|group|account|fax|phone|tel)[\s:#.]*)$",
    re.IGNORECASE,
)
_ICD10_DOTLESS_RE = re.compile(r"(?<![\w.-])([A-TV-Z]\d[0-9A-Z]{1,5})(?![\w.-])")
_CONTEXT_WINDOW = 80
_SENTENCE_BREAK_RE = re.compile(r"[.;!?]\s")


def _context_before(text: str, start: int) -> str:
    """Up to the context window of text before ``start``, on this line and a ':' line above."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - _CONTEXT_WINDOW) : start]
    before = _SENTENCE_BREAK_RE.split(before)[-1]
    previous = text[text.rfind("\n", 0, max(line_start - 1, 0)) + 1 : max(line_start - 1, 0)]
    heading = previous if previous.rstrip().endswith(":") else ""
    return heading + "\n" + before + _table_header(text, line_start)


def _table_header(text: str, line_start: int) -> str:
    """The first row of the '|' table (or of the column table: ``_column_header``) that the
    line at ``line_start`` belongs to, or ''."""
    line_end = text.find("\n", line_start)
    if "|" not in text[line_start : line_end if line_end >= 0 else len(text)]:
        columns = _column_header(text, line_start)
        return "\n" + columns[1] if columns else ""
    header = ""
    for row in reversed(text[:line_start].split("\n")[:-1]):
        if "|" not in row:
            break
        header = row
    return "\n" + header


_COLUMN_SPLIT_RE = re.compile(r"\S+(?: \S+)*")
_CODE_COLUMN_RE = re.compile(
    r"^(?:(?:CPT|HCPCS|CPT/HCPCS|procedure|proc\.?|service|billing|rev(?:enue)?)\s*)?codes?$|"
    r"^(?:CPT|HCPCS|CPT/HCPCS|procedure|proc\.?|service)$",
    re.IGNORECASE,
)


def _column_header(text: str, line_start: int) -> tuple[int, str] | None:
    """(offset, line) of the header of the space-aligned table (columns two spaces apart, one
    headed 'Code', 'CPT' or 'HCPCS') whose row starts at ``line_start``: the nearest line above
    it in its run of non-blank lines that heads such columns (a title such as 'SERVICE DETAIL'
    and a rule line may stand between the run's start and the rows)."""
    start = line_start
    while start > 0:
        previous = text.rfind("\n", 0, start - 1) + 1
        line = text[previous : start - 1]
        if not line.strip():
            return None
        start = previous
        if "|" in line:
            return None
        cells = [c.strip() for c in re.split(r" {2,}|\t", line.strip())]
        if len(cells) >= 3 and any(_CODE_COLUMN_RE.match(c) for c in cells):
            return start, line
    return None


def _column_cells(text: str, position: int) -> dict[str, str]:
    """The cells of the space-aligned table row holding ``position``, by lower-cased header (each
    cell under the header whose start is nearest), or {} outside such a table."""
    line_start = text.rfind("\n", 0, position) + 1
    header = _column_header(text, line_start)
    if header is None:
        return {}
    spans = [(m.start(), m.end(), m.group().lower()) for m in _COLUMN_SPLIT_RE.finditer(header[1])]
    line_end = text.find("\n", line_start)
    row = text[line_start : line_end if line_end >= 0 else len(text)]
    cells: dict[str, str] = {}
    for m in _COLUMN_SPLIT_RE.finditer(row):  # a cell: words one space apart
        # the header it stands under (a count set flush right under its header's end), else
        # the header whose start is nearest
        under = [(min(e, m.end()) - max(s, m.start()), n) for s, e, n in spans]
        name = (
            max(under)[1]
            if max(under)[0] > 0
            else min(spans, key=lambda h: abs(h[0] - m.start()))[2]
        )
        cells[name] = f"{cells[name]} {m.group()}" if name in cells else m.group()
    return cells


_STREET_AFTER_RE = re.compile(
    r"\s+(?:[NSEW]\.?\s+)?(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Court|Ct|Road|Rd|Avenue|Ave|"
    r"Drive|Dr|Boulevard|Blvd|Lane|Ln|Way|Parkway|Pkwy|Highway|Hwy|Place|Pl|Circle|Trail|"
    r"Terrace|Plaza)\b\.?"
)
"""A street name after a code-shaped token: the token is a house number ('N2750 Commerce
Court', a grid address)."""


def _id_or_amount(text: str, start: int, end: int) -> bool:
    """True when a code-shaped token at [start, end) is a ZIP, sum, id or house number: an id
    label before it ('Member', 'Claim #', 'Suite', '$'), decimals or thousands after it, or a
    street name after it."""
    before = text[max(0, start - 40) : start]
    return bool(
        _NOT_CODE_BEFORE_RE.search(before)
        or re.match(r"\.\d|,\d{3}", text[end : end + 3])
        or _STREET_AFTER_RE.match(text, end)
    )


def _in_code_context(text: str, start: int, end: int, context: re.Pattern[str]) -> bool:
    """True when a code-shaped token at [start, end) reads as a code, not a ZIP, sum or id."""
    return not _id_or_amount(text, start, end) and bool(
        context.search(_context_before(text, start))
    )


def find_cpt_codes(text: str) -> list[str]:
    """CPT codes in a code context, in letter order."""
    return _unique(
        m[1]
        for m in CPT_RE.finditer(text)
        if _in_code_context(text, m.start(), m.end(), _CODE_CONTEXT_RE)
    )


def find_hcpcs_codes(text: str) -> list[str]:
    """HCPCS Level II codes, not ids or sums. A letter and four digits is rare outside HCPCS, so
    one needs a code label only when it is also an ICD-10-CM code (and is never taken in a
    diagnosis context)."""
    found = []
    for m in HCPCS_RE.finditer(text):
        if _id_or_amount(text, m.start(), m.end()):
            continue
        context = _context_before(text, m.start())
        is_icd10 = icd10_exists(m[1])
        if is_icd10 and (_ICD_CONTEXT_RE.search(context) or not _CODE_CONTEXT_RE.search(context)):
            continue
        found.append(m[1])
    return _unique(found)


def find_icd10_codes(text: str) -> list[str]:
    """Existing ICD-10-CM codes, dotted; dotless or 3-character ones only in a diagnosis context."""
    hits: list[tuple[int, str]] = [
        (m.start(), m[1]) for m in ICD10_RE.finditer(text) if "." in m[1] and icd10_exists(m[1])
    ]
    hits += [
        (m.start(), m[1])
        for m in _ICD10_DOTLESS_RE.finditer(text)
        if icd10_exists(m[1]) and _ICD_CONTEXT_RE.search(_context_before(text, m.start()))
    ]
    return _unique(normalize_icd10(code) for _, code in sorted(hits))


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


# --------------------------------------------------------------------------- requested services

_MODIFIER_CODES = (
    "22 24 25 26 33 47 50 51 52 53 54 55 56 57 58 59 62 66 76 77 78 79 80 81 82 91 92 93 95 "
    "96 97 AS CR E1 E2 E3 E4 F1 F2 F3 F4 F5 F6 F7 F8 F9 FA FX GA GC GN GO GP GT GX GY GZ JW "
    "JZ KX LT QW RT SG TA T1 T2 T3 T4 T5 T6 T7 T8 T9 TC XE XP XS XU "
    # DME: new, rental, used, purchase options, capped rental months, supplier attestations
    "NU RR UE BP BR BU KH KI KJ MS KF KG KS RA RB EY GK GL "
    # ambulance: origin and destination (R residence, H hospital, N nursing facility, S scene,
    # P physician's office, E residential facility, D diagnostic site, G dialysis, J ASC)
    "RH HR RN NR RS SR RE ER RP PR RD DR RG GR RJ JR HN NH HS SH HP PH HE EH HD DH HG GH HJ HH "
    "JH NP PN NS SN SD DS EN NE QL QM QN"
)
_MODIFIERS = frozenset(_MODIFIER_CODES.split())
"""CPT and HCPCS modifiers read after a code ('15823-50', '97110 GP')."""
_SERVICE_CODE_RE = re.compile(
    r"(?<![\w.-])(?:(?P<rev>(?i:rev(?:enue)?\.?(?:\s+codes?)?)\s*[:#]?\s*)(?P<revenue>0\d{3}|1\d{3})"
    r"|(?P<drglabel>(?:MS-)?DRG\s*[:#]?\s*)(?P<drg>\d{3})"
    r"|(?P<cpt>\d{5}|\d{4}[FTU])|(?P<hcpcs>[A-HJ-NP-V]\d{4}))"
    r"(?:-(?P<mod>[A-Z0-9]{2})(?:-(?P<mod2>[A-Z0-9]{2}))?)?(?![\w-])"
)
_ROW_UNITS_RE = re.compile(
    r"^[ \t]+(?:(?P<mod>[A-Z0-9]{2})[ \t]+(?:[A-Z][A-Z0-9][ \t]+)?)?"
    r"(?P<n>\d{1,4})(?=[ \t]{2,}|[ \t]*$)"
)
_PAREN_COUNT_RE = re.compile(
    r"\s*\((?P<n>\d{1,4})\s+(?!(?:mg|mcg|ml|g|gm|grams?|units?|iu|cc|l|mm|cm|kg|min|minutes?|"
    r"hours?|mmol|meq)\b)[A-Za-z]+(?:\s+[A-Za-z]+)?\)",
    re.IGNORECASE,
)
_TIMES_RE = re.compile(
    r"(?:^|[\s,;(])[x×][ \t]*(?P<n>\d{1,4})(?!\d)(?![.,]\d)"
    # 'x 30 sessions' counts the administrations, not the code's units ('4 units per session')
    r"(?![ \t]*(?:sessions?|infusions?|injections?|visits?|treatments?|administrations?|"
    r"doses?|cycles?|weeks?|months?)\b)",
    re.IGNORECASE,
)
_QTY_RE = re.compile(
    r"\b(?:qty|quantity)\.?[ \t]*[:=]?[ \t]*(?P<n>\d{1,4})\b|"
    r"\b(?:number of )?units?[ \t]*[:=][ \t]*(?P<u>\d{1,4})\b",
    re.IGNORECASE,
)
"""'Qty 1', 'Quantity: 12', 'Units: 1' on the code's own item."""
_COUNT_LABEL_RE = re.compile(
    r"^[ \t]*(?:qty|quantity|(?:number of )?(?:units?|sessions|visits|fractions))\.?[ \t]*:",
    re.IGNORECASE,
)
"""A 'Units: 1' line under a code: the code's own item goes on (it is not another label)."""
_UNITS_RE = re.compile(
    # '3,120 units' is three thousand one hundred twenty, never 120; 'every 28 days' is an
    # interval, never 28 units
    r"(?<![\w.,])(?<!\bevery )(?<!\bper )(?<!\beach )"
    r"(?P<n>\d{1,3}(?:,\d{3})+|\d{1,4})(?:[ \t]+(?:additional|more|further))?"
    r"(?:[ \t]+|[ \t]*\n[ \t]*)"
    r"(?:units?|visits?|sessions?|days?|treatments?|fractions?|stud(?:y|ies)|doses)\b",
    re.IGNORECASE,
)
"""A count and what it counts, the word wrapped onto the next line or not ('36' / 'sessions')."""
_PER_ADMIN_COUNT_RE = re.compile(
    r"(?<![\w.,/])(?P<n>\d{1,4})[ \t]+per[ \t]+(?:infusion|injection|dose|administration|"
    r"treatment|session|visit|cycle)\b",
    re.IGNORECASE,
)
"""A count per administration with no unit word ('96365 ... 1 per infusion day')."""
_ITEM_COUNT_RE = re.compile(r"^[^\n]*(?:\):|\s[-–—])[ \t]*(?P<n>\d{1,4})[ \t]*$", re.M)
"""A bare count closing the code's line after its description: '77316 (isodose plan): 3',
'64590 Insertion of ... pulse generator - 1'."""
_NOT_REQUESTED_RE = re.compile(
    r"\b(?:is|are|was|were|has been|have been)\s+approved\b|\binstead\b|\bin place of\b|"
    # an alternative the plan offers ('Photon IMRT (77301, 77385 x 30) would be approved if
    # requested') is not what the provider asked for
    r"\b(?:would|could|can|will|may)\s+be\s+(?:approved|authori[sz]ed|covered)\b|"
    # 'The plan may consider benefits at the ground level if ... a corrected claim (A0427)'
    r"\bmay (?:consider|allow|reconsider) (?:benefits|payment|coverage)\b|"
    # 'Recommended level of care: intensive outpatient program (0905 / S9480), available for
    # authorization upon request': the plan's alternative, not the request
    r"\brecommended (?:level of care|alternative|setting)\b|"
    # an alternative the notice names ('In-network treatment options include ... laparoscopic
    # Heller myotomy (CPT 43279), which are available from ... providers'; 'Surgical repair (CPT
    # 33426) is a covered alternative and may be requested'): never added to the request
    r"\b(?:options?|alternatives?)\s+(?:include|includes|are|such as)\b|"
    r"\bcovered alternative\b|\bmay be requested\b|"
    r"\bavailable (?:from|through)\b[^.]{0,60}\b(?:providers?|network|in your area)\b|"
    r"\bavailable for (?:authori[sz]ation|approval|coverage)\b|"
    r"\b(?:approv|authori[sz])\w*\b[^.]{0,150}\bas an alternative\b|"
    r"\b(?:does|do|did) not (?:address|review|decide)\b|\brequires? a separate "
    r"(?:request|authori[sz]ation|review|prior authori[sz]ation)\b|"
    r"\bnot (?:part of|included in|addressed (?:in|by)) this (?:request|review|decision)\b",
    re.IGNORECASE,
)
_POLICY_RULE_RE = re.compile(
    r"\b(?:is|are) (?:considered |only )?(?:medically necessary|covered) only (?:when|if)\b|"
    r"\b(?:is|are) (?:considered )?(?:medically necessary|covered) (?:only )?when\b[^.]{0,200}"
    r"\band (?:is|are) not covered when\b",
    re.IGNORECASE,
)
"""A sentence stating the policy's rule for the codes it names ('turbinate reduction (CPT 30140,
30801, 30802, 30930) is medically necessary only when ...'): the codes the rule covers, not
the request (a code the request names elsewhere is read there)."""
_NOT_REVIEWED_RE = re.compile(
    r"\bnot\s+reviewed\s+(?:here|by\s+(?:us|this\s+plan)|(?:in|under)\s+this\s+"
    r"(?:request|review|decision|benefit))\b|"
    r"\b(?:was|were|is|are)\s+not\s+reviewed\b|\b(?:does|do)\s+not\s+require\s+"
    r"(?:prior\s+)?(?:authori[sz]ation|approval|review)\b",
    re.IGNORECASE,
)
"""On a code's own item: 'D7940 ... (billed to the dental plan; not reviewed here)', a code
another plan decides."""
_APPROVED_ROW_RE = re.compile(
    r"(?:[ \t]{2,}|\|[ \t]*|\t)(?:approved|authori[sz]ed|certified)\b(?![^\n]*\bden(?:y|ied))",
    re.IGNORECASE,
)
"""A code's own row whose status cell says the plan approved it ('99205  New patient
consultation   APPROVED'): not part of what the appeal asks for."""
_OTHER_ITEM_RE = re.compile(
    r"\b(?:an?|the)\s+(?:device|item|drug|product|model|pump|code)\s+(?:without|other than|"
    r"rather than)\b[^.()]{0,50}\(\s*$",
    re.IGNORECASE,
)
"""A code naming the item the request is compared with, not one it asks for."""
_MODIFIER_WORD_RE = re.compile(
    r"\bmodifiers?\s+(?P<m>[A-Z0-9]{2})\b|\b(?:right|left)\s+\w+\s+\((?P<m2>RT|LT)\)"
)


def find_requested(text: str) -> list[RequestedService]:
    """Every code the request covers (CPT, HCPCS, revenue, DRG), in letter order, with the
    units and modifiers the letter ties to it: '15823-50', 'x 35', '(35 units)', '14 days',
    or the units and modifier columns of a service table. Codes in a sentence approving
    something else instead ('outpatient therapy (CPT 90837) is approved instead') are left out,
    and so are codes the notice says it approved and nowhere denies (:func:`_approved_codes`)."""
    hits: list[re.Match[str]] = []
    for match in sorted(
        [*_SERVICE_CODE_RE.finditer(text), *_revenue_rows(text)], key=lambda m: m.start()
    ):
        listed = bool(hits) and bool(
            _CODE_JOINER_RE.fullmatch(text[hits[-1].end() : match.start()])
        )
        again = any(h.group(0).split("-")[0] == match.group(0).split("-")[0] for h in hits)
        if (
            listed
            or again  # a later mention of a code already read ('(15823-50)')
            or _is_service_code(text, match)
            or _continues_code_list(text, match, hits)
        ):
            hits.append(match)
    found: dict[str, RequestedService] = {}
    paid: set[str] = set()
    denied: set[str] = set()
    rows: set[str] = set()  # codes read from a claim table's row
    billed: set[str] = set()  # codes on a claim's line: a table row or a dated line
    # a status column that marks some rows denied or reduced: the others are not appealed
    adverse = any(status_of(_row_cells(text, m.start())) == "adverse" for m in hits)
    period = dict(zip(("start", "end"), find_service_period(text), strict=True))
    # 'a device without calibrated pressure (E0651) cannot meet ...': the item compared with
    compared = {
        m.group(0).split("-")[0]
        for m in hits
        if _OTHER_ITEM_RE.search(text, max(0, m.start() - 80), m.start())
    }
    for i, match in enumerate(hits):
        end = hits[i + 1].start() if i + 1 < len(hits) else len(text)
        if match.group(0).split("-")[0] in compared:
            continue
        next_item = next((h.start() for h in hits[i + 1 :] if _opens_item(text, h.start())), None)
        if _paid_row(text, match, paid, denied, adverse):
            continue  # a claim line the plan paid (or left unchanged) is not appealed
        service = _service(text, match, end, len(text) if next_item is None else next_item)
        if service is None:
            continue
        if service.start is None and period["start"] is not None:
            service = service.model_copy(update=period)  # the request's period covers it
        if service.system != "revenue" and (revenue := _facility_revenue(text, match)):
            service = service.model_copy(update={"revenue": revenue})
        on_row = service.units is not None and bool(_row_cells(text, match.start()))
        if on_row or _dated_line(text, match.start()):
            billed.add(service.code)
        known = found.get(service.code)
        if known is None:
            found[service.code] = service
            rows.update([service.code] if on_row else [])
            continue
        if (
            _another_line(known, service)
            or (on_row and service.code in rows)
            or known.revenue != service.revenue  # the surgeon's line and the facility's
        ):
            # each row of a claim is a line of its own ('A6550 KX 15', a month on 'A6550 KX 12')
            found[f"{service.code}#{len(found)}"] = service
            continue
        update: dict[str, object] = {}
        if known.units is None and service.units is not None:
            update["units"] = service.units
        if extra := [m for m in service.modifiers if m not in known.modifiers]:
            update["modifiers"] = [*known.modifiers, *extra]  # 'CPT 69930 ... (69930-RT)'
        if update:
            found[service.code] = known.model_copy(update=update)
    # a line of the claim the plan did not pay is appealed, whatever the prose says of its
    # authorization ('precertification ... confirms the service was authorized')
    approved = (_approved_codes(text, hits) - (denied & billed)) | (paid - denied)
    services = [service for service in found.values() if service.code not in approved]
    if denied & billed:
        # a claim's lines are what it billed: a code named only in its prose (the policy's
        # list of codes, an earlier service the plan paid) is no line of this claim
        services = [s for s in services if s.code in billed or s.system in ("revenue", "drg")]
    # a revenue code read as a line of its own that a procedure's line bills under ('Rev 0360
    # / 17107'): one line, the procedure's, with its revenue code
    billed_under = {s.revenue for s in services if s.revenue}
    return [s for s in services if not (s.system == "revenue" and s.code in billed_under)]


_REVENUE_BEFORE_RE = re.compile(
    r"(?<![\w$.,/])(?:rev(?:enue)?\.?(?:\s+code)?\s*[:#]?\s*)?(?P<rev>0\d{3})"
    r"(?:[ \t]*/[ \t]*|[ \t]{2,})$",
    re.IGNORECASE,
)


_DATED_LINE_RE = re.compile(
    r"[ \t|]*(?:(?:Ln|Line)?[ \t]*\d{1,3}[ \t|]+)?\d{1,2}/\d{1,2}/\d{2,4}"
    r"(?:[ \t]*[-–][ \t]*\d{1,2}/\d{1,2}/\d{2,4})?[ \t|]+(?:(?:CPT|HCPCS)[ \t]*)?$",
    re.IGNORECASE,
)
"""The head of a claim's line before its code: a line number, then its date(s) of service
('01  08/13/2026   95810 ...')."""


def _dated_line(text: str, position: int) -> bool:
    """True when the code at ``position`` stands on a claim's line after its date of service."""
    line_start = text.rfind("\n", 0, position) + 1
    return _DATED_LINE_RE.fullmatch(text, line_start, position) is not None


def _facility_revenue(text: str, match: re.Match[str]) -> str | None:
    """The revenue code a facility claim's line bills the code under, standing right before it
    ('0360 / 19371', 'Rev 0360  17311'); None on any other line."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    before = _REVENUE_BEFORE_RE.search(text[line_start : match.start()])
    return before["rev"] if before else None


def _paid_row(
    text: str, match: re.Match[str], paid: set[str], denied: set[str], adverse: bool
) -> bool:
    """True when the code stands on an EOB or remittance line the plan paid (a paid amount
    above zero with only the patient's share or a write-down on the line, or a 'Paid' status),
    or, in a table whose status column marks some rows denied or reduced (``adverse``), on a
    row whose status says otherwise ('No change', 'Ended'): not part of the appeal. Adds the
    code to ``paid``, or to ``denied`` when its line is a table row the plan did not pay or
    carries a denial, so that a code named only on such lines is not requested from its
    mentions in prose either."""
    code = match.group(0).split("-")[0]
    cells = _row_cells(text, match.start())
    row = _row_text(text, match.start())
    kept = adverse and status_of(cells) == "other"
    if cells and (kept or paid_line(cells, row)):
        paid.add(code)
        return True
    if cells or denial_on(row):
        denied.add(code)
    return False


_APPROVED_RE = re.compile(
    r"\b(?:is|are|was|were|has been|have been|had been)\s+(?:already\s+)?(?:approved|"
    r"authori[sz]ed|certified|paid)\b|\b(?:was|were|has been|have been)\s+covered\b|"
    r"\bprocessed for payment\b|\b(?:we|plan|it)\s+(?:\w+ly\s+)?(?:approved|authori[sz]ed|"
    r"certified)\b|"
    r"\bapproval\s+(?:includes|covers)\b|:[ \t]*(?:approved|authori[sz]ed)\b",
    re.IGNORECASE,
)
"""A mention saying the code was approved: 'CPT 77263 was authorized on 11/24/2026', 'We
approved Gamunex-C (J1561)', 'The approval includes ... (S9338)', 'The approval covers ...
delivery under CPT 77412', an item '77263 ...: approved'."""
_DENIED_RE = re.compile(
    r"\b(?:not|never)\s+(?:approve|approved|authori[sz]e|authori[sz]ed|certif(?:y|ied)|cover|"
    r"covered)\b|\bden(?:y|ied|ies|ying|ial)\b|\bnon-?covered\b",
    re.IGNORECASE,
)


def _approved_codes(text: str, hits: list[re.Match[str]]) -> set[str]:
    """Codes the notice says it approved (past or present: 'was authorized', 'we approved') in
    some mention and denies in none: not part of the request the appeal answers. A mention is
    its sentence, or its own list item when the code opens a line."""
    approved: set[str] = set()
    denied: set[str] = set()
    for i, match in enumerate(hits):
        code = match.group(0).split("-")[0]
        mention = _mention(text, match, hits[i + 1].start() if i + 1 < len(hits) else len(text))
        if _DENIED_RE.search(mention):
            denied.add(code)
        elif _APPROVED_RE.search(_HYPOTHETICAL_RE.sub(" ", mention)):
            approved.add(code)
    return approved - denied


_HYPOTHETICAL_RE = re.compile(
    r"\b(?:even\s+)?(?:if|unless|were|should)\b[^.;:]{0,80}?\b(?:were|is|are|be)\s+"
    r"(?:approved|authori[sz]ed|certified|covered)\b",
    re.IGNORECASE,
)
"""A clause that supposes an approval ('would limit J2787 to 1 unit even if the procedure were
approved'): no approval of anything."""


_STOP_RE = re.compile(r"\.\s")
_NO_STOP_RE = re.compile(
    r"(?:\b(?:Dr|Mr|Mrs|Ms|St|No|vs|Inc|Co|Corp|Ltd|approx|e\.g|i\.e)|\b[A-Z])$", re.I
)
"""A dot after a title, an abbreviation or an initial ('Dr. Feldstein', 'Alan P. Pruitt')."""


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence holding [start, end): from after the last full stop before
    it to the next one after it, within its paragraph; a dot after a title, abbreviation or
    initial does not end it."""
    blank = text.rfind("\n\n", 0, start)
    head = 0 if blank < 0 else blank + 2
    for stop in _STOP_RE.finditer(text, head, start):
        if not _NO_STOP_RE.search(text, max(0, stop.start() - 8), stop.start()):
            head = stop.end()
    tail = text.find("\n\n", end)
    tail = len(text) if tail < 0 else tail
    for stop in _STOP_RE.finditer(text, end, tail):
        if not _NO_STOP_RE.search(text, max(0, stop.start() - 8), stop.start()):
            return head, stop.start()
    return head, tail


def _mention(text: str, match: re.Match[str], next_code: int) -> str:
    start, end = _sentence_around(text, match.start(), match.end())
    line_start = text.rfind("\n", 0, match.start()) + 1
    if _opens_item(text, match.start()):  # '- CPT 77263 ...: approved'
        start = max(start, line_start)
        end = min(end, _item_end(text, match.end()), next_code)
    elif _LABEL_LINE_RE.match(text[line_start : match.start()]):  # 'Codes on this request: ...'
        start = max(start, line_start)
        end = min(end, _item_end(text, match.end()))
    return text[start:end]


_ROW_REVENUE_RE = re.compile(
    r"(?P<rev>)(?P<revenue>0\d{3})(?=[ \t]{2,}|/)"
    r"(?P<drglabel>(?!))?(?P<drg>(?!))?(?P<cpt>(?!))?(?P<hcpcs>(?!))?(?P<mod>(?!))?(?P<mod2>(?!))?"
)
"""A revenue code opening a row of a table whose first column is headed 'Rev Code' (the groups
of ``_SERVICE_CODE_RE``, the others never set)."""
_REVENUE_COLUMN_RE = re.compile(r"^rev(?:enue)?\.?(?:\s+codes?)?$", re.IGNORECASE)


def _revenue_rows(text: str) -> list[re.Match[str]]:
    """The revenue codes opening the rows of an institutional claim's table ('Rev Code
    Description  HCPCS/Units ...' over '0120      Room & board   3 days ...')."""
    found = []
    for line in re.finditer(r"(?m)^[ \t]*(?=0\d{3}(?:[ \t]{2,}|/))", text):
        header = _column_header(text, line.start())
        first = re.split(r" {2,}|\t", header[1].strip())[0] if header else ""
        if _REVENUE_COLUMN_RE.match(first) and (row := _ROW_REVENUE_RE.match(text, line.end())):
            found.append(row)
    for line in _CLAIM_ROW_RE.finditer(text):
        # a claim line whose code column holds a revenue code alone ('5  10/14/26  0370  1 ...'
        # under 'Line  DOS  Code  Units'): the facility's line of its own
        header = _column_header(text, line.start())
        column = line.end() - line.start()
        if (
            header
            and _CODE_HEAD_RE.match(header[1][column : column + 12])
            and (row := _ROW_REVENUE_RE.match(text, line.end()))
        ):
            found.append(row)
    return found


_CLAIM_ROW_RE = re.compile(
    r"(?m)^[ \t]*(?:\d{1,3}[ \t]+)?\d{1,2}/\d{1,2}/\d{2,4}[ \t]+"
    r"(?:-[ \t]+\d{1,2}/\d{1,2}/\d{2,4}[ \t]+)?(?=0\d{3}[ \t]{2,})"
)
"""A claim line up to its code column, when that column holds a revenue code alone."""
_CODE_HEAD_RE = re.compile(r"(?:rev(?:enue)?|code|hcpcs|cpt|procedure)\b", re.IGNORECASE)


_SUBSTITUTE_HEADING_RE = re.compile(
    r"\b(?:AS\s+)?RE-?PROCESSED\b|\bAS\s+(?:PAID|ALLOWED|ADJUSTED)\b|\bWHAT WE APPROVED\b|"
    r"\bAPPROVED (?:SERVICES|INSTEAD)\b"
)
"""A section heading over what the plan paid or approved instead of the request."""


def _under_substitute_heading(text: str, position: int) -> bool:
    """True when the nearest heading above ``position`` (a line in capitals, what follows a '('
    aside) names what the plan paid or approved instead ('CLAIM DETAIL - AS REPROCESSED')."""
    lines = text[:position].split("\n")[-40:-1]
    for line in reversed(lines):
        title = line.split("(", 1)[0].strip()
        words = re.findall(r"[A-Za-z]+", title)
        if len(words) >= 2 and title.upper() == title and not re.match(r"\d", title):
            return bool(_SUBSTITUTE_HEADING_RE.search(title))
    return False


def _another_line(known: RequestedService, service: RequestedService) -> bool:
    """True when a second mention of a code is a line of its own: both carry units and
    modifiers, none shared (an EOB's 'L3020 RT 1' and 'L3020 LT 1')."""
    return (
        known.units is not None
        and service.units is not None
        and bool(known.modifiers)
        and bool(service.modifiers)
        and not set(known.modifiers) & set(service.modifiers)
    )


_CODE_JOINER_RE = re.compile(r"\s*(?:,|\+|and|&|/)\s*(?:(?:CPT|HCPCS)\s*)?", re.IGNORECASE)
_REQUEST_CONTEXT_RE = re.compile(
    r"\b(?:CPT|HCPCS|codes?|procedures?|services?|billing|units?|J-?code|requested|request|"
    r"exam|study|studies|test|add-on)\b",
    re.IGNORECASE,
)


def _is_service_code(text: str, match: re.Match[str]) -> bool:
    if match["revenue"] or match["drg"]:
        return True
    start, end = match.start(), match.start() + len(match["cpt"] or match["hcpcs"])
    if _id_or_amount(text, start, end):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    above = text[max(0, text.rfind("\n", 0, max(line_start - 1, 0))) : line_start][-40:]
    if not above.strip() and text[line_start:start].strip() == "":
        # a code opening its line after a blank line under a lead-in that ends in a colon
        # ('We have denied the following service your doctor requested:' / '' / '  33249 ...')
        lead = text[: max(0, line_start - 1)].rstrip()
        last = lead[lead.rfind("\n") + 1 :]
        above = last[-60:] if last.rstrip().endswith(":") else above
    context = _context_before(text, start) + above
    if match["cpt"]:
        return bool(_REQUEST_CONTEXT_RE.search(context))
    if icd10_exists(match["hcpcs"]):
        own = text[line_start:start]  # 'Drug requested: J1569' under a 'Diagnosis:' line
        if _REQUEST_CONTEXT_RE.search(own) and not _ICD_CONTEXT_RE.search(own):
            return True
        return bool(_CODE_CONTEXT_RE.search(context)) and not _ICD_CONTEXT_RE.search(context)
    return True


def _continues_code_list(text: str, match: re.Match[str], hits: list[re.Match[str]]) -> bool:
    """A code starting its line right under a line that starts with an accepted code, or
    standing in the same column as the accepted code above it ('Services requested ......
    90867 ...' over '                     90868 ...')."""
    if not hits or not match["cpt"]:
        return False
    line_start = text.rfind("\n", 0, match.start()) + 1
    previous = hits[-1]
    previous_line = text.rfind("\n", 0, previous.start()) + 1
    aligned = match.start() - line_start == previous.start() - previous_line
    return (
        not text[line_start : match.start()].strip(" \t-*•")
        and (aligned or not text[previous_line : previous.start()].strip(" \t-*•"))
        and text.count("\n", previous.start(), match.start()) <= 3
    )


_LABEL_LINE_RE = re.compile(r"^[ \t]*[A-Za-z][\w /()#-]{0,30}:")


def _item_end(text: str, start: int) -> int:
    """The end of the item a code stands in: its line and the continuation lines after it
    (not a blank line, a 'Label:' line or a table row of its own)."""
    end = text.find("\n", start)
    while end >= 0:
        following = text.find("\n", end + 1)
        line = text[end + 1 : following if following >= 0 else len(text)]
        cells = [c.strip() for c in line.split("|")]
        table_row = "|" in line and len(cells) > 1 and any(cells[:2])
        label = _LABEL_LINE_RE.match(line) and not _COUNT_LABEL_RE.match(line)
        if not line.strip() or label or table_row:
            return end
        end = following
    return len(text)


def _opens_item(text: str, start: int) -> bool:
    """True when the code at ``start`` opens its line (after a bullet or 'CPT'): a list item."""
    line_start = text.rfind("\n", 0, start) + 1
    return len(text[line_start:start].strip(" \t-*•")) <= 6


def _service(
    text: str, match: re.Match[str], next_code: int, next_item: int
) -> RequestedService | None:
    line_end = text.find("\n", match.end())
    line_end = len(text) if line_end < 0 else line_end
    sentence_start, sentence_end = _sentence_around(text, match.start(), match.end())
    # the code's own item when it stands in a list or under a label, else its sentence
    mention = _mention(text, match, next_code)
    if _NOT_REQUESTED_RE.search(mention) or _POLICY_RULE_RE.search(mention):
        return None
    if _under_substitute_heading(text, match.start()):
        return None
    # the code's item, with the codes listed beside it ('92603 (...) and 92604 (...) were
    # listed ... and were not reviewed'), up to the next code that opens an item of its own
    if _NOT_REVIEWED_RE.search(text[match.end() : min(next_item, _item_end(text, match.end()))]):
        return None
    if _APPROVED_ROW_RE.search(text[match.end() : line_end]):
        return None
    modifiers = [m for m in (match["mod"], match["mod2"]) if m and m in _MODIFIERS]
    segment_end = min(next_code, match.end() + 400, _item_end(text, match.end()))
    if next_code < len(text) and (phrase := _phrase_before(text, next_code, match.end())):
        segment_end = min(segment_end, phrase[0])  # '25 units of mileage (A0425)' is A0425's
    segment = text[match.end() : segment_end]
    units: int | None = None
    # the quantity a dotted leader leads to on the code's own item ('... 30 per month x 6 = 180')
    led = leader_units(text[match.end() : min(next_code, _item_end(text, match.end()))])
    if led is not None:
        units = led
    elif row := _ROW_UNITS_RE.match(text[match.end() : line_end]):
        units = int(row["n"])
        if row["mod"] and row["mod"] in _MODIFIERS:
            modifiers.append(row["mod"])
    elif qty := _QTY_RE.search(segment):
        units = int(qty["n"] or qty["u"])
    elif times := _TIMES_RE.search(segment):
        units = int(times["n"])
    elif counts := list(_UNITS_RE.finditer(segment)):
        # "(injection, 1 unit), 155 units": the count outside the code's description wins
        outside = [
            m for m in counts if segment[: m.start()].count("(") == segment[: m.start()].count(")")
        ]
        units = read_count((outside or counts)[0]["n"])
    elif each := _PER_ADMIN_COUNT_RE.search(segment):
        units = int(each["n"])  # '1 per infusion day, 3 infusion days every 28 days'
    elif count := _PAREN_COUNT_RE.match(segment) or _ITEM_COUNT_RE.match(segment):
        units = int(count["n"])  # 'E2103 (1 receiver)' (not 'J3380 (1 mg)'), '77316 (...): 3'
    elif (own := _phrase_before(text, match.start(), sentence_start)) and (
        counted := _UNITS_RE.search(text, *own)
    ):
        units = read_count(counted["n"])  # 'for 25 units of ground mileage (HCPCS A0425)'
    if word := _MODIFIER_WORD_RE.search(segment):  # 'modifier RT', 'right knee (RT)'
        named = word["m"] or word["m2"]
        modifiers += [named] if named in _MODIFIERS and named not in modifiers else []
    if cells := _row_cells(text, match.start()):  # a table: read by column
        # a quantity table's 'Approved' / 'Denied' counts (``claim_lines.partial_line``)
        if (part := partial_line(cells)) is not None and part.approved and not part.denied:
            return None  # a line approved in full is no part of the appeal
        units, modifiers = _column_units(cells, units, modifiers)
        units = _denied_units(text, cells, _row_text(text, match.start()), units)
        if part is not None:
            units = part.denied or units  # a line approved in part: the appeal asks the rest
    item = text[match.end() : _item_end(text, match.end())]
    per, administrations = _per_administration(segment, item, units)
    if rental := _RENTAL_RE.search(segment):  # '3 monthly rental units': 1 unit a month, 3 months
        units, per, administrations = 1, "month", int(rental["n"])
    # a table row's period is its own date cell ('10/09/26 - 11/07/26'), never a row below it
    start, end = _row_period(cells) if cells else _item_period(item[:600])
    sentence = text[sentence_start:sentence_end]
    if _APPROVED_RE.search(sentence) and not _DENIED_RE.search(sentence):
        start = end = None  # the period of what was approved ('We approved J1561 ... through ...')
    system: Literal["cpt", "hcpcs", "revenue", "drg", "ndc"]
    if match["revenue"]:
        code, system = match["revenue"], "revenue"
    elif match["drg"]:
        code, system = match["drg"], "drg"
    elif match["cpt"]:
        code, system = match["cpt"], "cpt"
    else:
        code, system = match["hcpcs"], "hcpcs"
    return RequestedService(
        code=code,
        system=system,
        units=units,
        modifiers=modifiers,
        per=per,
        administrations=administrations,
        start=start,
        end=end,
    )


def _row_cells(text: str, position: int) -> dict[str, str]:
    """The cells of the table row holding ``position`` by lower-cased header: a space-aligned
    table's (read by column) or a '|' table's; {} outside a table."""
    return _column_cells(text, position) or pipe_cells(text, position)


def _row_text(text: str, position: int) -> str:
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    return text[line_start : len(text) if line_end < 0 else line_end]


_UNITS_COLUMN_RE = re.compile(
    r"(?:billed |svc\.? |service )?(?:units?|qty|quantity|days|visits|sessions)(?: billed)?|"
    r"(?:no\.? of )?units|days ?/ ?units|units ?/ ?days",
    re.IGNORECASE,
)
"""A units column: 'Units', 'Qty', 'Days', 'Units billed' (the claim's own units, not the
'Units allowed' beside them)."""


_PAREN_CODE_BEFORE_RE = re.compile(r"\(\s*(?:(?:CPT|HCPCS|code)\s*[:#]?\s*)?$", re.IGNORECASE)
_CLAUSE_BREAK_RE = re.compile(r"[,;:)\n]|\.\s|\b(?:and|or|plus|with)\b", re.IGNORECASE)


def _phrase_before(text: str, code_start: int, floor: int) -> tuple[int, int] | None:
    """The span of the phrase a code in parentheses closes ('for 25 units of ground mileage'
    of '... and for 25 units of ground mileage (HCPCS A0425)'): from the last clause or
    sentence break before the parenthesis (after ``floor``) to it; None when the code is not in
    parentheses or no break stands between ``floor`` and it."""
    m = _PAREN_CODE_BEFORE_RE.search(text, floor, code_start)
    if m is None:
        return None
    breaks = list(_CLAUSE_BREAK_RE.finditer(text, floor, m.start()))
    return (breaks[-1].end(), m.start()) if breaks else None


_ALLOWED_UNITS_COLUMN_RE = re.compile(r"(?:units? allowed|allowed units?|units? paid)", re.I)
_LINE_COLUMN_RE = re.compile(r"(?:ln|line|line ?#|#|line no\.?)", re.IGNORECASE)


def _denied_units(text: str, cells: dict[str, str], row: str, units: int | None) -> int | None:
    """The units of a claim line the plan paid in part that the appeal asks for: the billed
    units less those allowed, from a 'Units allowed' column or the notice's own words about the
    line ('Line 2 allowed 12 of 15 units; 3 units denied'); ``units`` otherwise."""
    if units is None or not denial_on(row):
        return units
    allowed = next((v for n, v in cells.items() if _ALLOWED_UNITS_COLUMN_RE.fullmatch(n)), "")
    if allowed.isdigit() and 0 < int(allowed) < units:
        return units - int(allowed)
    number = next((v for n, v in cells.items() if _LINE_COLUMN_RE.fullmatch(n)), "")
    if not number.isdigit():
        return units
    said = re.compile(
        rf"\bline {number}\b[^.\n]{{0,80}}?(?:\ballowed (?P<a>\d+) of {units} units?\b|"
        rf"\b(?P<d>\d+) units? (?:(?:was|were) )?denied\b)",
        re.IGNORECASE,
    )
    if m := said.search(text):
        n = int(m["d"]) if m["d"] else units - int(m["a"])
        return n if 0 < n < units else units
    return units


def _column_units(
    cells: dict[str, str], units: int | None, modifiers: list[str]
) -> tuple[int | None, list[str]]:
    """Units and modifiers from a service table's 'Units' / 'Qty' / 'Days' and 'Mod' columns."""
    for name, value in cells.items():
        if _UNITS_COLUMN_RE.fullmatch(name):
            units = int(value) if value.isdigit() and len(value) <= 4 else units
        elif re.fullmatch(r"mods?\.?|modifiers?", name):
            found = [m for m in re.split(r"[\s,/-]+", value) if m in _MODIFIERS]
            modifiers = list(dict.fromkeys([*modifiers, *found]))
    return units, modifiers


_RENTAL_RE = re.compile(
    r"(?<![\w.])(?P<n>\d{1,3})[ \t]+(?:monthly[ \t]+rental[ \t]+(?:units?|months?)|rental[ \t]+"
    r"months?|months?[ \t]+of[ \t]+rental)\b",
    re.IGNORECASE,
)
"""A rental counted in months ('Quantity: 3 monthly rental units', '10 rental months'): one
unit a month for that many months, not that many units each month."""
_ADMINISTRATIONS = r"infusion|injection|dose|administration|session|visit|treatment|cycle|fill"
_PER_RE = re.compile(
    rf"^\s*(?:units?\s+|mg\s+)?(?:per|each|/|every)\s+(?P<per>{_ADMINISTRATIONS})\b", re.I
)
_TIMES_PER_RE = re.compile(
    r"(?:^|[\s,;(])[x×][ \t]*\d{1,4}(?:[ \t]+units?)?(?P<rest>[^\n]{0,30})", re.IGNORECASE
)


_DATE_COLUMN_RE = re.compile(
    r"(?:(?:service |svc )?dates?(?:\(s\))?(?: of service)?|dos|from - to)", re.I
)


def _row_period(cells: dict[str, str]) -> tuple[dt.date | None, dt.date | None]:
    """The range a claim row's date cell gives ('10/09/26 - 11/07/26'), or (None, None) for a
    single date or none."""
    cell = next((v for n, v in cells.items() if _DATE_COLUMN_RE.fullmatch(n)), "")
    return _item_period(cell)


def _per_administration(
    segment: str, item: str, units: int | None
) -> tuple[str | None, int | None]:
    """('infusion', 6) for 'x 300 units per infusion ... 6 infusions requested': the units are
    per administration, and how many administrations the item asks for."""
    if units is None:
        return None, None
    counted = _UNITS_RE.search(segment) or _PER_ADMIN_COUNT_RE.search(segment)
    after = next(
        (m["rest"] for m in _TIMES_PER_RE.finditer(segment) if _TIMES_RE.match(segment, m.start())),
        segment[counted.end("n") :] if counted else "",
    )
    per = _PER_RE.match(after)
    if per is None:
        return None, None
    word = per["per"].lower()
    count = re.search(rf"(?<![\w.])(\d{{1,3}})\s+(?:additional\s+)?{word}s?\b", item, re.I)
    return word, int(count[1]) if count else None


def _item_period(item: str) -> tuple[dt.date | None, dt.date | None]:
    """The first 'from - to' date range in the item a code stands in ('6 infusions requested
    for 11/16/2026 - 11/15/2027')."""
    days = find_dates(item)
    for (first, at), (second, second_at) in pairwise(days):
        between = item[at:second_at]
        if (
            first <= second
            and len(between) <= 40
            and re.search(r"\d\s*(?:-|–|—|\bto\b|\bthrough\b|\bthru\b)\s*$", between, re.I)
        ):
            return first, second
    return None, None


# --------------------------------------------------------------------------- deadline

_NUMBER = rf"(?P<n>\d{{1,3}}|{number_words_pattern()})"
_WINDOW_RE = re.compile(
    rf"\b(?:(?P<lead>within|up to|in)\s+)?{_NUMBER}\s*(?:\(\d{{1,3}}\)\s*)?"
    r"(?P<kind>calendar\s+|business\s+|working\s+)?(?P<unit>days?|months?)\b"
    r"(?P<tail>\s+(?:of|from|after|following)\s+(?:the\s+)?(?:date|receipt|receiving|"
    r"(?:the\s+)?day|this|our|your|you|when|notice|letter|decision|denial|initial)"
    r"|\s+to\s+(?:appeal|file|request|ask|submit))?",
    re.IGNORECASE,
)
_EXPLICIT_DEADLINE_RE = re.compile(
    r"\b(?:by|no later than|on or before|before|deadline(?:\s+is|:)?|until|received by)\s+"
    r"(?:\w+day,?\s+)?(?=\S)",
    re.IGNORECASE,
)
_APPEAL_RE = re.compile(
    r"\b(?:appeal|reconsider|redetermination|grievance|external review|hearing|disagree|"
    r"change (?:our|this|the) decision)",
    re.IGNORECASE,
)
_NOT_MEMBER_DEADLINE_RE = re.compile(
    r"\b(?:we will|we'll|we must|decision will|will be (?:made|decided|sent)|decide|respond|"
    r"notify|answer|resolve|process|hours|effective|peer)\b",
    re.IGNORECASE,
)
_LATER_LEVEL_RE = re.compile(
    r"external|independent|fair hearing|IRE\b|administrative law|court|civil action|state\b",
    re.IGNORECASE,
)


_PRESUMED_RE = re.compile(
    r"\b(?:presumed?|deemed?|considered?|assumed?)\b[^.]{0,80}?\breceived?\b[^.]{0,40}?"
    rf"{_NUMBER}\s*(?:\(\d{{1,3}}\)\s*)?(?:calendar\s+)?days?\s+(?:after|from|following)\b",
    re.IGNORECASE,
)
"""A notice's presumption of when it is received ('it will presume that you received it 5
days after the statement date'): a window counted from receipt starts that much later."""
_FROM_RECEIPT_RE = re.compile(r"\breceiv(?:e|ed|ing)\b|\breceipt\b", re.IGNORECASE)
_NAMED_APPEAL_RE = re.compile(
    r"\b(?:appeal|redetermination|grievance|external review|hearing|disagree|"
    r"change (?:our|this|the) decision)",
    re.IGNORECASE,
)
_GRIEVANCE_RE = re.compile(r"\bgrievances?\b", re.IGNORECASE)
_THIS_DECISION_RE = re.compile(
    r"\b(?:decision|determination|denial|denied|notice|letter|disagree|(?:do|does) not agree)\b",
    re.IGNORECASE,
)
"""A grievance's sentence tied to this decision ('If you do not agree with this decision, you
may file a grievance', 'within 60 days from the date on this notice': some plans call their
appeal so); one that is not ('a concern about the quality of care ... within 60 days of the
event') is a complaint's window, never the appeal's."""
_FIRST_APPEAL_RE = re.compile(
    r"\b(?:appeal|redetermination|change (?:our|this|the) decision)", re.IGNORECASE
)
"""Words that name the first-level appeal itself (a grievance or a later level does not)."""
_KEPT = r"(?:services?|benefits?|care|coverage|treatment|therapy|aid)"
_SIDE_WINDOW_RE = re.compile(
    r"\b(?:reconsideration|keep (?:getting|receiving)|continue (?:to )?(?:get|receive)|"
    r"continu(?:ed|ing|ation of) (?:coverage|benefits|services)|"
    r"(?:keep|continue|receive|get)\s+(?:it|them|the\s+service|your\s+services?|services?)\s+"
    r"during\s+the\s+appeal|"
    # 'Keep your services while you appeal', 'If you want your services to continue while we
    # decide your appeal', 'benefits to stay the same during the appeal', 'aid paid pending'
    rf"(?:keep|continue|maintain)\s+(?:getting\s+|receiving\s+)?(?:(?:your|the|these|this|"
    rf"current|same)\s+)?{_KEPT}|"
    rf"{_KEPT}\s+(?:to\s+)?(?:continue|stay\s+(?:in\s+place|the\s+same)|remain\s+in\s+place)|"
    r"aid\s+paid\s+pending)\b",
    re.IGNORECASE,
)
"""A window beside the appeal's: a 'reconsideration' when another sentence of the notice names
the appeal (an optional peer reconsideration 'within 2 business days of this notice', not
required before an appeal; a notice that names no other appeal calls its appeal so),
or the window to keep a service during the appeal ('if you ask within 10 days'). It gives the
appeal's deadline only when no other sentence does."""
_LATER_ANCHOR_RE = re.compile(
    r"[^.;]{0,60}?\b(?:final\s+(?:internal\s+)?(?:appeal\s+)?(?:adverse\s+)?(?:benefit\s+)?"
    r"(?:determination|decision)|(?:internal\s+)?appeal\s+decision|decision\s+on\s+(?:your|the)"
    r"\s+(?:internal\s+)?appeal|(?:letter|decision)\s+upholding|reconsidered\s+decision)\b",
    re.IGNORECASE,
)
"""What a window counted from the end of the internal appeal names after it ('within 4 months
after you receive our final internal adverse benefit determination', 'within 90 days after the
date of our letter upholding our initial decision'): the next level's window, never the
deadline to appeal this notice."""
_FAST_TRACK_RE = re.compile(r"\b(?:expedited|fast|urgent)\b", re.IGNORECASE)
"""A sentence about the expedited track (or the one after it, in the same item)."""
_STANDARD_RE = re.compile(r"\bstandard\b", re.IGNORECASE)


def find_appeal_deadline(text: str, letter_date: dt.date | None) -> dt.date | None:
    """The last day to appeal: a stated date, else letter date + the stated window (a window
    counted from receipt starts on the day the notice presumes it received)."""
    return find_appeal_clock(text, letter_date)[0]


_CLOCK_END_RE = re.compile(
    r"[^.;:]{0,60}?\b(?:notice|letter|EOB|statement|decision|determination|denial|explanation "
    r"of benefits)\b",
    re.IGNORECASE,
)
"""The rest of an appeal window's words up to what it counts from ('within 180 days' + ' after
you receive this notice')."""


def find_appeal_clock(text: str, letter_date: dt.date | None) -> tuple[dt.date | None, str | None]:
    """(the last day to appeal, the notice's own words for it: 'within 180 days after you
    receive this notice', 'by December 3, 2026'), from the first-level appeal's sentence: never
    a peer-to-peer or resubmission window."""
    presumed = _PRESUMED_RE.search(" ".join(text.split()))
    received = letter_date
    if presumed is not None and letter_date is not None:
        received = letter_date + dt.timedelta(days=word_number(presumed["n"]) or 0)
    # each item of a bulleted list, and each row of a table, is a sentence of its own: a
    # peer-to-peer item's window is not the grievance item's below it, nor a keep-your-services
    # row's the appeal row's
    text = _ROW_START_RE.sub("\n\n", _ITEM_START_RE.sub("\n\n", text))
    placed = [
        (k, sentence)
        for k, paragraph in enumerate(re.split(r"\n\s*\n", text))
        for sentence in split_sentences(paragraph, flatten=True)
    ]
    all_sentences = [sentence for _, sentence in placed]
    # A sentence counts when it, the one before it, or the one before that in its paragraph
    # (an 'Internal appeal.' heading, then who may ask, then 'You must file within 180 days
    # ...') is about an appeal.
    sentences = [
        sentence
        for i, (k, sentence) in enumerate(placed)
        if any(
            _APPEAL_RE.search(other)
            for j, (m, other) in enumerate(placed[max(0, i - 2) : i + 1], start=max(0, i - 2))
            if j >= i - 1 or m == k
        )
    ]
    # First the internal (first-level) appeal sentences, then later levels; of each, the
    # standard track's before the expedited track's (its window to ask for the fast review is
    # no deadline of the appeal itself)
    fast = {
        s
        for i, s in enumerate(all_sentences)
        if _FAST_TRACK_RE.search(s)
        or (i and _FAST_TRACK_RE.search(all_sentences[i - 1]) and not _STANDARD_RE.search(s))
    }
    # the first-level appeal named in sentences of its own: a 'reconsideration' is then a side
    # window; a notice naming no other appeal calls its appeal so
    named = {
        s for s in all_sentences if _FIRST_APPEAL_RE.search(s) and not _LATER_LEVEL_RE.search(s)
    }
    timing = request_timing()
    # a step the notice says is not the appeal ('... and our reviewer will reconsider the
    # request. This is not an appeal.'): its sentence and the one before it in its paragraph
    beside = {
        placed[i - j][1]
        for i, (k, sentence) in enumerate(placed)
        if timing.says_not_appeal(sentence)
        for j in (0, 1)
        if i - j >= 0 and placed[i - j][0] == k
    }

    def side(sentence: str) -> bool:  # missing information's window: never the appeal's
        return sentence in beside or timing.is_side_window(sentence)

    for sentence in sorted(
        (s for s in sentences if not _grievance_only(s) and not side(s)),
        key=lambda s: (
            bool(_LATER_LEVEL_RE.search(s)),
            s in fast,
            _side_window(s, bool(named - {s})),
        ),
    ):
        start = received if _FROM_RECEIPT_RE.search(sentence) else letter_date
        if deadline := _explicit_deadline(sentence):
            stated = next(
                m.group(0) + dm.group(0)
                for m in _EXPLICIT_DEADLINE_RE.finditer(sentence)
                if (dm := DATE_RE.match(sentence, m.end()))
            )
            return deadline, " ".join(stated.split())
        if deadline := _window_deadline(sentence, start):
            return deadline, _clock_words(sentence)
    return None, None


def _side_window(sentence: str, appeal_elsewhere: bool) -> bool:
    """True when the sentence's window is one beside the appeal's (:data:`_SIDE_WINDOW_RE`); a
    'reconsideration' only when another sentence names the appeal and this one does not."""
    side = _SIDE_WINDOW_RE.search(sentence)
    if side is None:
        return False
    if side[0].lower() != "reconsideration":
        return True
    return appeal_elsewhere and not _NAMED_APPEAL_RE.search(sentence)


def _grievance_only(sentence: str) -> bool:
    """True when the sentence's window is a complaint's grievance, naming no appeal and not this
    decision (:data:`_THIS_DECISION_RE`): never the appeal's deadline."""
    return bool(
        _GRIEVANCE_RE.search(sentence)
        and not _FIRST_APPEAL_RE.search(sentence)
        and not _THIS_DECISION_RE.search(sentence)
    )


def _clock_words(sentence: str) -> str | None:
    """The appeal window's words in its sentence, through what it counts from."""
    match = _filing_window(sentence)
    if match is None:
        return None
    rest = _CLOCK_END_RE.match(sentence, match.end()) if match["tail"] else None
    words = sentence[match.start() : rest.end() if rest else match.end()]
    return " ".join(words.split())[:200]


_COUNTED_BACK_RE = re.compile(r"\s+(?:before|prior\s+to|preceding)\b", re.IGNORECASE)
"""After a window: it is counted back from an event ('a trough drawn within 3 days before a
scheduled dose', 'within 30 days prior to the request'), a criterion's, never a filing clock."""


def _filing_window(sentence: str) -> re.Match[str] | None:
    """The sentence's first window that can be a filing clock ('within 180 days', '60 days
    from the date of this notice'), never one counted back from an event."""
    return next(
        (
            m
            for m in _WINDOW_RE.finditer(sentence)
            if (m["lead"] or m["tail"]) and not _COUNTED_BACK_RE.match(sentence, m.end())
        ),
        None,
    )


_ITEM_START_RE = re.compile(r"\n[ \t]*[-*•▪][ \t]+(?=\S)")
_ROW_START_RE = re.compile(r"\n(?=[ \t]*\|)")
"""A table row's start ('| Ask for a plan appeal | within 60 days ... |')."""


def _explicit_deadline(sentence: str) -> dt.date | None:
    for match in _EXPLICIT_DEADLINE_RE.finditer(sentence):
        if (dm := DATE_RE.match(sentence, match.end())) and (day := parse_date(dm)):
            return day
    return None


def _window_deadline(sentence: str, letter_date: dt.date | None) -> dt.date | None:
    if letter_date is None or _NOT_MEMBER_DEADLINE_RE.search(sentence):
        return None
    match = _filing_window(sentence)
    if not match or _LATER_ANCHOR_RE.match(sentence, match.end()):
        return None
    n = word_number(match["n"]) or 0
    if match["unit"].lower().startswith("month"):
        return add_months(letter_date, n)
    if match["kind"] and match["kind"].strip().lower() in {"business", "working"}:
        return _add_business_days(letter_date, n)
    return letter_date + dt.timedelta(days=n)


# --------------------------------------------------------------------------- offers & reviewer

_EXPEDITED_RE = re.compile(
    r"\b(?:expedited|urgent|fast(?:-track)?\s+(?:appeal|review|decision)|72\s+hours)\b",
    re.IGNORECASE,
)
_P2P_RE = re.compile(
    r"peer[- ]to[- ]peer|doctor[- ]to[- ]doctor|"
    r"(?:speak|talk) (?:with|to) (?:the|our|a) (?:physician |medical )?reviewer|"
    r"(?:speak|talk) (?:with|to) Dr\.?\s+[A-Z][\w'’-]+|call (?:our|the) (?:physician|medical) "
    r"reviewer|(?:physician|medical) reviewer is available to discuss|"
    # 'Your physician may call 1-603-555-0114 within 7 days of this letter to discuss it.'
    r"\b(?:physician|doctor|provider|prescriber|surgeon|practitioner)\s+(?:may|can)\s+"
    r"(?:call|contact|phone)\b[^.;]{0,80}?\bto\s+(?:discuss|talk)\b|"
    r"discuss (?:this|the) (?:case|decision) with (?:(?:the|our|a) (?:physician|medical director|"
    r"reviewer)|him|her|them)\b|"
    # 'To discuss this decision, your provider may call 1-866-...' (the prescriber's line, not
    # the member's customer service)
    r"\bto (?:discuss|talk about) (?:this|the|our) (?:decision|determination|denial|case)\b"
    r"[^.]{0,40}\b(?:provider|physician|doctor|prescriber|practitioner)s? (?:may|can) "
    r"(?:call|contact|reach)\b|"
    r"\b(?:provider|physician|doctor|prescriber|practitioner)s? (?:may|can) (?:call|contact|reach)"
    r"\b[^.]{0,100}\bto (?:discuss|talk about) (?:this|the|our) (?:decision|determination|denial|"
    r"case)\b",
    re.IGNORECASE,
)
_NEGATED_OFFER_RE = re.compile(
    r"\b(?:not|no longer|isn't|is not|cannot|can't|unable|expired|has passed|have passed|closed|"
    r"does not qualify|not eligible|ineligible|denied)\b",
    re.IGNORECASE,
)


def _offered(text: str, offer: re.Pattern[str]) -> bool:
    """True when a sentence makes the offer without saying it is unavailable."""
    return any(
        offer.search(s) and not _NEGATED_OFFER_RE.search(s)
        for s in split_sentences(text, flatten=True)
    )


_DECISION_RE = re.compile(r"\b(?:decid|decision|appeal|review|grievance|reconsider)", re.I)


def find_expedited(text: str) -> bool:
    """The notice offers an expedited review: a sentence naming one, or a 72-hour clock of a
    decision ('72 hours of recording' is no offer), without saying it is unavailable."""
    return any(
        (m := _EXPEDITED_RE.search(s)) is not None
        and not _NEGATED_OFFER_RE.search(s)
        and (not m.group(0)[:1].isdigit() or _DECISION_RE.search(s) is not None)
        for s in split_sentences(text, flatten=True)
    )


def find_peer_to_peer(text: str) -> bool:
    return _offered(text, _P2P_RE)


_PHONE_RE = re.compile(r"(?<![\d-])(?:1[-. ])?(?:\(\d{3}\)\s?|\d{3}[-. ])\d{3}[-. ]\d{4}(?![\d-])")
_P2P_WINDOW_RE = re.compile(
    r"\b(?:within|in)\s+(?:\w+\s+)?(?:\(\d+\)\s+)?\d*\s*(?:calendar\s+|business\s+|working\s+)?"
    r"(?:days?|hours?)(?:\s+(?:of|from|after)\s+(?:the\s+)?(?:date\s+of\s+)?(?:this|the)\s+"
    r"(?:letter|notice|decision|determination|denial))?|\bbefore\s+the\s+appeal\b",
    re.IGNORECASE,
)


def _offer_sentences(text: str, offer: re.Pattern[str]) -> list[str]:
    """The sentences (with the one after each) that make an offer and do not withdraw it."""
    sentences = split_sentences(text, flatten=True)
    return [
        " ".join(sentences[i : i + 2])
        for i, s in enumerate(sentences)
        if offer.search(s) and not _NEGATED_OFFER_RE.search(s)
    ]


def find_peer_to_peer_line(text: str) -> tuple[str | None, str | None]:
    """(phone, window) the letter gives for a peer-to-peer review, verbatim: each the first
    an offer's sentences give ('Ask for a doctor-to-doctor talk.' then the sentence with the
    number, then the one with the window)."""
    phone: str | None = None
    window: str | None = None
    for passage in _offer_sentences(text, _P2P_RE):
        first = split_sentences(passage)[0]
        if phone is None and (found := _PHONE_RE.search(first) or _PHONE_RE.search(passage)):
            phone = found[0]
        if window is None and (
            found := _P2P_WINDOW_RE.search(first) or _P2P_WINDOW_RE.search(passage)
        ):
            window = found[0]
        if phone and window:
            break
    return phone, window


def find_expedited_route(text: str) -> tuple[str | None, str | None]:
    """(phone, fax) the letter gives for an expedited appeal: from the first sentence offering
    one that gives a number ('Fast appeal: Phone 1-844-555-0132 Fax 1-844-555-0133'), or from
    the sentence after it when that one only says how ('Call ... or fax ...'); never the numbers
    after the standard track's label ('Standard appeal: ... Fax ...')."""
    for passage in _offer_sentences(text, _EXPEDITED_RE):
        sentences = split_sentences(passage)
        part = sentences[0]
        if len(sentences) > 1 and _HOW_TO_CALL_RE.match(sentences[1]):
            part = f"{part} {sentences[1]}"
        fast = _EXPEDITED_RE.search(part)
        if fast is not None and (standard := _STANDARD_LABEL_RE.search(part, fast.end())):
            part = part[: standard.start()]
        if fast is not None and _STANDARD_NUMBER_RE.search(part[: fast.start()]):
            # 'Standard fax 1-877-555-0193 | Expedited phone ... | Expedited fax ...': the
            # numbers before the expedited label are the standard track's
            part = part[fast.start() :]
        fax = _FAX_RE.search(part)
        phone = next(
            (m[0] for m in _PHONE_RE.finditer(part) if fax is None or m.start() != fax.start("n")),
            None,
        )
        if phone or fax:
            return phone, fax["n"] if fax else None
    return None, None


_STANDARD_LABEL_RE = re.compile(
    r"\bstandard(?:\s+(?:appeals?|reconsiderations?|reviews?|redeterminations?|grievances?|"
    r"requests?))?\s*:",
    re.IGNORECASE,
)
"""The standard track's label after the expedited one's ('Standard appeal: PO Box ... Fax ...')."""
_STANDARD_NUMBER_RE = re.compile(r"\bstandard\s+(?:fax|phone|telephone)\b", re.IGNORECASE)
"""The standard track's own number, labelled before the expedited one's on the same line."""
_HOW_TO_CALL_RE = re.compile(r"(?:Call|Phone|Telephone|Fax)\b", re.IGNORECASE)
"""A sentence that only says how to reach the track the sentence before it offers."""


def _fast_label_before(flat: str, at: int) -> bool:
    """The label nearest before ``at`` in its sentence (within a line's length) names the
    expedited track ('Fast appeal: Phone ... Fax ...'), not the standard one."""
    before = re.split(r"[.!?]\s", flat[max(0, at - 120) : at])[-1]
    fast = [m.end() for m in _FAST_TRACK_RE.finditer(before)]
    standard = [m.end() for m in _STANDARD_RE.finditer(before)]
    return bool(fast) and (not standard or fast[-1] > standard[-1])


_ADDRESS_RE = re.compile(
    # after 'to' ('Send it to X, PO Box ...') or a colon ('Write to us within 6 months of the
    # date of this letter: X, Attn: ..., PO Box ...')
    r"(?:(?<=\bto)|(?<=\bto:)|(?<=\bMail:)|(?<=\bwrite to)|(?<=\bwriting to)|(?<=:))\s+"
    r"(?P<a>(?:[^.;]|\.(?=,)){0,120}?"
    r"(?:P\.?\s?O\.?\s+Box|\b\d{1,5}\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,3})[^;]{0,80}?"
    r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?)",
    re.IGNORECASE,
)
_APPEAL_WORDS_RE = re.compile(r"\b(?:appeals?|reconsider\w*|redetermination|grievances?)\b", re.I)
_ADDRESS_LEAD_RE = re.compile(r"\b(?:to|mail|with)\b\s*:?\s+(?=[A-Z0-9])", re.IGNORECASE)
_LEAD_COLON_RE = re.compile(r"^.*\b(?:[a-z]+|Address|Mail|Write|Send|To)\s*:\s+(?=[A-Z0-9])")
"""The words leading to an address through a colon ('Mail, fax or deliver your appeal, or call
us: X, PO Box ...', 'Address: X, ...'): not the addressee ('Attn: Appeals' stays)."""
_FAX_RE = re.compile(
    # 'fax it to', 'Fax appeals to', 'fax your request at'
    r"\bfax\w*(?:\s+(?:it|them|this|appeals?|requests?|your\s+\w+))?(?:\s+(?:at|to|number|no\.?))?"
    r"\s*:?\s*(?P<n>" + _PHONE_RE.pattern + ")",
    re.I,
)


def find_appeal_route(text: str) -> tuple[str | None, str | None]:
    """(address, fax) for a written appeal: from the paragraphs that speak of the appeal (the
    expedited track's own fax only when the notice gives no other)."""
    address = fax = fast = None
    paragraphs = re.split(r"\n\s*\n", text)
    for i, paragraph in enumerate(paragraphs):
        if not _APPEAL_WORDS_RE.search(paragraph):
            continue
        if paragraph.rstrip().endswith(":") and i + 1 < len(paragraphs):
            paragraph += "\n" + paragraphs[i + 1]  # "Send your appeal to:" above the address
        flat = " ".join(paragraph.split())
        if address is None and (match := _ADDRESS_RE.search(flat)):
            # 'To appeal, write within 180 days to X, PO Box ...': after the last 'to'
            address = _ADDRESS_LEAD_RE.split(match["a"])[-1].strip(" ,:")
            address = _LEAD_COLON_RE.sub("", address)
        for match in _FAX_RE.finditer(flat) if fax is None else ():
            if _in_side_window(flat, match.start()):
                continue  # the fax for missing information that reopens the request
            if not _fast_label_before(flat, match.start()):
                fax = match["n"]
                break
            fast = fast or match["n"]
        if address and fax:
            break
    return address, fax or fast


def _in_side_window(flat: str, at: int) -> bool:
    """The fax at ``at`` is given in a sentence about a window beside the appeal's (missing
    information that reopens the request without an appeal), never the appeal's."""
    for sentence in split_sentences(flat[:at], flatten=True)[-1:]:  # its words up to the fax
        return request_timing().is_side_window(sentence)
    return False


_PORTAL_RE = re.compile(
    r"(?:https?://|www\.)[\w.-]+\.[a-z]{2,}(?:/[\w./%-]*[\w/])?|"
    r"\b(?:provider|member|online|secure|web)\s+portal(?:\s+at\s+[\w.:/-]+[\w/])?",
    re.IGNORECASE,
)


def find_appeal_portal(text: str) -> str | None:
    """Where the notice lets an appeal be filed online, verbatim: an address or a named portal
    in a sentence about the appeal ('use the provider portal at www.plan.example/appeals')."""
    for sentence in split_sentences(text, flatten=True):
        if (
            _APPEAL_WORDS_RE.search(sentence)
            and not _LATER_LEVEL_RE.search(sentence)
            and (match := _PORTAL_RE.search(sentence))
        ):
            return match.group(0).rstrip(".")
    return None


_PERIOD_LINE_RE = re.compile(
    r"servic|request|authori[sz]|days|stay|admission|period|dates?\b", re.IGNORECASE
)


def find_service_period(text: str) -> tuple[dt.date | None, dt.date | None]:
    """First and last day of the requested service or authorization period ('Requested dates
    of service: 10/26/2026 - 12/31/2026')."""
    for _, line in _lines(text):
        if not _PERIOD_LINE_RE.search(line):
            continue
        days = find_dates(line)
        if len(days) < 2 or not re.search(r"\d\s*(?:-|–|—|to|through|thru)\s*\S", line):
            continue
        # the dates joined as a range ('from December 1, 2026 through May 31, 2027'), not the
        # first two of a long line ('received on November 16, 2026 ... from December 1, ...')
        ranges = [
            (a, b)
            for (a, a_at), (b, b_at) in pairwise(days)
            if (first := DATE_RE.match(line, a_at))
            and _RANGE_JOINER_RE.fullmatch(line, first.end(), b_at)
            and a <= b
        ]
        if ranges:
            return ranges[0]
    return None, None


_RANGE_JOINER_RE = re.compile(r"\s*(?:-|–|—|to|through|thru|until)\s*", re.IGNORECASE)


_LEVELS_OF_CARE = (
    "inpatient rehabilitation facility", "inpatient rehabilitation", "skilled nursing facility",
    "long-term acute care", "partial hospitalization", "intensive outpatient",
    "residential treatment", "inpatient withdrawal management", "withdrawal management",
    "inpatient psychiatric", "acute inpatient", "inpatient admission", "inpatient stay",
    "observation", "home health",
)  # fmt: skip
_LEVEL_LABEL_RE = re.compile(
    r"^[ \t]*(?P<k>level of care|program|setting)[ \t]*:[ \t]*(?P<v>[^\n(;]{3,80})", re.I | re.M
)
_CARE_WORDS_RE = re.compile(
    r"\b(?:inpatient|outpatient|residential|partial|intensive|observation|acute|rehabilitation|"
    r"skilled nursing|nursing facility|home health|day treatment|withdrawal|detox\w*|"
    r"hospital(?:i[sz]ation)?|facility|office|ambulatory|infusion|home)\b",
    re.IGNORECASE,
)
"""A 'Program:' or 'Setting:' label names a level of care only in these words (a notice's
'Program: Cascade Employers Health Plan PPO' names the plan, not a level of care)."""
_LEVEL_RE = re.compile(r"\b(?:" + "|".join(map(re.escape, _LEVELS_OF_CARE)) + r")\b", re.I)


def find_level_of_care(text: str) -> str | None:
    """The level of care requested: a 'Level of care:' label, else the first level named in a
    sentence about the request (not one approved instead)."""
    for label in _LEVEL_LABEL_RE.finditer(text):
        if label["k"].lower() == "level of care" or _CARE_WORDS_RE.search(label["v"]):
            return label["v"].strip(" ,.")
    for sentence in split_sentences(text, flatten=True):
        if _NOT_REQUESTED_RE.search(sentence) or not re.search(
            r"request|admission|continued stay|denied|not medically necessary", sentence, re.I
        ):
            continue
        if _LOOK_BACK_RE.search(sentence):
            continue  # a criterion's history ('within the 60 days before the request, ...')
        if match := _LEVEL_RE.search(sentence):
            return match[0]
    return None


_LOOK_BACK_RE = re.compile(
    r"\b(?:within|in|during)\s+the\s+(?:\d+|[a-z]+)\s+(?:days?|weeks?|months?|years?)\s+"
    r"(?:before|prior\s+to|preceding)\s+the\s+request\b",
    re.IGNORECASE,
)
"""A look-back window of a criterion: the care it names is the patient's history, not the
level of care requested."""


_SECTION_RE = re.compile(r"^[,;]?\s*(?:\(|,)?\s*(?:Section|§)\s*(?P<s>[\w.()-]*\w\)?)", re.I)


def find_policy(text: str) -> tuple[str | None, str | None]:
    """The payer's policy or guideline as first cited, and its section when it follows."""
    from .criteria_rules import applied_sources, find_sources

    for start, source in applied_sources(text, find_sources(text)):
        after = text[start : start + len(source) + 60]
        end = after.find(source.split()[-1]) + len(source.split()[-1]) if source.split() else 0
        section = _SECTION_RE.match(after[end:]) if end > 0 else None
        return source[:300], section["s"][:100] if section else None
    return None, None


_CREDENTIAL = (
    r"(?:M\.?D|D\.?O|Ph\.?D|Psy\.?D|Pharm\.?D|R\.?N|N\.?P|PA-C|D\.?D\.?S|DMD|MBBS|DPM|DC|LCSW|"
    r"FACP|FACS|FAPA|FACC|FAAP|FACOG|MPH|MBA|MS|BSN|CCM|RPh|ABPN|DABR|PT|DPT|OTR/L|OT|"
    r"SLP|CCC-SLP|LPC|LMFT|BCBA)\.?(?![\w/-])"
)
_BARE_NAME = r"[A-Z][A-Za-z'’-]+\.?(?:\s+[A-Z][A-Za-z'’-]*\.?){0,3}"
_CREDENTIALS = rf",?\s+{_CREDENTIAL}(?:,\s*{_CREDENTIAL})*"
# "Dr. Name[, MD]" or "Name, MD[, FACP]".
_NAME_WITH_CREDENTIALS_RE = re.compile(
    rf"(?:Dr\.?\s+{_BARE_NAME}(?:{_CREDENTIALS})?|{_BARE_NAME}{_CREDENTIALS})(?![A-Za-z])"
)
_REVIEWER_LABEL_RE = re.compile(
    r"(?:reviewed by|(?:physician|clinical|peer|medical|pharmacist)\s+reviewer|reviewer|"
    r"reviewing (?:physician|clinician)|medical director|signed by|"
    r"(?:decision|determination)\s+(?:was\s+)?made\s+by)"
    r"[ \t]*(?:[:|,-][ \t|]*|\s+)(?:(?:was|is)\s+)?",
    re.IGNORECASE,
)
_SIGNATURE_ROLE_RE = re.compile(r"medical director|physician reviewer|reviewer", re.IGNORECASE)


_PHYSICIAN_CREDENTIAL_RE = re.compile(r"\b(?:M\.?D|D\.?O|MBBS)\b|^Dr\.?\s")
_LINE_HYPHEN_RE = re.compile(r"(?<=[A-Za-z])-[ \t]*\n[ \t]*(?=[A-Z])")
"""A hyphenated name broken across lines ('Abernathy-\nQuist')."""
_AND_NAME_RE = re.compile(rf"(?:\band\b|&)\s+(?P<name>{_NAME_WITH_CREDENTIALS_RE.pattern})")
"""A second decider named after 'and' in a reviewer label's paragraph."""
_LABELLED_CHARS = 300
"""How far a reviewer label's paragraph is read for a second name."""


def find_reviewer(text: str) -> str | None:
    """The reviewing clinician with credentials: after a label, or above a role line. A notice
    that names a pharmacist or a nurse reviewer and a physician too (the physician decides):
    the physician."""
    # a name broken at its hyphen across lines ('Jerome T. Abernathy-\nQuist, MD') is one name
    text = _LINE_HYPHEN_RE.sub("-", text)
    labelled = []
    for match in _REVIEWER_LABEL_RE.finditer(text):
        line_end = text.find("\n", match.end())
        rest = text[match.end() : line_end if line_end >= 0 else len(text)]
        if name := _NAME_WITH_CREDENTIALS_RE.match(rest.strip()):
            # 'Cassius Brandt, MD.': the sentence's period is not the credential's
            labelled.append(re.sub(r"(?<=[A-Z]{2})\.$", "", name.group(0).rstrip(",")))
            # the label's paragraph names another after 'and' ('Renata Vukovich, PharmD,
            # Clinical Pharmacist, and Jerome Abernathy-Quist, MD'): one of the deciders too
            paragraph = text[match.end() :].split("\n\n", 1)[0][:_LABELLED_CHARS]
            for other in _AND_NAME_RE.finditer(" ".join(paragraph.split())):
                labelled.append(re.sub(r"(?<=[A-Z]{2})\.$", "", other["name"].rstrip(",")))
    physician = next((n for n in labelled if _PHYSICIAN_CREDENTIAL_RE.search(n)), None)
    if physician:
        return physician
    signed = _signed_reviewer(text)
    if labelled and not (signed and _PHYSICIAN_CREDENTIAL_RE.search(signed)):
        return labelled[0]
    return signed


def _signed_reviewer(text: str) -> str | None:
    """The clinician with credentials on or above a reviewer's role line ('Wendell Grant, MD,
    Associate Medical Director')."""
    lines = [line.strip() for _, line in _lines(text)]
    for i, line in enumerate(lines):
        role = _SIGNATURE_ROLE_RE.search(line)
        if role and (name := _NAME_WITH_CREDENTIALS_RE.match(line[: role.start()].strip(" ,"))):
            return name.group(0).rstrip(",")  # 'Wendell Grant, MD, Associate Medical Director'
        if role:
            for candidate in lines[max(0, i - 2) : i]:
                if candidate.isupper():  # a heading above the line ('WHAT YOU CAN DO'), no name
                    continue
                if name := _NAME_WITH_CREDENTIALS_RE.fullmatch(candidate.rstrip(",")):
                    return name.group(0)
                # 'Determination: Malcolm J. Estabrook, MD, Board Certified in' over the role
                # line: a physician named within the line
                name = _NAME_WITH_CREDENTIALS_RE.search(candidate)
                if name and _PHYSICIAN_CREDENTIAL_RE.search(name.group(0)):
                    return name.group(0).rstrip(",")
    return None


# --------------------------------------------------------------------------- appeal level

APPEAL_LEVELS_FILE = Path(__file__).with_name("appeal_levels.yaml")


_LEVEL_KINDS = ("final", "appeal_decision", "another_internal", "later_level", "conditional")


@cache
def _level_signals() -> dict[str, re.Pattern[str]]:
    """``appeal_levels.yaml``: one pattern per kind of signal, each of its patterns an
    alternative."""
    data = TypeAdapter(dict[str, list[str]]).validate_python(
        yaml.safe_load(APPEAL_LEVELS_FILE.read_text(encoding="utf-8"))
    )
    if set(data) != set(_LEVEL_KINDS):
        raise ValueError(f"{APPEAL_LEVELS_FILE.name}: the kinds are {', '.join(_LEVEL_KINDS)}")
    return {
        name: re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
        for name, patterns in data.items()
    }


def find_appeal_level(text: str) -> AppealLevel:
    """Which decision the notice is: the plan's final internal decision when it says so, or
    when it decides an appeal and offers only a later level (external review, OPM, the IRE);
    an internal appeal's decision when it offers another internal level; else a first
    decision. Quoted text (a first decision the notice quotes) does not count."""
    flat = " ".join(_QUOTED_BLOCK_RE.sub(" ", text).split())
    signals = _level_signals()
    if signals["final"].search(flat):
        return AppealLevel.final_internal
    if not _stated(signals["appeal_decision"], flat, signals["conditional"]):
        return AppealLevel.initial
    if signals["another_internal"].search(flat):
        return AppealLevel.appeal
    if signals["later_level"].search(flat):
        return AppealLevel.final_internal
    return AppealLevel.appeal


def _stated(signal: re.Pattern[str], flat: str, conditional: re.Pattern[str]) -> bool:
    """True when ``signal`` occurs in a clause that states it, not in one that makes it a
    condition ('if the original denial is upheld'): the clause runs from the last '.', ';' or ':'
    before the match."""
    for match in signal.finditer(flat):
        start, _ = clause_bounds(flat, match.start(), match.end(), (".", ";", ":"))
        if not conditional.search(flat[start : match.start()]):
            return True
    return False


_QUOTED_BLOCK_RE = re.compile(r"[\"“][^\"”]{40,}[\"”]")
"""A passage the notice quotes (the first decision's words): not the notice's own."""


# --------------------------------------------------------------------------- plan type

# The signals of each plan type are data: ``pipeline/appeal/plan_types/<plan>.yaml`` (signals,
# priority). Ties go to the lower priority number, so the order below is the specs' priority.
_PLAN_SIGNALS: dict[PlanType, list[tuple[str, float]]] = {
    spec.plan_type: [(sig.pattern, sig.weight) for sig in spec.signals]
    for spec in sorted(all_specs().values(), key=lambda spec: spec.priority)
    if spec.signals
}


def _signal_re(pattern: str) -> re.Pattern[str]:
    """Acronym patterns (all capitals) match case-sensitively; phrases ignore case."""
    letters = re.sub(r"\\.", "", pattern)
    acronym = any(ch.isalpha() for ch in letters) and not any(ch.islower() for ch in letters)
    return re.compile(pattern, 0 if acronym else re.IGNORECASE)


_SIGNAL_RES = {
    p: Prefiltered(_signal_re(p)) for signals in _PLAN_SIGNALS.values() for p, _ in signals
}
"""Each distinct signal pattern once (the not-ERISA pattern counts for two plan types)."""
_MEDICARE_RE = re.compile(r"\bMedicare\b", re.IGNORECASE)
_MIN_PLAN_SCORE = 2.0


def find_plan_type(text: str) -> PlanType:
    """The plan type with the highest signal score (each signal counted once), else unknown."""
    folded = fold(text)
    found = {p for p, signal in _SIGNAL_RES.items() if signal.search(text, folded)}
    scores = {
        plan: sum(w for p, w in signals if p in found) for plan, signals in _PLAN_SIGNALS.items()
    }
    if not _MEDICARE_RE.search(text):
        # "IRE", "Part C", "redetermination"... mean little in a letter that never says Medicare.
        for plan in (PlanType.medicare, PlanType.medicare_advantage):
            scores[plan] = min(scores[plan], 1)
    best = max(scores, key=lambda plan: scores[plan])
    return best if scores[best] >= _MIN_PLAN_SCORE else PlanType.unknown


# --------------------------------------------------------------------------- entry points


def flat_text(text: str) -> str:
    """The letter as the rules read it: dot leaders gone, a claim table drawn with '+---+'
    borders as the '|' table of one line per row it stands for."""
    return flatten_grids(without_leaders(text))


def extract_facts(text: str) -> DenialAnalysis:
    """Everything the rules can read from the letter without an engine (read flat:
    :func:`flat_text`)."""
    return _facts(flat_text(text))


def _facts(text: str) -> DenialAnalysis:
    """:func:`extract_facts` of the letter already read flat."""
    notice = text[notice_start(text) :]  # the notice, after a fax cover page if one leads it
    letter_date = find_letter_date(notice) or find_letter_date(text)
    deadline, clock = find_appeal_clock(text, letter_date)
    analysis = DenialAnalysis(
        insurer=find_insurer(notice),
        plan_type=find_plan_type(text),
        member_id=find_member_id(text),
        program_member_id=find_program_member_id(text),
        claim_number=find_claim_number(text),
        letter_date=letter_date,
        service_dates=find_service_dates(text),
        cpt_codes=find_cpt_codes(text),
        hcpcs_codes=find_hcpcs_codes(text),
        icd10_codes=find_icd10_codes(text),
        appeal_deadline=deadline,
        appeal_window=clock,
        expedited_available=find_expedited(text),
        peer_to_peer_offered=find_peer_to_peer(text),
        reviewer=find_reviewer(text),
        requested=find_requested(text),
        plan_sponsor=find_plan_sponsor(text),
        appeal_level=find_appeal_level(notice),
        **_routes(text),
    )
    through = records_through(analysis.records_reviewed, letter_date)
    due = next_level_due(analysis, text)
    analysis = analysis.model_copy(update={"records_through": through, "next_level_due": due})
    return _claim_period(_with_requested_codes(analysis))


def _with_requested_codes(analysis: DenialAnalysis) -> DenialAnalysis:
    """The analysis whose code lists hold the codes its requested lines read with their units,
    and every requested code when they read none: a services table whose lines give the code
    bare ('  93580  Percutaneous transcatheter closure ...  Units: 1   DENIED', no 'CPT' label;
    '22552 each additional interspace x 1' under a labelled first line) reads no code in a code
    context, yet its lines are the request. A code only named in prose (no units) is added only
    when nothing else was read."""
    empty = not analysis.cpt_codes and not analysis.hcpcs_codes
    cpt, hcpcs = list(analysis.cpt_codes), list(analysis.hcpcs_codes)
    for line in analysis.requested:
        if line.units is None and not empty:
            continue
        if line.system == "cpt" and line.code not in cpt:
            cpt.append(line.code)
        elif line.system == "hcpcs" and line.code not in hcpcs:
            hcpcs.append(line.code)
    if (cpt, hcpcs) == (analysis.cpt_codes, analysis.hcpcs_codes):
        return analysis
    return analysis.model_copy(update={"cpt_codes": cpt, "hcpcs_codes": hcpcs})


def _claim_period(analysis: DenialAnalysis) -> DenialAnalysis:
    """A claim whose notice states no service period spans the date ranges of the lines it
    denies (the EOB rows' 'Dates of service' cells): from the first line's first day to the
    last line's last day."""
    ranges = [(r.start, r.end) for r in analysis.requested if r.start and r.end]
    if analysis.service_start is not None or not ranges:
        return analysis
    start, end = min(a for a, _ in ranges), max(b for _, b in ranges)
    return analysis.model_copy(update={"service_start": start, "service_end": end})


def _routes(text: str) -> dict[str, Any]:
    """Policy, peer-to-peer line, appeal route, expedited route, period and level of care."""
    policy, section = find_policy(text)
    p2p_phone, p2p_window = find_peer_to_peer_line(text)
    address, fax = find_appeal_route(text)
    fast_phone, fast_fax = find_expedited_route(text)
    start, end = find_service_period(text)
    return {
        "policy": policy,
        "policy_section": section,
        "peer_to_peer_phone": p2p_phone,
        "peer_to_peer_window": p2p_window,
        "appeal_address": address,
        "appeal_portal": find_appeal_portal(text),
        "appeal_fax": fax,
        "expedited_route": fast_phone,
        "expedited_fax": fast_fax if fast_fax != fax else None,
        "service_start": start,
        "service_end": end,
        "level_of_care": find_level_of_care(text),
        "preferred_alternatives": find_preferred_alternatives(text),
        # an increase partly approved keeps what the member has now: it is never a reduction
        "increase": (increase := read_increase(text)),
        "service_change": None if increase is not None else read_change(text),
        "records_reviewed": records_reviewed(text),
    }


def extract(letter: DenialLetter, engine: Engine | None = None) -> DenialAnalysis:
    """Deterministic facts, completed by the engine, then checked against the letter."""
    return extract_response(letter, engine).analysis


def extract_response(
    letter: DenialLetter, engine: Engine | None = None, run_id: str | None = None
) -> AnalysisResponse:
    """``extract`` with the engine's run details and usage.

    The rules read the letter without its injected parts (text addressed to a model:
    ``pipeline.injection``); the engine gets the whole letter, as data."""
    read = reading(letter)  # the letter read once: the rules' reading is passed to the engine
    flat = flat_text(read.masked)  # read flat once: the facts and the items read it
    found = _facts(flat)
    request = AnalysisRequest(letter=letter, found=found, run_id=run_id, rules=read_rules(read))
    answer = (engine or OfflineEngine()).analyze(request)
    checked = enforce_provenance(answer.analysis, read, found)
    # the rules' own warnings: an engine's are not kept
    warnings = injection_warnings(letter.text, read.injected)
    for warning in warnings:
        log.warning("extract: %s", warning)  # a line number and a place, never letter text
    checked = _with_groups(
        _with_ground(checked.model_copy(update={"warnings": warnings}), read), read
    )
    source = answer.criteria_source
    if answer.criteria_source == "model" and not checked.criteria:
        rules = read_criteria(read)
        if rules:  # the model read no criterion the letter states: the rules' stand in
            log.warning(
                "extract: none of the model's criteria occur in the letter; "
                "using the %d criteria the rules found",
                len(rules),
            )
            criteria = enforce_provenance(
                checked.model_copy(update={"criteria": rules}), read, found
            ).criteria
            checked = _with_groups(checked.model_copy(update={"criteria": criteria}), read)
            source = "rules"
    # the items, once, over the criteria that stand (the model's, else the rules')
    checked = _with_items(checked, flat)
    return answer.model_copy(update={"analysis": checked, "criteria_source": source})


_GROUND_CATEGORY = {
    GroundKind.network_adequacy: DenialCategory.out_of_network,
    GroundKind.site_of_care: DenialCategory.level_of_care,
    GroundKind.benefit_exclusion: DenialCategory.not_covered_benefit,
    GroundKind.level_of_care: DenialCategory.level_of_care,
    GroundKind.administrative: DenialCategory.administrative,
    GroundKind.transport: DenialCategory.not_medically_necessary,
}
"""The denial category a ground stands under (put first among the analysis' categories)."""


def _with_items(analysis: DenialAnalysis, text: str) -> DenialAnalysis:
    """The analysis with the items the notice decides one by one (:func:`items.read_items`)
    in the letter read flat (``text``), each tied to the criteria read in its part."""
    try:
        found = read_items(
            text,
            [*analysis.cpt_codes, *analysis.hcpcs_codes],
            analysis.criteria,
            [s.code for s in analysis.requested],
        )
    except ValidationError:  # a best-effort reading: an odd row is no reason to fail extract
        found = []
    revenue = revenue_codes(text) if any(i.span for i in found) else []
    return analysis.model_copy(
        update={"items": found, "requested": requested_of_items(analysis.requested, found, revenue)}
    )


def _with_groups(analysis: DenialAnalysis, read: Reading) -> DenialAnalysis:
    """The analysis with the notice's groups of criteria of which a count is needed ('AT LEAST
    TWO of B1-B5'), read by the rules over its criteria (:func:`criteria_rules.read_groups`)."""
    groups = [
        CriterionGroup(members=members, at_least=count, text=words)
        for members, count, words in read_groups(read, analysis.criteria)
    ]
    return analysis.model_copy(update={"groups": groups})


def _with_ground(analysis: DenialAnalysis, read: Reading) -> DenialAnalysis:
    """The analysis with the notice's ground (the rules' reading, :func:`grounds.read_ground`):
    a criterion that is the ground's own sentence is dropped, and the ground's category leads."""
    ground = read_ground(read, analysis.criteria)
    if ground is None:
        return analysis.model_copy(update={"ground": None})
    category = _GROUND_CATEGORY[ground.kind]
    return analysis.model_copy(
        update={
            "ground": ground,
            # a transport rule's sentence may be the criteria themselves: they stay
            "criteria": [
                c
                for c in analysis.criteria
                if ground.kind is GroundKind.transport or not the_ground_itself(c, ground)
            ],
            "denial_categories": [
                category,
                *(c for c in analysis.denial_categories if c is not category),
            ],
        }
    )


# --------------------------------------------------------------------------- provenance

_ID_FIELDS = ("insurer", "member_id", "program_member_id", "claim_number", "reviewer")
_CODE_FIELDS = ("cpt_codes", "hcpcs_codes", "icd10_codes")


def _squash(text: str) -> str:
    """Case- and whitespace-insensitive form for containment checks (a word broken at its
    hyphen across lines, 'Abernathy-\nQuist', is one word)."""
    return re.sub(r"\s+", " ", _LINE_HYPHEN_RE.sub("-", text)).strip().casefold()


def _occurs(value: str, squashed_source: str) -> bool:
    return bool(value.strip()) and _squash(value) in squashed_source


def _icd10_occurs(code: str, squashed_source: str) -> bool:
    dotless = code.replace(".", "")
    variants = {code, dotless, normalize_icd10(dotless)}
    return any(
        re.search(rf"(?<![\w.]){re.escape(v.casefold())}(?![\w])", squashed_source)
        for v in variants
    )


def enforce_provenance(
    analysis: DenialAnalysis, source: str | Reading, found: DenialAnalysis | None = None
) -> DenialAnalysis:
    """Drop ids, codes and criteria that do not occur in the letter (its text or its
    :class:`~pipeline.criteria_rules.Reading`) outside its injected parts
    (``pipeline.injection``); rules win on conflict."""
    read = reading(source)
    squashed = _squash(read.masked)
    found = found or DenialAnalysis()
    update: dict[str, object] = {}
    for field in _ID_FIELDS:
        update[field] = _checked_id(
            field, getattr(analysis, field), getattr(found, field), squashed
        )
    for field in _CODE_FIELDS:
        occurs: Callable[[str, str], bool] = _icd10_occurs if field == "icd10_codes" else _occurs
        update[field] = _checked_codes(
            field, getattr(analysis, field), getattr(found, field), squashed, occurs
        )
    update["criteria"] = _checked_criteria(analysis.criteria, _squash(read.readable))
    # the rules' reading of the preferred alternatives wins; else an engine's that occur
    update["preferred_alternatives"] = found.preferred_alternatives or [
        name for name in analysis.preferred_alternatives if _occurs(name, squashed)
    ]
    # a reduction or termination, or an increase partly approved, is the rules' reading (its
    # amounts and dates are the letter's)
    update["service_change"] = found.service_change
    update["increase"] = found.increase
    # the records the notice lists as reviewed: the rules' reading, else an engine's that occur
    update["records_through"] = found.records_through
    update["appeal_level"] = found.appeal_level
    update["next_level_due"] = found.next_level_due
    update["records_reviewed"] = found.records_reviewed or [
        record for record in analysis.records_reviewed if _occurs(record, squashed)
    ]
    return analysis.model_copy(update=update)


def _checked_id(field: str, value: str | None, rule_value: str | None, squashed: str) -> str | None:
    if rule_value is not None and value != rule_value:
        if value is not None:
            log.warning("extract: engine value for %s overridden by the deterministic one", field)
        value = rule_value
    if value is not None and not _occurs(value, squashed):
        log.warning("extract: dropped %s: not found in the letter", field)
        return None
    return value


def _checked_codes(
    field: str,
    codes: list[str],
    rule_codes: list[str],
    squashed: str,
    occurs: Callable[[str, str], bool],
) -> list[str]:
    kept = list(rule_codes)
    for code in codes:
        code = normalize_icd10(code) if field == "icd10_codes" else code.strip().upper()
        if code in kept:
            continue
        if occurs(code, squashed):
            kept.append(code)
        else:
            log.warning("extract: dropped a code from %s: not found in the letter", field)
    return kept


def _lacks(criterion: Criterion, squashed: str) -> list[str]:
    """What the payer said the records lacked: an engine's items that occur in the letter, else
    the rules' reading of the criterion's narrative."""
    kept = [lack for lack in criterion.payer_lacks if _occurs(lack, squashed)]
    if len(kept) < len(criterion.payer_lacks):
        log.warning("extract: dropped a 'records lacked' item: not found in the letter")
    return kept or lacks_in(criterion.payer_reason)


def _requirements(criterion: Criterion) -> dict[str, object]:
    """A criterion's requirements whose spans occur in its own text (so in the letter); read by
    the offline rules when it has none (a model's criterion without requirements)."""
    if not criterion.requirements:
        requirements, logic = parse_requirements(criterion.text)
        return {"requirements": requirements, "logic": logic}
    own = _squash(criterion.text)
    kept = [r for r in criterion.requirements if _occurs(r.span, own)]
    if len(kept) < len(criterion.requirements):
        log.warning("extract: dropped a requirement: its span is not in the criterion's text")
    return {"requirements": kept}


def _checked_criteria(criteria: list[Criterion], squashed: str) -> list[Criterion]:
    kept: list[Criterion] = []
    seen: set[str] = set()
    for criterion in criteria:
        key = _squash(criterion.text)
        if key in seen:
            continue
        if not _occurs(criterion.text, squashed):
            log.warning("extract: dropped a criterion: its text is not in the letter")
            continue
        if is_instruction(criterion.text):
            log.warning("extract: dropped a criterion: it reads as an instruction to a model")
            continue
        source = criterion.source
        if source is not None and not _occurs(source, squashed):
            log.warning("extract: dropped a criterion source: not found in the letter")
            source = None
        seen.add(key)
        update = {"source": source, "payer_lacks": _lacks(criterion, squashed)}
        read = criterion.model_copy(update={**update, **_requirements(criterion)})
        kept.append(read.model_copy(update={"tree": requirement_tree(read)}))
    return kept
