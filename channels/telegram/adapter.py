"""The bridge between Telegram updates and the message router (thin handlers, no dialogue state)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from functools import partial

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.privacy import pseudonym
from bot.rasa_client import BotMessage, RasaUnavailable
from channels.cluster.locks import ChatLocks
from channels.router import MessageRouter, sender_id_for
from channels.telegram.render import PayloadStore, document_of, render
from channels.telegram.sending import with_retries
from channels.texts import text

logger = logging.getLogger(__name__)
CHANNEL = "telegram"
FORGET_YES, FORGET_NO = "forget:yes", "forget:no"
# Deep links (t.me/<bot>?start=kit) open a flow directly.
START_PAYLOADS = {
    "kit": "/newcomer_kit",
    "employeur": "/employer_hiring",
    "offres": "/search_offers",
    "conseiller": "/request_human",
}
Eraser = Callable[[str], Awaitable[None]]


class TelegramAdapter:
    """Turns updates into router calls and bot messages into Bot API calls."""

    def __init__(
        self,
        router: MessageRouter,
        documents: httpx.AsyncClient,
        erasers: list[Eraser] | None = None,
        max_chars: int = 2000,
    ) -> None:
        self.router = router
        self.documents = documents
        self.erasers = erasers if erasers is not None else []
        # Shared through Redis when REDIS_URL is set: a tap may reach another gateway.
        self.payloads: PayloadStore = PayloadStore()
        self.max_chars = max_chars
        # Shared with the other gateways through Redis when REDIS_URL is set (see bot.install).
        self.locks: ChatLocks = ChatLocks()

    def chat_lock(self, update: Update) -> AbstractAsyncContextManager[None]:
        """One lock per chat: updates run concurrently across chats, in order within a chat.

        Handlers take it before their first await, and asyncio locks are FIFO, so a chat's
        messages reach Rasa in the order Telegram delivered them.
        """
        chat_id = update.effective_chat.id if update.effective_chat else 0
        return self.locks.hold(chat_id)

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start [payload]: welcome and menu, or the flow named by a deep link."""
        payload = START_PAYLOADS.get((context.args or [""])[0].lower()) if context.args else None
        for message in [payload] if payload else ["/greet", "/ask_capabilities"]:
            await self.forward(update, context, message)

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/aide: the menu."""
        await self.forward(update, context, "/ask_capabilities")

    async def on_adviser(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/conseiller: ask for a human."""
        await self.forward(update, context, "/request_human")

    async def on_forget(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/oubli: ask for confirmation before erasing the person's data."""
        keyboard = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(text("telegram_forget_yes"), callback_data=FORGET_YES)],
                [InlineKeyboardButton(text("telegram_forget_no"), callback_data=FORGET_NO)],
            ]
        )
        chat_id = update.effective_chat.id if update.effective_chat else None
        if chat_id is not None:
            await with_retries(
                lambda: context.bot.send_message(
                    chat_id, text("telegram_forget_confirm"), reply_markup=keyboard
                )
            )

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A text message: forward it as is."""
        if update.message and update.message.text:
            await self.forward(update, context, update.message.text.replace("\x00", ""))

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stickers, photos, voice: say politely that only text is understood."""
        if update.effective_chat:
            chat_id = update.effective_chat.id
            await with_retries(lambda: context.bot.send_message(chat_id, text("telegram_not_text")))

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A tap on an inline button: acknowledge it, then send its payload."""
        query = update.callback_query
        if query is None:
            return
        await with_retries(query.answer)
        data = query.data or ""
        if data in (FORGET_YES, FORGET_NO):
            await self._forget(update, context, confirmed=data == FORGET_YES)
            return
        payload = await self.payloads.lookup(data)
        if payload is None:
            chat_id = update.effective_chat.id if update.effective_chat else None
            if chat_id is not None:
                await with_retries(
                    lambda: context.bot.send_message(chat_id, text("telegram_button_expired"))
                )
            return
        await self.forward(update, context, payload)

    async def forward(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, message: str
    ) -> None:
        """Send one message through the router and deliver every reply."""
        if update.effective_chat is None:
            return
        chat_id = update.effective_chat.id
        if len(message) > self.max_chars:
            too_long = text("message_too_long", length=len(message), limit=self.max_chars)
            await with_retries(partial(context.bot.send_message, chat_id, too_long))
            return
        await with_retries(lambda: context.bot.send_chat_action(chat_id, "typing"))
        replies = await self.router.user_message(
            channel=CHANNEL, user_id=str(chat_id), text_=message
        )
        for reply in replies:
            await self.deliver_message(context.bot, chat_id, reply)

    async def deliver_message(self, bot: Bot, chat_id: int, reply: BotMessage) -> None:
        """Send one bot message: text chunks with keyboard, then its document if any."""
        parts = render(reply, self.payloads)
        await self.payloads.save()  # before the buttons exist on the person's phone
        for part in parts:
            await with_retries(
                partial(
                    bot.send_message,
                    chat_id,
                    part.text,
                    reply_markup=part.keyboard,
                    parse_mode=part.parse_mode,
                )
            )
        document = document_of(reply)
        if document:
            await self._send_document(bot, chat_id, document)

    async def _send_document(self, bot: Bot, chat_id: int, document: dict[str, str]) -> None:
        try:
            response = await self.documents.get(document["url"])
            response.raise_for_status()
        except httpx.HTTPError:
            logger.warning(
                "document %s unavailable for %s", document["url"], pseudonym(str(chat_id))
            )
            await with_retries(
                lambda: bot.send_message(
                    chat_id, text("telegram_document_failed", url=document["url"])
                )
            )
            return
        filename = document.get("filename") or "document.pdf"
        await with_retries(
            lambda: bot.send_document(
                chat_id, response.content, filename=filename, caption=document.get("caption")
            )
        )

    async def _forget(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, *, confirmed: bool
    ) -> None:
        if update.effective_chat is None:
            return
        chat_id = update.effective_chat.id
        if not confirmed:
            await with_retries(
                lambda: context.bot.send_message(chat_id, text("telegram_forget_cancelled"))
            )
            return
        sender_id = sender_id_for(CHANNEL, str(chat_id))
        try:
            # Rasa's built-in /restart resets the conversation state (slots, forms); it comes
            # first so that the tracker-store eraser also removes the events it writes.
            await self.router.rasa.send(sender_id, "/restart", channel=CHANNEL)
        except RasaUnavailable:
            logger.warning("could not reset the conversation of %s", pseudonym(sender_id))
        for erase in self.erasers:
            await erase(sender_id)
        await with_retries(lambda: context.bot.send_message(chat_id, text("telegram_forget_done")))

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log every handler error and tell the person; never drop a message silently."""
        logger.error("Telegram handler error", exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat:
            chat_id = update.effective_chat.id
            try:
                await with_retries(
                    lambda: context.bot.send_message(chat_id, text("telegram_error"))
                )
            except Exception:  # noqa: BLE001 - the error handler itself must never raise
                logger.warning("could not tell %s about the error", pseudonym(str(chat_id)))
