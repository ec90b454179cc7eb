"""Retention of personal data in the hand-off tables: scheduled purge and erasure on request."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, cast, delete, or_, select, update
from sqlalchemy.orm import Session

from channels.console.models import (
    CLOSED,
    Callback,
    ConsoleSession,
    FollowUp,
    Message,
    Note,
    Rating,
    Ticket,
    utcnow,
)
from channels.console.store import count_rows


def purge_personal_data(session: Session, older_than_days: int) -> int:
    """Delete closed hand-offs (messages, notes) and call-backs older than the retention period."""
    before = utcnow() - dt.timedelta(days=older_than_days)
    old_tickets = select(Ticket.id).where(Ticket.status == CLOSED, Ticket.closed_at < before)
    removed = count_rows(session.execute(delete(Callback).where(Callback.created_at < before)))
    session.execute(delete(Message).where(Message.ticket_id.in_(old_tickets)))
    session.execute(delete(Note).where(Note.ticket_id.in_(old_tickets)))
    removed += count_rows(
        session.execute(delete(Ticket).where(Ticket.status == CLOSED, Ticket.closed_at < before))
    )
    _forget_followups(session)
    # Scores stay for the reports, without the person: no conversation id, no free text.
    session.execute(
        update(Rating)
        .where(Rating.asked_at < before, Rating.sender_id != "")
        .values(sender_id="", comment=None, resume={}, step=None)
    )
    session.execute(
        delete(ConsoleSession).where(
            or_(ConsoleSession.expires_at < utcnow(), ConsoleSession.revoked.is_(True))
        )
    )
    return removed


def erase_person(session: Session, sender_id: str) -> int:
    """Delete every hand-off, call-back and rating of one person (their right to erasure)."""
    tickets = select(Ticket.id).where(Ticket.sender_id == sender_id)
    session.execute(delete(Rating).where(Rating.sender_id == sender_id))
    removed = count_rows(session.execute(delete(Callback).where(Callback.ticket_id.in_(tickets))))
    session.execute(delete(Message).where(Message.ticket_id.in_(tickets)))
    session.execute(delete(Note).where(Note.ticket_id.in_(tickets)))
    _forget_followups(session)
    return removed + count_rows(
        session.execute(delete(Ticket).where(Ticket.sender_id == sender_id))
    )


def _forget_followups(session: Session) -> None:
    """Follow-ups of call-backs that are gone (purged or erased) go too."""
    session.execute(
        delete(FollowUp).where(
            FollowUp.kind == "callback",
            FollowUp.ref.not_in(select(cast(Callback.id, String))),
        )
    )
