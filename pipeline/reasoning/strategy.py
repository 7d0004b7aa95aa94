"""The strategy results a draft rests on, computed once per draft: the denial ground's answer
(``grounds.answer``: a network gap, a site of care, inpatient vs observation, transport) and the
drug restriction's exception (``exception.drug_exception``). The pipeline computes them beside the
verdicts and puts them on the ``ArgumentRequest``; the writers, the letter's sections, the gaps
and the validator read these, so all of them state the same result.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from pydantic import Field

from .. import letter_format as lf
from ..evidence import tokens
from ..models import CaseFacts, CriterionGroup, CriterionVerdict, DenialAnalysis, Strict
from ..requirements import sub_items
from ..text.sentences import split_sentences
from .exception import DrugException, drug_exception, excepted
from .grounds import UNREAD, Choice, GroundAnswer, answer
from .mandates import StateMandate, mandate_spec, mandates_for
from .specs import load_spec, says


@dataclass(frozen=True)
class Strategy:
    """What the letter argues beside the criteria, computed from the notice and the case."""

    ground: GroundAnswer | None
    """The ground's argument (None: the notice's ground is an ordinary list of criteria)."""
    exception: DrugException | None
    """The drug exception asked for (None: no drug restriction)."""
    alternatives: bool = False
    """The notice's criteria are alternatives ('at least one of the following')."""
    groups: tuple[CriterionGroup, ...] = ()
    """The notice's groups of alternative criteria (``criterion_groups``)."""
    found_met: frozenset[int] = frozenset()
    """Indexes of the criteria the case concedes because the plan found them met."""
    accepted: frozenset[int] = frozenset()
    """Indexes of the conceded criteria whose rule the physician accepts (request revised)."""
    record_errors: tuple[tuple[str, str], ...] = ()
    """(path, sentence) of the case's statements that the denial rests on a record error."""
    claim: bool = False
    """The notice is on a claim after the service (a record error asks to reprocess it)."""
    excepted: tuple[tuple[int, tuple[str, ...], str], ...] = ()
    """(index, paths, line) of the step criteria whose step the record says does not suit the
    patient: unless the record meets them by a trial, the trial is conceded and the exception
    asked on that harm (``exception.excepted``)."""

    prose_met: tuple[tuple[int, str], ...] = ()
    """(index, clause) of the criteria the notice accepts in its own prose without a 'Met'
    label (``met_in_prose``): met per the notice, not argued."""

    mandate: StateMandate | None = None
    """A state mandate that requires the plan to cover what its exclusion denied: the appeal's
    first ground (``mandate_ground``)."""

    def excepted_line(self, index: int) -> str | None:
        """The line of a criterion conceded for the exception on a stated harm (None: not)."""
        return next((line for i, _, line in self.excepted if i == index), None)


def strategy(
    analysis: DenialAnalysis,
    case: CaseFacts,
    letter_text: str,
    today: dt.date,
    ground: Choice = UNREAD,
) -> Strategy:
    """The strategy results for this notice and case (``today``: the letter's date;
    ``ground``: the notice's ground as the caller chose it, else chosen here)."""
    found = drug_exception(analysis, case, letter_text)
    return Strategy(
        ground=answer(analysis, case, letter_text, today, ground),
        exception=found,
        alternatives=(alts := alternatives(analysis, letter_text)),
        groups=criterion_groups(analysis, alts),
        found_met=found_met(case),
        accepted=accepted(case),
        record_errors=record_errors(case),
        claim=says(record_error_spec().claim_words, letter_text),
        excepted=excepted(analysis, case, found),
        mandate=mandate_ground(analysis, case, letter_text),
        prose_met=tuple(sorted(met_in_prose(analysis, letter_text).items())),
    )


# --------------------------------------------------------------------------- alternatives


