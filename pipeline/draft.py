"""Compose the Letter of Medical Necessity: fixed sections from the case, arguments from the engine.

The layout follows ``letter_format`` exactly (the validator reads letters through it). Every value
the letter states comes from the case file, the denial analysis or a cited passage; the static
prose holds no numbers. A fact the inputs lack is a :class:`~pipeline.models.Gap`: by default
:func:`compose` refuses to draft (``GapsError``); with ``allow_gaps`` it writes a DRAFT that shows
each missing fact as its ``[MISSING: ...]`` placeholder where the fact belongs.

Citation convention
-------------------
Sections and engine arguments cite passages by id with ``[[cite:<passage id>]]`` tokens (see
``evidence.cite``). :func:`number_citations` replaces them with reference numbers ``[n]`` in order
of first citation across the letter, and the References section lists exactly the cited passages
(``letter_format.REFERENCE_LINE`` with ``Passage.reference()``). Tokens naming a passage that was
not retrieved for this letter are dropped. An argument that cites with bare local numbers instead
(``[1]`` meaning its first ``passage_ids`` entry) is converted to tokens first.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from . import letter_format as lf
from . import relevance
from .claim_lines import denial_codes
from .codes import is_cpt, is_hcpcs, is_revenue
from .criteria_rules import labels_named
from .engines.base import ArgumentRequest, Engine
from .errors import GapsError
from .evidence import (
    CITE_RE,
    CLINICAL_KINDS,
    LEGAL_KINDS,
    QUOTE_LEAD,
    case_facts,
    cite,
    continuing,
    criterion_quote,
    finding_text,
    lower_first,
    tokens,
    treatment_period,
    write_argument,
)
from .gaps import (
    Resolved,
    criterion_gaps,
    find_gaps,
    has_duration,
    requirement_gaps,
    resolve,
)
from .items import (
    denied_days,
    denied_spans,
    dependents,
    experimental_evidence,
    grouped,
    headed,
    limit_words,
    product,
    quantity_words,
    revenue_codes,
)
from .models import (
    CaseFacts,
    Criterion,
    CriterionArgument,
    DenialAnalysis,
    DenialCategory,
    DenialItem,
    Draft,
    Gap,
    ItemDecision,
    ItemGround,
    Passage,
    PlanType,
    PriorTreatment,
    RequestedService,
    RetrievedPassage,
    RunInfo,
)
from .payer_findings import reviewed_by_payer
from .reasoning.alternatives import Alternative, alternatives
from .reasoning.argument import place, stricter_sentence
from .reasoning.change import describe, restore_request
from .reasoning.classes import book
from .reasoning.denial import argue_denial
from .reasoning.enclosures import Enclosure, enclosures
from .reasoning.exception import (
    DrugException,
    Ground,
    conceded_gaps,
    exception_gaps,
    exception_paragraph,
    gap_field,
)
from .reasoning.fit import (
    governing_paragraph,
    ground_guideline,
    guideline_line,
    is_label,
    medicare_rule,
    position,
    recommends,
    states_indication,
)
from .reasoning.grounds import (
    GroundAnswer,
    Stated,
    ground_gaps,
    opening_sentence,
    owns,
    request_words,
    section,
    site_of,
)
from .reasoning.parts import NoticePart, accepted, holds, notice_parts
from .reasoning.pending import is_pending, pending_paragraph
from .reasoning.plans import PlanSpec
from .reasoning.request import (
    ClaimLine,
    case_period,
    claim_dates,
    claim_lines,
    course,
    course_days,
    course_gap,
    drug_gaps,
    drug_request,
    given_dates,
    lapsed_range,
    p2p_closes,
    partial_lines,
    partial_phrase,
    partial_texts,
    per_dose_word,
    per_kg,
    period_gap,
    quantity,
    request_count,
    requested_codes,
    weight_gap,
)
from .reasoning.routes import fitting_route
from .reasoning.specs import specs
from .reasoning.strategy import (
    Strategy,
    groups_needed,
    mandate_sentence,
    open_asks,
    record_error_sentence,
    settle,
)
from .reasoning.strategy import strategy as compute_strategy
from .reasoning.summary import bears_on, condensed, topics
from .reasoning.verdicts import CriterionVerdict, evaluate, shown
from .reasoning.wording import counted_words, standard_words, subject_words
from .text import literal
from .text.acronyms import initials
from .text.dates import find_dates
from .text.sentences import split_sentences

if TYPE_CHECKING:
    from .appeal import LevelPlan

log = logging.getLogger(__name__)

MAX_LISTED_GAPS = 5
"""How many gap fields the GapsError message names."""
MAX_LEGAL_CITATIONS = 1
"""The plan type's paragraph states the law; one retrieved provision, the best, is cited."""

# One or more adjacent citation tokens, with the space before them.
_CITE_GROUP_RE = re.compile(rf"(\s?)((?:{CITE_RE.pattern})(?:[ ,]*{CITE_RE.pattern})*)")


# --------------------------------------------------------------------------- public API


def compose(
    letter_text: str,
    analysis: DenialAnalysis,
    case: CaseFacts,
    passages: list[RetrievedPassage],
    engine: Engine,
    *,
    today: date,
    allow_gaps: bool = False,
) -> Draft:
    """Draft the letter with one ``engine.argue`` call (not validated here; the pipeline's draft
    stage adds the section checks and re-drafts). Raises GapsError when facts are missing.

    With ``allow_gaps`` the draft is written anyway, marked DRAFT, with placeholders.
    """
    plan = compute_strategy(analysis, case, letter_text, today)
    verdicts = settle(evaluate(analysis, case, as_of=today), plan)
    request = ArgumentRequest(
        analysis=analysis,
        case=case,
        passages=passages,
        letter_text=letter_text,
        today=today,
        verdicts=verdicts,
        strategy=plan,
        placement=place(passages, verdicts, case, analysis.plan_type),
    )
    answer = engine.argue(request)
    run = RunInfo(engine=engine.name, model=engine.model, created=today, prompts=answer.prompts)
    return assemble(request, answer.arguments, run, allow_gaps=allow_gaps)


def assemble(
    request: ArgumentRequest,
    arguments: list[CriterionArgument],
    run: RunInfo,
    *,
    allow_gaps: bool = False,
) -> Draft:
    """The letter from the engine's arguments (not validated here). Raises GapsError when facts
    are missing; with ``allow_gaps`` the draft is written anyway, marked DRAFT."""
    gaps = case_gaps(request.analysis, request.case, request.verdicts)
    # one not relied on (alternatives) or accepted (the request meets it) needs no evidence
    unused = {
        f"criteria[{v.index}]"
        for v in request.verdicts or []
        if v.alternative or v.accepted or v.not_applicable or v.payer_met
    }
    gaps += [g for g in criterion_gaps(request.analysis, arguments) if g.field not in unused]
    scope = relevance.Scope.of(request.analysis, request.case, request.today or run.created)
    today = request.today or run.created
    plan = request_strategy(request, today)
    request = request.model_copy(update={"strategy": plan})  # the letter reads the same
    grounded = plan.ground
    clinical = not (grounded and grounded.clinical_conceded)  # else no argument, no guideline
    asked = grounded.spec.question if grounded is not None else None
    if clinical:
        gap = relevance.citation_gap(scope, request.passages, question=asked)
        gaps += [gap] if gap is not None else []
    gaps += alternative_gaps(request.analysis, request.case)
    gaps += drug_gaps(request.analysis, request.case, request.letter_text)
    found = plan.exception
    if found is not None:
        taken = {g.field for g in gaps}
        gaps += [g for g in exception_gaps(found) if g.field not in taken]
    gaps += [g for g in ground_gaps(grounded) if g.field not in {x.field for x in gaps}]
    gaps += period_gaps(request.analysis, request.case, request.letter_text, today)
    if (repeated := course_gap(request.analysis, request.case, request.letter_text)) and not any(
        g.field == repeated.field for g in gaps
    ):
        gaps.append(repeated)  # a dose repeated with no count or period: the request's gap
    if (weight := weight_gap(request.letter_text, request.case, today)) and not any(
        g.field == weight.field for g in gaps
    ):
        gaps.append(weight)  # a dose per kilogram that needs a recent weight
    draft = None
    if clinical and not any(g.field == relevance.CITATION_GAP_FIELD for g in gaps):
        # passages fit the case; the gap, too, when the letter cites none of them (none states
        # a position that bears on the criteria)
        draft = letter_draft(request, arguments, gaps, run)
        cited = [m.group(3) for m in lf.REFERENCE_LINE_RE.finditer(draft.markdown)]
        uncited = relevance.citation_gap(scope, request.passages, cited=cited, question=asked)
        if uncited is not None:
            gaps.append(uncited)
            draft = None
    if gaps and not allow_gaps:
        raise GapsError(gaps_message(gaps), gaps)
    return draft if draft is not None else letter_draft(request, arguments, gaps, run)


def request_strategy(request: ArgumentRequest, today: date) -> Strategy:
    """The request's strategy results (the pipeline's, computed once), else computed here."""
    if request.strategy is not None:
        return request.strategy
    return compute_strategy(request.analysis, request.case, request.letter_text, today)


def case_gaps(
    analysis: DenialAnalysis, case: CaseFacts, verdicts: list[CriterionVerdict] | None = None
) -> list[Gap]:
    """The facts the inputs lack, whatever the arguments say (``verdicts``: :func:`evaluate`'s,
    when the caller has them)."""
    verdicts = evaluate(analysis, case) if verdicts is None else verdicts
    return (
        find_gaps(analysis, case)
        + requirement_gaps(verdicts)
        + conceded_gaps(analysis, case, verdicts)
    )


def letter_draft(
    request: ArgumentRequest, arguments: list[CriterionArgument], gaps: list[Gap], run: RunInfo
) -> Draft:
    """The rendered letter with its context (no gap check, no validation)."""
    analysis, case, passages = request.analysis, request.case, request.passages
    today = request.today or run.created
    plan = request_strategy(request, today)
    verdicts = request.verdicts
    if verdicts is None:
        verdicts = settle(evaluate(analysis, case), plan)
    markdown = render_markdown(
        analysis,
        case,
        passages,
        arguments,
        gaps,
        today=today,
        letter_text=request.letter_text,
        verdicts=verdicts,
        strategy=plan,
        # a model engine cites the listed passages in the sections it writes; the support
        # section states those the template drafter's criteria leave out (its placement,
        # argument.place, states them under none), whenever it wrote a section: the
        # offline engine's, or a model's sections that fell back to it
        support=run.any_templated,
    )
    return Draft(
        markdown=markdown,
        analysis=analysis,
        case=case,
        passages=passages,
        letter_text=request.letter_text,
        gaps=gaps,
        run=run,
        verdicts=verdicts,  # the validator's, too: computed once (sealed with the context)
        placement=request.placement,  # the validator checks the citations against it
    )


def gaps_message(gaps: list[Gap]) -> str:
    """'3 facts are missing from the inputs: physician.npi, ...' (fields only, no patient data)."""
    fields = [g.field for g in gaps[:MAX_LISTED_GAPS]]
    more = f" and {len(gaps) - MAX_LISTED_GAPS} more" if len(gaps) > MAX_LISTED_GAPS else ""
    noun = "fact is" if len(gaps) == 1 else "facts are"
    return (
        f"{len(gaps)} {noun} missing from the inputs: {', '.join(fields)}{more}. "
        "Add them to the case file, or draft anyway with gaps allowed."
    )


def number_citations(text: str, passages: list[RetrievedPassage]) -> tuple[str, list[Passage]]:
    """Replace ``[[cite:id]]`` tokens with ``[n]``; return the text and the cited passages in order.

    Numbers follow the order of first citation. Adjacent tokens merge into one ``[1, 3]``.
    Tokens for passages not in ``passages`` are dropped (with the space before them).
    """
    by_id = {rp.passage.id: rp.passage for rp in passages}
    order: dict[str, int] = {}

    def replace(match: re.Match[str]) -> str:
        numbers: list[int] = []
        for passage_id in _cited_ids(match.group(2)):
            if passage_id not in by_id:
                log.warning("dropped a citation of a passage not retrieved: %s", passage_id)
                continue
            numbers.append(order.setdefault(passage_id, len(order) + 1))
        if not numbers:
            return ""
        return f"{match.group(1)}[{', '.join(str(n) for n in sorted(set(numbers)))}]"

    numbered = _CITE_GROUP_RE.sub(replace, text)
    return numbered, [by_id[passage_id] for passage_id in order]


def render_markdown(
    analysis: DenialAnalysis,
    case: CaseFacts,
    passages: list[RetrievedPassage],
    arguments: list[CriterionArgument],
    gaps: list[Gap],
    *,
    today: date,
    letter_text: str = "",
    verdicts: list[CriterionVerdict] | None = None,
    strategy: Strategy | None = None,
    support: bool = True,
) -> str:
    """The letter as Markdown, in letter_format's layout (DRAFT banner on top when a gap left a
    bracketed field in it); ``verdicts``: :func:`evaluate`'s and ``strategy`` the strategy
    results, when the caller has them; ``support``: state the fitting guidelines no criterion
    states under 'Guideline support' (:func:`supporting`)."""
    if strategy is None:
        strategy = compute_strategy(analysis, case, letter_text, today)
    if verdicts is None:
        verdicts = settle(evaluate(analysis, case), strategy)
    by_index = _arguments_by_index(analysis, arguments)
    # with no criterion read, the answer to the denial states records of its own: enclosed too
    answered = (
        []
        if analysis.criteria
        else argue_denial(ArgumentRequest(analysis=analysis, case=case, passages=[])).evidence
    )
    about = topics(_about_texts(analysis, case))
    letter = _Letter(
        analysis=analysis,
        case=case,
        passages=passages,
        arguments=by_index,
        gaps={g.field: g for g in gaps},
        today=today,
        resolved=resolve(analysis, case),
        verdicts=verdicts,
        alternatives=alternatives(analysis, case),
        letter_text=letter_text,
        retrospective=retrospective(analysis, letter_text, case, today),
        about=about,
        ground=strategy.ground,
        exception=strategy.exception,
        strategy=strategy,
        support=support,
        enclosed=_missing_first(
            analysis,
            enclosures(
                case,
                verdicts,
                lambda v: by_index[v.index].evidence if v.index in by_index else v.evidence,
                shown=[
                    *answered,
                    *(f"objective_findings[{i}]" for i in _findings_shown(case, verdicts, about)),
                    *(f"prior_treatments[{i}]" for i in range(len(case.prior_treatments))),
                ],
                about=topics([*_about_texts(analysis, case), *_record_texts(analysis, case)]),
            ),
        ),
    )
    bodies: list[tuple[str, str]] = []
    for name, render in _SECTIONS:
        body = render(letter)
        if name == lf.CRITERIA:
            letter = replace(letter, argued=body or "")
        if body is not None:
            body = _one_date_style(body)
            if name not in _OWN_NAME_SECTIONS:
                body = _first_person(body, case.physician.name)
            if name in _NAMED_PATIENT_SECTIONS:
                body = _patient_named(letter, body)
            bodies.append((name, body))
    blocks = [_header(letter)]
    blocks += [f"{_heading(letter, name)}\n\n{body}" for name, body in _said_once(bodies)]
    text, cited = number_citations(_named_once(letter, "\n\n".join(blocks)), passages)
    # The banner marks a letter that holds a bracketed field to complete. A gap the letter does
    # not show (a requirement the record does not answer, argued or conceded in its section)
    # reaches the physician in the draft's gap list, not as a banner on a letter with nothing
    # in it to fill.
    banner = f"{lf.DRAFT_BANNER}\n\n" if gaps and lf.PLACEHOLDER_RE.search(text) else ""
    if not cited:  # nothing cited: no References section announcing so
        return f"{banner}{text}\n"
    return f"{banner}{text}\n\n{lf.heading(lf.REFERENCES)}\n\n{_references(cited)}\n"


def _missing_first(analysis: DenialAnalysis, enclosed: list[Enclosure]) -> list[Enclosure]:
    """The enclosures with the records the notice said it lacked first: those documenting a
    criterion it found not documented or whose records it names as missing (the reviewer looks
    for them first); the others in their order, and the records still to follow last."""
    lacking = {
        i
        for i, c in enumerate(analysis.criteria)
        if c.payer_status == "not_documented" or c.payer_lacks
    }
    return sorted(enclosed, key=lambda e: (e.follows, not (e.criteria & lacking)))


def _heading(letter: _Letter, name: str) -> str:
    """A section's heading line, in the words of the letter's route: a resubmission is no appeal
    (:data:`lf.RESUBMISSION_BASIS`), nor is a request to the next level of review."""
    if name == lf.LEGAL_BASIS:
        if _resubmission(letter) is not None:
            return lf.heading(lf.RESUBMISSION_BASIS)
        if _next_level(letter) is not None:
            return lf.heading(lf.REVIEW_BASIS)
    return lf.heading(name)


