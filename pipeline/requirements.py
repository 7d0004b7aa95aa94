"""Typed requirements inside a payer criterion, read by rules (``requirement_rules.yaml``).

A criterion's wording is split into alternatives ("..., or documented intolerance ...") and each
alternative into requirements: numbers with a comparator and a unit (a count of trials or
classes, a duration, a time window, a measured threshold, a dose), and phrases (a test done, a
specialist, an absence, a document, a statement, concurrency, a trial of something). Shared
qualifiers ("each", "during the current episode") are attached to every requirement of the
alternative they stand in. Every span is a verbatim piece of the criterion.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from .models import Comparator, Criterion, RequestedService, Requirement, RequirementKind

RULES_FILE = Path(__file__).with_name("requirement_rules.yaml")
K = RequirementKind


class _Unit(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unit: str
    kind: RequirementKind
    words: list[str]


class _Phrase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: RequirementKind
    pattern: str
    subject: str | None = None


class RequirementRules(BaseModel):
    """The rules file, as data."""

    model_config = ConfigDict(extra="forbid")
    number_words: dict[str, int]
    comparators_before: dict[Comparator, list[str]]
    comparators_after: dict[Comparator, list[str]]
    units: list[_Unit]
    interval_before: list[str]
    interval_after: list[str]
    travel_after: list[str]
    window_leads: list[str]
    window_phrases: list[str]
    subject_fillers: list[str]
    phrases: list[_Phrase]
    branch_leads: list[str]


@dataclass(frozen=True)
class _Compiled:
    rules: RequirementRules
    quantity: re.Pattern[str]
    window_lead: re.Pattern[str]
    windows: re.Pattern[str]
    interval_before: re.Pattern[str]
    interval_after: re.Pattern[str]
    travel_after: re.Pattern[str]
    phrases: list[tuple[_Phrase, re.Pattern[str]]]
    branch_split: re.Pattern[str]
    unit_of: list[tuple[re.Pattern[str], _Unit]]
    before: list[tuple[re.Pattern[str], Comparator]]
    after: list[tuple[re.Pattern[str], Comparator]]


def _alternation(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


@cache
def compiled(path: Path = RULES_FILE) -> _Compiled:
    """The rules file loaded and compiled (once per path)."""
    rules = RequirementRules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    words = _alternation([re.escape(w) for w in rules.number_words])
    digits = r"(?:(?<=[\s(])-)?(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"  # '-2.5' after a space
    number = rf"(?:{digits}|(?:{words})(?:\s*\(\d+\))?)"
    before = _alternation([re.escape(p) for ps in rules.comparators_before.values() for p in ps])
    after = _alternation([p for ps in rules.comparators_after.values() for p in ps])
    unit = _alternation([w for u in rules.units for w in u.words])
    quantity = re.compile(
        rf"(?<![\w\-./])(?:(?P<pre>{before})\s*)?(?P<num>{number})(?![\w.]*\d)"
        rf"(?:\s*(?:-|to|or|and)\s*(?P<num2>{number})(?![\w\-]))?"
        rf"(?:\s+(?P<post>{after}))?"
        rf"(?:(?:\s*|-)(?P<mods>(?:(?!(?:or|and|of|for|at|in|from|with|per|each|within"
        rf"|(?:week|month|day|year|hour)s?)\b)"
        rf"[A-Za-z][\w\-]*\s+){{0,3}})(?P<unit>{unit})(?![\w])"
        rf"(?:\s+(?:of\s+)?(?:the\s+)?predicted(?:\s+value)?)?"  # '50% of predicted or less'
        rf"(?:\s+(?P<post2>{after}))?)?",
        re.IGNORECASE,
    )
    return _Compiled(
        rules=rules,
        quantity=quantity,
        window_lead=re.compile(rf"(?:{'|'.join(rules.window_leads)})\s*$", re.IGNORECASE),
        windows=re.compile("|".join(rf"\b{p}" for p in rules.window_phrases), re.IGNORECASE),
        interval_before=re.compile(rf"(?:{'|'.join(rules.interval_before)})\s*$", re.IGNORECASE),
        interval_after=re.compile(rf"\s+(?:{'|'.join(rules.interval_after)})", re.IGNORECASE),
        travel_after=re.compile(rf"\s*(?:{'|'.join(rules.travel_after)})", re.IGNORECASE),
        phrases=[(p, re.compile(p.pattern, re.IGNORECASE)) for p in rules.phrases],
        branch_split=re.compile(
            rf"(?:[,;]\s*or,?|\s(?-i:OR))\s+(?=(?:{'|'.join(rules.branch_leads)})(?:\b|(?<=\))))",
            re.IGNORECASE,
        ),
        unit_of=[(re.compile(rf"(?:{'|'.join(u.words)})", re.IGNORECASE), u) for u in rules.units],
        before=[
            (re.compile(re.escape(p), re.IGNORECASE), c)
            for c, ps in rules.comparators_before.items()
            for p in ps
        ],
        after=[
            (re.compile(p, re.IGNORECASE), c)
            for c, ps in rules.comparators_after.items()
            for p in ps
        ],
    )


# --------------------------------------------------------------------------- helpers


@dataclass
class _Found:
    """A requirement being read, with where it stands in the flat criterion."""

    kind: RequirementKind
    subject: str
    start: int
    end: int
    comparator: Comparator | None = None
    value: float | None = None
    unit: str | None = None
    classes: list[str] = field(default_factory=list)


def _number(text: str, rules: RequirementRules) -> float | None:
    text = text.strip().lower()
    if m := re.search(r"\((\d+)\)", text):
        return float(m[1])
    if text in rules.number_words:
        return float(rules.number_words[text])
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _comparator(
    text: str | None, table: list[tuple[re.Pattern[str], Comparator]]
) -> Comparator | None:
    if not text:
        return None
    for pattern, comparator in table:
        if pattern.fullmatch(text.strip()):
            return comparator
    return None


_AGE_BEFORE_RE = re.compile(r"\bage\s*$", re.IGNORECASE)
_TRIAL_LEAD_RE = re.compile(
    r"\b(?:failure of|failed|trials? of|tried|inadequate response to|intolerance (?:of|to)|"
    r"failure of or intolerance to|failure of,? or intolerance (?:of|to))\s+$",
    re.IGNORECASE,
)
"""What stands before 'at least 1 immunomodulator': the number counts trials."""
_RATE_BEFORE_RE = re.compile(
    r"\b(?P<count>\d+(?:\.\d+)?|one|two|three|four|five|six|eight|ten|twelve)\s+"
    r"(?P<what>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s*(?:\([^)]{0,30}\)\s*)?"
    r"(?:per|every|each|/|in(?: any)?)\s*(?:calendar\s+)?$",
    re.IGNORECASE,
)
"""What a period counts, right before it ('2 pens per ', '8 tablets / '): a quantity's rate."""
_FOR_BEFORE_RE = re.compile(r"\b(?:for|lasting|lasts|lasted)\s+(?:at\s+least\s+)?$", re.I)
"""'relief for at least 3 months after the injection': how long it lasted, not an interval."""
_RESTATED_RE = re.compile(r"\d\s*(?:%|[a-zµμ]{1,6}(?:/[\w.]+)*)\s*\(\s*$", re.IGNORECASE)
"""A quantity right after another's unit, in parentheses: the same bound restated."""
_SUPPLY_AFTER_RE = re.compile(r"'?s?\s*supply\b", re.IGNORECASE)
_ESTIMATE_AFTER_RE = re.compile(
    r"(?:\s+(?:major osteoporotic|hip|fracture|cardiovascular|overall|progression-free))*\s+"
    r"(?:probability|risk|likelihood|survival|mortality|incidence|recurrence rate)\b",
    re.IGNORECASE,
)
"""After an 'N-year' adjective: the horizon of an estimate ('a FRAX 10-year probability', '5-year
survival'), not a duration to meet."""
_GRANT_BEFORE_RE = re.compile(
    r"\b(?:approv\w*|authori[sz]\w*|coverage)\b[^.;]{0,30}\b(?:limited to|up to|for|of)\s*$",
    re.IGNORECASE,
)
"""Before a duration: how long the plan approves ('approval is limited to 4 weeks'), what the plan
grants, not what the patient must show."""
_LABEL_BEFORE_RE = re.compile(
    r"\b(?:level|type|stage|phase|tier|step|class|criteri(?:a|on)|section|part|grade|exon)\s*$",
    re.IGNORECASE,
)


