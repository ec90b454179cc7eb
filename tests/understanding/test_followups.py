"""A short follow-up stays on the record just given (issue 11: follow-ups drifted away)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionClarify
from actions.schemes import ActionSchemeDetails, ActionSearchSchemes
from actions.understanding.followup import refers_to_last_answer
from tests.factories import make_tracker, user_event

VISALE_SHOWN = {
    "last_schemes": ["visale"],
    "current_scheme": "visale",
    "current_topic": "housing",
    "request_text": "la garantie visale c'est gratuit ?",
}


def _after(slots: dict[str, Any], intent: str, text: str, confidence: float = 0.8) -> Tracker:
    earlier = user_event("ask_housing", str(slots.get("request_text") or ""))
    return make_tracker(events=[earlier, user_event(intent, text, confidence)], slots=slots)


def _said(dispatcher: CollectingDispatcher) -> str:
    return " ".join(str(message.get("text") or "") for message in dispatcher.messages)


def _slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.mark.parametrize(
    ("message", "follows"),
    [
        ("et le bailleur, il a le droit de dire non ?", True),
        ("elle marche aussi pour une colocation ?", True),
        ("ça se rembourse ?", True),
        ("comment on fait la demande ?", True),
        ("il y a d'autres solutions pour se loger quand on a 19 ans et pas de garant ?", False),
        ("je cherche une place en crèche près de Valence pour la rentrée", False),
        ("/ask_more", False),
    ],
)
def test_a_follow_up_is_told_by_its_opening_a_pronoun_or_a_bare_facet(
    message: str, follows: bool
) -> None:
    assert refers_to_last_answer(message) is follows


@pytest.mark.parametrize(("intent", "confidence"), [("ask_housing", 0.8), ("nlu_fallback", 0.4)])
async def test_a_question_about_the_record_given_stays_on_it(
    real_kb_url: str, domain: dict[str, Any], intent: str, confidence: float
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = _after(
        VISALE_SHOWN, intent, "et le propriétaire, il peut refuser cette caution ?", confidence
    )
    action = ActionSearchSchemes() if intent == "ask_housing" else ActionClarify()
    events = await action.run(dispatcher, tracker, domain)
    said = _said(dispatcher)
    # One record, Visale: not a new list of housing records.
    assert said.startswith("**Garantie Visale")
    assert "last_schemes" not in _slots(events)
    assert _slots(events)["current_scheme"] == "visale"


async def test_a_bare_facet_gets_that_facet_of_the_record_given(
    real_kb_url: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    await ActionSearchSchemes().run(
        dispatcher, _after(VISALE_SHOWN, "ask_housing", "c'est pour qui exactement ?"), domain
    )
    said = _said(dispatcher)
    assert said.startswith("**Garantie Visale")
    assert "18" in said and "30 ans" in said


async def test_another_need_named_leaves_the_record(
    real_kb_url: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = _after(VISALE_SHOWN, "ask_childcare", "et pour faire garder mon bébé, il y a quoi ?")
    events = await ActionSearchSchemes().run(dispatcher, tracker, domain)
    assert "Visale" not in _said(dispatcher)
    assert _slots(events)["current_topic"] == "childcare"


async def test_a_follow_up_about_the_person_answers_the_subject_again_for_them(
    real_kb_url: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    slots = {
        "last_schemes": ["creches-avip"],
        "current_scheme": "creches-avip",
        "current_topic": "childcare",
        "request_text": "une creche pour mon fils, je reprends un travail",
    }
    tracker = _after(slots, "ask_childcare", "et pour ma fille de 9 ans ?")
    events = await ActionSearchSchemes().run(dispatcher, tracker, domain)
    # The subject again, ranked for a 9-year-old: a list, not the crèche record's details.
    assert "last_schemes" in _slots(events)
    assert 9 in _slots(events)["situation"]["child_ages"]


async def test_which_record_is_asked_when_several_were_given(
    real_kb_url: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    slots = {
        "last_schemes": ["visale", "mobili-jeune", "foyer-jeunes-travailleurs-habitat-jeunes"],
        "current_scheme": None,
        "current_topic": "housing",
        "request_text": "pas de garant et un petit salaire d'apprenti",
    }
    await ActionSearchSchemes().run(
        dispatcher, _after(slots, "ask_housing", "et ça s'obtient vite ?"), domain
    )
    assert dispatcher.messages[0].get("response") == "utter_which_scheme"
    assert len(dispatcher.messages[0]["buttons"]) == 3


async def test_a_misunderstood_message_is_not_read_as_a_question_about_the_record(
    real_kb_url: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = _after(VISALE_SHOWN, "nlu_fallback", "et il pleut beaucoup chez vous ?", 0.3)
    await ActionClarify().run(dispatcher, tracker, domain)
    # Not Visale's details (the earlier question may still be answered again, as a list).
    assert not _said(dispatcher).startswith("**Garantie Visale")


async def test_a_request_for_details_that_asks_a_facet_gets_the_facet(
    real_kb_url: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = _after(VISALE_SHOWN, "ask_scheme_details", "et ça coûte combien au final ?")
    await ActionSchemeDetails().run(dispatcher, tracker, domain)
    said = _said(dispatcher)
    assert said.startswith("**Garantie Visale")
    # The price facet (the record gives no amount), not the whole record.
    assert "montant" in said.lower()
    assert "Vous n'avez pas de garant" not in said


async def test_among_several_records_the_one_the_words_name_is_answered(
    real_kb_url: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    slots = {
        "last_schemes": ["mobili-jeune", "visale", "foyer-jeunes-travailleurs-habitat-jeunes"],
        "current_scheme": None,
        "current_topic": "housing",
        "request_text": "pas de garant et un petit salaire d'apprenti",
    }
    text = "et le propriétaire, il peut refuser cette caution ?"
    events = await ActionSearchSchemes().run(dispatcher, _after(slots, "ask_housing", text), domain)
    assert _said(dispatcher).startswith("**Garantie Visale")
    assert _slots(events)["current_scheme"] == "visale"
