"""What the appeal requests: every code with its units and modifiers."""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta

from ..claim_lines import Partial, partial_line, pipe_cells
from ..codes import is_cpt, is_hcpcs, is_revenue
from ..letter_format import PLACEHOLDER, fmt_date, one_date_style
from ..models import CaseFacts, DenialAnalysis, Gap, ItemDecision, RequestedService
from ..text import literal
from ..text.dates import find_dates
from ..text.numbers import number_words_pattern, word_number
from ..text.sentences import clause_bounds, split_sentences
from . import quantity as qty
from .grounds import grounds_spec, substitute
from .specs import request_timing
from .units import weight_kg

_CODE_UNITS_RE = re.compile(
    r"\b(?:(CPT|HCPCS|rev(?:enue)?(?: code)?)\s+)?([0-9]{5}|[A-V][0-9]{4}|(?<=[a-z] )[0-9]{4})\b"
    # 'x 25 hours/week' is a time, not 25 units
    r"(?:-([0-9A-Z]{2}))?\s*(?:[x×]\s*(\d+)(?!\d|\s*(?:hours?|hrs?|minutes?|mins?)\b))?",
    re.IGNORECASE,
)
_ADMINISTRATIONS_RE = re.compile(
    # a count, not an interval ('every 14 days', 'within 3 days' are not 14 or 3 of anything)
    # nor the top of a range ('a stay of 7-10 days' is no count of 10)
    r"(?<!every )(?<!each )(?<!per )(?<!within )(?<!after )(?<!\d-)(?<!\d–)\b(\d+)\s+"
    r"(infusions?|injections?|doses?|sessions?|visits?|treatments?|fractions?|cycles?"
    # a number of days is a stay's or a program's count, not how long something lasts ('for
    # 45 days', 'over 30 days', 'the past 90 days', '45 days of anticoagulation afterwards')
    r"|(?<!for \d )(?<!for \d\d )(?<!over \d )(?<!over \d\d )(?<!past \d )(?<!past \d\d )"
    r"(?<!last \d )(?<!last \d\d )(?<!next \d )(?<!next \d\d )(?:days?|nights?)(?!\s+of\b)"
    r"(?!\s+(?:after|before|later|post|prior)\b))\b",
    re.IGNORECASE,
)


def _is_code(code: str) -> bool:
    return is_cpt(code) or is_hcpcs(code) or is_revenue(code)


_UNITS_AFTER_RE = re.compile(
    r"\b([A-V][0-9]{4}|[0-9]{5})\b(?:\s*\([^)]{0,60}\))?\s+(\d+)\s+units?\b", re.IGNORECASE
)
"""A code's units as the details write them after it: 'J1561 (Gamunex-C, per 500 mg) 160 units'."""


def _detail_units(details: str | None) -> dict[str, int]:
    """The units the case's details give each code ('96366 x4', 'J1561 (...) 160 units'), for
    a code the denial lists without its units."""
    out: dict[str, int] = {}
    for m in _UNITS_AFTER_RE.finditer(details or ""):
        out.setdefault(m.group(1).upper(), int(m.group(2)))
    for m in _CODE_UNITS_RE.finditer(details or ""):
        if m.group(4) and _is_code(m.group(2)):
            out.setdefault(m.group(2).upper(), int(m.group(4)))
    return out


_MODIFIER_NAMED_RE = re.compile(
    r"(?<!not with )(?<!not )(?<!without )(?<!no )"
    r"(?:\b(?P<a>[A-Z][A-Z0-9]|\d{2}) modifier\b|\bmodifier (?P<b>[A-Z][A-Z0-9]|\d{2})\b)"
)
"""A modifier the details name in a code's clause: 'JZ modifier', 'modifier 58' (never 'not
with modifier 50')."""


def _detail_modifiers(details: str | None) -> dict[str, list[str]]:
    """The modifiers the case's details give each code at its first listing ('61886-58 x1',
    'Q5103 x 80 units, JZ modifier'), for a code the notice lists without one."""
    text = details or ""
    out: dict[str, list[str]] = {}
    for m in _CODE_UNITS_RE.finditer(text):
        code = m.group(2).upper()
        if not _is_code(code) or code in out:
            continue
        if m.group(3):
            out[code] = [m.group(3).upper()]
            continue
        sentence = next((s for s in split_sentences(text) if code in s), "")
        named = _MODIFIER_NAMED_RE.search(_own_clause(code, sentence))
        out[code] = [named.group("a") or named.group("b")] if named else []
    return out


def _case_lines(
    analysis: DenialAnalysis, case: CaseFacts, notice: list[tuple[str, int | None, list[str]]]
) -> list[tuple[str, int | None, list[str]]]:
    """The lines the case requests beyond the notice's: a code of the case's service, or one
    its details order with units, that the notice never names (the anesthesia of a surgery, the
    imaging of each injection visit, a code the original request left out),
    and a second line of a code the details list twice with other modifiers ('48150 x1 ...
    assistant surgeon 48150-80 x1'), each with the units and modifiers the details give it.
    Never a code the details say was already approved, paid or done."""
    details = case.service.details or ""
    named = {*analysis.cpt_codes, *analysis.hcpcs_codes, *(r.code for r in analysis.requested)}
    items: dict[str, list[tuple[list[str], int | None]]] = {}
    for m in _CODE_UNITS_RE.finditer(details):
        if _is_code(m.group(2)):
            mods = [m.group(3).upper()] if m.group(3) else []
            units = int(m.group(4)) if m.group(4) else None
            items.setdefault(m.group(2).upper(), []).append((mods, units))
    out: list[tuple[str, int | None, list[str]]] = []
    # the case's codes, then a code its details order with its units ('OCT 92134 x1 per
    # injection visit'): a code named without units there ('no additional lobe 31651') is no order
    ordered = [
        c
        for c, listed in items.items()
        if any(u is not None for _, u in listed)
        or any(
            _UNITS_SAID_RE.search(clause) or _HOURS_RE.search(clause)
            for clause in _code_clauses(c, [details])
        )
    ]
    for code in dict.fromkeys([*case.service.codes, *ordered]):
        if code in named or not _is_code(code) or _already(code, details):
            continue
        listed = items.get(code, [])
        units = next((u for _, u in listed if u is not None), None)
        mods = next((mo for mo, _ in listed if mo), [])
        out.append((code, units, mods))
    for code, listed in items.items():
        if code not in {c for c, _, _ in notice} or len(listed) < 2:
            continue
        have = [set(mods) for c, _, mods in notice if c == code]
        for mods, units in listed:
            if mods and units is not None and set(mods) not in have:
                out.append((code, units, mods))
                have.append(set(mods))
    return out


_UNITS_SAID_RE = re.compile(r"\b\d[\d,]*\s*units?\b", re.IGNORECASE)
"""A clause's count of units ('8 units per month', '(120 units/week)')."""
_HOURS_SAID_RE = re.compile(r"\b\d+(?:\.\d+)? hours?\b")
"""A clause's count of hours ('25 hours per week'), which the request states as written."""


def _already(code: str, details: str) -> bool:
    """Whether the case's details say ``code`` was already approved, paid or done."""
    already = grounds_spec().already
    if not already:
        return False
    return any(
        code in sentence and re.search(already, sentence, re.IGNORECASE) is not None
        for sentence in split_sentences(details)
    )


_DENIED_RE = re.compile(
    r"\b(?:not (?:approved|authori[sz]ed|certified|covered|medically necessary)|denied|"
    r"non-?certified|declined)\b",
    re.IGNORECASE,
)
_APPROVED_RE = re.compile(
    r"(?<!not )(?<!non-)\b(?:approved|authori[sz]ed|certified|covered)\b", re.IGNORECASE
)


def denied_units(letter_text: str) -> dict[str, int]:
    """Code -> units of a partial denial's denied part, where a sentence of the notice states
    them with the denial ('Infusions 3 through 13: hospital outpatient NOT APPROVED (J2507 88
    units; 96365 x 11; 96366 x 11)'): the request asks for what was denied, not the part
    approved beside it ('Infusions 1 and 2: APPROVED (J2507 16 units; 96365 x 2)'). A
    sentence that states both an approval and a denial says neither."""
    out: dict[str, int] = {}
    for sentence in split_sentences(letter_text, flatten=True):
        if not _DENIED_RE.search(sentence) or _APPROVED_RE.search(_DENIED_RE.sub(" ", sentence)):
            continue
        for m in _CODE_COUNT_RE.finditer(sentence):
            code, count = m.group(1).upper(), m.group(2) or m.group(3)
            if _is_code(code) and count:
                out.setdefault(code, int(count))
    return out


_CODE_COUNT_RE = re.compile(
    r"\b([A-Z]?\d{4}[0-9A-Z]?)\b(?:\s*[x×]\s*(\d{1,4})\b|\s+(\d{1,4})\s+units?\b)", re.I
)


def partial_lines(letter_text: str) -> dict[str, Partial]:
    """Code -> the approved and denied units of its line in a partial approval's quantity table
    ('| 97153 | ... | 3,120 units | 2,080 units | 1,040 units |'): the appeal asks for the
    denied part, and a line approved in full is no part of it."""
    out: dict[str, Partial] = {}
    for m in _ANY_CODE_RE.finditer(letter_text):
        if _is_code(m.group(0)) and m.group(0) not in out:
            found = partial_line(pipe_cells(letter_text, m.start()))
            if found is not None:
                out[m.group(0)] = found
    return out


_OFFER_RE = re.compile(
    r"\b(?:plan|we)\s+(?:can|could|would|will|may)\s+(?:instead\s+)?(?:approve|authori[sz]e|cover)\b",
    re.IGNORECASE,
)
"""What the notice offers in place of the request ('The plan can approve bevacizumab
(J9035/C9257) for the right eye without further review'): its codes are the plan's offer,
never part of the request."""
_STEP_FIRST_RE = re.compile(
    r"\b(?:trials? of|tried|preferred (?:drugs?|agents?|products?|alternatives?)|step therapy|"
    r"(?:before|prior to) (?:approving|coverage|covering|the requested)|must first)\b",
    re.IGNORECASE,
)
_REQUEST_LINE_RE = re.compile(
    r"\b(?:requested|request for|we (?:received|reviewed) a request|billed|claim line|"
    r"denied|not approved)\b",
    re.IGNORECASE,
)


_TIER_LINE_RE = re.compile(
    r"^[ \t>*•-]*(?:(?:non-?)?preferred|(?:step|tier)[ \t]*\d+|(?:formulary |covered |preferred )?"
    r"alternatives?|(?:drugs?|products?|agents?) (?:to be )?tried first)\b[^:\n]{0,40}:"
    r"[^\n]*(?:\n[ \t]{3,}[^\n]+)*",
    re.IGNORECASE | re.MULTILINE,
)
"""A line of the notice's step or tier list, with its continuation lines ('Preferred (step 1):
bevacizumab (J9035 / C9257)', 'Non-preferred (step 2): aflibercept (J0178), ...'): the drugs
the plan ranks, never the request."""


