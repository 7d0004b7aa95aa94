"""Criteria printed under labels of any shape, and the findings that name them by label.

A notice may print its criteria as lines each opening with the payer's own label, in a shape no
other reader knows: letters with numbers ('G1', 'R4', 'HA-2', 'PA-01'), a section with a letter
('II.A', 'III.B'), decimals ('2.1'), a number with a letter ('2a'), or any of these in brackets
('[HA-1]', '(A)', '(1)') or after a word ('Criterion 2b:'). The rationale then names the unmet
ones by label: a findings run repeating the labels ('G3  The office note records ...' under
'Not met:'), a status with the labels after it ('Met: G1 (NRS 7/10); G2 (...)'), or a sentence
('Because G3, R1, R4 and R5 are not met', 'Criteria 1, 2a and 3 are met', 'which meets (2)',
'criteria (A) through (C) were not re-reviewed').

The reader is shape-led, not wording-led: a run of two or more lines opening with labels of one
shape is the criteria list; only labels that list printed are read in the findings, so a code or
a date in the rationale never reads as a label. ``criteria_rules.read_criteria`` uses it when
its own readers find no criteria, to replace a reading whose criteria carry no label and match
few of the labelled ones, and to give labels and findings to criteria it read without them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import PayerStatus
from .payer_findings import split_finding, status_from_narrative
from .text.sentences import split_sentences

_ALNUM = r"[A-Z]{1,3}-?\d{1,2}[a-z]?"
"""Letters with a number: 'G1', 'R4', 'HA-2', 'PA-01', 'I-3', 'E2b'."""
_SECTION = r"[IVX]{1,4}\.(?:[A-Z]|\d{1,2})(?:\.(?:[a-z]|\d{1,2}))?"
"""A roman section with a letter or number: 'II.A', 'III.B', 'IV.2'."""
_DECIMAL = r"\d{1,2}(?:\.\d{1,2}){1,3}"
_NUMBER_LETTER = r"\d{1,2}[a-z]"
_BARE = rf"(?:{_ALNUM}|{_SECTION}|{_DECIMAL}|{_NUMBER_LETTER})"
_BRACKETED = rf"\[(?:{_BARE}|\d{{1,2}})\]|\((?:{_BARE}|\d{{1,2}}|[A-Za-z]|[ivx]{{2,4}})\)"
_WORD = r"(?:Criterion|Criteria|Requirement|Item|Element|Standard)"
_BOX = (
    r"\[[ \t]*[xX✓✔]?[ \t]*\][ \t]*(?i:not\s+met|met|yes|no|n/a|not\s+documented|"
    r"does\s+not\s+apply|not\s+applicable)\b[ \t]*"
)
_BOXES_RE = re.compile(rf"(?P<boxes>(?:{_BOX})+)", re.IGNORECASE)
"""Check boxes before a criterion's label ('[ ] Not met  [X] Met      1. Diagnosis ...'): the
ticked one is the payer's finding."""
_TICKED_RE = re.compile(r"\[[ \t]*[xX✓✔][ \t]*\][ \t]*(?P<s>[^\[\]]*?)[ \t]*(?=\[|$)")
_LINE_RE = re.compile(
    rf"^(?P<indent>[ \t]*)(?P<boxes>(?:{_BOX})+)?(?:(?P<word>{_WORD})[ \t]+#?)?(?P<hash>#[ \t]*)?"
    rf"(?P<label>{_BRACKETED}|{_BARE}|(?<=[ \t#])\d{{1,2}}(?=[.):])|(?<=#)\d{{1,2}}|"
    rf"(?<=#[ \t])\d{{1,2}})"
    r"(?P<sep>[ \t]*[:.)\-–—][ \t]+|[ \t]+)(?P<body>\S.*)$"
)
"""A line opening with a label: a bare label needs two spaces, a ':', '.', ')' or dash after
it, or a word ('Criterion 2a:') or brackets around it ('[HA-1] ', '(1) ')."""
_MEASURE_RE = re.compile(
    r"^(?:mm|cm|mg|mcg|kg|ml|mL|units?|days?|weeks?|months?|years?|hours?|%|x\b|percent)",
    re.IGNORECASE,
)
_FINDING_FOR_RE = re.compile(
    r"^[ \t]*(?:finding|status|determination|result|review)s?\s+for\s+(?:part|section|group|"
    r"step|all|these|the\s+above|each)\b[^:\n]{0,40}:\s*(?P<rest>.+)$",
    re.IGNORECASE,
)
"""'Finding for Part 1: NOT APPLICABLE - this is a continuation request.': one finding on every
item of the run above it."""
_NOTE_RE = re.compile(
    r"^[ \t]*(?:reviewer(?:'s)?\s+)?(?:comments?|notes?|remarks?)\s*:", re.IGNORECASE
)
"""A reviewer's note under a criterion ('Comment: block report not received.')."""
_STATUS_LEAD_RE = re.compile(
    r"^[\s\-–—:]*(?:(?:not\s+met|unmet|not\s+documented|not\s+applicable|met|satisfied)\b"
    r"[\s.:;,\-–—]*)?",
    re.IGNORECASE,
)
"""A finding's status word before its reason ('Not met. Physical therapy notes ...')."""
_STATUS_HEAD_RE = re.compile(
    r"^[ \t]*(?P<s>not\s+met|unmet|not\s+satisfied|met|satisfied|not\s+documented|"
    r"not\s+applicable|does\s+not\s+apply|requirements?\s+not\s+met|criteria\s+not\s+met|"
    r"criteria\s+met|requirements?\s+met)\s*:",
    re.IGNORECASE,
)
"""A status with a colon ('Not met:', 'Satisfied:'): what follows it is that status's."""


