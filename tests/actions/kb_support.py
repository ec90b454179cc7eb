"""A loaded knowledge base for the employer/newcomer/offer action tests (built once per run)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from bot.settings import get_settings
from knowledge.cli import main as knowledge_cli
from knowledge.db import make_engine, make_session_factory


@lru_cache(maxsize=1)
def loaded_database_url() -> str:
    """Territories, schemes, organisations and demonstration offers, as `make kb` loads them."""
    folder = Path(tempfile.mkdtemp(prefix="kb-actions-"))
    url = f"sqlite:///{folder / 'kb.db'}"
    assert knowledge_cli(["--database-url", url, "load", "--quiet"]) == 0
    return url


@pytest.fixture(name="kb_url")
def kb_url_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the actions' settings at the loaded knowledge base."""
    url = loaded_database_url()
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def read_rows(url: str, model: type[Any], **where: Any) -> list[Any]:
    """Rows of a personal-data table (fresh session, objects detached)."""
    engine = make_engine(url)
    session: Session
    with make_session_factory(engine)() as session:
        query = session.query(model).filter_by(**where)
        rows = list(query)
        session.expunge_all()
    engine.dispose()
    return rows
