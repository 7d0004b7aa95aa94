"""A quantity limit answered with quantity arithmetic: the units the prescribed regimen needs in
each of the limit's periods, phase by phase (a loading or induction phase apart from
maintenance), against the plan's limit; never a treatment's duration.

The regimen is read from the case's words ('300 mg (2 pens) at weeks 0, 1, 2, 3 and 4, then
300 mg every 4 weeks'); how regimens are written is data (``specs/quantity/regimen.yaml``).
Nothing is invented: a regimen the words do not count is ``None``, and the letter then carries
a gap naming ``service.details``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import yaml
from pydantic import Field

from ..letter_format import PLACEHOLDER
from ..models import Gap, Requirement, RequirementKind, RequirementVerdict, Strict
from ..text.numbers import number_words_pattern, word_number
from .specs import HERE

_EPSILON = 1e-9
"""Doses a day laid out in fractions of a day are counted without rounding error."""

HORIZON_DAYS = 364
"""How far a regimen is laid out: a year of the limit's periods."""


class Interval(Strict):
    days: float | None = Field(default=None, gt=0)
    per_day: int | None = Field(default=None, gt=0)
    """Doses a day, for an interval shorter than a day (exact: 3 a day is 90 in 30 days)."""
    words: list[str] = Field(min_length=1)

    @property
    def length(self) -> float:
        return self.days if self.days is not None else 1 / (self.per_day or 1)


class BenefitSpec(Strict):
    oral: list[str] = Field(min_length=1)
    """Words of a form taken by mouth (a tablet, a capsule): a pharmacy-dispensed drug."""
    medical: list[str] = Field(min_length=1)
    """Words of a drug given and billed by the provider (a HCPCS J-code)."""
    pharmacy: list[str] = Field(min_length=1)
    """Words of a drug a pharmacy dispenses (no CPT/HCPCS code)."""


class RegimenSpec(Strict):
    version: int = Field(ge=1)
    units: dict[str, list[str]] = Field(min_length=1)
    """What a drug is dispensed in (singular) -> the patterns that write it."""
    intervals: list[Interval] = Field(min_length=1)
    every_n: dict[str, int]
    """'every N <unit>': the unit's length in days."""
    phase_names: dict[str, list[str]]
    as_needed: list[str] = Field(min_length=1)
    quantity_said: list[str] = Field(default_factory=list)
    """Patterns of a sentence that states the quantity dispensed, not the schedule."""
    per_course: list[str] = Field(default_factory=list)
    """Patterns of a course's administrations: group ``n`` counts them, group ``days`` lists
    their days ('days 1 and 15 of each course')."""
    benefit: BenefitSpec


@cache
def regimen_spec() -> RegimenSpec:
    """The spec (``specs/quantity/regimen.yaml``), read once."""
    path = HERE / "quantity" / "regimen.yaml"
    return RegimenSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


_NUM = rf"(?:\d+|{number_words_pattern()})"


def per_course(text: str) -> tuple[int, str] | None:
    """(2, 'days 1 and 15 of each course'): how many administrations one course of a regimen
    repeated at an interval holds, as the text says (``per_course``), with the words that say
    it; None when it says none (one administration a course) or more than one count."""
    found: set[int] = set()
    said = ""
    for pattern in regimen_spec().per_course:
        for m in re.finditer(pattern, text, re.IGNORECASE):
            groups = m.groupdict()
            if groups.get("days"):
                n = len(re.findall(r"\d+", groups["days"]))
            else:
                n = _count(groups.get("n") or "")
            if n > 1:
                found.add(n)
                said = said or " ".join(m.group(0).split())
    return (found.pop(), said) if len(found) == 1 else None


def _count(word: str) -> int:
    return int(word) if word.isdigit() else word_number(word.lower()) or 0


@cache
def _unit_re() -> re.Pattern[str]:
    words = [w for ws in regimen_spec().units.values() for w in ws]
    return re.compile(r"(?:" + "|".join(words) + r")(?![\w-])", re.IGNORECASE)


def unit_of(word: str) -> str | None:
    """The dispensing unit a word writes ('Pens' -> 'pen'), or None."""
    for unit, words in regimen_spec().units.items():
        if re.fullmatch("|".join(words), word.strip(), re.IGNORECASE):
            return unit
    return None


def plural(n: float, unit: str) -> str:
    """'1 pen', '8 pens', '2 patches'."""
    shown = f"{n:g}"
    if n == 1:
        return f"{shown} {unit}"
    return f"{shown} {unit}es" if unit.endswith(("ch", "sh", "s", "x")) else f"{shown} {unit}s"


# --------------------------------------------------------------------------- the limit