class ConcessionSpec(Strict):
    """What a concession means: a reason saying the plan found it met, and how a notice says
    its criteria are alternatives, with the letter's line for one that is not relied on
    (``specs/concession/concession.yaml``)."""

    version: int = Field(ge=1)
    found_met: list[str] = Field(min_length=1)
    """Patterns of a concession's reason that say the plan found the criterion met."""
    accepted: list[str] = Field(min_length=1)
    """Patterns of a concession's reason that say the physician accepts the rule and revises the
    request to meet it."""
    accepted_sentence: str = Field(min_length=10)
    lead_chars: int = Field(gt=0)
    """How far before the first criterion the lead-in words are looked for."""
    alternatives: list[str] = Field(min_length=1)
    all_required: list[str] = Field(min_length=1)
    """Words that make the list conjunctive even beside alternative words."""
    sentence: str = Field(min_length=10)
    """The line for a criterion not relied on ({patient}, {met}: 'criteria 2 and 3')."""
    group_sentence: str = Field(min_length=10)
    """The line for a criterion not relied on in a group of the notice ({need}: 'one', 'two';
    {words}: the notice's words that make the group; {patient}; {met})."""
    group_met_sentence: str = Field(min_length=10)
    """The line under a met member of a group that is met ({words}; {met}: the members met)."""
    open_sentence: str = Field(min_length=10)
    """The line under a criterion the record is not shown to meet whose section compares
    nothing (no requirement the code can state against a value): what the physician asks."""
    open_pending_sentence: str = Field(min_length=10)
    """That line when a record listed under the criterion is still to come."""
    open_again_sentence: str = Field(min_length=10)
    """The line under a later such criterion, once either line is said."""
    open_short_sentence: str = Field(min_length=10)
    """The line under any later one still, once that line is said too."""
    reason_words: list[str] = Field(default_factory=list)
    """Patterns of a case sentence that gives the reason a conceded requirement cannot be met
    (a harm, a contraindication, a barrier): stated under the criterion when it names the
    criterion's subject."""
    reason_sentence: str = Field(default="The reason: {reason}.", min_length=10)
    prose_met: list[str] = Field(default_factory=list)
    """Patterns of a notice's clause accepting a criterion in prose, without a 'Met' label."""
    prose_not: list[str] = Field(default_factory=list)
    """Patterns that keep a clause from accepting one: a negation, a shortfall, a condition."""
    not_met_label: str | None = None
    """The notice's own not-met label right after a criterion's words."""


@cache
def concession_spec() -> ConcessionSpec:
    return load_spec(ConcessionSpec, "concession", "concession.yaml")


def open_asks() -> tuple[str, ...]:
    """The lines a criterion the letter compares nothing under ends with, as the letter writes
    them (one space between words): what the physician asks, never a claim about the record."""
    spec = concession_spec()
    asks = (
        spec.open_sentence,
        spec.open_pending_sentence,
        spec.open_again_sentence,
        spec.open_short_sentence,
    )
    return tuple(" ".join(a.split()) for a in asks)


def accepted(case: CaseFacts) -> frozenset[int]:
    """Indexes of the criteria the case concedes with a reason saying the physician accepts
    the rule and revises the request to meet it: no exception is asked for them."""
    words = concession_spec().accepted
    return frozenset(
        c.criterion - 1
        for c in case.conceded
        if c.requirement is None and c.reason and says(words, c.reason)
    )


def found_met(case: CaseFacts) -> frozenset[int]:
    """Indexes of the criteria the case concedes with a reason saying the plan found them met
    ('Plan found diagnosis and duration met'): the plan's finding, stated as met per the
    notice, never a concession with an exception."""
    words = concession_spec().found_met
    return frozenset(
        c.criterion - 1
        for c in case.conceded
        if c.requirement is None and c.reason and says(words, c.reason)
    )


_CLAUSE_RE = re.compile(r";\s*|,?\s+\b(?:but|however|whereas|although|though|so)\b,?\s*", re.I)
_PROSE_GENERIC = tokens("record records member patient plan policy criterion criteria request")
"""Words every finding may use: sharing them names no criterion."""


def _labelled_not_met(criterion_text: str, flat: str, label: re.Pattern[str]) -> bool:
    """The notice labels the criterion not met right after its words ('2. A trial of ... Not
    met.'), so a clause elsewhere cannot make it met."""
    words = " ".join(criterion_text.split())
    at = flat.find(words)
    return at >= 0 and label.search(flat[at + len(words) : at + len(words) + 60]) is not None


