"""Engines, session scopes and the retention purge."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from knowledge.db import dispose_all, make_engine, make_session_factory, migrate, session_scope
from knowledge.models.requests import EmployerLead
from knowledge.purge import purge_personal_data
from knowledge.versioning import SCHEMES_VERSION, bump_version, read_version


@dataclass
class FakeSettings:
    database_url: str


def test_sqlite_engine_turns_on_foreign_keys_and_wal(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'x.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


def test_session_scope_commits_or_rolls_back(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'scope.db'}"
    migrate(url)
    settings = FakeSettings(url)
    with session_scope(settings) as session:
        bump_version(session, SCHEMES_VERSION)
    with session_scope(settings) as session:
        committed = read_version(session, SCHEMES_VERSION)
    assert committed
    with pytest.raises(RuntimeError), session_scope(settings) as session:
        bump_version(session, SCHEMES_VERSION)
        raise RuntimeError("boom")
    with session_scope(settings) as session:
        assert read_version(session, SCHEMES_VERSION) == committed
    dispose_all()


def _lead(created_at: dt.datetime) -> EmployerLead:
    return EmployerLead(
        owner_key="k",
        company_name="Test",
        sector="BTP",
        job_title="Maçon",
        positions=1,
        contract_type="cdi",
        start_date=dt.date(2025, 1, 1),
        commune_name="Roubaix",
        contact_name="X",
        email="x@example.org",
        phone="0300000000",
        consent_text="ok",
        consent_at=created_at,
        created_at=created_at,
    )


def test_purge_deletes_only_what_is_past_retention(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'purge.db'}"
    migrate(url)
    now = dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc)
    engine = make_engine(url)
    with make_session_factory(engine)() as session, session.begin():
        session.add_all([_lead(now - dt.timedelta(days=200)), _lead(now - dt.timedelta(days=10))])
    with make_session_factory(engine)() as session, session.begin():
        counts = purge_personal_data(session, retention_days=180, now=now)
    assert counts["req_employer_lead"] == 1
    with make_session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(EmployerLead)) == 1
        with pytest.raises(ValueError):
            purge_personal_data(session, retention_days=0)
    engine.dispose()
