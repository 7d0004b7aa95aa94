"""The argument per criterion, from the computed verdicts.

Each section: what the plan requires (quoted) -> only the facts that bear on it -> the comparison
(requirement against the patient's value, per requirement) -> what the fitting guideline
recommends, in the project's words from the cited passage -> where the plan's rule is stricter,
when the passage says so. A criterion the payer called met is not argued; a conceded one asks for
the exception its denial category's spec describes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .. import letter_format as lf
from ..evidence import (
    CLINICAL_KINDS,
    FACTS_LEAD,
    choose_passages,
    cite,
    criterion_quote,
    dose_and_frequency,
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
from ..letter_format import fmt_date, one_date_style, short_record_name
from ..models import (
    COMPARISON_LEAD,
    NO_HOME,
    CaseFacts,
    Criterion,
    CriterionArgument,
    DenialCategory,
    Finding,
    Passage,
    Placement,
    PlanType,
    PriorTreatment,
    RetrievedPassage,
    comparison_sentence,
)
from ..text.sentences import split_sentences
from .exception import conceded_exception
from .facts import Trial, case_facts
from .fit import (
    GENERIC,
    fits,
    governing_rule,
    guideline_line,
    named_rules,
    overlap,
    position,
    rule_name,
    rule_number,
    stricter_sentences,
    topic_words,
)
from .grounds import select
from .pending import is_pending
from .plans import plan_spec
from .specs import says, spec_for, specs
from .strategy import alternative_sentence, concession_spec, open_asks
from .verdicts import (
    CriterionVerdict,
    RequirementVerdict,
    evaluate,
    events_unanswered,
    instrument_unshown,
    shown,
    speakable,
    well_formed,
)
from .wording import requirement_words, subject_words, within_words

if TYPE_CHECKING:  # the engine contract, read as a type only: the offline engine imports this
    from ..engines.base import ArgumentRequest

MAX_ARGUMENT_CHARS = 4000
"""The lead of a criterion's comparison sentences."""
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
    ('since <start> (ongoing)' for an ongoing one), the case's duration before a start date
    given alone ('3 sessions, from <start>'), else the case's duration."""
    m = _PATH_RE.match(path)
    if not m:
        return None
    index = int(m.group(2))
    if m.group(1) == "objective_findings":
        finding = case.objective_findings[index]
        return finding_text(finding, dated=not is_pending(finding.value)) + "."
    t = case.prior_treatments[index]
    if trial is None:
        return treatment_sentence(t)
    head = dose_and_frequency(trial.name, t.dose, t.frequency)
    if trial.class_label:
        head += f" ({trial.class_label})"
    when = treatment_period(t, joiner=" – ", lead="") or t.duration or ""
    if t.duration and not (t.start and t.end) and not t.ongoing:
        # one date says when it began or ended, not for how long: the case's duration does
        when = ", ".join(p for p in (t.duration, treatment_period(t)) if p)
    detail = one_date_style(t.outcome_measure or t.outcome or "")
    text = ", ".join(p for p in (head, when) if p)
    return f"{text}: {detail}." if detail else f"{text}."


_RECORD_WORDS = frozenset(
    {
        "consultation", "consult", "evaluation", "assessment", "note", "notes", "report",
        "record", "records", "written", "visit", "initial", "repeat", "follow-up", "summary",
        "letter", "review",
    }
)  # fmt: skip
"""Words that say what kind of record a finding is, not what it is about."""
_NAME_WORD_RE = re.compile(r"[a-z][a-z0-9-]+")


def _name_words(text: str) -> frozenset[str]:
    """The words of a text, lower-cased, as a record's name is matched against a criterion
    (no stop list: 'medical' tells a medical from a radiation oncology consultation)."""
    return frozenset(_NAME_WORD_RE.findall(text.lower()))


def records_named(text: str, case: CaseFacts) -> list[str]:
    """The findings a criterion names as records ('as documented by a thoracic or surgical
    oncology evaluation': the 'Thoracic surgery consultation'; 'a medical oncology evaluation':
    the 'Medical oncology written consultation', not the 'Radiation oncology consultation'):
    every word of the finding's name, less its parentheses and the words for a kind of record,
    is a word of the criterion."""
    words = _name_words(text)
    named = []
    for i, finding in enumerate(case.objective_findings):
        own = _name_words(re.sub(r"\([^()]*\)", " ", finding.name)) - _RECORD_WORDS
        if own and own <= words:
            named.append(f"objective_findings[{i}]")
    return named


def _facts_block(case: CaseFacts, paths: Iterable[str], trials: dict[str, Trial]) -> list[str]:
    lines = [fact_line(case, p, trials.get(p)) for p in paths]
    return [line for line in lines if line]


def criterion_passages(
    passages: list[RetrievedPassage], criterion: Criterion, index: int, cited: set[str],
    case: CaseFacts, homes: dict[str, int] | None = None, plan_type: PlanType | None = None,
) -> list[Passage]:  # fmt: skip
    """The clinical passage a criterion states, or none: one that fits it (``fit.fits``: retrieved
    for it and about what it asks) and is not already stated under an earlier criterion. Law is
    never placed under a clinical criterion (it belongs to the legal basis); when no clinical
    passage fits, the criterion states none. The physician's own sources come first, then the
    passage placed under this criterion (``homes``: :func:`passage_homes`), else, of the others
    no other criterion is given, the one sharing the most of what the criterion asks."""
    homes = homes or {}
    topic = topic_words(criterion, case)
    fitting = [
        rp
        for rp in passages
        if rp.passage.id not in cited
        and homes.get(rp.passage.id, index) == index
        and fits(rp, index, topic, case, plan_type)
    ]
    shared = {rp.passage.id: overlap(rp, topic) for rp in fitting}
    most = max(shared.values(), default=0)
    best = [
        rp for rp in fitting if rp.passage.supplied_by_physician or shared[rp.passage.id] == most
    ]
    chosen = choose_passages(best, index, cited)
    return [p for p in chosen if p.kind in CLINICAL_KINDS][:1]


