"""Run the gateway under uvicorn with bounded waits (what scripts/run-gateway.sh starts).

uvicorn alone never times out a client that sends its request headers slowly, so a few hundred
slow connections would stay open for ever: ``SlowHeadersProtocol`` closes a connection that has
not sent complete request headers within ``HEADER_TIMEOUT_SECONDS``. Bodies are bounded by
``channels.web.limits.EdgeLimits``. On SIGTERM, open responses get ``GRACEFUL_SHUTDOWN_SECONDS``
(event streams end at once, see ``channels.web.app``), so a restart never hangs.
"""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_SECONDS = 10.0
GRACEFUL_SHUTDOWN_SECONDS = 10
KEEP_ALIVE_SECONDS = 5
MAX_CONNECTIONS = 1000


class SlowHeadersProtocol(H11Protocol):
    """h11 protocol that drops a connection whose first request headers do not arrive in time."""

    def connection_made(self, transport: Any) -> None:  # noqa: D102 - see the class
        super().connection_made(transport)
        self._header_timer: asyncio.TimerHandle | None = self.loop.call_later(
            HEADER_TIMEOUT_SECONDS, self._drop_if_silent
        )

    def _drop_if_silent(self) -> None:
        # `cycle` is set once h11 has parsed the request line and every header.
        if self.cycle is None and not self.transport.is_closing():
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:  # noqa: D102 - see the class
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        super().connection_lost(exc)


def main() -> None:
    """Serve `channels.web.app:app_from_env` on GATEWAY_HOST:GATEWAY_PORT."""
    from bot.settings import get_settings

    settings = get_settings()
    uvicorn.run(
        "channels.web.app:app_from_env",
        factory=True,
        host=settings.gateway_host,
        port=settings.gateway_port,
        http=SlowHeadersProtocol,
        access_log=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        limit_concurrency=MAX_CONNECTIONS,
    )


if __name__ == "__main__":
    main()
