"""A result the case says is still pending, and what the request asks around it.

A test sent but not yet reported is no fact the letter may state: the request asks for approval
now on the enclosed record, or on condition of the result rather than a denial, and promises the
result (with a request for an expedited reconsideration only when the case is urgent). How a
case says a result is pending is data (``specs/pending/pending_result.yaml``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import yaml
from pydantic import Field

from ..evidence import lower_first
from ..letter_format import one_date_style
from ..models import CaseFacts, Strict
from ..text.sentences import split_sentences
from .specs import HERE, says


class PendingWords(Strict):
    version: int = Field(ge=1)
    pending: list[str] = Field(min_length=1)
    """How a value or a sentence says a result is not yet back."""
    report_pending: list[str] = Field(default_factory=list)
    """How a value says a done test's report or result is not yet back (pending, though the
    sitting is 'completed')."""
    not_pending: list[str] = Field(default_factory=list)
    """What is pending that is no result (the authorization, the appeal, a bed)."""
    not_done: list[str] = Field(default_factory=list)
    """How a value says the test was not performed (no result exists, none is awaited)."""
    test: list[str] = Field(min_length=1)
    """The words that name a test or its report, which a case's sentence must hold."""


@cache
def pending_words() -> PendingWords:
    """``specs/pending/pending_result.yaml``, loaded once."""
    path = HERE / "pending" / "pending_result.yaml"
    return PendingWords.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Pending:
    """A result not yet back: a finding's name and date, or the case's own sentence."""

    what: str
    day: dt.date | None = None
    sentence: bool = False
    """``what`` is the case's sentence saying it, not a test's name."""

    def said(self) -> str:
        """The case's sentence, else the test's name: never under its date, which is when it
        was ordered, drawn or scheduled, not the date of a result that does not exist yet."""
        if self.sentence:
            return self.what
        words = self.what.split()
        if len(words) > 1 and words[1][:1].isupper():  # a name: 'Individualized Education Program'
            return self.what
        return lower_first(self.what)


def is_pending(text: str) -> bool:
    """Whether a finding's value or a sentence says a result is not yet back."""
    words = pending_words()
    return says(words.pending, text) and not says(words.not_pending, text)


def report_pending(text: str) -> bool:
    """Whether a value says the report or result of a test already sat is not yet back."""
    words = pending_words()
    return says(words.report_pending, text) and not says(words.not_pending, text)


def not_done(text: str) -> bool:
    """Whether a finding's value says its test was not performed (and none is awaited)."""
    return says(pending_words().not_done, text) and not is_pending(text)


def pending_results(case: CaseFacts) -> list[Pending]:
    """The results the case says are pending: its findings whose value says so; else the
    sentences of its summary and service details that say a named test is pending."""
    found = [
        Pending(f.name.strip(), f.date) for f in case.objective_findings if is_pending(f.value)
    ]
    if found:
        return found
    test = pending_words().test
    out: list[Pending] = []
    for text in (case.clinical_summary, case.service.details):
        for s in split_sentences(text or "", flatten=True):
            if is_pending(s) and says(test, s):
                said = one_date_style(s.strip())
                out.append(Pending(said if said.endswith(".") else f"{said}.", sentence=True))
    return list(dict.fromkeys(out))


def pending_paragraph(case: CaseFacts) -> str:
    """The request around the pending results ('' when none): approval now on the enclosed
    record, or on condition of the result, and (an urgent case only) an expedited
    reconsideration when it comes."""
    found = pending_results(case)
    if not found:
        return ""
    one = len(found) == 1
    it, is_ = ("it", "it is") if one else ("them", "they are")
    named = [p for p in found if not p.sentence]
    lead = " ".join(p.said() for p in found if p.sentence)
    if named:
        names = [p.said() for p in named]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        said = "result of" if len(names) == 1 else "results of"
        verb = "is" if len(names) == 1 else "are"
        lead = f"{lead} The {said} {joined} {verb} still pending.".strip()
    # a result not yet back is no urgency: an expedited reconsideration is asked only when the
    # case states the urgency
    fast = (
        ", with a request for an expedited reconsideration" if case.urgency == "expedited" else ""
    )
    return (
        f"{lead} I ask that you approve this request now on the enclosed record; if you "
        f"consider {'that result' if one else 'those results'} necessary to your decision, "
        f"please approve on condition of {it} rather than deny, and I will send {it} as soon "
        f"as {is_} reported{fast}."
    )