def _argued(verdict: CriterionVerdict) -> bool:
    """The criterion is argued in a section of its own: not found met or not applicable by the
    notice, and not one the letter does not rely on (another alternative is met) or accepts."""
    return not (
        verdict.payer_met or verdict.not_applicable or verdict.alternative or verdict.accepted
    )


def passage_homes(
    passages: list[RetrievedPassage],
    verdicts: list[CriterionVerdict],
    case: CaseFacts,
    plan_type: PlanType | None = None,
) -> dict[str, int]:
    """Passage id -> the argued criterion (:func:`_argued`) it is stated under: each criterion
    gets at most one passage and each passage one criterion, the pairs sharing the most content
    words first (a guideline on assessing family history under the family-history criterion,
    not under an earlier one it touches by a word).

    The physician's own sources are placed first, each under the criterion it shares the most
    with, or under none (:data:`NO_HOME`) when that criterion is one the letter does not argue
    (found met by the notice, not applicable, conceded): a device's approval that answers the
    notice's met 'skeletally mature' criterion is not moved under a failed-care criterion it
    touches by one word. A physician's source that fits a criterion outranks every corpus
    passage there. A corpus passage then goes under the argued criterion without a passage
    that it states a position on (``fit.fits``), the one it shares most with first; one whose
    best criterion a physician's source took is stated under none either, not moved to one it
    is less about (a label's indication under a criterion on combining drugs, by the word
    'systemic'). The validator asks for no citation the placement leaves out."""
    homes: dict[str, int] = {}
    taken_by_physician: set[int] = set()
    topics = [topic_words(v.criterion, case) for v in verdicts]
    for physician in (True, False):
        pairs = sorted(
            (-overlap(rp, topic), not _argued(v), v.index, rp.rank, rp.passage.id)
            for rp in passages
            if rp.passage.kind in CLINICAL_KINDS and rp.passage.supplied_by_physician is physician
            for v, topic in zip(verdicts, topics, strict=True)
            if fits(rp, v.index, topic, case, plan_type) and (physician or _argued(v))
        )
        for _, unargued, index, _, pid in pairs:
            if pid in homes:
                continue
            if unargued or index in taken_by_physician:
                homes[pid] = NO_HOME
            elif index not in homes.values():
                homes[pid] = index
                if physician:
                    taken_by_physician.add(index)
    return homes


def place(
    passages: list[RetrievedPassage],
    verdicts: list[CriterionVerdict],
    case: CaseFacts,
    plan_type: PlanType | None = None,
) -> Placement:
    """Where the template drafter states each passage, worked out once per draft: the homes
    (:func:`passage_homes`), then, criterion by criterion in order, the passage it states
    (:func:`criterion_passages`, none already stated under an earlier one) and the passages
    that fit it (``fit.fits``). A criterion the letter answers in a line of its own states
    none: one the notice found met (it needs no support; its passage is kept for the others),
    one that does not apply, and an alternative not relied on."""
    homes = passage_homes(passages, verdicts, case, plan_type)
    patient = case.patient.name or "the patient"
    cited: set[str] = set()
    stated: dict[int, list[str]] = {}
    fitting: dict[int, list[str]] = {}
    for v in verdicts:
        topic = topic_words(v.criterion, case)
        fitting[v.index] = [
            rp.passage.id for rp in passages if fits(rp, v.index, topic, case, plan_type)
        ]
        alone = v.alternative and alternative_sentence(verdicts, patient, v)
        chosen = (
            []
            if v.payer_met or v.not_applicable or alone
            else criterion_passages(passages, v.criterion, v.index, cited, case, homes, plan_type)
        )
        stated[v.index] = [p.id for p in chosen]
        cited.update(stated[v.index])
    return Placement(homes=homes, stated=stated, fitting=fitting)


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


def _stated_above(
    case: CaseFacts, paths: list[str], where: dict[str, int], labels: list[str] | None = None
) -> str | None:
    """One line naming the facts an earlier criterion stated in full ('Methotrexate and
    Sulfasalazine, set out under criterion 1, count here too.'), or None (``labels``: the
    criteria as the letter names them; None: numbers from 1)."""
    names = []
    for path in paths:
        m = _PATH_RE.match(path)
        if m is None:
            continue
        records = case.prior_treatments if m.group(1) == "prior_treatments" else None
        names.append(short_record_name((records or case.objective_findings)[int(m.group(2))].name))
    names = list(dict.fromkeys(names))
    if not names:
        return None
    numbers = sorted({where[p] for p in paths if p in where})
    under = " and ".join(labels[n] if labels else str(n + 1) for n in numbers)
    noun = "criteria" if len(numbers) > 1 else "criterion"
    verb = "bear" if len(names) > 1 else "bears"
    return f"As set out under {noun} {under}, {_joined(names)} also {verb} on this criterion."


_ORDER_SHARED_WORDS = 2
"""How many content words a sentence of the order shares with a criterion to answer it."""


def _order_sentence(asks: str, details: str) -> list[str]:
    """The one sentence of the physician's order (the service's details) that answers a
    criterion about the request itself, by the content words it shares with it ('Monotherapy:
    secukinumab has been stopped and will not be combined with any other biologic' for 'Will
    not be used together with another biologic'); [] when none shares enough."""
    asked = tokens(asks) - GENERIC
    scored = [(len(tokens(sentence) & asked), sentence) for sentence in split_sentences(details)]
    best = max(scored, default=(0, ""), key=lambda pair: pair[0])
    return [best[1]] if best[0] >= _ORDER_SHARED_WORDS else []


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _plural(name: str) -> bool:
    """'Standing AP, lateral and sunrise radiographs': a record named in the plural."""
    last = re.sub(r"\s*\([^)]*\)", "", name).split(",")[0].split()
    return bool(last) and last[-1].endswith("s") and not last[-1].endswith(("ss", "is"))


