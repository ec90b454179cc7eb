"""The newcomer's household: children and their ages, needs, a spouse looking for work.

The French words below are vocabulary to recognise, never text shown to people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from actions.validators.text import parse_count
from knowledge.text import normalise


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
