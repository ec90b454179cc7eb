"""Lane b: GEIQ and hiring-route answers come from the knowledge base, local first."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.employers import ActionExplainGeiq, ActionListHiringRoutes, ActionStopRequest
from tests.actions.kb_support import kb_url_fixture  # noqa: F401 - fixture
from tests.conftest import uttered
from tests.factories import make_tracker, user_event


def _cards(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["name"] for m in dispatcher.messages if m.get("response") == "utter_emp_scheme_card"]


async def test_what_is_a_geiq_explains_it_and_asks_the_commune(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(events=[user_event("ask_geiq", "c quoi un geiq")])
    events = await ActionExplainGeiq().run(dispatcher, tracker, domain)
    names = uttered(dispatcher)
    assert names[0] == "utter_emp_geiq_intro"
    assert _cards(dispatcher)[0].startswith("GEIQ (groupement d'employeurs")
    card = next(m for m in dispatcher.messages if m.get("response") == "utter_emp_scheme_card")
    assert "met à disposition" in card["text"]
    assert "utter_emp_scheme_source" in names
    assert "utter_emp_ask_commune_hint" in names
    assert names[-1] == "utter_emp_next"
    assert events == []


async def test_geiq_cost_gives_the_state_aid_and_says_the_fee_is_unknown(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(events=[user_event("ask_geiq", "combien ça coûte un geiq pour une tpe")])
    await ActionExplainGeiq().run(dispatcher, tracker, domain)
    assert _cards(dispatcher)[0] == "Aide de l'État aux GEIQ pour l'accompagnement des salariés"
    amount = next(m for m in dispatcher.messages if m.get("response") == "utter_emp_scheme_amount")
    assert "814" in amount["amount"] and "1 400" in amount["amount"]
    assert "utter_emp_geiq_cost_note" in uttered(dispatcher)


async def test_geiq_near_chalon_names_the_local_geiq(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    entities = [{"entity": "place", "value": "chalon-sur-saône"}]
    tracker = make_tracker(
        events=[user_event("ask_geiq", "un geiq à chalon-sur-saône ?", entities=entities)]
    )
    events = await ActionExplainGeiq().run(dispatcher, tracker, domain)
    assert "utter_emp_local_intro" in uttered(dispatcher)
    assert any("Chalon" in name for name in _cards(dispatcher)[1:])
    assert SlotSet("commune_insee", "71076") in events


async def test_geiq_where_none_is_known_lists_the_nearest_support(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(slots={"commune_insee": "29024", "commune_name": "Carhaix-Plouguer"},
                           events=[user_event("ask_geiq", "un geiq près de chez moi")])  # fmt: skip
    await ActionExplainGeiq().run(dispatcher, tracker, domain)
    names = uttered(dispatcher)
    assert "utter_emp_no_local" in names
    assert "utter_emp_organisation" in names or "utter_emp_organisation_no_contact" in names


async def test_a_named_route_is_detailed(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(events=[user_event("ask_hiring_routes", "c'est quoi la poei")])
    await ActionListHiringRoutes().run(dispatcher, tracker, domain)
    # A named route is answered by the knowledge base in one message: the route's details.
    (message,) = dispatcher.messages
    assert "POEI" in message["text"] or "préparation opérationnelle" in message["text"].lower()
    assert "Pour faire la demande" in message["text"]


async def test_routes_are_listed_local_first(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(slots={"commune_insee": "59512", "commune_name": "Roubaix"},
                           events=[user_event("ask_hiring_routes", "/ask_hiring_routes")])  # fmt: skip
    await ActionListHiringRoutes().run(dispatcher, tracker, domain)
    items = [m for m in dispatcher.messages if m.get("response") == "utter_emp_route_item"]
    assert uttered(dispatcher)[0] == "utter_emp_routes_intro_local"
    assert 3 <= len(items) <= 5


async def test_stop_resets_the_active_form(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(slots={"lead_company": "X"}, active_loop={"name": "hiring_lead_form"},
                           events=[user_event("stop", "stop")])  # fmt: skip
    events = await ActionStopRequest().run(dispatcher, tracker, domain)
    assert events[0] == ActiveLoop(None)
    assert SlotSet("lead_company", None) in events
    assert SlotSet("lead_phone", None) in events
    assert uttered(dispatcher) == ["utter_request_stopped"]


async def test_stop_for_a_human_stays_silent(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(
        active_loop={"name": "welcome_kit_form"},
        events=[user_event("request_human", "un conseiller")],
    )
    events = await ActionStopRequest().run(dispatcher, tracker, domain)
    assert dispatcher.messages == []
    assert SlotSet("kit_commune", None) in events
