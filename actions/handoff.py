"""Hand-off to a human adviser: the bot asks the gateway to open a ticket."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

REASON_ASKED = "asked_for_human"


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
        dispatcher.utter_message(json_message={"handoff": {"reason": REASON_ASKED}})
        return []
