"""Sensitive situations: the hand-off payload carries the reason "sensitive"."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.sensitive import ActionSensitiveHandoff
from tests.factories import make_tracker, user_event


async def test_accepting_an_adviser_sends_a_sensitive_handoff(domain: dict[str, Any]) -> None:
    tracker = make_tracker(
        events=[
            user_event("report_work_problem", "ma boite me paye plus depuis 2 mois"),
            {"event": "bot", "text": "..."},
            user_event("affirm", "oui"),
        ]
    )
    dispatcher = CollectingDispatcher()
    events = await ActionSensitiveHandoff().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_handoff_requested"
    # The adviser reads the person's own words about the situation.
    assert dispatcher.messages[1]["custom"] == {
        "handoff": {"reason": "sensitive", "summary": "ma boite me paye plus depuis 2 mois"}
    }
    assert events == []  # no form was open: nothing to leave


async def test_without_a_reported_situation_the_reason_stays_sensitive(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    await ActionSensitiveHandoff().run(
        dispatcher, make_tracker(events=[user_event("affirm", "oui")]), domain
    )
    assert dispatcher.messages[1]["custom"]["handoff"]["reason"] == "sensitive"
