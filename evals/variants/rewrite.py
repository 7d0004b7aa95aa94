"""Realistic rewordings of a case file's facts: the same facts, written as physicians write them.

Each variant takes the case file's raw mapping (as YAML loads it) and a seeded random source,
and returns a rewritten copy, or None when the case holds nothing the variant rewrites. A
variant is ``equivalent`` when it states exactly the same facts (a verdict that changes under it
is a defect); the others drop or add optional text (only a refusal or a traceback counts).
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Case = dict[str, Any]
Rewrite = Callable[[Case, random.Random], Case | None]


@dataclass(frozen=True)
class Variant:
    name: str
    rewrite: Rewrite
    equivalent: bool
    """Same facts as the case: a verdict that changes is a defect."""


# ------------------------------------------------------------------ outcome words

_FAILURE = re.compile(
    r"inadequate|\bno (?:meaningful |durable |significant |lasting |sustained )?"
    r"(?:response|improvement|benefit|relief)|\bfail|not effective|ineffective|\bworse|"
    r"declin|persist|\bunchanged|refractory|did not|lost response|insufficient",
    re.I,
)
_INTOLERANCE = re.compile(
    r"intoleran|not tolerated|side effect|stopped (?:due|because|for)|"
    r"discontinued (?:due|because|for)",
    re.I,
)
_DENIED = re.compile(r"\b(?:no|without|denies|never)\b", re.I)
_PARTIAL = re.compile(r"\bpartial|transient|temporary|short-lived", re.I)


def outcome_class(outcome: str) -> str | None:
    """'failure', 'intolerance', 'partial', or None for an outcome that states none of them
    (an effective or continued treatment is never relabelled)."""
    if _INTOLERANCE.search(outcome) and not _DENIED.search(outcome):
        return "intolerance"
    if _PARTIAL.search(outcome):
        return "partial"
    if _FAILURE.search(outcome) and not re.match(r"\s*effective\b", outcome, re.I):
        return "failure"
    return None


_LABELS = {
    "failure": ("Failed", "Unsuccessful", "Inadequate response", "Not effective"),
    "intolerance": ("Discontinued for side effects", "Not tolerated"),
    "partial": ("Partial response",),
}
_JOINERS = (": ", " - ", "; ", ". ")


def _labelled(label_index: int | None, *, terse: bool = False) -> Rewrite:
    """Each failed treatment's outcome led by a label ('Failed: no durable improvement'); the
    label given by index for the failure class, a seeded one for the others; ``terse``: the
    outcome is the label alone, its words moved to the start of outcome_measure."""

    def rewrite(case: Case, rng: random.Random) -> Case | None:
        out = copy.deepcopy(case)
        changed = False
        for item in out.get("prior_treatments") or []:
            outcome = item.get("outcome")
            kind = outcome_class(outcome) if isinstance(outcome, str) else None
            if kind is None:
                continue
            labels = _LABELS[kind]
            label = (
                labels[label_index]
                if kind == "failure" and label_index is not None
                else (rng.choice(labels))
            )
            if terse:
                measure = item.get("outcome_measure")
                item["outcome"] = label
                item["outcome_measure"] = f"{outcome}; {measure}" if measure else outcome
            else:
                joiner = rng.choice(_JOINERS)
                rest = outcome[0].lower() + outcome[1:] if joiner == ": " else outcome
                item["outcome"] = f"{label}{joiner}{rest}"
            changed = True
        return out if changed else None

    return rewrite


# ------------------------------------------------------------------ doses of one drug

_AMOUNT = r"\d+(?:\.\d+)?\s*(?:mg|mcg|g|units?|mL|IU)\b"
_AMOUNTS = re.compile(_AMOUNT, re.I)
_STEP_WORDS = re.compile(r"\bthen\b|\bincreased\b|\btitrated\b|->|→|\bto\b", re.I)


def _drug_key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.split()[0].lower()) if name.split() else ""


def merge_doses(case: Case, rng: random.Random) -> Case | None:
    """Consecutive entries of one drug at several doses written as one entry:
    '25 mg then 50 mg then 100 mg', the first start, the last end and outcome."""
    out = copy.deepcopy(case)
    items = out.get("prior_treatments") or []
    merged: list[dict[str, Any]] = []
    changed = False
    for item in items:
        last = merged[-1] if merged else None
        same = (
            last is not None
            and item.get("kind") == "medication" == last.get("kind")
            and item.get("dose")
            and last.get("dose")
            and _drug_key(item["name"]) == _drug_key(last["name"])
        )
        if not same or last is None:
            merged.append(item)
            continue
        last["dose"] = f"{last['dose']} then {item['dose']}"
        if item.get("frequency") and item.get("frequency") != last.get("frequency"):
            last["frequency"] = f"{last.get('frequency') or ''} then {item['frequency']}".strip()
        for key in ("end", "outcome"):
            if item.get(key):
                last[key] = item[key]
        for key in ("duration", "outcome_measure"):
            parts = [p for p in (last.get(key), item.get(key)) if p]
            if parts:
                last[key] = "; ".join(parts)
        changed = True
    out["prior_treatments"] = merged
    return out if changed else None


def split_doses(case: Case, rng: random.Random) -> Case | None:
    """An entry with several doses of one drug ('80 mg ..., increased to 120 mg ...') written
    as one entry per dose: the first keeps the start, the last the end; each keeps the outcome."""
    out = copy.deepcopy(case)
    result: list[dict[str, Any]] = []
    changed = False
    for item in out.get("prior_treatments") or []:
        dose = item.get("dose") or ""
        # the doses given, not their daily totals ('80 mg three times daily (240 mg/day)')
        given = re.sub(r"\([^)]*\)", "", dose)
        amounts = [
            m.group(0)
            for m in _AMOUNTS.finditer(given)
            if not re.match(r"\s*(?:/|per\b)", given[m.end() :])
            and not re.search(r"\bby\s*$", given[: m.start()])  # 'reduced by 10 mg'
        ]
        distinct = list(dict.fromkeys(a.replace(" ", "").lower() for a in amounts))
        if item.get("kind") != "medication" or len(distinct) < 2 or not _STEP_WORDS.search(dose):
            result.append(item)
            continue
        firsts = {a.replace(" ", "").lower(): a for a in reversed(amounts)}
        for i, key in enumerate(distinct):
            part = dict(item, dose=firsts[key])
            if i > 0:
                part.pop("start", None)
            if i < len(distinct) - 1:
                part.pop("end", None)
                part.pop("outcome_measure", None)
            result.append(part)
        changed = True
    out["prior_treatments"] = result
    return out if changed else None


def titration(case: Case, rng: random.Random) -> Case | None:
    """Every medication with one dose in its name ('Sertraline 200 mg') gets it in dose: the
    name loses the amount (a writer puts strength in the name or in the dose, not both)."""
    out = copy.deepcopy(case)
    changed = False
    for item in out.get("prior_treatments") or []:
        name = item.get("name") or ""
        found = _AMOUNTS.search(name)
        if item.get("kind") != "medication" or item.get("dose") or not found:
            continue
        item["dose"] = found.group(0)
        item["name"] = re.sub(r"\s{2,}", " ", name[: found.start()] + name[found.end() :]).strip()
        changed = True
    return out if changed else None


# ------------------------------------------------------------------ dates

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [_map_strings(v, fn) for v in value]
    if isinstance(value, dict):
        return {k: _map_strings(v, fn) for k, v in value.items()}
    return value


def _text_dates(style: str) -> Rewrite:
    """ISO dates inside free text written 'MM/DD/YYYY' ('us') or 'Month D, YYYY' ('long')."""

    def fmt(match: re.Match[str]) -> str:
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return match[0]
        if style == "us":
            return f"{day.month:02d}/{day.day:02d}/{day.year}"
        return f"{day:%B} {day.day}, {day.year}"

    def rewrite(case: Case, rng: random.Random) -> Case | None:
        out = _map_strings(case, lambda s: _ISO.sub(fmt, s))
        return out if out != case else None

    return rewrite


def quoted_dates(case: Case, rng: random.Random) -> Case | None:
    """Date fields written as quoted strings, some as a datetime at midnight (both parse to
    the same date)."""

    def walk(value: Any) -> Any:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return f"{value.isoformat()}T00:00:00" if rng.random() < 0.3 else value.isoformat()
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    out = walk(case)
    return out if out != case else None


# ------------------------------------------------------------------ units and frequencies

_ABBREVIATIONS = (
    (r"\bonce (?:a )?daily\b|\bonce a day\b|\bdaily\b", "QD"),
    (r"\btwice (?:a )?daily\b|\btwice a day\b", "BID"),
    (r"\bthree times (?:a )?daily\b|\bthree times a day\b", "TID"),
    (r"\bfour times (?:a )?daily\b|\bfour times a day\b", "QID"),
    (r"\bat bedtime\b|\bnightly\b", "QHS"),
    (r"\bas needed\b", "PRN"),
    (r"\bevery (\d+) hours\b", r"q\1h"),
    (r"\bonce weekly\b|\bonce a week\b|\bweekly\b", "once a week"),
)


def abbreviated(case: Case, rng: random.Random) -> Case | None:
    """Frequencies written as prescribers abbreviate them: QD, BID, TID, QID, QHS, PRN, q6h."""
    out = copy.deepcopy(case)
    changed = False
    for item in out.get("prior_treatments") or []:
        text = item.get("frequency")
        if not isinstance(text, str):
            continue
        new = text
        for pattern, short in _ABBREVIATIONS:
            new = re.sub(pattern, short, new, flags=re.I)
        if new != text:
            item["frequency"] = new
            changed = True
    return out if changed else None


_DAILY = re.compile(r"^\s*(?:once )?daily\s*$|^\s*once a day\s*$|^\s*QD\s*$", re.I)


def _per_day(form: str) -> Rewrite:
    """A once-daily dose written in dose alone: '50 mg/day' ('slash') or '50 mg daily'."""

    def rewrite(case: Case, rng: random.Random) -> Case | None:
        out = copy.deepcopy(case)
        changed = False
        for item in out.get("prior_treatments") or []:
            dose, freq = item.get("dose"), item.get("frequency")
            if not (isinstance(dose, str) and isinstance(freq, str) and _DAILY.match(freq)):
                continue
            if len(_AMOUNTS.findall(dose)) != 1 or not _AMOUNTS.fullmatch(dose.strip()):
                continue
            item["dose"] = f"{dose.strip()}/day" if form == "slash" else f"{dose.strip()} daily"
            item.pop("frequency")
            changed = True
        return out if changed else None

    return rewrite


_UNIT_SPELLINGS = (
    ("mg/dL", "mg/dl"),
    ("kg/m2", "kg/m²"),
    ("mm Hg", "mmHg"),
    ("mmHg", "mm Hg"),
    ("mcg", "µg"),
    ("L/min", "LPM"),
    ("mL", "ml"),
)


def unit_spellings(case: Case, rng: random.Random) -> Case | None:
    """Units spelled another common way in findings and treatments (mg/dl, kg/m², mmHg)."""
    out = copy.deepcopy(case)

    def spell(text: str) -> str:
        for old, new in _UNIT_SPELLINGS:
            text = re.sub(rf"(?<=\d)(\s*){re.escape(old)}\b", rf"\g<1>{new}", text)
        return text

    for key in ("objective_findings", "prior_treatments"):
        if out.get(key):
            out[key] = _map_strings(out[key], spell)
    return out if out != case else None


_TRAILING_UNIT = re.compile(
    r"^\s*([<>≤≥]?\s*\d+(?:\.\d+)?)\s*(?:%|[a-zA-Z/µ²]+(?:/[a-zA-Z0-9.²]+)*)\s*$"
)


def lab_units_dropped(case: Case, rng: random.Random) -> Case | None:
    """A lab value given as its number alone ('6.6' for '6.6%', '132' for '132 mg/dL')."""
    out = copy.deepcopy(case)
    changed = False
    for item in out.get("objective_findings") or []:
        value = item.get("value")
        if item.get("kind") != "lab" or not isinstance(value, str):
            continue
        found = _TRAILING_UNIT.match(value)
        if found:
            item["value"] = found.group(1).strip()
            changed = True
    return out if changed else None


# ------------------------------------------------------------------ optional fields, notes


def drop_redundant(case: Case, rng: random.Random) -> Case | None:
    """A treatment's duration left out when its start and end are given; findings'
    interpretations left out."""
    out = copy.deepcopy(case)
    changed = False
    for item in out.get("prior_treatments") or []:
        if item.get("start") and item.get("end") and item.pop("duration", None):
            changed = True
    for item in out.get("objective_findings") or []:
        if item.pop("interpretation", None):
            changed = True
    return out if changed else None


_OPTIONAL = {
    "": ("urgency_reason", "documents", "citations", "consequences_of_denial"),
    "physician": ("fax", "phone", "license", "practice_name", "address", "specialty"),
    "service": ("details",),
}


def drop_optional(case: Case, rng: random.Random) -> Case | None:
    """Optional fields left out: the documents, citations, consequences, the practice's
    contact lines, the treatments' outcome measures."""
    out = copy.deepcopy(case)
    for where, keys in _OPTIONAL.items():
        holder = out.get(where) if where else out
        if isinstance(holder, dict):
            for key in keys:
                holder.pop(key, None)
    if out.get("urgency") == "expedited":
        out["urgency"] = "standard"
    for item in out.get("prior_treatments") or []:
        item.pop("outcome_measure", None)
    return out if out != case else None