_BRACKET_RE = re.compile(r"[()\[\]]")


def paren_depths(text: str) -> list[int]:
    """Per character of ``text``: how many brackets are open at it (an opening bracket counts
    itself, a closing one is still inside; a stray closing bracket opens nothing below 0).
    Built run by run between the brackets: a criterion's text has a few among hundreds of
    characters."""
    depth, depths, last = 0, [], 0
    for m in _BRACKET_RE.finditer(text):
        at = m.start()
        depths += [depth] * (at - last)
        if text[at] in "([":
            depth += 1
            depths.append(depth)
        else:
            depths.append(depth)
            depth -= depth > 0
        last = at + 1
    depths += [depth] * (len(text) - last)
    return depths


def _words_before(text: str, end: int, fillers: frozenset[str], limit: int = 5) -> str:
    """The noun phrase just before ``end`` in its clause, without filler words at its edges."""
    clause = re.sub(r"\([^()]*\)", " ", text[:end])
    # 'TLC of 100% or greater AND RV of 175% or greater': a conjunction in capitals too; a
    # spaced dash ends a heading ('instability - more than 3.5 mm translation': the measure is
    # named after the number)
    clause = re.split(
        r"[,;:(]|\s[-–—]\s|\b(?:and|or|with|for|from|during|each|despite)\b",
        clause,
        flags=re.IGNORECASE,
    )[-1]
    words = clause.split()[-limit:]
    while words and words[-1].lower() in fillers:
        words.pop()
    while words and words[0].lower() in fillers:
        words.pop(0)
    return " ".join(words).strip(" .,;")


def _words_after(text: str, start: int, limit: int = 5) -> str:
    """'of X' after a number ("3 mm of translation") or the words following it."""
    rest = text[start:]
    stop = r"(?!(?:for|at|with|within|on|in|during|each|and|or|per|as|to|that)\b)"
    m = re.match(rf"\s*(?:of\s+)?((?:{stop}[\w\-/]+\s*){{1,{limit}}})", rest, re.IGNORECASE)
    return m[1].strip(" .,;") if m else ""


# --------------------------------------------------------------------------- branches


