"""The gateway's last line of defence: unexpected errors become short, honest answers.

A pure ASGI middleware rather than an ``Exception`` handler: Starlette re-raises after calling
such a handler, and uvicorn then logs the whole exception a second time, message included (the
message of a database error quotes the statement, that of a decoding error the person's text).
Here each error gives one log line: its type, the route template (never the path, which holds
conversation ids and kit tokens) and the traceback without the exception's message.
"""

from __future__ import annotations

import contextlib
import json
import logging
import traceback

from sqlalchemy.exc import OperationalError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from channels.texts import text

logger = logging.getLogger("channels.web.app")
# The widget retries on 503 by itself; the person is told the truth meanwhile.
DATABASE_RETRY_AFTER_SECONDS = 10


def describe(scope: Scope, error: BaseException) -> str:
    """One log entry for an error: type, method, route template, traceback without message."""
    route = getattr(scope.get("route"), "path", None) or "(no route)"
    frames = "".join(traceback.format_tb(error.__traceback__))
    return f"unexpected {type(error).__name__} on {scope.get('method', '')} {route}\n{frames}"


def _answer(error: Exception) -> tuple[int, dict[str, object], list[tuple[bytes, bytes]]]:
    headers = [(b"content-type", b"application/json")]
    if isinstance(error, OperationalError):
        # Locked, read-only or full database: nothing was stored, and the person must know it.
        headers.append((b"retry-after", str(DATABASE_RETRY_AFTER_SECONDS).encode()))
        return 503, {"error": text("database_unavailable"), "detail": []}, headers
    return 500, {"error": text("internal_error"), "detail": []}, headers


class UnexpectedErrors:
    """Catch what no route handled: log it once, answer 503/500 in French if still possible."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry point."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:  # noqa: BLE001 - the boundary of the whole gateway
            logger.error(describe(scope, error))
            if started:
                # A stream already under way just ends; the client reconnects.
                with contextlib.suppress(Exception):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            status, body, headers = _answer(error)
            await send({"type": "http.response.start", "status": status, "headers": headers})
            payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
            await send({"type": "http.response.body", "body": payload})
