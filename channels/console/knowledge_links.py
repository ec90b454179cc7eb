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

# Offices a person without an adviser can turn to, local first.
OFFICE_KINDS = ("mission_locale", "france_travail", "cap_emploi")
MAX_OFFICES = 3


@dataclass(frozen=True)
class Office:
    """Contacts of an office exactly as the source printed them, with their date."""

    name: str
    phone: str | None
    email: str | None
    url: str | None
    address: str | None
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

    def _offices(self, commune_insee: str) -> list[Office]:
        from knowledge.search.schemes import organisations_for

        with session_factory_for(self.database_url)() as session:
            found = organisations_for(session, commune_insee=commune_insee, kinds=OFFICE_KINDS)
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

    async def scheme_names(self, ids: list[str]) -> dict[str, str]:
        """Names of the schemes the bot showed (ids it cannot find are left out)."""
        if not ids:
            return {}
        try:
            return await asyncio.to_thread(self._scheme_names, ids)
        except (SQLAlchemyError, ImportError, LookupError):
            logger.warning("scheme names unavailable", exc_info=True)
            return {}

    async def offices(self, commune_insee: str | None) -> list[Office]:
        """Offices covering the person's commune; empty when unknown or unavailable."""
        if not commune_insee:
            return []
        try:
            return await asyncio.to_thread(self._offices, commune_insee)
        except (SQLAlchemyError, ImportError, LookupError):
            logger.warning("local offices unavailable", exc_info=True)
            return []
