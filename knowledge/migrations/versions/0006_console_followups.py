"""Console: status workflow of call-backs and employers' leads (issue 15).

Revision ID: 0006_console_followups
Revises: 0005_console_canned
Create Date: 2026-12-05

Mirrors ``FollowUp`` in ``channels/console/models.py``; created only when missing (the
gateway's ``create_all`` may have made it first).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_console_followups"
down_revision: str | Sequence[str] | None = "0005_console_canned"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("console_followups"):
        return
    op.create_table(
        "console_followups",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref", sa.String(40), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("adviser_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_console_followups"),
    )
    op.create_index("ix_console_followups_ref", "console_followups", ["kind", "ref", "id"])


def downgrade() -> None:
    op.drop_index("ix_console_followups_ref", table_name="console_followups")
    op.drop_table("console_followups")
