"""Resolve a place named in free text to a commune, an EPCI, a département or a région.

``resolve_place(session, "jhabite a roubaix")`` -> Roubaix with its EPCI, département, région.
Pipeline: normalise (``place_text``), then look up codes (postcode, INSEE, SIREN, "dans le 93"),
then exact names over word windows (longest first), then, only when nothing exact was found,
rapidfuzz on the remaining words; context rules keep ordinary words ("avec plaisir", "bonjour")
from becoming communes (``place_rank``). The index lives in memory, one per engine
(``place_index``): no query touches the database once it is built.

Levels: an EPCI, département or région match leaves the commune fields empty (the data has no
EPCI seat, and the person did not name a commune); an EPCI's département and région are those of
its most populous member, and ``largest_commune_*`` names that commune for callers that need one.
An EPT ("Plaine Commune") is an EPCI-level match with ``epci_code == ept_code == its SIREN``.
Arrondissements ("Paris 15", "13008") give the commune (75056) plus ``arrondissement_*``.
``PlaceMatch.territories()`` gives the chain used to rank schemes, finest first.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from knowledge.search.place_candidates import Candidate
from knowledge.search.place_index import COMMUNE, DEPARTEMENT, EPCI, REGION, PlaceIndex
from knowledge.search.place_index_build import build_place_index
from knowledge.search.place_rank import MIN_SCORE, find_candidates
from knowledge.search.place_text import tokens

__all__ = [
    "MIN_SCORE",
    "PlaceMatch",
    "get_place_index",
    "invalidate_place_index",
    "resolve_place",
    "resolve_place_candidates",
]


@dataclass(frozen=True)
class PlaceMatch:
    """A resolved place. ``level`` says how precise it is; finer fields are None above it."""

    commune_insee: str | None
    commune_name: str | None
    postcode: str | None
    epci_code: str | None
    epci_name: str | None
    departement_code: str | None
    departement_name: str | None
    region_code: str | None
    region_name: str | None
    score: int
    matched_on: str  # postcode | insee | name | fuzzy | epci | departement | region
    level: str  # commune | epci | departement | region
    ept_code: str | None = None
    ept_name: str | None = None
    arrondissement_insee: str | None = None
    arrondissement_name: str | None = None
    # For an EPCI, EPT, département or région: its most populous commune, which callers may use
    # to stand for the area (the data has no EPCI seat). None for a commune match.
    largest_commune_insee: str | None = None
    largest_commune_name: str | None = None

    def territories(self) -> list[tuple[str, str]]:
        """(scope, code) from the finest known territory to the région."""
        pairs = [
            ("commune", self.arrondissement_insee),
            ("commune", self.commune_insee),
            ("ept", self.ept_code),
            ("epci", self.epci_code),
            ("departement", self.departement_code),
            ("region", self.region_code),
        ]
        chain = [(scope, code) for scope, code in pairs if code is not None]
        return [pair for i, pair in enumerate(chain) if pair not in chain[:i]]


_indexes: weakref.WeakKeyDictionary[Engine, PlaceIndex] = weakref.WeakKeyDictionary()
_indexes_lock = threading.Lock()


def _engine_of(bind: Engine | Connection) -> Engine:
    return bind if isinstance(bind, Engine) else bind.engine


def get_place_index(session: Session) -> PlaceIndex:
    """The index of the session's engine, built on first use (about a second)."""
    engine = _engine_of(session.get_bind())
    with _indexes_lock:
        index = _indexes.get(engine)
        if index is None:
            index = build_place_index(session)
            if index.communes:  # an empty database may be loaded later: do not cache it
                _indexes[engine] = index
        return index


def invalidate_place_index(bind: Engine | Connection) -> None:
    """Forget the index of an engine (called by the territory loader after a reload)."""
    with _indexes_lock:
        _indexes.pop(_engine_of(bind), None)


def resolve_place(session: Session, text: str) -> PlaceMatch | None:
    """The most likely place named in ``text``, or None when nothing is convincing."""
    matches = resolve_place_candidates(session, text, limit=1)
    return matches[0] if matches and matches[0].score >= MIN_SCORE else None


def resolve_place_candidates(session: Session, text: str, limit: int = 3) -> list[PlaceMatch]:
    """The best distinct places for ``text``, best first, to ask "which one?" when unsure."""
    if not isinstance(text, str) or limit < 1:
        return []
    index = get_place_index(session)
    if not index.communes:
        return []
    words = tokens(text)
    candidates = find_candidates(index, words)
    typed = {c.postcode for c in candidates if c.matched_on == "postcode" and c.postcode}
    return [_to_match(index, c, typed) for c in candidates[:limit]]


def _to_match(index: PlaceIndex, c: Candidate, typed_postcodes: set[str]) -> PlaceMatch:
    target = c.target
    score = int(round(max(0.0, min(100.0, c.score))))
    if target.level == COMMUNE:
        entry = index.communes[target.code]
        postcode = c.postcode or next(
            (p for p in entry.postcodes if p in typed_postcodes),
            entry.postcodes[0] if entry.postcodes else None,
        )
        arrondissement = entry.is_arrondissement
        return PlaceMatch(
            commune_insee=entry.commune_code,
            commune_name=entry.commune_name,
            postcode=postcode,
            **_group_fields(index, entry.epci, entry.ept),
            **_area_fields(index, entry.departement, entry.region),
            score=score,
            matched_on=c.matched_on,
            level=COMMUNE,
            arrondissement_insee=entry.code if arrondissement else None,
            arrondissement_name=entry.name if arrondissement else None,
        )
    area = index.areas[(target.level, target.code)]
    groups = {}
    if target.level == EPCI:
        groups = _group_fields(
            index,
            None if area.kind == "EPT" else area.code,
            area.code if area.kind == "EPT" else None,
        )
        if area.kind == "EPT":  # an EPT is an EPCI too: callers filtering on epci_code see it
            groups.update(epci_code=area.code, epci_name=area.name)
    return PlaceMatch(
        commune_insee=None,
        commune_name=None,
        postcode=None,
        **{"epci_code": None, "epci_name": None, "ept_code": None, "ept_name": None, **groups},
        **_area_fields(index, area.departement, area.region),
        score=score,
        matched_on=c.matched_on,
        level=target.level,
        largest_commune_insee=area.largest_commune,
        largest_commune_name=(
            index.communes[area.largest_commune].name if area.largest_commune else None
        ),
    )


def _group_fields(index: PlaceIndex, epci: str | None, ept: str | None) -> dict[str, str | None]:
    epci_area = index.areas.get((EPCI, epci)) if epci else None
    ept_area = index.areas.get((EPCI, ept)) if ept else None
    return {
        "epci_code": epci,
        "epci_name": epci_area.name if epci_area else None,
        "ept_code": ept,
        "ept_name": ept_area.name if ept_area else None,
    }


def _area_fields(
    index: PlaceIndex, departement: str | None, region: str | None
) -> dict[str, str | None]:
    dep = index.areas.get((DEPARTEMENT, departement)) if departement else None
    reg = index.areas.get((REGION, region)) if region else None
    return {
        "departement_code": departement,
        "departement_name": dep.name if dep else None,
        "region_code": region,
        "region_name": reg.name if reg else None,
    }
