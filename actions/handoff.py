"""Hand-off to a human adviser: the bot asks the gateway to open a ticket.

The gateway (channels/console) reads the payload `{"handoff": {"reason", "summary"}}`, fetches the
tracker for the adviser's context packet and tells the person the wait, or offers a call-back.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

REASON_ASKED = "asked_for_human"
REASON_FRUSTRATION = "frustration"
REASON_MISUNDERSTANDING = "repeated_misunderstanding"
MAX_SUMMARY_CHARS = 200
# Messages that say nothing of the person's need.
_NOT_A_NEED = {
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "request_human",
    "express_frustration",
    "bot_challenge",
    "ask_capabilities",
    "handoff_ended",
    "stop",
}


def _user_events(tracker: Tracker) -> list[dict[str, Any]]:
    return [event for event in tracker.events if event.get("event") == "user"]


def _intent(event: dict[str, Any]) -> str:
    return str((event.get("parse_data") or {}).get("intent", {}).get("name"))


def summary_of(tracker: Tracker) -> str:
    """The person's latest words about their need (their own text, never ours)."""
    for event in reversed(_user_events(tracker)):
        text = str(event.get("text") or "").strip()
        if text and not text.startswith("/") and _intent(event) not in _NOT_A_NEED:
            return text[:MAX_SUMMARY_CHARS]
    return ""


def reason_of(tracker: Tracker) -> str:
    """Why the person reaches a human: frustration just before, else a plain request."""
    previous = [_intent(event) for event in _user_events(tracker)][-3:-1]
    return REASON_FRUSTRATION if "express_frustration" in previous else REASON_ASKED


def handoff_payload(reason: str, tracker: Tracker) -> dict[str, Any]:
    """The custom payload the gateway turns into a ticket."""
    return {"handoff": {"reason": reason, "summary": summary_of(tracker)}}


class ActionRequestHuman(Action):
    """Tell the person what happens next and send the hand-off payload to the gateway."""

    def name(self) -> str:
        """Name in the domain."""
        return "action_request_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Utter the hand-off message and the machine-readable request."""
        dispatcher.utter_message(response="utter_handoff_requested")
        dispatcher.utter_message(json_message=handoff_payload(reason_of(tracker), tracker))
        return stop_any_form(tracker)


def stop_any_form(tracker: Tracker) -> list[EventType]:
    """Leave a form the person was in: otherwise its question comes back after the hand-off
    message, and the gateway's `/handoff_ended` would later be read as an answer."""
    if not tracker.active_loop_name:
        return []
    return [ActiveLoop(None), SlotSet("requested_slot", None)]
