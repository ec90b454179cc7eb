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
import heapq
from collections.abc import Callable, Container

from sqlalchemy.orm import Session

from knowledge.offers.vocabulary import contract_type, schedule_wanted
from knowledge.search.offer_index import OfferIndex, offer_index
from knowledge.search.schemes import MAX_QUERY_CHARS, MAX_QUERY_WORDS
from knowledge.search.token_index import index_tokens
from knowledge.views import OfferHit

MIN_TEXT_SCORE = 60.0
PLACE_BONUS = {"commune": 10.0, "epci": 6.0, "departement": 3.0}
_DAYTIME_EXCLUDED = ("night", "evening", "early")
_NOTHING: frozenset[int] = frozenset()


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
    contract_code = contract_type(contract) if contract else None
    tag = schedule_wanted(schedule) if schedule else None
    places = _places(session, index, commune_insee)
    keep = _filter(
        index, (today or dt.date.today()).toordinal(), places, contract_code, alternance, tag
    )
    words = index_tokens((text or "")[:MAX_QUERY_CHARS])[:MAX_QUERY_WORDS]
    wanted = offset + limit
    bonus = PLACE_BONUS.get
    if words:
        coverage = index.tokens.score(words, allowed=places)
        ranked = heapq.nsmallest(
            wanted,
            (
                (
                    -(100.0 * value + (bonus(places[doc], 0.0) if places else 0.0)),
                    -index.posted[doc],
                    doc,
                )
                for doc, value in coverage.items()
                if 100.0 * value >= MIN_TEXT_SCORE and keep(doc)
            ),
        )
    elif places is not None:
        ranked = heapq.nsmallest(
            wanted,
            (
                (-PLACE_BONUS[scope], -index.posted[doc], doc)
                for doc, scope in places.items()
                if keep(doc)
            ),
        )
    else:
        ranked = []
        for doc in index.newest_first:
            if keep(doc):
                ranked.append((0.0, 0, doc))
                if len(ranked) >= wanted:
                    break
    return [
        OfferHit(
            offer=index.views[doc],
            score=round(-negative_score, 1),
            reasons=_reasons(index, doc, bool(words), places, contract_code, alternance, tag),
        )
        for negative_score, _, doc in ranked[offset:]
    ]


def _filter(
    index: OfferIndex,
    today: int,
    places: dict[int, str] | None,
    contract: str | None,
    alternance: bool | None,
    tag: str | None,
) -> Callable[[int], bool]:
    """A membership test combining every filter (sets are shared, never copied)."""
    required: list[Container[int]] = []
    excluded: list[Container[int]] = []
    if places is not None:
        required.append(places)
    if contract:
        required.append(index.by_contract.get(contract, _NOTHING))
    if alternance is True:
        required.append(index.alternance)
    elif alternance is False:
        excluded.append(index.alternance)
    if tag == "day":
        excluded.extend(index.by_tag.get(t, _NOTHING) for t in _DAYTIME_EXCLUDED)
    elif tag:
        required.append(index.by_tag.get(tag, _NOTHING))
    expires = index.expires

    def keep(doc: int) -> bool:
        if expires[doc] < today:
            return False
        for documents in required:
            if doc not in documents:
                return False
        return not any(doc in documents for documents in excluded)

    return keep


def _places(session: Session, index: OfferIndex, commune: str | None) -> dict[int, str] | None:
    if commune is None:
        return None
    places: dict[int, str] = {}
    for scope, code in reversed(index.scopes(session, commune)):
        if scope in PLACE_BONUS:
            for doc in index.by_place.get((scope, code), ()):
                places[doc] = scope
    return places


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