def _status_word(word: str) -> PayerStatus:
    word = " ".join(word.lower().split())
    if "applicable" in word or "apply" in word:
        return "not_applicable"
    if "documented" in word:
        return "not_documented"
    if "not" in word or "unmet" in word:
        return "not_met"
    return "met"


_VERDICT_RES: list[tuple[re.Pattern[str], PayerStatus]] = [
    (
        re.compile(
            r"\b(?:not\s+(?:re-?)?(?:reviewed|applied|considered|evaluated)|(?:does|do|did)\s+"
            r"not\s+apply|not\s+applicable|n/a\b|apply\s+only\s+to)",
            re.IGNORECASE,
        ),
        "not_applicable",
    ),
    (
        re.compile(
            r"\b(?:not\s+documented|could\s+not\s+be\s+(?:assessed|determined|evaluated|"
            r"verified)|(?:was|were)\s+not\s+(?:received|submitted|provided|included)|no\s+[\w\s,-]"
            r"{0,60}\b(?:was|were)\s+(?:received|submitted|provided|sent))",
            re.IGNORECASE,
        ),
        "not_documented",
    ),
    (
        re.compile(
            r"\b(?:not\s+(?:met|satisfied)|unmet|(?:does|do|did)\s+not\s+(?:meet|satisfy)|"
            r"exceeds?|fails?\s+to\s+meet|denied|reasons?\s+given\s+for)\b",
            re.IGNORECASE,
        ),
        "not_met",
    ),
    (re.compile(r"\b(?:met|satisfied|meets?|satisfies)\b", re.IGNORECASE), "met"),
]
"""A clause's verdict on the labels it names, strongest reading first."""
_VERDICT_LEAD_RE = re.compile(
    r"^\s*(?:is|are|was|were)\s+(?:also\s+)?(?:not\s+)?(?:met|satisfied|documented)\b"
    r"(?:\s*[:;,\-–—]\s*|\s+(?:because|as|since)\s+)?",
    re.IGNORECASE,
)
"""The verdict words leading a finding ('is not met because ...'), not its reason."""
_STOPPED_RE = re.compile(
    r"\b(?:because|since|as)\b[^.;]{0,60}\bnot\s+(?:met|satisfied)\b", re.IGNORECASE
)
"""A review stopped at an unmet criterion ('Because AD-2 is not met, AD-3 was not reviewed'):
what it did not review is not thereby inapplicable."""
_RULE_VERB_RE = re.compile(
    r"\s*[:,\-–—]?\s*(?:\b(?:requires?|must|needs?|calls\s+for|asks\s+for|means|applies|"
    r"is\s+required|states?)\b)",
    re.IGNORECASE,
)
"""A rule verb after labels: what follows restates the rule, never a finding."""
_NUMBER_NAMED_RE = re.compile(
    rf"(?:\b{_WORD}s?|\bcriteria|\brequirements|\bitems|#)[ \t]*$", re.IGNORECASE
)
_JOIN_RE = re.compile(r"^(?:\s*(?:,|;|&|and|or|through|to|-|–)\s*)+$", re.IGNORECASE)


