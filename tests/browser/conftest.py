"""Browser lane: Debian's Chromium driven by Playwright against the real assistant.

One browser for the whole session, one fresh context (empty storage) per test. The stack is the
shared `stack` fixture, started with a second local site allowed to embed the widget, so the widget
is also tested on another origin than the gateway's (`http://localhost:<port>` against the
gateway's `http://127.0.0.1:<port>`: both on loopback, so Chromium's local-network rules agree).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.stack import Stack, free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
# Another site embedding the widget with its one tag, a light brand colour and hostile styles.
HOST_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Deux Rivières – accueil</title><style>body{{font:30px/1 serif}} *{{color:red!important}}</style>
</head><body><main><h1>Site de la communauté de communes</h1></main>
<script src="{gateway}/widget.js" data-gateway="{gateway}" data-title="Aide emploi Deux Rivières"
        data-color="#ffd700" defer></script></body></html>"""


class ForeignSite:
    """A tiny web server on loopback playing the host site (its page needs the gateway URL)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.origin = f"http://localhost:{self.port}"
        self.html = ""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                body = site.html.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="session")
def foreign_site() -> Iterator[ForeignSite]:
    site = ForeignSite()
    yield site
    site.server.shutdown()


@pytest.fixture(scope="session")
def widget_stack(request: pytest.FixtureRequest, foreign_site: ForeignSite) -> Stack:
    """The real assistant; a stack started here lets the foreign site embed the widget."""
    previous = os.environ.get("WIDGET_ALLOWED_ORIGINS")
    os.environ["WIDGET_ALLOWED_ORIGINS"] = foreign_site.origin
    try:
        running: Stack = request.getfixturevalue("stack")
    finally:
        if previous is None:
            os.environ.pop("WIDGET_ALLOWED_ORIGINS", None)
        else:
            os.environ["WIDGET_ALLOWED_ORIGINS"] = previous
    foreign_site.html = HOST_PAGE.format(gateway=running.base_url)
    return running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium (installed by scripts/install-browser.sh; never downloaded)."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: run scripts/install-browser.sh (as root)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Browser, widget_stack: Stack) -> Iterator[BrowserContext]:
    """A fresh browser profile: no stored conversation."""
    fresh = browser.new_context(
        base_url=widget_stack.base_url,
        locale="fr-FR",
        viewport=DESKTOP,  # type: ignore[arg-type]
    )
    fresh.set_default_timeout(20_000)
    yield fresh
    fresh.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A tab whose uncaught script errors fail the test."""
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    assert errors == [], f"script errors in the page: {errors}"
