"""Text utilities, written once: normal forms, numbers, dates, sentences, pipe tables and words.

Every stage and the models read text through these (the lowest layer: it imports nothing of
the pipeline). Modules: ``clean`` (the normal form text enters in: NFC, no invisible
characters, restyled letters folded), ``normalize`` (whitespace, case, quotes, ids, blanking
spans), ``numbers`` (number words, number compare form), ``dates`` (month names, one date
pattern and parser, calendar arithmetic), ``sentences`` (one sentence splitter), ``tables``
(pipe tables with cell spans), ``tokens`` (stop words, stemmer).
"""

from __future__ import annotations

from .clean import normalize_text
from .dates import (
    DATE_RE,
    MONTH_NAME,
    MONTHS,
    add_months,
    find_dates,
    full_year,
    make_date,
    month_number,
    parse_date,
)
from .normalize import Span, blank, norm_id, norm_text, norm_ws
from .numbers import NUMBER_WORDS, norm_number, number_words_pattern, word_number
from .sentences import ABBREVIATIONS, split_sentences
from .tables import Cell, pipe_rows
from .tokens import STOPWORDS, stem

__all__ = [
    "ABBREVIATIONS",
    "DATE_RE",
    "MONTHS",
    "MONTH_NAME",
    "NUMBER_WORDS",
    "STOPWORDS",
    "Cell",
    "Span",
    "add_months",
    "blank",
    "find_dates",
    "full_year",
    "make_date",
    "month_number",
    "norm_id",
    "norm_number",
    "norm_text",
    "norm_ws",
    "normalize_text",
    "number_words_pattern",
    "parse_date",
    "pipe_rows",
    "split_sentences",
    "stem",
    "word_number",
]
