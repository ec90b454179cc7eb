"""Sensitive situations: after the emergency or rights contact, hand off if the person agrees."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handoff import stop_any_form, summary_of

REASON_SENSITIVE = "sensitive"
SENSITIVE_INTENTS = ("report_work_problem", "report_violence", "report_no_housing")


def last_sensitive_intent(tracker: Tracker) -> str | None:
    """The situation the person reported last (a machine code for the adviser's context)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if name in SENSITIVE_INTENTS:
                return str(name)
    return None


class ActionSensitiveHandoff(Action):
    """The person accepted an adviser after reporting a sensitive situation."""

    def name(self) -> str:
        return "action_sensitive_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_handoff_requested")
        # The adviser reads the person's own words, not an intent name.
        handoff = {"reason": REASON_SENSITIVE, "summary": summary_of(tracker)}
        dispatcher.utter_message(json_message={"handoff": handoff})
        # Leave any open form, or its question would come back after the hand-off message.
        return stop_any_form(tracker)
