"""Plug the hand-off console into the gateway: tables, gate, routes, sweeper."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from bot.settings import Settings
from channels.cluster import redis_client
from channels.cluster.counters import RedisLoginThrottle
from channels.cluster.hub import RedisEventHub
from channels.console import api, inbox_api, pages, person_api, reports_page, ws
from channels.console.delivery import QUEUE_TOPIC, EventHub, outbox_for
from channels.console.gate import ConsoleGate
from channels.console.hours import parse_office_hours
from channels.console.knowledge_links import KnowledgeLinks
from channels.console.retention import erase_person
from channels.console.service import HandoffService
from channels.console.store import Database
from channels.console.web_auth import ConsoleSecurityHeaders, LoginRequired, login_required_handler
from knowledge.db import make_session_factory, migrate


def _event_hub(settings: Settings) -> EventHub:
    """In process, or shared by every gateway through Redis when `REDIS_URL` is set."""
    redis = redis_client(settings)
    if redis is None:
        return EventHub()
    return RedisEventHub(redis, settings.redis_prefix)


def install(app: FastAPI, settings: Settings) -> None:
    """Installer listed in `channels.web.app._feature_installers()`."""
    # Fail at start-up, not at the first hand-off, when OFFICE_HOURS cannot be read.
    hours = parse_office_hours(settings.office_hours)
    engine = app.state.engine
    service = HandoffService(
        db=Database(make_session_factory(engine)),
        rasa=app.state.router.rasa,
        settings=settings,
        hub=_event_hub(settings),
        outbox=outbox_for(app),
        hours=hours,
        knowledge=KnowledgeLinks(settings.database_url),
    )
    app.state.handoff = service
    shared = getattr(app.state, "redis", None)
    if shared is not None:
        # Login attempts counted by every gateway; in process, `pages` makes one on first use.
        app.state.login_throttle = RedisLoginThrottle(
            shared, settings.redis_prefix, settings.secret_key.get_secret_value()
        )
    app.state.router.gate = ConsoleGate(service)
    app.include_router(pages.router)
    app.include_router(api.router)
    app.include_router(inbox_api.router)
    app.include_router(reports_page.router)
    app.include_router(reports_page.api_router)
    app.include_router(ws.router)
    app.include_router(person_api.router)
    app.add_exception_handler(LoginRequired, login_required_handler)
    app.add_middleware(ConsoleSecurityHeaders)

    async def erase(sender_id: str) -> None:
        await service.db.run(erase_person, sender_id)
        service.hub.notify(QUEUE_TOPIC)

    # A person's "forget me" (Telegram /oubli...) also deletes their hand-offs and call-backs.
    erasers = getattr(app.state, "personal_data_erasers", None)
    if isinstance(erasers, list):
        erasers.append(erase)

    @asynccontextmanager
    async def lifecycle() -> AsyncIterator[None]:
        # Every table is under Alembic (knowledge/migrations): upgrading is idempotent, and a
        # later change to a console table reaches deployed databases.
        await asyncio.to_thread(migrate, settings.database_url)
        stop = asyncio.Event()
        async with service.hub.running():
            sweeper = asyncio.create_task(service.run_sweeper(stop))
            try:
                yield
            finally:
                stop.set()
                sweeper.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sweeper
            if isinstance(service.hub, RedisEventHub):
                await service.hub.redis.aclose()

    app.state.startups.append(lifecycle)
