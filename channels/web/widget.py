"""The embeddable website widget: short URLs for its files and CORS for the sites embedding it.

The widget itself is static (`static/widget.js`, `static/widget.css`, `static/demo.html`). When it
is embedded on another site than the gateway's, the browser sends its chat requests and its event
stream cross-origin: the origins listed in `WIDGET_ALLOWED_ORIGINS` get CORS headers, and only on
the person's chat API (`/api/chat...`), never on the adviser console.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.settings import Settings

STATIC_DIR = Path(__file__).with_name("static")
CHAT_API_PREFIX = "/api/chat"
# A browser may cache the answer to the pre-flight request this long (seconds).
PREFLIGHT_MAX_AGE = 600


def allowed_origins(raw: str) -> list[str]:
    """Origins from the setting: comma- or space-separated, `*` for any site."""
    origins = [part.strip().rstrip("/") for part in raw.replace(",", " ").split()]
    return ["*"] if "*" in origins else [o for o in origins if o]


class ChatApiCors:
    """CORS on the chat API only: the console keeps its same-origin cookie protection."""

    def __init__(self, app: ASGIApp, origins: list[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Content-Type", "Accept", "Last-Event-ID"],
            allow_credentials=False,
            max_age=PREFLIGHT_MAX_AGE,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] == "http" and path.startswith(CHAT_API_PREFIX):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def install(app: FastAPI, settings: Settings) -> None:
    """Installer listed in `channels.web.app._feature_installers()`."""
    origins = allowed_origins(settings.widget_allowed_origins)
    if origins:
        app.add_middleware(ChatApiCors, origins=origins)

    # `/widget.js` next to `/widget.css`: the script finds its stylesheet beside itself.
    @app.get("/widget.js", include_in_schema=False)
    async def widget_js() -> FileResponse:
        return FileResponse(STATIC_DIR / "widget.js", media_type="text/javascript")

    @app.get("/widget.css", include_in_schema=False)
    async def widget_css() -> FileResponse:
        return FileResponse(STATIC_DIR / "widget.css", media_type="text/css")