def _same_day(phrases: list[str]) -> str:
    """Findings of one day joined with the date said once ('KOOS JR 38 and WOMAC 62/96 on
    October 22, 2026'); of several days, each with its own."""
    days = {p.rpartition(" on ")[2] for p in phrases}
    if len(phrases) > 1 and len(days) == 1 and all(" on " in p for p in phrases):
        return _joined([p.rpartition(" on ")[0] for p in phrases]) + f" on {days.pop()}"
    return _joined(phrases)


def _repeats(rv: RequirementVerdict, others: list[RequirementVerdict]) -> bool:
    """A requirement the reader read twice (a subject and a shorter cut of it, same amount and
    same finding): stated once, under the longer subject."""
    req = rv.requirement
    return any(
        o is not rv
        and o.requirement.kind == req.kind
        and (o.requirement.comparator, o.requirement.value, o.requirement.unit)
        == (req.comparator, req.value, req.unit)
        and o.found == rv.found
        and o.status == rv.status
        and len(o.requirement.subject) > len(req.subject)
        and req.subject.lower() in o.requirement.subject.lower()
        for o in others
    )


_SHORT_VALUE_CHARS = 40
"""A finding whose value is this short is stated whole in its comparison sentence (and is then
not listed again above it); a longer one is listed above and named in the comparison."""


def _finding_phrase(case: CaseFacts, path: str) -> str | None:
    """'QuantiFERON-TB Gold Plus negative on October 28, 2026': a short finding whole, for a
    comparison sentence (None: not a finding, or too long to state in one)."""
    m = _PATH_RE.match(path)
    if m is None or m.group(1) != "objective_findings":
        return None
    f = case.objective_findings[int(m.group(2))]
    if len(f.value) > _SHORT_VALUE_CHARS:
        return None
    value = f.value
    if value[:1].isupper() and value[1:].islower():  # 'Negative' -> 'negative'
        value = value.lower()
    when = f" on {fmt_date(f.date)}" if f.date else ""
    return f"{f.name} {value}{when}"


def _in_comparison(case: CaseFacts, path_or_line: str, compared: list[str]) -> bool:
    """Whether a finding (by path) is already stated, with its value and date, by one of the
    criterion's comparison sentences (it is then not listed again above them)."""
    m = _PATH_RE.match(path_or_line)
    if not m or m.group(1) != "objective_findings":
        return False
    finding = case.objective_findings[int(m.group(2))]
    phrase = _finding_phrase(case, path_or_line)
    number = re.search(r"\d+(?:\.\d+)?", finding.value)
    when = fmt_date(finding.date) if finding.date else ""
    head = short_record_name(finding.name).split()[0] if finding.name.split() else ""
    for line in compared:
        if phrase and phrase in line:
            return True
        if (
            phrase  # a short value: the comparison's figure is the whole finding
            and number
            and when in line
            and head in line
            and re.search(rf"(?<![\d.]){re.escape(number.group(0))}(?![\d.])", line)
        ):
            return True
    return False


def _comparison(rv: RequirementVerdict, exception: bool) -> str:
    """The comparison sentence. A requirement conceded, or one of a criterion whose exception
    the letter asks for, is stated once and consistently: what it requires, not disputed
    (never 'not shown' beside the concession)."""
    if (rv.status == "met" and not rv.conceded) or rv.pending:
        return rv.comparison
    if rv.conceded or exception:
        ask = "; I ask for the exception below" if exception else ""
        return f"{COMPARISON_LEAD}{rv.required}; I do not dispute this requirement{ask}."
    return rv.comparison


def argued(rv: RequirementVerdict, exception: bool = False) -> bool:
    """Whether the letter states a requirement's comparison: one the record meets, one the
    payer's finding grants, one conceded or under the exception the letter asks for. One the
    record does not meet or does not show is a gap for the physician (named with the case field
    that answers it, by the CLI and the review), never a sentence of the physician's own letter
    arguing the plan's side; nor is one the code only guesses a record answers ('the record
    states: Transthoracic echocardiogram' under 'mitral valve prolapse', which the echo rules
    out) or our own summary quoted back as its evidence: the facts listed above it stand. One
    still pending is stated as such, its result never claimed."""
    return rv.status == "met" or rv.payer_met or rv.conceded or exception or rv.pending


def record_at(case: CaseFacts, path: str) -> PriorTreatment | Finding | None:
    """The treatment or finding a fact path names ('prior_treatments[2]'); None for any other
    path (the clinical summary's sentences, the service) or one past the case's records."""
    m = _PATH_RE.match(path)
    if m is None:
        return None
    rows = case.prior_treatments if m.group(1) == "prior_treatments" else case.objective_findings
    index = int(m.group(2))
    return rows[index] if index < len(rows) else None


def fact_names(case: CaseFacts, paths: Iterable[str]) -> str:
    """'KOOS JR and WOMAC (total)': the facts listed above a comparison, by name only (their
    values are not stated a second time)."""
    names = []
    for path in paths:
        record = record_at(case, path)
        if record is None:
            if path.startswith("clinical_summary"):
                names.append("the clinical summary")
            continue
        names.append(record.name)
    names = list(dict.fromkeys(names))
    return _joined(names) if names else "the facts"


_DATED_RE = re.compile(r"^(?P<date>[A-Z][a-z]+ \d{1,2}, \d{4}), (?P<ago>\d.*)$")


def _window_host(rv: RequirementVerdict, shown_rvs: list[RequirementVerdict]) -> int | None:
    """The requirement a time window governs (same branch and status, sharing its evidence):
    the window is stated in that requirement's sentence, not in one of its own."""
    if rv.requirement.kind.value != "time_window" or rv.conceded or not rv.evidence:
        return None
    for i, other in enumerate(shown_rvs):
        if (
            other is not rv
            and other.requirement.kind.value != "time_window"
            and other.requirement.branch == rv.requirement.branch
            and other.status == rv.status
            and not other.conceded
            and set(other.evidence) & set(rv.evidence)
        ):
            return i
    return None


