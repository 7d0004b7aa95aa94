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
    heldout: bool = False
    """Written before the fixes it measures and never read while fixing: its figures are
    reported apart from the tuned variants'."""


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
        return _date_text(day, style)

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


def _spelled(spellings: tuple[tuple[str, str], ...], end: str) -> Rewrite:
    """Units right after a number in findings and treatments spelled the other way of each
    pair; ``end``: what must follow a unit (a word boundary, or no letter nor '^')."""

    def spell(text: str) -> str:
        for old, new in spellings:
            text = re.sub(rf"(?<=\d)(\s*){re.escape(old)}{end}", rf"\g<1>{new}", text)
        return text

    def rewrite(case: Case, rng: random.Random) -> Case | None:
        out = copy.deepcopy(case)
        for key in ("objective_findings", "prior_treatments"):
            if out.get(key):
                out[key] = _map_strings(out[key], spell)
        return out if out != case else None

    return rewrite


unit_spellings = _spelled(_UNIT_SPELLINGS, r"\b")
"""Units spelled another common way in findings and treatments (mg/dl, kg/m², mmHg)."""


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


# ------------------------------------------------------------------ test results


_RESULT_KINDS = (
    ("serology", r"antibod|antigen|hepatitis|\bHIV\b|\bRPR\b|syphilis|serolog|\bHBs|\bHCV\b"),
    ("molecular", r"\bPCR\b|\bDNA\b|\bRNA\b|panel|culture|screen|cotinine|toxicolog|NAAT"),
    ("igra", r"QuantiFERON|T-SPOT|interferon-gamma|\bIGRA\b|tubercul"),
)
_RESULT_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "serology": {"negative": ("Non-reactive", "Nonreactive"), "indeterminate": ("Inconclusive",)},
    "molecular": {
        "negative": ("Not detected", "None detected"),
        "indeterminate": ("Inconclusive",),
    },
    "igra": {"negative": ("Negative",), "indeterminate": ("Inconclusive",)},
}
"""The words a laboratory reports the same result with, by the kind of test (tuned)."""
_RESULT_SIGNS: dict[str, dict[str, tuple[str, ...]]] = {
    kind: {"negative": ("Neg", "NEGATIVE", "(-)"), "indeterminate": ("Equivocal",)}
    for kind, _ in _RESULT_KINDS
}
"""Shorthand for the same results (held out)."""
_RESULT_RE = re.compile(r"^(?P<lead>(?:all|both)\s+)?(?P<word>negative|indeterminate)\b", re.I)


def _result_kind(name: str) -> str | None:
    return next((kind for kind, words in _RESULT_KINDS if re.search(words, name, re.I)), None)


def _results(words: dict[str, dict[str, tuple[str, ...]]]) -> Rewrite:
    """A lab finding's value that leads with 'Negative' / 'All negative' / 'Indeterminate'
    written with another word a laboratory reports that result with."""

    def rewrite(case: Case, rng: random.Random) -> Case | None:
        out = copy.deepcopy(case)
        changed = False
        for item in out.get("objective_findings") or []:
            value, kind = item.get("value"), _result_kind(str(item.get("name") or ""))
            if item.get("kind") != "lab" or not isinstance(value, str) or kind is None:
                continue
            found = _RESULT_RE.match(value.strip())
            if not found:
                continue
            word = rng.choice(words[kind][found["word"].lower()])
            if found["lead"]:
                word = f"{found['lead'].strip().capitalize()} {word.lower()}"
            item["value"] = word + value.strip()[found.end() :]
            changed = item["value"] != value or changed
        return out if changed else None

    return rewrite


# ------------------------------------------------------------------ date fields and styles


def _date_text(day: dt.date, style: str) -> str:
    """A date as physicians write it: 'us' 03/04/2026, 'long' March 4, 2026, 'dmy' 4 Mar 2026,
    'short' 3/4/26."""
    if style == "us":
        return f"{day.month:02d}/{day.day:02d}/{day.year}"
    if style == "dmy":
        return f"{day.day} {day:%b} {day.year}"
    if style == "short":
        return f"{day.month}/{day.day}/{day:%y}"
    return f"{day:%B} {day.day}, {day.year}"


def _date_fields(style: str) -> Rewrite:
    """The case's date fields (birth, treatment start/end, finding and document dates)
    written as text in another style: '11/02/2026', 'November 2, 2026', '2 Nov 2026'."""

    def walk(value: Any) -> Any:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return _date_text(value, style)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    def rewrite(case: Case, rng: random.Random) -> Case | None:
        out = walk(case)
        return out if out != case else None

    return rewrite


