"""Passing on a hiring need: prefill from the first message, validate each answer.

The summary, corrections and storage are in ``hiring_lead_confirm``; the slots in
``hiring_lead_fields``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms import (
    QuestionAwareForm,
    checked,
    commune_answer,
    commune_from_entities,
    free_text_answer,
    typed_text,
)
from actions.hiring_lead_confirm import (
    ActionAskLeadConfirmed,
    ActionCorrectLeadField,
    ActionSaveHiringLead,
)
from actions.hiring_lead_fields import LEAD_SLOTS, NO_SIRET
from actions.kb_access import answers_only, entity_values, latest_intent
from actions.validators import (
    clean_free_text,
    normalise_email,
    normalise_french_phone,
    normalise_siret,
    parse_contract,
    parse_count,
    parse_start_date,
)
from knowledge.text import normalise

# The confirmation actions used to live here; callers still import them from this module.
__all__ = [
    "ActionAskLeadConfirmed",
    "ActionCorrectLeadField",
    "ActionPrefillHiringLead",
    "ActionSaveHiringLead",
    "ValidateHiringLeadForm",
    "today",
]

_NO_ANSWER = re.compile(
    r"^(non|no|nan|pas de siret|je n ai pas|je ne l ai pas|je l ai pas|passer|pas sous la main|aucun|sais pas|je ne sais pas|plus tard|deny)\b"
)
COMMUNE_SLOTS = ("lead_commune", "lead_commune_insee")
_NAME = re.compile(r"^[^\W\d_][^\W\d_' .-]*(?:['’ .-]+[^\W\d_]+)*\.?$", re.UNICODE)


def today() -> dt.date:
    """Today's date (a function so that tests can fix it)."""
    return dt.date.today()


def _count_before_job(text: str, job: str) -> int | None:
    words = normalise(text).split()
    job_words = normalise(job).split()
    if not job_words or job_words[0] not in words:
        return None
    position = words.index(job_words[0])
    return parse_count(words[position - 1], maximum=999) if position else None


class ActionPrefillHiringLead(Action):
    """Keep what the first message already said ("2 caristes en CDI à partir de mars")."""

    def name(self) -> str:
        """Name in the domain."""
        return "action_prefill_hiring_lead"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Announce the form and set the slots the message answers."""
        dispatcher.utter_message(response="utter_lead_start")
        text = typed_text(tracker)
        events: list[EventType] = [SlotSet(slot, None) for slot in LEAD_SLOTS]
        jobs = entity_values(tracker, "job")
        if jobs and clean_free_text(jobs[0]):
            events.append(SlotSet("lead_job", clean_free_text(jobs[0])))
            count = _count_before_job(text, jobs[0])
            if count:
                events.append(SlotSet("lead_positions", str(count)))
        contract = parse_contract(" ".join(entity_values(tracker, "contract")) or text)
        if contract:
            events.append(SlotSet("lead_contract", contract))
        start = parse_start_date(text, today()) if text else None
        if start:
            events.append(SlotSet("lead_start", start.isoformat()))
        return events + await commune_from_entities(tracker, COMMUNE_SLOTS)


class ValidateHiringLeadForm(QuestionAwareForm):
    """Check each answer; an invalid one gets a clear re-ask."""

    def name(self) -> str:
        """Name in the domain."""
        return "validate_hiring_lead_form"

    @answers_only
    def validate_lead_company(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Company name: short text without markup."""
        return free_text_answer("lead_company", value, dispatcher, "utter_lead_invalid_company")

    @answers_only
    def validate_lead_siret(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """SIRET: optional, but a given one must pass the checksum."""
        text = str(value or "")
        if (
            text == NO_SIRET
            or latest_intent(tracker) == "deny"
            or _NO_ANSWER.match(normalise(text))
        ):
            return {"lead_siret": NO_SIRET}
        siret = normalise_siret(text)
        return checked("lead_siret", siret, dispatcher, "utter_lead_invalid_siret", typed=text)

    @answers_only
    def validate_lead_sector(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Sector: short text."""
        return free_text_answer("lead_sector", value, dispatcher, "utter_lead_invalid_sector")

    @answers_only
    def validate_lead_job(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Job title: short text."""
        return free_text_answer("lead_job", value, dispatcher, "utter_lead_invalid_job")

    @answers_only
    def validate_lead_positions(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Number of posts, in digits or words."""
        text = str(value or "")
        count = parse_count(text)
        positions = str(count) if count else None
        invalid = "utter_lead_invalid_positions"
        return checked("lead_positions", positions, dispatcher, invalid, typed=text)

    @answers_only
    def validate_lead_contract(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Contract type."""
        text = str(value or "")
        contract = parse_contract(text)
        invalid = "utter_lead_invalid_contract"
        return checked("lead_contract", contract, dispatcher, invalid, typed=text)

    @answers_only
    def validate_lead_start(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Start date, today or later."""
        text = str(value or "")
        start = parse_start_date(text, today())
        iso = start.isoformat() if start else None
        return checked("lead_start", iso, dispatcher, "utter_lead_invalid_start", typed=text)

    @answers_only
    async def validate_lead_commune(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Commune, found in the territory table."""
        return await commune_answer(
            COMMUNE_SLOTS, str(value or ""), dispatcher, "utter_lead_invalid_commune"
        )

    @answers_only
    def validate_lead_contact_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Contact name: letters, spaces, hyphens and apostrophes."""
        text = str(value or "")
        name = clean_free_text(text, max_length=100)
        valid = name if name and _NAME.match(name) else None
        invalid = "utter_lead_invalid_contact_name"
        return checked("lead_contact_name", valid, dispatcher, invalid, typed=text)

    @answers_only
    def validate_lead_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """E-mail address."""
        text = str(value or "")
        email = normalise_email(text)
        return checked("lead_email", email, dispatcher, "utter_lead_invalid_email", typed=text)

    @answers_only
    def validate_lead_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """French phone number."""
        text = str(value or "")
        phone = normalise_french_phone(text)
        return checked("lead_phone", phone, dispatcher, "utter_lead_invalid_phone", typed=text)

    @answers_only
    def validate_lead_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """ "No" at the summary means: which answer to correct?"""
        if value == "yes":
            return {"lead_confirmed": "yes"}
        dispatcher.utter_message(response="utter_ask_which_field")
        return {"lead_confirmed": None}
