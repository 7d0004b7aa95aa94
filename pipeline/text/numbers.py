"""Numbers in text: number words and the compare form of a written number."""

from __future__ import annotations

NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30, "forty-five": 45, "sixty": 60,
    "sixty-five": 65, "ninety": 90, "one hundred eighty": 180, "one hundred and eighty": 180,
}  # fmt: skip
"""English number words as letters and criteria write counts, periods and deadlines."""


NUMBER = r"(?<![\w.,])(?:-|−)?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
"""A written value as a regex (no group): a sign ('-2.38' of a height SDS), thousands separators
('18,400 copies/mL', never its '400'), decimals; not starting inside another number or word."""


def number_value(text: str) -> float:
    """The value of a match of ``NUMBER``: '18,400' -> 18400.0, '−2.38' -> -2.38."""
    return float(text.replace(",", "").replace("−", "-"))


def number_words_pattern(words: dict[str, int] | None = None) -> str:
    """A regex alternation of the number words, longest first ('one hundred eighty' before
    'one'); no group, no boundaries."""
    return "|".join(sorted(words or NUMBER_WORDS, key=len, reverse=True))


def word_number(word: str) -> int | None:
    """'4' -> 4, 'Four' -> 4; None when it is neither digits nor a number word."""
    word = word.strip()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word.casefold())


def norm_number(text: str) -> str:
    """'1,200' -> '1200', '2.50' -> '2.5', '007' -> '7' (string arithmetic: no int() limits)."""
    text = text.replace(",", "")
    whole, _, frac = text.partition(".")
    whole = whole.lstrip("0") or "0"
    frac = frac.rstrip("0")
    return f"{whole}.{frac}" if frac else whole
