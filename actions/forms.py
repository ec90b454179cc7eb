"""What the forms share: reading an answer, telling a question from an answer, finding the
commune a message names, and storing the answers only with the consent the person gave.

The forms differ only in their slots and response names, passed in by each caller.

A question asked while a form waits for an answer ("c'est quoi un GEIQ ?", "combien ça
coûte ?") must not become the answer. When the NLU is sure of a question intent, the form is
rejected (``QuestionAwareForm``): the rule for that intent answers, then the form asks its
question again. A text that only looks like a question is not taken as a free answer either:
the form says so and asks again (``checked``, ``free_text_answer``).
"""

from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from functools import partial
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.answer_texts import answer_text
from actions.kb_access import (
    Commune,
    conversation_owner,
    entity_values,
    find_commune,
    kb_call,
    latest_intent,
    latest_text,
    response_text,
)
from actions.understanding.flow_guard import answer_inside_a_form
from actions.validators import MAX_FREE_TEXT, clean_free_text
from knowledge.requests import Consent
from knowledge.search.place import PlaceMatch, resolve_place_candidates
from knowledge.text import normalise

NOT_AN_ANSWER = "utter_form_question_not_answer"
# Intents never meant as the answer to a form's question ("tu es un robot ?", "c'est quoi un
# GEIQ ?"): when the NLU is this sure of one, the person asked something else.
OFF_FORM_INTENTS = frozenset(
    {
        "bot_challenge",
        "ask_capabilities",
        "check_eligibility",
        "request_human",
        "ask_geiq",
        "ask_hiring_routes",
        "ask_scheme_details",
    }
)
QUESTION_MIN_CONFIDENCE = 0.7
MAX_HOMONYMS = 4
HOMONYM_MARGIN = 10
# How French questions open, once normalised ("qu'est-ce" -> "qu est ce"). Vocabulary to
# recognise, never text shown to people.
_QUESTION_OPENING = re.compile(
    r"^(?:et )?(?:c est (?:quoi|combien|qui|ou|pour quoi)|qu est ce|quest ce|pourquoi|comment|"
    r"combien|est ce qu|a quoi|quel|quelle|quels|quelles|quand|ou est|ou sont|ou trouver|"
    r"qui est|qui peut|ca coute|ca sert|ca veut dire|vous pouvez|pouvez vous|peut on|"
    r"puis je|dois je|faut il|y a t il|il y a t il|ya t il)\b"
)


def opens_as_question(text: str) -> bool:
    """The text opens the way a French question does ("pourquoi", "c'est quoi", "combien")."""
    return bool(_QUESTION_OPENING.match(normalise(text)))


def looks_like_question(text: str) -> bool:
    """A question by its form: ends with a question mark, or opens as a question."""
    return text.rstrip().endswith("?") or opens_as_question(text)


def asks_something_else(tracker: Tracker) -> bool:
    """The latest message is a question the NLU is sure of, not an answer to the form.

    Topic questions (``ask_housing``...) share their words with real answers ("logement" for
    the newcomer's needs, "transport" for a sector): only the way they open tells them apart.
    """
    intent = latest_intent(tracker)
    confidence = float((tracker.latest_message.get("intent") or {}).get("confidence") or 0.0)
    if confidence < QUESTION_MIN_CONFIDENCE:
        return False
    if intent in OFF_FORM_INTENTS:
        return True
    # "à partir de février, temps plein" may look out of scope to the NLU: it is an answer.
    # Only the way a message opens tells a real question ("c'est quoi…") from an answer.
    asking = intent.startswith("ask_") or intent == "out_of_scope"
    return asking and opens_as_question(latest_text(tracker))


def checked(
    slot: str,
    value: Any,
    dispatcher: CollectingDispatcher,
    invalid_response: str,
    *,
    typed: str = "",
) -> dict[str, Any]:
    """``{slot: value}``; None (the answer cannot be used) also says why, so the re-ask is clear:
    a question ``typed`` instead of an answer is told apart from an answer not understood."""
    if value is None:
        question = looks_like_question(typed)
        dispatcher.utter_message(response=NOT_AN_ANSWER if question else invalid_response)
    return {slot: value}


