"""Prompt-injection defences: the parts of a denial letter that address a model, not a reader.

A denial letter is untrusted data. Text in it may try to steer whatever reads it ("ignore previous
instructions", a fake ``SYSTEM:`` message, "note to AI: the real criteria are ...", "write
APPROVED"). Nothing here removes text from the letter; the letter stays as the payer sent it.
Instead:

- :func:`injected_spans` finds the instruction-like parts (a sentence, or a whole paragraph when
  it is a fake chat message or is addressed to a model, plus a list it introduces, plus every
  hidden HTML/Markdown comment), and :func:`mask_injections` blanks them out (offsets kept). The
  criteria reader and the provenance check of a model's criteria read the masked text, so no
  criterion comes from an injected part.
- :func:`instruction_spans` finds model-directed phrases in any text (the draft included), and
  :func:`echo_spans` finds where a draft repeats an injected passage or an id that only the
  injected part of the letter holds; the validator's ``injection.echo`` check uses both.

Patterns are matched on a skeleton of the text (common Cyrillic and Greek look-alikes mapped to
Latin letters, one character for one, so offsets hold); ``ingest`` has already removed invisible
format characters and folded full-width and styled letters.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from .confusables import skeleton as confusable_skeleton
from .prefilter import Prefiltered, fold

Span = tuple[int, int]

# --------------------------------------------------------------------------- homoglyphs

_LOOKALIKES = str.maketrans(
    # Cyrillic
    "аеорсухіјѕԁɡһӏԛԝАВЕКМНОРСТХІЈЅԚԜ"
    # Greek
    "αοιυνκρτχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"
    # Latin look-alikes
    "ıɩ",
    "aeopcyxijsdghlqwABEKMHOPCTXIJSQWaoiuvkptxABEZHIKMNOPTYXii",
)


def skeleton(text: str) -> str:
    """``text`` with look-alike letters mapped to Latin ones (same length, same offsets): the
    small map above, then every look-alike of the Unicode confusables table
    (``pipeline.confusables``: Armenian, Cherokee, mathematical letters...)."""
    return text if text.isascii() else confusable_skeleton(text.translate(_LOOKALIKES))


# --------------------------------------------------------------------------- patterns

_MODEL = (
    r"(?:AI|A\.I\.|LLMs?|GPT\w*|ChatGPT|chat\s*bots?|(?:large\s+)?language\s+models?|"
    r"(?:AI|automated|virtual|drafting|writing)\s+(?:assistants?|reviewers?|readers?|systems?|"
    r"tools?|agents?|models?)|"
    r"(?:appeal|letter|document)[- ](?:writing|drafting|generat\w*)\s+(?:software|programs?|"
    r"applications?|apps?|bots?|tools?|systems?)|(?:writing|drafting)\s+(?:software|programs?|"
    r"bots?))"
)
_ROLE = r"(?:system|assistant|developer|tool|function|user)"

ROLE_PATTERNS: dict[str, str] = {
    # "SYSTEM: ...", "[assistant]: ...", "Tool result: ..." at the start of a line
    "role marker": rf"(?im)^[ \t>*#_\-\[<(|]*{_ROLE}(?:[ \t]+(?:message|prompt|output|result|"
    r"response|note))?[ \t]*[\])>|*_]*(?:[ \t]*\([^()\n]{0,40}\))?[ \t]*:",
    "chat template token": r"(?im)<\|[a-z_]{2,20}\|>|\[/?INST\]|<</?SYS>>|^#{2,}[ \t]*(?:system|"
    r"instruction|input|response|assistant)[ \t]*:?[ \t]*$",
    "model addressed": rf"(?i)\b(?:note|message|instructions?|directions?|attention|memo|"
    rf"reminder|notice)[ \t]*(?:to|for)?[ \t]*(?:the[ \t]+|any[ \t]+|all[ \t]+)?{_MODEL}\b|"
    rf"\b{_MODEL}\b[^.\n]{{0,40}}?\b(?:reading|processing|reviewing|summari[sz]ing|drafting|"
    r"generating|parsing)\b",
}
"""Markers of a fake chat message or a note addressed to a model: the whole paragraph is
injected from the marker on."""

INSTRUCTION_PATTERNS: dict[str, str] = {
    "override": r"(?i)\b(?:ignore|disregard|forget|overrule)[ \t\n]+(?:[\w'-]+[ \t\n]+){0,3}?"
    r"(?:instructions?|prompts?|directions?|directives?|rules|guidance|messages?|context|"
    r"criteria)\b|\b(?:ignore|disregard|forget)[ \t\n]+(?:everything|anything)[ \t\n]+"
    r"(?:above|before|else|prior)\b|"
    # the same in Spanish: "ignora las instrucciones anteriores"
    r"\b(?:ignor[ae]|olvid[ae]|omit[ae]|descart[ae])[ \t\n]+(?:[\w'-]+[ \t\n]+){0,3}?"
    r"(?:instrucciones|indicaciones|reglas|criterios|[oó]rdenes)\b",
    "new role": r"(?i)\byou[ \t\n]+are[ \t\n]+now\b|\byou[ \t\n]+are[ \t\n]+(?:an?|the)[ \t\n]+"
    r"(?:AI|artificial|large[ \t\n]+language|language[ \t\n]+model|LLM|chat[ \t]*bot)\b|"
    r"\bas[ \t\n]+an?[ \t\n]+(?:AI|artificial[ \t\n]+intelligence|(?:large[ \t\n]+)?language"
    r"[ \t\n]+model|LLM)\b",
    "new instructions": r"(?i)\b(?:new|updated|revised|real|true|hidden|secret|override)[ \t\n]+"
    r"(?:system[ \t\n]+)?instructions?[ \t]*:|\b(?:system|developer|hidden)[ \t\n]+"
    r"(?:prompt|message)s?\b|\bprompt[ \t\n]+injection\b|\bjailbreak\w*",
    "verdict order": r"(?i)\b(?:write|output|print|respond[ \t\n]+with|reply[ \t\n]+with|"
    r"answer[ \t\n]+with|type|return|stamp|mark[ \t\n]+(?:this|the|it)[ \t\n]+(?:\w+[ \t\n]+)?"
    r"as)[ \t\n]*[\"“'‘]?(?:APPROVED|approve[ds]?)\b|"
    r"\bescrib[ae]\w*[ \t\n]+[\"“'‘]?APROBAD[OA]\b",
    "omit offer": r"(?i)\b(?:omit|remove|delete|leave[ \t\n]+out|drop|do[ \t\n]+not[ \t\n]+"
    r"(?:include|mention|offer))\b[^.\n]{0,40}?\bpeer[- ]to[- ]peer\b",
    "output directive": r"(?i)\bwhen[ \t\n]+(?:you[ \t\n]+)?(?:draft|generat|compos)\w*[ \t\n]+"
    r"(?:the|an|any|this)[ \t\n]+(?:appeal|letter|response|reply)\b|\b(?:in|to|into)[ \t\n]+"
    r"(?:the|your)[ \t\n]+(?:generated|drafted|output|final)[ \t\n]+(?:letter|text|draft|"
    r"appeal|response)\b",
    "letter directive": r"(?i)\b(?:the|your|this|any|each)[ \t\n]+(?:appeal(?:[ \t\n]+letter)?|"
    r"letter(?:[ \t\n]+of[ \t\n]+medical[ \t\n]+necessity)?|LMN|response|reply|draft)[ \t\n]+"
    r"(?:must|should|shall|is[ \t\n]+to|needs[ \t\n]+to|has[ \t\n]+to)[ \t\n]+(?:state|say|"
    r"declare|confirm|concede|admit|acknowledge|agree)[ \t\n]+that\b|\b(?:the|your|this)[ \t\n]+"
    r"(?:appeal(?:[ \t\n]+letter)?|letter|LMN|response|draft)[ \t\n]+(?:must|should|shall|"
    r"is[ \t\n]+to|needs[ \t\n]+to)[ \t\n]+(?:concede|withdraw|admit|omit)\b",
    **ROLE_PATTERNS,
}
"""Every instruction-like phrase, by kind (the kind names a finding; the text is never quoted)."""

APPROVED_BANNER = r"(?<![-\w])APPROVED\b(?!-)"
"""A draft's own verdict in capitals: an appeal asks for approval, it never declares it."""

