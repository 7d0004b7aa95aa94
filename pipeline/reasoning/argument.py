"""The argument per criterion, from the computed verdicts.

Each section: what the plan requires (quoted) -> only the facts that bear on it -> the comparison
(requirement against the patient's value, per requirement) -> what the fitting guideline
recommends, in the project's words from the cited passage -> where the plan's rule is stricter,
when the passage says so. A criterion the payer called met is not argued; a conceded one asks for
the exception its denial category's spec describes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..evidence import (
    CLINICAL_KINDS,
    choose_passages,
    cite,
    criterion_quote,
    finding_text,
    is_psychiatric,
    select_facts,
    tokens,
    treatment_period,
    treatment_sentence,
)
from ..evidence import (
    case_facts as word_facts,
)
from ..letter_format import one_date_style
from ..models import (
    CaseFacts,
    Criterion,
    CriterionArgument,
    DenialCategory,
    Passage,
    RetrievedPassage,
)
from .exception import conceded_exception
from .facts import Trial, case_facts
from .fit import GENERIC, fits, position
from .grounds import select
from .specs import spec_for, specs
from .verdicts import CriterionVerdict, RequirementVerdict, evaluate, shown

if TYPE_CHECKING:  # the engine contract, read as a type only: the offline engine imports this
    from ..engines.base import ArgumentRequest

MAX_ARGUMENT_CHARS = 4000
_PATH_RE = re.compile(r"^(prior_treatments|objective_findings)\[(\d+)\]$")


def limit_reached(criterion: Criterion) -> bool:
    """A benefit limit the payer says was reached ('30 of 30 plan-year visits have been used'):
    the letter concedes it and asks for the exception instead of arguing the count."""
    spec = specs()[DenialCategory.frequency_limit]
    return spec.states_rule(criterion.text) and spec.applied(criterion.payer_reason or "")


_COUNT_WORDS = {
    "one": 1, "a single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
}  # fmt: skip
_GUIDELINE_COUNT_RE = re.compile(
    r"\b(?:at least|after|following|failure of|failed)\s+(\d+|one|a single|two|three|four|five|six)"
    r"\s+(?:[a-z-]+\s+){0,3}?(trials?|antidepressants?|medications?|agents?|treatments?|classes)\b",
    re.IGNORECASE,
)
_NOT_REQUIRED = (
    r"\b(?:does not require|do not require|not required|no minimum|without requiring|"
    r"does not set|sets no|against requiring)\b"
)
_NOT_REQUIRED_RE = re.compile(r"[^.]*" + _NOT_REQUIRED + r"[^.]*\.", re.IGNORECASE)
_NOT_REQUIRED_WORDS_RE = re.compile(_NOT_REQUIRED, re.IGNORECASE)
"""The words alone: ``_NOT_REQUIRED_RE`` tries every start of a sentence without them (its
``[^.]*`` scans to the period from each), ~2 ms a passage; most passages have none."""


def fact_line(case: CaseFacts, path: str, trial: Trial | None = None) -> str | None:
    """The line stating one case fact, or None for other paths: a treatment as name, dose,
    frequency, class, period and measured outcome. A treatment stated here is not repeated in
    the prior-treatment table, so the line carries what a row would: the period is its dates
    ('since <start> (ongoing)' for an ongoing one), else the case's duration."""
    m = _PATH_RE.match(path)
    if not m:
        return None
    index = int(m.group(2))
    if m.group(1) == "objective_findings":
        return finding_text(case.objective_findings[index]) + "."
    t = case.prior_treatments[index]
    if trial is None:
        return treatment_sentence(t)
    head = " ".join(p for p in (trial.name, t.dose, t.frequency) if p)
    if trial.class_label:
        head += f" ({trial.class_label})"
    when = treatment_period(t, joiner=" – ", lead="") or t.duration or ""
    detail = one_date_style(t.outcome_measure or t.outcome or "")
    text = ", ".join(p for p in (head, when) if p)
    return f"{text}: {detail}." if detail else f"{text}."


def _facts_block(case: CaseFacts, paths: Iterable[str], trials: dict[str, Trial]) -> list[str]:
    lines = [fact_line(case, p, trials.get(p)) for p in paths]
    return [line for line in lines if line]


def criterion_passages(
    passages: list[RetrievedPassage], criterion: Criterion, index: int, cited: set[str],
    case: CaseFacts,
) -> list[Passage]:  # fmt: skip
    """The clinical passage a criterion states, or none: one that fits it (``fit.fits``: retrieved
    for it and about what it asks) and is not already stated under an earlier criterion. Law is
    never placed under a clinical criterion (it belongs to the legal basis); when no clinical
    passage fits, the criterion states none."""
    fitting = [
        rp for rp in passages if rp.passage.id not in cited and fits(rp, index, criterion, case)
    ]
    chosen = choose_passages(fitting, index, cited)
    return [p for p in chosen if p.kind in CLINICAL_KINDS][:1]