@dataclass(frozen=True)
class Limit:
    """The plan's quantity limit: ``count`` units per ``days``."""

    count: float
    unit: str
    days: int
    said: str = field(default="", compare=False)
    """The notice's own words for it when they name the unit more closely ('1 single-vial kit
    per 21 days': kits, of one vial)."""

    @property
    def text(self) -> str:
        """'2 pens per 28 days'; the notice's words when they say more ('1 single-vial kit per
        21 days')."""
        return self.said or f"{plural(self.count, self.unit)} per {self.days} days"


@cache
def _limit_re() -> re.Pattern[str]:
    return re.compile(
        rf"\b({_NUM})\s+((?:[\w-]+\s+){{0,2}}?(?:{_unit_re().pattern}))\s*"
        # a volume or strength in brackets between the count and its period ('2 pens (4 mL)
        # per 28 days')
        r"(?:\([^()]{0,20}\)\s*)?(?:per|every|each|/|in(?: any)?)\s*"
        r"(?:(\d+)\s*(?:-\s*)?(?:calendar\s+)?days?|(month|week))\b",
        re.IGNORECASE,
    )


_LIMIT_WORDS_RE = re.compile(
    r"\b(?:limit(?:ed|s)?|maximum|max\.?|not (?:to )?exceed|up to|no more than|covers? only|"
    r"allow(?:s|ed)?)\b",
    re.IGNORECASE,
)


def _limit_from(m: re.Match[str]) -> Limit | None:
    # the counted unit, never one joined before it into a modifier ('1 single-vial kit per 21
    # days' counts kits)
    words = list(_unit_re().finditer(m.group(2)))
    word = next((w for w in words if m.group(2)[w.start() - 1 : w.start()] != "-"), None)
    word = word or (words[0] if words else None)
    unit = unit_of(word.group(0)) if word else None
    if word is None or unit is None:
        return None
    days = int(m.group(3)) if m.group(3) else {"month": 30, "week": 7}[m.group(4).lower()]
    counted = m.group(2).strip()
    # 'single-vial kit': the unit with the words that qualify it, as the notice says them
    said = ""
    if m.group(3) and counted.casefold() != word.group(0).casefold() and "-" in counted:
        said = f"{m.group(1)} {counted.lower()} per {days} days"
    return Limit(float(_count(m.group(1))), unit, days, said)


def _limit_in(text: str) -> Limit | None:
    m = _limit_re().search(text)
    return _limit_from(m) if m else None


_LIMIT_REACH = 80
"""How far before a quantity per period the words of a limit may stand."""


def parse_limit(letter_text: str) -> Limit | None:
    """The plan's quantity limit as the notice states it ('limited to 2 pens per 28 days',
    'a quantity limit of 8 tablets per 30 days'): a quantity per period that the words of a
    limit precede in its sentence (not the quantity asked for on the drug's line)."""
    flat = " ".join(letter_text.split())
    for sentence in re.split(r"(?<=[.;])\s+", flat):
        for m in _limit_re().finditer(sentence):
            before = sentence[max(0, m.start() - _LIMIT_REACH) : m.start()]
            if _LIMIT_WORDS_RE.search(before) and (found := _limit_from(m)):
                return found
    return None


def stated(quantity: str | None) -> Limit | None:
    """A quantity per period as a source states it ('16 tablets per 30 days')."""
    return _limit_in(quantity) if quantity else None


def requirement_limit(req: Requirement) -> Limit | None:
    """The limit a quantity requirement states (subject 'pens', value 2, unit 'pens per 28
    days')."""
    if req.kind != RequirementKind.quantity or req.value is None:
        return None
    return _limit_in(f"{req.value:g} {req.unit or req.subject}")


# --------------------------------------------------------------------------- the regimen


@dataclass(frozen=True)
class Phase:
    """One phase of a regimen: the units each dose takes and the days (from the first dose,
    0-based) its doses fall on within the horizon."""

    name: str
    units: int
    days: tuple[int, ...]
    interval: float | None
    """Days between doses of a recurring phase (None: listed doses)."""
    text: str
    """The regimen's own words for the phase."""


