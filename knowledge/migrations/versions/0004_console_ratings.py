"""Console: the person's satisfaction after a hand-off (issue 15).

Revision ID: 0004_console_ratings
Revises: (root of the console branch)
Create Date: 2026-12-05

Mirrors ``Rating`` in ``channels/console/models.py``. The gateway may have created the table
already (the console's ``create_all`` at start-up), so it is created only when missing.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_console_ratings"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("console",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("console_ratings"):
        return
    op.create_table(
        "console_ratings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("adviser_id", sa.Integer(), nullable=True),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("step", sa.String(16), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("resume", sa.JSON(), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_console_ratings"),
    )
    op.create_index("ix_console_ratings_sender", "console_ratings", ["sender_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_console_ratings_sender", table_name="console_ratings")
    op.drop_table("console_ratings")