def label_shape(label: str) -> str:
    """A label's shape: letters and digits as classes ('HA-1' -> 'A-0', '[G1]' -> '[A0]')."""
    shape = re.sub(r"[A-Za-z]+", "A", label)
    return re.sub(r"\d+", "0", shape)


def _bare(label: str) -> str:
    return label.strip("[]()")


@dataclass
class LabelledItem:
    """One criterion of a labelled list, with what the notice found of it."""

    label: str
    """As printed, parentheses kept ('(1)'), square brackets taken off ('HA-1')."""
    text: str
    start: int
    status: PayerStatus | None = None
    reason: str | None = None
    strength: int = 0
    """How the status was read: 3 its own finding line, 2 a verdict naming it alone, 1 a verdict
    naming it among others, 0 none."""
    pending: str | None = None
    """A finding line's words that gave no status ('II.C: the member attended 3 weeks ...'):
    the reason, the status a verdict sentence gives."""

    def find(self, status: PayerStatus, reason: str | None, strength: int) -> None:
        if strength > self.strength:
            self.status, self.strength = status, strength
            self.reason = reason or self.reason
        elif self.reason is None and reason and strength >= 3:
            self.reason = reason  # '#3 - No chart notes were sent' under a ticked 'Not met'


@dataclass(frozen=True)
class _Line:
    start: int
    indent: int
    label: str | None
    body: str
    raw: str
    word: bool = False
    ticked: PayerStatus | None = None
    """The status the line's ticked box gives ('[X] Not met' -> not met)."""


def _line_label(raw: str) -> tuple[str | None, str]:
    """The label a line opens with and the text after it; (None, the line) when it opens with
    none. A bare label needs two spaces, or a ':', '.', ')' or dash and a space after it ('G1
    Moderate ...', 'R2: At least ...'); a section or decimal label one space before a capital
    ('III.A Post-rehabilitation ...'); a word ('Criterion 2a:') or brackets ('[HA-1] ', '(1) ')
    make any label one. A number with a unit after it is a measure ('4.5 mm')."""
    match = _LINE_RE.match(raw)
    if (
        match is None
        or _MEASURE_RE.match(match["body"])
        or _FINDING_FOR_RE.match(raw)
        or re.match(r"[\d<>≥≤=+\-]", match["body"])  # a value row ('PHQ-9   18 (severe)')
    ):
        return None, raw.strip()
    label, sep, body = match["label"], match["sep"], match["body"].strip()
    if match["boxes"] or match["hash"]:  # ticked in boxes, or '#3 - ...': numbers are labels
        return label.strip("()[]."), body
    if match["word"] is not None or label.startswith(("[", "(")):
        return (label, body) if not label.isdigit() or match["word"] else (None, raw.strip())
    if label.isdigit():
        return None, raw.strip()
    if sep.strip() or len(sep) >= 2:
        return label, body
    if re.fullmatch(rf"{_SECTION}|{_DECIMAL}", label) and body[:1].isupper():
        return label, body
    return None, raw.strip()


def _ticked(raw: str) -> tuple[PayerStatus | None, str]:
    """The status a line's ticked box gives and the line without its boxes."""
    boxes = _BOXES_RE.match(raw.strip())
    if boxes is None:
        return None, raw
    ticked = _TICKED_RE.search(boxes["boxes"])
    status = _status_word(ticked["s"]) if ticked and ticked["s"].strip() else None
    return status, raw.strip()[boxes.end() :]


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    offset = 0
    for raw in text.split("\n"):
        ticked, unboxed = _ticked(raw)
        label, body = _line_label(raw)
        if label is None and ticked is not None:
            body = unboxed.strip()
        indent = len(raw) - len(raw.lstrip(" \t"))
        word = bool(label and re.match(rf"\s*{_WORD}\b", raw))
        lines.append(_Line(offset, indent, label, body, raw, word, ticked))
        offset += len(raw) + 1
    return lines


def _label_name(label: str) -> str:
    return label[1:-1] if label.startswith("[") else label


