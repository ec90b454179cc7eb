"""Engines and session factories for the knowledge base.

Nothing is created at import time: callers build an engine from a URL (or from the
settings) and own their sessions. ``session_scope`` is the entry point for actions.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class HasDatabaseUrl(Protocol):
    """Anything carrying a SQLAlchemy URL, such as ``bot.settings.Settings``."""

    database_url: str


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and cross-thread use."""
    parsed = make_url(url)
    # Database errors must not carry the statement's values (message texts, conversation ids)
    # into tracebacks and logs.
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        # The default URL points into var/, which a fresh checkout does not have.
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    connect_args = dict(kwargs.pop("connect_args", {}))
    connect_args.setdefault("check_same_thread", False)
    engine = create_engine(url, connect_args=connect_args, **kwargs)
    event.listen(engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets the action server read while `load` writes; in-memory databases ignore it.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


_factories: dict[str, sessionmaker[Session]] = {}
_factories_lock = threading.Lock()


def session_factory_for(url: str) -> sessionmaker[Session]:
    """A process-wide session factory per URL, built on first use."""
    with _factories_lock:
        factory = _factories.get(url)
        if factory is None:
            factory = make_session_factory(make_engine(url))
            _factories[url] = factory
        return factory


@contextmanager
def session_scope(settings: HasDatabaseUrl) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on error, always close."""
    session = session_factory_for(settings.database_url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def dispose_all() -> None:
    """Dispose every cached engine (tests, or before forking workers)."""
    with _factories_lock:
        for factory in _factories.values():
            bind = factory.kw.get("bind")
            if isinstance(bind, Engine):
                bind.dispose()
        _factories.clear()


def migrate(url: str, revision: str = "heads") -> None:
    """Run the Alembic migrations of every area up to ``revision``."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation would choke on '%' in URL-encoded passwords.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, revision)
