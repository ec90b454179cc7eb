"""Status workflow of call-backs and employers' leads: new -> contacted -> done, who and when."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from channels.console.labels import label
from channels.console.models import Adviser, Callback, FollowUp, utcnow
from channels.console.serialize import iso

KINDS = ("callback", "lead")
STATUSES = ("new", "contacted", "done")


def current(session: Session, kind: str, refs: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The latest status of each ref, with who set it and when (refs never followed: absent)."""
    if not refs:
        return {}
    rows = session.execute(
        select(FollowUp, Adviser.email)
        .outerjoin(Adviser, Adviser.id == FollowUp.adviser_id)
        .where(FollowUp.kind == kind, FollowUp.ref.in_(list(refs)))
        .order_by(FollowUp.id)
    ).all()
    latest: dict[str, dict[str, Any]] = {}
    for follow, email in rows:
        latest[follow.ref] = {
            "status": follow.status,
            "status_label": label("followup", follow.status),
            "by": email,
            "at": iso(follow.at),
        }
    return latest


def set_status(session: Session, kind: str, ref: str, status: str, adviser_id: int) -> bool:
    """Record a status change; False when the call-back or lead does not exist."""
    if kind == "callback":
        callback = session.get(Callback, int(ref)) if ref.isdigit() else None
        if callback is None:
            return False
        # `done` keeps the call-back's own columns in step (the queue counts pending ones).
        done = status == "done"
        callback.done_at, callback.done_by = (utcnow(), adviser_id) if done else (None, None)
    elif not _set_lead_status(session, ref, status):
        return False
    session.add(FollowUp(kind=kind, ref=ref, status=status, adviser_id=adviser_id, at=utcnow()))
    return True


def _set_lead_status(session: Session, ref: str, status: str) -> bool:
    from knowledge.models.requests import EmployerLead

    try:
        with session.begin_nested():
            lead = session.get(EmployerLead, int(ref)) if ref.isdigit() else None
            if lead is None:
                return False
            lead.status = status
    except SQLAlchemyError:
        return False  # the requests tables are not migrated here
    return True


def status_of(item: dict[str, Any], followed: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """`item` (a call-back or lead as JSON, with `id`) with its workflow status."""
    found = followed.get(str(item["id"]))
    if found is None:
        status = "done" if item.get("done_at") else str(item.get("status") or "new")
        if status not in STATUSES:
            status = "new"
        found = {
            "status": status,
            "status_label": label("followup", status),
            "by": None,
            "at": None,
        }
    return {**item, "followup": found}