def short_source(passage: Passage) -> str:
    """'CANMAT 2016, Section 4, First-line; Level 1 evidence': the body, the edition, where in
    the source, the grade (``Passage.in_text``)."""
    return passage.in_text()


def stricter_sentence(verdict: CriterionVerdict, passage: Passage) -> str | None:
    """Where the plan's rule is stricter than the passage, when the passage supports it."""
    text = " ".join(passage.text.split())
    for rv in verdict.requirements:
        req = rv.requirement
        if req.value is None or req.kind.value not in ("trial_count", "class_count"):
            continue
        for m in _GUIDELINE_COUNT_RE.finditer(text):
            word = m.group(1).lower()
            n = int(word) if word.isdigit() else _COUNT_WORDS.get(word)
            if n is not None and n < req.value:
                return (
                    f"The plan's requirement of {rv.required.split(', ')[0]} is stricter than "
                    "this guideline, "
                    f"which recommends the treatment after {m.group(1)} {m.group(2)}."
                )
    subjects = tokens(" ".join(rv.requirement.subject for rv in verdict.requirements))
    # the criterion's own words count too (a requirement's subject may be only 'duration')
    subjects |= tokens(verdict.criterion.text) - GENERIC
    stated = position(passage)
    sentences = _NOT_REQUIRED_RE.finditer(text) if _NOT_REQUIRED_WORDS_RE.search(text) else ()
    for m in sentences:
        sentence = m.group(0).strip()
        if subjects & tokens(sentence):
            if stated and sentence.rstrip(".") in stated:  # the position line just said it
                return "The plan's rule is stricter than this guideline."
            said = sentence[0].lower() + sentence[1:]
            return f"The plan's rule is stricter than the guideline: {said}"
    return None


def _stated_above(case: CaseFacts, path: str) -> str | None:
    """A fact an earlier criterion stated in full, named briefly (None: not a record)."""
    m = _PATH_RE.match(path)
    if m is None:
        return None
    index = int(m.group(2))
    if m.group(1) == "prior_treatments":
        return f"{case.prior_treatments[index].name} (stated above)."
    return f"{case.objective_findings[index].name} (stated above)."


def _in_comparison(case: CaseFacts, path_or_line: str, compared: list[str]) -> bool:
    """Whether a finding (by path) or a 'stated above' line is already named, with its value, by
    a comparison of the criterion (it is then not listed again above the comparisons)."""
    joined = " ".join(compared)
    m = _PATH_RE.match(path_or_line)
    if m and m.group(1) == "objective_findings":
        finding = case.objective_findings[int(m.group(2))]
        return f"{finding.name}: {finding.value}" in joined
    if path_or_line.endswith("(stated above)."):
        return path_or_line.removesuffix(" (stated above).") in joined
    return False


def _comparison(rv: RequirementVerdict, exception: bool) -> str:
    """The comparison line. A requirement conceded, or one of a criterion whose exception the
    letter asks for, is stated once and consistently: what it requires and what the record
    has, not disputed (never 'not shown' beside the concession)."""
    if rv.status == "met" and not rv.conceded:
        return rv.comparison
    if rv.conceded or exception:
        ask = "; I ask for the exception below" if exception else ""
        return f"Required: {rv.required}; I do not dispute this requirement{ask}."
    return rv.comparison


def fact_names(case: CaseFacts, paths: Iterable[str]) -> str:
    """'KOOS JR and WOMAC (total), above': the facts listed just above a comparison, by name only
    (their values are not stated a second time)."""
    names = []
    for path in paths:
        m = _PATH_RE.match(path)
        if m is None:
            if path.startswith("clinical_summary"):
                names.append("the clinical summary")
            continue
        records = case.prior_treatments if m.group(1) == "prior_treatments" else None
        record = (records or case.objective_findings)[int(m.group(2))]
        names.append(record.name)
    names = list(dict.fromkeys(names))
    if not names:
        return "the facts above"
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{joined}, above"


