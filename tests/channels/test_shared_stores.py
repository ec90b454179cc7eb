"""The gateway's stores, in process and in Redis (two objects on one Redis = two gateways).

Each store is tested in both modes with the same assertions: `process` is one gateway
(`REDIS_URL` empty), `redis` is two gateway objects sharing the local Redis under a unique
prefix (skipped without Redis, except in CI). With Redis down, every store falls back to the
process and keeps working.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from channels.cluster.counters import (
    RecentIds,
    RedisLoginThrottle,
    RedisRateLimiter,
    RedisRecentIds,
)
from channels.cluster.payloads import RedisPayloadStore
from channels.cluster.replies import Begun, RedisReplyCache, ReplyCache
from channels.console.throttle import LoginThrottle
from channels.telegram.render import PayloadStore
from channels.web.limits import RateLimiter
from tests.channels.redis_support import DOWN_URL, SharedRedis, open_shared_redis

SECRET = "test-secret"
SENDER = "web:session-a"
REPLIES: list[dict[str, Any]] = [{"text": "Bonjour !", "buttons": [], "image": None, "custom": {}}]
Gateways = Callable[[], Any]


@pytest.fixture(params=["process", "redis"])
async def redis_or_none(request: pytest.FixtureRequest) -> AsyncIterator[SharedRedis | None]:
    """None for the in-process stores, else the test Redis (fresh prefix, cleaned up)."""
    if request.param == "process":
        yield None
        return
    async with open_shared_redis() as shared:
        yield shared


@pytest.fixture
async def clients(redis_or_none: SharedRedis | None) -> AsyncIterator[list[Redis]]:
    """One Redis client per gateway object made by a test, closed afterwards."""
    made: list[Redis] = []
    yield made
    for client in made:
        await client.aclose()


def _client(shared: SharedRedis, made: list[Redis], url: str | None = None) -> Redis:
    client: Redis = Redis.from_url(url or shared.url, socket_connect_timeout=1)
    made.append(client)
    return client


@pytest.fixture
def reply_caches(redis_or_none: SharedRedis | None, clients: list[Redis]) -> Gateways:
    """Makes the reply cache of "a gateway": the same one in process, a new one on Redis."""
    local = ReplyCache(ttl=1, pending_seconds=5, wait_seconds=2)

    def make() -> ReplyCache:
        if redis_or_none is None:
            return local
        return RedisReplyCache(
            _client(redis_or_none, clients), redis_or_none.prefix, SECRET, 1, 5, 2
        )

    return make


async def test_a_resend_gets_the_replies_without_a_second_turn(reply_caches: Gateways) -> None:
    first, other = reply_caches(), reply_caches()
    assert (await first.begin(SENDER, "msg-00001")).owner
    await first.finish(SENDER, "msg-00001", REPLIES)
    assert await other.begin(SENDER, "msg-00001") == Begun(replies=REPLIES)
    # Another conversation's message with the same id is its own turn.
    assert (await other.begin("web:session-b", "msg-00001")).owner


async def test_a_resend_during_the_turn_waits_for_its_replies(reply_caches: Gateways) -> None:
    first, other = reply_caches(), reply_caches()
    assert (await first.begin(SENDER, "msg-00002")).owner
    waiting = asyncio.create_task(other.begin(SENDER, "msg-00002"))
    await asyncio.sleep(0.3)
    assert not waiting.done()
    await first.finish(SENDER, "msg-00002", REPLIES)
    assert await asyncio.wait_for(waiting, 2) == Begun(replies=REPLIES)


async def test_an_abandoned_turn_lets_the_resend_run_it(reply_caches: Gateways) -> None:
    first, other = reply_caches(), reply_caches()
    assert (await first.begin(SENDER, "msg-00003")).owner
    waiting = asyncio.create_task(other.begin(SENDER, "msg-00003"))
    await asyncio.sleep(0.2)
    await first.abandon(SENDER, "msg-00003")
    assert (await asyncio.wait_for(waiting, 2)).owner


async def test_a_turn_longer_than_the_wait_is_reported_busy(reply_caches: Gateways) -> None:
    first, other = reply_caches(), reply_caches()
    assert (await first.begin(SENDER, "msg-00004")).owner
    assert (await other.begin(SENDER, "msg-00004")).busy  # after wait_seconds (2 s)


async def test_replies_expire_after_the_ttl(reply_caches: Gateways) -> None:
    cache = reply_caches()
    assert (await cache.begin(SENDER, "msg-00005")).owner
    await cache.finish(SENDER, "msg-00005", REPLIES)
    await asyncio.sleep(1.3)
    assert (await reply_caches().begin(SENDER, "msg-00005")).owner


async def test_forget_drops_the_replies_and_a_turn_in_flight(reply_caches: Gateways) -> None:
    first, other = reply_caches(), reply_caches()
    for message_id in ("msg-00006", "msg-00007"):
        assert (await first.begin(SENDER, message_id)).owner
    await first.finish(SENDER, "msg-00006", REPLIES)
    await other.begin("web:someone-else", "msg-00006")
    await other.finish("web:someone-else", "msg-00006", REPLIES)
    await other.forget(SENDER)
    await first.finish(SENDER, "msg-00007", REPLIES)  # erased mid-turn: not kept
    assert (await other.begin(SENDER, "msg-00006")).owner
    assert (await other.begin(SENDER, "msg-00007")).owner
    assert await other.begin("web:someone-else", "msg-00006") == Begun(replies=REPLIES)


async def test_redis_keys_name_no_conversation_and_all_expire(shared_redis: SharedRedis) -> None:
    client = Redis.from_url(shared_redis.url)
    cache = RedisReplyCache(client, shared_redis.prefix, SECRET)
    await cache.begin(SENDER, "msg-00008")
    await cache.finish(SENDER, "msg-00008", REPLIES)
    keys = await shared_redis.keys()
    assert len(keys) == 2 and not any("session-a" in key for key in keys)
    assert all([0 < await shared_redis.client.ttl(key) <= 690 for key in keys])
    await cache.forget(SENDER)
    assert await shared_redis.keys() == []
    await client.aclose()


async def test_replies_fall_back_to_the_process_when_redis_is_down() -> None:
    down = Redis.from_url(DOWN_URL, socket_connect_timeout=0.5)
    cache = RedisReplyCache(down, "test", SECRET, wait_seconds=1)
    assert (await cache.begin(SENDER, "msg-00009")).owner
    await cache.finish(SENDER, "msg-00009", REPLIES)
    assert await cache.begin(SENDER, "msg-00009") == Begun(replies=REPLIES)
    with pytest.raises((RedisError, OSError)):
        await cache.forget(SENDER)  # never claim an erasure that did not happen
    await down.aclose()


@pytest.fixture
def limiters(redis_or_none: SharedRedis | None, clients: list[Redis]) -> Gateways:
    local = RateLimiter(3)

    def make() -> RateLimiter:
        if redis_or_none is None:
            return local
        name = f"{redis_or_none.prefix}:rate:session"
        return RedisRateLimiter(_client(redis_or_none, clients), name, SECRET, 3)

    return make


async def test_the_rate_limit_counts_across_gateways(limiters: Gateways) -> None:
    first, other = limiters(), limiters()
    assert [await first.check("s"), await other.check("s"), await first.check("s")] == [0, 0, 0]
    wait = await other.check("s")
    assert 1 <= wait <= 61
    assert await first.check("another") == 0


async def test_the_rate_limit_falls_back_to_the_process_when_redis_is_down() -> None:
    down = Redis.from_url(DOWN_URL, socket_connect_timeout=0.5)
    limiter = RedisRateLimiter(down, "test:rate", SECRET, 2)
    assert [await limiter.check("s") for _ in range(3)][:2] == [0, 0]
    assert await limiter.check("s") > 0
    await down.aclose()


@pytest.fixture
def throttles(redis_or_none: SharedRedis | None, clients: list[Redis]) -> Gateways:
    local = LoginThrottle()

    def make() -> LoginThrottle:
        if redis_or_none is None:
            return local
        return RedisLoginThrottle(_client(redis_or_none, clients), redis_or_none.prefix, SECRET)

    return make


async def test_login_attempts_count_across_gateways(throttles: Gateways) -> None:
    first, other = throttles(), throttles()
    gateways = [first, other] * 3
    results = [await g.attempt("a@exemple.fr", "203.0.113.9") for g in gateways]
    assert results == [True] * 5 + [False]
    assert await other.attempt("a@exemple.fr", "198.51.100.1")  # the adviser's own address
    await first.success("a@exemple.fr", "198.51.100.1")


async def test_parallel_login_attempts_all_count(throttles: Gateways) -> None:
    first, other = throttles(), throttles()
    results = await asyncio.gather(
        *[(first if i % 2 else other).attempt("b@exemple.fr", "192.0.2.1") for i in range(20)]
    )
    assert sorted(results).count(True) == 5


async def test_a_success_clears_the_account_and_an_address_has_a_budget(
    throttles: Gateways,
) -> None:
    first, other = throttles(), throttles()
    for _ in range(4):
        assert await first.attempt("c@exemple.fr", "192.0.2.2")
    await other.success("c@exemple.fr", "192.0.2.2")
    assert all([await first.attempt("c@exemple.fr", "192.0.2.2") for _ in range(5)])
    many = [await other.attempt(f"{i}@exemple.fr", "192.0.2.3") for i in range(31)]
    assert many == [True] * 30 + [False]


async def test_the_login_throttle_falls_back_to_the_process_when_redis_is_down() -> None:
    down = Redis.from_url(DOWN_URL, socket_connect_timeout=0.5)
    throttle = RedisLoginThrottle(down, "test", SECRET)
    results = [await throttle.attempt("d@exemple.fr", "192.0.2.4") for _ in range(6)]
    assert results == [True] * 5 + [False]
    await down.aclose()


@pytest.fixture
def update_ids(redis_or_none: SharedRedis | None, clients: list[Redis]) -> Gateways:
    local = RecentIds()

    def make() -> RecentIds:
        if redis_or_none is None:
            return local
        return RedisRecentIds(_client(redis_or_none, clients), redis_or_none.prefix)

    return make


async def test_a_telegram_update_id_is_handled_once_by_any_gateway(update_ids: Gateways) -> None:
    first, other = update_ids(), update_ids()
    assert await first.first_time(1001)
    assert not await other.first_time(1001)
    assert not await first.first_time(1001)
    assert await other.first_time(1002)


@pytest.fixture
def payload_stores(redis_or_none: SharedRedis | None, clients: list[Redis]) -> Gateways:
    local = PayloadStore()

    def make() -> PayloadStore:
        if redis_or_none is None:
            return local
        return RedisPayloadStore(_client(redis_or_none, clients), redis_or_none.prefix)

    return make


async def test_a_long_button_is_recognised_by_any_gateway(payload_stores: Gateways) -> None:
    sender, tapped = payload_stores(), payload_stores()
    long_payload = '/ask_scheme_details{"scheme":"Aide au permis de conduire des apprentis"}'
    data = sender.callback_data(long_payload)
    assert data.startswith("p:") and len(data.encode()) <= 64
    assert sender.callback_data("/greet") == "/greet"
    await sender.save()
    assert await tapped.lookup(data) == long_payload
    assert await tapped.lookup("/greet") == "/greet"
    assert await tapped.lookup("p:unknown") is None


async def test_redis_payloads_expire(shared_redis: SharedRedis) -> None:
    client = Redis.from_url(shared_redis.url)
    store = RedisPayloadStore(client, shared_redis.prefix)
    store.callback_data("/x" + "y" * 80)
    await store.save()
    (key,) = await shared_redis.keys()
    assert 0 < await shared_redis.client.ttl(key) <= 7 * 24 * 3600
    await client.aclose()


async def test_payloads_stay_usable_on_this_gateway_when_redis_is_down() -> None:
    down = Redis.from_url(DOWN_URL, socket_connect_timeout=0.5)
    store = RedisPayloadStore(down, "test")
    data = store.callback_data("/x" + "y" * 80)
    await store.save()
    assert await store.lookup(data) == "/x" + "y" * 80
    assert await store.lookup("p:from-elsewhere") is None
    await down.aclose()
