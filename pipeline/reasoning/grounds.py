"""Denial grounds whose argument is not "each criterion met": the plan's network cannot provide
the service (a network-gap exception or single-case agreement), the patient needs the site of
care the plan denied, the stay was an inpatient admission and not observation, the transport
used was the one the patient's condition needed.

Extraction reads the notice's prose ground (``DenialAnalysis.ground``: its kind, whether it
concedes medical necessity); :func:`select` maps that reading to the ground whose argument
answers it (a kind several grounds share, or a notice extraction gives no kind, is decided by
the ground's own words in the notice: inpatient vs observation within a level-of-care ground,
air vs ground transport). :func:`answer` reads the case's own sentences for each fact the ground
turns on and picks the rule that fits the plan type; the drafter states them (:func:`section`),
asks for what the ground needs (``GroundSpec.request``) and lists a gap naming
``clinical_summary`` when the fact the ground needs is missing (:func:`ground_gaps`). Words,
facts and rules are data (``specs/ground/grounds.yaml``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Final, Literal, TypeAlias

import yaml
from pydantic import Field

from ..evidence import cite, lower_first
from ..letter_format import PLACEHOLDER, fmt_date, one_date_style
from ..models import (
    CaseFacts,
    DenialAnalysis,
    DenialCategory,
    Gap,
    GroundKind,
    Passage,
    PlanType,
    Strict,
)
from ..text.applied import without_unapplied
from ..text.dates import years_between
from ..text.sentences import split_sentences
from .fit import source_label
from .parts import notice_parts
from .specs import HERE, Phrase, pattern, says
from .wording import as_sentences

_UNCHECKED_RE = re.compile(r"^[ \t]*\[ \][^\n]*$", re.MULTILINE)
"""A notice's unchecked box ('[ ] Out of network'): a ground the notice did not apply."""


class FactKind(Strict):
    """A fact the ground turns on, found among the case's own sentences by its words."""

    key: str = Field(min_length=2)
    label: str = Field(min_length=5)
    words: list[str] = Field(min_length=1)
    required: bool = False
    """Without it the ground is not argued: a gap names the field that would state it."""
    missing: str | None = Field(default=None, min_length=20)
    """What the gap asks for, when the fact is required."""


class GroundRule(Strict):
    """The rule a plan type's law gives the ground, as the letter states it."""

    plan_types: list[PlanType] = Field(min_length=1)
    citation: str | None = None
    verified: bool = False
    """Checked against the rule's text; an unverified rule is stated only when the notice cites
    it (its exact citation then stands on the notice's words)."""
    under_21: bool = False
    """Only for a patient under 21 on the letter's date (EPSDT)."""
    when: list[str] = Field(default_factory=list)
    """Patterns the notice must hold for the rule to fit (empty: any notice)."""
    sentence: str = Field(min_length=20)
    """The letter's sentence; {patient} is filled in."""


class Concession(Strict):
    """What a notice concedes (the service is medically necessary): stated, not argued."""

    key: str = Field(min_length=3)
    words: list[str] = Field(min_length=1)
    sentence: str = Field(min_length=20)
    """The letter's sentence; {service} is filled in."""
    grounds: list[str] = Field(default_factory=list)
    """The grounds it is read for (empty: every ground)."""
    supersedes: list[str] = Field(default_factory=list)
    """Concessions it says more precisely (the treatment approved, only its site disputed,
    says more than 'medically necessary'): they are not stated beside it."""


class Answered(Strict):
    """Notice criteria a ground's argument answers, and the section such a criterion gets."""

    words: list[str] = Field(min_length=1)
    """Patterns of the criterion's text."""
    sentence: str = Field(min_length=20)
    concedes: bool = False
    """The request does not rest on such a criterion (another route to the same coverage):
    conceded, not disputed."""


class Rebuttal(Strict):
    """A notice's answer the ground meets with a sentence of its own."""

    words: list[str] = Field(min_length=1)
    sentence: str = Field(min_length=20)


