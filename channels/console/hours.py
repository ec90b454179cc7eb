"""Office hours (`OFFICE_HOURS`), in Europe/Paris time.

Grammar: groups separated by `;`, each `<days> <ranges>`; days `mon`..`sun`, a range `mon-fri`
or a list `mon,wed`; time ranges `HH:MM-HH:MM` separated by `,` (`24:00` ends the day).
Examples: `mon-fri 09:00-17:00`, `mon-fri 09:00-12:00,13:30-17:00; sat 09:00-12:00`,
`always` (tests, round-the-clock services), `never` (call-backs only).
French public holidays (the `holidays` package) are closed days, except with `always`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

PARIS = ZoneInfo("Europe/Paris")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME_RANGE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


class OfficeHoursError(ValueError):
    """OFFICE_HOURS cannot be read."""


@dataclass(frozen=True)
class OfficeHours:
    """Opening minutes per weekday (0 = Monday): list of (start, end) minutes since midnight."""

    slots: tuple[tuple[tuple[int, int], ...], ...]
    # A round-the-clock service (`always`) answers on public holidays too.
    closed_on_holidays: bool = True

    def _open_ranges(self, day: dt.date) -> tuple[tuple[int, int], ...]:
        if self.closed_on_holidays and is_public_holiday(day):
            return ()
        return self.slots[day.weekday()]

    def is_open(self, moment: dt.datetime) -> bool:
        """True when `moment` (aware, or naive UTC) falls in the office hours."""
        local = to_paris(moment)
        minute = local.hour * 60 + local.minute
        return any(start <= minute < end for start, end in self._open_ranges(local.date()))

    def next_opening(self, moment: dt.datetime) -> dt.datetime | None:
        """The next time (Paris, aware) the office opens after `moment`; None if it never does.

        Looks a year ahead: enough for any weekly schedule, whatever the holidays.
        """
        local = to_paris(moment)
        minute = local.hour * 60 + local.minute
        for offset in range(0, 370):
            day = local.date() + dt.timedelta(days=offset)
            for start, _end in self._open_ranges(day):
                if offset == 0 and start <= minute:
                    continue
                wall = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=start)
                return wall.replace(tzinfo=PARIS)
        return None


def to_paris(moment: dt.datetime) -> dt.datetime:
    """`moment` (aware, or naive UTC) in Paris time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(PARIS)


@lru_cache(maxsize=8)
def _holidays_of(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("FR", years=year).keys())


def is_public_holiday(day: dt.date) -> bool:
    """True on a French (metropolitan) public holiday."""
    return day in _holidays_of(day.year)


def _days(spec: str) -> list[int]:
    found: list[int] = []
    for part in spec.split(","):
        bounds = part.strip().lower().split("-")
        if not all(b in DAYS for b in bounds) or len(bounds) not in (1, 2):
            raise OfficeHoursError(f"unknown day(s): {part!r}")
        first, last = DAYS.index(bounds[0]), DAYS.index(bounds[-1])
        if last < first:
            raise OfficeHoursError(f"day range goes backwards: {part!r}")
        found.extend(range(first, last + 1))
    return found


def _ranges(spec: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for part in spec.split(","):
        match = _TIME_RANGE.match(part.strip())
        if not match:
            raise OfficeHoursError(f"bad time range: {part!r}")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if m1 > 59 or m2 > 59 or not 0 <= start < end <= 24 * 60:
            raise OfficeHoursError(f"bad time range: {part!r}")
        found.append((start, end))
    return found


def parse_office_hours(spec: str) -> OfficeHours:
    """Parse OFFICE_HOURS; raises OfficeHoursError with the faulty part."""
    cleaned = spec.strip().lower()
    if cleaned == "always":
        return OfficeHours(slots=tuple(((0, 24 * 60),) for _ in DAYS), closed_on_holidays=False)
    per_day: list[list[tuple[int, int]]] = [[] for _ in DAYS]
    if cleaned in ("never", ""):
        return OfficeHours(slots=tuple(tuple(day) for day in per_day))
    for group in cleaned.split(";"):
        pieces = group.split()
        if len(pieces) != 2:
            raise OfficeHoursError(f"expected '<days> <hours>': {group.strip()!r}")
        for day in _days(pieces[0]):
            per_day[day].extend(_ranges(pieces[1]))
    return OfficeHours(slots=tuple(tuple(sorted(day)) for day in per_day))
