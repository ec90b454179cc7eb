"""Answering a need with the 1-3 best schemes, more schemes, and the details of one."""

from __future__ import annotations

from typing import Any, get_args

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.kb import kb_call
from actions.schemes_cards import label, utter_card, utter_details
from actions.schemes_lookup import scheme_for_details
from actions.schemes_search import TopicAnswer
from actions.understanding.answer import answer_need, show_more
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
    """A question about a need: answered first from the knowledge base (actions/understanding)."""

    def name(self) -> str:
        return "action_search_schemes"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await answer_need(dispatcher, tracker, domain) or []


async def show_other_schemes(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType]:
    """ "Autres aides": the next page of the answer given last."""
    return await show_more(dispatcher, tracker, domain)


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