def _said_once(bodies: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The sections with each finding said once, where it answers the denial: a finding the
    criteria's section states in full is left out of the Objective findings list (which then
    goes when nothing is left in it), a sentence of the clinical summary it lists or states
    whole is left out of the summary (never the summary's first sentence, which introduces the
    patient), a
    sentence of the order a criterion states is left out of Requested service, a treatment the
    criteria section states in full is not a row of the Prior treatment table (which goes when
    no row is left), and the legal basis does not restate what an earlier section states."""
    argued = dict(bodies).get(lf.CRITERIA, "")
    said = {line.strip().rstrip(".") for line in argued.splitlines() if line.startswith("- ")}
    out: list[tuple[str, str]] = []
    for name, body in bodies:
        if name in _RESTATING_SECTIONS:
            body = _not_restated(body, " ".join(b for _, b in out))
            if not body.strip():
                continue
        if name == lf.REQUESTED_SERVICE:  # a sentence of the order a criterion states goes there
            first, *rest = body.split("\n\n", 1)  # the service's name stays
            asked = " ".join(dict(bodies).get(n, "") for n in (lf.IDENTIFICATION, lf.REQUEST))
            rest = [_not_reprinted(_not_restated(r, argued), asked) for r in rest]
            body = "\n\n".join([first, *rest]).strip()
        if name == lf.CLINICAL_SUMMARY:
            first, *rest = body.split("\n\n", 1)
            sentences = split_sentences(first)
            whole = _flat(re.sub(r"“[^”]*”", " ", argued))  # the plan's quote is not ours
            kept = sentences[:1] + [
                t
                for t in sentences[1:]
                if f"- {t.rstrip('.')}" not in said and _flat(t).rstrip(".") not in whole
            ]
            if len(kept) < len(sentences):
                body = "\n\n".join([" ".join(kept), *rest])
        if name == lf.OBJECTIVE_FINDINGS:
            lines = [line for line in body.splitlines() if line.strip().rstrip(".") not in said]
            if not any(line.strip() for line in lines):
                continue
            body = "\n".join(lines)
        if name == lf.PRIOR_TREATMENT and body.startswith("|"):
            head, rule, *rows = body.splitlines()
            rows = [row for row in rows if not _row_stated(row, argued)]
            if not rows:
                continue
            body = "\n".join([head, rule, *rows])
        out.append((name, body))
    return out


def _flat(text: str) -> str:
    """Text compared for a sentence said again: one space between words, case folded."""
    return " ".join(text.split()).casefold()


def states_treatment(text: str, name: str, marks: Sequence[str]) -> bool:
    """Whether a line of ``text`` states the treatment ``name`` in full: its name with the start
    of its course (else its dose: ``marks``) on one line. The quoted plan wording is not ours."""
    name = name.split(" (")[0].strip().casefold()
    wanted = [m.casefold() for m in marks if len(m) > 1 and m != lf.NOT_APPLICABLE]
    if not name or not wanted:
        return False
    lines = re.sub(r"“[^”]*”", " ", text).casefold().splitlines()
    return any(name in line and any(m in line for m in wanted) for line in lines)


def _row_stated(row: str, argued: str) -> bool:
    """A Prior treatment row ('| Name | Dose | Frequency | Duration | Outcome |') whose treatment
    the criteria section states in full: on one line, its name with the first date of its course
    (its dose when the row has no date; a second course of one drug has dates of its own), its
    dose when it has one and its outcome's first clause. A line naming only the drug and its
    start ('the record shows methotrexate since March 2, 2026') leaves the row, whose dose and
    outcome (a stop for hepatotoxicity) it does not say."""
    cells = [c.strip() for c in row.strip().strip("|").split("|")]
    if len(cells) < len(lf.PRIOR_TREATMENT_COLUMNS):
        return False
    first = find_dates(cells[3])
    if not states_treatment(argued, cells[0], [lf.fmt_date(first[0][0]) if first else cells[1]]):
        return False
    name = cells[0].split(" (")[0].strip().casefold()
    outcome = re.split(r"[:;,(]", cells[4], maxsplit=1)[0].strip()
    needed = [m.casefold() for m in (cells[1], outcome) if len(m) > 1 and m != lf.NOT_APPLICABLE]
    lines = re.sub(r"“[^”]*”", " ", argued).casefold().splitlines()
    return any(name in line and all(m in line for m in needed) for line in lines)


def _not_reprinted(body: str, asked: str) -> str:
    """The order's sentences (``body``, after 'As ordered:') without those that only reprint what
    the Identification and the Request already ask (``asked``): every code, count and date they
    hold and nearly all their words are said there. A sentence with a count, date or code of its
    own (what was approved, a frequency, the step-down) stays."""
    said = set(_ORDER_TOKEN_RE.findall(asked.lower()))
    kept: list[str] = []
    for paragraph in body.split("\n\n"):
        lead, colon, text = (
            paragraph.partition(": ")
            if paragraph.startswith("As ordered: ")
            else ("", "", paragraph)
        )
        every = split_sentences(text)
        sentences = [t for t in every if not _reprints(t, said)]
        if sentences and sentences[0] != every[0]:  # the order's lead went with its first
            lead = colon = ""
        if sentences:
            kept.append(f"{lead}{colon}{' '.join(sentences)}")
    return "\n\n".join(kept)


def _reprints(sentence: str, said: set[str]) -> bool:
    words = [w for w in _ORDER_TOKEN_RE.findall(sentence.lower()) if w not in _ORDER_FILLER]
    numbers = [w for w in words if any(c.isdigit() for c in w)]
    if not numbers or any(w not in said for w in numbers):
        return False
    plain = [w for w in words if w not in numbers]
    return sum(w in said for w in plain) >= _REPRINT_SHARE * len(plain)


_ORDER_TOKEN_RE = re.compile(r"[a-z0-9]+(?:[-'.][a-z0-9]+)*")
_ORDER_FILLER = frozenset(
    re.findall(
        r"\w+",
        "a an and the of for to from with on in at by x as or this that is are be through until "
        "cpt hcpcs code codes unit units",
    )
)
_REPRINT_SHARE = 0.75
"""An order sentence whose numbers are all asked for and at least this share of whose other
words are said in the Identification or the Request reprints them."""


_RESTATING_SECTIONS = frozenset({lf.LEGAL_BASIS})
"""Sections whose sentences may restate a case field an earlier section states ('The plan's
own decisions bear on this request: <the service's details>'): a sentence said before goes."""
_RESTATED_WORDS = 8
"""A sentence this long or longer, said word for word before, is a restatement."""


def _not_restated(body: str, before: str) -> str:
    """``body`` without the sentences an earlier section already states word for word (after a
    lead ending in a colon: 'The plan's own decisions bear on this request: ...'); lists,
    tables and headings are kept whole."""
    earlier = " ".join(before.lower().split())
    paragraphs = []
    for paragraph in body.split("\n\n"):
        if paragraph.lstrip().startswith(("- ", "|", "#", "1.")):
            paragraphs.append(paragraph)
            continue
        kept = []
        for sentence in split_sentences(paragraph):
            core = " ".join(sentence.split(": ", 1)[-1].lower().split()).rstrip(".")
            if len(core.split()) < _RESTATED_WORDS or core not in earlier:
                kept.append(sentence)
        if kept:
            paragraphs.append(" ".join(kept))
    return "\n\n".join(paragraphs)


# --------------------------------------------------------------------------- citations


def _cited_ids(tokens: str) -> Iterator[str]:
    for match in CITE_RE.finditer(tokens):
        for passage_id in match.group(1).split(","):
            if passage_id.strip():
                yield passage_id.strip()


def _localize(argument: CriterionArgument) -> str:
    """The argument with citation tokens: bare '[k]' (its k-th passage id) converted; tokens for
    its passage ids appended when it cites none."""
    text = argument.argument
    if CITE_RE.search(text):
        return text
    ids = argument.passage_ids

    def replace(match: re.Match[str]) -> str:
        numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
        return " ".join(cite(ids[n - 1]) for n in numbers if 1 <= n <= len(ids))

    converted = lf.CITATION_RE.sub(replace, text) if ids else text
    if ids and not CITE_RE.search(converted):
        converted = f"{converted.rstrip()} {' '.join(cite(i) for i in ids)}"
    return converted


def _arguments_by_index(
    analysis: DenialAnalysis, arguments: list[CriterionArgument]
) -> dict[int, CriterionArgument]:
    """The first argument for each criterion index the analysis has."""
    by_index: dict[int, CriterionArgument] = {}
    for argument in arguments:
        if argument.criterion_index < len(analysis.criteria):
            by_index.setdefault(argument.criterion_index, argument)
    return by_index


def _references(cited: list[Passage]) -> str:
    return "\n".join(
        lf.REFERENCE_LINE.format(number=n, reference=p.reference(), passage_id=p.id)
        for n, p in enumerate(cited, start=1)
    )


# --------------------------------------------------------------------------- letter context


@dataclass(frozen=True)
class _Letter:
    """Everything the sections render from."""

    analysis: DenialAnalysis
    case: CaseFacts
    passages: list[RetrievedPassage]
    arguments: dict[int, CriterionArgument]
    gaps: dict[str, Gap]
    today: date
    resolved: Resolved
    verdicts: list[CriterionVerdict]
    alternatives: list[Alternative]
    enclosed: list[Enclosure]
    retrospective: bool
    """A claim for services already given (:func:`retrospective`): read from the notice once,
    every section asks."""
    about: frozenset[str]
    """The topic words of what the request is about (:func:`_about_texts`), read once: the
    summary sentences kept and the findings listed both bear on them."""
    letter_text: str = ""
    """The denial letter's text (which program of the plan type it names: FEHB ...)."""
    ground: GroundAnswer | None = None
    """The denial's ground when it is not a list of clinical criteria, answered from the case."""
    exception: DrugException | None = None
    """The exception a drug restriction asks for, with the grounds the record supports."""
    strategy: Strategy | None = None
    """The draft's strategy results (the ground and the exception above come from it)."""
    support: bool = True
    """State the fitting guidelines no criterion states (:func:`supporting`)."""
    argued: str = ""
    """The criteria section as rendered ('' until it is): a section after it names a fact it
    states in full instead of stating it again."""

    @property
    def first_enclosure(self) -> int:
        """The number of the first enclosed record (the denial notice is number 1)."""
        return 2 if self.analysis.letter_date else 1

    def enclosure_numbers(self, index: int) -> list[int]:
        """Numbers of the enclosures that document criterion ``index`` (not a record still to
        follow: it is not enclosed yet)."""
        return [
            n
            for n, e in enumerate(self.enclosed, start=self.first_enclosure)
            if index in e.criteria and not e.follows
        ]

    def stated(self) -> set[str]:
        """The case facts the criterion sections state (their arguments' evidence)."""
        return {
            p
            for i, a in self.arguments.items()
            if not (i < len(self.verdicts) and self.verdicts[i].payer_met)
            for p in a.evidence
        }

    def fill(self, field: str, value: object) -> str:
        """The value as the letter shows it, or the gap's placeholder when the field is a gap."""
        gap = self.gaps.get(field)
        if gap is not None:
            return gap.placeholder
        if isinstance(value, date):
            return lf.fmt_date(value)
        return "" if value is None else str(value)

    @property
    def patient(self) -> str:
        return self.fill("patient.name", self.case.patient.name)

    @property
    def pronoun(self) -> str | None:
        """'she' or 'he' when the physician's own text about the patient (the summary and the
        consequences of denial) uses only that one, at least twice; None when it uses both or
        neither (the letter then names the patient)."""
        text = f"{self.case.clinical_summary or ''} {self.case.consequences_of_denial or ''}"
        words = re.findall(r"\b(?:she|her|hers|he|him|his)\b", text.lower())
        female = sum(w in ("she", "her", "hers") for w in words)
        male = len(words) - female
        if female >= 2 and not male:
            return "she"
        if male >= 2 and not female:
            return "he"
        return None

    def again(self) -> str:
        """The patient named again, soon after the name: the pronoun when known, else the
        name."""
        return self.pronoun or self.patient

    @property
    def coded(self) -> str:
        """'CPT 90867'; '' for a pharmacy-benefit drug with no CPT/HCPCS code (its NDCs are
        in the details)."""
        code = self.fill("service.code", self.resolved.service_code)
        return f"{code_label(self.resolved.service_code or '')} {code}".strip()

    @property
    def service(self) -> str:
        """'CPT 90867 — Transcranial magnetic stimulation ...' (the description alone when
        there is no code)."""
        description = self.fill("service.description", self.case.service.description)
        return f"{self.coded} — {description}" if self.coded else description

    def legal_passages(self) -> list[Passage]:
        """Retrieved regulation/argument passages that apply to the plan type, best first."""
        plan = self.analysis.plan_type
        ranked = sorted(self.passages, key=lambda rp: (rp.score, -rp.rank), reverse=True)
        return [
            rp.passage
            for rp in ranked
            if rp.passage.kind in LEGAL_KINDS and _applies_to(rp.passage, plan)
        ][:MAX_LEGAL_CITATIONS]


def _applies_to(passage: Passage, plan: PlanType) -> bool:
    """Whether a legal passage fits the plan type.

    A regulation must name the plan type (one that names none is not appeal law, e.g. a device
    clearance). Argument notes shape wording but are never cited (``relevance.citable``).
    """
    return passage.kind == "regulation" and plan in passage.plan_types


def code_label(code: str) -> str:
    """'CPT', 'HCPCS' or 'Revenue code' for a service code ('' when it is none of them)."""
    if is_cpt(code):
        return "CPT"
    if is_hcpcs(code):
        return "HCPCS"
    if is_revenue(code):
        return "Revenue code"
    return "MS-DRG" if re.fullmatch(r"\d{3}", code) else ""  # a stay's DRG ('292')


def _one_date_style(body: str) -> str:
    """A section with every date in the letter's style, the plan's quoted words aside (a quote
    stays verbatim)."""
    return "\n".join(
        line if line.startswith(QUOTE_LEAD) else lf.one_date_style(line)
        for line in body.split("\n")
    )


_OWN_NAME_SECTIONS = frozenset({lf.IDENTIFICATION, lf.SIGNATURE})
"""Where the signing physician is named (the table, the signature block)."""


def _first_person(body: str, physician: str | None) -> str:
    """The signing physician in the first person where case text names them ('signed by Dr.
    McAllister' -> 'signed by me', 'designated Dr. McAllister as' -> 'designated me as', 'Dr.
    McAllister's plan' -> 'my plan'): the letter is theirs."""
    words = (physician or "").split()
    if not words or words[-1] not in body:  # both patterns need the surname: none compiled
        return body
    surname = re.escape(words[-1])
    named = rf"(?:Dr\.?\s+)?(?:[A-Z][\w.-]*\s+){{0,2}}{surname}(?:,\s*(?:MD|DO))?"
    body = re.sub(
        rf"\b(by|with|to|from|designated|appointed|authori[sz]ed)\s+{named}\b(?!')", r"\1 me", body
    )
    return re.sub(rf"\bDr\.?\s+{surname}['’]s\b", "my", body)


_NAMED_PATIENT_SECTIONS = frozenset({lf.CONSEQUENCES, lf.LEGAL_BASIS, lf.REQUEST, lf.PEER_TO_PEER})
"""Sections whose rule sentences speak of 'the patient' (appeal rights, consent, the expedited
ask): the physician names their patient there. Not the clinical summary: it is the
physician's own text, where 'the patient' may be someone else (a nurse's patients)."""
_THE_PATIENT_RE = re.compile(r"\b[Tt]he patient(?P<s>['’]s)?\b")
_QUOTED_RE = re.compile(r"“[^”]*”|\[\[[^\]]*\]\]|\[MISSING[^\]]*\]")


def _patient_named(letter: _Letter, body: str) -> str:
    """The rule sentences' 'the patient' as the physician names them, only where
    :func:`_named_once` then shortens the name ('Ms. Okafor'): a child (whose consent a
    parent gives), a patient without a pronoun the physician's text settles, or a gap keeps
    'the patient' rather than the full name again and again."""
    name = letter.case.patient.name
    if not name or "patient.name" in letter.gaps or letter.pronoun is None or _minor(letter):
        return body
    return patient_named(body, name, letter.pronoun)


_OBJECT_LEAD_RE = re.compile(
    r"\b(?:for|to|with|of|by|from|on|entitles?|allows?|help|helps|let|lets)\s+$", re.IGNORECASE
)
"""The word before a mention that makes it an object ('act for', 'entitles')."""


def patient_named(body: str, name: str, pronoun: str | None = None) -> str:
    """'the patient may ask for external review' -> 'Amara L. Whitfield may ask ...': the
    physician names their patient where a rule's sentence says 'the patient' (the name is
    shortened later by :func:`_named_once`); again in the same sentence by the ``pronoun``
    ('she'/'he'): 'in her own name', 'act for her'. Quoted words, citation tokens,
    placeholders, the plan's quoted criterion, guideline lines and tables stay as they are."""
    possessive = {"she": "her", "he": "his"}.get(pronoun or "")
    objective = {"she": "her", "he": "him"}.get(pronoun or "")

    def sentence(text: str) -> str:
        said = False

        def replace(m: re.Match[str]) -> str:
            nonlocal said
            again, said = said, True
            if m.group("s"):
                return possessive if again and possessive else f"{name}{m.group('s')}"
            if again and objective and _OBJECT_LEAD_RE.search(text[: m.start()]):
                return objective
            return name

        return _THE_PATIENT_RE.sub(replace, text)

    lines = []
    for line in body.split("\n"):
        if line.startswith((QUOTE_LEAD, "Guideline (", "|")) or "the patient" not in line.lower():
            lines.append(line)
            continue
        out = []
        for part in re.split(r"(?<=[.;])\s+(?=[A-Z])", line):
            pieces, at = [], 0
            for q in _QUOTED_RE.finditer(part):
                pieces += [sentence(part[at : q.start()]), q.group()]
                at = q.end()
            out.append("".join([*pieces, sentence(part[at:])]))
        lines.append(" ".join(out))
    return "\n".join(lines)


_NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def _named_once(letter: _Letter, text: str) -> str:
    """The patient named in full once in the letter's prose (and in the Re line and the
    identification table), then as the physician writes of a patient: 'Mr. Thibodeaux',
    'Ms. Okafor' (the title from the pronoun the physician's own text uses). Without such a
    pronoun, for a child, or with the name a gap, the full name stays: no title is guessed."""
    name = letter.case.patient.name
    pronoun = letter.pronoun
    words = (name or "").split()
    while len(words) > 1 and words[-1].lower().strip(",") in _NAME_SUFFIXES:
        words.pop()
    if not name or pronoun is None or len(words) < 2 or "patient.name" in letter.gaps:
        return text
    if _minor(letter):  # a child is not 'Mr.': the name stays as the physician gives it
        return text
    short = f"{'Mr.' if pronoun == 'he' else 'Ms.'} {words[-1]}"
    lines = text.split("\n")
    seen = False
    for i, line in enumerate(lines):
        if line.startswith(("|", "Re:")) or name not in line:
            continue
        head, sep, rest = line.partition(name) if not seen else ("", "", line)
        lines[i] = head + sep + rest.replace(name, short)
        seen = True
    return "\n".join(lines)


ADULT_YEARS = 18


def _minor(letter: _Letter) -> bool:
    """Whether the patient is a child: younger than 18 on the letter's date by the date of
    birth, else by the age the clinical summary opens with ('10-year-old ...')."""
    born = letter.case.patient.date_of_birth
    if born is not None:
        today = letter.today
        years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        return years < ADULT_YEARS
    lead = _AGE_LEAD_RE.match(letter.case.clinical_summary or "")
    return lead is not None and (lead.group(2) != "year" or int(lead.group(1)) < ADULT_YEARS)


def _optional_date(value: date | None) -> str:
    return lf.fmt_date(value) if value else ""


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _lines(*lines: str) -> str:
    """Lines that render as separate lines (Markdown hard breaks)."""
    return "  \n".join(line for line in lines if line)


# --------------------------------------------------------------------------- sections


def _header(letter: _Letter) -> str:
    insurer = letter.fill("insurer", letter.resolved.insurer)
    member = letter.fill("patient.member_id", letter.resolved.member_id)
    claim = letter.fill("claim_reference", letter.resolved.claim_reference)
    level = _next_level(letter)
    what = "Appeal of denial"
    if level is not None:  # the plan's final internal decision: the next level answers it
        what = f"Request for {level.name[0].lower()}{level.name[1:]} of the final denial"
    reference = "Claim"
    if (resubmitted := _resubmission(letter)) is not None:  # no appeal: the request again
        what, reference = resubmitted.internal_appeal.name, resubmitted.reference
    parts = [
        lf.TITLE,
        lf.fmt_date(letter.today),
        _level_addressee(level) if level is not None else _addressee(letter, insurer),
        f"Re: {what} — {letter.patient}, Member ID {member}, {reference} {claim}",
    ]
    return "\n\n".join(p for p in parts if p)


def _next_level(letter: _Letter) -> LevelPlan | None:
    """The review that answers a notice that is the plan's final internal decision
    (``appeal.next_level``)."""
    from .appeal import next_level

    return next_level(letter.analysis, letter.letter_text)


def _level_addressee(level: LevelPlan) -> str:
    """The next level's body over the address the notice gives for it (none invented): the
    reviewing body for a request filed with it, the plan's external review unit otherwise."""
    if level.file_with != "reviewer":
        return ""
    body = level.body or level.reviewer
    body = body[4:] if body.lower().startswith("the ") else body
    address = level.address or ""
    if address.casefold().startswith(body.casefold()):
        address = address[len(body) :].strip(" ,")
    lines = [p.strip(" ,") for p in _ADDRESS_BREAK_RE.split(address) if p.strip(" ,")]
    return _lines(body[:1].upper() + body[1:], *lines)


_ADDRESS_BREAK_RE = re.compile(r",?\s+(?=(?:c/o|P\.?\s?O\.?\s+Box)\b)", re.IGNORECASE)


def _resubmission(letter: _Letter) -> PlanSpec | None:
    """The spec of a decision that has no appeal (an Original Medicare prior authorization
    non-affirmation), whose letter resubmits the request; None for an appealable decision."""
    from .reasoning.rights import resubmission

    return resubmission(letter.analysis, letter.letter_text)


def _addressee(letter: _Letter, insurer: str) -> str:
    """Where the letter goes: the appeal address and fax the notice gives for appeals
    ('Tri-County ... Fund, Appeals Committee' / 'c/o ..., PO Box 11395, Fort Wayne, IN 46859' /
    'Fax: 1-800-555-0183'), under the plan's name unless the address names it; else the plan's
    name over 'Appeals Department'. A resubmission goes to the prior authorization unit, at the
    fax the notice gives for resubmissions."""
    from .appeal import appeal_contact
    from .reasoning.rights import resubmission_fax

    if _resubmission(letter) is not None:
        fax = resubmission_fax(letter.letter_text)
        return _lines(insurer, "Prior Authorization", f"Fax: {fax}" if fax else "")

    contact = appeal_contact(letter.letter_text, letter.analysis)
    if not contact.address:
        return _lines(insurer, "Appeals Department")
    lines = [p.strip(" ,") for p in _ADDRESS_BREAK_RE.split(contact.address) if p.strip(" ,")]
    named = insurer.casefold() in contact.address.casefold()
    head = insurer.split(" (")[0]
    said_again = (
        re.match(rf"{re.escape(head)}\s*[,–—-]\s+(?=\S)", lines[0], re.I) if lines else None
    )
    if not named and head != insurer and said_again:
        # 'Meridian ..., LLC (for the ... Plan)' over 'Meridian ..., LLC, Attn: Appeals': the
        # name is said once, with the plan it administers
        lines[0] = lines[0][said_again.end() :]
    fax = f"Fax: {contact.fax}" if contact.fax else ""
    fast = letter.analysis.expedited_fax
    if fast and letter.case.urgency == "expedited" and not letter.retrospective:
        # the letter asks for an expedited appeal: it goes to the notice's expedited fax
        fax = f"Fax (expedited appeals): {fast}"
    return _lines("" if named and "insurer" not in letter.gaps else insurer, *lines, fax)


def _identification(letter: _Letter) -> str:
    case, physician = letter.case, letter.case.physician
    doctor = ", ".join(
        p
        for p in (
            letter.fill("physician.name", physician.name),
            letter.fill("physician.credentials", physician.credentials),
            physician.specialty or "",
        )
        if p
    )
    rows = [
        (lf.ID_PATIENT, letter.patient),
        (lf.ID_DOB, letter.fill("patient.date_of_birth", case.patient.date_of_birth)),
        (lf.ID_MEMBER, letter.fill("patient.member_id", letter.resolved.member_id)),
        (lf.ID_CLAIM, letter.fill("claim_reference", letter.resolved.claim_reference)),
        # the plan heads the letter's address block; the licence is in the signature
        (lf.ID_INSURER, letter.fill("insurer", None) if "insurer" in letter.gaps else None),
        (lf.ID_DENIAL_DATE, _optional_date(letter.analysis.letter_date)),
        (lf.ID_PHYSICIAN, doctor),
        (lf.ID_NPI, letter.fill("physician.npi", physician.npi)),
        (lf.ID_LICENSE, letter.fill("physician.license", None))
        if "physician.license" in letter.gaps
        else (lf.ID_LICENSE, None),
    ]
    table = "\n".join(f"| {label} | {_cell(value)} |" for label, value in rows if value)
    return f"{_opening_summary(letter)}\n\n| | |\n|---|---|\n{table}"


_COUNT_NAMES = {2: "both", 3: "all three", 4: "all four", 5: "all five", 6: "all six"}
MAX_SUMMARY_FIGURES = 4
_NAMED_SERVICE_CHARS = 60
"""A longer description is named by its code alone in the opening (Requested service has it)."""
_FIGURE_CHARS = 40
"""Criteria whose key figure the opening names (each criterion's section gives every one)."""


def _opening_summary(letter: _Letter) -> str:
    """The opening, in the physician's voice and in three or four sentences: what is asked (the
    service, the denial it reverses), which criteria the record meets with the key figures (from
    the computed verdicts only), what is asked where a criterion is not met or is conceded, and
    why the patient needs it now (the case's urgency reason or consequences). It asserts nothing
    the verdicts or the case do not state."""
    described = letter.fill("service.description", letter.case.service.description)
    when = letter.analysis.letter_date
    denial = f"your {lf.fmt_date(when)} denial" if when else "your denial"
    specialty = letter.case.physician.specialty
    role = (
        f"treating physician in {_common_nouns(specialty)}" if specialty else "treating physician"
    )
    ask = "I ask you to"
    level = _next_level(letter)
    if level is not None and level.file_with == "reviewer":
        # written to the next level's body (OPM, a state agency): the plan reverses its denial
        denial = denial.replace("your ", "its ", 1)
        ask = f"I ask you to direct {letter.resolved.insurer or 'the plan'} to"
    sentences = [f"I am {letter.patient}'s {role}. {ask} {_opening_request(letter, denial)}."]
    if letter.analysis.service_change is not None:  # a cut to a service already authorized
        notice = f"your {lf.fmt_date(when)} notice" if when else "your notice"
        cut = describe(letter.analysis.service_change, letter.coded or described)
        sentences = [
            f"I am {letter.patient}'s {role} and ask you to reverse the {cut} in {notice}."
        ]
    error = record_error_sentence(letter.strategy)
    if error:  # the denial rests on a record error: that leads, ahead of any criterion
        sentences.append(error)
    mandate = mandate_sentence(letter.strategy)
    if mandate:  # a state law bars the exclusion the denial rests on: that leads too
        sentences.append(mandate)
    if letter.ground is not None:  # what the appeal turns on, when not clinical criteria
        sentences.append(opening_sentence(letter.ground))
    argued = [v for v in letter.verdicts if not (v.payer_met or v.alternative or v.not_applicable)]
    met = [v for v in argued if v.status == "met" and not v.conceded]
    if met:
        names = lf.criterion_names(letter.analysis.criteria)
        keyed = [(names[v.index], f) for v in met if (f := _key_figure(letter, v))]
        # each figure with the criterion it meets, where several are met: a figure listed after
        # four criteria reads as the evidence of all four
        figures = [f"criterion {n}: {f}" if len(met) > 1 else f for n, f in keyed]
        figures = figures[:MAX_SUMMARY_FIGURES]
        alternatives = any(v.alternative for v in letter.verdicts)
        # the criteria the notice found met or not applicable are not counted here: 'all five
        # criteria your notice cited' of a notice that cited eight miscounts it
        cited = (
            "criteria your notice cited"
            if len(argued) == len(letter.verdicts)
            else "criteria your denial rests on"
        )
        which = (
            # alternatives: the ones met, by number (the criteria section's one line on those
            # not relied on says that one of each group suffices)
            _numbered(letter, met)
            if alternatives
            else f"{_COUNT_NAMES.get(len(argued), f'all {len(argued)}')} {cited}"
            if len(met) == len(argued) and len(argued) > 1
            else "the criterion your notice cited"
            if len(letter.verdicts) == 1
            else f"{_numbered(letter, met)}, the one your denial rests on"
            if len(argued) == 1
            and sole_ground(letter.analysis.criteria[met[0].index], met[0].index + 1)
            # the criteria met, by number: 'meets 1 of the 3 criteria' reads as a concession
            # that the rest are not met, which a physician's own appeal never says
            else _numbered(letter, met)
        )
        listed = (
            f": {'; '.join(figures)}" if figures and len(met) == 1
            else f" ({'; '.join(figures)})" if figures
            else ""
        )  # fmt: skip
        subject = letter.again()
        sentences.append(f"{subject[:1].upper()}{subject[1:]} meets {which}{listed}.")
    conceded = [v for v in argued if v.conceded and not v.accepted]
    if conceded:
        sentences.append(
            f"I do not dispute {_numbered(letter, conceded)} and ask for an exception there."
        )
    accepted = [v for v in argued if v.accepted]
    if accepted:  # the physician accepts the rule: the request is written to meet it
        sentences.append(
            f"I accept {_numbered(letter, accepted)}, and the request is written to meet it."
        )
    missing = [v for v in argued if v.status != "met" and not v.conceded]
    if missing:
        sentences.append(_review_asked(letter, missing))
    reason = _why_now(letter)
    if reason:
        sentences.append(reason)
    return " ".join(sentences)


def sole_ground(criterion: Criterion, number: int) -> bool:
    """Whether the one criterion argued (``number``: its place from 1) is the only one the
    notice found not met: its words and the payer's reason name no other criterion ('Section
    3.3 ... Section 3.5' read into 3.2's reason means the denial rests on three), so 'the one
    your denial rests on' is true."""
    own = {criterion.label or "", str(number)}
    said = f"{criterion.text} {criterion.payer_reason or ''}"
    return all(label in own for label in labels_named(said))


def _common_nouns(title: str) -> str:
    """A specialty as a sentence names it: 'Orthopaedic Surgery (Adult Reconstruction)' ->
    'orthopaedic surgery (adult reconstruction)'; an acronym or a mixed-case word ('PM&R',
    'McKenzie') is kept."""
    return re.sub(r"\b[A-Z][a-z]+\b", lambda m: m.group(0).lower(), title)


def _opening_request(letter: _Letter, denial: str) -> str:
    """What the opening asks, by name: the service ('reverse your October 21, 2026 denial and
    approve transcranial magnetic stimulation (CPT 90867) for ...'); for a claim, that it be
    paid; for several items, claim lines or a days table, each by name. Every code with its
    units, the count and the period are stated once, in the Request (which the validator holds
    to them); the Requested service section under the opening names the code and service."""
    action = f"reverse {denial} and approve"
    if _retrospective(letter):
        action = f"reverse {denial} and pay for"
    if (resubmitted := _resubmission(letter)) is not None and resubmitted.ask:
        action = f"{resubmitted.ask} for"  # no appeal: the request, affirmed for the care to come
    if headed(letter.analysis.items):  # several items: each by name (the Request details them)
        return f"{action} {_items_named(letter.analysis.items)}{_opening_diagnosis(letter)}"
    if days := _days_denied(letter):  # a days table: the days it denied, no others
        return f"reverse {denial} of {days}{_opening_diagnosis(letter)}"
    if lines := _claim_lines_denied(letter.analysis.items):  # the Request lists each line
        return f"{action} {_lines_named(lines)}{_opening_diagnosis(letter)}"
    return f"{action} {_opening_service(letter)}{_opening_diagnosis(letter)}"


def _keeps_capital(text: str, product: bool) -> bool:
    """Whether a service's description keeps its capital inside a sentence: it starts with a
    drug's brand name ('Entyvio (vedolizumab) 300 mg'), or names a pharmacy product by a word
    the drug lexicon does not know ('Ajovy ...'); a generic name ('Dupilumab (Dupixent)',
    'Risankizumab-rzaa') or a common noun ('Breast reduction') is lowered."""
    first = text.split(maxsplit=1)[0].strip(",;:") if text.strip() else ""
    # a biologic's suffix is no part of its name in the lexicon ('Bimekizumab-bkzx')
    ingredient = book().ingredient_in(first.split("-")[0]) if first else None
    if ingredient is None:
        return product
    return not first.casefold().startswith(ingredient.casefold())


_PRODUCT_NAME_RE = re.compile(r"^[A-Za-z][\w'-]*(?: [A-Za-z][\w'-]*){0,2}(?: \([^)]{1,40}\))?")
"""A drug's name at the head of its description, with the other name in parentheses when one
follows ('Dupilumab (Dupixent)' of 'Dupilumab (Dupixent) 300 mg every 14 days ...')."""


def _opening_service(letter: _Letter) -> str:
    """The service as the opening names it: its description when short, with its code
    ('transcranial magnetic stimulation (CPT 90867)'), else the code alone ('CPT 27447'; the
    Requested service section below gives the description); a drug by its name ('Dupilumab
    (Dupixent)'), its strength, regimen and quantity being the Request's."""
    described = letter.case.service.description or ""
    if "service.description" in letter.gaps or not described:
        return _what_to_approve(letter, placeholder=False, brief=True)
    product = bool(drug_request(letter.analysis, letter.case, letter.letter_text))
    if product and (m := _PRODUCT_NAME_RE.match(described)):
        described = m.group(0)
    coded = _opening_codes(letter)
    if len(described) > _NAMED_SERVICE_CHARS:
        return coded or _what_to_approve(letter, placeholder=False, brief=True)
    named = described if _keeps_capital(described, product) else lower_first(described)
    return f"{named} ({coded})" if coded and coded not in named else named


def _opening_codes(letter: _Letter) -> str:
    """The codes the opening names: every requested code, without its units, when several
    are denied ('CPT 90867 and CPT 90868'; the Request states each with its units), else the
    service's code ('CPT 90867'); '' when the case lacks the code."""
    labels = list(
        dict.fromkeys(
            f"{code_label(code)} {code}".strip()
            for code, _, _ in requested_codes(letter.analysis, letter.case, letter.letter_text)
        )
    )
    if len(labels) > 1:
        return ", ".join(labels[:-1]) + " and " + labels[-1]
    return letter.coded if "service.code" not in letter.gaps else ""


_DIAGNOSIS_CHARS = 60
"""A longer diagnosis is named by its code alone in the opening (Diagnosis lists it whole)."""


def _opening_diagnosis(letter: _Letter) -> str:
    """' for major depressive disorder (ICD-10-CM F33.2)': the primary diagnosis by its name
    (without the code set's parenthetical words; a long one up to its first comma), or by its
    code when the name is long even so ('' when the case has none)."""
    if not letter.case.diagnoses:
        return ""
    primary = letter.case.diagnoses[0]
    name = _PARENTHESIS_RE.sub("", primary.description or "").strip()
    if len(name) > _DIAGNOSIS_CHARS:
        name = name.split(",")[0].strip()
    if not name or len(name) > _DIAGNOSIS_CHARS:
        return f" for diagnosis {primary.code}"
    return f" for {lower_first(name)} (ICD-10-CM {primary.code})"


MAX_OPENING_ENCLOSURES = 3
"""The enclosed records the opening names for the open criteria (the list names every one)."""


def _review_asked(letter: _Letter, open_verdicts: list[CriterionVerdict]) -> str:
    """The opening's sentence for the criteria the record is not yet shown to meet: the
    enclosed records that bear on them and the request that the reviewer weigh them with this
    letter ('For criteria 2 and 3, I ask that you review the enclosed clinic note (Enclosure
    3) and the record set out below'). It never counts or names them as not met: that reads as
    the physician arguing the plan's side of the appeal."""
    numbers = sorted({n for v in open_verdicts for n in letter.enclosure_numbers(v.index)})
    which = _numbered(letter, open_verdicts)
    if numbers:
        records = _enclosure_phrase(letter, numbers[:MAX_OPENING_ENCLOSURES])
        return f"For {which}, I ask that you review {records} and the record set out below."
    return f"For {which}, I ask that you review the record set out below."


def _numbered(letter: _Letter, verdicts: list[CriterionVerdict]) -> str:
    """'criterion 2', 'criteria 1 and 2', 'criteria 4.1, 4.3 and 4.5' (the payer's labels)."""
    names = lf.criterion_names(letter.analysis.criteria)
    return lf.named_list([names[v.index] for v in verdicts])


_FIGURE_ORDER = ("threshold", "trial_count", "duration", "class_count", "time_window")
"""Which requirement's figure stands for a criterion in the opening: a measurement first, then
a duration, a count of classes, of trials, and a date within a window last."""
_AMOUNT_RE = re.compile(
    r"^(?:longest |all \d+, shortest )?(\d[\d.]* (?:hours?|days?|weeks?|months?|years?|"
    r"sessions?|visits?|treatments?|cycles?|doses?|courses?)\b)"
)
"""A duration's amount ('8.4 months', 'all 5, shortest 8 weeks'): a number and its unit of
time or of care, never a number and whatever word follows it ('1 completed')."""
_COUNT_FOUND_RE = re.compile(r"^(\d+) (failed(?: or not tolerated)?|not tolerated)$")
_DATED_FOUND_RE = re.compile(r"^([A-Z][a-z]+ \d{1,2}, \d{4}), \d")


def _figure_parts(letter: _Letter, verdict: CriterionVerdict) -> str:
    """The patient's figure in words for a met criterion: 'DAS28-CRP
    5.6 on September 22, 2026 (above 3.2 within the past 90 days required)', '8.4 months of
    nonoperative management (at least 3 months required)', '2 failed intra-articular injections
    (at least 1 required)'; a criterion with no amount gives its short finding whole
    ('QuantiFERON-TB Gold Plus negative on August 28, 2026'). '' when it has none."""
    met = [rv for rv in shown(verdict) if rv.status == "met" and not rv.conceded]
    ranked = sorted(
        (rv for rv in met if rv.numeric and rv.requirement.kind.value in _FIGURE_ORDER),
        key=lambda rv: _FIGURE_ORDER.index(rv.requirement.kind.value),
    )
    for rv in ranked:
        req, found = rv.requirement, rv.found
        standard = standard_words(req)
        kind = req.kind.value
        if kind == "threshold":
            # the finding without its parentheses ('PD-L1 IHC 22C3 pharmDx (FDA-approved ...),
            # tumor proportion score 80%'), up to the arithmetic (': 79 percentage points ...')
            figure = _PARENTHESIS_RE.sub("", found).split(": ")[0].strip()
            if len(figure) > _FIGURE_CHARS + 40 or not re.search(r"\d", figure):
                continue
            if figure[:1].isdigit():  # '41 mg/dL on ...': what was measured, first
                figure = f"{subject_words(req.subject)} {figure}"
            return f"{figure} ({standard} required)"
        if kind == "duration":
            amount = _AMOUNT_RE.match(found)
            if amount is None or req.each:  # 'shortest 8 weeks' of each is no total
                continue
            subject = subject_words(req.subject)
            named = "" if subject.lower() in ("duration", "time window") else f" of {subject}"
            return f"{amount.group(1)}{named} ({standard} required)"
        if kind in ("trial_count", "class_count"):
            count = _COUNT_FOUND_RE.match(found)
            if kind == "trial_count" and count:
                words = counted_words(req, int(count.group(1)), count.group(2))
                classes = next(
                    (c for c in ranked if c.requirement.kind.value == "class_count"), None
                )
                number = re.match(r"^(\d+) classes", classes.found) if classes else None
                if classes and number and classes.requirement.value is not None:
                    # 'five trials from three classes against four from two'
                    window = f" {subject_words(req.window)}" if req.window else ""
                    need = f"{standard_words(req, window=False)} from "
                    need += f"{classes.requirement.value:g}{window}"
                    return f"{words} from {number.group(1)} classes ({need} required)"
                if req.value == 1 and len(ranked) > 1:
                    continue  # 'at least 1 trial': the duration or measure says more
                return f"{words} ({standard} required)"
            head = found.split(" (")[0]
            if re.fullmatch(r"\d+ \w+", head):
                return f"{head} ({standard} required)"
            continue
        dated = _DATED_FOUND_RE.match(found)  # a date within the window
        if not tokens(_record_name(letter, rv.evidence)) & tokens(verdict.criterion.text):
            # a record's date says what the criterion asks only of a record the criterion
            # names (a mobility score's date is no admission date)
            continue
        name = _record_name(letter, rv.evidence)
        short = _short_finding(letter, rv.evidence[0]) if rv.evidence else ""
        if dated and short:
            return f"{short} ({standard} required)"
        if dated and name:
            return f"{name} of {dated.group(1)} ({standard} required)"
    for rv in met:
        phrases = [_short_finding(letter, p) for p in rv.evidence]
        if rv.evidence and all(phrases) and len(phrases) <= 2:
            return " and ".join(p for p in phrases if p)
    return ""


def _record_name(letter: _Letter, paths: list[str]) -> str:
    """The name of the record a verdict rests on, in lower case when it is a common noun."""
    for path in paths:
        m = re.match(r"^(prior_treatments|objective_findings)\[(\d+)\]$", path)
        if m is None:
            continue
        records = letter.case.prior_treatments if m.group(1) == "prior_treatments" else None
        name: str = (records or letter.case.objective_findings)[int(m.group(2))].name
        first = name.split()[0] if name.split() else ""
        return f"the {lower_first(name)}" if first[1:].islower() else name
    return ""


def _short_finding(letter: _Letter, path: str) -> str:
    """'QuantiFERON-TB Gold Plus negative on August 28, 2026' ('' when not a short finding)."""
    m = re.match(r"^objective_findings\[(\d+)\]$", path)
    if m is None:
        return ""
    f = letter.case.objective_findings[int(m.group(1))]
    if len(f.value) > _FIGURE_CHARS:
        return ""
    value = f.value.lower() if f.value[:1].isupper() and f.value[1:].islower() else f.value
    return f"{f.name} {value}" + (f" on {lf.fmt_date(f.date)}" if f.date else "")


def _key_figure(letter: _Letter, verdict: CriterionVerdict) -> str:
    """The patient's figure for the opening, without the plan's standard: the criterion's
    section states the requirement beside the patient's value and compares them, so the
    opening does not say the threshold again ('8.4 months of nonoperative
    management'). '' when none, or when the figure names nothing without its standard (a bare
    '12 months', 'disciplines 3')."""
    figure = _REQUIRED_RE.sub("", _figure_parts(letter, verdict))
    if _BARE_NUMBER_END_RE.search(figure) or not set(_WORD_RE.findall(figure)) - _UNIT_WORDS:
        return ""
    return figure


_REQUIRED_RE = re.compile(r" \((?:[^()]|\([^()]*\))*required\)$")
_BARE_NUMBER_END_RE = re.compile(r"^[^\d]+ \d[\d.]*$")
"""'disciplines 3', 'close blood relative 3': a count read as a measurement, with no noun."""
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z-]{2,}")
_UNIT_WORDS = frozenset(
    {"months", "month", "weeks", "week", "days", "day", "years", "year", "hours", "failed"}
)