def _quoted_codes(analysis: DenialAnalysis, case: CaseFacts, letter_text: str) -> set[str]:
    """The codes the notice names only inside its criteria or its preferred alternatives ('at
    least ONE of: (1) iron sucrose (J1756); ...'): the drugs it wants tried first, never part of
    the request. A code the case requests, or one the notice also names outside those texts
    (its request line), is kept."""
    texts = [" ".join(c.text.split()) for c in analysis.criteria]
    texts += [" ".join(a.split()) for a in analysis.preferred_alternatives]
    # a sentence that asks for other drugs first ('a documented trial of at least ONE of the
    # following before ferric carboxymaltose: (1) iron sucrose (J1756); ...') is the step's too
    texts += [
        " ".join(t.split())
        for t in split_sentences(letter_text, flatten=True)
        if (_STEP_FIRST_RE.search(t) or _OFFER_RE.search(t)) and not _REQUEST_LINE_RE.search(t)
    ]
    texts += [" ".join(m.group(0).split()) for m in _TIER_LINE_RE.finditer(letter_text)]
    quoted = {m.group(0) for t in texts for m in _ANY_CODE_RE.finditer(t)}
    if not quoted:
        return set()
    rest = " ".join(letter_text.split())
    for t in sorted(texts, key=len, reverse=True):
        if len(t) > 3:
            rest = rest.replace(t, " ")
    named = {m.group(0) for m in _ANY_CODE_RE.finditer(rest)}
    return quoted - named - set(case.service.codes)


_WEEKS_RE = re.compile(r"\b(\d{1,3})\s+weeks?\b", re.IGNORECASE)
"""The weeks a period runs, as a notice or the details state it ('(26 weeks)', 'for 26 weeks')."""
_UNIT_MINUTES_RE = re.compile(
    r"\b(?:unit\s*=\s*|each\s+|per\s+|every\s+)(\d{1,2})\s*(?:minutes?|min)\b", re.IGNORECASE
)
"""How long one unit of a timed code lasts ('unit = 15 minutes', 'each 15 minutes')."""


def _weekly(units: int, weeks: int | None, minutes: int | None) -> str:
    """'10 hours or 40 units per week': ``units`` over the period's weeks, in hours too when one
    unit is a stated number of minutes ('' unless the weeks divide the units exactly)."""
    if not weeks or units % weeks:
        return ""
    each = units // weeks
    if minutes and (each * minutes) % 60 == 0:
        hours = each * minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''} or {_plural(each, 'unit')} per week"
    return f"{_plural(each, 'unit')} per week"


def partial_phrase(part: Partial, texts: list[str]) -> str:
    """The denied part of a line approved in part, as one typed quantity with its rate, period
    and total, beside what was requested and approved: '1,040 units (10 hours or 40 units per
    week for 26 weeks: the denied part of the 3,120 units requested at 30 hours or 120 units
    per week; 2,080 units approved)'. ``texts``: the notice and the case's service, which state
    the period's weeks and a unit's minutes."""
    joined = "\n".join(texts)
    weeks_said = _WEEKS_RE.search(joined)
    weeks = int(weeks_said.group(1)) if weeks_said else None
    minutes_said = _UNIT_MINUTES_RE.search(joined)
    minutes = int(minutes_said.group(1)) if minutes_said else None
    total = part.approved + part.denied
    denied, asked = _weekly(part.denied, weeks, minutes), _weekly(total, weeks, minutes)
    rate = f"{denied} for {weeks} weeks: " if denied else ""
    at = f" at {asked}" if asked else ""
    return (
        f"{part.denied:,} units ({rate}the denied part of the {total:,} units requested{at}; "
        f"{part.approved:,} units approved)"
    )


def partial_texts(case: CaseFacts, letter_text: str) -> list[str]:
    """Where a partial line's weeks and unit minutes are stated: the notice, the service."""
    return [letter_text, case.service.description or "", case.service.details or ""]


RequestLine = tuple[str, int | None, list[str]]
"""A requested code, its units (None when unstated) and its modifiers."""

_READ: OrderedDict[str, list[RequestLine]] = OrderedDict()
"""The last reads of :func:`requested_codes`, by a hash of their inputs (no text is kept)."""
_READ_KEPT = 8
_READ_LOCK = threading.Lock()


def requested_codes(
    analysis: DenialAnalysis, case: CaseFacts, letter_text: str = ""
) -> list[RequestLine]:
    """Every code the request covers, with units and modifiers: the denial's reading
    (``DenialAnalysis.requested``) when it has one, else the codes the case's service names.
    With the notice's ``letter_text``, a code's units are those of its denied part when the
    notice states them (:func:`denied_units`).

    A draft asks this about ten times of the same inputs (the opening, the request, the
    codes, the approval sentence, the validator), each reading the whole notice (~1.6 ms of
    CPU); a read is kept by a hash of the analysis, the case and the notice, so any change to
    them reads afresh, and each caller gets its own lists."""
    key = hashlib.sha256(
        "\0".join((analysis.model_dump_json(), case.model_dump_json(), letter_text)).encode()
    ).hexdigest()
    with _READ_LOCK:
        lines = _READ.get(key)
        if lines is not None:
            _READ.move_to_end(key)
    if lines is None:
        lines = _requested_codes(analysis, case, letter_text)
        with _READ_LOCK:
            _READ[key] = lines
            while len(_READ) > _READ_KEPT:
                _READ.popitem(last=False)
    return [(code, units, list(modifiers)) for code, units, modifiers in lines]


def _requested_codes(
    analysis: DenialAnalysis, case: CaseFacts, letter_text: str
) -> list[RequestLine]:
    """:func:`requested_codes`, read from its inputs."""
    if analysis.requested:  # never a code the notice offers in place of the case's service
        stated = _detail_units(case.service.details)
        named = _detail_modifiers(case.service.details)
        denied = denied_units(letter_text)
        # the codes of a request's lines or items the notice approved in part: the reading asks
        # their denied part ('20 sessions' of 28), never the case's count of the whole request
        reduced = {
            c
            for i in analysis.items
            if i.open and i.decision is ItemDecision.partial and i.approved is not None
            for c in i.codes
        }

        def units_of(r: RequestedService) -> int | None:
            """The denied part's units; else the case's, when the notice states that number
            too and the reading has another (a table's Units column over a '(26 doses)' in
            the description); else the reading's, else the case's."""
            if r.code in denied:
                return denied[r.code]
            if r.code in reduced and r.units is not None:
                return r.units
            own = stated.get(r.code)
            if r.units is None:
                return own
            if (
                own is not None
                and own != r.units
                and re.search(rf"(?<![\d.,]){own}(?![\d.,])", letter_text)
            ):
                return own
            return r.units

        texts = [letter_text, case.service.details or ""]
        quoted = _quoted_codes(analysis, case, letter_text)
        partial = partial_lines(letter_text)
        # a line approved in full is no part of the appeal, wherever else the notice names it
        done = {c for c, p in partial.items() if p.approved and not p.denied} | quoted
        lines = [
            (
                r.code,
                # the denied part of a line approved in part; else a course's stated total,
                # else the units of one dose, else as stated
                partial[r.code].denied
                if r.code in partial
                else course_total(r.code, texts)
                or _by_dose(r.code, units_of(r), letter_text, case),
                list(r.modifiers) or named.get(r.code, []),
            )
            for r in analysis.requested
            if not substitute(r.code, case) and r.code not in done
        ]
        return lines + [c for c in _case_lines(analysis, case, lines) if c[0] not in done]
    out: dict[str, RequestLine] = {}
    service = case.service
    if service.code and _is_code(service.code):  # not a product's name ('Cosentyx')
        out[service.code] = (service.code, _by_dose(service.code, None, letter_text, case), [])
    for match in _CODE_UNITS_RE.finditer(service.details or ""):
        code = match.group(2)
        known = is_cpt(code) or is_hcpcs(code) or is_revenue(code)
        if not known or (match.group(1) is None and not match.group(4)):
            continue
        units = int(match.group(4)) if match.group(4) else None
        modifiers = [match.group(3)] if match.group(3) else []
        previous = out.get(code)
        out[code] = (
            code,
            units if units is not None else (previous[1] if previous else None),
            modifiers or (previous[2] if previous else []),
        )
    return list(out.values())


_NUM = rf"(\d+|{number_words_pattern()})"
_RATE_RE = re.compile(
    rf"\b{_NUM}\s+units?\b(?:[^.;]|\.(?=\d)){{0,40}}?\b(?:per|a|each|every|/)\s*"
    r"(?:calendar\s+)?(day|week|month|year|infusion|injection|dose|administration|treatment|session|visit)\b"
    r"|\b(daily|weekly|monthly|yearly|annual)\b",
    re.IGNORECASE,
)
"""A per-period quantity: '1 unit per month', '2 units (...) each month', 'monthly'."""
_INNER_COUNT_RE = re.compile(
    r"\(\s*\d+\s+(?!-|(?:day|week|month|year)s?\b)[a-z][^()]*$", re.IGNORECASE
)
"""A count of its own in a parenthesis still open at the rate ('120 units (4 thirty-minute
intervals per session)'): the rate is that count's, and the units are the request's total
('160 units (80 g = 1 g/kg) per infusion' is a rate of the units)."""
_RENTAL_RE = re.compile(
    rf"\b{_NUM}\s+(?:monthly\s+rental\s+(?:units?|months?)|rental\s+months?|months?\s+of\s+"
    r"rental)\b",
    re.IGNORECASE,
)
"""A rental counted in months ('3 monthly rental units'): 1 unit per month for that many months."""
_SUPPLY_RE = re.compile(rf"\b{_NUM}[- ](day|week|month)s?\s+supply\b", re.IGNORECASE)
"""What one unit is: '1 month supply = 1 unit of service', '1 unit (= 1-month supply)'."""
_FOR_RE = re.compile(
    rf"\bfor\s+(?:a\s+period\s+of\s+)?{_NUM}\s+(months?|weeks?|days?|years?)\b"
    rf"|\b{_NUM}-(month|week|day|year)\s+(?:period|authorization|course|supply period)\b",
    re.IGNORECASE,
)
"""The period the request covers: 'for 12 months', 'a 12-month authorization'."""
_PERIOD_WORDS = frozenset({"day", "week", "month", "year"})
_PERIODS = {"daily": "day", "weekly": "week", "monthly": "month", "yearly": "year",
            "annual": "year"}  # fmt: skip


_WITHIN_RE = re.compile(
    rf"\bwithin\s+{_NUM}\s+(days?|weeks?|months?)\s+of\s+(?:your\s+|the\s+)?"
    r"(?:approval|authori[sz]ation)",
    re.IGNORECASE,
)
"""The period a request needs from its approval: 'to be done within 90 days of approval'."""


_DAY = r"(?:\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]+\.? \d{1,2}, \d{4})"
_CLOCK = r"(?:\s+\d{1,2}:\d{2}(?:\s*[apAP]\.?[mM]\.?)?)?"
_RANGE_RE = re.compile(
    rf"({_DAY}){_CLOCK}(?:\s*\([^)]*\))?\s*(?:-|–|to|through|until)\s*({_DAY}){_CLOCK}"
)
"""A period stated as a range of two dates ('12/15/2026 (next dose) through 06/14/2027'), each
with its time of day when the case gives one (a stay 'from 2026-11-02 16:40 to 2026-11-06
13:00')."""


def case_period(details: str | None) -> str:
    """The period the case's service details say the request needs, for a pre-service request
    whose notice period has passed: 'within 90 days of your approval', 'for 12 months from your
    approval', 'from January 4, 2027 to March 31, 2027' ('' when they state none)."""
    text = details or ""
    if m := _WITHIN_RE.search(text):
        return f"within {_plural(_count(m.group(1)), m.group(2))} of your approval"
    if m := _FOR_RE.search(text):
        n, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return f"for {_plural(_count(n), unit)} from your approval"
    ranges = []
    for m in _current_ranges(text):  # a range the details state: 'X through Y', 'X - Y'
        first, last = find_dates(m.group(1)), find_dates(m.group(2))
        if first and last and last[0][0] > first[0][0]:
            ranges.append((first[0][0], last[0][0]))
    if not ranges:
        return ""
    # the range that holds every other (the authorization period around the fills' dates:
    # 'starting dose once on 12/01/2026 ... 8 fills (12/22/2026 through 05/18/2027);
    # authorization period 12/01/2026-05/31/2027'), else the first
    start, end = next(
        (r for r in ranges if all(r[0] <= a and b <= r[1] for a, b in ranges)), ranges[0]
    )
    return f"from {fmt_date(start)} to {fmt_date(end)}"


