"""Pure rendering of bot messages for Telegram: HTML text chunks and inline keyboards.

Every text is sent with ``parse_mode="HTML"``: it is escaped first (a "<" or "&" typed by a
person or in a record can never break the message), then the one markup the actions use,
``**…**`` around a scheme's name, becomes ``<b>…</b>``.
"""

from __future__ import annotations

import html
import re
import secrets
from collections import OrderedDict
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.rasa_client import BotMessage

TELEGRAM_TEXT_LIMIT = 4096
SCALE_TITLE_MAX = 2  # buttons this short ("1".."5") form a scale, shown on one row
CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit for callback_data
STORED_PREFIX = "p:"
PARSE_MODE = "HTML"
# One button per row: longer titles are cut by the phone, so we cut them ourselves, at a word.
BUTTON_TITLE_LIMIT = 30
_EMPHASIS = re.compile(r"\*\*(.+?)\*\*")


class PayloadStore:
    """Keeps payloads too long for callback_data behind a short random key (bounded, LRU)."""

    def __init__(self, capacity: int = 20_000) -> None:
        self._capacity = capacity
        self._payloads: OrderedDict[str, str] = OrderedDict()

    def callback_data(self, payload: str) -> str:
        """What to put in callback_data for this payload."""
        if len(payload.encode("utf-8")) <= CALLBACK_DATA_LIMIT and not payload.startswith(
            STORED_PREFIX
        ):
            return payload
        key = STORED_PREFIX + secrets.token_urlsafe(12)
        self._payloads[key] = payload
        while len(self._payloads) > self._capacity:
            self._payloads.popitem(last=False)
        return key

    def payload(self, callback_data: str) -> str | None:
        """The payload behind callback data; None when the key expired (e.g. after a restart)."""
        if not callback_data.startswith(STORED_PREFIX):
            return callback_data
        return self._payloads.get(callback_data)

    async def save(self) -> None:
        """Share the keys made since the last call (nothing to do in process)."""

    async def lookup(self, callback_data: str) -> str | None:
        """`payload` for the button handler; the shared store (Redis) overrides it."""
        return self.payload(callback_data)


@dataclass(frozen=True)
class TelegramMessage:
    """One Telegram sendMessage call."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None
    parse_mode: str | None = PARSE_MODE


def to_html(text: str) -> str:
    """Escaped text; ``**name**`` in bold. Unpaired markers are dropped rather than shown."""
    escaped = html.escape(text, quote=False)
    return _EMPHASIS.sub(r"<b>\1</b>", escaped).replace("**", "")


def short_title(title: str, limit: int = BUTTON_TITLE_LIMIT) -> str:
    """A button title that a phone shows whole."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title.rfind(" ", 0, limit - 1)
    return title[: cut if cut > 0 else limit - 1].rstrip(" ,;:(") + "…"


def split_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Split a long text into chunks within the limit, at paragraph, line or word boundaries."""
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < limit // 2:
            cut = window.rfind(" ")
        if cut <= 0:  # one enormous word: cut it, there is no better place
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


def keyboard_for(message: BotMessage, store: PayloadStore) -> InlineKeyboardMarkup | None:
    """Inline keyboard: one button per row; web links open, other payloads come back as callbacks."""
    rows = []
    for button in message.buttons:
        if button.payload.startswith(("https://", "http://")):
            rows.append([InlineKeyboardButton(short_title(button.title), url=button.payload)])
        else:
            rows.append(
                [
                    InlineKeyboardButton(
                        short_title(button.title),
                        callback_data=store.callback_data(button.payload),
                    )
                ]
            )
    if len(rows) > 1 and all(len(b.title) <= SCALE_TITLE_MAX for b in message.buttons):
        # A scale (the 1-5 satisfaction question): one row, one tap, as on the widget.
        rows = [[row[0] for row in rows]]
    link = message.custom.get("link") if isinstance(message.custom.get("link"), dict) else None
    if link and str(link.get("url", "")).startswith(("https://", "http://")):
        rows.append(
            [
                InlineKeyboardButton(
                    short_title(str(link.get("title") or link["url"])), url=str(link["url"])
                )
            ]
        )
    return InlineKeyboardMarkup(rows) if rows else None


def render(message: BotMessage, store: PayloadStore) -> list[TelegramMessage]:
    """Telegram messages for one bot message (one, unless over 4,096 characters); the keyboard
    goes with the last chunk. Chunks are cut on the plain text, so no tag is ever split."""
    keyboard = keyboard_for(message, store)
    chunks = html_chunks(message.text or "")
    if not chunks:
        return [TelegramMessage(text="⬇️", keyboard=keyboard)] if keyboard else []
    rendered = [TelegramMessage(text=chunk) for chunk in chunks[:-1]]
    rendered.append(TelegramMessage(text=chunks[-1], keyboard=keyboard))
    return rendered


def html_chunks(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """The text as HTML chunks within Telegram's limit once escaped ("&" grows to "&amp;")."""
    chunks: list[str] = []
    for chunk in split_text(text, limit):
        rendered = to_html(chunk)
        if len(rendered) <= TELEGRAM_TEXT_LIMIT or limit < 64:
            chunks.append(rendered)
        else:
            chunks += html_chunks(chunk, limit // 2)
    return chunks


def document_of(message: BotMessage) -> dict[str, str] | None:
    """The document a message asks to deliver (`{"document": {"url", "filename", "caption"}}`)."""
    document = message.custom.get("document")
    if isinstance(document, dict) and isinstance(document.get("url"), str):
        return {key: str(value) for key, value in document.items() if value is not None}
    return None