def met_in_prose(analysis: DenialAnalysis, letter_text: str) -> dict[int, str]:
    """Index -> the notice's clause accepting that criterion in prose, without a 'Met' label
    ('The member's diagnosis of type 2 diabetes mellitus is established in the records'): a
    clause with an acceptance cue and no negation, shortfall or condition, naming two words or
    more of one criterion and more of it than of any other. A criterion the reading already
    has as met, or the notice labels not met on its line, is left as read."""
    spec = concession_spec()
    criteria = analysis.criteria
    if not criteria or not spec.prose_met:
        return {}
    flat = " ".join(letter_text.split())
    label = re.compile(spec.not_met_label or r"(?!)", re.IGNORECASE)
    open_ = [
        i
        for i, c in enumerate(criteria)
        if c.payer_status in ("not_met", "not_stated")
        and not _labelled_not_met(c.text, flat, label)
        # a criterion of lettered parts: a clause grants one part at most (the verdicts' own
        # reading of the payer's findings, part by part), never the whole
        and sub_items(" ".join(c.text.split())) is None
    ]
    if not open_:
        return {}
    heads = [" ".join(c.text.split())[:40] for c in criteria]
    own = [tokens(c.text) - _PROSE_GENERIC for c in criteria]
    found: dict[int, str] = {}
    for sentence in split_sentences(letter_text, flatten=True):
        if any(h and h in sentence for h in heads):
            continue  # the criterion's own words as the notice lists them
        for clause in _CLAUSE_RE.split(sentence):
            clause = clause.strip(" .;,")
            if not says(spec.prose_met, clause) or says(spec.prose_not, clause):
                continue
            said = tokens(clause)
            shared = [len(words & said) for words in own]
            best = max(shared)
            if best < 2 or shared.count(best) > 1:
                continue
            index = shared.index(best)
            if index in open_:
                found.setdefault(index, clause)
    return found


def alternatives(analysis: DenialAnalysis, letter_text: str) -> bool:
    """The notice's criteria are alternatives: the words leading into its first criterion say one
    of them is enough ('at least one of the following'), and none say all are needed."""
    if len(analysis.criteria) < 2:
        return False
    if any(c.alternative for c in analysis.criteria):  # the reading marked its one-of list
        return True
    text = " ".join(letter_text.split())
    first = " ".join(analysis.criteria[0].text.split())[:60]
    at = text.find(first) if first else -1
    if at <= 0:
        return False
    spec = concession_spec()
    lead = text[max(0, at - spec.lead_chars) : at]
    lead = re.split(r"(?<=[.!?])\s+(?=[A-Z])", lead)[-1]  # the sentence leading into the list
    return says(spec.alternatives, lead) and not says(spec.all_required, lead)


def _met_per_notice(verdict: CriterionVerdict, clause: str) -> CriterionVerdict:
    """The criterion as the notice's own clause grants it: met per the notice, each requirement
    with it, nothing conceded and no fact of the case put forward for it."""
    said = f"“{clause}”"
    return verdict.model_copy(
        update={
            "status": "met",
            "payer_met": True,
            "conceded": False,
            "evidence": [],
            "requirements": [
                rv.model_copy(
                    update={
                        "status": "met",
                        "payer_met": True,
                        "conceded": False,
                        "evidence": [],
                        "field": None,
                        "confirm": False,
                        "found": said,
                    }
                )
                for rv in verdict.requirements
            ],
        }
    )


