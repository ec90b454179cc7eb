"""The gateway in-process with a fake Rasa, served on a loopback port for console browser tests.

The adviser console does not need the real assistant: a fake Rasa (tests/channels/console_support)
answers, so these tests need neither a trained model nor the action server.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from bot.rasa_client import RasaClient
from channels.web.app import create_app
from tests.channels.console_support import PASSWORD, FakeRasa, make_settings
from tests.stack import free_port


@dataclass
class Inbox:
    """A running gateway: its URL, app (for the database) and fake Rasa."""

    base_url: str
    app: Any
    fake: FakeRasa

    def chat(self, session_id: str, text: str) -> list[dict[str, Any]]:
        response = httpx.post(
            f"{self.base_url}/api/chat", json={"session_id": session_id, "text": text}, timeout=30
        )
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()["messages"]
        return messages

    def events(self, session_id: str) -> dict[str, Any]:
        response = httpx.get(f"{self.base_url}/api/chat/{session_id}/events", timeout=10)
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    def add_adviser(self, email: str, role: str = "adviser") -> None:
        from sqlalchemy.orm import Session

        from channels.console.auth import hash_password
        from channels.console.models import Adviser

        with Session(self.app.state.engine) as session:
            session.add(Adviser(email=email, password_hash=hash_password(PASSWORD), role=role))
            session.commit()


@contextmanager
def running_inbox(workdir: Path, **settings: Any) -> Iterator[Inbox]:
    fake = FakeRasa()
    rasa = RasaClient("http://rasa.test", transport=httpx.MockTransport(fake.handler))
    app = create_app(make_settings(workdir, **settings), rasa=rasa)
    # The gateway migrates its database at start-up: an empty knowledge base, not a missing one.
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the in-process gateway did not start"
    try:
        yield Inbox(base_url=f"http://127.0.0.1:{port}", app=app, fake=fake)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
