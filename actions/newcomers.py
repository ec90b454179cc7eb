"""Newcomers: the personalised welcome kit (destination, household, needs -> private page and PDF)."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.answer_texts import answer_text
from actions.forms import (
    QuestionAwareForm,
    StoreWithConsent,
    checked,
    commune_answer,
    commune_from_entities,
    typed_text,
)
from actions.kb_access import answers_only, entity_values, kb_call, latest_intent, response_text
from actions.understanding.flow_guard import (
    answer_before_the_kit,
    answer_instead,
    wants_welcome_kit,
)
from actions.understanding.job_search import spouse_seeks_own_work
from actions.understanding.safety import route_typed_first
from actions.validators import Children, parse_children, parse_needs, spouse_seeks_work
from bot.privacy import pseudonym
from bot.settings import get_settings
from knowledge.kit import Household, build_kit_content
from knowledge.requests import Consent, create_welcome_kit
from knowledge.text import normalise

logger = logging.getLogger(__name__)

KIT_SLOTS = [
    "kit_commune",
    "kit_commune_insee",
    "kit_children",
    "kit_spouse",
    "kit_needs",
    "kit_consent",
]
COMMUNE_SLOTS = ("kit_commune", "kit_commune_insee")
_YES = re.compile(
    r"^(oui|ouais|yes|ok|exact|tout a fait|bien sur|elle cherche|il cherche|affirm)\b"
)
_NO = re.compile(
    r"^(non|no|nan|pas de conjoint|je suis seul|seul|seule|celibataire|aucun|personne|il travaille|elle travaille|deny)\b"
)


def children_slot(children: Children) -> str:
    """Children as stored in the slot: "<count>:<age>,<age>"."""
    return f"{children.count}:" + ",".join(str(age) for age in children.ages)


def household_from_slots(children: str | None, spouse: str | None) -> Household:
    """The household from the form's slots."""
    count_text, _, ages_text = (children or "0:").partition(":")
    ages = tuple(int(age) for age in ages_text.split(",") if age.isdigit())
    return Household(int(count_text or 0), ages, spouse == "yes")


def kit_filename(commune_name: str) -> str:
    """A safe file name such as ``kit-accueil-carhaix-plouguer.pdf``."""
    slug = normalise(commune_name).replace(" ", "-") or "commune"
    return f"kit-accueil-{slug}.pdf"


class ActionPrefillWelcomeKit(Action):
    """Keep what the first message said ("je déménage à Carhaix avec ma femme et 2 enfants")."""

    def name(self) -> str:
        """Name in the domain."""
        return "action_prefill_welcome_kit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Announce the kit and set the slots the message already answers."""
        routed = route_typed_first(dispatcher, tracker)
        if routed is not None:
            return routed
        if not wants_welcome_kit(typed_text(tracker)):
            return await answer_instead(dispatcher, tracker, domain)
        answered, kit_may_start = await answer_before_the_kit(dispatcher, tracker, domain)
        if not kit_may_start:
            return answered
        dispatcher.utter_message(response="utter_kit_start")
        events: list[EventType] = [*answered, *(SlotSet(slot, None) for slot in KIT_SLOTS)]
        text = typed_text(tracker)
        events += await commune_from_entities(tracker, COMMUNE_SLOTS)
        children = (
            parse_children(text) if re.search(r"enfant|bebe|fils|fille", normalise(text)) else None
        )
        if children is not None:
            events.append(SlotSet("kit_children", children_slot(children)))
        if spouse_seeks_work(text):
            events.append(SlotSet("kit_spouse", "yes"))
        return events


