"""Gateway state shared through the real local Redis (skipped without Redis, except in CI).

Two `RedisEventHub`s stand for two gateway processes: what one notifies reaches the other once,
in order. Two `RedisChatLocks` never let one chat's handlers run at the same time.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from redis.asyncio import Redis

from bot.settings import Settings
from channels.cluster import redis_client
from channels.cluster.hub import RedisEventHub
from channels.cluster.locks import ChatLocks, RedisChatLocks
from channels.console import ws
from channels.console.delivery import EventHub
from channels.console.install import _event_hub
from tests.channels.console_support import (
    FakeRasa,
    add_adviser,
    chat,
    client_for,
    login,
    make_settings,
)
from tests.channels.redis_support import REDIS_URL, delete_prefix, require_redis


@pytest.fixture
async def redis_url() -> AsyncIterator[str]:
    """The test Redis, or a skip when none answers (a failure in CI)."""
    await require_redis(REDIS_URL)
    yield REDIS_URL


def _hub(url: str, prefix: str) -> tuple[RedisEventHub, list[list[str]]]:
    hub = RedisEventHub(Redis.from_url(url), prefix)
    seen: list[list[str]] = []
    hub.observe(seen.append)
    return hub, seen


async def _until(condition: object, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition() and loop.time() < deadline:  # type: ignore[operator]
        await asyncio.sleep(0.01)


async def test_events_cross_gateways_exactly_once_in_order(redis_url: str) -> None:
    prefix = f"test-{uuid.uuid4().hex}"
    (a, seen_a), (b, seen_b) = _hub(redis_url, prefix), _hub(redis_url, prefix)
    sent = [[f"ticket:{i}", "queue"] if i % 3 == 0 else [f"sender:web:{i}"] for i in range(300)]
    async with a.running(), b.running():
        for topics in sent:
            a.notify(*topics)
        await _until(lambda: len(seen_b) >= len(sent))
        await asyncio.sleep(0.3)  # room for a duplicate to show up
    await a.redis.aclose()
    await b.redis.aclose()
    assert seen_b == sent  # delivered on the other gateway, once each, in order
    assert seen_a == sent  # and once locally: a gateway ignores its own echo


async def test_both_directions_interleaved(redis_url: str) -> None:
    prefix = f"test-{uuid.uuid4().hex}"
    (a, seen_a), (b, seen_b) = _hub(redis_url, prefix), _hub(redis_url, prefix)
    async with a.running(), b.running():
        for i in range(100):
            a.notify(f"a:{i}")
            b.notify(f"b:{i}")
            if i % 10 == 0:
                await asyncio.sleep(0)
        await _until(lambda: len(seen_a) >= 200 and len(seen_b) >= 200)
        await asyncio.sleep(0.3)
    await a.redis.aclose()
    await b.redis.aclose()
    for seen in (seen_a, seen_b):
        assert len(seen) == 200
        for side in ("a", "b"):
            assert [t[0] for t in seen if t[0].startswith(side)] == [
                f"{side}:{i}" for i in range(100)
            ]


async def test_a_listener_on_one_gateway_wakes_for_the_other(redis_url: str) -> None:
    """The adviser on gateway A learns at once of a person's message arriving on gateway B."""
    prefix = f"test-{uuid.uuid4().hex}"
    (a, _), (b, _) = _hub(redis_url, prefix), _hub(redis_url, prefix)
    async with a.running(), b.running():
        waiting = asyncio.create_task(a.wait({"ticket:7"}, timeout=5))
        await asyncio.sleep(0.05)
        started = asyncio.get_running_loop().time()
        b.notify("ticket:7")
        woke = await waiting
        elapsed = asyncio.get_running_loop().time() - started
    await a.redis.aclose()
    await b.redis.aclose()
    assert woke and elapsed < 1.0


async def test_in_process_hubs_do_not_share() -> None:
    """Without Redis two processes only poll: the reason RedisEventHub exists."""
    a, b = EventHub(), EventHub()
    seen: list[list[str]] = []
    b.observe(seen.append)
    async with a.running(), b.running():
        a.notify("queue")
        await asyncio.sleep(0.05)
    assert seen == []


async def test_settings_choose_the_hub(redis_url: str) -> None:
    assert type(_event_hub(Settings(redis_url=None))) is EventHub
    assert redis_client(Settings(redis_url=SecretStr(""))) is None
    hub = _event_hub(Settings(redis_url=SecretStr(redis_url), redis_prefix="p"))
    assert isinstance(hub, RedisEventHub) and hub.channel == "p:events"
    await hub.redis.aclose()


