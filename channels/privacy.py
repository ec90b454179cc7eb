"""Personal data in the gateway: erasers of every store, "forget me", and the scheduled purge.

Every area that stores something about a person appends an async eraser
``(sender_id) -> None`` to ``app.state.personal_data_erasers``: this module registers those of
the request tables and of Rasa's tracker store, the console registers its own (hand-offs and
call-backs). ``forget_person`` runs them all, for Telegram's /oubli and the website's menu.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine

from bot.privacy import pseudonym
from bot.rasa_client import RasaUnavailable
from bot.settings import Settings
from knowledge.db import make_engine, make_session_factory
from knowledge.erasure import erase_requests
from knowledge.tracker_store import erase_conversation

logger = logging.getLogger(__name__)
Eraser = Callable[[str], Awaitable[None]]
# The scheduled purge retries sooner after a failure (database locked, disk full...).
RETRY_AFTER_ERROR_SECONDS = 600.0
# Its first run waits a little, so that start-up (and a restart) stays fast.
FIRST_PURGE_DELAY_SECONDS = 60.0


def tracker_engine(settings: Settings) -> Engine:
    """An engine on Rasa's tracker store (the gateway only deletes rows there)."""
    return make_engine(settings.tracker_store_url.render_as_string(hide_password=False))


def install(app: FastAPI, settings: Settings) -> None:
    """Installer listed in `channels.web.app._feature_installers()`."""
    secret = settings.secret_key.get_secret_value()
    sessions = make_session_factory(app.state.engine)
    tracker = tracker_engine(settings)
    app.state.tracker_engine = tracker

    def erase_request_rows(sender_id: str) -> None:
        with sessions.begin() as session:
            erase_requests(session, sender_id, secret=secret)

    async def erase_requests_of(sender_id: str) -> None:
        await asyncio.to_thread(erase_request_rows, sender_id)

    async def erase_tracker_of(sender_id: str) -> None:
        await asyncio.to_thread(erase_conversation, tracker, sender_id)

    app.state.personal_data_erasers.extend([erase_requests_of, erase_tracker_of])

    @asynccontextmanager
    async def scheduled_purge() -> AsyncIterator[None]:
        task = None
        if settings.purge_interval_hours > 0:
            task = asyncio.create_task(
                run_purge_schedule(settings, app.state.engine, tracker, FIRST_PURGE_DELAY_SECONDS)
            )
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            tracker.dispose()

    app.state.startups.append(scheduled_purge)


async def run_purge_schedule(
    settings: Settings, engine: Engine, tracker: Engine, first_delay: float
) -> None:
    """Purge soon after start-up, then every ``purge_interval_hours``; never dies of a failure."""
    from channels.retention import purge_all

    await asyncio.sleep(first_delay)
    while True:
        delay = settings.purge_interval_hours * 3600
        try:
            counts = await asyncio.to_thread(
                purge_all, settings, engine=engine, tracker_engine=tracker
            )
            logger.info(
                "scheduled purge: %s", ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            )
        except Exception as error:  # noqa: BLE001 - the next run may succeed; say why this one failed
            logger.error("scheduled purge failed (%s); retrying later", type(error).__name__)
            delay = min(delay, RETRY_AFTER_ERROR_SECONDS)
        await asyncio.sleep(delay)


async def forget_person(app: FastAPI, sender_id: str, channel: str) -> None:
    """Reset the conversation in Rasa, then run every registered eraser.

    The reset comes first: Rasa writes its events on each message, and erasing the tracker
    store afterwards leaves nothing of the conversation behind, not even the reset.
    An eraser's failure propagates, so the person is never told their data is gone when it is not.
    """
    try:
        await app.state.router.rasa.send(sender_id, "/restart", channel=channel)
    except RasaUnavailable:
        logger.warning("could not reset the conversation of %s", pseudonym(sender_id))
    erasers: list[Eraser] = app.state.personal_data_erasers
    for erase in erasers:
        await erase(sender_id)
    logger.info("personal data erased for %s", pseudonym(sender_id))