class ValidateWelcomeKitForm(QuestionAwareForm):
    """Check each answer of the kit form."""

    def name(self) -> str:
        """Name in the domain."""
        return "validate_welcome_kit_form"

    @answers_only
    async def validate_kit_commune(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The destination commune, found in the territory table."""
        places = entity_values(tracker, "place")[:1]
        invalid = "utter_kit_invalid_commune"
        return await commune_answer(
            COMMUNE_SLOTS, str(value or ""), dispatcher, invalid, names=places
        )

    @answers_only
    def validate_kit_children(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Number and ages of the children ("non" is zero)."""
        text = str(value or "")
        children = Children(0, ()) if latest_intent(tracker) == "deny" else parse_children(text)
        slot = children_slot(children) if children is not None else None
        if spouse_seeks_own_work(text):
            # "moi je suis aide-soignante et je cherche un poste, mon mari a déjà son travail":
            # the partner writes about herself; the kit gets its spouse employment part, and the
            # children question comes again only if this message did not answer it.
            dispatcher.utter_message(text=answer_text("kit_own_job_noted"))
            return {"kit_children": slot, "kit_spouse": "yes"}
        invalid = "utter_kit_invalid_children"
        return checked("kit_children", slot, dispatcher, invalid, typed=text)

    @answers_only
    def validate_kit_spouse(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Whether a spouse or partner looks for work: yes or no."""
        text = str(value or "")
        words = normalise(text)
        intent = latest_intent(tracker)
        if intent == "affirm" or _YES.match(words) or spouse_seeks_work(words):
            return {"kit_spouse": "yes"}
        if intent == "deny" or _NO.match(words):
            return {"kit_spouse": "no"}
        return checked("kit_spouse", None, dispatcher, "utter_kit_invalid_spouse", typed=text)

    @answers_only
    def validate_kit_needs(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The needs among housing, childcare, schools, transport, leisure, spouse's job."""
        text = str(value or "")
        needs = parse_needs(text)
        if needs and tracker.get_slot("kit_spouse") == "yes" and "spouse_job" not in needs:
            needs.append("spouse_job")
        codes = ",".join(needs) or None
        return checked("kit_needs", codes, dispatcher, "utter_kit_invalid_needs", typed=text)


def _create_kit(
    session: Session, tracker: Tracker, owner: str, consent: Consent
) -> tuple[str, bool]:
    insee, name = str(tracker.get_slot("kit_commune_insee")), str(tracker.get_slot("kit_commune"))
    household = household_from_slots(
        tracker.get_slot("kit_children"), tracker.get_slot("kit_spouse")
    )
    needs = [need for need in str(tracker.get_slot("kit_needs") or "").split(",") if need]
    content = build_kit_content(
        session, commune_insee=insee, commune_name=name, household=household, needs=needs
    )
    kit = create_welcome_kit(
        session, owner=owner, consent=consent, commune_insee=insee, commune_name=name,
        household=household.as_dict(), needs=needs, content=content,
    )  # fmt: skip
    return kit.token, bool(content["thin_territory"])


class ActionCreateWelcomeKit(StoreWithConsent):
    """Build and store the kit, then send its private link and its PDF."""

    slots = KIT_SLOTS
    consent_slot = "kit_consent"
    consent_question = "utter_ask_kit_consent"
    refused_response = "utter_kit_not_created"

    def name(self) -> str:
        """Name in the domain."""
        return "action_create_welcome_kit"

    async def store(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        owner: str,
        consent: Consent,
    ) -> list[EventType]:
        """Create the kit and send it; the slots that remember it for what comes next."""
        name, insee = str(tracker.get_slot("kit_commune")), tracker.get_slot("kit_commune_insee")
        dispatcher.utter_message(response="utter_kit_working", commune_name=name)
        try:
            token, thin = await kb_call(
                lambda session: _create_kit(session, tracker, owner, consent)
            )
        except Exception:  # the person must get an answer whatever failed underneath
            logger.exception("welcome kit failed for %s", pseudonym(tracker.sender_id or ""))
            dispatcher.utter_message(response="utter_kit_failed")
            return []
        logger.info("welcome kit created for %s", pseudonym(tracker.sender_id or ""))
        base_url = get_settings().base_url
        dispatcher.utter_message(
            response="utter_kit_ready", commune_name=name, url=f"{base_url}/kit/{quote(token)}"
        )
        caption = response_text(domain, "utter_kit_document_caption", commune_name=name)
        dispatcher.utter_message(
            json_message={
                "document": {
                    "url": f"/kit/{quote(token)}.pdf",
                    "filename": kit_filename(name),
                    "caption": caption,
                }
            }
        )
        if thin:
            dispatcher.utter_message(response="utter_kit_thin_territory", commune_name=name)
        spouse = tracker.get_slot("kit_spouse") == "yes"
        dispatcher.utter_message(
            response="utter_kit_offer_spouse_cv" if spouse else "utter_kit_next"
        )
        return [SlotSet("kit_token", token), SlotSet("kit_spouse", "yes" if spouse else "no"),
                SlotSet("commune_insee", insee), SlotSet("commune_name", name)]  # fmt: skip
