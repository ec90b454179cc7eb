""" "La suite", "d'autres ?": one intent for more of a list; the list shown last decides which.

"Encore", "la suite" or "montrez-m'en d'autres" read the same after offers and after schemes, so the
NLU cannot tell them apart: the conversation can. A button may still name the list (entity
``list_kind``), which wins over the history.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.offers import show_more_offers
from actions.schemes import show_other_schemes

# The paging slot each list sets when it is shown: the latest one set names the list on screen.
_LIST_OF_PAGING_SLOT = {"offers_offset": "offers", "schemes_offset": "schemes"}


def list_shown_last(events: list[dict[str, Any]]) -> str | None:
    """``offers`` or ``schemes``: the list whose page was set last in the conversation."""
    for event in reversed(events):
        if event.get("event") == "slot" and event.get("name") in _LIST_OF_PAGING_SLOT:
            return _LIST_OF_PAGING_SLOT[str(event["name"])]
    return None


class ActionShowMore(Action):
    """The next page of the list the person is looking at: offers or schemes."""

    def name(self) -> str:
        return "action_show_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        requested = next(tracker.get_latest_entity_values("list_kind"), None)
        kind = requested if requested in ("offers", "schemes") else list_shown_last(tracker.events)
        if kind == "offers":
            return await show_more_offers(dispatcher, tracker, domain)
        # Schemes are the default: with no topic yet it asks what the person is looking for.
        return await show_other_schemes(dispatcher, tracker, domain)
