"""`RedisEventHub`: the console's live-event hub shared by every gateway through Redis pub/sub.

`EventHub.notify` wakes this process's listeners at once and queues the topics; one task
publishes the queue in order on one connection, and one task per process listens on the shared
channel and wakes the local listeners of events published by other processes (its own are
skipped: they were delivered locally). Pub/sub is fire-and-forget: an event lost while Redis
is unreachable only delays a listener until its next poll (the WebSocket and event-stream loops
also poll the database every few seconds), so no message is lost, only late.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from channels.console.delivery import EventHub

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from redis.asyncio.client import PubSub

logger = logging.getLogger(__name__)
RETRY_SECONDS = 1.0
# Events queued while Redis is slow or down; beyond, the oldest are dropped (polling covers them).
MAX_PENDING = 10_000


class RedisEventHub(EventHub):
    """An `EventHub` whose notifications also reach the other gateways sharing `redis`."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        super().__init__()
        self.redis = redis
        self.channel = f"{prefix}:events"
        self.origin = uuid.uuid4().hex
        self._pending: asyncio.Queue[list[str]] | None = None
        self._stopping = False

    def notify(self, *topics: str) -> None:
        """Wake this process's listeners now, and queue the topics for the other processes."""
        self._deliver(list(topics))
        if self._pending is None or not topics:
            return  # not running (yet): other processes fall back to polling
        if self._pending.qsize() >= MAX_PENDING:
            self._pending.get_nowait()
            self._pending.task_done()
            logger.warning("live-event queue full: dropping the oldest event")
        self._pending.put_nowait(list(topics))

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Subscribe, then publish and listen until the gateway stops."""
        pubsub = self.redis.pubsub()
        try:
            await self._subscribe(pubsub)
        except Exception:  # noqa: BLE001 - Redis down at start-up: the listener keeps retrying
            logger.warning("Redis unreachable: live events from other gateways are polled")
        self._pending, self._stopping = asyncio.Queue(), False
        tasks = [
            asyncio.create_task(self._publisher(self._pending)),
            asyncio.create_task(self._listener(pubsub)),
        ]
        try:
            yield
        finally:
            await self._drain()
            self._pending, self._stopping = None, True
            for task in tasks:
                task.cancel()
            # redis-py may turn a cancellation inside a read into a connection error: the
            # listener then sees `_stopping` within RETRY_SECONDS.
            await asyncio.wait(tasks, timeout=3 * RETRY_SECONDS)
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def _subscribe(self, pubsub: PubSub) -> None:
        """Subscribe and wait for Redis to confirm, so no event published afterwards is missed."""
        await pubsub.subscribe(self.channel)
        for _ in range(5):
            reply = await pubsub.get_message(timeout=1.0)
            if reply is not None and reply.get("type") == "subscribe":
                return
        raise ConnectionError("Redis did not confirm the subscription")

    async def _drain(self, timeout: float = 2.0) -> None:
        """Give queued events a moment to leave before stopping."""
        if self._pending is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._pending.join(), timeout)

    async def _publisher(self, pending: asyncio.Queue[list[str]]) -> None:
        while True:
            topics = await pending.get()
            body = json.dumps({"origin": self.origin, "topics": topics})
            while True:
                try:
                    await self.redis.publish(self.channel, body)
                    pending.task_done()
                    break
                except asyncio.CancelledError:
                    raise
                except Exception:  # noqa: BLE001 - retry, the queue keeps the order
                    logger.warning("Redis publish failed; retrying", exc_info=True)
                    await asyncio.sleep(RETRY_SECONDS)

    async def _listener(self, pubsub: PubSub) -> None:
        while not self._stopping:
            try:
                if not pubsub.subscribed:
                    await self._subscribe(pubsub)
                message = await pubsub.get_message(timeout=RETRY_SECONDS)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - reconnect after a pause; polling covers the gap
                if self._stopping:
                    return
                logger.warning("Redis pub/sub failed; reconnecting", exc_info=True)
                await asyncio.sleep(RETRY_SECONDS)
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
                continue
            if message is not None and message.get("type") == "message":
                self._receive(message.get("data"))

    def _receive(self, data: Any) -> None:
        try:
            event = json.loads(data)
            origin, topics = event["origin"], event["topics"]
        except (TypeError, ValueError, KeyError):
            logger.warning("ignoring a malformed live event")
            return
        if origin != self.origin and isinstance(topics, list):
            self._deliver([str(topic) for topic in topics])