_CLAUSE_END_RE = re.compile(r"[;,\n]|\.(?!\d)")


def _range_clauses(text: str) -> list[tuple[re.Match[str], str]]:
    """Each date range of ``text`` with its own clause: the words since the previous range or
    clause mark, and those after it up to the next clause mark or range ('original requested
    window 2026-09-15 to 2026-12-31 lapsed during hospitalization')."""
    found = list(_RANGE_RE.finditer(text))
    out = []
    for i, m in enumerate(found):
        start = found[i - 1].end() if i else 0
        head = text[start : m.start()]
        marks = list(_CLAUSE_END_RE.finditer(head))
        head = head[marks[-1].end() :] if marks else head
        stop = found[i + 1].start() if i + 1 < len(found) else len(text)
        tail = text[m.end() : stop]
        end = _CLAUSE_END_RE.search(tail)
        out.append((m, head + " " + (tail[: end.start()] if end else tail)))
    return out


def _current_ranges(text: str) -> list[re.Match[str]]:
    """The details' date ranges that are not marked as lapsed or replaced (``lapsed_period``)."""
    timing = request_timing()
    return [m for m, clause in _range_clauses(text) if not timing.is_lapsed(clause)]


def lapsed_range(details: str | None) -> bool:
    """Whether the case's details mark a date range as lapsed or replaced, and give another."""
    timing = request_timing()
    lapsed = {timing.is_lapsed(clause) for _, clause in _range_clauses(details or "")}
    return lapsed == {True, False}


_DAYS_IN = {"day": 1, "week": 7, "month": 30, "year": 365}


def course_days(details: str | None) -> int | None:
    """How many days the course the case's service details ask for takes ('5 sessions per
    week for 6 weeks': 42), or None when they state no such span."""
    m = _FOR_RE.search(details or "")
    if m is None:
        return None
    n, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return _count(n) * _DAYS_IN[unit.lower().rstrip("s")]


def period_gap(passed_end: date) -> Gap:
    """The gap when the notice's period ended on ``passed_end`` and the case states no other."""
    return Gap(
        field="service.details",
        message=(
            f"the period the notice names ended on {passed_end.isoformat()}, before this letter; "
            "state in service.details the period the request now needs ('within 90 days of "
            "approval', 'for 6 months', or the dates)"
        ),
        placeholder=PLACEHOLDER.format(what="the period the request now needs"),
    )


def _count(word: str) -> int:
    return int(word) if word.isdigit() else word_number(word.lower()) or 0


def _plural(n: int, unit: str) -> str:
    unit = unit.lower().rstrip("s")
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


_ANY_CODE_RE = re.compile(r"(?<![\w.$,])(?:[0-9]{4}[0-9A-Z]|[A-V][0-9]{4})(?![\w.,]\d|\w)")


def _own_clause(code: str, line: str) -> str:
    """The part of ``line`` that is about ``code`` when the line names other codes too: from
    the code up to the next other code ('97151 x 24 units (assessment)' of '97151 x 24 units
    (assessment) and 97153 at 30 hours weekly'); the whole line when it names no other code.
    A rate or count said of another code is never this code's."""
    others = [m for m in _ANY_CODE_RE.finditer(line) if m.group(0) != code]
    if not others:
        return line
    at = line.find(code)
    following = [m.start() for m in others if m.start() > at]
    return line[at : following[0] if following else len(line)]


_DOSED_RE = re.compile(
    rf"\b(\d{{1,5}})\s+units?\s+(?:every|per)\s+{_NUM}\s+(days?|weeks?|months?)\b"
    r"(?:\s*[,;]?\s*(?:[x×]\s*|for\s+)(\d{1,3})\b(?!\s*(?:days?|weeks?|months?|years?|units?)\b)"
    r"(?:\s+(?:doses|administrations|treatments|injections|sessions|infusions|cycles))?)?",
    re.IGNORECASE,
)
"""A dose repeated at an interval, with how many doses: '155 units every 12 weeks x 4'; or
units in a period ('28 units per 28 days')."""


def _dosed_course(code: str, units: int | None, lines: list[str], several: bool = False) -> str:
    """'155 units per dose, every 12 weeks, 4 doses (620 units in all)': a code's dose given at
    an interval, as its own clause states it, with the count of doses and their total when
    stated; the number the request counts (``units``) leads, so a total is never read as a
    dose. Units in a period ('28 units per 28 days'), or at an interval when each course holds
    ``several`` administrations ('280 units every 28 days' of a course over 4 days), are said
    as stated: they are no one dose. '' when no clause states a dose at an interval."""
    for line in lines:
        m = _DOSED_RE.search(line)
        if m is None:
            continue
        dose, every = int(m.group(1)), _plural(_count(m.group(2)), m.group(3))
        per_period = m.group(0).split()[2].lower() == "per"  # '28 units per 28 days'
        if (per_period or several) and units in (None, dose) and not m.group(4):
            return f"{_plural(dose, 'unit')} {'per' if per_period else 'every'} {every}"
        doses = int(m.group(4)) if m.group(4) else None
        found = list(_INTERVAL_RE.finditer(line))
        if len({(i.group(1), i.group(2).rstrip("s")) for i in found}) > 1:
            # 'every 4 weeks x4, then every 8 weeks': the count is the first phase's, not the
            # course's (the Request counts the course apart); the phases as the source says them
            phases = " ".join(line[found[0].start() : found[-1].end()].split())
            return f"{_plural(dose, 'unit')} per dose, {phases}"
        if units is not None and units not in (dose, dose * (doses or 0)):
            return ""  # the request counts something else: its units as counted
        said = f"{_plural(dose, 'unit')} per dose, every {every}"
        if not doses and (f := _FOR_RE.search(line, m.end())):
            n, unit = (f.group(1), f.group(2)) if f.group(1) else (f.group(3), f.group(4))
            said += f" for {_plural(_count(n), unit)}"
        if doses:
            said += f", {_plural(doses, 'dose')}"
            total = dose * doses
            # the total only as the inputs state it (a number the letter computes is not
            # grounded in them)
            if units == total:
                said = f"{_plural(total, 'unit')} in all ({said})"
            elif re.search(rf"(?<![\d.,]){total}(?![\d.,])", " ".join(lines)):
                said += f" ({_plural(total, 'unit')} in all)"
        return said
    return ""


_DAY_DOSE_RE = re.compile(
    r"\b(\d{1,5})\s+units?\b(?:\s*\([^)]{0,40}\))?(?:\s+[A-Z]{2,3})?\s+on\s+days?\s+"
    r"(\d{1,3}(?:\s*(?:,|and|&)\s*\d{1,3}(?!\d|\s*(?:units?|mg)\b))*)",
    re.IGNORECASE,
)
"""A dose given on named days of a course: '100 units (1,000 mg) IV on day 1', '375 units on
days 1, 8 and 15'."""
_STATED_TOTAL_RE = re.compile(
    r"\b(\d[\d,]*)\s+units?\s+(?:in\s+)?total\b|\btotal(?:\s+of)?\s+(\d[\d,]*)\s+units?\b",
    re.IGNORECASE,
)
"""A course's units stated as its total: '200 units total', 'a total of 200 units'."""


def _day_course(lines: list[str]) -> tuple[int, str] | None:
    """(total, '200 units in all (100 units on day 1 and 100 units on day 15)'): a course whose
    doses are given on named days, when the same clause states the total and the doses add up
    to it (a number the letter computes is not grounded in the inputs); None otherwise."""
    for line in lines:
        doses = [
            (int(m.group(1)), re.findall(r"\d{1,3}", m.group(2)))
            for m in _DAY_DOSE_RE.finditer(line)
        ]
        total = _STATED_TOTAL_RE.search(line)
        if not doses or total is None:
            continue
        written = total.group(1) or total.group(2)  # as the source writes it ('1,500')
        count = int(written.replace(",", ""))
        if sum(n * len(days) for n, days in doses) != count:
            continue
        said = [
            f"{_plural(n, 'unit')} on day{'s' if len(days) > 1 else ''} "
            + (days[0] if len(days) == 1 else ", ".join(days[:-1]) + " and " + days[-1])
            for n, days in doses
        ]
        return count, f"{written} units in all ({' and '.join(said)})"
    return None


def _code_clauses(code: str, texts: list[str]) -> list[str]:
    """The clauses of ``texts`` about ``code``: each sentence naming it, from the code up to the
    next other code (see :func:`_own_clause`)."""
    return [
        _own_clause(code, ln) for t in texts for ln in re.split(r"(?<=[.;])\s+", t) if code in ln
    ]


def course_total(code: str, texts: list[str]) -> int | None:
    """The units of a course of doses on named days, as its clause states the total ('100 units
    on day 1 and 100 units on day 15 (200 units total)': 200); None when none states one."""
    found = _day_course(_code_clauses(code, texts))
    return found[0] if found else None


_TOTAL_UNITS_RE = re.compile(
    r"(?:=|\btotal(?:\s+of)?|\bin\s+total)\s*\d[\d,]*\s+units?\b"
    r"|\b\d[\d,]*\s+units?\s+(?:in\s+total|total|in\s+all)\b",
    re.IGNORECASE,
)
"""The units stated as a total: '= 980 units', 'a total of 980 units', '980 units in total'."""
_INTERVAL_RE = re.compile(rf"\bevery\s+{_NUM}\s+(days?|weeks?|months?)\b", re.IGNORECASE)
"""How often an administration recurs, in the code's own clause: 'every 21 days'."""
_INTERVAL_SPAN_RE = re.compile(
    rf"\bevery\s+{_NUM}\s*(?:-|–|to)\s*{_NUM}\s+(days|weeks|months)\b", re.IGNORECASE
)
"""An interval that varies between two lengths ('every 8 to 16 weeks', treat-and-extend)."""
_ADMINISTRATION_WORDS = frozenset(
    {"infusion", "injection", "dose", "administration", "treatment", "session", "visit", "cycle"}
)
"""What a code's units can be counted per ('per infusion', 'per cycle')."""


_QUALIFIES_RE = re.compile(r"\s+(?:hours?|hrs?|limit|cap|maximum|max|minimum)\b", re.I)
"""What a schedule word qualifies when it is no frequency of the code ('weekly hours')."""


