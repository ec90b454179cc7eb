""" "Je ne sais pas" outside a form: declining the commune after an answer, or what to ask."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.dont_know import ActionDontKnow
from tests.factories import make_tracker, user_event


def _bot(response: str | None) -> dict[str, Any]:
    return {"event": "bot", "text": "…", "metadata": {"utter_action": response} if response else {}}


async def test_after_the_local_options_hint_it_declines_the_commune(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    events = [
        user_event("ask_childcare", "une aide pour la crèche"),
        _bot(None),
        _bot("utter_local_hint"),
        user_event("dont_know", "je sais pas trop"),
    ]
    await ActionDontKnow().run(dispatcher, make_tracker(events=events), domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_place_skipped"]


async def test_elsewhere_it_says_what_can_be_asked(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    events = [_bot("utter_greet"), user_event("dont_know", "jsp")]
    await ActionDontKnow().run(dispatcher, make_tracker(events=events), domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_dont_know_without_context"]
