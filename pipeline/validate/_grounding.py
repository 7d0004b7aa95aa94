"""The grounding index: every fact the inputs hold, in the scanner's compare form."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..text.numbers import norm_number
from ._scanner import DIGITS_RE, NUMBER_RUN_RE, TERMS_OF_ART, Token, TokenKey, token_keys


@dataclass
class Grounding:
    """Every fact the inputs hold, in compare form, built once per validation."""

    blob: str = ""
    dates: set[dt.date] = field(default_factory=set)
    months: set[TokenKey] = field(default_factory=set)
    """(year, month) pairs, and the text of impossible months (which ground only themselves)."""
    phones: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    idents: set[str] = field(default_factory=set)

    def add_date(self, d: dt.date) -> None:
        self.dates.add(d)
        self.months.add((d.year, d.month))
        self.numbers.add(str(d.year))

    def add_text(self, text: str) -> None:
        for tok in token_keys(text):
            if tok.kind == "date":
                if isinstance(tok.key, dt.date):
                    self.add_date(tok.key)
            elif tok.kind == "month":
                self.months.add(tok.key)
            elif tok.kind == "phone":
                self.phones.add(str(tok.key))
            elif tok.kind == "number":
                self.numbers.add(str(tok.key))
            elif tok.kind == "ident":
                self.idents.add(str(tok.key))
                self.idents.add(re.sub(r"[-./,]", "", str(tok.key)))
        # Every digit run, also inside dates, phones and codes: "200mg" grounds "200 mg".
        runs = set(NUMBER_RUN_RE.findall(text)) | set(DIGITS_RE.findall(text))
        self.numbers.update(norm_number(run) for run in runs)
        self.phones.update(run[-10:] for run in runs if len(run) >= 10 and "." not in run)

    @classmethod
    def union(cls, parts: Iterable[Grounding]) -> Grounding:
        """A new index holding every fact of ``parts`` (which are left unchanged)."""
        out = cls()
        blobs = []
        for part in parts:
            blobs.append(part.blob)
            out.dates |= part.dates
            out.months |= part.months
            out.phones |= part.phones
            out.numbers |= part.numbers
            out.idents |= part.idents
        out.blob = "\n".join(blobs)
        return out

    def supports(self, tok: Token) -> bool:
        """True when the inputs hold the token's fact."""
        if tok.kind == "url":
            return str(tok.key) in self.blob
        if tok.kind == "date":
            return tok.key in self.dates
        if tok.kind == "month":
            return tok.key in self.months
        if tok.kind == "phone":
            return tok.key in self.phones
        if tok.kind == "number":
            return tok.key in self.numbers
        key = str(tok.key)
        if key in TERMS_OF_ART or key in self.idents or re.sub(r"[-./,]", "", key) in self.idents:
            return True
        return bool(tok.parts) and all(p in self.numbers for p in tok.parts)


def text_facts(text: str) -> Grounding:
    """The facts of one input text (newline-joined strings; no token pattern crosses a line).
    :class:`~pipeline.validate._inputs.Inputs` reads each input once per run."""
    index = Grounding(blob=text)
    index.add_text(text)
    return index


def walk(value: object, strings: list[str], dates: list[dt.date]) -> None:
    """Collect the strings and dates of a dumped model, recursively."""
    if isinstance(value, dt.date):
        dates.append(value)
        strings.append(value.isoformat())
    elif isinstance(value, str):
        strings.append(value)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        strings.append(str(value))
    elif isinstance(value, dict):
        for v in value.values():
            walk(v, strings, dates)
    elif isinstance(value, list | tuple):
        for v in value:
            walk(v, strings, dates)