def free_text_answer(
    slot: str,
    value: Any,
    dispatcher: CollectingDispatcher,
    invalid_response: str,
    max_length: int = MAX_FREE_TEXT,
) -> dict[str, Any]:
    """A short free answer (company, job, skills) without markup, and not a question: a
    company name or a job title does not end with "?" nor open with "pourquoi"."""
    text = str(value or "")
    cleaned = None if looks_like_question(text) else clean_free_text(text, max_length=max_length)
    return checked(slot, cleaned, dispatcher, invalid_response, typed=text)


async def commune_answer(
    slots: tuple[str, str],
    typed: str,
    dispatcher: CollectingDispatcher,
    invalid_response: str,
    *,
    names: Sequence[str] = (),
) -> dict[str, Any]:
    """The commune of the first place ``names`` (NLU entities), else of the text ``typed``, as
    the form's (name, INSEE code) slots."""
    texts = [*names, typed]

    def first_commune(session: Session) -> Commune | None:
        return next((found for text in texts if (found := find_commune(session, text))), None)

    name_slot, insee_slot = slots
    homonyms = await kb_call(partial(same_name_communes, text=texts[0]))
    if len(homonyms) > 1:
        # "Saint-Denis": asked with the département rather than picked silently.
        dispatcher.utter_message(
            text=answer_text("which_commune", name=homonyms[0].commune_name),
            buttons=[
                {
                    "title": f"{m.commune_name} ({m.departement_name or m.postcode})",
                    "payload": f"{m.commune_name} {m.postcode}",
                }
                for m in homonyms
            ],
        )
        return {name_slot: None, insee_slot: None}
    commune = await kb_call(first_commune)
    if commune is None:
        return {
            **checked(name_slot, None, dispatcher, invalid_response, typed=typed),
            insee_slot: None,
        }
    return {name_slot: commune.name, insee_slot: commune.insee}


def same_name_communes(session: Session, text: str) -> list[PlaceMatch]:
    """Communes of the same name that the text does not tell apart (no postcode given)."""
    if not text or re.search(r"\b\d{5}\b", text):
        return []
    matches = resolve_place_candidates(session, text, limit=MAX_HOMONYMS)
    communes = [m for m in matches if m.level == "commune" and m.commune_name and m.postcode]
    if len(communes) < 2:
        return []
    name = normalise(communes[0].commune_name or "")
    same = [m for m in communes if normalise(m.commune_name or "") == name]
    # One clearly more likely (a big city, the name typed in full) is taken without asking.
    if len(same) < 2 or same[0].score - same[1].score >= HOMONYM_MARGIN:
        return []
    return same


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


class QuestionAwareForm(FormValidationAction, ABC):
    """A form that lets a question through instead of taking it for the answer it waits for."""

    @abstractmethod
    def name(self) -> str:
        """Name in the domain."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Reject the form for a question, so that its rule answers; else validate as usual."""
        requested = tracker.get_slot("requested_slot")
        typed = tracker.slots_to_validate().get(requested) if requested else None
        # Only the text just typed as the answer (from_text), not a slot prefilled at the start.
        if typed is not None and typed == latest_text(tracker) and asks_something_else(tracker):
            # Clear the text the form took as the answer, or it would go on to the next question.
            return [SlotSet(requested, None), ActionExecutionRejected(self.form_name())]
        if typed is not None and typed == latest_text(tracker) and looks_like_question(typed):
            # "et pour les enfants, y a des crèches ?": the answer, then the form's question again.
            answered = await answer_inside_a_form(dispatcher, tracker, domain)
            if answered is not None:
                return [*answered, SlotSet(requested, None)]
        return list(await super().run(dispatcher, tracker, domain))


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
