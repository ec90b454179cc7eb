"""Rank the candidate places of a message and keep the best reading of each territory.

``place_candidates`` reads the words (codes, names, typos, context scores); here the readings
are combined, which moves scores once more:

- a wider area named beside a commune that it contains: +15 for that commune, area dropped;
- "métropole de", "agglo de", "communauté de communes de" + commune: that commune's EPCI.

``place.resolve_place`` turns the best candidate into a ``PlaceMatch``.
"""

from __future__ import annotations

from knowledge.search.place_candidates import (
    Candidate,
    code_candidates,
    fuzzy_candidates,
    name_candidates,
)
from knowledge.search.place_index import (
    COMMUNE,
    DEPARTEMENT,
    EPCI,
    KeyTarget,
    PlaceIndex,
    population_weight,
)
from knowledge.search.place_text import EPCI_TRIGGERS, STOPWORDS

MIN_SCORE = 70
CANDIDATE_MIN_SCORE = 50
# "Saint-Martin dans le Gers": a wider area that contains one homonym outweighs population.
CONFIRMATION_BONUS = 15
EPCI_CONNECTORS = frozenset({"de", "du", "d", "des", "la", "le", "l"})


def find_candidates(index: PlaceIndex, words: list[str]) -> list[Candidate]:
    if not words:
        return []
    content = [i for i, word in enumerate(words) if word not in STOPWORDS]
    found = code_candidates(index, words, content)
    named = name_candidates(index, words, content)
    found += named
    if not any(c.score >= MIN_SCORE for c in found):
        # Nothing convincing: every word, even one weakly matched, may be a misspelt name.
        found += fuzzy_candidates(index, words, content)
    found = _consolidate(index, _apply_epci_triggers(index, words, found))
    for candidate in found:
        candidate.weight = population_weight(index, candidate.target)
    found.sort(key=lambda c: (c.score, c.weight), reverse=True)
    best: list[Candidate] = []
    seen: set[tuple[str, str]] = set()
    for candidate in found:
        key = (candidate.target.level, candidate.target.code)
        if (
            key in seen
            or candidate.score < CANDIDATE_MIN_SCORE
            or _redundant(index, candidate, best)
        ):
            continue
        seen.add(key)
        best.append(candidate)
    return best


def _redundant(index: PlaceIndex, candidate: Candidate, better: list[Candidate]) -> bool:
    """An area named like a better-ranked commune it contains ("Paris", "Saint-Martin")."""
    if candidate.target.level == COMMUNE:
        return False
    return any(
        other.target.level == COMMUNE
        and (other.start, other.end) == (candidate.start, candidate.end)
        and candidate.target.code in containing(index, other.target.code, candidate.target.level)
        for other in better
    )


def _apply_epci_triggers(
    index: PlaceIndex, words: list[str], found: list[Candidate]
) -> list[Candidate]:
    """ "métropole de Lille", "agglo de Valenciennes": the commune's EPCI, not the commune."""
    out: list[Candidate] = []
    for c in found:
        entry = index.communes.get(c.target.code) if c.target.level == COMMUNE else None
        i = c.start - 1
        while i >= 0 and words[i] in EPCI_CONNECTORS:
            i -= 1
        if (
            entry
            and entry.epci
            and c.matched_on != "postcode"
            and i >= 0
            and words[i] in EPCI_TRIGGERS
        ):
            c = Candidate(KeyTarget(EPCI, entry.epci, c.target.quality), c.score, "epci", i, c.end)
        out.append(c)
    return out


def _consolidate(index: PlaceIndex, found: list[Candidate]) -> list[Candidate]:
    """A wider area named beside a commune confirms it ("Roubaix dans le Nord", "59100
    Roubaix", "Saint-Martin 97150"): boost that commune and drop the area as a rival."""
    communes = [c for c in found if c.target.level == COMMUNE]
    kept: list[Candidate] = []
    for c in found:
        if c.target.level == COMMUNE:
            kept.append(c)
            continue
        inside = [
            other
            for other in communes
            if (other.end <= c.start or other.start >= c.end)
            and c.target.code in containing(index, other.target.code, c.target.level)
        ]
        for other in inside:
            other.score += CONFIRMATION_BONUS
        if not inside:
            kept.append(c)
    postcodes = {c.postcode for c in communes if c.postcode}
    for c in communes:
        if c.matched_on != "postcode" and postcodes & set(index.communes[c.target.code].postcodes):
            c.score += CONFIRMATION_BONUS
    return kept


def containing(index: PlaceIndex, commune_code: str, level: str) -> tuple[str | None, ...]:
    entry = index.communes[commune_code]
    if level == EPCI:
        return (entry.epci, entry.ept)
    return (entry.departement,) if level == DEPARTEMENT else (entry.region,)
