"""What the page shows beside a draft: the documentation gap map, the letter's annotations and
its status (what still blocks or weakens it; ready to sign only when nothing does)."""

from __future__ import annotations

import datetime as dt
import re

from .. import letter_format as lf
from ..evidence import case_facts
from ..fixes import explain, section_at
from ..models import (
    CaseFacts,
    CriterionArgument,
    DenialAnalysis,
    Draft,
    Gap,
    Severity,
    ValidationReport,
)
from ..seal import is_sealed
from ..validate import FindingCode, parse_document
from .schemas import (
    Annotations,
    CitationMark,
    EvidenceItem,
    GapMap,
    GapRow,
    Issue,
    ReferenceMark,
    Review,
    Span,
    Status,
)

_INDEXED_RE = re.compile(r"^(\w+)\[(\d+)\]$")
_LIST_LABELS = {"prior_treatments": "Prior treatment", "objective_findings": "Objective finding"}


def path_label(path: str) -> str:
    """'prior_treatments[2]' -> 'Prior treatment 3'; 'clinical_summary' -> 'Clinical summary'."""
    m = _INDEXED_RE.match(path)
    if m and m.group(1) in _LIST_LABELS:
        return f"{_LIST_LABELS[m.group(1)]} {int(m.group(2)) + 1}"
    return path.replace(".", " ").replace("_", " ").capitalize()


def _belongs(gap: Gap, criterion: int, evidence: list[str]) -> bool:
    """A gap is a criterion's when it names the criterion or a fact its argument relies on."""
    return gap.field == f"criteria[{criterion}]" or any(
        gap.field.startswith(f"{path}.") for path in evidence
    )


def gap_map(
    analysis: DenialAnalysis,
    case: CaseFacts,
    arguments: list[CriterionArgument],
    gaps: list[Gap],
) -> GapMap:
    """One row per cited criterion; gaps tied to no criterion are listed apart."""
    sentences: dict[str, list[str]] = {}
    for fact in case_facts(case):
        sentences.setdefault(fact.path, []).append(fact.sentence)
    evidence_of = {a.criterion_index: a.evidence for a in arguments}
    rows: list[GapRow] = []
    placed: set[int] = set()
    for i, criterion in enumerate(analysis.criteria):
        paths = evidence_of.get(i, [])
        missing = [g for g in gaps if _belongs(g, i, paths)]
        placed.update(id(g) for g in missing)
        rows.append(
            GapRow(
                number=i + 1,
                requires=criterion.text,
                source=criterion.source,
                evidence=[
                    EvidenceItem(
                        path=p,
                        label=path_label(p),
                        text=" ".join(sentences[p]) if p in sentences else None,
                    )
                    for p in paths
                ],
                missing=missing,
            )
        )
    return GapMap(rows=rows, other=[g for g in gaps if id(g) not in placed])


def letter_annotations(markdown: str, draft: Draft) -> Annotations:
    """Citations, references (resolved to the draft's passages) and [MISSING] fields."""
    doc = parse_document(markdown, lf.criterion_names(draft.analysis.criteria))
    passages = {rp.passage.id: rp.passage for rp in draft.passages}
    references = []
    for entry in doc.references:
        passage = passages.get(entry.passage_id or "")
        references.append(
            ReferenceMark(
                start=entry.span[0],
                end=entry.span[1],
                number=entry.number,
                passage_id=passage.id if passage else None,
                reference=passage.reference() if passage else entry.text,
                text=passage.text if passage else None,
            )
        )
    return Annotations(
        citations=[
            CitationMark(start=c.span[0], end=c.span[1], numbers=list(c.numbers))
            for c in doc.citations
        ],
        references=references,
        placeholders=[
            Span(start=m.start(), end=m.end()) for m in lf.PLACEHOLDER_RE.finditer(markdown)
        ],
    )


