"""Load the shipped territory file into the database (replace, in the caller's transaction).

The territory tables are reference data with no user edits, so loading replaces them whole:
delete then bulk insert (executemany through Core ``insert``), which is both idempotent and
far faster than a row-by-row upsert. The caller owns the session and commits.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import delete, insert, text
from sqlalchemy.orm import Session
from tqdm import tqdm

from knowledge.models.territory import (
    ALIAS_FORMER_CODE,
    ARRONDISSEMENT,
    COMMUNE,
    Commune,
    CommuneAlias,
    CommunePostcode,
    Departement,
    Epci,
    Region,
)
from knowledge.search.place import invalidate_place_index
from knowledge.territories.data import ShippedTerritories, shipped_territories

CHUNK_SIZE = 5000
_CHILDREN_FIRST: tuple[type[Any], ...] = (
    CommuneAlias,
    CommunePostcode,
    Commune,
    Epci,
    Departement,
    Region,
)

Row = dict[str, Any]


def load_territories(
    session: Session, *, progress: bool = False, data: ShippedTerritories | None = None
) -> dict[str, int]:
    """Replace every territory row with the shipped data; return the row counts.

    ``data`` defaults to the shipped file; tests may pass a smaller ``ShippedTerritories``.
    """
    data = data if data is not None else shipped_territories()
    tables = _rows(data)
    _delete_all(session)
    total = sum(len(rows) for _, _, rows in tables)
    with tqdm(total=total, disable=not progress, unit="row", desc="territories") as bar:
        for _, model, rows in tables:
            for chunk in _chunks(rows):
                session.execute(insert(model), chunk)
                bar.update(len(chunk))
    session.flush()
    bind = session.get_bind()
    invalidate_place_index(bind)
    counts = {name: len(rows) for name, _, rows in tables}
    ept = sum(1 for row in data.epci if row.kind == "EPT")
    counts["ept"] = ept
    counts["epci"] -= ept
    return counts


def _delete_all(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        # One TRUNCATE is much faster than row-by-row foreign-key checks; still transactional.
        tables = ", ".join(model.__tablename__ for model in _CHILDREN_FIRST)
        session.execute(text(f"TRUNCATE TABLE {tables}"))
        return
    # Children before parents, arrondissements before their communes, so foreign keys hold.
    session.execute(delete(CommuneAlias))
    session.execute(delete(CommunePostcode))
    session.execute(delete(Commune).where(Commune.parent_code.is_not(None)))
    for model in _CHILDREN_FIRST[2:]:
        session.execute(delete(model))


def _rows(data: ShippedTerritories) -> list[tuple[str, type[Any], list[Row]]]:
    """Insert order: parents first (regions, then départements, ..., then aliases)."""
    communes: list[Row] = []
    arrondissements: list[Row] = []
    postcodes: list[Row] = []
    aliases: list[Row] = []
    by_code: dict[str, Row] = {}
    for c in data.communes:
        row = {
            "code": c.code,
            "name": c.name,
            "kind": COMMUNE,
            "parent_code": None,
            "departement_code": c.departement,
            "region_code": c.region,
            "epci_code": c.epci,
            "ept_code": c.ept,
            "population": c.population,
            "zone": c.zone,
        }
        communes.append(row)
        by_code[c.code] = row
        postcodes += [{"commune_code": c.code, "postcode": p} for p in c.postcodes]
        aliases += [
            {"commune_code": c.code, "kind": ALIAS_FORMER_CODE, "code": old, "name": None}
            for old in c.former_codes
        ]
    for a in data.arrondissements:
        parent = by_code[a.commune]
        arrondissements.append(
            {
                **parent,
                "code": a.code,
                "name": a.name,
                "kind": ARRONDISSEMENT,
                "parent_code": a.commune,
                "population": a.population,
            }
        )
        postcodes += [{"commune_code": a.code, "postcode": p} for p in a.postcodes]
    aliases += [
        {"commune_code": s.commune, "kind": s.kind, "code": s.code, "name": s.name}
        for s in data.sub_communes
    ]
    return [
        ("regions", Region, [r._asdict() for r in data.regions]),
        (
            "departements",
            Departement,
            [
                {
                    "code": d.code,
                    "name": d.name,
                    "region_code": d.region,
                    "zone": d.zone,
                    "chef_lieu": d.chef_lieu,
                }
                for d in data.departements
            ],
        ),
        ("epci", Epci, [e._asdict() for e in data.epci]),
        ("communes", Commune, communes),
        ("arrondissements", Commune, arrondissements),
        ("postcodes", CommunePostcode, postcodes),
        ("aliases", CommuneAlias, aliases),
    ]


def _chunks(rows: Sequence[Row]) -> Iterator[list[Row]]:
    for start in range(0, len(rows), CHUNK_SIZE):
        yield list(rows[start : start + CHUNK_SIZE])
