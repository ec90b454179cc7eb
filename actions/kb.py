"""Knowledge-base access for the actions: one session per query, run off the event loop.

The knowledge search API is synchronous (SQLAlchemy sessions); the action server is async.
``kb_call`` opens a session from the settings, runs the query in a worker thread and closes
the session, so a slow query never blocks other conversations.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from bot.settings import get_settings
from knowledge.db import session_scope

T = TypeVar("T")

# Levels of a resolved place precise enough to localise the search (a whole région is not).
LOCALISABLE_LEVELS = ("commune", "epci", "departement")


@dataclass(frozen=True)
class ResolvedPlace:
    """Where the person lives, as the slots keep it."""

    commune_insee: str
    # What to call the place back to the person: the commune, or the area they named.
    name: str


async def kb_call(query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``query(session, *args, **kwargs)`` in a thread with a fresh session."""
    settings = get_settings()

    def run() -> T:
        with session_scope(settings) as session:
            return query(session, *args, **kwargs)

    return await asyncio.to_thread(run)


def resolve_commune(session: Session, text: str) -> ResolvedPlace | None:
    """A commune for ``text``: the commune named, or the largest one of the area named.

    Schemes of an intercommunality or a département apply to all its communes, so the most
    populous member stands for the area in the search (see ``search_schemes``).
    """
    from knowledge.search import resolve_place

    match = resolve_place(session, text)
    if match is None or match.level not in LOCALISABLE_LEVELS:
        return None
    if match.commune_insee:
        return ResolvedPlace(match.commune_insee, match.commune_name or match.commune_insee)
    # An area (EPCI, EPT, département, région): its most populous commune stands for it.
    if match.largest_commune_insee is None:
        return None
    area_names = {
        "epci": match.epci_name,
        "departement": match.departement_name,
        "region": match.region_name,
    }
    name = area_names.get(match.level) or match.largest_commune_name or match.largest_commune_insee
    return ResolvedPlace(match.largest_commune_insee, name)


def resolve_commune_in_message(
    session: Session, message: str, entity: str | None
) -> ResolvedPlace | None:
    """The place of a whole message, else of the place entity the NLU extracted.

    The resolver reads sentences with context rules; the entity can be a fragment
    ("hauts" out of "hauts de france"), so it only helps when the sentence gives nothing.
    """
    from knowledge.search import resolve_place

    if message and resolve_place(session, message) is not None:
        return resolve_commune(session, message)
    return resolve_commune(session, entity) if entity else None
