"""Loading (idempotent, atomic), migrations and the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

import knowledge.models.offer
import knowledge.models.scheme  # noqa: F401
from knowledge.cli import main
from knowledge.db import make_engine, make_session_factory, migrate
from knowledge.models.base import Base
from knowledge.models.scheme import Scheme, SchemeOrganisation, SchemeTerritory
from knowledge.search import search_schemes
from knowledge.validation import KnowledgeValidationError
from tests.knowledge.conftest import DATA_DIR, OFFER_FILES, load_fixture_schemes


def scheme_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Scheme)) or 0


def test_load_is_idempotent(session: Session) -> None:
    load_fixture_schemes(session)
    session.commit()
    first = (
        scheme_count(session),
        session.scalar(select(func.count()).select_from(SchemeTerritory)),
        session.scalar(select(func.count()).select_from(SchemeOrganisation)),
    )
    load_fixture_schemes(session)
    session.commit()
    second = (
        scheme_count(session),
        session.scalar(select(func.count()).select_from(SchemeTerritory)),
        session.scalar(select(func.count()).select_from(SchemeOrganisation)),
    )
    assert first == second == (10, 6, 5)


def test_bad_data_loads_nothing_and_keeps_the_previous_data(
    session: Session, tmp_path: Path
) -> None:
    load_fixture_schemes(session)
    session.commit()
    broken = tmp_path / "data"
    shutil.copytree(DATA_DIR, broken)
    housing = broken / "schemes" / "housing.yml"
    housing.write_text(
        housing.read_text(encoding="utf-8").replace("status: project", "status: someday"),
        encoding="utf-8",
    )
    (broken / "schemes" / "extra.yml").unlink(missing_ok=True)
    with pytest.raises(KnowledgeValidationError) as caught:
        load_fixture_schemes(session, broken)
    assert "record 'test-logement-saisonniers' field 'status'" in str(caught.value)
    session.rollback()
    assert scheme_count(session) == 10


def test_search_sees_a_reload(session: Session, tmp_path: Path) -> None:
    load_fixture_schemes(session)
    session.commit()
    assert search_schemes(session, text="mobili jeune")
    changed = tmp_path / "data"
    shutil.copytree(DATA_DIR, changed)
    (changed / "schemes" / "housing.yml").unlink()
    load_fixture_schemes(session, changed)
    session.commit()
    assert "mobili-jeune" not in [hit.scheme.id for hit in search_schemes(session, text="mobili")]


def test_migrations_match_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    migrate(url)
    migrate(url)  # running again is a no-op
    engine = make_engine(url)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        assert {"kb_scheme", "kb_offer", "kb_organisation", "kb_meta"} <= tables
        context = MigrationContext.configure(connection, opts={"include_object": _ours})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def _ours(obj: object, name: str | None, kind: str, reflected: bool, other: object) -> bool:
    """Only the knowledge tables: other areas check their own revisions."""
    table = obj if kind == "table" else getattr(obj, "table", None)
    return str(getattr(table, "name", "")).startswith("kb_")


# --- command line --------------------------------------------------------------------


@pytest.fixture
def cli_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_validate_ok_and_error(
    capsys: pytest.CaptureFixture[str], cli_url: str, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "--database-url", cli_url, "validate", "--data-dir", str(DATA_DIR))
    assert code == 0 and "ok: 10 schemes, 5 organisations" in out
    broken = tmp_path / "broken"
    shutil.copytree(DATA_DIR, broken)
    mobility = broken / "schemes" / "mobility.yml"
    mobility.write_text(
        mobility.read_text(encoding="utf-8").replace('codes: ["59"]', 'codes: ["59999"]'),
        encoding="utf-8",
    )
    code, _, err = run(capsys, "--database-url", cli_url, "validate", "--data-dir", str(broken))
    assert code == 1
    assert "mobility.yml:11: record 'test-aide-mobilite-nord' field 'territory'" in err
    assert "'59999' is not a valid departement code" in err


def test_cli_load_stats_import_export(
    capsys: pytest.CaptureFixture[str], cli_url: str, tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys, "--database-url", cli_url, "load", "--quiet", "--data-dir", str(DATA_DIR)
    )
    assert code == 0 and "10 schemes" in out and "62 demo offers" in out
    code, out, _ = run(
        capsys, "--database-url", cli_url, "load", "--quiet", "--data-dir", str(DATA_DIR)
    )
    assert code == 0  # idempotent
    code, out, _ = run(capsys, "--database-url", cli_url, "stats", "--json")
    stats = json.loads(out)
    assert set(stats) == {"communes", "epci", "schemes", "offers"}
    assert stats["communes"] > 34000 and stats["epci"] > 1200 and stats["offers"] == 62
    assert stats["schemes"] == {
        "total": 10,
        "by_theme": {"childcare": 3, "housing": 3, "mobility": 4},
        "by_status": {"existing": 7, "project": 1, "proposal": 2},
    }
    code, out, _ = run(
        capsys, "--database-url", cli_url, "import-offers", "--json", str(OFFER_FILES / "lba.json")
    )
    report = json.loads(out)
    assert code == 0 and report["format"] == "lba" and len(report["rejected"]) >= 1
    code, _, err = run(
        capsys,
        "--database-url",
        cli_url,
        "import-offers",
        "--strict",
        str(OFFER_FILES / "lba.json"),
    )
    assert code == 1 and "nothing imported" in err
    code, out, _ = run(capsys, "--database-url", cli_url, "export")
    exported = json.loads(out)
    assert len(exported["schemes"]["housing"]) == 3 and len(exported["organisations"]) == 5
    folder = tmp_path / "export"
    code, out, _ = run(capsys, "--database-url", cli_url, "export", "--out", str(folder))
    assert code == 0
    # What is exported validates again, record for record.
    code, out, _ = run(capsys, "--database-url", cli_url, "validate", "--data-dir", str(folder))
    assert code == 0 and "ok: 10 schemes, 5 organisations" in out
    code, out, _ = run(capsys, "--database-url", cli_url, "expire-offers")
    assert code == 0 and "expired offers removed" in out


def test_cli_load_refuses_bad_data_atomically(
    capsys: pytest.CaptureFixture[str], cli_url: str, tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(DATA_DIR, broken)
    (broken / "schemes" / "housing.yml").write_text(
        "version: '1'\ntheme: housing\nschemes: [", encoding="utf-8"
    )
    code, _, err = run(
        capsys, "--database-url", cli_url, "load", "--quiet", "--data-dir", str(broken)
    )
    assert code == 1 and "housing.yml:3" in err and "invalid YAML" in err
    engine = make_engine(cli_url)
    with make_session_factory(engine)() as session:
        assert scheme_count(session) == 0
        assert (
            session.execute(select(func.count()).select_from(knowledge.models.offer.Offer)).scalar()
            == 0
        )
    engine.dispose()
