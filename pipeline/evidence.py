"""Evidence for arguments: the case's facts by shared words, passages to cite, citation tokens.

The offline engine's argument writer is ``reasoning.argument`` (from the computed verdicts); it
and ``reasoning.denial`` build on the helpers here. This module imports nothing of ``reasoning``.
The former writer (``argue_by_words``) stays for comparison in the evals:

For each criterion the writer scores every candidate fact of the case (each prior treatment, each
objective finding, each sentence of the clinical summary and of the consequences of denial, the
service details, the urgency reason) by its relevance to the criterion's text: shared content words
(lower-cased, stop words removed, lightly stemmed) plus a small table of medical concepts
("imaging" ~ imaging findings, "conservative" ~ therapy, medication and procedure treatments ...).
The best facts are restated in a clinical register, and the argument cites the passage that best
supports the criterion.

Nothing is computed: sentences are assembled from the case's values (dates through
``letter_format.fmt_date``), the criterion's verbatim text and the cited passage's metadata, so
every number in an argument is a number of the inputs. Counts are never written; when a criterion
asks for a number of trials, the trials are listed.

Citation convention
-------------------
Arguments cite passages by id with the token ``[[cite:<passage id>]]`` (see :func:`cite`), never
with reference numbers: ``draft.number_citations`` replaces the tokens with ``[n]`` numbered in
order of first citation across the whole letter. Any engine (this one, an LLM) can cite this way
without knowing the letter's numbering.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .letter_format import fmt_date
from .models import (
    CaseFacts,
    Criterion,
    CriterionArgument,
    Finding,
    Passage,
    PriorTreatment,
    RetrievedPassage,
)
from .relevance import Scope, about_the_request, citable
from .text.numbers import word_number
from .text.sentences import split_sentences
from .text.tokens import content_words

if TYPE_CHECKING:  # the engine contract, read as a type only: the offline engine imports this
    from .engines.base import ArgumentRequest

CITE_TOKEN = "[[cite:{passage_id}]]"
CITE_RE = re.compile(r"\[\[cite:\s*([^\]]*?)\s*\]\]")
"""A citation token; group 1 holds one passage id or several separated by commas."""

MAX_ARGUMENT_CHARS = 4000
MAX_EVIDENCE = 20
MAX_SENTENCE_FACTS = 2
"""At most this many sentences of the summary (or consequences) support one criterion."""
MIN_SCORE = 2.0
RELATIVE_SCORE = 0.4
"""A fact is selected when it scores at least MIN_SCORE and this fraction of the best score."""

CLINICAL_KINDS = ("guideline", "coverage_policy")
LEGAL_KINDS = ("regulation", "argument")


def cite(passage_id: str) -> str:
    """The citation token for a passage (replaced with its reference number by the drafter)."""
    return CITE_TOKEN.format(passage_id=passage_id)


# --------------------------------------------------------------------------- text matching


tokens = content_words
"""Content-word stems of a text (:func:`pipeline.text.tokens.content_words`, by the name the
stages use)."""


# --------------------------------------------------------------------------- case facts


@dataclass(frozen=True)
class Fact:
    """One candidate fact of the case, with how the letter states it."""

    path: str
    """Case-file path, e.g. 'prior_treatments[2]'."""
    kind: str
    """'treatment', 'finding', 'summary', 'consequences', 'service' or 'urgency'."""
    subkind: str
    """The treatment or finding kind ('medication', 'imaging' ...); '' for the others."""
    sentence: str
    tokens: frozenset[str]
    has_outcome: bool = False
    has_duration: bool = False
    short: str = ""
    """A shorter restatement for a fact an earlier criterion already stated in full."""

    @property
    def brief(self) -> str:
        return self.short or self.sentence


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """'Inadequate response' -> 'inadequate response' ('TMS' stays), to continue a sentence."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def continuing(text: str) -> str:
    """A case's words continuing the letter's sentence: the first letter lowered ('A skilled
    ...' -> 'a skilled ...', 'Ordered; ...' -> 'ordered; ...') unless the first word has
    a capital after its first letter ('NSCLC', 'MRI-guided', 'HbA1c' stay). Unlike
    :func:`lower_first`, a one-letter first word ('A') is lowered too."""
    rest = text.split(" ", 1)[0][1:]
    return text if rest != rest.lower() else text[:1].lower() + text[1:]