def _with_window(required: str, found: str, window: RequirementVerdict) -> tuple[str, str]:
    """A requirement's words and value with the time window that governs it folded in: 'DAS28-CRP
    above 3.2 within 90 days'; 'DAS28-CRP 5.6 on September 22, 2026, 15 days before ...'."""
    req = window.requirement
    if "within" not in required and req.value is not None:
        required = f"{required} {within_words(req)}"
    dated = _DATED_RE.match(window.found)
    if dated and dated.group("date") in found:
        at = found.index(dated.group("date")) + len(dated.group("date"))
        found = f"{found[:at]}, {dated.group('ago')}{found[at:]}"
    elif dated:
        found = f"{found}, dated {window.found}"
    return required, found


def _merged_words(rvs: list[RequirementVerdict]) -> str:
    """Requirements resting on the same facts, stated once: each subject once (one contained in
    another is dropped), joined with 'and', the shared time window once at the end."""
    phrases: list[str] = []
    for rv in rvs:
        phrase = requirement_words(rv.requirement, window=False) if rv.requirement else rv.required
        phrases.append(phrase)
    phrases = list(dict.fromkeys(phrases))
    kept = [
        p for p in phrases
        if not any(p != q and p.lower() in q.lower() for q in phrases)
    ]  # fmt: skip
    windows = list(dict.fromkeys(subject_words(rv.requirement.window) for rv in rvs
                                 if rv.requirement.window))  # fmt: skip
    text = _joined(kept)
    return text + "".join(f" {w}" for w in windows if w.lower() not in text.lower())


def _pending_line(rvs: list[RequirementVerdict]) -> str:
    """The requirements a record still to come answers, in one sentence with the record once
    (never the same sentence under each of them). The result is not stated, so neither is a
    threshold it will be held to: the requirements without a number are named when there are
    any (a mammogram within 12 months, not 'BI-RADS of at least 1' beside it)."""
    named = [rv for rv in rvs if not rv.numeric] or rvs
    # the record itself, where one is named, rather than a sentence of the summary about it
    recorded = [rv for rv in rvs if any(_PATH_RE.match(p) for p in rv.evidence)] or rvs
    found = "; ".join(dict.fromkeys(rv.found for rv in recorded))
    merged = named[0].model_copy(update={"required": _merged_words(named), "found": found})
    return merged.comparison


def _foldable(rv: RequirementVerdict) -> bool:
    """A met requirement without a number, resting on facts of the case (it can share the
    sentence of a numeric requirement resting on the same facts)."""
    return (
        not rv.numeric
        and rv.status == "met"
        and not rv.conceded
        and not rv.confirm
        and bool(rv.evidence)
        and rv.requirement.kind.value != "time_window"
    )


