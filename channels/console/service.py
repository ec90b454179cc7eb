"""What advisers do to a ticket (claim, reply, note, close) and the background sweeper."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bot.rasa_client import BotMessage, RasaClient, RasaUnavailable
from bot.settings import Settings
from channels.console import rating, retention, store
from channels.console.delivery import QUEUE_TOPIC, EventHub, Outbox, sender_topic, ticket_topic
from channels.console.hours import OfficeHours
from channels.console.knowledge_links import KnowledgeLinks
from channels.console.models import (
    ADVISER,
    SYSTEM,
    Adviser,
    Message,
    Note,
    Ticket,
    utcnow,
)
from channels.console.typing import TypingBoard
from channels.texts import text

logger = logging.getLogger(__name__)
HANDOFF_ENDED = "/handoff_ended"
SWEEP_SECONDS = 20
PURGE_EVERY = dt.timedelta(hours=1)
# How an adviser closes a conversation (labels in labels_fr.yml, group `resolutions`).
RESOLUTIONS = ("resolved", "referred", "callback_planned", "no_reply", "other")


class NotAllowed(Exception):
    """The adviser may not act on this ticket (not theirs, or closed)."""


@dataclass(frozen=True)
class Availability:
    """Can someone answer now? If not, why (`closed_hours`, `nobody_online`, `wait_too_long`)."""

    available: bool
    why: str | None
    wait_minutes: int


def _buttons(message: BotMessage) -> list[dict[str, str]]:
    return [{"title": b.title, "payload": b.payload} for b in message.buttons]


class HandoffService:
    """Ticket operations shared by the gate, the console API and the WebSocket."""

    def __init__(
        self,
        *,
        db: store.Database,
        rasa: RasaClient,
        settings: Settings,
        hub: EventHub,
        outbox: Outbox,
        hours: OfficeHours,
        knowledge: KnowledgeLinks,
    ) -> None:
        self.db, self.rasa, self.settings, self.hub = db, rasa, settings, hub
        self.outbox, self.hours, self.knowledge = outbox, hours, knowledge
        self._last_purge: dt.datetime | None = None
        self.typing = TypingBoard()
        # The clock of availability and "next opening" (tests set a fixed moment).
        self.now: Callable[[], dt.datetime] = utcnow

    # --- availability -------------------------------------------------------------------
    def _availability(self, session: Session, now: dt.datetime) -> Availability:
        if not self.hours.is_open(now):
            return Availability(False, "closed_hours", 0)
        online = store.online_advisers(session, now)
        if online == 0:
            return Availability(False, "nobody_online", 0)
        minutes = store.estimated_wait_minutes(session, online, now)
        if minutes > self.settings.handoff_max_wait_minutes:
            return Availability(False, "wait_too_long", minutes)
        return Availability(True, None, minutes)

    async def availability(self) -> Availability:
        """Whether a new hand-off can reach an adviser now."""
        return await self.db.run(self._availability, self.now())

    # --- messages to the person ------------------------------------------------------------
    async def to_person(
        self,
        ticket: Ticket,
        author: str,
        message_text: str,
        *,
        adviser_id: int | None = None,
        buttons: list[dict[str, str]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Message:
        """Store a message for the person, wake listeners, push it on channels with a hook."""
        extra = dict(extra or {})
        if buttons:
            extra["buttons"] = buttons
        message = await self.db.run(
            store.add_message, ticket, author, message_text, adviser_id=adviser_id, extra=extra
        )
        self.hub.notify(sender_topic(ticket.sender_id), ticket_topic(ticket.id))
        if self.outbox.pushes(ticket.channel):
            delivered = await self._push(ticket.channel, ticket.user_id, message)
            await self.db.run(_record_delivery, message.id, delivered)
        return message

    async def _push(self, channel: str, user_id: str, message: Message) -> bool:
        buttons = (message.extra or {}).get("buttons") or []
        if not buttons:
            return await self.outbox.deliver(channel, user_id, signed_text(message))
        bot_message = BotMessage.from_rest({"text": message.text, "buttons": buttons})
        return await self.outbox.deliver_bot_message(channel, user_id, bot_message)

    # --- adviser actions ---------------------------------------------------------------
    async def claim(self, ticket_id: int, adviser: Adviser) -> Ticket:
        """Take a ticket from the queue and tell the person."""
        try:
            ticket, newly = await self.db.run(_claim, ticket_id, adviser)
        except store.TicketConflict as conflict:
            raise NotAllowed(str(conflict)) from conflict
        self.hub.notify(QUEUE_TOPIC, ticket_topic(ticket.id))
        if newly:
            name = {"adviser_name": first_name(adviser.email)}
            await self.to_person(ticket, SYSTEM, text("handoff_claimed"), extra=name)
        return ticket

    async def own_ticket(self, ticket_id: int, adviser: Adviser) -> Ticket:
        ticket = await self.db.run(store.get_ticket, ticket_id)
        if ticket is None or not store.may_act(ticket, adviser):
            raise NotAllowed("not yours")
        return ticket

    async def reply(self, ticket_id: int, adviser: Adviser, message_text: str) -> Message:
        """An adviser's message to the person."""
        ticket = await self.own_ticket(ticket_id, adviser)
        await self.db.run(store.touch_adviser, adviser.id)
        self.typing.stop(ticket.id, ADVISER)
        return await self.to_person(
            ticket,
            ADVISER,
            message_text,
            adviser_id=adviser.id,
            extra={"adviser_name": first_name(adviser.email)},
        )

    async def note(self, ticket_id: int, adviser: Adviser, note_text: str) -> Note:
        """An internal note (any adviser may annotate any ticket)."""
        ticket = await self.db.run(store.get_ticket, ticket_id)
        if ticket is None:
            raise NotAllowed("no such ticket")
        note = await self.db.run(store.add_note, ticket_id, adviser.id, note_text)
        self.hub.notify(ticket_topic(ticket_id))
        return note

    async def close(
        self, ticket_id: int, adviser: Adviser, resolution: str = RESOLUTIONS[0]
    ) -> Ticket:
        """Close the conversation with its resolution, ask the person's satisfaction, and let
        the bot speak again once they answered."""
        await self.own_ticket(ticket_id, adviser)
        ticket = await self.db.run(store.close, ticket_id, resolution)
        if ticket is None:
            raise NotAllowed("already closed")
        self.hub.notify(QUEUE_TOPIC, ticket_topic(ticket_id))
        await self.resume_bot(ticket, adviser_id=adviser.id)
        return ticket

    async def resume_bot(self, ticket: Ticket, *, adviser_id: int | None = None) -> None:
        """Send `/handoff_ended` to Rasa for this person; its reply follows the rating question."""
        try:
            replies = await self.rasa.send(ticket.sender_id, HANDOFF_ENDED, channel=ticket.channel)
        except RasaUnavailable:
            replies = [BotMessage(text=text("handoff_closed_fallback"))]
        resume = [
            {"text": reply.text, "buttons": _buttons(reply)} for reply in replies if reply.text
        ]
        await self.db.run(rating.start, ticket, adviser_id, resume)
        # `handoff_over`: the widget drops "a person is answering" and stops listening.
        await self.to_person(
            ticket,
            SYSTEM,
            text("rating_question"),
            buttons=rating.score_buttons(),
            extra={"handoff_over": True},
        )

    # --- background work -----------------------------------------------------------------
    async def sweep(self) -> None:
        """Offer a call-back past the wait limit, retry pushes, purge old personal data."""
        late = await self.db.run(store.waiting_longer_than, self.settings.handoff_max_wait_minutes)
        for ticket in late:
            await self.offer_callback_while_waiting(ticket, push=True)
        await self.redeliver()
        now = utcnow()
        if self._last_purge is None or now - self._last_purge >= PURGE_EVERY:
            self._last_purge = now
            removed = await self.db.run(
                retention.purge_personal_data, self.settings.personal_data_retention_days
            )
            if removed:
                logger.info("purged %d old hand-off records", removed)

    async def offer_callback_while_waiting(self, ticket: Ticket, *, push: bool) -> list[BotMessage]:
        """The wait went past the limit: propose a call-back (once per ticket)."""
        if not await self.db.run(_mark_offered, ticket.id):
            return []
        buttons = [
            {"title": text(key), "payload": text(key)}
            for key in ("handoff_wait_button_callback", "handoff_wait_button_continue")
        ]
        if push:
            await self.to_person(ticket, SYSTEM, text("handoff_wait_too_long"), buttons=buttons)
            return []
        return [BotMessage.from_rest({"text": text("handoff_wait_too_long"), "buttons": buttons})]

    async def redeliver(self) -> None:
        """Push again the messages a channel hook failed to take."""
        channels = [c for c in ("telegram",) if self.outbox.pushes(c)]
        if not channels:
            return
        for message, user_id, channel in await self.db.run(_pending_pushes, channels):
            delivered = await self._push(channel, user_id, message)
            await self.db.run(_record_delivery, message.id, delivered)

    async def run_sweeper(self, stop: asyncio.Event) -> None:
        """Sweep every SWEEP_SECONDS until `stop` is set; errors are logged, never fatal."""
        while not stop.is_set():
            try:
                await self.sweep()
            except Exception:  # noqa: BLE001 - the sweeper must survive a bad cycle
                logger.exception("hand-off sweeper cycle failed")
            try:
                await asyncio.wait_for(stop.wait(), SWEEP_SECONDS)
            except asyncio.TimeoutError:
                pass