def quantity(
    code: str,
    units: int | None,
    texts: list[str],
    per: str | None = None,
    administrations: int | None = None,
) -> str:
    """'1 unit (a 1-month supply) per month for 12 months': the code's units with what one unit
    is, the period each quantity is per and the period the request covers, as the denial's line
    for the code and the case's service details state them ('' when they state no quantity
    per period: the request then gives the units as counted)."""
    lines = _code_clauses(code, texts)
    rate = supply = span = interval = None
    total: int | None = None
    amount = units
    for line in lines:
        if rate is None and (m := _RENTAL_RE.search(line)):  # before 'monthly' reads as a rate
            rate, amount, span = "month", 1, _plural(_count(m.group(1)), "month")
        # a count of units per period before a bare schedule word ('30 hours weekly (120 units
        # per week)': 120 units a week, not 'weekly' alone)
        rates = list(_RATE_RE.finditer(line))
        if rate is None and (
            m := next((r for r in rates if r.group(2)), rates[0] if rates else None)
        ):
            if m.group(2) and _INNER_COUNT_RE.search(m.group(0)):
                pass  # the rate of a count inside the parenthesis: the units are a total
            elif m.group(3):
                # a clause that states the units as a total ('84 mg (weekly, weeks 5-8) = 980
                # units of S0013') makes no rate of a schedule word in it, nor a schedule word
                # that qualifies another noun ('up to 15% of the authorized weekly hours of
                # 97153': a criterion's words, not the code's units a week)
                if not _TOTAL_UNITS_RE.search(line) and not _QUALIFIES_RE.match(line, m.end()):
                    rate = _PERIODS[m.group(3).lower()]
            else:
                rate = m.group(2).lower()
                each = _count(m.group(1))
                if amount is not None and each and amount > each and rate in _ADMINISTRATION_WORDS:
                    total = amount  # the units are the total of several administrations
                if rate in _ADMINISTRATION_WORDS and re.match(r"\s+day\b", line[m.end() :]):
                    rate += " day"  # '100 units per infusion day': as the clause counts them
                amount = each if each else amount
        if supply is None and (m := _SUPPLY_RE.search(line)):
            supply = f"{_count(m.group(1))}-{m.group(2).lower()}"
        if span is None and (m := _FOR_RE.search(line) or _TIMES_SPAN_RE.search(line)):
            n, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            span = _plural(_count(n), unit)
        if interval is None and (m := _INTERVAL_RE.search(line)):
            # an interval that changes ('every 4 weeks for 4 doses then every 8 to 16 weeks') is
            # the schedule's to state, not one interval's
            varies = _INTERVAL_SPAN_RE.search(line) or any(
                (o.group(1), o.group(2).rstrip("s")) != (m.group(1), m.group(2).rstrip("s"))
                for o in _INTERVAL_RE.finditer(line)
            )
            interval = "" if varies else f"every {_plural(_count(m.group(1)), m.group(2))}"
    if rate is None and per in _PERIOD_WORDS and administrations and amount is not None:
        # the reading's own count of periods ('Quantity: 3 monthly rental units' on its line)
        rate, span = per, _plural(administrations, per)
    several = any(qty.per_course(t) for t in texts)  # courses of several administrations
    if rate is None and (course := _dosed_course(code, units, lines, several)):
        return course
    if rate is None and (days := _day_course(lines)):
        return days[1]
    if amount is None and (hours := _hours(lines, span)):
        return hours  # a time a week or a month, with no units stated ('25 hours per week')
    if rate is None or amount is None:  # no quantity per period: the units as counted
        return ""
    if interval and rate.split(" ")[0] in _ADMINISTRATION_WORDS:
        # '160 units per infusion, every 21 days'
        rate = f"{rate}, {interval}"
    text = _plural(amount, "unit")
    if supply:
        text += f" (a {supply} supply)"
    if rate:
        text += f" per {rate}"
    if span:
        text += f" for {span}"
    if total is not None:  # the total first: the units the notice counts
        return f"{_plural(total, 'unit')} in all ({text})"
    periods = _periods_in(rate, span, texts[-1] if texts else "") if amount > 1 else None
    if periods and periods > 1:
        # units a week for so many weeks: the period's total ('120 units per week for 26 weeks
        # (3,120 units in all)'; one unit a month for 12 months needs none); the span is the
        # clause's own, else the details' whole period
        text += f" ({amount * periods:,} units in all)"
    return text


_HOURS_RE = re.compile(
    r"\b(\d+(?:\.\d+)?)\s*(?:hours?|hrs?)\b\s*(?:/|per|a|each|every)\s*(day|week|month)\b",
    re.IGNORECASE,
)
"""Hours a period, as a code's clause orders them ('25 hours per week', '2 hrs/month')."""


def _hours(lines: list[str], span: str | None) -> str:
    """'25 hours per week for 26 weeks': the time a code's clause orders a period, when it
    states no units ('' when it states no such time)."""
    for line in lines:
        if m := _HOURS_RE.search(line):
            said = f"{m.group(1)} hour{'' if m.group(1) == '1' else 's'} per {m.group(2).lower()}"
            return f"{said} for {span}" if span else said
    return ""


def _periods_in(rate: str | None, span: str | None, details: str) -> int | None:
    """How many of the ``rate``'s periods (a week, a month) the ``span`` ('26 weeks') holds,
    else the period the case's ``details`` ask for ('for 26 weeks'); None unless it holds a
    whole number of them exactly (a week holds 7 days, a year 12 months; 6 months is no whole
    number of weeks, nor of days)."""
    if rate not in _PERIOD_WORDS:
        return None
    if span is None and (m := _FOR_RE.search(details)):
        n, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        span = _plural(_count(n), unit)
    if not span:
        return None
    n, unit = span.split(" ", 1)
    unit = unit.rstrip("s")
    times = 1 if unit == rate else _EXACT.get((unit, rate))
    return int(n) * times if times else None


_TIMES_SPAN_RE = re.compile(rf"[x×]\s*{_NUM}\s+(days|weeks|months|years)\b", re.IGNORECASE)
"""A span written as a multiplier of a rate ('120 units/week x 26 weeks')."""
_EXACT = {("week", "day"): 7, ("year", "month"): 12}
"""How many of a shorter period a longer one holds exactly."""


_WINDOW_RE = re.compile(r"within (\d+) (calendar |business |working )?days?", re.IGNORECASE)


def p2p_closes(analysis: DenialAnalysis) -> date | None:
    """The last day of the notice's peer-to-peer window ('within 5 business days of this notice'
    counted from the notice's date; business and working days skip weekends), or None when the
    notice states no countable window."""
    m = _WINDOW_RE.search(analysis.peer_to_peer_window or "")
    notice = analysis.letter_date
    if not m or notice is None:
        return None
    days = int(m.group(1))
    if (m.group(2) or "").strip().lower() not in ("business", "working"):
        return notice + timedelta(days=days)
    day = notice
    while days:
        day += timedelta(days=1)
        days -= day.weekday() < 5
    return day


def computed_dates(analysis: DenialAnalysis) -> list[date]:
    """Dates a letter states that are computed from the denial (the peer-to-peer window's last
    day): the validator grounds them as it grounds the inputs."""
    closes = p2p_closes(analysis)
    return [closes] if closes else []


def administrations(details: str | None) -> str:
    """How many administrations, sessions or days the request covers, as the case's service
    details state them ('36 sessions', '6 infusions', '14 days'; '' when they state none)."""
    match = _ADMINISTRATIONS_RE.search(details or "")
    return f"{match.group(1)} {match.group(2)}" if match else ""


def request_count(details: str | None, codes: list[tuple[str, int | None, list[str]]]) -> str:
    """The count the request asks for beside its codes (see ``administrations``), except a
    number of days when every requested code already states its units ('CPT 33340 x1 and CPT
    93355 x1'): such codes are counted, each a service done once or so many times, and a day
    count in the details is how long something else lasts ('anticoagulation 45 days', 'a
    follow-up TEE at 45 days'), never a period of the procedure."""
    count = administrations(details)
    if (
        codes
        and all(units is not None for _, units, _ in codes)
        and re.search(r"\b(?:days?|nights?)$", count)
    ):
        return ""
    return count


# --------------------------------------------------------------------------- a drug, no code

_DRUG_LABEL_RE = re.compile(
    r"^[ \t]*(?:drug|medication|medicine|product)(?:\s+(?:requested|name))?[ \t]*:?[ \t]*(.*)$",
    re.IGNORECASE | re.MULTILINE,
)
_STRENGTH_RE = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:mg|mcg|g|units?|IU|%)(?:\s*/\s*(?:\d+(?:\.\d+)?\s*)?"
    r"(?:mL|dose|actuation|tablet|capsule|hr|hour|day|kg))?(?![\w/])",
    re.IGNORECASE,
)
_NDC_TEXT_RE = re.compile(r"(?<![\w-])\d{4,5}-\d{3,4}-\d{1,2}(?![\w-])")
_FORMS = (
    r"mL|ml|pens?|pen-injectors?|auto-?injectors?|tablets?|tabs|capsules?|caps|syringes?|vials?"
    r"|units|inhalers?"
    r"|patch(?:es)?|boxes|cartons?|kits?|cartridges?|packs?|packets?|g|grams?|oz|ounces?"
    r"|tubes?|jars?|bottles?"
)
_QUANTITY_RE = re.compile(
    rf"\b(?:quantity|qty)\b(?:\s+(?:requested|prescribed|ordered|dispensed))?\s*:?\s*"
    rf"(\d+(?:\.\d+)?\s*(?:(?:{_FORMS})\b)?)"
    rf"|\b({_NUM}\s+(?:{_FORMS}))(?:\s*\([^()]{{0,40}}\))?\s+(?:per|every|each|/)\s+"
    r"(?:\d+\s+days?|month|week)"
    rf"|#\s*(\d+)\b",
    re.IGNORECASE,
)
_PHASED_RE = re.compile(
    rf"\b(?:quantity|qty)\b(?:\s+(?:requested|prescribed|ordered|dispensed))?\s*:?\s*"
    rf"(\d+\s*(?:{_FORMS})\b[^;.]*?\bper\s+\d+\s+days\b[^;.]*?,?\s+then\s+\d+\s*(?:{_FORMS})?"
    r"[^;.]*?\bper\s+\d+\s+days)",
    re.IGNORECASE,
)
"""A quantity stated per phase of the regimen ('Quantity: 1 autoinjector per 28 days for the
first 5 doses, then 1 autoinjector per 56 days')."""
_DAYS_SUPPLY_RE = re.compile(
    r"\b(\d+)[- ]days?'?\s+supply\b|\bdays?'?\s+supply\s*:?\s*(\d+)\b"
    r"|\b(?:per|every|each|/)\s+(\d+)\s+days\b",
    re.IGNORECASE,
)


def _drug_lines(letter_text: str) -> list[str]:
    """The denial's own lines naming the drug requested ('DRUG REQUESTED' over the line, or
    'Drug: ...' on it)."""
    out = []
    lines = letter_text.splitlines()
    for m in _DRUG_LABEL_RE.finditer(letter_text):
        if m.group(1).strip():
            out.append(m.group(1).strip())
            continue
        at = letter_text.count("\n", 0, m.start()) + 1
        if at < len(lines) and lines[at].strip():
            out.append(lines[at].strip())
    return out


_SPAN_ALONE_RE = re.compile(
    r"(?:^|;)\s*(\d+)\s+(months?|weeks?|years?)"
    r"(?:\s+(?:requested|of (?:therapy|treatment)|(?:of )?authori[sz]ation|approval))?"
    r"\s*(?:\.(?=\s|$)|(?=;|$))",
    re.IGNORECASE,
)
"""A clause of the details that is only the period the request covers ('; 12 months', '; 12
months requested', '...; 12 months. Monotherapy: ...')."""


_QUANTITY_LABEL_RE = re.compile(
    r"^[ \t]*(?:quantity|qty|amount|duration|length of therapy|(?:therapy|treatment) duration|"
    r"duration of (?:therapy|treatment)|days'? supply|refills?)"
    r"(?:\s+(?:requested|prescribed|ordered|dispensed))?[ \t]*:[ \t]*(\S.*)$",
    re.IGNORECASE | re.MULTILINE,
)
_NOT_ASKED_RE = re.compile(
    r"\b(?:limit|limits|allowed|approved|covered|maximum|max|plan allows|formulary)\b", re.I
)
"""A quantity line of the plan's own (its limit, what it approved) is not what was asked."""


