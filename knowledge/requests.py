"""Create, read and delete the personal data collected in conversations (caller's Session).

Callers pass plain values already validated by the actions; these functions only store,
find and delete them, and never log their content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from knowledge.models.requests import EmployerLead, SpouseProfile, WelcomeKit, utc_now

LEAD_PREFIX = "EMP"
SPOUSE_PREFIX = "CJT"
KIT_TOKEN_BYTES = 24
_Referenced = EmployerLead | SpouseProfile


def owner_key(sender_id: str, secret: str = "") -> str:
    """A one-way key for a conversation, so rows can be found again without storing its id."""
    return hmac.new(secret.encode("utf-8"), sender_id.encode("utf-8"), hashlib.sha256).hexdigest()


def _deleted(result: object) -> int:
    """Rows affected by a DELETE (a ``CursorResult``)."""
    return int(result.rowcount or 0) if isinstance(result, CursorResult) else 0


def _reference(prefix: str, row_id: int, created_at: dt.datetime) -> str:
    return f"{prefix}-{created_at.year}-{row_id:06d}"


def _add_with_reference(session: Session, row: _Referenced, prefix: str) -> None:
    """Insert ``row``, then give it its human reference, which needs the id the insert gave."""
    session.add(row)
    session.flush()
    row.reference = _reference(prefix, row.id, row.created_at)
    session.flush()


@dataclass(frozen=True)
class Consent:
    """The exact text the person agreed to, and when."""

    text: str
    given_at: dt.datetime


# --- Employer leads --------------------------------------------------------------------------


def create_employer_lead(
    session: Session, *, owner: str, consent: Consent, fields: dict[str, Any]
) -> EmployerLead:
    """Store a hiring need and give it its human reference (EMP-<year>-<number>)."""
    lead = EmployerLead(
        owner_key=owner,
        consent_text=consent.text,
        consent_at=consent.given_at,
        created_at=utc_now(),
        status="new",
        **fields,
    )
    _add_with_reference(session, lead, LEAD_PREFIX)
    return lead


def get_employer_lead(session: Session, reference: str) -> EmployerLead | None:
    """A lead by its reference."""
    return session.scalar(select(EmployerLead).where(EmployerLead.reference == reference.upper()))


def list_employer_leads(
    session: Session, *, status: str | None = None, limit: int = 100
) -> list[EmployerLead]:
    """Newest leads first (the adviser console lists them)."""
    query = select(EmployerLead).order_by(EmployerLead.created_at.desc(), EmployerLead.id.desc())
    if status:
        query = query.where(EmployerLead.status == status)
    return list(session.scalars(query.limit(limit)))


def delete_employer_lead(session: Session, reference: str) -> bool:
    """Delete a lead; True when one was deleted."""
    result = session.execute(
        delete(EmployerLead).where(EmployerLead.reference == reference.upper())
    )
    return _deleted(result) > 0


# --- Spouse profiles --------------------------------------------------------------------------


def create_spouse_profile(
    session: Session, *, owner: str, consent: Consent, fields: dict[str, Any]
) -> SpouseProfile:
    """Store a spouse profile; a conversation keeps one profile (a new one replaces the old)."""
    delete_spouse_profiles(session, owner)
    profile = SpouseProfile(
        owner_key=owner,
        consent_text=consent.text,
        consent_at=consent.given_at,
        created_at=utc_now(),
        **fields,
    )
    _add_with_reference(session, profile, SPOUSE_PREFIX)
    return profile


def get_spouse_profile(session: Session, owner: str) -> SpouseProfile | None:
    """The profile recorded from this conversation, if any."""
    return session.scalar(
        select(SpouseProfile)
        .where(SpouseProfile.owner_key == owner)
        .order_by(SpouseProfile.id.desc())
    )


def spouse_profiles_near(
    session: Session, commune_codes: list[str], limit: int = 50
) -> list[SpouseProfile]:
    """Profiles in some communes, newest first (for local employers and advisers)."""
    query = (
        select(SpouseProfile)
        .where(SpouseProfile.commune_insee.in_(commune_codes))
        .order_by(SpouseProfile.created_at.desc())
    )
    return list(session.scalars(query.limit(limit)))


def delete_spouse_profiles(session: Session, owner: str) -> int:
    """Delete every profile of this conversation; how many were deleted."""
    result = session.execute(delete(SpouseProfile).where(SpouseProfile.owner_key == owner))
    return _deleted(result)


# --- Welcome kits ------------------------------------------------------------------------------


def create_welcome_kit(
    session: Session,
    *,
    owner: str,
    consent: Consent,
    commune_insee: str,
    commune_name: str,
    household: dict[str, Any],
    needs: list[str],
    content: dict[str, Any],
) -> WelcomeKit:
    """Store a kit under a fresh unguessable token."""
    kit = WelcomeKit(
        token=secrets.token_urlsafe(KIT_TOKEN_BYTES),
        owner_key=owner,
        commune_insee=commune_insee,
        commune_name=commune_name,
        household=household,
        needs=needs,
        content=content,
        consent_text=consent.text,
        consent_at=consent.given_at,
        created_at=utc_now(),
    )
    session.add(kit)
    session.flush()
    return kit


def get_welcome_kit(session: Session, token: str) -> WelcomeKit | None:
    """A kit by its token; malformed tokens simply find nothing."""
    if not token or len(token) > 64:
        return None
    return session.scalar(select(WelcomeKit).where(WelcomeKit.token == token))


def delete_welcome_kits(session: Session, owner: str) -> int:
    """Delete every kit of this conversation."""
    result = session.execute(delete(WelcomeKit).where(WelcomeKit.owner_key == owner))
    return _deleted(result)


# --- Retention ---------------------------------------------------------------------------------


def purge_requests(session: Session, *, older_than: dt.datetime) -> dict[str, int]:
    """Delete leads, spouse profiles and kits created before ``older_than``; counts per table."""
    counts: dict[str, int] = {}
    for model in (EmployerLead, SpouseProfile, WelcomeKit):
        result = session.execute(delete(model).where(model.created_at < older_than))
        counts[model.__tablename__] = _deleted(result)
    return counts