def first_name(email: str) -> str:
    """The adviser's first name as the person sees it: `anne.martin@…` -> `Anne`."""
    local = email.split("@", 1)[0]
    first = local.replace("_", ".").replace("-", ".").split(".")[0]
    return first[:1].upper() + first[1:].lower()


def signed_text(message: Message) -> str:
    """An adviser's message labelled with their first name, so that the person can tell a
    human from the bot on channels that show every message the same way (Telegram)."""
    name = (message.extra or {}).get("adviser_name")
    if message.author != ADVISER or not name:
        return message.text
    return f"{text('adviser_signature', name=name)}\n{message.text}"


def _claim(session: Session, ticket_id: int, adviser: Adviser) -> tuple[Ticket, bool]:
    claimed = store.claim(session, ticket_id, adviser)
    store.touch_adviser(session, adviser.id)
    return claimed


def _mark_offered(session: Session, ticket_id: int) -> bool:
    ticket = store.get_ticket(session, ticket_id)
    if ticket is None or ticket.callback_offered or ticket.status != "waiting":
        return False
    ticket.callback_offered, ticket.callback_step = True, "offer"
    return True


def _record_delivery(session: Session, message_id: int, delivered: bool) -> None:
    message = session.get(Message, message_id)
    if message is None:
        return
    message.delivery_attempts += 1
    if delivered:
        message.delivered_at = utcnow()


def _pending_pushes(session: Session, channels: list[str]) -> list[tuple[Message, str, str]]:
    pending = []
    for message in store.undelivered(session, channels):
        ticket = store.get_ticket(session, message.ticket_id)
        if ticket is not None:
            pending.append((message, ticket.user_id, ticket.channel))
    return pending
