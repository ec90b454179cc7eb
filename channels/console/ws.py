"""`/console/ws`: live queue and two-way chat for advisers.

Connect with the session cookie (same origin only), then send `{"type": "auth", "csrf": "<token>"}`
first: the token never travels in the URL, which proxies and servers write to their logs.
Server -> client:
`{"type": "hello"}`, `{"type": "queue"}` (the queue changed: fetch `/console/api/queue`),
`{"type": "message", "ticket_id": N, "message": {...}}`, `{"type": "error", "error": "..."}`.
Client -> server: `{"type": "follow", "ticket_id": N, "after": id}`,
`{"type": "reply", "ticket_id": N, "text": "..."}`, `{"type": "typing", "ticket_id": N}` (the
adviser types: the person sees it), `{"type": "ping"}`. Server -> client also sends
`{"type": "typing", "ticket_id": N, "typing": bool}` (the person types) for followed tickets.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from channels.console import auth, store
from channels.console.api import MAX_TEXT
from channels.console.delivery import QUEUE_TOPIC, sender_topic, ticket_topic
from channels.console.labels import label
from channels.console.models import ADVISER, PERSON
from channels.console.serialize import message_json
from channels.console.service import HandoffService, NotAllowed
from channels.console.web_auth import Current, _load

router = APIRouter()
POLL_SECONDS = 5.0
CLOSE_UNAUTHORISED = 4401
AUTH_SECONDS = 10.0


def _same_origin(websocket: WebSocket) -> bool:
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # non-browser clients send no Origin; the cookie and CSRF token still apply
    return urlsplit(origin).netloc == websocket.headers.get("host")


class _Connection:
    """One adviser's socket: follows some tickets, pushes their new messages."""

    def __init__(self, websocket: WebSocket, service: HandoffService, current: Current) -> None:
        self.websocket, self.service, self.current = websocket, service, current
        self.following: dict[int, int] = {}  # ticket id -> last message id sent

    async def send(self, payload: dict[str, Any]) -> None:
        await self.websocket.send_text(json.dumps(payload, ensure_ascii=False))

    async def push_new_messages(self) -> None:
        for ticket_id, after in list(self.following.items()):
            for message in await self.service.db.run(store.messages_after, ticket_id, after):
                self.following[ticket_id] = message.id
                await self.send(
                    {"type": "message", "ticket_id": ticket_id, "message": message_json(message)}
                )

    async def pusher(self) -> None:
        while True:
            topics = {QUEUE_TOPIC, *(ticket_topic(t) for t in self.following)}
            await self.service.hub.wait(topics, POLL_SECONDS)
            await self.send({"type": "queue"})
            await self.push_new_messages()
            for ticket_id in self.following:
                typing = self.service.typing.is_typing(ticket_id, PERSON)
                await self.send({"type": "typing", "ticket_id": ticket_id, "typing": typing})

    async def handle(self, data: dict[str, Any]) -> None:
        kind = data.get("type")
        ticket_id = data.get("ticket_id")
        await self.service.db.run(store.touch_adviser, self.current.adviser.id)
        if kind == "follow" and isinstance(ticket_id, int):
            after = data.get("after")
            self.following[ticket_id] = after if isinstance(after, int) and after >= 0 else 0
            await self.push_new_messages()
        elif kind == "reply" and isinstance(ticket_id, int) and isinstance(data.get("text"), str):
            text_ = str(data["text"]).strip()
            if not text_ or len(text_) > MAX_TEXT:
                await self.send({"type": "error", "error": label("errors", "empty_text")})
                return
            try:
                await self.service.reply(ticket_id, self.current.adviser, text_)
            except NotAllowed:
                await self.send({"type": "error", "error": label("errors", "not_yours")})
        elif kind == "typing" and isinstance(ticket_id, int):
            await self._adviser_typing(ticket_id)
        elif kind == "ping":
            await self.send({"type": "pong"})

    async def _adviser_typing(self, ticket_id: int) -> None:
        ticket = await self.service.db.run(store.get_ticket, ticket_id)
        if ticket is not None and store.may_act(ticket, self.current.adviser):
            self.service.typing.mark(ticket_id, ADVISER)
            self.service.hub.notify(sender_topic(ticket.sender_id))

    async def reader(self) -> None:
        while True:
            raw = await self.websocket.receive_text()
            try:
                data = json.loads(raw)
            except ValueError:
                continue
            if isinstance(data, dict):
                await self.handle(data)


async def _authenticated(websocket: WebSocket, expected: str) -> bool:
    """The first message must carry the session's CSRF token."""
    try:
        raw = await asyncio.wait_for(websocket.receive_text(), AUTH_SECONDS)
        data = json.loads(raw)
    except (asyncio.TimeoutError, ValueError, WebSocketDisconnect, KeyError):
        return False
    token = data.get("csrf") if isinstance(data, dict) and data.get("type") == "auth" else None
    return isinstance(token, str) and auth.csrf_ok(expected, token)


@router.websocket("/console/ws")
async def console_socket(websocket: WebSocket) -> None:
    """Authenticated live channel of the console."""
    service: HandoffService = websocket.app.state.handoff
    secret = websocket.app.state.settings.secret_key.get_secret_value()
    current = await service.db.run(_load, websocket.cookies.get(auth.SESSION_COOKIE), secret)
    if current is None or not _same_origin(websocket):
        await websocket.close(code=CLOSE_UNAUTHORISED)
        return
    await websocket.accept()
    if not await _authenticated(websocket, current.csrf_token):
        await websocket.close(code=CLOSE_UNAUTHORISED)
        return
    connection = _Connection(websocket, service, current)
    await connection.send({"type": "hello", "adviser": current.adviser.email})
    tasks = [asyncio.create_task(connection.reader()), asyncio.create_task(connection.pusher())]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
                await task
