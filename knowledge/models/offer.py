"""Open job and apprenticeship offers, imported from files or the demonstration set."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import Base


class Offer(Base):
    """One offer. ``(source, external_id)`` identifies it across re-imports."""

    __tablename__ = "kb_offer"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_kb_offer_source_external_id"),
        Index("ix_kb_offer_expires_on", "expires_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(120))
    # Same title, employer and commune from two sources is the same job: keep one.
    dedup_key: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(300))
    employer: Mapped[str | None] = mapped_column(String(300))
    commune_insee: Mapped[str] = mapped_column(String(5), index=True)
    commune_name: Mapped[str | None] = mapped_column(String(200))
    epci_code: Mapped[str | None] = mapped_column(String(9), index=True)
    departement_code: Mapped[str] = mapped_column(String(3), index=True)
    contract_type: Mapped[str] = mapped_column(String(30), index=True)
    contract_duration_months: Mapped[int | None] = mapped_column(Integer)
    contract_text: Mapped[str | None] = mapped_column(String(300))
    working_hours: Mapped[str | None] = mapped_column(Text)
    # Space-separated tags (night, early, weekend, ...) derived from the hours text.
    schedule_tags: Mapped[str] = mapped_column(String(200), default="")
    alternance: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    rome_code: Mapped[str | None] = mapped_column(String(5), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    apply_url: Mapped[str | None] = mapped_column(String(1000))
    apply_email: Mapped[str | None] = mapped_column(String(300))
    apply_phone: Mapped[str | None] = mapped_column(String(60))
    apply_text: Mapped[str | None] = mapped_column(Text)
    posted_on: Mapped[dt.date] = mapped_column(Date)
    expires_on: Mapped[dt.date] = mapped_column(Date)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    source_url: Mapped[str | None] = mapped_column(String(1000))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
