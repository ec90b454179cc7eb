"""Telegram inside the gateway: long polling by default, webhook when a public URL is configured."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

import httpx
from fastapi import FastAPI, Request, Response
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.rasa_client import BotMessage
from bot.settings import Settings
from channels.cluster import redis_client
from channels.cluster.counters import RecentIds, RedisRecentIds
from channels.cluster.locks import RedisChatLocks
from channels.cluster.payloads import RedisPayloadStore
from channels.telegram.adapter import CHANNEL, TelegramAdapter
from channels.telegram.render import split_text
from channels.telegram.sending import with_retries

logger = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def build_application(
    settings: Settings, adapter: TelegramAdapter
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The PTB application with our thin handlers (Rasa owns all dialogue state)."""
    assert settings.telegram_bot_token is not None
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        # Updates of different chats run concurrently; adapter locks keep each chat in order.
        .concurrent_updates(64)
    )
    if settings.telegram_webhook_url:
        builder = builder.updater(None)
    application = builder.build()
    ordered = _in_chat_order(adapter)
    application.add_handler(CommandHandler("start", ordered(adapter.on_start)))
    application.add_handler(CommandHandler(["aide", "help", "menu"], ordered(adapter.on_help)))
    application.add_handler(CommandHandler("conseiller", ordered(adapter.on_adviser)))
    application.add_handler(CommandHandler("oubli", ordered(adapter.on_forget)))
    application.add_handler(CallbackQueryHandler(ordered(adapter.on_button)))
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND, ordered(adapter.on_text))
    )
    application.add_handler(
        MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL, ordered(adapter.on_other))
    )
    application.add_error_handler(adapter.on_error)
    return application


Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def _in_chat_order(adapter: TelegramAdapter) -> Callable[[Handler], Handler]:
    """Wrap a handler so it holds its chat's lock from its very first step."""

    def wrap(handler: Handler) -> Handler:
        async def ordered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            async with adapter.chat_lock(update):
                await handler(update, context)

        return ordered

    return wrap


def install(app: FastAPI, settings: Settings) -> None:
    """Plug Telegram into the gateway when a token is configured; otherwise do nothing."""
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    if not token:
        return
    # The gateways' shared Redis client (channels.web.app), None when REDIS_URL is empty.
    shared = app.state.redis
    if settings.telegram_webhook_url:
        seen = RecentIds() if shared is None else RedisRecentIds(shared, settings.redis_prefix)
        app.add_api_route(
            WEBHOOK_PATH, _webhook_route(settings, seen), methods=["POST"], include_in_schema=False
        )

    @asynccontextmanager
    async def running() -> AsyncIterator[None]:
        documents = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://gateway"
        )
        adapter = TelegramAdapter(
            app.state.router, documents, app.state.personal_data_erasers, settings.max_message_chars
        )
        redis = redis_client(settings)
        if redis is not None:
            adapter.locks = RedisChatLocks(redis, settings.redis_prefix)
        if shared is not None:
            adapter.payloads = RedisPayloadStore(shared, settings.redis_prefix)
        application = build_application(settings, adapter)
        started = await _start(application, settings)
        if started:
            app.state.telegram_application = application
            _register_delivery(app, application, adapter)
        try:
            yield
        finally:
            if started:
                await _stop(application)
            await documents.aclose()
            await adapter.locks.aclose()

    app.state.startups.append(running)


async def _start(
    application: Application[Any, Any, Any, Any, Any, Any], settings: Settings
) -> bool:
    """Start polling or set the webhook; a Telegram failure must not take the gateway down."""
    try:
        await application.initialize()
        await application.start()
        if settings.telegram_webhook_url:
            secret = (
                settings.telegram_webhook_secret.get_secret_value()
                if settings.telegram_webhook_secret
                else None
            )
            await application.bot.set_webhook(settings.telegram_webhook_url, secret_token=secret)
        elif application.updater is not None:
            await application.updater.start_polling(poll_interval=0.0, timeout=10)
    except (TelegramError, httpx.HTTPError, OSError):
        logger.exception("Telegram could not start; the web channel keeps working")
        return False
    logger.info(
        "Telegram started (%s)", "webhook" if settings.telegram_webhook_url else "long polling"
    )
    return True


async def _stop(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()


def _register_delivery(
    app: FastAPI, application: Application[Any, Any, Any, Any, Any, Any], adapter: TelegramAdapter
) -> None:
    """Adviser messages during a hand-off reach the person on Telegram."""
    try:
        from channels.console.delivery import outbox_for
    except ImportError:  # the console is an optional area of the gateway
        return

    async def deliver(user_id: str, text_: str) -> None:
        for chunk in split_text(text_):
            await with_retries(partial(application.bot.send_message, int(user_id), chunk))

    async def deliver_bot_message(user_id: str, message: BotMessage) -> None:
        await adapter.deliver_message(application.bot, int(user_id), message)

    outbox_for(app).register(CHANNEL, deliver)
    app.state.telegram_deliver_bot_message = deliver_bot_message


def _webhook_route(settings: Settings, seen: RecentIds) -> Any:
    expected = (
        settings.telegram_webhook_secret.get_secret_value()
        if settings.telegram_webhook_secret
        else ""
    )

    async def telegram_webhook(request: Request) -> Response:
        """Receive one update from Telegram; refuse it unless the secret header matches."""
        given = request.headers.get(SECRET_HEADER, "")
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            return Response(status_code=403)
        application = getattr(request.app.state, "telegram_application", None)
        if application is None:
            return Response(status_code=503)
        try:
            data = await request.json()
            valid = isinstance(data, dict) and isinstance(data.get("update_id"), int)
            update = Update.de_json(data, application.bot) if valid else None
        except (ValueError, TypeError, KeyError, AttributeError):
            update = None
        if update is None:
            return Response(status_code=400)
        if not await seen.first_time(update.update_id):
            return Response(status_code=200)  # Telegram resent it (to any gateway): handled
        await application.update_queue.put(update)
        await asyncio.sleep(0)
        return Response(status_code=200)

    return telegram_webhook
