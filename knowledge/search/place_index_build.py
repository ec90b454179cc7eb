"""Build the ``PlaceIndex`` from the territory tables: every name, alias, postcode and code.

Besides the official names, the index gets the keys people really type: a town without its
article, "paris 15", the first word of a compound name when one commune clearly owns it, an
EPCI's core name ("grand reims") and the well-known short names of ``place_index``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from knowledge.models.territory import (
    ALIAS_FORMER_CODE,
    ARRONDISSEMENT,
    Commune,
    CommuneAlias,
    CommunePostcode,
    Departement,
    Epci,
    Region,
)
from knowledge.search.place_index import (
    ALIAS,
    COMMUNE,
    DEPARTEMENT,
    EPCI,
    EPCI_ALIASES,
    EPCI_CORE,
    OFFICIAL,
    PREFIX,
    REGION,
    REGION_ALIASES,
    SUB_COMMUNE,
    AreaEntry,
    CommuneEntry,
    KeyTarget,
    PlaceIndex,
    normalize,
)
from knowledge.search.place_text import ARTICLES, STOPWORDS

MAX_PREFIX_HOLDERS = 10
BIG_PREFIX_POPULATION = 20_000
ARTICLE_FREE_MIN_POPULATION = 10_000
# First words of compound names too generic to stand for one commune ("saint" -> 4 000 communes).
GENERIC_FIRST_WORDS = frozenset(
    "saint sainte saints saintes notre mont pont port val bourg ville villers villiers chateau "
    "champ fontaine grand petit vieux neuf bois roche la le les l".split()
)
EPCI_PREFIXES = (
    "communaute de communes ",
    "communaute d agglomeration ",
    "communaute urbaine ",
    "cc ",
    "ca ",
    "cu ",
    "metropole ",
    "eurometropole ",
    "agglomeration ",
)
EPCI_ABBREVIATIONS = {
    "cc": "communaute de communes",
    "ca": "communaute d agglomeration",
    "cu": "communaute urbaine",
}
CONNECTORS = ("de la ", "de l ", "du ", "des ", "de ", "d ")


def build_place_index(session: Session) -> PlaceIndex:
    """Read the territory tables once and index every name, postcode and code."""
    index = PlaceIndex()
    _add_communes(index, session)
    _add_areas(index, session)
    _add_aliases(index, session)
    index.finish()
    return index


def _add_communes(index: PlaceIndex, session: Session) -> None:
    postcodes: dict[str, list[str]] = defaultdict(list)
    for code, postcode in session.execute(
        select(CommunePostcode.commune_code, CommunePostcode.postcode)
    ):
        postcodes[code].append(postcode)
    rows = session.execute(
        select(
            Commune.code,
            Commune.name,
            Commune.kind,
            Commune.parent_code,
            Commune.population,
            Commune.departement_code,
            Commune.region_code,
            Commune.epci_code,
            Commune.ept_code,
        ).order_by(Commune.kind.desc(), Commune.code)  # communes before arrondissements
    ).all()
    names = {row.code: row.name for row in rows}
    by_postcode: dict[str, list[CommuneEntry]] = defaultdict(list)
    for row in rows:
        parent = row.parent_code or row.code
        entry = CommuneEntry(
            code=row.code,
            name=row.name,
            commune_code=parent,
            commune_name=names[parent],
            postcodes=tuple(sorted(postcodes[row.code])),
            population=row.population or 0,
            departement=row.departement_code,
            region=row.region_code,
            epci=row.epci_code,
            ept=row.ept_code,
        )
        index.communes[row.code] = entry
        for postcode in entry.postcodes:
            by_postcode[postcode].append(entry)
        if row.kind == ARRONDISSEMENT:
            _add_arrondissement_keys(index, entry)
        else:
            _add_commune_keys(index, entry)
    for postcode, entries in by_postcode.items():
        # "75015" means the 15th arrondissement, not Paris as a whole.
        with_arrondissement = {e.commune_code for e in entries if e.is_arrondissement}
        kept = [e for e in entries if e.code not in with_arrondissement]
        kept.sort(key=lambda e: (not e.is_arrondissement, -e.population, e.code))
        index.postcodes[postcode] = [e.code for e in kept]
    _add_prefix_keys(index, rows)


def _add_commune_keys(index: PlaceIndex, entry: CommuneEntry) -> None:
    target = KeyTarget(COMMUNE, entry.code, OFFICIAL)
    index.add_key(entry.name, target)
    words = normalize(entry.name).split()
    # "Le Havre" is "havre" in chat, "Les Sables-d'Olonne" is "sables d olonne"; but "La Touche"
    # is not "touche": only towns are known without their article.
    if (
        len(words) > 1
        and words[0] in ARTICLES
        and words[1] not in STOPWORDS
        and entry.population >= ARTICLE_FREE_MIN_POPULATION
    ):
        index.add_key(" ".join(words[1:]), KeyTarget(COMMUNE, entry.code, ALIAS))


def _add_arrondissement_keys(index: PlaceIndex, entry: CommuneEntry) -> None:
    target = KeyTarget(COMMUNE, entry.code, OFFICIAL)
    index.add_key(entry.name, target)
    words = normalize(entry.name).split()  # "paris 15 arrondissement"
    number = next((word for word in words if word.isdigit()), None)
    if number is not None:
        city = normalize(entry.commune_name)
        for text in (f"{city} {number}", f"{number} arrondissement {city}"):
            index.add_key(text, KeyTarget(COMMUNE, entry.code, ALIAS))


def _add_prefix_keys(index: PlaceIndex, rows: Iterable[Row[Any]]) -> None:
    """ "carhaix" for Carhaix-Plouguer, "la roche" for La Roche-sur-Yon: the first word (with
    its article) of a compound name, when one commune clearly owns it. A tiny commune with that
    exact name ("Aix", 350 inhabitants) does not hide a city twenty times bigger."""
    holders: dict[str, list[CommuneEntry]] = defaultdict(list)
    for row in rows:
        words = normalize(row.name).split()
        if words and words[0] in ARTICLES and len(words) > 2:
            words = [f"{words[0]} {words[1]}", *words[2:]]
        if row.kind == ARRONDISSEMENT or len(words) < 2:
            continue
        bare = words[0].split()[-1]
        shortest = 4 if " " in words[0] else 3  # "aix" alone, but not "l ile"
        if len(bare) >= shortest and bare not in STOPWORDS and bare not in GENERIC_FIRST_WORDS:
            holders[words[0]].append(index.communes[row.code])
    for prefix, entries in holders.items():
        entries.sort(key=lambda e: -e.population)
        dominant = len(entries) == 1 or entries[0].population >= 5 * max(entries[1].population, 1)
        named = [index.population(t) for t in index.keys.get(prefix, []) if t.level == COMMUNE]
        quality = PREFIX
        if named:
            if entries[0].population < max(BIG_PREFIX_POPULATION, 20 * max(named)):
                continue
            quality = OFFICIAL  # "aix" is Aix-en-Provence first, the village Aix second
        if dominant:
            entries = entries[:1]
        if len(entries) <= MAX_PREFIX_HOLDERS:
            for entry in entries:
                index.add_key(prefix, KeyTarget(COMMUNE, entry.code, quality))


def _add_areas(index: PlaceIndex, session: Session) -> None:
    population: dict[tuple[str, str], int] = defaultdict(int)
    largest: dict[tuple[str, str], CommuneEntry] = {}
    for entry in index.communes.values():
        if entry.is_arrondissement:
            continue
        areas = [(DEPARTEMENT, entry.departement), (REGION, entry.region)]
        areas += [(EPCI, group) for group in (entry.epci, entry.ept) if group]
        for pair in areas:
            population[pair] += entry.population
            if pair not in largest or entry.population > largest[pair].population:
                largest[pair] = entry

    def top(level: str, code: str) -> str | None:
        entry = largest.get((level, code))
        return entry.code if entry else None

    for code, name in session.execute(select(Region.code, Region.name)):
        size = population[(REGION, code)]
        _add_area(index, AreaEntry(REGION, code, name, size, None, code, None, top(REGION, code)))
    for code, name, region in session.execute(
        select(Departement.code, Departement.name, Departement.region_code)
    ):
        size = population[(DEPARTEMENT, code)]
        largest_code = top(DEPARTEMENT, code)
        _add_area(index, AreaEntry(DEPARTEMENT, code, name, size, code, region, None, largest_code))
    for code, name, kind, official_population in session.execute(
        select(Epci.code, Epci.name, Epci.kind, Epci.population)
    ):
        biggest = largest.get((EPCI, code))
        epci_entry = AreaEntry(
            EPCI,
            code,
            name,
            official_population or population[(EPCI, code)],
            biggest.departement if biggest else None,
            biggest.region if biggest else None,
            kind,
            biggest.code if biggest else None,
        )
        _add_area(index, epci_entry)
        _add_epci_variants(index, epci_entry)
    for alias, code in EPCI_ALIASES.items():
        if (EPCI, code) in index.areas:
            index.add_key(alias, KeyTarget(EPCI, code, ALIAS))
    for alias, code in REGION_ALIASES.items():
        if (REGION, code) in index.areas:
            index.add_key(alias, KeyTarget(REGION, code, ALIAS))


def _add_area(index: PlaceIndex, entry: AreaEntry) -> None:
    index.areas[(entry.level, entry.code)] = entry
    index.add_key(entry.name, KeyTarget(entry.level, entry.code, OFFICIAL))
    words = normalize(entry.name).split()
    if len(words) > 1 and words[0] in ARTICLES:  # "La Réunion" -> "reunion"
        index.add_key(" ".join(words[1:]), KeyTarget(entry.level, entry.code, ALIAS))


def _add_epci_variants(index: PlaceIndex, entry: AreaEntry) -> None:
    """ "CU de Dunkerque" is also "communaute urbaine de dunkerque" and "grand reims" for CU du
    Grand Reims; a bare core that is a commune name is left to the commune (and its EPCI
    comes through "métropole de ..." triggers instead)."""
    name = normalize(entry.name)
    first, _, rest = name.partition(" ")
    if first in EPCI_ABBREVIATIONS and rest:
        index.add_key(f"{EPCI_ABBREVIATIONS[first]} {rest}", KeyTarget(EPCI, entry.code, ALIAS))
    core = name
    for prefix in EPCI_PREFIXES:
        if core.startswith(prefix):
            core = core[len(prefix) :]
            break
    for connector in CONNECTORS:
        if core.startswith(connector):
            core = core[len(connector) :]
            break
    if core == name or len(core) < 5 or core in STOPWORDS or core in index.keys:
        return
    index.add_key(core, KeyTarget(EPCI, entry.code, EPCI_CORE))


def _add_aliases(index: PlaceIndex, session: Session) -> None:
    for commune_code, kind, code, name in session.execute(
        select(CommuneAlias.commune_code, CommuneAlias.kind, CommuneAlias.code, CommuneAlias.name)
    ):
        if kind == ALIAS_FORMER_CODE:
            if code not in index.communes:
                index.former_codes[code] = commune_code
        elif name and normalize(name) != normalize(index.communes[commune_code].name):
            index.add_key(name, KeyTarget(COMMUNE, commune_code, SUB_COMMUNE))
