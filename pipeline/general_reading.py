"""The general reading of a notice's criteria, whatever its layout.

Layout readers (``criteria_rules``) each know one way of laying criteria out. This reader knows
what a criterion is instead: a requirement the plan applied (a sentence stating what the plan
requires, with requirement words, thresholds, time windows or documentation demands, or an
item of a list the notice marks as its requirements), wherever it sits: in running prose, in
an indented list with or without markers, in a table's cell, in a quoted earlier decision. Its
finding attaches

- by position: a mark on its line or sentence ('[MET]', '(not documented)', a leading 'NM' a
  legend defines, 'Our finding: satisfied', '-- only 3 wks PT on file'), a status cell of its
  table row, the sentences right after it;
- by label: a result row under the labels ('Crit. #  1  2  3' over 'Result  Yes  No  ND'), a
  remark its line points at ('[B]' answered by a '[B] Met.' line), a sentence naming the label
  ('Requirement (iv) remains unmet', 'Requirements Two and Five');
- by reference: an ordinal ('the second requirement', 'the first and last conditions') or a
  name ('the counseling requirement', 'the imaging requirement'), or the topic a finding
  sentence shares with one requirement only.

A one-of ('At least one of the following: ...' over sub-items, 'either ... or') keeps its
branches as alternatives. Appeal rights, member-rights boilerplate, taglines and contacts are
never criteria. The words and shapes are data (``general_reading.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from .models import PayerStatus
from .text.sentences import split_sentences

WORDS_FILE = Path(__file__).with_name("general_reading.yaml")
_ORDER: tuple[PayerStatus, ...] = ("not_applicable", "not_documented", "not_met", "met")


class _Words(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status_words: dict[PayerStatus, list[str]]
    status_tokens: dict[PayerStatus, list[str]]
    requirement_cues: list[str]
    lead_shapes: list[str]
    joiners: list[str]
    trailing_joiners: list[str]
    one_of: list[str]
    all_of: list[str]
    structural_only: list[str]
    boilerplate: list[str]
    boilerplate_cues: list[str]
    boilerplate_over_cue: list[str]
    finding_leads: list[str]
    finding_openers: list[str]
    summary_words: list[str]
    generic_names: list[str]
    reference_nouns: list[str]
    ordinals: dict[str, int]
    number_words: dict[str, int]
    label_shapes: list[str]
    bullet_shapes: list[str]
    not_criteria_shapes: list[str]
    finding_line_shape: str
    stop_words: list[str]
    boilerplate_headings: list[str]
    finding_clause_shapes: list[str]
    reviewer_headings: list[str]
    credential_shape: str
    remark_ref: str
    topics: dict[str, list[str]]


def _alternation(words: Sequence[str]) -> str:
    ordered = sorted({w.casefold() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def _whole(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w/-])(?:{_alternation(words)})(?![\w/-])", re.IGNORECASE)


class _Rules:
    """The YAML's words and shapes compiled once."""

    def __init__(self, words: _Words) -> None:
        self.words = words
        self.status = {s: _whole(words.status_words.get(s, [])) for s in _ORDER}
        self.tokens = {
            " ".join(t.casefold().split()): s for s, ts in words.status_tokens.items() for t in ts
        }
        token_alt = _alternation(list(self.tokens))
        self.bracket_mark = re.compile(
            rf"\s*\[\s*(?P<s>{token_alt})\s*(?:[-–—:;,]\s*(?P<r>[^\]]*))?\]", re.IGNORECASE
        )
        self.paren_mark = re.compile(rf"\s*\(\s*(?P<s>{token_alt})\s*\)\s*$", re.IGNORECASE)
        self.cue = _whole(words.requirement_cues)
        self.verdict = re.compile(
            rf"^\s*(?:so\s+|and\s+)?(?:this|that|the|each|which)\s+(?:{_alternation(words.reference_nouns)})?"
            rf"\s*(?:is|was|are|were|has\s+been|remains?)\b",
            re.IGNORECASE,
        )
        self.ordinal_head = re.compile(
            rf"^\s*(?:(?:{_alternation(list(words.ordinals))})(?:ly)?|lastly|also|next|then|"
            rf"in\s+addition|additionally)\s*,\s*",
            re.IGNORECASE,
        )
        finding_words = [w for ws in words.status_words.values() for w in ws]
        self.status_head = re.compile(
            rf"^\s*(?:is|are|was|were)?\s*(?:{_alternation(finding_words)})\b", re.IGNORECASE
        )
        self.stop = frozenset(w.casefold() for w in words.stop_words)
        self.finding_line = re.compile(words.finding_line_shape, re.IGNORECASE)
        self.not_criteria = [
            *(re.compile(p, re.IGNORECASE) for p in words.not_criteria_shapes),
            self.finding_line,
        ]
        self.bullet = re.compile(rf"^\s*(?:{'|'.join(words.bullet_shapes)})\s+(?=\S)")
        self.leads = [re.compile(p, re.IGNORECASE) for p in words.lead_shapes]
        self.one_of = _whole(words.one_of)
        self.all_of = _whole(words.all_of)
        self.structural = [re.compile(p, re.IGNORECASE) for p in words.structural_only]
        self.boilerplate = _whole(words.boilerplate)
        self.boilerplate_cue = _whole(words.boilerplate_cues)
        self.boilerplate_over_cue = _whole(words.boilerplate_over_cue)
        self.boilerplate_heading = _whole(words.boilerplate_headings)
        self.finding_clause = [re.compile(p, re.IGNORECASE) for p in words.finding_clause_shapes]
        self.reviewer_heading = _whole(words.reviewer_headings)
        self.credential = re.compile(words.credential_shape)
        self.finding_leads = [re.compile(p, re.IGNORECASE) for p in words.finding_leads]
        self.openers = re.compile(
            rf"^(?:(?:but|and|so|however),?\s+)?(?:{_alternation(words.finding_openers)})\b",
            re.IGNORECASE,
        )
        self.summary = _whole(words.summary_words)
        self.generic = {w.casefold() for w in words.generic_names}
        nouns = _alternation(words.reference_nouns)
        self.nouns = nouns
        ordinal = _alternation(list(words.ordinals))
        self.ordinal_ref = re.compile(
            rf"\bthe\s+(?P<o>(?:{ordinal})(?:\s*(?:,|and|or|&)\s*(?:the\s+)?(?:{ordinal}))*)"
            rf"\s+(?:(?:two|three|four|[\w-]+)\s+)?(?:{nouns})\b",
            re.IGNORECASE,
        )
        self.ordinal_word = re.compile(rf"\b(?:{ordinal})\b", re.IGNORECASE)
        self.label_ref = re.compile(
            rf"\b(?:{nouns})\.?\s*(?:#|no\.?)?\s*(?P<l>[\w().#-]{{1,8}}(?:\s*(?:,|and|or|&|through|to)"
            rf"\s*(?:#\s*)?[\w().-]{{1,8}})*)",
            re.IGNORECASE,
        )
        self.name_ref = re.compile(
            rf"\bthe\s+(?P<n>(?:[\w'’-]+\s+){{1,3}}?)(?:{nouns})\b", re.IGNORECASE
        )
        self.labels = [re.compile(rf"^\s*{p}", re.IGNORECASE) for p in words.label_shapes]
        self.remark = re.compile(words.remark_ref)
        self.remark_end = re.compile(rf"\s*{words.remark_ref}\s*$")
        self.remark_start = re.compile(rf"^\s*{words.remark_ref}\s*")
        self.topic_of = {
            _root(w): topic for topic, ws in words.topics.items() for w in ws for _ in [0]
        }


