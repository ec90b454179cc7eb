"""Adviser inbox in headless Chromium, on the in-process gateway with a fake Rasa (issue 15)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import DESKTOP
from tests.browser.inbox_server import Inbox, running_inbox
from tests.channels.console_support import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Inbox]:
    with running_inbox(tmp_path_factory.mktemp("inbox")) as running:
        yield running


def _context(browser: Browser, inbox: Inbox) -> BrowserContext:
    context = browser.new_context(
        base_url=inbox.base_url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport=DESKTOP,  # type: ignore[arg-type]
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def desk(browser: Browser, inbox: Inbox) -> Iterator[Page]:
    """An adviser's tab (own browser profile), script errors fail the test."""
    context = _context(browser, inbox)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], f"script errors in the page: {errors}"


def log_in(page: Page, inbox: Inbox, role: str = "adviser") -> str:
    email = f"camille.{uuid.uuid4().hex[:6]}@exemple.fr"
    inbox.add_adviser(email, role)
    page.goto("/console/login")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="File d'attente")).to_be_visible()
    expect(page.locator("#live-status")).to_have_text("Connecté en direct")
    return email


def wait_until(page: Page, condition: str, tries: int = 100) -> None:
    """Poll a condition (the console's CSP forbids wait_for_function's string evaluation)."""
    for _ in range(tries):
        if page.evaluate(f"() => Boolean({condition})"):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {condition}")


def open_conversation(page: Page, inbox: Inbox, person: str) -> None:
    inbox.chat(person, "je veux un conseiller")
    row = page.locator("#queue-rows tr").filter(has_text="logement alternance").last
    row.get_by_role("button", name="Prendre en charge").click()
    expect(page.get_by_role("heading", name=re.compile(r"Conversation n° \d+"))).to_be_visible()


def test_alerts_ask_permission_and_ring_for_a_new_conversation(
    browser: Browser, inbox: Inbox
) -> None:
    context = _context(browser, inbox)
    context.grant_permissions(["notifications"])
    page = context.new_page()
    page.add_init_script(
        """window.__notes = [];
        window.Notification = class { constructor(title, o) { window.__notes.push([title, o.body]); } };
        window.Notification.permission = "default";
        window.Notification.requestPermission = () => {
          window.__asked = true; window.Notification.permission = "granted";
          return Promise.resolve("granted"); };"""
    )
    log_in(page, inbox)
    toggle = page.get_by_role("button", name="Activer les alertes (son et notification)")
    toggle.click()
    expect(page.locator("#alerts-toggle")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.__asked") is True
    inbox.chat(uuid.uuid4().hex, "je veux un conseiller")
    wait_until(page, "window.__notes.length > 0")
    assert page.evaluate("window.__notes[0]") == [
        "Nouvelle conversation en attente",
        "logement alternance",
    ]
    page.reload()  # the choice is remembered
    expect(page.locator("#alerts-toggle")).to_have_attribute("aria-pressed", "true")
    context.close()


def test_enter_sends_and_shift_enter_makes_a_new_line(desk: Page, inbox: Inbox) -> None:
    log_in(desk, inbox)
    person = uuid.uuid4().hex
    open_conversation(desk, inbox, person)
    box = desk.get_by_label("Votre réponse (envoyée à la personne)")
    box.fill("Bonjour,")
    box.press("Shift+Enter")
    box.type("je regarde votre dossier.")
    box.press("Enter")
    sent = desk.locator("#chat-log .msg.adviser .text").last
    expect(sent).to_have_text("Bonjour,\nje regarde votre dossier.")
    expect(box).to_have_value("")
    # Times are Paris times in French format, never raw ISO UTC.
    stamp = desk.locator("#chat-log .msg.adviser time").last.inner_text()
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", stamp), stamp
    events = inbox.events(person)["events"]
    assert events[-1]["text"] == "Bonjour,\nje regarde votre dossier."
