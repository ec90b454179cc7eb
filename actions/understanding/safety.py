"""Before any answer: a person in danger gets the emergency numbers, one who asks for a human
gets a human. Read from the words, whatever intent the NLU chose (issue 11: a distress message
misread as a question must never get a list of schemes)."""

from __future__ import annotations

import functools
import re

import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_texts import answer_text
from actions.understanding.situation import CUES_PATH, read_situation
from knowledge.text import normalise


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    raw = yaml.safe_load(CUES_PATH.read_text(encoding="utf-8"))
    return {name: re.compile(raw[name]) for name in ("distress", "accident", "human", "offers")}


def safety_need(text: str) -> str | None:
    """ "distress", "accident", "human" or None."""
    plain = normalise(text)
    found = (name for name in ("distress", "accident", "human") if _patterns()[name].search(plain))
    return next(found, None)


def wants_offers(text: str) -> bool:
    """ "y a des offres de cariste à Chartres ?": the offer search, not schemes."""
    return bool(_patterns()["offers"].search(normalise(text)))


def route_first(dispatcher: CollectingDispatcher, text: str) -> list[EventType] | None:
    """Safety, a person, or the offer search: taken before any scheme answer."""
    need = safety_need(text)
    if need is not None:
        return act_on_safety(dispatcher, need)
    if wants_offers(text) and not read_situation(text).is_employer:
        return [FollowupAction("action_search_offers")]
    return None


def route_typed_first(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """``route_first`` for the entry of any area (a form's start, details, eligibility): "je
    préfère parler à quelqu'un de l'accueil" must reach a person, not start the kit."""
    text = str(tracker.latest_message.get("text") or "")
    if not text or text.startswith("/"):
        return None
    return route_first(dispatcher, text)


def act_on_safety(dispatcher: CollectingDispatcher, need: str) -> list[EventType]:
    if need == "human":
        return [FollowupAction("action_request_human")]
    adviser = {"title": answer_text("button_adviser"), "payload": "/request_human"}
    dispatcher.utter_message(text=answer_text(f"safety_{need}"), buttons=[adviser])
    return []