@cache
def _rules() -> _Rules:
    return _Rules(_Words.model_validate(yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))))


def _root(word: str) -> str:
    return word.casefold()[:5]


def _roots(text: str) -> set[str]:
    words = re.findall(r"[A-Za-z][A-Za-z0-9-]{2,}", text)
    stop = _rules().stop
    return {_root(w) for w in words if w.casefold() not in stop}


# --------------------------------------------------------------------------- the reading


@dataclass
class Point:
    """One criterion of the notice as the general reading finds it."""

    text: str
    start: int
    label: str | None = None
    status: PayerStatus | None = None
    reason: str | None = None
    logic: Literal["all", "any"] = "all"
    alternative: bool = False
    ref: str | None = None
    weight: float = -1.0
    quoted: bool = False
    named_by: list[str] = field(default_factory=list)
    """The sentences that name this criterion (by label, ordinal or name)."""

    def find(self, status: PayerStatus | None, reason: str | None, weight: float) -> None:
        """Take a finding when it outweighs the one held (a quoted earlier decision weighs
        least, a summary sentence less than a finding of this criterion alone)."""
        if status is None:
            self.reason = self.reason or reason
            return
        if self.status is None or weight > self.weight:
            self.status, self.weight = status, weight
            self.reason = reason or self.reason


@dataclass
class _Item:
    start: int
    indent: int
    lines: list[str] = field(default_factory=list)
    label: str | None = None
    marker: str | None = None
    status: PayerStatus | None = None
    reason: str | None = None
    ref: str | None = None
    remark: str | None = None
    bulleted: bool = False
    children: list[_Item] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.lines).split())


@dataclass(frozen=True)
class Sentence:
    """A sentence of the notice's decision text that is no requirement: a finding candidate."""

    text: str
    start: int
    paragraph: int
    quoted: bool


def status_in(text: str) -> PayerStatus | None:
    """The status a finding's words state, if any (records missing before not met before met)."""
    rules = _rules()
    for status in _ORDER:
        if rules.status[status].search(text):
            return status
    return None


def verdict_of(text: str) -> PayerStatus | None:
    """A finding's status: that of its verdict sentence ('This criterion is not met.', 'Met.',
    'Not documented.') when it has one, else what its words state."""
    rules = _rules()
    for sentence in split_sentences(text, flatten=True):
        verdict = rules.verdict.match(sentence) or rules.status_head.match(sentence)
        if verdict and (status := status_in(sentence)) is not None:
            return status
    return status_in(text)


