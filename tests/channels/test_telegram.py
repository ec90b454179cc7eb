"""Lane d: Telegram through a local fake Bot API server (python-telegram-bot's base_url)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.rasa_client import RasaClient
from bot.settings import Settings
from channels.web.app import create_app
from tests.channels.test_chat_api import FakeRasa
from tests.fakes.telegram_api import FakeBotApi

CHAT = 4242


@pytest.fixture
def bot_api() -> Iterator[FakeBotApi]:
    with FakeBotApi().running() as fake:
        yield fake


def _gateway(
    bot_api: FakeBotApi, fake_rasa: FakeRasa, tmp_path: Any, **overrides: Any
) -> TestClient:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/t.db",
        telegram_bot_token="123:TEST",
        telegram_api_base_url=bot_api.base_url,
        **overrides,
    )
    rasa = RasaClient("http://rasa.test", transport=httpx.MockTransport(fake_rasa.handler))
    return TestClient(create_app(settings, rasa=rasa))


@pytest.fixture
def telegram(bot_api: FakeBotApi, fake_rasa: FakeRasa, tmp_path: Any) -> Iterator[TestClient]:
    with _gateway(bot_api, fake_rasa, tmp_path) as client:
        yield client


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


def _keyboard(call_params: dict[str, Any]) -> list[list[dict[str, Any]]]:
    markup = call_params.get("reply_markup")
    return json.loads(markup)["inline_keyboard"] if markup else []


def test_start_sends_welcome_and_menu_with_inline_keyboard(
    telegram: TestClient, bot_api: FakeBotApi, fake_rasa: FakeRasa
) -> None:
    bot_api.push_command(CHAT, "/start")
    bot_api.wait_for(lambda: len(bot_api.texts_to(CHAT)) >= 2)
    assert [r["message"] for r in fake_rasa.received] == ["/greet", "/ask_capabilities"]
    assert fake_rasa.received[0]["sender"] == f"telegram:{CHAT}"
    first = bot_api.calls("sendMessage")[0]
    assert first.params["text"] == "Bonjour !"
    assert _keyboard(first.params) == [[{"text": "Menu", "callback_data": "/ask_capabilities"}]]


def test_deep_link_opens_the_welcome_kit_flow(
    telegram: TestClient, bot_api: FakeBotApi, fake_rasa: FakeRasa
) -> None:
    bot_api.push_command(CHAT, "/start kit")
    bot_api.wait_for(lambda: bot_api.texts_to(CHAT))
    assert [r["message"] for r in fake_rasa.received] == ["/newcomer_kit"]


def test_text_and_button_tap_reach_rasa_in_order(
    telegram: TestClient, bot_api: FakeBotApi, fake_rasa: FakeRasa
) -> None:
    bot_api.push_text(CHAT, "jcherche un logement")
    bot_api.push_button(CHAT, "/ask_capabilities")
    bot_api.wait_for(lambda: len(fake_rasa.received) == 2 and bot_api.calls("answerCallbackQuery"))
    assert [r["message"] for r in fake_rasa.received] == [
        "jcherche un logement",
        "/ask_capabilities",
    ]


def test_long_reply_is_split_within_the_limit_without_cutting_words(
    telegram: TestClient, bot_api: FakeBotApi, fake_rasa: FakeRasa
) -> None:
    words = " ".join(f"mot{i}" for i in range(2000))  # ~ 11,000 characters
    fake_rasa.reply = [{"recipient_id": "x", "text": words}]
    bot_api.push_text(CHAT, "explique tout")
    # Wait for every word, not a number of parts: the split may yield 3 or 4 messages.
    bot_api.wait_for(lambda: " ".join(bot_api.texts_to(CHAT)).split()[-1:] == ["mot1999"])
    parts = bot_api.texts_to(CHAT)
    assert all(len(part) <= 4096 for part in parts)
    assert " ".join(parts).split() == words.split()


def test_document_is_sent_as_a_file(
    telegram: TestClient, bot_api: FakeBotApi, fake_rasa: FakeRasa
) -> None:
    fake_rasa.reply = [
        {
            "recipient_id": "x",
            "text": "Voici votre kit.",
            "custom": {
                "document": {
                    "url": "/openapi.json",
                    "filename": "kit-accueil.pdf",
                    "caption": "Kit",
                }
            },
        }
    ]
    bot_api.push_text(CHAT, "mon kit")
    bot_api.wait_for(lambda: bot_api.calls("sendDocument"))
    document = bot_api.calls("sendDocument")[0].params["document"]
    assert document["filename"] == "kit-accueil.pdf" and document["size"] > 100


def test_flood_limit_429_is_retried_after_the_given_delay(
    telegram: TestClient, bot_api: FakeBotApi, fake_rasa: FakeRasa
) -> None:
    bot_api.fail_next_with_429(retry_after=1)
    bot_api.push_text(CHAT, "bonjour")
    bot_api.wait_for(lambda: bot_api.texts_to(CHAT), timeout=15)
    assert bot_api.texts_to(CHAT) == ["Bonjour !"]
    assert bot_api.attempts["sendMessage"] == 2


@pytest.mark.parametrize(
    "hostile",
    ["<script>alert(1)</script>", "<b>gras</b> & <i>", "🙂🙂🙂", "مرحبا أريد عملا", "bon\x00jour"],
)
def test_hostile_text_is_forwarded_as_plain_text_and_answered(
    telegram: TestClient, bot_api: FakeBotApi, fake_rasa: FakeRasa, hostile: str
) -> None:
    bot_api.push_text(CHAT, hostile)
    bot_api.wait_for(lambda: bot_api.texts_to(CHAT))
    assert fake_rasa.received[0]["message"] == hostile.replace("\x00", "")
    # Replies go out as HTML, escaped by render.to_html (tests/channels/test_telegram_render.py).
    assert bot_api.calls("sendMessage")[0].params["parse_mode"] == "HTML"


def test_rasa_down_gets_a_polite_message(
    telegram: TestClient, bot_api: FakeBotApi, fake_rasa: FakeRasa
) -> None:
    fake_rasa.up = False
    bot_api.push_text(CHAT, "bonjour")
    bot_api.wait_for(lambda: bot_api.texts_to(CHAT))
    assert "momentanément indisponible" in bot_api.texts_to(CHAT)[0]


def test_forget_me_asks_confirmation_then_erases(
    telegram: TestClient, bot_api: FakeBotApi, fake_rasa: FakeRasa
) -> None:
    erased: list[str] = []

    async def eraser(sender_id: str) -> None:
        erased.append(sender_id)

    telegram.app.state.personal_data_erasers.append(eraser)  # type: ignore[attr-defined]
    bot_api.push_command(CHAT, "/oubli")
    bot_api.wait_for(lambda: bot_api.texts_to(CHAT))
    assert "définitive" in bot_api.texts_to(CHAT)[0] and not erased
    bot_api.push_button(CHAT, "forget:yes")
    bot_api.wait_for(lambda: len(bot_api.texts_to(CHAT)) >= 2)
    assert erased == [f"telegram:{CHAT}"]
    assert fake_rasa.received[-1]["message"] == "/restart"
    assert "effacées" in bot_api.texts_to(CHAT)[-1]


def test_no_token_means_no_telegram_and_no_failure(
    bot_api: FakeBotApi, fake_rasa: FakeRasa, tmp_path: Any
) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/t.db", telegram_api_base_url=bot_api.base_url
    )
    with TestClient(
        create_app(
            settings, rasa=RasaClient("http://r", transport=httpx.MockTransport(fake_rasa.handler))
        )
    ) as client:
        assert (
            client.post("/api/chat", json={"session_id": "s", "text": "bonjour"}).status_code == 200
        )
    assert bot_api.attempts == {}


def test_webhook_refuses_a_wrong_secret_and_accepts_the_right_one(
    bot_api: FakeBotApi, fake_rasa: FakeRasa, tmp_path: Any
) -> None:
    overrides = {
        "telegram_webhook_url": "https://example.org/telegram/webhook",
        "telegram_webhook_secret": "s3cret",
    }
    with _gateway(bot_api, fake_rasa, tmp_path, **overrides) as client:
        assert bot_api.calls("setWebhook")[0].params["secret_token"] == "s3cret"
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "text": "bonjour",
                "chat": {"id": CHAT, "type": "private"},
                "from": {"id": CHAT, "is_bot": False, "first_name": "C"},
            },
        }
        wrong = client.post(
            "/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
        )
        assert wrong.status_code == 403
        missing = client.post("/telegram/webhook", json=update)
        assert missing.status_code == 403
        right = client.post(
            "/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
        )
        assert right.status_code == 200
        bot_api.wait_for(lambda: bot_api.texts_to(CHAT))
    assert fake_rasa.received[0]["message"] == "bonjour"


def test_message_over_the_limit_gets_a_polite_answer_and_is_not_forwarded(
    telegram: TestClient, bot_api: FakeBotApi, fake_rasa: FakeRasa
) -> None:
    bot_api.push_text(CHAT, "a" * 3000)
    bot_api.wait_for(lambda: bot_api.texts_to(CHAT))
    assert "trop long" in bot_api.texts_to(CHAT)[0]
    assert fake_rasa.received == []
