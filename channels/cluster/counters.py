"""Counters shared by every gateway through Redis: chat rate limits, login throttle, update ids.

Each class extends its in-process counterpart and falls back to it while Redis is unreachable
(a limit then counts per gateway again, as with one gateway; nothing is refused for it).
Keys name a person only by an HMAC keyed with `SECRET_KEY` (addresses and e-mails are
personal data) and expire on their own.

- `RedisRateLimiter`: fixed one-minute windows, `INCR` + `EXPIRE` (the in-process limiter's
  window slides; a fixed one lets at most twice the limit through across a window's edge).
- `RedisLoginThrottle`: one counter per (account, address) and one per address, created with
  their 15-minute expiry and incremented in one transaction *before* the password is checked,
  so parallel attempts on several gateways all count.
- `RedisRecentIds`: Telegram update ids already received (`SET NX EX`), so a webhook retry
  that reaches another gateway is dropped too.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from redis.exceptions import RedisError

from bot.privacy import pseudonym
from channels.console.throttle import (
    MAX_ATTEMPTS_PER_ADDRESS,
    MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS,
    WINDOW_SECONDS,
    LoginThrottle,
)
from channels.web.limits import RateLimiter

if TYPE_CHECKING:
    from redis.asyncio import Redis

logger = logging.getLogger(__name__)
# Telegram retries a webhook call within minutes when our answer did not reach it.
UPDATE_ID_SECONDS = 3600


class RedisRateLimiter(RateLimiter):
    """At most ``limit`` events per key in each fixed window, counted across gateways."""

    def __init__(
        self, redis: Redis, name: str, secret: str, limit: int, window: float = 60.0
    ) -> None:
        super().__init__(limit, window)
        # `name` tells the limiters apart: "<prefix>:rate:session", "<prefix>:rate:address".
        self.redis, self.name, self.secret = redis, name, secret

    async def check(self, key: str) -> int:
        """0 when the event is allowed (and counted), else the seconds to wait."""
        now = time.time()  # wall clock: every gateway must agree on the window
        slot = int(now // self.window)
        name = f"{self.name}:{pseudonym(key, self.secret)}:{slot}"
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.incr(name)
                pipe.expire(name, int(self.window) + 1)
                count, _ = await pipe.execute()
        except (RedisError, OSError):
            logger.warning("Redis unavailable: rate limit counted by this gateway only")
            return self.retry_after(key)
        if int(count) <= self.limit:
            return 0
        return max(1, int((slot + 1) * self.window - now) + 1)


class RedisLoginThrottle(LoginThrottle):
    """The login throttle's two budgets, counted across gateways."""

    def __init__(self, redis: Redis, prefix: str, secret: str) -> None:
        super().__init__()
        self.redis, self.prefix, self.secret = redis, prefix, secret

    def _names(self, email: str, address: str) -> tuple[str, str]:
        pair = pseudonym(f"{email}\n{address}", self.secret)
        return (
            f"{self.prefix}:login:pair:{pair}",
            f"{self.prefix}:login:address:{pseudonym(address, self.secret)}",
        )

    async def attempt(self, email: str, address: str) -> bool:
        """Count one attempt; False when it must be refused without checking the password."""
        pair, overall = self._names(email, address)
        try:
            # The window starts at the first attempt (`SET NX EX`) and later ones never extend
            # it, so counting refused attempts too cannot keep an address locked for ever.
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.set(pair, 0, nx=True, ex=WINDOW_SECONDS)
                pipe.incr(pair)
                pipe.set(overall, 0, nx=True, ex=WINDOW_SECONDS)
                pipe.incr(overall)
                _, pair_count, _, overall_count = await pipe.execute()
        except (RedisError, OSError):
            logger.warning("Redis unavailable: login attempts counted by this gateway only")
            return self.begin(email, address)
        return (
            int(pair_count) <= MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS
            and int(overall_count) <= MAX_ATTEMPTS_PER_ADDRESS
        )

    async def success(self, email: str, address: str) -> None:
        """The password was right: that account's failures from this address are forgotten."""
        self.succeeded(email, address)
        pair, _ = self._names(email, address)
        try:
            await self.redis.delete(pair)
        except (RedisError, OSError):
            logger.warning("Redis unavailable: earlier failures stay counted until they expire")


class RecentIds:
    """The last update ids received, so that a replayed update is not processed twice."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._ids: dict[int, None] = {}

    def add(self, update_id: int) -> bool:
        """True when the id is new (and now remembered)."""
        if update_id in self._ids:
            return False
        self._ids[update_id] = None
        if len(self._ids) > self.size:
            del self._ids[next(iter(self._ids))]
        return True

    async def first_time(self, update_id: int) -> bool:
        """`add` for the webhook route; the Redis variant overrides it."""
        return self.add(update_id)


class RedisRecentIds(RecentIds):
    """Update ids received by any gateway, for an hour."""

    def __init__(self, redis: Redis, prefix: str, seconds: int = UPDATE_ID_SECONDS) -> None:
        super().__init__()
        self.redis, self.prefix, self.seconds = redis, prefix, seconds

    async def first_time(self, update_id: int) -> bool:
        """True when no gateway received this update id before (and it is now marked)."""
        try:
            marked = await self.redis.set(
                f"{self.prefix}:tg-update:{update_id}", 1, nx=True, ex=self.seconds
            )
        except (RedisError, OSError):
            logger.warning("Redis unavailable: Telegram retries recognised by this gateway only")
            return self.add(update_id)
        self.add(update_id)  # so a fallback to this process still knows it
        return bool(marked)