class AccessStandard(Strict):
    """A network's distance or time standard, and the nearest in-network provider's distance:
    a provider beyond the standard is no provider the network can give."""

    shows: str = Field(min_length=2)
    """The key of the required fact a provider beyond the standard shows."""
    label: str = Field(min_length=5)
    standard: list[str] = Field(min_length=1)
    """Patterns of the standard (named groups 'miles', optionally 'minutes')."""
    nearest: list[str] = Field(min_length=1)
    """Patterns of the nearest in-network provider's distance (named group 'miles')."""
    sentence: str = Field(min_length=20)
    """{nearest}, {whose} ('your notice states'), {standard} ('30 miles or 45 minutes'),
    {over} (miles beyond it)."""
    rebuttals: list[Rebuttal] = Field(default_factory=list)


class ExceptionTerm(Strict):
    """One kind of care a plan's own exception covers ('a congenital anomaly', 'function
    impaired by an accidental injury'), and the case's words that state it."""

    key: str = Field(min_length=3)
    notice: list[str] = Field(min_length=1)
    """Patterns of the exception's words that name this term."""
    facts: list[str] = Field(min_length=1)
    """Patterns of a case sentence that states it."""


class PlanException(Strict):
    """A plan's own exception inside the exclusion it applied ('This exclusion does not apply to
    reconstructive surgery to correct a congenital anomaly'): when a case sentence states a
    term it names, the exception is the ground argued, in the notice's own words."""

    words: list[str] = Field(min_length=1)
    """Patterns of the notice's exception, the covered care in the named group 'exception'."""
    terms: list[ExceptionTerm] = Field(min_length=1)
    claim: str = Field(min_length=20)
    """{exception} (the notice's words) and {facts} (the case's sentences that fit it)."""
    opening: str = Field(min_length=20)
    request: str = Field(min_length=5)


class GroundSpec(Strict):
    key: str = Field(min_length=3, max_length=40)
    heading: str = Field(min_length=10)
    kinds: list[GroundKind] = Field(default_factory=list)
    """The extracted prose grounds (``DenialGround.kind``) this ground answers."""
    categories: list[DenialCategory] = Field(default_factory=list)
    """Primary denial categories whose criteria this ground's argument may answer."""
    words_required: bool = False
    """Selected from a kind only when its own words also reach :attr:`threshold` (a
    level-of-care notice is inpatient vs observation only when it says so)."""
    threshold: float = Field(default=1.0, gt=0)
    selects: list[Phrase] = Field(default_factory=list)
    """How a notice states the ground (each pattern counted once): what decides it when
    extraction reads no kind, or a kind several grounds share (none: only the extracted kind
    selects it)."""
    claim: str = Field(min_length=20)
    """The sentence before the facts; {patient} is filled in."""
    opening: str = Field(min_length=20)
    """The opening summary's sentence saying what the appeal turns on."""
    opening_shown: str | None = Field(default=None, min_length=20)
    """The same, when the record states the fact the ground needs (it may then say so)."""
    facts: list[FactKind] = Field(min_length=1)
    access: AccessStandard | None = None
    """The network's distance or time standard against the nearest in-network provider."""
    any_required: bool = False
    """At least one fact kind must be stated, else a gap asks for :attr:`missing`."""
    missing: str | None = Field(default=None, min_length=20)
    answers: list[Answered] = Field(default_factory=list)
    """Criteria of the notice the ground's argument answers (not argued as clinical ones)."""
    own_plan_types: list[PlanType] = Field(default_factory=list)
    """The plan types whose law makes the ground's rule the standard for :attr:`answers`
    (empty: any)."""
    conceded_sentence: str | None = Field(default=None, min_length=20)
    """The sentence under a criterion the physician concedes (instead of the category's)."""
    midnights: bool = False
    """State the stay's midnights from the notice's dates of service."""
    interpretations: bool = False
    """A finding is read with its interpretation ('68%: 35% on 08/26/2026; goal 80%')."""
    site: list[str] = Field(default_factory=list)
    """Patterns of the site of care the case asks for, in its service details or description
    (the request names the first part, between semicolons, that states one)."""
    request: str = Field(min_length=5)
    """What the request adds after the codes ('out of network at the in-network level of cost
    sharing'); {site} is the site the case asks for."""
    rules: list[GroundRule] = Field(default_factory=list)
    plan_exception: PlanException | None = None
    """The plan's own exception to the exclusion the ground answers, argued when it fits."""
    question: GroundKind | None = None
    """The question the ground's dispute asks that a corpus passage answers by its
    ``questions`` tag (``site_of_care``: where and how the treatment is safely given). Under
    such a ground retrieval offers and tags for the criteria only passages answering it, and
    only they are cited, the ground's guideline included: a guideline on whether the drug works
    answers nothing of where it is given. None: any passage whose position names one of
    :attr:`guideline` may be cited."""
    guideline: list[str] = Field(default_factory=list)
    """Patterns of a guideline's position that bears on this ground (a high-volume center for a
    complex operation, monitoring for a prior infusion reaction): the first retrieved clinical
    passage stating one is cited with the ground's facts (``fit.bearing``). Empty: none."""


