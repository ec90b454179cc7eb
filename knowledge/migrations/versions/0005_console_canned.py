"""Console: canned replies maintained by admins (issue 15).

Revision ID: 0005_console_canned
Revises: 0004_console_ratings
Create Date: 2026-12-05

Mirrors ``CannedReply`` in ``channels/console/models.py``; created only when missing (the
gateway's ``create_all`` may have made it first).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_console_canned"
down_revision: str | Sequence[str] | None = "0004_console_ratings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("console_canned_replies"):
        return
    op.create_table(
        "console_canned_replies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_console_canned_replies"),
    )


def downgrade() -> None:
    op.drop_table("console_canned_replies")
