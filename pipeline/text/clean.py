"""Clean text as it enters: one normal form for a letter, a case file's strings and a model's
answer (Unicode NFC, LF line ends, no invisible characters, restyled letters and digits folded).

Used by ``ingest`` (letters) and ``models.CaseFacts`` (case strings): the lowest layer, it
imports nothing of the pipeline.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LINE_BREAKS_RE = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_BLANK_RUN_RE = re.compile(r"\n{4,}")
_NOT_PLAIN_RE = re.compile(r"[^\x20-\x7e\n\t]")
"""A character other than printable ASCII, newline and tab: the only ones ``_clean_char`` can
drop or change (matched one by one, so plain text costs one regex scan, not a Python loop)."""


_OCR_ONE_RE = re.compile(r"(?<![A-Za-z])l(?=\d|-\d{3}-)|(?<=\d)l(?=\d)")
"""A lower-case 'l' a scan read for the digit 1 inside a number: 'l2 weeks', 'l80 days',
'0l/2025', 'l-775-555-0l73' (never after a letter, so 'ml', 'L5' and words stay)."""


_OCR_ZERO_RE = re.compile(
    r"(?<=\d)(?<![A-Za-z]\d)O(?=\d|[ \t\n,;)/:]|\.(?:\d|\s|$)|$)|"
    r"(?<=\d[/:])O(?=\d)|(?<![\w/])O(?=\d{1,3}[/:.]\d)"
)
"""An upper-case 'O' a scan read for the digit 0 inside a number: '9O days', '2O.34',
'41O Church', 'O2/04/2026' (after a digit, or before digits and a date's or a decimal's
separator; never 'O2 saturation' or a word)."""
_OCR_FIRST_ITEM_RE = re.compile(r"^([ \t]*)(\(?)l(?=[.)][ \t]+\S)", re.MULTILINE)
"""A first list marker 'l.' or '(l)' a scan read for '1.' (only when '2.' or '(2)' follows at
the same indent)."""
_OCR_NUMBER_RE = re.compile(r"(?<![a-z])(?=[\dlO/.:-]*\d)[\dlO]+(?:[/.:-][\dlO]+)*(?![A-Za-z\d])")
"""A number a scan read with more than one 'l' or 'O' in it ('ll/2l/2026', 'Ol2O', '7ll',
'A4l.5l'): a run of digits, 'l' and 'O' (with a date's, code's or phone's separators) holding
a digit, never after a lower-case letter ('ml') or before a letter ('5lb')."""
_ID_AFTER_LABEL_RE = re.compile(
    r"\b(?:id|member|subscriber|claim|case|ref(?:erence)?|policy|group|account)\b"
    r"(?:[ \t]+(?:id|no\.?|number|#))?[ \t]*[:#.]?[ \t]*([A-Za-z0-9][\w-]*)",
    re.IGNORECASE,
)
"""An id right after its label ('Member ID: O12884307', 'Policy: MP-O12', 'Ref: O0123'): its
letters are the id's own."""
_ICD10_O_CODE_RE = re.compile(r"(?<![\w./-])O\d{2}(?:\.[0-9A-Z]{1,4})?(?![\w/-])")
"""An ICD-10-CM chapter O code ('O24.414', 'O10.02', 'O99.89'): pregnancy codes begin with the
letter O."""
_OCR_ZERO_WORD_RE = re.compile(r"O(?=\d)")
"""An 'O' before a digit that may be a chemical's letter ('O2', 'CO2'): kept unless its number
is long or has a separator and no letter before it."""


def repair_scanned_text(text: str) -> str:
    """A text letter repaired as a scan's output (:func:`repair_ocr_digits`) only when it carries
    a scan's marks (:func:`looks_scanned`): a letter typed or pasted from a PDF's text layer
    keeps its own characters ('Member ID: O12884307')."""
    return repair_ocr_digits(text) if looks_scanned(text) else text


def looks_scanned(text: str) -> bool:
    """True when at least two numbers of the text need a scan's repair ('ll/2l/2026',
    'l-844-555-Ol39', 'l2 weeks'): OCR output pasted as text. One odd id or an ICD-10 chapter O
    code ('O24.414') is not a mark; a typed letter has none."""
    return _repair(text)[1] >= 2


def repair_ocr_digits(text: str) -> str:
    """Text a scan was read into (OCR output, or a letter pasted from it) with an 'l' read for
    '1' and an 'O' read for '0' inside a number made the digit, and a first list marker 'l.'
    before a '2.' made '1.'. Never for a PDF's own text layer, whose glyphs are the letter's;
    never an ICD-10 chapter O code ('O24.414') or an 'O' of an id after its label ('Member ID:
    O12884307'); an id's 'l' among digits is a digit only in an id with no other lower-case
    letter."""
    text = _repair(text)[0]

    def first_item(match: re.Match[str]) -> str:
        second = re.compile(rf"^{re.escape(match[1] + match[2])}2[.)][ \t]", re.MULTILINE)
        return f"{match[1]}{match[2]}1" if second.search(text, match.end()) else match.group()

    return _OCR_FIRST_ITEM_RE.sub(first_item, text)


def _repair(text: str) -> tuple[str, int]:
    """The text with its numbers' 'l' and 'O' made digits, and how many numbers changed. Each
    repair puts one character for one, so the kept spans stay where they were found."""
    ids = [m.span(1) for m in _ID_AFTER_LABEL_RE.finditer(text) if not _has_lower(m[1])]
    kept = [m.span(1) for m in _ID_AFTER_LABEL_RE.finditer(text) if _has_lower(m[1])]
    kept += [m.span() for m in _ICD10_O_CODE_RE.finditer(text)]
    changed = 0

    def repaired(match: re.Match[str], value: str) -> str:
        nonlocal changed
        at = match.start()
        if _inside(at, kept) or (_inside(at, ids) and "O" in match.group()):
            value = match.group().replace("l", "1") if _inside(at, ids) else match.group()
        changed += value != match.group()
        return value

    text = _OCR_ONE_RE.sub(lambda m: repaired(m, "1"), text)
    text = _OCR_ZERO_RE.sub(lambda m: repaired(m, "0"), text)
    text = _OCR_NUMBER_RE.sub(lambda m: repaired(m, _number(m)), text)
    return text, changed


def _has_lower(token: str) -> bool:
    """True when a token has a lower-case letter outside its numbers ('26ll' is a number)."""
    return any(c.islower() for c in re.sub(r"[\dlO]*\d[\dlO]*", "", token))


def _inside(at: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= at < end for start, end in spans)


def _number(match: re.Match[str]) -> str:
    """One number of :data:`_OCR_NUMBER_RE` with its letters made digits: every 'l'; an 'O' only
    when the number has a separator or three characters and no letter stands before it."""
    token = match.group().replace("l", "1")
    start = match.start()
    after_letter = start > 0 and match.string[start - 1].isalpha()
    if not after_letter and (len(token) >= 3 or any(c in token for c in "/.:-")):
        token = token.replace("O", "0")
    return token


def normalize_text(text: str) -> str:
    """NFC, LF line ends, no control or invisible format characters (zero-width, bidi
    controls, tag characters), letters and spaces in look-alike styles folded (see
    :func:`_fold`), tabs expanded, tidy blank lines."""
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS_RE.sub("\n", text)
    text = _NOT_PLAIN_RE.sub(_clean_char, text)
    text = unicodedata.normalize("NFC", text)
    lines = _expand_tabs(text.split("\n"))
    text = _BLANK_RUN_RE.sub("\n\n\n", "\n".join(lines))
    return text.strip("\n")


def _expand_tabs(lines: list[str]) -> list[str]:
    """Tabs as spaces. Consecutive lines with tabs between their words (a tab-separated table,
    its wrapped rows led by tabs) get elastic tab stops: each column padded to its widest cell
    and two spaces, so the columns stay aligned as a space-aligned table; other tabs expand to
    stops of 8. A line whose only tabs trail its words (a wrapped first cell, 'gastrointestinal
    pathology<TAB><TAB>') is a row of the table too."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        end = i
        while end < len(lines) and "\t" in lines[end].rstrip(" ") and lines[end].strip():
            end += 1
        if sum("\t" in line.strip() for line in lines[i:end]) < 2:
            out.append(lines[i].expandtabs(8).rstrip())
            i += 1
            continue
        rows = _tab_rows(lines[i:end])
        widths: dict[int, int] = {}
        for row in rows:
            for k, cell in enumerate(row[:-1]):
                widths[k] = max(widths.get(k, 0), len(cell))
        out += ["".join(c.ljust(widths[k] + 2) for k, c in enumerate(r[:-1])) + r[-1] for r in rows]
        i = end
    return [line.rstrip() for line in out]


def _tab_rows(lines: list[str]) -> list[list[str]]:
    """The cells of a tab table's lines. A run of tabs between words is one separator (tabs
    repeated to align), except in a line that then has fewer cells than the table's widest
    line: there each tab parts a cell, so a wrapped row's empty middle cell stays empty
    ('least 8 weeks<TAB><TAB>daily only' puts 'daily only' in the third column)."""
    rows = [_tab_cells(line, r"\t+") for line in lines]
    width = max(map(len, rows))
    for k, line in enumerate(lines):
        if len(rows[k]) < width and len(single := _tab_cells(line, r"\t")) <= width:
            rows[k] = single
    return rows


def _tab_cells(line: str, separator: str) -> list[str]:
    """A tab-separated line's cells: each leading tab an empty cell, then the cells parted by
    ``separator``."""
    body = line.lstrip("\t")
    return [""] * (len(line) - len(body)) + re.split(separator, body.rstrip())


def _is_invisible(ch: str) -> bool:
    """Control (Cc) and format (Cf) characters: C0/C1 controls, the byte-order mark, zero-width
    spaces and joiners, bidi embeddings, overrides and isolates, soft hyphens, tag characters.
    None of them is visible text; all of them can hide or reorder words."""
    return unicodedata.category(ch) in ("Cc", "Cf")


def _clean_char(match: re.Match[str]) -> str:
    """An invisible character dropped, a restyled one folded (see :func:`_fold`)."""
    ch = match.group()
    return "" if _is_invisible(ch) else _fold(ch)


_FOLDED_STYLES = ("<font>", "<wide>", "<narrow>", "<circle>", "<small>", "<noBreak>")
"""Compatibility decompositions that only restyle a character (mathematical bold or italic,
full-width, circled, small forms, no-break spaces)."""


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    """The NFKC form of a restyled letter, digit, ligature or space; a decimal digit of any
    script as its ASCII digit; any other character as is.

    Full NFKC is not applied: it would turn '1½' into '11⁄2', 'MCG™' into 'MCGTM' and 'm²' into
    'm2', changing what the letter says.
    """
    if ch.isascii():
        return ch
    if "\u2500" <= ch <= "\u257f":
        return _box_char(ch)
    if unicodedata.category(ch) == "Nd":  # Arabic-Indic, Devanagari, fullwidth... digits
        return str(unicodedata.digit(ch))
    if (
        unicodedata.decomposition(ch).startswith(_FOLDED_STYLES)
        or "\ufb00" <= ch <= "\ufb06"  # Latin ligatures: ff, fi, fl, ffi, ffl, long st, st
        or unicodedata.category(ch) == "Zs"
    ):
        return unicodedata.normalize("NFKC", ch)
    return ch


def _box_char(ch: str) -> str:
    """A box-drawing character as the ASCII grid table draws it ('│' '|', '─' '-', '═' '=',
    any corner or junction '+'), so a table drawn with them is read as a '+---+' grid."""
    name = unicodedata.name(ch, "")
    if "DIAGONAL" in name:
        return ch
    words = set(re.findall(r"HORIZONTAL|VERTICAL|LEFT|RIGHT|UP|DOWN", name))
    if words and words <= {"HORIZONTAL", "LEFT", "RIGHT"}:
        return "=" if "DOUBLE" in name else "-"
    if words and words <= {"VERTICAL", "UP", "DOWN"}:
        return "|"
    return "+"
