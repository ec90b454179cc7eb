"""A small real knowledge base for the schemes actions' tests.

Territories of a few départements (Nord, Finistère...) and a copy of real scheme records
(``schemes_data/``: Mobili-Jeune, AGEPI, France Travail mobility aid, apprentices' licence
aid, VAE, Lille-area schemes, proposals) loaded through the knowledge loader into a
temporary SQLite file; ``DATABASE_URL`` points the actions at it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import get_settings
from knowledge.db import dispose_all, make_engine, make_session_factory
from knowledge.loader import write_knowledge
from knowledge.models.base import Base
from knowledge.territories.loader import load_territories
from knowledge.validation import read_knowledge

DATA_DIR = Path(__file__).parent / "schemes_data"
ROUBAIX = "59512"
LILLE = "59350"
CARHAIX = "29024"


def build_knowledge_base(path: Path) -> str:
    """Create, fill and return the URL of a knowledge base at ``path``."""
    import knowledge.models.offer
    import knowledge.models.scheme
    import knowledge.models.territory  # noqa: F401 - registers the tables
    from tests.knowledge.conftest import small_territories

    url = f"sqlite:///{path}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as session:
        load_territories(session, data=small_territories())
        data = read_knowledge(DATA_DIR, territory_exists=lambda *_: True, sources_dir=None)
        write_knowledge(session, data)
        session.commit()
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def schemes_kb_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_knowledge_base(tmp_path_factory.mktemp("schemes-kb") / "kb.db")


@pytest.fixture
def schemes_kb(schemes_kb_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the settings (and so ``actions.kb``) at the test knowledge base."""
    monkeypatch.setenv("DATABASE_URL", schemes_kb_url)
    get_settings.cache_clear()
    yield schemes_kb_url
    get_settings.cache_clear()
    dispose_all()
