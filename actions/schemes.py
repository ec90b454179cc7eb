"""Answering a need with the 1-3 best schemes, more schemes, and the details of one."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.fallback import ActionClarify, ActionOutOfScope
from actions.kb import kb_call
from actions.schemes_lookup import scheme_for_details
from actions.understanding.answer import answer_need
from actions.understanding.facets import facet_of, render_asked
from actions.understanding.listing import show_more
from actions.understanding.safety import route_typed_first
from knowledge.search import get_scheme

NOT_WAITING = SlotSet("needs_place", False)


class ActionSearchSchemes(Action):
    """A question about a need: answered first from the knowledge base (actions/understanding)."""

    def name(self) -> str:
        return "action_search_schemes"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        answered = await answer_need(dispatcher, tracker, domain)
        if answered is None:
            # The NLU's topic is doubtful and the knowledge base does not back it: clarify.
            return [*await ActionClarify().run(dispatcher, tracker, domain), NOT_WAITING]
        return answered


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
        routed = route_typed_first(dispatcher, tracker)
        if routed is not None:
            return routed
        choice = await scheme_for_details(tracker)
        if choice.ask_which:
            dispatcher.utter_message(response="utter_which_scheme", buttons=choice.ask_which)
            return []
        if choice.scheme_id is None:
            # Nothing shown or named that the lookup knows: the knowledge base may still.
            answered = await answer_need(
                dispatcher, tracker, domain, strict=True, may_ask_place=False, is_question=True
            )
            if answered is not None:
                return answered
            typed = not str(tracker.latest_message.get("text") or "").startswith("/")
            if typed and not tracker.get_slot("last_schemes"):
                # Nothing shown, nothing known by that name: most likely not our subject.
                return await ActionOutOfScope().run(dispatcher, tracker, domain)
            dispatcher.utter_message(response="utter_scheme_not_found")
            return []
        scheme = await kb_call(get_scheme, choice.scheme_id)
        if scheme is None:
            dispatcher.utter_message(response="utter_scheme_not_found")
            return []
        # One message (issue 14); inside a form its question follows, so no buttons that leave it.
        # "et ça coûte combien ?" read as a request for details: the facet asked.
        details = render_asked(
            domain, scheme, facet_of(str(tracker.latest_message.get("text") or ""))
        )
        buttons = details.buttons if tracker.active_loop_name is None else None
        dispatcher.utter_message(text=details.text, buttons=buttons)
        events: list[dict[str, Any]] = [SlotSet("current_scheme", scheme.id)]
        return events
