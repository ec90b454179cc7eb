"""One path for every user message, whatever the channel: hand-off gate, then Rasa."""

from __future__ import annotations

import logging
from typing import Protocol

from bot.privacy import pseudonym
from bot.rasa_client import BotMessage, RasaClient, RasaUnavailable
from channels.texts import text

logger = logging.getLogger(__name__)


class HandoffGate(Protocol):
    """What the hand-off layer needs to see of the message flow."""

    async def intercept(self, sender_id: str, channel: str, text: str) -> list[BotMessage] | None:
        """Return replies (possibly empty) when a human has the conversation, else None."""

    async def after_bot_reply(
        self, sender_id: str, channel: str, messages: list[BotMessage]
    ) -> None:
        """Look at the bot's replies (a hand-off request opens a ticket)."""


class NoHandoff:
    """Gate used when the adviser console is not wired: the bot always answers."""

    async def intercept(self, sender_id: str, channel: str, text: str) -> list[BotMessage] | None:
        """Never intercept."""
        return None

    async def after_bot_reply(
        self, sender_id: str, channel: str, messages: list[BotMessage]
    ) -> None:
        """Nothing to do."""


def sender_id_for(channel: str, user_id: str) -> str:
    """Namespaced sender id, so web and Telegram conversations never collide."""
    return f"{channel}:{user_id}"


class MessageRouter:
    """Route a user message to an adviser or to Rasa, and never raise to the channel."""

    def __init__(self, rasa: RasaClient, gate: HandoffGate | None = None) -> None:
        self.rasa = rasa
        self.gate: HandoffGate = gate or NoHandoff()

    async def user_message(self, *, channel: str, user_id: str, text_: str) -> list[BotMessage]:
        """Replies to show the user for one message."""
        sender_id = sender_id_for(channel, user_id)
        intercepted = await self.gate.intercept(sender_id, channel, text_)
        if intercepted is not None:
            return intercepted
        try:
            messages = await self.rasa.send(sender_id, text_, channel=channel)
        except RasaUnavailable:
            logger.warning("Rasa unavailable for %s", pseudonym(sender_id))
            return [BotMessage(text=text("service_unavailable"))]
        await self.gate.after_bot_reply(sender_id, channel, messages)
        return messages