def _why_now(letter: _Letter) -> str:
    """Why the patient needs the service now: the case's urgency reason ('' when it states
    none). The consequences of denial are stated once, in their own section, not also here."""
    case = letter.case
    if not case.urgency_reason:
        return ""
    text = lf.one_date_style(case.urgency_reason.strip().rstrip("."))
    return f"It is needed now: {lower_first(text)}."


_PARENTHESIS_RE = re.compile(r"\s*\([^()]*\)")


def _diagnosis(letter: _Letter) -> str:
    if not letter.case.diagnoses:
        return f"- {letter.fill('diagnoses', None)}"
    return "\n".join(
        f"- ICD-10-CM {d.code} — {d.description}" if d.description else f"- ICD-10-CM {d.code}"
        for i, d in enumerate(letter.case.diagnoses)
        if _bears_on_request(letter, i)
    )


_CONDITION_WORD_RE = re.compile(r"\b[a-z][a-z-]{4,}\b")
_ACRONYM_RE = re.compile(r"\b[A-Z]{2,6}\b")
_GENERIC_CONDITION_WORDS = frozenset(
    {
        "other", "unspecified", "without", "with", "mellitus", "primary", "secondary",
        "essential", "disorder", "disorders", "disease", "diseases", "condition", "chronic",
        "acute", "current", "episode", "severe", "moderate", "status", "history", "personal",
        "family", "adult", "pediatric", "region", "right", "left", "bilateral", "unilateral",
        "multiple", "sites", "complications", "uncomplicated", "classified", "elsewhere",
        "intermittent", "persistent", "specified", "stage", "presence", "long-term", "term",
        "following", "forms", "type", "types", "intractable", "malignant", "neoplasm",
    }
)  # fmt: skip
"""Words of a diagnosis's description that name no condition of their own."""


def _bears_on_request(letter: _Letter, index: int) -> bool:
    """Whether the Diagnosis section lists a case diagnosis: the primary (first) one, one the
    notice names by code, one a criterion's verdict rests on, or one whose condition the
    notice, a criterion, the requested service, the clinical summary as the letter gives it, a
    finding or a treatment names ('hypertension' in a sleep-apnea policy's list, 'kidney' in
    an eGFR finding). A comorbidity that bears on none (reflux, hyperlipidemia beside a knee
    replacement; asthma beside an epilepsy monitoring claim) is left out: it is in the chart,
    and the letter is about the request."""
    if index == 0:
        return True
    diagnosis = letter.case.diagnoses[index]
    text = letter.letter_text
    code = diagnosis.code.strip()
    if code and (code in text or code.replace(".", "") in text):
        return True
    path = f"diagnoses[{index}]"
    if any(path in v.evidence for v in letter.verdicts):
        return True
    case = letter.case
    about = " ".join(
        [text, case.service.description or "", case.service.details or ""]
        + [c.text for c in letter.analysis.criteria]
        # the summary as the letter gives it (its asides about other conditions left out),
        # and the findings and treatments it sets out
        + [_clinical_summary(letter)]
        + [f"{f.name} {f.value or ''} {f.interpretation or ''}" for f in case.objective_findings]
        + [f"{t.name} {t.outcome or ''}" for t in case.prior_treatments]
    )
    described = diagnosis.description or ""
    words = set(_CONDITION_WORD_RE.findall(described.lower())) - _GENERIC_CONDITION_WORDS
    acronyms = set(_ACRONYM_RE.findall(described))  # 'BMI', 'GERD': their own case
    lowered = about.lower()
    return any(literal.bounded(lowered, w) for w in words) or any(
        literal.bounded(about, a) for a in acronyms
    )


def _code_phrase(
    code: str,
    units: int | None,
    modifiers: list[str],
    texts: list[str],
    read: RequestedService | None = None,
    per_dose: str = "",
) -> str:
    """'HCPCS A4239 1 unit (a 1-month supply) per month for 12 months', 'CPT 90868 × 36', 'CPT
    96366 × 3 per infusion': the code with its modifiers, units, the period or administration
    (``per_dose``) each quantity is per and the period requested (``texts``: the denial and the
    service details, where they are stated)."""
    label = code_label(code)
    text = f"{label} {code}".strip()
    if read is not None and read.revenue:  # the facility's line: 'Revenue code 0360 / CPT 19371'
        text = f"{code_label(read.revenue)} {read.revenue} / {text}".strip()
    if modifiers:
        text += "-" + "-".join(modifiers)
    per, times = (read.per, read.administrations) if read is not None else (None, None)
    per_period = quantity(code, units, texts, per, times)
    if per_period:
        text += f" {per_period}"
    elif units is not None:
        text += f" × {units}" + (f" per {per_dose}" if per_dose else "")
    return text


