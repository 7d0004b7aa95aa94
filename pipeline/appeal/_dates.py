"""Date arithmetic for appeal deadlines: calendar days, months, business days, federal holidays.

The laws differ in how they count, and the specs say which rule applies:
- months: a date with no twin in the target month (31 October + 4 months) either clips to
  the month's last day (``clip``) or moves to the first day of the next month (``next_day``,
  the federal external review rule: "the first day of the fifth month");
- business days skip Saturdays, Sundays and the federal holidays of 5 U.S.C. 6103;
- ``roll_forward`` moves a last day that falls on a Saturday, Sunday or federal holiday to the
  next business day.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import cache
from typing import Literal

from ..text import dates as text_dates

MonthEnd = Literal["clip", "next_day"]


def add_months(day: dt.date, months: int, month_end: MonthEnd = "clip") -> dt.date:
    """``day`` plus calendar months. Without a same-numbered day in the target month, the
    month's last day (``clip``) or the first day of the month after (``next_day``)."""
    clipped = text_dates.add_months(day, months)
    if month_end == "next_day" and clipped.day != day.day:
        return clipped + dt.timedelta(days=1)
    return clipped


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th ``weekday`` (0 = Monday) of a month; n = -1 for the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: dt.date) -> dt.date:
    """A fixed-date holiday on a Saturday is observed the Friday before, on a Sunday the Monday
    after (5 U.S.C. 6103(b) and Executive Order 11582)."""
    if day.weekday() == 5:
        return day - dt.timedelta(days=1)
    if day.weekday() == 6:
        return day + dt.timedelta(days=1)
    return day


@cache
def federal_holidays(year: int) -> frozenset[dt.date]:
    """The legal public holidays of 5 U.S.C. 6103(a) in ``year``, as observed."""
    fixed = [(1, 1), (6, 19), (7, 4), (11, 11), (12, 25)]
    days = {_observed(dt.date(year, m, d)) for m, d in fixed}
    days |= {
        _nth_weekday(year, 1, 0, 3),  # Birthday of Martin Luther King, Jr.
        _nth_weekday(year, 2, 0, 3),  # Washington's Birthday
        _nth_weekday(year, 5, 0, -1),  # Memorial Day
        _nth_weekday(year, 9, 0, 1),  # Labor Day
        _nth_weekday(year, 10, 0, 2),  # Columbus Day
        _nth_weekday(year, 11, 3, 4),  # Thanksgiving Day
    }
    # New Year's Day of the next year observed on 31 December when 1 January is a Saturday.
    if dt.date(year + 1, 1, 1).weekday() == 5:
        days.add(dt.date(year, 12, 31))
    return frozenset(days)


def is_business_day(day: dt.date) -> bool:
    """Monday to Friday and not a federal holiday."""
    return day.weekday() < 5 and day not in federal_holidays(day.year)


def add_business_days(day: dt.date, count: int) -> dt.date:
    """``day`` plus ``count`` business days (the day itself not counted)."""
    while count > 0:
        day += dt.timedelta(days=1)
        count -= is_business_day(day)
    return day


def roll_forward(day: dt.date) -> dt.date:
    """``day``, or the next business day when it falls on a weekend or federal holiday."""
    while not is_business_day(day):
        day += dt.timedelta(days=1)
    return day
