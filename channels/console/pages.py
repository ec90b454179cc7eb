"""`/console`: the adviser console's HTML pages (French, Jinja2 with autoescape, vanilla JS)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.orm import Session

from channels.console import auth, followups, requests_view, store
from channels.console.api import _advisers, _queue, _ticket_bundle
from channels.console.hours import to_paris
from channels.console.inbox_api import _canned, _colleagues
from channels.console.labels import label, labels
from channels.console.serialize import callback_json
from channels.console.service import RESOLUTIONS
from channels.console.throttle import LoginThrottle
from channels.console.web_auth import (
    Current,
    page_session,
    require_admin,
    secret_of,
    secure_cookies,
    service_of,
)

router = APIRouter(prefix="/console", include_in_schema=False)
HERE = Path(__file__).parent
STATIC = HERE / "static"
Page = Annotated[Current, Depends(page_session)]


@lru_cache(maxsize=1)
def _templates() -> Environment:
    # autoescape on every template: person and adviser texts are never trusted HTML.
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined
    )
    env.globals["label"] = label
    env.filters["local_time"] = local_time
    return env


def local_time(iso_utc: str | None) -> str:
    """`2026-12-05T11:30:00+00:00` -> `05/12/2026 12:30` (Paris time): advisers read local times."""
    if not iso_utc:
        return ""
    try:
        moment = dt.datetime.fromisoformat(iso_utc)
    except ValueError:
        return iso_utc
    return to_paris(moment).strftime("%d/%m/%Y %H:%M")


def render(name: str, status: int = 200, **values: Any) -> HTMLResponse:
    """Render a template to a response."""
    html = _templates().get_template(name).render(labels=labels(), **values)
    return HTMLResponse(html, status_code=status)


def _login_page(request: Request, error: str | None = None, status: int = 200) -> HTMLResponse:
    token, cookie = auth.new_login_csrf(secret_of(request))
    response = render("login.html", status=status, csrf_token=token, error=error)
    response.set_cookie(
        auth.LOGIN_CSRF_COOKIE,
        cookie,
        httponly=True,
        samesite="strict",
        path="/console",
        secure=secure_cookies(request),
    )
    return response


def login_throttle(request: Request) -> LoginThrottle:
    """The gateway's login throttle (one per app, created on first use)."""
    throttle = getattr(request.app.state, "login_throttle", None)
    if throttle is None:
        throttle = request.app.state.login_throttle = LoginThrottle()
    return throttle


@router.get("/login")
async def login_form(request: Request) -> HTMLResponse:
    """The login form."""
    return _login_page(request)


def _login(session: Session, email: str, password: str, secret: str) -> str | None:
    adviser = auth.authenticate(session, email, password)
    return auth.open_session(session, adviser, secret) if adviser else None


