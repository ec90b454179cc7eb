"""Helpers that keep personal data out of logs."""

from __future__ import annotations

import hashlib
import hmac


def pseudonym(identifier: str, key: str | None = None) -> str:
    """A short stable pseudonym for a sender id, safe to write in logs.

    Keyed with ``SECRET_KEY``: a plain hash of a Telegram chat id (a number) could be reversed
    by hashing every possible id.
    """
    if key is None:
        from bot.settings import get_settings

        key = get_settings().secret_key.get_secret_value()
    digest = hmac.new(key.encode("utf-8"), identifier.encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:12]
