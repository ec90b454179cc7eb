"""Contract types and working-hour tags, folded from the wording of each source.

The regular expressions match French words because offers are written in French;
they read normalised text (lowercase, no accents, see ``knowledge.text``).
"""

from __future__ import annotations

import re
from typing import get_args

from unidecode import unidecode

from knowledge.offers.record import ContractType
from knowledge.text import normalise

CONTRACT_TYPES: tuple[str, ...] = get_args(ContractType)
ALTERNANCE_CONTRACTS = frozenset({"apprenticeship", "professionalisation"})

_CONTRACT_WORDS: dict[str, str] = {
    "cdi": "cdi",
    "cdd": "cdd",
    "mis": "interim",
    "duree indeterminee": "cdi",
    "duree determinee": "cdd",
    "interimaire": "interim",
    "interim": "interim",
    "travail temporaire": "interim",
    "tti": "interim",
    "sai": "seasonal",
    "saisonnier": "seasonal",
    "saison": "seasonal",
    "apprentissage": "apprenticeship",
    "apprenti": "apprenticeship",
    "contrat apprentissage": "apprenticeship",
    "professionnalisation": "professionalisation",
    "contrat professionnalisation": "professionalisation",
    "cont professionnalisation": "professionalisation",
    "lib": "freelance",
    "fra": "freelance",
    "independant": "freelance",
    "liberal": "freelance",
    "franchise": "freelance",
}
# France Travail codes that are also ordinary syllables: only matched as the whole label.
_BARE_CODES = frozenset({"mis", "sai", "lib", "fra", "tti", "other"})
for _code in CONTRACT_TYPES:
    _CONTRACT_WORDS.setdefault(_code, _code)


def contract_type(*labels: str | None) -> str | None:
    """The first label that names a known contract, as one of ``CONTRACT_TYPES``."""
    for label in labels:
        if not label:
            continue
        text = normalise(label)
        if text in _CONTRACT_WORDS:
            return _CONTRACT_WORDS[text]
        for word, code in _CONTRACT_WORDS.items():
            if word not in _BARE_CODES and re.search(rf"\b{word}\b", text):
                return code
    return None


SCHEDULE_TAGS = (
    "night",
    "early",
    "evening",
    "weekend",
    "split",
    "shifts",
    "atypical",
    "part_time",
    "full_time",
)
# Read on lowercase unaccented text that keeps its punctuation ("22h-6h", "week-end").
_SCHEDULE_PATTERNS: dict[str, re.Pattern[str]] = {
    "night": re.compile(r"\bnuits?\b|nocturne|\b3\s?x\s?8\b|\b(2[1-3]|0)h\d{0,2}\s*(-|a)\s*[3-7]h"),
    # A start between 3h and 6h, not the end of a range ("22h-6h") nor a duration ("6h par jour").
    "early": re.compile(
        r"tot le matin|\b2\s?x\s?8\b|(?<![-\w])(?<!a )(?<!- )\b[3-6]h(\d\d)?\b"
        r"(?!\s*(par|/)\s*(jour|semaine))"
    ),
    "evening": re.compile(r"\bsoir(ee)?s?\b|\ba (2[0-3])h\b"),
    "weekend": re.compile(r"\bweek[\s-]?ends?\b|\bsamedis?\b|\bdimanches?\b|\bjours? feries\b"),
    "split": re.compile(r"\bcoupures?\b|\bhoraires? coupes?\b"),
    "shifts": re.compile(
        r"\b[23]\s?x\s?8\b|\bequipes? (alternantes|successives)\b|\bpostes? (de|en)\b"
    ),
    "atypical": re.compile(r"\bhoraires? (decales|atypiques|variables)\b"),
    "part_time": re.compile(r"\btemps partiel\b|\bmi[\s-]temps\b"),
    "full_time": re.compile(r"\btemps (plein|complet)\b|\b35\s?h\b"),
}
# Any of these makes a schedule "atypical" for people asking for atypical hours.
_ATYPICAL = frozenset({"night", "early", "evening", "weekend", "split", "shifts"})


def schedule_tags(*texts: str | None) -> list[str]:
    """Tags from ``SCHEDULE_TAGS`` found in the hours text, in a stable order."""
    text = unidecode(" ".join(t for t in texts if t)).lower()
    found = {tag for tag, pattern in _SCHEDULE_PATTERNS.items() if pattern.search(text)}
    if found & _ATYPICAL:
        found.add("atypical")
    return [tag for tag in SCHEDULE_TAGS if tag in found]


_SCHEDULE_WORDS = {
    "nuit": "night",
    "night": "night",
    "matin": "early",
    "tot": "early",
    "early": "early",
    "soir": "evening",
    "evening": "evening",
    "weekend": "weekend",
    "week end": "weekend",
    "coupure": "split",
    "split": "split",
    "equipe": "shifts",
    "shifts": "shifts",
    "decale": "atypical",
    "atypique": "atypical",
    "atypical": "atypical",
    "partiel": "part_time",
    "part_time": "part_time",
    "plein": "full_time",
    "full_time": "full_time",
    "jour": "day",
    "day": "day",
}


def schedule_wanted(text: str) -> str | None:
    """A search ``schedule`` value (tag, ``day``, or French word) as a tag or ``day``."""
    normalised = normalise(text).replace(" ", "_")
    if normalised in SCHEDULE_TAGS or normalised == "day":
        return normalised
    words = normalise(text)
    for word, tag in _SCHEDULE_WORDS.items():
        if word in words:
            return tag
    return None
