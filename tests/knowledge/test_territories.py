"""The shipped territory file, its build script, loader, migration and code look-ups."""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from knowledge.db import make_engine, make_session_factory, migrate
from knowledge.models.base import Base
from knowledge.models.territory import Commune, CommuneAlias, CommunePostcode, Epci
from knowledge.search.place import resolve_place
from knowledge.search.place_index import EPCI_ALIASES, REGION_ALIASES
from knowledge.territories.codes import (
    ancestors,
    former_commune_codes,
    shipped_ancestors,
    shipped_codes,
    shipped_names,
    territory_exists,
)
from knowledge.territories.data import DATA_PATH, ShippedTerritories, shipped_territories
from knowledge.territories.loader import load_territories
from tests.knowledge.territory_db import TERRITORY_TABLES, france_sessions

REPO = Path(__file__).resolve().parents[2]


def build_script() -> ModuleType:
    path = REPO / "scripts" / "build_territories.py"
    spec = importlib.util.spec_from_file_location("build_territories", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_territories", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def session() -> Iterator[Session]:
    with france_sessions()() as session:
        yield session


# --- the shipped file -------------------------------------------------------------------------


def test_shipped_file_is_small_and_names_its_source() -> None:
    assert DATA_PATH.stat().st_size < 3_000_000
    data = shipped_territories()
    script = build_script()
    assert data.source["package"] == "@etalab/decoupage-administratif"
    assert data.source["version"] == script.PACKAGE_VERSION
    assert data.source["licence"] == "MIT"
    source_md = (DATA_PATH.parent / "SOURCE.md").read_text(encoding="utf-8")
    assert script.PACKAGE_VERSION in source_md and "MIT License" in source_md
    assert "Licence Ouverte" in source_md and data.source["tarball_sha256"] in source_md


def test_shipped_file_covers_france() -> None:
    data = shipped_territories()
    assert len(data.communes) > 34_000
    assert len(data.departements) == 109  # 101 départements + 8 overseas collectivities
    assert len(data.regions) == 26
    assert len(data.arrondissements) == 20 + 9 + 16  # Paris, Lyon, Marseille
    assert sum(1 for e in data.epci if e.kind == "EPT") == 11
    assert 1200 < sum(1 for e in data.epci if e.kind != "EPT") < 1300
    with_epci = sum(1 for c in data.communes if c.epci)
    assert (
        with_epci / len(data.communes) > 0.99
    )  # only islands and overseas collectivities lack one


def test_shipped_references_are_consistent() -> None:
    codes = shipped_codes()
    data = shipped_territories()
    for commune in data.communes:
        assert commune.departement in codes["departement"], commune
        assert commune.region in codes["region"], commune
        assert commune.epci is None or commune.epci in codes["epci"], commune
        assert commune.ept is None or commune.ept in codes["ept"], commune
        assert all(len(p) == 5 and p.isdigit() for p in commune.postcodes), commune
    assert all(s.commune in codes["commune"] for s in data.sub_communes)


def test_build_rows_on_a_small_package() -> None:
    script = build_script()
    package = {
        "package": {"version": script.PACKAGE_VERSION, "license": "MIT"},
        "regions": [{"code": "32", "nom": "Hauts-de-France", "zone": "metro", "chefLieu": "59350"}],
        "departements": [
            {"code": "59", "nom": "Nord", "region": "32", "zone": "metro", "chefLieu": "59350"}
        ],
        "epci": [
            {
                "code": "200093201",
                "nom": "MEL",
                "type": "METRO",
                "populationMunicipale": 10,
                "membres": [{"code": "59512"}, {"code": "59350"}],
            }
        ],
        "ept": [],
        "communes": [
            {
                "code": "59512",
                "nom": "Roubaix",
                "type": "commune-actuelle",
                "departement": "59",
                "region": "32",
                "population": 2,
                "codesPostaux": ["59100", "59100"],
                "zone": "metro",
            },
            {
                "code": "59350",
                "nom": "Lille",
                "type": "commune-actuelle",
                "departement": "59",
                "region": "32",
                "population": 3,
                "codesPostaux": ["59800", "59000"],
                "anciensCodes": ["59355"],
                "zone": "metro",
            },
            {"code": "59355", "nom": "Lomme", "type": "commune-associee", "chefLieu": "59350"},
        ],
    }
    rows = script.build_rows(package)
    assert rows["communes"] == [
        [
            "59350",
            "Lille",
            "59",
            "32",
            3,
            ["59000", "59800"],
            "200093201",
            None,
            ["59355"],
            "metro",
        ],
        ["59512", "Roubaix", "59", "32", 2, ["59100"], "200093201", None, [], "metro"],
    ]
    assert rows["sub_communes"] == [["59355", "Lomme", "associee", "59350"]]
    assert rows["epci"] == [["200093201", "MEL", "METRO", 10]]
    package["communes"][0]["departement"] = "62"
    with pytest.raises(SystemExit):
        script.build_rows(package)


def test_the_file_is_compact_json_with_a_known_format() -> None:
    with gzip.open(DATA_PATH, "rt", encoding="utf-8") as handle:
        document = json.load(handle)
    assert document["format"] == 1
    assert set(document) >= {"source", "regions", "departements", "epci", "communes"}


# --- loading ----------------------------------------------------------------------------------


def test_load_counts_and_reload_is_idempotent(session: Session) -> None:
    def rows() -> tuple[int, int, int, int]:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model))
            for model in (Commune, Epci, CommunePostcode, CommuneAlias)
        )

    before = rows()
    counts = load_territories(session)
    session.commit()
    assert rows() == before
    data = shipped_territories()
    assert counts["communes"] == len(data.communes)
    assert counts["arrondissements"] == 45
    assert counts["departements"] == 109 and counts["regions"] == 26
    assert counts["epci"] + counts["ept"] == len(data.epci) and counts["ept"] == 11
    assert before[0] == counts["communes"] + counts["arrondissements"]
    assert resolve_place(session, "roubaix") is not None  # the index was rebuilt after reload