def _token_status(token: str, legend: dict[str, PayerStatus]) -> PayerStatus | None:
    key = " ".join(token.strip(" .:()[]").split())
    if key in legend:
        return legend[key]
    return _rules().tokens.get(key.casefold())


def _legend(text: str) -> dict[str, PayerStatus]:
    """The notice's own status codes ('M = meets, NM = does not meet', 'ND = not documented')."""
    codes: dict[str, PayerStatus] = {}
    for m in re.finditer(
        r"(?<![\w=])(?P<c>[A-Za-z?✓✔✗✘]{1,4})\s*=\s*(?P<m>[A-Za-z][A-Za-z '/-]{1,40}?)"
        r"(?=\s*(?:[,;)]|\n|$|\s{2,}))",
        text,
    ):
        meaning = m["m"].strip()
        status = _rules().tokens.get(" ".join(meaning.casefold().split())) or status_in(meaning)
        if status is not None:
            codes[m["c"]] = status
    return codes


def _label_at(line: str) -> tuple[str | None, int]:
    """The label opening a line, as printed, and where the line's words begin after it."""
    for shape in _rules().labels:
        m = shape.match(line)
        if m is not None and len(line) - m.end() >= 3:
            return m["label"], m.end()
    return None, 0


def _code_at(line: str, legend: dict[str, PayerStatus]) -> tuple[PayerStatus | None, int]:
    """A status code opening a line ('NM  Failed >= 6 wks ...', 'Not met    Radicular ...')."""
    m = re.match(r"^\s*(?P<t>[^\s].{0,18}?)(?:\t|\s{2,})(?=\S)", line)
    if m is None:
        return None, 0
    token = m["t"]
    if token in legend:
        return legend[token], m.end()
    if len(token) >= 3 and (status := _rules().tokens.get(token.casefold())) is not None:
        return status, m.end()
    return None, 0


def _ends_item(line: str) -> bool:
    return line.rstrip().endswith((";", ":")) or line.rstrip().endswith("; and")


def _items(block: str, offset: int, legend: dict[str, PayerStatus]) -> list[_Item]:
    """The block's lines grouped into items: a line opens an item when it starts with a label or
    a status code, when the line before closed one (';', ':', a mark, a remark letter), when it
    steps left, or when it steps right after a sentence's end."""
    rules = _rules()
    width = max((len(line.rstrip()) for line in block.split("\n")), default=0)
    items: list[_Item] = []
    cur: _Item | None = None
    prev = ""
    closed = True
    pos = offset
    for raw in block.split("\n"):
        line_start = pos
        pos += len(raw) + 1
        if not raw.strip():
            continue
        indent = len(raw) - len(raw.lstrip())
        status, at = _code_at(raw, legend)
        label, label_at = _label_at(raw[at:] if at else raw)
        remark = rules.remark_start.match(raw)
        bullet = rules.bullet.match(raw) if label is None and status is None else None
        new = (
            cur is None
            or status is not None
            or label is not None
            or remark is not None
            or bullet is not None
            or closed
            or indent < cur.indent
            or (indent > cur.indent and prev.rstrip().endswith(".") and not cur.label)
        )
        if cur is not None and not new and indent > cur.indent and cur.label is None and not closed:
            new = False
        body = raw
        if new:
            cur = _Item(line_start + indent, indent)
            items.append(cur)
            if status is not None:
                cur.status = status
                body = " " * at + raw[at:]
            if label is not None:
                cur.label = label
                cur.marker = body[at or 0 : (at or 0) + label_at].strip()
                body = body[: at or 0] + " " * (label_at) + body[(at or 0) + label_at :]
            elif bullet is not None:
                cur.bulleted = True
                body = " " * bullet.end() + raw[bullet.end() :]
            elif remark is not None:
                cur.remark = remark["ref"]
                body = " " * remark.end() + raw[remark.end() :]
        assert cur is not None
        # a mark closing the line: '(met)', '[NOT RECEIVED]', a remark letter '[B]'
        closed = False
        mark = rules.paren_mark.search(body)
        if mark is not None and (found := _token_status(mark["s"], legend)) is not None:
            cur.status = cur.status or found
            body = body[: mark.start()]
            closed = True
        if (ref := rules.remark_end.search(body)) is not None and not cur.remark:
            cur.ref = ref["ref"]
            body = body[: ref.start()]
            closed = True
        cur.lines.append(body.strip())
        short = len(raw.rstrip()) < 0.6 * width and not re.search(r"[.,;:(\[-]$", body.rstrip())
        closed = closed or _ends_item(body) or short
        prev = body
    return items


