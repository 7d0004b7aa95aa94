"""`lmn cases calendar`: every dated deadline of the tracked cases as an iCalendar file, each an
all-day event with reminders 7 days and 1 day before, written with the ``icalendar`` library.

Events carry the case's label and what is due, never the patient's name or the letter's text;
the citation goes in the description."""

from __future__ import annotations

import datetime as dt

from icalendar import Alarm, Calendar, Event

from ._cases import Case

REMINDERS = (dt.timedelta(days=7), dt.timedelta(days=1))
"""How long before a deadline the calendar reminds."""
PRODID = "-//lmn//appeal deadlines//EN"


def calendar(cases: list[Case], now: dt.datetime | None = None) -> bytes:
    """The deadlines of ``cases`` as an iCalendar (RFC 5545) file."""
    stamp = now or dt.datetime.now(dt.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Appeal deadlines")
    for case in cases:
        for deadline in case.open_deadlines():
            assert deadline.due is not None
            event = Event()
            event.add("uid", f"lmn-case-{case.id}-{deadline.key}@lmn.local")
            event.add("dtstamp", stamp)
            event.add("dtstart", deadline.due)
            event.add("dtend", deadline.due + dt.timedelta(days=1))
            event.add("summary", f"{case.label}: {deadline.what}")
            event.add(
                "description",
                f"{deadline.window} from {deadline.counted_from}. {deadline.rule} "
                f"({deadline.citation})",
            )
            event.add("categories", ["appeal deadline"])
            event.add("transp", "TRANSPARENT")
            for before in REMINDERS:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"{case.label}: {deadline.what} on {deadline.due}")
                alarm.add("trigger", -before)
                event.add_component(alarm)
            cal.add_component(event)
    return cal.to_ical()
