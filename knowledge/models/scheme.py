"""Schemes (dispositifs), the organisations running them, and their territory scopes.

The validated YAML record is kept whole in ``payload`` so that views and exports give
back exactly what the file said; the other columns exist to filter and index.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models.base import Base


class Scheme(Base):
    """One scheme, as validated from ``knowledge/data/schemes/<theme>.yml``."""

    __tablename__ = "kb_scheme"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    theme: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), index=True)
    summary: Mapped[str] = mapped_column(Text)
    territory_scope: Mapped[str] = mapped_column(String(20))
    information_date: Mapped[dt.date] = mapped_column(Date)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_file: Mapped[str] = mapped_column(String(300))
    source_line: Mapped[int] = mapped_column(Integer)


class SchemeTerritory(Base):
    """One territory a scheme exists in (no row for national schemes)."""

    __tablename__ = "kb_scheme_territory"
    __table_args__ = (Index("ix_kb_scheme_territory_scope_code", "scope", "code"),)

    scheme_id: Mapped[str] = mapped_column(
        ForeignKey("kb_scheme.id", ondelete="CASCADE"), primary_key=True
    )
    scope: Mapped[str] = mapped_column(String(20), primary_key=True)
    code: Mapped[str] = mapped_column(String(20), primary_key=True)


class SchemeAudience(Base):
    """One audience a scheme is meant for."""

    __tablename__ = "kb_scheme_audience"

    scheme_id: Mapped[str] = mapped_column(
        ForeignKey("kb_scheme.id", ondelete="CASCADE"), primary_key=True
    )
    audience: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class Organisation(Base):
    """An organisation or contact point, from ``knowledge/data/organisations/*.yml``."""

    __tablename__ = "kb_organisation"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    territory_scope: Mapped[str] = mapped_column(String(20))
    information_date: Mapped[dt.date] = mapped_column(Date)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_file: Mapped[str] = mapped_column(String(300))
    source_line: Mapped[int] = mapped_column(Integer)


class OrganisationTerritory(Base):
    """One territory an organisation covers (no row for national ones)."""

    __tablename__ = "kb_organisation_territory"
    __table_args__ = (Index("ix_kb_organisation_territory_scope_code", "scope", "code"),)

    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("kb_organisation.id", ondelete="CASCADE"), primary_key=True
    )
    scope: Mapped[str] = mapped_column(String(20), primary_key=True)
    code: Mapped[str] = mapped_column(String(20), primary_key=True)


class SchemeOrganisation(Base):
    """Which organisations run, fund or receive applications for a scheme."""

    __tablename__ = "kb_scheme_organisation"

    scheme_id: Mapped[str] = mapped_column(
        ForeignKey("kb_scheme.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("kb_organisation.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class KnowledgeMeta(Base):
    """Key/value rows; ``data_version`` and ``offers_version`` invalidate search caches."""

    __tablename__ = "kb_meta"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
