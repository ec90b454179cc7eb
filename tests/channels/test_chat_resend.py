"""A resent message (same `message_id`) is one turn, on one gateway or on two sharing Redis.

The fake Rasa counts what reaches it; "two gateways" are two apps built with the same
`REDIS_URL` and prefix. Erasing the conversation drops the replies kept for resends.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from anyio.from_thread import start_blocking_portal
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.rasa_client import RasaClient
from channels.texts import text
from channels.web.app import create_app
from tests.channels.console_support import FakeRasa, make_settings
from tests.channels.redis_support import SharedRedis, open_shared_redis, reachable, skip_or_fail

SESSION = "resend-1"


class CountingRasa(FakeRasa):
    """The console tests' fake Rasa; can hold its answers, time out or refuse connections."""

    def __init__(self) -> None:
        super().__init__()
        self.failure: type[httpx.TransportError] | None = None
        self.hold: asyncio.Event | None = None

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        if self.failure is not None and request.url.path == "/webhooks/rest/webhook":
            raise self.failure("simulated", request=request)
        response = self.handler(request)
        if self.hold is not None and request.url.path == "/webhooks/rest/webhook":
            await self.hold.wait()
        return response

    def count(self, message: str) -> int:
        return self.messages_to_rasa().count(message)


def _app(tmp_path: Path, fake: CountingRasa, name: str, **overrides: Any) -> FastAPI:
    settings = make_settings(
        tmp_path,
        database_url=f"sqlite:///{tmp_path}/{name}.db",
        rasa_tracker_db=str(tmp_path / f"{name}-tracker.db"),
        purge_interval_hours=0,
        **overrides,
    )
    rasa = RasaClient("http://rasa.test", transport=httpx.MockTransport(fake.async_handler))
    return create_app(settings, rasa=rasa)