class Substitute(Strict):
    """Codes a notice offers in place of the one denied: not requested for such a service."""

    codes: str = Field(min_length=3)
    """Pattern (regex) of the substitute codes."""
    when: str = Field(min_length=3)
    """Pattern of the case's service (description, details, codes) they replace."""


class GroundsSpec(Strict):
    version: int = Field(ge=1)
    concessions: list[Concession] = Field(default_factory=list)
    substitutes: list[Substitute] = Field(default_factory=list)
    already: str | None = None
    """Pattern of a sentence of the case's service details saying a code it names was already
    approved or paid: that code is not requested."""
    grounds: list[GroundSpec] = Field(min_length=1)


@cache
def grounds_spec() -> GroundsSpec:
    """The spec (``specs/ground/grounds.yaml``), read once."""
    path = HERE / "ground" / "grounds.yaml"
    return GroundsSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Selected:
    """The ground a notice turns on, and what the notice concedes ('medical_necessity')."""

    spec: GroundSpec
    concedes: tuple[str, ...]


def _score(ground: GroundSpec, text: str) -> float:
    return sum(p.weight for p in ground.selects if says([p.pattern], text))


def select(analysis: DenialAnalysis, letter_text: str) -> Selected | None:
    """The ground whose argument answers the notice: the one the extracted kind maps to (by its
    words where several share the kind or it needs them), else, when extraction read no kind or
    one no ground answers, a kindless ground or any ground with words when no kind was read,
    by the highest score of its words at or above its threshold. What the notice concedes is
    the reading's concession and the spec's concession words. An unchecked box is not read."""
    text = without_unapplied(_UNCHECKED_RE.sub("", letter_text))
    read = analysis.ground
    grounds = grounds_spec().grounds
    scores = {g.key: _score(g, text) for g in grounds}
    chosen: GroundSpec | None = None
    if read is not None:
        fitting = [
            g for g in grounds
            if read.kind in g.kinds and (not g.words_required or scores[g.key] >= g.threshold)
        ]  # fmt: skip
        chosen = max(fitting, key=lambda g: scores[g.key], default=None)
    if chosen is None:
        worded = [
            g for g in grounds
            if (read is None or not g.kinds) and scores[g.key] >= g.threshold
        ]  # fmt: skip
        chosen = max(worded, key=lambda g: scores[g.key], default=None)
    if chosen is None or _outside_parts(chosen, text, scores[chosen.key]):
        return None
    concedes = [
        c.key
        for c in grounds_spec().concessions
        if (not c.grounds or chosen.key in c.grounds) and says(c.words, text)
    ]
    if read is not None and read.necessity_conceded and "medical_necessity" not in concedes:
        concedes.insert(0, "medical_necessity")
    return Selected(chosen, tuple(concedes))


def _outside_parts(ground: GroundSpec, text: str, score: float) -> bool:
    """Whether the notice states several grounds, one part each, and the words that chose the
    ground stand in none of them (a remark code's gloss, 'Benefit maximum ... reached'): the
    ground is no part's, and each part is answered in its own section."""
    parts = notice_parts(text)
    if not parts or score < ground.threshold:
        return False
    return all(_score(ground, part.text) < ground.threshold for part in parts)