def read_labelled(text: str) -> list[LabelledItem]:
    """The criteria of every run of lines opening with new labels (the first of two or more
    lines of one shape; a later one right after a run, 'PART 2 - ...' over 'C-1', or of a shape
    read before, a policy's section 2 after its section 1), each with the finding the notice
    gives it by label: its own finding line, a findings run repeating the labels, a 'Met: ...'
    list, a verdict sentence naming it. [] when the notice prints no such run."""
    lines = _lines(text)
    runs: list[list[int]] = []
    names: set[str] = set()
    families: set[str] = set()
    k = 0
    while k < len(lines):
        if lines[k].label is None:
            k += 1
            continue
        run = _run(lines, k)
        labels = {_name(lines[r]) for r in run}
        if (
            _under_codes(lines, k)
            or _rights_run(lines, run)
            or not (runs or _introduced(lines, k, run))
        ):
            # a code legend ('REMARK CODES' over 'XR2  Ground ambulance ...'), a score table,
            # a rights list (also right after the criteria: review37 F0d): a first run no
            # criteria lead-in introduces is no criteria list
            k = run[-1] + 1
            continue
        near = bool(runs) and k - _item_end(lines, runs[-1][-1]) <= _NEXT_RUN_WITHIN
        fits = len(run) >= 2 or near
        if labels & names or not fits or (runs and not near and _family(lines[k]) not in families):
            k = run[-1] + 1
            continue
        runs.append(run)
        names |= labels
        families.add(_family(lines[k]))
        k = _item_end(lines, run[-1])
    if not runs:
        return []
    # an answer ('Q1  No') is no criterion: a criterion has two words at least
    items = [
        item
        for run in runs
        for item in _items(lines, run)
        if len(re.findall(r"[A-Za-z]{2,}", item.text)) >= 2
    ]
    if not items:
        return []
    by_name = {item.label.casefold(): item for item in items}
    by_name.update({_bare(item.label).casefold(): item for item in items})
    # the findings are read outside the criteria's own lines ('does not satisfy 2.4' in one)
    masked = list(text)
    for run in runs:
        first, end = lines[run[0]].start, _end_offset(lines, _item_end(lines, run[-1]), text)
        masked[first:end] = [c if c == "\n" else " " for c in text[first:end]]
    outside = "".join(masked)
    _finding_runs(_lines(outside), by_name)
    _verdict_sentences(outside, by_name)
    for item in items:
        own = split_finding(" ".join(item.text.split()))
        if own.status is not None and own.criterion:
            item.text = own.criterion
            item.find(own.status, own.reason, 3)
        if item.status is None and item.pending is not None:
            item.status = status_from_narrative(item.pending)
        elif (
            item.status == "not_met"
            and item.pending is not None
            and not item.reason
            and status_from_narrative(item.pending) == "not_documented"
        ):
            item.status = "not_documented"  # 'Not met' ticked, 'Comment: report not received.'

        if item.reason is None and item.pending is not None:
            item.reason = item.pending
        if item.reason is not None:
            item.reason = item.reason.strip().rstrip("#").strip() or None
    return items


_CODES_HEADING_RE = re.compile(
    r"\b(?:codes?|legend|glossary|abbreviations?)\b(?![^\n]*\bcriteri)", re.IGNORECASE
)


_CRITERIA_LEAD_RE = re.compile(
    r"criteri|requirement|\brequire[sd]?\b|\bmust\b|\b(?:all|any|one|each)\s+of\b|"
    r"\bcover(?:s|ed|age)\b|\bconditions\b|\bstandards?\b|\bguidelines?\b|\bpolic(?:y|ies)\b|"
    r"\bindications\b|\bapproved\s+(?:only\s+)?(?:when|if)\b|\brules\b",
    re.IGNORECASE,
)
"""A lead-in that introduces criteria ('Coverage requirements reviewed', 'POLICY REQUIREMENTS',
'Initial approval - all of:', 'An exception is approved when ...')."""
_RIGHTS_ITEM_RE = re.compile(
    r"\b(?:appeal|you\s+may|you\s+can|call|fax|copies|hearing|grievance|TTY)\b", re.IGNORECASE
)


def _rights_run(lines: list[_Line], run: list[int]) -> bool:
    """True when half the run's items or more are appeal rights or contacts ('(1) You may ask
    for an appeal ...'), unless the run is ticked in boxes (a criteria form of its own)."""
    if lines[run[0]].ticked is not None:
        return False
    return sum(bool(_RIGHTS_ITEM_RE.search(lines[r].body)) for r in run) * 2 >= len(run)


