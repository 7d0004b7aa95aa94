"""Drugs and doses: every drug the letter names occurs in the inputs, every dose (in digits or
in words) is one the inputs give, in an equivalent unit (1 g = 1000 mg, not 1 mg), and a dose
written beside a treatment of the case is that treatment's dose; counts and periods written in
words are grounded like digits."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from ... import letter_format as lf
from ...models import ValidationFinding
from ...text import literal
from .._context import Context
from .._findings import FindingCode, finding
from .._registry import Scope, check

LEXICON_PATH = Path(__file__).resolve().parent.parent / "data" / "drug_names.json"
"""Drug names imported from FDA data with provenance (scripts/import_drug_lexicon.py)."""

_UNITS = {
    "mg": ("mass", 1.0), "milligram": ("mass", 1.0), "milligrams": ("mass", 1.0),
    "g": ("mass", 1000.0), "gm": ("mass", 1000.0), "gram": ("mass", 1000.0),
    "grams": ("mass", 1000.0), "mcg": ("mass", 0.001), "µg": ("mass", 0.001),
    "μg": ("mass", 0.001), "ug": ("mass", 0.001), "microgram": ("mass", 0.001),
    "micrograms": ("mass", 0.001), "kg": ("mass", 1e6),
    "ml": ("volume", 1.0), "milliliter": ("volume", 1.0), "milliliters": ("volume", 1.0),
    "l": ("volume", 1000.0),
    "unit": ("units", 1.0), "units": ("units", 1.0), "iu": ("units", 1.0),
}  # fmt: skip
_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000}
_NUMBER_WORD = "|".join(sorted([*_ONES, *_SCALES], key=len, reverse=True))
_SPELLED = rf"(?:{_NUMBER_WORD})(?:[ -](?:and[ -])?(?:{_NUMBER_WORD}))*"
_UNIT = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_DOSE_RE = re.compile(
    rf"(?<![\w.])(?P<n>\d+(?:[.,]\d+)*|{_SPELLED})[ \t-]?(?P<u>{_UNIT})(?![\w/])",
    re.IGNORECASE,
)
_PERIOD_RE = re.compile(
    rf"(?<![\w-])(?P<n>{_SPELLED})[ \t-](?P<u>days?|weeks?|months?|years?|sessions?|visits?|"
    r"injections?|trials?|times|hours?|minutes?)\b",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[a-z][a-z-]{3,}[a-z]")


def spelled_number(text: str) -> float | None:
    """'seven hundred fifty' -> 750, 'twenty-two' -> 22, '500' -> 500; None otherwise."""
    text = text.strip().lower()
    if re.fullmatch(r"\d+(?:,\d{3})*(?:\.\d+)?", text):
        return float(text.replace(",", ""))
    total = current = 0
    for word in re.split(r"[ -]+", text):
        if word == "and":
            continue
        if word in _ONES:
            current += _ONES[word]
        elif word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            if word == "thousand":
                total, current = total + current, 0
        else:
            return None
    return float(total + current)


def _doses(text: str) -> list[tuple[re.Match[str], tuple[str, float]]]:
    """(match, (dimension, amount in the base unit)) for each dose in ``text``."""
    out = []
    for m in _DOSE_RE.finditer(text):
        value = spelled_number(
            m.group("n").replace(",", "") if m.group("n")[0].isdigit() else m.group("n")
        )
        dimension, factor = _UNITS[m.group("u").lower()]
        if value is not None:
            out.append((m, (dimension, round(value * factor, 6))))
    return out


def _dose_keys(text: str) -> frozenset[tuple[str, float]]:
    return frozenset(key for _, key in _doses(text))


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD_RE.findall(text.casefold()))


@cache
def drug_names() -> frozenset[str]:
    """The lexicon's names (lower case)."""
    return frozenset(json.loads(LEXICON_PATH.read_text(encoding="utf-8"))["names"])


_RECEPTOR_RE = re.compile(r"(?:[- ]?\d+)?[- ](?:receptor|type \d+ receptor)\b")


@check(Scope.section, codes=[FindingCode.GROUNDING_DRUG_NOT_IN_INPUTS])
def check_drug_names(ctx: Context) -> list[ValidationFinding]:
    """Every drug name (FDA ingredient and product names) the letter writes occurs in the
    denial, the case or a cited passage."""
    names = drug_names()
    known = ctx.input_union(_words)
    out = []
    seen: set[str] = set()
    body = ctx.masked_body
    for m in _WORD_RE.finditer(body.casefold()):
        word = m.group()
        if word in names and word not in known and word not in seen:
            if _RECEPTOR_RE.match(body.casefold(), m.end()):
                continue  # 'histamine-1 receptor antagonist' names a class, not the drug
            if len(word) >= 6 and any(word in k for k in known if len(k) > len(word)):
                continue  # 'interferon alpha', the class of the case's 'peginterferon'
            seen.add(word)
            out.append(
                finding(
                    FindingCode.GROUNDING_DRUG_NOT_IN_INPUTS,
                    "The letter names a drug that the case and the denial do not.",
                    span=m.span(),
                    excerpt=ctx.markdown[m.start() : m.end()],
                )
            )
    return out