class _Unread(Enum):
    token = 0


UNREAD: Final = _Unread.token
"""The default of a ``ground`` parameter: the caller has not chosen the ground (it is chosen
from the notice there). The pipeline chooses it once a draft and passes the choice down."""

Choice: TypeAlias = Selected | Literal[_Unread.token] | None
"""A ground chosen by :func:`select` (None: the notice's ground is an ordinary one), or
:data:`UNREAD`."""


def chosen(choice: Choice, analysis: DenialAnalysis, letter_text: str) -> Selected | None:
    """The ground the caller chose, else (``UNREAD``) the one :func:`select` chooses."""
    return select(analysis, letter_text) if choice is UNREAD else choice


def question(choice: Selected | None) -> GroundKind | None:
    """The question the notice's ground asks that passages answer by their ``questions``
    tag (:attr:`GroundSpec.question`), or None (whether the care is indicated)."""
    return choice.spec.question if choice is not None else None


def owns(analysis: DenialAnalysis, criterion_text: str) -> Answered | None:
    """How the ground's argument answers a notice criterion (the network's own rule and
    continuity of care under a network denial; under Medicare rules, a plan's own inpatient
    screen): the criterion is then not argued as a clinical one. The ground is the one the
    extracted kind or the primary denial category maps to, for the plan types whose law makes
    it the standard."""
    read = analysis.ground
    primary = analysis.denial_categories[0] if analysis.denial_categories else None
    for ground in grounds_spec().grounds:
        if ground.own_plan_types and analysis.plan_type not in ground.own_plan_types:
            continue
        if not ((read is not None and read.kind in ground.kinds) or primary in ground.categories):
            continue
        for answered in ground.answers:
            if says(answered.words, criterion_text):
                return answered
    return None


@dataclass(frozen=True)
class Stated:
    """One fact kind the ground turns on and the case's sentences that state it."""

    label: str
    sentences: tuple[str, ...]
    paths: tuple[str, ...]


@dataclass(frozen=True)
class Excepted:
    """The plan's own exception, in the notice's words, and the case's sentences that fit it."""

    rule: PlanException
    words: str
    sentences: tuple[str, ...]
    paths: tuple[str, ...]


_EXCEPTION_END_RE = re.compile(r"[\s,;:]+(?:and|or|but|which|that is)?\s*$", re.IGNORECASE)


def plan_exception(
    spec: GroundSpec, letter_text: str, texts: list[tuple[str, str]]
) -> Excepted | None:
    """The notice's own exception to the exclusion (``spec.plan_exception``) when a case
    sentence states a term it names: its words and, for each such term, the first sentence
    that states it (None when the notice states none or no term fits)."""
    rule = spec.plan_exception
    if rule is None:
        return None
    for sentence in split_sentences(letter_text, flatten=True):
        for written in rule.words:
            m = pattern(written).search(sentence)
            if m is None:
                continue
            words = _EXCEPTION_END_RE.sub("", " ".join(m.group("exception").split()))
            named = [t for t in rule.terms if says(t.notice, words)]
            fit: dict[str, str] = {}
            for term in named:
                hit = next(((p, s) for p, s in texts if p not in fit and says(term.facts, s)), None)
                if hit is not None:
                    fit[hit[0]] = hit[1]
            if fit:
                said = tuple(one_date_style(s.strip()).rstrip(".") for s in fit.values())
                return Excepted(rule, words, said, tuple(fit))
    return None


@dataclass(frozen=True)
class GroundAnswer:
    """The ground's argument, from the case: the concessions, each fact stated, the gap when
    the fact it needs is missing, the rules that fit and the stay's midnights."""

    spec: GroundSpec
    concessions: tuple[Concession, ...]
    stated: tuple[Stated, ...]
    missing: str | None
    """What the gap asks for (None: the record states what the ground needs)."""
    rules: tuple[GroundRule, ...]
    stay: tuple[dt.date, dt.date] | None = None
    rebuttals: tuple[str, ...] = ()
    """Sentences meeting the notice's own answers to the ground."""
    exception: Excepted | None = None
    """The plan's own exception the case's facts fit (argued before the other facts)."""

    @property
    def clinical_conceded(self) -> bool:
        """The notice concedes the service is medically necessary: the letter makes no
        clinical argument (and needs no guideline for one)."""
        return any(c.key == "medical_necessity" for c in self.concessions)

    @property
    def midnights(self) -> int | None:
        return (self.stay[1] - self.stay[0]).days if self.stay else None


