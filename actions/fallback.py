"""Misunderstandings: the two-stage clarification and the core fallback."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.answer_texts import answer_text
from actions.handoff import REASON_MISUNDERSTANDING, handoff_payload, stop_any_form
from actions.understanding.answer import answer_need
from actions.understanding.clarify import plausible_schemes, scheme_button
from actions.understanding.employer_guard import employer_instead

logger = logging.getLogger(__name__)

FALLBACK_INTENT = "nlu_fallback"
TOPIC_TITLE_PREFIX = "utter_topic_title_"
# Intents never worth offering as "did you mean" topics.
NOT_A_TOPIC = {FALLBACK_INTENT, "out_of_scope", "affirm", "deny", "goodbye", "thank", "inform"}
MAX_TOPICS = 3
MIN_CONFIDENCE = 0.05


def user_intents(tracker: Tracker) -> list[str]:
    """Intent names of the person's messages, oldest first."""
    return [
        str((event.get("parse_data") or {}).get("intent", {}).get("name"))
        for event in tracker.events
        if event.get("event") == "user"
    ]


def is_second_failure(tracker: Tracker) -> bool:
    """True when the previous message was also misunderstood."""
    intents = user_intents(tracker)
    return len(intents) >= 2 and intents[-2] == FALLBACK_INTENT


def hand_off_after_misunderstanding(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType]:
    """Tell the person an adviser takes over, and ask the gateway for the hand-off."""
    dispatcher.utter_message(response="utter_handoff_after_misunderstanding")
    dispatcher.utter_message(json_message=handoff_payload(REASON_MISUNDERSTANDING, tracker))
    return stop_any_form(tracker)


def likely_topics(tracker: Tracker, domain: DomainDict) -> list[dict[str, str]]:
    """Buttons for the most likely intents that have a topic title in the domain."""
    responses = domain.get("responses", {})
    buttons: list[dict[str, str]] = []
    for ranked in tracker.latest_message.get("intent_ranking") or []:
        name = str(ranked.get("name"))
        title_variants = responses.get(f"{TOPIC_TITLE_PREFIX}{name}")
        if name in NOT_A_TOPIC or not title_variants:
            continue
        if float(ranked.get("confidence") or 0.0) < MIN_CONFIDENCE:
            break
        buttons.append({"title": str(title_variants[0]["text"]), "payload": f"/{name}"})
        if len(buttons) == MAX_TOPICS:
            break
    return buttons


async def answer_from_knowledge(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType] | None:
    """The knowledge base's answer, or None; a database fault must not cost the clarification."""
    try:
        return await answer_need(dispatcher, tracker, domain, strict=True, may_ask_place=False)
    except SQLAlchemyError:
        logger.warning("knowledge base unavailable for a misunderstood message", exc_info=True)
        return None


async def answer_first(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType] | None:
    """What the NLU could not place, answered when it can be: an employer's message gets the
    employer's answer or the recruiting menu (a post to fill is not a scheme question, even
    when a job word is a record's alias); else the knowledge base answers a clear match."""
    employer = await employer_instead(dispatcher, tracker, domain)
    if employer is not None:
        return employer
    return await answer_from_knowledge(dispatcher, tracker, domain)


class ActionClarify(Action):
    """First misunderstanding: offer the likely topics; second in a row: hand off to a human."""

    def name(self) -> str:
        """Name in the domain."""
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Utter the clarification adapted to how many misunderstandings in a row."""
        answered = await answer_first(dispatcher, tracker, domain)
        if answered is not None:
            return answered
        if is_second_failure(tracker):
            # Two misunderstandings in a row: hand off rather than let the person struggle.
            return hand_off_after_misunderstanding(dispatcher, tracker)
        adviser = {"title": answer_text("button_adviser"), "payload": "/request_human"}
        try:
            plausible = await plausible_schemes(tracker)
        except SQLAlchemyError:
            plausible = []
        if plausible:
            # Two or three records could be meant: offer them by name before any menu.
            buttons = [scheme_button(scheme) for scheme in plausible]
            dispatcher.utter_message(
                text=answer_text("clarify_schemes"), buttons=[*buttons, adviser]
            )
            return []
        buttons = likely_topics(tracker, domain)
        if buttons:
            menu = {"title": _title(domain, "ask_capabilities"), "payload": "/ask_capabilities"}
            if menu not in buttons:
                buttons.append(menu)
            if adviser["payload"] not in [button["payload"] for button in buttons]:
                buttons.append(adviser)
            dispatcher.utter_message(response="utter_clarify_topics", buttons=buttons)
        else:
            dispatcher.utter_message(response="utter_clarify_no_guess", buttons=[adviser])
        return []


def _title(domain: DomainDict, intent: str) -> str:
    variants: list[dict[str, Any]] = domain.get("responses", {}).get(
        f"{TOPIC_TITLE_PREFIX}{intent}", [{"text": intent}]
    )
    return str(variants[0]["text"])


class ActionOutOfScope(Action):
    """Say what the assistant covers; right after a misunderstanding, give a human instead.

    Gibberish and half-understood messages are sometimes read as out of scope: after a first
    misunderstanding, a second message the bot cannot take is the same dead end for the person.
    """

    def name(self) -> str:
        """Name in the domain."""
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Utter the scope, or hand off when the previous message was misunderstood too."""
        answered = await answer_first(dispatcher, tracker, domain)
        if answered is not None:
            return answered
        if is_second_failure(tracker):
            return hand_off_after_misunderstanding(dispatcher, tracker)
        dispatcher.utter_message(response="utter_out_of_scope")
        return []


class ActionDefaultFallback(Action):
    """Core fallback: the dialogue policies are unsure what to do next."""

    def name(self) -> str:
        """Name in the domain."""
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Say so, offer the menu and a human, and forget the confusing message."""
        dispatcher.utter_message(response="utter_default")
        return [UserUtteranceReverted()]
