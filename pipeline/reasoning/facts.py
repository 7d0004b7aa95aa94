"""The case's facts as typed values: treatments with classes, dates, durations and outcomes;
findings with the quantity they measure. Parsed once per case (:func:`case_facts`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field

from ..models import CaseFacts, Finding, PriorTreatment
from ..text import literal
from ..text.dates import find_dates
from ..text.numbers import NUMBER_WORDS
from .classes import DATA, book
from .meaning import KIND_WORDS, Candidate, Meaning, numbers_in, unit_key
from .results import Polarity, result_polarity
from .units import canonical_units, canonical_words, reported_value

DAYS_PER_MONTH = 30.4375
_UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": DAYS_PER_MONTH, "year": 365.25}
_COUNT_WORDS = NUMBER_WORDS | {"single": 1, "a": 1}
"""The shared number words, plus the two that count one trial or course."""
_SPAN_RE = re.compile(
    r"(\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten)[\s-]*"
    r"(day|week|month|year)s?\b(?:\s+at\s+([\d.,]+\s*\w+))?",
    re.IGNORECASE,
)
_SESSIONS_RE = re.compile(r"(\d+)\s+(?:sessions|visits)\b", re.IGNORECASE)
_COUNT_RE = re.compile(
    r"(?<![-/.])\b(\d+|one|two|three|four|five|six|single|a)\s+(?:[a-z][\w-]*\s+)?"
    r"(?:injections?|blocks?|courses?|trials?|doses|infusions)\b",
    re.IGNORECASE,
)
_FAILED_RE = re.compile(
    r"inadequate|no (?:meaningful |durable |significant |lasting |sustained )?"
    r"(?:response|improvement|benefit|relief)"
    r"|transient|short-lived|fail|partial|not effective|ineffective|worse|declin|no remission"
    r"|persist|did not|lost response|loss of (?:response|efficacy)|secondary failure"
    r"|unsuccessful|refractory|unchanged|no change"
    r"|(?:limited|minimal|little) (?:benefit|improvement|response)",
    re.IGNORECASE,
)
_INTOLERANT_RE = re.compile(
    r"intoleran|not tolerated|discontinu|adverse|side effect"
    # 'stopped after 2 weeks for chest tightness': a stop for a reason, a time between
    r"|stopped (?:(?:after|at|within) [\w ]{1,20}? )?(?:due to|for|because)"
    r"|led to (?:discontinuation|stopping)",
    re.IGNORECASE,
)
_DENIED_BEFORE_RE = re.compile(
    r"\b(?:no|without|denies|denied|free of|never|nor|absence of)\b"
    r"(?:(?:\s+[\w-]+){1,3}\s+(?:or|nor)\b)?(?:\s+[\w-]+){0,2}\s*$",
    re.IGNORECASE,
)
"""Words right before an outcome's word of intolerance that deny it ('no adverse events',
'without side effects', 'no intraocular inflammation or other adverse event')."""


def _intolerant(outcome: str) -> bool:
    """Whether a trial's outcome states an intolerance: a word of it not denied ('tolerated
    well, no adverse events' states none)."""
    return any(
        not _DENIED_BEFORE_RE.search(outcome, 0, m.start())
        for m in _INTOLERANT_RE.finditer(outcome)
    )


_AUGMENT_RE = re.compile(r"augment|adjunct|add-?on", re.IGNORECASE)


def _number(text: str) -> float:
    return float(text) if text[0].isdigit() else float(_COUNT_WORDS[text.lower()])


_AGE_AFTER_RE = re.compile(r"\s*(?:old\b|of age\b)|-old\b", re.IGNORECASE)
_AGE_BEFORE_RE = re.compile(r"\b(?:aged?|at age)\s*$", re.IGNORECASE)


def _is_age(text: str, m: re.Match[str]) -> bool:
    """Whether a length of time is a person's age ('a 37-year-old man', '75 years old', 'aged
    58 years'), which is no length of anything a requirement measures."""
    return bool(
        _AGE_AFTER_RE.match(text, m.end(2) + (1 if text[m.end(2) : m.end(2) + 1] == "s" else 0))
        or _AGE_BEFORE_RE.search(text[: m.start()])
    )