def quantity_lines(letter_text: str) -> list[str]:
    """The notice's own lines stating the quantity, period or refills requested ('Quantity
    requested: 84 tablets per 28 days; 252 tablets for 84 days (2 refills)'), never its limit."""
    return [
        m.group(0).strip()
        for m in _QUANTITY_LABEL_RE.finditer(letter_text)
        if not _NOT_ASKED_RE.search(m.group(0))
    ]


_COURSE_RE = re.compile(
    rf"\b(\d[\d,]*)\s+({_FORMS})\s+(?:for|over|in|across)\s+(?:a\s+|the\s+)?{_NUM}[- ]"
    r"(days?|weeks?|months?)\b",
    re.IGNORECASE,
)
"""The whole course in a quantity ('252 tablets for 84 days', '168 tablets over 24 weeks')."""
_REFILLS_RE = re.compile(rf"\b{_NUM}\s+refills?\b", re.IGNORECASE)
_SPAN_LABEL_RE = re.compile(
    rf"\b(?:duration|length of therapy|course)(?:\s+(?:of\s+)?(?:therapy|treatment))?"
    rf"(?:\s+requested)?\s*:\s*{_NUM}\s+(days?|weeks?|months?)\b"
    # 'duration 16 weeks', 'initial authorization 16 weeks' (no colon)
    rf"|\b(?:duration|(?:initial\s+)?authori[sz]ation(?:\s+period)?)\s+{_NUM}\s+"
    r"(days?|weeks?|months?)\b"
    rf"|[x×]\s*{_NUM}\s+(weeks|months)\b",
    re.IGNORECASE,
)
"""The period of therapy on a label ('Duration: 24 weeks') or as a multiplier ('x 24 weeks')."""
_DAYS_PER = {"day": 1, "week": 7}


def _span_in_days(span: str) -> int | None:
    """'16 weeks' -> 112 (None for a period not counted in days or weeks)."""
    unit_days = _DAYS_PER.get(span.split()[-1].rstrip("s")) if span else None
    return int(span.split()[0]) * unit_days if unit_days else None


def _course(sources: list[str], quantity: str, supply: str, span: str) -> str:
    """The whole course when the request is more than one fill: as a source states it ('252
    tablets over 84 days'), else counted from the quantity per fill and the period when the
    period is a whole number of fills ('28 tablets per 28 days' for 24 weeks: '168 tablets
    over 24 weeks'); '' when neither (a single fill, or a period not counted in days)."""
    for s in sources:
        if m := _COURSE_RE.search(s):
            total = m.group(1).replace(",", "")
            if quantity and quantity.split()[0] == total and not supply:
                continue  # the quantity requested is the course itself, its period stated
            return f"{total} {m.group(2).lower()} over {_plural(_count(m.group(3)), m.group(4))}"
    counted = re.match(r"(\d+)\s+(\S+)", quantity)
    unit_days = _DAYS_PER.get(span.split()[-1].rstrip("s")) if span else None
    if not (counted and supply and unit_days):
        return ""
    days = int(span.split()[0]) * unit_days
    fill = int(supply)
    if fill <= 0 or days <= fill or days % fill:
        return ""
    total = int(counted.group(1)) * days // fill
    return f"{total} {counted.group(2)} over {span}"


def _drug(analysis: DenialAnalysis, case: CaseFacts, letter_text: str) -> tuple[str, list[str]]:
    """The product as the case describes it, and the texts that may state its NDC, quantity,
    supply and period ('' when the service has a code or is not a drug: no strength stated)."""
    service = case.service
    if any(_is_code(c) for c in service.codes) or requested_codes(analysis, case):
        return "", []
    sources = [
        *_drug_lines(letter_text),
        *quantity_lines(letter_text),
        service.description or "",
        service.details or "",
    ]
    if not any(_STRENGTH_RE.search(s) for s in sources):
        return "", []
    return product_name(case, letter_text), sources


_NAME_WORDS = 8
"""A product name states its strength within its first words ('Nurtec ODT (rimegepant) 75 mg')."""


_DESCRIPTOR_LEAD_RE = re.compile(
    r"^\s*(?:injection|infusion|inhalation solution|implant)s?\s*,\s*(?=\S)", re.IGNORECASE
)
"""The lead of a HCPCS drug descriptor ('Injection, faricimab-svoa, 0.1 mg'): the route, not
the drug's name."""


def product_name(case: CaseFacts, letter_text: str) -> str:
    """The drug as the request names it: the case's description up to its first comma when it
    states a strength within its first words; else the notice's drug line that states one (a
    description such as 'Part D exception for rimegepant ...' names the request, not the
    drug); else the description. A HCPCS descriptor's lead ('Injection, ...') is no name."""
    described = _DESCRIPTOR_LEAD_RE.sub("", case.service.description or "", count=1)
    head = _before_comma(described)
    if _STRENGTH_RE.search(" ".join(head.split()[:_NAME_WORDS])):
        return head
    for line in _drug_lines(letter_text):
        line = _before_comma(line)
        if _STRENGTH_RE.search(line):
            return line
    return head


def _before_comma(text: str) -> str:
    """``text`` up to its first comma outside parentheses ('Tolvaptan tablets for ADPKD
    (generic, AB-rated to Jynarque)' whole; 'Nurtec ODT 75 mg, 8 tablets' -> 'Nurtec ODT
    75 mg')."""
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth <= 0:
            return text[:i].strip()
    return text.strip()


_BENEFIT_NAMED_RE = re.compile(
    r"\b(?:medical|pharmacy) benefit\b|\bPart D\b|\bbuy[- ]and[- ]bill\b", re.IGNORECASE
)


def _benefit(letter_text: str, sources: list[str]) -> str:
    """The benefit the drug is requested under: the one the case's own description or details
    name ('..., pharmacy benefit'), else the one the notice and the case's words point to (a
    notice may name the medical benefit for other services it does not address)."""
    own = "\n".join(sources[-2:])  # the case's description and details
    if _BENEFIT_NAMED_RE.search(own):
        return qty.benefit(own)
    # a form taken by mouth in the case's words is the pharmacy's (quantity.benefit's own=)
    return qty.benefit("\n".join([letter_text, *sources]), own)


def drug_benefit(analysis: DenialAnalysis, case: CaseFacts, letter_text: str) -> str | None:
    """'pharmacy' or 'medical' for a drug requested without a code (None for other services):
    a drug the provider gives and bills (an infusion, the medical benefit) has a HCPCS J-code;
    one a pharmacy dispenses has none."""
    product, sources = _drug(analysis, case, letter_text)
    if not product:
        return None
    return _benefit(letter_text, sources)


def drug_request(analysis: DenialAnalysis, case: CaseFacts, letter_text: str) -> str:
    """A drug requested under the pharmacy benefit, with no CPT/HCPCS code, as the request
    names it: the product (name and strength, as the case describes it), the regimen (each
    phase's dose and schedule, as the case writes it), then the NDC, the quantity (as stated,
    else counted from the regimen per the days' supply or the limit's period), the days'
    supply and the period. Nothing is invented: a part no source states or counts is left out.
    '' when the service has a code, is not a drug, or is a medical-benefit drug."""
    product, sources = _drug(analysis, case, letter_text)
    if not product or _benefit(letter_text, sources) == "medical":
        return ""
    service = case.service
    parts: list[str] = []
    for s in sources:
        if (ndc := _NDC_TEXT_RE.search(s)) and ndc.group(0) not in product:
            parts.append(f"NDC {ndc.group(0)}")
            break
    phases = qty.parse_regimen([service.details or "", *qty.directions(letter_text)], product)
    quantity = supply = span = ""
    # a quantity that changes with the regimen's phases is stated as the case states it, once
    # ('1 autoinjector per 28 days for the first 5 doses, then 1 autoinjector per 56 days'),
    # never as its first phase's figure beside a days' supply the later phases do not keep
    phased = phased_quantity([service.details or "", *sources])
    for s in sources:
        if phased:
            break
        if not quantity and (m := _QUANTITY_RE.search(s)):
            said = m.group(1) or m.group(2) or m.group(m.re.groups)  # the last: '#30'
            quantity = " ".join(said.split()).lower()
            quantity = re.sub(r"\bml\b", "mL", quantity)
        if not supply and (m := _DAYS_SUPPLY_RE.search(s)):
            supply = next(g for g in m.groups() if g)
    for s in sources:  # the period requested: not a phase's own length ('for 7 days')
        for phase in phases or ():
            s = s.replace(phase.text, " ")
        if not span and (m := _SPAN_ALONE_RE.search(s)):  # '...; 12 months'
            span = _plural(int(m.group(1)), m.group(2))
        if not span and (m := _FOR_RE.search(s)) and not _COURSE_RE.search(s):
            n, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            span = _plural(_count(n), unit)
        if not span and (m := _SPAN_LABEL_RE.search(s)):
            n, unit = next((m.group(i), m.group(i + 1)) for i in (1, 3, 5) if m.group(i))
            span = _plural(_count(n), unit)
    limit = qty.parse_limit(letter_text)
    unit = limit.unit if limit else qty.dispensed_unit(product)
    period = limit.days if limit else int(supply) if supply else None
    counted = qty.supply(phases, period, unit) if phases and unit and period else ""
    course = ""
    if counted and ", then " in counted:
        # a loading stretch apart from the rest: every fill as the regimen needs it ('3 pens for
        # days 1–28, then 2 pens per 28 days'), and the whole course over the period, not the
        # first fill alone
        parts.append(f"quantity {counted}")
        days = _span_in_days(span)
        if phases and unit and days:
            course = f"for {span}, {qty.plural(qty.course_units(phases, days), unit)} in all"
    elif phased:
        parts.append(f"quantity {phased}")
    elif quantity:
        parts.append(f"quantity {quantity}" + (f" per {supply} days" if supply else ""))
    elif counted:
        parts.append(f"quantity {counted}")
    if supply:
        parts.append(f"a {supply}-day supply")
    course = course or _course(sources, quantity or "", supply, span)
    refills = next((m for s in sources if (m := _REFILLS_RE.search(s))), None)
    if course:  # the whole course, not one fill
        parts.append(course)
    elif span:
        parts.append(f"for {span}")
    elif analysis.service_start and analysis.service_end:
        parts.append(
            f"from {analysis.service_start:%B %-d, %Y} to {analysis.service_end:%B %-d, %Y}"
        )
    if refills:
        parts.append(_plural(_count(refills.group(1)), "refill"))
    named = f"{product}, {qty.regimen_words(phases, unit)}" if phases else product
    stated = quantity or phased
    if (
        not phases
        and limit is None
        and not stated
        and (ordered := qty.regimen_said(service.details))
    ):
        # a regimen the case writes but no phase reading counts (doses by weight, kits of
        # several vials): every dose and unit as ordered, never left out (a quantity limit's
        # paragraph states it against the limit instead)
        named = f"{product}, as ordered: {one_date_style(ordered)}"
    return f"{named} ({'; '.join(parts)})" if parts else named


def phased_quantity(texts: list[str]) -> str:
    """The quantity a text states per phase of the regimen, as it states it ('1 autoinjector
    per 28 days for the first 5 doses, then 1 autoinjector per 56 days'); '' when none does."""
    found = next((m.group(1) for text in texts if (m := _PHASED_RE.search(text))), "")
    return " ".join(found.split())


