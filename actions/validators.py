"""Pure parsing and validation of what people type in the employer and newcomer forms.

No Rasa, no database: every function takes a string (and a reference date when time
matters) and returns a normalised value, or None when the answer cannot be used.
The French words below are vocabulary to recognise, never text shown to people.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from knowledge.offers.vocabulary import contract_type
from knowledge.text import normalise

MAX_FREE_TEXT = 120
_MARKUP = re.compile(r"<[^>]*>|[<>]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]", re.UNICODE)


def clean_free_text(text: str | None, max_length: int = MAX_FREE_TEXT) -> str | None:
    """A short free answer (company, job, skills) without markup; None if empty or too long."""
    if not text:
        return None
    cleaned = " ".join(_CONTROL.sub(" ", _MARKUP.sub(" ", text)).split())
    if len(_LETTER_OR_DIGIT.findall(cleaned)) < 2 or len(cleaned) > max_length:
        return None
    return cleaned


# --- SIRET -----------------------------------------------------------------------------

# La Poste's establishments share one SIREN whose SIRETs do not follow the Luhn rule;
# INSEE checks them with the sum of their digits instead.
_LA_POSTE_SIREN = "356000000"


def luhn_is_valid(digits: str) -> bool:
    """The Luhn checksum used by SIREN and SIRET numbers."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_siret(text: str | None) -> str | None:
    """The 14 digits of a valid SIRET (spaces, dots and dashes allowed), else None."""
    digits = re.sub(r"[\s.\-]", "", text or "")
    if not re.fullmatch(r"\d{14}", digits):
        return None
    if digits.startswith(_LA_POSTE_SIREN):
        return digits if sum(int(c) for c in digits) % 5 == 0 else None
    return digits if luhn_is_valid(digits) else None


# --- Contacts --------------------------------------------------------------------------

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,}$"
)


def normalise_email(text: str | None) -> str | None:
    """A plausible e-mail address, lowercased; None otherwise."""
    candidate = (text or "").strip().strip(".,;").lower()
    if len(candidate) > 254 or ".." in candidate or not _EMAIL.match(candidate):
        return None
    return candidate


def normalise_french_phone(text: str | None) -> str | None:
    """A French phone number as ``06 12 34 56 78`` (accepts +33, 0033, dots, dashes)."""
    digits = re.sub(r"[\s.\-()/]", "", text or "")
    if digits.startswith("+33"):
        digits = "0" + digits[3:]
    elif digits.startswith("0033"):
        digits = "0" + digits[4:]
    if digits.startswith("00"):
        return None
    if not re.fullmatch(r"0[1-9]\d{8}", digits):
        return None
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


# --- Numbers ---------------------------------------------------------------------------

