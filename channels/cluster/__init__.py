"""State shared by several gateway processes, in Redis when `REDIS_URL` is set.

One gateway process keeps this state in memory (`make run`, most tests). Several gateways
behind a load balancer share it through Redis, each piece falling back to the process while
Redis is unreachable:

- `hub.RedisEventHub` relays the console's live events by pub/sub;
- `locks.RedisChatLocks` adds a Redis lock to each Telegram chat's in-process lock;
- `replies.RedisReplyCache` keeps the replies to a message id, so a resend is one turn;
- `counters`: chat rate limits, the console login throttle, Telegram update ids;
- `payloads.RedisPayloadStore`: Telegram buttons whose payload is too long for Telegram.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from redis.asyncio import Redis


def redis_client(settings: Settings) -> Redis | None:
    """A Redis client for the shared state, or None when `REDIS_URL` is empty.

    The client connects lazily (on its first command): building it opens no socket.
    """
    url = settings.redis_url.get_secret_value() if settings.redis_url else ""
    if not url:
        return None
    from redis.asyncio import Redis

    client: Redis = Redis.from_url(url, health_check_interval=30, socket_connect_timeout=5)
    return client
