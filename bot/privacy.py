"""Helpers that keep personal data out of logs."""

from __future__ import annotations

import hashlib


def pseudonym(identifier: str) -> str:
    """A short stable pseudonym for a sender id, safe to write in logs."""
    return hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:12]