def _segments(markdown: str) -> list[tuple[int, str]]:
    """(offset, text) of each line (a table row, a bullet, a paragraph)."""
    out, pos = [], 0
    for line in markdown.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _treatment_doses(ctx: Context) -> list[tuple[str, set[tuple[str, float]]]]:
    """For each case treatment with a dose: its name's first word, and every dose its fields
    give (its dose, and the titration steps of its frequency or outcome)."""
    out = []
    for t in ctx.draft.case.prior_treatments:
        words = re.findall(r"[A-Za-z][A-Za-z-]{3,}", t.name)
        if not t.dose or not words:
            continue
        fields = (t.name, t.dose, t.frequency, t.duration, t.outcome, t.outcome_measure)
        doses = {key for f in fields if f for _, key in _doses(f)}
        if doses:
            out.append((words[0], doses))
    return out


def _name_at(text: str, word: str) -> int | None:
    """Where a treatment name's first word stands in ``text`` as a word of its own, any case
    (``\\b{word}\\b``, found without compiling a pattern for the case's word)."""
    found = literal.bounded(text, word, ignore_case=True)
    return found[0] if found else None


_BOUND_CHARS = 120
"""A dose within this many characters after a treatment's name (no other dose between, same
line) is read as that treatment's dose."""
_DRUG_UNITS = frozenset(
    {
        "mg",
        "milligram",
        "milligrams",
        "g",
        "gm",
        "gram",
        "grams",
        "mcg",
        "µg",
        "μg",
        "ug",
        "microgram",
        "micrograms",
    }
)


_QUOTE_RE = re.compile(r"“[^”]*”|\"[^\"]*\"")


def _bound_treatment(
    line: str,
    dose: re.Match[str],
    previous_end: int,
    treatments: list[tuple[str, set[tuple[str, float]]]],
    denial: str,
) -> set[tuple[str, float]] | None:
    """The doses of the treatments named right before ``dose`` on ``line`` (within
    _BOUND_CHARS, after the previous dose); None when none is, or when the words from the name
    to the dose are quoted or are the denial's or the case's own (a payer's threshold, "a trial
    of metformin at a dose of at least 1,500 mg"; the summary's "furosemide 80 mg IV")."""
    if any(q.start() < dose.start() < q.end() for q in _QUOTE_RE.finditer(line)):
        return None
    start = max(previous_end, dose.start() - _BOUND_CHARS)
    window = line[start : dose.start()]
    named = [(at, doses) for w, doses in treatments if (at := _name_at(window, w)) is not None]
    if not named:
        return None
    said = _squeeze(line[start + min(i for i, _ in named) : dose.end()])
    if said in denial:
        return None
    return set().union(*(doses for _, doses in named))


def _squeeze(text: str) -> str:
    return " ".join(text.casefold().split())


@check(
    Scope.section,
    codes=[FindingCode.GROUNDING_DOSE_NOT_IN_INPUTS, FindingCode.GROUNDING_DOSE_NOT_THE_DRUGS],
)
def check_dose_values(ctx: Context) -> list[ValidationFinding]:
    """Each dose (digits or words, any unit of mass, volume or units) equals a dose of the
    inputs after unit conversion, and a dose written right after a case treatment's name is
    one that treatment's fields give."""
    known = ctx.input_union(_dose_keys)
    treatments = _treatment_doses(ctx)
    # the words from a drug's name to its dose as the denial or the case itself writes them
    # ('09/15 furosemide 80 mg IV' in the summary) are the inputs' own, not a dose misplaced
    denial = _squeeze(ctx.inputs.case_and_denial)
    out = []
    refs = ctx.doc.section(lf.REFERENCES)
    for offset, line in _segments(ctx.masked_body):
        if refs and refs.start <= offset < refs.end:
            continue
        previous_end = 0
        for m, key in _doses(line):
            span = (offset + m.start(), offset + m.end())
            bound = (
                _bound_treatment(line, m, previous_end, treatments, denial)
                if m.group("u").lower() in _DRUG_UNITS
                else None
            )
            previous_end = m.end()
            if key not in known:
                out.append(
                    finding(
                        FindingCode.GROUNDING_DOSE_NOT_IN_INPUTS,
                        "A dose in the letter (amount and unit) is in none of the inputs.",
                        span=span,
                        excerpt=m.group(),
                    )
                )
            elif bound is not None and key not in bound:
                out.append(
                    finding(
                        FindingCode.GROUNDING_DOSE_NOT_THE_DRUGS,
                        "A dose written beside a treatment is not that treatment's dose.",
                        span=span,
                        excerpt=m.group(),
                    )
                )
    return out


@check(Scope.section, codes=[FindingCode.GROUNDING_NUMBER_IN_WORDS])
def check_spelled_numbers(ctx: Context) -> list[ValidationFinding]:
    """A count or period written in words ('twenty weeks') is grounded like digits."""
    numbers = ctx.grounding.numbers
    # The same words in the case file or the denial ground them too ('four times daily').
    written = ctx.inputs.case_and_denial
    out = []
    for m in _PERIOD_RE.finditer(ctx.masked_body):
        value = spelled_number(m.group("n"))
        if value is None:
            continue
        text = str(int(value)) if value == int(value) else str(value)
        if text not in numbers and " ".join(m.group().split()).casefold() not in written:
            out.append(
                finding(
                    FindingCode.GROUNDING_NUMBER_IN_WORDS,
                    "A number written in words in the letter occurs in none of the inputs.",
                    span=m.span(),
                    excerpt=m.group(),
                )
            )
    return out
