"""Factories shared by the test lanes: the real domain as a dict, trackers, dispatchers."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Tracker

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_DIR = ROOT / "domain"
NLU_DIR = ROOT / "nlu" / "data"

_MERGED_LIST_KEYS = ("intents", "entities", "actions", "forms_list")
_MERGED_DICT_KEYS = ("slots", "responses", "forms")


@lru_cache(maxsize=1)
def load_domain() -> dict[str, Any]:
    """Merge domain/*.yml as Rasa does, into the dict the action server receives."""
    merged: dict[str, Any] = {
        "intents": [],
        "entities": [],
        "actions": [],
        "slots": {},
        "responses": {},
        "forms": {},
    }
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key in ("intents", "entities", "actions"):
            for item in part.get(key) or []:
                merged[key].append(item)
        for key in _MERGED_DICT_KEYS:
            merged[key].update(part.get(key) or {})
        if "session_config" in part:
            merged["session_config"] = part["session_config"]
    return merged


def names(items: list[Any]) -> list[str]:
    """Intent/entity names whether written as strings or as one-key mappings."""
    return [next(iter(item)) if isinstance(item, dict) else str(item) for item in items]


def user_event(
    intent: str,
    text: str = "",
    confidence: float = 0.9,
    entities: list[dict[str, Any]] | None = None,
    ranking: list[tuple[str, float]] | None = None,
) -> dict[str, Any]:
    """A `user` event as the tracker stores it."""
    parse_data = {
        "intent": {"name": intent, "confidence": confidence},
        "entities": entities or [],
        "text": text,
        "intent_ranking": [
            {"name": n, "confidence": c} for n, c in (ranking or [(intent, confidence)])
        ],
    }
    return {"event": "user", "text": text, "parse_data": parse_data, "input_channel": "rest"}


def make_tracker(
    *,
    sender_id: str = "web:test",
    slots: dict[str, Any] | None = None,
    events: list[dict[str, Any]] | None = None,
    active_loop: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker whose latest message is the last user event given."""
    events = events or [user_event("greet", "bonjour")]
    latest = next((e for e in reversed(events) if e.get("event") == "user"), None)
    latest_message = dict(latest["parse_data"]) if latest else {}
    if latest:
        latest_message["text"] = latest.get("text")
    return Tracker.from_dict(
        {
            "sender_id": sender_id,
            "slots": slots or {},
            "latest_message": latest_message,
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": active_loop or {},
            "latest_action_name": None,
        }
    )
