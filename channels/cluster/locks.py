"""Per-chat ordering locks: in process, plus a Redis lock when several gateways share the chats.

`ChatLocks.hold(chat_id)` is taken by a Telegram handler before its first await. The in-process
`asyncio.Lock` is FIFO, so within one gateway a chat's updates reach Rasa in the order they
arrived. `RedisChatLocks` then also takes a Redis lock named after the chat, so two gateways never
forward the same chat's messages at the same time (Rasa's own lock store serialises the tracker,
this keeps the replies of one message together). The Redis lock expires on its own if a gateway
dies while holding it; if Redis is unreachable the handler goes on with the local lock only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redis.asyncio import Redis

logger = logging.getLogger(__name__)
# Longer than a whole handler (Rasa timeout, then sending with retries): a dead holder's lock
# frees itself after this, a live one never loses it halfway.
LOCK_SECONDS = 120.0
# Longest wait for another gateway's handler of the same chat before going on without the lock.
WAIT_SECONDS = 60.0


class ChatLocks:
    """One FIFO lock per chat inside this process."""

    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}

    def hold(self, chat_id: int) -> AbstractAsyncContextManager[None]:
        """`async with locks.hold(chat_id):` one handler of this chat at a time."""
        return self._local(chat_id)

    @asynccontextmanager
    async def _local(self, chat_id: int) -> AsyncIterator[None]:
        async with self._locks.setdefault(chat_id, asyncio.Lock()):
            yield

    async def aclose(self) -> None:
        """Release resources (none in process)."""


class RedisChatLocks(ChatLocks):
    """The in-process FIFO lock, then a Redis lock shared by every gateway."""

    def __init__(
        self,
        redis: Redis,
        prefix: str,
        lock_seconds: float = LOCK_SECONDS,
        wait_seconds: float = WAIT_SECONDS,
    ) -> None:
        super().__init__()
        self.redis, self.prefix = redis, prefix
        self.lock_seconds, self.wait_seconds = lock_seconds, wait_seconds

    def hold(self, chat_id: int) -> AbstractAsyncContextManager[None]:
        """Local lock first (keeps this process's arrival order), then the shared one."""
        return self._shared(chat_id)

    @asynccontextmanager
    async def _shared(self, chat_id: int) -> AsyncIterator[None]:
        async with self._local(chat_id):
            lock = self.redis.lock(
                f"{self.prefix}:chat-lock:{chat_id}",
                timeout=self.lock_seconds,
                blocking_timeout=self.wait_seconds,
                sleep=0.05,
            )
            try:
                acquired = await lock.acquire()
            except Exception:  # noqa: BLE001 - Redis down: order within this gateway only
                logger.warning("Redis chat lock unavailable; going on with the local lock")
                acquired = False
            if not acquired:
                logger.warning("chat lock still held elsewhere after %.0f s", self.wait_seconds)
            try:
                yield
            finally:
                if acquired:
                    await self._release(lock)

    @staticmethod
    async def _release(lock: object) -> None:
        try:
            await lock.release()  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - expired or Redis gone: it frees itself
            logger.warning("could not release a Redis chat lock", exc_info=True)

    async def aclose(self) -> None:
        """Close the Redis connections."""
        await self.redis.aclose()
