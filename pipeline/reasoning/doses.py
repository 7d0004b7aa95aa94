"""Daily doses read from a course's dose and frequency, the daily morphine milligram equivalents
of the opioid courses a patient takes, and the lists of drug classes a criterion asks doses of.

A drug's dose threshold is compared only with a course of THAT drug: 'a gabapentinoid
(gabapentin at least 1,800 mg per day or pregabalin at least 300 mg per day); an SNRI
(duloxetine at least 60 mg per day)' is read into one threshold per drug, each in the class (the
list's item, else the drug's FDA established pharmacologic class) it counts for. A course counts
for its class when its daily dose reaches its own drug's threshold and it lasted the time the
criterion asks (or, where the criterion allows it, stopped sooner for intolerance); the classes
counted are compared with the number the criterion asks for.

Data: ``data/mme.yaml`` (the CDC's conversion factors, sourced); the classes are the class
book's (``classes.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

import yaml
from pydantic import Field

from ..letter_format import fmt_date
from ..models import Strict
from ..requirements import sub_items
from ..text.numbers import number_value, word_number
from .classes import DATA, book
from .facts import Trial
from .quantity import dose_interval, regimen_spec

_MG_RE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*mg\b", re.IGNORECASE)
_PER_DAY_RE = re.compile(
    r"(\d[\d,]*(?:\.\d+)?)\s*mg\s*(?:/\s*day|per day|a day|daily total|total daily)\b",
    re.IGNORECASE,
)
_WEEKLY_RE = re.compile(
    r"\b(?:once )?weekly\b|\bonce (?:a|per|every) week\b|\bevery week\b|/\s*week\b|"
    r"\bper week\b|\bqw(?:eek|k)?\b",
    re.IGNORECASE,
)


def weekly(trial: Trial) -> bool:
    """A dose given once a week (methotrexate '20 mg once weekly'): its mg are per week."""
    freq = trial.treatment.frequency or ""
    if freq:
        return bool(_WEEKLY_RE.search(freq))
    return bool(_WEEKLY_RE.search(trial.treatment.dose or ""))


_UNITS_TAKEN_RE = re.compile(
    r"(?:\b(?P<n>\d{1,2}|one|two|three|four|five|six)\s+(?:x\s+)?(?:(?P<s1>\d[\d,.]*)\s*mg\s+)?"
    r"(?:tablets?|tabs?|capsules?|caps?|pills?)\b(?:\s+of\s+(?P<of>\d[\d,.]*)\s*mg\b)?"
    r"|\bx\s*(?P<x>\d{1,2})\b(?!\s*[a-z/])"
    r"|\b(?P<pre>\d{1,2})\s*x\s*(?P<s2>\d[\d,.]*)\s*mg\b)",
    re.IGNORECASE,
)
"""How many tablets (capsules) make one dose, where the dose states a strength and a count
('300 mg tablet, 2 tablets', 'two 40 mg tablets', '300 mg x 2', '2 x 300 mg', '2 tablets of 40
mg')."""
_PER_UNIT_RE = re.compile(
    r"\d[\d,.]*\s*mg\s+(?:[a-z]+\s+){0,2}?(?:tablets?|tabs?|capsules?|caps?|pills?)\b",
    re.IGNORECASE,
)
"""A strength that is each tablet's ('300 mg tablet', '240 mg ER capsule')."""
_COUNT_RANGE_RE = re.compile(
    r"\b\d{1,2}\s*(?:-|–|to|or)\s*\d{1,2}\s+(?:tablets?|tabs?|capsules?|caps?|pills?)\b",
    re.IGNORECASE,
)


def units_per_dose(trial: Trial) -> int:
    """The tablets (capsules) one administration takes, as the course's dose states; 1 when it
    states no count, a range of counts ('1-2 tablets') or a count the stated dose already
    totals ('80 mg (2 tablets of 40 mg)', '300 mg as 2 tablets'). A count multiplies only a
    strength that is each tablet's: '2 x 40 mg', '40 mg x 2', 'two 40 mg tablets', '40 mg
    tablet, 2 tablets', '2 tablets of 40 mg'."""
    dose = trial.treatment.dose or ""
    m = _UNITS_TAKEN_RE.search(dose)
    first = _MG_RE.search(dose)
    if m is None or first is None or _COUNT_RANGE_RE.search(dose):
        return 1
    n = word_number(m["n"] or m["x"] or m["pre"] or "1") or 1
    if not 1 <= n <= 12:
        return 1
    stated = number_value(first.group(1))
    own = m["s1"] or m["s2"] or m["of"]
    if own is not None:
        # the count's own strength: it multiplies only when it is the dose's strength, i.e.
        # the dose states no total ('2 tablets of 40 mg'); '80 mg (2 tablets of 40 mg)' and
        # '15 mg (6 x 2.5 mg tablets)' state the total the tablets make
        return n if number_value(own) == stated and first.start() >= m.start() else 1
    if m["x"] is not None:
        return n  # '300 mg x 2'
    # a bare count ('2 tablets') multiplies a strength said to be each tablet's
    return n if _PER_UNIT_RE.search(dose, 0, m.start()) else 1


def daily_dose_shown(trial: Trial, mg: float, unit: str = "mg/day") -> str:
    """The arithmetic of a course's daily dose from its strength, tablets and frequency
    ('300 mg x 2 tablets once daily = 600 mg/day'); the dose alone when the record states the
    daily total or nothing was multiplied."""
    dose = trial.treatment.dose or ""
    if _PER_DAY_RE.search(dose):
        return f"{mg:g} {unit}"
    strength = _MG_RE.search(dose)
    freq = (trial.treatment.frequency or "").strip()
    n = units_per_dose(trial)
    if strength is None or (n == 1 and not freq):
        return f"{mg:g} {unit}"
    each = f"{strength.group(1)} mg" + (f" x {n} tablets" if n > 1 else "")
    return f"{each} {freq} = {mg:g} {unit}".replace("  ", " ")


def daily_mg(trial: Trial) -> float | None:
    """The course's dose in mg per day: the daily total its dose states ('600 mg twice daily
    (1,200 mg/day)' -> 1200), else the dose divided by the interval its frequency says (the
    regimen spec's intervals: 'every 4 hours' -> 6 a day, 'twice weekly' -> 2/7). None when the
    frequency is as needed or not one the spec reads: an unread schedule is no daily dose."""
    dose = trial.treatment.dose or ""
    total = _PER_DAY_RE.search(dose)
    if total:
        return number_value(total.group(1))
    match = _MG_RE.search(dose)
    if not match:
        return None
    mg = number_value(match.group(1)) * units_per_dose(trial)
    freq = trial.treatment.frequency or ""
    if not freq.strip():
        return mg / 7 if weekly(trial) else mg
    if "divided" in freq.lower():
        return mg
    spec = regimen_spec()
    if re.search("|".join(spec.as_needed), freq, re.IGNORECASE):
        return None
    interval = dose_interval(freq)
    return None if interval is None else mg / interval


# --------------------------------------------------------------------------- MME


class _MmeRow(Strict):
    ingredient: str
    factor: float = Field(gt=0)


class _MmeTable(Strict):
    version: int = Field(ge=1)
    source: str = Field(min_length=10)
    rows: list[_MmeRow]


@cache
def mme_table() -> _MmeTable:
    """The CDC's MME conversion factors (``data/mme.yaml``), validated once."""
    data = yaml.safe_load((DATA / "mme.yaml").read_text(encoding="utf-8"))
    return _MmeTable.model_validate(data)


_MME_RE = re.compile(
    r"(?:(?P<pre>no more than|not more than|not to exceed|not exceeding|at most|less than|under|"
    r"below|greater than|more than|at least|over|above|>=|<=|[<>≤≥])\s*)?"
    r"(?P<n>\d{1,4}(?:\.\d+)?)\s*(?:morphine milligram equivalents?|MMEs?|MEDs?|morphine "
    r"equivalents?)(?:\s*(?:\(MME\)|/\s*day|per day|daily|a day))*"
    r"(?:\s+(?P<post>or (?:less|fewer|lower|below)|or (?:more|greater|higher|above)))?",
    re.IGNORECASE,
)
_LOWER = ("no more than", "not more than", "not to exceed", "not exceeding", "at most",
          "less than", "under", "below", "<=", "<", "≤")  # fmt: skip


def mme_limit(text: str) -> tuple[str, float] | None:
    """The comparator and daily MME a criterion's words set ('no more than 90 morphine milligram
    equivalents (MME)' -> ('<=', 90); '50 MME or less'); None when they set none or no direction."""
    m = _MME_RE.search(text)
    if m is None:
        return None
    pre = (m["pre"] or "").lower()
    post = (m["post"] or "").lower()
    n = float(m["n"])
    if pre in ("less than", "under", "below", "<"):
        return "<", n
    if pre in _LOWER or "less" in post or "fewer" in post or "lower" in post or "below" in post:
        return "<=", n
    if pre in ("greater than", "more than", "over", "above", ">"):
        return ">", n
    if pre in ("at least", ">=", "≥") or post:
        return ">=", n
    return None


@dataclass(frozen=True)
class OpioidDose:
    """A current opioid course's daily dose in mg and its MME conversion factor."""

    trial: Trial
    mg_per_day: float
    factor: float

    @property
    def mme(self) -> float:
        return round(self.mg_per_day * self.factor, 1)

    def words(self) -> str:
        """'Oxycodone 20 mg/day x 1.5 = 30 MME/day'."""
        return (
            f"{self.trial.name} {self.mg_per_day:g} mg/day x {self.factor:g} = {self.mme:g} MME/day"
        )


def current_opioids(trials: list[Trial], as_of: dt.date) -> tuple[list[OpioidDose], list[Trial]]:
    """The opioid courses taken now (no end, or ending on or after ``as_of``) with their daily
    MME, and those whose daily dose in mg the record does not state."""
    factors = {r.ingredient: r.factor for r in mme_table().rows}
    doses, undosed = [], []
    for t in trials:
        if t.ingredient not in factors or (t.end is not None and t.end < as_of):
            continue
        mg = daily_mg(t)
        if mg is None:
            undosed.append(t)
        else:
            doses.append(OpioidDose(t, mg, factors[t.ingredient]))
    return doses, undosed


# --------------------------------------------------------------------------- class lists

_CLASS_COUNT_RE = re.compile(
    r"\b(?:at least|a minimum of|minimum of)?\s*(?P<n>two|three|four|2|3|4)\s+"
    r"(?:(?:of the following|different|distinct|separate)\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:drug |medication |pharmacologic |therapeutic )?classes\b",
    re.IGNORECASE,
)
_DRUG_DOSE_RE = re.compile(
    r"(?P<drugs>[A-Za-z][\w-]*(?:\s*(?:,|\bor\b|\band/or\b)\s*[A-Za-z][\w-]*){0,3})\s*"
    r"(?:at (?:a dose of )?least|of at least|(?:at )?>=|≥)\s*(?P<n>\d{1,3}(?:,\d{3})*(?:\.\d+)?)"
    r"\s*mg\s*(?:per day|/\s*day|/d\b|daily|a day)",
    re.IGNORECASE,
)
_FOR_RE = re.compile(
    r"\bfor (?:at least|a minimum of)\s+(?P<n>\d{1,2})\s+(?P<unit>days?|weeks?|months?)",
    re.IGNORECASE,
)
_SOONER_RE = re.compile(
    r"\b(?:stopped|discontinued|ended)\s+(?:sooner|earlier|early)\b[^.;]{0,60}"
    r"\b(?:adverse|intoleran|side effect|reaction|toxicit)",
    re.IGNORECASE,
)
_REACTION_RE = re.compile(
    r"intoleran|not tolerated|adverse|side effect|reaction|toxicit|allerg|hypersensitiv", re.I
)


def allows_stopping_sooner(criterion: str) -> bool:
    """The criterion counts a course stopped sooner than its length for a reaction ('each for
    at least 12 weeks, or stopped sooner because of a documented adverse reaction')."""
    return bool(_SOONER_RE.search(criterion))


def stopped_for_reaction(t: Trial) -> bool:
    """The trial's outcome states a reaction to the drug (a stop 'for inadequate response'
    states none, though ``Trial.intolerant`` reads 'discontinued' as one)."""
    return t.intolerant and bool(_REACTION_RE.search(t.treatment.outcome or ""))


_UNIT_DAYS = {"day": 1, "week": 7, "month": 30}


@dataclass(frozen=True)
class DrugDose:
    """A listed drug's daily dose threshold, in mg per day."""

    ingredient: str
    mg_per_day: float
    group: str
    """The class it counts for: the list item's words, else the drug's FDA class."""


@dataclass(frozen=True)
class ClassList:
    """A criterion's list of drug classes with a dose for each drug, and the count it asks."""

    span: str
    """The criterion's words stating the count ('at least TWO of the following first-line drug
    classes')."""
    need: int
    doses: tuple[DrugDose, ...]
    days: int | None
    """The length each course must reach, in days ('for at least 8 weeks' -> 56)."""
    sooner: bool
    """Whether a course stopped sooner for intolerance counts."""
    start: int
    end: int
    """Where in the criterion the list's words lie (requirements there are its parts)."""


def _group_words(item: str) -> str:
    """A list item's class in words: its words before the parenthesis ('a gabapentinoid')."""
    head = re.split(r"\(", item, maxsplit=1)[0]
    head = re.sub(r"^\s*(?:\(?\w{1,3}[.)]\s*)?(?:an?|the)\s+", "", head.strip(" ;,:"), flags=re.I)
    return head.strip(" ;,:") or item[:40]


def class_list(text: str) -> ClassList | None:
    """The criterion's list of drug classes with a dose for each of its drugs, when it asks for
    a number of classes and names doses of two drugs or more; None otherwise."""
    count = _CLASS_COUNT_RE.search(text)
    if count is None:
        return None
    parts = sub_items(text)
    items = [(s, e) for s, e in parts.items] if parts is not None else []
    doses: list[DrugDose] = []
    end = count.end()
    for m in _DRUG_DOSE_RE.finditer(text, count.end()):
        names = book().ingredients_in(m["drugs"])
        if not names:
            continue
        item = next(((s, e) for s, e in items if s <= m.start() < e), None)
        for name in names:
            classes = book().classes_of(name)
            group = (
                _group_words(text[item[0] : item[1]])
                if item
                else book().label(classes[0])
                if classes
                else name
            )
            doses.append(DrugDose(name, number_value(m["n"]), group))
        end = max(end, m.end())
    if len({d.ingredient for d in doses}) < 2:
        return None
    stop = text.rfind(". ", 0, count.start())
    sentence = stop + 2 if stop >= 0 else 0
    lead = text[count.start() : (items[0][0] if items and items[0][0] > count.end() else end)]
    took = _FOR_RE.search(lead)
    days = int(took["n"]) * _UNIT_DAYS[took["unit"].lower().rstrip("s")] if took else None
    return ClassList(
        span=count.group(0).strip(),
        need=word_number(count["n"]) or 0,
        doses=tuple(doses),
        days=days,
        sooner=allows_stopping_sooner(lead),
        start=sentence,
        end=end,
    )


@dataclass(frozen=True)
class Course:
    """One course of a listed drug against its own drug's dose."""

    trial: Trial
    dose: DrugDose
    mg_per_day: float | None
    days: float | None
    counts: bool
    why: str
    """'300 mg/day, at least the 300 mg/day asked; 12 weeks' or why it does not count."""


def _course_days(t: Trial, as_of: dt.date) -> float | None:
    if t.days is not None:
        return float(t.days)
    if t.start is not None and t.end is None:
        return float((as_of - t.start).days)
    return t.stated_days


def courses(listed: ClassList, trials: list[Trial], as_of: dt.date) -> list[Course]:
    """Every course of a listed drug, compared with its own drug's dose and the length asked."""
    out = []
    for t in trials:
        dose = next((d for d in listed.doses if d.ingredient == t.ingredient), None)
        if dose is None:
            continue
        mg = daily_mg(t)
        days = _course_days(t, as_of)
        parts = []
        ok = mg is not None and mg >= dose.mg_per_day
        if mg is None:
            parts.append(f"dose {t.treatment.dose or 'not recorded'}, not in mg per day")
        else:
            side = "at least" if ok else "below"
            parts.append(f"{mg:,g} mg/day, {side} the {dose.mg_per_day:,g} mg/day asked")
        if listed.days is not None:
            long_enough = days is not None and days >= listed.days
            weeks = f"{days / 7:.0f} weeks" if days is not None else "length not recorded"
            if long_enough:
                parts.append(weeks)
            elif listed.sooner and stopped_for_reaction(t):
                parts.append(f"{weeks}, stopped for intolerance")
            else:
                parts.append(f"{weeks}, short of the {listed.days // 7} weeks asked")
                ok = False
        when = f" from {fmt_date(t.start)}" if t.start else ""
        out.append(Course(t, dose, mg, days, ok, f"{t.name}{when}: {', '.join(parts)}"))
    return out


def counted_classes(listed: ClassList, found: list[Course]) -> dict[str, list[Course]]:
    """The classes with a course that counts, each with its counting courses."""
    out: dict[str, list[Course]] = {}
    for c in found:
        if c.counts:
            out.setdefault(c.dose.group, []).append(c)
    return out
