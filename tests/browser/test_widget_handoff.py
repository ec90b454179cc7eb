"""An adviser's messages reach the widget live (event stream, or polling when there is none)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.adviser import Adviser
from tests.browser.widget_page import Widget
from tests.stack import Stack

pytestmark = pytest.mark.browser

ADVISER_TEXT = (
    'Bonjour, je suis Camille, conseillère. <img src=x onerror="window.__pwned=1"> '
    "Voici la fiche : https://www.service-public.fr/particuliers/vosdroits/F1234."
)
# As shown: the same text, the URL turned into a link announced as opening a new window.
ADVISER_TEXT_SHOWN = ADVISER_TEXT.replace("F1234.", "F1234 (nouvelle fenêtre).")


@pytest.fixture
def adviser(widget_stack: Stack, request: pytest.FixtureRequest) -> Iterator[Adviser]:
    """An adviser online for this test only."""
    online = Adviser(widget_stack, f"conseil-{request.node.callspec.id}@exemple.fr")
    yield online
    online.leave()


@pytest.mark.parametrize("transport", ["stream", "polling"])
def test_adviser_messages_arrive_live(page: Page, adviser: Adviser, transport: str) -> None:
    page.add_init_script("window.__pwned = undefined;")
    if transport == "polling":
        page.add_init_script("delete window.EventSource;")  # a browser or proxy without SSE
    widget = Widget(page)
    widget.open("/")
    widget.say("bonjour")
    widget.choose("Parler à un conseiller")
    assert "Temps d'attente estimé" in " ".join(widget.answer_texts())
    ticket = adviser.waiting_ticket()

    widget.say("je cherche un logement pour mon alternance")
    assert "transmis au conseiller" in widget.last_answer()
    assert adviser.person_messages(ticket) == ["je cherche un logement pour mon alternance"]

    adviser.claim(ticket)
    expect(widget.log.get_by_text("Un conseiller a pris votre demande")).to_be_visible()
    # The header says a person is answering, by first name, while one is.
    subtitle = widget.panel.locator(".aw-subtitle")
    expect(subtitle).to_have_text(adviser.first_name + ", conseiller·e, vous répond.")

    # Panel closed: the message still arrives, and the bubble says there is something new.
    page.keyboard.press("Escape")
    adviser.reply(ticket, ADVISER_TEXT)
    expect(widget.bubble).to_contain_text("1 nouveau message")
    widget.bubble.click()
    message = widget.log.locator(".aw-from-adviser").last
    expect(message).to_contain_text("Conseiller")
    expect(message.locator(".aw-text")).to_have_text(ADVISER_TEXT_SHOWN)
    link = message.get_by_role("link")
    expect(link).to_have_attribute(
        "href", "https://www.service-public.fr/particuliers/vosdroits/F1234"
    )
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    assert message.locator("img").count() == 0

    page.reload()  # the adviser's message is part of the kept history
    expect(widget.log.locator(".aw-from-adviser .aw-text")).to_have_text(ADVISER_TEXT_SHOWN)

    before = widget.answers()
    adviser.close(ticket)  # one tap for the satisfaction, then the assistant takes back
    widget.wait_for_answer(before)
    expect(widget.log.get_by_text("Touchez une note")).to_be_visible()
    widget.choose("5")
    assert "commentaire" in widget.last_answer()
    widget.choose("Non merci")
    expect(widget.log.get_by_text("Je reprends la main")).to_be_visible()
    expect(subtitle).not_to_contain_text("vous répond")
    expect(widget.bubble).to_have_attribute("aria-expanded", "true")
    page.wait_for_function(
        """() => {
          const key = Object.keys(localStorage).find((k) => k.startsWith("assistant-emploi-widget:v1:"));
          return JSON.parse(localStorage.getItem(key)).handoff === null;
        }"""
    )
    assert page.evaluate("window.__pwned") is None
