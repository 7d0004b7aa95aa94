"""Claims the record must support: a sentence of the letter's own that says a treatment failed,
was not tolerated, or is contraindicated (or unsafe) must rest on a case fact that says so.

A template that asserts such a thing for every patient ("the step is expected to be ineffective
or harmful for this patient") is exactly what a physician strikes out. Words the letter quotes
(the plan's criteria, the denial, a guideline passage) are theirs, not claims; words the case
itself writes are supported by definition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ... import letter_format as lf
from ...models import CaseFacts, PriorTreatment, ValidationFinding
from ...reasoning.exception import exception_strings
from ...reasoning.facts import case_facts
from ...text.normalize import norm_ws
from ...text.sentences import split_sentences
from .._context import Context
from .._findings import FindingCode, finding
from .._registry import Scope, check

CLAIM_KINDS: dict[str, re.Pattern[str]] = {
    "contraindication": re.compile(r"\bcontraindicat\w*|\bunsafe\b|\bharmful\b", re.I),
    "intolerance": re.compile(
        r"\bintoleran\w*|\bnot tolerated\b|\b(?:could not|cannot|unable to|did not) tolerate\b",
        re.I,
    ),
    "failure": re.compile(
        r"\bfail(?:ed|ure|s)?\b|\bdid not respond\b|\binadequate(?:ly)? respon\w*|\bineffective\b"
        r"|\bunsuccessful\b|\brefractory\b|\bno (?:meaningful |lasting |sustained )?"
        r"(?:benefit|improvement|response)\b",
        re.I,
    ),
}
"""What a letter may assert only on a case fact, by kind: the words that assert it."""

_NEGATED_RE = re.compile(
    r"\b(?:no|not|without|never|nor|none|zero|0|absence of|free of)\s+(?:\w+\s+)?$", re.I
)
_CLAUSE_RE = re.compile(r"[^;:,()“”\"—|]+")
_QUOTE_RE = re.compile(r"“[^”]*”|\"[^\"]*\"")
_NAME_WORD_RE = re.compile(r"[A-Za-z][A-Za-z-]{3,}")
_SKIPPED = frozenset({lf.REFERENCES, lf.SIGNATURE})
_FIRST_CELL_RE = re.compile(r"(\s*\|)([^|]*)")


def _fold(text: str) -> str:
    return norm_ws(text).casefold()


def _asserts(kind: str, text: str) -> re.Match[str] | None:
    """The first non-negated assertion of ``kind`` in ``text`` ('no contraindication' asserts
    none)."""
    for m in CLAIM_KINDS[kind].finditer(text):
        if not _NEGATED_RE.search(text[: m.start()]):
            return m
    return None


def _treatment_text(treatment: PriorTreatment) -> str:
    parts = (treatment.name, treatment.outcome, treatment.outcome_measure, treatment.dose)
    return " ".join(p for p in parts if p)


_GENERIC_NAME_WORDS = frozenset(
    {
        "daily", "weekly", "right", "left", "once", "twice", "with", "therapy", "treatment",
        "program", "oral", "topical", "dose", "trial", "course", "session", "sessions",
    }
)  # fmt: skip


def _name_keys(treatment: PriorTreatment, common: frozenset[str]) -> frozenset[str]:
    """The words a letter may name a treatment by: its name's words of four letters or more,
    less generic ones and those of the condition and the service (which name no treatment)."""
    words = {w.casefold() for w in _NAME_WORD_RE.findall(treatment.name)}
    return frozenset(words - common - _GENERIC_NAME_WORDS)


@dataclass
class _Record:
    """What the case states, indexed for the claim test."""

    case: CaseFacts
    strings: list[str]

    @cached_property
    def folded(self) -> list[str]:
        return [_fold(s) for s in self.strings if s]

    @cached_property
    def sentences(self) -> list[str]:
        return [s for text in self.strings if text for s in split_sentences(text, flatten=True)]

    @cached_property
    def failed_paths(self) -> dict[str, set[str]]:
        """Treatment paths the typed facts read as failed / not tolerated."""
        trials = case_facts(self.case).trials
        return {
            "failure": {t.path for t in trials if t.failed},
            "intolerance": {t.path for t in trials if t.intolerant},
        }

    def says(self, clause: str) -> bool:
        """The case writes this clause itself (the letter's closing period aside: 'Contraindication
        to lithium augmentation.' is the finding's interpretation)."""
        folded = _fold(clause).rstrip(" .!?")
        return len(folded) >= 12 and any(folded in s for s in self.folded)

    def carried(self, kind: str, sentence: str) -> bool:
        """The sentence carries a clause of the case that asserts ``kind`` in its own words
        ('he faces <the case's consequence: ... after four failed antidepressants ...>')."""
        folded = _fold(sentence)
        return any(clause in folded for clause in self.claim_clauses.get(kind, ()))

    @cached_property
    def claim_clauses(self) -> dict[str, list[str]]:
        """The case's clauses (12 characters or more) that assert each kind."""
        out: dict[str, list[str]] = {}
        for text in self.strings:
            for c in _CLAUSE_RE.finditer(text or ""):
                clause = _fold(c.group(0)).strip(" .!?")
                for kind in CLAIM_KINDS:
                    if len(clause) >= 12 and _asserts(kind, clause):
                        out.setdefault(kind, []).append(clause)
        return out

    def supports(self, kind: str, named: list[int]) -> bool:
        """A case fact states ``kind``: for the treatments the sentence names when it names any
        (its own record, or a case sentence naming it), else anywhere in the case."""
        if not named:
            return any(_asserts(kind, s) for s in self.strings if s) or bool(
                self.failed_paths.get(kind)
            )
        for index in named:
            treatment = self.case.prior_treatments[index]
            if f"prior_treatments[{index}]" in self.failed_paths.get(kind, set()):
                return True
            if _asserts(kind, _treatment_text(treatment)):
                return True
            name = treatment.name.casefold()
            if any(name in s.casefold() and _asserts(kind, s) for s in self.sentences):
                return True
        return False


def _named_treatments(case: CaseFacts, sentence: str) -> list[int]:
    """The prior treatments a sentence names (by a word of their name; plurals count)."""
    about = [case.service.description or "", *(d.description or "" for d in case.diagnoses)]
    common = frozenset(w.casefold() for w in _NAME_WORD_RE.findall(" ".join(about)))
    words = {w.casefold() for w in _NAME_WORD_RE.findall(sentence)}
    return [
        i
        for i, t in enumerate(case.prior_treatments)
        if any(w.startswith(k) for k in _name_keys(t, common) for w in words)
    ]


def _quoted(clause: str, sources: list[str]) -> bool:
    folded = _fold(clause)
    return len(folded) >= 12 and any(folded in s for s in sources)


_PLAIN_WORD_RE = re.compile(r"[a-z0-9]+")


def _in_plan_words(cell: str, plan: list[list[str]]) -> bool:
    """A table cell whose words (four or more) are, in their order, the words of one of the
    plan's texts (the notice, a criterion; each given as its words) with some left out: the
    requirement as the plan wrote it, shortened."""
    words = _PLAIN_WORD_RE.findall(cell.casefold())
    if len(words) < 4:
        return False
    for said in plan:
        at = 0
        for word in words:
            try:
                at = said.index(word, at) + 1
            except ValueError:
                break
        else:
            return True
    return False


def unsupported_claims(ctx: Context) -> list[tuple[str, re.Match[str], int]]:
    """(kind, match, offset of the sentence) for each claim no case fact supports."""
    record = _Record(ctx.draft.case, ctx.case_values[0])
    quoted_sources = [_fold(ctx.letter_ws)]
    quoted_sources += [_fold(c.text) for c in ctx.draft.analysis.criteria]
    # the notice and its criteria, the plan's own words: split once, not at every table row
    plan = [_PLAIN_WORD_RE.findall(source) for source in quoted_sources]
    quoted_sources += [_fold(rp.passage.text) for rp in ctx.draft.passages]
    # a state statute's grounds, stated as the law's (N.Y. Ins. Law 4903(c-1): 'when the required
    # drug is contraindicated ...'), are no claim about this patient
    quoted_sources += [_fold(s) for s in exception_strings(ctx.inputs.drug_exception) if s]
    out: list[tuple[str, re.Match[str], int]] = []
    for name, sec in ctx.doc.sections.items():
        if name in _SKIPPED:
            continue
        body = ctx.markdown[sec.start : sec.end]
        for line_match in re.finditer(r"[^\n]+", body):
            line = line_match.group(0)
            if line.lstrip().startswith(("Guideline (", "The plan requires:", "#")):
                continue  # a guideline's words, the plan's words, a heading
            text = _QUOTE_RE.sub(lambda m: " " * len(m.group(0)), line)
            cell = _FIRST_CELL_RE.match(text)
            if cell is not None and _in_plan_words(cell.group(2), plan):
                # a table row's first cell giving the plan's requirement in its words, shortened
                # ('... contraindication or intolerance to phototherapy ...'): no claim
                text = cell.group(1) + " " * len(cell.group(2)) + text[cell.end() :]
            for sentence in split_sentences(text):
                offset = sec.start + line_match.start() + max(text.find(sentence), 0)
                out += _sentence_claims(record, sentence, quoted_sources, offset)
    return out


_EITHER_RE = re.compile(r"\b(?:or|and/or)\b", re.I)


def _either(sentence: str, kinds: list[str], record: _Record) -> bool:
    """'Tried and failed or not tolerated: topiramate ...': a claim of one kind or another about
    a named treatment holds when the case supports one of them for it."""
    named = _named_treatments(record.case, sentence)
    if not named or not _EITHER_RE.search(sentence):
        return False  # a stock sentence naming no treatment must hold for every kind it claims
    return any(record.supports(k, named) for k in kinds)


def _sentence_claims(
    record: _Record, sentence: str, quoted: list[str], offset: int
) -> list[tuple[str, re.Match[str], int]]:
    asserted = [k for k in CLAIM_KINDS if _asserts(k, sentence)]
    if len(asserted) > 1 and _either(sentence, asserted, record):
        return []
    found = []
    for kind in CLAIM_KINDS:
        m = _asserts(kind, sentence)
        if m is None:
            continue
        clause = next(
            (c.group(0) for c in _CLAUSE_RE.finditer(sentence) if c.start() <= m.start() < c.end()),
            sentence,
        )
        if record.says(clause) or record.says(sentence) or _quoted(clause, quoted):
            continue
        if record.carried(kind, sentence):
            continue
        # "Required: <the plan's words>; documented: ..." states the plan's rule, not a claim
        if sentence.startswith("Required:") and m.start() < sentence.find("; documented:"):
            continue
        if sentence.startswith("The plan requires ") and m.start() < sentence.find("; "):
            continue
        # a comparison's record part ('the record shows 4 failed trials') names the treatments
        # it counts; the plan's words before it ('during the current episode') name none
        about = (
            sentence.split("; ", 1)[-1] if sentence.startswith("The plan requires ") else sentence
        )
        if not record.supports(kind, _named_treatments(record.case, about)):
            found.append((kind, m, offset))
    return found


@check(
    Scope.section,
    codes=[FindingCode.CLAIM_UNSUPPORTED],
    advice={
        FindingCode.CLAIM_UNSUPPORTED: (
            "The section asserts {excerpt} where no case fact states it: remove the claim, or "
            "state only what the case file says about that treatment."
        )
    },
)
def check_claims(ctx: Context) -> list[ValidationFinding]:
    """Each failure, intolerance or contraindication the letter asserts in its own words rests on
    a case fact that states it (for the treatment it names, when it names one)."""
    return [
        finding(
            FindingCode.CLAIM_UNSUPPORTED,
            f"The letter asserts a {kind} that no case fact states; remove it or add the fact "
            "to the case file.",
            span=(offset + m.start(), offset + m.end()),
            excerpt=m.group(0),
        )
        for kind, m, offset in unsupported_claims(ctx)
    ]
