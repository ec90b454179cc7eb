"""Employers' hiring leads and the spouse CV bank (tables of the employers/newcomers area), read-only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import InstrumentedAttribute, Session

from channels.console.serialize import iso
from knowledge.models.requests import EmployerLead, SpouseProfile

MAX_ROWS = 100


def _pattern(query: str) -> str:
    escaped = query.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(like: str, *columns: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
    """Any of ``columns`` matches the escaped LIKE pattern, case-insensitively."""
    return or_(*(column.ilike(like, escape="\\") for column in columns))


def _lead(lead: EmployerLead) -> dict[str, Any]:
    return {
        "id": lead.id,
        "reference": lead.reference,
        "company_name": lead.company_name,
        "siret": lead.siret,
        "sector": lead.sector,
        "job_title": lead.job_title,
        "positions": lead.positions,
        "contract_type": lead.contract_type,
        "start_date": lead.start_date.isoformat(),
        "commune_name": lead.commune_name,
        "contact_name": lead.contact_name,
        "email": lead.email,
        "phone": lead.phone,
        "status": lead.status,
        "created_at": iso(lead.created_at),
    }


def _profile(profile: SpouseProfile) -> dict[str, Any]:
    return {
        "reference": profile.reference,
        "job_title": profile.job_title,
        "skills": profile.skills,
        "availability": profile.availability,
        "commune_name": profile.commune_name,
        "contact_email": profile.contact_email,
        "contact_phone": profile.contact_phone,
        "created_at": iso(profile.created_at),
    }


def search(session: Session, query: str) -> dict[str, Any]:
    """Leads and profiles whose text fields contain `query` (case-insensitive), newest first."""
    leads = select(EmployerLead).order_by(EmployerLead.created_at.desc()).limit(MAX_ROWS)
    profiles = select(SpouseProfile).order_by(SpouseProfile.created_at.desc()).limit(MAX_ROWS)
    if query.strip():
        like = _pattern(query)
        leads = leads.where(
            _contains(
                like,
                EmployerLead.company_name,
                EmployerLead.job_title,
                EmployerLead.sector,
                EmployerLead.commune_name,
                EmployerLead.reference,
                EmployerLead.contact_name,
            )
        )
        profiles = profiles.where(
            _contains(
                like,
                SpouseProfile.job_title,
                SpouseProfile.skills,
                SpouseProfile.availability,
                SpouseProfile.commune_name,
                SpouseProfile.reference,
            )
        )
    try:
        with session.begin_nested():
            found_leads = [_lead(row) for row in session.scalars(leads)]
            found_profiles = [_profile(row) for row in session.scalars(profiles)]
    except SQLAlchemyError:
        # Tables not migrated yet (`make kb`): the console still works without them.
        return {"available": False, "query": query, "leads": [], "profiles": []}
    return {"available": True, "query": query, "leads": found_leads, "profiles": found_profiles}