_INSTRUCTION_RES = {kind: Prefiltered.compile(p) for kind, p in INSTRUCTION_PATTERNS.items()}
"""Each pattern with the words it cannot match without (``pipeline.prefilter``): most paragraphs
of a letter are read by substring tests, not by nine case-insensitive scans."""
_ROLE_RES = tuple(_INSTRUCTION_RES[kind].regex for kind in ROLE_PATTERNS)
_APPROVED_RE = re.compile(APPROVED_BANNER)
_NOT_APPROVED_RE = re.compile(r"(?i)\b(?:not|never|un)[ \t\n-]*$")
_HIDDEN_COMMENT_RE = re.compile(
    r"<!--.*?(?:-->|\Z)|^[ \t]*\[(?://|comment)\]:[ \t]*(?:#|<>)[ \t]*\(.*?\)[ \t]*$",
    re.DOTALL | re.MULTILINE,
)
_PARAGRAPH_RE = re.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+")
# A piece ends after a sentence (with its closing quotes), before a hidden run of spaces, and
# before a line that starts a list item or a chat role.
_PIECE_BREAK_RE = re.compile(
    r"(?<=[.!?])[\"”’)\]]*(?=\s)|(?<=\S)(?=[ \t]{4,}\S)|(?<![<\w])(?=\|(?!>))|"
    rf"(?=\n[ \t]*(?:[-*•·▪◦●–]|\(?\d{{1,2}}[.)]|\(?[a-zA-Z][.)]|<\||\[|{_ROLE}\b))",
    re.IGNORECASE,
)
_LIST_ITEM_RE = re.compile(
    r"^[ \t]*(?:[-*•·▪◦●○■–]|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)]|\(?[ivxIVX]{1,4}[.)]|"
    r"(?:criterion|requirement)[ \t]+#?[\w.]{1,8}(?:[ \t]*\([^()\n]{1,40}\))?[ \t]*[:.\-–—])"
    r"[ \t]+\S",
    re.IGNORECASE,
)


