"""Retention: delete personal data older than ``PERSONAL_DATA_RETENTION_DAYS``.

The knowledge tables hold no personal data; the request tables (leads, spouse profiles,
welcome kits) do, and ``knowledge.requests.purge_requests`` knows them. The adviser console
purges its own hand-off records on its own schedule.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session


def purge_personal_data(
    session: Session, *, retention_days: int, now: dt.datetime | None = None
) -> dict[str, int]:
    """Rows deleted per table (in the caller's transaction)."""
    from knowledge.requests import purge_requests

    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    cutoff = (now or dt.datetime.now(dt.timezone.utc)) - dt.timedelta(days=retention_days)
    return purge_requests(session, older_than=cutoff)
