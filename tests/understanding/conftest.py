"""The real knowledge base (every record of knowledge/data) in a temporary SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import pytest
from sqlalchemy.orm import Session

import knowledge.models.offer
import knowledge.models.scheme
import knowledge.models.territory  # noqa: F401 - registers every table on Base.metadata
from bot.settings import get_settings
from knowledge.db import dispose_all, make_engine, make_session_factory
from knowledge.loader import write_knowledge
from knowledge.models.base import Base
from knowledge.validation import DEFAULT_DATA_DIR, KnowledgeData, read_knowledge
from knowledge.views import SchemeView, scheme_view
from tests.actions.schemes_kb import schemes_kb, schemes_kb_url

__all__ = ["real_kb", "real_kb_url", "records", "schemes_kb", "schemes_kb_url"]


@cache
def knowledge_data() -> KnowledgeData:
    return read_knowledge(DEFAULT_DATA_DIR, territory_exists=None, sources_dir=None)


@cache
def records() -> dict[str, SchemeView]:
    return {
        s.record.id: scheme_view(s.theme, s.record.model_dump(mode="json"))
        for s in knowledge_data().schemes
    }


@pytest.fixture(scope="session")
def real_kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('understanding') / 'kb.db'}")
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as session:
        write_knowledge(session, knowledge_data())
        session.commit()
        yield session
    engine.dispose()


@pytest.fixture(scope="session")
def _real_kb_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('understanding-actions') / 'kb.db'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as session:
        write_knowledge(session, knowledge_data())
        session.commit()
    engine.dispose()
    return url


@pytest.fixture
def real_kb_url(_real_kb_file: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the actions at a knowledge base holding every record of knowledge/data."""
    monkeypatch.setenv("DATABASE_URL", _real_kb_file)
    get_settings.cache_clear()
    yield _real_kb_file
    get_settings.cache_clear()
    dispose_all()