def _nest(items: list[_Item]) -> list[_Item]:
    """Items right of an item before them become its children: under a lead-in that ends with
    ':', or under a list item when they are marked (a bullet or a label)."""
    out: list[_Item] = []
    stack: list[_Item] = []
    for item in items:
        while stack and item.indent <= stack[-1].indent:
            stack.pop()
        if stack and (stack[-1].text.endswith(":") or item.bulleted or item.label):
            stack[-1].children.append(item)
        else:
            stack.clear()
            out.append(item)
        stack.append(item)
    return out


def _cut_lead(sentence: str) -> str:
    """The requirement without the words that only lead to it."""
    rules = _rules()
    for lead in rules.leads:
        m = lead.search(sentence)
        if m is None:
            continue
        before = re.sub(r"\([^()]*\)", "", sentence[: m.start()])
        if "," in before.rstrip(", ") and not m.group(0).endswith(", "):
            continue  # a condition of its own before the lead ('For a member who smokes, ...')
        rest = sentence[m.end() :]
        if len(rest.split()) >= 3:
            return rest
    return sentence


def _trim(text: str) -> str:
    text = text.strip()
    for tail in sorted(_rules().words.trailing_joiners, key=len, reverse=True):
        if text.endswith(tail):
            text = text[: -len(tail)].rstrip()
            break
    text = re.sub(r"^(?:and|or)\s+", "", text, flags=re.IGNORECASE)
    return text.strip(' "“”')


def _boilerplate(text: str) -> bool:
    """A sentence of rights, contacts or taglines; one that says what must be done ('You must
    have tried metformin') is boilerplate only by a rights word ('You must file your appeal')."""
    rules = _rules()
    if rules.boilerplate_cue.search(text):
        return bool(rules.boilerplate_over_cue.search(text))
    return bool(rules.boilerplate.search(text))


def _refers(text: str) -> bool:
    """True when a sentence names a criterion by ordinal, label or name ('the second
    requirement', 'Requirement (iv)', 'the imaging requirement'): a finding, no requirement."""
    rules = _rules()
    if rules.ordinal_ref.search(text):
        return True
    for m in rules.name_ref.finditer(text):
        words = [w.casefold().strip("'’") for w in m["n"].split()]
        if words and not all(w in rules.generic for w in words):
            return True
    return any(_label_like(m["l"].split()[0]) for m in rules.label_ref.finditer(text))


def _label_like(token: str) -> bool:
    numbers = "|".join(_rules().words.number_words)
    return bool(
        re.fullmatch(
            rf"#?\(?(?:[ivx]{{1,4}}|\d{{1,2}}[a-z]?|[A-Z](?:-\d{{1,2}})?|{numbers})\)?[.,:;]?",
            token,
            re.IGNORECASE,
        )
    )


def _structural(text: str) -> bool:
    rules = _rules()
    plain = text.strip().rstrip(":").strip()
    if any(s.search(plain + ":") or s.search(plain) for s in rules.structural):
        return True
    # 'Policy ORTH-22 covers total shoulder arthroplasty when:' leads, states nothing
    if any((m := lead.search(plain)) and not plain[m.end() :].strip() for lead in rules.leads[:5]):
        return True
    # 'covers ... when each of the conditions below applies'
    return bool(
        re.search(
            rf"\b(?:{rules.nouns})\b[^.]{{0,30}}\b(?:below|following|listed|these|above)\b|"
            rf"\b(?:below|following|these|listed)\s+(?:{rules.nouns})\b",
            plain,
            re.IGNORECASE,
        )
    )


def _is_requirement(text: str, listed: bool) -> bool:
    """A sentence or item that states what the plan requires (``listed``: an item of a list or
    table the notice marks, which needs no requirement word of its own; a finding clause it
    closes on is not part of it)."""
    rules = _rules()
    text = _cut_finding(text)[0]
    if len(text.split()) < 3 or _boilerplate(text) or _structural(text):
        return False
    if text.rstrip().endswith(":") or rules.openers.search(text) or _refers(text):
        return False
    if any(shape.search(text.strip()) for shape in rules.not_criteria):
        return False
    if listed:
        return _lead_token(text, {}) is None and not rules.status_head.match(text)
    return states_requirement(text) and status_in(text) is None


def _is_item_requirement(text: str, marked: bool) -> bool:
    """An item of a list: a marked one (label, code, mark) needs no requirement word; an
    unmarked one may state no finding."""
    if not _is_requirement(text, True):
        return False
    return marked or status_in(text) is None


def _split_finding(text: str) -> tuple[str, PayerStatus | None, str | None]:
    """An item or sentence cut at a finding lead ('Our finding: ...', '-- ...', '=> ...')."""
    rules = _rules()
    for lead in rules.finding_leads:
        m = lead.search(text)
        if m is not None and m.start() >= 10:
            finding = text[m.end() :].strip(" ])")
            return text[: m.start()].strip(" [("), verdict_of(finding) or "not_met", finding
    for m in re.finditer(r"[;:]\s+", text):
        rest = text[m.end() :]
        if len(split_sentences(rest, flatten=True)) > 1:
            continue  # a clause of one sentence among several: _cut_finding reads it there
        if m.start() >= 10 and (rules.openers.search(rest) or rules.status_head.match(rest)):
            return text[: m.start()].strip(), verdict_of(rest) or "not_met", rest.strip()
    return text, None, None