def comparison_lines(
    verdict: CriterionVerdict,
    exception: bool = False,
    listed: frozenset[str] = frozenset(),
    case: CaseFacts | None = None,
) -> list[str]:
    """One sentence per stated requirement. Requirements without a number that rest on the same
    facts with the same verdict share one sentence ('The plan requires a face-to-face
    evaluation and a sleep test; ...'); a time window is stated in the sentence of the
    requirement it governs. A met one whose facts are short findings states them whole; one
    whose facts are all in ``listed`` (the facts stated above the comparisons) names them
    (``case``) instead of restating them."""
    exception = exception or (verdict.conceded and not verdict.accepted)
    # a sentence the computation cannot make right is left out (a garbled subject, a quote
    # standing in for a value, a count of nothing matched), and so is one the letter does not
    # argue (a requirement the record does not meet or show: the physician's gap); the line
    # the physician confirms is kept when nothing else names a fact here
    shown_rvs = (
        [rv for rv in shown(verdict) if speakable(rv, verdict.criterion) and argued(rv, exception)]
        or [
            rv
            for rv in shown(verdict)
            if rv.confirm
            and well_formed(rv.requirement, verdict.criterion)
            and argued(rv, exception)
        ]
        or [  # a section is never left without the fact it rests on (the validator's no_evidence)
            rv for rv in shown(verdict) if rv.evidence and argued(rv, exception)
        ]
    )
    shown_rvs = [rv for rv in shown_rvs if not _repeats(rv, shown_rvs)]
    windows: dict[int, RequirementVerdict] = {}
    skip: set[int] = set()
    for i, rv in enumerate(shown_rvs):
        host = _window_host(rv, shown_rvs)
        if host is not None and host not in windows:
            windows[host] = rv
            skip.add(i)
    # a requirement without a number that rests on exactly the facts of a met measurement
    # ('a validated scale' beside 'MADRS of at least 28', both MADRS 34) is stated in that
    # one's sentence: the patient's value is said once (a count's or a duration's value does
    # not show what a dose requirement asks, so those stay apart)
    for i, rv in enumerate(shown_rvs):
        if i in skip or not _foldable(rv):
            continue
        host = next(
            (
                j
                for j, other in enumerate(shown_rvs)
                if j != i
                and j not in skip
                and other.numeric
                and other.requirement.kind.value == "threshold"  # one measured value
                and other.status == "met"
                and not other.conceded
                and set(other.evidence) == set(rv.evidence)
            ),
            None,
        )
        if host is not None:
            same_window = rv.requirement.window == shown_rvs[host].requirement.window
            words = requirement_words(rv.requirement, window=not same_window)
            said = shown_rvs[host].required
            # a requirement the host's words already name is not named again ('flexion-extension
            # radiographs and flexion-extension radiographs and ...')
            both = said if words.lower() in said.lower() else f"{words} and {said}"
            shown_rvs[host] = shown_rvs[host].model_copy(update={"required": both})
            skip.add(i)
    merged: dict[tuple[str, str, int], list[int]] = {}
    order: list[int | tuple[str, str, int]] = []
    for i, rv in enumerate(shown_rvs):
        if i in skip:
            continue
        if rv.pending:  # what one record still to come answers: said once for them all
            key = ("", "pending", rv.requirement.branch)
            if key not in merged:
                merged[key] = []
                order.append(key)
            merged[key].append(i)
            continue
        if rv.numeric or rv.conceded or rv.confirm or (exception and rv.status != "met"):
            order.append(i)
            continue
        key = (rv.found if rv.status != "met" else "|".join(rv.evidence) or rv.found,
               rv.status, rv.requirement.branch)  # fmt: skip
        if key not in merged:
            merged[key] = []
            order.append(key)
        merged[key].append(i)
    lines: list[str] = []
    for item in order:
        if isinstance(item, int):
            rv = shown_rvs[item]
            if item in windows and rv.status == "met" and not rv.conceded:
                required, found = _with_window(rv.required, rv.found, windows[item])
                lines.append(comparison_sentence(required, found, rv.status, rv.requirement.unit))
            elif _DATED_RE.match(rv.found) and case is not None and rv.evidence:
                # a date alone stands for nothing: the record it dates is named with it
                dated = _DATED_RE.match(rv.found)
                assert dated is not None
                named = _finding_phrase(case, rv.evidence[0])
                if named and dated.group("date") in named:
                    found = f"{named}, {dated.group('ago')}"
                else:
                    found = f"{fact_names(case, rv.evidence[:1])} of {rv.found}"
                lines.append(comparison_sentence(rv.required, found, rv.status))
            else:
                lines.append(_comparison(rv, exception))
            continue
        rvs = [shown_rvs[i] for i in merged[item]]
        if rvs[0].pending:
            lines.append(_pending_line(rvs))
            continue
        required = _merged_words(rvs)
        found, status = rvs[0].found, rvs[0].status
        window = next((windows[i] for i in merged[item] if i in windows), None)
        evidence = list(dict.fromkeys(p for rv in rvs for p in rv.evidence))
        phrases = [_finding_phrase(case, p) for p in evidence] if case is not None else [None]
        # named as 'listed above' only when every fact is a record stated above (a sentence of
        # the summary or an enclosed record is quoted or named by the verdict itself)
        above = (
            status == "met"
            and evidence
            and set(evidence) <= listed
            and all(_PATH_RE.match(p) for p in evidence)
        )
        if status == "met" and evidence and all(phrases):
            found = _same_day([p for p in phrases if p])
        elif above and case is not None:
            names = fact_names(case, evidence)
            when = f", dated {window.found}" if window is not None else ""
            if window is not None and "within" not in required and window.requirement.value:
                required = f"{required} {within_words(window.requirement)}"
            verb = "meet" if len(evidence) > 1 or _plural(names) else "meets"
            lines.append(f"{COMPARISON_LEAD}{required}; {names}, listed above{when}, {verb} it.")
            continue
        if window is not None and status == "met":
            required, found = _with_window(required, found, window)
        lines.append(comparison_sentence(required, found, status))
    # two branches asking the same thing state it once; a window is said once per paragraph;
    # a requirement that does not read as English is not compared in words at all
    lines = [line for line in lines if reads_as_requirement(line)]
    return _window_said_once(list(dict.fromkeys(lines)), shown_rvs)


_CUT_END_WORDS = frozenset(
    {
        "shows", "show", "shown", "demonstrates", "indicates", "documents", "is", "are", "was",
        "were", "be", "been", "has", "have", "had", "must", "should", "will", "can", "may",
        "that", "which", "who", "the", "a", "an", "of", "to", "by", "for", "with", "and", "or",
        "in", "on", "at", "from", "as", "than", "not", "during", "before", "after", "within",
        "over", "under", "into", "between", "until", "against", "without", "through", "per",
        "via", "about", "among",
    }
)  # fmt: skip
_CLAUSE_START_RE = re.compile(
    r"^(?:(?:[Ii]s|[Aa]re|[Dd]oes|[Dd]o|[Cc]an|[Ww]ill|[Ww]as|[Ww]ere|[Hh]as|[Hh]ave|[Ww]e|[Oo]ur"
    r"|[Ii]t)\b|(?:The|A|An|This|These|If|When)\s)"
)
"""A question ('is the service medically necessary?'), the notice's voice ('we did not decide
this') or a sentence's capital ('The member ...'): no requirement's name."""


def reads_as_requirement(line: str) -> bool:
    """Whether a comparison sentence names its requirement as a phrase a reader can follow: not a
    clause cut mid-way ('The plan requires a comparative dosimetric plan prepared by the treating
    center shows; ...'), a question ('is the service medically necessary?') or the notice's own
    sentence ('we did not decide this', 'the patient's condition requires ...'). A line that is
    no comparison is kept."""
    if not line.startswith(COMPARISON_LEAD):
        return True
    required = line[len(COMPARISON_LEAD) :].split("; ")[0].strip()
    words = required.lower().rstrip(".,;:").split()
    if not words or "?" in required or _CLAUSE_START_RE.match(required):
        return False
    if "requires" in words or "require" in words:  # the notice's sentence pasted whole
        return False
    return words[-1] not in _CUT_END_WORDS


def _window_said_once(lines: list[str], rvs: list[RequirementVerdict]) -> list[str]:
    """The comparison sentences with a time window the criterion's requirements share ('during
    the current depressive episode') stated in the first requirement that names it, not again
    in each later one of the same paragraph ('The plan requires at least 2 classes; ...')."""
    windows = {subject_words(rv.requirement.window) for rv in rvs if rv.requirement.window}
    said: set[str] = set()
    out = []
    for line in lines:
        head, sep, rest = line.partition("; ")
        if not sep or not head.startswith(COMPARISON_LEAD):
            out.append(line)
            continue
        for window in sorted(windows, key=len, reverse=True):
            if f" {window}" not in head:
                continue
            if window in said and head.rstrip().endswith(window):
                head = head[: -len(window) - 1]  # the window closes the requirement's words
            said.add(window)
        out.append(f"{head}{sep}{rest}")
    return out


