"""Meeting schedules: dates by cadence, online/in-person pattern, rotating hosts and themes.

Pure: works on local (Europe/London) wall-clock times so that a 10:00 meeting stays at 10:00
across the change to and from British Summer Time.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from locus.errors import PeersError

LONDON = ZoneInfo("Europe/London")


def day_long(when: date | datetime) -> str:
    """"5 March 2026": a date, or the UK day of a moment, as every peers message writes it."""
    d = when.astimezone(LONDON).date() if isinstance(when, datetime) else when
    return f"{d.day} {d:%B %Y}"
CADENCES = {"weekly": "Every week", "fortnightly": "Every two weeks",
            "four_weekly": "Every four weeks", "monthly": "Monthly (same weekday of the month)"}
PATTERNS = {"alternate_in_person_first": "Alternate, starting in person",
            "alternate_online_first": "Alternate, starting online",
            "in_person": "All in person", "online": "All online"}


@dataclass(frozen=True)
class Slot:
    number: int
    starts_at: datetime
    mode: str  # "online" | "in_person"
    venue_id: int | None
    theme_id: int | None


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The nth (1-5) given weekday of a month; the last one if the month has fewer."""
    days = [d for d in calendar.Calendar().itermonthdates(year, month)
            if d.month == month and d.weekday() == weekday]
    return days[min(nth, len(days)) - 1]


def meeting_dates(*, first: date, count: int, cadence: str) -> list[date]:
    if cadence not in CADENCES:
        raise PeersError(f"Choose a cadence: {', '.join(CADENCES)}")
    if not 1 <= count <= 52:
        raise PeersError("A schedule has between 1 and 52 meetings")
    step = {"weekly": 7, "fortnightly": 14, "four_weekly": 28}.get(cadence)
    if step:
        return [first + timedelta(days=step * i) for i in range(count)]
    nth = (first.day - 1) // 7 + 1
    out = []
    for i in range(count):
        month_index = first.month - 1 + i
        out.append(_nth_weekday(first.year + month_index // 12, month_index % 12 + 1,
                                first.weekday(), nth))
    return out


def _mode(pattern: str, i: int) -> str:
    if pattern == "online":
        return "online"
    if pattern == "in_person":
        return "in_person"
    if pattern == "alternate_in_person_first":
        return "in_person" if i % 2 == 0 else "online"
    if pattern == "alternate_online_first":
        return "online" if i % 2 == 0 else "in_person"
    raise PeersError(f"Choose a pattern: {', '.join(PATTERNS)}")


def schedule_plan(*, first: date, at: time, count: int, cadence: str, pattern: str,
                  venue_ids: list[int], theme_ids: list[int], first_number: int = 1
                  ) -> list[Slot]:
    """Slots for a group: in-person meetings rotate through the venues in order; themes follow
    the curriculum in order and wrap round."""
    if pattern != "online" and not venue_ids:
        raise PeersError("In-person meetings need at least one host venue: add a venue first, or "
                         "choose 'All online'")
    slots, venue_turn = [], 0
    for i, day in enumerate(meeting_dates(first=first, count=count, cadence=cadence)):
        mode = _mode(pattern, i)
        venue = None
        if mode == "in_person":
            venue = venue_ids[venue_turn % len(venue_ids)]
            venue_turn += 1
        theme = theme_ids[(first_number - 1 + i) % len(theme_ids)] if theme_ids else None
        slots.append(Slot(first_number + i, datetime.combine(day, at, tzinfo=LONDON), mode,
                          venue, theme))
    return slots