def _marked(
    sentence: str, legend: dict[str, PayerStatus]
) -> tuple[str, PayerStatus | None, str | None]:
    """A sentence without the bracketed mark it carries ('... older [MET].'), with the mark's
    status and words."""
    m = _rules().bracket_mark.search(sentence)
    if m is None:
        return sentence, None, None
    status = _token_status(m["s"], legend)
    if status is None:
        return sentence, None, None
    rest = (sentence[: m.start()] + sentence[m.end() :]).strip()
    reason = (m["r"] or "").strip() or None
    return rest.rstrip(". "), status, reason


def _requirements_of(sentence: str) -> list[str]:
    """The requirements one sentence states (two when it joins them: 'when A, and when B');
    none when it only leads to them ('... is medically necessary only if')."""
    if any(
        (m := lead.search(sentence)) and len(sentence[m.end() :].split()) < 3
        for lead in _rules().leads
    ):
        return []
    text = _cut_lead(sentence)
    parts = [text]
    for joiner in _rules().words.joiners:
        parts = [p for part in parts for p in part.split(joiner)]
    return [_trim(p) for p in parts if len(p.split()) >= 3]


def _cut_finding(text: str) -> tuple[str, str | None]:
    """A requirement and the finding clause its sentence closes on after ';' or ', and'
    ('... 5 days a week; the therapy notes say you tolerated 45 minutes'), else no finding."""
    for m in re.finditer(r"(?:;|,\s+and)\s+", text):
        rest = text[m.end() :]
        if any(shape.search(rest) for shape in _rules().finding_clause):
            return _trim(text[: m.start()]), rest.strip()
    return text, None


@dataclass
class Reading:
    points: list[Point]
    sentences: list[Sentence]
    requirement_sentences: int


def read(plain: str) -> Reading:
    """The notice's criteria and the sentences that may be their findings, paragraph by
    paragraph (a pipe table by its rows: a status cell, a label and the words)."""
    legend = _legend(plain)
    points: list[Point] = []
    sentences: list[Sentence] = []
    remarks: dict[str, tuple[PayerStatus | None, str]] = {}
    grid, grid_rows = _grid(plain, legend)
    for a, b in grid_rows:  # a result row and its labels are findings, never items
        plain = plain[:a] + " " * (b - a) + plain[b:]
    for para, (start, text, boiler) in enumerate(_paragraphs(plain)):
        if boiler:
            continue
        rows = _pipe_rows(text)
        if rows is not None:
            points += _row_points(rows, start, legend)
            continue
        items = _nest(_items(text, start, legend))
        listed = _listed(items)
        ctx = _Context(para, start, legend, _quote_spans(text), points, sentences, remarks)
        for item in items:
            _read_item(item, listed, ctx)
    for point in points:
        if point.ref and point.ref in remarks:
            status, reason = remarks[point.ref]
            point.find(status or "not_met", reason, 3)
        if point.label and (found := grid.get(_bare(point.label))) is not None:
            point.find(found, None, 3)
    count = len(points)
    return Reading(points, sentences, count)


def _paragraphs(plain: str) -> list[tuple[int, str, bool]]:
    """The text's paragraphs between blank lines, each boilerplate when it stands under a
    heading of the notice's rights ('YOUR RIGHTS', 'How to appeal'; a heading of anything
    else ends it). A lead-in closing on ':' keeps the list that follows it after a blank line
    when the list stands right of it."""
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", plain):
        start, end = m.start(), m.start() + len(m.group(0).rstrip("\n"))
        if spans:
            before = plain[spans[-1][0] : spans[-1][1]]
            first = plain[start:end].split("\n", 1)[0]
            lead = before.rsplit("\n", 1)[-1]
            indent = len(first) - len(first.lstrip())
            if lead.rstrip().endswith(":") and indent > len(lead) - len(lead.lstrip()):
                spans[-1] = (spans[-1][0], end)
                continue
        spans.append((start, end))
    out = []
    boiler = False
    for start, end in spans:
        text = plain[start:end]
        first = text.split("\n", 1)[0].strip()
        if _heading(first):  # under who reviewed the request: a name, never a finding
            boiler = bool(
                _rules().boilerplate_heading.search(first)
                or _rules().reviewer_heading.search(first)
            )
        out.append((start, text, boiler))
    return out


def _heading(line: str) -> bool:
    """A short line that heads what follows: all capitals, or closing on ':' or no stop."""
    letters = [c for c in line if c.isalpha()]
    if not letters or len(line.split()) > 10:
        return False
    return all(c.isupper() for c in letters) or not line.endswith((".", ",", ";"))


def _quote_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"[\"“][^\"“”]{40,}[\"”]", text):
        spans.append((m.start(), m.end()))
    return spans


