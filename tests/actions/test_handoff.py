"""Lane b: the hand-off action picks the reason and the person's own words for the adviser."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionRequestHuman, reason_of, summary_of
from tests.conftest import uttered
from tests.factories import make_tracker, user_event


async def test_request_utters_the_message_then_the_payload(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = [
        user_event("ask_housing", "je cherche un logement à Roubaix pour mon alternance"),
        user_event("request_human", "un conseiller svp"),
    ]
    await ActionRequestHuman().run(dispatcher, make_tracker(events=events), domain)
    assert uttered(dispatcher) == ["utter_handoff_requested", None]
    assert dispatcher.messages[1]["custom"] == {
        "handoff": {
            "reason": "asked_for_human",
            "summary": "je cherche un logement à Roubaix pour mon alternance",
        }
    }


def test_reason_is_frustration_when_the_person_was_frustrated_just_before() -> None:
    events = [
        user_event("ask_housing", "logement"),
        user_event("express_frustration", "c'est nul"),
        user_event("affirm", "oui"),
    ]
    assert reason_of(make_tracker(events=events)) == "frustration"


def test_reason_is_a_plain_request_otherwise() -> None:
    events = [
        user_event("express_frustration", "c'est nul"),
        user_event("ask_housing", "logement"),
        user_event("greet", "bonjour"),
        user_event("request_human", "un humain"),
    ]
    assert reason_of(make_tracker(events=events)) == "asked_for_human"


def test_summary_skips_buttons_greetings_and_is_capped() -> None:
    long_text = "a" * 500
    events = [
        user_event("ask_mobility", long_text),
        user_event("greet", "bonjour"),
        user_event("request_human", "/request_human"),
    ]
    assert summary_of(make_tracker(events=events)) == "a" * 200


def test_summary_is_empty_without_a_need() -> None:
    events = [user_event("greet", "bonjour"), user_event("request_human", "conseiller")]
    assert summary_of(make_tracker(events=events)) == ""


async def test_a_handoff_leaves_the_form_the_person_was_in(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(
        events=[user_event("request_human", "un conseiller")],
        active_loop={"name": "place_form"},
    )
    events = await ActionRequestHuman().run(dispatcher, tracker, domain)
    assert events == [ActiveLoop(None), SlotSet("requested_slot", None)]


async def test_no_form_no_extra_events(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(events=[user_event("request_human", "un conseiller")])
    assert await ActionRequestHuman().run(dispatcher, tracker, domain) == []