NEAR_DEADLINE_DAYS = 14
"""An appeal deadline this close is named among what weakens the letter."""
_PHONE_RE = re.compile(r"(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _continuation_issue(draft: Draft, today: dt.date) -> Issue | None:
    """The window to ask that a reduced or ended service continue pending the appeal, when it
    is near (weakens) or closed (blocks: the advocate must act on it now)."""
    from ..reasoning.law import continuation

    found = continuation(draft.analysis, draft.letter_text, draft.case, today)
    warning = found.warning() if found else None
    if found is None or warning is None:
        return None
    return Issue(
        kind="blocks" if found.state == "passed" else "weakens",
        code=f"continuation.{found.state}",
        what=warning[0].upper() + warning[1:] + ".",
    )


def _deadline_issue(analysis: DenialAnalysis, today: dt.date) -> Issue | None:
    deadline = analysis.appeal_deadline
    if deadline is None:
        return None
    days = (deadline - today).days
    when = lf.fmt_date(deadline)
    if days < 0:
        return Issue(
            kind="blocks",
            code="deadline.passed",
            what=f"The appeal deadline, {when}, passed {_plural(-days, 'day')} ago: ask the plan "
            "to accept a late appeal for good cause, or ask about the next level of review.",
        )
    if days <= NEAR_DEADLINE_DAYS:
        return Issue(
            kind="weakens",
            code="deadline.near",
            what=f"The appeal deadline is {when}, in {_plural(days, 'day')}: send the letter "
            "now (by fax, keeping the confirmation), and ask for an expedited appeal if waiting "
            "could harm the patient.",
        )
    return None


def _criterion_issues(draft: Draft) -> list[Issue]:
    """Criteria whose typed requirements the case does not meet, or does not show (computed by
    pipeline.reasoning); criteria the payer called met or the physician concedes are left out.
    A criterion with no typed requirement is judged by the letter's checks alone."""
    from ..reasoning import evaluate

    issues = []
    verdicts = draft.verdicts  # the drafter's, when sealed with this context
    if verdicts is None or not is_sealed(draft):
        verdicts = evaluate(draft.analysis, draft.case, draft.analysis.letter_date)
    for verdict in verdicts:
        if verdict.payer_met or verdict.conceded or verdict.status == "met":
            continue
        open_ = [r for r in verdict.requirements if r.status != "met" and not r.conceded]
        failed = [r for r in open_ if r.status == "not_met"]
        n = verdict.index + 1
        if verdict.status == "not_met" and failed:
            first = failed[0]
            code, field = "criterion.not_met", first.field or "conceded"
            what = (
                f"Criterion {n} is not met by the case. {first.comparison} If the record is "
                f"right, concede it (case file conceded: criterion {n}) so the letter asks for an "
                "exception; if not, correct the fact."
            )
        elif shown := [r for r in open_ if r.field]:
            first = shown[0]
            code, field = "criterion.not_shown", first.field or ""
            what = f"Criterion {n} is not shown to be met. {first.comparison} Add it to {field}."
        else:
            continue
        issues.append(Issue(kind="weakens", code=code, what=what, field=field))
    return issues


def peer_to_peer_offer(markdown: str, own: str | None = None) -> str | None:
    """What the letter's Peer-to-peer section offers the reviewer, read from the letter: a call
    at the physician's own number (``own``; the section also gives the plan's line), else at the
    last number it gives (the drafter names the plan's line first, the physician's last)."""
    body = lf.split_sections(markdown).get(lf.PEER_TO_PEER)
    if body is None:
        return None
    phones = [m.group() for m in _PHONE_RE.finditer(body)]
    digits = re.sub(r"\D", "", own or "")[-10:]
    mine = [p for p in phones if digits and re.sub(r"\D", "", p)[-10:] == digits]
    chosen = mine or phones[-1:]
    return f"a call at {chosen[0]}" if chosen else "a call, without a phone number"


def status(
    markdown: str, draft: Draft, report: ValidationReport, today: dt.date | None = None
) -> Status:
    """What still blocks or weakens the letter; ready only when nothing does."""
    issues: list[Issue] = []
    waiting: dict[str, list[Gap]] = {}  # gaps by placeholder, in order: the same text may
    for g in draft.gaps:  # stand for several (each criterion's missing evidence)
        waiting.setdefault(g.placeholder, []).append(g)
    seen: set[tuple[str, str | None]] = set()
    for m in lf.PLACEHOLDER_RE.finditer(markdown):
        queue = waiting.get(m.group(), [])
        gap = queue.pop(0) if len(queue) > 1 else (queue[0] if queue else None)
        key = (m.group(), gap.field if gap else None)
        if key in seen:
            continue
        seen.add(key)
        issues.append(
            Issue(
                kind="blocks",
                code="missing",
                what=gap.message if gap else f"The letter still holds {m.group()}: write the fact.",
                field=gap.field if gap else None,
                section=section_at(markdown, m.start()),
            )
        )
    listed = {i.field for i in issues}
    for gap in draft.gaps:  # a gap the letter shows no placeholder for (e.g. a requirement's)
        if gap.placeholder not in markdown and gap.field not in listed:
            listed.add(gap.field)
            issues.append(Issue(kind="blocks", code="missing", what=gap.message, field=gap.field))
    fields = set(listed)
    for f in report.findings:
        if f.code == FindingCode.PLACEHOLDER_LEFT or (f.field and f.field in fields):
            continue  # named above, with the field that fixes it
        fields.add(f.field)
        issues.append(
            Issue(
                kind="blocks" if f.severity == Severity.error else "weakens",
                code=f.code,
                what=f"{f.message} {f.fix}" if f.fix else f.message,
                field=f.field,
                section=f.section,
            )
        )
    issues += _criterion_issues(draft)
    deadline = _deadline_issue(draft.analysis, today or dt.date.today())
    if deadline:
        issues.append(deadline)
    kept = _continuation_issue(draft, today or dt.date.today())
    if kept:
        issues.append(kept)
    issues.sort(key=lambda i: i.kind != "blocks")
    blocks = sum(i.kind == "blocks" for i in issues)
    weakens = len(issues) - blocks
    if lf.PLACEHOLDER_RE.search(markdown):
        headline = "DRAFT: facts are missing. Not ready to sign"
    elif not report.ok:
        headline = f"Rejected: {_plural(len(report.errors), 'error')}. Not ready to sign"
    elif blocks:
        headline = "Passed validation, but not ready to sign"
    elif weakens:
        headline = "Passed validation, but not ready to sign yet"
    else:
        headline = "Passed validation, and nothing blocks or weakens the letter. Ready for the "
        headline += "physician to check and sign."
    if issues:
        parts = [
            f"{_plural(n, 'thing')} {verb}{'s' if n == 1 else ''}"
            for n, verb in ((blocks, "block"), (weakens, "weaken"))
            if n
        ]
        headline += f": {' and '.join(parts)} it (listed below, each linked to where to fix it)."
    return Status(
        ready=not issues,
        headline=headline,
        issues=issues,
        peer_to_peer=peer_to_peer_offer(markdown, draft.case.physician.phone),
    )


def review(
    markdown: str, draft: Draft, report: ValidationReport, today: dt.date | None = None
) -> Review:
    """The verdict on ``markdown``, its annotations and what still stands before signing."""
    report = explain(report, draft.model_copy(update={"markdown": markdown}))
    errors = len(report.errors)
    return Review(
        ok=report.ok,
        errors=errors,
        warnings=len(report.findings) - errors,
        report=report,
        annotations=letter_annotations(markdown, draft),
        status=status(markdown, draft, report, today),
    )