def branch_spans(flat: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(common spans, alternative spans) of the criterion. Alternatives split at ', or <lead>'
    outside parentheses; else a parenthesised list of measured alternatives."""
    rules = compiled()
    depths = paren_depths(flat)
    # "Failure of, contraindication to, or intolerance of X" shares its object: no alternatives.
    cuts = [
        m
        for m in rules.branch_split.finditer(flat)
        if depths[m.start()] == 0
        and not re.search(r"\b(?:of|to|with|for|in|on)$", flat[: m.start()], re.IGNORECASE)
        and not (m.group().strip() == "OR" and flat.isupper())  # a bare " OR " in capitals
    ]
    if not cuts:
        cuts = _one_of_cuts(flat, depths)
    if cuts:
        head = _ONE_OF_HEAD_RE.search(flat, 0, cuts[0].start())
        first = head.end() if head else 0
        points = [first, *[p for m in cuts for p in (m.start(), m.end())], len(flat)]
        common = [(0, first)] if first else []
        return common, [(points[i], points[i + 1]) for i in range(0, len(points), 2)]
    for paren in re.finditer(r"\(([^()]{5,300})\)", flat):
        inner_start = paren.start(1)
        pieces = [
            (inner_start + m.start(), inner_start + m.end())
            for m in re.finditer(
                r"[^,;]+?(?=\s*(?:,\s*(?:or\s+)?|;\s*|\s+or\s+(?=[A-Za-z]))|$)", paren[1]
            )
            if m.group().strip()
        ]
        measured = [p for p in pieces if rules.quantity.search(flat[p[0] : p[1]])]
        if len(pieces) >= 2 and len(measured) == len(pieces):
            outside = [(0, paren.start()), (paren.end(), len(flat))]
            return outside, [
                (s + len(flat[s:e]) - len(flat[s:e].lstrip(" ,;")), e) for s, e in pieces
            ]
    return [(0, len(flat))], []


_BEFORE_RE = re.compile(r"\s*(?:before|prior to|preceding)\b", re.IGNORECASE)
_OR_CUT_RE = re.compile(r"(?:[,;]\s*or,?|\s(?-i:OR))\s+", re.IGNORECASE)
_ONE_OF_RE = re.compile(
    r"\b(?:(?:any )?one of the following|one of these|any of the following|either)\b|"
    r"\bat least one\b[^:.;]{0,80}:",  # 'At least one functional impairment ...: A, B, or C'
    re.I,
)
_PLAIN_OR_RE = re.compile(r",?\s+or\s+", re.IGNORECASE)
_OR_PREDICATE_RE = re.compile(
    r"(?<!and/)(?<=\w),?\s+or\s+(?=(?:has|have|had|cannot|can ?not|the member|the patient|"
    r"the enrollee|the prescriber|the physician|the provider)\b)",
    re.IGNORECASE,
)
_ONE_OF_HEAD_RE = re.compile(r"[^:]*:\s*", re.IGNORECASE)
"""The head before a one-of list ('Documented severe obesity, defined as: '), common to its
alternatives."""


def _measured(flat: str, start: int, end: int) -> tuple[str, str | None] | None:
    """(subject, unit) of the first measured quantity of the span, if any."""
    found = [f for f in _quantities(flat, start, end) if f.kind is K.threshold]
    return (found[0].subject.lower(), found[0].unit) if found else None


def _one_of_cuts(flat: str, depths: list[int]) -> list[re.Match[str]]:
    """', or' cuts of a criterion that states alternatives without a lead word: after 'one of
    the following' / 'either', or between measurements of one thing ('BMI >= 40 kg/m2, OR BMI
    >= 35 kg/m2 with a comorbidity')."""
    either = re.match(r"^(?:\S+\s+){0,3}?either\b", flat, re.I)
    if either:  # "either A or B" (not 'including X and either A or B'): the first 'or' after it
        cut = next(
            (m for m in _PLAIN_OR_RE.finditer(flat, either.end()) if not depths[m.start()]), None
        )
        return [cut] if cut else []
    cuts = [m for m in _OR_CUT_RE.finditer(flat) if depths[m.start()] == 0]
    capitals = [m for m in cuts if "OR" in m.group()]
    if capitals and not flat.isupper():
        # 'A ... in the past 12 months OR At least 1 ...': a connector set in capitals in a
        # criterion that is not (a list's 'OR' line between its alternatives)
        return capitals
    # "is insulin-treated or has a history of ...", "has been tried, or the prescriber
    # explains why ...": a second predicate, or a clause with its own subject
    predicate = [m for m in _OR_PREDICATE_RE.finditer(flat) if depths[m.start()] == 0][:1]
    if not cuts:
        return predicate
    if _ONE_OF_RE.search(flat, 0, cuts[0].start()):
        return cuts
    points = [0, *[p for m in cuts for p in (m.start(), m.end())], len(flat)]
    sides = [_measured(flat, points[i], points[i + 1]) for i in range(0, len(points), 2)]
    if not all(sides):
        return predicate
    # "a BMI of 40 or greater, or 35 or greater with ...": a later side may omit the subject
    first = sides[0][0].split()[-1] if sides[0] and sides[0][0] else ""
    subjects = {side[0].split()[-1] for side in sides[1:] if side and side[0]} - {first}
    units = {side[1] for side in sides if side}
    return cuts if first and not subjects and len(units) == 1 else []


# --------------------------------------------------------------------------- reading a span


_DOSE_TAIL_RE = re.compile(
    r"\s*\b(?:at|in|with)?\s*(?:a|the)?\s*(?:daily|total|target)?\s*doses?\s*$", re.IGNORECASE
)
_TIME_WORDS_RE = re.compile(
    r"^(?:(?:\d+|days?|weeks?|months?|years?|at|least|after|for)\s*)*$", re.IGNORECASE
)


def _dose_subject(subject: str) -> str:
    """A dose's subject without the words that only say it is a dose ('Allopurinol at a dose'
    of 'at a dose of at least 600 mg/day': 'Allopurinol'); 'daily dose' when nothing but a
    length is left ('3 months at a dose of ...': the criterion names the drug)."""
    bare = _DOSE_TAIL_RE.sub("", subject).strip()
    return "daily dose" if _TIME_WORDS_RE.match(bare) else bare


def _quantities(flat: str, start: int, end: int) -> list[_Found]:
    c = compiled()
    fillers = frozenset(c.rules.subject_fillers)
    found: list[_Found] = []
    windows = [
        w.span()
        for w in c.windows.finditer(flat, start, end)
        if w.group().lower().startswith("during")
    ]
    for m in c.quantity.finditer(flat, start, end):
        if any(ws <= m.start() < we for ws, we in windows):
            continue
        value = _number(m["num"], c.rules)
        if value is None or _RESTATED_RE.search(flat, max(0, m.start() - 30), m.start()):
            continue  # '<54 mg/dL (3.0 mmol/L)': the same bound in another unit
        after_text = flat[m.end() : m.end() + 20].lower()
        if after_text.lstrip().startswith("of the following") or (
            re.match(r"\s*(?:of the|of these)\b", after_text) and not m["unit"]
        ):
            continue  # '2 of the following' counts items; '90 days of the request' is a window
        cmp = _comparator(m["pre"], c.before) or _comparator(m["post"] or m["post2"], c.after)
        unit_def = next((u for p, u in c.unit_of if m["unit"] and p.fullmatch(m["unit"])), None)
        if (
            unit_def is not None
            and unit_def.kind is K.duration
            and (rate := _RATE_BEFORE_RE.search(flat, max(0, m.start() - 60), m.start()))
        ):
            # "2 pens per 28 days": the period of a quantity, not a duration
            count = _number(rate["count"], c.rules)
            if count is not None:
                what = " ".join(rate["what"].split())
                period = f"{value:g} {unit_def.unit}" if value != 1 else unit_def.unit.rstrip("s")
                found.append(_Found(K.quantity, what, rate.start(), m.end(), "<=", count,
                                    f"{what} per {period}"))  # fmt: skip
            continue
        if (
            unit_def is not None
            and unit_def.kind is K.duration
            and _SUPPLY_AFTER_RE.match(flat, m.end())
        ):
            continue  # "a 28-day supply": what one fill lasts, not a duration to meet
        if (
            unit_def is not None
            and unit_def.kind is K.duration
            and (
                (flat[m.start("unit") - 1] == "-" and _ESTIMATE_AFTER_RE.match(flat, m.end()))
                or _GRANT_BEFORE_RE.search(flat, max(0, m.start() - 50), m.start())
            )
        ):
            continue  # 'a 10-year probability', 'approval is limited to 4 weeks': no duration
        bare = not (m["pre"] or m["post"] or m["post2"] or m["num2"])
        if bare and _LABEL_BEFORE_RE.search(flat[max(0, m.start() - 12) : m.start()]):
            continue  # "level 2 hypoglycemic events", "Type II": a label, not a quantity
        if m["num2"] is not None:
            second = _number(m["num2"], c.rules)
            if second is not None and cmp is None:
                # "grade 3 or 4" (at least 3), "status of 0 or 1" (at most 1), "5 to 14" (range)
                cmp, value = ("<=", second) if value == 0 else (">=", value)
        if cmp is None and unit_def is None:
            continue
        if unit_def is None and m["pre"] and _TRIAL_LEAD_RE.search(flat, 0, m.start()):
            # "failure of at least 1 immunomodulator": a count of trials of what follows
            subject = _words_after(flat, m.end(), 3) or "trials"
            found.append(_Found(K.trial_count, subject, m.start(), m.end(), cmp, value, "trials"))
            continue
        lead = c.window_lead.search(flat[max(0, m.start() - 40) : m.start()])
        kind = unit_def.kind if unit_def else K.threshold
        unit = unit_def.unit if unit_def else None
        # 'within 6 months', or 'no more than 60 days before the transport': a window
        before = _BEFORE_RE.match(flat, m.end()) and cmp in ("<=", "<")
        timed = unit_def is not None and unit_def.kind is K.duration
        if unit in ("miles", "minutes") and cmp is None and flat[m.start("unit") - 1] == "-":
            continue  # 'a six-minute walk test': a name, no quantity
        # 'within 30 days': a window, as before 'within' was a comparator (the match holds it)
        within = bool(m["pre"]) and m["pre"].lower() == "within" and not lead
        travel = unit == "miles" or (unit == "minutes" and c.travel_after.match(flat, m.end()))
        if travel:
            # 'within 30 miles', 'more than 60 minutes of travel time': a bound on the travel
            kind, lead, within, cmp = K.threshold, None, False, cmp or "<="
        elif timed and c.interval_before.search(flat, max(0, m.start() - 60), m.start()):
            kind, lead, within, cmp = K.interval, None, False, ">="  # 'once every 12 weeks'
        elif (
            timed
            and cmp in (">=", ">")
            and c.interval_after.match(flat, m.end())
            and not _FOR_BEFORE_RE.search(flat, max(0, m.start() - 30), m.start())
        ):
            kind = K.interval  # 'at least 6 months since the prior ablation'
        elif timed and _PER_DAY_RE.match(flat, m.end()):
            kind = K.threshold  # 'use of less than 4 hours per night': a measured rate
        elif (lead or before or within) and timed:
            kind, cmp = K.time_window, "<="
        subject = ""
        mods = " ".join((m["mods"] or "").split())
        if kind in (K.trial_count, K.class_count) and m["unit"]:
            subject = f"{mods} {m['unit']}".strip() if mods else m["unit"]
        elif kind is K.threshold or kind is K.dose_adequacy:
            subject = _words_before(flat, m.start(), fillers)
            after = _words_after(flat, m.end(), 4)
            if not unit_def and after and (not subject or m["pre"]):
                subject = after  # "at least one close blood relative"
            if re.search(r"\bage(?:\s+of)?\s*$", flat[max(0, m.start() - 12) : m.start()], re.I):
                subject, unit, kind = "age", "years", K.threshold
            if kind is K.dose_adequacy:
                subject = _dose_subject(subject)
        if (
            (m["pre"] and "age" in m["pre"].lower())
            or (unit == "years" and re.match(r"\s+(?:of\s+age|old)\b", flat[m.end() :], re.I))
            or (unit == "years" and _AGE_BEFORE_RE.search(flat, max(0, m.start() - 6), m.start()))
        ):
            subject, unit, kind = (
                "age",
                "years",
                K.threshold,
            )  # "before age 50", "over 50 years of age"
        if travel:
            subject = "travel " + ("distance" if unit == "miles" else "time")
        if kind is K.threshold and not subject:
            # "at least 3 mm of translation", else what is counted ("a minimum of 30 events")
            subject = _words_after(flat, m.end(), 4) or (m["unit"] or "")
        if kind is K.threshold and not subject:
            continue  # a bare "(more than one)": nothing to compare
        if kind is K.duration:
            of = re.match(r"\s*of\b", flat[m.end() :])
            subject = _words_after(flat, m.end()) if of else ""
        elif kind is K.interval:
            since = c.interval_after.match(flat, m.end())
            subject = _words_after(flat, since.end(), 4) if since else ""
            subject = f"since {subject}" if since and subject else "time between treatments"
            subject = re.sub(r"^since\s+(?:doses|injections|infusions|treatments|sessions)\b.*",
                             "time between treatments", subject)  # fmt: skip
        elif kind is K.time_window:
            subject = (
                _words_before(flat, m.start() - (lead.end() - lead.start() if lead else 0), fillers)
                or "time window"
            )
        found.append(
            _Found(
                kind,
                subject or "",
                m.start() - (len(lead[0]) if lead else 0),
                m.end(),
                cmp or ">=",
                value,
                unit,
            )
        )
    return _ranges(flat, found)


_PER_DAY_RE = re.compile(r"\s*(?:per|a|each|every|/)\s*(?:night|day|24 hours)\b", re.I)
"""'4 hours per night': hours of use a night, a measured value, not how long a course ran."""
_BETWEEN_RE = re.compile(r"\bbetween\s*$", re.IGNORECASE)
_RANGE_JOIN_RE = re.compile(r"\s*(?:and|to|-|–)\s*")


def _ranges(flat: str, found: list[_Found]) -> list[_Found]:
    """'FEV1 between 15% and 45% of predicted': one measure within two bounds, at least the
    first and at most the second, both of the subject before 'between' (never 'FEV1 between'
    of at least 15% and 'predicted' of at least 45%)."""
    for low, high in itertools.pairwise(found):
        if (
            low.kind is K.threshold
            and high.kind is K.threshold
            and _BETWEEN_RE.search(flat, max(0, low.start - 12), low.start)
            and _RANGE_JOIN_RE.fullmatch(flat, low.end, high.start)
        ):
            subject = _BETWEEN_RE.sub("", low.subject).strip() or low.subject
            low.subject, low.comparator = subject, ">="
            high.subject, high.comparator = subject, "<="
            low.unit = low.unit or high.unit
            high.unit = high.unit or low.unit
    return found


def _phrases(flat: str, start: int, end: int, taken: list[tuple[int, int]]) -> list[_Found]:
    c = compiled()
    found: list[_Found] = []
    for rule, pattern in c.phrases:
        for m in pattern.finditer(flat, start, end):
            s, e = (m.start("subj"), m.end("subj")) if "subj" in pattern.groupindex else m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            subject = rule.subject or " ".join(flat[s:e].split()).strip(" .,;")
            subject = re.sub(r"^(?:an?|the)\s+", "", subject, flags=re.I)
            if not subject:
                continue
            found.append(_Found(rule.kind, subject, m.start(), m.end()))
            taken.append((s, e))
            if rule.kind is K.trial_count:
                found += _conjoined(flat, e, end, rule.kind, taken)
    for f in found:
        if f.kind is K.trial_count:  # "failure of augmentation": at least one trial of it
            f.comparator, f.value, f.unit = ">=", 1.0, "trials"
        if f.kind is K.concurrency and re.search(
            r"\bnot\s+(?:be\s+)?$", flat[max(0, f.start - 12) : f.start], re.I
        ):
            f.kind = K.absence  # "will not be used in combination with X": X must be absent
    return _either(flat, sorted(found, key=lambda f: f.start))


def _either(flat: str, found: list[_Found]) -> list[_Found]:
    """'documented by clinical assessment or validated screening instrument': two phrases of
    one kind joined by 'or' are one requirement that either satisfies."""
    merged: list[_Found] = []
    for f in found:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.kind is f.kind
            and f.kind in (K.test_done, K.specialist, K.document)
            and re.fullmatch(
                r"\s*,?\s*(?:or|and/or)\s+(?:an?\s+|the\s+|by\s+(?:an?\s+)?)?",
                flat[last.end : f.start],
                re.I,
            )
        ):
            merged[-1] = _Found(f.kind, f"{last.subject} or {f.subject}", last.start, f.end)
        else:
            merged.append(f)
    return merged


