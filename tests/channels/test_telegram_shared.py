"""Telegram webhooks on two gateways sharing Redis (or one gateway twice, in process).

A webhook retry of an update reaches Rasa once, whichever gateway gets it; a button whose
payload was too long for Telegram, sent by one gateway, works when tapped on the other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.rasa_client import RasaClient
from bot.settings import Settings
from channels.web.app import create_app
from tests.channels.redis_support import SharedRedis, open_shared_redis, reachable, skip_or_fail
from tests.channels.test_chat_api import FakeRasa
from tests.fakes.telegram_api import FakeBotApi

CHAT = 5151
SECRET_HEADER = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
LONG_PAYLOAD = '/ask_scheme_details{"scheme":"Aide au permis de conduire des apprentis"}'


@pytest.fixture
def bot_api() -> Iterator[FakeBotApi]:
    with FakeBotApi().running() as fake:
        yield fake


@pytest.fixture(params=["process", "redis"])
def webhooks(
    request: pytest.FixtureRequest, bot_api: FakeBotApi, tmp_path: Path
) -> Iterator[tuple[FakeRasa, list[TestClient]]]:
    """Two clients on the webhook: one gateway twice, or two gateways sharing Redis."""
    fake = FakeRasa()
    with ExitStack() as stack:
        shared: dict[str, Any] = {}
        if request.param == "redis":
            redis = _shared_redis(stack)
            shared = {"redis_url": redis.url, "redis_prefix": redis.prefix}
        names = ["one"] if request.param == "process" else ["a", "b"]
        clients = [
            stack.enter_context(TestClient(_gateway(bot_api, fake, tmp_path / name, **shared)))
            for name in names
        ]
        yield fake, clients * (3 - len(clients))


def _shared_redis(stack: ExitStack) -> SharedRedis:
    from anyio.from_thread import start_blocking_portal

    skip_or_fail(asyncio.run(reachable()))
    portal = stack.enter_context(start_blocking_portal())
    return stack.enter_context(portal.wrap_async_context_manager(open_shared_redis()))


def _gateway(bot_api: FakeBotApi, fake: FakeRasa, folder: Path, **overrides: Any) -> Any:
    folder.mkdir()
    settings = Settings(
        database_url=f"sqlite:///{folder}/t.db",
        rasa_tracker_db=str(folder / "tracker.db"),
        telegram_bot_token="123:TEST",
        telegram_api_base_url=bot_api.base_url,
        telegram_webhook_url="https://example.org/telegram/webhook",
        telegram_webhook_secret="s3cret",
        purge_interval_hours=0,
        **overrides,
    )
    rasa = RasaClient("http://rasa.test", transport=httpx.MockTransport(fake.handler))
    return create_app(settings, rasa=rasa)


def _post(client: TestClient, update: dict[str, Any]) -> int:
    response = client.post("/telegram/webhook", json=update, headers=SECRET_HEADER)
    return int(response.status_code)


def test_a_webhook_retry_reaches_rasa_once_on_any_gateway(
    webhooks: tuple[FakeRasa, list[TestClient]], bot_api: FakeBotApi
) -> None:
    fake, (first, other) = webhooks
    bot_api.push_text(CHAT, "bonjour")
    update = bot_api.updates[-1]
    assert _post(first, update) == 200
    assert _post(other, update) == 200  # Telegram did not get our answer in time: retried
    bot_api.wait_for(lambda: bot_api.texts_to(CHAT))
    bot_api.push_text(CHAT, "merci")
    assert _post(other, bot_api.updates[-1]) == 200
    bot_api.wait_for(lambda: len(bot_api.texts_to(CHAT)) == 2)
    assert [r["message"] for r in fake.received] == ["bonjour", "merci"]


def test_a_long_button_sent_by_one_gateway_works_on_the_other(
    webhooks: tuple[FakeRasa, list[TestClient]], bot_api: FakeBotApi
) -> None:
    fake, (first, other) = webhooks
    fake.reply = [
        {
            "recipient_id": "x",
            "text": "Voici",
            "buttons": [{"title": "Détails", "payload": LONG_PAYLOAD}],
        }
    ]
    bot_api.push_text(CHAT, "le permis")
    assert _post(first, bot_api.updates[-1]) == 200
    bot_api.wait_for(lambda: bot_api.calls("sendMessage"))
    markup = bot_api.calls("sendMessage")[0].params["reply_markup"]
    data = httpx.Response(200, text=markup).json()["inline_keyboard"][0][0]["callback_data"]
    assert data.startswith("p:")
    bot_api.push_button(CHAT, data)
    assert _post(other, bot_api.updates[-1]) == 200
    bot_api.wait_for(lambda: len(fake.received) == 2)
    assert fake.received[1]["message"] == LONG_PAYLOAD
    assert "n'est plus valable" not in " ".join(bot_api.texts_to(CHAT))
