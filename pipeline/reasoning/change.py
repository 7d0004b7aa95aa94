"""A service already authorized that the notice reduces or ends (concurrent review): read once
from the notice (:func:`read_change`, into ``DenialAnalysis.service_change``) and asked back in
the request (:func:`restore_request`): the amount that was cut, from the date the cut takes
effect, with the arithmetic, not the whole authorization as if new.

How notices word it is data (``specs/change/service_change.yaml``).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache, cached_property
from itertools import pairwise

import yaml
from pydantic import Field

from ..letter_format import fmt_date
from ..models import ServiceChange, ServiceIncrease, Strict
from ..text.dates import DATE_RE, find_dates, parse_date
from ..text.sentences import split_sentences
from .specs import HERE


class ChangeSpec(Strict):
    """The words of a notice that reduces or ends a service already authorized."""

    version: int = Field(ge=1)
    units: dict[str, list[str]] = Field(min_length=1)
    """What an amount counts, by the words a notice uses for it."""
    periods: dict[str, list[str]] = Field(min_length=1)
    """What an amount is per."""
    changed: list[str] = Field(min_length=1)
    before: list[str] = Field(min_length=1)
    after: list[str] = Field(min_length=1)
    more: list[str] = Field(min_length=1)
    ended: list[str] = Field(min_length=1)
    ongoing: list[str] = Field(min_length=1)
    effective: list[str] = Field(min_length=1)
    reduced: list[str] = Field(min_length=1)
    """A sentence that says services were reduced without giving amounts in it (the amounts
    sit in a before/after table)."""
    increased: list[str] = Field(min_length=1)
    """A sentence that asks to raise a service already authorized."""
    kept: list[str] = Field(min_length=1)
    """A sentence that keeps what the member receives now ('This decision does not reduce
    Mateo's nursing.', 'The 40 hours per week he has now are still approved.'): read only
    for :attr:`ServiceIncrease.current_kept`."""

    @cached_property
    def amount_re(self) -> re.Pattern[str]:
        """'56 hours per week', '40 hrs/week', '12 visits'."""
        units = "|".join(f"(?P<u_{k}>{'|'.join(v)})" for k, v in self.units.items())
        periods = "|".join(f"(?P<p_{k}>{'|'.join(v)})" for k, v in self.periods.items())
        return re.compile(
            rf"\b(?P<n>\d+(?:\.\d+)?)\s*(?:{units})\b"
            rf"(?:(?:\s*(?:per|a|each|every|/)\s*|\s+)(?:{periods})\b)?",
            re.IGNORECASE,
        )

    @cached_property
    def from_to_re(self) -> re.Pattern[str]:
        """'from 56 hours per week to 40 hours per week', 'from 56 to 40 hours per week'."""
        return re.compile(r"\bfrom\s+(?P<a>[^.;]{1,40}?)\s+to\s+(?P<b>[^.;]{1,40})", re.IGNORECASE)

    def has(self, name: str, text: str) -> re.Match[str] | None:
        return _compiled("|".join(getattr(self, name))).search(text)

    @cached_property
    def effective_re(self) -> re.Pattern[str]:
        words = "|".join(self.effective)
        return re.compile(rf"\b(?:{words})\s*(?P<date>{DATE_RE.pattern})", re.IGNORECASE)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@cache
def change_spec() -> ChangeSpec:
    """The spec (``specs/change/service_change.yaml``), read once."""
    path = HERE / "change" / "service_change.yaml"
    return ChangeSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


_Amount = tuple[float, str, str | None]
"""(amount, unit, per)."""


def _amounts(text: str) -> list[tuple[_Amount, int]]:
    spec = change_spec()
    out = []
    for m in spec.amount_re.finditer(text):
        unit = next(k[2:] for k, v in m.groupdict().items() if k.startswith("u_") and v)
        per = next((k[2:] for k, v in m.groupdict().items() if k.startswith("p_") and v), None)
        out.append(((float(m.group("n")), unit, per), m.start()))
    return out


def _number(text: str) -> float | None:
    m = re.match(r"\s*(\d+(?:\.\d+)?)", text)
    return float(m.group(1)) if m else None


def _from_to(sentence: str) -> tuple[_Amount, _Amount] | None:
    """'reduced from 56 hours per week to 40 hours per week' (the unit and period may be
    given once, after the second amount)."""
    if not change_spec().has("changed", sentence):
        return None
    return next(((a, b) for a, b in _pairs(sentence) if a[0] > b[0]), None)


def _rise(sentence: str) -> tuple[_Amount, _Amount] | None:
    """'asked us to increase his nursing from 40 hours per week to 56 hours per week', 'The
    increase from 20 to 30 hours per week ... (was) denied': the amount now and the one asked."""
    if not change_spec().has("increased", sentence):
        return None
    return next(((a, b) for a, b in _pairs(sentence) if a[0] < b[0]), None)