def _end(text: str) -> str:
    """The text as a sentence: a period added unless it already ends one."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", ".”", '."')) else text + "."


def treatment_period(
    treatment: PriorTreatment, *, joiner: str = " to ", lead: str = "from "
) -> str:
    """The treatment's dates as given: 'from January 10, 2024 to April 15, 2024', 'since
    April 15, 2026 (ongoing)' for a treatment still going on, 'on September 22, 2026' for one
    given on a single day ('' if none)."""
    if treatment.start and treatment.end and treatment.start == treatment.end:
        # one day ('a diagnostic block on September 22, 2026'), not a range from it to itself
        return f"on {fmt_date(treatment.start)}" if lead else fmt_date(treatment.start)
    if treatment.start and treatment.end:
        return f"{lead}{fmt_date(treatment.start)}{joiner}{fmt_date(treatment.end)}"
    if treatment.ongoing and treatment.start:
        return f"since {fmt_date(treatment.start)} (ongoing)"
    if treatment.start:
        return f"{lead}{fmt_date(treatment.start)}"
    if treatment.end:
        return f"until {fmt_date(treatment.end)}"
    return ""


_COUNTABLE_RE = re.compile(r"(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)", re.I)


def _duration_phrase(duration: str | None) -> str:
    """'for 14 weeks' for a measured duration; other text ('ongoing ...') as given."""
    if not duration:
        return ""
    return f"for {duration}" if _COUNTABLE_RE.match(duration) else duration


def dose_and_frequency(name: str, dose: str | None, frequency: str | None) -> str:
    """'Gabapentin 600 mg twice daily (1,200 mg/day)': the name, the dose and the frequency,
    the frequency said once when the dose already says it (a dose of '600 mg twice daily' with
    a frequency 'twice daily' is not '... twice daily (1,200 mg/day) twice daily')."""
    said = " ".join(p for p in (name, dose) if p)
    if frequency and frequency.strip().lower() not in said.lower():
        said = f"{said} {frequency}" if said else frequency
    return said


def treatment_sentence(treatment: PriorTreatment, *, dated: bool = True) -> str:
    """'Sertraline 200 mg once daily for 14 weeks, from ... to ...: inadequate response (...).'
    Not ``dated``: without the calendar dates ('..., ongoing' for a course still going on)."""
    head = dose_and_frequency(treatment.name, treatment.dose, treatment.frequency)
    period = treatment_period(treatment) if dated else ""
    if not dated and treatment.ongoing and "ongoing" not in (treatment.duration or "").lower():
        period = "ongoing"
    timing = ", ".join(p for p in (_duration_phrase(treatment.duration), period) if p)
    text = f"{head} {timing}" if timing else head
    if treatment.outcome:
        text += f": {lower_first(treatment.outcome)}"
    if treatment.outcome_measure:
        text += f" ({treatment.outcome_measure})"
    return _end(_sentence_case(text))


def finding_text(finding: Finding, dated: bool = True) -> str:
    """'PHQ-9 (March 3, 2024): 22 — severe depression' (no final period); without its date
    when not ``dated`` (a result not yet back: its date is the order's or the schedule's, and
    its value says which)."""
    when = f" ({fmt_date(finding.date)})" if finding.date and dated else ""
    text = f"{finding.name}{when}: {finding.value}"
    return f"{text} — {finding.interpretation}" if finding.interpretation else text


def _treatment_short(treatment: PriorTreatment) -> str:
    """'Sertraline 200 mg: inadequate response (described above).'"""
    head = " ".join(p for p in (treatment.name, treatment.dose) if p)
    outcome = f": {lower_first(treatment.outcome)}" if treatment.outcome else ""
    return _end(_sentence_case(f"{head}{outcome} (described above)"))


def _treatment_fact(index: int, treatment: PriorTreatment) -> Fact:
    sentence = treatment_sentence(treatment)
    return Fact(
        path=f"prior_treatments[{index}]",
        kind="treatment",
        subkind=treatment.kind,
        sentence=sentence,
        tokens=tokens(sentence),
        has_outcome=bool(treatment.outcome or treatment.outcome_measure),
        has_duration=bool(treatment.duration or treatment.start),
        short=_treatment_short(treatment),
    )


def _finding_fact(index: int, finding: Finding) -> Fact:
    sentence = _end(_sentence_case(finding_text(finding)))
    return Fact(f"objective_findings[{index}]", "finding", finding.kind, sentence, tokens(sentence))


def _text_facts(path: str, kind: str, text: str | None) -> Iterator[Fact]:
    for sentence in split_sentences(text or ""):
        yield Fact(path, kind, "", _end(sentence), tokens(sentence))


def _service_facts(case: CaseFacts) -> Iterator[Fact]:
    service = case.service
    if service.details:
        what = service.description or "Requested service"
        sentence = _end(_sentence_case(f"{what}: {lower_first(service.details)}"))
        yield Fact("service.details", "service", "", sentence, tokens(sentence))


def case_facts(case: CaseFacts) -> list[Fact]:
    """Every candidate fact of the case, in the order the letter presents them."""
    return [
        *(_treatment_fact(i, t) for i, t in enumerate(case.prior_treatments)),
        *(_finding_fact(i, f) for i, f in enumerate(case.objective_findings)),
        *_text_facts("clinical_summary", "summary", case.clinical_summary),
        *_service_facts(case),
        *_text_facts("urgency_reason", "urgency", case.urgency_reason),
        *_text_facts("consequences_of_denial", "consequences", case.consequences_of_denial),
    ]


def is_psychiatric(case: CaseFacts) -> bool:
    """True when a diagnosis is in ICD-10-CM chapter F (mental and behavioural disorders)."""
    return any(d.code.strip().upper().startswith("F") for d in case.diagnoses)


# --------------------------------------------------------------------------- concepts


FactTest = Callable[[Fact, bool], bool]
"""(fact, case is psychiatric) -> whether a concept applies to the fact."""


@dataclass(frozen=True)
class Concept:
    """A medical concept: criterion wording that points at a kind of case fact."""

    trigger: re.Pattern[str]
    applies: FactTest
    weight: float = 2.0


def _treatment_of(*kinds: str) -> FactTest:
    return lambda fact, _psych: fact.kind == "treatment" and fact.subkind in kinds


def _finding_of(*kinds: str) -> FactTest:
    return lambda fact, _psych: fact.kind == "finding" and fact.subkind in kinds


_BODY_WORDS = frozenset({"bmi", "weight", "body", "mass", "pressure"})


def _body_measure(fact: Fact, _psych: bool) -> bool:
    """Vital signs, and examination findings that record a body measure."""
    if fact.kind != "finding":
        return False
    return fact.subkind == "vital" or (fact.subkind == "exam" and bool(fact.tokens & _BODY_WORDS))


def _kind_of(*kinds: str) -> FactTest:
    return lambda fact, _psych: fact.kind in kinds


_EFFECT_RE = re.compile(
    r"\b(?:would|will|could|can|may)\s+(?:\w+\s+){0,2}(?:direct|change|guide|alter|allow|"
    r"spare|avoid|inform|determine|target|tailor|end|stop|spar)\w*\b|\brecurrence risk\b",
    re.IGNORECASE,
)
"""A sentence saying what a result or the service would change in the patient's care ('A
diagnosis would direct surveillance ..., could spare her a sedated brain MRI ...')."""


