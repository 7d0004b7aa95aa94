"""Literal prefilters: a pattern is skipped only when it cannot match.

The property that matters is one-sided: whenever a pattern matches a text, the text's fold holds
the pattern's required words. Hypothesis generates texts each pattern matches (``from_regex``)
for every prefiltered pattern the pipeline uses; case variants and the letters the project ships
cover the regex engine's case-insensitive rules.
"""

from __future__ import annotations

import re
import string
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import criteria_rules, extract, injection
from pipeline.prefilter import Prefiltered, fold, required_groups
from pipeline.validate.checks import placeholders, prose

ROOT = Path(__file__).resolve().parent.parent

PATTERNS: list[Prefiltered] = [
    *extract._SIGNAL_RES.values(),
    *(phrase for phrases in criteria_rules._category_res().values() for phrase, _ in phrases),
    *injection._INSTRUCTION_RES.values(),
    prose._EMOTIONAL_RE,
    *placeholders._PLACEHOLDER_RES,
]


def groups(pattern: str, flags: int = 0) -> list[set[str]]:
    return [set(g) for g in required_groups(pattern, flags)]


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        (r"church plan", 0, [{"church plan"}]),
        (r"\bFEHB\b|Federal Employees", 0, [{"fehb", "federal employees"}]),
        (r"Medicare (?:health|drug) plan", 0, [{"medicare "}, {"health", "drug"}, {" plan"}]),
        (r"state employees?\b", re.I, [{"state employee"}]),
        (r"(?:ab)+cd", 0, [{"ab"}, {"cd"}]),
        (r"x(?:ab)?y", 0, [{"x"}, {"y"}]),
        (r"[A-Z]{4,}", 0, []),  # no literal: always scanned
        (r"abc|[0-9]+", 0, []),  # a branch without a literal: always scanned
        (r"(?<=é)cafétéria", 0, [{"t"}, {"caf"}, {"ria"}]),  # non-ASCII letters break runs
    ],
)
def test_required_groups(pattern: str, flags: int, expected: list[set[str]]) -> None:
    assert sorted(map(sorted, groups(pattern, flags))) == sorted(map(sorted, expected))


def test_fold_makes_case_insensitive_matches_contain_their_words() -> None:
    """Characters a case-insensitive regex equates with an ASCII letter fold to it."""
    pattern = Prefiltered.compile(r"\bmedicaid\b", re.I)
    kaiser = Prefiltered.compile(r"\bkaiser\b", re.I)
    samples = [
        (pattern, "MEDICAID"),
        (pattern, "Medıcaid"),  # dotless i
        (pattern, "medicaİd"),  # dotted capital I: casefolds to i + combining dot
        (pattern, "MEDICAıD"),
        (kaiser, "\u212aAISER"),  # Kelvin sign
        (kaiser, "Kaiſer"),  # long s
        (kaiser, "\u212aaiſer"),
    ]
    for prefiltered, text in samples:
        assert prefiltered.regex.search(text), text
        assert prefiltered.may_match(fold(text)), text
    assert pattern.search("Medıcaid plan", fold("Medıcaid plan"))
    assert not pattern.may_match(fold("Medicare Advantage"))
    assert pattern.search("Medicare", fold("Medicare")) is None
    assert list(pattern.finditer("no match", fold("no match"))) == []


def test_every_character_a_case_insensitive_regex_takes_for_a_letter_folds_to_it() -> None:
    letter = re.compile(r"(?i)[a-z]")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if not 0xD800 <= code <= 0xDFFF and letter.fullmatch(char):
            assert fold(char) == next(
                c for c in string.ascii_lowercase if re.fullmatch(f"(?i){c}", char)
            ), hex(code)


def test_every_pipeline_pattern_has_required_words() -> None:
    """The filter is not vacuous: most patterns the pipeline prefilters need some word."""
    with_words = [p for p in PATTERNS if p.groups]
    assert len(PATTERNS) > 100
    assert len(with_words) / len(PATTERNS) > 0.95


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(data=st.data())
@pytest.mark.parametrize("index", range(len(PATTERNS)))
def test_a_text_a_pattern_matches_passes_its_prefilter(index: int, data: st.DataObject) -> None:
    pattern = PATTERNS[index]
    text = data.draw(st.from_regex(pattern.regex))
    for variant in (text, text.upper(), text.swapcase(), text.replace("i", "ı")):
        if pattern.regex.search(variant):
            assert pattern.may_match(fold(variant)), (pattern.regex.pattern, variant)


def test_on_the_bundled_letters_the_prefilter_skips_only_patterns_that_do_not_match() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("examples/**/letter.txt"))]
    texts += [t.upper() for t in texts]
    assert len(texts) > 40
    skipped = 0
    for text in texts:
        folded = fold(text)
        for pattern in PATTERNS:
            if not pattern.may_match(folded):
                skipped += 1
                assert pattern.regex.search(text) is None, pattern.regex.pattern
    assert skipped > len(texts) * len(PATTERNS) / 2  # most patterns are skipped on most letters