def settle(verdicts: list[CriterionVerdict], plan: Strategy | None) -> list[CriterionVerdict]:
    """The verdicts as the letter states them (``plan``: the strategy results; None: as
    computed). A criterion conceded because the plan found it met is met per the notice (unless
    the notice reads it as not met: then it is argued, neither conceded nor met). When
    the criteria are alternatives and one is met (by the record or per the notice), each other
    one the record does not show met, or that is conceded, is marked ``alternative`` (not relied
    on, no exception asked) instead of conceded or argued."""
    if plan is None:
        return verdicts
    if plan.excepted:
        verdicts = [_except(v, plan) for v in verdicts]
    if plan.prose_met:
        accepted_by = dict(plan.prose_met)
        verdicts = [
            _met_per_notice(v, accepted_by[v.index]) if v.index in accepted_by else v
            for v in verdicts
        ]
    if plan.found_met or plan.accepted:
        verdicts = [
            v.model_copy(
                update={
                    # the notice itself says otherwise (the case numbers its criteria apart from
                    # the reading): no concession and no 'met per your notice'; argued as read
                    "payer_met": v.criterion.payer_status not in ("not_met", "not_documented"),
                    "conceded": False,
                    "requirements": [
                        rv.model_copy(update={"conceded": False}) for rv in v.requirements
                    ],
                }
            )
            if v.index in plan.found_met
            else v.model_copy(update={"accepted": True})
            if v.index in plan.accepted and v.conceded
            else v
            for v in verdicts
        ]
    groups = plan.groups or criterion_groups_of(verdicts, plan.alternatives)
    return settle_groups(verdicts, groups)


def criterion_groups(analysis: DenialAnalysis, alternatives: bool) -> tuple[CriterionGroup, ...]:
    """The notice's groups of alternative criteria: the reading's (members in range, told
    apart, no more needed than there are), else, when the notice's criteria are alternatives,
    one group of those the reading marked as the one-of list's (of all, when it marked none)
    of which one is enough."""
    count = len(analysis.criteria)
    groups = []
    for g in analysis.groups:
        members = sorted({m for m in g.members if 0 <= m < count})
        if len(members) >= 2 and g.at_least <= len(members):
            groups.append(g.model_copy(update={"members": members}))
    if groups or not alternatives:
        return tuple(groups)
    marked = [i for i, c in enumerate(analysis.criteria) if c.alternative] or list(range(count))
    return (CriterionGroup(members=marked),) if len(marked) >= 2 else ()


def criterion_groups_of(
    verdicts: list[CriterionVerdict], alternatives: bool
) -> tuple[CriterionGroup, ...]:
    """``criterion_groups`` from the verdicts' criteria (a strategy computed without groups)."""
    if not alternatives or len(verdicts) < 2:
        return ()
    marked = [v.index for v in verdicts if v.criterion.alternative] or [v.index for v in verdicts]
    return (CriterionGroup(members=marked),) if len(marked) >= 2 else ()


def _relied(v: CriterionVerdict) -> bool:
    """A criterion that counts as met in its group: the plan's finding, or the record's."""
    return v.payer_met or (v.status == "met" and not v.conceded)


def settle_groups(
    verdicts: list[CriterionVerdict], groups: tuple[CriterionGroup, ...]
) -> list[CriterionVerdict]:
    """Each group met by enough of its members (by the record or per the notice): every member
    carries the group; each other member the record does not show met, or that is conceded,
    is marked ``alternative`` (not relied on, no exception asked, no gap) instead of conceded or
    argued; when the notice found enough members met, every member it did not find met is. A
    group not met leaves its members as they are: each is argued."""
    out = list(verdicts)
    at = {v.index: k for k, v in enumerate(out)}
    for group in groups:
        members = [out[at[m]] for m in group.members if m in at]
        if sum(_relied(v) for v in members) < group.at_least:
            continue
        # the routes the notice itself found met are the ones kept: another the record may
        # meet is not argued beside them ('FINDING: MET (B)': route C is not relied on)
        found = {v.index for v in members if v.payer_met}
        relied = found if len(found) >= group.at_least else {v.index for v in members if _relied(v)}
        for v in members:
            update: dict[str, object] = {"group": group}
            if v.index not in relied:
                requirements = [rv.model_copy(update={"conceded": False}) for rv in v.requirements]
                # its own status, without the concession (which counts a requirement as met)
                status = (
                    "not_met" if any(rv.status == "not_met" for rv in requirements) else "unknown"
                )
                update |= {
                    "alternative": True,
                    "conceded": False,
                    "requirements": requirements,
                    "status": status,
                }
            out[at[v.index]] = v.model_copy(update=update)
    return out


