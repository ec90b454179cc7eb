"""What the employer and newcomer forms share: reading an answer, finding the commune a message
names, and storing the answers only with the consent the person gave.

The forms differ only in their slots and response names, passed in by each caller.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Sequence
from functools import partial
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.kb_access import (
    Commune,
    conversation_owner,
    entity_values,
    find_commune,
    kb_call,
    latest_text,
    response_text,
)
from actions.validators import MAX_FREE_TEXT, clean_free_text
from knowledge.requests import Consent


def checked(
    slot: str, value: Any, dispatcher: CollectingDispatcher, invalid_response: str
) -> dict[str, Any]:
    """``{slot: value}``; None (the answer cannot be used) also says why, so the re-ask is clear."""
    if value is None:
        dispatcher.utter_message(response=invalid_response)
    return {slot: value}


def free_text_answer(
    slot: str,
    value: Any,
    dispatcher: CollectingDispatcher,
    invalid_response: str,
    max_length: int = MAX_FREE_TEXT,
) -> dict[str, Any]:
    """A short free answer (company, job, skills) without markup."""
    cleaned = clean_free_text(str(value or ""), max_length=max_length)
    return checked(slot, cleaned, dispatcher, invalid_response)


async def commune_answer(
    slots: tuple[str, str],
    texts: Sequence[str],
    dispatcher: CollectingDispatcher,
    invalid_response: str,
) -> dict[str, Any]:
    """The first of ``texts`` that names a commune, as the form's (name, INSEE code) slots."""

    def first_commune(session: Session) -> Commune | None:
        return next((found for text in texts if (found := find_commune(session, text))), None)

    name_slot, insee_slot = slots
    commune = await kb_call(first_commune)
    if commune is None:
        dispatcher.utter_message(response=invalid_response)
        return {name_slot: None, insee_slot: None}
    return {name_slot: commune.name, insee_slot: commune.insee}


def typed_text(tracker: Tracker) -> str:
    """The latest message as the person typed it; empty for a button payload ("/intent")."""
    text = latest_text(tracker)
    return "" if text.startswith("/") else text


async def commune_from_entities(tracker: Tracker, slots: tuple[str, str]) -> list[EventType]:
    """The (name, INSEE code) slots of the first ``place`` entity that names a commune."""
    name_slot, insee_slot = slots
    for place in entity_values(tracker, "place"):
        commune = await kb_call(partial(find_commune, text=place))
        if commune:
            return [SlotSet(name_slot, commune.name), SlotSet(insee_slot, commune.insee)]
    return []


class StoreWithConsent(Action, ABC):
    """Store a form's answers only when the person consented, then forget them in the chat.

    The consent kept with the record is the very question the person answered (its domain
    response) and the time; without consent nothing is stored. Either way the form's slots
    are cleared, so that personal answers do not linger in the conversation.
    """

    slots: Sequence[str] = ()
    consent_slot = ""
    consent_question = ""
    refused_response = ""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Store with consent, or say that nothing was stored."""
        reset: list[EventType] = [SlotSet(slot, None) for slot in self.slots]
        if tracker.get_slot(self.consent_slot) != "yes":
            dispatcher.utter_message(response=self.refused_response)
            return reset
        consent = Consent(
            response_text(domain, self.consent_question), dt.datetime.now(dt.timezone.utc)
        )
        owner = conversation_owner(tracker)
        return [*reset, *await self.store(dispatcher, tracker, domain, owner, consent)]

    @abstractmethod
    async def store(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        owner: str,
        consent: Consent,
    ) -> list[EventType]:
        """Store the answers and tell the person; returns the events to set after the reset."""
