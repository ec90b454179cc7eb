"""Robustness at the gateway's edge (in-process): bad numbers, big bodies, rates, bad input, DB trouble."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.rasa_client import RasaClient
from channels.web.app import create_app
from tests.channels.console_support import FakeRasa, make_settings
from tests.fakes.telegram_api import FakeBotApi

HUGE = "9223372036854775808"


def _client(tmp_path: Path, fake: FakeRasa, **overrides: Any) -> TestClient:
    settings = make_settings(
        tmp_path, rasa_tracker_db=str(tmp_path / "tracker.db"), log_dir=str(tmp_path), **overrides
    )
    rasa = RasaClient("http://rasa.test", transport=httpx.MockTransport(fake.handler))
    return TestClient(create_app(settings, rasa=rasa), raise_server_exceptions=False)


@pytest.fixture
def fake() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def client(tmp_path: Path, fake: FakeRasa) -> Iterator[TestClient]:
    with _client(tmp_path, fake) as test_client:
        yield test_client


def test_huge_integers_are_refused_not_500(client: TestClient) -> None:
    for url, headers in (
        (f"/api/chat/abc/events?after={HUGE}", {}),
        (f"/api/chat/abc/stream?after={HUGE}", {}),
        ("/api/chat/abc/stream?timeout=1", {"Last-Event-ID": HUGE}),
        (f"/console/api/tickets/{HUGE}", {}),
        (f"/console/api/callbacks/{HUGE}/done", {}),
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 400, (url, response.status_code)
        assert response.json()["error"]


def test_a_big_body_is_refused_before_it_is_read(client: TestClient) -> None:
    big = client.post(
        "/api/chat",
        content=b'{"session_id": "s", "text": "' + b"a" * 200_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert big.status_code == 413 and "volumineux" in big.json()["error"]


def test_the_chat_api_is_rate_limited_per_session_and_per_address(
    tmp_path: Path, fake: FakeRasa
) -> None:
    with _client(
        tmp_path, fake, chat_messages_per_minute_session=3, chat_messages_per_minute_ip=5
    ) as client:
        codes = [
            client.post("/api/chat", json={"session_id": "one", "text": "bonjour"}).status_code
            for _ in range(4)
        ]
        assert codes == [200, 200, 200, 429]
        limited = client.post("/api/chat", json={"session_id": "one", "text": "bonjour"})
        assert "patienter" in limited.json()["error"] and int(limited.headers["Retry-After"]) > 0
        others = [
            client.post("/api/chat", json={"session_id": f"s{i}", "text": "x"}).status_code
            for i in range(3)
        ]
        assert others == [429, 429, 429]  # the address already tried 5 times this minute
    assert len(fake.received) == 3  # refused messages never reach the engine


def test_a_lone_surrogate_during_a_handoff_is_not_a_500(client: TestClient) -> None:
    assert (
        client.post("/api/chat", json={"session_id": "h", "text": "conseiller"}).status_code == 200
    )
    raw = b'{"session_id": "h", "text": "mon num\\u00e9ro \\ud800"}'
    response = client.post("/api/chat", content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text


def test_a_locked_database_gives_503_and_an_honest_text_and_healthz_says_so(
    client: TestClient,
) -> None:
    app: Any = client.app
    assert client.get("/healthz").json()["checks"]["database"] is True
    with sqlite3.connect(app.state.engine.url.database, timeout=1) as lock:
        lock.execute("BEGIN EXCLUSIVE")
        health = client.get("/healthz").json()
        write = client.post("/api/chat", json={"session_id": "w", "text": "conseiller"})
        lock.rollback()
    assert health["checks"]["database"] is False
    assert write.status_code == 503 and "pas été enregistré" in write.json()["error"]
    assert "pas perdu" not in write.text
    assert client.get("/healthz").json()["checks"]["database"] is True


UPDATE = {
    "update_id": 77,
    "message": {
        "message_id": 1,
        "date": 0,
        "text": "bonjour",
        "chat": {"id": 4242, "type": "private"},
        "from": {"id": 4242, "is_bot": False, "first_name": "C"},
    },
}


def test_telegram_webhook_refuses_non_objects_and_ignores_replays(
    tmp_path: Path, fake: FakeRasa
) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
    with (
        FakeBotApi().running() as bot_api,
        _client(
            tmp_path,
            fake,
            telegram_bot_token="123:TEST",
            telegram_api_base_url=bot_api.base_url,
            telegram_webhook_url="https://example.org/telegram/webhook",
            telegram_webhook_secret="s3cret",
        ) as client,
    ):
        for body in ("[1, 2]", '"texte"', "42", "null", '{"update_id": "x"}'):
            response = client.post("/telegram/webhook", content=body, headers=headers)
            assert response.status_code == 400, body
        for _ in range(2):
            assert client.post("/telegram/webhook", json=UPDATE, headers=headers).status_code == 200
        bot_api.wait_for(lambda: bot_api.texts_to(4242))
        time.sleep(0.5)  # a second processing, if any, would have happened by now
    assert [r["message"] for r in fake.received] == ["bonjour"]