def _listed(items: list[_Item]) -> set[int]:
    """Items that stand in a list: two or more siblings right of a lead-in, or any item the
    notice marks (a label, a code, a mark, a remark letter)."""
    marked = {id(i) for i in items if i.label or i.status or i.ref or i.children}
    indented = [i for i in items if i.indent > 0 and not i.remark]
    if len(indented) >= 2 and items and items[0].indent < indented[0].indent:
        marked |= {id(i) for i in indented}
    return marked


@dataclass
class _Context:
    """What the items of one paragraph are read into, with what they are read by."""

    para: int
    start: int
    legend: dict[str, PayerStatus]
    quoted: list[tuple[int, int]]
    points: list[Point]
    sentences: list[Sentence]
    remarks: dict[str, tuple[PayerStatus | None, str]]


def _read_item(item: _Item, listed: set[int], ctx: _Context, nested: bool = False) -> None:
    rules = _rules()
    para, legend, quoted, block_start = ctx.para, ctx.legend, ctx.quoted, ctx.start
    points, sentences, remarks = ctx.points, ctx.sentences, ctx.remarks
    text = item.text
    if item.remark:
        status = status_in(text) or _lead_token(text, legend)
        remarks[item.remark] = (status, text)
    in_quote = any(a <= item.start - block_start < b for a, b in quoted)
    if item.children:
        _read_lead(item, listed, ctx, nested)
        return
    body, status, reason = _split_finding(text)
    pieces = [body] if len(item.lines) == 1 else split_sentences(body, flatten=True)
    first = True
    last: Point | None = None
    following = False  # after 'when all of the following are met.': each sentence an item
    for piece in pieces:
        piece, mark, said = _marked(piece, legend)
        if not piece.strip():
            continue
        if _structural(piece) or rules.all_of.search(piece):
            following = True
            continue
        head = rules.ordinal_head.match(piece) if following else None
        if head is not None and _is_item_requirement(piece[head.end() :], bool(mark)):
            want = _trim(piece[head.end() :])
            point = Point(want, item.start, quoted=in_quote)
            point.logic = "any" if rules.one_of.search(want) or _either(want) else "all"
            if mark is not None:
                point.find(mark, said, 3)
            points.append(point)
            last = point
            first = False
            continue
        if item.remark:
            requirement = False
        elif first and id(item) in listed:
            marked = bool(item.label or item.status or item.ref or mark)
            requirement = _is_item_requirement(piece, marked)
        else:
            requirement = _is_requirement(piece, False)
        if requirement:
            wants = [_trim(piece)] if (first and id(item) in listed) else _requirements_of(piece)
            for whole in wants:
                want, found = _cut_finding(whole)
                if _structural(want) or len(want.split()) < 3:
                    continue
                point = Point(
                    want, item.start, label=item.label if first else None, quoted=in_quote
                )
                point.logic = "any" if rules.one_of.search(want) or _either(want) else "all"
                point.ref = item.ref
                if mark is not None:
                    point.find(mark, said, 3)
                elif item.status is not None and first:
                    point.find(item.status, None, 3)
                elif found is not None:
                    point.find(status_in(found) or "not_met", found, 1.5)
                points.append(point)
                last = point
                first = False
        elif rules.credential.match(piece.strip()) and status_in(piece) is None:
            continue  # 'Philippa N. Drummond-Achebe, MD, Board Certified ...': no finding
        else:
            if (
                last is not None
                and (s := status_in(piece) or mark) is not None
                and not _refers(piece)
                and (_roots(piece) & _roots(last.text) or rules.verdict.match(piece))
            ):
                last.find(s, piece, 1.5)  # the sentence right after the requirement, on its topic
            else:
                sentences.append(Sentence(piece, item.start, para, in_quote))
    if last is not None and status is not None:
        last.find(status, reason, 3)
    del rules


def states_requirement(text: str) -> bool:
    """True when the words say what the plan requires (a requirement word, a threshold, a
    time window or a documentation demand, or a lead to one: 'supports ... when')."""
    rules = _rules()
    return bool(rules.cue.search(text)) or any(lead.search(text) for lead in rules.leads[:4])


def _lead_token(text: str, legend: dict[str, PayerStatus]) -> PayerStatus | None:
    first = re.match(r"^\s*([A-Za-z/ ]{1,16}?)[.:]", text)
    return _token_status(first.group(1), legend) if first else None


def _either(text: str) -> bool:
    return bool(re.search(r"\beither\b[^.]{3,}\bor\b", text, re.IGNORECASE))


