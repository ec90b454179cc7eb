"""Territories: régions, départements, EPCI/EPT, communes, postcodes, aliases.

Revision ID: 0002_territories
Revises: 0001_knowledge
Create Date: 2025-01-01

Mirrors ``knowledge/models/territory.py``; constraint names follow the naming convention of
``knowledge.models.base`` so that SQLite and PostgreSQL get the same schema.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_territories"
down_revision: str | Sequence[str] | None = "0001_knowledge"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.code"], name=f"fk_{table}_{column}_{target}"
    )


def _index(table: str, column: str) -> None:
    op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    op.create_table(
        "kb_region",
        sa.Column("code", sa.String(3), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("zone", sa.String(10), nullable=False),
        sa.Column("chef_lieu", sa.String(5), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_kb_region"),
    )
    op.create_table(
        "kb_departement",
        sa.Column("code", sa.String(3), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("region_code", sa.String(3), nullable=False),
        sa.Column("zone", sa.String(10), nullable=False),
        sa.Column("chef_lieu", sa.String(5), nullable=False),
        _fk("kb_departement", "region_code", "kb_region"),
        sa.PrimaryKeyConstraint("code", name="pk_kb_departement"),
    )
    _index("kb_departement", "region_code")
    op.create_table(
        "kb_epci",
        sa.Column("code", sa.String(9), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("code", name="pk_kb_epci"),
    )
    _index("kb_epci", "kind")
    op.create_table(
        "kb_commune",
        sa.Column("code", sa.String(5), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("parent_code", sa.String(5), nullable=True),
        sa.Column("departement_code", sa.String(3), nullable=False),
        sa.Column("region_code", sa.String(3), nullable=False),
        sa.Column("epci_code", sa.String(9), nullable=True),
        sa.Column("ept_code", sa.String(9), nullable=True),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("zone", sa.String(10), nullable=False),
        _fk("kb_commune", "parent_code", "kb_commune"),
        _fk("kb_commune", "departement_code", "kb_departement"),
        _fk("kb_commune", "region_code", "kb_region"),
        _fk("kb_commune", "epci_code", "kb_epci"),
        _fk("kb_commune", "ept_code", "kb_epci"),
        sa.PrimaryKeyConstraint("code", name="pk_kb_commune"),
    )
    for column in ("parent_code", "departement_code", "region_code", "epci_code", "ept_code"):
        _index("kb_commune", column)
    op.create_table(
        "kb_commune_postcode",
        sa.Column("commune_code", sa.String(5), nullable=False),
        sa.Column("postcode", sa.String(5), nullable=False),
        _fk("kb_commune_postcode", "commune_code", "kb_commune"),
        sa.PrimaryKeyConstraint("commune_code", "postcode", name="pk_kb_commune_postcode"),
    )
    _index("kb_commune_postcode", "postcode")
    op.create_table(
        "kb_commune_alias",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("commune_code", sa.String(5), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("code", sa.String(5), nullable=False),
        sa.Column("name", sa.String(120), nullable=True),
        _fk("kb_commune_alias", "commune_code", "kb_commune"),
        sa.PrimaryKeyConstraint("id", name="pk_kb_commune_alias"),
    )
    _index("kb_commune_alias", "commune_code")
    _index("kb_commune_alias", "code")


def downgrade() -> None:
    for table in (
        "kb_commune_alias",
        "kb_commune_postcode",
        "kb_commune",
        "kb_epci",
        "kb_departement",
        "kb_region",
    ):
        op.drop_table(table)