_MG_RE = re.compile(r"(\d+(?:\.\d+)?)\s*mg\b(?!\s*/)", re.IGNORECASE)
_STRENGTH_RE = re.compile(
    r"(\d+(?:\.\d+)?)\s*mg\s*/\s*(?:(\d+(?:\.\d+)?)\s*)?(?:mL|ml)\b|(\d+(?:\.\d+)?)\s*mg\b",
    re.IGNORECASE,
)
_LIST_RE = re.compile(
    r"\b(weeks?|days?)\s+(\d+(?:\s*(?:,\s*and|,|and|to|through|-|–)\s*\d+)*)", re.IGNORECASE
)
_ONCE_RE = re.compile(
    r"\bonce\b(?!\s*(?:daily|a day|weekly|a week|monthly|a month|every|per))|\bsingle dose\b|"
    r"\bone[- ]time\b|\b(?:loading|initial|starter) dose\b",
    re.IGNORECASE,
)
_EVERY_N_RE = re.compile(rf"\bevery\s+({_NUM})\s+(day|week|month)s?\b", re.IGNORECASE)
_PER_PERIOD_AFTER_RE = re.compile(r"\s*(?:per|/|every|each|in)\s*\d", re.IGNORECASE)
_DIVIDED_RE = re.compile(rf"\b(?:in|as) ({_NUM}) (?:divided|equal|separate) doses\b", re.I)
_THEN_RE = re.compile(r"\bthen\b|\bfollowed by\b|\bafter that\b", re.IGNORECASE)