def spans_in(text: str) -> list[float]:
    """The lengths of time a text states, in days ('a 6-month program' -> [182.6]); a person's
    age ('a 37-year-old man') is none."""
    return [
        _number(m.group(1)) * _UNIT_DAYS[m.group(2).lower()]
        for m in _SPAN_RE.finditer(text)
        if not _is_age(text, m)
    ]


@dataclass(frozen=True)
class Trial:
    """A prior treatment, typed."""

    path: str
    index: int
    treatment: PriorTreatment
    ingredient: str | None
    classes: tuple[str, ...]
    """FDA established pharmacologic classes (or the supplement's)."""
    groups: frozenset[str]
    """Names of the groups (classes.yaml) the treatment belongs to."""
    days: int | None
    """End minus start, when both dates are known."""
    stated_days: float | None
    """The first duration the text states ('14 weeks' -> 98), when it states one."""
    days_at_dose: float | None
    """Time at the final dose when the text states it ('8 weeks at 200 mg' -> 56)."""
    sessions: int | None
    count: int
    """How many administrations the text states ('two injections' -> 2; the dates it lists,
    'injections on 2026-06-10 and 2026-07-15' -> 2; else 1)."""
    failed: bool
    intolerant: bool
    augmentation: bool
    given: tuple[dt.date, ...] = ()
    """The administrations' dates the text lists ('injections on 2026-06-10 and 2026-07-15'),
    when it lists two or more; else ()."""

    @property
    def name(self) -> str:
        return re.sub(r"\s*\([^)]*\)", "", self.treatment.name).strip()

    @property
    def start(self) -> dt.date | None:
        return self.treatment.start

    @property
    def end(self) -> dt.date | None:
        return self.treatment.end

    @property
    def total_days(self) -> float | None:
        return float(self.days) if self.days is not None else self.stated_days

    @property
    def adequate_days(self) -> float | None:
        """Time at the final dose when stated, else the whole trial."""
        return self.days_at_dose if self.days_at_dose is not None else self.total_days

    @property
    def class_label(self) -> str:
        if self.classes:
            return book().label(self.classes[0])
        return ""


class _Measure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    unit: str
    words: list[str]
    icd: list[str] = []
    """ICD-10-CM prefixes of the conditions the score belongs to (empty: any condition)."""
    better: Literal["lower", "higher"] | None = None
    """The direction an improvement of the score takes."""
    label: str | None = None
    """How a letter names the value, when not by ``name`` ('CDAI')."""
    valid_max: float | None = None
    """A value above this is no valid reading of the quantity (an ankle-brachial index above
    1.3: non-compressible vessels): it does not meet a threshold on the quantity."""
    invalid: str = ""
    """Why such a value is not valid, and what measures the quantity instead."""
    plausible: tuple[float, float] | None = None
    """The range a value computed from other findings must fall in to be a reading of the
    quantity (a BMI from weight and height): outside it the computation read the wrong figures."""

    def fits(self, diagnoses: tuple[str, ...]) -> bool:
        """Whether the score is one of the case's conditions' (always, without diagnoses or
        without ``icd``)."""
        codes = [d.upper().replace(".", "") for d in diagnoses]
        return not self.icd or not codes or any(c.startswith(tuple(self.icd)) for c in codes)

    @property
    def word_re(self) -> re.Pattern[str]:
        return _compiled("|".join(self.words))


