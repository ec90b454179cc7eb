"""Before any answer: a person in danger gets the emergency numbers, one who asks for a human
gets a human. Read from the words, whatever intent the NLU chose (issue 11: a distress message
misread as a question must never get a list of schemes)."""

from __future__ import annotations

import functools
import re

import yaml
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_texts import answer_text
from actions.understanding.situation import CUES_PATH
from knowledge.text import normalise


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    raw = yaml.safe_load(CUES_PATH.read_text(encoding="utf-8"))
    return {name: re.compile(raw[name]) for name in ("distress", "accident", "human")}


def safety_need(text: str) -> str | None:
    """ "distress", "accident", "human" or None."""
    plain = normalise(text)
    return next((name for name, pattern in _patterns().items() if pattern.search(plain)), None)


def act_on_safety(dispatcher: CollectingDispatcher, need: str) -> list[EventType]:
    if need == "human":
        return [FollowupAction("action_request_human")]
    adviser = {"title": answer_text("button_adviser"), "payload": "/request_human"}
    dispatcher.utter_message(text=answer_text(f"safety_{need}"), buttons=[adviser])
    return []
