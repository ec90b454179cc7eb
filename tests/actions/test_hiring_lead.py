"""Lane b: the hiring-need form: prefill, validation, correction, storage with consent."""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

import actions.hiring_lead as hiring_lead
from actions.hiring_lead import (
    ActionAskLeadConfirmed,
    ActionCorrectLeadField,
    ActionPrefillHiringLead,
    ActionSaveHiringLead,
    ValidateHiringLeadForm,
)
from knowledge.models.requests import EmployerLead
from tests.actions.kb_support import kb_url_fixture, read_rows  # noqa: F401 - fixture
from tests.conftest import uttered
from tests.factories import make_tracker, user_event

TODAY = dt.date(2026, 1, 14)
FORM = ValidateHiringLeadForm()
FILLED = {
    "lead_company": "Boulangerie Martin",
    "lead_siret": "73282932000074",
    "lead_sector": "boulangerie",
    "lead_job": "vendeur",
    "lead_positions": "2",
    "lead_contract": "cdi",
    "lead_start": "2026-03-01",
    "lead_commune": "Roubaix",
    "lead_commune_insee": "59512",
    "lead_contact_name": "Claire Martin",
    "lead_email": "claire.martin@exemple.fr",
    "lead_phone": "06 12 34 56 78",
    "lead_confirmed": "yes",
}


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hiring_lead, "today", lambda: TODAY)


def _slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for event in events:
        if event.get("event") == "slot":
            found[event["name"]] = event["value"]
    return found