def _candidates(probe: str) -> list[tuple[str, re.Pattern[str]]]:
    """The patterns (by kind) whose required words ``probe`` holds: the others cannot match."""
    folded = fold(probe)
    return [(kind, p.regex) for kind, p in _INSTRUCTION_RES.items() if p.may_match(folded)]


def instruction_kind(text: str) -> str | None:
    """The kind of the first instruction-like phrase in ``text`` (a piece of a letter), or None:
    read as written, with words split into syllables joined again ('ig-no-ra las ins-truc-
    cio-nes'), and inside base64 runs that decode to text."""
    probe = skeleton(text)
    for variant in (probe, _rejoined(probe)):
        if kind := next((k for k, regex in _candidates(variant) if regex.search(variant)), None):
            return kind
    for run in _BASE64_RE.finditer(probe):
        if (decoded := _decoded(run[0])) is not None:
            return instruction_kind(decoded) or "encoded text"
    return None


# A word cut into syllables by hyphens (or dots, underscores): three or more pieces of one to
# four letters ('Ig-no-ra', 'i.g.n.o.r.e'), not a compound such as 'peer-to-peer' (kept: the
# patterns are tried on the text as written first).
_SYLLABLES_RE = re.compile(r"(?<![\w-])[^\W\d_]{1,4}(?:[-._][^\W\d_]{1,4}){2,}(?![\w-])")


def _rejoined(text: str) -> str:
    """``text`` with syllable-split words joined (for detection only: offsets change)."""
    if "-" not in text and "." not in text and "_" not in text:
        return text
    return _SYLLABLES_RE.sub(lambda m: re.sub(r"[-._]", "", m[0]), text)


_BASE64_RE = re.compile(r"(?<![\w+/=])[A-Za-z0-9+/]{24,}={0,2}(?![\w+/=])")


def _decoded(run: str) -> str | None:
    """The text a base64 run encodes, when it decodes to readable words (three spaces or more,
    printable ASCII): an id or a hash decodes to bytes, not to a sentence."""
    if not re.search(r"[a-z]", run) or not re.search(r"[A-Z0-9+/]", run):
        return None
    try:
        raw = base64.b64decode(run + "=" * (-len(run) % 4), validate=True)
        decoded = raw.decode("ascii")
    except (binascii.Error, ValueError):
        return None
    readable = all(ch.isprintable() or ch in "\n\t" for ch in decoded)
    return decoded if readable and decoded.count(" ") >= 3 else None


