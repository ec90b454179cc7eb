"""The place question: commune, postcode, intercommunality, unknown places, switching topic."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.place import UNKNOWN_PLACE, ValidatePlaceForm
from tests.actions.schemes_kb import LILLE, ROUBAIX
from tests.conftest import uttered
from tests.factories import make_tracker, user_event


async def validate(
    text: str,
    domain: dict[str, Any],
    *,
    intent: str = "inform",
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
) -> tuple[CollectingDispatcher, dict[str, Any]]:
    tracker = make_tracker(slots=slots, events=[user_event(intent, text, entities=entities)])
    dispatcher = CollectingDispatcher()
    result = await ValidatePlaceForm().validate_place_answer(text, dispatcher, tracker, domain)
    return dispatcher, result


async def test_a_commune_name_with_a_typo_is_resolved(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    dispatcher, slots = await validate("jhabite a roubais", domain)
    assert slots["commune_insee"] == ROUBAIX
    assert slots["commune_name"] == "Roubaix"
    assert uttered(dispatcher) == ["utter_place_found"]


async def test_a_postcode_is_resolved(schemes_kb: str, domain: dict[str, Any]) -> None:
    _, slots = await validate("59100", domain)
    assert slots["commune_insee"] == ROUBAIX


async def test_an_intercommunality_stands_for_its_largest_commune(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    dispatcher, slots = await validate("la métropole européenne de lille", domain)
    assert slots["commune_insee"] == LILLE
    assert "Lille" in slots["commune_name"]


async def test_the_place_entity_is_preferred_to_the_whole_text(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    _, slots = await validate(
        "c'est à lille mais je travaille ailleurs",
        domain,
        entities=[{"entity": "place", "value": "lille"}],
    )
    assert slots["commune_insee"] == LILLE


async def test_unknown_place_is_asked_again_once(schemes_kb: str, domain: dict[str, Any]) -> None:
    dispatcher, slots = await validate("blablaville", domain, intent="nlu_fallback")
    assert slots["place_answer"] is None
    assert slots["place_attempts"] == 1.0
    assert uttered(dispatcher) == ["utter_place_not_found"]
    assert dispatcher.messages[0]["place_text"] == "blablaville"


async def test_second_unknown_place_gives_up_politely(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    dispatcher, slots = await validate(
        "xyzzz", domain, intent="nlu_fallback", slots={"place_attempts": 1.0}
    )
    assert slots["place_answer"] == UNKNOWN_PLACE
    assert dispatcher.messages == []


async def test_dont_know_ends_the_question(schemes_kb: str, domain: dict[str, Any]) -> None:
    _, slots = await validate("je préfère pas le dire", domain, intent="dont_know")
    assert slots == {"place_answer": UNKNOWN_PLACE}


async def test_a_new_topic_with_its_place_replaces_the_pending_one(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    _, slots = await validate(
        "en fait je veux un permis, j'habite roubaix",
        domain,
        intent="ask_mobility",
        entities=[{"entity": "place", "value": "roubaix"}],
        slots={"pending_topics": ["housing"]},
    )
    assert slots["pending_topics"] == ["mobility"]
    assert slots["commune_insee"] == ROUBAIX


async def test_opening_the_form_validates_nothing(schemes_kb: str, domain: dict[str, Any]) -> None:
    # rasa-sdk validates the slots set by the action that opened the form: no value yet.
    tracker = make_tracker(events=[user_event("ask_housing", "jai pas de garant pour louer")])
    dispatcher = CollectingDispatcher()
    result = await ValidatePlaceForm().validate_place_answer(None, dispatcher, tracker, domain)
    assert result == {}
    assert dispatcher.messages == []
