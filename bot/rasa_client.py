"""The only module that knows Rasa's REST channel and HTTP API shapes."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.privacy import pseudonym

logger = logging.getLogger(__name__)


class RasaUnavailable(Exception):
    """Rasa (or the action server behind it) did not give a usable answer."""

    def __init__(self, message: str, *, reached: bool = True) -> None:
        super().__init__(message)
        # False only when the message surely never got to Rasa (connection refused, no replica
        # behind the balancer): sending it again then cannot make a second turn.
        self.reached = reached


# Errors raised before Rasa read the request: nothing was processed.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def _reached(error: Exception) -> bool:
    if isinstance(error, _NOT_SENT):
        return False
    # HAProxy's and Rasa's own "no server / no model" answer: the message was not processed.
    return not (isinstance(error, httpx.HTTPStatusError) and error.response.status_code == 503)


@dataclass(frozen=True)
class Button:
    """A quick reply: what the user sees and what is sent back."""

    title: str
    payload: str


@dataclass(frozen=True)
class BotMessage:
    """One message of the bot, channel-neutral."""

    text: str | None = None
    buttons: tuple[Button, ...] = ()
    image: str | None = None
    custom: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_rest(cls, raw: dict[str, Any]) -> BotMessage:
        """Parse one element of the REST channel's reply list."""
        buttons = tuple(
            Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
            for b in raw.get("buttons") or []
            if isinstance(b, dict)
        )
        custom = raw.get("custom")
        return cls(
            text=raw.get("text"),
            buttons=buttons,
            image=raw.get("image"),
            custom=custom if isinstance(custom, dict) else {},
        )


class RasaClient:
    """Async client for Rasa's REST webhook and tracker API."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 20.0,
        api_token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._api_token = api_token
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), timeout=timeout, transport=transport
        )

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def send(
        self, sender_id: str, text: str, *, channel: str, metadata: dict[str, Any] | None = None
    ) -> list[BotMessage]:
        """Send one user message and return the bot's replies.

        Raises RasaUnavailable when Rasa is down or answers nothing: the REST channel swallows
        errors from the action server and returns an empty list, so an empty list is a failure.
        """
        body = {
            "sender": sender_id,
            "message": text,
            "input_channel": channel,
            "metadata": metadata or {},
        }
        try:
            response = await self._http.post("/webhooks/rest/webhook", json=body)
            response.raise_for_status()
            raw = response.json()
        except (httpx.HTTPError, ValueError) as error:
            logger.warning("Rasa call failed for %s: %s", pseudonym(sender_id), error)
            raise RasaUnavailable(str(error), reached=_reached(error)) from error
        if not isinstance(raw, list) or not raw:
            raise RasaUnavailable("empty reply")
        return [BotMessage.from_rest(item) for item in raw if isinstance(item, dict)]

    async def tracker(self, sender_id: str) -> dict[str, Any]:
        """The conversation's tracker (slots, events) from Rasa's HTTP API."""
        params = {"include_events": "ALL"}
        if self._api_token:
            params["token"] = self._api_token
        try:
            response = await self._http.get(f"/conversations/{sender_id}/tracker", params=params)
            response.raise_for_status()
            data = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(str(error)) from error
        return data if isinstance(data, dict) else {}

    async def is_up(self) -> bool:
        """True when Rasa answers its status route with a loaded model."""
        try:
            response = await self._http.get("/", timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200