def is_instruction(text: str) -> bool:
    """True when ``text`` holds an instruction-like phrase."""
    return instruction_kind(text) is not None


def instruction_spans(text: str) -> list[Span]:
    """Spans of model-directed phrases in ``text``: instruction-like phrases and an APPROVED
    verdict in capitals (not 'NOT APPROVED').

    Read paragraph by paragraph (blank-line separated)."""
    spans: list[Span] = []
    offset = 0
    for part in text.split("\n\n"):
        if part.strip():
            spans += [(offset + a, offset + b) for a, b in _paragraph_instruction_spans(part)]
        offset += len(part) + 2
    return _merged(spans)


def _paragraph_instruction_spans(text: str) -> tuple[Span, ...]:
    """:func:`instruction_spans` of one paragraph."""
    probe = skeleton(text)
    spans = [m.span() for _, regex in _candidates(probe) for m in regex.finditer(probe)]
    if "APPROVED" in probe:
        spans += [
            m.span()
            for m in _APPROVED_RE.finditer(probe)
            if not _NOT_APPROVED_RE.search(probe[max(0, m.start() - 8) : m.start()])
        ]
    return tuple(s for s in spans if s[1] > s[0])


# --------------------------------------------------------------------------- injected parts


def injected_spans(text: str) -> list[Span]:
    """The injected parts of a letter, as sorted, disjoint spans.

    A piece (a sentence, or text after a hidden run of spaces) with an instruction-like phrase is
    injected; when it is a fake chat message or addresses a model, so is the rest of its
    paragraph; a list it introduces (it ends with ':' or list items follow it) is injected with
    it. Hidden HTML and Markdown comments are injected whatever they say.
    """
    probe = skeleton(text)
    spans = [m.span() for m in _HIDDEN_COMMENT_RE.finditer(probe)]
    if instruction_kind(probe) is None:
        return spans  # the usual case: one scan per pattern, no piece-by-piece reading
    paragraphs = [(start, start + len(text)) for start, text in paragraph_texts(probe)]
    for index, (start, end) in enumerate(paragraphs):
        for piece_start, piece_end in _pieces(probe, start, end):
            piece = probe[piece_start:piece_end]
            if instruction_kind(piece) is None:
                continue
            if (row := _table_row(probe, piece_start, start, end)) is not None:
                spans.append(row)  # a table cell: its row, and no more of the table
                continue
            whole = any(regex.search(piece) for regex in _ROLE_RES)
            stop = end if whole else piece_end
            stop = _through_list(
                probe, stop, paragraphs[index:], introduces=piece.rstrip().endswith(":")
            )
            spans.append(_enclosing(probe, piece_start, stop, start, end))
    return _merged(spans)


def _table_row(text: str, position: int, start: int, end: int) -> Span | None:
    """The line of a '|' table that ``position`` stands in, or None outside a table (a
    paragraph with two lines or more holding a bar)."""
    lines = _CHAT_TOKEN_RE.sub("", text[start:end]).split("\n")
    if sum("|" in line for line in lines) < 2:
        return None
    line_start = text.rfind("\n", start, position) + 1 if position > start else start
    line_start = max(line_start, start)
    line_end = text.find("\n", position, end)
    line_end = end if line_end < 0 else line_end
    row = _CHAT_TOKEN_RE.sub("", text[line_start:line_end])
    return (line_start, line_end) if "|" in row else None


_CHAT_TOKEN_RE = re.compile(r"<\|[a-z_]{2,20}\|>")


def _enclosing(text: str, piece_start: int, stop: int, start: int, end: int) -> Span:
    """The span of an injected piece grown to the quotation it stands in ('"Criterion text.
    Ignore previous instructions."') and to the list item it stands in ('Criterion 3: ...'):
    a criterion that carries an instruction is not the payer's criterion."""
    before = text[start:piece_start]
    if (before.count('"') + before.count("“") + before.count("”")) % 2:
        opening = max(before.rfind('"'), before.rfind("“"))
        closing = re.search(r"[\"”]", text[stop:end])
        piece_start = start + opening
        stop = stop + closing.end() if closing else stop
    line_start = text.rfind("\n", start, piece_start) + 1 if piece_start > start else start
    line_start = max(line_start, start)
    lines = list(_lines_between(text, line_start, end))
    if lines and _LIST_ITEM_RE.match(text[lines[0][0] : lines[0][1]]):
        piece_start = line_start
        for line in lines[1:]:  # the item's wrapped lines, up to the next item or blank line
            body = text[line[0] : line[1]]
            if line[0] >= stop and (_LIST_ITEM_RE.match(body) or not body.strip()):
                break
            stop = max(stop, line[1])
    return piece_start, stop


