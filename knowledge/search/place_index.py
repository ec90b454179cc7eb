"""In-memory index of places, built once per engine from the territory tables.

Resolving a place must take well under 5 ms, so queries never touch the database: every name
people may type is normalised once into ``keys`` (normalised text -> targets), postcodes and
codes get their own maps, and typo tolerance runs rapidfuzz on small prepared choice lists
bucketed by first letter and length. ``place_index_build`` fills the index from the tables.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from knowledge.search.place_text import COMMON_WORD_COMMUNES
from knowledge.search.place_text import normalize as normalize_text

COMMUNE, EPCI, DEPARTEMENT, REGION = "commune", "epci", "departement", "region"

# Quality of a key, before context: the official name beats an alias, which beats a guess.
OFFICIAL, ALIAS, SUB_COMMUNE, PREFIX = 100, 95, 85, 85
EPCI_CORE = 90

# Well-known short names that the official data does not carry. Checked by the tests.
EPCI_ALIASES = {
    "mel": "200093201",  # Métropole Européenne de Lille
    "metropole lilloise": "200093201",
    "grand lyon": "200046977",  # Métropole de Lyon
    "mgp": "200054781",  # Métropole du Grand Paris
}
REGION_ALIASES = {"paca": "93", "idf": "11", "region parisienne": "11"}
LEVEL_BONUS = {COMMUNE: 0.003, EPCI: 0.002, DEPARTEMENT: 0.001, REGION: 0.0}
# Official names (public data) are normalised three or four times each while indexing.
normalize = lru_cache(maxsize=200_000)(normalize_text)

_ELISION = re.compile(r"\b([dl]) (?=[aeiouyh])")


@dataclass(frozen=True, slots=True)
class CommuneEntry:
    """A commune, or an arrondissement municipal together with its commune."""

    code: str
    name: str
    commune_code: str
    commune_name: str
    postcodes: tuple[str, ...]
    population: int
    departement: str
    region: str
    epci: str | None
    ept: str | None

    @property
    def is_arrondissement(self) -> bool:
        return self.code != self.commune_code


@dataclass(frozen=True, slots=True)
class AreaEntry:
    """An EPCI/EPT, a département or a région."""

    level: str
    code: str
    name: str
    population: int
    departement: str | None
    region: str | None
    kind: str | None = None
    largest_commune: str | None = None  # its most populous commune, to stand for it


@dataclass(frozen=True, slots=True)
class KeyTarget:
    level: str
    code: str
    quality: int


class PlaceIndex:
    """Everything ``resolve_place`` needs, in plain dictionaries."""

    def __init__(self) -> None:
        self.communes: dict[str, CommuneEntry] = {}
        self.areas: dict[tuple[str, str], AreaEntry] = {}
        self.keys: dict[str, list[KeyTarget]] = defaultdict(list)
        self.postcodes: dict[str, list[str]] = {}
        self.former_codes: dict[str, str] = {}
        self.fuzzy_choices: dict[tuple[str, int], list[str]] = {}
        self.max_key_tokens = 1

    def population(self, target: KeyTarget) -> int:
        if target.level == COMMUNE:
            return self.communes[target.code].population
        return self.areas[(target.level, target.code)].population

    def add_key(self, text: str, target: KeyTarget) -> None:
        key = normalize(text)
        if not key:
            return
        glued = _ELISION.sub(r"\1", key)
        if glued != key:  # "villeneuve dascq": the apostrophe dropped, not replaced by a space
            self._add(glued, target)
        self._add(key, target)

    def _add(self, key: str, target: KeyTarget) -> None:
        existing = self.keys[key]
        for index, other in enumerate(existing):
            if (other.level, other.code) == (target.level, target.code):
                if other.quality < target.quality:
                    existing[index] = target
                return
        existing.append(target)

    def finish(self) -> None:
        """Sort targets by population, prepare the fuzzy buckets."""
        buckets: dict[tuple[str, int], list[tuple[int, str]]] = defaultdict(list)
        for key, targets in self.keys.items():
            targets.sort(key=self.population, reverse=True)
            self.max_key_tokens = max(self.max_key_tokens, key.count(" ") + 1)
            # Typos are matched against real names only, not against guesses (prefixes).
            # Nor against everyday words: "cateau" must not become "chateau".
            if (
                len(key) >= 4
                and max(t.quality for t in targets) >= EPCI_CORE
                and key not in COMMON_WORD_COMMUNES
            ):
                buckets[(key[0], len(key))].append((self.population(targets[0]), key))
        pooled: dict[tuple[str, int], list[tuple[int, str]]] = defaultdict(list)
        for (first, length), items in buckets.items():
            for wanted in range(length - 2, length + 3):
                pooled[(first, wanted)].extend(items)
        self.fuzzy_choices = {
            bucket: [key for _, key in sorted(items, key=lambda item: (-item[0], item[1]))]
            for bucket, items in pooled.items()
        }
        self.keys = dict(self.keys)


def population_weight(index: PlaceIndex, target: KeyTarget) -> float:
    """Tie-breaker between targets of equal score: a commune counts ten times its population,
    so "Paris" is the commune, but "Bretagne" is the région, not the village of 300 people."""
    population = index.population(target)
    factor = 10 if target.level == COMMUNE else 1
    # Between equal populations (La Réunion: région and département) the finer level wins.
    return math.log10(1 + population * factor) + LEVEL_BONUS[target.level]
