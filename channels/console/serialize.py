"""JSON shapes of the console API and WebSocket (plain text only: the browser escapes it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.privacy import pseudonym
from channels.console.labels import label
from channels.console.models import Adviser, Callback, Message, Note, Ticket, utcnow


def iso(moment: dt.datetime | None) -> str | None:
    """UTC ISO 8601 with an explicit offset, or None."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.isoformat(timespec="seconds")


def wait_minutes(ticket: Ticket, now: dt.datetime | None = None) -> int:
    """Minutes the person has been waiting (until the claim, once claimed)."""
    end = ticket.claimed_at or ticket.closed_at or now or utcnow()
    return max(0, int((end - ticket.created_at).total_seconds() // 60))


def ticket_summary(ticket: Ticket) -> dict[str, Any]:
    """A queue row."""
    return {
        "id": ticket.id,
        # A pseudonym of the conversation (never the raw chat id): tells two tickets of one person apart.
        "person_ref": pseudonym(ticket.sender_id),
        "status": ticket.status,
        "status_label": label("statuses", ticket.status),
        "channel": ticket.channel,
        "channel_label": label("channels", ticket.channel),
        "reason": ticket.reason,
        "reason_label": label("reasons", ticket.reason),
        "commune": ticket.commune,
        "summary": ticket.summary,
        "created_at": iso(ticket.created_at),
        "wait_minutes": wait_minutes(ticket),
        "adviser": ticket.adviser.email if ticket.adviser else None,
        "adviser_id": ticket.adviser_id,
    }


def ticket_detail(ticket: Ticket) -> dict[str, Any]:
    """A ticket with its context packet."""
    return {
        **ticket_summary(ticket),
        "unavailable_reason": ticket.unavailable_reason,
        "claimed_at": iso(ticket.claimed_at),
        "closed_at": iso(ticket.closed_at),
        "close_outcome": ticket.close_outcome,
        "context": ticket.context,
    }


def message_json(message: Message) -> dict[str, Any]:
    """One hand-off message."""
    return {
        "id": message.id,
        "ticket_id": message.ticket_id,
        "author": message.author,
        "author_label": label("authors", message.author),
        "text": message.text,
        "buttons": (message.extra or {}).get("buttons") or [],
        "created_at": iso(message.created_at),
    }


def person_event(message: Message) -> dict[str, Any]:
    """One message as the person's widget reads it (`GET /api/chat/{id}/events`)."""
    return {
        "id": message.id,
        "kind": message.author,
        "text": message.text,
        "adviser_name": (message.extra or {}).get("adviser_name"),
        "handoff_over": bool((message.extra or {}).get("handoff_over")),
        "buttons": (message.extra or {}).get("buttons") or [],
        "created_at": iso(message.created_at),
    }


def note_json(note: Note) -> dict[str, Any]:
    """An internal note."""
    return {
        "id": note.id,
        "ticket_id": note.ticket_id,
        "author": note.adviser.email if note.adviser else None,
        "text": note.text,
        "created_at": iso(note.created_at),
    }


def callback_json(callback: Callback) -> dict[str, Any]:
    """A call-back request."""
    return {
        "id": callback.id,
        "ticket_id": callback.ticket_id,
        "channel": callback.channel,
        "contact_kind": callback.contact_kind,
        "contact": callback.contact,
        "preferred_time": callback.preferred_time,
        "reason": callback.reason,
        "reason_label": label("reasons", callback.reason),
        "summary": callback.summary,
        "commune": callback.commune,
        "created_at": iso(callback.created_at),
        "done_at": iso(callback.done_at),
    }


def adviser_json(adviser: Adviser) -> dict[str, Any]:
    """An account, without its password hash."""
    return {
        "id": adviser.id,
        "email": adviser.email,
        "role": adviser.role,
        "active": adviser.active,
        "last_login_at": iso(adviser.last_login_at),
        "last_seen_at": iso(adviser.last_seen_at),
    }
