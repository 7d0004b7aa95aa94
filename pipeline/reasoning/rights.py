"""The letter around the argument: the appeal rights of this plan type for this appeal, the
deadlines and urgency that apply to it, and what independent review has made of denials like it.

Everything stated comes from data: the plan type's spec (``pipeline/appeal/plan_types/``,
read through :mod:`pipeline.reasoning.plans`) gives the review standard, the decision clock of
this appeal's timing, the next level and the records and expedited requests, with citations;
its ``provisions`` give the rules that bear on some appeals only (a child's EPSDT benefit under
Medicaid, Medicare Advantage's limits on internal criteria); ``specs/precedent/fit.yaml`` says
which California IMR treatment category a request belongs to. The case gives the urgency and
the scheduled dates; nothing here invents either.

The validator grounds these statements in :func:`rights_strings` (the specs' own text and the
statistic's figures), as it grounds the case and the denial.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from pydantic import Field

from ..evidence import lower_first
from ..letter_format import fmt_date, one_date_style
from ..models import CaseFacts, DenialAnalysis, DenialCategory, PlanType, ServiceKind, Strict
from ..precedent import Precedent, find
from ..service_kinds import request_kinds
from ..text.clocks import DECISION_CLOCK_RE
from ..text.dates import DATE_RE, add_months, find_dates, years_between
from ..text.sentences import split_sentences
from .exception import in_state, state_regulated
from .grounds import GroundSpec, access_strings
from .law import network_gap
from .mandates import mandate_strings, mandates_for
from .plans import Condition, Level, PlanSpec, Provision, Timing, Window, plan_spec
from .request import claim_dates, given_dates
from .specs import load_spec, pattern, request_timing, says

# --------------------------------------------------------------------------- timing


def timing(
    analysis: DenialAnalysis,
    letter_text: str,
    case: CaseFacts | None = None,
    today: dt.date | None = None,
) -> Timing:
    """'post_service' for a claim for services already given: a notice that names itself the
    denial of a post-service claim, or a claim document (an EOB, a remittance) whose dates of
    service all precede it; else, for a notice denying a request made before the service,
    'post_service' when the case (with the letter's date) says the care was given since
    (:func:`~pipeline.reasoning.request.given_dates`), else 'pre_service'; else 'post_service'
    when every date of service precedes the denial or the notice's words say it is a claim."""
    if not spec_for(analysis, letter_text).appealable:
        return "pre_service"  # a prior authorization resubmitted: the care is still to come
    when = _notice_timing(analysis, letter_text)
    given = bool(case and today and given_dates(case, analysis.letter_date, today))
    # denied before the service, given since: the appeal is for its payment
    return "post_service" if when == "pre_service" and given else when


def _notice_timing(analysis: DenialAnalysis, letter_text: str) -> Timing:
    """The timing the notice's own words and dates give (:func:`timing` without the case)."""
    spec = request_timing()
    dates, denied = analysis.service_dates, analysis.letter_date
    given = bool(dates and denied and max(dates) < denied)
    if spec.is_labelled_post_service(letter_text):
        return "post_service"
    if spec.is_claim_document(letter_text) and _some_given(analysis, letter_text):
        return "post_service"  # a claim for past dates, though it names a session to come
    if spec.is_pre_service(letter_text):
        return "pre_service"
    return "post_service" if given or spec.is_post_service(letter_text) else "pre_service"


def _some_given(analysis: DenialAnalysis, letter_text: str = "") -> bool:
    """A date of service of the notice precedes it (that part of the care was given): one the
    reading found, or the date of a claim line that bills a requested code."""
    denied = analysis.letter_date
    if not denied:
        return False
    if any(d < denied for d in analysis.service_dates):
        return True
    return bool(letter_text) and bool(claim_dates(analysis, letter_text))


def care_to_come(analysis: DenialAnalysis, case: CaseFacts, today: dt.date) -> bool:
    """Besides the care already given, the notice or the case names care still to be given (a
    date of service after the notice, or a date the case schedules)."""
    denied = analysis.letter_date
    later = bool(denied and any(d > denied for d in analysis.service_dates))
    return later or scheduled(case, today) is not None


def spec_for(analysis: DenialAnalysis, letter_text: str) -> PlanSpec:
    """The plan type's spec with the program the notice names applied (Part D, FEHB, ...)."""
    codes = [*analysis.hcpcs_codes, *analysis.cpt_codes, *(r.code for r in analysis.requested)]
    return plan_spec(analysis.plan_type).for_letter(letter_text, codes)


def resubmission(analysis: DenialAnalysis, letter_text: str) -> PlanSpec | None:
    """The spec of a decision that has no appeal (an Original Medicare prior authorization
    non-affirmation: ``appealable: false``), whose letter is a resubmission of the request;
    None for a decision that is appealed."""
    spec = spec_for(analysis, letter_text)
    return None if spec.appealable else spec


_RESUBMIT_RE = re.compile(r"\bresubmi(?:t|ts|tted|ssions?)\b", re.IGNORECASE)
_FAX_AFTER_RE = re.compile(
    r"\bfax\w*\b[^.\d]{0,60}?(?P<fax>(?:1-)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4})", re.IGNORECASE
)


def resubmission_clock(letter_text: str) -> str:
    """'Your notice states that a resubmitted request is decided within 7 calendar days.': the
    standard clock the notice states for a resubmission ('' when it states none)."""
    for sentence in split_sentences(letter_text, flatten=True):
        if not _RESUBMIT_RE.search(sentence) or re.search(r"\bexpedit", sentence, re.I):
            continue
        if m := DECISION_CLOCK_RE.search(sentence):
            unit = f"{(m['kind'] or '').strip().lower()} {m['unit'].lower()}".strip()
            said = f"{m['n']} {unit}"
            return f"Your notice states that a resubmitted request is decided within {said}."
    return ""


def resubmission_fax(letter_text: str) -> str | None:
    """The fax the notice gives for a resubmission ('Fax resubmissions to the Prior
    Authorization Unit at 1-855-555-0176'; 'Resubmissions: fax 1-877-555-0139'), or None."""
    for sentence in split_sentences(letter_text, flatten=True):
        if _RESUBMIT_RE.search(sentence) and (m := _FAX_AFTER_RE.search(sentence)):
            return m["fax"]
    return None


# --------------------------------------------------------------------------- legal basis

_AGENCY_RE = re.compile(
    r"\b((?:[A-Z][a-z]+\s+){1,3}(?:State\s+)?(?:Department|Division|Bureau|Office|Commissioner)"
    r"\s+of\s+(?:the\s+)?(?:[A-Z][a-z]+)(?:\s+(?:and\s+)?[A-Z][a-z]+){0,2})"
)
"""A state agency's name as a notice writes it ('Ohio Department of Insurance', 'Colorado
Division of Insurance', 'New York State Department of Financial Services', 'Washington State
Office of the Insurance Commissioner')."""
_EXTERNAL_RE = re.compile(
    r"\b(?:external|independent(?: medical)?) (?:review|appeal)\b|\bIRO\b", re.IGNORECASE
)
"""A sentence about the next level ('external appeal' is New York's name for it; 'the IRO
process is explained by the Washington State Office of the Insurance Commissioner')."""
_HEARING_RE = re.compile(r"\bfair hearing\b", re.IGNORECASE)
_HEARING_BODY_RE = re.compile(
    r"\b(?:with|before|through|by|from)\s+(?:the\s+)?((?:[A-Z][A-Za-z.]*\s+){0,3}"
    r"(?:Office|Department|Division|Bureau|Board|Commission|Agency)\s+of\s+(?:the\s+)?"
    r"[A-Z][a-z]+(?:\s+(?:and\s+)?[A-Z][a-z]+){0,3})"
)
"""The body a notice names to hold the state fair hearing ('State Fair Hearing with the NC
Office of Administrative Hearings')."""


def hearing_body(letter_text: str) -> str | None:
    """The body that holds the state fair hearing, as the notice names it in a sentence about
    the fair hearing; None when it names none."""
    for sentence in split_sentences(letter_text, flatten=True):
        if _HEARING_RE.search(sentence) and (m := _HEARING_BODY_RE.search(sentence)):
            return m.group(1)
    return None


_START_WORDS = {
    "final_notice": "of your final decision",
    "level_notice": "of your decision",
    "notice": "of the notice",
    "filed": "of the request",
}


def external_agency(letter_text: str) -> str | None:
    """The state agency a notice names for external review (in a sentence about external or
    independent review), or None."""
    for sentence in split_sentences(letter_text, flatten=True):
        if not _EXTERNAL_RE.search(sentence):
            continue
        if m := _AGENCY_RE.search(sentence):
            name = m.group(1)
            if not name.startswith(("The ", "Your ", "Our ")):
                return name
    return None


def _lower_name(name: str) -> str:
    """'External review' -> 'external review', 'Reconsideration' -> 'reconsideration';
    'Independent Review Entity (IRE) ...' and 'IRE' stay."""
    words = name.split()
    proper = len(words) > 1 and words[1][:1].isupper()
    return name if proper or name[1:2].isupper() else name[0].lower() + name[1:]


def decision_clock(spec: PlanSpec, when: Timing, letter_text: str = "") -> Window | None:
    """The clock of this appeal's level for a standard request of this timing (each level's,
    when the notice states that the plan has two levels of appeal and the law sets one)."""
    clocks = spec.internal_appeal.decision
    if clocks is None:
        return None
    if clocks.has_two_levels(letter_text):
        level = clocks.per_level_post_service if when == "post_service" else clocks.per_level
        if level is not None:
            return level
    if when == "post_service":
        return clocks.post_service or clocks.standard
    return clocks.standard


_NOT_THIS_CLOCK_RE = re.compile(
    r"\b(?:expedited|urgent|fast|72 hours|external|independent|fair hearing|IRO|IRE|"
    r"peer[- ]to[- ]peer|ombuds|department of|commissioner|agency)\b",
    re.IGNORECASE,
)
"""A sentence about another clock: the fast track, the next level, a state agency's."""
_APPEAL_WORD_RE = re.compile(
    r"\b(?:appeal|grievance|redetermination|reconsideration|request for review)s?\b",
    re.IGNORECASE,
)
_TIMING_WORD_RE = {
    "pre_service": re.compile(r"\bpost[- ]service\b|\bclaims?\b", re.IGNORECASE),
    "post_service": re.compile(r"\bpre[- ]service\b|\bprior (?:authori|approv)", re.I),
}
"""A sentence naming the other timing only is not this appeal's clock."""


@dataclass(frozen=True)
class NoticeClock:
    """How long the notice itself says the plan takes to decide this appeal."""

    amount: int
    unit: str
    """'days', 'business days' or 'hours'."""
    noun: str
    """What the notice calls the appeal ('grievance', 'appeal')."""

    def describe(self) -> str:
        return f"{self.amount} {self.unit[:-1] if self.amount == 1 else self.unit}"

    def days(self) -> float:
        return _in_days(self.amount, self.unit.replace(" ", "_"))


def _in_days(amount: int, unit: str) -> float:
    """A clock's length in calendar days (a business week is 7 calendar days for 5)."""
    per = {"hours": 1 / 24, "days": 1.0, "business_days": 7 / 5, "working_days": 7 / 5}
    return amount * per.get(unit, 30.0)  # months


_ITEM_RE = re.compile(r"\s+[-•*]\s+(?=[A-Z(])")
"""Where a flattened list runs its items together ('... good cause. - Standard reconsideration
...: decision within 7 calendar days. - Expedited ...'): each item is a clause of its own."""


def notice_clock(letter_text: str, when: Timing) -> NoticeClock | None:
    """The standard decision clock the notice states for this appeal ('We will decide your
    grievance within 15 days of receiving it'), or None: a sentence about the expedited track,
    the next level, the filing window or the other timing's appeal is not it."""
    sentences = split_sentences(letter_text, flatten=True)
    for sentence in (part for s in sentences for part in _ITEM_RE.split(s)):
        m = DECISION_CLOCK_RE.search(sentence)
        noun = _APPEAL_WORD_RE.search(sentence)
        if m is None or noun is None or _NOT_THIS_CLOCK_RE.search(sentence):
            continue
        if _TIMING_WORD_RE[when].search(sentence):
            continue
        kind = (m["kind"] or "").strip().lower()
        unit = m["unit"].lower().rstrip("s") + "s"
        unit = f"{'business' if kind in ('business', 'working') else ''} {unit}".strip()
        return NoticeClock(int(m["n"]), unit, noun.group(0).lower().rstrip("s"))
    return None


def _notice_sooner(spec: PlanSpec, when: Timing, letter_text: str) -> NoticeClock | None:
    """The notice's own clock for this appeal when it is shorter than the law's."""
    clock = decision_clock(spec, when, letter_text)
    stated = notice_clock(letter_text, when)
    if stated is None or clock is None:
        return None
    return stated if stated.days() < _in_days(clock.amount, clock.unit) else None


def _clock_sentence(spec: PlanSpec, when: Timing, urgent: bool, letter_text: str = "") -> str:
    """How long the plan has to decide this appeal: the expedited clock for an urgent request
    for care not yet given (when the level has one; '' when the Request's expedited ask already
    states it), else the clock of its timing."""
    clocks = spec.internal_appeal.decision
    name = _lower_name(spec.internal_appeal.name)
    if urgent and when == "pre_service" and clocks is not None and clocks.expedited:
        fast = clocks.expedited
        if fast.describe() in " ".join((spec.expedited_ask or "").split()):
            return ""  # the Request's expedited ask states this clock: said once, there
        return (
            f"As an urgent request for care not yet given, this {name} must be decided within "
            f"{fast.describe()} of its receipt ({fast.citation})."
        )
    clock = decision_clock(spec, when, letter_text)
    if clock is None:
        return ""
    kind = (
        "a claim for care already given"
        if when == "post_service"
        else ("a request for care not yet given")
    )
    if (sooner := _notice_sooner(spec, when, letter_text)) is not None:
        return (
            f"As {kind}, this {name} must be decided within {sooner.describe()} of its "
            f"receipt, as your notice states; the law allows at most {clock.describe()} "
            f"({clock.citation})."
        )
    if clocks is not None and clock in (clocks.per_level, clocks.per_level_post_service):
        return (
            f"As {kind}, under a plan with two levels of appeal as your notice states, each "
            f"level must be decided within {clock.describe()} of its receipt ({clock.citation})."
        )
    return (
        f"As {kind}, this {name} must be decided within {clock.describe()} of its receipt "
        f"({clock.citation})."
    )


def _clock_to_come(spec: PlanSpec, letter_text: str) -> str:
    """For the care not yet given that a claim's appeal also asks about: its own clock (the
    pre-service one), when the law sets a different clock for it."""
    clock = decision_clock(spec, "pre_service", letter_text)
    if clock is None or clock == decision_clock(spec, "post_service", letter_text):
        return ""
    return (
        f"For the care not yet given that this letter also asks you to approve, the decision is "
        f"due within {clock.describe()} of receipt ({clock.citation})."
    )


class StateReview(Strict):
    """A state's external review law for the coverage it regulates (``specs/review/
    state_review.yaml``)."""

    state: str
    citation: str = Field(min_length=5)
    source: str = Field(min_length=10)
    """Where the citation was checked."""
    signals: list[str] = Field(min_length=1)
    postal: str = Field(min_length=2, max_length=2)

    def sentence(self) -> str:
        return (
            f"As this coverage is insured and regulated in {self.state}, that review is the "
            f"state's external review under {self.citation}."
        )


class StateReviews(Strict):
    version: int = Field(ge=1)
    states: list[StateReview] = Field(min_length=1)


@cache
def state_reviews() -> StateReviews:
    """``specs/review/state_review.yaml``, loaded once."""
    return load_spec(StateReviews, "review", "state_review.yaml")


def state_review(analysis: DenialAnalysis, letter_text: str) -> StateReview | None:
    """The external review law of the state that regulates the notice's plan: only for coverage
    a state regulates (insured; never a self-funded ERISA plan, Medicare, Medicaid or a public
    employer's plan) that the notice places in one state, and not for a plan whose spec
    already states its state's review (California's Independent Medical Review)."""
    if spec_for(analysis, letter_text).key.startswith("ca_"):
        return None
    if not state_regulated(analysis, letter_text):
        return None
    found = [s for s in state_reviews().states if in_state(s.signals, s.postal, letter_text)]
    return found[0] if len(found) == 1 else None


def _agency_sentence(agency: str, law: StateReview | None = None) -> str:
    cited = f" ({law.citation})" if law is not None else ""
    return (
        f"If you uphold the denial, the patient may ask for external review through the "
        f"{agency}, as your notice states, by independent reviewers whose decision binds "
        f"the plan{cited}."
    )


def _next_level_sentence(level: Level, letter_text: str, law: StateReview | None = None) -> str:
    agency = external_agency(letter_text)
    if agency and level.key in ("external_review", "state_review"):
        return _agency_sentence(agency, law)
    if level.key == "fair_hearing" and (body := hearing_body(letter_text)):
        level = level.model_copy(update={"reviewer": f"the {body}"})  # as the notice names it
    said = _level_sentence(level)
    if law is not None and level.key == "external_review":
        return f"{said} {law.sentence()}"
    return said


def _level_sentence(level: Level) -> str:
    """The next level, who decides it and the window to ask for it, in the law's words."""
    if level.automatic:
        return (
            f"If you do not decide fully in the patient's favor, you must forward the case to "
            f"{level.reviewer} yourself, without a request ({level.authority.citation})."
        )
    name = _lower_name(level.name)
    if " by " in name:  # the name says who decides ('Review by the Office of ...')
        pass
    elif name.endswith("hearing"):  # 'a state fair hearing before the agency's hearing officer'
        name = f"a {name} before {level.reviewer}"
    else:
        name = f"{name} by {level.reviewer}"
    if level.filing is not None:
        start = _START_WORDS[level.filing.start]
        return (
            f"If you uphold the denial, the patient may ask, within {level.filing.describe()} "
            f"{start} ({level.filing.citation}), for {name}."
        )
    return f"If you uphold the denial, the patient may ask for {name} ({level.authority.citation})."


def _age(case: CaseFacts, on: dt.date) -> int | None:
    born = case.patient.date_of_birth
    return years_between(born, on) if born else None


def _service_text(analysis: DenialAnalysis, case: CaseFacts) -> str:
    parts = [case.service.description, case.service.details, analysis.level_of_care]
    parts += [f"{d.code} {d.description or ''}" for d in case.diagnoses]
    return "\n".join(p for p in parts if p)


def provisions(
    spec: PlanSpec,
    analysis: DenialAnalysis,
    letter_text: str,
    case: CaseFacts,
    today: dt.date,
    when: Timing | None = None,
) -> list[Provision]:
    """The spec's provisions whose conditions this appeal meets (verified ones only); ``when``:
    the request's :func:`timing` as the caller read it (else read here)."""
    when = when or timing(analysis, letter_text, case, today)
    service = _service_text(analysis, case)
    out = []
    for rule in spec.provisions:
        if not rule.verified or (rule.timing and when not in rule.timing):
            continue
        if rule.urgency and case.urgency not in rule.urgency:
            continue
        if rule.notice and not says(rule.notice, letter_text):
            continue
        if rule.service and not says(rule.service, service):
            continue
        if rule.under_age is not None:
            age = _age(case, analysis.letter_date or today)
            if age is None or age >= rule.under_age:
                continue
        out.append(rule)
    return out


def legal_basis(
    analysis: DenialAnalysis,
    letter_text: str,
    case: CaseFacts,
    today: dt.date,
    ground: GroundSpec | None = None,
) -> list[str]:
    """The legal-basis section's paragraphs after the plan type's own: the state mandates that
    bind the plan for this request, the decision clock of this appeal, the next level, the
    records request, and the provisions that apply (``ground``: the notice's ground the
    letter argues, when it is not an ordinary one)."""
    # a state's mandate binds an insured plan of the state whatever its federal plan type
    paragraphs = [m.paragraph(letter_text) for m in mandates_for(analysis, letter_text, case)]
    if analysis.plan_type == PlanType.unknown:  # no federal law is stated as this plan's;
        agency = external_agency(letter_text)  # the notice's own external review route is,
        when = timing(analysis, letter_text, case, today)
        stated = notice_clock(letter_text, when)  # and its own clock
        own = (
            f"Your notice states that you will decide this {stated.noun} within "
            f"{stated.describe()} of receiving it."
            if stated is not None
            else ""
        )
        law = state_review(analysis, letter_text)
        named = _agency_sentence(agency, law) if agency else ""
        program = spec_for(analysis, letter_text)
        if program.key != "default":  # a state's own review the notice names (California's
            # IMR for a plan the DMHC licenses), with its law, whatever the federal plan type
            named = _level_sentence(program.next_levels[0])
        elif not agency and law is not None:
            named = (
                f"If you uphold the denial, the patient may ask for external review by "
                f"independent reviewers under {law.citation}."
            )
        return paragraphs + [s for s in (own, named) if s]
    spec = spec_for(analysis, letter_text)
    if not spec.appealable:  # a resubmission: no appeal clock, level or records right
        return paragraphs + [s for s in (resubmission_clock(letter_text),) if s]
    when = timing(analysis, letter_text, case, today)
    rights = [_clock_sentence(spec, when, case.urgency == "expedited", letter_text)]
    if when == "post_service" and care_to_come(analysis, case, today):
        rights.append(_clock_to_come(spec, letter_text))
    if spec.next_levels:
        law = state_review(analysis, letter_text)
        rights.append(_next_level_sentence(spec.next_levels[0], letter_text, law))
    if (gap := network_gap(analysis, letter_text, case)) is not None:
        # the network ground's argument already compares the distance: the law only, here
        argued = bool(access_strings(ground, case, letter_text))
        paragraphs.append(" ".join(gap.rule.law_only.split()) if argued else gap.sentence())
    paragraphs.append(" ".join(s for s in rights if s))
    if spec.records_ask:
        paragraphs.append(" ".join(spec.records_ask.split()))
    paragraphs += [
        p.said(case_records(case))
        for p in provisions(spec, analysis, letter_text, case, today, when)
    ]
    return [p for p in paragraphs if p]


# --------------------------------------------------------------------------- urgency


_SCHEDULED_RE = re.compile(
    r"\b(?:scheduled|planned|booked|due|date of service|set for)\b", re.IGNORECASE
)
_KINDS = (
    (re.compile(r"\b(?:dose|infusion|injection|cycle)\b", re.I), "next dose"),
    (
        re.compile(r"\b(?:surgery|operation|procedure|implant\w*|resection|repair)\b", re.I),
        "procedure",
    ),
    (re.compile(r"\b(?:admission|transfer)\b", re.I), "admission"),
    # a course of psychotherapy or therapy visits goes on by sessions, never by doses
    (re.compile(r"\b(?:psychotherapy|sessions?|visits?)\b", re.I), "next session"),
)


_CONCURRENT_RE = re.compile(
    r"expedited external review[^.]{0,80}\bsame time|\bsame time[^.]{0,80}expedited external "
    r"review",
    re.IGNORECASE,
)
"""A notice saying an expedited external review may run alongside an urgent internal appeal."""
CONCURRENT_REVIEW = "concurrent_expedited_external_review"
"""The provision (plan specs) that an expedited external review may run alongside an urgent
internal appeal."""
DEADLINE_WARNING_DAYS = 7
"""A deadline this close or past is the drafter's warning paragraph's to state, not ours."""


def _kind(text: str) -> str | None:
    """What the first word naming a kind of care in ``text`` names ('Surgery is scheduled
    12/18/2026, 7 weeks after the last dose' is a procedure)."""
    found = [(m.start(), name) for pattern, name in _KINDS if (m := pattern.search(text))]
    return min(found)[1] if found else None


@dataclass(frozen=True)
class Scheduled:
    """A date the case says the care is scheduled or planned for."""

    day: dt.date
    what: str
    """'next dose', 'procedure', 'admission' or 'care' (from the sentence, else from the
    service's description or details)."""
    said: str = "scheduled"
    """'scheduled' when the case's sentence says so, 'planned' for a date of the care the
    service details list without saying it ('Stage 1 (inpatient, 01/14/2027)')."""


_RANGE_END_RE = re.compile(r"(?:\bthrough|\bthru|\buntil|\btill|\bto|-|–)\s*$", re.IGNORECASE)
"""What precedes a date that ends a range (an authorization 'through 06/30/2027')."""
_RANGE_START_RE = re.compile(
    rf"\s*(?:\([^)]*\)\s*)?(?:through|thru|until|till|to|-|–)\s*{DATE_RE.pattern}", re.IGNORECASE
)
"""What follows a date that opens a range ('2026-12-01 to 2027-02-28'): the range is the
period requested or authorized, and its first day is no date the care is planned for."""


def _in_range(sentence: str, at: int) -> bool:
    """Whether the date at ``at`` starts or ends a range of two dates."""
    if _RANGE_END_RE.search(sentence[:at]):
        return True
    found = DATE_RE.match(sentence, at)
    return found is not None and _RANGE_START_RE.match(sentence, found.end()) is not None


def scheduled(case: CaseFacts, today: dt.date) -> Scheduled | None:
    """The earliest date after ``today`` that the case schedules the care for: a sentence of
    its urgency reason that says so ('Surgery is scheduled 12/18/2026', 'next dose is due
    ...'), or a date of the care its service details list ('Stage 1 (inpatient, 01/14/2027)',
    'every 4 weeks: 12/22/2026, 01/19 ...'; the end of a range is no date of the care); None
    when the case schedules nothing."""
    found: list[Scheduled] = []
    described = case.service.description or ""
    details = case.service.details or ""
    for text, listed in ((case.urgency_reason, False), (details, True)):
        for sentence in split_sentences(text or "", flatten=True):
            worded = bool(_SCHEDULED_RE.search(sentence))
            if not (worded or listed):
                continue
            what = _kind(sentence) or _kind(described) or _kind(details) or "care"
            said = "scheduled" if worded else "planned"
            dates = find_dates(sentence)
            if worded:  # the date the word schedules ('due 12/27/2026 (window 12/20 - 01/03)')
                word = _SCHEDULED_RE.search(sentence)
                after = [(d, at) for d, at in dates if word is not None and at >= word.end()]
                dates = after[:1] or dates
            found += [
                Scheduled(day, what, said)
                for day, at in dates
                if day > today and (worded or not _in_range(sentence, at))
            ]
    # a date the case says the care is scheduled or due for outranks a date its details list
    worded_days = [s for s in found if s.said == "scheduled"]
    return min(worded_days or found, key=lambda s: s.day) if found else None


_LATE_RE = re.compile(
    r"\b(?:not (?:sent|filed|submitted|made|mailed|faxed)|why (?:this|the) appeal|"
    r"(?:could|did) not (?:file|appeal|send|submit)|miss(?:ed|ing) the (?:deadline|window)|"
    r"filed late|late filing|after the (?:deadline|window)|"
    # the notice never reached the patient in time
    r"(?:former|old|previous|prior|wrong|incorrect) address|misaddress\w*|undeliverable|"
    r"(?:first|never|only) received|(?:did not|never) receive)\b",
    re.IGNORECASE,
)
"""A case sentence that says why the appeal was not filed in time (the notice mailed to a
former address, first received late)."""
_REPRESENTATIVE_RE = re.compile(
    r"\b(?:designated|appointed|named|authori[sz]ed)\b[^.;]{0,80}?\b"
    r"(?:authori[sz]ed |appointed )?representative\b"
    r"|\b(?:appointment|designation) of (?:an? )?(?:authori[sz]ed )?representative\b",
    re.IGNORECASE,
)
"""A case clause that records the patient's written designation of a representative."""
_PRONOUN_RE = re.compile(r"^(?:he|she|they|the patient)\b", re.IGNORECASE)


def _case_clauses(case: CaseFacts) -> list[str]:
    """The clauses of the case's narrative and findings ('; ' apart), in order."""
    texts = [case.clinical_summary, case.urgency_reason, case.consequences_of_denial]
    texts += [f.value for f in case.objective_findings]
    return [
        clause.strip()
        for text in texts
        for sentence in split_sentences(text or "", flatten=True)
        for clause in sentence.split("; ")
        if clause.strip()
    ]


_CONSENT_RE = re.compile(
    r"\b(?:signed|gave|given|provided|dated)\b[^.;]{0,40}?\bwritten consent\b[^.;]{0,80}?"
    r"\b(?:appeal|grievance|represent)\w*"
    r"|\bwritten consent\b[^.;]{0,40}?\b(?:signed|dated)\b[^.;]{0,80}?"
    r"\b(?:appeal|grievance|represent)\w*",
    re.IGNORECASE,
)
"""A case clause that records the patient's (or a parent's or guardian's) signed written
consent to this appeal ('His mother signed written consent on 2026-12-14 for me to appeal on
his behalf')."""
CONSENT_TITLE = "Written consent to this appeal"
"""The enclosure a recorded consent is listed as."""


def _recorded(case: CaseFacts, done: re.Pattern[str]) -> tuple[str, dt.date | None] | None:
    """(the first case clause that ``done`` finds and that does not say it was not done, the
    clause's last date), or None."""
    for clause in _case_clauses(case):
        if done.search(clause) and not re.search(r"\b(?:not|no|never)\b", clause):
            days = find_dates(clause)
            return clause, days[-1][0] if days else None
    return None


def written_consent(case: CaseFacts) -> tuple[str, dt.date | None] | None:
    """(the case's clause recording the signed written consent to this appeal, its date), or
    None when the case records none (or says it was not given)."""
    return _recorded(case, _CONSENT_RE)


def case_records(case: CaseFacts) -> list[str]:
    """The titles of the records the case encloses: its documents, and the written consent to
    the appeal its narrative records (the provider's appeal for a Medicaid enrollee rests on
    it)."""
    titles = [d.title for d in case.documents]
    if written_consent(case) is not None:
        titles.append(CONSENT_TITLE)
    return titles


def representative(case: CaseFacts, patient: str) -> tuple[str, dt.date | None] | None:
    """('Anthony J. Castellano designated Dr. X as his authorized representative in writing
    on November 20, 2026', its date): the case's clause recording the patient's designation of
    a representative, its pronoun made the patient's name; None when the case records none."""
    found = _recorded(case, _REPRESENTATIVE_RE)
    if found is None:
        return None
    clause, day = found
    said = _PRONOUN_RE.sub(patient, one_date_style(clause.rstrip(".")), count=1)
    return said[:1].upper() + said[1:], day


_AWAY_RE = re.compile(
    r"\b(?:hospitali[sz](?:ed|ation)|admitted|admission|inpatient|skilled nursing|\bSNF\b|"
    r"rehabilitation (?:facility|hospital|unit)|intensive care|\bICU\b|incapacitat|"
    r"nursing (?:home|facility)|hospice)\b",
    re.IGNORECASE,
)
"""A stay that kept the patient from the appeal: a hospital, a skilled nursing facility, an
intensive care unit, incapacity."""


def _overlaps(first: dt.date, last: dt.date, window: tuple[dt.date, dt.date]) -> bool:
    return first <= window[1] and last >= window[0]


def late_reason(case: CaseFacts, window: tuple[dt.date, dt.date] | None = None) -> str | None:
    """The case's own sentence saying why the appeal was not filed in time (its summary,
    urgency reason or consequences); else, with the filing ``window`` (the notice's date to
    its deadline), the case's sentence or enclosed record of a stay that kept the patient away
    during it (a hospital or skilled nursing stay whose dates fall in the window), with its
    dates; else None."""
    texts = (case.clinical_summary, case.urgency_reason, case.consequences_of_denial)
    for text in texts:
        for sentence in split_sentences(text or "", flatten=True):
            if _LATE_RE.search(sentence):
                return one_date_style(sentence.strip().rstrip("."))
    # a finding that records the notice's history ('mailed to the patient's former address;
    # he first received it as the reissued copy ...'): its clauses that say so
    for finding in case.objective_findings:
        for sentence in split_sentences(finding.value, flatten=True):
            said = [c for c in sentence.split("; ") if _LATE_RE.search(c)]
            if said:
                return one_date_style("; ".join(c.strip() for c in said).rstrip("."))
    if window is None:
        return None
    # a stay during the window: stated as the case states it, without saying it caused the delay
    during = f"During the filing window ({fmt_date(window[0])} to {fmt_date(window[1])})"
    for text in (*texts, case.service.details):
        for sentence in split_sentences(text or "", flatten=True):
            days = sorted(d for d, _ in find_dates(sentence))
            if _AWAY_RE.search(sentence) and days and _overlaps(days[0], days[-1], window):
                return f"{during}: {one_date_style(sentence.strip().rstrip('.'))}"
    for doc in case.documents:
        if doc.date and _AWAY_RE.search(doc.title) and _overlaps(doc.date, doc.end or doc.date,
                                                                 window):  # fmt: skip
            span = fmt_date(doc.date) + (f" to {fmt_date(doc.end)}" if doc.end else "")
            return f"{during}, the enclosed record shows: {doc.title.rstrip('.')} ({span})"
    return None


def late_filing(
    analysis: DenialAnalysis, letter_text: str, case: CaseFacts, today: dt.date | None = None
) -> str:
    """For an appeal filed after its deadline: the case's reason, the plan type's good-cause
    rule (``PlanSpec.late_filing``), and for care not yet given the request to take the letter
    as a new request if the appeal cannot be accepted ('' parts the case or law lack)."""
    parts = []
    deadline, notice = filing_deadline(analysis, letter_text), analysis.letter_date
    reason = late_reason(case, (notice, deadline) if notice and deadline else None)
    if reason and reason.startswith("During the filing window"):
        parts.append(f"{reason}.")
    elif reason:
        parts.append(f"The reason it is late: {reason[:1].lower()}{reason[1:]}.")
    known = analysis.plan_type != PlanType.unknown
    rule = spec_for(analysis, letter_text).late_filing if known else None
    if rule:
        parts.append(" ".join(rule.split()))
    if timing(analysis, letter_text, case, today) == "pre_service":
        parts.append(
            "If you cannot accept it as an appeal, please treat this letter as a new request "
            "for the service, on the record enclosed."
        )
    return " ".join(parts)


def filing_deadline(analysis: DenialAnalysis, letter_text: str) -> dt.date | None:
    """The last day to file this appeal: the notice's own deadline, else the plan type's filing
    window counted from the notice's date (the notice's date, not its later receipt: the day
    computed is never too late); None for a decision that has no appeal (a resubmission)."""
    if resubmission(analysis, letter_text) is not None:
        return None
    if analysis.appeal_deadline is not None:
        return analysis.appeal_deadline
    if analysis.plan_type == PlanType.unknown:  # no law is stated as this plan's
        return None
    filing = spec_for(analysis, letter_text).internal_appeal.filing
    notice = analysis.letter_date
    if filing is None or notice is None or filing.start != "notice":
        return None
    if filing.unit == "days":
        return notice + dt.timedelta(days=filing.amount + filing.receipt_days)
    if filing.unit == "months":
        return add_months(notice, filing.amount)
    return None


def expedited_route(analysis: DenialAnalysis) -> str:
    """The expedited track's own phone and fax as the notice gives them ('phone 1-844-555-0132
    and fax 1-844-555-0133'), '' when it gives neither."""
    parts = [
        f"{what} {number}"
        for what, number in (("phone", analysis.expedited_route), ("fax", analysis.expedited_fax))
        if number
    ]
    return " and ".join(parts)


def urgency_facts(case: CaseFacts) -> str:
    """The case's own first sentence of why it is urgent (its urgency reason, a scheduled date
    left to the timeline), first letter lowered: '' when it states none."""
    for sentence in split_sentences(case.urgency_reason or "", flatten=True):
        if not find_dates(sentence):
            return lower_first(one_date_style(sentence.strip().rstrip(".")))
    return ""


def timeline(
    analysis: DenialAnalysis, letter_text: str, case: CaseFacts, today: dt.date, risk: str = ""
) -> str:
    """The request's paragraph on time: an expedited request in the law's words when the
    physician marks the case expedited (never for a claim already given), then ``risk`` (the
    clinical risk of waiting, from the case), the date the case schedules the care for and the
    decision needed before it, and the notice's deadline."""
    spec = spec_for(analysis, letter_text)
    when = timing(analysis, letter_text, case, today)
    parts: list[str] = []
    expedited = case.urgency == "expedited" and when == "pre_service" and spec.expedited_ask
    if expedited and spec.expedited_ask:
        parts.append(" ".join(spec.expedited_ask.split()))
        if why := urgency_facts(case):  # which facts meet the law's standard
            parts.append(f"What makes it urgent: {why}.")
        if route := expedited_route(analysis):
            parts.append(f"Your notice gives {route} for an expedited appeal.")
        stated = any(  # the legal basis already states the concurrent review as law
            p.key == CONCURRENT_REVIEW
            for p in provisions(spec, analysis, letter_text, case, today, when)
        )
        if not stated and _CONCURRENT_RE.search(" ".join(letter_text.split())):
            parts.append(
                "As your notice states, the patient may also ask for an expedited external "
                "review at the same time as this urgent appeal."
            )
    if risk:
        parts.append(risk)
    due = scheduled(case, today)
    if due is not None:
        day = fmt_date(due.day)
        known = analysis.plan_type != PlanType.unknown
        clock = decision_clock(spec, when, letter_text) if known else None
        if expedited or clock is None:
            parts.append(
                f"The {due.what} is {due.said} for {day}; I ask that you decide before it."
            )
        elif clock.unit == "days" and (due.day - today).days < clock.amount:
            parts.append(
                f"The {due.what} is {due.said} for {day}, sooner than the {clock.describe()} a "
                f"standard decision may take ({clock.citation}); I ask that you decide this "
                f"appeal before {day}."
            )
        else:
            parts.append(
                f"The {due.what} is {due.said} for {day}. A standard decision may take up to "
                f"{clock.describe()} from receipt ({clock.citation}), so I ask that you decide "
                f"this appeal before {day} and without taking an extension."
            )
    deadline = analysis.appeal_deadline if spec.appealable else None
    if not spec.appealable:  # a resubmission has no filing deadline: none is stated
        return " ".join(parts)
    if deadline is not None and (deadline - today).days > DEADLINE_WARNING_DAYS:
        by = fmt_date(deadline)
        parts.append(f"This appeal is filed within the time your notice allows (by {by}).")
    elif deadline is None and (computed := filing_deadline(analysis, letter_text)) is not None:
        filing = spec.internal_appeal.filing
        if filing is not None and (computed - today).days > DEADLINE_WARNING_DAYS:
            parts.append(
                f"This appeal is filed within the {filing.describe()} from the notice that "
                f"{filing.citation} allows (by {fmt_date(computed)})."
            )
    return " ".join(parts)


# --------------------------------------------------------------------------- precedent


MIN_RATE = 1 / 3
"""A category whose denials independent reviewers overturned less often than one in three
does not support the request; the letter states no figure for it."""


class Fit(Strict):
    """The requests one IMR treatment (sub)category names (see ``precedent_fit.yaml``)."""

    category: str
    subcategory: str = ""
    """Empty: the whole category (a request no subcategory names), whose diagnoses are the
    condition the request treats (the case's first diagnosis)."""
    codes: list[str] = Field(default_factory=list)
    words: list[str] = Field(default_factory=list)
    diagnoses: list[str] = Field(default_factory=list)
    denials: list[DenialCategory] = Field(default_factory=list)
    kinds: list[ServiceKind] = Field(default_factory=list)
    """The kinds of care the request must be one of (its codes' kinds, else its words')."""
    drug: bool = False
    """Only a pharmacy drug request (no procedure code)."""

    def holds(self, analysis: DenialAnalysis, case: CaseFacts) -> bool:
        named_by = (self.codes, self.words, self.diagnoses, self.denials, self.kinds)
        if not (any(named_by) or self.drug):
            return False
        if self.codes or self.words:
            codes = case.service.codes
            coded = any(pattern(p, 0).fullmatch(c) for p in self.codes for c in codes)
            named = says(self.words, case.service.description or "")
            if not (coded or named):
                return False
        treated = case.diagnoses if self.subcategory else case.diagnoses[:1]
        if self.diagnoses and not any(
            d.code.replace(".", "").upper().startswith(prefix)
            for d in treated
            for prefix in self.diagnoses
        ):
            return False
        if self.denials and not set(self.denials) & set(analysis.denial_categories):
            return False
        if self.kinds:
            kinds = request_kinds(case.service.codes, [case.service.description or ""])
            if not kinds & set(self.kinds):
                return False
        return not (self.drug and case.service.codes)

    def precedent(self) -> Precedent | None:
        """The figure of the subcategory, else (too few decisions) of its whole category."""
        if not self.subcategory:
            return find(self.category)
        return find(self.subcategory, self.category) or find(self.category)


class PrecedentFits(Strict):
    version: int = Field(ge=1)
    fits: list[Fit] = Field(min_length=1)


@cache
def precedent_fits() -> PrecedentFits:
    """``specs/precedent/fit.yaml``, loaded once."""
    return load_spec(PrecedentFits, "precedent", "fit.yaml")


def precedent_for(analysis: DenialAnalysis, case: CaseFacts) -> Precedent | None:
    """The IMR figure of the first fit the request meets (a subcategory naming the treatment
    first, else the category of its kind of care), when it has enough decisions and an
    overturn rate that supports the request; else None. The first fit decides: a subcategory
    whose rate is under the floor is not replaced by its category's better one."""
    for fit in precedent_fits().fits:
        if fit.holds(analysis, case):
            found = fit.precedent()
            if found is not None and found.rate >= MIN_RATE:
                return found
            return None
    return None


class PriorApproval(Strict):
    """How a case says the plan already approved this care or part of it (``specs/precedent/
    prior_approval.yaml``)."""

    version: int = Field(ge=1)
    said: list[str] = Field(min_length=1)
    not_said: list[str] = Field(default_factory=list)


@cache
def prior_approval_spec() -> PriorApproval:
    return load_spec(PriorApproval, "precedent", "prior_approval.yaml")


def prior_approvals(case: CaseFacts) -> list[str]:
    """The case's sentences that say the plan already approved this care or part of it (its
    service details, clinical summary and consequences), in the letter's date style."""
    spec = prior_approval_spec()
    out: list[str] = []
    for text in (case.service.details, case.clinical_summary, case.consequences_of_denial):
        for sentence in split_sentences(text or "", flatten=True):
            said = says(spec.said, sentence)
            if said and not says(spec.not_said, sentence):
                out.append(one_date_style(sentence.strip()))
    return list(dict.fromkeys(out))


_CALIFORNIA_RE = re.compile(r"\bCalifornia\b|\bMedi-Cal\b|\bDMHC\b|\bKnox-Keene\b")
_MEDI_CAL_RE = re.compile(r"\bMedi-Cal\b")


def _shows(condition: Condition, analysis: DenialAnalysis, letter_text: str) -> bool:
    """The notice shows the fact a precedent rule needs (:data:`plans.Condition`)."""
    if condition == "california":
        return bool(_CALIFORNIA_RE.search(letter_text))
    if condition == "medi_cal":
        return bool(_MEDI_CAL_RE.search(letter_text))
    return state_regulated(analysis, letter_text)


def statistics_for(analysis: DenialAnalysis, letter_text: str) -> list[str]:
    """The aggregate review statistics the plan's spec lets the letter cite (``precedent``:
    each rule whose facts the notice shows): California's IMR only for a plan that review
    reaches (a California plan regulated by the state, or Medi-Cal managed care); none for a
    federal, Medicare, self-funded or another state's plan."""
    spec = spec_for(analysis, letter_text)
    return [
        rule.statistic
        for rule in spec.precedent
        if all(_shows(c, analysis, letter_text) for c in rule.needs)
    ]


def california_plan(analysis: DenialAnalysis, letter_text: str) -> bool:
    """The notice's plan is one California's Independent Medical Review reaches (its spec's
    ``precedent`` rules: a California plan regulated by the state, a Medi-Cal managed care
    plan)."""
    return "ca_imr" in statistics_for(analysis, letter_text)


def precedent_sentence(analysis: DenialAnalysis, letter_text: str, case: CaseFacts) -> str:
    """What California's Independent Medical Review made of denials like this one (the fitting
    treatment category's overturn rate, its count and years: :func:`precedent_for`, never one
    under :data:`MIN_RATE`), only for a plan that review reaches (:func:`california_plan`):
    another state's figures are no precedent for a federal, Medicare, self-funded or another
    state's plan, and the letter states none there. '' when no category fits."""
    if not california_plan(analysis, letter_text):
        return ""
    found = precedent_for(analysis, case)
    return found.sentence() if found is not None else ""


def precedent_paragraph(analysis: DenialAnalysis, letter_text: str, case: CaseFacts) -> str:
    """What the plan itself already approved of this care (the case's sentences), then what
    independent reviewers made of denials like this one (:func:`precedent_sentence`)."""
    parts: list[str] = []
    approved = prior_approvals(case)
    if approved:
        said = " ".join(s if s.endswith(".") else f"{s}." for s in approved)
        parts.append(f"The plan's own decisions bear on this request: {lower_first(said)}")
    parts.append(precedent_sentence(analysis, letter_text, case))
    return " ".join(p for p in parts if p)


# --------------------------------------------------------------------------- grounding


def rights_strings(analysis: DenialAnalysis, letter_text: str, case: CaseFacts) -> list[str]:
    """What this module may state, for the validator to ground the letter's numbers in: the
    plan type's spec text (citations, clocks and the letter's sentences) and the figures of the
    statistic that fits the request."""
    spec = spec_for(analysis, letter_text)
    out = [*spec.cites(), spec.legal_basis, spec.records_ask or "", spec.expedited_ask or ""]
    out.append(spec.late_filing or "")
    out += [s for p in spec.provisions if p.verified for s in (p.sentence, p.otherwise) if s]
    levels = [spec.internal_appeal, *spec.next_levels]
    for level in levels:
        windows = [level.filing, level.continuation]
        if level.decision is not None:
            d = level.decision
            windows += [d.standard, d.expedited, d.post_service, d.per_level]
            windows.append(d.per_level_post_service)
        out += [w.describe() for w in windows if w is not None]
    out.append(precedent_sentence(analysis, letter_text, case))
    if (law := state_review(analysis, letter_text)) is not None:
        out += [law.citation, law.sentence()]
    computed = filing_deadline(analysis, letter_text)
    out += [computed.isoformat()] if computed else []
    out += mandate_strings(analysis, letter_text, case)
    if (gap := network_gap(analysis, letter_text, case)) is not None:
        out += gap.strings()
    return [s for s in out if s]