def _states_effect(fact: Fact, _psych: bool) -> bool:
    """The physician's summary sentence that says what would change in the patient's care (the
    consequences of denial say it too, in their own section, and are not repeated)."""
    return fact.kind == "summary" and bool(_EFFECT_RE.search(fact.sentence))


def _concept(pattern: str, applies: FactTest, weight: float = 2.0) -> Concept:
    return Concept(re.compile(pattern, re.IGNORECASE), applies, weight)


CONCEPTS: tuple[Concept, ...] = (
    _concept(
        r"antidepress|\bssris?\b|\bsnris?\b|psychotropic|pharmacotherap",
        lambda fact, psych: psych and fact.kind == "treatment" and fact.subkind == "medication",
    ),
    _concept(
        r"\bmedications?\b|\bdrugs?\b(?!\s+(?:use|abuse|screen|test))|prescri|\bagents?\b",
        _treatment_of("medication"),
    ),
    _concept(
        r"conservative|non-?operative|non-?surgical|non-?invasive",
        _treatment_of("therapy", "medication", "procedure"),
    ),
    _concept(
        r"physical therap|\bpt\b|physiotherap|home exercise|rehabilitat|chiropract",
        _treatment_of("therapy"),
    ),
    _concept(r"psychotherap|\bcbt\b|cognitive behavio|counsel", _treatment_of("therapy")),
    _concept(r"nsaids?\b|anti-?inflammator|analgesi|muscle relax", _treatment_of("medication")),
    _concept(r"injection|\bblocks?\b|ablation", _treatment_of("procedure")),
    _concept(r"\bdevices?\b|brace|orthos|orthotic", _treatment_of("device")),
    _concept(
        r"imaging|\bmri\b|magnetic resonance|radiograph|x-?rays?\b|\bct\b|computed tomograph"
        r"|ultrasound|\bscans?\b",
        _finding_of("imaging"),
    ),
    _concept(r"\bbmi\b|body mass|\bweight\b|blood pressure|vital", _body_measure),
    _concept(r"exam|neurolog|deficit|range of motion|strength|reflex", _finding_of("exam")),
    _concept(
        r"score|scale|\bphq|ham-?d|madrs|\bgad\b|severity|rating|questionnaire|oswestry|\bodi\b",
        _finding_of("rating_scale"),
    ),
    _concept(r"\blabs?\b|laborator|a1c|glucose|hemoglobin|serum|blood test", _finding_of("lab")),
    _concept(
        r"\btrials?\b|\bfail|\btried\b|inadequate response|unsuccessful|refractory|resistan"
        r"|intoleran|\bexhaust",
        lambda fact, _psych: fact.kind == "treatment" and fact.has_outcome,
        weight=1.0,
    ),
    _concept(
        r"duration|\bweeks?\b|\bmonths?\b|\bdays?\b|\bcourse",
        lambda fact, _psych: fact.kind == "treatment" and fact.has_duration,
        weight=0.5,
    ),
    _concept(
        r"urgen|emergen|expedit|imminent|suicid|deteriorat|jeopard|\brisk",
        _kind_of("urgency", "consequences"),
    ),
    _concept(r"function|daily living|\badls?\b|impair|disab|unable to work", _kind_of("summary")),
    _concept(  # a criterion on what a result would change: the sentences that say what
        r"(?:change|alter|affect|impact|guide|direct|influence)\w*\W+(?:\w+\W+){0,4}"
        r"(?:management|treatment|care)\b|clinical utility|management\W+(?:\w+\W+){0,3}chang",
        _states_effect,
        weight=4.0,
    ),
    _concept(
        r"frequency|\bvisits?\b|\bsessions?\b|\bunits?\b|quantity|number of|level of care"
        r"|setting|inpatient|outpatient",
        _kind_of("service"),
    ),
)