def _introduced(lines: list[_Line], first: int, run: list[int]) -> bool:
    """True when the lines above a labelled run introduce criteria (up to six lines, through
    one blank line) and its items are no rights or contacts; a run ticked in boxes is a
    criteria form of its own."""
    if lines[first].ticked is not None:
        return True
    if _rights_run(lines, run):
        return False
    above: list[str] = []
    blanks = 0
    for line in reversed(lines[:first]):
        if not line.raw.strip():
            blanks += 1
            if blanks > 2 or (blanks == 2 and above):
                break
            continue
        above.append(line.raw)
        if len(above) >= 6:
            break
    lead = " ".join(above)
    return bool(_CRITERIA_LEAD_RE.search(lead)) and not _RIGHTS_ITEM_RE.search(
        above[0] if above else ""
    )


def _under_codes(lines: list[_Line], first: int) -> bool:
    """True when the nearest line above a run heads a code legend ('REMARK CODES', 'Reason
    code legend'): its labels are codes, their descriptions no criteria."""
    above = next((line for line in reversed(lines[:first]) if line.raw.strip()), None)
    return above is not None and above.label is None and bool(_CODES_HEADING_RE.search(above.raw))


def _end_offset(lines: list[_Line], index: int, text: str) -> int:
    return lines[index].start if index < len(lines) else len(text)


_NEXT_RUN_WITHIN = 6
"""Lines from the end of one labelled run to the start of the next of the same list."""


def _name(line: _Line) -> str:
    return _bare(line.label or "").casefold()


def _family(line: _Line) -> str:
    """The kind of list a labelled line belongs to: 'Criterion 2a:' lines one kind whatever
    their labels, else the label's shape ('G1' and 'R4' one, 'HA-1', 'II.A', '(1)' others)."""
    return "word" if line.word else label_shape(line.label or "")


def _run(lines: list[_Line], first: int) -> list[int]:
    """Indexes of the labelled lines of one list from ``first``: labels of one family at one
    indent, the lines between them the items' continuations (deeper, or a 'Finding for ...'
    line) or a group heading ('PART 2 - CONTINUATION ... All of the following:')."""
    head = lines[first]
    family = _family(head)
    run = [first]
    seen = {_name(head)}
    blank = 0
    for k in range(first + 1, len(lines)):
        line = lines[k]
        if not line.raw.strip():
            blank += 1
            if blank > 1:
                break
            continue
        if line.label is not None and abs(line.indent - head.indent) <= 1:
            if _family(line) != family or _name(line) in seen:
                break
            run.append(k)
            seen.add(_name(line))
            blank = 0
            continue
        if line.indent > head.indent or _FINDING_FOR_RE.match(line.raw) or line.ticked:
            blank = 0
            continue
        if line.raw.rstrip().endswith(":") and k + 1 < len(lines):
            following = lines[k + 1]
            if following.label is not None and _family(following) == family:
                blank = 0
                continue
        break
    return run


def _items(lines: list[_Line], run: list[int]) -> list[LabelledItem]:
    items: list[LabelledItem] = []
    group: list[LabelledItem] = []
    for n, k in enumerate(run):
        line = lines[k]
        item = LabelledItem(_label_name(line.label or ""), line.body, line.start)
        if line.ticked is not None:
            item.find(line.ticked, None, 3)
        stop = run[n + 1] if n + 1 < len(run) else _item_end(lines, k)
        noted = False
        j = k + 1
        while j < stop:
            follow = lines[j]
            j += 1
            if not follow.raw.strip():
                continue
            if finding_for := _FINDING_FOR_RE.match(follow.raw):
                said = [finding_for["rest"].strip()]
                while (
                    j < stop
                    and lines[j].raw.strip()
                    and lines[j].label is None
                    and (
                        lines[j].indent >= follow.indent and not lines[j].raw.rstrip().endswith(":")
                    )
                ):
                    said.append(lines[j].raw.strip())
                    j += 1
                finding = split_finding("Finding: " + " ".join(said))
                if finding.status is not None:
                    for each in [*group, item]:
                        each.find(finding.status, finding.reason, 3)
                continue
            if follow.ticked is not None:  # '[X] Does not apply' ticked on the next line
                item.status, item.strength = None, 0
                item.find(follow.ticked, None, 3)
                item.text += " " + follow.body
                continue
            if follow.indent <= line.indent and follow.label is None:
                group = []  # a group heading: the items after it are the next group's
                continue
            note = _NOTE_RE.match(follow.raw)
            if noted or note is not None:
                # 'Comment: block report not received.': the reviewer's, not the criterion's
                words = follow.raw[note.end() :] if note is not None else follow.raw
                item.pending = " ".join(filter(None, (item.pending, words.strip())))
                noted = True
                continue
            item.text += " " + follow.raw.strip()
        group.append(item)
        items.append(item)
    return items