def _code_lines(text: str) -> list[str]:
    """Each place the denial lists a code: from the code to the next blank line or list line
    (a code's description may wrap onto the next line)."""
    return [m.group(0) for m in _CODE_LINE_RE.finditer(text)]


_CODE_LINE_RE = re.compile(r"\b[A-Z0-9]\d{3}[0-9A-Z]\b[^\n]*(?:\n[ \t]{4,}[^\n]+)*")


def _codes(letter: _Letter, brief: bool = False) -> list[str]:
    """Every requested code as the letter names it (see _code_phrase). A claim's lines that
    bill the same code with the same units and modifiers on several dates are named once,
    'on each date of service' (the dates follow in the request). The denied part of a line
    approved in part is stated with its rate, period and the amounts requested and approved
    (``partial_phrase``), or, ``brief`` (the opening), as its units alone."""
    texts = [*_code_lines(letter.letter_text), letter.case.service.details or ""]
    read: dict[str, list[RequestedService]] = {}  # each code's lines, as the reading has them
    for service in letter.analysis.requested:
        read.setdefault(service.code, []).append(service)
    lines = requested_codes(letter.analysis, letter.case, letter.letter_text)
    repeated = _repeated_claim_lines(letter, lines)
    billed = (
        claim_lines(letter.letter_text, [c for c, _, _ in lines])
        if _retrospective(letter) and not repeated
        else {}
    )
    partial = partial_lines(letter.letter_text)
    out: list[str] = []
    for code, units, mods in lines:
        line = read[code].pop(0) if read.get(code) else None
        times = repeated.get((code, units, tuple(mods)))
        if code in partial and units == partial[code].denied:  # the denied part of a line
            label = f"{code_label(code)} {code}{''.join(f'-{m}' for m in mods)}".strip()
            said = partial_phrase(partial[code], partial_texts(letter.case, letter.letter_text))
            out.append(f"{label} {f'{units:,} units' if brief else said}")
        elif times is None:
            per = per_dose_word(code, units, line, letter.letter_text, letter.case)
            phrase = _code_phrase(code, units, mods, texts, line, per)
            out.append(_on_claim_line(phrase, billed.get(code)))
        elif times:  # the first of the repeated lines names them all
            label = f"{code_label(code)} {code}{''.join(f'-{m}' for m in mods)}".strip()
            each = f" × {units}" if units is not None else ""
            out.append(f"{label}{each} on each date of service")
            repeated[(code, units, tuple(mods))] = 0
    return out


def _on_claim_line(phrase: str, line: ClaimLine | None) -> str:
    """'line 01, CPT 95810 × 1 (date of service August 13, 2026; billed $2,310.00)': a code
    of a claim with its line's number, date and amount, as the notice's table gives them."""
    if line is None:
        return phrase
    head = f"line {line.number}, " if line.number else ""
    amount = f"; billed ${line.billed}" if line.billed else ""
    if line.last is not None:
        when = f"dates of service {lf.fmt_date(line.day)} to {lf.fmt_date(line.last)}"
    else:
        when = f"date of service {lf.fmt_date(line.day)}"
    return f"{head}{phrase} ({when}{amount})"


_AHEAD_RE = re.compile(
    r"\b(?:continu(?:e|es|ing|ation)|ongoing|going forward|maintenance|from now on|further|"
    r"remaining)\b",
    re.IGNORECASE,
)
"""Words of the case's details that ask for the course to go on after the claim's dates."""


def _going_forward(letter: _Letter, codes: list[tuple[str, int | None, list[str]]]) -> str:
    """For a claim whose lines bill a code on several dates, when the case's details ask for
    the course to go on at a stated rate ('continue 1 session per month for 12 months'): the
    request to approve it going forward, in the details' quantity ('' otherwise)."""
    details = letter.case.service.details or ""
    repeated = _repeated_claim_lines(letter, codes)
    if not repeated or not _AHEAD_RE.search(details):
        return ""
    asked = []
    remaining = _REMAINING_RE.search(details)
    each = remaining["what"].lower().removesuffix("s") if remaining else "date of service"
    for code, units, mods in repeated:
        # the details' quantity for the code, else the units each claim line billed when the
        # details state a count still to come (a word like 'further' alone asks for nothing)
        each_line = f"× {units} per {each}" if units and remaining else ""
        ahead = quantity(code, units, [details]) or each_line
        if ahead and not re.search(r"\bfor \d", ahead):  # the period the details ask for
            ahead = f"{ahead} {case_period(details)}".strip()
        if ahead:
            label = f"{code_label(code)} {code}{''.join(f'-{m}' for m in mods)}".strip()
            asked.append(f"{label} {ahead}")
    if not asked:
        return ""
    joined = asked[0] if len(asked) == 1 else ", ".join(asked[:-1]) + " and " + asked[-1]
    still = f" ({' '.join(remaining.group().split())})" if remaining else ""
    return f" For the care still to come{still}, I also ask that you approve {joined}, as ordered."


_REMAINING_RE = re.compile(
    r"\b(?:remaining|further|next)\s+\d{1,3}\s+(?:[a-z]+ly\s+)?"
    r"(?P<what>doses|infusions|injections|treatments|sessions|cycles)\b",
    re.IGNORECASE,
)
"""The details' count of administrations still to come ('the remaining 9 monthly doses')."""


def _repeated_claim_lines(
    letter: _Letter, lines: list[tuple[str, int | None, list[str]]]
) -> dict[tuple[str, int | None, tuple[str, ...]], int]:
    """For a claim for care already given: each (code, units, modifiers) the lines bill more
    than once, with how many times, when the claim states as many dates of service (the
    request lists them); {} otherwise."""
    if not _retrospective(letter):
        return {}
    counts: dict[tuple[str, int | None, tuple[str, ...]], int] = {}
    for code, units, mods in lines:
        key = (code, units, tuple(mods))
        counts[key] = counts.get(key, 0) + 1
    dates = claim_dates(letter.analysis, letter.letter_text)
    return {k: n for k, n in counts.items() if n > 1 and len(dates) >= n}


def _requested_service(letter: _Letter) -> str:
    # every code with its units and the period are stated once, in the Request
    parts = [letter.service]
    details = (letter.case.service.details or "").strip().rstrip(".")
    ordered = lf.one_date_style(details)
    if details:  # the physician's own order, as a sentence (not a pasted 'Details:' field)
        parts.append(f"As ordered: {lower_first(ordered)}.")
    period = _period(letter).removeprefix(", for ")
    # the notice's dates of service, in a sentence, each said once (not again when the order
    # above states it)
    said = [lf.fmt_date(d) for d in _service_dates(letter)]
    dates = [d for d in dict.fromkeys(said) if d not in ordered]
    if not period and dates:
        listed = dates[0] if len(dates) == 1 else ", ".join(dates[:-1]) + f" and {dates[-1]}"
        parts.append(f"The service is planned for {listed}.")
    return "\n\n".join(parts)


def _service_dates(letter: _Letter) -> list[date]:
    """The notice's dates that date the service still to be given: those after the notice's own
    (a planned date). A date on or before the notice of a request not yet given is the
    request's (received, reviewed), which tells the reviewer nothing of the service; a claim's
    dates of service are the Request's, which asks to pay for them."""
    denied = letter.analysis.letter_date
    if _retrospective(letter) or denied is None:
        return []
    return [d for d in letter.analysis.service_dates if d > denied]


def _about_texts(analysis: DenialAnalysis, case: CaseFacts) -> list[str]:
    """What the request is about, for choosing the summary sentences and the findings that
    bear on it: the criteria, the service, the diagnoses and the consequences of denial."""
    about = [c.text for c in analysis.criteria]
    about += [case.service.description or "", case.consequences_of_denial or ""]
    return about + [d.description or "" for d in case.diagnoses]


def _record_texts(analysis: DenialAnalysis, case: CaseFacts) -> list[str]:
    """Besides :func:`_about_texts`, what tells which records bear on the appeal: the treating
    physician's field (a radiation oncology consultation in a radiotherapy appeal), the
    notice's descriptions of the codes and the case's summary."""
    texts = [case.physician.specialty or "", case.clinical_summary or ""]
    return texts + [r.description or "" for r in analysis.requested]


def _findings_shown(
    case: CaseFacts, verdicts: list[CriterionVerdict], about: frozenset[str]
) -> list[int]:
    """The findings the Objective findings section lists: those no criterion states (they are
    given under it; a criterion the notice found met has no section, so its evidence is listed
    here) that bear on the request (``about``: a TSH in an asthma appeal does not)."""
    used = {p for v in verdicts if v.requirements and not v.payer_met for p in v.evidence}
    return [
        i
        for i, f in enumerate(case.objective_findings)
        if f"objective_findings[{i}]" not in used
        and bears_on(f"{f.name} {f.value} {f.interpretation or ''}", about)
    ]


def _clinical_summary(letter: _Letter) -> str:
    written = letter.case.clinical_summary
    if written:
        written = _introduced(letter, lf.one_date_style(condensed(written, letter.about)))
    # a gap on clinical_summary for another part (the ground's missing fact) keeps the summary
    summary = written or letter.fill("clinical_summary", written)
    # a claim for care already given is never decided on the expedited track
    if letter.case.urgency != "expedited" or _urgency_said(letter) or _retrospective(letter):
        return summary
    return f"{summary}\n\n{_urgency_request(letter)}"


_AGE_LEAD_RE = re.compile(r"^(\d+)-(year|month|week|day)-old\b")
"""A chart's fragment that opens a summary: '47-year-old logistics coordinator with ...'."""


def _introduced(letter: _Letter, summary: str) -> str:
    """The summary as the physician tells it, in sentences: a chart's opening fragment ('47-year-old
    logistics coordinator with ...') gets its subject ('Marisol T. Okafor is a 47-year-old
    ...'); a summary that already opens with a sentence is left as written."""
    lead = _AGE_LEAD_RE.match(summary)
    if lead is None or "patient.name" in letter.gaps:
        return summary
    number = lead.group(1)
    vowel = number == "8" or number.startswith("8") or number in ("11", "18")
    return f"{letter.patient} is {'an' if vowel else 'a'} {summary}"


def _urgency_said(letter: _Letter) -> bool:
    """Whether the letter already says why the care is urgent and asks for expedited review
    elsewhere: the opening gives the case's urgency reason and the Request asks in the law's
    words (the clinical summary then does not say it a third time)."""
    from .reasoning.rights import timeline

    if not letter.case.urgency_reason:
        return False
    asked = timeline(letter.analysis, letter.letter_text, letter.case, letter.today)
    return "expedit" in asked.lower()


def _urgency_request(letter: _Letter) -> str:
    reason = letter.case.urgency_reason
    if reason:
        reason = lower_first(lf.one_date_style(reason).rstrip("."))
        return f"This request is urgent: {reason}. I request expedited review."
    return (
        "This request is urgent: applying the standard time frame could seriously jeopardize "
        "the patient's life, health or ability to regain maximum function. "
        "I request expedited review."
    )


def _prior_treatment(letter: _Letter) -> str | None:
    """The treatments no criterion states, as a table (those that answer a criterion are set
    out under it, with dose, dates and outcome, and are not repeated here), less those for
    another of the patient's conditions (:func:`_treats_another_condition`); no section when
    none is left."""
    treatments = letter.case.prior_treatments
    if not treatments:
        return "The case file records no prior treatment."
    stated = letter.stated()
    request = _request_topics(letter)
    rest = [
        (i, t)
        for i, t in enumerate(treatments)
        if f"prior_treatments[{i}]" not in stated
        and not _treats_another_condition(letter, t, request)
    ]
    if not rest:
        return None
    header = "| " + " | ".join(lf.PRIOR_TREATMENT_COLUMNS) + " |"
    rule = "|" + "---|" * len(lf.PRIOR_TREATMENT_COLUMNS)
    rows = [_treatment_row(letter, i, t) for i, t in rest]
    return "\n".join([header, rule, *rows])


def _request_topics(letter: _Letter) -> frozenset[str]:
    """The topic words of the request (the notice, its criteria, the service and the primary
    diagnosis), read once for every treatment (:func:`_treats_another_condition`)."""
    return topics(
        [
            letter.letter_text,
            letter.case.service.description or "",
            letter.case.service.details or "",
            *(c.text for c in letter.analysis.criteria),
            *(d.description or "" for d in letter.case.diagnoses[:1]),
        ]
    )


def _treats_another_condition(
    letter: _Letter, treatment: PriorTreatment, request: frozenset[str]
) -> bool:
    """Whether a treatment is for another of the patient's conditions, not the one appealed:
    its name or outcome names the condition of a diagnosis other than the primary one
    ('Metformin: diabetes controlled' beside a venous ulcer; 'Tiotropium: COPD stable' beside
    lung metastases) and shares no topic with the request (the notice, its criteria, the
    service and the primary diagnosis: ``request``, :func:`_request_topics`). It is in the chart
    and the enclosed records; the letter's table is about the request."""
    text = f"{treatment.name} {treatment.outcome or ''}"
    if bears_on(text, request):
        return False
    lowered = text.lower()
    for diagnosis in letter.case.diagnoses[1:]:
        described = _PARENTHESIS_RE.sub("", diagnosis.description or "")
        words = set(_CONDITION_WORD_RE.findall(described.lower())) - _GENERIC_CONDITION_WORDS
        acronym = initials(described.split(",")[0], keep_digits=True)  # 'T2DM', 'COPD'
        if any(literal.bounded(lowered, w) for w in words) or (
            len(acronym) >= 3 and literal.bounded(text, acronym)
        ):
            return True
    return False


def _dose_cell(letter: _Letter, index: int, treatment: PriorTreatment, attribute: str) -> str:
    value = getattr(treatment, attribute)
    field = f"prior_treatments[{index}].{attribute}"
    if value:
        return str(value)
    # a dose the case does not give is the physician's gap (listed with its field), not a
    # placeholder in the table: the cell says nothing
    return "" if field in letter.gaps else lf.NOT_APPLICABLE


def _duration_cell(letter: _Letter, index: int, treatment: PriorTreatment) -> str:
    dates = treatment_period(treatment, joiner=" – ", lead="")
    if not has_duration(treatment):  # the gap is the physician's: the dates the case gives
        return dates
    if treatment.duration and dates:
        if treatment.start and lf.fmt_date(treatment.start) in treatment.duration:
            return treatment.duration  # 'ongoing since September 10, 2026' says the dates
        if "ongoing" in treatment.duration.lower():  # said once: 'ongoing (since May 1, 2024)'
            dates = dates.replace(" (ongoing)", "")
        return f"{treatment.duration} ({dates})"
    if not treatment.duration and treatment.start and treatment.start == treatment.end:
        return f"{dates} (1 day)"  # a one-day treatment's duration, said with its one date
    return treatment.duration or dates


def _outcome_cell(treatment: PriorTreatment) -> str:
    outcome = treatment.outcome or ""
    if treatment.outcome_measure:
        outcome = f"{outcome} ({treatment.outcome_measure})".strip()
    return lf.one_date_style(outcome)


def _treatment_row(letter: _Letter, index: int, treatment: PriorTreatment) -> str:
    cells = (
        treatment.name,
        _dose_cell(letter, index, treatment, "dose"),
        _dose_cell(letter, index, treatment, "frequency"),
        _duration_cell(letter, index, treatment),
        _outcome_cell(treatment),
    )
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _objective_findings(letter: _Letter) -> str | None:
    """The findings of :func:`_findings_shown`, one a line, less those the ground's section
    states (each fact once)."""
    grounded = (
        {p for s in _ground_said_once(letter, letter.ground).stated for p in s.paths}
        if letter.ground is not None
        else set()
    )
    shown = [
        i
        for i in _findings_shown(letter.case, letter.verdicts, letter.about)
        if f"objective_findings[{i}]" not in grounded
    ]
    if not shown:
        return None
    findings = [letter.case.objective_findings[i] for i in shown]
    # a result not yet back is not listed under a date as if it were a dated study
    return "\n".join(f"- {finding_text(f, dated=not is_pending(f.value))}" for f in findings)


def _ground_section(letter: _Letter) -> str:
    """The argument of a ground that is not a list of clinical criteria ('' for other denials)."""
    if letter.ground is None:
        return ""
    named = letter.case.service.description or ""
    # a long description is named by its code (the Requested service section gives it whole)
    service = lower_first(named) if 0 < len(named) <= _NAMED_SERVICE_CHARS else letter.coded
    service = service or "the requested service"
    criteria = letter.analysis.criteria
    cited = [  # cited under a criterion of its own (one the ground answers states none)
        pid
        for i, a in letter.arguments.items()
        if i < len(criteria) and owns(letter.analysis, criteria[i].text) is None
        for pid in a.passage_ids
    ]
    spec = letter.ground.spec
    guideline = ground_guideline(letter.passages, spec.guideline, cited, spec.question)
    gap = letter.gaps.get("clinical_summary")
    plan = letter.analysis.plan_type
    found = _ground_said_once(letter, letter.ground)
    return section(found, letter.patient, service, gap, guideline, plan)


def _ground_said_once(letter: _Letter, found: GroundAnswer) -> GroundAnswer:
    """The ground's facts less those the letter states elsewhere in full: a sentence the
    Clinical summary gives word for word, a finding a criterion's section sets out (each fact
    once, under the criterion it answers). Only a fact kind with sentences of its own left is
    cut: the fact the ground requires, a comparison the ground computes (the miles beyond the
    network's standard) and a kind whose every sentence is said elsewhere stay whole (the
    ground's argument keeps its support)."""
    cut = {k.label for k in found.spec.facts if not k.required}
    summary = " ".join(_clinical_summary(letter).split())
    criteria = letter.stated()
    kept: list[Stated] = []
    for fact in found.stated:
        pairs = [
            (path, sentence)
            for path, sentence in zip(fact.paths, fact.sentences, strict=False)
            if path not in criteria and " ".join(sentence.split()) not in summary
        ]
        if fact.label in cut and len(fact.paths) == len(fact.sentences) and pairs:
            paths, sentences = zip(*pairs, strict=True)
            fact = replace(fact, paths=paths, sentences=sentences)
        kept.append(fact)
    return replace(found, stated=tuple(kept))


def _criteria(letter: _Letter) -> str:
    body = said_or_nothing(_criteria_body(letter))
    # under Medicare, the NCD or LCD that governs the service, named where no argument has
    governing = governing_paragraph(
        letter.passages, letter.analysis.plan_type, letter.letter_text, body, letter.case
    )
    return f"{governing}\n\n{body}" if governing else body


def said_or_nothing(text: str) -> str:
    """An argument as the physician signs it: what the record holds, or nothing. A fact the
    case lacks is the physician's gap (the CLI and the review name it with the case field that
    answers it), so the argument carries no placeholder: a list item holding one is left out,
    else the sentence holding it; a lead-in whose list is left empty ('From my records:') and
    a heading with nothing under it go too."""
    if not lf.PLACEHOLDER_RE.search(text):
        return text
    paragraphs: list[str] = []
    for paragraph in text.split("\n\n"):
        lines = []
        for line in paragraph.split("\n"):
            if not lf.PLACEHOLDER_RE.search(line):
                lines.append(line)
            elif not line.lstrip().startswith(("- ", "* ", "|")):
                kept = [t for t in split_sentences(line) if not lf.PLACEHOLDER_RE.search(t)]
                if kept:
                    lines.append(" ".join(kept))
        if lines:
            paragraphs.append("\n".join(lines))
        elif paragraphs and paragraphs[-1].rstrip().endswith(":"):
            lead = split_sentences(paragraphs.pop())[:-1]  # the lead-in of a list left empty
            if lead:
                paragraphs.append(" ".join(lead))
    kept_paragraphs = [
        p
        for i, p in enumerate(paragraphs)
        if not (
            p.startswith("#") and (i + 1 == len(paragraphs) or paragraphs[i + 1].startswith("#"))
        )
    ]
    return "\n\n".join(kept_paragraphs)


def _criteria_body(letter: _Letter) -> str:
    criteria = letter.analysis.criteria
    ground = _ground_section(letter)
    parts = _part_sections(letter)  # a notice of several grounds: each part answered
    if not criteria:
        items = _by_item(letter, {}) if grouped(letter.analysis.items) and not parts else []
        riding = [_riding_sentence(letter)]
        answer = "\n\n".join([ground, *parts, *items]).strip() or _denial_answer(letter)
        answer = "\n\n".join(p for p in (answer, *riding) if p)
        blocks = [answer, _own_sources(letter, answer)]
        return "\n\n".join(b for b in (*blocks, _support(letter, "\n\n".join(blocks))) if b)
    blocks = [ground] if ground else []
    blocks += parts
    noticed = _met_by_notice(letter)
    names = lf.criterion_names(criteria)
    if noticed:  # one sentence for them all, not a section each
        blocks.append(lf.met_by_notice_sentence([names[v.index] for v in noticed]))
    away = [
        v
        for v in letter.verdicts
        if v.not_applicable == lf.PAYER_NOT_APPLICABLE and v not in noticed
    ]
    if away:  # those the notice marks not applicable: one sentence too
        blocks.append(lf.not_applicable_sentence([names[v.index] for v in away]))
    unrelied, sentence = _not_relied(letter, [*noticed, *away])
    if sentence:  # the one-of routes not taken: one line for them all, not a section each
        blocks.append(sentence)
    if rides := _riding_sentence(letter):  # lines denied only because another was
        blocks.append(rides)
    skipped = {v.index for v in [*noticed, *away, *unrelied]}
    previous = None
    sections: dict[int, str] = {}
    for index, criterion in enumerate(criteria):
        if index in skipped:
            continue
        heading = lf.CRITERION_HEADING.format(number=names[index])
        source = _balanced(criterion.source or "")
        # the source is named where it first appears (and where it changes), not under each
        named = bool(source) and source != previous
        titled = f"{heading} — {source}" if named else heading
        previous = source
        if lead := _verdict_lead(letter, index):  # never right after the name: 'Criterion 2 — met'
            titled += f": {lead}" if named else f" — {lead}"
        sections[index] = f"{titled}\n\n{_criterion_body(letter, index)}"
    if grouped(letter.analysis.items):  # several items: each under its own heading, in order
        blocks += _by_item(letter, sections)
    else:
        blocks += sections.values()
    # the physician's sources no criterion is about stand with the standard of care, under its
    # heading, not as if under the last criterion
    own = _own_sources(letter, "\n\n".join(blocks))
    support = _support(letter, "\n\n".join([*blocks, own]), own)
    if support:
        blocks.append(support)
    preferred = _preferred(letter)
    if preferred:
        blocks.append(preferred)
    return "\n\n".join(blocks)


