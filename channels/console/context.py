"""The context packet an adviser reads: built once from Rasa's tracker when a ticket opens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from channels.console.labels import label, labels

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
    offered: dict[str, str] = {}  # payload -> title of the buttons last shown
    for event in events:
        kind = event.get("event")
        if kind == "user":
            raw = str(event.get("text") or "")
            button = raw.startswith("/")
            # A tap sends a payload (`/ask_more{"list_kind":"schemes"}`): show what the person
            # saw on the button instead.
            title = offered.get(raw) if button else None
            shown = raw
            if button:
                shown = (
                    label("summary", "clicked").format(title=title)
                    if title
                    else label("summary", "clicked_unknown")
                )
            lines.append(
                {
                    "who": "person",
                    "text": shown,
                    "button": button,
                    "intent": _intent(event)["name"],
                    "at": _when(event),
                }
            )
        elif kind == "bot" and event.get("text"):
            buttons = (event.get("data") or {}).get("buttons") or []
            offered = {
                str(b.get("payload", "")): str(b.get("title", ""))
                for b in buttons
                if isinstance(b, dict)
            }
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
            if _shown(name) and event.get("value") is not None:
                forms.setdefault(active, {})[name] = event.get("value")
    return [
        {"form": form, "title": label("forms", form), "answers": answers, "facts": _facts(answers)}
        for form, answers in forms.items()
    ]


def _shown(slot: str) -> bool:
    """Only slots with a French label reach the adviser (the rest is the bot's bookkeeping)."""
    return slot in labels().get("slots", {}) and slot not in _INTERNAL_SLOTS


def say_value(slot: str, value: Any) -> str:
    """A slot value in plain French: `apprentice` -> `apprenti(e)`, `19.0` -> `19`, yes -> oui."""
    if isinstance(value, bool):
        return label("values", "true" if value else "false")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(say_value(slot, item) for item in value)
    if slot in ("user_status", "elig_status"):
        return label("user_statuses", str(value))
    return label("values", str(value)) if str(value) in ("yes", "no") else str(value)


def _facts(slots: dict[str, Any]) -> list[list[str]]:
    return [[label("slots", name), say_value(name, value)] for name, value in slots.items()]


def need_summary(slots: dict[str, Any], asked: list[str]) -> str:
    """Who the person is and what they asked, in one line: the queue shows it."""
    who = []
    if slots.get("user_status"):
        who.append(say_value("user_status", slots["user_status"]))
    if isinstance(slots.get("age"), (int, float)):
        who.append(label("summary", "age").format(age=say_value("age", slots["age"])))
    if slots.get("commune_name"):
        who.append(label("summary", "commune").format(commune=slots["commune_name"]))
    parts = [", ".join(who)] if who else []
    if asked:
        parts.append(label("summary", "asks").format(asks=" ; ".join(asked)))
    return ". ".join(part[:1].upper() + part[1:] for part in parts if part)


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
        if _shown(name) and value not in (None, "", [], {})
    }
    schemes = slots.get("last_schemes") or []
    user_events = [e for e in events if e.get("event") == "user"]
    asked = _asked(events)
    return {
        "reason": reason,
        # The bot's own summary (the latest need) is kept as "asked"; this says who and what.
        "summary": need_summary(useful_slots, asked) or summary,
        "facts": _facts(useful_slots),
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
