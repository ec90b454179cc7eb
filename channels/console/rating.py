"""The one-tap satisfaction question after an adviser hands the conversation back.

On close, the gateway asks "1 to 5?" before the bot speaks again; the bot's reply to
`/handoff_ended` waits in the rating row and follows the person's answer. A person who writes
something else instead is not held up: the question lapses and the bot answers them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.rasa_client import BotMessage, Button
from channels.console import callback_flow as flow
from channels.console.models import Rating, Ticket, utcnow
from channels.texts import text

SCORES = ("1", "2", "3", "4", "5")
RATING_EXPIRY = dt.timedelta(hours=2)
MAX_COMMENT = 1000


def score_buttons() -> list[dict[str, str]]:
    """One button per score: one tap answers."""
    return [{"title": score, "payload": score} for score in SCORES]


def start(
    session: Session, ticket: Ticket, adviser_id: int | None, resume: list[dict[str, Any]]
) -> Rating:
    """Record that the question was asked, with the bot's reply to deliver afterwards."""
    rating = Rating(
        ticket_id=ticket.id,
        adviser_id=adviser_id,
        sender_id=ticket.sender_id,
        channel=ticket.channel,
        step="score",
        resume={"messages": resume},
        asked_at=utcnow(),
    )
    session.add(rating)
    session.flush()
    return rating


def pending(session: Session, sender_id: str) -> Rating | None:
    """The person's unanswered rating question, if recent."""
    return session.scalar(
        select(Rating)
        .where(
            Rating.sender_id == sender_id,
            Rating.step.is_not(None),
            Rating.asked_at >= utcnow() - RATING_EXPIRY,
        )
        .order_by(Rating.id.desc())
        .limit(1)
    )


def _resume(rating: Rating) -> list[BotMessage]:
    return [BotMessage.from_rest(m) for m in (rating.resume or {}).get("messages") or []]


def _thanks(key: str, rating: Rating) -> list[BotMessage]:
    return [BotMessage(text=text(key)), *_resume(rating)]


def answer(session: Session, sender_id: str, text_: str) -> list[BotMessage] | None:
    """The person's message while a rating question waits: our replies, or None for the bot."""
    rating = pending(session, sender_id)
    if rating is None:
        return None
    cleaned = text_.strip()
    if rating.step == "score":
        if cleaned in SCORES:
            rating.score, rating.step, rating.answered_at = int(cleaned), "comment", utcnow()
            decline = text("callback_decline_button")
            return [
                BotMessage(
                    text=text("rating_ask_comment"),
                    buttons=(Button(title=decline, payload=decline),),
                )
            ]
        rating.step = None  # another question: the bot answers it
        return None
    rating.step = None
    if flow.is_no(cleaned) or flow.same_choice(cleaned, text("callback_decline_button")):
        return _thanks("rating_thanks", rating)
    if cleaned.startswith("/"):
        return None  # an old button of the bot: the bot handles it
    rating.comment = cleaned[:MAX_COMMENT]
    return _thanks("rating_thanks_comment", rating)
