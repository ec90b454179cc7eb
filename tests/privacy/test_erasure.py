"""Right to erasure: after "forget me" on the website or on Telegram, no store holds the person.

The stores are read in full (every table of the app database, console tables included, and of
Rasa's tracker store, on SQLite and on PostgreSQL); another person's data must stay.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.rasa_client import RasaClient
from channels.web.app import create_app
from knowledge.db import migrate
from tests.channels.console_support import FakeRasa, chat, make_settings
from tests.fakes.telegram_api import FakeBotApi
from tests.privacy.stores import (
    SECRET,
    leftovers,
    person_markers,
    postgres_database,
    postgres_up,
    store_requests,
    store_tracker_events,
)

CHAT = 4242


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    if request.param == "sqlite":
        yield {"rasa_tracker_db": str(tmp_path / "tracker.db")}
        return
    if not postgres_up():
        pytest.skip("PostgreSQL not reachable on 127.0.0.1:5432: PostgreSQL tracker store skipped")
    with postgres_database("privacy_erasure_tracker") as overrides:
        yield overrides


def _gateway(tmp_path: Path, tracker: dict[str, Any], **overrides: Any) -> TestClient:
    url = f"sqlite:///{tmp_path}/app.db"
    migrate(url)
    settings = make_settings(
        tmp_path,
        database_url=url,
        secret_key=SECRET,
        purge_interval_hours=0,
        log_dir=str(tmp_path / "logs"),
        **tracker,
        **overrides,
    )
    fake = FakeRasa()
    rasa = RasaClient("http://rasa.test", transport=httpx.MockTransport(fake.handler))
    return TestClient(create_app(settings, rasa=rasa))


def _fill(client: TestClient, sender_id: str, tag: str) -> None:
    """Requests and tracker events of one conversation (its hand-off is made by the caller)."""
    app: Any = client.app
    with Session(app.state.engine) as session, session.begin():
        store_requests(session, sender_id, tag)
    store_tracker_events(app.state.tracker_engine, sender_id, tag, when=1_790_000_000.0)


def _stores(client: TestClient) -> list[Engine]:
    app: Any = client.app
    return [app.state.engine, app.state.tracker_engine]


def _web_handoff(client: TestClient, session_id: str, phone: str) -> None:
    for message in ("conseiller", phone, "Le matin"):
        chat(client, session_id, message)


def test_the_website_erases_every_store(tmp_path: Path, tracker_store: dict[str, Any]) -> None:
    with _gateway(tmp_path, tracker_store) as client:
        for session_id, tag, phone in (
            ("alice", "alice", "0611111111"),
            ("bob", "bob", "0622222222"),
        ):
            _web_handoff(client, session_id, phone)
            _fill(client, f"web:{session_id}", tag)
        alice = [*person_markers("web:alice", "alice"), "06 11 11 11 11"]
        bob = [*person_markers("web:bob", "bob"), "06 22 22 22 22"]
        assert (
            len(leftovers(_stores(client), alice)) >= 7
        )  # ticket, call-back, 3 requests, 2 events

        response = client.delete("/api/chat/alice")

        assert response.status_code == 200 and "effacées" in response.json()["message"]
        assert leftovers(_stores(client), alice) == []
        assert len(leftovers(_stores(client), bob)) >= 7


def test_telegram_oubli_erases_every_store(tmp_path: Path, tracker_store: dict[str, Any]) -> None:
    with (
        FakeBotApi().running() as bot_api,
        _gateway(
            tmp_path,
            tracker_store,
            telegram_bot_token="123:TEST",
            telegram_api_base_url=bot_api.base_url,
        ) as client,
    ):
        for message in ("conseiller", "0633333333", "Le matin"):
            count = len(bot_api.texts_to(CHAT))
            bot_api.push_text(CHAT, message)
            bot_api.wait_for(lambda count=count: len(bot_api.texts_to(CHAT)) > count)
        _fill(client, f"telegram:{CHAT}", "carole")
        _web_handoff(client, "bob", "0622222222")
        _fill(client, "web:bob", "bob")
        carole = [*person_markers(f"telegram:{CHAT}", "carole"), "06 33 33 33 33"]
        assert len(leftovers(_stores(client), carole)) >= 7

        bot_api.push_command(CHAT, "/oubli")
        bot_api.wait_for(lambda: "définitive" in bot_api.texts_to(CHAT)[-1])
        bot_api.push_button(CHAT, "forget:yes")
        bot_api.wait_for(lambda: "effacées" in bot_api.texts_to(CHAT)[-1])

        assert leftovers(_stores(client), carole) == []
        bob = [*person_markers("web:bob", "bob"), "06 22 22 22 22"]
        assert len(leftovers(_stores(client), bob)) >= 7


def test_a_failing_eraser_is_never_reported_as_done(tmp_path: Path) -> None:
    with _gateway(tmp_path, {"rasa_tracker_db": str(tmp_path / "tracker.db")}) as client:
        app: Any = client.app

        async def broken(sender_id: str) -> None:
            raise OSError("disk full")

        app.state.personal_data_erasers.append(broken)
        response = client.delete("/api/chat/alice")
        assert response.status_code == 503 and "pas pu" in response.json()["error"]