def _verdict_lead(letter: _Letter, index: int) -> str:
    """The heading's verdict, so a reviewer reads the answer before the argument: 'met' for a
    criterion the record meets, 'exception requested' for one conceded; none for the others
    (their sections say what is asked)."""
    verdict = next((v for v in letter.verdicts if v.index == index), None)
    if verdict is None or verdict.alternative or verdict.not_applicable or verdict.payer_met:
        return ""
    if verdict.conceded and not verdict.accepted:
        return "exception requested"
    if verdict.status == "met" and not verdict.conceded:
        return "met"
    return ""


def _by_item(letter: _Letter, sections: dict[int, str]) -> list[str]:
    """The criteria's sections under the item each belongs to, in the notice's order: each
    item the notice denied opens with its heading and the answer to its ground; a criterion of
    no item follows them."""
    out: list[str] = []
    placed: set[int] = set()
    items = letter.analysis.items
    # a notice's criteria read under no item belong to its one item on its criteria
    on_criteria = [i for i in items if i.open and ItemGround.experimental not in i.grounds]
    moved: set[str] = set()  # the passages an experimental item's section states
    for item in items:
        if not item.open:
            continue
        own = [i for i in item.criteria if i in sections and i not in placed]
        if not own and len(on_criteria) == 1 and item is on_criteria[0]:
            own = [i for i in sections if i not in placed and not _criteria_of_other(items, i)]
        if ItemGround.experimental in item.grounds:
            answer, cited = _experimental_answer(letter, item, bool(placed or own))
            moved |= cited
        else:
            answer = _item_answer(letter, item, own)
        out.append(f"### {_item_heading(item)}\n\n{answer}")
        out += [sections[i] for i in own]
        placed.update(own)
    out += [text for i, text in sections.items() if i not in placed]
    return [_without_cited(block, moved) for block in out] if moved else out


def _riding_sentence(letter: _Letter) -> str:
    """'Your notice denies line 2 (CPT 93355), line 5 (CPT 93312) and line 6 (Revenue code
    0120) only because it denied line 1 (CPT 33340); they are part of the same care, and I ask
    that you approve them with it.' ('' when no item depends on another)."""
    riding, own = dependents(letter.analysis.items)
    if not riding or not own:
        return ""

    def named(item: DenialItem) -> str:
        name = item_name(item)
        if item.label:  # 'line 2', as a sentence names it
            name = f"{name[:1].lower()}{name[1:]}"
        code = item.codes[0] if item.codes else ""
        coded = f"{code_label(code)} {code}".strip()
        return f"{name} ({coded})" if coded and code not in name else name

    def joined(names: list[str]) -> str:
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    them = joined([named(i) for i in riding])
    on = joined([named(i) for i in own])
    they = "it is" if len(riding) == 1 else "they are"
    return (
        f"Your notice denies {them} only because it denied {on}; {they} part of the same care, "
        f"and I ask that you approve {'it' if len(riding) == 1 else 'them'} with it."
    )


def _criteria_of_other(items: list[DenialItem], index: int) -> bool:
    return any(index in i.criteria for i in items)


def _item_heading(item: DenialItem) -> str:
    """'Line 2 — CPT 22858, Total disc arthroplasty', 'Item B — Galcanezumab', 'CPT 0232T — a
    platelet-rich plasma injection': the item as the notice names it, with its code when the
    notice names it by line or by code."""
    name = item_name(item)
    code = item.codes[0] if item.codes and (item.line or not item.label) else ""
    coded = f"{code_label(code)} {code}".strip() if code else ""
    what = product(item)
    if coded and coded != name:
        what = f"{coded}, {what}" if item.description else coded
    return f"{name} — {what}" if name != what else name


def item_name(item: DenialItem) -> str:
    """'Line 2', 'Item B', or the item's code ('CPT 0232T') when the notice labels it not."""
    if item.label:
        return f"{'Line' if item.line else 'Item'} {item.label}"
    code = item.codes[0] if item.codes else ""
    return f"{code_label(code)} {code}".strip() if code else product(item)


_EVIDENCE_NAMES = {"fda": "FDA status", "trials": "Trials", "guidelines": "Guidelines"}
"""How the letter names each kind of evidence that answers an experimental ground."""


def _experimental_answer(
    letter: _Letter, item: DenialItem, after_criteria: bool
) -> tuple[str, set[str]]:
    """The answer to an item a notice calls experimental or investigational: its FDA status,
    the trials and the guidelines the physician's sources and the fitting passages state for
    it, each kind under its name, and the case's own words on its FDA status when no source
    states it; with the ids of the passages it cites (stated here, not under another item's
    criterion)."""
    separate = ", a ground of its own, separate from the criteria above" if after_criteria else ""
    lead = f"Your notice denies this item as experimental or investigational{separate}."
    candidates = [rp.passage for rp in letter.passages if rp.passage.supplied_by_physician]
    candidates += [p for p in supporting(letter, "") if p not in candidates]
    by_kind: dict[str, list[Passage]] = {}
    for passage in candidates:
        words = f"{passage.issuing_body} {passage.title} {passage.text}"
        if (kind := experimental_evidence(words)) is not None:
            by_kind.setdefault(kind, []).append(passage)
    lines = []
    if "fda" not in by_kind:  # the case's own words on the device's or drug's FDA status
        service = letter.case.service
        said = [
            " ".join(clause.split())
            for x in split_sentences(f"{service.description or ''}. {service.details or ''}")
            for clause in x.split(";")
            if experimental_evidence(clause) == "fda"
        ]
        if said:
            lines.append(f"- FDA status (as requested): {said[0].rstrip('.')}.")
    for kind in ("fda", "trials", "guidelines"):
        for passage in by_kind.get(kind, []):
            stated = passage.text.strip().rstrip(".")
            lines.append(
                f"- {_EVIDENCE_NAMES[kind]} ({passage.in_text()}): {stated} {cite(passage.id)}."
            )
    if not lines:
        ask = f"I ask that you cover it for {letter.patient} on the record enclosed."
        return f"{lead} {ask}", set()
    ask = f"I ask that you cover it for {letter.patient} on this evidence."
    cited = {p.id for kind in ("fda", "trials") for p in by_kind.get(kind, [])}
    return f"{lead} Its evidence:\n\n" + "\n".join(lines) + f"\n\n{ask}", cited


def _without_cited(block: str, moved: set[str]) -> str:
    """A section without its guideline paragraphs that cite only passages an experimental
    item's section states (the FDA approval and the trials answer that ground, not a
    criterion's)."""
    if block.lstrip().startswith("### ") and "experimental or investigational" in block:
        return block
    kept = []
    for paragraph in block.split("\n\n"):
        ids = set(re.findall(r"\[\[cite:([^\]]+)\]\]", paragraph))
        if paragraph.startswith("Guideline (") and ids and ids <= moved:
            continue
        kept.append(paragraph)
    return "\n\n".join(kept)


def _item_answer(letter: _Letter, item: DenialItem, own: list[int]) -> str:
    """What the letter answers to one item's ground: an exclusion (the exception asked, with
    the case's facts about the item), a quantity limit (the item's quantity against the plan's
    limit, in its own unit), the criteria (answered one by one below)."""
    names = lf.criterion_names(letter.analysis.criteria)
    listed = lf.named_list([names[i] for i in own]) if own else ""
    below = f" I answer {listed}, which it found not met, below." if own else ""
    if ItemGround.benefit_exclusion in item.grounds:
        ground = letter.analysis.ground
        under = f" ({ground.provision})" if ground is not None and ground.provision else ""
        facts = _item_facts(letter.case, item)
        said = f"\n\nFrom my records:\n\n{facts}" if facts else ""
        return (
            f"Your notice denies this item under a benefit exclusion{under} and did not review "
            f"its medical necessity. I ask that you cover it as an exception to the exclusion "
            f"for {letter.patient}, on the record below.{said}"
        )
    if item.decision is ItemDecision.limit or ItemGround.quantity_limit in item.grounds:
        limit = limit_words(item)
        held = f"holds this item to {limit}" if limit else "holds this item to a quantity limit"
        asked = quantity_words(item)
        ask = f"; I ask for {asked}, the quantity-limit exception in the Request" if asked else ""
        return f"Your notice {held}{ask}.{below}"
    if own and ItemGround.not_medically_necessary in item.grounds:
        return f"Your notice denies this item as not medically necessary under its criteria.{below}"
    if own:
        return f"Your notice denies this item on its criteria.{below}"
    return "Your notice denies this item; the record below bears on it."


def _item_facts(case: CaseFacts, item: DenialItem) -> str:
    """The case's prior treatments that name the item (by the longest word of its name:
    'oxygen' of 'Home oxygen') with their outcomes, and the findings whose result names it, one
    line each, as the case states them."""
    words = sorted(re.findall(r"[a-z]{5,}", product(item).lower()), key=len, reverse=True)
    if not words:
        return ""
    word = words[0]
    lines = [
        f"- {t.name}: {t.outcome}" + (f" ({t.outcome_measure})" if t.outcome_measure else "")
        for t in case.prior_treatments
        if word in t.name.lower() and t.outcome
    ]
    lines += [  # a finding whose result names the item (not one merely named like it)
        f"- {f.name}: {f.value}"
        for f in case.objective_findings
        if word in f"{f.value} {f.interpretation or ''}".lower()
    ]
    return lf.one_date_style("\n".join(lines))


def _balanced(text: str) -> str:
    """A source as a heading names it, without a closing parenthesis the notice's sentence
    opened before it ('NCD 160.7)' -> 'NCD 160.7')."""
    text = text.strip()
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip()
    return text


def _not_relied(
    letter: _Letter, answered: list[CriterionVerdict]
) -> tuple[list[CriterionVerdict], str]:
    """The alternatives of one-of groups the letter does not rely on (another member is met),
    with the one sentence that answers them all ('I do not rely on criteria I.C and III.A:
    your policy needs only one of ..., and ... meets criteria I.B and III.B.'); ([], '') when
    there are none. A criterion the denial's ground answers keeps its section."""
    unrelied = [
        v
        for v in letter.verdicts
        if v.alternative
        and v not in answered
        and v.index < len(letter.analysis.criteria)
        and not (letter.ground and owns(letter.analysis, letter.analysis.criteria[v.index].text))
    ]
    groups = {m for v in unrelied if v.group is not None for m in v.group.members}
    met = [
        v
        for v in letter.verdicts
        if not v.alternative
        and (v.payer_met or (v.status == "met" and not v.conceded))
        and (not groups or v.index in groups)
    ]
    if not unrelied or not met:
        return [], ""
    why = groups_needed(letter.verdicts) or "your policy needs only one of its listed criteria"
    names = lf.criterion_names(letter.analysis.criteria)
    sentence = lf.not_relied_sentence(
        [names[v.index] for v in unrelied], why, letter.patient, _numbered(letter, met)
    )
    return unrelied, sentence


def _met_by_notice(letter: _Letter) -> list[CriterionVerdict]:
    """The criteria the notice itself found met, which the letter does not argue: they share
    one sentence instead of a section each. A criterion the
    denial's ground answers keeps its section (the ground's sentence is its answer)."""
    return [
        v
        for v in letter.verdicts
        if v.payer_met
        and v.index < len(letter.analysis.criteria)
        and not (letter.ground and owns(letter.analysis, letter.analysis.criteria[v.index].text))
    ]


def _own_sources(letter: _Letter, written: str) -> str:
    """The physician's own sources (the case's ``citations``) that no criterion or ground
    above states: each with its recommendation, cited, so that none the physician gave is left
    out ('' when every one is stated)."""
    lines = [
        f"Guideline ({rp.passage.in_text()}): {rp.passage.text.rstrip('.')} {cite(rp.passage.id)}."
        for rp in letter.passages
        if rp.passage.supplied_by_physician and cite(rp.passage.id) not in written
    ]
    return "\n\n".join(lines)


_ALONGSIDE_RE = re.compile(
    r"\b(?:in combination with|combined with|together with|added to|plus|with|after|following"
    r"|instead of|in place of)\b",
    re.IGNORECASE,
)
"""Where a service description turns from the requested service to care given with it or
instead of it ('seladelpar 10 mg ... in combination with ursodiol')."""
_DOSE_WORDS = tokens(
    "mg mcg units unit dose daily once twice weekly capsule tablet tablets injection"
)
"""Words of a service description that say how much or how, not what: no sign a passage's
recommendation names the service."""
SUPPORT_HEADING = "### Guideline support"
MAX_SUPPORT = 2
"""Guidelines stated under the support heading (a drug's label besides): the best that fit."""
ON_LABEL = "The request is for this labeled use."


def supporting(letter: _Letter, written: str) -> list[Passage]:
    """The clinical passages the letter states as the standard of care for this request where
    no criterion above states them: retrieved (so fitting the case), recommending care
    (:func:`fit.recommends`: not a guideline's scope or grading method), about the requested
    service itself (its treatment named, or, for a passage naming no treatment, one of its
    codes requested and its recommendation naming the service) and, when
    they name conditions, about the condition the request treats; a drug's label only when its
    text states the patient's indication. The treatment is named before the description
    turns to care given with or instead of it. At most ``MAX_SUPPORT`` guidelines by rank, then one
    label. Medicare's own rules are named by the governing-rule paragraph, the physician's
    sources by their own lines, and a passage already cited in ``written`` is not repeated."""
    scope = relevance.Scope.of(letter.analysis, letter.case, letter.today)
    # the treatment must be the one requested, not one given with it ('seladelpar in
    # combination with ursodiol': a guideline on ursodiol is no support for seladelpar)
    head = _ALONGSIDE_RE.split(letter.case.service.description or "", maxsplit=1)[0]
    named = replace(scope, named_text=head.lower(), services=frozenset())
    said = tokens(head) - _DOSE_WORDS

    def about_the_request(passage: Passage) -> bool:
        if passage.treatments:  # by its own name (not a kind of care) or a code of its own
            return relevance.treatment_requested(passage, named, generic=False)
        stated = position(passage) or ""  # its recommendation names the requested service
        return bool(scope.services & set(passage.services)) and bool(tokens(stated) & said)

    found = [
        rp.passage
        for rp in sorted(letter.passages, key=lambda rp: rp.rank)
        if rp.passage.kind in CLINICAL_KINDS
        and not rp.passage.supplied_by_physician
        and not medicare_rule(rp.passage)
        and cite(rp.passage.id) not in written
        and recommends(rp.passage)
        and states_indication(rp.passage, letter.case)
        and about_the_request(rp.passage)
        and (
            not rp.passage.conditions
            or relevance.condition_fits(rp.passage.conditions, scope.treated_conditions)
        )
    ]
    guidelines = [p for p in found if not is_label(p)][:MAX_SUPPORT]
    return guidelines + [p for p in found if is_label(p)][:1]


def _support(letter: _Letter, written: str, own: str = "") -> str:
    """The standard of care for this request under its heading: the physician's own sources
    no criterion states (``own``: :func:`_own_sources`, always), then (when asked for,
    ``letter.support``) :func:`supporting`'s passages, each with what it recommends, cited,
    and where a criterion the letter argues is stricter than it, that; a label with the
    sentence that the request is for its labeled use. '' when there is none."""
    lines = [own] if own else []
    if not letter.support:
        return "\n\n".join([SUPPORT_HEADING, *lines]) if lines else ""
    argued = [v for v in letter.verdicts if not v.payer_met]
    for passage in supporting(letter, written):
        line = guideline_line(passage, letter.analysis.plan_type)
        stricter = next(
            (s for v in argued if (s := stricter_sentence(v, passage)) is not None), None
        )
        said = [line, ON_LABEL if is_label(passage) else "", stricter or ""]
        lines.append(" ".join(x for x in said if x))
    return "\n\n".join([SUPPORT_HEADING, *lines]) if lines else ""


def _preferred(letter: _Letter) -> str:
    """The preferred alternatives the notice names, each with the case's reason it does not fit
    this patient (or the gap's placeholder)."""
    if not letter.alternatives:
        return ""
    lines = []
    stated = letter.stated()
    unanswered: list[str] = []
    for alt in letter.alternatives:
        if alt.reason and alt.reason.startswith("tried already in its class"):
            # another drug of its class was taken: named, with its outcome
            head, _, tried = alt.reason.partition(": ")
            kind = head.removeprefix("tried already in its class").strip(" ()")
            lines.append(f"- {alt.name[:1].upper()}{alt.name[1:]}: a {kind} was tried already "
                         f"({tried.rstrip('.')}).")  # fmt: skip
            continue
        if alt.paths and set(alt.paths) <= stated:
            continue  # tried, and stated in full under the criterion it answers
        if alt.paths:  # tried: its dose, dates and outcome are in the prior-treatment table
            lines.append(f"- {alt.name[:1].upper()}{alt.name[1:]} was tried; its dose, dates and "
                         "outcome are in the prior-treatment table above.")  # fmt: skip
            continue
        if alt.reason is None:
            unanswered.append(alt.name)
            continue
        lines.append(f"- {_alternative_sentence(alt.name, alt.reason)}")
    gap = letter.gaps.get("prior_treatments")
    if unanswered and gap is not None:  # one placeholder for all of them, not one each
        named = (
            ", ".join(unanswered[:-1]) + " and " + unanswered[-1]
            if len(unanswered) > 1
            else (unanswered[0])
        )
        lines.append(f"- {named[:1].upper()}{named[1:]}: {gap.placeholder}.")
    if not lines:
        return ""
    return "### Preferred alternatives your notice names\n\n" + "\n".join(lines)


def _alternative_sentence(name: str, reason: str) -> str:
    """'Leflunomide is not suitable: adding it ...'; 'Sertraline was tried already: ...'."""
    named = name[:1].upper() + name[1:]
    for said, verb in (("not suitable: ", "is not suitable"), ("tried already: ", "was tried")):
        if reason.startswith(said):
            return f"{named} {verb}: {reason.removeprefix(said).rstrip('.')}."
    return f"{named}: {reason.rstrip('.')}."


def alternative_gaps(analysis: DenialAnalysis, case: CaseFacts) -> list[Gap]:
    """The preferred alternatives the notice names that the case neither tried nor rules out
    (one gap naming them all)."""
    names = [alt.name for alt in alternatives(analysis, case) if alt.reason is None]
    if not names:
        return []
    listed = ", ".join(names)
    return [
        Gap(
            field="prior_treatments",
            message=(
                f"the notice names {listed} as preferred alternatives and the case gives no "
                "reason they do not fit: add each trial to prior_treatments (dose, dates, "
                "outcome) or state the contraindication in clinical_summary"
            ),
            placeholder=lf.PLACEHOLDER.format(what=f"why {listed} does not fit this patient"),
        )
    ]


def _criterion_body(letter: _Letter, index: int) -> str:
    criterion = letter.analysis.criteria[index]
    owner = owns(letter.analysis, criterion.text) if letter.ground else None
    if owner is not None:  # answered by the ground's argument above
        return f"{criterion_quote(criterion)}\n\n{' '.join(owner.sentence.split())}"
    argument = letter.arguments.get(index)
    text = _localize(argument) if argument else criterion_quote(letter.analysis.criteria[index])
    answer = _records_answer(letter, index)
    if answer:  # with the record, ahead of what is asked and the guideline's position
        paragraphs = text.split("\n\n")
        asks = open_asks()
        at = next(
            (i for i, p in enumerate(paragraphs) if i and (_CITES_RE.search(p) or p in asks)),
            len(paragraphs),
        )
        text = "\n\n".join([*paragraphs[:at], answer, *paragraphs[at:]])
    else:
        text = _enclosures_named(letter, index, text)
    # evidence the case lacks is the physician's gap (listed by the CLI and the review), not a
    # placeholder in the argument: the section states what the record holds, or nothing more
    return text


_RECORDS_LEAD_RE = re.compile(r"^(From my records)(?=[:,])", re.MULTILINE)
"""The physician's lead into the facts of a criterion ('From my records:')."""


def _enclosures_named(letter: _Letter, index: int, text: str) -> str:
    """An argued criterion's section with the enclosed records that document it named by number,
    where the facts are led in ('From my records (Enclosures 2 and 3):'), else at the end of the
    paragraph that answers the criterion: the reviewer goes from the argument to the record.
    Unchanged when no enclosure documents it, when the criterion is not argued (found met by
    the notice, conceded, not relied on), or when it names them already."""
    verdict = letter.verdicts[index] if index < len(letter.verdicts) else None
    numbers = letter.enclosure_numbers(index)
    if (
        verdict is None
        or verdict.payer_met
        or verdict.conceded
        or verdict.alternative
        or verdict.not_applicable
        or not numbers
        or lf.ENCLOSURE_REF_RE.search(text)
    ):
        return text
    ref = _enclosure_ref(numbers)
    if _RECORDS_LEAD_RE.search(text):
        return _RECORDS_LEAD_RE.sub(rf"\1 ({ref})", text, count=1)
    paragraphs = text.split("\n\n")
    at = next(
        (
            i
            for i, p in enumerate(paragraphs)
            if i and not _CITES_RE.search(p) and p.rstrip().endswith(".") and "\n" not in p.strip()
        ),
        None,
    )
    if at is None:
        return text
    paragraphs[at] = f"{paragraphs[at].rstrip()[:-1]} ({ref})."
    return "\n\n".join(paragraphs)