# ------------------------------------------------------------------ doses written otherwise

_ONE_AMOUNT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mg|mcg|g)\s*$", re.I)
_TIMES_A_DAY = (
    (r"^\s*(?:once (?:a )?daily|once a day|daily|QD)\s*$", 1),
    (r"^\s*(?:twice (?:a )?daily|twice a day|BID|every 12 hours|q12h)\s*$", 2),
    (r"^\s*(?:three times (?:a )?daily|three times a day|TID|every 8 hours|q8h)\s*$", 3),
    (r"^\s*(?:four times (?:a )?daily|four times a day|QID|every 6 hours|q6h)\s*$", 4),
)


def _times_a_day(frequency: object) -> int | None:
    if not isinstance(frequency, str):
        return None
    return next((n for p, n in _TIMES_A_DAY if re.match(p, frequency, re.I)), None)


def _number_text(value: float) -> str:
    return f"{value:g}"


def _medications(case: Case) -> list[dict[str, Any]]:
    return [
        item
        for item in case.get("prior_treatments") or []
        if item.get("kind") == "medication" and isinstance(item.get("dose"), str)
    ]


def _doses(write: Callable[[str, str, int], str | None], *, keeps_frequency: bool) -> Rewrite:
    """Each medication of one amount given n times a day ('300 mg', 'twice daily') with its dose
    written by ``write(amount, unit, n)`` (None: left as it is); the frequency left out unless
    ``keeps_frequency``."""

    def rewrite(case: Case, rng: random.Random) -> Case | None:
        out = copy.deepcopy(case)
        changed = False
        for item in _medications(out):
            found, times = _ONE_AMOUNT.match(item["dose"]), _times_a_day(item.get("frequency"))
            written = write(found[1], found[2], times) if found and times else None
            if written is not None:
                item["dose"] = written
                if not keeps_frequency:
                    item.pop("frequency")
                changed = True
        return out if changed else None

    return rewrite


_SHORT = {1: "daily", 2: "BID", 3: "TID", 4: "QID"}

dose_tablets = _doses(lambda n, unit, times: f"1 tablet of {n} {unit}", keeps_frequency=True)
"""A single amount given per dose written as the tablets taken: '1 tablet of 300 mg'."""
dose_daily_total = _doses(
    lambda n, unit, times: f"{_number_text(float(n) * times)} {unit}/day", keeps_frequency=False
)
"""A dose given n times a day written as its daily total: 300 mg twice daily -> '600 mg/day'
(the frequency left out)."""
dose_in_one_line = _doses(
    lambda n, unit, times: f"{n} {unit} PO {_SHORT[times]}", keeps_frequency=False
)
"""Dose, route and frequency in one line of dose: '300 mg PO BID' (held out)."""
dose_tablet_count = _doses(
    lambda n, unit, times: (
        f"two {_number_text(float(n) / 2)} {unit} tablets" if float(n) >= 2 else None
    ),
    keeps_frequency=True,
)
"""An even amount taken as two tablets of half the strength: 'two 150 mg tablets' (held
out)."""


# ------------------------------------------------------------------ weights and heights

_KG = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*kg\b(?!\s*/|/)")
_CM = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*cm\b")
_WEIGHT_WORD = re.compile(r"\bweigh", re.I)
_HEIGHT_NEAR = re.compile(r"\b(?:height|stature|tall)\b[^;.,()]{0,12}$", re.I)
LB_PER_KG = 2.20462
CM_PER_IN = 2.54


def _in_fields(case: Case, fn: Callable[[str, str], str]) -> Case | None:
    """fn(text, finding name or '') applied to the summary, the treatments and the
    findings; None when nothing changed."""
    out = copy.deepcopy(case)
    if isinstance(out.get("clinical_summary"), str):
        out["clinical_summary"] = fn(out["clinical_summary"], "")
    for key in ("prior_treatments", "objective_findings"):
        for item in out.get(key) or []:
            name = str(item.get("name") or "") if key == "objective_findings" else ""
            for field_name in ("value", "outcome", "outcome_measure", "duration"):
                if isinstance(item.get(field_name), str):
                    item[field_name] = fn(item[field_name], name)
    return out if out != case else None


def _weights(unit: str) -> Callable[[str, str], str]:
    def fn(text: str, name: str) -> str:
        if not (_WEIGHT_WORD.search(text) or _WEIGHT_WORD.search(name)):
            return text
        return _KG.sub(lambda m: f"{float(m[1]) * LB_PER_KG:.1f} {unit}", text)

    return fn