def conceded_reason(verdict: CriterionVerdict, case: CaseFacts) -> str:
    """Under a criterion the physician concedes, the case's own reason it cannot be met: the
    concession's stated reason, else the first sentence of the summary or of a treatment's
    outcome that names the criterion's subject and a reason word (``concession.yaml``);
    '' when the case gives none."""
    spec = concession_spec()
    given = next(
        (c.reason for c in case.conceded if c.criterion == verdict.index + 1 and c.reason), None
    )
    if given is None:
        subject = {w for w in tokens(verdict.criterion.text) - GENERIC if len(w) > 3}
        texts = [case.clinical_summary or "", *(t.outcome or "" for t in case.prior_treatments)]
        given = next(
            (
                s
                for text in texts
                for s in split_sentences(text, flatten=True)
                if subject & tokens(s) and says(spec.reason_words, s)
            ),
            None,
        )
    if not given:
        return ""
    reason = one_date_style(given.strip().rstrip("."))
    return spec.reason_sentence.format(reason=reason[:1].lower() + reason[1:])


_NUMBER_WORDS = {v: k for k, v in _COUNT_WORDS.items()}
"""6 -> 'six': a rule may spell out the number the plan writes in digits."""


_COUNTED = frozenset({"", "trial", "course", "class", "treatment", "attempt", "medication"})
"""Units of a count whose threshold of one names no more than the subject."""


def _rule_states(rv: RequirementVerdict, text: str) -> bool:
    """Whether the coverage rule's text states the requirement: its threshold with its unit
    ('6 months', 'six months') for a numeric one; for another, any word of its subject."""
    req = rv.requirement
    if req.value is not None and req.value <= 1 and (req.unit or "").rstrip("s") in _COUNTED:
        return True  # 'at least 1 trial' is the subject itself, not a threshold beyond it
    if req.value is not None:
        number = f"{req.value:g}"
        spelled = _NUMBER_WORDS.get(int(req.value)) if req.value.is_integer() else None
        said = "|".join(re.escape(n) for n in (number, spelled) if n)
        unit = re.escape((req.unit or "").rstrip("s")[:5])
        after = rf"[- ]?(?:\(\w+\) )?{unit}" if unit else ""
        return re.search(rf"\b(?:{said}){after}", text, re.IGNORECASE) is not None
    words = {w for w in tokens(req.subject) - GENERIC if len(w) > 3}
    return not words or bool(words & tokens(text))


def beyond_rule_line(
    verdict: CriterionVerdict,
    passages: list[RetrievedPassage],
    plan_type: PlanType | None,
    letter_text: str,
    case: CaseFacts | None = None,
) -> str:
    """Under a plan the law holds to Medicare's coverage rules (the plan type's
    ``beyond_rule``), the sentence saying that the criterion asks for more than the NCD or LCD
    that governs the service: a threshold of the rule its own words state stricter (the
    notice's 40% where the current NCD sets 60%: :func:`fit.stricter_sentences`, with the
    patient's value from ``case``), else its first requirement the record does not meet that
    the rule does not state. '' when the plan type has no such sentence, no rule was retrieved,
    the criterion is met, conceded or an unneeded alternative, or the rule states each
    requirement as the criterion does."""
    if plan_type is None or verdict.payer_met or verdict.conceded or verdict.alternative:
        return ""
    template = plan_spec(plan_type).for_letter(letter_text).beyond_rule
    rule = governing_rule(passages, plan_type, letter_text) if template else None
    name = rule_name(rule) if rule is not None else None
    if template is None or rule is None or name is None:
        return ""
    number = rule_number(rule)
    parts = [rp.passage for rp in passages if rule_number(rp.passage) == number]
    asked = verdict.criterion.text
    stricter = stricter_sentences(parts, number, asked, case, plan_type) if number else ""
    if stricter:
        return stricter  # the notice applies the rule with an outdated or stricter figure
    source = verdict.criterion.source or ""
    if named_rules(source) or (not source and number in named_rules(letter_text)):
        return ""  # the criterion is the rule's own (the notice applies the NCD itself)
    text = " ".join(rp.passage.text for rp in passages if rule_number(rp.passage) == number)
    text = " ".join(text.split())
    for rv in verdict.requirements:
        if rv.status != "met" and not rv.conceded and not _rule_states(rv, text):
            said = template.format(rule=f"{name} {cite(rule.id)}", required=rv.required)
            return " ".join(said.split())
    return ""


def _other_scale(verdict: CriterionVerdict, case: CaseFacts, path: str) -> bool:
    """Whether a fact matched by the criterion's words is another scale's result than the one it
    asks for (:func:`~.verdicts.instrument_unshown`)."""
    m = _PATH_RE.match(path)
    if m is None or m.group(1) != "objective_findings":
        return False
    finding = case.objective_findings[int(m.group(2))]
    said = " ".join(p for p in (finding.name, finding.value) if p)
    return instrument_unshown(verdict, said, finding.kind == "rating_scale")


_SHORTFALL_NOT_RE = re.compile(
    r"\bmet\b|\bsatisf|\bdoes not apply\b|\bnot applicable\b|\bapproved?\b", re.IGNORECASE
)
"""A sentence of the reviewer's reason that finds something met, satisfied, not applying or
approved: it speaks of another part of the notice, not of what this criterion lacks."""
MAX_REASON_FACTS = 3
"""At most this many records added to a criterion's facts for the reviewer's stated reason."""
MIN_REASON_WORDS = 2
"""A record answers the reviewer's reason when it shares at least this many of its words ..."""
MIN_REASON_WEIGHT = 1.0
"""... and they weigh at least this much, each word 1 / the number of records it is in."""