_CITES_RE = re.compile(r"\[\[cite:|\[\d+(?:\s*,\s*\d+)*\]")
"""A paragraph that cites a passage (before or after the citations are numbered)."""
_VERDICT_WORDS_RE = re.compile(r"\bmet\b|\bsatisf", re.IGNORECASE)
_TO_MEMBER_RE = re.compile(r"\byou\b|\byour\b", re.IGNORECASE)
_RECORDS_SAID_RE = re.compile(
    r"\b(?:records?|documentation|notes?|information)\s+(?:we\s+|you\s+)?"
    r"(?:received|submitted|provided|sent|reviewed)\b|\bnot\s+(?:submitted|provided|received|"
    r"included|documented|found)\b|\bno\s+(?:records?|documentation|notes?)\b|"
    r"\bwere not (?:sent|in the records?)\b",
    re.IGNORECASE,
)
"""A reviewer's reason that speaks of the records it had ('The records we received do not
describe a hemorrhage', 'not submitted'): the letter may then say the reviewer did not have
the enclosed ones."""
MAX_QUOTED_REASON_WORDS = 20
"""A payer's reason longer than this is answered, not quoted."""


def _records_answer(letter: _Letter, index: int) -> str:
    """The answer to what the reviewer said it lacked for this criterion: the records, enclosed
    and named by number ('' when the notice says nothing of the records or the criterion is not
    argued)."""
    criterion = letter.analysis.criteria[index]
    verdict = letter.verdicts[index] if index < len(letter.verdicts) else None
    if verdict is None or verdict.payer_met or verdict.conceded:
        return ""
    # a record still to come (the section says so) is documented by no enclosure, and neither
    # is what it answers by an older record enclosed (a 2024 mammogram for a 12-month rule):
    # beside one, only the records of the requirements met are said to be documented
    awaited = {p for rv in verdict.requirements if rv.pending for p in rv.evidence}
    shown = set(verdict.evidence)
    if awaited:
        shown = {
            p
            for rv in verdict.requirements
            if rv.status == "met"
            for p in rv.evidence
            if p.startswith(("prior_treatments[", "objective_findings["))  # records, not a date
        }
        if not shown - awaited:
            return ""
    numbers = letter.enclosure_numbers(index)
    if not numbers:
        return ""
    shown_in = _enclosure_phrase(letter, numbers)
    # only the records those enclosures hold are said to be documented in them
    held = {p for n in numbers for p in letter.enclosed[n - letter.first_enclosure].paths}
    named = _record_names(letter, [p for p in verdict.evidence if p in (held & shown) - awaited])
    facts = f"{named} {'are' if ' and ' in named else 'is'} documented" if named else "It is shown"
    reason = " ".join((criterion.payer_reason or "").split()).rstrip(".")
    # a short reason is quoted; a long one, or one written to the member ('you'), is answered
    # by naming the enclosed records, not restated
    if (
        reason
        and len(reason.split()) <= MAX_QUOTED_REASON_WORDS
        and not _VERDICT_WORDS_RE.search(reason)
        and not _TO_MEMBER_RE.search(reason)
    ):
        return f"Your reviewer noted: “{reason}.” {facts} in {shown_in}."
    if criterion.payer_status == "not_documented" or reason:
        reviewed = letter.analysis.records_reviewed
        titles = [letter.enclosed[n - letter.first_enclosure].title for n in numbers]
        if any(reviewed_by_payer(t, reviewed) for t in titles):
            return f"{facts} in {shown_in}."  # the notice lists it among the records reviewed
        if criterion.payer_status != "not_documented" and not _RECORDS_SAID_RE.search(reason):
            # the notice disputes the criterion, not the records: what the reviewer had is not
            # said (never claim what the payer had or lacked unless the notice says so)
            return f"{facts} in {shown_in}."
        return f"{facts} in {shown_in}, which your reviewer did not have."
    return ""


def names_once(names: list[str]) -> list[str]:
    """Each name once, and none that another one holds whole ('Height' beside 'Height and
    weight': 'Height and Height and weight' is no list)."""
    names = list(dict.fromkeys(names))
    return [
        n
        for n in names
        if not any(o != n and re.search(rf"\b{re.escape(n.lower())}\b", o.lower()) for o in names)
    ]


def _record_names(letter: _Letter, paths: list[str]) -> str:
    """'KOOS JR and WOMAC (total)': the records a criterion rests on, by name (at most four)."""
    full = []
    for path in dict.fromkeys(paths):  # each record once, by its path
        m = re.match(r"^(prior_treatments|objective_findings)\[(\d+)\]$", path)
        if m is None:
            continue
        records = letter.case.prior_treatments if m.group(1) == "prior_treatments" else None
        full.append((records or letter.case.objective_findings)[int(m.group(2))].name)
    names = names_once(distinct_names(full))[:4]
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def distinct_names(full: list[str]) -> list[str]:
    """Each record's short name (:func:`lf.short_record_name`), except that a record whose
    short name another record's holds ('MRI brain' beside 'MRI brain with and without
    contrast') is another record: it is named by its longer name, not dropped as a repeat,
    where the longer names tell the records apart (two 'OCT macula, right eye' scans whose
    longer names still hold one another keep the one short name)."""
    short = [lf.short_record_name(name) for name in full]
    longer = [
        _longer_name(name) if any(j != i and _holds(o, s) for j, o in enumerate(short)) else s
        for i, (s, name) in enumerate(zip(short, full, strict=True))
    ]
    return [
        s if n != s and any(j != i and (_holds(o, n) or _holds(n, o)) for j, o in enumerate(longer))
        else n
        for i, (s, n) in enumerate(zip(short, longer, strict=True))
    ]  # fmt: skip


def _holds(name: str, part: str) -> bool:
    """Whether ``name`` holds ``part`` whole, as words."""
    return re.search(rf"\b{re.escape(part.lower())}\b", name.lower()) is not None


def _longer_name(name: str) -> str:
    """A record's name with its distinguishing words, without the parenthetical detail:
    'MRI brain, thin-slice treatment-planning protocol (3D T1 ...)' -> 'MRI brain thin-slice
    treatment-planning protocol' (no comma, which would read as two records in a list)."""
    return " ".join(re.sub(r"\s*\([^)]*\)", "", name).replace(",", " ").split()) or name


_TRAILING_DATES_RE = re.compile(
    r"(?<!\d),\s+(?:[A-Z][a-z]+ \d{1,2}, )?\d{4}(?:\s*[–-]\s*(?:[A-Z][a-z]+ \d{1,2}, )?\d{4})?$"
)
"""A title's closing date or date range, after a comma ('..., June 1, 2023 – November 4, 2026')."""


def _enclosure_phrase(letter: _Letter, numbers: list[int]) -> str:
    """'the enclosed clinic note of October 22, 2026 (Enclosure 6)'; records of one kind are
    named once ('the enclosed medication records (Enclosures 2 and 3)')."""
    heads: dict[str, list[int]] = {}
    for n in numbers:
        title = letter.enclosed[n - letter.first_enclosure].title
        head = title.split(": ")[0].rstrip(".")
        # named by what it is and its number: its list of contents and its dates are the
        # Enclosures list's ('clinic notes (meloxicam, injections), June 1, 2023 – November 4,
        # 2026' is 'clinic notes (Enclosure 2)'); a date that names it ('clinic note of
        # October 22, 2026') stays
        head = _PARENTHESIS_RE.sub("", head)
        head = _TRAILING_DATES_RE.sub("", head) or head
        words = head.split()
        # a common noun phrase ('Clinic note') is lowered; a name ('Wound Healing Institute
        # physician notes', 'PHQ-9 score sheet') keeps its capitals
        common = len(words) > 1 and words[0][1:].islower() and words[1][:1].islower()
        head = lower_first(head) if common or (len(words) == 1 and words[0][1:].islower()) else head
        heads.setdefault(head, []).append(n)
    parts = [f"{head} ({_enclosure_ref(ns)})" for head, ns in heads.items()]
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"the enclosed {joined}"


def _enclosure_ref(numbers: list[int]) -> str:
    """'Enclosure 2', 'Enclosures 2 and 3', 'Enclosures 2, 3 and 5'."""
    if len(numbers) == 1:
        return f"Enclosure {numbers[0]}"
    return "Enclosures " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def _part_sections(letter: _Letter) -> list[str]:
    """One section for each ground of a notice that states several, one part each ('GROUND 2
    - NON-PREFERRED PRODUCT', 'Line 02 (95805): ...'): what the case accepts of it ('Plan-
    preferred generic tolvaptan is acceptable in place of brand Jynarque'), else the answer
    of the part's category (its spec's ``part`` sentence), the quantity counted against a
    limit, and the case facts that bear on it; and the criteria of it answered below."""
    parts = notice_parts(letter.letter_text)
    criteria = letter.analysis.criteria
    names = lf.criterion_names(criteria)
    out = []
    for part in parts:
        held = [names[i] for i, c in enumerate(criteria) if holds(part, c)]
        paragraphs = []
        if taken := accepted(part, letter.case):
            paragraphs.append(f"I accept this: {lower_first(taken).rstrip('.')}.")
        else:
            paragraphs += _part_answer(letter, part, bool(held))
        if held:
            which = lf.named_list([held[0], held[-1]]) if len(held) > 2 else lf.named_list(held)
            which = which.replace(" and ", " to ") if len(held) > 2 else which
            paragraphs.append(f"I answer its {which} one by one below.")
        if paragraphs:
            out.append(f"### {part.heading()}\n\n" + "\n\n".join(paragraphs))
    return out


_BESIDE_CRITERIA = frozenset({"reprocess"})
"""The strategies whose sentence a part states beside its criteria (an administrative finding
conceded); the others are the criteria's to answer, one by one."""


def _part_answer(letter: _Letter, part: NoticePart, held: bool) -> list[str]:
    """The answer of a part's category: its spec's sentence, a quantity counted against the
    plan's limit, then the case facts that bear on it (by the spec's words, else the part's)."""
    what = _part_subject(letter, part)
    for category in part.categories:
        spec = specs().get(category)
        if spec is None or spec.part is None or (held and spec.strategy not in _BESIDE_CRITERIA):
            continue
        counted = letter.exception.counted if letter.exception is not None else None
        dosed = per_kg(part.text, letter.case)
        if category == DenialCategory.frequency_limit and (counted or dosed):
            # the regimen against the limit, period by period, and the dose per kilogram
            # against its limit: within them, nothing to except
            said = [counted.sentence()] if counted is not None else []
            said += [dosed.sentence()] if dosed is not None else []
            # nothing to except only when the regimen is counted within the limit (a dose per
            # kilogram within its limit is the route to more, not the quantity itself)
            within = (counted is not None and not counted.above) and (
                dosed is None or dosed.value <= dosed.limit
            )
            ask = spec.part.format(what=what, What=what[:1].upper() + what[1:])
            return [" ".join(said) + (" No exception is needed." if within else f" {ask}")]
        said = [spec.part.format(what=what, What=what[:1].upper() + what[1:])]
        if held:
            return said
        # the facts only: a passage is cited where an argument states what it supports
        request = ArgumentRequest(analysis=letter.analysis, case=letter.case, passages=[])
        # the order itself is stated once, under Requested service: not again as a fact here
        facts = [f for f in case_facts(letter.case) if not f.path.startswith("service")]
        argument = write_argument(
            0, "", spec.part_words or part.text, request, None, all_facts=facts
        )
        if argument.evidence:
            said.append(_localize(argument).strip())
        return said
    return []


_LINE_CODE_RE = re.compile(r"\(((?:CPT|HCPCS)\s*)?([0-9A-Z]{5})(?:-[0-9A-Z]{2})?\)")


def _part_subject(letter: _Letter, part: NoticePart) -> str:
    """What a part is about: the claim line's code ('CPT 95805'), else the service."""
    if m := _LINE_CODE_RE.search(part.label):
        return f"{code_label(m.group(2))} {m.group(2)}".strip()
    described = letter.case.service.description or ""
    if 0 < len(described) <= _NAMED_SERVICE_CHARS:
        return lower_first(described)
    return letter.coded or "the requested service"


def _denial_answer(letter: _Letter) -> str:
    """The answer to the primary denial category when the denial cites no criterion."""
    # the records, with no sentence tying them to a source by name ('This meets the standard
    # set out by ...', 'The plan must weigh this evidence in its review under <a statute>'):
    # the guideline below says what it recommends, and the law is the Legal basis section's
    request = ArgumentRequest(analysis=letter.analysis, case=letter.case, passages=[])
    argument = argue_denial(request)
    # no case fact answers the denial's ground: say so plainly (a gap names what would)
    # rather than assert that the record above proves it
    text = argument.argument
    # with no criterion read from the notice, the argument still states the guideline that
    # fits the patient's condition and service (retrieved, so fitting), else none is cited and
    # the letter shows the citation gap although one was found
    clinical = relevance.clinical_passages(letter.passages)
    stating = next((p for p in clinical if position(p) is not None), None)
    if stating is not None:
        text = f"{text}\n\n{guideline_line(stating, letter.analysis.plan_type)}"
    # the notice's own definition of its ground, and the route out of it the case meets
    route = fitting_route(letter.letter_text, letter.case)
    return f"{text}\n\n{route.paragraph()}" if route is not None else text


def _consequences(letter: _Letter) -> str:
    text = letter.case.consequences_of_denial
    if text and "consequences_of_denial" not in letter.gaps:
        text = lf.one_date_style(text)
        if _list_of_harms(text) and "patient.name" not in letter.gaps:
            # a chart's list of harms ('Continued severe depression ..., ongoing medical leave
            # ...') as the physician's sentence about this patient
            return f"If this denial stands, {letter.again()} faces {lower_first(text)}"
        return text
    return letter.fill("consequences_of_denial", text)


_NOUN_LEAD_RE = re.compile(
    r"^(?:Continued|Continuing|Ongoing|Progressive|Persistent|Worsening|Further|Increased|"
    r"Increasing|Rising|Escalating|Loss|Untreated|Recurrent|Permanent|Irreversible|Prolonged|"
    r"Repeated|Uncontrolled|Deterioration|Risk|Higher|Greater|Inability)\b"
)
_FINITE_WORDS = frozenset(
    {"is", "are", "was", "were", "will", "would", "can", "could", "may", "might", "has", "have"}
)
_RELATIVE_WORDS = frozenset({"that", "which", "who", "whom", "where", "when", "with"})


def _list_of_harms(text: str) -> bool:
    """Whether a consequences text opens with a noun phrase, a list of harms ('Continued
    severe, treatment-resistant depression ..., ongoing medical leave ...'), not a sentence
    ('Loss of function will follow': a verb before the first comma, outside a relative
    clause)."""
    if not _NOUN_LEAD_RE.match(text):
        return False
    for word in re.split(r"[,;.]", text, maxsplit=1)[0].lower().split():
        if word in _RELATIVE_WORDS:
            return True
        if word in _FINITE_WORDS:
            return False
    return True


def _legal_text(plan: PlanType, letter_text: str) -> tuple[str, bool]:
    """The plan type's legal-basis paragraph (``pipeline/appeal/plan_types/<plan>.yaml``), the
    program's when the letter names one that has its own (FEHB); and whether it was the
    program's (the retrieved provisions are then the base plan type's, and not cited)."""
    from .appeal import plan_spec

    base = plan_spec(plan)
    spec = base.for_letter(letter_text)
    program = next((p for p in base.programs if p.key == spec.key), None)
    if program is not None and program.legal_basis:
        return program.legal_basis, True
    return base.legal_basis, False


def _legal_basis(letter: _Letter) -> str:
    from .reasoning import rights  # the rights, clocks and statistic of this appeal

    text, own = _legal_text(letter.analysis.plan_type, letter.letter_text)
    a, t, case = letter.analysis, letter.letter_text, letter.case
    ground = letter.ground.spec if letter.ground is not None else None
    if (level := _next_level(letter)) is not None:
        # the plan's final internal decision: the next level's law, not the plan's own appeal
        paragraphs = [_final_decision_paragraph(letter, level)]
        paragraphs.append(rights.precedent_paragraph(a, t, case))
        return "\n\n".join(p for p in paragraphs if p)
    paragraphs = [" ".join(text.split()), *rights.legal_basis(a, t, case, letter.today, ground)]
    paragraphs.append(rights.precedent_paragraph(a, t, case))
    passages = [] if own else letter.legal_passages()
    paragraphs = [p for p in paragraphs if p]
    rest = [p for p in passages if not _cite_where_said(paragraphs, p)]
    if rest:
        provisions = "; ".join(f"{p.section} {cite(p.id)}" for p in rest)
        paragraphs.append(f"The provisions that govern this review include {provisions}.")
    return "\n\n".join(paragraphs)


def _final_decision_paragraph(letter: _Letter, level: LevelPlan) -> str:
    """What a letter answering the plan's final internal decision rests on: the notice is that
    decision, and the next level's filing window counted from it, with the rule's citation."""
    insurer = letter.resolved.insurer or "the plan"
    notice = letter.analysis.letter_date
    said = f" of {lf.fmt_date(notice)}" if notice else ""
    name = f"{level.name[0].lower()}{level.name[1:]}"
    text = f"The decision{said} is {insurer}'s final internal decision on this request. "
    text += f"This letter supports the request for {name} ({level.citation})"
    filing = next((d for d in level.deadlines if d.key.endswith(".filing")), None)
    if filing is not None and filing.due is not None:
        text += (
            f", which is due by {lf.fmt_date(filing.due)}: {filing.window} from "
            f"{filing.counted_from} ({filing.citation})"
        )
    return text + f". {' '.join(level.rule.split())}"


_LAW_ROOT_RE = re.compile(r"\b\d+ (?:U\.S\.C\.|CFR) (?:§+ ?)?[\w.]+(?:-[\w.]+)?")
"""The citation a provision is known by ('42 U.S.C. § 300gg-19', '29 CFR 2560.503-1')."""


def _cite_where_said(paragraphs: list[str], passage: Passage) -> bool:
    """Put a retrieved provision's citation at the end of the first sentence that already names
    its law (in place in ``paragraphs``) instead of a sentence of its own that says it again;
    False when no sentence names it."""
    found = _LAW_ROOT_RE.search(passage.section or "")
    if found is None:
        return False
    root = re.sub(r"§+ ?", "", found.group(0)).rstrip(".")
    for i, text in enumerate(paragraphs):
        at = text.find(root)
        if at < 0 or not re.match(r"(?![\w.-])", text[at + len(root) :]):
            continue
        end = re.search(r"\.(?=\s|$)", text[at + len(root) :])
        stop = at + len(root) + end.start() if end else len(text)
        paragraphs[i] = f"{text[:stop]} {cite(passage.id)}{text[stop:]}"
        return True
    return False


def _retrospective(letter: _Letter) -> bool:
    return letter.retrospective


def retrospective(
    analysis: DenialAnalysis, letter_text: str, case: CaseFacts, today: date
) -> bool:
    """A claim for services already given: every date of service precedes the denial, and the
    notice is not the denial of a request made before the service (a prior authorization, a
    Medicare 'Notice of Denial of Medical Coverage', whose only date is when it was received)
    unless the case says the care was given since."""
    from .reasoning.rights import timing  # one reading of the timing, shared with the law

    return timing(analysis, letter_text, case, today) == "post_service"


def _passed_period(
    analysis: DenialAnalysis, letter_text: str, today: date, case: CaseFacts
) -> date | None:
    """The last day of the notice's period when a request made before the service names a
    period that has already ended, or that can no longer hold the course the case's service
    details ask for ('5 sessions per week for 6 weeks' from today runs past it): the request
    then asks for the period the case needs."""
    end = analysis.service_start and analysis.service_end
    if not end or retrospective(analysis, letter_text, case, today):
        return None
    course = course_days(case.service.details)
    if end < today or (course is not None and today + timedelta(days=course) > end):
        return end
    return None


def period_gaps(
    analysis: DenialAnalysis, case: CaseFacts, letter_text: str, today: date
) -> list[Gap]:
    """A gap when the notice's period has passed and the case states no period it needs."""
    end = _passed_period(analysis, letter_text, today, case)
    if end is None or case_period(case.service.details):
        return []
    return [period_gap(end)]


def _what_to_approve(letter: _Letter, placeholder: bool = True, brief: bool = False) -> str:
    """What the letter asks to approve: the service or every code with its units; a drug's
    product, NDC, quantity and supply, with the placeholder of the regimen the case lacks
    (none when ``placeholder`` is False: the opening's)."""
    codes = requested_codes(letter.analysis, letter.case, letter.letter_text)
    drug = drug_request(letter.analysis, letter.case, letter.letter_text)
    if drug:  # a pharmacy drug with no code: product, NDC, quantity, supply, period
        gap = letter.gaps.get("service.details") if placeholder else None
        return f"{drug} {gap.placeholder}" if gap else drug
    if len(codes) <= 1 and not any(units is not None or mods for _, units, mods in codes):
        described = letter.case.service.description or ""
        if (
            letter.coded
            and len(described) > _NAMED_SERVICE_CHARS
            and "service.code" not in (letter.gaps)
        ):  # a long description is stated once, under Requested service
            return letter.coded
        return letter.service
    listed = _codes(letter, brief)
    joined = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
    return joined


