"""One path for every user message, whatever the channel: hand-off gate, then Rasa."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import yaml

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


DOMAIN_DIR = Path(__file__).resolve().parent.parent / "domain"
# Intents only the gateway may send: a person typing them must not end a hand-off or reset Rasa.
RESERVED_INTENTS = frozenset({"handoff_ended", "session_start", "restart", "back"})
# What Rasa reads as an intent payload ("/intent" or '/intent{"entity": "value"}').
_PAYLOAD = re.compile(r"/(?P<intent>[A-Za-z0-9_]+)(?P<entities>\{.*\})?", re.DOTALL)


def _intent_names(entries: Iterable[Any]) -> set[str]:
    names: set[str] = set()
    for entry in entries:
        names.update([entry] if isinstance(entry, str) else dict(entry).keys())
    return names


@lru_cache(maxsize=4)
def domain_intents(domain_dir: Path = DOMAIN_DIR) -> frozenset[str]:
    """Intents declared in the Rasa domain (read once, from the YAML files)."""
    names: set[str] = set()
    for path in sorted(domain_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names |= _intent_names(data.get("intents") or [])
    return frozenset(names)


def _entities_ok(raw: str | None) -> bool:
    if raw is None:
        return True
    try:
        return isinstance(json.loads(raw), dict)
    except ValueError:
        return False


def screen_payload(text_: str, intents: frozenset[str]) -> str:
    """Let through only payloads of known, non-reserved intents; other "/" texts become text.

    Rasa writes an unknown "/..." payload in full to its log (e-mail and phone included) and a
    reserved one would end a hand-off: both are sent to Rasa as ordinary words instead.
    """
    stripped = text_.strip()
    if not stripped.startswith("/"):
        return text_
    match = _PAYLOAD.fullmatch(stripped)
    if (
        match
        and match["intent"] in intents
        and match["intent"] not in RESERVED_INTENTS
        and _entities_ok(match["entities"])
    ):
        return stripped
    words = stripped.lstrip("/ \t\r\n")
    return words or text_.replace("/", " ").strip() or "?"


@dataclass(frozen=True)
class Turn:
    """The replies to one user message, and whether they are its answer for good."""

    messages: list[BotMessage]
    # False when the message never reached Rasa: the apology is no answer to remember for a
    # resend of the same message, which may be processed then.
    final: bool = True


def sender_id_for(channel: str, user_id: str) -> str:
    """Namespaced sender id, so web and Telegram conversations never collide."""
    return f"{channel}:{user_id}"


class MessageRouter:
    """Route a user message to an adviser or to Rasa, and never raise to the channel."""

    def __init__(
        self,
        rasa: RasaClient,
        gate: HandoffGate | None = None,
        intents: frozenset[str] | None = None,
    ) -> None:
        self.rasa = rasa
        self.gate: HandoffGate = gate or NoHandoff()
        self.intents = intents if intents is not None else domain_intents()

    async def user_message(self, *, channel: str, user_id: str, text_: str) -> list[BotMessage]:
        """Replies to show the user for one message."""
        return (await self.user_turn(channel=channel, user_id=user_id, text_=text_)).messages

    async def user_turn(self, *, channel: str, user_id: str, text_: str) -> Turn:
        """Replies to show the user for one message, with whether Rasa got the message."""
        sender_id = sender_id_for(channel, user_id)
        # A lone UTF-16 surrogate ("\\ud800" in JSON) cannot be stored or sent on: replace it.
        text_ = text_.encode("utf-8", "replace").decode("utf-8")
        text_ = screen_payload(text_, self.intents)
        intercepted = await self.gate.intercept(sender_id, channel, text_)
        if intercepted is not None:
            return Turn(intercepted)
        try:
            messages = await self.rasa.send(sender_id, text_, channel=channel)
        except RasaUnavailable as error:
            logger.warning("Rasa unavailable for %s", pseudonym(sender_id))
            return Turn([BotMessage(text=text("service_unavailable"))], final=error.reached)
        await self.gate.after_bot_reply(sender_id, channel, messages)
        return Turn(messages)