def _sentences(case: CaseFacts, interpretations: bool = False) -> list[tuple[str, str]]:
    """(path, sentence) of the case's own words that may state a ground's facts: the summary
    and the findings, with their interpretations when asked (the consequences and the urgency
    have sections of their own)."""
    text = case.clinical_summary or ""
    out = [(f"clinical_summary[{i}]", s) for i, s in enumerate(split_sentences(text))]
    for i, f in enumerate(case.objective_findings):
        said = f"{f.name}: {f.value}"
        if interpretations and f.interpretation:
            said += f" ({f.interpretation.rstrip('.')})"
        out.append((f"objective_findings[{i}]", said))
    return out


def _age(case: CaseFacts, today: dt.date) -> int | None:
    born = case.patient.date_of_birth
    return years_between(born, today) if born else None


def _fits(rule: GroundRule, analysis: DenialAnalysis, text: str, age: int | None) -> bool:
    if analysis.plan_type not in rule.plan_types:
        return False
    if rule.when and not says(rule.when, text):
        return False
    if rule.under_21 and (age is None or age >= 21):
        return False
    if not rule.verified:  # stated only on the notice's own citation of it
        section = (rule.citation or "").split("(")[0].split()[-1:]
        return bool(section) and section[0] in text
    return True


def _stay(analysis: DenialAnalysis) -> tuple[dt.date, dt.date] | None:
    """The stay's first and last day as the notice gives them (its period, else its first and
    last date of service before the notice)."""
    if analysis.service_start and analysis.service_end:
        return analysis.service_start, analysis.service_end
    before = analysis.letter_date
    dates = sorted(d for d in analysis.service_dates if before is None or d < before)
    return (dates[0], dates[-1]) if len(dates) >= 2 and dates[-1] > dates[0] else None


def answer(
    analysis: DenialAnalysis,
    case: CaseFacts,
    letter_text: str,
    today: dt.date,
    ground: Choice = UNREAD,
) -> GroundAnswer | None:
    """The ground's argument for this case (None when the notice's ground is an ordinary one;
    ``ground``: the ground the caller chose). Each case sentence is stated once, under the
    first fact kind its words fit."""
    picked = chosen(ground, analysis, letter_text)
    if picked is None:
        return None
    spec = picked.spec
    conceded = [c for c in grounds_spec().concessions if c.key in picked.concedes]
    superseded = {key for c in conceded for key in c.supersedes}
    concessions = tuple(c for c in conceded if c.key not in superseded)
    texts = _sentences(case, spec.interpretations)
    excepted = plan_exception(spec, letter_text, texts)
    used: set[str] = set(excepted.paths if excepted else ())
    stated: list[Stated] = []
    for kind in spec.facts:
        said = [(p, s) for p, s in texts if p not in used and says(kind.words, s)]
        used.update(p for p, _ in said)
        if said:
            sentences = tuple(one_date_style(s.strip()).rstrip(".") for _, s in said)
            stated.append(Stated(kind.label, sentences, tuple(p for p, _ in said)))
    labels = {s.label for s in stated}
    shown: set[str] = set()
    beyond = access(spec, case, letter_text)
    if beyond is not None:
        stated.insert(0, beyond[0])
        shown.add(beyond[1])
    missing = next(
        (
            k.missing
            for k in spec.facts
            if k.required and k.label not in labels and k.key not in shown
        ),
        None,
    )
    if missing is None and spec.any_required and not stated and excepted is None:
        missing = spec.missing
    age = _age(case, today)
    rules = tuple(r for r in spec.rules if _fits(r, analysis, letter_text, age))
    stay = _stay(analysis) if spec.midnights else None
    rebut = rebuttals(spec, letter_text) if beyond is not None else ()
    return GroundAnswer(spec, concessions, tuple(stated), missing, rules, stay, rebut, excepted)