async def _overlaps(locks: list[ChatLocks], chat_id: int) -> tuple[int, list[int]]:
    """Run 2 handlers per lock object on one chat; the most that ran at once, and the order."""
    running, most, order = 0, 0, []

    async def handler(locks_: ChatLocks, number: int) -> None:
        nonlocal running, most
        async with locks_.hold(chat_id):
            running += 1
            most = max(most, running)
            order.append(number)
            await asyncio.sleep(0.05)
            running -= 1

    tasks = [asyncio.create_task(handler(locks[i % len(locks)], i)) for i in range(4)]
    await asyncio.gather(*tasks)
    return most, order


async def test_redis_chat_locks_serialise_a_chat_across_gateways(redis_url: str) -> None:
    prefix = f"test-{uuid.uuid4().hex}"
    a = RedisChatLocks(Redis.from_url(redis_url), prefix)
    b = RedisChatLocks(Redis.from_url(redis_url), prefix)
    most, order = await _overlaps([a, b], chat_id=42)
    await a.aclose()
    await b.aclose()
    assert most == 1 and sorted(order) == [0, 1, 2, 3]
    # Within one gateway, arrival order is kept (FIFO local lock first).
    assert order.index(0) < order.index(2) and order.index(1) < order.index(3)


async def test_in_process_chat_locks_alone_would_overlap() -> None:
    """Two processes with only local locks run the same chat's handlers at the same time."""
    most, _ = await _overlaps([ChatLocks(), ChatLocks()], chat_id=42)
    assert most == 2


async def test_redis_down_keeps_the_gateway_working() -> None:
    """No Redis: local listeners still wake and chats still run, in order, one at a time."""
    unreachable = "redis://127.0.0.1:1/0"
    hub = RedisEventHub(Redis.from_url(unreachable, socket_connect_timeout=0.2), "down")
    seen: list[list[str]] = []
    hub.observe(seen.append)
    async with hub.running():
        waiting = asyncio.create_task(hub.wait({"queue"}, timeout=2))
        await asyncio.sleep(0)
        hub.notify("queue")
        assert await waiting
    await hub.redis.aclose()
    assert seen == [["queue"]]
    locks = RedisChatLocks(Redis.from_url(unreachable, socket_connect_timeout=0.2), "down")
    most, order = await _overlaps([locks], chat_id=1)
    await locks.aclose()
    assert most == 1 and order == [0, 1, 2, 3]


def test_adviser_on_gateway_a_sees_a_message_arriving_on_gateway_b(
    tmp_path: Path, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two gateway apps, one database, one Redis: the socket on A is pushed B's message at once.

    The socket's database poll is pushed out to 60 s, so only the Redis relay can be in time.
    """
    monkeypatch.setattr(ws, "POLL_SECONDS", 60.0)
    prefix = f"test-{uuid.uuid4().hex}"
    settings = make_settings(tmp_path, redis_url=redis_url, redis_prefix=prefix)
    fake = FakeRasa()
    gateway_a, gateway_b = client_for(settings, fake), client_for(settings, fake)
    a, b = next(gateway_a), next(gateway_b)
    try:
        add_adviser(a, "conseil@exemple.fr")
        csrf = login(a, "conseil@exemple.fr")
        chat(b, "person-ab", "un humain svp")
        ticket_id = a.get("/console/api/queue").json()["tickets"][0]["id"]
        a.post(f"/console/api/tickets/{ticket_id}/claim", headers={"X-CSRF-Token": csrf})
        with a.websocket_connect("/console/ws") as socket:
            socket.send_json({"type": "auth", "csrf": csrf})
            assert socket.receive_json()["type"] == "hello"
            socket.send_json({"type": "follow", "ticket_id": ticket_id, "after": 0})
            assert socket.receive_json()["message"]["author"] == "system"
            started = time.monotonic()
            chat(b, "person-ab", "bonjour depuis B")
            received = _next_person_message(socket)
            elapsed = time.monotonic() - started
            socket.close()
    finally:
        for gateway in (gateway_a, gateway_b):
            gateway.close()
        delete_prefix(redis_url, prefix)  # rate limits and login counters of the two gateways
    assert received["message"]["text"] == "bonjour depuis B"
    assert elapsed < 5.0


def _next_person_message(socket: Any) -> dict[str, Any]:
    for _ in range(20):
        data: dict[str, Any] = socket.receive_json()
        if data["type"] == "message" and data["message"]["author"] == "person":
            return data
    raise AssertionError("no message pushed")
