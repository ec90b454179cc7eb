"""The local Redis for the shared-state tests: a unique key prefix per test, cleaned up after.

A test needing Redis is skipped when none answers, except in CI (`CI` set), where Redis is part
of the machine and its absence must fail the run rather than hide the Redis code paths.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest
import redis
from redis.asyncio import Redis

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# Nothing listens there: a Redis that is down.
DOWN_URL = "redis://127.0.0.1:1/0"


@dataclass
class SharedRedis:
    """A client on the test Redis and the prefix of this test's keys."""

    url: str
    prefix: str
    client: Redis

    async def keys(self) -> list[str]:
        """Every key of this test."""
        found = [key async for key in self.client.scan_iter(match=f"{self.prefix}:*")]
        return sorted(key.decode() if isinstance(key, bytes) else str(key) for key in found)


async def reachable(url: str = REDIS_URL) -> str | None:
    """None when Redis answers, else why not."""
    client: Redis = Redis.from_url(url, socket_connect_timeout=1)
    try:
        await client.ping()
    except Exception as error:  # noqa: BLE001 - any failure means "no Redis here"
        return f"{type(error).__name__}: {error}"
    finally:
        await client.aclose()
    return None


async def require_redis(url: str = REDIS_URL) -> None:
    """Skip without Redis, unless in CI: there a missing Redis fails the test."""
    skip_or_fail(await reachable(url), url)


def skip_or_fail(problem: str | None, url: str = REDIS_URL) -> None:
    """Nothing when Redis answered (`problem` is None); else a skip, or a failure in CI."""
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"Redis unreachable at {url} in CI: {problem}")
    pytest.skip(f"Redis unreachable at {url}: {problem}")


@asynccontextmanager
async def open_shared_redis() -> AsyncIterator[SharedRedis]:
    """The test Redis with a fresh prefix; the prefix's keys are deleted afterwards."""
    await require_redis()
    client: Redis = Redis.from_url(REDIS_URL)
    shared = SharedRedis(REDIS_URL, f"test-{uuid.uuid4().hex}", client)
    try:
        yield shared
    finally:
        keys = await shared.keys()
        if keys:
            await client.delete(*keys)
        await client.aclose()


def delete_prefix(url: str, prefix: str) -> None:
    """Delete a test's keys from synchronous code (tests that drive gateways with TestClient)."""
    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
