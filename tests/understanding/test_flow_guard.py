"""Forms start only when asked for (issue 11: wrong flows started)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.newcomers import ActionPrefillWelcomeKit
from actions.understanding.flow_guard import wants_spouse_cv, wants_welcome_kit
from tests.factories import make_tracker, user_event


@pytest.mark.parametrize(
    ("message", "kit"),
    [
        ("on demenage a brest en mars avec les enfants", True),
        ("je viens d etre mutee a lens, par ou commencer ?", True),
        ("/newcomer_kit", True),
        ("y a une creche a brest ?", False),
        ("mon fils a 3 ans", False),
    ],
)
def test_the_welcome_kit_needs_a_move(message: str, kit: bool) -> None:
    assert wants_welcome_kit(message) is kit


def test_the_spouse_cv_bank_needs_a_cv_or_the_spouse_s_work() -> None:
    assert wants_spouse_cv("ma femme cherche du travail a rennes")
    assert wants_spouse_cv("je voudrais deposer le cv de mon mari")
    assert not wants_spouse_cv("on arrive a nevers, y a quoi pour les nouveaux habitants ?")


async def test_a_question_read_as_a_kit_request_is_answered_and_no_form_starts(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(events=[user_event("newcomer_kit", "logement pour mon alternance")])
    events = await ActionPrefillWelcomeKit().run(dispatcher, tracker, domain)
    assert "utter_kit_start" not in [m.get("response") for m in dispatcher.messages]
    assert dispatcher.messages[0].get("text")
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "action_listen"}