def _score(fact: Fact, words: frozenset[str], concepts: Iterable[Concept], psych: bool) -> float:
    return len(words & fact.tokens) + sum(c.weight for c in concepts if c.applies(fact, psych))


STRUCTURED_KINDS = ("treatment", "finding")


def select_facts(text: str, facts: list[Fact], psych: bool) -> list[Fact]:
    """The facts that answer a criterion's text, best first (empty when none does).

    Sentences of the free-text fields (summary, consequences ...) support a criterion only when
    no treatment or finding answers it, or when they match it best.
    """
    words = tokens(text)
    concepts = [c for c in CONCEPTS if c.trigger.search(text)]
    scored = [(_score(f, words, concepts, psych), f) for f in facts]
    best = max((s for s, _ in scored), default=0.0)
    cut = max(MIN_SCORE, RELATIVE_SCORE * best)
    chosen = [(s, f) for s, f in scored if s >= cut]
    structured = any(f.kind in STRUCTURED_KINDS for _, f in chosen)
    kept = [(s, f) for s, f in chosen if f.kind in STRUCTURED_KINDS or not structured or s >= best]
    kept.sort(key=lambda pair: -pair[0])  # stable: equal scores keep the case's order
    return _limit_sentences([f for _, f in kept])


def _limit_sentences(facts: list[Fact]) -> list[Fact]:
    """Keep at most MAX_SENTENCE_FACTS sentences per free-text field."""
    kept: list[Fact] = []
    per_path: dict[str, int] = {}
    for fact in facts:
        if fact.kind in STRUCTURED_KINDS:
            kept.append(fact)
            continue
        per_path[fact.path] = per_path.get(fact.path, 0) + 1
        if per_path[fact.path] <= MAX_SENTENCE_FACTS:
            kept.append(fact)
    return kept


# --------------------------------------------------------------------------- quantities

_COUNT_RE = re.compile(
    r"\b(?:at least|a minimum of|minimum of|no fewer than|>=|≥)\s+(\w+)\s+(?:[\w\-]+\s+){0,4}?"
    r"(?:trials?|medications?|agents?|drugs?|courses?|classes|antidepressants?|treatments?"
    r"|therapies)\b",
    re.IGNORECASE,
)


def required_count(text: str) -> int | None:
    """The number of treatments a criterion asks for ('at least four antidepressant trials')."""
    match = _COUNT_RE.search(text)
    if not match:
        return None
    word = match.group(1).lower()
    return word_number(word)


