"""Erase and purge Rasa's tracker store (SQLite or PostgreSQL) from outside Rasa.

Rasa keeps every message verbatim in its SQL tracker store, one row per event in the table
``events``. The gateway cannot ask Rasa to forget a conversation, so it deletes the rows itself.
The table belongs to Rasa (created by Rasa at start-up), so it is described here with its own
``MetaData`` and never reaches our Alembic history.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import (
    Column,
    CursorResult,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    inspect,
    select,
)

_METADATA = MetaData()
EVENTS = Table(
    "events",
    _METADATA,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


def _has_events_table(engine: Engine) -> bool:
    # Before Rasa's first start there is no table (nor SQLite file), hence nothing to erase;
    # connecting would create an empty SQLite file.
    database = engine.url.database
    if engine.url.get_backend_name() == "sqlite" and database and database != ":memory:":
        if not Path(database).exists():
            return False
    return inspect(engine).has_table(EVENTS.name)


def _count(result: object) -> int:
    return int(result.rowcount or 0) if isinstance(result, CursorResult) else 0


def erase_conversation(engine: Engine, sender_id: str) -> int:
    """Delete every event of one conversation; how many rows went."""
    if not _has_events_table(engine):
        return 0
    with engine.begin() as connection:
        return _count(connection.execute(delete(EVENTS).where(EVENTS.c.sender_id == sender_id)))


def purge_events(engine: Engine, *, older_than: dt.datetime) -> int:
    """Delete events recorded before ``older_than``.

    Rasa only reads a conversation from its latest ``session_started`` event, and sessions last
    far less than the retention period, so dropping old events never cuts a live session.
    """
    if not _has_events_table(engine):
        return 0
    cutoff = older_than.timestamp()
    with engine.begin() as connection:
        return _count(connection.execute(delete(EVENTS).where(EVENTS.c.timestamp < cutoff)))


def conversation_events(engine: Engine, sender_id: str) -> list[str]:
    """The raw event data of one conversation (tests check erasure with it)."""
    if not _has_events_table(engine):
        return []
    with engine.connect() as connection:
        rows = connection.execute(select(EVENTS.c.data).where(EVENTS.c.sender_id == sender_id))
        return [str(row[0]) for row in rows]
