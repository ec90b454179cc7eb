"""Right to erasure for the request tables: everything a conversation left in the knowledge DB.

Rows are found by their owner key (an HMAC of the conversation id with ``SECRET_KEY``), the
only link the tables keep to a conversation.
"""

from __future__ import annotations

from sqlalchemy import CursorResult, delete, inspect
from sqlalchemy.orm import Session

from knowledge.models.requests import EmployerLead, SpouseProfile, WelcomeKit
from knowledge.requests import owner_key


def erase_requests(session: Session, sender_id: str, *, secret: str) -> dict[str, int]:
    """Delete the leads, spouse profiles and welcome kits of one conversation; counts per table."""
    owner = owner_key(sender_id, secret)
    counts: dict[str, int] = {}
    # A database not migrated yet has no request table: nothing of anyone is there.
    existing = set(inspect(session.connection()).get_table_names())
    for model in (EmployerLead, SpouseProfile, WelcomeKit):
        if model.__tablename__ not in existing:
            continue
        result = session.execute(delete(model).where(model.owner_key == owner))
        counts[model.__tablename__] = (
            int(result.rowcount or 0) if isinstance(result, CursorResult) else 0
        )
    return counts
