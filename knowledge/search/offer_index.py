"""In-process offer index, rebuilt when an import bumps ``offers_version``.

100,000 offers are searched in memory: sets per filter, an inverted index on titles
and ROME codes, and a list of offers from newest to oldest for searches without text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models.offer import Offer
from knowledge.search.scopes import commune_scopes
from knowledge.search.token_index import TokenIndex, index_tokens
from knowledge.versioning import OFFERS_VERSION, VersionedCache
from knowledge.views import OfferView

_COLUMNS = (
    Offer.id,
    Offer.source,
    Offer.external_id,
    Offer.title,
    Offer.employer,
    Offer.commune_insee,
    Offer.commune_name,
    Offer.contract_type,
    Offer.contract_duration_months,
    Offer.contract_text,
    Offer.working_hours,
    Offer.schedule_tags,
    Offer.alternance,
    Offer.rome_code,
    Offer.description,
    Offer.apply_url,
    Offer.apply_email,
    Offer.apply_phone,
    Offer.apply_text,
    Offer.posted_on,
    Offer.expires_on,
    Offer.is_demo,
    Offer.source_url,
    Offer.epci_code,
    Offer.departement_code,
)

_VIEW_FIELDS = [column.key for column in _COLUMNS[:-2]]


@dataclass
class OfferIndex:
    views: list[OfferView] = field(default_factory=list)
    tokens: TokenIndex = field(default_factory=TokenIndex)
    by_place: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    by_contract: dict[str, set[int]] = field(default_factory=dict)
    by_tag: dict[str, set[int]] = field(default_factory=dict)
    alternance: set[int] = field(default_factory=set)
    newest_first: list[int] = field(default_factory=list)
    # Dates as ordinals, so ranking and expiry compare plain ints.
    posted: list[int] = field(default_factory=list)
    expires: list[int] = field(default_factory=list)
    _scopes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def scopes(self, session: Session, commune: str) -> list[tuple[str, str]]:
        cached = self._scopes.get(commune)
        if cached is None:
            cached = commune_scopes(session, commune)
            if len(self._scopes) < 100_000:
                self._scopes[commune] = cached
        return cached

    def add(self, row: tuple[object, ...]) -> None:
        doc = len(self.views)
        *fields, epci, departement = row
        values = dict(zip(_VIEW_FIELDS, fields, strict=True))
        values["schedule_tags"] = tuple(str(values["schedule_tags"]).split())
        view = OfferView(**values)  # type: ignore[arg-type]
        self.views.append(view)
        self.posted.append(view.posted_on.toordinal())
        self.expires.append(view.expires_on.toordinal())
        words = index_tokens(view.title)
        if view.rome_code:
            words.append(view.rome_code.lower())
        self.tokens.add(doc, words)
        self.by_place.setdefault(("commune", view.commune_insee), []).append(doc)
        if epci:
            self.by_place.setdefault(("epci", str(epci)), []).append(doc)
        self.by_place.setdefault(("departement", str(departement)), []).append(doc)
        self.by_contract.setdefault(view.contract_type, set()).add(doc)
        for tag in view.schedule_tags:
            self.by_tag.setdefault(tag, set()).add(doc)
        if view.alternance:
            self.alternance.add(doc)


def offer_index(session: Session) -> OfferIndex:
    """The index for this session's database at its current data version."""
    return _cache.get(session)


def _build(session: Session) -> OfferIndex:
    index = OfferIndex()
    for row in session.execute(select(*_COLUMNS).order_by(Offer.id)):
        index.add(tuple(row))
    index.tokens.freeze()
    index.newest_first = sorted(range(len(index.views)), key=index.posted.__getitem__, reverse=True)
    return index


def clear_cache() -> None:
    _cache.clear()


_cache: VersionedCache[OfferIndex] = VersionedCache(OFFERS_VERSION, _build)