def drug_gaps(analysis: DenialAnalysis, case: CaseFacts, letter_text: str) -> list[Gap]:
    """A gap when a drug requested without a code lacks what its request must name: on the
    pharmacy benefit, its quantity or days' supply (neither stated nor countable from the
    regimen); on the medical benefit, its HCPCS code (a J-code, in service.code)."""
    if drug_benefit(analysis, case, letter_text) == "medical":
        return [
            Gap(
                field="service.code",
                message=(
                    "the drug is given and billed on the medical benefit (an infusion or "
                    "office-administered drug) and neither the denial nor the case gives its "
                    "HCPCS code: add the drug's J-code to service.code"
                ),
                placeholder=PLACEHOLDER.format(what="the drug's HCPCS code (J-code)"),
            )
        ]
    named = drug_request(analysis, case, letter_text)
    if not named or "quantity" in named or "supply" in named:
        return []
    return [
        Gap(
            field="service.details",
            message=(
                "the drug is requested without a CPT/HCPCS code and neither the denial nor the "
                "case states its regimen, quantity or days' supply: add them to service.details "
                "('300 mg (2 pens) every 4 weeks; quantity 2 pens per 28 days; 28-day supply; "
                "for 12 months')"
            ),
            placeholder=PLACEHOLDER.format(
                what="the regimen (dose and schedule), quantity and days' supply requested"
            ),
        )
    ]


_CLAIM_LINE_RE = re.compile(
    r"^[ \t|]*(?:(?:Ln|Line)?[ \t]*(?P<line>\d{1,3})[ \t|]+)?(?P<date>\d{1,2}/\d{1,2}/\d{2,4})"
    r"(?:[ \t]*[-–][ \t]*(?P<last>\d{1,2}/\d{1,2}/\d{2,4}))?[ \t|]+(?:(?:CPT|HCPCS)[ \t]*)?"
    r"(?P<code>[0-9A-Z]{5})\b(?P<rest>[^\n]*)",
    re.IGNORECASE | re.MULTILINE,
)
"""A claim's line: its number, its date of service, then its code ('01  08/13/2026   95810 ...')."""
_MONEY_RE = re.compile(
    r"(?<![\d.,])\$?\s?(\d{1,3}(?:,\d{3})+\.\d{2}|\d+\.\d{2})(?![\d])"
    r"(?!\s*(?:mg|mcg|mL|ml|g|%|units?|cm|mm|kg)\b)"
)
"""An amount, with or without thousands commas ('2,310.00', '27500.00'), never a dose."""
_BILLED_HEADER_RE = re.compile(r"^[^\n]*\b(?:billed|charges?|submitted)\b[^\n]*$", re.I | re.M)


@dataclass(frozen=True)
class ClaimLine:
    """One line of a claim, as the notice's table lays it out."""

    code: str
    number: str
    """'01' ('' when the line has no number)."""
    day: date
    billed: str
    """'2,310.00', the line's first amount under a 'Billed' column ('' when none)."""
    last: date | None = None
    """The last date of service of a line that spans several ('04/20/2026-04/29/2026')."""


def _dated_lines(letter_text: str, codes: list[str]) -> list[ClaimLine]:
    """Every dated line of the notice that bills one of ``codes``, in order."""
    billed_column = _BILLED_HEADER_RE.search(letter_text) is not None
    out: list[ClaimLine] = []
    for m in _CLAIM_LINE_RE.finditer(letter_text):
        code = m.group("code").upper()
        days = find_dates(m.group("date"))
        if code not in codes or not days:
            continue
        money = _MONEY_RE.search(m.group("rest")) if billed_column else None
        amount = money.group(1) if money else ""
        ends = find_dates(m.group("last") or "")
        last = ends[0][0] if ends and ends[0][0] > days[0][0] else None
        out.append(ClaimLine(code, m.group("line") or "", days[0][0], amount, last))
    return out


def claim_lines(letter_text: str, codes: list[str]) -> dict[str, ClaimLine]:
    """Code -> its claim line (number, date of service, amount billed), for each of ``codes``
    the notice lists on a dated line; a code on several lines keeps its first."""
    out: dict[str, ClaimLine] = {}
    for line in _dated_lines(letter_text, codes):
        out.setdefault(line.code, line)
    return out


def claim_dates(analysis: DenialAnalysis, letter_text: str) -> list[date]:
    """The dates of service of a claim already given, before the notice's date: the denial's
    own dates of service (only those of its dated lines that bill the requested codes, when it
    names every one of them among others), else those lines' dates, else the dates on any line
    that bills the requested codes, in order. Nothing is inferred: [] when none states one."""
    before = analysis.letter_date
    lined = {
        line.day
        for line in _dated_lines(letter_text, [r.code for r in analysis.requested])
        if before is None or line.day < before
    }
    found = [d for d in analysis.service_dates if before is None or d < before]
    if (lined and lined <= set(found)) or not found:
        # the lines' own dates, of the dates the notice names (not a precertification's)
        found = sorted(lined)
    if not found:
        codes = {r.code for r in analysis.requested}
        for line in letter_text.splitlines():
            if not any(literal.bounded(line, code) for code in codes):
                continue
            found += [d for d, _ in find_dates(line) if before is None or d < before]
    return sorted(set(found))


_GIVEN_CLAUSE_RE = re.compile(r"[^;\n]+")
"""A clause of the case's service details for :func:`given_dates`: up to a semicolon or a line's
end (a sentence's list of dates, '10/06/2026, 10/20/2026 and 11/17/2026', stays whole)."""


def given_dates(case: CaseFacts, notice: date | None, today: date) -> list[date]:
    """The dates the case's service details say the requested service was given on, after the
    notice denied it: the dates of a clause that says it was given ('performed 11/04/2026 at
    Harborview Imaging', 'delivered 10/28/2026', '3 infusions completed on ...';
    ``given_in_case``), on or after the notice's date and not after the letter's. The appeal of
    a request made before the service then asks for coverage and payment of this care, on the
    post-service clock. A date before the notice (an induction given before a maintenance
    request) is history, not the care denied. [] when the details state none."""
    timing = request_timing()
    found: set[date] = set()
    for clause in _GIVEN_CLAUSE_RE.findall(case.service.details or ""):
        for sentence in split_sentences(clause, flatten=True):
            if not timing.says_given(sentence):
                continue
            found |= {
                d for d, _ in find_dates(sentence) if (notice is None or d >= notice) and d <= today
            }
    return sorted(found)


# --------------------------------------------------------------------------- units from the dose

_MASS_MG = {"mcg": 0.001, "microgram": 0.001, "micrograms": 0.001, "mg": 1.0, "g": 1000.0,
            "gram": 1000.0, "grams": 1000.0}  # fmt: skip
_MASS = r"(\d[\d,]*(?:\.\d+)?)\s*(mcg|micrograms?|mg|g|grams?)\b(?!\s*/|\s+per\s+k)"
_DESCRIPTOR_RE = re.compile(rf",\s*(?:per\s+)?{_MASS}", re.IGNORECASE)
"""A HCPCS descriptor's amount per unit: '..., adalimumab, 20 mg', '..., per 50 mg'."""
_DOSE_RE = re.compile(rf"(?<![\d.,/-]){_MASS}", re.IGNORECASE)
"""An amount given in one dose: '750 mg', '40 g' (never a rate per kg or per mL: '468 mg/kg')."""


def _mg(amount: str, unit: str) -> float:
    return float(amount.replace(",", "")) * _MASS_MG[unit.lower()]


def _descriptor_mg(code: str, letter_text: str, case: CaseFacts) -> float | None:
    """The amount one unit of a HCPCS drug code is, as its descriptor states it: on the
    notice's line for the code ('J1459 Injection, immune globulin (Privigen), ..., 500 mg -
    80 units'), else the case's description of its service code ('Injection, adalimumab,
    20 mg')."""
    texts = [line[line.find(code) :] for line in _code_blocks(letter_text, code)]
    for text in texts:  # 'HCPCS J9271 (1 mg), 200 mg'
        if m := re.match(rf"{code}\s*\((?:per\s+)?{_MASS}\)", text, re.IGNORECASE):
            return _mg(m.group(1), m.group(2))
    if case.service.code == code and case.service.description:
        texts.insert(0, case.service.description)
    for text in texts:
        head = re.split(r"\s[-–—]\s|;|\n\s*\n", text)[0]  # the descriptor, not the units after
        if m := _DESCRIPTOR_RE.search(head):
            return _mg(m.group(1), m.group(2))
    return None


_BLOCK_RE = re.compile(r"[^\n]*(?:\n[ \t]{4,}[^\n]+)*")
"""A line with the indented lines continuing it."""


def _code_blocks(text: str, code: str) -> list[str]:
    """Each line of ``text`` naming ``code``, with the indented lines continuing it.

    Found from each place the code is named, back to its line's start: one pattern that
    began with the line's text tried every position of every line (quadratic in a line's
    length), a tenth of a warm draft's CPU on the examples."""
    named = re.compile(rf"\b{code}\b")
    blocks: list[str] = []
    at = 0
    while (m := named.search(text, at)) is not None:
        block = _BLOCK_RE.match(text, text.rfind("\n", 0, m.start()) + 1)
        assert block is not None  # the pattern matches the empty string
        blocks.append(block.group(0))
        at = max(block.end(), m.end())
    return blocks


def _dose_mg(code: str, details: str) -> float | None:
    """The amount one dose gives, as the case's service details state it: the first amount of
    the sentence naming the code, ahead of the code, else of the details' first sentence."""
    sentences = split_sentences(details)
    own = next((s for s in sentences if literal.bounded(s, code)), None)
    text = own[: own.find(code)] if own is not None else (sentences[0] if sentences else "")
    m = _DOSE_RE.search(text)
    return _mg(m.group(1), m.group(2)) if m else None


def _by_dose(code: str, units: int | None, letter_text: str, case: CaseFacts) -> int | None:
    """A drug code's units as its dose bills them (:func:`dose_units`) where the notice gives
    none or one ('J1439 x 1' for 750 mg of a 50 mg unit is 15 units); else ``units``."""
    if units is not None and units > 1:
        return units
    return dose_units(code, letter_text, case) or units


def dose_units(code: str, letter_text: str, case: CaseFacts) -> int | None:
    """The HCPCS units one dose bills: the dose over the amount of one unit of the code's
    descriptor ('750 mg' of 'J1439 ..., 50 mg': 15), when both are stated and the dose is a
    whole number of units; None otherwise."""
    if not is_hcpcs(code):
        return None
    per_unit = _descriptor_mg(code, letter_text, case)
    dose = _dose_mg(code, case.service.details or "")
    if not per_unit or not dose:
        return None
    units = dose / per_unit
    return round(units) if units >= 1 and abs(units - round(units)) < 1e-6 else None


# --------------------------------------------------------------------------- a course of doses

