"""pipeline.text: the one date parser, sentence splitter, pipe-table reader, number words and
word utilities every stage shares."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pipeline.text import (
    DATE_RE,
    NUMBER_WORDS,
    STOPWORDS,
    add_months,
    blank,
    find_dates,
    full_year,
    make_date,
    month_number,
    norm_id,
    norm_number,
    norm_text,
    number_words_pattern,
    parse_date,
    pipe_rows,
    split_sentences,
    stem,
    word_number,
)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("March 3, 2026", dt.date(2026, 3, 3)),
        ("Sept. 30 2025", dt.date(2025, 9, 30)),
        ("3rd March 2026", dt.date(2026, 3, 3)),
        ("2026-03-03", dt.date(2026, 3, 3)),
        ("03/14/84", dt.date(1984, 3, 14)),
        ("1.2.26", dt.date(2026, 1, 2)),
        ("February 30, 2026", None),
    ],
)
def test_one_date_parser(written: str, expected: dt.date | None) -> None:
    match = DATE_RE.search(f"Date: {written}.")
    assert match is not None and parse_date(match) == expected


def test_dates_helpers() -> None:
    assert find_dates("Seen 2026-01-05, again on 2/3/2026; not 99/99/2026.") == [
        (dt.date(2026, 1, 5), 5),
        (dt.date(2026, 2, 3), 26),
    ]
    assert (full_year("49"), full_year("50"), full_year("2001")) == (2049, 1950, 2001)
    assert month_number("DECEMBER") == 12 and month_number("sep") == 9
    assert make_date(2025, 2, 29) is None and make_date(2024, 2, 29) == dt.date(2024, 2, 29)


def test_one_sentence_splitter() -> None:
    text = 'He said "Stop." Then Mr. Roe left (as e.g. noted). Done!'
    assert split_sentences(text) == [
        'He said "Stop."',
        "Then Mr. Roe left (as e.g. noted).",
        "Done!",
    ]
    # A sentence never crosses a blank line; flatten collapses the whitespace inside one.
    assert split_sentences("No appeal\nrights apply\n\nhere. Call us.", flatten=True) == [
        "No appeal rights apply",
        "here.",
        "Call us.",
    ]
    assert split_sentences("One\nline. Two.") == ["One\nline.", "Two."]
    assert split_sentences("  \n\n ") == []


def test_number_words() -> None:
    assert word_number("Four") == 4 and word_number("12") == 12 and word_number("many") is None
    assert word_number("one hundred and eighty") == 180
    pattern = re.compile(rf"\b(?:{number_words_pattern()})\b")
    match = pattern.search("within one hundred eighty days")
    assert match is not None and match.group() == "one hundred eighty"  # longest first
    assert all(word == word.casefold() for word in NUMBER_WORDS)
    assert (norm_number("1,200"), norm_number("2.50"), norm_number("007")) == ("1200", "2.5", "7")


def test_pipe_rows_keep_cell_spans_and_skip_separators() -> None:
    text = "Intro\n| Drug | Dose |\n|---|:--:|\n| sertraline | 200 mg |\n| x \\| y | |\nEnd"
    rows = pipe_rows(text)
    assert [[c.value for c in row] for row in rows] == [
        ["Drug", "Dose"],
        ["sertraline", "200 mg"],
        ["x \\| y", ""],
    ]
    for row in rows:
        for cell in row:
            assert text[cell.span[0] : cell.span[1]] == cell.value
    start = text.index("| sertraline")
    assert [[c.value for c in row] for row in pipe_rows(text, start)] == [
        ["sertraline", "200 mg"],
        ["x \\| y", ""],
    ]


def test_normal_forms_and_words() -> None:
    assert norm_text("  The **Member’s**\n  plan ") == "the member's plan"
    assert norm_id(" clm 2026 ") == "CLM2026"
    assert blank("ab\ncd ef", [(1, 4), (6, 8)]) == "a \n d   "
    assert stem("therapies") == "therapy" and stem("scans") == "scan" and stem("status") == "status"
    assert {"the", "within"} <= STOPWORDS and "therapy" not in STOPWORDS


def test_add_months_clips_to_the_month_end() -> None:
    assert add_months(dt.date(2026, 10, 31), 4) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 1, 15), -2) == dt.date(2025, 11, 15)