def comparison_lines(
    verdict: CriterionVerdict,
    exception: bool = False,
    listed: frozenset[str] = frozenset(),
    case: CaseFacts | None = None,
) -> list[str]:
    """One line per stated requirement; requirements without a number that rest on the same
    facts with the same verdict share one line ('Required: face-to-face evaluation, sleep
    test; documented: ...: met.'). A met one whose facts are all in ``listed`` (the facts
    stated above the comparisons) names those facts (``case``) instead of restating them."""
    lines: list[str] = []
    merged: dict[tuple[str, str], list[str]] = {}
    order: list[RequirementVerdict | tuple[str, str]] = []
    exception = exception or verdict.conceded
    for rv in shown(verdict):
        if rv.numeric or rv.conceded or rv.confirm or (exception and rv.status != "met"):
            order.append(rv)
            continue
        # named as 'above' only when every fact is a record stated above (a sentence of the
        # summary or an enclosed record is quoted or named by the verdict itself)
        above = (
            rv.status == "met"
            and rv.evidence
            and set(rv.evidence) <= listed
            and all(_PATH_RE.match(p) for p in rv.evidence)
        )
        shown_above = fact_names(case, rv.evidence) if case is not None else "the facts above"
        key = (shown_above if above else rv.found, rv.status)
        if key not in merged:
            merged[key] = []
            order.append(key)
        merged[key].append(rv.required)
    for item in order:
        if isinstance(item, RequirementVerdict):
            lines.append(_comparison(item, exception))
            continue
        found, status = item
        required = ", ".join(dict.fromkeys(merged[item]))
        word = {"met": "met", "not_met": "not met", "unknown": "not shown"}[status]
        lines.append(f"Required: {required}; documented: {found}: {word}.")
    return list(dict.fromkeys(lines))  # two branches asking the same thing state it once


def write(
    verdict: CriterionVerdict,
    case: CaseFacts,
    passages: list[RetrievedPassage],
    trials: dict[str, Trial],
    categories: list[str],
    cited: set[str],
    stated: set[str],
    conceded_sentence: str | None = None,
) -> CriterionArgument:
    """The argument for one criterion (``conceded_sentence``: the denial ground's sentence for
    a conceded criterion, instead of its category's)."""
    criterion = verdict.criterion
    index = verdict.index
    parts = [criterion_quote(criterion)]
    # a criterion the payer called met needs no support (its passage is kept for the others)
    clinical = (
        [] if verdict.payer_met else criterion_passages(passages, criterion, index, cited, case)
    )
    evidence = list(verdict.evidence)
    if not evidence:  # no fact found by a typed check or by the criterion's words
        facts = select_facts(criterion.text, word_facts(case), is_psychiatric(case))
        evidence = [f.path for f in facts]
        free = [f.sentence for f in facts if not _PATH_RE.match(f.path)]
    else:
        free = []
    if verdict.payer_met:
        parts.append("Your notice records this criterion as met; I do not argue it further.")
    else:
        exception = verdict.conceded or limit_reached(criterion)
        compared = comparison_lines(verdict, exception) if verdict.requirements else []
        fresh = [p for p in evidence if p not in stated and not _in_comparison(case, p, compared)]
        if verdict.requirements:  # what the facts above show is not named again below them
            shown_paths = frozenset(fresh) | {p for p in evidence if p in stated}
            compared = comparison_lines(verdict, exception, shown_paths, case)
        lines = _facts_block(case, fresh, trials)
        lines += [
            x
            for x in (_stated_above(case, p) for p in evidence if p in stated)
            if x and not _in_comparison(case, x, compared)
        ]
        lines += free[:2]
        stated.update(evidence)
        if lines:
            parts.append("The record shows:\n\n" + "\n".join(f"- {line}" for line in lines))
        if verdict.requirements:
            comparisons = "\n".join(f"- {line}" for line in compared)
            parts.append(f"Requirement against the record:\n\n{comparisons}")
        if verdict.conceded and conceded_sentence:  # the denial's ground says what is asked
            parts.append(" ".join(conceded_sentence.split()))
        elif verdict.conceded:
            parts.append(conceded_exception(spec_for(categories), case)[0])
        elif limit_reached(criterion):
            parts.append(spec_for(["frequency_limit"]).exception)
            if spec_for(["frequency_limit"]).asks_exception(criterion.text):
                parts.append("This letter is my written request for that exception.")
    for passage in clinical:
        guideline = (position(passage) or passage.text).rstrip(".")
        guideline = f"Guideline ({short_source(passage)}): {guideline} {cite(passage.id)}."
        stricter = stricter_sentence(verdict, passage) if not verdict.payer_met else None
        parts.append(f"{guideline} {stricter}" if stricter else guideline)
        cited.add(passage.id)
    text = "\n\n".join(parts)
    if len(text) > MAX_ARGUMENT_CHARS:
        text = text[: MAX_ARGUMENT_CHARS - 2].rsplit("\n", 1)[0]
    return CriterionArgument(
        criterion_index=index,
        argument=text,
        passage_ids=[p.id for p in clinical],
        evidence=evidence[:20],
    )


def argue(request: ArgumentRequest) -> list[CriterionArgument]:
    """One argument per criterion of the analysis, in order, from the computed verdicts."""
    verdicts = request.verdicts
    if verdicts is None:
        verdicts = evaluate(request.analysis, request.case)
    trials = {t.path: t for t in case_facts(request.case).trials}
    categories = [c.value for c in request.analysis.denial_categories]
    cited: set[str] = set()
    stated: set[str] = set()
    ground = select(request.analysis, request.letter_text)
    conceded = ground.spec.conceded_sentence if ground else None
    return [
        write(v, request.case, request.passages, trials, categories, cited, stated, conceded)
        for v in verdicts
    ]
