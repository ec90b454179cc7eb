"""The same migrate + load + search cycle on PostgreSQL (skipped when the server is absent)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from knowledge.db import make_engine, make_session_factory, migrate
from knowledge.offers.store import import_offers
from knowledge.search import organisations_for, search_offers, search_schemes
from knowledge.territories.loader import load_territories
from tests.knowledge.conftest import OFFER_FILES, TODAY, load_fixture_schemes, small_territories

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

pytestmark = pytest.mark.postgres


def _reachable() -> bool:
    try:
        engine = create_engine(SERVER, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except OperationalError:
        return False


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    if not _reachable():
        pytest.skip(f"PostgreSQL is not reachable at {SERVER}")
    schema = f"kb_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(SERVER)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    # Every table of the test lives in its own schema, dropped afterwards.
    yield f"{SERVER}?options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="module")
def pg_session(pg_url: str) -> Iterator[Session]:
    migrate(pg_url)
    migrate(pg_url)  # idempotent
    engine = make_engine(pg_url)
    with make_session_factory(engine)() as session:
        with session.begin():
            load_territories(session, data=small_territories())
            load_fixture_schemes(session)
            import_offers(session, OFFER_FILES / "france_travail.json", today=TODAY)
        with session.begin():
            load_fixture_schemes(session)  # loading twice gives the same data
        yield session
    engine.dispose()


def test_postgres_scheme_search_local_first(pg_session: Session) -> None:
    hits = search_schemes(pg_session, commune_insee="59512", limit=4)
    assert [hit.scheme.id for hit in hits] == [
        "test-garde-horaires-atypiques-roubaix",
        "test-logement-jeunes-mel",
        "test-aide-mobilite-nord",
        "test-carte-transport-region",
    ]
    assert search_schemes(pg_session, text="mobili jeun")[0].scheme.id == "mobili-jeune"
    assert search_schemes(pg_session, text="mobili jeun")[0].scheme.information_date == dt.date(
        2025, 1, 1
    )


def test_postgres_offers_and_organisations(pg_session: Session) -> None:
    hits = search_offers(pg_session, text="carist", commune_insee="59512", today=TODAY)
    assert hits[0].offer.title == "Cariste H/F" and "place:commune" in hits[0].reasons
    assert organisations_for(pg_session, commune_insee="59512", kinds=["geiq"])[0].id == (
        "test-geiq-mel"
    )
