"""Scale path: Rasa's PostgreSQL tracker store and Redis lock store (endpoints.postgres.yml).

Runs when PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer; otherwise it is skipped
with the reason printed in the pytest summary (`-rs`).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.stack import ROOT, free_port

pytestmark = pytest.mark.e2e
PG_HOST, PG_PORT, PG_DB = "127.0.0.1", 5432, "test"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# A dedicated database keeps Rasa's tables away from anything else stored in `test`.
TRACKER_DB = "assistant_tracker_test"


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _psql(sql: str, database: str = PG_DB) -> str:
    import psycopg

    dsn = f"host={PG_HOST} port={PG_PORT} dbname={database} user=postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        cursor = conn.execute(sql)
        rows = cursor.fetchall() if cursor.description else []
    return "\n".join(str(row[0]) for row in rows)


@pytest.fixture(scope="module")
def postgres_rasa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    if not _reachable(PG_HOST, PG_PORT):
        pytest.skip(
            f"PostgreSQL not reachable at {PG_HOST}:{PG_PORT}: PostgreSQL tracker lane skipped"
        )
    if not _reachable(REDIS_HOST, REDIS_PORT):
        pytest.skip(
            f"Redis not reachable at {REDIS_HOST}:{REDIS_PORT}: Redis lock-store lane skipped"
        )
    _psql(f"DROP DATABASE IF EXISTS {TRACKER_DB}")
    _psql(f"CREATE DATABASE {TRACKER_DB}")
    port = free_port()
    env = dict(os.environ)
    env.update(
        {
            "RASA_HOST": "127.0.0.1",
            "RASA_PORT": str(port),
            "RASA_ENDPOINTS": "endpoints.postgres.yml",
            "TRACKER_PG_HOST": PG_HOST,
            "TRACKER_PG_PORT": str(PG_PORT),
            "TRACKER_PG_DB": TRACKER_DB,
            "TRACKER_PG_USER": "postgres",
            "TRACKER_PG_PASSWORD": "",
            "REDIS_HOST": REDIS_HOST,
            "REDIS_PORT": str(REDIS_PORT),
            "ACTION_SERVER_URL": f"http://127.0.0.1:{free_port()}/webhook",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        }
    )
    env["_LOG"] = str(tmp_path_factory.mktemp("pg") / "rasa.log")
    yield env
    _psql(f"DROP DATABASE IF EXISTS {TRACKER_DB} WITH (FORCE)")


def _start_rasa(env: dict[str, str]) -> subprocess.Popen[bytes]:
    log = Path(env["_LOG"]).open("ab")
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "run-rasa.sh")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{env['RASA_PORT']}/"
    for _ in range(240):
        if process.poll() is not None:
            pytest.fail(Path(env["_LOG"]).read_text()[-3000:])
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        import time

        time.sleep(1)
    pytest.fail("Rasa with the PostgreSQL tracker store did not start")


def _stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def test_conversations_survive_a_rasa_restart_in_postgresql(postgres_rasa: dict[str, str]) -> None:
    sender = f"web:{uuid.uuid4().hex}"
    webhook = f"http://127.0.0.1:{postgres_rasa['RASA_PORT']}/webhooks/rest/webhook"
    process = _start_rasa(postgres_rasa)
    try:
        reply = httpx.post(
            webhook, json={"sender": sender, "message": "bonjour"}, timeout=60
        ).json()
        assert "Bonjour" in reply[0]["text"]
    finally:
        _stop(process)
    stored = _psql(f"SELECT count(*) FROM events WHERE sender_id = '{sender}'", database=TRACKER_DB)
    assert int(stored) >= 3, "the tracker events were not written to PostgreSQL"
    process = _start_rasa(postgres_rasa)
    try:
        tracker = httpx.get(
            f"http://127.0.0.1:{postgres_rasa['RASA_PORT']}/conversations/{sender}/tracker",
            timeout=30,
        ).json()
        texts = [e.get("text") for e in tracker["events"] if e.get("event") == "user"]
        assert "bonjour" in texts, "the conversation was lost across the restart"
    finally:
        _stop(process)
