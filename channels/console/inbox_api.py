"""`/console/api/...` for the inbox: colleagues, transfer, reopen, canned replies, knowledge cards."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.console import followups, inbox
from channels.console.api import MAX_TEXT, clean_text
from channels.console.delivery import QUEUE_TOPIC
from channels.console.labels import label
from channels.console.models import ADVISER, CannedReply, utcnow
from channels.console.serialize import message_json
from channels.console.service import NotAllowed, first_name
from channels.console.web_auth import Current, api_session, require_admin, service_of
from channels.texts import text

router = APIRouter(prefix="/console/api", tags=["console"])
Session_ = Annotated[Current, Depends(api_session)]


class TransferIn(BaseModel):
    """The colleague who takes the conversation."""

    model_config = ConfigDict(extra="forbid", strict=True)

    adviser_id: int


class CannedIn(BaseModel):
    """A canned reply (admins)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    title: str = Field(min_length=1, max_length=120)
    text: str = Field(min_length=1, max_length=MAX_TEXT)


class CardIn(BaseModel):
    """The scheme whose card goes to the person."""

    model_config = ConfigDict(extra="forbid", strict=True)

    scheme_id: str = Field(min_length=1, max_length=120)


def _conflict() -> HTTPException:
    return HTTPException(status_code=409, detail=label("errors", "not_yours"))


def _colleagues(session: Session) -> list[dict[str, Any]]:
    return [{"id": a.id, "email": a.email} for a in inbox.active_advisers(session)]


@router.get("/advisers", summary="Collègues (pour un transfert)")
async def advisers(request: Request, current: Session_) -> dict[str, Any]:
    """Active accounts."""
    return {"advisers": await service_of(request).db.run(_colleagues)}


@router.post("/tickets/{ticket_id}/transfer", summary="Transférer à un collègue")
async def transfer(
    request: Request, ticket_id: int, body: TransferIn, current: Session_
) -> dict[str, Any]:
    """Give the conversation to another adviser (the owner or an admin)."""
    try:
        ticket = await inbox.transfer(
            service_of(request), ticket_id, current.adviser, body.adviser_id
        )
    except NotAllowed:
        raise _conflict() from None
    return {"ticket_id": ticket.id, "adviser_id": ticket.adviser_id}


@router.post("/tickets/{ticket_id}/reopen", summary="Rouvrir une conversation close")
async def reopen(request: Request, ticket_id: int, current: Session_) -> dict[str, Any]:
    """Take a conversation closed in the last days back."""
    try:
        ticket = await inbox.reopen(service_of(request), ticket_id, current.adviser)
    except NotAllowed:
        raise _conflict() from None
    return {"ticket_id": ticket.id, "status": ticket.status}


def _canned(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(select(CannedReply).order_by(CannedReply.title)).all()
    return [{"id": r.id, "title": r.title, "text": r.text} for r in rows]


def _add_canned(session: Session, title: str, body: str, adviser_id: int) -> int:
    reply = CannedReply(title=title, text=body, created_by=adviser_id, created_at=utcnow())
    session.add(reply)
    session.flush()
    return reply.id


def _delete_canned(session: Session, reply_id: int) -> bool:
    reply = session.get(CannedReply, reply_id)
    if reply is None:
        return False
    session.delete(reply)
    return True


@router.get("/canned", summary="Réponses types")
async def canned(request: Request, current: Session_) -> dict[str, Any]:
    """Every canned reply, by title."""
    return {"canned": await service_of(request).db.run(_canned)}


@router.post("/canned", summary="Ajouter une réponse type (administrateurs)")
async def add_canned(request: Request, body: CannedIn, current: Session_) -> dict[str, Any]:
    """Admins only."""
    require_admin(current)
    title, content = clean_text(body.title), clean_text(body.text)
    new_id = await service_of(request).db.run(_add_canned, title, content, current.adviser.id)
    return {"id": new_id}


@router.delete("/canned/{reply_id}", summary="Supprimer une réponse type (administrateurs)")
async def delete_canned(request: Request, reply_id: int, current: Session_) -> dict[str, Any]:
    """Admins only."""
    require_admin(current)
    if not await service_of(request).db.run(_delete_canned, reply_id):
        raise HTTPException(status_code=404, detail=label("errors", "not_found"))
    return {"deleted": True}


class FollowUpIn(BaseModel):
    """The new status of a call-back or a lead."""

    model_config = ConfigDict(extra="forbid", strict=True)

    status: Literal["new", "contacted", "done"]


@router.post("/followups/{kind}/{ref}", summary="Suivi d'un rappel ou d'un recruteur")
async def follow_up(
    request: Request,
    kind: Literal["callback", "lead"],
    ref: Annotated[str, Path(max_length=40)],
    body: FollowUpIn,
    current: Session_,
) -> dict[str, Any]:
    """new -> contacted -> done, recorded with who and when."""
    service = service_of(request)
    done = await service.db.run(followups.set_status, kind, ref, body.status, current.adviser.id)
    if not done:
        raise HTTPException(status_code=404, detail=label("errors", "not_found"))
    service.hub.notify(QUEUE_TOPIC)
    return {"status": body.status}


@router.get("/knowledge", summary="Chercher une aide dans la base")
async def knowledge(
    request: Request, current: Session_, q: Annotated[str, Query(min_length=2, max_length=100)]
) -> dict[str, Any]:
    """Schemes matching the adviser's words."""
    return {"schemes": await service_of(request).knowledge.search(q)}


@router.post("/tickets/{ticket_id}/card", summary="Envoyer la fiche d'une aide")
async def send_card(
    request: Request, ticket_id: int, body: CardIn, current: Session_
) -> dict[str, Any]:
    """The scheme's name, summary and official source, as a message from the adviser."""
    service = service_of(request)
    card = await service.knowledge.card(body.scheme_id)
    if card is None:
        raise HTTPException(status_code=404, detail=label("errors", "not_found"))
    key = "scheme_card" if card.source else "scheme_card_no_source"
    message_text = text(
        key,
        name=card.name,
        summary=card.summary,
        source=card.source or "",
        date=card.information_date,
    )
    try:
        ticket = await service.own_ticket(ticket_id, current.adviser)
    except NotAllowed:
        raise _conflict() from None
    sent = await service.to_person(
        ticket,
        ADVISER,
        message_text,
        adviser_id=current.adviser.id,
        extra={"adviser_name": first_name(current.adviser.email), "scheme_id": card.id},
    )
    return {"message": message_json(sent)}
