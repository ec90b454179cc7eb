"""Retention: `make purge` and the gateway's schedule purge every store, the tracker store and logs."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.rasa_client import RasaClient
from bot.settings import Settings
from channels import privacy
from channels.retention import purge_all, purge_log_file
from channels.web.app import create_app
from knowledge.db import make_engine, migrate
from knowledge.tracker_store import conversation_events
from tests.channels.console_support import FakeRasa
from tests.privacy.stores import (
    SECRET,
    leftovers,
    person_markers,
    postgres_database,
    postgres_up,
    store_requests,
    store_tracker_events,
)

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime.now(dt.timezone.utc)
OLD = (NOW - dt.timedelta(days=200)).timestamp()
RECENT = (NOW - dt.timedelta(days=2)).timestamp()


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    url = f"sqlite:///{tmp_path}/app.db"
    migrate(url)
    base: dict[str, Any] = {
        "database_url": url,
        "secret_key": SECRET,
        "log_dir": str(tmp_path / "logs"),
        "personal_data_retention_days": 180,
    }
    if request.param == "sqlite":
        yield Settings(**base, rasa_tracker_db=str(tmp_path / "tracker.db"))
        return
    if not postgres_up():
        pytest.skip("PostgreSQL not reachable on 127.0.0.1:5432: PostgreSQL tracker store skipped")
    with postgres_database("privacy_retention_tracker") as overrides:
        yield Settings(**base, **overrides)


def _fill(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    with Session(engine) as session, session.begin():
        store_requests(session, "web:old", "old")
        store_requests(session, "web:new", "new")
        for table in ("req_employer_lead", "req_spouse_profile", "req_welcome_kit"):
            session.execute(
                text(f"UPDATE {table} SET created_at = :old WHERE owner_key = :owner"),
                {
                    "old": (NOW - dt.timedelta(days=200)).replace(tzinfo=None),
                    "owner": person_markers("web:old", "old")[1],
                },
            )
    tracker = make_engine(settings.tracker_store_url.render_as_string(hide_password=False))
    store_tracker_events(tracker, "web:old", "old", when=OLD)
    store_tracker_events(tracker, "web:new", "new", when=RECENT)
    engine.dispose()
    tracker.dispose()
    logs = Path(settings.log_dir)
    logs.mkdir()
    old_day = (NOW - dt.timedelta(days=200)).strftime("%Y-%m-%d %H:%M:%S")
    new_day = (NOW - dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
    (logs / "rasa.log").write_text(
        f"{old_day} WARNING old line about old@exemple.fr\nTraceback: old@exemple.fr\n"
        f"{new_day} INFO recent line\n",
        encoding="utf-8",
    )
    rotated = logs / "gateway.log.1"
    rotated.write_text(f"{old_day} INFO old rotated old@exemple.fr\n", encoding="utf-8")
    os.utime(rotated, (OLD, OLD))


def _check(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    tracker = make_engine(settings.tracker_store_url.render_as_string(hide_password=False))
    assert leftovers([engine, tracker], person_markers("web:old", "old")) == []
    assert len(leftovers([engine, tracker], person_markers("web:new", "new"))) == 5
    assert conversation_events(tracker, "web:new")
    engine.dispose()
    tracker.dispose()
    logs = Path(settings.log_dir)
    assert [p.name for p in logs.iterdir()] == ["rasa.log"]
    assert (logs / "rasa.log").read_text(encoding="utf-8").endswith("INFO recent line\n")
    assert "old@" not in (logs / "rasa.log").read_text(encoding="utf-8")


def test_purge_all_cleans_every_store_and_the_logs(settings: Settings) -> None:
    _fill(settings)
    counts = purge_all(settings)
    assert counts["tracker_events"] == 2 and counts["log_lines"] == 3
    _check(settings)


def test_make_purge_runs_the_same_purge(settings: Settings) -> None:
    _fill(settings)
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": SECRET,
        "LOG_DIR": settings.log_dir,
        "RASA_ENDPOINTS": settings.rasa_endpoints,
        "RASA_TRACKER_DB": settings.rasa_tracker_db,
        "TRACKER_PG_DB": settings.tracker_pg_db,
        "TRACKER_PG_PASSWORD": "",
    }
    result = subprocess.run(
        ["make", "-s", "purge"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "tracker_events 2" in result.stdout
    _check(settings)


def test_the_gateway_purges_on_a_schedule(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(settings)
    monkeypatch.setattr(privacy, "FIRST_PURGE_DELAY_SECONDS", 0.0)
    rasa = RasaClient("http://rasa.test", transport=httpx.MockTransport(FakeRasa().handler))
    with TestClient(create_app(settings, rasa=rasa)) as client:
        app: Any = client.app
        deadline = time.monotonic() + 30
        while leftovers([app.state.tracker_engine], ["web:old"]) and time.monotonic() < deadline:
            time.sleep(0.1)
    _check(settings)


def test_a_log_line_is_cut_with_its_traceback(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_text("2020-01-01 10:00:00 ERROR a\n  File x\n2099-01-01 10:00:00 INFO b\n")
    assert purge_log_file(log, NOW) == 2
    assert log.read_text() == "2099-01-01 10:00:00 INFO b\n"
