"""Lane b: the welcome kit form and its creation (stored, linked, sent as a document)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.newcomers import (
    ActionCreateWelcomeKit,
    ActionPrefillWelcomeKit,
    ValidateWelcomeKitForm,
    household_from_slots,
    kit_filename,
)
from bot.settings import get_settings
from knowledge.models.requests import WelcomeKit
from knowledge.requests import owner_key
from tests.actions.kb_support import kb_url_fixture, read_rows  # noqa: F401 - fixture
from tests.conftest import uttered
from tests.factories import make_tracker, user_event

FORM = ValidateWelcomeKitForm()
ANSWERS = {
    "kit_commune": "Carhaix-Plouguer",
    "kit_commune_insee": "29024",
    "kit_children": "2:3,8",
    "kit_spouse": "yes",
    "kit_needs": "housing,childcare,schools,spouse_job",
    "kit_consent": "yes",
}


def _slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_prefill_understands_the_move_message(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    text = "je demenage a carhaix pour un boulot avec ma femme et 2 enfants"
    tracker = make_tracker(
        events=[
            user_event("newcomer_kit", text, entities=[{"entity": "place", "value": "carhaix"}])
        ]
    )
    slots = _slots(await ActionPrefillWelcomeKit().run(dispatcher, tracker, domain))
    assert uttered(dispatcher) == ["utter_kit_start"]
    assert (slots["kit_commune"], slots["kit_commune_insee"]) == ("Carhaix-Plouguer", "29024")
    assert slots["kit_children"] == "2:"
    # "avec ma femme" does not say she looks for work: the form will ask.
    assert slots["kit_spouse"] is None


async def test_prefill_hears_that_the_spouse_looks_for_work(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(
        events=[user_event("newcomer_kit", "on déménage, ma copine cherche du travail aussi")]
    )
    slots = _slots(await ActionPrefillWelcomeKit().run(dispatcher, tracker, domain))
    assert slots["kit_spouse"] == "yes"
    assert slots["kit_commune"] is None


@pytest.mark.parametrize(
    ("slot", "intent", "answer", "expected", "reask"),
    [
        ("kit_children", "deny", "non", "0:", None),
        ("kit_children", "inform", "3 enfants de 1, 4 et 9 ans", "3:1,4,9", None),
        ("kit_children", "inform", "euh", None, "utter_kit_invalid_children"),
        ("kit_spouse", "affirm", "oui", "yes", None),
        ("kit_spouse", "inform", "pas de conjoint", "no", None),
        ("kit_spouse", "inform", "peut-être", None, "utter_kit_invalid_spouse"),
        ("kit_needs", "inform", "logement et crèche", "housing,childcare", None),
        ("kit_needs", "inform", "rien", None, "utter_kit_invalid_needs"),
    ],
)
def test_kit_answers_are_validated(
    slot: str, intent: str, answer: str, expected: str | None, reask: str | None,
    dispatcher: CollectingDispatcher, domain: dict[str, Any],
) -> None:  # fmt: skip
    tracker = make_tracker(events=[user_event(intent, answer)])
    result = getattr(FORM, f"validate_{slot}")(answer, dispatcher, tracker, domain)
    assert result[slot] == expected
    assert uttered(dispatcher) == ([reask] if reask else [])


def test_a_spouse_looking_for_work_adds_the_spouse_section(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(slots={"kit_spouse": "yes"}, events=[user_event("inform", "logement")])
    assert FORM.validate_kit_needs("logement", dispatcher, tracker, domain) == {
        "kit_needs": "housing,spouse_job"
    }


async def test_destination_commune_is_resolved(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(events=[user_event("inform", "29270")])
    assert await FORM.validate_kit_commune("29270", dispatcher, tracker, domain) == {
        "kit_commune": "Carhaix-Plouguer", "kit_commune_insee": "29024"}  # fmt: skip


def test_household_and_filename_helpers() -> None:
    household = household_from_slots("2:3,8", "yes")
    assert (household.children, household.ages, household.spouse_seeks_work) == (2, (3, 8), True)
    assert kit_filename("Chalon-sur-Saône") == "kit-accueil-chalon-sur-saone.pdf"


async def test_the_kit_is_stored_linked_and_sent_as_a_document(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(
        sender_id="telegram:77", slots=ANSWERS, events=[user_event("affirm", "oui")]
    )
    events = await ActionCreateWelcomeKit().run(dispatcher, tracker, domain)
    token = _slots(events)["kit_token"]
    names = uttered(dispatcher)
    assert names[:2] == ["utter_kit_working", "utter_kit_ready"]
    ready = dispatcher.messages[1]
    assert ready["url"] == f"{get_settings().base_url}/kit/{token}"
    document = next(m["custom"]["document"] for m in dispatcher.messages if m.get("custom"))
    assert document["url"] == f"/kit/{token}.pdf"
    assert document["filename"] == "kit-accueil-carhaix-plouguer.pdf"
    assert "Carhaix-Plouguer" in document["caption"]
    assert names[-1] == "utter_kit_offer_spouse_cv"
    assert SlotSet("commune_insee", "29024") in events
    [kit] = read_rows(kb_url, WelcomeKit, token=token)
    assert kit.owner_key == owner_key("telegram:77", get_settings().secret_key.get_secret_value())
    assert kit.consent_text == domain["responses"]["utter_ask_kit_consent"][0]["text"]
    assert kit.household == {"children": 2, "ages": [3, 8], "spouse_seeks_work": True}
    assert [s["need"] for s in kit.content["sections"]] == [
        "welcome",
        "housing",
        "childcare",
        "schools",
        "spouse_job",
    ]


async def test_no_consent_no_kit(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(
        slots={**ANSWERS, "kit_consent": "no"}, events=[user_event("deny", "non")]
    )
    events = await ActionCreateWelcomeKit().run(dispatcher, tracker, domain)
    assert uttered(dispatcher) == ["utter_kit_not_created"]
    assert "kit_token" not in _slots(events)


@pytest.mark.parametrize(
    ("answer", "children"),
    [
        (
            "moi je suis infirmière et je cherche un poste là-bas, mon conjoint est déjà embauché",
            None,
        ),
        ("un garçon de 6 ans, et moi je cherche du travail, mon mari commence en mai", "1:6"),
    ],
)
def test_the_partner_writing_about_her_own_job_gets_the_spouse_part(
    answer: str, children: str | None, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(events=[user_event("inform", answer)])
    result = FORM.validate_kit_children(answer, dispatcher, tracker, domain)
    assert result == {"kit_children": children, "kit_spouse": "yes"}
    # Acknowledged, not "je n'ai pas compris": the form asks the children again if needed.
    assert "utter_kit_invalid_children" not in uttered(dispatcher)
