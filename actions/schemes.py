"""Answering a need with the 1-3 best schemes, more schemes, and the details of one."""

from __future__ import annotations

from typing import Any, get_args

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.kb import kb_call, resolve_commune_in_message
from actions.schemes_cards import label, render_answer, render_details
from actions.schemes_lookup import scheme_for_details
from actions.schemes_search import TopicAnswer, answer_topic, depends_on_place
from actions.schemes_topics import requested_topics
from knowledge.schema import UserStatus
from knowledge.search import get_scheme

# The statuses a person tells us, as the knowledge base names them (an employer is not a filter here).
STATUS_VOCABULARY = frozenset(get_args(UserStatus)) - {"employer"}


def entity_value(tracker: Tracker, entity: str) -> str | None:
    """The first value of ``entity`` in the latest message."""
    value = next(tracker.get_latest_entity_values(entity), None)
    return str(value) if value is not None else None


def person_filters(tracker: Tracker) -> tuple[list[str], float | None]:
    """Status and age the person told us, as search filters."""
    status = tracker.get_slot("user_status")
    statuses = [status] if status in STATUS_VOCABULARY else []
    try:
        age = float(tracker.get_slot("age")) if tracker.get_slot("age") is not None else None
    except (TypeError, ValueError):
        age = None
    return statuses, age


def _topic_label(domain: DomainDict, topic: str) -> str:
    return label(domain, f"topic_{topic}")


def utter_answer(
    dispatcher: CollectingDispatcher,
    domain: DomainDict,
    answer: TopicAnswer,
    commune_name: str | None,
    first_position: int,
    *,
    with_buttons: bool = True,
) -> list[str]:
    """One message: heading, at most three cards, the support network; returns the ids shown."""
    if not answer.schemes:
        dispatcher.utter_message(response="utter_no_scheme_found")
        return []
    rendered = render_answer(
        answer.schemes,
        topic_label=_topic_label(domain, answer.topic),
        commune_name=commune_name,
        nothing_local=answer.nothing_local,
        support=answer.support,
        first_position=first_position,
        with_buttons=with_buttons,
    )
    dispatcher.utter_message(text=rendered.text, buttons=rendered.buttons or None)
    return list(rendered.shown)


class ActionSearchSchemes(Action):
    """A topic question (or the place given for it): ask the place once if needed, answer."""

    def name(self) -> str:
        return "action_search_schemes"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = str(tracker.latest_message.get("text") or "")
        pending = list(tracker.get_slot("pending_topics") or [])
        back_from_place = tracker.latest_action_name == "place_form" and bool(pending)
        events: list[EventType] = []
        if back_from_place:
            topics, request = pending, tracker.get_slot("request_text")
        else:
            topics, request = requested_topics(intent, text), text
            if not topics and tracker.get_slot("current_topic"):
                # A detail given after an answer ("j'ai 19 ans", "à Lens"): answer again.
                topics, request = (
                    [tracker.get_slot("current_topic")],
                    tracker.get_slot("request_text"),
                )

        commune = tracker.get_slot("commune_insee")
        commune_name = tracker.get_slot("commune_name")
        place_text = entity_value(tracker, "place")
        if place_text and not back_from_place:
            resolved = await kb_call(resolve_commune_in_message, text, place_text)
            if resolved is not None and resolved.commune_insee != commune:
                commune, commune_name = resolved.commune_insee, resolved.name
                events += [SlotSet("commune_insee", commune), SlotSet("commune_name", commune_name)]
                if intent == "inform":
                    dispatcher.utter_message(
                        response="utter_place_found", commune_name=commune_name
                    )

        if not topics:
            dispatcher.utter_message(response="utter_no_topic_yet")
            return [*events, SlotSet("needs_place", False)]

        if commune is None and not tracker.get_slot("place_asked"):
            if await kb_call(depends_on_place, topics):
                return [
                    *events,
                    SlotSet("pending_topics", topics),
                    SlotSet("request_text", request),
                    SlotSet("place_asked", True),
                    SlotSet("place_attempts", 0.0),
                    SlotSet("needs_place", True),
                ]
        if commune is None and back_from_place:
            dispatcher.utter_message(response="utter_place_unknown_national")

        statuses, age = person_filters(tracker)
        limit = 3 if len(topics) == 1 else 2
        # Each answer's heading names its topic: no separate "two needs" messages.
        shown: list[str] = []
        last_count = 0
        for index, topic in enumerate(topics):
            answer = await kb_call(
                answer_topic,
                topic,
                text=request,
                commune_insee=commune,
                statuses=statuses,
                age=age,
                limit=limit,
            )
            page = utter_answer(
                dispatcher,
                domain,
                answer,
                commune_name,
                len(shown) + 1,
                with_buttons=index == len(topics) - 1,
            )
            shown += page
            last_count = len(page)
        return [
            *events,
            SlotSet("last_schemes", shown),
            SlotSet("current_topic", topics[-1]),
            SlotSet("request_text", request),
            SlotSet("schemes_offset", float(last_count)),
            SlotSet("current_scheme", shown[0] if len(shown) == 1 else None),
            SlotSet("pending_topics", []),
            SlotSet("needs_place", False),
        ]


async def show_other_schemes(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType]:
    """ "Autres aides": the next page of the topic answered last, numbered after the first."""
    topic = tracker.get_slot("current_topic")
    if not topic:
        dispatcher.utter_message(response="utter_no_topic_yet")
        return []
    offset = int(tracker.get_slot("schemes_offset") or 0)
    statuses, age = person_filters(tracker)
    answer = await kb_call(
        answer_topic,
        topic,
        text=tracker.get_slot("request_text"),
        commune_insee=tracker.get_slot("commune_insee"),
        statuses=statuses,
        age=age,
        limit=3,
        offset=offset,
    )
    if not answer.schemes:
        dispatcher.utter_message(response="utter_no_more_schemes")
        return []
    shown = list(tracker.get_slot("last_schemes") or [])
    page = utter_answer(
        dispatcher, domain, answer, tracker.get_slot("commune_name"), len(shown) + 1
    )
    return [
        SlotSet("last_schemes", shown + page),
        SlotSet("schemes_offset", float(offset + len(page))),
        # The scheme in focus is the one just shown, or none: never one from an older page.
        SlotSet("current_scheme", page[0] if len(page) == 1 else None),
    ]


class ActionSchemeDetails(Action):
    """Details of the scheme named, chosen by position ("la deuxième"), or looked at."""

    def name(self) -> str:
        return "action_scheme_details"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        choice = await scheme_for_details(tracker)
        if choice.ask_which:
            dispatcher.utter_message(response="utter_which_scheme", buttons=choice.ask_which)
            return []
        if choice.scheme_id is None:
            dispatcher.utter_message(response="utter_scheme_not_found")
            return []
        scheme = await kb_call(get_scheme, choice.scheme_id)
        if scheme is None:
            dispatcher.utter_message(response="utter_scheme_not_found")
            return []
        details = render_details(domain, scheme)
        # Inside a form the form's own question follows: no buttons that would leave it.
        buttons = details.buttons if tracker.active_loop_name is None else None
        dispatcher.utter_message(text=details.text, buttons=buttons)
        events: list[dict[str, Any]] = [SlotSet("current_scheme", scheme.id)]
        return events