def _conjoined(
    flat: str, pos: int, end: int, kind: RequirementKind, taken: list[tuple[int, int]]
) -> list[_Found]:
    """'a trial of A and B' -> B is a trial too."""
    m = re.match(
        r"\s+and\s+(?:an?\s+|a trial of\s+)?"
        r"([A-Za-z][\w\-]*(?:\s+(?!for\b|at\b|each\b)[\w\-]+)?)(?=\s+(?:for|at|each)\b|,|$)",
        flat[pos:end],
    )
    if not m:
        return []
    taken.append((pos + m.start(1), pos + m.end(1)))
    return [_Found(kind, m[1], pos + m.start(1), pos + m.end(1))]


_CLASS_LIST_RE = re.compile(
    r"(?:\((?:e\.g\.,?|such as|including|i\.e\.,?)\s*(?P<paren>[^()]+)\)|"
    r"\b(?:such as|e\.g\.,?|including|with)\s+(?:an?\s+|the\s+)?"
    r"(?P<bare>[\w\-]+(?:\s[\w\-]+){0,3}(?:,\s[\w\-]+(?:\s[\w\-]+){0,3})*,?\s(?:or|and)\s"
    r"[\w\-]+(?:\s(?!for\b|at\b|with\b|within\b|during\b|to\b|each\b|in\b)[\w\-]+){0,6}))",
    re.IGNORECASE,
)


