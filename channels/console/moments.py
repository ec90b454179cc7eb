"""A moment said the French way to the person ("demain à 9 h", "lundi 7 décembre à 13 h 30").

Words come from `labels_fr.yml` (groups `moments`, `weekdays`, `months`).
"""

from __future__ import annotations

import datetime as dt

from channels.console.hours import to_paris
from channels.console.labels import label


def _time(local: dt.datetime) -> str:
    if local.minute == 0:
        return label("moments", "hour").format(hour=local.hour)
    return label("moments", "hour_minute").format(hour=local.hour, minute=local.minute)


def say_moment(moment: dt.datetime, now: dt.datetime) -> str:
    """`moment` relative to `now` (both aware or naive UTC), in Paris time."""
    local, today = to_paris(moment), to_paris(now).date()
    time_ = _time(local)
    if local.date() == today:
        return label("moments", "today").format(time=time_)
    if local.date() == today + dt.timedelta(days=1):
        return label("moments", "tomorrow").format(time=time_)
    day = label("moments", "first_day") if local.day == 1 else str(local.day)
    return label("moments", "later").format(
        weekday=label("weekdays", str(local.weekday())),
        day=day,
        month=label("months", str(local.month)),
        time=time_,
    )
