"""Territory code look-ups: existence checks and the ancestor chain of a commune.

Two flavours: the database one (``territory_exists``, ``ancestors``: take the caller's
session) and a database-free one on the shipped file (``shipped_codes``,
``shipped_ancestors``, ``former_commune_codes``), for validating YAML before anything is loaded.

Scopes are those of the YAML ``territory.scope`` field, plus ``ept`` (the établissements publics
territoriaux around Paris, also accepted under ``epci`` since they are EPCI too).
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models.territory import Commune, Departement, Epci, Region
from knowledge.territories.data import shipped_territories

SCOPES = ("national", "region", "departement", "epci", "ept", "commune")
NATIONAL_CODE = "FR"
EPT_KIND = "EPT"

Ancestors = list[tuple[str, str]]


def territory_exists(session: Session, scope: str, code: str) -> bool:
    """Whether ``code`` names a loaded territory of ``scope``.

    ``national`` accepts only "FR" (national schemes normally list no code at all).
    ``commune`` accepts current communes and the arrondissements of Paris, Lyon and Marseille,
    not the codes retired by mergers (see ``former_commune_codes``).
    """
    if scope == "national":
        return code == NATIONAL_CODE
    if scope == "region":
        statement = select(Region.code).where(Region.code == code)
    elif scope == "departement":
        statement = select(Departement.code).where(Departement.code == code)
    elif scope == "epci":
        statement = select(Epci.code).where(Epci.code == code)
    elif scope == "ept":
        statement = select(Epci.code).where(Epci.code == code, Epci.kind == EPT_KIND)
    elif scope == "commune":
        statement = select(Commune.code).where(Commune.code == code)
    else:
        raise ValueError(f"unknown territory scope {scope!r}; expected one of {SCOPES}")
    return session.execute(statement.limit(1)).first() is not None


def ancestors(session: Session, commune_insee: str) -> Ancestors:
    """The commune and every territory containing it, finest first.

    ``[("commune", insee), ("ept", siren)?, ("epci", siren)?, ("departement", code),
    ("region", code)]``. For an arrondissement municipal, the arrondissement comes first and
    its commune second (so the scope ``commune`` appears twice). Unknown code: ``[]``.
    """
    commune = session.get(Commune, commune_insee)
    if commune is None:
        return []
    chain: Ancestors = [("commune", commune.code)]
    if commune.parent_code is not None:
        chain.append(("commune", commune.parent_code))
    return chain + _groups_chain(
        commune.ept_code, commune.epci_code, commune.departement_code, commune.region_code
    )


def _groups_chain(ept: str | None, epci: str | None, departement: str, region: str) -> Ancestors:
    chain: Ancestors = []
    if ept is not None:
        chain.append(("ept", ept))
    if epci is not None:
        chain.append(("epci", epci))
    chain.append(("departement", departement))
    chain.append(("region", region))
    return chain


@lru_cache(maxsize=1)
def shipped_codes() -> dict[str, frozenset[str]]:
    """Every valid code per scope in the shipped file (no database needed).

    >>> "59350" in shipped_codes()["commune"]    # Lille
    True
    """
    data = shipped_territories()
    return {
        "national": frozenset({NATIONAL_CODE}),
        "region": frozenset(r.code for r in data.regions),
        "departement": frozenset(d.code for d in data.departements),
        "epci": frozenset(e.code for e in data.epci),
        "ept": frozenset(e.code for e in data.epci if e.kind == EPT_KIND),
        "commune": frozenset(
            [c.code for c in data.communes] + [a.code for a in data.arrondissements]
        ),
    }


@lru_cache(maxsize=1)
def shipped_names() -> dict[str, dict[str, str]]:
    """Official name per code and scope, e.g. ``shipped_names()["epci"]["200093201"]``."""
    data = shipped_territories()
    epci = {e.code: e.name for e in data.epci}
    return {
        "national": {NATIONAL_CODE: "France"},
        "region": {r.code: r.name for r in data.regions},
        "departement": {d.code: d.name for d in data.departements},
        "epci": epci,
        "ept": {e.code: e.name for e in data.epci if e.kind == EPT_KIND},
        "commune": {c.code: c.name for c in data.communes}
        | {a.code: a.name for a in data.arrondissements},
    }


@lru_cache(maxsize=1)
def former_commune_codes() -> dict[str, str]:
    """INSEE codes retired by commune mergers -> the current commune code.

    Lets ``validate`` say "59298 is now 59350" instead of just "unknown code".
    """
    current = shipped_codes()["commune"]
    return {
        old: c.code
        for c in shipped_territories().communes
        for old in c.former_codes
        if old not in current
    }


@lru_cache(maxsize=1)
def _shipped_chains() -> dict[str, Ancestors]:
    data = shipped_territories()
    chains: dict[str, Ancestors] = {}
    for c in data.communes:
        chains[c.code] = [("commune", c.code)] + _groups_chain(
            c.ept, c.epci, c.departement, c.region
        )
    for a in data.arrondissements:
        chains[a.code] = [("commune", a.code)] + chains[a.commune]
    return chains


def shipped_ancestors(commune_insee: str) -> Ancestors:
    """``ancestors`` computed from the shipped file instead of the database."""
    return list(_shipped_chains().get(commune_insee, []))
