"""Calls to the Bot API that survive flood limits (429) and network hiccups."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

logger = logging.getLogger(__name__)
T = TypeVar("T")
MAX_ATTEMPTS = 4
BACKOFF_SECONDS = (0.5, 1.0, 2.0)
MAX_RETRY_AFTER_SECONDS = 60.0


async def with_retries(call: Callable[[], Awaitable[T]]) -> T:
    """Run a Bot API call; wait what Telegram asks on 429, back off on network errors."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return await call()
        except RetryAfter as error:
            if attempt == MAX_ATTEMPTS:
                raise
            delay = error.retry_after
            seconds = delay.total_seconds() if isinstance(delay, timedelta) else float(delay)
            logger.info("Telegram flood limit: retrying in %.1f s", seconds)
            await asyncio.sleep(min(seconds, MAX_RETRY_AFTER_SECONDS))
        except BadRequest:
            raise  # our request is wrong: sending it again cannot help
        except (TimedOut, NetworkError) as error:
            if attempt == MAX_ATTEMPTS:
                raise
            logger.info("Telegram network error (%s): retry %d", type(error).__name__, attempt)
            await asyncio.sleep(BACKOFF_SECONDS[min(attempt - 1, len(BACKOFF_SECONDS) - 1)])
    raise AssertionError("unreachable")