def _except(verdict: CriterionVerdict, plan: Strategy) -> CriterionVerdict:
    """A step criterion the record meets by no trial, whose step the record says does not suit
    the patient: conceded (no trial claimed, none asked for as a gap), its record the harm,
    and the exception asked on it. One the record or the notice meets stays as it is."""
    paths = next((p for i, p, _ in plan.excepted if i == verdict.index), None)
    if paths is None or verdict.status == "met" or verdict.payer_met or verdict.conceded:
        return verdict
    return verdict.model_copy(
        update={
            "conceded": True,
            "evidence": list(paths),
            # the trial is not claimed: none of its parts is argued (a course of something
            # else that 'meets' its length is no trial of the step)
            "requirements": [
                rv.model_copy(update={"conceded": True}) for rv in verdict.requirements
            ],
        }
    )


def _criteria_named(numbers: list[int], verdicts: list[CriterionVerdict]) -> str:
    """'criterion 2', 'criteria 1 and 3', by the payer's labels when the letter names the
    criteria by them (``letter_format.criterion_names``)."""
    ordered = sorted(verdicts, key=lambda v: v.index)
    whole = [v.index for v in ordered] == list(range(len(ordered)))
    names = lf.criterion_names([v.criterion for v in ordered]) if whole else []
    return lf.named_list([names[n] if n < len(names) else str(n + 1) for n in numbers])


def _members(group: CriterionGroup, verdicts: list[CriterionVerdict]) -> str:
    """The group's criteria by number, or 'its listed criteria' when it is the whole list."""
    if set(group.members) >= {v.index for v in verdicts}:
        return "its listed criteria"
    return _criteria_named(list(group.members), verdicts)


_NEED_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


def groups_needed(verdicts: list[CriterionVerdict]) -> str:
    """'your policy needs only one of criteria 1, 2 and 3': what the met groups of the verdicts
    ask ('' when none is met)."""
    groups: list[CriterionGroup] = []
    for v in verdicts:
        if v.group is not None and v.group not in groups:
            groups.append(v.group)
    said = [
        f"{_NEED_WORDS.get(g.at_least, str(g.at_least))} of {_members(g, verdicts)}" for g in groups
    ]
    return f"your policy needs only {' and '.join(said)}" if said else ""


def alternative_sentence(
    verdicts: list[CriterionVerdict], patient: str, verdict: CriterionVerdict | None = None
) -> str:
    """The one line on a group of alternatives under ``verdict``: for one not relied on, that it
    does not apply and which members are met; for a met member of a group that is met, that it
    satisfies the group (with the others met, when more than one is needed). '' otherwise.
    Without ``verdict``: the line for one not relied on, by the criteria met."""
    spec = concession_spec()
    group = verdict.group if verdict is not None else None
    if group is None:
        met = [v.index for v in verdicts if _relied(v) and not v.alternative]
        if not met or (verdict is not None and not verdict.alternative):
            return ""
        return spec.sentence.format(patient=patient, met=_criteria_named(met, verdicts))
    members = [v for v in verdicts if v.index in group.members]
    met = [v.index for v in members if _relied(v) and not v.alternative]
    need = _NEED_WORDS.get(group.at_least, str(group.at_least))
    named = _members(group, verdicts)
    if verdict is not None and verdict.alternative:
        return spec.group_sentence.format(
            need=need, members=named, patient=patient, met=_criteria_named(met, verdicts)
        )
    others = [i for i in met if verdict is not None and i != verdict.index]
    if group.at_least == 1 and others and verdict is not None and verdict.index > min(met):
        return ""  # said under the first member met: once for the group, not under each
    alone = (
        "this criterion alone satisfies that requirement"
        if group.at_least == 1 or not others
        else f"with {_criteria_named(others, verdicts)}, this criterion satisfies that requirement"
    )
    return spec.group_met_sentence.format(need=need, members=named, alone=alone)


# --------------------------------------------------------------------------- record error


