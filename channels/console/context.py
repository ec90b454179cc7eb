"""The context packet an adviser reads: built once from Rasa's tracker when a ticket opens."""

from __future__ import annotations

import datetime as dt
from typing import Any

# Slots that say nothing to an adviser.
_INTERNAL_SLOTS = {"requested_slot", "session_started_metadata", "last_schemes", "handoff_reason"}
# Intents that are not a need ("hello", "yes"...), skipped when picking what the person asked.
_NOT_A_NEED = {
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "request_human",
    "handoff_ended",
    "express_frustration",
    "bot_challenge",
    "ask_capabilities",
}
MAX_TRANSCRIPT = 150
MAX_ASKED = 3
MAX_INTENTS = 6


def _when(event: dict[str, Any]) -> str | None:
    stamp = event.get("timestamp")
    if not isinstance(stamp, (int, float)):
        return None
    return dt.datetime.fromtimestamp(stamp, tz=dt.timezone.utc).isoformat(timespec="seconds")


def _intent(event: dict[str, Any]) -> dict[str, Any]:
    intent = (event.get("parse_data") or {}).get("intent") or {}
    return {"name": str(intent.get("name") or ""), "confidence": intent.get("confidence")}


def _transcript(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            raw = str(event.get("text") or "")
            lines.append(
                {
                    "who": "person",
                    "text": raw,
                    "button": raw.startswith("/"),
                    "intent": _intent(event)["name"],
                    "at": _when(event),
                }
            )
        elif kind == "bot" and event.get("text"):
            buttons = (event.get("data") or {}).get("buttons") or []
            titles = [str(b.get("title", "")) for b in buttons if isinstance(b, dict)]
            lines.append(
                {"who": "bot", "text": str(event["text"]), "buttons": titles, "at": _when(event)}
            )
    return lines[-MAX_TRANSCRIPT:]


def _form_answers(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Slots filled while a form was active, per form (eligibility questions and the like)."""
    forms: dict[str, dict[str, Any]] = {}
    active: str | None = None
    for event in events:
        if event.get("event") == "active_loop":
            active = event.get("name") or None
        elif event.get("event") == "slot" and active:
            name = str(event.get("name"))
            if name not in _INTERNAL_SLOTS and event.get("value") is not None:
                forms.setdefault(active, {})[name] = event.get("value")
    return [{"form": form, "answers": answers} for form, answers in forms.items()]


def _asked(events: list[dict[str, Any]]) -> list[str]:
    asked = [
        str(e.get("text") or "")
        for e in events
        if e.get("event") == "user"
        and not str(e.get("text") or "").startswith("/")
        and _intent(e)["name"] not in _NOT_A_NEED
    ]
    return [text for text in asked if text.strip()][-MAX_ASKED:]


def build_context(
    tracker: dict[str, Any], *, reason: str, summary: str, channel: str
) -> dict[str, Any]:
    """Everything the adviser needs, as plain JSON (stored with the ticket)."""
    events = [e for e in tracker.get("events") or [] if isinstance(e, dict)]
    slots = tracker.get("slots") or {}
    useful_slots = {
        name: value
        for name, value in slots.items()
        if name not in _INTERNAL_SLOTS and value not in (None, "", [], {})
    }
    schemes = slots.get("last_schemes") or []
    user_events = [e for e in events if e.get("event") == "user"]
    asked = _asked(events)
    return {
        "reason": reason,
        "summary": summary or (asked[-1] if asked else ""),
        "channel": channel,
        "tracker_available": bool(tracker),
        "asked": asked,
        "slots": useful_slots,
        "schemes": [{"id": str(s), "name": None} for s in schemes if isinstance(s, str)],
        "form_answers": _form_answers(events),
        "last_intents": [_intent(e) for e in user_events][-MAX_INTENTS:],
        "transcript": _transcript(events),
    }


def commune_of(tracker: dict[str, Any]) -> tuple[str | None, str | None]:
    """(INSEE code, name) of the person's commune, from the shared slots."""
    slots = tracker.get("slots") or {}
    code, name = slots.get("commune_insee"), slots.get("commune_name")
    return (str(code) if code else None, str(name) if name else None)