def _listed(text: str) -> tuple[int, ...]:
    """'at weeks 0, 1, 2, 3 and 4' -> (0, 7, 14, 21, 28); 'days 1 and 15' -> (0, 14)."""
    m = _LIST_RE.search(text)
    if not m:
        return ()
    scale = 7 if m.group(1).lower().startswith("week") else 1
    shift = 0 if scale == 7 else 1  # day 1 is the first day
    numbers: list[int] = []
    for part in re.split(r"\s*(?:,\s*and|,|and)\s*", m.group(2)):
        bounds = re.split(r"\s*(?:to|through|-|–)\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            numbers += list(range(int(bounds[0]), int(bounds[1]) + 1))
        elif part.strip().isdigit():
            numbers.append(int(part))
    return tuple(sorted({n * scale - shift for n in numbers if n * scale - shift >= 0}))


_LENGTH_RE = re.compile(
    rf"\bfor (?:the first |a total of )?({_NUM}) (day|week|month)s?\b", re.IGNORECASE
)


def _length(text: str) -> float | None:
    """How long a phase lasts when it says so ('twice daily for 7 days' -> 7)."""
    m = _LENGTH_RE.search(text)
    if not m:
        return None
    return float(_count(m.group(1)) * regimen_spec().every_n[m.group(2).lower()])


def dose_interval(text: str) -> float | None:
    """Days between doses a frequency writes ('every 2 weeks' -> 14, 'twice daily' -> 0.5), or
    None when the spec reads none."""
    spec = regimen_spec()
    if m := _EVERY_N_RE.search(text):
        return float(_count(m.group(1)) * spec.every_n[m.group(2).lower()])
    for iv in spec.intervals:
        if re.search("|".join(iv.words), text, re.IGNORECASE):
            return iv.length
    return None


def _unit_mg(product: str) -> float | None:
    """The milligrams one dispensed unit holds ('300 mg/2 mL prefilled pen' -> 300; '150 mg/mL
    pen' -> 150, a 1 mL device; '75 mg tablet' -> 75)."""
    m = _STRENGTH_RE.search(product)
    if not m:
        return None
    if m.group(1):
        return float(m.group(1))
    return float(m.group(3))


@cache
def _unit_after_re() -> re.Pattern[str]:
    """A dispensed unit's word right after a figure ('80 mg capsules': a strength)."""
    return re.compile(rf"\s*(?:{_unit_re().pattern})", re.IGNORECASE)


def _dose_mg(text: str) -> re.Match[str] | None:
    """The milligrams of one dose: the first 'N mg' that is not a unit's strength ('80 mg
    capsules, 160 mg twice daily' -> 160), else the first 'N mg'."""
    found = list(_MG_RE.finditer(text))
    doses = [m for m in found if not _unit_after_re().match(text, m.end())]
    picked = doses or found
    return picked[0] if picked else None


def _units_per_dose(text: str, product: str, previous: int | None) -> int | None:
    """The units one dose takes: as the regimen counts them ('(2 pens)'), else its milligrams
    over the unit's strength when that divides evenly, else the previous phase's count when the
    phase states no dose."""
    for m in re.finditer(rf"\b({_NUM})\s+({_unit_re().pattern})", text, re.IGNORECASE):
        if not _PER_PERIOD_AFTER_RE.match(text, m.end()):
            return _count(m.group(1))
    dose = _dose_mg(text)
    strength = _unit_mg(product)
    if dose and strength:
        ratio = float(dose.group(1)) / strength
        return int(ratio) if ratio >= 1 and ratio == int(ratio) else None
    return previous if not dose else None


def _phase_name(text: str, index: int, count: int, recurring: bool) -> str:
    for name, words in regimen_spec().phase_names.items():
        if re.search(r"\b(?:" + "|".join(words) + r")", text, re.IGNORECASE):
            return name
    if count == 1:
        return "regimen"
    if index == count - 1 and recurring:
        return "maintenance"
    return "loading"


def _regimen_text(text: str, fills: bool = True) -> str:
    """The scheduled part of the regimen's words: clauses past the schedule ('; 12 months';
    '; 28-day supply') and as-needed doses ('plus 1 tablet as needed') left out."""
    spec = regimen_spec()
    kept = []
    said = "|".join(spec.quantity_said)
    if not fills and said:
        # a sentence that states the quantity dispensed is no schedule ('Quantity: 3 pens in
        # the first 28 days (... loading dose on day 1 ...)')
        sentences = re.split(r"(?<=\.)\s+(?=[A-Z])", text)
        text = " ".join(s for s in sentences if not re.search(said, s, re.IGNORECASE))
    for clause in re.split(r";|\bplus\b|\band also\b", text):
        if re.search("|".join(spec.as_needed), clause, re.IGNORECASE):
            continue
        if _listed(clause) or dose_interval(clause) or _ONCE_RE.search(clause):
            kept.append(_scheduled(clause))
    return "; ".join(kept)


@cache
def _segment_re() -> re.Pattern[str]:
    """Where a clause's segments part: a comma before words or a count of units ('..., 1
    tablet every other day'), not inside a list of weeks ('weeks 0, 1, 2'); a full stop."""
    units = _unit_re().pattern
    return re.compile(rf",\s+(?=[A-Za-z(]|\d+\s+(?:{units}))|\.\s+", re.IGNORECASE)


_REMARK_RE = re.compile(r"\s*\([^()\d]*\)")
"""A parenthetical remark with no number ('(FDA-labeled preventive regimen)'): not the regimen."""


def _scheduled(clause: str) -> str:
    """The words of a clause that lay out the schedule: its segments that hold one, each with
    the dose the segment before states when it states none ('Rimegepant 75 mg ODT, 1 tablet
    every other day'), remarks left out; a quantity per period or a supply is not kept."""
    segments = [s.strip(" ,") for s in _segment_re().split(_REMARK_RE.sub("", clause))]
    kept: list[str] = []
    for i, seg in enumerate(segments):
        if not (_listed(seg) or dose_interval(seg) or _ONCE_RE.search(seg) or _THEN_RE.match(seg)):
            continue
        before = segments[i - 1] if i else ""
        dose = _MG_RE.search(before)
        if not _MG_RE.search(seg) and dose and before not in kept:
            # 'Rimegepant 75 mg ODT, 1 tablet every other day' -> '75 mg (1 tablet) every ...'
            m = re.match(rf"({_NUM}\s+(?:{_unit_re().pattern}))\s+(.*)", seg, re.IGNORECASE)
            seg = f"{dose.group(0)} ({m.group(1)}) {m.group(2)}" if m else f"{dose.group(0)} {seg}"
        kept.append(seg)
    return ", ".join(kept) or clause.strip(" ,")


def parse_regimen(texts: list[str], product: str) -> tuple[Phase, ...] | None:
    """The phases of the first text whose words lay out a countable schedule, each with its
    units per dose and dose days over the horizon; None when no text does (an 'as directed'
    regimen, a dose the unit's strength does not divide)."""
    # the doses and their schedule first, in every text; a sentence of fills only when no
    # text states them
    for fills in (False, True):
        for text in texts:
            phases = _phases(_regimen_text(" ".join(text.split()), fills), product)
            if phases:
                return phases
    return None


def _phases(text: str, product: str) -> tuple[Phase, ...] | None:
    parts = [p.strip(" ,;") for p in _THEN_RE.split(text)]
    parts = [p for p in parts if p]
    raw: list[tuple[str, int, tuple[int, ...], float | None, float | None]] = []
    units: int | None = None
    for part in parts:
        length = _length(part)
        listed = _listed(part)
        interval = None if listed else dose_interval(part)
        once = not listed and interval is None and bool(_ONCE_RE.search(part))
        if not (listed or interval or once):
            if raw:
                break  # the schedule ended ('... every 4 weeks, for 12 months')
            continue
        units = _units_per_dose(part, product, units)
        if units and interval == 1 and (split := _DIVIDED_RE.search(part)):
            # 'the 24 mg daily dose is given in three divided doses': 1 unit three times daily
            doses = _count(split.group(1))
            units, interval = (units // doses, 1 / doses) if units % doses == 0 else (0, None)
        if not units:
            return None
        raw.append((part, units, listed or ((0,) if once else ()), interval, length))
    if not raw:
        return None
    phases: list[Phase] = []
    last = -1.0
    following: float | None = None
    """The day the next phase starts when a phase states its length ('for 7 days')."""
    for i, (part, n, days, interval, length) in enumerate(raw):
        if interval is None:
            on = days
        else:
            start = following if following is not None else 0.0 if last < 0 else last + interval
            end = min(HORIZON_DAYS, start + length) if length else HORIZON_DAYS
            steps = range(math.ceil((end - start) / interval - _EPSILON))
            on = tuple(math.floor(start + k * interval + _EPSILON) for k in steps)
            following = end if length else None
        on = tuple(d for d in on if d < HORIZON_DAYS)
        if on:
            last = float(max(on))
        name = _phase_name(part, i, len(raw), interval is not None)
        phases.append(Phase(name, n, on, interval, part))
    if phases[-1].interval is not None:
        # a recurring phase runs to the horizon; one after it cannot start
        phases = [p for p in phases if p.days]
    return tuple(phases)


# --------------------------------------------------------------------------- the arithmetic


@dataclass(frozen=True)
class Row:
    """The units the regimen needs in one stretch of the limit's periods."""

    phase: str
    first_day: int
    """1-based day the stretch starts."""
    last_day: int | None
    """1-based last day; None for every period from ``first_day`` on."""
    units: int
    """Units needed in each period of the stretch."""
    doses: int
    how: str
    """'4 doses of 2 pens, at weeks 0, 1, 2 and 3' / '2 pens every 4 weeks'."""
    above: bool


@dataclass(frozen=True)
class QuantityAnswer:
    """The regimen counted against the limit, period by period."""

    limit: Limit
    rows: tuple[Row, ...]

    @property
    def above(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.above)

    def sentence(self) -> str:
        """'Counted against your limit of 2 pens per 28 days, the prescribed regimen needs 8
        pens in days 1-28 (loading: 4 doses of 2 pens, at weeks 0, 1, 2 and 3), above the
        limit by 6 pens; and 2 pens in each 28 days from day 29 (maintenance: 2 pens every 4
        weeks), within the limit.'"""
        parts = []
        for r in self.rows:
            where = (
                f"in days {r.first_day}–{r.last_day}"
                if r.last_day is not None
                else f"in each {self.limit.days} days"
                + (f" from day {r.first_day}" if r.first_day > 1 else "")
            )
            verdict = (
                f"above the limit by {plural(r.units - self.limit.count, self.limit.unit)}"
                if r.above
                else "within the limit"
            )
            parts.append(
                f"{plural(r.units, self.limit.unit)} {where} ({r.phase}: {r.how}), {verdict}"
            )
        joined = parts[0] if len(parts) == 1 else "; ".join(parts[:-1]) + "; and " + parts[-1]
        return (
            f"Counted against your limit of {self.limit.text}, the prescribed regimen needs "
            f"{joined}."
        )

    def ask(self, requested: Limit | None = None) -> str:
        """What the exception is asked for: the stretches above the limit only; the quantity
        the request states when it is per the same period and covers what the regimen needs
        (a package rounds it up: 16 tablets for 15 doses)."""
        above = self.above
        if not above:
            return "The prescribed regimen is within the limit in every period."
        if len(above) == len(self.rows):
            r = above[-1]
            need = f"{plural(r.units, self.limit.unit)} per {self.limit.days} days"
            if (
                requested is not None
                and requested.days == self.limit.days
                and requested.unit == self.limit.unit
                and requested.count > r.units
            ):
                return (
                    f"The exception is for the {requested.text} requested; the regimen's doses "
                    f"alone need {need}."
                )
            return f"The exception is for {need}."
        asked = "; ".join(
            f"{plural(r.units, self.limit.unit)} for days {r.first_day}–{r.last_day}"
            if r.last_day is not None
            else f"{plural(r.units, self.limit.unit)} per {self.limit.days} days from day "
            f"{r.first_day}"
            for r in above
        )
        phases = sorted({r.phase for r in above})
        return (
            f"The exception is needed for the {' and '.join(phases)} period only: {asked}; the "
            "rest of the regimen is within the limit."
        )

    def strings(self) -> list[str]:
        """The values the arithmetic computes (the validator grounds them)."""
        out = [self.limit.text]
        for r in self.rows:
            out += [plural(r.units, self.limit.unit), r.how, str(r.first_day)]
            if r.last_day is not None:
                out.append(str(r.last_day))
            if r.above:
                out.append(plural(r.units - self.limit.count, self.limit.unit))
        return out


def _how(phase: Phase, days: list[int], unit: str, listed: bool = False) -> str:
    """'2 pens every 4 weeks' (a recurring phase), or its doses listed ('4 doses of 2 pens, at
    weeks 0, 1, 2 and 3') for a phase with listed doses or when ``listed``."""
    each = plural(phase.units, unit)
    if phase.interval is not None and not listed:
        return f"{each} {_every(phase.interval)}"
    if phase.interval is not None and phase.interval < 7:
        first, last = min(days) + 1, max(days) + 1
        span = f"on day {first}" if first == last else f"on days {first}–{last}"
        return f"{len(days)} doses of {each}, {_every(phase.interval)} {span}"
    if all(d % 7 == 0 for d in days):
        marks = [str(d // 7) for d in days]
        at = "at weeks"
    else:
        marks = [str(d + 1) for d in days]
        at = "on days"
    if len(days) == 1:
        return f"1 dose of {each}, {at[:-1]} {marks[0]}"
    joined = ", ".join(marks[:-1]) + " and " + marks[-1]
    return f"{len(days)} doses of {each}, {at} {joined}"


def _every(interval: float) -> str:
    spec = regimen_spec()
    for iv in spec.intervals:
        if abs(iv.length - interval) < 1e-3:
            word = iv.words[0].replace("\\b", "").replace("(?:a )?", "")
            return word
    if interval % 7 == 0:
        return f"every {int(interval // 7)} weeks"
    return f"every {interval:g} days"


def count(phases: tuple[Phase, ...], limit: Limit) -> QuantityAnswer:
    """Each of the limit's periods over the horizon, the units its doses take: the periods a
    phase before the last needs apart from the steady state, then the steady state (the most
    any later period needs), each against the limit."""
    period = limit.days
    windows = HORIZON_DAYS // period
    need = [0] * windows
    doses = [0] * windows
    early = [False] * windows
    for i, phase in enumerate(phases):
        for d in phase.days:
            k = d // period
            if k < windows:
                need[k] += phase.units
                doses[k] += 1
                early[k] = early[k] or i < len(phases) - 1
    last = phases[-1]
    steady_from = 0
    while steady_from < windows and early[steady_from]:
        steady_from += 1
    steady = max(need[steady_from:], default=0)
    # a stretch of early periods that needs what the steady state needs is part of it
    while steady_from > 0 and need[steady_from - 1] == steady:
        steady_from -= 1
    rows: list[Row] = []
    for k in range(steady_from):
        in_window = [(p, d) for p in phases for d in p.days if k * period <= d < (k + 1) * period]
        if not in_window:
            continue
        phase = in_window[0][0]
        how = "; ".join(
            _how(p, [d for q, d in in_window if q is p], limit.unit, listed=True)
            for p in dict.fromkeys(q for q, _ in in_window)
        )
        rows.append(
            Row(
                phase.name,
                k * period + 1,
                (k + 1) * period,
                need[k],
                doses[k],
                how,
                need[k] > limit.count,
            )
        )
    if steady_from < windows:
        rows.append(
            Row(
                last.name,
                steady_from * period + 1,
                None,
                steady,
                0,
                _how(last, list(last.days), limit.unit),
                steady > limit.count,
            )
        )
    return QuantityAnswer(limit, tuple(rows))


def supply(phases: tuple[Phase, ...], days: int, unit: str) -> str:
    """The quantity the regimen needs per ``days`` (a days' supply or a limit's period), phase
    by phase: '8 pens for days 1–28, then 2 pens per 28 days'."""
    rows = count(phases, Limit(float("inf"), unit, days)).rows
    return ", then ".join(
        f"{plural(r.units, unit)} for days {r.first_day}–{r.last_day}"
        if r.last_day is not None
        else f"{plural(r.units, unit)} per {days} days"
        for r in rows
    )


def course_units(phases: tuple[Phase, ...], days: int) -> int:
    """The units every dose of the regimen takes in its first ``days`` days (the whole course:
    a loading dose and each maintenance dose in the period requested)."""
    return sum(p.units for p in phases for d in p.days if d < days)


def regimen_words(phases: tuple[Phase, ...], unit: str | None = None) -> str:
    """The regimen as the case writes it, its phases joined ('300 mg (2 pens) at weeks 0, 1,
    2, 3 and 4, then 300 mg (2 pens) every 4 weeks'); a phase the case writes as a sentence of
    its own ('The 24 mg daily dose is given in three divided doses.') as counted, in ``unit``
    ('1 film three times daily')."""
    return ", then ".join(
        _how(p, list(p.days), unit) if unit and not p.text[:1].isdigit() else p.text for p in phases
    )


def dispensed_unit(product: str) -> str | None:
    """What the product is dispensed in, from its description ('... autoinjector' ->
    'autoinjector')."""
    found = [unit_of(m.group(0)) for m in _unit_re().finditer(product)]
    return next((u for u in reversed(found) if u and u != "dose"), None)


def benefit(text: str, own: str = "") -> str:
    """'medical' when the words say the drug is given and billed by the provider (an infusion
    center, the medical benefit) and not that a pharmacy dispenses it; else 'pharmacy'.
    ``own``: the case's words for the drug itself, which decide first: a benefit they name, or
    a form taken by mouth (a tablet, a capsule), is the drug's whatever else the notice names
    ('the MRI is a medical benefit service')."""
    spec = regimen_spec().benefit
    if own:
        if re.search(r"\bpharmacy benefit\b|\bPart D\b", own, re.IGNORECASE):
            return "pharmacy"
        if re.search(r"\bmedical benefit\b|buy[- ]and[- ]bill", own, re.IGNORECASE):
            return "medical"
        if re.search("|".join(spec.oral), own, re.IGNORECASE):
            return "pharmacy"
    if re.search(r"\bmedical benefit\b|buy[- ]and[- ]bill", text, re.IGNORECASE):
        return "medical"
    if re.search(r"\bpharmacy benefit\b|\bPart D\b", text, re.IGNORECASE):
        return "pharmacy"
    medical = re.search("|".join(spec.medical), text, re.IGNORECASE)
    pharmacy = re.search("|".join(spec.pharmacy), text, re.IGNORECASE)
    return "medical" if medical and not pharmacy else "pharmacy"


# --------------------------------------------------------------------------- the case


_DIRECTIONS_RE = re.compile(
    r"^[ \t]*(?:directions|sig|dosing|dose and frequency|regimen)[ \t]*:[ \t]*(.+)$",
    re.IGNORECASE | re.MULTILINE,
)


_CONTINUED_RE = re.compile(r"\n([ \t]{4,})(?![^\n]{0,40}:)(\S[^\n]*)")
"""A line that carries the one above on: indented, and no 'Label:' line of its own."""


def directions(letter_text: str) -> list[str]:
    """The notice's own directions for the drug ('Sig: Inject 600 mg ... then 300 mg every 2
    weeks'), where the case states no regimen; a line indented under it carries it on ('Sig:
    inject 600 mg (2 pens) SC on day 1, then' / '    300 mg (1 pen) SC every 2 weeks')."""
    out = []
    for m in _DIRECTIONS_RE.finditer(letter_text):
        said, at = m.group(1).strip(), m.end()
        while more := _CONTINUED_RE.match(letter_text, at):
            said, at = f"{said} {more.group(2).strip()}", more.end()
        out.append(said)
    return out


def regimen_texts(details: str | None, description: str | None, notice: list[str]) -> list[str]:
    """Where the regimen is written, in order: the case's service details, its description,
    the notice's directions line."""
    return [t for t in (details, description, *notice) if t]


def answer(limit: Limit | None, texts: list[str], product: str) -> QuantityAnswer | None:
    """The regimen counted against the limit, or None when either is not stated countably; a
    dose drawn from a unit that holds several (a 12 mg cartridge, 0.8 mg a day) is counted in
    milligrams (:func:`drawn`)."""
    if limit is None:
        return None
    phases = parse_regimen(texts, product)
    return count(phases, limit) if phases else drawn(limit, texts, product)


def drawn(limit: Limit, texts: list[str], product: str) -> QuantityAnswer | None:
    """A regimen whose dose is drawn from a unit holding several doses ('Genotropin 12 mg
    cartridge', '0.8 mg once daily'), counted against the limit in milligrams: each period
    needs its doses' milligrams, so that many units, rounded up ('22.4 mg per 28 days: 2
    cartridges of 12 mg'). None unless one text's schedule states a dose in mg, smaller than
    the unit's, at one interval."""
    unit_mg = _unit_mg(product)
    if not unit_mg:
        return None
    for text in texts:
        for clause in _regimen_text(" ".join(text.split()), fills=False).split("; "):
            dose, interval = _MG_RE.search(clause), dose_interval(clause)
            if dose is None or interval is None or _THEN_RE.search(clause):
                continue
            mg = float(dose.group(1))
            if not 0 < mg < unit_mg:
                continue
            need = mg * limit.days / interval
            units = math.ceil(need / unit_mg - _EPSILON)
            how = (
                f"{mg:g} mg {_every(interval)}, {need:g} mg per {limit.days} days; "
                f"{math.floor(unit_mg / mg + _EPSILON)} doses a {unit_mg:g} mg {limit.unit}"
            )
            row = Row("regimen", 1, None, units, 0, how, units > limit.count)
            return QuantityAnswer(limit, (row,))
    return None


_SCHEDULE_WORDS_RE = re.compile(
    r"\b(?:once|daily|weekly|monthly|every|each|twice|times|weeks?\s+\d)\b", re.IGNORECASE
)


_DOSE_RE = re.compile(r"\d\s*(?:mg|mcg|g|units?|mL)\b", re.IGNORECASE)


def regimen_said(details: str | None) -> str:
    """The case's own clauses laying out the regimen: those of its service details that state
    a dose ('0.7 mg/kg', '600 mg') and a schedule ('once', 'every 21 days'), verbatim
    ('' when none does). A regimen written in the case is said as written when it cannot be
    counted: it is never a gap."""
    sentences = re.split(r"(?<=[.])\s+(?=[A-Z])", " ".join((details or "").split()))
    said = [
        c.strip().rstrip(".")
        for s in sentences
        for c in s.split(";")  # its clauses: the doses, not the benefit or the period
        if _SCHEDULE_WORDS_RE.search(c) and (_DOSE_RE.search(c) or _THEN_RE.match(c.strip()))
    ]
    return "; ".join(said) if any(_DOSE_RE.search(c) for c in said) else ""


def regimen_gap() -> Gap:
    """The gap when a quantity limit applies and the regimen cannot be counted."""
    return Gap(
        field="service.details",
        message=(
            "the denial is a quantity limit and the case's regimen cannot be counted against it: "
            "write in service.details the dose, the units each dose takes and the schedule of "
            "each phase ('300 mg (2 pens) at weeks 0, 1, 2, 3 and 4, then 300 mg (2 pens) every "
            "4 weeks')"
        ),
        placeholder=PLACEHOLDER.format(
            what="the prescribed regimen (dose, units per dose and schedule of each phase), to "
            "count against the quantity limit"
        ),
    )


def _per(row: Row, limit: Limit) -> str:
    """'8 pens in days 1–28', '2 pens per 28 days from day 29'."""
    if row.last_day is not None:
        return f"{plural(row.units, limit.unit)} in days {row.first_day}–{row.last_day}"
    since = f" from day {row.first_day}" if row.first_day > 1 else ""
    return f"{plural(row.units, limit.unit)} per {limit.days} days{since}"


_EXCEPTION_RE = re.compile(
    r"\b(?:quantity|dispensing|supply) limit\b|\bcovered (?:amount|quantity)\b", re.IGNORECASE
)
"""A criterion about the plan's quantity limit ('Quantity limit exception: ... the covered
amount is likely to be ineffective')."""


def limit_criterion(text: str, reason: str | None) -> Limit | None:
    """The plan's limit a criterion about the quantity limit turns on, as its words or the
    payer's notes on it state it ('The plan covers up to 8 tablets per 30 days'); None for a
    criterion about something else."""
    if not _EXCEPTION_RE.search(text):
        return None
    return parse_limit(f"{text}. {reason or ''}")


def requirement_verdict(
    req: Requirement,
    texts: list[str],
    product: str,
    evidence: list[str],
    limit: Limit | None = None,
) -> RequirementVerdict:
    """A quantity requirement ('2 pens per 28 days') answered with the regimen's count per
    period: met when every period is within it, not met when one is above it (the exception is
    asked for that stretch), unknown with service.details named when the regimen is not
    countable. Never a duration. With ``limit`` (a criterion asking that the covered amount be
    ineffective), the polarity turns: met when the regimen needs more than the limit covers."""
    exception = limit is not None
    limit = limit or requirement_limit(req)
    required = f"at most {limit.text}" if limit else f"at most {req.value:g} {req.unit or ''}"
    if exception and limit is not None:
        required = f"the covered amount ({limit.text}) below what the prescribed regimen needs"
    found = answer(limit, texts, product)
    if found is None:
        return RequirementVerdict(
            requirement=req, status="unknown", required=required,
            found="the regimen is not stated in countable terms", field="service.details",
        )  # fmt: skip
    said = "; ".join(f"{_per(r, found.limit)} ({r.phase})" for r in found.rows)
    status: Literal["met", "not_met"] = "not_met" if found.above else "met"
    if exception:
        status = "met" if found.above else "not_met"
        said = f"the regimen needs {said}"
    return RequirementVerdict(
        requirement=req,
        status=status,
        required=required,
        found=said,
        value=float(max(r.units for r in found.rows)),
        evidence=evidence,
        field=None,
    )
