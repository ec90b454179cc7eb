"""Fixtures of the channel tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.channels.redis_support import SharedRedis, open_shared_redis


@pytest.fixture
async def shared_redis() -> AsyncIterator[SharedRedis]:
    """The local Redis under a unique key prefix, cleaned up (skipped without it, not in CI)."""
    async with open_shared_redis() as shared:
        yield shared
