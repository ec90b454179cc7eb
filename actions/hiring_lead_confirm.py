"""The end of the hiring need: summary, corrections, storage with consent."""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms import StoreWithConsent
from actions.hiring_lead_fields import FIELD_SLOTS, LEAD_SLOTS, lead_fields, lead_summary
from actions.kb_access import entity_values, kb_call, latest_intent
from bot.privacy import pseudonym
from knowledge.requests import Consent, create_employer_lead

logger = logging.getLogger(__name__)


class ActionAskLeadConfirmed(Action):
    """Show the summary with the answers before asking to confirm."""

    def name(self) -> str:
        """Name in the domain."""
        return "action_ask_lead_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Summary, unless the person was just asked which answer to correct."""
        asked_which = latest_intent(tracker) in ("deny", "correct_field") and not tracker.get_slot(
            "lead_field"
        )
        if not asked_which:
            dispatcher.utter_message(response="utter_lead_summary", **lead_summary(tracker, domain))
        return []


class ActionCorrectLeadField(Action):
    """Clear the answer to correct, so that the form asks it again, then confirms again."""

    def name(self) -> str:
        """Name in the domain."""
        return "action_correct_lead_field"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Reset the named field, or ask which one."""
        field = (entity_values(tracker, "lead_field") or [tracker.get_slot("lead_field") or ""])[0]
        slot = FIELD_SLOTS.get(str(field))
        if slot is None:
            dispatcher.utter_message(response="utter_ask_which_field")
            return [SlotSet("lead_field", None), SlotSet("lead_confirmed", None)]
        dispatcher.utter_message(response="utter_lead_field_cleared")
        events: list[EventType] = [
            SlotSet(slot, None),
            SlotSet("lead_confirmed", None),
            SlotSet("lead_field", None),
        ]
        if slot == "lead_commune":
            events.append(SlotSet("lead_commune_insee", None))
        return events


class ActionSaveHiringLead(StoreWithConsent):
    """Store the lead with the consent text shown, give the reference, forget the answers."""

    slots = LEAD_SLOTS
    consent_slot = "lead_consent"
    consent_question = "utter_ask_lead_consent"
    refused_response = "utter_lead_not_saved"

    def name(self) -> str:
        """Name in the domain."""
        return "action_save_hiring_lead"

    async def store(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        owner: str,
        consent: Consent,
    ) -> list[EventType]:
        """Save the lead and give its reference."""
        fields = lead_fields(tracker)
        reference = await kb_call(
            lambda session: str(
                create_employer_lead(session, owner=owner, consent=consent, fields=fields).reference
            )
        )
        logger.info("employer lead %s stored for %s", reference, pseudonym(tracker.sender_id or ""))
        dispatcher.utter_message(response="utter_lead_saved", reference=reference)
        return []