_UNITS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100, "vingts": 20,
}  # fmt: skip
_APPROXIMATE = {"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30}


def parse_count(text: str | None, maximum: int = 999) -> int | None:
    """A positive whole number written in digits or French words ("deux", "vingt-cinq")."""
    words = normalise(text or "").replace("-", " ").split()
    digits = [int(w) for w in words if w.isdigit()]
    if digits:
        value: int | None = digits[0]
    else:
        value = _number_from_words(words)
    if value is None or not 0 < value <= maximum:
        return None
    return value


def _number_from_words(words: list[str]) -> int | None:
    for word in words:
        if word in _APPROXIMATE:
            return _APPROXIMATE[word]
    total, current, seen = 0, 0, False
    for word in words:
        if word == "et" and seen:
            continue
        if word not in _UNITS:
            if seen:
                break
            continue
        seen = True
        value = _UNITS[word]
        if value == 100:
            current = max(current, 1) * 100
        elif word in ("vingt", "vingts") and current == 4:  # quatre-vingt(s)
            current *= 20
        else:
            current += value
    total += current
    return total if seen else None


# --- Dates -----------------------------------------------------------------------------

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


def parse_start_date(text: str | None, today: dt.date) -> dt.date | None:
    """A start date from "lundi prochain", "01/03", "1er mars 2026", "début mars", "dès que possible".

    Dates without a year are the next such date from ``today``; dates in the past are refused.
    """
    words = normalise(text or "")
    if not words:
        return None
    found = _relative_date(words, today) or _numeric_date(words, today) or _month_date(words, today)
    if found is None or found < today:
        return None
    return found


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


# --- Contracts, households, needs --------------------------------------------------------

LEAD_CONTRACTS = (
    "cdi",
    "cdd",
    "interim",
    "seasonal",
    "apprenticeship",
    "professionalisation",
    "alternance",
)


def parse_contract(text: str | None) -> str | None:
    """A contract code (``LEAD_CONTRACTS``) from "CDI", "un contrat pro", "en alternance"..."""
    words = normalise(text or "")
    if re.search(r"\b(alternance|alternant|alternante)\b", words):
        return "alternance"
    if re.search(r"\b(contrat pro|pro)\b", words):
        return "professionalisation"
    found = contract_type(words)
    return found if found in LEAD_CONTRACTS else None


@dataclass(frozen=True)
class Children:
    """How many children move with the person, and the ages given (may be fewer)."""

    count: int
    ages: tuple[int, ...]


_NO_CHILD = re.compile(
    r"^(non|no|nan|aucun|aucune|0|zero|pas d enfants?|sans enfants?|pas d enfant|je n ai pas d enfants?|on n a pas d enfants?)$"
)
_BABY = re.compile(r"\b(bebe|nourrisson)s?\b")


def _ages_in_years(words: list[str]) -> list[int]:
    """Numbers that belong to a run ending in "ans": "de 3 et 8 ans", "2 ans, 5 ans et 11 ans"."""
    ages: list[int] = []
    run: list[int] = []
    for word in words:
        if word.isdigit() and len(word) <= 2:
            run.append(int(word))
        elif word in ("an", "ans"):
            ages.extend(age for age in run if age < 26)
            run = []
        elif word != "et":
            run = []
    return ages


def parse_children(text: str | None) -> Children | None:
    """Children from "2 enfants de 3 et 8 ans", "un bébé", "non"; None if unclear."""
    words = normalise(text or "")
    if not words:
        return None
    if _NO_CHILD.match(words) or re.search(r"\b(pas|sans|aucun) (d )?enfants?\b", words):
        return Children(0, ())
    ages = _ages_in_years(words.split())
    ages += [0 for _ in re.findall(r"\b\d{1,2} mois\b", words)]
    ages += [0] * len(_BABY.findall(words))
    count_match = re.search(r"\b(\S+) (?:enfants?|gamins?|petits?|filles?|fils|garcons?)\b", words)
    count = parse_count(count_match[1], maximum=15) if count_match else None
    if count is None and re.search(r"\b(enfant|fils|fille|garcon)\b", words):
        count = 1
    if count is None:
        count = len(ages) or None
    if count is None:
        return None
    return Children(max(count, len(ages)), tuple(ages[: max(count, len(ages))]))


NEEDS = ("housing", "childcare", "schools", "transport", "leisure", "spouse_job")
_NEED_WORDS = {
    "housing": r"logement|loger|appartement|appart|maison|location|louer|loyer|hebergement",
    "childcare": r"garde|creche|nounou|nourrice|assistante maternelle|periscolaire|centre aere",
    "schools": r"ecole|ecoles|college|lycee|scolarite|inscription scolaire|cantine",
    "transport": r"transport|bus|train|voiture|permis|mobilite|velo|covoiturage|deplacement",
    "leisure": r"loisir|loisirs|sport|culture|association|activite|activites|sortie|club",
    "spouse_job": r"conjoint|conjointe|mari|femme|epoux|epouse|compagne|compagnon|copine|copain|emploi|travail|boulot",
}
_ALL_NEEDS = re.compile(r"\b(tout|tous|toutes|l ensemble|un peu de tout|de tout)\b")


def parse_needs(text: str | None) -> list[str]:
    """Needs named in the answer, in ``NEEDS`` order ("tout" means every need)."""
    words = normalise(text or "")
    if _ALL_NEEDS.search(words):
        return list(NEEDS)
    return [need for need in NEEDS if re.search(rf"\b({_NEED_WORDS[need]})\b", words)]


_SPOUSE = re.compile(
    r"\b(conjoint|conjointe|mari|femme|epoux|epouse|compagne|compagnon|copine|copain|partenaire|concubin|concubine)\b"
)
_SPOUSE_WORKS = re.compile(
    r"\b(cherche|recherche|chercher|chomage|sans emploi|aussi|trouver|besoin)\b"
)


def mentions_spouse(text: str | None) -> bool:
    """The message speaks of a spouse or partner."""
    return bool(_SPOUSE.search(normalise(text or "")))


def spouse_seeks_work(text: str | None) -> bool:
    """The message says the spouse or partner looks for work."""
    words = normalise(text or "")
    return bool(_SPOUSE.search(words) and _SPOUSE_WORKS.search(words))
