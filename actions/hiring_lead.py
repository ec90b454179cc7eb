"""Passing on a hiring need: prefill from the first message, validate each answer, correct, store."""

from __future__ import annotations

import datetime as dt
import logging
import re
from functools import partial
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.kb_access import (
    answers_only,
    conversation_owner,
    entity_values,
    find_commune,
    kb_call,
    latest_intent,
    latest_text,
    response_text,
)
from actions.validators import (
    clean_free_text,
    normalise_email,
    normalise_french_phone,
    normalise_siret,
    parse_contract,
    parse_count,
    parse_start_date,
)
from bot.privacy import pseudonym
from knowledge.requests import Consent, create_employer_lead
from knowledge.text import normalise

logger = logging.getLogger(__name__)

FORM = "hiring_lead_form"
NO_SIRET = "none"
# lead_field entity values -> the slot to ask again.
FIELD_SLOTS = {
    "company": "lead_company",
    "siret": "lead_siret",
    "sector": "lead_sector",
    "job": "lead_job",
    "positions": "lead_positions",
    "contract": "lead_contract",
    "start": "lead_start",
    "commune": "lead_commune",
    "contact_name": "lead_contact_name",
    "email": "lead_email",
    "phone": "lead_phone",
}
LEAD_SLOTS = [
    *FIELD_SLOTS.values(),
    "lead_commune_insee",
    "lead_confirmed",
    "lead_consent",
    "lead_field",
]
_NO_ANSWER = re.compile(
    r"^(non|no|nan|pas de siret|je n ai pas|je ne l ai pas|je l ai pas|passer|pas sous la main|aucun|sais pas|je ne sais pas|plus tard|deny)\b"
)
_NAME = re.compile(r"^[^\W\d_][^\W\d_' .-]*(?:['’ .-]+[^\W\d_]+)*\.?$", re.UNICODE)


def today() -> dt.date:
    """Today's date (a function so that tests can fix it)."""
    return dt.date.today()


def contract_label(domain: DomainDict, code: str | None) -> str:
    """The French label of a contract code."""
    return response_text(domain, f"utter_label_contract_{code}") or str(code or "")


def lead_summary(tracker: Tracker, domain: DomainDict) -> dict[str, str]:
    """The answers as shown to the employer before confirming."""
    siret = tracker.get_slot("lead_siret")
    start = tracker.get_slot("lead_start")
    return {
        "company": str(tracker.get_slot("lead_company") or ""),
        "siret": response_text(domain, "utter_label_no_siret")
        if siret in (None, NO_SIRET)
        else str(siret),
        "sector": str(tracker.get_slot("lead_sector") or ""),
        "job": str(tracker.get_slot("lead_job") or ""),
        "positions": str(tracker.get_slot("lead_positions") or ""),
        "contract": contract_label(domain, tracker.get_slot("lead_contract")),
        "start": dt.date.fromisoformat(start).strftime("%d/%m/%Y") if start else "",
        "commune": str(tracker.get_slot("lead_commune") or ""),
        "contact_name": str(tracker.get_slot("lead_contact_name") or ""),
        "email": str(tracker.get_slot("lead_email") or ""),
        "phone": str(tracker.get_slot("lead_phone") or ""),
    }


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
        text = latest_text(tracker) if not latest_text(tracker).startswith("/") else ""
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
        for place in entity_values(tracker, "place"):
            commune = await kb_call(partial(find_commune, text=place))
            if commune:
                events += [
                    SlotSet("lead_commune", commune.name),
                    SlotSet("lead_commune_insee", commune.insee),
                ]
                break
        return events


