"""What the tests of the national records share, on the real data files (``knowledge/data``).

The records are read once per process (``data``, ``schemes``); one knowledge base is loaded from
them for the whole run (the ``national_kb`` fixture of ``conftest.py``); every batch of national
records is checked the same way (``check_national_record``) and looked for with the same words
(``retrieved``, ``searched``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

import knowledge.models.offer
import knowledge.models.scheme
import knowledge.models.territory  # noqa: F401 - registers every table on Base.metadata
from knowledge.citations import registry
from knowledge.db import make_engine, make_session_factory
from knowledge.freshness import freshness_notice
from knowledge.loader import write_knowledge
from knowledge.models.base import Base
from knowledge.schema import SchemeRecord
from knowledge.search import search_schemes
from knowledge.search.retriever import retrieve
from knowledge.validation import DEFAULT_DATA_DIR, KnowledgeData, read_knowledge
from knowledge.views import SchemeView, scheme_view

# The day the records are read on: old information must be said to be old on that day.
TODAY = dt.date(2026, 12, 5)
SCHEMES_DIR = DEFAULT_DATA_DIR / "schemes"


@cache
def data() -> KnowledgeData:
    return read_knowledge(DEFAULT_DATA_DIR, territory_exists=None, sources_dir=None)


@cache
def schemes() -> dict[str, SchemeView]:
    return {
        s.record.id: scheme_view(s.theme, s.record.model_dump(mode="json")) for s in data().schemes
    }


def record(scheme_id: str) -> SchemeRecord:
    """The record as written in its YAML file (``internal_notes`` included)."""
    return next(s.record for s in data().schemes if s.record.id == scheme_id)


def batch_file_names(batch: str) -> list[str]:
    """The files of a batch of national records: ``*_national3.yml`` for ``national3``."""
    return [path.name for path in sorted(SCHEMES_DIR.glob(f"*_{batch}.yml"))]


def batch_records(batch: str) -> dict[str, str]:
    """Record id -> theme of every record in the files of a batch."""
    return {
        s.record.id: s.theme for s in data().schemes if Path(s.file).name.endswith(f"_{batch}.yml")
    }


def load_real_knowledge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    """A SQLite knowledge base holding every record of the data files, kept open."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('national') / 'kb.db'}")
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as session:
        write_knowledge(session, data())
        session.commit()
        yield session
    engine.dispose()


def check_official_first(scheme: SchemeView) -> None:
    """An official page first, and an official link to apply when there is one."""
    assert registry().is_official(scheme.sources[0]), scheme.sources[0]
    if scheme.apply.url:
        assert registry().is_official(scheme.apply.url), scheme.apply.url


def check_national_record(scheme_id: str, *, status: str = "existing") -> None:
    """National, official page first, for whom, words people type, review date, notes."""
    scheme = schemes()[scheme_id]
    assert scheme.territory.scope == "national"
    assert scheme.status == status
    assert registry().is_official(scheme.sources[0]), scheme.sources[0]
    assert scheme.citation is not None and scheme.citation.kind == "page"
    assert scheme.for_whom
    assert len(scheme.aliases) >= 4 and len(scheme.keywords) >= 4
    assert scheme.review_by is not None and scheme.information_date < scheme.review_by
    assert record(scheme_id).internal_notes, "say where each fact comes from"


def check_shown_as_old(scheme_id: str) -> None:
    """No official page of 2024 or later: the person is told "information de <année>"."""
    notice = freshness_notice(schemes()[scheme_id], today=TODAY)
    assert notice is not None and notice.year < 2024


def retrieved(session: Session, text: str) -> list[str]:
    """Record ids as the understanding retriever ranks them for ``text``."""
    return [hit.scheme.id for hit in retrieve(session, text).hits]


def searched(session: Session, text: str, limit: int = 3) -> list[str]:
    """Record ids as the search API ranks them for ``text``."""
    return [hit.scheme.id for hit in search_schemes(session, text=text, limit=limit)]
