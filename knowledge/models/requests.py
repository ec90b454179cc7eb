"""Personal data collected in conversations: employers' hiring needs, spouse profiles, welcome kits.

Each row keeps the exact consent text shown and when it was given, so that an adviser
can prove consent and ``purge`` can delete rows older than the retention period.
Conversations are linked by ``owner_key`` (a one-way hash of the sender id), never by the id itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import Base


def utc_now() -> dt.datetime:
    """Timestamps are stored in UTC."""
    return dt.datetime.now(dt.timezone.utc)


class EmployerLead(Base):
    """A hiring need passed on by an employer, shown to advisers."""

    __tablename__ = "req_employer_lead"
    # Never reuse a deleted row's id on SQLite: references must stay unique over time.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Human reference given to the employer (EMP-2026-000123); set right after insert.
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    owner_key: Mapped[str] = mapped_column(String(64), index=True)
    company_name: Mapped[str] = mapped_column(String(200))
    siret: Mapped[str | None] = mapped_column(String(14))
    sector: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(200))
    positions: Mapped[int] = mapped_column(Integer)
    contract_type: Mapped[str] = mapped_column(String(30))
    start_date: Mapped[dt.date] = mapped_column(Date)
    commune_insee: Mapped[str | None] = mapped_column(String(5), index=True)
    commune_name: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    consent_text: Mapped[str] = mapped_column(Text)
    consent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, index=True
    )


class SpouseProfile(Base):
    """A newcomer's spouse or partner looking for work, visible to local employers and advisers."""

    __tablename__ = "req_spouse_profile"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    owner_key: Mapped[str] = mapped_column(String(64), index=True)
    job_title: Mapped[str] = mapped_column(String(200))
    skills: Mapped[str] = mapped_column(Text)
    availability: Mapped[str] = mapped_column(String(200))
    commune_insee: Mapped[str | None] = mapped_column(String(5), index=True)
    commune_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    consent_text: Mapped[str] = mapped_column(Text)
    consent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, index=True
    )


class WelcomeKit(Base):
    """A personalised welcome kit: what was asked and the snapshot of what was found."""

    __tablename__ = "req_welcome_kit"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Unguessable: the kit's private link is its only access control.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    owner_key: Mapped[str] = mapped_column(String(64), index=True)
    commune_insee: Mapped[str] = mapped_column(String(5))
    commune_name: Mapped[str] = mapped_column(String(200))
    household: Mapped[dict[str, Any]] = mapped_column(JSON)
    needs: Mapped[list[str]] = mapped_column(JSON)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    consent_text: Mapped[str] = mapped_column(Text)
    consent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, index=True
    )
