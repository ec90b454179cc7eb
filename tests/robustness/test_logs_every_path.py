"""No personal data in any log or process output, whatever path a message takes.

A fake e-mail and phone go through every channel (chat API, Telegram) and path (ordinary text,
unknown and reserved "/" payloads, hand-off and call-back, erasure), error paths are forced
(invalid JSON, invalid ids, huge ids, unknown kit token, a locked database), then the gateway's
output and every file of its log directory are searched.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from pathlib import Path

import httpx
import pytest

from tests.fakes.telegram_api import FakeBotApi
from tests.robustness.gateway import FakeRasaServer, gateway, gateway_env

pytestmark = pytest.mark.robustness

TAG = uuid.uuid4().hex[:10]
EMAIL = f"personne.{TAG}@exemple.fr"
PHONE, PHONE_DIGITS = "06 47 58 69 71", "0647586971"
SESSION = f"conversation-secrete-{TAG}"
CHAT = 918273645
FORBIDDEN = [EMAIL, f"personne.{TAG}", TAG, PHONE, PHONE_DIGITS, "47 58 69 71", SESSION, str(CHAT)]


def _web(client: httpx.Client, database: str) -> None:
    def chat(text: str, session: str = SESSION) -> httpx.Response:
        return client.post("/api/chat", json={"session_id": session, "text": text})

    assert chat(f"mon e-mail est {EMAIL} et mon numéro {PHONE}").status_code == 200
    assert chat(f"/contact {EMAIL} {PHONE}").status_code == 200
    assert chat(f"/ restart {EMAIL}").status_code == 200
    assert chat(f'/greet{{"email": "{EMAIL}"').status_code == 200
    bad_json = f'{{"session_id": "{SESSION}", "text": "{EMAIL}'
    invalid = client.post(
        "/api/chat", content=bad_json, headers={"Content-Type": "application/json"}
    )
    assert invalid.status_code == 400
    assert chat("bonjour", session=EMAIL).status_code == 422
    for message in ("je veux un conseiller", PHONE, f"le matin, ou écrivez à {EMAIL}"):
        assert chat(message).status_code == 200
    huge = "9" * 30
    client.get(f"/api/chat/{SESSION}/events", params={"after": huge})
    client.get(
        f"/api/chat/{SESSION}/stream", params={"timeout": 1}, headers={"Last-Event-ID": huge}
    )
    assert client.get(f"/kit/{EMAIL}").status_code == 404
    assert client.get(f"/kit/{TAG}.pdf").status_code == 404
    with sqlite3.connect(database, timeout=1) as lock:
        lock.execute("BEGIN EXCLUSIVE")
        locked = chat(f"{EMAIL} pendant que la base est verrouillée")
        lock.rollback()
    assert locked.status_code in (200, 503)
    assert client.delete(f"/api/chat/{SESSION}").status_code == 200


def _telegram(bot_api: FakeBotApi) -> None:
    def said(count: int) -> None:
        bot_api.wait_for(lambda: len(bot_api.texts_to(CHAT)) > count, timeout=30)

    for message in (f"je m'appelle {EMAIL} {PHONE}", f"/ restart {EMAIL}", "je veux un conseiller"):
        count = len(bot_api.texts_to(CHAT))
        bot_api.push_text(CHAT, message)
        said(count)
    count = len(bot_api.texts_to(CHAT))
    bot_api.push_text(CHAT, EMAIL)
    said(count)
    bot_api.push_command(CHAT, "/oubli")
    bot_api.wait_for(lambda: "définitive" in bot_api.texts_to(CHAT)[-1], timeout=30)
    bot_api.push_button(CHAT, "forget:yes")
    bot_api.wait_for(lambda: "effacées" in bot_api.texts_to(CHAT)[-1], timeout=30)


def test_no_log_holds_the_fake_contact_details(tmp_path: Path) -> None:
    with FakeRasaServer().running() as rasa, FakeBotApi().running() as bot_api:
        env = gateway_env(
            tmp_path,
            rasa,
            TELEGRAM_BOT_TOKEN="123456:robustness-token",
            TELEGRAM_API_BASE_URL=bot_api.base_url,
            LOG_LEVEL="INFO",
        )
        with (
            gateway(tmp_path, env) as running,
            httpx.Client(base_url=running.base_url, timeout=30) as client,
        ):
            _web(client, str(tmp_path / "app.db"))
            _telegram(bot_api)
        output = running.output()
    assert "Telegram started" in output  # the output really is the gateway's
    texts = {"gateway output": output}
    for path in sorted((tmp_path / "logs").rglob("*")):
        if path.is_file():
            texts[path.name] = path.read_text(encoding="utf-8", errors="replace")
    found = {
        name: sorted({word for word in FORBIDDEN if re.search(re.escape(word), text)})
        for name, text in texts.items()
    }
    assert all(not words for words in found.values()), f"{found}\n{output[-3000:]}"