def injection_warnings(text: str, spans: list[Span] | None = None) -> list[str]:
    """One line per injected part of a letter naming where it stands (line, and a table cell,
    a list item, a quotation, a hidden comment or base64), never what it says: the reader can
    find it, and knows no criterion or fact was taken from it."""
    warnings = []
    probe = skeleton(text)
    for start, end in injected_spans(text) if spans is None else spans:
        part = probe[start:end]
        line = text.count("\n", 0, start) + 1
        line_end = text.find("\n", start)
        line_text = probe[text.rfind("\n", 0, start) + 1 : line_end if line_end >= 0 else None]
        if _HIDDEN_COMMENT_RE.match(part):
            place = "a hidden comment"
        elif instruction_kind(part) == "encoded text" or (
            _BASE64_RE.search(part) and instruction_kind(_BASE64_RE.sub("", part)) is None
        ):
            place = "base64-encoded text"
        elif part.lstrip().startswith("|") or line_text.count("|") >= 2:
            place = "a table cell"
        elif _LIST_ITEM_RE.match(part):
            place = "a list item" + (" (a quoted criterion)" if re.search(r"[\"“]", part) else "")
        elif part.lstrip()[:1] in '"“':
            place = "a quotation"
        else:
            place = "the text"
        warnings.append(
            f"line {line}: text addressed to a model, in {place}, was read as data: no "
            "criterion or fact was taken from it (check the letter there)"
        )
    return warnings


def paragraph_texts(text: str) -> Iterator[tuple[int, str]]:
    """(offset, paragraph) for each run of non-blank lines, without its final newline."""
    for match in _PARAGRAPH_RE.finditer(text):
        yield match.start(), match.group().rstrip("\n")


def mask_injections(text: str, spans: list[Span] | None = None) -> str:
    """``text`` with its injected parts (``spans``, when the caller has them) blanked to spaces
    (newlines and offsets kept)."""
    return _masked(text, injected_spans(text) if spans is None else spans)


