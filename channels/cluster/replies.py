"""Replies remembered per message id, so that a resent message never makes a second turn.

The widget (or any HTTP client) gives each message a random `message_id` and reuses it when it
sends the same message again after a time-out. The first request claims the id with an
in-flight marker and, once the turn is over, stores its replies for ``ttl`` seconds; a resend
gets them back without reaching Rasa, and a resend arriving while the turn still runs waits for
it. `ReplyCache` keeps this in the process (`make run`, the tests); `RedisReplyCache` in Redis
(`SET NX` with expiry as the marker, replies as JSON) so that any gateway replica recognises
a resend. Keys carry the conversation's pseudonym and the random id, never the text, and
erasing a conversation drops its replies (`forget`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError

from bot.privacy import pseudonym

if TYPE_CHECKING:
    from redis.asyncio import Redis

logger = logging.getLogger(__name__)
Replies = list[dict[str, Any]]
TTL_SECONDS = 600.0
# Longer than a whole turn (Rasa's time-out, the hand-off gate's database work): a gateway that
# dies mid-turn leaves a marker that frees itself after this, a live one never loses it.
PENDING_SECONDS = 90.0
# Longest a request waits for the turn of its message (its own or an earlier send's): below the
# widget's 45 s and HAProxy's 65 s, so the client hears "still in progress" and asks again.
WAIT_SECONDS = 30.0
MAX_ENTRIES = 50_000
# Expired entries are looked for in one pass this often, not on every message.
SWEEP_SECONDS = 30.0
_PENDING = b"pending"
# Drops a conversation's replies and its index in one step, so no claim slips in between.
_FORGET_SCRIPT = """
local ids = redis.call('SMEMBERS', KEYS[1])
for _, id in ipairs(ids) do redis.call('DEL', ARGV[1] .. id) end
redis.call('DEL', KEYS[1])
return #ids
"""


@dataclass(frozen=True)
class Begun:
    """What `begin` found: this request owns the turn, or replies, or a turn still running."""

    replies: Replies | None = None
    busy: bool = False

    @property
    def owner(self) -> bool:
        """True when this request must run the turn (then `finish` or `abandon` it)."""
        return self.replies is None and not self.busy


@dataclass
class _Entry:
    expires: float
    replies: Replies | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)


class ReplyCache:
    """In-process store of the replies to recent message ids (bounded, with expiry)."""

    def __init__(
        self,
        ttl: float = TTL_SECONDS,
        pending_seconds: float = PENDING_SECONDS,
        wait_seconds: float = WAIT_SECONDS,
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        self.ttl, self.pending_seconds = ttl, pending_seconds
        self.wait_seconds, self.max_entries = wait_seconds, max_entries
        self._entries: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
        self._next_sweep = 0.0

    async def begin(self, sender_id: str, message_id: str) -> Begun:
        """Claim the message id, or get its replies, waiting a while for a turn in flight."""
        return await self._begin_local(sender_id, message_id)

    async def finish(self, sender_id: str, message_id: str, replies: Replies) -> None:
        """Keep the replies of a claimed id (not when the conversation was erased meanwhile)."""
        self._finish_local(sender_id, message_id, replies)

    async def abandon(self, sender_id: str, message_id: str) -> None:
        """The turn failed before reaching Rasa: a resend of this id will be processed."""
        self._release_local(sender_id, message_id)

    async def forget(self, sender_id: str) -> None:
        """Drop every reply kept for this conversation (an eraser of personal data)."""
        self._forget_local(sender_id)

    async def _begin_local(self, sender_id: str, message_id: str) -> Begun:
        key = (sender_id, message_id)
        deadline = time.monotonic() + self.wait_seconds
        while True:
            entry = self._live_entry(key, time.monotonic())
            if entry is None:
                self._entries[key] = _Entry(expires=time.monotonic() + self.pending_seconds)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)[1].done.set()  # wake its waiters
                return Begun()
            if entry.replies is not None:
                return Begun(replies=entry.replies)
            now = time.monotonic()
            if now >= deadline:
                return Begun(busy=True)
            try:
                await asyncio.wait_for(entry.done.wait(), min(deadline, entry.expires) - now)
            except asyncio.TimeoutError:
                pass  # loop: the marker may have expired (its gateway died), or time is up

    def _finish_local(self, sender_id: str, message_id: str, replies: Replies) -> None:
        entry = self._entries.get((sender_id, message_id))
        if entry is None or entry.replies is not None:
            return
        entry.replies, entry.expires = replies, time.monotonic() + self.ttl
        entry.done.set()

    def _release_local(self, sender_id: str, message_id: str) -> None:
        entry = self._entries.pop((sender_id, message_id), None)
        if entry is not None:
            entry.done.set()  # waiters find no entry and claim the id themselves

    def _forget_local(self, sender_id: str) -> None:
        for key in [key for key in self._entries if key[0] == sender_id]:
            self._entries.pop(key).done.set()

    def _live_entry(self, key: tuple[str, str], now: float) -> _Entry | None:
        """The entry of this id unless expired; expired ones are swept now and then."""
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_SECONDS
            for old in [old for old, entry in self._entries.items() if entry.expires <= now]:
                self._entries.pop(old).done.set()
        entry = self._entries.get(key)
        if entry is not None and entry.expires <= now:
            del self._entries[key]
            entry.done.set()
            return None
        return entry


class RedisReplyCache(ReplyCache):
    """The same store in Redis, shared by every gateway; in process while Redis is down."""

    def __init__(
        self,
        redis: Redis,
        prefix: str,
        secret: str,
        ttl: float = TTL_SECONDS,
        pending_seconds: float = PENDING_SECONDS,
        wait_seconds: float = WAIT_SECONDS,
    ) -> None:
        super().__init__(ttl, pending_seconds, wait_seconds)
        self.redis, self.prefix, self.secret = redis, prefix, secret
        # Ids claimed in process because Redis failed: they are finished there too.
        self._local_claims: set[tuple[str, str]] = set()

    def _keys(self, sender_id: str) -> tuple[str, str]:
        """The prefix of this conversation's reply keys, and its index of message ids."""
        owner = pseudonym(sender_id, self.secret)
        return f"{self.prefix}:reply:{owner}:", f"{self.prefix}:replies:{owner}"

    async def begin(self, sender_id: str, message_id: str) -> Begun:
        """Claim the id in Redis (`SET NX EX`), or read its replies, polling a turn in flight."""
        try:
            return await self._begin_shared(sender_id, message_id)
        except (RedisError, OSError):
            logger.warning("Redis unavailable: resends recognised by this gateway only")
        begun = await self._begin_local(sender_id, message_id)
        if begun.owner:
            self._local_claims.add((sender_id, message_id))
        return begun

    async def _begin_shared(self, sender_id: str, message_id: str) -> Begun:
        prefix, index = self._keys(sender_id)
        key = prefix + message_id
        deadline = time.monotonic() + self.wait_seconds
        pause = 0.05
        while True:
            # One transaction: an erasure never sees the marker without the index entry.
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.set(key, _PENDING, nx=True, ex=_seconds(self.pending_seconds))
                pipe.sadd(index, message_id)
                pipe.expire(index, _seconds(self.ttl + self.pending_seconds))
                claimed, _, _ = await pipe.execute()
            if claimed:
                return Begun()
            raw = await self.redis.get(key)
            if raw is not None and raw != _PENDING:
                return Begun(replies=_decode(raw))
            if time.monotonic() >= deadline:
                return Begun(busy=True)
            if raw == _PENDING:
                await asyncio.sleep(pause)
                pause = min(pause * 2, 0.5)

    async def finish(self, sender_id: str, message_id: str, replies: Replies) -> None:
        """Store the replies over the marker (`XX`: not when an erasure removed it)."""
        if (sender_id, message_id) in self._local_claims:
            self._local_claims.discard((sender_id, message_id))
            self._finish_local(sender_id, message_id, replies)
            return
        prefix, _ = self._keys(sender_id)
        body = json.dumps(replies, ensure_ascii=False, separators=(",", ":"))
        try:
            await self.redis.set(prefix + message_id, body, xx=True, ex=_seconds(self.ttl))
        except (RedisError, OSError):
            logger.warning("Redis unavailable: a resend of this message will be processed again")

    async def abandon(self, sender_id: str, message_id: str) -> None:
        """Remove the marker, so that a resend (here or on another gateway) runs the turn."""
        if (sender_id, message_id) in self._local_claims:
            self._local_claims.discard((sender_id, message_id))
            self._release_local(sender_id, message_id)
            return
        prefix, _ = self._keys(sender_id)
        try:
            await self.redis.delete(prefix + message_id)
        except (RedisError, OSError):
            logger.warning("Redis unavailable: a resend waits for the marker to expire")

    async def forget(self, sender_id: str) -> None:
        """Drop the conversation's replies in Redis and here; a Redis failure propagates."""
        self._forget_local(sender_id)
        self._local_claims = {claim for claim in self._local_claims if claim[0] != sender_id}
        prefix, index = self._keys(sender_id)
        # Raised to the caller: the person is never told their data is gone when it is not.
        await self.redis.eval(_FORGET_SCRIPT, 1, index, prefix)


def _seconds(value: float) -> int:
    """A Redis expiry: whole seconds, at least one."""
    return max(1, round(value))


def _decode(raw: bytes | str) -> Replies:
    replies = json.loads(raw)
    return replies if isinstance(replies, list) else []
