"""A seeker's short request for work gets the offers, never the employer's menu (issue 11)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.offers import ActionSearchOffers
from actions.schemes import ActionSearchSchemes
from actions.understanding.employer_guard import ActionEmployerOrSeeker
from actions.understanding.job_search import asks_for_work
from actions.understanding.situation import read_situation
from tests.factories import make_tracker, user_event

TO_OFFERS = {"event": "followup", "timestamp": None, "name": "action_search_offers"}


@pytest.mark.parametrize(
    ("message", "asks"),
    [
        ("jrecherche un job vers Angers", True),
        ("vous auriez du boulot pour moi ?", True),
        ("moi je cherche un cdi de préparateur de commandes", True),
        ("je voudrais bosser dans la restauration", True),
        # A question about schemes, a move, or an employer's need: not a request for offers.
        ("je cherche du travail mais qui garde mon fils le matin ? y a une aide ?", False),
        ("on déménage à Lorient et je cherche du boulot là bas", False),
        ("je cherche un apprenti pour ma boulangerie", False),
    ],
)
def test_a_request_for_work_is_told_from_other_messages(message: str, asks: bool) -> None:
    assert asks_for_work(message) is asks


def test_a_request_for_work_makes_a_seeker_not_an_employer() -> None:
    said = read_situation("jcherche un taff dans la logistique")
    assert said.seeker and not said.is_employer


@pytest.mark.parametrize(
    "message",
    ["jcherche un taff dans la logistique", "vous avez du travail pour un jeune de 20 ans ?"],
)
async def test_a_seeker_read_as_an_employer_gets_the_offers(
    real_kb_url: str, domain: dict[str, Any], message: str
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(events=[user_event("employer_hiring", message, 0.7)])
    events = await ActionEmployerOrSeeker().run(dispatcher, tracker, domain)
    assert "utter_employer_intro" not in [m.get("response") for m in dispatcher.messages]
    assert TO_OFFERS in events


async def test_what_an_earlier_message_said_keeps_a_seeker_a_seeker(
    real_kb_url: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    situation = {"statuses": ["job_seeker"], "seeker": True, "employer": False}
    tracker = make_tracker(
        events=[
            user_event("search_offers", "je cherche du boulot"),
            user_event("employer_hiring", "et plutôt dans la grande distribution ?", 0.6),
        ],
        slots={"situation": situation},
    )
    await ActionEmployerOrSeeker().run(dispatcher, tracker, domain)
    assert "utter_employer_intro" not in [m.get("response") for m in dispatcher.messages]


async def test_the_criteria_typed_after_the_offer_question_go_on_with_the_search(
    real_kb_url: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    asked = {
        "event": "bot",
        "text": "Quel métier cherchez-vous, et où ?",
        "metadata": {"utter_action": "utter_offers_ask_criteria"},
    }
    tracker = make_tracker(
        events=[
            user_event("search_offers", "jrecherche du boulot"),
            asked,
            user_event("inform", "plutôt en maçonnerie, du côté de Poitiers", 0.8),
        ]
    )
    events = await ActionSearchSchemes().run(dispatcher, tracker, domain)
    assert TO_OFFERS in events
    assert dispatcher.messages == []


async def test_a_bare_request_for_work_asks_which_job_and_where(
    real_kb_url: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(events=[user_event("search_offers", "jcherche du taff svp")])
    await ActionSearchOffers().run(dispatcher, tracker, domain)
    # Not "no offer found for « jcherche taff »": the request words are no job.
    assert [m.get("response") for m in dispatcher.messages] == ["utter_offers_ask_criteria"]
