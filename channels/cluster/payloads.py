"""Telegram's long button payloads shared by every gateway through Redis.

Telegram's `callback_data` holds 64 bytes; longer payloads are kept behind a random key
(`PayloadStore`). With webhooks, the tap on a button may reach another gateway than the one
that sent it, so the keys are also written to Redis (`<prefix>:tg-payload:<key>`, with expiry)
before the message carrying them is sent. A payload is the bot's own button text (an intent,
a scheme or commune name), never what the person typed.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from redis.exceptions import RedisError

from channels.telegram.render import STORED_PREFIX, PayloadStore

if TYPE_CHECKING:
    from redis.asyncio import Redis

logger = logging.getLogger(__name__)
# A button can be tapped days after its message; a week covers a paused conversation, and
# older buttons get "this button is no longer valid" (the person types or opens the menu).
PAYLOAD_SECONDS = 7 * 24 * 3600


class RedisPayloadStore(PayloadStore):
    """A `PayloadStore` whose keys every gateway can read."""

    def __init__(self, redis: Redis, prefix: str, seconds: int = PAYLOAD_SECONDS) -> None:
        super().__init__()
        self.redis, self.prefix, self.seconds = redis, prefix, seconds
        self._unsaved: dict[str, str] = {}

    def callback_data(self, payload: str) -> str:
        """The callback data, as in process; a new key waits for `save`."""
        data = super().callback_data(payload)
        if data.startswith(STORED_PREFIX):
            self._unsaved[data] = payload
        return data

    async def save(self) -> None:
        """Write the new keys to Redis (before their message is sent)."""
        if not self._unsaved:
            return
        unsaved, self._unsaved = self._unsaved, {}
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for key, payload in unsaved.items():
                    pipe.set(f"{self.prefix}:tg-payload:{key}", payload, ex=self.seconds)
                await pipe.execute()
        except (RedisError, OSError):
            logger.warning("Redis unavailable: long buttons work on this gateway only")

    async def lookup(self, callback_data: str) -> str | None:
        """The payload behind callback data, kept here or by another gateway."""
        local = self.payload(callback_data)
        if local is not None:
            return local
        try:
            raw = await self.redis.get(f"{self.prefix}:tg-payload:{callback_data}")
        except (RedisError, OSError):
            logger.warning("Redis unavailable: a long button from another gateway is lost")
            return None
        if raw is None:
            return None
        return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
