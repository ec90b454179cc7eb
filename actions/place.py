"""The place question: a commune, a postcode or an intercommunality, asked once.

``validate_place_form`` resolves the answer through the knowledge base and remembers it in
the shared ``commune_insee``/``commune_name`` slots. "Je ne sais pas", or two answers that
cannot be found, end the question: the answer then gives national schemes.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.kb import kb_call, resolve_commune_in_message
from actions.schemes_topics import requested_topics

UNKNOWN_PLACE = "unknown"
MAX_ATTEMPTS = 2
MAX_ECHO_CHARS = 60


class ValidatePlaceForm(FormValidationAction):
    """Resolve the place given, or ask again once with a postcode example."""

    def name(self) -> str:
        return "validate_place_form"

    async def validate_place_answer(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if value is None:
            # Slots set by the action that opened the form are validated too: nothing typed yet.
            return {}
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = str(value)
        if intent == "dont_know" or text.startswith("/dont_know"):
            return {"place_answer": UNKNOWN_PLACE}
        slots: dict[str, Any] = {}
        # "Finalement je cherche une formation à Brest": the new need replaces the pending one.
        switched = requested_topics(intent, text)
        if switched:
            slots.update({"pending_topics": switched, "request_text": text})
        place = next(tracker.get_latest_entity_values("place"), None)
        resolved = await kb_call(
            resolve_commune_in_message, text, str(place) if place is not None else None
        )
        if resolved is not None:
            dispatcher.utter_message(response="utter_place_found", commune_name=resolved.name)
            return {
                **slots,
                "place_answer": text[:MAX_ECHO_CHARS],
                "commune_insee": resolved.commune_insee,
                "commune_name": resolved.name,
            }
        attempts = int(tracker.get_slot("place_attempts") or 0) + 1
        if attempts >= MAX_ATTEMPTS:
            return {**slots, "place_answer": UNKNOWN_PLACE, "place_attempts": float(attempts)}
        dispatcher.utter_message(response="utter_place_not_found", place_text=text[:MAX_ECHO_CHARS])
        return {**slots, "place_answer": None, "place_attempts": float(attempts)}
