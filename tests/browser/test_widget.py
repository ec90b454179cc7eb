"""The website widget in headless Chromium, against the real assistant (Rasa, actions, gateway)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import ForeignSite
from tests.browser.widget_page import Widget, axe_violations
from tests.stack import Stack

pytestmark = pytest.mark.browser

# Every hostile message tries to set this; nothing may ever run it.
TRAP = "window.__pwned = undefined; window.__dialogs = 0; window.alert = () => { window.__dialogs++; };"
_SLOW_FETCH = """() => {
  const realFetch = window.fetch.bind(window);
  window.fetch = (...args) => new Promise((r) => setTimeout(r, 800)).then(() => realFetch(...args));
}"""


def test_chat_quick_reply_history_and_navigation(page: Page) -> None:
    widget = Widget(page)
    widget.open("/")
    expect(widget.panel).to_be_visible()
    expect(
        widget.panel.get_by_role("heading", name="Assistant emploi et vie locale")
    ).to_be_visible()

    # The typing indicator shows while the answer is on its way (the network is slowed down).
    page.evaluate(_SLOW_FETCH)
    before = widget.answers()
    widget.textbox.fill("bonjour")
    widget.textbox.press("Enter")
    expect(widget.typing).to_be_visible()
    expect(widget.typing).to_contain_text("L'assistant écrit")
    widget.wait_for_answer(before)
    expect(widget.typing).to_be_hidden()
    assert "Bonjour" in widget.last_answer()
    assert {"Voir ce que je sais faire", "Parler à un conseiller"} <= set(widget.quick_replies())

    widget.choose("Voir ce que je sais faire")
    expect(widget.log).to_be_focused()  # a click: focus on the answer, not the phone keyboard
    assert widget.user_texts() == ["bonjour", "Voir ce que je sais faire"]
    menu = widget.quick_replies()
    assert len(menu) >= 4 and "Parler à un conseiller" in menu
    session_id = widget.stored_state()["sessionId"]

    page.reload()
    expect(widget.panel).to_be_visible()  # the panel stays open across reloads
    assert widget.user_texts() == ["bonjour", "Voir ce que je sais faire"]
    assert any("Bonjour" in text for text in widget.answer_texts())
    assert widget.quick_replies() == menu  # the latest answer's buttons still work

    page.get_by_role("link", name="Se déplacer").click()
    page.wait_for_url(re.compile(r"rubrique=mobilite"))
    expect(widget.panel).to_be_visible()
    assert widget.user_texts() == ["bonjour", "Voir ce que je sais faire"]
    assert widget.stored_state()["sessionId"] == session_id

    widget.say("merci")
    assert widget.stored_state()["sessionId"] == session_id
    assert len(widget.stored_state()["messages"]) >= 5

    # "Nouvelle conversation" (after a confirmation) forgets everything, on this device too.
    page.once("dialog", lambda dialog: dialog.accept())
    widget.panel.get_by_role("button", name="Nouvelle conversation").click()
    assert widget.user_texts() == []
    assert widget.stored_state()["messages"] == []
    assert widget.stored_state()["sessionId"] != session_id


def test_keyboard_only(page: Page) -> None:
    widget = Widget(page)
    page.goto("/")
    for _ in range(20):  # Tab through the host page until the widget's bubble
        page.keyboard.press("Tab")
        if "aw-bubble" in widget.focused_in_widget().get("cls", ""):
            break
    focused = widget.focused_in_widget()
    assert "aw-bubble" in focused.get("cls", ""), "the bubble is not reachable with Tab"
    assert focused["outline"] == "solid" and focused["outlineWidth"] >= 2, "no visible focus"

    page.keyboard.press("Enter")
    expect(widget.panel).to_be_visible()
    expect(widget.textbox).to_be_focused()
    before = widget.answers()
    page.keyboard.type("bonjour")
    page.keyboard.press("Enter")
    widget.wait_for_answer(before)

    for _ in range(6):  # back from the text box to the quick replies above it
        page.keyboard.press("Shift+Tab")
        if widget.focused_in_widget().get("text") == "Voir ce que je sais faire":
            break
    focused = widget.focused_in_widget()
    assert focused.get("text") == "Voir ce que je sais faire"
    assert focused["outline"] == "solid", "no visible focus on the quick reply"
    before = widget.answers()
    page.keyboard.press("Enter")
    widget.wait_for_answer(before)
    expect(widget.textbox).to_be_focused()
    assert widget.user_texts() == ["bonjour", "Voir ce que je sais faire"]

    page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    assert "aw-bubble" in widget.focused_in_widget().get("cls", "")
    expect(widget.bubble).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(widget.textbox).to_be_focused()


HOSTILE = [
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=2</script>",
    '<a href="javascript:window.__pwned=3">cliquez</a> <b>gras</b>',
    "مرحبا، أبحث عن عمل في المدينة",
    "🙂🙂🙂👍",
    "bonjour\u0000\u0000 ça va",
]


def _nothing_ran(page: Page) -> None:
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("window.__dialogs") == 0
    in_log = page.evaluate(
        """() => {
          const log = document.querySelector("assistant-emploi-widget").shadowRoot.querySelector(".aw-log");
          return {tags: [...log.querySelectorAll("img, script, iframe, b, object")].length,
                  hrefs: [...log.querySelectorAll("a")].map((a) => a.getAttribute("href"))};
        }"""
    )
    assert in_log["tags"] == 0
    assert all(href.startswith(("http://", "https://")) for href in in_log["hrefs"])


def test_hostile_messages_execute_nothing_and_get_a_polite_answer(page: Page) -> None:
    page.add_init_script(TRAP)
    widget = Widget(page)
    # Each message opens a fresh conversation, so one answer does not depend on the previous
    # ones (the second misunderstanding in a row hands the person over to an adviser).
    for message in HOSTILE:
        page.goto("/")
        page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        widget.open("/")
        widget.say(message)
        answer = widget.last_answer()
        assert answer.strip() and "erreur" not in answer, (message, answer)
        assert page.locator(".aw-from-notice").count() == 0, f"error shown for {message!r}"
        shown = widget.user_texts()[-1]
        assert shown == message or "\x00" in message, (message, shown)  # as typed, as text
        _nothing_ran(page)

    # 10,000 characters: the widget says so, the gateway refuses politely, nothing is lost.
    huge = "emploi " * 1428 + "x" * 4
    assert len(huge) == 10_000
    widget.textbox.fill(huge)
    expect(widget.textbox).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".aw-limit")).to_contain_text("trop long")
    sent_before = len(widget.user_texts())
    before = widget.answers()
    widget.textbox.press("Enter")
    widget.wait_for_answer(before)
    expect(page.locator(".aw-from-notice")).to_contain_text(
        "trop long (10000 caractères, maximum 2000)"
    )
    assert widget.textbox.input_value() == huge  # given back, to be shortened
    assert len(widget.user_texts()) == sent_before
    _nothing_ran(page)


def test_network_loss_then_reconnection(page: Page, context: BrowserContext) -> None:
    widget = Widget(page)
    widget.open("/")
    context.set_offline(True)
    before = widget.answers()
    widget.textbox.fill("bonjour")
    widget.textbox.press("Enter")
    expect(widget.status).to_have_text("Connexion perdue, nouvelle tentative…")
    expect(page.locator(".aw-pending")).to_be_visible()
    page.wait_for_timeout(1500)
    context.set_offline(False)
    widget.wait_for_answer(before)
    expect(page.locator(".aw-pending")).to_have_count(0)
    expect(widget.status).not_to_have_text("Connexion perdue, nouvelle tentative…")
    assert widget.user_texts() == ["bonjour"]  # sent once, not lost, not doubled
    assert "Bonjour" in widget.last_answer()


def test_document_and_link_payloads(page: Page, widget_stack: Stack) -> None:
    """Custom payloads rendered as links; the chat API is answered by the test here."""
    reply = {
        "messages": [
            {
                "text": "Voici votre kit d'accueil.",
                "buttons": [],
                "custom": {
                    "document": {
                        "url": "/kit/abc123.pdf",
                        "filename": "kit-accueil.pdf",
                        "caption": "Kit",
                    }
                },
            },
            {
                "text": None,
                "buttons": [],
                "custom": {"link": {"url": "javascript:alert(1)", "title": "piège"}},
            },
            {
                "text": None,
                "buttons": [],
                "custom": {
                    "link": {"url": "https://www.service-public.fr/", "title": "Service-Public.fr"}
                },
            },
        ]
    }
    page.route("**/api/chat", lambda route: route.fulfill(json=reply))
    widget = Widget(page)
    widget.open("/")
    widget.say("kit d'accueil")
    download = widget.log.get_by_role("link", name="Télécharger kit-accueil.pdf")
    expect(download).to_have_attribute("href", f"{widget_stack.base_url}/kit/abc123.pdf")
    expect(download).to_have_attribute("download", "kit-accueil.pdf")
    official = widget.log.get_by_role("link", name="Service-Public.fr")
    expect(official).to_have_attribute("rel", "noopener noreferrer")
    expect(official).to_have_attribute("target", "_blank")
    expect(widget.log.get_by_text("piège")).to_have_count(0)


@pytest.mark.parametrize(
    "viewport",
    [{"width": 360, "height": 740}, {"width": 640, "height": 400}],
    ids=["phone", "zoom200"],
)
def test_small_screen_and_200_percent_zoom(page: Page, viewport: dict[str, int]) -> None:
    """360 px phone, and a 1280x800 screen at 200 % zoom (640x400 CSS pixels)."""
    page.set_viewport_size(viewport)  # type: ignore[arg-type]
    widget = Widget(page)
    widget.open("/")
    widget.say("bonjour")
    for part in (widget.panel, widget.textbox, widget.send_button, widget.log):
        box = part.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 0.5
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"] + 0.5
    no_sideways = page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert no_sideways, "the widget makes the page scroll sideways"
    widget.quick_reply("Voir ce que je sais faire").click()
    expect(widget.log.get_by_role("button", name="Parler à un conseiller")).to_be_visible()
    assert axe_violations(page) == []


def test_accessibility_audit_with_messages(page: Page) -> None:
    widget = Widget(page)
    page.goto("/")
    assert axe_violations(page) == []  # the host page with the closed widget
    widget.bubble.click()
    widget.say("bonjour")
    widget.choose("Voir ce que je sais faire")
    widget.textbox.focus()
    assert axe_violations(page) == []


def test_embedded_on_another_site_with_a_light_colour(
    page: Page, widget_stack: Stack, foreign_site: ForeignSite
) -> None:
    if foreign_site.origin not in widget_stack.env.get("WIDGET_ALLOWED_ORIGINS", ""):
        pytest.skip("the stack was started by another lane, without the foreign origin allowed")
    widget = Widget(page)
    widget.open(f"{foreign_site.origin}/")
    expect(widget.panel.get_by_role("heading", name="Aide emploi Deux Rivières")).to_be_visible()
    widget.say("bonjour")  # cross-origin POST: CORS lets it through
    assert "Bonjour" in widget.last_answer()
    # Gold is too light for white text: the widget switched to dark text on it.
    colours = widget.send_button.evaluate(
        "(el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]"
    )
    assert colours[0] == "rgb(255, 215, 0)"  # the configured gold, untouched by the host's CSS
    assert colours[1] in ("rgb(17, 17, 17)", "rgb(0, 0, 0)"), colours
    assert axe_violations(page) == []
