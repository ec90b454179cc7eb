"""Request and response bodies of the chat API."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.rasa_client import BotMessage

SESSION_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
# Made by the client (a UUID, random hex): long enough not to collide within a conversation.
MESSAGE_ID_PATTERN = r"^[A-Za-z0-9_-]{8,64}$"


class ChatRequest(BaseModel):
    """One user message from the website widget or any HTTP client."""

    model_config = ConfigDict(extra="forbid", strict=True)

    session_id: str = Field(
        pattern=SESSION_ID_PATTERN, description="Identifiant de la conversation."
    )
    text: str = Field(description="Le message de la personne (texte brut).")
    # Optional, made by the client and sent again unchanged with a resend of the same message:
    # the replies already given come back, the message is not processed twice.
    message_id: str | None = Field(default=None, pattern=MESSAGE_ID_PATTERN)


class ButtonOut(BaseModel):
    """A quick reply."""

    title: str
    payload: str


class MessageOut(BaseModel):
    """One bot message."""

    text: str | None = None
    buttons: list[ButtonOut] = Field(default_factory=list)
    image: str | None = None
    custom: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def from_bot(cls, message: BotMessage) -> MessageOut:
        """Convert the channel-neutral message."""
        return cls(
            text=message.text,
            buttons=[ButtonOut(title=b.title, payload=b.payload) for b in message.buttons],
            image=message.image,
            custom=message.custom,
        )


class ChatResponse(BaseModel):
    """The bot's replies to one message."""

    messages: list[MessageOut]


class ErrorResponse(BaseModel):
    """A 4xx answer, with a French message to show as is."""

    error: str
    detail: list[dict[str, Any]] = Field(default_factory=list)


class ForgetResponse(BaseModel):
    """The confirmation shown once a person's data is erased."""

    message: str