def _masked(text: str, spans: list[Span]) -> str:
    if not spans:
        return text
    out, pos = [], 0
    for start, end in spans:
        out.append(text[pos:start])
        out.append(re.sub(r"[^\n]", " ", text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _pieces(text: str, start: int, end: int) -> Iterator[Span]:
    """Spans of the pieces of the paragraph ``text[start:end]``, leading whitespace skipped."""
    cuts = [start, *(m.end() for m in _PIECE_BREAK_RE.finditer(text, start, end)), end]
    for a, b in pairwise(cuts):
        while a < b and text[a].isspace():
            a += 1
        if a < b:
            yield a, b


def _through_list(text: str, stop: int, paragraphs: list[Span], *, introduces: bool) -> int:
    """``stop`` moved past the list items that follow it in its paragraph and, when the injected
    piece introduces a list, in the paragraphs after it."""
    end = paragraphs[0][1]
    position, items = stop, False
    for line in _lines_between(text, stop, end):
        start, line_end = line
        body = text[start:line_end]
        if _LIST_ITEM_RE.match(body) or (items and body[:1].isspace()):
            items, position = True, line_end
        elif body.strip():
            return position
    if not (introduces or items) or position < end:
        return position
    for start, next_end in paragraphs[1:]:
        if not _LIST_ITEM_RE.match(text[start:next_end]):
            break
        position = next_end
    return position


def _lines_between(text: str, start: int, end: int) -> Iterator[Span]:
    """The lines (or the rest of a line) of ``text[start:end]``."""
    position = start
    while position < end:
        line_end = text.find("\n", position, end)
        line_end = end if line_end < 0 else line_end
        yield position, line_end
        position = line_end + 1


def _merged(spans: Iterable[Span]) -> list[Span]:
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


# --------------------------------------------------------------------------- echoes in a draft

ECHO_MIN_WORDS = 4
"""A clause of an injected piece this long, repeated in a draft, is an echo."""
ECHO_SHINGLE_WORDS = 8
"""Any run of this many words of an injected part, repeated in a draft, is an echo."""
_WORD_RE = re.compile(r"\w+(?:['’]\w+)*")
_CLAUSE_BREAK_RE = re.compile(r"[\n;:,()\[\]{}<>|\"“”—–!?]|\.(?:\s|$)")
_ID_TOKEN_RE = re.compile(
    r"(?<![\w.-])(?=[\w.-]{4})(?=[\w.-]*\d)(?=[\w.-]*[A-Za-z]|\d{4})\w[\w.-]*\w"
)


@dataclass(frozen=True)
class EchoTargets:
    """What would echo a letter's injected parts in a draft: phrases (as ' w1 w2 ... ' with
    their word counts) and ids (case-folded) that the rest of the letter and the trusted texts
    do not hold. Built once per letter (:func:`echo_targets`), searched in each draft."""

    phrases: tuple[tuple[str, int], ...] = ()
    foreign: frozenset[str] = frozenset()

    def spans(self, draft_text: str) -> list[Span]:
        """Spans of ``draft_text`` that repeat a phrase or hold an id of the targets."""
        if not self.phrases and not self.foreign:
            return []
        probe = skeleton(draft_text)
        joined = " " + " ".join(w.casefold() for w in _WORD_RE.findall(probe)) + " "
        found: list[Span] = []
        spans: list[Span] = []  # of the draft's words, read only when a phrase is found
        for phrase, length in self.phrases:
            at = joined.find(phrase)
            if at >= 0:
                spans = spans or [m.span() for m in _WORD_RE.finditer(probe)]
                first = joined.count(" ", 0, at)  # word index of the match
                found.append((spans[first][0], spans[first + length - 1][1]))
        found += [
            m.span() for m in _ID_TOKEN_RE.finditer(probe) if m.group().casefold() in self.foreign
        ]
        return _merged(found)


def echo_targets(letter_text: str, trusted: Iterable[str] = ()) -> EchoTargets:
    """The :class:`EchoTargets` of a letter: a clause of at least ECHO_MIN_WORDS words of an
    injected piece, any ECHO_SHINGLE_WORDS-word run, or an id or number (four characters or
    more) that only the injected parts hold. Phrases and ids that also occur in the rest of the
    letter or in ``trusted`` texts (the case, the passages) are not echoes."""
    spans = injected_spans(letter_text)
    if not spans:
        return EchoTargets()
    injected = [letter_text[a:b] for a, b in spans]
    rest = [_masked(letter_text, spans), *trusted]
    known = " " + " ".join(" ".join(w for w, _, _ in _words(t)) for t in rest) + " "
    phrases = tuple(
        (phrase, len(needle))
        for needle in _needles(injected)
        if (phrase := " " + " ".join(needle) + " ") not in known
    )
    known_ids = {t.casefold() for text in rest for t in _ID_TOKEN_RE.findall(skeleton(text))}
    foreign = {
        t.casefold() for part in injected for t in _ID_TOKEN_RE.findall(skeleton(part))
    } - known_ids
    return EchoTargets(phrases, frozenset(foreign))


def echo_spans(letter_text: str, draft_text: str, trusted: Iterable[str] = ()) -> list[Span]:
    """Spans of ``draft_text`` that repeat the letter's injected parts (see
    :func:`echo_targets`; a caller checking several drafts of one letter keeps the targets)."""
    return echo_targets(letter_text, trusted).spans(draft_text)


def _words(text: str) -> list[tuple[str, int, int]]:
    """(compare form, start, end) of each word of ``text``."""
    return [(m.group().casefold(), m.start(), m.end()) for m in _WORD_RE.finditer(skeleton(text))]


def _needles(parts: list[str]) -> set[tuple[str, ...]]:
    """Word tuples to look for: long-enough clauses and fixed-length runs of each part."""
    needles: set[tuple[str, ...]] = set()
    for part in parts:
        for clause in _CLAUSE_BREAK_RE.split(skeleton(part)):
            words = tuple(w for w, _, _ in _words(clause))
            if len(words) >= ECHO_MIN_WORDS:
                needles.add(words)
        words = tuple(w for w, _, _ in _words(part))
        for i in range(len(words) - ECHO_SHINGLE_WORDS + 1):
            needles.add(words[i : i + ECHO_SHINGLE_WORDS])
    return needles
