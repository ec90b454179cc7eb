"""One Alembic history, and migrations that create exactly the tables the models describe."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine
from sqlalchemy.engine import URL

import knowledge.models.offer  # noqa: F401 - registers the tables
import knowledge.models.requests  # noqa: F401
import knowledge.models.scheme  # noqa: F401
import knowledge.models.territory  # noqa: F401
from channels.console.models import ConsoleBase
from knowledge.db import MIGRATIONS_DIR, migrate
from knowledge.models.base import Base
from tests.privacy.stores import PG_HOST, PG_PORT, postgres_database, postgres_up


def test_the_history_has_a_single_head() -> None:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several heads: {heads}; give the new revision the head as parent"


def _every_model() -> MetaData:
    metadata = MetaData()
    for source in (Base.metadata, ConsoleBase.metadata):
        for table in source.tables.values():
            table.to_metadata(metadata)
    return metadata


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/migrated.db"
        return
    if not postgres_up():
        pytest.skip("PostgreSQL not reachable on 127.0.0.1:5432: PostgreSQL lane skipped")
    with postgres_database("migrations_compare_test") as overrides:
        yield URL.create(
            "postgresql+psycopg",
            username="postgres",
            host=PG_HOST,
            port=PG_PORT,
            database=overrides["tracker_pg_db"],
        ).render_as_string(hide_password=False)


def test_migrations_match_every_model(database_url: str) -> None:
    migrate(database_url)
    migrate(database_url)  # idempotent: a second upgrade is a no-op
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, _every_model())
    finally:
        engine.dispose()
    assert differences == []
