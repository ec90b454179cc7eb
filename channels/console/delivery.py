"""Getting adviser messages to the person, and waking up live listeners.

- `Outbox`: per-channel delivery hooks. A channel adapter that runs inside the gateway (Telegram)
  registers `async def deliver(user_id: str, text: str) -> None` for its channel name with
  `outbox_for(app).register("telegram", deliver)`. The `web` channel needs no hook: the widget
  reads `GET /api/chat/{session_id}/events` or the `/stream` event source. Every message is stored
  first, so a failed or missing hook loses nothing: it is retried by the console's sweeper.
- `EventHub`: in-process wake-ups for the WebSocket and event-stream loops, which then read the
  database. The loops also poll, so several gateway processes still see each other's messages;
  with `REDIS_URL` set, `channels.cluster.hub.RedisEventHub` relays the wake-ups between them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from bot.privacy import pseudonym
from bot.rasa_client import BotMessage

logger = logging.getLogger(__name__)

Deliver = Callable[[str, str], Awaitable[None]]
DeliverBotMessage = Callable[[str, BotMessage], Awaitable[None]]


class Outbox:
    """Delivery hooks of the channels that push messages themselves (not the web widget)."""

    def __init__(self, app: FastAPI | None = None) -> None:
        self._hooks: dict[str, Deliver] = {}
        self._app = app

    def register(self, channel: str, deliver: Deliver) -> None:
        """Use `deliver(user_id, text)` for messages to people on `channel`."""
        self._hooks[channel] = deliver

    def unregister(self, channel: str) -> None:
        """Stop pushing to `channel` (adapter shutting down); messages wait in the database."""
        self._hooks.pop(channel, None)

    def pushes(self, channel: str) -> bool:
        """True when `channel` has a hook (its messages are pushed, not polled)."""
        return channel in self._hooks

    async def deliver(self, channel: str, user_id: str, text: str) -> bool:
        """Push one message; False when there is no hook or the hook failed."""
        hook = self._hooks.get(channel)
        if hook is None:
            return False
        try:
            await hook(user_id, text)
        except Exception:  # noqa: BLE001 - any adapter failure means "retry later"
            logger.warning(
                "delivery to %s failed for %s", channel, pseudonym(user_id), exc_info=True
            )
            return False
        return True

    def _bot_message_hook(self, channel: str) -> DeliverBotMessage | None:
        # Documented by the Telegram area: `app.state.<channel>_deliver_bot_message(user_id, message)`.
        if self._app is None:
            return None
        hook = getattr(self._app.state, f"{channel}_deliver_bot_message", None)
        return hook if callable(hook) else None

    async def deliver_bot_message(self, channel: str, user_id: str, message: BotMessage) -> bool:
        """Push a bot reply with its buttons when the channel can, else as plain text."""
        hook = self._bot_message_hook(channel)
        if hook is None:
            return await self.deliver(channel, user_id, message.text or "")
        try:
            await hook(user_id, message)
        except Exception:  # noqa: BLE001 - any adapter failure means "retry later"
            logger.warning(
                "delivery to %s failed for %s", channel, pseudonym(user_id), exc_info=True
            )
            return False
        return True


def outbox_for(app: FastAPI) -> Outbox:
    """The app's outbox, created on first use so installers may run in any order."""
    outbox: Outbox | None = getattr(app.state, "handoff_outbox", None)
    if outbox is None:
        outbox = Outbox(app)
        app.state.handoff_outbox = outbox
    return outbox


class EventHub:
    """Topic-based wake-ups: `notify("queue")`, `await wait({"ticket:3"}, timeout=15)`."""

    def __init__(self) -> None:
        self._waiters: dict[str, set[asyncio.Event]] = {}
        self._observers: list[Callable[[list[str]], None]] = []

    def notify(self, *topics: str) -> None:
        """Wake every listener of these topics."""
        self._deliver(list(topics))

    def observe(self, observer: Callable[[list[str]], None]) -> None:
        """Also call `observer(topics)` for every event delivered here (tests, metrics)."""
        self._observers.append(observer)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Background work while the gateway runs: none in process (see RedisEventHub)."""
        yield

    def _deliver(self, topics: list[str]) -> None:
        for topic in topics:
            for event in self._waiters.get(topic, ()):
                event.set()
        for observer in self._observers:
            observer(topics)

    async def wait(self, topics: Iterable[str], timeout: float) -> bool:
        """Sleep until one of the topics is notified (True) or the timeout passes (False)."""
        event = asyncio.Event()
        names = list(topics)
        for topic in names:
            self._waiters.setdefault(topic, set()).add(event)
        try:
            await asyncio.wait_for(event.wait(), timeout)
            return True
        except asyncio.TimeoutError:
            return False
        finally:
            for topic in names:
                waiters = self._waiters.get(topic)
                if waiters is not None:
                    waiters.discard(event)
                    if not waiters:
                        del self._waiters[topic]


def sender_topic(sender_id: str) -> str:
    """Topic of the messages going to one person."""
    return f"sender:{sender_id}"


def ticket_topic(ticket_id: int) -> str:
    """Topic of one ticket's messages and state."""
    return f"ticket:{ticket_id}"


QUEUE_TOPIC = "queue"
