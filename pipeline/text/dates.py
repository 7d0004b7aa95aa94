"""Dates in text: month names, one date pattern and its parser, calendar arithmetic."""

from __future__ import annotations

import calendar
import datetime as dt
import re

MONTHS: dict[str, int] = {
    full[:3].casefold(): number for number, full in enumerate(calendar.month_name) if full
}
"""Month number by the first three letters of its English name."""

MONTH_NAME = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
"""An English month name or abbreviation (no trailing dot); compile with ``re.I``."""

DATE_RE = re.compile(
    rf"(?<![\w/-])(?:"
    rf"(?P<mdy_m>{MONTH_NAME}\.?)\s+(?P<mdy_d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<mdy_y>\d{{4}})"
    rf"|(?P<dmy_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<dmy_m>{MONTH_NAME}\.?),?\s+(?P<dmy_y>\d{{4}})"
    r"|(?P<iso_y>\d{4})-(?P<iso_m>\d{1,2})-(?P<iso_d>\d{1,2})"
    r"|(?P<us_m>\d{1,2})(?P<sep>[/.-])(?P<us_d>\d{1,2})(?P=sep)(?P<us_y>\d{4}|\d{2})"
    r")(?![\w/])",
    re.IGNORECASE,
)
"""A written date: 'March 3, 2026', '3 March 2026', '2026-03-03', '03/03/2026' or '3.3.26'."""


def month_number(name: str) -> int:
    """Month number of an English month name or abbreviation ('Sept.' -> 9)."""
    return MONTHS[name[:3].casefold()]


def full_year(text: str) -> int:
    """A year as written: two digits are 1950-2049 ('84' -> 1984, '26' -> 2026)."""
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 50 else 1900
    return year


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when there is no such day (February 30)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


MIN_YEAR, MAX_YEAR = 1900, 2199
"""Years a date read from a letter may have: year 1 or 9999 is a typo or an attack (and its
deadline arithmetic overflows)."""


def parse_date(match: re.Match[str]) -> dt.date | None:
    """The date a :data:`DATE_RE` match denotes, or None when it is not a real date or its year
    is outside MIN_YEAR..MAX_YEAR."""
    g = match.groupdict()
    if g["mdy_m"]:
        day = make_date(int(g["mdy_y"]), month_number(g["mdy_m"]), int(g["mdy_d"]))
    elif g["dmy_m"]:
        day = make_date(int(g["dmy_y"]), month_number(g["dmy_m"]), int(g["dmy_d"]))
    elif g["iso_y"]:
        day = make_date(int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"]))
    else:
        day = make_date(full_year(g["us_y"]), int(g["us_m"]), int(g["us_d"]))
    return day if day is not None and MIN_YEAR <= day.year <= MAX_YEAR else None


def written_date(text: str) -> dt.date | None:
    """The date a whole text writes as a case file writes dates ('11/02/2026', 'November 2,
    2026', '2 Nov 2026', '2026-11-02'), or None when the text is not one date. A numeric date is
    month first only with slashes: '02.11.2026' or '02-11-2026' is day first in much of the
    world, so it is no date here (the case file refuses it rather than guess)."""
    match = DATE_RE.fullmatch(text.strip().rstrip("."))
    if match is None or match["sep"] not in (None, "/"):
        return None
    return parse_date(match)


def iso_dates(text: str) -> str:
    """The text with every written date in ISO form ('November 2, 2026', '11/02/2026' ->
    '2026-11-02'); what is no real date is left as written."""

    def iso(match: re.Match[str]) -> str:
        day = parse_date(match)
        return day.isoformat() if day is not None else match[0]

    return DATE_RE.sub(iso, text)


def find_dates(text: str) -> list[tuple[dt.date, int]]:
    """Every valid date in ``text`` with its offset, in order."""
    return [(d, m.start()) for m in DATE_RE.finditer(text) if (d := parse_date(m)) is not None]


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus calendar months, clipped to the end of the target month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def years_between(born: dt.date, on: dt.date) -> int:
    """Whole years from ``born`` to ``on`` (an age on a date)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
