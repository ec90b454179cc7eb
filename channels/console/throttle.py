"""Login throttling that an attacker can neither race nor turn against an adviser.

- Attempts are counted *before* the password is checked, under one lock: twenty parallel wrong
  passwords count as twenty, and the sixth and later are refused without being checked.
- The lock is per (account, client address): someone elsewhere cannot lock an adviser out by
  failing five times with their e-mail; the adviser's own address stays free.
- Each address also has an overall budget across accounts (guessing many e-mails).
A success clears that (account, address) counter. Counters live in the gateway process, or in
Redis when several gateways share the logins (`channels.cluster.counters.RedisLoginThrottle`).
"""

from __future__ import annotations

import threading
import time

MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5
MAX_ATTEMPTS_PER_ADDRESS = 30
WINDOW_SECONDS = 15 * 60
MAX_KEYS = 100_000


class LoginThrottle:
    """Sliding-window counters of login attempts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._attempts: dict[tuple[str, str], list[float]] = {}

    def _recent(self, key: tuple[str, str], now: float) -> list[float]:
        kept = [t for t in self._attempts.get(key, []) if t > now - WINDOW_SECONDS]
        self._attempts[key] = kept
        return kept

    def begin(self, email: str, address: str, now: float | None = None) -> bool:
        """Count one attempt; False when it must be refused without checking the password."""
        now = time.monotonic() if now is None else now
        pair, overall = ("pair", f"{email}\n{address}"), ("address", address)
        with self._lock:
            if len(self._attempts) > MAX_KEYS:
                self._attempts.clear()  # memory bound; an attacker gains one window at most
            pair_attempts, all_attempts = self._recent(pair, now), self._recent(overall, now)
            if (
                len(pair_attempts) >= MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS
                or len(all_attempts) >= MAX_ATTEMPTS_PER_ADDRESS
            ):
                return False
            pair_attempts.append(now)
            all_attempts.append(now)
            return True

    def succeeded(self, email: str, address: str) -> None:
        """The password was right: that account's failures from this address are forgotten."""
        with self._lock:
            self._attempts.pop(("pair", f"{email}\n{address}"), None)

    async def attempt(self, email: str, address: str) -> bool:
        """`begin` for the login route; shared counters (Redis) override it."""
        return self.begin(email, address)

    async def success(self, email: str, address: str) -> None:
        """`succeeded` for the login route; shared counters (Redis) override it."""
        self.succeeded(email, address)
