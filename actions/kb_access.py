"""Helpers shared by the employer, newcomer and offer actions: places, domain texts, owners.

Queries go through ``kb_call`` (``actions/kb.py``): a worker thread and one session per call,
so that the action server's event loop never blocks.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.kb import kb_call, resolve_commune
from bot.settings import get_settings
from knowledge.requests import owner_key
from knowledge.views import OrganisationView, SchemeView

# The schemes area's helper (actions/kb.py) owns the session-per-query pattern; re-exported here.
__all__ = ["kb_call"]

Validator = TypeVar("Validator", bound=Callable[..., Any])


def answers_only(method: Validator) -> Validator:
    """Skip a form slot's validation when the slot was only reset to None.

    rasa-sdk validates every slot set since the last message, resets included: without
    this, starting a form (which clears old answers) would re-ask every question at once.
    """
    slot = method.__name__.removeprefix("validate_")
    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def async_wrapper(self: Any, value: Any, *args: Any) -> Any:
            return {slot: None} if value is None else await method(self, value, *args)

        return async_wrapper  # type: ignore[return-value]

    @functools.wraps(method)
    def wrapper(self: Any, value: Any, *args: Any) -> Any:
        return {slot: None} if value is None else method(self, value, *args)

    return wrapper  # type: ignore[return-value]


@dataclass(frozen=True)
class Commune:
    """A commune the person named, as found in the territory table."""

    insee: str
    name: str


def find_commune(session: Session, text: str) -> Commune | None:
    """The commune meant by ``text`` ("Roubaix", "59100", "carhaix"), if precise enough."""
    if not text or not text.strip() or len(text) > 200:
        return None
    # Same resolution as the schemes area: an intercommunality stands for its largest commune.
    found = resolve_commune(session, text)
    return Commune(found.commune_insee, found.name) if found else None


def response_text(domain: DomainDict, name: str, **values: Any) -> str:
    """The first variant of a domain response, filled with ``values`` (labels, consent texts)."""
    variants = domain.get("responses", {}).get(name) or [{"text": ""}]
    text = str(variants[0].get("text", ""))
    return text.format(**values) if values else text


def conversation_owner(tracker: Tracker) -> str:
    """The one-way key under which this conversation's personal data is stored."""
    return owner_key(tracker.sender_id or "", get_settings().secret_key.get_secret_value())


def scheme_link(scheme: SchemeView) -> str:
    """The official page of a scheme, else an empty string."""
    return scheme.apply.url or ""


def organisation_contact(organisation: OrganisationView) -> str:
    """The contacts of an organisation as printed in its source, joined; empty if none."""
    contacts = organisation.contacts
    return " – ".join(
        c for c in (contacts.phone, contacts.email, contacts.url, contacts.address) if c
    )


def latest_intent(tracker: Tracker) -> str:
    """Intent of the latest user message."""
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")


def last_bot_response(tracker: Tracker) -> str | None:
    """The response name of the assistant's latest message (None for a plain text)."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return str((event.get("metadata") or {}).get("utter_action") or "") or None
    return None


def latest_text(tracker: Tracker) -> str:
    """Text of the latest user message."""
    return str(tracker.latest_message.get("text") or "")


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    """Values of an entity in the latest message, in order."""
    return [
        str(item.get("value"))
        for item in tracker.latest_message.get("entities") or []
        if item.get("entity") == entity and item.get("value")
    ]