_COUNTED_LIST_RE = re.compile(
    r"\s+(?:[\w-]+\s+){0,3}?\((?:e\.g\.,?\s*|such as\s+|including\s+)?([^()]{3,200})\)", re.I
)
"""The parenthesised list after a counted thing ('one comorbidity (diabetes, hypertension)')."""


def _classes(flat: str, start: int, end: int) -> list[tuple[int, list[str]]]:
    """(offset, items) of each enumeration of drug or therapy classes in [start, end)."""
    result = []
    for m in _CLASS_LIST_RE.finditer(flat, start, end):
        body = m["paren"] or m["bare"]
        items = [
            i.strip(" .;")
            for i in re.split(r",\s*(?:or\s+|and\s+)?|;\s*|\s+or\s+|\s+and\s+", body)
            if i.strip(" .;")
        ]
        # a word hyphenated over a line break ("anti-\ninflammatory") is one word
        items = [
            re.sub(r"^(?:an?|the)\s+", "", re.sub(r"(\w)- (\w)", r"\1-\2", i), flags=re.I)
            for i in items
        ]
        # an item cut off after its article ('... or an') is no class
        items = [i for i in items if i.lower() not in ("a", "an", "the")]
        if len(items) >= 2 and all(len(i.split()) <= 6 for i in items):
            result.append((m.start(), items))
    return result


