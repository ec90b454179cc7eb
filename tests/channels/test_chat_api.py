"""Lane d: the gateway's chat API with a fake Rasa (httpx MockTransport)."""

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
from tests.stack import free_port


class FakeRasa:
    """Answers the REST webhook like Rasa; can be switched off."""

    def __init__(self) -> None:
        self.up = True
        self.reply: list[dict[str, Any]] = [
            {
                "recipient_id": "x",
                "text": "Bonjour !",
                "buttons": [{"title": "Menu", "payload": "/ask_capabilities"}],
            }
        ]
        self.received: list[dict[str, Any]] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        if not self.up:
            raise httpx.ConnectError("connection refused", request=request)
        if request.url.path == "/webhooks/rest/webhook":
            self.received.append(json.loads(request.content))
            return httpx.Response(200, json=self.reply)
        return httpx.Response(200, text="Hello from Rasa: 3.6.21")


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def client(fake_rasa: FakeRasa, tmp_path: Any) -> Iterator[TestClient]:
    # The action server is "down" on a port nobody listens on, not on the default port, which a
    # running `make run` may hold.
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/t.db",
        max_message_chars=2000,
        action_server_url=f"http://127.0.0.1:{free_port()}/webhook",
    )
    rasa = RasaClient("http://rasa.test", transport=httpx.MockTransport(fake_rasa.handler))
    with TestClient(create_app(settings, rasa=rasa)) as test_client:
        yield test_client


def test_chat_returns_messages_with_buttons(client: TestClient, fake_rasa: FakeRasa) -> None:
    response = client.post("/api/chat", json={"session_id": "abc-1", "text": "bonjour"})
    assert response.status_code == 200
    assert response.json() == {
        "messages": [
            {
                "text": "Bonjour !",
                "buttons": [{"title": "Menu", "payload": "/ask_capabilities"}],
                "image": None,
                "custom": {},
            }
        ]
    }
    sent = fake_rasa.received[0]
    assert (
        sent["sender"] == "web:abc-1"
        and sent["message"] == "bonjour"
        and sent["input_channel"] == "web"
    )


def test_chat_passes_custom_payloads(client: TestClient, fake_rasa: FakeRasa) -> None:
    fake_rasa.reply = [{"recipient_id": "x", "custom": {"handoff": {"reason": "asked_for_human"}}}]
    body = client.post("/api/chat", json={"session_id": "s", "text": "un humain"}).json()
    assert body["messages"][0]["custom"] == {"handoff": {"reason": "asked_for_human"}}


@pytest.mark.parametrize(
    ("payload", "status", "expected_words"),
    [
        ({"session_id": "s", "text": ""}, 422, "vide"),
        ({"session_id": "s", "text": "   \n\t "}, 422, "vide"),
        ({"session_id": "s", "text": "\x00\x00"}, 422, "vide"),
        ({"session_id": "s", "text": "a" * 2001}, 413, "trop long"),
        ({"session_id": "s", "text": 42}, 422, "pas valide"),
        ({"session_id": 7, "text": "bonjour"}, 422, "identifiant"),
        ({"session_id": "s"}, 422, "pas valide"),
        ({"session_id": "s", "text": "bonjour", "admin": True}, 422, "pas valide"),
        ({"session_id": "../../etc", "text": "bonjour"}, 422, "identifiant"),
        ({"session_id": "s", "text": ["bonjour"]}, 422, "pas valide"),
    ],
)
def test_bad_input_gets_a_french_4xx(
    client: TestClient,
    fake_rasa: FakeRasa,
    payload: dict[str, Any],
    status: int,
    expected_words: str,
) -> None:
    response = client.post("/api/chat", json=payload)
    assert response.status_code == status
    assert expected_words in response.json()["error"]
    assert not fake_rasa.received


def test_non_json_body_is_a_400_in_french(client: TestClient) -> None:
    response = client.post(
        "/api/chat", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["error"]


def test_html_and_null_bytes_are_forwarded_as_plain_text(
    client: TestClient, fake_rasa: FakeRasa
) -> None:
    client.post(
        "/api/chat", json={"session_id": "s", "text": "<script>alert(1)</script>\x00 bonjour"}
    )
    assert fake_rasa.received[0]["message"] == "<script>alert(1)</script> bonjour"


def test_reserved_payload_typed_by_a_person_is_neutralised(
    client: TestClient, fake_rasa: FakeRasa
) -> None:
    client.post("/api/chat", json={"session_id": "s", "text": "/handoff_ended"})
    assert fake_rasa.received[0]["message"] == "handoff_ended"


def test_rasa_down_gives_a_polite_message_then_recovers(
    client: TestClient, fake_rasa: FakeRasa
) -> None:
    fake_rasa.up = False
    down = client.post("/api/chat", json={"session_id": "s", "text": "bonjour"})
    assert down.status_code == 200
    assert "momentanément indisponible" in down.json()["messages"][0]["text"]
    fake_rasa.up = True
    back = client.post("/api/chat", json={"session_id": "s", "text": "bonjour"})
    assert back.json()["messages"][0]["text"] == "Bonjour !"


def test_empty_rasa_reply_counts_as_unavailable(client: TestClient, fake_rasa: FakeRasa) -> None:
    fake_rasa.reply = []
    body = client.post("/api/chat", json={"session_id": "s", "text": "bonjour"}).json()
    assert "momentanément indisponible" in body["messages"][0]["text"]


def test_healthz_is_503_when_the_action_server_is_down(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["rasa"] is True and checks["database"] is True and checks["actions"] is False


def test_docs_and_chat_page_are_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    assert "/api/chat" in client.get("/openapi.json").json()["paths"]
    page = client.get("/")
    assert page.status_code == 200 and 'lang="fr"' in page.text


def test_unknown_route_is_a_french_404(client: TestClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.json()["error"] == "Cette page n'existe pas."
