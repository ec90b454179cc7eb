"""Shared pieces of the console tests: a fake Rasa with a tracker, app factory, login helper."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bot.rasa_client import RasaClient
from bot.settings import Settings
from channels.console.auth import hash_password
from channels.console.models import Adviser
from channels.web.app import create_app

PASSWORD = "correct horse battery staple"


class FakeRasa:
    """Answers the REST webhook and the tracker API like Rasa would for a short conversation."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.tracker_up = True
        self.slots: dict[str, Any] = {
            "commune_insee": "59512",
            "commune_name": "Roubaix",
            "user_status": "apprentice",
            "age": 19.0,
            "last_schemes": ["mobili-jeune"],
            "requested_slot": None,
        }
        self.user_texts: list[tuple[str, str]] = [
            ("ask_housing", "je cherche un logement pour mon alternance <script>alert(1)</script>"),
        ]

    def messages_to_rasa(self) -> list[str]:
        return [r["message"] for r in self.received]

    def reply_for(self, text: str) -> list[dict[str, Any]]:
        if text == "/handoff_ended":
            return [
                {
                    "text": "Le conseiller a terminé l'échange. Je reprends la main.",
                    "buttons": [{"title": "Voir le menu", "payload": "/ask_capabilities"}],
                }
            ]
        if re.search(r"conseill|humain", text):
            return [
                {"text": "Je vous mets en relation avec un conseiller."},
                {
                    "custom": {
                        "handoff": {"reason": "asked_for_human", "summary": "logement alternance"}
                    }
                },
            ]
        return [{"text": f"Réponse du bot à : {text}"}]

    def tracker(self, sender: str) -> dict[str, Any]:
        events: list[dict[str, Any]] = [{"event": "action", "name": "action_listen"}]
        for index, (intent, text) in enumerate(self.user_texts):
            events.append(
                {
                    "event": "user",
                    "text": text,
                    "timestamp": 1_700_000_000 + index,
                    "parse_data": {"intent": {"name": intent, "confidence": 0.93}},
                }
            )
            events.append(
                {
                    "event": "bot",
                    "text": "Voici une aide : Mobili-Jeune.",
                    "data": {"buttons": [{"title": "Détails", "payload": "/ask_scheme_details"}]},
                }
            )
        events += [
            {"event": "active_loop", "name": "eligibility_form"},
            {"event": "slot", "name": "age", "value": 19.0},
            {"event": "slot", "name": "user_status", "value": "apprentice"},
            {"event": "active_loop", "name": None},
            {
                "event": "user",
                "text": "un conseiller",
                "parse_data": {"intent": {"name": "request_human"}},
            },
        ]
        return {"sender_id": sender, "slots": self.slots, "events": events}

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/webhooks/rest/webhook":
            body = json.loads(request.content)
            self.received.append(body)
            return httpx.Response(200, json=self.reply_for(body["message"]))
        match = re.match(r"^/conversations/(.+)/tracker$", request.url.path)
        if match:
            if not self.tracker_up:
                return httpx.Response(500, json={})
            return httpx.Response(200, json=self.tracker(match.group(1)))
        return httpx.Response(200, text="Hello from Rasa: 3.6.21")


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{tmp_path}/console.db",
        "office_hours": "always",
        "handoff_max_wait_minutes": 15,
        "secret_key": "test-secret-for-console",
    }
    values.update(overrides)
    return Settings(**values)


def client_for(settings: Settings, fake: FakeRasa) -> Iterator[TestClient]:
    rasa = RasaClient("http://rasa.test", transport=httpx.MockTransport(fake.handler))
    app = create_app(settings, rasa=rasa)
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def add_adviser(client: TestClient, email: str, role: str = "adviser", active: bool = True) -> int:
    """Create an account straight in the database (the CLI is tested on its own)."""
    app: Any = client.app
    with Session(app.state.engine) as session:
        adviser = Adviser(
            email=email, password_hash=hash_password(PASSWORD), role=role, active=active
        )
        session.add(adviser)
        session.commit()
        return adviser.id


def login_form_token(client: TestClient) -> str:
    page = client.get("/console/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


def login(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token (from /console/api/me)."""
    token = login_form_token(client)
    response = client.post(
        "/console/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    me = client.get("/console/api/me")
    assert me.status_code == 200
    csrf: str = me.json()["csrf_token"]
    return csrf


def chat(client: TestClient, session_id: str, text: str) -> list[dict[str, Any]]:
    response = client.post("/api/chat", json={"session_id": session_id, "text": text})
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def texts(messages: list[dict[str, Any]]) -> str:
    return " ".join(str(m.get("text") or "") for m in messages)
