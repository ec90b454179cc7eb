"""Read the shipped territory file (``knowledge/data/territories/territories.json.gz``).

The file is built by ``scripts/build_territories.py``; its row layouts are documented here
because the loader, the code look-ups and the tests all read it.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "territories" / "territories.json.gz"
SUPPORTED_FORMAT = 1


class RegionRow(NamedTuple):
    code: str
    name: str
    zone: str
    chef_lieu: str


class DepartementRow(NamedTuple):
    code: str
    name: str
    region: str
    zone: str
    chef_lieu: str


class EpciRow(NamedTuple):
    code: str
    name: str
    kind: str
    population: int | None


class CommuneRow(NamedTuple):
    code: str
    name: str
    departement: str
    region: str
    population: int | None
    postcodes: list[str]
    epci: str | None
    ept: str | None
    former_codes: list[str]
    zone: str


class ArrondissementRow(NamedTuple):
    code: str
    name: str
    commune: str
    population: int | None
    postcodes: list[str]


class SubCommuneRow(NamedTuple):
    code: str
    name: str
    kind: str  # deleguee | associee
    commune: str


class ShippedTerritories(NamedTuple):
    source: dict[str, Any]
    regions: list[RegionRow]
    departements: list[DepartementRow]
    epci: list[EpciRow]
    communes: list[CommuneRow]
    arrondissements: list[ArrondissementRow]
    sub_communes: list[SubCommuneRow]


def read_territories(path: Path = DATA_PATH) -> ShippedTerritories:
    """Parse a territory file; raises ``ValueError`` on an unknown format."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        document = json.load(handle)
    if document.get("format") != SUPPORTED_FORMAT:
        raise ValueError(f"{path}: unsupported territory format {document.get('format')!r}")
    return ShippedTerritories(
        source=document["source"],
        regions=[RegionRow(*row) for row in document["regions"]],
        departements=[DepartementRow(*row) for row in document["departements"]],
        epci=[EpciRow(*row) for row in document["epci"]],
        communes=[CommuneRow(*row) for row in document["communes"]],
        arrondissements=[ArrondissementRow(*row) for row in document["arrondissements"]],
        sub_communes=[SubCommuneRow(*row) for row in document["sub_communes"]],
    )


@lru_cache(maxsize=1)
def shipped_territories() -> ShippedTerritories:
    """The shipped file, parsed once per process (read-only: do not mutate the rows)."""
    return read_territories()
