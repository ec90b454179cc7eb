"""Start dates: "lundi prochain", "01/03", "1er mars 2026", "début mars", "dès que possible",
"lundi 1er décembre", "dans 15 jours", "d'ici 2 semaines", "au plus tôt en mars".

Explicit dates and durations are read by ``dateparser`` (maintained, French included); the
words it does not know ("dès que possible", "début/mi/fin mars", "la semaine prochaine") by
the small readers below. The French words are vocabulary to recognise, never text shown.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import dateparser

from knowledge.text import normalise

MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "lundi": 0,
    "mardi": 1,
    "mercredi": 2,
    "jeudi": 3,
    "vendredi": 4,
    "samedi": 5,
    "dimanche": 6,
}
_AS_SOON_AS_POSSIBLE = (
    "des que possible",
    "asap",
    "au plus vite",
    "immediatement",
    "tout de suite",
    "maintenant",
    "au plus tot",
    "urgent",
)
_MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
_HAS_MONTH = re.compile(rf"\b(?:{_MONTH_PATTERN})\b")
# Words around a date that dateparser does not expect (on the normalised text).
_LEAD_INS = re.compile(
    r"^(?:(?:au plus tot|au plus tard|a partir d[eu]|a compter d[eu]|des|pour|vers|le|en|des le)\s+)+"
)
_WITHIN = re.compile(r"\b(?:d ici|sous)\b")
_PARTS_OF_MONTH = re.compile(r"\b(?:debut|mi|fin|courant)\b")
_DATEPARSER_SETTINGS = {
    "PREFER_DATES_FROM": "future",
    "PREFER_DAY_OF_MONTH": "first",
    "DATE_ORDER": "DMY",
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def parse_start_date(text: str | None, today: dt.date) -> dt.date | None:
    """A start date from "lundi prochain", "01/03", "1er mars 2026", "début mars", "dès que possible".

    Dates without a year are the next such date from ``today``; dates in the past are refused.
    """
    words = normalise(text or "")
    if not words:
        return None
    explicit = bool(re.search(r"\d", words) or _HAS_MONTH.search(words))
    found = _library_date(words, today) if explicit else None
    if found is None:
        found = (
            (None if explicit else _relative_date(words, today))
            or _numeric_date(words, today)
            or _month_date(words, today)
            or (_relative_date(words, today) if explicit else None)
        )
    if found is None or found < today:
        return None
    return found


def _library_date(words: str, today: dt.date) -> dt.date | None:
    """A date or a delay read by dateparser, once the lead-in words are taken off."""
    if _PARTS_OF_MONTH.search(words):
        return None  # "début mars": read below, dateparser would say the 1st or today's day
    cleaned = _WITHIN.sub("dans", _LEAD_INS.sub("", words.split(" temps ")[0])).strip()
    # normalise() turned "01/03/2026" into "01 03 2026": give dateparser its slashes back.
    cleaned = re.sub(r"^(\d{1,2}) (\d{1,2})(?: (\d{2,4}))?$", _slashed, cleaned)
    settings = {**_DATEPARSER_SETTINGS, "RELATIVE_BASE": dt.datetime.combine(today, dt.time())}
    found = dateparser.parse(cleaned, languages=["fr"], settings=settings)  # type: ignore[arg-type]
    return found.date() if found is not None else None


def _slashed(match: re.Match[str]) -> str:
    return "/".join(part for part in match.groups() if part)


def _relative_date(words: str, today: dt.date) -> dt.date | None:
    if any(phrase in words for phrase in _AS_SOON_AS_POSSIBLE) or words in (
        "aujourd hui",
        "aujourdhui",
    ):
        return today
    if "apres demain" in words:
        return today + dt.timedelta(days=2)
    if re.search(r"\bdemain\b", words):
        return today + dt.timedelta(days=1)
    if "semaine prochaine" in words:
        return today + dt.timedelta(days=7 - today.weekday())
    if "mois prochain" in words:
        return _first_of_next_month(today)
    for name, weekday in WEEKDAYS.items():
        if re.search(rf"\b{name}\b", words):
            ahead = (weekday - today.weekday()) % 7 or 7
            return today + dt.timedelta(days=ahead)
    return None


def _first_of_next_month(today: dt.date) -> dt.date:
    return dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)


def _numeric_date(words: str, today: dt.date) -> dt.date | None:
    iso = re.search(r"\b(\d{4}) (\d{1,2}) (\d{1,2})\b", words)
    if iso:
        return _safe_date(int(iso[1]), int(iso[2]), int(iso[3]))
    # normalise() turned "01/03/2026" into "01 03 2026".
    numeric = re.search(r"\b(\d{1,2}) (\d{1,2})(?: (\d{2,4}))?\b", words)
    if not numeric:
        return None
    day, month = int(numeric[1]), int(numeric[2])
    if numeric[3]:
        year = int(numeric[3])
        return _safe_date(year + 2000 if year < 100 else year, month, day)
    return _next_occurrence(today, month, day)


def _month_date(words: str, today: dt.date) -> dt.date | None:
    match = re.search(
        rf"(?:\b(debut|mi|fin|(\d{{1,2}})(?:er)?) )?\b({_MONTH_PATTERN})\b(?: (\d{{4}}))?", words
    )
    if not match:
        return None
    month = MONTHS[match[3]]
    year = int(match[4]) if match[4] else None
    if match[2]:
        day = int(match[2])
    elif match[1] == "mi":
        day = 15
    elif match[1] == "fin":
        day = calendar.monthrange(year or today.year, month)[1]
    else:
        day = 1
    if year is not None:
        return _safe_date(year, month, day)
    found = _next_occurrence(today, month, day)
    # "début mars" said in mid-March still means this March: start as soon as possible.
    if found and found.year > today.year and month == today.month and not match[2]:
        return today
    return found


def _next_occurrence(today: dt.date, month: int, day: int) -> dt.date | None:
    this_year = _safe_date(today.year, month, day)
    if this_year is not None and this_year >= today:
        return this_year
    return _safe_date(today.year + 1, month, day)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
