"""Queries of the hand-off store. Every function takes the caller's Session (the caller commits)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from channels.console.models import (
    ADVISER,
    BOT,
    CALLBACK,
    CLAIMED,
    CLOSED,
    OPEN_STATUSES,
    PERSON,
    SYSTEM,
    WAITING,
    Adviser,
    Callback,
    Message,
    Note,
    Ticket,
    utcnow,
)

T = TypeVar("T")
ONLINE_SECONDS = 120
DEFAULT_HANDLING_MINUTES = 10
TO_PERSON = (ADVISER, SYSTEM, BOT)


class TicketConflict(Exception):
    """The ticket is closed or another adviser has it."""


class Database:
    """Runs store functions in a worker thread, one transaction each."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory

    async def run(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`work(session, *args, **kwargs)` in a thread, committed on success."""

        def unit() -> T:
            with self.factory.begin() as session:
                return work(session, *args, **kwargs)

        return await asyncio.to_thread(unit)


def active_ticket(session: Session, sender_id: str) -> Ticket | None:
    """The open ticket of a person (waiting, claimed, or collecting a call-back), if any."""
    return session.scalar(
        select(Ticket)
        .where(Ticket.sender_id == sender_id, Ticket.status.in_(OPEN_STATUSES))
        .order_by(Ticket.id.desc())
        .limit(1)
    )


def get_ticket(session: Session, ticket_id: int) -> Ticket | None:
    """A ticket by id."""
    return session.get(Ticket, ticket_id)


def open_ticket(session: Session, **fields: Any) -> Ticket:
    """Create a ticket (fields of `Ticket`)."""
    ticket = Ticket(**fields)
    session.add(ticket)
    session.flush()
    return ticket


def add_message(
    session: Session,
    ticket: Ticket,
    author: str,
    text: str,
    *,
    adviser_id: int | None = None,
    extra: dict[str, Any] | None = None,
) -> Message:
    """Store one message of a ticket."""
    message = Message(
        ticket_id=ticket.id,
        sender_id=ticket.sender_id,
        author=author,
        text=text,
        adviser_id=adviser_id,
        extra=extra or {},
        created_at=utcnow(),
    )
    session.add(message)
    session.flush()
    return message


def person_has_written(session: Session, ticket_id: int) -> bool:
    """True when the person already wrote during this ticket."""
    found = session.scalar(
        select(Message.id).where(Message.ticket_id == ticket_id, Message.author == PERSON).limit(1)
    )
    return found is not None


def person_message_counts(session: Session, ticket_ids: Sequence[int]) -> dict[int, int]:
    """How many messages the person wrote in each ticket (for unread counts)."""
    if not ticket_ids:
        return {}
    rows = session.execute(
        select(Message.ticket_id, func.count(Message.id))
        .where(Message.ticket_id.in_(list(ticket_ids)), Message.author == PERSON)
        .group_by(Message.ticket_id)
    ).all()
    return {int(ticket_id): int(count) for ticket_id, count in rows}


def queue(session: Session) -> Sequence[Ticket]:
    """Tickets waiting or being handled, oldest first."""
    return session.scalars(
        select(Ticket).where(Ticket.status.in_((WAITING, CLAIMED))).order_by(Ticket.created_at)
    ).all()


def claim(session: Session, ticket_id: int, adviser: Adviser) -> tuple[Ticket, bool]:
    """Give a waiting ticket to an adviser; (ticket, newly claimed). Idempotent for the same adviser.

    A conditional UPDATE, so two advisers clicking at once cannot both get the ticket.
    """
    taken = session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id, Ticket.status.in_((WAITING, CALLBACK)))
        .values(status=CLAIMED, adviser_id=adviser.id, claimed_at=utcnow(), callback_step=None)
        .execution_options(synchronize_session=False)
    )
    ticket = session.get(Ticket, ticket_id, populate_existing=True)
    if ticket is None or ticket.status != CLAIMED:
        raise TicketConflict("closed")
    newly = count_rows(taken) > 0
    if not newly and ticket.adviser_id != adviser.id:
        raise TicketConflict("taken")
    return ticket, newly


def may_act(ticket: Ticket, adviser: Adviser) -> bool:
    """The claiming adviser (or an admin) may reply to and close a claimed ticket."""
    return ticket.status == CLAIMED and (ticket.adviser_id == adviser.id or adviser.role == "admin")


def close(session: Session, ticket_id: int, outcome: str) -> Ticket | None:
    """Close a ticket; None when it was already closed."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.status == CLOSED:
        return None
    ticket.status, ticket.closed_at, ticket.close_outcome = CLOSED, utcnow(), outcome
    ticket.callback_step = None
    return ticket


def messages_after(session: Session, ticket_id: int, after: int = 0) -> Sequence[Message]:
    """Messages of a ticket with an id above `after`."""
    return session.scalars(
        select(Message)
        .where(Message.ticket_id == ticket_id, Message.id > after)
        .order_by(Message.id)
    ).all()


def person_events(
    session: Session, sender_id: str, after: int = 0, limit: int = 100
) -> Sequence[Message]:
    """Messages to the person (adviser, system, bot) with an id above `after`."""
    return session.scalars(
        select(Message)
        .where(Message.sender_id == sender_id, Message.author.in_(TO_PERSON), Message.id > after)
        .order_by(Message.id)
        .limit(limit)
    ).all()


def undelivered(
    session: Session, channels: Sequence[str], max_attempts: int = 20
) -> Sequence[Message]:
    """Messages of the last day to people on push channels that no hook accepted yet."""
    since = utcnow() - dt.timedelta(days=1)
    return session.scalars(
        select(Message)
        .join(Ticket, Ticket.id == Message.ticket_id)
        .where(
            Ticket.channel.in_(list(channels)),
            Message.author.in_(TO_PERSON),
            Message.delivered_at.is_(None),
            Message.delivery_attempts < max_attempts,
            Message.created_at >= since,
        )
        .order_by(Message.id)
    ).all()


def touch_adviser(session: Session, adviser_id: int) -> None:
    """Record that an adviser is at the console now."""
    adviser = session.get(Adviser, adviser_id)
    if adviser is not None:
        adviser.last_seen_at = utcnow()


def online_advisers(session: Session, now: dt.datetime | None = None) -> int:
    """Active advisers seen in the last ONLINE_SECONDS."""
    since = (now or utcnow()) - dt.timedelta(seconds=ONLINE_SECONDS)
    count = session.scalar(
        select(func.count(Adviser.id)).where(
            Adviser.active.is_(True), Adviser.last_seen_at >= since
        )
    )
    return int(count or 0)


def estimated_wait_minutes(session: Session, online: int, now: dt.datetime | None = None) -> int:
    """Wait of a new ticket: the queue ahead shared by the online advisers, at least the oldest wait.

    Handling time is the mean of the last 20 closed conversations (10 minutes before any).
    """
    now = now or utcnow()
    waiting = session.scalars(select(Ticket.created_at).where(Ticket.status == WAITING)).all()
    recent = session.execute(
        select(Ticket.claimed_at, Ticket.closed_at)
        .where(Ticket.claimed_at.is_not(None), Ticket.closed_at.is_not(None))
        .order_by(Ticket.closed_at.desc())
        .limit(20)
    ).all()
    durations = [(closed - claimed).total_seconds() / 60 for claimed, closed in recent]
    handling = sum(durations) / len(durations) if durations else DEFAULT_HANDLING_MINUTES
    busy = session.scalar(select(func.count(Ticket.id)).where(Ticket.status == CLAIMED)) or 0
    free = max(online - int(busy), 0)
    ahead = len(waiting)
    if free > ahead:
        return 1
    estimate = (ahead + 1 - free) * handling / max(online, 1)
    oldest = max(((now - created).total_seconds() / 60 for created in waiting), default=0.0)
    return max(1, round(max(estimate, oldest)))


def waiting_longer_than(session: Session, minutes: int) -> Sequence[Ticket]:
    """Waiting tickets past the wait limit that were not yet offered a call-back."""
    limit = utcnow() - dt.timedelta(minutes=minutes)
    return session.scalars(
        select(Ticket).where(
            Ticket.status == WAITING, Ticket.created_at <= limit, Ticket.callback_offered.is_(False)
        )
    ).all()


def add_note(session: Session, ticket_id: int, adviser_id: int, text: str) -> Note:
    """Store an internal note."""
    note = Note(ticket_id=ticket_id, adviser_id=adviser_id, text=text, created_at=utcnow())
    session.add(note)
    session.flush()
    return note


def notes(session: Session, ticket_id: int) -> Sequence[Note]:
    """Notes of a ticket, oldest first."""
    return session.scalars(select(Note).where(Note.ticket_id == ticket_id).order_by(Note.id)).all()


def add_callback(session: Session, **fields: Any) -> Callback:
    """Record a call-back request."""
    callback = Callback(**fields)
    session.add(callback)
    session.flush()
    return callback


def callbacks(session: Session, *, pending_only: bool = True) -> Sequence[Callback]:
    """Call-back requests, oldest first."""
    query = select(Callback).order_by(Callback.created_at)
    if pending_only:
        query = query.where(Callback.done_at.is_(None))
    return session.scalars(query).all()


def count_rows(result: object) -> int:
    """Rows affected by an UPDATE or DELETE."""
    return int(result.rowcount or 0) if isinstance(result, CursorResult) else 0
