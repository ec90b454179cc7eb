"""A SQLite file holding the whole of France, built once per test process.

Shared by the territory and place tests (a plain helper, not a conftest fixture, so that the
two modules reuse one database instead of loading France twice).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from knowledge.db import make_engine, make_session_factory
from knowledge.models.base import Base
from knowledge.models.territory import (
    Commune,
    CommuneAlias,
    CommunePostcode,
    Departement,
    Epci,
    Region,
)
from knowledge.territories.loader import load_territories

TERRITORY_TABLES = [
    model.__table__  # type: ignore[attr-defined]
    for model in (Region, Departement, Epci, Commune, CommunePostcode, CommuneAlias)
]


@lru_cache(maxsize=1)
def france_engine() -> Engine:
    """Engine of a temporary SQLite file with every territory loaded."""
    directory = Path(tempfile.mkdtemp(prefix="territories-test-"))
    atexit.register(shutil.rmtree, directory, True)
    engine = make_engine(f"sqlite:///{directory / 'france.db'}")
    Base.metadata.create_all(engine, tables=TERRITORY_TABLES)
    with make_session_factory(engine)() as session:
        load_territories(session)
        session.commit()
    return engine


def france_sessions() -> sessionmaker[Session]:
    return make_session_factory(france_engine())
