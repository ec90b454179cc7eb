"""No personal data in logs: payload screening, database errors, error paths, pseudonyms."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.logging import RedactingFormatter, redact
from bot.privacy import pseudonym
from bot.rasa_client import RasaClient
from channels.console import store
from channels.router import domain_intents, screen_payload
from channels.web.app import create_app
from tests.channels.console_support import FakeRasa, make_settings

EMAIL, PHONE = "jeanne.secret@exemple.fr", "06 98 76 54 32"
SESSION = "session-secrete-123"


@pytest.fixture
def fake() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def client(tmp_path: Path, fake: FakeRasa) -> Iterator[TestClient]:
    settings = make_settings(
        tmp_path, rasa_tracker_db=str(tmp_path / "tracker.db"), log_dir=str(tmp_path)
    )
    rasa = RasaClient("http://rasa.test", transport=httpx.MockTransport(fake.handler))
    with TestClient(create_app(settings, rasa=rasa), raise_server_exceptions=False) as test:
        yield test


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every record of the gateway as a handler would write it (the test's own HTTP client aside)."""
    formatter = logging.Formatter("%(levelname)s %(name)s: %(message)s")
    records = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    return "\n".join(formatter.format(record) for record in records)


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        (f"/contact {EMAIL} {PHONE}", f"contact {EMAIL} {PHONE}"),
        ("/restart", "restart"),
        ("/ restart", "restart"),
        ("/\thandoff_ended", "handoff_ended"),
        ("/session_start", "session_start"),
        ("/greet@0.9", "greet@0.9"),
        ("/greet{not json", "greet{not json"),
        ("/greet", "/greet"),
        ('/greet{"commune_name": "Lille"}', '/greet{"commune_name": "Lille"}'),
    ],
)
def test_only_known_payloads_reach_rasa_as_payloads(
    client: TestClient, fake: FakeRasa, typed: str, sent: str
) -> None:
    assert client.post("/api/chat", json={"session_id": "s1", "text": typed}).status_code == 200
    assert fake.messages_to_rasa()[-1] == sent


def test_the_screen_reads_the_domain() -> None:
    intents = domain_intents()
    assert {"greet", "ask_capabilities", "request_human"} <= intents
    assert screen_payload("/request_human", intents) == "/request_human"


def test_a_database_error_logs_no_parameters_and_answers_503(
    client: TestClient, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app: Any = client.app
    database = app.state.engine.url.database
    with sqlite3.connect(database) as connection:
        connection.execute("ALTER TABLE console_tickets RENAME TO broken")
    caplog.set_level(logging.DEBUG)
    response = client.post(
        "/api/chat", json={"session_id": SESSION, "text": f"{EMAIL} {PHONE} conseiller"}
    )
    assert response.status_code == 503 and "pas été enregistré" in response.json()["error"]
    logged = _logged(caplog)
    assert "OperationalError" in logged and "/api/chat" in logged
    for secret in (SESSION, EMAIL, PHONE, "parameters:"):
        assert secret not in logged


def test_an_unexpected_error_logs_the_route_not_the_path(
    client: TestClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: Any) -> None:
        raise ValueError(f"cannot read {EMAIL}")

    monkeypatch.setattr(store, "person_events", explode)
    caplog.set_level(logging.DEBUG)
    response = client.get(f"/api/chat/{SESSION}/events")
    assert response.status_code == 500
    logged = _logged(caplog)
    assert "unexpected ValueError on GET /api/chat/{session_id}/events" in logged
    assert SESSION not in logged and EMAIL not in logged
    assert len([r for r in caplog.records if r.levelno >= logging.ERROR]) == 1


def test_pseudonyms_are_keyed_with_the_secret() -> None:
    chat_id = "telegram:123456789"
    assert pseudonym(chat_id, "one") != pseudonym(chat_id, "two")
    assert pseudonym(chat_id, "one") == pseudonym(chat_id, "one")
    assert pseudonym(chat_id, "one") != hashlib.sha256(chat_id.encode()).hexdigest()[:12]


def test_every_log_line_is_redacted() -> None:
    record = logging.LogRecord(
        "x",
        logging.ERROR,
        __file__,
        1,
        "GET /api/chat/%s/stream by %s, %s, +33 6 98 76 54 32",
        (SESSION, EMAIL, PHONE),
        None,
    )
    line = RedactingFormatter().format(record)
    assert SESSION not in line and EMAIL not in line and "98 76" not in line
    assert redact("https://api.telegram.org/bot123:ABC-def/getMe") == (
        "https://api.telegram.org/bot<token>/getMe"
    )
    assert redact("GET /kit/AbCdEf_123.pdf") == "GET /kit/<token>.pdf"
    assert redact("[SQL: X]\n[parameters: ('web:a', 'b')]\n(Background") == (
        "[SQL: X]\n[parameters hidden]\n(Background"
    )
