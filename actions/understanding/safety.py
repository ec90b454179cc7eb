"""Before any answer: a person in danger gets the emergency numbers, one who asks for a human
gets a human. Read from the words, whatever intent the NLU chose (issue 11: a distress message
misread as a question must never get a list of schemes)."""

from __future__ import annotations

import functools
import re

import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_texts import answer_text
from actions.understanding.job_search import (
    OFFERS_ACTION,
    SPOUSE_CV_ACTION,
    gives_offer_criteria,
    work_route,
)
from actions.understanding.situation import CUES_PATH, Situation, read_situation
from knowledge.text import normalise


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    raw = yaml.safe_load(CUES_PATH.read_text(encoding="utf-8"))
    return {name: re.compile(raw[name]) for name in ("distress", "accident", "human", "offers")}


WORK_ACTIONS = frozenset({OFFERS_ACTION, SPOUSE_CV_ACTION})


def safety_need(text: str) -> str | None:
    """ "distress", "accident", "human" or None."""
    plain = normalise(text)
    found = (name for name in ("distress", "accident", "human") if _patterns()[name].search(plain))
    return next(found, None)


def wants_offers(text: str) -> bool:
    """ "y a des offres de cariste à Chartres ?": the offer search, not schemes."""
    return bool(_patterns()["offers"].search(normalise(text)))


def route_first(
    dispatcher: CollectingDispatcher, text: str, here: str | None = None
) -> list[EventType] | None:
    """Safety, a person, a partner's own job search or the offer search: taken before any
    scheme answer. ``here``: the action asking, never routed to itself."""
    need = safety_need(text)
    if need is not None:
        return act_on_safety(dispatcher, need)
    target = work_route(text)
    if target is None and wants_offers(text) and not read_situation(text).is_employer:
        target = OFFERS_ACTION
    if target is None or target == here:
        return None
    return [FollowupAction(target)]


def route_typed_first(
    dispatcher: CollectingDispatcher, tracker: Tracker, here: str | None = None
) -> list[EventType] | None:
    """``route_first`` for the entry of any area (a form's start, details, eligibility): "je
    préfère parler à quelqu'un de l'accueil" must reach a person, not start the kit. The
    criteria typed after the offer search asked for them go on with the search."""
    text = str(tracker.latest_message.get("text") or "")
    if not text or text.startswith("/"):
        return None
    routed = route_first(dispatcher, text, here)
    if routed is None and here != OFFERS_ACTION and gives_offer_criteria(tracker, text):
        routed = [FollowupAction(OFFERS_ACTION)]
    if routed and routed[-1].get("name") in WORK_ACTIONS:
        # Kept for the next messages: after "jcherche du taf", "et dans le btp ?" is a seeker's.
        known = Situation.from_slot(tracker.get_slot("situation"))
        return [SlotSet("situation", known.merged(read_situation(text)).to_slot()), *routed]
    return routed


def act_on_safety(dispatcher: CollectingDispatcher, need: str) -> list[EventType]:
    if need == "human":
        return [FollowupAction("action_request_human")]
    adviser = {"title": answer_text("button_adviser"), "payload": "/request_human"}
    dispatcher.utter_message(text=answer_text(f"safety_{need}"), buttons=[adviser])
    return []