@pytest.fixture(params=["process", "redis"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def gateways(mode: str, tmp_path: Path) -> Iterator[tuple[CountingRasa, list[TestClient]]]:
    """Two clients: one gateway twice (in process), or two gateways sharing Redis."""
    fake = CountingRasa()
    with ExitStack() as stack:
        if mode == "process":
            client = stack.enter_context(TestClient(_app(tmp_path, fake, "one")))
            yield fake, [client, client]
            return
        shared = _shared_redis(stack)
        overrides = {"redis_url": shared.url, "redis_prefix": shared.prefix}
        clients = [
            stack.enter_context(TestClient(_app(tmp_path, fake, name, **overrides)))
            for name in ("a", "b")
        ]
        yield fake, clients


def _shared_redis(stack: ExitStack) -> SharedRedis:
    """The async Redis fixture, entered from a synchronous one through a portal."""
    skip_or_fail(asyncio.run(reachable()))
    portal = stack.enter_context(start_blocking_portal())
    return stack.enter_context(portal.wrap_async_context_manager(open_shared_redis()))


def _send(client: TestClient, message_id: str | None, text_: str = "bonjour") -> httpx.Response:
    body: dict[str, Any] = {"session_id": SESSION, "text": text_}
    if message_id is not None:
        body["message_id"] = message_id
    response: httpx.Response = client.post("/api/chat", json=body)
    return response


def test_a_resent_message_id_reaches_the_engine_once(
    gateways: tuple[CountingRasa, list[TestClient]],
) -> None:
    fake, (first, other) = gateways
    answer = _send(first, "9b2f6c1e-0d4a-4b8e-a1f3-5c7d9e0f1a2b")
    again = _send(other, "9b2f6c1e-0d4a-4b8e-a1f3-5c7d9e0f1a2b")
    assert answer.status_code == again.status_code == 200
    assert again.json() == answer.json()
    assert fake.count("bonjour") == 1
    # A new message id (the person typed the same words again) is a new turn.
    assert _send(other, "c0ffee00c0ffee00").status_code == 200
    assert fake.count("bonjour") == 2


def test_without_a_message_id_every_send_is_a_turn(
    gateways: tuple[CountingRasa, list[TestClient]],
) -> None:
    fake, (first, _) = gateways
    _send(first, None)
    _send(first, None)
    assert fake.count("bonjour") == 2


@pytest.mark.parametrize("bad", ["short", "a" * 65, "../../etc/x", "id with space", 12345678])
def test_a_bad_message_id_is_a_french_422(
    gateways: tuple[CountingRasa, list[TestClient]], bad: object
) -> None:
    fake, (first, _) = gateways
    response = first.post("/api/chat", json={"session_id": SESSION, "text": "x", "message_id": bad})
    assert response.status_code == 422
    assert "pas valide" in response.json()["error"]
    assert fake.received == []


def test_a_message_that_never_reached_rasa_is_processed_when_resent(
    gateways: tuple[CountingRasa, list[TestClient]],
) -> None:
    fake, (first, other) = gateways
    fake.failure = httpx.ConnectError
    down = _send(first, "msg-rasa-down")
    assert down.json()["messages"][0]["text"] == text("service_unavailable")
    fake.failure = None
    assert _send(other, "msg-rasa-down").json()["messages"][0]["text"].startswith("Réponse")
    assert fake.count("bonjour") == 1


def test_a_rasa_time_out_is_not_turned_into_a_second_turn(
    gateways: tuple[CountingRasa, list[TestClient]],
) -> None:
    fake, (first, other) = gateways
    fake.failure = httpx.ReadTimeout  # Rasa got the message and may still be processing it
    assert _send(first, "msg-rasa-slow").json()["messages"][0]["text"] == text(
        "service_unavailable"
    )
    fake.failure = None
    again = _send(other, "msg-rasa-slow")
    assert again.json()["messages"][0]["text"] == text("service_unavailable")
    assert fake.received == []  # the time-out was simulated before the fake recorded it


def test_erasing_the_conversation_drops_its_kept_replies(
    gateways: tuple[CountingRasa, list[TestClient]],
) -> None:
    fake, (first, other) = gateways
    assert _send(first, "msg-before-erase").status_code == 200
    assert other.delete(f"/api/chat/{SESSION}").status_code == 200
    assert _send(first, "msg-before-erase").status_code == 200
    assert fake.count("bonjour") == 2  # nothing was kept to answer the resend with


async def test_a_resend_during_the_turn_waits_and_gets_the_same_replies(tmp_path: Path) -> None:
    fake = CountingRasa()
    fake.hold = asyncio.Event()
    async with _running(_app(tmp_path, fake, "one")) as client:
        body = {"session_id": SESSION, "text": "bonjour", "message_id": "msg-in-flight"}
        try:
            first = asyncio.create_task(client.post("/api/chat", json=body))
            await _until(lambda: fake.count("bonjour") == 1)
            resend = asyncio.create_task(client.post("/api/chat", json=body))
            await asyncio.sleep(0.3)
            assert not first.done() and not resend.done()
        finally:
            fake.hold.set()  # a failed check must not leave the turn hanging
        answers = await asyncio.wait_for(asyncio.gather(first, resend), 10)
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    assert fake.count("bonjour") == 1


async def test_a_client_that_gives_up_gets_the_replies_on_its_resend(tmp_path: Path) -> None:
    fake = CountingRasa()
    fake.hold = asyncio.Event()
    app = _app(tmp_path, fake, "one")
    app.state.replies.wait_seconds = 0.3  # the gateway answers "in progress" after this
    async with _running(app) as client:
        body = {"session_id": SESSION, "text": "bonjour", "message_id": "msg-gave-up"}
        try:
            busy = await asyncio.wait_for(client.post("/api/chat", json=body), 10)
        finally:
            fake.hold.set()  # the turn went on meanwhile
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "2"
        assert busy.json()["error"] == text("message_in_progress")
        await _until(lambda: (SESSION_SENDER, "msg-gave-up") in _finished(app))
        again = await client.post("/api/chat", json=body)
    assert again.status_code == 200 and again.json()["messages"][0]["text"].startswith("Réponse")
    assert fake.count("bonjour") == 1


SESSION_SENDER = f"web:{SESSION}"


def _finished(app: FastAPI) -> set[tuple[str, str]]:
    entries = app.state.replies._entries  # noqa: SLF001 - the test looks inside the store
    return {key for key, entry in entries.items() if entry.replies is not None}


@asynccontextmanager
async def _running(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan, and an HTTP client sending concurrent requests to it."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            yield client


async def _until(condition: Any, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)
