"""Where a notice's criterion states another threshold than the coverage rule that binds the
plan: the current NCD covers a best-aided sentence score of 60% or less, the notice applies 40%.

A threshold is a number with its unit ('60%', '35 kg/m2', '55 dB') and the words around it in
its sentence. A notice's threshold is the rule's when the two share most of those words (the
subject and the comparison: 'test scores of less than or equal to ...% correct in the
best-aided listening condition'); their values differ: the notice is stricter or looser than
the rule. The patient's own value is read from the case's findings only when exactly one
finding segment with the unit shares the rule's subject best; else the letter states none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..evidence import tokens
from ..letter_format import fmt_date
from ..models import CaseFacts
from ..text.sentences import split_sentences

_UNIT = r"%|percent\b|kg/m2|kg/m²|mm ?Hg\b|dB(?: HL)?\b|mg/dL\b|mL/min\b"
_VALUE_RE = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)\s*({_UNIT})", re.IGNORECASE)
_COMPARATORS: tuple[tuple[str, str], ...] = (
    (r"less than or equal to|no (?:more|greater) than|at most|or (?:less|lower|below)|≤|<=", "<="),
    (r"greater than or equal to|no less than|at least|or (?:more|greater|higher|above)|≥|>=", ">="),
    (r"less than|below|under|<", "<"),
    (r"greater than|more than|above|over|>", ">"),
)
WINDOW = 8
"""Words either side of a threshold that say what it is about."""
MAX_CLAUSE = 14
"""Words either side of a threshold its clause is quoted with, at most."""
_CLAUSE_MARK_RE = re.compile(r"[,;:()]|\.(?!\d)")
MIN_SHARED = 3
"""Words a notice's threshold must share with the rule's to be the same threshold."""
MIN_PATIENT_SHARED = 2
"""Words a finding (its name and segment) must share with the rule's threshold to answer it."""
MIN_SHARE = 0.6
"""The share of the rule's words around its threshold the notice's must have."""


@dataclass(frozen=True)
class Threshold:
    """A number with its unit of measure as a text states it, with the words around it."""

    value: float
    unit: str
    clause: str
    """The words around the number, as the source states them."""
    about: frozenset[str]
    comparator: str | None

    @property
    def shown(self) -> str:
        number = f"{self.value:g}"
        return f"{number}%" if self.unit == "%" else f"{number} {self.unit}"


@dataclass(frozen=True)
class Difference:
    """A threshold the notice states otherwise than the rule."""

    rule: Threshold
    notice: Threshold
    patient: str | None = None
    """The case's finding that answers it ('bilateral best-aided 52%'), when one alone does."""
    patient_value: float | None = None

    @property
    def stricter(self) -> bool:
        """The notice's threshold asks more of the patient than the rule's."""
        sign = self.rule.comparator
        if sign is None or self.notice.comparator != sign:
            return False
        return (
            self.notice.value < self.rule.value
            if "<" in sign
            else (self.notice.value > self.rule.value)
        )

    @property
    def patient_meets_rule(self) -> bool | None:
        if self.patient_value is None or self.rule.comparator is None:
            return None
        return _compare(self.patient_value, self.rule.comparator, self.rule.value)


def _unit(raw: str) -> str:
    unit = raw.strip()
    if unit.lower() == "percent":
        return "%"
    return unit.replace("²", "2").replace("mm Hg", "mmHg")


def _comparator(before: str, after: str) -> str | None:
    """The comparison the words next to the number state ('less than or equal to 60%',
    '60% or less')."""
    near = f"{before[-40:]} # {after[:20]}".lower()
    for words, sign in _COMPARATORS:
        if re.search(rf"(?:{words})\s*#|#\s*(?:{words})", near):
            return sign
    return None


def thresholds(text: str) -> list[Threshold]:
    """Every number with a unit of measure in ``text``, with its sentence's words around it."""
    found: list[Threshold] = []
    for sentence in split_sentences(" ".join(text.split())):
        for m in _VALUE_RE.finditer(sentence):
            before = sentence[: m.start()].split()[-WINDOW:]
            after = sentence[m.end() :].split()[:WINDOW]
            # the clause as stated: from the last mark before the number to the next after it
            head = _CLAUSE_MARK_RE.split(sentence[: m.start()])[-1].split()[-MAX_CLAUSE:]
            tail = _CLAUSE_MARK_RE.split(sentence[m.end() :])[0].split()[:MAX_CLAUSE]
            clause = " ".join([*head, m.group(0), *tail]).strip(" ,;:.")
            found.append(
                Threshold(
                    value=float(m.group(1)),
                    unit=_unit(m.group(2)),
                    clause=clause,
                    about=tokens(" ".join([*before, *after])),
                    comparator=_comparator(sentence[: m.start()], sentence[m.end() :]),
                )
            )
    return found


def _same(rule: Threshold, notice: Threshold) -> bool:
    if rule.unit.lower() != notice.unit.lower() or not rule.about:
        return False
    shared = rule.about & notice.about
    return len(shared) >= MIN_SHARED and len(shared) >= MIN_SHARE * len(rule.about)


def _compare(value: float, sign: str, bound: float) -> bool:
    return {
        "<=": value <= bound,
        ">=": value >= bound,
        "<": value < bound,
        ">": value > bound,
    }[sign]


def stricter_terms(rule_text: str, notice: str, case: CaseFacts | None = None) -> list[Difference]:
    """The rule's thresholds the notice makes stricter (:func:`differences`)."""
    return [d for d in differences(rule_text, notice, case) if d.stricter]


def differences(rule_text: str, notice: str, case: CaseFacts | None = None) -> list[Difference]:
    """The rule's thresholds the notice states with another value (each rule threshold once),
    with the patient's value when one finding alone answers it."""
    out: list[Difference] = []
    stated = thresholds(notice)
    for rule in thresholds(rule_text):
        same = [n for n in stated if _same(rule, n)]
        if not same or any(n.value == rule.value for n in same):
            continue
        if any(d.rule.clause == rule.clause for d in out):
            continue
        patient, value = _patient_value(rule, case) if case is not None else (None, None)
        out.append(Difference(rule, same[0], patient, value))
    return out


def _patient_value(rule: Threshold, case: CaseFacts) -> tuple[str | None, float | None]:
    """The one finding segment ('bilateral best-aided 52%') with the rule's unit that shares the
    most of the rule's words (its finding's name counted with it, the segment itself naming one),
    when exactly one does; the segment with its finding's name and date."""
    scored: list[tuple[int, str, float]] = []
    for finding in case.objective_findings:
        name = finding.name or ""
        for segment in re.split(r"[;,]", finding.value or ""):
            hits = [m for m in _VALUE_RE.finditer(segment) if _unit(m.group(2)) == rule.unit]
            if len(hits) != 1:
                continue
            shared = len(rule.about & tokens(f"{name} {segment}"))
            if rule.about & tokens(segment):  # the segment's own words name the subject
                when = f", {fmt_date(finding.date)}" if finding.date else ""
                scored.append(
                    (shared, f"{segment.strip()} ({name}{when})", float(hits[0].group(1)))
                )
    if not scored:
        return None, None
    best = max(s for s, _, _ in scored)
    top = [(said, value) for s, said, value in scored if s == best]
    if len(top) != 1 or best < MIN_PATIENT_SHARED:
        return None, None
    return top[0]
