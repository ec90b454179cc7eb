"""Knowledge base: schemes, organisations, their territories, offers, meta.

Revision ID: 0001_knowledge
Revises:
Create Date: 2025-01-01

Other areas add their tables as branch revisions with
``down_revision = "0001_knowledge"``; ``python -m knowledge migrate`` runs ``upgrade heads``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_knowledge"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kb_scheme",
        sa.Column("id", sa.String(120), nullable=False),
        sa.Column("theme", sa.String(40), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("territory_scope", sa.String(20), nullable=False),
        sa.Column("information_date", sa.Date(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("source_file", sa.String(300), nullable=False),
        sa.Column("source_line", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kb_scheme"),
    )
    op.create_index("ix_kb_scheme_theme", "kb_scheme", ["theme"])
    op.create_index("ix_kb_scheme_status", "kb_scheme", ["status"])
    op.create_table(
        "kb_organisation",
        sa.Column("id", sa.String(120), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("territory_scope", sa.String(20), nullable=False),
        sa.Column("information_date", sa.Date(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("source_file", sa.String(300), nullable=False),
        sa.Column("source_line", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kb_organisation"),
    )
    op.create_index("ix_kb_organisation_kind", "kb_organisation", ["kind"])
    _territory_table("kb_scheme_territory", "scheme_id", "kb_scheme")
    _territory_table("kb_organisation_territory", "organisation_id", "kb_organisation")
    op.create_table(
        "kb_scheme_audience",
        sa.Column("scheme_id", sa.String(120), nullable=False),
        sa.Column("audience", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["kb_scheme.id"],
            name="fk_kb_scheme_audience_scheme_id_kb_scheme",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("scheme_id", "audience", name="pk_kb_scheme_audience"),
    )
    op.create_index("ix_kb_scheme_audience_audience", "kb_scheme_audience", ["audience"])
    op.create_table(
        "kb_scheme_organisation",
        sa.Column("scheme_id", sa.String(120), nullable=False),
        sa.Column("organisation_id", sa.String(120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["kb_scheme.id"],
            name="fk_kb_scheme_organisation_scheme_id_kb_scheme",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["kb_organisation.id"],
            name="fk_kb_scheme_organisation_organisation_id_kb_organisation",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("scheme_id", "organisation_id", name="pk_kb_scheme_organisation"),
    )
    op.create_index(
        "ix_kb_scheme_organisation_organisation_id", "kb_scheme_organisation", ["organisation_id"]
    )
    op.create_table(
        "kb_meta",
        sa.Column("key", sa.String(60), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_kb_meta"),
    )
    _create_offer_table()


def _territory_table(name: str, owner_column: str, owner_table: str) -> None:
    op.create_table(
        name,
        sa.Column(owner_column, sa.String(120), nullable=False),
        sa.Column("scope", sa.String(20), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(
            [owner_column],
            [f"{owner_table}.id"],
            name=f"fk_{name}_{owner_column}_{owner_table}",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(owner_column, "scope", "code", name=f"pk_{name}"),
    )
    op.create_index(f"ix_{name}_scope_code", name, ["scope", "code"])


def _create_offer_table() -> None:
    op.create_table(
        "kb_offer",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("external_id", sa.String(120), nullable=False),
        sa.Column("dedup_key", sa.String(64), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("employer", sa.String(300), nullable=True),
        sa.Column("commune_insee", sa.String(5), nullable=False),
        sa.Column("commune_name", sa.String(200), nullable=True),
        sa.Column("epci_code", sa.String(9), nullable=True),
        sa.Column("departement_code", sa.String(3), nullable=False),
        sa.Column("contract_type", sa.String(30), nullable=False),
        sa.Column("contract_duration_months", sa.Integer(), nullable=True),
        sa.Column("contract_text", sa.String(300), nullable=True),
        sa.Column("working_hours", sa.Text(), nullable=True),
        sa.Column("schedule_tags", sa.String(200), nullable=False),
        sa.Column("alternance", sa.Boolean(), nullable=False),
        sa.Column("rome_code", sa.String(5), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("apply_url", sa.String(1000), nullable=True),
        sa.Column("apply_email", sa.String(300), nullable=True),
        sa.Column("apply_phone", sa.String(60), nullable=True),
        sa.Column("apply_text", sa.Text(), nullable=True),
        sa.Column("posted_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("source_url", sa.String(1000), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kb_offer"),
        sa.UniqueConstraint("source", "external_id", name="uq_kb_offer_source_external_id"),
    )
    for column in (
        "dedup_key",
        "commune_insee",
        "epci_code",
        "departement_code",
        "contract_type",
        "alternance",
        "rome_code",
    ):
        op.create_index(f"ix_kb_offer_{column}", "kb_offer", [column])
    op.create_index("ix_kb_offer_expires_on", "kb_offer", ["expires_on"])


def downgrade() -> None:
    op.drop_table("kb_offer")
    op.drop_table("kb_meta")
    op.drop_table("kb_scheme_organisation")
    op.drop_table("kb_scheme_audience")
    op.drop_table("kb_organisation_territory")
    op.drop_table("kb_scheme_territory")
    op.drop_table("kb_organisation")
    op.drop_table("kb_scheme")
