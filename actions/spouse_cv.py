"""Spouse CV bank: record a spouse's profile with consent; see it and delete it at any time."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.answer_texts import answer_text
from actions.forms import (
    QuestionAwareForm,
    StoreWithConsent,
    checked,
    commune_answer,
    free_text_answer,
    looks_like_question,
)
from actions.kb_access import answers_only, conversation_owner, kb_call, latest_intent
from actions.understanding.flow_guard import answer_instead, wants_spouse_cv
from actions.understanding.job_search import spouse_seeks_own_work
from actions.understanding.safety import route_typed_first
from actions.validators import (
    clean_free_text,
    normalise_email,
    normalise_french_phone,
    read_job_answer,
)
from bot.privacy import pseudonym
from knowledge.requests import (
    Consent,
    create_spouse_profile,
    delete_spouse_profiles,
    get_spouse_profile,
)

logger = logging.getLogger(__name__)

SPOUSE_SLOTS = [
    "spouse_job", "spouse_skills", "spouse_availability", "spouse_commune",
    "spouse_commune_insee", "spouse_contact", "spouse_consent",
]  # fmt: skip
MAX_SKILLS = 300
INVALID_TEXT = "utter_spouse_invalid_text"


def split_contact(contact: str) -> tuple[str | None, str | None]:
    """(e-mail, phone) from the validated contact slot."""
    email = normalise_email(contact)
    return (email, None) if email else (None, normalise_french_phone(contact))


class ActionPrefillSpouseCv(Action):
    """Explain the CV bank and start from a clean form."""

    def name(self) -> str:
        """Name in the domain."""
        return "action_prefill_spouse_cv"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Say who sees the profile and how to delete it, then reset the form."""
        routed = route_typed_first(dispatcher, tracker, here=self.name())
        if routed is not None:
            return routed
        text = str(tracker.latest_message.get("text") or "")
        if not wants_spouse_cv(text):
            return await answer_instead(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_spouse_start")
        if spouse_seeks_own_work(text):
            # The partner writes about herself: the form's questions say "votre conjoint".
            dispatcher.utter_message(text=answer_text("spouse_self_note"))
        events: list[EventType] = [SlotSet(slot, None) for slot in SPOUSE_SLOTS]
        if latest_intent(tracker) != "spouse_cv":
            # Reached from another area ("je suis la femme d'un nouveau salarié, je cherche du
            # boulot" read as a move or a question): no rule starts the form, so start it here.
            events.append(FollowupAction("spouse_cv_form"))
        return events


class ValidateSpouseCvForm(QuestionAwareForm):
    """Check each answer of the spouse profile."""

    def name(self) -> str:
        """Name in the domain."""
        return "validate_spouse_cv_form"

    @answers_only
    def validate_spouse_job(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Job sought: the title out of a sentence; experience said with it fills the next slot."""
        text = str(value or "")
        found = None if looks_like_question(text) else read_job_answer(text)
        if found is None:
            return free_text_answer("spouse_job", value, dispatcher, INVALID_TEXT)
        slots = free_text_answer("spouse_job", found.title, dispatcher, INVALID_TEXT)
        if slots["spouse_job"] and found.experience and not tracker.get_slot("spouse_skills"):
            slots["spouse_skills"] = clean_free_text(found.experience, MAX_SKILLS)
        return slots

    @answers_only
    def validate_spouse_skills(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Skills and experience, a sentence or two."""
        return free_text_answer("spouse_skills", value, dispatcher, INVALID_TEXT, MAX_SKILLS)

    @answers_only
    def validate_spouse_availability(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Availability, as said."""
        return free_text_answer("spouse_availability", value, dispatcher, INVALID_TEXT)

    @answers_only
    async def validate_spouse_commune(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Commune where the spouse looks for work."""
        return await commune_answer(
            ("spouse_commune", "spouse_commune_insee"),
            str(value or ""),
            dispatcher,
            "utter_spouse_invalid_commune",
        )

    @answers_only
    def validate_spouse_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """An e-mail address or a French phone number."""
        text = str(value or "")
        contact = normalise_email(text) or normalise_french_phone(text)
        invalid = "utter_spouse_invalid_contact"
        return checked("spouse_contact", contact, dispatcher, invalid, typed=text)


def _save(session: Session, tracker: Tracker, owner: str, consent: Consent) -> str:
    email, phone = split_contact(str(tracker.get_slot("spouse_contact") or ""))
    fields = {
        "job_title": tracker.get_slot("spouse_job"),
        "skills": tracker.get_slot("spouse_skills"),
        "availability": tracker.get_slot("spouse_availability"),
        "commune_insee": tracker.get_slot("spouse_commune_insee"),
        "commune_name": tracker.get_slot("spouse_commune"),
        "contact_email": email,
        "contact_phone": phone,
    }
    return str(
        create_spouse_profile(session, owner=owner, consent=consent, fields=fields).reference
    )


class ActionSaveSpouseProfile(StoreWithConsent):
    """Store the profile with the consent text shown, or nothing without consent."""

    slots = SPOUSE_SLOTS
    consent_slot = "spouse_consent"
    consent_question = "utter_ask_spouse_consent"
    refused_response = "utter_spouse_not_saved"

    def name(self) -> str:
        """Name in the domain."""
        return "action_save_spouse_profile"

    async def store(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        owner: str,
        consent: Consent,
    ) -> list[EventType]:
        """Save and give the reference (the answers are forgotten in the conversation)."""
        reference = await kb_call(lambda session: _save(session, tracker, owner, consent))
        logger.info(
            "spouse profile %s stored for %s", reference, pseudonym(tracker.sender_id or "")
        )
        dispatcher.utter_message(response="utter_spouse_saved", reference=reference)
        return []


class ActionShowSpouseProfile(Action):
    """Show the profile recorded from this conversation."""

    def name(self) -> str:
        """Name in the domain."""
        return "action_show_spouse_profile"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """The stored profile, or say there is none."""
        owner = conversation_owner(tracker)

        def read(session: Session) -> dict[str, str] | None:
            profile = get_spouse_profile(session, owner)
            if profile is None:
                return None
            return {
                "reference": str(profile.reference),
                "created": profile.created_at.strftime("%d/%m/%Y"),
                "job": profile.job_title,
                "skills": profile.skills,
                "availability": profile.availability,
                "commune": profile.commune_name,
                "contact": profile.contact_email or profile.contact_phone or "",
            }

        shown = await kb_call(read)
        if shown is None:
            dispatcher.utter_message(response="utter_spouse_no_profile")
        else:
            dispatcher.utter_message(response="utter_spouse_profile", **shown)
        return []


class ActionDeleteSpouseProfile(Action):
    """Delete the profile (after the person confirmed)."""

    def name(self) -> str:
        """Name in the domain."""
        return "action_delete_spouse_profile"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Delete every profile of this conversation and say so."""
        owner = conversation_owner(tracker)
        deleted = await kb_call(lambda session: delete_spouse_profiles(session, owner))
        logger.info(
            "spouse profiles deleted for %s: %d", pseudonym(tracker.sender_id or ""), deleted
        )
        dispatcher.utter_message(
            response="utter_spouse_deleted" if deleted else "utter_spouse_no_profile"
        )
        return []