def _period(letter: _Letter, placeholder: bool = True) -> str:
    """', for 6 weeks from your approval', ', for dates of service ...': the period the letter
    asks for; where the case lacks the period the notice needs, the gap's placeholder (none
    when ``placeholder`` is False)."""
    a = letter.analysis
    details = letter.case.service.details
    lines = _items_period(letter)
    if lines and any(
        i.decision is ItemDecision.partial and i.start for i in a.items if i.line and i.open
    ):
        # a reduced approval: only the dates of its denied part, whatever the case's range
        return lines
    if closes := _passed_period(a, letter.letter_text, letter.today, letter.case):
        # the period the case needs now; a period not yet over is said to be too short
        needed = case_period(details)
        gap = letter.gaps.get("service.details")
        if needed and closes >= letter.today and a.service_start:
            named = f"{lf.fmt_date(a.service_start)} to {lf.fmt_date(closes)}"
            return f", {needed} (the period your notice names, {named}, can no longer hold it)"
        if needed or gap is None or not placeholder:
            return f", {needed}" if needed else ""
        return f", {gap.placeholder}"
    needed = case_period(letter.case.service.details)
    if lines and not _covers(needed, lines):
        return lines  # the dates of every line the notice denied
    if needed.startswith("from ") and not _retrospective(letter):
        # the range the physician asks for now, over the notice's (said so when it differs)
        # (the opening, ``placeholder`` False, names the period alone)
        return f", {needed}{_in_place_of(letter, needed) if placeholder else ''}"
    if a.service_start and a.service_end:
        start, end = lf.fmt_date(a.service_start), lf.fmt_date(a.service_end)
        return f", for dates of service {start} to {end}"
    given = _period_from_dates(letter)
    if given or _retrospective(letter):
        return given
    needed = case_period(letter.case.service.details)  # the period the case asks for
    said = needed.removesuffix(" from your approval")
    return f", {needed}" if needed and said not in _what_to_approve(letter) else ""


def _planned_date(letter: _Letter) -> str:
    """', for the planned date of service December 16, 2026': the date the case schedules the
    care for, else the notice's first date of service after it ('' when neither gives one)."""
    from .reasoning.rights import scheduled

    due = scheduled(letter.case, letter.today)
    if due is not None:
        return f", for the planned date of service {lf.fmt_date(due.day)}"
    notice = letter.analysis.letter_date
    later = sorted(d for d in letter.analysis.service_dates if notice is None or d > notice)
    return f", for the planned date of service {lf.fmt_date(later[0])}" if later else ""


def _covers(needed: str, lines: str) -> bool:
    """Whether the case's range ('from X to Y') holds the lines' range."""
    if not needed.startswith("from "):
        return False
    have = [d for d, _ in find_dates(needed)]
    want = [d for d, _ in find_dates(lines)]
    return len(have) >= 2 and len(want) >= 2 and have[0] <= want[0] and want[-1] <= have[-1]


def _in_place_of(letter: _Letter, needed: str) -> str:
    """' (in place of the period your notice names, September 15, 2026 to December 31, 2026,
    which has lapsed)': the notice's period that the case's range replaces ('' when the notice
    names none, or the same)."""
    a = letter.analysis
    if not (a.service_start and a.service_end):
        return ""
    named = f"{lf.fmt_date(a.service_start)} to {lf.fmt_date(a.service_end)}"
    if named in needed:
        return ""
    details = letter.case.service.details
    lapsed = ", which has lapsed" if a.service_end < letter.today or lapsed_range(details) else ""
    return f" (in place of the period your notice names, {named}{lapsed})"


def _period_from_dates(letter: _Letter) -> str:
    dates = sorted(
        d
        for d in letter.analysis.service_dates
        if not letter.analysis.letter_date or d >= letter.analysis.letter_date
    )
    if len(dates) >= 2:
        return f", for dates of service {lf.fmt_date(dates[0])} to {lf.fmt_date(dates[-1])}"
    return ""


def _level_of_care(letter: _Letter) -> str:
    level = letter.analysis.level_of_care
    return f", at the level of care requested ({level})" if level else ""


_STAY_RE = re.compile(
    r"\binpatient\b[^.;]{0,40}?\b(\d{1,3})[- ](?:days?|nights?|midnights?)\b"
    r"|\b(\d{1,3})[- ](?:days?|nights?|midnights?)\b[^.;]{0,20}?\binpatient\b",
    re.IGNORECASE,
)
_ESTIMATED_RE = re.compile(r"\b(?:estimat|anticipat|expect|project)\w*", re.IGNORECASE)


def _stay(letter: _Letter, said: str) -> str:
    """', for an inpatient stay of 3 days (estimated)': the days of an inpatient stay the
    case's service details give ('inpatient admission 3 days', 'inpatient, estimated 2-day
    stay'), when the request ``said`` so far names no number of days ('' otherwise)."""
    details = letter.case.service.details or ""
    m = _STAY_RE.search(details)
    if m is None or re.search(r"\b\d+[- ](?:days?|nights?|midnights?)\b", said):
        return ""
    n = int(m.group(1) or m.group(2))
    estimated = " (estimated)" if _ESTIMATED_RE.search(m.group(0)) else ""
    return f", for an inpatient stay of {n} day{'s' if n != 1 else ''}{estimated}"


def _diagnosis_phrase(letter: _Letter) -> str:
    primary = letter.case.diagnoses[0].code if letter.case.diagnoses else None
    return f", diagnosis {primary}" if primary else ""


def appeal_deadline(analysis: DenialAnalysis, letter_text: str = "") -> date | None:
    """The last day to appeal: the notice's own, else (given the notice's text) the plan
    type's filing window counted from the notice (``rights.filing_deadline``)."""
    from .reasoning.rights import filing_deadline, resubmission

    if letter_text and resubmission(analysis, letter_text) is not None:
        return None  # a decision with no appeal (a resubmission) has no appeal deadline
    if analysis.appeal_deadline is not None or not letter_text:
        return analysis.appeal_deadline
    return filing_deadline(analysis, letter_text)


def deadline_state(analysis: DenialAnalysis, today: date, letter_text: str = "") -> str | None:
    """'passed' or 'near' (within 7 days) when the appeal deadline demands attention (the
    plan type's window counts when the notice states none and its text is given)."""
    deadline = appeal_deadline(analysis, letter_text)
    if deadline is None:
        return None
    if deadline < today:
        return "passed"
    return "near" if (deadline - today).days <= DEADLINE_WARNING_DAYS else None


DEADLINE_WARNING_DAYS = 7


def _deadline_paragraph(letter: _Letter, risk: str = "") -> str:
    """The deadline near or past, then the clinical risk of waiting (``risk``), then the
    expedited review the notice offers."""
    state = deadline_state(letter.analysis, letter.today, letter.letter_text)
    deadline = appeal_deadline(letter.analysis, letter.letter_text)
    if state is None or deadline is None:
        return ""
    whose = "The notice's appeal deadline" if letter.analysis.appeal_deadline else "The deadline"
    if state == "passed":
        from .reasoning.rights import late_filing  # the case's reason, the law's good cause

        text = (
            f"{whose} of {lf.fmt_date(deadline)} has passed. I ask you to "
            "accept this appeal for good cause and to decide it on the clinical record enclosed."
        )
        said = late_filing(letter.analysis, letter.letter_text, letter.case, letter.today)
        text += f" {said}" if said else ""
    else:
        text = (
            f"This appeal is filed close to {whose[0].lower()}{whose[1:]} of "
            f"{lf.fmt_date(deadline)}; please treat it as timely filed."
        )
    if risk:
        text += f" {risk}"
    return text


def _expedited_offer(letter: _Letter, asked: str) -> str:
    """' If a standard review cannot be completed in time, I ask for the expedited review your
    notice offers, because ...': only when the case states the urgency (the physician marked it
    expedited, with its reason) and the Request has not ``asked`` for it already; a deadline
    near, or a result still pending, is no urgency. Never for a claim for care already given."""
    case = letter.case
    if (
        case.urgency != "expedited"
        or not letter.analysis.expedited_available
        or _retrospective(letter)
        or "expedit" in asked.lower()
    ):
        return ""
    reason = (case.urgency_reason or "").strip().rstrip(".")
    because = f": {reason[:1].lower()}{reason[1:]}" if reason else ""
    return (
        " If a standard review cannot be completed in time, I ask for the expedited review your "
        f"notice offers{because}."
    )


RISK_SET_OUT = f"remains at the risks set out under {lf.CONSEQUENCES}"
"""What the Request says of the consequences of denial: its section states them whole, and the
letter does not say them twice."""


def _risk_of_delay(letter: _Letter) -> str:
    """For an urgent appeal or one filed near or past its deadline (never a claim for care
    already given): the clinical risk of waiting, pointed to in the Consequences section that
    states it (else the first sentence of the case's urgency reason that is no scheduled
    date); '' when the case states none or the field is a gap."""
    case = letter.case
    if _retrospective(letter):  # a claim for care given: waiting delays payment, not care
        return ""
    urgent = case.urgency == "expedited"
    if not (urgent or deadline_state(letter.analysis, letter.today, letter.letter_text)):
        return ""
    for field, text in (
        ("consequences_of_denial", case.consequences_of_denial),
        ("urgency_reason", case.urgency_reason),
    ):
        if not text or field in letter.gaps:
            continue
        said = [
            s
            for s in split_sentences(text, flatten=True)
            # an urgency reason's scheduled date is the timeline's, not a risk
            if field == "consequences_of_denial" or not find_dates(s)
        ]
        if said:
            if field == "consequences_of_denial":
                # its section states it whole: pointed to here, not said a second time (a clause
                # of it copied word for word reads as a template's repetition)
                return f"Until this appeal is decided, {letter.patient} {RISK_SET_OUT}."
            risk = continuing(lf.one_date_style(said[0].strip().rstrip(".")))
            return f"Until this appeal is decided, {letter.patient} remains at risk: {risk}."
    return ""


_IN_NETWORK_RE = re.compile(
    r"\bnetwork status\W{0,3}in[- ]network\b|\b(?:this|the|your) provider is in[- ]network\b",
    re.IGNORECASE,
)
"""A claim notice that states the provider is in the network: the claim is paid at that rate."""


def _approved_in_full(letter: _Letter) -> str:
    """'CPT 97151 and CPT 97156 were approved as requested and are not part of this appeal.':
    the lines of a partial approval the plan approved in full ('' when there are none)."""
    done = [
        f"{code_label(code)} {code}".strip()
        for code, part in partial_lines(letter.letter_text).items()
        if part.approved and not part.denied
    ]
    if not done:
        return ""
    joined = done[0] if len(done) == 1 else ", ".join(done[:-1]) + " and " + done[-1]
    were, are = ("was", "is") if len(done) == 1 else ("were", "are")
    return f"{joined} {were} approved as requested and {are} not part of this appeal. "


def _approved_lines(letter: _Letter) -> str:
    """'Lines 3 (CPT 75572) and 4 (CPT 93306) were approved and are not part of this appeal.':
    the lines of a request the notice approved, when it denied others ('' for a claim, whose
    paid lines are no request, and for a notice of items the Request names one by one)."""
    items = letter.analysis.items
    if grouped(items) or not any(i.open for i in items):
        return ""
    done = [
        i for i in items if i.line and not i.open and i.label and i.codes and not i.service_date
    ]
    if not done:
        return ""
    said = [f"{i.label} ({code_label(i.codes[0])} {i.codes[0]})".replace("( ", "(") for i in done]
    joined = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    lines, were, are = ("Line", "was", "is") if len(done) == 1 else ("Lines", "were", "are")
    return f"{lines} {joined} {were} approved and {are} not part of this appeal. "


def _request(letter: _Letter) -> str:
    codes = requested_codes(letter.analysis, letter.case, letter.letter_text)
    partial = partial_lines(letter.letter_text)
    # a line approved in part: the appeal is of the partial denial, for its denied part
    part = any(p.approved and p.denied for c, p in partial.items() if c in {c for c, _, _ in codes})
    action = f"reverse the {'partial ' if part else ''}denial and approve"
    period = _period(letter)
    if _retrospective(letter):  # a claim for a service given: reprocess and pay it
        claim = letter.resolved.claim_reference
        rate = ", at the in-network rate," if _IN_NETWORK_RE.search(letter.letter_text) else ""
        action = (
            f"reverse the denial, reprocess claim {claim} and pay{rate} for"
            if claim
            else (f"reverse the denial, reprocess the claim and pay{rate} for")
        )
        given = claim_dates(letter.analysis, letter.letter_text)
        listed = claim_lines(letter.letter_text, [c for c, _, _ in codes])
        if listed and not _repeated_claim_lines(letter, codes):
            given = []  # each line names its own date of service
        if not given and not listed and (
            since := given_dates(letter.case, letter.analysis.letter_date, letter.today)
        ):
            # a request denied before the service, given since: no claim of the notice's to
            # reprocess; its coverage and payment for the dates the case gives
            action = f"reverse the denial and cover and pay{rate} for"
            given = since
        if given and not period:
            period = f", for the date{'s' if len(given) > 1 else ''} of service " + ", ".join(
                lf.fmt_date(d) for d in given
            )
    if (resubmitted := _resubmission(letter)) is not None and resubmitted.ask:
        # no appeal: the request resubmitted, affirmed for the planned date (never a past one)
        claim = letter.resolved.claim_reference
        action = f"{resubmitted.ask}{f' ({resubmitted.reference} {claim})' if claim else ''} for"
        period = _planned_date(letter)
    count = request_count(letter.case.service.details, codes)
    repeated = course(letter.analysis, letter.case, letter.letter_text, codes)
    if repeated is not None:  # the course's own sentence counts the administrations
        count = ""
    if drug_request(letter.analysis, letter.case, letter.letter_text):
        count = ""  # a drug's regimen states its doses ('for 7 days' is a phase, not a count)
    if _repeated_claim_lines(letter, codes) or (
        _retrospective(letter) and claim_lines(letter.letter_text, [c for c, _, _ in codes])
    ):
        # the claim's lines are counted by their dates and units; the details' count is theirs
        count = ""
    count = f" ({count})" if count else ""
    ground = letter.ground
    how = f", {request_words(ground, site_of(ground, letter.case))}," if ground else ""
    level = "" if ground and ground.spec.key == "inpatient_level" else _level_of_care(letter)
    unbounded = course_gap(letter.analysis, letter.case, letter.letter_text)
    if unbounded is not None and not period:
        gap = letter.gaps.get(unbounded.field)
        if gap is not None and gap.placeholder == unbounded.placeholder:
            period = f", {gap.placeholder}"  # a dose repeated for no stated period
    what = f"{_what_to_approve(letter)}{count}{how}"
    if not _retrospective(letter):
        level += _stay(letter, f"{what}{level}")
    text = (
        f"I ask that you {action} {what} for {letter.patient}"
        f"{_diagnosis_phrase(letter)}{level}{period}. "
    )
    if items_asked := _items_request(letter):  # a notice of several items: each by name
        text = items_asked
    elif lines_asked := _claim_request(letter):  # a claim's lines: each it denied or reduced
        text = lines_asked
    elif days_asked := _days_request(letter):  # a days table: the days it denied, no others
        text = days_asked
    if repeated is not None:
        text += f"{repeated.sentence()} "
    text += _approved_in_full(letter) or _approved_lines(letter)
    change = letter.analysis.service_change
    if change is not None:  # a cut to a service already authorized: restore what was cut
        text = restore_request(change, _changed_service(letter, amount=True), letter.patient)
        text += _also_ordered(letter, codes, text) + " "
    from .reasoning.rights import timeline  # expedited request, scheduled date, deadline

    risk = _risk_of_delay(letter)  # with the deadline it bears on, else the urgency
    late = _deadline_paragraph(letter, risk)
    said = "" if late else risk
    text += timeline(letter.analysis, letter.letter_text, letter.case, letter.today, said)
    if late:
        late += _expedited_offer(letter, text)
    if ahead := _going_forward(letter, codes):
        text = f"{text.rstrip()}{ahead} "
    kept = _continuation(letter)
    # a result not yet back: approval now or on condition of it, never the result (not for a
    # claim for care already given)
    pending = (
        ""
        if _retrospective(letter)
        # said under its criterion; an urgent case still asks here for a fast reconsideration
        or (letter.case.urgency != "expedited" and pending_argued(letter.case, letter.verdicts))
        else pending_paragraph(letter.case)
    )
    text, missing = _gaps_apart(text)
    return "\n\n".join(
        p
        for p in (
            text, missing, pending, _exception(letter), _dose_per_kg(letter), kept, late,
            _representative(letter),
        )
        if p
    )  # fmt: skip


def pending_argued(case: CaseFacts, verdicts: list[CriterionVerdict]) -> bool:
    """Whether every result the case says is pending is answered under the criterion that asks
    for it (its section says it is pending and asks for approval on condition of it): the
    Request does not say it a second time."""
    waiting = {
        f"objective_findings[{i}]"
        for i, f in enumerate(case.objective_findings)
        if is_pending(f.value)
    }
    answered = {
        p
        for v in verdicts
        if not (v.payer_met or v.alternative or v.not_applicable)
        for r in v.requirements
        if r.pending
        for p in r.evidence
    }
    return bool(waiting) and waiting <= answered


_PLACED_GAP_RE = re.compile(rf"(?:,\s*|\s+)?({lf.PLACEHOLDER_RE.pattern})")


def _gaps_apart(paragraph: str) -> tuple[str, str]:
    """The request's paragraph without the placeholders of what the case lacks, and those
    placeholders on a line of their own after it: the request reads as a sentence the
    physician can sign, and what is still to state stands apart ('', '' when none)."""
    found = [m.group(1) for m in _PLACED_GAP_RE.finditer(paragraph)]
    if not found:
        return paragraph, ""
    return _PLACED_GAP_RE.sub("", paragraph), "Still to state in this request: " + "; ".join(
        dict.fromkeys(found)
    ) + "."


def _item_phrase(item: DenialItem, units: dict[str, int | None]) -> str:
    """'Item C (Sumatriptan 6 mg/0.5 mL autoinjector, 18 autoinjectors per 30 days (plan
    limit: 6 per 30 days), 3 fills): a quantity-limit exception for 18 autoinjectors per 30
    days, 3 fills, above the plan's limit of 6 autoinjectors per 30 days': an item as the
    notice names it, with its codes, quantity and period, and what is asked for it."""
    name = item_name(item)
    # its codes first, each with its units (the Request's first mention of a code gives them)
    coded = [
        f"{code_label(c)} {c}".strip() + (f" × {units[c]}" if units.get(c) is not None else "")
        for c in item.codes
    ]
    said = "; ".join(p for p in (", ".join(coded), item.description or "") if p)
    head = f"{name} ({said})" if said else name
    quantity = quantity_words(item)
    if item.decision is ItemDecision.partial and item.quantity and item.approved is not None:
        unit = f" {item.unit}" if item.unit else ""
        per = f" per {item.per}" if item.per else ""
        denied = item.quantity - item.approved
        # the dates of the part not approved, as a part headed for the item states them
        when = (
            f", from {lf.fmt_date(item.start)} to {lf.fmt_date(item.end)}"
            if item.start and item.end and not item.line
            else ""
        )
        return (
            f"{head}: the {denied}{unit}{per} not approved{when} ({item.quantity} asked for, "
            f"{item.approved} approved)"
        )
    if item.decision is ItemDecision.limit or ItemGround.quantity_limit in item.grounds:
        limit = limit_words(item)
        above = f", above the plan's limit of {limit}" if limit else ""
        asked = f" for {quantity}" if quantity else ""
        return f"{head}: a quantity-limit exception{asked}{above}"
    if ItemGround.benefit_exclusion in item.grounds and ItemGround.experimental not in item.grounds:
        return f"{head}: coverage as an exception to the exclusion your notice applies"
    if ItemGround.experimental in item.grounds:
        return f"{head}: approval as requested, on the evidence set out above for it"
    return f"{head}: approval as requested"


def _items_named(items: list[DenialItem]) -> str:
    """'each of the 3 items your notice denied: Item A (Home oxygen ...), Item B (...) and Item
    C (...)': the open items by label and name."""
    named = [
        f"Item {i.label} ({product(i)})" if i.label else product(i)
        for i in items
        if i.open and not i.span
    ]
    joined = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    return f"each of the {len(named)} items your notice denied: {joined}"


def _items_request(letter: _Letter) -> str:
    """For a notice that decides several items one by one: the request for each item it
    denied, in its order, each with its own codes, quantity and period, and the items it
    approved named as no part of the appeal ('' for a notice of one item)."""
    items = letter.analysis.items
    if not grouped(items):
        return ""
    units = {c: n for c, n, _ in requested_codes(letter.analysis, letter.case, letter.letter_text)}
    asked = [f"- {_item_phrase(item, units)}" for item in items if item.open]
    done = [item_name(i) if i.label else product(i) for i in items if not i.open]
    were = ""
    if done:
        joined = done[0] if len(done) == 1 else ", ".join(done[:-1]) + " and " + done[-1]
        verb = "was" if len(done) == 1 else "were"
        are = "is" if len(done) == 1 else "are"
        were = f"\n\n{joined} {verb} approved and {are} not part of this appeal."
    # the period the request asks for, when no item names its own
    period = "" if any(i.period for i in items if i.open) else _period(letter)
    # the request's level of care ('observation'), whether its items are lines or headed parts
    period = f"{_level_of_care(letter)}{period}"
    return (
        f"I ask that you reverse the denial of each item below and approve it for "
        f"{letter.patient}{_diagnosis_phrase(letter)}{period}:\n\n"
        + "\n".join(asked)
        + were
        + "\n\n"
    )


def _claim_lines_denied(items: Sequence[DenialItem]) -> list[DenialItem] | None:
    """The lines of a claim the notice denied or reduced, in its order, when it reduced one
    (approved it in part): each line then asks its own units, which the Request's one phrase
    per code ('× 25 on each date of service') cannot state. None for a claim whose lines it
    denied whole, and for a notice that is no claim read line by line."""
    lines = [i for i in items if i.line and i.service_date is not None]
    if len(lines) < 2 or any(len(i.codes) != 1 for i in lines):
        return None
    denied = [i for i in lines if i.open]
    reduced = any(i.decision is ItemDecision.partial and i.approved for i in denied)
    return denied if reduced else None


