"""Limits at the gateway's edge: numbers in URLs, body size and read time, message rate.

- Every integer the API takes (ids, `after`, `Last-Event-ID`) is an id of ours, far below 10**18:
  a longer run of digits is refused with a 400 before any route sees it (SQLite and PostgreSQL
  cannot bind it and the route would fail with a 500).
- A body larger than ``max_body_bytes`` is refused from its `Content-Length`, or as soon as the
  bytes read pass the limit, without reading the rest; a body that trickles in slower than
  ``body_timeout`` seconds is cut with a 408.
- The anonymous chat API, which drives the NLU engine, is rate limited per conversation and per
  client address (sliding one-minute windows) with a polite French 429; with several gateways
  the counts are shared in Redis (`channels.cluster.counters`).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import OrderedDict, deque

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from channels.texts import text

MAX_DIGITS = 18
_LONG_NUMBER = re.compile(rf"\d{{{MAX_DIGITS + 1},}}")


async def _refuse(send: Send, status: int, key: str, headers: list[tuple[bytes, bytes]]) -> None:
    body = json.dumps({"error": text(key), "detail": []}, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


class EdgeLimits:
    """ASGI middleware: long numbers, body size, body read time.

    The body is read here, whole (it is small), then replayed to the app: FastAPI turns any
    error raised while it reads a body into a generic 400, so the limits must act before it.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int = 64_000, body_timeout: float = 15.0):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_timeout = body_timeout

    def _has_long_number(self, scope: Scope) -> bool:
        query = scope.get("query_string", b"").decode("latin-1")
        headers = dict(scope.get("headers") or [])
        last_event = headers.get(b"last-event-id", b"").decode("latin-1")
        return any(_LONG_NUMBER.search(part) for part in (scope.get("path", ""), query, last_event))

    async def _read_body(self, receive: Receive, send: Send) -> bytes | None:
        """The whole body, or None once a refusal was sent (or the client left)."""
        chunks: list[bytes] = []
        size = 0
        deadline = time.monotonic() + self.body_timeout
        while True:
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                await _refuse(send, 408, "request_timeout", [(b"connection", b"close")])
                return None
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await _refuse(send, 413, "request_too_large", [(b"connection", b"close")])
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry point."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._has_long_number(scope):
            await _refuse(send, 400, "invalid_request", [])
            return
        length = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.max_body_bytes:
            await _refuse(send, 413, "request_too_large", [(b"connection", b"close")])
            return
        if scope.get("method") not in ("POST", "PUT", "PATCH", "DELETE"):
            await self.app(scope, receive, send)
            return
        body = await self._read_body(receive, send)
        if body is None:
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # after the body: wait for the client to leave
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


class RateLimiter:
    """At most ``limit`` events per key in any ``window`` seconds (memory bounded by ``max_keys``)."""

    def __init__(self, limit: int, window: float = 60.0, max_keys: int = 50_000) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._events: OrderedDict[str, deque[float]] = OrderedDict()

    def retry_after(self, key: str, now: float | None = None) -> int:
        """0 when the event is allowed (and counted), else the seconds to wait."""
        now = time.monotonic() if now is None else now
        events = self._events.pop(key, None) or deque()
        while events and events[0] <= now - self.window:
            events.popleft()
        self._events[key] = events  # most recently used last
        while len(self._events) > self.max_keys:
            self._events.popitem(last=False)
        if len(events) >= self.limit:
            return max(1, int(events[0] + self.window - now) + 1)
        events.append(now)
        return 0

    async def check(self, key: str) -> int:
        """`retry_after` for the chat API; shared counters (Redis) override it."""
        return self.retry_after(key)
