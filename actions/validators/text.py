"""Short free answers, counts written in digits or words (``text2num``), and contract types.

The French words below are vocabulary to recognise, never text shown to people.
"""

from __future__ import annotations

import re

from text_to_num import alpha2digit

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


_APPROXIMATE = {"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30}
# A number followed by one of these is a duration, a pay or a distance, not a head count.
_NOT_HEADS = frozenset(
    {"h", "heure", "heures", "an", "ans", "mois", "jour", "jours", "semaine", "semaines", "euros",
     "eur", "km", "pour", "pourcent", "fois"}
)  # fmt: skip
_COUNTED = re.compile(r"\b(\d+) ([a-z]+)")


def parse_count(text: str | None, maximum: int = 999) -> int | None:
    """A positive whole number written in digits or French words ("deux", "vingt-cinq").

    Words become digits with ``text2num`` (maintained, French grammar of numbers); several
    counts of people ("un cariste et deux manutentionnaires") add up.
    """
    words = normalise(text or "")
    for word, value in _APPROXIMATE.items():
        if re.search(rf"\b{word}\b", words):
            return value if value <= maximum else None
    digits = alpha2digit(words, "fr", threshold=0)
    numbers = [int(number) for number in re.findall(r"\b\d+\b", digits)]
    if not numbers:
        return None
    heads = [int(n) for n, word in _COUNTED.findall(digits) if word not in _NOT_HEADS]
    value = sum(heads) if len(heads) > 1 else numbers[0]
    if not 0 < value <= maximum:
        return None
    return value


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
    # "apprentice" is the NLU's synonym value for "alternance", "apprenti", "apprentissage": the
    # status vocabulary and the contract share those words, so a contract entity can carry it.
    if re.search(r"\b(alternance|alternant|alternante|apprentice)\b", words):
        return "alternance"
    if re.search(r"\b(contrat pro|pro)\b", words):
        return "professionalisation"
    found = contract_type(words)
    return found if found in LEAD_CONTRACTS else None
