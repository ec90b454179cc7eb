"""Helpers of the privacy tests: one person's data in every store, and a reader of every store."""

from __future__ import annotations

import datetime as dt
import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, insert, select, text
from sqlalchemy.orm import Session

from knowledge.requests import (
    Consent,
    create_employer_lead,
    create_spouse_profile,
    create_welcome_kit,
    owner_key,
)
from knowledge.tracker_store import EVENTS

SECRET = "privacy-test-secret"
PG_HOST, PG_PORT = "127.0.0.1", 5432
CONSENT = Consent("J'accepte.", dt.datetime(2026, 1, 14, 9, 30, tzinfo=dt.timezone.utc))


def person_markers(sender_id: str, tag: str) -> list[str]:
    """Strings that can only come from this person's data."""
    return [sender_id, owner_key(sender_id, SECRET), f"{tag}@exemple.fr", f"Entreprise {tag}"]


def store_requests(session: Session, sender_id: str, tag: str) -> None:
    """A hiring lead, a spouse CV profile and a welcome kit left by one conversation."""
    owner = owner_key(sender_id, SECRET)
    create_employer_lead(
        session,
        owner=owner,
        consent=CONSENT,
        fields={
            "company_name": f"Entreprise {tag}",
            "siret": "73282932000074",
            "sector": "boulangerie",
            "job_title": "vendeur",
            "positions": 1,
            "contract_type": "cdi",
            "start_date": dt.date(2026, 3, 1),
            "commune_insee": "59512",
            "commune_name": "Roubaix",
            "contact_name": "Claire Martin",
            "email": f"{tag}@exemple.fr",
            "phone": "06 12 34 56 78",
        },
    )
    create_spouse_profile(
        session,
        owner=owner,
        consent=CONSENT,
        fields={
            "job_title": "comptable",
            "skills": "paie",
            "availability": "dès mars",
            "commune_insee": "29024",
            "commune_name": "Carhaix-Plouguer",
            "contact_email": f"{tag}@exemple.fr",
            "contact_phone": None,
        },
    )
    create_welcome_kit(
        session,
        owner=owner,
        consent=CONSENT,
        commune_insee="29024",
        commune_name="Carhaix-Plouguer",
        household={"note": f"{tag}@exemple.fr"},
        needs=["housing"],
        content={"sections": []},
    )


def store_tracker_events(engine: Engine, sender_id: str, tag: str, when: float) -> None:
    """Rows as Rasa's SQL tracker store writes them (the table is Rasa's own layout)."""
    EVENTS.metadata.create_all(engine, tables=[EVENTS])
    user = {"event": "user", "text": f"mon mail est {tag}@exemple.fr", "timestamp": when}
    with engine.begin() as connection:
        for type_name, data in (("session_started", {"event": "session_started"}), ("user", user)):
            connection.execute(
                insert(EVENTS).values(
                    sender_id=sender_id, type_name=type_name, timestamp=when, data=json.dumps(data)
                )
            )


def every_row(engine: Engine) -> list[str]:
    """Every row of every table of a database, as text (whatever the table)."""
    metadata = MetaData()
    metadata.reflect(engine)
    rows: list[str] = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            rows += [f"{table.name}: {tuple(row)}" for row in connection.execute(select(table))]
    return rows


def leftovers(engines: list[Engine], markers: list[str]) -> list[str]:
    """Rows of any store that still mention one of the markers."""
    return [
        row for engine in engines for row in every_row(engine) if any(m in row for m in markers)
    ]


def postgres_up() -> bool:
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def postgres_database(name: str) -> Iterator[dict[str, Any]]:
    """A fresh PostgreSQL database for a tracker store; yields the Settings overrides."""
    admin = create_engine(
        f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/test", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield {
            "rasa_endpoints": "endpoints.postgres.yml",
            "tracker_pg_host": PG_HOST,
            "tracker_pg_port": PG_PORT,
            "tracker_pg_db": name,
            "tracker_pg_user": "postgres",
        }
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
