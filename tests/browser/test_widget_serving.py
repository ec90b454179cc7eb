"""The gateway serves the widget and lets only the configured sites call the chat API (no browser)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.rasa_client import RasaClient
from bot.settings import Settings
from channels.web.app import create_app
from channels.web.widget import allowed_origins

SITE = "https://www.cc-exemple.fr"


def _rasa(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/webhooks/rest/webhook":
        return httpx.Response(200, json=[{"recipient_id": "x", "text": "Bonjour !"}])
    return httpx.Response(200, text="Hello from Rasa: 3.6.21")


def _client(tmp_path: Path, origins: str) -> Iterator[TestClient]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/w.db",
        widget_allowed_origins=origins,
        secret_key="widget-serving-test",
    )
    rasa = RasaClient("http://rasa.test", transport=httpx.MockTransport(_rasa))
    with TestClient(create_app(settings, rasa=rasa)) as client:
        yield client


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from _client(tmp_path, f"{SITE}, https://autre.exemple.fr/")


def _preflight(client: TestClient, path: str, origin: str) -> httpx.Response:
    response: httpx.Response = client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    return response


def test_origins_setting_is_read_leniently() -> None:
    assert allowed_origins("") == []
    assert allowed_origins(" https://a.fr/, https://b.fr  https://c.fr") == [
        "https://a.fr",
        "https://b.fr",
        "https://c.fr",
    ]
    assert allowed_origins("https://a.fr,*") == ["*"]


def test_a_listed_site_may_call_the_chat_api(client: TestClient) -> None:
    preflight = _preflight(client, "/api/chat", SITE)
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == SITE
    assert "access-control-allow-credentials" not in preflight.headers
    answer = client.post(
        "/api/chat", json={"session_id": "abc", "text": "bonjour"}, headers={"Origin": SITE}
    )
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == SITE
    events = client.get("/api/chat/abc/events", headers={"Origin": SITE})
    assert events.headers["access-control-allow-origin"] == SITE


def test_other_sites_and_the_console_get_no_cors(client: TestClient) -> None:
    assert (
        "access-control-allow-origin"
        not in _preflight(client, "/api/chat", "https://pirate.example").headers
    )
    console = client.get("/console/api/me", headers={"Origin": SITE})
    assert "access-control-allow-origin" not in console.headers
    assert "access-control-allow-origin" not in _preflight(client, "/console/api/me", SITE).headers


def test_no_setting_means_same_origin_only(tmp_path: Path) -> None:
    for client in _client(tmp_path, ""):
        response = client.post(
            "/api/chat", json={"session_id": "abc", "text": "bonjour"}, headers={"Origin": SITE}
        )
        assert response.status_code == 200
        assert "access-control-allow-origin" not in response.headers


def test_widget_files_and_demo_page(client: TestClient) -> None:
    for path in ("/widget.js", "/static/widget.js"):
        script = client.get(path)
        assert script.status_code == 200
        assert "javascript" in script.headers["content-type"]
        assert "attachShadow" in script.text
    assert "text/css" in client.get("/widget.css").headers["content-type"]
    demo = client.get("/")
    assert demo.status_code == 200
    assert '<script src="/static/widget.js"' in demo.text and 'lang="fr"' in demo.text