def _read_span(flat: str, start: int, end: int) -> list[_Found]:
    found = _quantities(flat, start, end)
    taken = [(f.start, f.end) for f in found]
    found += _phrases(flat, start, end, taken)
    found.sort(key=lambda f: f.start)
    for i, f in enumerate(found):
        governed = [g for g in found[:i] if g.kind in _GOVERNED_KINDS and g.subject]
        if f.kind is K.time_window and governed:
            f.subject = governed[-1].subject  # "a trial of metformin ... within the past 180 days"
        if f.kind is K.absence and f.subject.lower() == "abstinence":
            used = re.search(
                r"\b((?:tobacco|nicotine|alcohol|substance|drug)(?:\s+or\s+\w+)?\s+use)\b",
                flat[max(0, start - 200) : end],
                re.I,
            )
            f.subject = used[1] if used else f.subject  # abstinence: no tobacco or nicotine use
    trials = [f for f in found if f.kind is K.trial_count]
    if len(trials) >= 2 and re.search(r"\beach\b", flat[start:end], re.IGNORECASE):
        # "a trial of A and B for at least 12 weeks each": the qualifier governs every trial
        for f in [f for f in found if f.kind in (K.duration, K.dose_adequacy) and not f.subject]:
            found.remove(f)
            found += [
                _Found(
                    f.kind,
                    t.subject,
                    min(t.start, f.start),
                    max(t.end, f.end),
                    f.comparator,
                    f.value,
                    f.unit,
                )
                for t in trials
            ]
    for f in found:
        if (
            f.kind in (K.duration, K.dose_adequacy)
            and trials
            and (not f.subject or f.unit in ("mg/day", "mg/week"))
        ):
            before = [t for t in trials if t.start <= f.start] or trials
            f.subject = before[-1].subject
    for f in found:  # "at least one obesity-related comorbidity (type 2 diabetes, ...)"
        listed = _COUNTED_LIST_RE.match(flat, f.end, end)
        # 'at least one nonsteroidal immunosuppressant (azathioprine, mycophenolate or ...)':
        # the drugs that count as a trial
        counted = (f.kind is K.threshold and f.unit is None) or f.kind is K.trial_count
        if counted and listed and not f.classes:
            items = [i for i in re.split(r",\s*(?:or\s+|and\s+)?|\s+or\s+", listed[1]) if i]
            f.classes = [i.strip(" .;") for i in items] if len(items) >= 2 else []
    for offset, items in _classes(flat, start, end):
        owner = next(
            (
                f
                for f in reversed(found)
                if f.start <= offset
                and f.kind in (K.trial_count, K.test_done, K.specialist, K.class_count, K.duration)
            ),
            None,
        ) or next((f for f in found if f.kind is K.trial_count), None)
        if owner is not None and not owner.classes:
            owner.classes = items
    return found


def _clause(flat: str, start: int, end: int) -> tuple[int, int]:
    """The comma-delimited clause around [start, end), outside parentheses."""
    depths = paren_depths(flat)
    left = start
    while left > 0 and not (flat[left - 1] in ",;" and depths[left - 1] == 0):
        left -= 1
    right = end
    while right < len(flat) and not (flat[right] in ",;" and depths[right] == 0):
        right += 1
    return left, right


# --------------------------------------------------------------------------- public


_GENERIC_TEST_RE = re.compile(
    r"\b(?:validated|standardized|measures?|instruments?|scales?|tools?)\b", re.I
)


_GOVERNED_KINDS = (K.trial_count, K.threshold, K.test_done, K.absence, K.document)
"""What a time window governs: the trial, measurement, test or document before it."""
_CLAUSE_KINDS = (K.test_done, K.document, K.statement, K.specialist)


def _shared_for(shared: list[_Found], own: list[_Found]) -> list[_Found]:
    """The criterion's shared requirements as they apply to one alternative. When the
    alternative is a measurement ("DAS28-CRP greater than 3.2"), a shared "validated measure"
    test is that measurement, and a shared time window is the window of that measurement."""
    measured = next((f for f in own if f.kind is K.threshold and f.subject), None)
    generic = [f for f in shared if f.kind is K.test_done and _GENERIC_TEST_RE.search(f.subject)]
    if measured is None or not generic:
        return shared
    result = []
    for f in shared:
        if f in generic:
            continue
        if f.kind is K.time_window:
            f = _Found(f.kind, measured.subject, f.start, f.end, f.comparator, f.value, f.unit)
        result.append(f)
    return result


PERIOD_TITLE_RE = re.compile(
    r"(?:(?:quantity|dose|dosing|dosage)\s+(?:and|&)\s+)?(?:authori[sz]ation|approval|coverage)\s+"
    r"(?:period|duration|length)s?\b",
    re.IGNORECASE,
)
"""A section titled as the authorization's period ('Quantity and authorization period.',
'Approval duration:'): what the request may ask (phases, weeks, treatments), not a fact of the
record. A quantity limit ('Quantity limit. ... limited to 2 pens per 28 days') is a requirement:
the case's regimen is compared with it."""