_ADMIN = rf"({'|'.join(sorted(_ADMINISTRATION_WORDS))})s?"
_SHARED_PER_RE = re.compile(
    # the code, its units, then the codes listed beside it, up to the administration they are
    # each counted per ('96365 x1 and 96366 x3 per infusion', 'J0135 per dose', '67028-RT x1
    # per injection')
    rf"(?:-[0-9A-Z]{{2}})?[ \t]*(?:[x×]\s*\d+|\d+\s+units?)?(?:\s*\([^)]*\))?"
    r"(?:\s*(?:,|and|&)\s*(?:CPT\s+|HCPCS\s+)?[0-9A-Z]{5}(?:-\w\w)?\s*(?:[x×]\s*\d+)?)*"
    rf"\s+per\s+{_ADMIN}\b",
    re.IGNORECASE,
)
_STATED_COUNT_RE = re.compile(
    rf"\b(up to\s+)?(\d{{1,3}})\s+(?:more\s+|additional\s+|total\s+)?{_ADMIN}\b", re.IGNORECASE
)
_SPAN_RE = re.compile(
    rf"\b(?:for|over|across)\s+(?:a\s+period\s+of\s+|the\s+next\s+)?{_NUM}\s+"
    r"(months?|weeks?|years?)\b"
    rf"|\b{_NUM}-(month|week|year)\s+(?:period|authori[sz]ation|course)\b"
    rf"|\b(?:duration|period|length of therapy)(?:\s+requested)?\s*:?\s*{_NUM}\s+"
    r"(months?|weeks?|years?)\b",
    re.IGNORECASE,
)
"""The span a repeated dose is asked for: 'for 12 months', 'over 6 months', 'a 12-month
authorization', 'requested duration 12 months'."""
_FREQUENCY_LINE_RE = re.compile(
    r"^[^\n]*\b(?:frequency|schedule|dosing|regimen|(?:requested|request) (?:duration|period)|"
    r"(?:duration|period) requested)\b[^\n]*",
    re.IGNORECASE | re.MULTILINE,
)
"""The notice's lines stating how often and for how long ('Frequency: every 4 weeks; 7
infusions; requested period 11/16/2026 - 05/15/2027')."""


def _days(n: int, unit: str) -> int:
    """A span in days, a month a twelfth of 52 weeks (every 4 weeks for 12 months: 13 doses)."""
    unit = unit.lower().rstrip("s")
    return {"day": n, "week": 7 * n, "month": round(n * 364 / 12), "year": 364 * n}[unit]


def _per_dose(
    code: str, units: int, read: RequestedService | None, letter_text: str, case: CaseFacts
) -> str:
    """The administration a code's units are counted per ('infusion'), as the notice's line
    for it or the case's details say, or 'dose' when they are one dose's (:func:`dose_units`);
    '' when they are counted otherwise (a total)."""
    if read is not None and read.per in _ADMINISTRATION_WORDS:
        return read.per
    if dose_units(code, letter_text, case) == units:
        return "dose"
    texts = [letter_text, case.service.details or ""]
    for clause in _code_clauses(code, texts):  # '155 units every 12 weeks': a dose each time
        if (m := _DOSED_RE.search(clause)) and int(m.group(1)) == units:
            return "dose"
    for text in texts:
        for m in re.finditer(rf"\b{code}\b", text):
            if shared := _SHARED_PER_RE.match(text, m.end()):
                return shared.group(1).lower()
        for block in _code_blocks(text, code):
            for rate in re.finditer(
                rf"(?<![\d.,]){units}\s+units?\b[^.;\n]{{0,40}}?\bper\s+{_ADMIN}\b", block, re.I
            ):
                # '120 units (4 thirty-minute intervals per session)': the parenthesis's own
                # count is per session, the units are the request's total
                if not _INNER_COUNT_RE.search(block[rate.start() : rate.start(1)]):
                    return rate.group(1).lower()
    return ""


def per_dose_word(
    code: str, units: int | None, read: RequestedService | None, letter_text: str, case: CaseFacts
) -> str:
    """'infusion' when the request counts ``code``'s units per administration ('96366 x3 per
    infusion'), 'infusion day' when the code's clause counts them so ('100 units per infusion
    day'); '' otherwise."""
    if units is None:
        return ""
    word = _per_dose(code, units, read, letter_text, case)
    clauses = _code_clauses(code, [letter_text, case.service.details or ""])
    if word and any(re.search(rf"\bper\s+{word}\s+day\b", c, re.IGNORECASE) for c in clauses):
        return f"{word} day"
    return word


@dataclass(frozen=True)
class Course:
    """A dose repeated at an interval: how many administrations, and each code's units in all."""

    count: int
    word: str
    """The administrations counted, plural ('infusions', 'doses')."""
    interval: str
    """'every 4 weeks'."""
    span: str
    """'for 12 months' when the count is computed from it ('' when the inputs state it)."""
    up_to: bool
    totals: tuple[tuple[str, int], ...]
    """(code as the letter names it, units in all)."""
    each: int = 1
    """Administrations in each course ('days 1 and 15 of each course': 2); ``count`` then
    counts the courses."""
    each_word: str = ""
    """What each course holds, plural ('infusions'), when ``each`` is more than one."""

    def sentence(self) -> str:
        """'That is 7 infusions, every 4 weeks: 560 units of HCPCS J1459 ... in all.'; a
        course of several administrations: 'That is 2 courses, every 6 months, of 2 infusions
        each: ...'."""
        upto = "up to " if self.up_to else ""
        units = [f"{upto}{n:,} unit{'s' if n != 1 else ''} of {named}" for named, n in self.totals]
        listed = units[0] if len(units) == 1 else ", ".join(units[:-1]) + " and " + units[-1]
        word = self.word
        if self.each > 1:
            word = f"{word} of {self.each} {self.each_word} each"
        if self.span:
            head = f"{self.interval[:1].upper()}{self.interval[1:]} {self.span} is"
            return f"{head} {upto}{self.count} {word}: {listed} in all."
        if self.each > 1:
            every = f", {self.interval}," if self.interval else ""
            each = f"of {self.each} {self.each_word} each"
            return f"That is {upto}{self.count} {self.word}{every} {each}: {listed} in all."
        every = f", {self.interval}" if self.interval else ""
        return f"That is {upto}{self.count} {word}{every}: {listed} in all."

    def strings(self) -> list[str]:
        """The numbers the sentence computes, for the validator to ground."""
        return [str(self.count), str(self.each), *(f"{n:,} units" for _, n in self.totals)]


def _interval(case: CaseFacts, letter_text: str, codes: list[str]) -> tuple[str, int] | None:
    """('every 4 weeks', 28): how often the dose repeats, as the details, else the notice's
    lines for the codes or its frequency line, state it; ('', 0) when the text stating it
    gives more than one (a loading phase, then maintenance: 'every 4 weeks x4, then every 8
    weeks')."""
    texts = [case.service.details or ""]
    texts += [b for c in codes for b in _code_blocks(letter_text, c)]
    texts += [m.group(0) for m in _FREQUENCY_LINE_RE.finditer(letter_text)]
    for text in texts:
        said = {
            (n, m.group(2).lower().rstrip("s"))
            for m in _INTERVAL_RE.finditer(text)
            if (n := _count(m.group(1)))
        }
        if len(said) > 1 or (said and _INTERVAL_SPAN_RE.search(text)):
            # a phase at a fixed interval, then another ('every 4 weeks for 4 doses then
            # treat-and-extend every 8 to 16 weeks'): no one interval counts the course
            return "", 0
        if said:
            n, unit = said.pop()
            return f"every {_plural(n, unit)}", _days(n, unit)
    return None


def _stated_count(case: CaseFacts, letter_text: str) -> tuple[int, str, bool] | None:
    """(7, 'infusions', False): the administrations the details, else the notice's frequency
    line, count ('7 infusions', 'up to 35 cycles'); None when neither does. Of several counts,
    the course's: the largest, which holds its phases ('every 4 weeks for 4 doses then every
    8 to 16 weeks; up to 9 injections' is 9)."""
    texts = [case.service.details or ""]
    texts += [m.group(0) for m in _FREQUENCY_LINE_RE.finditer(letter_text)]
    for text in texts:
        found = [
            m
            for m in _STATED_COUNT_RE.finditer(text)
            if int(m.group(2)) > 1 and not _about_history(text, m)
        ]
        if found:
            m = max(found, key=lambda m: int(m.group(2)))
            n = int(m.group(2))
            return n, _plural(n, m.group(3)).split(" ", 1)[1], bool(m.group(1))
    return None


def _span_days(analysis: DenialAnalysis, case: CaseFacts, letter_text: str) -> tuple[str, int]:
    """('for 12 months', 364): the span the request covers, as the details, else the notice,
    state it ('for 12 months', 'requested duration 12 months'), else the notice's dates of
    service; ('', 0) when none states one."""
    lines = [m.group(0) for m in _FREQUENCY_LINE_RE.finditer(letter_text)]
    for text in (case.service.details or "", *lines):
        if m := _SPAN_RE.search(text):
            groups = [g for g in m.groups() if g]
            n, unit = _count(groups[0]), groups[1]
            if n:
                return f"for {_plural(n, unit)}", _days(n, unit)
    start, end = analysis.service_start, analysis.service_end
    if start and end and end > start:
        return f"from {fmt_date(start)} to {fmt_date(end)}", (end - start).days
    return "", 0


def course(
    analysis: DenialAnalysis,
    case: CaseFacts,
    letter_text: str,
    codes: list[tuple[str, int | None, list[str]]],
) -> Course | None:
    """The course a repeated dose makes: the administrations (as stated, else the span over
    the interval: every 4 weeks for 12 months is 13) and each code's units per administration
    times them. None unless a code's units are per administration and the dose repeats at a
    stated interval with a count or a span."""
    read = {r.code: r for r in analysis.requested}
    per = {
        code: w
        for code, units, _ in codes
        if units and (w := _per_dose(code, units, read.get(code), letter_text, case))
    }
    if not per:
        return None
    every = _interval(case, letter_text, list(per))
    within = _within(case, letter_text, list(per))
    if within is not None:  # courses of several administrations each
        return _courses(analysis, case, letter_text, codes, per, every, within)
    if every is None:
        return None
    stated = _stated_count(case, letter_text)
    span = ""
    if stated is not None:
        count, word, up_to = stated
    elif not every[1]:  # intervals that change: only a stated count counts them
        return None
    else:
        span, days = _span_days(analysis, case, letter_text)
        count, up_to = days // every[1], False
        if count < 2:
            return None
        word = _plural(count, next(iter(per.values()))).split(" ", 1)[1]
    totals = tuple(
        (f"{label_of(code)} {code}".strip(), units * count)
        for code, units, _ in codes
        if units and code in per
    )
    return Course(count, word, every[0], span, up_to, totals)


_COURSES_RE = re.compile(
    r"\b(up to\s+)?(\d{1,3})\s+(?:more\s+|additional\s+)?(course|cycle)s\b"
    r"|\b(course|cycle)s\s+requested\s*:\s*(\d{1,3})\b",
    re.IGNORECASE,
)
"""A stated count of courses ('6 courses', 'up to 4 cycles', 'Courses requested: 2')."""
_APART_RE = re.compile(rf"\b{_NUM}\s+(days?|weeks?|months?)\s+apart\b", re.IGNORECASE)
"""How far apart courses are, where no 'every' says it ('2 courses 12 weeks apart')."""


def _within(case: CaseFacts, letter_text: str, codes: list[str]) -> int | None:
    """How many administrations each course holds, as the details, else the notice's lines
    for the codes or its frequency line, say (:func:`quantity.per_course`: 'days 1 and 15 of
    each course', '4 infusion days every 28 days'); None when none says more than one."""
    texts = [case.service.details or ""]
    texts += [b for c in codes for b in _code_blocks(letter_text, c)]
    texts += [m.group(0) for m in _FREQUENCY_LINE_RE.finditer(letter_text)]
    for text in texts:
        if (found := qty.per_course(text)) is not None:
            return found[0]
    return None