def _pairs(sentence: str) -> list[tuple[_Amount, _Amount]]:
    """Each 'from A to B' of a sentence whose amounts share their unit."""
    spec = change_spec()
    pairs: list[tuple[_Amount, _Amount]] = []
    for m in spec.from_to_re.finditer(sentence):
        second = _amounts(m.group("b"))
        first = _amounts(m.group("a"))
        if not second or second[0][1] > 3:
            continue
        after = second[0][0]
        if first and first[0][1] == 0:
            before = first[0][0]
            before = (before[0], before[1], before[2] or after[2])
        elif (n := _number(m.group("a"))) is not None and m.group("a").strip() == f"{n:g}":
            before = (n, after[1], after[2])
        else:
            continue
        if before[1] == after[1]:
            pairs.append((before, after))
    return pairs


_NOT_APPROVED_RE = re.compile(r"\bnot\b[^.]{0,20}\bapprov|\bdenied\b|\bdeny\b", re.IGNORECASE)
_APPROVED_RE = re.compile(r"\bapprov(?:ed|es?)\b|\bauthori[sz]ed\b", re.IGNORECASE)


_HEADING_RE = re.compile(r"^(?:[A-Z][A-Z'&/-]+\s+){2,}(?=[A-Z][a-z])")
"""An all-capitals heading the sentence splitter left before a sentence ('WHAT WE DENIED AND
WHY The increase ...')."""


def read_increase(text: str) -> ServiceIncrease | None:
    """The increase of a service already authorized that the notice approves only in part
    ('You asked us to increase his nursing from 40 hours per week to 56 hours per week. We
    approved 48 hours per week.'; 'His current level of 20 hours per week ... is approved ...
    The increase from 20 to 30 hours per week ... (was) denied'), or None. The amount approved
    is the first one of the same unit and period that a sentence approves (not one it denies),
    at most the amount asked; ``current_kept`` when the notice says it keeps what the member
    receives now."""
    spec = change_spec()
    sentences = split_sentences(" ".join(text.split()))
    for sentence in sentences:
        rise = _rise(sentence)
        if rise is None:
            continue
        (current, unit, per), (requested, _, per_asked) = rise
        per = per or per_asked
        approved = next(
            (
                amount[0]
                for s in sentences
                if _APPROVED_RE.search(s)
                and not _NOT_APPROVED_RE.search(s)
                and not spec.has("increased", s)  # the request's own amounts
                for amount, _ in _amounts(s)
                if amount[1] == unit and amount[2] in (per, None) and amount[0] <= requested
            ),
            None,
        )
        kept = any(spec.has("kept", s) for s in sentences)
        if approved is None and not kept:
            continue
        return ServiceIncrease(
            current=current, requested=requested, approved=approved, unit=unit, per=per,
            current_kept=kept, statement=_HEADING_RE.sub("", sentence)[:600],
        )  # fmt: skip
    return None


def _prior_and_new(sentences: list[str]) -> tuple[_Amount, _Amount, int] | None:
    """'You are currently authorized for 56 hours per week. Starting November 1, 2026, we
    approved 40 hours per week.': the amount a 'before' phrase introduces, then a smaller one
    of the same unit an 'after' phrase introduces (an additional amount is not a cut)."""
    spec = change_spec()
    before: _Amount | None = None
    for i, sentence in enumerate(sentences):
        found = _amounts(sentence)
        if before is None:
            lead = spec.has("before", sentence)
            if lead and (after_lead := [a for a, at in found if at >= lead.start()]):
                before = after_lead[0]
            continue
        lead = spec.has("after", sentence)
        if lead is None or spec.has("more", sentence):
            continue
        for amount, at in found:
            if at >= lead.start() and amount[1] == before[1] and amount[0] < before[0]:
                per = amount[2] or before[2]
                return (before[0], before[1], before[2] or per), (amount[0], amount[1], per), i
    return None


def _effective(sentences: list[str]) -> dt.date | None:
    """The first date an 'effective' word introduces ('Starting November 1, 2026')."""
    for sentence in sentences:
        for m in change_spec().effective_re.finditer(sentence):
            found = find_dates(m.group("date"))
            if found:
                return found[0][0]
    return None


_JOIN_RE = re.compile(r"\s*(?:through|thru|to|until|-|–)\s*", re.IGNORECASE)


def _through(text: str, effective: dt.date | None) -> dt.date | None:
    """The last day of the authorization period the change cuts into: the end of a date range
    ('November 1, 2026 through April 30, 2027') that contains the effective date."""
    dates = [(parse_date(m), m) for m in DATE_RE.finditer(text)]
    for (first, a), (last, b) in pairwise(dates):
        if first is None or last is None or not _JOIN_RE.fullmatch(text[a.end() : b.start()]):
            continue
        if effective is None or first <= effective < last:
            return last
    return None