def _item_end(lines: list[_Line], k: int) -> int:
    """The line after the last item's text: its deeper continuations, up to a blank line."""
    head = lines[k]
    end = k + 1
    while (
        end < len(lines)
        and lines[end].raw.strip()
        and lines[end].label is None
        and (
            lines[end].indent > head.indent
            or _FINDING_FOR_RE.match(lines[end].raw)
            or lines[end].ticked
        )
    ):
        end += 1
    return end


def _finding_runs(lines: list[_Line], by_name: dict[str, LabelledItem]) -> None:
    """Lines after the list opening with one of its labels: that criterion's finding, with the
    status its own words give or the status heading above the run ('Not met:')."""
    heading: PayerStatus | None = None
    k = 0
    while k < len(lines):
        line = lines[k]
        if head := _STATUS_HEAD_RE.match(line.raw):
            rest = line.raw[head.end() :].strip()
            heading = _status_word(head["s"]) if not rest else None
        elif not line.raw.strip():
            pass
        elif line.label is None and line.indent == 0 and not line.raw.startswith(" "):
            heading = None if not line.raw.rstrip().endswith(":") else heading
        item = by_name.get(_bare(line.label or "").casefold()) if line.label else None
        if item is None:
            k += 1
            continue
        body = [line.body]
        k += 1
        while (
            k < len(lines)
            and lines[k].raw.strip()
            and lines[k].label is None
            and (lines[k].indent > line.indent)
        ):
            body.append(lines[k].raw.strip())
            k += 1
        said = " ".join(body)
        finding = split_finding("Finding: " + said)
        if finding.status is not None:
            item.find(finding.status, _STATUS_LEAD_RE.sub("", said) or finding.reason, 3)
        elif heading is not None:
            status = heading
            if status == "not_met" and status_from_narrative(said) == "not_documented":
                status = "not_documented"
            item.find(status, said, 3)
        elif item.pending is None:
            item.pending = said
            item.reason = item.reason or said


def _mentions(text: str, by_name: dict[str, LabelledItem]) -> list[tuple[int, int, LabelledItem]]:
    """Where the text names a label the list printed ('G3', '[HA-4]', '(2)', 'criterion 2a'):
    a label printed in parentheses only with them, never a citation's '(b)' ('422.101(b)(6)')."""
    found: list[tuple[int, int, LabelledItem]] = []
    for item in _unique(by_name):
        if item.label.startswith("("):
            pattern = rf"(?<![\w)]){re.escape(item.label)}(?!\()"
        else:
            name = re.escape(_bare(item.label))
            pattern = rf"(?<![\w.\-/]){name}(?![\w\-/]|\.\d)|\[{name}\]|(?<![\w)])\({name}\)(?!\()"
        found += [(m.start(), m.end(), item) for m in re.finditer(pattern, text, re.I)]
    return sorted(found, key=lambda mark: mark[0])


