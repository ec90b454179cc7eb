"""The person's side of a hand-off on the website: adviser messages by polling or event stream.

- `GET /api/chat/{session_id}/events?after=<id>`: JSON list of adviser, system and bot messages
  with an id above `after`, and the hand-off state.
- `GET /api/chat/{session_id}/stream?after=<id>`: the same as server-sent events (`id:` is the
  message id, so `EventSource` resumes with `Last-Event-ID` after a reconnection). The stream ends
  after `timeout` seconds (25 by default, 60 at most), and at once when the gateway stops;
  `EventSource` reconnects by itself.

The session id is the conversation's secret, as for `POST /api/chat`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy.orm import Session

from channels.console import store
from channels.console.delivery import sender_topic, ticket_topic
from channels.console.models import ADVISER, CALLBACK, CLAIMED, PERSON
from channels.console.serialize import person_event
from channels.console.service import HandoffService, first_name
from channels.router import sender_id_for
from channels.web.schemas import SESSION_ID_PATTERN

router = APIRouter(prefix="/api/chat", tags=["chat"])
SessionId = Annotated[
    str, Path(pattern=SESSION_ID_PATTERN, description="Identifiant de la conversation.")
]
KEEP_ALIVE_SECONDS = 15.0


def _state(session: Session, sender_id: str) -> dict[str, Any]:
    ticket = store.active_ticket(session, sender_id)
    if ticket is None:
        return {"state": "none", "ticket_id": None, "adviser_name": None}
    claimed = ticket.status == CLAIMED and ticket.adviser is not None
    return {
        "state": "callback" if ticket.status == CALLBACK else ticket.status,
        "ticket_id": ticket.id,
        # The widget's header says who answers while a person does.
        "adviser_name": first_name(ticket.adviser.email) if claimed and ticket.adviser else None,
    }


def _events(session: Session, sender_id: str, after: int) -> dict[str, Any]:
    found = store.person_events(session, sender_id, after)
    return {"events": [person_event(m) for m in found], "handoff": _state(session, sender_id)}


async def _wait_or_stop(waiting: Coroutine[Any, Any, bool], stopping: asyncio.Event) -> bool:
    """Wait for new messages, or for the gateway to stop (then False)."""
    message_task = asyncio.ensure_future(waiting)
    stop_task = asyncio.ensure_future(stopping.wait())
    done, pending = await asyncio.wait(
        {message_task, stop_task}, return_when=asyncio.FIRST_COMPLETED
    )
    for task in pending:
        task.cancel()
    return message_task.result() if message_task in done else False


@router.get("/{session_id}/events", summary="Messages du conseiller depuis un identifiant")
async def events(
    request: Request, session_id: SessionId, after: Annotated[int, Query(ge=0)] = 0
) -> dict[str, Any]:
    """Adviser, system and bot messages of the hand-off since `after` (poll every few seconds);
    `handoff.typing` is true while the adviser types."""
    service: HandoffService = request.app.state.handoff
    body = await service.db.run(_events, sender_id_for("web", session_id), after)
    ticket_id = body["handoff"]["ticket_id"]
    body["handoff"]["typing"] = ticket_id is not None and service.typing.is_typing(
        ticket_id, ADVISER
    )
    return body


@router.post("/{session_id}/typing", summary="La personne écrit", status_code=204)
async def person_typing(request: Request, session_id: SessionId) -> Response:
    """The person is typing: advisers following the conversation see it (no-op otherwise)."""
    service: HandoffService = request.app.state.handoff
    ticket = await service.db.run(store.active_ticket, sender_id_for("web", session_id))
    if ticket is not None and ticket.status == CLAIMED:
        service.typing.mark(ticket.id, PERSON)
        service.hub.notify(ticket_topic(ticket.id))
    return Response(status_code=204)


@router.get("/{session_id}/stream", summary="Flux des messages du conseiller (SSE)")
async def stream(
    request: Request,
    session_id: SessionId,
    after: Annotated[int, Query(ge=0)] = 0,
    timeout: Annotated[float, Query(ge=1, le=60)] = 25,
) -> StreamingResponse:
    """Server-sent events: one `message` event per adviser/system/bot message."""
    service: HandoffService = request.app.state.handoff
    sender_id = sender_id_for("web", session_id)
    last_event = request.headers.get("last-event-id", "")
    start = max(after, int(last_event) if last_event.isdigit() else 0)

    # Set when the gateway is asked to stop: streams end at once instead of holding the restart.
    stopping: asyncio.Event = getattr(request.app.state, "stopping", None) or asyncio.Event()

    async def produce() -> AsyncIterator[str]:
        cursor = start
        typing_shown = False
        deadline = time.monotonic() + timeout
        yield "retry: 3000\n\n"
        while (
            time.monotonic() < deadline
            and not stopping.is_set()
            and not await request.is_disconnected()
        ):
            for message in await service.db.run(store.person_events, sender_id, cursor):
                cursor = message.id
                data = json.dumps(person_event(message), ensure_ascii=False)
                yield f"id: {message.id}\nevent: message\ndata: {data}\n\n"
            typing = await _adviser_typing(service, sender_id)
            if typing != typing_shown:
                typing_shown = typing
                yield f"event: typing\ndata: {json.dumps({'typing': typing})}\n\n"
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            woke = await _wait_or_stop(
                service.hub.wait({sender_topic(sender_id)}, min(KEEP_ALIVE_SECONDS, remaining)),
                stopping,
            )
            if stopping.is_set():
                break
            if not woke:
                yield ": keep-alive\n\n"

    return StreamingResponse(
        produce(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _adviser_typing(service: HandoffService, sender_id: str) -> bool:
    ticket = await service.db.run(store.active_ticket, sender_id)
    return ticket is not None and service.typing.is_typing(ticket.id, ADVISER)