def parse_requirements(text: str) -> tuple[list[Requirement], Literal["all", "any"]]:
    """The typed requirements of a criterion's wording and how their branches combine; none for
    a section on the authorization's period (:data:`PERIOD_TITLE_RE`), whose limits the
    request answers, never the record."""
    flat = " ".join(text.split())
    if not flat or PERIOD_TITLE_RE.match(flat):
        return [], "all"
    c = compiled()
    common, alternatives = branch_spans(flat)
    parts = None if alternatives else sub_items(flat)
    if parts is not None:
        common = [(0, parts.head)]
        alternatives = parts.items if parts.one_of else []
    shared = [f for s, e in common for f in _read_span(flat, s, e)]
    groups: list[tuple[int, list[_Found], list[tuple[int, int]]]] = []
    if parts is not None and not parts.one_of:
        # 'ALL of the following: a. ...; b. ...; c. ...': each sub-item read on its own (one
        # with nothing typed is kept whole, to be judged by meaning); the lead-in only names
        # them ('Pulmonary function testing documenting'), save a window it sets for all
        found = [f for f in shared if f.kind is K.time_window]
        for s, e in parts.items:
            own = _read_span(flat, s, e)
            found += own or [_whole(flat, s, e)]
        groups.append((0, found, [*common, *parts.items]))
    elif alternatives:
        for branch, (s, e) in enumerate(alternatives):
            own = _read_span(flat, s, e)
            if not own and parts is not None:  # a sub-item with nothing typed is kept whole
                own = [_whole(flat, s, e)]
            groups.append((branch, [*_shared_for(shared, own), *own], [*common, (s, e)]))
    else:
        groups.append((0, shared, common))
    result: list[Requirement] = []
    for branch, found, spans in groups:
        if not found:
            s, e = spans[-1]
            words = flat[s:e].strip(" ,;.")
            found = [_Found(K.other, " ".join(words.split()[:12]) or words, s, e)]
        # a window in the common part governs every requirement; one in a sub-item ('a. an
        # infarction within the past 40 days; or b. ...') governs that sub-item's only
        windows = [(s, e, [*c.windows.finditer(flat, s, e)]) for s, e in spans]
        for f in found:
            bounds = next(
                ((s, e) for s, e in (parts.items if parts else []) if s <= f.start < e),
                (0, len(flat)),
            )
            window = next(
                (
                    " ".join(ws[0].group().split())
                    for s, e, ws in windows
                    if ws and ((s, e) in common or s <= f.start < e)
                ),
                None,
            )
            cl_start, cl_end = _clause(flat, f.start, f.end)
            cl_start, cl_end = max(cl_start, bounds[0]), min(cl_end, bounds[1])
            each = bool(re.search(r"\beach\b", flat[cl_start:cl_end], re.I))
            span = flat[f.start : f.end].strip(" ,;.") or flat[cl_start:cl_end].strip()
            if (each and "each" not in span.lower()) or f.kind in _CLAUSE_KINDS:
                # the clause says what the test or document is about ("No active substance use
                # disorder ... documented by clinical assessment")
                span = flat[min(f.start, cl_start) : max(f.end, cl_end)].strip(" ,;.")
            result.append(
                Requirement(
                    kind=f.kind,
                    subject=_SUBJECT_LABEL_RE.sub("", f.subject or "")[:200]
                    or f.kind.value.replace("_", " "),
                    comparator=f.comparator if f.value is not None else None,
                    value=f.value,
                    unit=f.unit,
                    classes=f.classes,
                    each=each and f.kind in (K.duration, K.dose_adequacy, K.threshold),
                    window=window if window and f.kind is not K.time_window else None,
                    branch=branch,
                    span=span[:1000],
                )
            )
    result = _checked_windows(result)
    if not alternatives:
        return _either_measure(flat, result)
    return result, "any"


def _checked_windows(found: list[Requirement]) -> list[Requirement]:
    """A measurement's window dropped where a time window of its own subject and branch is
    checked beside it ('DLCO of at least 20%, measured within 90 days': the value is compared
    with 20%, the date with the window; the value's sentence does not claim the window)."""
    windows = {
        (r.branch, r.subject.lower(), r.span.lower()) for r in found if r.kind is K.time_window
    }
    return [
        r.model_copy(update={"window": None})
        if r.window
        and r.kind is K.threshold
        and any(
            b == r.branch and subject == r.subject.lower() and span in r.window.lower()
            for b, subject, span in windows
        )
        else r
        for r in found
    ]


@dataclass
class SubItems:
    """A criterion's lettered sub-items ('... ALL of the following: a. ...; b. ...', 'demonstrated
    by: (i) ...; and (ii) ...'): where its lead-in ends, each item's span (its marker left out),
    and whether one of them is enough."""

    head: int
    items: list[tuple[int, int]]
    one_of: bool
    labels: list[str] = field(default_factory=list)
    """Each item's marker as written ('a.', '(ii)')."""

    def words(self, flat: str, index: int) -> str:
        """An item's own words, without the 'and'/'or' that joins it to the next."""
        s, e = self.items[index]
        words = flat[s:e].strip(" ,;.")
        # 'AND' / 'OR' as notices capitalize them, too
        return re.sub(r"[;,]?\s*\b(?:and|or)$", "", words, flags=re.IGNORECASE).strip(" ,;.")


_MARKER_RE = re.compile(
    r"(?:(?<=[:;.,])|(?<=\band)|(?<=\bor))\s+(?P<m>\((?P<p>[a-h]|[ivx]{1,4}|\d{1,2})\)|"
    r"(?P<d>[a-h]|[ivx]{1,4}|\d{1,2})[.)])\s+(?=\S)",
    re.IGNORECASE,
)
_ROMAN_ORDER = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii")
_NUMBER_ORDER = tuple(str(n) for n in range(1, 13))
_ITEM_OR_RE = re.compile(r"[;,]?\s*\bor\s*$", re.IGNORECASE)
ONE_OF_HEAD_RE = re.compile(
    r"\b(?:(?:at least |any )?one of|any of|either|(?:one|two|three|four) or more of|"
    r"at least (?:two|three|four|five|[2-5]) (?:\(\d\) )?of)\b",
    re.IGNORECASE,
)
_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
NEEDED_RE = re.compile(
    r"\b(?:(?:at\s+least|a\s+minimum\s+of|any)\s+(?P<n>one|two|three|four|five|[1-5])"
    r"(?:\s+\(\d\))?|(?P<m>one|two|three|four|[1-4])\s+or\s+more)\s+(?:of|from)\b",
    re.IGNORECASE,
)
"""How many of a list's items are needed: 'at least two of', 'any one of', 'one or more of',
'a minimum of 3 of'."""


