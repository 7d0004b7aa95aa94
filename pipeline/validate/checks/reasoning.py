"""The letter against the computed verdicts: no section contradicts its criterion's verdict, a
conceded (or payer-met) criterion is not disputed, a section's records are the ones that bear on
its requirements, and the request names every requested code with its units."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ... import letter_format as lf
from ...models import DenialAnalysis, Severity, ValidationFinding
from ...reasoning.fit import STATED_PASSAGE_RE
from ...reasoning.request import requested_codes
from ...reasoning.verdicts import CriterionVerdict
from ...text import literal
from ...text.normalize import norm_text
from ...text.sentences import split_sentences
from .._context import Context
from .._document import CriterionSection
from .._findings import FindingCode, finding
from .._registry import Scope, check

_NEGATIVE_RE = re.compile(
    r"\b(?:is|was|are|were|remains?|has not been|have not been)\s+not\s+(?:met|satisfied)\b"
    r"|\b(?:has|have) not been (?:met|satisfied)\b|\bdoes not (?:meet|satisfy)\b"
    r"|\bdo not (?:meet|satisfy)\b|\bfails? to (?:meet|satisfy)\b|\bcriterion (?:is )?unmet\b",
    re.IGNORECASE,
)
_POSITIVE_RE = re.compile(
    r"\b(?:this|the) criterion (?:is|has been|was) (?:fully )?(?:met|satisfied)\b"
    r"|\b(?:meets|satisfies|fulfils|fulfills) (?:this|the|each|every|all)\b[^.]{0,40}\bcriteri"
    r"|\bcriterion (?:is|are) (?:fully )?met\b",
    re.IGNORECASE,
)
_COMPARISON_RE = re.compile(
    r"Required: (?P<required>.+?); documented: .*?: (?P<status>met|not met|not shown)\."
    r"|The plan requires (?P<plan>.+?); (?:the record shows .*?, which (?P<result>meets it|"
    r"does not meet it)|(?P<unknown>the record does not show it)|.*?, listed above.*?, "
    r"(?P<listed>meets? it))(?: \(.*?\))?\.(?=\s|$)",
)
"""A comparison sentence (``models.comparison_sentence``; the older label form is read too)."""
_COUNT_RE = re.compile(
    r"\b(\d+)\s+(?:[a-z-]+\s+){0,3}?(trials?|classes|injections?|medications?|agents?)\b",
    re.IGNORECASE,
)
_DISPUTE_RE = re.compile(
    r"\bshows? otherwise\b|\bthe record contradicts\b|\bcontrary to (?:the|your) "
    r"(?:notice|denial)\b|\bthe denial (?:is|was) (?:wrong|incorrect|mistaken)\b",
    re.IGNORECASE,
)
_PAYER_SAYS_RE = re.compile(
    r"(?:The denial|Your notice|The notice) (?:states|says|found) that [^.:]*(?:not met|met)[.:]",
)
"""The payer's position, stated as the payer's (it is not the letter's verdict)."""
_QUOTED_RE = re.compile(r"“[^”\n]*”")
"""Words the letter quotes (the payer's criterion, its reviewer's note): not the letter's own
verdict ('Your reviewer noted: “Does not meet 175%.”')."""
_STATUS = {
    "met": "met", "not met": "not_met", "not shown": "unknown",
    "meets it": "met", "meet it": "met", "does not meet it": "not_met",
    "the record does not show it": "unknown",
}  # fmt: skip


def comparison_parts(m: re.Match[str]) -> tuple[str, str]:
    """(the requirement in words, its status) of a comparison sentence's match."""
    said = m.group("status") or m.group("result") or m.group("unknown") or m.group("listed")
    return (m.group("required") or m.group("plan")), _STATUS[said]


def _argued(ctx: Context) -> list[tuple[CriterionVerdict, CriterionSection]]:
    """Each criterion with a computed verdict and its section in the letter."""
    return [
        (verdict, ctx.doc.criteria[verdict.index + 1])
        for verdict in ctx.verdicts
        if verdict.requirements and verdict.index + 1 in ctx.doc.criteria
    ]


def _unquoted(block: CriterionSection, criterion_text: str) -> tuple[str, int]:
    """The section's body with the criterion's verbatim text and any [MISSING: ...] placeholder
    blanked (same length), and the body's offset in the letter."""
    body = block.body
    text = criterion_text.strip()
    at = body.find(text)
    if at >= 0:
        body = body[:at] + " " * len(text) + body[at + len(text) :]
    body = lf.PLACEHOLDER_RE.sub(lambda m: " " * len(m.group()), body)
    body = _PAYER_SAYS_RE.sub(lambda m: " " * len(m.group()), body)
    return body, block.end - len(block.body)


_LIST_ITEM_RE = re.compile(r"^([ \t]*[-*][ \t]+)(.*)$", re.M)
_COMPARISON_LINE_RE = re.compile(r"^The plan requires [^\n]*$", re.M)


def _fact_heads(body: str) -> str:
    """``body`` with, in each list item, only the fact's head kept (the text before its first
    ': '): a treatment named in another fact's outcome ('HbA1c 9.6% on metformin plus
    sitagliptin') or in a comparison line ('- Required: ...') is not that fact. Same length."""

    def keep_head(m: re.Match[str]) -> str:
        lead, item = m.group(1), m.group(2)
        if item.startswith(("Required:", "The plan requires ")):
            return lead + " " * len(item)
        cut = item.find(": ")
        return lead + (item if cut < 0 else item[:cut] + " " * (len(item) - cut))

    # a comparison paragraph ('The plan requires ...; the record shows ...') states the
    # requirement and the record's answer, as a comparison list item did: not a fact
    body = _COMPARISON_LINE_RE.sub(lambda m: " " * len(m.group(0)), body)
    return _LIST_ITEM_RE.sub(keep_head, body)


def _at(offset: int, match: re.Match[str]) -> tuple[int, int]:
    return (offset + match.start(), offset + match.end())


@check(
    Scope.section,
    codes=[FindingCode.ARGUMENT_VERDICT_MISMATCH],
    advice={
        FindingCode.ARGUMENT_VERDICT_MISMATCH: (
            "its words contradict the computed verdict ({excerpt}); state the verdict and the "
            "numbers exactly as the computed comparison gives them"
        )
    },
)
def check_verdicts(ctx: Context) -> list[ValidationFinding]:
    """A section's words agree with its criterion's computed verdict and numbers."""
    out: list[ValidationFinding] = []
    for verdict, block in _argued(ctx):
        if verdict.payer_met or verdict.conceded:
            continue
        body, offset = _unquoted(block, verdict.criterion.text)
        out += [
            _mismatch(verdict, offset, m, why) for m, why in _contradictions(ctx, verdict, body)
        ]
    return out


def _mismatch(
    verdict: CriterionVerdict, offset: int, match: re.Match[str], why: str
) -> ValidationFinding:
    return finding(
        FindingCode.ARGUMENT_VERDICT_MISMATCH,
        f"Criterion {verdict.index + 1}'s section {why}.",
        span=(offset + match.start(), offset + match.end()),
        excerpt=match.group(0),
    )


def _contradictions(
    ctx: Context, verdict: CriterionVerdict, body: str
) -> list[tuple[re.Match[str], str]]:
    """(where, why) for each statement of the section that contradicts the verdict."""
    out: list[tuple[re.Match[str], str]] = []
    quoted = [q.span() for q in _QUOTED_RE.finditer(body)]
    said, why = (
        (_NEGATIVE_RE, "says the criterion is not met, but the record meets it")
        if verdict.status == "met"
        else (_POSITIVE_RE, "says the criterion is met, but the record does not show it")
    )
    out += [
        (m, why)
        for m in said.finditer(body)
        if not any(start <= m.start() < end for start, end in quoted)
    ]
    by_required = {rv.required: rv for rv in verdict.requirements}
    for m in _COMPARISON_RE.finditer(body):
        required, status = comparison_parts(m)
        rv = by_required.get(required)
        if rv is not None and not rv.conceded and status != rv.status:
            out.append((m, "states a requirement's verdict against the computed one"))
    counted = any(
        rv.requirement.kind in ("trial_count", "class_count") for rv in verdict.requirements
    )
    if counted:
        allowed = {
            int(x)
            for rv in verdict.requirements
            for x in (rv.value, rv.requirement.value)
            if x is not None and float(x).is_integer()
        }
        for m in _COUNT_RE.finditer(body):
            if int(m.group(1)) not in allowed and not _in_case_text(ctx, m.group(0)):
                out.append((m, "states a count the computation does not give"))
    return out


def _in_case_text(ctx: Context, phrase: str) -> bool:
    """True when the phrase is the case file's own wording (a duration such as '22 sessions')."""
    return norm_text(phrase) in norm_text(" ".join(ctx.case_values[0]))


@check(
    Scope.section,
    codes=[FindingCode.ARGUMENT_CONCEDED_DISPUTED],
    advice={
        FindingCode.ARGUMENT_CONCEDED_DISPUTED: (
            "the criterion is conceded or was met per the notice; do not dispute it ({excerpt})"
        )
    },
)
def check_concessions(ctx: Context) -> list[ValidationFinding]:
    """A conceded criterion, or one the payer called met, is not disputed."""
    out = []
    for verdict in ctx.verdicts:
        block = ctx.doc.criteria.get(verdict.index + 1)
        if block is None or not (verdict.conceded or verdict.payer_met):
            continue
        body, offset = _unquoted(block, verdict.criterion.text)
        for m in _DISPUTE_RE.finditer(body):
            why = "is conceded" if verdict.conceded else "was met per the notice"
            out.append(
                finding(
                    FindingCode.ARGUMENT_CONCEDED_DISPUTED,
                    f"Criterion {verdict.index + 1} {why}, but its section disputes it.",
                    span=_at(offset, m),
                    excerpt=m.group(0),
                )
            )
    return out


_PAREN_TAIL_RE = re.compile(r"\s*\(.*$")


def _treatment_names(ctx: Context) -> list[tuple[str, str]]:
    """Each treatment's name before any parenthesis, by its case path (found as a whole word,
    any case: ``text.literal``, no pattern compiled per name)."""
    out = []
    for i, t in enumerate(ctx.draft.case.prior_treatments):
        head = _PAREN_TAIL_RE.sub("", t.name).strip()
        if len(head) >= 4:
            out.append((f"prior_treatments[{i}]", head))
    return out


@check(
    Scope.section,
    codes=[FindingCode.ARGUMENT_UNRELATED_EVIDENCE],
    advice={
        FindingCode.ARGUMENT_UNRELATED_EVIDENCE: (
            "it names a treatment that does not bear on this criterion's requirements "
            "({excerpt}); use only the facts listed for the criterion"
        )
    },
)
def check_section_evidence(ctx: Context) -> list[ValidationFinding]:
    """A criterion's section names only the treatments that bear on its requirements."""
    out = []
    names = _treatment_names(ctx)
    for verdict, block in _argued(ctx):
        if verdict.payer_met or not verdict.evidence:
            # No typed check found a fact: the drafter then lists the facts that share the
            # criterion's words, and there is no computed evidence to judge them against.
            continue
        body, offset = _unquoted(block, verdict.criterion.text)
        for rv in verdict.requirements:  # the requirement restated from the letter is no evidence
            for said in {rv.requirement.subject, *rv.requirement.classes}:
                if len(said) >= 4:
                    body = literal.blanked(body, said, ignore_case=True)
        # a stated passage's own words (a guideline's "... speech-language pathology, or
        # prosthetics ...", a Medicare coverage rule's "a CPAP device (E0601)") are the
        # passage's, not facts of the case put under the criterion
        body = STATED_PASSAGE_RE.sub(lambda m: " " * len(m.group(0)), body)
        body = _fact_heads(body)
        related = set(verdict.evidence)
        # a related fact's own words (a trial's outcome "on metformin plus sitagliptin", a
        # finding drawn "on dulaglutide") may name another treatment
        case = ctx.draft.case
        related_text = " ".join(
            (
                case.prior_treatments[int(p[17:-1])].model_dump_json()
                if p.startswith("prior_treatments[")
                else case.objective_findings[int(p[19:-1])].model_dump_json()
            ).lower()
            for p in related
            if re.fullmatch(r"(?:prior_treatments|objective_findings)\[\d+\]", p)
        )
        # a treatment the reviewer's own finding names ('the plan of care lists only the repeat
        # ablation and acetaminophen') bears on the criterion: the letter answers that finding
        related_text += " " + (verdict.criterion.payer_reason or "").lower()
        for path, name in names:
            if path in related:
                continue
            m = literal.search(body, name, ignore_case=True, whole=True)
            if m and not literal.search(related_text, name, ignore_case=True, whole=True):
                out.append(
                    finding(
                        FindingCode.ARGUMENT_UNRELATED_EVIDENCE,
                        f"Criterion {verdict.index + 1}'s section names a treatment that does not "
                        "bear on its requirements.",
                        span=(offset + m[0], offset + m[1]),
                        excerpt=body[m[0] : m[1]],
                    )
                )
    return out


def _code_end(text: str, code: str) -> int | None:
    """Where the first mention of ``code`` ends that no word character or '.' leads and no
    word character follows (``(?<![\\w.])code(?!\\w)``, without a pattern for the code)."""
    at = text.find(code)
    while at >= 0:
        end = at + len(code)
        led = at > 0 and (literal.is_word(text[at - 1]) or text[at - 1] == ".")
        if not led and not (end < len(text) and literal.is_word(text[end])):
            return end
        at = text.find(code, at + 1)
    return None


def _code_ends(text: str, code: str) -> Iterator[int]:
    """The end of each mention of ``code`` in ``text`` standing as a word (see
    :func:`_code_end`)."""
    at = 0
    while (end := _code_end(text[at:], code)) is not None:
        yield at + end
        at += end


UNITS_REACH = 16
"""How many characters (no line break, comma or semicolon) a code's units may stand after it."""


_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
"""A thousands separator inside a count ('3,120')."""


def _units_follow(rest: str, units: int) -> bool:
    """Whether the number ``units`` stands as a word within UNITS_REACH characters at the start
    of ``rest`` with no line break, comma or semicolon before it (``[^\\n,;]{0,16}?\\bN\\b``)."""
    said = str(units)
    # '1,040 units' is 1040 units: a count's thousands separators are no break
    rest = _THOUSANDS_RE.sub("", rest)
    if not said.isdigit():  # a negative count: the pattern's own reading
        return re.match(rf"[^\n,;]{{0,{UNITS_REACH}}}?\b{said}\b", rest) is not None
    for at in range(min(UNITS_REACH, len(rest)) + 1):
        if at and rest[at - 1] in "\n,;":
            return False
        end = at + len(said)
        if (
            rest.startswith(said, at)
            and not (at and literal.is_word(rest[at - 1]))
            and not (end < len(rest) and literal.is_word(rest[end]))
        ):
            return True
    return False


@check(Scope.letter, codes=[FindingCode.REQUEST_MISSING_CODE, FindingCode.REQUEST_APPROVED_CODE])
def check_request_codes(ctx: Context) -> list[ValidationFinding]:
    """The Request names every requested code, with its units when they are known, and every
    item the notice denied (its codes, else its label); it asks for no code the notice only
    approved (see :func:`_item_findings`)."""
    section = ctx.doc.section(lf.REQUEST)
    if section is None:
        return []
    text = ctx.markdown[section.body_start : section.end]
    out = []
    draft = ctx.draft
    for code, units, _ in requested_codes(draft.analysis, draft.case, draft.letter_text):
        where = _code_end(text, code)
        if where is None:
            out.append(
                finding(
                    FindingCode.REQUEST_MISSING_CODE,
                    f"The Request does not name the requested code {code}.",
                    excerpt=code,
                )
            )
        elif units is not None and not any(
            _units_follow(text[end:], units) for end in _code_ends(text, code)
        ):
            # a code the Request asks on several lines (a claim's lines of one drug, each its
            # own units): its units after any of its mentions
            out.append(
                finding(
                    FindingCode.REQUEST_MISSING_CODE,
                    f"The Request names code {code} without its {units} units.",
                    excerpt=code,
                )
            )
    named = {f.excerpt for f in out}
    return out + [f for f in _item_findings(draft.analysis, text) if f.excerpt not in named]


_NOT_ASKED_RE = re.compile(r"\bnot part of this appeal\b|\bapproved as requested\b", re.I)
"""A sentence of the Request naming what the plan approved as no part of the appeal."""


def _item_findings(analysis: DenialAnalysis, text: str) -> list[ValidationFinding]:
    """Of a notice that decides several items: each item it denied named in the Request (by
    each of its codes, else by its label), and no code only an approved item carries asked for
    (a warning: named only to say it is no part of the appeal)."""
    out: list[ValidationFinding] = []
    items = analysis.items
    for item in items:
        if not item.open:
            continue
        missing = [c for c in item.codes if _code_end(text, c) is None]
        if (
            not item.codes
            and item.label
            and not re.search(rf"\bItem {re.escape(item.label)}\b", text)
        ):
            missing = [f"Item {item.label}"]
        out += [
            finding(
                FindingCode.REQUEST_MISSING_CODE,
                f"The Request does not name {what}, which the notice denied.",
                excerpt=what,
            )
            for what in missing
        ]
    open_codes = {c for item in items if item.open for c in item.codes}
    approved = {c for item in items if not item.open for c in item.codes} - open_codes
    asking = " ".join(s for s in split_sentences(text, flatten=True) if not _NOT_ASKED_RE.search(s))
    out += [
        finding(
            FindingCode.REQUEST_APPROVED_CODE,
            f"The Request asks for code {code}, which the notice approved: ask only for what it "
            "denied.",
            severity=Severity.warning,
            excerpt=code,
        )
        for code in sorted(approved)
        if _code_end(asking, code) is not None
    ]
    return out
