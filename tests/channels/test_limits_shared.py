"""Limits that hold across two gateways sharing Redis: chat rate limits and console logins.

With one gateway (no `REDIS_URL`) the same limits hold in process: see tests/channels/
test_chat_api.py and tests/robustness/test_login_throttle.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from anyio.from_thread import start_blocking_portal
from fastapi.testclient import TestClient

from tests.channels.console_support import (
    PASSWORD,
    FakeRasa,
    add_adviser,
    client_for,
    login_form_token,
    make_settings,
)
from tests.channels.redis_support import open_shared_redis, reachable, skip_or_fail

EMAIL = "anne@exemple.fr"


@pytest.fixture
def two_gateways(tmp_path: Path) -> Iterator[list[TestClient]]:
    """Two gateways on one database and one Redis (a fresh key prefix, cleaned up)."""
    skip_or_fail(asyncio.run(reachable()))
    with ExitStack() as stack:
        portal = stack.enter_context(start_blocking_portal())
        redis = stack.enter_context(portal.wrap_async_context_manager(open_shared_redis()))
        settings = make_settings(
            tmp_path,
            rasa_tracker_db=str(tmp_path / "tracker.db"),
            purge_interval_hours=0,
            redis_url=redis.url,
            redis_prefix=redis.prefix,
            chat_messages_per_minute_session=3,
        )
        gateway = contextmanager(client_for)
        yield [stack.enter_context(gateway(settings, FakeRasa())) for _ in range(2)]


def test_the_chat_rate_limit_counts_across_gateways(two_gateways: list[TestClient]) -> None:
    a, b = two_gateways
    codes = [
        gateway.post("/api/chat", json={"session_id": "fast", "text": "bonjour"}).status_code
        for gateway in (a, b, a, b)
    ]
    assert codes == [200, 200, 200, 429]
    refused = b.post("/api/chat", json={"session_id": "fast", "text": "encore"})
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 61
    assert "patienter" in refused.json()["error"]
    assert a.post("/api/chat", json={"session_id": "calm", "text": "bonjour"}).status_code == 200


def _attempt(client: TestClient, password: str) -> int:
    token = login_form_token(client)
    response = client.post(
        "/console/login",
        data={"email": EMAIL, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return int(response.status_code)


def test_login_failures_on_one_gateway_count_on_the_other(two_gateways: list[TestClient]) -> None:
    a, b = two_gateways
    add_adviser(a, EMAIL)
    codes = [_attempt(gateway, "wrong password!") for gateway in (a, b, a, b, a)]
    assert codes == [401] * 5
    assert _attempt(b, PASSWORD) == 401  # the sixth attempt from this address: not even checked


def test_a_success_on_one_gateway_clears_the_failures_on_the_other(
    two_gateways: list[TestClient],
) -> None:
    a, b = two_gateways
    add_adviser(a, EMAIL)
    assert [_attempt(a, "wrong password!") for _ in range(4)] == [401] * 4
    assert _attempt(b, PASSWORD) == 303
    assert [_attempt(a, "wrong password!") for _ in range(5)] == [401] * 5
    assert _attempt(b, PASSWORD) == 401