def _units_per_course(code: str, units: int, letter_text: str, case: CaseFacts) -> bool:
    """Whether a code's units are one course's ('J1569 280 units every 28 days', '... per
    course'), not one administration's ('100 units per infusion day')."""
    for clause in _code_clauses(code, [letter_text, case.service.details or ""]):
        if (m := _DOSED_RE.search(clause)) and int(m.group(1)) == units:
            return True
        each = rf"(?<![\d.,]){units}\s+units?\s+(?:per|each|every)\s+(?:course|cycle)\b"
        if re.search(each, clause, re.IGNORECASE):
            return True
    return False


_HISTORY_RE = re.compile(
    r"\b(?:prior|previous(?:ly)?|history|past|tried|failed|before (?:this|the) request)\b",
    re.IGNORECASE,
)
"""Words of a sentence about therapy already had, not the course requested."""


def _about_history(text: str, match: re.Match[str]) -> bool:
    """Whether the sentence holding ``match`` is about past therapy ('Prior therapy: 3 courses
    of oral prednisone'): its count is no course of the request."""
    start, end = clause_bounds(text, match.start(), match.end())
    return bool(_HISTORY_RE.search(text[start:end]))


def _courses(
    analysis: DenialAnalysis,
    case: CaseFacts,
    letter_text: str,
    codes: list[tuple[str, int | None, list[str]]],
    per: dict[str, str],
    every: tuple[str, int] | None,
    within: int,
) -> Course | None:
    """A course of ``within`` administrations repeated ``every`` (or so far apart): the
    courses as stated ('6 courses', 'Courses requested: 2'), else a stated count of
    administrations over ``within``, else the span over the interval; each code's units times
    the courses, and a code counted per administration times ``within`` as well. None when
    nothing counts the courses or the counts do not divide."""
    texts = [case.service.details or ""]
    texts += [m.group(0) for m in _FREQUENCY_LINE_RE.finditer(letter_text)]
    texts += [b for c in per for b in _code_blocks(letter_text, c)]
    texts += [ln for ln in letter_text.splitlines() if _COURSES_RE.search(ln)]
    said = next(
        (
            m
            for t in texts
            for m in _COURSES_RE.finditer(t)
            if int(m.group(2) or m.group(5)) > 1 and not _about_history(t, m)
        ),
        None,
    )
    span = ""
    interval = every[0] if every else ""
    if said is not None:
        courses, up_to = int(said.group(2) or said.group(5)), bool(said.group(1))
        apart = next((m for t in texts if (m := _APART_RE.search(t[said.start() :]))), None)
        if not interval and apart and (n := _count(apart.group(1))):
            interval = f"{_plural(n, apart.group(2))} apart"
    elif (stated := _stated_count(case, letter_text)) is not None and every is not None:
        total, _, up_to = stated
        if total % within:
            return None
        courses = total // within
    elif every is not None and every[1]:
        span, days = _span_days(analysis, case, letter_text)
        courses, up_to = days // every[1], False
    else:
        return None
    if courses < 2:
        return None
    admin = next((w for w in per.values() if w != "dose"), "administration")
    totals = tuple(
        (
            f"{label_of(code)} {code}".strip(),
            units * courses * (1 if _units_per_course(code, units, letter_text, case) else within),
        )
        for code, units, _ in codes
        if units and code in per
    )
    word = _plural(courses, "course").split(" ", 1)[1]
    each_word = _plural(within, admin).split(" ", 1)[1]
    return Course(courses, word, interval, span, up_to, totals, within, each_word)


def label_of(code: str) -> str:
    """'CPT' or 'HCPCS' for a service code ('' for another)."""
    return "CPT" if is_cpt(code) else "HCPCS" if is_hcpcs(code) else ""


def course_gap(analysis: DenialAnalysis, case: CaseFacts, letter_text: str) -> Gap | None:
    """A gap when a dose repeats at an interval ('every 14 days') and neither the notice nor the
    case states how many doses or for how long: the request cannot count its units."""
    codes = requested_codes(analysis, case, letter_text)
    read = {r.code: r for r in analysis.requested}
    if not any(
        units and _per_dose(code, units, read.get(code), letter_text, case)
        for code, units, _ in codes
    ):
        return None
    if _interval(case, letter_text, [c for c, _, _ in codes]) is None:
        return None
    if _stated_count(case, letter_text) or _span_days(analysis, case, letter_text)[1]:
        return None
    if case_period(case.service.details) or analysis.service_end:
        return None
    return Gap(
        field="service.details",
        message=(
            "the dose repeats at an interval but neither the denial nor the case states for how "
            "long or how many doses are requested: add the period to service.details ('for 12 "
            "months', or the number of doses)"
        ),
        placeholder=PLACEHOLDER.format(
            what="the period requested (e.g. 12 months) or the number of doses"
        ),
    )


_IN_ALL_RE = re.compile(r"\b\d+ [a-z-]+ in all\b")


def request_strings(analysis: DenialAnalysis, case: CaseFacts, letter_text: str) -> list[str]:
    """The numbers the Request computes (each code's units from its dose, a course's count and
    units in all), for the validator to ground as it grounds the inputs."""
    codes = requested_codes(analysis, case, letter_text)
    out = [f"{units} units" for _, units, _ in codes if units is not None]
    # the units quantity() says a code takes a week or a month, and their total for the period
    # ('12 units per week for 26 weeks (312 units in all)': the inputs write '12 units/week')
    for code, units, _ in codes:
        for texts in ([letter_text, case.service.details or ""], [case.service.details or ""]):
            said = quantity(code, units, texts)
            out += _UNITS_SAID_RE.findall(said) + _HOURS_SAID_RE.findall(said)
    texts = partial_texts(case, letter_text)
    for part in partial_lines(letter_text).values():  # a partial approval's denied part
        said = partial_phrase(part, texts)
        out += _UNITS_SAID_RE.findall(said) + _HOURS_SAID_RE.findall(said)
    # a drug's whole course, counted from its regimen ('for 16 weeks, 9 pens in all')
    out += _IN_ALL_RE.findall(drug_request(analysis, case, letter_text))
    found = course(analysis, case, letter_text, codes)
    dosed = per_kg(letter_text, case)
    return out + (found.strings() if found else []) + (dosed.strings() if dosed else [])


# --------------------------------------------------------------------------- a dose per kilogram

_PER_KG_LIMIT_RE = re.compile(
    r"\b(?:no more than|not (?:to )?exceed(?:ing)?|at most|up to|maximum(?: of)?|max(?:imum)?\.?|"
    r"≤|<=)\s*(\d+(?:\.\d+)?)\s*mg\s*(?:/|per)\s*kg\s*(?:/|per\s+)(week|day)\b",
    re.IGNORECASE,
)
"""A plan's dose limit per kilogram: 'no more than 0.24 mg/kg/week', '0.24 mg per kg per
week' (read on the notice's words run together)."""
_WEIGHT_WITHIN_RE = re.compile(
    r"\bweight\b[^.]{0,60}?\bwithin (?:the )?(?:last |past |prior )?(\d+) days\b", re.IGNORECASE
)
_DAILY_DOSE_RE = re.compile(
    r"\b(\d+(?:\.\d+)?)\s*mg\b(?:\s+(?:SC|SQ|subcutaneously|subcutaneous|by mouth|orally|IM|IV))?"
    r"\s+(?:once\s+)?(daily|a day|per day|each day|every day|nightly|at bedtime|weekly|a week|"
    r"per week|once weekly)\b",
    re.IGNORECASE,
)
_WEEKLY = re.compile(r"week", re.IGNORECASE)


@dataclass(frozen=True)
class PerKg:
    """A dose counted against a plan's limit per kilogram of body weight."""

    limit: float
    per: str
    """'week' or 'day'."""
    dose: float
    """The dose in mg per :attr:`per`."""
    weight: float
    weighed: date | None
    finding: str
    """The case's finding the weight is from ('Weight')."""
    written: str = ""
    """The weight as the case writes it, when in another unit than kg ('52.5 lb')."""

    @property
    def value(self) -> float:
        return round(self.dose / self.weight, 3)

    def sentence(self) -> str:
        """'At the weight of 24.3 kg (Weight, November 2, 2026), the dose is 5.6 mg a week,
        0.23 mg/kg/week, within your limit of 0.24 mg/kg/week.'"""
        when = f", {fmt_date(self.weighed)}" if self.weighed else ""
        within = "within" if self.value <= self.limit else "above"
        return (
            f"At the weight of {self.weighs} ({self.finding}{when}), the dose is "
            f"{self.dose:g} mg a {self.per}, {self.value:g} mg/kg/{self.per}, {within} your "
            f"limit of {self.limit:g} mg/kg/{self.per}."
        )

    @property
    def weighs(self) -> str:
        """'23.8 kg', or as written with its kilograms ('52.5 lb (23.8 kg)')."""
        kg = f"{self.weight:g} kg"
        return f"{self.written} ({kg})" if self.written else kg

    def strings(self) -> list[str]:
        """The figures the letter computes: the dose a week or a day, the dose per kg, and a
        weight written in pounds in kilograms."""
        converted = [f"{self.weight:g} kg"] if self.written else []
        return [f"{self.dose:g} mg", f"{self.value:g}", *converted]


def per_kg(letter_text: str, case: CaseFacts) -> PerKg | None:
    """The prescribed dose per kilogram against the notice's limit per kilogram ('no more than
    0.24 mg/kg/week'), on the case's latest weight: None when the notice states no such limit,
    or the case no dose a day or a week, or no weight."""
    limit = _PER_KG_LIMIT_RE.search(" ".join(letter_text.split()))
    dose = _DAILY_DOSE_RE.search(case.service.details or "")
    if limit is None or dose is None:
        return None
    weighed = [
        (f.date, f.name, w)
        for f in case.objective_findings
        if re.search(r"\bweight\b", f.name, re.IGNORECASE) and (w := weight_kg(f.value))
    ]
    if not weighed:
        return None
    day, name, (kg, said) = max(weighed, key=lambda w: w[0] or date.min)
    weight, written = (kg, "") if re.search(r"kg$", said, re.IGNORECASE) else (round(kg, 1), said)
    per = limit.group(2).lower()
    amount = float(dose.group(1))
    weekly_dose = _WEEKLY.search(dose.group(2)) is not None
    if per == "week" and not weekly_dose:
        amount *= 7
    elif per == "day" and weekly_dose:
        amount /= 7
    return PerKg(float(limit.group(1)), per, round(amount, 3), weight, day, name, written)


def weight_gap(letter_text: str, case: CaseFacts, today: date) -> Gap | None:
    """A gap when the notice limits the dose per kilogram on a weight within so many days and
    the case's latest weight is older than that, or the case states none."""
    if _PER_KG_LIMIT_RE.search(" ".join(letter_text.split())) is None:
        return None
    found = per_kg(letter_text, case)
    within = _WEIGHT_WITHIN_RE.search(" ".join(letter_text.split()))
    recent = found is not None and (
        within is None
        or (found.weighed is not None and (today - found.weighed).days <= int(within.group(1)))
    )
    if recent or (found is None and _DAILY_DOSE_RE.search(case.service.details or "") is None):
        return None
    days = f" within the last {within.group(1)} days" if within else ""
    return Gap(
        field="objective_findings",
        message=(
            f"the notice limits the dose per kilogram and needs a weight{days}; add the "
            "patient's current weight to objective_findings (name 'Weight', value in kg, date)"
        ),
        placeholder=PLACEHOLDER.format(what=f"the patient's weight{days} (kg, date)"),
    )
