"""'La suite': the list shown last (or the button's list_kind) decides between offers and schemes."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.more import ActionShowMore, list_shown_last
from tests.conftest import uttered
from tests.factories import make_tracker, user_event


def slot_event(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def more_tracker(
    history: list[dict[str, Any]], entities: list[dict[str, Any]] | None = None
) -> Any:
    return make_tracker(events=[*history, user_event("ask_more", "la suite", entities=entities)])


def test_the_paging_slot_set_last_names_the_list() -> None:
    schemes_then_offers = [slot_event("schemes_offset", 3.0), slot_event("offers_offset", 3.0)]
    assert list_shown_last(schemes_then_offers) == "offers"
    assert list_shown_last(list(reversed(schemes_then_offers))) == "schemes"
    assert list_shown_last([slot_event("current_topic", "housing")]) is None


async def test_after_offers_more_means_offers(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    history = [slot_event("schemes_offset", 3.0), slot_event("offers_offset", 3.0)]
    await ActionShowMore().run(dispatcher, more_tracker(history), domain)
    # No offer search in the slots: the offers branch answers, not the schemes one.
    assert uttered(dispatcher) == ["utter_offers_no_previous_search"]


async def test_after_schemes_more_means_schemes(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    history = [slot_event("offers_offset", 3.0), slot_event("schemes_offset", 3.0)]
    await ActionShowMore().run(dispatcher, more_tracker(history), domain)
    assert uttered(dispatcher) == ["utter_no_topic_yet"]


async def test_a_button_naming_the_list_wins_over_the_history(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    history = [slot_event("offers_offset", 3.0), slot_event("schemes_offset", 3.0)]
    entities = [{"entity": "list_kind", "value": "offers"}]
    await ActionShowMore().run(dispatcher, more_tracker(history, entities), domain)
    assert uttered(dispatcher) == ["utter_offers_no_previous_search"]


async def test_nothing_shown_yet_asks_what_the_person_looks_for(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    await ActionShowMore().run(dispatcher, more_tracker([]), domain)
    assert uttered(dispatcher) == ["utter_no_topic_yet"]
