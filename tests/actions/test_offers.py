"""Lane b: offer search by job words and place, three at a time, demo offers labelled."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.offers import ActionSearchOffers, OfferQuery, job_words, show_more_offers
from tests.actions.kb_support import kb_url_fixture  # noqa: F401 - fixture
from tests.conftest import uttered
from tests.factories import make_tracker, user_event


def _slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_job_words_drop_the_request_and_the_place() -> None:
    assert job_words("vous avez des offres de cariste vers roubaix ?", [], ["roubaix"]) == "cariste"
    assert job_words("alternance boulanger lille", [], ["lille"]) == "boulanger"
    assert job_words("n'importe quoi", ["soudeur"], []) == "soudeur"


async def test_cariste_near_roubaix_gives_labelled_demo_offers(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    entities = [{"entity": "job", "value": "cariste"}, {"entity": "place", "value": "roubaix"}]
    tracker = make_tracker(
        events=[
            user_event("search_offers", "des offres de cariste vers roubaix ?", entities=entities)
        ]
    )
    events = await ActionSearchOffers().run(dispatcher, tracker, domain)
    names = uttered(dispatcher)
    assert names[0] == "utter_offers_intro_local"
    offers = [
        m for m in dispatcher.messages if m.get("response", "").startswith("utter_offer_item")
    ]
    assert 1 <= len(offers) <= 3
    assert all("aris" in m["title"] for m in offers)
    assert offers[0]["commune"] == "Roubaix"
    assert all(m["response"] == "utter_offer_item_demo" for m in offers)
    assert "utter_offers_demo_notice" in names
    query = OfferQuery.load(_slots(events)["offers_query"])
    assert query is not None and query.commune_insee == "59512" and query.text == "cariste"


async def test_voir_plus_pages_through_the_same_search(kb_url: str, domain: dict[str, Any]) -> None:
    query = OfferQuery(
        text="",
        commune_insee="59512",
        commune_name="Roubaix",
        contract=None,
        alternance=None,
        schedule=None,
    )
    first, second = CollectingDispatcher(), CollectingDispatcher()
    slots = {"offers_query": query.dump(), "offers_offset": 0.0}
    events = await show_more_offers(first, make_tracker(slots=slots), domain)
    offset = _slots(events)["offers_offset"]
    assert offset == 3.0
    await show_more_offers(second, make_tracker(slots={**slots, "offers_offset": offset}), domain)
    titles = [m["title"] for m in first.messages + second.messages if "title" in m]
    assert len(titles) == len(set(titles)) >= 4
    positions = [m["position"] for m in second.messages if "position" in m]
    assert positions[0] == 4


async def test_alternance_is_a_filter(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    entities = [{"entity": "contract", "value": "alternance"}]
    tracker = make_tracker(
        events=[user_event("search_offers", "y a des offres en alternance ?", entities=entities)]
    )
    events = await ActionSearchOffers().run(dispatcher, tracker, domain)
    query = OfferQuery.load(_slots(events)["offers_query"])
    assert query is not None and query.alternance is True
    contracts = [m["contract"] for m in dispatcher.messages if "contract" in m]
    assert contracts and all(
        c in ("apprentissage", "contrat de professionnalisation")
        or c.startswith(("apprentissage", "contrat de pro"))
        for c in contracts
    )


async def test_nothing_found_says_so_and_suggests_support(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    entities = [{"entity": "job", "value": "astronaute"}]
    tracker = make_tracker(
        events=[user_event("search_offers", "offres d'astronaute", entities=entities)]
    )
    await ActionSearchOffers().run(dispatcher, tracker, domain)
    names = uttered(dispatcher)
    assert names[0] in ("utter_offers_none", "utter_offers_none_no_support")
    assert names[-1] == "utter_offers_none_next"
    assert dispatcher.messages[0]["query"] == "astronaute"


async def test_no_criteria_asks_for_job_and_place(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(events=[user_event("search_offers", "/search_offers")])
    assert await ActionSearchOffers().run(dispatcher, tracker, domain) == []
    assert uttered(dispatcher) == ["utter_offers_ask_criteria"]


async def test_more_without_a_search(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    await show_more_offers(dispatcher, make_tracker(), domain)
    assert uttered(dispatcher) == ["utter_offers_no_previous_search"]


async def test_an_employer_who_wants_to_publish_gets_the_hiring_routes(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        events=[user_event("search_offers", "je voudrais publier une offre de cariste a lille")]
    )
    await ActionSearchOffers().run(dispatcher, tracker, domain)
    assert uttered(dispatcher) == ["utter_employer_intro"]
