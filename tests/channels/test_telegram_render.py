"""Telegram rendering of answers (issue 14): one message, HTML escaped, short buttons."""

from __future__ import annotations

from typing import Any

import pytest

from actions.schemes_cards import render_answer
from bot.rasa_client import BotMessage
from channels.telegram.render import (
    BUTTON_TITLE_LIMIT,
    TELEGRAM_TEXT_LIMIT,
    PayloadStore,
    render,
    short_title,
    to_html,
)
from tests.actions.test_scheme_cards import schemes


def _message(text: str, buttons: list[dict[str, str]] | None = None) -> BotMessage:
    raw: dict[str, Any] = {"recipient_id": "x", "text": text}
    if buttons:
        raw["buttons"] = buttons
    return BotMessage.from_rest(raw)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("Loyer < 800 € & charges", "Loyer &lt; 800 € &amp; charges"),
        ("1. **Aide <b>x</b>**", "1. <b>Aide &lt;b&gt;x&lt;/b&gt;</b>"),
        ("un ** seul", "un  seul"),
        ('« guillemets » et "quotes"', '« guillemets » et "quotes"'),
    ],
)
def test_text_is_escaped_then_the_name_is_bold(text: str, html: str) -> None:
    assert to_html(text) == html


def test_a_scheme_answer_is_one_telegram_message_with_its_keyboard() -> None:
    kb = schemes()
    answer = render_answer([kb["mobili-jeune"], kb["visale"], kb["agepi"]], topic_label="x")
    parts = render(_message(answer.text, answer.buttons), PayloadStore())
    assert len(parts) == 1
    assert parts[0].parse_mode == "HTML"
    assert parts[0].text.count("<b>") == 3 and "**" not in parts[0].text
    assert parts[0].keyboard is not None
    titles = [row[0].text for row in parts[0].keyboard.inline_keyboard]
    assert titles and all(len(title) <= BUTTON_TITLE_LIMIT for title in titles)


def test_long_button_titles_are_cut_at_a_word() -> None:
    title = "Aide départementale au permis de conduire (Département du Nord)"
    short = short_title(title)
    assert len(short) <= BUTTON_TITLE_LIMIT and short.endswith("…")
    assert title.startswith(short[:-1])
    assert short_title("Oui") == "Oui"


def test_escaping_never_pushes_a_chunk_over_telegram_limit() -> None:
    parts = render(_message("& " * 3000), PayloadStore())
    assert len(parts) > 1
    assert all(len(part.text) <= TELEGRAM_TEXT_LIMIT for part in parts)
    assert all("&amp;" in part.text for part in parts)
