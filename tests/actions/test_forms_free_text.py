"""Issue 14: forms read free answers; an answer is never taken for an off-topic question, and
a commune name shared by several communes is asked with its département."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.forms import asks_something_else
from actions.newcomers import ValidateWelcomeKitForm
from tests.actions.kb_support import kb_url_fixture  # noqa: F401 - fixture
from tests.factories import make_tracker, user_event

FORM = ValidateWelcomeKitForm()


def _tracker(intent: str, text: str, confidence: float = 0.95) -> Any:
    tracker = make_tracker(events=[user_event(intent, text)])
    tracker.latest_message["intent"] = {"name": intent, "confidence": confidence}
    return tracker


def test_an_availability_read_as_out_of_scope_is_still_an_answer() -> None:
    assert not asks_something_else(_tracker("out_of_scope", "à partir de février, temps plein"))


def test_a_real_off_topic_question_leaves_the_form() -> None:
    assert asks_something_else(_tracker("out_of_scope", "c'est quoi la météo demain ?"))
    assert asks_something_else(_tracker("bot_challenge", "t'es un robot ?"))


async def test_a_shared_commune_name_is_asked_with_its_departement(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(events=[user_event("inform", "Saint-Denis")])
    slots = await FORM.validate_kit_commune("Saint-Denis", dispatcher, tracker, domain)
    assert slots == {"kit_commune": None, "kit_commune_insee": None}
    [message] = dispatcher.messages
    titles = [button["title"] for button in message["buttons"]]
    assert "Saint-Denis (Seine-Saint-Denis)" in titles and "Saint-Denis (La Réunion)" in titles
    # The button answers with the postcode: the next answer is not ambiguous any more.
    payload = next(b["payload"] for b in message["buttons"] if "Seine" in b["title"])
    again = CollectingDispatcher()
    chosen = await FORM.validate_kit_commune(payload, again, make_tracker(), domain)
    assert chosen == {"kit_commune": "Saint-Denis", "kit_commune_insee": "93066"}
    assert again.messages == []


async def test_a_unique_commune_is_taken_without_a_question(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(events=[user_event("inform", "Roubaix")])
    slots = await FORM.validate_kit_commune("Roubaix", dispatcher, tracker, domain)
    assert slots == {"kit_commune": "Roubaix", "kit_commune_insee": "59512"}
    assert dispatcher.messages == []


def test_a_sentence_is_not_a_job_title() -> None:
    from actions.spouse_cv import ValidateSpouseCvForm

    text = "c'est moi qui cherche, pas mon mari : comptable, 10 ans d'expérience"
    dispatcher = CollectingDispatcher()
    slots = ValidateSpouseCvForm().validate_spouse_job(
        text, dispatcher, make_tracker(events=[user_event("inform", text)]), {}
    )
    assert slots == {"spouse_job": "comptable", "spouse_skills": "10 ans d'expérience"}
    assert dispatcher.messages == []


def test_who_is_looking_is_read_from_the_sentence() -> None:
    from actions.validators import read_job_answer

    mine = read_job_answer("c'est moi qui cherche, pas mon mari : comptable")
    theirs = read_job_answer("mon mari cherche : électricien")
    assert mine is not None and mine.who == "self"
    assert theirs is not None and (theirs.title, theirs.who) == ("électricien", "spouse")
    assert read_job_answer("Il cherche un poste de cariste").title == "cariste"  # type: ignore[union-attr]
