"""Welcome kits in the gateway: ``GET /kit/{token}`` (HTML page) and ``GET /kit/{token}.pdf``.

The token is the only key to a kit, so responses are never cached or indexed and the
page sends no referrer (the link would leak in it).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session

from bot.settings import Settings
from channels.kit.pdf import render_kit_pdf
from channels.kit.view import kit_view, labels
from knowledge.db import make_session_factory
from knowledge.requests import get_welcome_kit
from knowledge.text import normalise

TEMPLATES = Path(__file__).with_name("templates")
PRIVATE_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}
router = APIRouter()


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def _kit(request: Request, token: str) -> tuple[dict[str, Any], str] | None:
    factory = make_session_factory(request.app.state.engine)
    session: Session
    with factory() as session:
        kit = get_welcome_kit(session, token)
        return (dict(kit.content), kit.commune_name) if kit else None


def _not_found() -> HTMLResponse:
    page = _templates().get_template("not_found.html").render(labels=labels())
    return HTMLResponse(page, status_code=404, headers=PRIVATE_HEADERS)


@router.get("/kit/{token}.pdf", include_in_schema=False)
def kit_pdf(request: Request, token: str) -> Response:
    """The kit as a PDF download."""
    found = _kit(request, token)
    if found is None:
        return _not_found()
    content, commune_name = found
    pdf = render_kit_pdf(kit_view(content, pdf_url=f"/kit/{token}.pdf"))
    filename = f"kit-accueil-{normalise(commune_name).replace(' ', '-') or 'commune'}.pdf"
    headers = {**PRIVATE_HEADERS, "Content-Disposition": f'inline; filename="{filename}"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.get("/kit/{token}", include_in_schema=False, response_class=HTMLResponse)
def kit_page(request: Request, token: str) -> HTMLResponse:
    """The kit as a printable French page."""
    found = _kit(request, token)
    if found is None:
        return _not_found()
    content, _ = found
    view = kit_view(content, pdf_url=f"/kit/{token}.pdf")
    page = _templates().get_template("kit.html").render(view=view)
    return HTMLResponse(page, headers=PRIVATE_HEADERS)


def install(app: FastAPI, settings: Settings) -> None:
    """Add the kit routes to the gateway."""
    app.include_router(router)
