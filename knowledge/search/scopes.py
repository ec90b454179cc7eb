"""The territories a commune belongs to, from the territories module, ranked local first."""

from __future__ import annotations

from sqlalchemy.orm import Session

# Lower is closer to the person: local schemes come first.
LOCALITY_RANK = {"commune": 0, "epci": 1, "departement": 2, "region": 3, "national": 4}


def commune_scopes(session: Session, commune_insee: str) -> list[tuple[str, str]]:
    """``[("commune", c), ("epci", e), ("departement", d), ("region", r)]`` for a commune.

    The EPT of the Grand Paris communes are EPCI in the YAML vocabulary, so they are
    reported under ``epci`` (before the Métropole itself). An unknown commune still
    matches records that name its code directly.
    """
    from knowledge.territories.codes import ancestors

    scopes: list[tuple[str, str]] = []
    for scope, code in ancestors(session, commune_insee):
        pair = ("epci" if scope == "ept" else str(scope), str(code))
        if pair not in scopes:
            scopes.append(pair)
    if ("commune", commune_insee) not in scopes:
        scopes.insert(0, ("commune", commune_insee))
    return scopes