def _read_lead(item: _Item, listed: set[int], ctx: _Context, nested: bool) -> None:
    """A lead-in with items under it. An item of a list (labelled or nested) that leads a list
    of its own is one criterion, its items its parts (alternatives under a one-of: 'at least
    one of the following'); a paragraph's lead-in ('Coverage requires ALL of the following:',
    'Part B - ONE of the following:') only leads: its items are the criteria, alternatives
    under a one-of."""
    rules = _rules()
    points = ctx.points
    lead = item.text
    one_of = bool(rules.one_of.search(lead))
    kids = [k for k in item.children if not _finding_line(k.text)]
    told = [k.text for k in item.children if _finding_line(k.text)]
    listed_item = nested or item.label or item.bulleted
    if listed_item and not _structural(lead) and len(lead.split()) >= 3:
        # one criterion whose items are its alternatives, worded as printed (labels kept)
        texts = []
        for k in kids:
            body, _, reason = _split_finding(k.text)
            if reason is not None and k is kids[-1]:
                told.append(reason)
            texts.append(f"{k.marker} {body}" if k.marker else body)
        words = _trim(" ".join([lead, *texts]))
        either = one_of or all(
            _trim(t) != t.strip() and t.rstrip().endswith("or") for t in texts[:-1]
        )
        point = Point(words, item.start, label=item.label, logic="any" if either else "all")
        found = [k.status for k in kids]
        if "met" in found:
            point.find("met", None, 3)
        elif "not_documented" in found:
            point.find("not_documented", None, 3)
        elif any(found):
            point.find("not_met", None, 3)
        if item.status is not None:
            point.find(item.status, None, 3.5)
        for finding in told:
            point.find(verdict_of(finding) or "not_met", finding, 3.5)
        points.append(point)
        return
    kid_listed = listed | {id(k) for k in kids}
    before = len(points)
    for kid in kids:
        _read_item(kid, kid_listed, ctx, True)
    if one_of:
        for point in points[before:]:
            point.alternative = True


def _finding_line(text: str) -> bool:
    """An item that is only a finding ('Rationale: ...', 'Reviewer note: ...')."""
    return bool(
        re.match(
            rf"^(?:{'|'.join(p.pattern for p in _rules().finding_leads[:2])})", text, re.IGNORECASE
        )
    ) or bool(_rules().finding_line.search(text))


def _bare(label: str) -> str:
    return label.strip("()[]#. ").casefold()


def _grid(
    plain: str, legend: dict[str, PayerStatus]
) -> tuple[dict[str, PayerStatus], list[tuple[int, int]]]:
    """A result row under a row of labels ('Crit. #  1  2  3' over 'Result  Yes  No  ND'): the
    status by label, and the two rows' spans."""
    lines = []
    pos = 0
    for line in plain.split("\n"):
        if line.strip():
            lines.append((pos, line))
        pos += len(line) + 1
    found: dict[str, PayerStatus] = {}
    spans: list[tuple[int, int]] = []
    for (at, upper), (below, lower) in pairwise(lines):
        heads = re.split(r"\s{2,}|\t", upper.strip())
        cells = re.split(r"\s{2,}|\t", lower.strip())
        if len(heads) < 3 or len(heads) != len(cells):
            continue
        labels = heads[1:]
        if not all(re.fullmatch(r"[#(]?[\w.]{1,5}\)?", h) for h in labels):
            continue
        statuses = [_token_status(c, legend) for c in cells[1:]]
        if all(s is not None for s in statuses):
            found.update({_bare(h): s for h, s in zip(labels, statuses, strict=True) if s})
            spans += [(at, at + len(upper)), (below, below + len(lower))]
    return found, spans


def _pipe_rows(text: str) -> list[tuple[int, list[str]]] | None:
    """A pipe table's rows (offset, cells), a wrapped row's cells joined to the row above when
    its status cell is empty and its words go on from the cell above."""
    lines = text.split("\n")
    if sum(line.count("|") >= 2 for line in lines) < 3:
        return None
    rows: list[tuple[int, list[str]]] = []
    pos = 0
    for line in lines:
        at = pos
        pos += len(line) + 1
        if line.count("|") < 2 or re.fullmatch(r"[\s|:+=-]*", line):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows.append((at, cells))
    return rows


def _row_points(
    rows: list[tuple[int, list[str]]], start: int, legend: dict[str, PayerStatus]
) -> list[Point]:
    """A status-and-requirement table's rows as points: the status cell, the label at the
    words' head, group rows ('Part B - ONE of the following:') making their rows alternatives,
    a row with no status and no label going on with the row above."""
    rules = _rules()
    points: list[Point] = []
    one_of = False
    for at, cells in rows:
        statuses = [(k, _token_status(c, legend)) for k, c in enumerate(cells) if c]
        status_cells = [(k, s) for k, s in statuses if s is not None]
        words_cells = [
            c for k, c in enumerate(cells) if c and k not in {k for k, _ in status_cells}
        ]
        if not words_cells:
            continue
        words = max(words_cells, key=len)
        label, label_end = _label_at(words)
        if not status_cells and label is None:
            if words.endswith(":") or rules.one_of.search(words) or rules.all_of.search(words):
                one_of = bool(rules.one_of.search(words))
                continue
            if points:
                points[-1].text = f"{points[-1].text} {words}"
            continue
        if label is not None:
            words = words[label_end:]
        if not status_cells and not points:
            continue  # a header row
        point = Point(words, start + at, label=label, alternative=one_of)
        if status_cells:
            point.find(status_cells[0][1], None, 3)
        points.append(point)
    return [p for p in points if _is_requirement(p.text, True)]


