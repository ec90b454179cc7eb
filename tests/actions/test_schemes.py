"""Schemes actions against a small real knowledge base (tests/actions/schemes_kb.py)."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.more import ActionShowMore
from actions.schemes import ActionSchemeDetails, ActionSearchSchemes
from tests.actions.schemes_kb import CARHAIX, DATA_DIR, ROUBAIX
from tests.conftest import uttered
from tests.factories import make_tracker, user_event

SCHEMES_DIR = DATA_DIR / "schemes"


def slots_set(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def scheme_theme(scheme_id: str) -> str:
    found = [
        path.stem.split("_")[0]
        for path in SCHEMES_DIR.glob("*.yml")
        if f"id: {scheme_id}\n" in path.read_text(encoding="utf-8")
    ]
    return found[0]


def answers(dispatcher: CollectingDispatcher) -> list[str]:
    """The one-message answers (text built by actions/schemes_cards.render_answer)."""
    return [str(m["text"]) for m in dispatcher.messages if m.get("text")]


def card_names(dispatcher: CollectingDispatcher) -> list[str]:
    return [name for text in answers(dispatcher) for name in re.findall(r"\*\*(.+?)\*\*", text)]


def card_positions(dispatcher: CollectingDispatcher) -> list[int]:
    return [
        int(n) for text in answers(dispatcher) for n in re.findall(r"^(\d+)\. \*\*", text, re.M)
    ]


def tracker_for(
    intent: str,
    text: str,
    *,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    after: str | None = None,
) -> Tracker:
    tracker = make_tracker(slots=slots, events=[user_event(intent, text, entities=entities)])
    tracker.latest_action_name = after
    return tracker


async def run(
    action: Any, tracker: Tracker, domain: dict[str, Any]
) -> tuple[CollectingDispatcher, dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain)
    return dispatcher, slots_set(events)


async def test_national_answer_first_then_the_commune_for_local_options(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    tracker = tracker_for("ask_housing", "jcherche un logement pr mon alternance")
    dispatcher, slots = await run(ActionSearchSchemes(), tracker, domain)
    # Answer first: Mobili-Jeune is national, given at once; then the local options wait.
    assert card_names(dispatcher)[0] == "Mobili-Jeune (Action Logement)"
    assert dispatcher.messages[0].get("text")
    # Details and eligibility stay one tap away while the place is asked.
    assert dispatcher.messages[0].get("buttons")
    assert uttered(dispatcher)[-1] == "utter_local_options_exist"
    assert slots["needs_place"] is True
    assert slots["pending_topics"] == ["housing"]
    assert slots["place_asked"] is True
    assert slots["situation"]["statuses"] == ["apprentice"]


async def test_place_already_asked_answers_nationally(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    tracker = tracker_for(
        "inform",
        "je sais pas",
        after="place_form",
        slots={
            "place_asked": True,
            "pending_topics": ["housing"],
            "request_text": "logement alternance",
        },
    )
    dispatcher, slots = await run(ActionSearchSchemes(), tracker, domain)
    # The national answer was given before the question: nothing is repeated.
    assert slots["needs_place"] is False
    assert uttered(dispatcher) == ["utter_place_skipped"]


async def test_place_in_the_message_gives_local_schemes_first(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    tracker = tracker_for(
        "ask_housing",
        "jcherche un logement pr mon alternance a roubaix",
        entities=[{"entity": "place", "value": "roubaix"}],
    )
    dispatcher, slots = await run(ActionSearchSchemes(), tracker, domain)
    assert slots["commune_insee"] == ROUBAIX
    assert slots["needs_place"] is False
    # The most relevant first (alternance + logement); no licence aid in a housing answer.
    assert slots["last_schemes"][0] == "mobili-jeune"
    assert "permis-apprenti-500" not in slots["last_schemes"]
    assert uttered(dispatcher)[0] == "utter_place_found"
    # One message: every card named, with its source and date, and the buttons.
    (answer,) = answers(dispatcher)
    assert "Roubaix" in answer.splitlines()[0]
    assert len(card_names(dispatcher)) == len(slots["last_schemes"])
    assert answer.count("info du") == len(slots["last_schemes"])
    assert dispatcher.messages[-1]["buttons"]


async def test_amount_only_when_the_source_gives_one(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    tracker = tracker_for(
        "ask_housing", "logement", slots={"commune_insee": ROUBAIX, "commune_name": "Roubaix"}
    )
    dispatcher, slots = await run(ActionSearchSchemes(), tracker, domain)
    amounts = "\n".join(answers(dispatcher)).count("Montant")
    with_amount = {"mobili-jeune"} & set(slots["last_schemes"])
    assert amounts == len(with_amount)


async def test_proposals_are_never_listed_as_help(schemes_kb: str, domain: dict[str, Any]) -> None:
    tracker = tracker_for(
        "ask_mobility",
        "garage solidaire",
        slots={"commune_insee": ROUBAIX, "commune_name": "Roubaix"},
    )
    dispatcher, slots = await run(ActionSearchSchemes(), tracker, domain)
    # Named, the proposal is said to be one, and only what exists is offered.
    assert "garages-solidaires-mel-proposition" not in slots["last_schemes"]
    assert uttered(dispatcher)[0] == "utter_scheme_named_is_proposal"
    assert "utter_scheme_details" not in uttered(dispatcher)


async def test_proposals_never_come_up_in_a_list(schemes_kb: str, domain: dict[str, Any]) -> None:
    tracker = tracker_for(
        "ask_mobility",
        "ma voiture est en panne, une reparation pas chere ?",
        slots={"commune_insee": ROUBAIX, "commune_name": "Roubaix"},
    )
    _, slots = await run(ActionSearchSchemes(), tracker, domain)
    assert "garages-solidaires-mel-proposition" not in slots["last_schemes"]


async def test_apprentice_licence_question_names_the_500_euro_aid(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    tracker = tracker_for(
        "ask_mobility",
        "aide pour passer le permis jsuis apprenti 19 ans",
        slots={
            "commune_insee": ROUBAIX,
            "commune_name": "Roubaix",
            "user_status": "apprentice",
            "age": 19.0,
        },
    )
    _, slots = await run(ActionSearchSchemes(), tracker, domain)
    assert slots["last_schemes"][0] == "permis-apprenti-500"


async def test_nothing_local_says_so_and_gives_the_support_network(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    tracker = tracker_for(
        "ask_childcare",
        "nounou de nuit",
        slots={"commune_insee": CARHAIX, "commune_name": "Carhaix-Plouguer"},
    )
    dispatcher, slots = await run(ActionSearchSchemes(), tracker, domain)
    (answer,) = answers(dispatcher)
    assert "Carhaix-Plouguer" in answer.splitlines()[0]
    assert "agepi" in slots["last_schemes"]
    assert "Près de chez vous" in answer


async def test_two_needs_are_answered_one_after_the_other(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    tracker = tracker_for(
        "ask_housing",
        "je cherche un logement et une nounou pour mon fils",
        slots={"commune_insee": ROUBAIX, "commune_name": "Roubaix"},
    )
    dispatcher, slots = await run(ActionSearchSchemes(), tracker, domain)
    (answer,) = answers(dispatcher)
    assert "le logement et la garde d'enfants" in answer.splitlines()[0]
    # Records of both needs, housing first as asked, numbered in one list.
    themes = [scheme_theme(i) for i in slots["last_schemes"]]
    assert "housing" in themes and "childcare" in themes
    assert themes.index("housing") < themes.index("childcare")
    assert card_positions(dispatcher) == list(range(1, len(slots["last_schemes"]) + 1))


async def test_detail_without_a_topic_asks_what_is_needed(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    dispatcher, slots = await run(
        ActionSearchSchemes(), tracker_for("inform", "j'ai 22 ans"), domain
    )
    assert uttered(dispatcher) == ["utter_no_topic_yet"]
    assert slots["needs_place"] is False


async def test_place_given_later_reanswers_the_current_topic(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    tracker = tracker_for(
        "inform",
        "a roubaix",
        entities=[{"entity": "place", "value": "roubaix"}],
        slots={"current_topic": "mobility", "request_text": "permis", "place_asked": True},
    )
    dispatcher, slots = await run(ActionSearchSchemes(), tracker, domain)
    assert uttered(dispatcher)[0] == "utter_place_found"
    assert slots["commune_insee"] == ROUBAIX
    assert slots["current_topic"] == "mobility"


async def test_other_schemes_continue_the_numbering(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    first = tracker_for(
        "ask_mobility", "transport", slots={"commune_insee": ROUBAIX, "commune_name": "Roubaix"}
    )
    _, slots = await run(ActionSearchSchemes(), first, domain)
    tracker = tracker_for("ask_more", "autres aides", slots={**slots, "commune_insee": ROUBAIX})
    dispatcher, more = await run(ActionShowMore(), tracker, domain)
    assert card_positions(dispatcher)[0] == len(slots["last_schemes"]) + 1
    assert more["last_schemes"][: len(slots["last_schemes"])] == slots["last_schemes"]
    assert not set(more["last_schemes"][3:]) & set(slots["last_schemes"])


async def test_other_schemes_without_topic(schemes_kb: str, domain: dict[str, Any]) -> None:
    dispatcher, _ = await run(ActionShowMore(), tracker_for("ask_more", "autres"), domain)
    assert uttered(dispatcher) == ["utter_no_topic_yet"]


async def test_other_schemes_when_none_left(schemes_kb: str, domain: dict[str, Any]) -> None:
    first = tracker_for("ask_vae", "vae", slots={"commune_insee": ROUBAIX})
    _, slots = await run(ActionSearchSchemes(), first, domain)
    for _ in range(5):
        more_tracker = tracker_for("ask_more", "autres", slots={**slots, "commune_insee": ROUBAIX})
        _, more = await run(ActionShowMore(), more_tracker, domain)
        if not more:
            break
        slots = {**slots, **more}
    tracker = tracker_for("ask_more", "autres", slots={**slots, "commune_insee": ROUBAIX})
    dispatcher, _ = await run(ActionShowMore(), tracker, domain)
    assert uttered(dispatcher) == ["utter_no_more_schemes"]


async def test_second_item_details(schemes_kb: str, domain: dict[str, Any]) -> None:
    tracker = tracker_for(
        "choose_item",
        "la deuxième",
        entities=[{"entity": "ordinal", "value": "2"}],
        slots={"last_schemes": ["visale", "mobili-jeune", "fajem-mel"]},
    )
    dispatcher, slots = await run(ActionSchemeDetails(), tracker, domain)
    assert slots["current_scheme"] == "mobili-jeune"
    # One message: name, details, conditions, amount, how to apply, source; then buttons.
    assert len(dispatcher.messages) == 1
    text = dispatcher.messages[0]["text"]
    assert text.startswith("**Mobili-Jeune")
    for part in ("Conditions :", "Montant : ", "Pour faire la demande :", "Source : "):
        assert part in text
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/check_eligibility"


async def test_details_by_name_with_a_typo(schemes_kb: str, domain: dict[str, Any]) -> None:
    tracker = tracker_for("ask_scheme_details", "c quoi exactement l'agepi svp")
    _, slots = await run(ActionSchemeDetails(), tracker, domain)
    assert slots["current_scheme"] == "agepi"


async def test_details_of_a_proposal_say_it_is_a_proposal(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    tracker = tracker_for(
        "ask_scheme_details",
        "details",
        entities=[{"entity": "scheme", "value": "garages solidaires"}],
        slots={"current_scheme": "garages-solidaires-mel-proposition"},
    )
    dispatcher, _ = await run(ActionSchemeDetails(), tracker, domain)
    assert "Proposition d'un rapport" in dispatcher.messages[0]["text"]


async def test_details_with_several_shown_asks_which(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    tracker = tracker_for(
        "ask_scheme_details",
        "/ask_scheme_details",
        slots={"last_schemes": ["visale", "mobili-jeune"]},
    )
    dispatcher, _ = await run(ActionSchemeDetails(), tracker, domain)
    message = dispatcher.messages[0]
    assert message["response"] == "utter_which_scheme"
    assert [b["payload"] for b in message["buttons"]] == [
        '/choose_item{"ordinal":"1"}',
        '/choose_item{"ordinal":"2"}',
    ]


async def test_details_of_nothing_known(schemes_kb: str, domain: dict[str, Any]) -> None:
    dispatcher, _ = await run(
        ActionSchemeDetails(), tracker_for("ask_scheme_details", "/ask_scheme_details"), domain
    )
    assert uttered(dispatcher) == ["utter_scheme_not_found"]


async def test_a_fragment_entity_does_not_beat_the_whole_message(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    # The NLU may extract "hauts" out of "hauts de france": the sentence names a région,
    # which is too wide to localise, so the place is asked instead of picking "Hauts de Bienne".
    tracker = tracker_for(
        "ask_childcare",
        "garde d'enfant hauts de france je reprends le taf",
        entities=[{"entity": "place", "value": "hauts"}],
    )
    _, slots = await run(ActionSearchSchemes(), tracker, domain)
    assert "commune_insee" not in slots
    assert slots["needs_place"] is True