_LABEL_LEAD_RE = re.compile(
    r"(?<![\w.])(?:[IVX]+\.[A-Z]|\d+(?:\.\d+)+(?:\([a-z]\))?|[A-Z]\d?|\(\w{1,3}\))\s*:\s"
)
"""A criterion's label leading its part of a reason that answers several ('II.A: ...',
'4.3.2(b): ...', '(3): ...')."""
_DATE_WORDS = tokens(
    "january february march april may june july august september october november december "
    "dated submitted received"
)
"""Words of a reviewer's reason that date or route a record, not what it shows."""


def _own_part(reason: str, label: str | None) -> str:
    """The part of a reason that answers several criteria led by this criterion's label
    ('II.A: sertraline qualifies ... II.B: not applicable; ...' -> 'not applicable; ...'),
    else the whole reason."""
    leads = list(_LABEL_LEAD_RE.finditer(reason))
    own = next((m for m in leads if label and m.group(0).split(":")[0].strip() == label), None)
    if own is None:
        return reason
    after = next((m.start() for m in leads if m.start() > own.start()), len(reason))
    return reason[own.end() : after]


def shortfall(criterion: Criterion, criteria: Iterable[Criterion] = ()) -> str:
    """The sentences of the reviewer's reason for a criterion that say what it lacks ('' when
    there is none): the words that find the facts answering the denial of it. A reason that
    shares more words (two or more) with another of the notice's ``criteria``, one the notice
    did not find met, than with this one speaks of that one (a closing paragraph read under
    the last criterion): it names nothing here."""
    reason = _own_part(" ".join((criterion.payer_reason or "").split()), criterion.label)
    kept = " ".join(t for t in split_sentences(reason) if not _SHORTFALL_NOT_RE.search(t))
    words = tokens(kept)
    own = len(words & tokens(criterion.text))
    shared = [
        len(words & tokens(c.text))
        for c in criteria
        if c.text != criterion.text and c.payer_status != "met"
    ]
    if any(n > own and n >= MIN_REASON_WORDS for n in shared):
        return ""
    return kept


def reason_facts(
    disputed: str, case: CaseFacts, evidence: list[str], findings_only: bool = False
) -> list[str]:
    """The case's treatments and findings the reviewer's reason names ('a home infusion nurse
    can give it', 'your daughter will help you') and the criterion's facts do not hold yet, best
    first: the record that answers the reviewer's own words is argued under the criterion
    (``findings_only``: its findings only)."""
    words = tokens(disputed) - _DATE_WORDS
    kinds = ("objective_findings",) if findings_only else ("objective_findings", "prior_treatments")
    records = [f for f in word_facts(case) if (m := _PATH_RE.match(f.path)) and m.group(1) in kinds]
    # a word few records share singles one out ('height', 'caregiver'); one most of them share
    # ('MRI', 'metastasis' in a brain-metastasis case) names none in particular
    held = Counter(w for f in records for w in f.tokens & words)
    shared = [
        (sum(1 / held[w] for w in f.tokens & words), len(f.tokens & words), f.path)
        for f in records
        if f.path not in evidence
    ]
    # by the reviewer's own words, never by a kind of record alone (any drug is no analgesic)
    named = sorted(
        (t for t in shared if t[1] >= MIN_REASON_WORDS and t[0] >= MIN_REASON_WEIGHT),
        key=lambda t: -t[0],
    )
    return [path for _, _, path in named[:MAX_REASON_FACTS]]


