"""Which scheme the person means: by position, by name, or the one being looked at."""

from __future__ import annotations

from dataclasses import dataclass, field

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from actions.kb import kb_call
from knowledge.search import find_scheme_by_name, get_scheme
from knowledge.text import STOPWORDS, normalise

MAX_WINDOW = 5


@dataclass(frozen=True)
class Choice:
    """A scheme id, or buttons to ask which one when several were shown."""

    scheme_id: str | None
    ask_which: list[dict[str, str]] = field(default_factory=list)


def position_index(value: str | None, count: int) -> int | None:
    """0-based index for "2", "last"...; None when out of range or not a position."""
    if value is None or count == 0:
        return None
    if value == "last":
        return count - 1
    digits = "".join(ch for ch in value if ch.isdigit())
    if not digits:
        return None
    index = int(digits) - 1
    return index if 0 <= index < count else None


def scheme_named_in(session: Session, text: str) -> str | None:
    """A scheme whose name or alias is written somewhere in ``text`` (longest window first)."""
    words = normalise(text).split()[:40]
    for size in range(min(MAX_WINDOW, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            window = words[start : start + size]
            if all(word in STOPWORDS for word in window) or (size == 1 and len(window[0]) < 3):
                continue
            scheme = find_scheme_by_name(session, " ".join(window))
            if scheme is not None:
                return scheme.id
    return None


def _names(session: Session, ids: list[str]) -> list[str]:
    names = []
    for scheme_id in ids:
        scheme = get_scheme(session, scheme_id)
        names.append(scheme.name if scheme else scheme_id)
    return names


async def scheme_for_details(tracker: Tracker) -> Choice:
    """Position entity, then a name in the message, then the scheme in focus."""
    shown = list(tracker.get_slot("last_schemes") or [])
    ordinal = next(tracker.get_latest_entity_values("ordinal"), None)
    index = position_index(str(ordinal) if ordinal is not None else None, len(shown))
    if index is not None:
        return Choice(shown[index])
    named = next(tracker.get_latest_entity_values("scheme"), None)
    text = str(named) if named else str(tracker.latest_message.get("text") or "")
    if text and not text.startswith("/"):
        found = await kb_call(scheme_named_in, text)
        if found:
            return Choice(found)
    focus = tracker.get_slot("elig_scheme") if tracker.active_loop_name else None
    focus = focus or tracker.get_slot("current_scheme")
    if focus:
        return Choice(focus)
    if len(shown) == 1:
        return Choice(shown[0])
    if len(shown) > 1:
        names = await kb_call(_names, shown)
        buttons = [
            {"title": name, "payload": f'/choose_item{{"ordinal":"{position}"}}'}
            for position, name in enumerate(names, start=1)
        ]
        return Choice(None, ask_which=buttons)
    return Choice(None)