class RecordErrorSpec(Strict):
    """How a case says the denial rests on a record error (``specs/ground/record_error.yaml``)."""

    version: int = Field(ge=1)
    words: list[str] = Field(min_length=1)
    nouns: list[str] = Field(min_length=1)
    """What the error is about, in plain words (the first one the case's sentence names)."""
    claim_words: list[str] = Field(min_length=1)
    """Patterns of a notice on a claim after the service (the request is to reprocess it)."""
    sentence: str = Field(min_length=10)
    """The opening's sentence ({noun}, {error}: the case's own words, {action})."""
    claim_action: str = Field(min_length=5)
    request_action: str = Field(min_length=5)


@cache
def record_error_spec() -> RecordErrorSpec:
    return load_spec(RecordErrorSpec, "ground", "record_error.yaml")


def record_errors(case: CaseFacts) -> tuple[tuple[str, str], ...]:
    """(path, sentence) of the case's sentences that say the denial rests on a record error
    (the reviewer read another specimen, lesion, date or patient; a page attached in error):
    from the summary, the consequences and the enclosed records' titles."""
    words = record_error_spec().words
    texts = [
        ("clinical_summary", case.clinical_summary or ""),
        ("consequences_of_denial", case.consequences_of_denial or ""),
    ]
    out = [
        (f"{field}[{i}]", s.strip())
        for field, text in texts
        for i, s in enumerate(split_sentences(text))
        if says(words, s)
    ]
    out += [
        (f"documents[{i}]", d.title) for i, d in enumerate(case.documents) if says(words, d.title)
    ]
    return tuple(out)


def record_error_sentence(plan: Strategy | None) -> str:
    """The opening's sentence naming the record error in the case's words ('' when none)."""
    if plan is None or not plan.record_errors:
        return ""
    spec = record_error_spec()
    error = " ".join(plan.record_errors[0][1].split()).rstrip(".")
    folded = error.lower()
    named = "|".join(re.escape(n) for n in spec.nouns)
    # the noun the sentence calls wrong ('a different patient'), else the first it names
    near = re.search(
        rf"\b(?:wrong|different|another|other|incorrect|mislabel\w*|unrelated)\s+"
        rf"(?:[a-z-]+\s+){{0,2}}?({named})s?\b",
        folded,
    )
    noun = (
        near.group(1)
        if near
        else next((n for n in spec.nouns if re.search(rf"\b{re.escape(n)}s?\b", folded)), "record")
    )
    action = spec.claim_action if plan.claim else spec.request_action
    return " ".join(spec.sentence.format(noun=noun, error=error, action=action).split())


# --------------------------------------------------------------------------- state mandate


class MandateGroundSpec(Strict):
    """When a state mandate is the appeal's ground (``specs/ground/mandate.yaml``)."""

    version: int = Field(ge=1)
    exclusion: list[str] = Field(min_length=1)
    """Patterns of a notice whose denial rests on an exclusion or a cosmetic label."""
    opening: str = Field(min_length=20)
    """The opening's sentence ({state}, {title}, {citation})."""


@cache
def mandate_ground_spec() -> MandateGroundSpec:
    return load_spec(MandateGroundSpec, "ground", "mandate.yaml")


def mandate_ground(
    analysis: DenialAnalysis, case: CaseFacts, letter_text: str
) -> StateMandate | None:
    """The state mandate the appeal rests on first: one that binds the notice's plan for this
    request (``mandates.mandates_for``) when the notice's denial rests on an exclusion or a
    cosmetic label; None otherwise (a mandate beside a denial for medical necessity is stated
    in the Legal basis only)."""
    if not says(mandate_ground_spec().exclusion, letter_text):
        return None
    return next(iter(mandates_for(analysis, letter_text, case)), None)


def mandate_sentence(plan: Strategy | None) -> str:
    """The opening's sentence naming the mandate that bars the exclusion ('' when none)."""
    if plan is None or plan.mandate is None:
        return ""
    mandate = plan.mandate
    title = mandate_spec().benefits[mandate.benefit].title
    text = mandate_ground_spec().opening.format(
        state=mandate.state, title=title, citation=mandate.citation
    )
    return " ".join(text.split())
