"""FastAPI dependencies of the console: who is logged in, CSRF, roles, security headers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from channels.console import auth
from channels.console.labels import label
from channels.console.models import Adviser, utcnow
from channels.console.service import HandoffService

TOUCH_EVERY = dt.timedelta(seconds=30)
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


@dataclass(frozen=True)
class Current:
    """The logged-in adviser and the CSRF token of their session."""

    adviser: Adviser
    csrf_token: str

    @property
    def is_admin(self) -> bool:
        """Admins see every page."""
        return self.adviser.role == "admin"


class LoginRequired(Exception):
    """No valid session: pages redirect to the login form, the API answers 401."""

    def __init__(self, api: bool) -> None:
        super().__init__("login required")
        self.api = api


def service_of(request: Request) -> HandoffService:
    """The hand-off service built by the installer."""
    service: HandoffService = request.app.state.handoff
    return service


def secret_of(request: Request) -> str:
    """The secret signing cookies."""
    return str(request.app.state.settings.secret_key.get_secret_value())


def _load(session: Session, cookie: str | None, secret: str) -> Current | None:
    found = auth.session_for_cookie(session, cookie, secret)
    if found is None:
        return None
    adviser = found.adviser
    now = utcnow()
    if adviser.last_seen_at is None or now - adviser.last_seen_at >= TOUCH_EVERY:
        adviser.last_seen_at = now
    return Current(adviser=adviser, csrf_token=found.csrf_token)


async def current_from_cookie(request: Request, cookie: str | None) -> Current | None:
    """The session behind a cookie value, touching the adviser's presence."""
    if not cookie:
        return None
    return await service_of(request).db.run(_load, cookie, secret_of(request))


async def page_session(request: Request) -> Current:
    """Dependency of HTML pages."""
    current = await current_from_cookie(request, request.cookies.get(auth.SESSION_COOKIE))
    if current is None:
        raise LoginRequired(api=False)
    return current


async def api_session(request: Request) -> Current:
    """Dependency of `/console/api/...`: a session, and the CSRF header on every change."""
    current = await current_from_cookie(request, request.cookies.get(auth.SESSION_COOKIE))
    if current is None:
        raise LoginRequired(api=True)
    if request.method not in ("GET", "HEAD", "OPTIONS") and not auth.csrf_ok(
        current.csrf_token, request.headers.get(auth.CSRF_HEADER)
    ):
        raise HTTPException(status_code=403, detail=label("errors", "csrf_failed"))
    return current


def require_admin(current: Current) -> None:
    """403 for advisers on admin pages and routes."""
    if not current.is_admin:
        raise HTTPException(status_code=403, detail=label("errors", "admin_only"))


def login_required_handler(request: Request, exc: Exception) -> Response:
    """Redirect pages to the login form; 401 JSON for the API."""
    assert isinstance(exc, LoginRequired)
    if exc.api:
        return JSONResponse(
            status_code=401, content={"error": label("errors", "login_required"), "detail": []}
        )
    return RedirectResponse("/console/login", status_code=303)


def secure_cookies(request: Request) -> bool:
    """Secure cookies everywhere but plain-HTTP development and tests."""
    settings = request.app.state.settings
    return bool(settings.base_url.startswith("https://") or settings.app_env == "prod")


class ConsoleSecurityHeaders:
    """Pure ASGI middleware adding strict headers to every `/console` response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith("/console"):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {name.lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
