"""`DELETE /api/chat/{session_id}`: the person erases everything the assistant kept about them.

The session id is the conversation's secret (as for `POST /api/chat`); the same erasers as
Telegram's /oubli run (request tables, hand-offs and call-backs, Rasa's tracker store).
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from bot.privacy import pseudonym
from channels.privacy import forget_person
from channels.router import sender_id_for
from channels.texts import text
from channels.web.schemas import SESSION_ID_PATTERN, ErrorResponse, ForgetResponse

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/api", tags=["chat"])
SessionId = Annotated[
    str, Path(pattern=SESSION_ID_PATTERN, description="Identifiant de la conversation.")
]


@router.delete(
    "/chat/{session_id}",
    response_model=ForgetResponse,
    responses={503: {"model": ErrorResponse}},
    summary="Effacer toutes les données d'une conversation",
)
async def forget(request: Request, session_id: SessionId) -> ForgetResponse | JSONResponse:
    """Erase the conversation, its requests, hand-offs and call-backs; say so in French."""
    sender_id = sender_id_for("web", session_id)
    try:
        await forget_person(request.app, sender_id, "web")
    except Exception as error:  # noqa: BLE001 - never claim an erasure that did not happen
        logger.error("erasure failed for %s (%s)", pseudonym(sender_id), type(error).__name__)
        return JSONResponse(
            status_code=503,
            content=ErrorResponse(error=text("forget_failed")).model_dump(),
            headers={"Retry-After": "30"},
        )
    return ForgetResponse(message=text("forget_done"))
