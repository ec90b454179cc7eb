"""The reports' weekly figures (issue 15)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from channels.console.models import ConsoleBase, Rating, Ticket
from channels.console.reports import weekly
from knowledge.db import make_engine


def _ticket(created: dt.datetime, **fields: object) -> Ticket:
    return Ticket(
        sender_id=str(fields.pop("sender", "web:a")),
        channel="web",
        user_id="a",
        reason="asked_for_human",
        context={},
        created_at=created,
        **fields,
    )


def test_weekly_figures(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    ConsoleBase.metadata.create_all(engine)
    monday = dt.datetime(2026, 11, 30, 9, 0)  # ISO week 49, in UTC and in Paris
    with Session(engine) as session:
        session.add_all(
            [
                _ticket(
                    monday,
                    status="closed",
                    claimed_at=monday + dt.timedelta(minutes=4),
                    closed_at=monday + dt.timedelta(minutes=24),
                    close_outcome="resolved",
                ),
                _ticket(
                    monday + dt.timedelta(hours=1),
                    sender="web:b",
                    status="closed",
                    claimed_at=monday + dt.timedelta(hours=1, minutes=10),
                    closed_at=monday + dt.timedelta(hours=1, minutes=40),
                    close_outcome="referred",
                ),
                _ticket(
                    monday + dt.timedelta(days=1),
                    status="closed",
                    unavailable_reason="closed_hours",
                    close_outcome="callback",
                ),
                Rating(sender_id="web:a", channel="web", score=4, resume={}, asked_at=monday),
                Rating(sender_id="web:b", channel="web", score=5, resume={}, asked_at=monday),
            ]
        )
        session.commit()
        report = weekly(session, now=dt.datetime(2026, 12, 5, 12, 0), weeks=2)
    engine.dispose()
    assert [w["week"] for w in report["weeks"]] == ["2026-S48", "2026-S49"]
    week = report["weeks"][1]
    assert (week["requests"], week["people"], week["reached"], week["callbacks"]) == (3, 2, 2, 1)
    assert week["median_wait"] == 7.0 and week["median_handling"] == 25.0
    assert week["outcomes"]["resolved"] == 1 and week["outcomes"]["referred"] == 1
    assert week["resolved_share"] == 0.5 and week["satisfaction"] == 4.5 and week["ratings"] == 2
    assert report["weeks"][0]["requests"] == 0 and report["weeks"][0]["median_wait"] is None
    assert report["outcome_labels"]["referred"] == "Orienté vers un partenaire"
