"""Inbox work beyond one adviser's chat: transfer to a colleague, reopen, the person's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.console import store
from channels.console.delivery import QUEUE_TOPIC, ticket_topic
from channels.console.labels import label
from channels.console.models import CLAIMED, CLOSED, OPEN_STATUSES, SYSTEM, Adviser, Ticket, utcnow
from channels.console.serialize import iso
from channels.console.service import HandoffService, NotAllowed, first_name
from channels.texts import text

# A conversation closed longer ago than this is a new request, not a reopening.
REOPEN_WITHIN = dt.timedelta(days=7)
MAX_HISTORY = 10


def active_advisers(session: Session) -> Sequence[Adviser]:
    """Accounts a conversation can be transferred to."""
    return session.scalars(
        select(Adviser).where(Adviser.active.is_(True)).order_by(Adviser.email)
    ).all()


def _transfer(session: Session, ticket_id: int, actor: Adviser, target_id: int) -> Ticket:
    ticket = store.get_ticket(session, ticket_id)
    if ticket is None or not store.may_act(ticket, actor):
        raise NotAllowed("not yours")
    target = session.get(Adviser, target_id)
    if target is None or not target.active or target.id == ticket.adviser_id:
        raise NotAllowed("no such colleague")
    ticket.adviser_id = target.id
    store.add_note(
        session,
        ticket.id,
        actor.id,
        label("inbox", "transferred").format(source=actor.email, target=target.email),
    )
    return ticket


def _reopen(session: Session, ticket_id: int, adviser: Adviser) -> Ticket:
    ticket = store.get_ticket(session, ticket_id)
    if ticket is None or ticket.status != CLOSED or ticket.claimed_at is None:
        raise NotAllowed("not closed")
    if ticket.closed_at is None or utcnow() - ticket.closed_at > REOPEN_WITHIN:
        raise NotAllowed("too old")
    newer = session.scalar(
        select(Ticket.id).where(
            Ticket.sender_id == ticket.sender_id, Ticket.status.in_(OPEN_STATUSES)
        )
    )
    if newer is not None:
        raise NotAllowed("another conversation is open")
    ticket.status, ticket.adviser_id = CLAIMED, adviser.id
    ticket.closed_at, ticket.close_outcome, ticket.claimed_at = None, None, utcnow()
    return ticket


async def transfer(
    service: HandoffService, ticket_id: int, actor: Adviser, target_id: int
) -> Ticket:
    """Give a claimed conversation to a colleague (the person keeps talking, unaware)."""
    ticket = await service.db.run(_transfer, ticket_id, actor, target_id)
    service.hub.notify(QUEUE_TOPIC, ticket_topic(ticket_id))
    return ticket


async def reopen(service: HandoffService, ticket_id: int, adviser: Adviser) -> Ticket:
    """Take a recently closed conversation back; the person is told a human answers again."""
    ticket = await service.db.run(_reopen, ticket_id, adviser)
    service.hub.notify(QUEUE_TOPIC, ticket_topic(ticket_id))
    await service.to_person(
        ticket, SYSTEM, text("handoff_reopened"), extra={"adviser_name": first_name(adviser.email)}
    )
    return ticket


def history(session: Session, ticket: Ticket) -> list[dict[str, Any]]:
    """The person's other conversations (same channel identity), newest first."""
    others = session.scalars(
        select(Ticket)
        .where(Ticket.sender_id == ticket.sender_id, Ticket.id != ticket.id)
        .order_by(Ticket.id.desc())
        .limit(MAX_HISTORY)
    ).all()
    return [
        {
            "id": other.id,
            "created_at": iso(other.created_at),
            "reason_label": label("reasons", other.reason),
            "status_label": label("statuses", other.status),
            "outcome_label": label("resolutions", other.close_outcome),
            "summary": other.summary,
            "adviser": other.adviser.email if other.adviser else None,
        }
        for other in others
    ]
