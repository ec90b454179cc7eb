"""Tables of the hand-off console: advisers, sessions, tickets, messages, notes, call-backs.

The console keeps its own ``DeclarativeBase`` (``ConsoleBase``); every table is prefixed
``console_`` and is under the project's single Alembic history (knowledge/migrations, from
``0007_one_history``), which the gateway upgrades at start-up. A change here needs a revision;
tests/robustness/test_migrations.py compares these models with the migrations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLES = ("adviser", "admin")

# Ticket life: waiting (in the queue) -> claimed (an adviser talks) -> closed.
# `callback` tickets never reach the queue: nobody could answer, the person leaves a contact.
WAITING, CLAIMED, CLOSED, CALLBACK = "waiting", "claimed", "closed", "callback"
OPEN_STATUSES = (WAITING, CLAIMED, CALLBACK)

# Who wrote a message of a ticket.
PERSON, ADVISER, SYSTEM, BOT = "person", "adviser", "system", "bot"


def utcnow() -> dt.datetime:
    """Naive UTC timestamp (SQLite drops time zones; every column stores UTC)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class ConsoleBase(DeclarativeBase):
    """Base of the console's tables, separate from the knowledge base's Alembic-managed Base."""

    type_annotation_map = {dict[str, Any]: JSON}


class Adviser(ConsoleBase):
    """A console account, created from the command line (`python -m channels.console.accounts`)."""

    __tablename__ = "console_advisers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="adviser")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Updated by every authenticated request and WebSocket ping: "online" means seen recently.
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ConsoleSession(ConsoleBase):
    """A server-side login session: logout and account disabling revoke it at once."""

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    adviser_id: Mapped[int] = mapped_column(ForeignKey("console_advisers.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked: Mapped[bool] = mapped_column(default=False)

    adviser: Mapped[Adviser] = relationship(lazy="joined")


class Ticket(ConsoleBase):
    """One hand-off request and everything needed to answer it."""

    __tablename__ = "console_tickets"
    __table_args__ = (Index("ix_console_tickets_sender_status", "sender_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(128))
    channel: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(96))
    status: Mapped[str] = mapped_column(String(16), default=WAITING)
    reason: Mapped[str] = mapped_column(String(48))
    summary: Mapped[str] = mapped_column(Text, default="")
    commune: Mapped[str | None] = mapped_column(String(128))
    # Context packet built from Rasa's tracker when the ticket opened (see context.py).
    context: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Why nobody could answer (`closed_hours`, `nobody_online`, `wait_too_long`), if so.
    unavailable_reason: Mapped[str | None] = mapped_column(String(32))
    # Step of the call-back conversation run by the gateway: offer, contact, time, or None.
    callback_step: Mapped[str | None] = mapped_column(String(16))
    callback_offered: Mapped[bool] = mapped_column(default=False)
    person_notified: Mapped[bool] = mapped_column(default=False)
    adviser_id: Mapped[int | None] = mapped_column(ForeignKey("console_advisers.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    close_outcome: Mapped[str | None] = mapped_column(String(32))

    adviser: Mapped[Adviser | None] = relationship(lazy="joined")


class Message(ConsoleBase):
    """A message of a hand-off, in either direction; ids order the person's event stream."""

    __tablename__ = "console_messages"
    __table_args__ = (Index("ix_console_messages_sender", "sender_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("console_tickets.id", ondelete="CASCADE"))
    sender_id: Mapped[str] = mapped_column(String(128))
    author: Mapped[str] = mapped_column(String(16))
    adviser_id: Mapped[int | None] = mapped_column(ForeignKey("console_advisers.id"))
    text: Mapped[str] = mapped_column(Text)
    # Buttons and custom payloads of bot messages (the bot's reply after `/handoff_ended`).
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # For channels with an outbox hook (Telegram): set once the hook accepted the message.
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    delivery_attempts: Mapped[int] = mapped_column(Integer, default=0)


class Note(ConsoleBase):
    """An internal note of an adviser on a ticket, never shown to the person."""

    __tablename__ = "console_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("console_tickets.id", ondelete="CASCADE"))
    adviser_id: Mapped[int] = mapped_column(ForeignKey("console_advisers.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    adviser: Mapped[Adviser] = relationship(lazy="joined")


class Callback(ConsoleBase):
    """A call-back request left when no adviser could answer (personal data: purged on schedule)."""

    __tablename__ = "console_callbacks"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("console_tickets.id", ondelete="SET NULL")
    )
    channel: Mapped[str] = mapped_column(String(32))
    contact_kind: Mapped[str] = mapped_column(String(8))  # phone | email
    contact: Mapped[str] = mapped_column(String(254))
    preferred_time: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(String(48))
    summary: Mapped[str] = mapped_column(Text, default="")
    commune: Mapped[str | None] = mapped_column(String(128))
    consent_text: Mapped[str] = mapped_column(Text)
    consent_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    done_by: Mapped[int | None] = mapped_column(ForeignKey("console_advisers.id"))


class Rating(ConsoleBase):
    """The person's satisfaction after a hand-back (1-5, optional comment).

    Also under Alembic (`knowledge/migrations/versions/0004_console_ratings.py`). No foreign
    keys: a score outlives its purged ticket in the reports, without the person (see
    `retention.py`: past the retention period the sender id and the comment are wiped).
    """

    __tablename__ = "console_ratings"
    __table_args__ = (Index("ix_console_ratings_sender", "sender_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(Integer)
    adviser_id: Mapped[int | None] = mapped_column(Integer)
    sender_id: Mapped[str] = mapped_column(String(128))
    channel: Mapped[str] = mapped_column(String(32))
    # `score`, then `comment`, then None once answered or skipped.
    step: Mapped[str | None] = mapped_column(String(16))
    score: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    # The bot's reply to `/handoff_ended`, delivered once the person has answered.
    resume: Mapped[dict[str, Any]] = mapped_column(default=dict)
    asked_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class CannedReply(ConsoleBase):
    """A ready-made answer that admins maintain and advisers insert in one click (no personal
    data). Also under Alembic (`knowledge/migrations/versions/0005_console_canned.py`)."""

    __tablename__ = "console_canned_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class FollowUp(ConsoleBase):
    """A status change of a call-back or an employer's lead (new -> contacted -> done): who and
    when. The latest row is the current status. Ids only, no personal data. Also under Alembic
    (`knowledge/migrations/versions/0006_console_followups.py`)."""

    __tablename__ = "console_followups"
    __table_args__ = (Index("ix_console_followups_ref", "kind", "ref", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # callback | lead
    ref: Mapped[str] = mapped_column(String(40))  # the call-back's or the lead's id
    status: Mapped[str] = mapped_column(String(16))
    adviser_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
