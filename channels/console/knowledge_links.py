"""What the console reads from the knowledge base: scheme names and local offices.

Both are best effort: a missing or empty knowledge base must never stop a hand-off.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from knowledge.db import session_factory_for

logger = logging.getLogger(__name__)

# Offices a person without an adviser can turn to, local first, by who they are: a parent or a
# worker over 25 has nothing to do at a mission locale (16-25s), a disabled worker has Cap emploi.
OFFICE_KINDS = ("mission_locale", "france_travail", "cap_emploi")
KINDS_BY_PROFILE = {
    "young": ("mission_locale", "france_travail", "public_service"),
    "adult": ("france_travail", "public_service"),
    "disabled": ("cap_emploi", "france_travail", "public_service"),
    "parent": ("caf", "public_service", "france_travail"),
}
MAX_OFFICES = 3
MAX_SEARCH = 6
# National records are either bodies (EPIDE, OFII...) or the official finders that give the
# nearest office for any commune (knowledge/data/organisations/national_finders.yml): only the
# finders are a contact for "someone near you".
FINDER_PREFIX = "trouver-"
YOUNG_MAX_AGE = 25
_YOUNG_STATUSES = {"young", "student", "apprentice"}
_PARENT_STATUSES = {"parent", "single_parent"}


def profile_of(user_status: str | None, age: float | None) -> str:
    """`young`, `adult`, `disabled` or `parent`: which offices fit the person."""
    if user_status == "disabled_worker":
        return "disabled"
    young = age is not None and age <= YOUNG_MAX_AGE
    if young or (age is None and user_status in _YOUNG_STATUSES):
        return "young"
    if user_status in _PARENT_STATUSES:
        return "parent"
    return "adult"


@dataclass(frozen=True)
class Office:
    """Contacts of an office exactly as the source printed them, with their date."""

    name: str
    phone: str | None
    email: str | None
    url: str | None
    address: str | None
    information_date: str


@dataclass(frozen=True)
class SchemeCard:
    """A scheme as an adviser sends it: never an amount or condition we would have to reword."""

    id: str
    name: str
    summary: str
    source: str | None
    information_date: str


class KnowledgeLinks:
    """Read-only look-ups in the knowledge base at `database_url`."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url

    def _scheme_names(self, ids: list[str]) -> dict[str, str]:
        from knowledge.search.schemes import get_scheme

        names: dict[str, str] = {}
        with session_factory_for(self.database_url)() as session:
            for scheme_id in ids:
                view = get_scheme(session, scheme_id)
                if view is not None:
                    names[scheme_id] = view.name
        return names

    def _offices(self, commune_insee: str | None, kinds: tuple[str, ...]) -> list[Office]:
        from sqlalchemy import select

        from knowledge.models.scheme import Organisation
        from knowledge.search.schemes import organisations_for
        from knowledge.views import organisation_view

        with session_factory_for(self.database_url)() as session:
            if commune_insee:
                found = organisations_for(session, commune_insee=commune_insee, kinds=kinds)
            else:
                rows = session.scalars(
                    select(Organisation)
                    .where(Organisation.kind.in_(kinds), Organisation.territory_scope == "national")
                    .order_by(Organisation.name)
                ).all()
                found = [organisation_view(row.payload) for row in rows]
        found = [
            o for o in found if o.territory.scope != "national" or o.id.startswith(FINDER_PREFIX)
        ]
        # Most useful kind first, local before national within a kind (organisations_for's order).
        found = sorted(found, key=lambda o: kinds.index(o.kind) if o.kind in kinds else len(kinds))
        offices = [
            Office(
                name=o.name,
                phone=o.contacts.phone,
                email=o.contacts.email,
                url=o.contacts.url,
                address=o.contacts.address,
                information_date=o.information_date.isoformat(),
            )
            for o in found
            if o.contacts.phone or o.contacts.email or o.contacts.url or o.contacts.address
        ]
        return offices[:MAX_OFFICES]

    def _search(self, query: str) -> list[dict[str, str]]:
        from knowledge.search.schemes import search_schemes

        with session_factory_for(self.database_url)() as session:
            hits = search_schemes(session, text=query, limit=MAX_SEARCH)
        return [
            {"id": h.scheme.id, "name": h.scheme.name, "summary": h.scheme.summary} for h in hits
        ]

    def _card(self, scheme_id: str) -> SchemeCard | None:
        from knowledge.search.schemes import get_scheme

        with session_factory_for(self.database_url)() as session:
            view = get_scheme(session, scheme_id)
        if view is None:
            return None
        citation = view.citation
        return SchemeCard(
            id=view.id,
            name=view.name,
            summary=view.summary,
            source=citation.text if citation else None,
            information_date=view.information_date.strftime("%d/%m/%Y"),
        )

    async def search(self, query: str) -> list[dict[str, str]]:
        """Schemes matching an adviser's words, best first (empty when unavailable)."""
        try:
            return await asyncio.to_thread(self._search, query)
        except (SQLAlchemyError, ImportError, LookupError):
            logger.warning("knowledge search unavailable", exc_info=True)
            return []

    async def card(self, scheme_id: str) -> SchemeCard | None:
        """What an adviser sends the person about one scheme: name, summary, official source."""
        try:
            return await asyncio.to_thread(self._card, scheme_id)
        except (SQLAlchemyError, ImportError, LookupError):
            logger.warning("scheme card unavailable", exc_info=True)
            return None

    async def scheme_names(self, ids: list[str]) -> dict[str, str]:
        """Names of the schemes the bot showed (ids it cannot find are left out)."""
        if not ids:
            return {}
        try:
            return await asyncio.to_thread(self._scheme_names, ids)
        except (SQLAlchemyError, ImportError, LookupError):
            logger.warning("scheme names unavailable", exc_info=True)
            return {}

    async def offices(
        self, commune_insee: str | None, kinds: tuple[str, ...] = OFFICE_KINDS
    ) -> list[Office]:
        """Offices of these kinds covering the person's commune (national finders when the
        commune is unknown); empty when the knowledge base is unavailable."""
        try:
            return await asyncio.to_thread(self._offices, commune_insee, kinds)
        except (SQLAlchemyError, ImportError, LookupError):
            logger.warning("local offices unavailable", exc_info=True)
            return []
