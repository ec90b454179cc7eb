""" "Je ne sais pas" outside a form: what it answers depends on the question just asked.

After an answer, the assistant invites the commune for local options ("dites-moi votre commune
pour les voir"). "Je sais pas" or "je préfère pas" then declines the commune: the national answer
above stands (as when the place question itself is declined). Anywhere else it says what the
person can ask.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.kb_access import last_bot_response

# Bot responses that invite the commune without asking it as a question of a form.
_PLACE_INVITATIONS = frozenset({"utter_local_hint"})


class ActionDontKnow(Action):
    """ "Je ne sais pas" outside a form."""

    def name(self) -> str:
        return "action_dont_know"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if last_bot_response(tracker) in _PLACE_INVITATIONS:
            dispatcher.utter_message(response="utter_place_skipped")
        else:
            dispatcher.utter_message(response="utter_dont_know_without_context")
        return []
