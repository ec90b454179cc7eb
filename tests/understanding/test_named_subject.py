"""A record named only as context does not take the question over (issue 11).

Sentences written for these tests (not taken from a test or evaluation set).
"""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.schemes import ActionSearchSchemes
from tests.factories import make_tracker, user_event


async def _answer(intent: str, text: str, domain: dict[str, Any]) -> str:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(events=[user_event(intent, text, 0.9)])
    await ActionSearchSchemes().run(dispatcher, tracker, domain)
    return "\n".join(str(message.get("text") or "") for message in dispatcher.messages)


async def test_an_organisation_named_as_context_leaves_the_question_to_the_need(
    real_kb_url: str, domain: dict[str, Any]
) -> None:
    said = await _answer(
        "ask_housing",
        "france travail m'envoie en formation à 200 km pendant trois mois, je dois payer "
        "deux loyers, comment je m'en sors pour le logement ?",
        domain,
    )
    # A list of housing records, not France Travail's registration steps.
    assert "1. **" in said
    assert "S'inscrire, se réinscrire" not in said


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("visale ça coûte combien si j'ai 35 ans et un cdi depuis 2 mois ?", "Visale"),
        ("visale c'est pour qui si j'ai 35 ans et un cdi depuis 2 mois ?", "Visale"),
        (
            "mobili jeune comment on fait la demande quand on est en alternance à 20 ans ?",
            "Mobili-Jeune",
        ),
    ],
)
async def test_a_record_named_and_asked_about_is_still_answered_alone(
    real_kb_url: str, domain: dict[str, Any], text: str, name: str
) -> None:
    said = await _answer("ask_housing", text, domain)
    assert said.lstrip().startswith("**") and name in said.split("\n")[0]
    assert "1. **" not in said
