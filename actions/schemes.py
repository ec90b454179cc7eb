"""Answering a need with the 1-3 best schemes, more schemes, and the details of one."""

from __future__ import annotations

from typing import Any, get_args

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.kb import kb_call, resolve_commune_in_message
from actions.schemes_cards import label, utter_card, utter_details
from actions.schemes_lookup import scheme_for_details
from actions.schemes_search import TopicAnswer, answer_topic, depends_on_place
from actions.schemes_topics import requested_topics
from knowledge.schema import UserStatus
from knowledge.search import OrganisationView, get_scheme

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


def _contact(organisation: OrganisationView) -> str | None:
    contacts = organisation.contacts
    return contacts.phone or contacts.url or contacts.email or contacts.address


def utter_answer(
    dispatcher: CollectingDispatcher,
    domain: DomainDict,
    answer: TopicAnswer,
    commune_name: str | None,
    first_position: int,
) -> None:
    """Intro, cards numbered from ``first_position``, and the support network if needed."""
    topic = _topic_label(domain, answer.topic)
    if not answer.schemes:
        dispatcher.utter_message(response="utter_no_scheme_found")
        return
    if answer.nothing_local:
        dispatcher.utter_message(response="utter_no_local_scheme", commune_name=commune_name)
    elif commune_name:
        dispatcher.utter_message(
            response="utter_schemes_intro_local", topic=topic, commune_name=commune_name
        )
    else:
        dispatcher.utter_message(response="utter_schemes_intro_national", topic=topic)
    for position, scheme in enumerate(answer.schemes, start=first_position):
        utter_card(dispatcher, domain, scheme, position)
    for organisation in answer.support:
        contact = _contact(organisation)
        territory = organisation.territory.label
        if contact:
            dispatcher.utter_message(
                response="utter_support_organisation",
                name=organisation.name,
                territory=territory,
                contact=contact,
            )
        else:
            dispatcher.utter_message(
                response="utter_support_organisation_no_contact",
                name=organisation.name,
                territory=territory,
            )


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
        if len(topics) > 1:
            dispatcher.utter_message(
                response="utter_two_needs",
                first=_topic_label(domain, topics[0]),
                second=_topic_label(domain, topics[1]),
            )
        shown: list[str] = []
        last_count = 0
        for index, topic in enumerate(topics):
            if index > 0:
                dispatcher.utter_message(
                    response="utter_now_second_need", topic=_topic_label(domain, topic)
                )
            answer = await kb_call(
                answer_topic,
                topic,
                text=request,
                commune_insee=commune,
                statuses=statuses,
                age=age,
                limit=limit,
            )
            utter_answer(dispatcher, domain, answer, commune_name, len(shown) + 1)
            shown += [scheme.id for scheme in answer.schemes]
            last_count = len(answer.schemes)
        if shown:
            dispatcher.utter_message(response="utter_schemes_next")
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
    utter_answer(dispatcher, domain, answer, tracker.get_slot("commune_name"), len(shown) + 1)
    dispatcher.utter_message(response="utter_schemes_next")
    return [
        SlotSet("last_schemes", shown + [scheme.id for scheme in answer.schemes]),
        SlotSet("schemes_offset", float(offset + len(answer.schemes))),
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
        utter_details(dispatcher, domain, scheme)
        if tracker.active_loop_name is None:
            dispatcher.utter_message(response="utter_scheme_details_next")
        events: list[dict[str, Any]] = [SlotSet("current_scheme", scheme.id)]
        return events
