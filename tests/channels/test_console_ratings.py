"""Satisfaction after a hand-back: erased on request, anonymised past retention, under Alembic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from channels.console import retention
from channels.console.models import ConsoleBase, Rating, utcnow
from knowledge.db import make_engine, migrate
from tests.channels.console_support import FakeRasa, client_for, make_settings


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from client_for(make_settings(tmp_path), FakeRasa())


def _rating(sender_id: str, asked_at: dt.datetime, comment: str | None = "merci") -> Rating:
    return Rating(
        sender_id=sender_id,
        channel="web",
        step=None,
        score=5,
        comment=comment,
        resume={},
        asked_at=asked_at,
    )


def test_forget_me_erases_the_ratings_too(client: TestClient) -> None:
    app: Any = client.app
    with Session(app.state.engine) as session:
        session.add_all([_rating("web:gone", utcnow()), _rating("web:stays", utcnow())])
        session.commit()
    for eraser in app.state.personal_data_erasers:
        client.portal.call(eraser, "web:gone")  # type: ignore[union-attr]
    with Session(app.state.engine) as session:
        assert [r.sender_id for r in session.query(Rating)] == ["web:stays"]


def test_old_ratings_keep_their_score_without_the_person(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    ConsoleBase.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(_rating("web:old", utcnow() - dt.timedelta(days=400)))
        session.add(_rating("web:new", utcnow()))
        session.commit()
        retention.purge_personal_data(session, 180)
        session.commit()
        rows = [
            (r.sender_id, r.comment, r.score) for r in session.query(Rating).order_by(Rating.id)
        ]
    engine.dispose()
    assert rows == [("", None, 5), ("web:new", "merci", 5)]


def _console_ratings(
    obj: object, name: str | None, kind: str, reflected: bool, other: object
) -> bool:
    table = obj if kind == "table" else getattr(obj, "table", None)
    return str(getattr(table, "name", "")) in (
        "console_ratings",
        "console_canned_replies",
        "console_followups",
    )


def test_the_ratings_migration_matches_the_model(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    migrate(url)
    migrate(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        tables = inspect(connection).get_table_names()
        assert "console_ratings" in tables and "console_canned_replies" in tables
        context = MigrationContext.configure(connection, opts={"include_object": _console_ratings})
        assert compare_metadata(context, ConsoleBase.metadata) == []
    engine.dispose()


def test_the_migration_accepts_a_table_the_gateway_already_made(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'made.db'}"
    engine = make_engine(url)
    ConsoleBase.metadata.create_all(engine)
    engine.dispose()
    migrate(url)  # no "table already exists"
