"""Offer search: job words (typos allowed), place, contract, alternance and hours.

``reasons`` are ``"kind:value"`` codes for the actions to word through the domain:
``title:<offer title>`` (the text matched), ``place:<commune|epci|departement>``,
``contract:<type>``, ``alternance:yes``, ``schedule:<tag>``, and ``demo:yes`` for an
offer of the demonstration set (which must be said to the user).

Place is a commune: offers there come first, then its EPCI, then its département;
offers further away are left out. Text relevance dominates, then place, then newest.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from knowledge.offers.vocabulary import contract_type, schedule_wanted
from knowledge.search.offer_index import OfferIndex, offer_index
from knowledge.search.token_index import index_tokens
from knowledge.views import OfferHit

MIN_TEXT_SCORE = 60.0
PLACE_BONUS = {"commune": 10.0, "epci": 6.0, "departement": 3.0}
_DAYTIME_EXCLUDED = ("night", "evening", "early")


def search_offers(
    session: Session,
    *,
    text: str | None = None,
    commune_insee: str | None = None,
    contract: str | None = None,
    alternance: bool | None = None,
    schedule: str | None = None,
    limit: int = 3,
    offset: int = 0,
    today: dt.date | None = None,
) -> list[OfferHit]:
    """Open offers matching the criteria, best first (see the module docstring)."""
    index = offer_index(session)
    today = today or dt.date.today()
    contract_code = contract_type(contract) if contract else None
    tag = schedule_wanted(schedule) if schedule else None
    allowed = _filtered(index, contract_code, alternance, tag)
    places = _places(session, index, commune_insee)
    if places is not None:
        allowed = set(places) if allowed is None else allowed & places.keys()
    words = index_tokens(text or "")
    wanted = offset + limit
    if words:
        coverage = index.tokens.score(words, allowed=allowed)
        ranked = sorted(
            (
                (100.0 * value + PLACE_BONUS.get(places.get(doc, "") if places else "", 0.0), doc)
                for doc, value in coverage.items()
                if 100.0 * value >= MIN_TEXT_SCORE and index.is_open(doc, today)
            ),
            key=lambda item: (-item[0], -index.views[item[1]].posted_on.toordinal()),
        )[offset:wanted]
    elif places is not None:
        ranked = sorted(
            (
                (PLACE_BONUS[places[doc]], doc)
                for doc in (allowed or ())
                if index.is_open(doc, today)
            ),
            key=lambda item: (-item[0], -index.views[item[1]].posted_on.toordinal()),
        )[offset:wanted]
    else:
        ranked = _newest(index, allowed, today, wanted)[offset:]
    return [
        OfferHit(
            offer=index.views[doc],
            score=round(score, 1),
            reasons=_reasons(index, doc, bool(words), places, contract_code, alternance, tag),
        )
        for score, doc in ranked
    ]


def _filtered(
    index: OfferIndex, contract: str | None, alternance: bool | None, tag: str | None
) -> set[int] | None:
    sets: list[set[int]] = []
    if contract:
        sets.append(index.by_contract.get(contract, set()))
    if alternance is True:
        sets.append(index.alternance)
    if tag and tag != "day":
        sets.append(index.by_tag.get(tag, set()))
    sets.sort(key=len)  # intersect starting from the smallest set
    allowed = set(sets[0]) if sets else None
    if allowed is not None:
        for other in sets:
            allowed &= other
    if alternance is False or tag == "day":
        excluded: set[int] = set(index.alternance) if alternance is False else set()
        if tag == "day":
            for daytime_tag in _DAYTIME_EXCLUDED:
                excluded |= index.by_tag.get(daytime_tag, set())
        base = allowed if allowed is not None else set(range(len(index.views)))
        allowed = base - excluded
    return allowed


def _places(session: Session, index: OfferIndex, commune: str | None) -> dict[int, str] | None:
    if commune is None:
        return None
    places: dict[int, str] = {}
    for scope, code in reversed(index.scopes(session, commune)):
        if scope in PLACE_BONUS:
            for doc in index.by_place.get((scope, code), ()):
                places[doc] = scope
    return places


def _newest(
    index: OfferIndex, allowed: set[int] | None, today: dt.date, wanted: int
) -> list[tuple[float, int]]:
    found: list[tuple[float, int]] = []
    for doc in index.newest_first:
        if (allowed is None or doc in allowed) and index.is_open(doc, today):
            found.append((0.0, doc))
            if len(found) >= wanted:
                break
    return found


def _reasons(
    index: OfferIndex,
    doc: int,
    matched_text: bool,
    places: dict[int, str] | None,
    contract: str | None,
    alternance: bool | None,
    tag: str | None,
) -> list[str]:
    view = index.views[doc]
    reasons = [f"title:{view.title}"] if matched_text else []
    if places is not None and doc in places:
        reasons.append(f"place:{places[doc]}")
    if contract:
        reasons.append(f"contract:{view.contract_type}")
    if alternance:
        reasons.append("alternance:yes")
    if tag and tag in view.schedule_tags:
        reasons.append(f"schedule:{tag}")
    if view.is_demo:
        reasons.append("demo:yes")
    return reasons
