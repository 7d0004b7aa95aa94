"""A verdict per requirement, computed: met / not met / unknown, with the arithmetic.

For each criterion the facts that bear on it are chosen by meaning: the drug and therapy groups its
wording names (FDA classes, ingredients, treatment kinds), the quantity it measures, the finding it
asks for. Each typed requirement is then checked against those facts: counts of failed trials,
distinct classes, durations from dates (each trial, the best trial, or a continuous course), doses,
measurements against thresholds, time windows and overlap of date ranges.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import cache

import numpy as np
from pydantic import BaseModel, Field

from ..letter_format import PAYER_NOT_APPLICABLE, fmt_date
from ..models import (
    CaseFacts,
    Criterion,
    CriterionVerdict,
    DenialAnalysis,
    Requirement,
    RequirementKind,
    RequirementVerdict,
)
from ..models import VerdictStatus as Status
from ..payer_findings import conceded_clauses
from ..requirements import sub_items
from ..text import literal
from ..text.acronyms import initials, spells
from ..text.dates import DATE_RE, MONTH_NAME, add_months, find_dates, month_number, years_between
from ..text.numbers import NUMBER, number_value, word_number
from . import quantity, scores, strength
from .applies import not_for, sex_in
from .classes import Group, book
from .classes import book as classes_book
from .doses import (
    ClassList,
    allows_stopping_sooner,
    class_list,
    counted_classes,
    courses,
    current_opioids,
    daily_dose_shown,
    daily_mg,
    mme_limit,
    stopped_for_reaction,
    weekly,
)
from .facts import (
    DAYS_PER_MONTH,
    Concept,
    Facts,
    Observation,
    Progress,
    Trial,
    case_facts,
    measure_book,
    spans_in,
)
from .grounds import owns
from .meaning import (
    FLOOR,
    GENERIC_SUBJECTS,
    MARGIN,
    MAX_FACTS,
    TIE,
    Candidate,
    allowed,
    numbers_in,
    query_of,
    unit_key,
)
from .pending import is_pending, report_pending
from .units import converted
from .wording import requirement_words

CHECKABLE = frozenset(
    {
        RequirementKind.trial_count,
        RequirementKind.class_count,
        RequirementKind.duration,
        RequirementKind.dose_adequacy,
        RequirementKind.threshold,
        RequirementKind.test_done,
        RequirementKind.absence,
        RequirementKind.time_window,
        RequirementKind.concurrency,
    }
)
"""Kinds the code can check; an unmet or unknown one of these is a gap before drafting."""

_CMP: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq,
}  # fmt: skip
_CMP_WORDS = {
    ">=": "at least", ">": "more than", "<=": "at most", "<": "less than", "==": "exactly",
}  # fmt: skip
_UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": DAYS_PER_MONTH, "year": 365.25}
_CONTINUOUS_GAP_DAYS = 7
"""Courses separated by at most this many days count as one continuous course."""
_NEGATIVE_RE = re.compile(
    r"\bnegative\b|\bnot met\b|\bno (?:evidence|history|active|current)\b|\bnone\b|\bdenies\b"
    r"|\babsent\b|\bno substance\b|\bnon-?smoker\b|\bnever smoked\b|\bno \w+ use\b"
    r"|^[^;,]*?\bno [\w-]+ (?:inhibitors?|agonists?|agents?|medications?|drugs?)\b"
    r"|\bwill not (?:have|undergo|include|be (?:done|performed))\b|\bnot (?:planned|requested)\b"
    r"|\bno [\w-]+ (?:is|are) planned\b",
    re.IGNORECASE,
)
_INTOLERANCE_RE = re.compile(r"intoleran|not tolerated", re.IGNORECASE)


# --------------------------------------------------------------------------- helpers


def _days_in(value: float, unit: str | None) -> float | None:
    unit = (unit or "").lower().rstrip("s")
    return value * _UNIT_DAYS[unit] if unit in _UNIT_DAYS else None


def _in_unit(days: float, unit: str | None) -> str:
    """98 days in weeks -> '14 weeks'; in months -> '3.2 months'."""
    unit = (unit or "weeks").lower()
    per = _UNIT_DAYS.get(unit.rstrip("s"), 7.0)
    amount = days / per
    text = f"{amount:.0f}" if abs(amount - round(amount)) < 0.05 else f"{amount:.1f}"
    name = unit if unit.endswith("s") else unit + "s"
    return f"{text} {name[:-1] if text == '1' else name}"


def _num(value: float) -> str:
    return f"{value:g}"


def _required(req: Requirement) -> str:
    """The requirement in a physician's words ('at least 3 months of nonoperative management')."""
    return requirement_words(req)


def _names(trials: Iterable[Trial]) -> str:
    return ", ".join(t.name for t in trials)


