"""Lane b: the two-stage clarification and the core fallback."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionClarify, ActionDefaultFallback, ActionOutOfScope
from tests.conftest import uttered
from tests.factories import make_tracker, user_event

# The fallback asks the knowledge base first: every test has one (tests/actions/schemes_kb.py).
pytestmark = pytest.mark.usefixtures("schemes_kb")


async def test_first_failure_offers_likely_topics_as_buttons(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    ranking = [("nlu_fallback", 0.9), ("request_human", 0.3), ("out_of_scope", 0.2), ("greet", 0.1)]
    tracker = make_tracker(events=[user_event("nlu_fallback", "blabla", ranking=ranking)])
    events = await ActionClarify().run(dispatcher, tracker, domain)
    assert events == []
    assert uttered(dispatcher) == ["utter_clarify_topics"]
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == ["/request_human", "/greet", "/ask_capabilities"]
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert "Parler à un conseiller" in titles


async def test_first_failure_without_a_guess_asks_to_rephrase(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(
        events=[user_event("nlu_fallback", "xkcd", ranking=[("nlu_fallback", 0.9)])]
    )
    await ActionClarify().run(dispatcher, tracker, domain)
    assert uttered(dispatcher) == ["utter_clarify_no_guess"]


async def test_second_failure_in_a_row_hands_off_to_a_human(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = [
        user_event("nlu_fallback", "blabla"),
        {"event": "action", "name": "action_clarify"},
        user_event("nlu_fallback", "encore blabla"),
    ]
    await ActionClarify().run(dispatcher, make_tracker(events=events), domain)
    assert uttered(dispatcher) == ["utter_handoff_after_misunderstanding", None]
    handoff = dispatcher.messages[1]["custom"]["handoff"]
    assert handoff == {"reason": "repeated_misunderstanding", "summary": "encore blabla"}


async def test_failure_after_an_understood_message_starts_again_at_stage_one(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = [
        user_event("nlu_fallback", "blabla"),
        user_event("greet", "bonjour"),
        user_event("nlu_fallback", "zzz", ranking=[("nlu_fallback", 0.9), ("greet", 0.4)]),
    ]
    await ActionClarify().run(dispatcher, make_tracker(events=events), domain)
    assert uttered(dispatcher) == ["utter_clarify_topics"]


async def test_core_fallback_reverts_the_message(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await ActionDefaultFallback().run(dispatcher, make_tracker(), domain)
    assert events == [UserUtteranceReverted()]
    assert uttered(dispatcher) == ["utter_default"]


async def test_out_of_scope_says_what_the_assistant_covers(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = [user_event("greet", "bonjour"), user_event("out_of_scope", "une recette de crêpes")]
    assert await ActionOutOfScope().run(dispatcher, make_tracker(events=events), domain) == []
    assert uttered(dispatcher) == ["utter_out_of_scope"]


async def test_out_of_scope_right_after_a_misunderstanding_hands_off(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = [
        user_event("nlu_fallback", "xqzw plorf"),
        {"event": "action", "name": "action_clarify"},
        user_event("out_of_scope", "vrrrt zblorg"),
    ]
    await ActionOutOfScope().run(dispatcher, make_tracker(events=events), domain)
    assert uttered(dispatcher) == ["utter_handoff_after_misunderstanding", None]
    assert dispatcher.messages[1]["custom"]["handoff"]["reason"] == "repeated_misunderstanding"


async def test_a_misunderstood_message_about_records_offers_them_by_name(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(events=[user_event("nlu_fallback", "euh le truc visale")])
    await ActionClarify().run(dispatcher, tracker, domain)
    # "visale" is a name: a clear match is answered, never a menu.
    assert "Visale" in dispatcher.messages[0]["text"]


async def test_two_plausible_records_are_buttons_with_a_human_last(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        events=[user_event("nlu_fallback", "j ai 20 ans et je galere pour le loyer")]
    )
    await ActionClarify().run(dispatcher, tracker, domain)
    buttons = dispatcher.messages[0]["buttons"]
    assert any(b["payload"].startswith("/ask_scheme_details{") for b in buttons)
    assert buttons[-1]["payload"] == "/request_human"


async def test_a_need_close_in_meaning_to_records_is_answered_not_asked(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        events=[user_event("nlu_fallback", "une aide pour le loyer, j ai 20 ans")]
    )
    await ActionClarify().run(dispatcher, tracker, domain)
    # Close in meaning to the housing records: the list comes at once, no "did you mean".
    assert "**" in dispatcher.messages[0]["text"]
    assert not any(
        b["payload"].startswith("/ask_scheme_details{")
        for b in dispatcher.messages[0].get("buttons") or []
    )
