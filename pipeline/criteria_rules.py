"""The offline engine's reading of a denial letter's prose: denial categories and cited criteria.

The letter is cut into zones: the payer's stated reason (weighted up), neutral text, and
appeal-rights boilerplate (weighted down, and never a source of criteria). Categories come from
weighted phrase patterns; criteria from lists under a criteria lead-in, 'Criterion | Not met'
table rows, and prose sentences that state a requirement and say it was not met.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cache, cached_property
from itertools import pairwise, takewhile

from docutils.parsers.rst.tableparser import GridTableParser, TableMarkupError
from docutils.statemachine import StringList

from . import general_reading
from .injection import Span, injected_spans, mask_injections, paragraph_texts
from .labelled_criteria import LabelledItem, label_shape, read_labelled
from .models import (
    Criterion,
    DenialCategory,
    DenialLetter,
    PayerStatus,
    RequirementKind,
    RulesReading,
)
from .payer_findings import (
    Finding,
    finding_block,
    finding_reason,
    is_narrative,
    is_status_only,
    lacks_in,
    met_route,
    note_finding,
    opens_records_reviewed,
    part_findings,
    split_finding,
    status_from_narrative,
    status_of,
)
from .prefilter import Prefiltered, fold
from .prose_fallback import prose_points
from .reasoning.specs import says, specs
from .reasoning.strategy import concession_spec
from .requirement_tree import requirement_tree
from .requirements import NEEDED_RE, ONE_OF_HEAD_RE, needed, paren_depths, parse_requirements
from .text import literal
from .text.applied import not_applied
from .text.clocks import DECISION_CLOCK_RE
from .text.literal import finditer as spans_of
from .text.pages import fold_page_breaks
from .text.sentences import split_sentences
from .text.tables import ColumnTable, column_table, joined, logical_rows
from .text.tokens import stem

# --------------------------------------------------------------------------- zones


class Zone(float, Enum):
    """How much a phrase counts, by where it stands in the letter."""

    reason = 3.0
    neutral = 1.0
    boilerplate = 0.1


_STRONG_REASON_HEADING_RE = re.compile(
    r"\b(?:reasons?|why|rationale|basis for|explanation|criteria|clinical (?:review|summary|"
    r"findings|information)|what we decided|our decision)\b",
    re.IGNORECASE,
)
_BOILERPLATE_HEADING_RE = re.compile(
    r"\b(?:appeals?|rights?|disagree|how to|contact|questions?|help|assistance|external review|"
    r"fair hearing|enclosures?|attachments?|non-?discrimination|language|representative|"
    r"important information|what (?:you|to) (?:can )?do|next steps|if you|copies|cc)\b",
    re.IGNORECASE,
)
_WEAK_REASON_HEADING_RE = re.compile(
    # 'EXHIBIT 1 - SUR-040 BARIATRIC SURGERY REQUIREMENTS': a policy's requirements printed
    # after the signature
    r"\b(?:decision|determination|denial|summary|requirements)\b",
    re.IGNORECASE,
)
_REASON_TEXT_RE = re.compile(
    r"\b(?:because|reasons? for|the reason|we (?:have )?denied|(?:was|is|has been|are|were) "
    r"(?:denied|not approved)|(?:cannot|can't|could not|unable to) (?:approve|cover)|"
    r"(?:does|do|did) not meet|not met|not medically necessary)\b",
    re.IGNORECASE,
)
_BOILERPLATE_TEXT_RE = re.compile(
    r"\b(?:you (?:or your [\w ]{1,30})?(?:may|can|have the right to|must|should) (?:also )?"
    r"(?:file|request|ask|appeal|submit|call|contact|send)|right to (?:appeal|request|file)|"
    r"how to appeal|to (?:file|request|start) (?:an |a )?(?:appeal|review|grievance)|"
    r"external review|fair hearing|independent review|TTY|TDD|non-?discrimination|"
    r"language assistance|free of charge|"
    r"toll[- ]free|ombudsman|Department of (?:Insurance|Labor|Managed Health Care))\b",
    re.IGNORECASE,
)
_UNIT_WORD = (
    r"(?:mm|cm|m|kg|g|mg|mcg|ml|mL|L|%|percent|days?|weeks?|months?|years?|hours?|units?|"
    r"grams?|points?|degrees?|times|x)\b"
)
"""A unit after a number: the number is a measure, not an outline label ('4.5 mm')."""
_LIST_MARKER_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>(?:"
    # an outline's own labels ('3.2.1', '4.1.', 'I.C', 'III.B.2', 'II.a.', 'A1.', 'B.15.b.', 'C.1'),
    # never a measure ('4.5 mm or greater')
    rf"(?:\d{{1,2}}(?:\.\d{{1,2}}){{1,3}}\.?(?![ \t]+{_UNIT_WORD})|"
    r"[IVX]{1,4}\.[A-Za-z](?:\.\d{1,2})*\.?|"
    # a roman section's numbered criteria ('II.1', 'II.4.a')
    r"[IVX]{1,4}\.\d{1,2}(?:\.[a-z\d]{1,2})*\.?|"
    r"[A-H]\d{1,2}[.)]|[A-H]\.\d{1,2}\.[a-z][.)]?|[A-H]\.\d{1,2}\.?|"
    # a dimension's numbered criteria ('II-1', 'IV-2', 'B-3')
    r"(?:[IVX]{1,4}|[A-H])-\d{1,2}\.?)(?=[ \t])|"
    r"\(?\d{1,2}[.)]|\(?[a-zA-Z][.)]|\(?[ivxIVX]{1,4}[.)]|"
    r"Q\d{1,2}[.:)]|"  # a questionnaire's 'Q1.'"
    r"[•·▪◦●○■□☐☒✗✘✓✔✖❌✅☑?\-*–]|"
    # "Criterion 2:", "Criterion I.A.1 -", "Requirement #3:"
    r"(?:Criterion|Requirement|CRITERION|REQUIREMENT)\s+(?:#\s*)?(?:\d[\w.()\-]{0,10}|"
    r"[IVX]{1,4}(?:\.[\w.()\-]{0,8})?|[A-H](?:\.[\w.()\-]{0,8})?)\s*[:\-–—.]|"
    # 'CG-REHAB-04, Section B.1: "quoted criterion"' (a label with a number in it)
    r"[A-Z](?=[^\"“:\n]*\d)[^\"“:\n]{0,58}:(?=[ \t]+[\"“]))[ \t]+)"
    # a legend of the marks ('✔ = criterion met   ✘ = not met') is no item
    r"(?P<body>[^\s=]\S*(?:\s.*)?)$"
)
_MARK_STATUS: dict[str, PayerStatus] = {
    **dict.fromkeys("✓✔☑✅", "met"),
    **dict.fromkeys("✗✘✖❌", "not_met"),
    "?": "not_documented",
}
"""The payer's status an item's own mark gives it ('✔ Urge incontinence ...', '? A voiding
diary ...': information not received)."""


@dataclass(frozen=True)
class Block:
    """A paragraph or list between blank lines, with its zone and heading. A table is read
    once, here: its rows (header first, each cell whole however it wrapped) and the index of its
    first line in ``text``; a space-aligned table whose rows are parted by blank lines is one
    block."""

    start: int
    text: str
    zone: Zone
    heading: str
    rows: tuple[tuple[str, ...], ...] | None = None
    table_line: int = 0


def _is_heading(line: str) -> bool:
    """Short line that reads as a heading: '#', ALL CAPS, or ending in ':' or '?'."""
    stripped = line.strip().strip("*_ ")
    if not stripped or len(stripped) > 80 or _LIST_MARKER_RE.match(line):
        return False
    letters = [ch for ch in stripped if ch.isalpha()]
    return (
        line.lstrip().startswith("#")
        or (len(letters) >= 3 and all(ch.isupper() for ch in letters))
        or (stripped.endswith((":", "?")) and len(stripped.split()) <= 10)
    )


def heading_zone(heading: str) -> Zone | None:
    """Reason, boilerplate, or None (neutral: inherit the zone in force)."""
    if _STRONG_REASON_HEADING_RE.search(heading):
        return Zone.reason
    if _BOILERPLATE_HEADING_RE.search(heading):
        return Zone.boilerplate
    if _WEAK_REASON_HEADING_RE.search(heading):
        return Zone.reason
    return None


def blocks(text: str) -> tuple[Block, ...]:
    """The letter's paragraphs with the zone each stands in (:attr:`Reading.blocks` reads a
    letter's once)."""
    result: list[Block] = []
    heading_zone_now: Zone | None = None
    heading = ""
    table_end = -1
    for start, paragraph in _with_sub_lists(paragraph_texts(text)):
        if start < table_end:
            continue  # a row of the space-aligned table above, parted from it by a blank line
        first = paragraph.split("\n", 1)[0]
        if _is_heading(first):
            heading = first.strip()
            heading_zone_now = heading_zone(heading) or heading_zone_now
        table = column_table(text[start:], _heads_table, within=paragraph.count("\n") + 1)
        if table is not None:
            # the table may run on past this paragraph (rows parted by blank lines)
            table_end = start + len("\n".join(text[start:].split("\n")[: table.end]))
            paragraph = text[start : max(table_end, start + len(paragraph))]
        rows, line = _read_table(paragraph, table)
        zone = _zone(paragraph, heading_zone_now)
        result.append(Block(start, paragraph, zone, heading, rows, line))
    return tuple(result)


def _with_sub_lists(paragraphs: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """The paragraphs, each cut where a heading line that leads a list of its own follows a
    list item ('1. ...', '2. ...', then 'Additional Requirements:' over '(A) ...', '(B) ...'):
    the second list is read with its own lead-in, not as more items of the first."""
    for start, paragraph in paragraphs:
        lines = paragraph.split("\n")
        markers = _markers(paragraph)
        cut_from, offset = 0, 0
        first = next((m for m in markers if m is not None), None)
        for i, line in enumerate(lines):
            if (
                0 < i < len(lines) - 1
                and markers[i] is None
                and markers[i + 1] is not None
                and first is not None
                and any(markers[:i])
                # at the items' margin or left of it (not a wrapped line of an item)
                and len(line) - len(line.lstrip()) <= len(first["indent"])
                and _is_heading(line)
                and line.strip().endswith(":")
            ):
                piece = "\n".join(lines[cut_from:i])
                yield start + offset, piece
                offset += len(piece) + 1
                cut_from = i
        yield start + offset, "\n".join(lines[cut_from:])


def _zone(paragraph: str, heading_zone_now: Zone | None) -> Zone:
    if not_applied(paragraph):  # a rule named only to say it was not used
        return Zone.boilerplate
    if heading_zone_now is not None:
        return heading_zone_now
    reason = bool(_REASON_TEXT_RE.search(paragraph))
    boilerplate = bool(_BOILERPLATE_TEXT_RE.search(paragraph))
    if reason and not boilerplate:
        return Zone.reason
    if boilerplate and not reason:
        return Zone.boilerplate
    return Zone.neutral


# --------------------------------------------------------------------------- categories

C = DenialCategory


@cache
def _category_res() -> dict[DenialCategory, list[tuple[Prefiltered, float]]]:
    """Per category, from its spec (``reasoning/specs/<category>.yaml``, ``phrases``): each
    phrase (with the words it needs, ``pipeline.prefilter``) and its weight."""
    return {
        category: [
            (Prefiltered.compile(rf"\b{p.pattern}", re.IGNORECASE), p.weight) for p in spec.phrases
        ]
        for category, spec in sorted(specs().items(), key=lambda cs: cs[1].precedence)
    }


_MIN_CATEGORY_SCORE = 1.5
_PRIMARY_SPECIFIC_SCORE = 3.0
_MEDICAL_NECESSITY_RE = re.compile(r"medical(?:ly)? necess", re.IGNORECASE)


def category_scores(letter: DenialLetter | Reading | str) -> dict[DenialCategory, float]:
    """Per category: the sum over its phrases of weight x the best zone the phrase occurs in
    (read without the letter's injected parts)."""
    read = reading(letter)
    zoned = read.blocks
    folded = fold(read.masked)
    scores: dict[DenialCategory, float] = {}
    for category, phrases in _category_res().items():
        score = 0.0
        for phrase, weight in phrases:
            if not phrase.may_match(folded):  # most phrases occur nowhere: no per-block scan
                continue
            zones = [b.zone.value for b in zoned if phrase.regex.search(b.text)]
            score += weight * max(zones, default=0.0)
        scores[category] = score
    return scores


_COVERAGE_REQUEST_RE = re.compile(
    r"\b(?:deni(?:ed|al)|requested|authori[sz]ation|coverage|adverse benefit)\b", re.IGNORECASE
)


def find_categories(letter: DenialLetter | Reading | str) -> list[DenialCategory]:
    """Denial categories, primary (the payer's stated reason) first. Like the criteria, they are
    read from the letter without its injected parts (``pipeline.injection``)."""
    read = reading(letter)
    text = read.masked
    scores = category_scores(read)
    ranked = sorted(
        (c for c, s in scores.items() if s >= _MIN_CATEGORY_SCORE), key=lambda c: -scores[c]
    )
    if not ranked:
        # A denial that states no ground is, for an appeal, a medical-necessity dispute: the
        # most common kind, and the one a Letter of Medical Necessity answers.
        stated = _MEDICAL_NECESSITY_RE.search(text) or _COVERAGE_REQUEST_RE.search(text)
        return [C.not_medically_necessary] if stated else []
    specific = [c for c in ranked if c != C.not_medically_necessary]
    # "Not medically necessary" is the umbrella: a specific reason the letter states leads.
    if specific and scores[specific[0]] >= _PRIMARY_SPECIFIC_SCORE:
        return [specific[0], *[c for c in ranked if c != specific[0]]]
    return ranked


# --------------------------------------------------------------------------- guideline sources

# A title after a guideline name or id: capitalized words, digits, short (parentheticals),
# possibly wrapped onto the next line; it ends at punctuation or a lower-case word.
_TITLE_STOP = (
    r"(?!(?:The|This|These|Your|You|We|Our|It|A|An|In|On|For|If|To|And|Or|But|Per|As|At|By|"
    r"Of|With|Based|Under)\b)"
)
_TITLE_TOKEN = (
    rf"(?:[ \t]+|[ \t]*\n[ \t]*){_TITLE_STOP}(?:\([^()\n]{{1,25}}\)|[A-Z0-9&][^\s.;,()]*)"
)
_TITLE = rf"(?:{_TITLE_TOKEN}){{0,10}}"
_MARK = r"(?:®|™|\((?:R|TM)\))?"
_POLICY_ID = r"(?=[\w.\-]*\d)[A-Z0-9][A-Z0-9.\-]*[A-Z0-9]"
# a name may wrap onto the next line ('National Coverage\nDetermination (NCD) 20.34')
_SOURCE_RES = [
    re.compile(p)
    for p in (
        rf"(?:InterQual|MCG|Milliman\s+Care\s+Guidelines|Hayes|ASAM|LOCUS|CALOCUS){_MARK}{_TITLE}",
        r"(?:(?i:clinical|medical|coverage|payment|pharmacy|reimbursement|drug|step therapy|"
        r"prior authorization)\s+){0,2}"
        rf"(?i:policy|guideline|bulletin)(?:\s+(?:#|No\.?|Number))?\s*:?\s*{_POLICY_ID}"
        rf"(?:[ \t]*[:\-–—])?{_TITLE}",
        # 'Clinical Coverage Criteria CC-CV-114' (an id with a letter: not 'criteria 12')
        r"(?:(?i:clinical|medical|coverage|utilization)\s+){0,2}(?i:criteria)\s+(?:#\s*)?"
        rf"(?=[\w.\-]*[A-Z]){_POLICY_ID}(?:[ \t]*[:\-–—])?{_TITLE}",
        rf"(?:Local\s+Coverage\s+Determination|LCD)(?:\s*\(LCD\))?\s*(?:#|No\.?)?\s*:?\s*\(?L\d{{5}}\)?"
        rf"(?:[ \t]*[:\-–—,]?{_TITLE})?",
        rf"(?:National\s+Coverage\s+Determination|NCD)(?:\s*\(NCD\))?\s*(?:#|No\.?)?\s*:?\s*"
        rf"\(?\d{{2,3}}(?:\.\d{{1,3}})+\)?(?:[ \t]*[:\-–—,]?{_TITLE})?",
    )
]
_SOURCE_WINDOW = 1500


def find_sources(text: str) -> list[tuple[int, str]]:
    """(offset, verbatim reference) for each guideline / policy the letter cites."""
    hits = {
        m.start(): " ".join(m.group(0).split()).rstrip(":-–—, ")
        for regex in _SOURCE_RES
        for m in regex.finditer(text)
    }
    return sorted((start, src) for start, src in hits.items() if len(src) > 3)


_OTHER_SOURCE_RE = re.compile(
    r"\b(?:alternatives?|prefer(?:s|red)?|instead|in place of|such as)\b", re.IGNORECASE
)
"""Words before a policy in its sentence that make it another drug's or service's ('covered
alternatives ... (Pharmacy Policy PH-330)', 'Your plan prefers methotrexate first (Pharmacy
Policy PP-101)'), not the policy the notice applied."""
_SENTENCE_START_RE = re.compile(r"[.!?:]\s|\n\s*\n|\n[-*•]")


def applied_sources(text: str, sources: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The sources the notice applied: those whose sentence, before them, does not name them as
    another drug's or service's (:data:`_OTHER_SOURCE_RE`); all of them when none is left."""
    kept = []
    for start, src in sources:
        opens = [m.end() for m in _SENTENCE_START_RE.finditer(text, 0, start)]
        before = text[opens[-1] if opens else 0 : start]
        if not _OTHER_SOURCE_RE.search(before):
            kept.append((start, src))
    return kept or sources


def _source_for(position: int, lead_in: str, sources: list[tuple[int, str]]) -> str | None:
    """The reference a criterion at ``position`` is attributed to."""
    lead_in = " ".join(lead_in.split())
    # the one named nearest the criteria ('... under Policy A. Criteria not met (see Policy B):')
    for _, src in reversed(sources):
        if src in lead_in:
            return src
    before = [
        (start, src) for start, src in sources if position - _SOURCE_WINDOW <= start < position
    ]
    if before:
        return before[-1][1]
    distinct = {src for _, src in sources}
    return sources[0][1] if len(distinct) == 1 else None


# --------------------------------------------------------------------------- criteria: lists

_CRITERIA_LEAD_IN_RE = re.compile(
    r"criteri(?:a|on)|not met|\brequire[sd]?\b|requirements?|must (?:meet|have|be|show|document|"
    r"include)|all of the following|one of the following|(?:does|do|did) not (?:show|document|"
    r"demonstrate|indicate|meet|include|support|establish)|no (?:documentation|evidence)|"
    r"not (?:documented|demonstrated|shown|provided)|missing|following (?:was|were|is|are) not|"
    r"(?:we|the reviewer) did not (?:find|see|receive)|lacks?|needs? to|did not satisfy|"
    r"not satisfied|only (?:when|if)\b|\b(?:when|if)\s*(?:the (?:member|patient|beneficiary)"
    r"(?:'s)?\s*)?:|(?:covere?[sd]?|indicated|appropriate|approved|necessary|allowed)\b[^.]{0,80}"
    r"\b(?:when|if)\b|(?:these|the following) are (?:true|met)|as follows\s*:|policy'?s? criteria|"
    r"\blists? (?:these|the following) (?:conditions|indications)\b|"
    r"\b(?:at least )?(?:one|all|any) of (?:them|these) must\b|"
    r"\bcoverage\s+(?:conditions|requirements|criteria)\b|\bconditions\s+(?:of|for)\s+coverage\b|"
    r"\b(?:against|under|with)\s+(?:these|the\s+following)\s+(?:conditions|standards)\b",
    re.IGNORECASE,
)
_MET_LEAD_IN_RE = re.compile(
    r"\b(?:were|was|are|is|have been|has been)\s+met\b|criteria met\b", re.IGNORECASE
)
_CONDITION_LEAD_IN_RE = re.compile(
    r"\b(?:when|if|unless|provided|must|only|requires?|required)\b|"
    r"\b(?:all|each|any|one|both)\s+of\s+the\s+following\b",
    re.IGNORECASE,
)
"""A lead-in stating the rule ('covered when ALL of the following are met:'), not a status."""
_BOILERPLATE_LEAD_IN_RE = re.compile(
    r"appeal|your rights|contact|call\b|enclos|attach|send|mail|fax|write to|"
    r"you (?:may|can|should)|how to|questions|representative|copies|TTY|please include|"
    r"include the following",
    re.IGNORECASE,
)
_NEXT_REQUEST_RE = re.compile(
    r"\b(?:new|future|next|another)\s+(?:[\w-]+\s+){0,2}?requests?\b|"
    r"\b(?:to\s+ask|when\s+you\s+(?:ask|request)|if\s+you\s+(?:ask|request))\s+for\s+"
    r"(?:more|additional|further|[\w-]+\s+(?:after|beyond))\b",
    re.IGNORECASE,
)
"""A lead-in about a later request ('To ask for DBT after that date, the provider must send a
new continued-service request', 'When you request more days'): what it lists is a checklist
for that request, never the criteria this notice decided on."""
_SEND_RE = re.compile(r"\b(?:send|submit|include|provide|attach)\b", re.IGNORECASE)
_DECIDED_RE = re.compile(
    r"\bnot\s+(?:documented|satisfied|provided|received|submitted|shown)\b|\bappeal\b",
    re.IGNORECASE,
)
"""A paragraph about this decision (what was not documented, an appeal), not a later request."""


_INITIAL_LEAD_IN_RE = re.compile(
    r"^\W*(?:for\s+(?:an?\s+)?)?initial\s+(?:authori[sz]ation|approval|therapy|treatment|request|"
    r"criteria|coverage)\b",
    re.IGNORECASE,
)
"""The lead-in of a policy's initial criteria ('INITIAL AUTHORIZATION (12 months) - all of the
following:')."""
_RENEWAL_LEAD_IN_RE = re.compile(
    r"^\W*(?:for\s+(?:an?\s+)?)?(?:renewal|re-?authori[sz]ation|continuation|continued\s+"
    r"(?:therapy|authori[sz]ation|coverage))\b",
    re.IGNORECASE,
)
_RENEWAL_REQUEST_RE = re.compile(
    r"\b(?:(?:this|the|your)\s+(?:is\s+a\s+)?(?:renewal|re-?authori[sz]ation|continuation)\s+"
    r"(?:request|of\s+therapy)|request(?:\s+type)?\s*:\s*(?:renewal|re-?authori[sz]ation|"
    r"continuation))\b",
    re.IGNORECASE,
)


def _renewal_request(zoned: Sequence[Block]) -> bool:
    """True when the notice decides a renewal ('This is a renewal request', 'Request: RENEWAL
    of ...') and prints the policy's renewal criteria as a list of their own beside the
    initial ones."""
    texts = [" ".join(block.text.split()) for block in zoned]
    return any(_RENEWAL_REQUEST_RE.search(t) for t in texts) and any(
        _RENEWAL_LEAD_IN_RE.match(_lead_in(i, zoned)) for i in range(len(zoned))
    )


def _next_request_list(lead_in: str, before: str) -> bool:
    """True when a list's lead-in asks for what a later request must send ('To ask for DBT
    after that date, the provider must send a new continued-service request ... The request
    must include:'); ``before``: the paragraph before the list, read whole when the lead-in is
    its last sentence."""
    flat = " ".join(before.split())
    context = flat if lead_in and lead_in in flat else lead_in
    if _REASON_TEXT_RE.search(context) or _DECIDED_RE.search(context):
        return False  # 'The criteria below were not documented. Send an appeal or a new request'
    return bool(_NEXT_REQUEST_RE.search(context) and _SEND_RE.search(lead_in))


_BOILERPLATE_ITEM_RE = re.compile(
    r"\b(?:appeal|call|phone|fax|TTY|mail to|P\.?O\.? Box|www\.|https?://|@)", re.IGNORECASE
)
_STATUS_NOT_MET_RE = re.compile(
    r"^(?:not met|unmet|no|not documented|not demonstrated|not satisfied|not present|"
    r"partially(?: met)?|[✗✘☐x])$",
    re.IGNORECASE,
)
_STATUS_MET_RE = re.compile(r"^(?:met|yes|satisfied|documented|[✓✔☑☒])$", re.IGNORECASE)
_TRAILING_NOT_MET_RE = re.compile(
    r"^(?P<c>.*?\S)\s*(?:[:\-–—]\s*|\s{2,})\(?(?:not met|unmet|criterion not met)\)?\.?$",
    re.IGNORECASE,
)
# A verdict after the criterion: '"..." --> Not met. Because ...', '... - Met', '...: NOT MET'.
_STATUS_RE = re.compile(
    r"(?:(?<=[\"”])\s*(?:-+>|→|[:\-–—])?|\s*(?:-+>|→)|\s+[:\-–—]|:)\s*\(?"
    r"(?P<status>not met|unmet|met)\b\)?(?:[.:;,)]|\s*$)",
    re.IGNORECASE,
)
_CODE_ITEM_RE = re.compile(
    # 'Requested: CPT 27447 ...', 'Service: 63650 ...': the request's line, never a criterion
    r"(?i:(?:requested|request|services?|procedures?|drug|medication|items?|codes?|billed)"
    r"(?:\s+(?:services?|codes?|procedures?))?\s*[:\-–—]\s*)?"
    r"(?:(?:CPT|HCPCS|ICD-?10(?:-CM)?|Code)\s*[:#]?\s*)?(?:\d{5}|\d{4}[FTU]|[A-HJ-NP-V]\d{4}|"
    r"[A-TV-Z]\d[0-9A-Z]\.[0-9A-Z]{1,4})\b"
)
_LEADING_NOT_MET_RE = re.compile(
    r"^(?:criteri(?:on|a) not met|not met|unmet criteri(?:on|a))\s*[:\-–—]\s*(?P<c>\S.*)$",
    re.IGNORECASE,
)
_QUOTES = "\"'“”‘’"


_LABELLED_ITEM_RE = re.compile(
    r"^[ \t]*(?:Criterion|Requirement|CRITERION|REQUIREMENT)\s+#?\s*\w", re.M
)


@dataclass
class _Item:
    """One list item: its indent and body lines (continuations joined later)."""

    indent: int
    start: int
    lines: list[str]
    mark: str = ""
    """The item's marker when it is a status mark ('✔', '✘', '?'), else empty."""

    @property
    def text(self) -> str:
        """The item's words; a status in parentheses that closes a line above the item's
        sub-items ('shown by either: (Met)' then 'o BSA of 10% or more') is read at its end,
        so the sub-items stay in the criterion."""
        lines = list(self.lines)
        for i, line in enumerate(lines[:-1]):
            if (status := _PAREN_STATUS_END_RE.search(line)) and _SUB_ITEM_RE.match(lines[i + 1]):
                lines[i] = line[: status.start()]
                lines.append(status.group().strip())
                break
        return re.sub(r"\s+", " ", _CHECKBOX_ANSWER_RE.sub(" ", " ".join(lines))).strip()

    def own_and_note(self) -> tuple[str, str | None]:
        """The item's words, and the payer's note on the lines after them: a line wholly in
        parentheses after a sentence's end ('(CT 08/19/2026: Haller index 4.6)') or led by an
        arrow ('-> 0 of 5 documented')."""
        for i, line in enumerate(self.lines[1:], 1):
            note = line.strip()
            ended = self.lines[i - 1].rstrip().endswith((".", ":", ";"))
            if (ended and note.startswith("(") and note.endswith(")")) or note.startswith(
                ("->", "→")
            ):
                own = re.sub(r"\s+", " ", " ".join(self.lines[:i])).strip()
                rest = " ".join(" ".join(self.lines[i:]).split())
                return own, rest.strip("()->→ ") or None
        # '... documented by the treating physician. (Office note 10/28/2026)'
        if tail := re.match(r"^(?P<own>.*\.)\s*\((?P<note>[^()]{3,200})\)$", self.text):
            return tail["own"], tail["note"]
        return self.text, None

    @property
    def answer(self) -> PayerStatus | None:
        """The status ticked in the item's own checkboxes ('[X] Yes  [ ] No' beside its first
        line: met), if it has them."""
        match = _CHECKBOX_ANSWER_RE.search(" ".join(self.lines))
        return _ticked(match.group()) if match else None


def _ticked(answers: str) -> PayerStatus | None:
    """The status of the one box ticked among answer checkboxes, if one is."""
    ticked = [b["label"] for b in _CHECKBOX_RE.finditer(answers) if b["tick"]]
    return status_of(ticked[0]) if len(ticked) == 1 else None


_CHECKBOX_RE = re.compile(
    r"\[\s*(?P<tick>[xX✓✔])?\s*\]\s*(?P<label>yes|no|not\s+met|met|not\s+documented)\b",
    re.IGNORECASE,
)
_CHECKBOX_ANSWER_RE = re.compile(rf"[ \t]*(?:{_CHECKBOX_RE.pattern}[ \t]*){{2,}}", re.IGNORECASE)
"""A row of answer checkboxes ('[X] Yes  [ ] No'), the payer's finding on the item beside it."""


_STATUS_CONTINUES_RE = re.compile(
    r"^[-–—]+\s*(?:not\s+met|partially\s+met|not\s+documented|met)\b", re.IGNORECASE
)
"""A line that goes on with the item's finding ('- NOT MET. We received ...'), not a sub-item."""


def _grouped_sub_items(item: _Item) -> tuple[str, list[str]] | None:
    """The sub-items of an item that only names their group ('Hospital infrastructure:' over
    'o On-site heart valve surgery ... - MET', 'o ... - NOT MET'), each with its wrapped lines
    and its finding, when every one of them carries the payer's finding; else None (a
    criterion whose sub-items are its own parts, 'defined as: o BMI >= 40, OR ...')."""
    subs: list[str] = []
    own: list[str] = []
    for line in item.lines:
        opens = _SUB_ITEM_RE.match(line) and not _STATUS_CONTINUES_RE.match(line)
        if opens:
            subs.append(_SUB_ITEM_RE.sub("", line, count=1))
        elif subs:
            subs[-1] += " " + line
        else:
            own.append(line)
    heading = " ".join(own).strip()
    if not subs or not heading.endswith(":") or len(heading.split()) > 12:
        return None
    if not all(split_finding(sub).status is not None for sub in subs):
        return None
    return heading, subs


_PAREN_STATUS = r"\(\s*(?:not\s+met|unmet|partially\s+met|not\s+documented|met|satisfied)\s*\.?\)"
_SUB_MARKER = r"(?:[o•·▪◦●○■□\-*–]|\(?(?:[a-z]|\d{1,2}|[ivx]{1,4})[.)])"
_SUB_ITEM_RE = re.compile(rf"\s*{_SUB_MARKER}\s")
_PAREN_STATUS_LINE_RE = re.compile(
    rf"[ \t]*{_PAREN_STATUS}[ \t]*\n(?=[ \t]*{_SUB_MARKER}[ \t])", re.IGNORECASE
)
_PAREN_STATUS_END_RE = re.compile(rf"\s*{_PAREN_STATUS}\s*$", re.IGNORECASE)
"""A status in parentheses closing an item's line above its sub-items ('either: (Met)')."""


def _clean(text: str) -> str:
    """The criterion's own words: no list marker, checkbox, section label ('SP-6.1(a)'),
    surrounding quotes or closing punctuation; a quotation that is most of an item is taken
    without the label before it or the comment after it."""
    text = re.sub(r"\s+", " ", text).strip()
    quoted = _QUOTED_RE.search(text)
    if quoted and len(quoted["q"]) >= 0.5 * len(text):
        text = quoted["q"]
    text = re.sub(r"^(?:[☐☒✗✘•\-*]\s*)+", "", text)
    text = _ORDINAL_OPENER_RE.sub("", text, count=1)  # 'Second, the member must ...'
    if not _LABEL_OPENS_RE.match(text):  # a label the criterion opens with is read, not dropped
        text = re.sub(r"^\((?:\d{1,2}|[a-h])\)\s+", "", text)

    if not _LABEL_OPENS_RE.match(text):  # an outline's label ('A1.', '4.1') is kept to be read
        text = _SECTION_LABEL_RE.sub("", text)
    text = re.sub(r"[;,]?\s*(?:and|or)$", "", text, flags=re.IGNORECASE).strip()
    return text.strip(_QUOTES + " ").rstrip(";.,").strip()


_QUOTED_RE = re.compile(r"[\"“](?P<q>[^\"”]{15,})[\"”]")
_SECTION_LABEL_RE = re.compile(
    r"^(?=[\w.\-()]*\d)[A-Z]{1,5}-?\d[\w.\-]*(?:\([a-z0-9]{1,3}\))?\s+(?=[A-Z])"
)


def _markers(text: str) -> list[re.Match[str] | None]:
    """Per line: its list-marker match, unless the line is inside an open quotation."""
    result: list[re.Match[str] | None] = []
    quotes = 0
    for line in text.split("\n"):
        match = _LIST_MARKER_RE.match(line) if quotes % 2 == 0 else None
        if match and _WRAPPED_REFERENCE_RE.match(match["body"]):
            match = None  # '... because criteria\n(2) and (3) are not met': a wrapped reference
        result.append(match)
        quotes += line.count('"') + line.count("“") + line.count("”")
    return result


_WRAPPED_REFERENCE_RE = re.compile(
    r"(?:(?:,\s*)?(?:and|or|through|to)\s+(?:\(?\w{1,3}\)|[A-H]\.\d{1,2}\b)|"
    r"(?:are|is|were|was)\s+(?:also\s+)?(?:not\s+)?(?:met|documented|satisfied)\b)",
    re.IGNORECASE,
)


def _list_items(block: Block) -> list[_Item]:
    """Top-level list items of a block; deeper items and wrapped lines stay in their parent."""
    return _list_items_and_tail(block)[0]


def _list_items_and_tail(block: Block) -> tuple[list[_Item], str]:
    """The block's top-level list items, and the text after the list: lines indented less than
    the items' markers (the payer's narrative under an indented list) end it."""
    items: list[_Item] = []
    offset = block.start
    lines = block.text.split("\n")
    for number, (line, match) in enumerate(zip(lines, _markers(block.text), strict=True)):
        indent = len(match["indent"]) if match else None
        top = items[0].indent if items else None
        if match and (top is None or (indent is not None and indent <= top)):
            mark = match["marker"].strip() if match["marker"].strip() in _MARK_STATUS else ""
            items.append(
                _Item(len(match["indent"]), offset + match.start("body"), [match["body"]], mark)
            )
        elif (
            items
            and top
            and line.strip()
            and len(line) - len(line.lstrip()) < top
            and not _HYPHEN_CUT_RE.search(items[-1].lines[-1] + "\n" + line)
        ):
            return items, "\n".join(lines[number:])
        elif items and _starts_tail(items[-1].lines[-1], line, items[-1].indent):
            # an unindented sentence after an item that ended one: the payer's narrative
            return items, "\n".join(lines[number:])
        elif items:
            items[-1].lines.append(line.strip())
        offset += len(line) + 1
    return items, ""


_HYPHEN_CUT_RE = re.compile(r"[A-Za-z]-\n[ \t]*[a-z]")
"""A word hyphenated over a line break whose second half a scan left at the margin ('real-ear
measure-' then ' ment.'): the item goes on, whatever the indent."""


def _starts_tail(previous: str, line: str, indent: int) -> bool:
    """True when ``line`` is not a wrapped part of the item above it but a new sentence at the
    margin: the item's last line ended a sentence, and this one starts a capitalized word at
    the items' own indent or less ('- ... exercise ECG.' then 'Documentation supports ...')."""
    return (
        previous.rstrip().endswith(".")
        and len(line) - len(line.lstrip()) <= indent
        and bool(re.match(r"[ \t]*[A-Z][a-z]+\b", line))
        and not _is_heading(line)
        and not _STATUS_LEAD_RE.match(line)
        and (is_narrative(line) or status_from_narrative(line) is not None)
    )


_STATUS_LEAD_RE = re.compile(
    r"[ \t]*(?:(?:status|finding|result|determination|outcome|review)\s*[:\-–—]|"
    r"(?:not\s+met|unmet|met|not\s+documented|not\s+provided|satisfied)\b)",
    re.IGNORECASE,
)


def _lead_in(block_index: int, zoned: Sequence[Block]) -> str:
    """The text introducing a list: the lines above its first item, else the last sentence of
    the nearest block before it that is not itself part of the list (items may be spaced, and
    a table or excerpt may stand between two of them: 'II. ...', 'Table 1 - ...', 'III. ...').
    A paragraph only about where the findings stand ('Reviewer notes appear in [brackets]
    after each section.') is read with the paragraph before it."""
    layout: list[str] = []
    for index in range(block_index, -1, -1):
        lines = zoned[index].text.split("\n")
        first_item = next((i for i, m in enumerate(_markers(zoned[index].text)) if m), None)
        if first_item is None:
            sentences = split_sentences(zoned[index].text, flatten=True)
            if index < block_index and _interlude(index, zoned):
                continue
            if index and not layout and sentences and all(map(_about_findings, sentences)):
                layout = sentences
                continue
            return _closing_lead_in([*sentences, *layout])
        if own := "\n".join(lines[:first_item]).strip():
            return own
    return zoned[block_index].heading


def _interlude(index: int, zoned: Sequence[Block]) -> bool:
    """True when the block at ``index`` stands inside a labelled list: the list's item before it
    and the one after it carry consecutive labels of one kind ('II.' then 'III.')."""
    if index == 0 or index + 1 >= len(zoned):
        return False
    before = [m for m in _markers(zoned[index - 1].text) if m]
    after = next((m for m in _markers(zoned[index + 1].text) if m), None)
    if not before or after is None:
        return False
    top = min(len(m["indent"]) for m in before)  # the list's own items, not their sub-items
    before = [m for m in before if len(m["indent"]) == top]
    labels = (_bare_label(before[-1]["marker"]), _bare_label(after["marker"]))
    # 'V' before 'VI' is a numeral, not the letter V, when the other label is one
    roman = any(len(label) > 1 and label.lower() in _ROMAN for label in labels)
    last, following = (
        ("roman", _ROMAN[label.lower()]) if roman and label.lower() in _ROMAN else _label_key(label)
        for label in labels
    )
    return (
        last is not None
        and following is not None
        and last[0] == following[0]
        and following[1] == last[1] + 1
    )


def _bare_label(marker: str) -> str:
    """A list marker without its punctuation ('III.' -> 'III', '(b)' -> 'b')."""
    return marker.strip().strip("().:")


_FOLLOWING_RE = re.compile(
    r"\b(?:all|any|each|one|both|none)\s+of\s+the\s+following\b|\bthe\s+following\s+"
    r"(?:criteria|requirements|conditions|guidelines|standards)\b|\bas\s+follows\b",
    re.IGNORECASE,
)


def _closing_lead_in(sentences: Sequence[str]) -> str:
    """The lead-in a paragraph gives the list after it: its last sentence, or the sentence
    that announces the list ('ALL of the following must be documented.') when one or two
    sentences only about how the list is laid out follow it ('Our reviewer's findings are shown
    in brackets after each guideline.'), from that sentence on."""
    if not sentences:
        return ""
    last = sentences[-1]
    if _CRITERIA_LEAD_IN_RE.search(last):
        return last
    for k in range(len(sentences) - 2, max(len(sentences) - 4, -1), -1):
        if _FOLLOWING_RE.search(sentences[k]) or (
            # 'These rules require ALL of the items below. Our findings:'
            _CRITERIA_LEAD_IN_RE.search(sentences[k])
            and all(_about_findings(later) for later in sentences[k + 1 :])
        ):
            return " ".join(sentences[k:])
    return last


_FINDINGS_LAYOUT_RE = re.compile(
    r"\b(?:our|the\s+reviewer'?s?|reviewer)\s+(?:findings?|determinations?|rationale|comments?|notes?)\b|"
    r"\b(?:findings?|determinations?|rationale)\s+(?:follows?|(?:is|are)\s+(?:shown|listed|below))|"
    r"\bresults?\s+of\s+(?:the|our|this)\s+review\s+(?:is|are)\s+(?:shown\s+|listed\s+)?below\b",
    re.IGNORECASE,
)


def _about_findings(sentence: str) -> bool:
    """True when a short sentence only says where the payer's findings stand ('Our findings:',
    'Our findings follow each condition.'), not what they are."""
    return len(sentence.split()) <= 12 and bool(_FINDINGS_LAYOUT_RE.search(sentence))


def _is_criteria_list(lead_in: str, block: Block) -> bool:
    """True when a list's lead-in introduces the payer's criteria (not appeal rights, not the
    preferred alternatives)."""
    if block.zone is Zone.boilerplate or _ALTERNATIVES_END_RE.search(lead_in):
        return False
    if _BOILERPLATE_LEAD_IN_RE.search(lead_in) and not re.search("criteri", lead_in, re.I):
        return False
    # A bare "Reason for denial" heading introduces the reasons themselves.
    short_reason_heading = len(lead_in.split()) <= 8 and _STRONG_REASON_HEADING_RE.search(lead_in)
    return bool(
        _CRITERIA_LEAD_IN_RE.search(lead_in)
        or _MET_LEAD_IN_RE.search(lead_in)
        or short_reason_heading
        # 'DIMENSION II - SEVERITY OF ILLNESS' over its numbered criteria, in the denial's reason
        or (block.zone is Zone.reason and DIMENSION_HEADING_RE.match(lead_in))
    )


_FIELD_LINE_RE = re.compile(
    r"^[ \t]*(?P<field>requirement|criterion|standard|finding|reviewer(?:'s)?\s+finding|status)"
    r"\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE | re.MULTILINE,
)


def _dimension_criteria(
    zoned: Sequence[Block], sources: list[tuple[int, str]]
) -> list[tuple[int, Criterion]]:
    """A concurrent review's dimensions written as fields ('Domain B - Intensity of therapy',
    then 'Requirement: ...' and 'Finding: Not met. ...' lines): each dimension a criterion
    labelled by its id, its requirement the criterion, its finding the payer's status and
    reason."""
    found: list[tuple[int, Criterion]] = []
    for block in zoned:
        first, _, body = block.text.partition("\n")
        heading = DIMENSION_HEADING_RE.match(first)
        fields = list(_FIELD_LINE_RE.finditer(body))
        if heading is None or block.zone is not Zone.reason or len(fields) != 2:
            continue
        asked, told = fields
        if asked["field"].lower().startswith(("finding", "reviewer", "status")):
            continue
        rule = " ".join(body[asked.start("rest") : told.start()].split())
        finding = split_finding(" ".join(body[told.start() :].split()))
        if not _acceptable(rule) or finding.status is None:
            continue
        at = block.start + len(first) + 1 + asked.start("rest")
        criterion = _criterion(rule, at, first, sources)
        label = re.match(r"\s*\w+\s+(\w+)", first)
        update = {
            "label": label.group(1) if label else None,
            "payer_status": finding.status,
            "payer_reason": finding.reason,
        }
        found.append((at, criterion.model_copy(update=update)))
    return found


DIMENSION_HEADING_RE = re.compile(
    r"\s*(?:dimension|domain|axis)\s+(?:[IVX]{1,4}|\d{1,2}|[A-H])\b\s*[-–—:.]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
"""A concurrent review's dimension heading ('DIMENSION II - SEVERITY OF ILLNESS', 'Domain B -
Intensity of therapy'): the criteria under it are the payer's, judged one by one."""


_REQUIRED_LABELS_RE = re.compile(
    r"\band\s+(?:the\s+)?(?:additional\s+)?(?:requirements?|criteria|criterion)\s+"
    r"(?P<labels>\(?[A-Za-z0-9]{1,3}\)?(?:\s*(?:,|and|&)\s*(?:and\s+)?\(?[A-Za-z0-9]{1,3}\)?)*)",
    re.IGNORECASE,
)


def _required_labels(lead_in: str) -> set[str | None]:
    """The labels a one-of lead-in requires beside its alternatives ('..., and the Additional
    Requirements (A) and (B) below' -> {'a', 'b'}), lower case."""
    match = _REQUIRED_LABELS_RE.search(" ".join(lead_in.split()))
    if not match:
        return set()
    return {t.lower() for t in re.findall(r"[A-Za-z0-9]{1,3}", match["labels"]) if t != "and"}


def _one_of_lead_in(lead_in: str) -> bool:
    """True when a list's lead-in says one of its items is enough ('at least ONE of the
    following indications, and the Additional Requirements (A) and (B) below'): its items are
    alternatives (the words are the strategy's, ``specs/concession``); a list led in by
    'Additional Requirements:' or 'all of the following' is not."""
    spec = concession_spec()
    return says(spec.alternatives, lead_in) and not says(spec.all_required, lead_in)


def _lead_in_status(lead_in: str) -> PayerStatus:
    """The status a list's lead-in gives its items: 'Criteria met:' -> met, else not met."""
    met = _MET_LEAD_IN_RE.search(lead_in) and not re.search(r"\bnot\b|n't\b", lead_in, re.I)
    return "met" if met and not _CONDITION_LEAD_IN_RE.search(lead_in) else "not_met"


def _list_criteria(
    zoned: Sequence[Block], sources: list[tuple[int, str]]
) -> list[tuple[int, Criterion]]:
    found: list[tuple[int, Criterion]] = []
    renewal = _renewal_request(zoned)
    for index, block in enumerate(zoned):
        items, tail = _list_items_and_tail(block)
        if not items or block.rows is not None:
            continue
        lead_in = _lead_in(index, zoned)
        if renewal and _INITIAL_LEAD_IN_RE.match(lead_in):
            continue  # a renewal is decided on the renewal criteria, not the initial ones
        if _next_request_list(lead_in, zoned[index - 1].text if index else ""):
            continue  # what to send with a later request ('The new request must include: a) ...')
        parent: _Parent | None = None
        if (inner := _sub_list(block, items, _has_siblings(index, zoned))) is not None:
            # '15. Diabetic wounds ... in patients who meet the following three criteria:' over
            # 'a. ...', 'b. ...', 'c. ...': the one item's sub-items are the criteria it leads in
            lead_in, items, parent = inner
        labelled = bool(_LABELLED_ITEM_RE.search(block.text)) and block.zone is not Zone.boilerplate
        # every item led by a status mark or carrying a finding ('Answer: No. ...'): the
        # payer's verdict on each criterion
        marked = (
            (len(items) >= 2 or all(item.mark for item in items))
            and block.zone is not Zone.boilerplate
            and all(item.mark or item.answer or split_finding(item.text).status for item in items)
        )
        if not (_is_criteria_list(lead_in, block) or labelled or marked):
            continue
        default = _lead_in_status(lead_in)
        one_of = _one_of_lead_in(lead_in)
        # 'at least ONE of the following, and the Additional Requirements (A) and (B)': the
        # items labelled (A) and (B) are required beside the alternatives, in the same list
        required = _required_labels(lead_in)
        listed: list[tuple[int, Criterion]] = []
        for item in items:
            if grouped := _grouped_sub_items(item):
                # 'Heart team evaluation:' over sub-items each with its finding: the sub-items
                # are the criteria ('o Two cardiac surgeons ... - NOT MET. We received ...'),
                # from the policy the group names, if it names one ('Criteria CC-CV-114:')
                heading, subs = grouped
                named = find_sources(heading)
                for k, sub in enumerate(subs):
                    finding = split_finding(sub)
                    text = _clean(finding.criterion)
                    if text and _acceptable(text):
                        criterion = _criterion(text, item.start + k, lead_in, sources)
                        if named:
                            criterion = criterion.model_copy(update={"source": named[0][1]})
                        if one_of:
                            criterion = criterion.model_copy(update={"alternative": True})
                        listed.append((item.start + k, _with_finding(criterion, finding, default)))
                continue
            finding = split_finding(item.text)
            if (ticked := _MARK_STATUS.get(item.mark) or item.answer) and finding.status is None:
                words, note = item.own_and_note()
                finding = Finding(split_finding(words).criterion, ticked, note or finding.reason)
            if parent is not None and finding.status is None and parent.note is not None:
                # the parent's note under its sub-items is the finding on each of them; one that
                # names the route met ('FINDING: MET (B)') is the finding on that route only
                printed = _printed_label(block.text, item.start - block.start)
                status, reason = parent.note.status, parent.note.reason
                if parent.route is not None and printed != parent.route:
                    status, reason = "not_stated", None
                # 'VI.A MET (...). VI.B NOT MET: ...': the note's own finding on this sub-item
                own = part_findings(parent.note.reason or "").get(printed or "")
                if own is not None and status != "not_stated":
                    status, reason = own.status or status, own.reason or reason
                    if status == "not_met" and own.reason and _missing_first(own.reason):
                        status = "not_documented"  # 'III.B NOT MET: no evaluation was received'

                finding = Finding(finding.criterion, status, reason)
            text = _clean(finding.criterion)
            if (
                text
                and _acceptable(text)
                and not _BOILERPLATE_ITEM_RE.search(text)
                and not _CODE_ITEM_RE.match(text)
            ):
                criterion = _criterion(text, item.start, lead_in, sources)
                label = _own_label(block.text, item.start - block.start)
                if one_of and label not in required:
                    criterion = criterion.model_copy(update={"alternative": True})
                printed = _printed_label(block.text, item.start - block.start)
                if parent is not None and parent.label and printed:
                    criterion = criterion.model_copy(
                        update={"label": _under(parent.label, printed)}
                    )
                listed.append((item.start, _with_finding(criterion, finding, default)))
        tail_start = block.start + len(block.text) - len(tail)
        following = zoned[index + 1] if index + 1 < len(zoned) else None
        if (
            not tail
            and following is not None
            and following.zone is not Zone.boilerplate
            and _ADDED_CRITERION_RE.match(following.text)
        ):
            tail, tail_start = following.text, following.start  # the paragraph after the list
        if added := _ADDED_CRITERION_RE.match(tail):
            # 'In addition, the surgeon must document ...' after the list: one more criterion
            # of it; the sentences after it are the payer's narrative about the criteria
            start = tail_start + added.start("c")
            text = " ".join(added["c"].split())
            criterion = _with_finding(
                _criterion(text, start, lead_in, sources), split_finding(text), default
            )
            rest = " ".join(tail[added.end() :].split())
            *listed, (_, told) = _told([*listed, (start, criterion)], rest)
            if told.payer_reason is None and rest:
                # no sentence names it more than the listed ones: what follows it is about it
                cue = status_from_narrative(rest)
                update = {"payer_reason": rest[:2000], **({"payer_status": cue} if cue else {})}
                told = told.model_copy(update=update)
            found += [*listed, (start, told)]
            continue
        following_finding = finding_block(following.text) if following is not None else None
        if not tail and len(listed) == 1 and following_finding is not None:
            # 'CRITERION 2: A documented reason ...' with no body, then 'Reviewer's finding' over
            # 'Not met. The notes state ...': the paragraph below is that criterion's finding
            start, criterion = listed[0]
            found.append((start, _with_finding(criterion, following_finding, default)))
            continue
        narrative = tail or _following_narrative(index, zoned)
        if tail:
            # 'Negative pressure wound therapy (E2402) is covered for a stage 3 or 4 pressure
            # ulcer after ...' after the list: a requirement of its own, the rest narrative
            extra, narrative = _tail_requirements(tail, tail_start, lead_in, sources)
            listed += extra
        at_margin = (
            bool(tail)
            and bool(items)
            and _starts_tail(items[-1].lines[-1], tail.split("\n", 1)[0], items[-1].indent)
        )
        found += _told(listed, narrative, after_last=at_margin)
    return found


@dataclass(frozen=True)
class _Parent:
    """The one item whose sub-items a list reads as the criteria (:func:`_sub_list`)."""

    label: str | None
    """Its own label when it is one of a labelled list of its own ('3' of '3. The member is at
    risk ... ONE of the following:' among items 1 to 8, each its own paragraph): its sub-items
    are named under it ('3a', '3b'), as the notice's reader names them."""
    note: Finding | None
    """The payer's finding on the line under its sub-items ('[Reviewer: Not met. The MRI report
    ...]', 'FINDING: MET (B). ...'), when there is one."""
    route: str | None = None
    """The sub-item the finding names met ('B' of 'FINDING: MET (B)'), as printed."""


def _sub_list(
    block: Block, items: list[_Item], siblings: bool
) -> tuple[str, list[_Item], _Parent] | None:
    """(lead-in, items, parent) of the list nested in a list of one item, when a line of that
    item ending in ':' leads in criteria ('15. Diabetic wounds ... in patients who meet the
    following three criteria:' over 'a. ...', 'b. ...', 'c. ...', the one indication a notice
    quotes); else None. ``siblings``: the item is one of a labelled list whose items stand in
    paragraphs of their own ('I.', 'II.', 'III.'): a labelled one keeps its sub-items."""
    if len(items) != 1:
        return None
    lines = block.text.split("\n")
    markers = _markers(block.text)
    offset = 0
    for j, line in enumerate(lines[:-2]):
        offset += len(line) + 1
        if not line.rstrip().endswith(":") or markers[j + 1] is None:
            continue
        head_from = max((k for k in range(j + 1) if markers[k] is not None), default=0)
        head = " ".join(" ".join(lines[head_from : j + 1]).split())
        head = _LIST_MARKER_RE.sub(r"\g<body>", head, count=1)
        if not _CRITERIA_LEAD_IN_RE.search(head):
            continue
        marker = markers[head_from]
        labelled = marker is not None and any(ch.isalnum() for ch in marker["marker"])
        if labelled and _one_of_lead_in(head):
            # 'I. ... ONE of the following: A. B. C.' among II, III ..., 'II. Signs, with at least
            # ONE of the following:': the payer's labelled item is one criterion, its sub-items
            # its requirement tree (never criteria numbered of their own)
            continue
        inner = Block(block.start + offset, "\n".join(lines[j + 1 :]), block.zone, block.heading)
        sub, tail = _list_items_and_tail(inner)
        if (
            labelled
            and siblings
            and not any(item.mark or item.answer or split_finding(item.text).status for item in sub)
            and not _finds_each(sub[-1])
        ):
            # '4. ... ALL of the following: (i) (ii) (iii)' among 1 to 8: so is a labelled
            # item among its siblings, unless its sub-items carry a finding of their own ('a.
            # ... [Reviewer: Not met.]'): those are criteria of their own
            continue
        if labelled and ONE_OF_HEAD_RE.search(head) and _states_requirement(head):
            # 'B. Symptoms despite a trial of at least 4 weeks of ONE of the following:' over
            # '(i) ...', '(ii) ...': the lead-in's own requirement governs each option, so they
            # are the options of one criterion (its requirement tree), not criteria of their own
            continue
        if len(sub) >= 2:
            own = marker["marker"].strip().strip("().") if marker is not None else ""
            tail = tail or _closing_note(sub[-1])
            note = note_finding(tail)
            route = met_route(tail) if note is not None else None
            return head, sub, _Parent(own if own.isalnum() else None, note, route)
    return None


def _note_start(item: _Item) -> int | None:
    """Where a reviewer's note in square brackets on lines of its own closes the item ('C. ...'
    then '[Reviewer: VI.A MET (...). VI.B NOT MET: ...]'), or None."""
    start = next((i for i, line in enumerate(item.lines) if i and line.startswith("[")), None)
    if start is None or not "".join(item.lines[start:]).rstrip(" .").endswith("]"):
        return None
    return start


def _closing_note(item: _Item) -> str:
    """The reviewer's note closing the last sub-item (:func:`_note_start`): a note on the whole
    list, taken off the item; '' when there is none."""
    start = _note_start(item)
    if start is None:
        return ""
    note = "\n".join(item.lines[start:])
    del item.lines[start:]
    return note


def _finds_each(item: _Item) -> bool:
    """True when the note closing the last sub-item gives two or more sub-items a finding of
    their own ('[Reviewer: V.A N/A (age 63). V.B NOT MET: ... V.C MET.]'): the sub-items are
    criteria of their own."""
    start = _note_start(item)
    note = note_finding(" ".join(item.lines[start:])) if start is not None else None
    if note is None or not note.reason:
        return False
    return sum(f.status is not None for f in part_findings(note.reason).values()) >= 2


def _states_requirement(head: str) -> bool:
    """A lead-in that states a typed requirement of its own ('a trial of at least 4 weeks of ONE
    of the following'), not only a title over its routes ('Symptoms - ONE of the following')."""
    return any(r.kind is not RequirementKind.other for r in parse_requirements(head)[0])


def _has_siblings(index: int, zoned: Sequence[Block]) -> bool:
    """True when the list item of block ``index`` is one of a labelled list whose items stand
    in paragraphs of their own: the block before or after it opens with a labelled item at the
    same indent ('I.' then 'II.', '3.' between '2.' and '4.')."""
    own = _markers(zoned[index].text)[0]
    if own is None:
        return False
    for near in (index - 1, index + 1):
        if not 0 <= near < len(zoned):
            continue
        first = _markers(zoned[near].text)[0]
        if (
            first is not None
            and len(first["indent"]) == len(own["indent"])
            and any(ch.isalnum() for ch in first["marker"])
        ):
            return True
    return False


def _under(parent: str, own: str) -> str:
    """A sub-item's label under its parent's, as the notice's reader names it: '3' and 'a' ->
    '3a', 'III' and 'A' -> 'III.A', '2' and '1' -> '2.1'."""
    if parent.isdigit() and own.isalpha() and len(own) == 1:
        return parent + own
    return f"{parent}.{own}"


_ADDED_CRITERION_RE = re.compile(
    r"\s*(?:in addition|additionally|also|furthermore|moreover)\s*,?\s+"
    r"(?P<c>[^.;:]{3,400}?\b(?:must|shall|should|needs? to|(?:is|are) required to)\b"
    r"[^.;:]{5,400}?)\.(?=\s|$)",
    re.IGNORECASE,
)
"""A further criterion stated after a list: 'In addition, the treating surgeon must ...'."""


_KEYED_FINDING_RE = re.compile(
    # '1. MET. ...', '(b) Not met', 'II.  Not met. ...', '#3 - Not met. ...'
    r"^\s*(?:#\s*)?\(?(?P<key>\d{1,2}|[ivx]{1,4}|[a-z])(?:[.)]\)?\s+|\s+[-\u2013\u2014:]\s*)"
    r"(?P<s>not\s+met|partially\s+met|not\s+documented|met)\b[\s.:;,\-\u2013\u2014]*(?P<r>.*)$",
    re.IGNORECASE,
)


_NAMED_FINDING_RE = re.compile(
    r"^\s*[•·▪◦●○■□\-*\u2013]?\s*(?P<name>[A-Za-z](?:[^.:\n]|\.(?!\.)){2,90}?)"
    # 'BMI - MET', 'NCD 20.29 B.15.a  (wound due to diabetes) ........ MET'
    r"(?:\s+[-\u2013\u2014:]\s+|\s*\.{4,}\s*)"
    r"(?P<s>NOT\s+MET|PARTIALLY\s+MET|NOT\s+DOCUMENTED|MET|Not\s+met|Met|Not\s+documented)"
    r"(?:[.:;]\s*|\s*$)(?P<r>.*)$"
)
"""A finding keyed by the criterion's name: '*  BMI - MET. Weight 241 lb ...'."""


def _stems(text: str) -> set[str]:
    return {stem(w) for w in _content_words(text)}


def _roots(text: str) -> set[str]:
    """Content words cut to their first seven letters, so a noun meets its verb or agent
    ('evaluation' ~ 'evaluated', 'otolaryngology' ~ 'otolaryngologist'; 'medical' and
    'medication' stay apart)."""
    return {stem(w)[:7] for w in _content_words(text)}


def _named_index(name: str, vocabularies: Sequence[set[str]]) -> int | None:
    """The one criterion (given as its words' stems) whose words best cover a finding's name
    ('Psychological evaluation' -> 'A preoperative psychological or psychiatric evaluation
    ...'); None when unsure."""
    words = _stems(name)
    scores = [len(words & vocabulary) for vocabulary in vocabularies]
    best = max(scores, default=0)
    return scores.index(best) if best and scores.count(best) == 1 else None


def _keyed_findings(
    zoned: Sequence[Block], after: int, criteria: Sequence[Criterion]
) -> dict[int, tuple[PayerStatus, str]]:
    """The payer's findings listed apart from the criteria, after them, keyed by the criterion's
    number or letter ('Findings: 1. MET. A current plan of care ... 2. NOT MET. The note states
    ...') or by its name ('*  BMI - MET. ...'): {0-based criterion index: (status, reason)};
    empty unless at least two are found."""
    found: dict[int, tuple[PayerStatus, list[str]]] = {}
    vocabularies = [_stems(c.text) for c in criteria]
    keys = [
        m["key"].lower()
        for block in zoned
        if block.zone is not Zone.boilerplate and block.start >= after
        for line in block.text.split("\n")
        if (m := _KEYED_FINDING_RE.match(line))
    ]
    # 'I. Met ... II. Not met ... III. Met': roman numerals, not the letters i, v, x
    roman = any(len(k) > 1 and k in _ROMAN for k in keys)
    for block in zoned:
        if block.zone is Zone.boilerplate or block.start < after:
            continue
        current: list[str] | None = None
        plain, opened_at = "", 0  # a line of no finding just above; the finding's indent
        plain_at = 0
        for line in block.text.split("\n"):
            indent = len(line) - len(line.lstrip())
            if current is not None and line.strip() and indent <= opened_at:
                current = None  # back at the findings' margin: not the narrative any more
            if m := _KEYED_FINDING_RE.match(line):
                if (number := _label_index(m["key"].lower(), roman)) is None:
                    continue
                current, opened_at = [m["r"].strip()], indent
                found.setdefault(number, (status_of(m["s"]), current))
            elif (n := _NAMED_FINDING_RE.match(line)) and (
                (index := _named_index(f"{plain} {n['name']}", vocabularies)) is not None
            ):
                # the name may wrap from the line above ('B.15.c (failed adequate course of
                # standard wound therapy;' / 'no measurable healing ...) ...... NOT MET')
                current, opened_at = [n["r"].strip()], min(indent, plain_at if plain else indent)
                found.setdefault(index, (status_of(n["s"]), current))
            elif current is not None and line.strip():
                current.append(line.strip())
            else:
                current = None
            plain, plain_at = (line.strip(), indent) if current is None else ("", 0)
    if len(found) < 2:
        return {}
    return {i: (st, " ".join(" ".join(r).split())) for i, (st, r) in found.items()}


def _keyed(criteria: list[Criterion], keyed: dict[int, tuple[PayerStatus, str]]) -> list[Criterion]:
    """Criteria given the payer's keyed findings (their status and reason), by position."""
    out = []
    for i, criterion in enumerate(criteria):
        if i in keyed:
            status, reason = keyed[i]
            update = {"payer_status": status, "payer_reason": reason or criterion.payer_reason}
            criterion = criterion.model_copy(update=update)
        out.append(criterion)
    return out


def _tail_requirements(
    tail: str, start: int, lead_in: str, sources: list[tuple[int, str]]
) -> tuple[list[tuple[int, Criterion]], str]:
    """Requirement sentences in the text after a list, each part a criterion, and the
    sentences left over (the payer's narrative)."""
    sentences = split_sentences(tail, flatten=True)
    found: list[tuple[int, Criterion]] = []
    rest: list[str] = []
    for i, sentence in enumerate(sentences):
        requirement = _requirement(sentence, " ".join(sentences[i + 1 : i + 4]))
        if requirement is None:
            rest.append(sentence)
            continue
        parts, told = requirement
        at = start + max(0, " ".join(tail.split()).find(sentence))
        found += _part_criteria(parts, at, lead_in, sources)
        rest += [told] if told else []
    return found, " ".join(rest)


def _part_criteria(
    parts: list[Criterion], at: int, lead_in: str, sources: list[tuple[int, str]]
) -> list[tuple[int, Criterion]]:
    """The conjuncts of a requirement sentence as criteria (source, requirements), each keeping
    the status and reason the sentence gave it."""
    found = []
    for part in parts:
        if _MASK not in part.text and _acceptable(part.text):
            criterion = _criterion(part.text, at, lead_in, sources)
            update = {
                "payer_status": part.payer_status,
                "payer_reason": part.payer_reason,
                "alternative": part.alternative,
            }
            found.append((at, criterion.model_copy(update=update)))
    return found


def _with_finding(criterion: Criterion, finding: Finding, default: PayerStatus) -> Criterion:
    reason = finding.reason[:2000] if finding.reason else None
    return criterion.model_copy(
        update={"payer_status": finding.status or default, "payer_reason": reason}
    )


def _following_narrative(index: int, zoned: Sequence[Block]) -> str:
    """The paragraph right after a list when it is the payer's account of the records."""
    index += 1
    while index < len(zoned) and opens_records_reviewed(zoned[index].text):
        index += 1  # 'We reviewed: ...' between the list and the findings
    if index >= len(zoned):
        return ""
    after = zoned[index]
    if after.zone is Zone.boilerplate or _list_items(after) or after.rows is not None:
        return ""
    sentences = split_sentences(after.text, flatten=True)
    # 'Finding: the member's BMI ...', 'Our findings: ...': a label before the account
    first = _FINDING_LABEL_RE.sub("", sentences[0]) if sentences else ""
    # 'What we found: The prior infarction is documented. ...' is the account; a paragraph of
    # verdicts by number ('Findings: Criterion 1 is not met; ...') is read by its numbers
    labelled = (
        bool(sentences)
        and first != sentences[0]
        and not re.search(r"\bcriteri(?:on|a)\s+\(?\d", after.text, re.IGNORECASE)
    )
    return after.text if first and (labelled or is_narrative(first)) else ""


_FINDING_LABEL_RE = re.compile(
    r"^\s*(?:(?:our|review|the reviewer's)\s+)?(?:findings?|rationale|what we found|review)\s*:\s*",
    re.IGNORECASE,
)


_NARRATIVE_CLAUSE_RE = re.compile(
    r";\s+|,?\s+but\s+|,\s+(?:and|so)\s+(?=\w+\s+\w+)|,\s+(?=no\s)|\s+and\s+(?=no\s+\w+\s+(?:was|were)\b)"
)


def _told(
    listed: list[tuple[int, Criterion]], narrative: str, *, after_last: bool = False
) -> list[tuple[int, Criterion]]:
    """Criteria with the narrative after their list given to the criterion each sentence is
    about (most shared words); a sentence's status cue sets a status the item did not state.
    With ``after_last`` (the narrative follows the last item at the margin, as if it went on) a
    sentence that names no criterion's words is the last item's."""
    if not narrative.strip() or not listed:
        return listed
    criteria = [c for _, c in listed]
    vocab = [(_roots(c.text), c) for c in criteria]
    told: dict[int, list[str]] = {}

    def overlaps(text: str) -> list[int]:
        """Shared content words, plus shared word pairs ('functional scale' over 'functional')."""
        words, pairs = _roots(text), _word_pairs(text)
        return [len(words & roots) + len(pairs & _word_pairs(c.text)) for roots, c in vocab]

    labels = [_bare_label(c.label).lower() if c.label else None for c in criteria]
    verdicts: dict[int, PayerStatus] = {}
    for whole in split_sentences(narrative, flatten=True):
        if by_label := _label_verdict(whole, labels):
            # 'Item 1) is met: the echocardiogram shows ...': the account of the items it names
            indexes, status = by_label
            for i in indexes:
                told.setdefault(i, []).append(whole)
                verdicts[i] = status
            continue
        # a clause that shares one word or none with every criterion goes with its sentence
        sentence_overlaps = overlaps(whole)
        sentence_best = max(range(len(criteria)), key=lambda i: sentence_overlaps[i])
        placed: list[tuple[str, list[int]]] = []
        for sentence in (c for c in _NARRATIVE_CLAUSE_RE.split(whole) if c.strip()):
            if _verdict_clause(sentence):
                continue  # 'so the first two requirements are met': read by _with_verdicts
            own = overlaps(sentence)
            best = max(range(len(criteria)), key=lambda i: own[i])
            if own[best] <= 1 and sentence_overlaps[sentence_best] >= 2:
                best = sentence_best
            if own[best] or (best == sentence_best and sentence_overlaps[best] >= 2):
                placed.append((sentence, [best]))
            elif re.match(r"(?:none|neither)\b", sentence, re.I):
                placed.append((sentence, list(range(len(criteria)))))
            elif placed:  # '...; no claims for either were found': goes on about the same
                placed.append((sentence, placed[-1][1]))
            elif after_last:
                placed.append((sentence, [len(criteria) - 1]))
        targets = {tuple(t) for _, t in placed}
        if len(placed) > 1 and len(targets) == 1:
            placed = [(whole, placed[0][1])]  # one criterion's: the sentence, verbatim
        for sentence, indexes in placed:
            for i in indexes:
                told.setdefault(i, []).append(sentence)
    result = []
    for i, (start, criterion) in enumerate(listed):
        sentences = told.get(i)
        if sentences and criterion.payer_reason is None:
            reason = _joined(sentences)
            update: dict[str, object] = {"payer_reason": reason[:2000]}
            cue = (
                verdicts.get(i)
                or status_from_narrative(reason)
                or _shows_it(criterion.text, reason)
            )
            if cue and not _stated(criterion):
                update["payer_status"] = cue
            criterion = criterion.model_copy(update=update)
        result.append((start, criterion))
    return result


_SHORTFALL_RE = re.compile(
    r"\b(?:no|not|only|but|without|never|none|neither|nor|fewer|less|lacks?|missing|however)\b|"
    r"n't\b",
    re.IGNORECASE,
)
_SHOWS_RE = re.compile(
    r"\b(?:records?|notes?|chart|documentation)\s+(?:show|shows|document|documents|confirm|"
    r"confirms|describe|describes)\b",
    re.IGNORECASE,
)


def _shows_it(criterion: str, reason: str) -> PayerStatus | None:
    """'met' when the payer's account restates the criterion as shown ('Your records show a
    Parkinson's diagnosis in 2023 with a good response to levodopa' for 'a diagnosis of
    Parkinson's disease with a response to levodopa'): a criterion without a number, most of
    whose words the account repeats, with no word of shortfall."""
    if re.search(r"\d", criterion) or not _SHOWS_RE.search(reason) or _SHORTFALL_RE.search(reason):
        return None
    words = _content_words(criterion)
    stems = {w[:5] for w in _content_words(reason)}
    shared = [w for w in words if w[:5] in stems]
    return "met" if words and len(shared) >= 0.6 * len(words) else None


def _label_verdict(
    sentence: str, labels: Sequence[str | None]
) -> tuple[list[int], PayerStatus] | None:
    """(the criteria a sentence opens with a verdict on by their own labels, the status it gives
    them): 'Items 2) and 3) are not documented: ...', 'Requirement (iii) is not met: ...'; None
    unless the sentence opens so and every label it names is a criterion's."""
    match = _VERDICT_RES[0].match(sentence.strip())
    if match is None or not any(labels):
        return None
    named = _label_indexes(match["labels"], labels)
    if not named or any(not 0 <= i < len(labels) or labels[i] is None for i in named):
        return None
    if match["doc"]:
        return named, "not_documented"
    return named, "not_met" if match["neg"] else "met"


def _verdict_clause(clause: str) -> bool:
    """True when the clause is mostly a verdict by label or rank ('so the first two
    requirements are met', 'criterion 3 is not met')."""
    for regex in _VERDICT_RES:
        if (match := regex.search(clause)) and len(match[0]) >= 0.6 * len(clause.strip(" .,;")):
            return True
    return False


def _joined(pieces: list[str]) -> str:
    """The payer's sentences and clauses about one criterion, in order: a clause cut from its
    sentence is followed by an ellipsis, so the quotation shows where words were left out."""
    text = ""
    for piece in pieces:
        if text:
            text += " " if text.rstrip().endswith((".", ";", ":", "!", "?", "…")) else " … "
        text += piece.strip()
    return text


def _stated(criterion: Criterion) -> bool:
    """True when the item itself carried the payer's status (kept over the narrative's cue)."""
    return criterion.payer_status != "not_met"


def _acceptable(text: str) -> bool:
    return 3 <= len(text) <= 1000 and len(text.split()) >= 2


def _criterion(text: str, position: int, lead_in: str, sources: list[tuple[int, str]]) -> Criterion:
    source = _source_for(position, lead_in, sources)
    label = None
    if (opens := _LABEL_OPENS_RE.match(text)) and len(text) - opens.end() >= 3:
        label, text = opens["label"], text[opens.end() :]  # the payer's label is no wording
    requirements, logic = parse_requirements(text)
    # 'AT LEAST TWO of the following: (a) ...': how many of its alternatives are needed
    count = needed(text) if logic == "any" else None
    return Criterion(
        text=text,
        label=label,
        at_least=count if count and count <= len({r.branch for r in requirements}) else 1,
        source=source[:300] if source else None,
        requirements=requirements,
        logic=logic,
    )


# ------------------------------------------------------------------------ criteria: tables & lines


def _read_table(
    text: str, columns: ColumnTable | None
) -> tuple[tuple[tuple[str, ...], ...] | None, int]:
    """The rows of the table in a block (header first) and the index of its first line: a grid
    table, a column-aligned one (``columns``, read by position: space-aligned or tab-separated)
    or a '|' table; (None, 0) when the block holds none."""
    lines = text.split("\n")
    if sum("|" in line for line in lines) >= 2 and (grid := _grid_rows(text)) is not None:
        return tuple(map(tuple, grid)), _first_table_line(lines)
    if columns is not None and columns.first < len(lines):
        return tuple(map(tuple, _column_rows(columns))), columns.first
    if sum("|" in line for line in lines) >= 2:
        return tuple(map(tuple, _table_rows(text))), _first_table_line(lines)
    return None, 0


def _first_table_line(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if "|" in line or _RULE_LINE_RE.match(line)), 0)


_MET_HEADER_RE = re.compile(r"^(?:criteri\w*\s+)?met\b", re.IGNORECASE)
"""A status column headed 'Met?', 'Met' or 'Criterion met'."""


def _heads_table(cells: Sequence[str]) -> bool:
    """True when a line's cells head a criteria table: short labels, one naming the criterion
    and another the payer's finding, status or comment ('Criterion    Reviewer finding')."""
    cells = [c for c in cells if c]
    if len(cells) < 2 or any(len(c.split()) > 5 for c in cells):
        return False
    named = [i for i, c in enumerate(cells) if _CRITERION_HEADER_RE.search(c)]
    told = [
        i
        for i, c in enumerate(cells)
        if _MET_HEADER_RE.match(c)
        or _FINDING_HEADER_RE.search(c)
        or re.search(r"comment|note|reason|rationale", c, re.IGNORECASE)
    ]
    return bool(named) and any(i != named[0] for i in told)


_ITEM_NUMBER_CELL_RE = re.compile(r"#?\(?(?:\d{1,2}|[A-H]\d{0,2}|[ivxIVX]{1,4})[.)]?")
_STATUS_OPENS_RE = re.compile(
    r"^(?:(?:Not|NOT) (?:met|MET|documented|DOCUMENTED|provided|submitted|received|satisfied)|"
    r"Unmet|UNMET|Met|MET|Satisfied|SATISFIED|Partially|PARTIALLY|Yes|YES|No|NO|N/A|NA|"
    r"(?:Not|NOT) (?:applicable|APPLICABLE)|(?:Does|DOES) (?:not|NOT) (?:apply|APPLY))(?![\w/-])|"
    r"^\[\s*[xX✓✔ ]?\s*\]\s*(?i:yes|no|met|not\s+met)\b",  # '[X] Yes  [ ] No'
)
"""A finding cell that opens a row: a capitalised status word ('Met.', 'Not met - ...', 'N/A')."""


def _column_rows(table: ColumnTable) -> list[list[str]]:
    """The rows of a column-aligned table, each cell read whole over the lines it wraps on (in
    its own column span). Rows are parted by blank lines when the table has them; else a row
    starts where the finding cell opens with a status word beside a criterion (a wrapped line of
    a finding, 'no injection was tried', continues its row), or, with no finding column, where
    the first cell starts in capitals."""
    header = list(table.header)
    findings = _finding_column(header)
    named = _criterion_column(header) or 0
    parted = any(line is None for line in table.lines)
    groups: list[list[tuple[str, ...]]] = []
    fresh = True
    for line in table.lines:
        if line is None:
            fresh = True
            continue
        if findings is not None:
            opens = bool(line[named]) and bool(_STATUS_OPENS_RE.match(line[findings]))
        else:
            opens = line[named][:1].isupper()
        # an item number in a column of its own ('ITEM' / 'No.') opens a row whatever its
        # finding cell holds (a status wrapped over two lines: 'NOT' / 'DOCUMENTED')
        opens = opens or (named > 0 and bool(_ITEM_NUMBER_CELL_RE.fullmatch(line[0])))
        if not groups or (fresh if parted else opens):
            groups.append([line])
        else:
            groups[-1].append(line)
        fresh = False
    return [header, *[[joined([ln[i] for ln in g]) for i in range(len(header))] for g in groups]]


_STATUS_LINE_RE = re.compile(
    r"^(?P<c>.*?)\s*(?:^|[:\-–—]\s*|\s{2,})\(?(?P<s>not met|unmet|not documented|not provided|"
    r"not submitted|not received|met)\)?\.?$",
    re.IGNORECASE,
)


def _row_criteria(
    zoned: Sequence[Block], sources: list[tuple[int, str]]
) -> list[tuple[int, Criterion]]:
    """'criterion: Met' / 'criterion - Not met' / 'Not met: criterion' lines outside lists and
    tables; a criterion wrapped over lines (its last line starting in lower case, or a status
    alone on its line) is read whole."""
    found: list[tuple[int, Criterion]] = []
    for index, block in enumerate(zoned):
        if (
            block.zone is Zone.boilerplate
            or block.rows is not None
            or _list_items(block)
            or finding_block(block.text) is not None  # the finding under a criterion above
        ):
            continue
        listed: list[tuple[int, Criterion]] = []
        offset = block.start
        pending: list[tuple[int, str]] = []
        for line in block.text.split("\n"):
            stripped = line.strip()
            start, offset = offset, offset + len(line) + 1
            if not stripped or (
                (marker := _LIST_MARKER_RE.match(line))
                and not _LEADING_NOT_MET_RE.match(marker["body"])
            ):
                pending = []
                continue
            body = stripped
            if match := _LEADING_NOT_MET_RE.match(body):
                text, status, at = match["c"], "not_met", start
            elif (
                (match := _STATUS_LINE_RE.match(body))
                and (match["c"] or pending)
                and not (match["c"] and match["c"][-1:] in ".;" and not pending)
            ):
                part = match["c"]
                joined = not part or part[0].islower()
                lines = [t for _, t in pending] if joined else []
                text = " ".join([*lines, part]).strip()
                status, at = status_of(match["s"]), pending[0][0] if joined and pending else start
            else:
                pending.append((start, body))
                continue
            pending = []
            text = _clean(text.rstrip(" :-–—"))
            if _acceptable(text):
                criterion = _criterion(text, at, block.heading, sources)
                listed.append((at, criterion.model_copy(update={"payer_status": status})))
        if listed:
            found += _told(listed, _following_narrative(index, zoned))
    return found


def _table_criteria(
    zoned: Sequence[Block], sources: list[tuple[int, str]]
) -> list[tuple[int, Criterion]]:
    """Rows of '|' tables with the payer's status of each (a status cell: Met, Not met, Not
    documented), and a comment column as the payer's reason; all rows of a table introduced
    as unmet requirements when it has no status column."""
    found: list[tuple[int, Criterion]] = []
    for index, block in enumerate(zoned):
        if block.zone is Zone.boilerplate or block.rows is None:
            continue
        lead_in = _table_lead_in(index, zoned)
        rows = [list(row) for row in block.rows]
        header = rows[0] if rows else []
        ticks = _tick_columns(header)
        findings = None if ticks else _finding_column(header)
        has_status = bool(ticks) or any(_row_status(row, findings) is not None for row in rows)
        if not has_status and not _is_criteria_list(lead_in, block):
            continue
        column = _criterion_column(header)
        comment = _comment_column(header)
        labels = _label_column(header, column)
        listed: list[tuple[int, Criterion]] = []
        for row in rows[1:] if not has_status or ticks else rows:
            status = _ticked_column(row, ticks) if ticks else _row_status(row, findings)
            status = status or (
                _told_status(row, findings, has_status) if row is not header else None
            )
            if (has_status and status is None) or not row or _code_row(row):
                continue
            text = _row_text(
                [c for i, c in enumerate(row) if i not in ticks],
                column if column is None or not ticks else column - sum(i < column for i in ticks),
                None if ticks else _requirement_column(header, column, findings),
            )
            # '| 1. Diagnosis of ... |': the item number is the row's label, not its wording
            number = _ITEM_NUMBER_RE.match(text) if text else None
            text = text[number.end() :] if text and number else text
            if text and _acceptable(text):
                criterion = _criterion(text, block.start, lead_in, sources)
                if number is not None and criterion.label is None:
                    criterion = criterion.model_copy(update={"label": _mark_label(number[0])})
                if (
                    labels is not None
                    and labels < len(row)
                    and _TABLE_LABEL_RE.fullmatch(row[labels])
                ):
                    criterion = criterion.model_copy(update={"label": row[labels].strip("().")})
                reason = row[comment] if comment is not None and comment < len(row) else None
                if reason is None and findings is not None and findings < len(row):
                    reason = _finding(row[findings])[1]
                if reason is None and findings is None and (closing := _closing_cell(row)):
                    reason = closing[2]  # '... No dates were provided. NOT SATISFIED.'

                status = status or _lead_in_status(lead_in)
                if status == "not_met" and reason and _missing_first(reason):
                    status = "not_documented"  # 'No | No kidney function result in the records'
                criterion = criterion.model_copy(
                    update={"payer_status": status, "payer_reason": reason or None}
                )
                listed.append((block.start, criterion))
        found += _told(listed, _following_narrative(index, zoned))
    return found


def _told_status(row: list[str], findings: int | None, has_status: bool) -> PayerStatus | None:
    """The status a finding cell tells in its sentences when it does not open with one ('Met
    for C5-C6. ... so the requirement is not met for the second level'), in a table whose other
    rows carry a status; a verdict of 'not met' anywhere in the cell outweighs an opening 'Met'."""
    if not has_status or findings is None or findings >= len(row) or not row[findings].strip():
        return None
    return status_from_narrative(row[findings]) or "not_met"


def _mark_label(mark: str) -> str:
    """A list mark as the payer's label: '1. ' -> '1', 'b) ' -> 'b', '(b) ' -> '(b)' (printed
    parentheses kept, as the label convention keeps '(iv)')."""
    mark = mark.strip()
    return mark if mark.startswith("(") else mark.rstrip(".)")


_ITEM_NUMBER_RE = re.compile(r"^\(?(?:\d{1,2}|[a-hA-H])[.)]\s+(?=\S)|^\d{1,2}[a-h][.)]?\s+(?=\S)")
"""The item number a table's criterion cell opens with ('1. ', '(b) ')."""


def _missing_first(reason: str) -> bool:
    """True when the payer's comment on a criterion opens by saying the records lacked it (not
    with a finding: 'Office heart rate was 92; no plan ... was sent' is a finding first)."""
    first = re.split(r"[;.]\s|,\s+(?:and|but)\s", reason, maxsplit=1)[0]
    return status_from_narrative(first) == "not_documented" or bool(
        re.match(
            r"\s*no\s+(?:[\w-]+\s+){0,5}?(?:in|among)\s+the\s+(?:records?|notes?|chart|file)\b",
            first,
            re.IGNORECASE,
        )
    )


_TICK_HEADER_RE = re.compile(
    r"(?:criteri(?:on|a)\s+)?(?:met|not\s+met|unmet|partially\s+met|not\s+documented|n/?a|"
    r"not\s+applicable|yes|no)",
    re.IGNORECASE,
)
_TICK_RE = re.compile(r"[xX✓✔☑☒■●✗✘]|\[\s*[xX✓✔]\s*\]")


_CODE_CELL_RE = re.compile(
    r"(?:(?:CPT|HCPCS|ICD-?10(?:-CM)?|Code)\s*[:#]?\s*)?(?:\d{5}|\d{4}[FTU]|[A-HJ-NP-V]\d{4}|"
    r"[A-TV-Z]\d[0-9A-Z]\.[0-9A-Z]{1,4})(?:\s*[-–]\s*[A-Z0-9]{2}){0,4}",
    re.IGNORECASE,
)
"""A table cell that is only a procedure, supply or diagnosis code ('64633', 'J1459',
'36475-RT', 'CPT 97110', 'M54.16')."""


def _code_row(row: Sequence[str]) -> bool:
    """True when a table row is a line of the request or claim (a cell of its own holds a
    code: '| 64633 | Destruction by neurolytic agent ... | 1 |'), never a criterion."""
    return any(_CODE_CELL_RE.fullmatch(cell.strip()) for cell in row if cell)


def _tick_columns(header: Sequence[str]) -> dict[int, PayerStatus]:
    """The columns a grid ticks to give each row's status ('Met | Not met | N/A', each marked
    'X' in one of them): column index -> the status its heading names. Fewer than two such
    headings is no tick grid (a 'Met' column holding 'Yes'/'No' is a status column)."""
    found = {
        i: status_of(cell)
        for i, cell in enumerate(header)
        if _TICK_HEADER_RE.fullmatch(cell.strip())
    }
    return found if len(found) >= 2 else {}


def _ticked_column(row: Sequence[str], ticks: dict[int, PayerStatus]) -> PayerStatus | None:
    """The status of the one tick column a row marks; None when it marks none or several."""
    marked = [
        status for i, status in ticks.items() if i < len(row) and _TICK_RE.fullmatch(row[i].strip())
    ]
    return marked[0] if len(marked) == 1 else None


_LABEL_HEADER_RE = re.compile(
    r"#|no\.?|item|ref\.?|sec(?:t(?:ion)?)?\.?|§|(?:criterion|item|section)\s*(?:#|no\.?)",
    re.IGNORECASE,
)


def _label_column(header: Sequence[str], column: int | None) -> int | None:
    """The column before the criterion's that holds the payer's label of each row ('#', 'No.',
    'Item'), if the table has one."""
    for i, cell in enumerate(header[: column if column is not None else 1]):
        if i != column and _LABEL_HEADER_RE.fullmatch(cell.strip()):
            return i
    return None


def _comment_column(header: list[str]) -> int | None:
    for i, cell in enumerate(header):
        if re.search(r"comment|note|reason|rationale|explanation|detail", cell, re.IGNORECASE):
            return i
    return None


_RULE_LINE_RE = re.compile(r"^[\s|+=\-:]*$")


_GRID_BORDER_RE = re.compile(r"^\s*\+(?:[-=]+\+)+\s*$")


def _grid_rows(text: str) -> list[list[str]] | None:
    """The cells of a '+----+----+' grid table (cells wrapped over several lines read whole),
    parsed by docutils' GridTableParser; None when the block holds no well-formed grid table."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if _GRID_BORDER_RE.match(line)), None)
    if first is None:
        return None
    end = first
    while end + 1 < len(lines) and lines[end + 1].strip()[:1] in ("|", "+"):
        end += 1
    indent = len(lines[first]) - len(lines[first].lstrip())
    grid = [line[indent:].rstrip() for line in lines[first : end + 1]]
    try:
        _, head, body = GridTableParser().parse(StringList(grid))
    except (TableMarkupError, AssertionError, IndexError):
        return None
    return [[joined(cell[3]) if cell else "" for cell in row] for row in [*head, *body]]


def _table_rows(text: str) -> list[list[str]]:
    """Cells of each row of a '|' table; a line whose first cell is empty continues the row
    above it (wrapped cells), and rule lines (----, |---|, +---+) separate rows; so does a line
    whose status cell is empty or whose first cell goes on with the sentence above
    (:func:`~pipeline.text.tables.logical_rows`). A grid table
    ('+---+' borders around every row) is read by :func:`_grid_rows`."""
    if (grid := _grid_rows(text)) is not None:
        return grid
    first = next((line for line in text.split("\n") if "|" in line), "")
    bracketed = first.lstrip().startswith("|")
    if (ruled := _ruled_rows(text, bracketed)) is not None:
        return ruled
    rows: list[list[str]] = []
    continues = in_sub = False
    for line in text.split("\n"):
        if _RULE_LINE_RE.match(line):
            continues = in_sub = False
            continue
        if "|" not in line:
            continue
        cells = _cells(line, bracketed)
        wrapped = not cells[0] or (len(cells) > 1 and not any(cells[1:]))
        # 'Relief ..., with:' then '  o at least 50% improvement' in the next line's first
        # cell: a sub-item of the criterion above, whatever its other cells hold
        sub = (
            bool(rows)
            and bool(_SUB_ITEM_RE.match(cells[0]))
            and (rows[-1][0].rstrip().endswith(":") or in_sub)
        )
        if rows and continues and (wrapped or sub) and len(cells) <= len(rows[-1]):
            cells += [""] * (len(rows[-1]) - len(cells))
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=True)]
            in_sub = sub or (in_sub and wrapped)
        else:
            rows.append(cells)
            in_sub = False
        continues = True
    findings = _finding_column(rows[0]) if rows else None
    return logical_rows(rows, [findings] if findings is not None else [])


def _ruled_rows(text: str, bracketed: bool) -> list[list[str]] | None:
    """The rows of a '|' table that draws a rule line ('|------|------|') after every row,
    each row's cells wrapping over the lines between two rules, joined cell by cell
    ('| 3.4 Moderate-to-severe disease documented | NOT MET. The only severity measure |' over
    '| within the 60 days before the request by at | submitted is an EASI of 14.0 dated |'):
    None when rules part no two body rows (a table ruled under its header only)."""
    groups: list[list[str]] = [[]]
    for line in text.split("\n"):
        if _RULE_LINE_RE.match(line):
            if groups[-1]:
                groups.append([])
        elif "|" in line:
            groups[-1].append(line)
    groups = [g for g in groups if g]
    if len(groups) < 3 or all(len(g) == 1 for g in groups[1:]):
        return None
    rows: list[list[str]] = []
    for group in groups:
        lines = [_cells(line, bracketed) for line in group]
        width = max(len(cells) for cells in lines)
        rows.append(
            [joined([cells[k] if k < len(cells) else "" for cells in lines]) for k in range(width)]
        )
    return rows


def _cells(line: str, bracketed: bool) -> list[str]:
    """The cells of a table line. In a '| a | b |' table the outer bars are dropped; in an
    'a | b' table a line starting with a bar has an empty first cell (a wrapped row)."""
    cells = [c.strip() for c in line.split("|")]
    if bracketed:
        cells = cells[1:] if line.lstrip().startswith("|") else cells
        cells = cells[:-1] if line.rstrip().endswith("|") and len(cells) > 1 else cells
    elif line.rstrip().endswith("|") and len(cells) > 1 and not cells[-1]:
        cells = cells[:-1]
    return cells


_FINDING_HEADER_RE = re.compile(
    r"finding|status|determination|decision|outcome|result|(?:we|reviewer) found", re.IGNORECASE
)
_FINDING_RE = re.compile(
    r"^\s*(?P<s>not met|unmet|not documented|not provided|not submitted|not received|met|"
    r"not applicable|n/a|does not apply)\s*(?:[.:;,\-–—]|$)\s*(?P<r>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_ATTESTED_RE = re.compile(r"^\s*(?:attested|confirmed|verified)\b", re.IGNORECASE)


def _finding_column(header: list[str]) -> int | None:
    """The column headed 'Finding' / 'Status' / 'Determination' (the payer's verdict)."""
    for i, cell in enumerate(header):
        if _MET_HEADER_RE.match(cell) or (
            _FINDING_HEADER_RE.search(cell) and not _CRITERION_HEADER_RE.search(cell)
        ):
            return i
    return None


def _finding(cell: str) -> tuple[PayerStatus | None, str | None]:
    """The payer's status and reason in a finding cell: 'NOT MET. One exacerbation ...' ->
    (not_met, 'One exacerbation ...'); 'Attested on request form.' -> (met, the cell)."""
    if match := _FINDING_RE.match(cell):
        return status_of(match["s"]), match["r"].strip() or None
    if _ATTESTED_RE.match(cell):
        return "met", cell.strip()
    return None, None


def _row_status(row: list[str], findings: int | None = None) -> PayerStatus | None:
    """The payer's status of a table row from its status cell (or the opening of its finding
    cell), or None (no status cell)."""
    if findings is not None and findings < len(row) and (status := _finding(row[findings])[0]):
        return status
    for cell in row:  # '[X] Yes  [ ] No'
        if cell and _CHECKBOX_ANSWER_RE.fullmatch(cell) and (ticked := _ticked(cell)):
            return ticked
    for cell in [row[findings]] if findings is not None and findings < len(row) else row:
        if is_status_only(cell) or _STATUS_NOT_MET_RE.match(cell) or _STATUS_MET_RE.match(cell):
            if _STATUS_MET_RE.match(cell) and cell.strip().lower() == "documented":
                return "met"
            return status_of(cell)
    if findings is None and (closing := _closing_cell(row)) is not None:
        return closing[1]
    return None


_CLOSING_STATUS_RE = re.compile(
    r"^(?P<r>(?:.*[.!?])?)\s*(?:(?:requirement|criterion)\s+)?(?P<s>not\s+satisfied|satisfied|"
    r"not\s+met|met|not\s+applicable|not\s+documented)\s*\.?\s*$",
    re.IGNORECASE | re.DOTALL,
)
"""A cell whose last sentence is the payer's finding on its own ('Age 69. Prescriber is a
dermatologist. REQUIREMENT SATISFIED.', 'Initial request. NOT APPLICABLE.')."""


def _closing_cell(row: Sequence[str]) -> tuple[int, PayerStatus, str | None] | None:
    """(the column, the status, the rest of the cell) of the row's one cell that closes with a
    finding sentence of its own (:data:`_CLOSING_STATUS_RE`), in a table with no finding
    column; None unless exactly one cell of the row does."""
    closing = [
        (i, m)
        for i, cell in enumerate(row)
        if (m := _CLOSING_STATUS_RE.match(" ".join(cell.split())))
    ]
    if len(closing) != 1:
        return None
    i, match = closing[0]
    return i, status_of(match["s"]), match["r"].strip() or None


_CRITERION_HEADER_RE = re.compile(r"criteri|requirement|standard|guideline|rule", re.IGNORECASE)


def _criterion_column(header: list[str]) -> int | None:
    """The column naming the criterion: headed 'Criterion' ('Requirement', 'Standard' ...), or
    one headed 'Measure' ('Item', 'Indication') before a threshold's column ('Measure |
    Required value')."""
    for i, cell in enumerate(header):
        if _CRITERION_HEADER_RE.search(cell) and not _THRESHOLD_HEADER_RE.search(cell):
            return i
    for i, cell in enumerate(header[:-1]):
        named = re.search(r"\b(?:measure|item|indication|parameter)s?\b", cell, re.IGNORECASE)
        if named and any(_THRESHOLD_HEADER_RE.search(c) for c in header[i + 1 :]):
            return i
    return None


_THRESHOLD_HEADER_RE = re.compile(
    r"\bthreshold|\bcut-?off|\brequired\b|\bminimum\b|\bmaximum\b|\btarget\b|\blimit\b",
    re.IGNORECASE,
)
"""A column holding a criterion's threshold ('Criterion | Threshold', 'Measure | Required
value'): read with the criterion's words, never alone."""


def _requirement_column(header: list[str], column: int | None, findings: int | None) -> int | None:
    """A second criterion column after the first ('Criterion | Requirement', 'Criterion |
    Threshold'): the criterion's name and its requirement are read as one text."""
    if column is None:
        return None
    for i in range(column + 1, len(header)):
        if i == findings:
            continue
        if _CRITERION_HEADER_RE.search(header[i]) or _THRESHOLD_HEADER_RE.search(header[i]):
            return i
    return None


def _row_text(row: list[str], column: int | None, second: int | None = None) -> str | None:
    """The criterion cell: the criterion column (with the requirement column after it), else a
    quoted cell, else the longest cell."""
    cells = [c for c in row if c and not _STATUS_NOT_MET_RE.match(c) and not is_status_only(c)]
    if column is not None and column < len(row) and row[column]:
        extra = row[second] if second is not None and second < len(row) else ""
        return _clean(f"{row[column]} {extra}".strip())
    quoted = [c for c in cells if _QUOTED_RE.search(c)]
    candidates = quoted or [c for c in cells if not re.fullmatch(r"[\d.]+", c)]
    return _clean(max(candidates, key=len)) if candidates else None


def _table_lead_in(index: int, zoned: Sequence[Block]) -> str:
    """The lines above a table in its block, else the last sentence of the block before."""
    lines = zoned[index].text.split("\n")
    first = zoned[index].table_line
    if own := " ".join(lines[:first]).strip():
        return split_sentences(own, flatten=True)[-1]
    return (
        split_sentences(zoned[index - 1].text, flatten=True)[-1] if index else zoned[index].heading
    )


# --------------------------------------------------------------------------- criteria: prose

_REQUIREMENT_RE = re.compile(
    r"\b(?:criteri(?:a|on)|polic(?:y|ies)|guidelines?|InterQual|MCG|LCD|NCD|plan|coverage rules?|"
    r"rules?|benefit)\b[^.;:]{0,80}?\b(?:requires?|required|states?|specif(?:y|ies)|calls? for)"
    r"\s+(?:that\s+)?(?P<c>[^;:]+?)\s*(?=;|\.(?:\s|$)|,\s*(?:but|however|which|and this)\b|$)",
    re.IGNORECASE,
)
_DOES_NOT_SHOW_RE = re.compile(
    r"\b(?:documentation|records?|information|notes?|submitted [\w ]{1,20})\s+(?:\w+\s+){0,3}?"
    r"(?:does not|do not|did not|doesn't|don't|fails? to)\s+(?:show|document|demonstrate|"
    r"indicate|include|support|confirm|establish)\s+(?:that\s+)?(?P<c>[^;:]+?)\s*(?=[;.]\s|[;.]?$)",
    re.IGNORECASE,
)
_NO_DOCUMENTATION_RE = re.compile(
    r"\bthere (?:is|was) no (?:documentation|evidence|record)\s+(?:of|that)\s+(?P<c>[^;:]+?)"
    r"\s*(?=[;.]\s|[;.]?$)",
    re.IGNORECASE,
)
_UNMET_RE = re.compile(
    r"\bnot (?:been )?(?:met|documented|shown|demonstrated|provided|submitted)\b|\bno "
    r"(?:documentation|evidence|record)\b|\b(?:was|were|has|have|does|do|did) not\b|\bhowever\b|"
    r"\bbut\b|\black|\bmissing\b|\bno indication\b|\bnot the case\b",
    re.IGNORECASE,
)
_NOT_A_CRITERION_RE = re.compile(
    r"medical(?:ly)? necess|"
    r"\b(?:criteri(?:a|on)|requirements?|guidelines?|polic(?:y|ies))\b.*\bmet\b|"
    r"^(?:the|this|your) (?:request|service)\b|following|^(?:it|this|that)$|"
    # 'require ALL of the items below': the rule pointing at its list, no criterion of it
    r"^(?:(?:all|any|each|every|both|one)\s+(?:of\s+)?)?(?:the\s+)?(?:items?|criteria|"
    r"requirements?|conditions?|elements?)\s+(?:listed\s+)?(?:below|above)$",
    re.IGNORECASE,
)


def _prose_criteria(
    zoned: Sequence[Block], sources: list[tuple[int, str]], *, structured: bool
) -> list[tuple[int, Criterion]]:
    """Quoted criteria and requirement sentences; when the letter already lists its criteria
    (``structured``), 'the records do not show A' sentences only restate them and are skipped."""
    found, read = _ordinal_criteria(zoned, sources)
    if not structured:  # criteria stated sentence by sentence, each citing its section
        sections, taken = _section_criteria(zoned, sources)
        found, read = found + sections, read + taken
    structured = structured or bool(found)
    pending: list[int] = []  # the criteria of the prose paragraphs just above, by index in found
    for index, block in enumerate(zoned):
        if not _prose_block(block):
            pending = []
            continue
        flat = re.sub(r"\s+", " ", block.text)
        if read:  # the sentences the ordinal reading took (a condition, or what was said of it)
            flat = _mask(
                flat, [span for sentence in read for span in _sentence_spans(flat, sentence)]
            )
        quoted = list(_QUOTED_CRITERION_RE.finditer(flat))
        own = [
            (block.start + m.start("c"), _criterion(_clean(m["c"]), block.start, flat, sources))
            for m in quoted
            if _UNMET_RE.search(_around(flat, m))
            and _acceptable(m["c"])
            # 'The request states "severe, failing topicals"': the submission's words
            and not _SUBMISSION_SAYS_RE.search(flat, max(0, m.start() - 60), m.start())
        ]
        masked = _mask(flat, [m.span("c") for m in quoted])
        own += _sentence_criteria(
            block.start,
            masked,
            sources,
            structured or bool(quoted),
            after=_prose_after(index, zoned),
        )
        if own:
            pending = [*pending, *range(len(found), len(found) + len(own))]
            found += own
        elif pending and is_narrative(split_sentences(flat, flatten=True)[0]):
            # the rule in one paragraph (or two: 'The policy further requires ...'), the
            # payer's account of the records in the next: the account is about those criteria
            told = _told([found[i] for i in pending], flat)
            for i, hit in zip(pending, told, strict=True):
                found[i] = hit
            pending = []
        else:
            pending = []
    return found


def _prose_block(block: Block) -> bool:
    return not (block.zone is Zone.boilerplate or _list_items(block) or block.rows is not None)


def _prose_after(index: int, zoned: Sequence[Block]) -> str:
    """The next two prose paragraphs' text, where a rule stated at a paragraph's end finds what
    the payer said of it ('... and either A or B.' then 'The records show ...')."""
    after = []
    for block in zoned[index + 1 : index + 3]:
        if not _prose_block(block):
            break
        after.append(re.sub(r"\s+", " ", block.text))
    return " ".join(after)


def _sentence_criteria(
    offset: int, masked: str, sources: list[tuple[int, str]], structured: bool, after: str = ""
) -> list[tuple[int, Criterion]]:
    """Requirement sentences cut into their conjuncts ('requires that A, that B and that C'),
    each a criterion; the payer's narrative in the rest of the paragraph goes to the criterion
    it is about."""
    found: list[tuple[int, Criterion]] = []
    narrative: list[str] = []
    sentences = split_sentences(masked, flatten=True)
    previous: str | None = None
    for i, sentence in enumerate(sentences):
        following = " ".join([*sentences[i + 1 : i + 4], after]).strip()
        start = offset + masked.find(sentence)
        if _MASK in sentence and not sentence.strip(_MASK + " .!?"):
            continue  # read already (an ordinal condition or what the payer said of it)
        if found and (must := _MUST_SENTENCE_RE.match(sentence)):
            # 'In addition, the member must have A and either B or C.' after the rule's list
            condition = _clean(must["c"])
            if _acceptable(condition):
                found.append(
                    (start + must.start("c"), _criterion(condition, start, sentence, sources))
                )
                previous = condition
                continue
        requirement = (
            _requirement(sentence, following)
            or _one_of_list(sentence, following)
            or _inline_list(sentence)
        )
        if requirement is not None:
            parts, rest = requirement
            found += _part_criteria(parts, start, sentence, sources)
            narrative += [rest] if rest else []
            previous = " ".join(p.text for p in parts)
            continue
        text = None if structured else _missing_evidence(sentence)
        # "X requires A. The records do not show A." states one criterion, not two.
        restated = (
            _same_topic(text, previous)
            or any(len(_content_words(text) & _content_words(c.text)) >= 2 for _, c in found)
            if text
            else False
        )
        if text and _MASK not in text and _acceptable(text) and not restated:
            criterion = _criterion(text, start, sentence, sources)
            update = {"payer_reason": sentence, "payer_status": "not_met"}
            found.append((start, criterion.model_copy(update=update)))
        elif found and (
            is_narrative(sentence)
            or status_from_narrative(sentence)
            or any(len(_content_words(sentence) & _content_words(c.text)) >= 2 for _, c in found)
        ):  # 'The wound is described in the notes as a Wagner grade II ulcer'
            narrative.append(sentence)
        previous = None
    return _told(found, " ".join(narrative))


_MUST_SENTENCE_RE = re.compile(
    r"(?:(?:in addition|additionally|also|furthermore|moreover)\s*,?\s+)?"
    r"(?P<c>(?:the|a|an)\s+(?:member|patient|beneficiary|enrollee|individual|child|adolescent|"
    r"adult)\b[^.;:]{0,60}?\bmust\b(?!\s+(?:file|ask|send|submit|call|request|sign|contact)\b)"
    r"[^.;:]{5,400}?)\.?$",
    re.IGNORECASE,
)
"""A further requirement in the rule's own paragraph after its conditions: 'The member must also
have symptoms that interfere with daily activities and either ...' (never a step of the
appeal: 'the member must file ...')."""
_ORDINAL_OPENER_RE = re.compile(
    r"(?P<o>First|Second|Third|Fourth|Fifth|Sixth|Finally|Lastly|Last)(?:ly)?\s*,\s+",
)
_CONDITIONS_LEAD_RE = re.compile(
    r"\b(?:conditions?|criteria|requirements?|the following|must|only (?:when|if))\b",
    re.IGNORECASE,
)


_SECTION_CITED_RE = re.compile(
    r"\b(?:Section|Sec\.|§)\s*(?P<label>\d{1,2}(?:\.\d{1,2}){1,3}(?:\([a-z0-9]{1,3}\))?)(?![\d.]\d)"
)
"""A policy section a sentence cites by its number ('Section 4.2', '§ 3.1(b)')."""
_PLAN_DOCUMENT_RE = re.compile(
    r"\b(?:Summary Plan Description|SPD|Certificate|Evidence of Coverage|brochure|plan document|"
    r"Article|Benefit Booklet|Member Handbook|ERISA|Code|U\.S\.C|C\.F\.R|CFR)\b",
    re.IGNORECASE,
)
"""A section of the plan's own document or of a law: a benefit provision, never a criterion."""
_SECTION_RULE_RE = re.compile(
    r"\b(?:requires?|required|requirements?|must|limits?|covers?|states?|calls\s+for|allows?|"
    r"permits?|specif(?:y|ies))\b",
    re.IGNORECASE,
)
_FINDING_CLAUSE_RE = re.compile(
    r"(?:,\s*(?:and|but|so|which|while)\s+|;\s*|\s+and\s+(?=the\s+(?:request|records?|notes?|"
    r"\w+\s+note)\b))(?P<f>[^;]*?\b(?:meets?|met|satisf(?:y|ies|ied)|within\s+(?:that|the)\s+"
    r"limit|shows?|showed|received|submitted|documented|performed)\b.*)$",
    re.IGNORECASE,
)
"""The payer's finding closing a section's sentence (', and Dr. X's consultation meets this
requirement', '; the simulation note shows both, which meets it')."""
_MET_CUE_WORDS_RE = re.compile(
    r"\b(?:meets?|(?:is|are|was|were)\s+met|satisf(?:y|ies|ied)|within\s+(?:that|the)\s+limit)\b",
    re.IGNORECASE,
)
_NOT_CUE_WORDS_RE = re.compile(
    r"\b(?:not|no|nothing|never|without|more\s+than|less\s+than|could\s+not)\b", re.IGNORECASE
)
_ACCEPTED_LEAD_RE = re.compile(
    r"\b(?:accepted|approved)\s+(?:part|some|these|the\s+following)\b|"
    r"\b(?:were|was|are|is)\s+met\b|\bmeets?\s+(?:the\s+following|these)\b",
    re.IGNORECASE,
)
_DENIED_LEAD_RE = re.compile(
    r"\b(?:did|does|do)\s+not\s+(?:meet|satisfy)\s+(?:the\s+following|these|parts?)\b|"
    r"\b(?:were|was|are|is)\s+not\s+met\b",
    re.IGNORECASE,
)
"""A sentence without a section that sets the polarity of the prose after it: 'The reviewer
accepted part of the request.' (met), 'The request did not meet the following parts of the
policy.' (not met)."""
_PARTS_FOUND_RE = re.compile(
    r"^(?:the\s+)?(?:reviewer|we|our\s+reviewer)\s+(?:(?P<not>could\s+not|did\s+not|was\s+unable\s+"
    r"to)\s+)?(?:find|finds|found)\s+(?:\w+\s+){0,5}?(?:parts?|conditions?|requirements?|"
    r"criteria|sections?)\b(?!\s*\d)(?P<rest>.{0,80})",
    re.IGNORECASE,
)
"""A sentence that only says which parts the reviewer found, naming the section they belong to
('The reviewer found several parts of Section 4.3.2 satisfied.', 'The reviewer could not find
three of the required conditions.'): the polarity of the sentences after it, no section."""


def _parts_found(sentence: str) -> PayerStatus | None:
    """The polarity a 'the reviewer found ... parts ...' sentence sets (:data:`_PARTS_FOUND_RE`)."""
    found = _PARTS_FOUND_RE.match(sentence)
    if found is None:
        return None
    if found["not"]:
        return "not_met"
    return "met" if re.search(r"\b(?:satisfied|met)\b", found["rest"], re.IGNORECASE) else None


def _section_sentence(sentence: str) -> str | None:
    """The policy section a sentence states a requirement of ('Section 4.1 of GT-17 requires
    ...', 'Under Section 3.2, the member must ...', '..., as Section 4.7 requires'), or None."""
    cited = {m["label"] for m in _SECTION_CITED_RE.finditer(sentence)}
    if len(cited) != 1 or _PLAN_DOCUMENT_RE.search(sentence):
        return None
    if not _SECTION_RULE_RE.search(sentence):
        return None
    return cited.pop()


_SECTION_FOUND_RE = re.compile(
    r"^(?:(?:the\s+)?(?:reviewer|we)\s+found\s+)?(?:Section|Sec\.|§)\s*\S+\s+"
    r"(?:(?:is|was)\s+)?(?:also\s+)?(?P<not>not\s+)?(?:met|satisfied)\b",
    re.IGNORECASE,
)
"""A sentence that gives a section's finding only ('The reviewer found Section 3.1 met: ...',
'Section 3.2 is also met: ...', 'Section 3.3 is not met: ...')."""


def _section_finding(sentence: str) -> tuple[str, PayerStatus] | None:
    """(label, status) of a sentence that only gives a cited section's finding."""
    found = _SECTION_FOUND_RE.match(sentence)
    cited = {m["label"] for m in _SECTION_CITED_RE.finditer(sentence)}
    if found is None or len(cited) != 1:
        return None
    return cited.pop(), "not_met" if found["not"] else "met"


def _section_status(finding: str, polarity: PayerStatus | None) -> PayerStatus:
    """The payer's status of a section from what it said of it (its cue words), unless the
    paragraph's polarity says the opposite ('Nothing in the records shows X, as Section 4.7
    requires' in the paragraph of the accepted parts is met); else the polarity, else not met
    (the notice cites it)."""
    cue = status_from_narrative(finding) if finding else None
    if cue is None and finding:
        if _MET_CUE_WORDS_RE.search(finding) and not _NOT_CUE_WORDS_RE.search(finding):
            cue = "met"
        elif _NOT_CUE_WORDS_RE.search(finding):
            cue = "not_met"
    if cue is None:
        return polarity or "not_met"
    if cue == "not_applicable":  # 'Section 4.3.4, which addresses ..., does not apply.'
        return cue
    if polarity is not None and (cue == "met") != (polarity == "met"):
        return polarity
    return cue


@dataclass
class _Section:
    """One policy section a prose notice states a requirement of (:func:`_section_criteria`)."""

    label: str
    start: int
    """Offset of its first sentence in the letter."""
    rule: str
    """Its words, verbatim (whitespace flattened): the sentence(s) stating it."""
    opens: bool
    """Its first sentence opens with the section ('Section 4.3 also requires ...', 'Under
    Section 3.2, ...'), not only names it ('The microarray required by Section 4.3 was ...')."""
    polarity: PayerStatus | None
    sentence: str
    """Its first sentence, whole."""
    words: list[str] = field(default_factory=list)
    """What the payer said of it."""


_OPENS_WITH_SECTION_RE = re.compile(
    r"^(?:(?:First|Second|Third|Next|Finally|Lastly|Also|In addition|Further)\s*,\s*)?"
    r"(?:(?:Under|Per|According to|In)\s+)?(?:Section|Sec\.|§)",
    re.IGNORECASE,
)


def _section_criteria(
    zoned: Sequence[Block], sources: list[tuple[int, str]]
) -> tuple[list[tuple[int, Criterion]], list[str]]:
    """Criteria a notice states in running prose, each sentence citing the policy section it
    comes from and no list ('Section 4.1 of GT-17 requires ..., and Dr. X's consultation meets
    this requirement.', 'Under Section 3.2, the member must ...', 'Section 4.3 also requires
    ...'): each section is one criterion labelled by it (its sentences in one paragraph read
    as one text; a sentence elsewhere that only names it, 'The microarray required by Section
    4.3 was performed ..., which meets that part of Section 4.3', is what the payer said of
    it), what the payer said of it the rest of its sentence and the sentences after it in its
    paragraph up to the next section; its status from those words, or the polarity of the
    paragraph's lead ('The reviewer accepted part of the request.' / 'The request did not
    meet the following parts of the policy.'). Read only when two or more sections are cited
    so. Also the sentences read, so the prose reader does not read them again."""
    sections: list[_Section] = []
    read: list[str] = []
    told: list[tuple[str, PayerStatus, str]] = []
    polarity: PayerStatus | None = None
    for block in zoned:
        if not _prose_block(block):
            continue
        flat = re.sub(r"\s+", " ", block.text)
        current: _Section | None = None
        at = 0
        for sentence in split_sentences(flat, flatten=True):
            begin = flat.find(sentence, at)
            at = max(at, begin)
            if (lead := _parts_found(sentence)) is not None:
                polarity, current = lead, None
                read.append(sentence)
                continue
            label = _section_sentence(sentence)
            if label is None and (said := _section_finding(sentence)) is not None:
                # 'The reviewer found Section 3.1 met: ...', 'Section 3.3 is not met: ...': the
                # payer's finding on a section stated earlier, with its narrative
                told.append((said[0], said[1], sentence))
                read.append(sentence)
                current = None
                continue
            if label is None:
                if current is not None:
                    current.words.append(sentence)
                    read.append(sentence)
                elif _DENIED_LEAD_RE.search(sentence):
                    polarity = "not_met"
                elif _ACCEPTED_LEAD_RE.search(sentence):
                    polarity = "met"
                continue
            clause = _FINDING_CLAUSE_RE.search(sentence)
            rule = sentence[: clause.start()] if clause else sentence
            read.append(sentence)
            if current is not None and current.label == label and begin > 0:
                # 'Section 4.3 also requires ...' then 'Section 4.3 further states ...': one
                # section, its words from its first sentence to this one's rule
                start_in_flat = current.start - block.start
                current.rule = flat[start_in_flat : begin + len(rule)]
                current.words += [clause["f"]] if clause else []
                continue
            current = _Section(
                label=label,
                start=block.start + max(begin, 0),
                rule=rule,
                opens=bool(_OPENS_WITH_SECTION_RE.match(sentence)),
                polarity=polarity,
                sentence=sentence,
                words=[clause["f"]] if clause else [],
            )
            sections.append(current)
    sections = _fold_named_sections(sections)
    for label, status, sentence in told:
        for section in sections:
            if section.label == label:
                section.polarity, section.words = status, [*section.words, sentence]
                break
    if len({s.label for s in sections}) < 2:
        return [], []
    found: list[tuple[int, Criterion]] = []
    for section in sections:
        rule = _clean(section.rule)
        if not _acceptable(rule):
            continue
        finding = " ".join(section.words).strip()
        criterion = _criterion(rule, section.start, section.rule, sources)
        update = {
            "label": section.label,
            "payer_status": _section_status(finding, section.polarity),
            "payer_reason": finding[:2000] or None,
        }
        found.append((section.start, criterion.model_copy(update=update)))
    return found, read


def _fold_named_sections(sections: list[_Section]) -> list[_Section]:
    """The sections, a sentence that only names a section another sentence states ('The
    microarray required by Section 4.3 was performed ..., which meets that part of Section 4.3'
    beside 'Section 4.3 also requires ...') folded into that one as what the payer said of it."""
    stating = {s.label: s for s in reversed(sections) if s.opens}
    kept: list[_Section] = []
    for section in sections:
        target = stating.get(section.label)
        if section.opens or target is None:
            kept.append(section)
            continue
        target.words[:0] = [section.sentence, *section.words[1 if section.words else 0 :]]
    return kept


_ORDINAL_NEXT = {
    "First": "Second",
    "Second": "Third",
    "Third": "Fourth",
    "Fourth": "Fifth",
    "Fifth": "Sixth",
}
_LAST_ORDINALS = frozenset({"Finally", "Lastly", "Last"})


def _ordinal_criteria(
    zoned: Sequence[Block], sources: list[tuple[int, str]]
) -> tuple[list[tuple[int, Criterion]], list[str]]:
    """Conditions a rule states one by one in prose ('The NCD sets three conditions ...'
    then 'First, A.', 'Second, B.', 'Third/Finally, C.'), in one paragraph or each in its own,
    after a sentence announcing conditions, criteria, requirements or 'the following' within the
    two sentences before 'First' (a story told 'First, we received ...' is none): each is a
    criterion, and the sentences after it until the next ordinal are what the payer said of it
    (its reason, and its status when they state one; else not met, as the notice cites it).
    Also the sentences read, so the prose reader does not read them again."""
    found: list[tuple[int, Criterion]] = []
    read: list[str] = []
    run: list[tuple[int, int, str]] = []  # (block, offset, sentence) of consecutive prose
    for index, block in enumerate([*zoned, None]):
        if block is not None and _prose_block(block):
            flat = re.sub(r"\s+", " ", block.text)
            run += [
                (index, block.start + max(flat.find(sentence), 0), sentence)
                for sentence in split_sentences(flat, flatten=True)
            ]
            continue
        criteria, taken = _ordinal_run(run, sources)
        found += criteria
        read += taken
        run = []
    return found, read


def _ordinal_run(
    run: Sequence[tuple[int, int, str]], sources: list[tuple[int, str]]
) -> tuple[list[tuple[int, Criterion]], list[str]]:
    """The ordinal conditions of one run of prose sentences (:func:`_ordinal_criteria`)."""
    first = next((k for k, (_, _, s) in enumerate(run) if s.startswith("First, ")), None)
    if first is None:
        return [], []
    lead = " ".join(s for _, _, s in run[max(0, first - 2) : first])
    if not _CONDITIONS_LEAD_RE.search(lead):
        return [], []
    steps: list[int] = [first]
    expected = "Second"
    for k in range(first + 1, len(run)):
        opener = _ORDINAL_OPENER_RE.match(run[k][2])
        if opener is None:
            continue
        word = opener["o"]
        if word != expected and word not in _LAST_ORDINALS:
            break
        steps.append(k)
        if word in _LAST_ORDINALS or word not in _ORDINAL_NEXT:
            break
        expected = _ORDINAL_NEXT[word]
    if len(steps) < 2:
        return [], []
    found: list[tuple[int, Criterion]] = []
    read: list[str] = []
    for n, k in enumerate(steps):
        block, start, sentence = run[k]
        end = steps[n + 1] if n + 1 < len(steps) else len(run)
        after = [s for b, _, s in run[k + 1 : end] if b == block or n + 1 < len(steps)]
        if n + 1 == len(steps):  # after the last one: only what speaks of the records
            after = list(takewhile(_says_of_records, after))
        opener = _ORDINAL_OPENER_RE.match(sentence)
        words = [sentence[opener.end() if opener else 0 :]]
        while after and not _says_of_records(after[0]) and not is_status_only(after[0]):
            words.append(after.pop(0))  # the condition goes on: 'This must be documented ...'
        finding = split_finding(" ".join(words))
        condition = _clean(finding.criterion)
        if not _acceptable(condition):
            continue
        told = " ".join(after)
        status = (
            finding.status
            or next((status_of(s) for s in after if is_status_only(s)), None)
            or status_from_narrative(told)
            or "not_met"
        )
        reason = " ".join(r for r in (finding.reason, told) if r) or None
        criterion = _criterion(condition, start, lead, sources).model_copy(
            update={"payer_status": status, "payer_reason": reason}
        )
        found.append((start + (opener.end() if opener else 0), criterion))
        read += [sentence, *words[1:], *after]
    return found, read


def _sentence_spans(flat: str, sentence: str) -> list[tuple[int, int]]:
    """Where ``sentence`` stands in ``flat``, each without its closing mark (so the masked
    sentence still ends one)."""
    cut = len(sentence.rstrip(".!?")) if sentence.rstrip(".!?") else len(sentence)
    return [(m.start(), m.start() + cut) for m in re.finditer(re.escape(sentence), flat)]


def _says_of_records(sentence: str) -> bool:
    """A sentence about the submitted records or the payer's finding, not a rule's words."""
    return (
        is_narrative(sentence)
        or status_from_narrative(sentence) is not None
        or is_status_only(sentence)
        or bool(_NOT_DOCUMENTED_SENTENCE_RE.search(sentence))
    )


_NOT_DOCUMENTED_SENTENCE_RE = re.compile(
    r"\b(?:claims?|records?|notes?|chart|documentation)\s+(?:show|shows|showed|list|lists|"
    r"contain|contains|include|includes)\b|\bwas\s+(?:not\s+)?(?:found|submitted|received|"
    r"provided)\b",
    re.IGNORECASE,
)


_CONJUNCT_RE = re.compile(
    r"(?:,\s*|\s+)and\s+that\s+|;\s+(?:and\s+)?|"
    # ", that B" (not a relative clause: ', that did not control the swelling')
    r",\s+that\s+(?!(?:did|does|do|was|were|is|are|has|have|had|can|could|will|would|failed|"
    r"resulted)\b)|"
    # "the member has A and has had B": a second predicate of the same subject
    r"(?:,\s+(?:and\s+)?|\s+and\s+)(?=(?:has|have|had|is|was|were|will|did|does|shows?)\s)|"
    # "when A, the care is ordered ..., and B": a comma before a clause with its own subject
    r",\s+(?=(?:the|a|an|his|her|their)\s+[\w-]+(?:\s+[\w-]+)?\s+(?:is|are|was|were|has|have|"
    r"needs?|cannot|can|will|must|shows?)\b)|"
    # "(1) A, (2) B, and (3) C": numbered inline
    r",?\s*(?:and\s+|or\s+)?(?<![\w(])\((?:\d{1,2}|[a-h])\)\s+|"
    # "A, and one of the following: B, or C": the one-of list is a criterion of its own
    r",?\s+and\s+(?=(?:one|all|any|either|both)\s+of\s+the\s+following\s*:)|,\s+and\s+(?=either\s)|"
    r",\s+(?:and\s+)?(?:when|if|only when|where)\s+|"
    r",\s+and\s+(?=(?:the|a|an|his|her|their|your|its)\s)",
    re.IGNORECASE,
)
_ONE_OF_RE = re.compile(r"\b(?:one|all|any|either|both) of the following\b", re.IGNORECASE)
_ASIDE_RE = re.compile(
    r",\s+(?:signed|dated|written|taken|given|performed|completed|obtained|measured|made|"
    r"issued|done|ordered)\b[^,;]*$",
    re.IGNORECASE,
)
_SUBJECT_CLAUSE_RE = re.compile(
    r"\s+and\s+(?=(?:the|a|an)\s+(?:[\w-]+\s+){0,5}?[\w-]+(?:,[^,;]{1,100},)?\s+"
    r"(?:is|was|has\s+been|must\s+be)\s)",
    re.IGNORECASE,
)
_VERB_RE = re.compile(r"\b(?:is|are|was|were|has|have|had)\b", re.IGNORECASE)


_INLINE_MARK_RE = re.compile(
    r"(?:(?<=\s)|^)(?P<m>\((?P<p>\d{1,2}|[a-h]|[ivx]{1,4})\)|(?P<b>\d{1,2}|[a-h])\))\s+(?=\S)"
)
_INLINE_ORDERS = (
    tuple(str(n) for n in range(1, 13)),
    tuple("abcdefgh"),
    ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii"),
)


def _inline_items(text: str) -> list[str] | None:
    """The items a clause numbers in its own running text ('when (1) A, (2) B, and (3) C',
    'when 1) A, 2) B, and 3) C'), each with its mark ('(1) A') and without the word joining it
    to the next; None unless a run of at least two marks counts from the first label."""
    depths = paren_depths(text)
    # a mark outside any parentheses ('(1)' opens its own: the depth before it counts)
    marks = [
        m for m in _INLINE_MARK_RE.finditer(text) if not m.start() or not depths[m.start() - 1]
    ]
    for order in _INLINE_ORDERS:
        run: list[re.Match[str]] = []
        for m in marks:
            if len(run) < len(order) and (m["p"] or m["b"]).lower() == order[len(run)]:
                run.append(m)
        if len(run) >= 2:
            ends = [m.start() for m in run[1:]] + [len(text)]
            return [
                re.sub(r"[;,]?\s*\b(?:and|or)$", "", text[m.start() : end].strip(" ,;")).strip(
                    " ,;"
                )
                for m, end in zip(run, ends, strict=True)
            ]
    return None


_INLINE_RULE_LEAD_RE = re.compile(
    r"\b(?:requires?|required|covers?|covered|only\s+(?:if|when)|provided\s+that|criteria|"
    r"conditions|following)\b",
    re.IGNORECASE,
)
"""Words before a sentence's first numbered item that make its items a rule's ('requires each
of the following that applies: (a) ...')."""


def _inline_list(sentence: str) -> tuple[list[Criterion], str] | None:
    """A rule's items numbered in one running sentence, each a criterion with the reviewer's
    finding when the item gives it ('requires each of the following: (a) A, which is met, since
    ...; (b) B, which is not met because ...; and (c) C'), when the words before the first item
    state a rule; an item with no finding of its own is one the denial rests on (not met)."""
    items = _inline_items(sentence)
    if not items or not _INLINE_RULE_LEAD_RE.search(sentence[: sentence.find(items[0])]):
        return None
    either = _either(sentence, items)
    parts = []
    for item in items:
        finding = split_finding(item)
        if value := _prose_value(finding.criterion):
            parts.append(
                Criterion(
                    text=value,
                    payer_status=finding.status or "not_met",
                    payer_reason=finding.reason,
                    alternative=either,
                )
            )
    return (parts, "") if len(parts) >= 2 else None


_OR_BEFORE_RE = re.compile(r"[;,]?\s*\bor\s*$", re.IGNORECASE)


def _either(text: str, items: list[str]) -> bool:
    """True when a clause's numbered items are alternatives: 'or' joins the last one ('(a) A;
    OR (b) B', '1) A, 2) B, or 3) C')."""
    last = text.find(items[-1])
    return last > 0 and bool(_OR_BEFORE_RE.search(text, 0, last))


def _conjuncts(text: str) -> list[tuple[str, bool]]:
    """(part, narrative) for each conjunct of a requirement clause, split outside parentheses
    and before any 'one of the following' list; a part that is the payer's account of the
    records ('and the counseling note you sent meets this requirement') is narrative. Items
    the clause numbers itself ('(1) A, (2) B, and (3) C') are its conjuncts."""
    if items := _inline_items(text):
        return [(item, is_narrative(item) or bool(status_from_narrative(item))) for item in items]
    stop = min(m.end() + 2, len(text)) if (m := _ONE_OF_RE.search(text)) else len(text)
    depths = paren_depths(text)
    cuts = [
        m
        for m in _CONJUNCT_RE.finditer(text, 0, stop)
        if depths[m.start()] == 0
        # ', signed within 60 days before the transport, is on file': the comma closes an
        # aside, the verb is its subject's
        and not (m.group().startswith(",") and _ASIDE_RE.search(text, 0, m.start()))
    ]

    # 'the member is bed-confined and a signed statement is on file': a second clause with its
    # own subject after 'and', when the first has its own verb
    def clause_before(at: int) -> bool:
        start = max((c.end() for c in cuts if c.end() <= at), default=0)
        return bool(_VERB_RE.search(text, start, at))

    cuts += [
        m
        for m in _SUBJECT_CLAUSE_RE.finditer(text, 0, stop)
        if depths[m.start()] == 0
        and clause_before(m.start())
        and not any(c.start() <= m.start() < c.end() for c in cuts)
    ]
    cuts.sort(key=lambda m: m.start())
    points = [0, *[p for m in cuts for p in (m.start(), m.end())], len(text)]
    parts = [text[points[i] : points[i + 1]].strip(" ,;") for i in range(0, len(points), 2)]
    return [
        (part, is_narrative(part) or bool(status_from_narrative(part))) for part in parts if part
    ]


_SUBMISSION_SAYS_RE = re.compile(
    r"\b(?:request(?:\s+form)?|form|notes?|records?|summary|chart|report|prescriber|physician|"
    r"doctor|provider)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
"""What stands before a quotation of the submission ('The request form states "..."'), not of
the payer's rule."""
_MASK = "\x00"
_QUOTED_CRITERION_RE = re.compile(
    r"\b(?:reads|states|says|requires|provides|is|are)(?:\s+that)?\s*:?\s*"
    r"[\"“](?P<c>[^\"”]{15,1000})[\"”]",
    re.IGNORECASE,
)


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span blanked out by mask characters (same length, same offsets)."""
    for start, end in spans:
        text = text[:start] + _MASK * (end - start) + text[end:]
    return text


def _around(flat: str, match: re.Match[str]) -> str:
    """The text near a quoted criterion (outside the quote), where a 'not met' would be."""
    return (
        flat[max(0, match.start() - 300) : match.start()]
        + " "
        + flat[match.end() : match.end() + 200]
    )


_STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        "the a an of to and or for with in on at by that this these has have had was were is are "
        "be been member patient you your records documentation least within than more not no "
        "can only will may must should would could now also any all per it its this",
    )
)


def _same_topic(text: str, previous: str | None) -> bool:
    """True when ``text`` shares a content word with the requirement stated just before."""
    if not previous:
        return False
    return bool(_content_words(text) & _content_words(previous))


def _word_pairs(text: str) -> set[tuple[str, str]]:
    words = [w.rstrip(".") for w in re.findall(r"[\w%.]+", text.casefold())]
    return {(a, b) for a, b in pairwise(words) if a not in _STOPWORDS and b not in _STOPWORDS}


def _content_words(text: str) -> set[str]:
    words = (w.rstrip(".") for w in re.findall(r"[\w%.]+", text.casefold()))
    return {w for w in words if w and w not in _STOPWORDS}


_ALL_OF_HEAD_RE = re.compile(
    r"^(?:all|each|every one) of the following(?: (?:are true|are met|apply|conditions|criteria))?"
    r"\s*:\s*(?=\S[^;]*;)",
    re.IGNORECASE,
)
"""The head of an inline all-of list whose items are parted by ';'."""


def _requirement(sentence: str, following: str) -> tuple[list[Criterion], str] | None:
    """'The criteria require that A and that B; this was not met.' -> ([A, B], 'this was not
    met'), when the sentence, the rest of it or the next ones say the request fell short (or
    tell of the records). A part's own finding ('A, which is met in your case') is its status."""
    matches = [m for m in (_REQUIREMENT_RE.search(sentence), _CONDITION_RE.search(sentence)) if m]
    if not matches:
        return None
    match = min(matches, key=lambda m: m.start())
    # "The guideline states that admission requires that A": the requirement is A
    inner = _INNER_REQUIREMENT_RE.match(match["c"])
    clause = match["c"][inner.end() :] if inner else match["c"]
    # 'medically necessary for a member with A that has lasted 6 months, when B': A is one too
    if who := _FOR_WHOM_RE.search(sentence, match.start(), match.start("c")):
        clause = f"{who['c']}; {clause}"
    # 'when all of the following are true: A; B; and C': each item is a criterion
    listed = bool(_ALL_OF_HEAD_RE.match(clause))
    clause = _ALL_OF_HEAD_RE.sub("", clause, count=1)
    rest = sentence[match.end() :].strip(" ;,.")
    parts: list[Criterion] = []
    told: list[str] = [rest] if rest else []
    for part, narrative in _conjuncts(clause):
        if narrative and parts and not listed:  # an item of the rule's own list is no narrative
            told.append(part)
            continue
        if _EXCLUSION_CLAUSE_RE.match(part):
            continue  # 'states that we do not cover "..."': the exclusion is the ground
        finding = split_finding(part)
        if value := _prose_value(finding.criterion):
            criterion = Criterion(text=value, payer_status=finding.status or "not_met")
            parts.append(criterion.model_copy(update={"payer_reason": finding.reason}))
    if len(parts) == 1 and told and parts[0].payer_reason is None:
        # "requires that A; this was not addressed in the notes": the rest is about A
        reason = " ".join(told)
        cue = status_from_narrative(reason)
        update = {"payer_reason": reason, **({"payer_status": cue} if cue else {})}
        parts[0] = parts[0].model_copy(update=update)
        told = []
    if (items := _inline_items(clause)) and _either(clause, items):
        parts = [p.model_copy(update={"alternative": True}) for p in parts]
    later = split_sentences(following, flatten=True)
    shortfall = (
        _UNMET_RE.search(" ".join(told))
        or _UNMET_RE.search(following[:80])
        or any(regex.search(following) for regex in _VERDICT_RES)  # 'Criterion (1) is met.'
        or any(is_narrative(s) for s in later)
        or any(c.payer_status != "not_met" for c in parts)
        # 'covers ... when all of the following are true: A; B; and C': the rule's own list
        or listed
    )
    return (parts, " ".join(told)) if parts and shortfall else None


_EXCLUSION_CLAUSE_RE = re.compile(
    r"\s*(?:we|the\s+plan|this\s+plan|your\s+plan|it)\s+(?:do|does|will)\s+not\s+(?:cover|pay\s+for)\b",
    re.IGNORECASE,
)
"""A rule's clause that states an exclusion ('the brochure states that we do not cover
"services ... that are experimental"'): the notice's ground, read as such, not a criterion."""
_PROSE_ONE_OF_RE = re.compile(
    r"\b(?P<c>(?:one|any|either) of the following(?:\s+(?:is|are)\s+(?:present|met|documented))?"
    r"\s*:\s*[^:]+?[;,][^:]+?)\s*(?=\.(?:\s|$)|$)",
    re.IGNORECASE,
)


def _one_of_list(sentence: str, following: str) -> tuple[list[Criterion], str] | None:
    """'... when one of the following is present: A; B; or C.' whatever the words before it:
    the one-of list is a criterion (its alternatives the requirements' branches), when what
    follows tells of the records or says the request fell short."""
    match = _PROSE_ONE_OF_RE.search(sentence)
    if match is None or _BOILERPLATE_TEXT_RE.search(sentence):
        return None
    later = split_sentences(following, flatten=True)
    if not (_UNMET_RE.search(following[:160]) or any(is_narrative(s) for s in later[:2])):
        return None
    return [Criterion(text=_clean(match["c"]), payer_status="not_met")], ""


_FOR_WHOM_RE = re.compile(
    r"\bfor\s+(?:an?|the)\s+(?:member|patient|beneficiary|enrollee|child|adult|person)\s+"
    r"(?:with|who)\s+(?P<c>[^;]{10,300}?),\s+(?=(?:only\s+)?(?:when|if|where)\b)",
    re.IGNORECASE,
)
"""Whom a rule covers, before its 'when' ('for a member with chronic neuropathic pain ... that
has lasted at least 6 months, when ...'): a criterion of its own."""
_INNER_REQUIREMENT_RE = re.compile(r"^[^,;]{0,80}?\brequires?\s+(?:that\s+)?", re.IGNORECASE)
_CONDITION_RE = re.compile(
    r"\b(?:(?:it|this policy|the policy|the guideline)\s+(?:also\s+)?requires?\s+(?:that\s+)?|"
    r"\b(?:is|are)\s+covered\s+(?:only\s+)?for\s+(?=an?\s+(?!member|patient|person)\w)|"
    r"(?:covers?|covered|approved|approves?|indicated|appropriate|medically necessary|"
    r"(?<!life )supports?|"
    r"pays? for|allows?)\b(?:[^.;:]|\.(?=\d)){0,120}?"
    r"\b(?:(?:only\s+)?(?:when|if|where)\s+|for\s+(?:members|patients|beneficiaries|enrollees|people)"
    r"\s+who\s+(?:have|has|meet)\s+(?=(?:one|all|any|either|both)\s+of\b)))"
    r"(?P<c>(?:[^:]|(?<=following):|(?<=following are true):|(?<=following are met):|"
    r"(?<=following apply):)+?)\s*(?=\.(?:\s|$)|$)",
    re.IGNORECASE,
)


def _missing_evidence(sentence: str) -> str | None:
    """'The documentation does not show that A.' / 'There is no documentation of A.' -> A."""
    for regex in (_DOES_NOT_SHOW_RE, _NO_DOCUMENTATION_RE):
        if match := regex.search(sentence):
            return _prose_value(_OWN_CLAUSE_RE.split(match["c"], maxsplit=1)[0])
    return None


_OWN_CLAUSE_RE = re.compile(
    r",\s+and\s+(?=(?:your|the|his|her|their)\s+(?:[\w-]+\s+){0,3}?(?:was|were|is|are|had|"
    r"has|have)\b)",
    re.IGNORECASE,
)
"""', and your vital signs were stable ...': a finding of its own after what was not shown."""


def _prose_value(text: str) -> str | None:
    text = _clean(text)
    one_of = _ONE_OF_LIST_RE.search(text)
    if (_NOT_A_CRITERION_RE.search(text) and not one_of) or len(text.split()) < 3:
        return None
    return text


_ONE_OF_LIST_RE = re.compile(
    r"\b(?:one|all|any|either|both) of the following\s*:\s*\S+(?:\s+\S+){2}", re.IGNORECASE
)


# --------------------------------------------------------------------------- alternatives

_ALTERNATIVES_RE = re.compile(
    r"(?<![\w-])(?:preferred|formulary)\s+(?:[\w-]+\s+)?(?:alternatives?|drugs?|agents?|medications?|"
    r"products?|options?|therap(?:y|ies)|biologics?)\b",
    re.IGNORECASE,
)
_ALTERNATIVES_END_RE = re.compile(rf"{_ALTERNATIVES_RE.pattern}[^.:]*:?\s*$", re.IGNORECASE)
"""A list's lead-in that ends naming the preferred alternatives (the list is theirs)."""
_ALTERNATIVES_LEAD_RE = re.compile(
    rf"{_ALTERNATIVES_RE.pattern}[^.:\n]{{0,80}}?(?::|\b(?:include|are)\b)[ \t]*",
    re.IGNORECASE,
)
_ALTERNATIVE_NAME_RE = re.compile(
    r"^(?P<n>[A-Za-z][\w-]*(?:[ \t]+(?![\d(])[A-Za-z][\w-]*){0,3}?(?:\s*\([^()\d]{3,60}\))?)"
    r"(?=\s*(?:\d|\(|$|[,;.]))"
)


def find_preferred_alternatives(text: str) -> list[str]:
    """The preferred (formulary) alternatives the payer names, each as written without
    strength or form: 'Preferred alternatives: FASENRA (benralizumab) 30 mg pen; NUCALA
    (mepolizumab) 100 mg pen' -> ['FASENRA (benralizumab)', 'NUCALA (mepolizumab)'], from an
    inline list or from the bulleted or numbered lines under the lead-in."""
    found: list[str] = []
    for lead in _ALTERNATIVES_LEAD_RE.finditer(text):
        rest = text[lead.end() :]
        if rest.startswith("\n") or not rest.strip("\n").split("\n", 1)[0].strip():
            # the items on the lines below, each behind a list marker
            items = []
            for line in rest.lstrip("\n").split("\n"):
                marker = _LIST_MARKER_RE.match(line)
                if not marker:
                    break
                items.append(marker["body"])
        else:  # an inline list up to the end of its sentence or paragraph
            body = re.split(r"\n[ \t]*\n|\.(?:\s|$)", rest, maxsplit=1)[0]
            items = re.split(r"[;,]\s*(?:or\s+|and\s+)?|\s+(?:or|and)\s+", " ".join(body.split()))
        for item in items:
            name = _ALTERNATIVE_NAME_RE.match(" ".join(item.split()).strip(" *-•"))
            if name and name["n"] not in found and len(name["n"]) >= 4:
                found.append(name["n"])
    return found[:12]


# --------------------------------------------------------------------------- public

CELL_SEPARATOR = "\u241e"
"""Separates table cells in :func:`readable_text`, so no match spans two cells."""


def readable_text(text: str, zoned: Sequence[Block] | None = None) -> str:
    """The letter, then each '|' table's cells read whole: a cell wrapped over several lines
    (with other columns between its pieces) is joined, so that its words occur in order.
    Provenance checks of criteria search this text (:attr:`Reading.readable`: ``read_criteria``
    and ``extract.enforce_provenance`` both read it). ``zoned``: the text's blocks, if read."""
    cells: list[str] = []
    for block in blocks(text) if zoned is None else zoned:
        if block.rows is None:
            continue
        rows = [list(row) for row in block.rows]
        header = rows[0] if rows else []
        column = _criterion_column(header)
        second = _requirement_column(header, column, _finding_column(header))
        for row in rows:
            cells += [cell for cell in row if cell]
            if column is not None and second is not None and second < len(row):
                cells.append(f"{row[column]} {row[second]}")  # the criterion read by its name
    # an item's status closing a line above its sub-items is read at the item's end
    # (_Item.text): its words are then read without it
    unmarked = _CHECKBOX_ANSWER_RE.sub(" ", _PAREN_STATUS_LINE_RE.sub("\n", text))
    if unmarked != text:
        cells.append(unmarked)
    # the text without the marks the general reading reads as findings
    if (bare := general_reading.unmarked(text)) != text:
        cells.append(bare)
    return text if not cells else text + CELL_SEPARATOR + CELL_SEPARATOR.join(cells)


_QUESTION_RE = re.compile(
    r"^[ \t]*(?:Q|Question)[ \t]*#?[ \t]*(?P<n>\d{1,2})[ \t]*[.):\-–—]?[ \t]+(?P<body>\S.*)$"
)
"""A worksheet's question line ('Q3. Is progression documented ...', 'Q1) ...', 'Question 2:')."""
_ASKS_RE = re.compile(
    r"^(?:is|are|was|were|has|have|had|does|do|did|can|could|will|would|should|may|must|if|"
    r"what|which|when|where|who|how)\b|\?",
    re.IGNORECASE,
)
"""What makes a 'Q<n>' line a question: an interrogative first word or a question mark
('Q1 2026 - 12 visits billed' is a quarter of a visit history, no question)."""
_ANSWER_RE = re.compile(
    r"^[ \t]*(?:A[ \t]*(?P<n>\d{1,2})|(?i:(?:(?:reviewer|nurse|physician)(?:['’]s)?[ \t]+)?"
    r"(?:answer|ans|response|reply|finding|determination|result)(?:[ \t]*#?[ \t]*(?P<m>\d{1,2}))?))"
    r"[ \t]*[.):\-–—][ \t]*(?P<body>\S.*)$"
)
"""A worksheet's answer line ('A3. No. A single tomography ...', 'A1) Yes.', 'Answer: Not
documented.', 'Reviewer response 2 - No', 'Finding: Yes.' under its question): a bare 'A' only
with its question's number."""
_ANSWER_WORD_RE = re.compile(
    r"^(?P<s>yes|no|y|n|not[ \t]+(?:met|documented|provided|submitted|received|applicable)|n/?a|"
    r"partially(?:[ \t]+met)?|met|unknown|unable[ \t]+to[ \t]+(?:determine|verify))"
    # the answer word stands alone ('No.', 'Yes -', 'Yes (AHI 31)', 'Y'), never a sentence's
    # first word ('No documentation of physical therapy was received')
    r"(?=[ \t]*(?:[.,;:()\-–—]|$))[ \t.,;:)\-–—]*",
    re.IGNORECASE,
)


_ABSENT_RE = re.compile(
    r"^(?:no|none\s+of\s+the)\s+(?:[\w-]+\s+){0,3}?(?:documentation|records?|evidence|reports?|"
    r"notes?|results?|documents?|data)\b",
    re.IGNORECASE,
)
"""An answer saying the records lack something ('No documentation of ...', 'No evidence of ...
was submitted'): not documented."""


def _answer_status(answer: str) -> tuple[PayerStatus, str | None]:
    """The status a worksheet answer gives its question ('Yes.' met, 'No.' not met, 'Not
    documented.' / 'Not received' / 'Unable to determine' not documented, 'Not applicable'),
    and the reviewer's words after it as the reason."""
    if word := _ANSWER_WORD_RE.match(answer):
        said = " ".join(word["s"].lower().split())
        rest = finding_reason(answer[word.end() :])
        said = {"y": "yes", "n": "no"}.get(said, said)
        if said in {"no", "partially", "partially met"}:
            return "not_met", rest
        if said in {"unknown"} or said.startswith("unable"):
            return "not_documented", rest
        return status_of(said), rest
    if _ABSENT_RE.match(answer):  # 'No documentation of physical therapy was received.'
        return "not_documented", finding_reason(answer)
    return status_from_narrative(answer) or "not_met", finding_reason(answer)


def _asks(words: str) -> bool:
    """Whether a 'Q<n>' line's words ask a question (see :data:`_ASKS_RE`)."""
    return bool(_ASKS_RE.match(words) or "?" in words)


def _question_criteria(
    text: str, sources: list[tuple[int, str]]
) -> tuple[list[tuple[int, Criterion]], list[tuple[int, int]]]:
    """A reviewer worksheet's questions, each a criterion labelled by its number ('Q3') with
    the reviewer's answer as its finding ('A3. No. A single tomography ...'), and the spans the
    worksheet covers (other readers' items inside them are the questions' own parts). Read only
    when at least two questions carry their answer; a question whose answer names another
    number, or that runs into a blank line first, has none."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    found: list[tuple[int, Criterion]] = []
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        question = _QUESTION_RE.match(lines[i])
        if question is None:
            i += 1
            continue
        body, j = [question["body"]], i + 1
        while j < len(lines) and lines[j].strip() and not _ANSWER_RE.match(lines[j]):
            if _QUESTION_RE.match(lines[j]) or len(body) > 15:
                break
            body.append(lines[j].strip())
            j += 1
        answer = _ANSWER_RE.match(lines[j]) if j < len(lines) else None
        number = answer and (answer["n"] or answer["m"])
        if answer is None or (number and int(number) != int(question["n"])):
            i = max(j, i + 1)
            continue
        said, k = [answer["body"]], j + 1
        while k < len(lines) and lines[k].strip() and not _RULE_LINE_RE.match(lines[k]):
            if _QUESTION_RE.match(lines[k]) or _ANSWER_RE.match(lines[k]):
                break
            said.append(lines[k].strip())
            k += 1
        position = starts[i] + question.start("body")
        if not _acceptable(words := " ".join(body)) or not _asks(words):
            i = k
            continue  # 'Q3. PT': too short to be a criterion's words; 'Q1 2026 ...': no question
        criterion = _criterion(words, position, "", sources)
        status, reason = _answer_status(" ".join(said))
        found.append(
            (
                position,
                criterion.model_copy(
                    update={
                        "label": f"Q{int(question['n'])}",
                        "payer_status": status,
                        "payer_reason": reason,
                    }
                ),
            )
        )
        spans.append((starts[i], starts[k] if k < len(lines) else len(text)))
        i = k
    return (found, spans) if len(found) >= 2 else ([], [])


_CODE_LEGEND_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<code>(?P<group>CO|OA|PI|PR|CR)[ -]?(?P<carc>[A-Z]?\d{1,3})|"
    r"(?P<rarc>[MN]A?\d{1,4}))[ \t]{2,}(?P<desc>[A-Za-z\"“].*)$",
    re.M,
)
"""A line of a remittance's code legend ('  CO-50   These are non-covered services ...', '  N29
Missing documentation ...'): a group-prefixed adjustment reason code or a remark code, then
the payer's description."""


def _legend_spans(text: str) -> list[tuple[int, int]]:
    """The spans of a remittance's code legend ('  CO-50   These are non-covered services ...',
    '  N29     Missing documentation ...', each with its wrapped lines): what its codes mean,
    never a criterion in its words. None when it lists fewer than two codes."""
    spans: list[tuple[int, int]] = []
    for match in _CODE_LEGEND_RE.finditer(text):
        end = match.end()
        for line in text[end + 1 :].split("\n"):
            # the description's wrapped lines, indented past the code
            if not line.strip() or _CODE_LEGEND_RE.match(line):
                break
            if len(line) - len(line.lstrip()) <= len(match["indent"]):
                break
            end += len(line) + 1
        spans.append((match.start(), end))
    return spans if len(spans) >= 2 else []


def find_criteria(letter: DenialLetter | Reading | str) -> list[Criterion]:
    """The criteria the payer did not call met, in letter order (:func:`read_criteria`)."""
    return [c for c in read_criteria(letter) if c.payer_status != "met"]


def read_criteria(letter: DenialLetter | Reading | str, *, trees: bool = True) -> list[Criterion]:
    """Every criterion the payer cites, in letter order, each with its source, typed
    requirements, the payer's status and the payer's narrative about the records, and (with
    ``trees``) its requirement tree; an engine's reading leaves the trees to extraction's
    provenance check, which reads every criterion's (``extract._checked_criteria``).

    Injected parts of the letter (text addressed to a model: ``pipeline.injection``) are read as
    blank: no criterion or source comes from them."""
    read = reading(letter)
    text = read.plain
    zoned = read.blocks
    # a policy the notice names for an alternative is never a criterion's source
    sources = applied_sources(text, find_sources(text))
    hits = (
        _list_criteria(zoned, sources)
        + _row_criteria(zoned, sources)
        + _table_criteria(zoned, sources)
        + _dimension_criteria(zoned, sources)
    )
    hits += _prose_criteria(zoned, sources, structured=bool(hits))
    questions, asked = _question_criteria(text, sources)
    if questions:  # a worksheet's questions with their answers, read whole
        hits = [h for h in hits if not any(a <= h[0] < b for a, b in asked)] + questions
    legend = _legend_spans(text)
    # a remittance's code legend states what its codes mean, never a criterion in its words
    hits = [h for h in hits if not any(a <= h[0] < b for a, b in legend)]
    # Only text that occurs in the letter (whitespace aside), reading wrapped tables by cell.
    readable = " ".join(read.readable.split()).casefold()
    seen: set[str] = set()
    placed: list[tuple[int, Criterion]] = []
    for position, criterion in sorted(hits, key=lambda hit: hit[0]):
        key = " ".join(criterion.text.split()).casefold()
        if key not in seen and key in readable:
            seen.add(key)
            placed.append((position, criterion))
    # a preferred alternative the notice names is not a criterion ('FASENRA (benralizumab) 30 mg')
    named = [a.casefold() for a in find_preferred_alternatives(text)]
    placed = [(p, c) for p, c in placed if not any(c.text.casefold().startswith(a) for a in named)]
    # an appeal's timeframe ('Standard reconsideration: decision within 30 calendar days') is a
    # right of the notice, never a criterion
    placed = [
        (p, c)
        for p, c in placed
        if not (_REVIEW_LEAD_RE.match(c.text) and DECISION_CLOCK_RE.search(c.text))
    ]
    placed = [_labelled(text, p, c) for p, c in placed]
    labels = [c.label for _, c in placed]
    placed = [(p, c) for p, c in placed if not _combines_others(c, labels)]
    result = [c for _, c in placed]
    own = [
        _own_label(text, p)
        or _inline_label(c.label)
        # a decimal outline's '1.2': a verdict names it by that label ('Requirements 1.2 and 2.2')
        or (c.label if c.label and re.fullmatch(r"\d{1,2}(?:\.\d{1,2}){1,2}", c.label) else None)
        for p, c in placed
    ]
    result = _with_verdicts(result, zoned, own)
    if result:
        ends = [span[1] for c in result if (span := literal.words(text, c.text.split()[:6]))]
        if len(ends) == len(result):  # every criterion placed: findings after the last one
            result = _keyed(result, _keyed_findings(zoned, max(ends), result))
    result = _by_labels(result, read.masked, sources)
    result = _headed_names(result, read.masked)
    if not result:
        result = _prose_points(read, sources)
    result = _with_general(result, read, sources)
    result = [c.model_copy(update={"payer_lacks": lacks_in(c.payer_reason)}) for c in result]
    if not trees:
        return result
    return [c.model_copy(update={"tree": requirement_tree(c)}) for c in result]


def _by_labels(
    criteria: list[Criterion], text: str, sources: list[tuple[int, str]]
) -> list[Criterion]:
    """The criteria with what a list under the payer's own labels of any shape says
    (``labelled_criteria``: 'G1', 'HA-2', 'II.A', '(1)', 'Criterion 2a:', and the findings that
    name them by label). A notice no other reader found criteria in, or whose criteria carry no
    label and match few of the labelled ones, is read from that list; a criterion the list also
    prints gains its label and, when it has no finding of its own, the finding the notice gives
    that label; criteria of the list the others did not read (a second section's) are added
    when the notice gives them a finding."""
    legend = _legend_spans(text)
    # a remittance's code legend ('CO-50   These are non-covered ...') is no labelled list
    items = [
        i
        for i in read_labelled(text)
        if not any(a <= i.start < b for a, b in legend) and len(" ".join(i.text.split())) >= 3
    ]
    if len(items) < 2:
        return criteria
    matches = {i: _matching(item.text, criteria) for i, item in enumerate(items)}
    matched = sum(m is not None for m in matches.values())
    stated = any(item.status is not None for item in items)

    def read(item: LabelledItem) -> Criterion:
        status = item.status or ("not_stated" if stated else "not_met")
        criterion = _criterion(" ".join(item.text.split()), item.start, "", sources)
        update = {"label": item.label, "payer_status": status, "payer_reason": item.reason}
        return criterion.model_copy(update=update)

    if not criteria or (
        all(c.label is None for c in criteria) and len(items) >= 3 and 2 * matched < len(items)
    ):
        return [read(item) for item in items]
    one_to_one = len({m for m in matches.values() if m is not None}) == matched
    if all(c.label is None for c in criteria) and len(items) >= 3 and one_to_one:
        # the same list read without its labels ('[ ] Not met  [X] Met   1. ...'): read from
        # the labelled list, an item keeping the finding the other reading gave it when the list
        # gives none; a criterion of other words stays where it stands
        placed: list[tuple[int, Criterion]] = []
        for i, item in enumerate(items):
            criterion = read(item)
            if item.status is None and (index := matches[i]) is not None:
                own = criteria[index]
                kept = {"payer_status": own.payer_status, "payer_reason": own.payer_reason}
                criterion = criterion.model_copy(update=kept)
            placed.append((item.start, criterion))
        inside = " ".join(item.text for item in items)
        placed += [
            (_first_at(text, c), c)
            for index, c in enumerate(criteria)
            if index not in matches.values() and not _words_within(c.text, inside)
        ]
        return [c for _, c in sorted(placed, key=lambda pair: pair[0])]
    result = list(criteria)
    for i, item in enumerate(items):
        index = matches[i]
        if index is None:
            continue
        criterion = result[index]
        update: dict[str, object] = {}
        if criterion.label is None:
            update["label"] = item.label
        unstated = criterion.payer_reason is None and criterion.payer_status in (
            "not_met",
            "not_stated",
        )
        if item.status is not None and unstated:
            update.update(payer_status=item.status, payer_reason=item.reason)
        result[index] = criterion.model_copy(update=update)
    shapes = {label_shape(c.label) for c in result if c.label}
    # a second section of the same labels ('1.1'-'1.3' beside '2.1'-'2.6'), never sub-items
    # of another shape ('(iv)' under '2.')
    missing = [
        item
        for i, item in enumerate(items)
        if matches[i] is None and label_shape(item.label) in shapes
    ]
    labels = {c.label for c in result}
    if missing and matched and all(item.status is not None for item in missing):
        added = [read(item) for item in missing if item.label not in labels]
        placed = sorted(
            [(_first_at(text, c), c) for c in result]
            + [
                (item.start, c)
                for item, c in zip(
                    (m for m in missing if m.label not in labels), added, strict=True
                )
            ],
            key=lambda pair: pair[0],
        )
        result = [c for _, c in placed]
    return result


_HEADED_ID_RE = re.compile(
    r"^[ \t]*[A-Z][A-Z &/-]{3,40}[ \t]*\((?P<id>[A-Z][A-Z0-9]*(?:[-.][A-Z0-9]+)+)\)[ \t]*:"
)
"""A paragraph headed by a ground's name and the payer's id for it ('QUANTITY LIMIT
(QL-PAH-114): 1 single-vial kit ...')."""


def _headed_names(criteria: list[Criterion], text: str) -> list[Criterion]:
    """Criteria the notice numbers, with a ground of its own after them (a quantity limit)
    named by the payer's id for it, never given the next number: a criterion without a label
    among labelled ones whose paragraph opens with a heading and an id ('QUANTITY LIMIT
    (QL-PAH-114): ...') is labelled with that id."""
    if sum(c.label is not None for c in criteria) < 2:
        return criteria
    result = []
    for criterion in criteria:
        at = _first_at(text, criterion)
        if criterion.label is None and at < len(text):
            start = max(text.rfind("\n\n", 0, at), text.rfind("\n \n", 0, at)) + 1
            paragraph = text[start:at].lstrip("\n")
            if (head := _HEADED_ID_RE.match(paragraph)) is not None:
                criterion = criterion.model_copy(update={"label": head["id"]})
        result.append(criterion)
    return result


def _same_words(a: str, b: str) -> bool:
    """True when two readings of a criterion are the same words (one holds the other and is at
    least half as long, or their words overlap with F1 >= 0.7)."""
    x, y = " ".join(a.split()).casefold(), " ".join(b.split()).casefold()
    short, long = sorted((x, y), key=len)
    if len(short) >= 15 and short in long and 2 * len(short) >= len(long):
        return True
    wa, wb = set(re.findall(r"\w+", x)), set(re.findall(r"\w+", y))
    shared = len(wa & wb)
    return bool(shared) and 2 * shared / (len(wa) + len(wb)) >= 0.7


_QUOTATION_RE = re.compile(r"[\"“][^\"“”]{40,}[\"”]")
"""A quotation in the notice (an earlier decision quoted in a reconsideration)."""


def _with_general(
    criteria: list[Criterion], read: Reading, sources: list[tuple[int, str]]
) -> list[Criterion]:
    """The layout readers' criteria weighed against the general reading (``general_reading``:
    requirement sentences and marked items wherever they sit, findings by label, reference or
    position). The reading that accounts for more of the notice's requirements wins: the
    general one when the layout readers found none, or fewer than half of its requirements and
    fewer criteria; else the layout readers' criteria stand, each taking the general reading's
    label and finding where it has none of its own."""
    general = general_reading.read(read.plain)
    general_reading.attach(general)
    legend = _legend_spans(read.plain)
    points = [p for p in general.points if not any(a <= p.start < b for a, b in legend)]
    if not points:
        return criteria
    # the requirements the general reading is sure of: a finding or requirement words of its own
    sure = [p for p in points if p.weight >= 2 or general_reading.states_requirement(p.text)]
    covered = [p for p in sure if any(_same_words(p.text, c.text) for c in criteria)]
    if (not criteria and sure) or (
        len(sure) >= 2 and 2 * len(covered) < len(sure) and len(criteria) < len(sure)
    ):
        return [_from_point(p, read.plain, sources) for p in points]
    quotes = [(m.start(), m.end()) for m in _QUOTATION_RE.finditer(read.plain)]
    kept = []
    for criterion in criteria:
        point = next((p for p in points if _same_words(p.text, criterion.text)), None)
        update: dict[str, object] = {}
        if point is not None:
            if criterion.label is None and point.label is not None:
                update["label"] = point.label
            if point.alternative and not any(c.alternative for c in criteria):
                # one of the alternatives a one-of lead-in leads, where the layout readers
                # read none
                update["alternative"] = True
            unstated = criterion.payer_status == "not_stated" or (
                criterion.payer_status == "not_met" and not criterion.payer_reason
            )
            # a finding read from a quoted earlier decision yields to the notice's own
            reason = criterion.payer_reason
            quoted = reason is not None and any(
                _words_within(reason, read.plain[a:b]) for a, b in quotes
            )
            # a finding the layout readers gave it that the notice says of another criterion
            elsewhere = (
                reason is not None
                and not any(_words_within(reason, s) for s in point.named_by)
                and any(
                    _words_within(reason, s)
                    for other in points
                    if other is not point
                    for s in other.named_by
                )
            )
            # the same sentence that names it, read for the clause that names it ('we cannot
            # say the second condition is met' is not documented)
            same = reason is not None and any(_words_within(reason, s) for s in point.named_by)
            told = unstated or quoted or elsewhere or same
            if told and point.status is not None and point.weight >= 2:
                update["payer_status"] = point.status
                own = quoted or elsewhere
                update["payer_reason"] = point.reason if own else reason or point.reason
        kept.append(criterion.model_copy(update=update) if update else criterion)
    return kept


def _from_point(
    point: general_reading.Point, text: str, sources: list[tuple[int, str]]
) -> Criterion:
    criterion = _criterion(point.text, point.start, "", sources)
    update: dict[str, object] = {
        "label": point.label,
        "payer_status": point.status or "not_met",
        "payer_reason": point.reason[:2000] if point.reason else None,
        "alternative": point.alternative,
    }
    if point.logic == "any":
        update["logic"] = "any"
    return criterion.model_copy(update=update)


def _prose_points(read: Reading, sources: list[tuple[int, str]]) -> list[Criterion]:
    """The last reading of a notice nothing else found criteria in: the requirement points its
    decision prose states, each with its finding (``prose_fallback``), unnumbered."""
    paragraphs = [b.text for b in read.blocks if b.zone is not Zone.boilerplate and b.rows is None]
    found = []
    for point in prose_points(paragraphs):
        span = literal.words(read.plain, point.text.split())
        at = span[0] if span else len(read.plain)
        criterion = _criterion(point.text, at, "", sources)
        update = {"payer_status": point.status, "payer_reason": point.reason}
        found.append(criterion.model_copy(update=update))
    return found


def _words_within(text: str, inside: str) -> bool:
    """True when most of a text's words (three in five) are words of ``inside``: a piece of
    a labelled item read apart ('Does not apply titration through 20 mg/kg/day')."""
    marks = {"not", "met", "x", "yes", "no", "does", "apply", "n/a"}  # a check box's words
    words = {w for w in _content_words(text) if w not in marks and not w.isdigit()}
    return bool(words) and 5 * len(words & _content_words(inside)) >= 3 * len(words)


def _first_at(text: str, criterion: Criterion) -> int:
    span = literal.words(text, criterion.text.split()[:6])
    return span[0] if span else len(text)


def _matching(text: str, criteria: Sequence[Criterion]) -> int | None:
    """The criterion whose words are the labelled item's (word overlap F1 of 0.7 or more, or
    one text inside the other), or None."""
    words = _content_words(text) or set(text.casefold().split())
    best, best_f1 = None, 0.0
    for index, criterion in enumerate(criteria):
        other = _content_words(criterion.text) or set(criterion.text.casefold().split())
        common = len(words & other)
        f1 = 2 * common / (len(words) + len(other)) if common else 0.0
        flat = " ".join(text.split()).casefold()
        own = " ".join(criterion.text.split()).casefold()
        if (own in flat or flat in own) and 5 * min(len(own), len(flat)) >= 3 * max(
            len(own), len(flat)
        ):
            f1 = max(f1, 0.95)  # one inside the other, not a sub-item inside its parent
        if f1 > best_f1:
            best, best_f1 = index, f1
    return best if best_f1 >= 0.7 else None


_REVIEW_LEAD_RE = re.compile(
    r"^\W*(?:(?:standard|expedited|fast|urgent|pre-service|post-service)\s+)?"
    r"(?:appeals?|reconsiderations?|redeterminations?|grievances?|hearings?|reviews?)\b",
    re.IGNORECASE,
)
"""An item led by the review it times ('Standard reconsideration: decision within 30 calendar
days'): with a decision clock (:data:`text.clocks.DECISION_CLOCK_RE`) a right of the notice,
never a criterion; a criterion that only mentions a review decision keeps its place."""
_COMBINES_RE = re.compile(
    r"\b(?:all|any|each|every|both|either|one|none)\s+of\b|\brequires?\b|\bmust\s+be\s+met\b",
    re.IGNORECASE,
)


def _combines_others(criterion: Criterion, labels: Sequence[str | None]) -> bool:
    """True when an outline item only says how other items combine ('I. Initial therapy
    requires ALL of sections II through IV', 'Coverage requires II.a, II.b and II.c'): a short
    line naming two or more of the other criteria by their labels, a range or a list. It is
    the outline's rule, not a criterion the letter answers."""
    text = criterion.text
    if len(text.split()) > 14 or not _COMBINES_RE.search(text):
        return False
    others = {label for label in labels if label and label != criterion.label}
    named = {
        label
        for match in _GROUP_RANGE_RE.finditer(text)
        for label in others
        if _in_range(label, match["first"].strip(), match["last"])
    }
    named |= {label for label in others if next(spans_of(text, label, whole=True), None)}
    return len(named) >= 2


# --------------------------------------------------------------------------- groups

_RANGE_LABEL = r"\(?[A-Za-z]?\d{0,2}(?:\.\d{1,2}){0,3}[A-Za-z]?\)?"
_GROUP_RANGE_RE = re.compile(
    rf"\s*(?P<first>{_RANGE_LABEL})\s*(?:-|–|—|through|to)\s*(?P<last>{_RANGE_LABEL})(?!\w)"
)
"""The labels a count names its members by: 'B1-B5', '4.1 through 4.6', '(a)-(e)'."""
_GROUP_FOLLOWING_RE = re.compile(r"\s*(?:the\s+following|these)\b", re.IGNORECASE)


def _label_key(label: str) -> tuple[str, int] | None:
    """A label as (its stem, its place in the stem's sequence): 'B3' -> ('B', 3), '4.2' ->
    ('4.', 2), '(c)' -> ('(', 3), 'iv' -> ('', 4) among roman labels; None for another form."""
    bare = label.strip("()")
    if m := re.fullmatch(r"(.*?)(\d{1,2})", bare):
        return m[1], int(m[2])
    if bare.lower() in _ROMAN and len(bare) > 1:
        return "roman", _ROMAN[bare.lower()]
    if len(bare) == 1 and bare.isalpha():
        return "letter", ord(bare.lower()) - ord("a") + 1
    return None


def _in_range(label: str | None, first: str, last: str) -> bool:
    low, high, key = _label_key(first), _label_key(last), _label_key(label or "")
    return (
        key is not None
        and low is not None
        and high is not None
        and low[0] == high[0] == key[0]
        and low[1] <= key[1] <= high[1]
    )


def _criterion_spans(text: str, criteria: Sequence[Criterion]) -> list[tuple[int, int] | None]:
    """Where each criterion's wording stands in the text, in order (whitespace aside; None
    when it is not found whole)."""
    spans: list[tuple[int, int] | None] = []
    at = 0
    for criterion in criteria:
        words = criterion.text.split()
        found = literal.words(text, words, at) if words else None
        if found is None and words:  # read from a wrapped table: placed by its first words
            found = literal.words(text, words[:6], at)
            spans.append((found[0], found[0] + len(criterion.text)) if found else None)
        else:
            spans.append(found)
        if found is not None:
            at = found[0]
    return spans


def _list_end(zoned: Sequence[Block], index: int, at: int) -> int:
    """Where the list a lead-in at ``at`` introduces ends: its block's end, or the next
    block's when the lead-in ends its block ('at least two of the following:' then a blank
    line)."""
    block = zoned[index]
    end = block.start + len(block.text)
    if block.text.find("\n", at - block.start) < 0 and index + 1 < len(zoned):
        following = zoned[index + 1]
        return following.start + len(following.text)
    return end


_ONE_OF_SUBS_RE = re.compile(r"(?:one|either|any)\s+of(?=\s+the\s+following\b)", re.IGNORECASE)
"""A bare count of one ('ONE of the following:'): a group when it leads the lettered routes of one
labelled item ('3. ... documented by ONE of the following:' over 'a.', 'b.', 'c.')."""


def _needed_matches(text: str) -> list[re.Match[str]]:
    """The counts in ``text`` (:data:`NEEDED_RE`), and the bare 'ONE of the following' that is
    not inside one of them, in order."""
    counted = list(NEEDED_RE.finditer(text))
    bare = [
        m
        for m in re.finditer(rf"\b{_ONE_OF_SUBS_RE.pattern}", text, re.IGNORECASE)
        if not any(c.start() <= m.start() < c.end() for c in counted)
    ]
    return sorted(counted + bare, key=lambda m: m.start())


def _parent_label(label: str | None) -> str | None:
    """The label of the item a sub-item's label names it under ('3a' -> '3', 'III.A' -> 'III');
    None for a label of no parent."""
    if label is None:
        return None
    if m := re.fullmatch(r"(\d{1,2})[a-z]", label):
        return m[1]
    return label.rsplit(".", 1)[0] if "." in label else None


def read_groups(
    letter: DenialLetter | Reading | str, criteria: Sequence[Criterion]
) -> list[tuple[list[int], int, str]]:
    """The notice's groups of criteria of which a count is needed, each as (the members'
    indexes in ``criteria``, how many must be met, the notice's words): 'SECTION B -
    Physiologic impairment: AT LEAST TWO of B1-B5' (the criteria labelled B1 to B5), 'at least
    two of the following:' over a list (the criteria of that list). A count inside one
    criterion's own wording is that criterion's (``Criterion.at_least``), not a group."""
    read = reading(letter)
    spans = _criterion_spans(read.plain, criteria)
    groups: list[tuple[list[int], int, str]] = []
    for index, block in enumerate(read.blocks):
        if block.zone is Zone.boilerplate:
            continue
        for match in _needed_matches(block.text):
            at = block.start + match.start()
            bare = match.re is not NEEDED_RE
            count = 1 if bare else needed(match.group())
            if count is None or any(span and span[0] <= at < span[1] for span in spans):
                continue
            rest = block.text[match.end() :]
            members: list[int] = []
            if named := _GROUP_RANGE_RE.match(rest):
                members = [
                    i
                    for i, c in enumerate(criteria)
                    if _in_range(c.label, named["first"], named["last"])
                ]
            elif _GROUP_FOLLOWING_RE.match(rest):
                end = _list_end(read.blocks, index, at)
                members = [i for i, span in enumerate(spans) if span and at < span[0] < end]
            parents = {_parent_label(criteria[i].label) for i in members}
            if bare and (len(parents) != 1 or None in parents):
                continue  # a bare 'ONE of the following' groups a labelled item's routes only
            if len(members) >= 2 and count <= len(members):
                line_start = block.text.rfind("\n", 0, match.start()) + 1
                line_end = block.text.find("\n", match.end())
                line = block.text[line_start : line_end if line_end >= 0 else len(block.text)]
                groups.append((members, count, " ".join(line.split())[:300]))
    # a run of alternatives no count words group ('Part B - ONE of the following:' over table
    # rows the general reading read as alternatives)
    grouped = {i for members, _, _ in groups for i in members}
    run: list[int] = []
    for i, criterion in enumerate([*criteria, None]):
        if criterion is not None and criterion.alternative and i not in grouped:
            run.append(i)
            continue
        if len(run) >= 2:
            groups.append((run, 1, "one of the following"))
        run = []
    return groups


# --------------------------------------------------------------------------- verdict sentences

_LABEL = r"\(?(?:\d{1,2}(?:\.\d{1,2}){0,2}|[a-hA-H]|[ivxIVX]{1,4})\)?"
_LABELS = rf"(?P<labels>{_LABEL}(?:\s*(?:,|and|&|or|-|–|through|to)\s*(?:and\s+)?{_LABEL})*)"
_NOUN = r"(?:requirements?|criteria|criterion|items?|elements?|conditions?|indications?)"
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5}
_LABEL_NAMED_RE = re.compile(
    rf"(?:\b(?:sections?|{_NOUN})\s+|§\s*)([A-Za-z]?\d+(?:\.\d+)*[a-z]?)\b", re.IGNORECASE
)
"""A criterion named by its label in a notice's narrative ('Section 3.3', '§ 3.5', 'criterion
4', 'item A2'): the nouns of the verdict sentences (``_NOUN``) or a section ('§' has no word
boundary before it, so it stands outside the ``\\b`` group); the label holds a digit, so 'the
criteria a patient must meet' names none."""


def labels_named(text: str) -> list[str]:
    """The criterion labels a text names, in order ('Section 3.3 ... criterion 4' -> ['3.3',
    '4']): how the drafter tells whether a payer's reason rests on criteria besides its own."""
    return [m.group(1) for m in _LABEL_NAMED_RE.finditer(text)]


_NAMED_VERDICT_RE = re.compile(
    r"\bthe\s+(?P<name>[\w-]+(?:,?\s+[\w-]+){0,7}?)\s+(?:requirements?|criteria|criterion|"
    r"standards?)\s+(?:is|are|was|were|has\s+been|have\s+been)\s+(?P<neg>not\s+)?"
    r"(?:met|satisfied)\b",
    re.IGNORECASE,
)
"""A verdict on criteria by their names: 'The infection history requirement is met', 'the age
and body mass index requirements are met'."""
_NOT_SHOWN_THAT_RE = re.compile(
    r"\b(?:(?:did|does|do|could|can|would)\s*(?:not|n['’]t)|cannot|never|failed\s+to|unable\s+to)"
    r"\s+(?:show|establish|demonstrate|document|confirm|indicate|support|verify|find)\s+that\s+"
    r"$|\b(?:no|insufficient)\s+(?:evidence|documentation|information|records?)\s+that\s+$|"
    r"\bnot\s+(?:shown|established|demonstrated|documented|confirmed)\s+that\s+$",
    re.IGNORECASE,
)
"""What turns a verdict sentence's 'were met' round: 'Your prescriber's information did not show
that items B, D and E were met' finds them not met."""
_ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "sixth": 5}
_VERDICT_RES = [
    # "Because requirements (b), (c) and (d) were not met", "Criterion (1) is met",
    # "Criterion 3 is not documented"
    re.compile(
        rf"\b{_NOUN}\s+{_LABELS}(?:\s+(?:above|below|listed))?"
        r"(?:\s+of\s+(?:the|this|our)\s+(?:policy|guideline|criteria))?\s+(?:is|are|was|were|has\s+been|"
        rf"have\s+been)\s+(?:also\s+)?(?:(?P<neg>not\s+)?(?:met|satisfied)|"
        rf"(?P<doc>not\s+documented))\b",
        re.IGNORECASE,
    ),
    # "The study does not meet requirements 3 and 4", "the HbA1c of 8.4% meets indication 1"
    re.compile(
        rf"\b(?:(?P<neg>(?:does|do|did)\s+not)\s+(?:meet|satisfy)|meets|satisfies)\s+{_NOUN}\s+"
        rf"{_LABELS}",
        re.IGNORECASE,
    ),
    # "the first requirement is met"
    re.compile(
        rf"\bthe\s+(?P<ord>{'|'.join(_ORDINALS)})\s+{_NOUN}\s+(?:is|was|has\s+been)\s+"
        r"(?:(?P<neg>not\s+)?(?:met|satisfied)|(?P<doc>not\s+documented))\b",
        re.IGNORECASE,
    ),
    # "so the first two requirements are met"
    re.compile(
        rf"\bthe\s+first\s+(?P<first>two|three|four|five)\s+{_NOUN}\s+(?:are|were|have\s+been)\s+"
        r"(?P<neg>not\s+)?(?:met|satisfied)\b",
        re.IGNORECASE,
    ),
    # "a BMI of 41.2, which meets the first requirement"; "does not meet the second criterion"
    re.compile(
        rf"\b(?:(?P<neg>(?:does|do|did)\s+not)\s+meet|meets|satisfies)\s+the\s+"
        rf"(?P<ord>{'|'.join(_ORDINALS)})\s+{_NOUN}\b",
        re.IGNORECASE,
    ),
]
_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}


_OWN_LABEL_RE = re.compile(
    r"[ \t]*(?:[-•*]\s*)?\(?(?P<label>\d{1,2}|[A-Za-z]|[ivxIVX]{2,4})[.)]\s+$"
)


_PAYER_LABEL = (
    r"(?:(?:[IVX]{1,4}|[A-H])-\d{1,2}|"
    r"\d{1,2}(?:\.\d{1,2}){0,3}|[IVX]{1,4}(?:\.[A-Za-z0-9]{1,2}){0,3}|[ivx]{1,4}|"
    r"[A-Za-z](?:\.?\d{1,2}(?:\.[a-z])?)?)"
)
_TABLE_LABEL_RE = re.compile(rf"\(?{_PAYER_LABEL}\)?\.?")
"""A table cell that is only a row's label ('A', '3.1', '(iv)')."""

_LABEL_BEFORE_RE = re.compile(
    r"[ \t|]*(?:[✓✔☑✅✗✘✖❌?•·▪◦●○■□☐☒\-*–][ \t]*)*"
    r"(?:(?:Criterion|Requirement|Item|CRITERION|REQUIREMENT|ITEM)[ \t]+#?[ \t]*)?"
    rf"(?P<label>\({_PAYER_LABEL}\)|{_PAYER_LABEL})[.):]?[ \t]*(?:[-–—:][ \t]*)?"
)
"""A line's text before a criterion that is only its list mark: status marks, bullets, a
'Criterion' word and the label ('✔ ', '3.2.1  ', 'Criterion 4.1: ', '(iv) ')."""
_OUTLINE_LABEL = (
    r"\d{1,2}(?:\.\d{1,2}){1,3}|[IVX]{1,4}\.[A-Za-z0-9]{1,2}(?:\.[A-Za-z0-9]{1,2}){0,2}|"
    r"[A-H]\.?\d{1,2}(?:\.[a-z])?|(?:[IVX]{1,4}|[A-H])-\d{1,2}"
)
"""A label that reads as one without a list mark: '4.1', '3.2.3', 'II.c', 'III.B.2', 'A1'."""
_LABEL_OPENS_RE = re.compile(
    rf"(?P<label>\({_PAYER_LABEL}\)|{_OUTLINE_LABEL}|{_PAYER_LABEL}(?=[.)]))[.):]?[ \t]+"
    rf"(?!{_UNIT_WORD})(?=[A-Za-z(\"“])"
)
"""A label opening a criterion's text ('4.1 BMI of 40 ...', 'A1. Haller index ...', 'b) ...'):
a bare number or letter only with its list mark's '.' or ')', never a measure ('4.5 mm')."""


def _labelled(text: str, position: int, criterion: Criterion) -> tuple[int, Criterion]:
    """The criterion with the payer's own label: the one its text opens with (taken out of the
    text), else the one its line gives before it ('3.2.1  ', 'III.B '); unchanged when none."""
    if criterion.label is not None:
        return position, criterion
    if opens := _LABEL_OPENS_RE.match(criterion.text):
        rest = criterion.text[opens.end() :]
        if len(rest) >= 3:
            update: dict[str, object] = {"label": opens["label"], "text": rest}
            if any(r.span not in rest for r in criterion.requirements):
                update["requirements"], update["logic"] = parse_requirements(rest)
            return position, criterion.model_copy(update=update)
    line_start = text.rfind("\n", 0, position) + 1
    if before := _LABEL_BEFORE_RE.fullmatch(text[line_start:position]):
        return position, criterion.model_copy(update={"label": before["label"]})
    return position, criterion


def _inline_label(label: str | None) -> str | None:
    """The label a criterion numbered in running prose carries ('(iii)' -> 'iii', '(c)' ->
    'c'), lower case: a verdict by that label names it."""
    if label is None or not re.fullmatch(r"\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)", label):
        return None
    return _bare_label(label).lower()


def _own_label(text: str, position: int) -> str | None:
    """The label a criterion's list marker gives it ('1.', '(A)', 'b)'), lower case; None when
    it stands under no labelled marker."""
    printed = _printed_label(text, position)
    return printed.lower() if printed else None


def _printed_label(text: str, position: int) -> str | None:
    """The label a criterion's list marker gives it, as printed ('1', 'A', 'b')."""
    line_start = text.rfind("\n", 0, position) + 1
    match = _OWN_LABEL_RE.fullmatch(text[line_start:position])
    return match["label"] if match else None


def _label_index(label: str, roman: bool) -> int | None:
    """The 0-based position a label counts ('3' -> 2, 'ii' -> 1 among roman labels, 'c' -> 2),
    or None."""
    if label.isdigit():
        return int(label) - 1
    if roman and label in _ROMAN:
        return _ROMAN[label] - 1
    return ord(label) - ord("a") if len(label) == 1 else None


def _label_indexes(labels: str, own: Sequence[str | None] = ()) -> list[int]:
    """0-based positions named by '(b), (c) and (d)', '2 and 3', '1-4', 'ii and iii'. A label
    one criterion's own marker carries names that criterion ('Requirement (A)' is the one
    listed as '(A)' under 'Additional Requirements', after indications 1 to 3); else the
    label counts from the first criterion."""
    tokens = re.findall(r"\d{1,2}(?:\.\d{1,2}){0,2}|[A-Za-z]{1,4}|[-–]|through|to", labels)
    tokens = [t for t in tokens if t.lower() not in {"and", "or"}]
    words = [t for t in tokens if t.isalpha() and t.lower() not in {"through", "to"}]
    roman = any(len(w) > 1 for w in words) and all(w.lower() in _ROMAN for w in words)
    indexes: list[int] = []
    pending_range = False
    for token in tokens:
        if token in {"-", "–"} or token.lower() in {"through", "to"}:
            pending_range = True
            continue
        low = token.lower()
        if own.count(low) == 1:
            index = own.index(low)
        elif (counted := _label_index(low, roman)) is not None:
            index = counted
        else:
            continue
        if pending_range and indexes:
            indexes += list(range(indexes[-1] + 1, index + 1))
        else:
            indexes.append(index)
        pending_range = False
    return indexes


_CONDITION_BEFORE_RE = re.compile(
    r"\b(?:when|if|unless|who|must|should|shall|to|until|only)\s+(?:\w+\s+){0,3}$|"
    # 'Coverage requires that criteria I through IV below are met': the rule, no verdict
    r"\b(?:requires?|required|provided)\s+(?:that\s+)?$",
    re.I,
)


def _with_verdicts(
    criteria: list[Criterion], zoned: Sequence[Block], own: Sequence[str | None] = ()
) -> list[Criterion]:
    """Criteria with the statuses the payer's verdict sentences give them by label or rank
    ('Because requirements (b), (c) and (d) were not met', 'Criterion (1) is met', 'the first
    requirement is met'): a criterion the payer called met is met; one it called not met and
    that had no status of its own is not met."""
    if not criteria:
        return criteria
    texts = [c.text.casefold() for c in criteria]
    vocabularies = [_stems(c.text) | _stems(c.text.replace("-", " ")) for c in criteria]
    verdicts: dict[int, PayerStatus] = {}
    named_unmet: set[int] = set()  # criteria a verdict sentence names by label as not met
    for block in zoned:
        if block.zone is Zone.boilerplate:
            continue
        flat = " ".join(block.text.split())
        for regex in _VERDICT_RES:
            for match in regex.finditer(flat):
                if any(match.group(0).casefold() in t for t in texts):
                    continue  # 'criteria (1-4) above are met' inside a criterion's own words
                if _CONDITION_BEFORE_RE.search(flat, max(0, match.start() - 40), match.start()):
                    continue  # 'covers CPAP when the member meets criterion A or ...': a rule
                if "first" in regex.groupindex:
                    named = list(range(_COUNTS[match["first"].lower()]))
                elif "ord" in regex.groupindex and match["ord"]:
                    named = [_ORDINALS[match["ord"].lower()]]
                else:
                    named = _label_indexes(match["labels"], own)
                negated = bool(match["neg"]) != bool(
                    _NOT_SHOWN_THAT_RE.search(flat, max(0, match.start() - 80), match.start())
                )
                status: PayerStatus = "not_met" if negated else "met"
                if "doc" in regex.groupindex and match["doc"]:
                    status = "not_documented"
                verdicts.update({i: status for i in named if 0 <= i < len(criteria)})
                if status != "met" and "labels" in regex.groupindex and len(named) >= 2:
                    # one sentence listing the criteria not met ('Criteria 2 and 4 ... were not
                    # met'), not a finding on one criterion among others in the narrative
                    named_unmet.update(i for i in named if 0 <= i < len(criteria))
        for match in _NAMED_VERDICT_RE.finditer(flat):
            # 'The infection history requirement is met', 'so the bed-confinement requirement
            # was not met': the criterion whose words the name shares
            if (
                match["name"].split()[0].lower() in _ORDINALS
                or any(match.group(0).casefold() in t for t in texts)
                # 'covered when all of the following criteria are met': a condition, no verdict
                or re.search(
                    r"\b(?:following|when|if|unless|until|below|listed)\b", match["name"], re.I
                )
            ):
                continue
            for name in re.split(r",\s*(?:and\s+)?|\s+and\s+", match["name"]):
                index = _named_index(name.replace("-", " "), vocabularies)
                if index is not None:
                    verdicts[index] = "not_met" if match["neg"] else "met"
    if (
        named_unmet
        and len(named_unmet) < len(criteria)
        and all(c.payer_status == "not_met" and c.payer_reason is None for c in criteria)
    ):
        # 'Criteria 2 and 4 of the policy were not met' over a bare list of the policy's
        # criteria (an attachment's): only the ones named are in dispute; the others the notice
        # states nothing of
        verdicts.update({i: "not_stated" for i in range(len(criteria)) if i not in verdicts})
    result = []
    for i, criterion in enumerate(criteria):
        verdict = verdicts.get(i)
        own = criterion.payer_status
        if verdict == "not_stated":
            result.append(criterion.model_copy(update={"payer_status": "not_stated"}))
            continue
        if verdict == "met" and own not in ("not_documented", "not_applicable"):
            criterion = criterion.model_copy(update={"payer_status": "met"})
        elif verdict == "not_documented" and own in ("not_stated", "not_met"):
            criterion = criterion.model_copy(update={"payer_status": "not_documented"})
        elif verdict == "not_met" and (
            own == "not_stated" or (own == "met" and criterion.payer_reason is None)
        ):
            criterion = criterion.model_copy(update={"payer_status": "not_met"})
        result.append(criterion)
    return result


# --------------------------------------------------------------------------- the letter, read once


_LEGEND_PAIR_RE = re.compile(
    r"(?P<mark>\[[^\]\n]\])\s*(?:=\s*|:\s*)?(?P<meaning>not\s+met|not\s+documented|"
    r"not\s+received|not\s+provided|not\s+submitted|unmet|met|satisfied)\b",
    re.IGNORECASE,
)
_AS_MARK = {"met": "✔", "not_met": "✘", "not_documented": "?"}


_QUOTE_BAR_RE = re.compile(r"^([ \t]*)\|(?=[ \t]|$)([^|\n]*)$")


def quote_bars(text: str) -> str:
    """The text with the bar that leads each line of a quoted passage ('  | B. Nationally
    Covered Indications', '  |   15. Diabetic wounds ...') read as a space, offsets kept: lines
    with one bar each, at their start, in a run of three or more, are a quotation, not a
    table's one column."""
    lines = text.split("\n")
    quoted = [bool(_QUOTE_BAR_RE.match(line)) for line in lines]
    out = list(lines)
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and quoted[j]:
            j += 1
        if j - i >= 3:
            for k in range(i, j):
                out[k] = _QUOTE_BAR_RE.sub(lambda m: f"{m[1]} {m[2]}", lines[k])
        i = max(j, i + 1)
    return "\n".join(out)


_BOX_ASCII = str.maketrans(
    {
        **dict.fromkeys("┌┬┐├┼┤└┴┘╔╦╗╠╬╣╚╩╝╒╤╕╞╪╡╘╧╛╓╥╖╟╫╢╙╨╜", "+"),
        **dict.fromkeys("─━┄┈", "-"),
        "═": "=",
        **dict.fromkeys("│┃┆┊║", "|"),
    }
)


def box_ascii(text: str) -> str:
    """The text with a box-drawing grid's characters read as an ASCII grid's ('┼──┼' as
    '+--+', '│' as '|'), offsets kept, so the grid is read as one."""
    return text.translate(_BOX_ASCII)


_SECTION_TITLE_RE = re.compile(
    r"^[ \t]*(?P<n>\d{1,2})\.0[ \t]+[A-Z][^.:;\n]{2,60}:?[ \t]*\n(?=[ \t]*(?P=n)\.1[ \t])", re.M
)
"""A decimal outline's section title ('1.0 Patient selection') over its first criterion ('1.1
The patient is 22 ...')."""


def section_titles(text: str) -> str:
    """The text with each section title of a decimal outline ('1.0 Patient selection' over
    '1.1 ...', '1.2 ...') blanked, offsets kept: the title names a group, its numbered lines are
    the criteria, read as one list under the outline's lead-in."""
    return _SECTION_TITLE_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def legend_marks(text: str) -> str:
    """The text with each bracketed mark a legend line defines ('KEY: [X] met  [-] not met
    [?] not documented') read as the status mark it stands for where it leads a line ('[?] B1.
    Cardiac compression ...' as '?   B1. ...'), offsets kept; a bracket no legend defines (a
    form's '[X] Prior authorization') stays as it is."""
    marks: dict[str, str] = {}
    for line in text.split("\n"):
        pairs = list(_LEGEND_PAIR_RE.finditer(line))
        if len(pairs) >= 2:
            marks |= {p["mark"]: _AS_MARK[status_of(p["meaning"])] for p in pairs}
    if not marks:
        return text
    pattern = "|".join(re.escape(m) for m in marks)
    return re.sub(
        rf"(?m)^([ \t]*)({pattern})(?=[ \t])",
        lambda m: m[1] + marks[m[2]].ljust(len(m[2])),
        text,
    )


class Reading:
    """A denial letter as the rules read it, each part built once: its injected parts
    (``pipeline.injection``), the text without them, its blocks (paragraphs with zones) and its
    readable text. Extraction reads a letter through one (:func:`reading`), and the rules, the
    engine and the provenance check take it instead of reading the text again."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def injected(self) -> list[Span]:
        return injected_spans(self.text)

    @cached_property
    def masked(self) -> str:
        """The text with its injected parts blanked (offsets kept)."""
        return mask_injections(self.text, self.injected)

    @cached_property
    def plain(self) -> str:
        """The masked text with a page break's footer and header blanked (a sentence they cut
        joined again: :func:`text.pages.fold_page_breaks`), a quotation's leading bars and the
        bracketed status marks its legend defines read as what they stand for
        (:func:`quote_bars`, :func:`legend_marks`) and a decimal outline's section titles
        blanked (:func:`section_titles`), offsets kept."""
        return section_titles(legend_marks(quote_bars(box_ascii(fold_page_breaks(self.masked)))))

    @cached_property
    def blocks(self) -> tuple[Block, ...]:
        """The plain text's blocks."""
        return blocks(self.plain)

    @cached_property
    def readable(self) -> str:
        """The plain text's :func:`readable_text`."""
        return readable_text(self.plain, self.blocks)


def reading(letter: DenialLetter | Reading | str) -> Reading:
    """The letter read: a :class:`Reading` is itself (read once, and passed down by whoever
    holds it: extraction reads the letter once and hands the engine what the rules read,
    ``RulesReading``); a ``DenialLetter`` or a bare text is read now."""
    if isinstance(letter, Reading):
        return letter
    return Reading(letter if isinstance(letter, str) else letter.text)


def read_rules(letter: DenialLetter | Reading | str) -> RulesReading:
    """What the rules read of the letter's categories and criteria (the criteria without their
    requirement trees: extraction's provenance check reads every engine's)."""
    read = reading(letter)
    return RulesReading(categories=find_categories(read), criteria=read_criteria(read, trees=False))


def complete_criteria(criteria: Sequence[Criterion], rules: Sequence[Criterion]) -> list[Criterion]:
    """Criteria read by an engine, completed by the rules' (``rules``: ``read_rules``'s): a
    criterion the rules also read (same wording, or one containing the other) takes their
    status, reason, requirements and logic; another keeps its wording with the status its own
    words give ('-- Not met') or 'not met' (the denial cites it). Requirements missing here are
    read from the wording by ``extract.enforce_provenance``."""
    keys = [(" ".join(c.text.split()).casefold(), c) for c in rules]
    completed: list[Criterion] = []
    for criterion in criteria:
        key = " ".join(criterion.text.split()).casefold()
        known = next((c for k, c in keys if k == key), None) or next(
            (c for k, c in keys if len(k) >= 15 and (k in key or key in k)), None
        )
        if known is not None:
            update = {
                "payer_status": known.payer_status,
                "payer_reason": known.payer_reason,
                "requirements": known.requirements if key == known.text.casefold() else [],
                "logic": known.logic,
            }
        else:
            finding = split_finding(criterion.text)
            update = {"payer_status": finding.status or "not_met", "payer_reason": finding.reason}
        completed.append(criterion.model_copy(update=update))
    return completed