def _merge(ranges: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    merged: list[tuple[dt.date, dt.date]] = []
    for start, end in sorted(ranges):
        if merged and (start - merged[-1][1]).days <= _CONTINUOUS_GAP_DAYS:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _overlap(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> int:
    return max(0, (min(a[1], b[1]) - max(a[0], b[0])).days)


# --------------------------------------------------------------------------- scope

_PAREN_RE = re.compile(r"[^(),;.]{0,40}?\(([^()]{3,300})\)")
"""A parenthetical list right after a subject, or a few words on ('from different classes')."""
_ITEM_SPLIT_RE = re.compile(r",|;|/|\bor\b|\band\b", re.IGNORECASE)
_EXAMPLES_RE = re.compile(r"\s*(?:e\.g\.|eg\b|for example|such as|including)", re.IGNORECASE)


def _narrowest(groups: list[Group]) -> list[Group]:
    """The groups one list item names, without those another of them narrows ('an SSRI' names
    the antidepressants and the SSRIs: the SSRIs)."""
    return [
        g
        for g in groups
        if not any(h is not g and h.epc and set(h.epc) < set(g.epc) for h in groups)
    ]


class _Listed:
    """The classes and ingredients a criterion lists in parentheses after a subject."""

    def __init__(self, groups: list[Group], ingredients: set[str], examples: bool) -> None:
        self.groups = groups
        self.ingredients = ingredients
        self.examples = examples

    def group_of(self, trial: Trial) -> str | None:
        """The listed class the trial belongs to ('thiopurine'), or its ingredient's name."""
        for group in self.groups:
            if group.name in trial.groups:
                return group.name
        ingredient = trial.ingredient or ""
        for name in self.ingredients:
            if ingredient.startswith(name) or name.startswith(ingredient or "\0"):
                return name
        return None

    def covers(self, trial: Trial) -> bool:
        return self.group_of(trial) is not None


_AGENT_RE = re.compile(
    r"(?:^|[-•*]\s+|;\s*|,\s*(?:or\s+)?)(?P<brand>[A-Z][\w-]{2,})\s*\((?P<generic>[a-z][a-z-]{4,})\)"
)
_AGENTS_LEAD_RE = re.compile(r"\bof the following\b\s*:?", re.IGNORECASE)


def listed_agents(text: str) -> list[tuple[str, str]]:
    """The drug products a criterion lists after 'of the following' as 'Brand (generic)'
    items, (brand, generic) each; [] when it lists fewer than two."""
    lead = _AGENTS_LEAD_RE.search(text)
    if lead is None:
        return []
    found = [(m["brand"], m["generic"]) for m in _AGENT_RE.finditer(text, lead.end())]
    return found if len(found) >= 2 else []


def _of_agents(t: Trial, agents: list[tuple[str, str]]) -> bool:
    """Whether a course is of one of the listed products: its name writes the brand, or the
    whole nonproprietary name (a biosimilar's suffix included: 'ustekinumab-aekn' is not the
    reference 'ustekinumab')."""
    name = t.treatment.name
    return any(
        re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", name, re.IGNORECASE)
        for agent in agents
        for word in agent
    )


class _Scope:
    """The facts of one criterion, chosen by meaning."""

    def __init__(
        self, facts: Facts, criterion: Criterion, claimed: set[str], reference: dt.date
    ) -> None:
        self.facts = facts
        self.criterion = criterion
        self.claimed = claimed
        self.reference = reference
        self.groups = book().groups_in(criterion.text)
        self.details = ""
        """The requested service's details (where a stay's disciplines and intensity are)."""
        self.diagnoses: tuple[str, ...] = ()
        """The case's ICD-10-CM codes (which adequate-dose rows apply)."""
        self.conditions: tuple[tuple[str, str], ...] = ()
        """(path, description) of each of the case's diagnoses (which listed conditions it has)."""
        self.product = ""
        """The requested service's description (a drug's strength per unit, for a quantity)."""
        self.physician_specialty = ""
        """The signing physician's specialty."""
        self.physician_name = ""
        """The signing physician's name."""
        self.coded: tuple[tuple[str, str, str], ...] = ()
        """(path, code, description) of each of the case's diagnoses."""
        self.service_dates: tuple[dt.date, ...] = ()
        """The dates of service or of the request the denial states."""
        self.strength = strength.asked(criterion.text)
        """The strength the criterion asks of a course ('prescription', 'potency'): a trial
        short of it (over the counter, low potency) is none of its courses."""
        self.dosed_classes: ClassList | None = None
        """The criterion's list of drug classes at doses (``doses.class_list``), read once."""

    def strong(self, trials: Iterable[Trial]) -> list[Trial]:
        """The trials of the strength the criterion asks for (all, when it asks none)."""
        return [t for t in trials if not strength.short_of(self.strength, t)]

    def weak(self) -> str:
        """The courses of the criterion's drug groups left out as short of the strength it asks
        ('Hydrocortisone 1% cream: taken over the counter'), for the verdict to say; ''."""
        if not self.strength:
            return ""
        names = {g.name for g in self.groups}
        short = [
            f"{t.name}: {why}"
            for t in self.facts.trials
            if t.groups & names and (why := strength.short_of(self.strength, t))
        ]
        return f" (not counted, short of the strength asked: {'; '.join(short)})" if short else ""

    def trials_for(self, groups: list[Group]) -> list[Trial]:
        specific = {g.name for g in groups if not g.generic}
        generic = any(g.generic for g in groups)
        augmentation = "augmentation" in specific or {
            "second-generation antipsychotic", "lithium", "thyroid hormone"
        } & specific  # fmt: skip
        out = []
        for t in self.facts.trials:
            if t.groups & specific:
                if t.augmentation and not augmentation and "antidepressant" in specific:
                    continue  # an augmenting agent is not an antidepressant trial
                out.append(t)
            elif generic and "nonoperative" in t.groups and t.path not in self.claimed:
                out.append(t)
        return self.strong(out)

    def requirement_groups(self, req: Requirement) -> list[Group]:
        """The groups the requirement's subject names (with its listed classes); the
        criterion's when the subject names none or only a catch-all ('pharmacologic therapy',
        'nonoperative management, including physical therapy ...')."""
        own = book().groups_in(req.subject)
        listed = book().groups_in(" ".join(req.classes)) if req.classes else []
        if all(g.generic for g in own):
            own = [*own, *self.groups]
        out: list[Group] = []
        for group in [*own, *listed]:
            if group not in out:
                out.append(group)
        return out

    def listed(self, req: Requirement) -> _Listed | None:
        """The list in parentheses just after the requirement's subject ('two conventional
        therapies (an aminosalicylate, an oral corticosteroid, or a thiopurine)'), read into the
        classes and ingredients it names; None when there is none or it names neither."""
        text = self.criterion.text
        at = text.lower().find(req.subject.lower())
        if at < 0:
            return None
        m = _PAREN_RE.match(text, at + len(req.subject))
        if m is None:
            return None
        body = m.group(1)
        groups: list[Group] = []
        ingredients: set[str] = set()
        for item in _ITEM_SPLIT_RE.split(body):
            ingredient = book().ingredient_in(item)
            if ingredient:
                ingredients.add(ingredient)
            else:
                groups += _narrowest([g for g in book().groups_in(item) if not g.generic])
        if not groups and not ingredients:
            return None
        return _Listed(groups, ingredients, bool(_EXAMPLES_RE.match(body)))

    def names_treatment(self, req: Requirement) -> bool:
        """Whether the requirement's wording names a treatment (a drug or therapy group, or a
        word of ``measures.yaml``'s ``treatment_words``)."""
        text = f"{req.subject} {req.span}"
        if req.subject.lower() in GENERIC_SUBJECTS:  # 'duration': the criterion says of what
            text += f" {self.criterion.text}"
        elif parts := sub_items(self.criterion.text):
            # 'a successful trial of stimulation, demonstrated by: (ii) improvement in
            # function': an item measures the course its lead-in names
            text += f" {self.criterion.text[: parts.head]}"
        if book().groups_in(text) or measure_book().treatment_re.search(text):
            return True
        # a drug the case records a course of ('hypersensitivity or contraindication to
        # allopurinol'): its courses may answer it
        low = text.lower()
        return any(
            t.ingredient and re.search(rf"\b{re.escape(t.ingredient)}\b", low)
            for t in self.facts.trials
        )

    def by_meaning(
        self,
        req: Requirement,
        keep: Callable[[Candidate], bool] | None = None,
        margin: float = MARGIN,
        limit: int = MAX_FACTS,
        floor: float = FLOOR,
    ) -> list[Candidate]:
        """The facts nearest to the requirement's wording, of the kinds that can answer it
        (at least ``floor`` similar, within ``margin`` of the nearest, at most ``limit``)."""
        allow = allowed(req, self.names_treatment(req))
        query = query_of(req, self.criterion.text)
        # a fact about another lesion (site, side, label) than the criterion's answers nothing
        # here (one not stating a qualifier the requirement carries may still deny it)
        here = self.fits(req, qualified=False)

        prefer = frozenset(
            kind for k in measure_book().fact_kinds if k.word_re.search(query) for kind in k.kinds
        )
        return self.facts.meaning.nearest(
            query,
            lambda c: allow(c) and here(c) and (keep is None or keep(c)),
            limit=limit,
            prefer=prefer,
            floor=floor,
            margin=margin,
        )

    def fits(self, req: Requirement, qualified: bool = True) -> Callable[[Candidate], bool]:
        """Whether a fact may answer the requirement: about the lesion its words and the
        criterion's name (site, side, label) and (``qualified``) stating every qualifier its
        own words carry."""
        book = measure_book()
        asked = f"{req.subject} {req.span}"
        away = book.elsewhere_of(f"{asked} {self.criterion.text}")
        lacks = book.unqualified_of(asked) if qualified else None
        return lambda c: not away(c.text) and not (lacks is not None and lacks(c.text))

    def about(self, paths: list[str]) -> list[str]:
        """Of the criterion's facts, those about its lesion and, unless it offers an
        alternative ('recurrent or high-risk'), stating the qualifiers its wording carries."""
        book = measure_book()
        text = self.criterion.text
        texts = {o.path: f"{o.name} {o.text}" for o in self.facts.observations}
        texts |= {t.path: _trial_text(t) for t in self.facts.trials}
        either = bool(_OR_RE.search(text))
        away, lacks = book.elsewhere_of(text), book.unqualified_of(text)

        def kept(path: str) -> bool:
            fact = texts.get(path)
            if fact is None:
                return True
            return not away(fact) and (either or not lacks(fact))

        return [p for p in paths if kept(p)]

    def trials(self, req: Requirement) -> list[Trial]:
        agents = listed_agents(self.criterion.text)
        if agents:
            # the payer names the agents that count ('at least TWO of the following: - Cosentyx
            # (secukinumab) - Selarsdi (ustekinumab-aekn) ...'): a course of an agent it does
            # not list (the reference ustekinumab) is no step, whatever its class
            return self.strong([t for t in self.facts.trials if _of_agents(t, agents)])
        listed = self.listed(req)
        if listed is None and not self.requirement_groups(req):
            # the wording names no group the class book knows: the treatments nearest to it,
            # when it speaks of a treatment at all ('abstinence for 6 weeks' does not)
            near = {
                c.path
                for c in self.by_meaning(req, lambda c: c.kind == "treatment")
                if self.names_treatment(req)
            }
            pool = [t for t in self.facts.trials if t.path in near] or self.named_in_criterion()
        elif listed is None:
            pool = self.trials_for(self.requirement_groups(req))
        else:
            named = [t for t in self.facts.trials if listed.covers(t)]
            # 'e.g.' lists examples: the subject's own groups still count; otherwise the list
            # is the whole set ('(leflunomide, sulfasalazine, or hydroxychloroquine)').
            own = self.trials_for(self.requirement_groups(req)) if listed.examples else []
            pool = [t for t in self.facts.trials if t in named or t in own]
        window = req.window or ""
        if re.search(r"current\b.*episode", window, re.IGNORECASE) and self.facts.episode_start:
            pool = [t for t in pool if t.start is None or t.start >= self.facts.episode_start]
        return self.strong(pool)

    def named_in_criterion(self) -> list[Trial]:
        """The drug trials whose own name or brand the criterion writes ('a preferred CGRP
        antibody (Aimovig or Ajovy)' names the trial 'Erenumab (Aimovig)'), for a drug the
        class book does not know."""
        text = self.criterion.text
        out = []
        for t in self.facts.trials:
            if t.treatment.kind != "medication":
                continue
            names = re.findall(r"[A-Z][A-Za-z-]{4,}", t.treatment.name)
            if any(literal.bounded(text, n) for n in names):
                out.append(t)
        return out

    def observations(self, req: Requirement) -> tuple[str, list[Observation]]:
        """The findings a requirement names, by the quantity or concept: (name, findings).

        A threshold reads its measured quantity from the subject, then the span. A test or an
        absence reads the concept first (a validated instrument, a substance-use assessment),
        and may fall back to the criterion's wording."""
        measured = req.kind in (RequirementKind.threshold, RequirementKind.time_window)
        texts = [f"{req.subject} {' '.join(req.classes)}", req.span]
        if not measured:
            # a finding named by the subject's own words ('neuropsychological evaluation') is
            # what it asks for, before any measure the criterion names beside it ('MoCA ... OR')
            if named := self._named_findings(req.subject):
                return req.subject, named
            texts.append(self.criterion.text)
        if measured:
            # a scale named in full before the span ('a Toronto Western Spasmodic Torticollis
            # Rating Scale severity score of 15 or more') is the measure, before any concept
            if _SCALE_RE.search(req.subject):
                texts.append(_clause_before(req, self.criterion))
                # a scale named with its abbreviation ('Eczema Area and Severity Index (EASI)
                # score of'), read past the parenthesis
                at = _span_at(req, self.criterion)
                texts.append(re.split(r"[.;:]", self.criterion.text[: max(at, 0)])[-1])
            for text in texts:
                if found := self._measure(text):
                    return found
        for text in texts:
            found = self._concept(text) if not measured else None
            found = found or self._measure(text) or (self._concept(text) if measured else None)
            if found:
                return found
        return "", []

    def _named_findings(self, subject: str) -> list[Observation]:
        """The structured findings whose name holds every word of the subject."""
        from ..evidence import tokens

        wanted = tokens(subject)
        acronym = re.fullmatch(r"[A-Z][A-Z0-9-]{2,7}", subject.strip()) is not None
        if len(wanted) < 2 and not (acronym and wanted):
            return []
        return [
            o
            for o in self.facts.observations
            if o.kind != "summary" and o.name and wanted <= tokens(o.name)
        ]

    def _measure(self, text: str) -> tuple[str, list[Observation]] | None:
        for measure in measure_book().measures_for(self.diagnoses):
            if measure.word_re.search(text):
                found = [o for o in self.facts.observations if measure.word_re.search(o.text)]
                return measure.name, found
        return None

    def _concept(self, text: str) -> tuple[str, list[Observation]] | None:
        for concept in measure_book().concepts:
            # what a criterion asks of function, need or supervision is read by _functional,
            # never as a finding a test or a time window names ('face-to-face' is no vital sign)
            if concept.word_re.search(text) and not concept.functional:
                found = [
                    o
                    for o in self.facts.observations
                    if concept.fact_re.search(o.text)
                    and (not concept.kinds or o.kind in concept.kinds)
                ]
                return concept.name, found
        return None

    def functional(self, req: Requirement) -> str | None:
        """The functional concept (measures.yaml, ``functional: true``) the requirement asks
        about, read from its subject and span, then from the criterion's wording."""
        for text in (f"{req.subject} {req.span}", self.criterion.text):
            for concept in measure_book().concepts:
                if concept.functional and concept.word_re.search(text):
                    return concept.name
        return None

    def progress_evidence(self) -> list[str]:
        """For a criterion asking for progress, response or adherence: the treatment whose
        progress is asked, the findings that measure it, and the facts that explain why it
        stalled (a staffing gap, sessions missed for a caregiver's illness, a hospitalisation,
        an interrupted supply) dated within that treatment's course; else nothing."""
        spec = measure_book().progress
        if spec is None or not spec.asks(self.criterion.text):
            return []
        treatments = [t for t in self.facts.trials if self._progress_of(t, spec)]
        starts = [t.start for t in treatments if t.start]
        since = min(starts) if starts else self.reference - dt.timedelta(days=365)
        names: dict[str, int] = {}
        for o in self.facts.observations:
            if o.kind != "summary" and o.name:
                names[o.name.lower()] = names.get(o.name.lower(), 0) + 1
        measures = [
            o.path
            for o in self.facts.observations
            if o.kind != "summary"
            and (names.get(o.name.lower(), 0) > 1 or spec.re("measures").search(o.name))
        ]
        explains = [
            o.path
            for o in [*self.facts.observations, *self.facts.documents]
            if spec.re("explains").search(o.text) and _within(o, since)
        ]
        return [t.path for t in treatments] + measures + explains

    def _progress_of(self, t: Trial, spec: Progress) -> bool:
        """Whether the trial is the treatment whose progress the criterion asks about: a current
        one (or one ended within 90 days of the denial) whose outcome speaks of progress, or one
        the criterion or the request names."""
        recent = t.end is None or t.end >= self.reference - dt.timedelta(days=90)
        if recent and t.start and spec.re("outcome").search(t.treatment.outcome or ""):
            return True
        words = {w for w in re.findall(r"[a-z]{5,}", t.name.lower()) if w not in _GENERIC_NAMES}
        text = f"{self.criterion.text} {self.product}".lower()
        named = any(literal.bounded(text, w, end=False) for w in words)
        product = book().ingredient_in(self.product) if self.product else None
        return named or bool(product and product == t.ingredient)

    def all_evidence(self) -> list[str]:
        """Facts that bear on the criterion when it has no typed requirement."""
        paths = [t.path for t in self.trials_for(self.groups)]
        text = self.criterion.text
        for measure in measure_book().measures_for(self.diagnoses):
            if measure.word_re.search(text):
                paths += [o.path for o in self.facts.observations if measure.word_re.search(o.text)]
        for concept in measure_book().concepts:
            if concept.word_re.search(text) and not concept.functional:
                paths += [
                    o.path
                    for o in self.facts.observations
                    if concept.fact_re.search(o.text)
                    and (not concept.kinds or o.kind in concept.kinds)
                ]
        return self.about(list(dict.fromkeys(paths)))


def _trial_text(t: Trial) -> str:
    """A treatment's words as a fact states them: its name and outcome."""
    return f"{t.treatment.name} {t.treatment.outcome or ''}"


_SCALE_RE = re.compile(r"\b(?:scale|score|index|inventory|subscale|questionnaire)\b", re.I)
"""A subject that is part of a scale's name ('Rating Scale severity'): the words before the
span name the scale."""
_GENERIC_NAMES = frozenset(
    {"therapy", "therapies", "treatment", "medication", "program", "outpatient", "inpatient",
     "services", "session", "sessions", "daily", "weekly", "oral", "tablet", "injection"}
)  # fmt: skip
_YEAR_RE = re.compile(r"\b(?:19|20)\d{2}\b")


def _within(o: Observation, since: dt.date) -> bool:
    """Whether a fact may fall within a course begun ``since``: its date, else the years its
    text names, are not all before the course's year."""
    if o.date:
        return o.date >= since
    years = [int(y) for y in _YEAR_RE.findall(o.text)]
    return not years or max(years) >= since.year


# --------------------------------------------------------------------------- checks


def _verdict(
    req: Requirement,
    status: Status,
    found: str,
    evidence: Iterable[str] = (),
    value: float | None = None,
    field: str | None = None,
) -> RequirementVerdict:
    return RequirementVerdict(
        requirement=req,
        status=status,
        required=_required(req),
        found=found,
        value=value,
        evidence=list(dict.fromkeys(evidence)),
        field=None if status == "met" else field,
    )


def _compare(req: Requirement, value: float) -> Status:
    if req.comparator is None or req.value is None:
        return "met"
    return "met" if _CMP[req.comparator](value, req.value) else "not_met"


def _said(c: Candidate, scope: _Scope) -> str:
    """How a verdict names a fact chosen by meaning: a finding by its name and date, a treatment
    by its name, the physician's sentence of the summary quoted."""
    if c.kind == "summary":
        # the words that hold the value, not the summary's whole sentence again
        return f"clinical summary: “{_clip(c.text.rstrip('.'), 80)}”"
    if c.kind == "treatment":
        return next(t.name for t in scope.facts.trials if t.path == c.path)
    o = next(o for o in scope.facts.observations + scope.facts.documents if o.path == c.path)
    if o.kind == "document":
        when = f", {fmt_date(o.date)}" if o.date else ""
        return f"enclosed record: {o.name}{when}"
    name = o.name or o.text
    return f"{name} ({fmt_date(o.date)})" if o.date else name


def _structured_first(found: list[Candidate]) -> list[Candidate]:
    """The case's findings and treatments when one is among the facts; otherwise the nearest
    sentence of the summary or enclosed record's title (a sentence that says a consultation took
    place answers 'evaluated by' better than an unrelated record of the same day)."""
    records = [c for c in found if c.kind in ("finding", "treatment")]
    return records or found[:1]


_NOT_DONE_RE = re.compile(
    r"^\s*(?:no|none)\b|\b(?:has|have|had|was|were|is|are) not (?:yet )?(?:been )?"
    r"(?:done|performed|obtained|completed|held|tested|evaluated|seen|scheduled)\b"
    r"|\bnever (?:been )?(?:done|performed|tested|evaluated|seen)\b"
    r"|\bnot (?:yet )?(?:done|performed)\b"
    r"|\b(?:does|do|did) not (?:state|say|show|document|record|mention)\b"
    r"|\bnot (?:documented|stated|recorded)\b|\bunknown whether\b"
    r"|\bno (?:record|documentation) (?:of|whether)\b",
    re.IGNORECASE,
)
"""A sentence saying an event did not take place ('No allergy skin or serum IgE testing has been
done')."""
_EVENT_KINDS = frozenset(
    {RequirementKind.test_done, RequirementKind.specialist, RequirementKind.document,
     RequirementKind.other, RequirementKind.statement}
)  # fmt: skip
_OR_RE = re.compile(r"\band/or\b|\bor\b", re.IGNORECASE)


def _by_meaning_verdict(req: Requirement, scope: _Scope, field: str) -> RequirementVerdict | None:
    """Met on the facts nearest in meaning to the requirement (None when none is near). An event
    the physician's own sentence says did not take place is not met on a record nearby: it is
    not met, stated with that sentence (to be confirmed when the criterion offers an
    alternative to it, 'an antihistamine and/or allergy evaluation')."""
    near = scope.by_meaning(req)
    asked = f"{req.subject} {req.span}"
    denying = [c for c in near if measure_book().denies(asked, c.text)]
    if denying:
        # a fact saying the opposite ('She is immunocompetent' for 'immunocompromised') never
        # meets it: not met, stated with that fact (to confirm where the criterion offers an
        # alternative)
        near = [c for c in near if c not in denying]
        if not near:
            c = denying[0]
            verdict = _verdict(req, "not_met", _said(c, scope), [c.path], field=field)
            if _OR_RE.search(scope.criterion.text):
                return verdict.model_copy(update={"status": "unknown", "confirm": True})
            return verdict
    # a fact not stating a qualifier the requirement carries ('recurrent') never shows it
    fits = scope.fits(req)
    near = [c for c in near if fits(c)]
    if req.kind in _EVENT_KINDS:
        said_not = [c for c in near if c.kind == "summary" and _NOT_DONE_RE.search(c.text)]
        if said_not:
            c = said_not[0]
            verdict = _verdict(req, "not_met", _said(c, scope), [c.path], field=field)
            if _OR_RE.search(scope.criterion.text):
                return verdict.model_copy(update={"status": "unknown", "confirm": True})
            return verdict
    if req.kind in _EVENT_KINDS:
        # nearness of meaning is not enough to meet it: the fact must state what it names (one
        # that does not may still be stated for the physician to confirm, ``_to_confirm``)
        near = [c for c in near if _asserts(req, c)] or _asserting(req, scope)
    found = _structured_first(near)
    if not found:
        return None
    shown_ = "; ".join(_said(c, scope) for c in found)
    return _verdict(req, "met", shown_, (c.path for c in found), field=field)


def _asserting(req: Requirement, scope: _Scope) -> list[Candidate]:
    """When no fact kept near the requirement asserts it: the nearest facts however far off that
    state every one of its own terms (a sentence saying the scan was done the same day because
    a lesion had to be excluded urgently, which the vectors rank below a row about the
    request's timing), never one denying it."""
    asked = f"{req.subject} {req.span}"
    book = measure_book()
    wider = scope.by_meaning(req, margin=2.0, limit=len(scope.facts.meaning.candidates), floor=-1.0)
    fits = scope.fits(req)
    return [
        c
        for c in wider
        if fits(c)
        and _asserts(req, c, whole=True)
        and not book.denies(asked, c.text)
        and not (c.kind == "summary" and _NOT_DONE_RE.search(c.text))
    ][:MAX_FACTS]


def _asserts(req: Requirement, c: Candidate, whole: bool = False) -> bool:
    """Whether a fact chosen by meaning asserts what the requirement names: it states half of
    the terms of its subject, or two of a longer one (of one alternative, where its words join
    some by 'or'), itself or by an alias (measures.yaml ``heads``, ``aliases``). Nearness of meaning
    alone is not an assertion ('listed for heart transplantation' is not stated by a telemetry
    row, nor 'a previously implanted defibrillator now requires explantation' by a sentence
    about wearing an external one)."""
    book = measure_book()
    course = book.words_re("advised")
    alternatives = []
    head = req.subject if book.heads(req.subject) else req.span  # the concept it names
    for part in _OR_RE.split(head):
        heads = book.heads(part)
        if c.kind == "treatment":  # a course's own row states the course's words
            heads = frozenset(h for h in heads if not course.match(h))
        if heads:
            alternatives.append(heads)
    # the event an alternative turns on ('removal' of 'a valve or coil'): shared by the later
    # alternatives that name none of their own, and stated by the fact, not only its object
    events = [book.events(heads) for heads in alternatives]
    first = next((e for e in events if e), frozenset())
    events = [e or first for e in events]
    if whole:  # a fact the vectors rank far off states every term of one alternative
        return bool(alternatives) and any(
            book.stated_heads(heads | event, c.text) == heads | event
            for heads, event in zip(alternatives, events, strict=True)
        )
    return not alternatives or any(
        len(book.stated_heads(heads, c.text)) >= min(2, (len(heads) + 1) // 2)
        and (not event or bool(book.stated_heads(event, c.text)))
        for heads, event in zip(alternatives, events, strict=True)
    )


def _payer_looked(scope: _Scope) -> bool:
    """Whether the notice found the criterion not met or not documented: the payer read the
    record for it, and a line only near in meaning is no answer, not even one to confirm."""
    return scope.criterion.payer_status in ("not_met", "not_documented")


_FAILURE_WORDS = (
    r"(?:fail\w*|inadequate (?:clinical )?response|insufficient response"
    r"|lack of (?:efficacy|response)|no response|non-?response)"
)
_EITHER_RE = re.compile(
    rf"{_FAILURE_WORDS}(?: to| of)?,? (?:or|and/or) (?:documented |an? )?intoleran"
    rf"|intoleran\w*(?: to| of)?,? (?:or|and/or) {_FAILURE_WORDS}",
    re.IGNORECASE,
)
"""'failure of or intolerance to', 'inadequate response to, or intolerance of': either counts."""


def _asks_intolerance(req: Requirement, criterion: str = "") -> bool:
    """Whether the requirement counts intolerance rather than failure: the subject says so, or
    in its span 'intolerance' comes after the last 'failure' before the subject, unless the
    criterion joins the two by 'or' ('failure of or intolerance to a thiopurine': the reader's
    span may keep only 'intolerance to a thiopurine')."""
    if _INTOLERANCE_RE.search(req.subject):
        return True
    if _EITHER_RE.search(criterion):
        return False
    span = req.span.lower()
    head = req.subject.lower().split()[0] if req.subject.split() else ""
    at = span.find(req.subject.lower())
    if at < 0:
        at = span.rfind(head) if head else len(span)
    before = span[: at if at >= 0 else len(span)]
    intolerance = max(before.rfind("intoleran"), before.rfind("not tolerated"))
    return intolerance > before.rfind("fail")


_DONE_RE = re.compile(
    r"\b(?:complet\w*|participat\w*|attend\w*|enrol\w*|successful(?:ly)?|undergo\w*|underwent)\b",
    re.IGNORECASE,
)
_FAILURE_ASKED_RE = re.compile(
    r"fail|inadequate|insufficient|intoleran|not tolerated|refractory|no response|non-?respon"
    r"|lack of|unsuccessful|despite",
    re.IGNORECASE,
)


def _asks_done(req: Requirement) -> str | None:
    """'successful' or 'completed' when the requirement counts courses that succeeded or took
    place ('completion of a rehabilitation program', 'a successful trial of stimulation'), not
    failed ones; None when it asks for failure or intolerance, or says neither."""
    text = f"{req.span} {req.subject}"
    if _FAILURE_ASKED_RE.search(text):
        return None
    m = _DONE_RE.search(text)
    if m is None:
        return None
    return "successful" if m.group(0).lower().startswith("success") else "completed"


def _done(t: Trial, asked: str) -> bool:
    """Whether a course is one the requirement counts: a successful one neither failed nor
    stopped for intolerance; a completed one ended, or said to be completed."""
    if asked == "successful":
        return not t.failed and not t.intolerant
    outcome = t.treatment.outcome or ""
    return t.end is not None or bool(re.search(r"\bcomplet", outcome, re.IGNORECASE))


def _failed(req: Requirement, trials: list[Trial], criterion: str = "") -> tuple[list[Trial], bool]:
    if asked := _asks_done(req):
        return [t for t in trials if _done(t, asked)], False
    intolerance = _asks_intolerance(req, criterion)
    kept = [t for t in trials if (t.intolerant if intolerance else (t.failed or t.intolerant))]
    return kept, intolerance


def _summary_course(req: Requirement, scope: _Scope) -> Candidate | None:
    """The sentence of the summary that states the course a requirement asks for, when no
    treatment of the case is one ('she completed a 6-month supervised diet program'); for a
    length of something not a treatment ('abstinence for 6 weeks'), a finding that states one
    ('quit date 2026-03-15 (over 6 months)') counts too."""
    # a course the case lists by name ('verapamil') is measured by its own dates, never by a
    # finding's span of something else (a headache diary's 22 days)
    named = re.compile(rf"\b{re.escape(req.subject.strip())}\b", re.IGNORECASE)
    listed = bool(req.subject.strip()) and any(named.search(t.name) for t in scope.facts.trials)
    kinds = ("summary",) if scope.names_treatment(req) or listed else ("summary", "finding")
    advice = measure_book().words_re("advice")
    near = scope.by_meaning(
        req,
        lambda c: c.kind in kinds and bool(spans_in(c.text)) and not advice.search(c.text),
    )
    return near[0] if near else None


_LENGTH_RE = re.compile(r"(?<![\d.-])(\d+(?:\.\d+)?)\s*(day|week|month|year)s?\b", re.IGNORECASE)
_LINK_WORDS = frozenset({"on", "for", "of", "in", "at", "over", "during", "about", "nearly"})


def _subject_lengths(req: Requirement, scope: _Scope, text: str) -> list[float]:
    """The lengths a fact states of what the requirement names: those whose nearest word
    before them names it ('Self-injury on 3 days; urges to self-injure rated 4-5 of 5 on 17
    days' -> 3 days of self-injury, never the urges' 17), else every length it states."""
    book = measure_book()
    named = req.subject if req.subject.lower() not in GENERIC_SUBJECTS else ""
    heads = book.heads(named or _clause_before(req, scope.criterion))
    led = []
    for m in _LENGTH_RE.finditer(text):
        words = re.findall(r"[A-Za-z][\w-]*", text[max(0, m.start() - 60) : m.start()])
        content = [w for w in words if w.lower() not in _LINK_WORDS]
        if heads and content and book.stated_heads(heads, content[-1]):
            led.append(float(m.group(1)) * _UNIT_DAYS[m.group(2).lower()])
    return led or spans_in(text)


_PERIOD_DAYS = {"day": 1.0, "week": 7.0, "month": DAYS_PER_MONTH}
_TIMES_RE = re.compile(
    r"times|occasions|injections?|doses|uses|episodes|attacks|sessions|visits|treatments",
    re.IGNORECASE,
)
"""Units of a threshold that count how often something happens (a count per period)."""
_PERIOD_WORDS = {"daily": "day", "weekly": "week", "monthly": "month"}
_PER_PERIOD_RE = re.compile(
    r"\s*(?:(?:of|with|in)\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:(?:a|per|each|every|/)\s*(?P<per>day|week|month)\b|(?P<adverb>daily|weekly|monthly)\b)",
    re.IGNORECASE,
)
"""A count asked per period, right after the count's words ('at least 3 injections' + ' of
insulin per day')."""


def _asked_period(req: Requirement, criterion: Criterion) -> str | None:
    """'day', 'week' or 'month' when the criterion asks the count per period; None otherwise."""
    at = _span_at(req, criterion)
    if at < 0 or req.value is None:
        return None
    m = _PER_PERIOD_RE.match(criterion.text, at + len(req.span))
    if m is None:
        return None
    return m["per"].lower() if m["per"] else _PERIOD_WORDS[m["adverb"].lower()]


def _stated_per_period(noun: str, text: str) -> tuple[float, float, str, str] | None:
    """The frequency of ``noun`` a text states ('4 to 6 injections daily' -> (4, 6, 'day', the
    words)); None when it states none."""
    stem = re.escape(noun.lower().rstrip("s"))
    m = re.search(
        rf"(?<![\d.])(\d+(?:\.\d+)?)(?:\s*(?:to|-|–|or)\s*(\d+(?:\.\d+)?))?\s+(?:[\w/-]+\s+){{0,3}}?"
        rf"{stem}\w*(?:\s+[\w/()-]+){{0,4}}?\s*(?:(?:a|per|each|every|/)\s*(day|week|month)\b"
        rf"|(daily|weekly|monthly)\b)",
        text,
        re.IGNORECASE,
    )
    if m is None:
        return None
    low = float(m.group(1))
    high = float(m.group(2)) if m.group(2) else low
    period = m.group(3).lower() if m.group(3) else _PERIOD_WORDS[m.group(4).lower()]
    return low, high, period, m.group(0)


def _per_period(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A count asked per period ('at least 3 injections of insulin per day'): the frequency a
    treatment, finding or sentence of the case states for what is counted, in the period
    asked; never the number of courses ('6 failed' injections). Unknown when no fact states
    one; None when the criterion asks no count per period."""
    period = _asked_period(req, scope.criterion)
    if period is None:
        return None
    noun = (req.unit or req.subject).split()[-1]
    texts: list[tuple[str, str, str]] = [
        (t.path, t.name, " ".join(filter(None, (t.treatment.frequency, t.treatment.dose,
                                                t.treatment.outcome_measure))))
        for t in scope.facts.trials
    ]  # fmt: skip
    texts += [
        (o.path, o.name or "", o.finding.value if o.finding else o.text)
        for o in scope.facts.observations
    ]
    required = f"{_required(req)} a {period}"
    field = f"prior_treatments[].frequency (the {noun} a {period})"
    upper = req.comparator in ("<", "<=")
    rated = []
    for path, name, text in texts:
        if (stated := _stated_per_period(noun, text)) is not None:
            low, high, per, words = stated
            value = (high if upper else low) * _PERIOD_DAYS[period] / _PERIOD_DAYS[per]
            shown = " ".join(words.split()) + (f" ({name})" if name else "")
            rated.append((value, shown, path))
    if not rated:
        verdict = _verdict(req, "unknown", f"no {noun} a {period} recorded", field=field)
        return verdict.model_copy(update={"required": required})
    # the course that bears on it: the most frequent for a floor, the least for a ceiling
    value, shown, path = (min if upper else max)(rated, key=lambda r: r[0])
    verdict = _verdict(req, _compare(req, value), shown, [path], value, field)
    return verdict.model_copy(update={"required": required})


_DISTINCT_RE = re.compile(r"\b(?:different|distinct|separate|unique)\b", re.IGNORECASE)
_DRUG_UNITS = frozenset({"drugs", "medications", "medicines", "agents"})


def _asks_distinct(req: Requirement) -> bool:
    """Whether a count asks for different drugs ('at least 2 different proton pump
    inhibitors', '2 overactive bladder medications'), not courses: two courses of one drug are
    one."""
    return bool(_DISTINCT_RE.search(req.subject)) or (req.unit or "").lower() in _DRUG_UNITS


def _drug_of(t: Trial) -> str:
    """What makes a course another drug: its ingredient, else its name less any parenthesis."""
    return t.ingredient or re.sub(r"\([^)]*\)", " ", t.name).strip().lower()


def _distinct(trials: list[Trial]) -> int:
    return len({_drug_of(t) for t in trials})


def _trial_count(req: Requirement, scope: _Scope) -> RequirementVerdict:
    if (rate := _per_period(req, scope)) is not None:
        return rate
    pool = scope.trials(req)
    if not pool and (said := _summary_course(req, scope)):
        return _verdict(
            req, _compare(req, 1), f"1 ({_said(said, scope)})", [said.path], 1, "prior_treatments"
        )
    trials, intolerance = _failed(req, pool, scope.criterion.text)
    by_count = (req.unit or "").startswith(("injection", "administration"))
    distinct = not by_count and _asks_distinct(req)
    n = sum(t.count for t in trials) if by_count else _distinct(trials) if distinct else len(trials)
    what = _asks_done(req) or ("not tolerated" if intolerance else "failed")
    found = f"{n} {what}{scope.weak() if not trials else ''}"  # the facts listed above name them
    if distinct and n < len(trials):
        found = f"{n} different drugs {what} ({len(trials)} courses)"
    return _verdict(req, _compare(req, n), found, (t.path for t in trials), n, "prior_treatments")


def _class_count(req: Requirement, scope: _Scope) -> RequirementVerdict:
    trials, _ = _failed(req, scope.trials(req), scope.criterion.text)
    listed = scope.listed(req)
    classes: dict[str, list[str]] = {}
    for t in trials:
        label = (listed.group_of(t) if listed and listed.groups else None) or t.class_label
        if label:
            classes.setdefault(label, []).append(t.name)
    n = len(classes)
    detail = "; ".join(f"{label}: {', '.join(names)}" for label, names in classes.items())
    found = f"{n} classes" + (f" ({detail})" if detail else "")
    return _verdict(req, _compare(req, n), found, (t.path for t in trials), n, "prior_treatments")


def _sibling(req: Requirement, scope: _Scope) -> Requirement | None:
    """The count an 'each' duration applies to: the trial count its criterion asks for in the
    same branch ('two conventional therapies ..., each for at least 12 weeks')."""
    for other in scope.criterion.requirements:
        if (
            other.kind == RequirementKind.trial_count
            and other.branch == req.branch
            and other.value is not None
            and other.comparator in (">=", ">", "==")
        ):
            return other
    return None


def _sibling_count(req: Requirement, scope: _Scope) -> int | None:
    """How many items an 'each' duration applies to (``_sibling``'s count: 2 of 'two')."""
    other = _sibling(req, scope)
    if other is None or other.value is None:
        return None
    return int(other.value) + (1 if other.comparator == ">" else 0)


def _each_duration(
    req: Requirement, scope: _Scope, trials: list[Trial], undated: list[Trial], need: float
) -> RequirementVerdict:
    """'each for at least 12 weeks': which trials qualify and which fall short, trial by trial;
    met when as many qualify as the criterion counts (all of them when it counts none)."""
    unit = req.unit or "weeks"
    spans = [(t, t.adequate_days or 0.0) for t in trials]
    # 'each for at least 16 weeks, or stopped sooner because of a documented adverse reaction'
    sooner = allows_stopping_sooner(scope.criterion.text)
    stopped = [(t, d) for t, d in spans if sooner and d < need and stopped_for_reaction(t)]
    enough = [(t, d) for t, d in spans if d >= need] + stopped
    short = [(t, d) for t, d in spans if d < need and (t, d) not in stopped]
    wanted = _sibling_count(req, scope)
    counted_as = _sibling(req, scope)
    # 'at least 2 different PPIs, each for at least 8 weeks': two long courses of one drug are
    # one drug that qualifies
    distinct = counted_as is not None and _asks_distinct(counted_as)
    qualifying = _distinct([t for t, _ in enough]) if distinct else len(enough)
    ok = qualifying >= wanted if wanted is not None else not short and not undated
    parts = []
    if distinct and qualifying < len(enough):
        listed = "; ".join(_trial_span(t, d, unit) for t, d in enough)
        drugs = "drug qualifies" if qualifying == 1 else "different drugs qualify"
        parts.append(f"{qualifying} {drugs} ({listed})")
    elif enough and not short and not undated and not stopped:
        shortest = min(d for _, d in enough)
        listed = ", ".join(f"{t.name} {_in_unit(d, unit).split()[0]}" for t, d in enough)
        parts.append(f"all {len(enough)}, shortest {_in_unit(shortest, unit)} ({listed})")
    elif enough:
        listed = "; ".join(
            _trial_span(t, d, unit) + (", stopped sooner for an adverse reaction" if (t, d)
                                      in stopped else "")
            for t, d in enough
        )  # fmt: skip
        parts.append(f"{len(enough)} of {len(spans) + len(undated)} qualify ({listed})")
    else:
        parts.append("none qualifies")
    parts += [f"{_trial_span(t, d, unit)} falls short" for t, d in short]
    parts += [f"{t.name}: no duration recorded" for t in undated]
    # The patient's value: the shortest of the trials counted (the N longest, or all of them).
    # a course stopped sooner for an adverse reaction counts as one that lasted
    lengths: dict[str, float] = {}
    for t, d in spans:  # of a drug taken in several courses, its longest (when counted apart)
        key = _drug_of(t) if distinct else t.path
        lengths[key] = max(lengths.get(key, 0.0), need if (t, d) in stopped else d)
    ranked = sorted(lengths.values(), reverse=True)
    counted = ranked[: wanted or len(ranked)] or [0.0]
    value = counted[-1] / (need / req.value if req.value else 1.0)
    field = f"{undated[0].path}.start/end" if undated and not ok else "prior_treatments[].start/end"
    return _verdict(
        req, "met" if ok else "not_met", "; ".join(parts),
        [t.path for t, _ in spans] + [t.path for t in undated], value, field,
    )  # fmt: skip


def _going(t: Trial) -> bool:
    """An ongoing trial whose days were counted to the letter's date."""
    return t.treatment.ongoing and t.days is not None


def _ongoing_span(start: dt.date, days: float, unit: str) -> str:
    return f"ongoing since {fmt_date(start)}, {_in_unit(days, unit)} as of the letter date"


def _trial_span(t: Trial, days: float, unit: str) -> str:
    """'Dulaglutide 31 weeks'; 'Dulaglutide ongoing since March 2, 2026, 39 weeks as of the
    letter date' for a trial still running (counted to the letter's date)."""
    if _going(t) and t.start and t.days_at_dose is None:
        return f"{t.name} {_ongoing_span(t.start, days, unit)}"
    return f"{t.name} {_in_unit(days, unit)}"


_SINCE_RE = re.compile(
    r"\bsince\s+(?:at least\s+|about\s+|around\s+|early\s+|late\s+)?"
    rf"(?:({MONTH_NAME})\.?,?\s+(\d{{4}})"
    rf"|({DATE_RE.pattern})|(?P<year>(?:19|20)\d\d)\b)",
    re.IGNORECASE,
)


def _since(text: str) -> dt.date | None:
    """The start a sentence states ('pain since at least March 2025'): a full date as written,
    a month as its last day (so the length is never overstated)."""
    m = _SINCE_RE.search(text)
    if m is None:
        return None
    if m.group(1):
        year, month = int(m.group(2)), month_number(m.group(1))
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    if m.group("year"):  # a year alone: its last day
        return dt.date(int(m.group("year")), 12, 31)
    found = find_dates(m.group(3))
    return found[0][0] if found else None


def _since_verdict(req: Requirement, scope: _Scope, field: str) -> RequirementVerdict | None:
    """A length of something the summary dates from ('weight stable within 2 kg since October
    2025'), counted to the letter's date, from the sentence nearest the requirement's meaning
    that says since when; None when none does or there is no threshold."""
    as_of = scope.facts.as_of
    need = _days_in(req.value, req.unit) if req.value is not None else None
    if as_of is None or need is None or scope.names_treatment(req):
        return None
    if measure_book().words_re("effect_words").search(_clause_before(req, scope.criterion)):
        return None  # a length of an effect ('relief ... for 6 months'): no onset dates it
    near = scope.by_meaning(req, lambda c: c.kind == "summary" and _since(c.text) is not None)
    start = _since(near[0].text) if near else None
    if start is None or start > as_of:
        return None
    days = float((as_of - start).days)
    unit = req.unit or "months"
    written = " ".join(_SINCE_RE.search(near[0].text).group(0).split()[1:])  # type: ignore[union-attr]
    found = (
        f"since {written}: at least {_in_unit(days, unit)} to {fmt_date(as_of)} "
        f"({_said(near[0], scope)})"
    )
    status = _compare(req.model_copy(update={"value": need}), days)
    return _verdict(req, status, found, [near[0].path], days / (need / req.value), field)  # type: ignore[operator]


def _calendar(t: Trial, req: Requirement, days: float) -> float:
    """A dated trial's length counted in calendar months for a requirement in months or years
    (3 February to 5 May is 3 months, though 91 days is short of 3 x 30.44): its days scaled
    so that reaching the same date N months on is N months."""
    unit = (req.unit or "").lower().rstrip("s")
    if unit not in ("month", "year") or req.value is None or not (t.start and t.end):
        return days
    if t.days_at_dose is not None or days != t.days:
        return days  # a time at dose or a stated length: not the dated span
    months = int(req.value * (12 if unit == "year" else 1))
    if months < 1 or months != req.value * (12 if unit == "year" else 1):
        return days
    year, month = divmod(t.start.month - 1 + months, 12)
    year += t.start.year
    day = min(t.start.day, calendar.monthrange(year, month + 1)[1])
    calendar_days = (dt.date(year, month + 1, day) - t.start).days
    need = _days_in(req.value, req.unit) or calendar_days
    return days * need / calendar_days if calendar_days else days


_LENGTH_OF_RE = re.compile(
    r"^(?:\(?[a-z0-9]{1,3}[.)]\s*)?(?P<name>.+?)\s+(?:of|for|lasting)$", re.IGNORECASE
)
"""A course named before its length ('(c) physical therapy or a supervised exercise program of'
before 'at least 6 weeks')."""


def _course_named(req: Requirement, scope: _Scope) -> Requirement:
    """A duration typed with no subject of its own ('duration') whose clause names the course
    before its length ('physical therapy or a supervised exercise program of at least 6
    weeks'): that course is what is measured, by its own dates, never every course of the
    case run together. The requirement as it is otherwise."""
    if req.subject.lower() not in GENERIC_SUBJECTS:
        return req
    m = _LENGTH_OF_RE.match(_clause_before(req, scope.criterion))
    name = m["name"] if m else ""
    if len(name.split()) < 2 or not measure_book().treatment_re.search(name):
        return req
    return req.model_copy(update={"subject": name})


def _duration_cut(req: Requirement, scope: _Scope) -> tuple[dt.date, str] | None:
    """The date a length 'before the request' (or before the first dose, the surgery) is
    counted to, when that is before the letter's date, with how the letter names it: an
    ongoing course's months after the request was made are no months before it."""
    at = _span_at(req, scope.criterion)
    m = _ANCHOR_RE.match(scope.criterion.text, at + len(req.span)) if at >= 0 else None
    own = m is not None and _BEFORE_WORD_RE.match(m.group(0).strip()) is not None
    day, label, _ = _anchored(m, scope) if own else (_said_anchor(scope) or (None, "", ""))
    as_of = scope.facts.as_of
    if day is None or as_of is None or day >= as_of:
        return None
    return day, label


def _counted_to(t: Trial, cut: dt.date) -> Trial:
    """An ongoing course's days counted to ``cut`` rather than to the letter's date."""
    if not (_going(t) and t.start):
        return t
    return replace(t, days=max(0, (cut - t.start).days))


_LOOK_BACK = (
    r"\b(?:during|in|over|within)\s+the\s+(?:past\s+|last\s+|previous\s+|preceding\s+)?"
    r"{span}\s+(?:before|prior to|preceding)\b"
)
LOOK_BACK_FOUND = "the period the criterion looks back over, not a length to reach"
HORIZON_FOUND = "the time the criterion expects an outcome within, not a record's age"
_HORIZON_RE = re.compile(
    r"\b(?:will|would|expect\w*|anticipat\w*|likely|projected|target\w*)\b", re.IGNORECASE
)
APART_FOUND = "the time between the measurements compared: no two dated findings of the measure"
_NOT_COMPARED = frozenset({LOOK_BACK_FOUND, HORIZON_FOUND, APART_FOUND})
"""What a verdict finds of words that frame a criterion rather than ask for a value: never
stated as a comparison."""


def _horizon(req: Requirement, criterion: Criterion) -> bool:
    """Whether a time window's words are the horizon an expected outcome falls in ('a
    reasonable expectation that the member will be liberated ... within 30 days of the review
    date'): what the physician expects, never the age of a record."""
    return req.kind == RequirementKind.time_window and bool(
        _HORIZON_RE.search(_clause_before(req, criterion))
    )


def looks_back(req: Requirement, criterion: Criterion) -> bool:
    """Whether a duration's words are the period a criterion looks back over ('progress during
    the 7 days before the review date'): a window the other requirements fall in, never a
    length the record must reach."""
    if req.kind != RequirementKind.duration or req.value is None:
        return False
    span = re.escape(req.span.strip()).replace(r"\ ", r"\s+")
    span = re.sub(r"^(?:at\\s\+least|a\\s\+duration\\s\+of)\\s\+", "", span)
    return re.search(_LOOK_BACK.format(span=span), criterion.text, re.IGNORECASE) is not None


def _duration(req: Requirement, scope: _Scope) -> RequirementVerdict:
    if looks_back(req, scope.criterion):
        return _verdict(req, "unknown", LOOK_BACK_FOUND)
    if (named := _course_named(req, scope)) is not req:
        return _duration(named, scope).model_copy(update={"requirement": req})
    cut = _duration_cut(req, scope)
    if cut is None:
        return _duration_to(req, scope, None)
    verdict = _duration_to(req, scope, cut[0])
    # an ongoing course counted to the request's (or the notice's) date, not the letter's
    return verdict.model_copy(
        update={"found": verdict.found.replace("as of the letter date", f"as of {cut[1]}")}
    )


_AT_DOSE_RE = re.compile(r"\bat (?:or above )?(?:that|the|this|each|its) dose\b", re.IGNORECASE)


def _duration_to(req: Requirement, scope: _Scope, cut: dt.date | None) -> RequirementVerdict:
    """``_duration``, an ongoing course counted to ``cut`` when given."""
    pool = scope.trials(req)
    if req.each and not pool:
        # 'BOTH propranolol (at least 120 mg/day) AND primidone (...), each continued for at
        # least 4 weeks': each drug the criterion names before the length, by its own course
        at = _span_at(req, scope.criterion)
        named = set(book().ingredients_in(scope.criterion.text[: max(at, 0)]))
        pool = [t for t in scope.facts.trials if t.ingredient in named]
    if _AT_DOSE_RE.search(req.span):
        # 'continued for at least 4 weeks at or above that dose': the time the record states at
        # the dose ('250 mg/day from May 6 to September 22 (20 weeks)'), not the whole course
        pool = [
            replace(t, days=None)
            if t.days_at_dose is None and t.stated_days is not None and not _going(t)
            else t
            for t in pool
        ]
    if cut is not None:
        pool = [_counted_to(t, cut) for t in pool]
    if not pool and req.value is not None and not scope.names_treatment(req):
        # a length of something not a treatment (symptoms): the sentence nearest in meaning that
        # states a length or dates a start ('progressive since about 2019')
        near = scope.by_meaning(
            req, lambda c: c.kind == "summary" and (bool(spans_in(c.text)) or bool(_since(c.text)))
        )
        if near and _since(near[0].text) and not spans_in(near[0].text):
            since = _since_verdict(req, scope, "clinical_summary (since when)")
            if since is not None:
                return since
    said = _summary_course(req, scope) if not pool and req.value is not None else None
    if said is not None and req.classes and not any(_words_in(c, said.text) for c in req.classes):
        said = None  # a sentence naming none of the drugs asked of ('aspirin ... held 7 days')
    if said is not None and req.value is not None:
        lengths = _subject_lengths(req, scope, said.text)
        need = _days_in(req.value, req.unit)
        if lengths and need:
            days = max(lengths)
            found = f"{_in_unit(days, req.unit)} ({_said(said, scope)})"
            status = _compare(req.model_copy(update={"value": need}), days)
            return _verdict(req, status, found, [said.path], days / (need / req.value),
                            "prior_treatments[].start/end")  # fmt: skip
    failed, intolerance = _failed(req, pool, scope.criterion.text)
    if not failed and not _FAILURE_ASKED_RE.search(scope.criterion.text):
        # a length of a course of a drug the criterion names that asks no failure ('allopurinol
        # at 600 mg/day for at least 3 months'): each course of it counts, whatever its outcome
        # (a course the criterion does not name is no length it asks for)
        # ('androgen deprivation therapy for at least 6 months'): a course of a specific group
        # the criterion names counts the same way
        text = scope.criterion.text
        named = {g.name for g in scope.requirement_groups(req) if not g.generic}
        failed = [
            t
            for t in pool
            if (t.ingredient and re.search(rf"\b{re.escape(t.ingredient)}\b", text, re.IGNORECASE))
            or t.groups & named
        ]
    # an ongoing course counts too, from its start to the letter's date (it has neither failed
    # nor been stopped: how long it has run is what a duration asks)
    failed += [t for t in pool if t.treatment.ongoing and t not in failed and not intolerance]
    trials = [t for t in failed if t.adequate_days is not None]
    undated = [t for t in failed if t.adequate_days is None]
    field = "prior_treatments[].start/end"
    if not trials:
        if undated:
            field = f"{undated[0].path}.start/end"
        return _since_verdict(req, scope, field) or _verdict(
            req, "unknown", "no dated course", (t.path for t in undated), field=field
        )
    unit = req.unit or "weeks"
    need = _days_in(req.value, unit) if req.value is not None else None
    # Drug trials are measured one by one; a course of care (therapy, or a catch-all such as
    # "conservative treatment") is measured as the continuous run of its parts.
    course = any(g.generic for g in scope.requirement_groups(req))
    per_trial = req.each or (not course and any(t.treatment.kind == "medication" for t in trials))
    if req.value is None:
        parts = [f"{t.name} {_in_unit(t.total_days or 0, 'weeks')}" for t in trials]
        sessions = [f"{t.sessions} sessions" for t in trials if t.sessions]
        found = "; ".join(parts + sessions) + " (the plan states no number)"
        return _verdict(req, "met", found, (t.path for t in trials))
    if req.each and need is not None:
        return _each_duration(req, scope, trials, undated, need)
    if per_trial:
        spans = [(t, _calendar(t, req, t.adequate_days or 0.0)) for t in trials]
        pick = min(spans, key=lambda p: p[1]) if req.each else max(spans, key=lambda p: p[1])
        shown = ", ".join(_trial_span(t, d, unit) for t, d in spans)
        lead = "shortest" if req.each else "longest"
        found = f"{lead} {_in_unit(pick[1], unit)} ({shown})"
        value = pick[1]
        evidence = [t.path for t, _ in spans]
    else:
        as_of = cut or scope.facts.as_of
        dated = [
            (t.start, end)
            for t in trials
            if t.start and (end := t.end or (as_of if _going(t) else None))
        ]
        if not dated:
            value = max(t.total_days or 0.0 for t in trials)
            found = _in_unit(value, unit)
        else:
            runs = _merge(dated)
            start, end = max(runs, key=lambda r: (r[1] - r[0]).days)
            value = float((end - start).days)
            if as_of is not None and end == as_of and any(_going(t) for t in trials):
                found = _ongoing_span(start, value, unit)
            else:
                found = (
                    f"{_in_unit(value, unit)} continuous, {fmt_date(start)} to {fmt_date(end)} "
                    f"({value:.0f} days)"
                )
        evidence = [t.path for t in trials]
    status = "met" if need is None else _compare(req.model_copy(update={"value": need}), value)
    return _verdict(
        req, status, found, evidence, value / (need / req.value) if need else None, field
    )


def _mg_in(trial: Trial, unit: str) -> tuple[float, str] | None:
    """The trial's dose in the requirement's unit: per week for 'mg/week' (or a bare 'mg' beside
    a weekly drug), else per day."""
    daily = daily_mg(trial)
    if daily is None:
        return None
    if "week" in unit or ("day" not in unit and weekly(trial)):
        return round(daily * 7, 4), "mg/week"
    return round(daily, 4), "mg/day"


def _dose_limit(req: Requirement, scope: _Scope, trials: list[Trial]) -> RequirementVerdict | None:
    """A maximal dose ('the maximally tolerated dose') answered by the reason the dose was not
    raised, where the case states it: in a trial's outcome or a sentence of the summary that
    names the drug ('Sildenafil could not be increased above 20 mg ... because of symptomatic
    hypotension'). None when the requirement asks no maximal dose or no fact gives a reason."""
    book = measure_book()
    if not book.words_re("maximal_dose").search(f"{req.subject} {req.span}"):
        return None
    limit = book.words_re("dose_limit")
    for t in trials:
        outcome = t.treatment.outcome or ""
        if limit.search(outcome):
            found = f"{t.name} {t.treatment.dose or ''}: {_clip(outcome, 100)}".replace(" :", ":")
            return _verdict(req, "met", found, [t.path])
    names = {t.name.lower().split()[0]: t for t in (trials or scope.facts.trials)}
    for o in scope.facts.observations:
        if o.kind != "summary" or not limit.search(o.text):
            continue
        lowered = o.text.lower()
        named = [t for first, t in names.items() if first in lowered]
        if named:
            return _verdict(req, "met", _said_text(o, 160), [named[0].path, o.path])
    return None


_TITRATED_RE = re.compile(
    r"\b(?:INR|aPTT|anti-Xa|level)[- ](?:adjusted|guided|based|dosed)\b|\bper (?:INR|aPTT|level|"
    r"levels|sliding scale)\b|\btitrated to\b|\badjusted to\b|\bweight-based\b|\bvariable\b",
    re.IGNORECASE,
)
"""A dose stated as the one adjusted to a target ('INR-adjusted', 'per INR', 'titrated to')."""


def _one_drug(req: Requirement) -> str | None:
    """The one drug a dose requirement's subject names ('duloxetine', 'pregabalin'), else None."""
    if len(req.subject.split()) > 3:
        return None
    named = book().ingredients_in(req.subject)
    return named[0] if len(named) == 1 else None


def _highest_step(t: Trial) -> tuple[float, str] | None:
    """The highest daily dose of a course whose dose lists its titration steps (';'-separated,
    each with its own schedule), when a later step is higher than the first; None otherwise."""
    steps = [s for s in (t.treatment.dose or "").split(";") if s.strip()]
    if len(steps) < 2:
        return None
    daily = []
    for step in steps:
        one = t.treatment.model_copy(update={"dose": step, "frequency": step})
        if (d := daily_mg(replace(t, treatment=one))) is not None:
            daily.append(d)
    first = daily_mg(t)
    if not daily or first is None or max(daily) <= first:
        return None
    return round(max(daily), 4), "mg/day"


_AT_REQUEST_RE = re.compile(
    r"\b(?:at the time of|at|on the date of|as of|when)\s+(?:the\s+)?(?P<what>request|submission|"
    r"referral|renewal|reauthori[sz]ation)\b(?:\s+was\s+(?:submitted|made|sent))?|\bcurrent(?:ly)?\b",
    re.IGNORECASE,
)


def _asked_on(req: Requirement, scope: _Scope) -> tuple[dt.date, str] | None:
    """The date a dose ceiling is asked on ('at the time of the request', 'current') and how
    the letter names it; None when the criterion asks no dose at a date."""
    if req.comparator not in ("<", "<="):
        return None
    asked = _AT_REQUEST_RE.search(scope.criterion.text)
    if asked is None:
        return None
    day, named, _ = _anchored(_ANCHOR_RE.match(f" of {asked['what'] or 'request'}"), scope)
    return day, named


_STEP_RE = re.compile(rf"({NUMBER})\s*mg\b[^,;]*?\bfrom\s+", re.IGNORECASE)


def _step_on(t: Trial, day: dt.date) -> tuple[float, dt.date] | None:
    """The daily dose of a stepped course ('15 mg/day at start, 12.5 mg from 2026-05-04, ...,
    4 mg from 2026-08-31') in effect on ``day``, with the date its step began; None when the
    dose writes no dated steps, or the course takes more than one dose a day."""
    dose = t.treatment.dose or ""
    freq = (t.treatment.frequency or "").lower()
    if freq and not re.search(r"\bonce (?:a )?dai|\bdaily\b|\bper day\b|/day\b", freq):
        return None
    if re.search(r"\btwice|\bthree times|\bevery \d+ hours|\bbid\b|\btid\b", freq):
        return None
    steps = []
    for m in _STEP_RE.finditer(dose):
        dates = find_dates(dose[m.end() : m.end() + 30])
        if dates and dates[0][1] == 0:
            steps.append((dates[0][0], number_value(m.group(1))))
    in_effect = [(d, mg) for d, mg in steps if d <= day]
    if not in_effect:
        return None
    since, mg = max(in_effect)
    return mg, since


def _running_at_request(req: Requirement, scope: _Scope, trials: list[Trial]) -> list[Trial]:
    """Of the courses a dose ceiling is compared with, those the patient was on when the request
    was made ('prednisone 5 mg per day or less at the time of the request'): a course started
    after the notice (a relapse's higher dose after the denial) is no dose the payer judged.
    The courses running on the request's date when the criterion asks the dose then; else,
    for any ceiling, those started by the notice's date. All of them when none is left."""
    if req.comparator not in ("<", "<="):
        return trials
    text = scope.criterion.text
    asked = _AT_REQUEST_RE.search(text)
    if asked is not None:
        day = _anchored(_ANCHOR_RE.match(f" of {asked['what'] or 'request'}"), scope)[0]
        running = [
            t
            for t in trials
            if t.treatment.start is not None
            and t.treatment.start <= day
            and (t.treatment.end is None or t.treatment.end >= day)
        ]
        if running:
            return running
    before = [
        t for t in trials if t.treatment.start is None or t.treatment.start <= scope.reference
    ]
    return before or trials


def _dose(req: Requirement, scope: _Scope) -> RequirementVerdict:
    drug = _one_drug(req) or _drug_of_dose(req, scope.criterion)
    if drug is not None:
        # a drug's dose is compared with a course of THAT drug only, never another's
        trials = [t for t in scope.facts.trials if t.ingredient == drug]
        if not trials:
            return _verdict(
                req, "unknown", f"no {req.subject} course recorded", field="prior_treatments"
            )
    else:
        trials, _ = _failed(req, scope.trials(req), scope.criterion.text)
    trials = _running_at_request(req, scope, trials)
    limited = _dose_limit(req, scope, trials)
    if limited is not None:
        return limited
    dosed = [t for t in trials if t.treatment.dose]
    if not dosed:
        return _verdict(req, "unknown", "no dose recorded", field="prior_treatments[].dose")
    if req.value is not None and (req.unit or "").startswith("mg"):
        doses = [(t, _mg_in(t, req.unit or "")) for t in dosed]
        known = [(t, d) for t, d in doses if d is not None]
        titrated = [t for t in dosed if _TITRATED_RE.search(t.treatment.dose or "")]
        if not known and titrated:
            # 'INR-adjusted', 'per INR', 'titrated to': the record states the dose as the one
            # that reached its target; stated for the physician to confirm, never a gap
            said = ", ".join(f"{t.name} {t.treatment.dose}" for t in titrated)
            held = _verdict(req, "unknown", said, (t.path for t in titrated))
            return held.model_copy(update={"confirm": True})
        if not known:
            return _verdict(req, "unknown", "dose not in mg", field="prior_treatments[].dose")
        if req.comparator in (">", ">=") and (req.unit or "") == "mg/day":
            # a titrated course ('40 mg twice daily (80 mg/day) from ...; 160 mg once daily
            # from ...'): the highest daily dose it reached answers a floor, never its first
            known = [(t, _highest_step(t) or d) for t, d in known]
        day = _asked_on(req, scope)
        if day is not None and (req.unit or "") == "mg/day":
            # a tapered course ('15 mg/day at start, ..., 4 mg from 2026-08-31') asked at the
            # request: the step in effect on the request's date, with that step's date
            stepped = [(t, _step_on(t, day[0])) for t, _ in known]
            if stepped and all(step for _, step in stepped):
                found = ", ".join(
                    f"{t.name}: {_num(mg)} mg/day from {fmt_date(since)}, the dose on {day[1]}"
                    for t, (mg, since) in ((t, step) for t, step in stepped if step)
                )
                top = max(mg for _, step in stepped if step for mg, _ in [step])
                paths = [t.path for t, _ in stepped]
                return _verdict(req, _compare(req, top), found, paths, top)
        best = max(known, key=lambda p: p[1][0])
        # a daily dose with its arithmetic: strength x tablets x frequency
        found = ", ".join(
            f"{t.name}: {daily_dose_shown(t, d, unit) if unit == 'mg/day' else f'{d:g} {unit}'}"
            for t, (d, unit) in known
        )
        return _verdict(
            req, _compare(req, best[1][0]), found, (t.path for t, _ in known), best[1][0]
        )
    rows = adequate_doses(scope.diagnoses)
    compared = [
        (t, d, rows[t.ingredient])
        for t in dosed
        if t.ingredient in rows and (d := daily_mg(t)) is not None
    ]
    if not compared:
        found = ", ".join(f"{t.name} {t.treatment.dose}" for t in dosed)
        return _verdict(req, "met", found + " (final doses as recorded)", (t.path for t in dosed))
    low = [(t, d, m) for t, d, m in compared if d < m]
    parts = [f"{t.name} {d:g} mg/day (label's effective dose {m:g})" for t, d, m in low]
    if not low:
        # the reference dose is written without a unit: beside a drug's name, 'mg' would read
        # as that drug's dose
        each = ", ".join(f"{t.name} {d:g} mg/day, label minimum {m:g}" for t, d, m in compared)
        parts = [f"each at or above its label's effective daily dose ({each})"]
    rest = [t for t in dosed if t not in [c[0] for c in compared]]
    parts += [f"{t.name} {t.treatment.dose} (no reference dose)" for t in rest]
    status: Status = "not_met" if low else "met"
    return _verdict(
        req, status, "; ".join(parts), (t.path for t in dosed), field="prior_treatments[].dose"
    )


class _DoseRow(BaseModel):
    ingredient: str
    mg_per_day: float
    conditions: list[str]
    source: str = Field(min_length=10)


@cache
def _dose_rows() -> tuple[_DoseRow, ...]:
    import yaml

    from .classes import DATA

    data = yaml.safe_load((DATA / "adequate_doses.yaml").read_text(encoding="utf-8"))
    return tuple(_DoseRow.model_validate(r) for r in data["rows"])


def adequate_doses(diagnoses: tuple[str, ...]) -> dict[str, float]:
    """Ingredient -> the label's lowest effective daily dose in mg, for rows whose ICD-10-CM
    categories the case's diagnoses fall under."""
    return {
        row.ingredient: row.mg_per_day
        for row in _dose_rows()
        if any(code.upper().startswith(c) for code in diagnoses for c in row.conditions)
    }


_NUMBER_AFTER_RE = re.compile(rf"[^\d]{{0,25}}?({NUMBER})")


def _measured(observation: Observation, name: str) -> float | None:
    for measure in measure_book().measures:
        if measure.name != name:
            continue
        match = measure.word_re.search(observation.text)
        if match is None:
            return None
        # '5 mm dynamic translation', '8 degrees angular motion': the number in the measure's
        # unit just before its name
        before = numbers_in(observation.text[max(0, match.start() - 20) : match.start()])
        unit = unit_key(measure.unit)
        if unit == "%":  # 'FVC 2.28 L (72% predicted)': the figure in percent, not the litres
            percents = [v for v, u in numbers_in(observation.text[match.end() :]) if u == "%"]
            if percents:
                return percents[0]
        if unit and unit not in ("point", "%") and before and before[-1][1] == unit:
            return before[-1][0]
        if observation.finding and measure.word_re.search(observation.name):
            value = observation.finding.value
            # 'Weight / BMI': '241 lb, height 66 in, BMI 38.9 kg/m2' -> the number after 'BMI'
            named = measure.word_re.search(value)
            lead = (
                _NUMBER_AFTER_RE.match(value, named.end()) if named else None
            ) or _NUMBER_AFTER_RE.match(value)
            if lead:
                return number_value(lead.group(1))
        after = _NUMBER_AFTER_RE.match(observation.text, match.end())
        return number_value(after.group(1)) if after else None
    return None


_UNIT_ONLY_RE = re.compile(
    r"^(?:%|[a-zµμ]{1,6}(?:/[a-z0-9.]{1,8})+|mm ?hg|mm|cm|kg|mg|g|units?)$", re.IGNORECASE
)
_CLAUSE_END_RE = re.compile(r"[.;:,()]|\b(?:and|or|AND|OR)\b")


def _named_subject(req: Requirement, criterion: str) -> Requirement:
    """A requirement whose subject is only a unit ('mcg/mL' of 'b. Trough concentration below 5
    mcg/mL') named by the words its clause writes before its span ('Trough concentration')."""
    if not _UNIT_ONLY_RE.match(req.subject.strip()):
        return req
    at = criterion.find(req.span)
    if at <= 0:
        return req
    words = _CLAUSE_END_RE.split(criterion[:at])[-1].split()[-5:]
    name = " ".join(w for w in words if re.match(r"^[A-Za-z][\w-]*$", w))
    if len(name) <= 2:
        return req
    # 'Serum sodium below 130 mEq/L' typed with the unit as its subject: the unit is the
    # value's own ('mEq/L'), so a panel's 'Sodium 126 mEq/L' is read in it
    return req.model_copy(update={"subject": name, "unit": req.unit or req.subject.strip()})


_DOSES_RE = re.compile(
    r"^(?:[\w-]+\s+)?(?:doses|infusions|injections|administrations)$", re.IGNORECASE
)
_REGIMEN_RE = re.compile(r"\d+(?:\.\d+)?\s*(?:mg|mcg|g|units?)(?:/kg)?", re.IGNORECASE)


def _dose_count(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """'for at least 2 doses' of a regimen the criterion names ('10 mg/kg every 8 weeks'): the
    doses the course of that regimen states ('3 doses (08/04, 09/29, 11/24/2026)')."""
    if req.unit or req.value is None or not _DOSES_RE.match(req.subject.strip()):
        return None
    text = scope.criterion.text
    courses = []
    for t in scope.facts.trials:
        dose = _REGIMEN_RE.search(f"{t.treatment.dose or ''} {t.treatment.name}")
        every = t.treatment.frequency or ""
        if (
            dose
            and every
            and re.search(
                rf"(?<![\d.]){re.escape(dose.group(0))}\s+{re.escape(every)}", text, re.IGNORECASE
            )
        ):
            courses.append(t)
    stated = [t for t in courses if t.count > 1]
    if not stated:
        return None
    best = max(stated, key=lambda t: t.count)
    found = f"{best.count} doses of {best.name}"
    done = _verdict(req, _compare(req, best.count), found, [best.path], float(best.count))
    return _worded(done, kind=RequirementKind.trial_count, subject="the regimen", unit="doses")


_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "2": 2, "3": 3, "4": 4}
_HOW_MANY_RE = re.compile(
    r"\b(two|three|four|[234])\s+(?:[\w-]+\s+){0,3}?(?:tests?|measurements?|readings?|results?"
    r"|levels?|values?|studies)\b",
    re.IGNORECASE,
)


def _clause_before(req: Requirement, criterion: Criterion) -> str:
    """The words of the criterion's clause before the requirement's span ('(a) Two GH
    stimulation tests with peak GH' before 'below 10 ng/mL')."""
    at = _span_at(req, criterion)
    if at <= 0:
        return ""
    return re.split(r"[.;:()]|\b(?:AND|OR)\b", criterion.text[:at])[-1].strip()


def _value_in(o: Observation, unit: str | None) -> float | None:
    """The finding's value: its first number, in the requirement's unit when it has one."""
    value = o.finding.value if o.finding else ""
    for m in re.finditer(rf"({NUMBER})\s*([^\s\d,;()]*)", value):
        if not unit or m.group(2).lower().replace(" ", "") == unit.lower().replace(" ", ""):
            return number_value(m.group(1))
    return None


_READING_RE = re.compile(rf"(?<![-–\d.])(?<!to )({NUMBER})\s*([^\s\d,;()]+)")


def _extreme_of_day(o: Observation, first: float, req: Requirement) -> float:
    """Of several readings the finding writes for its own day before any later one ('3.1
    mEq/L at 10:20 and 2.8 mEq/L at 15:30 on 11/02; 3.0 on 11/03'), the one that bears on the
    bar: the lowest for a 'below', the highest for an 'above'. Each reading must carry the
    unit itself; a parenthesis (a reference range) and a range's bounds are never readings."""
    if req.comparator is None or o.finding is None:
        return first
    day = re.sub(r"\([^()]*\)", " ", o.finding.value).split(";")[0]
    unit = (req.unit or "").lower().replace(" ", "")
    readings = [
        number_value(m.group(1))
        for m in _READING_RE.finditer(day)
        if m.group(2).lower().replace(" ", "") == unit
        and not re.match(r"\s*(?:-|–|to\b)", day[m.end() :])
    ]
    if len(readings) < 2 or first not in readings:
        return first
    return min(readings) if req.comparator in ("<", "<=") else max(readings)


def _finding_value(req: Requirement, scope: _Scope, field: str) -> RequirementVerdict | None:
    """A value in a unit read from the findings the requirement's own words name ('peak GH
    below 10 ng/mL': 'Arginine GH stimulation test, peak GH 4.8 ng/mL'); when the clause asks
    for more than one result ('Two GH stimulation tests with peak GH below 10 ng/mL'), as many
    must meet it, and fewer on record leave it unknown."""
    if req.value is None or req.comparator is None:
        return None
    clause = _clause_before(req, scope.criterion)
    values: list[tuple[Observation, float]] = []
    for name in (req.subject, clause):
        found = scope._named_findings(name) if name else []
        values = [(o, v) for o in found if (v := _value_in(o, req.unit)) is not None]
        values = [(o, _extreme_of_day(o, v, req)) for o, v in values]
        if values:
            break
    if not values:
        return None
    many = _HOW_MANY_RE.search(clause)
    need = _COUNT_WORDS[many.group(1).lower()] if many else 1
    unit = f" {req.unit}" if req.unit and req.unit != "%" else (req.unit or "")
    if need == 1 and len(values) > 1 and _EACH_RE.search(_clause_around(req, scope.criterion)):
        return _each(req, values, field)
    if need == 1:
        o, v = _latest(values, scope)
        when = f" on {fmt_date(o.date)}" if o.date else ""
        latest = f"{o.name} {_num(v)}{unit}{when}"
        return _verdict(req, _compare(req, v), latest, [o.path], v, field)
    meeting = [(o, v) for o, v in values if _compare(req, v) == "met"]
    status: Status = "met" if len(meeting) >= need else "not_met"
    if len(meeting) < need and len(values) < need:
        status = "unknown"  # a result still to come may meet it
    each = "; ".join(f"{o.name} {_num(v)}{unit}" for o, v in values)
    counted = f"{len(meeting)} of the {need} results required ({each})"
    done = _verdict(req, status, counted, [o.path for o, _ in values], float(len(meeting)), field)
    return done.model_copy(update={"required": f"{need} results of {_required(req)}"})


_UNIT_SUBJECTS = {
    "seconds": r"s(?:ec(?:ond)?s?)?", "second": r"s(?:ec(?:ond)?s?)?", "ms": r"ms",
    "milliseconds": r"ms|milliseconds?", "minutes": r"min(?:ute)?s?", "mm": r"mm", "cm": r"cm",
    "mmhg": r"mm ?hg",
}  # fmt: skip
_CLAUSE_STOP = frozenset({"more", "less", "than", "least", "most", "with", "from", "greater"})


def _unit_subject_value(req: Requirement, scope: _Scope, field: str) -> RequirementVerdict | None:
    """A measure the reading typed by its unit only ('reflux of more than 0.5 seconds': subject
    'seconds'): the finding that names the clause's measure ('reflux') with a number in that
    unit right after it ('GSV reflux 1.1 seconds'); the same measure, so it is compared."""
    unit = _UNIT_SUBJECTS.get(req.subject.strip().lower())
    if unit is None or req.unit or req.value is None or req.comparator is None:
        return None
    words = [
        w for w in re.findall(r"[a-z]{4,}", _clause_before(req, scope.criterion).lower())
        if w not in _CLAUSE_STOP
    ]  # fmt: skip
    if not words:
        return None
    said = re.compile(rf"\b{words[-1]}\b\D{{0,30}}?({NUMBER})\s*(?:{unit})\b", re.IGNORECASE)
    values = [
        (o, number_value(m.group(1))) for o in scope.facts.observations
        if o.kind != "summary" and (m := said.search(o.text))
    ]  # fmt: skip
    if not values:
        return None
    o, v = _latest(values, scope)
    when = f" on {fmt_date(o.date)}" if o.date else ""
    found = f"{words[-1]} {_num(v)} {req.subject.strip()}{when}"
    verdict = _verdict(req, _compare(req, v), found, [o.path], v, field)
    # what is required in the criterion's own words ('reflux of more than 0.5 seconds')
    own = re.search(
        rf"\b{words[-1]}\b[^.;:]{{0,40}}?{re.escape(req.span)}\s*{re.escape(req.subject.strip())}",
        scope.criterion.text, re.IGNORECASE,
    )  # fmt: skip
    return verdict.model_copy(update={"required": own.group(0)}) if own else verdict


_LABELLED_RE = re.compile(rf"\s*(?P<label>[A-Za-z][\w-]{{0,9}})\s*:?\s*{NUMBER}")
"""A value that opens with another measure's label ('pH 7.37, PaCO2 59 mm Hg')."""


def _bare_named(text: str, subject: str) -> float | None:
    """The number written right after the measure's own name, whatever its unit ('FiO2 0.35',
    'PEEP 5'); None when the name is not followed by one."""
    pattern = rf"(?<![\w-]){re.escape(subject)}(?![\w-])\s*(?:of|=|:|was|is)?\s*({NUMBER})"
    m = re.search(pattern, text, re.IGNORECASE)
    return number_value(m.group(1)) if m else None


def _titled(o: Observation, subject: str) -> float | None:
    """A finding's value for the measure its name names: the number after the measure's name
    where the name or the value writes one ('Arterial blood gas, FiO2 0.35' -> 0.35), else the
    value's first number unless another measure's label opens it ('pH 7.37' is no FiO2)."""
    value = o.finding.value if o.finding else ""
    own = _bare_named(f"{o.name}; {value}", subject)
    if own is not None:
        return own
    opened = _LABELLED_RE.match(value)
    if opened and opened["label"].lower() != subject.lower():
        return None
    return _value_in(o, None)


def _titled_value(req: Requirement, scope: _Scope, field: str) -> RequirementVerdict | None:
    """A score with no unit read from the finding whose name is the score's own ('DXA T-score,
    lumbar spine: -3.1' for 'a T-score of -2.5 or lower'; 'Height SDS: -2.38'): the same
    measure by name, so its value is compared; the latest when several."""
    subject = req.subject.strip()
    if req.unit or req.value is None or req.comparator is None or len(subject) < 3:
        return None
    named = re.compile(rf"(?<![\w-]){re.escape(subject)}(?![\w-])", re.IGNORECASE)
    values = [
        (o, v) for o in scope.facts.observations
        if o.finding is not None and named.search(o.name) and (v := _titled(o, subject)) is not None
    ]  # fmt: skip
    if not values:
        return None
    o, v = _latest(values, scope)
    when = f" on {fmt_date(o.date)}" if o.date else ""
    return _verdict(req, _compare(req, v), f"{o.name} {_num(v)}{when}", [o.path], v, field)


_PREDICTED_RE = re.compile(r"\bpredicted\b|\bpred\b|%\s*pred", re.IGNORECASE)
_STATED_PERCENT_RE = re.compile(
    rf"\s*(?:of\s+|was\s+|is\s+|[:=]\s*)?({NUMBER})\s*%\s*(?:of\s+)?pred"
)
_AGAINST_PREDICTED_RE = re.compile(
    rf"\s*(?:of\s+|was\s+|is\s+|[:=]\s*)?({NUMBER})\s*([A-Za-z/]+)\s*\(\s*(?:predicted|pred\.?)"
    rf"\s*({NUMBER})\s*\2?\s*(?:,\s*({NUMBER})\s*%)?\s*\)",
    re.IGNORECASE,
)


def _own_names(req: Requirement, criterion: str) -> list[str]:
    """The subject's names: ``_subject_names``, and the acronym the criterion writes right after
    it ('residual volume (RV)' -> 'RV')."""
    names = _subject_names(req, criterion)
    m = re.search(rf"{re.escape(req.subject)}\s*\(([A-Z][A-Za-z0-9]{{1,7}})\)", criterion, re.I)
    return [*names, m.group(1)] if m else names


def _percent_predicted(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A value in percent of predicted ('RV of 175% predicted or greater') a finding writes
    after the measure's name: stated ('RV 168% predicted'), or worked out from the measured
    and predicted values it gives ('RV 4.21 L (predicted 2.31 L)': 182%); the latest finding
    that writes one. None when the requirement is not in percent of predicted or no finding
    names the measure with one (never another measure's percentage)."""
    if (req.unit or "") != "%" or req.value is None or req.comparator is None:
        return None
    if not _PREDICTED_RE.search(f"{req.span} {_clause_around(req, scope.criterion)}"):
        return None
    facts = sorted(
        (o for o in scope.facts.observations if o.kind != "summary"),
        key=lambda o: -(o.date or dt.date.min).toordinal(),
    )
    field = f"objective_findings (a {req.subject} result in % predicted)"
    for o in facts:
        for name in _own_names(req, scope.criterion.text):
            whole = name.isupper()
            for _, end in literal.finditer(o.text, name, ignore_case=not whole, whole=True):
                after = o.text[end : end + 60].split(";")[0]
                when = f" on {fmt_date(o.date)}" if o.date else ""
                if m := _STATED_PERCENT_RE.match(after):
                    v = number_value(m.group(1))
                    found = f"{name} {_num(v)}% predicted{when} ({o.name})"
                elif m := _AGAINST_PREDICTED_RE.match(after):
                    got, unit, pred = number_value(m.group(1)), m.group(2), number_value(m.group(3))
                    if not pred:
                        continue
                    v = number_value(m.group(4)) if m.group(4) else round(got / pred * 100)
                    found = (
                        f"{name} {_num(got)} {unit} against a predicted {_num(pred)} {unit}"
                        f"{when} ({o.name}): {_num(v)}% predicted"
                    )
                else:
                    continue
                return _with_margin(_verdict(req, _compare(req, v), found, [o.path], v, field))
    return None


_FORM_RE = re.compile(
    r"\b(?:ointment|cream|gel|lotion|foam|solution|shampoo|patch|drops|spray)s?\b", re.IGNORECASE
)
_PERCENT_RE = re.compile(r"(\d+(?:\.\d+)?)\s*%")


def _is_strength(req: Requirement) -> bool:
    """Whether a percent requirement is a drug's strength: its subject names a drug or a
    form ('0.1% ointment')."""
    if (req.unit or "") != "%" or req.value is None:
        return False
    return _one_drug(req) is not None or bool(_FORM_RE.search(req.subject))


def _drug_before(req: Requirement, criterion: Criterion) -> str | None:
    """The drug a strength written without one belongs to: the last drug named before it in
    its own list ('tacrolimus 0.03% or 0.1% ointment': tacrolimus), within its parenthesis or
    clause; None when none is."""
    at = _span_at(req, criterion)
    if at <= 0:
        return None
    before = re.split(r"[();:]", criterion.text[:at])[-1]
    named = book().ingredients_in(before)
    return named[-1] if named else None


def _drug_of_dose(req: Requirement, criterion: Criterion) -> str | None:
    """The drug a dose in mg written in parentheses right after it qualifies ('BOTH propranolol
    (at least 120 mg/day) AND primidone (at least 250 mg/day)'); None otherwise."""
    at = _span_at(req, criterion)
    if at <= 0 or not (req.unit or "").startswith("mg"):
        return None
    head = criterion.text[:at].rstrip()
    if not head.endswith("("):
        return None
    named = book().ingredients_in(re.split(r"[();:,]", head[:-1])[-1])
    return named[-1] if named else None


def _strength(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A drug's strength in percent ('tacrolimus 0.03% or 0.1% ointment', 'pimecrolimus 1%
    cream'): compared with the strength of a course of that drug (of that form, when the
    subject names only a form), never with a finding's percent (a body-surface area). None when
    the requirement is no percent or names no drug or form."""
    if not _is_strength(req):
        return None
    drug = _one_drug(req) or _drug_before(req, scope.criterion)
    if drug is None:  # a form with no drug of its own words ('0.1% ointment'): which drug is
        # not said here, so no course is known to be it; never a finding's percent
        return _verdict(
            req,
            "unknown",
            "a drug's strength; no course of it identified",
            field="prior_treatments",
        )
    courses = [t for t in scope.facts.trials if t.ingredient == drug]
    strengths = [
        (t, float(m[1]))
        for t in courses
        if (m := _PERCENT_RE.search(f"{t.treatment.name} {t.treatment.dose or ''}"))
    ]
    if not strengths:
        return _verdict(
            req, "unknown", f"no {req.subject} course recorded", field="prior_treatments"
        )
    best = max(v for _, v in strengths)
    found = ", ".join(f"{c.name} {v:g}%" for c, v in strengths)
    return _verdict(req, _compare(req, best), found, (c.path for c, _ in strengths), best)


_REDUCES_RE = re.compile(r"\b(?:reduc|lower|decreas|spar)\w*", re.IGNORECASE)
_PAIRED_RE = re.compile(
    rf"(?P<label>[A-Za-z][^:;]{{1,60}}?):\s*(?P<a_arm>[A-Za-z][\w-]*)\s+(?P<a>{NUMBER})"
    rf"\s*(?P<unit>[A-Za-z]+)?[^,;]{{0,12}},\s*(?P<b_arm>[A-Za-z][\w-]*)\s+(?P<b>{NUMBER})"
    rf"(?:\s*[A-Za-z]+(?:\([A-Za-z]+\))?)?"
)
"""One structure's value under two plans ('Spinal cord Dmax (0.03 cc): VMAT 21.6 Gy, IMPT 3.9
Gy(RBE)'), the reference plan first."""


def _relative_reduction(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A relative reduction asked of one plan against another ('reduces the mean or maximum
    dose to at least one named critical structure by 10% or more'): computed from a finding
    that states each structure's value under both plans, (reference - proposed) / reference,
    the largest of the structures; a target's coverage is no structure spared. None when the
    criterion asks no such reduction or no finding pairs values."""
    if req.unit != "%" or not _REDUCES_RE.search(_clause_around(req, scope.criterion)):
        return None
    target = measure_book().words_re("target_volumes")
    best: tuple[float, str, str] | None = None
    for o in scope.facts.observations:
        said = o.finding.value if o.finding else ""
        for part in re.split(r"(?<=[^\d])\.\s+|;\s*", said):
            m = _PAIRED_RE.match(part.strip())
            if m is None or target.search(m["label"]):
                continue
            a, b = number_value(m["a"]), number_value(m["b"])
            if a <= 0 or b >= a:
                continue
            cut = (a - b) / a * 100
            if best is None or cut > best[0]:
                shown = f"{' '.join(m.group(0).split())}: {_num(round(cut))}% lower"
                best = (cut, shown, o.path)
    if best is None:
        return None
    cut, shown, path = best
    name = next(o.name for o in scope.facts.observations if o.path == path)
    verdict = _verdict(req, _compare(req, round(cut)), f"{shown} ({name})", [path], round(cut))
    asked = f"{_CMP_WORDS[req.comparator or '>=']} {_num(req.value or 0)}%"
    required = f"a relative reduction of {asked} for {req.subject}"
    return verdict.model_copy(update={"required": required})


def _threshold(req: Requirement, scope: _Scope) -> RequirementVerdict:
    if (reduced := _relative_reduction(req, scope)) is not None:
        return reduced
    if (doses := _dose_count(req, scope)) is not None:
        return doses
    counted = (req.unit or req.subject).split()
    if counted and _TIMES_RE.fullmatch(counted[-1]) and (rate := _per_period(req, scope)):
        return rate  # 'at least 3 times per week': how often, never a reading of a measure
    if (strong := _strength(req, scope)) is not None:
        return strong
    if (predicted := _percent_predicted(req, scope)) is not None:
        return predicted
    renamed = _named_subject(req, scope.criterion.text)
    if renamed is not req:
        verdict = _threshold(renamed, scope)
        return verdict.model_copy(update={"requirement": req})
    special = (
        _age(req, scope)
        or _condition_count(req, scope)
        or _relative_count(req, scope)
        or _change(req, scope)
    )
    if special is not None:
        return special
    name, found = scope.observations(req)
    field = f"objective_findings (a {name or req.subject} result)"
    # a change ('a decline in BMD of at least 5%') is two dated results of the measure or a
    # fact stating the change, never one reading of it or of another (a FRAX probability)
    change = _asks_change(req, scope) or _asks_amount_change(req, scope)
    said = {o.path: o for o in scope.facts.observations}
    if change:
        found = [o for o in found if _states_change(o)]
    values = [
        (o, v) for o in found if o.kind != "summary" and (v := _measured(o, name)) is not None
    ]
    # 'TWSTRS severity': of the scale's results, the part the subject names when one is named
    own = {o.path for o in scope._named_findings(req.subject)} if values else set()
    values = [p for p in values if p[0].path in own] or values
    if not values and req.classes and req.value is not None:
        # "at least one comorbidity (type 2 diabetes, hypertension or sleep apnea)": count the
        # case's diagnoses the list names; none named stays unknown (the list may be examples)
        named = [
            (path, text)
            for path, text in scope.conditions
            if any(_words_in(item, text) for item in req.classes)
        ]
        if named:
            shown = "; ".join(text for _, text in named)
            count = float(len(named))
            return _verdict(req, _compare(req, count), shown, [p for p, _ in named], count, field)
    if not values:
        measured = (
            _named_value(req, scope, field)
            or _finding_value(req, scope, field)
            or _measured_by_meaning(req, scope, field)
            or _titled_value(req, scope, field)
            or _unit_subject_value(req, scope, field)
        )
        if (
            change
            and measured is not None
            and not all(p in said and _states_change(said[p]) for p in measured.evidence)
        ):
            what = re.sub(r"^.*?\b(?:in|of)\s+", "", req.subject)  # 'decline in BMD': 'BMD'
            what = "" if _CHANGE_NOUN_RE.search(what) else f"{what} "  # 'EITHER an increase'
            shown = f"no two dated {what}results to compare"
            return _verdict(req, "unknown", shown, field="objective_findings (dated results)")
        if measured is not None and _of_instrument(req, scope, name, measured.evidence):
            return _with_margin(measured)
        return _verdict(req, "unknown", f"no {name or req.subject} recorded", field=field)
    unit = _after(req.unit)
    if len(values) > 1 and _EACH_RE.search(_clause_around(req, scope.criterion)):
        return _each(req, values, field)
    values = [r for o, v in values for r in _readings(o, v, name)]
    values += [r for r in _derived_bmi(scope, name) if r[0].path not in {o.path for o, _ in values}]
    o, v = _latest(values, scope)
    when = f" on {fmt_date(o.date)}" if o.date else ""
    text = f"{measure_book().label(name)} {_num(v)}{unit}{when}"
    if o.text.startswith(_DERIVED):
        text += f" ({o.text[len(_DERIVED) :]})"
    measure = measure_book().measure(name)
    top = measure.valid_max if measure is not None else None
    asks_above = req.comparator in (">", ">=") and top is not None and (req.value or 0) >= top
    if measure is not None and top is not None and v > top and not asks_above:
        # (a criterion asking whether it is above that, 'when the ABI is greater than 1.3',
        # reads it as it is)
        return _verdict(req, "not_met", f"{text}: {measure.invalid}", [o.path], v, field)
    return _with_margin(_verdict(req, _compare(req, v), text, [o.path], v, field))


def _readings(o: Observation, value: float, name: str) -> list[tuple[Observation, float]]:
    """A finding whose value lists dated readings ('111.0 kg on 2024-03-11 (BMI 39.4); ...;
    109.9 kg on 2026-02-04 (BMI 39.0)'): each reading with its own date, not the first one
    under the finding's date; the finding as it is otherwise."""
    said = o.finding.value if o.finding else ""
    parts = [p for p in re.split(r";", said) if find_dates(p)]
    if len(parts) < 2:
        return [(o, value)]
    out = []
    for part in parts:
        one = replace(o, text=part, date=find_dates(part)[-1][0])
        if (v := _measured(one, name)) is not None:
            out.append((one, v))
    return out or [(o, value)]


_DERIVED = "computed: "
_WEIGHT_KG_RE = re.compile(
    # a weight, not a change of weight ('Weight loss of 12 kg')
    r"\b(?:weight|wt)\b(?!\s*(?:loss|gain|change|reduction|decrease|increase|lost|gained))"
    r"[^\d;]{0,12}(\d+(?:\.\d+)?)\s*(kg|lbs?)\b",
    re.I,
)
_HEIGHT_M_RE = re.compile(r"\b(?:height|ht)\b[^\d;]{0,12}(\d+(?:\.\d+)?)\s*(cm|m|in)\b", re.I)


def _derived_bmi(scope: _Scope, name: str) -> list[tuple[Observation, float]]:
    """BMI computed from a finding's own weight and height (kg / m squared), for the findings
    that state both and no BMI: a current measurement the record states only as weight and
    height ('Weight 104.8 kg, height 167.9 cm' -> 37.2)."""
    if name != "BMI":
        return []
    measure = measure_book().measure(name)
    plausible = measure.plausible if measure is not None else None
    out = []
    for o in scope.facts.observations:
        if o.kind == "summary" or re.search(r"\bbmi\b|body mass", o.text, re.I):
            continue
        w, h = _WEIGHT_KG_RE.search(o.text), _HEIGHT_M_RE.search(o.text)
        if w is None or h is None:
            continue
        kg, cm = converted(float(w[1]), w[2], "kg"), converted(float(h[1]), h[2], "cm")
        if kg is None or cm is None:
            continue
        m = cm / 100
        if not 0.5 < m < 2.5:
            continue
        bmi = round(kg / (m * m), 1)
        if plausible is not None and not plausible[0] <= bmi <= plausible[1]:
            continue
        how = f"{_DERIVED}{kg:.1f} kg divided by {m:.2f} m squared"
        out.append((replace(o, text=how), bmi))
    return out


def _in_window(
    values: list[tuple[Observation, float]], scope: _Scope
) -> list[tuple[Observation, float]]:
    """Of a measure's dated values, those on or before the date the criterion's time window
    counts back from ('HbA1c of 10% or less within the 90 days before the request': not one
    drawn after the request), or the date it names without a window ('blood pressure at the
    most recent visit before the request'); all of them when it names neither or none is that
    early."""
    anchor = _counted_back_from(scope)
    if anchor is None:
        return values
    early = [(o, v) for o, v in values if o.date is None or o.date <= anchor]
    return early or values


def _counted_back_from(scope: _Scope) -> dt.date | None:
    """The date the criterion's time window counts back from, or the date it names without a
    window ('at the most recent visit before the request'); None when it names neither."""
    window = next(
        (r for r in scope.criterion.requirements if r.kind == RequirementKind.time_window), None
    )
    said = _anchor(window, scope) if window is not None else _said_anchor(scope)
    return said[0] if said is not None else None


def _latest(values: list[tuple[Observation, float]], scope: _Scope) -> tuple[Observation, float]:
    """The latest of a measure's values the criterion's window or anchor lets count."""
    return max(_in_window(values, scope), key=lambda p: p[0].date or dt.date.min)


def _names_instrument(req: Requirement, criterion: Criterion) -> bool:
    """Whether a threshold asks a named scale's or measure's value ('Epworth Sleepiness Scale
    score of 14.5 or greater', 'AHI of 15 or more')."""
    if req.kind != RequirementKind.threshold:
        return False
    book = measure_book()
    named = f"{req.subject} {_clause_before(req, criterion)}"
    if any(m.word_re.search(named) for m in book.measures):
        return True
    return bool(_SCALE_RE.search(req.subject) and book.heads(_SCALE_RE.sub(" ", req.subject)))


def other_instrument(req: Requirement, criterion: Criterion, fact: str, scale: bool) -> bool:
    """Whether a fact is a result of another scale or measure than the one the threshold asks
    for (a STOP-BANG score under 'Epworth Sleepiness Scale score of 14.5 or greater'); False
    when the requirement names none or the fact is no scale's result (``scale``: a rating
    scale's finding)."""
    if not fact or not _names_instrument(req, criterion):
        return False
    book = measure_book()
    named = f"{req.subject} {_clause_before(req, criterion)}"
    asked = [m for m in book.measures if m.word_re.search(named)]
    result = scale or any(m.word_re.search(fact) for m in book.measures)
    if not result:
        return False
    if any(m.word_re.search(fact) for m in asked):
        return False
    short = re.findall(r"\(([A-Z][A-Za-z0-9-]{1,9})\)", criterion.text)
    if any(literal.bounded(fact, a) for a in short):
        return False
    own = book.heads(_SCALE_RE.sub(" ", req.subject))
    return not (own and not asked and book.stated_heads(own, fact) == own)


def another_measure(verdicts: list[RequirementVerdict], criterion: Criterion, fact: str) -> bool:
    """Whether a measured result (a lab, a vital sign, a score) is of none of the measures the
    criterion's thresholds name: a hemoglobin A1c under 'fasting C-peptide at or below 110% of
    the lower limit of normal' shares only the criterion's kind of words ('laboratory', '%').
    False when a requirement is not a threshold (the fact may answer it) or names no measure of
    its own, or the fact states one (its words, an alias, the abbreviation the criterion
    defines, the measure the book names)."""
    reqs = [v.requirement for v in verdicts]
    if not reqs or any(r.kind != RequirementKind.threshold for r in reqs):
        return False
    book = measure_book()
    short = re.findall(r"\(([A-Z][A-Za-z0-9-]{1,9})\)", criterion.text)
    if any(literal.bounded(fact, a) for a in short):
        return False
    for req in reqs:
        # the specimen ('serum IgG') names no measure: a serum albumin is another one
        own = book.heads(_SPECIMEN_RE.sub(" ", _SCALE_RE.sub(" ", req.subject)))
        if not own or book.stated_heads(own, fact):
            return False
        named = f"{req.subject} {_clause_before(req, criterion)}"
        if any(m.word_re.search(named) and m.word_re.search(fact) for m in book.measures):
            return False
    return True


_DATED_EVENT_KINDS = frozenset(
    {RequirementKind.test_done, RequirementKind.specialist, RequirementKind.time_window}
)
"""Requirements asking for a test or an evaluation and when it took place: a fact sharing only
the criterion's words (another specialty's visit under an 'ophthalmology exam') answers none."""


def events_unanswered(
    verdicts: list[RequirementVerdict], kinds: Iterable[RequirementKind] = _DATED_EVENT_KINDS
) -> bool:
    """Whether every requirement asks for an event of ``kinds`` that no fact states: facts
    sharing only the criterion's words answer none of it and are not shown under it."""
    return bool(verdicts) and all(
        v.status == "unknown" and not v.evidence and not v.confirm and v.requirement.kind in kinds
        for v in verdicts
    )


def instrument_unshown(verdict: CriterionVerdict, fact: str, scale: bool) -> bool:
    """Whether a fact is another scale's result than one a requirement of the criterion asks
    for (:func:`other_instrument`): it is not shown under the criterion by its words."""
    return any(
        other_instrument(rv.requirement, verdict.criterion, fact, scale)
        for rv in verdict.requirements
    )


def _of_instrument(req: Requirement, scope: _Scope, name: str, paths: list[str]) -> bool:
    """Whether the facts a value was read from are of the instrument the requirement names: a
    score of another scale never answers it (a STOP-BANG of 6 is no Epworth score). The
    instrument is the measure the book names (``name``), else the subject's own words less
    the words every scale shares ('Epworth Sleepiness Scale score' -> epworth, sleepiness);
    a subject naming no scale is any fact's."""
    book = measure_book()
    measure = next((m for m in book.measures if m.name == name), None)
    own = book.heads(_SCALE_RE.sub(" ", req.subject))
    if measure is None and not (_SCALE_RE.search(req.subject) and own):
        return True
    # an abbreviation the criterion defines for it ('Epworth Sleepiness Scale (ESS)') names it
    short = re.findall(r"\(([A-Z][A-Za-z0-9-]{1,9})\)", scope.criterion.text)
    texts = {o.path: f"{o.name} {o.text}" for o in scope.facts.observations}
    for path in paths:
        text = texts.get(path)
        if text is None or any(literal.bounded(text, a) for a in short):
            continue  # a treatment or the physician's own field: not a scale's value
        if measure is not None and not measure.word_re.search(text):
            return False
        if measure is None and not book.stated_heads(own, text):
            return False
    return True


def _each(
    req: Requirement, values: list[tuple[Observation, float]], field: str
) -> RequirementVerdict:
    """'At least 80% relief after each of two blocks': every result must meet it, each shown,
    with the gap of the one furthest from it."""
    return _every(req, [(o.name, o.date, o.path, v) for o, v in values], field)


def _every(
    req: Requirement, values: list[tuple[str, dt.date | None, str, float]], field: str
) -> RequirementVerdict:
    """Every result of the counted events (name, date, path, value) compared, whatever order the
    case gives them in: one short of the bar makes it not met, with that result's arithmetic
    ('block 2 70%: 10 percentage points short of the 80% required')."""
    unit = _after(req.unit)
    values = sorted(values, key=lambda p: (p[1] or dt.date.min, p[0], p[2]))
    short = [p for p in values if _compare(req, p[3]) != "met"]
    status: Status = "not_met" if short else "met"
    low = req.comparator in (">=", ">")
    far = (min if low else max)(short, key=lambda p: p[3]) if short else values[-1]
    shown = []
    for p in values:
        when = f" on {fmt_date(p[1])}" if p[1] else ""
        quoted = p[0].startswith("clinical summary:")  # the value first, then the sentence
        value = f"{_num(p[3])}{unit}{when}"
        said = f"{value} ({p[0]})" if quoted else f"{p[0]} {value}"
        if p is far and req.value is not None and req.comparator is not None:
            unit_ = (req.unit or "").strip()
            margin = _margin(req, p[3], "" if unit_ in ("grade", "points") else unit_)
            said += f": {margin}" if margin else ""
        shown.append(said)
    done = _verdict(req, status, "; ".join(shown), [p[2] for p in values], far[3], field)
    return _with_margin(done)


def _several_events(req: Requirement, criterion: Criterion) -> bool:
    """Whether the requirement's clause counts more than one event ('two separate diagnostic
    blocks, each with at least 80% relief'; 'after both blocks'): every result is compared."""
    return bool(
        _EACH_RE.search(_clause_around(req, criterion))
        or _COUNTED_RE.search(_clause_before(req, criterion))
    )


_MAX_EVENTS = 6
"""At most this many results of counted events are compared."""
_COUNTED_RE = re.compile(r"\b(?:two|three|four|[234])\s+(?:[\w-]+\s+){0,3}?[a-z]+s\b", re.I)
"""A count of events before a requirement's span ('Two separate diagnostic blocks')."""


def _with_margin(verdict: RequirementVerdict) -> RequirementVerdict:
    """The verdict with its arithmetic named: the gap to the bar when the value misses it, and
    for a percentage either way ('75%: 5 percentage points short of the 80% required')."""
    req = verdict.requirement
    unit = (req.unit or "").strip()
    if verdict.value is None or req.value is None or req.comparator is None:
        return verdict
    if verdict.status not in ("met", "not_met") or (verdict.status == "met" and unit != "%"):
        return verdict
    shown = "" if unit in ("grade", "points") else unit
    margin = _margin(req, verdict.value, shown)
    if not margin or margin in verdict.found:
        return verdict
    return verdict.model_copy(update={"found": f"{verdict.found}: {margin}"})


def _after(unit: str | None) -> str:
    """A unit as written after its number: '75%', '38 points'; none for a grade or points."""
    if not unit or unit in ("grade", "points"):
        return ""
    return unit if unit == "%" else f" {unit}"


_EACH_RE = re.compile(
    r"\beach\b|\bboth\b|\bevery\b|\ball (?:of )?(?:the )?\w+ (?:blocks|tests|injections)", re.I
)


def _clause_around(req: Requirement, criterion: Criterion) -> str:
    """The criterion's clause the requirement's span sits in (the words before and after it)."""
    at = _span_at(req, criterion)
    if at < 0:
        return req.span
    after = re.split(r"[.;:()]|\b(?:AND|OR)\b", criterion.text[at + len(req.span) :])[0]
    return f"{_clause_before(req, criterion)} {req.span}{after}"


_AGE_AT_RE = re.compile(
    r"\b(?:at|age[d]?|at the age of)\s+(\d{1,3})\b|\b(\d{1,3})[- ]years?[- ]old\b", re.IGNORECASE
)


_AGE_BAND_RE = re.compile(
    r"\b(?:between\s+(?:the\s+ages?\s+of\s+)?(?=\d{1,3}\s+and\s))?(\d{1,3})\s*"
    r"(?:-|–|to|through|(?<=\d )and)\s*(\d{1,3})\b",
    re.IGNORECASE,
)
"""An age band a requirement's span writes ('12-17', '13 to 17 years'): its first and last year."""


def _unit_only(req: Requirement) -> bool:
    """Whether a threshold's subject is only its unit or a number ('%' of 'at least 15% and no
    more than 45%'): the reading lost what it measures."""
    words = req.subject.replace(req.unit or "", " ")
    return re.search(r"[A-Za-z]{2,}", words) is None


def _named_bound(req: Requirement, criterion: Criterion) -> Requirement:
    """A bound whose subject is only its unit ('no more than 45%' after 'LVEF of at least
    15%') measures what the threshold before it in the criterion does, in the same unit."""
    if req.kind != RequirementKind.threshold or not _unit_only(req):
        return req
    reqs = criterion.requirements
    at = next((i for i, r in enumerate(reqs) if r is req or r == req), len(reqs))
    for before in reversed(reqs[:at]):
        if before.kind == req.kind and before.unit == req.unit and not _unit_only(before):
            return req.model_copy(update={"subject": before.subject})
    return req


_RANGE_RE = re.compile(rf"({NUMBER})\s*(?:%|[a-zA-Z/]+)?\s*(?:-|–|to|through)\s*({NUMBER})")
"""A range a threshold's span writes ('70 to 189 mg/dL', '15-45%'): its two ends."""


def _bounds(req: Requirement, criterion: Criterion) -> tuple[float, float] | None:
    """The two ends of the range a threshold is one end of: its span's own ('LDL-C of 70 to 189
    mg/dL'), or a threshold of the criterion bounding the same measure in the same unit from
    the other side ('at least 15% and no more than 45%'); None when it is one-sided."""
    if req.kind != RequirementKind.threshold or req.value is None or req.comparator is None:
        return None
    m = _RANGE_RE.search(req.span)
    if m and number_value(m.group(1)) == req.value < number_value(m.group(2)):
        return req.value, number_value(m.group(2))
    for other in criterion.requirements:
        if other.kind != req.kind or other.unit != req.unit or other.value is None:
            continue
        if other.subject != req.subject and not (_unit_only(other) or _unit_only(req)):
            continue
        above = req.comparator in (">=", ">") and other.comparator in ("<=", "<")
        if above and other.value > req.value:
            return req.value, other.value
        below = req.comparator in ("<=", "<") and other.comparator in (">=", ">")
        if below and other.value < req.value:
            return other.value, req.value
    return None


def _in_range(verdict: RequirementVerdict, criterion: Criterion) -> RequirementVerdict:
    """A threshold that is one end of a range, checked and stated at both ends: '28%, within
    15-45%'; a value outside is not met, with the end it misses. An age band is :func:`_age`'s."""
    req = verdict.requirement
    bounds = _bounds(req, criterion)
    value = verdict.value
    if bounds is None or value is None or verdict.status not in ("met", "not_met"):
        return verdict
    if req.subject.lower() == "age" or verdict.payer_met:
        return verdict
    low, high = bounds
    inside = low <= value <= high
    own = (m := _RANGE_RE.search(req.span)) is not None and number_value(m.group(1)) == low
    if not inside and not own:
        return verdict  # one of two bounds: its own end's verdict and arithmetic stand
    unit = (req.unit or "").strip()
    shown = "" if unit in ("grade", "points") else unit
    spaced = "" if shown in ("%", "") else " "
    found = verdict.found
    margin = _margin(req, value, shown)  # the one end's arithmetic gives way to the range's
    found = found.replace(f": {margin}", "") if margin else found
    span = f"{_num(low)}-{_num(high)}{spaced}{shown}"
    if inside:
        status: Status = "met"
        found = f"{found}, within {span}"
    else:
        status = "not_met"
        gap = value - high if value > high else low - value
        points = " percentage points" if shown == "%" else f"{spaced}{shown}"
        side = "over" if value > high else "short of"
        found = f"{found}: {_num(round(gap, 1))}{points} {side} the {span} range"
    subject = (
        req.subject[:1].lower() + req.subject[1:] if req.subject[1:2].islower() else req.subject
    )
    required = f"{subject} of {_num(low)} to {_num(high)}{spaced}{unit}".strip()
    field = verdict.field if status != "met" else None
    return verdict.model_copy(
        update={"status": status, "found": found, "required": required, "field": field}
    )


_AGE_WORDS_RE = re.compile(r"\bage[sd]?\b|\byears? (?:of age|old)\b", re.IGNORECASE)


def _as_age_band(req: Requirement, criterion: Criterion) -> Requirement:
    """A requirement read from an age band ('Age 18 through 60 years at the time of the
    stroke', 'Members aged 12-17') as the age threshold it is: the patient's age from the band's
    first year, the band's words its span (:func:`_age` checks both ends); else as read."""
    if req.kind not in (RequirementKind.duration, RequirementKind.threshold):
        return req
    clause = _clause_around(req, criterion)
    band = _AGE_BAND_RE.search(req.span) or _AGE_BAND_RE.search(clause)
    if band is None or not _AGE_WORDS_RE.search(clause):
        return req
    low, high = float(band.group(1)), float(band.group(2))
    if not low < high <= 120 or req.value not in (low, high):
        return req
    if req.kind == RequirementKind.threshold and req.unit and req.subject.lower() == "age":
        return req  # already an age threshold, its span the band
    span = band.group(0) if band.group(0) in criterion.text else req.span
    update = {"kind": RequirementKind.threshold, "subject": "age", "comparator": ">=",
              "value": low, "unit": "years", "span": span}  # fmt: skip
    return req.model_copy(update=update)


def _is_age(req: Requirement, scope: _Scope) -> bool:
    """A threshold in years stated of a person's age ('18 years of age or older')."""
    if (req.unit or "").lower().rstrip("s") != "year" or req.value is None:
        return False
    book = measure_book()
    return bool(book.words_re("age_words").search(f"{req.subject} {req.span}"))


def _age(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """An age requirement: a relative's age from the facts naming the relative ('maternal aunt:
    breast cancer at age 44') when the criterion speaks of a relative; else the patient's, from
    the date of birth, on the date of the event the criterion names (a diagnosis dated in the
    case) or on the denial's date; else the age the summary states ('a 63-year-old woman')."""
    if not _is_age(req, scope):
        return None
    book = measure_book()
    text = scope.criterion.text
    at = text.lower().find(req.span.lower())
    before = text[: at if at > 0 else len(text)]
    clause = re.split(r"[;.]|\bAND\b|\band\b", before)[-1]
    if book.words_re("relative_words").search(clause):
        return _relative_age(req, scope)
    field = "patient.date_of_birth"
    # the event an age is counted at may follow it ('18 through 60 years at the time of the
    # stroke')
    after = re.split(r"[;.]|\bAND\b|\band\b", text[at + len(req.span) :])[0] if at >= 0 else ""
    event = book.words_re("event_words").search(f"{req.span} {clause} {after}") is not None
    when, where = scope.reference, f"on {fmt_date(scope.reference)}"
    if event:
        dated = [
            o
            for o in scope.facts.observations
            if o.date and re.search(r"diagnos|onset", o.text, re.IGNORECASE)
        ]
        if dated:
            first_day = min(o.date for o in dated if o.date)
            when, where = first_day, f"at diagnosis, {fmt_date(first_day)}"
    born = scope.facts.birth
    band = _AGE_BAND_RE.search(req.span)
    if band is None or float(band.group(1)) != req.value:
        band = None
    if born is not None and born < when:
        years = float(years_between(born, when))
        status = _compare(req, years)
        if band is not None:  # 'age 12-17': within the band, not only past its first year
            status = "met" if float(band.group(1)) <= years <= float(band.group(2)) else "not_met"
        if event and when == scope.reference and status != "met" and req.comparator in ("<", "<="):
            # today's age is over the limit; the age at an undated diagnosis may not be
            return _verdict(
                req, "unknown", f"{years:.0f} years today; the date of diagnosis is not recorded",
                ["patient.date_of_birth"], years, "clinical_summary (the date of diagnosis)",
            )  # fmt: skip
        found = f"{years:.0f} years {where} (born {fmt_date(born)})"
        # an age is no missing fact: no field of the case would change it (field None)
        verdict = _verdict(req, status, found, ["patient.date_of_birth"], years, None)
        if band is not None:
            required = f"an age of {band.group(1)} to {band.group(2)} years"
            verdict = verdict.model_copy(update={"required": required})
        return verdict
    for o in scope.facts.observations:
        if o.kind != "summary":
            continue
        m = re.search(r"\b(\d{1,3})[- ]years?[- ]old\b", o.text, re.IGNORECASE)
        if m and not event:
            years = float(m.group(1))
            found = f"{years:.0f} years ({_said_text(o)})"
            return _verdict(req, _compare(req, years), found, [o.path], years, field)
    return _verdict(req, "unknown", "no date of birth recorded", field=field)


def _said_text(o: Observation, limit: int = 80) -> str:
    return f"clinical summary: “{_clip(o.text.rstrip('.'), limit)}”"


def _relative_age(req: Requirement, scope: _Scope) -> RequirementVerdict:
    """A relative's age at an event, from the facts that name a relative with an age."""
    relatives = measure_book().words_re("relative_words")
    ages: list[tuple[str, str, float]] = []
    for o in scope.facts.observations:
        for part in re.split(r"[;.]", o.finding.value if o.finding else o.text):
            if relatives.search(part):
                ages += [
                    (o.path, part.strip(), float(m.group(1) or m.group(2)))
                    for m in _AGE_AT_RE.finditer(part)
                ]
    field = "objective_findings (a family history naming each relative's age at diagnosis)"
    if not ages:
        return _verdict(req, "unknown", "no relative's age recorded", field=field)
    meeting = [a for a in ages if _compare(req, a[2]) == "met"]
    path, part, years = (meeting or ages)[0]
    status: Status = "met" if meeting else "not_met"
    return _verdict(req, status, _clip(part, 90), [path], years, field)


_AFFECTED_RE = re.compile(r":|\bwith\b|\bdiagnos|\bhad\b|\bat age\b", re.IGNORECASE)


def _relative_count(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A count of relatives ('at least one close blood relative with ...'): the parts of the
    findings that name a relative (a family history: 'Sister: ovarian cancer at age 58;
    maternal aunt: breast cancer at age 44'), then of the summary when no finding names one."""
    relatives = measure_book().words_re("relative_words")
    if req.value is None or req.unit or not relatives.search(req.subject):
        return None
    named: list[tuple[str, str]] = []
    for summary in (False, True):
        for o in scope.facts.observations:
            if (o.kind == "summary") != summary:
                continue
            text = o.finding.value if o.finding else o.text
            named += [
                (o.path, p.strip())
                for p in re.split(r"[;]", text)
                if relatives.search(p) and _AFFECTED_RE.search(p)  # a relative with a condition
            ]
        if named:
            break
    if not named:
        return None
    count = float(len(named))
    found = f"{len(named)} ({'; '.join(_clip(p, 70) for _, p in named)})"
    field = "objective_findings (a family history naming each relative)"
    return _verdict(req, _compare(req, count), found, [p for p, _ in named], count, field)


def _condition_count(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A count of the case's diagnoses of a kind ('at least 2 major congenital anomalies'): the
    diagnoses whose ICD-10-CM code falls under the kind (measures.yaml ``condition_groups``)."""
    if req.value is None or req.unit:
        return None
    text = f"{req.subject} {req.span}"
    group = next((g for g in measure_book().condition_groups if g.word_re.search(text)), None)
    if group is None:
        return None
    named = [
        (path, code, description)
        for path, code, description in scope.coded
        if code.upper().startswith(tuple(group.icd))
    ]
    field = f"diagnoses (ICD-10-CM codes of the {group.name})"
    if not named:
        return _verdict(req, "unknown", f"no {group.name} coded", field=field)
    count = float(len(named))
    shown_ = f"{len(named)} ({'; '.join(f'{c} {d}'.strip() for _, c, d in named)})"
    return _verdict(req, _compare(req, count), shown_, [p for p, _, _ in named], count, field)


_LEAD_NUMBER_RE = re.compile(r"(?<![\w.])(-?\d+(?:\.\d+)?)\s*(%|[a-zA-Z/]+)?")
_CHANGE_STOP = frozenset(
    {"change", "decline", "increase", "growth", "decrease", "progression", "improvement", "improve"}
)


def _value_of(o: Observation) -> tuple[float, str] | None:
    """The first number a finding's value states, with its unit ('19 mm' -> (19.0, 'mm'))."""
    value = o.finding.value if o.finding else o.text
    numbers = numbers_in(value)
    if numbers:
        return numbers[0]
    m = _LEAD_NUMBER_RE.search(value.replace(",", ""))
    if m is None:
        return None
    unit = m.group(2) or ""
    return float(m.group(1)), unit if len(unit) <= 6 else ""


_CHANGE_NOUN_RE = re.compile(
    r"\b(?:reduction|decrease|decline|increase|improvement|change|loss|drop|rise|fall)\b",
    re.IGNORECASE,
)
"""A change named before a threshold's words ('a reduction in thickness of less than 10%'), not
a word that only names a measure ('growth hormone')."""


_STATES_CHANGE_RE = re.compile(
    r"\b(?:relie[fv]\w*|improv\w*|reduc\w*|declin\w*|decreas\w*|increas\w*|fell|fall|"
    r"dropp?\w*|rose|rise|loss|lost|gain\w*|chang\w*)\b|\bfrom\b[^;]{0,40}\bto\b",
    re.IGNORECASE,
)
"""A fact that states a change itself ('pain relief 60%', 'BMD fell 6%', 'from 480 to 447')."""


def _states_change(o: Observation) -> bool:
    return _STATES_CHANGE_RE.search(f"{o.name} {o.text}") is not None


def _asks_change(req: Requirement, scope: _Scope) -> bool:
    """Whether a percent threshold measures a relative change of a quantity ('a decline in BMD
    of at least 5%', 'a reduction in thickness of less than 10%'), not a level ('hearing loss
    of 70 dB' is a level: its unit is no percent)."""
    if req.unit != "%":
        return False
    if measure_book().change_of(f"{req.subject} {req.span}"):
        return True
    return _CHANGE_NOUN_RE.search(_clause_before(req, scope.criterion)) is not None


_AMOUNT_CHANGE_RE = re.compile(
    r"\b(?:an?\s+)?(?:reduction|decrease|decline|increase|improvement|rise|drop)\s+(?:in|of)\b",
    re.IGNORECASE,
)
"""A change asked in the quantity's own unit ('an increase of at least 4 hours per day in
unassisted breathing time', 'a reduction in pressure support of at least 5 cm H2O'): a level
('hearing loss of 70 dB') is no change."""


def _asks_amount_change(req: Requirement, scope: _Scope) -> bool:
    """Whether a threshold in a unit other than percent asks how much a quantity changed: only
    a fact stating the change answers it (two dated values, 'from 2 to 12 hours'), never one
    reading of it or a planned figure ('observe 72 hours off the ventilator')."""
    if req.unit in (None, "%"):
        return False
    return _AMOUNT_CHANGE_RE.search(f"{req.subject} {req.span}") is not None or (
        _AMOUNT_CHANGE_RE.search(_clause_before(req, scope.criterion)) is not None
    )


def _change(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A change of a measured quantity between two dated findings compared with a threshold
    ('a decline of at least 15% in six-minute walk distance'): the findings that measure what
    the requirement names, the earliest against the latest; a percent threshold on values that
    are not percentages is the relative change, one on percentages (FVC % predicted) is read
    both ways, and stays to be confirmed when the two readings disagree."""
    from ..evidence import tokens

    book = measure_book()
    # the change may be named before the threshold's own words ('a reduction in thickness of
    # less than 10%': the span is 'less than 10%')
    named = _CHANGE_NOUN_RE.search(_clause_before(req, scope.criterion))
    direction = book.change_of(f"{req.subject} {req.span}") or (
        book.change_of(named.group(0)) if named else None
    )
    if req.value is None or req.comparator is None:
        return None
    words = {w for w in tokens(req.subject) - _CHANGE_STOP if not book.change_of(w)}
    if not words and (book.improves(req.subject) or direction is not None):
        # 'at least 75% improvement in EASI from baseline': the subject is the change alone;
        # the score its clause names is what changes
        clause = _clause_around(req, scope.criterion)
        score = next((m for m in book.measures if m.better and m.word_re.search(clause)), None)
        if score is None or score.name.lower() in req.subject.lower():
            return None
        return _change(req.model_copy(update={"subject": f"{score.name} {req.subject}"}), scope)
    if direction is None or not words:
        return None
    # an acronym of the subject ('CST') is stated by the words it stands for ('central subfield
    # thickness'), the value read after them
    acronyms = {w.lower(): w for w in re.findall(r"\b[A-Z]{2,6}\b", req.subject)}
    series: dict[str, list[tuple[Observation, float, str]]] = {}
    for o in scope.facts.observations:
        said = tokens(f"{o.name} {o.text}")
        spelled = {a for a, w in acronyms.items() if a not in said and spells(w, o.text)}
        if o.kind == "summary" or o.date is None or not words - spelled <= said:
            continue
        value = _value_of(o)
        if value is not None:
            series.setdefault(o.name.lower(), []).append((o, *value))
    runs = [sorted(v, key=lambda x: x[0].date or dt.date.min) for v in series.values()]
    runs = [r for r in runs if len(r) >= 2 and len({u for _, _, u in r}) == 1]
    if not runs:
        # one measurement under names that differ by a qualifier ('OCT, pre-treatment baseline',
        # 'OCT'): one run of every reading in one unit, one a date (a reading in another unit,
        # a FRAX probability beside two BMDs, is another measure)
        for unit in {x[2] for v in series.values() for x in v}:
            every = sorted(
                (x for v in series.values() for x in v if x[2] == unit),
                key=lambda x: x[0].date or dt.date.min,
            )
            one_a_day = len({x[0].date for x in every}) == len(every)
            names = [tokens(re.sub(r"\([^)]*\)", " ", x[0].name)) for x in every]
            shortest = min(names, key=len) if names else frozenset()
            qualified = bool(shortest) and all(shortest <= n for n in names)
            if len(every) >= 2 and unit and one_a_day and qualified:
                runs.append(every)
    if not runs:
        return None
    run = max(runs, key=len)
    (first, old, unit), (last, new, _) = run[0], run[-1]
    when = scope.reference
    delta = old - new if direction == "decrease" else new - old
    a_noun = "a decline" if direction == "decrease" else "an increase"
    if book.improves(f"{req.subject} {req.span}"):
        a_noun = "an improvement"
    shown_ = (
        f"{first.name} {_num(old)}{unit and ' ' + unit} ({fmt_date(first.date or when)}) to "
        f"{_num(new)}{unit and ' ' + unit} ({fmt_date(last.date or when)})"
    )
    paths = [first.path, last.path]
    field = f"objective_findings (dated {req.subject} results)"
    if (req.unit or "") == "%":
        relative = delta / old * 100 if old else 0.0
        if unit == "%":  # percentages: points and relative change may disagree
            a, b = _compare(req, delta), _compare(req, relative)
            found = f"{shown_}: {a_noun} of {_num(round(delta, 1))} points ({relative:.1f}%)"
            if a != b:
                return _verdict(req, "unknown", found, paths, delta, field).model_copy(
                    update={"confirm": True}
                )
            return _verdict(req, a, found, paths, delta, field)
        found = f"{shown_}: {a_noun} of {relative:.1f}%"
        return _verdict(req, _compare(req, relative), found, paths, round(relative, 1), field)
    found = f"{shown_}: {a_noun} of {_num(round(delta, 2))}{unit and ' ' + unit}"
    return _verdict(req, _compare(req, delta), found, paths, delta, field)


_ACRONYM_RE = re.compile(r"\(([A-Z][A-Za-z0-9]{1,7})\)\s+([a-z]+)")


def _subject_names(req: Requirement, criterion: str) -> list[str]:
    """The names a value the requirement counts may be written under, longest first: its
    subject and the subject's shorter tails of two words or more ('inflammatory nodule count',
    'nodule count'), and an acronym the criterion defines before the subject's head word
    ('abscess and inflammatory nodule (AN) count' -> 'AN count')."""
    words = re.findall(r"[A-Za-z0-9]+", req.subject)
    names = [" ".join(words[i:]) for i in range(len(words) - 1)]
    head = words[-1].lower() if words else ""
    names += [f"{m.group(1)} {head}" for m in _ACRONYM_RE.finditer(criterion) if m.group(2) == head]
    return list(dict.fromkeys(n for n in names if n))


def _named_value(req: Requirement, scope: _Scope, field: str) -> RequirementVerdict | None:
    """A unitless value (a count, a score) the case writes right after the requirement's own
    name, in a finding or a sentence of the summary ('inflammatory nodules 10, abscesses 3 (AN
    count 13)' -> 13 for an 'AN count of 3 or more'); the records before the summary, the latest
    first. None when no fact names it with a number (never a number read from elsewhere)."""
    if req.unit or req.value is None or req.comparator is None:
        return None
    facts = sorted(
        scope.facts.observations,
        key=lambda o: (o.kind == "summary", -(o.date or dt.date.min).toordinal()),
    )
    for name in _subject_names(req, scope.criterion.text):
        pattern = r"\s+".join(rf"{re.escape(w)}s?" for w in name.split())
        flags = 0 if name.split()[0].isupper() else re.IGNORECASE
        value = r"(?:\s+(?:of|was|is)|\s*[:=])?\s*(\d+(?:\.\d+)?)\b"
        name_re = re.compile(rf"\b{pattern}\b{value}", flags)
        for o in facts:
            text = o.text
            m = name_re.search(text)
            if m is None:
                continue
            v = float(m.group(1))
            where = f"clinical summary: “{_clip(text, 80)}”" if o.kind == "summary" else o.name
            when = f" on {fmt_date(o.date)}" if o.date else ""
            found = f"{name} {_num(v)}{when} ({where})"
            return _verdict(req, _compare(req, v), found, [o.path], v, field)
    return None


def _words_in(item: str, text: str) -> bool:
    """Whether every word of ``item`` ('obstructive sleep apnea') occurs in ``text``."""
    words = set(re.findall(r"[a-z0-9]+", text.lower()))
    return bool(words) and set(re.findall(r"[a-z0-9]+", item.lower())) <= words


_NAME_GAP = 24
"""Characters a value may stand after its test's name ('C3 58 mg/dL', 'C3: 58 mg/dL')."""


def _value_named(text: str, subject: str, unit: str | None) -> float | None:
    """The value in ``unit`` the fact writes right after the requirement's own name, when it
    names it ('C3 58 mg/dL; C4 6 mg/dL' -> 58 for C3, never C4's 6; 'HIV-1 RNA 18,400
    copies/mL' -> 18,400: the name's own digits are the name's). None when the name is not
    written, or no number in the unit follows it before the next value's clause."""
    words = subject.split()
    for name in dict.fromkeys([subject.strip(), *(words[-1:] if len(words) > 1 else [])]):
        if len(name) < 2:
            continue
        for start, end in literal.finditer(text, name, ignore_case=True, whole=True):
            if start and text[start - 1] in "-/":
                continue  # 'FEV1/FVC' is not 'FVC'; 'anti-X' is not 'X'
            after = re.split(r"[;,]|\band\b", text[end : end + _NAME_GAP + 20], maxsplit=1)[0]
            stated = [v for v, u in numbers_in(after) if u == unit]
            if stated:
                return stated[0]
    return None


def _share_of(req: Requirement, c: Candidate, scope: _Scope) -> bool:
    """Whether a fact's percentage is a share of the measure the requirement names: written
    right after that measure's name ('sensor wear 93%'), or the fact's name is the measure
    ('Hemoglobin A1c': '8.6%'), or its only percentage sits in words naming the measure. A
    percentage is of many kinds (coverage, time below range, sensor wear, a share of the lower
    limit of normal); near in meaning is not the same measure."""
    book = measure_book()
    heads = book.heads(req.subject)
    if not heads:
        return False  # a subject of no words ('1.a.i'): no measure to match
    if _value_named(c.text, req.subject, "%") is not None:
        return True
    words = re.findall(r"[A-Za-z]+", req.subject)
    acronym = initials(req.subject, whole_acronyms=True) if len(words) > 1 else ""
    if len(acronym) > 1 and _value_named(c.text, acronym, "%") is not None:
        return True  # 'LVEF 28%' for a left ventricular ejection fraction
    shares = [v for v, u in c.numbers if u == "%"]
    o = next((o for o in scope.facts.observations if o.path == c.path), None)
    if c.kind == "finding" and o is not None and o.name:
        named = book.stated_heads(heads, o.name)
        # the finding is of the measure ('Hemoglobin A1c': '8.6%'), or names part of it and
        # holds one share ('Resting pulse oximetry': 'SpO2 86%' for a resting saturation)
        return named == heads or (bool(named) and len(shares) == 1)
    return len(shares) == 1 and book.stated_heads(heads, c.text) == heads


def _measured_by_meaning(req: Requirement, scope: _Scope, field: str) -> RequirementVerdict | None:
    """A measurement no measure of ``measures.yaml`` names: the fact nearest in meaning that
    states a number in the requirement's unit; its value is the one that bears on the
    comparison (the lowest for an upper limit, the highest otherwise)."""
    want = unit_key(req.unit)
    found = scope.by_meaning(req) if want else []
    if not found or req.comparator is None:
        return None
    several = _several_events(req, scope.criterion)
    if several:
        # each counted event's result, not the first fact the vectors rank (near-equal facts
        # come in any order): the facts stating a number in its unit that name the subject
        book = measure_book()
        heads = book.heads(req.subject)
        counted = _COUNTED_RE.search(_clause_before(req, scope.criterion))
        events = book.heads(counted.group(0)) if counted else frozenset()
        found = scope.by_meaning(req, margin=1.0, limit=_MAX_EVENTS) or found
        found = [
            c
            for c in found
            if heads
            and book.stated_heads(heads, c.text)
            and (not events or book.stated_heads(events, c.text))
        ] or found[:1]
    if several and len(found) > 1:
        low = req.comparator in ("<", "<=")
        values = [
            (
                _said(c, scope) if c.kind == "summary" else _said(c, scope).split(" (")[0],
                c.date,
                c.path,
                (min if low else max)(v for v, u in c.numbers if u == want),
            )
            for c in found
        ]
        return _every(req, values, field)
    # of the facts as near as the nearest, one dated after the date the criterion counts back
    # from does not answer it (a result drawn after the first dose); the latest of the rest
    if want == "%":
        # a share is no value of another measure's threshold: a time-below-range or a
        # target-coverage percentage never answers a C-peptide % or an organ-dose reduction
        found = [c for c in found if _share_of(req, c, scope)]
        if not found:
            return None
    anchor = _counted_back_from(scope)
    near = scope.by_meaning(req, lambda c: c in found, margin=TIE) if anchor else []
    early = [c for c in near if c.date and c.date <= anchor] if anchor else []
    c = max(early, key=lambda c: c.date or dt.date.min) if early else found[0]
    numbers = [v for v, u in c.numbers if u == want]
    named = _value_named(c.text, req.subject, want)
    if named is None:
        # a number written after the measure's own name without the unit ('PEEP 5' beside
        # 'pressure support 12 cm H2O'): the measure's own, never another's in the unit
        named = _bare_named(c.text, req.subject)
    if named is not None:
        v = named
    else:
        v = min(numbers) if req.comparator in ("<", "<=") else max(numbers)
    when = f" on {fmt_date(c.date)}" if c.date else ""
    name = _said(c, scope) if c.kind == "summary" else _said(c, scope).split(" (")[0]
    text = f"{_num(v)}{_after(req.unit) or ' ' + str(req.unit)}{when} ({name})"
    return _verdict(req, _compare(req, v), text, [c.path], v, field)


def _worded(verdict: RequirementVerdict, **changes: object) -> RequirementVerdict:
    """The verdict of a requirement read otherwise than its kind words it ('not ... in
    conjunction with X' is no X; 'an antihistamine and/or allergy evaluation' either): the
    requirement restated, and its words with it (the letter words a requirement from it)."""
    requirement = verdict.requirement.model_copy(update=changes)
    return verdict.model_copy(
        update={"requirement": requirement, "required": requirement_words(requirement)}
    )


def _treatment_instead(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """'an antihistamine and/or allergy evaluation': a trial of the drug class the span offers
    as the alternative to the test answers it."""
    items = [item.strip() for item in _OR_RE.split(req.span)]
    if len(items) < 2:
        return None
    for item in items:
        if req.subject.lower() in item.lower():
            continue
        groups = [g for g in book().groups_in(item) if not g.generic]
        trials = scope.trials_for(groups) if groups else []
        if trials:
            found = f"{_names(trials)} ({' or '.join(g.name for g in groups)})"
            done = _verdict(req, "met", found, [t.path for t in trials], float(len(trials)))
            either = " or ".join(re.sub(r"^(?:an?|the)\s+", "", i) for i in items if i)
            return _worded(done, subject=either)
    return None


_EVALUATION_RE = re.compile(
    r"(?:an? |the )?(?:evaluation|assessment|exam(?:ination)?|consultation|consult|review|visit)s?",
    re.IGNORECASE,
)
"""A test's subject that is only an evaluation ('Evaluation' of 'Evaluation by a dermatologist'):
what it is of is in its span."""


def _specialty_evaluation(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A test that is a specialist's evaluation ('GI evaluation', 'ophthalmology exam', the
    'Evaluation' of 'Evaluation by a dermatologist'): answered as the specialist's involvement
    is, by the facts naming the specialty, never by a lab, a scan or a score near in meaning.
    None when its words name no specialty."""
    if req.kind != RequirementKind.test_done:
        return None
    book = measure_book()
    wanted = book.specialties_in(req.subject)
    if not wanted and _EVALUATION_RE.fullmatch(req.subject.strip()):
        wanted = book.specialties_in(req.span)
    if not wanted:
        return None
    field = f"clinical_summary or documents (the {wanted[0]} evaluation, with its date)"
    found = _specialist(req, scope)
    return found or _verdict(req, "unknown", f"no {wanted[0]} evaluation recorded", field=field)


_MODALITIES_RE = re.compile(r"^[^().;]{0,80}?\(([^()]{2,120})\)")
_MODALITY_SPLIT_RE = re.compile(r",|/|\bor\b|\band\b", re.IGNORECASE)


def _modalities(req: Requirement, criterion: Criterion) -> list[str]:
    """The tests a requirement lists right after what it names ('vessel imaging of the head and
    neck (CT angiography, MR angiography or carotid duplex)', 'vessel imaging (CTA or MRA)'):
    two or more short items joined by 'or', no example list ('e.g.')."""
    text = criterion.text
    at = text.lower().find(req.subject.lower())
    if at < 0:
        return []
    m = _MODALITIES_RE.match(text[at + len(req.subject) :])
    if m is None or _EXAMPLES_RE.match(m.group(1)):
        return []
    if not re.search(r"\bor\b", m.group(1)) or re.search(r"\band\b", m.group(1)):
        return []  # the parts of one test ('HBsAg and anti-HBc'), not tests to choose from
    items = [i.strip() for i in _MODALITY_SPLIT_RE.split(m.group(1)) if i.strip()]
    return items if len(items) >= 2 and all(len(i.split()) <= 4 for i in items) else []


def _of_modality(item: str, o: Observation) -> bool:
    """Whether a finding is the test an item names: every content word of the item, or the
    item's acronym ('MRA') in the initials of the finding's name."""
    from ..evidence import tokens

    if re.fullmatch(r"[A-Z]{3,6}", item):
        return item in initials(o.name or o.text, whole_acronyms=True)
    words = tokens(item)
    return bool(words) and words <= tokens(f"{o.name} {o.text}")


def _measured_in_course(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A test a course's own measures report ('Urine cotinine negative (less than 10 ng/mL) on
    2026-09-08 and 2026-10-19' under the nicotine patch): met on that course, quoting its
    clause. None when no course's outcome states every term of the test's name."""
    book = measure_book()
    heads = book.heads(req.subject) - {"test", "result", "level"}
    if not heads:
        return None
    for t in scope.facts.trials:
        for said in (t.treatment.outcome_measure, t.treatment.outcome):
            if said and book.stated_heads(heads, said) == heads:
                found = f"{t.name}: {_clip(said, 110)}"
                return _verdict(req, "met", found, [t.path])
    return None


def _record_missing(record: str, text: str) -> bool:
    """Whether each clause of ``text`` naming ``record`` says it is not at hand ('the full
    procedure report was requested ... and has not been received', 'no operative note')."""
    clauses = [c for c in re.split(r"[.;]\s", text) if re.search(re.escape(record), c, re.I)]
    negated = measure_book().words_re("negated")
    return all(is_pending(c) or report_pending(c) or negated.search(c) for c in clauses)


def _in_named_record(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A requirement about what a named record documents ('the record of the prior ablation
    (procedure report) identifies the level(s), laterality and imaging guidance'): only a finding
    naming that record answers it, never another record sharing a word ('imaging': an MRI);
    unknown while the record is missing or still to come. None when the criterion names no record
    before or within the requirement's words."""
    named = measure_book().words_re("named_records").search(scope.criterion.text)
    at = _span_at(req, scope.criterion)
    if named is None or at < 0 or at + len(req.span) <= named.start():
        return None  # no record named, or named only after the requirement's words
    record = named.group(0)
    facts = [o for o in scope.facts.observations if o.kind != "summary" and re.search(
        rf"\b{re.escape(record)}", o.text, re.IGNORECASE)]  # fmt: skip
    field = f"objective_findings ({record})"
    if not facts:
        return _verdict(req, "unknown", f"no {record} recorded", field=field)
    paths = [o.path for o in facts]
    if all(_record_missing(record, o.text) for o in facts):
        return _verdict(req, "unknown", f"the {record} is not yet received", paths, field=field)
    shown = "; ".join(f"{o.name} ({fmt_date(o.date)})" if o.date else o.name for o in facts)
    return _verdict(req, "met", shown, paths)


def _present(req: Requirement, scope: _Scope) -> RequirementVerdict:
    if (in_record := _in_named_record(req, scope)) is not None:
        return in_record
    if (evaluation := _specialty_evaluation(req, scope)) is not None:
        return evaluation
    name, found = scope.observations(req)
    facts = [o for o in found if o.kind != "summary"] or found
    if (
        facts
        and all(o.kind == "summary" for o in facts)
        and (measured := _measured_in_course(req, scope))
    ):
        # a sentence only near the test ('she stopped smoking') is no result of it: the
        # course whose measures report it ('urine cotinine negative on 2026-09-08') is
        return measured
    if listed := _modalities(req, scope.criterion):
        # the tests it lists are the only ones that answer it (not a brain MRI or a leg duplex
        # for 'vessel imaging (CTA or MRA)')
        # a finding the record names otherwise is one when a concept of the book names the
        # item and its own facts ('QuantiFERON-TB Gold Plus' for 'interferon-gamma release
        # assay'); a concept any finding of a kind states ('imaging') tells no modality apart
        known = {
            o.path
            for item in listed
            for c in measure_book().concepts
            if c.word_re.search(item) and not c.functional and c.facts != ["."]
            for o in scope.facts.observations
            if o.kind != "summary" and c.fact_re.search(o.text)
        }
        facts = [o for o in facts if o.path in known or any(_of_modality(i, o) for i in listed)]
        if not facts:
            named = " or ".join(listed)
            field = f"objective_findings ({named})"
            return _verdict(req, "unknown", f"no {named} recorded", field=field)
    if not facts and (instead := _treatment_instead(req, scope)):
        return instead
    if not facts:
        field = "objective_findings"
        return _by_meaning_verdict(req, scope, field) or _verdict(
            req, "unknown", f"no {name or req.subject} recorded", field=field
        )
    shown = "; ".join(
        f"{o.name} ({fmt_date(o.date)})" if o.date and o.name else (o.name or o.text) for o in facts
    )
    return _verdict(req, "met", shown, (o.path for o in facts))


_SCORE_KINDS = frozenset({"rating_scale", "lab", "vital"})
"""Findings that are a score or a measurement: no one's evaluation or involvement."""


_BY_SOMEONE_RE = re.compile(r"\b(?:evaluation|consultation|consult|team)\b", re.IGNORECASE)
_DONE_BY_RE = re.compile(
    r"\bby (?:an? |the )?(?:[\w-]+ ){0,3}(?:team|[\w-]+ists?|physicians?|surgeons?|clinicians?)\b",
    re.IGNORECASE,
)
"""A clause naming who performs what it asks ('screening ... by a multidisciplinary team', 'by
a licensed psychologist'): a person's act, which no score alone is."""


def _evaluated(
    req: Requirement, scope: _Scope, verdict: RequirementVerdict, always: bool = False
) -> RequirementVerdict:
    """A person's evaluation or involvement ('a psychological evaluation', 'a multidisciplinary
    team'; ``always`` for a specialist) is not met by a score or a measurement alone (an alcohol
    screen, a PHQ-9, a lab value) unless the requirement names that score."""
    by_someone = _BY_SOMEONE_RE.search(req.subject) or _DONE_BY_RE.search(
        _clause_around(req, scope.criterion)
    )
    if verdict.status != "met" or not (always or by_someone):
        return verdict
    said = {o.path: o for o in scope.facts.observations}
    scores = [said.get(p) for p in verdict.evidence]
    if not all(o is not None and o.kind in _SCORE_KINDS for o in scores):
        return verdict
    asked = f"{req.subject} {req.span}".lower()
    if any(o is not None and o.name and o.name.lower() in asked for o in scores):
        return verdict
    return _verdict(req, "unknown", f"no {req.subject} recorded", field="objective_findings")


def _specialist(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A specialist's involvement ('prescribed by or in consultation with a neurologist'): the
    signing physician's own specialty, else a fact that names the specialty as having seen,
    evaluated or reviewed the patient (a sentence of the summary, a finding, an enclosed
    record's title; never one that only plans the visit: a referral, an appointment). None when
    the requirement names no specialty of ``measures.yaml`` or no fact names one."""
    book = measure_book()
    wanted = book.specialties_in(f"{req.subject} {req.span}")
    if not wanted:
        return None
    text = f"{req.subject} {req.span}"
    groups = _mentions(text, wanted)
    if len(groups) > 1 and not _OR_RE.search(text):
        return _every_specialist(req, scope, groups)
    patterns = _compiled_any(tuple(p for w in wanted for p in book.specialties[w]))
    need = _how_many(text, patterns)
    if need > 1:
        return _several(req, scope, patterns, need, wanted[0])
    return _one_specialist(req, scope, patterns)


_MANY_RE = re.compile(r"\b(two|three|four|[234]|both)\s+(?:[\w-]+\s+){0,2}?$", re.IGNORECASE)
_DOCTOR_RE = re.compile(r"\bDr\.?\s+((?:[A-Z][a-z'-]+\s+){0,2}[A-Z][a-z'-]+)")
_FIRST_PERSON_RE = re.compile(r"^\s*(?:I|We)\b|\b(?:I|my|me)\b")


def _how_many(text: str, patterns: re.Pattern[str]) -> int:
    """How many people of the specialty the words ask for ('two cardiac surgeons': 2)."""
    for m in patterns.finditer(text):
        many = _MANY_RE.search(text[max(0, m.start() - 40) : m.start()])
        if many:
            word = many.group(1).lower()
            return 2 if word == "both" else _COUNT_WORDS.get(word, 1)
    return 1


def _several(
    req: Requirement, scope: _Scope, patterns: re.Pattern[str], need: int, name: str
) -> RequirementVerdict:
    """A requirement for more than one physician of a specialty ('evaluation by two cardiac
    surgeons'): each is a person the record names (the signer, by their own specialty, is one;
    a sentence naming another physician of it is another); the signer alone never meets it."""
    pending = measure_book().words_re("specialty_pending")
    own = scope.physician_specialty
    signer = scope.physician_name.split()
    people: dict[str, str] = {}
    if own and patterns.search(own):
        people["signer"] = "physician.specialty"
    facts = [o for o in scope.facts.observations if o.kind != "summary"] + scope.facts.documents
    facts += [o for o in scope.facts.observations if o.kind == "summary"]
    unnamed: list[str] = []
    for o in facts:
        text = f"{o.name} {o.text}" if o.kind != "summary" else o.text
        if not patterns.search(text) or pending.search(text):
            continue
        names = [n for n in _DOCTOR_RE.findall(text) if not signer or signer[-1] not in n]
        for n in names:
            people.setdefault(n, o.path)
        if not names and not _FIRST_PERSON_RE.search(text):
            unnamed.append(o.path)
    if len(people) < need and unnamed:
        people.setdefault("another", unnamed[0])
    evidence = list(dict.fromkeys(people.values()))
    who = [
        f"myself ({own})" if k == "signer" else f"Dr. {k}" if k != "another" else "another"
        for k in people
    ]
    listed = " and ".join(who)
    found = f"{len(people)} of the {need} required: {listed}" if people else "none on record"
    if len(people) >= need:
        return _verdict(req, "met", found, evidence, float(len(people)))
    field = f"clinical_summary or documents (the evaluation by each {name} physician)"
    missing = need - len(people)
    others = "the other evaluation is" if missing == 1 else f"{missing} further evaluations are"
    found += f"; {others} not on record"
    return _verdict(req, "unknown", found, evidence, float(len(people)), field)


def _mentions(text: str, wanted: list[str]) -> list[list[str]]:
    """The specialties a text names, one group per place it names one: 'cardiac surgeon' is one
    place ('cardiac surgery' or 'surgery'), 'and an interventional cardiologist' another."""
    book = measure_book()
    spans = sorted(
        (m.start(), m.end(), name)
        for name in wanted
        for m in _compiled_any(tuple(book.specialties[name])).finditer(text)
    )
    groups: list[tuple[int, list[str]]] = []
    for start, end, name in spans:
        if groups and start < groups[-1][0]:
            last_end, names = groups[-1]
            groups[-1] = (max(last_end, end), [*names, name] if name not in names else names)
        else:
            groups.append((end, [name]))
    merged: list[list[str]] = []
    for _, names in groups:
        if not any(set(names) & set(seen) for seen in merged):
            merged.append(names)
    return merged


def _every_specialist(
    req: Requirement, scope: _Scope, groups: list[list[str]]
) -> RequirementVerdict:
    """Each specialty a team requirement names, shown one by one: the signing physician's own
    specialty answers only for itself, never for the team."""
    book = measure_book()
    found: list[RequirementVerdict] = []
    for names in groups:
        name = names[0]
        one = _one_specialist(
            req, scope, _compiled_any(tuple(p for n in names for p in book.specialties[n]))
        )
        if one is None or one.status != "met":
            said = "; ".join(dict.fromkeys(v.found for v in found))
            missing = f"no {name} evaluation recorded" + (f" ({said})" if said else "")
            field = f"clinical_summary or documents (the {name} evaluation)"
            evidence = [p for v in found for p in v.evidence]
            if one is not None:  # planned, not yet held
                return _verdict(req, "not_met", one.found, evidence + one.evidence, field=field)
            return _verdict(req, "unknown", missing, evidence, field=field)
        found.append(one)
    said = "; ".join(dict.fromkeys(v.found for v in found))
    return _verdict(req, "met", said, list(dict.fromkeys(p for v in found for p in v.evidence)))


_NOT_IN_RECORD_RE = re.compile(
    r"\bnot (?:yet )?(?:been )?(?:received|available|on file|provided|submitted|enclosed|obtained"
    r"|in (?:the|our|my) (?:record|chart|file)s?|part of the record)\b",
    re.IGNORECASE,
)
"""A sentence saying a record is missing ('the consult note was not received'): it states no
consultation, so it never meets a specialist's involvement."""


def _one_specialist(
    req: Requirement, scope: _Scope, patterns: re.Pattern[str]
) -> RequirementVerdict | None:
    book = measure_book()
    own = scope.physician_specialty
    if own and patterns.search(own):
        return _verdict(req, "met", f"I am the treating physician ({own})", ["physician.specialty"])
    pending = book.words_re("specialty_pending")
    facts = [o for o in scope.facts.observations if o.kind != "summary"]
    facts += scope.facts.documents
    facts += [o for o in scope.facts.observations if o.kind == "summary"]
    planned: list[Observation] = []
    for o in facts:
        text = f"{o.name} {o.text}" if o.kind != "summary" else o.text
        if not patterns.search(text):
            continue
        if _NOT_IN_RECORD_RE.search(text) or _NOT_DONE_RE.search(text):
            continue  # 'the neurology consult note is not in the record': no consultation
        if pending.search(text):
            planned.append(o)
            continue
        if o.kind == "summary":
            return _verdict(req, "met", _said_text(o, 120), [o.path])
        return _verdict(req, "met", _said(_candidate_of(o), scope), [o.path])
    if planned:  # only a referral or an appointment: what the case states, not yet met
        o = planned[0]
        said = _said_text(o, 120) if o.kind == "summary" else _said(_candidate_of(o), scope)
        field = "clinical_summary or documents (the consultation, once it has taken place)"
        return _verdict(req, "not_met", f"planned, not yet held ({said})", [o.path], field=field)
    return None


def _candidate_of(o: Observation) -> Candidate:
    kind = o.kind if o.kind in ("summary", "document") else "finding"
    return Candidate(o.path, kind, o.kind, o.text, o.date)


@cache
def _compiled_any(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(patterns), re.IGNORECASE)


_PRESENT_RE = re.compile(
    r"\b(?:positive|present|detected|confirmed|active|current(?:ly)?|ongoing|shows?|showed|"
    r"found|identified)\b",
    re.IGNORECASE,
)
"""A fact that states the thing a 'no ...' requirement excludes is there."""


_NEGATION_BEFORE_RE = re.compile(
    r"\b(?:no|without|free of|absence of|negative for|ruled out)\s+(?:[\w-]+\s+){0,3}\Z",
    re.IGNORECASE,
)
"""A negation and up to three words, ending where a subject's head word starts."""


def _negates(subject: str, text: str) -> bool:
    """Whether the text says the subject is absent in its own words: 'no', 'without', 'free of',
    'absence of' or 'negative for' within three words before the subject's last word ('no deep
    venous obstruction' for 'no deep-vein obstruction')."""
    words = re.findall(r"[a-z]{4,}", subject.lower())
    if not words:
        return False
    # the head found as a literal, the words before it read by one pattern ending where it
    # starts (no pattern holding the subject's own words)
    return any(
        _NEGATION_BEFORE_RE.search(text, 0, at)
        for at, _ in literal.finditer(text, words[-1][:6], ignore_case=True)
    )


def _absence(req: Requirement, scope: _Scope) -> RequirementVerdict:
    name, found = scope.observations(req)
    if not found:
        near = scope.by_meaning(req)
        found = [o for o in scope.facts.observations if o.path in {c.path for c in near}]
    negative = [
        o
        for o in found
        if o.polarity == "negative" or _NEGATIVE_RE.search(o.text) or _negates(req.subject, o.text)
    ]
    structured = [o for o in negative if o.kind != "summary"] or negative
    if not structured:
        # a fact naming the thing without saying it is absent does not say it is present
        # either: no finding against the patient, and not the evidence of its absence
        present = [
            o
            for o in found
            if o.kind != "summary" and (o.polarity == "positive" or _PRESENT_RE.search(o.text))
        ]
        return _verdict(
            req, "not_met" if present else "unknown",
            f"{_said_text(present[0], 110)}" if present
            else f"no negative {name or req.subject} recorded",
            (o.path for o in present), field="objective_findings",
        )  # fmt: skip
    shown = "; ".join(
        f"{o.name}: {o.finding.value}" if o.finding else _said_text(o, 110) for o in structured
    )
    dates = [o.date for o in structured if o.date]
    if dates:
        shown += f" (assessed {fmt_date(max(dates))})"
    return _verdict(req, "met", shown, (o.path for o in structured), len(structured))


_ANCHOR_RE = re.compile(
    r"\s*(?:of|before|prior to|preceding|from)\s+(?:the\s+)?(?:date\s+of\s+(?:the\s+)?)?"
    r"(?:planned\s+|requested\s+|proposed\s+|first\s+|initial\s+)?(?P<what>request|referral|"
    r"submission|surgery|procedure|operation|implant\w*|placement|treatment|initiation|service|"
    r"admission|arrival|presentation|hospitali[sz]ation|dose|infusion|injection|administration|"
    r"session)\b",
    re.IGNORECASE,
)
"""What a time window counts back from, right after it ('within 90 days of the request',
'within 90 days before surgery')."""
_REQUEST_WORDS = frozenset({"request", "referral", "submission"})
_DOSE_WORDS = frozenset({"dose", "infusion", "injection", "administration", "session"})
_PLANNED_RE = re.compile(r"\b(?:planned|scheduled|date of service)\b[^,;]*$", re.IGNORECASE)
"""Words before the date the service is planned for ('planned 2026-12-15'), not a window's."""


def _anchor(req: Requirement, scope: _Scope) -> tuple[dt.date, str, str]:
    """The date a time window counts back from, how the letter names it, and the words the
    requirement adds ('of the request'): the request's date the notice states for a window of
    the request, the planned date for one before the service, else the notice's date."""
    at = _span_at(req, scope.criterion)
    m = _ANCHOR_RE.match(scope.criterion.text, at + len(req.span)) if at >= 0 else None
    return _anchored(m, scope)


_BEFORE_WORD_RE = re.compile(r"\b(?:before|prior to|preceding)\b", re.IGNORECASE)


def _said_anchor(scope: _Scope) -> tuple[dt.date, str, str] | None:
    """The date a criterion's 'before the request' ('blood pressure ... at the most recent visit
    before the request', no window of its own) counts back from, as ``_anchor`` gives it; None
    when the criterion names no such date."""
    text = scope.criterion.text
    for before in _BEFORE_WORD_RE.finditer(text):
        m = _ANCHOR_RE.match(text, before.start())
        if m is not None:
            return _anchored(m, scope)
    return None


def _anchored(m: re.Match[str] | None, scope: _Scope) -> tuple[dt.date, str, str]:
    """``_anchor`` of the words after a requirement (``m``: ``_ANCHOR_RE``'s match, or None)."""
    if m is None:
        return scope.reference, fmt_date(scope.reference), ""
    what = m["what"].lower()
    said = " ".join(m.group(0).split())
    if what in _REQUEST_WORDS:
        asked = sorted(d for d in scope.service_dates if d <= scope.reference)
        if asked:
            return asked[0], f"the request's date, {fmt_date(asked[0])}", f" {said}"
        return scope.reference, fmt_date(scope.reference), f" {said}"
    given = _given(scope)
    if given and (what in _DOSE_WORDS or re.search(r"first|initial", said, re.IGNORECASE)):
        # the first dose of a course already under way is its first date of service, never a
        # later dose the case plans
        return given[0], f"the first date of service, {fmt_date(given[0])}", f" {said}"
    later = [(d, at) for d, at in find_dates(scope.details) if d > scope.reference]
    named = [d for d, at in later if _PLANNED_RE.search(scope.details[max(0, at - 25) : at])]
    planned = named + sorted(d for d, _ in later)
    planned += sorted(d for d in scope.service_dates if d > scope.reference)
    if planned:
        return planned[0], f"the planned date, {fmt_date(planned[0])}", f" {said}"
    if given:  # a claim for a service already given: its first date of service
        return given[0], f"the first date of service, {fmt_date(given[0])}", f" {said}"
    if what in _DOSE_WORDS:  # a first dose neither given nor dated: not named as counted to
        return scope.reference, fmt_date(scope.reference), ""
    return scope.reference, fmt_date(scope.reference), f" {said}"


_EVENT_DATE_RE = re.compile(r"[^.;,()]{0,25}?\b(?:on|in|of|dated)?\s*\(?$", re.IGNORECASE)
"""Between an event's head word and the date that follows it ('infarction on 2024-10-14',
'stroke (2026-03-02)'): a date that dates that event, not a later visit's in the sentence."""


def _event_free(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """'No myocardial infarction within the 12 months before the first dose': an absence and a
    window of one subject ask that no such event fall inside the window, so the answer is the
    event's own date (the date the fact gives right after naming it, never the date of the note
    that reports it) against the window's anchor: met when the latest event before the anchor
    lies outside the window, not met when inside; a fact saying there was none ('no history of
    stroke') meets it. None when the criterion pairs no window with the absence, or no fact of
    the case names the event, or names it only without a date inside the window."""
    if req.kind not in (RequirementKind.absence, RequirementKind.time_window):
        return None
    same = [r for r in scope.criterion.requirements if r.subject.lower() == req.subject.lower()]
    window = next((r for r in same if r.kind == RequirementKind.time_window), None)
    if (
        window is None
        or window.value is None
        or not any(r.kind == RequirementKind.absence for r in same)
    ):
        return None
    need = _days_in(window.value, window.unit)
    head = next(iter(re.findall(r"[a-z]{4,}", req.subject.lower())[-1:]), "")
    if need is None or not head:
        return None
    anchor, counted_from, of = _anchor(window, scope)
    events: list[tuple[dt.date, str]] = []
    undated: list[Observation] = []
    absent: list[Observation] = []
    for o in scope.facts.observations:
        for part in re.split(r"(?<=[.;])\s+", o.text):
            at = part.lower().find(head[:6])
            if at < 0:
                continue
            if _negates(req.subject, part):
                absent.append(o)
                continue
            after = part[at + len(head) :]
            dated = [d for d, pos in find_dates(after) if _EVENT_DATE_RE.fullmatch(after[:pos])]
            if dated:
                events += [(d, o.path) for d in dated if d <= anchor]
            else:
                undated.append(o)
    span = _in_unit(need, window.unit).replace(" ", "-").rstrip("s")  # 'the 12-month window'
    field = f"objective_findings (the date of the {req.subject})"
    if events:
        when, path = max(events)
        age = float((anchor - when).days)
        inside = age <= need
        found = (
            f"{req.subject} on {fmt_date(when)}, {age:.0f} days before {counted_from}: "
            f"{'inside' if inside else 'outside'} the {span} window"
        )
        verdict = _verdict(req, "not_met" if inside else "met", found, [path], age, field)
    elif undated:
        # named without its date: before the note that reports it, so outside the window when
        # that note is older than the window; else the absence is read as it is written
        dates = [o.date for o in undated if o.date and o.kind != "summary"]
        if not dates or len(dates) < len(undated) or (anchor - max(dates)).days <= need:
            return None
        found = f"{req.subject} reported on {fmt_date(max(dates))}, before the {span} window"
        verdict = _verdict(req, "met", found, [o.path for o in undated], None, field)
    elif absent:
        found = "; ".join(_said_text(o, 110) for o in absent[:2])
        verdict = _verdict(req, "met", found, [o.path for o in absent], None, field)
    else:
        return None
    # 'no myocardial infarction within 12 months before the first dose', for either part
    required = f"no {req.subject} within {_in_unit(need, window.unit)}{of}"
    return verdict.model_copy(update={"required": required})


def _given(scope: _Scope) -> list[dt.date]:
    """The notice's dates of service before it on which the care was given, first first: all
    of them when there are several (the lines of a claim for doses already given), else the one
    the case writes (the service's details or the summary: 'dose 1 given on 2026-06-03'); a
    lone date the case does not write may be the request's receipt, and is none of them."""
    past = sorted({d for d in scope.service_dates if d <= scope.reference})
    if len(past) != 1:
        return past
    texts = [scope.details, *(o.text for o in scope.facts.observations if o.kind == "summary")]
    written = {d for text in texts for d, _ in find_dates(text)}
    return [d for d in past if d in written]


def _specialty_dated(req: Requirement, scope: _Scope) -> list[tuple[str, dt.date]] | None:
    """For a window over a specialist's evaluation ('assessment by a gastroenterologist within
    the past 6 months', 'GI evaluation within the last 6 months'): the dated facts that name
    the specialty (a lab, a scan or a score of another kind answers no evaluation), never one
    that only plans the visit; None when the clause names no specialty."""
    book = measure_book()
    wanted = book.specialties_in(_clause_around(req, scope.criterion))
    if not wanted:
        return None
    patterns = _compiled_any(tuple(p for w in wanted for p in book.specialties[w]))
    pending = book.words_re("specialty_pending")
    return [
        (o.path, o.date)
        for o in [*scope.facts.observations, *scope.facts.documents]
        if o.date
        and o.kind not in ("lab", "rating_scale", "vital")
        and patterns.search(text := f"{o.name} {o.text}")
        and not pending.search(text)
    ]


def _window(req: Requirement, scope: _Scope) -> RequirementVerdict:
    if _horizon(req, scope.criterion):
        return _verdict(req, "unknown", HORIZON_FOUND)
    if (cared := _care_encounters(req, scope)) is not None:
        return _dated_window(req, scope, cared)
    if (evaluations := _specialty_dated(req, scope)) is not None:
        return _dated_window(req, scope, evaluations)
    _, found = scope.observations(req)
    kinds = _kinds_named(req, scope)
    # of a result of a kind the words name ('laboratory monitoring'), a finding of that kind,
    # never a summary sentence that only names the results (dated by the request it mentions)
    dated = [(o.path, o.date) for o in found if o.date and not (kinds and o.kind == "summary")]
    own = req.subject.lower() not in GENERIC_SUBJECTS and (
        bool(classes_book().groups_in(req.subject))
        or bool(measure_book().treatment_re.search(req.subject))
    )
    if own:
        # a course the window governs ('completion of a rehabilitation program within the
        # past 6 months'): the course's own row and dates, before a sentence about it
        trials = scope.trials(req)
        counted = _SESSIONS_ASKED_RE.search(_clause_around(req, scope.criterion))
        if counted and trials and all(t.sessions is None for t in trials):
            # 'a prior trial of ... of at least 12 sessions within the past 3 years': a course
            # of unknown length is not shown to be that trial by its date alone
            names = ", ".join(t.name for t in trials[:2])
            return _verdict(
                req,
                "unknown",
                f"{names}: number of sessions not documented",
                (t.path for t in trials),
                field="prior_treatments[].frequency (the number of sessions)",
            )
        dated = [(t.path, day) for t in trials if (day := t.end or t.start)] or dated
    if not dated and not own and not classes_book().groups_in(req.subject):
        # an event ('a fragility fracture') is dated by the clause that names it, never by the
        # dates of a course the criterion also names (the drug's stop date is no fracture's)
        events = _event_dates(req, scope)
        if events:
            verdict = _dated_window(req, scope, events)
            if verdict.found[:1].isalpha() and verdict.found[:1].isupper():  # a date: name it
                return verdict.model_copy(update={"found": f"{req.subject} on {verdict.found}"})
            return verdict
    if not dated and scope.requirement_groups(req):
        trials = scope.trials(req)
        dated = [(t.path, day) for t in trials if (day := t.end or t.start)]
    if not dated:  # the finding the criterion names, read as a test ('findings on examination')
        _, named = scope.observations(req.model_copy(update={"kind": RequirementKind.test_done}))
        dated = [(o.path, o.date) for o in named if o.date and o.kind != "summary"]
    tests = _clause_tests(req, scope)
    if len(tests) > 1 and any(found for _, found in tests):
        # the tests the clause names ('CBC and liver enzymes checked within 30 days'), each
        # against the window: a test the requirement's subject dropped is still read
        return _window_each_test(req, scope, tests)
    if not dated and tests:
        dated = [(o.path, o.date) for o in tests[0][1] if o.date]
    if not dated and req.subject.lower() not in GENERIC_SUBJECTS:
        # the dated facts that state the event the window governs ('myocardial infarction')
        book = measure_book()
        heads = book.heads(req.subject)
        enough = min(2, (len(heads) + 1) // 2)
        stating = {
            o.path: o.date
            for o in scope.facts.observations
            if o.date
            and heads
            and not (kinds and o.kind == "summary")
            and len(book.stated_heads(heads, f"{o.name} {o.text}")) >= enough
        }
        # of the facts that state it, the nearest in meaning (a later visit for something
        # else that shares its words does not answer it), then the latest of equals
        near = scope.by_meaning(req, lambda c: c.path in stating, margin=TIE, limit=len(stating))
        dated = [(c.path, stating[c.path]) for c in near] or list(stating.items())
    if not dated:
        # the facts kept near the requirement that can be what it names: the nearest, then the
        # latest of equals. A finding merely near in meaning dates nothing (a sleepiness score
        # for 'a home sleep apnea test'): it states a word of the subject's own, or is of the
        # kind the requirement's words name ('examination': an exam)
        if kinds:  # the results of the kind the words name, before a sentence naming results:
            # the latest of them answers ('laboratory monitoring within 90 days')
            dated = [
                (o.path, o.date) for o in scope.facts.observations if o.kind in kinds and o.date
            ]
        if not dated:
            near = scope.by_meaning(req, _names_it(req, scope.criterion))
            best = scope.by_meaning(req, lambda c: c in near, margin=TIE) if near else []
            dated = [(c.path, c.date) for c in best if c.date]
    return _dated_window(req, scope, _not_plans(req, scope, dated))


_KIND_ONLY_WORDS = frozenset(
    {"monitoring", "monitor", "result", "results", "test", "tests", "testing", "study",
     "studies", "work", "workup", "value", "values", "data", "findings", "documented"}
)  # fmt: skip
_RESULT_KINDS = frozenset({"lab", "imaging"})


def _kinds_named(req: Requirement, scope: _Scope) -> frozenset[str]:
    """The finding kinds a requirement naming no test but a kind of result asks for
    ('laboratory monitoring', 'imaging results': lab, imaging), when the case holds a dated
    finding of one of them; empty for a requirement naming its test ('serum ferritin')."""
    matched = [
        k
        for k in measure_book().fact_kinds
        if k.word_re.search(req.subject) and set(k.kinds) <= _RESULT_KINDS
    ]
    words = re.findall(r"[A-Za-z]+", req.subject)
    rest = {w.lower() for w in words if not any(k.word_re.search(w) for k in matched)}
    if not matched or not rest <= _KIND_ONLY_WORDS:
        return frozenset()
    kinds = {kind for k in matched for kind in k.kinds}
    return frozenset(o.kind for o in scope.facts.observations if o.date and o.kind in kinds)


_TEST_VERB_RE = re.compile(
    r"\s+(?:checked|drawn|obtained|measured|performed|done|submitted|completed|documented|"
    r"repeated|taken|recorded)\b.*$",
    re.IGNORECASE,
)


_TEST_VALUE_RE = re.compile(
    r"\s(?:of\s+|at\s+|above\s+|below\s+|under\s+|over\s+|>|<|≥|≤)*\d|"
    r"\b(?:greater|less|more|higher|lower|at least|at most)\b",
    re.IGNORECASE,
)
_TEST_NAME_RE = re.compile(
    # a test's name: up to five words, none a verb, a participle or a linking word
    r"(?:(?!(?:is|are|was|were|has|have|had|been|be|with|within|by|that|which|who|for|"
    r"from|to|an?|the)\b)(?![\w-]*ed\b)[\w-]+\s*){1,5}",
    re.IGNORECASE,
)
_TEST_SPLIT_RE = re.compile(r",|;|\band\b|\bor\b", re.IGNORECASE)
_SPECIMEN_RE = re.compile(r"\b(?:serum|plasma|blood|venous|arterial|capillary)\s+", re.IGNORECASE)


def _titled_by(item: str, scope: _Scope) -> list[Observation]:
    """The dated findings whose title names the test ``item`` ('total bilirubin', 'CBC',
    'NT-proBNP'): every word of a name of two words or more, or an abbreviation of one."""
    from ..evidence import tokens

    name = _SPECIMEN_RE.sub("", item).strip()
    wanted = tokens(name)
    if len(wanted) >= 2:
        return _exactly_titled([o for o in scope._named_findings(name) if o.date], wanted)
    if not wanted or not re.search(r"[A-Z]", name) or len(name) < 2:
        return []  # one plain word ('labs') titles too much
    return _exactly_titled(
        [
            o
            for o in scope.facts.observations
            if o.kind != "summary" and o.date and o.name and wanted <= tokens(o.name)
        ],
        wanted,
    )


def _exactly_titled(
    found: list[Observation], wanted: frozenset[str] | set[str]
) -> list[Observation]:
    """Of findings whose title names a test, those titled by its name alone when there are any:
    'Hemoglobin A1c' names another measure than 'Hemoglobin', a specimen ('serum') none."""
    from ..evidence import tokens

    exact = [o for o in found if tokens(_SPECIMEN_RE.sub("", o.name or "")) <= wanted]
    return exact or found


def _clause_tests(req: Requirement, scope: _Scope) -> list[tuple[str, list[Observation]]]:
    """The tests the window's clause names before it ('CBC and liver enzymes checked within 30
    days of the request'), each with the dated findings its name titles (none for a test the
    record does not hold). Empty when a named item is a course of the record's treatments
    (a window over care, not tests)."""
    # the names before any value ('Hemoglobin of 10 g/dL or higher': 'Hemoglobin' alone)
    clause = _TEST_VALUE_RE.split(_clause_before(req, scope.criterion))[0]
    items = [_TEST_VERB_RE.sub("", i).strip() for i in _TEST_SPLIT_RE.split(clause)]
    items = [i for i in items if re.search(r"[A-Za-z]{2}", i) and i.lower() not in GENERIC_SUBJECTS]
    from ..evidence import tokens

    out = []
    for item in items:
        if not _TEST_NAME_RE.fullmatch(item):
            return []  # a clause of other words ('a discharge plan is documented and has been')
        words = tokens(_SPECIMEN_RE.sub("", item))
        if any(words and words <= tokens(t.treatment.name) for t in scope.facts.trials):
            return []
        out.append((item, _titled_by(item, scope)))
    return out


def _listed(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _window_each_test(
    req: Requirement, scope: _Scope, tests: list[tuple[str, list[Observation]]]
) -> RequirementVerdict:
    """A window over two or more named tests ('NT-proBNP and six-minute walk distance within
    the past 90 days'): each test's latest result against the window; the tests on record are
    credited by date and only the missing ones named."""
    parts: list[RequirementVerdict] = []
    missing: list[str] = []
    for item, found in tests:
        if not found:
            missing.append(item)
            continue
        one = req.model_copy(update={"subject": item})
        parts.append(_dated_window(one, scope, [(o.path, o.date) for o in found if o.date]))
    asked = req.model_copy(update={"subject": _listed([item for item, _ in tests])})
    # tests one result holds ('ALT, AST and total bilirubin' in one panel) are said once
    shared: dict[str, list[RequirementVerdict]] = {}
    for p in parts:
        shared.setdefault(p.found, []).append(p)
    said = "; ".join(
        f"{_listed([p.requirement.subject for p in same])} of {found}"
        + (", within the window" if same[0].status == "met" else "")
        for found, same in shared.items()
    )
    paths = [e for p in parts for e in p.evidence]
    names = _listed(missing)
    if missing:
        said += f"; no {names} recorded"
    field = f"objective_findings (a {names} result dated within the window)" if missing else None
    if any(p.status == "not_met" for p in parts):
        late = next(p for p in parts if p.status == "not_met")
        return _verdict(asked, "not_met", said, paths, field=late.field)
    if missing:
        # the tests on record are credited; only the missing one is the physician's gap
        partly = _verdict(asked, "unknown", said, paths, field=field)
        return partly.model_copy(update={"confirm": True})
    return _verdict(asked, "met", said, paths)


def _care_encounters(req: Requirement, scope: _Scope) -> list[tuple[str, dt.date]] | None:
    """The dated encounters of care that treated the event a window asks to have needed care
    ('self-injurious behavior that required medical treatment within the past 3 months'): the
    findings naming an emergency visit, admission or treatment of that event (a plan, or a
    course that merely names the behaviour, dates none of it). None when the window asks no
    such event, or no encounter names it."""
    book = measure_book()
    needed = book.words_re("care_required")
    clause = f"{_clause_before(req, scope.criterion)} {req.subject}"
    if not needed.search(clause):
        # a window over a list ('Within the 60 days before the request, at least ONE of: (a)
        # ... self-injury that required medical attention; (b) ...'): the item that asks it
        items = [c for c in re.split(r"[;]|\(\w\)", scope.criterion.text) if needed.search(c)]
        if not items or _span_at(req, scope.criterion) > scope.criterion.text.find(items[0]):
            return None
        clause = items[0]
    care = needed.sub(" ", clause)
    heads = book.heads(care) - book.heads("behavior event episode")
    encounter = book.words_re("care_encounters")
    plans = book.words_re("plan_records")
    negated = re.compile(rf"(?:{'|'.join(book.negated)})\W+(?:[\w-]+\W+){{0,3}}$", re.I)

    def treated(text: str) -> bool:  # 'no emergency department visits' names none
        return any(not negated.search(text[: m.start()]) for m in encounter.finditer(text))

    found = [
        (o.path, o.date)
        for o in scope.facts.observations
        if o.date
        and treated(f"{o.name} {o.text}")
        and not plans.search(o.name or "")
        and heads
        and book.stated_heads(heads, f"{o.name} {o.text}")
    ]
    return found or None


_SESSIONS_ASKED_RE = re.compile(
    r"\b(?:at least|a minimum of|minimum of|no fewer than)\s+\d+\s+(?:sessions|visits)\b", re.I
)
"""A course asked of a number of sessions ('of at least 12 sessions')."""


def _not_plans(
    req: Requirement, scope: _Scope, dated: list[tuple[str, dt.date]]
) -> list[tuple[str, dt.date]]:
    """Of the dated facts, those that can date what a window asks: a treatment plan, order or
    referral dates only a window that asks for such a record ('an updated treatment plan within
    30 days'), never an event it names ('self-injury ... within the 60 days before')."""
    plans = measure_book().words_re("plan_records")
    if plans.search(f"{req.subject} {req.span} {_clause_before(req, scope.criterion)}"):
        return dated
    names = {o.path: o.name or "" for o in scope.facts.observations}
    return [(p, d) for p, d in dated if not plans.search(names.get(p, ""))]


_CLAUSE_RE = re.compile(r"[^.;()]+")


def _event_dates(req: Requirement, scope: _Scope) -> list[tuple[str, dt.date]]:
    """The dates written in the clause of a fact that names the event a window's requirement
    names ('New L1 vertebral fragility fracture on 2025-10-20 while on therapy', in a course's
    outcome; 'admitted for decompensated heart failure on 2026-03-02'): (path, date) of each."""
    if req.subject.lower() in GENERIC_SUBJECTS:
        return []
    book_ = measure_book()
    heads = book_.heads(req.subject)
    events = book_.events(heads)  # what happened ('fracture', 'failure'), not a visit
    if not events or not heads - events:  # 'completed' alone names no event of a thing
        return []
    enough = min(2, (len(heads) + 1) // 2)
    texts = [(o.path, o.text) for o in scope.facts.observations]
    texts += [(t.path, t.treatment.outcome or "") for t in scope.facts.trials]
    out = []
    for path, text in texts:
        for clause in _CLAUSE_RE.findall(text):
            said = book_.stated_heads(heads, clause)
            if len(said) < enough or not events <= said:
                continue
            out += [(path, day) for day, _ in find_dates(clause)]
    return out


def _names_it(req: Requirement, criterion: Criterion) -> Callable[[Candidate], bool]:
    """Whether a fact chosen by meaning can be the thing a window's requirement names: it
    states a word of the subject's own or is of the finding kind its words name (a subject of
    no words of its own, 'time window', is what its clause names: 'a visit ... to evaluate');
    with neither named, any fact."""
    book = measure_book()
    generic = req.subject.lower() in GENERIC_SUBJECTS
    heads = frozenset() if generic else book.heads(req.subject)
    asked = f"{req.subject} {req.span}"
    if generic:
        asked += f" {_clause_around(req, criterion)}"
    kinds = {kind for k in book.fact_kinds if k.word_re.search(asked) for kind in k.kinds}
    if not heads and not kinds:
        return lambda c: True
    return lambda c: (
        (c.kind == "finding" and c.subkind in kinds)
        or bool(heads and book.stated_heads(heads, c.text))
    )


def _dated_window(
    req: Requirement, scope: _Scope, dated: list[tuple[str, dt.date]]
) -> RequirementVerdict:
    """The window against the latest of the dated facts that answer it on or before the date
    it counts back from (a fact dated after that date is not within a window before it). Of a
    screening criterion ('negative ... within 12 months'), a result other than negative dates
    nothing: the window is the negative result's (a positive or indeterminate test is none)."""
    if any(
        _asks_negative(r, scope.criterion)
        for r in scope.criterion.requirements
        if r.kind in (RequirementKind.test_done, RequirementKind.other)
    ):
        said_ = {o.path: o for o in scope.facts.observations}
        dated = [
            (p, d) for p, d in dated if p not in said_ or said_[p].polarity in (None, "negative")
        ]
    if not dated or req.value is None:
        return _verdict(req, "unknown", "no dated record", field="objective_findings[].date")
    anchor, counted_from, of = _anchor(req, scope)
    # a test still to be done or reported counts where it falls: its verdict is pending
    said = {o.path: o for o in (*scope.facts.observations, *scope.facts.documents)}
    waiting = {p for p, _ in dated if p in said and _waiting(said[p], scope.facts.as_of)}
    before = [p for p in dated if p[1] <= anchor or p[0] in waiting]
    if not before:
        path, when = min(dated, key=lambda p: p[1])
        need = _days_in(req.value, req.unit)
        amount = _in_unit(need, req.unit) if need is not None else ""
        shown = f"{fmt_date(when)}, after {counted_from}: not within the window before it"
        field = f"objective_findings (a {req.subject} result dated within {amount}{of})"
        late = _verdict(req, "not_met", shown, [path], field=field)
        return late.model_copy(update={"required": late.required + of}) if of else late
    path, when = max(before, key=lambda p: p[1])
    age = float((anchor - when).days)
    need = _days_in(req.value, req.unit)
    shown = f"{fmt_date(when)}, {age:.0f} days before {counted_from}"
    subject = req.subject if req.subject.lower() not in GENERIC_SUBJECTS else "record"
    amount = _in_unit(need, req.unit) if need is not None else ""
    field = f"objective_findings (a {subject} result dated within {amount}{of})"
    if need is None:
        return _verdict(req, "unknown", shown, [path], field=field)
    comparator = req.comparator or "<="
    status: Status = "met" if _CMP[comparator](age, need) else "not_met"
    if status != "met":
        # name the gap: how far outside the window, and what would answer it
        span = amount.replace(" ", "-").rstrip("s")  # 'the 90-day window'
        shown += f": {age - need:.0f} days outside the {span} window"
    verdict = _verdict(req, status, shown, [path], age, field)
    return verdict.model_copy(update={"required": verdict.required + of}) if of else verdict


_EITHER_WAY_RE = re.compile(
    r"\balone or (?:in combination )?with\b|\bwith or without\b|\bmonotherapy or (?:in )?"
    r"combination\b|\balone or in combination\b",
    re.IGNORECASE,
)
"""A criterion that allows a drug alone or with another: concurrency is no condition."""


def _until(t: Trial, scope: _Scope) -> dt.date | None:
    """A course's last day: its end, or the letter's date for an ongoing one."""
    if t.end:
        return t.end
    return scope.facts.as_of if t.start and t.treatment.ongoing else None


def _overlaps(a: Trial, b: Trial, scope: _Scope) -> bool:
    a_end, b_end = _until(a, scope), _until(b, scope)
    if not (a.start and a_end and b.start and b_end):
        return False
    return _overlap((a.start, a_end), (b.start, b_end)) > 0


_NOT_WITH_RE = re.compile(r"\b(?:not|never|nor)\b[^.;]*$", re.IGNORECASE)


def _concurrency(req: Requirement, scope: _Scope) -> RequirementVerdict:
    text = scope.criterion.text
    at = text.find(req.span)
    if at > 0 and _NOT_WITH_RE.search(text[:at]):
        # 'not performed ... in conjunction with a cosmetic rhinoplasty': that it is absent
        return _worded(_absence(req, scope), kind=RequirementKind.absence)
    partner_groups = book().groups_in(" ".join([req.subject, *req.classes]))
    partners = scope.trials_for(partner_groups) if partner_groups else []
    partner_names = {g.name for g in partner_groups}
    own = [t for t in scope.trials_for(scope.groups) if not t.groups & partner_names]
    if own and _EITHER_WAY_RE.search(scope.criterion.text):
        # 'used alone or in combination with methotrexate': the combination is allowed, never
        # required, so the requirement holds whatever the overlap
        with_partner = [t for t in own if any(_overlaps(t, p, scope) for p in partners)]
        alone = [t for t in own if t not in with_partner]
        said = [f"{_names(with_partner)} with {req.subject}"] if with_partner else []
        said += [f"{_names(alone)} alone"] if alone else []
        done = _verdict(req, "met", "; ".join(said), [t.path for t in own])
        return _worded(done, kind=RequirementKind.other, subject=f"use alone or with {req.subject}")
    if not own or not partners:
        return _verdict(req, "unknown", "no dated courses to compare", field="prior_treatments")
    spans: list[str] = []
    used = [t.path for t in own]
    total = 0
    for t in own:
        t_end = _until(t, scope)
        if not (t.start and t_end):
            continue
        for p in partners:
            p_end = _until(p, scope)
            if p.start and p_end:
                days = _overlap((t.start, t_end), (p.start, p_end))
                if days:
                    total += days
                    used.append(p.path)
                    spans.append(f"{p.name} {days} days ({_in_unit(days, 'weeks')})")
    if not spans:
        return _verdict(req, "not_met", "no overlap", used, 0.0, "prior_treatments")
    course = own[0]
    c_end = _until(course, scope)
    length = (c_end - course.start).days if course.start and c_end else 0
    found = f"{course.name} over {length} days overlapped {'; '.join(spans)}"
    return _verdict(req, "met", found, used, float(total))


def _quantity(req: Requirement, scope: _Scope) -> RequirementVerdict:
    """A quantity per period (a drug's quantity limit): the units the regimen needs in each
    period, phase by phase (:mod:`.quantity`), never a duration."""
    texts = quantity.regimen_texts(scope.details, scope.product, [])
    return quantity.requirement_verdict(req, texts, scope.product, [])


_CHECKS: dict[RequirementKind, Callable[[Requirement, _Scope], RequirementVerdict]] = {
    RequirementKind.trial_count: _trial_count,
    RequirementKind.class_count: _class_count,
    RequirementKind.duration: _duration,
    RequirementKind.dose_adequacy: _dose,
    RequirementKind.threshold: _threshold,
    RequirementKind.test_done: lambda req, scope: _evaluated(req, scope, _present(req, scope)),
    RequirementKind.specialist: lambda req, scope: (
        _specialist(req, scope) or _evaluated(req, scope, _present(req, scope), always=True)
    ),
    RequirementKind.document: _present,
    RequirementKind.absence: _absence,
    RequirementKind.time_window: _window,
    RequirementKind.concurrency: _concurrency,
    RequirementKind.quantity: _quantity,
}


_DIAGNOSIS_RE = re.compile(r"\bdiagnos[ei]s\b|\bdiagnosed\b", re.IGNORECASE)
_DIAGNOSIS_COVER = 0.6
"""A coded diagnosis states a disease the criterion names when its description holds this share
of the disease's content words (and at least two of them)."""


def _same_word(a: str, b: str) -> bool:
    """Two word stems of one word ('diabet', 'diabetic'): equal, or one starts the other and
    is five letters or more."""
    short, long_ = sorted((a, b), key=len)
    return short == long_ or (len(short) >= 5 and long_.startswith(short))


def _diagnosis(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A disease the criterion names (a route of 'a diagnosis of ONE of the following'): met only
    by a coded diagnosis that is that disease (its description states most of the disease's
    words), never by a sentence that shares a few of them ('macular edema following retinal
    vein occlusion' is not 'diabetic macular edema'). None when the requirement names no
    disease of the case's kind (neither the criterion says 'diagnosis' nor a diagnosis of the
    case shares two of its words) or the case codes none."""
    from ..evidence import tokens

    if req.kind != RequirementKind.other or not scope.coded:
        return None
    words = tokens(re.sub(r"^\s*[A-Za-z0-9]{1,3}[.)]\s+", "", req.subject))
    if len(words) < 2:
        return None

    def stated(text: str) -> set[str]:  # the words of the disease the description states
        said = tokens(text)
        return {w for w in words if any(_same_word(w, x) for x in said)}

    shared = [(path, code, stated(text)) for path, code, text in scope.coded]
    asked = _DIAGNOSIS_RE.search(f"{scope.criterion.text} {req.span}")
    if not asked and not any(len(w) >= 2 for _, _, w in shared):
        return None
    best = max(shared, key=lambda x: len(x[2]))
    path, code, held = best
    if len(held) >= 2 and len(held) / len(words) >= _DIAGNOSIS_COVER:
        return _verdict(req, "met", f"diagnosis {code}", [path], field="diagnoses")
    coded = ", ".join(code for _, code, _ in scope.coded)
    return _verdict(req, "unknown", f"not among the coded diagnoses ({coded})", field="diagnoses")


def _uncheckable(req: Requirement, scope: _Scope) -> RequirementVerdict:
    """A requirement no typed check reads: met by the facts nearest to its wording of the kinds
    that can answer it (an event by a finding or the physician's sentence, not by a device),
    stated by name; otherwise not shown (never 'met' on the criterion's facts at large). A
    disease the criterion names is answered by the coded diagnoses alone (``_diagnosis``)."""
    if (coded := _diagnosis(req, scope)) is not None:
        return coded
    return _by_meaning_verdict(req, scope, "objective_findings") or _verdict(
        req, "unknown", "not shown", scope.all_evidence()
    )


_RATE_RE = re.compile(
    r"(\d+(?:\.\d+)?)\s*(hours?|hrs?|minutes?|min|days?|visits?|times|sessions?)\b"
    r"(?:\s+of\s+[a-z]+)?(?:\s+(?:of\s+)?therapy)?\s*(?:a|per|each|/)\s*(day|week)\b",
    re.IGNORECASE,
)
_FUNCTIONAL_KINDS = {
    RequirementKind.other, RequirementKind.specialist, RequirementKind.statement,
    RequirementKind.test_done, RequirementKind.document, RequirementKind.duration,
}  # fmt: skip


_ON_A_DAY_RE = re.compile(
    r"(\d+(?:\.\d+)?)\s*(hours?|hrs?|minutes?|min)\b(?:\s+of\s+[a-z]+)?\s+on\s+"
    r"(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\d{4}-\d{2}-\d{2}\b|(?:"
    + MONTH_NAME
    + r")\.?\s+\d{1,2}\b)",
    re.IGNORECASE,
)
"""An amount of one day ('165 minutes on 11/30'): minutes a day."""
_DAILY_RE = re.compile(r"\b(?:daily|every day|7 days a week|each day)\b", re.IGNORECASE)


def _rates(text: str, days_a_week: bool = False) -> list[tuple[float, str]]:
    """'3 hours of therapy a day, 5 days a week' -> [(180.0, 'minutes/day'), (5, 'days/week')];
    with ``days_a_week``, 'daily' is (7, 'days/week')."""
    out = []
    for m in _RATE_RE.finditer(text):
        value, unit, period = float(m.group(1)), m.group(2).lower(), m.group(3).lower()
        if unit.startswith(("hour", "hr")):
            out.append((value * 60, f"minutes/{period}"))
        elif unit.startswith("min"):
            out.append((value, f"minutes/{period}"))
        else:
            out.append((value, f"days/{period}" if unit.startswith("day") else f"times/{period}"))
    for m in _ON_A_DAY_RE.finditer(text):
        value, unit = float(m.group(1)), m.group(2).lower()
        out.append((value * 60 if unit.startswith(("hour", "hr")) else value, "minutes/day"))
    weekly = any(u == "days/week" for _, u in out)
    if days_a_week and not weekly and _DAILY_RE.search(text):
        out.append((7.0, "days/week"))
    return out


def _rate(text: str, days_a_week: bool = False) -> tuple[float, str] | None:
    rates = _rates(text, days_a_week)
    return rates[0] if rates else None


def _stated_rate(req: Requirement, text: str) -> tuple[float, str, str, frozenset[str]] | None:
    """The rate a requirement states, read from its span and the words after it in the
    criterion ('3 hours' + ' of therapy a day'): (value, unit, the words, the content words
    around it, which say what is counted: therapy, visits)."""
    from ..evidence import tokens

    at = text.find(req.span)
    window = text[at : at + len(req.span) + 30] if at >= 0 else req.span
    m = _RATE_RE.search(window)
    rate = _rate(window)
    if not (rate and m):
        return None
    around = text[max(0, at - 40) : at + len(req.span) + 30] if at >= 0 else window
    return rate[0], rate[1], m.group(0), tokens(around)


def _concept_texts(
    scope: _Scope, concept: Concept, schedule: bool = False
) -> list[tuple[str, str]]:
    """(path, text) of the facts that speak of a functional concept: the findings and summary
    sentences, the therapies tried (name, frequency, and an outcome that speaks of it) and the
    service's details (the disciplines and visits ordered, or with ``schedule`` a program's days
    a week; never what the patient tolerated or can do)."""
    texts: list[tuple[str, str]] = [
        (o.path, f"{o.name}: {o.finding.value}" if o.finding else o.text)
        for o in scope.facts.observations
        if concept.fact_re.search(o.text)
    ]
    for t in scope.facts.trials:
        if t.treatment.kind == "medication":
            continue
        outcome = t.treatment.outcome or ""
        named = bool(concept.fact_re.search(t.treatment.name))
        if named or concept.fact_re.search(outcome):
            parts = (t.treatment.name, t.treatment.frequency or "")
            text = " ".join(p for p in parts if p)
            if outcome and concept.fact_re.search(outcome):
                text += f": {outcome}"
            texts.append((t.path, text))
    sentences = re.split(r"(?<=[.;])\s+", scope.details if concept.details or schedule else "")
    texts += [
        ("service.details", sentence)
        for sentence in sentences
        if sentence and (concept.fact_re.search(sentence) or (schedule and _rate(sentence, True)))
    ]
    return texts


def _counted(req: Requirement, scope: _Scope, concept: Concept) -> RequirementVerdict:
    """A count of a concept's items ('therapy in at least two disciplines'): the distinct items
    the facts name ('physical, occupational and speech therapy' -> 3), compared."""
    named: dict[str, list[str]] = {}
    for path, text in _concept_texts(scope, concept):
        for item in concept.items_in(text):
            named.setdefault(item, []).append(path)
    field = f"prior_treatments or service.details (the {concept.name} the criterion counts)"
    if not named:
        return _verdict(req, "unknown", f"no {concept.name} recorded", field=field)
    n = float(len(named))
    found = f"{len(named)} ({', '.join(named)})"
    paths = [p for ps in named.values() for p in ps]
    return _verdict(req, _compare(req, n), found, paths, n, field)


def _functional(req: Requirement, scope: _Scope, concept_name: str) -> RequirementVerdict:
    """What a criterion asks of function, need or tolerance, from the findings, the summary,
    the therapies tried and the requested service's details; a stated rate is compared."""
    concept = next(c for c in measure_book().concepts if c.name == concept_name)
    want = _stated_rate(req, scope.criterion.text) if req.kind == RequirementKind.duration else None
    schedule = want is not None and want[1].startswith("days/")
    texts = _concept_texts(scope, concept, schedule)
    field = f"objective_findings (the {concept_name} the criterion asks about)"
    if not texts:
        return _verdict(req, "unknown", f"no {concept_name} recorded", field=field)
    if want is None:
        paths = list(dict.fromkeys(p for p, _ in texts))
        return _verdict(req, "met", "; ".join(_clip(t) for _, t in texts[:3]), paths)
    from ..evidence import tokens

    need, unit, words, about = want
    rated = [
        (p, t, value)
        for p, t in texts
        if about & tokens(t)  # the fact counts what the criterion counts (therapy, visits)
        for value, u in _rates(t, schedule)
        if u == unit
    ]
    comparator = req.comparator or ">="
    verdict = _verdict(
        req, "unknown", f"no {unit.replace('/', ' per ')} stated", (p for p, _ in texts),
        field=field,
    )  # fmt: skip
    verdict.required = f"{_CMP_WORDS[comparator]} {words}"
    if not rated:
        return verdict
    path, text, best = max(rated, key=lambda x: x[2])
    status: Status = "met" if _CMP[comparator](best, need) else "not_met"
    # short of the rate: the patient's own figure leads, so the comparison is plain
    shown = (
        _clip(text)
        if status == "met"
        else f"{_num(best)} {unit.replace('/', ' a ')} ({_clip(text, 80)})"
    )
    return verdict.model_copy(
        update={"status": status, "found": shown, "value": best, "evidence": [path],
                "field": None if status == "met" else field}
    )  # fmt: skip


def _clip(text: str, limit: int = 110) -> str:
    text = " ".join(text.split()).rstrip(".")
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


_LIST_MARK_RE = re.compile(r"^\s*(?:\(?[a-z0-9]{1,2}[.)]\s+|[-*•o]\s+)", re.IGNORECASE)


def _own_clause(req: Requirement, criterion: Criterion) -> Requirement:
    """The requirement with its window where its own clause puts it: a time window whose clause
    names another event than its subject ('LVEF ... AND ONE of: a. myocardial infarction within
    the past 40 days') governs that event, and a window written in another clause than a
    requirement's own ('LVEF of 35% or less' given 'within the past 40 days') is no window of
    it. A requirement whose span is not in the criterion is left as read."""
    from ..evidence import tokens

    if _span_at(req, criterion) < 0:
        return req
    if req.kind == RequirementKind.time_window:
        clause = _LIST_MARK_RE.sub("", _clause_before(req, criterion)).strip(" ,")
        named = tokens(clause)
        if named and len(clause) <= 80 and not tokens(req.subject) & named:
            return req.model_copy(update={"subject": clause})
        return req
    window = (req.window or "").lower()
    # a parenthesis elaborates its clause ('a validated scale within the last 30 days (MADRS of
    # 28 or greater)'): the clause's window is shared by the requirement inside it
    flat = criterion.model_copy(update={"text": re.sub(r"[()]", ",", criterion.text)})
    elsewhere = window and window not in _clause_around(req, flat).lower()
    if elsewhere and window in criterion.text.lower():
        return req.model_copy(update={"window": None})
    return req


def check(req: Requirement, scope: _Scope, placed: bool = False) -> RequirementVerdict:
    """The requirement's verdict; one the code cannot decide that a sentence or record of the
    case plausibly answers is stated with it, to be confirmed (``RequirementVerdict.confirm``).
    ``placed``: its window is already where its own clause puts it."""
    read = _named_bound(_as_age_band(req, scope.criterion), scope.criterion)
    own = req if placed else _own_clause(read, scope.criterion)
    if own is not req:
        return check(own, scope, placed=True)
    verdict = _in_range(_check(req, scope), scope.criterion)
    if verdict.status == "unknown" and verdict.value is None:
        verdict = _stated_count(req, scope) or verdict
    if verdict.status == "unknown" and verdict.value is None:
        verdict = _computed_score(req, scope) or verdict
    criterion = scope.criterion
    counted = req.kind == RequirementKind.quantity or quantity.limit_criterion(
        criterion.text, criterion.payer_reason
    )  # a regimen not countable is a gap on service.details (pharmacy), never a quote
    if verdict.status == "met" and not verdict.evidence and not counted:
        # met on no fact of the case (an alternative of an any-of criterion): not shown
        verdict = verdict.model_copy(update={"status": "unknown", "found": "not shown"})
    # a disease not among the coded diagnoses, or a test not of the kinds the criterion lists,
    # is not confirmed from a fact that only shares its words
    only = (
        verdict.field == "diagnoses"
        or (req.kind == RequirementKind.test_done and bool(_modalities(req, criterion)))
        or _is_strength(req)  # a drug's strength: no finding's percent is plausibly it
        # a change: no single reading (nor another measure's percent) is plausibly it
        or (
            req.kind == RequirementKind.threshold
            and (_asks_change(req, scope) or _asks_amount_change(req, scope))
        )
        or verdict.found in _NOT_COMPARED  # words that frame the criterion: nothing to quote
    )
    screened = False
    if req.kind in (RequirementKind.test_done, RequirementKind.other):
        results = _screened(verdict, scope)
        screened, verdict = results is not verdict, results  # results read: nothing to confirm
    if verdict.status == "unknown" and req.kind == RequirementKind.other:
        verdict = _denied(req, scope) or verdict
    if verdict.status == "unknown" and not (
        verdict.confirm or verdict.conceded or counted or only or screened
    ):
        verdict = _to_confirm(req, scope, verdict) or verdict
    if verdict.status == "unknown" and not verdict.evidence and not verdict.conceded:
        verdict = _awaited(req, scope, verdict) or verdict
    return _pending(verdict, scope) or verdict


def _awaited(
    req: Requirement, scope: _Scope, verdict: RequirementVerdict
) -> RequirementVerdict | None:
    """A measurement the record has no value of, whose test a finding says is still to come
    ('Esophageal pH-impedance monitoring: scheduled for 2026-11-12; not yet performed'): that
    finding answers it (``_pending`` then states it as pending, never met). The finding names
    the test: it states two of the terms the criterion's words before the threshold name (half,
    of fewer)."""
    if req.kind != RequirementKind.threshold:
        return None
    book = measure_book()
    heads = book.heads(f"{req.subject} {_clause_before(req, scope.criterion)}")
    if not heads:
        return None
    enough = min(2, (len(heads) + 1) // 2)
    as_of = scope.facts.as_of
    found = [
        o.path
        for o in scope.facts.observations
        if o.kind != "summary"
        and len(book.stated_heads(heads, f"{o.name} {o.text}")) >= enough
        and _waiting(o, as_of)
    ]
    return verdict.model_copy(update={"evidence": found}) if found else None


def _computed_score(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A named clinical score the record states no result of ('a CHA2DS2-VASc score of 3 or
    more'), computed from the components the case codes (``scores``): met when the least score
    the record supports reaches the threshold; below it, unknown (a component the record does
    not code may still be present), stated with its components. None for any other
    requirement."""
    if req.kind != RequirementKind.threshold or req.value is None or req.comparator is None:
        return None
    name = scores.score_named(req.subject)
    if name is None:
        return None
    summary = " ".join(o.text for o in scope.facts.observations if o.kind == "summary")
    got = scores.compute(name, scope.coded, scope.facts.birth, scope.reference, sex_in(summary))
    status = _compare(req, float(got.value))
    if status != "met" and req.comparator in (">=", ">"):
        status = "unknown"
    return _verdict(req, status, got.shown, got.evidence, float(got.value), "diagnoses")


_ASKS_NEGATIVE_RE = re.compile(
    r"\b(?:negative|non-?reactive|not detected)\b(?!\s+(?:for|to)\b)", re.IGNORECASE
)


def _asks_negative(req: Requirement, criterion: Criterion) -> bool:
    """Whether the requirement asks for a negative result: its subject says so, or the word
    stands just before its subject in the criterion ('a negative tuberculin skin test'), or
    before the parenthesis that names its tests ('Negative tuberculosis screening
    (interferon-gamma release assay or tuberculin skin test)')."""
    if _ASKS_NEGATIVE_RE.search(req.subject):
        return True
    text = criterion.text
    at = text.lower().find(req.subject.lower())
    if at <= 0:
        return False
    before = text[max(0, at - 14) : at]
    if text[:at].rstrip().endswith("("):
        before = re.split(r"[;.]", text[max(0, at - 60) : at])[-1]
    return bool(_ASKS_NEGATIVE_RE.search(before))


def _window_of(scope: _Scope) -> tuple[float, dt.date, str] | None:
    """The criterion's time window, as (days, the date it counts back from, how the letter
    names that date); None when it states none."""
    for r in scope.criterion.requirements:
        if r.kind == RequirementKind.time_window and r.value is not None:
            days = _days_in(r.value, r.unit)
            if days is not None:
                anchor, named, _ = _anchor(r, scope)
                return days, anchor, named
    return None


def _screened(verdict: RequirementVerdict, scope: _Scope) -> RequirementVerdict:
    """A screening requirement ('negative tuberculosis screening within the 12 months before the
    first dose') met only by a negative (non-reactive) result inside its window: a positive one
    does not meet it, an indeterminate one leaves it unknown (a repeat test is the gap), and a
    negative one older than the window has expired (not met). A test done is not its result."""
    req = verdict.requirement
    if verdict.status != "met" or not _asks_negative(req, scope.criterion):
        return verdict
    by_path = {o.path: o for o in scope.facts.observations}
    results = [(o, r) for p in verdict.evidence if (o := by_path.get(p)) and (r := o.polarity)]
    if not results:
        return verdict
    window = _window_of(scope)

    def inside(o: Observation) -> bool:
        if window is None or o.date is None:
            return True
        days, anchor, _ = window
        return (anchor - o.date).days <= days  # a result after the date counted from is current

    def said(o: Observation, result: str) -> str:
        when = f" on {fmt_date(o.date)}" if o.date else ""
        return f"{o.name}{when}: {result}"

    current = [(o, r) for o, r in results if inside(o)]
    for wanted, status in (("negative", "met"), ("positive", "not_met")):
        hits = [o for o, r in current if r == wanted]
        if hits:
            found = "; ".join(said(o, wanted) for o in hits)
            return _verdict(req, status, found, [o.path for o in hits])  # type: ignore[arg-type]
    shown = []
    for o, r in results:
        if inside(o):
            shown.append(f"{said(o, r)} (a repeat test with a negative result is needed)")
        elif window is not None and o.date is not None:
            _, anchor, named = window
            age = _in_unit(float((anchor - o.date).days), "months")
            shown.append(f"{said(o, r)}, {age} before {named}: outside the window, expired")
    status_: Status = "unknown" if any(r == "indeterminate" for o, r in current) else "not_met"
    return _verdict(
        req, status_, "; ".join(shown), [o.path for o, _ in results], field="objective_findings"
    )


_DENIAL_RE = re.compile(
    r"\b(?:no|without|denies|denied|negative for|free of)\s+(?P<what>[\w\s,/-]{3,80}?)"
    r"(?=[.;:()]|$|\b(?:but|and (?:has|is|was|reports)|since|on|in)\b)",
    re.IGNORECASE,
)
_NEGATIVE_ASK_RE = re.compile(
    r"\b(?:no|not|none|nothing|neither|nor|never|without|absen\w+|free of|negative|excluding)\b",
    re.IGNORECASE,
)


def _denied(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A finding the criterion asks for that a fact of the case denies in the criterion's own
    words ('current active suicidal ideation with intent or plan'; the C-SSRS: 'no active
    suicidal ideation, intent or plan'): not met on that fact. The denied words must be the
    requirement's (three or more of them, and most of what is denied), and a requirement that
    itself asks for an absence is not read this way. None when no fact denies it."""
    from ..evidence import tokens

    if _NEGATIVE_ASK_RE.search(f"{req.subject} {req.span}"):
        return None
    asked = tokens(req.span if len(req.span) > len(req.subject) else req.subject)
    for o in scope.facts.observations:
        for m in _DENIAL_RE.finditer(o.text):
            denied = tokens(m["what"])
            shared = denied & asked
            if len(shared) >= 3 and len(shared) >= 0.75 * len(denied):
                if o.kind == "summary":
                    found = _said_text(o, 120)
                else:
                    when = f" ({fmt_date(o.date)})" if o.date else ""
                    found = f"{o.name}{when}: {_clip(o.finding.value if o.finding else o.text)}"
                return _verdict(req, "not_met", found, [o.path], field=None)
    return None


_SCHEDULE_UNITS = frozenset({"minute", "hour", "day", "week", "month", "year"})
"""Units of a time, which in a fact saying its result is not yet back tell when the test is
done or read ('readings at 48 and 96 hours'), never a result."""


def _waiting(o: Observation, as_of: dt.date | None) -> bool:
    """Whether a finding or sentence says its test is ordered, scheduled or awaiting a result,
    with no result stated ('Ordered 10/28/2026; awaiting scheduling', 'report pending', 'The
    biopsy is booked', a date after the letter's): a result in a unit, or words of one, make
    it a done test."""
    said = o.finding.value if o.finding else o.text
    if o.finding and o.finding.interpretation:
        said = f"{said}. {o.finding.interpretation}"
    if report_pending(said):
        return True  # 'interview completed; final written report not yet issued'
    book = measure_book()
    pending = is_pending(said)
    results = [
        n for n in numbers_in(said) if not (pending and n[1] in _SCHEDULE_UNITS)
    ]  # 'to be drawn ... 28 days before surgery; no result yet': a time is no result
    if results or book.words_re("test_resulted").search(said):
        return False
    if pending or book.words_re("test_scheduled").search(said):
        return True
    dates = [d for d, _ in find_dates(said)]
    return bool(dates) and as_of is not None and all(d > as_of for d in dates)


def _pending(verdict: RequirementVerdict, scope: _Scope) -> RequirementVerdict | None:
    """The verdict of a requirement whose every fact is a test still to be done or reported:
    pending (not met, its result never claimed), with what the fact says of it."""
    if not verdict.evidence or verdict.payer_met or verdict.conceded:
        return None
    facts = {o.path: o for o in (*scope.facts.observations, *scope.facts.documents)}
    found = [facts.get(p) for p in verdict.evidence]
    as_of = scope.facts.as_of
    if not all(o is not None and _waiting(o, as_of) for o in found):
        return None
    said = "; ".join(
        f"my clinical summary: “{_clip(o.text, 90)}”" if o.kind == "summary"
        else f"{o.name}: {_clip(o.finding.value if o.finding else o.text, 90)}"
        for o in found if o is not None
    )  # fmt: skip
    return verdict.model_copy(
        update={"status": "not_met", "pending": True, "confirm": False, "found": said,
                "field": None, "value": None}
    )  # fmt: skip


_COUNT_GENERIC = frozenset(
    {"sets", "number", "least", "more", "documented", "documentation", "total", "separate"}
)
_SUMMARY_COUNT_RE = r"(?<![\d.,])(\d{{1,4}})\s+(?:[a-z-]+\s+)?{stem}\w*"


def _stated_count(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A count the typed check did not find, read from what the case states of the thing itself
    (the blind judges' kind: the facts state it, the letter said not shown): the dated records
    named by its head noun ('2 sets of radiographs': the radiographs of April 14 and July 20), or
    a number the case writes before that noun ('87 events' for 'a minimum of 10 events'). Only
    a count with no unit of its own; never a value of another measure."""
    if req.kind != RequirementKind.threshold or req.value is None or req.comparator is None:
        return None
    if req.unit not in (None, "events", "episodes", "visits", "admissions", "sets"):
        return None
    if req.value < 1 or req.value != int(req.value):  # a count is a whole number of things
        return None
    # the head noun only: the last word before any trailing participle or function word
    # ('radiographs' of 'sets of radiographs obtained'; 'hormone', never 'pituitary')
    words = re.findall(r"[a-z]+", req.subject.lower())
    while words and (words[-1] in _SUBJECT_BAD_LAST or words[-1] in _COUNT_GENERIC):
        words.pop()
    # a count names its things in the plural ('radiographs', 'events'), never a score's name
    heads = [w for w in words[-1:] if len(w) >= 4 and w.endswith("s")]
    heads += [req.unit] if req.unit else []
    for word in heads:
        bare = word[:-1] if word.endswith("s") else word
        stem = re.escape(bare)
        named = [
            o for o in scope.facts.observations
            if o.kind != "summary" and o.date
            and literal.bounded(o.name, bare, ignore_case=True, end=False)
        ]  # fmt: skip
        dates = sorted({o.date for o in named if o.date})
        # a log names each event by its date ('Gout flare log: 2025-02-10 left ankle; 2025-05-19
        # left knee; ...'): each is one, counted inside the criterion's window when it has one
        logged = sorted(
            {d for o in named for d, _ in find_dates(o.finding.value if o.finding else "")}
        )
        window = _window_of(scope) if len(logged) >= 2 else None
        if window is not None:
            days, anchor, _ = window
            logged = [d for d in logged if 0 <= (anchor - d).days <= days]
        dates = logged if len(logged) >= 2 or (window is not None and logged) else dates
        if len(dates) >= 1:
            value = float(len(dates))
            found = f"{len(dates)} ({'; '.join(fmt_date(d) for d in dates)})"
            paths = [o.path for o in named]
            return _verdict(req, _compare(req, value), found, paths, value)
        said = [
            (o, m) for o in scope.facts.observations if o.kind == "summary"
            for m in [re.search(_SUMMARY_COUNT_RE.format(stem=stem), o.text, re.I)] if m
        ]  # fmt: skip
        if len(said) == 1:
            o, m = said[0]
            value = float(m.group(1))
            return _verdict(req, _compare(req, value), f"{m.group(0)}", [o.path], value)
    return None


_SPACING_RE = re.compile(r"\bintervals?\b|\bapart\b|\bspaced\b", re.IGNORECASE)


def _spacing(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A longest spacing between administrations ('given at intervals of no more than 6
    weeks'): the gaps between the dated administrations of what it names, across every
    course of it the case lists (each course's listed dates, else a single dose's start), the
    longest against the bound."""
    if req.comparator not in ("<=", "<") or req.value is None:
        return None
    need = _days_in(req.value, req.unit)
    clause = f"{_clause_before(req, scope.criterion)} {req.span}"
    if need is None or not _SPACING_RE.search(clause):
        return None
    dated: dict[dt.date, str] = {}
    for t in scope.trials(req):
        given = t.given or (
            (t.start,) if t.start and t.count == 1 and t.end in (None, t.start) else ()
        )
        for day in given:
            dated.setdefault(day, t.path)
    days = sorted(dated)
    if len(days) < 2:
        return None
    gaps = [(b - a).days for a, b in itertools.pairwise(days)]
    longest = max(gaps)
    unit = req.unit or "weeks"
    status = _compare(req.model_copy(update={"value": need}), float(longest))
    found = (
        f"{len(days)} administrations ({', '.join(fmt_date(d) for d in days)}), the longest gap "
        f"{_in_unit(longest, unit)}"
    )
    value = float(_in_unit(longest, unit).split()[0])
    verdict = _verdict(req, status, found, [dated[d] for d in days], value, "prior_treatments")
    bound = f"{_CMP_WORDS[req.comparator]} {_num(req.value)} {unit}"
    return verdict.model_copy(update={"required": f"intervals of {bound} between {req.subject}"})


_VELOCITY_RE = re.compile(r"\bvelocity\b|\bgrowth rate\b|\bcm\s*/\s*y(?:ea)?r\b", re.IGNORECASE)
_HEIGHT_RE = re.compile(r"\bheights?\b", re.IGNORECASE)
_RATE_CHANGE_RE = re.compile(r"\b(?:increas|improv|chang|declin|decreas|ris[ei])\w*", re.IGNORECASE)
"""A change of the velocity ('velocity has increased by 2 cm/year'), not the velocity itself."""
_HEIGHT_UNITS = "cm|in|inch|inches"
_CM_RE = re.compile(
    rf"(?:height\D{{0,12}}?)?(\d{{2,3}}(?:\.\d+)?)\s*({_HEIGHT_UNITS})\b", re.IGNORECASE
)
"""A height in cm or in inches (converted by ``units.converted``, data)."""
_SPAN_MONTHS = 6
"""A velocity is measured over at least this many calendar months (the usual bar; a criterion
stating another is compared with it as its own requirement)."""


def _heights(scope: _Scope) -> list[tuple[dt.date, float, str]]:
    """The dated heights of the record (a finding named for the height, or stating 'Height
    123.7 cm'), in date order: (date, cm, path)."""
    out: dict[dt.date, tuple[dt.date, float, str]] = {}
    for o in scope.facts.observations:
        if o.kind == "summary" or o.date is None or o.finding is None:
            continue
        value = o.finding.value
        if not (_HEIGHT_RE.search(o.name) or _HEIGHT_RE.search(value)):
            continue
        after = _HEIGHT_RE.search(value)
        m = _CM_RE.search(value, after.start() if after else 0)
        cm = converted(float(m.group(1)), m.group(2), "cm") if m is not None else None
        if cm is not None:
            out.setdefault(o.date, (o.date, round(cm, 1), o.path))
    return [out[d] for d in sorted(out)]


def _velocity(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A growth velocity the criterion asks for, computed from two dated heights: the latest
    and the latest one at least six calendar months before it, in cm/year. It answers the
    velocity's own threshold, the count of heights ('at least two heights'), and the length it
    is measured over ('at least 6 months apart'). None when the criterion names no velocity or
    the record dates no two heights that far apart."""
    criterion = scope.criterion
    if not _VELOCITY_RE.search(criterion.text) or req.value is None or req.comparator is None:
        return None
    heights = _heights(scope)
    if len(heights) < 2:
        return None
    last = heights[-1]
    earlier = [h for h in heights if add_months(h[0], _SPAN_MONTHS) <= last[0]]
    if not earlier:
        return None
    first = earlier[-1]
    days = (last[0] - first[0]).days
    rate = (last[1] - first[1]) / (days / 365.25)
    shown_ = (
        f"{_num(first[1])} cm ({fmt_date(first[0])}) to {_num(last[1])} cm "
        f"({fmt_date(last[0])}): {_num(round(last[1] - first[1], 1))} cm over "
        f"{_in_unit(days, 'months')}, {rate:.1f} cm/year"
    )
    paths = [first[2], last[2]]
    asked = f"{req.subject} {req.span}"
    unit = (req.unit or "").lower()
    if req.kind == RequirementKind.duration:
        need = _days_in(req.value, req.unit)
        if need is None:
            return None
        status = _compare(req.model_copy(update={"value": need}), float(days))
        value = float(_in_unit(days, req.unit).split()[0])
        return _verdict(req, status, shown_, paths, value, "objective_findings (dated heights)")
    if req.kind != RequirementKind.threshold:
        return None
    if _HEIGHT_RE.search(asked) and unit in ("", "heights", "measurements"):
        n = float(len(heights))
        found = f"{len(heights)} dated heights; {shown_}"
        every = [h[2] for h in heights]
        return _verdict(req, _compare(req, n), found, every, n, "objective_findings")
    if _VELOCITY_RE.search(asked) and unit.startswith("cm") and not _RATE_CHANGE_RE.search(asked):
        found = shown_
        return _verdict(req, _compare(req, round(rate, 1)), found, paths, round(rate, 1))
    return None


_APART_RE = re.compile(
    r"\b(?:measurements?|readings?|scans?|values?|findings?|tests?|exams?|examinations?)\b"
    r"[^.;:]{0,40}\bapart\b",
    re.IGNORECASE,
)
"""A bound on the time between the measurements a criterion compares ('comparing measurements
taken no more than 24 months apart')."""


def _apart(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A bound on the time between two measurements compared ('comparing measurements taken no
    more than 24 months apart'): answered only by the span between two dated findings of a
    measure the criterion names (a content word of the criterion in the finding's name or
    value: 'Kmax'), the latest and the earliest one within the bound before it (else the one
    nearest before it), never by a course's length. Said as no comparison when the record
    dates no two findings of it. None when the clause bounds no such time."""
    from ..evidence import tokens

    if req.value is None or req.comparator not in ("<=", "<"):
        return None
    if not _APART_RE.search(_clause_around(req, scope.criterion)):
        return None
    need = _days_in(req.value, req.unit)
    if need is None:
        return None
    framing = re.sub(r"\b(?:measurements?|apart|taken|comparing)\b", " ", scope.criterion.text)
    named = tokens(framing)
    by_word: dict[str, dict[dt.date, Observation]] = {}
    for o in scope.facts.observations:
        if o.kind == "summary" or o.date is None or o.finding is None:
            continue
        for word in named & tokens(f"{o.name} {o.finding.value}"):
            by_word.setdefault(word, {}).setdefault(o.date, o)
    pairs: list[tuple[int, dt.date, dt.date, dict[dt.date, Observation]]] = []
    for dated in by_word.values():
        days = sorted(dated)
        if len(days) < 2:
            continue
        within = [d for d in days[:-1] if (days[-1] - d).days <= need]
        first = within[0] if within else days[-2]
        pairs.append(((days[-1] - first).days, first, days[-1], dated))
    if not pairs:
        return _verdict(req, "unknown", APART_FOUND, field="objective_findings (dated findings)")
    # the widest pair within the bound, else the nearest pair beyond it
    between, since, until, dated = max(
        pairs, key=lambda p: (p[0] <= need, p[0] if p[0] <= need else -p[0])
    )
    first_o, last_o = dated[since], dated[until]
    unit = req.unit or "months"
    status = _compare(req.model_copy(update={"value": need}), float(between))
    amount = _in_unit(between, unit)
    found = (
        f"{first_o.name} of {fmt_date(since)} and {last_o.name} of "
        f"{fmt_date(until)}, {amount} apart"
    )
    verdict = _verdict(req, status, found, [first_o.path, last_o.path],
                       float(amount.split()[0]), "objective_findings (dated findings)")  # fmt: skip
    bound = f"{_CMP_WORDS[req.comparator]} {_num(req.value)} {unit}"
    return verdict.model_copy(update={"required": f"measurements taken {bound} apart"})


_ABSTINENCE_RE = re.compile(r"\babstinen\w*|\babstain\w*|\b(?:smoke|nicotine|tobacco)-free\b", re.I)
_SUBSTANCE_RE = re.compile(
    r"\b(?:smok\w*|cigarettes?|tobacco|nicotine|vap\w*|alcohol|drinking|opioids?|cannabis)\b", re.I
)
_QUIT_BEFORE_RE = re.compile(r"\b(?:since|quit|stopped|abstinent|last\s+\w+)\b[^.;]{0,40}$", re.I)


def _abstinence(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """How long the patient has abstained ('abstinence from all tobacco and nicotine products
    for at least 4 months prior to the planned procedure'): from the latest date a fact gives
    for stopping a substance ('stopped smoking cigarettes on 2026-06-22', 'no nicotine
    products since 2026-07-31': the later, for all of them) to the date the window counts to
    (the planned procedure's date, else the notice's). None when the criterion asks no
    abstinence or no fact dates the stop."""
    bare = req.kind == RequirementKind.absence and bool(_ABSTINENCE_RE.search(req.subject))
    if not bare and (req.kind != RequirementKind.duration or req.value is None):
        return None
    if not _ABSTINENCE_RE.search(f"{_clause_around(req, scope.criterion)} {req.span}"):
        return None
    need = _days_in(req.value, req.unit) if req.value is not None else 0.0
    if need is None:
        return None
    texts = [(o.path, o.text) for o in scope.facts.observations if o.kind == "summary"]
    texts += [
        (
            t.path,
            f"{t.treatment.name}: {t.treatment.outcome or ''}; {t.treatment.outcome_measure or ''}",
        )
        for t in scope.facts.trials
    ]
    stops: list[tuple[dt.date, str]] = []
    for path, text in texts:
        for sentence in re.split(r"(?<=[.;])\s+", text):
            if not _SUBSTANCE_RE.search(sentence):
                continue
            for day, at in find_dates(sentence):
                if _QUIT_BEFORE_RE.search(sentence[:at]) and day <= (scope.facts.as_of or day):
                    stops.append((day, path))
    if not stops:
        return None
    quit_on, path = max(stops)
    if bare:  # abstinence itself: the stop the record dates
        found = f"abstinent since {fmt_date(quit_on)}"
        return _verdict(req, "met", found, [path], field="clinical_summary (the quit date)")
    anchor, counted_to, _ = _anchor(req, scope)
    days = float((anchor - quit_on).days)
    status = _compare(req.model_copy(update={"value": need}), days)
    found = f"abstinent since {fmt_date(quit_on)}: {_in_unit(days, req.unit)} to {counted_to}"
    value = float(_in_unit(days, req.unit).split()[0])
    return _verdict(req, status, found, [path], value, "clinical_summary (the quit date)")


_AFTER_LAST_RE = re.compile(
    r"\s*(?:after|following)\s+(?:the\s+)?(?:most recent|last|latest)\b", re.IGNORECASE
)


def _after_last(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A test taken a least time after the last administration ('persistent fluid on OCT at
    least 4 weeks after the most recent bevacizumab injection'): the latest finding of the test
    the clause names (a word of the finding's name) dated after the last administration of
    what it names, and the days between them. None when the clause is not of that form or the
    record dates neither."""
    from ..evidence import tokens

    if req.kind != RequirementKind.interval or req.value is None:
        return None
    at = _span_at(req, scope.criterion)
    if at < 0 or not _AFTER_LAST_RE.match(scope.criterion.text, at + len(req.span)):
        return None
    need = _days_in(req.value, req.unit)
    trials = scope.trials(req)
    given = [d for t in trials for d in (t.given or (t.end or t.start,)) if d]
    if need is None or not given:
        return None
    last = max(given)
    path = next(t.path for t in trials if last in (*t.given, t.end, t.start))
    test = tokens(_clause_before(req, scope.criterion))
    taken = [
        o for o in scope.facts.observations
        if o.kind != "summary" and o.date and o.date > last and test & tokens(o.name)
    ]  # fmt: skip
    if not taken:
        return None
    o = max(taken, key=lambda x: x.date or last)
    days = float(((o.date or last) - last).days)
    status = _compare(req.model_copy(update={"value": need, "comparator": ">="}), days)
    found = (
        f"{o.name} of {fmt_date(o.date or last)}, {_in_unit(days, req.unit)} after the last "
        f"administration on {fmt_date(last)}"
    )
    value = float(_in_unit(days, req.unit).split()[0])
    return _verdict(req, status, found, [o.path, path], value, "objective_findings")


def _class_doses(req: Requirement, scope: _Scope, listed: ClassList) -> RequirementVerdict:
    """A count of drug classes each at its drugs' own doses: every course of a listed drug
    compared with that drug's dose (and the length asked), the classes with a course that
    counts, against the number asked."""
    found = courses(listed, scope.facts.trials, scope.facts.as_of or scope.reference)
    counted = counted_classes(listed, found)
    n = len(counted)
    each = "; ".join(f"{c.dose.group}: {c.why}" for c in found if c.counts)
    short = "; ".join(c.why for c in found if not c.counts)
    said = f"{n} of the listed classes" + (f" ({each})" if each else "")
    if short:
        said += f"; not counted: {short}"
    if not found:
        said = "no course of a listed drug recorded"
    status = _compare(req, n)
    if status != "met" and not found:
        status = "unknown"
    return _verdict(req, status, said, (c.trial.path for c in found), float(n), "prior_treatments")


def class_criterion(criterion: Criterion, listed: ClassList | None) -> Criterion:
    """The criterion with its list of drug classes at doses (``doses.class_list`` of its text)
    read as one count of classes: the requirements the reading typed inside the list (each
    drug's dose, the adequate dose, the length, the count) give way to one class count the
    list's courses answer drug by drug."""
    if listed is None:
        return criterion
    parts = (
        RequirementKind.dose_adequacy, RequirementKind.duration, RequirementKind.class_count,
        RequirementKind.trial_count, RequirementKind.threshold,
    )  # fmt: skip
    kept: list[Requirement] = []
    first: Requirement | None = None
    for r in criterion.requirements:
        at = _span_at(r, criterion)
        if r.kind in parts and listed.start <= at <= listed.end:
            first = first or r
            continue
        kept.append(r)
    count = Requirement(
        kind=RequirementKind.class_count,
        subject="listed drug classes",
        comparator=">=",
        value=float(listed.need),
        unit="classes",
        span=listed.span,
        branch=first.branch if first else 0,
    )
    at = criterion.requirements.index(first) if first else len(kept)
    kept.insert(min(at, len(kept)), count)
    return criterion.model_copy(update={"requirements": kept})


_MME_WORDS_RE = re.compile(
    r"morphine milligram|morphine equivalent|\bMMEs?\b|\bMEDs?\b", re.IGNORECASE
)


def _mme(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A daily opioid dose in morphine milligram equivalents: the current opioid courses' daily
    mg times the CDC's conversion factor (``data/mme.yaml``), summed, against the limit."""
    own = f"{req.subject} {req.span}"
    if not _MME_WORDS_RE.search(own):
        return None
    limit = mme_limit(own) or mme_limit(scope.criterion.text)
    if limit is None:
        return None
    asked = req.model_copy(
        update={"kind": RequirementKind.threshold, "subject": "daily opioid dose",
                "comparator": limit[0], "value": limit[1], "unit": "MME/day"}
    )  # fmt: skip
    doses, undosed = current_opioids(scope.facts.trials, scope.facts.as_of or scope.reference)
    if undosed:
        said = ", ".join(f"{t.name} {t.treatment.dose or ''}".strip() for t in undosed)
        return _verdict(
            asked, "unknown", f"{said}: daily dose in mg not recorded",
            (t.path for t in undosed), field="prior_treatments[].dose",
        )  # fmt: skip
    if not doses:
        return _verdict(
            asked, "unknown", "no current opioid course recorded", field="prior_treatments"
        )
    total = round(sum(d.mme for d in doses), 1)
    rows = "; ".join(d.words() for d in doses)
    said = f"{_num(total)} MME/day ({rows}): {_margin(asked, total, 'MME/day')}"
    return _verdict(asked, _compare(asked, total), said, (d.trial.path for d in doses), total)


_ROMAN_VALUES = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}
_ORDINAL_ASKED_RE = re.compile(
    r"(?P<scale>\b[A-Za-z][\w-]*)(?:\s+(?:functional|airflow|severity|spirometric))?\s+"
    r"(?:(?P<word>class|stage|grade)\s+)?(?P<n>VI|IV|V|I{1,3}|[0-6])\s+(?:or|and)\s+"
    r"(?P<way>greater|higher|above|more|worse|less|lower|below|better)\b"
)
_ORDINAL_STOP = frozenset({"of", "with", "a", "an", "the", "or", "and", "in", "to", "is", "at"})


def _ordinal_value(text: str) -> int | None:
    return int(text) if text.isdigit() else _ROMAN_VALUES.get(text.lower())


def _ordinal(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A class, stage or grade compared as an ordinal ('NYHA class III or greater', 'GOLD 3 or
    greater', 'Kellgren-Lawrence grade 3 or higher'): the class a finding of that scale states,
    in Roman or Arabic numerals, against it (class II does not meet III or greater)."""
    asked = _ORDINAL_ASKED_RE.search(f"{req.span} {req.subject}") or _ORDINAL_ASKED_RE.search(
        _clause_around(req, scope.criterion)
    )
    if asked is None or asked["scale"].lower() in _ORDINAL_STOP:
        return None
    scale, word = asked["scale"], asked["word"] or ""
    need = _ordinal_value(asked["n"])
    if need is None:
        return None
    lower = asked["way"] in ("less", "lower", "below", "better")
    cmp = "<=" if lower else ">="
    marker = rf"(?:{word}|{re.escape(scale)})" if word else re.escape(scale)
    stated = re.compile(
        rf"\b{marker}\b[\s:-]*(?:(?:functional\s+)?(?:class|stage|grade)\s*)?"
        rf"(?P<n>VI|IV|V|I{{1,3}}|[0-6])\b",
        re.IGNORECASE,
    )
    named = re.compile(rf"\b{re.escape(scale)}\b", re.IGNORECASE)
    rows = []
    for o in scope.facts.observations:
        if o.kind == "summary" or not named.search(f"{o.name} {o.text}"):
            continue
        m = stated.search(o.text) or stated.search(f"{o.name} {o.text}")
        if m and (value := _ordinal_value(m["n"])) is not None:
            rows.append((o, value, m["n"]))
    if not rows:
        return None
    label = f"{scale} {word} {asked['n']}".replace("  ", " ")
    typed = req.model_copy(
        update={"kind": RequirementKind.threshold, "comparator": cmp, "value": float(need),
                "unit": None}
    )  # fmt: skip
    o, value, written = max(rows, key=lambda r: r[0].date or dt.date.min)
    when = f" on {fmt_date(o.date)}" if o.date else ""
    status = _compare(typed, value)
    verb = "meets" if status == "met" else "does not meet"
    words = f"{word or scale} {written}"
    found = f"{o.name}: {words}{when} ({value}); {words} {verb} {label} or {asked['way']}"
    verdict = _verdict(typed, status, found, [o.path], float(value), "objective_findings")
    return verdict.model_copy(update={"required": f"{label} or {asked['way']}"})


_RESPONSE_RE = re.compile(r"\b(?P<score>[A-Z][A-Za-z]{2,5})[- ]?(?P<n>50|75|90|100)\b")


def _response(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A score's response named by its percent ('EASI-75', 'PASI 90': an improvement of at least
    that percent from the first reading), computed from the two dated scores."""
    if req.value is not None and req.kind != RequirementKind.other:
        return None
    m = _RESPONSE_RE.search(f"{req.subject} {req.span}")
    score = next(
        (s for s in measure_book().measures if s.better and m and s.word_re.fullmatch(m["score"])),
        None,
    )
    if m is None or score is None:
        return None
    asked = req.model_copy(
        update={"kind": RequirementKind.threshold, "subject": f"{score.name} improvement",
                "comparator": ">=", "value": float(m["n"]), "unit": "%"}
    )  # fmt: skip
    return _change(asked, scope)


_PER_KG_DAY_RE = re.compile(
    r"\bmg\s*(?:/|per)\s*(?:kg|kilogram)s?(?:\s*(?:/|per|a|each)\s*(?:day|24 hours)|/d\b)",
    re.IGNORECASE,
)
_DAILY_MG_RE = re.compile(
    rf"({NUMBER})\s*mg\s*(?:/\s*day|per day|a day|daily total|total daily)\b", re.IGNORECASE
)
_SCHEDULE_END_RE = re.compile(rf"[;(,]|{NUMBER}\s*(?:mg|mcg|g|ml)\b", re.IGNORECASE)
_DOSE_MG_RE = re.compile(rf"({NUMBER})\s*mg\b(?!\s*/\s*(?:m?l|kg|tablet|capsule))", re.IGNORECASE)


def _asks_per_kg_day(req: Requirement, criterion: Criterion) -> bool:
    """Whether the requirement's bar is a dose per kilogram per day ('does not exceed 20
    mg/kg/day', '1.5 mg per kilogram per day')."""
    if _PER_KG_DAY_RE.search(f"{req.unit or ''} {req.subject}"):
        return True
    at = _span_at(req, criterion)
    return at >= 0 and bool(_PER_KG_DAY_RE.search(criterion.text[at : at + len(req.span) + 40]))


def _requested_daily_mg(scope: _Scope) -> tuple[float, str] | None:
    """The requested regimen's daily dose in mg and how it is reached: the daily total the
    service's details or description state ('460 mg/day'), else a dose in mg times the doses a
    day its frequency writes ('100 mg by mouth twice daily' -> 200 mg/day)."""
    for text in (scope.details, scope.product):
        if m := _DAILY_MG_RE.search(text or ""):
            mg = number_value(m.group(1))
            return mg, f"{_num(mg)} mg/day"
    for text in (scope.details, scope.product):
        for m in _DOSE_MG_RE.finditer(text or ""):
            # the schedule of this dose only: up to the clause's end or the next dose
            schedule = _SCHEDULE_END_RE.split(text[m.end() : m.end() + 60])[0]
            interval = quantity.dose_interval(schedule)
            if interval:
                mg = number_value(m.group(1))
                daily = mg / interval
                return (
                    daily,
                    f"{_num(mg)} mg {schedule.strip(' ,')} = {_num(round(daily, 1))} mg/day",
                )
    return None


def _weight_kg(scope: _Scope) -> tuple[Observation, float] | None:
    """The latest recorded body weight in kg (pounds converted), with its finding."""
    rows = []
    for o in scope.facts.observations:
        if o.kind == "summary":
            continue
        m = _WEIGHT_KG_RE.search(o.text)
        if m:
            kg = float(m.group(1)) * (0.45359237 if m.group(2).lower().startswith("lb") else 1)
            rows.append((o, kg))
    return max(rows, key=lambda r: r[0].date or dt.date.min) if rows else None


def _per_kg(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A dose ceiling per kilogram per day ('the requested dose does not exceed 20 mg/kg/day'):
    the requested daily dose divided by the latest recorded weight, with the arithmetic. None
    for any other requirement; unknown, naming the missing fact, when the daily dose or the
    weight is not on record."""
    if req.value is None or req.comparator not in ("<", "<="):
        return None  # a floor ('8 weeks at 10 mg/kg/day') is a past course's, not the request's
    if not _asks_per_kg_day(req, scope.criterion):
        return None
    typed = req.model_copy(update={"subject": "requested daily dose", "unit": "mg/kg/day"})
    daily = _requested_daily_mg(scope)
    weight = _weight_kg(scope)
    if daily is None:
        return _verdict(typed, "unknown", "no daily dose in mg stated", field="service.details")
    if weight is None:
        field = "objective_findings (a body weight in kg, dated)"
        return _verdict(typed, "unknown", "no body weight recorded", field=field)
    o, kg = weight
    per = round(daily[0] / kg, 1)
    when = f" on {fmt_date(o.date)}" if o.date else ""
    found = (
        f"the requested {daily[1]} ÷ {_num(round(kg, 1))} kg (weight{when}) = {_num(per)} mg/kg/day"
    )
    return _verdict(typed, _compare(typed, per), found, [o.path], per, "objective_findings")


def _counts_occasions(req: Requirement, criterion: Criterion) -> bool:
    """Whether a threshold counts dated events: its unit, subject or the words right after its
    number name occasions ('2 or more occasions', '3 visits'), never a reading ('a score of 4')."""
    occasions = measure_book().words_re("occasion_words")
    at = _span_at(req, criterion)
    after = criterion.text[at + len(req.span) : at + len(req.span) + 25] if at >= 0 else ""
    return bool(occasions.search(f"{req.unit or ''} {req.subject} {after.split(',')[0]}"))


def _counted_window(criterion: Criterion) -> tuple[Requirement, Requirement] | None:
    """The (count, window) of a criterion asking a number of events within a window ('2 or
    more occasions of outpatient IV hydration within the 7 days before admission'): a count
    of occasions of at least one and a window of the same subject."""
    counts = [
        r
        for r in criterion.requirements
        if r.kind == RequirementKind.threshold
        and r.comparator in (">=", ">")
        and r.value is not None
        and 1 <= r.value <= 20
        and _counts_occasions(r, criterion)
    ]
    windows = [r for r in criterion.requirements if r.kind == RequirementKind.time_window]
    for count in counts:
        for window in windows:
            if window.value is not None and window.subject == count.subject:
                return count, window
    return None


def _event_heads(subject: str, criterion: str) -> tuple[frozenset[str], int]:
    """The terms a record must state to be one of the counted events, and how many of them: a
    subject of one term ('visits') with the words its noun phrase writes before it
    ('emergency department visits')."""
    book = measure_book()
    heads = book.heads(subject)
    if len(heads) < 2:
        at = criterion.find(subject)
        lead = (
            re.split(r"[(:;,.]|\b(?:or more|at least|more than)\b", criterion[:at])[-1]
            if at > 0
            else ""
        )
        heads = heads | book.heads(" ".join(lead.split()[-3:]))
    return heads, min(2, len(heads))


def _events_in_window(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A count of dated events inside a window ('failure of outpatient IV hydration on 2 or
    more occasions within the 7 days before admission'): the records (treatments and
    findings) naming the event, each dated, counted between the window's start and the date
    it counts back from, each listed with its date. Answers both the count and the window;
    None for any other requirement, or when no record names the event."""
    pair = _counted_window(scope.criterion)
    if pair is None or req not in pair:
        return None
    count, window = pair
    if re.search(r"\d", count.subject):
        return None  # 'glucose below 54 mg/dL on 2 or more occasions': readings, not records
    heads, enough = _event_heads(count.subject, scope.criterion.text)
    if not heads or enough == 0:
        return None
    book = measure_book()
    records: list[tuple[str, str, dt.date]] = []
    for t in scope.facts.trials:
        said = f"{t.treatment.name} {t.treatment.outcome or ''}"
        days = list(t.given) or [d for d in (t.treatment.start,) if d]
        if len(book.stated_heads(heads, said)) >= enough:
            records += [(t.path, t.treatment.name, d) for d in days]
    for o in scope.facts.observations:
        if o.kind != "summary" and o.date and len(book.stated_heads(heads, o.text)) >= enough:
            records.append((o.path, o.name or o.text, o.date))
    if not records:
        return None
    anchor, counted_from, of = _anchor(window, scope)
    at = _span_at(window, scope.criterion)
    after = scope.criterion.text[at + len(window.span) :] if at >= 0 else ""
    if not of and _BEFORE_WORD_RE.match(after.strip()):
        return None  # 'before arrival' read as no date: counted from nothing known
    need = _days_in(window.value or 0, window.unit) or 0.0
    inside = sorted((r for r in records if 0 <= (anchor - r[2]).days <= need), key=lambda r: r[2])
    amount = _in_unit(need, window.unit)
    listed = ", ".join(f"{fmt_date(day)} ({(anchor - day).days} days before)" for *_, day in inside)
    n = float(len(inside))
    field = f"prior_treatments / objective_findings (each dated {count.subject})"
    if req is window:
        if not inside:
            latest = max(records, key=lambda r: r[2])
            shown = f"{fmt_date(latest[2])}: not within the {amount}{of} ({counted_from})"
            return _verdict(req, "unknown", shown, [latest[0]], field=field)
        first, last = inside[0][2], inside[-1][2]
        span = fmt_date(first) if first == last else f"{fmt_date(first)} to {fmt_date(last)}"
        shown = f"{span}, all within the {amount}{of} ({counted_from})"
        return _verdict(req, "met", shown, [p for p, _, _ in inside], n, field)
    if inside:
        shown = f"{int(n)} within the {amount}{of} ({counted_from}): {listed}"
    else:
        shown = f"none within the {amount}{of} ({counted_from})"
    paths = [p for p, _, _ in inside] or [max(records, key=lambda r: r[2])[0]]
    # fewer on record than asked is no proof of fewer given: a record may be missing
    status: Status = "met" if _compare(req, n) == "met" else "unknown"
    verdict = _verdict(req, status, shown, paths, n, field)
    return verdict.model_copy(update={"required": f"{verdict.required} within the {amount}{of}"})


_TIMES_BASELINE_RE = re.compile(
    rf"(?P<n>{NUMBER})\s*(?:times|x|×|-?fold)\s+(?:(?:the|that|his|her|their)\s+)?"
    r"(?:(?:patient|member|person|child)'?s?\s+)?(?:(?:own|known|prior|usual|documented|"
    r"previous|pre-?\w+)\s+)?baseline",
    re.IGNORECASE,
)
_BASELINE_WORD_RE = re.compile(r"\bbaseline\b|\bbefore (?:the )?(?:illness|admission)\b", re.I)
_RATIO_LEAD_RE = re.compile(
    r"\b(?:rise|increase|elevation|rising|risen|increased|elevated)\b|\bto\b|\bat least\b|"
    r"\bof\b|\bin\b|\bor more\b|\bmore than\b|\bgreater than\b|\bthan\b",
    re.IGNORECASE,
)


def _measure_readings(name: str, scope: _Scope) -> list[tuple[Observation, float]]:
    """The dated readings of the measure ``name`` ('serum creatinine'): the number written right
    after the name, or the value of a finding the name titles ('Creatinine on arrival': '2.1
    mg/dL'); the name's shorter tails are tried when the full name is in no finding."""
    words = re.findall(r"[A-Za-z][\w-]*", name)
    for i in range(len(words)):
        tail = " ".join(words[i:])
        if len(tail) < 3:
            break
        tail_re = re.compile(rf"\b{re.escape(tail)}\b", re.IGNORECASE)
        rows = []
        for o in scope.facts.observations:
            where = tail_re.search(o.text)
            if o.kind == "summary" or o.date is None or where is None:
                continue
            source = o.text[where.end() :]
            if o.finding is not None and tail_re.search(o.name):
                named = tail_re.search(o.finding.value)
                source = o.finding.value[named.end() :] if named else o.finding.value
            lead = _NUMBER_AFTER_RE.match(source)
            if lead:
                rows.append((o, number_value(lead.group(1))))
        if rows:
            return rows
    return []


_ULN_RE = re.compile(
    rf"(?P<n>{NUMBER})\s*(?:times|x|×)\s*(?:the\s+)?(?:upper limit of (?:the )?normal|ULN)\b",
    re.IGNORECASE,
)
_ULN_CUT_RE = re.compile(
    r"[;:,]|\bupper limit of (?:the )?normal\b|\bULN\b|\bwith\b|\bwhere\b|\bbut\b",
    re.IGNORECASE,
)
_ULN_LEAD_RE = re.compile(
    r"^\s*(?:and|or|with|both|either|if|when|defined as|such as)\s+|\s+(?:is|are|of|at|"
    r"level|levels|less|no|not|more|below|under|above|over|greater|at most|least|than|or|and)"
    r"\s*$",
    re.IGNORECASE,
)


def _uln_measures(req: Requirement, criterion: Criterion, match: re.Match[str]) -> list[str]:
    """The measures a 'less than 3 times the upper limit of normal' bounds: the names the
    clause writes before its comparator ('with ALT and AST less than 3 times ...': ALT, AST)."""
    at = _span_at(req, criterion)
    before = re.sub(r"\([^()]*\)", " ", criterion.text[: max(at, 0)])  # '(ALP)', '(ULN)'
    lead = _ULN_CUT_RE.split(before)[-1]
    for _ in range(4):  # 'and total bilirubin less than' -> 'total bilirubin'
        lead = _ULN_LEAD_RE.sub("", lead)
    names = [n.strip() for n in re.split(r",|\band\b|\bor\b|/", lead) if n.strip()]
    return [n for n in names if re.search(r"[A-Za-z]{2}", n) and len(n.split()) <= 4]


def _uln_reading(name: str, o: Observation) -> tuple[float, float] | None:
    """A finding's reading of ``name`` and the upper limit of normal it writes for it ('ALT 27
    U/L ... (ALT ULN 35)', 'ALT 31 U/L (upper limit of normal 45)'); None without both."""
    text = o.finding.value if o.finding else o.text
    named = re.escape(name)
    # the latest reading: the last the finding writes outside a parenthesis (readings run in
    # time order: 'Baseline July 14: ALT 19 ... August 24: ALT 27 U/L')
    bare = re.sub(r"\([^()]*\)", " ", text)
    values = list(
        re.finditer(rf"(?<![\w-]){named}(?![\w-])\s*:?\s*(?:of\s+)?({NUMBER})", bare, re.I)
    )
    value = values[-1] if values else None
    if value is None and o.finding and re.search(rf"(?<![\w-]){named}(?![\w-])", o.name, re.I):
        value = re.match(rf"\s*({NUMBER})", text)
    if value is None:
        return None
    limit_words = r"(?:ULN|upper limit of (?:the )?normal)\s*(?:of|is|=|:)?\s*"
    own = None
    for label in dict.fromkeys([name, name.split()[-1]]):  # 'total bilirubin': 'bilirubin ULN'
        said = re.escape(label)
        pattern = rf"(?<![\w-]){said}(?![\w-])\s*{limit_words}({NUMBER})"
        own = own or re.search(pattern, text, re.I)
    limits = list(re.finditer(rf"{limit_words}({NUMBER})", text, re.I))
    # a lone limit written for no other measure ('(upper limit of normal 45)'), never another
    # measure's own ('CK ULN 170' is no limit of lipase)
    labelled = len(limits) == 1 and re.search(r"[A-Za-z0-9]\s*$", text[: limits[0].start()])
    if own is not None:
        uln = number_value(own.group(1))
    elif len(limits) == 1 and not labelled:
        uln = number_value(limits[0].group(1))
    else:
        return None
    return (number_value(value.group(1)), uln) if uln > 0 else None


_RESPONSE_WORDS_RE = re.compile(
    r"\b(?:response|respond\w*|after\s+(?:at least\s+)?\d+\s+\w+\s+of|despite|while on|on "
    r"(?:therapy|treatment))\b",
    re.IGNORECASE,
)


def _on_treatment_since(scope: _Scope) -> dt.date | None:
    """The first start of the case's courses a response criterion names ('inadequate response
    to ursodiol after at least 12 months'): a reading before it is no response to them (a value
    at diagnosis). None when the criterion asks no response to a course it names."""
    text = scope.criterion.text
    if not _RESPONSE_WORDS_RE.search(text):
        return None
    low = text.lower()
    starts = [
        t.treatment.start
        for t in scope.facts.trials
        if t.treatment.start
        and ((t.ingredient and t.ingredient.lower() in low) or t.name.lower() in low)
    ]
    return min(starts) if starts else None


def _window_opens(scope: _Scope) -> tuple[dt.date, str] | None:
    """The first day of the criterion's own time window ('drawn within the past 30 days'), and
    the words naming what it counts back from; None when the criterion sets no window."""
    for r in scope.criterion.requirements:
        if r.kind == RequirementKind.time_window and r.value is not None:
            days = _days_in(r.value, r.unit)
            if days is not None:
                anchor, _, of = _anchor(r, scope)
                return anchor - dt.timedelta(days=days), of
    return None


def _uln_ratio(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A lab bound as a multiple of its upper limit of normal ('ALT and AST less than 3 times
    the upper limit of normal'): each named measure's latest reading divided by the limit the
    finding writes, with the arithmetic; met when every one is within the bound. None when the
    requirement asks no such multiple; unknown when a reading or its limit is not on record."""
    if req.value is None or req.comparator is None:
        return None
    text = scope.criterion.text
    at = _span_at(req, scope.criterion)
    m = _ULN_RE.search(text, max(at, 0)) if at >= 0 else None
    if m is None or m.start() > at + len(req.span) + 5 or number_value(m["n"]) != req.value:
        return None
    names = _uln_measures(req, scope.criterion, m)
    if not names:
        return None
    typed = req.model_copy(
        update={"subject": _listed(names), "unit": "times the upper limit of normal"}
    )
    field = f"objective_findings ({_listed(names)} with the laboratory's upper limit of normal)"
    parts, paths, statuses, missing = [], [], [], []
    since = _on_treatment_since(scope)
    opened = _window_opens(scope)
    facts = sorted(
        (
            o
            for o in scope.facts.observations
            if o.kind != "summary" and o.date and (since is None or o.date >= since)
        ),
        key=lambda o: o.date or dt.date.min,
        reverse=True,
    )
    for name in names:
        found = next(((o, r) for o in facts if (r := _uln_reading(name, o))), None)
        if found is None:
            missing.append(name)
            continue
        o, (v, uln) = found
        ratio = round(v / uln, 2)
        day = o.date or scope.reference
        # a result older than the criterion's own window answers nothing: never 'met' on it
        late = f", before the window that opens {fmt_date(opened[0])}" if opened else ""
        if opened is None or day >= opened[0]:
            late = ""
        statuses.append("unknown" if late else _compare(typed, ratio))
        paths.append(o.path)
        parts.append(
            f"{name} {_num(v)} ÷ upper limit of normal {_num(uln)} = {_num(ratio)} times"
            f" ({fmt_date(day)}{late})"
        )
    if not parts:
        return None  # no reading with its limit on record: read as any other threshold
    said = "; ".join(parts + [f"no {n} with its upper limit of normal recorded" for n in missing])
    if "not_met" in statuses:
        return _verdict(typed, "not_met", said, paths, field=field)
    if missing or not statuses or "unknown" in statuses:
        return _verdict(typed, "unknown", said, paths, field=field)
    return _verdict(typed, "met", said, paths)


_STATED_BASELINE_RE = re.compile(rf"\bbaseline\b\D{{0,20}}?({NUMBER})", re.IGNORECASE)


def _stated_baseline(o: Observation) -> tuple[float, dt.date] | None:
    """The baseline a finding writes beside its reading ('(baseline 0.6 mg/dL on prenatal labs
    2026-10-12)'): its value and the date written with it, else the finding's own date."""
    value = o.finding.value if o.finding else ""
    m = _STATED_BASELINE_RE.search(value)
    if m is None or m.start() == 0:
        return None  # the finding is the baseline itself ('Creatinine, baseline': '0.8')
    dates = find_dates(re.split(r"[;)]", value[m.end() :])[0])
    day = dates[0][0] if dates else o.date
    return (number_value(m.group(1)), day) if day else None


def _baseline_ratio(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A measure against the patient's own baseline ('serum creatinine 1.5 times baseline or
    more'): the ratio of the latest reading to the baseline reading (the one the record calls
    baseline, else the earliest), both dated, with the arithmetic. None when the criterion asks
    no ratio to a baseline; unknown when fewer than two dated readings of the measure are on
    record (a ratio needs both)."""
    text = scope.criterion.text
    asked = [m for m in _TIMES_BASELINE_RE.finditer(text)]
    own = f"{req.subject} {req.span}"
    m = next((m for m in asked if m.group(0) in own or m.group("n") in own), None)
    if m is None and len(asked) == 1 and req.value in (None, number_value(asked[0]["n"])):
        m = asked[0]
    if m is None:
        return None
    clause = re.split(r"[(:;]|\bor\b(?!\s+more)", text[: m.start()])[-1]
    name = " ".join(w for w in _RATIO_LEAD_RE.sub(" ", clause).split() if w.isalpha() or "-" in w)
    bar = number_value(m["n"])
    typed = req.model_copy(
        update={"kind": RequirementKind.threshold, "subject": f"{name} against baseline".strip(),
                "comparator": ">=", "value": bar, "unit": "times baseline"}
    )  # fmt: skip
    field = f"objective_findings (a baseline and a current {name or 'measure'} result, dated)"
    rows = _measure_readings(name, scope) if name else []
    if len(rows) == 1 and (stated := _stated_baseline(rows[0][0])) is not None:
        # one finding writing both: '0.9 mg/dL on arrival (baseline 0.6 mg/dL on 2026-10-12)'
        rows.append((replace(rows[0][0], name="baseline", date=stated[1]), stated[0]))
    if len(rows) < 2:
        shown = f"no baseline and current {name} results to compare" if name else "not shown"
        return _verdict(typed, "unknown", shown, [o.path for o, _ in rows], field=field)
    rows.sort(key=lambda r: r[0].date or dt.date.min)
    said = [r for r in rows if _BASELINE_WORD_RE.search(r[0].name or r[0].text)]
    base = said[0] if said else rows[0]
    start = base[0].date or dt.date.min
    later = [r for r in rows if r is not base and (r[0].date or dt.date.min) >= start]
    if not later or base[1] <= 0:
        shown = f"no current {name} result after the baseline"
        return _verdict(typed, "unknown", shown, field=field)
    current = max(later, key=lambda r: r[1])  # the peak of the episode answers a rise
    ratio = round(current[1] / base[1], 2)
    now, then = current[0].date or start, base[0].date or start
    found = (
        f"{name} {_num(current[1])} on {fmt_date(now)} against a baseline of "
        f"{_num(base[1])} on {fmt_date(then)}: {_num(current[1])} ÷ {_num(base[1])} = "
        f"{_num(ratio)} times baseline"
    )
    paths = [base[0].path, current[0].path]
    verdict = _verdict(typed, _compare(typed, ratio), found, paths, ratio, field)
    return verdict.model_copy(update={"required": f"{name} at least {_num(bar)} times baseline"})


def _check(req: Requirement, scope: _Scope) -> RequirementVerdict:
    criterion = scope.criterion
    if req.kind in (RequirementKind.threshold, RequirementKind.other) and (
        responded := _response(req, scope)
    ):
        return responded
    if req.kind in (RequirementKind.threshold, RequirementKind.other) and (
        ranked := _ordinal(req, scope)
    ):
        return ranked
    if req.kind in (RequirementKind.threshold, RequirementKind.other) and (
        ratio := _baseline_ratio(req, scope) or _uln_ratio(req, scope)
    ):
        return ratio
    if (events := _events_in_window(req, scope)) is not None:
        return events
    if req.kind in (RequirementKind.threshold, RequirementKind.dose_adequacy) and (
        per_kg := _per_kg(req, scope)
    ):
        return per_kg
    listed = scope.dosed_classes if req.kind == RequirementKind.class_count else None
    if listed is not None and req.span == listed.span:
        return _class_doses(req, scope, listed)
    if (opioid := _mme(req, scope)) is not None:
        return opioid
    spaced = (
        _event_free(req, scope)
        or _after_last(req, scope)
        or _abstinence(req, scope)
        or _velocity(req, scope)
        or _apart(req, scope)
        or _spacing(req, scope)
        or _interval(req, scope)
        or _travel(req, scope)
    )
    if spaced is not None:
        return spaced
    if req.kind != RequirementKind.quantity and (
        limit := quantity.limit_criterion(criterion.text, criterion.payer_reason)
    ):
        # 'the covered amount is likely to be ineffective': the regimen against the limit
        texts = quantity.regimen_texts(scope.details, scope.product, [])
        return quantity.requirement_verdict(req, texts, scope.product, [], limit)
    if req.kind == RequirementKind.threshold and req.unit is None and req.value is not None:
        named = scope.functional(req)
        counted = next((c for c in measure_book().concepts if c.name == named), None)
        if counted is not None and counted.items:
            return _counted(req, scope, counted)
    if req.kind in _FUNCTIONAL_KINDS:
        concept = scope.functional(req)
        rate = req.kind != RequirementKind.duration or _stated_rate(req, scope.criterion.text)
        if concept and rate:
            verdict = _functional(req, scope, concept)
            if verdict.status != "unknown" or verdict.evidence:
                return verdict
            # the concept's words matched ('multidisciplinary', 'medical management') but no
            # fact speaks of it: the typed check reads the requirement as it is written
            typed = _CHECKS.get(req.kind, _uncheckable)(req, scope)
            return typed if typed.status != "unknown" or typed.evidence else verdict
    return _CHECKS.get(req.kind, _uncheckable)(req, scope)


def _margin(req: Requirement, value: float, unit: str) -> str:
    """The arithmetic of a comparison: how far the value lies from the requirement's bar ('28
    miles more than 30 miles'; '5 percentage points short of 80%')."""
    if req.value is None or req.comparator is None:
        return ""
    bar = req.value
    gap = abs(value - bar)
    spaced = "" if unit in ("%", "") else " "
    points = "percentage points" if unit == "%" else unit or "points"
    of = f"{_num(bar)}{spaced}{unit}"
    if gap == 0:
        return f"exactly {of}"
    more = value > bar
    # to the figures' own precision: 0.40 against 0.35 is 0.05, never 0.1
    places = max(1, *(len(f"{x:g}".partition(".")[2]) for x in (value, bar)))
    shown = _num(round(gap, places))
    if _compare(req, value) == "met":
        return f"{shown} {points} {'more' if more else 'less'} than {of}"
    side = "short of" if req.comparator in (">=", ">") else "over"
    return f"{shown} {points} {side} the {of} required"


def _travel(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A distance or travel time to a provider against the network's standard ('no in-network
    provider within 30 miles': the nearest in-network provider 58 miles away meets it). The
    number and unit are the typed requirement's, else read from its words; the direction is the
    comparator's, else the words' ('no ... within', 'more than'). The value that binds is the
    nearest the record states of an in-network provider."""
    spec = measure_book().distance
    if spec is None or req.kind not in (RequirementKind.threshold, RequirementKind.other):
        return None
    clause = f"{_clause_before(req, scope.criterion)} {req.span}"
    family = spec.family_of(req.unit) if req.unit else None
    value = req.value
    if family is None:
        named = spec.amounts(f"{req.span} {req.subject}") or (
            spec.amounts(f"{_num(value)} {req.subject}") if value is not None else []
        )
        if not named or (req.unit and unit_key(req.unit) != "%" and value is not None):
            return None
        amount, base = named[0]
        family, value = (base, 1.0), (value if value is not None else amount)
    base, factor = family
    bar = value * factor if value is not None else None
    if bar is None:
        return None
    words = lambda name: _compiled_any(tuple(getattr(spec, name)))  # noqa: E731
    asked = f"{scope.criterion.text} {req.subject}"
    if not (words("travel").search(asked) or words("network").search(asked)):
        return None  # 'use of less than 4 hours per night': hours of something, not a trip
    comparator = req.comparator
    if words("farther").search(clause) and (comparator is None or comparator in ("<=", "<")):
        comparator = ">"  # 'no provider within 30 miles': the nearest must be farther
    elif comparator is None:
        comparator = "<=" if words("nearer").search(clause) else ">"
    typed = req.model_copy(update={"comparator": comparator, "value": bar, "unit": base})
    elsewhere = re.compile(r"out[- ]of[- ]network|non-?participating|non-?contracted", re.I)
    stated: list[tuple[float, Observation, bool]] = []
    for o in scope.facts.observations:
        text = f"{o.name} {o.text}" if o.kind != "summary" else o.text
        network = bool(words("network").search(text)) and not (
            elsewhere.search(text) and not re.search(r"\bin-?network\b", text, re.I)
        )
        provider = words("network").search(text)
        # 'lives 41 miles from town; the nearest in-network suite is 58 miles away': the
        # figure after the words naming the network provider
        tail = text[provider.start() :] if network and provider else text
        amounts = [a for a, f in spec.amounts(tail) if f == base] or [
            a for a, f in spec.amounts(text) if f == base
        ]
        if amounts and (network or words("travel").search(text)):
            stated.append((min(amounts), o, network))
    field = f"clinical_summary (the {base} to the nearest in-network provider)"
    if not stated:
        return _verdict(
            typed, "unknown", f"no {base} to an in-network provider recorded", field=field
        )
    pool = [s for s in stated if s[2]] or stated
    amount, o, _ = min(pool, key=lambda s: s[0])
    said = _said_text(o, 120) if o.kind == "summary" else _said(_candidate_of(o), scope)
    status = _compare(typed, amount)
    found = f"{_num(amount)} {base} ({said}): {_margin(typed, amount, base)}"
    verdict = _verdict(typed, status, found, [o.path], amount, field)
    return verdict.model_copy(update={"requirement": req})


def _last_doses(req: Requirement, scope: _Scope) -> list[tuple[dt.date, str, str]]:
    """The dated doses or procedures of what the criterion and the request name: (date, what,
    path), from the treatments (their last day) and the sentences of the summary that date one."""
    from ..evidence import tokens

    named = tokens(f"{scope.criterion.text} {scope.product} {scope.details} {req.subject}")
    out: list[tuple[dt.date, str, str]] = []
    for t in scope.facts.trials:
        last = t.treatment.end or t.treatment.start
        if last and tokens(t.treatment.name) & named:
            out.append((last, t.name, t.path))
    if not out:
        for t in scope.trials(req):
            last = t.treatment.end or t.treatment.start
            if last:
                out.append((last, t.name, t.path))
    treated = measure_book().treatment_re
    for o in scope.facts.observations:
        if o.kind == "summary" and treated.search(o.text) and tokens(o.text) & named:
            out += [(d, _said_text(o, 80), o.path) for d, _ in find_dates(o.text)]
    return out


def _interval(req: Requirement, scope: _Scope) -> RequirementVerdict | None:
    """A spacing since the last dose or procedure ('no more often than every 12 weeks', 'at
    least 6 months after the prior series'): from the last dated dose of what the criterion
    names to the next (the first later date the request states; else the letter's date, which
    can only show it met)."""
    words = measure_book().words_re("interval")
    clause = f"{req.subject} {req.span} {_clause_before(req, scope.criterion)}"
    if req.value is None or not words.search(clause):
        return None
    need = _days_in(req.value, req.unit)
    if need is None:
        return None
    typed = req.model_copy(update={"comparator": req.comparator or ">="})
    doses = _last_doses(req, scope)
    field = "prior_treatments (the date of the last dose or procedure)"
    if not doses:
        return _verdict(typed, "unknown", "no dated last dose", field=field)
    last, what, path = max(doses, key=lambda d: d[0])
    planned = sorted(d for d, _ in find_dates(scope.details) if d > last) + sorted(
        d for d in scope.service_dates if d > last
    )
    until = planned[0] if planned else (scope.facts.as_of or scope.reference)
    days = float((until - last).days)
    unit = req.unit or "weeks"
    status = _compare(typed.model_copy(update={"value": need}), days)
    to = f"the request's date, {fmt_date(until)}" if planned else f"today, {fmt_date(until)}"
    amount = _in_unit(days, unit)
    spaced = float(amount.split()[0])
    found = (
        f"the last on {fmt_date(last)} ({what}), {amount} before {to}: "
        f"{_margin(typed, spaced, unit)}"
    )
    if status != "met" and not planned:
        field = "service.details (the date of the next dose or procedure)"
        return _verdict(typed, "unknown", found, [path], days, field)
    return _verdict(typed, status, found, [path], spaced, field)


CONFIRM_FLOOR = 0.40
"""A sentence this similar to an undecided requirement (cosine, above meaning.FLOOR) is stated
with it for the physician to confirm; set on the tuned slice of the reasoning eval."""


def _to_confirm(
    req: Requirement, scope: _Scope, verdict: RequirementVerdict
) -> RequirementVerdict | None:
    """The sentence of the summary (or a finding, or an enclosed record's title) nearest to an
    undecided requirement, when it is near enough: stated, for the physician to confirm."""
    allow = allowed(req, scope.names_treatment(req))
    kinds = ("summary", "finding", "document")
    query = query_of(req, scope.criterion.text)
    near = scope.facts.meaning.nearest(
        query, lambda c: c.kind in kinds and (allow(c) or c.kind == "summary"), limit=1,
        floor=CONFIRM_FLOOR,
    )  # fmt: skip
    if not near or measure_book().denies(f"{req.subject} {req.span}", near[0].text):
        return None
    if not scope.fits(req)(near[0]):  # another lesion, or a qualifier it does not state
        return None
    if _payer_looked(scope) and req.kind in _EVENT_KINDS and not _asserts(req, near[0]):
        return None  # the payer looked: a line that does not state it is no answer to confirm
    c = near[0]
    book = measure_book()
    if req.kind in _EVENT_KINDS and (wanted := book.specialties_in(f"{req.subject} {req.span}")):
        patterns = _compiled_any(tuple(p for w in wanted for p in book.specialties[w]))
        if not patterns.search(c.text):
            return None  # a specialist's evaluation: a line not naming that specialty (another
            # specialty's consultation, a lab) answers nothing to confirm
    if req.kind == RequirementKind.time_window and not (
        _asserts(req, c) and (c.date or find_dates(c.text))
    ):
        return None  # a window asks when the thing it names took place: a line of no date or
        # not naming it answers nothing to confirm
    return verdict.model_copy(
        update={"confirm": True, "found": _said(c, scope), "evidence": [c.path]}
    )


# --------------------------------------------------------------------------- criteria


def _span_at(req: Requirement, criterion: Criterion) -> int:
    """Where the requirement's span sits in the criterion (of a span written twice, the
    occurrence in the requirement's order among those with the same span); -1 if nowhere."""
    text = criterion.text.lower()
    same = [r for r in criterion.requirements if r.span == req.span]
    nth = next((i for i, r in enumerate(same) if r is req), 0)
    at = -1
    for _ in range(nth + 1):
        found = text.find(req.span.lower(), at + 1)
        if found < 0:
            break
        at = found
    return at


def alternatives(criterion: Criterion) -> dict[int, int]:
    """Requirements of one branch the criterion joins by 'or', next to each other ('a
    structural abnormality on MRI or deficiency of at least one other pituitary hormone'; 'at
    least 1,500 mg per day (or the maximally tolerated dose)'): index -> the index of the first
    of its set. Either one answers for the set."""
    text = criterion.text.lower()
    reqs = criterion.requirements
    spans = [(_span_at(r, criterion), r) for r in reqs]
    ends = []
    for at, r in spans:
        limit = at + len(r.span) if at >= 0 else len(text)
        named = text.rfind(r.subject.lower(), 0, limit)
        end = named + len(r.subject) if named >= 0 else -1
        if at >= 0 and len(r.span) <= 80:  # a span of its own, not the whole clause
            end = max(end, limit)
        ends.append(end)
    found: dict[int, int] = {}
    # the items of a list introduced as 'ONE of the following' are alternatives of one set
    one_of = _ONE_OF_RE.search(text)
    if one_of:
        items = [i for i, (at, _) in enumerate(spans) if at > one_of.end()]
        if len(items) > 1 and all(reqs[i].branch == reqs[items[0]].branch for i in items):
            found.update({i: items[0] for i in items})
    for i, a in enumerate(reqs):
        if ends[i] < 0 or i in found:
            continue
        for j in range(i + 1, len(reqs)):
            b = reqs[j]
            at_b = text.find(b.subject.lower(), ends[i])
            if b.branch != a.branch or at_b < 0:
                continue
            span_b = spans[j][0]
            if span_b >= 0 and abs(at_b - span_b) > 60:
                continue
            # b's own span before its subject only as its quantifier ('at least one other
            # pituitary hormone'), not a clause of its own ('within the past 180 days, or ...')
            if ends[i] <= span_b < at_b and at_b - (span_b + len(b.span)) > 3:
                continue
            between = text[ends[i] : at_b]
            others = [
                r.span.lower() for k, (_, r) in enumerate(spans)
                if k not in (i, j) and len(r.span) <= 80
            ]  # fmt: skip
            if (
                len(between) < 80
                and re.search(r"\bor\b", between)
                and not re.search(r"\band\b|[;.]", between)
                and not any(o in between for o in others)
            ):
                found.setdefault(i, found.get(i, i))
                found[j] = found[i]
    return found


_ONE_OF_RE = re.compile(
    r"\b(?:(?:at least|any|only) )?one of(?: the following)?(?: criteria| conditions)?\s*:",
    re.IGNORECASE,
)
"""A list whose items are alternatives ('AND ONE of the following: a. ...; b. ...')."""


_COUNT_OF_RE = re.compile(
    r"\b(?:(?:at least|any|only)\s+)?(?P<n>one|two|three|four|five|\d)\s+(?:or more\s+)?of"
    r"(?:\s*:|\s+(?:the|these)\s+following\b(?:\s+(?:criteria|conditions|findings|"
    r"indications|features|signs|symptoms))?\s*:?)",
    re.IGNORECASE,
)
"""A list whose items are alternatives of which a count is needed ('documented by at least one
of: BSA of 10% or more; EASI of 16 or more; or IGA of 3 or more'; 'two of the following:')."""


class ItemGroup(BaseModel):
    """A criterion's list of alternatives: the requirements of each item (an item holds when all
    of its requirements do), how many items must hold, and the requirements that only state
    the count ('at least one' read as a threshold of its own): never a requirement."""

    items: list[list[int]]
    at_least: int = 1
    counts: list[int] = Field(default_factory=list)


def _list_items(text: str, start: int) -> list[tuple[int, int]]:
    """The items of a list of alternatives that starts at ``start``: its lettered sub-items, else
    the parts between semicolons, else those between commas and 'or'."""
    parts = sub_items(text)
    if parts is not None and parts.items[0][0] >= start:
        return list(parts.items)
    for separator in (r";", r",|\bor\b"):
        cuts = [m for m in re.finditer(separator, text[start:]) if m.group(0)]
        if cuts:
            bounds = [start] + [start + m.end() for m in cuts]
            ends = [start + m.start() for m in cuts] + [len(text)]
            items = [(b, e) for b, e in zip(bounds, ends, strict=True) if text[b:e].strip(" ,;")]
            if len(items) >= 2:
                return items
    return []


def item_groups(criterion: Criterion) -> list[ItemGroup]:
    """The criterion's lists of alternatives ('at least one of: a; b; or c'): each item's
    requirements, the count needed, and the requirements that only state the count."""
    text = criterion.text
    at = [_span_at(r, criterion) for r in criterion.requirements]
    out = []
    for m in _COUNT_OF_RE.finditer(text):
        need = word_number(m["n"]) or 0
        counts = [
            i
            for i, a in enumerate(at)
            if a >= 0 and m.start() - 12 <= a < m.end() and a + len(criterion.requirements[i].span)
            <= m.end() + 1 and criterion.requirements[i].value == need
        ]  # fmt: skip
        items = [
            [i for i, a in enumerate(at) if s <= a < e and i not in counts]
            for s, e in _list_items(text, m.end())
        ]
        if len(items) > need or counts:
            out.append(ItemGroup(items=items, at_least=need, counts=counts))
    return out


_ITEM_THRESHOLD_RE = re.compile(
    r"^(?:(?:or|and/or)\s+)?(?:an?\s+|the\s+)?(?P<subject>[A-Za-z][^;:]*?)\s+(?:of\s+)?"
    r"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>%|[A-Za-z][\w/]*(?:\s+per\s+\w+)?)?\s+or\s+"
    r"(?P<way>more|greater|higher|above|less|lower|fewer|below)\b",
    re.IGNORECASE,
)
"""An item of a list of alternatives that is one measure against a threshold, which the reading
did not type ('blood eosinophils of 150 cells/uL or more')."""


def typed_items(criterion: Criterion) -> Criterion:
    """The criterion with a threshold requirement for each item of its lists of alternatives that
    the reading left untyped and that states one measure against a number ('FeNO of 25 ppb or
    more'), so the item is judged on the patient's value; an item stating anything else stays
    untyped (never met by words alone)."""
    added = []
    text = criterion.text
    for m in _COUNT_OF_RE.finditer(text):
        for s, e in _list_items(text, m.end()):
            if any(s <= _span_at(r, criterion) < e for r in criterion.requirements):
                continue
            item = text[s:e].strip(" ,;.")
            found = _ITEM_THRESHOLD_RE.match(item)
            if found is None or len(found["subject"]) > 80:
                continue
            lower = found["way"].lower() in ("less", "lower", "fewer", "below")
            unit = found["unit"]
            added.append(
                Requirement(
                    kind=RequirementKind.threshold,
                    subject=re.sub(r"\s*\([^)]*\)", "", found["subject"]).strip(),
                    comparator="<=" if lower else ">=",
                    value=float(found["value"]),
                    unit=unit if unit and unit.lower() not in ("or", "and") else None,
                    span=item,
                    branch=criterion.requirements[0].branch if criterion.requirements else 0,
                )
            )
    if not added:
        return criterion
    return criterion.model_copy(update={"requirements": [*criterion.requirements, *added]})


def _item_settled(verdicts: list[RequirementVerdict], criterion: Criterion) -> set[int]:
    """Requirements of a criterion's list of alternatives that need not hold: the count's own,
    and those of the items not met once enough items are (an untyped item is not met)."""
    settled: set[int] = set()
    for group in item_groups(criterion):
        settled |= set(group.counts)
        held = [
            bool(item) and all(i < len(verdicts) and verdicts[i].status == "met" for i in item)
            for item in group.items
        ]
        if sum(held) >= group.at_least:
            settled |= {
                i for item, ok in zip(group.items, held, strict=True) if not ok for i in item
            }
    return {i for i in settled if i < len(verdicts) and verdicts[i].status != "met"}


def _counts(criterion: Criterion) -> set[int]:
    """The requirements that only state how many items of a list of alternatives are needed."""
    return {i for group in item_groups(criterion) for i in group.counts}


def _settled(verdicts: list[RequirementVerdict], criterion: Criterion | None) -> list[bool]:
    """Per requirement, whether an alternative of its set is met (it need not hold itself)."""
    sets = alternatives(criterion) if criterion is not None else {}
    met = {sets[i] for i, v in enumerate(verdicts) if i in sets and v.status == "met"}
    items = _item_settled(verdicts, criterion) if criterion is not None else set()
    return [
        (i in sets and sets[i] in met and v.status != "met") or i in items
        for i, v in enumerate(verdicts)
    ]


def _met_branches(kept: list[RequirementVerdict]) -> list[int]:
    """Of requirements in several branches (routes), the branches whose every requirement is
    met (or conceded), in order; none when there is one branch."""
    branches = list(dict.fromkeys(v.requirement.branch for v in kept))
    if len(branches) < 2:
        return []
    return [
        b
        for b in branches
        if all(v.status == "met" or v.conceded for v in kept if v.requirement.branch == b)
    ]


def shown(verdict: CriterionVerdict) -> list[RequirementVerdict]:
    """The requirements a letter states: with 'any' logic, those of the first met branch (the
    alternatives not relied on are left out); otherwise all. Of requirements joined by 'or' in
    one branch, one that another met answers for is left out."""
    settled = _settled(verdict.requirements, verdict.criterion)
    kept = [v for v, done in zip(verdict.requirements, settled, strict=True) if not done]
    met = _met_branches(kept)
    return [v for v in kept if v.requirement.branch == met[0]] if met else kept


_SUBJECT_BAD_FIRST = frozenset(
    {
        "of", "per", "s", "and", "or", "the", "a", "an", "day", "days", "week", "weeks", "month",
        "months", "mg", "only", "over", "below", "above", "than", "to", "with", "by", "for",
        "in", "on", "at", "from", "that", "which",
    }
)  # fmt: skip
_SUBJECT_BAD_LAST = frozenset(
    {
        "of", "per", "beyond", "given", "obtained", "averaging", "requiring", "with", "for", "by",
        "in", "on", "at", "to", "the", "a", "an", "and", "or", "over", "than", "below", "above",
        "past", "from", "that", "which", "is", "are", "was", "were",
    }
)  # fmt: skip


_ARTICLES = frozenset({"a", "an", "the"})


def well_formed(req: Requirement, criterion: Criterion) -> bool:
    """Whether the requirement's subject names a thing the letter can state: words of the
    criterion, starting at a word of its own (not 's Global Assessment' cut from
    'Investigator's'), neither starting nor ending on a function word or a number ('of',
    'visits per week beyond', 'over the past 3')."""
    words = re.findall(r"[A-Za-z][\w/-]*|\d[\d.,]*", req.subject)
    if len(words) > 1 and words[0].lower() in _ARTICLES:
        words = words[1:]  # 'a high-dose inhaled corticosteroid' names a thing
    if not words:
        return False
    first, last = words[0].lower(), words[-1].lower()
    if first in _SUBJECT_BAD_FIRST or last in _SUBJECT_BAD_LAST or last[0].isdigit():
        return False
    # found in the criterion only inside another word ('s Global Assessment' of 'Investigator's')
    at = [a for a, _ in literal.finditer(criterion.text, req.subject.strip(), ignore_case=True)]
    return not at or any(a == 0 or not re.match(r"[\w'’]", criterion.text[a - 1]) for a in at)


def speakable(rv: RequirementVerdict, criterion: Criterion) -> bool:
    """Whether the letter can state this requirement's comparison rightly. Never: a subject
    that does not read as a thing ('of', 'mg daily dose given'); a quote standing in for the
    patient's value of a numeric requirement; a count of trials or classes found as none of
    them (nothing matched is no finding against the patient). What the payer granted or the
    physician concedes is always stated."""
    if rv.payer_met or rv.conceded:
        return True
    req = rv.requirement
    if not well_formed(req, criterion) or rv.found in _NOT_COMPARED:
        return False
    if rv.confirm and rv.numeric:  # a quote standing in for the patient's value
        return False
    # none found of a count whose subject names no treatment the class book knows ('at least 1
    # trial of adequate course'): nothing matched, which is no finding against the patient
    counted = req.kind in (RequirementKind.trial_count, RequirementKind.class_count)
    return not (
        counted and rv.status == "not_met" and not rv.value and not book().groups_in(req.subject)
    )


def verdict_strings(verdicts: list[CriterionVerdict]) -> list[str]:
    """Every value the verdicts compute (counts, durations, dates, overlaps), as text: the
    validator accepts a number of the letter that the computation produced from the inputs."""
    return [text for v in verdicts for rv in v.requirements for text in (rv.required, rv.found)]


def _word_evidence(criterion: Criterion, case: CaseFacts) -> list[str]:
    """The structured facts that share the criterion's words, when no typed check found one
    (the argument states them; the validator checks the section against them)."""
    from ..evidence import case_facts as word_facts
    from ..evidence import is_psychiatric, select_facts

    facts = select_facts(criterion.text, word_facts(case), is_psychiatric(case))
    return [
        f.path
        for f in facts
        if re.match(r"^(?:prior_treatments|objective_findings)\[\d+\]$", f.path)
    ]


def _combine(
    verdicts: list[RequirementVerdict], logic: str, criterion: Criterion | None = None
) -> Status:
    branches: dict[int, list[Status]] = {}
    settled = _settled(verdicts, criterion)
    counts = _counts(criterion) if criterion is not None else set()
    for i, (v, done) in enumerate(zip(verdicts, settled, strict=True)):
        if i in counts:  # 'at least one' of a list: the list's count, no requirement
            continue
        status: Status = "met" if v.conceded or done else v.status
        branches.setdefault(v.requirement.branch, []).append(status)

    def branch(statuses: list[Status]) -> Status:
        if all(s == "met" for s in statuses):
            return "met"
        return "not_met" if "not_met" in statuses else "unknown"

    results = [branch(s) for s in branches.values()]
    need = criterion.at_least if criterion is not None and logic == "any" else 1
    if logic == "any" or len(results) > 1:
        if results.count("met") >= min(need, len(results)):
            return "met"
        open_ = len(results) - results.count("not_met")
        return "not_met" if open_ < min(need, len(results)) else "unknown"
    return results[0] if results else "unknown"


def _claimed(facts: Facts, analysis: DenialAnalysis) -> set[str]:
    """Treatments a specific group of some criterion names (generic groups leave them alone)."""
    claimed: set[str] = set()
    for criterion in analysis.criteria:
        specific = [g for g in book().groups_in(criterion.text) if not g.generic]
        if specific:
            claimed |= {
                t.path for t in _Scope(facts, criterion, set(), dt.date.min).trials_for(specific)
            }
    return claimed


def evaluate(
    analysis: DenialAnalysis,
    case: CaseFacts,
    reference: dt.date | None = None,
    *,
    as_of: dt.date | None = None,
    embedder: Callable[[list[str]], np.ndarray] | None = None,
) -> list[CriterionVerdict]:
    """The verdict of every criterion of the analysis, in order.

    ``reference`` is the date windows are measured back from: the denial's date, else today.
    ``as_of`` is the letter's date (today unless given): an ongoing treatment's length is
    counted from its start to it. ``embedder`` embeds the facts and queries chosen by meaning
    (the run's ``embedding.RunVectors``; the model's own ``embed`` when None).
    """
    reference = reference or analysis.letter_date or dt.date.today()
    facts = case_facts(case, as_of=as_of or dt.date.today(), embedder=embedder)
    claimed = _claimed(facts, analysis)
    conceded = {(c.criterion, c.requirement) for c in case.conceded}
    said = {o.path: (o.text, o.kind == "rating_scale") for o in facts.observations}
    kinds = {o.path: o.kind for o in facts.observations}
    out = []
    for index, read in enumerate(analysis.criteria):
        criterion = typed_items(read)
        listed = class_list(criterion.text)
        criterion = class_criterion(criterion, listed)
        scope = _Scope(facts, criterion, claimed, reference)
        scope.dosed_classes = listed
        scope.details = case.service.details or ""
        scope.product = case.service.description or ""
        scope.diagnoses = tuple(d.code for d in case.diagnoses)
        scope.conditions = tuple(
            (f"diagnoses[{i}]", d.description)
            for i, d in enumerate(case.diagnoses)
            if d.description
        )
        scope.physician_specialty = case.physician.specialty or ""
        scope.physician_name = case.physician.name or ""
        scope.service_dates = tuple(analysis.service_dates)
        scope.coded = tuple(
            (f"diagnoses[{i}]", d.code, d.description or "") for i, d in enumerate(case.diagnoses)
        )
        # a concession (the case's, or the ground's) stands only for what is open: what the
        # payer called met or the record meets is stated as met, never conceded with an
        # exception asked for it
        payer_met = criterion.payer_status == "met"
        granted = _payer_granted(criterion)
        verdicts = []
        for number, req in enumerate(criterion.requirements, start=1):
            verdict = check(req, scope)
            if number - 1 in granted:
                # the payer's finding grants this part: met per the plan, not argued
                verdict = verdict.model_copy(
                    update={
                        "status": "met", "payer_met": True, "evidence": [], "field": None,
                        "confirm": False, "found": f"“{granted[number - 1]}”",
                    }
                )  # fmt: skip
            asked = (index + 1, number) in conceded or (index + 1, None) in conceded
            if asked and not payer_met and verdict.status != "met":
                verdict = verdict.model_copy(update={"conceded": True, "field": None})
            verdicts.append(verdict)
        verdicts = _by_item(criterion, verdicts)
        # a criterion whose every event no fact states has no evidence: facts that only share
        # its words (the device it would remove) are not shown under it
        unanswered = events_unanswered(verdicts, _EVENT_KINDS | _DATED_EVENT_KINDS)
        # an alternative not relied on (another of its set is met) shows none of its facts
        settled = _settled(verdicts, criterion)
        relied = [v for v, done in zip(verdicts, settled, strict=True) if not done]
        # of routes ('ONE of: A. ...; OR B. ...') some of which are met, the met ones are
        # relied on: the facts of a route that fails (a screen negating route B) are not shown
        routes = _met_branches(relied)
        if routes:
            relied = [v for v in relied if v.requirement.branch in routes]
        # an intolerance no course shows ('0 not tolerated'): the courses tolerated are no
        # evidence of it, and are not shown under it
        decided = bool(relied) and all(
            v.status == "not_met" and not v.evidence and _asks_intolerance(v.requirement, read.text)
            for v in relied
        )
        fallback = (
            []
            if unanswered or decided
            else scope.all_evidence()
            or (scope.about(_word_evidence(criterion, case)) if criterion.requirements else [])
        )
        # a scale's score the record does not give: another scale's result shares its words
        # ('scale', 'score') and is not shown under it
        other = {
            p
            for p in fallback
            if p in said
            and (
                any(other_instrument(v.requirement, criterion, *said[p]) for v in verdicts)
                or (kinds[p] in _SCORE_KINDS and another_measure(verdicts, criterion, said[p][0]))
            )
        }
        # a criterion a requirement's record fails ('not yet possible: the prior plan's files
        # not received'): a line offered only for the physician to confirm another requirement
        # of it (a plan for the treatment requested) answers nothing and is not shown
        failed = any(v.status == "not_met" and v.evidence and not v.conceded for v in relied)
        if failed and criterion.logic != "any" and len({v.requirement.branch for v in relied}) == 1:
            relied = [v for v in relied if not (v.confirm and v.status == "unknown")]
        evidence = [p for v in relied for p in v.evidence] or [
            p for p in fallback if p not in other
        ]
        # progress asked for: its measures and what explains it when it stalled belong here
        evidence = list(dict.fromkeys(evidence + scope.progress_evidence()))
        # a criterion the denial's ground answers (continuity of care under a network denial)
        # is not argued as a clinical one: the letter rests on the ground instead
        owner = owns(analysis, criterion.text)
        whole = (index + 1, None) in conceded or bool(owner and owner.concedes)
        status = (
            _combine(verdicts, criterion.logic, criterion) if criterion.requirements else "unknown"
        )
        raw = [v.model_copy(update={"conceded": False}) for v in verdicts]
        if payer_met or (
            criterion.requirements and _combine(raw, criterion.logic, criterion) == "met"
        ):
            whole = False
        away = "" if payer_met else not_for(criterion.text, case, reference)
        if criterion.payer_status == "not_applicable":  # the notice's own 'N/A' says why
            away = PAYER_NOT_APPLICABLE
        if away:  # for a population the patient is not in: not met, not unmet, not argued
            status, evidence, whole = "unknown", [], False
        out.append(
            CriterionVerdict(
                index=index,
                criterion=criterion,
                not_applicable=away,
                status=status,
                requirements=verdicts,
                evidence=_case_order(evidence),
                payer_met=payer_met,
                conceded=whole or (bool(verdicts) and all(v.conceded for v in verdicts)),
            )
        )
    return out


_ITEM_WORDS_MAX = 120
"""A lettered sub-item this long or shorter is quoted whole as what its one requirement asks."""


def _by_item(criterion: Criterion, verdicts: list[RequirementVerdict]) -> list[RequirementVerdict]:
    """Each requirement of a lettered sub-item named by its label, so the letter answers the
    items one by one: '(i) a CPAP trial of at least 3 months' (an item of one requirement is
    quoted whole), '(c) DLCO of at least 20%' (one of several keeps its own words)."""
    text = criterion.text
    parts = sub_items(text)
    if parts is None:
        return verdicts
    at = [_span_at(r, criterion) for r in criterion.requirements]
    out = list(verdicts)
    for k, (s, e) in enumerate(parts.items):
        members = [i for i, a in enumerate(at) if s <= a < e and i < len(out)]
        label = parts.labels[k].strip(".)( ")
        whole = parts.words(text, k)
        for i in members:
            own = len(members) == 1 and len(whole) <= _ITEM_WORDS_MAX
            words = whole[:1].lower() + whole[1:] if own and not whole[:2].isupper() else whole
            required = words if own else out[i].required
            out[i] = out[i].model_copy(update={"required": f"({label}) {required}"})
    return out


def _payer_granted(criterion: Criterion) -> dict[int, str]:
    """Requirement index -> the clause of the payer's own finding that grants its part ('a
    4-month CPAP trial is documented' grants '(i) a CPAP trial of at least 3 months', not '(ii)
    use of less than 4 hours per night'). A clause grants the part (a lettered sub-item, else a
    requirement's clause) sharing the most of its terms, two at least and more than any other
    part; a criterion of one part is the payer's status to state, not this."""
    clauses = conceded_clauses(criterion.payer_reason)
    if not clauses or criterion.payer_status == "met":
        return {}
    text = criterion.text
    parts = sub_items(text)
    reqs = criterion.requirements
    at = [_span_at(r, criterion) for r in reqs]
    if parts is not None:
        units = [(text[s:e], [i for i, a in enumerate(at) if s <= a < e]) for s, e in parts.items]
    else:
        units = [(_clause_around(r, criterion), [i]) for i, r in enumerate(reqs)]
    units = [(words, members) for words, members in units if members]
    if len(units) < 2:
        return {}
    book = measure_book()
    granted: dict[int, str] = {}
    for clause in clauses:
        said = book.heads(clause)
        shared = [len(book.stated_heads(book.heads(words), clause) | (book.heads(words) & said))
                  for words, _ in units]  # fmt: skip
        best = max(shared)
        if best >= 2 and shared.count(best) == 1:
            for i in units[shared.index(best)][1]:
                granted.setdefault(i, clause)
    return granted


def _case_order(paths: list[str]) -> list[str]:
    def key(path: str) -> tuple[int, int]:
        m = re.search(r"\[(\d+)\]", path)
        head = ("prior_treatments", "objective_findings", "clinical_summary")
        group = next((i for i, h in enumerate(head) if path.startswith(h)), len(head))
        return group, int(m.group(1)) if m else 0

    return sorted(dict.fromkeys(paths), key=key)
