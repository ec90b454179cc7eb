"""Fixtures of the knowledge-base tests: a small territory database, loaded fixture data."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

import knowledge.models.offer
import knowledge.models.scheme
import knowledge.models.territory  # noqa: F401 - registers every table on Base.metadata
from knowledge.db import make_engine, make_session_factory
from knowledge.loader import write_knowledge
from knowledge.models.base import Base
from knowledge.offers.store import import_offers
from knowledge.search.place import resolve_place
from knowledge.territories.codes import territory_exists
from knowledge.territories.data import ShippedTerritories, shipped_territories
from knowledge.territories.loader import load_territories
from knowledge.validation import read_knowledge
from tests.knowledge.national_support import load_real_knowledge

FIXTURES = Path(__file__).parent / "fixtures"
DATA_DIR = FIXTURES / "data"
OFFER_FILES = FIXTURES / "offers"
TODAY = dt.date(2025, 3, 1)
# Départements of the source documents' territories (Nord, Finistère, Hérault, Aude, Val-de-Marne,
# Essonne): enough for real ancestor chains, small enough to load in a second.
TEST_DEPARTEMENTS = frozenset({"59", "29", "34", "11", "94", "91"})


@lru_cache(maxsize=1)
def small_territories() -> ShippedTerritories:
    data = shipped_territories()
    communes = [c for c in data.communes if c.departement in TEST_DEPARTEMENTS]
    kept = {c.code for c in communes}
    groups = {c.epci for c in communes} | {c.ept for c in communes}
    departements = [d for d in data.departements if d.code in TEST_DEPARTEMENTS]
    regions = {d.region for d in departements}
    return ShippedTerritories(
        source=data.source,
        regions=[r for r in data.regions if r.code in regions],
        departements=departements,
        epci=[e for e in data.epci if e.code in groups],
        communes=communes,
        arrondissements=[a for a in data.arrondissements if a.commune in kept],
        sub_communes=[s for s in data.sub_communes if s.commune in kept],
    )


@pytest.fixture(scope="session")
def territory_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "territories.db"
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as session, session.begin():
        load_territories(session, data=small_territories())
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def national_kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    """Every record of the real data files, loaded once for the tests of the national records."""
    yield from load_real_knowledge(tmp_path_factory)


@pytest.fixture
def engine(tmp_path: Path, territory_template: Path) -> Iterator[Engine]:
    path = tmp_path / "kb.db"
    shutil.copyfile(territory_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with make_session_factory(engine)() as session:
        yield session


def load_fixture_schemes(session: Session, data_dir: Path = DATA_DIR) -> None:
    data = read_knowledge(
        data_dir, territory_exists=lambda scope, code: territory_exists(session, scope, code)
    )
    write_knowledge(session, data)


def place_resolver(session: Session):  # type: ignore[no-untyped-def]
    def resolve(text: str) -> tuple[str, str | None] | None:
        match = resolve_place(session, text)
        if match is None or match.commune_insee is None:
            return None
        return match.commune_insee, match.commune_name

    return resolve


@pytest.fixture
def loaded(session: Session) -> Session:
    """Fixture schemes, organisations and the three offer fixture files, committed."""
    load_fixture_schemes(session)
    for name in ("france_travail.json", "lba.json", "offers.csv"):
        import_offers(
            session, OFFER_FILES / name, today=TODAY, place_resolver=place_resolver(session)
        )
    session.commit()
    return session