@router.post("/login")
async def login(
    request: Request,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    """Check the credentials, open a session, go to the queue."""
    secret = secret_of(request)
    if not auth.login_csrf_ok(secret, request.cookies.get(auth.LOGIN_CSRF_COOKIE), csrf_token):
        return _login_page(request, label("errors", "csrf_failed"), status=403)
    throttle = login_throttle(request)
    address = request.client.host if request.client else "?"
    account = auth.normalise_email(email)
    if not await throttle.attempt(account, address):
        return _login_page(request, label("errors", "login_failed"), status=401)
    cookie = await service_of(request).db.run(_login, email, password, secret)
    if cookie is None:
        return _login_page(request, label("errors", "login_failed"), status=401)
    await throttle.success(account, address)
    response = RedirectResponse("/console/", status_code=303)
    response.set_cookie(
        auth.SESSION_COOKIE,
        cookie,
        httponly=True,
        samesite="strict",
        path="/console",
        secure=secure_cookies(request),
        max_age=auth.SESSION_HOURS * 3600,
    )
    response.delete_cookie(auth.LOGIN_CSRF_COOKIE, path="/console")
    return response


def _logout(session: Session, cookie: str | None, secret: str) -> None:
    found = auth.session_for_cookie(session, cookie, secret)
    if found is not None:
        found.revoked = True


@router.post("/logout")
async def logout(
    request: Request, current: Page, csrf_token: Annotated[str, Form(max_length=128)] = ""
) -> Response:
    """End the session (server side too)."""
    if not auth.csrf_ok(current.csrf_token, csrf_token):
        raise HTTPException(status_code=403, detail=label("errors", "csrf_failed"))
    await service_of(request).db.run(
        _logout, request.cookies.get(auth.SESSION_COOKIE), secret_of(request)
    )
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/console")
    return response


@router.get("/")
async def queue_page(request: Request, current: Page) -> HTMLResponse:
    """The live queue."""
    data = await service_of(request).db.run(_queue)
    return render("queue.html", current=current, page="queue", **data)


@router.get("/tickets/{ticket_id}")
async def ticket_page(request: Request, ticket_id: int, current: Page) -> HTMLResponse:
    """One conversation: context packet, transcript, live chat, notes."""
    bundle = await service_of(request).db.run(_ticket_bundle, ticket_id)
    if bundle is None:
        return render(
            "error.html", status=404, current=current, page="", message=label("errors", "not_found")
        )
    mine = bundle["ticket"]["adviser_id"] == current.adviser.id or current.is_admin
    extras = await service_of(request).db.run(_ticket_extras)
    return render("ticket.html", current=current, page="ticket", mine=mine, **bundle, **extras)


def _ticket_extras(session: Session) -> dict[str, Any]:
    return {
        "colleagues": _colleagues(session),
        "canned": _canned(session),
        "resolutions": [(code, label("resolutions", code)) for code in RESOLUTIONS],
    }


def _callbacks(session: Session, status: str) -> list[dict[str, Any]]:
    items = [callback_json(c) for c in store.callbacks(session, pending_only=False)]
    followed = followups.current(session, "callback", [str(i["id"]) for i in items])
    rows = [followups.status_of(item, followed) for item in items]
    return [r for r in rows if not status or r["followup"]["status"] == status]


def _status_filter(status: str) -> str:
    return status if status in followups.STATUSES else ""


@router.get("/callbacks")
async def callbacks_page(request: Request, current: Page, status: str = "") -> HTMLResponse:
    """Call-back requests left when nobody could answer, with their follow-up status."""
    chosen = _status_filter(status)
    found = await service_of(request).db.run(_callbacks, chosen)
    return render(
        "callbacks.html",
        current=current,
        page="callbacks",
        callbacks=found,
        filter_status=chosen,
        statuses=followups.STATUSES,
    )


def _requests(session: Session, query: str, status: str) -> dict[str, Any]:
    found = requests_view.search(session, query)
    followed = followups.current(session, "lead", [str(lead["id"]) for lead in found["leads"]])
    leads = [followups.status_of(lead, followed) for lead in found["leads"]]
    found["leads"] = [lead for lead in leads if not status or lead["followup"]["status"] == status]
    return found


@router.get("/requests")
async def requests_page(
    request: Request, current: Page, q: str = "", status: str = ""
) -> HTMLResponse:
    """Employers' hiring leads (with their follow-up status) and the spouse CV bank."""
    chosen = _status_filter(status)
    found = await service_of(request).db.run(_requests, q[:100], chosen)
    return render(
        "requests.html",
        current=current,
        page="requests",
        filter_status=chosen,
        statuses=followups.STATUSES,
        **found,
    )


@router.get("/admin")
async def admin_page(request: Request, current: Page) -> HTMLResponse:
    """Accounts and their presence (admins only)."""
    require_admin(current)
    advisers = await service_of(request).db.run(_advisers)
    canned = await service_of(request).db.run(_canned)
    return render("admin.html", current=current, page="admin", advisers=advisers, canned=canned)


@router.get("/static/console.css")
async def stylesheet() -> FileResponse:
    """The stylesheet (public: the login page needs it; it holds no data)."""
    return FileResponse(STATIC / "console.css", media_type="text/css")


SCRIPTS = ("console.js", "console-alerts.js", "console-inbox.js", "console-reports.js")


@router.get("/static/{name}.js")
async def script(name: str, current: Page) -> FileResponse:
    """The console's scripts (only for logged-in advisers)."""
    if f"{name}.js" not in SCRIPTS:
        raise HTTPException(status_code=404)
    return FileResponse(STATIC / f"{name}.js", media_type="text/javascript")