def needed(text: str) -> int | None:
    """How many of the alternatives its words introduce are needed ('AT LEAST TWO of the
    following' -> 2, 'one or more of' -> 1); None when the words give no count."""
    match = NEEDED_RE.search(" ".join(text.split()))
    if not match:
        return None
    word = (match["n"] or match["m"]).lower()
    return _COUNTS.get(word) or int(word)


def sub_items(flat: str) -> SubItems | None:
    """The lettered (a, b, c) or numbered (1, 2, 3; i, ii, iii) sub-items of a criterion after
    its lead-in's colon, in order from the first; None when it has fewer than two."""
    markers = list(_MARKER_RE.finditer(flat))
    for order in ("abcdefgh", _ROMAN_ORDER, _NUMBER_ORDER):
        run: list[re.Match[str]] = []
        for m in markers:
            label = (m["p"] or m["d"]).lower()
            if len(run) < len(order) and label == order[len(run)]:
                run.append(m)
        if len(run) < 2 or not flat[: run[0].start()].rstrip().endswith(":"):
            continue
        ends = [m.start() for m in run[1:]] + [len(flat)]
        items = [(m.end(), end) for m, end in zip(run, ends, strict=True)]
        head = run[0].start()
        joined_by_or = any(_ITEM_OR_RE.search(flat[s:e]) for s, e in items[:-1])
        one_of = bool(ONE_OF_HEAD_RE.search(flat[:head])) or joined_by_or
        return SubItems(head, items, one_of, [m["m"] for m in run])
    return None


def _whole(flat: str, start: int, end: int) -> _Found:
    """A sub-item with no typed requirement, kept whole: its own words, to be judged by
    meaning ('improvement in function or reduction in analgesic use')."""
    words = SubItems(0, [(start, end)], False).words(flat, 0)
    return _Found(K.other, " ".join(words.split()[:12]) or words, start, start + len(words))


_SUBJECT_LABEL_RE = re.compile(r"^(?:\(?(?:[a-h]|\d{1,2}|[ivx]{1,4})[.)]|[o•▪\-*–])\s+")
"""A sub-item's marker at the head of a subject ('a. a myocardial infarction', 'o BMI')."""
_OR_RE = re.compile(r"\b(?:or|and/or)\b", re.IGNORECASE)


def _either_measure(
    flat: str, found: list[Requirement]
) -> tuple[list[Requirement], Literal["all", "any"]]:
    """'at least 3 mm of translation or at least 10 degrees of angular motion': two thresholds
    on different measures joined by 'or' are alternatives (each branch keeps the criterion's
    other requirements); otherwise all of them hold."""
    thresholds = [r for r in found if r.kind is K.threshold]
    for a, b in itertools.pairwise(thresholds):
        at, bt = flat.find(a.span), flat.find(b.span)
        if a.subject == b.subject or at < 0 or bt < 0:
            continue
        between = flat[at + len(a.span) : bt]
        if 0 <= len(between) < 40 and _OR_RE.search(between) and " and " not in between:
            rest = [r for r in found if r is not a and r is not b]
            return [
                *(r.model_copy(update={"branch": branch}) for branch, x in enumerate((a, b))
                  for r in (x, *rest))
            ], "any"  # fmt: skip
    return found, "all"


# --------------------------------------------------------------------------- rendering


def describe_requirement(requirement: Requirement) -> str:
    """One line for people: 'duration (each): antidepressant trials >= 6 weeks [window]'."""
    kind = requirement.kind.value + (" (each)" if requirement.each else "")
    parts = [f"{kind}: {requirement.subject}"]
    if requirement.value is not None:
        value = f"{requirement.value:g}"
        parts.append(f"{requirement.comparator or ''} {value} {requirement.unit or ''}".strip())
    if requirement.classes:
        parts.append(f"classes: {', '.join(requirement.classes)}")
    if requirement.window:
        parts.append(f"[{requirement.window}]")
    return " ".join(parts)


_STATUS_WORDS = {
    "met": "met",
    "not_met": "not met",
    "not_documented": "not documented",
    "not_applicable": "not applicable",
    "not_stated": "not stated",
}


def criterion_lines(number: int, criterion: Criterion) -> list[str]:
    """The criterion as ``lmn extract`` prints it: text, the payer's status and reason, and
    its requirements by branch."""
    lines = [f"  {number}. [{criterion.source or 'unnamed source'}] {criterion.text}"]
    status = _STATUS_WORDS[criterion.payer_status]
    reason = f" ({criterion.payer_reason})" if criterion.payer_reason else ""
    lines.append(f"     payer: {status}{reason}")
    if criterion.payer_lacks:
        lines.append(f"     records lacked: {'; '.join(criterion.payer_lacks)}")
    branches = sorted({r.branch for r in criterion.requirements})
    for requirement in criterion.requirements:
        alternative = (
            f"[option {branches.index(requirement.branch) + 1}] "
            if criterion.logic == "any" and len(branches) > 1
            else ""
        )
        lines.append(f"     - {alternative}{describe_requirement(requirement)}")
    return lines


def service_label(service: RequestedService) -> str:
    """'90868 x35', '15823-50', 'rev 0120 x4', 'DRG 291 x1', 'J3380 x300 per infusion, 6
    infusions, 2026-11-16 to 2027-11-15'."""
    prefix = {"revenue": "rev ", "drg": "DRG "}.get(service.system, "")
    modifiers = "".join(f"-{m}" for m in service.modifiers)
    units = f" x{service.units}" if service.units is not None else ""
    per = f" per {service.per}" if service.per else ""
    count = (
        f", {service.administrations} {service.per}s"
        if service.per and service.administrations is not None
        else ""
    )
    period = (
        f", {service.start.isoformat()} to {service.end.isoformat()}"
        if service.start and service.end
        else ""
    )
    return f"{prefix}{service.code}{modifiers}{units}{per}{count}{period}"