def read_change(text: str) -> ServiceChange | None:
    """The reduction or termination the notice states, or None when it states neither. An
    increase approved in part is never one: the reading asks :func:`read_increase` first and
    this only when it reads none (``pipeline.extract``)."""
    spec = change_spec()
    sentences = split_sentences(" ".join(text.split()))
    for i, sentence in enumerate(sentences):
        pair = _from_to(sentence)
        if pair:
            (before, unit, per), (after, _, per_after) = pair
            effective = _effective(sentences[i : i + 2]) or _effective(sentences)
            return ServiceChange(
                before=before, after=after, unit=unit, per=per or per_after,
                effective=effective, through=_through(text, effective),
            )  # fmt: skip
    found = _prior_and_new(sentences)
    if found and any(spec.has("changed", s) for s in sentences):
        (before, unit, per), (after, _, _), at = found
        effective = _effective(sentences[at : at + 1]) or _effective(sentences)
        return ServiceChange(
            before=before, after=after, unit=unit, per=per, effective=effective,
            through=_through(text, effective),
        )  # fmt: skip
    ongoing = spec.has("ongoing", text)
    for sentence in sentences if ongoing else ():
        if spec.has("ended", sentence) and (effective := _effective([sentence])):
            prior = next(
                (a for s in sentences if spec.has("before", s) for a, _ in _amounts(s)), None
            )
            return ServiceChange(
                ends=True,
                before=prior[0] if prior else None,
                after=0 if prior else None,
                unit=prior[1] if prior else None,
                per=prior[2] if prior else None,
                effective=effective,
                through=_through(text, effective),
            )
    if not (ongoing or spec.has("before", text)):
        return None
    for i, sentence in enumerate(sentences):
        # 'We have decided to REDUCE services that were previously approved.' with the amounts
        # in a table: a reduction all the same, from the notice's effective date
        if spec.has("reduced", sentence):
            effective = _effective(sentences[i : i + 2]) or _effective(sentences)
            if effective is not None:
                change = ServiceChange(effective=effective, through=_through(text, effective))
                cut = _table_cut(text)
                if cut is not None:
                    (before, unit, per), (after, _, _) = cut
                    change = change.model_copy(
                        update={"before": before, "after": after, "unit": unit, "per": per}
                    )
                return change
    return None


def _table_cut(text: str) -> tuple[_Amount, _Amount] | None:
    """The amounts of a table row that says it changed ('| G0156 | 140 units/week (35 hrs) |
    80 units/week (20 hrs) | REDUCED |'): its first amount and the first later, smaller one of
    the same unit and period."""
    spec = change_spec()
    for line in text.splitlines():
        if "|" not in line or not spec.has("changed", line):
            continue
        found = [amount for amount, _ in _amounts(line)]
        for i, first in enumerate(found):
            for later in found[i + 1 :]:
                if later[1:] == first[1:] and later[0] < first[0]:
                    return first, later
    return None


def _amount(value: float, unit: str | None, per: str | None) -> str:
    number = f"{value:g}"
    noun = (unit or "units") if value != 1 else (unit or "units").rstrip("s")
    return f"{number} {noun}" + (f" per {per}" if per else "")


def describe(change: ServiceChange, service: str) -> str:
    """'reduction of HCPCS T1000 from 56 to 40 hours per week'; 'decision to end skilled nursing
    facility care on November 14, 2026': what the notice did, for the letter's opening."""
    if change.ends:
        on = f" on {fmt_date(change.effective)}" if change.effective else ""
        return f"decision to end {service}{on}"
    if change.before is None or change.after is None:
        return f"reduction of {service}"
    return (
        f"reduction of {service} from {change.before:g} to "
        f"{_amount(change.after, change.unit, change.per)}"
    )


def arithmetic(change: ServiceChange) -> str:
    """'56 authorized until now − 40 approved = 16 hours per week' ('' when an amount is
    missing)."""
    cut = change.cut
    if cut is None or change.before is None or change.after is None:
        return ""
    return (
        f"{change.before:g} authorized until now − {change.after:g} approved = "
        f"{_amount(cut, change.unit, change.per)}"
    )


def restore_request(change: ServiceChange, service: str, patient: str) -> str:
    """The request of a letter answering a reduction or a termination: restore what was cut,
    from the date the cut took effect through the end of the authorization, with the
    arithmetic; the end of a service asks for it to continue from the day it was to end."""
    until = "through the end of the authorization period"
    if change.through:
        until = f"through {fmt_date(change.through)}, the end of the authorization period"
    start = f"from {fmt_date(change.effective)}" if change.effective else ""
    period = " ".join(p for p in (start, until) if p)
    before = _amount(change.before, change.unit, change.per) if change.before is not None else None
    if change.ends:  # the notice's date is when coverage ends, as it words it
        amount = f" at the {before} authorized until now" if before else ""
        on = f" on {fmt_date(change.effective)}" if change.effective else ""
        through = f" through {fmt_date(change.through)}" if change.through else ""
        return (
            f"I ask that you reverse the decision to end {service} for {patient}{on} and "
            f"continue it{amount}{through}."
        )
    cut = change.cut
    if cut is None or before is None:
        return (
            f"I ask that you reverse the reduction of {service} for {patient} and restore the "
            f"amount authorized until now, {period}."
        )
    return (
        f"I ask that you reverse the reduction of {service} for {patient} and restore the "
        f"{_amount(cut, change.unit, change.per)} the notice cut ({arithmetic(change)}), "
        f"back to the {before} authorized until now, {period}."
    )
