"""What the person hears when no adviser can answer: why, when they are back, who calls back,
and the contacts that fit them (split from gate.py)."""

from __future__ import annotations

from typing import Any

from bot.rasa_client import BotMessage
from channels.console.knowledge_links import Office, profile_of
from channels.console.moments import say_moment
from channels.console.service import Availability, HandoffService
from channels.texts import text


def offices_text(offices: list[Office], profile: str) -> str:
    """The contacts to turn to, with the date of their information (or a generic pointer)."""
    if not offices:
        return text(f"local_offices_generic_{profile}")
    lines = [text("local_offices_intro")]
    for office in offices:
        contacts = " · ".join(
            c for c in (office.phone, office.email, office.url, office.address) if c
        )
        lines.append(
            text(
                "local_office_line",
                name=office.name,
                contacts=contacts,
                date=office.information_date,
            )
        )
    return "\n".join(lines)


def unavailable_text(service: HandoffService, availability: Availability) -> str:
    """Why nobody answers, when someone will, and what the call-back means: one message."""
    days = service.settings.personal_data_retention_days
    if availability.why == "closed_hours":
        now = service.now()
        opening = service.hours.next_opening(now)
        if opening is None:
            return (
                f"{text('handoff_unavailable_closed_for_now')}\n{text('callback_offer', days=days)}"
            )
        when = say_moment(opening, now)
        return "\n".join(
            (
                text("handoff_unavailable_closed_hours", next_opening=when),
                text("callback_offer_closed_hours", next_opening=when, days=days),
            )
        )
    if availability.why == "wait_too_long":
        why = text(
            "handoff_unavailable_wait_too_long",
            minutes=service.settings.handoff_max_wait_minutes,
        )
    else:
        why = text("handoff_unavailable_nobody_online")
    return f"{why}\n{text('callback_offer', days=days)}"


def is_plain_announcement(message: BotMessage) -> bool:
    """The bot's "je vous mets en relation" just before the hand-off payload: text only."""
    return bool(message.text) and not message.buttons and not message.custom


def _str_or_none(value: Any) -> str | None:
    return str(value) if isinstance(value, str) and value else None


def _float_or_none(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def profile_from_slots(slots: dict[str, Any]) -> str:
    """`young`, `adult`, `disabled` or `parent`, from the bot's slots."""
    return profile_of(_str_or_none(slots.get("user_status")), _float_or_none(slots.get("age")))