def write(
    verdict: CriterionVerdict,
    case: CaseFacts,
    clinical: list[Passage],
    trials: dict[str, Trial],
    categories: list[str],
    stated: dict[str, int],
    conceded_sentence: str | None = None,
    plan_type: PlanType | None = None,
    unused_line: str = "",
    beyond: str = "",
    names: list[str] | None = None,
    asked: set[str] | None = None,
    criteria: Iterable[Criterion] = (),
) -> CriterionArgument:
    """The argument for one criterion (``clinical``: the passages the placement states under it,
    :func:`place`; ``conceded_sentence``: the denial ground's sentence for
    a conceded criterion, instead of its category's; ``plan_type``: what a Medicare coverage
    rule is to this plan, ``fit.source_label``; ``unused_line``: the line for a criterion not
    relied on among alternatives, or under a met member of a group that it satisfies;
    ``beyond``: the sentence saying the criterion asks for more than the Medicare coverage rule
    that governs the service, :func:`beyond_rule_line`; ``asked``: the open criteria's asks
    already said under earlier criteria, shared across the letter's calls; ``criteria``: the
    notice's criteria, to tell whose shortfall a reviewer's reason states)."""
    asked = set() if asked is None else asked
    criterion = verdict.criterion
    index = verdict.index
    parts = [criterion_quote(criterion)]
    evidence = list(verdict.evidence)
    # what the reviewer says is missing names the facts that answer it ('no height or weight to
    # compute BSA', 'your daughter will help you'): they are argued here, not left in a list
    disputed = "" if verdict.payer_met or verdict.not_applicable else shortfall(criterion, criteria)
    if not evidence and not events_unanswered(verdict.requirements):
        # no fact found by a typed check or by the criterion's words
        asked_for = f"{criterion.text} {disputed}".strip()
        facts = select_facts(asked_for, word_facts(case), is_psychiatric(case))
        # a scale's score the record does not give: no other scale's result answers it
        facts = [f for f in facts if not _other_scale(verdict, case, f.path)]
        evidence = [f.path for f in facts]
        # the service's details are stated once, under Requested service
        free = [
            f.sentence
            for f in facts
            if not _PATH_RE.match(f.path) and not f.path.startswith("service")
        ]
    else:
        free = []
        # beside the treatments a typed check chose, the findings the reason names (a
        # treatment it did not choose is not argued here)
        named = reason_facts(disputed, case, evidence, findings_only=bool(verdict.evidence))
        evidence += [p for p in named if not _other_scale(verdict, case, p)]
    if verdict.payer_met:
        parts.append("Your notice records this criterion as met; I do not argue it further.")
    elif verdict.not_applicable:  # for a population the patient is not in
        parts.append(f"This criterion does not apply to this request: {verdict.not_applicable}.")
        evidence = []
    elif verdict.alternative and unused_line:  # one of the alternatives suffices
        parts.append(unused_line)
        evidence = []
    else:
        exception = (verdict.conceded and not verdict.accepted) or limit_reached(criterion)
        compared = comparison_lines(verdict, exception, case=case) if verdict.requirements else []
        fresh = [p for p in evidence if p not in stated and not _in_comparison(case, p, compared)]
        if verdict.requirements:  # what the facts above show is not named again below them
            shown_paths = frozenset(fresh) | {p for p in evidence if p in stated}
            compared = comparison_lines(verdict, exception, shown_paths, case)
        lines = _facts_block(case, fresh, trials)
        earlier = [p for p in evidence if p in stated and not _in_comparison(case, p, compared)]
        again = _stated_above(case, earlier, stated, names)
        listed = bool(lines or free)
        lines += [again] if again else []
        lines += free[:2]
        open_ = verdict.status != "met" and not exception and not verdict.accepted
        if open_ and not listed and not compared:
            # a criterion about the request itself ('will not be used with another biologic')
            # is answered by the order's own sentence that shares its words (beside a mere
            # reference to records stated under an earlier criterion)
            lines += _order_sentence(criterion.text, case.service.details or "")
        if open_ and not lines and not compared:  # the record the criterion names, by its name
            named = [p for p in records_named(criterion.text, case) if p not in stated]
            evidence += named
            lines = _facts_block(case, named, trials)
        for path in evidence:
            stated.setdefault(path, index)
        if lines:
            parts.append(f"{FACTS_LEAD}\n\n" + "\n".join(f"- {line}" for line in lines))
        if verdict.requirements and compared:  # the reasoning, in sentences of a paragraph
            parts.append(" ".join(compared))
        if unused_line and verdict.status == "met" and not verdict.conceded:
            parts.append(unused_line)  # a met member of a group: it satisfies the group
        if open_ and not compared:  # nothing compared: what the physician asks, never silence
            first, pending, again, short = open_asks()
            awaited = any(
                isinstance(record := record_at(case, p), Finding) and is_pending(record.value)
                for p in evidence
            )
            # the records listed are the answer: no request to decide on them beside them
            # (one still to come is said to be, with what is asked for it)
            ask = pending if awaited else ("" if lines else first)
            if ask and ask in asked:  # said under an earlier criterion: not word for word again,
                # and not at all under the records this section lists (they answer it; a short
                # ask stands only where the section would otherwise say nothing of the patient)
                ask = "" if lines else again
            if ask and ask in asked:  # the short ask said too: in short, not in full again
                ask = short
            if ask:
                asked.add(ask)
                parts.append(ask)
        if verdict.accepted:  # the physician accepts the rule: no exception asked
            parts.append(" ".join(concession_spec().accepted_sentence.split()))
        elif verdict.conceded and conceded_sentence:  # the denial's ground says what is asked
            parts.append(" ".join(conceded_sentence.split()))
        elif verdict.conceded:
            parts.append(conceded_exception(spec_for(categories), case)[0])
        if verdict.conceded and not verdict.accepted and (why := conceded_reason(verdict, case)):
            parts.append(why)
        elif limit_reached(criterion):
            parts.append(spec_for(["frequency_limit"]).exception)
            if spec_for(["frequency_limit"]).asks_exception(criterion.text):
                parts.append("This letter is my written request for that exception.")
    for passage in clinical:
        guideline = guideline_line(passage, plan_type, topic_words(criterion, case))
        stricter = stricter_sentence(verdict, passage) if not verdict.payer_met else None
        parts.append(f"{guideline} {stricter}" if stricter else guideline)
    if beyond and not verdict.payer_met:  # a requirement beyond the rule that binds the plan
        parts.append(beyond)
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
    stated: dict[str, int] = {}
    asked: set[str] = set()
    if request.strategy is not None:  # the pipeline's, computed once for the draft
        answered = request.strategy.ground
        spec = answered.spec if answered is not None else None
    else:
        chosen = select(request.analysis, request.letter_text)
        spec = chosen.spec if chosen is not None else None
    # a conceded criterion's line: the denial ground's, else its category's exception sentence,
    # its ground read as the drug exception reads it (a harm stated of a required drug)
    conceded = spec.conceded_sentence if spec else None
    conceded = (
        conceded or conceded_exception(spec_for(categories), request.case, request.analysis)[0]
    )
    plan = request.strategy
    # a criterion not relied on among alternatives: one line saying which ones are met
    patient = request.case.patient.name or "the patient"
    names = lf.criterion_names(request.analysis.criteria)
    placement = request.placement
    if placement is None:
        placement = place(request.passages, verdicts, request.case, request.analysis.plan_type)
    by_id = {rp.passage.id: rp.passage for rp in request.passages}
    return [
        write(
            v,
            request.case,
            [by_id[pid] for pid in placement.stated.get(v.index, [])],
            trials,
            categories,
            stated,
            # a step the record says does not suit the patient: the exception on that harm
            (plan.excepted_line(v.index) if plan is not None and v.conceded else None) or conceded,
            request.analysis.plan_type,
            alternative_sentence(verdicts, patient, v),
            beyond_rule_line(
                v, request.passages, request.analysis.plan_type, request.letter_text, request.case
            ),
            names,
            asked,
            request.analysis.criteria,
        )
        for v in verdicts
    ]
