"""Typing indicators of a live hand-off, both ways (web widget and console).

Kept in memory: a few seconds of state that is worthless after a restart. With several gateway
processes, an indicator shows only to listeners of the same process (the messages themselves are
not affected).
"""

from __future__ import annotations

import time

TYPING_SECONDS = 6.0


class TypingBoard:
    """Who is typing in which ticket: `mark(ticket_id, "adviser")`, `is_typing(...)`."""

    def __init__(self) -> None:
        self._last: dict[tuple[int, str], float] = {}

    def mark(self, ticket_id: int, who: str) -> None:
        """`who` (`adviser` or `person`) is typing now."""
        now = time.monotonic()
        self._last[(ticket_id, who)] = now
        # Forget stale entries so the board stays small.
        for key, at in list(self._last.items()):
            if now - at > TYPING_SECONDS:
                del self._last[key]

    def stop(self, ticket_id: int, who: str) -> None:
        """A message was sent: the indicator goes at once."""
        self._last.pop((ticket_id, who), None)

    def is_typing(self, ticket_id: int, who: str) -> bool:
        """True when `who` typed in the last TYPING_SECONDS."""
        at = self._last.get((ticket_id, who))
        return at is not None and time.monotonic() - at <= TYPING_SECONDS