class ValidateHiringLeadForm(FormValidationAction):
    """Check each answer; an invalid one gets a clear re-ask."""

    def name(self) -> str:
        """Name in the domain."""
        return "validate_hiring_lead_form"

    @staticmethod
    def _free(value: Any, slot: str, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        cleaned = clean_free_text(str(value or ""))
        if cleaned is None:
            dispatcher.utter_message(response=f"utter_lead_invalid_{slot.removeprefix('lead_')}")
        return {slot: cleaned}

    @answers_only
    def validate_lead_company(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Company name: short text without markup."""
        return self._free(value, "lead_company", dispatcher)

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
        if siret is None:
            dispatcher.utter_message(response="utter_lead_invalid_siret")
        return {"lead_siret": siret}

    @answers_only
    def validate_lead_sector(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Sector: short text."""
        return self._free(value, "lead_sector", dispatcher)

    @answers_only
    def validate_lead_job(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Job title: short text."""
        return self._free(value, "lead_job", dispatcher)

    @answers_only
    def validate_lead_positions(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Number of posts, in digits or words."""
        count = parse_count(str(value or ""))
        if count is None:
            dispatcher.utter_message(response="utter_lead_invalid_positions")
        return {"lead_positions": str(count) if count else None}

    @answers_only
    def validate_lead_contract(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Contract type."""
        contract = parse_contract(str(value or ""))
        if contract is None:
            dispatcher.utter_message(response="utter_lead_invalid_contract")
        return {"lead_contract": contract}

    @answers_only
    def validate_lead_start(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Start date, today or later."""
        start = parse_start_date(str(value or ""), today())
        if start is None:
            dispatcher.utter_message(response="utter_lead_invalid_start")
        return {"lead_start": start.isoformat() if start else None}

    @answers_only
    async def validate_lead_commune(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Commune, found in the territory table."""
        text = str(value or "")
        commune = await kb_call(lambda session: find_commune(session, text))
        if commune is None:
            dispatcher.utter_message(response="utter_lead_invalid_commune")
            return {"lead_commune": None, "lead_commune_insee": None}
        return {"lead_commune": commune.name, "lead_commune_insee": commune.insee}

    @answers_only
    def validate_lead_contact_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Contact name: letters, spaces, hyphens and apostrophes."""
        name = clean_free_text(str(value or ""), max_length=100)
        if name is None or not _NAME.match(name):
            dispatcher.utter_message(response="utter_lead_invalid_contact_name")
            return {"lead_contact_name": None}
        return {"lead_contact_name": name}

    @answers_only
    def validate_lead_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """E-mail address."""
        email = normalise_email(str(value or ""))
        if email is None:
            dispatcher.utter_message(response="utter_lead_invalid_email")
        return {"lead_email": email}

    @answers_only
    def validate_lead_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """French phone number."""
        phone = normalise_french_phone(str(value or ""))
        if phone is None:
            dispatcher.utter_message(response="utter_lead_invalid_phone")
        return {"lead_phone": phone}

    @answers_only
    def validate_lead_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """ "No" at the summary means: which answer to correct?"""
        if value == "yes":
            return {"lead_confirmed": "yes"}
        dispatcher.utter_message(response="utter_ask_which_field")
        return {"lead_confirmed": None}


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


class ActionSaveHiringLead(Action):
    """Store the lead with the consent text shown, give the reference, forget the answers."""

    def name(self) -> str:
        """Name in the domain."""
        return "action_save_hiring_lead"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Save when consent was given; otherwise store nothing."""
        reset: list[EventType] = [SlotSet(slot, None) for slot in LEAD_SLOTS]
        if tracker.get_slot("lead_consent") != "yes":
            dispatcher.utter_message(response="utter_lead_not_saved")
            return reset
        fields = lead_fields(tracker)
        consent = Consent(
            response_text(domain, "utter_ask_lead_consent"), dt.datetime.now(dt.timezone.utc)
        )
        owner = conversation_owner(tracker)
        reference = await kb_call(
            lambda session: str(
                create_employer_lead(session, owner=owner, consent=consent, fields=fields).reference
            )
        )
        logger.info("employer lead %s stored for %s", reference, pseudonym(tracker.sender_id or ""))
        dispatcher.utter_message(response="utter_lead_saved", reference=reference)
        return reset


def lead_fields(tracker: Tracker) -> dict[str, Any]:
    """The validated answers as EmployerLead columns."""
    siret = tracker.get_slot("lead_siret")
    return {
        "company_name": tracker.get_slot("lead_company"),
        "siret": None if siret in (None, NO_SIRET) else siret,
        "sector": tracker.get_slot("lead_sector"),
        "job_title": tracker.get_slot("lead_job"),
        "positions": int(tracker.get_slot("lead_positions")),
        "contract_type": tracker.get_slot("lead_contract"),
        "start_date": dt.date.fromisoformat(tracker.get_slot("lead_start")),
        "commune_insee": tracker.get_slot("lead_commune_insee"),
        "commune_name": tracker.get_slot("lead_commune"),
        "contact_name": tracker.get_slot("lead_contact_name"),
        "email": tracker.get_slot("lead_email"),
        "phone": tracker.get_slot("lead_phone"),
    }
