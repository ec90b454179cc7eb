"""The reports page's figures: hand-offs, waits, handling, resolutions and satisfaction by week.

Weeks are ISO weeks in Paris time. Times are medians in minutes (a few very long waits would
make a mean say little). Conversations with the bot alone live in Rasa's tracker store, not
here: the page counts the people who asked for an adviser.
"""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.console.hours import to_paris
from channels.console.labels import label
from channels.console.models import CALLBACK, Rating, Ticket, utcnow

WEEKS = 12
# Outcomes an adviser chooses when closing; the rest are automatic (cancelled, call-back...).
ADVISER_OUTCOMES = ("resolved", "referred", "callback_planned", "no_reply", "other")


def _week(moment: dt.datetime) -> str:
    year, week, _ = to_paris(moment).isocalendar()
    return f"{year}-S{week:02d}"


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def weekly(session: Session, now: dt.datetime | None = None, weeks: int = WEEKS) -> dict[str, Any]:
    """One row per week (oldest first) and the labels the charts need."""
    now = now or utcnow()
    since = now - dt.timedelta(weeks=weeks)
    keys = sorted({_week(now - dt.timedelta(weeks=i)) for i in range(weeks)})
    rows: dict[str, dict[str, Any]] = {
        key: {
            "week": key,
            "requests": 0,
            "people": set(),
            "reached": 0,
            "callbacks": 0,
            "waits": [],
            "handling": [],
            "outcomes": dict.fromkeys(ADVISER_OUTCOMES, 0),
            "scores": [],
        }
        for key in keys
    }
    for ticket in session.scalars(select(Ticket).where(Ticket.created_at >= since)):
        row = rows.get(_week(ticket.created_at))
        if row is None:
            continue
        row["requests"] += 1
        row["people"].add(ticket.sender_id)
        if ticket.claimed_at is not None:
            row["reached"] += 1
            row["waits"].append((ticket.claimed_at - ticket.created_at).total_seconds() / 60)
            if ticket.closed_at is not None:
                row["handling"].append((ticket.closed_at - ticket.claimed_at).total_seconds() / 60)
        if ticket.unavailable_reason or ticket.status == CALLBACK:
            row["callbacks"] += 1
        if ticket.close_outcome in row["outcomes"]:
            row["outcomes"][ticket.close_outcome] += 1
    for rating in session.scalars(
        select(Rating).where(Rating.asked_at >= since, Rating.score.is_not(None))
    ):
        row = rows.get(_week(rating.asked_at))
        if row is not None and rating.score is not None:
            row["scores"].append(rating.score)
    table = []
    for key in keys:
        row = rows[key]
        closed = sum(row["outcomes"].values())
        table.append(
            {
                "week": key,
                "requests": row["requests"],
                "people": len(row["people"]),
                "reached": row["reached"],
                "callbacks": row["callbacks"],
                "median_wait": _median(row["waits"]),
                "median_handling": _median(row["handling"]),
                "outcomes": row["outcomes"],
                "resolved_share": round(row["outcomes"]["resolved"] / closed, 2)
                if closed
                else None,
                "satisfaction": round(sum(row["scores"]) / len(row["scores"]), 2)
                if row["scores"]
                else None,
                "ratings": len(row["scores"]),
            }
        )
    return {
        "weeks": table,
        "outcome_labels": {code: label("resolutions", code) for code in ADVISER_OUTCOMES},
    }