# --------------------------------------------------------------------------- passages


def _clinical_available(passages: list[RetrievedPassage]) -> bool:
    return any(rp.passage.kind in CLINICAL_KINDS for rp in passages)


def choose_passages(
    passages: list[RetrievedPassage],
    index: int | None,
    cited: set[str] | None = None,
    specific: Iterable[str] = (),
) -> list[Passage]:
    """The one or two passages to cite for a criterion (index None: for the denial as a whole).

    Preference: retrieved for this criterion, then not yet the lead citation of an earlier
    criterion (ids in ``cited``), then the physician's own sources (the case's ``citations``),
    then clinical (guideline, coverage policy) over legal kinds (never legal ones when a
    clinical passage exists), then about the requested service (ids in ``specific``: an
    exome-sequencing guideline over a statement on pediatric medical necessity in general),
    then verified, then score.
    """
    about = frozenset(specific)
    cited = cited or set()
    pool = [rp for rp in passages if citable(rp.passage)]  # argument notes never are
    if _clinical_available(passages):
        pool = [rp for rp in passages if rp.passage.kind in CLINICAL_KINDS]

    def key(rp: RetrievedPassage) -> tuple[bool, bool, bool, bool, bool, bool, float, int]:
        return (
            index is not None and index in rp.criteria,
            rp.passage.id not in cited,
            rp.passage.supplied_by_physician,
            rp.passage.kind == "guideline",
            rp.passage.id in about,
            rp.passage.verified,
            rp.score,
            -rp.rank,
        )

    ranked = sorted(pool, key=key, reverse=True)
    if not ranked:
        return []
    first = ranked[0]
    chosen = [first.passage]
    for rp in ranked[1:2]:
        if index is not None and index in rp.criteria and rp.passage.id != first.passage.id:
            chosen.append(rp.passage)
    return chosen


def edition(passage: Passage) -> str:
    """The passage's version with its year ('3rd edition, 2010'), or its year alone."""
    if not passage.version or str(passage.year) in passage.version:
        return passage.version or str(passage.year)
    return f"{passage.version}, {passage.year}"


def source_name(passage: Passage) -> str:
    """'APA Practice Guideline for ... (2010)' or, for legal kinds, the section."""
    if passage.kind in LEGAL_KINDS:
        return passage.section
    grade = f", recommendation: {passage.recommendation}" if passage.recommendation else ""
    name = passage.title
    if passage.short_body not in passage.title:
        name = f"{passage.short_body} {name}"
    when = edition(passage)
    dated = f"{name}, {when}" if "(" in when else f"{name} ({when})"
    where = f", {passage.locator()}" if passage.locator() else ""
    return f"{dated}{where}{grade}"


def tie_sentence(passages: list[Passage], *, meets: bool) -> str:
    """The sentence tying the facts to the cited passage(s)."""
    if not passages:
        return ""
    first, rest = passages[0], passages[1:]
    if first.kind in LEGAL_KINDS:
        text = f"The plan must weigh this evidence in its review under {source_name(first)}"
    elif meets and first.kind == "coverage_policy":
        text = f"This meets the coverage criteria of {source_name(first)}"
    elif meets:
        text = f"This meets the standard set out by {source_name(first)}"
    else:
        text = f"The standard that applies is set out by {source_name(first)}"
    sentence = f"{text} {cite(first.id)}."
    for passage in rest:
        sentence += f" See also {source_name(passage)} {cite(passage.id)}."
    return sentence


# --------------------------------------------------------------------------- arguments


QUOTE_LEAD = "The plan requires: "
"""How a criterion's section opens its verbatim quote of the plan."""
FACTS_LEAD = "From my records:"
"""How a criterion's section leads into the list of the facts that answer it, in the signing
physician's voice (not a label such as 'The record shows:')."""


def criterion_quote(criterion: Criterion) -> str:
    """'The plan requires: “<verbatim>”.': the lead-in of every criterion's section, whichever
    engine writes the rest (the offline writer, a model's section, the template fallback)."""
    text = criterion.text.strip()
    end = "" if text.endswith((".", "!", "?")) else "."
    return f"{QUOTE_LEAD}“{text}”{end}"


def _format_facts(sentences: list[str], lead: str, tail: str) -> str:
    """The lead, the facts bulleted (one too: never 'Specifically: <finding dump>') and the
    tail."""
    bullets = "\n".join(f"- {s}" for s in sentences)
    return f"{lead}\n\n{bullets}\n\n{tail}".rstrip()


