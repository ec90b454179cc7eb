"""Lane b: the spouse CV bank: consent, storage, viewing and deletion by the person."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.spouse_cv import (
    ActionDeleteSpouseProfile,
    ActionSaveSpouseProfile,
    ActionShowSpouseProfile,
    ValidateSpouseCvForm,
    split_contact,
)
from knowledge.models.requests import SpouseProfile
from tests.actions.kb_support import kb_url_fixture, read_rows  # noqa: F401 - fixture
from tests.conftest import uttered
from tests.factories import make_tracker, user_event

FORM = ValidateSpouseCvForm()
PROFILE = {
    "spouse_job": "aide-soignante",
    "spouse_skills": "10 ans en EHPAD, diplôme d'État",
    "spouse_availability": "dès mars, temps plein",
    "spouse_commune": "Carhaix-Plouguer",
    "spouse_commune_insee": "29024",
    "spouse_contact": "06 98 76 54 32",
    "spouse_consent": "yes",
}


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Marie@Exemple.fr", "marie@exemple.fr"),
        ("06.98.76.54.32", "06 98 76 54 32"),
        ("demain", None),
    ],
)
def test_contact_is_an_email_or_a_phone(
    answer: str, expected: str | None, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(events=[user_event("inform", answer)])
    assert FORM.validate_spouse_contact(answer, dispatcher, tracker, domain) == {
        "spouse_contact": expected
    }
    assert uttered(dispatcher) == ([] if expected else ["utter_spouse_invalid_contact"])


def test_skills_refuse_markup_only_and_overlong_text(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(events=[user_event("inform", "x")])
    assert FORM.validate_spouse_skills("<script></script>", dispatcher, tracker, domain) == {
        "spouse_skills": None
    }
    assert FORM.validate_spouse_skills("a" * 400, dispatcher, tracker, domain) == {
        "spouse_skills": None
    }
    assert FORM.validate_spouse_skills("paie, Excel", dispatcher, tracker, domain) == {
        "spouse_skills": "paie, Excel"
    }


def test_split_contact() -> None:
    assert split_contact("a@b.fr") == ("a@b.fr", None)
    assert split_contact("06 98 76 54 32") == (None, "06 98 76 54 32")


async def test_save_show_then_delete(kb_url: str, domain: dict[str, Any]) -> None:
    sender = "web:spouse-flow"
    saved = CollectingDispatcher()
    await ActionSaveSpouseProfile().run(
        saved,
        make_tracker(sender_id=sender, slots=PROFILE, events=[user_event("affirm", "oui")]),
        domain,
    )
    assert uttered(saved) == ["utter_spouse_saved"]
    reference = saved.messages[0]["reference"]
    [row] = read_rows(kb_url, SpouseProfile, reference=reference)
    assert (row.job_title, row.contact_phone, row.contact_email) == (
        "aide-soignante",
        "06 98 76 54 32",
        None,
    )
    assert row.consent_text == domain["responses"]["utter_ask_spouse_consent"][0]["text"]

    shown = CollectingDispatcher()
    await ActionShowSpouseProfile().run(shown, make_tracker(sender_id=sender), domain)
    assert shown.messages[0]["response"] == "utter_spouse_profile"
    assert shown.messages[0]["job"] == "aide-soignante"

    other = CollectingDispatcher()
    await ActionShowSpouseProfile().run(other, make_tracker(sender_id="web:someone-else"), domain)
    assert uttered(other) == ["utter_spouse_no_profile"]

    deleted = CollectingDispatcher()
    await ActionDeleteSpouseProfile().run(deleted, make_tracker(sender_id=sender), domain)
    assert uttered(deleted) == ["utter_spouse_deleted"]
    assert read_rows(kb_url, SpouseProfile, reference=reference) == []


async def test_without_consent_no_profile(
    kb_url: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    slots = {**PROFILE, "spouse_job": "scaphandrier", "spouse_consent": "no"}
    await ActionSaveSpouseProfile().run(
        dispatcher,
        make_tracker(sender_id="web:no", slots=slots, events=[user_event("deny", "non")]),
        domain,
    )
    assert uttered(dispatcher) == ["utter_spouse_not_saved"]
    assert read_rows(kb_url, SpouseProfile, job_title="scaphandrier") == []
