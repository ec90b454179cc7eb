"""Personal data from conversations: employer leads, spouse profiles, welcome kits.

Revision ID: 0003_requests
Revises: 0001_knowledge
Create Date: 2026-01-14

Mirrors ``knowledge/models/requests.py``. A branch of its own: ``migrate`` runs ``upgrade heads``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003_requests"
down_revision: str | Sequence[str] | None = "0001_knowledge"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _consent_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("consent_text", sa.Text(), nullable=False),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "req_employer_lead",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(20), nullable=True),
        sa.Column("owner_key", sa.String(64), nullable=False),
        sa.Column("company_name", sa.String(200), nullable=False),
        sa.Column("siret", sa.String(14), nullable=True),
        sa.Column("sector", sa.String(200), nullable=False),
        sa.Column("job_title", sa.String(200), nullable=False),
        sa.Column("positions", sa.Integer(), nullable=False),
        sa.Column("contract_type", sa.String(30), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("commune_insee", sa.String(5), nullable=True),
        sa.Column("commune_name", sa.String(200), nullable=False),
        sa.Column("contact_name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        *_consent_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_req_employer_lead"),
        sa.UniqueConstraint("reference", name="uq_req_employer_lead_reference"),
        sqlite_autoincrement=True,
    )
    for column in ("owner_key", "commune_insee", "status", "created_at"):
        op.create_index(f"ix_req_employer_lead_{column}", "req_employer_lead", [column])
    op.create_table(
        "req_spouse_profile",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(20), nullable=True),
        sa.Column("owner_key", sa.String(64), nullable=False),
        sa.Column("job_title", sa.String(200), nullable=False),
        sa.Column("skills", sa.Text(), nullable=False),
        sa.Column("availability", sa.String(200), nullable=False),
        sa.Column("commune_insee", sa.String(5), nullable=True),
        sa.Column("commune_name", sa.String(200), nullable=False),
        sa.Column("contact_email", sa.String(254), nullable=True),
        sa.Column("contact_phone", sa.String(20), nullable=True),
        *_consent_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_req_spouse_profile"),
        sa.UniqueConstraint("reference", name="uq_req_spouse_profile_reference"),
        sqlite_autoincrement=True,
    )
    for column in ("owner_key", "commune_insee", "created_at"):
        op.create_index(f"ix_req_spouse_profile_{column}", "req_spouse_profile", [column])
    op.create_table(
        "req_welcome_kit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("owner_key", sa.String(64), nullable=False),
        sa.Column("commune_insee", sa.String(5), nullable=False),
        sa.Column("commune_name", sa.String(200), nullable=False),
        sa.Column("household", sa.JSON(), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        *_consent_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_req_welcome_kit"),
        sa.UniqueConstraint("token", name="uq_req_welcome_kit_token"),
        sqlite_autoincrement=True,
    )
    for column in ("owner_key", "created_at"):
        op.create_index(f"ix_req_welcome_kit_{column}", "req_welcome_kit", [column])


def downgrade() -> None:
    op.drop_table("req_welcome_kit")
    op.drop_table("req_spouse_profile")
    op.drop_table("req_employer_lead")
