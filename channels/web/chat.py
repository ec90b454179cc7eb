"""The chat API: `POST /api/chat`."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from bot.settings import Settings
from channels.router import MessageRouter
from channels.texts import text
from channels.web.schemas import ChatRequest, ChatResponse, ErrorResponse, MessageOut

router = APIRouter(prefix="/api", tags=["chat"])

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
    replies = await message_router.user_message(
        channel="web", user_id=body.session_id, text_=cleaned
    )
    return ChatResponse(messages=[MessageOut.from_bot(m) for m in replies])