def _lines_named(lines: Sequence[DenialItem]) -> str:
    """'the units your notice denied or reduced on lines 03, 06, 08, 09, 11 and 12 (HCPCS J2796
    and CPT 96372, dates of service October 6, 2026 to October 27, 2026)': a claim's reduced
    and denied lines by number, their codes and dates."""
    labels = [i.label for i in lines if i.label]
    codes = [f"{code_label(c)} {c}".strip() for c in dict.fromkeys(i.codes[0] for i in lines)]
    days = sorted(i.service_date for i in lines if i.service_date)
    joined = " and ".join(codes) if len(codes) <= 2 else ", ".join(codes[:-1]) + f" and {codes[-1]}"
    when = ""
    if days:
        first, last = lf.fmt_date(days[0]), lf.fmt_date(days[-1])
        when = (
            f", date of service {first}"
            if first == last
            else f", dates of service {first} to {last}"
        )
    if not labels:
        return f"the units your notice denied or reduced ({joined}{when})"
    named = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + f" and {labels[-1]}"
    line = "line" if len(labels) == 1 else "lines"
    return f"the units your notice denied or reduced on {line} {named} ({joined}{when})"


def _claim_line_phrase(item: DenialItem, modifiers: Sequence[str]) -> str:
    """'Line 03 (October 6, 2026): HCPCS J2796-JZ × 6, the units not paid (25 billed, 19
    allowed; CO-198, N54)': one line of a claim as the Request asks it paid, its units those it
    denied."""
    code = item.codes[0]
    mods = item.modifiers or list(modifiers)
    named = f"{code_label(code)} {code}{''.join(f'-{m}' for m in mods)}".strip()
    when = lf.fmt_date(item.service_date) if item.service_date else ""
    head = f"Line {item.label} ({when})" if item.label and when else (when or "Line")
    remarks = ", ".join(denial_codes(item.remarks))
    units = item.quantity
    if item.decision is ItemDecision.partial and units is not None and item.approved:
        said = f"{units} billed, {item.approved} allowed"
        why = f"; {remarks}" if remarks else ""
        return f"{head}: {named} × {units - item.approved}, the units not paid ({said}{why})"
    count = f" × {units}" if units is not None else ""
    facts = [f"billed ${item.billed.lstrip('$')}" if item.billed else "", remarks]
    told = "; ".join(f for f in facts if f)
    return f"{head}: {named}{count}" + (f" ({told})" if told else "")


def _claim_request(letter: _Letter) -> str:
    """For a claim read line by line: the request to reprocess and pay each line it denied or
    reduced, each with its date of service, code, the units it denied (of a reduced line,
    those billed less those allowed) and its billed amount and adjustment codes, and the lines
    it paid named as no part of the appeal ('' for a notice that is no claim of lines)."""
    items = letter.analysis.items
    denied = _claim_lines_denied(items)
    if denied is None:
        return ""
    mods: dict[str, list[str]] = {}
    for service in letter.analysis.requested:
        mods.setdefault(service.code, list(service.modifiers))
    asked = [f"- {_claim_line_phrase(i, mods.get(i.codes[0], []))}" for i in denied]
    claim = letter.resolved.claim_reference
    reprocess = f"reprocess claim {claim}" if claim else "reprocess the claim"
    paid = [i.label for i in items if i.line and i.service_date and not i.open and i.label]
    done = ""
    if paid:
        joined = paid[0] if len(paid) == 1 else ", ".join(paid[:-1]) + " and " + paid[-1]
        done = (
            f"\n\nLine {joined} was not denied or reduced and is not part of this appeal."
            if len(paid) == 1
            else f"\n\nLines {joined} were not denied or reduced and are not part of this appeal."
        )
    return (
        f"I ask that you reverse the denial, {reprocess} and pay each line below that your "
        f"notice denied or reduced, for {letter.patient}{_diagnosis_phrase(letter)}:\n\n"
        + "\n".join(asked)
        + done
        + "\n\n"
    )


def _days_denied(letter: _Letter) -> str:
    """'the 11 days from November 16, 2026 through November 26, 2026 at the LTCH level of care
    (revenue codes 0120 and 0410)': the days a days table denied, at their level of care, with
    every revenue code the notice and the case name ('' when the notice has no days table)."""
    items = letter.analysis.items
    denied = denied_days(items)
    if denied is None:
        return ""
    _, start, end = denied
    rows = [i for i in items if i.span and i.open]
    level = next((i.description for i in rows if i.description), None)
    at = f" at the {level} level of care" if level else ""
    service = letter.case.service
    named = [s.code for s in letter.analysis.requested if s.system == "revenue"]
    named += revenue_codes(f"{service.description or ''} {service.details or ''}")
    codes = list(dict.fromkeys(named))
    coded = ""
    if codes:
        listed = codes[0] if len(codes) == 1 else ", ".join(codes[:-1]) + " and " + codes[-1]
        coded = f" (revenue code{'s' if len(codes) > 1 else ''} {listed})"
    spans = denied_spans(items)
    if len(spans) > 1:  # denied days on both sides of approved ones: each run by its dates
        runs = [f"{_counted(n)} from {_date_range(a, b)}" for n, a, b in spans]
        return f"{', '.join(runs[:-1])} and {runs[-1]}{at}{coded}"
    # a count the notice gives (one denied row's days), never a sum it does not state
    one = rows[0].quantity if len(rows) == 1 else None
    return f"{_counted(one)} from {lf.fmt_date(start)} through {lf.fmt_date(end)}{at}{coded}"


def _counted(days: int | None) -> str:
    """'the 3 days', 'the 1 day'; 'the days' when the notice gives no count."""
    return f"the {days} day{'s' if days != 1 else ''}" if days else "the days"


def _date_range(start: date, end: date) -> str:
    """'November 13 to 15, 2026'; 'November 28 to December 3, 2026'; 'December 28, 2026 to
    January 3, 2027'."""
    if start.year != end.year:
        return f"{lf.fmt_date(start)} to {lf.fmt_date(end)}"
    then = "" if start.month == end.month else f"{end:%B} "
    return f"{start:%B} {start.day} to {then}{end.day}, {end.year}"


def _days_request(letter: _Letter) -> str:
    """For a notice that decides a stay's days in a table: the request for the days it denied
    (:func:`_days_denied`), and the days it approved named as no part of the appeal ('' for a
    notice with no days table)."""
    days = _days_denied(letter)
    if not days:
        return ""
    text = (
        f"I ask that you reverse the denial of {days} and approve the continued stay for "
        f"{letter.patient}{_diagnosis_phrase(letter)}."
    )
    approved = [
        f"{lf.fmt_date(i.start)} through {lf.fmt_date(i.end)}"
        for i in letter.analysis.items
        if i.span and not i.open and i.start and i.end
    ]
    if approved:
        joined = (
            approved[0] if len(approved) == 1 else ", ".join(approved[:-1]) + " and " + approved[-1]
        )
        text += f" The days your notice approved ({joined}) are not part of this appeal."
    return text + " "


def _items_period(letter: _Letter) -> str:
    """', from October 20, 2026 to March 31, 2027': from the first to the last date a request's
    lines the notice denied name (a line's requested dates), when they end after today; ''
    when none names dates, or for a claim."""
    dated = [i for i in letter.analysis.items if i.open and i.start and i.end and not i.span]
    if not dated or _retrospective(letter):
        return ""
    first = min(i.start for i in dated if i.start)
    last = max(i.end for i in dated if i.end)
    if last < letter.today:
        return ""
    return f", from {lf.fmt_date(first)} to {lf.fmt_date(last)}"


def _designation(letter: _Letter) -> tuple[str, date | None] | None:
    """The case's record of the patient's designation of a representative (see
    ``reasoning.rights.representative``)."""
    from .reasoning.rights import representative

    return representative(letter.case, letter.patient)


def _representative(letter: _Letter) -> str:
    """'Anthony J. Castellano designated Dr. X as his authorized representative in writing on
    November 20, 2026; I enclose that designation.' ('' when the case records none)."""
    found = _designation(letter)
    return f"{found[0]}; I enclose that designation." if found else ""


def _also_ordered(
    letter: _Letter, codes: list[tuple[str, int | None, list[str]]], said: str
) -> str:
    """' It also covers CPT 97155 12 units per week and CPT 97156 8 units per month, as
    ordered.': the requested codes a sentence about one service (the restoration of a cut)
    does not name, each with its units ('' when it names them all)."""
    listed = _codes(letter)
    if len(listed) != len(codes):  # a claim's repeated lines are listed together
        return ""
    pairs = zip(codes, listed, strict=True)
    rest = [p for (code, _, _), p in pairs if not literal.bounded(said, code)]
    if not rest:
        return ""
    joined = rest[0] if len(rest) == 1 else ", ".join(rest[:-1]) + " and " + rest[-1]
    return f" It also covers {joined}, as ordered."


def _dose_per_kg(letter: _Letter) -> str:
    """The dose per kilogram against the notice's limit per kilogram, in the Request when no
    part of the notice answers it ('' when it states no such limit); the weight's gap when the
    case's weight is not recent enough."""
    dosed = per_kg(letter.letter_text, letter.case)
    if dosed is None or notice_parts(letter.letter_text):
        return ""
    gap = letter.gaps.get("objective_findings")
    weight = weight_gap(letter.letter_text, letter.case, letter.today)
    stale = f" {gap.placeholder}" if gap is not None and weight is not None else ""
    return f"{dosed.sentence()}{stale}"


def _exception(letter: _Letter) -> str:
    """The exception a step-therapy or non-formulary drug denial asks for, under the rule that
    fits, with each ground the record supports ('' for other denials)."""
    from .reasoning.law import exception_rule

    found = letter.exception
    if found is None:
        return ""
    plan, text = letter.analysis.plan_type, letter.letter_text
    rule = exception_rule(plan, text, found.restriction)
    per_quantity = exception_rule(plan, text, "quantity_limit") if found.quantity_limited else None
    stated = letter.stated()
    grounds = tuple(_trials_once(letter, g, stated) for g in found.grounds)
    found = replace(found, grounds=grounds)
    return said_or_nothing(exception_paragraph(
        found, rule, letter.gaps.get(gap_field(found)), per_quantity,
        letter.gaps.get("service.details"),
    ))  # fmt: skip


def _trials_once(letter: _Letter, ground: Ground, stated: set[str]) -> Ground:
    """The 'tried' ground with each trial the criteria state in full named, not described a
    second time (the others keep their dose, dates and outcome); any other ground as it is."""
    if ground.key != "tried" or not ground.paths or len(ground.paths) != len(ground.facts):
        return ground
    shown = tuple(p for p in ground.paths if _trial_stated(letter, p, stated))
    if not shown:
        return ground
    rest = tuple(f for f, p in zip(ground.facts, ground.paths, strict=True) if p not in shown)
    return replace(ground, facts=(*rest, _set_out(letter, shown)))


def _trial_stated(letter: _Letter, path: str, stated: set[str]) -> bool:
    """Whether the criteria state the trial at ``path`` in full: it is an argument's evidence,
    or a line of the rendered criteria names it with its start date, else its dose (the answer
    to a denial that cites no criterion lists its records so)."""
    if path in stated:
        return True
    m = re.match(r"^prior_treatments\[(\d+)\]$", path)
    if m is None:
        return False
    t = letter.case.prior_treatments[int(m.group(1))]
    mark = lf.fmt_date(t.start) if t.start else t.dose or ""
    return states_treatment(letter.argued, t.name, [mark])


def _set_out(letter: _Letter, paths: tuple[str, ...]) -> str:
    """'Methotrexate, Hydroxychloroquine and Sulfasalazine, each with its dose, dates and outcome
    under the criteria above' ('Topiramate, with its ...' for one)."""
    names = [
        lf.short_record_name(letter.case.prior_treatments[int(m.group(1))].name)
        for p in paths
        if (m := re.match(r"^prior_treatments\[(\d+)\]$", p))
    ]
    names = list(dict.fromkeys(names))
    if len(names) == 1:
        return f"{names[0]}, with its dose, dates and outcome under the criteria above"
    joined = ", ".join(names[:-1]) + " and " + names[-1]
    return f"{joined}, each with its dose, dates and outcome under the criteria above"


def _changed_service(letter: _Letter, amount: bool = False) -> str:
    """'private duty nursing (HCPCS T1000)': the service a reduction or termination cuts; with
    ``amount``, the code with the amount authorized until now ('(HCPCS G0299 at 5 visits per
    week)': the code's units as the notice counts them)."""
    description = letter.case.service.description
    coded = letter.coded
    change = letter.analysis.service_change
    if amount and coded and change is not None and change.before is not None and change.unit:
        per = f" per {change.per}" if change.per else ""
        # the code's own units first when the request counts them ('CPT 97153 120 units per
        # week, at 30 hours per week'): the code is named with the units it is requested in
        counted = [
            phrase
            for (code, units, _), phrase in zip(
                requested_codes(letter.analysis, letter.case, letter.letter_text),
                _codes(letter),
                strict=False,
            )
            if units is not None and phrase.startswith(coded) and coded.endswith(code)
        ]
        head = f"{counted[0]}," if counted else coded
        coded = f"{head} at {change.before:g} {change.unit}{per}"
    elif amount and coded and len(lines := _codes(letter)) == 1 and lines[0].startswith(coded):
        coded = lines[0]  # the amount the notice's line gives the code ('140 units per week')
    if description and coded:
        return f"{description[0].lower()}{description[1:]} ({coded})"
    return description or coded or "the service"


def _continuation(letter: _Letter) -> str:
    """The request that a reduced or ended service continue pending the appeal, under the rule
    of the plan type that fits ('' for plan types with none)."""
    from .reasoning.law import continuation

    found = continuation(letter.analysis, letter.letter_text, letter.case, letter.today)
    if found is None:
        return ""
    text = found.paragraph(_changed_service(letter))
    # a retrieved provision on the same rule is cited with it ('42 CFR 438.420' in its section)
    section = found.rule.citation.split(";")[0].split("(")[0].split()[-1]
    plan = letter.analysis.plan_type
    for rp in letter.passages:
        if _applies_to(rp.passage, plan) and section in rp.passage.section:
            first, stop, rest = text.partition(". ")  # after the sentence naming the rule
            if not stop:
                return f"{text.rstrip('.')} {cite(rp.passage.id)}."
            return f"{first} {cite(rp.passage.id)}. {rest}"
    return text


def _same_person(name: str, other: str | None) -> bool:
    """Whether two names share a surname-length word ('Dr. Winston Achebe' and 'Winston A.
    Achebe, MD'): the payer's reviewer read from a notice that also names the ordering
    physician may be that physician."""
    words = {w for w in re.findall(r"[a-z]{3,}", (other or "").lower())} - {"md", "phd"}
    return bool(words & set(re.findall(r"[a-z]{3,}", name.lower())))


_NON_PHYSICIAN_TITLES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bPharm\.?\s?D\b|\bR\.?Ph\b", re.IGNORECASE), "a pharmacist"),
    (re.compile(r"\bN\.?P\b|\bA\.?P\.?R\.?N\b"), "a nurse practitioner"),
    (re.compile(r"\bR\.?N\b|\bBSN\b|\bL\.?P\.?N\b"), "a nurse"),
    (re.compile(r"\bPA-C\b"), "a physician assistant"),
    (re.compile(r"\bPsy\.?D\b"), "a psychologist"),
    (re.compile(r"\b(?:DPT|PT|OTR/L|CCC-SLP|LCSW|LPC|LMFT|BCBA)\b"), "a licensed therapist"),
)
_PHYSICIAN_TITLE_RE = re.compile(r"\b(?:M\.?D|D\.?O|MBBS)\b|\bDr\.?\s")


def reviewer_title(named: str) -> str | None:
    """What the payer's reviewer is, from the credentials the notice gives with the name ('Dana
    Whitcombe, PharmD' -> 'a pharmacist'; 'Carla Mendes, RN' -> 'a nurse'); None for a
    physician, or when the credentials do not say (the letter then assumes nothing)."""
    if _PHYSICIAN_TITLE_RE.search(named):
        return None
    return next((title for rx, title in _NON_PHYSICIAN_TITLES if rx.search(named)), None)


def _peer_to_peer(letter: _Letter) -> str:
    """The plan's peer-to-peer line and window as the notice gives them, and my number for the
    payer's reviewer (named when the notice names them, never the letter's own author). A
    reviewer the notice names with a title other than a physician's (a pharmacist, a nurse) is
    called by that title, and the discussion is asked with a physician: a talk with a
    pharmacist is not a peer-to-peer review."""
    named = letter.analysis.reviewer
    if named and _same_person(named, letter.case.physician.name):
        named = None
    title = reviewer_title(named) if named else None
    phone = letter.fill("physician.phone", letter.case.physician.phone)
    if named and title:
        specialty = letter.case.physician.specialty
        peer = f"a physician reviewer in {specialty.lower()}" if specialty else "a physician"
        reach = (
            f"Your notice names the reviewer as {named}, {title}, not a physician; I ask that "
            f"{peer} review this appeal and hold the peer-to-peer discussion with me, at {phone}."
        )
    else:
        reviewer = f"The reviewing physician, {named}," if named else "The reviewing physician"
        reach = f"{reviewer} can reach me for a peer-to-peer discussion at {phone}."
    line = letter.analysis.peer_to_peer_phone
    if not line:
        return reach
    # the sentence before names the discussion: this one gives my number
    reach = reach.replace(" for a peer-to-peer discussion at ", " at ")
    closed = p2p_closes(letter.analysis)
    offered = f"Your notice offered a peer-to-peer review at {line}{_p2p_window(letter)}"
    if closed is not None and closed < letter.today:
        return f"{offered} (closed on {lf.fmt_date(closed)}); I ask for one nonetheless. {reach}"
    until = f" (through {lf.fmt_date(closed)})" if closed else ""
    return f"{offered}{until}; I am requesting one through that line. {reach}"


_WINDOW_RE = re.compile(r"within (\d+) (calendar |business |working )?days?", re.IGNORECASE)


def _p2p_window(letter: _Letter) -> str:
    """', within 14 calendar days of the October 21, 2026 notice' (the notice's words when they
    count from something else; '' when it states none)."""
    window = letter.analysis.peer_to_peer_window
    if not window:
        return ""
    m = _WINDOW_RE.search(window)
    notice = letter.analysis.letter_date
    if m and notice:
        kind = (m.group(2) or "").strip()
        days = f"{m.group(1)} {kind} days" if kind else f"{m.group(1)} days"
        return f", within {days} of the {lf.fmt_date(notice)} notice"
    return f" ({window.strip().rstrip('.')}, as the notice puts it)"


def _signature(letter: _Letter) -> str:
    physician = letter.case.physician
    name = letter.fill("physician.name", physician.name)
    credentials = letter.fill("physician.credentials", physician.credentials)
    return "Sincerely,\n\n" + _lines(
        f"{name}, {credentials}",
        physician.specialty or "",
        physician.practice_name or "",
        letter.fill("physician.address", physician.address),
        f"{lf.SIG_NPI}: {letter.fill('physician.npi', physician.npi)}",
        f"{lf.SIG_LICENSE}: {letter.fill('physician.license', physician.license)}",
        f"{lf.SIG_PHONE}: {letter.fill('physician.phone', physician.phone)}",
        f"{lf.SIG_FAX}: {physician.fax}" if physician.fax else "",
    )


def _enclosures(letter: _Letter) -> str | None:
    """The records enclosed: the denial notice, then the records behind the facts the letter
    cites (the case's documents when it lists them)."""
    items: list[str] = []
    if letter.analysis.letter_date:
        claim = letter.resolved.claim_reference
        ref = f" ({claim})" if claim else ""
        items.append(f"Denial notice of {lf.fmt_date(letter.analysis.letter_date)}{ref}.")
    names = lf.criterion_names(letter.analysis.criteria)
    argued = {
        v.index
        for v in letter.verdicts
        if v.index < len(names) and not (v.payer_met or v.alternative or v.not_applicable)
    }
    answers = [sorted(e.criteria & argued) for e in letter.enclosed]
    # each record with the criteria it answers, so the reviewer reads it against them
    items += [
        f"{e.title.rstrip('.')}"
        + (f" — {lf.named_list([names[i] for i in which])}" if which else "")
        + "."
        for e, which in zip(letter.enclosed, answers, strict=True)
    ]
    designated = _designation(letter)
    if designated and not any(re.search(r"representative", e.title, re.I) for e in letter.enclosed):
        when = f" ({lf.fmt_date(designated[1])})" if designated[1] else ""
        items.append(f"Designation of authorized representative{when}.")
    from .reasoning.rights import CONSENT_TITLE, written_consent

    consent = written_consent(letter.case)
    if consent and not any(re.search(r"consent", e.title, re.I) for e in letter.enclosed):
        when = f" ({lf.fmt_date(consent[1])})" if consent[1] else ""
        items.append(f"{CONSENT_TITLE}{when}.")
    if not items:
        return None
    return "\n".join(f"{n}. {item}" for n, item in enumerate(items, start=1))


_SECTIONS: tuple[tuple[str, Callable[[_Letter], str | None]], ...] = (
    (lf.IDENTIFICATION, _identification),
    (lf.DIAGNOSIS, _diagnosis),
    (lf.REQUESTED_SERVICE, _requested_service),
    (lf.CLINICAL_SUMMARY, _clinical_summary),
    (lf.PRIOR_TREATMENT, _prior_treatment),
    (lf.OBJECTIVE_FINDINGS, _objective_findings),
    (lf.CRITERIA, _criteria),
    (lf.CONSEQUENCES, _consequences),
    (lf.LEGAL_BASIS, _legal_basis),
    (lf.REQUEST, _request),
    (lf.PEER_TO_PEER, _peer_to_peer),
    (lf.SIGNATURE, _signature),
    (lf.ENCLOSURES, _enclosures),
)
"""The body sections before References, in letter_format.SECTION_ORDER."""