def test_load_a_small_data_set_then_replace_it(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'small.db'}")
    Base.metadata.create_all(engine, tables=TERRITORY_TABLES)
    full = shipped_territories()
    nord = ShippedTerritories(
        source=full.source,
        regions=[r for r in full.regions if r.code == "32"],
        departements=[d for d in full.departements if d.code == "59"],
        epci=[e for e in full.epci if e.code == "200093201"],
        communes=[c for c in full.communes if c.epci == "200093201"],
        arrondissements=[],
        sub_communes=[s for s in full.sub_communes if s.commune == "59350"],
    )
    with make_session_factory(engine)() as session:
        counts = load_territories(session, data=nord, progress=True)
        session.commit()
        assert counts["communes"] == len(nord.communes) > 90
        lille = resolve_place(session, "Lomme")
        assert lille is not None and lille.commune_insee == "59350"
        assert resolve_place(session, "Marseille") is None
        load_territories(session, data=nord._replace(communes=nord.communes[:1], sub_communes=[]))
        session.commit()
        assert session.scalar(select(func.count()).select_from(Commune)) == 1


def test_the_migration_matches_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    migrate(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    ours = {table.name for table in TERRITORY_TABLES}
    assert [d for d in differences if any(name in str(d) for name in ours)] == []
    with make_session_factory(engine)() as session:
        assert load_territories(session)["communes"] > 34_000
        session.commit()


# --- codes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scope", "code", "exists"),
    [
        ("national", "FR", True),
        ("region", "32", True),
        ("region", "99", False),
        ("departement", "59", True),
        ("departement", "2A", True),
        ("departement", "20", False),
        ("epci", "200093201", True),
        ("epci", "200057867", True),
        ("ept", "200057867", True),
        ("ept", "200093201", False),
        ("commune", "59350", True),
        ("commune", "75115", True),
        ("commune", "59298", False),
        ("commune", "99999", False),
    ],
)
def test_territory_exists(session: Session, scope: str, code: str, exists: bool) -> None:
    assert territory_exists(session, scope, code) is exists
    assert (code in shipped_codes()[scope]) is exists


def test_unknown_scope_is_an_error(session: Session) -> None:
    with pytest.raises(ValueError):
        territory_exists(session, "canton", "5901")


@pytest.mark.parametrize(
    ("insee", "chain"),
    [
        (
            "59512",
            [("commune", "59512"), ("epci", "200093201"), ("departement", "59"), ("region", "32")],
        ),
        (
            "93066",
            [
                ("commune", "93066"),
                ("ept", "200057867"),
                ("epci", "200054781"),
                ("departement", "93"),
                ("region", "11"),
            ],
        ),
        (
            "75115",
            [
                ("commune", "75115"),
                ("commune", "75056"),
                ("epci", "200054781"),
                ("departement", "75"),
                ("region", "11"),
            ],
        ),
        ("22016", [("commune", "22016"), ("departement", "22"), ("region", "53")]),  # Bréhat
        ("00000", []),
    ],
)
def test_ancestors(session: Session, insee: str, chain: list[tuple[str, str]]) -> None:
    assert ancestors(session, insee) == chain
    assert shipped_ancestors(insee) == chain


def test_former_codes_and_names() -> None:
    assert former_commune_codes()["59298"] == "59350"  # Hellemmes-Lille -> Lille
    assert "59350" not in former_commune_codes()
    names = shipped_names()
    assert names["epci"]["200093201"] == "Métropole Européenne de Lille"
    assert names["commune"]["29024"] == "Carhaix-Plouguer"
    assert shipped_codes()["ept"] <= shipped_codes()["epci"]


def test_hand_written_aliases_point_to_real_territories() -> None:
    names = shipped_names()
    assert names["epci"][EPCI_ALIASES["mel"]] == "Métropole Européenne de Lille"
    assert names["epci"][EPCI_ALIASES["grand lyon"]] == "Métropole de Lyon"
    assert set(EPCI_ALIASES.values()) <= shipped_codes()["epci"]
    assert set(REGION_ALIASES.values()) <= shipped_codes()["region"]


@pytest.mark.postgres
def test_load_and_reload_on_postgresql() -> None:
    admin_url = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    database = f"territories_{uuid.uuid4().hex[:8]}"
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {database}"))
    except OperationalError:
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    engine = make_engine(admin_url.rsplit("/", 1)[0] + f"/{database}")
    try:
        Base.metadata.create_all(engine, tables=TERRITORY_TABLES)
        sessions = make_session_factory(engine)
        for _ in range(2):  # the second load replaces the first (TRUNCATE path)
            with sessions() as session:
                counts = load_territories(session)
                session.commit()
        with sessions() as session:
            assert session.scalar(select(func.count()).select_from(Commune)) == (
                counts["communes"] + counts["arrondissements"]
            )
            assert ancestors(session, "93066")[1] == ("ept", "200057867")
            match = resolve_place(session, "jhabite a roubaix")
            assert match is not None and match.epci_code == "200093201"
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {database}"))