def _first(patterns: list[str], texts: list[tuple[str, str]]) -> tuple[re.Match[str], str] | None:
    """The first match of the patterns in the texts, in order, with the text's path."""
    for path, text in texts:
        for written in patterns:
            if m := pattern(written).search(" ".join(text.split())):
                return m, path
    return None


def _miles(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _access(
    spec: GroundSpec, case: CaseFacts, letter_text: str
) -> tuple[str, str, str, str] | None:
    """(sentence, path, over, shown key) of the nearest in-network provider beyond the
    network's access standard; None when either is unstated or the provider is within it."""
    rule = spec.access
    if rule is None:
        return None
    sentences = _sentences(case)
    notice = [("notice", letter_text)]
    standard = _first(rule.standard, notice) or _first(rule.standard, sentences)
    nearest = _first(rule.nearest, sentences) or _first(rule.nearest, notice)
    if standard is None or nearest is None:
        return None
    limit, far = float(standard[0].group("miles")), float(nearest[0].group("miles"))
    if far <= limit:
        return None
    minutes = standard[0].groupdict().get("minutes")
    said = f"{_miles(limit)} miles" + (f" or {minutes} minutes" if minutes else "")
    whose = "your notice states" if standard[1] == "notice" else "the record states"
    over = _miles(far - limit)
    text = rule.sentence.format(nearest=_miles(far), whose=whose, standard=said, over=over)
    path = nearest[1] if nearest[1] != "notice" else standard[1]
    return " ".join(text.split()), path, f"{over} miles beyond", rule.shows


def access(spec: GroundSpec, case: CaseFacts, letter_text: str) -> tuple[Stated, str] | None:
    """The fact that the nearest in-network provider is beyond the network's own distance
    standard ('58.4 miles away; the access standard your notice states is 30 miles or 45
    minutes, so it is 28.4 miles beyond it'), and the key of the required fact it shows."""
    found = _access(spec, case, letter_text)
    if found is None or spec.access is None:
        return None
    sentence, path, _, shows = found
    paths = (path,) if path != "notice" else ()
    return Stated(spec.access.label, (sentence,), paths), shows


def rebuttals(spec: GroundSpec, letter_text: str) -> tuple[str, ...]:
    """The sentences that meet the notice's own answers to the ground ('the standard measures
    the network as a whole')."""
    said = spec.access.rebuttals if spec.access else []
    return tuple(" ".join(r.sentence.split()) for r in said if says(r.words, letter_text))


def access_strings(spec: GroundSpec | None, case: CaseFacts, letter_text: str) -> list[str]:
    """What the access comparison of the chosen ground (``spec``; None: an ordinary ground)
    computes (the miles beyond the standard): the validator grounds the letter's numbers in
    these as in the inputs."""
    found = _access(spec, case, letter_text) if spec else None
    return [found[0], found[2]] if found else []


def section(
    found: GroundAnswer,
    patient: str,
    service: str,
    gap: Gap | None,
    guideline: tuple[Passage, str] | None = None,
    plan_type: PlanType | None = None,
) -> str:
    """The ground's argument as the letter states it: its heading, what the notice concedes,
    the question it turns on with each fact the record states (a gap's placeholder for the one
    it lacks), the stay's midnights, the guideline whose position bears on the ground
    (``guideline``: the passage and its sentence, cited), and the rules that fit."""
    spec = found.spec
    parts = [f"### {spec.heading}"]
    parts += [" ".join(c.sentence.format(service=service).split()) for c in found.concessions]
    if (excepted := found.exception) is not None:  # the plan's own exception, argued first
        facts = "; ".join(lower_first(s) for s in excepted.sentences)
        said = excepted.rule.claim.format(exception=excepted.words, facts=facts, patient=patient)
        parts.append(" ".join(said.split()))
    lines = [f"- {s.label}: {as_sentences(s.sentences)}" for s in found.stated]
    if found.stay and found.midnights:
        first, last = found.stay
        lines.append(
            f"- The stay's dates: {fmt_date(first)} to {fmt_date(last)}, "
            f"{found.midnights} midnight{'s' if found.midnights != 1 else ''} in hospital."
        )
    if gap is not None:
        lines.append(f"- {gap.placeholder}")
    claim = " ".join(spec.claim.format(patient=patient).split())
    parts.append(claim + ("\n\n" + "\n".join(lines) if lines else ""))
    if found.rebuttals:
        parts.append(" ".join(found.rebuttals))
    if guideline is not None:
        passage, said = guideline
        label = source_label(passage, plan_type)
        parts.append(f"{label}: {said.rstrip('.')} {cite(passage.id)}.")
    parts += [" ".join(r.sentence.format(patient=patient).split()) for r in found.rules]
    return "\n\n".join(parts)


def opening_sentence(found: GroundAnswer) -> str:
    """What the appeal turns on, for the opening summary: the ground's position, saying that
    the record shows it only when the record states the fact the ground needs."""
    if found.exception is not None:
        return " ".join(found.exception.rule.opening.split())
    text = found.spec.opening_shown if found.missing is None and found.spec.opening_shown else None
    return " ".join((text or found.spec.opening).split())


def ground_gaps(found: GroundAnswer | None) -> list[Gap]:
    """A gap naming ``clinical_summary`` when the record lacks the fact the ground turns on
    (the letter must not argue the ground without it)."""
    if found is None or found.missing is None:
        return []
    what = " ".join(found.missing.split())
    return [
        Gap(
            field="clinical_summary",
            message=(
                f"the denial turns on {found.spec.heading[0].lower()}{found.spec.heading[1:]}"
                f" and the case does not state it: say in clinical_summary {what}"
            ),
            placeholder=PLACEHOLDER.format(what=what),
        )
    ]


def site_of(found: GroundAnswer | None, case: CaseFacts) -> str | None:
    """The site the case asks for, as its service details (else description) state it
    ('Hospital outpatient infusion department'); None when the ground names no site or the
    case states none."""
    if found is None or not found.spec.site:
        return None
    for text in (case.service.details, case.service.description):
        for written in found.spec.site:
            if m := pattern(written).search(text or ""):
                site = " ".join(m.group(1).split())
                words = site.split()
                if len(words) > 1 and words[1][:1].isupper():  # a proper name, as written
                    return site
                site = site[:1].lower() + site[1:] if site[1:2].islower() else site
                return site if re.match(r"(?:the|an?) ", site) else f"the {site}"
    return None


def substitute(code: str, case: CaseFacts) -> bool:
    """Whether a notice's code is not requested: one the case's service details say was
    already approved or paid, or one the notice offers in place of the case's service (ground
    ambulance for an air transport, observation for an inpatient stay) that the case's service
    does not name."""
    if code in case.service.codes:
        return False
    already = grounds_spec().already
    if already and any(
        code in sentence and pattern(already).search(sentence)
        for sentence in split_sentences(case.service.details or "")
    ):
        return True
    service = " ".join(
        [case.service.description or "", case.service.details or "", *case.service.codes]
    )
    return any(
        pattern(s.codes, 0).search(code) and pattern(s.when).search(service)
        for s in grounds_spec().substitutes
    )


def request_words(found: GroundAnswer, site: str | None) -> str:
    """What the request adds after the codes for this ground ('out of network at the
    in-network level of cost sharing ...', 'given at the hospital outpatient infusion center')."""
    if found.exception is not None:
        return " ".join(found.exception.rule.request.split())
    return " ".join(found.spec.request.format(site=site or "the site requested").split())


def ground_strings(analysis: DenialAnalysis) -> list[str]:
    """What the grounds' statements may say of the law and the notice's dates (the validator
    grounds the letter's numbers in these as in the inputs): every ground's rules and
    concessions (the project's own statements of them), and the stay's midnights."""
    spec = grounds_spec()
    out = [" ".join(r.sentence.split()) for g in spec.grounds for r in g.rules]
    out += [" ".join(c.sentence.split()) for c in spec.concessions]
    if stay := _stay(analysis):
        out.append(f"{(stay[1] - stay[0]).days} midnights")
    return out