_NOTES = (
    "Patient seen with a family member today; questions answered.",
    "Records from outside providers reviewed and summarized here.",
    "The patient understands the risks and benefits and wishes to proceed.",
)
_OUTCOME_NOTES = (" (per clinic notes)", " - see office notes", ". Documented in chart.")


def extra_notes(case: Case, rng: random.Random) -> Case | None:
    """Free-text notes that bear on nothing: a sentence after the clinical summary, a
    pointer to the notes after each outcome."""
    out = copy.deepcopy(case)
    summary = out.get("clinical_summary")
    note = rng.choice(_NOTES)
    out["clinical_summary"] = f"{summary.rstrip()} {note}" if summary else note
    for item in out.get("prior_treatments") or []:
        if isinstance(item.get("outcome"), str):
            item["outcome"] = item["outcome"].rstrip(". ") + rng.choice(_OUTCOME_NOTES)
    return out


def casing(case: Case, rng: random.Random) -> Case | None:
    """Outcomes and frequencies in lower case with a trailing period, drug names in lower case."""
    out = copy.deepcopy(case)
    changed = False
    for item in out.get("prior_treatments") or []:
        for key in ("outcome", "frequency"):
            text = item.get(key)
            if isinstance(text, str) and text:
                item[key] = text[0].lower() + text[1:].rstrip(".") + "."
                changed = True
        if item.get("kind") == "medication" and isinstance(item.get("name"), str):
            item["name"] = item["name"][0].lower() + item["name"][1:]
            changed = True
    return out if changed else None


VARIANTS: tuple[Variant, ...] = (
    Variant("outcome-failed", _labelled(0), True),
    Variant("outcome-unsuccessful", _labelled(1), True),
    Variant("outcome-inadequate-response", _labelled(2), True),
    Variant("outcome-not-effective", _labelled(3), True),
    Variant("outcome-terse", _labelled(None, terse=True), True),
    Variant("doses-merged", merge_doses, True),
    Variant("doses-split", split_doses, True),
    Variant("dose-out-of-name", titration, True),
    Variant("dates-quoted", quoted_dates, True),
    Variant("text-dates-us", _text_dates("us"), True),
    Variant("text-dates-long", _text_dates("long"), True),
    Variant("frequency-abbreviated", abbreviated, True),
    Variant("dose-mg-per-day", _per_day("slash"), True),
    Variant("dose-mg-daily", _per_day("daily"), True),
    Variant("unit-spellings", unit_spellings, True),
    Variant("lab-units-dropped", lab_units_dropped, True),
    Variant("casing", casing, True),
    Variant("extra-notes", extra_notes, True),
    Variant("drop-redundant", drop_redundant, False),
    Variant("drop-optional", drop_optional, False),
)
