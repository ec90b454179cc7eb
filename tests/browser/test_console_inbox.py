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
    row = page.locator("#queue-rows tr").filter(has_text="logement pour mon alternance").last
    row.get_by_role("button", name="Prendre en charge").click()
    expect(page.get_by_role("heading", name=re.compile(r"Conversation n° \d+"))).to_be_visible()
    wait_until_ready(page)


def wait_until_ready(page: Page) -> None:
    """The console's scripts have bound their handlers (a loaded machine runs them late)."""
    expect(page.locator("body[data-ready='true']")).to_have_count(1)


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
        "Apprenti(e), 19 ans, à Roubaix. Demande : je cherche un logement pour mon alternance"
        " <script>alert(1)</script>",
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


def _fake_knowledge(inbox: Inbox) -> None:
    from channels.console.knowledge_links import SchemeCard

    async def search(query: str) -> list[dict[str, str]]:
        return [{"id": "mobili-jeune", "name": "Mobili-Jeune", "summary": "Aide au loyer."}]

    async def card(scheme_id: str) -> SchemeCard | None:
        return SchemeCard(
            id=scheme_id,
            name="Mobili-Jeune",
            summary="Aide au loyer des alternants.",
            source="https://www.actionlogement.fr/l-aide-mobili-jeune",
            information_date="01/09/2026",
        )

    knowledge = inbox.app.state.handoff.knowledge
    knowledge.search, knowledge.card = search, card


def test_canned_reply_then_a_scheme_card_shown_in_the_widget(
    browser: Browser, desk: Page, inbox: Inbox
) -> None:
    from tests.browser.widget_page import Widget

    _fake_knowledge(inbox)
    admin = _context(browser, inbox).new_page()
    log_in(admin, inbox, role="admin")
    admin.get_by_role("link", name="Administration").click()
    admin.get_by_label("Titre").fill("Accueil")
    admin.get_by_label("Texte envoyé à la personne").fill("Bonjour, je lis votre demande.")
    admin.get_by_role("button", name="Ajouter la réponse type").click()
    expect(admin.locator("#canned-list")).to_contain_text("Accueil")
    admin.context.close()

    person_context = _context(browser, inbox)
    person_page = person_context.new_page()
    widget = Widget(person_page)
    widget.open("/")
    widget.say("je veux un conseiller")

    log_in(desk, inbox)
    row = desk.locator("#queue-rows tr").filter(has_text="logement pour mon alternance").last
    row.get_by_role("button", name="Prendre en charge").click()
    expect(desk.get_by_role("heading", name=re.compile(r"Conversation n° \d+"))).to_be_visible()
    wait_until_ready(desk)
    desk.get_by_label("Réponse type").select_option(label="Accueil")
    box = desk.get_by_label("Votre réponse (envoyée à la personne)")
    expect(box).to_have_value("Bonjour, je lis votre demande.")
    box.press("Enter")
    desk.get_by_label("Chercher une aide").fill("loyer")
    desk.get_by_role("button", name="Chercher", exact=True).click()
    desk.get_by_role("button", name="Envoyer la fiche").click()
    expect(desk.locator("#chat-log .msg.adviser .text").last).to_contain_text("Mobili-Jeune")

    adviser_messages = widget.log.locator(".aw-from-adviser")
    expect(adviser_messages.first).to_contain_text("Bonjour, je lis votre demande.")
    card = adviser_messages.last
    expect(card).to_contain_text("Aide au loyer des alternants.")
    expect(card.get_by_role("link")).to_have_attribute(
        "href", "https://www.actionlogement.fr/l-aide-mobili-jeune"
    )
    person_context.close()


def test_transfer_between_two_advisers_then_close_with_a_resolution(
    browser: Browser, desk: Page, inbox: Inbox
) -> None:
    first = log_in(desk, inbox)
    colleague_context = _context(browser, inbox)
    colleague = colleague_context.new_page()
    second = log_in(colleague, inbox)
    person = uuid.uuid4().hex
    open_conversation(desk, inbox, person)
    desk.reload()  # the colleague's account now exists: listed in the transfer menu
    desk.get_by_label("Transférer à").select_option(label=second)
    desk.get_by_role("button", name="Transférer", exact=True).click()
    expect(desk.get_by_role("heading", name="File d'attente")).to_be_visible()

    row = colleague.locator("#queue-rows tr").filter(has_text=second)
    row.get_by_role("link", name="Ouvrir").click()
    expect(colleague.locator("#notes")).to_contain_text(f"transférée par {first} à {second}")
    colleague.get_by_role("button", name="Clore et rendre la main à l'assistant").click()
    dialog = colleague.get_by_role("dialog", name="Clore la conversation ?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Annuler").click()  # nothing happens on cancel
    expect(colleague.locator("#ticket-status")).to_have_text("Pris en charge")
    colleague.get_by_role("button", name="Clore et rendre la main à l'assistant").click()
    dialog.get_by_label("Orienté vers un partenaire").check()
    dialog.get_by_role("button", name="Confirmer la clôture").click()
    expect(colleague.locator("#ticket-status")).to_have_text("Terminé")
    expect(
        colleague.get_by_text("Conversation terminée (Orienté vers un partenaire).")
    ).to_be_visible()
    assert "Touchez une note" in inbox.events(person)["events"][-1]["text"]
    colleague_context.close()


def test_the_reports_page_draws_its_charts_with_data(desk: Page, inbox: Inbox) -> None:
    log_in(desk, inbox)
    person = uuid.uuid4().hex
    open_conversation(desk, inbox, person)
    desk.get_by_role("button", name="Clore et rendre la main à l'assistant").click()
    desk.get_by_role("button", name="Confirmer la clôture").click()
    expect(desk.locator("#ticket-status")).to_have_text("Terminé")
    inbox.chat(person, "5")  # the satisfaction question, answered
    desk.get_by_role("link", name="Rapports").click()
    expect(desk.get_by_role("heading", name="Rapports")).to_be_visible()
    last_week = desk.locator("#report-table tbody tr").last
    expect(last_week).to_contain_text("5.0 (1)")
    wait_until(desk, "window.consoleCharts && window.consoleCharts.length === 4")
    drawn = desk.evaluate(
        "() => window.consoleCharts.map((c) => c.data.datasets.reduce("
        "(n, d) => n + d.data.filter((v) => v !== null).length, 0))"
    )
    assert all(count > 0 for count in drawn), drawn
    box = desk.locator("#chart-requests").bounding_box()
    assert box is not None and box["height"] > 50
