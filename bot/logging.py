"""Logging set-up, called once by each process entry point."""

from __future__ import annotations

import logging


def configure_logging(level: str = "INFO") -> None:
    """Configure the root logger and quiet the chatty HTTP libraries."""
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        level=level.upper(),
    )
    # httpx logs every request URL at INFO, which would flood the logs (and Telegram URLs hold the token).
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
