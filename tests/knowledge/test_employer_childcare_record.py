"""An employer asking what it can do for its staff's childcare gets the employer record
(``knowledge/data/schemes/childcare_employers.yml``): crèche places, Cesu préfinancé, CIFAM."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import pytest
from sqlalchemy.orm import Session

import knowledge.models.offer
import knowledge.models.scheme
import knowledge.models.territory  # noqa: F401 - registers every table on Base.metadata
from knowledge.citations import registry
from knowledge.db import make_engine, make_session_factory
from knowledge.loader import write_knowledge
from knowledge.models.base import Base
from knowledge.search.retriever import retrieve
from knowledge.validation import DEFAULT_DATA_DIR, KnowledgeData, read_knowledge
from knowledge.views import scheme_view

SCHEME_ID = "employeur-garde-enfants-salaries-creche-cesu"


@cache
def data() -> KnowledgeData:
    return read_knowledge(DEFAULT_DATA_DIR, territory_exists=None, sources_dir=None)


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('employer_childcare') / 'kb.db'}")
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as session:
        write_knowledge(session, data())
        session.commit()
        yield session
    engine.dispose()


def test_the_record_loads_is_national_for_employers_and_cites_an_official_page_first() -> None:
    found = [s for s in data().schemes if s.record.id == SCHEME_ID]
    assert len(found) == 1
    assert found[0].theme == "childcare"
    scheme = scheme_view(found[0].theme, found[0].record.model_dump(mode="json"))
    assert scheme.territory.scope == "national"
    assert "employer" in scheme.audiences
    assert registry().is_official(scheme.sources[0]), scheme.sources[0]
    assert all(registry().is_official(url) for url in scheme.sources)
    assert scheme.apply.url and registry().is_official(scheme.apply.url)
    assert found[0].record.internal_notes


@pytest.mark.parametrize(
    "text",
    [
        "je suis gérant, comment aider mes salariés à faire garder leurs enfants ?",
        "nos salariées ont des soucis de garde à cause des horaires (3x8), qu'est-ce qu'on "
        "peut mettre en place en tant qu'employeur ?",
    ],
)
def test_an_employer_asking_about_staff_childcare_gets_the_record_in_the_top_three(
    kb: Session, text: str
) -> None:
    hits = [hit.scheme.id for hit in retrieve(kb, text).hits]
    assert SCHEME_ID in hits[:3], hits[:5]