def _verdict_sentences(text: str, by_name: dict[str, LabelledItem]) -> None:
    """Verdicts naming labels: 'Met: G1 (...); G2 (...)', 'Because G3, R1 and R4 are not met',
    'Criteria 1, 2a and 3 are met', 'which meets (2)', 'criteria (A) through (C) were not
    re-reviewed'. A range ('(A) through (C)') names the labels between its ends."""
    order = _unique(by_name)
    for paragraph in re.split(r"\n[ \t]*\n", text):
        # a line opening with a status and a colon starts a segment of its own
        cuts = [0] + [
            m.start() + 1
            for m in re.finditer(r"\n(?=[ \t]*\S)", paragraph)
            if _STATUS_HEAD_RE.match(paragraph[m.start() + 1 :])
        ]
        for start, end in zip(cuts, [*cuts[1:], len(paragraph)], strict=True):
            flat = " ".join(paragraph[start:end].split())
            if (
                (head := _STATUS_HEAD_RE.match(flat))
                and (marks := _mentions(flat[head.end() :], by_name))
                and marks[0][0] < 4
            ):
                status = _status_word(head["s"])
                listed, *later = split_sentences(flat[head.end() :]) or [""]
                rest = listed
                marks = _mentions(rest, by_name)
                for n, (_, stop, item) in enumerate(marks):
                    upto = marks[n + 1][0] if n + 1 < len(marks) else len(rest)
                    item.find(status, rest[stop:upto].strip(" ;,.()") or None, 2)
                for sentence in later:  # 'HA-2 requires ...' after the list: a sentence of its own
                    _sentence_verdict(sentence, by_name, order)
                continue
            for sentence in split_sentences(flat):
                _sentence_verdict(sentence, by_name, order)


def _unique(by_name: dict[str, LabelledItem]) -> list[LabelledItem]:
    unique: list[LabelledItem] = []
    for item in by_name.values():
        if all(item is not other for other in unique):
            unique.append(item)
    return unique


def _sentence_verdict(
    sentence: str, by_name: dict[str, LabelledItem], order: list[LabelledItem]
) -> None:
    marks = _mentions(sentence, by_name)
    if not marks:
        return
    groups: list[list[tuple[int, int, LabelledItem]]] = []
    for mark in marks:
        if groups and _JOIN_RE.match(sentence[groups[-1][-1][1] : mark[0]]):
            groups[-1].append(mark)
        else:
            groups.append([mark])
    # a bare number is a label only where a noun or '#' names it ('Criteria 1, 2a and 3',
    # '#5'), never a count or a measure ('3 times the upper limit')
    groups = [
        g
        for g in groups
        if not all(item.label.isdigit() for _, _, item in g)
        or _NUMBER_NAMED_RE.search(sentence, 0, g[0][0])
    ]
    for n, group in enumerate(groups):
        after_end = groups[n + 1][0][0] if n + 1 < len(groups) else len(sentence)
        before_start = groups[n - 1][-1][1] if n else 0
        after = sentence[group[-1][1] : after_end]
        if _RULE_VERB_RE.match(after):
            # 'Criterion 2b requires that the member meets ...; the records show three visits
            # only': the rule restated, then what the records lack: the notice disputes it
            for item in _expand(group, sentence, order):
                item.find("not_met", sentence, 1)
            continue
        if rule := _RULE_VERB_RE.search(after):
            after = after[: rule.start()]
        before = sentence[before_start : group[0][0]]
        verdict = _verdict(after.split(";")[0][:80]) or _verdict(before[-80:], last=True)
        if verdict is None:
            continue
        if verdict == "not_applicable" and _STOPPED_RE.search(sentence):
            # 'Because AD-2 is not met, AD-3 was not reviewed': the review stopped before it;
            # the appeal's reviewer still applies it
            verdict = "not_stated"
        named = _expand(group, sentence, order)
        strength = 2 if len(named) == 1 else 1
        reason = _VERDICT_LEAD_RE.sub("", after).strip(" :;,-–—.") if strength == 2 else None
        if reason is not None and len(reason) < 25:
            reason = sentence  # 'so (1) is not met': the sentence is the finding
        for item in named:
            item.find(verdict, reason, strength)


def _verdict(clause: str, *, last: bool = False) -> PayerStatus | None:
    """The verdict nearest the labels: the first in the clause after them, the last in the
    one before them ('are met; ... denied' -> met; 'does not meet' -> not met)."""
    found = [
        (match.end() if last else -match.start(), -rank, status)
        for rank, (regex, status) in enumerate(_VERDICT_RES)
        for match in regex.finditer(clause)
    ]
    return max(found)[2] if found else None


def _expand(
    group: list[tuple[int, int, LabelledItem]], sentence: str, order: list[LabelledItem]
) -> list[LabelledItem]:
    """The items a group of mentions names, a range's ('(A) through (C)') all of them."""
    named: list[LabelledItem] = []
    for n, (_, _, item) in enumerate(group):
        if n and re.search(r"through|to|[-–]", sentence[group[n - 1][1] : group[n][0]], re.I):
            first, last = order.index(named[-1]), order.index(item)
            named += order[first + 1 : last]
        named.append(item)
    return named
