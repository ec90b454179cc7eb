"""Where to go: a question about a support structure gets its contact or the official finder."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.schemes import ActionSearchSchemes
from actions.understanding.structures import kind_asked
from tests.actions.schemes_kb import ROUBAIX
from tests.factories import make_tracker, user_event


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("mission locale roubaix", "mission_locale"),
        ("ou est la mission locale la plus proche ?", "mission_locale"),
        ("le plie c ou", "plie"),
        ("comment contacter ma caf", "caf"),
        ("la caf peut m aider pour payer le loyer de mon studio ?", None),
        ("je suis suivi par la mission locale et je cherche un logement", None),
    ],
)
def test_a_structure_asked_as_a_place_to_go(message: str, kind: str | None) -> None:
    assert kind_asked(message) == kind


async def test_the_local_structure_is_given_for_the_person_s_commune(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(
        slots={"commune_insee": ROUBAIX, "commune_name": "Roubaix"},
        events=[user_event("ask_support_network", "ou est la mission locale ?")],
    )
    dispatcher = CollectingDispatcher()
    await ActionSearchSchemes().run(dispatcher, tracker, domain)
    text = dispatcher.messages[0]["text"]
    assert "Roubaix" in text.splitlines()[0]
    assert "ission locale" in text
    assert dispatcher.messages[0]["buttons"][-1]["payload"] == "/request_human"
