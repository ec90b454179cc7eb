"""Short free answers, counts written in digits or words, and contract types.

The French words below are vocabulary to recognise, never text shown to people.
"""

from __future__ import annotations

import re

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
