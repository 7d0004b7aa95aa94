"""Each criterion the denial cites has a section that quotes it, cites a reference and points
at the case's evidence."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ... import letter_format as lf
from ...letter_format import short_record_name
from ...models import NO_HOME, ValidationFinding
from ...reasoning.fit import STATED_PASSAGE_RE
from ...reasoning.grounds import owns
from ...reasoning.strategy import open_asks
from ...text import literal
from ...text.normalize import norm_text
from ...text.numbers import norm_number
from .._context import Context
from .._findings import ERROR, WARNING, FindingCode, finding
from .._registry import Scope, check
from .._scanner import NUMBER_RUN_RE, token_keys


@dataclass(frozen=True)
class _CaseEvidence:
    names: tuple[str, ...]
    """Every treatment/finding name and value (normalized text), found as whole words."""
    numbers: frozenset[str]
    dates: frozenset[dt.date]


def _case_evidence(ctx: Context) -> _CaseEvidence:
    """Concrete clinical facts of the case: treatment/finding names, values, numbers, dates."""
    case = ctx.draft.case
    names: list[str] = []
    texts: list[str] = [
        case.clinical_summary or "",
        case.service.details or "",
        case.consequences_of_denial or "",
        case.urgency_reason or "",
    ]
    dates: set[dt.date] = set()
    for t in case.prior_treatments:
        names += [t.name, short_record_name(t.name)]
        texts += [t.dose or "", t.frequency or "", t.duration or "", t.outcome_measure or ""]
        dates.update(d for d in (t.start, t.end) if d)
    # a diagnosis route is met by the coded diagnosis itself ('the record shows diagnosis
    # G47.33, which meets it')
    names += [d.code for d in case.diagnoses]
    for f in case.objective_findings:
        names += [f.name, short_record_name(f.name), f.value]
        texts.append(f.value)
        if f.date:
            dates.add(f.date)
    numbers = {
        norm_number(run) for text in texts for run in NUMBER_RUN_RE.findall(text) if len(run) >= 2
    }
    clean = sorted({n for n in (norm_text(n) for n in names) if len(n) >= 3}, key=len, reverse=True)
    return _CaseEvidence(tuple(clean), frozenset(numbers), frozenset(dates))


_QUOTE_RE = re.compile(r"“([^”]{20,})”")


def _quotes_case(text: str, ctx: Context) -> bool:
    """Whether the section quotes the physician's clinical summary or an enclosed record's title
    (a verdict states the sentence that answers a requirement: 'the record states: “...”')."""
    sources = [ctx.draft.case.clinical_summary or ""]
    sources += [d.title for d in ctx.draft.case.documents]
    known = norm_text(" ".join(sources))
    for m in _QUOTE_RE.finditer(text):
        quoted = norm_text(m.group(1).rstrip(" …."))
        if len(quoted.split()) >= 5 and quoted in known:
            return True
    return False


def _cites_evidence(text: str, evidence: _CaseEvidence) -> bool:
    if literal.any_in(text, evidence.names, whole=True):
        return True
    for tok in token_keys(text):
        if tok.kind == "date" and tok.key in evidence.dates:
            return True
        if tok.kind == "number" and tok.key in evidence.numbers:
            return True
        if tok.kind == "ident" and any(p in evidence.numbers for p in tok.parts):
            return True
    return False


@check(
    Scope.section,
    codes=[
        FindingCode.CRITERIA_UNANSWERED,
        FindingCode.CRITERIA_NO_CITATION,
        FindingCode.CRITERIA_NO_EVIDENCE,
    ],
    advice={
        FindingCode.CRITERIA_NO_CITATION: (
            "it cites no passage: cite a listed passage as [[cite:ID]]"
        ),
        FindingCode.CRITERIA_NO_EVIDENCE: (
            "it names no treatment, finding, date or value of the listed facts"
        ),
        FindingCode.CRITERIA_UNANSWERED: "it does not answer the criterion",
    },
)
def check_criteria(ctx: Context) -> list[ValidationFinding]:
    """One section per cited criterion: quotes it, cites a reference, points at case evidence."""
    out = []
    evidence = _case_evidence(ctx)
    cited = _cited_under_criteria(ctx)
    open_ = {
        v.index for v in ctx.verdicts if v.requirements and v.status != "met" and not v.conceded
    }
    # the criteria the notice found met may share one sentence instead of a section each
    payer_met = {v.index + 1 for v in ctx.verdicts if v.payer_met}
    # one not relied on (an alternative the patient need not meet: another of the listed ones
    # is met) or accepted by the physician is not argued, so it needs no citation or evidence
    unargued = {
        v.index + 1 for v in ctx.verdicts if v.alternative or v.accepted or v.not_applicable
    }
    names = lf.criterion_names(ctx.draft.analysis.criteria)
    noticed = lf.met_by_notice(ctx.markdown, names) & (payer_met | _payer_said_met(ctx))
    # and those the notice marks not applicable may share one sentence too
    away = {v.index + 1 for v in ctx.verdicts if v.not_applicable == lf.PAYER_NOT_APPLICABLE}
    noticed |= lf.met_by_notice(ctx.markdown, names, lf.NOT_APPLICABLE_BY_NOTICE_RE) & away
    # and the alternatives not relied on, in one line
    alternatives = {v.index + 1 for v in ctx.verdicts if v.alternative}
    noticed |= lf.met_by_notice(ctx.markdown, names, lf.NOT_RELIED_RE) & alternatives
    for n, criterion in enumerate(ctx.draft.analysis.criteria, 1):
        block = ctx.doc.criteria.get(n)
        if block is None and n in noticed:
            continue
        if block is None:
            out.append(
                finding(
                    FindingCode.CRITERIA_UNANSWERED,
                    f"No '{lf.CRITERION_HEADING.format(number=names[n - 1])}' section answers "
                    f"criterion {names[n - 1]}.",
                )
            )
            continue
        span = (block.start, block.end)
        wanted = norm_text(criterion.text)
        if wanted not in norm_text(block.heading + " " + block.body):
            out.append(
                finding(
                    FindingCode.CRITERIA_UNANSWERED,
                    f"Criterion {n}'s section does not state the criterion's text.",
                    span=span,
                    excerpt=block.heading,
                )
            )
        met = criterion.payer_status == "met"  # the payer's own word: the letter need not argue it
        # a criterion the denial's ground answers (the network's rule, a plan's own inpatient
        # screen under Medicare) is argued in the ground's section, with its facts and rule
        met = met or owns(ctx.draft.analysis, criterion.text) is not None or n in unargued
        if not met and not lf.CITATION_RE.search(block.body):
            out.append(
                finding(
                    FindingCode.CRITERIA_NO_CITATION,
                    f"Criterion {n}'s section cites no reference.",
                    # An error only when a clinical passage retrieved for this criterion went
                    # uncited in the whole letter; with none that fits, no citation weakens the
                    # argument, and citing an unfitting one (or law) would be worse.
                    ERROR
                    if _uncited_fitting(ctx, n - 1, cited, ctx.draft.run.templated(n))
                    else WARNING,
                    span=span,
                    excerpt=block.heading,
                )
            )
        # a stated guideline ('Guideline (AAOS 2021, ...): ... intra-articular corticosteroid
        # injection can provide short-term relief [3].') names care, not the patient's record
        rest = norm_text(STATED_PASSAGE_RE.sub(" ", block.body)).replace(wanted, " ", 1)
        quoted = _quotes_case(block.body, ctx)
        if not met and not _cites_evidence(rest, evidence) and not quoted:
            out.append(
                finding(
                    FindingCode.CRITERIA_NO_EVIDENCE,
                    f"Criterion {n}'s section names no treatment, finding, date or value "
                    "from the case file.",
                    # a criterion the computed verdict does not find met: the drafter states no
                    # verdict against the patient and leaves it to the physician (not ready to
                    # sign); a section that claims it met with no fact stays an error
                    WARNING if n - 1 in open_ and _states_nothing(block.body, wanted) else ERROR,
                    span=span,
                    excerpt=block.heading,
                )
            )
    return out


def _states_nothing(body: str, quoted: str) -> bool:
    """Whether a criterion's section says nothing of the patient: past the quoted criterion,
    only cited guideline or law paragraphs and the physician's ask for a criterion it compares
    nothing under (what the drafter writes for a criterion the record does not show met: no
    verdict against the patient, no claim to support)."""
    asks = {norm_text(a) for a in open_asks()}
    for paragraph in (p for p in body.split("\n\n") if p.strip()):
        if lf.CITATION_RE.search(paragraph) or norm_text(paragraph) in asks:
            continue
        rest = norm_text(paragraph).replace(quoted, " ").lower().replace("the plan requires", " ")
        if re.search(r"[a-z0-9]", rest):  # more than the quoted criterion: a claim
            return False
    return True


def _payer_said_met(ctx: Context) -> set[int]:
    return {n for n, c in enumerate(ctx.draft.analysis.criteria, 1) if c.payer_status == "met"}


def _cited_under_criteria(ctx: Context) -> set[str | None]:
    """Ids of the passages the criterion sections cite."""
    ids = {e.number: e.passage_id for e in ctx.doc.references}
    return {
        ids.get(int(n))
        for block in ctx.doc.criteria.values()
        for m in lf.CITATION_RE.finditer(block.body)
        for n in re.findall(r"\d+", m.group(1))
    }


def _uncited_fitting(ctx: Context, index: int, cited: set[str | None], template: bool) -> bool:
    """A passage the criterion's section should have cited went uncited in every criterion
    section, by the draft's placement (``Context.placement``: ``argument.place``, computed once
    with the verdicts; the validator does not place passages again). A section the template
    drafter wrote (``template``: ``RunInfo.templated``: the offline engine's, or a model's that
    fell back to it) is held to the passage the placement states under it; a passage whose place
    is another criterion or none is never asked for there. A model's own section may cite any
    passage that fits the criterion (the placement's ``fitting``: retrieved for it and about
    what it asks, for this plan type) and that the placement does not state under none (a
    physician's source most about a criterion the notice found met is no citation missing)."""
    placement = ctx.placement
    if template:
        return any(pid not in cited for pid in placement.stated.get(index, []))
    return any(
        pid not in cited and placement.homes.get(pid) != NO_HOME
        for pid in placement.fitting.get(index, [])
    )
