"""The chat API: `POST /api/chat`.

A message may carry a client-made `message_id`: the turn then runs once per id, whatever the
number of sends (`channels.cluster.replies`). The turn runs in its own task, so a client that
gives up (time-out, closed tab) does not cut it short: its replies are kept for the resend.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from bot.settings import Settings
from channels.cluster.replies import ReplyCache
from channels.router import MessageRouter, sender_id_for
from channels.texts import text
from channels.web.schemas import ChatRequest, ChatResponse, ErrorResponse, MessageOut

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/api", tags=["chat"])
# The widget asks again after this many seconds when a turn is still running.
IN_PROGRESS_RETRY_SECONDS = 2
# Running turns (referenced so none is garbage-collected mid-way), each with whether its
# request still waits for it (then an error reaches the request, and is logged there).
_running: dict[asyncio.Task[ChatResponse], bool] = {}

# Control characters (null bytes included) carry no meaning in a chat message and upset storage.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Intents only the gateway may send: a person typing them must not end a hand-off.
_RESERVED_PAYLOADS = ("/handoff_ended", "/session_start", "/restart")


def get_router(request: Request) -> MessageRouter:
    """The message router built by the app factory."""
    router_: MessageRouter = request.app.state.router
    return router_


def get_settings_dep(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def clean_user_text(raw: str) -> str:
    """Strip control characters and surrounding blanks; neutralise reserved payloads."""
    cleaned = _CONTROL_CHARS.sub("", raw).strip()
    if cleaned.lower().startswith(_RESERVED_PAYLOADS):
        cleaned = cleaned.lstrip("/")
    return cleaned


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        status_code=status, content=ErrorResponse(error=message).model_dump(), headers=headers
    )


async def _rate_limit(request: Request, session_id: str) -> JSONResponse | None:
    """A 429 when this conversation or this address sends too fast, else None."""
    per_session, per_address = request.app.state.chat_limiters
    address = request.client.host if request.client else "?"
    wait = await per_address.check(address) or await per_session.check(session_id)
    if not wait:
        return None
    return _error(429, text("rate_limited", seconds=wait), {"Retry-After": str(wait)})


@router.post(
    "/chat",
    response_model=ChatResponse,
    responses={
        413: {"model": ErrorResponse},
        422: {"model": ErrorResponse},
        429: {"model": ErrorResponse},
    },
    summary="Envoyer un message à l'assistant",
)
async def chat(
    request: Request,
    body: ChatRequest,
    message_router: Annotated[MessageRouter, Depends(get_router)],
    settings: Annotated[Settings, Depends(get_settings_dep)],
) -> ChatResponse | JSONResponse:
    """Forward one message to the assistant and return its replies (text, buttons, custom)."""
    if len(body.text) > settings.max_message_chars:
        return _error(
            413, text("message_too_long", length=len(body.text), limit=settings.max_message_chars)
        )
    limited = await _rate_limit(request, body.session_id)
    if limited is not None:
        return limited
    cleaned = clean_user_text(body.text)
    if not cleaned:
        return _error(422, text("empty_message"))
    if body.message_id is None:
        turn = await message_router.user_turn(channel="web", user_id=body.session_id, text_=cleaned)
        return ChatResponse(messages=[MessageOut.from_bot(m) for m in turn.messages])
    replies: ReplyCache = request.app.state.replies
    sender_id = sender_id_for("web", body.session_id)
    begun = await replies.begin(sender_id, body.message_id)
    if begun.replies is not None:
        return ChatResponse.model_validate({"messages": begun.replies})
    if begun.busy:
        return _in_progress()
    task = asyncio.create_task(
        _turn_once(message_router, replies, body.session_id, body.message_id, cleaned)
    )
    _running[task] = True
    task.add_done_callback(_turn_ended)
    try:
        return await asyncio.wait_for(asyncio.shield(task), replies.wait_seconds)
    except asyncio.TimeoutError:
        _running[task] = False
        return _in_progress()  # the turn goes on; the resend gets its replies
    except asyncio.CancelledError:
        _running[task] = False  # the client left; the turn goes on for its resend
        raise


def _in_progress() -> JSONResponse:
    """A 503 the widget retries by itself (same message id), until the replies are there."""
    return _error(503, text("message_in_progress"), {"Retry-After": str(IN_PROGRESS_RETRY_SECONDS)})


async def _turn_once(
    message_router: MessageRouter,
    replies: ReplyCache,
    session_id: str,
    message_id: str,
    cleaned: str,
) -> ChatResponse:
    """Run the turn of a claimed message id, then keep its replies (or free the id)."""
    sender_id = sender_id_for("web", session_id)
    try:
        turn = await message_router.user_turn(channel="web", user_id=session_id, text_=cleaned)
    except BaseException:
        await replies.abandon(sender_id, message_id)  # nothing answered: a resend may try again
        raise
    response = ChatResponse(messages=[MessageOut.from_bot(m) for m in turn.messages])
    if turn.final:
        await replies.finish(sender_id, message_id, response.model_dump(mode="json")["messages"])
    else:
        await replies.abandon(sender_id, message_id)
    return response


def _turn_ended(task: asyncio.Task[ChatResponse]) -> None:
    awaited = _running.pop(task, False)
    error = None if task.cancelled() else task.exception()
    if error is not None and not awaited:
        # Nobody is left to raise to: log the type only (a message may quote the person).
        logger.error("a chat turn failed after its request ended (%s)", type(error).__name__)
