"""Issue 14: a scheme answer in the widget on a 360 px phone: one message, the scheme names in
bold, no more than two screens tall (measured on a screenshot of the message)."""

from __future__ import annotations

import struct

import pytest
from playwright.sync_api import Page

from tests.browser.widget_page import Widget

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 640}


def _png_size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_a_scheme_answer_fits_two_phone_screens(page: Page) -> None:
    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    widget = Widget(page)
    widget.open("/")
    before = len(widget.answer_texts())
    widget.say("jcherche un logement pr mon alternance a lille")
    answers = page.locator(".aw-msg:not(.aw-from-user)")
    new = answers.count() - before
    assert 1 <= new <= 2, widget.answer_texts()[before:]
    card = answers.last
    names = card.locator("strong").all_text_contents()
    assert 1 <= len(names) <= 3 and "**" not in card.inner_text()
    log_box = widget.log.bounding_box()
    assert log_box is not None
    _, height = _png_size(card.screenshot())
    # Two screens of the conversation area, at the device pixel ratio of the screenshot (1).
    assert height <= 2 * PHONE["height"], height