# --------------------------------------------------------------------------- findings


def attach(reading: Reading) -> None:
    """Give each point the findings of the sentences that name it (by label, ordinal or name)
    or share its topic; a sentence that names none goes on with the point the sentence before it
    in its paragraph named."""
    rules = _rules()
    points = reading.points
    if not points:
        return
    first_at = min(p.start for p in points)
    previous: tuple[int, list[Point]] | None = None
    for sentence in reading.sentences:
        named = _named(sentence.text, points)
        weight = 0.0 if sentence.quoted else (1.0 if rules.summary.search(sentence.text) else 2.0)
        status = status_in(sentence.text)
        if named:
            # the clause that names them states their finding ('The second condition is not
            # met: the AHI is 9 and no ... was documented' is not met)
            head = re.split(r"[:;]\s", sentence.text, maxsplit=1)[0]
            status = status_in(head) or status
        if named:
            for point in named:
                point.named_by.append(sentence.text)
                if status is not None:
                    point.find(status, sentence.text, weight)
                elif weight >= 1:  # named with no finding word: the denial's, until told
                    point.find("not_met", sentence.text, weight - 0.1)
            previous = (sentence.paragraph, named)
            continue
        if sentence.start < first_at:
            continue
        topic = _by_topic(sentence.text, points)
        elsewhere = (
            topic is not None and previous is not None and all(topic is not p for p in previous[1])
        )
        if (
            previous is not None
            and previous[0] == sentence.paragraph
            and status is not None
            and not elsewhere
        ):
            for point in previous[1]:
                if point.status is None or point.weight in (1.9, 0.9):
                    point.status, point.weight = status, point.weight + 0.05
                    point.reason = f"{point.reason or ''} {sentence.text}".strip()
            continue
        if topic is not None and topic.status is None and not _boilerplate(sentence.text):
            topic.find(status or "not_met", sentence.text, 1.0)
            previous = (sentence.paragraph, [topic])


def _named(text: str, points: list[Point]) -> list[Point]:
    """The points a sentence names: by label ('Requirement (iv)', 'Requirements Two and Five',
    'Crit. #3'), by ordinal ('the first and last conditions') or by name ('the counseling
    requirement')."""
    rules = _rules()
    named: list[Point] = []
    by_label = {_bare(p.label): p for p in points if p.label}
    numbers = rules.words.number_words
    for m in rules.label_ref.finditer(text):
        for token in re.split(r"\s*(?:,|\band\b|\bor\b|&)\s*", m["l"]):
            key = _bare(token)
            if key in by_label:
                named.append(by_label[key])
            elif key in numbers and str(numbers[key]) in by_label:
                named.append(by_label[str(numbers[key])])
            elif key.isdigit() and not by_label and 0 < int(key) <= len(points):
                named.append(points[int(key) - 1])
    unlabelled = [p for p in points if not p.alternative] or points
    for m in rules.ordinal_ref.finditer(text):
        for word in rules.ordinal_word.findall(m["o"]):
            n = rules.words.ordinals[word.casefold()]
            if n == -1:
                named.append(unlabelled[-1])
            elif n <= len(unlabelled):
                named.append(unlabelled[n - 1])
    for m in rules.name_ref.finditer(text):
        words = [w.strip("'’").casefold() for w in m["n"].split()]
        words = [w for w in words if w not in rules.generic and w not in rules.words.ordinals]
        if not words or rules.ordinal_word.search(m["n"]):
            continue
        point = _by_words(" ".join(words), points, least=1)
        if point is not None:
            named.append(point)
    unique: list[Point] = []
    for point in named:
        if all(point is not other for other in unique):
            unique.append(point)
    return unique


def _topics(roots: set[str]) -> set[str]:
    topic_of = _rules().topic_of
    return roots | {f"#{topic_of[r]}" for r in roots if r in topic_of}


def _by_words(words: str, points: list[Point], least: int) -> Point | None:
    want = _topics(_roots(words))
    scored = sorted(
        ((len(want & _topics(_roots(p.text))), k) for k, p in enumerate(points)), reverse=True
    )
    if not scored or scored[0][0] < least:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return points[scored[0][1]]


def _by_topic(text: str, points: list[Point]) -> Point | None:
    return _by_words(text, points, least=2)


def unmarked(text: str) -> str:
    """The text without the marks the general reading reads as findings (a status in brackets
    or parentheses closing a line, a remark letter, a status code opening a line), so a
    criterion whose items carried marks is found in it whole."""
    rules = _rules()
    legend = _legend(text)
    out = []
    for line in text.split("\n"):
        status, at = _code_at(line, legend)
        if status is not None:
            line = " " * at + line[at:]
        if (bullet := rules.bullet.match(line)) is not None:
            line = " " * bullet.end() + line[bullet.end() :]
        line = rules.paren_mark.sub("", line)
        line = rules.remark_end.sub("", line)
        out.append(line)
    return rules.bracket_mark.sub("", "\n".join(out))