def _heights(style: str) -> Callable[[str, str], str]:
    def to_text(cm: float) -> str:
        inches = cm / CM_PER_IN
        if style == "feet" and inches >= 36:
            feet = int(inches // 12)
            return f"{feet} ft {inches - 12 * feet:.1f} in"
        return f"{inches:.1f} in"

    def fn(text: str, name: str) -> str:
        named = bool(re.search(r"\bheight\b", name, re.I))

        def sub(m: re.Match[str]) -> str:
            near = _HEIGHT_NEAR.search(text[: m.start()])
            return to_text(float(m[1])) if near or named else m[0]

        return _CM.sub(sub, text)

    return fn


def weights_in_pounds(case: Case, rng: random.Random) -> Case | None:
    """Body weights in pounds to one decimal: '104 kg' -> '229.3 lb'."""
    return _in_fields(case, _weights("lb"))


def heights_in_inches(case: Case, rng: random.Random) -> Case | None:
    """Heights in inches to one decimal: 'height 178 cm' -> 'height 70.1 in'."""
    return _in_fields(case, _heights("inches"))


def weights_heights_imperial(case: Case, rng: random.Random) -> Case | None:
    """Weights in 'lbs', heights in feet and inches ('5 ft 10.1 in') (held out)."""
    both = _in_fields(case, _weights("lbs")) or case
    return _in_fields(both, _heights("feet")) or (both if both is not case else None)


# ------------------------------------------------------------------ durations

_WEEKS = re.compile(r"(?<![\d.])(\d+)\s*weeks?\b", re.I)
_YEARS = re.compile(r"(?<![\d.])(\d+)\s*years?\b(?![\s-]*old)", re.I)


def _durations(style: str) -> Rewrite:
    """Durations in another unit: 'days' writes weeks as days ('6 weeks' -> '42 days');
    'months' writes an even number of weeks as months ('6 weeks' -> '1.5 months') and whole
    years as months ('2 years' -> '24 months') (held out)."""

    def fn(text: str, name: str) -> str:
        if style == "days":
            return _WEEKS.sub(lambda m: f"{int(m[1]) * 7} days", text)
        text = _WEEKS.sub(
            lambda m: f"{_number_text(int(m[1]) / 4)} months" if int(m[1]) % 2 == 0 else m[0],
            text,
        )
        return _YEARS.sub(lambda m: f"{int(m[1]) * 12} months", text)

    def rewrite(case: Case, rng: random.Random) -> Case | None:
        out = copy.deepcopy(case)
        for item in out.get("prior_treatments") or []:
            for key in ("duration", "outcome", "outcome_measure"):
                if isinstance(item.get(key), str):
                    item[key] = fn(item[key], "")
        return out if out != case else None

    return rewrite


_OTHER_SPELLINGS = (
    ("kg/m2", "kg/m^2"),
    ("mL/min/1.73 m2", "mL/min/1.73m2"),
    ("U/L", "IU/L"),
    ("mmHg", "mm of Hg"),
)


other_unit_spellings = _spelled(_OTHER_SPELLINGS, r"(?![\w^])")
"""Units spelled other common ways: kg/m^2, 1.73m2, IU/L, mm of Hg (held out)."""


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
    Variant("result-words", _results(_RESULT_WORDS), True),
    Variant("date-fields-us", _date_fields("us"), True),
    Variant("date-fields-long", _date_fields("long"), True),
    Variant("dose-tablets", dose_tablets, True),
    Variant("dose-daily-total", dose_daily_total, True),
    Variant("weight-lb", weights_in_pounds, True),
    Variant("height-in", heights_in_inches, True),
    Variant("duration-days", _durations("days"), True),
    # held out: written before the fixes, never read while fixing
    Variant("result-signs", _results(_RESULT_SIGNS), True, heldout=True),
    Variant("date-fields-dmy", _date_fields("dmy"), True, heldout=True),
    Variant("text-dates-short", _text_dates("short"), True, heldout=True),
    Variant("dose-in-one-line", dose_in_one_line, True, heldout=True),
    Variant("dose-tablet-count", dose_tablet_count, True, heldout=True),
    Variant("weight-height-imperial", weights_heights_imperial, True, heldout=True),
    Variant("duration-months", _durations("months"), True, heldout=True),
    Variant("unit-spellings-other", other_unit_spellings, True, heldout=True),
)
