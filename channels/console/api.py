"""`/console/api/...`: the console's JSON API (session cookie + `X-CSRF-Token` on changes)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.console import followups, inbox, requests_view, store
from channels.console.labels import label
from channels.console.models import Adviser
from channels.console.serialize import (
    adviser_json,
    callback_json,
    message_json,
    note_json,
    ticket_detail,
    ticket_summary,
)
from channels.console.service import NotAllowed
from channels.console.web_auth import Current, api_session, require_admin, service_of

router = APIRouter(prefix="/console/api", tags=["console"])
MAX_TEXT = 4000
Session_ = Annotated[Current, Depends(api_session)]


class TextIn(BaseModel):
    """A message or a note."""

    model_config = ConfigDict(extra="forbid", strict=True)

    text: str = Field(min_length=1, max_length=MAX_TEXT)


def clean_text(raw: str) -> str:
    """Trimmed text, refused when blank."""
    cleaned = raw.strip()
    if not cleaned:
        raise HTTPException(status_code=422, detail=label("errors", "empty_text"))
    return cleaned


def _not_allowed() -> HTTPException:
    return HTTPException(status_code=409, detail=label("errors", "not_yours"))


def _ticket_bundle(session: Session, ticket_id: int) -> dict[str, Any] | None:
    ticket = store.get_ticket(session, ticket_id)
    if ticket is None:
        return None
    return {
        "ticket": ticket_detail(ticket),
        "messages": [message_json(m) for m in store.messages_after(session, ticket_id)],
        "notes": [note_json(n) for n in store.notes(session, ticket_id)],
        "history": inbox.history(session, ticket),
    }


def _queue(session: Session) -> dict[str, Any]:
    tickets = store.queue(session)
    counts = store.person_message_counts(session, [t.id for t in tickets])
    return {
        "tickets": [{**ticket_summary(t), "person_messages": counts.get(t.id, 0)} for t in tickets],
        "advisers_online": store.online_advisers(session),
        "pending_callbacks": len(store.callbacks(session)),
    }


@router.get("/me", summary="Le conseiller connecté")
async def me(current: Session_) -> dict[str, Any]:
    """Who is logged in, and the CSRF token to send back."""
    return {"adviser": adviser_json(current.adviser), "csrf_token": current.csrf_token}


@router.get("/queue", summary="File d'attente")
async def queue(request: Request, current: Session_) -> dict[str, Any]:
    """Waiting and claimed conversations, oldest first."""
    return await service_of(request).db.run(_queue)


@router.get("/tickets/{ticket_id}", summary="Dossier d'une conversation")
async def ticket(request: Request, ticket_id: int, current: Session_) -> dict[str, Any]:
    """Ticket, context packet, messages and notes."""
    bundle = await service_of(request).db.run(_ticket_bundle, ticket_id)
    if bundle is None:
        raise HTTPException(status_code=404, detail=label("errors", "not_found"))
    return bundle


@router.get("/tickets/{ticket_id}/messages", summary="Messages depuis un identifiant")
async def messages(
    request: Request, ticket_id: int, current: Session_, after: Annotated[int, Query(ge=0)] = 0
) -> dict[str, Any]:
    """Messages of the ticket with an id above `after`."""
    found = await service_of(request).db.run(store.messages_after, ticket_id, after)
    return {"messages": [message_json(m) for m in found]}


@router.post("/tickets/{ticket_id}/claim", summary="Prendre en charge")
async def claim(request: Request, ticket_id: int, current: Session_) -> dict[str, Any]:
    """Take the conversation (409 when another adviser has it or it is closed)."""
    try:
        taken = await service_of(request).claim(ticket_id, current.adviser)
    except NotAllowed:
        raise _not_allowed() from None
    return {"ticket": ticket_summary(taken)}


@router.post("/tickets/{ticket_id}/messages", summary="Répondre à la personne")
async def reply(
    request: Request, ticket_id: int, body: TextIn, current: Session_
) -> dict[str, Any]:
    """Send a message to the person on their channel."""
    try:
        sent = await service_of(request).reply(ticket_id, current.adviser, clean_text(body.text))
    except NotAllowed:
        raise _not_allowed() from None
    return {"message": message_json(sent)}


@router.post("/tickets/{ticket_id}/notes", summary="Ajouter une note interne")
async def add_note(
    request: Request, ticket_id: int, body: TextIn, current: Session_
) -> dict[str, Any]:
    """An internal note, never shown to the person."""
    try:
        note = await service_of(request).note(ticket_id, current.adviser, clean_text(body.text))
    except NotAllowed:
        raise HTTPException(status_code=404, detail=label("errors", "not_found")) from None
    return {"note": {"id": note.id, "text": note.text}}


class CloseIn(BaseModel):
    """How the conversation ended (`resolved` when not said)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    resolution: Literal["resolved", "referred", "callback_planned", "no_reply", "other"] = (
        "resolved"
    )


@router.post("/tickets/{ticket_id}/close", summary="Clore et rendre la main à l'assistant")
async def close(
    request: Request, ticket_id: int, current: Session_, body: CloseIn | None = None
) -> dict[str, Any]:
    """Close the conversation with its resolution; the person is asked their satisfaction."""
    resolution = (body or CloseIn()).resolution
    try:
        closed = await service_of(request).close(ticket_id, current.adviser, resolution)
    except NotAllowed:
        raise _not_allowed() from None
    return {"ticket": ticket_summary(closed)}


@router.get("/callbacks", summary="Demandes de rappel")
async def callbacks(
    request: Request, current: Session_, include_done: bool = False
) -> dict[str, Any]:
    """Call-back requests, oldest first."""
    found = await service_of(request).db.run(store.callbacks, pending_only=not include_done)
    return {"callbacks": [callback_json(c) for c in found]}


@router.post("/callbacks/{callback_id}/done", summary="Rappel effectué")
async def callback_done(request: Request, callback_id: int, current: Session_) -> dict[str, Any]:
    """Mark a call-back as done."""
    done = await service_of(request).db.run(
        followups.set_status, "callback", str(callback_id), "done", current.adviser.id
    )
    if not done:
        raise HTTPException(status_code=404, detail=label("errors", "not_found"))
    return {"done": True}


@router.get("/requests", summary="Recruteurs et CV des conjoints")
async def hiring_requests(
    request: Request, current: Session_, q: Annotated[str, Query(max_length=100)] = ""
) -> dict[str, Any]:
    """Employers' hiring leads and spouse profiles matching `q` (all when empty)."""
    return await service_of(request).db.run(requests_view.search, q)


def _advisers(session: Session) -> list[dict[str, Any]]:
    return [adviser_json(a) for a in session.scalars(select(Adviser).order_by(Adviser.email))]


@router.get("/admin/advisers", summary="Comptes (administrateurs)")
async def advisers(request: Request, current: Session_) -> dict[str, Any]:
    """Every account (admins only)."""
    require_admin(current)
    return {"advisers": await service_of(request).db.run(_advisers)}
