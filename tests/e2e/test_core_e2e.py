"""End-to-end: the real Rasa, action server and gateway answer French messages."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.stack import Stack

pytestmark = pytest.mark.e2e


def _texts(messages: list[dict[str, object]]) -> str:
    return " ".join(str(m.get("text") or "") for m in messages)


def _payloads(messages: list[dict[str, object]]) -> list[str]:
    return [str(b["payload"]) for m in messages for b in m.get("buttons") or []]  # type: ignore[attr-defined]


def new_session() -> str:
    return uuid.uuid4().hex


def test_health_reports_every_part_up(stack: Stack) -> None:
    response = httpx.get(f"{stack.base_url}/healthz", timeout=5)
    assert response.status_code == 200
    assert response.json()["checks"] == {"rasa": True, "actions": True, "database": True}


@pytest.mark.parametrize("greeting", ["bonjour", "Bjr", "salut 👋", "bonsoir madame"])
def test_greeting_gets_a_french_welcome_with_buttons(stack: Stack, greeting: str) -> None:
    messages = stack.chat(new_session(), greeting)
    assert "Bonjour" in _texts(messages)
    assert "/ask_capabilities" in _payloads(messages)


@pytest.mark.parametrize(
    "question", ["tu sers a quoi", "qu'est ce que vous pouvez faire ?", "menu"]
)
def test_what_can_you_do_shows_the_menu(stack: Stack, question: str) -> None:
    messages = stack.chat(new_session(), question)
    payloads = _payloads(messages)
    for expected in ("/ask_housing", "/ask_childcare", "/ask_mobility", "/request_human"):
        assert expected in payloads


def test_bot_challenge_says_it_is_a_bot(stack: Stack) -> None:
    assert "assistant automatique" in _texts(stack.chat(new_session(), "vous etes un robot ?"))


@pytest.mark.parametrize(
    "question",
    ["donne moi une recette de tarte aux pommes", "qui a gagné la coupe du monde de rugby"],
)
def test_out_of_scope_says_what_the_assistant_covers(stack: Stack, question: str) -> None:
    text = _texts(stack.chat(new_session(), question))
    assert "Je ne peux pas vous aider sur ce sujet" in text


def test_gibberish_twice_gets_clarification_then_a_human(stack: Stack) -> None:
    session = new_session()
    first = stack.chat(session, "xqzw plorf grumbl")
    assert "pas bien compris" in _texts(first)
    second = stack.chat(session, "vrrrt zblorg kwak")
    # Second misunderstanding in a row: the bot hands off to an adviser (hand-off payload).
    assert "conseiller" in _texts(second)
    assert any("handoff" in (m.get("custom") or {}) for m in second)  # type: ignore[operator]


def test_thanks_and_goodbye(stack: Stack) -> None:
    session = new_session()
    assert "plaisir" in _texts(stack.chat(session, "merci bcp"))
    assert "Au revoir" in _texts(stack.chat(session, "bonne journée, au revoir"))