async def test_prefill_keeps_job_count_contract_date_and_place(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    message = "on cherche 2 caristes en cdi a partir de mars vers roubaix"
    entities = [{"entity": "job", "value": "caristes"}, {"entity": "place", "value": "roubaix"}]
    tracker = make_tracker(events=[user_event("employer_pass_need", message, entities=entities)])
    events = await ActionPrefillHiringLead().run(dispatcher, tracker, domain)
    slots = _slots(events)
    assert uttered(dispatcher) == ["utter_lead_start"]
    assert slots["lead_job"] == "caristes"
    assert slots["lead_positions"] == "2"
    assert slots["lead_contract"] == "cdi"
    assert slots["lead_start"] == "2026-03-01"
    assert (slots["lead_commune"], slots["lead_commune_insee"]) == ("Roubaix", "59512")
    assert slots["lead_company"] is None


async def test_prefill_from_a_button_sets_nothing(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(events=[user_event("employer_pass_need", "/employer_pass_need")])
    events = await ActionPrefillHiringLead().run(dispatcher, tracker, domain)
    assert all(value is None for value in _slots(events).values())


@pytest.mark.parametrize(
    ("slot", "answer", "expected", "reask"),
    [
        ("lead_company", "Boulangerie <b>Martin</b>", "Boulangerie Martin", None),
        ("lead_company", "🙂", None, "utter_lead_invalid_company"),
        ("lead_siret", "732 829 320 00074", "73282932000074", None),
        ("lead_siret", "73282932000075", None, "utter_lead_invalid_siret"),
        ("lead_siret", "je ne l'ai pas", "none", None),
        ("lead_positions", "trois", "3", None),
        ("lead_positions", "beaucoup", None, "utter_lead_invalid_positions"),
        ("lead_contract", "en alternance", "alternance", None),
        ("lead_contract", "on verra", None, "utter_lead_invalid_contract"),
        ("lead_start", "début mars", "2026-03-01", None),
        ("lead_start", "lundi prochain", "2026-01-19", None),
        ("lead_start", "01/01/2020", None, "utter_lead_invalid_start"),
        ("lead_contact_name", "Claire Martin", "Claire Martin", None),
        ("lead_contact_name", "06 12 34 56 78", None, "utter_lead_invalid_contact_name"),
        ("lead_email", "Claire@Exemple.FR", "claire@exemple.fr", None),
        ("lead_email", "claire.exemple.fr", None, "utter_lead_invalid_email"),
        ("lead_phone", "+33 6 12 34 56 78", "06 12 34 56 78", None),
        ("lead_phone", "12345", None, "utter_lead_invalid_phone"),
    ],
)
async def test_answers_are_validated_with_a_clear_reask(
    slot: str, answer: str, expected: str | None, reask: str | None,
    dispatcher: CollectingDispatcher, domain: dict[str, Any],
) -> None:  # fmt: skip
    tracker = make_tracker(events=[user_event("inform", answer)])
    result = getattr(FORM, f"validate_{slot}")(answer, dispatcher, tracker, domain)
    if inspect.isawaitable(result):
        result = await result
    assert result[slot] == expected
    assert uttered(dispatcher) == ([reask] if reask else [])


def test_siret_skipped_with_the_button(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(events=[user_event("deny", "/deny")])
    assert FORM.validate_lead_siret("/deny", dispatcher, tracker, domain) == {"lead_siret": "none"}


async def test_commune_is_resolved(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(events=[user_event("inform", "59100")])
    result = await FORM.validate_lead_commune("59100", dispatcher, tracker, domain)
    assert result == {"lead_commune": "Roubaix", "lead_commune_insee": "59512"}
    result = await FORM.validate_lead_commune("zzzzqqq", dispatcher, tracker, domain)
    assert result["lead_commune"] is None
    assert uttered(dispatcher) == ["utter_lead_invalid_commune"]


async def test_summary_shows_every_answer_then_no_asks_which_field(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(
        slots={**FILLED, "lead_siret": "none"}, events=[user_event("inform", "06 12 34 56 78")]
    )
    await ActionAskLeadConfirmed().run(dispatcher, tracker, domain)
    message = dispatcher.messages[0]
    assert message["response"] == "utter_lead_summary"
    assert message["siret"] == "non renseigné"
    assert message["start"] == "01/03/2026"
    assert message["contract"] == "CDI"
    no = make_tracker(slots=FILLED, events=[user_event("deny", "non")])
    again = CollectingDispatcher()
    assert FORM.validate_lead_confirmed("no", again, no, domain) == {"lead_confirmed": None}
    assert uttered(again) == ["utter_ask_which_field"]
    # The summary is not repeated right after asking which answer to correct.
    silent = CollectingDispatcher()
    await ActionAskLeadConfirmed().run(silent, no, domain)
    assert silent.messages == []


async def test_correcting_a_named_field_clears_it(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    entities = [{"entity": "lead_field", "value": "phone"}]
    tracker = make_tracker(
        slots=FILLED,
        events=[user_event("correct_field", "corriger le téléphone", entities=entities)],
    )
    events = await ActionCorrectLeadField().run(dispatcher, tracker, domain)
    assert SlotSet("lead_phone", None) in events
    assert SlotSet("lead_confirmed", None) in events
    assert uttered(dispatcher) == ["utter_lead_field_cleared"]


async def test_correcting_without_a_field_asks_which(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(slots=FILLED, events=[user_event("correct_field", "je me suis trompé")])
    events = await ActionCorrectLeadField().run(dispatcher, tracker, domain)
    assert uttered(dispatcher) == ["utter_ask_which_field"]
    assert SlotSet("lead_phone", None) not in events


async def test_a_consented_lead_is_stored_with_its_reference_and_consent_text(
    kb_url: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    tracker = make_tracker(
        sender_id="web:lead-1",
        slots={**FILLED, "lead_consent": "yes"},
        events=[user_event("affirm", "oui")],
    )
    events = await ActionSaveHiringLead().run(dispatcher, tracker, domain)
    assert uttered(dispatcher) == ["utter_lead_saved"]
    reference = dispatcher.messages[0]["reference"]
    [lead] = read_rows(kb_url, EmployerLead, reference=reference)
    assert reference.startswith(f"EMP-{lead.created_at.year}-")
    assert (lead.company_name, lead.siret, lead.positions, lead.contract_type) == (
        "Boulangerie Martin",
        "73282932000074",
        2,
        "cdi",
    )
    assert (lead.start_date, lead.commune_insee, lead.email, lead.phone) == (
        dt.date(2026, 3, 1),
        "59512",
        "claire.martin@exemple.fr",
        "06 12 34 56 78",
    )
    assert lead.consent_text == domain["responses"]["utter_ask_lead_consent"][0]["text"]
    assert lead.consent_at is not None
    assert SlotSet("lead_email", None) in events
    for secret in ("Claire", "claire.martin", "06 12", "web:lead-1"):
        assert secret not in caplog.text


async def test_without_consent_nothing_is_stored(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    slots = {**FILLED, "lead_company": "Garage sans consentement", "lead_consent": "no"}
    tracker = make_tracker(sender_id="web:lead-2", slots=slots, events=[user_event("deny", "non")])
    await ActionSaveHiringLead().run(dispatcher, tracker, domain)
    assert uttered(dispatcher) == ["utter_lead_not_saved"]
    assert read_rows(kb_url, EmployerLead, company_name="Garage sans consentement") == []
    # The same answers with consent are stored: the check above can fail.
    consented = make_tracker(
        sender_id="web:lead-2",
        slots={**slots, "lead_consent": "yes"},
        events=[user_event("affirm", "oui")],
    )
    await ActionSaveHiringLead().run(CollectingDispatcher(), consented, domain)
    assert len(read_rows(kb_url, EmployerLead, company_name="Garage sans consentement")) == 1


async def test_starting_the_form_does_not_reask_every_cleared_question(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    cleared = [
        {"event": "slot", "name": slot, "value": None}
        for slot in ("lead_company", "lead_siret", "lead_phone")
    ]
    prefilled = [
        {"event": "slot", "name": "lead_job", "value": "caristes"},
        {"event": "slot", "name": "lead_start", "value": "2026-03-01"},
    ]
    tracker = make_tracker(
        slots={"lead_job": "caristes", "lead_start": "2026-03-01"},
        events=[user_event("employer_pass_need", "on cherche des caristes"), *cleared, *prefilled],
        active_loop={"name": "hiring_lead_form"},
    )
    events = await FORM.run(dispatcher, tracker, domain)
    assert dispatcher.messages == []
    assert SlotSet("lead_job", "caristes") in events
    assert SlotSet("lead_start", "2026-03-01") in events