class _Concept(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    words: list[str]
    facts: list[str]
    kinds: list[str] = []
    functional: bool = False
    details: bool = False
    items: dict[str, list[str]] = {}
    """The distinct things a count of the concept counts ('speech therapy': its patterns)."""

    def items_in(self, text: str) -> list[str]:
        """The items the text names, in the book's order."""
        return [k for k, v in self.items.items() if _compiled("|".join(v)).search(text)]

    @property
    def word_re(self) -> re.Pattern[str]:
        return _compiled("|".join(self.words))

    @property
    def fact_re(self) -> re.Pattern[str]:
        return _compiled("|".join(self.facts))


Concept = _Concept
"""A finding or fact named by meaning (measures.yaml ``concepts``)."""


class _FactKind(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    words: list[str]
    kinds: list[str]

    @property
    def word_re(self) -> re.Pattern[str]:
        return _compiled("|".join(self.words))


class _ConditionGroup(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    words: list[str]
    icd: list[str]
    """ICD-10-CM code prefixes of the kind."""

    @property
    def word_re(self) -> re.Pattern[str]:
        return _compiled("|".join(self.words))


ConditionGroup = _ConditionGroup
"""A kind of diagnosis a criterion counts (measures.yaml ``condition_groups``)."""


class _Progress(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    words: list[str]
    """A criterion asking for progress, response or adherence."""
    unless: list[str]
    """Words just before such a phrase that make it a failed trial ('inadequate response')."""
    outcome: list[str]
    """A treatment's outcome that speaks of its progress (or of its interruption)."""
    measures: list[str]
    """A finding that measures progress toward goals ('goals mastered', 'milestones')."""
    explains: list[str]
    """A fact explaining stalled progress: a staffing gap, missed sessions, a hospitalisation."""

    def asks(self, criterion: str) -> bool:
        """Whether the criterion asks for progress (a phrase not just after a failure word)."""
        unless = _compiled("|".join(self.unless))
        for match in _compiled("|".join(self.words)).finditer(criterion):
            if not unless.search(criterion[max(0, match.start() - 25) : match.start()]):
                return True
        return False

    def re(self, name: str) -> re.Pattern[str]:
        """One of the word lists as a pattern."""
        return _compiled("|".join(getattr(self, name)))


Progress = _Progress
"""What a criterion asking for progress reads (measures.yaml ``progress``)."""


class MeasureBook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    measures: list[_Measure]
    concepts: list[_Concept]
    treatment_words: list[str]
    """Words by which a requirement names a treatment the class book has no group for."""
    fact_kinds: list[_FactKind]
    """Words by which a requirement names the kind of finding that answers it."""
    condition_groups: list[_ConditionGroup] = []
    age_words: list[str] = []
    """A threshold in years stated of a person's age."""
    relative_words: list[str] = []
    """The criterion speaks of a relative's age."""
    event_words: list[str] = []
    """The age at an event (a diagnosis, an onset)."""
    change_words: dict[str, list[str]] = {}
    """'decrease' / 'increase': a requirement measuring a change between two dated findings."""
    named_records: list[str] = []
    """A named record whose content a requirement asks about ('the procedure report identifies
    the levels'): only that record answers it."""
    effect_words: list[str] = []
    """A length asked of an effect or response ('relief ... for at least 6 months'): counted
    from the effect's own dates, never from the condition's onset."""
    maximal_dose: list[str] = []
    """A requirement that a dose be the highest tolerated or allowed."""
    dose_limit: list[str] = []
    """A fact stating why a dose is not raised."""
    specialties: dict[str, list[str]] = {}
    """A specialty and the patterns that name it (in a requirement and in the case)."""
    specialty_pending: list[str] = []
    """Words of a sentence that only plans a specialist's visit (a referral, an appointment)."""
    test_scheduled: list[str] = []
    """Words of a fact saying a test is ordered or scheduled, not yet done."""
    test_resulted: list[str] = []
    """Words of a result: a fact holding them tells a done test, whatever else it says."""
    care_required: list[str] = []
    """Words of an event asked to have needed care ('that required medical treatment')."""
    care_encounters: list[str] = []
    """Words of a record of an encounter of care (an emergency visit, an admission, sutures)."""
    target_volumes: list[str] = []
    """Words naming a plan's target volume or its coverage (never a structure spared)."""
    occasion_words: list[str] = []
    """Words of a count of dated events ('occasions', 'visits', 'episodes'), not of a reading."""
    plan_records: list[str] = []
    """Words naming a record that plans, orders or asks for care (a treatment plan, a safety
    plan, an order, a referral): its date is when it was written, never when an event it names
    took place."""
    progress: _Progress | None = None
    """A criterion asking for progress and the facts that bear on it."""
    opposites: dict[str, list[str]] = {}
    """A requirement's words -> the words of a fact that says the opposite."""
    negated: list[str] = []
    """Words before a requirement's own term that deny it in a fact."""
    advice: list[str] = []
    """A sentence advising or ruling out a treatment (no trial of it)."""
    advised: list[str] = []
    """Words of a requirement asking for a treatment's course or labeled bar (advice is none)."""
    taken: list[str] = []
    """Words of a sentence stating a treatment was taken (advice in it leaves it a trial)."""
    sites: dict[str, list[str]] = {}
    """Body sites and the patterns naming them."""
    sides: dict[str, list[str]] = {}
    """Sides of the body ('left', 'right') and the patterns naming them."""
    labels: list[str] = []
    """Patterns naming a lesion's or specimen's own label (group 1: the label)."""
    qualifiers: dict[str, list[str]] = {}
    """A qualifier of a requirement ('recurrent') -> the words of a fact that state it."""
    head_generic: list[str] = []
    """Content words of a requirement that name no concept of their own ('high', 'risk')."""
    aliases: list[list[str]] = []
    """Groups of words that name one concept ('icd', 'defibrillator')."""
    event_heads: list[str] = []
    """Stems of the words a requirement turns on when it names an event or a measure of a
    thing ('removal' of the valve, 'failure' of the device): a fact must state one of them."""
    distance: _Distance | None = None
    """A requirement measuring the member's travel to a provider."""
    interval: list[str] = []
    """Words of a requirement asking for a spacing since the last dose or procedure."""

    def sites_in(self, text: str) -> frozenset[str]:
        """The body sites a text names."""
        return frozenset(k for k, v in self.sites.items() if _compiled("|".join(v)).search(text))

    def _sides_in(self, text: str) -> frozenset[str]:
        return frozenset(k for k, v in self.sides.items() if _compiled("|".join(v)).search(text))

    def _labels_in(self, text: str) -> frozenset[str]:
        return frozenset(
            m.group(1).upper() for p in self.labels for m in _compiled(p).finditer(text)
        )

    def elsewhere(self, asked: str, fact: str) -> bool:
        """Whether the fact is about another lesion than the one asked about: it names only
        other body sites, only the other side, or only other lesion or specimen labels than the
        requirement's words do (pathology of the right cheek, or of specimen A, is no answer for
        the left nasal ala, or for specimen B)."""
        return self.elsewhere_of(asked)(fact)

    def elsewhere_of(self, asked: str) -> Callable[[str], bool]:
        """``elsewhere`` of the requirement's words, for every fact: the words are read once
        (a verdict weighs every fact against the same words, which hold the criterion's whole
        text: read again for each fact, ~6 ms of a draft on the examples)."""
        finders = (self.sites_in, self._sides_in, self._labels_in)
        wanted = [(found, sites) for found in finders if (sites := found(asked))]

        def away(fact: str) -> bool:
            for found, sites in wanted:
                theirs = found(fact)
                if theirs and not theirs & sites:
                    return True
            return False

        return away

    def unqualified(self, asked: str, fact: str) -> bool:
        """Whether the requirement's words carry a qualifier ('recurrent', 'refractory',
        'progressive', 'primary') the fact does not state: such a fact never shows it (the
        record must say 'recurrent' for the letter to)."""
        return self.unqualified_of(asked)(fact)

    def unqualified_of(self, asked: str) -> Callable[[str], bool]:
        """``unqualified`` of the requirement's words, for every fact (the words read once)."""
        negation = "|".join(self.negated) or r"(?!x)x"
        # 'no recurrence' does not state it
        before = _compiled(rf"(?:{negation})\W+(?:[\w-]+\W+){{0,2}}$")
        wanted = [
            _compiled("|".join(states))
            for words, states in self.qualifiers.items()
            if _compiled(words).search(asked)
        ]

        def lacks(fact: str) -> bool:
            for states in wanted:
                said = [m.start() for m in states.finditer(fact)]
                if not any(not before.search(fact[max(0, at - 40) : at]) for at in said):
                    return True
            return False

        return lacks

    def heads(self, asked: str) -> frozenset[str]:
        """The terms a fact must state to assert what the requirement's words name: their
        content-word stems less the generic ones."""
        from ..evidence import tokens

        generic = set(self.head_generic)
        return frozenset(t for t in tokens(asked) if t not in generic and not t.isdigit())

    def stated_heads(self, heads: frozenset[str], fact: str) -> frozenset[str]:
        """The terms of ``heads`` the fact states, itself or by an alias of its group."""
        from ..evidence import tokens

        said = tokens(fact)
        low = fact.lower()
        out = set(heads & said)
        for head in heads - said:
            for group in self.aliases:
                named = any(head.startswith(a) or a.startswith(head) for a in group if " " not in a)
                if named and any(a in low for a in group):
                    out.add(head)
                    break
        return frozenset(out)

    def events(self, heads: frozenset[str]) -> frozenset[str]:
        """Of a requirement's terms, those naming the event or measure it turns on."""
        return frozenset(h for h in heads if h.startswith(tuple(self.event_heads)))

    def fits(self, asked: str, fact: str) -> bool:
        """Whether a fact may answer the requirement's words at all: about the same lesion and
        stating every qualifier they carry."""
        return not self.elsewhere(asked, fact) and not self.unqualified(asked, fact)

    def denies(self, asked: str, fact: str) -> bool:
        """Whether the fact says the opposite of what the requirement's words ask: an opposite
        ('immunocompetent' for 'immunocompromised') or the requirement's own term negated ('no
        history of seizures'). A requirement asking for an absence is never denied here."""
        if re.match(r"\s*(?:no|not|absence|free of|without|never|negative)\b", asked, re.I):
            return False
        advice = self.words_re("advice").search(fact) and not self.words_re("taken").search(fact)
        if advice and self.words_re("advised").search(asked):
            return True  # advice against a drug is no trial, intolerance or contraindication
        for wanted, opposite in self.opposites.items():
            if _compiled(wanted).search(asked) and _compiled("|".join(opposite)).search(fact):
                return True
        negation = "|".join(self.negated)
        if not negation:
            return False
        # a negation, then up to three words, right before the term's stem: the stem is found
        # as a literal and the words before it are read by one pattern ending where it starts
        # (a pattern holding the requirement's own words was compiled for every draft)
        negated_before = _compiled(rf"(?:{negation})\W+(?:[\w-]+\W+){{0,3}}\Z")
        for term in set(re.findall(r"[a-z]{6,}", asked.lower())):
            stem = term[:-1] if term.endswith("s") else term
            for at, _ in literal.finditer(fact, stem, ignore_case=True):
                if negated_before.search(fact, 0, at):
                    return True
        return False

    def measure(self, name: str) -> _Measure | None:
        """The measure of that name (the first, when two share it); None when none is."""
        return next((m for m in self.measures if m.name == name), None)

    def label(self, name: str) -> str:
        """How a letter names a measure's value: its ``label``, else its name."""
        return next((m.label for m in self.measures if m.name == name and m.label), name)

    def measures_for(self, diagnoses: tuple[str, ...]) -> list[_Measure]:
        """The measures in the book's order, a score of another condition than the case's last
        (an abbreviation that names two scores, CDAI, reads as the case's condition's)."""
        return sorted(self.measures, key=lambda m: not m.fits(diagnoses))

    def specialties_in(self, text: str) -> list[str]:
        """The specialties a text names, in the book's order."""
        return [k for k, v in self.specialties.items() if _compiled("|".join(v)).search(text)]

    def words_re(self, name: str) -> re.Pattern[str]:
        """One of the word lists above as a pattern (one that matches nothing when empty)."""
        words: list[str] = getattr(self, name)
        return _compiled("|".join(words) or r"(?!x)x")

    def change_of(self, text: str) -> str | None:
        """'decrease' or 'increase' when the text measures a change, else None; an
        'improvement' is the direction the score it names improves in."""
        for direction, words in self.change_words.items():
            if not _compiled("|".join(words)).search(text):
                continue
            if direction != "improve":
                return direction
            for measure in self.measures:
                if measure.better and measure.word_re.search(text):
                    return "decrease" if measure.better == "lower" else "increase"
            return None
        return None

    def improves(self, text: str) -> bool:
        """Whether the text asks for an improvement (not a plain rise or fall)."""
        words = self.change_words.get("improve", [])
        return bool(words) and bool(_compiled("|".join(words)).search(text))

    @property
    def treatment_re(self) -> re.Pattern[str]:
        return _compiled("|".join(self.treatment_words))


class _TravelUnit(BaseModel):
    family: Literal["miles", "minutes"]
    """The base unit the value is stated in ('miles', 'minutes')."""
    factor: float = Field(gt=0)
    """One of this unit in the family's base unit (1 hour = 60 minutes)."""
    words: list[str]

    @property
    def word_re(self) -> re.Pattern[str]:
        return _compiled(r"(\d+(?:\.\d+)?)\s*-?\s*(?:" + "|".join(self.words) + ")")


class _Distance(BaseModel):
    """How a requirement measures travel and how the case states it (measures.yaml)."""

    units: dict[str, _TravelUnit]
    network: list[str]
    """Words of a fact about the nearest in-network provider."""
    travel: list[str]
    """Words of a fact about travel from the member's home."""
    farther: list[str]
    """Words setting a requirement's direction: the nearest provider must be farther."""
    nearer: list[str]
    """Words setting it the other way: a provider must be within it."""

    def amounts(self, text: str) -> list[tuple[float, str]]:
        """Every distance or time a text states, in its family's base unit."""
        out: list[tuple[float, str]] = []
        for unit in self.units.values():
            out += [
                (float(m.group(1)) * unit.factor, unit.family) for m in unit.word_re.finditer(text)
            ]
        return out

    def family_of(self, unit: str | None) -> tuple[str, float] | None:
        """A requirement's unit as (family, factor), None when it is no travel unit."""
        for unit_ in self.units.values():
            if unit and _compiled("^(?:" + "|".join(unit_.words) + ")$").match(unit.strip()):
                return unit_.family, unit_.factor
        return None


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@cache
def measure_book() -> MeasureBook:
    return MeasureBook.model_validate(
        yaml.safe_load((DATA / "measures.yaml").read_text(encoding="utf-8"))
    )


@dataclass(frozen=True)
class Observation:
    """An objective finding (or a sentence of the summary), typed."""

    path: str
    kind: str
    """The finding kind, or 'summary'."""
    name: str
    text: str
    """Name, value and interpretation, as one string."""
    date: dt.date | None
    finding: Finding | None = None
    polarity: Polarity | None = None
    """A qualitative result's polarity as its value states it ('Non-reactive', 'Not detected':
    negative), read once here."""


@dataclass
class Facts:
    """Every typed fact of one case."""

    trials: list[Trial]
    observations: list[Observation]
    episode_start: dt.date | None
    as_of: dt.date | None = None
    """The date an ongoing trial is counted to (the letter's date)."""
    documents: list[Observation] = field(default_factory=list)
    """The records enclosed (``documents[i]``), by title and date (kind 'document'): a
    consultation, an evaluation or a team review the case names only as a record's title."""
    birth: dt.date | None = None
    """The patient's date of birth."""
    by_path: dict[str, object] = field(default_factory=dict)
    meaning: Meaning = field(default_factory=lambda: Meaning([]))
    """The same facts for choosing by meaning (embedded on first use)."""


_EPISODE_RE = re.compile(
    r"(?:current|present)[\w\s-]{0,30}?episode[\w\s]{0,20}?(?:began|started|since|onset)\s+(?:in\s+)?"
    r"([A-Z][a-z]+)\s+(\d{4})",
)
_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES.split(), start=1)}


def episode_start(case: CaseFacts) -> dt.date | None:
    """When the current episode began, from the clinical summary ('episode began in September
    2024' -> 2024-09-01)."""
    match = _EPISODE_RE.search(case.clinical_summary or "")
    if not match or match.group(1).lower() not in _MONTHS:
        return None
    return dt.date(int(match.group(2)), _MONTHS[match.group(1).lower()], 1)


def _trial(index: int, t: PriorTreatment, as_of: dt.date | None = None) -> Trial:
    classes = book()
    ingredient = classes.ingredient_in(t.name) if t.kind in ("medication", "procedure") else None
    groups = frozenset(
        g.name for g in classes.groups if classes.covers(g, ingredient, t.name, t.kind)
    ) | {epc.lower() for epc in (classes.classes_of(ingredient) if ingredient else ())}
    duration = t.duration or ""
    stated = at_dose = None
    for match in _SPAN_RE.finditer(duration):
        days = _number(match.group(1)) * _UNIT_DAYS[match.group(2).lower()]
        if match.group(3) and at_dose is None:
            at_dose = days
        elif stated is None:
            stated = days
    sessions_m = _SESSIONS_RE.search(f"{duration} {t.frequency or ''}")
    count_m = _COUNT_RE.search(f"{t.frequency or ''} {duration} {t.name}")
    given = _administrations(f"{t.frequency or ''} {duration}")
    outcome = f"{t.outcome or ''} {t.outcome_measure or ''}"
    return Trial(
        path=f"prior_treatments[{index}]",
        index=index,
        treatment=t,
        ingredient=ingredient,
        classes=classes.classes_of(ingredient) if ingredient else (),
        groups=groups,
        days=_days(t, as_of),
        stated_days=stated,
        days_at_dose=at_dose,
        sessions=int(sessions_m.group(1)) if sessions_m else None,
        count=len(given) if given else int(_number(count_m.group(1))) if count_m else 1,
        given=given,
        failed=bool(_FAILED_RE.search(outcome)),
        intolerant=_intolerant(t.outcome or ""),
        augmentation=bool(_AUGMENT_RE.search(t.name))
        or ("augmentation" in groups and "antidepressant" not in groups),
    )


_GIVEN_RE = re.compile(
    r"\b(?:injections?|infusions?|doses?|administrations?|given|administered)\b", re.IGNORECASE
)


def _administrations(text: str) -> tuple[dt.date, ...]:
    """The dates of the administrations a treatment's frequency lists ('injections on 2026-06-10
    and 2026-07-15'), in order, when it names administrations and lists two or more dates."""
    if not _GIVEN_RE.search(text):
        return ()
    dates = sorted({d for d, _ in find_dates(text)})
    return tuple(dates) if len(dates) >= 2 else ()


def _observation(index: int, f: Finding) -> Observation:
    text = " ".join(p for p in (f.name, f.value, f.interpretation or "") if p)
    path = f"objective_findings[{index}]"
    return Observation(path, f.kind, f.name, text, f.date, f, result_polarity(f.value))


def _days(t: PriorTreatment, as_of: dt.date | None) -> int | None:
    """Days from start to end; an ongoing trial counts to ``as_of`` (the letter's date)."""
    if t.start and t.end:
        return (t.end - t.start).days
    if t.start and as_of and t.ongoing and as_of > t.start:
        return (as_of - t.start).days
    return None


def _treatment_candidate(t: Trial) -> Candidate:
    from ..evidence import treatment_sentence

    kind = KIND_WORDS.get(t.treatment.kind, "treatment")
    return Candidate(
        t.path,
        "treatment",
        t.treatment.kind,
        f"{kind}: {treatment_sentence(t.treatment)}",
        t.end or t.start,
        numbers_in(canonical_units(t.treatment.outcome_measure or "")),
        read=canonical_words(f"{kind}: {treatment_sentence(t.treatment, dated=False)}"),
    )


def _observation_candidate(o: Observation) -> Candidate:
    """A fact as the checks choose it: its numbers in the units compared (a lab value written
    as a number alone in the unit its test is reported in), its words with one date form and
    one spelling of each unit (an equivalent wording reads the same)."""
    if o.kind == "document":
        return Candidate(o.path, "document", "", f"enclosed record: {o.text}", o.date, ())
    numbers = numbers_in(canonical_units(o.text))
    if o.finding is not None and (bare := reported_value(o.finding)) is not None:
        numbers += ((bare[0], unit_key(bare[1]) or bare[1]),)
    if o.kind == "summary":
        return Candidate(o.path, "summary", "", o.text, o.date, numbers, _read(o.text))
    text = f"{KIND_WORDS.get(o.kind, 'finding')}: {o.text}"
    return Candidate(o.path, "finding", o.kind, text, o.date, numbers, _read(text))


def _read(text: str) -> str:
    """What the embedding reads of a fact when its words are not already in the one form."""
    read = canonical_words(text)
    return read if read != text else ""


def case_facts(
    case: CaseFacts,
    as_of: dt.date | None = None,
    embedder: Callable[[list[str]], np.ndarray] | None = None,
) -> Facts:
    """The case's typed facts; an ongoing trial's days are counted to ``as_of``; ``embedder``
    embeds them for choosing by meaning (``Meaning.embedder``)."""
    from ..evidence import split_sentences

    trials = [_trial(i, t, as_of) for i, t in enumerate(case.prior_treatments)]
    observations = [_observation(i, f) for i, f in enumerate(case.objective_findings)]
    for i, sentence in enumerate(split_sentences(case.clinical_summary or "")):
        dates = find_dates(sentence)
        when = dates[0][0] if dates else None
        observations.append(Observation(f"clinical_summary[{i}]", "summary", "", sentence, when))
    documents = [
        Observation(f"documents[{i}]", "document", d.title, d.title, d.date)
        for i, d in enumerate(case.documents)
    ]
    candidates = [_treatment_candidate(t) for t in trials]
    candidates += [_observation_candidate(o) for o in observations + documents]
    return Facts(
        trials=trials,
        observations=observations,
        episode_start=episode_start(case),
        as_of=as_of,
        documents=documents,
        birth=case.patient.date_of_birth,
        meaning=Meaning(candidates, embedder),
    )