def _clip(text: str, limit: int) -> str:
    """The text cut at a word boundary to at most ``limit`` characters, the " …" included
    (numbers stay whole)."""
    if len(text) <= limit:
        return text
    return text[: limit - 2].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _facts_block(sentences: list[str], lead: str, tail: str, budget: int) -> str:
    """As _format_facts, dropping the last facts (then clipping one) to fit the budget."""
    shown = list(sentences)
    text = _format_facts(shown, lead, tail)
    while len(text) > budget and len(shown) > 1:
        shown.pop()
        text = _format_facts(shown, lead, tail)
    if len(text) > budget:
        room = budget - len(text) + len(shown[0])
        text = _format_facts([_clip(shown[0], max(room, 0))], lead, tail)
    return text


MAX_RESTATED = 3
"""Facts an earlier criterion stated in full are restated briefly, at most this many."""
_RECORD_ORDER = {"treatment": 0, "finding": 1}
_PATH_INDEX_RE = re.compile(r"\[(\d+)\]")


def _fresh_first(facts: list[Fact], stated: set[str]) -> list[Fact]:
    """New facts, then at most MAX_RESTATED of those already stated (best first)."""
    restated = [f for f in facts if f.path in stated][:MAX_RESTATED]
    return [f for f in facts if f.path not in stated or f in restated]


def _in_record_order(facts: list[Fact]) -> list[Fact]:
    """Treatments, then findings, in the case file's (chronological) order; then the rest."""

    def key(fact: Fact) -> tuple[int, int]:
        m = _PATH_INDEX_RE.search(fact.path)
        return (_RECORD_ORDER.get(fact.kind, 2), int(m.group(1)) if m else 0)

    return sorted(facts, key=key)


def _lead(text: str, facts: list[Fact]) -> tuple[str, bool]:
    """The sentence introducing the facts, and whether they meet any count the text asks for."""
    count = required_count(text)
    # in the physician's voice, never 'The record shows otherwise' (machine phrasing that
    # reads as a dispute with the reader)
    if count is None:
        return FACTS_LEAD, True
    trials = sum(1 for f in facts if f.kind == "treatment")
    if trials >= count:
        return "From my records, each of the following treatments was tried:", True
    return FACTS_LEAD, False


def write_argument(
    index: int,
    intro: str,
    match_text: str,
    request: ArgumentRequest,
    passage_index: int | None,
    stated: set[str] | None = None,
    cited: set[str] | None = None,
    all_facts: list[Fact] | None = None,
) -> CriterionArgument:
    """One argument: the intro, the case facts matching ``match_text`` and the cited passage.

    Facts whose paths are in ``stated`` (stated in full by an earlier argument) are restated
    briefly; the paths used are added to it. ``all_facts`` is ``case_facts(request.case)`` when
    the caller has it already.
    """
    stated = set() if stated is None else stated
    all_facts = case_facts(request.case) if all_facts is None else all_facts
    facts = select_facts(match_text, all_facts, is_psychiatric(request.case))
    if not facts:
        return CriterionArgument(criterion_index=index, argument=_clip(intro, MAX_ARGUMENT_CHARS))
    lead, meets = _lead(match_text, facts)
    scope = Scope.of(request.analysis, request.case, request.today)
    specific = [rp.passage.id for rp in request.passages if about_the_request(rp.passage, scope)]
    passages = choose_passages(request.passages, passage_index, cited, specific)
    facts = _in_record_order(_fresh_first(facts, stated))
    sentences = [f.brief if f.path in stated else f.sentence for f in facts]
    stated.update(f.path for f in facts)
    intro = _clip(intro, MAX_ARGUMENT_CHARS // 2)
    budget = MAX_ARGUMENT_CHARS - len(intro) - 1
    body = _facts_block(sentences, lead, tie_sentence(passages, meets=meets), budget)
    if cited is not None and passages:
        cited.add(passages[0].id)
    return CriterionArgument(
        criterion_index=index,
        argument=f"{intro} {body}",
        passage_ids=[p.id for p in passages],
        evidence=list(dict.fromkeys(f.path for f in facts))[:MAX_EVIDENCE],
    )


def argue_by_words(request: ArgumentRequest) -> list[CriterionArgument]:
    """The former argument writer (facts by shared words), kept for comparison in the evals."""
    stated: set[str] = set()
    cited: set[str] = set()
    facts = case_facts(request.case)
    return [
        write_argument(i, criterion_quote(c), c.text, request, i, stated, cited, facts)
        for i, c in enumerate(request.analysis.criteria)
    ]
