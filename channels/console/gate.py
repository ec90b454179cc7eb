"""The real `HandoffGate`: opens tickets, keeps the bot silent during a hand-off, collects call-backs."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.privacy import pseudonym
from bot.rasa_client import BotMessage, Button, RasaUnavailable
from channels.console import callback_flow as flow
from channels.console import rating, store
from channels.console.context import build_context, commune_of
from channels.console.delivery import QUEUE_TOPIC, ticket_topic
from channels.console.knowledge_links import KINDS_BY_PROFILE
from channels.console.models import (
    ADVISER,
    CALLBACK,
    CLOSED,
    PERSON,
    WAITING,
    Callback,
    Message,
    Ticket,
    utcnow,
)
from channels.console.service import HandoffService
from channels.console.unavailable import (
    is_plain_announcement,
    offices_text,
    profile_from_slots,
    unavailable_text,
)
from channels.texts import text

logger = logging.getLogger(__name__)
DEFAULT_REASON = "asked_for_human"
MAX_SUMMARY = 500
CALLBACK_TALK_EXPIRY = dt.timedelta(hours=1)


def _message(
    message_text: str, *button_keys: str, custom: dict[str, Any] | None = None
) -> BotMessage:
    buttons = tuple(Button(title=text(k), payload=text(k)) for k in button_keys)
    return BotMessage(text=message_text, buttons=buttons, custom=custom or {})


class ConsoleGate:
    """Implements `channels.router.HandoffGate` on top of the hand-off store."""

    def __init__(self, service: HandoffService) -> None:
        self.service = service
        self.db = service.db

    # --- before Rasa ---------------------------------------------------------------------
    async def intercept(self, sender_id: str, channel: str, text_: str) -> list[BotMessage] | None:
        """While a ticket is open, the person talks to the gateway, not to the bot."""
        ticket = await self.db.run(store.active_ticket, sender_id)
        if ticket is None:
            # Just handed back: the satisfaction question may be waiting for its answer.
            return await self.db.run(rating.answer, sender_id, text_)
        if ticket.status == CALLBACK and utcnow() - ticket.created_at > CALLBACK_TALK_EXPIRY:
            # Back after a long while: the unanswered call-back question no longer applies.
            outcome = "callback" if ticket.callback_step == "time" else "callback_abandoned"
            await self.db.run(store.close, ticket.id, outcome)
            return None
        if ticket.status == CALLBACK or ticket.callback_step in ("contact", "time"):
            return await self._callback_answer(ticket, text_)
        if ticket.callback_step == "offer":
            if flow.same_choice(text_, text("handoff_wait_button_callback")) or flow.is_yes(text_):
                await self.db.run(_set_step, ticket.id, "contact", CALLBACK)
                self.service.hub.notify(QUEUE_TOPIC)
                return [self._callback_offer()]
            if flow.same_choice(text_, text("handoff_wait_button_continue")) or flow.is_no(text_):
                await self.db.run(_set_step, ticket.id, None, WAITING)
                return [_message(text("handoff_wait_continue"))]
        if ticket.status == WAITING and flow.same_choice(text_, text("handoff_cancel_button")):
            await self.db.run(store.close, ticket.id, "cancelled")
            self.service.hub.notify(QUEUE_TOPIC, ticket_topic(ticket.id))
            return [_message(text("handoff_cancelled"))]
        if text_.startswith("/"):
            # An old button of the bot (menu, "talk to an adviser"): nothing for the adviser to read.
            return [_message(text("handoff_already_open"))]
        return await self._forward(ticket, text_)

    async def _forward(self, ticket: Ticket, text_: str) -> list[BotMessage]:
        self.service.typing.stop(ticket.id, PERSON)
        acknowledge = await self.db.run(_store_person_message, ticket, text_)
        self.service.hub.notify(QUEUE_TOPIC, ticket_topic(ticket.id))
        replies = [_message(text("handoff_forwarded"))] if acknowledge else []
        waited = (utcnow() - ticket.created_at).total_seconds() / 60
        if ticket.status == WAITING and waited > self.service.settings.handoff_max_wait_minutes:
            replies += await self.service.offer_callback_while_waiting(ticket, push=False)
        return replies

    def _callback_offer(self) -> BotMessage:
        days = self.service.settings.personal_data_retention_days
        return _message(text("callback_offer", days=days), "callback_decline_button")

    async def _callback_answer(self, ticket: Ticket, text_: str) -> list[BotMessage] | None:
        if ticket.callback_step == "time":
            chosen = text("callback_time_any") if flow.is_no(text_) else flow.preferred_time(text_)
            callback = await self.db.run(_finish_callback, ticket.id, chosen)
            self.service.hub.notify(QUEUE_TOPIC, "callbacks")
            if callback is None:
                return None
            return [
                _message(
                    text(
                        "callback_recorded",
                        contact=callback.contact,
                        preferred_time=callback.preferred_time,
                    )
                )
            ]
        if flow.is_no(text_) or flow.same_choice(text_, text("callback_decline_button")):
            await self.db.run(store.close, ticket.id, "callback_declined")
            return [_message(text("callback_declined"))]
        contact = flow.parse_contact(text_)
        if contact is None:
            if flow.is_yes(text_):
                return [self._callback_offer()]
            if flow.looks_like_contact_attempt(text_):
                return [_message(text("callback_invalid_contact"), "callback_decline_button")]
            # Not a contact at all: the person moved on to a question, so the bot answers it.
            await self.db.run(store.close, ticket.id, "callback_abandoned")
            return None
        consent = text("callback_offer", days=self.service.settings.personal_data_retention_days)
        await self.db.run(_start_callback, ticket.id, contact, consent)
        return [
            _message(
                text("callback_ask_time"),
                "callback_time_morning",
                "callback_time_afternoon",
                "callback_time_any",
            )
        ]

    # --- after Rasa ----------------------------------------------------------------------
    async def after_bot_reply(
        self, sender_id: str, channel: str, messages: list[BotMessage]
    ) -> None:
        """A `{"handoff": ...}` payload opens a ticket; its message is replaced, in place, by
        what happens next (wait time, or the call-back offer and local offices)."""
        index = next(
            (i for i, m in enumerate(messages) if isinstance(m.custom.get("handoff"), dict)), None
        )
        if index is None:
            return
        # The bot's payload stays as it is (the widget watches for it); the text is the gateway's.
        payload = messages[index].custom
        request = payload["handoff"]
        reason = str(request.get("reason") or DEFAULT_REASON)[:48]
        summary = str(request.get("summary") or "")[:MAX_SUMMARY]
        existing = await self.db.run(store.active_ticket, sender_id)
        if existing is not None:
            messages[index] = _message(text("handoff_already_open"), custom=payload)
            return
        tracker = await self._tracker(sender_id)
        context = build_context(tracker, reason=reason, summary=summary, channel=channel)
        names = await self.service.knowledge.scheme_names([s["id"] for s in context["schemes"]])
        for scheme in context["schemes"]:
            scheme["name"] = names.get(scheme["id"])
        commune_code, commune_name = commune_of(tracker)
        availability = await self.service.availability()
        fields = {
            "sender_id": sender_id,
            "channel": channel,
            "user_id": sender_id.split(":", 1)[-1],
            "reason": reason,
            "summary": context["summary"][:MAX_SUMMARY],
            "commune": commune_name,
            "context": context,
            "created_at": utcnow(),
        }
        if availability.available:
            ticket = await self.db.run(store.open_ticket, status=WAITING, **fields)
            self.service.hub.notify(QUEUE_TOPIC)
            messages[index] = _message(
                text("handoff_queued", minutes=availability.wait_minutes),
                "handoff_cancel_button",
                custom=payload,
            )
            logger.info(
                "hand-off ticket %s queued for %s (%s)", ticket.id, pseudonym(sender_id), reason
            )
            return
        ticket = await self.db.run(
            store.open_ticket,
            status=CALLBACK,
            callback_step="contact",
            callback_offered=True,
            unavailable_reason=availability.why,
            **fields,
        )
        messages[index] = BotMessage(
            text=unavailable_text(self.service, availability),
            buttons=(
                Button(
                    title=text("callback_decline_button"), payload=text("callback_decline_button")
                ),
            ),
            custom=payload,
        )
        slots = tracker.get("slots") or {}
        profile = profile_from_slots(slots)
        offices = await self.service.knowledge.offices(commune_code, KINDS_BY_PROFILE[profile])
        messages.insert(index + 1, _message(offices_text(offices, profile)))
        # One voice: the bot's "I am putting you through" just before the payload would be
        # contradicted at once by "nobody can answer", so it goes.
        if index > 0 and is_plain_announcement(messages[index - 1]):
            del messages[index - 1]
        logger.info(
            "no adviser (%s) for %s: call-back offered", availability.why, pseudonym(sender_id)
        )

    async def _tracker(self, sender_id: str) -> dict[str, Any]:
        try:
            return await self.service.rasa.tracker(sender_id)
        except RasaUnavailable:
            logger.warning(
                "tracker unavailable for %s: context packet without it", pseudonym(sender_id)
            )
            return {}


def _store_person_message(session: Session, ticket: Ticket, text_: str) -> bool:
    """Store the person's message; True when it deserves a "transmitted" acknowledgement: their
    first one, and only while no adviser has answered (an answer already shows someone reads)."""
    first = not store.person_has_written(session, ticket.id)
    answered = session.scalar(
        select(Message.id).where(Message.ticket_id == ticket.id, Message.author == ADVISER).limit(1)
    )
    store.add_message(session, ticket, PERSON, text_)
    return first and answered is None


def _set_step(session: Session, ticket_id: int, step: str | None, status: str) -> None:
    ticket = store.get_ticket(session, ticket_id)
    if ticket is not None and ticket.status != CLOSED:
        ticket.callback_step, ticket.status = step, status


def _start_callback(
    session: Session, ticket_id: int, contact: tuple[str, str], consent: str
) -> None:
    ticket = store.get_ticket(session, ticket_id)
    if ticket is None:
        return
    store.add_callback(
        session,
        ticket_id=ticket.id,
        channel=ticket.channel,
        contact_kind=contact[0],
        contact=contact[1],
        preferred_time="",
        reason=ticket.reason,
        summary=ticket.summary,
        commune=ticket.commune,
        consent_text=consent,
        consent_at=utcnow(),
    )
    ticket.callback_step = "time"


def _finish_callback(session: Session, ticket_id: int, chosen: str) -> Callback | None:
    callback = session.scalar(
        select(Callback)
        .where(Callback.ticket_id == ticket_id)
        .order_by(Callback.id.desc())
        .limit(1)
    )
    store.close(session, ticket_id, "callback")
    if callback is not None:
        callback.preferred_time = chosen
    return callback
