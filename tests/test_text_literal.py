"""``text.literal`` finds a literal string exactly where the regex built from it would."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text import literal
from pipeline.validate.checks.parties import _DEGREES_AFTER_RE, _after_name

# letters of both cases, word and non-word characters, and the characters the regex engine's
# case-insensitive match treats unlike str.lower ('İ', 'ı', 'ſ', the Kelvin sign, 'ß')
ALPHABET = "aAbBiIsSkK_1 -.,’“é\u0130\u0131\u017f\u212a\u00df"
texts = st.text(alphabet=ALPHABET, max_size=40)
needles = st.text(alphabet=ALPHABET, min_size=1, max_size=4)


def _regex(needle: str, ignore_case: bool, whole: bool) -> re.Pattern[str]:
    pattern = re.escape(needle)
    if whole:
        pattern = rf"(?<!\w){pattern}(?!\w)"
    return re.compile(pattern, re.IGNORECASE if ignore_case else 0)


@settings(max_examples=400, deadline=None)
@given(texts, needles, st.booleans(), st.booleans())
def test_finditer_finds_what_the_regex_finds(
    text: str, needle: str, ignore_case: bool, whole: bool
) -> None:
    regex = _regex(needle, ignore_case, whole)
    found = list(literal.finditer(text, needle, ignore_case=ignore_case, whole=whole))
    assert found == [m.span() for m in regex.finditer(text)]
    first = regex.search(text)
    assert literal.search(text, needle, ignore_case=ignore_case, whole=whole) == (
        first.span() if first else None
    )


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet="ab \t\n\u00a0\u2028.", max_size=30),
    st.lists(st.text(alphabet="ab.", min_size=1, max_size=3), min_size=1, max_size=3),
    st.integers(min_value=0, max_value=30),
)
def test_words_finds_what_the_whitespace_pattern_finds(
    text: str, said: list[str], start: int
) -> None:
    found = re.compile(r"\s+".join(map(re.escape, said))).search(text, start)
    assert literal.words(text, said, start) == (found.span() if found else None)


@settings(max_examples=400, deadline=None)
@given(texts, needles, st.booleans(), st.booleans())
def test_bounded_finds_what_the_boundary_pattern_finds(
    text: str, needle: str, ignore_case: bool, end: bool
) -> None:
    pattern = rf"\b{re.escape(needle)}" + (r"\b" if end else "")
    found = re.search(pattern, text, re.IGNORECASE if ignore_case else 0)
    assert literal.bounded(text, needle, ignore_case=ignore_case, end=end) == (
        found.span() if found else None
    )


@settings(max_examples=200, deadline=None)
@given(texts, needles)
def test_blanked_blanks_what_the_regex_replaces(text: str, needle: str) -> None:
    expected = re.sub(re.escape(needle), lambda m: " " * len(m[0]), text, flags=re.IGNORECASE)
    assert literal.blanked(text, needle, ignore_case=True) == expected


@pytest.mark.parametrize(
    ("text", "needles", "expected"),
    [
        ("trial of sertraline 200 mg", ["sertraline"], True),
        ("trial of sertralines", ["sertraline"], False),  # not a whole word
        ("phq_9 score", ["phq"], False),  # '_' is a word character
        ("phq-9 23", ["hba1c", "phq-9"], True),
        ("nothing here", [], False),
    ],
)
def test_any_in_is_a_whole_word_test(text: str, needles: list[str], expected: bool) -> None:
    assert literal.any_in(text, needles, whole=True) is expected


def test_the_dotless_i_is_found_as_the_regex_finds_it() -> None:
    # the engine equates 'ı' with 'i' (str.lower does not): such a text is searched by the regex
    assert list(literal.finditer("Baclofen, dıazepam", "DIAZEPAM", ignore_case=True)) == [(10, 18)]


def test_the_degrees_after_a_name_are_what_one_pattern_of_name_and_degrees_finds() -> None:
    text = "Dana Reyes, MD, FACP\nDana Reyes wrote; Dana Reyes,MD,PhD and Dana Reyes, DO"
    name = "Dana Reyes"
    whole = re.compile(re.escape(name) + _DEGREES_AFTER_RE.pattern)
    found = [(m.group(1), m.start(1)) for m in _after_name(text, name, _DEGREES_AFTER_RE)]
    assert found == [(m.group(1), m.start(1)) for m in whole.finditer(text)]
    assert [g for g, _ in found][:1] == [" MD, FACP"] and len(found) == 2
