"""How a person uses the widget, for the tests: open it, write, wait for the answer, read the log."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.stack import ROOT

AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"

REPLY_TIMEOUT_MS = 60_000
# Messages not written by the person (bot, adviser, system notices, errors) in the widget's log.
_COUNT_ANSWERS = """
() => {
  const root = document.querySelector("assistant-emploi-widget").shadowRoot;
  return root.querySelectorAll(".aw-log .aw-msg:not(.aw-from-user)").length;
}
"""
_ANSWERED = """
(before) => {
  const root = document.querySelector("assistant-emploi-widget").shadowRoot;
  const answers = root.querySelectorAll(".aw-log .aw-msg:not(.aw-from-user)").length;
  return answers > before && root.querySelector(".aw-typing").hidden;
}
"""


class Widget:
    """The chat widget embedded in a page (Playwright locators pierce its open Shadow DOM)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.bubble = page.get_by_role("button", name="Une question ?")
        self.panel = page.get_by_role("dialog")
        self.log = page.get_by_role("log", name="Conversation")
        self.textbox = page.get_by_role("textbox", name="Votre message")
        self.send_button = page.get_by_role("button", name="Envoyer", exact=True)
        self.typing = page.locator(".aw-typing")
        self.status = page.locator(".aw-status")

    def open(self, url: str = "/") -> None:
        """Load the page and open the panel with the bubble."""
        self.page.goto(url)
        self.bubble.click()
        expect(self.textbox).to_be_focused()

    def answers(self) -> int:
        count: int = self.page.evaluate(_COUNT_ANSWERS)
        return count

    def wait_for_answer(self, before: int) -> None:
        self.page.wait_for_function(_ANSWERED, arg=before, timeout=REPLY_TIMEOUT_MS)

    def say(self, text: str) -> None:
        """Type a message, press Enter and wait for the answer."""
        before = self.answers()
        self.textbox.fill(text)
        self.textbox.press("Enter")
        self.wait_for_answer(before)

    def choose(self, title: str) -> None:
        """Click a quick reply of the latest answer and wait for the next answer."""
        before = self.answers()
        self.quick_reply(title).click()
        self.wait_for_answer(before)

    def quick_reply(self, title: str) -> Locator:
        return self.log.get_by_role("button", name=title, exact=True)

    def quick_replies(self) -> list[str]:
        return [t.strip() for t in self.log.locator(".aw-quick-button").all_text_contents()]

    def user_texts(self) -> list[str]:
        return self.log.locator(".aw-from-user .aw-text").all_text_contents()

    def answer_texts(self) -> list[str]:
        return self.log.locator(".aw-msg:not(.aw-from-user)").all_text_contents()

    def last_answer(self) -> str:
        return self.answer_texts()[-1]

    def stored_state(self) -> dict[str, Any]:
        """The conversation the widget keeps in localStorage."""
        raw = self.page.evaluate(
            "() => Object.entries(localStorage).find(([k]) => k.startsWith('assistant-emploi-widget:v1:'))"
        )
        assert raw, "nothing stored"
        state: dict[str, Any] = json.loads(raw[1])
        return state

    def focused_in_widget(self) -> dict[str, Any]:
        """Tag, class, text and outline of the element focused inside the widget (or {})."""
        found: dict[str, Any] = self.page.evaluate(
            """() => {
              const host = document.querySelector("assistant-emploi-widget");
              if (document.activeElement !== host) return {};
              const el = host.shadowRoot.activeElement;
              if (!el) return {};
              const style = getComputedStyle(el);
              return {tag: el.tagName.toLowerCase(), cls: el.className, text: el.textContent.trim(),
                      outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth)};
            }"""
        )
        return found


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations of the page as it is now (Shadow DOM included)."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result: dict[str, Any] = page.evaluate(
        """async () => await axe.run(document, {
             runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
             resultTypes: ["violations"]})"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
